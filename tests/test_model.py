"""The Fellegi–Sunter model: u from random pairs, EM recovering known m and u, weights, tf."""

from __future__ import annotations

import numpy as np
import pytest

from crmclean.compare import Comparison
from crmclean.model import (
    estimate_u,
    fit_em,
    level_patterns,
    m_from_labels,
    match_probability,
    match_weights,
    starting_m,
    tf_adjustments,
)
from crmclean.prepare import encode_keys


def _simulate(
    rng: np.random.Generator,
    m: list[list[float]],
    u: list[list[float]],
    prior: float,
    n: int,
    null_rate: float = 0.0,
) -> np.ndarray:
    is_match = rng.random(n) < prior
    levels = np.empty((n, len(m)), dtype=np.int8)
    for f, (mf, uf) in enumerate(zip(m, u, strict=True)):
        from_m = rng.choice(len(mf), size=n, p=mf)
        from_u = rng.choice(len(uf), size=n, p=uf)
        levels[:, f] = np.where(is_match, from_m, from_u)
        levels[rng.random(n) < null_rate, f] = -1
    return levels


TRUE_M = [[0.05, 0.15, 0.8], [0.1, 0.9], [0.02, 0.08, 0.2, 0.7], [0.3, 0.7]]
TRUE_U = [[0.9, 0.08, 0.02], [0.85, 0.15], [0.7, 0.2, 0.08, 0.02], [0.6, 0.4]]
FIELDS = [
    Comparison("a", "string", thresholds=(0.9,)),
    Comparison("b", "exact"),
    Comparison("c", "string"),
    Comparison("d", "exact"),
]


@pytest.mark.parametrize("fix_u", [True, False])
def test_em_recovers_known_m_and_prior(fix_u: bool) -> None:
    rng = np.random.default_rng(42)
    levels = _simulate(rng, TRUE_M, TRUE_U, prior=0.2, n=200_000, null_rate=0.1)
    patterns, counts = level_patterns(levels, FIELDS)
    u_start = TRUE_U if fix_u else [[0.5, 0.3, 0.2], [0.7, 0.3], [0.4, 0.3, 0.2, 0.1], [0.5, 0.5]]
    result = fit_em(patterns, counts, u_start, [starting_m(c) for c in FIELDS], fix_u=fix_u)
    assert result.converged
    assert result.prior == pytest.approx(0.2, abs=0.01)
    for fitted, true in zip(result.m, TRUE_M, strict=True):
        assert np.allclose(fitted, true, atol=0.02)
    if not fix_u:
        for fitted, true in zip(result.u, TRUE_U, strict=True):
            assert np.allclose(fitted, true, atol=0.02)


def test_em_is_deterministic() -> None:
    rng = np.random.default_rng(1)
    levels = _simulate(rng, TRUE_M, TRUE_U, prior=0.1, n=20_000)
    patterns, counts = level_patterns(levels, FIELDS)
    a = fit_em(patterns, counts, TRUE_U, [starting_m(c) for c in FIELDS], fix_u=False)
    b = fit_em(patterns, counts, TRUE_U, [starting_m(c) for c in FIELDS], fix_u=False)
    assert a == b


def test_em_without_pairs_keeps_starting_values() -> None:
    patterns = np.zeros((0, 1), dtype=np.int8)
    result = fit_em(patterns, np.zeros(0, np.int64), [(0.9, 0.1)], [(0.2, 0.8)])
    assert result.m == ((0.2, 0.8),)
    assert result.iterations == 0


def test_level_patterns_counts_distinct_rows() -> None:
    rng = np.random.default_rng(0)
    levels = rng.integers(-1, 3, size=(5_000, 3)).astype(np.int8)
    fields = [Comparison(f"f{i}", "string", thresholds=(0.9,)) for i in range(3)]
    patterns, counts = level_patterns(levels, fields)
    rows, expected = np.unique(levels, axis=0, return_counts=True)
    assert patterns.tolist() == rows.tolist()
    assert counts.tolist() == expected.tolist()
    assert counts.sum() == 5_000


def test_estimate_u_exact_level_is_the_chance_two_records_share_a_value() -> None:
    # 1,000 records: 500 "smith", 500 distinct names → P(share) ≈ 0.25
    names = ["smith"] * 500 + [f"name{i}" for i in range(500)]
    keys = encode_keys({"family": names})
    u = estimate_u(keys, [Comparison("family", "exact")], n_pairs=20_000, seed=0)[0]
    assert u[1] == pytest.approx(0.25, abs=0.01)
    assert sum(u) == pytest.approx(1.0)


