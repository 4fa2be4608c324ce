"""Deterministic generator of a people register joined with employment records, with ground truth.

Each row is one person as a population register extract joined with an employer's records
would hold them: first, middle and last name, an optional generational suffix, date of birth,
street address, postcode, city and employer; no e-mail and no phone. ``true_entity`` names the
person behind a row; ``hard_negative`` names the look-alike groups of different people the row
belongs to (for scoring only, like ``true_entity``).

People live in households: singles, couples and families sharing an address and (mostly) a
family name, with children born 20 to 40 years after their parents. A person appears one to
four times: people with several jobs appear once per employer with the same name, birth date
and street; people who moved appear at the old and at the new address. Repeats are damaged the
way register data is: nicknames, typos in names and streets, middle name as an initial or
missing, a digit of the birth date or day and month swapped, missing values, street-type
abbreviations, letter case, employer legal forms.

Hard negatives (``hard_negative`` holds ``kind:group`` entries separated by ``;``):

- ``household``: the members of one household (same address, same family name, different
  given names and birth dates) -- different people.
- ``twin``: twins in a household: same birth date and family name, different given names.
- ``generational``: a father and son with the same first (and often middle) name at one
  address, born 22 to 32 years apart; the suffix (Jr., Sr., II, III) is in the suffix column,
  appended to the last name, or missing.
- ``namesake``: people with the same first and last name as an earlier person, with another
  birth date and address.

Usage:
    python benchmarks/generate_register.py --rows 100000 --seed 1 --out register.csv

From Python:
    >>> import generate_register
    >>> cols = generate_register.generate_register(500, seed=2)
    >>> len(cols["record_id"]), "Middle Name" in cols, "Email" in cols
    (500, True, False)

The same ``rows`` and ``seed`` give the same table on every machine. Names, streets, cities and
company-name parts come from ``benchmarks/data/`` (through ``generate.py``'s reference data).
"""

from __future__ import annotations

import argparse
import bisect
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import generate as _gen

__all__ = ["COLUMNS", "DATA_COLUMNS", "generate_register", "main"]

#: The columns of the generated table, in order.
COLUMNS: tuple[str, ...] = (
    "record_id",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Date of Birth",
    "Street Address",
    "Postal Code",
    "City",
    "Employer",
    "true_entity",
    "hard_negative",
)
#: The columns a matcher may look at (everything but the id, the truth and the tags).
DATA_COLUMNS: tuple[str, ...] = COLUMNS[1:-2]

#: Countries whose Latin-script names make up the register's population (share of people).
_NAME_MIX = (("US", 0.62), ("UK", 0.08), ("DE", 0.08), ("FR", 0.07), ("BR", 0.07), ("TR", 0.08))
_SUFFIX_PAIRS = (("Sr.", "Jr."), ("Sr", "Jr"), ("Senior", "Junior"), ("II", "III"), ("", "II"))


class _Person:
    __slots__ = ("addresses", "dob", "eid", "family", "gender", "given", "jobs", "middle",
                 "suffix", "tags")

    def __init__(self, eid: int, gender: str, given: str, middle: str, family: str,
                 dob: tuple[int, int, int]) -> None:
        self.eid = eid
        self.gender = gender
        self.given = given
        self.middle = middle
        self.family = family
        self.dob = dob
        self.suffix = ""
        self.addresses: list[tuple[str, str, str]] = []  # (street, postcode, city)
        self.jobs: list[int] = []  # company indexes
        self.tags: list[str] = []


