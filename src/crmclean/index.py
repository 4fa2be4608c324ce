"""Incremental matching: keep a deduplicated table clean as new records arrive.

A :class:`MatchIndex` holds the prepared keys of every record of a deduplicated table, the
cluster each record belongs to, and a fitted model (:class:`crmclean.pipeline.MatchSettings`).
New records are matched against it without re-running the whole table:

- :meth:`MatchIndex.match` tells, for each record of a batch, the existing cluster it belongs
  to (with the probability and an explanation) or that it is new;
- :meth:`MatchIndex.add` returns a new index with the batch added: each record joins the
  cluster it matched, and records that match no existing cluster form new clusters (records of
  the batch that match each other form one), named by their smallest record id. The ids of
  existing clusters never change;
- :meth:`MatchIndex.match_one` matches one record (from a web form or an API call) inline;
- :meth:`MatchIndex.save` and :meth:`MatchIndex.load` keep the index in a directory of JSON
  and NumPy files, checked with SHA-256 sums when loaded (no pickle anywhere).

For each incoming record, candidates are found without scanning the index, by a
:class:`crmclean.block.BlockIndex` of the indexed records: the same blocking rules, and the
same policy for blocks over the cap, as a batch run. The candidates are compared with the
engine's comparators and scored with the fitted m, u and prior, and the term-frequency
adjustments use the value counts of the index (as if the incoming record were one more record
of it). Saving and loading live in :mod:`crmclean.index_store`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean._workers import check_workers
from crmclean.block import BlockIndex, block, name_order
from crmclean.cluster import cluster_pairs
from crmclean.columns import matching_roles
from crmclean.compare import compare_all
from crmclean.decisions import BatchDecisions, Decisions, as_decisions, plan_batch, settle_batch
from crmclean.encode import EncodedKeys, encode_keys, id_order
from crmclean.errors import ColumnError, ConfigError
from crmclean.frames import ColumnBatch, TableKind, from_columns, result_kind, to_columns
from crmclean.index_store import IndexParts, load_index, save_index
from crmclean.normalize._base import is_null
from crmclean.pipeline import MatchResult
from crmclean.prepare import prepare_columns
from crmclean.score import PairExplanation, explain_levels, match_probability, score_pairs, tf_bits
from crmclean.settings import MatchSettings, check_settings_keys, coerce_settings

__all__ = ["IndexMatches", "MatchIndex", "OneMatch"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ObjectArray = npt.NDArray[np.object_]

_STATUSES: Final = ("matched", "review", "new")


# --- results -------------------------------------------------------------------------------


@attrs.frozen(repr=False)
class OneMatch:
    """The outcome of :meth:`MatchIndex.match_one` for one record.

    Attributes:
        status: ``"matched"`` (it belongs to an existing cluster), ``"review"`` (its best
            candidate is in the review band) or ``"new"``.
        cluster_id: the existing cluster it belongs to, or ``None`` when it is new.
        matched_id: the indexed record of its best pair (``None`` without any candidate).
        match_probability: that pair's match probability (``None`` without a candidate).
        match_weight: that pair's match weight in bits (``None`` without a candidate).
        candidates: how many indexed records it was compared with.
    """

    status: str
    cluster_id: object
    matched_id: object
    match_probability: float | None
    match_weight: float | None
    candidates: int
    _matches: IndexMatches = attrs.field(eq=False, alias="matches")

    def explain(self, other_id: object = None) -> PairExplanation:
        """Per-field contributions to the score of the record against ``other_id`` (default:
        its best candidate).

        Raises:
            KeyError: no such indexed record, or no candidate to explain.
        """
        return self._matches.explain(self._matches.ids[0], other_id)

    def __repr__(self) -> str:
        p = "" if self.match_probability is None else f", probability {self.match_probability:.4f}"
        return f"OneMatch({self.status}, cluster {self.cluster_id!r}{p})"


class IndexMatches:
    """The outcome of :meth:`MatchIndex.match` for a batch.

    Attributes:
        table: one row per incoming record, in the batch's order and of the batch's kind:
            the record's id; ``cluster_id``, the cluster it belongs to once added (an
            existing cluster's id when ``status`` is ``"matched"``, else the smallest id of
            the batch records that match each other); ``status`` (``"matched"``,
            ``"review"`` or ``"new"``); ``matched_id``, ``match_probability`` and
            ``match_weight``: the pair behind the status (the indexed record it matched, or
            the batch record that took it into its cluster; for ``"review"`` and a lone
            ``"new"`` record, its best indexed candidate, below the threshold; ``None``
            without any candidate).
        ids: the batch's ids, in id order.
        counts: status → number of records.
    """

    def __init__(self, index: MatchIndex, state: _BatchState, kind: TableKind) -> None:
        self._index = index
        self._state = state
        self.ids: list[object] = state.ids
        self.table: Any = from_columns(state.table(index), result_kind(kind))
        self.counts: dict[str, int] = {
            s: int(np.count_nonzero(state.status == k)) for k, s in enumerate(_STATUSES)
        }

    def __len__(self) -> int:
        return len(self._state.ids)

    def explain(self, incoming_id: object, other_id: object = None) -> PairExplanation:
        """Per-field contributions to the score of an incoming record against another record:
        ``other_id`` (an indexed record or a record of the batch; default: the record of the
        pair behind its status).

        Raises:
            KeyError: an id is unknown, or the record has no pair to explain.
        """
        state = self._state
        b = state.position(incoming_id)
        if other_id is None:
            if state.partner[b] >= 0:
                return state.explain_batch(self._index, b, int(state.partner[b]))
            if state.best[b] < 0:
                raise KeyError("the record had no candidate to explain")
            return state.explain_index(self._index, b, int(state.best[b]))
        if other_id in state.position_of:
            return state.explain_batch(self._index, b, state.position(other_id))
        return state.explain_index(self._index, b, self._index._position(other_id))

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {s}" for s, n in self.counts.items())
        return f"IndexMatches({len(self)} records: {counts})"


class _BatchState:
    """Everything :meth:`MatchIndex.match` worked out for a batch (records in id order)."""

    def __init__(
        self,
        ids: list[object],
        input_order: IntArray,
        prepared: dict[str, list[str | None]],
        keys: EncodedKeys,
        id_column: str,
    ) -> None:
        m = len(ids)
        self.ids = ids
        self.input_order = input_order
        self.prepared = prepared
        self.keys = keys
        self.id_column = id_column
        self.position_of = {v: i for i, v in enumerate(ids)}
        self.best = np.full(m, -1, dtype=np.int64)  # best indexed candidate
        self.best_weight = np.full(m, np.nan)
        self.n_candidates = np.zeros(m, dtype=np.int64)
        self.candidate_codes = np.zeros(0, dtype=np.int64)  # b * n_index + r
        self.batch_codes = np.zeros(0, dtype=np.int64)  # i * m + j, i < j
        self.partner = np.full(m, -1, dtype=np.int64)  # batch record that grouped it
        self.partner_weight = np.full(m, np.nan)
        self.label = np.full(m, -1, dtype=np.int64)  # existing cluster (record index)
        self.group = np.arange(m, dtype=np.int64)  # naming batch record of a new cluster
        self.status = np.full(m, 2, dtype=np.int8)
        self.decisions: BatchDecisions | None = None  # the decisions given with the batch

    def position(self, record_id: object) -> int:
        if record_id not in self.position_of:
            raise KeyError("no incoming record with that id")
        return self.position_of[record_id]

    def table(self, index: MatchIndex) -> ColumnBatch:
        m = len(self.ids)
        out_cluster: list[object] = []
        out_matched: list[object] = []
        out_p: list[float | None] = []
        out_w: list[float | None] = []
        for b in range(m):
            if self.label[b] >= 0:
                out_cluster.append(index._ids[int(self.label[b])])
            else:
                out_cluster.append(self.ids[int(self.group[b])])
            partner = int(self.partner[b])
            if partner >= 0:
                out_matched.append(self.ids[partner])
                w = float(self.partner_weight[b])
            elif self.best[b] >= 0:
                out_matched.append(index._ids[int(self.best[b])])
                w = float(self.best_weight[b])
            else:
                out_matched.append(None)
                w = math.nan
            out_w.append(None if math.isnan(w) else w)
            out_p.append(None if math.isnan(w) else float(match_probability(np.array([w]))[0]))
        inverse = np.empty(m, dtype=np.int64)  # input position → batch record
        inverse[self.input_order] = np.arange(m, dtype=np.int64)
        rows = inverse.tolist()
        return {
            self.id_column: [self.ids[b] for b in rows],
            "cluster_id": [out_cluster[b] for b in rows],
            "status": [_STATUSES[int(self.status[b])] for b in rows],
            "matched_id": [out_matched[b] for b in rows],
            "match_probability": [out_p[b] for b in rows],
            "match_weight": [out_w[b] for b in rows],
        }

    def explain_index(self, index: MatchIndex, b: int, r: int) -> PairExplanation:
        left = np.array([r], dtype=np.int64)
        right = np.array([b], dtype=np.int64)
        small, sl, sr = index._pair_keys(self, left, right)
        levels = compare_all(small, index.settings.comparisons, sl, sr)
        tf = index._tf.index_pairs(levels, left)
        code = b * len(index) + r
        candidate = bool(np.isin(code, self.candidate_codes))
        return explain_levels(index.settings, small, levels, sl, id_l=self.ids[b],
                              id_r=index._ids[r], is_candidate=candidate, tf=tf)  # fmt: skip

    def explain_batch(self, index: MatchIndex, b: int, other: int) -> PairExplanation:
        if other == b:
            raise KeyError("a record is not compared with itself")
        i, j = min(b, other), max(b, other)
        left = np.array([i], dtype=np.int64)
        right = np.array([j], dtype=np.int64)
        levels = compare_all(self.keys, index.settings.comparisons, left, right)
        tf = index._tf.batch_pairs(self.keys, levels, left)
        candidate = bool(np.isin(i * len(self.ids) + j, self.batch_codes))
        return explain_levels(index.settings, self.keys, levels, left, id_l=self.ids[b],
                              id_r=self.ids[other], is_candidate=candidate, tf=tf)  # fmt: skip


class _TermFrequencies:
    """Term-frequency adjustments of pairs with a new record, from the index's value counts
    (as if the new records were more records of the index)."""

    def __init__(self, keys: EncodedKeys, settings: MatchSettings, blocks: BlockIndex) -> None:
        self._keys = keys
        self._comparisons = settings.comparisons
        self._blocks = blocks
        self._counts: dict[str, tuple[FloatArray, float, float]] = {}
        for comparison in self._comparisons:
            if comparison.tf and comparison.has_exact_key_level():
                self._value_counts(comparison.key_column)

    def _value_counts(self, name: str) -> tuple[FloatArray, float, float]:
        """Per value of a key column: how many records hold it; the total; the pairs of
        records that share their value."""
        if name not in self._counts:
            column = self._keys[name]
            codes = column.codes
            counts: FloatArray = np.bincount(
                codes[codes >= 0], minlength=len(column.vocab)
            ).astype(np.float64)
            total = float(counts.sum())
            self._counts[name] = (counts, total, float((counts * (counts - 1) / 2).sum()))
        return self._counts[name]

    def index_pairs(self, levels: npt.NDArray[np.int8], r: IntArray) -> list[FloatArray | None]:
        """Adjustments of pairs (indexed record ``r``, new record), with the index's value
        counts plus the new record."""

        def bits(name: str, where: IntArray) -> FloatArray:
            counts, total, shared = self._value_counts(name)
            others = counts[self._keys[name].codes[r[where]]]
            return tf_bits(others, total + 1, shared + others)

        return self._at_exact_levels(levels, bits)

    def batch_pairs(
        self, keys: EncodedKeys, levels: npt.NDArray[np.int8], left: IntArray
    ) -> list[FloatArray | None]:
        """Adjustments of pairs within a batch, with the value counts of the index and the
        batch together."""

        def bits(name: str, where: IntArray) -> FloatArray:
            counts, total, shared = self._value_counts(name)
            column = keys[name]
            own = np.bincount(column.codes[column.codes >= 0],
                              minlength=len(column.vocab)).astype(np.float64)  # fmt: skip
            found = self._blocks.lookup(name, column.vocab)
            before = np.where(found >= 0, counts[np.maximum(found, 0)], 0.0)
            after = before + own
            shared_all = shared + float((after * (after - 1) / 2 - before * (before - 1) / 2).sum())
            values = column.codes[left[where]]
            return tf_bits(
                after[values] - 1, total + float(own.sum()), np.full(len(where), shared_all)
            )

        return self._at_exact_levels(levels, bits)

    def _at_exact_levels(
        self,
        levels: npt.NDArray[np.int8],
        bits: Callable[[str, IntArray], FloatArray],
    ) -> list[FloatArray | None]:
        """Per comparison, ``None`` without term frequencies, else each pair's adjustment:
        ``bits(key column, rows)`` for the rows at the exact level, 0 for the others."""
        out: list[FloatArray | None] = []
        for f, comparison in enumerate(self._comparisons):
            if not comparison.tf:
                out.append(None)
                continue
            adjustment = np.zeros(len(levels))
            if comparison.has_exact_key_level():
                where = np.flatnonzero(levels[:, f] == len(comparison.levels) - 1)
                if len(where):
                    adjustment[where] = bits(comparison.key_column, where)
            out.append(adjustment)
        return out


# --- the index -----------------------------------------------------------------------------


class MatchIndex:
    """A deduplicated table, its clusters and its fitted model, ready to match new records.

    Build one with :meth:`build` (or :meth:`load`); an index is never modified:
    :meth:`add` returns a new one.

    Example:
        >>> import crmclean
        >>> crm = [
        ...     {"id": 1, "first_name": "Robert", "last_name": "Smith", "email": "bob@acme.org"},
        ...     {"id": 2, "first_name": "Bob", "last_name": "Smith", "email": "bob@acme.org"},
        ...     {"id": 3, "first_name": "Alice", "last_name": "Jones", "email": "aj@mail.org"},
        ... ]
        >>> result = crmclean.dedupe(crm, id_column="id")
        >>> index = MatchIndex.build(crm, "id", settings=result.settings,
        ...                          clusters=result.clusters)
        >>> index.cluster_of(2), len(index)
        (1, 3)
        >>> new = [{"id": 7, "first_name": "Rob", "last_name": "Smith", "email": "bob@acme.org"},
        ...        {"id": 8, "first_name": "Ann", "last_name": "Lee", "email": "ann@lee.org"}]
        >>> table = index.match(new).table  # a DataFrame for a list of records
        >>> list(zip(table["id"], table["status"], table["cluster_id"]))
        [(7, 'matched', 1), (8, 'new', 8)]
        >>> index.add(new).cluster_of(7)
        1
    """

    def __init__(
        self,
        *,
        keys: EncodedKeys,
        ids: Sequence[object],
        labels: IntArray,
        settings: MatchSettings,
        id_column: str,
        columns: Mapping[str, str] | None = None,
        region: str | None = None,
        dayfirst: bool = True,
        blocks: BlockIndex | None = None,
        decisions: Decisions | None = None,
    ) -> None:
        """Use :meth:`build` or :meth:`load`; the arguments are checked there (``blocks``:
        the blocking index of ``keys`` when it is already built; ``decisions``: the decisions
        about its records, with their own ids)."""
        self._decisions = decisions if decisions is not None else Decisions(rows=())
        self._keys = keys
        self._ids: tuple[object, ...] = tuple(ids)
        self._labels = np.asarray(labels, dtype=np.int64)
        self._settings = settings
        self._id_column = id_column
        self._columns = dict(columns or {})
        self._region = region
        self._dayfirst = dayfirst
        self._positions: dict[object, int] | None = None
        if blocks is None:
            blocks = BlockIndex.build(
                keys,
                settings.blocking,
                block_cap=settings.block_cap,
                cap_window=settings.cap_window,
                max_pairs_per_rule=settings.pair_budget(keys.n),
            )
        self._blocks = blocks
        self._tf = _TermFrequencies(keys, settings, self._blocks)

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        table: Any,
        id_column: str,
        *,
        settings: MatchSettings | str | Mapping[str, Any],
        clusters: Any = None,
        columns: Mapping[str, str] | None = None,
        region: str | None = None,
        dayfirst: bool = True,
        decisions: Decisions | str | os.PathLike[str] | Any = None,
        workers: int | None = None,
    ) -> MatchIndex:
        """An index of a table that is already deduplicated.

        Args:
            table: the records (a pandas/polars DataFrame, a pyarrow Table, a list of dicts
                or a dict of lists).
            id_column: the column of unique record ids (ints or strings).
            settings: a fitted model: ``dedupe(...).settings``, or its JSON or dict form.
            clusters: the table's clusters: a table with the id column and ``cluster_id``
                (``dedupe(...).clusters``, or a :class:`crmclean.pipeline.MatchResult`);
                each cluster id must be the id of one of its records. ``None``: every record
                is its own cluster.
            columns: role → column name, as for :func:`crmclean.dedupe`; batches matched
                later are read with the same roles.
            region: default phone region for numbers without a country code.
            dayfirst: read ``01/02/1990`` as 1 February.
            decisions: pairs a person decided (:class:`crmclean.Decisions`, a decisions table
                or file), stored with the index (:attr:`decisions`); the clusters must agree
                with them (pass the decisions the dedupe run was given). Decisions naming ids
                that are not in the table are passed over with a
                :class:`crmclean.DecisionWarning`.
            workers: processes that normalize the table's values into matching keys
                (default ``None``: every core; ``1``: this process only); the index is the
                same whatever the number.

        Raises:
            ColumnError: the id column or a named column is missing, or the settings use a
                key column the table lacks.
            ConfigError: duplicate or empty ids, settings without a fitted model, clusters
                that do not cover the records or name a cluster by a record outside it, or
                that contradict the decisions, or ``workers`` not a positive int.
        """
        workers = check_workers(workers)
        fitted = coerce_settings(settings)
        if fitted is None or not fitted.fitted:
            raise ConfigError(
                "the settings hold no fitted model: pass the settings of a dedupe run "
                "(crmclean.dedupe(...).settings) or load fitted settings from JSON"
            )
        if not isinstance(id_column, str):
            raise TypeError("id_column must be the name of the id column")
        if not isinstance(dayfirst, bool):
            raise TypeError("option 'dayfirst' must be a bool")
        batch, _ = to_columns(table)
        if id_column not in batch:
            raise ColumnError(
                f"id column {id_column!r} is not in the table; columns are: "
                + ", ".join(repr(c) for c in batch)
            )
        ids = list(batch[id_column])
        order = id_order(ids, "the id column")
        roles = matching_roles(list(batch), id_column, columns)
        prepared = prepare_columns(batch, roles, region=region, dayfirst=dayfirst,
                                   workers=workers)  # fmt: skip
        keys = encode_keys(prepared).take(order)
        check_settings_keys(fitted, keys.names)
        sorted_ids = [ids[i] for i in order.tolist()]
        labels = _labels_from(clusters, sorted_ids, id_column)
        given = as_decisions(decisions)
        stored = None
        if given is not None:
            stored = plan_batch(given, sorted_ids, labels, [], stacklevel=2).known
        return cls(
            keys=keys, ids=sorted_ids, labels=labels, settings=fitted, id_column=id_column,
            columns=columns, region=region, dayfirst=dayfirst, decisions=stored,
        )  # fmt: skip

    # -- properties -------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._keys.n

    def __repr__(self) -> str:
        clusters = int(np.count_nonzero(self._labels == np.arange(len(self._labels))))
        return f"MatchIndex({len(self)} records, {clusters} clusters)"

    @property
    def settings(self) -> MatchSettings:
        """The fitted model the index scores with."""
        return self._settings

    @property
    def ids(self) -> tuple[object, ...]:
        """The record ids: the built table's in id order, then each added batch's."""
        return self._ids

    @property
    def decisions(self) -> Decisions:
        """The decisions stored with the index (given to :meth:`build`, :meth:`match` and
        :meth:`add`), with the records' own ids; saved and loaded with it."""
        return self._decisions

    @property
    def id_column(self) -> str:
        """The name of the id column batches are expected to have."""
        return self._id_column

    def _position(self, record_id: object) -> int:
        if self._positions is None:
            self._positions = {v: i for i, v in enumerate(self._ids)}
        try:
            return self._positions[record_id]
        except (KeyError, TypeError):
            raise KeyError("no record with that id in the index") from None

    def cluster_of(self, record_id: object) -> object:
        """The id of the cluster a record belongs to.

        Raises:
            KeyError: no record with that id.
        """
        return self._ids[int(self._labels[self._position(record_id)])]

    def clusters(self) -> ColumnBatch:
        """Every record and its cluster: ``{id_column: [...], "cluster_id": [...]}``."""
        ids = self._ids
        return {
            self._id_column: list(ids),
            "cluster_id": [ids[i] for i in self._labels.tolist()],
        }

    # -- files ------------------------------------------------------------------------------

    def save(self, directory: str | os.PathLike[str], *, overwrite: bool = False) -> None:
        """Save the index to a directory: ``manifest.json`` (format version, row count, key
        columns, the SHA-256 sum of every file), ``settings.json``, the ids (``ids.npy`` or
        ``ids.json``), the clusters (``clusters.npy``), and per key column its codes
        (``codes.<column>.npy``) and distinct keys (``vocab.<column>.json``). Nothing is
        pickled. The manifest is written last.

        Args:
            directory: a new or empty directory.
            overwrite: replace an index saved there before (only its own files are removed).

        Raises:
            ConfigError: the directory holds other files, or the ids are neither all ints nor
                all strings.
        """
        parts = IndexParts(
            keys=self._keys, ids=list(self._ids), labels=self._labels, settings=self._settings,
            id_column=self._id_column, columns=self._columns, region=self._region,
            dayfirst=self._dayfirst, decisions=self._decisions,
        )  # fmt: skip
        save_index(parts, directory, overwrite=overwrite)

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> MatchIndex:
        """Load an index saved by :meth:`save`, checking every file first.

        Raises:
            IndexFileError: the manifest is missing or of another format version, a file is
                missing, extra, altered (SHA-256) or of the wrong kind (an ``.npy`` file that
                would need pickle), or the parts do not fit together.
        """
        parts = load_index(directory)
        return cls(
            keys=parts.keys, ids=parts.ids, labels=parts.labels, settings=parts.settings,
            id_column=parts.id_column, columns=parts.columns, region=parts.region,
            dayfirst=parts.dayfirst, decisions=parts.decisions,
        )  # fmt: skip

    # -- matching ---------------------------------------------------------------------------

    def match(
        self,
        batch: Any,
        id_column: str | None = None,
        *,
        columns: Mapping[str, str] | None = None,
        review_threshold: float | None = None,
        decisions: Decisions | str | os.PathLike[str] | Any = None,
    ) -> IndexMatches:
        """Match a batch of new records against the index (the index is not changed).

        Each record gets the existing cluster of its best-scoring indexed record when that
        pair is at or above the model's threshold (``"matched"``). Otherwise it is new; new
        records of the batch that match each other (or a matched record of the batch) are
        put together, as :meth:`add` will. With ``review_threshold``, a record whose best
        pair's probability is at or above it (and below the threshold) is ``"review"``:
        it is not merged, but its best candidate is named for a person to check.

        Args:
            batch: the new records, a table of any supported kind.
            id_column: their id column (default: the index's).
            columns: role → column name (default: the roles the index was built with).
            review_threshold: lower edge of the review band, a probability below the
                model's threshold (``None``: no review band).
            decisions: pairs a person decided (:class:`crmclean.Decisions`, a decisions table
                or file) about the batch's records, among themselves or with indexed records:
                a record must-linked to an indexed record joins its cluster whatever the
                score; a record never joins a cluster holding a record it is cannot-linked
                to, nor a record of the batch it is cannot-linked to. :meth:`add` stores them.
                Decisions naming unknown ids are passed over with a
                :class:`crmclean.DecisionWarning`.

        Returns:
            :class:`IndexMatches`; its ``table`` is of the batch's kind.

        Raises:
            ColumnError: the id column is missing, or the batch has a key column the index
                does not hold (or none that it holds).
            ConfigError: duplicate or empty ids, ids already in the index, a bad
                ``review_threshold``, decisions that would merge or split clusters of the
                index or that contradict each other.
        """
        columns_batch, kind = to_columns(batch)
        state = self._match_batch(columns_batch, id_column, columns, review_threshold,
                                  decisions)  # fmt: skip
        return IndexMatches(self, state, kind)

    def match_one(
        self,
        record: Mapping[str, object],
        *,
        columns: Mapping[str, str] | None = None,
        review_threshold: float | None = None,
        decisions: Decisions | str | os.PathLike[str] | Any = None,
    ) -> OneMatch:
        """Match a single record (a web form, an API call): the same result as :meth:`match`
        on a one-row batch, without building a table.

        The record may carry an id (in the index's id column); it must not be in the index.
        ``decisions`` about it (by that id) are honoured as by :meth:`match`.

        Example:
            >>> import crmclean
            >>> crm = [{"id": 1, "name": "Maria Lopez", "email": "maria.lopez@acme.org"},
            ...        {"id": 2, "name": "Tom Lee", "email": "tom@lee.org"}]
            >>> settings = crmclean.dedupe(crm, id_column="id").settings
            >>> index = MatchIndex.build(crm, "id", settings=settings)
            >>> found = index.match_one({"name": "María López", "email": "MARIA.LOPEZ@acme.org"})
            >>> found.status, found.cluster_id, found.matched_id
            ('matched', 1, 1)
        """
        if not isinstance(record, Mapping):
            raise TypeError("record must be a mapping of column name to value")
        batch: ColumnBatch = {str(k): [v] for k, v in record.items()}
        own_id = self._id_column in batch
        if not own_id:
            batch[self._id_column] = [_NoId()]
        state = self._match_batch(batch, None, columns, review_threshold, decisions)
        matches = IndexMatches.__new__(IndexMatches)
        matches._index = self
        matches._state = state
        matches.ids = state.ids
        status = _STATUSES[int(state.status[0])]
        best = int(state.best[0])
        weight = None if best < 0 else float(state.best_weight[0])
        return OneMatch(
            status=status,
            cluster_id=self._ids[int(state.label[0])] if state.label[0] >= 0 else None,
            matched_id=self._ids[best] if best >= 0 else None,
            match_probability=None if weight is None else float(
                match_probability(np.array([weight]))[0]
            ),
            match_weight=weight,
            candidates=int(state.n_candidates[0]),
            matches=matches,
        )

    def add(
        self,
        batch: Any,
        id_column: str | None = None,
        *,
        columns: Mapping[str, str] | None = None,
        decisions: Decisions | str | os.PathLike[str] | Any = None,
    ) -> MatchIndex:
        """A new index with the batch added (this one is not changed).

        Each record joins the cluster :meth:`match` found for it; the others form new
        clusters (batch records that match each other form one), each named by its smallest
        record id. Existing cluster ids never change: an existing cluster keeps its id and
        two existing clusters are never merged. ``batch`` may also be the
        :class:`IndexMatches` that :meth:`match` returned for it on this index, which saves
        matching it again (with the decisions given to :meth:`match`). ``decisions`` are
        honoured as by :meth:`match` and stored with the new index, the newer decision about
        a pair replacing the older.

        Raises:
            as :meth:`match`; ConfigError: decisions given with an :class:`IndexMatches`.
        """
        if isinstance(batch, IndexMatches):
            if batch._index is not self:
                raise ConfigError("these matches were made against another index")
            if decisions is not None:
                raise ConfigError("give the decisions to match(), whose matches add() takes")
            state = batch._state
        else:
            columns_batch, _ = to_columns(batch)
            state = self._match_batch(columns_batch, id_column, columns, None, decisions)
        stored = self._decisions
        if state.decisions is not None:
            stored = stored.updated(state.decisions.known)
        m = len(state.ids)
        if m == 0:
            return self if stored is self._decisions else MatchIndex(
                keys=self._keys, ids=self._ids, labels=self._labels, settings=self._settings,
                id_column=self._id_column, columns=self._columns, region=self._region,
                dayfirst=self._dayfirst, blocks=self._blocks, decisions=stored,
            )  # fmt: skip
        n = len(self)
        blocks = self._blocks.extend(
            state.keys, max_pairs_per_rule=self._settings.pair_budget(n + m)
        )
        new_labels = np.where(state.label >= 0, state.label, n + state.group)
        return MatchIndex(
            keys=blocks.keys,
            ids=self._ids + tuple(state.ids),
            labels=np.concatenate([self._labels, new_labels]),
            settings=self._settings,
            id_column=self._id_column,
            columns=self._columns,
            region=self._region,
            dayfirst=self._dayfirst,
            blocks=blocks,
            decisions=stored,
        )

    # -- the matching path ------------------------------------------------------------------

    def _match_batch(
        self,
        batch: ColumnBatch,
        id_column: str | None,
        columns: Mapping[str, str] | None,
        review_threshold: float | None,
        decisions: object = None,
    ) -> _BatchState:
        _check_review(review_threshold, self._settings)
        given = as_decisions(decisions)
        state = self._read_batch(batch, id_column, columns)
        if given is not None:
            state.decisions = plan_batch(given, self._ids, self._labels, state.ids,
                                         stacklevel=4)  # fmt: skip
        if state.ids:
            self._score_against_index(state, review_threshold)
            if state.decisions is not None:
                _settle(state)
            self._group_batch(state, review_threshold)
        return state

    def _read_batch(
        self, batch: ColumnBatch, id_column: str | None, columns: Mapping[str, str] | None
    ) -> _BatchState:
        """The batch's records in id order and their keys, every check done."""
        id_column = self._id_column if id_column is None else id_column
        n_rows = len(next(iter(batch.values()))) if batch else 0
        if not batch:  # an empty list of records
            batch = {id_column: []}
        if id_column not in batch:
            raise ColumnError(
                f"id column {id_column!r} is not in the batch; columns are: "
                + ", ".join(repr(c) for c in batch)
            )
        raw_ids = list(batch[id_column])
        placeholder = n_rows == 1 and isinstance(raw_ids[0], _NoId)
        ids: list[object] = raw_ids
        order = (np.zeros(1, dtype=np.int64) if placeholder
                 else id_order(ids, "the batch's id column"))  # fmt: skip
        if not placeholder:
            taken = sum(1 for v in ids if self._has_id(v))
            if taken:
                raise ConfigError(
                    f"{taken} id(s) of the batch are already in the index; ids must be new"
                )
        if columns is None:
            columns = {r: c for r, c in self._columns.items() if c in batch}
        roles = matching_roles(list(batch), id_column, columns)
        prepared_raw = prepare_columns(batch, roles, region=self._region, dayfirst=self._dayfirst)
        unknown = [name for name in prepared_raw if name not in self._keys.names]
        if unknown:
            raise ColumnError(
                "the batch has key column(s) "
                + ", ".join(repr(u) for u in unknown)
                + " that the index was not built with; drop their columns or rebuild the "
                "index; the index's key columns are: " + ", ".join(self._keys.names)
            )
        if n_rows and not prepared_raw:
            raise ColumnError(
                "no column of the batch can be matched on; the index's key columns are: "
                + ", ".join(self._keys.names)
            )
        rows = order.tolist()
        prepared: dict[str, list[str | None]] = {}
        for name in self._keys.names:
            values = prepared_raw.get(name)
            prepared[name] = [None] * n_rows if values is None else [values[i] for i in rows]
        sorted_ids = [ids[i] for i in rows]
        return _BatchState(sorted_ids, order, prepared, encode_keys(prepared), id_column)

    def _has_id(self, value: object) -> bool:
        try:
            self._position(value)
        except KeyError:
            return False
        return True

    def _pair_keys(
        self, state: _BatchState, r: IntArray, b: IntArray
    ) -> tuple[EncodedKeys, IntArray, IntArray]:
        """Small encoded keys holding the indexed records ``r`` and the batch records ``b``,
        and the pairs' positions in them."""
        unique_r = np.unique(r)
        unique_b = np.unique(b)
        data: dict[str, list[object]] = {}
        for name in self._keys.names:
            column = self._keys[name]
            codes = column.codes[unique_r]
            strings = np.full(len(codes), None, dtype=object)
            present = codes >= 0
            strings[present] = column.vocab[codes[present]]
            data[name] = strings.tolist() + [state.prepared[name][i] for i in unique_b.tolist()]
        small = encode_keys(data)
        left = np.searchsorted(unique_r, r).astype(np.int64)
        right = (len(unique_r) + np.searchsorted(unique_b, b)).astype(np.int64)
        return small, left, right

    def _score_against_index(self, state: _BatchState, review: float | None) -> None:
        settings = self._settings
        b, r = self._blocks.candidates(state.keys, stacklevel=5)
        n = len(self)
        state.candidate_codes = b * max(n, 1) + r
        state.n_candidates = np.bincount(b, minlength=state.keys.n).astype(np.int64)
        plan = state.decisions
        if plan is not None:  # decided pairs are scored too; forbidden clusters are not joined
            b, r = _decided_candidates(plan, b, r, self._labels, n)
        if len(b) == 0:
            return
        small, left, right = self._pair_keys(state, r, b)
        levels = compare_all(small, settings.comparisons, left, right)
        weights = score_pairs(small, settings, levels, left, tf=self._tf.index_pairs(levels, r))
        # best candidate per record: highest weight, then the first indexed record
        order = np.lexsort((r, -weights, b))
        first = np.ones(len(order), dtype=bool)
        first[1:] = b[order][1:] != b[order][:-1]
        best = order[first]
        state.best[b[best]] = r[best]
        state.best_weight[b[best]] = weights[best]
        matched = weights[best] >= settings.threshold_weight
        state.label[b[best][matched]] = self._labels[r[best][matched]]
        state.status[b[best][matched]] = 0
        if plan is not None and len(plan.must_batch):  # a must-link decision places a record
            codes = b * max(n, 1) + r
            at = np.searchsorted(codes, plan.must_batch * max(n, 1) + plan.must_index,
                                 sorter=np.argsort(codes))  # fmt: skip
            pair = np.argsort(codes)[at]
            state.best[plan.must_batch] = plan.must_index
            state.best_weight[plan.must_batch] = weights[pair]
            state.label[plan.must_batch] = self._labels[plan.must_index]
            state.status[plan.must_batch] = 0

    def _batch_pairs(self, state: _BatchState) -> tuple[IntArray, IntArray, FloatArray]:
        """The pairs of batch records at or above the threshold, and their weights."""
        settings = self._settings
        keys = state.keys
        m = keys.n
        if m < 2:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        pairs = block(
            keys,
            settings.blocking,
            block_cap=settings.block_cap,
            cap_window=settings.cap_window,
            max_pairs_per_rule=settings.pair_budget(m),
            order_key=name_order(keys),
        )
        left, right = pairs.left, pairs.right
        state.batch_codes = left * m + right
        if not len(left):
            return left, right, np.zeros(0)
        levels = compare_all(keys, settings.comparisons, left, right)
        tf = self._tf.batch_pairs(keys, levels, left)
        weights = score_pairs(keys, settings, levels, left, tf=tf)
        above = weights >= settings.threshold_weight
        return left[above], right[above], weights[above]

    def _group_batch(self, state: _BatchState, review: float | None) -> None:
        """Batch records that match each other: the unmatched ones form new clusters, or
        join the cluster of a matched record they match."""
        settings = self._settings
        left, right, weights = self._batch_pairs(state)
        m = state.keys.n
        matched = state.label >= 0
        # new records among themselves (with the chaining guard)
        both_new = ~matched[left] & ~matched[right]
        plan = state.decisions
        clustered = cluster_pairs(
            m, left[both_new], right[both_new], weights[both_new],
            settings.threshold_weight, min_density=settings.min_density,
            constraints=None if plan is None else plan.batch,
        )  # fmt: skip
        group = clustered.labels
        kept = np.flatnonzero(both_new)[clustered.edges]
        # the strongest kept edge of each new record names its partner
        _strongest(state, left[kept], right[kept], weights[kept])
        one_matched = matched[left] ^ matched[right]
        if plan is not None and plan.forbidden and one_matched.any():
            one_matched &= _allowed_joins(plan, group, state.label, left, right)
        if one_matched.any():
            _join_matched(state, group, left[one_matched], right[one_matched],
                          weights[one_matched])  # fmt: skip
        state.group = np.where(state.label >= 0, np.arange(m), group)
        if review is not None:
            band = math.log2(review / (1 - review))
            in_band = (state.label < 0) & (state.best >= 0) & (state.best_weight >= band)
            state.status[in_band] = 1
            state.partner[in_band] = -1  # the reviewer wants the indexed candidate

