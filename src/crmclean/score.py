"""Score: the Fellegi–Sunter model, fitted without labels, and each pair's match weight.

This module is the score stage, used alike by :func:`crmclean.dedupe` / :func:`crmclean.link`,
by :class:`crmclean.MatchIndex` and by any other engine that has comparison levels: fitting
(:func:`fit_model`, and :func:`fit_counts` from pattern counts an engine summed over its
partitions), match weights (:func:`weight_table`, :func:`score_pairs`), term-frequency
adjustments (:func:`tf_adjustments`, :func:`tf_bits`), the name guard and pair explanations
(:func:`explain_levels`).

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
import warnings
from collections.abc import Callable, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean import fields
from crmclean.block import BlockingRule, MatchingWarning
from crmclean.compare import Comparison, compare_all
from crmclean.encode import EncodedKeys, base_key_column
from crmclean.errors import ConfigError
from crmclean.settings import MatchSettings

__all__ = [
    "EMResult",
    "FieldContribution",
    "FitResult",
    "PairExplanation",
    "PatternCounts",
    "all_pairs",
    "apply_name_guard",
    "capped_tf",
    "conflicting_pairs",
    "estimate_u",
    "exact_u",
    "explain_levels",
    "fit_counts",
    "fit_em",
    "fit_model",
    "level_patterns",
    "m_from_labels",
    "match_probability",
    "match_weights",
    "name_guard_masks",
    "random_pairs",
    "rule_agreement",
    "score_pairs",
    "starting_m",
    "tf_adjustments",
    "tf_bits",
    "tf_of_counts",
    "u_from_counts",
    "value_counts",
    "weight_table",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
LevelMatrix = npt.NDArray[np.int8]

_FLOOR: Final = 1e-6  # no level is impossible: keeps every weight finite
# Prior knowledge that two random people differ: u is estimated as if this many extra random
# pairs had disagreed. Negligible for real tables; keeps a ten-row table from concluding that
# everyone is called Smith.
_PSEUDO_PAIRS: Final = 1000.0
_MIN_TRAINING_PAIRS: Final = 20  # a blocking rule with fewer pairs teaches EM nothing


def _normalize(counts: FloatArray, floor: float = _FLOOR) -> tuple[float, ...]:
    total = counts.sum()
    probs = np.full(len(counts), 1.0 / len(counts)) if total <= 0 else counts / total
    probs = np.maximum(probs, floor)
    probs = probs / probs.sum()
    return tuple(float(p) for p in probs)


def random_pairs(
    n: int, n_pairs: int, *, seed: int = 0, n_left: int | None = None
) -> tuple[IntArray, IntArray]:
    """The random pairs of records that :func:`estimate_u` compares: ``n_pairs`` uniform pairs
    of distinct records (across the tables in two-table mode: the first ``n_left`` records are
    the left table), or all pairs when there are fewer. Records are positions in id order; the
    same seed gives the same pairs, so that every engine measures ``u`` on the same pairs.

    Example:
        >>> [a.tolist() for a in random_pairs(3, 10)]
        [[0, 0, 1], [1, 2, 2]]
        >>> i, j = random_pairs(1000, 5, seed=1)
        >>> len(i), bool((i != j).all())
        (5, True)
    """
    rng = np.random.default_rng(seed)
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


def exact_u(shared: float, pairs: float) -> float | None:
    """``u`` of an exact agreement: the chance that two random records share their value, from
    ``shared`` (pairs of records that share theirs: ``Σ c(c-1)/2`` over the value counts ``c``;
    two tables: ``Σ c_left · c_right``) and ``pairs`` (pairs of records with a value: ``t(t-1)/2``;
    two tables: ``t_left · t_right``). ``None`` when no pair has values on both sides.

    Both engines call it with their own counts (numpy here, a distributed aggregation
    elsewhere), so that ``u`` is the same number.

    Example:
        >>> round(exact_u(4950.0 + 4950.0, 199 * 200 / 2), 4)  # two values, 100 records each
        0.4737
    """
    if pairs <= 0:
        return None
    return float(shared / (pairs + _PSEUDO_PAIRS))


def _exact_u(codes: npt.NDArray[np.int32], vocab_size: int, n_left: int | None) -> float | None:
    """The chance that two random records (with a value) share their value."""
    if n_left is None:
        counts = np.bincount(codes[codes >= 0], minlength=vocab_size).astype(np.float64)
        total = counts.sum()
        if total < 2:
            return None
        return exact_u(float((counts * (counts - 1) / 2).sum()), total * (total - 1) / 2)
    left, right = codes[:n_left], codes[n_left:]
    cl = np.bincount(left[left >= 0], minlength=vocab_size).astype(np.float64)
    cr = np.bincount(right[right >= 0], minlength=vocab_size).astype(np.float64)
    if cl.sum() == 0 or cr.sum() == 0:
        return None
    return exact_u(float((cl * cr).sum()), float(cl.sum() * cr.sum()))


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
        >>> from crmclean.encode import encode_keys
        >>> keys = encode_keys({"city": ["leeds", "leeds", "york", "hull"] * 100})
        >>> [round(p, 4) for p in estimate_u(keys, [Comparison("city", "exact")])[0]]
        [0.6312, 0.3688]
    """
    n = keys.n
    if n < 2 or (n_left is not None and (n_left == 0 or n_left == n)):
        return u_from_counts(comparisons, None, [])
    i, j = random_pairs(n, n_pairs, seed=seed, n_left=n_left)
    levels = compare_all(keys, comparisons, i, j)
    counts = []
    exact: list[float | None] = []
    for f, comparison in enumerate(comparisons):
        column = levels[:, f]
        counts.append(
            np.bincount(column[column >= 0], minlength=len(comparison.levels)).astype(np.float64)
        )
        found = None
        if comparison.has_exact_key_level():
            key = keys[comparison.key_column]
            found = _exact_u(key.codes, len(key.vocab), n_left)
        exact.append(found)
    return u_from_counts(comparisons, counts, exact)


