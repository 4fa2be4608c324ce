"""Job titles: one canonical spelling per role, with its seniority and function.

``"CEO"``, ``"C.E.O."``, ``"Cheif Executive Officer"``, ``"Генеральный директор"``, ``"总经理"``
and ``"Geschäftsführer"`` are one role, ``"Chief Executive Officer"`` (``c_level``,
``executive``). ``"VP Sales"``, ``"Sales VP"`` and ``"Vice President - Sales"`` are
``"Vice President of Sales"``. A title holding several roles (``"Founder & CEO"``) keeps them all
in ``.roles`` and the most senior as ``.canonical``. A title the taxonomy does not know keeps its
cleaned text, with seniority and function inferred from its words where possible.

The taxonomy is data (``normalize/data/titles_*.csv``); :func:`load_taxonomy` extends or
replaces it. How a title is read, in order:

1. exact lookup of the title's key (case, accents, punctuation and script folded, abbreviations
   expanded) among the aliases of the canonical titles;
2. composition from parts: a level and departments (``"Head of Marketing"``,
   ``"Satış Müdürü"``), or a modifier and a known title (``"Senior Accountant"``);
3. several roles, split at ``&``, ``/``, ``,``, ``and``, ``und``, ``и``, ``兼``, …;
4. typo correction of unknown words against the vocabulary (rapidfuzz), then 1-3 again;
5. otherwise unknown (``unknown_title``), seniority and function from keywords.
"""

from __future__ import annotations

import functools
import operator
import re
import threading
import weakref
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, NamedTuple

import attrs
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein
from unidecode import unidecode

from crmclean.errors import ConfigError
from crmclean.normalize._base import MAX_VALUE_CHARS, coerce_text
from crmclean.normalize._batch import as_list, column_table
from crmclean.normalize.data import load_rows
from crmclean.normalize.text import TURKISH_HINT_RE, fold_i, lower_case, normalize_text, upper_case

__all__ = [
    "FUNCTIONS",
    "SENIORITIES",
    "TITLE_COLUMNS",
    "JobTitle",
    "TitleTaxonomy",
    "default_taxonomy",
    "load_taxonomy",
    "normalize_title",
    "normalize_titles",
]

#: Seniority levels, most senior first.
SENIORITIES: Final = ("c_level", "vp", "director", "manager", "senior", "individual")
#: Job functions.
FUNCTIONS: Final = (
    "executive", "sales", "marketing", "engineering", "finance", "hr", "operations", "it",
    "legal", "support", "product",
)  # fmt: skip

_RANK: Final = {s: len(SENIORITIES) - i for i, s in enumerate(SENIORITIES)}
_WORD_KINDS: Final = frozenset(
    {"abbreviation", "stopword", "connector", "qualifier", "placeholder", "salutation",
     "acronym", "lowercase"}
)  # fmt: skip
_CACHE_LIMIT: Final = 200_000

# --- tokenization (taxonomy-independent parts) ------------------------------------------------
# words ("e-commerce" is one), and the marks that separate roles: , ; / & + | brackets, a dash
# between spaces, ...
_TOKEN_RE: Final = re.compile(
    r"[A-Za-z]-[A-Za-z]{2}[A-Za-z0-9]*|[A-Za-z0-9]+|[,;/&+|()\[\]{}:@\\!?<>=*#~^\"]"
)
_DASH_RE: Final = re.compile(r"(?:^|\s)-+(?=\s|$)")
_SHORT_UPPER_RE: Final = re.compile(r"[A-Z]{2,5}[a-z]")
_EMAIL_RE: Final = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]{2,}")
_URL_RE: Final = re.compile(r"(?i)\b(?:https?://|www\.)\S")
_CJK_RE: Final = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SEP: Final = ","
_MISSING: Final = object()
_NEW_WORD: Final = "\x00"  # a word the tables do not know, in a piece's words
_PUNCTUATION: Final = frozenset(",;/&+|()[]{}:@\\!?<>=*#~^\"")


def _split(text: str, simple: bool) -> list[str]:
    """The words and separator marks of ASCII text."""
    if simple:
        return text.split()
    found = _TOKEN_RE.findall(text)
    return _join_initials(found) if "." in text else found


def _join_initials(tokens: list[str]) -> list[str]:
    """Runs of single letters are one word: "C.E.O." → "CEO", "P.-D.G." → "PDG"."""
    out: list[str] = []
    run: list[str] = []
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(token)
    if run:
        out.append("".join(run))
    return out


def _cjk_syllable(match: re.Match[str]) -> str:
    """One Chinese, Japanese or Korean character as its marked syllable: "经" → " 0jing ".

    The mark keeps the syllables apart from words of other languages ("da", "de", "le" are
    stopwords in Portuguese and French, not in Chinese)."""
    syllable = unidecode(match.group(0)).strip().lower()
    return f" 0{syllable} " if syllable.isalnum() else " "


@attrs.frozen
class JobTitle:
    """The result of :func:`normalize_title`.

    Attributes:
        original: the value exactly as given.
        text: the cleaned input text (:func:`~crmclean.normalize_text`, case kept), or ``None``.
        canonical: the canonical title (``"Chief Executive Officer"``), ``None`` when unknown.
        seniority: one of :data:`SENIORITIES`, or ``None``.
        function: one of :data:`FUNCTIONS`, or ``None``.
        roles: the canonical roles the title holds, in the order written
            (``("Founder", "Chief Executive Officer")``); empty when unknown.
        valid: ``False`` for missing values, placeholders and values that are not titles.
        issues: issue codes (see :data:`crmclean.ISSUE_CODES`).

    Example:
        >>> t = normalize_title("Founder & CEO")
        >>> t.canonical, t.roles, t.issues
        ('Chief Executive Officer', ('Founder', 'Chief Executive Officer'), ('multiple_roles',))
    """

    original: object
    text: str | None
    canonical: str | None
    seniority: str | None
    function: str | None
    roles: tuple[str, ...]
    valid: bool
    issues: tuple[str, ...] = ()

    @property
    def value(self) -> str | None:
        """The standardized title: the canonical title when known, else the cleaned text nicely
        cased (``"senior data analyst"`` → ``"Senior Data Analyst"``); ``None`` when not valid.

        Example:
            >>> normalize_title("senior data analyst").value
            'Senior Data Analyst'
            >>> normalize_title("vp, sales").value
            'Vice President of Sales'
        """
        if self.canonical is not None:
            return self.canonical
        if not self.valid or self.text is None:
            return None
        return _nice_case(self.text)


class _Role(NamedTuple):
    canonical: str
    seniority: str | None
    function: str | None


class _Level(NamedTuple):
    seniority: str | None
    pattern: str


class _Department(NamedTuple):
    name: str
    function: str | None


class _Hint(NamedTuple):
    seniority: str | None
    function: str | None
    department: bool


class _Analysis(NamedTuple):
    canonical: str | None
    seniority: str | None
    function: str | None
    roles: tuple[str, ...]
    valid: bool
    issues: tuple[str, ...]


_NO_ROLE: Final = _Analysis(None, None, None, (), False, ("no role",))  # a marker, never returned


class _Tokens(NamedTuple):
    words: list[str]  # lower-case ASCII words and "," role separators, abbreviations expanded
    raw: list[str]  # lower-case ASCII words as written (no expansion, no separators)
    case_dependent: bool
    corrected: bool


