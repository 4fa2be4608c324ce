"""Address normalization: throughput on one-line US addresses, and agreement with
usaddress-scourgify (a USPS Publication 28 normalizer built on the usaddress CRF tagger).

Values are unique generated one-line US addresses in the shapes CRM fields hold: spelled-out
or abbreviated suffixes and directionals, units (Apartment 4, Ste 200, #12, 3rd Floor), state
names or codes, ZIP or ZIP+4, lower/upper/title case, with or without commas. The agreement
table compares crmclean's fields with scourgify's on the same sample, field by field, after
mapping scourgify's fields to crmclean's (address_line_1 → line1, address_line_2 → unit,
city, state → region, postal_code → postcode), upper-cased and with whitespace folded.

Accuracy on labelled real address strings (``--labelled``): usaddress's hand-labelled corpus
(``benchmarks/data/usaddress_labelled``, MIT; see its README). Each labelled string is read by
crmclean and by usaddress (its own tokens and labels), and both are compared with the labels
field by field, by substance:

- house number: ``AddressNumberPrefix AddressNumber AddressNumberSuffix`` ↔ ``house_number``;
- street: pre-modifier, pre-directional, pre-type, name, post-type, post-directional,
  post-modifier (and an intersection's separator and second street) ↔ ``street``;
- unit: ``OccupancyType OccupancyIdentifier`` and ``SubaddressType SubaddressIdentifier`` ↔
  ``unit``;
- PO box: ``USPSBoxGroupType USPSBoxGroupID USPSBoxType USPSBoxID`` ↔ ``po_box`` (a box-only
  address also has its box as ``street``: that street is not compared as a street);
- city: ``PlaceName`` ↔ ``city``; state: ``StateName`` ↔ ``region``; ZIP: ``ZipCode
  ZipPlus4`` ↔ ``postcode``;
- recipient: ``Recipient`` ↔ ``recipient``; building: ``BuildingName`` and ``LandmarkName`` ↔
  ``building`` (reported apart: they are not part of the postal address);
- ``CountryName``, ``NotAddress`` and labels of no field are not scored.

"By substance": case, dots, commas, parentheses and ``#`` are ignored; words are compared
after mapping USPS Publication 28 abbreviations to one form (street suffixes, directionals and
unit designators from crmclean's tables, which transcribe Publication 28; ``Suite`` = ``Ste``,
``North`` = ``N``); ordinal floors count as their number (``Second Floor`` = ``3rd``-style
``Fl 2``); unit words are compared as a multiset (``Fl 2`` = ``2 Floor``); all PO-box spellings
(``P.O. Box``, ``POB``, ``Post Office Box``, ``Box``) are one word; in cities ``St``/``Saint``,
``Ft``/``Fort``, ``Mt``/``Mount`` are equal; states compare by their USPS code; ZIPs by their
digits (any dash); a directional written spaced is one (``S W`` = ``SW``); a unit designator
written against its number is two words (``Suite100``), ``No.`` is the number sign and
``Lower level`` is ``Lowr``; ``Bx`` = ``Box``, ``Lock Box`` = ``LBX`` = ``Lockbox``,
``Highway Contract Route`` = ``HC``; a Publication 28 standard form stands for itself (``MDW``);
text is NFKC-folded (``½``). A field absent from the labels must be absent from the result
(a city that is not in the string is wrong). An address is right when all seven postal
fields are right.

"Well-formed" strings: the labels, in order, are an address number, street parts, optionally
units, a place name, a state name, optionally a ZIP (and a country), and nothing else — no
recipient, building, landmark, PO box, intersection or unlabelled text.

Usage: python benchmarks/bench_addresses.py [--n 50000] [--agree 2000] [--seed 11]
       python benchmarks/bench_addresses.py --labelled [--errors 20] [--only training]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import sys
import unicodedata
from collections import Counter
from functools import cache as functools_cache
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


# --- accuracy on labelled real address strings -------------------------------------------------

LABELLED = Path(__file__).parent / "data" / "usaddress_labelled"
LABELLED_FILES = (("training_labeled.xml", "usaddress training"),
                  ("test_labeled.xml", "usaddress test"))  # fmt: skip
POSTAL_FIELDS = ("house", "street", "unit", "po_box", "city", "state", "zip")
OTHER_FIELDS = ("recipient", "building")
LABEL_FIELDS = {
    "AddressNumberPrefix": "house", "AddressNumber": "house", "AddressNumberSuffix": "house",
    "StreetNamePreModifier": "street", "StreetNamePreDirectional": "street",
    "StreetNamePreType": "street", "StreetName": "street", "StreetNamePostType": "street",
    "StreetNamePostDirectional": "street", "StreetNamePostModifier": "street",
    "IntersectionSeparator": "street", "SecondStreetName": "street",
    "SecondStreetNamePostType": "street", "SecondStreetNamePreDirectional": "street",
    "SecondStreetNamePostDirectional": "street", "SecondStreetNamePreType": "street",
    "SecondStreetNamePreModifier": "street",
    "OccupancyType": "unit", "OccupancyIdentifier": "unit", "SubaddressType": "unit",
    "SubaddressIdentifier": "unit",
    "USPSBoxGroupType": "po_box", "USPSBoxGroupID": "po_box", "USPSBoxType": "po_box",
    "USPSBoxID": "po_box",
    "PlaceName": "city", "StateName": "state", "ZipCode": "zip", "ZipPlus4": "zip",
    "Recipient": "recipient", "BuildingName": "building", "LandmarkName": "building",
}  # fmt: skip
_ORDINAL_WORDS = {"FIRST": "1", "SECOND": "2", "THIRD": "3", "FOURTH": "4", "FIFTH": "5",
                  "SIXTH": "6", "SEVENTH": "7", "EIGHTH": "8", "NINTH": "9",
                  "TENTH": "10"}  # fmt: skip
_WELL_FORMED = None


def read_labelled(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """(the string as written, its (token, label) pairs) for each labelled string."""
    import xml.etree.ElementTree as ET

    out = []
    for node in ET.parse(path).getroot():
        text = "".join(node.itertext()).strip()
        out.append((text, [(t.text or "", t.tag) for t in node]))
    return out


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).upper().replace(".", "")
    for ch in ',;:()#"':
        text = text.replace(ch, " ")
    return text.split()


@functools_cache
def _usps() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Publication 28 spellings → standard: street words, unit designators, states."""
    from crmclean.normalize.data import load_rows

    rows = load_rows("address_street_suffixes.csv")
    street = {r["variant"]: r["standard"] for r in rows}
    # Publication 28 lists some standard forms also as variants of another suffix (MDW is
    # MEADOW's standard and a variant of MEADOWS): a standard form stands for itself
    street.update({r["standard"]: r["standard"] for r in rows})
    street.update({r["direction"]: r["standard"] for r in load_rows("address_directionals.csv")})
    units = {r["variant"]: r["standard"] for r in load_rows("address_units.csv")}
    states: dict[str, str] = {}
    for r in load_rows("address_regions.csv"):
        if r["country"] in ("US", "CA"):
            for name in (r["code"], r["name"], *r["variants"].split("|")):
                if name:
                    states.setdefault(" ".join(_words(name)), r["code"])
    return street, units, states


