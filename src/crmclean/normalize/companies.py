"""Company names: a clean display name, the legal form, and a key for matching.

CRM company fields hold one organisation in many spellings: ``"Acme Inc"``, ``"ACME, INC."``,
``"Acme Incorporated"``, ``"The ACME Corp."``, ``"acme.com"``. :func:`normalize_company` finds
the legal form in any of its spellings (``Incorporated`` → ``Inc.``, ``Gesellschaft mit
beschränkter Haftung`` → ``GmbH``, ``(株)`` → ``株式会社``, ``Общество с ограниченной
ответственностью`` → ``ООО``), writes the name with the canonical form and with sensible casing,
and builds a key under which all of these spellings meet (``"acme"``). Values that name no
company ("N/A", "self-employed", "retired", a web domain) get issue codes.

The reference tables (legal forms, word folding, known casings, placeholders) are CSV files in
``crmclean/normalize/data``; :func:`load_company_tables` builds a table set with your own rows
added, to pass as ``tables=``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from crmclean.errors import ConfigError
from crmclean.normalize._base import MAX_VALUE_CHARS, coerce_text, require_bool
from crmclean.normalize.data import load_rows, load_set
from crmclean.normalize.text import match_key, normalize_text

__all__ = [
    "Company",
    "CompanyTables",
    "LegalForm",
    "company_key",
    "load_company_tables",
    "normalize_company",
]

_POSITIONS: Final = frozenset({"suffix", "prefix", "both"})
_PLACEHOLDER_ISSUES: Final = frozenset({"placeholder_company", "self_employed", "not_employed"})
_TOKEN_RE: Final = re.compile(r"[^\s,]+")
_MOJIBAKE_HINT_RE: Final = re.compile("[\u00c2-\u00f4]")
_CJK_RE: Final = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_HAN_KANA_RE: Final = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_CYRILLIC_RE: Final = re.compile("[\u0400-\u04ff]")
_TURKISH_RE: Final = re.compile("[ğĞşŞıİ]")
_LOOSE_TABLE: Final = str.maketrans({".": None, "(": None, ")": None, "-": " "})
_LOOSE_TABLE_KEEP_PARENS: Final = str.maketrans({".": None, "-": " "})
_FOLD_RE: Final = re.compile(r"[\W_]+")
_NON_ALNUM_RE: Final = re.compile(r"[^0-9a-z]+")
_EDGE: Final = " ,;:-/|&+*·•"
_CORE_RE: Final = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
_PART_SPLIT_RE: Final = re.compile(r"([-&+/.])")
_DOTTED_RE: Final = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?\.?")
_DIGITS_LETTERS_RE: Final = re.compile(r"(\d+)([^\W\d_]*)")
_ORDINALS: Final = frozenset({"st", "nd", "rd", "th", "e", "er", "eme", "ème", "o", "a", "te"})
_DOMAIN_RE: Final = re.compile(
    r"(?:https?://)?(?:www\d?\.)?"
    r"((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,24}))\.?(?:[/?#]\S*)?",
    re.IGNORECASE,
)
_EMAIL_RE: Final = re.compile(
    r"[^@\s]+@((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,24}))", re.IGNORECASE
)
# Second-level labels under a country code that are not the company's own name (acme.co.uk).
_SECOND_LEVEL: Final = frozenset(
    {"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "ltd", "plc", "gen", "biz"}
)
# Words written in lower case inside a re-cased name (never as its first word).
_MINOR: Final = frozenset(
    {
        "of", "and", "the", "for", "in", "on", "at", "to", "by", "de", "du", "des", "la", "le",
        "les", "der", "die", "das", "den", "und", "van", "von", "da", "do", "dos",
        "del", "di", "et", "en", "au", "aux", "zu", "für", "och", "og", "ve", "и",
    }
)  # fmt: skip
# Two to five letters without a vowel are read as an acronym (KPMG, HSBC, МТС) except these.
_CONSONANTS: Final = frozenset(
    "bcdfghjklmnpqrstvwxzçčćďđģķļľłňńñŗřśšťźžż"
    "бвгджзйклмнпрстфхцчшщъь"
    "βγδζθκλμνξπρσςτφχψ"
)
_NOT_ACRONYMS: Final = frozenset(
    {
        "st", "mr", "mrs", "ms", "dr", "jr", "sr", "mt", "ft", "nr", "str", "pl", "ltd", "pty",
        "pvt", "bhd", "sdn", "mfg", "mfrs", "svc", "svcs", "ctr", "mgmt", "dept", "natl", "hldg",
        "hldgs", "grp", "intl", "cntr", "vlg", "dpt",
    }
)  # fmt: skip


@attrs.frozen
class LegalForm:
    """A company legal form (entity type), as listed in ``company_legal_forms.csv``.

    Attributes:
        canonical: the abbreviation crmclean writes ("Inc.", "GmbH", "ООО", "株式会社").
        countries: ISO 3166-1 alpha-2 codes of the jurisdictions whose law defines the form.
        position: ``"suffix"``, ``"prefix"`` or ``"both"``: where the form stands in a name.

    Example:
        >>> LegalForm("GmbH", ("DE", "AT", "CH", "LI")).country is None
        True
        >>> LegalForm("UG (haftungsbeschränkt)", ("DE",)).country
        'DE'
    """

    canonical: str
    countries: tuple[str, ...] = ()
    position: str = "suffix"

    @property
    def country(self) -> str | None:
        """The country of a form that exists in one jurisdiction only, else ``None``."""
        return self.countries[0] if len(self.countries) == 1 else None


@attrs.frozen(eq=False)
class CompanyTables:
    """The reference tables :func:`normalize_company` reads, built by
    :func:`load_company_tables` (the default set is built once and shared).

    Attributes:
        legal_forms: every legal form known, in table order.

    Example:
        >>> tables = load_company_tables(
        ...     legal_forms=[{"canonical": "Kft.", "countries": "HU", "spellings": "Kft|KFT."}]
        ... )
        >>> any(form.canonical == "GmbH" for form in tables.legal_forms)
        True
    """

    legal_forms: tuple[LegalForm, ...]
    _suffix_exact: dict[str, LegalForm] = attrs.field(repr=False)
    _suffix_loose: dict[str, LegalForm] = attrs.field(repr=False)
    _prefix_exact: dict[str, LegalForm] = attrs.field(repr=False)
    _prefix_loose: dict[str, LegalForm] = attrs.field(repr=False)
    _suffix_last: dict[str, tuple[int, ...]] = attrs.field(repr=False)
    _prefix_first: dict[str, tuple[int, ...]] = attrs.field(repr=False)
    _attached_suffix: tuple[tuple[str, LegalForm], ...] = attrs.field(repr=False)
    _attached_prefix: tuple[tuple[str, LegalForm], ...] = attrs.field(repr=False)
    _max_tokens: int = attrs.field(repr=False)
    _words: dict[str, tuple[str, bool]] = attrs.field(repr=False)
    _pair_heads: frozenset[str] = attrs.field(repr=False)
    _casing: dict[str, str] = attrs.field(repr=False)
    _placeholders: dict[str, str] = attrs.field(repr=False)
    _not_acronyms: frozenset[str] = attrs.field(repr=False)


@attrs.frozen
class Company:
    """The result of :func:`normalize_company`.

    Attributes:
        original: the value exactly as given.
        name: the cleaned display name with the canonical legal form ("Acme Inc."), or
            ``None`` when the value names no company.
        base_name: the name without its legal form ("Acme").
        legal_form: the canonical legal form ("Inc.", "GmbH", "ООО", "株式会社"), or ``None``.
        legal_form_country: ISO 3166-1 alpha-2 code when the legal form exists in one
            country only ("UG (haftungsbeschränkt)" → "DE"; "GmbH" → ``None``).
        key: the matching key: transliterated, lower case, no legal form, no punctuation,
            ``&`` read as "and", a leading "The" dropped.
        valid: the value names a company.
        issues: issue codes (see :data:`crmclean.ISSUE_CODES`).

    Example:
        >>> c = normalize_company("ACME, INC.")
        >>> c.name, c.base_name, c.legal_form, c.key
        ('Acme Inc.', 'Acme', 'Inc.', 'acme')
    """

    original: object
    name: str | None = None
    base_name: str | None = None
    legal_form: str | None = None
    legal_form_country: str | None = None
    key: str | None = None
    valid: bool = False
    issues: tuple[str, ...] = ()

    @property
    def value(self) -> str | None:
        """The standardized value (same as :attr:`name`)."""
        return self.name


# --- building the tables ----------------------------------------------------------------------


def _exact(token: str) -> str:
    """A token as compared with spellings written exactly: lower case, Turkish-safe."""
    if token.isascii():
        return token.lower()
    return token.replace("İ", "i").lower().replace("\u0307", "")


def _strip_accents(text: str) -> str:
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and out[-1] < "\u3000":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@functools.lru_cache(maxsize=16_384)
def _loose(exact: str) -> str:
    """A token as compared loosely: also without dots, balanced parentheses and accents."""
    if exact.count("(") == exact.count(")"):
        text = exact.translate(_LOOSE_TABLE)
    else:
        text = exact.translate(_LOOSE_TABLE_KEEP_PARENS)
    if not text.isascii():
        text = _strip_accents(text)
    return text.strip()


def _spelling_keys(spelling: str) -> tuple[int, str, str]:
    tokens = _TOKEN_RE.findall(spelling)
    exacts = [_exact(t) for t in tokens]
    looses = [x for x in (_loose(e) for e in exacts) if x]
    return len(tokens), " ".join(exacts), " ".join(looses)


def _text_rows(name: str, rows: object) -> list[Mapping[str, str]]:
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Iterable):
        raise TypeError(f"option {name!r} must be an iterable of rows (mappings)")
    out = list(rows)
    for row in out:
        if not isinstance(row, Mapping):
            raise TypeError(f"option {name!r} must hold mappings (column name -> text)")
    return out


def _cell(row: Mapping[str, str], column: str) -> str:
    value = row.get(column)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"table column {column!r} must hold str values")
    return value.strip()


def _parse_legal_form(row: Mapping[str, str]) -> tuple[LegalForm, list[str]]:
    canonical = _cell(row, "canonical")
    spellings = [s.strip() for s in _cell(row, "spellings").split("|") if s.strip()]
    position = _cell(row, "position") or "suffix"
    if not canonical or not spellings or position not in _POSITIONS:
        raise ConfigError(
            "a legal-form row needs 'canonical' and 'spellings' ('|'-separated), and "
            "'position' must be suffix, prefix or both"
        )
    countries = tuple(c.upper() for c in _cell(row, "countries").split())
    if any(len(c) != 2 or not c.isalpha() for c in countries):
        raise ConfigError("legal-form 'countries' must be ISO 3166-1 alpha-2 codes")
    # the canonical spelling itself is always recognized, so that names stay stable
    if canonical not in spellings and "=" + canonical not in spellings:
        spellings.append(canonical)
    return LegalForm(canonical, countries, position), spellings


def load_company_tables(
    *,
    legal_forms: Iterable[Mapping[str, str]] = (),
    words: Iterable[Mapping[str, str]] = (),
    casing: Iterable[str] = (),
    placeholders: Iterable[Mapping[str, str]] = (),
    defaults: bool = True,
) -> CompanyTables:
    """Build the reference tables of :func:`normalize_company`, with your own rows added.

    Rows have the columns of the shipped CSV files (``crmclean/normalize/data/company_*.csv``);
    your rows win over the shipped ones (a legal form with the same canonical spelling
    replaces the shipped one). Pass the result as ``tables=`` to :func:`normalize_company` and
    :func:`company_key`; build it once and reuse it.

    Args:
        legal_forms: rows with ``canonical``, ``spellings`` (``|``-separated), optional
            ``countries`` (space-separated ISO codes) and ``position`` (suffix, prefix, both).
        words: rows with ``word``, ``key`` and ``noise`` (``1``/``0``): key-word folding.
        casing: spellings kept exactly when a name is re-cased ("eBay", "IBM").
        placeholders: rows with ``value`` and ``issue`` (``placeholder_company``,
            ``self_employed`` or ``not_employed``).
        defaults: also load the shipped tables (``False``: only your rows).

    Raises:
        ConfigError: a row is incomplete or has an unknown position, country or issue.
        TypeError: an argument is not an iterable of rows.

    Example:
        >>> tables = load_company_tables(
        ...     legal_forms=[{"canonical": "Kft.", "countries": "HU", "spellings": "Kft|KFT."}],
        ...     casing=["ACME"],
        ... )
        >>> c = normalize_company("acme kft", tables=tables)
        >>> c.name, c.legal_form_country
        ('ACME Kft.', 'HU')
    """
    defaults = require_bool("defaults", defaults)
    form_rows = _text_rows("legal_forms", legal_forms)
    word_rows = _text_rows("words", words)
    placeholder_rows = _text_rows("placeholders", placeholders)
    if isinstance(casing, (str, bytes)) or not isinstance(casing, Iterable):
        raise TypeError("option 'casing' must be an iterable of str")
    casing_list = list(casing)
    if not all(isinstance(c, str) for c in casing_list):
        raise TypeError("option 'casing' must be an iterable of str")

    parsed = [_parse_legal_form(row) for row in form_rows]
    own = {form.canonical for form, _ in parsed}
    if defaults:
        shipped = (_parse_legal_form(row) for row in load_rows("company_legal_forms.csv"))
        parsed += [(form, spellings) for form, spellings in shipped if form.canonical not in own]
    index = _index_spellings(parsed)
    word_map = _word_map(word_rows + (list(load_rows("company_words.csv")) if defaults else []))
    casing_map = _casing_map(
        casing_list + ([r["spelling"] for r in load_rows("company_casing.csv")] if defaults else [])
    )
    placeholder_map = _placeholder_map(
        placeholder_rows + (list(load_rows("company_placeholders.csv")) if defaults else [])
    )
    return CompanyTables(
        legal_forms=tuple(form for form, _ in parsed),
        suffix_exact=index.suffix_exact,
        suffix_loose=index.suffix_loose,
        prefix_exact=index.prefix_exact,
        prefix_loose=index.prefix_loose,
        suffix_last=index.suffix_last,
        prefix_first=index.prefix_first,
        attached_suffix=index.attached_suffix,
        attached_prefix=index.attached_prefix,
        max_tokens=index.max_tokens,
        words=word_map,
        pair_heads=frozenset(w.split(" ")[0] for w in word_map if " " in w),
        casing=casing_map,
        placeholders=placeholder_map,
        not_acronyms=_NOT_ACRONYMS | frozenset(word_map),
    )


@attrs.frozen
class _SpellingIndex:
    """The legal forms' spellings, indexed the ways :class:`CompanyTables` looks them up."""

    suffix_exact: dict[str, LegalForm]
    suffix_loose: dict[str, LegalForm]
    prefix_exact: dict[str, LegalForm]
    prefix_loose: dict[str, LegalForm]
    suffix_last: dict[str, tuple[int, ...]]
    prefix_first: dict[str, tuple[int, ...]]
    attached_suffix: tuple[tuple[str, LegalForm], ...]
    attached_prefix: tuple[tuple[str, LegalForm], ...]
    max_tokens: int