def _read_only(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """A read-only copy of a table, for :class:`TitleTaxonomy`."""
    return MappingProxyType(dict(mapping))


@attrs.frozen(eq=False, repr=False)
class TitleTaxonomy:
    """A job-title taxonomy, ready for :func:`normalize_title`. Build it with
    :func:`load_taxonomy` (or use :func:`default_taxonomy`); it is immutable: its tables are
    read-only, and reading titles changes nothing in it. The titles read so far are remembered
    beside it, per taxonomy object and for as long as that object lives: build one once and
    pass the same object to every call.

    Attributes:
        titles: canonical title → ``(seniority, function)``, read-only.

    Example:
        >>> tax = default_taxonomy()
        >>> tax.titles["Chief Executive Officer"]
        ('c_level', 'executive')
    """

    titles: Mapping[str, tuple[str | None, str | None]] = attrs.field(converter=_read_only)
    _aliases: Mapping[str, _Role] = attrs.field(converter=_read_only)
    _by_canonical: Mapping[str, _Role] = attrs.field(converter=_read_only)
    _levels: Mapping[str, _Level] = attrs.field(converter=_read_only)
    _modifiers: Mapping[str, _Level] = attrs.field(converter=_read_only)
    _departments: Mapping[str, _Department] = attrs.field(converter=_read_only)
    _hints: Mapping[str, _Hint] = attrs.field(converter=_read_only)
    _abbreviations: Mapping[str, tuple[str, ...]] = attrs.field(converter=_read_only)
    _stopwords: frozenset[str]
    _connectors: frozenset[str]
    _native_connectors: re.Pattern[str] | None
    _qualifiers: frozenset[str]
    _placeholders: frozenset[str]
    _salutations: frozenset[str]
    _vocabulary: frozenset[str]
    # known word → the words it stands for
    _token_words: Mapping[str, tuple[str, ...]] = attrs.field(converter=_read_only)
    _candidates: Mapping[str, tuple[str, ...]] = attrs.field(converter=_read_only)
    _case_candidates: frozenset[str]
    _compound_suffixes: tuple[str, ...]
    _compound_prefixes: frozenset[str]
    # first word → lengths of the keys it starts
    _level_spans: Mapping[str, tuple[int, ...]] = attrs.field(converter=_read_only)
    _department_spans: Mapping[str, tuple[int, ...]] = attrs.field(converter=_read_only)
    _modifier_spans: Mapping[str, tuple[int, ...]] = attrs.field(converter=_read_only)
    _hint_spans: Mapping[str, tuple[int, ...]] = attrs.field(converter=_read_only)
    # the same as _token_words, as one string: "sr" → "senior"
    _token_strings: Mapping[str, str] = attrs.field(converter=_read_only)
    _salutation_starts: frozenset[str]  # the first word of each salutation
    # every part of a placeholder (any substring) or salutation (any word)
    _junk_words: frozenset[str]
    # every word of an alias, level, modifier, department or qualifier key: a title part with
    # any other word can be no role, whatever its order
    _role_words: frozenset[str]
    # qualifiers in no alias, level or department key ("emea", "global"): a role reads the same
    # with them left out, but for its exact alias lookup
    _loose_qualifiers: frozenset[str]

    def __repr__(self) -> str:
        return f"TitleTaxonomy({len(self.titles)} titles, {len(self._aliases)} aliases)"

    def clear_cache(self) -> None:
        """Forget the titles read so far with this taxonomy (each taxonomy remembers up to
        200,000 of each kind, so that a repeated title is read once).

        Example:
            >>> default_taxonomy().clear_cache()
        """
        parser = _PARSERS.get(self)
        if parser is not None:
            parser.clear()


class _TitleParser:
    """Reads titles with one taxonomy's tables, and remembers what it read.

    The tables are the taxonomy's, as plain dicts (a dict lookup is the hot path); the
    memories fill as titles are read, each emptied when it reaches ``_CACHE_LIMIT``. One parser
    per taxonomy object, made by :func:`_parser_of`; it holds no reference to its taxonomy."""

    __slots__ = (
        "_abbreviations", "_aliases", "_bases", "_befores", "_by_canonical", "_cache",
        "_candidates", "_case_cache", "_case_candidates", "_compound_prefixes",
        "_compound_suffixes", "_connectors", "_core_cache", "_department_spans", "_departments",
        "_digit_pieces", "_fixes", "_hint_spans", "_hints", "_initial_pieces", "_junk_words",
        "_level_spans", "_levels", "_loose_qualifiers", "_modifier_spans", "_modifiers",
        "_native_connectors", "_piece_keyed", "_piece_raw", "_piece_tokens", "_piece_words",
        "_placeholders", "_plain_pieces", "_qualifiers", "_results", "_role_words",
        "_salutation_starts", "_salutations", "_seen", "_settled", "_singles", "_stopwords",
        "_structure_cache", "_token_strings", "_token_words", "_vocabulary", "_wholes",
        "_word_cache",
    )  # fmt: skip

    def __init__(self, taxonomy: TitleTaxonomy) -> None:
        t = taxonomy
        self._aliases: dict[str, _Role] = dict(t._aliases)
        self._by_canonical: dict[str, _Role] = dict(t._by_canonical)
        self._levels: dict[str, _Level] = dict(t._levels)
        self._modifiers: dict[str, _Level] = dict(t._modifiers)
        self._departments: dict[str, _Department] = dict(t._departments)
        self._hints: dict[str, _Hint] = dict(t._hints)
        self._abbreviations: dict[str, tuple[str, ...]] = dict(t._abbreviations)
        self._stopwords = t._stopwords
        self._connectors = t._connectors
        self._native_connectors = t._native_connectors
        self._qualifiers = t._qualifiers
        self._placeholders = t._placeholders
        self._salutations = t._salutations
        self._vocabulary = t._vocabulary
        self._token_words: dict[str, tuple[str, ...]] = dict(t._token_words)
        self._candidates: dict[str, tuple[str, ...]] = dict(t._candidates)
        self._case_candidates = t._case_candidates
        self._compound_suffixes = t._compound_suffixes
        self._compound_prefixes = t._compound_prefixes
        self._level_spans: dict[str, tuple[int, ...]] = dict(t._level_spans)
        self._department_spans: dict[str, tuple[int, ...]] = dict(t._department_spans)
        self._modifier_spans: dict[str, tuple[int, ...]] = dict(t._modifier_spans)
        self._hint_spans: dict[str, tuple[int, ...]] = dict(t._hint_spans)
        self._token_strings: dict[str, str] = dict(t._token_strings)
        self._salutation_starts = t._salutation_starts
        self._junk_words = t._junk_words
        self._role_words = t._role_words
        self._loose_qualifiers = t._loose_qualifiers
        # what was read: titles by their text, words, pieces, parts and roles
        self._cache: dict[str, _Analysis] = {}
        self._case_cache: dict[str, _Analysis] = {}
        self._word_cache: dict[str, _Analysis] = {}
        self._results: dict[str, JobTitle] = {}
        # values met once: a result is kept from a value's second time on (see normalize_title)
        self._seen: set[str] = set()
        self._fixes: dict[str, str | None] = {}
        self._settled: dict[str, list[str]] = {}
        self._core_cache: dict[str, _Role | None] = {}
        self._piece_words: dict[str, str] = {}
        self._piece_raw: dict[str, str] = {}
        self._piece_keyed: dict[str, str] = {}
        self._singles: dict[_Role, _Analysis] = {}
        self._wholes: dict[str, _Analysis] = {}
        self._befores: dict[str, _Analysis] = {}
        self._bases: tuple[dict[str, _Role | None], ...] = ({}, {}, {})
        self._piece_tokens: dict[str, list[str]] = {}
        self._initial_pieces: set[str] = set()
        self._digit_pieces: set[str] = set()
        # pieces with a word that no placeholder or salutation has in it, not one letter repeated
        self._plain_pieces: set[str] = set()
        self._structure_cache: dict[str, _Role | None] = {}

    def clear(self) -> None:
        """Forget everything read so far (the tables stay)."""
        memories: tuple[dict[Any, Any] | set[Any], ...] = (
            self._cache, self._case_cache, self._word_cache, self._results, self._seen,
            self._fixes, self._settled, self._core_cache, self._piece_words, self._piece_raw,
            self._piece_keyed, self._piece_tokens, self._digit_pieces, self._plain_pieces,
            self._singles, self._wholes, self._befores, *self._bases, self._initial_pieces,
            self._structure_cache,
        )  # fmt: skip
        for memo in memories:
            memo.clear()

    # --- reading a title ----------------------------------------------------------------------

    def _analysis(self, text: str) -> _Analysis:
        lowered = text.lower()
        found = self._cache.get(lowered)
        if found is not None:
            return found
        if text.isascii():
            try:
                found = self._analyze_known(text, lowered)
            except KeyError:  # another thread emptied the piece tables halfway: the long way
                found = None
            if found is not None:
                if len(self._cache) >= _CACHE_LIMIT:
                    self._cache.clear()
                self._cache[lowered] = found
                return found
        # only a title with a word the tables do not know reads by its case ("CEOn")
        found = self._case_cache.get(text)
        if found is not None:
            return found
        result, case_dependent = self._analyze(text)
        cache = self._case_cache if case_dependent else self._cache
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[text if case_dependent else lowered] = result
        return result

    def _tokenize(self, text: str, *, split_compounds: bool = True) -> _Tokens:
        s = text
        ascii_text = s.isascii()
        if not ascii_text:
            if self._native_connectors is not None:
                s = self._native_connectors.sub(" , ", s)
            if _CJK_RE.search(s):
                s = _CJK_RE.sub(_cjk_syllable, s)
            s = unidecode(s)
        if "'" in s:
            s = s.replace("'", "")
        simple = s.replace(" ", "").isalnum()  # only words: the common case
        if not simple and (" -" in s or "- " in s or s == "-"):
            s = _DASH_RE.sub(" , ", s)
        known = self._token_words
        lowered = _split(s.lower(), simple)
        looked_up = [known.get(t) for t in lowered]
        if None in looked_up:  # numbers stay numbers
            pairs = list(zip(lowered, looked_up, strict=True))
            if all(t.isdigit() for t, m in pairs if m is None):
                looked_up = [m or (t,) for t, m in pairs]
        if None not in looked_up:  # every word known: no per-word work left
            words = [w for m in looked_up for w in m]  # type: ignore[union-attr]
            raw = [t for t in lowered if t not in _PUNCTUATION]
            return _Tokens(words, raw, False, False)
        found = _split(s, simple)
        words = []
        raw = []
        case_dependent = corrected = False
        for token in found:
            if token in _PUNCTUATION:
                words.append(_SEP)
                continue
            low = token.lower()
            raw.append(low)
            mapped = known.get(low)
            if mapped is not None:  # a word the tables know: the common case
                words.extend(mapped)
                continue
            if "-" in low:  # "e-commerce"
                low = low.replace("-", "")
                mapped = known.get(low)
                if mapped is not None:
                    words.extend(mapped)
                    continue
            if low in self._connectors:
                words.append(_SEP)
                continue
            if ascii_text and low in self._case_candidates:
                case_dependent = True
                if _SHORT_UPPER_RE.fullmatch(token):  # "CEOn": CEO with a stray letter
                    low = low[:-1]
                    corrected = True
            expansion = self._abbreviations.get(low)
            if expansion is not None:
                words.extend(expansion)
            elif split_compounds and low not in self._vocabulary and len(low) >= 8:
                words.extend(self._split_compound(low))
            else:
                words.append(low)
        return _Tokens(words, raw, case_dependent, corrected)

    def _split_compound(self, word: str) -> tuple[str, ...]:
        """German compounds: "vertriebsleiter" → ("vertriebs", "leiter")."""
        for suffix in self._compound_suffixes:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                prefix = word[: -len(suffix)]
                if prefix in self._compound_prefixes:
                    return (prefix, suffix)
        return (word,)

    def _analyze(self, text: str) -> tuple[_Analysis, bool]:
        tokens = self._tokenize(text)
        junk = self._junk_key(text, " ".join(tokens.raw))
        if junk is not None:
            return _Analysis(None, None, None, (), False, (junk,)), tokens.case_dependent
        # titles written differently ("VP, Sales", "V.P. Sales", "vp sales") share their words
        key = " ".join(tokens.words)
        if tokens.corrected:
            key += " ,*"
        found = self._word_cache.get(key)
        if found is None:
            found = self._read(text, tokens)
            if len(self._word_cache) >= _CACHE_LIMIT:
                self._word_cache.clear()
            self._word_cache[key] = found
        return found, tokens.case_dependent

    def _analyze_known(self, text: str, lowered: str) -> _Analysis | None:
        """The common case, read from the words' table by pieces: ASCII text whose every word
        the tables know (or is a number). Tokens never span whitespace, so each
        whitespace-separated piece ("Sr.", "Mgr.,", "(EMEA)") is tokenized once and remembered
        with its words' expansions, its raw words and its lookup words, each as one string; a
        title is then a few joins. Gives what :meth:`_tokenize` and :meth:`_read` give for such
        text; ``None`` for any other text (a word the tables do not know)."""
        s = lowered.replace("'", "") if "'" in lowered else lowered
        pieces = s.split()
        keyed_of = self._piece_keyed
        try:
            keyed = "".join(map(keyed_of.__getitem__, pieces))
        except KeyError:
            self._learn_pieces(pieces)
            keyed = "".join(map(keyed_of.__getitem__, pieces))
        if "." in s and not self._initial_pieces.isdisjoint(pieces):
            return self._analyze_initials(text, s, pieces)
        mapped_of = self._piece_words
        if keyed and _NEW_WORD not in keyed:  # every word known, and one that roles use
            if self._may_be_junk(s, pieces):
                junk = self._junk_key(text, "".join([self._piece_raw[p] for p in pieces])[:-1])
                if junk is not None:
                    return _Analysis(None, None, None, (), False, (junk,))
            # most titles are one role, whatever their punctuation: read the whole title as
            # one role first, from its lookup words (what _roles tries first)
            whole = self._wholes.get(keyed) or self._whole(keyed)
            if whole is not _NO_ROLE:
                return whole
            key = "".join([mapped_of[p] for p in pieces])[:-1]
        else:
            key = "".join([mapped_of[p] for p in pieces])
            if _NEW_WORD in key:
                return None
            junk = self._junk_key(text, "".join([self._piece_raw[p] for p in pieces])[:-1])
            if junk is not None:
                return _Analysis(None, None, None, (), False, (junk,))
            key = key[:-1]
            if keyed and " to " not in f" {key} ":
                # "Sales Manager - Team 7": no role as a whole, so its last part comes off
                whole = self._role_before_last_part(key)
                if whole is not _NO_ROLE:
                    return whole
        return self._by_words(text, key)

    def _analyze_initials(self, text: str, s: str, pieces: list[str]) -> _Analysis | None:
        """:meth:`_analyze_known` for a title with initials ("V.P. Sales", "C. E. O."): single
        letters are joined across pieces, so the title is read from its joined tokens."""
        tokens = _join_initials([t for p in pieces for t in self._piece_tokens[p]])
        known = self._token_strings
        mapped = [known.get(t) or (t if t.isdigit() else _NEW_WORD) for t in tokens]
        if _NEW_WORD in mapped:
            return None
        if self._may_be_junk(s, pieces):  # (a word of two letters or more is never joined)
            junk = self._junk_key(text, " ".join([t for t in tokens if t not in _PUNCTUATION]))
            if junk is not None:
                return _Analysis(None, None, None, (), False, (junk,))
        key = " ".join(mapped)
        stop = self._stopwords
        lookup = [w for w in key.split(" ") if w != _SEP and w not in stop]
        if lookup:
            if self._role_words.issuperset(lookup):
                keyed = " ".join(lookup) + " "
                whole = self._wholes.get(keyed) or self._whole(keyed)
                if whole is not _NO_ROLE:
                    return whole
            elif " to " not in f" {key} ":
                whole = self._role_before_last_part(key)
                if whole is not _NO_ROLE:
                    return whole
        return self._by_words(text, key)

    def _may_be_junk(self, s: str, pieces: list[str]) -> bool:
        """Whether :meth:`_junk_key` must look at a title of known pieces. It need not when a
        piece has a word that no placeholder or salutation holds (and is not one letter
        repeated), no piece has a digit, and there is no ``@``, ``://`` or ``www``: then the
        title can be no placeholder, salutation, email, URL or number."""
        return (
            self._plain_pieces.isdisjoint(pieces)
            or not self._digit_pieces.isdisjoint(pieces)
            or "@" in s
            or "://" in s
            or "www" in s
        )

    def _whole(self, keyed: str) -> _Analysis:
        """The title read as one role from its lookup words (each followed by a space), or
        ``_NO_ROLE``; remembered."""
        role = self._tight_role(keyed[:-1].split(" "))
        whole = _NO_ROLE if role is None else self._single_role(role)
        if len(self._wholes) >= _CACHE_LIMIT:
            self._wholes.clear()
        self._wholes[keyed] = whole
        return whole

    def _by_words(self, text: str, key: str) -> _Analysis:
        """The reading of a title of known words from its words' key (remembered)."""
        found = self._word_cache.get(key)
        if found is None:
            found = self._read(text, _Tokens(key.split(" "), [], False, False))
            if len(self._word_cache) >= _CACHE_LIMIT:
                self._word_cache.clear()
            self._word_cache[key] = found
        return found

    def _role_before_last_part(self, key: str) -> _Analysis:
        """For a title with no "to" that is no role as a whole: the role of all but its last
        part, when that decides the title (else ``_NO_ROLE``). :meth:`_roles` tries that span
        first and the last part alone next, which can be no role when the whole is none; so
        the title is that one role."""
        cut = key.rfind(",")
        if cut <= 0 or cut == len(key) - 1:
            return _NO_ROLE
        before = key[:cut]
        found = self._befores.get(before)
        if found is None:
            stop = self._stopwords
            lookup = [w for w in before.split() if w != _SEP and w not in stop]
            role = None
            if lookup and self._role_words.issuperset(lookup):
                role = self._tight_role(lookup)
            found = _NO_ROLE if role is None else self._single_role(role)
            if len(self._befores) >= _CACHE_LIMIT:
                self._befores.clear()
            self._befores[before] = found
        return found

    def _single_role(self, role: _Role) -> _Analysis:
        """A title that is one role, read as written."""
        found = self._singles.get(role)
        if found is None:
            found = _Analysis(role.canonical, role.seniority, role.function, (role.canonical,),
                              True, ())  # fmt: skip
            if len(self._singles) >= _CACHE_LIMIT:
                self._singles.clear()
            self._singles[role] = found
        return found

    def _learn_pieces(self, pieces: list[str]) -> None:
        """Tokenize the pieces not seen yet, as :meth:`_tokenize` would inside a title."""
        mapped_of, raw_of, keyed_of = self._piece_words, self._piece_raw, self._piece_keyed
        stop, role_words, junk_words = self._stopwords, self._role_words, self._junk_words
        if len(mapped_of) + len(pieces) >= _CACHE_LIMIT:
            mapped_of.clear()
            raw_of.clear()
            keyed_of.clear()
            self._piece_tokens.clear()
            self._initial_pieces.clear()
            self._digit_pieces.clear()
            self._plain_pieces.clear()
        known = self._token_strings
        for piece in pieces:
            if piece in mapped_of:
                continue
            if not piece.strip("-"):
                tokens = [_SEP]  # a dash between spaces separates roles
            elif piece.isalnum():
                tokens = [piece]
            else:
                tokens = _TOKEN_RE.findall(piece)
            self._piece_tokens[piece] = tokens
            mapped = [known.get(t) or (t if t.isdigit() else _NEW_WORD) for t in tokens]
            mapped_of[piece] = " ".join(mapped) + " " if mapped else ""
            lookup = [w for m in mapped for w in m.split(" ") if w != _SEP and w not in stop]
            keyed = [w if w in role_words else _NEW_WORD for w in lookup]
            keyed_of[piece] = " ".join(keyed) + " " if keyed else ""
            raw = [t for t in tokens if t not in _PUNCTUATION]
            raw_of[piece] = " ".join(raw) + " " if raw else ""
            if any(len(t) == 1 and t.isalpha() for t in tokens):
                self._initial_pieces.add(piece)
            if not piece.isalpha() and any(map(str.isdigit, piece)):
                self._digit_pieces.add(piece)
            elif any(t not in junk_words and t.count(t[0]) != len(t) for t in raw):
                self._plain_pieces.add(piece)

    def _read(self, text: str, tokens: _Tokens) -> _Analysis:
        words = tokens.words
        corrected = tokens.corrected
        roles = self._roles(words)
        if len(roles) == 1 and not corrected:  # the common case: one role, read as written
            return self._single_role(roles[0])
        plain = [w for w in words if w != _SEP]
        issues: list[str] = []
        if not roles and max(text) < "\u0250":  # Latin script only: fix typos, then retry
            fixed = self._correct(words)
            if fixed is not None:
                roles = self._roles(fixed)
                if roles:
                    words, corrected = fixed, True
        if corrected:
            issues.append("title_typo_corrected")
        if roles:
            best = max(
                range(len(roles)),
                key=lambda i: (
                    _RANK.get(roles[i].seniority or "", 0),
                    roles[i].canonical.startswith("Chief "),
                    -i,
                ),
            )
            main = roles[best]
            if len(roles) > 1:
                issues.append("multiple_roles")
            names = tuple(r.canonical for r in roles)
            return _Analysis(
                main.canonical, main.seniority, main.function, names, True, tuple(issues)
            )
        seniority, function = self._infer(plain)
        issues.insert(0, "unknown_title")
        return _Analysis(None, seniority, function, (), True, tuple(issues))

    def _junk_key(self, text: str, key: str) -> str | None:
        """Why the title is no title (placeholder, salutation, email, URL, number), or None;
        ``key`` is its raw words joined by single spaces."""
        compact = key.replace(" ", "")
        if (
            not compact
            or key in self._placeholders
            or compact in self._placeholders
            or compact == compact[0] * len(compact)
        ):
            return "placeholder_title"
        salutations = self._salutations
        space = key.find(" ")
        if (key if space < 0 else key[:space]) in self._salutation_starts and (
            key in salutations or salutations.issuperset(key.split(" "))
        ):
            return "salutation_title"
        if "@" in text and _EMAIL_RE.search(text):
            return "not_a_title"
        if ("://" in text or ("www" in key and "www" in key.split(" "))) and _URL_RE.search(text):
            return "not_a_title"
        if not compact.isalpha():
            digits = sum(map(str.isdigit, compact))
            if digits >= 5 and digits * 2 >= len(compact):
                return "not_a_title"
        return None

    def _roles(self, words: list[str]) -> list[_Role]:
        """The roles a title holds: the whole title as one role, else its ","-separated parts,
        adjacent parts joined where they make one role ("Director, Sales" is one)."""
        plain = [w for w in words if w != _SEP] if _SEP in words else words
        whole = self._role(plain)
        if whole is not None:
            return [whole]
        if "to" in plain:  # "Executive Assistant to the CEO", "Advisor to the Board"
            before = self._role(plain[: plain.index("to")])
            if before is not None:
                return [before]
        parts: list[list[str]] = []
        current: list[str] = []
        for w in words:
            if w == _SEP:
                if current:
                    parts.append(current)
                current = []
            else:
                current.append(w)
        if current:
            parts.append(current)
        if len(parts) < 2:
            return []
        found: list[_Role] = []
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                if i == 0 and j == len(parts):
                    continue  # the whole title, tried above
                role = self._role([w for part in parts[i:j] for w in part])
                if role is not None:
                    if role not in found:
                        found.append(role)
                    i = j
                    break
            else:
                i += 1
        return found

    def _role(self, words: list[str]) -> _Role | None:
        """One role from the words of a title part, or None."""
        if not words:
            return None
        stop = self._stopwords
        keyed = words if stop.isdisjoint(words) else [w for w in words if w not in stop] or words
        if not self._role_words.issuperset(keyed):
            return None
        return self._tight_role(keyed)

    def _tight_role(self, keyed: list[str]) -> _Role | None:
        """The role of a title part from its lookup words (stopwords out, every word one that
        role keys use)."""
        # "VP Sales, EMEA" and "VP Sales, Global" are read once: a loose qualifier at either
        # end can only make the exact alias lookup fail (inside, leaving it out would bring
        # two words together), so the words without them, and whether there were any, decide
        loose = self._loose_qualifiers
        tight = keyed
        had_loose = keyed[0] in loose or keyed[-1] in loose
        if had_loose:
            start, end = 0, len(keyed)
            while start < end and keyed[start] in loose:
                start += 1
            while end > start and keyed[end - 1] in loose:
                end -= 1
            tight = keyed[start:end]
        key = " ".join(tight) + " ,*" if had_loose else " ".join(tight)
        known = self._core_cache.get(key, _MISSING)
        if known is not _MISSING:
            return known  # type: ignore[return-value]
        role = self._find_core(tight, had_loose)
        if len(self._core_cache) >= _CACHE_LIMIT:
            self._core_cache.clear()
        self._core_cache[key] = role
        return role

    def _find_core(self, keyed: list[str], had_loose: bool) -> _Role | None:
        # the words as written, region qualifiers at either end left out ("Team Lead EMEA")
        role = self._aliases.get(" ".join(keyed))
        if role is not None:
            return role
        core = [w for w in keyed if w not in self._qualifiers]
        if not core:
            return None
        if had_loose or len(core) != len(keyed):
            role = self._aliases.get(" ".join(core))
            if role is not None:
                return role
        return self._compose(keyed, core, 0)

    def _compose(self, words: list[str], core: list[str], depth: int) -> _Role | None:
        role = self._structure(words)
        if role is not None or depth >= 2:
            return role
        for n in self._modifier_spans.get(core[0], ()):
            if n >= len(core):
                continue
            modifier = self._modifiers.get(" ".join(core[:n]))
            if modifier is None:
                continue
            rest = core[n:]
            base = self._base_role(rest, depth + 1)
            if base is None or base.seniority == "c_level":
                continue
            canonical = modifier.pattern.format(title=base.canonical)
            known = self._settle(canonical, structure=True)
            if known is not None:
                return known
            rank = max(_RANK.get(base.seniority or "", 0), _RANK.get(modifier.seniority or "", 0))
            return _Role(canonical, SENIORITIES[len(SENIORITIES) - rank], base.function)
        return None

    def _base_role(self, words: list[str], depth: int) -> _Role | None:
        """The title a modifier stands before ("Senior [Vice President of Sales]"), remembered:
        the same base comes with every modifier."""
        key = " ".join(words)
        found = self._aliases.get(key)
        if found is not None:
            return found
        memo = self._bases[depth]
        found = memo.get(key, _MISSING)  # type: ignore[arg-type]
        if found is _MISSING:
            found = self._compose(words, words, depth)
            if len(memo) >= _CACHE_LIMIT:
                memo.clear()
            memo[key] = found
        return found

    def _settle(self, canonical: str, *, structure: bool) -> _Role | None:
        """The role a composed title reads as when written out, if the tables name it
        (so that "Assistant VP Sales" and "Assistant Vice President of Sales" agree)."""
        known = self._by_canonical.get(canonical)
        if known is not None:
            return known
        words = self._settled.get(canonical)
        if words is None:
            tokens = self._tokenize(canonical)
            words = [w for w in tokens.words if w != _SEP and w not in self._stopwords]
            if len(self._settled) >= _CACHE_LIMIT:
                self._settled.clear()
            self._settled[canonical] = words
        known = self._aliases.get(" ".join(words))
        if known is None and structure:
            known = self._structure(words)
        return known

    def _structure(self, words: list[str]) -> _Role | None:
        """A level and one or more departments, in any order ("VP Sales", "Sales VP")."""
        if len(words) < 2:
            return None
        key = " ".join(words)
        known = self._structure_cache.get(key, _MISSING)
        if known is not _MISSING:
            return known  # type: ignore[return-value]
        role = self._find_structure(words)
        if len(self._structure_cache) >= _CACHE_LIMIT:
            self._structure_cache.clear()
        self._structure_cache[key] = role
        return role

    def _find_structure(self, words: list[str]) -> _Role | None:
        n_words = len(words)
        spans = self._level_spans
        levels = self._levels
        for i, word in enumerate(words):
            lengths = spans.get(word)
            if lengths is None:
                continue
            for n in lengths:
                if i + n > n_words:
                    continue
                level = levels.get(word if n == 1 else " ".join(words[i : i + n]))
                if level is None:
                    continue
                departments = self._cover(words[:i] + words[i + n :])
                if departments is None:
                    continue
                if len(departments) > 1:
                    departments = self._merge_adjacent(departments)
                names = [d.name for d in departments]
                joined = names[-1]
                if len(names) > 1:
                    joined = ", ".join(names[:-1]) + " and " + joined
                canonical = level.pattern.format(department=joined)
                known = self._settle(canonical, structure=False)
                if known is not None:
                    return known
                return _Role(canonical, level.seniority, departments[0].function)
        return None

    def _merge_adjacent(self, found: list[_Department]) -> list[_Department]:
        """Two departments in a row whose names together are a department's key, as that one
        ("Satış" and "Operations" are Sales Operations; "Growth" and "Marketing" are Growth):
        the canonical title joins them with "and", which the lookup leaves out, so it would
        otherwise read as that one when read again."""
        out = [found[0]]
        for department in found[1:]:
            merged = self._departments.get(f"{out[-1].name} {department.name}".lower())
            if merged is not None and merged not in out[:-1]:
                out[-1] = merged  # (or it is the first one's: "Growth" and "Marketing")
            else:
                out.append(department)
        return out

    def _cover(self, words: list[str]) -> list[_Department] | None:
        """The departments that, with qualifiers, make up all of the words; else None."""
        found: list[_Department] = []
        i, n_words = 0, len(words)
        spans = self._department_spans
        departments = self._departments
        while i < n_words:
            word = words[i]
            for n in spans.get(word, ()):
                if i + n > n_words:
                    continue
                department = departments.get(word if n == 1 else " ".join(words[i : i + n]))
                if department is not None:
                    if department not in found:
                        found.append(department)
                    i += n
                    break
            else:
                if word not in self._qualifiers:
                    return None
                i += 1
        return found or None

    def _correct(self, words: list[str]) -> list[str] | None:
        """The words with misspellings fixed against the vocabulary, or None if none were."""
        out: list[str] = []
        changed = False
        for w in words:
            if w == _SEP or w in self._vocabulary or len(w) < 5 or not w.isalpha():
                out.append(w)
                continue
            fix = self._fixes.get(w, "")
            if fix == "":
                fix = self._fix(w)
                if len(self._fixes) >= _CACHE_LIMIT:
                    self._fixes.clear()
                self._fixes[w] = fix
            if fix is None:
                out.append(w)
            else:
                out.extend(self._abbreviations.get(fix, (fix,)))
                changed = True
        return out if changed else None

    def _fix(self, word: str) -> str | None:
        candidates = self._candidates.get(word[0])
        if not candidates:
            return None
        limit = 2 if len(word) >= 10 else 1
        best = process.extract(
            word, candidates, scorer=OSA.distance, score_cutoff=limit, limit=8
        )
        for candidate, _distance, _index in sorted(best, key=lambda m: (m[1], m[2])):
            # short words: a transposition, an extra or a missing letter, not a swapped one
            # ("Cheif" is Chief, but "Writer" is not "Driver")
            if (
                len(word) <= 6
                and len(candidate) == len(word)
                and Levenshtein.distance(word, candidate) == 1
            ):
                continue
            return candidate
        return None

    def _infer(self, words: list[str]) -> tuple[str | None, str | None]:
        """Seniority and function from the keywords of an unknown title."""
        if "to" in words:  # "Assistant to the CEO" is an assistant
            words = words[: words.index("to")]
        rank = 0
        department_function: str | None = None
        keyword_function: str | None = None
        i, n_words = 0, len(words)
        spans = self._hint_spans
        while i < n_words:
            for n in spans.get(words[i], ()):
                if i + n > n_words:
                    continue
                hint = self._hints.get(" ".join(words[i : i + n]))
                if hint is not None:
                    rank = max(rank, _RANK.get(hint.seniority or "", 0))
                    if hint.function is not None:
                        if hint.department:
                            department_function = department_function or hint.function
                        else:
                            keyword_function = hint.function
                    i += n
                    break
            else:
                i += 1
        seniority = SENIORITIES[len(SENIORITIES) - rank] if rank else None
        return seniority, department_function or keyword_function


# --- one parser per taxonomy ------------------------------------------------------------------

# taxonomy → its parser: a parser lives as long as its taxonomy (and holds no reference to it)
_PARSERS: Final[weakref.WeakKeyDictionary[TitleTaxonomy, _TitleParser]] = (
    weakref.WeakKeyDictionary()
)
_PARSERS_LOCK: Final = threading.Lock()


def _parser_of(taxonomy: TitleTaxonomy) -> _TitleParser:
    """The parser of a taxonomy, made the first time it is asked for."""
    parser = _PARSERS.get(taxonomy)
    if parser is None:
        with _PARSERS_LOCK:
            parser = _PARSERS.get(taxonomy)
            if parser is None:
                parser = _PARSERS[taxonomy] = _TitleParser(taxonomy)
    return parser


@functools.cache
def _default_parser() -> _TitleParser:
    """The parser of :func:`default_taxonomy` (one call less on the hot path)."""
    return _parser_of(default_taxonomy())


# --- building a taxonomy ----------------------------------------------------------------------


def _cell(row: Mapping[str, object], column: str, where: str) -> str:
    value = row.get(column)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"{where}: column {column!r} must be a str")
    return value.strip()


