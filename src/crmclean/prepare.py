"""Prepare a contact table for matching: one column of matching keys per field.

The matching stages (block, compare, score, cluster) never see raw values. They work on *keys*:
ASCII, lower-case, nickname-resolved, phonetic, E.164, ``YYYYMMDD`` strings produced here by the
crmclean normalizers, and then on integer codes (:class:`EncodedKeys`): each distinct key is
stored once and every record holds a small integer, so that the engine compares integers and
sends each distinct pair of strings to the string-similarity code at most once.

:func:`prepare_columns` turns a column batch plus its column roles into a batch of key columns
(:data:`KEY_COLUMNS`); :func:`encode_keys` turns that batch into :class:`EncodedKeys`.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from crmclean import fields
from crmclean.encode import EncodedColumn, EncodedKeys, encode_keys
from crmclean.errors import ColumnError
from crmclean.frames import ColumnBatch
from crmclean.normalize._base import coerce_text
from crmclean.normalize.phones import phone_region

__all__ = [
    "KEY_COLUMNS",
    "EncodedColumn",
    "EncodedKeys",
    "date_key",
    "encode_keys",
    "prepare_columns",
]

#: The key columns of the built-in fields, with what each holds (the registry's
#: :func:`crmclean.fields.key_columns` also lists those of fields registered later).
KEY_COLUMNS: Final[Mapping[str, str]] = MappingProxyType(dict(fields.key_columns()))

_NON_DIGIT: Final = re.compile(r"\D+")
_ISO_DATE: Final = re.compile(r"(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})")
_DMY_DATE: Final = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
_MONTH_NAMES: Final = (
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december"),
)  # fmt: skip
_MONTHS: Final = {m: i + 1 for i, names in enumerate(_MONTH_NAMES) for m in names}
_WORD_DATE: Final = re.compile(r"(\d{1,2})?\s*([a-z]+)\.?\s*(\d{1,2})?,?\s*(\d{4})")


def _ymd(year: int, month: int, day: int) -> str:
    return f"{year:04d}{month:02d}{day:02d}"


def date_key(value: object, *, dayfirst: bool = True) -> str | None:
    """A date of birth as ``YYYYMMDD``, or ``None`` when the value holds no date.

    Reads ISO dates, ``YYYYMMDD``, ``DD/MM/YYYY`` (read as ``MM/DD/YYYY`` when
    ``dayfirst=False`` or when the second number cannot be a month), month names and
    ``date`` objects.
    Eight digits that do not form a real date are kept as they are, so that a typo in a
    date still meets the right date with one edit.

    Example:
        >>> date_key("1971-06-24"), date_key("24/06/1971"), date_key("19710624")
        ('19710624', '19710624', '19710624')
        >>> date_key("06/24/1971"), date_key("24 June 1971"), date_key(None)
        ('19710624', '19710624', None)
    """
    if isinstance(value, (_dt.date, _dt.datetime)):
        return _ymd(value.year, value.month, value.day)
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        try:
            return _ymd(int(value.year), int(value.month), int(value.day))
        except (TypeError, ValueError):
            return None
    text, _ = coerce_text(value)
    if not text:
        return None
    text = text.strip().lower()[:40]
    match = _ISO_DATE.match(text)
    if match:
        return _ymd(*(int(g) for g in match.groups()))
    match = _DMY_DATE.match(text)
    if match:
        a, b, year = (int(g) for g in match.groups())
        if a > 12 or (dayfirst and b <= 12):
            return _ymd(year, b, a)
        return _ymd(year, a, b)
    digits = _NON_DIGIT.sub("", text)
    if len(digits) == 8 and digits == text:
        return digits
    match = _WORD_DATE.search(text)
    if match and match.group(2)[:3] in _MONTHS:
        day = match.group(1) or match.group(3)
        if day:
            return _ymd(int(match.group(4)), _MONTHS[match.group(2)[:3]], int(day))
    return None


def prepare_columns(
    columns: ColumnBatch,
    roles: Mapping[str, str],
    *,
    region: str | None = None,
    dayfirst: bool = True,
) -> ColumnBatch:
    """Turn a column batch into a batch of matching keys, one key column per field.

    Each role present in ``roles`` (role → column, as from
    :func:`crmclean.columns.detect_roles`) gives one or more key columns of
    :data:`KEY_COLUMNS`; roles without a matching key (``id``, ``source``, ...) are ignored.
    Keys are ``str`` or ``None`` (null: missing, unparseable or a placeholder such as
    ``test@test.com``). Each distinct value is normalized once.

    Args:
        columns: the table as a column batch.
        roles: role → column name.
        region: default phone region (ISO code) for numbers without a country code.
        dayfirst: read ``01/02/1990`` as 1 February (``False``: as 2 January).

    Raises:
        ColumnError: a role names a column that is not in the batch.

    Example:
        >>> keys = prepare_columns(
        ...     {"First": ["José", None], "Last": ["O'Brien", "Smith"],
        ...      "Email": ["J.OBrien@Acme.org", "test@test.com"]},
        ...     {"first_name": "First", "last_name": "Last", "email": "Email"})
        >>> keys["given"], keys["family"], keys["email"]
        (['jose', None], ['obrien', 'smith'], ['j.obrien@acme.org', None])
    """
    for role, column in roles.items():
        if column not in columns:
            raise ColumnError(f"column {column!r} (role {role!r}) is not in the table")
    if not isinstance(dayfirst, bool):
        raise TypeError("option 'dayfirst' must be a bool")
    region = phone_region(region)  # raises ConfigError for an unknown region
    context = fields.FieldContext(columns, roles, region=region, dayfirst=dayfirst)
    out: ColumnBatch = {}
    for field in fields.fields():
        if field.prepare is not None and any(r.name in roles for r in field.roles):
            out.update(field.prepare(context))
    return out
