"""Compare: each candidate pair gets one discrete agreement level per field.

A :class:`Comparison` names a field, its comparator and its key columns. Its levels go from
``0`` (the values disagree) up to the highest level (exact agreement); ``-1`` is the null level
(a value is missing on either side), which carries no evidence either way.

A comparator is a value, a :class:`Comparator`: its name (the ``kind`` of a comparison in
settings JSON), default key columns and thresholds, level names, threshold rule and the array
function that gives the levels. The built-in comparators and any a user adds with
:func:`register_comparator` live in one registry; :func:`get_comparator` looks one up.

The comparators work on whole arrays. Candidate pairs are two integer index arrays; keys are
integer codes (:class:`crmclean.prepare.EncodedKeys`), so exact agreement is an integer
comparison, and string similarity is computed once per *distinct* pair of strings, through
rapidfuzz ``process.cpdist`` on worker threads. There is no Python loop per pair.
"""

from __future__ import annotations

import datetime as _dt
import math
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from crmclean._saved import build, saved_fields
from crmclean.encode import EncodedColumn, EncodedKeys
from crmclean.errors import ConfigError

__all__ = [
    "COMPARATOR_KINDS",
    "Comparator",
    "Comparison",
    "PairBatch",
    "compare_all",
    "compare_pairs",
    "get_comparator",
    "register_comparator",
    "similarity",
]

IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int32]
LevelArray = npt.NDArray[np.int8]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
#: The array function of a comparator: the pairs and the comparison in, one level per pair out.
LevelFunction = Callable[["PairBatch", "Comparison"], LevelArray]

_PARALLEL_PAIRS: Final = 2_000  # distinct string pairs from which scoring runs on all cores


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


def _index_tuple(values: Iterable[int]) -> tuple[int, ...]:
    out = tuple(values)
    if any(not isinstance(i, int) or isinstance(i, bool) for i in out):
        raise TypeError("column positions must be whole numbers")
    return out


_COUNT_WORDS: Final = {0: "no thresholds", 1: "one threshold", 2: "two thresholds"}


# --- the pairs a comparator sees ------------------------------------------------------------


class PairBatch:
    """One batch of candidate pairs as a comparator sees it: key codes of both sides.

    The left and right codes of a key column are looked up once per batch and cached, so the
    comparators of one batch share them. Key column names may be derived
    (``"card[-4:]"``, ``"email.local"``; see :class:`crmclean.prepare.EncodedKeys`).

    Attributes:
        keys: the encoded key columns of the records.
        left: the first record of each pair (row numbers into ``keys``).
        right: the second record of each pair.

    Example:
        >>> from crmclean.prepare import encode_keys
        >>> keys = encode_keys({"city": ["leeds", "leeds", "london", None]})
        >>> batch = PairBatch(keys, np.array([0, 0, 0]), np.array([1, 2, 3]))
        >>> equal, null = batch.equal("city")
        >>> len(batch), equal.tolist(), null.tolist()
        (3, [True, False, False], [False, False, True])
    """

    def __init__(self, keys: EncodedKeys, left: IntArray, right: IntArray) -> None:
        self.keys = keys
        self.left = left
        self.right = right
        self._codes: dict[str, tuple[CodeArray, CodeArray]] = {}

    def __len__(self) -> int:
        return len(self.left)

    def across_scripts(self) -> BoolArray:
        """Pairs whose names are written in two different scripts (``script`` key column;
        all ``False`` without it): their text keys are readings, not spellings.

        Example:
            >>> from crmclean.prepare import encode_keys
            >>> keys = encode_keys({"script": ["latin", "han", "mixed", None]})
            >>> PairBatch(keys, np.array([0, 0, 0]), np.array([1, 2, 3])).across_scripts().tolist()
            [True, False, False]
        """
        if SCRIPT_KEY not in self.keys.names:
            return np.zeros(len(self.left), dtype=bool)
        left, right = self.codes(SCRIPT_KEY)
        column = self.keys[SCRIPT_KEY]
        found = np.flatnonzero(column.vocab == "mixed")
        mixed = int(found[0]) if len(found) else -2
        known = (left >= 0) & (right >= 0) & (left != mixed) & (right != mixed)
        return known & (left != right)  # type: ignore[no-any-return]

    def codes(self, name: str) -> tuple[CodeArray, CodeArray]:
        """The codes of a key column for the left and the right records (``-1`` = null).

        Equal codes mean equal keys; :meth:`crmclean.prepare.EncodedColumn.vocab` holds the
        key of each code.

        Example:
            >>> from crmclean.prepare import encode_keys
            >>> keys = encode_keys({"city": ["leeds", "york", None]})
            >>> [c.tolist() for c in PairBatch(keys, np.array([0]), np.array([2])).codes("city")]
            [[0], [-1]]
        """
        if name not in self._codes:
            codes = self.keys[name].codes
            self._codes[name] = (codes[self.left], codes[self.right])
        return self._codes[name]

    def equal(self, name: str) -> tuple[BoolArray, BoolArray]:
        """``(equal, null)`` per pair: the keys are equal and present; a key is missing on
        either side.

        Example:
            >>> from crmclean.prepare import encode_keys
            >>> keys = encode_keys({"card": ["4417001234", "5500991234", None]})
            >>> batch = PairBatch(keys, np.array([0, 0]), np.array([1, 2]))
            >>> [a.tolist() for a in batch.equal("card[-4:]")]
            [[True, False], [False, True]]
        """
        cl, cr = self.codes(name)
        null = (cl < 0) | (cr < 0)
        return (cl == cr) & ~null, null

    def jaro_winkler(self, name: str, mask: BoolArray) -> FloatArray:
        """Jaro-Winkler similarity (0..1) of the keys of the pairs where ``mask`` is true;
        ``0.0`` elsewhere. Only non-null pairs may be in ``mask``.

        Example:
            >>> from crmclean.prepare import encode_keys
            >>> keys = encode_keys({"family": ["martha", "marhta", "jon"]})
            >>> batch = PairBatch(keys, np.array([0, 0]), np.array([1, 2]))
            >>> batch.jaro_winkler("family", np.array([True, False])).round(3).tolist()
            [0.961, 0.0]
        """
        out = np.zeros(len(mask), dtype=np.float64)
        where = np.flatnonzero(mask)
        if len(where):
            cl, cr = self.codes(name)
            out[where] = similarity(self.keys[name], cl[where], cr[where])
        return out

    def edits(self, name: str, mask: BoolArray) -> FloatArray:
        """Edit distance of the keys (a transposition counts as one edit) of the pairs where
        ``mask`` is true; ``inf`` elsewhere. Only non-null pairs may be in ``mask``.

        Example:
            >>> from crmclean.prepare import encode_keys
            >>> keys = encode_keys({"postcode": ["2119", "2191", "4220"]})
            >>> batch = PairBatch(keys, np.array([0, 0]), np.array([1, 2]))
            >>> batch.edits("postcode", np.array([True, False])).tolist()
            [1.0, inf]
        """
        out = np.full(len(mask), np.inf)
        where = np.flatnonzero(mask)
        if len(where):
            cl, cr = self.codes(name)
            out[where] = similarity(self.keys[name], cl[where], cr[where], OSA.distance)
        return out


