"""Blocking: the candidate pairs worth comparing, without comparing every record to every other.

A :class:`BlockingRule` puts records that share a key (same email key; same phonetic family name
and first initial; same postcode and family-name prefix, ...) into one block; every pair inside a
block is a candidate. A :class:`SortedNeighbourhood` pass sorts the records by a key and pairs
each record with the next few. The candidate pairs of all rules are unioned and de-duplicated.

Everything works on integer arrays: records are indexes ``0..n-1``, a pair ``(i, j)`` with
``i < j`` is encoded as ``i * n + j``, and duplicates go with one sort. A block larger than the cap
never explodes quadratically: its records are sorted by name and each one is paired only with
its next ``window`` neighbours (the user is told, by a :class:`MatchingWarning` and in the stats).

A :class:`BlockIndex` holds the blocking tables of a set of records once: :func:`block` asks it
for the pairs among them, and :class:`crmclean.index.MatchIndex` asks it for the candidates of
new records (:meth:`BlockIndex.candidates`), so a batch run and an incremental match block by the
same rules with the same tables.

Blocks over the cap: one policy
-------------------------------
Before, the two paths treated a block over the cap differently. :func:`block` lowered a rule's
cap when its blocks under the cap would give more than ``max_pairs_per_rule`` pairs, sorted
the records of each larger block by name (family, given, record index; now also date of birth,
postcode and email after the names) and paired each with
its next ``cap_window`` records there, the window shrinking (to one at least) so that the
windows share what the budget had left. The match index kept its records sorted by a hash of
the rule's keys and always used ``block_cap`` and ``cap_window`` as set: a new record whose
block held more than ``block_cap`` indexed records met the ``cap_window`` records on each side
of its place in name order; there was no budget.

Now both follow the batch policy. The cap and window of each rule are fixed when the tables
are built, from the indexed records, as :func:`block` fixes them: ``block_cap`` lowered and
``cap_window`` shrunk to fit ``max_pairs_per_rule``. A record in a block over that cap meets the
``window`` records nearest to it in name order on each side: in a batch, its next ``window``
records (and it is the next of its previous ones); a new record, the ``window`` indexed records
on each side of its place in name order (before the indexed records of the same name). Whether
a new record's block is over the cap depends on the indexed records only, so its candidates do
not depend on the rest of its batch. A new record's block is found exactly, by looking its keys
up in the indexed vocabularies (no hashing).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean.encode import EncodedColumn, EncodedKeys
from crmclean.errors import ColumnError, ConfigError

__all__ = [
    "NAME_ORDER",
    "BlockIndex",
    "BlockingRule",
    "CandidatePairs",
    "MatchingWarning",
    "SortedNeighbourhood",
    "block",
    "name_order",
    "rule_from_dict",
    "rule_limits",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

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

    def to_dict(self) -> dict[str, Any]:
        """The rule as JSON-ready data (the form :meth:`MatchSettings.to_dict
        <crmclean.pipeline.MatchSettings.to_dict>` writes).

        Example:
            >>> BlockingRule(("email",)).to_dict()
            {'type': 'rule', 'keys': ['email'], 'name': 'email'}
        """
        return {"type": "rule", "keys": list(self.keys), "name": self.name}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BlockingRule:
        """A rule from :meth:`to_dict` data (``"type"`` may be left out).

        Raises:
            ConfigError: the data is not a blocking rule's, names an unknown entry, or holds
                an invalid value.

        Example:
            >>> BlockingRule.from_dict({"keys": ["postcode", "family[:3]"]}).name
            'postcode+family[:3]'
        """
        rule = _rule_from_dict(data, "rule")
        assert isinstance(rule, BlockingRule)
        return rule


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

    def to_dict(self) -> dict[str, Any]:
        """The pass as JSON-ready data (the form :meth:`MatchSettings.to_dict
        <crmclean.pipeline.MatchSettings.to_dict>` writes).

        Example:
            >>> SortedNeighbourhood(("given",), window=3).to_dict()
            {'type': 'sorted', 'keys': ['given'], 'window': 3, 'name': 'sorted:given'}
        """
        return {"type": "sorted", "keys": list(self.keys), "window": self.window,
                "name": self.name}  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SortedNeighbourhood:
        """A pass from :meth:`to_dict` data (``"type"`` may be left out).

        Raises:
            ConfigError: the data is not a sorted-neighbourhood pass's, names an unknown
                entry, or holds an invalid value.

        Example:
            >>> SortedNeighbourhood.from_dict({"keys": ["given"], "window": 2}).window
            2
        """
        rule = _rule_from_dict(data, "sorted")
        assert isinstance(rule, SortedNeighbourhood)
        return rule


_RULE_ENTRIES: Final = {"rule": ("keys", "name"), "sorted": ("keys", "window", "name")}


def rule_from_dict(data: Mapping[str, Any]) -> BlockingRule | SortedNeighbourhood:
    """A blocking rule or a sorted-neighbourhood pass from its :meth:`BlockingRule.to_dict`
    or :meth:`SortedNeighbourhood.to_dict` data, by its ``"type"`` (``"rule"`` when left out).

    Raises:
        ConfigError: the data is not a mapping, its type is unknown, an entry is unknown or
            missing, or a value is invalid (the message names the entry, never a value).

    Example:
        >>> rule_from_dict({"type": "sorted", "keys": ["family", "given"], "window": 4})
        SortedNeighbourhood(keys=('family', 'given'), window=4, name='sorted:family+given')
        >>> rule_from_dict(BlockingRule(("email",)).to_dict()) == BlockingRule(("email",))
        True
    """
    return _rule_from_dict(data, None)


def _rule_from_dict(data: object, expected: str | None) -> BlockingRule | SortedNeighbourhood:
    if not isinstance(data, Mapping):
        raise ConfigError("a blocking rule must be a mapping (a JSON object)")
    kind = data.get("type", expected or "rule")
    if kind not in _RULE_ENTRIES:
        raise ConfigError("unknown blocking rule type; use 'rule' or 'sorted'")
    if expected is not None and kind != expected:
        raise ConfigError(f"expected a blocking rule of type {expected!r}, not {kind!r}")
    what = "blocking rule" if kind == "rule" else "sorted neighbourhood"
    allowed = _RULE_ENTRIES[kind]
    unknown = sorted(str(k) for k in data if k != "type" and k not in allowed)
    if unknown:
        raise ConfigError(
            f"{what}: unknown entr{'y' if len(unknown) == 1 else 'ies'} "
            + ", ".join(repr(k) for k in unknown) + "; known: " + ", ".join(allowed)
        )
    if "keys" not in data:
        raise ConfigError(f"{what}: 'keys' is missing")
    keys = data["keys"]
    if not isinstance(keys, (list, tuple)) or not all(isinstance(k, str) for k in keys):
        raise ConfigError(f"{what}: 'keys' must be a list of key column names")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise ConfigError(f"{what}: 'name' must be a string")
    if kind == "rule":
        return BlockingRule(tuple(keys), name=name)
    window = data.get("window", 5)
    if not isinstance(window, int) or isinstance(window, bool):
        raise ConfigError("sorted neighbourhood: 'window' must be a positive int")
    return SortedNeighbourhood(tuple(keys), window=window, name=name)


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
        >>> from crmclean.encode import encode_keys
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


def _fit_cap(
    sizes: IntArray, pair_counts: IntArray, cap: int, max_pairs: int, blocks: IntArray
) -> int:
    """The block cap, lowered when the blocks under it would still give too many pairs."""
    total = pair_counts * blocks
    if int(total[sizes <= cap].sum()) > max_pairs:
        by_size = np.argsort(sizes, kind="stable")
        cumulative = np.cumsum(total[by_size])
        # the first block of each size fits when the smaller ones and it stay in the budget
        first_fits = cumulative - total[by_size] + pair_counts[by_size] <= max_pairs
        fits = sizes[by_size][first_fits & (blocks[by_size] > 0)]
        cap = int(fits.max()) if len(fits) else 1
        # blocks of exactly the new cap may straddle the limit: drop them too if so
        while cap > 1 and int(total[sizes <= cap].sum()) > max_pairs:
            cap -= 1
    return cap


def rule_limits(
    sizes: IntArray,
    pair_counts: IntArray,
    *,
    block_cap: int,
    cap_window: int,
    max_pairs: int,
    blocks: IntArray | None = None,
) -> tuple[int, int, int, int]:
    """A blocking rule's cap and window from the sizes of its blocks: ``(cap, window,
    capped_blocks, capped_records)``.

    The cap is ``block_cap``, lowered while the blocks under it would give more than
    ``max_pairs`` pairs; the records of larger blocks meet their ``window`` nearest records by
    name, the window shrunk (to one at least) so that those pairs share what the blocks under
    the cap leave of the budget.

    Args:
        sizes: records per block.
        pair_counts: pairs each block gives all-with-all (two-table mode: left × right).
        block_cap: the cap asked for.
        cap_window: the window asked for.
        max_pairs: the rule's pair budget.
        blocks: how many blocks have each ``(size, pair_count)`` (default one each): an
            engine that counts blocks by size passes the counts instead of every block.

    Example:
        >>> sizes = np.array([2, 3, 600])
        >>> rule_limits(sizes, sizes * (sizes - 1) // 2, block_cap=500, cap_window=20,
        ...             max_pairs=1_000_000)
        (500, 20, 1, 600)
        >>> sizes, blocks = np.array([2, 600]), np.array([1000, 1])
        >>> rule_limits(sizes, sizes * (sizes - 1) // 2, block_cap=500, cap_window=20,
        ...             max_pairs=1_500, blocks=blocks)
        (500, 1, 1, 600)
    """
    counts = np.ones(len(sizes), dtype=np.int64) if blocks is None else np.asarray(blocks)
    cap = _fit_cap(sizes, pair_counts, block_cap, max_pairs, counts)
    small = sizes <= cap
    capped_blocks = int(counts[~small].sum())
    capped_records = int((sizes * counts)[~small].sum())
    window = cap_window
    if capped_blocks:  # the windows share what is left of the pair budget
        room = max_pairs - int((pair_counts * counts)[small].sum())
        window = max(1, min(window, room // max(capped_records, 1)))
    return cap, window, capped_blocks, capped_records


class _RuleTable:
    """A blocking rule's records in blocks: ``members`` sorted by block code (then side, then
    order), each block's ``starts``, ``sizes`` and ``codes``, and the cap and window in force.
    """

    __slots__ = ("_by_name", "_steps", "cap", "capped_blocks", "capped_records", "codes",
                 "members", "n_left", "rule", "sizes", "starts", "window")  # fmt: skip

    def __init__(self, rule: BlockingRule, members: IntArray, starts: IntArray,
                 sizes: IntArray, n_left: IntArray | None) -> None:  # fmt: skip
        self.rule = rule
        self.members = members
        self.starts = starts
        self.sizes = sizes
        self.codes: IntArray = np.zeros(0, np.int64)
        self.n_left = n_left
        self.cap = self.window = self.capped_blocks = self.capped_records = 0
        self._by_name: tuple[IntArray, IntArray] | None = None  # see BlockIndex._capped
        self._steps: list[IntArray] | None = None  # see BlockIndex._blocks_of


def _rule_table(
    keys: EncodedKeys,
    rule: BlockingRule,
    order_key: IntArray,
    sides: BoolArray | None,
    cap: int,
    window: int,
    max_pairs: int,
) -> _RuleTable:
    """Group the records by the rule's keys and fix the rule's cap and window.

    Pairs from windows in capped blocks share the budget too: the window shrinks (to one
    neighbour at least) to fit what the blocks under the cap leave of it.
    """
    n = keys.n
    codes = _group_codes(keys, rule.keys)
    valid = np.flatnonzero(codes >= 0)
    if len(valid) == 0:
        empty = np.zeros(0, np.int64)
        table = _RuleTable(rule, empty, empty, empty, None if sides is None else empty)
        table.cap, table.window = cap, window
        return table
    side_bit = sides[valid].astype(np.int64) if sides is not None else 0
    sort_key = (codes[valid] * 2 + side_bit) * n + order_key[valid]
    idx = valid[np.argsort(sort_key)]
    c = codes[idx]
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    sizes = np.diff(np.r_[starts, len(c)]).astype(np.int64)
    n_left = None
    if sides is not None:
        n_left = np.add.reduceat((~sides[idx]).astype(np.int64), starts)
    table = _RuleTable(rule, idx, starts, sizes, n_left)
    table.codes = c[starts]
    table.cap, table.window, table.capped_blocks, table.capped_records = rule_limits(
        sizes, _pair_count(sizes, n_left), block_cap=cap, cap_window=window, max_pairs=max_pairs
    )
    return table


def _rule_pairs(
    table: _RuleTable, order_key: IntArray, sides: BoolArray | None
) -> tuple[IntArray, IntArray]:
    """All pairs within each block of the table; blocks over the cap windowed."""
    idx, starts, sizes = table.members, table.starts, table.sizes
    n = len(order_key)
    if len(idx) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    small = sizes <= table.cap
    in_small = np.repeat(small, sizes)
    pos = np.arange(len(idx), dtype=np.int64)
    ends = np.repeat(starts + sizes, sizes)
    if sides is None:
        counts = np.where(in_small, ends - pos - 1, 0)
        left, right = _expand(pos, counts, pos + 1)
    else:
        assert table.n_left is not None
        right_start = np.repeat(starts + table.n_left, sizes)
        is_left = pos < right_start
        counts = np.where(in_small & is_left, ends - right_start, 0)
        left, right = _expand(pos, counts, right_start)
    i, j = idx[left], idx[right]
    if table.capped_blocks:
        big = np.flatnonzero(~in_small)
        big_idx = idx[big]
        group = np.repeat(np.arange(len(sizes)), sizes)[big]
        if sides is not None:  # window by name order, not by side
            resort = np.argsort(group * n + order_key[big_idx])
            big_idx, group = big_idx[resort], group[resort]
        wi, wj = _window_pairs(big_idx, group, table.window, sides)
        i, j = np.concatenate([i, wi]), np.concatenate([j, wj])
    return i, j


def _group_steps(keys: EncodedKeys, columns: tuple[str, ...]) -> list[IntArray]:
    """The sorted distinct combined codes at each step of :func:`_group_codes` (whose dense
    codes are their positions), to find the group of a combination of codes later."""
    steps: list[IntArray] = []
    combined = keys[columns[0]].codes.astype(np.int64)
    for name in columns[1:]:
        col = keys[name]
        nxt = col.codes.astype(np.int64)
        null = (combined < 0) | (nxt < 0)
        combined = combined * (len(col.vocab) + 1) + nxt
        combined[null] = -1
        steps.append(np.unique(combined[combined >= 0]))
        combined = _dense(combined)
    return steps


class _PassTable:
    """A sorted-neighbourhood pass's records (first key not null) in key order, ties in
    record order."""

    __slots__ = ("composite", "members", "rule")

    def __init__(self, rule: SortedNeighbourhood, members: IntArray) -> None:
        self.rule = rule
        self.members = members
        self.composite: tuple[IntArray, int] | None = None  # see BlockIndex._pass_candidates


def _pass_table(keys: EncodedKeys, rule: SortedNeighbourhood, order_key: IntArray) -> _PassTable:
    ranks = [keys[name].rank() for name in rule.keys]
    valid = np.flatnonzero(keys[rule.keys[0]].codes >= 0)
    sort_columns = [order_key[valid]] + [r[valid] for r in reversed(ranks)]
    return _PassTable(rule, valid[np.lexsort(sort_columns)] if len(valid) else valid)


def _pass_pairs(table: _PassTable, sides: BoolArray | None) -> tuple[IntArray, IntArray]:
    idx = table.members
    if len(idx) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return _window_pairs(idx, np.zeros(len(idx), np.int64), table.rule.window, sides)


# --- looking up new records ----------------------------------------------------------------


class _Ranked:
    """A column's vocabulary in sorted order: string → code lookups and key places."""

    __slots__ = ("rank", "size", "sorted_codes", "sorted_vocab")

    def __init__(self, column: EncodedColumn) -> None:
        vocab = column.vocab
        self.size = len(vocab)
        order = np.argsort(vocab, kind="stable") if self.size else np.zeros(0, np.int64)
        self.sorted_codes: IntArray = order.astype(np.int64)
        self.sorted_vocab: ObjectArray = vocab[order]
        self.rank: IntArray = np.empty(self.size, dtype=np.int64)
        self.rank[order] = np.arange(self.size, dtype=np.int64)

    def find(self, values: ObjectArray) -> tuple[IntArray, IntArray]:
        """``(codes, places)`` of strings (``None`` = null): each one's code in the column
        (``-1`` when absent or null) and its place in key order, encoded so that it sorts
        with the records' :meth:`encoded` keys (between neighbours when absent, last when
        null)."""
        m = len(values)
        codes = np.full(m, -1, dtype=np.int64)
        places = np.full(m, 2 * self.size + 2, dtype=np.int64)
        present = np.flatnonzero(values != None)  # noqa: E711 - elementwise on objects
        if len(present) == 0 or self.size == 0:
            if len(present):
                places[present] = 0
            return codes, places
        wanted = values[present]
        at = np.searchsorted(self.sorted_vocab, wanted).astype(np.int64)
        clipped = np.minimum(at, self.size - 1)
        hit = (at < self.size) & (self.sorted_vocab[clipped] == wanted)
        codes[present[hit]] = self.sorted_codes[clipped[hit]]
        places[present] = 2 * at + hit.astype(np.int64)
        return codes, places

    def encoded(self, codes: npt.NDArray[np.int32] | IntArray) -> IntArray:
        """Each record's place in key order: ``2·rank + 1``, nulls last."""
        table = np.r_[2 * self.rank + 1, 2 * self.size + 2].astype(np.int64)
        out: IntArray = table[codes.astype(np.int64)]  # -1 picks the trailing null slot
        return out

    @property
    def radix(self) -> int:
        return 2 * self.size + 3


