"""Would a few labelled pairs help? m probabilities counted on known matches against the fit.

crmclean fits its model without labels. This script measures what labels would add: it fits the
model on Splink's 20,000 synthetic people, then, for each number of labelled pairs, draws that
many known matching pairs from the true clusters, counts each field's agreement levels on them
(``MatchResult.explain``), and re-runs the matching with those m probabilities, either in place
of the fitted ones ("labels only") or blended with them, the fit counting as 10 pairs
("blended"). u and the prior stay as fitted. Scores are pairwise F1 of the final clusters.

Usage: python benchmarks/bench_labels.py [--data PATH] [--labels 20,50,200,1000]
(default data: ``../shared/data/splink_fake_20000.csv`` next to the repository)
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from pathlib import Path

import attrs
import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import crmclean
from _harness import machine_line, print_rows
from evaluate import score_clusters

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "splink_fake_20000.csv"
BLEND = 10  # the fitted m counts as this many labelled pairs


def f1(result: crmclean.MatchResult, truth: dict[str, str]) -> float:
    found = dict(zip(result.clusters["unique_id"], result.clusters["cluster_id"], strict=True))
    ids = list(truth)
    return score_clusters([found[i] for i in ids], [truth[i] for i in ids]).pairwise_f1


def with_labelled_m(
    settings: crmclean.MatchSettings, level_rows: list[list[int]], blend: int
) -> crmclean.MatchSettings:
    """The settings with each comparison's m counted on labelled matches (plus 0.5 per level),
    the fitted m counting as ``blend`` pairs."""
    comparisons = []
    for f, comparison in enumerate(settings.comparisons):
        levels = np.array([row[f] for row in level_rows])
        counts = np.bincount(levels[levels >= 0], minlength=len(comparison.levels))
        m = counts + 0.5 + blend * np.asarray(comparison.m)
        comparisons.append(attrs.evolve(comparison, m=tuple(float(x) for x in m / m.sum())))
    return attrs.evolve(settings, comparisons=tuple(comparisons))


def main() -> None:
    import pandas as pd

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=str(DEFAULT))
    parser.add_argument("--labels", default="20,50,200,1000")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    frame = pd.read_csv(args.data, dtype="string")
    truth = dict(zip(frame["unique_id"], frame["cluster"], strict=True))
    table = frame.drop(columns=["cluster"])
    fitted = crmclean.dedupe(table, id_column="unique_id")
    rows: list[list[object]] = [["none (the unlabelled fit)", f"{f1(fitted, truth):.4f}", ""]]
    members: dict[str, list[str]] = {}
    for record, entity in truth.items():
        members.setdefault(entity, []).append(record)
    matches = [p for g in members.values() for p in itertools.combinations(g, 2)]
    names = [c.name for c in fitted.settings.comparisons]
    for n in (int(x) for x in args.labels.split(",")):
        labelled = random.Random(args.seed + n).sample(matches, n)
        level_rows = []
        for a, b in labelled:
            by_field = {c.field: c.level for c in fitted.explain(a, b).contributions}
            level_rows.append([by_field[name] for name in names])
        scores = []
        for blend in (0, BLEND):
            settings = with_labelled_m(fitted.settings, level_rows, blend)
            scores.append(f1(crmclean.dedupe(table, id_column="unique_id", settings=settings),
                             truth))  # fmt: skip
        rows.append([f"{n} matching pairs", f"{scores[0]:.4f}", f"{scores[1]:.4f}"])
    print(machine_line())
    print_rows(["labelled pairs", "pairwise F1, labels only", "pairwise F1, blended"], rows)


if __name__ == "__main__":
    main()
