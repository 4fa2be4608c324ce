"""Blocking: the candidate pairs worth comparing, without comparing every record to every other.

A :class:`BlockingRule` puts records that share a key (same email key; same phonetic family name
and first initial; same postcode and family-name prefix, ...) into one block; every pair inside a
block is a candidate. A :class:`SortedNeighbourhood` pass sorts the records by a key and pairs
each record with the next few. The candidate pairs of all rules are unioned and de-duplicated.

Everything works on integer arrays: records are indexes ``0..n-1``, a pair ``(i, j)`` with
``i < j`` is encoded as ``i * n + j``, and duplicates go with one sort. A block larger than the cap
never explodes quadratically: its records are sorted by name and each one is paired only with
its next ``window`` neighbours (the user is told, by a :class:`MatchingWarning` and in the stats).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean.encode import EncodedKeys
from crmclean.errors import ConfigError

__all__ = [
    "BlockingRule",
    "CandidatePairs",
    "MatchingWarning",
    "SortedNeighbourhood",
    "block",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_KEY_SPEC: Final = re.compile(r"^[a-z_0-9]+(\[-?\d*:-?\d*\]|\.(local|domain))?$")


class MatchingWarning(UserWarning):
    """Something in the data limits matching: a capped block, an empty column, no pairs to learn
    from. Matching went on; the warning says what was done about it.

    Example:
        >>> issubclass(MatchingWarning, UserWarning)
        True
    """


def _key_tuple(keys: object) -> tuple[str, ...]:
    if isinstance(keys, (str, bytes)):
        raise TypeError("keys must be a tuple of key column names, not a str")
    if not isinstance(keys, (tuple, list)):
        raise TypeError("keys must be a tuple of key column names")
    return tuple(keys)


def _check_keys(keys: tuple[str, ...], what: str) -> tuple[str, ...]:
    if not keys:
        raise ConfigError(f"{what} needs at least one key column")
    for key in keys:
        if not isinstance(key, str) or not _KEY_SPEC.match(key):
            raise ConfigError(
                f"{what}: bad key column {key!r}; use a key column name, optionally with a "
                "slice such as 'family[:3]' or a part such as 'email.domain'"
            )
    return keys


@attrs.frozen
class BlockingRule:
    """Records that agree on every key column of the rule are candidate pairs.

    Attributes:
        keys: key column names (see :data:`crmclean.prepare.KEY_COLUMNS`), each optionally
            sliced (``"family[:3]"``, ``"phone[-7:]"``) or split (``"email.domain"``).
        name: the rule's name in the stats (default: the keys joined by ``+``).

    Example:
        >>> BlockingRule(("postcode", "family[:3]")).name
        'postcode+family[:3]'
    """

    keys: tuple[str, ...] = attrs.field(converter=_key_tuple)
    name: str = ""

    def __attrs_post_init__(self) -> None:
        _check_keys(self.keys, "blocking rule")
        if not self.name:
            object.__setattr__(self, "name", "+".join(self.keys))


@attrs.frozen
class SortedNeighbourhood:
    """Sort the records by the keys; pair each record with the next ``window`` records.

    Catches pairs whose keys differ only near the end (``"smith jon"`` / ``"smith john"``),
    which no exact-key rule puts in one block.

    Attributes:
        keys: key columns to sort by, most significant first; records whose first key is
            null take no part.
        window: how many following records each record is paired with.
        name: the pass's name in the stats (default ``"sorted:"`` + keys).

    Example:
        >>> SortedNeighbourhood(("family", "given"), window=4).name
        'sorted:family+given'
    """

    keys: tuple[str, ...] = attrs.field(converter=_key_tuple)
    window: int = 5
    name: str = ""

    def __attrs_post_init__(self) -> None:
        _check_keys(self.keys, "sorted neighbourhood")
        if not isinstance(self.window, int) or isinstance(self.window, bool) or self.window < 1:
            raise ConfigError("sorted neighbourhood window must be a positive int")
        if not self.name:
            object.__setattr__(self, "name", "sorted:" + "+".join(self.keys))


@attrs.frozen
class CandidatePairs:
    """The de-duplicated candidate pairs, and what each rule contributed.

    Attributes:
        left: first record index of each pair (``left < right``; in two-table mode the
            left-table record).
        right: second record index of each pair.
        rule_pairs: rule name → candidate pairs the rule produced.
        rule_new: rule name → pairs no earlier rule had produced.
        capped: rule name → (blocks over the cap, records in them) for rules that were capped.
        caps: rule name → the block cap used (lowered from the setting when a rule would
            otherwise produce more than ``max_pairs_per_rule`` pairs).

    Example:
        >>> from crmclean.prepare import encode_keys
        >>> keys = encode_keys({"email": ["a@x.org", "a@x.org", None]})
        >>> pairs = block(keys, [BlockingRule(("email",))])
        >>> pairs.left.tolist(), pairs.right.tolist(), pairs.rule_pairs
        ([0], [1], {'email': 1})
    """

    left: IntArray
    right: IntArray
    rule_pairs: dict[str, int]
    rule_new: dict[str, int]
    capped: dict[str, tuple[int, int]]
    caps: dict[str, int]

    def __len__(self) -> int:
        return len(self.left)


def _dense(codes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Renumber non-negative codes densely (0..k-1), keeping -1 for nulls."""
    out = np.full(len(codes), -1, dtype=np.int64)
    valid = np.flatnonzero(codes >= 0)
    if len(valid) == 0:
        return out
    values = codes[valid]
    order = np.argsort(values)
    sorted_values = values[order]
    first = np.empty(len(values), dtype=bool)
    first[0] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=first[1:])
    group = np.cumsum(first) - 1
    dense = np.empty(len(values), dtype=np.int64)
    dense[order] = group
    out[valid] = dense
    return out


