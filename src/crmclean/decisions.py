"""Decisions a person made about pairs of records: the same entity (must link) or not (cannot link).

A model's scores are a guess; a reviewer's answer is not. :class:`Decisions` holds those answers
by record id, so that they survive a new run, new records and another row order, and every
matching function honours them: :func:`crmclean.dedupe`, :func:`crmclean.link`,
:func:`crmclean.merge` and :class:`crmclean.MatchIndex` (which stores them with the index).

A decisions table has two id columns (``id_l`` and ``id_r``, as in the pairs and review tables
crmclean writes, or ``left_id`` and ``right_id``) and a ``decision`` column; ``reviewer``,
``reviewed_at`` and ``note`` are kept when present. A decision reads as a match (``match``,
``same``, ``must_link``, ``yes``, ``1``, ``true``, ...) or a non-match (``non_match``,
``different``, ``cannot_link``, ``no``, ``0``, ``false``, ...), in any case, with spaces or
hyphens for the underscores; an empty cell (or ``?``, ``unsure``, ``skip``) is no decision yet,
and its row is passed over. So the ``review.csv`` that ``crmclean dedupe`` writes, once its
``decision`` column is filled in, is a decisions file.

Reading checks the table, not the records: a missing column, an empty id, an unknown decision
word or one pair decided both ways raise :class:`crmclean.ConfigError` naming the row (the first
data row is row 1), never a value. Whether the ids name records is known only when the
decisions meet the records (:meth:`Decisions.constraints`): a decision naming an unknown id is
passed over with a :class:`DecisionWarning`.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean.block import MatchingWarning
from crmclean.cluster import PairConstraints, connected_components, must_link_groups
from crmclean.errors import ColumnError, ConfigError, InputFileError
from crmclean.frames import ColumnBatch, read_table, to_columns
from crmclean.normalize._base import is_null

__all__ = [
    "DECISION_COLUMNS",
    "BatchDecisions",
    "DecisionWarning",
    "Decisions",
    "as_decisions",
    "decide_clusters",
    "decision_word",
    "plan_batch",
    "settle_batch",
]

IntArray = npt.NDArray[np.int64]

#: the columns :meth:`Decisions.to_table` writes, in order
DECISION_COLUMNS: Final = ("id_l", "id_r", "decision", "reviewer", "reviewed_at", "note")

_ID_COLUMNS: Final = (("id_l", "id_r"), ("left_id", "right_id"))
_EXTRA_COLUMNS: Final = {
    "reviewer": ("reviewer", "reviewed_by", "who", "by"),
    "reviewed_at": ("reviewed_at", "decided_at", "when", "at", "date"),
    "note": ("note", "notes", "comment", "comments"),
}
_MATCH_WORDS: Final = frozenset({
    "match", "same", "must_link", "mustlink", "duplicate", "yes", "y", "true", "1", "link",
})  # fmt: skip
_NON_MATCH_WORDS: Final = frozenset({
    "non_match", "nonmatch", "no_match", "not_match", "not_same", "different", "distinct",
    "cannot_link", "cannotlink", "no", "n", "false", "0", "keep_apart",
})  # fmt: skip
_UNDECIDED_WORDS: Final = frozenset({"", "?", "unsure", "skip", "maybe", "undecided"})


class DecisionWarning(MatchingWarning):
    """A decision could not be applied: it names a record id that is not among the records.
    The decision is passed over; the message gives its row, never the id.

    Example:
        >>> issubclass(DecisionWarning, UserWarning)
        True
    """


def decision_word(value: object) -> bool | None:
    """Read one decision cell: ``True`` for a match, ``False`` for a non-match, ``None`` for no
    decision yet.

    Raises:
        ConfigError: the cell is none of the known words (the message names no value).

    Example:
        >>> [decision_word(v) for v in ("Must link", "different", "", 1)]
        [True, False, None, True]
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = "_".join(value.strip().casefold().replace("-", " ").split())
        if word in _MATCH_WORDS:
            return True
        if word in _NON_MATCH_WORDS:
            return False
        if word in _UNDECIDED_WORDS or is_null(value):
            return None
    raise ConfigError(
        "a decision must read as a match (match, same, must_link, yes, 1) or a non-match "
        "(non_match, different, cannot_link, no, 0), or be empty"
    )


