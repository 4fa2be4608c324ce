"""Deterministic generator of realistic dirty CRM contacts with ground truth.

Each row is a contact as a HubSpot-style export would hold it; ``true_entity`` names the person
behind it. People from nine countries (US, UK, DE, FR, RU in Cyrillic, TR, CN, JP, BR) appear
one to five times, each record independently dirty (formats, missing fields, case) and the
repeats further damaged the way CRM data is: nicknames, typos, swapped first/last names,
transliteration and diacritics variants, phone format and last-digit errors, e-mail variants,
job-title variants, address abbreviations, job changes. Hard negatives are distinct people that
look alike: namesakes in other cities, family members sharing a home address and landline,
colleagues sharing a company, an office address and a switchboard number; on request
(``NoiseConfig`` shares, 0 by default) colleagues sharing the company's role mailbox and sons
named after their father ("Jr.") at his home. ``--hard-negative-column`` names each record's
look-alike groups in a ``hard_negative`` column, for scoring.

Usage:
    python benchmarks/generate.py --rows 100000 --seed 1 --out data.csv
    python benchmarks/generate.py --rows 10000 --seed 1 --out data.csv --noise-column
    python benchmarks/generate.py --rows 100000 --seed 1 --out data.csv --hard-negative-column \
        --role-mailbox-share 0.02 --generational-share 0.01

From Python:
    >>> import generate
    >>> columns = generate.generate_contacts(1000, seed=1)
    >>> len(columns["record_id"]), columns.keys() >= {"First Name", "true_entity"}
    (1000, True)

The same ``rows`` and ``seed`` give the same table on every machine. Reference data (names,
cities, streets, companies, titles, countries) is read from ``benchmarks/data/``.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import functools
import random
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "COLUMNS",
    "DATA_COLUMNS",
    "NoiseConfig",
    "generate_contacts",
    "generate_frame",
    "main",
    "write_csv",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The columns of the generated table, in order (``_noise`` only with ``with_noise=True``).
COLUMNS: tuple[str, ...] = (
    "record_id",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Job Title",
    "Company Name",
    "Street Address",
    "City",
    "State/Region",
    "Postal Code",
    "Country",
    "Date of Birth",
    "Last Modified Date",
    "source",
    "true_entity",
)
#: The columns a matcher may look at (everything but the id and the ground truth).
DATA_COLUMNS: tuple[str, ...] = COLUMNS[1:-1]


@dataclass(frozen=True)
class NoiseConfig:
    """Shares and rates that shape the generated data (the defaults are the benchmark's).

    Attributes:
        duplicate_share: share of people who appear more than once.
        duplicate_counts: relative frequency of 1, 2, 3, 4 extra records for those people.
        namesake_share: share of people created as a namesake of an earlier person (same name,
            another city, nothing else shared).
        family_share: share created as a family member of an earlier consumer contact (same
            family name, home address and landline).
        colleague_share: share created as a colleague of an earlier business contact (same
            company, office address, switchboard number and e-mail domain).
        b2b_share: share of business contacts (the rest are consumers with a home address).
        dob_share: share of people whose date of birth is known at all.
        company_ratio: business contacts per company (sets how many companies exist).
        ops_per_duplicate: relative frequency of 1, 2, 3, 4 damage operations on a repeat.
        role_mailbox_share: share created as a colleague who uses the company's role mailbox
            (``info@``, ``sales@``, ``kontakt@``...) as their e-mail, like the other
            role-mailbox users of that company (at most four per company; beyond that, a
            plain colleague). 0 by default: the default table has none.
        generational_share: share created as the son of an earlier male consumer contact at
            his home address, with his given name, a birth date about 25 years later (when
            the father's is known) and "Jr." (or "II"...) after the family name in most
            records. 0 by default.

    With both extra shares at 0 the table is the same as before they existed.
    """

    duplicate_share: float = 0.35
    duplicate_counts: tuple[float, float, float, float] = (0.50, 0.25, 0.15, 0.10)
    namesake_share: float = 0.03
    family_share: float = 0.03
    colleague_share: float = 0.04
    b2b_share: float = 0.80
    dob_share: float = 0.35
    company_ratio: float = 5.0
    ops_per_duplicate: tuple[float, float, float, float] = (0.40, 0.35, 0.20, 0.05)
    role_mailbox_share: float = 0.0
    generational_share: float = 0.0


# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    """A name, street or company part: its own spelling and its Latin spellings (if any)."""

    native: str
    latin: tuple[str, ...] = ()

    @property
    def is_latin(self) -> bool:
        return not self.latin


@dataclass(frozen=True)
class _City:
    name: _Name
    variants: tuple[str, ...]
    region: str
    region_abbr: str
    postcodes: tuple[str, ...]
    areas: tuple[str, ...]
    sub_first: str


@dataclass(frozen=True)
class _Country:
    code: str
    names: tuple[str, ...]
    calling_code: str
    trunk: str
    tld: str
    free_mail: tuple[str, ...]
    non_latin: bool


@dataclass(frozen=True)
class _StreetType:
    full: str
    abbreviations: tuple[str, ...]
    latin: tuple[str, ...]


@dataclass(frozen=True)
class _Legal:
    value: str
    latin: tuple[str, ...]
    variants: tuple[str, ...]


@dataclass(frozen=True)
class _Reference:
    countries: dict[str, _Country]
    country_codes: tuple[str, ...]
    country_cum: tuple[float, ...]
    given: dict[tuple[str, str], tuple[list[_Name], list[float]]]
    family: dict[str, tuple[list[_Name], list[float]]]
    nicknames: dict[str, list[_Name]]
    cities: dict[str, tuple[list[_City], list[float]]]
    streets: dict[str, list[_Name]]
    street_types: dict[str, list[_StreetType]]
    stems: dict[str, list[_Name]]
    prefixes: dict[str, list[_Name]]
    suffixes: dict[str, list[_Name]]
    words: dict[str, list[_Name]]
    legal: dict[str, list[_Legal]]
    titles: dict[str, tuple[list[tuple[str, ...]], list[float]]]


def _rows(name: str, data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


def _split(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.split("|") if part) if value else ()


def _cum(weights: Sequence[float]) -> list[float]:
    out: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _zipf(n: int, exponent: float = 0.8) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(n)]


def _mixed_pool(
    shared: list[_Name], own: list[_Name], own_share: float
) -> tuple[list[_Name], list[float]]:
    """Shared list (e.g. English names) plus a country's own, each Zipf-weighted within itself."""
    if not shared:
        return own, _cum(_zipf(len(own)))
    if not own:
        return shared, _cum(_zipf(len(shared)))
    ws, wo = _zipf(len(shared)), _zipf(len(own))
    ss, so = sum(ws), sum(wo)
    weights = [w * (1 - own_share) / ss for w in ws] + [w * own_share / so for w in wo]
    return shared + own, _cum(weights)


@functools.cache
def _reference(data_dir: Path = DATA_DIR) -> _Reference:
    countries: dict[str, _Country] = {}
    weights: list[float] = []
    for row in _rows("countries.csv", data_dir):
        code = row["code"]
        countries[code] = _Country(
            code=code,
            names=_split(row["names"]),
            calling_code=row["calling_code"],
            trunk=row["trunk"],
            tld=row["tld"],
            free_mail=_split(row["free_mail"]),
            non_latin=code in {"RU", "CN", "JP"},
        )
        weights.append(float(row["weight"]))
    codes = tuple(countries)

    by_kind: dict[tuple[str, str], list[_Name]] = {}
    for row in _rows("names.csv", data_dir):
        by_kind.setdefault((row["kind"], row["country"]), []).append(
            _Name(row["name"], _split(row["latin"]))
        )
    given: dict[tuple[str, str], tuple[list[_Name], list[float]]] = {}
    family: dict[str, tuple[list[_Name], list[float]]] = {}
    for code in codes:
        shared = "EN" if code in {"US", "UK"} else ""
        for gender in ("m", "f"):
            given[(code, gender)] = _mixed_pool(
                by_kind.get((gender, shared), []), by_kind.get((gender, code), []), 0.15
            )
        family[code] = _mixed_pool(by_kind.get(("s", shared), []), by_kind.get(("s", code), []),
                                   0.25)

    nicknames: dict[str, list[_Name]] = {}
    for row in _rows("nicknames.csv", data_dir):
        nicknames.setdefault(row["name"], []).append(
            _Name(row["nickname"], _split(row["nickname_latin"]))
        )

    cities: dict[str, tuple[list[_City], list[float]]] = {}
    for row in _rows("places.csv", data_dir):
        code = row["country"]
        variants = _split(row["variants"])
        non_latin = countries[code].non_latin
        city = _City(
            name=_Name(row["city"], variants if non_latin else ()),
            variants=() if non_latin else variants,
            region=row["region"],
            region_abbr=row["region_abbr"],
            postcodes=_split(row["postcodes"]),
            areas=_split(row["phone_areas"]),
            sub_first=row["sub_first"],
        )
        lst, w = cities.setdefault(code, ([], []))
        lst.append(city)
        w.append(float(row["weight"]))
    cities = {code: (lst, _cum(w)) for code, (lst, w) in cities.items()}

    streets: dict[str, list[_Name]] = {}
    for row in _rows("streets.csv", data_dir):
        streets.setdefault(row["country"], []).append(_Name(row["name"], _split(row["latin"])))
    street_types: dict[str, list[_StreetType]] = {}
    for row in _rows("street_types.csv", data_dir):
        street_types.setdefault(row["country"], []).append(
            _StreetType(row["full"], _split(row["abbreviations"]), _split(row["latin"]))
        )

    stems: dict[str, list[_Name]] = {}
    prefixes: dict[str, list[_Name]] = {}
    suffixes: dict[str, list[_Name]] = {}
    words: dict[str, list[_Name]] = {}
    legal: dict[str, list[_Legal]] = {}
    parts = {"stem": stems, "prefix": prefixes, "suffix": suffixes, "word": words}
    for row in _rows("companies.csv", data_dir):
        kind, code = row["kind"], row["country"]
        if kind == "legal":
            legal.setdefault(code, []).append(
                _Legal(row["value"], _split(row["latin"]), _split(row["variants"]))
            )
        else:
            parts[kind].setdefault(code, []).append(_Name(row["value"], _split(row["latin"])))
    for code in codes:
        if not countries[code].non_latin:
            for table in parts.values():
                table[code] = table.get(code, []) + table["*"]

    titles_raw: dict[str, tuple[list[tuple[str, ...]], list[float]]] = {}
    for row in _rows("titles.csv", data_dir):
        lst_t, w_t = titles_raw.setdefault(row["country"], ([], []))
        lst_t.append(_split(row["variants"]))
        w_t.append(float(row["weight"]))
    titles: dict[str, tuple[list[tuple[str, ...]], list[float]]] = {}
    for code in codes:
        base, bw = titles_raw["*"]
        own, ow = titles_raw.get(code, ([], []))
        titles[code] = (base + own, _cum(bw + ow))

    return _Reference(
        countries=countries,
        country_codes=codes,
        country_cum=tuple(_cum(weights)),
        given=given,
        family=family,
        nicknames=nicknames,
        cities=cities,
        streets=streets,
        street_types=street_types,
        stems=stems,
        prefixes=prefixes,
        suffixes=suffixes,
        words=words,
        legal=legal,
        titles=titles,
    )


# --------------------------------------------------------------------------------------------
# Text damage
# --------------------------------------------------------------------------------------------

_QWERTY = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_ADJACENT: dict[str, str] = {}
for _r, _row in enumerate(_QWERTY):
    for _c, _ch in enumerate(_row):
        near = []
        for dr in (-1, 0, 1):
            rr = _r + dr
            if 0 <= rr < len(_QWERTY):
                for dc in (-1, 0, 1):
                    cc = _c + dc
                    if (dr or dc) and 0 <= cc < len(_QWERTY[rr]):
                        near.append(_QWERTY[rr][cc])
        _ADJACENT[_ch] = "".join(near)

_FOLD_DE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                          "Ü": "Ue"})
_FOLD_SPECIAL = str.maketrans({"ı": "i", "İ": "I", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
                               "ß": "ss", "æ": "ae", "œ": "oe", "Œ": "Oe"})


