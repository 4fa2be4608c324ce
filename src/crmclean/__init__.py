"""crmclean: clean CRM contact data.

Standardize contact fields, find the duplicates, merge each group into a golden record.
The public API is exactly what this module exports (see ``__all__``).

Example:
    >>> import crmclean
    >>> crmclean.normalize_text("  jane\\u00a0 SMITH ").text
    'jane SMITH'
"""

from __future__ import annotations

from crmclean import normalize
from crmclean.codes import ISSUE_CODES, describe_issue
from crmclean.errors import ColumnError, ConfigError, CrmcleanError, InputFileError
from crmclean.normalize import *  # noqa: F403

__version__ = "0.1.0.dev0"

__all__ = [
    "ISSUE_CODES",
    "ColumnError",
    "ConfigError",
    "CrmcleanError",
    "InputFileError",
    "__version__",
    "describe_issue",
]
__all__ += normalize.__all__