def _strings(column: EncodedColumn) -> ObjectArray:
    """A column's keys as an object array of strings and ``None``."""
    table = np.empty(len(column.vocab) + 1, dtype=object)
    table[: len(column.vocab)] = column.vocab
    table[-1] = None
    out: ObjectArray = table[column.codes.astype(np.int64)]
    return out


def _composite(places: Sequence[IntArray], radixes: Sequence[int]) -> tuple[IntArray, int]:
    """One int64 per row ordering rows by their places, most significant first; keys that
    would overflow 62 bits are left out (their order falls to the tie-breaker)."""
    out = np.zeros(len(places[0]), dtype=np.int64)
    total, used = 1, 0
    for p, radix in zip(places, radixes, strict=True):
        if total * radix >= 2**62:
            break
        out = out * radix + p
        total *= radix
        used += 1
    return out, used


_NAME_ORDER: Final = ("family", "given", "dob", "postcode", "email")
#: The key columns of :func:`name_order`, most significant first (each in key order, nulls
#: last; then the record's position in id order).
NAME_ORDER: Final = _NAME_ORDER


def name_order(keys: EncodedKeys) -> IntArray:
    """Each record's rank in name order: family name, then given name, then date of birth,
    postcode and email (nulls last), then record index. Capped blocks pair records by this
    order, so that inside a block of one name the records of one person sit side by side.

    Example:
        >>> from crmclean.encode import encode_keys
        >>> keys = encode_keys({"family": ["lee", "kim", "lee"], "given": ["bo", "al", "al"]})
        >>> name_order(keys).tolist()
        [2, 0, 1]
    """
    n = keys.n
    columns: list[IntArray] = [np.arange(n, dtype=np.int64)]
    for name in reversed(_NAME_ORDER):
        if name in keys.names:
            columns.append(keys[name].rank())
    order = np.lexsort(columns)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    return rank


