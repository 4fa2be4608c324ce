"""Person names: parse into parts, case them properly, flag what is not a person, and key them.

:func:`parse_name` reads the ways CRM fields hold a name (``"jane SMITH"``, ``"Smith, Jane"``,
``"Dr. JOHN A. MCDONALD JR."``, ``'Robert "Bob" Smith'``, ``"иван петров"``, ``"王伟"``) into
prefix, given, middle, family, suffix and nickname, with a properly cased display form in the
name's own script. For matching it adds ASCII keys (``Иванов`` → ``ivanov``), the formal given
name behind a nickname (``Bob`` → ``robert``) and a phonetic key of the family name.
:func:`case_name` cases one name part alone, for first-name and last-name columns.
"""

from __future__ import annotations

import functools
import re
from typing import Final

import attrs
import jellyfish

from crmclean.errors import ConfigError
from crmclean.normalize._base import MAX_VALUE_CHARS, coerce_text, require_str
from crmclean.normalize.data import load_lines, load_rows
from crmclean.normalize.text import match_key, normalize_text

__all__ = ["NamePart", "PersonName", "canonical_given_name", "case_name", "normalize_name_part",
           "parse_name"]  # fmt: skip

LOCALES: Final = ("en", "tr", "az", "ru", "uk", "de", "fr", "es", "pt", "it", "nl", "el", "zh",
                  "ja", "ko")  # fmt: skip
_MAX_NAME_CHARS: Final = 200

