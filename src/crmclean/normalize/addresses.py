"""Postal addresses: parse, standardize and key addresses of many countries.

An address arrives as one line (``"123 north main street apartment 4, springfield, il 62701"``)
or as CRM columns (street, city, state, postcode, country). :func:`normalize_address` splits it
into house number, street, unit, city, region, postcode and ISO country code, writes it the way
the country's post writes it, and builds a key for blocking and comparison.

US and Canadian addresses follow USPS Publication 28: street suffixes (Street → St), directionals
(North → N), secondary unit designators (Apartment → Apt), state and province codes, ZIP and
ZIP+4, Canadian postal codes. Other countries keep their own order (``Hauptstraße 5``, ``12 rue de
la Paix``) and have their postcodes checked and written in the standard form (``1012 AB``,
``SW1A 2AA``, ``01310-100``). Chinese and Japanese addresses written in their own script are read
from the largest unit to the smallest.

Parsing is rule-based: regular expressions and dictionary lookups on the reference tables in
``crmclean/normalize/data`` (``address_*.csv``, ``countries.csv``); no statistical tagger.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from crmclean.errors import ConfigError
from crmclean.normalize._base import MAX_VALUE_CHARS, coerce_text
from crmclean.normalize.data import load_rows
from crmclean.normalize.text import normalize_text, transliterate

__all__ = [
    "Address",
    "country_name",
    "normalize_address",
    "normalize_address_rows",
    "normalize_country",
]


@attrs.frozen
class Address:
    """The result of :func:`normalize_address`.

    Attributes:
        original: the value exactly as given.
        house_number: the house number (``"123"``, ``"5a"``, ``"12 bis"``), ``None`` for PO boxes.
        street: the street without the house number, standardized (``"N Main St"``).
        line1: house number and street in the country's order (``"123 N Main St"``,
            ``"Hauptstraße 5"``), or the PO box (``"PO Box 123"``).
        unit: apartment, suite, floor, ... (``"Apt 4"``, ``"Ste 200"``).
        city: the city or locality.
        region: the state or province: its code where the country has postal codes for them
            (US, CA, AU, BR: ``"IL"``, ``"ON"``), else the name as given.
        postcode: the postcode in the country's standard form (``"62701-1234"``, ``"K1A 0B1"``).
        country: ISO 3166-1 alpha-2 code (``"US"``), or ``None`` when unknown.
        formatted: the postal form for the country, lines joined with ``"\\n"``.
        key: a key for blocking and comparison (see :func:`normalize_address`), or ``None``.
        valid: the address has a street (or PO box) and a city, and nothing in it is wrong.
        issues: issue codes (see :data:`crmclean.ISSUE_CODES`).
        po_box: the PO box or rural route box (``"PO Box 123"``), also when the address has a
            street besides; a box-only address has it as its street and line1 too.
        recipient: text naming who the mail is for, found on the address lines: a ``c/o`` or
            ``Attn`` line, a person or an organization (``"c/o John Smith"``,
            ``"Acme Insurance Inc"``).
        building: the name of a building, complex or landmark (``"Merchandise Mart"``,
            ``"Terminal Tower"``, ``"Union Station"``).

    Example:
        >>> a = normalize_address("123 north main street apartment 4, springfield, il 62701")
        >>> a.line1, a.unit, a.city, a.region, a.postcode, a.country
        ('123 N Main St', 'Apt 4', 'Springfield', 'IL', '62701', 'US')
    """

    original: object
    house_number: str | None = None
    street: str | None = None
    line1: str | None = None
    unit: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    formatted: str | None = None
    key: str | None = None
    valid: bool = False
    issues: tuple[str, ...] = ()
    po_box: str | None = None
    recipient: str | None = None
    building: str | None = None

    @property
    def value(self) -> str | None:
        """The standardized value (same as :attr:`formatted`)."""
        return self.formatted


# --- countries and their conventions ----------------------------------------------------------

# US-style layout: "123 N Main St Apt 4 / Springfield IL 62701", USPS Publication 28 rules.
_NA: Final = frozenset({"US", "CA", "PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW", "UM"})
# Places with their own ISO code that use US states' addressing (the region is the place).
_US_PLACES: Final = frozenset({"PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW"})
# House number after the street name ("Hauptstraße 5").
_NUMBER_LAST: Final = frozenset(
    {
        "DE", "AT", "CH", "LI", "NL", "BE", "DK", "NO", "SE", "FI", "IS", "IT", "SM", "VA",
        "ES", "AD", "PT", "PL", "CZ", "SK", "HU", "SI", "HR", "RS", "BA", "ME", "MK", "AL",
        "RO", "BG", "GR", "EE", "LV", "LT", "TR", "RU", "BY", "UA", "KZ", "MD", "GE", "AM",
        "AZ", "BR", "MX", "AR", "CL", "CO", "PE", "UY", "PY", "VE", "EC", "BO", "CR", "GT",
        "HN", "NI", "PA", "SV", "DO", "CU"
    }
)  # fmt: skip
# City line "10115 Berlin": the postcode before the city.
_POSTCODE_FIRST: Final = frozenset(
    {
        "DE", "AT", "CH", "LI", "NL", "BE", "LU", "DK", "NO", "SE", "FI", "IS", "FO", "GL",
        "IT", "SM", "VA", "ES", "AD", "PT", "PL", "CZ", "SK", "HU", "SI", "HR", "RS", "BA",
        "ME", "MK", "AL", "RO", "BG", "GR", "CY", "EE", "LV", "LT", "TR", "FR", "MC", "MX",
        "AR", "CL", "IL", "MA", "DZ", "TN"
    }
)  # fmt: skip
# Countries whose postal addresses carry the region on its own line (after the city).
_REGION_LINE: Final = frozenset({"RU", "BY", "UA", "KZ"})
# English-speaking countries: USPS street suffixes fold in the key.
_ENGLISH: Final = frozenset(
    {"US", "CA", "GB", "IE", "AU", "NZ", "ZA", "IN", "SG", "IM", "JE", "GG", "MT", "JM", "TT",
     "BS", "BB", "BM", "KY", "NG", "GH", "KE", "PH", "MY", "HK"} | _NA
)  # fmt: skip
_UK_LIKE: Final = frozenset({"GB", "IE", "IM", "JE", "GG"})
# Countries whose postcodes are never needed (the post does not use them).
_NO_POSTCODE: Final = frozenset(
    {
        "AE", "AG", "AO", "AW", "BF", "BI", "BJ", "BO", "BS", "BW", "BZ", "CD", "CF", "CG",
        "CI", "CK", "CM", "DJ", "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GQ", "GY", "HK",
        "KI", "KM", "KN", "KP", "LC", "ML", "MO", "MR", "MW", "NR", "NU", "QA", "RW", "SB",
        "SC", "SL", "SO", "SR", "SS", "ST", "SY", "TD", "TF", "TG", "TK", "TL", "TO", "TT",
        "TV", "UG", "VU", "YE", "ZW"
    }
)  # fmt: skip
_FAKE_CITIES: Final = frozenset(
    {"anytown", "anycity", "anyplace", "anywhere", "somewhere", "nowhere", "test", "testcity",
     "testing", "city", "mycity", "yourcity", "sometown", "fake", "fakecity", "springfieldtest"}
)  # fmt: skip
_FAKE_STREET_WORDS: Final = frozenset(
    {"test", "testing", "fake", "dummy", "asdf", "asdfgh", "qwerty", "xxx", "xxxx", "lorem",
     "ipsum", "blah", "anystreet", "nostreet", "noaddress", "unknown", "none", "null"}
)  # fmt: skip
_PLACEHOLDERS: Final = frozenset(
    {"na", "nan", "none", "null", "nil", "unknown", "unk", "tbd", "tba", "test", "testing",
     "testaddress", "fake", "fakeaddress", "dummy", "sample", "sampleaddress", "noaddress",
     "noaddressgiven", "nostreet", "notavailable", "notprovided", "notapplicable", "notgiven",
     "noneprovided", "nonegiven", "declined", "same", "sameasabove", "seeabove", "asabove",
     "address", "street", "city", "state", "zip", "postcode", "country", "homeless",
     "nofixedabode", "nfa", "asdf", "asdfgh", "qwerty", "abc", "abc123", "test123", "xyz",
     "donotmail", "dontmail", "returntosender", "rts", "badaddress", "undeliverable",
     "invalid", "blank", "empty", "missing", "other", "no", "nope", "x", "xx", "xxx",
     "xxxx", "xxxxx", "0", "00", "000", "0000", "123", "1234", "12345", "123456"}
)  # fmt: skip


# --- reference tables -----------------------------------------------------------------------

_FOLD_DROP_RE: Final = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=65_536)  # words and cities repeat down a column
def _fold(text: str) -> str:
    """Lookup form of a name: case and accents folded, only letters and digits kept."""
    text = text.casefold()
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    return _FOLD_DROP_RE.sub("", text)


@attrs.frozen
class _Tables:
    suffixes: Mapping[str, str]  # upper-case variant -> USPS standard ("AVENUE" -> "AVE")
    suffix_keys: Mapping[str, str]  # the same in key form ("avenue" -> "ave")
    directionals: Mapping[str, str]  # "NORTH" -> "N"
    units: Mapping[str, tuple[str, bool]]  # "APARTMENT" -> ("APT", needs an id)
    regions: Mapping[str, Mapping[str, str]]  # country -> folded spelling -> code
    region_names: Mapping[tuple[str, str], str]
    region_prefixes: Mapping[tuple[str, str], tuple[str, ...]]
    countries: Mapping[str, str]  # folded name or code -> alpha-2
    free_text_countries: Mapping[str, str]  # names safe to read at the end of free text
    country_names: Mapping[str, str]  # alpha-2 -> English short name
    postcodes: Mapping[str, tuple[re.Pattern[str], str]]
    street_words: Mapping[str, Mapping[str, str]]  # country -> key word -> folded
    street_suffixes: Mapping[str, tuple[tuple[str, str], ...]]  # country -> (ending, folded)
    line_words: Mapping[str, str]  # "ATTN" -> "recipient", "TOWER" -> "building", ...
    unit_starts: frozenset[str]  # words a unit starts with: designators, "#", "NO"
    unit_words: frozenset[str]  # the unit designators of ``units``
    place_stop_words: frozenset[str]  # recipient, organization, building words: not a city's
    region_endings: frozenset[str]  # "york", "carolina": last words of US/CA regions' names


@functools.cache
def _tables() -> _Tables:
    suffixes: dict[str, str] = {}
    for row in load_rows("address_street_suffixes.csv"):
        variant, standard = row["variant"], row["standard"]
        # a variant that is itself a standard abbreviation keeps it (MDW: Meadow, not Meadows)
        if variant not in suffixes or variant == standard:
            suffixes[variant] = standard
    directionals = {r["direction"]: r["standard"] for r in load_rows("address_directionals.csv")}
    units = {
        r["variant"]: (r["standard"], r["needs_id"] == "1") for r in load_rows("address_units.csv")
    }
    regions: dict[str, dict[str, str]] = {}
    names: dict[tuple[str, str], str] = {}
    prefixes: dict[tuple[str, str], tuple[str, ...]] = {}
    for row in load_rows("address_regions.csv"):
        country, code = row["country"], row["code"]
        table = regions.setdefault(country, {})
        for spelling in (code, row["name"], *row["variants"].split("|")):
            if spelling:
                table.setdefault(_fold(spelling), code)
        names[country, code] = row["name"]
        if row["postcode_prefixes"]:
            prefixes[country, code] = tuple(row["postcode_prefixes"].split("|"))
    countries: dict[str, str] = {}
    free: dict[str, str] = {}
    country_names: dict[str, str] = {}
    for row in load_rows("countries.csv"):
        alpha2 = row["alpha2"]
        country_names[alpha2] = row["name"]
        spellings = [row["name"], *(v for v in row["variants"].split("|") if v)]
        for spelling in spellings:
            key = _fold(spelling)
            countries.setdefault(key, alpha2)
            if len(key) >= 4 or not key.isascii() or key in ("usa", "uk"):
                free.setdefault(key, alpha2)
        countries.setdefault(alpha2.lower(), alpha2)
        countries.setdefault(row["alpha3"].lower(), alpha2)
    postcodes = {
        r["country"]: (re.compile(r["pattern"]), r["sep"])
        for r in load_rows("address_postcodes.csv")
    }
    line_words = load_rows("address_line_words.csv")
    words: dict[str, dict[str, str]] = {}
    endings: dict[str, list[tuple[str, str]]] = {}
    for row in load_rows("address_street_words.csv"):
        words.setdefault(row["country"], {})[row["word"]] = row["key"]
        if row["kind"] == "suffix":
            endings.setdefault(row["country"], []).append((row["word"], row["key"]))
    return _Tables(
        suffixes=suffixes,
        suffix_keys={k.lower(): v.lower() for k, v in suffixes.items()},
        directionals=directionals,
        units=units,
        regions=regions,
        region_names=names,
        region_prefixes=prefixes,
        countries=countries,
        free_text_countries=free,
        country_names=country_names,
        postcodes=postcodes,
        street_words=words,
        street_suffixes={c: tuple(sorted(e, key=lambda p: -len(p[0]))) for c, e in endings.items()},
        line_words={r["word"]: r["kind"] for r in line_words},
        unit_starts=frozenset(units) | {"#", "NO", "NUMBER"},
        unit_words=frozenset(units),
        place_stop_words=frozenset(
            r["word"] for r in line_words if r["kind"] in ("recipient", "building", "organization")
        ),
        region_endings=frozenset(
            _fold(name.split()[-1])
            for (country, _), name in names.items()
            if country in ("US", "CA") and " " in name
        ),
    )


# Abbreviations written in place names, folded to the USPS city name's word.
_PLACE_WORDS: Final = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount",
                       "pt": "point", "n": "north", "s": "south", "e": "east", "w": "west",
                       "so": "south", "no": "north"}  # fmt: skip


_COMPASS = frozenset(("north", "south", "east", "west"))
# English words of two letters, which a unit's letters are not ("Main St Of ...")
_TWO_LETTER_WORDS = frozenset(
    {"AN", "AS", "AT", "BY", "GO", "IF", "IN", "IS", "IT", "MY", "NO", "OF", "ON", "OR", "SO",
     "TO", "UP", "US", "WE"}
)  # fmt: skip


@functools.lru_cache(maxsize=65_536)  # words repeat down a column
def _place_word(word: str) -> str:
    folded = _fold(word)
    return _PLACE_WORDS.get(folded, folded)


@functools.cache
def _us_places() -> tuple[Mapping[str, str], frozenset[str]]:
    """US place names (USPS city names) in lookup form (words folded and joined: ``"Saint
    Louis"`` → ``"saintlouis"``) → their states, ``"|"``-joined; and the lookup forms of the
    last words of the places of two words or more (``"louis"``, ``"vernon"``)."""
    places: dict[str, str] = {}
    endings: set[str] = set()
    for row in load_rows("address_us_places.csv"):
        words = [_place_word(w) for w in row["place"].split()]
        key = "".join(words)
        known = places.get(key)  # "Mount Vernon" and "Mt Vernon" share a key, "La Place"
        # and "Laplace" too
        places[key] = f"{known}|{row['states']}" if known else row["states"]
        endings.update("".join(words[j:]) for j in range(1, len(words)))
    return places, frozenset(endings)


@functools.cache
def _us_large_places() -> tuple[frozenset[str], frozenset[str]]:
    """The large US places (``address_us_large_places.csv``) in lookup form, as
    :func:`_us_places` gives them, and the lookup forms of their last words."""
    keys: set[str] = set()
    endings: set[str] = set()
    for row in load_rows("address_us_large_places.csv"):
        words = [_place_word(w) for w in row["place"].split()]
        keys.add("".join(words))
        endings.update("".join(words[j:]) for j in range(1, len(words)))
    return frozenset(keys), frozenset(endings)


def _large_place_start(upper: Sequence[str], low: int) -> int:
    """Where the longest run of last words of ``upper`` (from ``low`` on) that names a large
    US place starts ("5429 Woodlawn Chicago"); -1 when no such run. Read when neither a state
    nor a ZIP code tells where to look."""
    keys, endings = _us_large_places()
    found_at = -1
    key = ""
    for k in range(len(upper) - 1, low - 1, -1):
        key = _place_word(upper[k]) + key
        if key in keys:
            found_at = k
        if key not in endings:
            break
    return found_at


def _place_states(region: str | None, postcode: str | None) -> str:
    """Where to look a place name up: the state (``"IL"``), the states a ZIP code's first
    digit points to (``"IL|KS|MO|NE"``), or ``""`` when neither is known: a place name alone,
    of any state, is too weak a sign (``"106 Comella Cove"``: Cove, AR is a place)."""
    if region:
        code = _region_code(region, "US")
        if code is not None:
            return code
    zip_code = (postcode or "").strip()
    if zip_code[:1].isdigit():
        prefixes = _tables().region_prefixes
        states = sorted(
            s for (c, s), p in prefixes.items() if c == "US" and zip_code.startswith(p)
        )
        if states:
            return "|".join(states)
    return ""


def _place_start(upper: Sequence[str], low: int, states: str) -> int:
    """Where the longest run of last words of ``upper`` (from ``low`` on) that names a US place
    of ``states`` (see :func:`_place_states`) starts; -1 when no such run."""
    places, endings = _us_places()
    found_at = -1
    key = ""
    for k in range(len(upper) - 1, low - 1, -1):
        key = _place_word(upper[k]) + key
        found = places.get(key)
        if (
            found is not None
            # a state code never spans a "|": a substring test is a membership test
            and (
                states in found if len(states) == 2 else any(s in found for s in states.split("|"))
            )
            and not (upper[k] in ("E", "W") and k > low and upper[k - 1] in ("N", "S"))
        ):  # "Lucerne Dr S E Grand Rapids": "S E" is the street's SE, not East
            found_at = k
        if key not in endings:
            break
    return found_at


@functools.lru_cache(maxsize=4096)
def _country_lookup(text: str) -> str | None:
    return _tables().countries.get(_fold(text))


def normalize_country(value: object) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name or code, in English or a native language.

    Accepts alpha-2 and alpha-3 codes, English short and formal names, native names
    (``"Deutschland"``, ``"Россия"``, ``"中国"``, ``"Türkiye"``) and common variants
    (``"U.S.A."``, ``"UK"``, ``"Great Britain"``, ``"Holland"``). Case, accents and punctuation do
    not matter. Returns ``None`` for an empty or unknown value.

    Example:
        >>> [normalize_country(v) for v in ("USA", "United States of America", "Deutschland",
        ...                                 "Россия", "中国", "Türkiye", "UK", "gb", "Atlantis")]
        ['US', 'US', 'DE', 'RU', 'CN', 'TR', 'GB', 'GB', None]
    """
    if isinstance(value, str):
        text = value
    else:
        text_or_none, _ = coerce_text(value)
        if text_or_none is None:
            return None
        text = text_or_none
    if len(text) > 100:
        return None
    return _country_lookup(text)


def country_name(code: str) -> str | None:
    """The English short name of an ISO 3166-1 alpha-2 code (as written in addresses).

    Example:
        >>> country_name("DE"), country_name("us"), country_name("XX")
        ('Germany', 'United States', None)
    """
    return _tables().country_names.get(str(code).upper())


# --- text helpers ---------------------------------------------------------------------------

_LINE_BREAK_RE: Final = re.compile(r"\s*(?:\r\n|[\r\n;|])\s*")
_WS_RE: Final = re.compile(r"\s+")
_PART_SPLIT_RE: Final = re.compile(r"\s*,\s*")
_KEY_DROP_RE: Final = re.compile(r"[^0-9a-z]+")
_HAS_LETTER_OR_DIGIT_RE: Final = re.compile(r"[^\W_]")
_CJK_RE: Final = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_RE: Final = re.compile(r"[\u3040-\u30ff]")
_CYRILLIC_RE: Final = re.compile(r"[\u0400-\u04ff]")
_ORDINAL_RE: Final = re.compile(r"^\d+(?:st|nd|rd|th|e|er|re|eme|ème|º|ª|\.)?$", re.IGNORECASE)
_PARTICLES: Final = frozenset(
    {
        "of", "the", "and", "de", "la", "le", "les", "du", "des", "d", "l", "van", "der", "den",
        "von", "zu", "zum", "zur", "di", "da", "do", "dos", "das", "del", "della", "delle", "e",
        "y", "et", "am", "an", "im", "auf", "bei", "und", "sur", "sous", "en", "aan", "het",
        "op", "te"
    }
)  # fmt: skip
_TRIM: Final = " \t,.;:-/"


def _key(text: str) -> str:
    """ASCII lower-case key with single spaces (like :func:`match_key`, fast for ASCII)."""
    if not text.isascii():
        text = transliterate(text)
    return _KEY_DROP_RE.sub(" ", text.lower()).strip()


def _title_word(word: str, first: bool) -> str:
    lower = word.lower()
    if not first and lower in _PARTICLES:
        return lower
    if word[:1].isdigit():
        return lower if _ORDINAL_RE.match(word) else word.upper()
    if "'" in lower or "-" in lower:
        return "-".join(
            "'".join(p[:1].title() + p[1:] for p in piece.split("'")) for piece in lower.split("-")
        )
    return lower[:1].title() + lower[1:]


@functools.lru_cache(maxsize=65_536)  # words and cities repeat down a column
def _smart_case(text: str) -> str:
    """Title-case text typed all upper or all lower; keep text typed in mixed case."""
    if not (text.isupper() or text.islower()):
        return text
    words = text.split(" ")
    return " ".join(_title_word(w, i == 0) if w else w for i, w in enumerate(words))


def _clean(raw: str) -> str:
    """Whitespace-folded, Unicode-cleaned text with line breaks turned into commas."""
    text = _LINE_BREAK_RE.sub(", ", raw)
    if not text.isascii():
        text = normalize_text(text).text or ""
    elif "  " in text or "\t" in text:
        text = _WS_RE.sub(" ", text)
    return text.strip()


def _split_parts(text: str) -> list[str]:
    out = []
    for part in _PART_SPLIT_RE.split(text):
        part = part.strip(" ;:-")
        if part and _HAS_LETTER_OR_DIGIT_RE.search(part):
            out.append(part)
    return out


@functools.lru_cache(maxsize=65_536)
def _is_placeholder(text: str) -> bool:
    if len(text) > 30:
        return False
    folded = _fold(text)
    if not folded:
        return True
    return folded in _PLACEHOLDERS or (len(folded) >= 3 and len(set(folded)) == 1)


# --- postcodes --------------------------------------------------------------------------------

_POSTCODE_PREFIX_RE: Final = re.compile(
    r"^(?:〒\s*|(?:CEP|PLZ|CP)[\s.:]*|"
    r"(?:NL|D|F|A|CH|B|L|I|E|P|FL|DK|S|N|SF|FIN|PL|CZ|SK|H|TR|RU|BR|J|JP)-)(?=\d)",
    re.IGNORECASE,
)
_COMPACT_DROP_RE: Final = re.compile(r"[\s\-–.]+")


def _compact_postcode(text: str) -> str:
    return _COMPACT_DROP_RE.sub("", _POSTCODE_PREFIX_RE.sub("", text.strip())).upper()


def _standard_postcode(compact: str, country: str) -> str | None:
    """The postcode in the country's standard form, or ``None`` if it does not fit."""
    entry = _tables().postcodes.get(country)
    if entry is None:
        return None
    pattern, sep = entry
    m = pattern.fullmatch(compact)
    if m is None:
        return None
    return sep.join(g for g in m.groups() if g)


# Postcode shapes that name their country on their own, for addresses without a country.
_DISTINCT_POSTCODES: Final = (
    (re.compile(r"\d{5}-\d{4}"), "US"),
    (re.compile(r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d", re.I), "CA"),
    (re.compile(r"(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}", re.I), "GB"),
    (re.compile(r"[1-9]\d{3} ?(?:[A-RT-Z][A-Z]|S[BCE-RT-Z])", re.I), "NL"),
    (re.compile(r"〒? ?\d{3}-\d{4}"), "JP"),
    (re.compile(r"\d{5}-\d{3}"), "BR"),
)
# "D-10115", "F-75002", "CH-8001": the old European prefixes name the country.
_PREFIX_COUNTRIES: Final = {
    "D": "DE", "F": "FR", "A": "AT", "CH": "CH", "NL": "NL", "B": "BE", "I": "IT", "E": "ES",
    "L": "LU", "DK": "DK", "S": "SE", "N": "NO", "FIN": "FI", "SF": "FI", "PL": "PL",
    "CZ": "CZ", "H": "HU", "P": "PT", "FL": "LI",
}  # fmt: skip
_PREFIX_COUNTRY_RE: Final = re.compile(r"^(D|F|A|CH|NL|B|I|E|L|DK|S|N|FIN|SF|PL|CZ|H|P|FL)-\d")
_GENERIC_POSTCODE_RE: Final = re.compile(r"\d{4,6}|[A-Z]{1,2}-\d{4,5}")


# --- US / Canada (USPS Publication 28) -------------------------------------------------------

_US_HOUSE_RE: Final = re.compile(r"^(?:\d+(?:-?[A-Z]|-\d+[A-Z]?)?|[NSEW]\d+[NSEW]\d+|\d+[½¼¾])$")
_FRACTION_RE: Final = re.compile(r"^\d/\d$")
_DIGIT_RE: Final = re.compile(r"\d")
_GRID_HALF_RE: Final = re.compile(r"^[NSEW]\d+[NSEW]?$")
_UNIT_ID_RE: Final = re.compile(
    r"^(?:[A-Z]?\d+[A-Z]?|[A-Z]|\d+-?[A-Z\d]+|[A-Z]-?\d+|[A-Z]\d+-[A-Z\d]+)$"
)
_PO_BOX_RE: Final = re.compile(
    r"^(?:p\.?\s*o\.?\s*b(?:ox)?\.?|post\s*office\s*box|postal\s+box|box|"
    r"postfach|bo[iî]te\s+postale|b\.?p\.?|caixa\s+postal|c\.?\s?p\.?|apartado(?:\s+postal)?|"
    r"postbus|a/я|абонентский\s+ящик)\s*(?:no\.?|#)?\s*([0-9][0-9a-z\s-]*)$",
    re.IGNORECASE,
)
# A US PO box: the box word, one box number (digits, or a letter: "PO Box X"), and whatever
# follows it on the line (a city, when no comma comes between).
_US_BOX_RE: Final = re.compile(
    r"^(?:p\.?\s*o\.?\s*b(?:o?x)?\.?|post\s*office\s*box|postal\s+box|box|(?:p\.?\s*o\.?\s*)?drawer"
    r"|lock\s*box|lbx)"
    r"(?:\s*#\s*|\s*no\.?\s*(?=\d)|\s+|(?<=\.)(?=\d)|(?=\d))"
    r"(\d[\w-]*|[a-z]\d[\w-]*|[a-z](?![\w']))(?:[\s,]+(.*?))?\.?$",
    re.IGNORECASE,
)
_LETTER_RE: Final = re.compile(r"^[A-Za-z]$")
_BOX_START: Final = frozenset({"PO", "P", "POB", "BOX", "POST", "DRAWER", "LOCKBOX", "LOCK", "LBX"})
# words that start a box inside a line only with a number and a box after them ("RR 1 Box 297")
_RURAL_START: Final = frozenset({"RR", "HC", "HCR"})
# A rural route, highway contract or star route box, or a military box ("RR 2 Box 152",
# "HC 68 Box 23A", "Star Rte 12A Box 455B", "PSC 1234 Box 56"), and after a box whatever
# follows it on the line (a city: "RR 1 Box 103 A Rio IL").
_RURAL_RE: Final = re.compile(
    r"^(rr|r\.r\.|rural\s+route|rfd|rte|rt|hcr|(?:hc|highway\s+contract|hwy\s+contract)"
    r"(?:\s+(?:route|rte))?|star\s+(?:route|rte)|psc|unit|cmr|route(?=\s+box))\s*#?\s*"
    r"(\d+[a-z]{0,2}|(?<=e\s)(?=box))\s*,?\s*"
    r"(?:(?:p\.?\s*o\.?\s*)?(box|bx)\s*#?\s*(\w+(?:\s[a-z](?![\w']))?)?"
    r"(?:[\s,]+(.*?))?)?\.?$",
    re.IGNORECASE,
)
# Rural route words that need a box after them to be one ("Rt 1 Box 81"; "Rt 9" is a road).
_RURAL_WITH_BOX: Final = frozenset({"rt", "unit"})
_RURAL_NAMES: Final = {"rr": "RR", "r.r.": "RR", "ruralroute": "RR", "rte": "RR", "hc": "HC",
                       "route": "RR",
                       "highwaycontract": "HC", "highwaycontractroute": "HC", "psc": "PSC",
                       "unit": "Unit", "cmr": "CMR"}  # fmt: skip
_COMMON_SUFFIXES: Final = frozenset(
    {"ST", "AVE", "RD", "DR", "LN", "BLVD", "CT", "PL", "WAY", "CIR", "PKWY", "HWY", "TER", "TRL",
     "SQ", "PLZ"}
)  # fmt: skip
# Road types whose number follows them and is part of the street ("State Highway 116").
_NUMBERED_ROADS: Final = frozenset({"HWY", "RTE", "FWY", "EXPY"})
_NUMBERED_ROAD_OWNERS: Final = frozenset(
    {"COUNTY", "COUNTRY", "STATE", "FARM", "RANCH", "TOWNSHIP"}  # "Country Road 183": a typo
)
# street suffixes that name roads (a line without a house number that ends in one is a
# street: "Anchor Inn Road"), and suffixes that more often name a landmark or a complex
_THOROUGHFARES: Final = frozenset(
    {"ST", "AVE", "RD", "DR", "LN", "BLVD", "CT", "WAY", "CIR", "PKWY", "HWY", "TER", "TRL",
     "PIKE", "EXPY", "FWY", "TPKE", "ALY", "RTE", "BYP", "ROW"}
)  # fmt: skip
_LANDMARK_SUFFIXES: Final = frozenset(
    {"SQ", "PLZ", "HBR", "FLD", "FLDS", "VLG", "MALL", "CTR", "CTRS", "PL", "MKT", "FLTS",
     "GDNS", "CV", "CMNS", "TWRS"}
)  # fmt: skip
_ROAD_SUFFIXES: Final = frozenset({"ST", "AVE", "RD", "DR", "BLVD", "LN", "HWY", "PKWY"})
# what ends a person's or an organization's name after a comma (never a city)
_NAME_ENDINGS: Final = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "inc", "incorporated", "llc", "llp", "ltd", "corp", "plc"}
)
_TOWER_WORDS: Final = frozenset({"TOWER", "TOWERS", "BLDG", "BUILDING"})
_INTERCARDINALS: Final = frozenset({"NE", "NW", "SE", "SW"})
_HASH_RE: Final = re.compile(r"\s*#\s*")
_DOTTED_RE: Final = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")
_FLOOR_WORDS: Final = frozenset({"FLOOR", "FL", "FLR"})
_LEVEL_WORDS: Final = frozenset({"LEVEL", "LVL", "FLOOR", "FL", "FLR"})
_FLOOR_ORDINAL_RE: Final = re.compile(r"^\d+(?:ST|ND|RD|TH)$")
_ORDINAL_WORDS: Final = {
    "FIRST": "1", "SECOND": "2", "THIRD": "3", "FOURTH": "4", "FIFTH": "5", "SIXTH": "6",
    "SEVENTH": "7", "EIGHTH": "8", "NINTH": "9", "TENTH": "10",
}  # fmt: skip
_GLUED_UNIT_RE: Final = re.compile(r"^([A-Z]{2,9})\.?(\d[A-Z\d-]*)$")  # "SUITE100", "STE.5300"
_UNIT_CASE: Final = {"PH": "PH", "PMB": "PMB", "#": "#", "MSC": "MSC", "M/C": "M/C", "MC": "MC"}


def _unit_designator(standard: str) -> str:
    return _UNIT_CASE.get(standard) or standard.title()


@attrs.define
class _Street:
    house: str | None = None
    street: str | None = None
    line1: str | None = None
    unit: str | None = None
    rest: str | None = None  # text after the street (a city, in a line without commas)
    po_box: bool = False
    number_first: bool = True
    name_words: tuple[str, ...] = ()
    box: str | None = None  # a PO box written after the street on the same line
    loose: bool = False  # the unit holds words no designator reads ("Rm 623 Dorrance Bldg")
    building: str | None = None  # a complex named after the street ("Rd Lynnewood Gardens")


def _us_tokens(line: str) -> list[str]:
    """The words of a US street line, outer punctuation removed, ``#`` a word of its own,
    dotted abbreviations closed up (``N.W.`` → ``NW``, ``P.O.`` → ``PO``)."""
    hashed = "#" in line
    line = _HASH_RE.sub(" # ", line) if hashed else line
    if ":" in line:
        line = line.replace(":", ": ")  # "Re:Acct"
    out = []
    for word in line.split():
        token = word.strip(".,;:")
        if "." in token and _DOTTED_RE.match(token):
            token = token.replace(".", "")
        if token[-1:].isdigit() and token[:1].isalpha():
            glued = _GLUED_UNIT_RE.match(token.upper())  # "Suite100" → "Suite", "100"
            if glued and glued.group(1) in _tables().units:
                out.append(token[: glued.end(1)])
                token = token[glued.start(2) :]
        if token:
            out.append(token)
    if (
        out
        and out[0] == "#"
        and len(out) >= 4
        and out[1].isdigit()
        and out[-1].upper() in _tables().suffixes
    ):
        del out[0]  # "# 2 Turner Rd": a number sign before the house number
    if hashed:  # "3904 Route # A": the road's number sign, not a unit (but "Dixie Hwy # 312")
        line_words = _tables().line_words
        out = [
            t
            for k, t in enumerate(out)
            if not (
                t == "#"
                and 0 < k < len(out) - 1
                and line_words.get(out[k - 1].upper()) == "highway"
                and (
                    k == 1
                    or (k == 2 and _US_HOUSE_RE.match(out[0].upper()) is not None)
                    or out[k - 2].upper() in _NUMBERED_ROAD_OWNERS
                    or line_words.get(out[k - 2].upper()) == "highway"
                )
            )
        ]
    return _join_spaced_directionals(out) if _SPACED_DIRECTIONAL_RE.search(line) else out


_SPACED_DIRECTIONAL_RE: Final = re.compile(r"\s[NSns]\.?\s+[EWew]\b")


def _join_spaced_directionals(tokens: list[str]) -> list[str]:
    """``S W`` → ``SW``: a directional written in two letters, not where the second letter is
    a street's name (``N E St``) or the first follows the house number alone."""
    k = 1
    while k < len(tokens) - 1:
        if (
            len(tokens[k]) == len(tokens[k + 1]) == 1
            and tokens[k] in "NSns"
            and tokens[k + 1] in "EWew"
        ):
            after = tokens[k + 2].upper() if k + 2 < len(tokens) else None
            if (after is None and k > 1) or (
                after is not None and after not in _tables().suffixes
            ):
                tokens[k : k + 2] = [tokens[k] + tokens[k + 1]]
        k += 1
    return tokens


def _floor_number(up: str, following: str) -> str | None:
    """The floor of ``3rd Floor`` / ``Second Floor`` (``up`` and the word after it)."""
    if following not in _FLOOR_WORDS:
        return None
    if _FLOOR_ORDINAL_RE.match(up) or (up.isdigit() and len(up) <= 3):
        return re.sub(r"\D", "", up)
    return _ORDINAL_WORDS.get(up)


def _us_unit(tokens: list[str], start: int) -> tuple[str | None, int]:
    """Read designator/id pairs from ``tokens[start:]``: ``(unit, index after the unit)``."""
    units = _tables().units
    pieces: list[str] = []
    i, n = start, len(tokens)
    while i < n:
        up = tokens[i].upper()
        if up == "#":
            if i + 1 < n and _UNIT_ID_RE.match(tokens[i + 1].upper()):
                pieces.append("# " + tokens[i + 1].upper())
                i += 2
                continue
            break
        if up.startswith("#") and _UNIT_ID_RE.match(up[1:]):
            pieces.append("# " + up[1:])
            i += 1
            continue
        if (
            up in ("NO", "NUMBER")
            and i + 1 < n
            and tokens[i + 1][:1].isdigit()
            and _UNIT_ID_RE.match(tokens[i + 1].upper())
        ):  # "Harrison Ave No. 102"
            pieces.append("# " + tokens[i + 1].upper())
            i += 2
            continue
        floor = _floor_number(up, tokens[i + 1].upper()) if i + 1 < n else None
        if floor is not None:
            pieces.append("Fl " + floor)
            i += 2
            continue
        entry = units.get(up)
        if entry is None:
            glued = _GLUED_UNIT_RE.match(up)
            entry = units.get(glued.group(1)) if glued else None
            if glued and entry and entry[1] and _UNIT_ID_RE.match(glued.group(2)):
                pieces.append(f"{_unit_designator(entry[0])} {glued.group(2)}")
                i += 1
                continue
            break
        standard, needs_id = entry
        j = i + 1
        if j < n and tokens[j] == "#":
            j += 1
        if j < n and _UNIT_ID_RE.match(tokens[j].upper()):
            pieces.append(f"{_unit_designator(standard)} {tokens[j].upper()}")
            i = j + 1
        elif not needs_id:
            pieces.append(_unit_designator(standard))
            i += 1
            if i < n and tokens[i].upper() in _LEVEL_WORDS:
                i += 1  # "Lower Level": the level is the designator's own word
        else:
            break
    return (" ".join(pieces) or None), i


def _parse_us_street(line: str, *, split_city: bool = False, places: str = "") -> _Street:
    """A US/Canadian street line by USPS Publication 28; with ``split_city``, text after
    the street (a city written without a comma) goes to ``rest``: the longest run of last
    words that names a place of ``places`` (a state or ``"|"``-joined states; see
    :func:`_place_states`), else what follows the street's suffix."""
    if not line[:1].isdigit():
        box = _us_box(line)
        if box is not None:
            return box
    tables = _tables()
    tokens = _us_tokens(line)
    n = len(tokens)
    upper = [t.upper() for t in tokens]
    i = 0
    house = None
    locator = 0
    if n and _US_HOUSE_RE.match(upper[0]):
        house = upper[0]
        i = 1
        if i < n and _FRACTION_RE.match(upper[i]):
            house += " " + upper[i]
            i += 1
        elif (
            i + 1 < n
            and len(upper[i]) == 1
            and upper[i].isalpha()
            and upper[i] not in tables.directionals
            and upper[i + 1] not in tables.suffixes
            and not upper[i + 1][:1].isdigit()
            and not (  # "2964 L B J Fwy", "4969 U S 401 Hwy" (but "1521 J S Indiana Ave")
                len(upper[i + 1]) == 1
                and upper[i + 1].isalpha()
                and (upper[i + 1] not in tables.directionals or upper[i] + upper[i + 1] == "US")
            )
            and upper[i + 1] not in ("AND", "&")  # "728 C and N Smith Mill Rd"
            and upper[i + 1].lower() not in _PARTICLES  # "1180 P de Leon Blvd": an initial
            and house.isdigit()
        ):
            house += upper[i]  # "2458 B Wesley Chapel Rd": a house number suffix
            i += 1
    elif n > 2 and _GRID_HALF_RE.match(upper[0]) and _GRID_HALF_RE.match(upper[1]):
        house = upper[0] + upper[1]  # "W148 N9748 Tree Tops Dr": a grid address (Wisconsin)
        i = 2
    elif n > 2 and tables.line_words.get(upper[0]) == "number":
        house = _smart_case(tokens[0])  # "One Microsoft Way"
        i = 1
    else:
        # "Corner of First and Albemarle Sts", "Jct 4 & 13": where on the roads
        i = locator = _locator_end(upper)
    unit_first = None
    if (
        i + 3 < n
        and upper[i] == "#"
        and house is not None
        and _UNIT_ID_RE.match(upper[i + 1])
        and not upper[i + 2][:1].isdigit()
    ):  # "6910 # G Mary Caroline Cir": the unit written before the street
        unit_first = "# " + upper[i + 1]
        i += 2
    end, unit, unit_end = _first_us_unit(tokens, upper, i, tables.units)
    box_text = None
    box_at = -1
    if not (_BOX_START.isdisjoint(upper) and _RURAL_START.isdisjoint(upper)):
        box_at = next(
            (
                k
                for k in range(i + 1, end)
                if upper[k] in _BOX_START
                or (upper[k] in _RURAL_START and _rural_box(" ".join(tokens[k:])))
            ),
            -1,
        )
    if box_at > 0:  # "115 Harting Rd PO Box 12": a box after the street
        found = _us_box(" ".join(tokens[box_at:]))
        if found is not None and not found.rest:
            box_text, end, unit, unit_end = found.street, box_at, None, n
    elif unit is not None and unit_end < n - 1 and upper[unit_end] in _BOX_START:
        found = _us_box(" ".join(tokens[unit_end:]))
        if found is not None and not found.rest:  # "Fwy Suite 5010 Lockbox 848104"
            box_text, unit_end = found.street, n
    suffixes = tables.suffixes
    directionals = tables.directionals
    building = None
    if not split_city and end - i >= 4 and _may_end_in_complex(upper, i, end, tables):
        cut = _complex_after_street(upper, i, end, tables)
        if cut > 0:  # "1840 Ashbourne Rd Lynnewood Gardens": the complex is no street word
            building = _smart_case(" ".join(tokens[cut:end]))
            end = cut
    suffix_at = -1
    loose = False
    if split_city and unit is None and box_text is None:
        # a city may follow the street: end the street at its suffix
        suffix_at, end, unit, unit_end = _street_end_before_city(tokens, upper, i, end, tables)
        cut = (
            _complex_after_street(upper, i, end, tables)
            if end - i >= 4 and _may_end_in_complex(upper, i, end, tables)
            else -1
        )
        if cut > 0:  # as the street line alone reads ("Campbell Ave Luxe Logan Square")
            building = _smart_case(" ".join(tokens[cut:end]))
            end = cut
            suffix_at = cut - 1 if upper[cut - 1] in suffixes else cut - 2
    else:
        last = end - 1
        if last > i and upper[last] in directionals and last - 1 > i:
            last -= 1
        if last > i and upper[last] in suffixes:
            suffix_at = last
        elif unit is None and box_text is None:
            suffix_at, after = _unit_after_suffix(upper, i, end, tables)
            if suffix_at > 0:
                unit = " ".join(tokens[after:end]).upper()
                end = after
                loose = True
    if (
        end - i >= 3
        and upper[end - 1] in _SIDES
        and unit is None
        and unit_end >= n
        and house is not None
        and _is_side_unit(upper[end - 2 : end])
        and upper[end - 3] not in tables.suffixes  # "Business Loop 70 W": the road's number
        and _trailing_unit_id(upper, i, end - 2, tables)
    ):  # "1024 Randolph 1 N": apartment 1 North, written without its designator
        unit = f"# {upper[end - 2]} {upper[end - 1]}"
        end -= 2
        if suffix_at >= end:
            suffix_at = -1
    elif (
        unit is None
        and unit_end >= n
        and house is not None
        and end - i >= 2
        and (len(upper[end - 1]) == 1 or not upper[end - 1].isalpha())
        and _trailing_unit_id(upper, i, end - 1, tables)
    ):  # "101 W Grand Ave 600": a unit number without its designator
        unit = "# " + upper[end - 1]
        end -= 1
        if suffix_at >= end:
            suffix_at = -1
        last = end - 2 if upper[end - 1] in directionals and end - 2 > i else end - 1
        if suffix_at < 0 and upper[last] in suffixes and last > i:
            suffix_at = last  # "5th Street NE 301"
    if split_city and n - i >= 2 and (places or house is not None):
        # the longest known place at the end of the line is the city, wherever the street's
        # suffix ends ("27 Washington Oak Park"); it must leave a street name before it: a
        # line all of whose words after the house number name a place ("500 Royal Palm
        # Beach") holds no city. With no state and no ZIP code, only a large place counts,
        # after a house number and a street ("5429 Woodlawn Chicago", not "12 Cherry Hill")
        k = _place_start(upper, i, places) if places else _large_place_start(upper, i)
        if (
            k > i
            and k != unit_end
            # "8517 So Nashville": "So" is South, no street name
            and any(u not in directionals and _place_word(u) not in _COMPASS for u in upper[i:k])
        ):
            found = _parse_us_street(" ".join(tokens[:k]))
            found.rest = " ".join(tokens[k:])
            return found
    rest = " ".join(tokens[unit_end:]) if unit_end < n else None
    if not split_city and rest:
        unit = f"{unit} {rest.upper()}" if unit else rest.upper()
        rest = None
        loose = True
    # directionals
    pre = post = None
    name_from, name_to = i, end
    if suffix_at >= 0:
        name_to = suffix_at
        if suffix_at + 1 < end and upper[suffix_at + 1] in directionals:
            post = directionals[upper[suffix_at + 1]]
    elif end - i >= 2 and upper[end - 1] in directionals:
        post = directionals[upper[end - 1]]
        name_to = end - 1
    if name_to - name_from >= 2 and upper[name_from] in directionals:
        pre = directionals[upper[name_from]]
        name_from += 1
    name_tokens = tokens[name_from:name_to]
    suffix = None
    if suffix_at >= 0:
        if name_tokens:
            suffix = suffixes[upper[suffix_at]].title()
        else:
            name_tokens = [tokens[suffix_at]]
    name = _smart_case(" ".join(name_tokens)) if name_tokens else ""
    street = " ".join(p for p in (pre, name, suffix, post) if p) or None
    line1 = " ".join(p for p in (house, street) if p) or None
    if locator and street:
        line1 = f"{_smart_case(' '.join(tokens[:locator]))} {street}"
    if unit_first:
        unit = f"{unit_first} {unit}" if unit else unit_first
    return _Street(
        house=house,
        street=street,
        line1=line1,
        unit=unit,
        rest=rest,
        name_words=tuple(w.lower() for w in name_tokens),
        box=box_text,
        loose=loose,
        building=building,
    )


def _locator_end(upper: Sequence[str]) -> int:
    """Where the words that say where on the roads a place is ("Corner of", "Junction",
    "Crossroads") end, before a numbered road or an intersection ("Jct 4 & 13", "Junction
    Highway 76", "Corner of Cave & Zerkel Sts"); 0 when the line does not start with them."""
    tables = _tables()
    if len(upper) < 3 or tables.line_words.get(upper[0]) != "locator":
        return 0
    i = 2 if upper[1] == "OF" else 1
    if i < len(upper) - 1 and (
        upper[i][:1].isdigit()
        or tables.line_words.get(upper[i]) == "highway"
        or "&" in upper[i:]
        or "AND" in upper[i:]
    ):
        return i
    return 0


def _may_end_in_complex(upper: list[str], start: int, end: int, tables: _Tables) -> bool:
    """A cheap test before :func:`_complex_after_street`: what it finds ends in a building
    word or a complex's suffix, or starts with ``The``."""
    last = upper[end - 1]
    return (
        tables.line_words.get(last) == "building"
        or tables.suffixes.get(last) in _LANDMARK_SUFFIXES
        or "THE" in upper[start:end]
    )


def _complex_after_street(upper: list[str], start: int, end: int, tables: _Tables) -> int:
    """Where the name of a complex or building written after the street starts ("Ashbourne
    Rd Lynnewood Gardens", "Essex St SE Factory Lofts", "Frederick Rd The Reed"), or -1: after
    a road suffix and its directional, two words or more that start with ``The`` or end in a
    building word or a suffix that names a complex, the first of them no suffix."""
    suffixes = tables.suffixes
    for c in range(start + 1, end - 2):
        if suffixes.get(upper[c]) not in _ROAD_SUFFIXES:
            continue
        j = c + 1
        spaced = upper[j] in tables.directionals
        if spaced:
            j += 1
        rest = upper[j:end]
        if len(rest) < 2 or rest[0] in suffixes:
            continue
        if rest[0] == "THE":
            return j
        building_word = tables.line_words.get(rest[-1]) == "building"
        if upper[c] == "ST" and not spaced and not building_word and not rest[0][:1].isdigit():
            continue  # "Old St Andrews Sq": St may be Saint (not before a number)
        if building_word or suffixes.get(rest[-1]) in _LANDMARK_SUFFIXES:
            return j
    return -1


def _unit_after_suffix(upper: list[str], start: int, end: int, tables: _Tables) -> tuple[int, int]:
    """Where the street ends when the words after its last suffix (and directional) hold a
    unit: a number or a unit word ("Peachtree Rd NW Condo D1", "Riverfront Dr Mailbox 2825",
    "Dorchester Pl NE Unit", "Cottage Grove Ave Ground Floor"): (the suffix's index, the index
    after the street); (-1, ``end``) for a street that runs to the end of the line."""
    for c in range(end - 2, start, -1):
        standard = tables.suffixes.get(upper[c])
        if standard is None:
            continue
        if (
            standard not in _COMMON_SUFFIXES
            or standard in _NUMBERED_ROADS
            or upper[c - 1] in _NUMBERED_ROAD_OWNERS
        ):
            break  # "Medical Park Tower 5", "County Rd 12 N"
        before = tables.suffixes.get(upper[c - 1])
        if upper[c] == "ST" and c - 1 > start and before in _COMMON_SUFFIXES:
            c -= 1  # "Bonhomme Ave St 1400": "St" is a suite
        after = c + 2 if c + 2 < end and upper[c + 1] in tables.directionals else c + 1
        trailing = upper[after:end]
        if len(trailing) == 1 and _UNIT_ID_RE.match(trailing[0]):
            break  # "Grand Ave 600": a unit number alone, read as one below
        if any(t in tables.units or any(ch.isdigit() for ch in t) for t in trailing):
            return c, after
        if (
            len(trailing) == 1
            and len(trailing[0]) == 2
            and trailing[0].isalpha()
            and trailing[0] not in _US_STATE_CODES
            and trailing[0] not in _TWO_LETTER_WORDS
            and _place_word(trailing[0]) not in _COMPASS  # "13th Ave No St Petersburg"
        ):
            return c, after  # "Webster Avenue LH": a unit's letters (no word has two)
        break
    return -1, end


_SIDES: Final = frozenset({"N", "S", "E", "W"})


def _is_side_unit(tokens: Sequence[str]) -> bool:
    """Whether two words (upper case) are an apartment's floor and side written without a
    designator ("1 N", "41 SW"): a number of one or two digits and a directional."""
    return (
        len(tokens) == 2
        and tokens[0].isdigit()
        and len(tokens[0]) <= 2
        and tokens[1] in _tables().directionals
        and len(tokens[1]) <= 2
    )


def _trailing_unit_id(upper: list[str], start: int, k: int, tables: _Tables) -> bool:
    """Whether the last word of a street line (at ``k``) is a unit number written without
    its designator ("Grand Ave 600", "Canal Street C1S") rather than part of the street name
    ("Avenue H", "Highway 116", "County Road 12")."""
    up = upper[k]
    if k <= start or (up.isalpha() and len(up) > 1) or not _UNIT_ID_RE.match(up):
        return False
    if up in tables.directionals:
        return False
    prev = upper[k - 1]
    if tables.line_words.get(prev) == "highway" or prev in ("#", "NO", "NUMBER", "&", "AND"):
        return False
    suffix = tables.suffixes.get(prev)
    if suffix is not None:
        if suffix in _NUMBERED_ROADS:
            return False
        if k - 2 >= start and upper[k - 2] in _NUMBERED_ROAD_OWNERS:
            return False
        if all(u in tables.directionals for u in upper[start : k - 1]):
            return False  # "Avenue H": a type before the name
    names = [u for u in upper[start:k] if u not in tables.directionals]
    # "W 42", "F 41" (a county road): a number or a letter alone is the street's name
    return bool(names) and not (len(names) == 1 and (names[0].isdigit() or len(names[0]) == 1))


def _rural_box(line: str) -> bool:
    """Whether a line is a rural route or highway contract box with its box ("RR 1 Box 297")."""
    m = _RURAL_RE.match(line)
    return m is not None and m.group(3) is not None


def _us_box(line: str) -> _Street | None:
    """A PO box or rural route line ("PO Box 12", "RR 2 Box 152"); None for any other line.
    Text after the box number (a city) is in ``rest``."""
    m = _US_BOX_RE.match(line)
    if m:
        number = m.group(1).upper()
        # a bank's lockbox is no Post Office box: it keeps its word
        text = f"Lockbox {number}" if line[:1] in "Ll" else f"PO Box {number}"
        return _Street(street=text, line1=text, po_box=True, rest=m.group(2) or None, box=text)
    m = _RURAL_RE.match(line)
    if m and not (m.group(1).lower() in _RURAL_WITH_BOX and not m.group(3)):  # "Unit 4"
        kind = _RURAL_NAMES.get(_fold(m.group(1)), " ".join(m.group(1).upper().split()))
        text = f"{kind} {m.group(2).upper()}" if m.group(2) else kind  # "Route Box 100"
        if m.group(3):
            text += f" Box {m.group(4).upper()}" if m.group(4) else " Box"
        return _Street(street=text, line1=text, po_box=True, box=text, rest=m.group(5) or None)
    return None


def _first_us_unit(
    tokens: list[str], upper: list[str], start: int, units: Mapping[str, tuple[str, bool]]
) -> tuple[int, str | None, int]:
    """The unit: the first designator after at least one street word from ``start``:
    (the index where the street ends, the unit or None, the index after the unit)."""
    n = len(tokens)
    tables = _tables()
    following = upper[start + 1 :]
    if tables.unit_starts.isdisjoint(following) and _FLOOR_WORDS.isdisjoint(following):
        return n, None, n  # the common case: no unit
    suffixes = tables.suffixes
    for j in range(start + 1, n):
        up = upper[j]
        if up in units:
            if not units[up][1] and j + 1 < n and upper[j + 1] in suffixes:
                continue  # "West Side Pl": a word of the street's name
        elif up == "NO" or up == "NUMBER":
            before = upper[j - 1]
            if tables.line_words.get(before) == "highway" or (
                suffixes.get(before) in _NUMBERED_ROADS
            ):
                continue  # "US Highway No. 130"
        elif not (up == "#" or (j + 1 < n and upper[j + 1] in _FLOOR_WORDS)):
            continue
        found, after = _us_unit(tokens, j)
        if found:
            return j, found, after
    return n, None, n


def _street_end_before_city(
    tokens: list[str], upper: list[str], start: int, end: int, tables: _Tables
) -> tuple[int, int, str | None, int]:
    """Where a street followed by a city (no comma between) ends: at its suffix, and after a
    directional, a road number and a unit that follow it. Returns (the suffix's index or -1,
    the index where the street ends, the unit or None, the index after the unit)."""
    n = len(tokens)
    suffixes = tables.suffixes
    directionals = tables.directionals
    first = start + 1 if start < end - 1 and upper[start] in directionals else start
    candidates = [k for k in range(first + 1, end) if upper[k] in suffixes]
    common = [k for k in candidates if suffixes[upper[k]] in _COMMON_SUFFIXES]
    # the last common suffix ("Old Mill Rd"), else the first run of suffix words
    # ("Fox Run Hts", "Center Pt Salt Lake City")
    if not (common or candidates):
        # "193 Braybrook SE Cedar Rapids": a street without a suffix ends at its directional
        post = next(
            (
                k
                for k in range(first + 1, end - 1)
                if upper[k] in directionals
                and (len(upper[k]) <= 2 or directionals[upper[k]] in _INTERCARDINALS)
            ),
            -1,
        )
        if (
            post - 2 >= start
            and upper[post] in _SIDES
            and _is_side_unit(upper[post - 1 : post + 1])
            and upper[post - 2] not in suffixes
            and _trailing_unit_id(upper, start, post - 1, tables)
        ):  # "1024 Randolph 1 N Oak Park": an apartment's floor and side, then the city
            return -1, post - 1, f"# {upper[post - 1]} {upper[post]}", post + 1
        return -1, (post + 1 if post > 0 else end), None, (post + 1 if post > 0 else n)
    if common:
        suffix_at = common[-1]
        if upper[suffix_at] == "ST" and suffix_at + 1 < end and len(common) > 1:
            # "Ocean Blvd St Simons Island": "St" starts the city (Saint)
            suffix_at = common[-2]
    else:
        suffix_at = candidates[0]
        while suffix_at + 1 < n and upper[suffix_at + 1] in suffixes:
            suffix_at += 1
    end = suffix_at + 1
    # a directional after the suffix belongs to the street, unless it is a spelled-out
    # North/South/East/West that starts the city ("Main St West Lafayette")
    if (
        end < n
        and upper[end] in directionals
        and (end + 1 == n or len(upper[end]) <= 2 or directionals[upper[end]] in _INTERCARDINALS)
    ):
        end += 1
    if (
        (end < n - 1 or (end == n - 1 and upper[end].isdigit()))  # "Auburn Ave 303 GA"
        and _UNIT_ID_RE.match(upper[end])
        and upper[end] not in directionals
    ):
        road = suffixes[upper[suffix_at]]
        if road in _NUMBERED_ROADS or (
            suffix_at > start and upper[suffix_at - 1] in _NUMBERED_ROAD_OWNERS
        ):
            return -1, end + 1, None, end + 1  # "State Highway 116 Sebastopol"
        if upper[end][:1].isdigit() or len(upper[end]) > 1:
            return suffix_at, end, "# " + upper[end], end + 1  # "Grand Ave 600 Chicago"
    unit, unit_end = _us_unit(tokens, end)
    if unit is None:
        unit_end = end
    return suffix_at, end, unit, unit_end


# States whose addresses the fast path reads (territories have their own ISO codes and ZIPs).
_US_STATE_CODES: Final = frozenset(
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
        "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
        "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
        "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"
    }
)  # fmt: skip