@functools.lru_cache(maxsize=65536)
def _fold(text: str, german: bool = False) -> str:
    """The text without diacritics ("Müller" -> "Muller", or "Mueller" when ``german``)."""
    if german:
        text = text.translate(_FOLD_DE)
    text = text.translate(_FOLD_SPECIAL)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _typo(text: str, r: random.Random) -> str:
    """One keyboard-like error: adjacent-key substitution, transposition, deletion, insertion."""
    n = len(text)
    if n < 2:
        return text
    op = r.random()
    i = r.randrange(1, n) if n > 2 else 1  # rarely the first letter, as in real data
    ch = text[i]
    low = ch.lower()
    if op < 0.35 and low in _ADJACENT:
        new = r.choice(_ADJACENT[low])
        return text[:i] + (new.upper() if ch.isupper() else new) + text[i + 1 :]
    if op < 0.6 and i < n - 1 and text[i + 1] != ch:
        return text[:i] + text[i + 1] + ch + text[i + 2 :]
    if op < 0.85 and n > 3:
        return text[:i] + text[i + 1 :]
    if low in _ADJACENT and r.random() < 0.5:
        return text[:i] + r.choice(_ADJACENT[low]) + text[i:]
    return text[:i] + ch + text[i:]


def _slug(text: str, german: bool = False) -> str:
    return "".join(ch for ch in _fold(text, german).lower() if ch.isalnum())


def _recase(text: str, r: random.Random) -> str:
    x = r.random()
    if x < 0.45:
        return text.upper()
    if x < 0.9:
        return text.lower()
    return text.title()


# --------------------------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------------------------

_MOBILE: dict[str, tuple[tuple[str, ...], int]] = {
    # country: (mobile prefixes that play the role of the area code, subscriber length)
    "UK": (tuple(f"7{a}{b}{c}" for a in "45789" for b in "0123456789" for c in "05"), 6),
    "DE": (("151", "152", "157", "159", "160", "162", "163", "170", "171", "172", "173", "174",
            "175", "176", "177", "178", "179"), 7),
    "FR": (("60", "61", "62", "64", "65", "66", "67", "68", "75", "76", "77", "78"), 7),
    "RU": (("903", "905", "906", "909", "910", "912", "915", "916", "917", "919", "921", "925",
            "926", "929", "950", "952", "960", "962", "977", "985", "999"), 7),
    "TR": (("505", "506", "530", "532", "533", "535", "536", "538", "539", "541", "542", "543",
            "544", "545", "546", "551", "552", "553", "555"), 7),
    "CN": (("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
            "155", "156", "157", "158", "159", "177", "180", "181", "182", "185", "186", "187",
            "188", "189", "199"), 8),
    "JP": (("90", "80", "70"), 8),
}
_NSN_LENGTH = {"US": 10, "UK": 10, "DE": 10, "FR": 9, "RU": 10, "TR": 10, "JP": 9, "BR": 10}