_PREFIXES: Final = {
    "mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "miss": "Miss", "mx": "Mx.", "dr": "Dr.",
    "prof": "Prof.", "professor": "Prof.", "sir": "Sir", "dame": "Dame", "lady": "Lady",
    "lord": "Lord", "rev": "Rev.", "fr": "Fr.", "hon": "Hon.", "herr": "Herr", "frau": "Frau",
    "mme": "Mme", "mlle": "Mlle", "sra": "Sra.", "srta": "Srta.", "sig": "Sig.", "dott": "Dott.",
    "capt": "Capt.", "col": "Col.", "gen": "Gen.", "sgt": "Sgt.", "lt": "Lt.", "adv": "Adv.",
    "г-н": "г-н", "г-жа": "г-жа",
}  # fmt: skip
_SUFFIXES: Final = {
    "jr": "Jr.", "jnr": "Jr.", "sr": "Sr.", "snr": "Sr.", "ii": "II", "iii": "III", "iv": "IV",
    "v": "V", "phd": "PhD", "md": "MD", "dds": "DDS", "esq": "Esq.", "cpa": "CPA", "mba": "MBA",
    "jd": "JD", "rn": "RN", "dvm": "DVM", "pe": "PE", "ret": "Ret.", "obe": "OBE", "mbe": "MBE",
    "cbe": "CBE", "frcs": "FRCS", "msc": "MSc", "bsc": "BSc", "ma": "MA", "ba": "BA",
}  # fmt: skip
_PARTICLES: Final = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "delle", "dello", "da", "das", "dos", "do",
     "di", "du", "des", "le", "la", "lo", "bin", "binti", "bint", "ibn", "al", "el", "ter", "ten",
     "zu", "y", "e", "af", "av", "ben", "ap", "op", "het", "'t"}
)  # fmt: skip
# Mac-names that are not Mac + capitalized name: Macy, Mack, Machado, ...
_MAC_EXCEPTIONS: Final = frozenset(
    {"mac", "macy", "mack", "macey", "mackie", "mackey", "machado", "macias", "macedo", "maciel",
     "macon", "mace", "macho", "machin", "macek", "macri", "macario", "macaulay", "mackenzie",
     "macklin", "macchi", "maccio", "mach", "machen", "machal", "macke", "maceo",
     "macha", "macomber", "macrae", "maceda", "macina", "macinnis", "macal"}
)  # fmt: skip
_PLACEHOLDERS: Final = frozenset(
    {"n a", "na", "none", "null", "nil", "unknown", "unk", "tbd", "tba", "no name", "noname",
     "name", "first last", "firstname lastname", "first name last name", "test", "test test",
     "testing", "tester", "asdf", "asdf asdf", "qwerty", "xxx", "xx", "x", "abc", "abc abc",
     "aaa", "blah", "foo", "foo bar", "dummy", "sample", "sample name", "customer", "client",
     "guest", "user", "anonymous", "anon", "not provided", "not available", "no", "yes", "-",
     "mr", "mrs", "ms", "dr"}
)  # fmt: skip
_FAKE_NAMES: Final = frozenset(
    {"mickey mouse", "minnie mouse", "donald duck", "john doe", "jane doe", "joe bloggs",
     "john smith test", "homer simpson", "bart simpson", "santa claus", "bugs bunny",
     "darth vader", "harry potter", "spongebob squarepants", "max mustermann",
     "erika mustermann", "ivan ivanov test", "fulano de tal", "test user", "mister x"}
)  # fmt: skip
_COMPANY_WORDS: Final = frozenset(
    {"inc", "llc", "ltd", "limited", "gmbh", "corp", "corporation", "company", "co", "plc",
     "llp", "ag", "sa", "sas", "sarl", "bv", "nv", "srl", "spa", "ooo", "zao", "oao", "pao",
     "as", "holdings", "group", "incorporated", "enterprises", "solutions", "technologies",
     "services", "consulting", "partners", "associates", "foundation", "university", "bank",
     "ооо", "зао", "оао", "пао", "ао", "ип", "kk", "pty", "pvt", "sdn", "bhd", "ltda"}
)  # fmt: skip
_ROLE_PHRASES: Final = frozenset(
    {"accounts payable", "accounts receivable", "accounting", "billing", "sales", "sales team",
     "support", "customer support", "customer service", "help desk", "helpdesk", "info",
     "information", "admin", "administrator", "marketing", "marketing team", "hr",
     "human resources", "reception", "front desk", "office", "office manager", "team",
     "purchasing", "procurement", "legal", "finance", "it department", "it support",
     "webmaster", "postmaster", "noreply", "no reply", "orders", "careers", "jobs", "press",
     "media", "contact", "general inquiries", "the team", "management", "owner"}
)  # fmt: skip
_PATRONYMIC_RE: Final = re.compile(
    r"(?:ович|евич|ьич|ична|инична|овна|евна)$|(?:ovich|evich|ovna|evna)$"
)
_NICK_RE: Final = re.compile(r"\s*(?:\"([^\"]+)\"|\(([^()]+)\)|'([^']{2,})'(?=\s|$))\s*")
_DIGIT_RE: Final = re.compile(r"\d")
_SPLIT_RE: Final = re.compile(r"\s+")
_TURKISH_HINT_RE: Final = re.compile("[İıŞşĞğ]")
_TURKISH_LOWER: Final = str.maketrans({"I": "ı", "İ": "i"})
_TURKISH_UPPER: Final = str.maketrans({"i": "İ", "ı": "I"})


