"""Person names: parse into parts, case them properly, flag what is not a person, and key them.

:func:`parse_name` reads the ways CRM fields hold a name (``"jane SMITH"``, ``"Smith, Jane"``,
``"Dr. JOHN A. MCDONALD JR."``, ``'Robert "Bob" Smith'``, ``"иван петров"``, ``"王伟"``) into
prefix, given, middle, family, suffix and nickname, with a properly cased display form in the
name's own script. For matching it adds ASCII keys (``Иванов`` → ``ivanov``), the formal given
name behind a nickname (``Bob`` → ``robert``) and a phonetic key of the family name.
:func:`case_name` cases one name part alone, and :func:`normalize_name_part` standardizes a
first-name or last-name column. The reference tables (nicknames, given names, titles,
suffixes, particles, placeholders) ship as data files; :func:`name_tables` extends them.
"""

from __future__ import annotations

import functools
import operator
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import jellyfish

from crmclean.errors import ConfigError
from crmclean.normalize._base import coerce_text, require_str
from crmclean.normalize._batch import as_list, column_table
from crmclean.normalize.data import load_lines, load_rows
from crmclean.normalize.text import (
    MOJIBAKE_RE,
    TURKISH_HINT_RE,
    TURKISH_UPPER,
    fold_i,
    lower_case,
    match_key,
    normalize_text,
)

__all__ = [
    "NAME_COLUMNS",
    "NamePart",
    "NameTables",
    "PersonName",
    "canonical_given_name",
    "case_name",
    "name_script",
    "name_tables",
    "normalize_name_part",
    "parse_name",
    "parse_names",
]

#: Locale hints :func:`parse_name` accepts (a region part such as ``"tr-TR"`` is ignored).
LOCALES: Final = ("en", "tr", "az", "ru", "uk", "be", "bg", "sr", "de", "nl", "fr", "es", "pt",
                  "it", "pl", "el", "zh", "ja", "ko", "vi", "ar")  # fmt: skip
#: Names longer than this are cut before parsing (issue ``too_long``); no real name comes close.
MAX_NAME_CHARS: Final = 200

_NON_PERSON_CODES: Final = frozenset(
    {"placeholder_name", "fake_name", "company_in_name", "role_in_name", "email_in_name"}
)
_INVALID_CODES: Final = _NON_PERSON_CODES | {"digits_in_name", "only_initials"}

# --- precompiled patterns ------------------------------------------------------------------

# ASCII characters normalize_text(strip_special=True) would remove or fold.
_ASCII_JUNK_RE: Final = re.compile(r"[\x00-\x1f\x7f*^~`|\\<>={}\[\]_]")
_NON_ALNUM_RE: Final = re.compile(r"[^0-9a-z]+")
_DIGIT_RE: Final = re.compile(r"\d")
_EMAIL_RE: Final = re.compile(r"\S+@\S+\.\S+")
_NICK_RE: Final = re.compile(
    r"\s*(?:\"([^\"]+)\"|\(([^()]+)\)|(?:(?<=\s)|^)''([^']+)''(?=\s|$|,)"
    r"|(?:(?<=\s)|^)'([^'\s][^']*[^'\s])'(?=\s|$|,))\s*"
)
_DOTTED_INITIALS_RE: Final = re.compile(r"^(?:[^\W\d_]\.){2,}[^\W\d_]?$")
_PATRONYMIC_RE: Final = re.compile(
    r"(?:ович|евич|ьич|ична|инична|овна|евна|оглы|кызы)$|(?:ovich|evich|ovna|evna|ovitch)$"
)
_RU_FAMILY_RE: Final = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|цкий|ская|цкая|енко|ук|юк|ых|их|ко)$"
)
_KEY_DROP: Final = str.maketrans({"'": None, "ь": None, "ъ": None, "Ь": None, "Ъ": None})
_NATIVE_DROP: Final = str.maketrans({".": None, ",": None, "'": None, "(": None, ")": None})
_KEYBOARD_RUNS: Final = frozenset(
    row[i : i + 5]
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm", "poiuytrewq", "lkjhgfdsa", "1234567890")
    for i in range(len(row) - 4)
)
_HYPHEN_PARTICLES: Final = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ud",
                                      "ul", "bin", "ibn", "bint"})  # fmt: skip
_SAINTS: Final = frozenset({"st", "st.", "ste", "ste.", "saint", "sainte", "san", "santa", "sao"})
_VOWELS: Final = frozenset("aeiouyw")
_ASCII_ALPHA_RE: Final = re.compile("[A-Za-z]")
_PLAIN_NAME_RE: Final = re.compile(r"(?:[^\W_]|[ '.,()\-\"&+])*")
_LATIN_PATRONYMIC_ENDS: Final = ("vich", "vna", "vitch", "ichna")
_CJK_SCRIPTS: Final = frozenset({"han", "kana", "hangul"})
_TITLE_WORD_KINDS: Final = ("modifier", "connector")  # names_prefixes.csv: no titles alone
# post-nominal letters are consonant clusters (CFP, LNCC); Latin-script names have vowels
_ACRONYM_RE: Final = re.compile(r"[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ]{3,8}")
# "and" between two people ("John and Jane Smith", "Mr. and Mrs. Smith")
_CONJUNCTIONS: Final = frozenset({"&", "+", "and", "And", "AND", "or", "Or", "OR"})
_CONJUNCTION_RE: Final = re.compile(r" (?:and|And|AND|or|Or|OR) ")
# a family name written apart from its head: "Cindy Mac Kendrick", "Ellen Mc Donald"
_FAMILY_HEADS: Final = frozenset({"mac", "mc"})


# --- results -------------------------------------------------------------------------------


@attrs.frozen
class PersonName:
    """The result of :func:`parse_name`.

    Attributes:
        original: the value exactly as given.
        prefix, given, middle, family, suffix, nickname: the parts, properly cased.
        display: the full name properly cased, in its own script (family first for Chinese,
            Japanese and Korean names in native script). For text that is not a person's name
            (``"Acme Inc"``) it is the cleaned text, and ``valid`` is ``False``.
        script: ``"latin"``, ``"cyrillic"``, ``"greek"``, ``"han"``, ``"kana"``, ``"hangul"``,
            ``"arabic"``, ``"hebrew"``, ``"other"`` or ``"mixed"``.
        given_key, family_key: ASCII match keys (``"Иванов"`` → ``"ivanov"``); particles and
            hyphens become spaces (``"van der berg"``, ``"garcia marquez"``).
        given_canonical: the formal given name behind a nickname, as a key (``Bob`` → ``robert``,
            ``Саша`` → ``aleksandr``).
        family_phonetic: the Metaphone code of the family name, for blocking.
        valid: a plausible person name was found.
        issues: issue codes (see :data:`crmclean.ISSUE_CODES`).
        generation: the generational suffix (``"Jr."``, ``"III"``), also in ``suffix``.
        credentials: the other post-nominals: degrees, licences, designations, honours
            (``"MD"``, ``"CPA CFP"``, ``"Attorney at Law"``), also in ``suffix``, which
            holds all post-nominals in the order written.

    Example:
        >>> n = parse_name("Dr. JOHN A. MCDONALD JR.")
        >>> n.prefix, n.given, n.middle, n.family, n.suffix
        ('Dr.', 'John', 'A.', 'McDonald', 'Jr.')
        >>> n.display
        'Dr. John A. McDonald Jr.'
        >>> n = parse_name("Gray, Arthur, Jr., M.D., FACS")
        >>> n.given, n.family, n.generation, n.credentials, n.suffix
        ('Arthur', 'Gray', 'Jr.', 'MD FACS', 'Jr. MD FACS')
    """

    original: object
    prefix: str | None = None
    given: str | None = None
    middle: str | None = None
    family: str | None = None
    suffix: str | None = None
    nickname: str | None = None
    display: str | None = None
    script: str | None = None
    given_key: str | None = None
    given_canonical: str | None = None
    family_key: str | None = None
    family_phonetic: str | None = None
    valid: bool = False
    issues: tuple[str, ...] = ()
    generation: str | None = None
    credentials: str | None = None

    @property
    def value(self) -> str | None:
        """The standardized value (same as :attr:`display`)."""
        return self.display


@attrs.frozen
class NamePart:
    """The result of :func:`normalize_name_part`: one given, middle or family name column.

    Example:
        >>> normalize_name_part("mcdonald", part="family").text
        'McDonald'
    """

    original: object
    text: str | None
    key: str | None
    valid: bool
    issues: tuple[str, ...] = ()

    @property
    def value(self) -> str | None:
        """The standardized value (same as :attr:`text`)."""
        return self.text


# --- reference data ------------------------------------------------------------------------


@attrs.frozen(eq=False)
class NameTables:
    """The reference tables the name functions read; build one with :func:`name_tables`.

    Tables are compared and hashed by identity, so one object can key the parse cache: build
    it once and pass the same object to every call.

    Attributes:
        nicknames: nickname → canonical given-name key; keys are lower-case native spellings
            (``"саша"``) and ASCII match keys (``"bob"``).
        given_names: common given names as match keys.
        family_kinds: family-name match key → kinds (``hispanic``, ``vietnamese``,
            ``vietnamese_middle``, ``korean``, ``also_given``).
        prefixes: titles before a name, lower-case token without its final dot → display form
            (``"dr"`` → ``"Dr."``, ``"senator"`` → ``"Senator"``).
        suffixes: post-nominals, lower-case token without dots → display form: generational
            suffixes and credentials (``"jr"`` → ``"Jr."``, ``"phd"`` → ``"PhD"``); a phrase
            is keyed by its words (``"attorney at law"``).
        ambiguous_suffixes: suffix tokens only read as a suffix after a full name (``V``, ``MA``).
        generations: the generational suffixes among ``suffixes`` (``jr``, ``iii``); the others
            are credentials.
        given_titles: titles followed by a given name when one name follows (``Sir Gerald``).
        ambiguous_prefixes: titles that are names too, read as a title only before a given and
            a family name (``Major John Smith``, not ``Major Lance``).
        title_words: words that only form part of a run of titles (``State`` Senator, ``Rt.``
            Hon., Secretary ``of`` State) → display form.
        connectors: the words of ``title_words`` that join a title's words (``of``).
        particles: family-name particles (``van``, ``de la``, ``bin``).
        mac_exceptions: names starting with Mac/Mc that are not cased MacX (``Macy``).
        not_person: ``(where, text)`` → issue code, ``where`` being ``whole``, ``word``,
            ``first`` or ``last``.
        cjk_families: native-script Chinese, Japanese and Korean family names, longest first.

    Example:
        >>> tables = name_tables(nicknames={"Kiko": "Francisco"})
        >>> parse_name("Kiko Smith", tables=tables).given_canonical
        'francisco'
    """

    nicknames: Mapping[str, str]
    given_names: frozenset[str]
    family_kinds: Mapping[str, frozenset[str]]
    prefixes: Mapping[str, str]
    suffixes: Mapping[str, str]
    ambiguous_suffixes: frozenset[str]
    particles: frozenset[str]
    mac_exceptions: frozenset[str]
    not_person: Mapping[tuple[str, str], str]
    cjk_families: tuple[str, ...]
    generations: frozenset[str] = frozenset()
    given_titles: frozenset[str] = frozenset()
    ambiguous_prefixes: frozenset[str] = frozenset()
    title_words: Mapping[str, str] = MappingProxyType({})
    connectors: frozenset[str] = frozenset()
    #: the last words of the phrases among ``suffixes`` (``law`` of ``attorney at law``)
    suffix_phrase_ends: frozenset[str] = frozenset()

    def has_kind(self, key: str, kind: str) -> bool:
        """Whether a family-name key is listed with the given kind.

        Example:
            >>> name_tables().has_kind("garcia", "hispanic")
            True
        """
        kinds = self.family_kinds.get(key)
        return kinds is not None and kind in kinds


def _word_native(word: str) -> str:
    return word.lower().translate(_NATIVE_DROP)