_PHONE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "US": ("+1 {a} {g}", "({a}) {gd}", "+1{a}{S}", "{a}{S}", "{a}-{gd}", "{a}.{gp}",
           "1-{a}-{gd}", "+1 ({a}) {gd}", "({a}) {gd}", "{a}-{gd}"),
    "UK": ("+44 {a} {g}", "0{a} {g}", "+44{a}{S}", "0{a}{S}", "+44 (0){a} {g}", "(0{a}) {g}",
           "0{a} {g}"),
    "DE": ("+49 {a} {g}", "0{a} {g}", "+49{a}{S}", "0{a}{S}", "0{a}/{S}", "+49 (0){a} {g}",
           "0{a}-{S}", "0{a} {S}"),
    "FR": ("+33 {a} {g}", "0{a} {g}", "+33{a}{S}", "0{a}{S}", "0{a}.{gp}", "+33 (0){a} {g}",
           "0{a} {g}", "0{a}-{gd}"),
    "RU": ("+7 {a} {gd}", "8 ({a}) {gd}", "+7{a}{S}", "8{a}{S}", "+7 ({a}) {S}", "8-{a}-{gd}",
           "+7 ({a}) {gd}", "8 {a} {g}"),
    "TR": ("+90 {a} {g}", "0{a} {g}", "+90{a}{S}", "0{a}{S}", "(0{a}) {g}", "0 ({a}) {g}",
           "+90 ({a}) {g}"),
    "CN": ("+86 {a} {g}", "{t}{a}-{S}", "+86{a}{S}", "{t}{a}{S}", "({t}{a}) {g}", "+86-{a}-{S}",
           "{t}{a} {g}"),
    "JP": ("+81 {a}-{gd}", "0{a}-{gd}", "+81{a}{S}", "0{a}{S}", "+81 {a} {g}", "(0{a}) {gd}",
           "0{a}-{gd}"),
    "BR": ("+55 {a} {gd}", "({a}) {gd}", "+55{a}{S}", "0{a}{S}", "+55 ({a}) {gd}", "{a} {gd}",
           "({a}) {gd}"),
}
_EXTENSION = {"RU": " доб. ", "FR": " poste ", "BR": " ramal ", "DE": " Durchwahl "}


def _digits(r: random.Random, n: int, first: str = "23456789") -> str:
    if n <= 0:
        return ""
    return r.choice(first) + "".join(r.choice("0123456789") for _ in range(n - 1))


def _landline(country: str, city: _City, r: random.Random) -> tuple[str, str]:
    area = r.choice(city.areas)
    if country == "CN":
        return area, _digits(r, 8, city.sub_first)
    if country == "US":
        exchange = r.choice("23456789") + r.choice("0123456789") + r.choice("023456789")
        return area, exchange + _digits(r, 4, "0123456789")
    return area, _digits(r, _NSN_LENGTH[country] - len(area), city.sub_first)


def _mobile(country: str, city: _City, r: random.Random) -> tuple[str, str]:
    if country == "US":
        return _landline(country, city, r)
    if country == "BR":
        return r.choice(city.areas), "9" + _digits(r, 8, "6789")
    prefixes, length = _MOBILE[country]
    prefix = r.choice(prefixes)
    if country == "FR":
        return prefix, _digits(r, length, "0123456789")
    if country == "DE" and (prefix.startswith("15") or prefix in {"176", "177", "178", "179"}):
        length = 8
    return prefix, _digits(r, length, "123456789")


def _groups(country: str, sub: str) -> list[str]:
    n = len(sub)
    if country in {"RU", "TR"} and n == 7:
        return [sub[:3], sub[3:5], sub[5:]]
    if country == "FR":
        return [sub[i : i + 2] for i in range(0, n, 2)]
    if country == "US" and n == 7:
        return [sub[:3], sub[3:]]
    if n >= 8:
        return [sub[: n - 4], sub[n - 4 :]]
    if n == 7:
        return [sub[:3], sub[3:]]
    return [sub]


def _format_phone(country: str, area: str, sub: str, style: int, mobile: bool) -> str:
    if country == "FR":  # French numbers are grouped over the whole number: 01 42 68 53 00
        nsn = area + sub
        area, sub = nsn[0], nsn[1:]
    templates = _PHONE_TEMPLATES[country]
    template = templates[style % len(templates)]
    g = _groups(country, sub)
    trunk = "" if country == "CN" and mobile else "0"
    return template.format(a=area, S=sub, g=" ".join(g), gd="-".join(g), gp=".".join(g),
                           t=trunk)


# --------------------------------------------------------------------------------------------
# People and companies
# --------------------------------------------------------------------------------------------


class _Address:
    __slots__ = ("city", "number", "postcode", "street", "street_type", "unit")

    def __init__(self, city: _City, street: _Name, street_type: _StreetType, number: Any,
                 unit: str, postcode: str) -> None:
        self.city = city
        self.street = street
        self.street_type = street_type
        self.number = number
        self.unit = unit
        self.postcode = postcode


class _Company:
    __slots__ = ("address", "city_prefix", "country", "domain", "legal", "legal_first", "stem",
                 "switchboard", "word")

    def __init__(self, country: str, stem: _Name, word: _Name | None, legal: _Legal,
                 legal_first: bool, city_prefix: bool, domain: str, address: _Address,
                 switchboard: tuple[str, str]) -> None:
        self.country = country
        self.stem = stem
        self.word = word
        self.legal = legal
        self.legal_first = legal_first
        self.city_prefix = city_prefix
        self.domain = domain
        self.address = address
        self.switchboard = switchboard


class _Person:
    __slots__ = ("address", "b2b", "company", "country", "direct", "dob", "eid", "email",
                 "family", "gender", "given", "home_phone", "kind", "mobile", "native",
                 "personal_email", "phone_kind", "suffix", "title", "work_email")
    address: _Address
    b2b: bool
    country: str
    eid: int
    family: _Name
    gender: str
    given: _Name
    mobile: tuple[str, str]
    native: bool
    phone_kind: str

    def __init__(self) -> None:
        self.email: tuple[str, str] | None = None
        self.work_email: tuple[str, str] | None = None
        self.personal_email: tuple[str, str] = ("", "")
        self.company: _Company | None = None
        self.title: tuple[str, ...] | None = None
        self.direct: tuple[str, str] | None = None
        self.home_phone: tuple[str, str] | None = None
        self.dob: tuple[int, int, int] | None = None
        self.kind = ""
        self.suffix = ""


def _russian_feminine(name: _Name) -> _Name:
    def fem(text: str, cyrillic: bool) -> str:
        if cyrillic:
            for end, rep in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая")):
                if text.endswith(end):
                    return text[: -len(end)] + rep
            if text.endswith(("ов", "ев", "ёв", "ин", "ын")):
                return text + "а"
            return text
        for end, rep in (("skiy", "skaya"), ("sky", "skaya"), ("oy", "aya"), ("oi", "aya")):
            if text.endswith(end):
                return text[: -len(end)] + rep
        if text.endswith(("ov", "ev", "yov", "in", "yn")):
            return text + "a"
        return text

    return _Name(fem(name.native, True), tuple(fem(x, False) for x in name.latin))