def _aliases_of(row: Mapping[str, object], where: str) -> list[str]:
    value = row.get("aliases")
    if value is None:
        return []
    if isinstance(value, str):
        return [a.strip() for a in value.split("|") if a.strip()]
    if isinstance(value, Iterable):
        out = []
        for alias in value:
            if not isinstance(alias, str):
                raise TypeError(f"{where}: aliases must be str")
            if alias.strip():
                out.append(alias.strip())
        return out
    raise TypeError(f"{where}: column 'aliases' must be a str or a list of str")


def _choice(value: str, allowed: tuple[str, ...], column: str, where: str) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise ConfigError(f"{where}: unknown {column} {value!r}; expected one of {allowed}")
    return value


def _rows(
    name: str, extra: Iterable[Mapping[str, object]], include_defaults: bool, label: str
) -> list[tuple[Mapping[str, object], str]]:
    out: list[tuple[Mapping[str, object], str]] = []
    if include_defaults:
        out += [(row, name) for row in load_rows(name)]
    if isinstance(extra, (str, bytes, Mapping)) or not isinstance(extra, Iterable):
        raise TypeError(f"option {label!r} must be an iterable of mappings")
    for i, row in enumerate(extra):
        if not isinstance(row, Mapping):
            raise TypeError(f"option {label!r}: row {i} must be a mapping")
        out.append((row, f"{label}[{i}]"))
    return out


