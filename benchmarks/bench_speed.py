"""Speed of a whole dedupe against Splink on simple raw contacts, one tool per fresh process.

Generates N simple contacts as a CRM export holds them (id, first name, surname, date of
birth, city, email, phone; mixed case, phones typed as ``2125550123``, ``+1 (212) 555-0123``,
``212.555.0123``..., dates in three formats, blanks), about a quarter of them noisy duplicates
of another row (typos, nicknames, a changed or missing email or phone, a different phone
format), from a seed. Then, each in a fresh subprocess and one after the other:

- crmclean: ``crmclean.dedupe(frame, id_column="Contact ID")`` with default settings
  (normalization of every field included);
- Splink 5 on DuckDB with tutorial-style settings for these columns
  (``splink_runner.run_simple``: light cleaning, u by random sampling, m by EM on blocking
  rules, predict, cluster at 0.95).

Reported per tool: wall seconds of the matching call (from the raw table to clusters), peak
resident memory of the process (``VmHWM``, input table included) and pairwise precision,
recall and F1 against the generated truth; for crmclean also ``result.stats.timings`` per stage
and the number of candidate pairs. Finally the ratio Splink seconds / crmclean seconds.

    python benchmarks/bench_speed.py --rows 100000
    python benchmarks/bench_speed.py                                  # 1,000,000 rows
    python benchmarks/bench_speed.py --rows 20000 --tools crmclean --json out.json
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from _harness import print_rows
from generate import DATA_DIR, _rows, _typo

#: The generated table's columns, in order (``true_entity`` is the ground truth).
COLUMNS = ("Contact ID", "First Name", "Surname", "Date of Birth", "City", "Email", "Phone",
           "true_entity")  # fmt: skip
ID_COLUMN = "Contact ID"
STAGES = ("prepare", "block", "compare", "fit", "score", "cluster")

_SYLLABLES = (
    "ba", "be", "bi", "bo", "bru", "ca", "co", "da", "de", "di", "do", "fa", "fe", "fi", "ga",
    "go", "ha", "he", "ka", "ke", "ki", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo",
    "na", "ne", "ni", "no", "pa", "pe", "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta",
    "te", "ti", "to", "va", "ve", "vi", "wa", "we", "wi", "za",
)  # fmt: skip
_ENDINGS = ("", "", "son", "man", "ton", "ley", "ford", "well", "er", "s", "field", "wood")
_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "icloud.com",
            "comcast.net", "acme.com", "globex.com", "initech.net", "umbrella.org")  # fmt: skip
_PHONE_FORMATS = (
    "{a}{x}{s}", "+1 ({a}) {x}-{s}", "({a}) {x}-{s}", "{a}-{x}-{s}", "{a}.{x}.{s}",
    "+1{a}{x}{s}", "1-{a}-{x}-{s}", "+1 {a} {x} {s}", "{a} {x} {s}",
)  # fmt: skip
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _zipf_weights(n: int, exponent: float) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** exponent
    return w / w.sum()


def _pools(rng: random.Random) -> dict[str, Any]:
    names = _rows("names.csv", DATA_DIR)
    latin = ("EN", "US", "UK", "DE", "FR", "BR", "TR")
    given = list(dict.fromkeys(r["name"] for r in names if r["kind"] in "mf"
                               and r["country"] in latin))  # fmt: skip
    real = list(dict.fromkeys(r["name"] for r in names if r["kind"] == "s"
                              and r["country"] in latin))  # fmt: skip
    invented: set[str] = set()
    while len(invented) < 30_000:
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        invented.add((stem + rng.choice(_ENDINGS)).capitalize())
    family = real + sorted(invented - set(real))
    nick: dict[str, list[str]] = {}
    for row in _rows("nicknames.csv", DATA_DIR):
        nick.setdefault(row["name"], []).append(row["nickname"])
    cities = [(r["city"], [v for v in r["variants"].split("|") if v],
               r["phone_areas"].split("|"))
              for r in _rows("places.csv", DATA_DIR) if r["country"] == "US"]  # fmt: skip
    return {"given": given, "family": family, "nick": nick, "cities": cities}


def _recase(text: str, r: random.Random) -> str:
    x = r.random()
    if x < 0.15:
        return text.upper()
    if x < 0.35:
        return text.lower()
    if x < 0.4:
        return " " + text + " "
    return text


def generate(n: int, seed: int = 1, dup_share: float = 0.25) -> dict[str, list[str]]:
    """``n`` simple raw contacts (columns :data:`COLUMNS`), deterministic for ``(n, seed)``.

    >>> table = generate(50, seed=3)
    >>> len(table["Contact ID"]), sorted(table) == sorted(COLUMNS)
    (50, True)
    """
    r = random.Random(seed)
    rng = np.random.default_rng(seed)
    pools = _pools(r)
    given, family, cities = pools["given"], pools["family"], pools["cities"]
    n_people = max(1, round(n * (1 - dup_share)))
    p_given = rng.choice(len(given), n_people, p=_zipf_weights(len(given), 0.9))
    p_family = rng.choice(len(family), n_people, p=_zipf_weights(len(family), 0.75))
    p_city = rng.choice(len(cities), n_people, p=_zipf_weights(len(cities), 0.8))
    p_dob = rng.integers(datetime.date(1940, 1, 1).toordinal(),
                         datetime.date(2006, 1, 1).toordinal(), n_people)  # fmt: skip
    p_exchange = rng.integers(200, 1000, n_people)
    p_line = rng.integers(0, 10_000, n_people)
    p_domain = rng.choice(len(_DOMAINS), n_people, p=_zipf_weights(len(_DOMAINS), 1.0))
    p_number = rng.integers(1, 10_000, n_people)
    # each person once, then the duplicates drawn from them (a few people many times)
    repeat_weights = _zipf_weights(n_people, 0.3)[rng.permutation(n_people)]
    entity = np.concatenate([np.arange(n_people),
                             rng.choice(n_people, n - n_people, p=repeat_weights)])  # fmt: skip
    rng.shuffle(entity)
    seen = np.zeros(n_people, dtype=bool)
    ids = rng.permutation(np.arange(1_000_000, 1_000_000 + 10 * n, 10))
    out: dict[str, list[str]] = {c: [] for c in COLUMNS}
    for row, e in enumerate(entity.tolist()):
        first, last = given[p_given[e]], family[p_family[e]]
        city, variants, areas = cities[p_city[e]]
        area = areas[int(p_line[e]) % len(areas)]
        number = f"{p_exchange[e]:03d}{p_line[e]:04d}"
        slug_first, slug_last = _fold(first).lower(), _fold(last).lower().replace(" ", "")
        style = int(p_number[e]) % 4
        local = (f"{slug_first}.{slug_last}" if style == 0 else
                 f"{slug_first[0]}{slug_last}{p_number[e] % 100}" if style == 1 else
                 f"{slug_first}{slug_last}{p_number[e]}" if style == 2 else
                 f"{slug_last}.{slug_first}{p_number[e] % 1000}")  # fmt: skip
        email = f"{local}@{_DOMAINS[p_domain[e]]}"
        dob = datetime.date.fromordinal(int(p_dob[e]))
        dup = bool(seen[e])
        seen[e] = True
        if dup:  # a second record of the person, damaged as CRM duplicates are
            if r.random() < 0.15:
                first = r.choice(pools["nick"].get(first, [first]))
            if r.random() < 0.12:
                first = _typo(first, r)
            if r.random() < 0.12:
                last = _typo(last, r)
            if r.random() < 0.1:
                email = f"{slug_first}.{slug_last}@{r.choice(_DOMAINS)}"  # another address
            elif r.random() < 0.05:
                email = _typo(email, r)
            if r.random() < 0.1:
                area = r.choice(areas)
                number = f"{r.randint(200, 999)}{r.randint(0, 9999):04d}"  # a new phone
            elif r.random() < 0.05:
                number = number[:-1] + str((int(number[-1]) + 1) % 10)
            if r.random() < 0.05:
                dob = dob.replace(day=min(dob.day % 28 + 1, 28))
        phone = r.choice(_PHONE_FORMATS).format(a=area, x=number[:3], s=number[3:])
        if variants and r.random() < 0.2:
            city = r.choice(variants)
        values = {
            ID_COLUMN: str(ids[row]),
            "First Name": _recase(first, r),
            "Surname": _recase(last, r),
            "Date of Birth": dob.strftime(r.choice(_DATE_FORMATS)) if r.random() > 0.2 else "",
            "City": _recase(city, r) if r.random() > 0.05 else "",
            "Email": (email.upper() if r.random() < 0.1 else email) if r.random() > 0.1 else "",
            "Phone": phone if r.random() > 0.15 else "",
            "true_entity": str(e),
        }
        for column, value in values.items():
            out[column].append(value)
    return out


def _write(table: dict[str, list[str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(zip(*(table[c] for c in COLUMNS), strict=True))


def _rss_mb() -> float:
    """Peak resident memory of this process (``VmHWM``), in MiB."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _read(path: str) -> Any:
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _run_crmclean(frame: Any) -> tuple[Any, Any, float, dict[str, Any]]:
    import crmclean

    data = frame.drop(columns=["true_entity"])
    start = time.perf_counter()
    result = crmclean.dedupe(data, id_column=ID_COLUMN)
    seconds = time.perf_counter() - start
    stats = result.stats
    clusters = result.clusters
    order = dict(zip(clusters[ID_COLUMN].astype(str), clusters["cluster_id"], strict=True))
    predicted = [order[i] for i in frame[ID_COLUMN]]
    extra = {"timings": {k: float(v) for k, v in stats.timings.items()},
             "candidate_pairs": int(stats.candidate_pairs),
             "matched_pairs": int(stats.matched_pairs),
             "largest_cluster": int(stats.largest_cluster)}  # fmt: skip
    return predicted, frame["true_entity"].tolist(), seconds, extra