# --- other countries ------------------------------------------------------------------------

_HOUSE_MARK: Final = r"(?:(?:no|nr|n°|nº|no\.|num|número|numero|nummer|д|дом|№)\.?\s*:?\s*)"
_HOUSE_NUM: Final = (
    r"\d+(?:\s?[a-zA-Zа-яА-Я](?![\w]))?(?:\s?[-/]\s?\d+[a-zA-Zа-яА-Я]?)?"
    r"(?:\s?(?:bis|ter|quater)\b)?(?:\s?(?:к|корп\.?|стр\.?)\s?\d+)?"
)
_NUMBER_FIRST_RE: Final = re.compile(rf"^({_HOUSE_NUM})\s*,?\s+(\D.*)$", re.IGNORECASE)
_NUMBER_LAST_RE: Final = re.compile(
    rf"^(.*?[^\W\d_].*?)[\s,]+{_HOUSE_MARK}?({_HOUSE_NUM})$", re.IGNORECASE
)
_NUMBER_PART_RE: Final = re.compile(
    rf"^{_HOUSE_MARK}?({_HOUSE_NUM})(?:\s+-\s+(.+))?$", re.IGNORECASE
)
_TR_UNIT_RE: Final = re.compile(r"^(.*?)\s+(?:D|Daire)\s*[:.]?\s*(\d+\w*)$", re.IGNORECASE)
_UNIT_START_RE: Final = re.compile(
    r"^(?:apt|apts|apartment|appt|app|appartement|suite|ste|unit|flat|floor|fl|flr|room|rm|"
    r"bldg|building|dept|department|lot|space|spc|trlr|trailer|ph|penthouse|bsmt|basement|rear|"
    r"front|frnt|hangar|hngr|lobby|lbby|lowr|uppr|lower|upper|slip|pier|office|ofc|"
    r"whg|wohnung|etage|stock|og|eg|dg|hinterhaus|vorderhaus|bât|bat|bâtiment|batiment|esc|"
    r"escalier|porte|apto|apartamento|ap|sala|andar|bloco|bl|piso|puerta|pta|dpto|"
    r"departamento|interior|int|kv|кв|квартира|офис|оф|помещение|пом|корп|корпус|строение|"
    r"daire|kat|blok|bus|boîte|boite|bte|toren|#|\d+(?:st|nd|rd|th)?\s+(?:floor|fl|flr))"
    r"(?:\b|\.|(?=\d)|$)",
    re.IGNORECASE,
)
_CITY_MARK_RE: Final = re.compile(r"^(?:г\.|г\s|город\s|gorod\s|g\.\s?)\s*", re.IGNORECASE)
_REGION_MARK_RE: Final = re.compile(
    r"(?:\bобл\.?|\bобласть|\bкрай|\bреспублика|\bресп\.|\bавтономный округ|\bАО\b|\boblast\b|"
    r"\bkrai\b|\bprovince\b|\bprovincia\b|\bcounty\b|\bprefecture\b)",
    re.IGNORECASE,
)
_STREET_WORD_RE: Final = re.compile(
    r"(?:straße|strasse|str\.|weg|gasse|allee|platz|straat|laan|gracht|rue|avenue|boulevard|"
    r"chemin|via|viale|piazza|calle|avenida|rua|travessa|cad|caddesi|sok|sokak|ул|улица|"
    r"проспект|пр-т|переулок|пер\.|шоссе|наб|street|road|lane|drive|way|close|crescent|place)",
    re.IGNORECASE,
)


