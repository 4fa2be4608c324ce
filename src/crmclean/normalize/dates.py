"""Dates: the written forms CRM fields hold, read into one ISO form, with what is wrong with them.

:func:`normalize_date` reads ISO dates and timestamps, ``YYYYMMDD``, day-first and month-first
numeric dates (``24/06/1971``, ``06/24/1971``, ``24.06.1971``), month names in a dozen languages
(``24 June 1971``, ``24. Juni 1971``, ``24 июня 1971 г.``), ``1971年6月24日``, two-digit years,
numbers of seconds since 1970, and the date objects of Python, pandas and numpy. A date known only
to the month or year (``June 1971``, ``1971``) stays partial rather than being padded with a
made-up day. Impossible dates, the placeholders systems store for "unknown" (``1900-01-01``,
``9999-12-31``), dates in the future and day/month orders that could go either way each get an
issue code.

Two further functions read dates the way the matching and merge stages do, so that those can
rest on this module without a single result changing: :func:`date_key` (``YYYYMMDD`` match
keys) and :func:`timestamp` (seconds since 1970 for the ``most_recent`` and ``oldest`` merge
rules).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from decimal import Decimal
from typing import Final, NamedTuple

import attrs

from crmclean.errors import ConfigError
from crmclean.normalize._base import coerce_text, is_null, require_bool, require_str
from crmclean.normalize.data import load_lines, load_rows

__all__ = ["DateResult", "normalize_date"]

#: Longest text read as a date; longer values are cut (issue ``too_long``).
_MAX_DATE_CHARS: Final = 100
#: A two-digit year is read in the hundred years that end this many years after ``today``.
_PIVOT_AHEAD: Final = 20
#: Numbers at least this large are milliseconds since 1970, smaller ones seconds (as in merge).
_MILLISECONDS_FROM: Final = 1e11
_EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()
_MAX_ORDINAL: Final = dt.date.max.toordinal()
_UTC: Final = dt.timezone.utc

# The commonest forms, read without the general tokenizer (which reads them the same way).
_YMD_FAST_RE: Final = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_DMY_FAST_RE: Final = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
# A time of day after the date, with its zone: "T10:00:00Z", " 10:00:00+03:00", " 6:05 PM EST",
# " 10:00:00 +0000 UTC", "T10:00Z[Europe/Paris]".
_TIME_RE: Final = re.compile(
    r"(?:(?<=\d)t\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?"
    r"|(?:\s+|\s*,\s*)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?"
    r"|\s+\d{1,2}\s*[ap]\.?m\.?)"
    r"(?:\s*(?:z|[+-]\d{2}(?::?\d{2})?|(?:utc|gmt)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?"
    r"|\(?[a-z]{2,5}\)?|\[[^\]]{1,40}\])){0,2}\s*$"
)
# Chinese, Japanese and Korean dates: 1971年6月24日, 1971年6月, 1971년 6월 24일.
_CJK_RE: Final = re.compile(
    r"(\d{4}|\d{2})\s*[年년]\s*(?:(\d{1,2})\s*[月월]\s*(?:(\d{1,2})\s*[日일号號]?)?)?\s*\.?"
)
_TOKEN_RE: Final = re.compile(r"(\d+)|([^\W\d_]+)")
# What may stand between the numbers and words of a date.
_GAP_RE: Final = re.compile(r"[\s\-/.,'’\"_\\()\[\]]*")
_DIRECTIVE_RE: Final = re.compile(r"%.")
_DAY_DIRECTIVES: Final = frozenset({"%d", "%j", "%c", "%x"})
_WEEK_DIRECTIVES: Final = frozenset({"%U", "%W", "%V"})
_WEEKDAY_DIRECTIVES: Final = frozenset({"%a", "%A", "%w", "%u"})
_MONTH_DIRECTIVES: Final = frozenset({"%m", "%b", "%B"})
_YEAR_DIRECTIVES: Final = frozenset({"%Y", "%y", "%G", "%c", "%x"})

# The rules of the matching stage's date keys (see :func:`date_key`), kept as they are.
_KEY_ISO_RE: Final = re.compile(r"(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})")
_KEY_DMY_RE: Final = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
_KEY_NON_DIGIT_RE: Final = re.compile(r"\D+")
_KEY_WORD_RE: Final = re.compile(r"(\d{1,2})?\s*([a-z]+)\.?\s*(\d{1,2})?,?\s*(\d{4})")
_KEY_MONTHS: Final = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# The merge stage's date-text formats (see :func:`timestamp`), kept as they are.
_TIMESTAMP_FORMATS: Final = (
    "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%d.%m.%Y", "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S", "%Y%m%d",
)  # fmt: skip


@attrs.frozen
class DateResult:
    """The result of :func:`normalize_date`.

    Attributes:
        original: the value exactly as given.
        value: the date in ISO form: ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` for a partial
            date; ``None`` when no date was read (placeholders keep theirs, with ``valid``
            false).
        year: the year, or ``None``.
        month: the month 1-12, or ``None`` (also for a year-only date).
        day: the day of the month, or ``None`` (also for a partial date).
        precision: ``"day"``, ``"month"`` or ``"year"``: how much of the date is known;
            ``None`` when no date was read.
        valid: a date was read and it is not a placeholder.
        issues: issue codes (see :data:`crmclean.ISSUE_CODES`).

    Example:
        >>> r = normalize_date("24 June 1971")
        >>> r.value, r.year, r.month, r.day, r.precision, r.key
        ('1971-06-24', 1971, 6, 24, 'day', '19710624')
    """

    original: object
    value: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    precision: str | None = None
    valid: bool = False
    issues: tuple[str, ...] = ()

    @property
    def key(self) -> str | None:
        """The date as a ``YYYYMMDD`` match key; ``None`` unless the day is known."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return _ymd(self.year, self.month, self.day)


class _Read(NamedTuple):
    """A date as read from the value, before it is checked: parts, and issues so far."""

    year: int
    month: int | None = None
    day: int | None = None
    issues: tuple[str, ...] = ()


def _ymd(year: int, month: int, day: int) -> str:
    return f"{year:04d}{month:02d}{day:02d}"


@functools.cache
def _words() -> dict[str, int]:
    """Folded word → month 1-12, or 0 for a word a date may hold that says nothing."""
    out: dict[str, int] = {}
    for row in load_rows("date_words.csv"):
        meaning = row["meaning"]
        out[_fold(row["word"])] = int(meaning) if meaning.isdigit() else 0
    return out


@functools.cache
def _placeholders() -> frozenset[str]:
    return frozenset(line.split("#", 1)[0].strip() for line in load_lines("date_placeholders.txt"))


def _fold(text: str) -> str:
    """Lower case without accents or invisible characters; full-width digits made ASCII."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.casefold()).replace("ı", "i")
    text = "".join(
        ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    )
    return unicodedata.normalize("NFC", text)  # Hangul syllables come back together


def _century(two_digits: int, today: dt.date) -> int:
    """A two-digit year in the hundred years that end ``_PIVOT_AHEAD`` years after today."""
    last = today.year + _PIVOT_AHEAD
    return last - (last - two_digits) % 100


def _day_month(a: int, b: int, dayfirst: bool) -> tuple[int, int, bool]:
    """(day, month, ambiguous) of two numbers written day and month in either order.

    The rule of the matching keys: day first when the first number cannot be a month, or when
    ``dayfirst`` and the second can; else month first.
    """
    ambiguous = 0 < a <= 12 and 0 < b <= 12 and a != b
    if a > 12 or (dayfirst and b <= 12):
        return a, b, ambiguous
    return b, a, ambiguous


def _year_of(token: str, today: dt.date, issues: list[str]) -> int:
    if len(token) == 2:
        issues.append("two_digit_year")
        return _century(int(token), today)
    return int(token)


def _from_numbers(tokens: list[str], dayfirst: bool, today: dt.date) -> _Read | None:
    """A date written in numbers only: ISO, day- or month-first, compact, partial."""
    issues: list[str] = []
    sizes = [len(t) for t in tokens]
    if sizes == [4]:
        return _Read(int(tokens[0]))
    if sizes == [8]:
        text = tokens[0]
        if _real(int(text[:4]), int(text[4:6]), int(text[6:])):
            return _Read(int(text[:4]), int(text[4:6]), int(text[6:]))
        return _from_numbers([text[:2], text[2:4], text[4:]], dayfirst, today)
    if sizes == [6]:
        text = tokens[0]
        if text[0] != "0" and 1 <= int(text[4:]) <= 12:
            return _Read(int(text[:4]), int(text[4:]))
        return _from_numbers([text[:2], text[2:4], text[4:]], dayfirst, today)
    if sorted(sizes) in ([1, 4], [2, 4]):  # 1971-06, 06/1971
        year_token, month_token = tokens if sizes[0] == 4 else tokens[::-1]
        return _Read(int(year_token), int(month_token))
    if len(sizes) != 3:
        return None
    if sizes[0] == 4 and sizes[1] <= 2 and sizes[2] <= 2:  # 1971-06-24
        return _Read(int(tokens[0]), int(tokens[1]), int(tokens[2]))
    if sizes[0] <= 2 and sizes[1] <= 2 and sizes[2] in (2, 4):  # 24/06/1971, 06/24/71
        year = _year_of(tokens[2], today, issues)
        day, month, ambiguous = _day_month(int(tokens[0]), int(tokens[1]), dayfirst)
        if ambiguous:
            issues.append("ambiguous_date")
        return _Read(year, month, day, tuple(issues))
    return None


def _from_words(numbers: list[str], month: int, today: dt.date) -> _Read | None:
    """A date written with a month name: the numbers are the day and the year, in any order."""
    issues: list[str] = []
    sizes = [len(t) for t in numbers]
    if sizes == [4]:  # June 1971
        return _Read(int(numbers[0]), month)
    if len(sizes) != 2:
        return None
    if sizes[0] <= 2 and sizes[1] in (2, 4):  # 24 June 1971, June 24, 71: the day comes first
        day_token, year_token = numbers
    elif sizes[0] == 4 and sizes[1] <= 2:  # 1971 June 24
        year_token, day_token = numbers
    else:
        return None
    return _Read(_year_of(year_token, today, issues), month, int(day_token), tuple(issues))


def _from_text(text: str, dayfirst: bool, today: dt.date) -> _Read | None:
    """The date a (folded) text holds, or ``None`` when it holds none."""
    match = _TIME_RE.search(text)
    if match is not None and match.start() > 0:
        text = text[: match.start()]
    text = text.strip()
    cjk = _CJK_RE.fullmatch(text)
    if cjk is not None:
        issues: list[str] = []
        year = _year_of(cjk.group(1), today, issues)
        month = int(cjk.group(2)) if cjk.group(2) else None
        day = int(cjk.group(3)) if cjk.group(3) else None
        return _Read(year, month, day, tuple(issues))
    numbers: list[str] = []
    months: list[int] = []
    end = 0
    for token in _TOKEN_RE.finditer(text):
        if not _GAP_RE.fullmatch(text, end, token.start()):
            return None
        end = token.end()
        if token.group(1) is not None:
            numbers.append(token.group(1))
            continue
        meaning = _words().get(token.group(2))
        if meaning is None:
            return None
        if meaning:
            months.append(meaning)
    if not _GAP_RE.fullmatch(text, end) or not numbers:
        return None
    if not months:
        return _from_numbers(numbers, dayfirst, today)
    if len(months) == 1:
        return _from_words(numbers, months[0], today)
    return None


def _from_format(text: str, date_format: str) -> _Read | None:
    try:
        moment = dt.datetime.strptime(text, date_format)
    except ValueError:
        return None
    directives = set(_DIRECTIVE_RE.findall(date_format))
    if directives & _DAY_DIRECTIVES or (
        directives & _WEEK_DIRECTIVES and directives & _WEEKDAY_DIRECTIVES
    ):
        return _Read(moment.year, moment.month, moment.day)
    if directives & _MONTH_DIRECTIVES:
        return _Read(moment.year, moment.month)
    return _Read(moment.year)


def _from_number(number: float, dayfirst: bool, today: dt.date) -> _Read | None:
    """A number: four or eight digits are read as their text (a year, a spreadsheet's
    ``YYYYMMDD``); any other number is seconds since 1970 (milliseconds when too large for
    seconds). ``None`` when out of the calendar's range."""
    if number.is_integer() and (1000 <= number <= 9999 or 10_000_000 <= number <= 99_999_999):
        return _from_numbers([str(int(number))], dayfirst, today)
    seconds = number / 1000.0 if abs(number) >= _MILLISECONDS_FROM else number
    ordinal = _EPOCH_ORDINAL + math.floor(seconds / 86_400)
    if not 1 <= ordinal <= _MAX_ORDINAL:
        return None
    day = dt.date.fromordinal(ordinal)
    return _Read(day.year, day.month, day.day)


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _read(
    value: object, dayfirst: bool, date_format: str | None, today: dt.date
) -> tuple[_Read | None, list[str]]:
    """The date a cell value holds, and the issues met before any date was read."""
    if isinstance(value, str):
        return _read_text(value, dayfirst, date_format, today)
    if value is None or is_null(value):  # before the date types: pandas' NaT is a datetime
        return None, ["missing"]
    if isinstance(value, dt.date):  # datetime, pandas Timestamp: the date as written
        return _Read(value.year, value.month, value.day), []
    if type(value).__name__ == "datetime64":  # numpy: its text is ISO, of its own precision
        value = str(value)
    elif hasattr(value, "dtype") and getattr(value, "shape", None) == ():
        value = value.item()  # type: ignore[attr-defined]  # a numpy number
        if isinstance(value, dt.date):
            return _Read(value.year, value.month, value.day), []
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if isinstance(value, Decimal) and value.is_nan():
            return None, ["missing"]
        try:
            number = float(value)
        except OverflowError:
            return None, ["invalid_date"]
        if not math.isfinite(number):
            return None, ["unsupported_type"]
        read = _from_number(number, dayfirst, today)
        return read, [] if read is not None else ["invalid_date"]
    raw, problem = coerce_text(value)
    if raw is None:
        return None, [problem or "missing"]
    return _read_text(raw, dayfirst, date_format, today)


def _read_text(
    raw: str, dayfirst: bool, date_format: str | None, today: dt.date
) -> tuple[_Read | None, list[str]]:
    """The date a text holds, and the issues met before any date was read."""
    issues: list[str] = []
    if len(raw) > _MAX_DATE_CHARS:
        raw = raw[:_MAX_DATE_CHARS]
        issues.append("too_long")
    text = raw.strip()
    if not text:
        return None, ["missing"]
    if date_format is not None:
        read = _from_format(text, date_format)
        if read is not None:
            return read, issues
    fast = _YMD_FAST_RE.fullmatch(text)
    if fast is not None:
        return _Read(int(fast.group(1)), int(fast.group(3)), int(fast.group(4))), issues
    fast = _DMY_FAST_RE.fullmatch(text)
    if fast is not None:
        return _from_numbers([fast.group(1), fast.group(3), fast.group(4)], dayfirst, today), issues
    read = _from_text(_fold(text), dayfirst, today)
    if read is None:
        issues.append("not_a_date")
    return read, issues


@functools.lru_cache(maxsize=256)
def _check_format(date_format: str) -> str:
    """The strptime format, checked once: it must read back a date it wrote."""
    if not set(_DIRECTIVE_RE.findall(date_format)) & _YEAR_DIRECTIVES:
        raise ConfigError("option 'date_format' must hold a year directive: %Y, %y, %G, %c or %x")
    sample = dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=_UTC)
    try:
        dt.datetime.strptime(sample.strftime(date_format), date_format)
    except ValueError as exc:
        raise ConfigError(
            "option 'date_format' is not a strptime format that reads back what it writes"
        ) from exc
    return date_format


def _today(today: object) -> dt.date:
    if today is None:
        return dt.date.today()
    if isinstance(today, dt.datetime):
        return today.date()
    if isinstance(today, dt.date):
        return today
    raise TypeError(f"option 'today' must be a datetime.date, not {type(today).__name__}")


def normalize_date(
    value: object,
    *,
    dayfirst: bool = True,
    date_format: str | None = None,
    today: dt.date | None = None,
) -> DateResult:
    """Read a date in any of the forms CRM fields hold and give it in ISO form.

    Reads ISO dates and timestamps (``1971-06-24``, ``2024-03-05T10:00:00Z``,
    ``2024-03-05 10:00:00+03:00``: the date as written, the time dropped), ``19710624``,
    numeric dates with ``/``, ``.`` or ``-`` (``24/06/1971``, ``24.06.1971``), month names and
    abbreviations in English, German, French, Spanish, Portuguese, Italian, Dutch, Turkish,
    Russian (``июня`` too), Polish and the Scandinavian languages (``24 June 1971``,
    ``June 24, 1971``, ``24-JUN-71``, ``24 de junio de 1971``), ``1971年6月24日``, numbers (a
    year, ``19710624``, or seconds since 1970, milliseconds when at least 10**11), and
    ``datetime.date``/``datetime``/pandas ``Timestamp``/numpy ``datetime64`` values.

    Two numbers that may be day and month are read day first when the first cannot be a month
    (``24/06``), month first when the second cannot be (``06/24``), and otherwise as
    ``dayfirst`` says, with the issue ``ambiguous_date``. A two-digit year is read in the
    hundred years that end 20 years after ``today`` (in 2026: 1947-2046), with the issue
    ``two_digit_year``.

    ``1971`` and ``June 1971`` are valid partial dates (issue ``partial_date``, ``.precision``
    ``"year"`` or ``"month"``). A date that does not exist (``1971-02-30``) gives
    ``invalid_date``; a date systems store for "unknown" (``1900-01-01``, ``1970-01-01``,
    ``9999-12-31``, see ``normalize/data/date_placeholders.txt``) gives ``placeholder_date`` and
    is not valid; a date after ``today`` gives ``future_date`` and stays valid.

    Args:
        value: any cell value.
        dayfirst: read ``03/04/1971`` as 3 April (``False``: as 4 March).
        date_format: a :func:`~datetime.datetime.strptime` format tried first on text
            (``"%d %b %Y"``); text it does not fit is read as usual.
        today: the date that ``future_date`` and two-digit years are judged from (default: the
            current date).

    Raises:
        TypeError: an option has the wrong type.
        ConfigError: ``date_format`` is not a strptime format.

    Example:
        >>> normalize_date("24.06.1971").value
        '1971-06-24'
        >>> r = normalize_date("06/24/71", today=dt.date(2026, 1, 1))
        >>> r.value, r.issues
        ('1971-06-24', ('two_digit_year',))
        >>> normalize_date("03/04/1971", dayfirst=False).issues
        ('ambiguous_date',)
        >>> r = normalize_date("June 1971")
        >>> r.value, r.precision, r.issues
        ('1971-06', 'month', ('partial_date',))
        >>> normalize_date("1900-01-01").valid, normalize_date("1971-02-30").issues
        (False, ('invalid_date',))
    """
    dayfirst = require_bool("dayfirst", dayfirst)
    date_format = require_str("date_format", date_format)
    if date_format is not None:
        date_format = _check_format(date_format)
    when = _today(today)
    read, issues = _read(value, dayfirst, date_format, when)
    if read is None:
        return DateResult(original=value, issues=tuple(issues))
    issues.extend(read.issues)
    return _checked(value, read, issues, when)


def _checked(value: object, read: _Read, issues: list[str], today: dt.date) -> DateResult:
    """The result for a date read from the value: existence, placeholder, future, partial."""
    year, month, day = read.year, read.month, read.day
    if day is not None and month is not None:
        iso = f"{year:04d}-{month:02d}-{day:02d}"
        exists = _real(year, month, day)
        precision = "day"
    elif month is not None:
        iso = f"{year:04d}-{month:02d}"
        exists = 1 <= year <= 9999 and 1 <= month <= 12
        precision = "month"
    else:
        iso = f"{year:04d}"
        exists = 1 <= year <= 9999
        precision = "year"
    if iso in _placeholders():
        issues.append("placeholder_date")
        if not exists:
            return DateResult(original=value, issues=tuple(issues))
        return DateResult(
            original=value, value=iso, year=year, month=month, day=day, precision=precision,
            issues=tuple(issues),
        )  # fmt: skip
    if not exists:
        issues.append("invalid_date")
        return DateResult(original=value, issues=tuple(issues))
    if precision != "day":
        issues.append("partial_date")
    if precision == "day":
        later = (year, month, day) > (today.year, today.month, today.day)
    elif precision == "month":
        later = (year, month) > (today.year, today.month)
    else:
        later = year > today.year
    if later:
        issues.append("future_date")
    return DateResult(
        original=value, value=iso, year=year, month=month, day=day, precision=precision,
        valid=True, issues=tuple(issues),
    )  # fmt: skip


# --- the matching and merge stages' readings ---------------------------------------------------


def date_key(value: object, *, dayfirst: bool = True) -> str | None:
    """A date as the ``YYYYMMDD`` match key of the matching stage, or ``None``.

    Gives exactly what the matching stage's date keys have always been, so that matching
    results do not move: date objects read by :func:`normalize_date`; text by the key rules,
    which are looser than :func:`normalize_date` on purpose. An ISO or day/month/year date at
    the start of the text is taken without checking that the day exists, and eight digits
    that do not form a real date are kept as they are, so that a typo in a date still meets
    the right date with one edit. Numeric dates follow the day/month rule of
    :func:`normalize_date`; month names are read in English, by their first three letters.

    Example:
        >>> date_key("1971-06-24"), date_key("24/06/1971"), date_key("19710624")
        ('19710624', '19710624', '19710624')
        >>> date_key("06/24/1971"), date_key("24 June 1971"), date_key(None)
        ('19710624', '19710624', None)
        >>> date_key("19710231"), normalize_date("19710231").key
        ('19710231', None)
    """
    dayfirst = require_bool("dayfirst", dayfirst)
    if isinstance(value, dt.date):  # datetime, pandas Timestamp (NaT holds no date)
        return None if is_null(value) else normalize_date(value, today=dt.date.max).key
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        try:
            return _ymd(int(value.year), int(value.month), int(value.day))
        except (TypeError, ValueError, OverflowError):
            return None
    text, _ = coerce_text(value)
    if not text:
        return None
    text = text.strip().lower()[:40]
    match = _KEY_ISO_RE.match(text)
    if match:
        return _ymd(*(int(g) for g in match.groups()))
    match = _KEY_DMY_RE.match(text)
    if match:
        a, b, year = (int(g) for g in match.groups())
        day, month, _ = _day_month(a, b, dayfirst)
        return _ymd(year, month, day)
    digits = _KEY_NON_DIGIT_RE.sub("", text)
    if len(digits) == 8 and digits == text:
        return digits
    match = _KEY_WORD_RE.search(text)
    if match and match.group(2)[:3] in _KEY_MONTHS:
        day_text = match.group(1) or match.group(3)
        if day_text:
            return _ymd(int(match.group(4)), _KEY_MONTHS[match.group(2)[:3]], int(day_text))
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
    for fmt in _TIMESTAMP_FORMATS:
        try:
            return _to_timestamp(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    return math.nan


def timestamp(value: object, date_format: str | None = None) -> float:
    """Seconds since 1970 (UTC) of a date cell, as the merge stage reads it; NaN when the cell
    holds no date it reads.

    Text is read as ISO 8601 (naive times as UTC), ``YYYY/MM/DD``, ``DD.MM.YYYY`` or
    ``YYYYMMDD``, after ``date_format`` when one is given; ``date``, ``datetime`` and numpy
    ``datetime64`` values as they are; numbers as seconds, or milliseconds when at least
    10**11. Unlike :func:`normalize_date` it keeps the time of day, which decides between two
    updates of one day.

    Example:
        >>> timestamp("2024-03-01T00:00:00Z"), timestamp(dt.date(2024, 3, 1))
        (1709251200.0, 1709251200.0)
        >>> timestamp("01/03/2024", "%d/%m/%Y"), timestamp("soon")
        (1709251200.0, nan)
    """
    date_format = require_str("date_format", date_format)
    if isinstance(value, str):
        return _text_timestamp(value, date_format)
    if value is None or isinstance(value, bool) or is_null(value):
        return math.nan
    if isinstance(value, dt.datetime):
        return _to_timestamp(value)
    if isinstance(value, dt.date):
        return _to_timestamp(dt.datetime(value.year, value.month, value.day))
    import numpy as np

    if isinstance(value, np.datetime64):
        return float(value.astype("datetime64[us]").astype(np.int64)) / 1e6
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            return math.nan
        return number / 1000.0 if abs(number) >= _MILLISECONDS_FROM else number
    return math.nan