def u_from_counts(
    comparisons: Sequence[Comparison],
    level_counts: Sequence[FloatArray] | None,
    exact: Sequence[float | None],
) -> list[tuple[float, ...]]:
    """``u`` of every field from the level counts of the random pairs (per field, pairs at
    each level, nulls left out) and each field's exact-level ``u`` (:func:`exact_u`, ``None``
    where the comparison has no exact key level or no pair had values). ``level_counts=None``:
    no random pairs could be drawn, every level equally likely.

    The part of :func:`estimate_u` after the comparisons, shared by every engine.

    Example:
        >>> u_from_counts([Comparison("city", "exact")], [np.array([90.0, 10.0])], [0.1])
        [(0.9, 0.1)]
    """
    if level_counts is None:
        return [_normalize(np.ones(len(c.levels))) for c in comparisons]
    out = []
    for found, exact_level in zip(level_counts, exact, strict=True):
        counts = np.asarray(found, dtype=np.float64).copy()
        counts[0] += _PSEUDO_PAIRS
        if exact_level is None:
            out.append(_normalize(counts + 0.5))
            continue
        exact_level = min(max(exact_level, _FLOOR), 1 - _FLOOR)
        others = _normalize(counts[:-1] + 0.5)
        probs = [p * (1.0 - exact_level) for p in others] + [exact_level]
        out.append(tuple(probs))
    return out