def _decided_candidates(
    plan: BatchDecisions, b: IntArray, r: IntArray, labels: IntArray, n: int
) -> tuple[IntArray, IntArray]:
    """The candidates of the batch's records with their must-linked indexed records added and
    the indexed records of clusters they may not join left out; sorted by (batch, index)."""
    size = max(n, 1)
    codes = np.unique(np.concatenate([b * size + r, plan.must_batch * size + plan.must_index]))
    b, r = codes // size, codes % size
    if plan.forbidden:
        forbidden = np.array([x * size + label for x, label in plan.forbidden], dtype=np.int64)
        keep = ~np.isin(b * size + labels[r], forbidden)
        b, r = b[keep], r[keep]
    return b, r


def _settle(state: _BatchState) -> None:
    """Apply the decisions among the batch's records (:func:`crmclean.decisions.settle_batch`)."""
    assert state.decisions is not None
    matched = state.label >= 0
    label, _ = settle_batch(state.decisions, state.label, matched, state.best_weight)
    state.status[(label < 0) & (state.status == 0)] = 2
    state.status[label >= 0] = 0
    state.label = label


def _allowed_joins(
    plan: BatchDecisions, group: IntArray, label: IntArray, a: IntArray, c: IntArray
) -> npt.NDArray[np.bool_]:
    """Per batch pair, whether the new side's group may join the matched side's cluster (no
    record of the group is kept out of it by a cannot-link decision)."""
    size = 1 + max([int(label.max()) if len(label) else 0, *(lab for _, lab in plan.forbidden)])
    new_side = np.where(label[a] >= 0, c, a)
    old_side = np.where(label[a] >= 0, a, c)
    forbidden = np.array([group[x] * size + lab for x, lab in plan.forbidden], dtype=np.int64)
    return ~np.isin(group[new_side] * size + label[old_side], forbidden)


