"""Score: the Fellegi–Sunter model, fitted without labels.

For every field and agreement level the model holds two probabilities: ``m``, how often a
*matching* pair shows that level, and ``u``, how often a *non-matching* pair does. A pair's match
weight is ``log2(prior odds) + Σ log2(m/u)`` over its fields (a null level adds nothing); its
match probability is ``2^w / (1 + 2^w)``.

``u`` is measured on random pairs of records (almost all of which are non-matches); for the exact
level it is computed from the value frequencies themselves (the chance that two random records
share a value, ``Σ p_v²``). ``m`` and the prior are estimated by expectation–maximisation on the
candidate pairs, with ``u`` held fixed. Pairs with the same levels on every field are the same to
the model, so EM runs on the distinct level patterns and their counts: a few thousand rows,
whatever the number of pairs.

The term-frequency adjustment replaces the exact level's ``u`` by the frequency of the very value
the pair shares: two records sharing "smith" get less weight than two sharing "przybylski".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean.compare import Comparison, compare_all
from crmclean.prepare import EncodedKeys

__all__ = [
    "EMResult",
    "estimate_u",
    "fit_em",
    "level_patterns",
    "m_from_labels",
    "match_probability",
    "match_weights",
    "starting_m",
    "tf_adjustments",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
LevelMatrix = npt.NDArray[np.int8]

_FLOOR: Final = 1e-6  # no level is impossible: keeps every weight finite
# Prior knowledge that two random people differ: u is estimated as if this many extra random
# pairs had disagreed. Negligible for real tables; keeps a ten-row table from concluding that
# everyone is called Smith.
_PSEUDO_PAIRS: Final = 1000.0


def _normalize(counts: FloatArray, floor: float = _FLOOR) -> tuple[float, ...]:
    total = counts.sum()
    probs = np.full(len(counts), 1.0 / len(counts)) if total <= 0 else counts / total
    probs = np.maximum(probs, floor)
    probs = probs / probs.sum()
    return tuple(float(p) for p in probs)


def _random_pairs(
    n: int, n_pairs: int, rng: np.random.Generator, n_left: int | None
) -> tuple[IntArray, IntArray]:
    """Uniform random pairs of distinct records (across the tables in two-table mode); all
    pairs when there are fewer than ``n_pairs``."""
    if n_left is None:
        total = n * (n - 1) // 2
        if total <= n_pairs:
            i, j = np.triu_indices(n, k=1)
            return i.astype(np.int64), j.astype(np.int64)
        i = rng.integers(0, n, size=n_pairs, dtype=np.int64)
        j = rng.integers(0, n - 1, size=n_pairs, dtype=np.int64)
        j += j >= i
        return i, j
    n_right = n - n_left
    total = n_left * n_right
    if total <= n_pairs:
        i = np.repeat(np.arange(n_left, dtype=np.int64), n_right)
        j = np.tile(np.arange(n_left, n, dtype=np.int64), n_left)
        return i, j
    i = rng.integers(0, n_left, size=n_pairs, dtype=np.int64)
    j = rng.integers(n_left, n, size=n_pairs, dtype=np.int64)
    return i, j


def _exact_u(codes: npt.NDArray[np.int32], vocab_size: int, n_left: int | None) -> float | None:
    """The chance that two random records (with a value) share their value."""
    if n_left is None:
        counts = np.bincount(codes[codes >= 0], minlength=vocab_size).astype(np.float64)
        total = counts.sum()
        if total < 2:
            return None
        pairs = total * (total - 1) / 2
        return float((counts * (counts - 1) / 2).sum() / (pairs + _PSEUDO_PAIRS))
    left, right = codes[:n_left], codes[n_left:]
    cl = np.bincount(left[left >= 0], minlength=vocab_size).astype(np.float64)
    cr = np.bincount(right[right >= 0], minlength=vocab_size).astype(np.float64)
    if cl.sum() == 0 or cr.sum() == 0:
        return None
    return float((cl * cr).sum() / (cl.sum() * cr.sum() + _PSEUDO_PAIRS))


def estimate_u(
    keys: EncodedKeys,
    comparisons: Sequence[Comparison],
    *,
    n_pairs: int = 1_000_000,
    seed: int = 0,
    n_left: int | None = None,
) -> list[tuple[float, ...]]:
    """``u`` of every field: level frequencies among random pairs of records.

    Args:
        keys: encoded keys of all records.
        comparisons: the fields.
        n_pairs: random pairs to draw (all pairs when the table has fewer).
        seed: random seed; the same seed gives the same ``u``.
        n_left: two-table mode: the first ``n_left`` records are the left table, and pairs
            are drawn across the tables.

    Example:
        >>> from crmclean.prepare import encode_keys
        >>> keys = encode_keys({"city": ["leeds", "leeds", "york", "hull"] * 100})
        >>> [round(p, 4) for p in estimate_u(keys, [Comparison("city", "exact")])[0]]
        [0.6312, 0.3688]
    """
    n = keys.n
    rng = np.random.default_rng(seed)
    if n < 2 or (n_left is not None and (n_left == 0 or n_left == n)):
        return [_normalize(np.ones(len(c.levels))) for c in comparisons]
    i, j = _random_pairs(n, n_pairs, rng, n_left)
    levels = compare_all(keys, comparisons, i, j)
    out = []
    for f, comparison in enumerate(comparisons):
        k = len(comparison.levels)
        column = levels[:, f]
        counts = np.bincount(column[column >= 0], minlength=k).astype(np.float64)
        counts[0] += _PSEUDO_PAIRS
        exact = None
        if comparison.has_exact_key_level():
            key = keys[comparison.key_column]
            exact = _exact_u(key.codes, len(key.vocab), n_left)
        if exact is None:
            out.append(_normalize(counts + 0.5))
            continue
        exact = min(max(exact, _FLOOR), 1 - _FLOOR)
        others = _normalize(counts[:-1] + 0.5)
        probs = [p * (1.0 - exact) for p in others] + [exact]
        out.append(tuple(probs))
    return out


def level_patterns(
    levels: LevelMatrix, comparisons: Sequence[Comparison]
) -> tuple[LevelMatrix, IntArray]:
    """The distinct rows of a level matrix and how often each occurs.

    Example:
        >>> lv = np.array([[1, 0], [1, 0], [-1, 1]], dtype=np.int8)
        >>> cs = [Comparison("a", "exact"), Comparison("b", "exact")]
        >>> patterns, counts = level_patterns(lv, cs)
        >>> patterns.tolist(), counts.tolist()
        ([[-1, 1], [1, 0]], [1, 2])
    """
    n_fields = len(comparisons)
    if len(levels) == 0:
        return np.zeros((0, n_fields), dtype=np.int8), np.zeros(0, dtype=np.int64)
    bits = max(max(len(c.levels) for c in comparisons).bit_length(), 1)
    if bits * n_fields > 62:
        rows, counts = np.unique(levels, axis=0, return_counts=True)
        return rows.astype(np.int8), counts.astype(np.int64)
    code = np.zeros(len(levels), dtype=np.int64)
    for f in range(n_fields):
        code = (code << bits) | (levels[:, f].astype(np.int64) + 1)
    code = np.sort(code)
    first = np.ones(len(code), dtype=bool)
    np.not_equal(code[1:], code[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.r_[starts, len(code)]).astype(np.int64)
    unique = code[starts]
    patterns = np.empty((len(unique), n_fields), dtype=np.int8)
    mask = (1 << bits) - 1
    for f in range(n_fields - 1, -1, -1):
        patterns[:, f] = (unique & mask) - 1
        unique = unique >> bits
    return patterns, counts


def starting_m(comparison: Comparison) -> tuple[float, ...]:
    """The ``m`` that EM starts from: most matches at the top level, fewer at each lower one.

    Example:
        >>> [round(p, 3) for p in starting_m(Comparison("email", "exact"))]
        [0.1, 0.9]
    """
    k = len(comparison.levels)
    rest = np.arange(1, k, dtype=np.float64)
    rest = 0.1 * rest / rest.sum() if k > 1 else rest
    return (*(float(x) for x in rest), 0.9) if k > 1 else (1.0,)


@attrs.frozen
class EMResult:
    """What :func:`fit_em` found.

    Attributes:
        m: per field, ``m`` of each level.
        prior: the share of matches among the pairs.
        iterations: EM iterations run.
        converged: whether the parameters stopped changing before ``max_iter``.

    Example:
        >>> import numpy as np
        >>> r = fit_em(np.array([[1], [0]], dtype=np.int8), np.array([10, 90]), [(0.9, 0.1)],
        ...            [(0.2, 0.8)])
        >>> isinstance(r, EMResult), 0 < r.prior < 1
        (True, True)
    """

    m: tuple[tuple[float, ...], ...]
    prior: float
    iterations: int
    converged: bool
    u: tuple[tuple[float, ...], ...] = ()


def _log_table(probs: Sequence[Sequence[float] | FloatArray]) -> list[FloatArray]:
    """Per field: ``log`` of each level's probability, with a 0 for the null level at the end."""
    return [np.r_[np.log(np.asarray(p, dtype=np.float64)), 0.0] for p in probs]


