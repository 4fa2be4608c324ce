"""Cluster: records joined by pairs above the threshold form one entity.

Clusters are the connected components of the graph whose edges are the pairs scored at or above
the threshold. Connected components are found with a vectorized union–find (hook each tree's
root under the smallest root it touches, then halve paths until every record points at its
root), so the work is a few passes over integer arrays.

Chaining guard: A–B and B–C above the threshold put A and C together even when A and C were
compared and found different. A cluster of three or more records in which too few of the
compared pairs are above the threshold (edge density below ``min_density``) is split: its
weakest edges are dropped, step by step, until each part is dense enough.

A cluster's id is its smallest record index; the caller orders records by id first, so the
cluster id is the smallest record id in the cluster, whatever the row order.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["ClusterResult", "cluster_pairs", "connected_components"]

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


@attrs.frozen
class ClusterResult:
    """Cluster labels and what the chaining guard did.

    Attributes:
        labels: per record, the smallest record index in its cluster.
        edges: which of the given pairs joined the clusters (above the threshold and kept by
            the guard).
        split_clusters: clusters the chaining guard split.
        guard_steps: guard iterations run.

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
) -> ClusterResult:
    """Cluster ``n`` records from scored pairs, with the chaining guard.

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

    Example:
        >>> left, right = np.array([0, 1, 0]), np.array([1, 2, 2])
        >>> weights = np.array([9.0, 1.5, -20.0])  # 0~1 strong, 1~2 weak, 0 vs 2: different
        >>> cluster_pairs(3, left, right, weights, 1.0).labels.tolist()
        [0, 0, 0]
        >>> cluster_pairs(3, left, right, weights, 1.0, min_density=0.7).labels.tolist()
        [0, 0, 2]
    """
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.float64)
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
    return ClusterResult(labels=labels, edges=above, split_clusters=len(split), guard_steps=steps)
