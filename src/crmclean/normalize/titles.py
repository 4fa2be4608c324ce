"""(being written)"""

from __future__ import annotations

import attrs

__all__ = ["JobTitle", "normalize_title"]


@attrs.frozen
class JobTitle:
    """(being written)"""

    original: object
    valid: bool
    issues: tuple[str, ...] = ()


def normalize_title(value: object) -> JobTitle:
    """(being written)"""
    raise NotImplementedError