def load_taxonomy(
    *,
    extra_rows: Iterable[Mapping[str, object]] = (),
    extra_departments: Iterable[Mapping[str, object]] = (),
    extra_levels: Iterable[Mapping[str, object]] = (),
    extra_keywords: Iterable[Mapping[str, object]] = (),
    extra_words: Iterable[Mapping[str, object]] = (),
    include_defaults: bool = True,
) -> TitleTaxonomy:
    """Build a job-title taxonomy from the shipped tables plus your own rows.

    Each ``extra_*`` argument takes rows shaped like the matching shipped table
    (``normalize/data/titles_*.csv``), as mappings; ``aliases`` may be a ``"|"``-separated str
    or a list. Your rows come after the shipped ones and win: a row with a canonical title that
    exists replaces its seniority and function, and an alias you give points to your title.
    With ``include_defaults=False`` only your rows are used.

    Args:
        extra_rows: canonical titles: ``canonical``, ``seniority``, ``function``, ``aliases``.
        extra_departments: ``department``, ``function``, ``aliases``.
        extra_levels: ``name``, ``seniority``, ``pattern`` (with ``{department}`` or
            ``{title}``), ``aliases``.
        extra_keywords: ``keyword``, ``seniority``, ``function`` (for unknown titles).
        extra_words: ``word``, ``kind``, ``expansion`` (see ``titles_words.csv``).
        include_defaults: start from the shipped tables.

    Raises:
        ConfigError: an unknown seniority, function, word kind, or a pattern without its field.
        TypeError: rows that are not mappings of str.

    Example:
        >>> tax = load_taxonomy(extra_rows=[{"canonical": "Chief Happiness Officer",
        ...     "seniority": "c_level", "function": "hr", "aliases": "cho|happiness boss"}])
        >>> t = normalize_title("Happiness Boss", taxonomy=tax)
        >>> t.canonical, t.seniority, t.function
        ('Chief Happiness Officer', 'c_level', 'hr')
    """
    if not isinstance(include_defaults, bool):
        raise TypeError("option 'include_defaults' must be a bool")
    # words first: they decide how every other alias is read
    word_rows = _rows("titles_words.csv", extra_words, include_defaults, "extra_words")
    builder = _Builder(*_word_tables(word_rows))
    for row, where in _rows("titles_canonical.csv", extra_rows, include_defaults, "extra_rows"):
        builder.add_title(row, where)
    for row, where in _rows(
        "titles_departments.csv", extra_departments, include_defaults, "extra_departments"
    ):
        builder.add_department(row, where)
    for row, where in _rows("titles_levels.csv", extra_levels, include_defaults, "extra_levels"):
        builder.add_level(row, where)
    keyword_rows = _rows("titles_keywords.csv", extra_keywords, include_defaults, "extra_keywords")
    return builder.build(keyword_rows)