_Pairs = PairBatch  # the former private name


# --- comparators as values ------------------------------------------------------------------


@attrs.frozen
class Comparator:
    """A kind of comparison: how two records' keys become one agreement level.

    Register one with :func:`register_comparator` so that a :class:`Comparison` (and settings
    JSON) can name it as its ``kind``.

    Attributes:
        name: the comparator's name, the ``kind`` of a comparison (an identifier).
        columns: default key columns; ``("key",)`` means one column named like the comparison.
            A comparison of this kind takes exactly this many columns.
        thresholds: default thresholds (empty when the comparator takes none).
        description: the levels in words, highest first.
        level_names: thresholds → level labels, index = level (0 = else, last = exact).
        compare: the array function: ``(PairBatch, Comparison)`` → one ``int8`` level per
            pair, ``-1`` where a value is missing on either side.
        threshold_count: how many thresholds a comparison must have (``None``: any number).
        threshold_type: ``"similarity"`` (each in (0, 1], highest first), ``"distance"``
            (whole numbers >= 1, smallest first) or ``None`` (not checked).
        exact_key_level: whether the top level means "equal key in the first column" (the
            level the term-frequency adjustment applies to).
        required: positions of the columns a table must have (others are used when present).
        deciding: positions of the columns that decide the levels: a blocking rule on any of
            them makes the comparison useless for learning m from that rule's pairs.
        transliterated: the keys are Latin readings of text (names, companies, streets):
            between records whose names are written in different scripts (the ``script``
            key column, when present) the lowest level, "else", is read as unknown (``-1``),
            for a reading can show an agreement but not a conflict.

    Example:
        >>> def same_initial(batch, comparison):
        ...     key = comparison.columns[0]
        ...     equal, null = batch.equal(key)
        ...     initial, _ = batch.equal(key + "[:1]")
        ...     out = np.where(equal, 2, np.where(initial, 1, 0)).astype(np.int8)
        ...     out[null] = -1
        ...     return out
        >>> initial = Comparator("initial", ("key",), (), "exact / same first letter / else",
        ...                      lambda t: ("else", "initial", "exact"), same_initial)
        >>> initial.level_names(()), initial.required_columns(("given",))
        (('else', 'initial', 'exact'), ('given',))
    """

    name: str
    columns: tuple[str, ...] = attrs.field(converter=_str_tuple)
    thresholds: tuple[float, ...] = attrs.field(converter=_float_tuple)
    description: str
    level_names: Callable[[tuple[float, ...]], tuple[str, ...]] = attrs.field(repr=False)
    compare: LevelFunction = attrs.field(repr=False)
    threshold_count: int | None = None
    threshold_type: Literal["similarity", "distance"] | None = None
    exact_key_level: bool = True
    required: tuple[int, ...] = attrs.field(default=(0,), converter=_index_tuple)
    deciding: tuple[int, ...] = attrs.field(default=(0,), converter=_index_tuple)
    transliterated: bool = False

    def __attrs_post_init__(self) -> None:  # one check per field, in order
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ConfigError("a comparator name must be an identifier such as 'email'")
        label = f"comparator {self.name!r}"
        if not self.columns or any(not isinstance(c, str) or not c for c in self.columns):
            raise ConfigError(f"{label}: columns must be one or more key column names")
        if not isinstance(self.description, str):
            raise TypeError(f"{label}: description must be a str")
        if not callable(self.level_names) or not callable(self.compare):
            raise TypeError(f"{label}: level_names and compare must be functions")
        count = self.threshold_count
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)
                                  or count < 0):  # fmt: skip
            raise ConfigError(f"{label}: threshold_count must be None or a whole number >= 0")
        if self.threshold_type not in (None, "similarity", "distance"):
            raise ConfigError(f"{label}: threshold_type must be None, 'similarity' or 'distance'")
        if not isinstance(self.exact_key_level, bool):
            raise TypeError(f"{label}: exact_key_level must be a bool")
        for field, positions in (("required", self.required), ("deciding", self.deciding)):
            if not positions or any(not 0 <= i < len(self.columns) for i in positions):
                raise ConfigError(f"{label}: {field} must be positions of its columns")
        problem = self.threshold_problem(self.thresholds)
        if problem is not None:
            raise ConfigError(f"{label}: default thresholds: {problem}")
        names = self.level_names(self.thresholds)
        if (not isinstance(names, tuple) or len(names) < 2 or len(set(names)) != len(names)
                or any(not isinstance(n, str) for n in names)):  # fmt: skip
            raise ConfigError(f"{label}: level_names must give a tuple of two or more labels")

    def threshold_problem(self, thresholds: tuple[float, ...]) -> str | None:
        """What is wrong with these thresholds for this comparator, or ``None``.

        Example:
            >>> get_comparator("email").threshold_problem((0.9, 0.8))
            "kind 'email' takes one threshold"
        """
        t = thresholds
        count = self.threshold_count
        if count is not None and len(t) != count:
            return f"kind {self.name!r} takes {_COUNT_WORDS.get(count, f'{count} thresholds')}"
        if self.threshold_type == "similarity" and (
            any(not 0 < x <= 1 for x in t) or list(t) != sorted(t, reverse=True)
        ):
            return "similarity thresholds must be in (0, 1], highest first"
        if self.threshold_type == "distance" and (
            any(not x >= 1 or not float(x).is_integer() for x in t) or list(t) != sorted(set(t))
        ):
            return "distances must be whole numbers >= 1, smallest first"
        return None

    def check_thresholds(self, comparison: str, thresholds: tuple[float, ...]) -> None:
        """Raise :class:`ConfigError` (naming the comparison) if the thresholds do not fit.

        Example:
            >>> get_comparator("code").check_thresholds("postcode", (1.5,))
            Traceback (most recent call last):
            ...
            crmclean.errors.ConfigError: comparison 'postcode': distances must be whole \
numbers >= 1, smallest first
        """
        problem = self.threshold_problem(thresholds)
        if problem is not None:
            raise ConfigError(f"comparison {comparison!r}: {problem}")

    def default_columns(self, comparison: str) -> tuple[str, ...]:
        """The key columns of a comparison of this kind named ``comparison``, by default.

        Example:
            >>> get_comparator("string").default_columns("city")
            ('city',)
        """
        return (comparison,) if self.columns == ("key",) else self.columns

    def required_columns(self, columns: Sequence[str]) -> tuple[str, ...]:
        """Of a comparison's key columns, those a table must have.

        Example:
            >>> get_comparator("address").required_columns(("street", "house_number"))
            ('street', 'house_number')
        """
        return tuple(columns[i] for i in self.required)

    def deciding_columns(self, columns: Sequence[str]) -> tuple[str, ...]:
        """Of a comparison's key columns, those that decide its levels.

        Example:
            >>> get_comparator("given_name").deciding_columns(
            ...     ("given", "given_canonical", "family"))
            ('given', 'given_canonical')
        """
        return tuple(columns[i] for i in self.deciding)