def _latin(name: _Name, r: random.Random | None = None) -> str:
    if not name.latin:
        return name.native
    if r is None or len(name.latin) == 1 or r.random() < 0.75:
        return name.latin[0]
    return r.choice(name.latin[1:])


def _email_local(given: _Name, family: _Name, r: random.Random, free: bool,
                 german: bool = False) -> str:
    first = _slug(_latin(given), german) or "info"
    last = _slug(_latin(family), german) or "contact"
    x = r.random()
    if x < 0.35:
        local = f"{first}.{last}"
    elif x < 0.5:
        local = f"{first[0]}{last}"
    elif x < 0.6:
        local = f"{first}{last}"
    elif x < 0.68:
        local = first if not free else f"{first}{last[0]}"
    elif x < 0.74:
        local = f"{first}_{last}"
    elif x < 0.81:
        local = f"{first[0]}.{last}"
    elif x < 0.86:
        local = f"{last}.{first}"
    elif x < 0.92:
        local = f"{first}{last[0]}"
    else:
        local = last if not free else f"{last}{first[0]}"
    if free and r.random() < 0.5:
        local += str(r.randrange(60, 100)) if r.random() < 0.5 else str(r.randrange(1, 1000))
    return local


_SOURCES = ("HubSpot form", "Salesforce import", "Trade show", "Webinar", "Manual entry",
            "LinkedIn Lead Gen", "Purchased list", "Newsletter signup", "Zendesk",
            "Partner referral")
_SOURCE_WEIGHTS = (22, 18, 10, 10, 12, 8, 6, 8, 4, 2)
_FREE_TYPOS = {"gmail.com": ("gmial.com", "gmail.co", "gmai.com", "gnail.com"),
               "hotmail.com": ("hotmial.com", "hotmail.co", "hotmal.com"),
               "yahoo.com": ("yaho.com", "yahoo.co", "yahooo.com"),
               "outlook.com": ("outlok.com", "outlook.co"),
               "mail.ru": ("mail.ry", "mali.ru"), "gmx.de": ("gmx.d", "gmx.com")}


_ROLE_MAILBOXES = {
    "*": ("info", "sales", "office", "contact", "hello"),
    "US": ("info", "sales", "hello", "contact", "office"),
    "UK": ("info", "sales", "hello", "enquiries", "office"),
    "DE": ("info", "kontakt", "vertrieb", "office"),
    "FR": ("contact", "info", "bonjour", "commercial"),
    "BR": ("contato", "vendas", "info"),
    "TR": ("info", "iletisim", "satis"),
}
_ROLE_USERS_MAX = 4  # people sharing one company's role mailbox
_JUNIOR = ("Jr.", "Jr", "Jr.", "II", "Junior")


