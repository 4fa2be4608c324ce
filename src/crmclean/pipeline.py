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
import json
import math
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean.block import (
    BlockingRule,
    CandidatePairs,
    MatchingWarning,
    SortedNeighbourhood,
    block,
)
from crmclean.cluster import cluster_pairs
from crmclean.columns import detect_roles
from crmclean.compare import Comparison, compare_all
from crmclean.errors import ColumnError, ConfigError
from crmclean.frames import ColumnBatch, TableKind, from_columns, result_kind, to_columns
from crmclean.model import (
    estimate_u,
    fit_em,
    level_patterns,
    match_probability,
    starting_m,
    tf_adjustments,
)
from crmclean.normalize._base import is_null
from crmclean.normalize._batch import as_list
from crmclean.prepare import EncodedKeys, encode_keys, prepare_columns

__all__ = [
    "FieldContribution",
    "MatchResult",
    "MatchSettings",
    "MatchStats",
    "MatchingWarning",
    "PairExplanation",
    "dedupe",
    "default_settings",
    "link",
    "match_prepared",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Rule = BlockingRule | SortedNeighbourhood

SETTINGS_VERSION: Final = 1
_MIN_TRAINING_PAIRS: Final = 20  # a blocking rule with fewer pairs teaches EM nothing

# (field name, kind, key columns, tf) in display order; a field is used when its first key
# column is present.
_DEFAULT_FIELDS: Final = (
    ("given", "given_name", ("given", "given_canonical", "family"), True),
    ("family", "family_name", ("family", "family_phonetic", "given"), True),
    ("email", "email", ("email",), True),
    ("phone", "phone", ("phone",), True),
    ("mobile", "phone", ("mobile",), True),
    ("dob", "date", ("dob",), True),
    ("address", "address", ("street", "house_number"), True),
    ("address_2", "string", ("address_2",), True),
    ("city", "string", ("city",), True),
    ("postcode", "code", ("postcode",), True),
    ("region", "exact", ("region",), False),
    ("country", "exact", ("country",), False),
    ("national_id", "code", ("national_id",), False),
    ("company", "string", ("company",), True),
    ("title", "exact", ("title",), True),
)
_DEFAULT_RULES: Final = (
    BlockingRule(("email",)),
    BlockingRule(("phone",)),
    BlockingRule(("mobile",)),
    BlockingRule(("national_id",)),
    BlockingRule(("family_phonetic", "given[:1]")),
    BlockingRule(("postcode", "family[:3]")),
    BlockingRule(("company", "given_canonical")),
    BlockingRule(("dob",)),
    BlockingRule(("family", "dob[:4]")),
    BlockingRule(("email.local",)),
    SortedNeighbourhood(("family", "given"), window=4),
    SortedNeighbourhood(("given", "family"), window=4),
    SortedNeighbourhood(("email.local",), window=4),
)


def _groups(values: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    if isinstance(values, str):
        raise TypeError("correlated must be a sequence of groups of comparison names")
    out = []
    for group in values:
        if isinstance(group, str):
            raise TypeError("each correlated group must be a sequence of comparison names")
        out.append(tuple(group))
    return tuple(out)


def _comparison_tuple(values: Iterable[Comparison]) -> tuple[Comparison, ...]:
    return tuple(values)


def _rule_tuple(values: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(values)


def _probability(name: str, value: object) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < 1:
        raise ConfigError(f"{name} must be a probability strictly between 0 and 1")
    return float(value)


def _positive_int(name: str, value: object, minimum: int = 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ConfigError(f"{name} must be an int of at least {minimum}")
    return value


@attrs.frozen
class MatchSettings:
    """Everything that drives matching: fields, blocking, threshold and the fitted model.

    Attributes:
        comparisons: the fields compared, each with its comparator (and m/u once fitted).
        blocking: blocking rules and sorted-neighbourhood passes, unioned.
        threshold: pairs with a match probability at or above this are matches.
        prior: share of matches among candidate pairs (fitted).
        block_cap: blocks larger than this are windowed instead of paired all-with-all.
        cap_window: neighbours per record inside a capped block.
        max_pairs_per_rule: a rule whose blocks would give more pairs gets a lower block cap
            (``None``: five pairs per record, at least a million).
        u_pairs: random pairs drawn to estimate u.
        em_max_iter: EM iterations at most.
        em_tol: EM stops when no parameter moves more than this.
        min_density: chaining guard (see :mod:`crmclean.cluster`); 0 turns it off.
        correlated: groups of comparisons that measure one thing (the address fields and the
            company all say "where the person works or lives"): a pair's positive evidence
            from a group counts once (its strongest field), its negative evidence adds up.
            Names not among the comparisons are ignored.
        name_guard: a pair whose given names or family names plainly disagree (no
            similarity, nickname, initial, phonetic or swap level) is not a match unless a
            personal identifier (email, date of birth, national id) agrees, however much else
            it shares: colleagues on one switchboard phone and one office address, or family
            members at one home, are different people.

    Example:
        >>> s = default_settings(["given", "family", "email"])
        >>> [c.name for c in s.comparisons], s.fitted
        (['given', 'family', 'email'], False)
        >>> MatchSettings.from_json(s.to_json()) == s
        True
    """

    comparisons: tuple[Comparison, ...] = attrs.field(converter=_comparison_tuple)
    blocking: tuple[Rule, ...] = attrs.field(converter=_rule_tuple)
    threshold: float = 0.9
    prior: float | None = None
    block_cap: int = 500
    cap_window: int = 20
    max_pairs_per_rule: int | None = None
    u_pairs: int = 200_000
    em_max_iter: int = 200
    em_tol: float = 1e-6
    min_density: float = 0.5
    name_guard: bool = True
    correlated: tuple[tuple[str, ...], ...] = attrs.field(
        default=(("address", "address_2", "city", "postcode", "region", "company"),),
        converter=_groups,
    )

    def __attrs_post_init__(self) -> None:
        if not self.comparisons:
            raise ConfigError("settings need at least one comparison")
        if not self.blocking:
            raise ConfigError("settings need at least one blocking rule")
        for c in self.comparisons:
            if not isinstance(c, Comparison):
                raise TypeError("comparisons must be Comparison objects")
        for r in self.blocking:
            if not isinstance(r, (BlockingRule, SortedNeighbourhood)):
                raise TypeError("blocking must hold BlockingRule or SortedNeighbourhood objects")
        names = [c.name for c in self.comparisons]
        if len(set(names)) != len(names):
            raise ConfigError("two comparisons have the same name")
        object.__setattr__(self, "threshold", _probability("threshold", self.threshold))
        if self.prior is not None:
            object.__setattr__(self, "prior", _probability("prior", self.prior))
        _positive_int("block_cap", self.block_cap, 2)
        _positive_int("cap_window", self.cap_window)
        if self.max_pairs_per_rule is not None:
            _positive_int("max_pairs_per_rule", self.max_pairs_per_rule)
        _positive_int("u_pairs", self.u_pairs)
        _positive_int("em_max_iter", self.em_max_iter)
        if not isinstance(self.em_tol, (int, float)) or not self.em_tol > 0:
            raise ConfigError("em_tol must be a positive number")
        if not isinstance(self.min_density, (int, float)) or not 0 <= self.min_density <= 1:
            raise ConfigError("min_density must be between 0 and 1")
        if not isinstance(self.name_guard, bool):
            raise ConfigError("name_guard must be true or false")

    @property
    def fitted(self) -> bool:
        """Whether m, u and the prior are all set (the model can score without training)."""
        return self.prior is not None and all(
            c.m is not None and c.u is not None for c in self.comparisons
        )

    @property
    def threshold_weight(self) -> float:
        """The threshold as a match weight: ``log2(p / (1 - p))``."""
        return math.log2(self.threshold / (1 - self.threshold))

    def key_columns(self) -> tuple[str, ...]:
        """The base key columns the settings need (first column of each comparison and every
        blocking key).

        Example:
            >>> default_settings(["email", "phone"]).key_columns()
            ('email', 'phone')
        """
        out: dict[str, None] = {}
        for c in self.comparisons:
            out[c.columns[0]] = None
            if c.kind == "address":
                out[c.columns[1]] = None
        for rule in self.blocking:
            for key in rule.keys:
                out[_base_name(key)] = None
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain JSON-ready data.

        Example:
            >>> default_settings(["email"]).to_dict()["threshold"]
            0.9
        """
        return {
            "version": SETTINGS_VERSION,
            "comparisons": [
                {
                    "name": c.name,
                    "kind": c.kind,
                    "columns": list(c.columns),
                    "thresholds": list(c.thresholds),
                    "tf": c.tf,
                    "m": None if c.m is None else list(c.m),
                    "u": None if c.u is None else list(c.u),
                    "levels": list(c.levels),
                }
                for c in self.comparisons
            ],
            "blocking": [
                {"type": "sorted", "keys": list(r.keys), "window": r.window, "name": r.name}
                if isinstance(r, SortedNeighbourhood)
                else {"type": "rule", "keys": list(r.keys), "name": r.name}
                for r in self.blocking
            ],
            "threshold": self.threshold,
            "prior": self.prior,
            "block_cap": self.block_cap,
            "cap_window": self.cap_window,
            "max_pairs_per_rule": self.max_pairs_per_rule,
            "u_pairs": self.u_pairs,
            "em_max_iter": self.em_max_iter,
            "em_tol": self.em_tol,
            "min_density": self.min_density,
            "name_guard": self.name_guard,
            "correlated": [list(g) for g in self.correlated],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The settings as a JSON document (see :meth:`from_json`).

        Example:
            >>> '"comparisons"' in default_settings(["email"]).to_json()
            True
        """
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatchSettings:
        """Settings from :meth:`to_dict` data.

        Raises:
            ConfigError: unknown keys, a wrong version or invalid values.

        Example:
            >>> s = default_settings(["email"])
            >>> MatchSettings.from_dict(s.to_dict()) == s
            True
        """
        if not isinstance(data, Mapping):
            raise ConfigError("settings must be a JSON object")
        data = dict(data)
        version = data.pop("version", SETTINGS_VERSION)
        if version != SETTINGS_VERSION:
            raise ConfigError(f"unsupported settings version {version!r}")
        known = {f.name for f in attrs.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown settings key(s): {', '.join(unknown)}")
        try:
            comparisons = []
            for item in data.pop("comparisons", ()):
                item = dict(item)
                item.pop("levels", None)
                comparisons.append(Comparison(**item))
            rules: list[Rule] = []
            for item in data.pop("blocking", ()):
                item = dict(item)
                kind = item.pop("type", "rule")
                if kind == "sorted":
                    rules.append(SortedNeighbourhood(**item))
                elif kind == "rule":
                    rules.append(BlockingRule(**item))
                else:
                    raise ConfigError(f"unknown blocking type {kind!r}")
        except TypeError as exc:
            raise ConfigError(f"invalid settings: {exc}") from None
        return cls(comparisons=comparisons, blocking=rules, **data)

    @classmethod
    def from_json(cls, text: str | bytes) -> MatchSettings:
        """Settings from a JSON document written by :meth:`to_json`.

        Raises:
            ConfigError: the text is not valid settings JSON.

        Example:
            >>> MatchSettings.from_json("{}")
            Traceback (most recent call last):
            ...
            crmclean.errors.ConfigError: settings need at least one comparison
        """
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ConfigError("settings are not valid JSON") from None
        return cls.from_dict(data)


def _base_name(key: str) -> str:
    for sep in ("[", "."):
        key = key.split(sep, 1)[0]
    return key


def default_settings(key_columns: Iterable[str], **options: Any) -> MatchSettings:
    """Default settings for the key columns a table has (see :data:`crmclean.prepare.KEY_COLUMNS`).

    Every field whose key column is present is compared; every blocking rule whose key
    columns are all present is used. ``options`` set the other :class:`MatchSettings`
    attributes (``threshold=0.95``, ...).

    Raises:
        ConfigError: no key column can be compared.

    Example:
        >>> s = default_settings(["family", "given", "postcode"])
        >>> [r.name for r in s.blocking]
        ['postcode+family[:3]', 'sorted:family+given', 'sorted:given+family']
    """
    present = set(key_columns)
    comparisons = [
        Comparison(name, kind, columns, tf=tf)
        for name, kind, columns, tf in _DEFAULT_FIELDS
        if columns[0] in present
    ]
    if not comparisons:
        raise ConfigError(
            "no column can be matched on: give the roles of the table's columns "
            "(first_name, last_name, email, phone, ...)"
        )
    rules = [r for r in _DEFAULT_RULES if all(_base_name(k) in present for k in r.keys)]
    if not rules:  # a table of, say, only cities: block on the first compared field
        rules = [BlockingRule((comparisons[0].columns[0],))]
    return MatchSettings(comparisons=comparisons, blocking=rules, **options)


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


@attrs.frozen
class FieldContribution:
    """One field's part in a pair's match weight.

    Attributes:
        field: the comparison's name.
        level: the agreement level (``-1`` = a value is missing).
        label: the level's label (``"exact"``, ``"nickname"``, ``"null"``, ...).
        weight: ``log2(m / u)`` of that level, in bits (0 for null).
        tf_adjustment: the term-frequency adjustment, in bits.

    Example:
        >>> FieldContribution("email", 0, "exact", 7.5, -0.5).total
        7.0
    """

    field: str
    level: int
    label: str
    weight: float
    tf_adjustment: float

    @property
    def total(self) -> float:
        """Weight plus term-frequency adjustment."""
        return self.weight + self.tf_adjustment


@attrs.frozen(repr=False)
class PairExplanation:
    """Why a pair got its score: prior, then one contribution per field.

    Attributes:
        id_l: the first record's id.
        id_r: the second record's id.
        prior_weight: ``log2`` of the prior odds of a match.
        contributions: per field, its level and weight; then, when they apply, a
            ``(correlated)`` row (positive evidence of correlated fields counted once) and a
            ``(name guard)`` row (see :class:`MatchSettings`).
        match_weight: prior weight plus all contributions.
        match_probability: ``2^w / (1 + 2^w)``.
        is_candidate: whether blocking put the pair among the candidates.
        is_match: whether the pair is at or above the threshold.

    Example:
        >>> rows = [{"id": 1, "email": "a@x.org"}, {"id": 2, "email": "b@y.org"}]
        >>> dedupe(rows, id_column="id").explain(1, 2).is_match
        False
    """

    id_l: object
    id_r: object
    prior_weight: float
    contributions: tuple[FieldContribution, ...]
    match_weight: float
    match_probability: float
    is_candidate: bool
    is_match: bool

    def to_table(self) -> list[dict[str, object]]:
        """One row per field (and a first row for the prior), ready for a DataFrame.

        Example:
            >>> rows = [{"id": 1, "email": "b@acme.org"}, {"id": 2, "email": "b@acme.org"}]
            >>> dedupe(rows, id_column="id").explain(1, 2).to_table()[0]["field"]
            '(prior)'
        """
        rows: list[dict[str, object]] = [
            {"field": "(prior)", "level": None, "label": "", "weight": self.prior_weight,
             "tf_adjustment": 0.0}
        ]
        rows += [attrs.asdict(c) for c in self.contributions]
        return rows

    def _repr_html_(self) -> str:
        from crmclean._display import explanation_html

        return explanation_html(self)

    def __repr__(self) -> str:
        lines = [
            f"PairExplanation({self.id_l!r} ~ {self.id_r!r}: weight {self.match_weight:+.2f}, "
            f"probability {self.match_probability:.4f}, "
            f"{'match' if self.is_match else 'no match'}"
            f"{'' if self.is_candidate else ', not a candidate pair'})",
            f"  {'(prior)':<14} {'':<16} {self.prior_weight:+7.2f}",
        ]
        for c in self.contributions:
            tf = f" (tf {c.tf_adjustment:+.2f})" if c.tf_adjustment else ""
            lines.append(f"  {c.field:<14} {c.label:<16} {c.total:+7.2f}{tf}")
        return "\n".join(lines)


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
        engine: _Engine,
    ) -> None:
        self.clusters = clusters
        self.pairs = pairs
        self.settings = settings
        self.stats = stats
        self.cluster_index = cluster_index
        self._engine = engine
        # the input records, for display in notebooks and golden records (set by dedupe)
        self._records: tuple[Mapping[str, Sequence[Any]], list[object]] | None = None
        self._source: tuple[ColumnBatch, TableKind, str | None] | None = None
        self._merged: Any = None

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
        return self._engine.explain(id_a, id_b, self.settings)

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


# --- the engine ----------------------------------------------------------------------------


def _adjustment_rows(total: float, grouped: float, guarded: float) -> list[FieldContribution]:
    """The explanation rows for what the correlated-field grouping and the name guard changed:
    ``total`` is prior plus field weights, ``grouped`` the weight after grouping, ``guarded``
    the final weight."""
    rows = []
    if abs(grouped - total) > 1e-9:
        rows.append(FieldContribution("(correlated)", -1, "counted once", grouped - total, 0.0))
    if abs(guarded - grouped) > 1e-9:
        rows.append(FieldContribution("(name guard)", -1, "names differ", guarded - grouped, 0.0))
    return rows


class _Engine:
    """Records in id order, their keys, and how to get from ids to indexes."""

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

    def explain(self, id_a: object, id_b: object, settings: MatchSettings) -> PairExplanation:
        a = self.index_of(id_a, right=False)
        b = self.index_of(id_b, right=True)
        left, right = np.array([a], dtype=np.int64), np.array([b], dtype=np.int64)
        comparisons = settings.comparisons
        levels = compare_all(self.keys, comparisons, left, right)
        prior = settings.prior if settings.prior is not None else 0.5
        contributions = []
        for f, c in enumerate(comparisons):
            level = int(levels[0, f])
            weight = 0.0
            if level >= 0 and c.m is not None and c.u is not None:
                weight = math.log2(c.m[level] / c.u[level])
            tf = float(tf_adjustments(self.keys, c, left, levels[:, f], n_left=self.n_left)[0])
            label = "null" if level < 0 else c.levels[level]
            contributions.append(FieldContribution(c.name, level, label, weight, tf))
        prior_weight = math.log2(prior / (1 - prior))
        total = prior_weight + sum(c.total for c in contributions)
        if settings.fitted:
            grouped = float(_score(self.keys, settings, levels, left, self.n_left, guard=False)[0])
            guarded = float(_score(self.keys, settings, levels, left, self.n_left)[0])
            contributions += _adjustment_rows(total, grouped, guarded)
            total = guarded
        blocked = block(
            _subset(self.keys, [min(a, b), max(a, b)]),
            settings.blocking,
            sides=None if self.sides is None else self.sides[[min(a, b), max(a, b)]],
        )
        return PairExplanation(
            id_l=id_a,
            id_r=id_b,
            prior_weight=prior_weight,
            contributions=tuple(contributions),
            match_weight=total,
            match_probability=float(match_probability(np.array([total]))[0]),
            is_candidate=len(blocked) > 0,
            is_match=total >= settings.threshold_weight,
        )


def _subset(keys: EncodedKeys, rows: list[int]) -> EncodedKeys:
    return keys.take(np.asarray(rows, dtype=np.int64))


def _id_order(ids: list[object], what: str) -> IntArray:
    """Positions of ``ids`` in sorted id order; checks for nulls and duplicates."""
    if any(is_null(v) or v == "" for v in ids):
        raise ConfigError(f"{what} has empty ids; every record needs an id")
    try:
        if all(type(v) is int for v in ids) or all(type(v) is str for v in ids):
            array = np.asarray(ids) if ids else np.zeros(0, np.int64)
            order = np.argsort(array, kind="stable")
            sorted_ids = array[order]
            duplicated = bool(np.any(sorted_ids[1:] == sorted_ids[:-1])) if len(ids) > 1 else False
        else:
            raise TypeError
    except (TypeError, ValueError, OverflowError):
        keyed = sorted(range(len(ids)), key=lambda i: (type(ids[i]).__name__, str(ids[i])))
        order = np.asarray(keyed, dtype=np.int64)
        duplicated = len(set(map(_hashable, ids))) != len(ids)
    if duplicated:
        raise ConfigError(f"{what} has duplicate ids; ids must be unique")
    return order.astype(np.int64)


def _hashable(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _order_key(keys: EncodedKeys) -> IntArray:
    """A permutation rank of the records by family name, given name, then id."""
    n = keys.n
    columns: list[IntArray] = [np.arange(n, dtype=np.int64)]
    for name in ("given", "family"):
        if name in keys.names:
            columns.append(keys[name].rank())
    order = np.lexsort(columns)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    return rank


def _check_settings(settings: MatchSettings, keys: EncodedKeys) -> None:
    missing = [name for name in settings.key_columns() if name not in keys.names]
    if missing:
        raise ColumnError(
            "the settings use key column(s) "
            + ", ".join(repr(m) for m in missing)
            + " that the table does not have; key columns are: "
            + (", ".join(keys.names) or "(none)")
        )


def _drop_empty(settings: MatchSettings, keys: EncodedKeys) -> tuple[MatchSettings, list[str]]:
    """Default settings without the fields and rules whose key columns hold no value."""
    empty = [name for name in keys.names if keys.non_null(name) == 0]
    if not empty:
        return settings, []
    comparisons = [c for c in settings.comparisons if c.columns[0] not in empty]
    rules = [r for r in settings.blocking if not any(_base_name(k) in empty for k in r.keys)]
    if not comparisons:
        return settings, empty
    if not rules:
        rules = [BlockingRule((comparisons[0].columns[0],))]
    return attrs.evolve(settings, comparisons=comparisons, blocking=rules), empty


def _involved(comparison: Comparison, rule: BlockingRule) -> bool:
    """Whether a blocking rule's keys decide part of this comparison's levels."""
    own = comparison.columns if comparison.kind == "address" else comparison.columns[:2]
    if comparison.kind not in ("given_name", "family_name", "address"):
        own = comparison.columns[:1]
    return any(_base_name(k) in own for k in rule.keys)


def _rule_mask(keys: EncodedKeys, rule: BlockingRule, left: IntArray, right: IntArray) -> Any:
    mask = np.ones(len(left), dtype=bool)
    for key in rule.keys:
        codes = keys[key].codes
        cl = codes[left]
        mask &= (cl >= 0) & (cl == codes[right])
    return mask


def _robust_m(estimates: list[npt.NDArray[np.float64]]) -> tuple[float, ...]:
    """The lower-median estimate, ordered by how often matches disagree (m of level 0).

    A rule whose pairs share something besides the person (a switchboard phone, an office
    postcode) can lead EM to take "same organisation" for "same person"; its estimate then
    says matches often disagree on names. Taking the lower median over the rules keeps such
    runs from deciding.
    """
    ordered = sorted(estimates, key=lambda m: float(m[0]))
    return tuple(float(x) for x in ordered[(len(ordered) - 1) // 2])


def _fit(
    settings: MatchSettings,
    keys: EncodedKeys,
    levels: npt.NDArray[np.int8],
    left: IntArray,
    right: IntArray,
    seed: int,
    n_left: int | None,
) -> tuple[MatchSettings, int, bool]:
    """Fit u on random pairs, m by EM per blocking rule, then the prior.

    The pairs a blocking rule produced all agree on the rule's keys, so among them the fields
    the rule does not involve look, for non-matches, like random pairs: EM on those fields,
    with u from random pairs, estimates their m. Each field's m is the mean of its
    estimates over the rules that leave it free. The prior (share of matches among the
    candidates) is then fitted with m and u fixed.
    """
    comparisons = settings.comparisons
    u = estimate_u(keys, comparisons, n_pairs=settings.u_pairs, seed=seed, n_left=n_left)
    m_start = [c.m if c.m is not None else starting_m(c) for c in comparisons]
    estimates: list[list[npt.NDArray[np.float64]]] = [[] for _ in comparisons]
    iterations, converged = 0, True
    if len(levels) == 0:
        warnings.warn(
            "no candidate pairs to learn from; the model keeps its starting values",
            MatchingWarning,
            stacklevel=3,
        )
    for rule in settings.blocking:
        if not isinstance(rule, BlockingRule):
            continue
        free = [f for f, c in enumerate(comparisons) if not _involved(c, rule)]
        if not free:
            continue
        mask = _rule_mask(keys, rule, left, right)
        if np.count_nonzero(mask) < _MIN_TRAINING_PAIRS:
            continue
        fields = [comparisons[f] for f in free]
        patterns, counts = level_patterns(levels[mask][:, free], fields)
        result = fit_em(
            patterns, counts, [u[f] for f in free], [m_start[f] for f in free],
            prior_start=0.1, max_iter=settings.em_max_iter, tol=settings.em_tol,
        )  # fmt: skip
        iterations += result.iterations
        converged = converged and result.converged
        for k, f in enumerate(free):
            estimates[f].append(np.asarray(result.m[k]))
    m = [_robust_m(found) if found else tuple(m_start[f]) for f, found in enumerate(estimates)]
    # u and the prior among the candidates, with m held: blocking makes non-matching
    # candidates agree far more often than random pairs do
    patterns, counts = level_patterns(levels, comparisons)
    final = fit_em(
        patterns, counts, u, m, prior_start=settings.prior or 0.1,
        max_iter=settings.em_max_iter, tol=settings.em_tol, fix_m=True, fix_u=False,
    )  # fmt: skip
    prior = final.prior
    if len(levels):
        # non-matching candidates agree at least as often as random pairs do: a level the EM
        # found (almost) no non-match at must not get an unbounded weight
        floored = [np.maximum(np.asarray(a), np.asarray(b)) for a, b in
                   zip(final.u, u, strict=True)]  # fmt: skip
        u = [tuple(float(x) for x in f / f.sum()) for f in floored]
    fitted = [
        attrs.evolve(c, m=mm, u=uu) for c, mm, uu in zip(comparisons, m, u, strict=True)
    ]
    return attrs.evolve(settings, comparisons=fitted, prior=prior), iterations, converged


def _run(
    engine: _Engine,
    settings: MatchSettings | None,
    *,
    seed: int,
    id_column: str,
    kind: TableKind,
    input_order: IntArray,
    timings: dict[str, float],
    retrain: bool = False,
    threshold: float | None = None,
) -> MatchResult:
    keys = engine.keys
    n = keys.n
    n_left = engine.n_left
    unused: list[str] = []
    if settings is None:
        settings = default_settings(keys.names)
        settings, unused = _drop_empty(settings, keys)
        if unused:
            warnings.warn(
                f"key column(s) {', '.join(unused)} hold no value and are not used",
                MatchingWarning,
                stacklevel=3,
            )
    if threshold is not None:
        settings = attrs.evolve(settings, threshold=threshold)
    _check_settings(settings, keys)
    comparisons = settings.comparisons
    if n < 2 or (n_left is not None and (n_left == 0 or n_left == n)):
        warnings.warn(
            "fewer than two records to match: every record is its own cluster",
            MatchingWarning,
            stacklevel=3,
        )
    clock = time.perf_counter()
    candidates: CandidatePairs = block(
        keys,
        settings.blocking,
        block_cap=settings.block_cap,
        cap_window=settings.cap_window,
        max_pairs_per_rule=settings.max_pairs_per_rule or max(1_000_000, 5 * n),
        sides=engine.sides,
        order_key=_order_key(keys),
    )
    timings["block"] = time.perf_counter() - clock
    clock = time.perf_counter()
    left, right = candidates.left, candidates.right
    levels = compare_all(keys, comparisons, left, right)
    timings["compare"] = time.perf_counter() - clock
    clock = time.perf_counter()
    iterations, converged = 0, True
    if retrain or not settings.fitted:
        settings, iterations, converged = _fit(settings, keys, levels, left, right, seed, n_left)
    timings["fit"] = time.perf_counter() - clock
    clock = time.perf_counter()
    assert settings.prior is not None
    weights = _score(keys, settings, levels, left, n_left)
    timings["score"] = time.perf_counter() - clock
    clock = time.perf_counter()
    clustered = cluster_pairs(
        n, left, right, weights, settings.threshold_weight, min_density=settings.min_density
    )
    labels = clustered.labels
    timings["cluster"] = time.perf_counter() - clock
    clock = time.perf_counter()
    matched = np.flatnonzero(weights >= settings.threshold_weight)
    clusters_out, cluster_index = _clusters_table(engine, labels, id_column, input_order)
    pairs_out = _pairs_table(engine, settings, left[matched], right[matched],
                             weights[matched], levels[matched])  # fmt: skip
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
    )
    return MatchResult(
        clusters=from_columns(clusters_out, result_kind(kind)),
        pairs=from_columns(pairs_out, result_kind(kind)),
        settings=settings,
        stats=stats,
        cluster_index=cluster_index,
        engine=engine,
    )


def _score(
    keys: EncodedKeys,
    settings: MatchSettings,
    levels: npt.NDArray[np.int8],
    left: IntArray,
    n_left: int | None,
    *,
    guard: bool = True,
    tf: Sequence[FloatArray | None] | None = None,
) -> FloatArray:
    """Match weights: prior, each field's weight and tf adjustment, correlated fields' positive
    evidence counted once, the name guard.

    ``tf`` (one entry per comparison) gives term-frequency adjustments computed elsewhere (by
    an index whose value counts are not those of ``keys``); ``None`` entries are computed."""
    assert settings.prior is not None
    comparisons = settings.comparisons
    weights = np.full(len(levels), math.log2(settings.prior / (1 - settings.prior)))
    grouped = {name: g for g, group in enumerate(settings.correlated) for name in group}
    best = [np.zeros(len(levels)) for _ in settings.correlated]
    for f, comparison in enumerate(comparisons):
        assert comparison.m is not None
        assert comparison.u is not None
        table = np.r_[np.log2(np.asarray(comparison.m) / np.asarray(comparison.u)), 0.0]
        part = table[levels[:, f]]
        if tf is not None and tf[f] is not None:
            part = part + tf[f]
        elif comparison.tf:
            part = part + tf_adjustments(keys, comparison, left, levels[:, f], n_left=n_left)
        g = grouped.get(comparison.name)
        if g is None:
            weights += part
        else:  # negative evidence adds up; of the positive, only the strongest counts
            weights += np.minimum(part, 0.0)
            np.maximum(best[g], part, out=best[g])
    for strongest in best:
        weights += strongest
    if guard:
        _apply_name_guard(settings, levels, weights)
    return weights


def _apply_name_guard(
    settings: MatchSettings, levels: npt.NDArray[np.int8], weights: FloatArray
) -> None:
    """Keep pairs whose given or family names plainly disagree, and that share no personal
    identifier, below the threshold."""
    if not settings.name_guard:
        return
    kinds = {c.kind: f for f, c in enumerate(settings.comparisons)}
    if "given_name" not in kinds or "family_name" not in kinds:
        return
    vetoed = (levels[:, kinds["given_name"]] == 0) | (levels[:, kinds["family_name"]] == 0)
    for f, c in enumerate(settings.comparisons):  # a personal identifier agrees: no veto
        if c.kind in ("email", "date") or c.name == "national_id":
            vetoed &= levels[:, f] < len(c.levels) - 2
    ceiling = settings.threshold_weight - 1.0
    np.minimum(weights, ceiling, out=weights, where=vetoed)


def _clusters_table(
    engine: _Engine, labels: IntArray, id_column: str, input_order: IntArray
) -> tuple[ColumnBatch, IntArray]:
    """Clusters in input order; ``input_order[k]`` is the input position of record ``k``."""
    n = len(labels)
    inverse = np.empty(n, dtype=np.int64)
    inverse[input_order] = np.arange(n, dtype=np.int64)
    ids = engine.ids
    own = inverse  # input position p → engine record inverse[p]
    label_of_input = labels[own]
    ids_in_input = [ids[i] for i in own.tolist()]
    cluster_ids = [ids[i] for i in label_of_input.tolist()]
    out: ColumnBatch = {id_column: ids_in_input}
    if engine.sides is not None:
        side_names = np.array(["left", "right"], dtype=object)
        out["side"] = side_names[engine.sides[own].astype(np.int64)].tolist()
        out["cluster_side"] = side_names[engine.sides[label_of_input].astype(np.int64)].tolist()
    out["cluster_id"] = cluster_ids
    return out, input_order[label_of_input]


def _pairs_table(
    engine: _Engine,
    settings: MatchSettings,
    left: IntArray,
    right: IntArray,
    weights: FloatArray,
    levels: npt.NDArray[np.int8],
) -> ColumnBatch:
    ids = np.empty(len(engine.ids), dtype=object)
    ids[:] = engine.ids
    out: ColumnBatch = {
        "id_l": ids[left].tolist(),
        "id_r": ids[right].tolist(),
        "match_probability": match_probability(weights).tolist(),
        "match_weight": weights.tolist(),
    }
    for f, comparison in enumerate(settings.comparisons):
        out[f"gamma_{comparison.name}"] = levels[:, f].tolist()
    return out


def _check_seed(seed: object) -> int:
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ConfigError("seed must be a non-negative int")
    return seed


def _check_settings_type(settings: object) -> MatchSettings | None:
    if settings is None or isinstance(settings, MatchSettings):
        return settings
    if isinstance(settings, (str, bytes)):
        return MatchSettings.from_json(settings)
    if isinstance(settings, Mapping):
        return MatchSettings.from_dict(settings)
    raise TypeError("settings must be MatchSettings, a JSON string, a dict or None")


def _ids_of(batch: ColumnBatch, id_column: str | None, n: int, what: str) -> list[object]:
    if id_column is None:
        return list(range(n))
    if id_column not in batch:
        raise ColumnError(
            f"id column {id_column!r} is not in the {what}; columns are: "
            + ", ".join(repr(c) for c in batch)
        )
    return list(batch[id_column])


def _roles(
    batch: ColumnBatch, id_column: str | None, columns: Mapping[str, str] | None
) -> dict[str, str]:
    headers = [c for c in batch if c != id_column]
    overrides = dict(columns or {})
    if id_column is not None and id_column in overrides.values():
        raise ColumnError("the id column cannot also have a matching role")
    roles = detect_roles(headers, overrides=overrides)
    roles.pop("id", None)
    return roles


def _prepared(
    batch: ColumnBatch,
    id_column: str | None,
    columns: Mapping[str, str] | None,
    region: str | None,
    dayfirst: bool,
) -> ColumnBatch:
    roles = _roles(batch, id_column, columns)
    return prepare_columns(batch, roles, region=region, dayfirst=dayfirst)


def _encode_sorted(
    keys: Mapping[str, Sequence[object]], order: IntArray
) -> EncodedKeys:
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

    Returns:
        A :class:`MatchResult`; its ``clusters`` and ``pairs`` are tables of the input's kind
        (pandas DataFrames for a list of dicts).

    Raises:
        ColumnError: the id column or a named column is missing, or the settings use a key
            column the table lacks.
        ConfigError: duplicate or empty ids, an unknown role, invalid settings.

    Example:
        >>> rows = [
        ...     {"id": 1, "first_name": "Robert", "last_name": "Smith", "email": "bob@acme.org"},
        ...     {"id": 2, "first_name": "Bob", "last_name": "Smith", "email": "bob@acme.org"},
        ...     {"id": 3, "first_name": "Alice", "last_name": "Jones", "email": "aj@mail.org"},
        ... ]
        >>> result = dedupe(rows, id_column="id")
        >>> list(zip(result.clusters["id"], result.clusters["cluster_id"]))
        [(1, 1), (2, 1), (3, 3)]
    """
    seed = _check_seed(seed)
    settings = _check_settings_type(settings)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    batch, kind = to_columns(table)
    n = len(next(iter(batch.values()))) if batch else 0
    ids = _ids_of(batch, id_column, n, "table")
    order = _id_order(ids, "the id column")
    prepared = _prepared(batch, id_column, columns, region, dayfirst)
    keys = _encode_sorted(prepared, order)
    timings["prepare"] = time.perf_counter() - clock
    engine = _Engine(keys, [ids[i] for i in order.tolist()], None)
    result = _run(
        engine, settings, seed=seed, id_column=id_column or "id", kind=kind,
        input_order=order, timings=timings, retrain=retrain, threshold=threshold,
    )  # fmt: skip
    result._records = (batch, list(ids))
    result._source = (batch, kind, id_column)
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

    Raises:
        ColumnError: an id column or a named column is missing.
        ConfigError: duplicate or empty ids within a table, invalid settings.

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
    settings = _check_settings_type(settings)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    batch_l, kind = to_columns(left)
    batch_r, _ = to_columns(right)
    right_id_column = right_id_column if right_id_column is not None else id_column
    n_l = len(next(iter(batch_l.values()))) if batch_l else 0
    n_r = len(next(iter(batch_r.values()))) if batch_r else 0
    ids_l = _ids_of(batch_l, id_column, n_l, "left table")
    ids_r = _ids_of(batch_r, right_id_column, n_r, "right table")
    order_l = _id_order(ids_l, "the left table's id column")
    order_r = _id_order(ids_r, "the right table's id column")
    keys_l = _prepared(batch_l, id_column, columns, region, dayfirst)
    keys_r = _prepared(
        batch_r, right_id_column, right_columns if right_columns is not None else columns,
        region, dayfirst,
    )  # fmt: skip
    result = _link_keys(
        keys_l, keys_r, ids_l, ids_r, order_l, order_r, settings,
        seed=seed, id_column=id_column or "id", kind=kind, timings=timings, clock=clock,
        retrain=retrain, threshold=threshold,
    )  # fmt: skip
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
) -> MatchResult:
    n_l, n_r = len(ids_l), len(ids_r)
    names = list(dict.fromkeys([*keys_l, *keys_r]))
    combined: dict[str, list[object]] = {}
    for name in names:
        col_l = as_list(keys_l[name]) if name in keys_l else [None] * n_l
        col_r = as_list(keys_r[name]) if name in keys_r else [None] * n_r
        combined[name] = list(col_l) + list(col_r)
    order = np.concatenate([order_l, order_r + n_l]).astype(np.int64)
    keys = _encode_sorted(combined, order)
    timings["prepare"] = time.perf_counter() - clock
    all_ids = list(ids_l) + list(ids_r)
    sides = np.zeros(n_l + n_r, dtype=bool)
    sides[n_l:] = True
    engine = _Engine(keys, [all_ids[i] for i in order.tolist()], sides)
    return _run(
        engine, settings, seed=seed, id_column=id_column, kind=kind, input_order=order,
        timings=timings, retrain=retrain, threshold=threshold,
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
) -> MatchResult:
    """Match records whose keys are already prepared (by :func:`crmclean.prepare.prepare_columns`
    or by the caller): block, compare, fit, score and cluster only.

    ``keys`` maps key column names (:data:`crmclean.prepare.KEY_COLUMNS`) to columns of
    ``str`` or ``None``. With ``right`` the two batches are linked instead. Outputs are
    column batches (dicts of lists).

    Example:
        >>> result = match_prepared({"email": ["a@x.org", "a@x.org", "b@y.org"],
        ...                          "family": ["lee", "lee", "kim"]}, ids=["r1", "r2", "r3"])
        >>> result.clusters["cluster_id"]
        ['r1', 'r1', 'r3']
    """
    seed = _check_seed(seed)
    settings = _check_settings_type(settings)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    n = len(as_list(next(iter(keys.values())))) if keys else 0
    id_list: list[object] = list(ids) if ids is not None else list(range(n))
    if len(id_list) != n:
        raise ConfigError("ids and key columns differ in length")
    order = _id_order(id_list, "ids")
    if right is None:
        encoded = _encode_sorted(keys, order)
        timings["prepare"] = time.perf_counter() - clock
        engine = _Engine(encoded, [id_list[i] for i in order.tolist()], None)
        return _run(
            engine, settings, seed=seed, id_column=id_column, kind="columns",
            input_order=order, timings=timings, retrain=retrain, threshold=threshold,
        )  # fmt: skip
    n_r = len(as_list(next(iter(right.values())))) if right else 0
    r_ids: list[object] = list(right_ids) if right_ids is not None else list(range(n_r))
    if len(r_ids) != n_r:
        raise ConfigError("right_ids and right key columns differ in length")
    order_r = _id_order(r_ids, "right_ids")
    return _link_keys(
        keys, right, id_list, r_ids, order, order_r, settings, seed=seed,
        id_column=id_column, kind="columns", timings=timings, clock=clock, retrain=retrain,
        threshold=threshold,
    )  # fmt: skip

