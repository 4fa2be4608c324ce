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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import jellyfish
import numpy as np
import numpy.typing as npt

from crmclean.errors import ColumnError, ConfigError
from crmclean.frames import ColumnBatch
from crmclean.normalize._base import coerce_text
from crmclean.normalize._batch import as_list, normalize_many
from crmclean.normalize.addresses import normalize_address_rows, normalize_country
from crmclean.normalize.companies import normalize_company
from crmclean.normalize.emails import normalize_email
from crmclean.normalize.names import canonical_given_name, parse_name
from crmclean.normalize.phones import normalize_phone_rows, phone_region, phone_regions
from crmclean.normalize.text import compact_key, match_key
from crmclean.normalize.titles import normalize_title

__all__ = [
    "KEY_COLUMNS",
    "EncodedColumn",
    "EncodedKeys",
    "date_key",
    "encode_keys",
    "prepare_columns",
]

#: The key columns :func:`prepare_columns` can produce, with what each holds.
KEY_COLUMNS: Final[Mapping[str, str]] = {
    "given": "given name, compact ASCII key (first given name only): 'jose'",
    "given_canonical": "given name with nicknames resolved: 'bob' -> 'robert'",
    "family": "family name, compact ASCII key: 'obrien'",
    "family_phonetic": "phonetic code of the family name",
    "email": "email match key (provider rules applied: gmail dots and +tags removed)",
    "phone": "phone number, E.164 when it parses, else its digits",
    "mobile": "mobile number, like phone",
    "dob": "date of birth as YYYYMMDD",
    "house_number": "house number, compact key",
    "street": "street name without the house number, compact key",
    "address_2": "second address line, compact key",
    "city": "city, compact key",
    "region": "state or region, compact key",
    "postcode": "postcode, compact key",
    "country": "country, ISO 3166-1 alpha-2 code when known",
    "national_id": "national identifier (social security number, ...), letters and digits",
    "company": "company key (legal form removed)",
    "title": "canonical job title",
}

IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int32]

_DIGITS: Final = re.compile(r"\d+")
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


def _compact(value: object) -> str | None:
    key = compact_key(value)
    return key or None


def _first_word_key(value: object) -> str | None:
    words = match_key(value).split()
    return words[0] if words else None


def _canonical_given(key: str | None) -> str | None:
    if key is None:
        return None
    return compact_key(canonical_given_name(key)) or key


def _phonetic(key: str | None) -> str | None:
    if not key:
        return None
    return jellyfish.metaphone(key).lower() or key


def _names(columns: ColumnBatch, roles: Mapping[str, str], out: ColumnBatch, n: int) -> None:
    given: list[str | None] = [None] * n
    family: list[str | None] = [None] * n
    if "full_name" in roles:
        parsed = normalize_many(parse_name, columns[roles["full_name"]])
        given = [_first_word_key(r.given) for r in parsed]
        family = [_compact(r.family) for r in parsed]
    if "first_name" in roles:
        firsts = normalize_many(_first_word_key, columns[roles["first_name"]])
        given = [f if f is not None else g for f, g in zip(firsts, given, strict=True)]
    if "last_name" in roles:
        lasts = normalize_many(_compact, columns[roles["last_name"]])
        family = [f if f is not None else g for f, g in zip(lasts, family, strict=True)]
    if not any(("full_name" in roles, "first_name" in roles, "last_name" in roles)):
        return
    out["given"] = given
    out["given_canonical"] = normalize_many(_canonical_given, given)
    out["family"] = family
    out["family_phonetic"] = normalize_many(_phonetic, family)


def _email_key(result: Any) -> str | None:
    if "fake_email" in result.issues:
        return None
    key = result.match_key or result.normalized
    if key:
        return str(key)
    text, _ = coerce_text(result.original)
    if not text or "@" not in text:
        return None
    return "".join(text.lower().split()) or None


