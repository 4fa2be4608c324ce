"""Issue codes: the one place where every code a normalizer or check can emit is defined.

An issue code is a short snake_case string in a result's ``.issues`` tuple. Codes are stable:
pipelines may filter on them. ``docs/issue-codes.md`` lists the same table, and a test keeps
the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = ["ISSUE_CODES", "describe_issue"]

_CODES: Final[dict[str, str]] = {
    # --- any field -------------------------------------------------------------------------
    "missing": "The value is empty: None, NaN, pd.NA, an empty string or only whitespace.",
    "unsupported_type": "The value is of a type that cannot hold this field (a list, a bool, ...).",
    "too_long": "The value is longer than any real value of the field; only its start was read.",
    # --- text ------------------------------------------------------------------------------
    "control_characters": "Control characters (C0/C1) were removed.",
    "invisible_characters": "Zero-width or other invisible format characters were removed.",
    "mojibake_repaired": "UTF-8 text that had been decoded as cp1252/Latin-1 was repaired.",
    "replacement_character": "The text holds U+FFFD: bytes were lost before it reached crmclean.",
    "special_characters_removed": "Emoji, symbols or stray special characters were removed.",
    "truncated": "The text was cut to the requested maximum length.",
    # --- phone -----------------------------------------------------------------------------
    "fake_phone": "A placeholder number: 1234567890, 555-555-5555, one repeated digit, 555-01XX.",
    "invalid_country_code": "The number starts with a country calling code that does not exist.",
    "invalid_phone": "The number does not fit its country's numbering plan.",
    "missing_country_code": "A national number with no country code and no region to read it in.",
    "multiple_numbers": "Several numbers in one field; the first is kept, the rest are in .others.",
    "not_a_phone": "The value holds no phone number (no digits, or only text).",
    "phone_too_long": "The number has more digits than any number of its country.",
    "phone_too_short": "The number has fewer digits than any number of its country.",
    "region_inferred": "No country code or region given; the country was inferred from the digits.",
    # --- email -----------------------------------------------------------------------------
    "disposable_email": "A throw-away mailbox domain (mailinator.com, ...).",
    "extra_text_removed": "Text around the address was removed: a display name, mailto:, quotes.",
    "fake_email": "A placeholder address: test@test.com, noemail@..., example.com, aaaa@...",
    "free_email": "A free mailbox provider (gmail.com, yandex.ru, qq.com, ...).",
    "invalid_email": "The address breaks email syntax (RFC 5322/6531 as mail servers accept it).",
    "invalid_tld": "The top-level domain does not exist (gmail.con).",
    "missing_at": "There is no @ in the value: it is not an email address.",
    "multiple_emails": "The field holds several addresses; the first is kept, the rest in .others.",
    "obfuscated_email": "The address was written out ('jane at acme dot com') and was rebuilt.",
    "possible_typo_domain": "The domain looks like a typo of a popular one; see .suggestion.",
    "role_email": "A role account (info@, sales@, noreply@, ...), not a person's mailbox.",
    "undeliverable_domain": "The domain has no mail servers (only with check_deliverability=True).",
    # --- person name -----------------------------------------------------------------------
    "bad_casing": "The name was typed in all capitals or all lower case and was re-cased.",
    "company_in_name": "A company (Inc, LLC, GmbH, OOO, ...) stands where a person's name should.",
    "digits_in_name": "The name holds digits.",
    "fake_name": "A well-known fake name: Mickey Mouse, John Doe, Max Mustermann, ...",
    "only_initials": "The name is only initials (J. R.), too little to identify a person.",
    "placeholder_name": "A placeholder instead of a name: N/A, unknown, test test, asdf, xxx, ...",
    "possible_swapped_names": "The family name is a common given name and the given name is not.",
    "role_in_name": "A role or department (Accounts Payable, Sales Team, info), not a person.",
    "single_name": "Only one name was given; it is read as the given name.",
    "unsplit_name": "A native-script CJK name whose family name could not be told from the given.",
    # --- job title -------------------------------------------------------------------------
    "placeholder_title": "A placeholder instead of a job title: N/A, -, test, asdf, ...",
    "title_typo_corrected": "The title matched the taxonomy despite a typo (CEOn, Markting).",
    "unknown_title": "Not in the taxonomy; seniority and function come from the words.",
    # --- company ---------------------------------------------------------------------------
    # (company codes)
    # --- postal address --------------------------------------------------------------------
    # (address codes)
}

#: Every issue code, mapped to a one-line description. Read-only.
ISSUE_CODES: Final[Mapping[str, str]] = MappingProxyType(_CODES)


def describe_issue(code: str) -> str:
    """The one-line description of an issue code.

    Raises:
        KeyError: the code is not one crmclean emits.

    Example:
        >>> describe_issue("missing")
        'The value is empty: None, NaN, pd.NA, an empty string or only whitespace.'
    """
    return _CODES[code]


def issue_codes_markdown() -> str:
    """The issue-code reference page (``docs/issue-codes.md``) as Markdown, codes sorted.

    Example:
        >>> "| `missing` |" in issue_codes_markdown()
        True
    """
    lines = [
        "# Issue codes",
        "",
        "Every code a crmclean normalizer or check can put in a result's `.issues`, with its",
        "meaning. Codes are stable: pipelines may filter on them. In Python the same table is",
        "`crmclean.ISSUE_CODES`; this page is generated from it",
        "(`python -c \"from crmclean.codes import issue_codes_markdown as m; print(m())\"`).",
        "",
        "| code | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{code}` | {text} |" for code, text in sorted(_CODES.items())]
    return "\n".join(lines) + "\n"