def _index_spellings(parsed: list[tuple[LegalForm, list[str]]]) -> _SpellingIndex:
    """Index each legal form's spellings as a suffix and/or a prefix (the first form given a
    spelling keeps it)."""
    suffix_exact: dict[str, LegalForm] = {}
    suffix_loose: dict[str, LegalForm] = {}
    prefix_exact: dict[str, LegalForm] = {}
    prefix_loose: dict[str, LegalForm] = {}
    # last (first) word of each suffix (prefix) spelling -> the spellings' numbers of tokens
    suffix_last: dict[str, set[int]] = {}
    prefix_first: dict[str, set[int]] = {}
    attached_suffix: dict[str, LegalForm] = {}
    attached_prefix: dict[str, LegalForm] = {}
    max_tokens = 1
    for form, spellings in parsed:
        as_suffix = form.position in ("suffix", "both")
        as_prefix = form.position in ("prefix", "both")
        for spelling in spellings:
            exact_only = spelling.startswith("=")
            spelling = spelling.lstrip("=").strip()
            n_tokens, exact, loose = _spelling_keys(spelling)
            if not n_tokens:
                continue
            max_tokens = max(max_tokens, n_tokens)
            if _CJK_RE.search(spelling):
                if as_suffix:
                    attached_suffix.setdefault(spelling, form)
                if as_prefix:
                    attached_prefix.setdefault(spelling, form)
            for wanted, exact_map, loose_map, edges, edge_word in (
                (as_suffix, suffix_exact, suffix_loose, suffix_last, -1),
                (as_prefix, prefix_exact, prefix_loose, prefix_first, 0),
            ):
                if not wanted:
                    continue
                exact_map.setdefault(exact, form)
                edges.setdefault(exact.split(" ")[edge_word], set()).add(n_tokens)
                if not exact_only and loose:
                    loose_map.setdefault(loose, form)
                    edges.setdefault(loose.split(" ")[edge_word], set()).add(n_tokens)
    return _SpellingIndex(
        suffix_exact=suffix_exact,
        suffix_loose=suffix_loose,
        prefix_exact=prefix_exact,
        prefix_loose=prefix_loose,
        suffix_last={w: tuple(sorted(ns, reverse=True)) for w, ns in suffix_last.items()},
        prefix_first={w: tuple(sorted(ns, reverse=True)) for w, ns in prefix_first.items()},
        attached_suffix=_by_length(attached_suffix),
        attached_prefix=_by_length(attached_prefix),
        max_tokens=max_tokens,
    )