def level_patterns(
    levels: LevelMatrix,
    comparisons: Sequence[Comparison],
    counts: IntArray | None = None,
) -> tuple[LevelMatrix, IntArray]:
    """The distinct rows of a level matrix and how often each occurs, sorted by their levels.

    With ``counts`` the rows are already counted (the distinct patterns of several batches of
    pairs, from another engine): equal rows are combined and their counts added, and the
    result is the one the rows repeated ``counts`` times would give.

    Example:
        >>> lv = np.array([[1, 0], [1, 0], [-1, 1]], dtype=np.int8)
        >>> cs = [Comparison("a", "exact"), Comparison("b", "exact")]
        >>> patterns, counts = level_patterns(lv, cs)
        >>> patterns.tolist(), counts.tolist()
        ([[-1, 1], [1, 0]], [1, 2])
        >>> patterns, counts = level_patterns(lv, cs, counts=np.array([5, 1, 2]))
        >>> patterns.tolist(), counts.tolist()
        ([[-1, 1], [1, 0]], [2, 6])
    """
    n_fields = len(comparisons)
    if len(levels) == 0:
        return np.zeros((0, n_fields), dtype=np.int8), np.zeros(0, dtype=np.int64)
    bits = max(max(len(c.levels) for c in comparisons).bit_length(), 1)
    if bits * n_fields > 62:
        if counts is None:
            rows, found = np.unique(levels, axis=0, return_counts=True)
            return rows.astype(np.int8), found.astype(np.int64)
        rows, inverse = np.unique(levels, axis=0, return_inverse=True)
        summed = np.bincount(inverse.reshape(-1), weights=counts, minlength=len(rows))
        return rows.astype(np.int8), summed.astype(np.int64)
    code = np.zeros(len(levels), dtype=np.int64)
    for f in range(n_fields):
        code = (code << bits) | (levels[:, f].astype(np.int64) + 1)
    if counts is None:
        code = np.sort(code)
    else:
        order = np.argsort(code, kind="stable")
        code = code[order]
    first = np.ones(len(code), dtype=bool)
    np.not_equal(code[1:], code[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    if counts is None:
        found = np.diff(np.r_[starts, len(code)]).astype(np.int64)
    else:
        found = np.add.reduceat(np.asarray(counts, dtype=np.int64)[order], starts)
    unique = code[starts]
    patterns = np.empty((len(unique), n_fields), dtype=np.int8)
    mask = (1 << bits) - 1
    for f in range(n_fields - 1, -1, -1):
        patterns[:, f] = (unique & mask) - 1
        unique = unique >> bits
    return patterns, found


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
    fix_u: bool | Sequence[bool] = True,
    fix_m: bool = False,
) -> EMResult:
    """Expectation–maximisation of ``m`` and the prior on level patterns.

    ``u`` stays fixed unless ``fix_u=False`` (or, per field, a sequence of flags);
    ``fix_m=True`` fits the prior only.

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
    keep_u = [fix_u] * n_fields if isinstance(fix_u, bool) else [bool(x) for x in fix_u]
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
            if keep_u[f]:
                new_u.append(u_now[f])
            else:
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
        >>> from crmclean.encode import encode_keys
        >>> names = ["smith"] * 300 + ["zelenko"] * 3 + [f"x{i}" for i in range(697)]
        >>> keys = encode_keys({"family": names})
        >>> c = Comparison("family", "string", tf=True)
        >>> adj = tf_adjustments(keys, c, np.array([0, 300]), np.array([3, 3], dtype=np.int8))
        >>> adj.round(2).tolist()
        [-1.74, 5.49]
    """
    if not comparison.tf or not comparison.has_exact_key_level():
        return np.zeros(len(left), dtype=np.float64)
    column = keys[comparison.key_column]
    counts, total, shared = value_counts(column.codes, len(column.vocab))
    return tf_of_counts(comparison, levels, lambda where: counts[column.codes[left[where]]],
                        total, shared)  # fmt: skip


def tf_of_counts(
    comparison: Comparison,
    levels: npt.NDArray[np.int8],
    value_count: Callable[[IntArray], FloatArray] | FloatArray,
    total: float,
    shared: float,
) -> FloatArray:
    """The term-frequency adjustment (bits) of each pair for one field, from value counts:
    ``value_count`` gives, for pairs at the given positions, how many records hold the first
    record's key (an array aligned with the pairs, or a function of the positions), ``total``
    and ``shared`` are those of :func:`value_counts`. Pairs below the exact level get 0.

    :func:`tf_adjustments` counts the values of its keys; an engine that counts them in a
    distributed aggregation passes its counts here, and both give the same adjustment.

    Example:
        >>> c = Comparison("family", "string", tf=True)
        >>> levels = np.array([3, 3, 0], dtype=np.int8)
        >>> tf_of_counts(c, levels, np.array([300.0, 3.0, 1.0]), 1000.0, 44854.0).round(2).tolist()
        [-1.74, 5.49, 0.0]
    """
    out = np.zeros(len(levels), dtype=np.float64)
    if not comparison.tf or not comparison.has_exact_key_level():
        return out
    top = len(comparison.levels) - 1
    where = np.flatnonzero(levels == top)
    if len(where) == 0 or total < 2:
        return out
    found = value_count(where) if callable(value_count) else np.asarray(value_count)[where]
    # the chance that another random record shares this record's value, against the chance
    # that two random records share theirs (with the same pseudo-pairs as the exact-level u)
    others = np.maximum(found - 1, 0)
    out[where] = tf_bits(others, total, np.full(len(where), shared))
    return out


def capped_tf(comparison: Comparison, adjustment: FloatArray) -> FloatArray:
    """Term-frequency adjustments bounded by the comparison's ceiling
    (:func:`crmclean.fields.tf_ceiling_of`: names add at most 2 bits for a rare value).

    Example:
        >>> capped_tf(Comparison("family", "family_name"), np.array([-1.5, 5.5])).tolist()
        [-1.5, 2.0]
    """
    ceiling = fields.tf_ceiling_of(comparison)
    return adjustment if ceiling is None else np.minimum(adjustment, ceiling)


def value_counts(
    codes: npt.NDArray[np.int32], vocab_size: int
) -> tuple[FloatArray, float, float]:
    """How often each key occurs, how many records have a key, and how many pairs of records
    share theirs: the value counts term-frequency adjustments read.

    Example:
        >>> counts, total, shared = value_counts(np.array([0, 0, 1, -1], dtype=np.int32), 2)
        >>> counts.tolist(), total, shared
        ([2.0, 1.0], 3.0, 1.0)
    """
    counts = np.bincount(codes[codes >= 0], minlength=vocab_size).astype(np.float64)
    return counts, float(counts.sum()), float((counts * (counts - 1) / 2).sum())


def tf_bits(others: FloatArray, total: float, shared: FloatArray) -> FloatArray:
    """The term-frequency adjustment (bits) of an exact agreement on values that ``others``
    other records share, in a population of ``total`` values among which ``shared`` pairs of
    records share their value: ``log2(average / freq)``, positive for a rare value.

    Callers pass their own counts: a table's own (:func:`value_counts`), or an index's plus a
    new batch's.

    Example:
        >>> tf_bits(np.array([299.0, 2.0]), 1000.0, np.array([44854.0, 44854.0])).round(2).tolist()
        [-1.74, 5.49]
    """
    if total < 2:
        return np.zeros(len(others))
    freq = others * total / (total * (total - 1) + 2 * _PSEUDO_PAIRS)
    average = shared / (total * (total - 1) / 2 + _PSEUDO_PAIRS)
    with np.errstate(divide="ignore"):
        return np.asarray(np.log2(average / np.maximum(freq, _FLOOR)), dtype=np.float64)


def weight_table(comparison: Comparison) -> FloatArray:
    """A fitted comparison's match weight per level, ``log2(m / u)``, with a trailing 0 for
    the null level, so that ``weight_table(c)[levels]`` weighs a level column.

    Raises:
        ConfigError: the comparison is not fitted.

    Example:
        >>> weight_table(Comparison("a", "exact", m=(0.1, 0.9), u=(0.9, 0.1))).round(2).tolist()
        [-3.17, 3.17, 0.0]
    """
    if comparison.m is None or comparison.u is None:
        raise ConfigError(f"comparison {comparison.name!r} is not fitted (no m and u)")
    table: FloatArray = np.r_[np.log2(np.asarray(comparison.m) / np.asarray(comparison.u)), 0.0]
    return table


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
        total += weight_table(comparison)[levels[:, f]]
    return total


def match_probability(weights: FloatArray) -> FloatArray:
    """Match probability from match weight: ``2^w / (1 + 2^w)``.

    Example:
        >>> match_probability(np.array([0.0, 10.0])).round(4).tolist()
        [0.5, 0.999]
    """
    return 1.0 / (1.0 + np.exp2(-np.clip(weights, -1000, 1000)))



# --- fitting, scoring and explaining pairs ------------------------------------------------


def _involved(comparison: Comparison, rule: BlockingRule) -> bool:
    """Whether a blocking rule's keys decide part of this comparison's levels."""
    own = comparison.deciding_columns
    return any(base_key_column(k) in own for k in rule.keys)


def rule_agreement(
    keys: EncodedKeys, rules: Sequence[object], left: IntArray, right: IntArray
) -> IntArray:
    """Per pair, a bit mask of the blocking rules whose keys the two records share (bit ``k``
    for ``rules[k]``; sorted-neighbourhood passes and other entries never set theirs): the
    rules a pair teaches EM about (see :func:`fit_model`).

    Raises:
        ConfigError: more than 62 rules.

    Example:
        >>> from crmclean.encode import encode_keys
        >>> keys = encode_keys({"email": ["a@x.org", "a@x.org", "b@x.org"],
        ...                     "family": ["lee", "lee", "lee"]})
        >>> rules = [BlockingRule(("email",)), BlockingRule(("family",))]
        >>> rule_agreement(keys, rules, np.array([0, 0]), np.array([1, 2])).tolist()
        [3, 2]
    """
    if len(rules) > 62:
        raise ConfigError("at most 62 blocking rules")
    out = np.zeros(len(left), dtype=np.int64)
    for k, rule in enumerate(rules):
        if not isinstance(rule, BlockingRule):
            continue
        mask = np.ones(len(left), dtype=bool)
        for key in rule.keys:
            codes = keys[key].codes
            cl = codes[left]
            mask &= (cl >= 0) & (cl == codes[right])
        out[mask] |= np.int64(1) << k
    return out


@attrs.frozen(eq=False)
class PatternCounts:
    """Candidate pairs summed up for fitting: each distinct combination of comparison levels
    and agreeing blocking rules, and how many pairs show it.

    This is all :func:`fit_counts` reads of the pairs, and it adds up: the counts of several
    batches of pairs, combined (:meth:`combine`), are the counts of all of them. An engine that
    compares its pairs in partitions sums these per partition and never gathers the pairs.

    Attributes:
        patterns: a ``(rows, fields)`` int8 matrix of levels (``-1`` = null).
        rules: per row, the bit mask of :func:`rule_agreement`.
        counts: per row, the pairs that show it.

    Example:
        >>> pc = PatternCounts(np.array([[1], [1]], dtype=np.int8), np.array([1, 1]),
        ...                    np.array([3, 4]))
        >>> c = pc.combine([Comparison("email", "exact")])
        >>> c.patterns.tolist(), c.rules.tolist(), c.counts.tolist(), c.pairs
        ([[1]], [1], [7], 7)
    """

    patterns: LevelMatrix
    rules: IntArray
    counts: IntArray

    @property
    def pairs(self) -> int:
        """The pairs counted."""
        return int(self.counts.sum())

    @classmethod
    def of_pairs(
        cls,
        levels: LevelMatrix,
        rules: IntArray,
        comparisons: Sequence[Comparison],
    ) -> PatternCounts:
        """The counts of a batch of pairs: their levels and :func:`rule_agreement` masks.

        Example:
            >>> lv = np.array([[1], [1], [0]], dtype=np.int8)
            >>> pc = PatternCounts.of_pairs(lv, np.array([1, 1, 0]), [Comparison("e", "exact")])
            >>> pc.patterns.tolist(), pc.rules.tolist(), pc.counts.tolist()
            ([[0], [1]], [0, 1], [1, 2])
        """
        return cls(levels, np.asarray(rules, dtype=np.int64),
                   np.ones(len(levels), dtype=np.int64)).combine(comparisons)  # fmt: skip

    @classmethod
    def concat(cls, parts: Sequence[PatternCounts]) -> PatternCounts:
        """The rows of several counts one after the other (:meth:`combine` adds up the equal
        ones).

        Example:
            >>> a = PatternCounts(np.array([[1]], dtype=np.int8), np.array([0]), np.array([2]))
            >>> both = PatternCounts.concat([a, a]).combine([Comparison("e", "exact")])
            >>> both.counts.tolist()
            [4]
        """
        rules = [np.asarray(p.rules, dtype=np.int64) for p in parts]
        counts = [np.asarray(p.counts, dtype=np.int64) for p in parts]
        return cls(np.concatenate([p.patterns for p in parts]), np.concatenate(rules),
                   np.concatenate(counts))  # fmt: skip

    def combine(self, comparisons: Sequence[Comparison]) -> PatternCounts:
        """Equal rows combined, their counts added; rows in one fixed order (by rule mask,
        then levels), whatever the order they came in.

        Example:
            >>> pc = PatternCounts(np.array([[0], [1], [0]], dtype=np.int8),
            ...                    np.array([0, 0, 0]), np.array([1, 1, 1]))
            >>> pc.combine([Comparison("e", "exact")]).counts.tolist()
            [2, 1]
        """
        n_fields = len(comparisons)
        n = len(self.counts)
        if n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return PatternCounts(np.zeros((0, n_fields), dtype=np.int8), empty, empty.copy())
        rules = np.asarray(self.rules, dtype=np.int64)
        bits = max(max(len(c.levels) for c in comparisons).bit_length(), 1)
        rule_bits = int(rules.max()).bit_length()
        if bits * n_fields + rule_bits <= 62:  # one int64 per row: rule mask, then levels
            code = rules.copy()
            for f in range(n_fields):
                code = (code << bits) | (self.patterns[:, f].astype(np.int64) + 1)
        else:  # rank the distinct rows instead
            wide = np.empty((n, n_fields + 2), dtype=np.int64)
            wide[:, 0] = rules >> 31
            wide[:, 1] = rules & ((1 << 31) - 1)
            wide[:, 2:] = self.patterns
            _, code = np.unique(wide, axis=0, return_inverse=True)
            code = code.reshape(-1).astype(np.int64)
        order = np.argsort(code, kind="stable")
        sorted_code = code[order]
        first = np.ones(n, dtype=bool)
        np.not_equal(sorted_code[1:], sorted_code[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        keep = order[starts]
        return PatternCounts(
            np.ascontiguousarray(self.patterns[keep], dtype=np.int8),
            rules[keep],
            np.add.reduceat(np.asarray(self.counts, dtype=np.int64)[order], starts),
        )


def _robust_m(estimates: list[npt.NDArray[np.float64]]) -> tuple[float, ...]:
    """The lower-median estimate, ordered by how often matches disagree (m of level 0).

    A rule whose pairs share something besides the person (a switchboard phone, an office
    postcode) can lead EM to take "same organisation" for "same person"; its estimate then
    says matches often disagree on names. Taking the lower median over the rules keeps such
    runs from deciding.
    """
    ordered = sorted(estimates, key=lambda m: float(m[0]))
    return tuple(float(x) for x in ordered[(len(ordered) - 1) // 2])


def shape_m(
    m: Sequence[float], u: Sequence[float], floor: float = 0.05, fixed: bool = False
) -> tuple[float, ...]:
    """``m`` made fit to score with: the lowest level (a plain disagreement) floored, so that
    one field can veto a pair only where the floor is low (``fixed``: the floor is the
    value; see ``FieldComparison.conflict_floor``), and the weights ``log2(m/u)``
    made non-decreasing from the lowest level to the highest (pooled adjacent violators,
    each level weighted by its ``u``).

    Example:
        >>> [round(x, 3) for x in shape_m((0.0, 0.3, 0.1, 0.6), (0.7, 0.2, 0.05, 0.05))]
        [0.05, 0.285, 0.095, 0.57]
    """
    mm = np.asarray(m, dtype=np.float64).copy()
    uu = np.maximum(np.asarray(u, dtype=np.float64), _FLOOR)
    if len(mm) < 2:
        return tuple(float(x) for x in mm)
    top = mm[1:].sum()
    mm[0] = floor if fixed else max(mm[0], floor)
    if top > 0:
        mm[1:] *= (1.0 - mm[0]) / top
    # pool adjacent violators of "weight does not fall as the level rises"
    blocks: list[list[float]] = []  # [sum m, sum u, levels]
    for k in range(len(mm)):
        blocks.append([mm[k], uu[k], 1.0])
        while len(blocks) > 1 and (blocks[-2][0] / blocks[-2][1]) > (blocks[-1][0] / blocks[-1][1]):
            a, b = blocks[-2], blocks.pop()
            a[0] += b[0]
            a[1] += b[1]
            a[2] += b[2]
    out: list[float] = []
    k = 0
    for total_m, total_u, size in blocks:
        ratio = total_m / total_u
        for _ in range(int(size)):
            out.append(ratio * uu[k])
            k += 1
    shaped = np.maximum(np.asarray(out), _FLOOR)
    return tuple(float(x) for x in shaped / shaped.sum())


# Evidence whose agreement goes with the names of people who are not the same person: people
# of one name live in one country and city more often than random pairs do (names follow
# language and region), work at the companies of their region, hold the titles of their trade.
_CONDITIONAL: Final = ("place", "person_or_place", "descriptive")


def _conditional_u(
    comparisons: Sequence[Comparison],
    patterns: LevelMatrix,
    counts: IntArray,
    m: Sequence[Sequence[float]],
    u: Sequence[Sequence[float]],
    settings: MatchSettings,
) -> list[tuple[float, ...]]:
    """``u`` of place and descriptive fields as non-matches among the candidates show it,
    where that is higher than among random pairs.

    Random pairs tell how often two people agree on a city; candidate pairs, which mostly
    share a name, tell how often two *namesakes* do, and that is what a score has to weigh.
    The names' own ``u`` and the exact agreement of identifiers and phones stay those of
    random pairs (a shared line is weighed down by its term frequency instead)."""
    final = fit_em(
        patterns, counts, u, m, prior_start=settings.prior or 0.1,
        max_iter=settings.em_max_iter, tol=settings.em_tol, fix_m=True, fix_u=False,
    )  # fmt: skip
    out = []
    for c, random_u, candidate_u in zip(comparisons, u, final.u, strict=True):
        evidence = fields.evidence_of(c)
        if evidence in ("name", "person_trait") or len(random_u) < 2:
            out.append(tuple(random_u))
            continue
        # an identifier's or a phone's exact agreement keeps the u of random pairs; the partial
        # levels (similar emails made of the same name) are weighed as namesakes show them
        top = len(random_u) if evidence in ("place", "descriptive") else len(random_u) - 1
        agree = np.asarray(random_u[1:], dtype=np.float64).copy()
        agree[: top - 1] = np.maximum(agree[: top - 1], np.asarray(candidate_u[1:top]))
        agree = np.minimum(agree, 1.0 - _FLOOR)
        total = agree.sum()
        if total >= 1.0 - _FLOOR:
            agree = agree * (1.0 - _FLOOR) / total
        out.append((float(1.0 - agree.sum()), *(float(x) for x in agree)))
    return out


def prior_over_all_pairs(
    patterns: LevelMatrix,
    counts: IntArray,
    m: Sequence[Sequence[float]],
    u: Sequence[Sequence[float]],
    total_pairs: float,
    *,
    max_iter: int = 200,
) -> float:
    """The share of matches among all pairs of records, with ``m`` and ``u`` fixed.

    Blocking keeps (nearly) every match among the candidate pairs, so the expected number of
    matches is the sum of the candidates' match probabilities; the prior is that number over
    all pairs (a fixed point, found by iterating). Because ``u`` comes from random pairs,
    scores built on this prior mean the same whatever the blocking rules were.

    Example:
        >>> patterns = np.array([[1], [0]], dtype=np.int8)  # 100 candidates agree, 900 not
        >>> p = prior_over_all_pairs(patterns, np.array([100, 900]), [(0.05, 0.95)],
        ...                          [(0.999, 0.001)], 10_000)  # random pairs: 10 agree
        >>> round(p * 10_000)  # matches expected among the 10,000 pairs
        90
    """
    if len(patterns) == 0:
        return min(max(1.0 / total_pairs, 1e-12), 0.5)
    weights = counts.astype(np.float64)
    log_ratio = _log_sum(patterns, _log_table(m)) - _log_sum(patterns, _log_table(u))
    prior = float(max(min(0.1 * weights.sum() / total_pairs, 0.5), 1e-12))
    for _ in range(max_iter):
        odds = math.log(prior / (1 - prior)) + log_ratio
        expected = float((weights / (1.0 + np.exp(-np.clip(odds, -700, 700)))).sum())
        new = min(max(expected / total_pairs, 1e-12), 0.5)
        if abs(new - prior) <= 1e-9 * prior:
            prior = new
            break
        prior = new
    return prior


def _persons_check(
    comparisons: Sequence[Comparison],
    m: list[tuple[float, ...]],
    u: Sequence[Sequence[float]],
    m_start: Sequence[Sequence[float]],
    fitted: Sequence[bool],
    *,
    stacklevel: int = 5,
) -> list[tuple[float, ...]]:
    """Check that the fitted match class is persons: a full agreement on a name or a
    personal identifier must be far likelier among matches than among random pairs (at least
    four times). A fit that found another class (households, companies, one family name) fails
    it; its comparisons then fall back to the starting ``m``, with a warning."""
    failed = []
    for f, c in enumerate(comparisons):
        if not fitted[f] or fields.evidence_of(c) not in ("name", "person") or len(c.levels) < 2:
            continue
        if m[f][-1] < 4.0 * u[f][-1]:
            failed.append(f)
    if not failed:
        return m
    warnings.warn(
        f"the fitted model did not describe persons for {len(failed)} comparison(s) "
        "(agreement was not much likelier among matches than among random pairs); their "
        "starting values are used",
        MatchingWarning,
        stacklevel=stacklevel,
    )
    out = list(m)
    for f in failed:
        out[f] = shape_m(m_start[f], u[f], *fields.conflict_floor_of(comparisons[f]))
    return out


@attrs.frozen
class FitResult:
    """What :func:`fit_model` found: the fitted settings and how EM went.

    Example:
        >>> from crmclean.settings import default_settings
        >>> FitResult(default_settings(["email"]), 0, True).converged
        True
    """

    settings: MatchSettings
    iterations: int
    converged: bool


def fit_model(
    settings: MatchSettings,
    keys: EncodedKeys,
    levels: npt.NDArray[np.int8],
    left: IntArray,
    right: IntArray,
    *,
    seed: int = 0,
    n_left: int | None = None,
) -> FitResult:
    """Fit u on random pairs, m by EM per blocking rule, then the prior (no labels needed).

    1. u of every field from random pairs of the whole table (:func:`estimate_u`).
    2. The candidate pairs summed up by level pattern and agreeing rules
       (:class:`PatternCounts`), and the rest fitted from those counts (:func:`fit_counts`).

    Example:
        >>> from crmclean.encode import encode_keys
        >>> from crmclean.settings import default_settings
        >>> keys = encode_keys({"email": ["a@x.org", "a@x.org", "b@x.org"] * 20})
        >>> s = default_settings(keys.names)
        >>> left, right = np.array([0, 2]), np.array([1, 5])
        >>> levels = compare_all(keys, s.comparisons, left, right)
        >>> fit_model(s, keys, levels, left, right).settings.fitted
        True
    """
    comparisons = settings.comparisons
    u = estimate_u(keys, comparisons, n_pairs=settings.u_pairs, seed=seed, n_left=n_left)
    if len(levels) <= PAIR_CHUNK:
        counts = PatternCounts.of_pairs(
            levels, rule_agreement(keys, settings.blocking, left, right), comparisons
        )
    else:  # a chunk of pairs at a time (counts add up): the rule masks and pattern codes of
        # all pairs are never held at once
        counts = PatternCounts.concat([
            PatternCounts.of_pairs(
                levels[start:start + PAIR_CHUNK],
                rule_agreement(keys, settings.blocking, left[start:start + PAIR_CHUNK],
                               right[start:start + PAIR_CHUNK]),
                comparisons,
            )
            for start in range(0, len(levels), PAIR_CHUNK)
        ]).combine(comparisons)  # fmt: skip
    return fit_counts(settings, u, counts, all_pairs(keys.n, n_left), stacklevel=5)


#: Pairs handled at a time by the whole-column steps of fitting and scoring: their results
#: are the same as in one go, their temporary arrays a few tens of megabytes.
PAIR_CHUNK: Final = 4_000_000


def all_pairs(n: int, n_left: int | None = None) -> float:
    """The pairs of records a run could compare: ``n(n-1)/2``, or across two tables
    ``n_left · (n - n_left)`` (at least 1).

    Example:
        >>> all_pairs(4), all_pairs(4, n_left=1)
        (6.0, 3.0)
    """
    if n_left is None:
        return max(n * (n - 1) / 2, 1.0)
    return max(float(n_left * (n - n_left)), 1.0)


def fit_counts(
    settings: MatchSettings,
    u: Sequence[Sequence[float]],
    counts: PatternCounts,
    total_pairs: float,
    *,
    stacklevel: int = 2,
) -> FitResult:
    """Fit m by EM per blocking rule, then the prior, from the candidate pairs' counts.

    Every engine fits here: the in-memory one through :func:`fit_model`, a distributed one with
    counts summed over its partitions and ``u`` from :func:`u_from_counts`.

    1. m by EM rule by rule: the pairs a blocking rule produced all agree on the rule's keys,
       so EM on the fields the rule leaves free can tell matches from non-matches; the u of
       place and descriptive fields is learnt among the rule's pairs too (namesakes share
       places more often than random pairs). Each field's m is the lower median of its
       estimates (:func:`_robust_m`).
    2. m shaped (:func:`shape_m`: conflict floors from the field registry, weights monotone in
       the level) and checked (the persons check: a name or identifier agreement must be far
       likelier among matches than among random pairs, else the starting values are used).
    3. u of place and descriptive fields, and of identifiers' partial levels, raised to what
       non-matching candidates show where that is higher.
    4. The prior: the share of matches among all ``total_pairs`` pairs
       (:func:`prior_over_all_pairs`).

    Args:
        settings: the comparisons, rules and EM options.
        u: per comparison, ``u`` of each level (from random pairs).
        counts: the candidate pairs' :class:`PatternCounts`.
        total_pairs: the pairs of records the run could compare (:func:`all_pairs`).
        stacklevel: of the :class:`MatchingWarning` s.

    Example:
        >>> from crmclean.settings import default_settings
        >>> s = default_settings(["email"])
        >>> pc = PatternCounts(np.array([[3], [0]], dtype=np.int8), np.array([1, 0]),
        ...                    np.array([40, 60]))
        >>> u = [(0.97, 0.01, 0.01, 0.01)]
        >>> fit_counts(s, u, pc, 10_000).settings.fitted
        True
    """
    comparisons = settings.comparisons
    m_start = [c.m if c.m is not None else starting_m(c) for c in comparisons]
    estimates: list[list[npt.NDArray[np.float64]]] = [[] for _ in comparisons]
    iterations, converged = 0, True
    if counts.pairs == 0:
        warnings.warn(
            "no candidate pairs to learn from; the model keeps its starting values",
            MatchingWarning,
            stacklevel=stacklevel,
        )
    for k, rule in enumerate(settings.blocking):
        if not isinstance(rule, BlockingRule):
            continue
        free = [f for f, c in enumerate(comparisons) if not _involved(c, rule)]
        if not free:
            continue
        mask = ((counts.rules >> k) & 1) == 1
        if int(counts.counts[mask].sum()) < _MIN_TRAINING_PAIRS:
            continue
        chosen = [comparisons[f] for f in free]
        patterns, found = level_patterns(counts.patterns[mask][:, free], chosen,
                                         counts=counts.counts[mask])  # fmt: skip
        # non-matches that share a rule's key (a name) share places more often than random
        # pairs do: the u of place and descriptive fields is learned among the rule's pairs
        result = fit_em(
            patterns, found, [u[f] for f in free], [m_start[f] for f in free],
            prior_start=0.1, max_iter=settings.em_max_iter, tol=settings.em_tol,
            fix_u=[fields.evidence_of(c) not in _CONDITIONAL for c in chosen],
        )  # fmt: skip
        iterations += result.iterations
        converged = converged and result.converged
        present = (patterns >= 0).T @ found  # per free field: pairs where it has a value
        for j, f in enumerate(free):
            if present[j] >= _MIN_TRAINING_PAIRS:  # a field without values learns nothing
                estimates[f].append(np.asarray(result.m[j]))
    m = [_robust_m(found) if found else tuple(m_start[f]) for f, found in enumerate(estimates)]
    m = [shape_m(mm, uu, *fields.conflict_floor_of(c))
         for mm, uu, c in zip(m, u, comparisons, strict=True)]  # fmt: skip
    m = _persons_check(comparisons, m, u, m_start, [bool(e) for e in estimates],
                       stacklevel=stacklevel + 1)  # fmt: skip
    patterns, found = level_patterns(counts.patterns, comparisons, counts=counts.counts)
    if len(patterns):
        u = _conditional_u(comparisons, patterns, found, m, u, settings)
    prior = prior_over_all_pairs(patterns, found, m, u, total_pairs)
    fitted = [
        attrs.evolve(c, m=mm, u=tuple(uu)) for c, mm, uu in zip(comparisons, m, u, strict=True)
    ]
    return FitResult(attrs.evolve(settings, comparisons=fitted, prior=prior), iterations, converged)


def score_pairs(
    keys: EncodedKeys,
    settings: MatchSettings,
    levels: npt.NDArray[np.int8],
    left: IntArray,
    *,
    n_left: int | None = None,
    guard: bool = True,
    tf: Sequence[FloatArray | None] | None = None,
) -> FloatArray:
    """Match weights (bits) of pairs: prior, each field's weight and term-frequency adjustment,
    correlated fields' positive evidence counted once and their negative evidence once, then
    the name guard.

    ``tf`` (one entry per comparison) gives term-frequency adjustments computed elsewhere (by
    an index whose value counts are not those of ``keys``); ``None`` entries are computed.

    Example:
        >>> from crmclean.encode import encode_keys
        >>> keys = encode_keys({"email": ["a@x.org", "a@x.org", "b@y.org"]})
        >>> s = MatchSettings([Comparison("email", "email", m=(0.05, 0.05, 0.1, 0.8),
        ...                                u=(0.9, 0.05, 0.04, 0.01))],
        ...                   [BlockingRule(("email",))], prior=0.01)
        >>> left = np.array([0, 0])
        >>> levels = compare_all(keys, s.comparisons, left, np.array([1, 2]))
        >>> score_pairs(keys, s, levels, left).round(2).tolist()
        [-0.31, -10.8]
    """
    assert settings.prior is not None
    if len(levels) > PAIR_CHUNK:  # a chunk at a time: the same weights, small temporaries
        out = np.empty(len(levels), dtype=np.float64)
        for start in range(0, len(levels), PAIR_CHUNK):
            stop = min(start + PAIR_CHUNK, len(levels))
            part_tf = None if tf is None else [None if t is None else t[start:stop] for t in tf]
            out[start:stop] = score_pairs(keys, settings, levels[start:stop], left[start:stop],
                                          n_left=n_left, guard=guard, tf=part_tf)  # fmt: skip
        return out
    comparisons = settings.comparisons
    weights = np.full(len(levels), math.log2(settings.prior / (1 - settings.prior)))
    grouped = {name: g for g, group in enumerate(settings.correlated) for name in group}
    best = [np.zeros(len(levels)) for _ in settings.correlated]
    worst = [np.zeros(len(levels)) for _ in settings.correlated]
    for f, comparison in enumerate(comparisons):
        part = weight_table(comparison)[levels[:, f]]
        given = tf[f] if tf is not None else None
        if given is not None:
            part = part + capped_tf(comparison, given)
        elif comparison.tf:
            adjustment = tf_adjustments(keys, comparison, left, levels[:, f], n_left=n_left)
            part = part + capped_tf(comparison, adjustment)
        g = grouped.get(comparison.name)
        if g is None:
            weights += part
        else:  # of the positive evidence and of the negative, only the strongest counts
            np.minimum(worst[g], part, out=worst[g])
            np.maximum(best[g], part, out=best[g])
    for strongest, weakest in zip(best, worst, strict=True):
        weights += strongest + weakest
    if guard:
        apply_name_guard(settings, levels, weights)
    return weights


def conflicting_pairs(settings: MatchSettings, levels: npt.NDArray[np.int8]) -> BoolArray:
    """Pairs that disagree on a field whose conflict never happens within one person
    (``FieldComparison.conflict_fixed``: Jr. and Sr.). Clustering keeps their records apart
    as it keeps a cannot-link decision, so that no chain of likely links joins a father and
    his son.

    Example:
        >>> s = MatchSettings([Comparison("suffix", "exact"), Comparison("given", "given_name")],
        ...                   [BlockingRule(("given",))])
        >>> conflicting_pairs(s, np.array([[0, 6], [1, 6], [-1, 6]], dtype=np.int8)).tolist()
        [True, False, False]
    """
    out = np.zeros(len(levels), dtype=bool)
    for f, c in enumerate(settings.comparisons):
        if fields.conflict_floor_of(c)[1]:
            out |= levels[:, f] == 0
    return out


def name_guard_masks(
    settings: MatchSettings, levels: npt.NDArray[np.int8]
) -> tuple[BoolArray | None, BoolArray | None]:
    """The pairs the name guard keeps below the threshold, and among them the households (the
    same family name and place, plainly different given names); ``(None, None)`` when the
    settings have no guard or no given and family name comparisons.

    Example:
        >>> s = MatchSettings([Comparison("given", "given_name"), Comparison("family",
        ...     "family_name")], [BlockingRule(("family",))])
        >>> [m.tolist() for m in name_guard_masks(s, np.array([[0, 5], [6, 5]], dtype=np.int8))]
        [[True, False], [False, False]]
    """
    if not settings.name_guard:
        return None, None
    kinds = {c.kind: f for f, c in enumerate(settings.comparisons)}
    if "given_name" not in kinds or "family_name" not in kinds:
        return None, None
    given_differs = levels[:, kinds["given_name"]] == 0
    family_levels = len(settings.comparisons[kinds["family_name"]].levels)
    family_differs = levels[:, kinds["family_name"]] == 0
    family_same = levels[:, kinds["family_name"]] == family_levels - 1
    identified = np.zeros(len(levels), dtype=bool)  # a personal identifier agrees
    trait = np.zeros(len(levels), dtype=bool)  # a personal trait agrees (date of birth)
    place = np.zeros(len(levels), dtype=bool)  # an address, postcode or company agrees
    for f, c in enumerate(settings.comparisons):
        evidence = fields.evidence_of(c)
        agrees = levels[:, f] >= len(c.levels) - 2
        if evidence == "person":
            identified |= agrees
        elif evidence == "person_trait":
            trait |= agrees
        elif evidence == "place":
            place |= levels[:, f] == len(c.levels) - 1
    # a household (one place and family name, different given names) is not one person, even
    # on one birth date (twins); elsewhere a birth date lifts the guard of a differing name
    household = given_differs & family_same & place
    # a father and his son: one name, a generational suffix on one record only, not at one
    # employer (there it is one person writing his name two ways)
    one_only = np.zeros(len(levels), dtype=bool)
    if "generation" in kinds:
        one_only = levels[:, kinds["generation"]] == 1
        for f, c in enumerate(settings.comparisons):
            if c.name == "company":
                one_only &= levels[:, f] != len(c.levels) - 1
    vetoed = (given_differs | family_differs | one_only) & ~identified & (~trait | household)
    return vetoed, household & vetoed


def apply_name_guard(
    settings: MatchSettings, levels: npt.NDArray[np.int8], weights: FloatArray
) -> None:
    """Keep pairs whose given or family names plainly disagree, and that share no personal
    identifier, below the threshold (in place).

    A personal identifier is a comparison whose agreement is evidence of the person
    (:func:`crmclean.fields.evidence_of` ``"person"``: email, national id), agreeing at one of
    its two highest levels. A personal trait (``"person_trait"``: the date of birth) lifts the
    guard too, except for a household: the same family name and place (address, postcode,
    company) with plainly different given names — twins share a birth date.

    Example:
        >>> s = MatchSettings([Comparison("given", "given_name"), Comparison("family",
        ...     "family_name")], [BlockingRule(("family",))], threshold=0.5)
        >>> w = np.array([5.0, 5.0])
        >>> apply_name_guard(s, np.array([[0, 5], [6, 5]], dtype=np.int8), w)
        >>> w.tolist()
        [-1.0, 5.0]
    """
    vetoed, _ = name_guard_masks(settings, levels)
    if vetoed is None:
        return
    ceiling = settings.threshold_weight - 1.0
    np.minimum(weights, ceiling, out=weights, where=vetoed)


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
            ``(correlated)`` row (evidence of correlated fields counted once) and a
            ``(name guard)`` row (see :class:`MatchSettings`).
        match_weight: prior weight plus all contributions.
        match_probability: ``2^w / (1 + 2^w)``.
        is_candidate: whether blocking put the pair among the candidates.
        is_match: whether the pair is at or above the threshold.

    Example:
        >>> import crmclean
        >>> rows = [{"id": 1, "email": "a@x.org"}, {"id": 2, "email": "b@y.org"}]
        >>> crmclean.dedupe(rows, id_column="id").explain(1, 2).is_match
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
            >>> import crmclean
            >>> rows = [{"id": 1, "email": "b@acme.org"}, {"id": 2, "email": "b@acme.org"}]
            >>> crmclean.dedupe(rows, id_column="id").explain(1, 2).to_table()[0]["field"]
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


def _guard_label(settings: MatchSettings, levels: npt.NDArray[np.int8]) -> str:
    """Why the name guard holds a pair (one row of levels): a household, a generational
    suffix on one record only, or names that differ."""
    _, household = name_guard_masks(settings, levels)
    if household is not None and bool(household[0]):
        return "household"
    for f, c in enumerate(settings.comparisons):
        if c.kind == "generation" and levels[0, f] == 1:
            return "suffix on one record"
    return "names differ"


def _adjustment_rows(
    total: float, grouped: float, guarded: float, guard_label: str
) -> list[FieldContribution]:
    """The explanation rows for what the correlated-field grouping and the name guard changed:
    ``total`` is prior plus field weights, ``grouped`` the weight after grouping, ``guarded``
    the final weight."""
    rows = []
    if abs(grouped - total) > 1e-9:
        rows.append(FieldContribution("(correlated)", -1, "counted once", grouped - total, 0.0))
    if abs(guarded - grouped) > 1e-9:
        rows.append(FieldContribution("(name guard)", -1, guard_label, guarded - grouped, 0.0))
    return rows


def _role_mailbox(keys: EncodedKeys, left: IntArray, right: IntArray | None) -> bool:
    """Both records hold one role mailbox (``email_role`` key): the email gave no evidence."""
    if right is None or "email_role" not in keys.names:
        return False
    codes = keys["email_role"].codes
    a, b = int(codes[left[0]]), int(codes[right[0]])
    return a >= 0 and a == b


def explain_levels(
    settings: MatchSettings,
    keys: EncodedKeys,
    levels: npt.NDArray[np.int8],
    left: IntArray,
    *,
    id_l: object,
    id_r: object,
    is_candidate: bool,
    n_left: int | None = None,
    tf: Sequence[FloatArray | None] | None = None,
    right: IntArray | None = None,
) -> PairExplanation:
    """Explain one pair from its comparison levels (a one-row level matrix): the prior, each
    field's level and weight, and what correlated fields and the name guard changed.

    The rules of contact data show in the labels: an email field reads ``role_mailbox`` when
    both records hold the same team address (``right`` gives the second record), the name
    guard ``household``, and a conflict that keeps the records apart in clustering (Jr. and
    Sr.) adds a ``(kept apart)`` row.

    ``tf`` as for :func:`score_pairs` (adjustments computed by the caller); without it they
    come from ``keys``. Unfitted settings explain with weights of 0 and a prior of 0.5.

    Example:
        >>> from crmclean.encode import encode_keys
        >>> keys = encode_keys({"email": ["a@x.org", "a@x.org"]})
        >>> s = MatchSettings([Comparison("email", "email", m=(0.05, 0.05, 0.1, 0.8),
        ...                                u=(0.9, 0.05, 0.04, 0.01))],
        ...                   [BlockingRule(("email",))], prior=0.01)
        >>> left = np.array([0])
        >>> levels = compare_all(keys, s.comparisons, left, np.array([1]))
        >>> e = explain_levels(s, keys, levels, left, id_l=1, id_r=2, is_candidate=True)
        >>> e.contributions[0].label, round(e.match_weight, 2)
        ('exact', -0.31)
    """
    prior = settings.prior if settings.prior is not None else 0.5
    contributions = []
    for f, c in enumerate(settings.comparisons):
        level = int(levels[0, f])
        weight = 0.0
        if level >= 0 and c.m is not None and c.u is not None:
            weight = float(weight_table(c)[level])
        if tf is not None:
            found = tf[f]
            adjustment = float(capped_tf(c, found)[0]) if found is not None else 0.0
        else:
            adjustment = float(capped_tf(c, tf_adjustments(keys, c, left, levels[:, f],
                                                           n_left=n_left))[0])  # fmt: skip
        label = "null" if level < 0 else c.levels[level]
        if level < 0 and c.kind == "email" and _role_mailbox(keys, left, right):
            label = "role_mailbox"
        contributions.append(FieldContribution(c.name, level, label, weight, adjustment))
    prior_weight = math.log2(prior / (1 - prior))
    total = prior_weight + sum(c.total for c in contributions)
    if settings.fitted:
        grouped = float(score_pairs(keys, settings, levels, left, n_left=n_left, guard=False,
                                    tf=tf)[0])  # fmt: skip
        guarded = float(score_pairs(keys, settings, levels, left, n_left=n_left, tf=tf)[0])
        contributions += _adjustment_rows(total, grouped, guarded, _guard_label(settings, levels))
        total = guarded
    if conflicting_pairs(settings, levels)[0]:
        contributions.append(FieldContribution("(kept apart)", -1, "generational suffixes differ",
                                               0.0, 0.0))  # fmt: skip
    return PairExplanation(
        id_l=id_l,
        id_r=id_r,
        prior_weight=prior_weight,
        contributions=tuple(contributions),
        match_weight=total,
        match_probability=float(match_probability(np.array([total]))[0]),
        is_candidate=is_candidate,
        is_match=total >= settings.threshold_weight,
    )