def _text(value: object) -> str | None:
    if value is None or is_null(value):
        return None
    text = str(value).strip()
    return text or None


def _id(value: object) -> object:
    """An id as read from a table: numpy scalars become Python ones; text is stripped."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        value = value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # pandas reads an int column with a gap as floats
    return value


def _sort_key(value: object) -> tuple[str, str]:
    return type(value).__name__, str(value)


@attrs.frozen(eq=False)
class _Row:
    left: object
    right: object
    same: bool
    reviewer: str | None
    reviewed_at: str | None
    note: str | None
    row: int  # 1 = the first data row of the table it came from


@attrs.frozen(eq=False, repr=False)
class Decisions:
    """Pairs of records a person decided, by record id: must link (the same entity) or cannot
    link (different ones). Frozen; build one with :meth:`from_pairs`, :meth:`from_table` or
    :meth:`read`.

    In two-table mode (:func:`crmclean.link`) the first id of a pair is a left-table id and
    the second a right-table id, as in ``id_l`` and ``id_r`` of the pairs table; otherwise a
    pair has no order.

    Example:
        >>> d = Decisions.from_pairs(must_link=[(1, 2)], cannot_link=[(2, 3), (4, 5)])
        >>> d.must_link, d.cannot_link, len(d)
        (((1, 2),), ((2, 3), (4, 5)), 3)
    """

    _rows: tuple[_Row, ...] = attrs.field(alias="rows")

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_pairs(
        cls,
        must_link: Iterable[tuple[object, object]] = (),
        cannot_link: Iterable[tuple[object, object]] = (),
    ) -> Decisions:
        """Decisions from pairs of ids (rows numbered must-link pairs first, from 1).

        Raises:
            ConfigError: a pair is not two ids, an id is empty, or a pair is in both lists.
            TypeError: a list is a string.

        Example:
            >>> Decisions.from_pairs(cannot_link=[("c1", "c7")]).cannot_link
            (('c1', 'c7'),)
        """
        left: list[object] = []
        right: list[object] = []
        same: list[object] = []
        for flag, pairs in ((True, must_link), (False, cannot_link)):
            if not isinstance(pairs, Iterable) or isinstance(pairs, (str, bytes)):  # type: ignore[unreachable]
                raise TypeError("must_link and cannot_link take pairs of ids, not a string")
            for pair in pairs:
                if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(
                    pair
                ) != 2:
                    raise ConfigError(f"decision {len(left) + 1} is not a pair of two ids")
                left.append(pair[0])
                right.append(pair[1])
                same.append(flag)
        return cls.from_table({"id_l": left, "id_r": right, "decision": same})

    @classmethod
    def from_table(cls, table: Any) -> Decisions:
        """Decisions from a table (pandas, polars, pyarrow, a list of dicts or a dict of lists)
        with ``id_l`` and ``id_r`` (or ``left_id`` and ``right_id``) and ``decision``; the
        columns ``reviewer``, ``reviewed_at`` and ``note`` are kept when present. Rows without
        a decision are passed over.

        Raises:
            ColumnError: the id or decision columns are missing.
            ConfigError: a row has an empty id or an unknown decision word, or one pair is
                decided both ways (the message names the rows, never a value).

        Example:
            >>> d = Decisions.from_table([
            ...     {"id_l": "a", "id_r": "b", "decision": "match", "note": "same badge"},
            ...     {"id_l": "a", "id_r": "c", "decision": "", "note": None},
            ...     {"id_l": "b", "id_r": "d", "decision": "different", "note": None}])
            >>> d.must_link, d.cannot_link
            ((('a', 'b'),), (('b', 'd'),))
        """
        if isinstance(table, Decisions):
            return table
        batch, _ = to_columns(table)
        names = {str(k).strip().casefold(): k for k in batch}
        id_pair = next((p for p in _ID_COLUMNS if p[0] in names and p[1] in names), None)
        if id_pair is None or "decision" not in names:
            raise ColumnError(
                "a decisions table needs the columns id_l, id_r (or left_id, right_id) and "
                "decision; it has: " + ", ".join(repr(str(c)) for c in batch)
            )
        lefts = batch[names[id_pair[0]]]
        rights = batch[names[id_pair[1]]]
        words = batch[names["decision"]]
        extra: dict[str, Sequence[object] | None] = {}
        for name, aliases in _EXTRA_COLUMNS.items():
            found = next((names[a] for a in aliases if a in names), None)
            extra[name] = batch[found] if found is not None else None
        rows: list[_Row] = []
        for i in range(len(words)):
            try:
                same = decision_word(words[i])
            except ConfigError as exc:
                raise ConfigError(f"decisions row {i + 1}: {exc}") from None
            if same is None:
                continue
            a, b = _id(lefts[i]), _id(rights[i])
            if is_null(a) or is_null(b) or a == "" or b == "":
                raise ConfigError(f"decisions row {i + 1} has an empty id")
            try:
                hash(a), hash(b)
            except TypeError:
                raise ConfigError(f"decisions row {i + 1} has an id that is not a value") from None
            cells = {k: (_text(v[i]) if v is not None else None) for k, v in extra.items()}
            rows.append(_Row(a, b, same, row=i + 1, **cells))
        _check_both_ways(rows)
        return cls(rows=tuple(rows))

    @classmethod
    def read(
        cls, path: str | os.PathLike[str], *, encoding: str | None = None
    ) -> Decisions:
        """Decisions from a file (CSV, TSV, JSON Lines or Parquet, by its suffix), such as the
        ``review.csv`` of ``crmclean dedupe`` with its ``decision`` column filled in. Ids are
        read as text; they meet the records' ids by their text when the types differ.

        Raises:
            InputFileError: the file cannot be read.
            ColumnError, ConfigError: as :meth:`from_table`, naming the file.

        Example:
            >>> import pathlib, tempfile
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "review.csv"
            >>> _ = path.write_text("id_l,id_r,decision\\n1,2,yes\\n2,3,no\\n", encoding="utf-8")
            >>> Decisions.read(path).cannot_link
            (('2', '3'),)
        """
        name = os.fspath(path)
        try:
            batch = read_table(name, encoding=encoding)
        except InputFileError as exc:
            raise InputFileError(f"decisions file: {exc}") from None
        try:
            return cls.from_table(batch)
        except ColumnError as exc:
            raise ColumnError(f"decisions file {name!r}: {exc}") from None
        except ConfigError as exc:
            raise ConfigError(f"decisions file {name!r}: {exc}") from None

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        must = sum(1 for r in self._rows if r.same)
        return f"Decisions({must} must-link, {len(self._rows) - must} cannot-link)"

    @property
    def must_link(self) -> tuple[tuple[object, object], ...]:
        """The pairs decided to be the same entity."""
        return tuple((r.left, r.right) for r in self._rows if r.same)

    @property
    def cannot_link(self) -> tuple[tuple[object, object], ...]:
        """The pairs decided to be different entities."""
        return tuple((r.left, r.right) for r in self._rows if not r.same)

    def to_table(self) -> ColumnBatch:
        """The decisions as a column batch (:data:`DECISION_COLUMNS`), ``decision`` written
        ``match`` or ``non_match``; :meth:`from_table` reads it back.

        Example:
            >>> Decisions.from_pairs(must_link=[(1, 2)]).to_table()["decision"]
            ['match']
        """
        rows = self._rows
        return {
            "id_l": [r.left for r in rows],
            "id_r": [r.right for r in rows],
            "decision": ["match" if r.same else "non_match" for r in rows],
            "reviewer": [r.reviewer for r in rows],
            "reviewed_at": [r.reviewed_at for r in rows],
            "note": [r.note for r in rows],
        }

    def updated(self, newer: Decisions | Any) -> Decisions:
        """These decisions with ``newer`` ones added; a pair decided in both takes the newer
        decision (a pair has no order here: ``(a, b)`` and ``(b, a)`` are one pair).

        Example:
            >>> old = Decisions.from_pairs(must_link=[(1, 2)])
            >>> old.updated(Decisions.from_pairs(cannot_link=[(2, 1), (3, 4)])).cannot_link
            ((2, 1), (3, 4))
        """
        newer = Decisions.from_table(newer)
        replaced = {_unordered(r.left, r.right) for r in newer._rows}
        kept = [r for r in self._rows if _unordered(r.left, r.right) not in replaced]
        rows = [*kept, *newer._rows]
        return Decisions(rows=tuple(attrs.evolve(r, row=i + 1) for i, r in enumerate(rows)))

    def only(self, keep: Sequence[bool]) -> Decisions:
        """The decisions whose ``keep`` flag is true (one flag per decision, in order).

        Example:
            >>> Decisions.from_pairs(must_link=[(1, 2), (3, 4)]).only([False, True]).must_link
            ((3, 4),)
        """
        return Decisions(rows=tuple(r for r, k in zip(self._rows, keep, strict=True) if k))

    # -- meeting the records ------------------------------------------------------------------

    def positions(
        self, ids: Sequence[object], sides: npt.NDArray[np.bool_] | None = None
    ) -> tuple[IntArray, IntArray]:
        """Per decision, the positions of its two records among ``ids`` (-1: not there). With
        ``sides`` (two-table mode: ``False`` left, ``True`` right) the first id is looked up
        among the left records and the second among the right ones. An id meets a record's id
        of another type by its text (``"17"`` meets ``17``).

        Example:
            >>> Decisions.from_pairs(must_link=[("3", 1), (9, 1)]).positions([1, 2, 3])[0].tolist()
            [2, -1]
        """
        finders = (
            [_Finder(ids, None)] * 2
            if sides is None
            else [_Finder(ids, ~np.asarray(sides, bool)), _Finder(ids, np.asarray(sides, bool))]
        )
        a = np.array([finders[0].find(r.left) for r in self._rows], dtype=np.int64)
        b = np.array([finders[1].find(r.right) for r in self._rows], dtype=np.int64)
        return a, b

    def constraints(
        self,
        ids: Sequence[object],
        sides: npt.NDArray[np.bool_] | None = None,
        *,
        stacklevel: int = 2,
    ) -> PairConstraints:
        """The decisions as pairs of record positions among ``ids`` (see :meth:`positions`),
        for :func:`crmclean.cluster.cluster_pairs`. Decisions naming an unknown id are passed
        over with a :class:`DecisionWarning`; a record paired with itself by a must-link
        decision is no constraint.

        Raises:
            ConfigError: a cannot-link decision pairs a record with itself, or two rows decide
                one pair both ways.

        Example:
            >>> c = Decisions.from_pairs(cannot_link=[(3, 1)]).constraints([1, 2, 3])
            >>> c.cannot_left.tolist(), c.cannot_right.tolist(), c.cannot_rows.tolist()
            ([2], [0], [1])
        """
        a, b = self.positions(ids, sides)
        unknown = np.flatnonzero((a < 0) | (b < 0))
        if len(unknown):
            shown = ", ".join(str(self._rows[i].row) for i in unknown[:5].tolist())
            warnings.warn(
                f"{len(unknown)} decision(s) name a record id that is not among the records "
                f"(row(s) {shown}{', ...' if len(unknown) > 5 else ''}); they are passed over",
                DecisionWarning,
                stacklevel=stacklevel + 1,
            )
        found = (a >= 0) & (b >= 0)
        same = np.array([r.same for r in self._rows], dtype=bool)
        rows = np.array([r.row for r in self._rows], dtype=np.int64)
        selves = found & (a == b)
        if (selves & ~same).any():
            row = rows[np.flatnonzero(selves & ~same)[0]]
            raise ConfigError(f"decisions row {row} keeps a record apart from itself")
        use = np.flatnonzero(found & ~selves)
        lo, hi = np.minimum(a[use], b[use]), np.maximum(a[use], b[use])
        order = np.lexsort((hi, lo))
        use, lo, hi = use[order], lo[order], hi[order]
        repeat = np.zeros(len(use), dtype=bool)
        repeat[1:] = (lo[1:] == lo[:-1]) & (hi[1:] == hi[:-1])
        both_ways = repeat.copy()
        both_ways[1:] &= same[use][1:] != same[use][:-1]
        if both_ways.any():
            k = int(np.flatnonzero(both_ways)[0])
            first, second = sorted((int(rows[use[k - 1]]), int(rows[use[k]])))
            raise ConfigError(
                f"decisions rows {first} and {second} decide the same pair of records both "
                "ways (match and non-match); keep one"
            )
        use = use[~repeat]
        must, cannot = use[same[use]], use[~same[use]]
        return PairConstraints(
            must_left=a[must], must_right=b[must], cannot_left=a[cannot], cannot_right=b[cannot],
            must_rows=rows[must], cannot_rows=rows[cannot],
        )  # fmt: skip

    def decided(
        self, ids: Sequence[object], sides: npt.NDArray[np.bool_] | None = None
    ) -> dict[tuple[int, int], int]:
        """Per unordered pair of record positions, the index of the decision about it (a row
        of :meth:`to_table`); decisions naming unknown ids are left out.

        Example:
            >>> Decisions.from_pairs(must_link=[(2, 1)]).decided([1, 2])
            {(0, 1): 0}
        """
        a, b = self.positions(ids, sides)
        out: dict[tuple[int, int], int] = {}
        for k, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
            if i >= 0 and j >= 0 and i != j:
                out[(min(i, j), max(i, j))] = k
        return out


class _Finder:
    """Looks ids up among the records (of one side): exactly, else by their text."""

    def __init__(self, ids: Sequence[object], mask: npt.NDArray[np.bool_] | None) -> None:
        self._exact: dict[object, int] = {}
        text: dict[str, int] = {}
        clash: set[str] = set()
        for i, v in enumerate(ids):
            if mask is not None and not mask[i]:
                continue
            self._exact[v] = i
            key = str(v).strip()
            if key in text:
                clash.add(key)
            text[key] = i
        self._text = {k: v for k, v in text.items() if k not in clash}

    def find(self, value: object) -> int:
        try:
            found = self._exact.get(value)
        except TypeError:
            found = None
        if found is not None:
            return found
        return self._text.get(str(value).strip(), -1)


def _unordered(a: object, b: object) -> tuple[object, object]:
    return (a, b) if _sort_key(a) <= _sort_key(b) else (b, a)


def _check_both_ways(rows: list[_Row]) -> None:
    """One table may repeat a decision, not contradict it."""
    seen: dict[tuple[object, object], _Row] = {}
    for row in rows:
        key = (row.left, row.right)
        first = seen.setdefault(key, row)
        if first.same != row.same:
            raise ConfigError(
                f"decisions rows {first.row} and {row.row} decide the same pair both ways "
                "(match and non-match); keep one"
            )


def as_decisions(value: object) -> Decisions | None:
    """``None``, :class:`Decisions`, a path to a decisions file, or a decisions table, as
    :class:`Decisions` (the ``decisions=`` argument of the matching functions).

    Raises:
        TypeError: another kind of value.

    Example:
        >>> as_decisions([{"id_l": 1, "id_r": 2, "decision": "no"}]).cannot_link
        ((1, 2),)
    """
    if value is None or isinstance(value, Decisions):
        return value
    if isinstance(value, (str, os.PathLike)):
        return Decisions.read(value)
    if isinstance(value, (Mapping, list, tuple)) or hasattr(value, "columns") or hasattr(
        value, "column_names"
    ):
        return Decisions.from_table(value)
    raise TypeError(
        "decisions must be Decisions, a decisions table or the path of a decisions file"
    )


def decide_clusters(
    decisions: Decisions, ids: Sequence[object], codes: IntArray, *, stacklevel: int = 2
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Given clusters (a cluster code per record, codes numbered in order of first appearance)
    with a person's decisions and no scores: must-link pairs join their clusters (the joined
    cluster takes the code, and so the id, of the one that appears first); a cluster holding
    both records of a cannot-link pair cannot be split without scores, so it is flagged to be
    held for review. Returns the new code per record, per new code the old code naming it,
    and per new code whether it is held.

    Raises:
        ConfigError: must-link decisions chain the records of a cannot-link pair together.

    Example:
        >>> d = Decisions.from_pairs(must_link=[("a", "c")], cannot_link=[("b", "d")])
        >>> with warnings.catch_warnings():  # cluster 1 is held: a DecisionWarning says so
        ...     warnings.simplefilter("ignore", DecisionWarning)
        ...     codes, named_by, held = decide_clusters(d, list("abcd"), np.array([0, 1, 2, 1]))
        >>> codes.tolist(), named_by.tolist(), held.tolist()
        ([0, 1, 0, 1], [0, 1], [False, True])
    """
    constraints = decisions.constraints(ids, stacklevel=stacklevel + 1)
    n = len(ids)
    must_link_groups(n, constraints)  # refuses must-links that chain a cannot-link pair
    codes = np.asarray(codes, dtype=np.int64)
    n_codes = int(codes.max()) + 1 if len(codes) else 0
    root = connected_components(
        n_codes, codes[constraints.must_left], codes[constraints.must_right]
    )
    named_by, new_codes = np.unique(root[codes], return_inverse=True)
    new_codes = new_codes.astype(np.int64).reshape(-1)
    held = np.zeros(len(named_by), dtype=bool)
    together = new_codes[constraints.cannot_left] == new_codes[constraints.cannot_right]
    held[new_codes[constraints.cannot_left[together]]] = True
    if together.any():
        warnings.warn(
            f"{int(held.sum())} cluster(s) hold records that cannot-link decisions keep apart; "
            "without pair scores they are not split but held for review (run dedupe with the "
            "decisions to split them)",
            DecisionWarning,
            stacklevel=stacklevel + 1,
        )
    return new_codes, named_by.astype(np.int64), held


