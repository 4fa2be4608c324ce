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
from crmclean.audit import AuditReport, FieldReport, audit
from crmclean.codes import ISSUE_CODES, describe_issue
from crmclean.errors import ColumnError, ConfigError, CrmcleanError, InputFileError
from crmclean.merge import MergeResult, MergeRule, MergeStrategy, ReviewPolicy, merge, unmerge
from crmclean.normalize import *  # noqa: F403
from crmclean.standardize import StandardizeSummary, standardize

__version__ = "0.1.0.dev0"

__all__ = [
    "ISSUE_CODES",
    "AuditReport",
    "ColumnError",
    "ConfigError",
    "CrmcleanError",
    "FieldReport",
    "InputFileError",
    "MergeResult",
    "MergeRule",
    "MergeStrategy",
    "ReviewPolicy",
    "StandardizeSummary",
    "__version__",
    "audit",
    "describe_issue",
    "merge",
    "standardize",
    "unmerge",
]
__all__ += normalize.__all__
