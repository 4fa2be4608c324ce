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

For each incoming record, candidates are found without scanning the index: per blocking
rule, the index keeps its records sorted by a hash of the rule's keys, so the records that
share the incoming record's block are one binary search away; per sorted-neighbourhood pass,
the records are kept in key order and the incoming record meets the ``window`` records on
each side of its place. The candidates are compared with the engine's comparators and scored
with the fitted m, u and prior, and the term-frequency adjustments use the value counts of the
index (as if the incoming record were one more record of it).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean.block import BlockingRule, MatchingWarning, SortedNeighbourhood, block
from crmclean.cluster import cluster_pairs
from crmclean.columns import matching_roles
from crmclean.compare import compare_all
from crmclean.encode import id_order, name_order
from crmclean.errors import ColumnError, ConfigError, IndexFileError
from crmclean.frames import ColumnBatch, TableKind, from_columns, result_kind, to_columns
from crmclean.normalize._base import is_null
from crmclean.pipeline import MatchResult
from crmclean.prepare import EncodedColumn, EncodedKeys, encode_keys, prepare_columns
from crmclean.score import PairExplanation, explain_levels, match_probability, score_pairs, tf_bits
from crmclean.settings import MatchSettings, check_settings_keys, coerce_settings

__all__ = ["IndexMatches", "MatchIndex", "OneMatch"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ObjectArray = npt.NDArray[np.object_]

FORMAT_NAME: Final = "crmclean.MatchIndex"
FORMAT_VERSION: Final = 1
_MANIFEST: Final = "manifest.json"
_SHARED_VOCAB: Final = ("given", "family")  # encode_keys gives these one vocabulary
_COLUMN_NAME: Final = re.compile(r"^[a-z_0-9]{1,40}$")
_STATUSES: Final = ("matched", "review", "new")
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)
_MIX2: Final = np.uint64(0xBF58476D1CE4E5B9)


# --- sorted vocabularies, blocks and passes ------------------------------------------------


class _Ranked:
    """A column's vocabulary in sorted order: string → code lookups and key ranks."""

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

    def encoded(self, codes: npt.NDArray[np.int32]) -> IntArray:
        """Each record's place in key order: ``2·rank + 1``, nulls last."""
        table = np.r_[2 * self.rank + 1, 2 * self.size + 2].astype(np.int64)
        out: IntArray = table[codes.astype(np.int64)]  # -1 picks the trailing null slot
        return out

    @property
    def radix(self) -> int:
        return 2 * self.size + 3


def _mix(columns: Sequence[IntArray]) -> npt.NDArray[np.uint64]:
    """A 64-bit hash of each row of codes (non-negative); collisions are checked later."""
    h = np.full(len(columns[0]), 0x84222325CBF29CE4, dtype=np.uint64)
    for codes in columns:
        h ^= codes.astype(np.uint64) + np.uint64(1)
        h *= _MIX
        h ^= h >> np.uint64(31)
    h *= _MIX2
    h ^= h >> np.uint64(29)
    return h


@attrs.frozen
class _RuleTable:
    """A blocking rule's records, sorted by block (hash of the keys), then by name."""

    rule: BlockingRule
    hashes: npt.NDArray[np.uint64]
    members: IntArray