def _parse_intl_street(line: str, country: str | None) -> _Street:
    m = _PO_BOX_RE.match(line)
    if m:
        return _Street(street=line, line1=line, po_box=True)
    unit = None
    if country == "TR":
        tm = _TR_UNIT_RE.match(line)
        if tm and _NUMBER_LAST_RE.match(tm.group(1)):
            line, unit = tm.group(1), f"Daire {tm.group(2)}"
    number_last = country in _NUMBER_LAST if country else not line[:1].isdigit()
    order = (_NUMBER_LAST_RE, _NUMBER_FIRST_RE) if number_last else (
        _NUMBER_FIRST_RE, _NUMBER_LAST_RE)  # fmt: skip
    house = street = None
    number_first = not number_last
    for pattern in order:
        m = pattern.match(line)
        if m:
            if pattern is _NUMBER_FIRST_RE:
                house, street, number_first = m.group(1), m.group(2), True
            else:
                street, house, number_first = m.group(1), m.group(2), False
            break
    if house is None:
        street = line
    else:
        house = _WS_RE.sub(" ", house)
        house = re.sub(r"(?<=\d) (?=[a-zA-Zа-яА-Я](?:$|\s))", "", house)
    street = _smart_case(street.strip(" ,;:-/")) if street else None
    return _Street(house=house, street=street or None, unit=unit, number_first=number_first)