# --- similarity on distinct pairs -----------------------------------------------------------


def _distinct_pairs(a: IntArray, b: IntArray, size: int) -> tuple[IntArray, IntArray, IntArray]:
    """Distinct unordered code pairs: ``(first, second, inverse)``, sort-based.

    With few keys (no more possible codes than pairs) a table of every code finds them without
    sorting. Otherwise, where the pair codes leave room, each carries its position in its low
    bits, so that one ``np.sort`` (vectorized, several times faster than ``np.argsort``) gives
    both the sorted codes and their order. The result is the same either way.

    Example:
        >>> [x.tolist() for x in _distinct_pairs(np.array([2, 0, 1]), np.array([0, 2, 1]), 3)]
        [[0, 1], [2, 1], [0, 0, 1]]
    """
    lo = np.minimum(a, b).astype(np.int64, copy=False)
    hi = np.maximum(a, b).astype(np.int64, copy=False)
    code = lo * size
    code += hi
    n = len(code)
    if size * size <= n:  # few keys (a city, a country): a table of every code, no sort
        seen = np.zeros(size * size, dtype=bool)
        seen[code] = True
        unique = np.flatnonzero(seen)
        rank = np.cumsum(seen) - 1
        return unique // size, unique % size, rank[code]
    shift = max((n - 1).bit_length(), 1)
    if size * size < 1 << (63 - shift):  # a code and a position fit in 63 bits
        code <<= shift
        code |= np.arange(n, dtype=np.int64)
        code.sort()
        order = code & ((1 << shift) - 1)
        code >>= shift
        sorted_code = code
    else:
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