def _phone_keys(values: Sequence[Any], regions: Sequence[str | None]) -> list[str | None]:
    out: list[str | None] = []
    for result in normalize_phone_rows(values, regions):
        if "fake_phone" in result.issues:
            out.append(None)
        elif result.e164:
            out.append(str(result.e164))
        else:
            text, _ = coerce_text(result.original)
            digits = _NON_DIGIT.sub("", text or "")
            out.append(digits if len(digits) >= 6 else None)
    return out


def _country_keys(values: Sequence[Any]) -> list[str | None]:
    return [c.lower() if c else None for c in normalize_many(normalize_country, values)]


_ADDRESS_PARTS: Final = (("city", "city"), ("region", "region"), ("postcode", "postcode"),
                         ("country", "country"))  # fmt: skip


def _address(
    columns: ColumnBatch, roles: Mapping[str, str], out: ColumnBatch, n: int,
    region: str | None = None,
) -> list[Any] | None:
    """House number and street keys; returns the parsed addresses (one per row) when the
    address normalizer ran, so that city, region and postcode keys can come from it too.

    Each row is parsed with its own city, region, postcode and country (or ``region`` as the
    default country), so that a US street is read by USPS rules (``north`` → ``N``,
    ``Street`` → ``St``) and a ZIP+4 meets its ZIP."""
    street_role = "street" if "street" in roles else ("address" if "address" in roles else None)
    number_role = "house_number" if "house_number" in roles else None
    if street_role is None and number_role is None:
        return None
    streets: list[str | None] = [None] * n
    numbers: list[str | None] = [None] * n
    parsed: list[Any] | None = None
    if street_role is not None:
        parts = {"street": columns[roles[street_role]]}
        parts.update({key: columns[roles[role]] for key, role in _ADDRESS_PARTS if role in roles})
        # the default phone region is the default country, where it is one (not "AC", "XK")
        default = region if normalize_country(region) == region else None
        parsed = normalize_address_rows(parts, country=default)
        streets = [_compact(r.street) for r in parsed]
        numbers = [_compact(r.house_number) for r in parsed]
    if number_role is not None:
        explicit = normalize_many(_compact, columns[roles[number_role]])
        numbers = [e if e is not None else m for e, m in zip(explicit, numbers, strict=True)]
    out["house_number"] = numbers
    out["street"] = streets
    return parsed


def _part_key(result: Any, part: str) -> str | None:
    if part == "postcode":
        return _postcode_key(result)
    return _compact(getattr(result, part, None))


def _postcode_key(result: Any) -> str | None:
    code = getattr(result, "postcode", None)
    if not code:
        return None
    key = _compact(code)
    if key and getattr(result, "country", None) == "US" and len(key) > 5:
        return key[:5]  # ZIP+4 meets its ZIP
    return key


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
    n = len(next(iter(columns.values()))) if columns else 0
    out: ColumnBatch = {}
    _names(columns, roles, out, n)
    if "email" in roles:
        emails = normalize_many(normalize_email, columns[roles["email"]])
        out["email"] = [_email_key(r) for r in emails]
    region = phone_region(region)  # raises ConfigError for an unknown region
    if "phone" in roles or "mobile" in roles:
        regions = (phone_regions(columns[roles["country"]], region) if "country" in roles
                   else [region] * n)  # fmt: skip
        for role in ("phone", "mobile"):
            if role in roles:
                out[role] = _phone_keys(as_list(columns[roles[role]]), regions)
    if "dob" in roles:
        out["dob"] = normalize_many(lambda v: date_key(v, dayfirst=dayfirst), columns[roles["dob"]])
    parsed = _address(columns, roles, out, n, region)
    for role in ("address_2", "city", "region", "postcode", "national_id"):
        if role in roles:
            out[role] = normalize_many(_compact, columns[roles[role]])
    if parsed is not None:
        # the parsed address knows "Illinois" is "IL" and "62701-1234" is ZIP 62701; a raw key
        # stays where parsing found nothing
        for role in ("city", "region", "postcode"):
            if role in roles:
                out[role] = [_part_key(r, role) or raw
                             for r, raw in zip(parsed, out[role], strict=True)]  # fmt: skip
    if "country" in roles:
        out["country"] = _country_keys(as_list(columns[roles["country"]]))
    if "company" in roles:
        out["company"] = [_compact(r.key) for r in normalize_many(normalize_company,
                                                                  columns[roles["company"]])]
    if "title" in roles:
        out["title"] = [r.canonical for r in normalize_many(normalize_title,
                                                             columns[roles["title"]])]
    return out


