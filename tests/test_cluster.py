"""Clustering: connected components, stable ids, the chaining guard."""

from __future__ import annotations

import numpy as np
import pytest

from crmclean import cluster
from crmclean.cluster import PairConstraints, cluster_pairs, connected_components


def _reference_components(n: int, edges: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


@pytest.mark.parametrize("seed", range(8))
def test_components_match_a_reference_union_find(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 500
    m = int(rng.integers(0, 600))
    left = rng.integers(0, n, m)
    right = rng.integers(0, n, m)
    got = connected_components(n, left, right)
    edges = list(zip(left.tolist(), right.tolist(), strict=True))
    assert got.tolist() == _reference_components(n, edges)


def test_component_label_is_the_smallest_member() -> None:
    labels = connected_components(7, np.array([6, 5, 3]), np.array([5, 3, 1]))
    assert labels.tolist() == [0, 1, 2, 1, 4, 1, 1]


def test_long_chain_is_one_component() -> None:
    n = 100_000
    order = np.random.default_rng(0).permutation(n)
    labels = connected_components(n, order[:-1], order[1:])
    assert (labels == 0).all()


def test_no_edges_and_no_records() -> None:
    assert connected_components(3, np.array([], int), np.array([], int)).tolist() == [0, 1, 2]
    assert connected_components(0, np.array([], int), np.array([], int)).tolist() == []


def test_threshold_decides_which_pairs_join() -> None:
    left, right = np.array([0, 2]), np.array([1, 3])
    result = cluster_pairs(4, left, right, np.array([5.0, -1.0]), threshold=0.0)
    assert result.labels.tolist() == [0, 0, 2, 3]
    assert result.edges.tolist() == [True, False]
    assert result.n_clusters == 3


def test_chaining_guard_splits_a_cluster_held_by_a_weak_edge() -> None:
    # two tight triangles (0,1,2) and (3,4,5), one weak edge 2-3, and the cross pairs were
    # compared and scored clearly apart
    tight = [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5)]
    cross = [(a, b) for a in (0, 1, 2) for b in (3, 4, 5) if (a, b) != (2, 3)]
    pairs = [*tight, (2, 3), *cross]
    weights = [12.0] * 6 + [1.0] + [-15.0] * len(cross)
    left = np.array([p[0] for p in pairs])
    right = np.array([p[1] for p in pairs])
    off = cluster_pairs(6, left, right, np.array(weights), 0.0)
    assert off.labels.tolist() == [0] * 6
    on = cluster_pairs(6, left, right, np.array(weights), 0.0, min_density=0.5)
    assert on.labels.tolist() == [0, 0, 0, 3, 3, 3]
    assert on.split_clusters == 1


def test_guard_leaves_dense_clusters_alone() -> None:
    pairs = [(0, 1), (0, 2), (1, 2), (2, 3), (1, 3)]
    left = np.array([p[0] for p in pairs])
    right = np.array([p[1] for p in pairs])
    result = cluster_pairs(4, left, right, np.array([3.0, 2.0, 4.0, 1.5, 2.5]), 1.0,
                           min_density=0.5)  # fmt: skip
    assert result.labels.tolist() == [0, 0, 0, 0]
    assert result.split_clusters == 0


def test_low_scored_pairs_between_clusters_change_no_cluster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Candidate pairs below the threshold whose records end up in different clusters (most
    of a large run's pairs) change neither the clusters nor which pairs are links, guard and
    cannot-link decisions included."""
    rng = np.random.default_rng(11)
    n = 400
    left = rng.integers(0, n, 900)
    right = rng.integers(0, n, 900)
    keep = left != right
    left, right = np.minimum(left, right)[keep], np.maximum(left, right)[keep]
    weights = rng.normal(0.0, 4.0, len(left))
    apart = PairConstraints(must_left=[0, 5], must_right=[1, 6], cannot_left=[2], cannot_right=[3])
    base = cluster_pairs(n, left, right, weights, 1.0, min_density=0.5, constraints=apart)
    labels = base.labels
    # pairs between records of different clusters, scored below the threshold
    a, b = rng.integers(0, n, 3000), rng.integers(0, n, 3000)
    across = labels[a] != labels[b]
    a, b = np.minimum(a, b)[across], np.maximum(a, b)[across]
    more = cluster_pairs(n, np.concatenate([left, a]), np.concatenate([right, b]),
                         np.concatenate([weights, np.full(len(a), -3.0)]), 1.0,
                         min_density=0.5, constraints=apart)  # fmt: skip
    assert more.labels.tolist() == labels.tolist()
    assert more.edges[: len(left)].tolist() == base.edges.tolist()
    assert not more.edges[len(left):].any()
    # the same as clustering with every pair in play
    monkeypatch.setattr(cluster, "_inside_components",
                        lambda n, left, *_: np.arange(len(left)))  # fmt: skip
    every = cluster_pairs(n, np.concatenate([left, a]), np.concatenate([right, b]),
                          np.concatenate([weights, np.full(len(a), -3.0)]), 1.0,
                          min_density=0.5, constraints=apart)  # fmt: skip
    assert every.labels.tolist() == labels.tolist()
    assert every.edges.tolist() == more.edges.tolist()
    assert every.split_clusters == more.split_clusters