def _intl_line1(
    house: str | None, street: str | None, country: str | None, number_first: bool
) -> str | None:
    if house is None or street is None:
        return street or house
    if not number_first:
        if country == "BR" and not _has_house(street):
            return f"{street}, {house}"
        if country in _REGION_LINE and _CYRILLIC_RE.search(street) and not _has_house(street):
            return f"{street}, д. {house}"
        return f"{street} {house}"
    return f"{house} {street}"


# --- parsing the parts of an address ------------------------------------------------------------


@attrs.define
class _Raw:
    """An address split into its lines and fields, before standardization."""

    lines: list[str] = attrs.field(factory=list)
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None  # ISO code when known
    country_text: str | None = None  # a country value that is not a known country
    house: str | None = None
    cjk: bool = False
    na: bool = False  # read as a US-style address (city, state ZIP)
    remarks: list[str] = attrs.field(factory=list)  # "(east side)": kept in the postal form


def _region_code(text: str, country: str) -> str | None:
    table = _tables().regions.get(country)
    return table.get(_fold(text)) if table else None


def _pop_country(parts: list[str], default: str | None) -> str | None:
    """Remove a country named at the end (or the start) of ``parts``; return its code."""
    tables = _tables()
    if not parts:
        return None
    last = parts[-1]
    folded = _fold(last)
    code = tables.free_text_countries.get(folded)
    if code is None and " " in last:
        name, _, alpha = last.rpartition(" ")
        if len(alpha) <= 3 and tables.countries.get(_fold(alpha)) == tables.free_text_countries.get(
            _fold(name), ""
        ):
            code = tables.countries[_fold(alpha)]  # "United States US": named twice
    if code is None and last.isupper() and len(folded) in (2, 3) and len(parts) > 1:
        candidate = tables.countries.get(folded)
        if (
            candidate is not None
            and not _is_na_region(last)
            and not (
                last in _INTERCARDINALS
                and _ends_with_common_suffix(parts[-2])
                and _starts_us_street(parts[-2])
            )
        ):  # "83 Glenn Street, SE": the street's directional, not Sweden
            code = candidate
    if code is not None and not _ambiguous_country(folded, code, default):
        parts.pop()
        return code
    words = last.split()
    for size in (4, 3, 2, 1):
        if len(words) > size:
            tail = " ".join(words[-size:])
            code = tables.free_text_countries.get(_fold(tail))
            if code is None and size == 1 and _fold(tail) == "us" and _ZIP_RE.match(words[-2]):
                code = "US"  # "San Antonio, TX 78236 US"
            if size == 1 and tail.strip(".").upper() in tables.suffixes:
                continue  # "6330 S Stony Island": a street type, not Iceland
            if code is not None and not _ambiguous_country(_fold(tail), code, default):
                parts[-1] = " ".join(words[:-size]).rstrip(_TRIM)
                if not parts[-1]:
                    parts.pop()
                return code
    if len(parts) > 1:
        code = tables.free_text_countries.get(_fold(parts[0]))
        if code is not None and not _ambiguous_country(_fold(parts[0]), code, default):
            parts.pop(0)
            return code
    return None


def _is_na_region(text: str) -> bool:
    return _region_code(text, "US") is not None or _region_code(text, "CA") is not None


def _ambiguous_country(folded: str, code: str, default: str | None) -> bool:
    """A country name that is also a US state or Canadian province name ("Georgia")."""
    if code == default or code in _US_PLACES:
        return False
    return folded in _tables().regions["US"] or folded in _tables().regions["CA"]


_ZIP_RE: Final = re.compile(r"^\d{5}(?:-\d{4})?,?$")
_ZIP_TAIL_RE: Final = re.compile(r"(?:^|(?<=[\s,]))(\d{5}(?:\s?-\s?\d{4}|\s\d{4})?|\d{9})$")
# any short token with a digit after a state: a ZIP cut short or mistyped ("IL 6270")
_ZIP4_TAIL_RE: Final = re.compile(
    r"(?:^|(?<=[\s,]))((?=(?:[^\d\s]*\d){3})[A-Za-z0-9]{0,4}\d[A-Za-z0-9-]{0,8})$"
)
_CA_TAIL_RE: Final = re.compile(
    r"(?:^|(?<=[\s,]))([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])\s?-?(\d[ABCEGHJ-NPRSTV-Z]\d)$",
    re.IGNORECASE,
)


def _na_tail(parts: list[str], country: str | None) -> _Raw | None:
    """Read ``city, ST 12345`` off the end of a US/Canadian address; ``None`` if absent."""
    if not parts:
        return None
    raw = _Raw(country=country, na=True)
    looks = [country] if country else ["US", "CA"]
    if country in _US_PLACES or country == "UM":
        looks = ["US"]
    tables = _tables()
    p = parts[-1] = parts[-1].rstrip(" .")
    m = None
    if "CA" in looks:
        m = _CA_TAIL_RE.search(p)
        if m:
            raw.postcode = (m.group(1) + m.group(2)).upper()
            if country is None:
                looks = ["CA"]
    if m is None and "US" in looks:
        m = _ZIP_TAIL_RE.search(p)
        if m and len(parts) == 1 and m.start() == 0:
            m = None  # a number alone is no ZIP
        elif m and m.start() > 0:
            before = p[: m.start()].split()[-1].strip(".,:").upper()
            if (
                before in _BOX_START
                or (before in tables.unit_starts and tables.units.get(before, ("", True))[1])
                or before.endswith("BOX")
            ):  # "PO Box 11418", "Suite 12345": a box or unit number ("Lobby 60606": a ZIP)
                m = None
        if m:
            raw.postcode = m.group(1)
            if country is None:
                looks = ["US"]
                if len(_KEY_DROP_RE.sub("", m.group(1))) == 9:
                    raw.country = "US"
    short_zip = None
    if m is None:
        short_zip = _ZIP4_TAIL_RE.search(p)
    index = len(parts) - 1
    if m is not None:
        p = p[: m.start()].rstrip(_TRIM)
        if not p:
            parts.pop()
            index -= 1
            if not parts:
                return raw if raw.postcode and country else None
            p = parts[-1]
    elif short_zip is not None:
        p = p[: short_zip.start()].rstrip(_TRIM)
    # the region: the longest run of last words that names a state or province
    words = p.split()
    region = None
    if (
        index > 0
        and len(words) == 1
        and _fold(p) in tables.region_endings
        and not any(_region_code(p, look) for look in looks)
        and any(_region_code(f"{parts[index - 1].rsplit(None, 1)[-1]} {p}", look) for look in looks)
    ):  # "Rochester, New, York 14606": a state's name cut by a stray comma
        index -= 1
        p = parts[index] = f"{parts[index]} {p}"
        del parts[index + 1 :]
        words = p.split()
    for size in (4, 3, 2, 1):
        if len(words) < size:
            continue
        tail = " ".join(words[-size:])
        for look in looks:
            code = _region_code(tail, look)
            if code is not None:
                region, raw_country = code, look
                break
        if region is not None:
            if (
                m is None
                and index == 0
                and _ends_street(words, size)
                and _place_start([w.strip(".,").upper() for w in words[:-size]], 2, region) < 0
            ):
                # "42 Cedar Crest Ct", "707 E Main St 20th Fl": no state; but a known place
                # of the state before it makes it one ("1275 Cromwell Ave Rocky Hill CT")
                return None
            if (
                m is None
                and region in _INTERCARDINALS
                and "".join(tail.split()).replace(".", "").upper() == region
                and _directional_not_state(words[:-size], parts[:index], region)
            ):
                # "1180 Peachtree Street, NE", "159 The Prado NE": no ZIP and no city before
                # it: the street's directional, not Nebraska
                return None
            if (
                m is None
                and short_zip is None
                and index == 0
                and size > 1
                and _names_its_state_place(words, size, region)
            ):
                return None  # "260 5th Av New York": the city, not the state
            if (
                m is None
                and short_zip is None
                and size == 1
                and not _DIGIT_RE.search(p)
                and _line_kind(" ".join(words[:-1])) == "recipient"
            ):
                return None  # "United Management Co": Company, not Colorado
            words = words[:-size]
            break
    if region is None:
        if short_zip is not None:
            return None  # a short number without a state is no ZIP
        if m is None:
            return None
        before_city = _state_before_city(words, raw.postcode or "")
        if before_city is not None:  # "1 DNA Way MSC 24 CA S San Fran 94080"
            at, raw.region = before_city
            raw.city = " ".join(words[at + 1 :]).strip(_TRIM)
            raw.country = raw.country or "US"
            del parts[index:]
            street_text = " ".join(words[:at]).strip(_TRIM)
            if street_text:
                parts.append(street_text)
            raw.lines = parts
            return raw
        last = words[-1].upper() if words else ""
        if (
            len(last) == 2
            and last.isalpha()
            and len(words) + index > 1
            and not (last in tables.suffixes or last in tables.units or last in tables.directionals)
        ):
            # "Springfield, XX 62701": a state code that does not exist
            raw.region = words.pop().upper()
            if raw.country is None and looks == ["US"]:
                raw.country = "US"
    else:
        if short_zip is not None:
            raw.postcode = short_zip.group(1)
        # "New York" alone after the street is the city, not the state
        full_name = not (len(tail) == 2 and tail.isalpha())
        if (
            not words
            and index == 1
            and full_name
            and raw.postcode is None
            # but after a known place of the state it is the state ("123 Maple Rochester,
            # New York")
            and _place_start([w.strip(".,").upper() for w in parts[0].split()], 2, region) < 0
        ):
            return None
        raw.region = region
        if raw.country is None:
            raw.country = raw_country
    if raw.country is None and looks == ["CA"]:
        raw.country = "CA"
    city_text = " ".join(words).strip(_TRIM)
    del parts[index:]
    if (
        not city_text
        and raw.region is not None
        and len(parts) > 2
        and len(_fold(parts[-1])) > 2
        and _region_code(parts[-1], raw.country or "US") == raw.region
        # (but "New York, New York": the city has the state's name)
        and _place_start([w.strip(".,").upper() for w in parts[-1].split()], 0, raw.region) != 0
    ):
        parts.pop()  # "Roswell, Georgia, GA 30075": the state written twice
    if city_text:
        if index == 0:
            parts.insert(0, city_text)
            _split_us_city(parts, raw)
        else:
            raw.city = _city_after_lines(
                city_text, parts, _place_states(raw.region, raw.postcode)
            )
    elif len(parts) >= 2:
        lines = parts[:-1]
        places = _place_states(raw.region, raw.postcode)
        city = _city_after_lines(parts[-1], lines, places, alone=True)
        if city and _is_place_text(city):
            parts[:] = lines
            raw.city = city
    elif len(parts) == 1:
        _split_us_city(parts, raw)
    raw.lines = parts
    return raw


def _names_its_state_place(words: list[str], size: int, region: str) -> bool:
    """Whether the last ``size`` words of a line, which name a state, name a place of that
    state written after the street with no other place before it ("260 5th Av New York"):
    a city that has its state's name, not the state."""
    upper = [w.strip(".,").upper() for w in words]
    return (
        len(upper) > size + 1
        and _US_HOUSE_RE.match(upper[0]) is not None
        and _place_start(upper[-size:], 0, region) == 0
        and _place_start(upper[:-size], 2, region) < 0
    )


def _state_before_city(words: list[str], postcode: str) -> tuple[int, str] | None:
    """A state code written before the city rather than after it ("Marshall Rd CA Garden
    Valley 95633"): (its index in ``words``, the code) when a state code whose ZIP codes
    ``postcode`` belongs to stands after a street and before one to four words of letters;
    else None."""
    if not postcode[:1].isdigit():
        return None
    tables = _tables()
    for at in range(len(words) - 2, max(len(words) - 6, 0), -1):
        code = words[at].strip(".,").upper()
        if (
            len(code) == 2
            and code in _US_STATE_CODES
            and postcode.startswith(tables.region_prefixes[("US", code)])
            and all(
                w.strip(".,").isalpha() and w.strip(".,").upper() not in tables.unit_words
                for w in words[at + 1 :]
            )
            and not all(w.strip(".,").upper() in tables.directionals for w in words[at + 1 :])
        ):
            return at, code
    return None


def _directional_not_state(words: list[str], before: list[str], region: str) -> bool:
    """Whether ``NE`` (a state and a directional) ending an address with no ZIP is the
    street's directional: it follows the street line with no city between (``words``: what
    precedes it on its segment; ``before``: the segments before)."""
    if words:
        upper = [w.strip(".,").upper() for w in words]
        return bool(_US_HOUSE_RE.match(upper[0])) and _place_start(upper, 2, region) < 0
    return bool(before) and _starts_us_street(_us_prefix(before[-1])[1])


def _ends_street(words: list[str], size: int) -> bool:
    """Whether the last ``size`` words of a line that starts with a house number, which name
    a state, end the street instead: the street's name ("3719 Old Alabama", "1112 So.
    Washington"), a suffix after a street name without one ("42 Cedar Crest Ct"), a second
    suffix ("6th St Ct"), a floor ("20th Fl")."""
    tables = _tables()
    tokens = [w.strip(".,").upper() for w in words]
    if not tokens or not _US_HOUSE_RE.match(tokens[0]):
        return False
    names = [t for t in tokens[1:-size] if t not in tables.directionals and t != "SO"]
    if len(names) <= 1 and not any(tables.suffixes.get(t) in _COMMON_SUFFIXES for t in names):
        return True
    if size > 1 or len(tokens) < 3:
        return False
    last, before = tokens[-1], tokens[-2]
    if last in tables.units and _floor_number(before, last) is not None:
        return True
    if last not in tables.suffixes:
        return False
    if before in tables.suffixes:
        return True
    return not any(tables.suffixes.get(t) in _COMMON_SUFFIXES for t in tokens[2:-1])