# --- the built-in comparators ---------------------------------------------------------------


def _vocab_array(column: EncodedColumn, fn: Callable[[str], float]) -> FloatArray:
    """``fn`` of each distinct key, with a trailing slot for null codes (``-1``)."""
    out = np.empty(len(column.vocab) + 1, dtype=np.float64)
    for i, key in enumerate(column.vocab):
        out[i] = fn(key)
    out[-1] = np.nan
    return out


def _levels_exact(pairs: PairBatch, c: Comparison) -> LevelArray:
    equal, null = pairs.equal(c.columns[0])
    out = equal.astype(np.int8)
    out[null] = -1
    return out


#: The generational-suffix key of a record that has a family name but no suffix (see the
#: ``generation`` comparator): "none", as a value, so that it can be compared.
NO_SUFFIX: Final = "-"


def _levels_generation(pairs: PairBatch, c: Comparison) -> LevelArray:
    key = c.columns[0]
    equal, null = pairs.equal(key)
    column = pairs.keys[key]
    found = np.flatnonzero(column.vocab == NO_SUFFIX)
    none = int(found[0]) if len(found) else -2
    left, right = pairs.codes(key)
    out = equal.astype(np.int8) * 2
    out[~equal & ((left == none) | (right == none))] = 1
    out[null] = -1
    return out


def _levels_string(pairs: PairBatch, c: Comparison) -> LevelArray:
    equal, null = pairs.equal(c.columns[0])
    sim = pairs.jaro_winkler(c.columns[0], ~equal & ~null)
    out = np.zeros(len(equal), dtype=np.int8)
    for level, threshold in enumerate(reversed(c.thresholds), start=1):
        out[sim >= threshold] = level
    out[equal] = len(c.thresholds) + 1
    out[null] = -1
    return out


def _levels_code(pairs: PairBatch, c: Comparison) -> LevelArray:
    equal, null = pairs.equal(c.columns[0])
    dist = pairs.edits(c.columns[0], ~equal & ~null)
    out = np.zeros(len(equal), dtype=np.int8)
    for level, threshold in enumerate(reversed(c.thresholds), start=1):
        out[dist <= threshold] = level
    out[equal] = len(c.thresholds) + 1
    out[null] = -1
    return out


_NEAR_SWAP: Final = 0.88  # Jaro-Winkler of the name that crossed over with a typo


def _starts_word(a: str, b: str) -> bool:
    """One key begins the other and is at least two letters (``de`` of ``delacruz``)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 2 and short != long and long.startswith(short)


def _swapped(pairs: PairBatch, own: str, other: str) -> BoolArray:
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
    # one name crossed over exactly, the other with a typo (Stephenson Elizbeth / Elizabeth
    # Stephenson): scored only for those few pairs
    column = pairs.keys[own]
    present = (ol >= 0) & (orr >= 0) & (xl >= 0) & (xr >= 0)
    near = np.flatnonzero(~swapped & (forward | backward) & present)
    if len(near):
        other_way = np.where(forward[near], orr[near], ol[near])
        other_name = np.where(forward[near], xl[near], xr[near])
        typo = similarity(column, other_way, other_name) >= _NEAR_SWAP
        # a given-name key is the first word of a name, a family-name key all of it: a
        # family name of several words (de la Cruz) written first reads as its first word
        vocab = column.vocab
        words = np.array([_starts_word(vocab[a], vocab[b]) for a, b in
                          zip(other_way[~typo], other_name[~typo], strict=True)], dtype=bool)
        typo[np.flatnonzero(~typo)[words]] = True
        swapped[near[typo]] = True
    # both crossed over with typos (Campblel Joshua / Josha Campbell): pairs whose crossed
    # names start alike and differ from the names in place are scored
    first = _vocab_array(column, lambda k: float(ord(k[0])))
    both = np.flatnonzero(~swapped & present & ~forward & ~backward & (ol != orr)
                          & (first[ol] == first[xr]) & (first[orr] == first[xl]))  # fmt: skip
    if len(both):
        crossed = np.minimum(similarity(column, ol[both], xr[both]),
                             similarity(column, orr[both], xl[both]))  # fmt: skip
        swapped[both[crossed >= _NEAR_SWAP]] = True
    return swapped


def _one_is_initial(pairs: PairBatch, key: str, rest: BoolArray) -> BoolArray:
    """Pairs (among ``rest``) where one key is a single letter, the other's first letter."""
    column = pairs.keys[key]
    length = _vocab_array(column, len)
    first_char = _vocab_array(column, lambda k: float(ord(k[0])))
    cl, cr = pairs.codes(key)
    one: BoolArray = rest & ((length[cl] == 1) | (length[cr] == 1))
    same: BoolArray = first_char[cl] == first_char[cr]
    return one & same