class _Register:
    """Random state, reference data, name pools and companies while one table is generated."""

    def __init__(self, seed: int) -> None:
        self.base = _gen._Generator(seed, _gen.NoiseConfig(), _gen.DATA_DIR)
        self.r: random.Random = self.base.r
        ref = self.base.ref
        self.ref = ref
        self.given: dict[str, tuple[list[str], list[float]]] = {}
        for gender in ("m", "f"):
            self.given[gender] = self._pool([(ref.given[(c, gender)][0], w) for c, w in _NAME_MIX])
        self.family = self._pool([(ref.family[c][0], w) for c, w in _NAME_MIX])
        self.cities, self.city_cum = ref.cities["US"]
        self.companies: list[tuple[str, ...]] = []
        self.company_cum: list[float] = []

    @staticmethod
    def _pool(parts: list[tuple[list[Any], float]]) -> tuple[list[str], list[float]]:
        """Names from several countries, Zipf-weighted within each, one entry per spelling."""
        weights: dict[str, float] = {}
        for names, share in parts:
            z = _gen._zipf(len(names), 0.7)
            total = sum(z)
            for name, w in zip(names, z, strict=True):
                text = name.native
                weights[text] = weights.get(text, 0.0) + share * w / total
        items = list(weights)
        return items, _gen._cum([weights[k] for k in items])

    def pick(self, pool: tuple[list[str], list[float]]) -> str:
        items, cum = pool
        return items[bisect.bisect_right(cum, self.r.random() * cum[-1])]

    def given_name(self, gender: str, avoid: Sequence[str] = ()) -> str:
        name = self.pick(self.given[gender])
        for _ in range(10):
            if name not in avoid:
                break
            name = self.pick(self.given[gender])
        return name

    def dob(self, low: int = 1940, high: int = 2004) -> tuple[int, int, int]:
        r = self.r
        return r.randint(low, high), r.randint(1, 12), r.randint(1, 28)

    def address(self) -> tuple[str, str, str]:
        r = self.r
        city = self.cities[bisect.bisect_right(self.city_cum, r.random() * self.city_cum[-1])]
        street = r.choice(self.ref.streets["US"]).native
        kind = r.choice(self.ref.street_types["US"]).full
        line = f"{r.randint(1, 2999)} {street} {kind}"
        if r.random() < 0.18:
            line += f" Apt {r.randint(1, 40)}{r.choice('ABCD')}"
        return line, self.base.postcode(city), city.name.native

    def build_companies(self, n: int) -> None:
        for _ in range(n):
            company = self.base.company("US")
            names = tuple(dict.fromkeys(self.base.render_company(company, latin=True)
                                        for _ in range(4)))
            self.companies.append(names)
        self.company_cum = _gen._cum(_gen._zipf(n, 0.9))

    def company(self) -> int:
        return bisect.bisect_right(self.company_cum, self.r.random() * self.company_cum[-1])

    def person(self, eid: int, family: str, gender: str | None = None,
               dob: tuple[int, int, int] | None = None, avoid: Sequence[str] = ()) -> _Person:
        r = self.r
        gender = gender or ("m" if r.random() < 0.5 else "f")
        given = self.given_name(gender, avoid)
        middle = self.given_name(gender, (given,)) if r.random() < 0.7 else ""
        p = _Person(eid, gender, given, middle, family, dob or self.dob())
        x = r.random()
        n_jobs = 0 if x < 0.12 else 1 if x < 0.78 else 2 if x < 0.95 else 3
        p.jobs = [self.company() for _ in range(n_jobs)]
        return p


def _household(reg: _Register, first_eid: int, hid: int) -> list[_Person]:
    """One household: a single, a couple, or a family with children (twins, a junior)."""
    r = reg.r
    family = reg.pick(reg.family)
    home = reg.address()
    x = r.random()
    if x < 0.45:
        people = [reg.person(first_eid, family)]
    else:
        a = reg.person(first_eid, family, dob=reg.dob(1940, 1985))
        partner_family = family if r.random() < 0.8 else reg.pick(reg.family)
        b = reg.person(first_eid + 1, partner_family, "f" if a.gender == "m" else "m",
                       dob=(a.dob[0] + r.randint(-6, 6), r.randint(1, 12), r.randint(1, 28)),
                       avoid=(a.given,))
        people = [a, b]
        father = a if a.gender == "m" else b
        if x > 0.6:
            n_children = 1 + int(r.random() * 3)
            names = [a.given, b.given]
            twin_year = -1
            for _k in range(n_children):
                year = min(a.dob[0], b.dob[0]) + r.randint(20, 40)
                if year > 2006:
                    break
                eid = first_eid + len(people)
                if twin_year < 0 and r.random() < 0.06:  # twins: same birth date
                    c1 = reg.person(eid, family, dob=(year, r.randint(1, 12), r.randint(1, 28)),
                                    avoid=names)
                    names.append(c1.given)
                    c2 = reg.person(eid + 1, family, dob=c1.dob, avoid=names)
                    names.append(c2.given)
                    c1.tags.append(f"twin:{hid}")
                    c2.tags.append(f"twin:{hid}")
                    people += [c1, c2]
                    twin_year = year
                    continue
                if (father.family == family and r.random() < 0.08
                        and not any("generational" in t for t in father.tags)):
                    child = reg.person(eid, family, "m",
                                       dob=(father.dob[0] + r.randint(22, 32), r.randint(1, 12),
                                            r.randint(1, 28)))
                    child.given = father.given
                    if father.middle and r.random() < 0.7:
                        child.middle = father.middle
                    senior, junior = r.choice(_SUFFIX_PAIRS)
                    father.suffix, child.suffix = senior, junior
                    father.tags.append(f"generational:{hid}")
                    child.tags.append(f"generational:{hid}")
                else:
                    child = reg.person(eid, family, dob=(year, r.randint(1, 12),
                                                         r.randint(1, 28)), avoid=names)
                names.append(child.given)
                people.append(child)
        for p in people:
            p.tags.append(f"household:{hid}")
    for p in people:
        p.addresses.append(home)
    return people