# --- encoded keys --------------------------------------------------------------------------


class EncodedColumn:
    """One key column as integer codes: ``codes[i]`` indexes ``vocab``; ``-1`` is null.

    Example:
        >>> col = EncodedColumn.from_values(["ann", None, "bob", "ann"])
        >>> col.codes.tolist(), col.vocab.tolist()
        ([0, -1, 1, 0], ['ann', 'bob'])
    """

    __slots__ = ("_rank", "codes", "vocab")

    def __init__(self, codes: CodeArray, vocab: npt.NDArray[np.object_]) -> None:
        self.codes = codes
        self.vocab = vocab
        self._rank: IntArray | None = None

    @classmethod
    def from_values(
        cls, values: Iterable[object], table: dict[str, int] | None = None
    ) -> EncodedColumn:
        """Encode a column of keys (``str`` or null); ``table`` shares a vocabulary.

        Example:
            >>> col = EncodedColumn.from_values(["b", None, "a", "b"])
            >>> col.codes.tolist(), col.vocab.tolist()
            ([0, -1, 1, 0], ['b', 'a'])
        """
        table = {} if table is None else table
        setdefault = table.setdefault
        codes = [
            setdefault(v, len(table)) if isinstance(v, str) and v else -1 for v in values
        ]
        vocab = np.empty(len(table), dtype=object)
        vocab[:] = list(table)
        return cls(np.asarray(codes, dtype=np.int32).reshape(-1), vocab)

    def map_vocab(self, fn: Callable[[str], str | None]) -> EncodedColumn:
        """A derived column: ``fn`` applied to each distinct key (``None`` → null).

        Example:
            >>> col = EncodedColumn.from_values(["anna", "bob", None])
            >>> col.map_vocab(lambda k: k[0]).vocab.tolist()
            ['a', 'b']
        """
        table: dict[str, int] = {}
        mapping = np.full(len(self.vocab) + 1, -1, dtype=np.int32)
        for i, key in enumerate(self.vocab):
            derived = fn(key)
            if derived:
                mapping[i] = table.setdefault(derived, len(table))
        vocab = np.empty(len(table), dtype=object)
        vocab[:] = list(table)
        return EncodedColumn(mapping[self.codes], vocab)  # -1 indexes the trailing -1

    def rank(self) -> IntArray:
        """Each record's key rank in sorted key order (nulls last), for sorting records.

        Example:
            >>> EncodedColumn.from_values(["b", None, "a"]).rank().tolist()
            [1, 2, 0]
        """
        if self._rank is None:
            order = np.argsort(self.vocab.astype(str), kind="stable") if len(self.vocab) else (
                np.zeros(0, dtype=np.int64)
            )
            vocab_rank = np.empty(len(self.vocab) + 1, dtype=np.int64)
            vocab_rank[order] = np.arange(len(self.vocab))
            vocab_rank[-1] = len(self.vocab)
            self._rank = vocab_rank[self.codes]
        return self._rank

    def __len__(self) -> int:
        return len(self.codes)


_DERIVED: Final = re.compile(r"^([a-z_0-9]+?)(?:\[(-?\d*):(-?\d*)\]|\.(local|domain))?$")