def _is_place_text(text: str) -> bool:
    """Whether a line may be a city: no unit, box or directional alone, not only digits."""
    first = text.split(None, 1)[0].upper() if text else ""
    tables = _tables()
    if first.isalpha() and not (
        first in tables.units or first in _BOX_START or first in tables.directionals
    ):
        return True  # the common case: a city
    if _US_BOX_RE.match(text):
        return False
    tokens = _us_tokens(text)
    unit, end = _us_unit(tokens, 0)
    if unit is not None and end == len(tokens):
        return False  # "Ste 5", "Rear"; but "Upper Darby" is a city
    directionals = tables.directionals
    return bool(tokens) and not all(t.upper() in directionals or t[:1].isdigit() for t in tokens)


def _is_city_text(text: str) -> bool:
    """Whether text after a street, with no state or ZIP after it, reads as a city: words of
    letters, not a unit, floor or directional, nor one word of two letters ("4315 Webster
    Avenue LH": a unit; no US place has a name of two letters)."""
    tables = _tables()
    tokens = [t.upper() for t in _us_tokens(text)]
    return (
        bool(tokens)
        and len(tokens[0]) > (2 if len(tokens) == 1 else 1)
        and not any(ch.isdigit() for ch in text)
        and _RECIPIENT_MARK_RE.search(text) is None
        and not any(t in tables.units or t in _FLOOR_WORDS or t == "NO" for t in tokens)
        and not all(t in tables.directionals for t in tokens)
        # "US Highway 53 Bsnss Rte N", "Throgs Neck Expwy SR": the street goes on
        and not any(tables.line_words.get(t) == "highway" for t in tokens)
    )


def _city_after_lines(
    city: str, lines: list[str], places: str = "", *, alone: bool = False
) -> str | None:
    """The city of a city segment that starts with what belongs to the lines before it: a
    directional of the street ("Peachtree St, NE Atlanta"), a unit ("Drive, Ste B Alpharetta"),
    a PO box ("PO Box 637 Powder Springs"). Those move to ``lines``. With ``places`` (the
    states of :func:`_place_states`), a known place at the end of the segment tells where the
    city starts ("Hwy, N Sebastopol CA", "Interim Unit 1 San Francisco"); a segment ``alone``
    between commas keeps a directional it starts with ("Pleasant St, N. Orange, NJ")."""
    tables = _tables()
    directionals = tables.directionals
    for _ in range(3):
        words = city.split()
        if len(words) < 2:
            break
        first = words[0].replace(".", "").upper()
        if first.isalpha() and not (
            first in tables.units or first in _BOX_START or first in _INTERCARDINALS
        ):
            break  # the common case: a city
        if first in _INTERCARDINALS and first in directionals and lines:
            lines[-1] = f"{lines[-1]} {first}"
            city = " ".join(words[1:])
            continue
        box = _US_BOX_RE.match(city)
        if box:
            if not box.group(2):
                break
            lines.append(city[: box.start(2)].strip(_TRIM))
            city = box.group(2)
            continue
        tokens = _us_tokens(city) if "#" in city else [w.strip(".,") for w in words]
        unit, k = _us_unit(tokens, 0)
        if unit is None or k >= len(tokens):
            break
        if not (tables.units.get(first, ("", False))[1] or any(ch.isdigit() for ch in unit)):
            break  # "Upper Darby" is a city
        lines.append(" ".join(tokens[:k]))
        city = " ".join(tokens[k:] if "#" in city else words[k:])
    if places and lines:
        words = city.split()
        upper = [w.strip(".,").upper() for w in words]
        k = _place_start(upper, 0, places)
        if k > 0:
            head = upper[:k]
            if len(head) <= 2 and all(t in directionals for t in head):
                if alone:
                    return city.strip(_TRIM) or None
                lines[-1] = f"{lines[-1]} {''.join(head)}"  # "Gravenstein Hwy, N Sebastopol"
                city = " ".join(words[k:])
            elif _RECIPIENT_MARK_RE.match(city) or _line_kind(" ".join(head)) is not None:
                # "PO Box 39000 Attn A/R San Francisco", "14th Flr, L & C Twr Div of Fiscal
                # Services Nashville": a recipient or a building before the city
                lines.append(" ".join(words[:k]).strip(_TRIM))
                city = " ".join(words[k:])
            elif any(t in tables.units or any(ch.isdigit() for ch in t) for t in head):
                lines.append(" ".join(words[:k]).strip(_TRIM))  # "Af 1025 Augusta"
                city = " ".join(words[k:])
    return city.strip(_TRIM) or None


def _starts_us_street(line: str) -> bool:
    """Whether a line starts like a US street line: a house number and a street name, or a
    PO box."""
    if _US_BOX_RE.match(line) or _RURAL_RE.match(line):
        return True
    tokens = _us_tokens(line)
    kind = _tables().line_words.get(tokens[0].upper()) if tokens else None
    if len(tokens) > 2 and kind == "number":
        return True  # "One Microsoft Way"
    if kind == "locator" and _locator_end([t.upper() for t in tokens]):
        return True  # "Jct 4 & 13", "Corner of Cave & Zerkel Sts"
    if len(tokens) >= 2 and kind == "highway" and tokens[1][:1].isdigit():
        return True  # "Route 30 & Route 45", "Hwy 54": a numbered road without a house number
    return len(tokens) >= 2 and bool(_US_HOUSE_RE.match(tokens[0].upper()))


# "41st Floor 1221 Ave of the Americas", "3 Fl 45-18 Court Sq": a floor before the house number
_LEADING_FLOOR_RE: Final = re.compile(r"^\d+(?:st|nd|rd|th)?\.?\s+(?:floor|flr|fl)\b", re.I)


def _numbered_building_prefix(line: str) -> tuple[str | None, str]:
    """A building with its number written before the street on one line ("1000 Cathedral Pl
    925 W Georgia St", "1 Lincoln Ctr 5400 LBJ Fwy"): (the building, the street line), or
    (None, the line)."""
    if line.count(" ") < 5:
        return None, line
    words = line.split()
    tables = _tables()
    for k in range(3, len(words) - 2):
        if not words[k][:1].isdigit():
            continue
        before = words[k - 1].strip(".,").upper()  # a complex's suffix or a building word
        landmark = tables.suffixes.get(before) in _LANDMARK_SUFFIXES
        if not landmark and before not in tables.line_words:
            continue
        tokens = [w.strip(".,").upper() for w in words]
        if _names_numbered_building(tokens[:k]) and _names_thoroughfare(tokens[k:]):
            return " ".join(words[:k]).strip(_TRIM), " ".join(words[k:])
    return None, line


def _starts_with_floor(line: str) -> bool:
    """Whether a line starts with a floor ("41st Floor 1221 Ave of the Americas")."""
    space = line.find(" ")  # (a letter test before the pattern: most lines have no floor)
    return line[space + 1 : space + 2] in ("F", "f") and _LEADING_FLOOR_RE.match(line) is not None


def _us_prefix(line: str) -> tuple[str | None, str]:
    """Text written before the house number on a street line ("Hayes Center 4859 S Wabash",
    "Acme Inc 12 Main St"): (that text, the street line), or (None, the line)."""
    if line[:1].isdigit() and not _starts_with_floor(line):
        return _numbered_building_prefix(line)
    if not any(ch.isdigit() for ch in line):
        return None, line
    tables = _tables()
    words = line.split()
    box_at = _box_start(words)
    if _US_BOX_RE.match(line) or _RURAL_RE.match(line):
        if box_at > 0 and words[box_at].upper().startswith("P") and _US_BOX_RE.match(
            " ".join(words[:box_at])
        ):  # "Drawer 368 PO Box 11407", "Lockbox 9351 PO Box 8500": a box inside the box
            return " ".join(words[:box_at]).strip(_TRIM), " ".join(words[box_at:])
        return None, line
    if box_at > 0 and (
        tables.line_words.get(words[0].strip(".,").upper()) == "highway"
        or not _starts_us_street(" ".join(words[:box_at]))
    ):
        # "Msc 41083362 PO Box 415000", "HRCC Inc PO Box 1313": a unit or a recipient
        return " ".join(words[:box_at]).strip(_TRIM), " ".join(words[box_at:])
    if "#" not in line:
        unit, k = _us_unit([w.strip(".,") for w in words], 0)
        if unit is not None and 0 < k < len(words) and _starts_us_street(" ".join(words[k:])):
            return " ".join(words[:k]).strip(_TRIM), " ".join(words[k:])  # "Apt 4 10 Main St"
    for k in range(1, len(words) - 1):
        word = words[k].strip(".,")
        if not (word[:1].isdigit() and _US_HOUSE_RE.match(word.upper())):
            continue
        last = words[k - 1].strip(".,:").upper()
        if (
            last in ("#", "NO", "NUMBER")
            or (last in tables.units and _floor_number(words[k - 2].upper(), last) is None)
            or tables.line_words.get(last) in ("highway", "recipient")
            or (last in tables.suffixes and tables.line_words.get(last) != "building")
            or _US_BOX_RE.match(" ".join(words[k - 2 : k + 1]))
            or _US_BOX_RE.match(" ".join(words[k - 1 : k + 1]))
        ):
            return None, line
        return " ".join(words[:k]).strip(_TRIM), " ".join(words[k:])
    return None, line


def _box_start(words: list[str]) -> int:
    """Where a PO box starts in a line's words after its first word ("Msc 41083362 PO Box
    415000"); -1 when none does, or when a highway word comes before it ("Route Box 100")."""
    tables = _tables()
    for k in range(1, len(words) - 1):
        word = words[k].replace(".", "").strip(",").upper()
        if (
            (word in _BOX_START or word in _RURAL_START)
            and tables.line_words.get(words[k - 1].strip(".,#").upper()) != "highway"
            and (_US_BOX_RE.match(" ".join(words[k:])) or _rural_box(" ".join(words[k:])))
        ):
            return k
    return -1


def _split_us_city(parts: list[str], raw: _Raw) -> None:
    """The only line left holds the street and the city, or only one of them."""
    prefix, text = _us_prefix(parts[0])
    if prefix:
        parts[0:1] = [prefix, text]
    places = _place_states(raw.region, raw.postcode)
    street = _parse_us_street(text, split_city=True, places=places)
    if street.rest:
        parts[-1], raw.city = _split_rest(text, street.rest)
        if (street.po_box and places) or _US_BOX_RE.match(raw.city):
            # "PO Box 4869 Dept 541 Houston", "95th St Lockbox 233204 Oak Lawn"
            raw.city = _city_after_lines(raw.city, parts, places)
    elif not (
        street.house
        or street.po_box
        or street.unit
        or _ends_with_common_suffix(text)
        or _starts_us_street(text)  # "Corner of First and Albemarle Streets", "Hwy 54"
    ):
        raw.city = parts.pop()


def _split_rest(text: str, rest: str) -> tuple[str, str]:
    """``text`` split before its last words ``rest`` (as :func:`_us_tokens` wrote them):
    (the street, the rest as written in ``text``)."""
    words = text.split()
    size = len(rest.split())
    if "#" not in rest and len(words) > size:
        return " ".join(words[:-size]).strip(_TRIM), " ".join(words[-size:]).strip(_TRIM)
    return text[: len(text) - len(rest)].strip(_TRIM), rest


def _ends_with_common_suffix(text: str) -> bool:
    words = text.split()
    if len(words) < 2:
        return False
    standard = _tables().suffixes.get(words[-1].strip(".").upper())
    return standard in _COMMON_SUFFIXES


def _us_without_city(parts: list[str], country: str | None) -> _Raw | None:
    """A US-style address with no state and no ZIP: street, unit and PO box lines (recipient
    and building lines before them), and a city only where one is written after the street
    ("1755 Howard St Des Plaines"; for a US or Canadian address, also a last line). ``None``
    when the text does not read as such (it may be another country's)."""
    _tables()
    na = country in _NA
    lines = list(parts)
    street_at = next((k for k, p in enumerate(lines) if _starts_us_street(_us_prefix(p)[1])), -1)
    if street_at < 0:
        # no street: recipient, building or unit lines only ("c/o John Smith", "Acme
        # Insurance Inc", "Bldg 15, Suite 100")
        if not na and not all(
            _line_kind(p) in ("recipient", "building") or _is_unit_line(p) for p in lines
        ):
            return None
        return _Raw(lines=lines, country=country, na=True) if na or lines else None
    raw = _Raw(country=country, na=True)
    after = lines[street_at + 1 :]
    plain = [k for k, p in enumerate(after) if not _is_line_after_street(p)]
    if plain:
        if not na or plain != [len(after) - 1] or not _is_place_text(after[-1]):
            return None
        raw.city = _city_after_lines(lines.pop(), lines)
    elif street_at == len(lines) - 1:
        prefix, text = _us_prefix(lines[-1])
        if not _looks_us_street(text, na):
            return None
        one = [text]
        _split_us_city(one, raw)
        if raw.city is not None and not _is_city_text(raw.city):
            one, raw.city = [text], None  # "801 S Canal St C1S": no city, a unit
        lines[-1:] = ([prefix] if prefix else []) + one
    raw.lines = lines
    return raw


def _is_unit_line(line: str) -> bool:
    """A line that holds only units, each a designator with its number ("Suite 200 Bldg 17")."""
    tokens = _us_tokens(line)
    unit, end = _us_unit(tokens, 0)
    return unit is not None and end == len(tokens) and _DIGIT_RE.search(unit) is not None


def _looks_us_street(line: str, na: bool) -> bool:
    """A street line that reads as a US one: a PO box, or a street with a suffix, a
    directional, a unit, or a name of two words or more (not "10115 Berlin")."""
    if na or _US_BOX_RE.match(line) or _RURAL_RE.match(line):
        return True
    street = _parse_us_street(line, split_city=True)
    if street.house is None:
        return _starts_us_street(line)  # "Route 30 & Route 45": a numbered road
    tables = _tables()
    words = [t.upper() for t in _us_tokens(line)[1:]]
    return bool(
        street.unit
        or street.rest
        or any(w in tables.suffixes or w in tables.directionals for w in words)
        or len(words) >= 2
    )


def _is_line_after_street(line: str) -> bool:
    """A line that may follow a street line: a unit ("Ste 5", "12C"), a directional ("NW"),
    a PO box, or a recipient line ("Attn: ...")."""
    if _UNIT_START_RE.match(line) or _US_BOX_RE.match(line) or _RURAL_RE.match(line):
        return True
    tokens = [t.upper() for t in _us_tokens(line)]
    if not tokens:
        return True
    directionals = _tables().directionals
    if all(t in directionals for t in tokens):
        return True
    if tokens[0] in _INTERCARDINALS:  # "Peachtree Rd, NE Ste 5300", "Peachtree Rd, NE Tower Place"
        rest = " ".join(tokens[1:])
        return _is_line_after_street(rest) or _line_kind(rest) == "building"
    if len(tokens) == 1 and _UNIT_ID_RE.match(tokens[0]) and any(ch.isdigit() for ch in tokens[0]):
        return True
    if _is_side_unit(tokens):  # "Park Ave, 41 SW"
        return True
    unit, end = _us_unit(tokens, 0)
    if unit is not None and end == len(tokens):
        return True
    if _names_numbered_building(tokens) or _names_thoroughfare(tokens):
        return True  # "Piedmont Rd, 1 Piedmont Ctr", "30 Allen Plaza, 30 Ivan Allen Jr Blvd"
    return _line_kind(line) == "recipient" and _tables().line_words.get(tokens[0]) == "recipient"


def _names_numbered_building(tokens: Sequence[str]) -> bool:
    """Whether the words of a line (upper case, as :func:`_us_tokens` gives them) are a
    building's number and name rather than a street: a house number, a name, and a suffix
    that names a complex more often than a road, or a building word ("1 Piedmont Ctr", "1000
    Cathedral Pl", "30 Allen Plaza", "1015 Financial Center")."""
    if len(tokens) < 3 or not tokens[0][:1].isdigit() or not _US_HOUSE_RE.match(tokens[0]):
        return False
    tables = _tables()
    last = tokens[-1]
    return (
        tables.suffixes.get(last) in _LANDMARK_SUFFIXES or tables.line_words.get(last) == "building"
    ) and not any(tables.suffixes.get(t) in _THOROUGHFARES for t in tokens[1:-1])


def _names_thoroughfare(tokens: Sequence[str]) -> bool:
    """Whether the words of a line (upper case) are a house number and a street whose suffix
    names a road ("925 W Georgia St", "1961 N Druid Hills Rd NE")."""
    if len(tokens) < 3 or not tokens[0][:1].isdigit() or not _US_HOUSE_RE.match(tokens[0]):
        return False
    tables = _tables()
    last = len(tokens) - 1
    if tokens[last] in tables.directionals and last > 2:
        last -= 1
    return tables.suffixes.get(tokens[last]) in _THOROUGHFARES


def _line_kind(line: str) -> str | None:
    """``"recipient"`` or ``"building"`` for a line with no street in it, by its words: a
    recipient mark or an organization word; a building word."""
    words = _tables().line_words
    tokens = [t.upper() for t in _us_tokens(line)]
    if not tokens:
        return None
    if words.get(tokens[0]) == "recipient" or tokens[0].startswith("C/O"):
        return "recipient"
    kinds = {words.get(t) for t in tokens}
    if "organization" in kinds:
        return "recipient"
    if "building" in kinds:
        last = tokens[-1]
        if len(tokens) > 1 and _tables().suffixes.get(last) in _THOROUGHFARES:
            return None  # "Anchor Inn Road": a street named after a building
        return "building"
    return None


def _names_landmark(tokens: list[str]) -> bool:
    """Whether a line with no house number names a landmark or a complex rather than a street
    (upper-case ``tokens``): it starts with ``The`` or ends in a suffix that names a place
    more often than a thoroughfare ("Meriden Square", "Bristol Harbor", "Wrigley Field", "Big
    Sky Meadow Village"); not a numbered road ("Highway 54")."""
    tables = _tables()
    if len(tokens) < 2 or tables.line_words.get(tokens[0]) == "highway":
        return False
    if any(ch.isdigit() for t in tokens for ch in t):
        return False
    return tokens[0] == "THE" or tables.suffixes.get(tokens[-1]) in _LANDMARK_SUFFIXES


def _find_postcode(part: str, country: str | None) -> tuple[str, str, str, str | None] | None:
    """A postcode in ``part`` (at its start or end): ``(postcode, before, after, country)``."""
    words = part.split()
    n = len(words)
    spans = []
    start_first = country is None or country in _POSTCODE_FIRST
    for size in (2, 1):
        if n >= size:
            if start_first:
                spans += [(0, size), (n - size, n)]
            else:
                spans += [(n - size, n), (0, size)]
    if n >= 3:
        # "Hauptstraße 5 10115 Berlin": a postcode inside the line
        for size in (2, 1):
            spans.extend((k, k + size) for k in range(1, n - size))
    for a, b in spans:
        candidate = " ".join(words[a:b])
        if not any(ch.isdigit() for ch in candidate):
            continue
        found = _match_postcode(candidate, country)
        if found is not None:
            return candidate, " ".join(words[:a]), " ".join(words[b:]), found
    return None