def _damage_date(dob: tuple[int, int, int], r: random.Random) -> tuple[int, int, int]:
    y, m, d = dob
    x = r.random()
    if x < 0.35 and d <= 12 and d != m:
        return y, d, m  # day and month swapped
    if x < 0.65:
        return y, m, max(1, min(28, d + r.choice((-1, 1, 10, -10))))
    if x < 0.85:
        return y + r.choice((-1, 1, 10, -10)), m, d
    return y, max(1, min(12, m + r.choice((-1, 1)))), d


def _street_variant(street: str, r: random.Random, ref: Any) -> str:
    for st in ref.street_types["US"]:
        if street.endswith(" " + st.full) or f" {st.full} Apt " in street:
            if st.abbreviations and r.random() < 0.7:
                return street.replace(f" {st.full}", " " + r.choice(st.abbreviations), 1)
            break
    return _gen._typo(street, r)


def _render(reg: _Register, p: _Person, k: int, address: tuple[str, str, str],
            job: int | None, cols: dict[str, list[Any]]) -> None:
    """Append record number ``k`` of person ``p`` (``k > 0``: a repeat, further damaged)."""
    r = reg.r
    ref = reg.ref
    first, middle, last, suffix = p.given, p.middle, p.family, p.suffix
    dob: tuple[int, int, int] | None = p.dob
    street, postcode, city = address
    employer = r.choice(reg.companies[job]) if job is not None else ""
    if k > 0:
        if r.random() < 0.15:
            nicks = ref.nicknames.get(first)
            if nicks:
                first = r.choice(nicks).native
        if r.random() < 0.10:
            first = _gen._typo(first, r)
        if r.random() < 0.10:
            last = _gen._typo(last, r)
        if r.random() < 0.10:
            street = _street_variant(street, r, ref)
        if r.random() < 0.06 and dob is not None:
            dob = _damage_date(dob, r)
        if r.random() < 0.03:
            postcode = postcode[:-1] + r.choice("0123456789")
    if middle:
        x = r.random()
        if x < 0.2:
            middle = middle[0] + ("." if r.random() < 0.5 else "")
        elif x < 0.35:
            middle = ""
    if suffix:
        x = r.random()
        if x < 0.3:
            last, suffix = f"{last} {suffix}", ""
        elif x < 0.5:
            suffix = ""
    if r.random() < 0.04:
        first = _gen._fold(first)
        last = _gen._fold(last)
    if r.random() < 0.05:
        first, middle, last = first.upper(), middle.upper(), last.upper()
    if r.random() < 0.04:
        dob = None
    if r.random() < 0.05:
        street = ""
    if r.random() < 0.06:
        postcode = ""
    if r.random() < 0.04:
        city = ""
    if r.random() < 0.08:
        employer = ""
    cols["First Name"].append(first or None)
    cols["Middle Name"].append(middle or None)
    cols["Last Name"].append(last or None)
    cols["Suffix"].append(suffix or None)
    cols["Date of Birth"].append(f"{dob[0]:04d}-{dob[1]:02d}-{dob[2]:02d}" if dob else None)
    cols["Street Address"].append(street or None)
    cols["Postal Code"].append(postcode or None)
    cols["City"].append(city or None)
    cols["Employer"].append(employer or None)
    cols["true_entity"].append(p.eid)
    cols["hard_negative"].append(";".join(p.tags) or None)


