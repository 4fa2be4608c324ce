"""crmclean: clean CRM contact data.

Standardize contact fields, find the duplicates, merge each group into a golden record.
The public API is exactly what this module exports (see ``__all__``).

Example:
    >>> import crmclean
    >>> crmclean.normalize_text("  jane\\u00a0 SMITH ").text
    'jane SMITH'
"""

from __future__ import annotations

from crmclean import fields as fields  # the field registry, as crmclean.fields
from crmclean import normalize
from crmclean._progress import Progress
from crmclean._workers import WorkerWarning
from crmclean.audit import AuditReport, FieldReport, audit
from crmclean.block import BlockingRule, MatchingWarning, SortedNeighbourhood
from crmclean.clean import CleanResult, clean
from crmclean.codes import ISSUE_CODES, describe_issue
from crmclean.compare import Comparator, Comparison, PairBatch, get_comparator, register_comparator
from crmclean.decisions import Decisions, DecisionWarning
from crmclean.errors import (
    ColumnError,
    ConfigError,
    CrmcleanError,
    IndexFileError,
    InputFileError,
)
from crmclean.fields import Field, Role, register_field, unregister_field
from crmclean.index import IndexMatches, MatchIndex, OneMatch
from crmclean.merge import MergeResult, MergeRule, MergeStrategy, ReviewPolicy, merge, unmerge
from crmclean.normalize import *  # noqa: F403
from crmclean.pipeline import MatchResult, MatchStats, dedupe, link, match_prepared
from crmclean.score import FieldContribution, PairExplanation
from crmclean.settings import MatchSettings, default_settings
from crmclean.standardize import StandardizeSummary, standardize

__version__ = "0.1.0.dev0"

__all__ = [
    "ISSUE_CODES",
    "AuditReport",
    "BlockingRule",
    "CleanResult",
    "ColumnError",
    "Comparator",
    "Comparison",
    "ConfigError",
    "CrmcleanError",
    "DecisionWarning",
    "Decisions",
    "Field",
    "FieldContribution",
    "FieldReport",
    "IndexFileError",
    "IndexMatches",
    "InputFileError",
    "MatchIndex",
    "MatchResult",
    "MatchSettings",
    "MatchStats",
    "MatchingWarning",
    "MergeResult",
    "MergeRule",
    "MergeStrategy",
    "OneMatch",
    "PairBatch",
    "PairExplanation",
    "Progress",
    "ReviewPolicy",
    "Role",
    "SortedNeighbourhood",
    "StandardizeSummary",
    "WorkerWarning",
    "__version__",
    "audit",
    "clean",
    "dedupe",
    "default_settings",
    "describe_issue",
    "get_comparator",
    "link",
    "match_prepared",
    "merge",
    "register_comparator",
    "register_field",
    "standardize",
    "unmerge",
    "unregister_field",
]
__all__ += normalize.__all__