def _by_length(items: dict[str, LegalForm]) -> tuple[tuple[str, LegalForm], ...]:
    """The items, longest spelling first (stable for equal lengths)."""
    return tuple(sorted(items.items(), key=lambda item: -len(item[0])))


def _word_map(rows: list[Mapping[str, str]]) -> dict[str, tuple[str, bool]]:
    """Key-word folding: word's match key → (its key, whether it is noise); first row wins."""
    word_map: dict[str, tuple[str, bool]] = {}
    for row in rows:
        word, key, noise = _cell(row, "word"), _cell(row, "key"), _cell(row, "noise")
        word, key = match_key(word), match_key(key)
        if not word or not key or len(word.split()) > 2 or noise not in ("", "0", "1"):
            raise ConfigError(
                "a word row needs 'word' (one or two words), 'key' and 'noise' (0 or 1)"
            )
        word_map.setdefault(word, (key, noise == "1"))
    return word_map


def _casing_map(spellings: list[str]) -> dict[str, str]:
    """Exact key → the spelling kept when a name is re-cased; first spelling wins."""
    casing_map: dict[str, str] = {}
    for spelling in spellings:
        spelling = spelling.strip()
        if spelling:
            casing_map.setdefault(_exact(spelling), spelling)
    return casing_map


def _placeholder_map(rows: list[Mapping[str, str]]) -> dict[str, str]:
    """Folded placeholder value → its issue code; first row wins."""
    placeholder_map: dict[str, str] = {}
    for row in rows:
        value, issue = _fold(_cell(row, "value")), _cell(row, "issue")
        if not value or issue not in _PLACEHOLDER_ISSUES:
            raise ConfigError(
                "a placeholder row needs 'value' and 'issue' (placeholder_company, "
                "self_employed or not_employed)"
            )
        placeholder_map.setdefault(value, issue)
    return placeholder_map


