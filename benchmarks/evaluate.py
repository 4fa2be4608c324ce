"""Pairwise and B-cubed precision, recall and F1 of predicted clusters against true clusters.

Every figure is computed exactly from the contingency table of (predicted cluster, true
cluster) sizes; record pairs are never enumerated, so a million records score in about a
second. A pair is "predicted" when both records share a predicted cluster and "true" when
both share a true entity.

- Pairwise: precision = true pairs found / pairs predicted, recall = true pairs found / true
  pairs, where pairs are counted as C(n, 2) summed over the cells of the table.
- B-cubed: for each record, precision = |its predicted cluster ∩ its true cluster| / |its
  predicted cluster| and recall = the same / |its true cluster|, averaged over all records.
- Linking two tables (``source`` given): only pairs whose records come from different sources
  count for the pairwise figures (pairs inside one table are neither predicted nor true);
  B-cubed stays over all records.

When there is nothing to find or nothing was predicted the ratio is 1.0 by convention (no
predicted pairs: precision 1.0; no true pairs: recall 1.0); F1 is 0.0 when both are 0.

Usage:
    python benchmarks/evaluate.py PREDICTIONS.csv TRUTH.csv
        [--pred-id COL] [--pred-cluster COL] [--truth-id COL] [--truth-entity COL]
        [--truth-source COL]

PREDICTIONS.csv holds one row per record (id, cluster id); TRUTH.csv one row per record (id,
true entity), e.g. the generated data itself. Records missing from the predictions count as
singletons.

Example:
    >>> s = score_clusters(["x", "x", "y", "y", "y"], [1, 1, 1, 2, 2])
    >>> round(s.pairwise_f1, 3), round(s.bcubed_f1, 3)
    (0.5, 0.733)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Scores", "main", "read_clusters", "score_clusters", "score_mappings"]


@dataclass(frozen=True)
class Scores:
    """Accuracy of one clustering.

    Attributes:
        n_records: records scored.
        true_pairs: pairs of records of the same true entity.
        predicted_pairs: pairs of records in the same predicted cluster.
        true_positive_pairs: pairs that are both.
        pairwise_precision, pairwise_recall, pairwise_f1: pair counts' ratios.
        bcubed_precision, bcubed_recall, bcubed_f1: per-record ratios averaged over records.
    """

    n_records: int
    true_pairs: int
    predicted_pairs: int
    true_positive_pairs: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float

    def as_dict(self) -> dict[str, Any]:
        """The scores as a plain dict (for JSON)."""
        return asdict(self)


def _codes(labels: Any) -> np.ndarray:
    """Dense integer codes 0..k-1 for any sequence of hashable labels."""
    import pandas as pd

    if isinstance(labels, np.ndarray) and labels.dtype.kind in "iub":
        values: Any = labels
    else:
        values = pd.Series(list(labels), dtype=object)
    codes, _ = pd.factorize(values, sort=False, use_na_sentinel=False)
    return np.asarray(codes, dtype=np.int64)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def _pairs_within(groups: np.ndarray, source: np.ndarray | None) -> int:
    """Pairs inside the groups (only cross-source pairs when ``source`` codes are given)."""
    if groups.size == 0:
        return 0
    sizes = np.bincount(groups).astype(np.int64)
    if source is None:
        return int((sizes * (sizes - 1) // 2).sum())
    n_sources = int(source.max()) + 1
    per_source = np.bincount(groups * n_sources + source).astype(np.int64)
    # cross-source pairs of a group = (n^2 - sum over sources of n_s^2) / 2
    return int(((sizes * sizes).sum() - (per_source * per_source).sum()) // 2)


def score_clusters(
    predicted: Sequence[Any] | np.ndarray,
    truth: Sequence[Any] | np.ndarray,
    *,
    source: Sequence[Any] | np.ndarray | None = None,
) -> Scores:
    """Score predicted cluster labels against true entity labels, record by record.

    Args:
        predicted: the predicted cluster of each record (any hashable labels).
        truth: the true entity of each record, in the same record order.
        source: for two-table linking, the table of each record; then only pairs across
            tables count for the pairwise figures.

    Returns:
        The ``Scores``.

    Example:
        >>> score_clusters([1, 1, 2], ["a", "a", "b"]).pairwise_f1
        1.0
    """
    p = _codes(predicted)
    t = _codes(truth)
    n = int(p.size)
    if t.size != n:
        raise ValueError("predicted and truth must have the same length")
    s = _codes(source) if source is not None else None
    if s is not None and s.size != n:
        raise ValueError("source must have the same length as predicted and truth")
    if n == 0:
        return Scores(0, 0, 0, 0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)

    n_true = int(t.max()) + 1
    cell = p * n_true + t  # one code per (predicted, true) cell of the contingency table
    cell_codes = _codes(cell)

    true_pairs = _pairs_within(t, s)
    predicted_pairs = _pairs_within(p, s)
    hits = _pairs_within(cell_codes, s)
    precision = hits / predicted_pairs if predicted_pairs else 1.0
    recall = hits / true_pairs if true_pairs else 1.0

    # B-cubed from the cell sizes: each of the n_ij records of a cell scores n_ij / |cluster|.
    cell_ids, first, cell_sizes = np.unique(cell_codes, return_index=True, return_counts=True)
    del cell_ids
    pred_sizes = np.bincount(p)[p[first]].astype(np.float64)
    true_sizes = np.bincount(t)[t[first]].astype(np.float64)
    squares = cell_sizes.astype(np.float64) ** 2
    b_precision = float((squares / pred_sizes).sum() / n)
    b_recall = float((squares / true_sizes).sum() / n)

    return Scores(
        n_records=n,
        true_pairs=true_pairs,
        predicted_pairs=predicted_pairs,
        true_positive_pairs=hits,
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
    )


def score_mappings(
    predicted: dict[Any, Any],
    truth: dict[Any, Any],
    *,
    source: dict[Any, Any] | None = None,
) -> Scores:
    """Score ``{record id: cluster}`` against ``{record id: true entity}``.

    Records of ``truth`` missing from ``predicted`` count as singletons. A predicted id absent
    from ``truth`` is an error (a ``KeyError`` naming how many there are).
    """
    unknown = [k for k in predicted if k not in truth]
    if unknown:
        raise KeyError(f"{len(unknown)} predicted record ids are not in the truth")
    ids = list(truth)
    pred = [predicted.get(k, ("\0singleton", k)) for k in ids]  # never equal to a real label
    src = [source[k] for k in ids] if source is not None else None
    return score_clusters(pred, [truth[k] for k in ids], source=src)


def read_clusters(path: Path | str, id_column: str | None, value_column: str | None,
                  *, fallback: Sequence[str] = ()) -> tuple[dict[str, str], str, str]:
    """Read ``{id: value}`` from a CSV file (ids and values as text).

    ``id_column`` defaults to the first column; ``value_column`` to the first of ``fallback``
    present, else the second column.
    """
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    columns = list(frame.columns)
    if len(columns) < 2:
        raise ValueError(f"{path}: needs at least two columns")
    id_column = id_column or columns[0]
    if value_column is None:
        value_column = next((c for c in fallback if c in columns and c != id_column),
                            columns[1] if columns[1] != id_column else columns[0])
    for col in (id_column, value_column):
        if col not in columns:
            raise ValueError(f"{path}: no column {col!r} (columns: {', '.join(columns)})")
    ids = frame[id_column].tolist()
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: column {id_column!r} has duplicate ids")
    return dict(zip(ids, frame[value_column].tolist(), strict=True)), id_column, value_column


def format_scores(s: Scores) -> str:
    """The scores as a small Markdown table."""
    rows = [
        ("records", f"{s.n_records:,}"),
        ("true pairs", f"{s.true_pairs:,}"),
        ("predicted pairs", f"{s.predicted_pairs:,}"),
        ("true pairs found", f"{s.true_positive_pairs:,}"),
        ("pairwise precision", f"{s.pairwise_precision:.4f}"),
        ("pairwise recall", f"{s.pairwise_recall:.4f}"),
        ("pairwise F1", f"{s.pairwise_f1:.4f}"),
        ("B-cubed precision", f"{s.bcubed_precision:.4f}"),
        ("B-cubed recall", f"{s.bcubed_recall:.4f}"),
        ("B-cubed F1", f"{s.bcubed_f1:.4f}"),
    ]
    return "\n".join(["| measure | value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("predictions", help="CSV with one row per record: id, cluster id")
    parser.add_argument("truth", help="CSV with one row per record: id, true entity")
    parser.add_argument("--pred-id", help="id column of the predictions (default: first)")
    parser.add_argument("--pred-cluster",
                        help="cluster column of the predictions (default: cluster_id or second)")
    parser.add_argument("--truth-id",
                        help="id column of the truth (default: the predictions' id column)")
    parser.add_argument("--truth-entity",
                        help="entity column of the truth (default: true_entity, cluster, second)")
    parser.add_argument("--truth-source",
                        help="column naming each record's table, for two-table linking")
    args = parser.parse_args(argv)
    try:
        predicted, pred_id, _ = read_clusters(args.predictions, args.pred_id, args.pred_cluster,
                                              fallback=("cluster_id",))
        truth_id = args.truth_id or pred_id
        truth, _, _ = read_clusters(args.truth, truth_id, args.truth_entity,
                                    fallback=("true_entity", "cluster", "entity"))
        source = None
        if args.truth_source:
            source, _, _ = read_clusters(args.truth, truth_id, args.truth_source)
        missing = sum(1 for k in truth if k not in predicted)
        if missing:
            print(f"note: {missing:,} records have no prediction and count as singletons",
                  file=sys.stderr)
        scores = score_mappings(predicted, truth, source=source)
    except (ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_scores(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