def _levels_given(pairs: PairBatch, c: Comparison) -> LevelArray:
    key, canonical, other = c.columns
    equal, null = pairs.equal(key)
    rest = ~equal & ~null
    sim = pairs.jaro_winkler(key, rest)
    initial = _one_is_initial(pairs, key, rest)
    nickname = np.zeros(len(equal), dtype=bool)
    if canonical in pairs.keys:
        nickname, _ = pairs.equal(canonical)
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


def _levels_family(pairs: PairBatch, c: Comparison) -> LevelArray:
    key, phonetic, other = c.columns
    equal, null = pairs.equal(key)
    rest = ~equal & ~null
    sim = pairs.jaro_winkler(key, rest)
    sounds = np.zeros(len(equal), dtype=bool)
    if phonetic in pairs.keys:
        sounds, _ = pairs.equal(phonetic)
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


def _levels_middle(pairs: PairBatch, c: Comparison) -> LevelArray:
    key = c.columns[0]
    equal, null = pairs.equal(key)
    rest = ~equal & ~null
    sim = pairs.jaro_winkler(key, rest)
    initial = _one_is_initial(pairs, key, rest)
    out = np.zeros(len(equal), dtype=np.int8)
    out[initial] = 1
    out[sim >= c.thresholds[0]] = 2
    out[equal] = 3
    out[null] = -1
    return out


def _levels_email(pairs: PairBatch, c: Comparison) -> LevelArray:
    key = c.columns[0]
    equal, null = pairs.equal(key)
    rest = ~equal & ~null
    same_local, _ = pairs.equal(f"{key}.local")
    sim = pairs.jaro_winkler(key, rest & ~same_local)
    out = np.zeros(len(equal), dtype=np.int8)
    out[sim >= c.thresholds[0]] = 1
    out[same_local & rest] = 2
    out[equal] = 3
    out[null] = -1
    return out


def _levels_phone(pairs: PairBatch, c: Comparison) -> LevelArray:
    key = c.columns[0]
    equal, null = pairs.equal(key)
    rest = ~equal & ~null
    same_end, _ = pairs.equal(f"{key}[-7:]")
    dist = pairs.edits(key, rest & ~same_end)
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


_BYTE_KEYS_MAX: Final = 16  # the longest keys compared as rows of bytes by _within_one_edit


def _byte_rows(column: EncodedColumn) -> tuple[npt.NDArray[np.uint8], IntArray] | None:
    """The keys of a column as rows of bytes (zero-padded) and their lengths, with a trailing
    row for null codes; None when a key is not ASCII or longer than ``_BYTE_KEYS_MAX``."""
    vocab = column.vocab.tolist()
    width = max((len(k) for k in vocab), default=0)
    if width > _BYTE_KEYS_MAX or not all(k.isascii() for k in vocab):
        return None
    data = np.frombuffer(b"".join(k.encode("ascii").ljust(width, b"\0") for k in vocab),
                         dtype=np.uint8)  # fmt: skip
    rows = np.zeros((len(vocab) + 1, max(width, 1)), dtype=np.uint8)
    rows[: len(vocab), :width] = data.reshape(len(vocab), width)
    lengths = np.zeros(len(vocab) + 1, dtype=np.int64)
    lengths[: len(vocab)] = [len(k) for k in vocab]
    return rows, lengths


