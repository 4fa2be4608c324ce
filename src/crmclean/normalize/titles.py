"""Job titles: one canonical spelling per role, with seniority and function.

``"CEO"``, ``"C.E.O."``, ``"Chief Executive Officer"``, ``"Founder & CEO"``, ``"CEOn"``,
``"Генеральный директор"`` and ``"总经理"`` all become ``"Chief Executive Officer"`` with
seniority ``c_level`` and function ``executive``. Titles outside the taxonomy are read by their
parts (``"Sales VP"``, ``"VP, Sales"``, ``"Vice President - Sales"`` → ``"Vice President of
Sales"``), typos are corrected against the taxonomy's vocabulary, and a title that is not in it
keeps its cleaned text with the seniority and function its words tell.

The taxonomy is data (``normalize/data/titles_canonical.csv``); :func:`load_taxonomy` builds one
with your own rows added or overriding.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs
from rapidfuzz import fuzz, process

from crmclean.errors import ConfigError
from crmclean.normalize._base import MAX_VALUE_CHARS, coerce_text
from crmclean.normalize.data import load_rows
from crmclean.normalize.text import match_key, normalize_text

__all__ = ["FUNCTIONS", "SENIORITIES", "JobTitle", "TitleTaxonomy", "load_taxonomy",
           "normalize_title"]  # fmt: skip

#: The seniority levels, most senior first.
SENIORITIES: Final = ("c_level", "vp", "director", "manager", "senior", "individual")
#: The functions a title can belong to.
FUNCTIONS: Final = ("executive", "sales", "marketing", "engineering", "finance", "hr",
                    "operations", "it", "legal", "support", "product")  # fmt: skip
_RANK: Final = {s: i for i, s in enumerate(SENIORITIES)}
_MAX_TITLE_CHARS: Final = 200

_ABBREVIATIONS: Final = {
    "sr": "senior", "snr": "senior", "jr": "junior", "mgr": "manager", "mngr": "manager",
    "dir": "director", "mktg": "marketing", "ops": "operations", "acct": "account",
    "exec": "executive", "asst": "assistant", "assoc": "associate", "vp": "vice president",
    "svp": "senior vice president", "evp": "executive vice president",
    "avp": "assistant vice president", "eng": "engineering", "engr": "engineer",
    "dev": "developer", "admin": "administrator", "coord": "coordinator", "rep": "representative",
    "bizdev": "business development", "biz": "business", "hd": "head", "gen": "general",
    "intl": "international", "natl": "national", "svc": "service", "svcs": "services",
    "tech": "technical", "mkt": "marketing", "prod": "product", "mgmt": "management",
    "mngmt": "management", "supt": "superintendent", "hr": "hr", "it": "it",
}  # fmt: skip
_FILLER: Final = frozenset({"of", "the", "for", "and", "in", "at", "de", "du", "des", "del"})
_FUNCTION_WORDS: Final = {
    "sales": "sales", "selling": "sales", "business development": "sales", "revenue": "sales",
    "account": "sales", "accounts": "sales", "commercial": "sales", "partnerships": "sales",
    "marketing": "marketing", "growth": "marketing", "brand": "marketing", "communications":
    "marketing", "pr": "marketing", "content": "marketing", "demand generation": "marketing",
    "digital": "marketing", "seo": "marketing", "engineering": "engineering", "engineer":
    "engineering", "software": "engineering", "developer": "engineering", "development":
    "engineering", "r and d": "engineering", "research": "engineering", "data": "engineering",
    "devops": "engineering", "qa": "engineering", "architect": "engineering", "finance":
    "finance", "financial": "finance", "accounting": "finance", "accountant": "finance",
    "treasury": "finance", "controller": "finance", "tax": "finance", "audit": "finance",
    "hr": "hr", "human resources": "hr", "people": "hr", "talent": "hr", "recruiting": "hr",
    "recruitment": "hr", "personnel": "hr", "operations": "operations", "logistics":
    "operations", "supply chain": "operations", "procurement": "operations", "purchasing":
    "operations", "facilities": "operations", "administration": "operations", "office":
    "operations", "project": "operations", "it": "it", "information technology": "it",
    "infrastructure": "it", "security": "it", "systems": "it", "network": "it", "technology":
    "it", "legal": "legal", "compliance": "legal", "counsel": "legal", "contracts": "legal",
    "support": "support", "customer success": "support", "customer service": "support",
    "customer experience": "support", "service": "support", "helpdesk": "support",
    "product": "product", "design": "product", "ux": "product", "executive": "executive",
}  # fmt: skip
_FUNCTION_NAMES: Final = {
    "sales": "Sales", "marketing": "Marketing", "engineering": "Engineering",
    "finance": "Finance", "hr": "HR", "operations": "Operations",
    "it": "IT", "legal": "Legal", "support": "Customer Support", "product": "Product",
    "executive": "Executive",
}  # fmt: skip
# level phrases, longest first: (phrase, seniority, role word used to build the canonical title)
_LEVELS: Final = (
    ("senior vice president", "vp", "Senior Vice President"),
    ("executive vice president", "vp", "Executive Vice President"),
    ("assistant vice president", "vp", "Assistant Vice President"),
    ("vice president", "vp", "Vice President"),
    ("managing director", "c_level", "Managing Director"),
    ("director", "director", "Director"),
    ("head", "director", "Head"),
    ("manager", "manager", "Manager"),
    ("management", "manager", "Manager"),
    ("team lead", "manager", "Team Lead"),
    ("lead", "manager", "Lead"),
    ("supervisor", "manager", "Supervisor"),
    ("principal", "senior", "Principal"),
    ("senior", "senior", "Senior"),
    ("staff", "senior", "Staff"),
    ("junior", "individual", "Junior"),
    ("associate", "individual", "Associate"),
    ("intern", "individual", "Intern"),
    ("trainee", "individual", "Trainee"),
    ("assistant", "individual", "Assistant"),
    ("specialist", "individual", "Specialist"),
    ("coordinator", "individual", "Coordinator"),
    ("analyst", "individual", "Analyst"),
    ("representative", "individual", "Representative"),
    ("engineer", "individual", "Engineer"),
    ("developer", "individual", "Developer"),
    ("chief", "c_level", "Chief"),
    ("officer", "individual", "Officer"),
)
_PLACEHOLDERS: Final = frozenset(
    {"n a", "na", "none", "null", "nil", "unknown", "tbd", "tba", "test", "testing", "asdf",
     "xxx", "x", "abc", "other", "misc", "title", "job title", "no title", "not provided",
     "not applicable", "employee", "staff member", "qwerty", "dummy", "sample", "blah"}
)  # fmt: skip
_ROLE_SPLIT_RE: Final = re.compile(r"\s*(?:&|\+|/|\||;|\band\b|\bund\b|\bet\b|\bи\b|\bve\b)\s*")
_SINGLE_LETTERS_RE: Final = re.compile(r"\b(?:[a-z] ){1,}[a-z]\b")
_UPPER_WORDS: Final = frozenset(
    {"ceo", "cfo", "cto", "coo", "cmo", "cio", "vp", "svp", "evp", "it", "hr", "qa", "ui",
     "ux", "seo", "sdr", "bdr", "ai", "ml", "pr", "r&d", "emea", "apac", "us", "uk", "eu",
     "gm", "md", "pm", "sre", "erp", "crm", "saas", "b2b", "b2c"}
)  # fmt: skip
_SMALL_WORDS: Final = frozenset({"of", "and", "the", "for", "in", "at", "to", "de", "la"})


@attrs.frozen
class JobTitle:
    """The result of :func:`normalize_title`.

    Attributes:
        original: the value exactly as given.
        text: the cleaned input text (case kept).
        canonical: the taxonomy's spelling of the title, or ``None`` when it is not known.
        seniority: one of :data:`SENIORITIES`, or ``None``.
        function: one of :data:`FUNCTIONS`, or ``None``.
        roles: every canonical role when a title holds several (``"Founder & CEO"``).
        valid: a title was found (known or not).
        issues: issue codes (see :data:`crmclean.ISSUE_CODES`).

    Example:
        >>> t = normalize_title("Founder & CEO")
        >>> t.canonical, t.roles, t.seniority, t.function
        ('Chief Executive Officer', ('Founder', 'Chief Executive Officer'), 'c_level', 'executive')
    """

    original: object
    text: str | None = None
    canonical: str | None = None
    seniority: str | None = None
    function: str | None = None
    roles: tuple[str, ...] = ()
    valid: bool = False
    issues: tuple[str, ...] = ()

    @property
    def value(self) -> str | None:
        """The standardized title: the canonical one, else the cleaned text, title-cased."""
        if self.canonical is not None:
            return self.canonical
        return _title_case(self.text) if self.text else None


@attrs.frozen(eq=False)  # compared and hashed by identity: a taxonomy is a lookup table
class TitleTaxonomy:
    """A job-title taxonomy: alias keys → (canonical, seniority, function).

    Build one with :func:`load_taxonomy`; the default is :func:`load_taxonomy` with no rows.

    Example:
        >>> tax = load_taxonomy(extra_rows=[{"canonical": "Chief Happiness Officer",
        ...     "seniority": "c_level", "function": "hr", "aliases": "cho|happiness boss"}])
        >>> normalize_title("Happiness Boss", taxonomy=tax).canonical
        'Chief Happiness Officer'
    """

    entries: Mapping[str, tuple[str, str | None, str | None]]
    vocabulary: frozenset[str]
    long_keys: tuple[str, ...]


def _key(text: str) -> str:
    """Lookup key: ASCII, lower case, abbreviations expanded, dotted acronyms joined, grade
    numbers ("Engineer II", "Analyst 3") dropped; role separators become "and"."""
    key = match_key(text.translate(_SEPARATORS)) or ""
    if " " in key:
        key = _SINGLE_LETTERS_RE.sub(lambda m: m.group(0).replace(" ", ""), key)
    words = key.split()
    while len(words) > 1 and words[-1] in _GRADES:
        words.pop()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


_SEPARATORS: Final = str.maketrans(dict.fromkeys("&+/|;", " and "))
_GRADES: Final = frozenset({"i", "ii", "iii", "iv", "v", "1", "2", "3", "4", "5"})


def load_taxonomy(
    extra_rows: Iterable[Mapping[str, str]] = (), *, replace: bool = False
) -> TitleTaxonomy:
    """Build a title taxonomy from the shipped table plus your rows.

    Args:
        extra_rows: rows with ``canonical``, ``seniority``, ``function`` and ``aliases``
            (``"|"``-separated); a CSV file read with :class:`csv.DictReader` works as is.
            Your aliases win over the shipped ones.
        replace: use only ``extra_rows``, not the shipped table.

    Raises:
        ConfigError: a row has an unknown seniority or function, or lacks ``canonical``.

    Example:
        >>> tax = load_taxonomy([{"canonical": "Growth Hacker", "seniority": "individual",
        ...                       "function": "marketing", "aliases": "growth ninja"}])
        >>> normalize_title("Growth Ninja", taxonomy=tax).function
        'marketing'
    """
    rows: list[Mapping[str, str]] = [] if replace else list(load_rows("titles_canonical.csv"))
    rows += list(extra_rows)
    entries: dict[str, tuple[str, str | None, str | None]] = {}
    for number, row in enumerate(rows):
        canonical = (row.get("canonical") or "").strip()
        if not canonical:
            raise ConfigError(f"title taxonomy row {number} has no 'canonical'")
        seniority = (row.get("seniority") or "").strip() or None
        function = (row.get("function") or "").strip() or None
        if seniority is not None and seniority not in SENIORITIES:
            raise ConfigError(f"title taxonomy row {number}: unknown seniority {seniority!r}")
        if function is not None and function not in FUNCTIONS:
            raise ConfigError(f"title taxonomy row {number}: unknown function {function!r}")
        for alias in [canonical, *(row.get("aliases") or "").split("|")]:
            key = _key(alias)
            if key:
                entries[key] = (canonical, seniority, function)
    vocabulary = frozenset(
        w for key in list(entries) + list(_FUNCTION_WORDS) + [p for p, _, _ in _LEVELS]
        for w in key.split() if len(w) >= 4 and w.isascii()
    )  # fmt: skip
    long_keys = tuple(k for k in entries if len(k) >= 6)
    return TitleTaxonomy(entries=entries, vocabulary=vocabulary, long_keys=long_keys)


@functools.cache
def _default() -> TitleTaxonomy:
    return load_taxonomy()


def _title_case(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        low = word.lower()
        if low.strip(".,()") in _UPPER_WORDS:
            out.append(word.upper())
        elif i > 0 and low in _SMALL_WORDS:
            out.append(low)
        elif word.isupper() or word.islower():
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word)
    return " ".join(out)


def _spell(key: str, taxonomy: TitleTaxonomy) -> str:
    """Correct misspelt words against the taxonomy's vocabulary ("markting" → "marketing")."""
    words = key.split()
    changed = False
    for i, word in enumerate(words):
        if len(word) < 5 or word in taxonomy.vocabulary or word in _FUNCTION_WORDS:
            continue
        best = process.extractOne(
            word, taxonomy.vocabulary, scorer=fuzz.ratio, score_cutoff=80
        )
        if best is not None:
            words[i] = best[0]
            changed = True
    return " ".join(words) if changed else key


