"""Merge throughput: synthetic CRM contacts and their clusters into golden records.

The records are generated here: people with a name, emails, a phone, a job title, a company,
a postal address, a source system and created/updated dates. About 60% of the people have one
record; the rest have two to six, whose values vary the way duplicates do (capitals, a role
address or a private address instead of the work one, another phone format, a newer job title,
a missing field, a moved address). The merge runs with the default contact strategy, a source
priority, and the full lineage, plan and conflict tables.

Peak RSS is the process's high-water mark (``ru_maxrss``), which includes the generated data.
CPU seconds are the process's own, a steadier figure than wall time on a busy machine.

Usage: python benchmarks/bench_merge.py [--records 1000000] [--seed 7] [--kind columns]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line, print_rows
from crmclean.merge import MergeStrategy, merge

_GIVEN_WORDS = (
    "james mary john patricia robert jennifer michael linda william elizabeth david barbara "
    "richard susan joseph jessica thomas sarah charles karen maria ivan olga wei ayse pierre "
    "lukas kenji fatima ahmed sofia lucas emma noah mia liam chloe"
)
_FAMILY_WORDS = (
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez "
    "gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white "
    "harris petrov wang yilmaz dubois muller sato kowalski novak rossi silva"
)
GIVEN = np.array(_GIVEN_WORDS.split(" "))
FAMILY = np.array(_FAMILY_WORDS.split(" "))
TITLES = np.array(
    ["Sales Manager", "VP Sales", "Account Executive", "CEO", "CTO", "Marketing Director",
     "Software Engineer", "Office Manager", "Head of Procurement", "Consultant"]
)  # fmt: skip
CITIES = np.array(["Boston", "Chicago", "Seattle", "Austin", "Denver", "Portland", "Miami"])
STREETS = np.array(["Main St", "Oak Ave", "Elm St", "Park Rd", "Maple Dr", "Cedar Ln"])
AREAS = np.array(["212", "415", "617", "312", "206", "512", "303"])
SOURCES = np.array(["salesforce", "hubspot", "webform"])


def _text(*parts: Any) -> np.ndarray[Any, Any]:
    out = np.asarray(parts[0]).astype(object)
    for part in parts[1:]:
        out = out + np.asarray(part).astype(object)
    return out


def _blank(values: np.ndarray[Any, Any], mask: np.ndarray[Any, Any]) -> list[Any]:
    out = values.astype(object)
    out[mask] = None
    return list(out.tolist())


def make_records(n: int, seed: int) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """``n`` records and their clusters table, as column batches."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 4, 6], size=n, p=[0.6, 0.25, 0.09, 0.04, 0.02])
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), n)) + 1]
    person = np.repeat(np.arange(len(sizes)), sizes)[:n]
    rng.shuffle(person)
    people = len(sizes)
    given = GIVEN[rng.integers(0, len(GIVEN), people)][person]
    family = FAMILY[rng.integers(0, len(FAMILY), people)][person]
    company = np.array([f"company{i}" for i in range(5000)])[rng.integers(0, 5000, people)][person]
    roll = rng.random(n)
    first = np.where(roll < 0.1, np.char.upper(given), np.char.capitalize(given))
    first = np.where((roll >= 0.1) & (roll < 0.14), np.char.add(np.char.upper(
        np.char.ljust(given, 1).astype("<U1")), "."), first)  # an initial only
    last = np.char.capitalize(family)
    pid = person.astype(str)
    work = _text(given, ".", family, pid, "@", company, ".com")
    roll = rng.random(n)
    email = np.where(roll < 0.15, _text("info@", company, ".com"), work)
    email = np.where((roll >= 0.15) & (roll < 0.3), _text(given, pid, "@gmail.com"), email)
    area = AREAS[rng.integers(0, len(AREAS), people)][person]
    exchange = rng.integers(201, 999, people)[person].astype(str)
    line = np.char.zfill(rng.integers(0, 10_000, people)[person].astype(str), 4)
    roll = rng.random(n)
    phone = np.where(roll < 0.4, _text("+1", area, exchange, line),
                     _text("(", area, ") ", exchange, "-", line))  # fmt: skip
    phone = np.where(roll > 0.85, _text(area, ".", exchange, ".", line), phone)
    title = TITLES[rng.integers(0, len(TITLES), people)][person]
    title = np.where(rng.random(n) < 0.3, TITLES[rng.integers(0, len(TITLES), n)], title)
    number = rng.integers(1, 999, people)[person]
    moved = rng.random(n) < 0.2
    number = np.where(moved, rng.integers(1, 999, n), number)
    street = _text(number.astype(str), " ", STREETS[rng.integers(0, len(STREETS), people)][person])
    city = np.where(moved, CITIES[rng.integers(0, len(CITIES), n)],
                    CITIES[rng.integers(0, len(CITIES), people)][person])  # fmt: skip
    day = rng.integers(0, 6 * 365, n)
    created = np.datetime64("2019-01-01") + day
    updated = created + rng.integers(0, 365, n)
    columns: dict[str, list[Any]] = {
        "id": [f"c{i:07d}" for i in range(n)],
        "first_name": _blank(first, rng.random(n) < 0.03),
        "last_name": _blank(last, rng.random(n) < 0.03),
        "email": _blank(email, rng.random(n) < 0.08),
        "phone": _blank(phone, rng.random(n) < 0.15),
        "title": _blank(title, rng.random(n) < 0.2),
        "company": list(company.tolist()),
        "street": _blank(street, rng.random(n) < 0.1),
        "city": list(city.tolist()),
        "source": list(SOURCES[rng.integers(0, 3, n)].tolist()),
        "created_at": list(created.astype(str).tolist()),
        "updated_at": list(updated.astype(str).tolist()),
    }
    clusters = {"id": columns["id"], "cluster_id": list(person.tolist())}
    return columns, clusters


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kind", choices=["columns", "pandas", "polars"], default="columns")
    args = parser.parse_args()
    columns, clusters = make_records(args.records, args.seed)
    records: Any = columns
    if args.kind == "pandas":
        import pandas as pd

        records = pd.DataFrame(columns)
    elif args.kind == "polars":
        import polars as pl

        records = pl.DataFrame(columns)
    strategy = MergeStrategy.default_for(
        list(columns), source_priority=["salesforce", "hubspot", "webform"], region="US"
    )
    before = _peak_mb()
    start, cpu = time.perf_counter(), time.process_time()
    result = merge(records, clusters, id_column="id", strategy=strategy)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    counts = result.counts
    print(machine_line())
    print()
    print_rows(
        ["records", "clusters", "merged records", "lineage rows", "conflicts", "seconds",
         "CPU seconds", "records/s", "peak RSS before merge (MB)", "peak RSS (MB)"],
        [[f"{counts['records']:,}", f"{counts['clusters']:,}", f"{counts['merged_records']:,}",
          f"{counts['merged_records'] * (len(columns) - 1):,}", f"{counts['conflicts']:,}",
          round(seconds, 2), round(cpu, 2), counts["records"] / seconds, before, _peak_mb()]],
    )  # fmt: skip


if __name__ == "__main__":
    main()