class _Generator:
    """Holds the random state and the reference data while one table is generated."""

    def __init__(self, seed: int, config: NoiseConfig, data_dir: Path) -> None:
        self.ref = _reference(data_dir)
        self.r = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.config = config
        self.companies: dict[str, list[_Company]] = {}
        self.company_cum: dict[str, list[float]] = {}
        self.domains: set[str] = set()
        self.emails: set[tuple[str, str]] = set()
        self.role_mailboxes: dict[str, str] = {}  # company domain -> role mailbox local part
        self.role_users: dict[str, int] = {}  # company domain -> first role-mailbox user
        self.role_counts: dict[str, int] = {}  # company domain -> role-mailbox users

    # ---- building blocks ---------------------------------------------------------------

    def pick(self, pool: tuple[list[Any], list[float]]) -> Any:
        items, cum = pool
        return items[bisect.bisect_right(cum, self.r.random() * cum[-1])]

    def country(self) -> str:
        ref = self.ref
        cum = ref.country_cum
        return ref.country_codes[bisect.bisect_right(cum, self.r.random() * cum[-1])]

    def postcode(self, city: _City) -> str:
        r = self.r
        pattern = r.choice(city.postcodes)
        out = []
        for ch in pattern:
            if ch == "#":
                out.append(r.choice("0123456789"))
            elif ch == "@":
                out.append(r.choice("ABDEFGHJLNPQRSTUWXYZ"))
            else:
                out.append(ch)
        return "".join(out)

    def address(self, country: str, city: _City, office: bool) -> _Address:
        r = self.r
        street = r.choice(self.ref.streets[country])
        stype = r.choice(self.ref.street_types[country]) if country != "JP" else _StreetType(
            "", (), ())
        unit = ""
        if country == "JP":
            number: Any = (r.randint(1, 9), r.randint(1, 30), r.randint(1, 20))
        elif country in {"US", "UK"}:
            number = r.randint(1, 2999) if country == "US" else r.randint(1, 250)
            if office and r.random() < 0.35:
                unit = str(r.choice((100, 200, 300, 400, 500, 1200))
                           + r.randint(0, 60)) if country == "US" else str(r.randint(1, 12))
            elif not office and r.random() < 0.2:
                unit = str(r.randint(1, 40)) + (r.choice("ABCD") if country == "US" else "")
        else:
            number = r.randint(1, 180)
            if office and country in {"RU", "BR", "TR"} and r.random() < 0.4:
                unit = str(r.randint(1, 30) * (10 if country == "RU" else 1))
        return _Address(city, street, stype, number, unit, self.postcode(city))

    def domain(self, country: str, stem: _Name, word: _Name | None, city: _City) -> str:
        """A company e-mail domain not used by another company."""
        r = self.r
        german = country == "DE"
        slug = _slug(_latin(stem), german)
        tail = _slug(_latin(word), german) if word else ""
        tld = self.ref.countries[country].tld if r.random() < 0.6 or country == "US" else "com"
        candidates = [f"{slug}{tail}" if r.random() < 0.5 else slug, f"{slug}{tail}",
                      f"{slug}-{tail}" if tail else f"{slug}-co", f"{slug}group", f"{slug}hq",
                      f"get{slug}", f"{slug}{_slug(_latin(city.name))}", f"{slug}global"]
        for candidate in candidates:
            domain = f"{candidate}.{tld}"
            if domain not in self.domains:
                break
        k = 2
        while domain in self.domains:
            domain = f"{slug}{k}.{tld}"
            k += 1
        self.domains.add(domain)
        return domain

    def company(self, country: str) -> _Company:
        r = self.r
        ref = self.ref
        if ref.prefixes.get(country) and r.random() < 0.75:
            head, tail = r.choice(ref.prefixes[country]), r.choice(ref.suffixes[country])
            stem = _Name(head.native + tail.native.lower(),
                         (head.latin[0] + tail.latin[0].lower(),) if head.latin else ())
        else:
            stem = r.choice(ref.stems[country])
        words = ref.words.get(country)
        word = r.choice(words) if words and r.random() < 0.65 else None
        legal = r.choice(ref.legal[country])
        city = self.pick(ref.cities[country])
        domain = self.domain(country, stem, word, city)
        return _Company(
            country=country, stem=stem, word=word, legal=legal,
            legal_first=country == "RU" or (country == "JP" and r.random() < 0.5),
            city_prefix=country == "CN" and r.random() < 0.5,
            domain=domain, address=self.address(country, city, office=True),
            switchboard=_landline(country, city, r),
        )

    def build_companies(self, n_people: int) -> None:
        n_total = max(len(self.ref.country_codes) * 4,
                      int(n_people * self.config.b2b_share / self.config.company_ratio))
        for code in self.ref.country_codes:
            self.companies[code] = []
        for _ in range(n_total):
            code = self.country()
            self.companies[code].append(self.company(code))
        for code, lst in self.companies.items():
            if not lst:
                lst.append(self.company(code))
            self.company_cum[code] = _cum(_zipf(len(lst), 0.6))

    def pick_company(self, country: str, avoid: _Company | None = None) -> _Company:
        lst = self.companies[country]
        for _ in range(5):
            c = lst[bisect.bisect_right(self.company_cum[country],
                                        self.r.random() * self.company_cum[country][-1])]
            if c is not avoid:
                return c
        return self.company(country)

    def unique_email(self, local: str, domain: str) -> tuple[str, str]:
        key = (local, domain)
        k = 2
        while key in self.emails:
            key = (f"{local}{k}", domain)
            k += 1
        self.emails.add(key)
        return key

    def free_email(self, p: _Person) -> tuple[str, str]:
        ref = self.ref
        providers = ref.countries[p.country].free_mail
        cum = _cum(_zipf(len(providers), 1.2))
        domain = providers[bisect.bisect_right(cum, self.r.random() * cum[-1])]
        local = _email_local(p.given, p.family, self.r, True, p.country == "DE")
        return self.unique_email(local, domain)

    def work_email(self, p: _Person, company: _Company) -> tuple[str, str]:
        local = _email_local(p.given, p.family, self.r, False, p.country == "DE")
        return self.unique_email(local, company.domain)

    def dob(self) -> tuple[int, int, int]:
        r = self.r
        return r.randint(1950, 2003), r.randint(1, 12), r.randint(1, 28)

    # ---- people ------------------------------------------------------------------------

    def new_person(self, eid: int, country: str | None = None) -> _Person:
        r = self.r
        ref = self.ref
        p = _Person()
        p.eid = eid
        p.country = country or self.country()
        p.gender = "m" if r.random() < 0.5 else "f"
        p.given = self.pick(ref.given[(p.country, p.gender)])
        family = self.pick(ref.family[p.country])
        p.family = _russian_feminine(family) if p.country == "RU" and p.gender == "f" else family
        p.native = {"RU": 0.75, "CN": 0.5, "JP": 0.5}.get(p.country, 1.0) > r.random()
        p.b2b = r.random() < self.config.b2b_share
        city = self.pick(ref.cities[p.country])
        p.mobile = _mobile(p.country, city, r)
        if p.b2b:
            p.company = self.pick_company(p.country)
            p.address = p.company.address
            p.title = self.pick(ref.titles[p.country])
            p.work_email = self.work_email(p, p.company)
            p.personal_email = self.free_email(p)
            p.email = p.work_email if r.random() < 0.8 else p.personal_email
            x = r.random()
            if x < 0.45:
                p.phone_kind = "mobile"
            elif x < 0.75:
                p.phone_kind = "direct"
                p.direct = _landline(p.country, p.address.city, r)
            else:
                p.phone_kind = "switchboard"
        else:
            p.address = self.address(p.country, city, office=False)
            p.personal_email = self.free_email(p)
            p.email = p.personal_email
            if r.random() < 0.45:
                p.home_phone = _landline(p.country, city, r)
                p.phone_kind = "home"
            else:
                p.phone_kind = "mobile"
        if r.random() < self.config.dob_share:
            p.dob = self.dob()
        return p

    def namesake(self, eid: int, base: _Person) -> _Person:
        p = self.new_person(eid, base.country)
        p.given, p.family, p.gender, p.native = base.given, base.family, base.gender, base.native
        cities = self.ref.cities[p.country][0]
        if len(cities) > 1:
            for _ in range(20):
                if p.address.city is not base.address.city:
                    break
                city = self.r.choice(cities)
                if p.b2b:
                    p.company = self.pick_company(p.country)
                    p.address = p.company.address
                else:
                    p.address = self.address(p.country, city, office=False)
        if p.b2b and p.company is not None:
            p.work_email = self.work_email(p, p.company)
            p.email = p.work_email
        p.personal_email = self.free_email(p)
        if not p.b2b:
            p.email = p.personal_email
        if p.phone_kind == "direct":
            p.direct = _landline(p.country, p.address.city, self.r)
        p.kind = f"namesake_of_{base.eid}"
        return p

    def family_member(self, eid: int, base: _Person) -> _Person:
        r = self.r
        p = self.new_person(eid, base.country)
        ref = self.ref
        p.family = base.family
        if base.country == "RU":  # the family name agrees with the gender
            root = next((f for f in ref.family["RU"][0]
                         if f is base.family or _russian_feminine(f) == base.family), base.family)
            p.family = _russian_feminine(root) if p.gender == "f" else root
        for _ in range(5):
            if p.given is not base.given:
                break
            p.given = self.pick(ref.given[(p.country, p.gender)])
        p.native = base.native
        p.b2b = False
        p.company = None
        p.title = None
        p.address = base.address
        p.home_phone = base.home_phone
        p.phone_kind = "home" if r.random() < 0.6 else "mobile"
        p.personal_email = self.free_email(p)
        p.email = p.personal_email
        p.work_email = None
        p.dob = self.dob() if r.random() < self.config.dob_share else None
        p.kind = f"family_of_{base.eid}"
        return p

    def colleague(self, eid: int, base: _Person) -> _Person:
        r = self.r
        p = self.new_person(eid, base.country)
        assert base.company is not None
        p.b2b = True
        p.native = base.native
        p.company = base.company
        p.address = base.address
        p.title = self.pick(self.ref.titles[p.country]) if r.random() < 0.7 else base.title
        p.work_email = self.work_email(p, p.company)
        p.personal_email = self.free_email(p)
        p.email = p.work_email
        p.phone_kind = "switchboard" if r.random() < 0.7 else "mobile"
        p.direct = None
        p.kind = f"colleague_of_{base.eid}"
        return p

    def role_mailbox_user(self, eid: int, base: _Person) -> _Person:
        """A colleague of ``base`` whose e-mail is the company's role mailbox (a plain
        colleague when the mailbox already has ``_ROLE_USERS_MAX`` users)."""
        p = self.colleague(eid, base)
        assert p.company is not None
        domain = p.company.domain
        users = self.role_counts.get(domain, 0)
        if users >= _ROLE_USERS_MAX:
            return p
        self.role_counts[domain] = users + 1
        local = self.role_mailboxes.get(domain)
        if local is None:
            local = self.r.choice(_ROLE_MAILBOXES.get(p.country, _ROLE_MAILBOXES["*"]))
            self.role_mailboxes[domain] = local
        p.work_email = (local, domain)
        p.email = p.work_email
        p.kind = f"role_mailbox_of_{self.role_users.setdefault(domain, p.eid)}"
        return p

    def junior(self, eid: int, base: _Person) -> _Person:
        """The son of ``base`` at his home: same given and family name, "Jr." or "II"."""
        r = self.r
        p = self.family_member(eid, base)
        p.gender, p.given, p.family = base.gender, base.given, base.family
        if base.dob is not None:
            p.dob = (base.dob[0] + r.randint(22, 30), r.randint(1, 12), r.randint(1, 28))
        p.suffix = r.choice(_JUNIOR)
        p.kind = f"generational_of_{base.eid}"
        return p

    # ---- rendering ---------------------------------------------------------------------

    def render_name(self, name: _Name, latin: bool, fold: bool, german: bool) -> str:
        text = _latin(name, self.r) if latin else name.native
        return _fold(text, german) if fold else text

    def render_company(self, c: _Company, latin: bool) -> str:
        r = self.r
        country = c.country
        stem = _latin(c.stem) if latin else c.stem.native
        word = (_latin(c.word) if latin else c.word.native) if c.word else ""
        legal = c.legal
        if country in {"CN", "JP"}:
            if latin:
                forms = legal.latin + legal.variants
                form = r.choice(forms) if r.random() < 0.4 else legal.latin[0]
                city = _latin(c.address.city.name) + " " if c.city_prefix else ""
                return f"{city}{stem} {word} {form}".replace("  ", " ").strip()
            core = stem + word
            if country == "CN":
                return (c.address.city.name.native if c.city_prefix else "") + core + legal.value
            return legal.value + core if c.legal_first else core + legal.value
        if country == "RU":
            if latin:
                form = r.choice(legal.latin)
                return f"{form} {stem}" if form.isupper() and r.random() < 0.6 else f"{stem} {form}"
            x = r.random()
            if x < 0.5:
                return f"{legal.value} «{stem}»"
            if x < 0.75:
                return f'{legal.value} "{stem}"'
            if x < 0.9:
                return f"{stem}, {legal.value}"
            return stem
        core = f"{stem} {word}" if word else stem
        x = r.random()
        if x < 0.15:
            return core
        form = legal.value if x < 0.75 or not legal.variants else r.choice(legal.variants)
        sep = ", " if country in {"US"} and r.random() < 0.2 else " "
        return f"{core}{sep}{form}"

    def render_address(self, a: _Address, country: str, latin: bool, abbreviate: bool) -> str:
        r = self.r
        st = a.street_type
        street = _latin(a.street) if latin else a.street.native
        if country == "JP":
            x, y, z = a.number
            if latin:
                return f"{x}-{y}-{z} {street}"
            return f"{street}{x}丁目{y}番{z}号" if r.random() < 0.35 else f"{street}{x}-{y}-{z}"
        if country == "CN":
            if latin:
                kind = r.choice(st.latin)
                return (f"No. {a.number} {street} {kind}" if r.random() < 0.3
                        else f"{a.number} {street} {kind}")
            return f"{street}{st.full}{a.number}号"
        short = r.choice(st.abbreviations) if abbreviate and st.abbreviations else st.full
        number = a.number
        if country in {"US", "UK"}:
            line = f"{number} {street} {short}"
            if a.unit:
                if country == "US":
                    unit_word = r.choice(("Suite", "Ste", "Ste.", "#", "Suite", "Apt"))
                    sep = "" if unit_word == "#" else " "
                    line = f"{line}, {unit_word}{sep}{a.unit}"
                else:
                    line = f"{r.choice(('Flat', 'Unit', 'Flat'))} {a.unit}, {line}"
            return line
        if country == "DE":
            if short[0].isupper() and short not in {"Str."}:
                joined = f"{street} {short}" if r.random() < 0.3 else f"{street}{short.lower()}"
            else:
                joined = f"{street}{short}"
            if short == "Str.":
                joined = f"{street}-Str."
            return f"{joined} {number}" if r.random() < 0.9 else f"{joined}{number}"
        if country == "FR":
            sep = ", " if r.random() < 0.2 else " "
            return f"{number}{sep}{short} {street}"
        if country == "RU":
            if latin:
                kind = st.latin[0] if st.latin else "ulitsa"
                line = (f"ul. {street}, d. {number}" if kind == "ulitsa" and abbreviate
                        else f"{street} {kind}, {number}")
                return line + (f", office {a.unit}" if a.unit else "")
            if r.random() < 0.7:
                line = f"{short} {street}, {'д.' if abbreviate else 'дом'} {number}"
            else:
                line = f"{street} {short}, {number}"
            return line + (f", {'оф.' if abbreviate else 'офис'} {a.unit}" if a.unit else "")
        if country == "TR":
            no = r.choice(("No: ", "No:", "No ", "No."))
            line = f"{street} {short} {no}{number}"
            return line + (f" Kat: {a.unit}" if a.unit else "")
        # BR
        line = f"{short} {street}, {number}" if r.random() < 0.8 else f"{short} {street} {number}"
        if r.random() < 0.1:
            line = f"{short} {street}, nº {number}"
        return line + (f" - Sala {a.unit}" if a.unit else "")

    def render_email(self, email: tuple[str, str], variant: bool) -> str:
        r = self.r
        local, domain = email
        if variant:
            x = r.random()
            if domain == "gmail.com" and x < 0.45:
                if "." in local and r.random() < 0.6:
                    local = local.replace(".", "")
                else:
                    i = r.randrange(1, len(local)) if len(local) > 1 else 1
                    local = local[:i] + "." + local[i:]
                if r.random() < 0.2:
                    domain = "googlemail.com"
            elif x < 0.7:
                local += "+" + r.choice(("crm", "news", "webinar", "2023", "sales", "spam"))
            elif x < 0.85:
                local = local.title() if r.random() < 0.6 else local.upper()
                domain = domain.title() if r.random() < 0.3 else domain
            elif domain in _FREE_TYPOS:
                domain = r.choice(_FREE_TYPOS[domain])
            else:
                local = _typo(local, r)
        return f"{local}@{domain}"


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------

