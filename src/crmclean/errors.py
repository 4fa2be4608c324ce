"""Typed errors raised for misuse of the API.

Data values never raise: a bad phone number, a ``None`` or an emoji gives a result
with issue codes. These exceptions are for the caller's mistakes (an unknown option,
a missing column) and their messages never contain field values.
"""

from __future__ import annotations

__all__ = ["ColumnError", "ConfigError", "CrmcleanError", "IndexFileError", "InputFileError"]


class CrmcleanError(Exception):
    """Base class of every error crmclean raises on purpose.

    Example:
        >>> import crmclean
        >>> try:
        ...     crmclean.normalize_phone("+1 415 555 2671", region="XX")
        ... except crmclean.CrmcleanError as exc:
        ...     print(type(exc).__name__)
        ConfigError
    """


class ConfigError(CrmcleanError, ValueError):
    """An option has an unknown or out-of-range value (a region code, a strategy name, ...).

    It is also a :class:`ValueError`, so ``except ValueError`` keeps working.

    Example:
        >>> import crmclean
        >>> crmclean.normalize_phone("123", region="XX")
        Traceback (most recent call last):
        ...
        crmclean.errors.ConfigError: unknown region code 'XX': ...
    """


class ColumnError(CrmcleanError, KeyError):
    """A named column is missing from the table, or a column role is given twice.

    Example:
        >>> import crmclean
        >>> crmclean.standardize([{"Email": "a@b.com"}], columns={"phone": "Phone"})
        Traceback (most recent call last):
        ...
        crmclean.errors.ColumnError: column 'Phone' (role 'phone') is not in the table; ...
    """

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class InputFileError(CrmcleanError, OSError):
    """An input file cannot be read: missing, unreadable encoding, not a table.

    Example:
        >>> from crmclean.frames import read_table
        >>> read_table("no-such-file.csv")
        Traceback (most recent call last):
        ...
        crmclean.errors.InputFileError: cannot read 'no-such-file.csv': no such file
    """


class IndexFileError(InputFileError):
    """A saved match index cannot be trusted: a file is missing, extra, altered or of the
    wrong kind, the format version is unknown, or the parts do not fit together.

    It is also an :class:`InputFileError` (and an :class:`OSError`).

    Example:
        >>> from crmclean.index import MatchIndex
        >>> MatchIndex.load("no-such-index")
        Traceback (most recent call last):
        ...
        crmclean.errors.IndexFileError: cannot load the match index: no manifest.json in ...
    """
