"""Phone normalization throughput, side by side with calling phonenumbers directly.

The raw baseline does the same work crmclean's result holds: parse, validity, number type,
and the E.164, national and international formats. Values are realistic CRM spellings of
numbers from nine countries; "unique" has no repeats, "repeated" draws 100k values from 10k.
The batch rows are the column paths: ``normalize_phone_rows`` (a region per row; numbers in
the common shapes go through the fast path over libphonenumber's metadata, the rest through
``normalize_phone``) and the matching keys (E.164 and the placeholder flag only, no number
type or display formats), on all values and on those the fast path reads.

``--differential N`` instead checks the fast path against ``normalize_phone`` on N cells of
``phone_corpus.py`` (example numbers of every region and type grown into neighbours and
written many ways, random digit strings, North American CRM forms; in chunks of 200,000 with
their own seeds), on the benchmark's own values and on the phone column of ``--contacts``
generated contacts (``generate.py``): E.164, validity, type, formats and issues must be
identical, and it prints how many cells the fast path read and its speed on them.

``--prepare CSV`` times, in CPU seconds, the phone matching keys (the ``prepare`` step of
``dedupe``) and ``normalize_phone_rows`` (``standardize``) on the phone column of a contacts CSV
written by ``generate.py``, each row read in its country's region.

It first reports accuracy on the parse cases of python-phonenumbers' own test suite
(``tests/data/phonenumbers_parse_cases.csv``, see ``tests/data/SOURCES.md``), for crmclean and
for ``phonenumbers`` itself with the same reading of its result.

Usage: python benchmarks/bench_phones.py [--n 100000] [--seed 3] [--accuracy-only]
       python benchmarks/bench_phones.py --differential 2000000 [--contacts 200000]
       python benchmarks/bench_phones.py --prepare contacts_1m.csv
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line, per_second, print_rows
from crmclean import normalize_many, normalize_phone, normalize_phone_rows
from crmclean.normalize._phonefast import e164_rows, parse_column, parse_fast

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


def batch_rows(unique: list[tuple[str, str]]) -> list[tuple[object, ...]]:
    """Column paths on unique values: normalize_phone_rows and the matching keys."""
    values = [value for value, _ in unique]
    regions = [region for _, region in unique]
    e164_rows(values[:1000], regions[:1000])  # compile the plans of these regions
    read = [(v, r) for v, r in unique if parse_fast(v, r) is not None]
    read_values, read_regions = [v for v, _ in read], [r for _, r in read]
    n, k = len(values), len(read)
    return [
        ("normalize_phone_rows, unique",
         per_second(lambda: normalize_phone_rows(values, regions), n)),
        ("matching keys (E.164, placeholder), unique",
         per_second(lambda: e164_rows(values, regions), n)),
        (f"matching keys, unique, the {k / n:.1%} the fast path reads",
         per_second(lambda: e164_rows(read_values, read_regions), k)),
        (f"the same {k / n:.1%}, CPU time",
         cpu_per_second(lambda: e164_rows(read_values, read_regions), k)),
        ("phonenumbers direct, unique, CPU time",
         cpu_per_second(lambda: raw(unique[:20_000]), min(n, 20_000))),
    ]  # fmt: skip


def cpu_per_second(run: object, n_values: int, *, repeat: int = 5) -> float:
    """Best-of-``repeat`` throughput in CPU time of this process (a loaded machine slows the
    wall clock far more than the work)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        run()  # type: ignore[operator]
        best = min(best, time.process_time() - start)
    return n_values / best


