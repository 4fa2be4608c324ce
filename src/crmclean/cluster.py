"""Cluster: records joined by pairs above the threshold form one entity.

Clusters are the connected components of the graph whose edges are the pairs scored at or above
the threshold. Connected components are found with a vectorized union–find (hook each tree's
root under the smallest root it touches, then halve paths until every record points at its
root), so the work is a few passes over integer arrays.

Chaining guard: A–B and B–C above the threshold put A and C together even when A and C were
compared and found different. A cluster of three or more records in which too few of the
compared pairs are above the threshold (edge density below ``min_density``) is split: its
weakest edges are dropped, step by step, until each part is dense enough.

Decisions a person made (:class:`PairConstraints`, resolved from
:class:`crmclean.decisions.Decisions`) go before the scores. A must-link pair joins its records
whatever their score. A cannot-link pair never joins its records, and neither does a chain of
other pairs: a cluster that would hold both ends of a cannot-link pair is clustered again, by
constrained single linkage: its must-link pairs first, then its pairs from the strongest to the
weakest, each joining two parts unless a cannot-link pair lies between them. So the weakest link
between the two records gives way, and every other link of the cluster stays.

A cluster's id is its smallest record index; the caller orders records by id first, so the
cluster id is the smallest record id in the cluster, whatever the row order.
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean.errors import ConfigError

__all__ = [
    "ClusterResult",
    "PairConstraints",
    "cluster_pairs",
    "connected_components",
    "must_link_groups",
    "with_conflicts",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def connected_components(n: int, left: IntArray, right: IntArray) -> IntArray:
    """Label each of ``n`` records with the smallest record index of its component.

    Example:
        >>> connected_components(6, np.array([4, 1, 3]), np.array([5, 3, 2])).tolist()
        [0, 1, 1, 1, 4, 4]
    """
    parent = np.arange(n, dtype=np.int64)
    a = np.asarray(left, dtype=np.int64)
    b = np.asarray(right, dtype=np.int64)
    while len(a):
        pa, pb = parent[a], parent[b]
        keep = pa != pb
        if not keep.any():
            break
        a, b, pa, pb = a[keep], b[keep], pa[keep], pb[keep]
        # hook the larger root under the smallest root it is joined to
        np.minimum.at(parent, np.maximum(pa, pb), np.minimum(pa, pb))
        while True:  # path halving until every record points at a root
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
    return parent


def _positions(value: object) -> IntArray:
    return np.asarray(value, dtype=np.int64).reshape(-1)


@attrs.frozen(eq=False)
class PairConstraints:
    """Pairs of records (positions) that must share a cluster or must not, with the source row
    of each decision, which error messages name instead of values.

    Attributes:
        must_left, must_right: the must-link pairs.
        cannot_left, cannot_right: the cannot-link pairs.
        must_rows, cannot_rows: each pair's row in its decisions table (1 = first data row).

    Example:
        >>> c = PairConstraints(must_left=[0], must_right=[1], cannot_left=[], cannot_right=[])
        >>> len(c.must_left), len(c.cannot_left), c.must_rows.tolist()
        (1, 0, [1])
    """

    must_left: IntArray = attrs.field(converter=_positions)
    must_right: IntArray = attrs.field(converter=_positions)
    cannot_left: IntArray = attrs.field(converter=_positions)
    cannot_right: IntArray = attrs.field(converter=_positions)
    must_rows: IntArray = attrs.field(default=None, converter=attrs.converters.optional(_positions))
    cannot_rows: IntArray = attrs.field(
        default=None, converter=attrs.converters.optional(_positions)
    )

    def __attrs_post_init__(self) -> None:
        if len(self.must_left) != len(self.must_right) or len(self.cannot_left) != len(
            self.cannot_right
        ):
            raise ConfigError("each constrained pair needs a left and a right record")
        for name, pairs in (("must_rows", self.must_left), ("cannot_rows", self.cannot_left)):
            if getattr(self, name) is None:  # number the pairs 1, 2, ...
                object.__setattr__(self, name, np.arange(1, len(pairs) + 1, dtype=np.int64))
            elif len(getattr(self, name)) != len(pairs):
                raise ConfigError(f"{name} must give one row per pair")

    def __len__(self) -> int:
        return len(self.must_left) + len(self.cannot_left)


def with_conflicts(
    n: int,
    decided: PairConstraints | None,
    left: IntArray,
    right: IntArray,
    conflict: npt.NDArray[np.bool_],
) -> PairConstraints | None:
    """A person's decisions plus the scored pairs whose conflict keeps them apart (see
    :func:`crmclean.score.conflicting_pairs`), as cannot-link pairs. A person's must-link
    decisions win: a conflicting pair they put together stays together.

    Example:
        >>> left, right = np.array([0, 1]), np.array([1, 2])
        >>> c = with_conflicts(3, None, left, right, np.array([False, True]))
        >>> c.cannot_left.tolist(), c.cannot_right.tolist()
        ([1], [2])
    """
    if not conflict.any():
        return decided
    a, b = left[conflict], right[conflict]
    if decided is None:
        return PairConstraints(must_left=[], must_right=[], cannot_left=a, cannot_right=b)
    joined = connected_components(n, decided.must_left, decided.must_right)
    keep = joined[a] != joined[b]
    a, b = a[keep], b[keep]
    return PairConstraints(
        must_left=decided.must_left,
        must_right=decided.must_right,
        cannot_left=np.concatenate([decided.cannot_left, a]),
        cannot_right=np.concatenate([decided.cannot_right, b]),
        must_rows=decided.must_rows,
        cannot_rows=np.concatenate([decided.cannot_rows, np.zeros(len(a), dtype=np.int64)]),
    )


@attrs.frozen
class ClusterResult:
    """Cluster labels and what the chaining guard did.

    Attributes:
        labels: per record, the smallest record index in its cluster.
        edges: which of the given pairs joined the clusters (above the threshold and kept by
            the guard).
        split_clusters: clusters the chaining guard split.
        guard_steps: guard iterations run.
        decision_splits: clusters split to keep the records of a cannot-link pair apart.

    Example:
        >>> import numpy as np
        >>> r = cluster_pairs(2, np.array([0]), np.array([1]), np.array([5.0]), 1.0)
        >>> r.labels.tolist()
        [0, 0]
    """

    labels: IntArray
    edges: npt.NDArray[np.bool_]
    split_clusters: int
    guard_steps: int
    decision_splits: int = 0

    @property
    def n_clusters(self) -> int:
        """Number of clusters (singletons included)."""
        return int(np.count_nonzero(self.labels == np.arange(len(self.labels))))


def cluster_pairs(
    n: int,
    left: IntArray,
    right: IntArray,
    weights: FloatArray,
    threshold: float,
    *,
    min_density: float = 0.0,
    step: float = 2.0,
    max_steps: int = 20,
    constraints: PairConstraints | None = None,
) -> ClusterResult:
    """Cluster ``n`` records from scored pairs, with the chaining guard and a person's decisions.

    Args:
        n: number of records.
        left: first record of each scored pair.
        right: second record of each scored pair.
        weights: each pair's match weight.
        threshold: pairs at or above this weight join their records.
        min_density: a cluster of three or more records whose share of compared pairs at or
            above its threshold is below this is split (0 turns the guard off).
        step: how much the threshold rises inside such a cluster at each guard step.
        max_steps: guard steps at most.
        constraints: must-link pairs (joined whatever their score, never split) and cannot-link
            pairs (never in one cluster, not even through other records; see the module).

    Raises:
        ConfigError: the constraints contradict each other: must-link pairs chain the two
            records of a cannot-link pair together (the message names the rows).

    Example:
        >>> left, right = np.array([0, 1, 0]), np.array([1, 2, 2])
        >>> weights = np.array([9.0, 1.5, -20.0])  # 0~1 strong, 1~2 weak, 0 vs 2: different
        >>> cluster_pairs(3, left, right, weights, 1.0).labels.tolist()
        [0, 0, 0]
        >>> cluster_pairs(3, left, right, weights, 1.0, min_density=0.7).labels.tolist()
        [0, 0, 2]
        >>> apart = PairConstraints(must_left=[], must_right=[], cannot_left=[0], cannot_right=[2])
        >>> cluster_pairs(3, left, right, weights, 1.0, constraints=apart).labels.tolist()
        [0, 0, 2]
    """
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.float64)
    given = len(left)
    inside = None
    if given:
        # only pairs inside one component of the links at or above the threshold (must-links
        # included) can matter: the guard and the cannot-link decisions only split components,
        # so a pair across two of them is never a link and never inside one cluster
        inside = _inside_components(n, left, right, weights, threshold, constraints)
        left, right, weights = left[inside], right[inside], weights[inside]
    if constraints is not None and len(constraints):
        left, right, weights = _constrained_pairs(n, left, right, weights, constraints)
    edge_threshold = np.full(len(weights), float(threshold))
    above = weights >= edge_threshold
    labels = connected_components(n, left[above], right[above])
    split: set[int] = set()
    steps = 0
    if min_density > 0 and len(left):
        for steps in range(1, max_steps + 1):
            size = np.bincount(labels, minlength=n)
            same = labels[left] == labels[right]
            component = labels[left]
            compared = np.bincount(component[same], minlength=n)
            joined = np.bincount(component[same & above], minlength=n)
            bad = (size >= 3) & (joined < min_density * compared)
            if not bad.any():
                steps -= 1
                break
            split.update(np.flatnonzero(bad).tolist())
            raise_edges = same & bad[component]
            edge_threshold[raise_edges] += step
            above = weights >= edge_threshold
            labels = connected_components(n, left[above], right[above])
    decision_splits = 0
    if constraints is not None and len(constraints.cannot_left):
        decision_splits = _keep_apart(n, left, right, weights, above, labels, constraints)
        if decision_splits:
            labels = connected_components(n, left[above], right[above])
    if inside is None:
        edges = above[:given]
    else:
        edges = np.zeros(given, dtype=bool)
        edges[inside] = above[: len(inside)]
    return ClusterResult(labels=labels, edges=edges, split_clusters=len(split),
                         guard_steps=steps, decision_splits=decision_splits)  # fmt: skip


def _inside_components(
    n: int,
    left: IntArray,
    right: IntArray,
    weights: FloatArray,
    threshold: float,
    constraints: PairConstraints | None,
) -> IntArray:
    """Positions of the pairs whose two records are in one component of the pairs at or above
    the threshold and the must-link pairs."""
    at_least = weights >= float(threshold)
    a, b = left[at_least], right[at_least]
    if constraints is not None and len(constraints.must_left):
        a = np.concatenate([a, np.asarray(constraints.must_left, dtype=np.int64)])
        b = np.concatenate([b, np.asarray(constraints.must_right, dtype=np.int64)])
    components = connected_components(n, a, b)
    parts = [
        start + np.flatnonzero(components[left[start:start + _CHUNK]]
                               == components[right[start:start + _CHUNK]])
        for start in range(0, len(left), _CHUNK)
    ]  # fmt: skip
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


#: Pairs looked at a time where a whole-column step would otherwise hold several arrays as long
#: as all the pairs.
_CHUNK: Final = 4_000_000


def _pair_codes(n: int, a: IntArray, b: IntArray) -> IntArray:
    """One integer per unordered pair of records."""
    return np.minimum(a, b) * max(n, 1) + np.maximum(a, b)


def must_link_groups(n: int, constraints: PairConstraints) -> IntArray:
    """Each record's group of must-link decisions (connected components of the must-link
    pairs); refuses decisions whose must-links chain a cannot-link pair together.

    Raises:
        ConfigError: naming the cannot-link decisions' rows (never values).

    Example:
        >>> c = PairConstraints(must_left=[0], must_right=[1], cannot_left=[1], cannot_right=[2])
        >>> must_link_groups(3, c).tolist()
        [0, 0, 2]
    """
    c = constraints
    groups = connected_components(n, c.must_left, c.must_right)
    inside = np.flatnonzero(groups[c.cannot_left] == groups[c.cannot_right])
    if len(inside):
        rows = ", ".join(str(r) for r in c.cannot_rows[inside[:5]].tolist())
        raise ConfigError(
            f"the cannot-link decision(s) of row(s) {rows} keep apart records that must-link "
            "decisions put together; change one of them"
        )
    return groups


def _constrained_pairs(
    n: int, left: IntArray, right: IntArray, weights: FloatArray, constraints: PairConstraints
) -> tuple[IntArray, IntArray, FloatArray]:
    """The scored pairs with the decisions in force: cannot-link pairs at -inf, must-link pairs
    added at +inf (after the given pairs, so that the given pairs keep their positions).
    Refuses must-link pairs that chain a cannot-link pair together."""
    c = constraints
    must_link_groups(n, c)
    weights = weights.copy()
    if len(c.cannot_left) and len(left):
        cannot = np.isin(_pair_codes(n, left, right), _pair_codes(n, c.cannot_left, c.cannot_right))
        weights[cannot] = -np.inf
    return (
        np.concatenate([left, c.must_left]),
        np.concatenate([right, c.must_right]),
        np.concatenate([weights, np.full(len(c.must_left), np.inf)]),
    )


def _keep_apart(
    n: int,
    left: IntArray,
    right: IntArray,
    weights: FloatArray,
    above: npt.NDArray[np.bool_],
    labels: IntArray,
    constraints: PairConstraints,
) -> int:
    """Split every cluster that holds both records of a cannot-link pair by constrained single
    linkage (see the module); drops the refused links from ``above`` and returns how many
    clusters were split."""
    c = constraints
    together = labels[c.cannot_left] == labels[c.cannot_right]
    if not together.any():
        return 0
    broken = np.unique(labels[c.cannot_left[together]])
    edges = np.flatnonzero(above & np.isin(labels[left], broken))
    # strongest first (must-link pairs are +inf), ties by record positions: deterministic
    edges = edges[np.lexsort((right[edges], left[edges], -weights[edges]))]
    parent: dict[int, int] = {}
    apart: dict[int, set[int]] = {}
    for a, b in zip(c.cannot_left.tolist(), c.cannot_right.tolist(), strict=True):
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for e, a, b in zip(edges.tolist(), left[edges].tolist(), right[edges].tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        if rb in apart.get(ra, ()):
            above[e] = False  # the link that would bring a cannot-link pair together
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        merged = apart.pop(gone, set())
        for other in merged:  # the other parts now keep apart from the joined part
            apart[other].discard(gone)
            apart[other].add(keep)
        apart.setdefault(keep, set()).update(merged)
    return len(broken)
