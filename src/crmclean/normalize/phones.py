"""Phone numbers: any CRM spelling in, E.164 out, with the number's kind and what was wrong.

Parsing and validation are Google's libphonenumber rules through the ``phonenumbers`` package,
the only trustworthy source of every country's numbering plan. crmclean adds what CRM data
needs around it: reading the forms people really type (``1234567890``, ``+44 (0)20 …``,
``8 (495) …``, ``доб. 12``), splitting two numbers typed into one field, telling placeholder
numbers (``555-555-5555``) from real ones, and issue codes instead of exceptions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Final

import attrs
import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from crmclean.errors import ConfigError
from crmclean.normalize._base import MAX_VALUE_CHARS, coerce_text, require_str

__all__ = [
    "PHONE_KINDS",
    "Phone",
    "normalize_phone",
    "normalize_phone_rows",
    "phone_region",
    "phone_regions",
]

#: The values :attr:`Phone.kind` can take (besides ``None`` when the number is not valid).
PHONE_KINDS: Final = (
    "fixed_line", "mobile", "fixed_line_or_mobile", "toll_free", "premium_rate", "shared_cost",
    "voip", "personal", "pager", "uan", "voicemail",
)  # fmt: skip

_KIND_NAMES: Final[dict[int, str | None]] = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.UNKNOWN: None,
}
_REGIONS: Final = frozenset(phonenumbers.SUPPORTED_REGIONS)
_NANP: Final = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1])
#: Longest text read as a phone field; longer values are cut (issue ``too_long``).
_MAX_PHONE_CHARS: Final = 200
# Labels people type before a number: "Tel:", "Mob.", "Phone -", "тел.", "Tél".
_LABEL_RE: Final = re.compile(
    r"^\s*(?:tel(?:ephone)?|t[ée]l[ée]?phone|t[ée]l|phone|ph|mob(?:ile)?|cell|fax|work|home|"
    r"office|direct|main|тел(?:ефон)?|моб(?:ильный)?|сот(?:овый)?|gsm|handy|celular|cel)"
    r"\s*[.:#-]?\s*(?=[+(0-9])",
    re.IGNORECASE,
)
_MULTI_SPLIT_RE: Final = re.compile(r"\s*(?:[;,/|\n]|\s(?:or|oder|или|ou|o)\s|\s{3,})\s*")
_DIGITS_RE: Final = re.compile(r"\d")
_NON_DIGIT_RE: Final = re.compile(r"\D+")
_IDD_00_RE: Final = re.compile(r"^\D*0\D?0")
_IDD_011_RE: Final = re.compile(r"^\D*0\D?1\D?1")
_LETTERS_RE: Final = re.compile(r"[^\W\d_]")
_EXTENSION_WORD_RE: Final = re.compile(r"(?:ext|x|доб|#|ext\.|extension|durchwahl|poste)", re.I)
_FAKE_SEQUENCES: Final = frozenset(
    {
        "1234567", "12345678", "123456789", "1234567890", "12345678901", "0123456789",
        "9876543210", "987654321", "0987654321", "1231231234", "1112223333", "5551234567",
    }
)  # fmt: skip


@attrs.frozen
class Phone:
    """The result of :func:`normalize_phone`.

    Attributes:
        original: the value exactly as given.
        e164: the number in E.164 form (``"+14155552671"``) when it is a valid number, else None.
        national: the number as dialled inside its country (``"(415) 555-2671"``).
        international: the number in international format (``"+1 415-555-2671"``).
        extension: the extension (``"123"`` from ``"x123"``, ``"ext. 123"``, ``"доб. 123"``).
        kind: ``"mobile"``, ``"fixed_line"``, ``"toll_free"``, … (see :data:`PHONE_KINDS`).
        region: the number's country, ISO 3166-1 alpha-2 (``"US"``, ``"GB"``).
        country_code: the country calling code (``1``, ``44``).
        others: further numbers found in the same field, in E.164 where valid.
        valid: whether the number is a valid, non-placeholder number.
        issues: issue codes (see :data:`crmclean.ISSUE_CODES`).

    Example:
        >>> p = normalize_phone("+1 (415) 555-2671 ext. 12")
        >>> p.e164, p.extension, p.kind, p.region
        ('+14155552671', '12', 'fixed_line_or_mobile', 'US')
    """

    original: object
    e164: str | None = None
    national: str | None = None
    international: str | None = None
    extension: str | None = None
    kind: str | None = None
    region: str | None = None
    country_code: int | None = None
    others: tuple[str, ...] = ()
    valid: bool = False
    issues: tuple[str, ...] = ()

    @property
    def value(self) -> str | None:
        """The standardized value (same as :attr:`e164`)."""
        return self.e164


def phone_region(region: object) -> str | None:
    """Check a region option and return it upper-cased (``None`` stays ``None``).

    Raises:
        TypeError: ``region`` is not a str.
        ConfigError: ``region`` is not a region code that phone numbering plans know.

    Example:
        >>> phone_region("gb")
        'GB'
    """
    text = require_str("region", region)
    if text is None:
        return None
    code = text.strip().upper()
    if code not in _REGIONS:
        raise ConfigError(
            f"unknown region code {text!r}: expected an ISO 3166-1 alpha-2 code such as "
            "'US', 'GB' or 'DE'"
        )
    return code


def _clean(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    text = text.strip()
    if text[:4].lower() == "tel:":
        text = text[4:]
    match = _LABEL_RE.match(text)
    if match:
        text = text[match.end() :]
    return text


def _split_numbers(text: str) -> list[str]:
    """Split a field holding several numbers; keep parts together unless each looks whole."""
    parts = [p for p in _MULTI_SPLIT_RE.split(text) if p]
    if len(parts) < 2:
        return [text]
    if len(_DIGITS_RE.findall(parts[0])) < 6:  # "030/1234567": area code / number
        return [text]
    out: list[str] = []
    for part in parts:
        if len(_DIGITS_RE.findall(part)) >= 7 or not out:
            out.append(part)
        elif _LETTERS_RE.search(part):  # "…, ext 12" belongs to the number before it
            out[-1] = out[-1] + " " + part
        else:  # "415-555-2671/72": an alternative ending, kept as typed
            out.append(part)
    return out


def _is_fake(national_digits: str) -> bool:
    """Placeholder numbers: sequences, one repeated digit, repeated pairs, 555 fictional ones."""
    digits = national_digits
    if len(digits) < 6:
        return False
    if digits in _FAKE_SEQUENCES or len(set(digits)) == 1:
        return True
    if len(digits) >= 7 and len(set(digits[-7:])) == 1:  # 415-000-0000, 212 999 9999
        return True
    if len(digits) >= 8 and digits == (digits[:2] * len(digits))[: len(digits)]:  # 1212121212
        return True
    if len(digits) == 10:
        exchange, line = digits[3:6], digits[6:]
        if exchange == "555" and (line[:2] == "01" or line == "5555"):
            return True
        if digits[:3] == "555" and exchange == "555":
            return True
    return False


def _infer(digits: str) -> str | None:
    """Guess the country of a number given without one, only where the guess is safe."""
    if len(digits) == 10 and digits[0] in "23456789" and digits[3] in "23456789":
        return "US"  # the North American plan: NXX-NXX-XXXX
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "23456789":
        return "US"
    if len(digits) == 11 and digits[0] == "8" and digits[1] in "3489":
        return "RU"  # 8 (495) … is the Russian trunk prefix
    return None


def _parse_one(
    text: str, region: str | None
) -> tuple[phonenumbers.PhoneNumber | None, list[str], str]:
    """Parse one number; return (number or None, issue codes, national digits as typed)."""
    issues: list[str] = []
    digits = _NON_DIGIT_RE.sub("", _main_part(text))
    if not digits:
        return None, ["not_a_phone"], ""
    stripped = text.lstrip(" ([")
    if stripped[:1] == "+":
        parse_region = None
        national = digits
    else:
        parse_region = region
        national = digits
        # "00" dials abroad from most of the world and never starts a national number, so it
        # is read as "+" whatever the region; "011" does so from the North American plan.
        if digits.startswith("00") and len(digits) > 9:
            text = _IDD_00_RE.sub("+", text, count=1)
            national = digits[2:]
        elif digits.startswith("011") and len(digits) > 10 and region in (None, *_NANP):
            text = _IDD_011_RE.sub("+", text, count=1)
            national = digits[3:]
        elif region is None:
            parse_region = _infer(digits)
            if parse_region is None:
                return None, ["missing_country_code"], digits
            issues.append("region_inferred")
    try:
        number = phonenumbers.parse(text, parse_region)
    except NumberParseException as exc:
        code = {
            NumberParseException.INVALID_COUNTRY_CODE: "invalid_country_code",
            NumberParseException.TOO_SHORT_NSN: "phone_too_short",
            NumberParseException.TOO_SHORT_AFTER_IDD: "phone_too_short",
            NumberParseException.TOO_LONG: "phone_too_long",
        }.get(exc.error_type, "not_a_phone")
        return None, [*issues, code], national
    nsn = str(number.national_number)
    if number.italian_leading_zero:
        nsn = "0" * (number.number_of_leading_zeros or 1) + nsn
    return number, issues, nsn


def _main_part(text: str) -> str:
    """The text before an extension marker, for counting the main number's digits."""
    match = _EXTENSION_WORD_RE.search(text)
    if match and len(_DIGITS_RE.findall(text[: match.start()])) >= 6:
        return text[: match.start()]
    return text