@functools.cache
def _default_tables() -> CompanyTables:
    return load_company_tables()


# --- finding the legal form ------------------------------------------------------------------


def _window_sizes(edge: str, words: str, sizes: dict[str, tuple[int, ...]]) -> list[int]:
    """How many tokens a legal form ending (starting) with this token may span, longest first:
    ``edge`` is the token as written, ``words`` its loose edge word."""
    by_exact = sizes.get(edge, ())
    by_loose = sizes.get(words, ())
    if not by_loose or by_loose == by_exact:
        return list(by_exact)
    if not by_exact:
        return list(by_loose)
    return sorted(set(by_exact) | set(by_loose), reverse=True)


def _find_suffix(text: str, t: CompanyTables) -> tuple[int, LegalForm] | None:
    """Where a legal form at the end of ``text`` starts, and which form it is."""
    end = len(text.rstrip(" ,"))
    if end:
        last = _exact(text[max(text.rfind(" ", 0, end), text.rfind(",", 0, end)) + 1 : end])
        sizes = _window_sizes(last, _loose(last).rsplit(" ", 1)[-1], t._suffix_last)
        if sizes:
            tokens = [(m.start(), m.group()) for m in _TOKEN_RE.finditer(text)]
            tail = tokens[-sizes[0] :]
            exacts = [_exact(tok) for _, tok in tail]
            looses = [_loose(e) for e in exacts]
            for n in sizes:
                if n > len(tail) or not looses[-n]:  # a lone "(" does not start a form
                    continue
                form = t._suffix_exact.get(" ".join(exacts[-n:]))
                if form is None:
                    form = t._suffix_loose.get(" ".join(x for x in looses[-n:] if x))
                if form is not None:
                    return tail[-n][0], form
    if t._attached_suffix and _CJK_RE.search(text[-12:]):
        for spelling, form in t._attached_suffix:
            if text.endswith(spelling):
                return len(text) - len(spelling), form
    return None