def _lookup(
    key: str, taxonomy: TitleTaxonomy
) -> tuple[tuple[str, str | None, str | None] | None, bool]:
    """(taxonomy entry, fuzzy?) for one key."""
    entry = taxonomy.entries.get(key)
    if entry is not None:
        return entry, False
    if not key:
        return None, False
    if len(key) <= 5:
        # short acronyms are exact, but a stray trailing letter ("CEOn") is forgiven
        if len(key) >= 4 and " " not in key:
            entry = taxonomy.entries.get(key[:-1])
            if entry is not None and len(key) - 1 >= 3:
                return entry, True
        return None, False
    spelled = _spell(key, taxonomy)
    entry = taxonomy.entries.get(spelled)
    if entry is not None:
        return entry, spelled != key
    best = process.extractOne(key, taxonomy.long_keys, scorer=fuzz.ratio, score_cutoff=90)
    if best is not None:
        return taxonomy.entries[best[0]], True
    return None, False


def _parse_parts(key: str) -> tuple[str | None, str | None, str | None]:
    """Canonical, seniority and function read from a title's words ("sales vice president")."""
    padded = f" {key} "
    level = None
    for phrase, seniority, word in _LEVELS:
        if f" {phrase} " in padded:
            level = (phrase, seniority, word)
            break
    # the function named first wins ("VP Sales & Marketing" is a sales title); at one
    # position the longer phrase ("customer success" over "customer")
    searched = padded.replace(f" {level[0]} ", " ", 1) if level else padded
    hits = [(searched.find(f" {phrase} "), -len(phrase), phrase) for phrase in _FUNCTION_WORDS
            if f" {phrase} " in searched]  # fmt: skip
    function_phrase = min(hits)[2] if hits else None
    function = _FUNCTION_WORDS[function_phrase] if function_phrase else None
    if level is None:
        return None, None, function
    phrase, seniority, word = level
    rest = [w for w in padded.replace(f" {phrase} ", " ").split() if w not in _FILLER]
    if function is not None and seniority in ("vp", "director") and word != "Managing Director":
        return f"{word} of {_FUNCTION_NAMES[function]}", seniority, function
    if function is not None and seniority == "manager" and word == "Manager":
        return f"{_FUNCTION_NAMES[function]} Manager", seniority, function
    if word == "Managing Director":
        return None, seniority, function or "executive"
    if seniority == "senior" and rest:
        return None, seniority, function
    if function_phrase is None and not rest and seniority in ("vp", "director", "manager"):
        return word, seniority, None
    return None, seniority, function