def normalize_phone(value: object, *, region: str | None = None) -> Phone:
    """Parse a phone number as CRMs hold it and standardize it to E.164.

    Accepts national forms (``"(415) 555-2671"`` with ``region="US"``), international ones
    (``"+44 (0)20 7946 0958"``, ``"0044 20 7946 0958"``, ``"011 44 …"``), Russian trunk
    prefixes (``"8 (495) 123-45-67"``), extensions (``x123``, ``ext. 123``, ``#123``,
    ``доб. 12``), labels (``"Tel: …"``), full-width digits and numbers stored as floats. When a
    field holds two numbers, the first is the result and the rest go to ``.others`` (issue
    ``multiple_numbers``). Placeholders (``1234567890``, ``555-555-5555``, one repeated digit)
    are not valid (issue ``fake_phone``).

    Without ``region``, a number with no country code is read only where that is safe: ten
    digits in the North American pattern (US/Canada), or ``8`` + eleven digits (Russia); both
    add the issue ``region_inferred``. Anything else gets ``missing_country_code``.

    Args:
        value: any cell value.
        region: the country to read national numbers in (ISO 3166-1 alpha-2), e.g. the
            contact's country. Numbers written with a country code ignore it.

    Raises:
        ConfigError: ``region`` is not a known region code.
        TypeError: ``region`` is not a str.

    Example:
        >>> normalize_phone("(415) 555-2671", region="US").e164
        '+14155552671'
        >>> normalize_phone("8 (495) 123-45-67").e164
        '+74951234567'
        >>> p = normalize_phone("555-555-5555", region="US")
        >>> p.valid, p.issues
        (False, ('fake_phone',))
    """
    region = phone_region(region)
    raw, problem = coerce_text(value)
    if raw is None:
        return Phone(original=value, issues=(problem or "missing",))
    issues: list[str] = []
    if len(raw) > _MAX_PHONE_CHARS:
        raw = raw[: min(_MAX_PHONE_CHARS, MAX_VALUE_CHARS)]
        issues.append("too_long")
    text = _clean(raw)
    if text.endswith(".0") and text[:-2].isdigit():  # a number a spreadsheet stored as float
        text = text[:-2]
    if not text:
        return Phone(original=value, issues=("missing",))
    parts = _split_numbers(text)
    if len(parts) > 1:
        issues.append("multiple_numbers")
    number, found, nsn = _parse_one(parts[0], region)
    for code in found:
        if code not in issues:
            issues.append(code)
    others = tuple(_other(part, region) for part in parts[1:])
    if _is_fake(nsn):
        issues.append("fake_phone")
        return Phone(original=value, others=others, issues=tuple(issues))
    if number is None:
        if not _DIGITS_RE.search(text) and _LETTERS_RE.search(text) and "not_a_phone" not in issues:
            issues.append("not_a_phone")
        return Phone(original=value, others=others, issues=tuple(issues))
    return _from_number(value, number, others, issues)