def _within_one_edit(pairs: PairBatch, key: str, mask: BoolArray) -> BoolArray:
    """``pairs.edits(key, mask) <= 1``: the pairs where ``mask`` is true whose keys are one
    substitution, one transposition of neighbours, one insertion or one deletion apart (or
    equal). Keys of the same length are compared column-wise as rows of bytes (a difference
    in one place, or in two neighbouring places that swap); the others by ``edits``.

    Example:
        >>> from crmclean.prepare import encode_keys
        >>> keys = encode_keys({"dob": ["19850307", "19850370", "19850399", "19860308", "1985030"]})
        >>> batch = PairBatch(keys, np.zeros(4, dtype=np.int64), np.arange(1, 5))
        >>> _within_one_edit(batch, "dob", np.ones(4, dtype=bool)).tolist()
        [True, False, False, True]
    """
    column = pairs.keys[key]
    found = _byte_rows(column)
    if found is None:
        return pairs.edits(key, mask) <= 1
    rows, lengths = found
    cl, cr = pairs.codes(key)
    out = np.zeros(len(mask), dtype=bool)
    same_length = mask & (lengths[cl] == lengths[cr])
    where = np.flatnonzero(same_length)
    if len(where):
        a, b = rows[cl[where]], rows[cr[where]]
        differ = a != b
        count = differ.sum(axis=1)
        near = count <= 1
        two = np.flatnonzero(count == 2)
        if len(two):
            i = differ[two].argmax(axis=1)  # the first place that differs
            j = np.minimum(i + 1, rows.shape[1] - 1)
            at = np.arange(len(two))
            a2, b2 = a[two], b[two]
            near[two] = (differ[two, j] & (j > i) & (a2[at, i] == b2[at, j])
                         & (a2[at, j] == b2[at, i]))  # fmt: skip
        out[where] = near
    other = mask & ~same_length
    if other.any():
        out |= pairs.edits(key, other) <= 1
    return out


def _levels_date(pairs: PairBatch, c: Comparison) -> LevelArray:
    key = c.columns[0]
    equal, null = pairs.equal(key)
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
    typo = rest & (_within_one_edit(pairs, key, rest) | (swap_code[cl] == cr))
    out = np.zeros(len(equal), dtype=np.int8)
    with np.errstate(invalid="ignore"):
        for level, window in enumerate(reversed(c.thresholds), start=1):
            out[rest & (gap <= window)] = level
    out[typo] = len(c.thresholds) + 1
    out[equal] = len(c.thresholds) + 2
    out[null] = -1
    return out


def _levels_address(pairs: PairBatch, c: Comparison) -> LevelArray:
    street, number = c.columns
    equal, null = pairs.equal(street)
    if number in pairs.keys:
        same_number, _ = pairs.equal(number)
    else:
        same_number = np.zeros(len(equal), dtype=bool)
    sim = pairs.jaro_winkler(street, ~equal & ~null)
    similar = equal | (sim >= c.thresholds[0])
    out = np.zeros(len(equal), dtype=np.int8)
    out[similar] = 1
    out[similar & same_number] = 2
    out[equal & same_number] = 3
    out[null] = -1
    return out