_OPS = ("nickname", "typo_given", "typo_family", "swap_names", "case", "script", "phone_digit",
        "phone_other", "email_variant", "email_other", "job_change", "missing", "initial",
        "moved", "dob_typo", "promotion")
_OP_WEIGHTS = (10, 8, 8, 5, 6, 6, 4, 5, 8, 5, 6, 12, 3, 3, 3, 2)
_OP_CUM = _cum(_OP_WEIGHTS)


def generate_contacts(
    n_rows: int,
    seed: int = 1,
    *,
    config: NoiseConfig | None = None,
    with_noise: bool = False,
    with_hard_negatives: bool = False,
    data_dir: Path | str = DATA_DIR,
) -> dict[str, list[Any]]:
    """Generate ``n_rows`` dirty contact records with ground truth.

    Args:
        n_rows: number of records (rows) to produce.
        seed: random seed; the same ``n_rows``, ``seed`` and ``config`` give the same table.
        config: shares and rates (``NoiseConfig()`` when ``None``).
        with_noise: add a ``_noise`` column naming the damage applied to each record and, for
            hard negatives, the person they were built from (for error analysis).
        with_hard_negatives: add a ``hard_negative`` column naming the look-alike groups of
            different people each record belongs to, as ``kind:group`` entries separated by
            ``;`` (kinds ``namesake``, ``household``, ``colleague``, ``role_mailbox``,
            ``generational``; a group is a person and everyone built from them,
            transitively; a role-mailbox group is the users of one company's mailbox). For
            scoring only; the other columns are the same with or without it.
        data_dir: folder with the reference CSV files.

    Returns:
        A dict mapping each column of ``COLUMNS`` to a list of ``n_rows`` values: ``record_id``
        and ``true_entity`` are ints, the other cells are strings or ``None`` when empty.

    Example:
        >>> cols = generate_contacts(50, seed=3)
        >>> sorted(set(map(type, cols["record_id"]))) == [int], len(cols["Email"])
        (True, 50)
    """
    if n_rows < 0:
        raise ValueError("n_rows must be >= 0")
    config = config or NoiseConfig()
    gen = _Generator(seed, config, Path(data_dir))
    r = gen.r

    mean_size = 1 + config.duplicate_share * sum(
        (k + 1) * w for k, w in enumerate(config.duplicate_counts)
    ) / sum(config.duplicate_counts)
    n_people_est = max(1, int(n_rows / mean_size) + 1)
    gen.build_companies(n_people_est)
    dup_cum = _cum(config.duplicate_counts)
    ops_cum = _cum(config.ops_per_duplicate)
    hard_cum = _cum((config.namesake_share, config.family_share, config.colleague_share,
                     config.role_mailbox_share, config.generational_share))

    cols: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    noise: list[str] = []
    relations: list[tuple[str, int, int]] = []  # (kind, base person, derived person)
    people: list[_Person] = []
    switchboard_people: list[_Person] = []  # reachable on their company's switchboard
    home_people: list[_Person] = []  # reachable on a home landline
    role_people: list[_Person] = []  # using their company's role mailbox
    fathers: list[_Person] = []  # male consumers with a home (for generational pairs)
    rows = 0
    eid = 0
    while rows < n_rows:
        x = r.random()
        p: _Person
        if x < hard_cum[0] and people:
            p = gen.namesake(eid, r.choice(people))
        elif x < hard_cum[1] and home_people:
            p = gen.family_member(eid, r.choice(home_people))
        elif x < hard_cum[2] and switchboard_people:
            p = gen.colleague(eid, r.choice(switchboard_people))
        elif hard_cum[2] <= x < hard_cum[3] and switchboard_people:  # never when share is 0
            pool = role_people if role_people and r.random() < 0.7 else switchboard_people
            p = gen.role_mailbox_user(eid, r.choice(pool))
            if p.kind.startswith("role_mailbox"):
                role_people.append(p)
        elif hard_cum[3] <= x < hard_cum[4] and fathers:  # never when share is 0
            p = gen.junior(eid, fathers.pop(int(r.random() * len(fathers))))
        else:
            p = gen.new_person(eid)
        people.append(p)
        if p.kind:
            relations.append((p.kind.split("_of_")[0], int(p.kind.rsplit("_", 1)[1]), p.eid))
        if not p.kind and p.gender == "m" and p.home_phone is not None:
            fathers.append(p)  # only read when generational_share > 0
        if p.phone_kind == "switchboard" and p.company is not None:
            switchboard_people.append(p)
        elif p.phone_kind == "home" and p.home_phone is not None:
            home_people.append(p)
        size = 1
        if r.random() < config.duplicate_share:
            size += 1 + bisect.bisect_right(dup_cum, r.random() * dup_cum[-1])
        size = min(size, n_rows - rows)
        for k in range(size):
            if k == 0:
                ops: tuple[str, ...] = ()
            else:
                n_ops = 1 + bisect.bisect_right(ops_cum, r.random() * ops_cum[-1])
                ops = tuple({_OPS[bisect.bisect_right(_OP_CUM, r.random() * _OP_CUM[-1])]
                             for _ in range(n_ops)})
            _render(gen, p, ops, cols)
            if with_noise:
                noise.append(";".join(sorted(ops) + ([p.kind] if p.kind else [])))
        rows += size
        eid += 1

    # Shuffle, number the records, and fill the columns that need no per-person logic.
    perm = gen.np.permutation(n_rows)
    order = perm.tolist()
    for name in COLUMNS:
        values = cols[name]
        if values:
            cols[name] = [values[i] for i in order]
    if with_noise:
        noise = [noise[i] for i in order]
    cols["record_id"] = (gen.np.permutation(n_rows) + 10_000_001).tolist()
    start = np.datetime64("2018-01-01T00:00")
    minutes = gen.np.integers(0, 60 * 24 * 365 * 7 + 60 * 24 * 180, size=n_rows)
    stamps = np.datetime_as_string(start + minutes.astype("timedelta64[m]"), unit="m")
    cols["Last Modified Date"] = [s.replace("T", " ") for s in stamps.tolist()]
    weights = np.array(_SOURCE_WEIGHTS, dtype=float)
    cols["source"] = [_SOURCES[i] for i in
                      gen.np.choice(len(_SOURCES), size=n_rows, p=weights / weights.sum()).tolist()]
    out = {name: cols[name] for name in COLUMNS}
    if with_noise:
        out["_noise"] = noise
    if with_hard_negatives:
        out["hard_negative"] = _hard_negative_tags(relations, out["true_entity"])
    return out