def _from_number(
    value: object, number: phonenumbers.PhoneNumber, others: tuple[str, ...], issues: list[str]
) -> Phone:
    """The :class:`Phone` of a parsed number: its formats when valid, else why it is not."""
    # is_valid_number() is region_code_for_number() + is_valid_number_for_region(); doing the
    # two steps here gives the region too, without paying for the lookup twice.
    number_region = phonenumbers.region_code_for_number(number)
    valid = number_region is not None and phonenumbers.is_valid_number_for_region(
        number, number_region
    )
    extension = number.extension or None
    country_code = number.country_code or None
    if not valid:
        number_region = phonenumbers.region_code_for_country_code(country_code or 0)
        reason = phonenumbers.is_possible_number_with_reason(number)
        code = {
            phonenumbers.ValidationResult.TOO_SHORT: "phone_too_short",
            phonenumbers.ValidationResult.TOO_LONG: "phone_too_long",
            phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "invalid_country_code",
        }.get(reason, "invalid_phone")
        issues.append(code)
        return Phone(
            original=value,
            extension=extension,
            region=number_region if number_region != "ZZ" else None,
            country_code=country_code,
            others=others,
            issues=tuple(issues),
        )
    return Phone(
        original=value,
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        national=_without_extension(
            phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        ),
        international=_without_extension(
            phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        ),
        extension=extension,
        kind=_KIND_NAMES.get(phonenumbers.number_type(number)),
        region=number_region,
        country_code=country_code,
        others=others,
        valid=True,
        issues=tuple(issues),
    )


