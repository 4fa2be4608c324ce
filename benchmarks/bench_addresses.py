"""Address normalization: throughput on one-line US addresses, and agreement with
usaddress-scourgify (a USPS Publication 28 normalizer built on the usaddress CRF tagger).

Values are unique generated one-line US addresses in the shapes CRM fields hold: spelled-out
or abbreviated suffixes and directionals, units (Apartment 4, Ste 200, #12, 3rd Floor), state
names or codes, ZIP or ZIP+4, lower/upper/title case, with or without commas. The agreement
table compares crmclean's fields with scourgify's on the same sample, field by field, after
mapping scourgify's fields to crmclean's (address_line_1 → line1, address_line_2 → unit,
city, state → region, postal_code → postcode), upper-cased and with whitespace folded.

Usage: python benchmarks/bench_addresses.py [--n 50000] [--agree 2000] [--seed 11]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line, per_second, print_rows
from crmclean import normalize_address, normalize_many

NAMES = (
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
    "Lincoln", "Jefferson", "Madison", "Franklin", "Sunset", "Highland", "Church", "River",
    "Market", "Broad", "Spring", "Center", "Chestnut", "Walnut", "Willow", "Mill", "Ridge",
    "Meadow", "Forest", "Prospect", "Union", "Water", "Cherry", "Dogwood", "Magnolia", "Peachtree",
    "5th", "2nd", "3rd", "1st", "42nd", "10th", "Martin Luther King Jr", "Old Mill",
    "Saint Charles", "Fox Run", "Kings", "Canyon View", "Harbor", "Valley",
)  # fmt: skip
SUFFIXES = (
    ("Street", "St"), ("Avenue", "Ave"), ("Road", "Rd"), ("Drive", "Dr"), ("Lane", "Ln"),
    ("Boulevard", "Blvd"), ("Court", "Ct"), ("Place", "Pl"), ("Way", "Way"), ("Circle", "Cir"),
    ("Parkway", "Pkwy"), ("Terrace", "Ter"), ("Trail", "Trl"), ("Highway", "Hwy"),
    ("Square", "Sq"), ("Crossing", "Xing"), ("Point", "Pt"), ("Heights", "Hts"),
)  # fmt: skip
DIRECTIONS = (
    ("North", "N"),
    ("South", "S"),
    ("East", "E"),
    ("West", "W"),
    ("Northeast", "NE"),
    ("Northwest", "NW"),
    ("Southeast", "SE"),
    ("Southwest", "SW"),
)
UNITS = (
    ("Apartment", "Apt"),
    ("Suite", "Ste"),
    ("Unit", "Unit"),
    ("Building", "Bldg"),
    ("Room", "Rm"),
    ("#", "#"),
)
CITIES = (
    ("Springfield", "IL", "Illinois", "627"), ("New York", "NY", "New York", "100"),
    ("Los Angeles", "CA", "California", "900"), ("Chicago", "IL", "Illinois", "606"),
    ("Houston", "TX", "Texas", "770"), ("Phoenix", "AZ", "Arizona", "850"),
    ("Philadelphia", "PA", "Pennsylvania", "191"), ("San Antonio", "TX", "Texas", "782"),
    ("San Diego", "CA", "California", "921"), ("Dallas", "TX", "Texas", "752"),
    ("Austin", "TX", "Texas", "787"), ("Jacksonville", "FL", "Florida", "322"),
    ("Columbus", "OH", "Ohio", "432"), ("Charlotte", "NC", "North Carolina", "282"),
    ("Seattle", "WA", "Washington", "981"), ("Denver", "CO", "Colorado", "802"),
    ("Boston", "MA", "Massachusetts", "021"), ("Nashville", "TN", "Tennessee", "372"),
    ("Portland", "OR", "Oregon", "972"), ("Las Vegas", "NV", "Nevada", "891"),
    ("Detroit", "MI", "Michigan", "482"), ("Memphis", "TN", "Tennessee", "381"),
    ("Baltimore", "MD", "Maryland", "212"), ("Milwaukee", "WI", "Wisconsin", "532"),
    ("Albuquerque", "NM", "New Mexico", "871"), ("Atlanta", "GA", "Georgia", "303"),
    ("Kansas City", "MO", "Missouri", "641"), ("Miami", "FL", "Florida", "331"),
    ("Minneapolis", "MN", "Minnesota", "554"), ("New Orleans", "LA", "Louisiana", "701"),
    ("Saint Louis", "MO", "Missouri", "631"), ("Salt Lake City", "UT", "Utah", "841"),
    ("Virginia Beach", "VA", "Virginia", "234"), ("Hartford", "CT", "Connecticut", "061"),
    ("Newark", "NJ", "New Jersey", "071"), ("Anchorage", "AK", "Alaska", "995"),
    ("Honolulu", "HI", "Hawaii", "968"), ("Burlington", "VT", "Vermont", "054"),
    ("Providence", "RI", "Rhode Island", "029"), ("Des Moines", "IA", "Iowa", "503"),
)  # fmt: skip


def make_addresses(n: int, seed: int) -> list[str]:
    """``n`` unique one-line US addresses in CRM shapes."""
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        long_form = rng.random() < 0.5
        words = [str(rng.randrange(1, 20_000))]
        if rng.random() < 0.25:
            words.append(rng.choice(DIRECTIONS)[0 if long_form else 1])
        words.append(rng.choice(NAMES))
        words.append(rng.choice(SUFFIXES)[0 if rng.random() < 0.5 else 1])
        if rng.random() < 0.08:
            words.append(rng.choice(DIRECTIONS)[1])
        street = " ".join(words)
        unit = ""
        roll = rng.random()
        if roll < 0.25:
            kind = rng.choice(UNITS)[0 if rng.random() < 0.5 else 1]
            ident = str(rng.randrange(1, 400)) + (rng.choice("AB") if rng.random() < 0.1 else "")
            unit = f"{kind}{'' if kind == '#' else ' '}{ident}"
        elif roll < 0.28:
            unit = f"{rng.choice(['2nd', '3rd', '4th', '10th'])} Floor"
        city, code, state_name, prefix = rng.choice(CITIES)
        state = state_name if rng.random() < 0.15 else code
        zipcode = prefix + f"{rng.randrange(100):02d}"
        if rng.random() < 0.2:
            zipcode += f"-{rng.randrange(10_000):04d}"
        if rng.random() < 0.7:
            value = ", ".join(x for x in (street, unit, city, f"{state} {zipcode}") if x)
        else:
            value = " ".join(x for x in (street, unit, city, state, zipcode) if x)
        case = rng.random()
        if case < 0.2:
            value = value.lower()
        elif case < 0.35:
            value = value.upper()
        out.add(value)
    return sorted(out)


def _fold(value: object) -> str:
    return " ".join(str(value or "").upper().replace(".", "").split())


def agreement(values: list[str]) -> tuple[list[list[Any]], Counter[str], list[tuple[str, ...]]]:
    from scourgify import normalize_address_record

    fields = (("line1", "address_line_1"), ("unit", "address_line_2"), ("city", "city"),
              ("region", "state"), ("postcode", "postal_code"))  # fmt: skip
    same: Counter[str] = Counter()
    failed = 0
    examples: list[tuple[str, ...]] = []
    for value in values:
        ours = normalize_address(value)
        try:
            theirs = normalize_address_record(value)
        except Exception:  # scourgify raises on what it cannot parse
            failed += 1
            continue
        for ours_name, their_name in fields:
            a, b = _fold(getattr(ours, ours_name)), _fold(theirs.get(their_name))
            if a == b:
                same[ours_name] += 1
            elif len(examples) < 12:
                examples.append((ours_name, value, a, b))
        whole = all(_fold(getattr(ours, o)) == _fold(theirs.get(t)) for o, t in fields)
        same["all fields"] += whole
    parsed = len(values) - failed
    rows = [
        [name, f"{same[name] / parsed:.1%}"]
        for name in ("line1", "unit", "city", "region", "postcode", "all fields")
    ]
    rows.append(["(scourgify could not parse)", f"{failed / len(values):.1%}"])
    return rows, same, examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--agree", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    values = make_addresses(args.n, args.seed)
    normalize_address("1 Main St, Springfield, IL 62701")  # load the tables outside the timings
    results = normalize_many(normalize_address, values)
    valid = sum(r.valid for r in results) / len(values)

    def ours() -> None:
        for value in values:
            normalize_address(value)

    rows: list[list[object]] = [
        ["crmclean normalize_address", per_second(ours, len(values)), f"{valid:.1%}"]
    ]
    sample = values[: min(5_000, len(values))]
    try:
        import usaddress
        from scourgify import normalize_address_record
    except ImportError:
        print("usaddress-scourgify is not installed: comparison skipped")
    else:

        def tag() -> None:
            for value in sample:
                with contextlib.suppress(usaddress.RepeatedLabelError):
                    usaddress.tag(value)

        def scourgify() -> None:
            for value in sample:
                with contextlib.suppress(Exception):
                    normalize_address_record(value)

        rows.append(["usaddress.tag (tagging only)", per_second(tag, len(sample), repeat=1), ""])
        rows.append(
            ["scourgify normalize_address_record", per_second(scourgify, len(sample), repeat=1), ""]
        )
    print(f"Machine: {machine_line()}\n")
    print(f"{len(values):,} unique one-line US addresses\n")
    print_rows(["normalizer", "addresses/s", "valid"], rows)
    try:
        agree_rows, _, examples = agreement(make_addresses(args.agree, args.seed + 1))
    except ImportError:
        return
    print(f"\nAgreement with usaddress-scourgify on {args.agree:,} generated US addresses\n")
    print_rows(["field", "same value"], agree_rows)
    if examples:
        print("\nFirst disagreements (field | value | crmclean | scourgify):\n")
        for example in examples:
            print(" | ".join(example))


if __name__ == "__main__":
    main()