@attrs.frozen
class _PassTable:
    """Records in sorted-key order: a sorted-neighbourhood pass, or the name order."""

    names: tuple[str, ...]
    composite: IntArray
    members: IntArray


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
        tf = index._tf_index(levels, left)
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
        tf = index._tf_batch(self.keys, levels, left)
        candidate = bool(np.isin(i * len(self.ids) + j, self.batch_codes))
        return explain_levels(index.settings, self.keys, levels, left, id_l=self.ids[b],
                              id_r=self.ids[other], is_candidate=candidate, tf=tf)  # fmt: skip


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
    ) -> None:
        """Use :meth:`build` or :meth:`load`; the arguments are checked there."""
        self._keys = keys
        self._ids: tuple[object, ...] = tuple(ids)
        self._labels = np.asarray(labels, dtype=np.int64)
        self._settings = settings
        self._id_column = id_column
        self._columns = dict(columns or {})
        self._region = region
        self._dayfirst = dayfirst
        self._positions: dict[object, int] | None = None
        self._ranked: dict[str, _Ranked] = {}
        self._counts: dict[str, tuple[FloatArray, float, float]] = {}  # see _value_counts
        n = keys.n
        self._name_pass = self._make_pass(
            tuple(c for c in ("family", "given") if c in keys.names), None
        )
        self._name_pos = np.empty(n, dtype=np.int64)
        self._name_pos[self._name_pass.members] = np.arange(n, dtype=np.int64)
        self._rules: list[_RuleTable] = []
        self._passes: list[tuple[SortedNeighbourhood, _PassTable]] = []
        for rule in settings.blocking:
            if isinstance(rule, SortedNeighbourhood):
                self._passes.append((rule, self._make_pass(rule.keys, rule.keys[0])))
            else:
                self._rules.append(self._make_rule(rule))
        for comparison in settings.comparisons:
            if comparison.tf and comparison.has_exact_key_level():
                self._value_counts(comparison.key_column)

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

        Raises:
            ColumnError: the id column or a named column is missing, or the settings use a
                key column the table lacks.
            ConfigError: duplicate or empty ids, settings without a fitted model, clusters
                that do not cover the records or name a cluster by a record outside it.
        """
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
        prepared = prepare_columns(batch, roles, region=region, dayfirst=dayfirst)
        keys = encode_keys(prepared).take(order)
        check_settings_keys(fitted, keys.names)
        sorted_ids = [ids[i] for i in order.tolist()]
        labels = _labels_from(clusters, sorted_ids, id_column)
        return cls(
            keys=keys, ids=sorted_ids, labels=labels, settings=fitted, id_column=id_column,
            columns=columns, region=region, dayfirst=dayfirst,
        )  # fmt: skip

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

    def _make_pass(self, names: tuple[str, ...], required: str | None) -> _PassTable:
        n = self._keys.n
        if not names:
            return _PassTable((), np.zeros(n, np.int64), np.arange(n, dtype=np.int64))
        ranked = [self._ranked_column(name) for name in names]
        places = [r.encoded(self._keys[name].codes) for r, name in zip(ranked, names,
                                                                       strict=True)]  # fmt: skip
        composite, used = _composite(places, [r.radix for r in ranked])
        if required is None:
            members = np.arange(n, dtype=np.int64)
            tie = members
        else:
            members = np.flatnonzero(self._keys[required].codes >= 0).astype(np.int64)
            tie = self._name_pos[members]
        order = np.lexsort((tie, composite[members]))
        members = members[order]
        return _PassTable(names[:used], composite[members], members)

    def _make_rule(self, rule: BlockingRule) -> _RuleTable:
        codes = [self._keys[name].codes.astype(np.int64) for name in rule.keys]
        valid = np.ones(self._keys.n, dtype=bool)
        for c in codes:
            valid &= c >= 0
        members = np.flatnonzero(valid).astype(np.int64)
        hashes = _mix([c[members] for c in codes])
        order = np.lexsort((self._name_pos[members], hashes))
        return _RuleTable(rule, hashes[order], members[order])

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
        _save(self, directory, overwrite)

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> MatchIndex:
        """Load an index saved by :meth:`save`, checking every file first.

        Raises:
            IndexFileError: the manifest is missing or of another format version, a file is
                missing, extra, altered (SHA-256) or of the wrong kind (an ``.npy`` file that
                would need pickle), or the parts do not fit together.
        """
        return _load(directory)

    # -- matching ---------------------------------------------------------------------------

    def match(
        self,
        batch: Any,
        id_column: str | None = None,
        *,
        columns: Mapping[str, str] | None = None,
        review_threshold: float | None = None,
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

        Returns:
            :class:`IndexMatches`; its ``table`` is of the batch's kind.

        Raises:
            ColumnError: the id column is missing, or the batch has a key column the index
                does not hold (or none that it holds).
            ConfigError: duplicate or empty ids, ids already in the index, a bad
                ``review_threshold``.
        """
        columns_batch, kind = to_columns(batch)
        state = self._match_batch(columns_batch, id_column, columns, review_threshold)
        return IndexMatches(self, state, kind)

    def match_one(
        self,
        record: Mapping[str, object],
        *,
        columns: Mapping[str, str] | None = None,
        review_threshold: float | None = None,
    ) -> OneMatch:
        """Match a single record (a web form, an API call): the same result as :meth:`match`
        on a one-row batch, without building a table.

        The record may carry an id (in the index's id column); it must not be in the index.

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
        state = self._match_batch(batch, None, columns, review_threshold)
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
    ) -> MatchIndex:
        """A new index with the batch added (this one is not changed).

        Each record joins the cluster :meth:`match` found for it; the others form new
        clusters (batch records that match each other form one), each named by its smallest
        record id. Existing cluster ids never change: an existing cluster keeps its id and
        two existing clusters are never merged. ``batch`` may also be the
        :class:`IndexMatches` that :meth:`match` returned for it on this index, which saves
        matching it again.

        Raises:
            as :meth:`match`.
        """
        if isinstance(batch, IndexMatches):
            if batch._index is not self:
                raise ConfigError("these matches were made against another index")
            state = batch._state
        else:
            columns_batch, _ = to_columns(batch)
            state = self._match_batch(columns_batch, id_column, columns, None)
        m = len(state.ids)
        if m == 0:
            return self
        n = len(self)
        keys = self._append_keys(state.prepared)
        new_labels = np.where(state.label >= 0, state.label, n + state.group)
        return MatchIndex(
            keys=keys,
            ids=self._ids + tuple(state.ids),
            labels=np.concatenate([self._labels, new_labels]),
            settings=self._settings,
            id_column=self._id_column,
            columns=self._columns,
            region=self._region,
            dayfirst=self._dayfirst,
        )

    def _append_keys(self, prepared: Mapping[str, list[str | None]]) -> EncodedKeys:
        """The index's keys with the batch's keys after them; new keys grow the vocabularies
        (given and family names keep sharing theirs)."""
        groups: dict[int, list[str]] = {}
        for name in self._keys.names:
            groups.setdefault(id(self._keys[name].vocab), []).append(name)
        columns: dict[str, EncodedColumn] = {}
        for group in groups.values():
            vocab = self._keys[group[0]].vocab
            ranked = self._ranked_column(group[0])
            extra: dict[str, int] = {}
            found: dict[str, IntArray] = {}
            for name in group:
                values = np.empty(len(prepared[name]), dtype=object)
                values[:] = prepared[name]
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
        added = len(next(iter(prepared.values()))) if prepared else 0
        return EncodedKeys(columns, len(self) + added)

    # -- the matching path ------------------------------------------------------------------

    def _match_batch(
        self,
        batch: ColumnBatch,
        id_column: str | None,
        columns: Mapping[str, str] | None,
        review_threshold: float | None,
    ) -> _BatchState:
        settings = self._settings
        if review_threshold is not None and (
            not isinstance(review_threshold, (int, float))
            or isinstance(review_threshold, bool)
            or not 0 < review_threshold < settings.threshold
        ):
            raise ConfigError(
                "review_threshold must be a probability above 0 and below the threshold"
            )
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
        keys = encode_keys(prepared)
        state = _BatchState(sorted_ids, order, prepared, keys, id_column)
        if n_rows:
            self._score_against_index(state, review_threshold)
            self._group_batch(state, review_threshold)
        return state

    def _has_id(self, value: object) -> bool:
        try:
            self._position(value)
        except KeyError:
            return False
        return True

    def _candidates(self, state: _BatchState) -> tuple[IntArray, IntArray]:
        """Candidate pairs ``(b, r)``: batch record, indexed record."""
        settings = self._settings
        keys = state.keys
        m, n = keys.n, len(self)
        found_b: list[IntArray] = []
        found_r: list[IntArray] = []
        capped: dict[str, int] = {}
        cap, window = settings.block_cap, settings.cap_window
        name_places = None
        for table in self._rules:
            codes = []
            valid = np.ones(m, dtype=bool)
            for name in table.rule.keys:
                column = keys[name]
                strings = _strings(column)
                found, _ = self._ranked_column(name).find(strings)
                codes.append(found)
                valid &= found >= 0
            rows = np.flatnonzero(valid)
            if len(rows) == 0 or len(table.members) == 0:
                continue
            hashes = _mix([c[rows] for c in codes])
            lo = np.searchsorted(table.hashes, hashes, side="left").astype(np.int64)
            hi = np.searchsorted(table.hashes, hashes, side="right").astype(np.int64)
            sizes = hi - lo
            small = sizes <= cap
            b, pos = _expand(rows[small], lo[small], sizes[small])
            r = table.members[pos]
            big = np.flatnonzero(~small)
            if len(big):
                capped[table.rule.name] = len(big)
                if name_places is None:
                    name_places = self._name_places(state)
                extra_b, extra_r = [], []
                for k in big.tolist():
                    block_members = table.members[lo[k] : hi[k]]
                    at = int(np.searchsorted(self._name_pos[block_members],
                                             name_places[rows[k]]))  # fmt: skip
                    chosen = block_members[max(0, at - window) : at + window]
                    extra_b.append(np.full(len(chosen), rows[k], dtype=np.int64))
                    extra_r.append(chosen)
                b = np.concatenate([b, *extra_b])
                r = np.concatenate([r, *extra_r])
            same = np.ones(len(b), dtype=bool)  # hashes can collide: check the keys
            for name, c in zip(table.rule.keys, codes, strict=True):
                same &= self._keys[name].codes[r] == c[b]
            found_b.append(b[same])
            found_r.append(r[same])
        for rule, pass_table in self._passes:
            if not pass_table.names or len(pass_table.members) == 0:
                continue
            first = keys[rule.keys[0]].codes >= 0
            rows = np.flatnonzero(first)
            if len(rows) == 0:
                continue
            composite = self._places(state, pass_table.names)[rows]
            place = np.searchsorted(pass_table.composite, composite).astype(np.int64)
            first_pos = np.maximum(place - rule.window, 0)
            end_pos = np.minimum(place + rule.window, len(pass_table.members))
            b, pos = _expand(rows, first_pos, end_pos - first_pos)
            found_b.append(b)
            found_r.append(pass_table.members[pos])
        if capped:
            warnings.warn(
                "blocking rule(s) "
                + ", ".join(f"{name!r} ({count} record(s))" for name, count in capped.items())
                + f": blocks larger than the cap of {cap} records; each such record is "
                f"compared with the {window} nearest records by name on each side only",
                MatchingWarning,
                stacklevel=4,
            )
        if not found_b:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        code = np.unique(np.concatenate(found_b) * max(n, 1) + np.concatenate(found_r))
        return code // max(n, 1), code % max(n, 1)

    def _places(self, state: _BatchState, names: tuple[str, ...]) -> IntArray:
        places, radixes = [], []
        for name in names:
            ranked = self._ranked_column(name)
            _, place = ranked.find(_strings(state.keys[name]))
            places.append(place)
            radixes.append(ranked.radix)
        composite, _ = _composite(places, radixes)
        return composite

    def _name_places(self, state: _BatchState) -> FloatArray:
        """Each batch record's place in the index's name order (between two records)."""
        if not self._name_pass.names:
            return np.full(state.keys.n, float(len(self)))
        composite = self._places(state, self._name_pass.names)
        at = np.searchsorted(self._name_pass.composite, composite, side="left")
        return np.asarray(at, dtype=np.float64) - 0.5

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

    def _tf_index(self, levels: npt.NDArray[np.int8], r: IntArray) -> list[FloatArray | None]:
        """Term-frequency adjustments of pairs (indexed record ``r``, new record), with the
        index's value counts plus the new record."""

        def bits(name: str, where: IntArray) -> FloatArray:
            counts, total, shared = self._value_counts(name)
            others = counts[self._keys[name].codes[r[where]]]
            return tf_bits(others, total + 1, shared + others)

        return self._tf_at_exact_levels(levels, bits)

    def _tf_batch(
        self, keys: EncodedKeys, levels: npt.NDArray[np.int8], left: IntArray
    ) -> list[FloatArray | None]:
        """Term-frequency adjustments of pairs within a batch, with the value counts of the
        index and the batch together."""

        def bits(name: str, where: IntArray) -> FloatArray:
            counts, total, shared = self._value_counts(name)
            column = keys[name]
            own = np.bincount(column.codes[column.codes >= 0],
                              minlength=len(column.vocab)).astype(np.float64)  # fmt: skip
            found, _ = self._ranked_column(name).find(column.vocab)
            before = np.where(found >= 0, counts[np.maximum(found, 0)], 0.0)
            after = before + own
            shared_all = shared + float((after * (after - 1) / 2 - before * (before - 1) / 2).sum())
            values = column.codes[left[where]]
            return tf_bits(
                after[values] - 1, total + float(own.sum()), np.full(len(where), shared_all)
            )

        return self._tf_at_exact_levels(levels, bits)

    def _tf_at_exact_levels(
        self,
        levels: npt.NDArray[np.int8],
        bits: Callable[[str, IntArray], FloatArray],
    ) -> list[FloatArray | None]:
        """Per comparison, ``None`` without term frequencies, else each pair's adjustment:
        ``bits(key column, rows)`` for the rows at the exact level, 0 for the others."""
        out: list[FloatArray | None] = []
        for f, comparison in enumerate(self._settings.comparisons):
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

    def _score_against_index(self, state: _BatchState, review: float | None) -> None:
        settings = self._settings
        b, r = self._candidates(state)
        n = len(self)
        state.candidate_codes = b * max(n, 1) + r
        state.n_candidates = np.bincount(b, minlength=state.keys.n).astype(np.int64)
        if len(b) == 0:
            return
        small, left, right = self._pair_keys(state, r, b)
        levels = compare_all(small, settings.comparisons, left, right)
        weights = score_pairs(small, settings, levels, left, tf=self._tf_index(levels, r))
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

    def _group_batch(self, state: _BatchState, review: float | None) -> None:
        """Batch records that match each other: the unmatched ones form new clusters, or
        join the cluster of a matched record they match."""
        settings = self._settings
        keys = state.keys
        m = keys.n
        if m >= 2:
            pairs = block(
                keys,
                settings.blocking,
                block_cap=settings.block_cap,
                cap_window=settings.cap_window,
                max_pairs_per_rule=settings.max_pairs_per_rule or max(1_000_000, 5 * m),
                order_key=name_order(keys),
            )
            left, right = pairs.left, pairs.right
            state.batch_codes = left * m + right
        else:
            left = right = np.zeros(0, np.int64)
        if len(left):
            levels = compare_all(keys, settings.comparisons, left, right)
            weights = score_pairs(keys, settings, levels, left,
                                  tf=self._tf_batch(keys, levels, left))  # fmt: skip
            above = weights >= settings.threshold_weight
            left, right, weights = left[above], right[above], weights[above]
        else:
            weights = np.zeros(0)
        matched = state.label >= 0
        # new records among themselves (with the chaining guard)
        both_new = ~matched[left] & ~matched[right]
        clustered = cluster_pairs(
            m, left[both_new], right[both_new], weights[both_new],
            settings.threshold_weight, min_density=settings.min_density,
        )  # fmt: skip
        group = clustered.labels
        kept = np.flatnonzero(both_new)[clustered.edges]
        # the strongest kept edge of each new record names its partner
        _strongest(state, left[kept], right[kept], weights[kept])
        # a group of new records that matches a matched record joins that record's cluster
        one_matched = matched[left] ^ matched[right]
        if one_matched.any():
            a, c, w = left[one_matched], right[one_matched], weights[one_matched]
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
        state.group = np.where(state.label >= 0, np.arange(m), group)
        if review is not None:
            band = math.log2(review / (1 - review))
            in_band = (state.label < 0) & (state.best >= 0) & (state.best_weight >= band)
            state.status[in_band] = 1
            state.partner[in_band] = -1  # the reviewer wants the indexed candidate