def _join_matched(
    state: _BatchState, group: IntArray, a: IntArray, c: IntArray, w: FloatArray
) -> None:
    """A group of new records that matches a matched record of the batch (pairs ``(a, c)``
    with one side matched) joins that record's cluster, by its strongest such pair."""
    matched = state.label >= 0
    new_side = np.where(matched[a], c, a)
    old_side = np.where(matched[a], a, c)
    order = np.lexsort((old_side, -w, group[new_side]))
    g = group[new_side][order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = g[1:] != g[:-1]
    for k in order[first].tolist():
        members = np.flatnonzero(group == group[new_side[k]])
        state.label[members] = state.label[old_side[k]]
        state.status[members] = 0
        joiner = new_side[k]
        state.partner[joiner] = old_side[k]
        state.partner_weight[joiner] = w[k]

def _strongest(state: _BatchState, left: IntArray, right: IntArray, weights: FloatArray) -> None:
    for a, c, w in zip(left.tolist(), right.tolist(), weights.tolist(), strict=True):
        for x, y in ((a, c), (c, a)):
            if state.partner[x] < 0 or w > state.partner_weight[x]:
                state.partner[x] = y
                state.partner_weight[x] = w


class _NoId:
    """The id of a record given to :meth:`MatchIndex.match_one` without one."""

    def __repr__(self) -> str:
        return "None"


def _labels_from(clusters: Any, ids: list[object], id_column: str) -> IntArray:
    """Per record (in ``ids`` order), the position of the record naming its cluster."""
    n = len(ids)
    if clusters is None:
        return np.arange(n, dtype=np.int64)
    if isinstance(clusters, MatchResult):
        clusters = clusters.clusters
    batch, _ = to_columns(clusters)
    id_name = id_column if id_column in batch else "id"
    if id_name not in batch or "cluster_id" not in batch:
        raise ColumnError(
            f"clusters need the columns {id_column!r} and 'cluster_id'; they have: "
            + ", ".join(repr(c) for c in batch)
        )
    position = {v: i for i, v in enumerate(ids)}
    labels = np.full(n, -1, dtype=np.int64)
    for record, cluster in zip(batch[id_name], batch["cluster_id"], strict=True):
        i = position.get(record, -1) if not is_null(record) else -1
        j = position.get(cluster, -1) if not is_null(cluster) else -1
        if i < 0:
            raise ConfigError("the clusters name a record id that is not in the table")
        if j < 0:
            raise ConfigError(
                "a cluster id is not the id of a record of the table; name each cluster by "
                "one of its records (dedupe names it by its smallest id)"
            )
        if labels[i] >= 0:
            raise ConfigError("the clusters list a record more than once")
        labels[i] = j
    if (labels < 0).any():
        raise ConfigError("the clusters leave out records of the table; list every record")
    if not np.array_equal(labels[labels], labels):
        raise ConfigError(
            "a cluster is named by a record that belongs to another cluster; name each "
            "cluster by one of its own records"
        )
    return labels


def _check_review(review_threshold: float | None, settings: MatchSettings) -> None:
    if review_threshold is not None and (
        not isinstance(review_threshold, (int, float))
        or isinstance(review_threshold, bool)
        or not 0 < review_threshold < settings.threshold
    ):
        raise ConfigError("review_threshold must be a probability above 0 and below the threshold")
