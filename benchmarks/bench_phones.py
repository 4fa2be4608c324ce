"""Phone normalization throughput, side by side with calling phonenumbers directly.

The raw baseline does the same work crmclean's result holds: parse, validity, number type,
and the E.164, national and international formats. Values are realistic CRM spellings of
numbers from nine countries; "unique" has no repeats, "repeated" draws 100k values from 10k.

Usage: python benchmarks/bench_phones.py [--n 100000] [--seed 3]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line, per_second, print_rows
from crmclean import normalize_many, normalize_phone

# (region, national number template: digits to fill, formats people type)
PLANS = [
    ("US", "{a}{b}{l}", ["({a}) {b}-{l}", "{a}-{b}-{l}", "{a}.{b}.{l}", "+1 {a} {b} {l}",
                        "1-{a}-{b}-{l}", "{a}{b}{l}", "({a}) {b}-{l} x{e}"]),
    ("GB", "20{m}", ["020 {m4} {m5}", "+44 (0)20 {m4} {m5}", "0044 20 {m4}{m5}"]),
    ("DE", "30{m}", ["030 {m}", "+49 30 {m}", "+49 (0)30 {m}"]),
    ("FR", "1{m}", ["01 {p}", "+33 1 {p}"]),
    ("RU", "495{r}", ["8 (495) {r3}-{r2}-{r2b}", "+7 495 {r3}-{r2}-{r2b}",
                      "+7 (495) {r} доб. {e}"]),
    ("TR", "212{r}", ["0212 {r3} {r2} {r2b}", "+90 212 {r}"]),
    ("JP", "3{m}", ["03-{m4}-{m4b}", "+81 3 {m4} {m4b}"]),
    ("BR", "119{m}", ["(11) 9{m4}-{m4b}", "+55 11 9{m4} {m4b}"]),
    ("CN", "138{m}", ["138 {m4} {m4b}", "+86 138 {m4} {m4b}"]),
]  # fmt: skip


def make_values(n: int, seed: int) -> list[tuple[str, str]]:
    """n distinct (value, region) pairs."""
    rng = random.Random(seed)
    out: dict[str, str] = {}
    while len(out) < n:
        region, _, formats = rng.choice(PLANS)
        m = f"{rng.randrange(10**8):08d}"
        r = f"{rng.randrange(10**7):07d}"
        fields = {
            "a": str(rng.randrange(201, 990)), "b": str(rng.randrange(201, 990)),
            "l": f"{rng.randrange(10**4):04d}", "e": str(rng.randrange(10, 999)),
            "m": m, "m4": m[:4], "m4b": m[4:], "m5": m[4:],
            "p": " ".join([m[i:i + 2] for i in range(0, 8, 2)]),
            "r": r, "r3": r[:3], "r2": r[3:5], "r2b": r[5:],
        }  # fmt: skip
        out[rng.choice(formats).format(**fields)] = region
    return list(out.items())


def raw(values: list[tuple[str, str]]) -> None:
    for value, region in values:
        try:
            number = phonenumbers.parse(value, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            phonenumbers.format_number(number, PhoneNumberFormat.E164)
            phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
            phonenumbers.number_type(number)


def by_region(values: list[tuple[str, str]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for value, region in values:
        groups.setdefault(region, []).append(value)
    return groups


def crmclean_batch(groups: dict[str, list[str]]) -> None:
    for region, column in groups.items():
        normalize_many(normalize_phone, column, region=region)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    unique = make_values(args.n, args.seed)
    rng = random.Random(args.seed)
    pool = unique[: args.n // 10]
    repeated = rng.choices(pool, k=args.n)
    unique_groups, repeated_groups = by_region(unique), by_region(repeated)
    valid = sum(normalize_phone(v, region=r).valid for v, r in unique[:5000]) / 5000
    rows = []
    for label, values, groups in (("unique", unique, unique_groups),
                                  ("repeated (10% distinct)", repeated, repeated_groups)):
        base = per_second(lambda v=values: raw(v), args.n)  # type: ignore[misc]
        ours = per_second(lambda g=groups: crmclean_batch(g), args.n)  # type: ignore[misc]
        rows.append((label, base, ours, f"{base / ours:.2f}x"))
    print(machine_line())
    print(f"{args.n:,} values, {valid:.1%} valid")
    print_rows(["input", "phonenumbers direct, values/s",
                "normalize_many(normalize_phone), values/s",
                "crmclean time / direct time"], rows)  # fmt: skip


if __name__ == "__main__":
    main()