def _word_tables(
    word_rows: list[tuple[Mapping[str, object], str]],
) -> tuple[dict[str, tuple[str, ...]], dict[str, set[str]], re.Pattern[str] | None]:
    """The abbreviations (word → expansion), the words of each kind, and the pattern of the
    connectors not in ASCII (``None`` without any), from the rows of ``titles_words.csv``."""
    abbreviations: dict[str, tuple[str, ...]] = {}
    kinds: dict[str, set[str]] = {kind: set() for kind in _WORD_KINDS}
    native_connectors: list[str] = []
    for row, where in word_rows:
        word = _cell(row, "word", where).lower()
        kind = _cell(row, "kind", where)
        if kind not in _WORD_KINDS:
            raise ConfigError(f"{where}: unknown word kind {kind!r}; expected one of "
                              f"{sorted(_WORD_KINDS)}")  # fmt: skip
        if not word:
            continue
        if kind == "connector" and not word.isascii():
            native_connectors.append(word)
        kinds[kind].add(word)
        if kind == "abbreviation":
            expansion = _cell(row, "expansion", where).lower()
            abbreviations[word] = tuple(expansion.split()) or (word,)
    native_re = None
    if native_connectors:
        cjk = "".join(re.escape(c) for c in native_connectors if len(c) == 1 and _CJK_RE.match(c))
        words = [re.escape(c) for c in native_connectors if not (len(c) == 1 and _CJK_RE.match(c))]
        alternatives = ([f"[{cjk}、]"] if cjk else []) + [rf"(?<!\w){w}(?!\w)" for w in words]
        native_re = re.compile("|".join(alternatives), re.IGNORECASE)
    return abbreviations, kinds, native_re