def _nickname_items(rows: Iterable[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    for nickname, canonical in rows:
        nick = nickname.strip().lower()
        canon = _key(canonical.strip())
        if not nick or not canon:
            continue
        yield nick, canon
        key = _key(nick)
        if key and key != nick:
            yield key, canon


def name_tables(
    *,
    nicknames: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    given_names: Iterable[str] | None = None,
    not_person: Mapping[str, str] | None = None,
    prefixes: Mapping[str, str] | None = None,
    suffixes: Mapping[str, str] | None = None,
) -> NameTables:
    """The shipped name tables, extended with your own rows (yours win on conflicts).

    Called without arguments it returns the shipped tables (one shared object).

    Args:
        nicknames: nickname → formal given name (``{"chip": "Charles"}``), or ``(nickname,
            name)`` pairs.
        given_names: more common given names.
        not_person: whole-name text → issue code (``placeholder_name``, ``fake_name``,
            ``company_in_name`` or ``role_in_name``), e.g. ``{"test kunde": "fake_name"}``.
        prefixes, suffixes: more titles or suffixes, token → display (``{"ing": "Ing."}``).

    Raises:
        ConfigError: a ``not_person`` code is not one of the four above.
        TypeError: a table is not a mapping / iterable of the right shape.

    Example:
        >>> t = name_tables(not_person={"kunde": "placeholder_name"})
        >>> parse_name("Kunde", tables=t).issues
        ('placeholder_name',)
    """
    base = _shipped_tables()
    if (
        nicknames is None
        and given_names is None
        and not_person is None
        and (prefixes is None and suffixes is None)
    ):
        return base
    nick = dict(base.nicknames)
    if nicknames is not None:
        pairs = nicknames.items() if isinstance(nicknames, Mapping) else nicknames
        checked = []
        for pair in pairs:
            if not (
                isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
            ):
                raise TypeError("nicknames must map str to str")
            checked.append(pair)
        nick.update(_nickname_items(checked))
    given = set(base.given_names)
    if given_names is not None:
        if isinstance(given_names, str):
            raise TypeError("given_names must be an iterable of str, not a str")
        given.update(_key(g) for g in given_names if isinstance(g, str))
    np_table = dict(base.not_person)
    if not_person is not None:
        allowed = ("placeholder_name", "fake_name", "company_in_name", "role_in_name")
        for text, code in not_person.items():
            if code not in allowed:
                raise ConfigError(f"unknown not_person code: expected one of {', '.join(allowed)}")
            np_table[("whole", _key(text))] = code
    pre = dict(base.prefixes)
    pre.update({k.lower().strip("."): v for k, v in (prefixes or {}).items()})
    suf = dict(base.suffixes)
    suf.update({" ".join(k.lower().replace(".", "").split()): v
                for k, v in (suffixes or {}).items()})  # fmt: skip
    return attrs.evolve(
        base,
        nicknames=MappingProxyType(nick),
        given_names=frozenset(given) | frozenset(nick.values()),
        not_person=MappingProxyType(np_table),
        prefixes=MappingProxyType(pre),
        suffixes=MappingProxyType(suf),
        suffix_phrase_ends=_phrase_ends(suf),
    )


def _phrase_ends(suffixes: Mapping[str, str]) -> frozenset[str]:
    return frozenset(k.rsplit(" ", 1)[1] for k in suffixes if " " in k)


@functools.cache
def _shipped_tables() -> NameTables:
    nick: dict[str, str] = {}
    for nickname, canon in _nickname_items(
        (row["nickname"], row["canonical"]) for row in load_rows("names_nicknames.csv")
    ):
        nick.setdefault(nickname, canon)
    kinds: dict[str, set[str]] = {}
    for row in load_rows("names_family.csv"):
        kinds.setdefault(row["family"], set()).add(row["kind"])
    not_person: dict[tuple[str, str], str] = {}
    for row in load_rows("names_not_person.csv"):
        text = row["text"]
        if row["where"] == "whole":
            not_person.setdefault(("whole", _key(text)), row["code"])
            if not text.isascii():
                not_person.setdefault(("whole", text), row["code"])
        else:
            not_person.setdefault((row["where"], text), row["code"])
    suffix_rows = load_rows("names_suffixes.csv")
    prefix_rows = load_rows("names_prefixes.csv")
    titles = [r for r in prefix_rows if r["kind"] not in ("modifier", "connector")]
    given = frozenset(load_lines("names_given.txt")) | frozenset(nick.values())
    suffixes = {r["token"]: r["display"] for r in suffix_rows}
    return NameTables(
        nicknames=MappingProxyType(nick),
        given_names=given,
        family_kinds=MappingProxyType({k: frozenset(v) for k, v in kinds.items()}),
        prefixes=MappingProxyType({r["token"]: r["display"] for r in titles}),
        suffixes=MappingProxyType(suffixes),
        ambiguous_suffixes=frozenset(r["token"] for r in suffix_rows if r["ambiguous"]),
        particles=frozenset(load_lines("names_particles.txt")),
        mac_exceptions=frozenset(load_lines("names_mac_exceptions.txt")),
        not_person=MappingProxyType(not_person),
        cjk_families=tuple(sorted(load_lines("names_cjk_family.txt"), key=len, reverse=True)),
        generations=frozenset(r["token"] for r in suffix_rows if r["kind"] == "generation"),
        given_titles=frozenset(r["token"] for r in titles if r["kind"] == "given_title"),
        ambiguous_prefixes=frozenset(r["token"] for r in titles if r["kind"] == "ambiguous"),
        title_words=MappingProxyType(
            {r["token"]: r["display"] for r in prefix_rows if r["kind"] in _TITLE_WORD_KINDS}
        ),
        connectors=frozenset(r["token"] for r in prefix_rows if r["kind"] == "connector"),
        suffix_phrase_ends=_phrase_ends(suffixes),
    )


def _tables(tables: object) -> NameTables:
    if tables is None:
        return _shipped_tables()
    if not isinstance(tables, NameTables):
        raise TypeError(f"option 'tables' must be a NameTables, not {type(tables).__name__}")
    return tables


def _check_locale(locale: object) -> str | None:
    code = require_str("locale", locale)
    if code is None:
        return None
    low = code.lower().replace("_", "-").split("-")[0]
    if low not in LOCALES:
        raise ConfigError(f"unknown locale: expected one of {', '.join(LOCALES)}")
    return low


# --- keys ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=262_144)
def _key(text: str) -> str:
    """A match key for name text: like :func:`match_key`, with apostrophes and Cyrillic soft
    and hard signs dropped (``O'Neil`` → ``oneil``, ``Тиньков`` → ``tinkov``). Cached: name
    words repeat across a column even when full names do not."""
    if text.isascii():
        low = text.lower().replace("'", "")
        return low if low.isalpha() else _NON_ALNUM_RE.sub(" ", low).strip()
    if " " in text and text.isprintable() and not MOJIBAKE_RE.search(text):
        # word by word, each word's key cached: every step of the key works on each word
        # alone (NFKC does not compose across a space, transliteration goes letter by letter,
        # and every run of non-alphanumerics, spaces included, becomes one space). Not so
        # for text that looks mis-decoded, which is repaired as a whole, or that holds
        # control characters, which the ASCII branch treats as word breaks.
        return " ".join(filter(None, map(_key, text.split(" "))))
    return match_key(text.translate(_KEY_DROP)).replace("'", "")


@functools.lru_cache(maxsize=262_144)
def _canonical(given: str, tables: NameTables) -> str:
    """The nickname-resolved key of a given name, word by word (``Jean-Luc`` → ``jean luc``).
    Cached: given names repeat across a column."""
    nick = tables.nicknames
    words = given.replace("-", " ").split()
    if len(words) == 1:
        native = _word_native(given)
        found = nick.get(native)
        if found is not None:
            return found
        key = _key(given)
        return nick.get(key, key)
    out = []
    for word in words:
        native = _word_native(word)
        found = nick.get(native)
        if found is None:
            key = _key(word)
            found = nick.get(key, key)
        if found:
            out.append(found)
    return " ".join(out)


def canonical_given_name(value: object, *, tables: NameTables | None = None) -> str:
    """The formal given name behind a nickname, as a match key (``"Bobby"`` → ``"robert"``).

    Names that are not nicknames come back as their own match key; nulls give ``""``.

    Example:
        >>> canonical_given_name("Bobby"), canonical_given_name("Саша"), canonical_given_name("Ann")
        ('robert', 'aleksandr', 'ann')
    """
    tab = _tables(tables)
    raw, _ = coerce_text(value)
    if not raw:
        return ""
    text = _clean(raw[:MAX_NAME_CHARS])
    return _canonical(text, tab) if text else ""


@functools.lru_cache(maxsize=262_144)
def _phonetic(key: str | None) -> str | None:
    if not key:
        return None
    letters = "".join(c for c in key if "a" <= c <= "z")
    return (jellyfish.metaphone(letters) or None) if letters else None


# --- scripts and casing --------------------------------------------------------------------


def _script_of(ch: str) -> str | None:
    code = ord(ch)
    if code < 0x250 or 0x1E00 <= code < 0x1F00:
        return "latin" if ch.isalpha() else None
    if 0x370 <= code < 0x400 or 0x1F00 <= code < 0x2000:
        return "greek"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    if 0x530 <= code < 0x590:
        return "armenian"
    if 0x590 <= code < 0x600:
        return "hebrew"
    if 0x600 <= code < 0x700 or 0x750 <= code < 0x780:
        return "arabic"
    if 0x3040 <= code < 0x3100 or 0x31F0 <= code < 0x3200 or 0xFF66 <= code < 0xFFA0:
        return "kana"
    if 0xAC00 <= code < 0xD7B0 or 0x1100 <= code < 0x1200 or 0x3130 <= code < 0x3190:
        return "hangul"
    if 0x4E00 <= code < 0xA000 or 0x3400 <= code < 0x4DC0 or 0x20000 <= code < 0x2FA20:
        return "han"
    if ch == "々" or ch == "〆":
        return "han"
    return "other" if ch.isalpha() else None


_SCRIPT_SETS: dict[frozenset[str], frozenset[str]] = {}


@functools.lru_cache(maxsize=262_144)
def _scripts(token: str) -> frozenset[str]:
    """The scripts of a token's letters (one shared set object for each combination, so
    that cached words do not each hold a set). Cached: words repeat across a column."""
    if token.isascii():
        found = frozenset(("latin",)) if _ASCII_ALPHA_RE.search(token) else frozenset()
    else:
        found = frozenset(s for s in map(_script_of, token) if s is not None)
    return _SCRIPT_SETS.setdefault(found, found)


def _script(text: str) -> str | None:
    if text.isascii():
        return "latin" if _ASCII_ALPHA_RE.search(text) else None
    return _script_of_set(frozenset().union(*map(_scripts, text.split(" "))))


def name_script(value: object) -> str | None:
    """The script a name is written in: ``latin``, ``cyrillic``, ``greek``, ``han`` (Chinese
    characters, also Japanese kanji), ``kana`` (Japanese with kana), ``hangul``, ``arabic``,
    ``hebrew``, ``armenian``, ``other``; ``mixed`` for more than one, ``None`` without
    letters. Matching reads it: two names written in different scripts are compared through
    their Latin readings, which can agree (王伟 and Wang Wei) but cannot show a conflict
    (山本 is read Shan Ben, not Yamamoto).

    Example:
        >>> name_script("Yılmaz"), name_script("Артём"), name_script("山本 健太")
        ('latin', 'cyrillic', 'han')
        >>> name_script("Yui 渡辺"), name_script("42"), name_script(None)
        ('mixed', None, None)
    """
    text, _ = coerce_text(value)
    if not text:
        return None
    return _script(unicodedata.normalize("NFC", text))


def _script_of_set(found: set[str] | frozenset[str]) -> str | None:
    """The script of a text from the scripts of its letters."""
    if not found:
        return None
    if found <= {"han", "kana"}:
        return "kana" if "kana" in found else "han"
    if len(found) == 1:
        return next(iter(found))
    return "mixed"


def _upper_first(word: str, turkish: bool) -> str:
    if not word:
        return word
    first = word[0].translate(TURKISH_UPPER) if turkish else word[0]
    # "ǆ" and friends title-case to one letter; everything else upper-cases
    return first.title() + word[1:] if len(first) == 1 else first + word[1:]


def _bad_case(word: str) -> bool:
    """Whether a word is in one case only (all capitals or all lower case)."""
    if word.isascii():
        return word.isupper() or word.islower()
    has_upper = has_lower = False
    for c in word:
        if c.isupper():
            has_upper = True
        elif c.islower():
            has_lower = True
    return has_upper != has_lower


def _cap(low: str, turkish: bool, mac: bool, tables: NameTables) -> str:
    """Case one lower-case name word: ``mcdonald`` → ``McDonald``, ``o'neil`` → ``O'Neil``."""
    if "-" in low:
        return "-".join(_cap(part, turkish, mac, tables) if part else part
                        for part in low.split("-"))  # fmt: skip
    if "'" in low:
        head, _, tail = low.partition("'")
        if len(head) == 1 and head in "odl" and tail:
            return head.upper() + "'" + _cap(tail, turkish, mac, tables)
        return _upper_first(head, turkish) + "'" + tail
    if low[:2] == "mc" and len(low) > 3 and low[2].isalpha():
        return "Mc" + _upper_first(low[2:], turkish)
    if mac and low[:3] == "mac" and len(low) > 5 and low not in tables.mac_exceptions:
        return "Mac" + _upper_first(low[3:], turkish)
    return _upper_first(low, turkish)


@functools.lru_cache(maxsize=262_144)
def _case_word(word: str, turkish: bool, inner: bool, mac: bool, dutch: bool) -> str:
    """Case one token of a name; particles stay lower case inside a name."""
    if not _bad_case(word):
        return word
    tables = _shipped_tables()
    low = lower_case(word, turkish)
    bare = low.rstrip(".")
    if inner and low in tables.particles and (len(low) > 1 or word == low):
        return low
    if len(bare) == 1 and bare.isalpha():  # an initial
        return _upper_first(low, turkish)
    if bare in ("st", "ste") and low.endswith("."):
        return bare.capitalize() + "."
    if inner and "-" in low:
        head, _, tail = low.partition("-")
        if head in _HYPHEN_PARTICLES and tail:
            return head + "-" + _cap(tail, turkish, mac, tables)
    if dutch and low.startswith("ij") and len(low) > 2:
        return "IJ" + low[2:]
    return _cap(low, turkish, mac, tables)


def _turkish(text: str, locale: str | None) -> bool:
    return locale in ("tr", "az") or (not text.isascii() and bool(TURKISH_HINT_RE.search(text)))


def _case_tokens(tokens: list[str], turkish: bool, inner: bool, mac: bool, dutch: bool) -> str:
    out = []
    for i, tok in enumerate(tokens):
        out.append(_case_word(tok, turkish, inner or i > 0, mac, dutch))
    return " ".join(out)


def _clean(raw: str) -> str | None:
    """Unicode clean-up of a name (as ``normalize_text(strip_special=True)``), with fast paths
    for plain ASCII and for text of letters, digits, spaces and name punctuation only."""
    if raw.isascii():
        if _ASCII_JUNK_RE.search(raw):
            raw = _ASCII_JUNK_RE.sub(" ", raw)
        elif "  " not in raw and raw[:1] != " " and raw[-1:] != " ":
            return raw or None  # no control characters, so no whitespace but single spaces
        text = " ".join(raw.split())
    elif (
        _PLAIN_NAME_RE.fullmatch(raw)
        and not MOJIBAKE_RE.search(raw)
        and unicodedata.is_normalized("NFKC", raw)
    ):
        text = " ".join(raw.split())  # nothing for the full clean-up to do but spaces
    else:
        text = normalize_text(raw, strip_special=True).text or ""
    return text or None


def case_name(
    value: object,
    *,
    part: str = "family",
    locale: str | None = None,
) -> str | None:
    """Properly case one name part alone: a first-name or last-name cell.

    Only words typed in all capitals or all lower case are re-cased; a word that already mixes
    cases (``"DeVito"``, ``"McKenzie"``) is kept as typed. Chinese, Japanese and Korean names
    and scripts without case are never changed. Particles inside the part stay lower case, a
    part starting with one gets it capitalized (``"van der berg"`` → ``"Van der Berg"``).

    Args:
        value: any cell value; nulls and empty text give ``None``.
        part: ``"given"``, ``"middle"``, ``"family"`` or ``"any"``. Mac-names are cased
            ``MacX`` only in family names (``"MACKENZIE"`` → given ``"Mackenzie"``,
            family ``"MacKenzie"``).
        locale: ``"tr"``/``"az"`` for Turkish dotted and dotless i (found by itself when the
            name holds ``İ``, ``ı``, ``ş`` or ``ğ``); ``"nl"`` for Dutch ``IJ``.

    Raises:
        ConfigError: unknown ``part`` or ``locale``.

    Example:
        >>> case_name("mcdonald"), case_name("O'NEIL"), case_name("İSMAİL"), case_name("иван")
        ('McDonald', "O'Neil", 'İsmail', 'Иван')
        >>> case_name("van der berg"), case_name("MACKENZIE", part="given")
        ('Van der Berg', 'Mackenzie')
    """
    if part not in ("given", "middle", "family", "any"):
        raise ConfigError("unknown name part: expected given, middle, family or any")
    loc = _check_locale(locale)
    raw, _ = coerce_text(value)
    if raw is None:
        return None
    text = _clean(raw[:MAX_NAME_CHARS])
    if text is None:
        return None
    return _case_tokens(text.split(" "), _turkish(text, loc), False, part != "given", loc == "nl")


# --- non-person detection ------------------------------------------------------------------


@functools.lru_cache(maxsize=262_144)
def _is_mash(word: str) -> bool:
    """Keyboard mashing or a vowel-less run: ``asdfgh``, ``qwerty``, ``xcvbnm``. Cached:
    it is asked of the words of every name of at most two words."""
    size = len(word)
    if size < 4:
        return False
    if word.startswith(("asdf", "qwer", "zxcv", "hjkl", "jkl")):
        return True
    if size < 5:
        return False
    if _VOWELS.isdisjoint(word) and word.isalpha():
        return True
    return any(word[i : i + 5] in _KEYBOARD_RUNS for i in range(size - 4))


@attrs.frozen
class _Index:
    """Lookup sets derived from a :class:`NameTables`, built once per tables object."""

    whole: dict[str, str]
    first: dict[str, str]
    word: dict[str, str]
    last: dict[str, str]
    words: frozenset[str]
    hispanic: frozenset[str]
    vietnamese: frozenset[str]
    vietnamese_middle: frozenset[str]
    korean: frozenset[str]
    also_given: frozenset[str]


@functools.lru_cache(maxsize=8)
def _index(tables: NameTables) -> _Index:
    parts: dict[str, dict[str, str]] = {"whole": {}, "first": {}, "word": {}, "last": {}}
    for (where, text), code in tables.not_person.items():
        parts.setdefault(where, {})[text] = code

    def kind(name: str) -> frozenset[str]:
        return frozenset(k for k, kinds in tables.family_kinds.items() if name in kinds)

    return _Index(
        whole=parts["whole"],
        first=parts["first"],
        word=parts["word"],
        last=parts["last"],
        words=frozenset(parts["first"]) | frozenset(parts["word"]) | frozenset(parts["last"]),
        hispanic=kind("hispanic"),
        vietnamese=kind("vietnamese"),
        vietnamese_middle=kind("vietnamese_middle"),
        korean=kind("korean"),
        also_given=kind("also_given"),
    )


def _not_a_person(
    text: str, key: str, tables: NameTables, native: list[str] | None = None
) -> str | None:
    """The issue code when the text is not a person's name, else ``None``.

    ``native`` may give :func:`_word_native` of the words of ``text`` (``text.split()``)
    when the caller has them; it is only read for text with a dot or beyond ASCII."""
    idx = _index(tables)
    code = idx.whole.get(key)
    if code is not None:
        return code
    words = key.split()
    if not words:
        return None
    if text.isascii() and "." not in text:
        native = words
    else:
        if native is None:
            native = [_word_native(w) for w in text.split()] or words
        code = idx.whole.get(" ".join(native))
        if code is not None:
            return code
    if len(words) <= 2:
        # "test test", "aaaa", "x x" (one letter throughout), "asdf qwerty" (mashing); a
        # key of one letter throughout starts and ends with it, and so do its two words
        first = words[0]
        c = first[0]
        if len(words) == 1:
            if (len(key) > 1 and key[-1] == c and key.count(c) == len(key)) or _is_mash(first):
                return "placeholder_name"
        elif (
            (first == words[1] and len(first) > 1)
            or (words[1][0] == c and key.count(c) + 1 == len(key))
            or (_is_mash(first) and _is_mash(words[1]))
        ):
            return "placeholder_name"
    if idx.words.isdisjoint(native) and (native is words or idx.words.isdisjoint(words)):
        return None
    code = idx.first.get(native[0]) or idx.first.get(words[0])
    if code is not None:
        return code
    for w in native[1:]:
        code = idx.word.get(w)
        if code is not None:
            return code
    if len(words) <= 4:
        return idx.last.get(native[-1]) or idx.last.get(words[-1])
    return None


# --- parsing -------------------------------------------------------------------------------


def _prefix_form(token: str) -> str:
    """The form ``tables.prefixes`` is keyed by: lower case, no dot at the end, and Turkish
    dotless and dotted i as plain i (``"ır"`` is read as ``Ir.``, as its casing ``"Ir"``
    would be)."""
    return fold_i(token.lower().rstrip("."))


def _suffix_form(token: str) -> str:
    """The form ``tables.suffixes`` is keyed by: lower case, no dots, and Turkish dotless and
    dotted i as plain i (``"ıı"`` is read as ``II``, as its casing ``"Ii"`` would be)."""
    return fold_i(token.lower().replace(".", ""))


def _is_initial(token: str) -> bool:
    """One letter, with or without a dot, that stays one letter in capitals (not ``ß``)."""
    size = len(token)
    if size == 1:
        return token.isalpha() and len(token.upper()) == 1
    return size == 2 and token[1] == "." and token[0].isalpha() and len(token[0].upper()) == 1


@functools.lru_cache(maxsize=8)
def _cjk_families_by_first(families: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The families by their first character, each list in the order of ``families``, so
    that the first one a name starts with is found without trying all of them."""
    out: dict[str, list[str]] = {}
    for family in families:
        out.setdefault(family[:1], []).append(family)
    return {first: tuple(found) for first, found in out.items()}


def _split_cjk(text: str, tables: NameTables) -> tuple[str, str | None]:
    """Family and given of a native-script CJK name (family first)."""
    if " " in text:
        family, _, given = text.partition(" ")
        return family, given.replace(" ", "") or None
    for family in _cjk_families_by_first(tables.cjk_families).get(text[:1], ()):
        if text.startswith(family) and len(text) > len(family):
            return family, text[len(family) :]
    if 2 <= len(text) <= 4 and all(_script_of(c) == "han" for c in text):
        return text[0], text[1:]  # Chinese family names are almost all one character
    if 2 <= len(text) <= 4 and all(_script_of(c) == "hangul" for c in text):
        return text[0], text[1:]  # so are Korean ones
    return text, None


def _split_tokens(text: str) -> list[str]:
    out = []
    for tok in text.split():
        tok = tok.strip(",")
        if not tok:
            continue
        if "." in tok and len(tok) > 2 and _DOTTED_INITIALS_RE.match(tok):
            parts = [p + "." for p in tok.split(".") if p]
            if not tok.endswith("."):
                parts[-1] = parts[-1][:-1]
            out.extend(parts)
        else:
            out.append(tok)
    return out


class _Word:
    """One name token and what the parser asks of it, computed once per distinct token.

    Full names in a column rarely repeat, but their words do (``Jane``, ``SMITH``, ``A.``):
    everything the parser needs to know about a token alone (its lower-case and key forms,
    whether it is an initial, its four casings, its prefix and suffix lookup forms) is worked
    out once by :func:`_word` and cached, so a name costs a few lookups per word.

    Attributes:
        text: the token as written.
        low: lower case (Turkish-aware), as :func:`_assign` compares it with particles.
        key: its match key, :func:`_key` of the token.
        initial: a single letter, with or without a dot.
        cased: :func:`_case_word` of the token, indexed ``2 * inner + mac``.
        cased_keys: :func:`_key` of each of them.
        middle: the inner casing (``cased[2]``) as :func:`_dot_initials` writes it: with a
            dot if it is an initial (a middle word, in a name that has initials).
        native: :func:`_word_native` of the token.
        prefix: lower case without trailing dots, as ``tables.prefixes`` is keyed.
        suffix: lower case without any dot, as ``tables.suffixes`` is keyed.
        scripts: the scripts of its letters (as :func:`_script` collects them).
        parts: for run-together dotted initials (``J.R.``) the words they split into, as
            :func:`_split_tokens` splits them; else ``None``.
        acronym: for a word of three to eight ASCII consonants (``LNCC``, ``CFP``), which no
            Latin-script name is, its capitals: read as a credential after a name; else
            ``None``.
        affix: what the word may be with the shipped tables (bits: a title word, a
            post-nominal, a conjunction), for :func:`_parse_plain` to tell the usual name
            from one :func:`_read_affixes` must read.
    """

    __slots__ = ("acronym", "affix", "cased", "cased_keys", "initial", "key", "low", "middle",
                 "native", "parts", "prefix", "scripts", "suffix", "text")  # fmt: skip

    def __init__(self, text: str, turkish: bool, dutch: bool) -> None:
        self.text = text
        self.low = low = lower_case(text, turkish)
        self.key = key = _key(text)
        self.initial = _is_initial(text)
        lower = text.lower()
        if "-" in low or "mac" in low or low in _shipped_tables().particles:
            self.cased = tuple(
                _case_word(text, turkish, inner, mac, dutch)
                for inner in (False, True)
                for mac in (False, True)
            )
            self.cased_keys = tuple(_cased_key(c, text, lower, key) for c in self.cased)
        else:  # inner and mac change nothing (see _case_word and _cap): one casing
            one = _case_word(text, turkish, False, False, dutch)
            self.cased = (one, one, one, one)
            one_key = _cased_key(one, text, lower, key)
            self.cased_keys = (one_key, one_key, one_key, one_key)
        inner = self.cased[2]  # as _dot_initials writes a word
        dotted = _is_initial(inner) and inner not in ("y", "e")
        self.middle = inner[0].upper() + "." if dotted else inner
        self.native = _word_native(text)
        self.prefix = _prefix_form(text)
        self.suffix = _suffix_form(text)
        self.scripts = _scripts(text)
        self.acronym = text.upper() if _ACRONYM_RE.fullmatch(text) else None
        self.parts: tuple[_Word, ...] | None = None
        if "." in text and len(text) > 2 and _DOTTED_INITIALS_RE.match(text):
            self.parts = tuple(_word(p, turkish, dutch) for p in _split_tokens(text))
        self.affix = _affix_bits(self, _shipped_tables())


# :attr:`_Word.affix` bits: what a word may be, read with the shipped tables
_MAY_TITLE: Final = 1  # a word of a run of titles
_MAY_POST: Final = 2  # a post-nominal (or the last word of one)
_MAY_JOIN: Final = 4  # "and" between two people


def _affix_bits(word: _Word, tables: NameTables) -> int:
    bits = 0
    if _title_of(word, tables) is not None:
        bits |= _MAY_TITLE
    form = word.suffix
    if (
        form in tables.suffixes
        or form in tables.suffix_phrase_ends
        or word.acronym is not None
        or ("-" in form and _compound_post(form, tables) is not None)
    ):
        bits |= _MAY_POST
    if word.text in _CONJUNCTIONS:
        bits |= _MAY_JOIN
    return bits


def _cased_key(cased: str, text: str, lower: str, key: str) -> str:
    """:func:`_key` of a casing of ``text`` (whose lower case is ``lower`` and key ``key``):
    an ASCII key depends on the lower-case form only (not so a transliterated one)."""
    if cased == text or (cased.isascii() and text.isascii() and cased.lower() == lower):
        return key
    return _key(cased)


def _is_plain(token: str) -> bool:
    """Letters, dots, hyphens and apostrophes only, with a letter, and no apostrophe first
    (which could open a quoted nickname): a token :func:`_parse_plain` takes."""
    return token.isalpha() or (token[:1] != "'" and _without_punctuation(token).isalpha())


def _without_punctuation(token: str) -> str:
    """The token without the dots, hyphens and apostrophes a plain token may hold."""
    return token.replace(".", "").replace("-", "").replace("'", "")


def _plain_word_of(token: str, turkish: bool = False, dutch: bool = False) -> _Word | None:
    """The :class:`_Word` of a token :func:`_is_plain` accepts, else ``None``."""
    return _word(token, turkish, dutch) if _is_plain(token) else None


#: :func:`_plain_word_of`, cached; ``_plain_word_default(token)`` is the usual call (neither
#: Turkish nor Dutch casing), whose cache is keyed by the token alone.
_plain_word: Final = functools.lru_cache(maxsize=131_072)(_plain_word_of)
_plain_word_default: Final = functools.lru_cache(maxsize=131_072)(_plain_word_of)


def _digits_word(token: str, turkish: bool, dutch: bool) -> _Word | None:
    """The :class:`_Word` of a token of letters, digits (``\\d``, at least one), dots,
    hyphens and apostrophes, with no apostrophe first; else ``None``."""
    core = _without_punctuation(token)
    if token[:1] == "'" or not core.isalnum() or not _DIGIT_RE.search(core):
        return None
    # isalnum() also takes other numerals ("½", "²"): only letters and \d digits here
    if not core.isdecimal() and not all(c.isalpha() or c.isdecimal() for c in core):
        return None
    return _word(token, turkish, dutch)


# (map with these runs in C: in Python 3.11 a list comprehension is a function call)
_INITIAL_OF: Final = operator.attrgetter("initial")
_KEY_OF: Final = operator.attrgetter("key")
_LOW_OF: Final = operator.attrgetter("low")
_MIDDLE_OF: Final = operator.attrgetter("middle")
_NATIVE_OF: Final = operator.attrgetter("native")
_SCRIPTS_OF: Final = operator.attrgetter("scripts")
_TEXT_OF: Final = operator.attrgetter("text")


@functools.lru_cache(maxsize=131_072)
def _word(text: str, turkish: bool, dutch: bool) -> _Word:
    """The :class:`_Word` of a token (cached: name words repeat across a column; a word
    holds about half a kilobyte, so the word caches stay under about 70 MB)."""
    return _Word(text, turkish, dutch)


def _words(tokens: list[str], turkish: bool, dutch: bool) -> list[_Word]:
    return [_word(t, turkish, dutch) for t in tokens]


def _texts(words: list[_Word]) -> str:
    return " ".join(map(_TEXT_OF, words))


def _case_words(words: list[_Word], inner: bool, mac: bool) -> str:
    """:func:`_case_tokens` from the cached casings: every word after the first is inner."""
    first = words[0].cased[2 * inner + mac]
    if len(words) == 1:
        return first
    return " ".join([first, *[w.cased[2 + mac] for w in words[1:]]])


# --- titles and post-nominals --------------------------------------------------------------

# kinds of the words of a run of titles (see names_prefixes.csv)
_TITLE: Final = 1
_GIVEN_TITLE: Final = 2
_AMBIGUOUS_TITLE: Final = 3
_MODIFIER: Final = 4
_CONNECTOR: Final = 5
_COMPOUND_SPLIT_RE: Final = re.compile(r"[.\-]")


def _title_of(word: _Word, tables: NameTables) -> tuple[int, str] | None:
    """The kind and display form of a word that can stand in a run of titles, else ``None``.

    Titles joined by dots or hyphens are read part by part (``Lt.Gen.`` → ``Lt. Gen.``,
    ``Magistrate-Judge``)."""
    form = key = word.prefix
    display = tables.prefixes.get(form)
    if display is None and "." in form and word.parts is None:  # "Dott.ssa", "Sig.ra"
        key = form.replace(".", "")
        display = tables.prefixes.get(key)
    if display is not None:
        if key in tables.given_titles:
            return _GIVEN_TITLE, display
        if key in tables.ambiguous_prefixes:
            return _AMBIGUOUS_TITLE, display
        return _TITLE, display
    display = tables.title_words.get(form)
    if display is not None:
        return (_CONNECTOR if form in tables.connectors else _MODIFIER), display
    if "." in form or "-" in form:
        return _compound_title(form, tables)
    return None


@functools.lru_cache(maxsize=16_384)
def _compound_title(form: str, tables: NameTables) -> tuple[int, str] | None:
    """:func:`_title_of` for titles joined by dots or hyphens: every part a title or a
    modifier, at least one a title; the kind is that of the last title."""
    parts = [p for p in _COMPOUND_SPLIT_RE.split(form) if p]
    if len(parts) < 2:
        return None
    kind = 0
    shown = []
    for part in parts:
        display = tables.prefixes.get(part)
        if display is not None:
            kind = _TITLE
        else:
            display = tables.title_words.get(part)
            if display is None or part in tables.connectors:
                return None
        shown.append(display)
    if not kind:
        return None
    return kind, ("-" if "-" in form else " ").join(shown)


def _post_of(word: _Word, tables: NameTables) -> tuple[str, bool, bool] | None:
    """A post-nominal word: (its display form, whether it is generational, whether it is
    ambiguous); else ``None``. An initial (``V.``) and run-together initials that spell a
    generational suffix (``J.R.``) are not; credentials joined by hyphens are
    (``AIA-CSI``)."""
    form = word.suffix
    display = tables.suffixes.get(form)
    if display is not None:
        text = word.text
        if len(text) == 2 and text[1] == ".":
            return None
        generational = form in tables.generations
        if generational and word.parts is not None:
            return None
        return display, generational, form in tables.ambiguous_suffixes
    if "-" in form:
        found = _compound_post(form, tables)
        if found is not None:
            return found, False, False
    return None


@functools.lru_cache(maxsize=16_384)
def _compound_post(form: str, tables: NameTables) -> str | None:
    parts = form.split("-")
    if len(parts) < 2 or not all(
        p in tables.suffixes and p not in tables.ambiguous_suffixes and p not in tables.generations
        for p in parts
    ):
        return None
    return "-".join(tables.suffixes[p] for p in parts)


def _phrase_post(words: list[_Word], end: int, tables: NameTables) -> tuple[int, str] | None:
    """A post-nominal phrase ending at ``words[end - 1]`` (``Attorney at Law``): its length
    and display form, longest first; else ``None``."""
    if words[end - 1].suffix not in tables.suffix_phrase_ends:
        return None
    for size in (3, 2):
        if end >= size:
            display = tables.suffixes.get(" ".join([w.suffix for w in words[end - size : end]]))
            if display is not None:
                return size, display
    return None


def _segment_posts(
    words: list[_Word], tables: NameTables
) -> tuple[list[tuple[str, bool]], bool] | None:
    """The post-nominals of a comma-separated part made of post-nominals only (``, Jr.``,
    ``, CLU``, ``, Attorney at Law``): (display, generational) each, and whether one is
    ambiguous or unknown; else ``None``."""
    found: list[tuple[str, bool]] = []
    ambiguous = False
    end = len(words)
    while end:
        phrase = _phrase_post(words, end, tables)
        if phrase is not None:
            found.append((phrase[1], False))
            end -= phrase[0]
            continue
        word = words[end - 1]
        post = _post_of(word, tables)
        if post is not None:
            found.append(post[:2])
            ambiguous = ambiguous or post[2]
        elif word.acronym is not None and _title_of(word, tables) is None:
            found.append((word.acronym, False))
            ambiguous = True  # an unknown one: as doubtful as an ambiguous one
        else:
            return None
        end -= 1
    return found[::-1], ambiguous


def _is_post_word(word: _Word, tables: NameTables) -> bool:
    """Whether a word can be read as a post-nominal (a known one, or an unknown consonant
    cluster that is no title)."""
    return _post_of(word, tables) is not None or (
        word.acronym is not None and _title_of(word, tables) is None
    )


#: what :func:`_read_affixes` finds: the words for the given (and middle) names, the family
#: words set apart by a comma (``None`` without one), the prefixes, the post-nominals in the
#: order written (display form, whether generational), and whether a lone name after the
#: titles is a given name
_Affixes = tuple[list[_Word], "list[_Word] | None", list[str], list[tuple[str, bool]], bool]


def _read_affixes(
    segments: list[list[_Word]], tables: NameTables, shipped: bool = False
) -> _Affixes:
    """Titles and post-nominals wherever they stand, and the name words around them.

    ``segments`` are the comma-separated parts of a name, as words (run-together initials not
    split yet: ``M.D.`` is a credential, ``J.R.`` initials). A part made of post-nominals
    only is set apart (``John Doe, CLU, CFP``; ``Gray, Arthur, Jr., M.D.``); of the other
    parts, two or more are "Family, Given" (``TROJAN, BSN, RN, CHRISTINE``), with
    post-nominals ending the family part (``Smith Jr., John``), and a title ending the first
    part makes it "Given Title, Family" (``patricia mrs, natke``). Then, on the given side:
    the run of titles at the start (``Dr.``, ``State Senator``, ``Rt. Hon.``, ``Secretary of
    State``, ``His Excellency Lord``: title words, with modifiers and connectors between and
    after them, leaving a name), the post-nominals at the end (``M.D.``, ``QC MP``,
    ``Attorney at Law``, ``AIA-CSI``, an unknown consonant cluster such as ``LNCC`` after a
    full name; an ambiguous one only after a given and a family name), and unambiguous ones
    between name words (``David B. III Hill``). ``shipped``: the tables are the shipped
    ones, so that the words' :attr:`_Word.affix` bits can skip the lookups of plain words.
    """
    names = segments
    segment_posts: list[tuple[str, bool]] = []
    head_posts: list[tuple[str, bool]] = []
    if len(segments) > 1:
        in_parts = [None, *[_segment_posts(seg, tables) for seg in segments[1:]]]
        name_words = sum(len(s) for s, found in zip(segments, in_parts, strict=True) if not found)
        names = []
        for seg, found in zip(segments, in_parts, strict=True):
            if found is not None and (not found[1] or name_words >= 2):
                segment_posts += found[0]
            else:
                names.append(seg)
    prefixes: list[str] = []
    family: list[_Word] | None = None
    if len(names) > 1:
        head = list(names[0])
        given = [w for seg in names[1:] for w in seg]
        while len(head) > 1:  # "Smith Jr., John"
            post = _post_of(head[-1], tables)
            if post is None or post[2]:
                break
            head_posts.insert(0, post[:2])
            head.pop()
        last = _title_of(head[-1], tables) if len(head) > 1 else None
        if last is not None and last[0] in (_TITLE, _GIVEN_TITLE):  # "patricia mrs, natke"
            while len(head) > 1:
                title = _title_of(head[-1], tables)
                if title is None or title[0] not in (_TITLE, _GIVEN_TITLE):
                    break
                prefixes.insert(0, title[1])
                head.pop()
            given, family = head, given
        else:
            family = head
    else:
        given = list(names[0])
    # Post-nominals at the end and between name words, read in the order the name is shown
    # (given words, then the family words a comma set apart), so that the shown name reads
    # the same again; before the titles, which a post-nominal between them would hide
    # ("Deputy C.C.R.N. Insp."). Words are counted as shown: run-together initials each.
    shown = given + family if family else given
    is_family = [False] * len(given) + [True] * len(family or ())
    # the post-nominals ending the name, each (where it starts, display, generational,
    # doubtful: an ambiguous one or an unknown consonant cluster)
    ending: list[tuple[int, str, bool, bool]] = []
    end = len(shown)
    while end > 1:
        if shipped and not shown[end - 1].affix & _MAY_POST:
            break
        phrase = _phrase_post(shown, end, tables)
        if phrase is not None and end > phrase[0]:
            end -= phrase[0]
            ending.append((end, phrase[1], False, False))
            continue
        word = shown[end - 1]
        post = _post_of(word, tables)
        if post is not None:
            if post[2] and not _ambiguous_post_here(word, shown[end - 2]):
                break  # "Jack Ma", "Larry V I"
            ending.append((end - 1, post[0], post[1], post[2]))
        elif word.acronym is not None and _title_of(word, tables) is None:
            ending.append((end - 1, word.acronym, False, True))
        else:
            break
        end -= 1
    taken: list[tuple[str, bool]] = []
    if ending:
        # A doubtful one needs a given and a family name before the post-nominals, titles not
        # counted: "John Smith V", "Jane Doe LNCC"; not "Henry V", "DR. JACK MA". Either all
        # doubtful ones are taken or none; one left stays a name word, shown as a name
        # ("Ma", "V."), so that the shown name reads the same again.
        full = any(e[3] for e in ending) and _names_before(shown, end, tables) >= 2
        left = []
        for start, display, generational, doubtful in ending:
            if doubtful and not full:
                left.append(start)
            else:
                taken.append((display, generational))
        keep = end  # the words before the post-nominals, and the doubtful ones left
        shown = shown[:keep] + [shown[k] for k in left[::-1]]
        is_family = is_family[:keep] + [is_family[k] for k in left[::-1]]
    if len(shown) > 2:
        kept = [0]
        inner: list[tuple[str, bool]] = []
        for k in range(1, len(shown) - 1):
            word = shown[k]
            post = (
                _post_of(word, tables)
                if word.suffix in tables.suffixes and word.parts is None
                else None
            )
            if post is None or post[2]:
                kept.append(k)
            else:
                inner.append(post[:2])
        if inner:
            kept.append(len(shown) - 1)
            shown = [shown[k] for k in kept]
            is_family = [is_family[k] for k in kept]
            taken += inner[::-1]
    if family:
        given = [w for w, f in zip(shown, is_family, strict=True) if not f]
        family = [w for w, f in zip(shown, is_family, strict=True) if f] or None
    else:
        given = shown
    # the run of titles at the start
    keep = 0 if family else 1
    run_end = 0
    title_kinds = 0  # bits: 1 << kind of each title word
    last_title = 0
    i = 0
    limit = len(given) - keep
    run: list[str] = []
    while i < limit:
        if shipped and not given[i].affix & _MAY_TITLE:
            break
        title = _title_of(given[i], tables)
        if title is None:
            break
        kind, display = title
        if kind == _CONNECTOR and not title_kinds:
            break
        run.append(display)
        i += 1
        if kind <= _AMBIGUOUS_TITLE:
            title_kinds |= 1 << kind
            last_title = kind
            run_end = i
        elif kind == _MODIFIER and title_kinds:
            run_end = i
    if (
        run_end
        and title_kinds == 1 << _AMBIGUOUS_TITLE
        and len(given) - run_end + len(family or ()) < 2
    ):
        run_end = 0  # "Major Lance": a name
    if run_end:
        prefixes += run[:run_end]
        given = given[run_end:]
    posts = head_posts + taken[::-1] + segment_posts if head_posts or segment_posts else taken[::-1]
    given_title = last_title == _GIVEN_TITLE and len(given) == 1 and family is None
    return given, family, prefixes, posts, given_title


def _names_before(shown: list[_Word], run_start: int, tables: NameTables) -> int:
    """How many name words stand before the post-nominals ending a name (``shown[run_start:]``),
    as shown: not the titles ahead, nor the post-nominals between name words (shown at the
    end), run-together initials each."""
    count = 0
    ahead = True  # still among the titles ahead
    for k in range(run_start):
        word = shown[k]
        if k and word.suffix in tables.suffixes and word.parts is None:
            post = _post_of(word, tables)
            if post is not None and not post[2]:
                continue
        if ahead:
            if _title_of(word, tables) is not None:
                continue
            ahead = False
        count += len(word.parts) if word.parts is not None else 1
    return count


def _shown_size(words: list[_Word]) -> int:
    """How many words these are as shown, run-together initials (``J.R.``) each."""
    return sum([len(w.parts) if w.parts is not None else 1 for w in words])


def _ambiguous_post_here(word: _Word, before: _Word) -> bool:
    """Whether an ambiguous post-nominal ending a name can be one: not written as a name is
    (``Ma``: so a family name is shown; ``do``: so a particle is; ``MA``, ``ma``, ``MEd``
    are post-nominals), and a single letter not after an initial (``Larry V I``)."""
    if len(word.suffix) == 1:
        return not (before.initial or before.parts is not None)
    text = word.text
    if text.islower():
        return text not in _shipped_tables().particles  # "do", "op": particles in a name
    return not (text[0].isupper() and text[1:].islower())


def _affix_free(words: list[_Word], tables: NameTables) -> bool:
    """Whether :func:`_read_affixes` finds nothing in these words of a name without a comma:
    the cheap test of the usual name, which :func:`_parse_plain` makes before it."""
    first = words[0].prefix
    if first in tables.prefixes or first in tables.title_words:
        return False
    if ("." in first or "-" in first) and (
        first.replace(".", "") in tables.prefixes or _compound_title(first, tables) is not None
    ):
        return False
    n = len(words)
    if n < 2:
        return True
    last = words[-1]
    form = last.suffix
    if form in tables.suffixes or form in tables.suffix_phrase_ends:
        return False
    if "-" in form and _compound_post(form, tables) is not None:
        return False
    if last.acronym is not None:
        return False
    if n > 2:
        suffixes = tables.suffixes
        for word in words[1:-1]:
            if word.suffix in suffixes:
                return False
    return True


def _assign(
    tokens: list[_Word], script: str | None, tables: NameTables
) -> tuple[list[_Word], list[_Word], list[_Word], str]:
    """Split name words (no prefixes/suffixes) into given, middle and family.

    The fourth item says how the name was written: ``"western"`` (given first),
    ``"family_first"`` (family first, displayed in Western order: Russian), or ``"asian"``
    (family first, and displayed so: Vietnamese, Korean)."""
    n = len(tokens)
    if n == 1:
        return tokens, [], [], "western"
    lows = list(map(_LOW_OF, tokens))
    initials = list(map(_INITIAL_OF, tokens))
    if all(initials):
        return tokens[:1], tokens[1:-1], tokens[-1:], "western"
    # "Иванов И. И.", "Smith J. R.": a family name followed by initials only
    if (
        not initials[0]
        and all(initials[1:])
        # "y", "e" in lower case join names; in capitals they are initials (as below)
        and not any(t.text in tables.particles for t in tokens[1:])
        and (script == "cyrillic" or n >= 3)
        and tokens[0].text[:1].isalpha()
        and _movable(tokens[0], tokens[1], tables)
    ):
        return tokens[1:2], tokens[2:], tokens[:1], "family_first"
    # "Brines Mark R", "Иванов Иван И.": family, given, then initials only (a given name is
    # not followed by initials alone)
    if (
        n >= 3
        and not initials[0]
        and not initials[1]
        and all(initials[2:])
        and lows[0] not in tables.particles
        and lows[1] not in tables.particles
        and not any(t.text in tables.particles for t in tokens[2:])
        and tokens[0].text[:1].isalpha()
        and tokens[1].text[:1].isalpha()
        and _movable(tokens[0], tokens[1], tables)
    ):
        return tokens[1:2], tokens[2:], tokens[:1], "family_first"
    cyrillic = script == "cyrillic"
    if (cyrillic and n <= 3) or (
        n == 3
        and script == "latin"
        and (lows[1].endswith(_LATIN_PATRONYMIC_ENDS) or lows[2].endswith(_LATIN_PATRONYMIC_ENDS))
    ):
        patro = [bool(_PATRONYMIC_RE.search(low)) for low in lows]
        if n == 3:
            if patro[2] and not patro[1] and _movable(tokens[0], tokens[1], tables):
                # "Петров Иван Иванович"
                return tokens[1:2], tokens[2:], tokens[:1], "family_first"
            if patro[1]:  # "Иван Иванович Петров"
                return tokens[:1], tokens[1:2], tokens[2:], "western"
        if n == 2 and patro[1] and cyrillic:  # "Иван Иванович"
            return tokens[:1], tokens[1:], [], "western"
    given_names = tables.given_names
    idx = _index(tables)
    particles = tables.particles
    if n == 2:
        if cyrillic:
            # "Иванов Иван": a family-name ending first, a given name second
            first_family = bool(_RU_FAMILY_RE.search(lows[0])) and _key(lows[0]) not in given_names
            second_family = bool(_RU_FAMILY_RE.search(lows[1])) and _key(lows[1]) not in (
                given_names
            )
            if first_family and not second_family and _movable(tokens[0], tokens[1], tables):
                return tokens[1:], [], tokens[:1], "family_first"
        elif script == "latin" and "-" in tokens[1].text and tokens[0].key in idx.korean:
            # Korean: "Kim Jong-un", "Moon Jae-in"
            head, _, tail = tokens[1].text.partition("-")
            if 1 < len(head) <= 4 and 1 < len(tail) <= 4 and tail.isalpha():
                return tokens[1:], [], tokens[:1], "asian"
        if (
            lows[0] in particles
            and len(lows[0]) > 1
            and (tokens[0].key not in given_names or tokens[0].text == lows[0])
        ):  # "van Dyke", "de Souza" without a given name ("Van Nguyen" has one)
            return [], [], tokens, "western"
        return tokens[:1], [], tokens[1:], "western"
    keys = list(map(_KEY_OF, tokens))
    # Vietnamese: "Nguyễn Văn An" (family, middle, given)
    if script == "latin" and keys[1] in idx.vietnamese_middle and keys[0] in idx.vietnamese:
        return tokens[-1:], tokens[1:-1], tokens[:1], "asian"
    # the family name starts at the first particle or saint after the given name ...
    start = n - 1
    i = 1
    while i < n - 1:
        low = lows[i]
        if low in particles and (len(low) > 1 or tokens[i].text == low):  # "Y" is an initial
            nxt = i + 1
            while nxt < n - 1 and lows[nxt] in particles:
                nxt += 1
            # "María del Carmen López": a particle before a given name is part of the given
            if nxt < n - 1 and keys[nxt] in given_names and keys[nxt] not in idx.hispanic:
                i = nxt + 1
                continue
            # "García y López", "Souza e Silva": the conjunction joins two family names
            start = i - 1 if low in ("y", "e", "i") and i > 1 else i
            break
        if low.rstrip(".") in _SAINTS and low not in ("san", "santa"):
            start = i
            break
        if low in _FAMILY_HEADS and i == n - 2:  # "Cindy Mac Kendrick"
            start = i
            break
        i += 1
    else:
        # ... or it is the last word, with a Spanish/Portuguese family name before it
        prev = keys[n - 2]
        if (
            not initials[n - 2]
            and prev in idx.hispanic
            and (prev not in given_names or keys[n - 1] in idx.hispanic)
        ):
            start = n - 2
    return tokens[:1], tokens[1:start], tokens[start:], "western"


def _movable(family: _Word, given: _Word, tables: NameTables) -> bool:
    """Whether a name written family first can be shown given first: the family word, shown
    last, is no post-nominal and no "and" (which would join two people), and the given word,
    shown first, no title (else the shown name would read otherwise)."""
    return (
        family.suffix not in tables.suffixes
        and family.acronym is None
        and family.text not in _CONJUNCTIONS
        and _title_of(given, tables) is None
    )


def _dot_initials(text: str) -> str:
    """``"j r"`` → ``"J. R."``: initials upper case and with a dot (not the particle ``y``)."""
    return " ".join(
        (t[0].upper() + ".") if _is_initial(t) and t not in ("y", "e") else t for t in text.split()
    )


_Parsed = tuple[
    "str | None", "str | None", "str | None", "str | None", "str | None", "str | None",
    "str | None", "str | None", "str | None", "str | None", "str | None", "str | None",
    bool, "tuple[str, ...]", "str | None", "str | None",
]  # fmt: skip


def _non_person(text: str | None, script: str | None, issues: list[str]) -> _Parsed:
    return (None, None, None, None, None, None, text or None, script, None, None, None, None,
            False, tuple(issues), None, None)  # fmt: skip


def _parse_text(text: str, locale: str | None = None, tables: NameTables | None = None) -> _Parsed:
    """Parse cleaned name text (``tables`` ``None``: the shipped ones)."""
    if tables is None:
        tables = _shipped_tables()
    parsed = _parse_plain(text, locale, tables) or _parse_general(text, locale, tables)
    display = parsed[6]
    if display is not None and display != text and not display.isascii():
        # re-casing can make text that the clean-up would change again ("â¡" -> "Â¡", which
        # reads as mis-decoded UTF-8): parse the cleaned form, so that parsing is idempotent
        cleaned = _clean(display)
        if cleaned != display:
            if cleaned is None:
                return _non_person(None, None, ["placeholder_name"])
            parsed = _parse_plain(cleaned, locale, tables) or _parse_general(
                cleaned, locale, tables
            )
    if parsed[4] is not None and "," in text:  # post-nominals set apart by commas
        parsed = _settled(parsed, locale, tables)
    return parsed


#: :func:`_parse_text` cached per distinct text, locale and tables; ``_parse_default(text)``
#: is the usual call (no locale, the shipped tables), whose cache is keyed by the text alone
#: (no key tuple per value).
_parse_default: Final = functools.lru_cache(maxsize=65_536)(_parse_text)
_parse_cached: Final = functools.lru_cache(maxsize=65_536)(_parse_text)


def _parse_general(text: str, locale: str | None, tables: NameTables) -> _Parsed:
    """Parse cleaned name text of any shape (:func:`_parse_plain` is the fast path)."""
    issues: list[str] = []
    script = _script(text)
    if script is None:  # no letters at all: "123", "-", "?"
        no_letters = "digits_in_name" if _DIGIT_RE.search(text) else "placeholder_name"
        return _non_person(None, None, [no_letters])
    if "@" in text and _EMAIL_RE.search(text):
        issues.append("email_in_name")
        return _non_person(text, script, issues)
    key = _key(text)
    code = _not_a_person(text, key, tables)
    if code is not None:
        issues.append(code)
        return _non_person(text, script, issues)
    if script in ("han", "kana", "hangul"):
        return _parse_cjk(text, script, issues, tables)
    nickname: str | None = None
    if '"' in text or "(" in text or "'" in text:
        text, nickname = _take_nickname(text, tables)
    if '"' in text or "(" in text or ")" in text:  # stray quotes and brackets
        text = " ".join(text.replace('"', " ").replace("(", " ").replace(")", " ").split())
        if not text:
            return _non_person(None, script, ["placeholder_name"])
    has_digits = bool(_DIGIT_RE.search(text))
    if has_digits:
        issues.append("digits_in_name")
    turkish = _turkish(text, locale)
    dutch = locale == "nl"
    segments = [_words(part.split(), turkish, dutch) for part in text.split(",")]
    segments = [seg for seg in segments if seg]
    if not segments:
        return _non_person(None, script, ["placeholder_name"])
    if "&" in text or "+" in text or _CONJUNCTION_RE.search(text):
        people = _first_person(segments, tables)
        if people is not None:
            segments = people
            issues.append("multiple_people")
            kept = frozenset().union(*[w.scripts for seg in segments for w in seg])
            script = _script_of_set(kept) or script  # of the person kept
            if has_digits and not any(_DIGIT_RE.search(w.text) for seg in segments for w in seg):
                has_digits = False  # the digits were the other person's: the kept name is clean
                issues.remove("digits_in_name")
    given_w, family_w, prefix_parts, posts, given_title = _read_affixes(
        segments, tables, tables is _shipped_tables()
    )
    # "Mr. Smith"; '"Rick" Edmonds': the nickname stands for the given name
    lone_family = (bool(prefix_parts) or nickname is not None) and not given_title
    family_split = None if family_w is None else _split(family_w)
    parts = _read_parts(_split(given_w), family_split, lone_family, script, tables)
    return _assemble(text, script, parts, family_w is not None, prefix_parts, posts, nickname,
                     has_digits, issues, tables, turkish, dutch)  # fmt: skip


def _first_person(segments: list[list[_Word]], tables: NameTables) -> list[list[_Word]] | None:
    """The words of the first of two people written in one name ("John & Jane Smith", "Mr.
    and Mrs. John Smith", "Ronald T. & Karen P. Lindsay", "Smith, John and Jane"), with the
    family name they share; ``None`` when no segment joins two people.

    The first person keeps their own words; titles alone ("Mr. and Mrs.") take the name of
    the second; a lone given name or initials without a title ("John &", "Ronald T. &") take
    the second's family name (its last word, with the particles before it)."""
    for index, seg in enumerate(segments):
        cut = next(
            (i for i in range(1, len(seg) - 1) if seg[i].text in _CONJUNCTIONS), -1
        )
        if cut < 0:
            continue
        after = _segment_posts(seg[cut + 1 :], tables)
        if after is not None and not after[1]:
            continue  # "Jane Smith & MD": post-nominals after "and" are no second person
        first, second = seg[:cut], [w for w in seg[cut + 1 :] if w.text not in _CONJUNCTIONS]
        if not any(c.isalpha() for w in first for c in w.text):
            continue
        titles = 0
        while titles < len(first) and _title_of(first[titles], tables) is not None:
            titles += 1
        if titles and not any(
            _title_of(w, tables)[0] <= _AMBIGUOUS_TITLE  # type: ignore[index]
            for w in first[:titles]
        ):
            titles = 0  # "State &": no title
        end = len(first)
        while end > titles and _post_of(first[end - 1], tables) is not None:
            end -= 1
        name = first[titles:end]
        start = 0  # the second person's name, without their titles
        while start < len(second) - 1 and _title_of(second[start], tables) is not None:
            start += 1
        if not name:
            person = first[:titles] + second[start:] + first[end:]
        else:
            stop = len(second)
            while stop > start + 1 and _post_of(second[stop - 1], tables) is not None:
                stop -= 1
            family = stop - 1
            while family > start + 1 and second[family - 1].low in tables.particles:
                family -= 1
            if (
                family > start
                and any(c.isalpha() for c in second[stop - 1].text)
                and ((not titles and len(name) == 1) or name[-1].initial)
            ):
                person = first[:end] + second[family:stop] + first[end:]
            else:
                person = first
        return [*segments[:index], person, *segments[index + 1 :]]
    return None


def _parse_cjk(text: str, script: str, issues: list[str], tables: NameTables) -> _Parsed:
    """The general path for a Chinese, Japanese or Korean name in its own script: family name
    first, not re-cased."""
    has_digits = bool(_DIGIT_RE.search(text))
    if has_digits:
        issues.append("digits_in_name")
    cjk_family, cjk_given = _split_cjk(text, tables)
    if cjk_given is None:
        issues.append("unsplit_name")
    cjk_key = _key(cjk_family)
    given_key = _key(cjk_given) if cjk_given else None
    return (None, cjk_given, None, cjk_family, None, None, text, script, given_key, given_key,
            cjk_key, _phonetic(cjk_key), not has_digits, tuple(issues), None, None)  # fmt: skip


def _take_nickname(text: str, tables: NameTables) -> tuple[str, str | None]:
    """The text without its quoted or bracketed parts, and the nickname among them
    (``None`` when there is none).

    A nickname stands in double quotes, brackets, single or doubled single quotes
    (``Robert "Bob" Smith``, ``Earl "The Goat" Manigault``, ``Arthur ''Wes'' Willis``). Of
    several such parts the first is the nickname; post-nominals in brackets go back to the
    end of the name (``W. Russell (Jr.) Withers``); a bracketed role or company is a note and
    is dropped (``Jane Smith (Sales)``), and so are the parts after the nickname."""
    nickname: str | None = None
    tail: list[str] = []
    for _ in range(8):
        match = _NICK_RE.search(text)
        if match is None:
            break
        groups = match.groups()
        inner = next(g for g in groups if g is not None).strip()
        if not any(c.isalpha() for c in inner):
            break
        rest = (text[: match.start()] + " " + text[match.end() :]).strip()
        quoted = match.group(0).strip()
        if quoted in rest:  # the same nickname typed twice
            rest = " ".join(rest.replace(quoted, " ").split())
        if not any(c.isalpha() for c in rest):
            if nickname is None and not tail:  # '"Jane Smith"': quotes around the whole name
                return inner, None
            break
        text = rest
        words = inner.split()
        if all(_suffix_form(w.strip(",")) in tables.suffixes for w in words):
            tail += words
            continue
        if groups[1] is not None and _not_a_person(inner, _key(inner), tables) in (
            "role_in_name",
            "company_in_name",
        ):
            continue  # "Jane Smith (Sales)": a note, not a nickname
        if nickname is None:
            nickname = inner
    if tail:
        text = text + " " + " ".join(tail)
    return text, nickname


def _parse_plain(text: str, locale: str | None, tables: NameTables) -> _Parsed | None:
    """The fast path of :func:`_parse_general` for the usual shape of a name, or ``None``.

    It takes text whose tokens are letters (digits too), dots, hyphens and apostrophes only
    (see :func:`_plain_words`), in any script but Chinese, Japanese and Korean, with commas
    only at the end of a word and before more words (``"Smith, Jane A."``, ``"Doe, John,
    Jr."``), and no "and" between words: ``"Jane Smith"``, ``"JOHN A. MCDONALD JR."``,
    ``"Dr. Mary-Jane O'Neil"``, ``"Smith, Jane"``, ``"Иван Петров"``. For such text most steps
    of the general path are known to do nothing, so they are skipped:

    * there is no ``@``, no quote or bracket, so no e-mail, no stray quotes, and no nickname
      (the quoted-nickname pattern needs an apostrophe at the start of a word);
    * the script is that of the words' letters (for ASCII words with a letter, ``"latin"``);
    * with no ``&``, ``+`` or "and" word inside (the words' :attr:`_Word.affix` bits tell),
      the two-people branch is not taken.

    The rest is the general path on cached :class:`_Word` s: the whole-text key is the keys of
    the words joined (as :func:`_key` computes it for text of several words; mis-decoded text,
    which it keys as a whole, is left to the general path); titles and post-nominals are read
    by :func:`_read_affixes`, skipped when the words' affix bits show there are none (the
    usual name, and "Last, First") and read directly for the usual affixed name
    (:func:`_simple_affixes`); and :func:`_assemble` (or, for the commonest shapes,
    :func:`_assemble_simple`) finishes as for any name. Anything else returns ``None`` and
    the general path parses the text. ``bench_name_idempotence.py`` checks that both paths
    agree on a million random strings.
    """
    ascii = text.isascii()
    if ascii:
        turkish = locale == "tr" or locale == "az"  # the Turkish hint letters are not ASCII
    elif _script_of(text[0]) in _CJK_SCRIPTS or MOJIBAKE_RE.search(text):
        return None  # most likely a Chinese, Japanese or Korean name; or mis-decoded text
    else:  # as _turkish
        turkish = locale == "tr" or locale == "az" or TURKISH_HINT_RE.search(text) is not None
    dutch = locale == "nl"
    if "," in text:
        if _CONJUNCTION_RE.search(text):
            return None
        found_comma = _plain_segments(text, turkish, dutch)
        if found_comma is None:
            return None
        raw, segments, has_digits = found_comma
    else:
        if turkish or dutch:
            raw = [_plain_word(tok, turkish, dutch) for tok in text.split(" ")]  # type: ignore[misc]
        else:
            raw = list(map(_plain_word_default, text.split(" ")))  # type: ignore[arg-type]
        has_digits = False
        if not all(raw):  # a token that is not plain, or has a digit: as _plain_words
            found = _plain_words(text, turkish, dutch)
            if found is None:
                return None
            raw, has_digits = found
        segments = [raw]
    dotted = "." in text and _inner_dot(text)
    words = _split(raw) if dotted else raw
    if len(words) == 2 and words[0].key and words[1].key:
        key = words[0].key + " " + words[1].key
    else:  # a word may have no key: "Ӛ" transliterates to nothing
        key = words[0].key if len(words) == 1 else " ".join(filter(None, map(_KEY_OF, words)))
    script: str | None = "latin"  # ASCII words with letters only
    if has_digits or not ascii:
        script = _script_of_set(frozenset().union(*map(_SCRIPTS_OF, words)))
        if script is None or script in _CJK_SCRIPTS:
            return None
    native = list(map(_NATIVE_OF, raw)) if not ascii or "." in text else None
    code = _not_a_person(text, key, tables, native)
    if code is not None:
        return _non_person(text, script, [code])
    shipped = tables is _shipped_tables()
    if len(segments) == 1:
        if shipped:
            if len(raw) == 2:  # the commonest shape, inline
                free = not (raw[0].affix & _MAY_TITLE or raw[1].affix & _MAY_POST)
            else:
                found_free = _plain_free(raw)
                if found_free is None:
                    return None  # "and" between two people: the general path
                free = found_free
        else:
            if _CONJUNCTION_RE.search(text):
                return None
            free = _affix_free(raw, tables)
    elif len(segments) == 2 and shipped and _plain_comma_free(segments[0], segments[1]):
        # "Smith, Jane Marie": family, given, no affix
        head, tail = segments
        given_t = _split(tail) if dotted else tail
        family_t = _split(head) if dotted else head
        return _plain_assemble(text, script, given_t, family_t, [], [], False, has_digits,
                               tables, turkish, dutch)  # fmt: skip
    else:
        free = False
    if free:
        if not has_digits and _assigns_simply(words, script, tables):
            return _assemble_simple(text, script, words[0], words[1:-1], words[-1:],
                                    [], [], tables, True)  # fmt: skip
        return _plain_assemble(text, script, words, None, [], [], False, has_digits, tables,
                               turkish, dutch)  # fmt: skip
    affixes = _simple_affixes(raw) if shipped and len(segments) == 1 else None
    if affixes is None:
        affixes = _read_affixes(segments, tables, shipped)
    given_w, family_w, prefix_parts, posts, given_title = affixes
    tokens = _split(given_w) if dotted else given_w
    family = None if family_w is None else (_split(family_w) if dotted else family_w)
    if family is None:
        if not has_digits and _assigns_simply(tokens, script, tables):
            return _assemble_simple(text, script, tokens[0], tokens[1:-1], tokens[-1:],
                                    prefix_parts, posts, tables, True)  # fmt: skip
        return _plain_assemble(text, script, tokens, family, prefix_parts, posts, given_title,
                               has_digits, tables, turkish, dutch)  # fmt: skip
    # family first with affixes: assembled (and settled) as the general path does
    parts = _read_parts(tokens, family, False, script, tables)
    return _assemble(text, script, parts, True, prefix_parts, posts, None, has_digits,
                     ["digits_in_name"] if has_digits else [], tables, turkish,
                     dutch)  # fmt: skip


def _simple_affixes(words: list[_Word]) -> _Affixes | None:
    """:func:`_read_affixes` (shipped tables) for the usual name with affixes, or ``None``:
    one title word (``Dr.``) not followed by another, and/or one unambiguous post-nominal
    (``Jr.``, ``PhD``) not preceded by another, and no post-nominal between (``"Dr. John A.
    Smith Jr."``). For these words :func:`_read_affixes` takes the post-nominal at the end,
    finds none inside, then takes the title (a title of kind ``title``, with a name after
    it), which is what this reads directly."""
    tables = _shipped_tables()
    n = len(words)
    start, stop = 0, n
    prefixes: list[str] = []
    posts: list[tuple[str, bool]] = []
    if n > 1 and words[-1].affix & _MAY_POST:
        last = words[-1]
        post = _post_of(last, tables)
        if (
            post is None
            or post[2]
            or last.suffix in tables.suffix_phrase_ends
            or words[-2].affix & _MAY_POST
        ):
            return None
        posts.append(post[:2])
        stop = n - 1
    if words[0].affix & _MAY_TITLE:
        title = _title_of(words[0], tables)
        if title is None or title[0] != _TITLE or stop < 2 or words[1].affix & _MAY_TITLE:
            return None
        prefixes.append(title[1])
        start = 1
    for k in range(1, n - 1):
        if words[k].affix & _MAY_POST:
            return None
    return words[start:stop], None, prefixes, posts, False


def _plain_free(words: list[_Word]) -> bool | None:
    """With the shipped tables, whether :func:`_read_affixes` finds nothing in these words of
    a name without a comma (``False`` when it may find something), or ``None`` when an inner
    word joins two people. Read from the words' :attr:`_Word.affix` bits."""
    free = not (words[0].affix & _MAY_TITLE)
    n = len(words)
    if n > 1:
        if words[-1].affix & _MAY_POST:
            free = False
        for k in range(1, n - 1):
            bits = words[k].affix
            if bits:
                if bits & _MAY_JOIN:
                    return None
                if bits & _MAY_POST:
                    free = False
    return free


def _plain_comma_free(head: list[_Word], tail: list[_Word]) -> bool:
    """With the shipped tables, whether :func:`_read_affixes` reads ``"Head, Tail"`` as
    family and given words with no affix: no post-nominal ends either part or stands inside
    the name as shown (tail, then head), no title starts the tail or ends the head."""
    if tail[-1].affix or head[-1].affix or tail[0].affix & (_MAY_TITLE | _MAY_JOIN):
        return False
    return not any(word.affix & (_MAY_POST | _MAY_JOIN) for word in [*tail[1:], *head[:-1]])


def _plain_segments(
    text: str, turkish: bool, dutch: bool
) -> tuple[list[_Word], list[list[_Word]], bool] | None:
    """The words of text with commas, each comma at the end of a word and before more
    words (``"Smith, Jane"``, ``"Doe, John A., Jr."``): (all the words, the words of each
    comma-separated part, whether a word has a digit); ``None`` for any other text."""
    raw: list[_Word] = []
    segments: list[list[_Word]] = []
    has_digits = False
    for part in text.split(", "):
        if not part or "," in part:
            return None
        found = _plain_words(part, turkish, dutch)
        if found is None:
            return None
        segments.append(found[0])
        raw += found[0]
        has_digits = has_digits or found[1]
    return raw, segments, has_digits


def _plain_assemble(
    text: str,
    script: str | None,
    tokens: list[_Word],
    comma_family: list[_Word] | None,
    prefix_parts: list[str],
    posts: list[tuple[str, bool]],
    given_title: bool,
    has_digits: bool,
    tables: NameTables,
    turkish: bool,
    dutch: bool,
) -> _Parsed:
    """The end of the plain path for words :func:`_assigns_simply` does not take: read the
    parts, and assemble them simply where that is safe, else as the general path does."""
    lone_family = bool(prefix_parts) and not given_title
    parts = _read_parts(tokens, comma_family, lone_family, script, tables)
    if not has_digits and parts is not None:
        given_t, middle_t, family_t, order = parts
        if (
            len(given_t) == 1
            and family_t
            and order != "asian"
            and not given_t[0].initial
            and not any(map(_INITIAL_OF, family_t))
        ):  # "Smith, Jane Marie", "Helen van Dijk", "Петров Иван Иванович"
            western = comma_family is None and order == "western"
            return _assemble_simple(text, script, given_t[0], middle_t, family_t, prefix_parts,
                                    posts, tables, western)  # fmt: skip
    return _assemble(text, script, parts, comma_family is not None, prefix_parts, posts, None,
                     has_digits, ["digits_in_name"] if has_digits else [], tables, turkish,
                     dutch)  # fmt: skip


def _plain_words(text: str, turkish: bool, dutch: bool) -> tuple[list[_Word], bool] | None:
    """The words of single-spaced text, and whether one has a digit; ``None`` when a token
    is not plain (then the general path parses the text). Run-together initials are not
    split yet (:func:`_split`)."""
    tokens = text.split(" ")
    if turkish or dutch:
        words = [_plain_word(tok, turkish, dutch) for tok in tokens]
    else:
        words = list(map(_plain_word_default, tokens))
    if all(words):
        return words, False  # type: ignore[return-value]
    # a token with a digit ("Smith 2") is plain too: the name gets digits_in_name
    words = [w or _digits_word(tok, turkish, dutch) for w, tok in zip(words, tokens, strict=True)]
    return (words, True) if all(words) else None  # type: ignore[return-value]


def _inner_dot(text: str) -> bool:
    """Whether a dot is inside a word (not before a space or at the end): only then can a
    word be run-together initials (``J.R.``) for :func:`_split`."""
    return "." in text.replace(". ", " ").rstrip(".")


def _split(words: list[_Word]) -> list[_Word]:
    """The words as :func:`_split_tokens` splits them: ``J.R.`` becomes ``J.`` and ``R.``."""
    out: list[_Word] = []
    for word in words:
        if word.parts is None:
            out.append(word)
        else:
            out.extend(word.parts)
    return out


def _assigns_simply(tokens: list[_Word], script: str | None, tables: NameTables) -> bool:
    """Whether :func:`_assign` reads these words as one given name, initials only in the
    middle, and one family name (``"Jane Smith"``, ``"John A. B. Smith"``).

    That is so when the first and last words are no initials and every other word is one,
    the name is not Cyrillic (family-first Russian names), and none of :func:`_assign`'s other
    readings can apply: with two words, a first word that is a particle (``"van Dyke"``) or a
    Korean ``"Kim Jong-un"``; with more, a particle among the initials (``"y"``), a Vietnamese
    middle name second, or a patronymic ending in a three-word name. (Its all-initials and
    family-then-initials readings need the last word to be an initial, and its saints and
    Spanish double names need a middle word that is not an initial. The Korean, Vietnamese
    and patronymic readings are only for Latin script: refusing them for others too is safe.)
    """
    n = len(tokens)
    if n < 2 or tokens[0].initial or tokens[-1].initial or script == "cyrillic":
        return False
    if n == 2:
        return tokens[0].low not in tables.particles and not (
            "-" in tokens[1].text and tokens[0].key in _index(tables).korean
        )
    for word in tokens[1:-1]:
        if not word.initial or word.low in tables.particles:
            return False
    if tokens[1].key in _index(tables).vietnamese_middle:
        return False
    return n > 3 or not (
        tokens[1].low.endswith(_LATIN_PATRONYMIC_ENDS)
        or tokens[2].low.endswith(_LATIN_PATRONYMIC_ENDS)
    )


def _assemble_simple(
    text: str,
    script: str | None,
    given_w: _Word,
    middle_w: list[_Word],
    family_t: list[_Word],
    prefix_parts: list[str],
    posts: list[tuple[str, bool]],
    tables: NameTables,
    western: bool,
) -> _Parsed:
    """:func:`_assemble` for the commonest shapes: one given word, no initial, then any
    words, then the family name, with no initial in it, in Western order or family first
    (``"Jane Smith"``, ``"Dr. John A. Smith Jr."``, ``"Smith, Jane Marie"``, ``"Helen van
    Dijk"``, ``"Петров Иван Иванович"``), with no digit and no nickname.

    :func:`_parse_plain` sends here only such parts (as :func:`_read_parts` reads them, or
    words :func:`_assigns_simply` accepts). Then :func:`_assemble`'s steps come down to these:
    the given name is cased as a first word (``cased[0]``), the middle words as inner words
    (``cased[2]``), the family words as inner Mac-name words (``cased[3]``); initials in the
    middle get their dots (``middle``; the given and family words are no initials, and casing
    does not make one); the name is not all initials and has both parts, so only
    ``bad_casing`` and, for a one-word family name in Western order written without a comma
    (``western``), ``possible_swapped_names`` can be issues, and the name is valid. Casing
    and dots go word by word, so they are read from the words' cached forms.
    """
    given = given_w.cased[0]
    bad = given != given_w.text
    if len(family_t) == 1:
        family_w = family_t[0]
        family = family_w.cased[3]
        bad = bad or family != family_w.text
        family_key = family_w.cased_keys[3]
        # (the first test of _swapped inline: most family names are no given names)
        swapped = (
            western and family_w.key in tables.given_names and _swapped(given_w, family_w, tables)
        )
    else:  # "van Dijk"
        family = " ".join([w.cased[3] for w in family_t])
        bad = bad or family != _texts(family_t)
        family_key = _key(family)
        swapped = False
    middle = None
    if middle_w:  # _dot_initials works word by word
        if len(middle_w) == 1:
            middle = middle_w[0].middle
            bad = bad or middle_w[0].cased[2] != middle_w[0].text
        else:
            middle = " ".join(map(_MIDDLE_OF, middle_w))
            bad = bad or any(w.cased[2] != w.text for w in middle_w)
    issues: tuple[str, ...] = ("bad_casing",) if bad else ()
    if swapped:
        issues += ("possible_swapped_names",)
    prefix = (" ".join(prefix_parts) or None) if prefix_parts else None
    if posts:
        gen, cred, suffix = _suffixes(posts)
    else:
        gen = cred = suffix = None
    if prefix is None and middle is None and suffix is None:
        display = given + " " + family
    else:
        display = " ".join(filter(None, (prefix, given, middle, family, suffix)))
    return (prefix, given, middle, family, suffix, None, display, script, given_w.cased_keys[0],
            _canonical(given, tables), family_key, _phonetic(family_key), True,
            issues, gen, cred)  # fmt: skip


def _suffixes(posts: list[tuple[str, bool]]) -> tuple[str | None, str | None, str | None]:
    """The generation, the credentials, and the suffix (all post-nominals as written)."""
    gen = " ".join([shown for shown, generational in posts if generational]) or None
    cred = " ".join([shown for shown, generational in posts if not generational]) or None
    return gen, cred, " ".join([shown for shown, _ in posts]) or None


def _read_parts(
    tokens: list[_Word],
    comma_family: list[_Word] | None,
    lone_family: bool,
    script: str | None,
    tables: NameTables,
) -> tuple[list[_Word], list[_Word], list[_Word], str] | None:
    """Given, middle and family words, and the order (see :func:`_assign`), from the words
    left once prefixes and suffixes are taken off; ``None`` when no word is left.
    ``lone_family``: one word left is a family name ("Mr. Smith", '"Rick" Edmonds')."""
    if comma_family is not None:
        return tokens[:1], tokens[1:], comma_family, "western"
    if len(tokens) == 1 and lone_family and not tokens[0].initial:
        return [], [], tokens, "western"  # "Mr. Smith"
    if tokens:
        return _assign(tokens, script, tables)
    return None


def _assemble(
    text: str,
    script: str | None,
    parts: tuple[list[_Word], list[_Word], list[_Word], str] | None,
    comma: bool,
    prefix_parts: list[str],
    posts: list[tuple[str, bool]],
    nickname: str | None,
    has_digits: bool,
    issues: list[str],
    tables: NameTables,
    turkish: bool,
    dutch: bool,
) -> _Parsed:
    """The end of parsing, shared by the general and the plain path: from the parts
    :func:`_read_parts` found (``comma``: written family first, with a comma), their casing,
    the issues that depend on them, and the keys."""
    if parts is None:
        issues.append("placeholder_name")
        return _non_person(text, script, issues)
    given_t, middle_t, family_t, order = parts
    mac_given = not family_t  # a single word may be a family name: MacKenzie
    given = _case_words(given_t, False, mac_given) if given_t else None
    middle = None
    if middle_t:
        middle = (
            " ".join([w.cased[0] for w in middle_t])
            if order == "asian"  # "NGUYEN VAN AN": Văn is no particle here
            else _case_words(middle_t, True, False)
        )
    family = None
    if family_t:  # a particle typed in lower case stays so ("van Dyke" alone)
        inner = bool(given_t) or (len(family_t) > 1 and family_t[0].text == family_t[0].low)
        family = _case_words(family_t, inner, True)
    if (
        (given is not None and given != _texts(given_t))
        or (middle is not None and middle != _texts(middle_t))
        or (family is not None and family != _texts(family_t))
    ):
        issues.append("bad_casing")
    all_t = given_t + middle_t + family_t
    any_initials = any(map(_INITIAL_OF, all_t))
    if any_initials and not has_digits:
        if given is not None and all(map(_INITIAL_OF, given_t)):
            given = _dot_initials(given)
        if middle is not None:
            middle = _dot_initials(middle)
        if family is not None and (len(family_t) > 1 or family_t[0].initial):
            family = _dot_initials(family)  # "Smith J, Jane": as it would be in Western order
    if nickname is not None and (nickname.islower() or (len(nickname) > 2 and text.isupper())):
        nickname = _case_tokens(nickname.split(), turkish, False, True, dutch)  # not "JJ"
    prefix = " ".join(prefix_parts) or None
    gen, cred, suffix = _suffixes(posts)
    # an initial is at most two characters, so "every short word is an initial" (as the
    # issue is defined) is "every word is an initial"
    all_initials = any_initials and all(map(_INITIAL_OF, all_t))
    if all_initials:
        issues.append("only_initials")
    if given is None or family is None:
        issues.append("single_name")
    elif (
        not comma
        and order == "western"
        and len(given_t) == 1
        and len(family_t) == 1
        and _swapped(given_t[0], family_t[0], tables)
    ):
        issues.append("possible_swapped_names")
    if order == "asian":
        if given is not None and "-" in given and given_t[0].text.isupper():
            head, _, tail = given.partition("-")
            given = head + "-" + tail.lower()  # "KIM JONG-UN" -> "Kim Jong-un"
        shown: tuple[str | None, ...] = (prefix, family, middle, given, suffix)
    else:
        shown = (prefix, given, middle, family, suffix)
    display = " ".join(filter(None, shown))
    given_key = _key(given) if given else None
    family_key = _key(family) if family else None
    valid = not has_digits and not all_initials
    parsed = (prefix, given, middle, family, suffix, nickname, display, script, given_key,
              _canonical(given, tables) if given else None, family_key, _phonetic(family_key),
              valid, tuple(issues), gen, cred)  # fmt: skip
    if comma or order == "family_first":
        return _settled(parsed, "tr" if turkish else "nl" if dutch else None, tables)
    return parsed


_SETTLING: Final = threading.local()


def _settled(parsed: _Parsed, locale: str | None, tables: NameTables) -> _Parsed:
    """A name shown otherwise than it was written (family first, or post-nominals set apart
    by commas), as its display reads: when the display, parsed again, reads otherwise (``"J
    L, Cooper"`` is shown ``"Cooper J. L."``, which reads as family name and initials), the
    second reading, with the nickname and the issues of the first, so that parsing the
    display again changes nothing. Two levels deep at most."""
    display = parsed[6]
    depth = getattr(_SETTLING, "depth", 0)
    if display is None or depth >= 2:
        return parsed
    _SETTLING.depth = depth + 1
    try:
        again = _parse_text(display, locale, tables)
    finally:
        _SETTLING.depth = depth
    if again[6] == display:
        return parsed
    issues = tuple(dict.fromkeys(parsed[13] + again[13]))
    return (*again[:5], parsed[5], *again[6:13], issues, *again[14:])


def _swapped(given: _Word, family: _Word, tables: NameTables) -> bool:
    """A family name that is a common given name, after a given name that is not one."""
    g, f = given.key, family.key
    names = tables.given_names
    if f not in names or g in names or len(g) <= 2 or " " in f or given.initial:
        return False
    kinds = tables.family_kinds.get(f)
    return kinds is None or "also_given" not in kinds


def _call_tables(locale: object, tables: object) -> tuple[str | None, NameTables | None]:
    """The checked locale and tables of a call that names either; the tables are ``None`` when
    they are the shipped ones and no locale is given (the usual call, with caches of its own)."""
    loc = _check_locale(locale) if locale is not None else None
    custom: NameTables | None = _tables(tables)
    if loc is None and custom is _shipped_tables():
        custom = None
    return loc, custom


def parse_name(
    value: object, *, locale: str | None = None, tables: NameTables | None = None
) -> PersonName:
    """Parse a person's full name into its parts and standardize it.

    Reads ``"First Last"``, ``"Last, First Middle"``, prefixes (Dr., Mr., Prof., ...), suffixes
    (Jr., III, PhD, ...), nicknames in quotes or brackets, initials (``"J.R.R. Tolkien"``),
    particles (van der, de la, bin, al-), Mc/Mac/O'/D' names, hyphenated and double family
    names (García Márquez), St. John, Russian patronymics and the family-first forms
    ``"Петров Иван Иванович"`` and ``"Иванов И. И."``, Vietnamese and romanized Korean
    family-first names, and native-script Chinese, Japanese and Korean names (family first,
    not re-cased). Text that is no person's name gets an issue code and ``valid=False``:
    ``placeholder_name`` (``"N/A"``, ``"test test"``, ``"asdf"``), ``fake_name``
    (``"Mickey Mouse"``), ``company_in_name`` (``"Acme Inc"``), ``role_in_name``
    (``"Accounts Payable"``), ``email_in_name``. A single word comes back as the given name
    (``"jane"`` → ``"Jane"``), properly cased, with ``single_name``.

    Args:
        value: any cell value; nulls and empty text give ``display=None`` and ``missing``.
        locale: a language hint: ``"tr"``/``"az"`` (Turkish i/İ and ı/I casing), ``"nl"``
            (Dutch IJ), others are accepted (``"ru"``, ``"ja"``, ...) and change nothing yet.
        tables: reference tables from :func:`name_tables`; the shipped ones by default.

    Raises:
        ConfigError: unknown locale.
        TypeError: ``locale`` is not a str or ``tables`` not a :class:`NameTables`.

    Example:
        >>> n = parse_name("smith, jane")
        >>> n.given, n.family, n.display
        ('Jane', 'Smith', 'Jane Smith')
        >>> n = parse_name('Robert "Bob" van der BERG')
        >>> n.family, n.nickname, n.given_canonical, n.family_key
        ('van der Berg', 'Bob', 'robert', 'van der berg')
        >>> parse_name("王伟").family, parse_name("王伟").given
        ('王', '伟')
    """
    custom: NameTables | None = None  # None: no locale, the shipped tables (the usual call)
    if locale is not None or tables is not None:
        loc, custom = _call_tables(locale, tables)
    if type(value) is str:
        raw: str | None = value
    else:
        raw, problem = coerce_text(value)
        if raw is None:
            return PersonName(original=value, issues=(problem or "missing",))
    assert raw is not None
    too_long = len(raw) > MAX_NAME_CHARS
    text = _clean(raw[:MAX_NAME_CHARS] if too_long else raw)
    if text is None:
        return PersonName(
            original=value, issues=("too_long", "missing") if too_long else ("missing",)
        )
    parsed = _parse_default(text) if custom is None else _parse_cached(text, loc, custom)
    if too_long:
        parsed = (*parsed[:13], ("too_long", *parsed[13]), *parsed[14:])
    return PersonName(value, *parsed)


#: The columns of :func:`parse_names`, one per :class:`PersonName` attribute but ``original``.
NAME_COLUMNS: Final = (
    "prefix", "given", "middle", "family", "suffix", "nickname", "display", "script",
    "given_key", "given_canonical", "family_key", "family_phonetic", "valid", "issues",
    "generation", "credentials",
)  # fmt: skip
_NO_NAME: Final = (None,) * 12 + (False,)  # a row with no name, before its issues


def parse_names(
    values: object, *, locale: str | None = None, tables: NameTables | None = None
) -> Any:
    """Parse a whole column of full names at once: the column form of :func:`parse_name`, for
    ETL jobs and DataFrames.

    Each cell is read exactly as :func:`parse_name` reads it; the results come back as columns
    (one per :class:`PersonName` attribute but ``original``, in :data:`NAME_COLUMNS`) rather
    than one object per cell. The table has one row per input cell, in order: a pandas Series
    gives a pandas DataFrame (same index), a polars Series a polars DataFrame, a pyarrow Array
    a pyarrow Table, and any other column (list, tuple, numpy array, iterator) a dict of lists.

    Args:
        values: a column of cell values; nulls give ``valid=False`` with ``missing``.
        locale: as for :func:`parse_name`.
        tables: as for :func:`parse_name`.

    Raises:
        ConfigError: unknown locale.
        TypeError: ``locale`` is not a str, ``tables`` not a :class:`NameTables`, or
            ``values`` is a single str.

    Example:
        >>> cols = parse_names(["smith, jane", "DR. JOHN A. MCDONALD JR.", None])
        >>> cols["display"]
        ['Jane Smith', 'Dr. John A. McDonald Jr.', None]
        >>> cols["family_key"], cols["issues"][2]
        (['smith', 'mcdonald', None], ('missing',))
    """
    custom: NameTables | None = None  # as in parse_name
    loc: str | None = None
    if locale is not None or tables is not None:
        loc, custom = _call_tables(locale, tables)
    column = as_list(values)
    rows: list[tuple[Any, ...]] = []
    add = rows.append
    for value in column:
        if type(value) is str:
            raw: str | None = value
        else:
            raw, problem = coerce_text(value)
            if raw is None:
                add((*_NO_NAME, (problem or "missing",), None, None))
                continue
        assert raw is not None
        too_long = len(raw) > MAX_NAME_CHARS
        text = _clean(raw[:MAX_NAME_CHARS] if too_long else raw)
        if text is None:
            add((*_NO_NAME, ("too_long", "missing") if too_long else ("missing",), None, None))
            continue
        parsed = _parse_default(text) if custom is None else _parse_cached(text, loc, custom)
        add((*parsed[:13], ("too_long", *parsed[13]), *parsed[14:]) if too_long else parsed)
    # one field at a time (twice as fast as zip(*rows) on a long column)
    columns = {name: list(map(operator.itemgetter(i), rows)) for i, name in enumerate(NAME_COLUMNS)}
    return column_table(columns, values)


def normalize_name_part(
    value: object,
    *,
    part: str = "given",
    locale: str | None = None,
    tables: NameTables | None = None,
) -> NamePart:
    """Standardize a single name column (first name, middle name or last name).

    The cell is cased with :func:`case_name`; placeholders (``"N/A"``, ``"test"``, ``"xxx"``)
    give ``text=None``, and text that is not a name (digits, a company, a role) keeps its text
    with an issue code; a cell holding only an initial gets ``only_initials``.

    Example:
        >>> r = normalize_name_part("jane")
        >>> r.text, r.key, r.issues
        ('Jane', 'jane', ('bad_casing',))
        >>> normalize_name_part("N/A").issues
        ('placeholder_name',)
    """
    tab = _tables(tables)
    text = case_name(value, part=part, locale=locale)
    if text is None:
        raw, problem = coerce_text(value)
        code = problem if raw is None and problem else "missing"
        return NamePart(original=value, text=None, key=None, valid=False, issues=(code,))
    issues: list[str] = []
    raw_text, _ = coerce_text(value)
    if raw_text is not None and len(raw_text) > MAX_NAME_CHARS:
        issues.append("too_long")
    key = _key(text)
    script = _script(text)
    problem = None if script is None else _not_a_person(text, key, tab)
    if script is None or problem in ("placeholder_name", "fake_name"):
        return NamePart(original=value, text=None, key=None, valid=False,
                        issues=(*issues, problem or "placeholder_name"))  # fmt: skip
    if problem is not None:
        issues.append(problem)
    if _DIGIT_RE.search(text):
        issues.append("digits_in_name")
    cleaned = _clean(str(raw_text)) or ""
    cased = [w for w in cleaned.split() if any(c.isupper() or c.islower() for c in w)]
    if cased and all(_bad_case(w) for w in cased) and cleaned != text:
        issues.append("bad_casing")
    if all(_is_initial(t) for t in text.split()):
        issues.append("only_initials")
    valid = not any(c in issues for c in ("company_in_name", "role_in_name", "digits_in_name"))
    return NamePart(original=value, text=text, key=key or None, valid=valid, issues=tuple(issues))