def prepare_times(path: str) -> None:
    """CPU seconds of the phone keys and of normalize_phone_rows on a contacts CSV."""
    from crmclean import fields
    from crmclean.columns import detect_roles
    from crmclean.frames import read_table

    columns = read_table(path)
    roles = detect_roles(list(columns))
    context = fields.FieldContext(columns, roles, region=None, dayfirst=True)
    regions = context.row_regions()
    phone = next(f for f in fields.fields() if f.name == "phone")
    assert phone.prepare is not None
    rows = []
    for label, run in (("phone matching keys (prepare)", lambda: phone.prepare(context)),
                       ("normalize_phone_rows (standardize)",
                        lambda: normalize_phone_rows(columns[roles["phone"]], regions))):
        start = time.process_time()
        run()
        rows.append((label, f"{time.process_time() - start:.1f}"))
    print(f"{len(regions):,} rows of {path}")
    print_rows(["step", "CPU seconds"], rows)


def differential(n: int, contacts: int, unique: list[tuple[str, str]]) -> None:
    """Check the fast path against normalize_phone on n corpus cells and real-format ones."""
    from phone_corpus import corpus

    sources: list[tuple[str, list[tuple[object, str | None]]]] = []
    for chunk in range((n + 199_999) // 200_000):
        size = min(200_000, n - chunk * 200_000)
        sources.append((f"corpus chunk {chunk + 1} (seed {chunk + 1})", corpus(size, chunk + 1)))
    sources.append(("benchmark values (nine countries, CRM formats)", list(unique)))
    if contacts:
        from crmclean import phone_regions
        from generate import generate_contacts

        table = generate_contacts(contacts, seed=1)
        regions = phone_regions(table["Country"])
        sources.append((f"{contacts:,} generated contacts' phone column",
                        list(zip(table["Phone Number"], regions, strict=True))))  # fmt: skip
    rows = []
    total_cells = total_read = total_diff = 0
    for label, cells in sources:
        values = [value for value, _ in cells]
        regions = [region for _, region in cells]
        fast = normalize_phone_rows(values, regions)
        keys = e164_rows(values, regions)
        diffs = 0
        for (value, region), phone, key in zip(cells, fast, keys, strict=True):
            slow = normalize_phone(value, region=region)
            no_ones = "fake_phone" in slow.issues or "fictional_phone" in slow.issues
            if phone != slow or key != (slow.e164, no_ones):
                diffs += 1
                if diffs <= 5:
                    print(f"DIFFERENT: {value!r} in {region}: {phone} != {slow}")
        read = sum(p is not None for p in _read_flags(values, regions))
        rows.append((label, f"{len(cells):,}", f"{read / len(cells):.1%}",
                     f"{sum(p.valid for p in fast) / len(cells):.1%}", diffs))  # fmt: skip
        total_cells += len(cells)
        total_read += read
        total_diff += diffs
    rows.append(("all", f"{total_cells:,}", f"{total_read / total_cells:.1%}", "", total_diff))
    print_rows(["cells", "count", "read by the fast path", "valid", "differences"], rows)


def _read_flags(values: list[object], regions: list[str | None]) -> list[object]:
    """parse_column's result per cell (None where the fallback reads it)."""
    by_region: dict[str | None, list[int]] = {}
    for i, region in enumerate(regions):
        by_region.setdefault(region, []).append(i)
    out: list[object] = [None] * len(values)
    for region, rows in by_region.items():
        for i, found in zip(rows, parse_column([values[i] for i in rows], region), strict=True):
            out[i] = found
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--accuracy-only", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list the cases crmclean misses")
    parser.add_argument("--differential", type=int, default=0, metavar="N",
                        help="check the fast path against normalize_phone on N corpus cells")
    parser.add_argument("--contacts", type=int, default=0, metavar="N",
                        help="with --differential: also N generated contacts' phones")
    parser.add_argument("--prepare", metavar="CSV",
                        help="CPU seconds of the phone keys and rows of a generated CSV")
    args = parser.parse_args()
    if args.prepare:
        print(machine_line())
        prepare_times(args.prepare)
        return
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
    if args.differential:
        print(machine_line())
        differential(args.differential, args.contacts, unique)
        return
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
    print()
    print_rows(["column path", "values/s"], batch_rows(unique))


if __name__ == "__main__":
    main()
