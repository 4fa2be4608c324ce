"""Throughput of the free-text normalizer and the match keys on realistic CRM text.

Usage: python benchmarks/bench_text.py [--n 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line, per_second, print_rows
from crmclean import match_key, normalize_many, normalize_text

GIVEN = ["Jane", "JOHN", "maría josé", "Иван", "İsmail", "王", "Γιώργος", "Zoë", "O'Brien", "Ana"]
FAMILY = ["Smith", "GARCÍA MÁRQUEZ", "Петров", "Yılmaz", "伟", "Παπαδόπουλος", "Müller", "Nguyễn"]
NOISE = ["  ", "\u00a0", "\u200b", "\t", " \u2013 ", "\u2019", "Ã©", ""]


def make_values(n: int, seed: int) -> list[str]:
    """n distinct messy name-like strings: mixed scripts, odd spaces, invisible characters."""
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        value = (
            f"{rng.choice(NOISE)}{rng.choice(GIVEN)}{rng.choice(NOISE)} "
            f"{rng.choice(FAMILY)}{rng.choice(NOISE)}{rng.randrange(1_000_000)}"
        )
        out.add(value)
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    unique = make_values(args.n, args.seed)
    rng = random.Random(args.seed)
    distinct = unique[: args.n // 10]
    repeated = rng.choices(distinct, weights=[1 / (i + 1) for i in range(len(distinct))], k=args.n)

    rows = [
        ("normalize_text, unique",
         per_second(lambda: normalize_many(normalize_text, unique), args.n)),
        ("normalize_text, 10% distinct",
         per_second(lambda: normalize_many(normalize_text, repeated), args.n)),
        ("match_key, unique", per_second(lambda: [match_key(v) for v in unique], args.n)),
    ]  # fmt: skip
    print(machine_line())
    print_rows(["what", "values/s"], rows)


if __name__ == "__main__":
    main()