def _strongest(state: _BatchState, left: IntArray, right: IntArray, weights: FloatArray) -> None:
    for a, c, w in zip(left.tolist(), right.tolist(), weights.tolist(), strict=True):
        for x, y in ((a, c), (c, a)):
            if state.partner[x] < 0 or w > state.partner_weight[x]:
                state.partner[x] = y
                state.partner_weight[x] = w


def _expand(rows: IntArray, start: IntArray, sizes: IntArray) -> tuple[IntArray, IntArray]:
    """``(rows[k], start[k] + t)`` for ``t`` in ``0..sizes[k]-1``, for every ``k``."""
    sizes = np.maximum(sizes, 0)
    total = int(sizes.sum())
    b = np.repeat(rows, sizes)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return b, np.repeat(start, sizes) + offsets


def _strings(column: EncodedColumn) -> ObjectArray:
    """A column's keys as an object array of strings and ``None``."""
    table = np.empty(len(column.vocab) + 1, dtype=object)
    table[: len(column.vocab)] = column.vocab
    table[-1] = None
    out: ObjectArray = table[column.codes.astype(np.int64)]
    return out


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


# --- save and load -------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=True, allow_nan=False), encoding="utf-8")


def _save(index: MatchIndex, directory: str | os.PathLike[str], overwrite: bool) -> None:
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise ConfigError("the path to save the index to is a file, not a directory")
    if root.exists() and any(root.iterdir()):
        if not overwrite:
            raise ConfigError(
                "the directory is not empty; save to a new directory or pass overwrite=True"
            )
        _remove_saved(root)
    root.mkdir(parents=True, exist_ok=True)
    ids = list(index.ids)
    if all(type(v) is int for v in ids):
        try:
            id_array = np.asarray(ids, dtype=np.int64)
        except OverflowError:
            raise ConfigError("integer ids must fit in 64 bits to be saved") from None
        np.save(root / "ids.npy", id_array, allow_pickle=False)
        id_file, id_kind = "ids.npy", "int"
    elif all(type(v) is str for v in ids):
        _write_json(root / "ids.json", ids)
        id_file, id_kind = "ids.json", "str"
    else:
        raise ConfigError("only an index whose ids are all ints or all strings can be saved")
    np.save(root / "clusters.npy", index._labels.astype(np.int64), allow_pickle=False)
    (root / "settings.json").write_text(index.settings.to_json(), encoding="utf-8")
    files = [id_file, "clusters.npy", "settings.json"]
    keys = index._keys
    vocab_files: dict[str, str] = {}
    written: dict[int, str] = {}
    for name in keys.names:
        column = keys[name]
        np.save(root / f"codes.{name}.npy", column.codes.astype(np.int32), allow_pickle=False)
        files.append(f"codes.{name}.npy")
        shared = written.get(id(column.vocab))
        if shared is None:
            shared = f"vocab.{name}.json"
            _write_json(root / shared, column.vocab.tolist())
            files.append(shared)
            written[id(column.vocab)] = shared
        vocab_files[name] = shared
    manifest = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "rows": len(index),
        "id_column": index.id_column,
        "id_kind": id_kind,
        "columns": list(keys.names),
        "vocab": vocab_files,
        "roles": index._columns,
        "region": index._region,
        "dayfirst": index._dayfirst,
        "files": {name: _sha256(root / name) for name in sorted(files)},
    }
    temporary = root / (_MANIFEST + ".tmp")
    _write_json(temporary, manifest)
    os.replace(temporary, root / _MANIFEST)


