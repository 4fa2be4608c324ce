"""Phone numbers: any CRM spelling in, E.164 out, with the number's kind and what was wrong.

Parsing and validation are Google's libphonenumber rules through the ``phonenumbers`` package,
the only trustworthy source of every country's numbering plan. crmclean adds what CRM data
needs around it: reading the forms people really type (``1234567890``, ``+44 (0)20 …``,
``8 (495) …``, ``доб. 12``, ``(office)``) and RFC 3966 ``tel:`` URIs, splitting two numbers
typed into one field, telling placeholder numbers from real ones (the numbering plan decides, not
the digits' look), and issue codes instead of exceptions.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Final

import attrs
import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from crmclean.errors import ConfigError
from crmclean.normalize._base import MAX_VALUE_CHARS, coerce_text, require_str
from crmclean.normalize.data import load_rows

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
# Where a field holding several numbers is cut: ";", ",", "/", "|", a line break, "or". The
# separator is captured, so that a piece that turns out to belong to the number before it (an
# extension, an RFC 3966 parameter) is put back exactly as typed.
_MULTI_SPLIT_RE: Final = re.compile(r"(\s*(?:[;,/|\n]+|\s(?:or|oder|или|ou|o)\s)\s*)")
# An RFC 3966 parameter after ";": "phone-context=+64", "ext=456", "isub=12345", "a=%A1".
_URI_PARAM_RE: Final = re.compile(r"[a-z0-9-]+=", re.IGNORECASE)
# A phone-context that is a global number ("+64", "+64-3"): the number has a country code.
_GLOBAL_CONTEXT_RE: Final = re.compile(r";\s*phone-context=\s*\+", re.IGNORECASE)
# Extension labels as libphonenumber reads them (explicit: "ext", "extension", "extensión",
# "xtn", "доб", "anexo"; ambiguous: "x", "#", "~", "int"), plus CRM words ("durchwahl", "poste").
_EXT_WORD: Final = r"(?:e?xt(?:ensi(?:o\u0301?|\u00f3))?n?|доб|anexo|durchwahl|poste|int|x)\.?:?"
_EXT_START_RE: Final = re.compile(rf"(?:{_EXT_WORD}|[#~])(?![^\W\d_])", re.IGNORECASE)
# A piece ending in a label: the digits after it are its extension. ("#" right after a digit
# closes an extension instead: "… 1234-910#".)
_EXT_END_RE: Final = re.compile(rf"(?:(?<![^\W\d_]){_EXT_WORD}|~|(?<!\d)#)$", re.IGNORECASE)
# Dialled digits after a pause (";", ",", ",,"): an extension, optionally closed by "#".
_DIALLED_DIGITS_RE: Final = re.compile(r"\d{1,20}#?")
# A word in brackets is a label, not part of the number: "(office)", "[Jane]", "(ext. owner)".
_BRACKET_LABEL_RE: Final = re.compile(r"[(\[][^()\[\]\d]*[^\W\d_][^()\[\]\d]*[)\]]")
_SPACE_RE: Final = re.compile(r"\s+")
_DIGITS_RE: Final = re.compile(r"\d")
_NON_DIGIT_RE: Final = re.compile(r"\D+")
_IDD_00_RE: Final = re.compile(r"^\D*0\D?0")
_IDD_011_RE: Final = re.compile(r"^\D*0\D?1\D?1")
_LETTERS_RE: Final = re.compile(r"[^\W\d_]")
# Where the main number of a field ends, for counting its digits: an extension label or a
# dialling pause.
_EXTENSION_MARK_RE: Final = re.compile(r"[;,~#]|e?xt|x|доб|int|anexo|durchwahl|poste", re.I)
_MAY_HAVE_MARK_RE: Final = re.compile(r"[;,~#]|[^\W\d_]")  # a cheap test before the one above
# Typed shapes of placeholder numbers. They only explain a number its numbering plan rejects:
# "+43 1234567890" and Belgium's "012 34 56 78" are real numbers.
_PLACEHOLDER_SEQUENCES: Final = frozenset(
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
        valid: whether the number is a valid, non-placeholder number (a number in a range
            reserved for fiction is valid, with the issue ``fictional_phone``).
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
    if ("(" in text or "[" in text) and _LETTERS_RE.search(text):
        text = _BRACKET_LABEL_RE.sub("", text).strip()
    return text


def _split_numbers(text: str, region: str | None = None) -> list[str]:
    """Split a field holding several numbers; keep parts together unless each looks whole.

    A piece after a separator stays with the number before it when it is an RFC 3966
    parameter (``;phone-context=+64``, ``;ext=456``), an extension (``, ext 12``,
    ``; 7246433``, ``,,123#``, or digits after a label that ends the piece before them), or a
    word; a short run of digits after ``/`` is an alternative ending (``415-555-2671/72``) and
    is kept as typed; anything else with a whole number's digits is a further number.
    """
    pieces = _MULTI_SPLIT_RE.split(text)
    if len(pieces) < 3:
        return [text]
    if len(_DIGITS_RE.findall(pieces[0])) < 6:  # "030/1234567": area code / number
        return [text]
    out = [pieces[0]]
    in_uri_params = False
    for i in range(1, len(pieces) - 1, 2):
        separator, part = pieces[i], pieces[i + 1]
        if not part:
            out[-1] += separator
            continue
        pause = ";" in separator or "," in separator
        joined = (
            in_uri_params
            or (";" in separator and _URI_PARAM_RE.match(part) is not None)
            or _EXT_START_RE.match(part) is not None
            or _EXT_END_RE.search(out[-1].rstrip()) is not None
            or (pause and _is_dialled_extension(part, region))
        )
        if joined:
            in_uri_params = in_uri_params or _URI_PARAM_RE.match(part) is not None
            out[-1] += separator + part
        elif len(_DIGITS_RE.findall(part)) >= 7:
            out.append(part)
        elif _LETTERS_RE.search(part):  # "…, ext 12" belongs to the number before it
            out[-1] += separator + part
        else:  # "415-555-2671/72": an alternative ending, kept as typed
            out.append(part)
    return out if len(out) > 1 else [text]


def _is_dialled_extension(part: str, region: str | None) -> bool:
    """Digits typed after a dialling pause that are not a number of their own."""
    if _DIALLED_DIGITS_RE.fullmatch(part) is None:
        return False
    if part.endswith("#"):
        return True
    number, _, _ = _parse_one(part, region)
    return number is None or not phonenumbers.is_valid_number(number)


def _split_on_space(text: str, region: str | None) -> list[str] | None:
    """Numbers typed with only spaces between them: the first whole, valid number and the
    rest (itself split the same way), or None. Tried only on text that does not read as one
    number."""
    if len(_DIGITS_RE.findall(text)) < 14:  # two numbers of at least seven digits
        return None
    for gap in _SPACE_RE.finditer(text):
        head, rest = text[: gap.start()], text[gap.end() :]
        if len(_DIGITS_RE.findall(rest)) < 7:
            break
        if (
            rest[0] not in "+(0123456789"  # a number starts so; "x 123", "~ 123" do not
            or len(_DIGITS_RE.findall(head)) < 7
            or _EXT_END_RE.search(head) is not None  # "… ext 123": an extension
        ):
            continue
        number, _, _ = _parse_one(head, region)
        if number is None or not phonenumbers.is_valid_number(number):
            continue
        other, _, _ = _parse_one(rest, region)
        if other is not None and phonenumbers.is_possible_number(other):
            return [head, rest]
        more = _split_on_space(rest, region)
        if more is not None:
            return [head, *more]
    return None


def _looks_like_placeholder(national_digits: str) -> bool:
    """Typed shapes of placeholders: sequences, one repeated digit, repeated pairs, 555-555."""
    digits = national_digits
    if len(digits) < 6:
        return False
    if digits in _PLACEHOLDER_SEQUENCES or len(set(digits)) == 1:
        return True
    if len(digits) >= 7 and len(set(digits[-7:])) == 1:  # 415-000-0000, 212 999 9999
        return True
    if len(digits) >= 8 and digits == (digits[:2] * len(digits))[: len(digits)]:  # 1212121212
        return True
    return len(digits) == 10 and digits[:3] == "555" and digits[3:6] == "555"


@functools.cache
def _fictional_ranges() -> dict[int, re.Pattern[str]]:
    """Calling code → the national numbers its authority reserves for fiction (data file)."""
    patterns: dict[int, list[str]] = {}
    for row in load_rows("phone_fictional_ranges.csv"):
        patterns.setdefault(int(row["calling_code"]), []).append(row["national"])
    return {code: re.compile("|".join(f"(?:{p})" for p in ps)) for code, ps in patterns.items()}


def _is_placeholder(national_digits: str, country_code: int | None, valid: bool) -> bool:
    """Whether a number is a placeholder. Its numbering plan decides: a number the plan accepts
    is one only when it is a known dummy, one digit throughout (an input mask's "+7 999
    999-99-99"); a number the plan rejects (or that could not be read) is one when it has a
    placeholder's shape. (A valid number in a range reserved for fiction is no placeholder:
    see :func:`_in_fiction_range`.)"""
    if valid:
        return len(set(national_digits)) == 1
    return _looks_like_placeholder(national_digits)


def _in_fiction_range(national_digits: str, country_code: int | None) -> bool:
    """Whether a number lies in a range its authority reserves for films, books and examples
    (North America's 555-0100 to 555-0199): a number its plan accepts, so valid, but one that is
    never given to a subscriber (issue ``fictional_phone``)."""
    pattern = _fictional_ranges().get(country_code or 0)
    return pattern is not None and pattern.fullmatch(national_digits) is not None


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
    if stripped[:1] == "+" and stripped[1:].lstrip(" ([")[:1] == "0":
        # No country code starts with 0: "+0064 …", "+011 …" are "+" typed before the
        # international prefix, which is read below as the prefix it is.
        text = stripped[1:]
        stripped = text.lstrip(" ([")
    if stripped[:1] == "+" or (";" in text and _GLOBAL_CONTEXT_RE.search(text)):
        parse_region = None
        national = digits
    else:
        parse_region = region
        national = digits
        # "00" dials abroad from most of the world and never starts a national number, so it
        # is read as "+" wherever the region's own international prefix does not cover it
        # (Singapore's "008" does); "011" does so from the North American plan.
        if digits.startswith("00") and len(digits) > 9 and not _dials_abroad(region, digits):
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


@functools.lru_cache(maxsize=512)
def _international_prefix(region: str) -> re.Pattern[str] | None:
    """The region's international (IDD) prefix, from its numbering plan."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = metadata.international_prefix if metadata is not None else None
    return re.compile(prefix) if prefix else None


def _dials_abroad(region: str | None, digits: str) -> bool:
    """Whether the region's own international prefix starts these digits."""
    if region is None:
        return False
    prefix = _international_prefix(region)
    return prefix is not None and prefix.match(digits) is not None


def _main_part(text: str) -> str:
    """The text before an extension or a dialling pause, for counting the main number's
    digits."""
    if _MAY_HAVE_MARK_RE.search(text) is None:
        return text
    for match in _EXTENSION_MARK_RE.finditer(text):
        if len(_DIGITS_RE.findall(text[: match.start()])) >= 6:
            return text[: match.start()]
    return text


def normalize_phone(value: object, *, region: str | None = None) -> Phone:
    """Parse a phone number as CRMs hold it and standardize it to E.164.

    Accepts national forms (``"(415) 555-2671"`` with ``region="US"``), international ones
    (``"+44 (0)20 7946 0958"``, ``"0044 20 7946 0958"``, ``"011 44 …"``, ``"+0064 …"``),
    Russian trunk prefixes (``"8 (495) 123-45-67"``), RFC 3966 URIs
    (``"tel:03-331-6005;phone-context=+64"``, ``"+44-20-3456-7890;ext=456"``), extensions
    (``x123``, ``ext. 123``, ``#123``, ``доб. 12``, ``"; 123"``, ``",,123#"``), labels
    (``"Tel: …"``, ``"… (office)"``), full-width digits and numbers stored as floats. When a
    field holds two numbers, the first is the result and the rest go to ``.others`` (issue
    ``multiple_numbers``). Placeholders are not valid (issue ``fake_phone``): a number its plan
    rejects that looks like one (``1234567890``, ``555-555-5555``), or a known dummy, one digit
    throughout; a real number that only looks sequential (``+43 1234567890``) is valid. A
    number in a range reserved for fiction (North America's ``555-0100`` to ``555-0199``) is
    valid, as its plan says, with the warning ``fictional_phone``.

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
        >>> p = normalize_phone("+1 201-555-0123")
        >>> p.valid, p.e164, p.issues
        (True, '+12015550123', ('fictional_phone',))
        >>> p = normalize_phone("tel:+44-20-3456-7890;ext=456")
        >>> p.e164, p.extension
        ('+442034567890', '456')
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
    parts = _split_numbers(text, region)
    number, found, nsn = _parse_one(parts[0], region)
    number_region, valid = _validity(number)
    if not valid:
        several = _split_on_space(parts[0], region)
        if several is not None:
            parts[:1] = several
            number, found, nsn = _parse_one(parts[0], region)
            number_region, valid = _validity(number)
    if len(parts) > 1:
        issues.append("multiple_numbers")
    for code in found:
        if code not in issues:
            issues.append(code)
    others = tuple(_other(part, region) for part in parts[1:])
    if _is_placeholder(nsn, number.country_code if number is not None else None, valid):
        issues.append("fake_phone")
        return Phone(original=value, others=others, issues=tuple(issues))
    if number is None:
        if not _DIGITS_RE.search(text) and _LETTERS_RE.search(text) and "not_a_phone" not in issues:
            issues.append("not_a_phone")
        return Phone(original=value, others=others, issues=tuple(issues))
    if valid and _in_fiction_range(nsn, number.country_code):
        issues.append("fictional_phone")
    return _from_number(value, number, number_region, valid, others, issues)


def _validity(number: phonenumbers.PhoneNumber | None) -> tuple[str | None, bool]:
    """A parsed number's region and whether its plan has it. (``is_valid_number`` is these two
    steps; taking them here gives the region too, without paying for the lookup twice.)"""
    if number is None:
        return None, False
    number_region = phonenumbers.region_code_for_number(number)
    valid = number_region is not None and phonenumbers.is_valid_number_for_region(
        number, number_region
    )
    return number_region, valid


def _from_number(
    value: object,
    number: phonenumbers.PhoneNumber,
    number_region: str | None,
    valid: bool,
    others: tuple[str, ...],
    issues: list[str],
) -> Phone:
    """The :class:`Phone` of a parsed number: its formats when valid, else why it is not."""
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