def _match_postcode(candidate: str, country: str | None) -> str | None:
    """The country a postcode candidate fits (``""`` when the country is unknown)."""
    if country is not None:
        compact = _compact_postcode(candidate)
        if country in _tables().postcodes:
            return country if _standard_postcode(compact, country) else None
        return country if _GENERIC_POSTCODE_RE.fullmatch(compact) else None
    for pattern, code in _DISTINCT_POSTCODES:
        if pattern.fullmatch(candidate):
            return code
    prefixed = _PREFIX_COUNTRY_RE.match(candidate)
    if prefixed:
        code = _PREFIX_COUNTRIES[prefixed.group(1).upper()]
        if _standard_postcode(_compact_postcode(candidate), code):
            return code
    if _GENERIC_POSTCODE_RE.fullmatch(candidate) or _POSTCODE_PREFIX_RE.match(candidate):
        compact = _compact_postcode(candidate)
        if compact.isdigit() and 4 <= len(compact) <= 6:
            return ""
    return None


def _intl_tail(parts: list[str], country: str | None) -> _Raw:
    """Split a non-US address: postcode and city, region, and the street lines."""
    raw = _Raw(country=country)
    used: set[int] = set()
    city_at = -1
    # a city marked as such ("г. Москва")
    for k, part in enumerate(parts):
        if k and _CITY_MARK_RE.match(part) and not _UNIT_START_RE.match(part):
            raw.city = _CITY_MARK_RE.sub("", part)
            city_at = k
            used.add(k)
            break
    found = None
    for k in range(len(parts) - 1, -1, -1):
        if k in used:
            continue
        if k == 0 and len(parts) > 1 and len(parts[0].split()) > 1:
            continue
        found = _find_postcode(parts[k], country)
        if found is not None:
            postcode, before, after, fits = found
            raw.postcode = postcode
            if fits and raw.country is None:
                raw.country = fits
            used.add(k)
            if raw.city is None:
                if after:
                    raw.city, city_at = after, k
                    if before and k == 0:
                        parts.insert(0, before)
                        used = {u + 1 for u in used}
                        city_at += 1
                elif before and k > 0:
                    raw.city, city_at = before, k
                elif before:
                    split = _split_english(before, raw.country)
                    if split is not None:
                        parts[k], raw.city = split
                        used.discard(k)
                    elif _has_house(before):
                        parts[k] = before
                        used.discard(k)
                    else:
                        raw.city, city_at = before, k
                elif (
                    k + 1 < len(parts)
                    and k + 1 not in used
                    and not _UNIT_START_RE.match(parts[k + 1])
                    and k + 1 < len(parts) - 1
                ):
                    raw.city, city_at = parts[k + 1], k + 1
                    used.add(k + 1)
                elif k - 1 >= 1 and k - 1 not in used:
                    raw.city, city_at = parts[k - 1], k - 1
                    used.add(k - 1)
                elif k + 1 < len(parts) and k + 1 not in used:
                    raw.city, city_at = parts[k + 1], k + 1
                    used.add(k + 1)
            break
    if found is None and raw.country is not None:
        _loose_postcode(parts, raw, used)
        if raw.city is not None:
            city_at = max(used)
    rest = [k for k in range(len(parts)) if k not in used]
    if raw.city is None:
        # no postcode: the last line that is not a unit or a house number is the city
        candidates = [k for k in rest if k > 0 and not _is_unit_or_number(parts[k])]
        if candidates:
            last = candidates[-1]
            if len(candidates) >= 2 and _is_region_text(parts[last], raw.country):
                raw.region = parts[last]
                used.add(last)
                last = candidates[-2]
            raw.city, city_at = parts[last], last
            used.add(last)
    elif city_at >= 0:
        after_city = [k for k in rest if k > city_at and k not in used]
        if after_city and not any(_looks_like_street(parts[k]) for k in after_city):
            raw.region = ", ".join(parts[k] for k in after_city)
            used.update(after_city)
    raw.lines = [parts[k] for k in range(len(parts)) if k not in used]
    return raw


_LOOSE_POSTCODE_RE: Final = re.compile(
    r"^([A-Za-z]{0,3}\d[A-Za-z\d-]{2,9})(?:\s+(\D.*))?$|^(\D+?)\s+([A-Za-z]{0,3}\d[A-Za-z\d-]{2,9})$"
)


def _loose_postcode(parts: list[str], raw: _Raw, used: set[int]) -> None:
    """A postcode that does not fit the country ("1011 Berlin" in Germany): keep it, so that
    it is reported, rather than reading it as part of the city."""
    for k in range(len(parts) - 1, 0, -1):
        if k in used or (k == 1 and not _has_house(parts[0]) and _NUMBER_PART_RE.match(parts[1])):
            continue
        m = _LOOSE_POSTCODE_RE.match(parts[k])
        if m is None:
            continue
        if m.group(1):
            raw.postcode, city = m.group(1), m.group(2)
        else:
            city, raw.postcode = m.group(3), m.group(4)
        used.add(k)
        if city and raw.city is None:
            raw.city = city
        return


def _has_house(line: str) -> bool:
    return bool(_NUMBER_FIRST_RE.match(line) or _NUMBER_LAST_RE.match(line))


def _is_unit_or_number(part: str) -> bool:
    return bool(_UNIT_START_RE.match(part) or _NUMBER_PART_RE.match(part))


def _looks_like_street(part: str) -> bool:
    return any(ch.isdigit() for ch in part) or bool(_STREET_WORD_RE.search(part))


def _is_region_text(part: str, country: str | None) -> bool:
    if country and _region_code(part, country):
        return True
    return bool(_REGION_MARK_RE.search(part))


def _split_english(text: str, country: str | None) -> tuple[str, str] | None:
    """``"10 Downing Street London"`` → ``("10 Downing Street", "London")``."""
    if country is not None and country not in _ENGLISH:
        return None
    street = _parse_us_street(text, split_city=True)
    if not street.rest:
        return None
    return text[: len(text) - len(street.rest)].strip(_TRIM), street.rest


# --- Chinese and Japanese addresses in their own script -------------------------------------

_CN_RE: Final = re.compile(
    r"^(?P<region>(?:北京|上海|天津|重庆)市|.{2,8}?(?:省|自治区|特别行政区))?"
    r"(?P<city>[^省区县]{1,10}?(?:市|自治州|地区|盟))?"
    r"(?P<district>[^省市]{1,10}?(?:区|县|旗))?"
    r"(?P<street>\D*)(?P<number>\d+(?:-\d+)?号)?(?P<unit>.*)$"
)
_JP_RE: Final = re.compile(
    r"^(?P<region>東京都|北海道|(?:京都|大阪)府|[^都道府県]{2,3}県)?"
    r"(?P<city>[^都道府県]+?[市区町村](?:[^市区町村]+?区)?)?"
    r"(?P<street>\D*)(?P<number>\d+(?:(?:丁目|番地|番|号|-|の)\d*)*)?(?P<unit>.*)$"
)
_LATIN_RE: Final = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff]")
_DIGITS_RE: Final = re.compile(r"\d+(?:-\d+)*")
_JP_PREFECTURE_RE: Final = re.compile(
    r"^(?:日本国?)?\s*(?:東京都|北海道|京都府|大阪府|[^\d\s]{2,3}県)"
)
_CN_POSTCODE_RE: Final = re.compile(r"(?<!\d)(\d{6})(?!\d)")
_JP_POSTCODE_RE: Final = re.compile(r"〒?\s*(\d{3})\s?-\s?(\d{4})(?!\d)")
_CJK_COUNTRY_RE: Final = re.compile(
    r"^(?:中国|中華人民共和國|中华人民共和国|日本国?|China|Japan)\s*"
)


def _cjk_raw(parts: list[str], country: str | None) -> _Raw | None:
    text = "".join(parts)
    if not _CJK_RE.search(text) or _LATIN_RE.search(_CJK_COUNTRY_RE.sub("", text)):
        return None
    japanese = country == "JP" or (country is None and bool(
        _KANA_RE.search(text) or "〒" in text or _JP_PREFECTURE_RE.match(text)
    ))  # fmt: skip
    if country not in (None, "CN", "JP") or (country == "CN" and japanese):
        return None
    code = "JP" if japanese else "CN"
    raw = _Raw(country=code, cjk=True)
    text = _CJK_COUNTRY_RE.sub("", text).replace(" ", "")
    pm = (_JP_POSTCODE_RE if japanese else _CN_POSTCODE_RE).search(text)
    if pm:
        raw.postcode = "".join(pm.groups())
        text = (text[: pm.start()] + text[pm.end() :]).strip()
    m = (_JP_RE if japanese else _CN_RE).match(text)
    if m is None or not text:
        return None
    groups = m.groupdict()
    raw.region = groups["region"] or None
    if japanese:
        raw.city = groups["city"] or None
    else:
        city = (groups["city"] or "") + (groups["district"] or "")
        raw.city = city or None
    street = groups["street"] or ""
    number = groups["number"]
    raw.house = number
    raw.lines = [street] if street else []
    if groups["unit"]:
        raw.lines.append(groups["unit"])
    return raw


# --- mapping input --------------------------------------------------------------------------

_ROLE_KEYS: Final = {
    "street": ("street", "street1", "streetaddress", "streetaddress1", "address1", "addressline1",
               "line1", "addr1", "address", "streetline1", "fulladdress", "addressstreet",
               "street1address", "strasse", "rue", "calle", "rua"),
    "line2": ("line2", "street2", "address2", "addressline2", "addr2", "streetline2",
              "streetaddress2", "unit", "apt", "suite", "apartment", "line3", "addressline3",
              "address3", "street3"),
    "house": ("housenumber", "streetnumber", "number", "housenr", "hausnummer", "numero",
              "buildingnumber"),
    "city": ("city", "town", "locality", "suburb", "municipality", "cityname", "ort", "stadt",
             "ville", "ciudad", "cidade", "citytown", "towncity"),
    "region": ("state", "region", "province", "stateprovince", "stateregion", "stateorprovince",
               "county", "prefecture", "territory", "statecode", "provincecode", "regioncode",
               "stateprovincecode", "bundesland", "estado", "uf"),
    "postcode": ("postcode", "postalcode", "zip", "zipcode", "zippostalcode", "postcodezip",
                 "plz", "cep", "pincode", "pin", "zip4", "postal", "codepostal", "cp"),
    "country": ("country", "countrycode", "countryregion", "countryname", "nation", "land",
                "pays", "pais", "countryiso", "countryiso2"),
}  # fmt: skip
_KEY_ROLES: Final = {key: role for role, keys in _ROLE_KEYS.items() for key in keys}
_KEY_PREFIXES: Final = (
    "mailing", "billing", "shipping", "other", "home", "work", "business", "primary", "main",
    "postal", "physical", "delivery", "company", "contact", "person", "lead", "customer",
    "account", "office", "residential", "current", "permanent", "address", "addr", "mail",
)  # fmt: skip


@functools.lru_cache(maxsize=1024)
def _role_of_key(key: str) -> str | None:
    folded = _KEY_DROP_RE.sub("", key.lower())
    for _ in range(3):
        role = _KEY_ROLES.get(folded)
        if role is not None:
            return role
        for prefix in _KEY_PREFIXES:
            if folded.startswith(prefix) and len(folded) > len(prefix):
                folded = folded[len(prefix) :]
                break
        else:
            return None
    return None


# --- the normalizer -------------------------------------------------------------------------


def _check_country(country: object) -> str | None:
    if country is None:
        return None
    if not isinstance(country, str):
        raise TypeError(f"option 'country' must be a str or None, not {type(country).__name__}")
    code = normalize_country(country)
    if code is None:
        raise ConfigError(
            "unknown country for option 'country': give an ISO 3166-1 code such as 'US' or 'DE'"
        )
    return code


def normalize_address(value: object, *, country: str | None = None) -> Address:
    """Parse and standardize a postal address; build its key.

    ``value`` is one string (commas or line breaks between the lines) or a mapping of address
    fields: ``street``/``line1``/``address``, ``line2``, ``house_number``, ``city``,
    ``state``/``region``/``province``, ``postcode``/``zip``, ``country``, and the common CRM
    column names (``MailingStreet``, ``BillingCity``, ``Zip Code``, ``State/Region``, ...),
    matched without regard to case, spaces and punctuation.

    The country is the one the value names (a country column, or a country at the end of the
    line), else ``country``, else the one its state and postcode point to (issue
    ``country_inferred``). US and Canadian addresses are standardized by USPS Publication 28;
    other countries keep their own order and have their postcode checked.

    ``key`` joins five fields with ``"|"``: house number and street, city, region, postcode,
    country, each ASCII and lower case, e.g. ``"123 n main st|springfield|il|62701|us"``. The
    street part folds suffixes and directionals (USPS abbreviations), ``Straße``/``Str.``/
    ``Strasse`` (``hauptstr``) and the street words of other languages; the city part folds
    ``St.``/``Saint``, ``Ft.``/``Fort`` and ``Mt.``/``Mount``; the postcode part is the
    5-digit ZIP without its +4, or the postcode without spaces. The unit is not in the key:
    compare :attr:`Address.unit` on its own.

    Args:
        value: a string, a mapping of address fields, or a null.
        country: the country of values that do not name one: an ISO code or a country name.

    Raises:
        ConfigError: ``country`` is not a known country.
        TypeError: ``country`` is not a string.

    Example:
        >>> a = normalize_address("123 north main street apartment 4, springfield, il 62701")
        >>> print(a.formatted)
        123 N Main St Apt 4
        Springfield IL 62701
        United States
        >>> a.key
        '123 n main st|springfield|il|62701|us'
        >>> b = normalize_address({"MailingStreet": "Hauptstrasse 5", "MailingCity": "Berlin",
        ...                        "MailingPostalCode": "10115", "MailingCountry": "Deutschland"})
        >>> b.line1, b.postcode, b.country, b.key
        ('Hauptstrasse 5', '10115', 'DE', '5 hauptstr|berlin||10115|de')
    """
    default = _check_country(country)
    if type(value) is str and (default is None or default == "US"):
        fast = _fast_us(value, default)
        if fast is not None:
            return fast
    issues: list[str] = []
    if isinstance(value, Mapping):
        raw_or_issue = _raw_from_mapping(value, default, issues)
    else:
        text, problem = coerce_text(value)
        if text is None:
            return Address(original=value, issues=(problem or "missing",))
        if len(text) > MAX_VALUE_CHARS:
            text = text[:MAX_VALUE_CHARS]
            issues.append("too_long")
        raw_or_issue = _raw_from_text(text, default, issues)
    if isinstance(raw_or_issue, str):
        issues.append(raw_or_issue)
        return Address(original=value, issues=tuple(issues))
    return _finish(value, raw_or_issue, default, issues)


# What the fast path reads: the shape of the common one-line address and what spoils it. These
# patterns are the definition; _fast_tail and _fast_bad test the same with slices and substring
# tests, faster (tests/test_addresses_forms.py checks that they agree).
_FAST_TAIL_RE: Final = re.compile(
    r"^([0-9][^;|\n\r\t]*?)[ ,]+([A-Za-z]{2})[ ,]+(\d{5})(?:-(\d{4}))?$"
)
_FAST_BAD_RE: Final = re.compile(r"  |, *,|[ ,][;:-]|[;:-][ ,]|^[ ;:-]|[ ;:-]$")
_FAST_HEAD_BAD_RE: Final = re.compile(r"[;|\n\r\t]")


def _fast_tail(value: str) -> tuple[str, str, str, str | None] | None:
    """``_FAST_TAIL_RE.match(value).groups()`` (or None) for an ASCII value, read from the end
    with slices: (the text before the state, the state, the ZIP, its +4)."""
    if value[-5:].isdigit() and value[-6:-5] in (" ", ","):
        zip5, plus4, rest = value[-5:], None, value[:-5]
    elif value[-5:-4] == "-" and value[-4:].isdigit() and value[-10:-5].isdigit():
        zip5, plus4, rest = value[-10:-5], value[-4:], value[:-10]
        if rest[-1:] not in (" ", ","):
            return None
    else:
        return None
    rest = rest.rstrip(" ,")
    state = rest[-2:]
    if len(state) < 2 or not state.isalpha() or rest[-3:-2] not in (" ", ","):
        return None
    head = rest[:-2].rstrip(" ,")
    if not head[:1].isdigit() or _FAST_HEAD_BAD_RE.search(head) is not None:
        return None
    return head, state, zip5, plus4


def _fast_bad(value: str) -> bool:
    """``_FAST_BAD_RE.search(value)``, with plain substring tests first (the search tries six
    patterns at every position; most values hold none of ``;:-`` and need no search)."""
    if "  " in value or value[:1] == " " or value[-1:] == " ":
        return True
    if value.count(",") > 1 and ",," in value.replace(" ", ""):
        return True  # ", ,"
    for mark in ";:-":  # a mark beside a space or a comma: " -", "-,", ...
        if mark in value and (
            value[:1] == mark
            or value[-1:] == mark
            or f" {mark}" in value
            or f",{mark}" in value
            or f"{mark} " in value
            or f"{mark}," in value
        ):
            return True
    return False


