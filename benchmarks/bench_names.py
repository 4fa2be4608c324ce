"""Throughput of the person-name parser, side by side with nameparser's HumanName.

Names are generated from common given and family names in the shapes CRM exports hold them:
"First Last", "First M. Last", "LAST, FIRST", all capitals, all lower case, titles and
suffixes, particles, some Cyrillic, Turkish and Chinese names. "unique" has no repeats;
"repeated" draws the same number of cells from a quarter as many distinct names. crmclean's
caches are emptied before each timed run (the harness does it), so word-level caches (casing,
keys) only help within a run, as they would on a real column. Where crmclean's normalizers are
compiled, the unique rows are also timed in pure Python.
Agreement counts the names whose given and family name (as match keys) are the same in both
parsers, over the Latin-script names.

Usage: python benchmarks/bench_names.py [--n 100000] [--seed 7] [--no-nameparser]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _harness import in_fresh_processes, machine_line, per_second, print_rows
from crmclean import match_key, normalize_many
from crmclean.normalize import COMPILED, names
from crmclean.normalize.data import load_lines

_FAMILY_TEXT = """smith johnson williams brown jones garcia miller davis rodriguez martinez
hernandez
lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white
harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen
hill flores green adams nelson baker hall rivera campbell mitchell carter roberts mcdonald
o'neil o'brien macdonald mackenzie d'angelo müller schmidt schneider fischer weber meyer
wagner becker schulz hoffmann dubois durand leroy moreau rossi russo ferrari esposito bianchi
romano silva santos oliveira souza costa kowalski nowak wiśniewski yılmaz kaya demir şahin
çelik öztürk andersson johansson karlsson nielsen hansen jensen murphy kelly o'sullivan walsh
byrne ryan o'connor smyth patel shah kumar singh sharma khan ali hussain cohen levy"""
FAMILY = _FAMILY_TEXT.split()
PARTICLE_FAMILY = ["van der Berg", "de la Cruz", "van Dijk", "von Trapp", "da Silva", "di Maria",
                   "García Márquez", "bin Salman", "al-Rashid", "St. John", "de Vries"]  # fmt: skip
CYRILLIC = [("Иван", "Иванов", "Иванович"), ("Сергей", "Петров", "Сергеевич"),
            ("Анна", "Смирнова", "Андреевна"), ("Дмитрий", "Кузнецов", "Олегович"),
            ("Елена", "Попова", "Викторовна"), ("Алексей", "Соколов", "Павлович")]  # fmt: skip
CHINESE_FAMILY = "王李张刘陈杨赵黄周吴"
CHINESE_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
PREFIXES = ["Dr.", "Mr.", "Mrs.", "Ms.", "Prof."]
SUFFIXES = ["Jr.", "Sr.", "III", "PhD", "MD"]
INITIALS = "ABCDEFGHJKLMNPRSTW"


def make_names(n: int, seed: int) -> tuple[list[str], list[bool]]:
    """n distinct names, and for each whether it is a plain Latin-script name."""
    rng = random.Random(seed)
    given = [g.capitalize() for g in load_lines("names_given.txt") if len(g) > 2]
    family = [f[:1].upper() + f[1:] for f in FAMILY]
    seen: set[str] = set()
    out: list[str] = []
    latin: list[bool] = []
    while len(out) < n:
        roll = rng.random()
        plain = True
        if roll < 0.06:
            g, f, p = rng.choice(CYRILLIC)
            value = rng.choice([f"{g} {p} {f}", f"{f} {g} {p}", f"{g} {f}"])
            value = f"{value} {rng.randrange(10_000)}" if value in seen else value
            plain = False
        elif roll < 0.09:
            given_chars = rng.sample(CHINESE_GIVEN, rng.randint(1, 2))
            value = rng.choice(CHINESE_FAMILY) + "".join(given_chars)
            plain = False
        else:
            g, f = rng.choice(given), rng.choice(family)
            if rng.random() < 0.08:
                f = rng.choice(PARTICLE_FAMILY)
            middle = f" {rng.choice(INITIALS)}." if rng.random() < 0.25 else ""
            shape = rng.random()
            if shape < 0.15:
                value = f"{f}, {g}{middle}"
            elif shape < 0.22:
                value = f"{rng.choice(PREFIXES)} {g}{middle} {f}"
            elif shape < 0.27:
                value = f"{g}{middle} {f} {rng.choice(SUFFIXES)}"
            else:
                value = f"{g}{middle} {f}"
            case = rng.random()
            value = value.upper() if case < 0.15 else value.lower() if case < 0.25 else value
        if value in seen:
            continue
        seen.add(value)
        out.append(value)
        latin.append(plain)
    return out, latin


def agreement(values: list[str], latin: list[bool]) -> float:
    """Share of Latin-script names where both parsers find the same given and family name."""
    from nameparser import HumanName

    same = total = 0
    for value, plain in zip(values, latin, strict=True):
        if not plain:
            continue
        ours = names.parse_name(value)
        theirs = HumanName(value)
        total += 1
        same += (match_key(ours.given) == match_key(theirs.first)) and (
            match_key(ours.family) == match_key(theirs.last)
        )
    return same / total if total else 0.0


ROWS = {
    "crmclean parse_name, unique": "unique",
    "crmclean parse_names (column), unique": "column",
    "crmclean normalize_many(parse_name), repeated (25% distinct)": "repeated",
}


def time_row(kind: str, n: int, seed: int) -> float:
    """One crmclean row's names/s, timed in this process."""
    unique, _ = make_names(n, seed)
    rng = random.Random(seed)
    repeated = rng.choices(unique[: n // 4], k=n)  # each name about 4 times, as in merged exports
    names.parse_name("warm up")  # load the tables outside the timings

    def unique_run() -> None:
        for value in unique:
            names.parse_name(value)

    runs = {
        "unique": unique_run,
        "column": lambda: names.parse_names(unique),
        "repeated": lambda: normalize_many(names.parse_name, repeated),
    }
    return per_second(runs[kind], n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-nameparser", action="store_true")
    parser.add_argument("--row", choices=sorted(set(ROWS.values())),
                        help="time one crmclean row here and print it")  # fmt: skip
    args = parser.parse_args()
    if args.row:
        print(time_row(args.row, args.n, args.seed))
        return
    unique, latin = make_names(args.n, args.seed)
    argv = ["--n", str(args.n), "--seed", str(args.seed)]
    figures = in_fresh_processes(list(ROWS.values()), argv)
    rows: list[tuple[str, object, object]] = [
        (label, args.n, figures[kind]) for label, kind in ROWS.items()
    ]
    if COMPILED:  # the unique rows in plain Python, for comparison
        pure = in_fresh_processes(["unique", "column"], argv, pure_python=True)
        rows += [(f"{label}, pure Python", args.n, pure[kind])
                 for label, kind in ROWS.items() if kind in pure]  # fmt: skip
    if not args.no_nameparser:
        from nameparser import HumanName

        sample = unique[: max(1, args.n // 5)]  # nameparser is slow: a fifth of the names
        rows.append(
            ("nameparser HumanName, unique", len(sample),
             per_second(lambda: [HumanName(v) for v in sample], len(sample)))
        )  # fmt: skip
    print(machine_line())
    print_rows(["what (crmclean rows each in a fresh process)", "values", "names/s"], rows)
    if not args.no_nameparser:
        share = agreement(unique[:20_000], latin[:20_000])
        print(f"\nAgreement with nameparser on given + family (Latin names): {share:.1%}")


if __name__ == "__main__":
    main()