def _remove_saved(root: Path) -> None:
    """Remove an index saved earlier (only the files its manifest lists)."""
    try:
        manifest = json.loads((root / _MANIFEST).read_text(encoding="utf-8"))
        files = list(manifest["files"]) if manifest.get("format") == FORMAT_NAME else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        files = None
    if files is None or not all(isinstance(f, str) and "/" not in f for f in files):
        raise ConfigError("the directory holds files that are not a saved match index")
    for name in [*files, _MANIFEST]:
        (root / name).unlink(missing_ok=True)
    if any(root.iterdir()):
        raise ConfigError("the directory holds files that are not part of the saved index")


def _fail(reason: str) -> IndexFileError:
    return IndexFileError(f"cannot load the match index: {reason}")


def _load_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise _fail(f"{what} is not valid JSON") from None


def _load_array(path: Path, dtype: type, rows: int, what: str) -> npt.NDArray[Any]:
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        raise _fail(f"{what} is not a NumPy array file (pickled data is refused)") from None
    if not isinstance(array, np.ndarray) or array.dtype != dtype or array.shape != (rows,):
        raise _fail(f"{what} has the wrong type or length")
    return array


def _load(directory: str | os.PathLike[str]) -> MatchIndex:
    root = Path(directory)
    if not (root / _MANIFEST).is_file():
        raise _fail("no manifest.json in the directory")
    manifest = _load_json(root / _MANIFEST, "manifest.json")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise _fail("manifest.json does not describe a match index")
    if manifest.get("version") != FORMAT_VERSION:
        raise _fail("unsupported format version (this crmclean reads version 1)")
    try:
        rows = manifest["rows"]
        id_column = manifest["id_column"]
        id_kind = manifest["id_kind"]
        names = manifest["columns"]
        vocab_files = manifest["vocab"]
        roles = manifest["roles"]
        region = manifest["region"]
        dayfirst = manifest["dayfirst"]
        files = manifest["files"]
    except KeyError:
        raise _fail("manifest.json lacks an entry") from None
    if (
        not isinstance(rows, int) or isinstance(rows, bool) or rows < 0
        or not isinstance(id_column, str) or id_kind not in ("int", "str")
        or not isinstance(names, list) or not all(isinstance(c, str) and _COLUMN_NAME.match(c)
                                                  for c in names)
        or len(set(names)) != len(names)
        or not isinstance(vocab_files, dict) or sorted(vocab_files) != sorted(names)
        or not isinstance(roles, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in roles.items())
        or not (region is None or isinstance(region, str))
        or not isinstance(dayfirst, bool)
        or not isinstance(files, dict)
        or not all(isinstance(v, str) for v in files.values())
    ):  # fmt: skip
        raise _fail("manifest.json has an invalid entry")
    id_file = "ids.npy" if id_kind == "int" else "ids.json"
    expected = {id_file, "clusters.npy", "settings.json"}
    expected |= {f"codes.{name}.npy" for name in names}
    expected |= {f"vocab.{name}.json" for name in names
                 if vocab_files[name] == f"vocab.{name}.json"}  # fmt: skip
    if set(vocab_files.values()) - expected:
        raise _fail("manifest.json names a vocabulary file that is not part of the index")
    if set(files) != expected:
        raise _fail("manifest.json does not list the files of the index")
    present = {entry.name for entry in os.scandir(root)} - {_MANIFEST}
    if present - expected:
        raise _fail(f"unexpected file(s) in the directory: {', '.join(sorted(present - expected))}")
    if expected - present:
        raise _fail(f"missing file(s): {', '.join(sorted(expected - present))}")
    for name in sorted(expected):
        path = root / name
        if not path.is_file() or path.is_symlink():
            raise _fail(f"{name} is not a regular file")
        if _sha256(path) != files[name]:
            raise _fail(f"{name} was altered (its SHA-256 sum differs from the manifest's)")
    try:
        settings = MatchSettings.from_json((root / "settings.json").read_bytes())
    except ConfigError:
        raise _fail("settings.json holds invalid settings") from None
    if not settings.fitted:
        raise _fail("settings.json holds no fitted model")
    if id_kind == "int":
        ids: list[object] = _load_array(root / id_file, np.int64, rows, id_file).tolist()
    else:
        loaded = _load_json(root / id_file, id_file)
        if not isinstance(loaded, list) or len(loaded) != rows or not all(
            isinstance(v, str) for v in loaded
        ):
            raise _fail(f"{id_file} has the wrong type or length")
        ids = loaded
    try:
        id_order(ids, "the saved ids")
    except ConfigError:
        raise _fail("the saved ids are empty or not unique") from None
    labels = _load_array(root / "clusters.npy", np.int64, rows, "clusters.npy")
    if rows and (
        labels.min() < 0 or labels.max() >= rows or not np.array_equal(labels[labels], labels)
    ):
        raise _fail("clusters.npy does not describe clusters of the records")
    vocabs: dict[str, ObjectArray] = {}
    columns: dict[str, EncodedColumn] = {}
    for name in names:
        file = vocab_files[name]
        if file not in vocabs:
            values = _load_json(root / file, file)
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise _fail(f"{file} is not a list of keys")
            if len(set(values)) != len(values):
                raise _fail(f"{file} repeats a key")
            array = np.empty(len(values), dtype=object)
            array[:] = values
            vocabs[file] = array
        vocab = vocabs[file]
        codes = _load_array(root / f"codes.{name}.npy", np.int32, rows, f"codes.{name}.npy")
        if rows and (codes.min() < -1 or codes.max() >= len(vocab)):
            raise _fail(f"codes.{name}.npy does not fit its vocabulary")
        columns[name] = EncodedColumn(codes, vocab)
    shared = [name for name in _SHARED_VOCAB if name in columns]
    if len(shared) == 2 and columns[shared[0]].vocab is not columns[shared[1]].vocab:
        raise _fail("given and family names must share one vocabulary")
    keys = EncodedKeys(columns, rows)
    try:
        check_settings_keys(settings, keys.names)
    except ColumnError:
        raise _fail("the settings use key columns the index does not hold") from None
    return MatchIndex(
        keys=keys, ids=ids, labels=labels, settings=settings, id_column=id_column,
        columns=roles, region=region, dayfirst=dayfirst,
    )  # fmt: skip
