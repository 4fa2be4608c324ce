"""Name parsing throughput, side by side with nameparser's HumanName on the same names.

Names are realistic CRM full-name cells: mixed case, prefixes and suffixes, "Last, First",
particles, nicknames, Cyrillic, Turkish, Greek and CJK names. "unique" has no repeats;
"repeated" draws the same number of cells from a tenth as many distinct names, as CRM
columns do.

Usage: python benchmarks/bench_names.py [--n 100000] [--seed 11]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line, per_second, print_rows
from crmclean import normalize_many, parse_name

GIVEN = ["James", "Mary", "robert", "PATRICIA", "John", "Jennifer", "Michael", "Linda", "David",
         "Elizabeth", "William", "Barbara", "Jean-Paul", "María José", "Иван", "Ольга", "İsmail",
         "Ayşe", "Γιώργος", "Lukas", "Sophie", "Kenji", "Wei", "Aarav", "Fatima", "Bob", "Liz"]
FAMILY = ["Smith", "JOHNSON", "williams", "O'Neil", "McDonald", "MacLeod", "van der Berg",
          "de la Cruz", "García Márquez", "Müller", "Петров", "Иванова", "Yılmaz", "Παπαδόπουλος",
          "Nguyễn", "Kowalski", "Rossi", "Dubois", "St. John", "Watson-Parker", "Schmidt"]
PREFIX = ["", "", "", "", "Dr. ", "Mr. ", "Ms. ", "Prof. "]
SUFFIX = ["", "", "", "", " Jr.", " III", " PhD", ", MD"]
CJK = ["王伟", "李娜", "张敏", "山田太郎", "佐藤花子", "김민준", "欧阳娜娜"]


_STEMS = ["Ander", "Bel", "Car", "Dal", "Ed", "Fitz", "Gar", "Hol", "Ing", "Jor", "Kal", "Lind",
          "Mor", "Nor", "Ols", "Pet", "Quin", "Ros", "Sand", "Thom", "Ulm", "Vor", "Wil", "Yor",
          "Zel", "Bran", "Crom", "Drex", "Ell", "Fran", "Grim", "Hart", "Kess", "Lamb", "Mell"]
_ENDS = ["son", "sen", "man", "mann", "ski", "ova", "ov", "ez", "er", "ton", "ley", "berg",
         "stein", "wood", "ford", "ini", "elli", "aux", "ier", "ić", "escu", "oğlu", "enko"]


def make_values(n: int, seed: int) -> list[str]:
    """n distinct full-name cells built as real lists are: common given names, a long tail of
    family names, optional prefix, middle initial and suffix, some in "Last, First" order or
    all capitals, some in Cyrillic, Turkish, Greek or CJK script."""
    rng = random.Random(seed)
    families = FAMILY + [a + b for a in _STEMS for b in _ENDS]
    weights = [1 / (i + 1) ** 0.6 for i in range(len(families))]
    out: set[str] = set()
    while len(out) < n:
        roll = rng.random()
        given = rng.choice(GIVEN)
        family = rng.choices(families, weights)[0]
        middle = f" {rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.3 else ""
        if roll < 0.03:
            value = rng.choice(CJK) + rng.choice(["", " "]) + rng.choice("伟娜敏静丽强磊军")
        elif roll < 0.18:
            value = f"{family}, {given}{middle}"
        else:
            value = f"{rng.choice(PREFIX)}{given}{middle} {family}{rng.choice(SUFFIX)}"
        if rng.random() < 0.15:
            value = value.upper()
        out.add(value)
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    unique = make_values(args.n, args.seed)
    rng = random.Random(args.seed)
    repeated = rng.choices(unique[: args.n // 10], k=args.n)
    rows = []
    try:
        from nameparser import HumanName
    except ImportError:  # the bench extra installs it
        HumanName = None  # noqa: N806
    for label, values in (("unique", unique), ("repeated (10% distinct)", repeated)):
        ours = per_second(lambda v=values: normalize_many(parse_name, v), args.n)  # type: ignore[misc]
        theirs = (
            per_second(lambda v=values: [HumanName(x) for x in v], args.n)  # type: ignore[misc]
            if HumanName is not None else float("nan")
        )  # fmt: skip
        rows.append((label, ours, theirs))
    print(machine_line())
    print(f"{args.n:,} name cells")
    print_rows(["input", "crmclean parse_name (batch), names/s", "nameparser HumanName, names/s"],
               rows)  # fmt: skip


if __name__ == "__main__":
    main()