def _group_codes(keys: EncodedKeys, columns: tuple[str, ...]) -> npt.NDArray[np.int64]:
    """One code per record for the combination of key columns; -1 where any key is null."""
    combined = keys[columns[0]].codes.astype(np.int64)
    for name in columns[1:]:
        col = keys[name]
        nxt = col.codes.astype(np.int64)
        size = len(col.vocab) + 1
        null = (combined < 0) | (nxt < 0)
        combined = combined * size + nxt
        combined[null] = -1
        combined = _dense(combined)
    return combined


def _expand(pos: IntArray, counts: IntArray, first: IntArray) -> tuple[IntArray, IntArray]:
    """Pairs ``(pos[k], first[k] + t)`` for ``t`` in ``0..counts[k]-1``, for every ``k``."""
    keep = counts > 0
    pos, counts, first = pos[keep], counts[keep], first[keep]
    total = int(counts.sum())
    left = np.repeat(pos, counts)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    right = np.repeat(first, counts) + offsets
    return left, right


def _pair_count(sizes: IntArray, n_left: IntArray | None) -> IntArray:
    if n_left is None:
        return sizes * (sizes - 1) // 2
    return n_left * (sizes - n_left)


def _window_pairs(
    idx: IntArray, group: IntArray, window: int, sides: BoolArray | None
) -> tuple[IntArray, IntArray]:
    """Pair each position with the next ``window`` positions of the same group."""
    lefts: list[IntArray] = []
    rights: list[IntArray] = []
    for d in range(1, min(window, len(idx) - 1) + 1):
        a, b = idx[:-d], idx[d:]
        mask = group[:-d] == group[d:]
        if sides is not None:
            mask &= sides[a] != sides[b]
        lefts.append(a[mask])
        rights.append(b[mask])
    if not lefts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(lefts), np.concatenate(rights)


