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
    "fake_phone": "A placeholder: invalid and shaped like one (1234567890), or one digit repeated.",
    "fictional_phone": (
        "Valid, but in a range reserved for films and examples (555-0100 to 555-0199)."
    ),
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
    "email_in_name": "An email address stands where a person's name should.",
    "fake_name": "A well-known fake name: Mickey Mouse, John Doe, Max Mustermann, ...",
    "multiple_people": "The field names two people (John & Jane Smith); the first one is kept.",
    "only_initials": "The name is only initials (J. R.), too little to identify a person.",
    "placeholder_name": "A placeholder instead of a name: N/A, unknown, test test, asdf, xxx, ...",
    "possible_swapped_names": "The family name is a common given name and the given name is not.",
    "role_in_name": "A role or department (Accounts Payable, Sales Team, info), not a person.",
    "single_name": "Only one name: the given name, or the family name after a title (Mr. Smith).",
    "unsplit_name": "A native-script CJK name whose family name could not be told from the given.",
    # --- job title -------------------------------------------------------------------------
    "multiple_roles": "The title holds several roles (Founder & CEO); all are in .roles.",
    "not_a_title": "The title field holds an email address, a web address or a phone number.",
    "placeholder_title": "A placeholder instead of a job title: N/A, -, test, asdf, ...",
    "salutation_title": "A form of address (Mr., Mrs., Dr.) stands where a job title should.",
    "title_typo_corrected": "The title matched the taxonomy despite a typo (CEOn, Markting).",
    "unknown_title": "Not in the taxonomy; seniority and function come from the words.",
    # --- company ---------------------------------------------------------------------------
    "domain_as_company": "The company field holds a web domain or URL; the name was read from it.",
    "email_as_company": "The company field holds an email address; the name was read from it.",
    "legal_form_only": "The company field holds only a legal form (Inc., GmbH, ООО), no name.",
    "not_employed": "The company field says the person has no employer: retired, student, ...",
    "placeholder_company": "The company field holds a placeholder: N/A, none, -, test, unknown.",
    "self_employed": "The company field says the person is self-employed or freelance.",
    # --- postal address --------------------------------------------------------------------
    "country_inferred": "The address names no country; it was inferred from its state or postcode.",
    "fake_address": "A placeholder, not an address: N/A, none, unknown, 123 Test St, Anytown.",
    "invalid_postcode": "The postcode does not fit the country's postcode format.",
    "invalid_region": "The state or province is not one of the country's (US, CA, AU, BR).",
    "missing_city": "The address has no city.",
    "missing_country": "The address names no country and none could be inferred.",
    "missing_house_number": "The street line has no house number (and is not a PO box).",
    "missing_postcode": "The address has no postcode, in a country that uses postcodes.",
    "missing_region": "The address has no state or province, in a country whose post needs it.",
    "missing_street": "The address has no street line (street or PO box).",
    "po_box": "The address is a PO box (or rural route), not a street address.",
    "postcode_region_mismatch": "The ZIP or postal code does not belong to the state or province.",
    "postcode_zero_padded": "A ZIP code that had lost its leading zeros (2134) was padded (02134).",
    "unknown_country": "The country value is not a country name or ISO code crmclean knows.",
    # --- date ------------------------------------------------------------------------------
    "ambiguous_date": "Day and month could be either way round (03/04/1971); read by dayfirst.",
    "future_date": "The date lies after today: possible for a due date, not for a birth date.",
    "invalid_date": "Written as a date, but no such day exists (1971-02-30, month 13).",
    "not_a_date": "The value holds no date in any form crmclean reads.",
    "partial_date": "Only the year, or the year and month, is known (1971, June 1971).",
    "placeholder_date": "A date systems store for 'unknown': 1900-01-01, 1970-01-01, 9999-12-31.",
    "two_digit_year": "The year was written with two digits; its century was inferred.",
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

