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
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final, NamedTuple

import attrs
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein
from unidecode import unidecode

from crmclean.errors import ConfigError
from crmclean.normalize._base import MAX_VALUE_CHARS, coerce_text
from crmclean.normalize.data import load_rows
from crmclean.normalize.text import normalize_text

__all__ = [
    "FUNCTIONS",
    "SENIORITIES",
    "JobTitle",
    "TitleTaxonomy",
    "default_taxonomy",
    "load_taxonomy",
    "normalize_title",
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


class _Tokens(NamedTuple):
    words: list[str]  # lower-case ASCII words and "," role separators, abbreviations expanded
    raw: list[str]  # lower-case ASCII words as written (no expansion, no separators)
    case_dependent: bool
    corrected: bool


@attrs.frozen(eq=False, repr=False)
class TitleTaxonomy:
    """A job-title taxonomy, ready for :func:`normalize_title`. Build it with
    :func:`load_taxonomy` (or use :func:`default_taxonomy`); it is immutable.

    Attributes:
        titles: canonical title → ``(seniority, function)``, read-only.

    Example:
        >>> tax = default_taxonomy()
        >>> tax.titles["Chief Executive Officer"]
        ('c_level', 'executive')
    """

    titles: Mapping[str, tuple[str | None, str | None]]
    _aliases: dict[str, _Role]
    _by_canonical: dict[str, _Role]
    _levels: dict[str, _Level]
    _modifiers: dict[str, _Level]
    _departments: dict[str, _Department]
    _hints: dict[str, _Hint]
    _abbreviations: dict[str, tuple[str, ...]]
    _stopwords: frozenset[str]
    _connectors: frozenset[str]
    _native_connectors: re.Pattern[str] | None
    _qualifiers: frozenset[str]
    _placeholders: frozenset[str]
    _salutations: frozenset[str]
    _vocabulary: frozenset[str]
    _token_words: dict[str, tuple[str, ...]]  # known word → the words it stands for
    _candidates: dict[str, tuple[str, ...]]
    _case_candidates: frozenset[str]
    _compound_suffixes: tuple[str, ...]
    _compound_prefixes: frozenset[str]
    _level_spans: dict[str, tuple[int, ...]]  # first word → lengths of the keys it starts
    _department_spans: dict[str, tuple[int, ...]]
    _modifier_spans: dict[str, tuple[int, ...]]
    _hint_spans: dict[str, tuple[int, ...]]
    _cache: dict[str, _Analysis] = attrs.field(factory=dict, init=False)
    _case_cache: dict[str, _Analysis] = attrs.field(factory=dict, init=False)
    _word_cache: dict[str, _Analysis] = attrs.field(factory=dict, init=False)
    _results: dict[str, JobTitle] = attrs.field(factory=dict, init=False)
    _fixes: dict[str, str | None] = attrs.field(factory=dict, init=False)
    _settled: dict[str, list[str]] = attrs.field(factory=dict, init=False)
    _role_cache: dict[str, _Role | None] = attrs.field(factory=dict, init=False)

    def __repr__(self) -> str:
        return f"TitleTaxonomy({len(self.titles)} titles, {len(self._aliases)} aliases)"

    def clear_cache(self) -> None:
        """Forget the titles read so far (each taxonomy remembers up to 200,000 of each kind,
        so that a repeated title is read once).

        Example:
            >>> default_taxonomy().clear_cache()
        """
        self._cache.clear()
        self._case_cache.clear()
        self._word_cache.clear()
        self._results.clear()
        self._fixes.clear()
        self._settled.clear()
        self._role_cache.clear()
        self._role_cache.clear()

    # --- reading a title ----------------------------------------------------------------------

    def _analysis(self, text: str) -> _Analysis:
        lowered = text.lower()
        found = self._cache.get(lowered)
        if found is not None:
            return found
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
        junk = self._junk(text, tokens.raw)
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

    def _read(self, text: str, tokens: _Tokens) -> _Analysis:
        words = tokens.words
        plain = [w for w in words if w != _SEP]
        issues: list[str] = []
        roles = self._roles(words)
        corrected = tokens.corrected
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

    def _junk(self, text: str, raw: list[str]) -> str | None:
        key = " ".join(raw)
        compact = key.replace(" ", "")
        if (
            not compact
            or key in self._placeholders
            or compact in self._placeholders
            or compact == compact[0] * len(compact)
        ):
            return "placeholder_title"
        if key in self._salutations or all(w in self._salutations for w in raw):
            return "salutation_title"
        if "@" in text and _EMAIL_RE.search(text):
            return "not_a_title"
        if ("://" in text or "www" in raw) and _URL_RE.search(text):
            return "not_a_title"
        if not compact.isalpha():
            digits = sum(c.isdigit() for c in compact)
            if digits >= 5 and digits * 2 >= len(compact):
                return "not_a_title"
        return None

    def _roles(self, words: list[str]) -> list[_Role]:
        """The roles a title holds: the whole title as one role, else its ","-separated parts,
        adjacent parts joined where they make one role ("Director, Sales" is one)."""
        plain = [w for w in words if w != _SEP]
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
        """One role from the words of a title part, or None (remembered: title parts repeat
        far more than whole titles do)."""
        if not words:
            return None
        key = " ".join(words)
        known = self._role_cache.get(key, _MISSING)
        if known is not _MISSING:
            return known  # type: ignore[return-value]
        role = self._find_role(words)
        if len(self._role_cache) >= _CACHE_LIMIT:
            self._role_cache.clear()
        self._role_cache[key] = role
        return role

    def _find_role(self, words: list[str]) -> _Role | None:
        stop = self._stopwords
        keyed = [w for w in words if w not in stop] or words
        role = self._aliases.get(" ".join(keyed))
        if role is not None:
            return role
        core = [w for w in keyed if w not in self._qualifiers]
        if not core:
            return None
        if len(core) != len(keyed):
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
            base = self._aliases.get(" ".join(rest)) or self._compose(rest, rest, depth + 1)
            if base is None or base.seniority == "c_level":
                continue
            canonical = modifier.pattern.format(title=base.canonical)
            known = self._settle(canonical, structure=True)
            if known is not None:
                return known
            rank = max(_RANK.get(base.seniority or "", 0), _RANK.get(modifier.seniority or "", 0))
            return _Role(canonical, SENIORITIES[len(SENIORITIES) - rank], base.function)
        return None

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
        n_words = len(words)
        if n_words < 2:
            return None
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
    abbreviations: dict[str, tuple[str, ...]] = {}
    kinds: dict[str, set[str]] = {kind: set() for kind in _WORD_KINDS}
    native_connectors: list[str] = []
    word_rows = _rows("titles_words.csv", extra_words, include_defaults, "extra_words")
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

    builder = _Builder(abbreviations, kinds, native_re)
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
        self.stopwords: frozenset[str] = frozenset()
        # a throw-away taxonomy that only tokenizes, to key the aliases like the input
        self.reader = TitleTaxonomy(
            titles={}, aliases={}, by_canonical={}, levels={}, modifiers={}, departments={},
            hints={}, abbreviations=abbreviations, stopwords=frozenset(),
            connectors=frozenset(w for w in kinds["connector"] if w.isascii()),
            native_connectors=native_connectors, qualifiers=frozenset(),
            placeholders=frozenset(), salutations=frozenset(), vocabulary=frozenset(),
            token_words={},
            candidates={}, case_candidates=frozenset(), compound_suffixes=(),
            compound_prefixes=frozenset(), level_spans={},
            department_spans={}, modifier_spans={}, hint_spans={},
        )  # fmt: skip
        self.native_connectors = native_connectors
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
        kinds = self.kinds
        aliases = {key: self.titles[c] for key, c in self.title_aliases.items()}
        aliases.update({key: self.titles[c] for key, c in self.own_keys.items()})
        by_canonical = dict(self.titles)
        qualifiers = frozenset(self._keys(kinds["qualifier"]))
        # hints for unknown titles: modifiers, levels, titles, departments, then keywords
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
        # the vocabulary: every word the tables know, for typo correction
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
        # "CEOn", "CFOs": a short abbreviation followed by a stray letter
        short = {k for k in aliases if k.isalpha() and 2 <= len(k) <= 5 and " " not in k}
        short |= {k for k in self.levels if k.isalpha() and 2 <= len(k) <= 5}
        short = {k for k in short if len(k) <= 4}
        case_candidates = frozenset(
            k + c for k in short for c in "abcdefghijklmnopqrstuvwxyz" if k + c not in vocabulary
        )
        suffixes = sorted(
            (k for k in self.levels if " " not in k and len(k) >= 5 and k.isalpha()),
            key=len, reverse=True,
        )  # fmt: skip
        prefixes = {k for k in self.departments if " " not in k and k.isalpha()}
        prefixes |= {k + "s" for k in prefixes}
        placeholders = frozenset(self._keys(kinds["placeholder"]))
        placeholders |= {p.replace(" ", "") for p in placeholders}
        return TitleTaxonomy(
            titles=MappingProxyType({c: (r.seniority, r.function) for c, r in self.titles.items()}),
            aliases=aliases,
            by_canonical=by_canonical,
            levels=self.levels,
            modifiers=self.modifiers,
            departments=self.departments,
            hints=hints,
            abbreviations=self.abbreviations,
            stopwords=self.stopwords,
            connectors=self.reader._connectors,
            native_connectors=self.native_connectors,
            qualifiers=qualifiers,
            placeholders=placeholders,
            salutations=frozenset(self._raw_keys(kinds["salutation"])),
            vocabulary=vocabulary,
            token_words=self._token_words(vocabulary),
            candidates={k: tuple(v) for k, v in candidates.items()},
            case_candidates=case_candidates,
            compound_suffixes=tuple(suffixes),
            compound_prefixes=frozenset(prefixes),
            level_spans=_spans(self.levels),
            department_spans=_spans(self.departments),
            modifier_spans=_spans(self.modifiers),
            hint_spans=_spans(k for k in hints if len(k.split()) <= 5),
        )

    def _token_words(self, vocabulary: frozenset[str]) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = dict.fromkeys(_PUNCTUATION, (_SEP,))
        connectors = self.reader._connectors
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


def _case_match(match: re.Match[str], *, first: bool) -> str:
    return _case_run(match.group(0), first and match.start() == 0)


def _case_run(run: str, first: bool) -> str:
    acronyms, lowercase, abbreviations = _display_words()
    low = run.lower()
    if low in acronyms:
        return run.upper()
    if low in lowercase and not first:
        return low
    # "b2b", "3d", "drh", "pm": short, with digits or without a vowel, make an acronym
    if (
        len(run) <= 4
        and low.isascii()
        and low not in abbreviations
        and (any(c.isdigit() for c in low) or (low.isalpha() and not _VOWELS & set(low)))
    ):
        return run.upper()
    return run[:1].upper() + run[1:].lower()


@functools.lru_cache(maxsize=65_536)
def _nice_case(text: str) -> str:
    """Title case for an unknown title, keeping what the writer cased on purpose."""
    out = _recase(text, shouting=not any(c.islower() for c in text))
    if not any(c.islower() for c in out):  # only acronyms and initials left: read as shouting
        out = _recase(out, shouting=True)
    if not out.isascii() and normalize_text(out).text != out:
        return text  # re-casing made what looks like mis-decoded text ("â®" → "Â®"): keep it
    return out


def _recase(text: str, *, shouting: bool) -> str:
    acronyms = _display_words()[0]
    out = []
    for i, word in enumerate(text.split(" ")):
        low = word.lower()
        if not shouting and any(c.isupper() for c in word[1:]):
            cased = word  # "iOS", "DevOps", "SAP" in a title not typed in capitals: as written
        elif low in acronyms:
            cased = word.upper()
        else:
            cased = _RUN_RE.sub(functools.partial(_case_match, first=i == 0), word)
        out.append(cased if cased.lower() == low else word)
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
    if taxonomy is None:
        taxonomy = default_taxonomy()
    elif not isinstance(taxonomy, TitleTaxonomy):
        raise TypeError(
            f"option 'taxonomy' must be a TitleTaxonomy or None, not {type(taxonomy).__name__}"
        )
    if type(value) is str:
        cached = taxonomy._results.get(value)
        if cached is not None:
            return cached
        raw = value
    else:
        coerced, problem = coerce_text(value)
        if coerced is None:
            return JobTitle(value, None, None, None, None, (), False, (problem or "missing",))
        raw = coerced
    issues: tuple[str, ...] = ()
    if len(raw) > MAX_VALUE_CHARS:
        raw = raw[:MAX_VALUE_CHARS]
        issues = ("too_long",)
    if raw.isascii() and raw.isprintable():
        text: str | None = " ".join(raw.split())
    else:
        cleaned = normalize_text(raw)
        text = cleaned.text
        issues += tuple(code for code in cleaned.issues if code != "missing")
    if not text:
        result = JobTitle(value, None, None, None, None, (), False, (*issues, "missing"))
    else:
        a = taxonomy._analysis(text)
        result = JobTitle(
            value, text, a.canonical, a.seniority, a.function, a.roles, a.valid,
            issues + a.issues if issues else a.issues,
        )  # fmt: skip
    if type(value) is str:
        results = taxonomy._results
        if len(results) >= _CACHE_LIMIT:
            results.clear()
        results[value] = result
    return result
