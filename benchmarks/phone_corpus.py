"""Phone cells from every numbering plan, for checking crmclean's fast phone path against
``phonenumbers`` (``tests/test_phonefast.py``, ``benchmarks/bench_phones.py --differential``).

Each cell is paired with the region it is read in. The cells are:

- libphonenumber's example number of every region and non-geographic calling code for every
  number type, and numbers grown from them: the same leading digits with random digits after
  them, one digit fewer or more — so that every pattern of the metadata is met by valid and
  invalid numbers alike;
- written as people and systems write them: E.164, international, national, RFC 3966, bare
  national digits, ``00``/``011`` + country code, the country code without ``+``,
  ``+44 (0)20 …``, with random spaces, dashes, dots, parentheses and slashes, as int and float
  cells, with extensions and labels;
- read in their own region, in another region, in the US, or with no region;
- random digit strings of every plausible length behind the prefixes people dial (``+``,
  ``00``, ``011``, ``0``, ``1``, ``8``), and the CRM forms of North American numbers (ten
  digits, ``1-``, ``+1``, ``001``) and placeholders (``555-555-5555``, ``1234567890``).

Usage: ``corpus(20_000, seed=1)`` (deterministic for a seed and ``phonenumbers`` version).
"""

from __future__ import annotations

import random

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
TYPES = (
    PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER, PhoneNumberType.PAGER, PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
)  # fmt: skip
PUNCTUATION = (" ", " ", "-", ".", "/", "  ")
PLACEHOLDERS = (
    "555-555-5555", "1234567890", "000-000-0000", "(999) 999-9999", "123-456-7890",
    "+1 415 555 0123", "0000000", "1212121212", "+44 0000 000000", "8 (000) 000-00-00",
)  # fmt: skip


def examples() -> list[tuple[str, phonenumbers.PhoneNumber]]:
    """(region, number) of every example number libphonenumber holds."""
    out: list[tuple[str, phonenumbers.PhoneNumber]] = []
    for region in REGIONS:
        for kind in TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                out.append((region, number))
    for cc in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = phonenumbers.example_number_for_non_geo_entity(cc)
        if number is not None:
            out.append(("001", number))
    return out


def _grown(rng: random.Random, number: phonenumbers.PhoneNumber) -> phonenumbers.PhoneNumber:
    """A number with the example's leading digits and random digits after them."""
    nsn = phonenumbers.national_significant_number(number)
    keep = rng.randint(1, min(4, len(nsn)))
    length = len(nsn) + rng.choice((0, 0, 0, 0, -1, 1))
    digits = nsn[:keep] + "".join(rng.choice("0123456789") for _ in range(length - keep))
    grown = phonenumbers.PhoneNumber(country_code=number.country_code,
                                     national_number=int(digits or "0"))  # fmt: skip
    if len(digits) > 1 and digits[0] == "0":
        grown.italian_leading_zero = True
        zeros = min(len(digits) - len(digits.lstrip("0")), len(digits) - 1)
        if zeros > 1:
            grown.number_of_leading_zeros = zeros
    return grown


def _punctuate(rng: random.Random, digits: str) -> str:
    """Digits with random punctuation between some of them."""
    out = []
    for i, digit in enumerate(digits):
        if i and rng.random() < 0.25:
            out.append(rng.choice(PUNCTUATION))
        out.append(digit)
    text = "".join(out)
    if len(digits) > 6 and rng.random() < 0.3:
        cut = rng.randint(1, 4)
        text = f"({text[:cut]}) {text[cut:]}"
    return text


def _written(rng: random.Random, number: phonenumbers.PhoneNumber) -> object:
    """One way of writing a number in a cell."""
    cc = number.country_code
    nsn = phonenumbers.national_significant_number(number)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    form = rng.randrange(16)
    if form == 0:
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if form == 1:
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    if form == 2:
        return national
    if form == 3:
        return phonenumbers.format_number(number, PhoneNumberFormat.RFC3966)
    if form == 4:
        return nsn
    if form == 5:
        return f"00{cc}{nsn}" if rng.random() < 0.5 else f"00 {cc} {_punctuate(rng, nsn)}"
    if form == 6:
        return f"011 {cc} {nsn}"
    if form == 7:
        return f"{cc}{nsn}"
    if form == 8:
        return f"+{cc} (0){_punctuate(rng, nsn)}"
    if form == 9:
        return f"+{cc} {_punctuate(rng, nsn)}"
    if form == 10:
        return _punctuate(rng, "".join(c for c in national if c.isdigit()))
    if form == 11:  # a number column read as integers or floats
        value = int(f"{cc}{nsn}")
        return value if rng.random() < 0.5 else float(value)
    if form == 12:
        return f"{national} x{rng.randint(1, 9999)}"
    if form == 13:
        return f"{rng.choice(('Tel:', 'Mob.', 'Phone -'))} {national}"
    if form == 14:
        return f"  {national}  " if rng.random() < 0.5 else f"{national}.0"
    return f"+{cc}{nsn}" if rng.random() < 0.5 else f"+ ({cc}) {_punctuate(rng, nsn)}"


def _random_digits(rng: random.Random) -> str:
    prefix = rng.choice(("+", "00", "011", "0", "1", "8", "", "", ""))
    body = "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 16)))
    return _punctuate(rng, prefix + body) if prefix != "+" else "+" + _punctuate(rng, body)


def _crm(rng: random.Random) -> str:
    """North American numbers as CRMs hold them, and placeholders."""
    if rng.random() < 0.1:
        return rng.choice(PLACEHOLDERS)
    a, b = rng.randint(200, 999), rng.randint(200, 999)
    line = f"{rng.randrange(10_000):04d}"
    return rng.choice((
        f"{a}{b}{line}", f"({a}) {b}-{line}", f"{a}-{b}-{line}", f"{a}.{b}.{line}",
        f"1-{a}-{b}-{line}", f"+1 {a} {b} {line}", f"1{a}{b}{line}", f"001 {a} {b} {line}",
        f"+1 ({a}) {b}-{line}", f"{a}/{b}-{line}", f"{a} {b} {line}",
    ))  # fmt: skip


def _region(rng: random.Random, own: str) -> str | None:
    pick = rng.random()
    if pick < 0.6:
        return own if own != "001" else rng.choice(REGIONS)
    if pick < 0.8:
        return rng.choice(REGIONS)
    return "US" if pick < 0.9 else None


def corpus(n: int, seed: int = 1) -> list[tuple[object, str | None]]:
    """``n`` distinct (cell, region) pairs: about 70 % from libphonenumber's example numbers
    (every region, every type, each written several ways), 15 % random digit strings,
    15 % North American CRM forms."""
    rng = random.Random(seed)
    known = examples()
    out: dict[tuple[object, object, str | None], tuple[object, str | None]] = {}
    # every example number at least once, as written in its own region
    for region, number in known:
        if len(out) >= n:
            break
        cell = _written(rng, number)
        out[(type(cell), cell, region)] = (cell, None if region == "001" else region)
    while len(out) < n:
        pick = rng.random()
        if pick < 0.7:
            region, number = rng.choice(known)
            if rng.random() < 0.7:
                number = _grown(rng, number)
            cell: object = _written(rng, number)
            read_in = _region(rng, region)
        elif pick < 0.85:
            cell, read_in = _random_digits(rng), _region(rng, rng.choice(REGIONS))
        else:
            cell, read_in = _crm(rng), rng.choice(("US", "US", "CA", None, "GB"))
        out.setdefault((type(cell), cell, read_in), (cell, read_in))
    return list(out.values())