_SPACED_DIRECTIONAL = re.compile(r"(?<!\S)([NS]) ([EW])(?!\S)")


def _split_glued(words: list[str], designators: dict[str, str]) -> list[str]:
    """``SUITE100`` → ``SUITE 100``: a designator written against its number."""
    out = []
    for w in words:
        m = re.fullmatch(r"([A-Z]+)(\d\w*)", w)
        if m and m.group(1) in designators:
            out.extend(m.groups())
        else:
            out.append(w)
    return out


def _substance(field: str, text: str | None) -> str | None:
    """A field's value in the form compared: USPS abbreviations, case and punctuation folded."""
    if not text or not _words(text):
        return None
    street_words, unit_words, states = _usps()
    words = _words(text)
    if field == "house":
        return "".join(words)
    if field == "street":  # a directional written spaced (S W) is the same directional (SW)
        return _SPACED_DIRECTIONAL.sub(r"\1\2", " ".join(street_words.get(w, w) for w in words))
    if field == "unit":
        levels = {"LOWR", "UPPR"}
        folded = []
        for w in _split_glued(words, unit_words):
            if w == "NO" or (w == "LEVEL" and levels & {unit_words.get(x) for x in words}):
                continue  # No. is the number sign; Lower level is Publication 28's LOWR
            w = _ORDINAL_WORDS.get(w, w)
            if w[:1].isdigit() and w[-2:] in ("ST", "ND", "RD", "TH") and w[:-2].isdigit():
                w = w[:-2]
            folded.append(unit_words.get(w, w))
        return " ".join(sorted(folded))
    if field == "po_box":
        joined = " " + " ".join(_split_glued(words, {"RR": "RR", "HC": "HC"})) + " "
        for old, new in (
            (" HIGHWAY CONTRACT ROUTE ", " HC "),
            (" POST OFFICE ", " "),
            (" P O ", " "),
            (" PO ", " "),
            (" POB ", " BOX "),
            (" POBOX ", " BOX "),
            (" BX ", " BOX "),
            (" LOCK BOX ", " LOCKBOX "),
            (" LBX ", " LOCKBOX "),
            (" RURAL ROUTE ", " RR "),
            (" R R ", " RR "),
            (" RTE ", " RR "),
            (" ROUTE ", " RR "),
            (" HIGHWAY CONTRACT ", " HC "),
            (" NO ", " "),
        ):
            joined = joined.replace(old, new)
        return " ".join(joined.split()) or None
    if field == "city":
        folds = {"ST": "SAINT", "FT": "FORT", "MT": "MOUNT"}
        return " ".join(folds.get(w, w) for w in words)
    if field == "state":
        joined = " ".join(words)
        for cut in range(1, len(words)):  # one state written twice: "Georgia GA"
            first, second = " ".join(words[:cut]), " ".join(words[cut:])
            if first in states and states[first] == states.get(second):
                return states[first]
        return states.get(joined, joined)
    if field == "zip":  # a ZIP that lost its leading zeros is the same ZIP
        digits = re.sub(r"[-\u2010-\u2015]", "", "".join(words))
        return digits.zfill(5) if digits.isdigit() and len(digits) < 5 else digits
    return " ".join(words)