def _find_prefix(text: str, t: CompanyTables) -> tuple[int, LegalForm] | None:
    """Where a legal form at the start of ``text`` ends, and which form it is."""
    first_token = _TOKEN_RE.search(text)
    if first_token is None:
        return None
    first = _exact(first_token.group())
    sizes = _window_sizes(first, _loose(first).split(" ", 1)[0], t._prefix_first)
    if not sizes:
        return None
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        tokens.append((m.end(), m.group()))
        if len(tokens) >= sizes[0]:
            break
    exacts = [_exact(tok) for _, tok in tokens]
    looses = [_loose(e) for e in exacts]
    for n in sizes:
        if n > len(tokens) or not looses[n - 1]:
            continue
        form = t._prefix_exact.get(" ".join(exacts[:n]))
        if form is None:
            form = t._prefix_loose.get(" ".join(x for x in looses[:n] if x))
        if form is not None:
            return tokens[n - 1][0], form
    return None


def _find_attached_prefix(text: str, t: CompanyTables) -> tuple[int, LegalForm] | None:
    """A Chinese, Japanese or Korean legal form at the start, written with or without a space
    ("株式会社トヨタ", "(주)카카오")."""
    if t._attached_prefix and _CJK_RE.search(text[:12]):
        for spelling, form in t._attached_prefix:
            if text.startswith(spelling):
                return len(spelling), form
    return None


def _split(text: str, t: CompanyTables) -> tuple[str, str, LegalForm | None, LegalForm | None]:
    """``(base, trailer, prefix form, suffix form)``; the trailer is a parenthesis after the
    suffix form ("Acme Ltd (UK)")."""
    prefix = None
    found = _find_attached_prefix(text, t)
    if found is not None:
        text, prefix = text[found[0] :].strip(_EDGE), found[1]
    body, trailer = text, ""
    hit = _find_suffix(text, t)
    if hit is None and text.endswith(")"):
        open_at = text.rfind("(")
        if open_at > 0:
            head = text[:open_at].rstrip()
            hit = _find_suffix(head, t)
            if hit is not None:
                body, trailer = head, text[open_at:]
    suffix = None
    if hit is not None:
        body, suffix = body[: hit[0]].strip(_EDGE), hit[1]
    if prefix is None:
        found = _find_prefix(body, t)
        if found is not None:
            body, prefix = body[found[0] :], found[1]
    return body.strip(_EDGE), trailer, prefix, suffix


# --- casing ----------------------------------------------------------------------------------


def _lower(text: str, turkish: bool) -> str:
    if turkish:
        return text.replace("I", "ı").replace("İ", "i").lower()
    if "İ" in text:
        text = text.replace("İ", "i")
    return text.lower()


def _upper(text: str, turkish: bool) -> str:
    if turkish:
        text = text.replace("i", "İ")
    if text.isascii():
        return text.upper()
    # a letter whose capital is two letters (ß -> SS) stays as it is, so that re-casing the
    # result again changes nothing
    return "".join(u if len(u := ch.upper()) == 1 else ch for ch in text)


def _cap_first(text: str, turkish: bool) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + _upper(ch, turkish) + text[i + 1 :]
    return text


def _cap_part(part: str, t: CompanyTables, turkish: bool) -> str:
    """One lower-cased word part (between hyphens, ``&``, dots) written with a capital."""
    if not part:
        return part
    known = t._casing.get(part)
    if known is not None:
        return known
    if len(part) == 1:
        return _upper(part, turkish)
    if part[0].isdigit():
        m = _DIGITS_LETTERS_RE.fullmatch(part)
        if m is None:  # 4x4
            return part
        digits, letters = m.groups()
        if not letters or letters in _ORDINALS:  # 1st, 21st
            return part
        if len(letters) <= 2:  # 3M, 4D
            return digits + _upper(letters, turkish)
        return digits + _cap_first(letters, turkish)  # 4Kids
    if 2 <= len(part) <= 5 and part not in t._not_acronyms and all(c in _CONSONANTS for c in part):
        return _upper(part, turkish)
    if part.startswith("mc") and len(part) > 3 and part[2].isalpha():
        return "Mc" + _cap_first(part[2:], turkish)
    if "'" in part:
        head, _, tail = part.partition("'")
        if len(head) <= 2 and len(tail) > 2:  # O'Reilly, L'Oréal, D'Angelo
            return _cap_first(head, turkish) + "'" + _cap_first(tail, turkish)
        return _cap_first(head, turkish) + "'" + tail  # Macy's
    return _cap_first(part, turkish)


