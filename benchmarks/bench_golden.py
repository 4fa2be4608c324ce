"""Golden-record quality: generated duplicates with known true values, three survivorship policies.

Each generated person has true values (a multilingual first and last name, written with their
diacritics or in their own script, a personal email built from the name, a phone number, a
company and a street line). The person appears in two to five records; every record but one
(chosen at random) may carry one damaged value, the way CRM data is damaged:

- ``typo``: one edit in the first or last name (``Loopez``, ``Mariia``, ``CCameron``);
- ``swap``: first and last names swapped;
- ``initial``: the first name as an initial (``M.``);
- ``fold``: the names written in ASCII (``Yilmaz`` for ``Yılmaz``);
- ``title``: a prefix or post-nominal inside the name (``Dr. Priya``, ``Patel PhD``);
- ``email``: an invalid address or a typo of the mailbox domain (``hotmial.com``);
- ``phone``: a wrong number (a digit dropped, or the placeholder ``000-000-0000``);
- ``street``: a fragment of the street line (the house number alone).

One person in five has changed employer: their newest record holds the new company, the true
value. Every record of a person has its own update date (no two alike), so recency is no
guide to damage.

A person's golden record *keeps no damaged value* when its first name, last name, email, phone,
company and street are the true ones in substance: golden values come in standard form (E.164
phones, cased names without titles, ``Acme Corp.``), so names and emails are compared ignoring
case only (an ASCII fold, a typo, a title left in or a swapped name is still damage), phones by
their E.164 number, companies by their key (legal form spelled any way) and streets by their
address key (``Main St`` for ``Main Street``). A typo'd or wrong value never shares these.
The benchmark merges the same clusters with three
strategies: ``MergeStrategy.default_for`` (consensus and quality), every field from the most
recent record, and every field from the most complete record.

Usage: python benchmarks/bench_golden.py [--persons 20000] [--seed 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line, print_rows
from crmclean.merge import MergeRule, MergeStrategy, merge
from crmclean.normalize.addresses import normalize_address
from crmclean.normalize.companies import normalize_company
from crmclean.normalize.phones import normalize_phone

FIRST = ("María", "José", "Mária", "Zoë", "Çağla", "İsmail", "Jürgen", "Łukasz", "Søren",
         "François", "Renée", "Björn", "Ayşe", "Maria Cecília", "Cameron", "James", "Priya",
         "Olga", "Hans", "Wei", "Ana", "Noah", "Emily", "David", "Sarah", "Michael", "Fatima",
         "Kenji", "Lucas", "Chloé", "Jonathan", "Elizabeth")  # fmt: skip
LAST = ("López", "Yılmaz", "Müller", "Dubois", "Nowak", "García Márquez", "Øvergaard",
        "Šimková", "Clark", "Patel", "Johnson", "O'Brien", "Smith", "Brown", "Lee", "Wang",
        "Petrova", "Hernández", "Souza", "Kowalski", "Martin", "Rossi", "Silva", "Tanaka",
        "Fischer", "Weber", "Ivanova", "Nguyen", "Kaya", "Demir")  # fmt: skip
COMPANIES = ("Acme Corp", "Globex LLC", "Initech", "Umbrella Corp", "Stark Industries",
             "Wayne Enterprises", "Hooli", "Vandelay Industries", "Soylent Corp",
             "Massive Dynamic", "Yılmaz Tekstil A.Ş.", "Müller & Söhne GmbH")  # fmt: skip
STREETS = ("Main Street", "Oak Avenue", "Büyükdere Caddesi", "Hauptstraße", "Rue de Rivoli",
           "Calle Mayor", "Park Road", "Elm Street", "Keizersgracht", "Avenida Paulista")
DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com")
TYPO_DOMAINS = {"gmail.com": "gmial.com", "yahoo.com": "yaho.com", "hotmail.com": "hotmial.com",
                "outlook.com": "outlok.com"}  # fmt: skip
DAMAGES = ("typo", "swap", "initial", "fold", "title", "email", "phone", "street")
FIELDS = ("first_name", "last_name", "email", "phone", "company", "street")


def fold(text: str) -> str:
    """ASCII letters only (``Yılmaz`` → ``Yilmaz``)."""
    text = text.replace("ı", "i").replace("İ", "I").replace("ø", "o").replace("Ø", "O")
    text = text.replace("ł", "l").replace("Ł", "L").replace("ß", "ss")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def typo(text: str, r: random.Random) -> str:
    """One edit: a letter doubled, dropped or replaced."""
    at = r.randrange(len(text))
    op = r.choice(("double", "drop", "replace"))
    if op == "double" or len(text) < 4:
        return text[: at + 1] + text[at:]
    if op == "drop":
        return text[:at] + text[at + 1 :]
    return text[:at] + r.choice("aeiourstln") + text[at + 1 :]


def person(i: int, r: random.Random) -> dict[str, Any]:
    first, last = r.choice(FIRST), r.choice(LAST)
    local = re.sub(r"[^a-z]", "", fold(first).lower()) + "." + re.sub(
        r"[^a-z]", "", fold(last).lower())  # fmt: skip
    return {
        "first_name": first, "last_name": last,
        "email": f"{local}{i}@{r.choice(DOMAINS)}",
        "phone": f"+1 {r.choice(('212', '415', '617', '312'))} {r.randrange(200, 999)} "
                 f"{r.randrange(1000, 9999)}",
        "company": r.choice(COMPANIES),
        "street": f"{r.randrange(1, 400)} {r.choice(STREETS)}",
    }  # fmt: skip


def damage(record: dict[str, Any], truth: dict[str, Any], kind: str, r: random.Random) -> None:
    if kind == "typo":
        field = r.choice(("first_name", "last_name"))
        record[field] = typo(truth[field], r)
    elif kind == "swap":
        record["first_name"], record["last_name"] = truth["last_name"], truth["first_name"]
    elif kind == "initial":
        record["first_name"] = truth["first_name"][0] + "."
    elif kind == "fold":
        record["first_name"], record["last_name"] = fold(truth["first_name"]), fold(
            truth["last_name"])  # fmt: skip
    elif kind == "title":
        if r.random() < 0.5:
            record["first_name"] = r.choice(("Dr.", "Mr.", "Ms.", "Prof.")) + " " + truth[
                "first_name"]  # fmt: skip
        else:
            record["last_name"] = truth["last_name"] + " " + r.choice(("PhD", "MBA", "Jr."))
    elif kind == "email":
        local, domain = truth["email"].split("@")
        record["email"] = r.choice((f"{local}@{TYPO_DOMAINS[domain]}", f"{local}@@{domain}",
                                    f"{local}{domain}"))  # fmt: skip
    elif kind == "phone":
        digits = truth["phone"].replace(" ", "")
        record["phone"] = r.choice((digits[:-1], "000-000-0000"))
    elif kind == "street":
        record["street"] = truth["street"].split(" ")[0]


def generate(persons: int, seed: int) -> tuple[list[dict[str, Any]], dict[str, int],
                                               dict[int, dict[str, Any]]]:  # fmt: skip
    """Records, record id → person, and each person's true values."""
    r = random.Random(seed)
    records: list[dict[str, Any]] = []
    cluster: dict[str, int] = {}
    truths: dict[int, dict[str, Any]] = {}
    for p in range(persons):
        truth = person(p, r)
        n = r.choice((2, 2, 2, 3, 3, 4, 5))
        days = r.sample(range(365), n)  # distinct dates: one record is the newest
        dates = [(dt.date(2025, 1, 1) + dt.timedelta(days=d)).isoformat() for d in days]
        clean = r.randrange(n)
        moved = r.random() < 0.2
        newest = max(range(n), key=lambda k: dates[k])
        old_company = truth["company"]
        if moved:
            truth["company"] = r.choice([c for c in COMPANIES if c != old_company])
        for k in range(n):
            record = dict(truth)
            if moved and k != newest:
                record["company"] = old_company
            if k != clean and r.random() < 0.6:
                damage(record, truth, r.choice(DAMAGES), r)
            rid = f"p{p}r{k}"
            record = {"id": rid, **record, "updated_at": dates[k]}
            records.append(record)
            cluster[rid] = p
        truths[p] = truth
    return records, cluster, truths