def normalize_title(value: object, *, taxonomy: TitleTaxonomy | None = None) -> JobTitle:
    """Standardize a job title: canonical title, seniority and function.

    Args:
        value: any cell value.
        taxonomy: your own taxonomy from :func:`load_taxonomy`; the shipped one by default.

    Example:
        >>> t = normalize_title("C.E.O.")
        >>> t.canonical, t.seniority, t.function
        ('Chief Executive Officer', 'c_level', 'executive')
        >>> normalize_title("Sales VP").canonical
        'Vice President of Sales'
        >>> t = normalize_title("Senior Data Engineer")
        >>> t.canonical, t.value, t.seniority, t.function
        (None, 'Senior Data Engineer', 'senior', 'engineering')
    """
    if taxonomy is not None and not isinstance(taxonomy, TitleTaxonomy):
        raise TypeError(f"option 'taxonomy' must be a TitleTaxonomy, not {type(taxonomy).__name__}")
    raw, problem = coerce_text(value)
    if raw is None:
        return JobTitle(original=value, issues=(problem or "missing",))
    issues: tuple[str, ...] = ()
    if len(raw) > _MAX_TITLE_CHARS:
        raw = raw[: min(_MAX_TITLE_CHARS, MAX_VALUE_CHARS)]
        issues = ("too_long",)
    text = normalize_text(raw, strip_special=True).text
    if text is None:
        return JobTitle(original=value, issues=(*issues, "missing"))
    result = _normalize(text, taxonomy or _default())
    return attrs.evolve(result, original=value, issues=issues + result.issues)