def _run_splink(frame: Any) -> tuple[Any, Any, float, dict[str, Any]]:
    from splink_runner import run_simple

    data = frame.drop(columns=["true_entity"])
    run = run_simple(data)
    predicted = [run.clusters.get(i, f"single-{i}") for i in frame[ID_COLUMN]]
    extra = {"scored_pairs": run.n_pairs}
    return predicted, frame["true_entity"].tolist(), run.seconds, extra


def worker(tool: str, path: str, out: str) -> None:
    """Run one tool on the table at ``path`` in this process; write its figures as JSON."""
    from evaluate import score_clusters

    logging.disable(logging.INFO)
    frame = _read(path)
    rss_input = _rss_mb()
    predicted, truth, seconds, extra = {"crmclean": _run_crmclean, "splink": _run_splink}[tool](
        frame
    )
    peak = _rss_mb()
    scores = score_clusters(predicted, truth)
    record = {"tool": tool, "records": len(frame), "seconds": seconds, "peak_rss_mb": peak,
              "rss_input_mb": rss_input, **scores.as_dict(), **extra}  # fmt: skip
    Path(out).write_text(json.dumps(record), encoding="utf-8")


def _run_child(tool: str, path: Path, timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "result.json")
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", tool, str(path),
               "--json", out]  # fmt: skip
        clock = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            return {"tool": tool, "status": f"timeout after {timeout:.0f} s"}
        if proc.returncode != 0 or not os.path.exists(out):
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:] or ["no output"]
            return {"tool": tool, "status": "failed: " + " | ".join(tail)[:400]}
        result: dict[str, Any] = json.loads(Path(out).read_text(encoding="utf-8"))
        result["process_seconds"] = time.perf_counter() - clock
        return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tools", default="crmclean,splink")
    parser.add_argument("--timeout", type=float, default=4 * 3600)
    parser.add_argument("--keep", help="write the generated table to this CSV and keep it")
    parser.add_argument("--json", help="write the figures to this JSON file")
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], args.worker[1], args.json)
        return
    from _harness import machine_line

    print(machine_line())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp, "contacts.csv")
        clock = time.perf_counter()
        table = generate(args.rows, args.seed)
        _write(table, path)
        n_entities = len(set(table["true_entity"]))
        del table
        print(f"generated {args.rows:,} contacts of {n_entities:,} people (seed {args.seed}) "
              f"in {time.perf_counter() - clock:.1f} s")  # fmt: skip
        results = [_run_child(tool, path, args.timeout) for tool in args.tools.split(",")]
    rows = []
    for res in results:
        if "status" in res:
            rows.append([res["tool"], res["status"], "", "", "", "", ""])
            continue
        rows.append([res["tool"], f"{res['seconds']:.1f}", f"{res['peak_rss_mb']:,.0f}",
                     f"{res['pairwise_precision']:.4f}", f"{res['pairwise_recall']:.4f}",
                     f"{res['pairwise_f1']:.4f}",
                     f"{res.get('candidate_pairs', res.get('scored_pairs', 0)):,}"])  # fmt: skip
    print_rows(["tool", "seconds", "peak RSS MB", "pairwise P", "pairwise R", "pairwise F1",
                "candidate pairs (crmclean) / scored pairs (Splink)"], rows)  # fmt: skip
    by_tool = {res["tool"]: res for res in results if "status" not in res}
    if "crmclean" in by_tool:
        timings = by_tool["crmclean"]["timings"]
        print()
        print_rows(["crmclean stage", "seconds"],
                   [[k, f"{timings.get(k, 0.0):.2f}"] for k in (*STAGES, "output")])
    if {"crmclean", "splink"} <= by_tool.keys():
        ratio = by_tool["splink"]["seconds"] / by_tool["crmclean"]["seconds"]
        print(f"\nspeed ratio Splink / crmclean: {ratio:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