class EncodedKeys:
    """A batch of key columns encoded as integer codes, with derived columns made on demand.

    Column names may carry a slice or a part: ``"family[:3]"`` (first three characters),
    ``"phone[-7:]"`` (last seven), ``"email.local"``, ``"email.domain"``. Derived columns are
    computed on the distinct keys only and cached. ``given`` and ``family`` share one
    vocabulary so that swapped first and last names can be compared.

    Example:
        >>> keys = encode_keys({"family": ["smith", "smyth", None]})
        >>> keys.n, keys["family"].codes.tolist(), keys["family[:2]"].codes.tolist()
        (3, [0, 1, -1], [0, 0, -1])
    """

    def __init__(self, columns: dict[str, EncodedColumn], n: int) -> None:
        self.n = n
        self._columns = columns
        self._base = tuple(columns)

    @property
    def names(self) -> tuple[str, ...]:
        """The base column names."""
        return self._base

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        match = _DERIVED.match(name)
        return match is not None and match.group(1) in self._base

    def __getitem__(self, name: str) -> EncodedColumn:
        column = self._columns.get(name)
        if column is not None:
            return column
        match = _DERIVED.match(name)
        if match is None or match.group(1) not in self._base:
            raise ColumnError(f"no key column {name!r}; key columns are: {', '.join(self.names)}")
        base = self._columns[match.group(1)]
        if match.group(4) is not None:
            part = 0 if match.group(4) == "local" else 1
            derived = base.map_vocab(lambda k: k.partition("@")[::2][part] or None)
        elif match.group(2) is not None or match.group(3) is not None:
            start = int(match.group(2)) if match.group(2) else None
            stop = int(match.group(3)) if match.group(3) else None
            derived = base.map_vocab(lambda k: k[start:stop] or None)
        else:  # pragma: no cover - the regex always has a part or a slice here
            raise ConfigError(f"bad key column name {name!r}")
        self._columns[name] = derived
        return derived

    def non_null(self, name: str) -> int:
        """How many records have a key in that column.

        Example:
            >>> encode_keys({"email": ["a@x.org", None]}).non_null("email")
            1
        """
        return int(np.count_nonzero(self[name].codes >= 0))

    def take(self, index: npt.NDArray[np.int64]) -> EncodedKeys:
        """The records at ``index`` (a permutation or a subset), base columns only.

        Example:
            >>> import numpy as np
            >>> keys = encode_keys({"email": ["a@x.org", None, "b@x.org"]})
            >>> keys.take(np.array([2, 0])).non_null("email")
            2
        """
        columns = {
            name: EncodedColumn(self._columns[name].codes[index], self._columns[name].vocab)
            for name in self._base
        }
        return EncodedKeys(columns, len(index))


_SHARED_VOCAB: Final = (("given", "family"),)


def encode_keys(keys: Mapping[str, Sequence[object]]) -> EncodedKeys:
    """Encode a batch of key columns (from :func:`prepare_columns`) as integer codes.

    Raises:
        TypeError: the columns differ in length.

    Example:
        >>> keys = encode_keys({"given": ["ann", "smith"], "family": ["smith", None]})
        >>> keys["given"].codes.tolist(), keys["family"].codes.tolist()
        ([0, 1], [1, -1])
    """
    lists = {name: as_list(values) for name, values in keys.items()}
    lengths = {len(v) for v in lists.values()}
    if len(lengths) > 1:
        raise TypeError("the key columns have different lengths")
    n = lengths.pop() if lengths else 0
    tables: dict[str, dict[str, int]] = {}
    for group in _SHARED_VOCAB:
        shared: dict[str, int] = {}
        for name in group:
            tables[name] = shared
    columns = {
        name: EncodedColumn.from_values(values, tables.get(name)) for name, values in lists.items()
    }
    # a shared vocabulary grows while its columns are encoded: give each the full one
    for group in _SHARED_VOCAB:
        present = [name for name in group if name in columns]
        if present:
            full = np.empty(len(tables[present[0]]), dtype=object)
            full[:] = list(tables[present[0]])
            for name in present:
                columns[name].vocab = full
    return EncodedKeys(columns, n)
