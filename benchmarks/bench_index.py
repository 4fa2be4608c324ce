"""Incremental matching speed: build a MatchIndex of N generated contacts, then time
``match_one`` on held-out records (latency distribution), ``match`` on a batch (throughput),
and ``save``/``load``.

The contacts come from ``generate.py`` (dirty records with duplicates); the model is fitted by
``crmclean.dedupe`` on the first ``--fit-rows`` records. The index is built with every record
its own cluster (clustering a million records is the engine benchmark's business). Held-out
records are generated with the same people, so many of them have a duplicate in the index.

    python benchmarks/bench_index.py --rows 1000000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import warnings

import numpy as np

import crmclean
from _harness import machine_line, print_rows
from crmclean.index import MatchIndex
from generate import generate_contacts


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _take(cols: dict[str, list[object]], start: int, stop: int) -> dict[str, list[object]]:
    return {name: values[start:stop] for name, values in cols.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="records in the index")
    parser.add_argument("--queries", type=int, default=2_000, help="match_one calls")
    parser.add_argument("--batch", type=int, default=10_000, help="records in the batch")
    parser.add_argument("--fit-rows", type=int, default=50_000, help="records to fit on")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(machine_line())
    total = args.rows + args.queries + args.batch
    clock = time.perf_counter()
    cols = generate_contacts(total, seed=args.seed)
    cols.pop("true_entity")
    print(f"generated {total:,} contacts in {time.perf_counter() - clock:.1f} s", file=sys.stderr)
    indexed = _take(cols, 0, args.rows)
    queries = _take(cols, args.rows, args.rows + args.queries)
    batch = _take(cols, args.rows + args.queries, total)
    rows: list[list[object]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clock = time.perf_counter()
        settings = crmclean.dedupe(
            _take(indexed, 0, min(args.fit_rows, args.rows)), id_column="record_id"
        ).settings
        rows.append([f"fit the model (dedupe of {min(args.fit_rows, args.rows):,})",
                     time.perf_counter() - clock, ""])  # fmt: skip
        clock = time.perf_counter()
        index = MatchIndex.build(indexed, "record_id", settings=settings)
        build = time.perf_counter() - clock
        rows.append([f"build the index ({args.rows:,} records, prepare included)", build, ""])
        rss_build = _peak_rss_mb()
        records = [
            {name: values[i] for name, values in queries.items()} for i in range(args.queries)
        ]
        index.match_one(records[0])  # warm-up: lazy tables and per-value caches
        latencies = np.empty(len(records))
        statuses: dict[str, int] = {}
        for i, record in enumerate(records):
            start = time.perf_counter()
            found = index.match_one(record)
            latencies[i] = (time.perf_counter() - start) * 1000
            statuses[found.status] = statuses.get(found.status, 0) + 1
        clock = time.perf_counter()
        matches = index.match(batch)
        batch_seconds = time.perf_counter() - clock
        rows.append([f"match a batch of {args.batch:,}", batch_seconds,
                     f"{args.batch / batch_seconds:,.0f} records/s; {matches.counts}"])  # fmt: skip
        clock = time.perf_counter()
        added = index.add(matches)
        rows.append([f"add the batch (new index of {len(added):,})",
                     time.perf_counter() - clock, ""])  # fmt: skip
        with tempfile.TemporaryDirectory() as directory:
            clock = time.perf_counter()
            index.save(directory + "/index")
            rows.append(["save", time.perf_counter() - clock, ""])
            clock = time.perf_counter()
            MatchIndex.load(directory + "/index")
            rows.append(["load (checksums and checks included)", time.perf_counter() - clock, ""])
    print_rows(["step", "seconds", "note"], rows)
    print()
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
    print_rows(
        [f"match_one on a {args.rows:,}-record index ({args.queries:,} calls)", "ms"],
        [["p50", float(p50)], ["p95", float(p95)], ["p99", float(p99)],
         ["max", float(latencies.max())], ["mean", float(latencies.mean())]],
    )  # fmt: skip
    print()
    print(f"statuses: {statuses}; peak RSS after build: {rss_build:,.0f} MB, "
          f"at the end: {_peak_rss_mb():,.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