@functools.lru_cache(maxsize=65_536)
def _cap_word(word: str, first: bool, t: CompanyTables, turkish: bool) -> str:
    if word.isalnum():
        lead = trail = ""
        core = word
    else:
        match = _CORE_RE.match(word)
        if match is None:  # pragma: no cover - the pattern matches any string
            return word
        lead, core, trail = match.groups()
    if not core:
        return word
    low = _lower(core, turkish)
    known = t._casing.get(low)
    if known is None and turkish:
        known = t._casing.get(_lower(core, False))
    if known is not None:
        return lead + known + trail
    if not first and low in _MINOR and not trail.startswith("."):  # not the initial "И."
        return lead + low + trail
    if _DOTTED_RE.fullmatch(core):
        return lead + _upper(low, turkish) + trail
    if "." in low and _domain_host(low) is not None:
        return lead + _cap_first(low, turkish) + trail
    parts = _PART_SPLIT_RE.split(low)
    return lead + "".join(
        p if i % 2 else _cap_part(p, t, turkish) for i, p in enumerate(parts)
    ) + trail


def _needs_recase(text: str) -> bool:
    """Whether a name was typed in ALL CAPS or all lower case (then it is re-cased)."""
    return text.isupper() or text.islower()


def _recase(text: str, t: CompanyTables, turkish: bool, *, first: bool = True) -> str:
    """Title-case the words of a name (known acronyms and brands as the table writes them)."""
    out = " ".join(
        _cap_word(w, first and i == 0, t, turkish) for i, w in enumerate(text.split(" "))
    )
    if out.isascii():
        return out
    out = unicodedata.normalize("NFC", out)  # "i̇".upper() is "I" + a combining dot
    if _MOJIBAKE_HINT_RE.search(out) and normalize_text(out).text != out:
        return text  # the new casing would look like mis-decoded text ("Ã©"): keep it as typed
    return out


# --- keys ------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Case-folded text with every run of punctuation and spaces as one space."""
    return _FOLD_RE.sub(" ", text.casefold()).strip()


