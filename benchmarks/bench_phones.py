"""Phone normalization throughput, side by side with calling phonenumbers directly.

The raw baseline does the same work crmclean's result holds: parse, validity, number type,
and the E.164, national and international formats. Values are realistic CRM spellings of
numbers from nine countries; "unique" has no repeats, "repeated" draws 100k values from 10k.

It first reports accuracy on the parse cases of python-phonenumbers' own test suite
(``tests/data/phonenumbers_parse_cases.csv``, see ``tests/data/SOURCES.md``), for crmclean and
for ``phonenumbers`` itself with the same reading of its result.

Usage: python benchmarks/bench_phones.py [--n 100000] [--seed 3] [--accuracy-only]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Callable
from pathlib import Path

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line, per_second, print_rows
from crmclean import normalize_many, normalize_phone

CASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "phonenumbers_parse_cases.csv"
#: What a reader gives for one (value, region): (valid, E.164, extension).
Reading = tuple[bool, str | None, str | None]

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


def parse_cases(path: Path = CASES) -> list[dict[str, str]]:
    """The labelled parse cases whose region is one crmclean accepts (a retired code such as
    ``CS`` is a configuration error in crmclean, not a data value)."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return [r for r in rows if not r["region"] or r["region"] in phonenumbers.SUPPORTED_REGIONS]


def case_passes(case: dict[str, str], reading: Reading) -> bool:
    """Whether a reading agrees with a labelled case.

    A number that is valid in the real numbering plan must come out valid, with the expected
    E.164 form and extension; an expected failure, or a number the real plan does not have
    (the suite's metadata is partly fictional), must not come out as a valid number.
    """
    valid, e164, extension = reading
    if case["expected"] == "number" and case["valid_in_real_plan"] == "1":
        return (
            valid
            and e164 == case["expected_e164"]
            and (extension or "") == case["expected_extension"]
        )
    return not valid


def crmclean_reading(value: str, region: str) -> Reading:
    result = normalize_phone(value, region=region or None)
    return result.valid, result.e164, result.extension


def phonenumbers_reading(value: str, region: str) -> Reading:
    try:
        number = phonenumbers.parse(value, region or None)
    except NumberParseException:
        return False, None, None
    if not phonenumbers.is_valid_number(number):
        return False, None, number.extension
    return True, phonenumbers.format_number(number, PhoneNumberFormat.E164), number.extension


def accuracy(reader: Callable[[str, str], Reading], cases: list[dict[str, str]]) -> float:
    """Share of ``cases`` on which ``reader`` agrees with the label."""
    return sum(case_passes(c, reader(c["input"], c["region"])) for c in cases) / len(cases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--accuracy-only", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list the cases crmclean misses")
    args = parser.parse_args()
    cases = parse_cases()
    print(f"python-phonenumbers parse cases: {len(cases)}")
    print_rows(["reader", "cases agreeing with the label"], [
        ("crmclean normalize_phone", f"{accuracy(crmclean_reading, cases):.1%}"),
        (f"phonenumbers {phonenumbers.__version__} parse + is_valid_number",
         f"{accuracy(phonenumbers_reading, cases):.1%}"),
    ])  # fmt: skip
    if args.misses:
        for case in cases:
            reading = crmclean_reading(case["input"], case["region"])
            if not case_passes(case, reading):
                print(case["input"][:80], case["region"], case["expected_e164"] or "error",
                      case["expected_extension"], "->", reading)  # fmt: skip
    if args.accuracy_only:
        return
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