@attrs.frozen
class PersonName:
    """The result of :func:`parse_name`.

    Attributes:
        original: the value exactly as given.
        prefix, given, middle, family, suffix, nickname: the parts, properly cased.
        display: the full name properly cased, in its own script (family first for Chinese,
            Japanese and Korean names in native script).
        script: ``"latin"``, ``"cyrillic"``, ``"greek"``, ``"han"``, ``"kana"``, ``"hangul"``,
            ``"arabic"``, ``"hebrew"``, ``"other"`` or ``"mixed"``.
        given_key, family_key: ASCII match keys (``"Иванов"`` → ``"ivanov"``).
        given_canonical: the formal given name behind a nickname, as a key (``Bob`` → ``robert``).
        family_phonetic: the Metaphone code of the family name, for blocking.
        valid: a plausible person name was found.
        issues: issue codes (see :data:`crmclean.ISSUE_CODES`).

    Example:
        >>> n = parse_name("Dr. JOHN A. MCDONALD JR.")
        >>> n.prefix, n.given, n.middle, n.family, n.suffix
        ('Dr.', 'John', 'A.', 'McDonald', 'Jr.')
        >>> n.display
        'Dr. John A. McDonald Jr.'
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


@functools.lru_cache(maxsize=262_144)
def _k(text: str) -> str | None:
    """match_key, cached: name words repeat across a column even when full names do not."""
    return match_key(text)


_PLAIN_ASCII_RE: Final = re.compile(r"[ -~]*")
_SPECIAL_ASCII_RE: Final = re.compile(r"[*^~`|\\<>={}\[\]_]|  |^ | $")


def _clean_text(raw: str) -> str | None:
    """normalize_text(strip_special=True), with a fast path for plain printable ASCII."""
    if raw.isascii() and _PLAIN_ASCII_RE.fullmatch(raw) and not _SPECIAL_ASCII_RE.search(raw):
        return raw or None
    return normalize_text(raw, strip_special=True).text


@functools.cache
def _nicknames() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in load_rows("names_nicknames.csv"):
        key = match_key(row["nickname"]) or ""
        out.setdefault(key, match_key(row["canonical"]) or "")
    return out


@functools.cache
def _given_names() -> frozenset[str]:
    return frozenset(load_lines("names_given.txt")) | frozenset(_nicknames().values())


@functools.cache
def _cjk_families() -> tuple[str, ...]:
    return tuple(sorted(load_lines("names_cjk_family.txt"), key=len, reverse=True))


# --- scripts and casing --------------------------------------------------------------------


def _script_of(ch: str) -> str | None:
    code = ord(ch)
    if code < 0x250:
        return "latin" if ch.isalpha() else None
    if 0x370 <= code < 0x400 or 0x1F00 <= code < 0x2000:
        return "greek"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    if 0x590 <= code < 0x600:
        return "hebrew"
    if 0x600 <= code < 0x700 or 0x750 <= code < 0x780:
        return "arabic"
    if 0x3040 <= code < 0x3100 or 0x31F0 <= code < 0x3200 or 0xFF66 <= code < 0xFFA0:
        return "kana"
    if 0xAC00 <= code < 0xD7B0 or 0x1100 <= code < 0x1200 or 0x3130 <= code < 0x3190:
        return "hangul"
    if (0x4E00 <= code < 0xA000 or 0x3400 <= code < 0x4DC0 or 0x20000 <= code < 0x2FA20
            or 0x3005 <= code <= 0x3007):  # fmt: skip
        return "han"
    if 0x1E00 <= code < 0x1F00:
        return "latin"
    return "other" if ch.isalpha() else None


def _script(text: str) -> str | None:
    if text.isascii():
        return "latin" if any(c.isalpha() for c in text) else None
    found = {s for s in map(_script_of, text) if s is not None}
    if not found:
        return None
    if found <= {"han", "kana"}:
        return "kana" if "kana" in found else "han"
    if len(found) == 1:
        return found.pop()
    return "mixed"


def _lower(word: str, turkish: bool) -> str:
    return word.translate(_TURKISH_LOWER).lower() if turkish else word.lower()


def _upper_first(word: str, turkish: bool) -> str:
    if not word:
        return word
    first = word[0].translate(_TURKISH_UPPER) if turkish else word[0]
    return first.upper() + word[1:]


def _cap(word: str, turkish: bool) -> str:
    """Case one word: ``"mcdonald"`` → ``"McDonald"``, ``"o'neil"`` → ``"O'Neil"``."""
    low = _lower(word, turkish)
    if "-" in low:
        return "-".join(_cap(part, turkish) for part in low.split("-"))
    if "'" in low:
        head, _, tail = low.partition("'")
        if len(head) == 1 and head in "odl" and tail:
            return head.upper() + "'" + _cap(tail, turkish)
        if head in ("d", "l") and not tail:
            return low
        return _upper_first(head, turkish) + "'" + tail
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + _upper_first(low[2:], turkish)
    if low.startswith("mac") and len(low) > 5 and low not in _MAC_EXCEPTIONS:
        return "Mac" + _upper_first(low[3:], turkish)
    return _upper_first(low, turkish)


def _needs_casing(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper == len(letters) or upper == 0


@functools.lru_cache(maxsize=262_144)
def _case_word(word: str, *, turkish: bool, inner: bool) -> str:
    """Case one token of a name; particles stay lower case inside a name."""
    if not _needs_casing(word):
        return word
    low = _lower(word, turkish).strip(".")
    if inner and low in _PARTICLES:
        return _lower(word, turkish)
    if low in ("st", "ste") and word[-1:] == ".":
        return low.capitalize() + "."
    if len(word) == 2 and word[1] == "." and word[0].isalpha():  # an initial
        return _upper_first(word, turkish)
    return _cap(word, turkish)


def _turkish(text: str, locale: str | None) -> bool:
    return locale in ("tr", "az") or bool(_TURKISH_HINT_RE.search(text))


@functools.lru_cache(maxsize=65_536)
def _case_tokens(text: str, turkish: bool) -> str:
    tokens = text.split(" ")
    return " ".join(
        _case_word(tok, turkish=turkish, inner=i > 0) for i, tok in enumerate(tokens)
    )


def case_name(value: object, *, part: str = "any", locale: str | None = None) -> str | None:
    """Properly case one name part alone: a first-name or last-name cell.

    Only names typed in all capitals or all lower case are re-cased; a name that already mixes
    cases (``"DeVito"``, ``"McKenzie"``) is kept as typed. Chinese, Japanese and Korean names are
    never changed.

    Args:
        value: any cell value.
        part: ``"given"``, ``"middle"``, ``"family"`` or ``"any"``; a family name starting with
            a particle (``"van der berg"``) gets it capitalized (``"Van der Berg"``).
        locale: ``"tr"``/``"az"`` for Turkish dotted and dotless i (found by itself when the
            name holds ``İ``, ``ı``, ``ş`` or ``ğ``).

    Example:
        >>> case_name("mcdonald"), case_name("O'NEIL"), case_name("İSMAİL"), case_name("иван")
        ('McDonald', "O'Neil", 'İsmail', 'Иван')
        >>> case_name("van der berg", part="family")
        'Van der Berg'
    """
    if part not in ("given", "middle", "family", "any"):
        raise ConfigError(f"unknown name part {part!r}: expected given, middle, family or any")
    _check_locale(locale)
    raw, _ = coerce_text(value)
    if raw is None:
        return None
    text = normalize_text(raw[:_MAX_NAME_CHARS], strip_special=True).text
    if text is None:
        return None
    return _case_tokens(text, _turkish(text, locale))


def _check_locale(locale: object) -> str | None:
    code = require_str("locale", locale)
    if code is None:
        return None
    low = code.lower().split("-")[0].split("_")[0]
    if low not in LOCALES:
        raise ConfigError(f"unknown locale {code!r}: expected one of {', '.join(LOCALES)}")
    return low


# --- keys ----------------------------------------------------------------------------------


def canonical_given_name(value: str) -> str:
    """The formal given name behind a nickname, as a match key (``"Bobby"`` → ``"robert"``).

    Names that are not nicknames come back as their own match key.

    Example:
        >>> canonical_given_name("Bobby"), canonical_given_name("Саша"), canonical_given_name("Ann")
        ('robert', 'aleksandr', 'ann')
    """
    key = _k(value) or ""
    first = key.split(" ", 1)[0]
    return _nicknames().get(first, first)


def _phonetic(key: str | None) -> str | None:
    if not key:
        return None
    letters = "".join(c for c in key if "a" <= c <= "z")
    return jellyfish.metaphone(letters) or None if letters else None


# --- parsing -------------------------------------------------------------------------------


def _is_initial(token: str) -> bool:
    stripped = token.rstrip(".")
    return len(stripped) == 1 and stripped.isalpha()


def _classify(key: str, tokens: list[str]) -> str | None:
    """An issue code when the text is not a person's name."""
    if key in _PLACEHOLDERS or (len(set(key.replace(" ", ""))) == 1 and len(key) > 1):
        return "placeholder_name"
    if key in _FAKE_NAMES:
        return "fake_name"
    words = key.split()
    if any(w in _COMPANY_WORDS for w in words[1:]) or (
        words and words[0] in ("ооо", "зао", "оао", "пао", "ooo")
    ):
        return "company_in_name"
    if key in _ROLE_PHRASES or (len(words) <= 3 and words and words[-1] in ("team", "dept",
                                                                              "department")):
        return "role_in_name"
    if len(words) == 2 and words[0] == words[1] and len(words[0]) > 1:
        return "placeholder_name"
    return None