def _names_exact(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", "exact")


def _names_generation(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", "one_only", "exact")


def _names_string(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", *(f"jw>={x:g}" for x in reversed(t)), "exact")


def _names_code(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", *(f"edits<={x:g}" for x in reversed(t)), "exact")


def _names_given(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", f"jw>={t[1]:g}", "initial", "swapped", f"jw>={t[0]:g}", "nickname", "exact")


def _names_family(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", f"jw>={t[1]:g}", "swapped", f"jw>={t[0]:g}", "phonetic", "exact")


def _names_middle(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", "initial", f"jw>={t[0]:g}", "exact")


def _names_email(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", f"jw>={t[0]:g}", "same_local", "exact")


def _names_phone(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", *(f"edits<={x:g}" for x in reversed(t)), "same_last_digits", "exact")


def _names_date(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", *(f"days<={x:g}" for x in reversed(t)), "typo", "exact")


def _names_address(t: tuple[float, ...]) -> tuple[str, ...]:
    return ("else", "street_similar", "number_street_similar", "exact")


_BUILTIN: Final = (
    Comparator("exact", ("key",), (), "exact / else", _names_exact, _levels_exact),
    Comparator(
        "string", ("key",), (0.92, 0.8), "exact / Jaro-Winkler >= each threshold / else",
        _names_string, _levels_string, threshold_type="similarity", transliterated=True,
    ),
    Comparator(
        "code", ("key",), (1,),
        "exact / at most N edits (transpositions count as one) / else",
        _names_code, _levels_code, threshold_type="distance",
    ),
    Comparator(
        "given_name", ("given", "given_canonical", "family"), (0.92, 0.8),
        "exact / same canonical name (nickname) / JW >= t1 / swapped with the family name / "
        "an initial of the other / JW >= t2 / else",
        _names_given, _levels_given, threshold_count=2, threshold_type="similarity",
        deciding=(0, 1),
    ),
    Comparator(
        "family_name", ("family", "family_phonetic", "given"), (0.92, 0.8),
        "exact / same phonetic code / JW >= t1 / swapped with the given name / JW >= t2 / else",
        _names_family, _levels_family, threshold_count=2, threshold_type="similarity",
        deciding=(0, 1),
    ),
    Comparator(
        "email", ("email",), (0.88,), "exact / same local part, other domain / JW >= t / else",
        _names_email, _levels_email, threshold_count=1, threshold_type="similarity",
    ),
    Comparator(
        "phone", ("phone",), (1,),
        "exact / same last 7 digits, other prefix / at most N digit edits / else",
        _names_phone, _levels_phone, threshold_type="distance",
    ),
    Comparator(
        "date", ("dob",), (31, 366),
        "exact / one typo or day and month swapped / within each number of days / else",
        _names_date, _levels_date, threshold_type="distance",
    ),
    Comparator(
        "address", ("street", "house_number"), (0.9,),
        "exact street and house number / similar street (JW >= t), same number / "
        "similar street / else",
        _names_address, _levels_address, threshold_count=1, threshold_type="similarity",
        exact_key_level=False, required=(0, 1), deciding=(0, 1), transliterated=True,
    ),
    Comparator(
        "generation", ("key",), (),
        "the same generational suffix, or none on both / a suffix on one record only "
        f"(key {NO_SUFFIX!r}: none) / different suffixes (Jr. and Sr.)",
        _names_generation, _levels_generation,
    ),
    Comparator(
        "middle_name", ("middle",), (0.88,),
        "exact / JW >= t / an initial of the other / else (different middle names or initials)",
        _names_middle, _levels_middle, threshold_count=1, threshold_type="similarity",
    ),
)  # fmt: skip

_REGISTRY: Final[dict[str, Comparator]] = {}
_KINDS: Final[dict[str, tuple[tuple[str, ...], tuple[float, ...], str]]] = {}

#: Comparator kinds: name → (key columns, default thresholds, description), a read-only view
#: of the registry (see :func:`register_comparator`).
COMPARATOR_KINDS: Final[Mapping[str, tuple[tuple[str, ...], tuple[float, ...], str]]] = (
    types.MappingProxyType(_KINDS)
)


def register_comparator(comparator: Comparator, *, replace: bool = False) -> Comparator:
    """Add a comparator to the registry, so that comparisons and settings can name it.

    Args:
        comparator: the comparator; its ``name`` becomes a ``kind``.
        replace: replace a registered comparator of the same name (a built-in one too).

    Returns:
        The comparator, so that ``CARD = register_comparator(Comparator(...))`` reads well.

    Raises:
        TypeError: ``comparator`` is not a :class:`Comparator`.
        ConfigError: the name is taken and ``replace`` is false.

    Example:
        >>> register_comparator(get_comparator("email"))
        Traceback (most recent call last):
        ...
        crmclean.errors.ConfigError: comparator 'email' is already registered; pass \
replace=True to replace it
    """
    if not isinstance(comparator, Comparator):
        raise TypeError("register_comparator takes a Comparator")
    if not isinstance(replace, bool):
        raise TypeError("option 'replace' must be a bool")
    if comparator.name in _REGISTRY and not replace:
        raise ConfigError(
            f"comparator {comparator.name!r} is already registered; pass replace=True to "
            "replace it"
        )
    _REGISTRY[comparator.name] = comparator
    _KINDS[comparator.name] = (comparator.columns, comparator.thresholds, comparator.description)
    return comparator


for _comparator in _BUILTIN:
    register_comparator(_comparator)
del _comparator


def get_comparator(name: str) -> Comparator:
    """The registered comparator of that name (a comparison's ``kind``).

    Raises:
        ConfigError: no comparator has that name (the message lists those that do).

    Example:
        >>> get_comparator("email").level_names((0.88,))
        ('else', 'jw>=0.88', 'same_local', 'exact')
    """
    comparator = _REGISTRY.get(name) if isinstance(name, str) else None
    if comparator is None:
        raise ConfigError(f"unknown comparator kind {name!r}; kinds are: {', '.join(_REGISTRY)}")
    return comparator


# --- comparisons ----------------------------------------------------------------------------


_COMPARISON_KEYS: Final = ("name", "kind", "columns", "thresholds", "tf", "m", "u")


@attrs.frozen
class Comparison:
    """One field of the match model: its comparator, key columns and (once fitted) m and u.

    Attributes:
        name: the field's name (``gamma_<name>`` in the pairs table).
        kind: the name of a registered :class:`Comparator` (see :data:`COMPARATOR_KINDS`).
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
        comparator = get_comparator(self.kind)
        if not self.columns:
            object.__setattr__(self, "columns", comparator.default_columns(self.name))
        if len(self.columns) != len(comparator.columns):
            raise ConfigError(
                f"comparison {self.name!r}: kind {self.kind!r} takes "
                f"{len(comparator.columns)} key column(s)"
            )
        if not self.thresholds:
            object.__setattr__(self, "thresholds", comparator.thresholds)
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
        self.comparator.check_thresholds(self.name, self.thresholds)

    @property
    def comparator(self) -> Comparator:
        """The registered :class:`Comparator` named by :attr:`kind`.

        Example:
            >>> Comparison("email", "email").comparator.name
            'email'
        """
        return get_comparator(self.kind)

    @property
    def levels(self) -> tuple[str, ...]:
        """Level labels; the index of a label is its level (0 = else, last = exact)."""
        return self.comparator.level_names(self.thresholds)

    @property
    def key_column(self) -> str:
        """The key column whose value frequencies drive the term-frequency adjustment."""
        return self.columns[0]

    @property
    def required_columns(self) -> tuple[str, ...]:
        """The key columns a table must have for this comparison (others are used when
        present).

        Example:
            >>> Comparison("address", "address").required_columns
            ('street', 'house_number')
            >>> Comparison("given", "given_name").required_columns
            ('given',)
        """
        return self.comparator.required_columns(self.columns)

    @property
    def deciding_columns(self) -> tuple[str, ...]:
        """The key columns that decide this comparison's levels.

        Example:
            >>> Comparison("family", "family_name").deciding_columns
            ('family', 'family_phonetic')
        """
        return self.comparator.deciding_columns(self.columns)

    def has_exact_key_level(self) -> bool:
        """Whether the top level means "equal key in the first column" (true for all kinds
        except ``address``, whose top level also needs the house number).

        Example:
            >>> Comparison("email", "email").has_exact_key_level()
            True
        """
        return self.comparator.exact_key_level

    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain JSON-ready data (with its level labels, for reading).

        Example:
            >>> Comparison("city", "string").to_dict()["levels"]
            ['else', 'jw>=0.8', 'jw>=0.92', 'exact']
        """
        return {
            "name": self.name,
            "kind": self.kind,
            "columns": list(self.columns),
            "thresholds": list(self.thresholds),
            "tf": self.tf,
            "m": None if self.m is None else list(self.m),
            "u": None if self.u is None else list(self.u),
            "levels": list(self.levels),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Comparison:
        """A comparison from :meth:`to_dict` data (``levels`` is ignored).

        Raises:
            ConfigError: not a mapping, unknown or missing keys, or invalid values.

        Example:
            >>> c = Comparison("dob", "date", tf=True)
            >>> Comparison.from_dict(c.to_dict()) == c
            True
        """
        item = saved_fields(data, "comparison", {*_COMPARISON_KEYS, "levels"})
        item.pop("levels", None)
        missing = [k for k in ("name", "kind") if k not in item]
        if missing:
            raise ConfigError(f"a comparison needs {' and '.join(missing)}")
        return build(cls, item, "comparison")


# --- running the comparators ----------------------------------------------------------------


def _checked(levels: object, comparison: Comparison, n: int) -> LevelArray:
    """The levels a comparator returned, checked: one integer per pair, each a level or -1."""
    out = np.asarray(levels)
    if out.shape != (n,) or out.dtype.kind not in "iu":
        raise ConfigError(
            f"comparator {comparison.kind!r} must return one integer level per pair"
        )
    top = len(comparison.levels) - 1
    if n and (int(out.min()) < -1 or int(out.max()) > top):
        raise ConfigError(
            f"comparator {comparison.kind!r} returned a level outside -1..{top}"
        )
    return out.astype(np.int8, copy=False)


def compare_pairs(
    keys: EncodedKeys, comparison: Comparison, left: IntArray, right: IntArray
) -> LevelArray:
    """The agreement level (``int8``, ``-1`` = null) of one field for each pair.

    Raises:
        ConfigError: the comparator returned something other than one level per pair.

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
    batch = PairBatch(keys, left, right)
    return _read_across_scripts(
        batch, comparison,
        _checked(comparison.comparator.compare(batch, comparison), comparison, len(batch)),
    )  # fmt: skip


#: The key column of each record's name script (see :attr:`Comparator.transliterated`).
SCRIPT_KEY: Final = "script"


def _read_across_scripts(
    batch: PairBatch, comparison: Comparison, levels: LevelArray
) -> LevelArray:
    """Levels with "else" made unknown where the records' names are in different scripts and
    the comparator compares transliterated text."""
    if not comparison.comparator.transliterated or SCRIPT_KEY not in batch.keys.names:
        return levels
    levels[(levels == 0) & batch.across_scripts()] = -1
    return levels


def compare_all(
    keys: EncodedKeys,
    comparisons: Sequence[Comparison],
    left: IntArray,
    right: IntArray,
    *,
    chunk_size: int = 2_000_000,
) -> npt.NDArray[np.int8]:
    """The agreement levels of every field for every pair: a ``(pairs, fields)`` int8 matrix.

    Pairs are processed in chunks of ``chunk_size`` to bound the memory the comparators use.

    Raises:
        ConfigError: a comparator returned something other than one level per pair.

    Example:
        >>> from crmclean.prepare import encode_keys
        >>> keys = encode_keys({"email": ["ann@x.org", "ann@y.org", None]})
        >>> compare_all(keys, [Comparison("email", "email")], np.array([0, 0]),
        ...             np.array([1, 2])).tolist()
        [[2], [-1]]
    """
    out = np.empty((len(left), len(comparisons)), dtype=np.int8)
    functions = [c.comparator.compare for c in comparisons]
    for start in range(0, len(left), chunk_size):
        stop = min(start + chunk_size, len(left))
        batch = PairBatch(keys, left[start:stop], right[start:stop])
        for f, comparison in enumerate(comparisons):
            levels = _checked(functions[f](batch, comparison), comparison, stop - start)
            out[start:stop, f] = _read_across_scripts(batch, comparison, levels)
    return out