def _rule_pairs(
    codes: npt.NDArray[np.int64],
    order_key: IntArray,
    sides: BoolArray | None,
    cap: int,
    window: int,
    max_pairs: int,
) -> tuple[IntArray, IntArray, int, int, int]:
    """All pairs within each block of equal codes; big blocks windowed.

    Returns ``(i, j, capped_blocks, capped_records, cap_used)``. Pairs from windows in capped
    blocks share the budget too: the window shrinks (to one neighbour at least) to fit.
    """
    n = len(codes)
    empty = np.zeros(0, np.int64)
    valid = np.flatnonzero(codes >= 0)
    if len(valid) < 2:
        return empty, empty, 0, 0, cap
    side_bit = sides[valid].astype(np.int64) if sides is not None else 0
    sort_key = (codes[valid] * 2 + side_bit) * n + order_key[valid]
    idx = valid[np.argsort(sort_key)]
    c = codes[idx]
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    sizes = np.diff(np.r_[starts, len(c)]).astype(np.int64)
    n_left = None
    if sides is not None:
        n_left = np.add.reduceat((~sides[idx]).astype(np.int64), starts)
    pair_counts = _pair_count(sizes, n_left)
    # lower the cap when the blocks under it would still give too many pairs
    small = sizes <= cap
    if int(pair_counts[small].sum()) > max_pairs:
        by_size = np.argsort(sizes, kind="stable")
        cumulative = np.cumsum(pair_counts[by_size])
        fits = sizes[by_size][cumulative <= max_pairs]
        cap = int(fits.max()) if len(fits) else 1
        # blocks of exactly the new cap may straddle the limit: drop them too if so
        while cap > 1 and int(pair_counts[sizes <= cap].sum()) > max_pairs:
            cap -= 1
        small = sizes <= cap
    in_small = np.repeat(small, sizes)
    pos = np.arange(len(idx), dtype=np.int64)
    ends = np.repeat(starts + sizes, sizes)
    if sides is None:
        counts = np.where(in_small, ends - pos - 1, 0)
        left, right = _expand(pos, counts, pos + 1)
    else:
        assert n_left is not None
        right_start = np.repeat(starts + n_left, sizes)
        is_left = pos < right_start
        counts = np.where(in_small & is_left, ends - right_start, 0)
        left, right = _expand(pos, counts, right_start)
    i, j = idx[left], idx[right]
    capped_blocks = int(np.count_nonzero(~small))
    capped_records = int(sizes[~small].sum())
    if capped_blocks:
        # the windows share what is left of the pair budget
        room = max_pairs - len(i)
        window = max(1, min(window, room // max(capped_records, 1)))
        big = np.flatnonzero(~in_small)
        big_idx = idx[big]
        group = np.repeat(np.arange(len(sizes)), sizes)[big]
        if sides is not None:  # window by name order, not by side
            resort = np.argsort(group * n + order_key[big_idx])
            big_idx, group = big_idx[resort], group[resort]
        wi, wj = _window_pairs(big_idx, group, window, sides)
        i, j = np.concatenate([i, wi]), np.concatenate([j, wj])
    return i, j, capped_blocks, capped_records, cap


def _sorted_pairs(
    keys: EncodedKeys, rule: SortedNeighbourhood, order_key: IntArray, sides: BoolArray | None
) -> tuple[IntArray, IntArray]:
    ranks = [keys[name].rank() for name in rule.keys]
    valid = np.flatnonzero(keys[rule.keys[0]].codes >= 0)
    if len(valid) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    sort_columns = [order_key[valid]] + [r[valid] for r in reversed(ranks)]
    idx = valid[np.lexsort(sort_columns)]
    return _window_pairs(idx, np.zeros(len(idx), np.int64), rule.window, sides)


def block(
    keys: EncodedKeys,
    rules: Sequence[BlockingRule | SortedNeighbourhood],
    *,
    block_cap: int = 500,
    cap_window: int = 20,
    max_pairs_per_rule: int = 50_000_000,
    sides: BoolArray | None = None,
    order_key: IntArray | None = None,
) -> CandidatePairs:
    """Candidate pairs from several blocking rules, unioned and de-duplicated.

    Args:
        keys: the encoded key columns of all records.
        rules: blocking rules and sorted-neighbourhood passes, applied in order (the order
            only matters for ``rule_new`` in the stats).
        block_cap: blocks with more records than this are not paired all-with-all; their
            records are sorted by ``order_key`` and paired with the next ``cap_window``.
        cap_window: neighbours per record inside a capped block.
        max_pairs_per_rule: a rule whose blocks under the cap would still give more pairs
            than this gets a lower cap.
        sides: two-table mode: ``True`` for records of the right table. Only pairs across
            the tables are produced, and the left-table records must come first.
        order_key: a permutation of ``0..n-1`` giving the order used inside capped blocks
            and to break ties (default: the record index).

    Returns:
        The candidate pairs, sorted by ``(left, right)``, and per-rule statistics.

    Raises:
        ColumnError: a rule names a key column the batch does not have.

    Example:
        >>> from crmclean.prepare import encode_keys
        >>> keys = encode_keys({"family": ["lee", "lee", "lee", "kim"],
        ...                     "given": ["a", "b", "a", "c"]})
        >>> pairs = block(keys, [BlockingRule(("family", "given[:1]")),
        ...                      SortedNeighbourhood(("given",), window=1)])
        >>> list(zip(pairs.left.tolist(), pairs.right.tolist())), pairs.rule_new
        ([(0, 2), (1, 2), (1, 3)], {'family+given[:1]': 1, 'sorted:given': 2})
    """
    n = keys.n
    if block_cap < 2 or cap_window < 1:
        raise ConfigError("block_cap must be at least 2 and cap_window at least 1")
    names = [rule.name for rule in rules]
    if len(set(names)) != len(names):
        raise ConfigError("two blocking rules have the same name")
    for rule in rules:  # every key column must exist before any work is done
        for name in rule.keys:
            keys[name]
    if len(rules) >= 63:
        raise ConfigError("at most 62 blocking rules")
    if n >= 2**28:
        raise ConfigError("at most 2**28 records per matching run")
    if order_key is None:
        order_key = np.arange(n, dtype=np.int64)
    bits = max(1, len(rules).bit_length())
    encoded: list[IntArray] = []
    rule_pairs: dict[str, int] = {}
    capped: dict[str, tuple[int, int]] = {}
    caps: dict[str, int] = {}
    for number, rule in enumerate(rules):
        if isinstance(rule, SortedNeighbourhood):
            i, j = _sorted_pairs(keys, rule, order_key, sides)
        else:
            codes = _group_codes(keys, rule.keys)
            i, j, blocks, records, cap = _rule_pairs(
                codes, order_key, sides, block_cap, cap_window, max_pairs_per_rule
            )
            caps[rule.name] = cap
            if blocks:
                capped[rule.name] = (blocks, records)
                warnings.warn(
                    f"blocking rule {rule.name!r}: {blocks} block(s) with {records} records "
                    f"are larger than the cap of {cap} records; each of their records is "
                    f"compared with its {cap_window} nearest neighbours by name only",
                    MatchingWarning,
                    stacklevel=2,
                )
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        keep = lo != hi
        rule_pairs[rule.name] = int(np.count_nonzero(keep))
        encoded.append(((lo[keep] * n + hi[keep]) << bits) | number)
    all_codes = np.sort(np.concatenate(encoded)) if encoded else np.zeros(0, np.int64)
    pair_codes = all_codes >> bits
    first = np.ones(len(all_codes), dtype=bool)
    np.not_equal(pair_codes[1:], pair_codes[:-1], out=first[1:])
    unique = pair_codes[first]
    new = np.bincount((all_codes[first] & ((1 << bits) - 1)), minlength=len(rules))
    rule_new = {rule.name: int(new[k]) for k, rule in enumerate(rules)}
    return CandidatePairs(
        left=unique // max(n, 1),
        right=unique % max(n, 1),
        rule_pairs=rule_pairs,
        rule_new=rule_new,
        capped=capped,
        caps=caps,
    )
