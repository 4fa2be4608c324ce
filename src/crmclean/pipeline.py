"""Find duplicate contacts in one table (:func:`dedupe`) or link two tables (:func:`link`).

The stages run in one direction: prepare keys → block → compare → fit the model (no labels) →
score → cluster. Every stage works on integer arrays over all pairs at once. Records are
processed in the order of their ids, so the same records and seed give the same clusters
whatever the row order.

:class:`MatchSettings` holds everything that can be tuned: the fields and their comparators,
the blocking rules, the block cap, the threshold, and (once fitted) the model's m, u and prior.
It is frozen and round-trips through JSON, so that an ETL job can load a tuned model.
"""

from __future__ import annotations

import html
import os
import time
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crmclean._progress import Progress, progress_of
from crmclean._workers import check_workers, using
from crmclean.block import CandidatePairs, MatchingWarning, block, name_order
from crmclean.cluster import PairConstraints, cluster_pairs, with_conflicts
from crmclean.columns import matching_roles
from crmclean.compare import compare_all
from crmclean.decisions import Decisions, as_decisions
from crmclean.encode import EncodedKeys, encode_keys, id_order
from crmclean.errors import ColumnError, ConfigError
from crmclean.frames import ColumnBatch, TableKind, from_columns, result_kind, to_columns
from crmclean.normalize._batch import as_list
from crmclean.prepare import prepare_columns
from crmclean.score import (
    PAIR_CHUNK,
    FieldContribution,
    PairExplanation,
    conflicting_pairs,
    explain_levels,
    fit_model,
    match_probability,
    score_pairs,
)
from crmclean.settings import (
    MatchSettings,
    coerce_settings,
    default_settings,
    settings_for_keys,
)

