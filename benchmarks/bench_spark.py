"""The Spark engine in local mode against the in-memory engine, on the same generated contacts.

Writes ``--rows`` generated contacts (``generate.py``, ``--seed``) to a CSV (or reads
``--data``), then runs ``crmclean.dedupe`` (every core) on it and ``crmclean.spark.dedupe`` in a
``local[N]`` Spark session on it, in turn, and prints the seconds of each stage of both, the
Spark tasks' time and the shuffle written per stage (from the Spark UI's REST API on this
machine), and whether the two engines' clusters are the same (with the pairwise F1 between them
when they are not). A JSON file (``--json``) keeps every figure.

Usage:
    python benchmarks/bench_spark.py --rows 1000000 --seed 1 --driver-memory 8g
    python benchmarks/bench_spark.py --rows 20000 --partitions 8 --json out.json

Needs ``pip install -e ".[spark]"`` and a Java runtime.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
import urllib.request
import warnings
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

import crmclean
from _harness import machine_line, print_rows
from generate import generate_contacts, write_csv

STAGES = ("prepare", "block", "compare", "fit", "score", "cluster", "output")


def pairwise_f1(a: Mapping[Any, Any], b: Mapping[Any, Any]) -> float:
    """Pairwise F1 of clustering ``b`` against ``a`` (record → cluster): 1.0 when they put the
    same pairs of records together."""

    def pairs(clusters: Mapping[Any, Any]) -> Counter[Any]:
        return Counter(clusters.values())

    def together(x: Mapping[Any, Any], y: Mapping[Any, Any]) -> int:
        joint = Counter((x[k], y[k]) for k in x)
        return sum(c * (c - 1) // 2 for c in joint.values())

    both = together(a, b)
    in_a = sum(c * (c - 1) // 2 for c in pairs(a).values())
    in_b = sum(c * (c - 1) // 2 for c in pairs(b).values())
    if in_a == in_b == 0:
        return 1.0
    return 2 * both / (in_a + in_b)


def run_memory(path: Path) -> dict[str, Any]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["true_entity"])
    frame = frame.replace({"": None})
    start = time.perf_counter()
    result = crmclean.dedupe(frame, id_column="record_id")
    total = time.perf_counter() - start
    clusters = dict(zip(result.clusters["record_id"], result.clusters["cluster_id"], strict=True))
    return {"total": total, "timings": dict(result.stats.timings), "clusters": clusters,
            "candidate_pairs": result.stats.candidate_pairs,
            "matched_pairs": result.stats.matched_pairs,
            "settings": result.settings.to_json()}  # fmt: skip


def _rest(port: int, app: str, what: str) -> Any:
    url = f"http://127.0.0.1:{port}/api/v1/applications/{app}/{what}"
    with urllib.request.urlopen(url, timeout=60) as answer:  # the local Spark UI only
        return json.load(answer)


def stage_metrics(spark: Any, port: int) -> dict[str, dict[str, float]]:
    """Per crmclean stage (the engine names its jobs ``crmclean <stage>``): the Spark tasks'
    run time (seconds, summed over tasks), shuffle written and read (MB) and spilled (MB)."""
    app = spark.sparkContext.applicationId
    jobs = _rest(port, app, "jobs")
    stages = {s["stageId"]: s for s in _rest(port, app, "stages")}
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for job in jobs:
        name = str(job.get("description") or "").removeprefix("crmclean ")
        if name not in STAGES:
            continue
        for stage_id in job.get("stageIds", []):
            stage = stages.get(stage_id)
            if stage is None or stage.get("status") != "COMPLETE":
                continue
            row = out[name]
            row["task_s"] += stage.get("executorRunTime", 0) / 1000
            row["shuffle_write_mb"] += stage.get("shuffleWriteBytes", 0) / 1e6
            row["shuffle_read_mb"] += stage.get("shuffleReadBytes", 0) / 1e6
            row["spill_mb"] += stage.get("diskBytesSpilled", 0) / 1e6
    return {k: dict(v) for k, v in out.items()}


def run_spark(path: Path, cores: int, partitions: int, driver_memory: str,
              port: int) -> dict[str, Any]:  # fmt: skip
    from pyspark.sql import SparkSession

    import crmclean.spark

    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("crmclean-bench")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "20000")
        .config("spark.ui.port", str(port))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.ui.retainedJobs", "100000")
        .config("spark.ui.retainedStages", "100000")
        .config("spark.sql.ui.retainedExecutions", "100000")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        contacts = spark.read.csv(str(path), header=True, escape='"').drop("true_entity")
        start = time.perf_counter()
        result = crmclean.spark.dedupe(contacts, id_column="record_id")
        total = time.perf_counter() - start
        clusters = {r["record_id"]: r["cluster_id"] for r in result.clusters.toLocalIterator()}
        url = spark.sparkContext.uiWebUrl
        metrics = stage_metrics(spark, int(url.rsplit(":", 1)[1]) if url else port)
        return {"total": total, "timings": dict(result.stats.timings), "clusters": clusters,
                "candidate_pairs": result.stats.candidate_pairs,
                "matched_pairs": result.stats.matched_pairs, "metrics": metrics,
                "settings": result.settings.to_json()}  # fmt: skip
    finally:
        spark.stop()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", help="a CSV written by generate.py (default: write one)")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2,
                        help="Spark local mode cores (default: every core)")
    parser.add_argument("--partitions", type=int, default=16,
                        help="spark.sql.shuffle.partitions (default 16)")
    parser.add_argument("--driver-memory", default="8g")
    parser.add_argument("--port", type=int, default=4077, help="the Spark UI's port")
    parser.add_argument("--engines", default="memory,spark")
    parser.add_argument("--json", help="write every figure to this file")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", crmclean.MatchingWarning)
    engines = args.engines.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.data) if args.data else Path(tmp) / "contacts.csv"
        if not args.data:
            write_csv(generate_contacts(args.rows, args.seed), path)
        found: dict[str, dict[str, Any]] = {}
        if "memory" in engines:
            found["memory"] = run_memory(path)
            gc.collect()
        if "spark" in engines:
            found["spark"] = run_spark(path, args.cores, args.partitions, args.driver_memory,
                                       args.port)  # fmt: skip
    print(machine_line())
    print(f"{args.rows:,} generated contacts (seed {args.seed}); Spark local[{args.cores}], "
          f"{args.partitions} shuffle partitions, driver memory {args.driver_memory}")  # fmt: skip
    rows = []
    metrics = found.get("spark", {}).get("metrics", {})
    for stage in (*STAGES, "total"):
        memory = found.get("memory", {})
        spark = found.get("spark", {})
        m = memory.get("total") if stage == "total" else memory.get("timings", {}).get(stage)
        s = spark.get("total") if stage == "total" else spark.get("timings", {}).get(stage)
        stats = metrics.get(stage, {}) if stage != "total" else {
            k: sum(v.get(k, 0.0) for v in metrics.values())
            for k in ("task_s", "shuffle_write_mb", "spill_mb")}  # fmt: skip
        rows.append([stage, "" if m is None else f"{m:.1f}", "" if s is None else f"{s:.1f}",
                     f"{stats.get('task_s', 0.0):.0f}",
                     f"{stats.get('shuffle_write_mb', 0.0):,.0f}",
                     f"{stats.get('spill_mb', 0.0):,.0f}"])  # fmt: skip
    print_rows(["stage", "in memory s", "Spark s", "Spark task s", "shuffle write MB",
                "spill MB"], rows)  # fmt: skip
    if "memory" in found and "spark" in found:
        a, b = found["memory"]["clusters"], found["spark"]["clusters"]
        same = a == b
        settings = found["memory"]["settings"] == found["spark"]["settings"]
        counts = [found[e]["candidate_pairs"] for e in ("memory", "spark")]
        print(f"clusters: {'identical' if same else 'different'}; pairwise F1 between the "
              f"engines {pairwise_f1(a, b):.6f}; settings "
              f"{'identical' if settings else 'different'}; candidate pairs "
              f"{counts[0]:,} / {counts[1]:,}")  # fmt: skip
    if args.json:
        for engine in found.values():
            engine.pop("clusters", None)
        Path(args.json).write_text(json.dumps(found, indent=1, default=str))


if __name__ == "__main__":
    sys.exit(main())