def _log_sum(patterns: LevelMatrix, tables: list[FloatArray]) -> FloatArray:
    """Per pattern: the sum over fields of the table entry of its level."""
    total = np.zeros(len(patterns), dtype=np.float64)
    for f, table in enumerate(tables):
        total += table[patterns[:, f]]
    return total


def fit_em(
    patterns: LevelMatrix,
    counts: IntArray,
    u: Sequence[Sequence[float]],
    m_start: Sequence[Sequence[float]],
    *,
    prior_start: float = 0.1,
    max_iter: int = 200,
    tol: float = 1e-6,
    fix_u: bool = True,
    fix_m: bool = False,
) -> EMResult:
    """Expectation–maximisation of ``m`` and the prior on level patterns.

    ``u`` stays fixed unless ``fix_u=False``; ``fix_m=True`` fits the prior only.

    Example:
        >>> patterns = np.array([[1, 1], [0, 0], [1, 0], [0, 1]], dtype=np.int8)
        >>> counts = np.array([90, 860, 30, 20])
        >>> u = [(0.95, 0.05), (0.9, 0.1)]
        >>> result = fit_em(patterns, counts, u, [(0.2, 0.8), (0.2, 0.8)])
        >>> round(result.prior, 2), [round(m[1], 2) for m in result.m], result.converged
        (0.09, [1.0, 1.0], True)
    """
    n_fields = patterns.shape[1]
    weights = counts.astype(np.float64)
    total = weights.sum()
    m = [np.asarray(p, dtype=np.float64) for p in m_start]
    prior = float(prior_start)
    if total == 0 or n_fields == 0:
        return EMResult(
            tuple(tuple(map(float, p)) for p in m), prior, 0, True, tuple(map(tuple, u))
        )
    u_now = [np.asarray(p, dtype=np.float64) for p in u]
    iterations = 0
    converged = False
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        log_u = _log_sum(patterns, _log_table(u_now))
        log_m = _log_sum(patterns, _log_table(m))
        log_odds = math.log(prior / (1 - prior)) + log_m - log_u
        posterior = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
        matched = posterior * weights
        new_prior = float(matched.sum() / total)
        unmatched = weights - matched
        new_m, new_u = [], []
        for f in range(n_fields):
            column = patterns[:, f]
            present = column >= 0
            level_sums = np.bincount(
                column[present], weights=matched[present], minlength=len(m[f])
            ).astype(np.float64)
            new_m.append(np.asarray(_normalize(level_sums), dtype=np.float64))
            if not fix_u:
                level_sums = np.bincount(
                    column[present], weights=unmatched[present], minlength=len(m[f])
                ).astype(np.float64)
                new_u.append(np.asarray(_normalize(level_sums), dtype=np.float64))
        if fix_m:
            new_m = m
        change = max(
            [abs(new_prior - prior)]
            + [float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True)]
            + [float(np.abs(a - b).max()) for a, b in zip(new_u, u_now, strict=False)]
        )
        m = new_m
        if not fix_u:
            u_now = new_u
        prior = min(max(new_prior, 1e-9), 1 - 1e-9)
        if change < tol:
            converged = True
            break
    return EMResult(
        tuple(tuple(map(float, p)) for p in m),
        prior,
        iterations,
        converged,
        tuple(tuple(map(float, p)) for p in u_now),
    )