def _domain_label(host: str) -> str | None:
    """The company's own label of a web domain: "acme" for "www.acme.co.uk"."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) < 2:
        return None
    rest = labels[:-1]
    if rest and rest[0].startswith("www"):
        rest = rest[1:]
    if len(labels[-1]) == 2 and len(rest) >= 2 and rest[-1] in _SECOND_LEVEL:
        rest = rest[:-1]
    return rest[-1] if rest else None


def _domain_host(text: str) -> str | None:
    """The host name when ``text`` is a web domain or URL with a real top-level domain."""
    if " " in text:
        return None
    match = _DOMAIN_RE.fullmatch(text)
    if match is None or match.group(2).lower() not in load_set("tlds.txt"):
        return None
    return match.group(1).lower()


def _make_key(base: str, t: CompanyTables, drop_noise: bool) -> str | None:
    if "." in base:
        host = _domain_host(base)
        label = _domain_label(host) if host is not None else None
        if label:
            base = label
    if "&" in base or "+" in base:
        base = base.replace("&", " and ").replace("+", " and ")
    if "'" in base:
        base = base.replace("'", "")
    if base.isascii():
        raw = _NON_ALNUM_RE.sub(" ", base.lower()).split()
    else:
        raw = match_key(base).split()
    get = t._words.get
    words: list[tuple[str, bool]] = []
    i, count = 0, len(raw)
    while i < count:
        word = raw[i]
        if word in t._pair_heads and i + 1 < count:
            pair = get(word + " " + raw[i + 1])
            if pair is not None:
                words.append(pair)
                i += 2
                continue
        words.append(get(word) or (word, False))
        i += 1
    if len(words) > 1 and words[0][0] == "the":
        words.pop(0)
    if len(words) > 1 and words[-1][0] == "the":
        words.pop()
    # runs of single letters are one word: "U.S. Steel" = "US Steel", "I B M" = "IBM"
    merged = words
    if any(len(w) == 1 for w, _ in words):
        merged = []
        run: list[str] = []
        for entry in [*words, ("", False)]:
            if len(entry[0]) == 1:
                run.append(entry[0])
                continue
            if run:
                merged.append(("".join(run), False))
                run = []
            if entry[0]:
                merged.append(entry)
    if drop_noise:
        kept = [w for w in merged if not w[1]]
        while kept and kept[-1][0] == "and":  # "Müller & Co." -> "muller"
            kept.pop()
        while kept and kept[0][0] == "and":
            kept.pop(0)
        if kept:
            merged = kept
    key = " ".join(w for w, _ in merged)
    return key or None


# --- the normalizer --------------------------------------------------------------------------


def _check_options(tables: object, drop_noise: object) -> tuple[CompanyTables, bool]:
    drop = require_bool("drop_noise", drop_noise)
    if tables is None:
        return _default_tables(), drop
    if not isinstance(tables, CompanyTables):
        raise TypeError(
            f"option 'tables' must be a CompanyTables (see load_company_tables), "
            f"not {type(tables).__name__}"
        )
    return tables, drop


def _placeholder(folded: str, t: CompanyTables, *, numbered: bool = False) -> str | None:
    """The issue of a base name that names no company: a listed placeholder, one character
    repeated ("xxxx") or, unless ``numbered`` companies are allowed ("1234567 Ltd"), digits."""
    issue = t._placeholders.get(folded)
    if issue is not None:
        return issue
    compact = folded.replace(" ", "")
    if (
        not compact
        or (compact.isdigit() and not numbered)
        or (len(compact) >= 4 and len(set(compact)) == 1)
    ):
        return "placeholder_company"
    return None


def _unquote(base: str) -> tuple[str, bool]:
    if len(base) >= 2 and base[0] == base[-1] and base[0] in "\"'":
        inner = base[1:-1]
        if inner.count(base[0]) % 2 == 0:
            return inner.strip(), True
    return base, False


def _guillemets(text: str) -> str:
    return "«" + re.sub(r'"([^"]*)"', r"«\1»", text) + "»"


def _joiner(form: LegalForm) -> str:
    return "" if _HAN_KANA_RE.search(form.canonical) else " "


def normalize_company(
    value: object, *, tables: CompanyTables | None = None, drop_noise: bool = False
) -> Company:
    """Standardize a company name: display name, legal form and matching key.

    The legal form is found at the end ("Acme Inc"), at the start ("ООО «Ромашка»",
    "PT Telkom"), before a closing parenthesis ("Acme Ltd (UK)") or attached without a space
    ("トヨタ株式会社"), in any spelling of ``company_legal_forms.csv`` ("Incorporated",
    "INC", "L.L.C.", "(株)"), and written canonically. A name typed in ALL CAPS or all lower
    case is re-cased (known acronyms and brands such as IBM, SAP and eBay kept as they are
    written); any other casing is the user's and is kept.

    Args:
        value: any cell value.
        tables: reference tables from :func:`load_company_tables` (default: the shipped ones).
        drop_noise: also drop "noise" words from the key ("Co", "Group", "Holdings",
            "International"), so that "Acme Group" meets "Acme". Names keep them.

    Example:
        >>> normalize_company("Acme Incorporated").name
        'Acme Inc.'
        >>> c = normalize_company("ООО «Ромашка»")
        >>> c.base_name, c.legal_form, c.key
        ('Ромашка', 'ООО', 'romashka')
        >>> normalize_company("Müller GmbH & Co. KG").legal_form
        'GmbH & Co. KG'
        >>> c = normalize_company("acme.com")
        >>> c.name, c.issues
        ('Acme', ('domain_as_company',))
        >>> normalize_company("self-employed").issues
        ('self_employed',)
    """
    t, drop = _check_options(tables, drop_noise)
    return _normalize(value, t, drop, again=True)


def _normalize(value: object, t: CompanyTables, drop: bool, *, again: bool) -> Company:
    raw, problem = coerce_text(value)
    if raw is None:
        return Company(original=value, issues=(problem or "missing",))
    issues: list[str] = []
    text = _company_text(raw, issues)
    if text is None:
        return Company(original=value, issues=tuple(issues))
    if not text.strip(_EDGE + "\"'"):  # "-", "&", '""'
        issues.append("placeholder_company")
        return Company(original=value, issues=tuple(issues))
    turkish = _TURKISH_RE.search(text) is not None
    whole = _whole_name(value, text, t, drop, turkish, issues)
    if whole is not None:
        return whole
    return _with_legal_form(value, text, t, drop, turkish, issues, again=again)


def _company_text(raw: str, issues: list[str]) -> str | None:
    """A company cell's text cut to length, cleaned and unquoted (issue codes added to
    ``issues``); None when it is empty."""
    if len(raw) > MAX_VALUE_CHARS:
        raw = raw[:MAX_VALUE_CHARS]
        issues.append("too_long")
    cleaned = normalize_text(raw)
    text = cleaned.text
    issues.extend(code for code in cleaned.issues if code != "missing")
    if text is None:
        issues.append("missing")
        return None
    for _ in range(3):
        stripped, _ = _unquote(text.strip(_EDGE))
        if stripped == text:
            break
        # clean again: removing a character can leave a pair that reads as mis-decoded text
        text = stripped if stripped.isascii() else (normalize_text(stripped).text or "")
    return text


def _whole_name(
    value: object, text: str, t: CompanyTables, drop: bool, turkish: bool, issues: list[str]
) -> Company | None:
    """The result when the name as a whole is a known brand, a placeholder, a web domain or an
    email address; None otherwise."""
    if _exact(text) in t._casing:
        name = _recase(text, t, turkish) if _needs_recase(text) else text
        return Company(
            original=value,
            name=name,
            base_name=name,
            key=_make_key(name, t, drop),
            valid=True,
            issues=tuple(issues),
        )
    issue = t._placeholders.get(_fold(text))
    if issue is not None:
        issues.append(issue)
        return Company(original=value, issues=tuple(issues))
    if " " not in text and "." in text:
        found = _web_name(text, t)
        if found is not None:
            label, code, usable = found
            issues.append(code)
            issue = _placeholder(_fold(label), t)
            if issue is not None:
                issues.append(issue)
            if not usable or issue is not None:
                return Company(original=value, issues=tuple(issues))
            name = _recase(label.replace("-", " "), t, turkish)
            return Company(
                original=value,
                name=name,
                base_name=name,
                key=_make_key(name, t, drop),
                valid=True,
                issues=tuple(issues),
            )
    return None


def _with_legal_form(
    value: object,
    text: str,
    t: CompanyTables,
    drop: bool,
    turkish: bool,
    issues: list[str],
    *,
    again: bool,
) -> Company:
    """The result of a name read as a base name between an optional legal-form prefix and
    suffix."""
    base, trailer, prefix, suffix = _split(text, t)
    base, quoted = _unquote(base)
    if not base.strip(_EDGE + "\"'"):
        forms = [f.canonical for f in (prefix, suffix) if f is not None]
        issues.append("legal_form_only" if forms else "placeholder_company")
        return Company(
            original=value,
            legal_form=" ".join(forms) or None,
            legal_form_country=_form_country(prefix, suffix),
            issues=tuple(issues),
        )
    if not turkish and any(f is not None and "TR" in f.countries for f in (prefix, suffix)):
        turkish = True
    core = base
    if _needs_recase(f"{base} {trailer}" if trailer else base):
        core = _recase(base, t, turkish)
        trailer = _recase(trailer, t, turkish, first=False) if trailer else ""
    base_name = f"{core} {trailer}" if trailer else core
    shown = core
    if quoted and any(
        f is not None and _CYRILLIC_RE.search(f.canonical) for f in (prefix, suffix)
    ):
        shown = _guillemets(core)
    name = shown
    if prefix is not None:
        name = prefix.canonical + _joiner(prefix) + name
    if suffix is not None:
        name = name + _joiner(suffix) + suffix.canonical
    if trailer:
        name = f"{name} {trailer}"
    if again and _MOJIBAKE_HINT_RE.search(name):
        # taking the name apart can leave a pair of characters that reads as mis-decoded
        # text ("Ã©"): read the repaired name once more, so that the result is stable
        fixed = normalize_text(name).text
        if fixed is not None and fixed != name:
            inner = _normalize(fixed, t, drop, again=False)
            merged = tuple(dict.fromkeys([*issues, *inner.issues]))
            return attrs.evolve(inner, original=value, issues=merged)
    key = _make_key(base_name, t, drop)
    valid = True
    with_form = prefix is not None or suffix is not None
    junk = _placeholder(_fold(base_name), t, numbered=with_form) == "placeholder_company"
    if key is None or junk:
        issues.append("placeholder_company")
        if not with_form:
            return Company(original=value, issues=tuple(issues))
        valid, key = False, None
    legal_form = " ".join(f.canonical for f in (prefix, suffix) if f is not None) or None
    return Company(
        original=value,
        name=name,
        base_name=base_name,
        legal_form=legal_form,
        legal_form_country=_form_country(prefix, suffix),
        key=key,
        valid=valid,
        issues=tuple(issues),
    )


def _form_country(prefix: LegalForm | None, suffix: LegalForm | None) -> str | None:
    for form in (suffix, prefix):
        if form is not None and form.country is not None:
            return form.country
    return None


def _web_name(text: str, t: CompanyTables) -> tuple[str, str, bool] | None:
    """For a web domain, URL or email address: (its name label, issue code, usable)."""
    if "@" in text:
        match = _EMAIL_RE.fullmatch(text)
        code = "email_as_company"
    else:
        match = _DOMAIN_RE.fullmatch(text)
        code = "domain_as_company"
    if match is None:
        return None
    host, tld = match.group(1).lower(), match.group(2).lower()
    if tld not in load_set("tlds.txt") or tld in t._suffix_loose or tld in t._suffix_exact:
        return None
    label = _domain_label(host)
    if not label or _find_suffix(label, t) is not None or _find_prefix(label, t) is not None:
        return None
    free = load_set("free_email_domains.txt")
    return label, code, host not in free and host.removeprefix("www.") not in free


def company_key(
    value: object, *, tables: CompanyTables | None = None, drop_noise: bool = False
) -> str | None:
    """The matching key of a company name: ``normalize_company(value).key``.

    Example:
        >>> [company_key(v) for v in ("Acme Inc", "ACME, INC.", "The ACME Corp.", "acme.com")]
        ['acme', 'acme', 'acme', 'acme']
        >>> company_key("Acme Holdings Ltd"), company_key("Acme Holdings Ltd", drop_noise=True)
        ('acme holdings', 'acme')
    """
    return normalize_company(value, tables=tables, drop_noise=drop_noise).key