@functools.lru_cache(maxsize=65_536)
def _normalize(text: str, taxonomy: TitleTaxonomy) -> JobTitle:
    key = _key(text)
    plain = match_key(text) or ""
    if not key or plain in _PLACEHOLDERS or len(set(key.replace(" ", ""))) == 1:
        return JobTitle(original=text, text=text, issues=("placeholder_title",))
    entry = taxonomy.entries.get(key)
    if entry is not None:
        return _known(text, key, entry, fuzzy=False)
    parts = [p for p in _ROLE_SPLIT_RE.split(key) if p]
    if len(parts) > 1:
        found = [e for e in (_lookup(p, taxonomy)[0] for p in parts) if e is not None]
        if len(found) == len(parts):
            roles = tuple(dict.fromkeys(e[0] for e in found))
            best = min(found, key=_preference)
            return JobTitle(original=text, text=text, canonical=best[0], seniority=best[1],
                            function=best[2], roles=roles, valid=True)  # fmt: skip
    spelled = _spell(key, taxonomy) if len(key) > 5 else key
    entry = taxonomy.entries.get(spelled)
    if entry is not None:
        return _known(text, key, entry, fuzzy=True)
    canonical, seniority, function = _parse_parts(spelled)
    if canonical is not None:
        issues: tuple[str, ...] = ("title_typo_corrected",) if spelled != key else ()
        return JobTitle(original=text, text=text, canonical=canonical, seniority=seniority,
                        function=function, roles=(canonical,), valid=True,
                        issues=issues)  # fmt: skip
    entry, fuzzy = _lookup(key, taxonomy)
    if entry is not None:
        return _known(text, key, entry, fuzzy=fuzzy)
    return JobTitle(original=text, text=text, seniority=seniority, function=function,
                    valid=True, issues=("unknown_title",))  # fmt: skip


# Titles that say who someone is rather than what they do lose a tie to one that says it:
# "Founder & CEO" is filed as Chief Executive Officer.
_STATUS_TITLES: Final = frozenset({"Founder", "Owner", "Partner", "Chairman", "President"})


def _preference(entry: tuple[str, str | None, str | None]) -> tuple[int, int]:
    return _RANK.get(entry[1] or "individual", 9), entry[0] in _STATUS_TITLES


def _known(
    text: str, key: str, entry: tuple[str, str | None, str | None], *, fuzzy: bool
) -> JobTitle:
    canonical, seniority, function = entry
    seniority, function = _complete(key, canonical, seniority, function)
    return JobTitle(original=text, text=text, canonical=canonical, seniority=seniority,
                    function=function, roles=(canonical,), valid=True,
                    issues=("title_typo_corrected",) if fuzzy else ())  # fmt: skip


def _complete(
    key: str, canonical: str, seniority: str | None, function: str | None
) -> tuple[str | None, str | None]:
    """Fill a generic entry's missing function from the title's words ("Director, Sales")."""
    if function is None:
        _, _, function = _parse_parts(key)
    return seniority, function