# --- a batch matched against an index whose clusters do not change -------------------------------


@attrs.frozen(eq=False)
class BatchDecisions:
    """Decisions for a batch of new records matched against a :class:`crmclean.MatchIndex`,
    whose clusters never merge or split (:func:`plan_batch`).

    Attributes:
        known: the decisions that name known records, with the records' own ids (what the
            index stores once the batch is added).
        must_batch, must_index: must-link pairs of a batch record (position in the batch) and
            an indexed record (position in the index).
        batch: the decided pairs among the batch's records (positions in the batch).
        forbidden: (batch record, index cluster label) pairs: the record may not join that
            cluster, because a cannot-link decision keeps it apart from one of its records.
    """

    known: Decisions
    must_batch: IntArray
    must_index: IntArray
    batch: PairConstraints
    forbidden: set[tuple[int, int]]


def _rows_text(rows: IntArray) -> str:
    return ", ".join(str(r) for r in rows[:5].tolist())


def plan_batch(
    decisions: Decisions,
    index_ids: Sequence[object],
    labels: IntArray,
    batch_ids: Sequence[object],
    *,
    stacklevel: int = 2,
) -> BatchDecisions:
    """Sort decisions about a batch and an index into what matching the batch needs.

    Raises:
        ConfigError: a decision between indexed records contradicts the index's clusters, or
            must-link decisions would join two clusters of the index (an index never merges or
            splits its clusters: rebuild it from a dedupe run with the decisions).

    Example:
        >>> d = Decisions.from_pairs(must_link=[("n1", 2)], cannot_link=[("n2", 1)])
        >>> plan = plan_batch(d, [1, 2], np.array([0, 1]), ["n1", "n2"])
        >>> plan.must_batch.tolist(), plan.must_index.tolist(), sorted(plan.forbidden)
        ([0], [1], [(1, 0)])
    """
    n = len(index_ids)
    all_ids = [*index_ids, *batch_ids]
    a, b = decisions.positions(all_ids)
    known = (a >= 0) & (b >= 0)
    c = decisions.constraints(all_ids, stacklevel=stacklevel + 1)
    table = decisions.only(known.tolist()).to_table()
    table["id_l"] = [all_ids[i] for i in a[known].tolist()]
    table["id_r"] = [all_ids[i] for i in b[known].tolist()]
    labels = np.asarray(labels, dtype=np.int64)

    def index_pairs(x: IntArray, y: IntArray) -> npt.NDArray[np.bool_]:
        return (x < n) & (y < n)

    inside_must = index_pairs(c.must_left, c.must_right)
    wrong = inside_must.copy()
    wrong[inside_must] = (labels[c.must_left[inside_must]]
                          != labels[c.must_right[inside_must]])  # fmt: skip
    inside_cannot = index_pairs(c.cannot_left, c.cannot_right)
    apart = inside_cannot.copy()
    apart[inside_cannot] = (labels[c.cannot_left[inside_cannot]]
                            == labels[c.cannot_right[inside_cannot]])  # fmt: skip
    if wrong.any() or apart.any():
        rows = np.concatenate([c.must_rows[wrong], c.cannot_rows[apart]])
        raise ConfigError(
            f"decisions row(s) {_rows_text(np.sort(rows))} contradict the index's clusters; an "
            "index never merges or splits its clusters: rebuild it from a dedupe run with the "
            "decisions"
        )
    # pairs of a batch record and an indexed record, the batch record first
    def across(x: IntArray, y: IntArray) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
        one = (x < n) != (y < n)
        batch_side = np.where(x >= n, x, y)[one] - n
        index_side = np.where(x >= n, y, x)[one]
        return batch_side, index_side, one

    must_b, must_r, must_across = across(c.must_left, c.must_right)
    cannot_b, cannot_r, _ = across(c.cannot_left, c.cannot_right)
    targets: dict[int, set[int]] = {}
    for x, r in zip(must_b.tolist(), must_r.tolist(), strict=True):
        targets.setdefault(x, set()).add(int(labels[r]))
    joined = [x for x, found in targets.items() if len(found) > 1]
    if joined:
        rows = c.must_rows[must_across][np.isin(must_b, joined)]
        raise ConfigError(
            f"must-link decisions row(s) {_rows_text(rows)} would join two clusters of the "
            "index; an index never merges its clusters: rebuild it from a dedupe run with the "
            "decisions"
        )
    in_batch_must = (c.must_left >= n) & (c.must_right >= n)
    in_batch_cannot = (c.cannot_left >= n) & (c.cannot_right >= n)
    batch = PairConstraints(
        must_left=c.must_left[in_batch_must] - n, must_right=c.must_right[in_batch_must] - n,
        cannot_left=c.cannot_left[in_batch_cannot] - n,
        cannot_right=c.cannot_right[in_batch_cannot] - n,
        must_rows=c.must_rows[in_batch_must], cannot_rows=c.cannot_rows[in_batch_cannot],
    )  # fmt: skip
    forbidden = {(x, int(labels[r])) for x, r in zip(cannot_b.tolist(), cannot_r.tolist(),
                                                     strict=True)}  # fmt: skip
    return BatchDecisions(known=Decisions.from_table(table), must_batch=must_b,
                          must_index=must_r, batch=batch, forbidden=forbidden)  # fmt: skip