__all__ = [
    "FieldContribution",
    "MatchResult",
    "MatchSettings",
    "MatchStats",
    "MatchingWarning",
    "PairExplanation",
    "dedupe",
    "dedupe_columns",
    "default_settings",
    "link",
    "match_prepared",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: a pair whose match weight is within this many bits of the threshold's is worth a look
#: (threshold 0.9: probabilities from about 0.36 to 0.993)
REVIEW_BITS = 4.0

# --- results -------------------------------------------------------------------------------


@attrs.frozen
class MatchStats:
    """What a matching run did, stage by stage.

    Attributes:
        records: records matched (both tables in two-table mode).
        candidate_pairs: distinct candidate pairs compared.
        rule_pairs: per blocking rule, the candidate pairs it produced.
        rule_new: per blocking rule, the pairs no earlier rule had produced.
        capped_blocks: per blocking rule that hit the block cap, (blocks, records in them).
        matched_pairs: pairs at or above the threshold.
        clusters: clusters (singletons included).
        largest_cluster: records in the largest cluster.
        guard_split_clusters: clusters split by the chaining guard.
        em_iterations: EM iterations (0 when the settings were already fitted).
        em_converged: whether EM converged.
        unused_columns: key columns left out because they hold no value.
        timings: seconds per stage (prepare, block, compare, fit, score, cluster, output).
        decisions: with ``decisions=``, the must-link and cannot-link pairs applied
            (``must_link``, ``cannot_link``) and the clusters split to keep cannot-link
            records apart (``split_clusters``); empty without decisions.

    Example:
        >>> rows = [{"id": 1, "email": "a@x.org"}, {"id": 2, "email": "b@y.org"}]
        >>> dedupe(rows, id_column="id").stats.records
        2
    """

    records: int
    candidate_pairs: int
    rule_pairs: Mapping[str, int]
    rule_new: Mapping[str, int]
    capped_blocks: Mapping[str, tuple[int, int]]
    matched_pairs: int
    clusters: int
    largest_cluster: int
    guard_split_clusters: int
    em_iterations: int
    em_converged: bool
    unused_columns: tuple[str, ...]
    timings: Mapping[str, float]
    decisions: Mapping[str, int] = attrs.field(factory=dict)


class MatchResult:
    """The outcome of :func:`dedupe`, :func:`link` or :func:`match_prepared`.

    Attributes:
        clusters: one row per record: its id, (two-table mode: ``side`` and
            ``cluster_side``), and ``cluster_id``, the smallest id in its cluster; a table of
            the input's kind.
        pairs: the pairs at or above the threshold: ``id_l``, ``id_r``,
            ``match_probability``, ``match_weight`` and one ``gamma_<field>`` level column
            per field.
        settings: the fitted :class:`MatchSettings`.
        stats: :class:`MatchStats`.
        cluster_index: per input record (input order; left table first), the position of the
            record whose id names its cluster, as a numpy array.
        review: the uncertain pairs worth a person's look, and the pairs already decided
            (see :attr:`review`).

    Example:
        >>> rows = [{"id": 1, "email": "a@x.org"}, {"id": 2, "email": "b@y.org"}]
        >>> dedupe(rows, id_column="id")
        MatchResult(2 records, ... candidate pairs, 0 matched pairs, 2 clusters)
    """

    def __init__(
        self,
        *,
        clusters: Any,
        pairs: Any,
        settings: MatchSettings,
        stats: MatchStats,
        cluster_index: IntArray,
        records: _Records,
    ) -> None:
        self.clusters = clusters
        self.pairs = pairs
        self.settings = settings
        self.stats = stats
        self.cluster_index = cluster_index
        self._matched = records
        # the input records, for display in notebooks and golden records (set by dedupe)
        self._records: tuple[Mapping[str, Sequence[Any]], list[object]] | None = None
        self._source: tuple[ColumnBatch, TableKind, str | None] | None = None
        self._merged: Any = None
        # the review: pairs, decisions, and the tables they came from (set by _run, link)
        self._review_pairs: tuple[IntArray, IntArray, FloatArray] | None = None
        self._decisions: Decisions | None = None
        self._input_order: IntArray | None = None
        self._kind: TableKind = "columns"
        self._tables: tuple[ColumnBatch, str | None, ColumnBatch | None, str | None] | None = None
        self._review: Any = None

    def explain(self, id_a: object, id_b: object) -> PairExplanation:
        """Per-field contributions to a pair's match weight (any pair, candidate or not).

        In two-table mode ``id_a`` is a left-table id and ``id_b`` a right-table id.

        Raises:
            KeyError: an id is not among the records.

        Example:
            >>> rows = [
            ...     {"id": 1, "first_name": "Robert", "last_name": "Smith", "email": "b@acme.org"},
            ...     {"id": 2, "first_name": "Bob", "last_name": "Smith", "email": "b@acme.org"},
            ...     {"id": 3, "first_name": "Alice", "last_name": "Jones", "email": "a@mail.org"}]
            >>> result = dedupe(rows, id_column="id")
            >>> result.explain(1, 2).is_match, result.explain(1, 3).is_match
            (True, False)
        """
        return _explain(self._matched, self.settings, id_a, id_b)

    @property
    def merged(self) -> Any:
        """The clusters merged into golden records with the default contact strategy: a
        :class:`crmclean.MergeResult` (computed on first use; :func:`dedupe` results only).
        For other rules call :func:`crmclean.merge` with ``result.clusters``.

        Raises:
            ConfigError: the result is not from :func:`dedupe`.

        Example:
            >>> rows = [
            ...     {"id": 1, "name": "Bob Smith", "email": "b@acme.org", "phone": None},
            ...     {"id": 2, "name": "Bob Smith", "email": "b@acme.org", "phone": "+14155552671"},
            ...     {"id": 3, "name": "Ann Lee", "email": "ann@mail.org", "phone": None}]
            >>> result = dedupe(rows, id_column="id")
            >>> len(result.golden), result.merged.counts["merged_records"]
            (2, 2)
        """
        if self._merged is None:
            if self._source is None:
                raise ConfigError("golden records come with dedupe results only; use merge()")
            from crmclean.merge import merge

            batch, kind, id_column = self._source
            clusters, _ = to_columns(self.clusters)
            if id_column is None:  # records were numbered: give merge the same ids
                id_column = "id"
                while id_column in batch:
                    id_column += "_"
                batch = {id_column: list(clusters["id"]), **batch}
                clusters = {id_column: clusters["id"], "cluster_id": clusters["cluster_id"]}
            self._merged = merge(from_columns(batch, kind), from_columns(clusters, kind),
                                 id_column=id_column)  # fmt: skip
        return self._merged

    @property
    def review(self) -> Any:
        """The pairs worth a person's look, to decide and pass back as ``decisions=``.

        One row per uncertain pair (a candidate pair whose match weight is within
        :data:`REVIEW_BITS` bits of the threshold's: a little more or less evidence would have
        decided it the other way), most uncertain first, then one per pair already decided:
        ``id_l``, ``id_r``, ``decision`` (empty, or ``match`` / ``non_match`` for a decided
        pair), ``match_probability``, ``match_weight``, the two records' columns side by side
        (``<column>_l``, ``<column>_r``; :func:`dedupe` and :func:`link` results), and
        ``reviewer``, ``reviewed_at``, ``note``. Fill in ``decision`` (``match`` or
        ``non_match``) and the table, or the file it is written to, is a decisions table
        (:class:`crmclean.Decisions`); rows left empty are passed over. A table of the input's
        kind.

        Example:
            >>> rows = [{"id": 1, "name": "Ann Lee", "email": "ann@lee.org"},
            ...         {"id": 2, "name": "Ann Lee", "email": "ann@lee.org"},
            ...         {"id": 3, "name": "Bob Ray", "email": "bob@ray.org"}]
            >>> result = dedupe(rows, id_column="id", decisions=[
            ...     {"id_l": 1, "id_r": 2, "decision": "different"}])
            >>> review = result.review
            >>> list(zip(review["id_l"], review["id_r"], review["decision"]))
            [(1, 2, 'non_match')]
            >>> list(result.clusters["cluster_id"])
            [1, 2, 3]
        """
        if self._review is None:
            self._review = from_columns(_review_table(self), result_kind(self._kind))
        return self._review

    @property
    def golden(self) -> Any:
        """One golden record per cluster (see :attr:`merged`), a table of the input's kind
        (a pandas DataFrame for a list of dicts).

        Example:
            >>> rows = [{"id": 1, "email": "a@x.org"}, {"id": 2, "email": "b@y.org"}]
            >>> len(dedupe(rows, id_column="id").golden)
            2
        """
        return self.merged.golden

    @property
    def lineage(self) -> Any:
        """For every value of every merged record, its source and the rule that decided.

        Example:
            >>> rows = [{"id": 1, "email": "a@x.org"}, {"id": 2, "email": "b@y.org"}]
            >>> len(dedupe(rows, id_column="id").lineage)  # nothing was merged
            0
        """
        return self.merged.lineage

    def __repr__(self) -> str:
        s = self.stats
        return (
            f"MatchResult({s.records} records, {s.candidate_pairs} candidate pairs, "
            f"{s.matched_pairs} matched pairs, {s.clusters} clusters)"
        )

    def _repr_html_(self) -> str:
        from crmclean._display import clusters_html

        if self._records is None:
            return f"<pre>{html.escape(repr(self))}</pre>"
        records, ids = self._records
        cluster_of = [ids[i] for i in self.cluster_index.tolist()]
        return clusters_html(repr(self), ids, cluster_of, records)


# --- the matched records ---------------------------------------------------------------------


class _Records:
    """The matched records in id order: their keys, ids and (two-table mode) sides, and how to
    get from an id to a record. Data only: every stage is a function of :mod:`crmclean.score`,
    :mod:`crmclean.block` and :mod:`crmclean.compare`."""

    def __init__(
        self, keys: EncodedKeys, ids: list[object], sides: npt.NDArray[np.bool_] | None
    ) -> None:
        self.keys = keys
        self.ids = ids
        self.sides = sides
        self._index: dict[tuple[bool, object], int] | None = None

    @property
    def n_left(self) -> int | None:
        if self.sides is None:
            return None
        return int(np.count_nonzero(~self.sides))

    def index_of(self, record_id: object, right: bool) -> int:
        if self._index is None:
            if self.sides is None:
                self._index = {(False, v): i for i, v in enumerate(self.ids)}
            else:
                self._index = {
                    (bool(s), v): i
                    for i, (s, v) in enumerate(zip(self.sides, self.ids, strict=True))
                }
        key = (right and self.sides is not None, record_id)
        if key not in self._index:
            raise KeyError("no record with that id" + (" in that table" if self.sides else ""))
        return self._index[key]


def _explain(
    records: _Records, settings: MatchSettings, id_a: object, id_b: object
) -> PairExplanation:
    a = records.index_of(id_a, right=False)
    b = records.index_of(id_b, right=True)
    left, right = np.array([a], dtype=np.int64), np.array([b], dtype=np.int64)
    levels = compare_all(records.keys, settings.comparisons, left, right)
    rows = [min(a, b), max(a, b)]
    blocked = block(
        _subset(records.keys, rows),
        settings.blocking,
        sides=None if records.sides is None else records.sides[rows],
    )
    return explain_levels(settings, records.keys, levels, left, id_l=id_a, id_r=id_b,
                          is_candidate=len(blocked) > 0, n_left=records.n_left,
                          right=right)  # fmt: skip


def _subset(keys: EncodedKeys, rows: list[int]) -> EncodedKeys:
    return keys.take(np.asarray(rows, dtype=np.int64))


def _run(
    records: _Records,
    settings: MatchSettings | None,
    *,
    seed: int,
    id_column: str,
    kind: TableKind,
    input_order: IntArray,
    timings: dict[str, float],
    retrain: bool = False,
    threshold: float | None = None,
    report: Progress | None = None,
    decisions: Decisions | None = None,
) -> MatchResult:  # the stages in order, each timed and reported: long but flat
    report = report if report is not None else Progress()
    keys = records.keys
    n = keys.n
    n_left = records.n_left
    settings, unused = _settings_for(records, settings, threshold)
    decided = (None if decisions is None
               else decisions.constraints(records.ids, records.sides, stacklevel=3))  # fmt: skip
    comparisons = settings.comparisons
    clock = time.perf_counter()
    with report.step("block"):
        candidates: CandidatePairs = block(
            keys,
            settings.blocking,
            block_cap=settings.block_cap,
            cap_window=settings.cap_window,
            max_pairs_per_rule=settings.pair_budget(n),
            sides=records.sides,
            order_key=name_order(keys),
        )
    timings["block"] = time.perf_counter() - clock
    clock = time.perf_counter()
    left, right = candidates.left, candidates.right
    with report.step(f"compare {len(candidates):,} pairs"):
        levels = compare_all(keys, comparisons, left, right)
    timings["compare"] = time.perf_counter() - clock
    clock = time.perf_counter()
    iterations, converged = 0, True
    if retrain or not settings.fitted:
        with report.step("fit"):
            fit = fit_model(settings, keys, levels, left, right, seed=seed, n_left=n_left)
        settings, iterations, converged = fit.settings, fit.iterations, fit.converged
    timings["fit"] = time.perf_counter() - clock
    clock = time.perf_counter()
    assert settings.prior is not None
    with report.step("score"):
        weights = score_pairs(keys, settings, levels, left, n_left=n_left)
        if decided is not None and len(decided):  # decided pairs the blocking did not find
            left, right, levels, weights = _with_decided_pairs(
                records, settings, decided, left, right, levels, weights
            )
    timings["score"] = time.perf_counter() - clock
    clock = time.perf_counter()
    with report.step("cluster"):
        apart = with_conflicts(n, decided, left, right, conflicting_pairs(settings, levels))
        clustered = cluster_pairs(
            n, left, right, weights, settings.threshold_weight, min_density=settings.min_density,
            constraints=apart,
        )  # fmt: skip
    labels = clustered.labels
    timings["cluster"] = time.perf_counter() - clock
    clock = time.perf_counter()
    with report.step("output"):
        decision = _pair_decisions(n, left, right, decided)
        matched = np.flatnonzero(
            ((weights >= settings.threshold_weight) & (decision != 0)) | (decision == 1)
        )
        clusters_out, cluster_index = _clusters_table(records, labels, id_column, input_order)
        pairs_out = _pairs_table(records, settings, left[matched], right[matched],
                                 weights[matched], levels[matched],
                                 None if decided is None else decision[matched])  # fmt: skip
        review = _review_order(weights, decision, left, right, settings.threshold_weight)
    timings["output"] = time.perf_counter() - clock
    sizes = np.bincount(labels, minlength=max(n, 1))
    stats = MatchStats(
        records=n,
        candidate_pairs=len(candidates),
        rule_pairs=candidates.rule_pairs,
        rule_new=candidates.rule_new,
        capped_blocks=candidates.capped,
        matched_pairs=len(matched),
        clusters=clustered.n_clusters,
        largest_cluster=int(sizes.max()) if n else 0,
        guard_split_clusters=clustered.split_clusters,
        em_iterations=iterations,
        em_converged=converged,
        unused_columns=tuple(unused),
        timings=dict(timings),
        decisions={} if decided is None else {
            "must_link": len(decided.must_left), "cannot_link": len(decided.cannot_left),
            "split_clusters": clustered.decision_splits,
        },
    )  # fmt: skip
    result = MatchResult(
        clusters=from_columns(clusters_out, result_kind(kind)),
        pairs=from_columns(pairs_out, result_kind(kind)),
        settings=settings,
        stats=stats,
        cluster_index=cluster_index,
        records=records,
    )
    result._review_pairs = (left[review], right[review], weights[review])
    result._decisions = decisions
    result._input_order = input_order
    result._kind = kind
    return result


def _with_decided_pairs(
    records: _Records,
    settings: MatchSettings,
    decided: PairConstraints,
    left: IntArray,
    right: IntArray,
    levels: npt.NDArray[np.int8],
    weights: FloatArray,
) -> tuple[IntArray, IntArray, npt.NDArray[np.int8], FloatArray]:
    """The scored pairs and the decided pairs that are not among them, compared and scored
    the same way (so the pairs and review tables show what the model makes of them)."""
    n = records.keys.n
    a = np.concatenate([decided.must_left, decided.cannot_left])
    b = np.concatenate([decided.must_right, decided.cannot_right])
    lo, hi = np.minimum(a, b), np.maximum(a, b)  # a left-table record comes first
    codes = np.unique(lo * n + hi)
    have = np.minimum(left, right) * n + np.maximum(left, right)
    codes = codes[~np.isin(codes, have)]
    if not len(codes):
        return left, right, levels, weights
    extra_l, extra_r = codes // n, codes % n
    extra_levels = compare_all(records.keys, settings.comparisons, extra_l, extra_r)
    extra_weights = score_pairs(records.keys, settings, extra_levels, extra_l,
                                n_left=records.n_left)  # fmt: skip
    return (
        np.concatenate([left, extra_l]),
        np.concatenate([right, extra_r]),
        np.concatenate([levels, extra_levels]),
        np.concatenate([weights, extra_weights]),
    )


def _pair_decisions(
    n: int, left: IntArray, right: IntArray, decided: PairConstraints | None
) -> npt.NDArray[np.int8]:
    """Per pair: 1 must link, 0 cannot link, -1 not decided."""
    out = np.full(len(left), -1, dtype=np.int8)
    if decided is None or not len(decided):
        return out
    codes = np.minimum(left, right) * n + np.maximum(left, right)
    for value, a, b in ((1, decided.must_left, decided.must_right),
                        (0, decided.cannot_left, decided.cannot_right)):  # fmt: skip
        out[np.isin(codes, np.minimum(a, b) * n + np.maximum(a, b))] = value
    return out


def _review_order(
    weights: FloatArray,
    decision: npt.NDArray[np.int8],
    left: IntArray,
    right: IntArray,
    threshold_weight: float,
) -> IntArray:
    """The pairs of the review: uncertain ones (most uncertain first), then decided ones."""
    decided = decision >= 0
    near = np.empty(len(weights), dtype=bool)  # a chunk at a time: no float array per pair
    for start in range(0, len(weights), PAIR_CHUNK):
        part = weights[start:start + PAIR_CHUNK]
        near[start:start + PAIR_CHUNK] = np.abs(part - threshold_weight) <= REVIEW_BITS
    keep = np.flatnonzero(near | decided)
    distance = np.abs(weights[keep] - threshold_weight)
    order = np.lexsort((right[keep], left[keep], distance, decided[keep]))
    return keep[order]


def _review_table(result: MatchResult) -> ColumnBatch:
    """The review table of a result (see :attr:`MatchResult.review`)."""
    records = result._matched
    assert result._review_pairs is not None
    assert result._input_order is not None
    left, right, weights = result._review_pairs
    ids = np.empty(len(records.ids), dtype=object)
    ids[:] = records.ids
    decisions = result._decisions
    decided = {} if decisions is None else decisions.decided(records.ids, records.sides)
    cells = None if decisions is None else decisions.to_table()
    lo, hi = np.minimum(left, right).tolist(), np.maximum(left, right).tolist()
    found = [decided.get(pair, -1) for pair in zip(lo, hi, strict=True)]

    def decision_cells(column: str) -> list[object]:
        return [None if k < 0 or cells is None else cells[column][k] for k in found]

    out: ColumnBatch = {
        "id_l": ids[lo].tolist() if lo else [],
        "id_r": ids[hi].tolist() if hi else [],
        "decision": decision_cells("decision"),
        "match_probability": match_probability(weights).tolist(),
        "match_weight": weights.tolist(),
    }
    if result._tables is not None:
        rows = result._input_order
        out.update(_side_by_side(result._tables, rows[lo], rows[hi], set(out)))
    for column in ("reviewer", "reviewed_at", "note"):
        out[column] = decision_cells(column)
    return out


def _side_by_side(
    tables: tuple[ColumnBatch, str | None, ColumnBatch | None, str | None],
    rows_l: IntArray,
    rows_r: IntArray,
    taken: set[str],
) -> ColumnBatch:
    """The columns of the two records of each pair, ``<column>_l`` beside ``<column>_r``.
    Rows index the left table, then (two-table mode) the right one."""
    batch_l, id_l, batch_r, id_r = tables
    n_l = len(next(iter(batch_l.values()))) if batch_l else 0

    def cell(column: str, row: int) -> object:
        if row < n_l or batch_r is None:
            return batch_l[column][row] if column in batch_l else None
        return batch_r[column][row - n_l] if column in batch_r else None

    names = [c for c in batch_l if c != id_l]
    if batch_r is not None:
        names += [c for c in batch_r if c != id_r and c not in names]
    out: ColumnBatch = {}
    taken = set(taken) | {"reviewer", "reviewed_at", "note"}
    for column in names:
        for suffix, rows in (("_l", rows_l), ("_r", rows_r)):
            name = f"{column}{suffix}"
            while name in taken:
                name += "_"
            taken.add(name)
            out[name] = [cell(column, r) for r in rows.tolist()]
    return out


def _settings_for(
    records: _Records, settings: MatchSettings | None, threshold: float | None
) -> tuple[MatchSettings, list[str]]:
    """The settings a run uses (see :func:`crmclean.settings.settings_for_keys`) and the key
    columns left out; warns about what limits it."""
    keys, n, n_left = records.keys, records.keys.n, records.n_left
    settings, unused = settings_for_keys(
        settings, {name: keys.non_null(name) for name in keys.names}, threshold, stacklevel=5
    )
    if n < 2 or (n_left is not None and (n_left == 0 or n_left == n)):
        warnings.warn(
            "fewer than two records to match: every record is its own cluster",
            MatchingWarning,
            stacklevel=4,
        )
    return settings, unused


def _clusters_table(
    records: _Records, labels: IntArray, id_column: str, input_order: IntArray
) -> tuple[ColumnBatch, IntArray]:
    """Clusters in input order; ``input_order[k]`` is the input position of record ``k``."""
    n = len(labels)
    inverse = np.empty(n, dtype=np.int64)
    inverse[input_order] = np.arange(n, dtype=np.int64)
    ids = records.ids
    own = inverse  # input position p → matched record inverse[p]
    label_of_input = labels[own]
    ids_in_input = [ids[i] for i in own.tolist()]
    cluster_ids = [ids[i] for i in label_of_input.tolist()]
    out: ColumnBatch = {id_column: ids_in_input}
    if records.sides is not None:
        side_names = np.array(["left", "right"], dtype=object)
        out["side"] = side_names[records.sides[own].astype(np.int64)].tolist()
        out["cluster_side"] = side_names[records.sides[label_of_input].astype(np.int64)].tolist()
    out["cluster_id"] = cluster_ids
    return out, input_order[label_of_input]


def _pairs_table(
    records: _Records,
    settings: MatchSettings,
    left: IntArray,
    right: IntArray,
    weights: FloatArray,
    levels: npt.NDArray[np.int8],
    decision: npt.NDArray[np.int8] | None = None,
) -> ColumnBatch:
    ids = np.empty(len(records.ids), dtype=object)
    ids[:] = records.ids
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    out: ColumnBatch = {
        "id_l": ids[lo].tolist(),
        "id_r": ids[hi].tolist(),
        "match_probability": match_probability(weights).tolist(),
        "match_weight": weights.tolist(),
    }
    for f, comparison in enumerate(settings.comparisons):
        out[f"gamma_{comparison.name}"] = levels[:, f].tolist()
    if decision is not None:  # with decisions: which pairs a must-link decision joined
        out["decision"] = [("match" if d == 1 else None) for d in decision.tolist()]
    return out


def _check_seed(seed: object) -> int:
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ConfigError("seed must be a non-negative int")
    return seed


def _ids_of(batch: ColumnBatch, id_column: str | None, n: int, what: str) -> list[object]:
    if id_column is None:
        return list(range(n))
    if id_column not in batch:
        raise ColumnError(
            f"id column {id_column!r} is not in the {what}; columns are: "
            + ", ".join(repr(c) for c in batch)
        )
    return list(batch[id_column])


def _prepared(
    batch: ColumnBatch,
    id_column: str | None,
    columns: Mapping[str, str] | None,
    region: str | None,
    dayfirst: bool,
    report: Progress | None = None,
    workers: int | None = None,
) -> ColumnBatch:
    roles = matching_roles(list(batch), id_column, columns)
    return prepare_columns(batch, roles, region=region, dayfirst=dayfirst,
                           progress=report if report is not None else False,
                           workers=workers)  # fmt: skip


def _encode_sorted(
    keys: Mapping[str, Sequence[object]], order: IntArray, report: Progress | None = None
) -> EncodedKeys:
    with (report if report is not None else Progress()).step("encode"):
        encoded = encode_keys(keys)
        return encoded.take(order)


def dedupe(
    table: Any,
    id_column: str | None = None,
    *,
    settings: MatchSettings | str | Mapping[str, Any] | None = None,
    columns: Mapping[str, str] | None = None,
    seed: int = 0,
    region: str | None = None,
    dayfirst: bool = True,
    retrain: bool = False,
    threshold: float | None = None,
    progress: bool | Progress = False,
    decisions: Decisions | str | os.PathLike[str] | Any = None,
    workers: int | None = None,
) -> MatchResult:
    """Find the duplicate records in one table.

    Column roles (first name, last name, email, phone, address parts, ...) are detected from
    the headers; ``columns`` (role → column) names or overrides them. With ``settings=None``
    every detected field is compared with its default comparator, blocked with the default
    rules, and the model is fitted on the data itself (no labels needed). Fitted settings
    (``result.settings``, or loaded from JSON) are used as they are unless ``retrain=True``.

    Args:
        table: a pandas/polars DataFrame, a pyarrow Table, a list of dicts or a dict of lists.
        id_column: the column of unique record ids (default: the row numbers).
        settings: :class:`MatchSettings`, their JSON or dict form, or ``None`` for defaults.
        columns: role → column name.
        seed: random seed for the u estimate; the same seed gives the same result.
        region: default phone region (ISO code) for numbers without a country code.
        dayfirst: read ``01/02/1990`` as 1 February.
        retrain: fit m, u and the prior again even if the settings hold them.
        threshold: match probability threshold, overriding the settings' one.
        progress: show each stage on stderr (prepare: fields done and time left; block,
            compare, fit, score, cluster); a :class:`~crmclean._progress.Progress` receives
            the reports instead. The result is the same either way.
        decisions: pairs a person decided, by record id (:class:`crmclean.Decisions`, a
            decisions table, or the path of a file such as a filled-in ``review.csv``):
            must-link pairs are joined whatever their score, and no cluster holds both records
            of a cannot-link pair (see :mod:`crmclean.cluster`). Decisions naming unknown ids
            are passed over with a :class:`crmclean.DecisionWarning`.
        workers: processes that normalize the values into matching keys (default ``None``:
            every core; ``1``: this process only). The result is the same whatever the
            number.

    Returns:
        A :class:`MatchResult`; its ``clusters`` and ``pairs`` are tables of the input's kind
        (pandas DataFrames for a list of dicts).

    Raises:
        ColumnError: the id column or a named column is missing, or the settings use a key
            column the table lacks.
        ConfigError: duplicate or empty ids, an unknown role, invalid settings, decisions
            that contradict each other, ``workers`` not a positive int.

    Example:
        >>> rows = [
        ...     {"id": 1, "first_name": "Robert", "last_name": "Smith", "email": "bob@acme.org"},
        ...     {"id": 2, "first_name": "Bob", "last_name": "Smith", "email": "bob@acme.org"},
        ...     {"id": 3, "first_name": "Alice", "last_name": "Jones", "email": "aj@mail.org"},
        ... ]
        >>> result = dedupe(rows, id_column="id", workers=2)
        >>> list(zip(result.clusters["id"], result.clusters["cluster_id"]))
        [(1, 1), (2, 1), (3, 3)]
    """
    seed = _check_seed(seed)
    workers = check_workers(workers)
    settings = coerce_settings(settings)
    decided = as_decisions(decisions)
    report = progress_of(progress)
    clock = time.perf_counter()
    batch, kind = to_columns(table)
    records, order, timings = _records_of(batch, id_column, columns, region, dayfirst, report,
                                          workers, clock)  # fmt: skip
    result = _run(
        records, settings, seed=seed, id_column=id_column or "id", kind=kind,
        input_order=order, timings=timings, retrain=retrain, threshold=threshold, report=report,
        decisions=decided,
    )  # fmt: skip
    return _with_source(result, batch, kind, id_column)


def dedupe_columns(
    batch: ColumnBatch,
    id_column: str | None = None,
    *,
    settings: MatchSettings | str | Mapping[str, Any] | None = None,
    columns: Mapping[str, str] | None = None,
    seed: int = 0,
    region: str | None = None,
    dayfirst: bool = True,
    retrain: bool = False,
    threshold: float | None = None,
    progress: bool | Progress = False,
    decisions: Decisions | str | os.PathLike[str] | Any = None,
    workers: int | None = None,
    kind: TableKind = "columns",
) -> MatchResult:
    """:func:`dedupe` of a column batch, read as it is (not copied): for callers that hold
    one, such as :func:`crmclean.clean`, whose standardize stage hands its parsed columns to
    the matching keys here (:func:`crmclean.fields.parse_once`). ``kind`` is the kind of table
    the result's tables take (``"columns"``: dicts of lists). The options are those of
    :func:`dedupe`.

    Example:
        >>> batch = {"id": [1, 2], "email": ["a@x.org", "A@x.org"]}
        >>> list(dedupe_columns(batch, "id").clusters["cluster_id"])
        [1, 1]
    """
    seed = _check_seed(seed)
    workers = check_workers(workers)
    settings = coerce_settings(settings)
    decided = as_decisions(decisions)
    report = progress_of(progress)
    records, order, timings = _records_of(batch, id_column, columns, region, dayfirst, report,
                                          workers, time.perf_counter())  # fmt: skip
    result = _run(
        records, settings, seed=seed, id_column=id_column or "id", kind=kind,
        input_order=order, timings=timings, retrain=retrain, threshold=threshold, report=report,
        decisions=decided,
    )  # fmt: skip
    return _with_source(result, batch, kind, id_column)


def _records_of(
    batch: ColumnBatch,
    id_column: str | None,
    columns: Mapping[str, str] | None,
    region: str | None,
    dayfirst: bool,
    report: Progress,
    workers: int,
    clock: float,
) -> tuple[_Records, IntArray, dict[str, float]]:
    """A table's records in id order with their encoded keys; the input order; the timings."""
    n = len(next(iter(batch.values()))) if batch else 0
    ids = _ids_of(batch, id_column, n, "table")
    order = id_order(ids, "the id column")
    prepared = _prepared(batch, id_column, columns, region, dayfirst, report, workers)
    keys = _encode_sorted(prepared, order, report)
    del prepared  # the key strings: the integer codes hold what matching needs
    timings = {"prepare": time.perf_counter() - clock}
    return _Records(keys, [ids[i] for i in order.tolist()], None), order, timings


def _with_source(
    result: MatchResult, batch: ColumnBatch, kind: TableKind, id_column: str | None
) -> MatchResult:
    """A dedupe result with the records it came from (for display, golden records, review)."""
    n = len(next(iter(batch.values()))) if batch else 0
    result._records = (batch, _ids_of(batch, id_column, n, "table"))
    result._source = (batch, kind, id_column)
    result._tables = (batch, id_column, None, None)
    return result


def link(
    left: Any,
    right: Any,
    id_column: str | None = None,
    *,
    right_id_column: str | None = None,
    settings: MatchSettings | str | Mapping[str, Any] | None = None,
    columns: Mapping[str, str] | None = None,
    right_columns: Mapping[str, str] | None = None,
    seed: int = 0,
    region: str | None = None,
    dayfirst: bool = True,
    retrain: bool = False,
    threshold: float | None = None,
    progress: bool | Progress = False,
    decisions: Decisions | str | os.PathLike[str] | Any = None,
    workers: int | None = None,
) -> MatchResult:
    """Link two tables: find the records of ``right`` that are records of ``left``.

    Only pairs across the tables are compared. Outputs are those of :func:`dedupe`, with
    both tables' records: ``clusters`` has a ``side`` column (``"left"``/``"right"``), and
    ``cluster_id`` is the smallest left-table id in the cluster, or, when the cluster has
    none, the smallest right-table id (``cluster_side`` says which). In ``pairs``, ``id_l``
    is the left-table id and ``id_r`` the right-table id.

    Args:
        left: the first table (e.g. the CRM).
        right: the second table (e.g. an import list).
        id_column: id column of ``left`` (and of ``right`` unless ``right_id_column``).
        right_id_column: id column of ``right``.
        settings: as for :func:`dedupe`.
        columns: role → column name for ``left`` (and ``right`` unless ``right_columns``).
        right_columns: role → column name for ``right``.
        seed: random seed.
        region: default phone region.
        dayfirst: read ``01/02/1990`` as 1 February.
        retrain: fit again even if the settings hold a fitted model.
        threshold: match probability threshold, overriding the settings' one.
        progress: show each stage on stderr, as for :func:`dedupe`.
        decisions: as for :func:`dedupe`; the first id of each pair (``id_l``) is a
            left-table id, the second (``id_r``) a right-table id.
        workers: processes that normalize the values, as for :func:`dedupe`.

    Raises:
        ColumnError: an id column or a named column is missing.
        ConfigError: duplicate or empty ids within a table, invalid settings, ``workers``
            not a positive int.

    Example:
        >>> crm = [{"id": "c1", "name": "Maria Lopez", "email": "maria.lopez@acme.org"},
        ...        {"id": "c2", "name": "Tom Lee", "email": "tom@lee.org"}]
        >>> new = [{"id": "n1", "name": "Maria Lopez", "email": "MARIA.LOPEZ@acme.org"}]
        >>> result = link(crm, new, id_column="id")
        >>> c = result.clusters
        >>> list(zip(c["id"], c["side"], c["cluster_id"]))
        [('c1', 'left', 'c1'), ('c2', 'left', 'c2'), ('n1', 'right', 'c1')]
    """
    seed = _check_seed(seed)
    workers = check_workers(workers)
    settings = coerce_settings(settings)
    decided = as_decisions(decisions)
    report = progress_of(progress)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    batch_l, kind = to_columns(left)
    batch_r, _ = to_columns(right)
    right_id_column = right_id_column if right_id_column is not None else id_column
    n_l = len(next(iter(batch_l.values()))) if batch_l else 0
    n_r = len(next(iter(batch_r.values()))) if batch_r else 0
    ids_l = _ids_of(batch_l, id_column, n_l, "left table")
    ids_r = _ids_of(batch_r, right_id_column, n_r, "right table")
    order_l = id_order(ids_l, "the left table's id column")
    order_r = id_order(ids_r, "the right table's id column")
    with using(workers):  # one pool for both tables
        keys_l = _prepared(batch_l, id_column, columns, region, dayfirst, report, workers)
        keys_r = _prepared(
            batch_r, right_id_column, right_columns if right_columns is not None else columns,
            region, dayfirst, report, workers,
        )  # fmt: skip
    result = _link_keys(
        keys_l, keys_r, ids_l, ids_r, order_l, order_r, settings,
        seed=seed, id_column=id_column or "id", kind=kind, timings=timings, clock=clock,
        retrain=retrain, threshold=threshold, report=report, decisions=decided,
    )  # fmt: skip
    result._tables = (batch_l, id_column, batch_r, right_id_column)
    return result


def _link_keys(
    keys_l: Mapping[str, Sequence[object]],
    keys_r: Mapping[str, Sequence[object]],
    ids_l: list[object],
    ids_r: list[object],
    order_l: IntArray,
    order_r: IntArray,
    settings: MatchSettings | None,
    *,
    seed: int,
    id_column: str,
    kind: TableKind,
    timings: dict[str, float],
    clock: float,
    retrain: bool,
    threshold: float | None = None,
    report: Progress | None = None,
    decisions: Decisions | None = None,
) -> MatchResult:
    n_l, n_r = len(ids_l), len(ids_r)
    names = list(dict.fromkeys([*keys_l, *keys_r]))
    combined: dict[str, list[object]] = {}
    for name in names:
        col_l = as_list(keys_l[name]) if name in keys_l else [None] * n_l
        col_r = as_list(keys_r[name]) if name in keys_r else [None] * n_r
        combined[name] = list(col_l) + list(col_r)
    order = np.concatenate([order_l, order_r + n_l]).astype(np.int64)
    keys = _encode_sorted(combined, order, report)
    timings["prepare"] = time.perf_counter() - clock
    all_ids = list(ids_l) + list(ids_r)
    sides = np.zeros(n_l + n_r, dtype=bool)
    sides[n_l:] = True
    records = _Records(keys, [all_ids[i] for i in order.tolist()], sides)
    return _run(
        records, settings, seed=seed, id_column=id_column, kind=kind, input_order=order,
        timings=timings, retrain=retrain, threshold=threshold, report=report,
        decisions=decisions,
    )  # fmt: skip


def match_prepared(
    keys: Mapping[str, Sequence[object]],
    *,
    ids: Sequence[object] | None = None,
    right: Mapping[str, Sequence[object]] | None = None,
    right_ids: Sequence[object] | None = None,
    settings: MatchSettings | str | Mapping[str, Any] | None = None,
    seed: int = 0,
    id_column: str = "id",
    retrain: bool = False,
    threshold: float | None = None,
    decisions: Decisions | str | os.PathLike[str] | Any = None,
) -> MatchResult:
    """Match records whose keys are already prepared (by :func:`crmclean.prepare.prepare_columns`
    or by the caller): block, compare, fit, score and cluster only.

    ``keys`` maps key column names (:data:`crmclean.prepare.KEY_COLUMNS`) to columns of
    ``str`` or ``None``. With ``right`` the two batches are linked instead. ``decisions`` are
    honoured as by :func:`dedupe`. Outputs are column batches (dicts of lists).

    Example:
        >>> result = match_prepared({"email": ["a@x.org", "a@x.org", "b@y.org"],
        ...                          "family": ["lee", "lee", "kim"]}, ids=["r1", "r2", "r3"])
        >>> result.clusters["cluster_id"]
        ['r1', 'r1', 'r3']
    """
    seed = _check_seed(seed)
    settings = coerce_settings(settings)
    decided = as_decisions(decisions)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    n = len(as_list(next(iter(keys.values())))) if keys else 0
    id_list: list[object] = list(ids) if ids is not None else list(range(n))
    if len(id_list) != n:
        raise ConfigError("ids and key columns differ in length")
    order = id_order(id_list, "ids")
    if right is None:
        encoded = _encode_sorted(keys, order)
        timings["prepare"] = time.perf_counter() - clock
        records = _Records(encoded, [id_list[i] for i in order.tolist()], None)
        return _run(
            records, settings, seed=seed, id_column=id_column, kind="columns",
            input_order=order, timings=timings, retrain=retrain, threshold=threshold,
            decisions=decided,
        )  # fmt: skip
    n_r = len(as_list(next(iter(right.values())))) if right else 0
    r_ids: list[object] = list(right_ids) if right_ids is not None else list(range(n_r))
    if len(r_ids) != n_r:
        raise ConfigError("right_ids and right key columns differ in length")
    order_r = id_order(r_ids, "right_ids")
    return _link_keys(
        keys, right, id_list, r_ids, order, order_r, settings, seed=seed,
        id_column=id_column, kind="columns", timings=timings, clock=clock, retrain=retrain,
        threshold=threshold, decisions=decided,
    )  # fmt: skip

