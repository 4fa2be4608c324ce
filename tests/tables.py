"""Read result tables in tests the same way whatever their kind."""

from __future__ import annotations

import math
from typing import Any


def rows(table: Any) -> Any:
    """A pandas DataFrame as a list of dicts with ``None`` for missing values (pandas shows
    them as NaN); any other table as it is."""
    to_dict = getattr(table, "to_dict", None)
    if to_dict is None or isinstance(table, dict):
        return table
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        for r in to_dict("records")
    ]
