"""Email addresses: validity, a provider-aware matching key, and what kind of address it is.

Syntax follows the ``email-validator`` package (RFC 5322/6531 as mail servers accept it,
internationalized domains through IDNA); it runs offline unless the caller opts in to DNS
checks. Around it crmclean reads what CRM fields really hold (``"Jane <jane@x.com>"``,
``mailto:``, two addresses in one field, ``jane at gmail dot com``), classifies the address
(free mailbox, role account such as ``info@``, disposable), suggests the intended domain for
typos (``gmial.com`` → ``gmail.com``), and builds a match key under which
``J.Smith+crm@googlemail.com`` and ``jsmith@gmail.com`` meet.

Plain ASCII addresses, the vast majority, are checked by a fast path that accepts only what
``email-validator`` accepts (a property test keeps the two in agreement); everything else goes
through ``email-validator`` itself.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Final

import attrs
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from rapidfuzz.distance import OSA

from crmclean.normalize._base import MAX_VALUE_CHARS, coerce_text, require_bool
from crmclean.normalize.data import load_rows, load_set

__all__ = ["Email", "normalize_email", "normalized_emails"]

_MAX_EMAIL_CHARS: Final = 320
# What a fast-path address may look like: dot-atom local part, LDH domain labels, an
# alphabetic TLD. Lengths are checked separately.
_ATEXT: Final = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]"
_FAST_RE: Final = re.compile(
    rf"{_ATEXT}+(?:\.{_ATEXT}+)*@((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{{2,63}}))"
)
_SPECIAL_USE: Final = frozenset(SPECIAL_USE_DOMAIN_NAMES)
_SPECIAL_TLDS: Final = frozenset(name.rsplit(".", 1)[-1] for name in _SPECIAL_USE)
_WRAPPER_RE: Final = re.compile(r"^(?:mailto:|e-?mail\s*:)\s*", re.IGNORECASE)
_ANGLE_RE: Final = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
_SPLIT_RE: Final = re.compile(r"[\s,;]+")
_MULTI_SPLIT_RE: Final = re.compile(r"[\s,;|/]+")
_AT_WORD_RE: Final = re.compile(r"\s*(?:\(|\[|\{|\s)\s*(?:at|собака)\s*(?:\)|\]|\}|\s)\s*", re.I)
_DOT_WORD_RE: Final = re.compile(r"\s*(?:\(|\[|\{|\s)\s*(?:dot|точка)\s*(?:\)|\]|\}|\s)\s*", re.I)
# Full-width forms of ASCII (U+FF01-U+FF5E) and the ideographic space, as East Asian input
# methods type them ("ｊａｎｅ＠ａｃｍｅ．ｃｏｍ"): each is read as its ASCII character. This is the
# only folding done before validation. NFKC is not: it changes what the address is
# ("⒈" → "1.", a new domain label; "ﬃ" → "ffi", three characters for one), while the local
# part is NFC-normalized and the domain mapped by UTS-46 inside the validator, which checks the
# address as typed and as normalized.
_WIDTH_FOLD: Final = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Characters that cannot start or end an address but cling to it in CRM fields.
_LEAD_JUNK: Final = " \t\r\n\"<>()[],;:"
_TRAIL_JUNK: Final = " \t\r\n\"<>()[],;:."
_FAKE_LOCALS: Final = frozenset(
    {
        "test", "testing", "tester", "test1", "test123", "asdf", "asdfasdf", "qwerty", "none",
        "noemail", "no-email", "no_email", "nomail", "no.email", "noname", "na", "n.a", "null",
        "nil", "fake", "example", "sample", "email", "youremail", "your.email", "yourname",
        "username", "abc", "abc123", "xxx", "xyz", "foo", "bar", "foobar",
        "blah", "dummy", "unknown", "nobody", "donotemail", "dontemail", "optout", "spam",
        "jdoe", "john.doe", "johndoe", "jane.doe", "janedoe",
    }
)  # fmt: skip
_FAKE_DOMAINS: Final = frozenset(
    {
        "example.com", "example.org", "example.net", "test.com", "test.net", "test.org",
        "domain.com", "yourdomain.com", "mydomain.com", "company.com", "yourcompany.com",
        "mycompany.com", "noemail.com", "nomail.com", "none.com", "no.com", "fake.com",
        "asdf.com", "xxx.com", "sample.com", "email.test", "mail.test", "abc.com", "aaa.com",
        "nowhere.com", "nospam.com", "donotreply.com",
    }
)  # fmt: skip
# TLD slips an edit-distance rule on the whole domain would also catch, but which are safe to
# fix even for unknown domains because the typed TLD does not exist.
_TLD_TYPOS: Final = {
    "con": "com", "cmo": "com", "ocm": "com", "comm": "com", "coom": "com", "cim": "com",
    "vom": "com", "xom": "com", "cpm": "com", "copm": "com", "comn": "com", "c0m": "com",
    "nte": "net", "ner": "net", "nett": "net", "ogr": "org", "orgg": "org", "rog": "org",
    "ry": "ru", "rru": "ru", "dee": "de", "uk.co": "co.uk",
}  # fmt: skip


@attrs.frozen
class Email:
    """The result of :func:`normalize_email`.

    Attributes:
        original: the value exactly as given.
        normalized: the address trimmed and lower-cased, domain in IDNA (ASCII) form.
        match_key: the address as its mailbox provider reads it, for matching: dots and
            ``+tags`` removed where the provider ignores them, provider aliases folded
            (``googlemail.com`` → ``gmail.com``).
        local: the part before the ``@``.
        domain: the domain, IDNA (ASCII) form.
        valid: the syntax is valid, the top-level domain exists and it is not a placeholder.
        is_free: a free mailbox provider (gmail.com, yandex.ru, qq.com, ...).
        is_role: a role account (info@, sales@, noreply@, ...), not a person.
        is_disposable: a throw-away mailbox domain (mailinator.com, ...).
        suggestion: the address probably meant, when the domain looks like a typo.
        others: further addresses found in the same field.
        issues: issue codes (see :data:`crmclean.ISSUE_CODES`).

    Example:
        >>> e = normalize_email(" J.Smith+CRM@GoogleMail.com ")
        >>> e.normalized, e.match_key, e.is_free
        ('j.smith+crm@googlemail.com', 'jsmith@gmail.com', True)
    """

    original: object
    normalized: str | None = None
    match_key: str | None = None
    local: str | None = None
    domain: str | None = None
    valid: bool = False
    is_free: bool = False
    is_role: bool = False
    is_disposable: bool = False
    suggestion: str | None = None
    others: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()

    @property
    def value(self) -> str | None:
        """The standardized value (same as :attr:`normalized`)."""
        return self.normalized


@attrs.frozen
class _Domain:
    canonical: str
    ignore_dots: bool
    plus_tags: bool
    is_free: bool
    is_disposable: bool
    tld_known: bool
    fake: bool
    suggestion: str | None


@functools.cache
def _providers() -> dict[str, tuple[str, bool, bool]]:
    return {
        row["domain"]: (row["canonical"], row["ignore_dots"] == "1", row["plus_tags"] == "1")
        for row in load_rows("email_providers.csv")
    }


@functools.cache
def _popular() -> tuple[str, ...]:
    return tuple(r["domain"] for r in load_rows("email_providers.csv") if r["popular"] == "1")


@functools.cache
def _typos() -> dict[str, str]:
    return {row["typo"]: row["domain"] for row in load_rows("email_domain_typos.csv")}


def _is_disposable(domain: str) -> bool:
    disposable = load_set("disposable_email_domains.txt")
    labels = domain.split(".")
    return any(".".join(labels[i:]) in disposable for i in range(len(labels) - 1))


@functools.lru_cache(maxsize=65_536)
def _domain_info(domain: str) -> _Domain:
    """Everything crmclean knows about one domain; cached, since domains repeat."""
    tld = domain.rsplit(".", 1)[-1]
    tld_known = tld in load_set("tlds.txt")
    canonical, ignore_dots, plus_tags = _providers().get(domain, (domain, False, False))
    free = load_set("free_email_domains.txt")
    is_free = domain in free or canonical in free
    suggestion = _typos().get(domain)
    known = is_free or domain in _providers()
    if suggestion is None and not known:
        suggestion = _suggest(domain, tld, tld_known)
    return _Domain(
        canonical=canonical,
        ignore_dots=ignore_dots,
        plus_tags=plus_tags,
        is_free=is_free,
        is_disposable=_is_disposable(domain),
        tld_known=tld_known,
        fake=domain in _FAKE_DOMAINS,
        suggestion=suggestion,
    )


def _suggest(domain: str, tld: str, tld_known: bool) -> str | None:
    """The popular domain one edit away, or the domain with its TLD slip fixed."""
    if len(domain) >= 7:
        for popular in _popular():
            if abs(len(popular) - len(domain)) <= 1 and OSA.distance(domain, popular) == 1:
                return popular
    if not tld_known:
        fixed = _TLD_TYPOS.get(tld)
        if fixed is not None:
            return domain[: len(domain) - len(tld)] + fixed
    return None


def _extract(text: str) -> tuple[list[str], bool]:
    """The address candidates in a field, and whether text around them was removed."""
    angle = _ANGLE_RE.findall(text)
    if angle:
        return angle, True
    stripped = _WRAPPER_RE.sub("", text)
    extra = stripped != text
    if stripped.count("@") > 1:
        # several addresses: "/" and "|" are legal inside one, but not between two of them
        parts = [p for p in _MULTI_SPLIT_RE.split(stripped) if "@" in p]
    else:
        parts = [p for p in _SPLIT_RE.split(stripped) if p]
        if len(parts) > 1:
            return [stripped], extra  # words around one address: not an address
    out = []
    for part in parts:
        trimmed = part.lstrip(_LEAD_JUNK).rstrip(_TRAIL_JUNK)
        if trimmed != part:
            extra = True
        if trimmed:
            out.append(trimmed)
    return out, extra


def _deobfuscate(text: str) -> str | None:
    """``jane (at) acme (dot) com`` → ``jane@acme.com``, if the field is written that way."""
    at = _AT_WORD_RE.split(text)
    if len(at) != 2:
        return None
    domain = _DOT_WORD_RE.sub(".", at[1])
    candidate = (at[0].strip() + "@" + domain.strip()).replace(" ", "")
    return candidate if "." in domain else None


def _fast_syntax(address: str) -> tuple[str, str] | None:
    """(local, domain) of a lower-cased plain ASCII address that ``email-validator`` accepts
    (a dot-atom local part, LDH domain labels, an alphabetic TLD, within the lengths); None
    for any other, which the validator itself reads."""
    if not (address.isascii() and len(address) <= 254):
        return None
    match = _FAST_RE.fullmatch(address)
    if match is None:
        return None
    domain = match.group(1)
    local = address[: len(address) - len(domain) - 1]
    if len(local) > 64 or len(domain) > 253:
        return None
    if (len(domain) > 63 or "--" in domain) and not all(
        len(label) <= 63 and label[2:4] != "--" for label in domain.split(".")
    ):
        return None
    if match.group(2) in _SPECIAL_TLDS and any(
        domain == s or domain.endswith("." + s) for s in _SPECIAL_USE
    ):
        return None
    return local, domain


def _check_syntax(address: str, deliverability: bool) -> tuple[str, str, str | None]:
    """Return (local, ascii domain, error) for a lower-cased address."""
    if not deliverability:
        found = _fast_syntax(address)
        if found is not None:
            return found[0], found[1], None
    try:
        # strict: the local part's limit of 64 characters (RFC 5321 4.5.3.1.1) holds too,
        # also when only its NFC form exceeds it.
        checked = validate_email(address, check_deliverability=deliverability, strict=True)
    except EmailNotValidError as exc:
        reason = str(exc)
        return "", "", "undeliverable_domain" if "does not" in reason else "invalid_email"
    return checked.local_part.lower(), checked.ascii_domain.lower(), None


def normalize_email(value: object, *, check_deliverability: bool = False) -> Email:
    """Validate and standardize an email address, and classify it.

    Reads ``"Jane Smith <jane@x.com>"``, ``"mailto:jane@x.com"``, trailing punctuation, two
    addresses in one field (the first is the result, the rest go to ``.others`` with the issue
    ``multiple_emails``) and obfuscated ``"jane at x dot com"``. The address is lower-cased and
    its domain converted to IDNA. An address is ``valid`` when its syntax is valid, its
    top-level domain exists and it is not a placeholder (``test@test.com``); free, role and
    disposable addresses stay valid but carry an issue code saying so.

    Args:
        value: any cell value.
        check_deliverability: also look up the domain's mail servers in DNS (needs network;
            slow). Off by default: crmclean never touches the network unless asked.

    Example:
        >>> e = normalize_email("Jane.Smith@gmial.com")
        >>> e.normalized, e.suggestion, e.issues
        ('jane.smith@gmial.com', 'jane.smith@gmail.com', ('possible_typo_domain', 'free_email'))
        >>> normalize_email("info@acme-corp.com").is_role
        True
        >>> normalize_email("not-an-email").issues
        ('missing_at',)
    """
    deliverability = require_bool("check_deliverability", check_deliverability)
    raw, problem = coerce_text(value)
    if raw is None:
        return Email(original=value, issues=(problem or "missing",))
    issues: list[str] = []
    if len(raw) > _MAX_EMAIL_CHARS:
        raw = raw[: min(_MAX_EMAIL_CHARS, MAX_VALUE_CHARS)]
        issues.append("too_long")
    text = raw.strip()
    if not text.isascii():
        text = text.translate(_WIDTH_FOLD).strip()
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    if not text:
        return Email(original=value, issues=("missing",))
    if "@" not in text:
        repaired = _deobfuscate(text)
        if repaired is None:
            issues.append("missing_at")
            return Email(original=value, issues=tuple(issues))
        text = repaired
        issues.append("obfuscated_email")
    candidates, extra = _extract(text)
    if not candidates:
        issues.append("invalid_email")
        return Email(original=value, issues=tuple(issues))
    if extra:
        issues.append("extra_text_removed")
    if len(candidates) > 1:
        issues.append("multiple_emails")
    others = tuple(c.lower() for c in candidates[1:])
    address = candidates[0].lower()
    local, domain, error = _check_syntax(address, deliverability)
    if error is not None:
        issues.append(error)
        if address.count("@") == 1 and error == "invalid_email":
            suggestion = _typos().get(address.rsplit("@", 1)[1])
            if suggestion:
                issues.append("possible_typo_domain")
                return Email(
                    original=value,
                    suggestion=address.rsplit("@", 1)[0] + "@" + suggestion,
                    others=others,
                    issues=tuple(issues),
                )
        return Email(original=value, others=others, issues=tuple(issues))
    return _classified(value, local, domain, others, issues)


def _classified(
    value: object, local: str, domain: str, others: tuple[str, ...], issues: list[str]
) -> Email:
    """The :class:`Email` of an address whose syntax is valid: its domain's and local part's
    classification and its provider-aware match key."""
    info = _domain_info(domain)
    valid = True
    if not info.tld_known:
        issues.append("invalid_tld")
        valid = False
    suggestion = None
    if info.suggestion is not None:
        suggestion = f"{local}@{info.suggestion}"
        issues.append("possible_typo_domain")
    base_local = local.split("+", 1)[0] if "+" in local[1:] else local
    is_role = base_local in load_set("role_email_locals.txt")
    if info.fake or base_local in _FAKE_LOCALS or _repeated(base_local):
        issues.append("fake_email")  # a placeholder says more than role/free would
        valid = False
    else:
        if is_role:
            issues.append("role_email")
        if info.is_disposable:
            issues.append("disposable_email")
        elif info.is_free:
            issues.append("free_email")
    key_local = local
    if info.plus_tags and "+" in key_local[1:]:
        key_local = key_local.split("+", 1)[0]
    if info.ignore_dots:
        key_local = key_local.replace(".", "")
    return Email(
        original=value,
        normalized=f"{local}@{domain}",
        match_key=f"{key_local}@{info.canonical}",
        local=local,
        domain=domain,
        valid=valid,
        is_free=info.is_free,
        is_role=is_role,
        is_disposable=info.is_disposable,
        suggestion=suggestion,
        others=others,
        issues=tuple(issues),
    )


def _repeated(local: str) -> bool:
    """``aaaa``, ``xxxxx``, ``1111``: one character typed again and again."""
    return len(local) >= 3 and len(set(local.replace(".", ""))) == 1


def normalized_emails(values: Sequence[object]) -> list[str | None]:
    """The :attr:`Email.normalized` address of each value, as :func:`normalize_email` gives it,
    each distinct value read once: a plain address (ASCII, one ``@``, nothing around it) is
    lower-cased and checked by the fast syntax path alone, without classifying it; anything
    else goes through :func:`normalize_email`.

    Example:
        >>> normalized_emails([" Jane.Doe@Acme.com", "Jane <jane@x.org>", "not-an-email"])
        ['jane.doe@acme.com', 'jane@x.org', None]
    """
    try:
        distinct = list(dict.fromkeys(values))
    except TypeError:  # an unhashable cell: one by one
        return [normalize_email(v).normalized for v in values]
    found: dict[object, str | None] = {}
    for value in distinct:
        address = None
        if type(value) is str and len(value) <= _MAX_EMAIL_CHARS:
            text = value.strip()
            if text.isascii():
                lower = text.lower()
                if _fast_syntax(lower) is not None:
                    address = lower
        found[value] = address if address is not None else normalize_email(value).normalized
    return [found[v] for v in values]