def _split_cjk(text: str) -> tuple[str, str | None]:
    """Family and given of a native-script CJK name (family first)."""
    if " " in text:
        family, _, given = text.partition(" ")
        return family, given.replace(" ", "") or None
    for family in _cjk_families():
        if text.startswith(family) and len(text) > len(family):
            return family, text[len(family) :]
    if 2 <= len(text) <= 4 and all(_script_of(c) == "han" for c in text):
        return text[0], text[1:]  # Chinese family names are almost all one character
    return text, None


def parse_name(value: object, *, locale: str | None = None) -> PersonName:
    """Parse a person's full name into its parts and standardize it.

    Reads ``"First Last"``, ``"Last, First Middle"``, prefixes (Dr., Mr., Prof., ...), suffixes
    (Jr., III, PhD, ...), nicknames in quotes or brackets, initials, particles (van der, de la,
    bin, al-), Mc/Mac/O'/D' names, hyphenated and double family names, Russian patronymics
    (also family-first ``"Петров Иван Иванович"``) and native-script Chinese, Japanese and
    Korean names (family first, not re-cased). Text that is no person's name gets an issue code:
    ``placeholder_name`` (``"N/A"``, ``"test test"``, ``"asdf"``), ``fake_name``
    (``"Mickey Mouse"``), ``company_in_name`` (``"Acme Inc"``), ``role_in_name``
    (``"Accounts Payable"``).

    Args:
        value: any cell value.
        locale: a language hint such as ``"tr"`` (Turkish casing), ``"ru"``, ``"ja"``.

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
    loc = _check_locale(locale)
    raw, problem = coerce_text(value)
    if raw is None:
        return PersonName(original=value, issues=(problem or "missing",))
    issues: list[str] = []
    if len(raw) > _MAX_NAME_CHARS:
        raw = raw[: min(_MAX_NAME_CHARS, MAX_VALUE_CHARS)]
        issues.append("too_long")
    text = _clean_text(raw)
    if text is None:
        return PersonName(original=value, issues=(*issues, "missing"))
    return _parse(value, text, loc, tuple(issues))


@functools.lru_cache(maxsize=65_536)
def _parse(value: object, text: str, locale: str | None, issues_in: tuple[str, ...]) -> PersonName:
    issues = list(issues_in)
    script = _script(text)
    key = " ".join(k for k in map(_k, text.split()) if k)
    if not key and script is None:
        return PersonName(original=value, issues=(*issues, "placeholder_name"))
    if _DIGIT_RE.search(text):
        issues.append("digits_in_name")
    problem = _classify(key, text.split())
    if problem is not None:
        issues.append(problem)
        return PersonName(
            original=value, display=text, script=script, valid=False, issues=tuple(issues)
        )
    if script in ("han", "kana", "hangul"):
        cjk_family, cjk_given = _split_cjk(text)
        if cjk_given is None:
            issues.append("unsplit_name")
        cjk_family_key = _k(cjk_family)
        cjk_given_key = _k(cjk_given) if cjk_given else None
        return PersonName(
            original=value,
            given=cjk_given,
            family=cjk_family,
            display=text,
            script=script,
            given_key=cjk_given_key,
            given_canonical=cjk_given_key,
            family_key=cjk_family_key,
            family_phonetic=_phonetic(cjk_family_key),
            valid=True,
            issues=tuple(issues),
        )
    nickname: str | None = None
    match = _NICK_RE.search(text)
    if match:
        nickname = next(g for g in match.groups() if g).strip()
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
    turkish = _turkish(text, locale)
    text = text.replace(" ,", ",")
    prefix_parts: list[str] = []
    suffix_parts: list[str] = []
    family_first = False
    if "," in text:
        head, _, tail = text.partition(",")
        tail_tokens = [t for t in _SPLIT_RE.split(tail.replace(",", " ")) if t]
        if tail_tokens and all(t.lower().strip(".") in _SUFFIXES for t in tail_tokens):
            suffix_parts = tail_tokens
            text = head
        elif tail_tokens:
            family_first = True
            while len(tail_tokens) > 1 and tail_tokens[-1].lower().strip(".") in _SUFFIXES:
                suffix_parts.insert(0, tail_tokens.pop())
            tail = " ".join(tail_tokens)
            # "Smith, Jane Jr." / "Smith, Dr. Jane"
            text = tail.replace(",", " ") + " , " + head
    tokens = [t for t in _SPLIT_RE.split(text) if t]
    while tokens and tokens[0].lower().rstrip(".") in _PREFIXES and len(tokens) > 1:
        prefix_parts.append(_PREFIXES[tokens.pop(0).lower().rstrip(".")])
    while len(tokens) > 1 and tokens[-1].lower().strip(".,") in _SUFFIXES and not (
        len(tokens) == 2 and tokens[-1].lower().strip(".") in ("v", "ma", "ba", "pe")
    ):
        tok = tokens.pop().lower().strip(".,")
        suffix_parts.insert(0, _SUFFIXES[tok])
    for tok in list(suffix_parts):
        low = tok.lower().strip(".")
        if low in _SUFFIXES:
            suffix_parts[suffix_parts.index(tok)] = _SUFFIXES[low]
    given_tokens: list[str]
    middle_tokens: list[str] = []
    family_tokens: list[str]
    if family_first and "," in tokens:
        cut = tokens.index(",")
        first_part, family_tokens = tokens[:cut], tokens[cut + 1 :]
        given_tokens, middle_tokens = first_part[:1], first_part[1:]
    else:
        tokens = [t for t in tokens if t != ","]
        given_tokens, middle_tokens, family_tokens = _assign(tokens, script)
    letters = "".join(c for c in "".join(given_tokens + middle_tokens + family_tokens)
                      if c.isalpha())  # fmt: skip
    if len(letters) > 1 and _needs_casing(letters):
        issues.append("bad_casing")
    # case the name as a whole: a particle is lower case inside it, capitalized at its start
    cased = _case_tokens(" ".join(given_tokens + middle_tokens + family_tokens), turkish)
    cased_tokens = cased.split(" ")
    n_given, n_middle = len(given_tokens), len(middle_tokens)
    given = " ".join(cased_tokens[:n_given]) or None
    middle = " ".join(cased_tokens[n_given : n_given + n_middle]) or None
    family = " ".join(cased_tokens[n_given + n_middle :]) or None
    if given and all(_is_initial(t) for t in given.split()):
        given = " ".join(t if t.endswith(".") else t + "." for t in given.split())
    if middle:
        middle = " ".join(t + "." if _is_initial(t) and not t.endswith(".") else t
                          for t in middle.split())  # fmt: skip
    if nickname is not None and len(nickname) > 3:
        nickname = _case_tokens(nickname, turkish)
    prefix = " ".join(prefix_parts) or None
    suffix = " ".join(suffix_parts) or None
    if given is None and family is None:
        issues.append("placeholder_name")
        return PersonName(original=value, script=script, issues=tuple(issues))
    if given and all(_is_initial(t) for t in given.split()) and (
        family is None or all(_is_initial(t) for t in family.split())
    ):
        issues.append("only_initials")
    if family is None:
        issues.append("single_name")
    if given and family and _swapped(given, family):
        issues.append("possible_swapped_names")
    display = " ".join(p for p in (prefix, given, middle, family, suffix) if p)
    given_key = " ".join(filter(None, map(_k, given.split()))) or None if given else None
    family_key = " ".join(filter(None, map(_k, family.split()))) or None if family else None
    return PersonName(
        original=value,
        prefix=prefix,
        given=given,
        middle=middle,
        family=family,
        suffix=suffix,
        nickname=nickname,
        display=display,
        script=script,
        given_key=given_key,
        given_canonical=canonical_given_name(given) if given else None,
        family_key=family_key,
        family_phonetic=_phonetic(family_key),
        valid="only_initials" not in issues,
        issues=tuple(issues),
    )


def _assign(tokens: list[str], script: str | None) -> tuple[list[str], list[str], list[str]]:
    """Split name tokens (no prefixes/suffixes) into given, middle and family."""
    if len(tokens) == 1:
        return tokens, [], []
    lows = [t.lower() for t in tokens]
    if lows[0] in _PARTICLES and len(tokens) <= 3:  # "van der Berg": a family name alone
        return [], [], tokens
    # Russian: "Петров Иван Иванович" (family first) or "Иван Иванович Петров"
    if len(tokens) == 3:
        if _PATRONYMIC_RE.search(lows[2]) and not _PATRONYMIC_RE.search(lows[1]):
            return [tokens[1]], [tokens[2]], [tokens[0]]
        if _PATRONYMIC_RE.search(lows[1]):
            return [tokens[0]], [tokens[1]], [tokens[2]]
    # the family name starts at the first particle after the given name, else it is the last
    # token, plus any earlier tokens that are not given names or initials (García Márquez)
    start = len(tokens) - 1
    for i in range(1, len(tokens) - 1):
        if lows[i].strip(".") in _PARTICLES or lows[i] in ("st.", "st", "saint", "ste."):
            start = i
            break
    else:
        while start - 1 >= 1:
            prev = tokens[start - 1]
            if _is_initial(prev) or _k(prev) in _given_names() or script != "latin":
                break
            if len(tokens) - start >= 2:
                break
            start -= 1
    return tokens[:1], tokens[1:start], tokens[start:]


def _swapped(given: str, family: str) -> bool:
    """A family name that is a common given name and a given name that is not."""
    names = _given_names()
    g, f = _k(given) or "", _k(family) or ""
    return f in names and g not in names and len(g) > 2 and " " not in f


def normalize_name_part(
    value: object, *, part: str = "given", locale: str | None = None
) -> NamePart:
    """Standardize a single name column (first name, middle name or last name).

    The cell is cased with :func:`case_name`; placeholders (``"N/A"``, ``"test"``, ``"xxx"``)
    and text that is not a name (digits, a company) get issue codes, and a cell holding only
    an initial gets ``only_initials``.

    Example:
        >>> r = normalize_name_part("jane")
        >>> r.text, r.key, r.issues
        ('Jane', 'jane', ('bad_casing',))
        >>> normalize_name_part("N/A").issues
        ('placeholder_name',)
    """
    text = case_name(value, part=part, locale=locale)
    if text is None:
        raw, problem = coerce_text(value)
        code = problem if raw is None and problem else "missing"
        return NamePart(original=value, text=None, key=None, valid=False, issues=(code,))
    issues: list[str] = []
    raw_text, _ = coerce_text(value)
    if raw_text is not None and len(raw_text) > _MAX_NAME_CHARS:
        issues.append("too_long")
    key = match_key(text) or ""
    problem = _classify(key, text.split())
    if problem in ("placeholder_name", "fake_name") or (not key and _script(text) is None):
        return NamePart(original=value, text=None, key=None, valid=False,
                        issues=(*issues, problem or "placeholder_name"))  # fmt: skip
    if problem is not None:
        issues.append(problem)
    if _DIGIT_RE.search(text):
        issues.append("digits_in_name")
    letters = "".join(c for c in str(raw_text) if c.isalpha())
    if _script(text) in ("latin", "cyrillic", "greek") and len(letters) > 1 and _needs_casing(
        letters
    ):
        issues.append("bad_casing")
    if _is_initial(text):
        issues.append("only_initials")
    valid = not any(c in issues for c in ("company_in_name", "role_in_name", "digits_in_name"))
    return NamePart(original=value, text=text, key=key or None, valid=valid, issues=tuple(issues))