class _Builder:
    """Collects the rows of a taxonomy and turns them into lookup tables."""

    def __init__(
        self,
        abbreviations: dict[str, tuple[str, ...]],
        kinds: dict[str, set[str]],
        native_connectors: re.Pattern[str] | None,
    ) -> None:
        self.kinds = kinds
        self.abbreviations = abbreviations
        self.connectors = frozenset(w for w in kinds["connector"] if w.isascii())
        self.native_connectors = native_connectors
        self.stopwords: frozenset[str] = frozenset()
        # a throw-away parser that only tokenizes, to key the aliases like the input
        self.reader = _TitleParser(
            TitleTaxonomy(
                titles={}, aliases={}, by_canonical={}, levels={}, modifiers={}, departments={},
                hints={}, abbreviations=abbreviations, stopwords=frozenset(),
                connectors=self.connectors, native_connectors=native_connectors,
                qualifiers=frozenset(), placeholders=frozenset(), salutations=frozenset(),
                vocabulary=frozenset(), token_words={}, token_strings={}, candidates={},
                case_candidates=frozenset(), compound_suffixes=(), compound_prefixes=frozenset(),
                level_spans={}, department_spans={}, modifier_spans={}, hint_spans={},
                role_words=frozenset(), salutation_starts=frozenset(), junk_words=frozenset(),
                loose_qualifiers=frozenset(),
            )
        )  # fmt: skip
        self.stopwords = frozenset(self._keys(kinds["stopword"]))
        self.titles: dict[str, _Role] = {}
        self.title_aliases: dict[str, str] = {}  # key → canonical
        self.own_keys: dict[str, str] = {}  # each canonical title's own key → canonical
        self.departments: dict[str, _Department] = {}
        self.levels: dict[str, _Level] = {}
        self.modifiers: dict[str, _Level] = {}

    def _keys(self, words: Iterable[str]) -> list[str]:
        return [" ".join(self._words(w)) for w in words]

    def _words(self, alias: str) -> list[str]:
        tokens = self.reader._tokenize(alias, split_compounds=False)
        words = [w for w in tokens.words if w != _SEP]
        return [w for w in words if w not in self.stopwords] or words

    def key(self, alias: str) -> str:
        return " ".join(self._words(alias))

    def add_title(self, row: Mapping[str, object], where: str) -> None:
        canonical = _cell(row, "canonical", where)
        if not canonical:
            raise ConfigError(f"{where}: 'canonical' is empty")
        seniority = _choice(_cell(row, "seniority", where), SENIORITIES, "seniority", where)
        function = _choice(_cell(row, "function", where), FUNCTIONS, "function", where)
        self.titles[canonical] = _Role(canonical, seniority, function)
        own = self.key(canonical)
        if own:
            self.own_keys[own] = canonical
        for alias in _aliases_of(row, where):
            key = self.key(alias)
            if key:
                self.title_aliases[key] = canonical

    def add_department(self, row: Mapping[str, object], where: str) -> None:
        name = _cell(row, "department", where)
        if not name:
            raise ConfigError(f"{where}: 'department' is empty")
        function = _choice(_cell(row, "function", where), FUNCTIONS, "function", where)
        department = _Department(name, function)
        for alias in [name, *_aliases_of(row, where)]:
            key = self.key(alias)
            if key:
                self.departments[key] = department

    def add_level(self, row: Mapping[str, object], where: str) -> None:
        seniority = _choice(_cell(row, "seniority", where), SENIORITIES, "seniority", where)
        pattern = _cell(row, "pattern", where)
        is_level = "{department}" in pattern
        if is_level == ("{title}" in pattern):
            raise ConfigError(f"{where}: 'pattern' needs exactly one of {{department}}, {{title}}")
        target = self.levels if is_level else self.modifiers
        for alias in _aliases_of(row, where):
            key = self.key(alias)
            if key:
                target[key] = _Level(seniority, pattern)

    def build(self, keyword_rows: list[tuple[Mapping[str, object], str]]) -> TitleTaxonomy:
        """The taxonomy of the rows collected, with ``keyword_rows`` for unknown titles."""
        aliases = {key: self.titles[c] for key, c in self.title_aliases.items()}
        aliases.update({key: self.titles[c] for key, c in self.own_keys.items()})
        qualifiers = frozenset(self._keys(self.kinds["qualifier"]))
        hints = self._hints(aliases, keyword_rows)
        vocabulary, candidates = self._vocabulary(aliases, hints, qualifiers)
        placeholders = frozenset(self._keys(self.kinds["placeholder"]))
        placeholders |= {p.replace(" ", "") for p in placeholders}
        token_words = self._token_words(vocabulary)
        salutations = self._raw_keys(self.kinds["salutation"])
        junk_words = {word for key in salutations for word in key.split(" ")}
        for p in placeholders:  # any part of a placeholder
            junk_words.update(p[i:j] for i in range(len(p)) for j in range(i + 1, len(p) + 1))
        # German compounds: a department, then a level ("vertriebs" + "leiter")
        suffixes = sorted(
            (k for k in self.levels if " " not in k and len(k) >= 5 and k.isalpha()),
            key=len, reverse=True,
        )  # fmt: skip
        prefixes = {k for k in self.departments if " " not in k and k.isalpha()}
        prefixes |= {k + "s" for k in prefixes}
        return TitleTaxonomy(
            titles={c: (r.seniority, r.function) for c, r in self.titles.items()},
            aliases=aliases,
            by_canonical=self.titles,
            levels=self.levels,
            modifiers=self.modifiers,
            departments=self.departments,
            hints=hints,
            abbreviations=self.abbreviations,
            stopwords=self.stopwords,
            connectors=self.connectors,
            native_connectors=self.native_connectors,
            qualifiers=qualifiers,
            placeholders=placeholders,
            salutations=frozenset(salutations),
            salutation_starts=frozenset(key.split(" ")[0] for key in salutations),
            junk_words=frozenset(junk_words),
            vocabulary=vocabulary,
            token_words=token_words,
            token_strings={word: " ".join(expansion) for word, expansion in token_words.items()},
            candidates=candidates,
            case_candidates=self._case_candidates(aliases, vocabulary),
            compound_suffixes=tuple(suffixes),
            compound_prefixes=frozenset(prefixes),
            level_spans=_spans(self.levels),
            department_spans=_spans(self.departments),
            modifier_spans=_spans(self.modifiers),
            hint_spans=_spans(k for k in hints if len(k.split()) <= 5),
            role_words=frozenset(
                word
                for key in [*aliases, *self.levels, *self.modifiers, *self.departments,
                            *qualifiers]
                for word in key.split()
            ),
            loose_qualifiers=qualifiers.difference(
                word for key in [*aliases, *self.levels, *self.departments] for word in key.split()
            ),
        )

    def _hints(
        self, aliases: dict[str, _Role], keyword_rows: list[tuple[Mapping[str, object], str]]
    ) -> dict[str, _Hint]:
        """Hints for unknown titles: modifiers, levels, titles, departments, then keywords."""
        hints: dict[str, _Hint] = {}
        for key, level in [*self.modifiers.items(), *self.levels.items()]:
            hints[key] = _Hint(level.seniority, None, False)
        for key, role in aliases.items():
            hints[key] = _Hint(role.seniority, role.function, False)
        for key, department in self.departments.items():
            previous = hints.get(key)
            hints[key] = _Hint(previous.seniority if previous else None, department.function, True)
        for row, where in keyword_rows:
            keyword = self.key(_cell(row, "keyword", where))
            seniority = _choice(_cell(row, "seniority", where), SENIORITIES, "seniority", where)
            function = _choice(_cell(row, "function", where), FUNCTIONS, "function", where)
            if keyword:
                hints[keyword] = _Hint(seniority, function, False)
        return hints

    def _vocabulary(
        self, aliases: dict[str, _Role], hints: dict[str, _Hint], qualifiers: frozenset[str]
    ) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
        """Every word the tables know, and the words typos are corrected to by first letter,
        the most used first."""
        counts: dict[str, int] = {}
        for key in [*aliases, *self.departments, *self.levels, *self.modifiers, *hints]:
            for word in key.split():
                counts[word] = counts.get(word, 0) + 1
        extra_words = [
            *qualifiers, *self.stopwords,
            *(w for expansion in self.abbreviations.values() for w in expansion),
        ]  # fmt: skip
        for key in extra_words:
            for word in key.split():
                counts.setdefault(word, 1)
        vocabulary = frozenset(counts) | frozenset(self.abbreviations)
        ranked = sorted((w for w in counts if len(w) >= 4 and w.isalpha()),
                        key=lambda w: (-counts[w], w))  # fmt: skip
        candidates: dict[str, list[str]] = {}
        for word in ranked:
            candidates.setdefault(word[0], []).append(word)
        return vocabulary, {k: tuple(v) for k, v in candidates.items()}

    def _case_candidates(
        self, aliases: dict[str, _Role], vocabulary: frozenset[str]
    ) -> frozenset[str]:
        """Short abbreviations followed by a stray letter ("CEOn", "CFOs")."""
        short = {k for k in aliases if k.isalpha() and 2 <= len(k) <= 5 and " " not in k}
        short |= {k for k in self.levels if k.isalpha() and 2 <= len(k) <= 5}
        short = {k for k in short if len(k) <= 4}
        return frozenset(
            k + c for k in short for c in "abcdefghijklmnopqrstuvwxyz" if k + c not in vocabulary
        )

    def _token_words(self, vocabulary: frozenset[str]) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = dict.fromkeys(_PUNCTUATION, (_SEP,))
        connectors = self.connectors
        for word in vocabulary:
            if not (word.isascii() and word.isalnum() and word == word.lower()):
                continue
            if word in connectors:
                out[word] = (_SEP,)
            else:
                out[word] = self.abbreviations.get(word, (word,))
        for word in connectors:
            out[word] = (_SEP,)
        return out

    def _raw_keys(self, words: Iterable[str]) -> list[str]:
        return [" ".join(self.reader._tokenize(w, split_compounds=False).raw) for w in words]