def _fields_of_labels(pairs: list[tuple[str, str]]) -> dict[str, str | None]:
    texts: dict[str, list[str]] = {}
    for token, label in pairs:
        field = LABEL_FIELDS.get(label)
        if field is not None:
            texts.setdefault(field, []).append(token)
    return {f: _substance(f, " ".join(texts.get(f, ()))) for f in POSTAL_FIELDS + OTHER_FIELDS}


def _fields_of_address(a: Any) -> dict[str, str | None]:
    # a box-only address has its box as street too (versions before Address.po_box: only)
    box = getattr(a, "po_box", a.street if "po_box" in a.issues else None)
    street = None if a.street == box else a.street
    values = {
        "house": a.house_number, "street": street, "unit": a.unit,
        "po_box": box, "city": a.city, "state": a.region,
        "zip": a.postcode, "recipient": getattr(a, "recipient", None),
        "building": getattr(a, "building", None),
    }  # fmt: skip
    return {f: _substance(f, v) for f, v in values.items()}


def well_formed(pairs: list[tuple[str, str]]) -> bool:
    """Number, street, optional units, place, state, optional ZIP (and country), in order."""
    import re

    global _WELL_FORMED
    if _WELL_FORMED is None:
        _WELL_FORMED = re.compile(r"H+S+U*C+R+Z*N*")
    codes = {"house": "H", "street": "S", "unit": "U", "city": "C", "state": "R", "zip": "Z"}
    seq = "".join(
        "N" if label == "CountryName"
        else codes.get(LABEL_FIELDS.get(label, ""), "X") if label not in (
            "IntersectionSeparator", "SecondStreetName") else "X"
        for _, label in pairs
    )  # fmt: skip
    return bool(pairs) and pairs[0][1] == "AddressNumber" and bool(_WELL_FORMED.fullmatch(seq))


