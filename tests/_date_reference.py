"""The date readings of the matching and merge stages as they were before the dates
normalizer held them, kept as a reference: the dates module must give exactly these results
(match keys and merge timestamps never move when the code behind them does).

The one intended difference: the old key raised on pandas ``NaT`` (a missing value in a datetime
column); the tests expect no key there.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from typing import Final

import numpy as np

from crmclean.normalize._base import coerce_text, is_null

_NON_DIGIT: Final = re.compile(r"\D+")
_UTC: Final = _dt.timezone.utc
dt = _dt
_DATE_FORMATS: Final = (
    "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%d.%m.%Y", "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S", "%Y%m%d",
)  # fmt: skip

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



def _to_timestamp(moment: dt.datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_UTC)
    return moment.timestamp()


@functools.lru_cache(maxsize=65_536)
def _text_timestamp(text: str, date_format: str | None) -> float:
    text = text.strip()
    if not text:
        return math.nan
    if date_format is not None:
        try:
            return _to_timestamp(dt.datetime.strptime(text, date_format))
        except ValueError:
            pass
    iso = text[:-1] + "+00:00" if text[-1] in "Zz" else text
    try:
        return _to_timestamp(dt.datetime.fromisoformat(iso))
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return _to_timestamp(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    return math.nan


def timestamp(value: object, date_format: str | None) -> float:
    """Seconds since 1970 (UTC) of a date cell; NaN when it holds no readable date.

    Text is read as ISO 8601 (naive times as UTC), ``YYYY/MM/DD`` or ``DD.MM.YYYY``; numbers as
    Unix seconds, or milliseconds when too large for seconds.
    """
    if isinstance(value, str):
        return _text_timestamp(value, date_format)
    if value is None or isinstance(value, bool) or is_null(value):
        return math.nan
    if isinstance(value, dt.datetime):
        return _to_timestamp(value)
    if isinstance(value, dt.date):
        return _to_timestamp(dt.datetime(value.year, value.month, value.day))
    if isinstance(value, np.datetime64):
        return float(value.astype("datetime64[us]").astype(np.int64)) / 1e6
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            return math.nan
        return number / 1000.0 if abs(number) >= 1e11 else number
    return math.nan


