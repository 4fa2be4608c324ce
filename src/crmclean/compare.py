"""Compare: each candidate pair gets one discrete agreement level per field.

A :class:`Comparison` names a field, its kind of comparator and its key columns. Its levels go
from ``0`` (the values disagree) up to the highest level (exact agreement); ``-1`` is the null
level (a value is missing on either side), which carries no evidence either way.

The comparators work on whole arrays. Candidate pairs are two integer index arrays; keys are
integer codes (:class:`crmclean.prepare.EncodedKeys`), so exact agreement is an integer
comparison, and string similarity is computed once per *distinct* pair of strings, through
rapidfuzz ``process.cpdist`` on worker threads. There is no Python loop per pair.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from crmclean.encode import EncodedColumn, EncodedKeys
from crmclean.errors import ConfigError

__all__ = [
    "COMPARATOR_KINDS",
    "Comparison",
    "compare_all",
    "compare_pairs",
    "similarity",
]

IntArray = npt.NDArray[np.int64]
LevelArray = npt.NDArray[np.int8]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_PARALLEL_PAIRS: Final = 2_000  # distinct string pairs from which scoring runs on all cores

#: Comparator kinds: the key columns each takes and its default thresholds.
COMPARATOR_KINDS: Final[Mapping[str, tuple[tuple[str, ...], tuple[float, ...], str]]] = {
    "exact": (("key",), (), "exact / else"),
    "string": (("key",), (0.92, 0.8), "exact / Jaro-Winkler >= each threshold / else"),
    "code": (("key",), (1,), "exact / at most N edits (transpositions count as one) / else"),
    "given_name": (
        ("given", "given_canonical", "family"),
        (0.92, 0.8),
        "exact / same canonical name (nickname) / JW >= t1 / swapped with the family name / "
        "an initial of the other / JW >= t2 / else",
    ),
    "family_name": (
        ("family", "family_phonetic", "given"),
        (0.92, 0.8),
        "exact / same phonetic code / JW >= t1 / swapped with the given name / JW >= t2 / else",
    ),
    "email": (("email",), (0.88,), "exact / same local part, other domain / JW >= t / else"),
    "phone": (
        ("phone",),
        (1,),
        "exact / same last 7 digits, other prefix / at most N digit edits / else",
    ),
    "date": (
        ("dob",),
        (31, 366),
        "exact / one typo or day and month swapped / within each number of days / else",
    ),
    "address": (
        ("street", "house_number"),
        (0.9,),
        "exact street and house number / similar street (JW >= t), same number / "
        "similar street / else",
    ),
}


def _level_names(kind: str, thresholds: tuple[float, ...]) -> tuple[str, ...]:
    """Level labels, index = level (0 = else, last = exact)."""
    t = thresholds
    if kind == "exact":
        return ("else", "exact")
    if kind == "string":
        return ("else", *(f"jw>={x:g}" for x in reversed(t)), "exact")
    if kind == "code":
        return ("else", *(f"edits<={x:g}" for x in reversed(t)), "exact")
    if kind == "given_name":
        return ("else", f"jw>={t[1]:g}", "initial", "swapped", f"jw>={t[0]:g}", "nickname", "exact")
    if kind == "family_name":
        return ("else", f"jw>={t[1]:g}", "swapped", f"jw>={t[0]:g}", "phonetic", "exact")
    if kind == "email":
        return ("else", f"jw>={t[0]:g}", "same_local", "exact")
    if kind == "phone":
        return ("else", *(f"edits<={x:g}" for x in reversed(t)), "same_last_digits", "exact")
    if kind == "date":
        return ("else", *(f"days<={x:g}" for x in reversed(t)), "typo", "exact")
    if kind == "address":
        return ("else", "street_similar", "number_street_similar", "exact")
    raise ConfigError(f"unknown comparator kind {kind!r}")  # pragma: no cover


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, (str, bytes)):
        raise TypeError("columns must be a tuple of key column names, not a str")
    return tuple(values)


def _float_tuple(values: object) -> tuple[float, ...]:
    if values is None:
        return ()
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError("thresholds must be a sequence of numbers")
    return tuple(float(v) for v in values)


def _optional_probabilities(values: object) -> tuple[float, ...] | None:
    if values is None:
        return None
    return _float_tuple(values)


@attrs.frozen
class Comparison:
    """One field of the match model: its comparator, key columns and (once fitted) m and u.

    Attributes:
        name: the field's name (``gamma_<name>`` in the pairs table).
        kind: one of :data:`COMPARATOR_KINDS`.
        columns: key columns, as many as the kind takes (default: the kind's usual columns).
        thresholds: Jaro-Winkler bands (descending), edit distances or day windows
            (ascending); empty for the kind's defaults.
        tf: adjust the exact level's weight by how frequent the value is (a shared rare
            name counts more than a shared "smith").
        m: per level, the probability of that level among true matches (fitted).
        u: per level, its probability among non-matches (fitted).

    Example:
        >>> c = Comparison("given", "given_name")
        >>> c.columns, c.levels
        (('given', 'given_canonical', 'family'), ('else', 'jw>=0.8', 'initial', 'swapped', \
'jw>=0.92', 'nickname', 'exact'))
    """

    name: str
    kind: str
    columns: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    thresholds: tuple[float, ...] = attrs.field(default=(), converter=_float_tuple)
    tf: bool = False
    m: tuple[float, ...] | None = attrs.field(default=None, converter=_optional_probabilities)
    u: tuple[float, ...] | None = attrs.field(default=None, converter=_optional_probabilities)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ConfigError("a comparison name must be an identifier such as 'email'")
        if self.kind not in COMPARATOR_KINDS:
            raise ConfigError(
                f"unknown comparator kind {self.kind!r}; kinds are: {', '.join(COMPARATOR_KINDS)}"
            )
        usual, default_thresholds, _ = COMPARATOR_KINDS[self.kind]
        if not self.columns:
            object.__setattr__(self, "columns", (self.name,) if usual == ("key",) else usual)
        if len(self.columns) != len(usual):
            raise ConfigError(
                f"comparison {self.name!r}: kind {self.kind!r} takes {len(usual)} key column(s)"
            )
        if not self.thresholds:
            object.__setattr__(self, "thresholds", default_thresholds)
        self._check_thresholds()
        if not isinstance(self.tf, bool):
            raise TypeError("option 'tf' must be a bool")
        n = len(self.levels)
        for label, probs in (("m", self.m), ("u", self.u)):
            if probs is not None and (
                len(probs) != n or any(not (0 < p <= 1) or math.isnan(p) for p in probs)
            ):
                raise ConfigError(
                    f"comparison {self.name!r}: {label} needs {n} probabilities in (0, 1]"
                )

    def _check_thresholds(self) -> None:
        t = self.thresholds
        kind = self.kind
        if kind in ("given_name", "family_name") and len(t) != 2:
            raise ConfigError(f"comparison {self.name!r}: kind {kind!r} takes two thresholds")
        if kind in ("email", "address") and len(t) != 1:
            raise ConfigError(f"comparison {self.name!r}: kind {kind!r} takes one threshold")
        similarity_kind = kind in ("string", "given_name", "family_name", "email", "address")
        if similarity_kind and (
            any(not 0 < x <= 1 for x in t) or list(t) != sorted(t, reverse=True)
        ):
            raise ConfigError(
                f"comparison {self.name!r}: similarity thresholds must be in (0, 1], "
                "highest first"
            )
        distance_kind = kind in ("code", "phone", "date")
        if distance_kind and (
            any(x < 1 or x != int(x) for x in t) or list(t) != sorted(set(t))
        ):
            raise ConfigError(
                f"comparison {self.name!r}: distances must be whole numbers >= 1, "
                "smallest first"
            )

    @property
    def levels(self) -> tuple[str, ...]:
        """Level labels; the index of a label is its level (0 = else, last = exact)."""
        return _level_names(self.kind, self.thresholds)

    @property
    def key_column(self) -> str:
        """The key column whose value frequencies drive the term-frequency adjustment."""
        return self.columns[0]

    def has_exact_key_level(self) -> bool:
        """Whether the top level means "equal key in the first column" (true for all kinds
        except ``address``, whose top level also needs the house number).

        Example:
            >>> Comparison("email", "email").has_exact_key_level()
            True
        """
        return self.kind != "address"


# --- similarity on distinct pairs -----------------------------------------------------------


def _distinct_pairs(a: IntArray, b: IntArray, size: int) -> tuple[IntArray, IntArray, IntArray]:
    """Distinct unordered code pairs: ``(first, second, inverse)``, sort-based."""
    lo = np.minimum(a, b).astype(np.int64)
    hi = np.maximum(a, b).astype(np.int64)
    code = lo * size + hi
    order = np.argsort(code)
    sorted_code = code[order]
    first = np.ones(len(code), dtype=bool)
    np.not_equal(sorted_code[1:], sorted_code[:-1], out=first[1:])
    unique = sorted_code[first]
    inverse = np.empty(len(code), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return unique // size, unique % size, inverse


def similarity(
    column: EncodedColumn,
    left: npt.NDArray[np.integer[Any]],
    right: npt.NDArray[np.integer[Any]],
    scorer: Callable[..., Any] = JaroWinkler.normalized_similarity,
) -> FloatArray:
    """String similarity of the keys of each pair of codes; each distinct pair scored once.

    ``left`` and ``right`` are code arrays into ``column.vocab`` (no nulls). The scorer is any
    rapidfuzz scorer (default Jaro-Winkler similarity in 0..1); scoring runs through
    ``rapidfuzz.process.cpdist`` on all cores.

    Example:
        >>> col = EncodedColumn.from_values(["martha", "marhta", "jon"])
        >>> similarity(col, np.array([0, 0]), np.array([1, 2])).round(3).tolist()
        [0.961, 0.0]
    """
    if len(left) == 0:
        return np.zeros(0, dtype=np.float64)
    first, second, inverse = _distinct_pairs(
        left.astype(np.int64), right.astype(np.int64), len(column.vocab) + 1
    )
    # worker threads cost more than they save on a few pairs (a single record's candidates)
    workers = -1 if len(first) >= _PARALLEL_PAIRS else 1
    scores = process.cpdist(
        column.vocab[first], column.vocab[second], scorer=scorer, workers=workers
    )
    return np.asarray(scores, dtype=np.float64)[inverse]


# --- the comparators ------------------------------------------------------------------------


class _Pairs:
    """Code lookups for one batch of pairs, cached per key column."""

    def __init__(self, keys: EncodedKeys, left: IntArray, right: IntArray) -> None:
        self.keys = keys
        self.left = left
        self.right = right
        self._codes: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]] = {}

    def codes(self, name: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        if name not in self._codes:
            codes = self.keys[name].codes
            self._codes[name] = (codes[self.left], codes[self.right])
        return self._codes[name]


def _equal(pairs: _Pairs, name: str) -> tuple[BoolArray, BoolArray]:
    """``(equal, null)``: the keys are equal and present; a key is missing on either side."""
    cl, cr = pairs.codes(name)
    null = (cl < 0) | (cr < 0)
    return (cl == cr) & ~null, null


def _jw(pairs: _Pairs, name: str, mask: BoolArray) -> FloatArray:
    out = np.zeros(len(mask), dtype=np.float64)
    where = np.flatnonzero(mask)
    if len(where):
        cl, cr = pairs.codes(name)
        out[where] = similarity(pairs.keys[name], cl[where], cr[where])
    return out


def _edits(pairs: _Pairs, name: str, mask: BoolArray) -> FloatArray:
    out = np.full(len(mask), np.inf)
    where = np.flatnonzero(mask)
    if len(where):
        cl, cr = pairs.codes(name)
        out[where] = similarity(pairs.keys[name], cl[where], cr[where], OSA.distance)
    return out


def _vocab_array(column: EncodedColumn, fn: Callable[[str], float]) -> FloatArray:
    """``fn`` of each distinct key, with a trailing slot for null codes (``-1``)."""
    out = np.empty(len(column.vocab) + 1, dtype=np.float64)
    for i, key in enumerate(column.vocab):
        out[i] = fn(key)
    out[-1] = np.nan
    return out


def _levels_exact(pairs: _Pairs, c: Comparison) -> LevelArray:
    equal, null = _equal(pairs, c.columns[0])
    out = equal.astype(np.int8)
    out[null] = -1
    return out


def _levels_string(pairs: _Pairs, c: Comparison) -> LevelArray:
    equal, null = _equal(pairs, c.columns[0])
    sim = _jw(pairs, c.columns[0], ~equal & ~null)
    out = np.zeros(len(equal), dtype=np.int8)
    for level, threshold in enumerate(reversed(c.thresholds), start=1):
        out[sim >= threshold] = level
    out[equal] = len(c.thresholds) + 1
    out[null] = -1
    return out


def _levels_code(pairs: _Pairs, c: Comparison) -> LevelArray:
    equal, null = _equal(pairs, c.columns[0])
    dist = _edits(pairs, c.columns[0], ~equal & ~null)
    out = np.zeros(len(equal), dtype=np.int8)
    for level, threshold in enumerate(reversed(c.thresholds), start=1):
        out[dist <= threshold] = level
    out[equal] = len(c.thresholds) + 1
    out[null] = -1
    return out


def _swapped(pairs: _Pairs, own: str, other: str) -> BoolArray:
    ol, orr = pairs.codes(own)
    xl, xr = pairs.codes(other)
    if pairs.keys[own].vocab is not pairs.keys[other].vocab:
        return np.zeros(len(ol), dtype=bool)
    # both names crossed over (or one crossed and the other missing on a side)
    forward = (ol == xr) & (ol >= 0)
    backward = (orr == xl) & (orr >= 0)
    swapped: BoolArray = (forward & ((orr < 0) | (xl < 0) | backward)) | (
        backward & ((ol < 0) | (xr < 0))
    )
    return swapped


def _levels_given(pairs: _Pairs, c: Comparison) -> LevelArray:
    key, canonical, other = c.columns
    equal, null = _equal(pairs, key)
    rest = ~equal & ~null
    sim = _jw(pairs, key, rest)
    column = pairs.keys[key]
    length = _vocab_array(column, len)
    first_char = _vocab_array(column, lambda k: float(ord(k[0])))
    cl, cr = pairs.codes(key)
    initial = (
        rest
        & ((length[cl] == 1) | (length[cr] == 1))
        & (first_char[cl] == first_char[cr])
    )
    nickname = np.zeros(len(equal), dtype=bool)
    if canonical in pairs.keys:
        nickname, _ = _equal(pairs, canonical)
    swapped = _swapped(pairs, key, other) if other in pairs.keys else nickname & False
    t1, t2 = c.thresholds
    out = np.zeros(len(equal), dtype=np.int8)
    out[sim >= t2] = 1
    out[initial] = 2
    out[swapped & rest] = 3
    out[sim >= t1] = 4
    out[nickname & rest] = 5
    out[equal] = 6
    out[null] = -1
    return out


def _levels_family(pairs: _Pairs, c: Comparison) -> LevelArray:
    key, phonetic, other = c.columns
    equal, null = _equal(pairs, key)
    rest = ~equal & ~null
    sim = _jw(pairs, key, rest)
    sounds = np.zeros(len(equal), dtype=bool)
    if phonetic in pairs.keys:
        sounds, _ = _equal(pairs, phonetic)
    swapped = _swapped(pairs, key, other) if other in pairs.keys else sounds & False
    t1, t2 = c.thresholds
    out = np.zeros(len(equal), dtype=np.int8)
    out[sim >= t2] = 1
    out[swapped & rest] = 2
    out[sim >= t1] = 3
    out[sounds & rest] = 4
    out[equal] = 5
    out[null] = -1
    return out


def _levels_email(pairs: _Pairs, c: Comparison) -> LevelArray:
    key = c.columns[0]
    equal, null = _equal(pairs, key)
    rest = ~equal & ~null
    same_local, _ = _equal(pairs, f"{key}.local")
    sim = _jw(pairs, key, rest & ~same_local)
    out = np.zeros(len(equal), dtype=np.int8)
    out[sim >= c.thresholds[0]] = 1
    out[same_local & rest] = 2
    out[equal] = 3
    out[null] = -1
    return out


def _levels_phone(pairs: _Pairs, c: Comparison) -> LevelArray:
    key = c.columns[0]
    equal, null = _equal(pairs, key)
    rest = ~equal & ~null
    same_end, _ = _equal(pairs, f"{key}[-7:]")
    dist = _edits(pairs, key, rest & ~same_end)
    out = np.zeros(len(equal), dtype=np.int8)
    for level, threshold in enumerate(reversed(c.thresholds), start=1):
        out[dist <= threshold] = level
    out[same_end & rest] = len(c.thresholds) + 1
    out[equal] = len(c.thresholds) + 2
    out[null] = -1
    return out


def _day_number(key: str) -> float:
    try:
        return float(_dt.date(int(key[:4]), int(key[4:6]), int(key[6:8])).toordinal())
    except ValueError:
        return np.nan


def _swap_day_month(key: str) -> str | None:
    return key[:4] + key[6:8] + key[4:6] if len(key) == 8 else None


def _levels_date(pairs: _Pairs, c: Comparison) -> LevelArray:
    key = c.columns[0]
    equal, null = _equal(pairs, key)
    rest = ~equal & ~null
    column = pairs.keys[key]
    days = _vocab_array(column, _day_number)
    cl, cr = pairs.codes(key)
    with np.errstate(invalid="ignore"):
        gap = np.abs(days[cl] - days[cr])
    table = {k: i for i, k in enumerate(column.vocab)}
    swap_code = np.full(len(column.vocab) + 1, -2, dtype=np.int64)
    for i, k in enumerate(column.vocab):
        swapped = _swap_day_month(k)
        if swapped is not None and swapped in table:
            swap_code[i] = table[swapped]
    typo = rest & ((_edits(pairs, key, rest) <= 1) | (swap_code[cl] == cr))
    out = np.zeros(len(equal), dtype=np.int8)
    with np.errstate(invalid="ignore"):
        for level, window in enumerate(reversed(c.thresholds), start=1):
            out[rest & (gap <= window)] = level
    out[typo] = len(c.thresholds) + 1
    out[equal] = len(c.thresholds) + 2
    out[null] = -1
    return out


def _levels_address(pairs: _Pairs, c: Comparison) -> LevelArray:
    street, number = c.columns
    equal, null = _equal(pairs, street)
    if number in pairs.keys:
        same_number, _ = _equal(pairs, number)
    else:
        same_number = np.zeros(len(equal), dtype=bool)
    sim = _jw(pairs, street, ~equal & ~null)
    similar = equal | (sim >= c.thresholds[0])
    out = np.zeros(len(equal), dtype=np.int8)
    out[similar] = 1
    out[similar & same_number] = 2
    out[equal & same_number] = 3
    out[null] = -1
    return out


_LEVEL_FUNCTIONS: Final[dict[str, Callable[[_Pairs, Comparison], LevelArray]]] = {
    "exact": _levels_exact,
    "string": _levels_string,
    "code": _levels_code,
    "given_name": _levels_given,
    "family_name": _levels_family,
    "email": _levels_email,
    "phone": _levels_phone,
    "date": _levels_date,
    "address": _levels_address,
}


def compare_pairs(
    keys: EncodedKeys, comparison: Comparison, left: IntArray, right: IntArray
) -> LevelArray:
    """The agreement level (``int8``, ``-1`` = null) of one field for each pair.

    Example:
        >>> from crmclean.prepare import encode_keys
        >>> keys = encode_keys({"given": ["robert", "bob", "rob", None],
        ...                     "given_canonical": ["robert", "robert", "robert", None],
        ...                     "family": ["smith", "smith", "smith", "smith"]})
        >>> c = Comparison("given", "given_name")
        >>> levels = compare_pairs(keys, c, np.array([0, 0, 0, 1]), np.array([0, 1, 2, 3]))
        >>> [c.levels[x] if x >= 0 else "null" for x in levels]
        ['exact', 'nickname', 'nickname', 'null']
    """
    return _LEVEL_FUNCTIONS[comparison.kind](_Pairs(keys, left, right), comparison)


def compare_all(
    keys: EncodedKeys,
    comparisons: Sequence[Comparison],
    left: IntArray,
    right: IntArray,
    *,
    chunk_size: int = 4_000_000,
) -> npt.NDArray[np.int8]:
    """The agreement levels of every field for every pair: a ``(pairs, fields)`` int8 matrix.

    Pairs are processed in chunks of ``chunk_size`` to bound the memory the comparators use.

    Example:
        >>> from crmclean.prepare import encode_keys
        >>> keys = encode_keys({"email": ["ann@x.org", "ann@y.org", None]})
        >>> compare_all(keys, [Comparison("email", "email")], np.array([0, 0]),
        ...             np.array([1, 2])).tolist()
        [[2], [-1]]
    """
    out = np.empty((len(left), len(comparisons)), dtype=np.int8)
    for start in range(0, len(left), chunk_size):
        stop = min(start + chunk_size, len(left))
        pairs = _Pairs(keys, left[start:stop], right[start:stop])
        for f, comparison in enumerate(comparisons):
            out[start:stop, f] = _LEVEL_FUNCTIONS[comparison.kind](pairs, comparison)
    return out