# --- the index -----------------------------------------------------------------------------


Rule = BlockingRule | SortedNeighbourhood
_Table = _RuleTable | _PassTable


def _check_options(
    keys: EncodedKeys, rules: Sequence[Rule], block_cap: int, cap_window: int
) -> None:
    if block_cap < 2 or cap_window < 1:
        raise ConfigError("block_cap must be at least 2 and cap_window at least 1")
    for rule in rules:  # every key column must exist before any work is done
        for name in rule.keys:
            keys[name]


def _check_names(rules: Sequence[Rule]) -> None:
    names = [rule.name for rule in rules]
    if len(set(names)) != len(names):
        raise ConfigError("two blocking rules have the same name")


def _check_limits(keys: EncodedKeys, rules: Sequence[Rule]) -> None:
    if len(rules) >= 63:
        raise ConfigError("at most 62 blocking rules")
    if keys.n >= 2**28:
        raise ConfigError("at most 2**28 records per matching run")


class BlockIndex:
    """Blocking tables of a set of records: the candidate pairs among them (:meth:`pairs`,
    what :func:`block` returns) and between them and new records (:meth:`candidates`), by the
    same rules and the same policy for blocks over the cap.

    Per blocking rule the records are grouped into blocks and sorted by block, then by name
    (:func:`name_order`); per sorted-neighbourhood pass they are sorted by the pass's keys.
    A new record's block is found by looking its keys up in the indexed vocabularies (exact,
    no hashing); its place in a pass or in name order by binary search. Build with
    :meth:`build`; an index is never modified (:meth:`extend` returns a new one).

    Example:
        >>> from crmclean.encode import encode_keys
        >>> keys = encode_keys({"email": ["a@x.org", "b@x.org", "a@x.org"]})
        >>> index = BlockIndex.build(keys, [BlockingRule(("email",))])
        >>> index.pairs().left.tolist(), index.pairs().right.tolist()
        ([0], [2])
        >>> new, old = index.candidates(encode_keys({"email": ["c@x.org", "a@x.org"]}))
        >>> list(zip(new.tolist(), old.tolist()))
        [(1, 0), (1, 2)]
    """

    __slots__ = ("_block_cap", "_cap_window", "_keys", "_max_pairs", "_name_sorted", "_order_key",
                 "_ranked", "_rules", "_sides", "_tables")  # fmt: skip

    def __init__(
        self,
        keys: EncodedKeys,
        rules: Sequence[Rule],
        block_cap: int,
        cap_window: int,
        max_pairs_per_rule: int,
        sides: BoolArray | None,
        order_key: IntArray,
    ) -> None:
        """Use :meth:`build`; the arguments are checked there."""
        self._keys = keys
        self._rules = tuple(rules)
        self._block_cap = block_cap
        self._cap_window = cap_window
        self._max_pairs = max_pairs_per_rule
        self._sides = sides
        self._order_key = order_key
        self._ranked: dict[str, _Ranked] = {}
        self._name_sorted: IntArray | None = None
        self._tables: list[_Table] = [
            _pass_table(keys, rule, order_key) if isinstance(rule, SortedNeighbourhood)
            else _rule_table(keys, rule, order_key, sides, block_cap, cap_window,
                             max_pairs_per_rule)
            for rule in rules
        ]  # fmt: skip

    @classmethod
    def build(
        cls,
        keys: EncodedKeys,
        rules: Sequence[Rule],
        *,
        block_cap: int = 500,
        cap_window: int = 20,
        max_pairs_per_rule: int = 50_000_000,
        sides: BoolArray | None = None,
        order_key: IntArray | None = None,
    ) -> BlockIndex:
        """Index records for blocking.

        Args:
            keys: the encoded key columns of the records.
            rules: blocking rules and sorted-neighbourhood passes.
            block_cap: a block with more records than this is not paired all-with-all:
                each record meets only its ``cap_window`` nearest records by name on each
                side (the cap is lowered for a rule as ``max_pairs_per_rule`` requires).
            cap_window: neighbours on each side inside a capped block.
            max_pairs_per_rule: a rule whose blocks under the cap would give more pairs
                among the records than this gets a lower cap, and its windows share what
                is left.
            sides: two-table mode for :meth:`pairs` (see :func:`block`).
            order_key: a permutation of ``0..n-1``: the order inside capped blocks and
                between equal keys of a pass (default :func:`name_order`). New records are
                placed in it by their names, so keep the default when :meth:`candidates`
                will meet capped blocks.

        Raises:
            ConfigError: a cap below 2 or a window below 1.
            ColumnError: a rule names a key column the records do not have.

        Example:
            >>> from crmclean.encode import encode_keys
            >>> keys = encode_keys({"city": ["york"] * 5})
            >>> BlockIndex.build(keys, [BlockingRule(("city",))], block_cap=3).caps
            {'city': 3}
        """
        _check_options(keys, rules, block_cap, cap_window)
        if order_key is None:
            order_key = name_order(keys)
        return cls(keys, rules, block_cap, cap_window, max_pairs_per_rule, sides, order_key)

    def __len__(self) -> int:
        return self._keys.n

    def __repr__(self) -> str:
        return f"BlockIndex({len(self)} records, {len(self._rules)} rules)"

    @property
    def keys(self) -> EncodedKeys:
        """The indexed records' key columns."""
        return self._keys

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The blocking rules and sorted-neighbourhood passes, in order."""
        return self._rules

    @property
    def caps(self) -> dict[str, int]:
        """Blocking rule name → the block cap in force (lowered from ``block_cap`` when the
        rule's blocks would give too many pairs)."""
        return {t.rule.name: t.cap for t in self._tables if isinstance(t, _RuleTable)}

    # -- pairs among the indexed records ------------------------------------------------------

    def pairs(self) -> CandidatePairs:
        """The candidate pairs among the indexed records, as :func:`block` returns them
        (with its :class:`MatchingWarning` for capped blocks).

        Raises:
            ConfigError: two rules have the same name, more than 62 rules, or more than
                ``2**28`` records.

        Example:
            >>> from crmclean.encode import encode_keys
            >>> keys = encode_keys({"email": ["a@x.org", "a@x.org", "b@y.org"]})
            >>> BlockIndex.build(keys, [BlockingRule(("email",))]).pairs().left.tolist()
            [0]
        """
        _check_names(self._rules)
        _check_limits(self._keys, self._rules)
        pairs = self._pairs()
        self._warn_capped(pairs, stacklevel=3)
        return pairs

    def _pairs(self) -> CandidatePairs:
        n = self._keys.n
        rules, sides, order_key = self._rules, self._sides, self._order_key
        bits = max(1, len(rules).bit_length())
        encoded: list[IntArray] = []
        rule_pairs: dict[str, int] = {}
        capped: dict[str, tuple[int, int]] = {}
        caps: dict[str, int] = {}
        for number, table in enumerate(self._tables):
            name = table.rule.name
            if isinstance(table, _PassTable):
                i, j = _pass_pairs(table, sides)
            else:
                i, j = _rule_pairs(table, order_key, sides)
                caps[name] = table.cap
                if table.capped_blocks:
                    capped[name] = (table.capped_blocks, table.capped_records)
            lo, hi = np.minimum(i, j), np.maximum(i, j)
            keep = lo != hi
            rule_pairs[name] = int(np.count_nonzero(keep))
            encoded.append(((lo[keep] * n + hi[keep]) << bits) | number)
        # one array of codes, sorted in place, then shifted in place to the pair codes: the
        # union never holds more than one copy of every rule's pairs
        all_codes = np.concatenate(encoded) if encoded else np.zeros(0, np.int64)
        del encoded
        all_codes.sort()
        rule_of = (all_codes & ((1 << bits) - 1)).astype(np.uint8)  # at most 62 rules
        all_codes >>= bits
        first = np.ones(len(all_codes), dtype=bool)
        np.not_equal(all_codes[1:], all_codes[:-1], out=first[1:])
        unique = all_codes[first]
        new = np.bincount(rule_of[first], minlength=len(rules))
        del all_codes, rule_of, first
        rule_new = {rule.name: int(new[k]) for k, rule in enumerate(rules)}
        left, right = np.divmod(unique, max(n, 1))
        del unique
        return CandidatePairs(
            left=left,
            right=right,
            rule_pairs=rule_pairs,
            rule_new=rule_new,
            capped=capped,
            caps=caps,
        )

    def _warn_capped(self, pairs: CandidatePairs, stacklevel: int) -> None:
        for name, (blocks, records) in pairs.capped.items():
            warnings.warn(
                f"blocking rule {name!r}: {blocks} block(s) with {records} records "
                f"are larger than the cap of {pairs.caps[name]} records; each of their "
                f"records is compared with its {self._cap_window} nearest neighbours by name "
                "only",
                MatchingWarning,
                stacklevel=stacklevel,
            )

    # -- candidates for new records -----------------------------------------------------------

    def candidates(
        self, new_keys: EncodedKeys, *, stacklevel: int = 2
    ) -> tuple[IntArray, IntArray]:
        """Candidate pairs between new records and the indexed ones, by the same rules: per
        blocking rule, the indexed records of the new record's block (of a block over the
        cap, the ``window`` records nearest to the new record's place in name order on each
        side); per sorted-neighbourhood pass, the ``window`` records on each side of its
        place in key order. Whether a block is over the cap depends on its indexed records
        only, so a record's candidates do not depend on the rest of its batch.

        Args:
            new_keys: the new records' key columns (missing columns count as null).
            stacklevel: of the :class:`MatchingWarning` about capped blocks.

        Returns:
            ``(new_rows, indexed_rows)``: de-duplicated and sorted by new row, then indexed
            row.

        Example:
            >>> from crmclean.encode import encode_keys
            >>> keys = encode_keys({"family": ["lee", "kim", "lim"]})
            >>> index = BlockIndex.build(keys, [SortedNeighbourhood(("family",), window=1)])
            >>> new, old = index.candidates(encode_keys({"family": ["lem"]}))
            >>> sorted(keys["family"].vocab[keys["family"].codes[old]].tolist())
            ['lee', 'lim']
        """
        n = self._keys.n
        found_b: list[IntArray] = []
        found_r: list[IntArray] = []
        capped: list[tuple[_RuleTable, int]] = []
        for table in self._tables:
            if isinstance(table, _PassTable):
                b, r = self._pass_candidates(table, new_keys)
            else:
                b, r, over = self._rule_candidates(table, new_keys)
                if over:
                    capped.append((table, over))
            found_b.append(b)
            found_r.append(r)
        for table, over in capped:
            warnings.warn(
                f"blocking rule {table.rule.name!r}: {over} new record(s) fall in blocks "
                f"larger than the cap of {table.cap} records; each is compared with the "
                f"{table.window} nearest records by name on each side only",
                MatchingWarning,
                stacklevel=stacklevel,
            )
        if not found_b:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        code = np.unique(np.concatenate(found_b) * max(n, 1) + np.concatenate(found_r))
        return code // max(n, 1), code % max(n, 1)

    def _rule_candidates(
        self, table: _RuleTable, new_keys: EncodedKeys
    ) -> tuple[IntArray, IntArray, int]:
        blocks = self._blocks_of(table, new_keys)
        rows = np.flatnonzero(blocks >= 0)
        blocks = blocks[rows]
        first, sizes = table.starts[blocks], table.sizes[blocks]
        small = sizes <= table.cap
        b, pos = _expand(rows[small], sizes[small], first[small])
        r = table.members[pos]
        over = int(np.count_nonzero(~small))
        if over:
            big_b, big_r = self._capped(table, new_keys, rows[~small], blocks[~small])
            b, r = np.concatenate([b, big_b]), np.concatenate([r, big_r])
        return b, r, over

    def _blocks_of(self, table: _RuleTable, new_keys: EncodedKeys) -> IntArray:
        """Per new record, its block in the table (``-1``: no indexed record shares its keys)."""
        columns = table.rule.keys
        m = new_keys.n
        if len(table.codes) == 0 or not all(name in new_keys for name in columns):
            return np.full(m, -1, dtype=np.int64)
        combined = self.lookup(columns[0], _strings(new_keys[columns[0]]))
        if len(columns) > 1 and table._steps is None:
            table._steps = _group_steps(self._keys, columns)
        for name, step in zip(columns[1:], table._steps or (), strict=True):
            nxt = self.lookup(name, _strings(new_keys[name]))
            value = combined * (len(self._keys[name].vocab) + 1) + nxt
            combined = _position(step, value, (combined >= 0) & (nxt >= 0))
        return _position(table.codes, combined, combined >= 0)

    def _capped(
        self, table: _RuleTable, new_keys: EncodedKeys, rows: IntArray, blocks: IntArray
    ) -> tuple[IntArray, IntArray]:
        """New records in capped blocks: the ``window`` records of the block nearest to
        each one's place in name order, on each side."""
        n = self._keys.n
        if table._by_name is None:
            members = table.members
            block_of = np.repeat(np.arange(len(table.sizes), dtype=np.int64), table.sizes)
            if self._sides is not None:  # members are sorted by side within a block
                members = members[np.lexsort((self._order_key[members], block_of))]
            table._by_name = (members, block_of * (n + 1) + self._order_key[members])
        members, sort_key = table._by_name
        places = self._name_places(new_keys)[rows]
        at = np.searchsorted(sort_key, blocks * (n + 1) + places).astype(np.int64)
        lo = table.starts[blocks]
        first = np.maximum(at - table.window, lo)
        end = np.minimum(at + table.window, lo + table.sizes[blocks])
        b, pos = _expand(rows, end - first, first)
        return b, members[pos]

    def _name_places(self, new_keys: EncodedKeys) -> IntArray:
        """Each new record's place in the indexed records' name order: how many indexed
        records come before it (new records go before indexed ones of the same name)."""
        names = tuple(c for c in _NAME_ORDER if c in self._keys.names)
        if not names:
            return np.full(new_keys.n, self._keys.n, dtype=np.int64)
        if self._name_sorted is None:
            by_order = np.argsort(self._order_key)
            ranked = [self._ranked_column(name) for name in names]
            indexed = [r.encoded(self._keys[name].codes[by_order])
                       for r, name in zip(ranked, names, strict=True)]  # fmt: skip
            composite, _ = _composite(indexed, [r.radix for r in ranked])
            if len(composite) > 1 and bool(np.any(composite[1:] < composite[:-1])):
                raise ConfigError(
                    "new records can only meet capped blocks of an index ordered by name "
                    "(build it without order_key)"
                )
            self._name_sorted = composite
        places = self._places(new_keys, names)
        return np.searchsorted(self._name_sorted, places, side="left").astype(np.int64)

    def _pass_candidates(
        self, table: _PassTable, new_keys: EncodedKeys
    ) -> tuple[IntArray, IntArray]:
        rule, members = table.rule, table.members
        empty = np.zeros(0, np.int64)
        if len(members) == 0 or rule.keys[0] not in new_keys:
            return empty, empty
        rows = np.flatnonzero(new_keys[rule.keys[0]].codes >= 0)
        if len(rows) == 0:
            return empty, empty
        if table.composite is None:
            ranked = [self._ranked_column(name) for name in rule.keys]
            places = [r.encoded(self._keys[name].codes[members])
                      for r, name in zip(ranked, rule.keys, strict=True)]  # fmt: skip
            table.composite = _composite(places, [r.radix for r in ranked])
        composite, used = table.composite
        if used == 0:
            return empty, empty
        place = np.searchsorted(composite, self._places(new_keys, rule.keys[:used])[rows])
        first = np.maximum(place - rule.window, 0).astype(np.int64)
        end = np.minimum(place + rule.window, len(members)).astype(np.int64)
        b, pos = _expand(rows, end - first, first)
        return b, members[pos]

    def _places(self, new_keys: EncodedKeys, names: tuple[str, ...]) -> IntArray:
        """New records' places in the key order of the indexed columns ``names``."""
        places, radixes = [], []
        for name in names:
            ranked = self._ranked_column(name)
            if name in new_keys:
                _, place = ranked.find(_strings(new_keys[name]))
            else:
                place = np.full(new_keys.n, 2 * ranked.size + 2, dtype=np.int64)
            places.append(place)
            radixes.append(ranked.radix)
        composite, _ = _composite(places, radixes)
        return composite

    def _ranked_column(self, name: str) -> _Ranked:
        ranked = self._ranked.get(name)
        if ranked is None:
            column = self._keys[name]
            # given and family share one vocabulary: sort it once
            for other, done in self._ranked.items():
                if self._keys[other].vocab is column.vocab:
                    ranked = done
                    break
            else:
                ranked = _Ranked(column)
            self._ranked[name] = ranked
        return ranked

    def lookup(self, name: str, values: ObjectArray) -> IntArray:
        """Each value's code in the indexed key column ``name`` (``-1``: null, or no indexed
        record holds it).

        Raises:
            ColumnError: no such key column.

        Example:
            >>> import numpy as np
            >>> from crmclean.encode import encode_keys
            >>> index = BlockIndex.build(encode_keys({"city": ["york", "leeds"]}), [])
            >>> index.lookup("city", np.array(["leeds", "hull", None], dtype=object)).tolist()
            [1, -1, -1]
        """
        codes, _ = self._ranked_column(name).find(values)
        return codes

    # -- growing --------------------------------------------------------------------------------

    def extend(
        self, new_keys: EncodedKeys, *, max_pairs_per_rule: int | None = None
    ) -> BlockIndex:
        """A new index of the indexed records followed by the new ones (this one is not
        changed), with the same rules and cap, in name order. New keys grow the
        vocabularies (given and family names keep sharing theirs).

        Args:
            new_keys: the new records' key columns (missing columns count as null).
            max_pairs_per_rule: the new index's pair budget (default: this index's).

        Raises:
            ColumnError: the new records have a key column the index does not hold.
            ConfigError: the index was built for two tables.

        Example:
            >>> from crmclean.encode import encode_keys
            >>> index = BlockIndex.build(encode_keys({"city": ["york"]}), [BlockingRule(("city",))])
            >>> bigger = index.extend(encode_keys({"city": ["hull", "york"]}))
            >>> len(bigger), bigger.pairs().right.tolist()
            (3, [2])
        """
        if self._sides is not None:
            raise ConfigError("an index of two tables cannot be extended")
        unknown = [name for name in new_keys.names if name not in self._keys.names]
        if unknown:
            raise ColumnError(
                "the new records have key column(s) " + ", ".join(repr(u) for u in unknown)
                + " that the index does not hold; its key columns are: "
                + ", ".join(self._keys.names)
            )
        keys = self._append_keys(new_keys)
        return BlockIndex.build(
            keys,
            self._rules,
            block_cap=self._block_cap,
            cap_window=self._cap_window,
            max_pairs_per_rule=self._max_pairs if max_pairs_per_rule is None
            else max_pairs_per_rule,
        )

    def _append_keys(self, new_keys: EncodedKeys) -> EncodedKeys:
        groups: dict[int, list[str]] = {}
        for name in self._keys.names:
            groups.setdefault(id(self._keys[name].vocab), []).append(name)
        m = new_keys.n
        columns: dict[str, EncodedColumn] = {}
        for group in groups.values():
            vocab = self._keys[group[0]].vocab
            ranked = self._ranked_column(group[0])
            extra: dict[str, int] = {}
            found: dict[str, IntArray] = {}
            for name in group:
                if name in new_keys.names:
                    values = _strings(new_keys[name])
                else:
                    values = np.full(m, None, dtype=object)
                codes, _ = ranked.find(values)
                for i in np.flatnonzero((codes < 0) & (values != None)).tolist():  # noqa: E711
                    codes[i] = extra.setdefault(values[i], len(vocab) + len(extra))
                found[name] = codes
            if extra:
                grown = np.empty(len(vocab) + len(extra), dtype=object)
                grown[: len(vocab)] = vocab
                grown[len(vocab) :] = list(extra)
                vocab = grown
            for name in group:
                old = self._keys[name].codes
                joined = np.concatenate([old, found[name].astype(np.int32)]).astype(np.int32)
                columns[name] = EncodedColumn(joined, vocab)
        return EncodedKeys(columns, self._keys.n + m)


def _position(sorted_values: IntArray, values: IntArray, valid: BoolArray) -> IntArray:
    """Each value's position in ``sorted_values`` (distinct), ``-1`` where absent or not
    ``valid``."""
    at = np.searchsorted(sorted_values, values).astype(np.int64)
    hit = valid & (at < len(sorted_values))
    hit[hit] = sorted_values[at[hit]] == values[hit]
    return np.where(hit, at, -1)


def block(
    keys: EncodedKeys,
    rules: Sequence[Rule],
    *,
    block_cap: int = 500,
    cap_window: int = 20,
    max_pairs_per_rule: int = 50_000_000,
    sides: BoolArray | None = None,
    order_key: IntArray | None = None,
) -> CandidatePairs:
    """Candidate pairs from several blocking rules, unioned and de-duplicated: the pairs of
    a :class:`BlockIndex` of the records.

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
        >>> from crmclean.encode import encode_keys
        >>> keys = encode_keys({"family": ["lee", "lee", "lee", "kim"],
        ...                     "given": ["a", "b", "a", "c"]})
        >>> pairs = block(keys, [BlockingRule(("family", "given[:1]")),
        ...                      SortedNeighbourhood(("given",), window=1)])
        >>> list(zip(pairs.left.tolist(), pairs.right.tolist())), pairs.rule_new
        ([(0, 2), (1, 2), (1, 3)], {'family+given[:1]': 1, 'sorted:given': 2})
    """
    if block_cap < 2 or cap_window < 1:
        raise ConfigError("block_cap must be at least 2 and cap_window at least 1")
    _check_names(rules)
    _check_options(keys, rules, block_cap, cap_window)
    _check_limits(keys, rules)
    if order_key is None:
        order_key = np.arange(keys.n, dtype=np.int64)
    index = BlockIndex(keys, rules, block_cap, cap_window, max_pairs_per_rule, sides, order_key)
    pairs = index._pairs()
    index._warn_capped(pairs, stacklevel=3)
    return pairs