def labelled_accuracy(n_errors: int = 0, only: str | None = None) -> None:
    """Print crmclean's and usaddress's accuracy on the labelled strings (Markdown tables).

    ``only``: read one set (``training`` or ``test``); errors are printed with a count of the
    wrong fields, to work from the training set's errors without looking at the test set's.
    """
    try:
        import usaddress
    except ImportError:
        usaddress = None

    def peer(text: str) -> dict[str, str | None] | None:
        if usaddress is None:
            return None
        return _fields_of_labels([(t, lab) for t, lab in usaddress.parse(text)])

    for name, title in LABELLED_FILES:
        if only is not None and not name.startswith(only):
            continue
        cases = read_labelled(LABELLED / name)
        rows = []
        counts: Counter[str] = Counter()
        wrong_fields: Counter[str] = Counter()
        errors: list[str] = []
        for text, pairs in cases:
            gold = _fields_of_labels(pairs)
            ours = _fields_of_address(normalize_address(text))
            theirs = peer(text)
            wf = well_formed(pairs)
            counts["n"] += 1
            counts["n_wf"] += wf
            for who, got in (("crmclean", ours), ("usaddress", theirs)):
                if got is None:
                    continue
                ok_fields = [f for f in POSTAL_FIELDS + OTHER_FIELDS if got[f] == gold[f]]
                for f in ok_fields:
                    counts[f"{who} {f}"] += 1
                right = all(got[f] == gold[f] for f in POSTAL_FIELDS)
                counts[f"{who} all"] += right
                counts[f"{who} all+"] += right and all(got[f] == gold[f] for f in OTHER_FIELDS)
                if wf:
                    counts[f"{who} wf"] += right
                if who == "crmclean" and not right:
                    wrong_fields[" + ".join(f for f in POSTAL_FIELDS if got[f] != gold[f])] += 1
                if who == "crmclean" and not right and len(errors) < n_errors:
                    wrong = [f"{f}: {got[f]!r} ≠ {gold[f]!r}" for f in POSTAL_FIELDS
                             if got[f] != gold[f]]  # fmt: skip
                    errors.append(f"{text!r}\n    " + "; ".join(wrong))
        n, n_wf = counts["n"], counts["n_wf"]
        who_all = ["crmclean"] + (["usaddress"] if usaddress is not None else [])
        header = ["field"] + [f"{w}" for w in who_all]
        rows = [[f] + [f"{counts[f'{w} {f}'] / n:.1%}" for w in who_all]
                for f in POSTAL_FIELDS + OTHER_FIELDS]  # fmt: skip
        rows.append(["**all postal fields**"] + [f"**{counts[f'{w} all'] / n:.1%}**"
                                                 for w in who_all])  # fmt: skip
        rows.append(
            [f"all postal fields, well-formed strings ({n_wf})"]
            + [f"{counts[f'{w} wf'] / max(n_wf, 1):.1%}" for w in who_all]
        )
        rows.append(
            ["all fields with recipient and building"]
            + [f"{counts[f'{w} all+'] / n:.1%}" for w in who_all]
        )
        print(f"\n{title} ({name}): {n:,} labelled strings, {n_wf} well-formed\n")
        print_rows(header, rows)
        if errors:
            print("\nStrings crmclean gets wrong, by the fields that are wrong:\n")
            print_rows(["wrong fields", "strings"], [[k, v] for k, v in wrong_fields.most_common()])
            print("\n" + "\n".join(errors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--agree", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--labelled", action="store_true", help="only the accuracy on labelled real address strings"
    )
    parser.add_argument(
        "--errors",
        type=int,
        default=0,
        help="with --labelled: print the first N strings crmclean gets wrong",
    )
    parser.add_argument(
        "--only",
        choices=("training", "test"),
        default=None,
        help="with --labelled: read only this set (work from training errors only)",
    )
    args = parser.parse_args()
    if args.labelled:
        labelled_accuracy(args.errors, args.only)
        return
    values = make_addresses(args.n, args.seed)
    # load the tables (and the place names) outside the timings
    normalize_address("1 Main St, Springfield, IL 62701")
    normalize_address("1 Main Springfield IL 62701")
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