def m_from_labels(
    levels: LevelMatrix, comparisons: Sequence[Comparison]
) -> list[tuple[float, ...]]:
    """``m`` measured on pairs known to match (a user's labelled pairs).

    Example:
        >>> lv = np.array([[1], [1], [0], [-1]], dtype=np.int8)
        >>> [round(p, 2) for p in m_from_labels(lv, [Comparison("a", "exact")])[0]]
        [0.38, 0.62]
    """
    out = []
    for f, comparison in enumerate(comparisons):
        column = levels[:, f]
        counts = np.bincount(column[column >= 0], minlength=len(comparison.levels))
        out.append(_normalize(counts.astype(np.float64) + 0.5))
    return out


def tf_adjustments(
    keys: EncodedKeys,
    comparison: Comparison,
    left: IntArray,
    levels: npt.NDArray[np.int8],
    *,
    n_left: int | None = None,
) -> FloatArray:
    """Term-frequency adjustment (in bits) of each pair's weight for one field.

    Pairs at the exact level get ``log2(average / freq(value))``, where ``freq(value)`` is the
    chance that another record shares the pair's value and ``average`` the chance that two
    random records share their value: positive for a value rarer than average, negative for a
    common one. Other pairs get 0.

    Example:
        >>> from crmclean.prepare import encode_keys
        >>> names = ["smith"] * 300 + ["zelenko"] * 3 + [f"x{i}" for i in range(697)]
        >>> keys = encode_keys({"family": names})
        >>> c = Comparison("family", "string", tf=True)
        >>> adj = tf_adjustments(keys, c, np.array([0, 300]), np.array([3, 3], dtype=np.int8))
        >>> adj.round(2).tolist()
        [-1.74, 5.49]
    """
    out = np.zeros(len(left), dtype=np.float64)
    if not comparison.tf or not comparison.has_exact_key_level():
        return out
    top = len(comparison.levels) - 1
    where = np.flatnonzero(levels == top)
    if len(where) == 0:
        return out
    column = keys[comparison.key_column]
    codes = column.codes
    counts = np.bincount(codes[codes >= 0], minlength=len(column.vocab)).astype(np.float64)
    # the chance that another random record shares this record's value (with the same
    # pseudo-pairs as the exact-level u, so that u is the average of these over exact pairs)
    total = counts.sum()
    freq = np.maximum(counts - 1, 0) * total / (total * (total - 1) + 2 * _PSEUDO_PAIRS)
    value = codes[left[where]]
    average = _exact_u(codes, len(column.vocab), None)
    if average is None:
        return out
    out[where] = np.log2(average / np.maximum(freq[value], _FLOOR))
    return out


def match_weights(
    levels: LevelMatrix,
    comparisons: Sequence[Comparison],
    prior: float,
) -> FloatArray:
    """Each pair's match weight (bits), without term-frequency adjustments.

    Example:
        >>> cs = [Comparison("a", "exact", m=(0.1, 0.9), u=(0.9, 0.1))]
        >>> match_weights(np.array([[1], [0], [-1]], dtype=np.int8), cs, 0.5).round(2).tolist()
        [3.17, -3.17, 0.0]
    """
    total = np.full(len(levels), math.log2(prior / (1 - prior)), dtype=np.float64)
    for f, comparison in enumerate(comparisons):
        assert comparison.m is not None
        assert comparison.u is not None
        table = np.r_[np.log2(np.asarray(comparison.m) / np.asarray(comparison.u)), 0.0]
        total += table[levels[:, f]]
    return total


def match_probability(weights: FloatArray) -> FloatArray:
    """Match probability from match weight: ``2^w / (1 + 2^w)``.

    Example:
        >>> match_probability(np.array([0.0, 10.0])).round(4).tolist()
        [0.5, 0.999]
    """
    return 1.0 / (1.0 + np.exp2(-np.clip(weights, -1000, 1000)))