_HARD_KINDS = {"namesake": "namesake", "family": "household", "colleague": "colleague",
               "role_mailbox": "role_mailbox", "generational": "generational"}


def _hard_negative_tags(relations: list[tuple[str, int, int]],
                        entities: list[Any]) -> list[str | None]:
    """Per record, its hard-negative groups as ``kind:group;...`` (``None`` when in none).

    A group of a kind is a connected set of people linked by that kind's relations (a family
    member of a family member is in the same household); it is named by its smallest person.
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(x: tuple[str, int]) -> tuple[str, int]:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for kind, base, derived in relations:
        a, b = root((kind, base)), root((kind, derived))
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[str]] = {}
    for kind, base, derived in relations:
        for eid in (base, derived):
            tag = f"{_HARD_KINDS.get(kind, kind)}:{root((kind, eid))[1]}"
            tags = groups.setdefault(eid, [])
            if tag not in tags:
                tags.append(tag)
    return [";".join(groups[e]) if e in groups else None for e in entities]


def _render(gen: _Generator, p: _Person, ops: tuple[str, ...], cols: dict[str, list[Any]]) -> None:
    """Append one record of person ``p`` with the damage ``ops`` (empty for a first record)."""
    r = gen.r
    ref = gen.ref
    country = p.country
    info = ref.countries[country]
    dup = bool(ops)

    # Script: non-Latin countries write a person mostly in one script; "script" flips it.
    latin = not p.native if info.non_latin else False
    if info.non_latin and r.random() < 0.08:
        latin = not latin
    fold = False
    if not info.non_latin and r.random() < 0.08:
        fold = True
    if "script" in ops:
        if info.non_latin:
            latin = not latin
        else:
            fold = not fold
    german = country == "DE" and r.random() < 0.6

    # Employment (a job change moves the person to another company, keeping name and mobile).
    company = p.company
    title = p.title
    address = p.address
    email = p.email
    phone_kind = p.phone_kind
    direct = p.direct
    if "job_change" in ops and p.b2b and company is not None:
        company = gen.pick_company(country, avoid=company)
        address = company.address
        if title is None or r.random() < 0.6:
            title = gen.pick(ref.titles[country])
        local = p.work_email[0] if p.work_email else _email_local(p.given, p.family, r, False)
        email = gen.unique_email(local, company.domain) if r.random() < 0.8 else p.personal_email
        phone_kind = "mobile"
    if "promotion" in ops and title is not None:
        title = gen.pick(ref.titles[country])
    if "moved" in ops and not p.b2b:
        address = gen.address(country, gen.pick(ref.cities[country]), office=False)
        if phone_kind == "home":
            phone_kind = "mobile"
    if "email_other" in ops:
        email = p.personal_email if email != p.personal_email or p.work_email is None \
            else p.work_email

    # Names.
    given = p.given
    if "nickname" in ops:
        nicks = ref.nicknames.get(given.native)
        if nicks:
            given = r.choice(nicks)
        else:
            ops = (*ops, "typo_given")
    first = gen.render_name(given, latin, fold, german)
    last = gen.render_name(p.family, latin, fold, german)
    if p.suffix and r.random() < 0.8:  # only people of generational_share have a suffix
        last = f"{last} {p.suffix}"
    if "initial" in ops and first and (latin or not info.non_latin):
        first = first[0] + ("." if r.random() < 0.6 else "")
    if "typo_given" in ops:
        first = _typo(first, r)
    if "typo_family" in ops:
        last = _typo(last, r)
    if r.random() < 0.01:  # a typo can happen on any record
        last = _typo(last, r)
    swap_rate = 0.15 if country in {"CN", "JP"} and latin else 0.02
    if "swap_names" in ops or r.random() < swap_rate:
        first, last = last, first
    if "case" in ops or r.random() < 0.04:
        first, last = _recase(first, r), _recase(last, r)
    if country in {"CN", "JP"} and not latin and r.random() < 0.05:
        first, last = "", last + first  # whole name in the family-name field
    if r.random() < 0.01:
        first = first + " " + last
        last = ""

    # Phone.
    if phone_kind == "mobile":
        area, sub = p.mobile
    elif phone_kind == "direct" and direct is not None:
        area, sub = direct
    elif phone_kind == "home" and p.home_phone is not None:
        area, sub = p.home_phone
    elif company is not None:
        area, sub = company.switchboard
    else:
        area, sub = p.mobile
    if "phone_other" in ops:
        alternatives = [p.mobile]
        if company is not None:
            alternatives.append(company.switchboard)
        if p.home_phone is not None:
            alternatives.append(p.home_phone)
        if direct is not None:
            alternatives.append(direct)
        area, sub = r.choice(alternatives)
    if "phone_digit" in ops and len(sub) > 2:
        if r.random() < 0.6:
            sub = sub[:-1] + r.choice([d for d in "0123456789" if d != sub[-1]])
        else:
            i = r.randrange(len(sub) - 1)
            sub = sub[:i] + sub[i + 1] + sub[i] + sub[i + 2 :]
    is_mobile = (area, sub) == p.mobile and country != "US"
    phone = _format_phone(country, area, sub, r.randrange(12), is_mobile)
    if company is not None and (area, sub) == company.switchboard and r.random() < 0.3:
        phone += _EXTENSION.get(country, r.choice((" ext. ", " x", " ext "))) + str(
            r.randint(100, 499))

    # Other fields.
    email_text = gen.render_email(email, "email_variant" in ops or r.random() < 0.05) \
        if email else None
    title_text = None
    if title is not None:
        title_text = title[0] if r.random() < 0.6 else r.choice(title)
    company_text = gen.render_company(company, latin) if company is not None else None
    if company_text and r.random() < 0.03:
        company_text = _recase(company_text, r)
    street = gen.render_address(address, country, latin, abbreviate=r.random() < 0.5)
    city = address.city
    if latin and city.name.latin:
        city_text = _latin(city.name, r)
    elif city.variants and r.random() < 0.1:
        city_text = r.choice(city.variants)
    else:
        city_text = city.name.native
    if fold:
        city_text = _fold(city_text, german)
    if r.random() < 0.03:
        city_text = _recase(city_text, r)
    if info.non_latin and latin:
        region = (city.region_abbr or None) if r.random() < 0.3 else None
    elif city.region_abbr and ((country == "US" and r.random() < 0.75) or r.random() < 0.15):
        region = city.region_abbr
    else:
        region = city.region
    postcode = address.postcode
    if country == "UK" and r.random() < 0.2:
        postcode = postcode.replace(" ", "") if r.random() < 0.6 else postcode.lower()
    elif country == "US" and r.random() < 0.08:
        postcode += f"-{r.randint(1, 9999):04d}"
    elif country in {"US", "DE", "FR"} and postcode.startswith("0") and r.random() < 0.1:
        postcode = postcode.lstrip("0")  # a spreadsheet ate the leading zero
    elif country in {"BR", "JP"} and r.random() < 0.3:
        postcode = postcode.replace("-", "")
    country_text = info.names[0] if r.random() < 0.7 else r.choice(info.names)
    dob = None
    if p.dob is not None:
        y, m, d = p.dob
        if "dob_typo" in ops:
            x = r.random()
            if x < 0.4 and d <= 12 and d != m:
                m, d = d, m
            elif x < 0.7:
                d = max(1, min(28, d + r.choice((-1, 1, 10, -10))))
            else:
                y = int(str(y)[:2] + str(y)[3] + str(y)[2]) if str(y)[2] != str(y)[3] else y + 1
        dob = f"{y:04d}-{m:02d}-{d:02d}"

    fields: dict[str, str | None] = {
        "First Name": first or None,
        "Last Name": last or None,
        "Email": email_text,
        "Phone Number": phone,
        "Job Title": title_text,
        "Company Name": company_text,
        "Street Address": street,
        "City": city_text,
        "State/Region": region,
        "Postal Code": postcode,
        "Country": country_text,
        "Date of Birth": dob,
    }
    # Missing values: every record has some; "missing" drops one to three more fields.
    for name, rate in _MISSING_RATES:
        if r.random() < rate:
            fields[name] = None
    if "missing" in ops:
        for name in r.sample(_DROPPABLE, r.randint(1, 3)):
            fields[name] = None
    if dup and fields["Email"] is None and fields["Phone Number"] is None and r.random() < 0.5:
        fields["Phone Number"] = phone  # keep some link, as a real duplicate usually has
    for name, value in fields.items():
        cols[name].append(value)
    cols["true_entity"].append(p.eid)


_MISSING_RATES = (
    ("Email", 0.06), ("Phone Number", 0.12), ("Job Title", 0.20), ("Company Name", 0.04),
    ("Street Address", 0.22), ("City", 0.08), ("State/Region", 0.20), ("Postal Code", 0.18),
    ("Country", 0.10), ("Date of Birth", 0.25), ("First Name", 0.01),
)
_DROPPABLE = ("Email", "Phone Number", "Job Title", "Company Name", "Street Address", "City",
              "State/Region", "Postal Code", "Country", "Date of Birth")


def generate_frame(n_rows: int, seed: int = 1, **kwargs: Any) -> Any:
    """``generate_contacts`` as a pandas DataFrame (all columns as strings but the ids)."""
    import pandas as pd

    cols = generate_contacts(n_rows, seed, **kwargs)
    frame = pd.DataFrame(cols)
    for name in frame.columns:
        if name not in {"record_id", "true_entity"}:
            frame[name] = frame[name].astype("string")
    return frame


def write_csv(columns: dict[str, list[Any]], path: Path | str) -> None:
    """Write generated columns to a UTF-8 CSV file (empty cell for a missing value)."""
    names = list(columns)
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows(
            ["" if v is None else v for v in row] for row in zip(*columns.values(), strict=True)
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="number of records")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--out", required=True, help="output CSV path")
    parser.add_argument("--noise-column", action="store_true",
                        help="add a _noise column describing the damage on each record")
    parser.add_argument("--hard-negative-column", action="store_true",
                        help="add a hard_negative column naming each record's look-alike groups")
    parser.add_argument("--role-mailbox-share", type=float, default=0.0,
                        help="share of people using their company's role mailbox (default 0)")
    parser.add_argument("--generational-share", type=float, default=0.0,
                        help="share of people who are a Jr. of an earlier contact (default 0)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    config = NoiseConfig(role_mailbox_share=args.role_mailbox_share,
                         generational_share=args.generational_share)
    cols = generate_contacts(args.rows, args.seed, config=config, with_noise=args.noise_column,
                             with_hard_negatives=args.hard_negative_column)
    generated = time.perf_counter() - start
    write_csv(cols, args.out)
    n_entities = len(set(cols["true_entity"]))
    print(
        f"{args.rows:,} records of {n_entities:,} people written to {args.out} "
        f"(generated in {generated:.1f} s, total {time.perf_counter() - start:.1f} s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