def _without_extension(formatted: str) -> str:
    cut = formatted.find(" ext. ")
    return formatted if cut < 0 else formatted[:cut]


def _other(text: str, region: str | None) -> str:
    """A further number of a multi-number field: its E.164 when valid, else its cleaned text."""
    number, _, _ = _parse_one(text, region)
    if number is not None and phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return text.strip()


def phone_regions(countries: Sequence[object], default: str | None = None) -> list[str | None]:
    """Each row's phone region from its country cell (any spelling :func:`normalize_country`
    reads), ``default`` where the country is missing or has no numbering plan.

    Raises:
        ConfigError: ``default`` is not a known region code.

    Example:
        >>> phone_regions(["Deutschland", None, "Atlantis"], default="US")
        ['DE', 'US', 'US']
    """
    from crmclean.normalize._batch import normalize_many
    from crmclean.normalize.addresses import normalize_country

    default = phone_region(default)
    codes = normalize_many(normalize_country, countries)
    return [code if code in _REGIONS else default for code in codes]


def normalize_phone_rows(values: Sequence[object], regions: Sequence[str | None]) -> list[Phone]:
    """The batch form of :func:`normalize_phone` with a region per row (the contact's own
    country, see :func:`phone_regions`): one :class:`Phone` per value, each distinct value
    parsed once per region. Numbers in the common shapes are read by a fast path over
    libphonenumber's metadata, the rest by :func:`normalize_phone`; the results are the same.

    Example:
        >>> [p.e164 for p in normalize_phone_rows(["020 7946 0958"] * 2, ["GB", "US"])]
        ['+442079460958', None]
    """
    from crmclean.normalize._phonefast import phone_rows

    return phone_rows(values, regions)