def _fast_us(value: str, default: str | None) -> Address | None:
    """The common case, read without the general machinery: a plain ASCII one-line US address
    ending in ``, ST 12345``. Gives exactly what the general path gives, or ``None``."""
    if len(value) > 200 or not value.isascii():
        return None
    tail = _fast_tail(value)
    if tail is None or "(" in value or _fast_bad(value):
        return None
    head, state, zip5, plus4 = tail
    state = state.upper()
    if state not in _US_STATE_CODES:
        return None
    parts = head.split(",")
    tables = _tables()
    whole: _Street | None = None
    if len(parts) == 1:
        street = _parse_us_street(head, split_city=True, places=state)
        if not street.rest or street.house is None:
            return None
        street_text, city = _split_rest(head, street.rest)
        if city[:1] in "PpBbDdLl" and city.split(None, 1)[0].upper() in _BOX_START:
            return None  # "95th St Lockbox 233204 Oak Lawn": a box before the city
        lines = [street_text]
        if street.unit is None:
            whole = street  # the street line alone parses the same: no need to read it again
    else:
        lines = [p.strip() for p in parts]
        city = lines.pop()
        if not all(lines) or not city:
            return None
        for line in lines[1:]:
            if not _UNIT_START_RE.match(line) or (
                line.count(" ") > 1 and _leading_unit(line)[1] is not None
            ):  # "Ste 110 Burns Prof Blg": a unit, then a building
                return None
    if _is_placeholder(city) or not city[:1].isalpha() or city[-1:] in ".-/":
        return None
    if len(parts) > 1:
        # "Drive, Ste B Alpharetta", "Road, NW Atlanta": the city segment starts with what
        # belongs to the street
        city_words = city.upper().split()
        first_word = city_words[0].replace(".", "")
        if first_word in tables.units or first_word in _BOX_START or first_word in _INTERCARDINALS:
            return None
        # "Hwy, N Sebastopol", "Af 1025 Augusta": what a known place at its end leaves
        # before it may belong to the street
        if not tables.unit_words.isdisjoint(city_words) or _DIGIT_RE.search(city):
            return None
        # "Attn A/R San Francisco", "L & C Twr ... Nashville": a recipient or a building first
        if not tables.place_stop_words.isdisjoint(city_words) or (
            "." in city and not tables.place_stop_words.isdisjoint(w.strip(".") for w in city_words)
        ):
            return None
        if first_word in tables.directionals and (
            _place_start([w.strip(".,").upper() for w in city.split()], 0, state) > 0
        ):
            return None
    parsed = whole if whole is not None else _parse_us_street(lines[0])
    if (
        parsed.house is None
        or parsed.street is None
        or parsed.box is not None
        or parsed.loose
        or parsed.building is not None
    ):
        return None
    if _fold(city) in _FAKE_CITIES or any(w in _FAKE_STREET_WORDS for w in parsed.name_words):
        return None
    if _may_be_irregular(parsed.name_words) and _street_line_is_irregular(lines[0]):
        return None
    unit = parsed.unit
    if len(lines) > 1:
        unit = _na_units(([unit] if unit else []) + lines[1:])
    issues = [] if default == "US" else ["country_inferred"]
    city = _smart_case(city)
    postcode = f"{zip5}-{plus4}" if plus4 else zip5
    if not postcode.startswith(tables.region_prefixes[("US", state)]):
        issues.append("postcode_region_mismatch")
    line1 = parsed.line1
    first = f"{line1} {unit}" if unit else line1
    formatted = f"{first}\n{city} {state} {postcode}\nUnited States"
    key = f"{_key(line1)}|{_city_key(city)}|{state.lower()}|{zip5}|us"  # type: ignore[arg-type]
    return Address(
        original=value,
        house_number=parsed.house,
        street=parsed.street,
        line1=line1,
        unit=unit,
        city=city,
        region=state,
        postcode=postcode,
        country="US",
        formatted=formatted,
        key=key,
        valid=not issues or issues == ["country_inferred"],
        issues=tuple(issues),
    )


# A first comma segment that is only a house number ("12", "221B", "No. 7", "12/3"): too short
# for a postcode, which a segment of its own can also be ("620420, Екатеринбург").
_HOUSE_ALONE_RE: Final = re.compile(r"^(?:No\.?\s*)?\d{1,4}[A-Za-z]?(?:[/-]\d{1,4}[A-Za-z]?)?$")


_BOX_ALONE_RE: Final = re.compile(r"^(?:p\.?\s*o\.?\s*)?box$", re.IGNORECASE)
_BOX_NUMBER_RE: Final = re.compile(r"^(?:#|no\.?)?\s*\d+[a-z]?\b", re.IGNORECASE)


_TOWER_NAME_WORDS: Final = frozenset(w.lower() for w in _TOWER_WORDS)
_FLOOR_NAME_WORDS: Final = frozenset(("fl", "flr", "floor"))


def _may_be_irregular(name_words: tuple[str, ...]) -> bool:
    """A cheap test before :func:`_street_line_is_irregular`, on the street's name words
    (lower case) as :func:`_parse_us_street` read them: a floor word first, a building word
    last, or a number after the first."""
    return bool(name_words) and (
        name_words[0] in _FLOOR_NAME_WORDS
        or name_words[-1] in _TOWER_NAME_WORDS
        or any(w[:1].isdigit() for w in name_words[1:])
    )


def _street_line_is_irregular(line: str) -> bool:
    """Whether a street line that starts with a house number may read otherwise than as a
    house number, a street and a unit: a floor first ("41st Floor 1221 Ave of ..."), a
    building with its number ("1600 Crestar Bank Bldg", "1 Lincoln Ctr 5400 LBJ Fwy"). The fast
    path leaves such lines to the general reader."""
    if _starts_with_floor(line):
        return True
    last = line[line.rfind(" ") + 1 :]
    if last[:1] in ("B", "b", "T", "t") and last.upper() in _TOWER_WORDS:
        return True
    return line.count(" ") >= 5 and _numbered_building_prefix(line)[0] is not None


def _names_a_street(segment: str) -> bool:
    """The segment holds a street-type word of any country (Road, Street, Cad., ул., Rue)."""
    tables = _tables()
    words = [w.strip(".") for w in segment.upper().split()]
    if any(w in tables.suffixes for w in words):
        return True
    keys = set(_key(segment).split())
    return any(not keys.isdisjoint(found) for found in tables.street_words.values())


def _raw_from_text(text: str, default: str | None, issues: list[str]) -> _Raw | str:
    cleaned = _clean(text)
    if not cleaned:
        return "missing"
    if _is_placeholder(cleaned):
        return "fake_address"
    parts = _split_parts(cleaned)
    if not parts:
        return "missing"
    for k in range(len(parts) - 1, 0, -1):
        if _fold(parts[k]) in _NAME_ENDINGS:  # "c/o G. Thomas Collins, Jr.", "Acme, Inc."
            parts[k - 1 : k + 1] = [f"{parts[k - 1]}, {parts[k]}"]
    if len(parts) > 1 and _HOUSE_ALONE_RE.match(parts[0]) and _names_a_street(parts[1]):
        parts[0:2] = [f"{parts[0]} {parts[1]}"]  # "12, MG Road", "221B, Baker Street"
    if "ox" in cleaned or "OX" in cleaned or "oX" in cleaned or "Ox" in cleaned:  # a "box"
        for k in range(len(parts) - 1):
            part = parts[k]
            if len(part) < 10 and _BOX_ALONE_RE.match(part) and _BOX_NUMBER_RE.match(parts[k + 1]):
                parts[k : k + 2] = [f"{part} {parts[k + 1]}"]  # "PO Box, # 209"
                break
    found = _pop_country(parts, default)
    country = found or default
    if not parts:
        return _Raw(country=country)
    raw = _cjk_raw(parts, country) if not cleaned.isascii() else None
    if raw is None and (country is None or country in _NA):
        na_parts, remarks = _pull_remarks(parts) if "(" in cleaned else (parts, [])
        raw = _na_tail(list(na_parts), country) or _us_without_city(na_parts, country)
        if raw is not None:
            raw.remarks = remarks
    if raw is None:
        raw = _intl_tail(parts, country)
    if found is None and raw.country is not None and raw.country != default:
        issues.append("country_inferred")
    elif found is not None:
        raw.country = found
    return raw


_BRACKETED_RE: Final = re.compile(r"\(([^()]*)\)")


def _pull_remarks(parts: list[str]) -> tuple[list[str], list[str]]:
    """The lines of a US address without the text written in brackets, and that text: a unit
    in brackets is a unit ("W Taylor (M/C 525) Rm 128"), words without a digit that name no
    state are a remark, not a part of the address ("W Roosevelt Rd (east side) 2nd Floor")."""
    remarks: list[str] = []

    def read(match: re.Match[str]) -> str:
        inner = match.group(1).strip(_TRIM)
        tokens = _us_tokens(inner)
        unit, end = _us_unit(tokens, 0)
        if (unit is not None and end == len(tokens)) or _DIGIT_RE.search(inner):
            return f" {inner} "
        if inner and not _is_na_region(inner):
            remarks.append(f"({inner})")
            return " "
        return match.group()

    out = []
    for part in parts:
        if "(" in part:
            part = _WS_RE.sub(" ", _BRACKETED_RE.sub(read, part)).strip(_TRIM)
        if part:
            out.append(part)
    return out, remarks


def _raw_from_mapping(
    value: Mapping[object, object], default: str | None, issues: list[str]
) -> _Raw | str:
    fields: dict[str, list[str]] = {}
    placeholders = 0
    for key, item in value.items():
        role = _role_of_key(str(key))
        if role is None:
            continue
        text, _ = coerce_text(item)
        if text is None:
            continue
        if len(text) > MAX_VALUE_CHARS:
            text = text[:MAX_VALUE_CHARS]
            if "too_long" not in issues:
                issues.append("too_long")
        text = _clean(text)
        if not text:
            continue
        if (
            _is_placeholder(text)
            and not (role == "house" and text.isdigit())
            and not (role == "postcode" and any(ch.isdigit() for ch in text) and len(text) > 3)
        ):
            placeholders += 1
            continue
        fields.setdefault(role, []).append(text)
    if not fields:
        return "fake_address" if placeholders else "missing"
    country_text = fields.get("country", [None])[0]
    country = None
    if country_text is not None:
        country = normalize_country(country_text)
        if country is None:
            issues.append("unknown_country")
        else:
            country_text = None
    only_street = set(fields) <= {"street", "country"}
    if only_street and "street" in fields:
        text = ", ".join(fields["street"])
        raw = _raw_from_text(text, country or default, issues)
        if isinstance(raw, _Raw) and country is not None:
            raw.country = country
            if "country_inferred" in issues:
                issues.remove("country_inferred")
        if isinstance(raw, _Raw) and country_text is not None:
            raw.country_text = country_text
        return raw
    lines: list[str] = []
    for role in ("street", "line2"):
        for text in fields.get(role, ()):
            lines.extend(_split_parts(text))
    raw = _Raw(
        lines=lines,
        city=fields.get("city", [None])[0],
        region=fields.get("region", [None])[0],
        postcode=fields.get("postcode", [None])[0],
        country=country or default,
        house=fields.get("house", [None])[0],
        country_text=country_text,
    )
    if raw.city and raw.city.isascii() is False and _CITY_MARK_RE.match(raw.city):
        raw.city = _CITY_MARK_RE.sub("", raw.city)
    if country is None:
        inferred = _infer_country(raw)
        if inferred is not None and inferred != default:
            raw.country = inferred
            issues.append("country_inferred")
    return raw


def _infer_country(raw: _Raw) -> str | None:
    """The country a state and postcode point to, for an address without one."""
    postcode = raw.postcode
    if raw.region:
        for country in ("US", "CA"):
            if _region_code(raw.region, country) is not None and (
                postcode is None
                or _standard_postcode(_pad_zip(_compact_postcode(postcode))[0], country)
            ):
                return country
    if postcode:
        for pattern, code in _DISTINCT_POSTCODES:
            if pattern.fullmatch(postcode.strip()):
                return code
        if raw.region is None and _ZIP_TAIL_RE.fullmatch(postcode.strip()):
            return None
    return None


def _pad_zip(compact: str) -> tuple[str, bool]:
    """ZIP codes that lost their leading zeros in a spreadsheet (``2134`` → ``02134``)."""
    if compact.isdigit() and len(compact) in (3, 4, 7, 8):
        width = 5 if len(compact) <= 4 else 9
        return compact.zfill(width), True
    return compact, False


@attrs.define
class _Fields:
    house: str | None = None
    street: str | None = None
    line1: str | None = None
    unit: str | None = None
    extra_before: list[str] = attrs.field(factory=list)
    extra_after: list[str] = attrs.field(factory=list)
    po_box: bool = False
    name_words: tuple[str, ...] = ()
    box: str | None = None
    recipient: str | None = None
    building: str | None = None


def _street_fields(raw: _Raw, country: str | None) -> _Fields:
    out = _Fields()
    na = country in _NA or (country is None and raw.na)
    if raw.cjk:
        street = raw.lines[0] if raw.lines else None
        out.house = _DIGITS_RE.match(raw.house).group() if raw.house else None  # type: ignore[union-attr]
        out.street = street
        out.line1 = ((street or "") + (raw.house or "")) or None
        out.unit = raw.lines[1] if len(raw.lines) > 1 else None
        return out
    lines = list(raw.lines)
    if raw.house:
        if lines:
            lines[0] = (
                f"{raw.house} {lines[0]}"
                if na or country not in _NUMBER_LAST
                else f"{lines[0]} {raw.house}"
            )
        else:
            lines.append(raw.house)
    if na:
        _na_street_fields(lines, out)
        out.extra_after += raw.remarks
        return out
    # merge house-number lines into the street line before them ("Rua Augusta, 1500")
    merged: list[str] = []
    units: list[str] = []
    after_number: list[str] = []
    for line in lines:
        if _UNIT_START_RE.match(line) and not _PO_BOX_RE.match(line):
            units.append(line)
            continue
        m = _NUMBER_PART_RE.match(line)
        if m and merged and not _has_house(merged[-1]):
            merged[-1] = f"{merged[-1]} {m.group(1)}"
            if m.group(2):
                after_number.append(m.group(2))
            continue
        merged.append(line)
    street_at = next((k for k, line in enumerate(merged) if any(ch.isdigit() for ch in line)), 0)
    if merged:
        out.extra_before = merged[:street_at]
        out.extra_after = after_number + merged[street_at + 1 :]
        line = merged[street_at]
        parsed = _parse_us_street(line) if na else _parse_intl_street(line, country)
        out.house, out.street, out.po_box = parsed.house, parsed.street, parsed.po_box
        out.name_words = parsed.name_words
        out.line1 = parsed.line1 if na else (
            line
            if parsed.po_box
            else _intl_line1(parsed.house, parsed.street, country, parsed.number_first)
        )  # fmt: skip
        if parsed.unit:
            units.insert(0, parsed.unit)
    else:
        out.extra_after = after_number
    if units:
        out.unit = _na_units(units) if na else ", ".join(units)
    return out


_RECIPIENT_MARK_RE: Final = re.compile(
    r"(?:^|\s)(c/o|care\s+of|attn\b:?|attention\b:?|att:)\s*", re.IGNORECASE
)


def _leading_unit(text: str) -> tuple[str, str | None]:
    """A line that starts with a unit: the unit, and the building or recipient text after it
    ("14th Floor L & C Tower" → "14th Floor", "L & C Tower"); (the line, None) when the unit
    is not followed by such text."""
    words = text.split()
    unit, end = _us_unit([w.strip(".,") for w in words], 0)
    if unit is None or end == len(words):
        return text, None
    rest = " ".join(words[end:]).strip(_TRIM)
    if _line_kind(rest) is None:
        return text, None
    return " ".join(words[:end]).strip(_TRIM), rest


def _trailing_unit(text: str) -> tuple[str, str | None]:
    """A line's text before the unit it ends with, and that unit ("L & C Tower 14th Floor"
    → "L & C Tower", "14th Floor"); (the text, None) when it ends with none."""
    words = text.split()
    tokens = [w.strip(".,") for w in words]
    for k in range(1, len(words)):
        if tokens[k][:1] == "#" or tokens[k].upper() in ("NO", "NUMBER"):
            continue  # "Customer # 55-0037082": an account number, not a unit
        unit, end = _us_unit(tokens, k)
        if unit is not None and end == len(words):
            return " ".join(words[:k]).strip(_TRIM), " ".join(words[k:])
    return text, None


def _split_recipient(line: str) -> list[str]:
    """A line cut where a recipient's name ends: a ``c/o`` or ``Attn`` mark starts it, and a
    PO box or a street (a house number and words ending in a street suffix) after it ends it
    ("Feldwood Rd c/o BOA Lockbox 402605", "c/o Bank of America 6000 Feldwood Rd")."""
    mark = _RECIPIENT_MARK_RE.search(line)
    if mark is None:
        return [line]
    words = line[mark.end() :].split()
    suffixes = _tables().suffixes
    for k in range(1, len(words)):
        word = words[k].strip(".,")
        if word.upper() in _BOX_START or word.upper() in _RURAL_START:
            if _box_start(words[k - 1 :]) != 1:
                continue
        elif not (
            word.isdigit()
            and k + 2 <= len(words)
            and words[-1].strip(".,").upper() in suffixes
            and words[k - 1].strip(".,:").upper() not in ("#", "NO", "BOX")
        ):
            continue
        head = line[: mark.start()].strip(_TRIM)
        name = f"{line[mark.start() : mark.end()]}{' '.join(words[:k])}".strip(_TRIM)
        return [x for x in (head, name, " ".join(words[k:])) if x]
    return [line]