def _spans(keys: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """First word of each key → the word counts of the keys it starts, longest first."""
    spans: dict[str, set[int]] = {}
    for key in keys:
        words = key.split()
        spans.setdefault(words[0], set()).add(len(words))
    return {word: tuple(sorted(lengths, reverse=True)) for word, lengths in spans.items()}


@functools.cache
def default_taxonomy() -> TitleTaxonomy:
    """The shipped job-title taxonomy (built once, then shared).

    Example:
        >>> len(default_taxonomy().titles) > 100
        True
    """
    return load_taxonomy()


# --- casing of unknown titles -----------------------------------------------------------------

_RUN_RE: Final = re.compile(r"[^\W_]+")


_VOWELS: Final = frozenset("aeiouy")


@functools.cache
def _display_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    acronyms, lowercase, abbreviations = set(), set(), set()
    for row in load_rows("titles_words.csv"):
        word, kind = row["word"].lower(), row["kind"]
        if kind == "acronym":
            acronyms.add(word)
        elif kind in ("lowercase", "stopword", "connector"):
            lowercase.add(word)
        elif kind == "abbreviation":
            abbreviations.add(word)
    return frozenset(acronyms), frozenset(lowercase), frozenset(abbreviations)


def _case_match(match: re.Match[str], *, first: bool, turkish: bool = False) -> str:
    return _case_run(match.group(0), first and match.start() == 0, turkish)


def _case_run(run: str, first: bool, turkish: bool = False) -> str:
    acronyms, lowercase, abbreviations = _display_words()
    low = lower_case(run, turkish)
    plain = fold_i(low) if turkish else low  # a Turkish ı as the i its capital reads as
    upper = upper_case(run, turkish)
    if low in acronyms or plain in acronyms:
        return upper
    if low in lowercase and not first:
        return low
    # "b2b", "3d", "drh", "pm": short, with digits or without a vowel, make an acronym
    if (
        len(run) <= 4
        and plain.isascii()
        and plain not in abbreviations
        and (any(c.isdigit() for c in plain) or (plain.isalpha() and not _VOWELS & set(plain)))
    ):
        return upper
    if turkish:
        return upper_case(run[:1], True) + low[1:]
    return run[:1].upper() + run[1:].lower()


@functools.lru_cache(maxsize=65_536)
def _nice_case(text: str) -> str:
    """Title case for an unknown title, keeping what the writer cased on purpose (Turkish
    text by Turkish rules: "YARDIMCISI" → "Yardımcısı", "İDARİ" → "İdari")."""
    turkish = not text.isascii() and TURKISH_HINT_RE.search(text) is not None
    out = _recase(text, shouting=not any(c.islower() for c in text), turkish=turkish)
    if not any(c.islower() for c in out):  # only acronyms and initials left: read as shouting
        out = _recase(out, shouting=True, turkish=turkish)
    if not out.isascii() and normalize_text(out).text != out:
        return text  # re-casing made what looks like mis-decoded text ("â®" → "Â®"): keep it
    return out


def _recase(text: str, *, shouting: bool, turkish: bool = False) -> str:
    acronyms = _display_words()[0]
    out = []
    for i, word in enumerate(text.split(" ")):
        low = lower_case(word, turkish)
        if not shouting and any(c.isupper() for c in word[1:]):
            cased = word  # "iOS", "DevOps", "SAP" in a title not typed in capitals: as written
        elif low in acronyms or (turkish and fold_i(low) in acronyms):  # "IT" in Turkish
            cased = upper_case(word, turkish)
        else:
            case = functools.partial(_case_match, first=i == 0, turkish=turkish)
            cased = _RUN_RE.sub(case, word)
        out.append(cased if lower_case(cased, turkish) == low else word)
    return " ".join(out)


# --- the normalizer ---------------------------------------------------------------------------


def normalize_title(value: object, *, taxonomy: TitleTaxonomy | None = None) -> JobTitle:
    """Standardize a job title: canonical title, seniority, function and roles.

    Reads abbreviations and punctuation (``"C.E.O."``, ``"Sr. Mgr."``), word order (``"Sales
    VP"``, ``"VP, Sales"``), several roles (``"Founder & CEO"``), typos (``"Cheif Executive
    Officer"``, ``"Markting Manager"``) and titles in Russian, Chinese, Turkish, German, French,
    Spanish and Portuguese. Placeholders (``"N/A"``, ``"test"``), salutations (``"Mr."``) and
    values that are not titles (an email address, a phone number) are not valid.

    Args:
        value: any cell value; ``None``, NaN and ``""`` give ``missing``.
        taxonomy: a taxonomy from :func:`load_taxonomy`; the shipped one by default.

    Example:
        >>> t = normalize_title("C.E.O.")
        >>> t.canonical, t.seniority, t.function
        ('Chief Executive Officer', 'c_level', 'executive')
        >>> normalize_title("Satış Müdürü").canonical
        'Sales Manager'
        >>> t = normalize_title("senior firmware wizard")
        >>> t.canonical, t.value, t.seniority, t.function, t.issues
        (None, 'Senior Firmware Wizard', 'senior', 'engineering', ('unknown_title',))
    """
    parser = _default_parser() if taxonomy is None else _parser_of(_checked(taxonomy))
    if type(value) is str:
        cached = parser._results.get(value)
        if cached is not None:
            return cached
    text, issues = _title_text(value)
    if text is None:
        result = JobTitle(value, None, None, None, None, (), False, issues)
    else:
        a = parser._analysis(text)
        if issues:
            a = a._replace(issues=issues + a.issues)
        result = JobTitle(value, text, *a)
    if type(value) is str:
        # a result is kept from the second time its value comes: a column of distinct titles
        # then leaves no result objects behind for the garbage collector to walk again and
        # again (a fifth of the time of reading it), and a repeated value is read twice at most
        seen = parser._seen
        if value in seen:
            results = parser._results
            if len(results) >= _CACHE_LIMIT:
                results.clear()
            results[value] = result
        else:
            if len(seen) >= _CACHE_LIMIT:
                seen.clear()
            seen.add(value)
    return result


def _checked(taxonomy: object) -> TitleTaxonomy:
    """The ``taxonomy`` option, checked."""
    if not isinstance(taxonomy, TitleTaxonomy):
        raise TypeError(
            f"option 'taxonomy' must be a TitleTaxonomy or None, not {type(taxonomy).__name__}"
        )
    return taxonomy


def _title_text(value: object) -> tuple[str | None, tuple[str, ...]]:
    """A cell's title text (cleaned, case kept) and the issues of its cleaning; no text gives
    the issues of a missing value."""
    if type(value) is str:
        raw = value
    else:
        coerced, problem = coerce_text(value)
        if coerced is None:
            return None, (problem or "missing",)
        raw = coerced
    issues: tuple[str, ...] = ()
    if len(raw) > MAX_VALUE_CHARS:
        raw = raw[:MAX_VALUE_CHARS]
        issues = ("too_long",)
    if raw.isascii() and raw.isprintable():
        text: str | None = (
            raw if raw[:1] != " " and raw[-1:] != " " and "  " not in raw else " ".join(raw.split())
        )
    else:
        cleaned = normalize_text(raw)
        text = cleaned.text
        issues += tuple(code for code in cleaned.issues if code != "missing")
    if not text:
        return None, (*issues, "missing")
    return text, issues


#: The columns of :func:`normalize_titles`, one per :class:`JobTitle` attribute but ``original``.
TITLE_COLUMNS: Final = (
    "text", "value", "canonical", "seniority", "function", "roles", "valid", "issues",
)  # fmt: skip
_MISSING_ANALYSIS: Final = _Analysis(None, None, None, (), False, ())
# normalize_titles reads each distinct text once when this many first cells repeat themselves
_REPEAT_SAMPLE: Final = 2000


def normalize_titles(values: object, *, taxonomy: TitleTaxonomy | None = None) -> Any:
    """Standardize a whole column of job titles at once: the column form of
    :func:`normalize_title`, for ETL jobs and DataFrames.

    Each value is read exactly as :func:`normalize_title` reads it; the results come back as
    columns (one per :class:`JobTitle` attribute but ``original``, in :data:`TITLE_COLUMNS`)
    rather than one object per value, which reads a column of unique titles about a fifth
    faster. The table has one row per input value, in order: a pandas Series gives a pandas
    DataFrame (same index), a polars Series a polars DataFrame, a pyarrow Array a pyarrow
    Table, and any other column (list, tuple, numpy array, iterator) a dict of lists.

    Args:
        values: a column of cell values; nulls give ``valid=False`` with ``missing``.
        taxonomy: a taxonomy from :func:`load_taxonomy`; the shipped one by default.

    Example:
        >>> cols = normalize_titles(["C.E.O.", "vp, sales", None])
        >>> cols["value"]
        ['Chief Executive Officer', 'Vice President of Sales', None]
        >>> cols["seniority"], cols["issues"][2]
        (['c_level', 'vp', None], ('missing',))
    """
    parser = _default_parser() if taxonomy is None else _parser_of(_checked(taxonomy))
    column = as_list(values)
    limit = MAX_VALUE_CHARS
    # the common cell, printable ASCII with nothing to clean, is its own text (as _title_text)
    texts: list[str | None] = [
        value
        if type(value) is str
        and 0 < len(value) <= limit
        and value.isascii()
        and value.isprintable()
        and value[0] != " "
        and value[-1] != " "
        and "  " not in value
        else None
        for value in column
    ]
    missing: dict[int, tuple[str, ...]] = {}  # row → issues of a cell with no text
    extra: dict[int, tuple[str, ...]] = {}  # row → issues of cleaning its text
    if None in texts:
        cleaned: dict[str, tuple[str | None, tuple[str, ...]]] = {}  # a repeated cell: once
        for i, value in enumerate(column):
            if texts[i] is None:
                if type(value) is str:
                    found = cleaned.get(value)
                    if found is None:
                        found = cleaned[value] = _title_text(value)
                    text, issues = found
                else:
                    text, issues = _title_text(value)
                texts[i] = text
                if text is None:
                    missing[i] = issues
                elif issues:
                    extra[i] = issues
    analysis = parser._analysis
    sample = texts[:_REPEAT_SAMPLE]
    if len(set(sample)) < 0.8 * len(sample):  # a column that repeats itself (most do)
        read: dict[str | None, _Analysis] = {
            t: analysis(t) for t in dict.fromkeys(texts) if t is not None
        }
        read[None] = _MISSING_ANALYSIS
        analyses = [read[t] for t in texts]
    elif missing:
        analyses = [_MISSING_ANALYSIS if t is None else analysis(t) for t in texts]
    else:
        analyses = list(map(analysis, texts))  # type: ignore[arg-type]
    for i, issues in missing.items():
        analyses[i] = _MISSING_ANALYSIS._replace(issues=issues)
    # one field at a time (twice as fast as zip(*analyses) on a long column)
    fields = [list(map(operator.itemgetter(i), analyses)) for i in range(len(_Analysis._fields))]
    canonical, seniority, function, roles, valid, issue_lists = fields
    for i, issues in extra.items():
        issue_lists[i] = issues + issue_lists[i]
    shown = [
        c if c is not None or not ok or t is None else _nice_case(t)
        for c, ok, t in zip(canonical, valid, texts, strict=True)
    ]
    columns: dict[str, list[Any]] = {
        "text": texts, "value": shown, "canonical": canonical, "seniority": seniority,
        "function": function, "roles": roles, "valid": valid, "issues": issue_lists,
    }  # fmt: skip
    return column_table(columns, values)