def settle_batch(
    plan: BatchDecisions,
    label: IntArray,
    matched: npt.NDArray[np.bool_],
    strength: npt.NDArray[np.float64],
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """The index cluster of each batch record (``label``, -1: none) once the decisions among
    the batch's records are applied: a must-linked group of records shares one cluster (the
    one a decision names, else its strongest member's, if no cannot-link decision forbids
    it), and of two cannot-linked records matched to one cluster the weaker (by
    ``strength``, the weight of its match) leaves it. Adds to ``plan.forbidden`` the cluster
    of each record's cannot-linked partner. Returns the labels and which records a decision
    placed (they are matched whatever their score).

    Raises:
        ConfigError: the decisions cannot all hold: a must-linked group is sent to two
            clusters, or to one a cannot-link decision forbids for one of its records.

    Example:
        >>> d = Decisions.from_pairs(must_link=[("n1", "n2")])
        >>> plan = plan_batch(d, [1, 2], np.array([0, 1]), ["n1", "n2"])
        >>> label, placed = settle_batch(plan, np.array([-1, 1]), np.array([False, True]),
        ...                              np.array([np.nan, 9.0]))
        >>> label.tolist(), placed.tolist()
        ([1, 1], [False, False])
    """
    label = np.asarray(label, dtype=np.int64).copy()
    m = len(label)
    decided = np.zeros(m, dtype=bool)
    decided[plan.must_batch] = True
    forbidden = plan.forbidden
    group = connected_components(m, plan.batch.must_left, plan.batch.must_right)
    members: dict[int, list[int]] = {}
    for x in np.flatnonzero(group != np.arange(m)).tolist():
        members.setdefault(int(group[x]), [int(group[x])]).append(x)
    for group_members in members.values():
        named = {int(label[x]) for x in group_members if decided[x]}
        by_decision = bool(named)
        if len(named) > 1:
            raise ConfigError(
                "must-link decisions would join two clusters of the index through records of "
                "the batch; an index never merges its clusters"
            )
        if named:
            target = named.pop()
            if any((x, target) in forbidden for x in group_members):
                raise ConfigError(
                    "must-link and cannot-link decisions about the batch contradict each other: "
                    "a must-linked group would join a cluster a cannot-link decision keeps it "
                    "out of"
                )
        else:
            ranked = sorted((x for x in group_members if matched[x] and label[x] >= 0),
                            key=lambda x: (-strength[x], x))  # fmt: skip
            allowed = [int(label[x]) for x in ranked
                       if not any((y, int(label[x])) in forbidden for y in group_members)]
            target = allowed[0] if allowed else -1
        label[group_members] = target
        decided[group_members] = by_decision
    for x, y in zip(plan.batch.cannot_left.tolist(), plan.batch.cannot_right.tolist(),
                    strict=True):  # fmt: skip
        if label[x] >= 0 and label[x] == label[y]:
            if decided[x] and decided[y]:
                raise ConfigError(
                    "must-link decisions put two records that a cannot-link decision keeps "
                    "apart into one cluster of the index"
                )
            weaker = x if decided[y] or (not decided[x] and (strength[x], -x) < (
                strength[y], -y)) else y  # fmt: skip
            leaving = np.flatnonzero(group == group[weaker])
            forbidden.update((int(z), int(label[x])) for z in leaving.tolist())
            label[leaving] = -1
    for x, y in zip(plan.batch.cannot_left.tolist(), plan.batch.cannot_right.tolist(),
                    strict=True):  # fmt: skip
        if label[y] >= 0:
            forbidden.add((x, int(label[y])))
        if label[x] >= 0:
            forbidden.add((y, int(label[x])))
    return label, decided