def _namesake(reg: _Register, eid: int, base: _Person, gid: int) -> _Person:
    """A different person with ``base``'s first and last name, born elsewhen, living elsewhere."""
    p = reg.person(eid, base.family, base.gender)
    p.given = base.given
    for _ in range(10):
        if abs(p.dob[0] - base.dob[0]) > 1:
            break
        p.dob = reg.dob()
    p.addresses.append(reg.address())
    tag = next((t for t in base.tags if t.startswith("namesake:")), f"namesake:{gid}")
    if tag not in base.tags:
        base.tags.append(tag)
    p.tags.append(tag)
    return p


def generate_register(n_rows: int, seed: int = 1) -> dict[str, list[Any]]:
    """Generate ``n_rows`` register records with ground truth and hard-negative tags.

    Args:
        n_rows: number of records (rows) to produce.
        seed: random seed; the same ``n_rows`` and ``seed`` give the same table.

    Returns:
        A dict mapping each column of ``COLUMNS`` to a list of ``n_rows`` values: ``record_id``
        and ``true_entity`` are ints, the other cells strings or ``None`` when empty.

    Example:
        >>> cols = generate_register(200, seed=1)
        >>> len(set(cols["record_id"])), len(cols["hard_negative"])
        (200, 200)
    """
    if n_rows < 0:
        raise ValueError("n_rows must be >= 0")
    reg = _Register(seed)
    r = reg.r
    reg.build_companies(max(20, n_rows // 25))
    people: list[_Person] = []
    eid = 0
    hid = 0
    est = 0.0
    while est < n_rows:  # people first (tags of earlier people change as groups form)
        if people and r.random() < 0.03:
            base = people[int(r.random() * len(people))]
            group = [_namesake(reg, eid, base, eid)]
        else:
            group = _household(reg, eid, hid)
            hid += 1
        for p in group:
            if r.random() < 0.12:
                p.addresses.append(reg.address())  # moved
        people += group
        eid += len(group)
        est += 2.0 * len(group)
    cols: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    rows = 0
    size_cum = _gen._cum((0.42, 0.30, 0.16, 0.12))
    for p in people:
        if rows >= n_rows:
            break
        size = 1 + bisect.bisect_right(size_cum, r.random() * size_cum[-1])
        size = max(size, len(p.jobs), len(p.addresses))
        size = min(size, 4, n_rows - rows)
        for k in range(size):
            address = p.addresses[min(k, len(p.addresses) - 1)] if k else p.addresses[0]
            if len(p.addresses) > 1 and k >= 1 and r.random() < 0.3:
                address = p.addresses[0]
            job = p.jobs[k % len(p.jobs)] if p.jobs else None
            _render(reg, p, k, address, job, cols)
        rows += size
    if rows < n_rows:  # every person used: top up with single records of new people
        while rows < n_rows:
            extra = reg.person(eid, reg.pick(reg.family))
            extra.addresses.append(reg.address())
            _render(reg, extra, 0, extra.addresses[0],
                    extra.jobs[0] if extra.jobs else None, cols)
            eid += 1
            rows += 1
    order = list(range(n_rows))
    r.shuffle(order)
    for name in COLUMNS:
        if cols[name]:
            values = cols[name]
            cols[name] = [values[i] for i in order]
    ids = list(range(20_000_001, 20_000_001 + n_rows))
    r.shuffle(ids)
    cols["record_id"] = ids
    return cols


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="number of records")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--out", required=True, help="output CSV path")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    cols = generate_register(args.rows, args.seed)
    _gen.write_csv(cols, Path(args.out))
    print(f"{args.rows:,} records of {len(set(cols['true_entity'])):,} people written to "
          f"{args.out} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