def _same(field: str, golden: object, true: object) -> bool:
    """The golden value is the true one in substance (see the module's docstring)."""
    if not isinstance(golden, str):
        return False
    if field == "phone":
        found = normalize_phone(golden).e164
        return found is not None and found == normalize_phone(true).e164
    if field == "company":
        key = normalize_company(golden).key
        return bool(key) and key == normalize_company(true).key
    if field == "street":
        key = normalize_address(golden).key
        return bool(key) and key == normalize_address(true).key
    return golden.strip().casefold() == str(true).casefold()


def score(result: Any, truths: dict[int, dict[str, Any]]) -> tuple[float, dict[str, int]]:
    """Share of persons whose golden record keeps no damaged value, and misses per field."""
    rows = result.golden.to_dict("records")
    misses = dict.fromkeys(FIELDS, 0)
    good = 0
    for row in rows:
        truth = truths[row["cluster_id"]]
        wrong = [f for f in FIELDS if not _same(f, row[f], truth[f])]
        for f in wrong:
            misses[f] += 1
        good += not wrong
    return good / len(rows), misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    records, clusters, truths = generate(args.persons, args.seed)
    names = list(records[0])
    strategies = {
        "crmclean default (consensus and quality)": MergeStrategy.default_for(names),
        "most recent record wins": MergeStrategy(
            default=(MergeRule.most_recent(),), master=("most_complete",),
            date_column="updated_at"),
        "most complete record wins": MergeStrategy(
            default=("from_master",), master=("most_complete",)),
    }  # fmt: skip
    print(machine_line())
    print(f"{args.persons:,} persons, {len(records):,} records, seed {args.seed}\n")
    table = []
    for label, strategy in strategies.items():
        started = time.perf_counter()
        result = merge(records, clusters, id_column="id", strategy=strategy)
        seconds = time.perf_counter() - started
        share, misses = score(result, truths)
        table.append([label, f"{share:.3%}", *(f"{misses[f]:,}" for f in FIELDS),
                      f"{seconds:.1f}"])  # fmt: skip
    print_rows(["strategy", "no damaged value", *(f"wrong {f}" for f in FIELDS), "seconds"], table)


if __name__ == "__main__":
    main()