def _na_street_fields(lines: list[str], out: _Fields) -> None:
    """The lines of a US or Canadian address above the city: each line is a recipient, a
    building, the street, a unit, a PO box, or a directional or unit number that belongs to
    the street line before it ("1800 M St, NW", "111 W Monroe, 12C")."""
    tables = _tables()
    recipients: list[str] = []
    buildings: list[str] = []
    units: list[str] = []
    before: list[str] = []
    after: list[str] = []
    street_line: str | None = None
    box: _Street | None = None
    box_line = ""
    joined = " ".join(lines).lower()
    if ("c/o" in joined or "att" in joined or "care" in joined) and _RECIPIENT_MARK_RE.search(
        joined
    ):
        lines = [piece for line in lines for piece in _split_recipient(line)]
    # the street line is the first that starts with a house number in digits, else the first
    # with one in words ("One Exchange Plaza, 55 Broadway": the first is a building)
    # ("30 Allen Plaza, 30 Ivan Allen Jr Blvd": a line that names a building with its number
    # is not the street when another one names a road)
    numbered = -1
    if len(lines) > 1:
        for k, text in enumerate(lines):
            rest = _us_prefix(text)[1]
            if rest[:1].isdigit() and _starts_us_street(rest) and not _UNIT_START_RE.match(rest):
                if numbered < 0:
                    numbered = k
                last = rest[rest.rfind(" ") + 1 :].strip(".,").upper()
                if not (
                    (tables.suffixes.get(last) in _LANDMARK_SUFFIXES or last in tables.line_words)
                    and _names_numbered_building([t.upper() for t in _us_tokens(rest)])
                ):
                    numbered = k
                    break
    for k, text in enumerate(lines):
        mark = _RECIPIENT_MARK_RE.search(text)
        if mark is not None and mark.start() > 0:  # "3348 Peachtree Rd NE Attn: D. Allman"
            recipients.append(text[mark.start() :].strip())
            text = text[: mark.start()].strip(_TRIM)
            if not text:
                continue
        elif mark is not None:
            recipients.append(text)
            before.append(text)
            continue
        if street_line is None:
            prefix, rest = _us_prefix(text)
            if prefix and (
                _UNIT_START_RE.match(prefix)
                or (_line_kind(prefix) is None and _DIGIT_RE.search(prefix) and _us_box(rest))
            ):
                units.append(prefix)  # "Apt 4 10 Main St", "Bin 141987 PO Box 1627"
                text = rest
            elif prefix:
                prefix, unit_after = _trailing_unit(prefix)  # "WRS Tower 10th Floor 312 Rosa"
                if unit_after:
                    units.append(unit_after)
                building = _line_kind(prefix) == "building" or _names_numbered_building(
                    [t.upper() for t in _us_tokens(prefix)]
                )
                (buildings if building else recipients).append(prefix)
                before.append(prefix)
                text = rest
        found = _us_box(text) if not text[:1].isdigit() else None
        if found is not None:
            if box is None:
                box = found
                box_line = text
                if found.rest:
                    after.append(found.rest)
            elif (
                box_line[:1] in "BbDdLl"
                and (found.street or "").startswith("PO Box ")
                and text[:1] in "Pp"
                and not after
            ):  # "Drawer 368, PO Box 11407", "Lockbox 9351 PO Box 8500": a box in the box
                units.append(box_line)
                box, box_line = found, text
                if found.rest:
                    after.append(found.rest)
            elif (
                " Box" not in (box.street or "")
                and not (box.street or "").startswith(("PO Box", "Lockbox"))
                and (found.street or "").startswith("PO Box ")
                and (not found.rest or _LETTER_RE.match(found.rest))
            ):  # "RR 4, Box 164 A": the route's box
                text = f"{box.street} {(found.street or '')[3:]} {found.rest or ''}".upper()
                text = " ".join(text.replace("BOX", "Box").split())
                box = _Street(street=text, line1=text, po_box=True, box=text)
            elif (
                (box.street or "").startswith("PO Box ")
                and text[:1] in "Bb"
                and (found.street or "").startswith("PO Box ")
                and not found.rest
            ):  # "PO Box 850001, Box # 0123": a caller's box in the box
                units.append(f"Box {(found.street or '')[7:]}")
            else:
                after.append(text)
            continue
        if _UNIT_START_RE.match(text):
            unit_text, named = _leading_unit(text) if text.count(" ") > 1 else (text, None)
            units.append(unit_text)
            if named:  # "14th Floor L & C Tower": a unit, then the building
                (buildings if _line_kind(named) == "building" else recipients).append(named)
                before.append(named)
            continue
        tokens = [t.upper() for t in _us_tokens(text)]
        if street_line is not None and tokens:
            if all(t in tables.directionals for t in tokens):  # "1800 M St, NW"
                street_line = f"{street_line} {''.join(tokens)}"
                continue
            if len(tokens) == 1 and _UNIT_ID_RE.match(tokens[0]):  # "111 W Monroe, 12C"
                units.append("# " + tokens[0])
                continue
            if tokens[0][:1].isdigit() and all(_UNIT_ID_RE.match(t) for t in tokens):
                units.append("# " + " ".join(tokens))  # "4101 Winnfield Rd, 106 D"
                continue
            lead = 0
            while lead < min(2, len(tokens) - 1) and tokens[lead] in tables.directionals:
                lead += 1
            if _is_side_unit(tokens[lead:]):  # "750 Park Ave, NE 41 SW"
                if lead:
                    street_line = f"{street_line} {''.join(tokens[:lead])}"
                units.append("# " + " ".join(tokens[lead:]))
                continue
            line_unit, stop = _us_unit(tokens, lead)
            if line_unit and stop == len(tokens):  # "# 204", "1800 M St, NW Ste 700"
                if lead:
                    street_line = f"{street_line} {''.join(tokens[:lead])}"
                units.append(" ".join(tokens[lead:]))
                continue
            if _names_numbered_building(tokens):  # "3565 Piedmont Rd, 1 Piedmont Ctr"
                buildings.append(text)
                continue
            kind = (
                _line_kind(text)
                if tokens[0] not in tables.directionals and not _DIGIT_RE.search(tokens[0])
                else None
            )
            if kind is not None:
                text, unit_after = _trailing_unit(text)  # "Peachtree Rd, Tower Place Ste 1685"
                if unit_after:
                    units.append(unit_after)
                (buildings if kind == "building" else recipients).append(text)
                continue
            if tokens[0] in _INTERCARDINALS and (
                _line_kind(" ".join(tokens[1:])) == "building"
                or _names_numbered_building(tokens[1:])  # "Peachtree St, NE 400 Colony Square"
            ):
                street_line = f"{street_line} {tokens[0]}"  # "Peachtree Rd, NE Tower Place"
                buildings.append(_smart_case(" ".join(_us_tokens(text)[1:])))
                continue
            if (
                not _starts_us_street(text)
                and _line_kind(text) is None
                and any(t in tables.units or any(ch.isdigit() for ch in t) for t in tokens)
            ):
                units.append(text)  # "600 32nd Ave, Interim Unit 1", "Af 1025": a unit
                continue
        starts = (
            len(tokens) >= 2 and _US_HOUSE_RE.match(tokens[0]) is not None
            if text[:1].isdigit()
            else _starts_us_street(text)
        )
        if (
            starts
            and street_line is None
            and len(lines) == 1
            and tokens[-1] in _TOWER_WORDS
            and len(tokens) >= 3
            and not any(t in tables.suffixes for t in tokens[1:-1])
        ):  # "1700 Wells Fargo Tower": a building with its number, no street
            buildings.append(text)
            before.append(text)
            continue
        if street_line is None and starts and (numbered < 0 or k >= numbered):
            street_line = text
            continue
        if (
            street_line is None
            and box is None
            and k + 1 < len(lines)
            and _DIGIT_RE.search(text)
            and _line_kind(text) is None
            and tables.line_words.get(text.split()[0].strip(".,").upper()) != "highway"
            and _US_BOX_RE.match(lines[k + 1])
        ):  # (but "FM 170, Box 77": a road)
            units.append(text)  # "Msc 41083362, PO Box 415000": a unit of the box
            continue
        if (
            box is not None
            and street_line is None
            and 2 <= len(tokens) <= 3
            and _DIGIT_RE.search(tokens[-1])
            and all(t.isalpha() and t not in tables.suffixes for t in tokens[:-1])
            and tables.line_words.get(tokens[0]) is None
        ):
            units.append(text)  # "PO Box 60000, File 73484", "PO Box 660367 Mail Code 5021"
            continue
        if street_line is None:
            kind = _line_kind(text)
            if kind is None and k < numbered:
                kind = "building" if _names_numbered_building(tokens) else "recipient"
            elif kind is None and tokens and _names_landmark(tokens):
                kind = "building"  # "Meriden Square, Meriden, CT"
            elif (
                kind is None
                and numbered < 0
                and not _DIGIT_RE.search(text)
                and not _ends_with_common_suffix(text)
                and any(_us_box(line) is not None for line in lines[k + 1 :])
            ):
                kind = "recipient"  # "H E Brown, RR 3 Box 9": a name above the box
            if kind is not None:
                text, unit_after = _trailing_unit(text)  # "WRS Tower 10th Floor"
                if unit_after:
                    units.append(unit_after)
            if kind == "building":
                buildings.append(text)
            elif kind == "recipient":
                recipients.append(text)
            else:
                street_line = text
                continue
            before.append(text)
        else:
            after.append(text)
    out.extra_before = before
    out.recipient = ", ".join(recipients) or None
    out.building = ", ".join(buildings) or None
    if street_line is not None:
        parsed = _parse_us_street(street_line)
        out.house, out.street, out.line1 = parsed.house, parsed.street, parsed.line1
        out.name_words = parsed.name_words
        if parsed.building:
            buildings.append(parsed.building)
            out.building = ", ".join(buildings)
        if parsed.unit:
            units.insert(0, parsed.unit)
        if parsed.box and box is None:
            box = _Street(street=parsed.box, line1=parsed.box, po_box=True, box=parsed.box)
    if box is not None:
        out.box = box.street
        out.po_box = True
        if out.street is None or street_line is None:
            out.street = out.line1 = box.street
            out.house = None
        elif out.street != box.street:
            after.insert(0, box.street or "")
    out.extra_after = after
    if units:
        out.unit = _na_units(units)


def _na_units(units: list[str]) -> str:
    texts = []
    for text in units:
        tokens = _us_tokens(text)
        found, end = _us_unit(tokens, 0)
        if found and end == len(tokens):
            texts.append(found)
        else:
            texts.append(" ".join(tokens).upper() if found else text)
    return " ".join(texts)


def _finish(original: object, raw: _Raw, default: str | None, issues: list[str]) -> Address:
    tables = _tables()
    country = raw.country
    # the region and the country of US-style addresses
    if raw.region is None and raw.city and country in ("US", "CA", "AU"):
        words = raw.city.split()
        for size in (3, 2, 1):
            if len(words) > size and _region_code(" ".join(words[-size:]), country):
                raw.region = " ".join(words[-size:])
                raw.city = " ".join(words[:-size])
                break
    region, region_known, country = _region_of(raw.region, country, issues, tables)
    city, region, region_known, fake = _city_of(raw.city, country, region, region_known)
    postcode, postcode_ok = _postcode_of(raw.postcode, country, region, issues, tables)
    # the street
    fields = _street_fields(raw, country)
    line1 = fields.line1
    if (
        line1 is None
        and not (city or postcode or region or fields.recipient or fields.building or fields.unit)
        and country is None
        and not issues
    ):
        return Address(original=original, issues=("missing",))
    if (fields.name_words and any(w in _FAKE_STREET_WORDS for w in fields.name_words)) or (
        fields.street and not fields.name_words and _street_is_fake(fields.street)
    ):
        fake = True
    if line1 and _is_placeholder(line1):
        fake = True
    # checks
    if fake:
        issues.append("fake_address")
    if line1 is None:
        issues.append("missing_street")
    elif fields.house is None and not fields.po_box:
        issues.append("missing_house_number")
    if fields.po_box:
        issues.append("po_box")
    if city is None:
        issues.append("missing_city")
    if region is None and country in ("US", "CA", "AU"):
        issues.append("missing_region")
    if postcode is None and country is not None and country not in _NO_POSTCODE:
        issues.append("missing_postcode")
    if country is None and raw.country_text is None:
        issues.append("missing_country")
    if postcode_ok and region_known and country in ("US", "CA"):
        expected = tables.region_prefixes.get((country, region or ""))
        if expected and postcode and not postcode.startswith(expected):
            issues.append("postcode_region_mismatch")
    blocking = {"fake_address", "missing_street", "missing_city", "invalid_postcode",
                "invalid_region", "postcode_region_mismatch", "unknown_country"}  # fmt: skip
    valid = not any(code in blocking for code in issues)
    formatted = _format(fields, city, region, postcode, country, raw)
    key = None if fake else _address_key(fields, city, region, postcode, country)
    return Address(
        original=original,
        house_number=fields.house,
        street=fields.street,
        line1=line1,
        unit=fields.unit,
        city=city,
        region=region,
        postcode=postcode,
        country=country,
        formatted=formatted,
        key=key,
        valid=valid,
        issues=tuple(dict.fromkeys(issues)),
        po_box=fields.box,
        recipient=fields.recipient,
        building=fields.building,
    )


def _region_of(
    text: str | None, country: str | None, issues: list[str], tables: _Tables
) -> tuple[str | None, bool, str | None]:
    """The region as written, as its code where the country's regions are known: (the
    region, whether it is a known one, the country, which a US or Canadian region or a US
    territory may name)."""
    region = text.strip(_TRIM) if text else None
    region_known = False
    if region:
        region_country = country
        if country is None:
            for candidate in ("US", "CA"):
                if _region_code(region, candidate):
                    region_country = candidate
        lookup = "US" if region_country in _US_PLACES or region_country == "UM" else region_country
        if lookup is not None and lookup in tables.regions:
            code = _region_code(region, lookup)
            if code is not None:
                region, region_known = code, True
                if country is None:
                    country = region_country
            elif lookup in ("US", "CA", "AU", "BR"):
                issues.append("invalid_region")
        if lookup == "US" and region in _US_PLACES:
            country = region
        if not region_known:  # two letters, or capitals up to four, abbreviate it (CDMX)
            abbreviation = len(region) <= 4 and region.isalpha() and region.isupper()
            region = region.upper() if len(region) == 2 or abbreviation else _smart_case(region)
    return region, region_known, country


def _city_of(
    text: str | None, country: str | None, region: str | None, region_known: bool
) -> tuple[str | None, str | None, bool, bool]:
    """The city, cleaned and cased: (the city, the region, whether the region is a known one
    (either may be read from the city: "Ankara / Çankaya", "São Paulo - SP"), whether the
    city is a made-up one)."""
    city = text.strip(_TRIM) if text else None
    if city and country == "TR" and "/" in city and region is None:
        city, _, region = (s.strip() for s in city.partition("/"))
    if city and country == "BR" and region is None:
        m = re.match(r"^(.*?)\s*(?:-|/)\s*([A-Za-z]{2})$", city)
        if m and _region_code(m.group(2), "BR"):
            city, region, region_known = m.group(1), m.group(2).upper(), True
    if city and _CITY_MARK_RE.match(city) and _CYRILLIC_RE.search(city):
        city = _CITY_MARK_RE.sub("", city)
    if city and _is_placeholder(city):
        city = None
    fake = False
    if city and _fold(city) in _FAKE_CITIES:
        fake = True
    city = _smart_case(city) if city else None
    return city, region, region_known, fake


def _postcode_of(
    text: str | None,
    country: str | None,
    region: str | None,
    issues: list[str],
    tables: _Tables,
) -> tuple[str | None, bool]:
    """The postcode in its standard form where the country's is known (issue codes added to
    ``issues``): (the postcode, whether it is valid for the country)."""
    postcode = None
    postcode_ok = False
    if text:
        compact = _compact_postcode(text)
        padded = False
        if country == "US" or country in _US_PLACES:
            prefixes = tables.region_prefixes.get(("US", region or ""), ("0",))
            if "0" in prefixes:
                compact, padded = _pad_zip(compact)
        standard = _standard_postcode(compact, country) if country else None
        if standard is not None:
            postcode, postcode_ok = standard, True
            if padded:
                issues.append("postcode_zero_padded")
        elif country and (country in tables.postcodes):
            postcode = text.strip().upper()
            issues.append("invalid_postcode")
        else:
            postcode = compact if country is None or compact.isalnum() else text.strip()
    return postcode, postcode_ok


def _street_is_fake(street: str) -> bool:
    words = _key(street).split()
    return bool(words) and any(w in _FAKE_STREET_WORDS for w in words)


def _format(
    f: _Fields,
    city: str | None,
    region: str | None,
    postcode: str | None,
    country: str | None,
    raw: _Raw,
) -> str | None:
    name = _tables().country_names.get(country) if country else None
    if raw.cjk:
        head = "".join(x for x in (region, city, f.line1, f.unit) if x)
        if country == "JP":
            lines = [f"〒{postcode}" if postcode else "", head]
        else:
            lines = [head, postcode or ""]
        lines.append(name or "")
        return "\n".join(x for x in lines if x) or None
    lines = list(f.extra_before)
    if country in _NA or (country is None and raw.na):
        first = " ".join(x for x in (f.line1, f.unit) if x)
        lines += [first, *f.extra_after]
        lines.append(" ".join(x for x in (city, region, postcode) if x))
    else:
        unit_first = country in _UK_LIKE
        if unit_first and f.unit:
            lines.append(f.unit)
        lines.append(f.line1 or "")
        if f.unit and not unit_first:
            lines.append(f.unit)
        lines += f.extra_after
        if country in _UK_LIKE:
            lines += [city or "", postcode or ""]
        elif country == "AU":
            lines.append(" ".join(x for x in (city, region, postcode) if x))
        elif country == "BR":
            lines += [" - ".join(x for x in (city, region) if x), postcode or ""]
        elif country in _REGION_LINE:
            marked = f"г. {city}" if city and _CYRILLIC_RE.search(city) else city
            lines += [marked or "", region or "", postcode or ""]
        elif country == "TR":
            place = "/".join(x for x in (city, region) if x)
            lines.append(" ".join(x for x in (postcode, place) if x))
        elif country in _POSTCODE_FIRST or country is None:
            lines.append(" ".join(x for x in (postcode, city) if x))
        else:
            lines.append(" ".join(x for x in (city, postcode) if x))
    lines.append(name or "")
    return "\n".join(x for x in lines if x) or None


_CITY_FOLDS: Final = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}


def _street_key(f: _Fields, country: str | None) -> str:
    if f.street is None:
        return _key(f.house or f.building or "")
    if country in _NA:  # already standardized by Publication 28
        return _key(f"{f.house} {f.street}" if f.house else f.street)
    words = _key(f.street).split()
    tables = _tables()
    if f.po_box:
        folded = words
    else:
        own = tables.street_words.get(country or "", {})
        endings = tables.street_suffixes.get(country or "", ())
        english = country is None or country in _ENGLISH
        folded = []
        for k, word in enumerate(words):
            if word in own:
                word = own[word]
            elif endings:
                for ending, short in endings:
                    if word.endswith(ending) and len(word) > len(ending):
                        word = word[: -len(ending)] + short
                        break
            elif english and k == len(words) - 1 and k > 0 and word in tables.suffix_keys:
                word = tables.suffix_keys[word]
            elif english and k > 0 and word in _DIRECTION_KEYS:
                word = _DIRECTION_KEYS[word]
            folded.append(word)
        if english and folded and folded[0] in _DIRECTION_KEYS and len(folded) > 1:
            folded[0] = _DIRECTION_KEYS[folded[0]]
    house = _key(f.house) if f.house else ""
    return " ".join(x for x in (house, " ".join(folded)) if x)


_DIRECTION_KEYS: Final = {
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne", "northwest": "nw",
    "southeast": "se", "southwest": "sw",
}  # fmt: skip


@functools.lru_cache(maxsize=65_536)  # words and cities repeat down a column
def _city_key(city: str) -> str:
    return " ".join(_CITY_FOLDS.get(w, w) for w in _key(city).split())


def _address_key(
    f: _Fields, city: str | None, region: str | None, postcode: str | None, country: str | None
) -> str | None:
    street = _street_key(f, country)
    city_key = _city_key(city) if city else ""
    if not (street or city_key or postcode):
        return None
    region_key = _key(region) if region else ""
    post = ""
    if postcode:
        post = _KEY_DROP_RE.sub("", postcode.lower())
        if country == "US" or country in _US_PLACES:
            post = post[:5]
    return "|".join((street, city_key, region_key, post, (country or "").lower()))


def normalize_address_rows(
    parts: Mapping[str, Sequence[Any]], *, country: str | None = None
) -> list[Address]:
    """The batch form of :func:`normalize_address` for addresses held in several columns: one
    :class:`Address` per row, each distinct row parsed once.

    Args:
        parts: address part (any key :func:`normalize_address` reads: ``street``, ``line2``,
            ``city``, ``region``, ``postcode``, ``country``, ...) → column of equal length.
        country: the default country for rows that name none.

    Example:
        >>> rows = normalize_address_rows({"street": ["1 Main St", "1 Main St"],
        ...                                "city": ["Boston", "Boston"], "country": ["US", "US"]})
        >>> rows[0].key, rows[0] is rows[1]
        ('1 main st|boston|||us', True)
    """
    from crmclean._workers import map_distinct

    columns = [(key, list(values)) for key, values in parts.items()]
    n = len(columns[0][1]) if columns else 0
    index: dict[tuple[tuple[str, object], ...], int] = {}
    distinct: list[dict[str, Any]] = []
    codes: list[int] = []
    for i in range(n):
        row = {key: values[i] for key, values in columns}
        record = tuple((key, _hashable(value)) for key, value in row.items())
        code = index.get(record)
        if code is None:
            code = index[record] = len(distinct)
            distinct.append(row)
        codes.append(code)
    # the distinct rows are parsed over worker processes inside a stage given workers > 1
    parsed = map_distinct(normalize_address, distinct, country=country)
    return [parsed[code] for code in codes]


def _hashable(value: object) -> object:
    """A cache key for a cell: the cell itself, or its type and repr when it is unhashable."""
    try:
        hash(value)
    except TypeError:
        return (type(value).__name__, repr(value))
    return (type(value), value)