def test_estimate_u_is_deterministic_given_the_seed() -> None:
    rng = np.random.default_rng(0)
    names = [f"n{rng.integers(0, 300)}" for _ in range(3_000)]
    keys = encode_keys({"city": names})
    fields = [Comparison("city", "string")]
    assert estimate_u(keys, fields, n_pairs=5_000, seed=7) == estimate_u(
        keys, fields, n_pairs=5_000, seed=7
    )


def test_estimate_u_two_tables_draws_pairs_across_them() -> None:
    keys = encode_keys({"city": ["a"] * 100 + ["b"] * 100})
    u = estimate_u(keys, [Comparison("city", "exact")], n_left=100)[0]
    assert u[1] < 0.01  # no left record shares a city with a right record


def test_match_weights_and_probability() -> None:
    fields = [
        Comparison("a", "exact", m=(0.1, 0.9), u=(0.9, 0.1)),
        Comparison("b", "exact", m=(0.2, 0.8), u=(0.8, 0.2)),
    ]
    levels = np.array([[1, 1], [1, -1], [0, 0], [-1, -1]], dtype=np.int8)
    weights = match_weights(levels, fields, prior=0.5)
    assert weights.tolist() == pytest.approx([np.log2(9) + 2, np.log2(9), -np.log2(9) - 2, 0.0])
    assert match_probability(np.array([0.0]))[0] == 0.5
    assert match_probability(np.array([np.log2(9)]))[0] == pytest.approx(0.9)


def test_tf_adjustment_rare_names_count_more() -> None:
    names = ["smith"] * 200 + ["przybylski"] * 2 + [f"n{i}" for i in range(798)]
    keys = encode_keys({"family": names})
    c = Comparison("family", "string", tf=True)
    top = np.int8(len(c.levels) - 1)
    adj = tf_adjustments(keys, c, np.array([0, 200, 0]), np.array([top, top, 0], dtype=np.int8))
    assert adj[0] < 0 < adj[1]
    assert adj[2] == 0.0  # not at the exact level
    off = Comparison("family", "string", tf=False)
    assert not tf_adjustments(keys, off, np.array([0]), np.array([top], dtype=np.int8)).any()


def test_m_from_labels() -> None:
    levels = np.array([[2], [2], [2], [1], [-1]], dtype=np.int8)
    m = m_from_labels(levels, [Comparison("a", "code")])[0]
    assert m[2] > m[1] > m[0]
    assert sum(m) == pytest.approx(1.0)


def test_fitting_and_scoring_a_chunk_of_pairs_at_a_time_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Large candidate sets are fitted and scored in chunks to bound memory; the model and the
    weights must be those of one pass over all pairs."""
    import crmclean.score as score
    from crmclean.block import block, name_order
    from crmclean.settings import default_settings

    rng = np.random.default_rng(5)
    given = rng.choice(["ann", "bob", "cy", "dee", "eve", "fay"], 600).tolist()
    family = rng.choice(["lee", "kim", "smith", "ng", "roe"], 600).tolist()
    email = [f"{g}.{f}{k % 90}@x.org" for k, (g, f) in enumerate(zip(given, family, strict=True))]
    keys = encode_keys({"given": given, "family": family, "email": email,
                        "dob": [f"19{k % 50:02d}0101" for k in range(600)]})  # fmt: skip
    settings = default_settings(keys.names)
    pairs = block(keys, settings.blocking, order_key=name_order(keys))
    levels = score.compare_all(keys, settings.comparisons, pairs.left, pairs.right)
    assert len(levels) > 1000
    whole = score.fit_model(settings, keys, levels, pairs.left, pairs.right, seed=3)
    weights = score.score_pairs(keys, whole.settings, levels, pairs.left)
    monkeypatch.setattr(score, "PAIR_CHUNK", 97)
    chunked = score.fit_model(settings, keys, levels, pairs.left, pairs.right, seed=3)
    assert chunked.settings.to_dict() == whole.settings.to_dict()
    assert np.array_equal(score.score_pairs(keys, whole.settings, levels, pairs.left), weights)
