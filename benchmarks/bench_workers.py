"""Worker processes: ``crmclean clean`` (or ``standardize``) on generated contacts with
``--workers 1`` and more.

Writes ``--rows`` generated contacts (``generate.py``, seed 1) to a temporary CSV, then runs
``crmclean clean`` (``--command standardize``: only the standardizing) on it under
``/usr/bin/time -v`` once per worker count, in turn, ``--repeat`` times (alternating, so that a
change in the machine's load falls on every count alike), and prints the median wall time and
peak memory of each count. Peak memory is that of the largest process (``/usr/bin/time``
reports the maximum resident set of the command and its waited-for children, not their sum).
The outputs of every count are checked to be byte for byte those of the first count
(report.html and report.json aside: they hold the time they were made).

Usage:
    python benchmarks/bench_workers.py --rows 200000 --workers 1 2 --repeat 3
    python benchmarks/bench_workers.py --rows 200000 --command standardize
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from _harness import machine_line, print_rows
from generate import generate_contacts, write_csv

SAME_EVERY_RUN = ("contacts_clean.csv", "clusters.csv", "pairs.csv", "review.csv", "golden.csv",
                  "lineage.csv", "merge_plan.csv", "settings.json")  # fmt: skip


def timed_run(what: str, source: Path, out: Path, workers: int) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, every process) and peak resident MB of one
    ``crmclean clean`` or ``standardize`` run."""
    out.mkdir(exist_ok=True)
    target = ["--out", str(out)] if what == "clean" else ["-o", str(out / "contacts_clean.csv")]
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "crmclean", what, str(source),
               *target, "--workers", str(workers), "--quiet"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"crmclean {what} --workers {workers} failed:\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    if wall is None or rss is None or len(cpu) != 2:
        raise SystemExit("unexpected /usr/bin/time output")
    hours, minutes, seconds = wall.groups()
    elapsed = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return elapsed, sum(float(c) for c in cpu), int(rss.group(1)) / 1024


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--command", choices=["clean", "standardize"], default="clean")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "contacts.csv"
        columns = generate_contacts(args.rows, seed=1)
        columns.pop("true_entity")
        write_csv(columns, source)
        runs: dict[int, list[tuple[float, float, float]]] = {w: [] for w in args.workers}
        for turn in range(args.repeat):
            for workers in args.workers:
                out = work / f"out-{workers}"
                runs[workers].append(timed_run(args.command, source, out, workers))
                wall, cpu, rss = runs[workers][-1]
                print(f"run {turn + 1}, --workers {workers}: {wall:.1f} s, CPU {cpu:.1f} s, "
                      f"{rss:,.0f} MB", file=sys.stderr, flush=True)  # fmt: skip
        first = work / f"out-{args.workers[0]}"
        names = SAME_EVERY_RUN if args.command == "clean" else SAME_EVERY_RUN[:1]
        for workers in args.workers[1:]:
            _, differ, missing = filecmp.cmpfiles(
                first, work / f"out-{workers}", names, shallow=False
            )
            if differ or missing:
                raise SystemExit(f"--workers {workers} wrote other outputs: {differ + missing}")
    print(f"\n`crmclean {args.command}` on {args.rows:,} generated contacts; {machine_line()}; "
          f"os.cpu_count() = {os.cpu_count()}\n")  # fmt: skip
    base = statistics.median(w for w, _, _ in runs[args.workers[0]])
    rows = []
    for workers, measured in runs.items():
        walls = [w for w, _, _ in measured]
        wall = statistics.median(walls)
        rows.append([
            workers, f"{wall:.1f}", ", ".join(f"{w:.0f}" for w in walls), f"{base / wall:.2f}×",
            f"{statistics.median(c for _, c, _ in measured):.1f}",
            f"{statistics.median(r for _, _, r in measured):,.0f}",
        ])  # fmt: skip
    print_rows(["--workers", "wall s (median)", "runs", "speed-up", "CPU s (median)",
                "peak RSS MB (median)"], rows)  # fmt: skip
    print("\noutputs identical for every --workers: yes")


if __name__ == "__main__":
    main()
