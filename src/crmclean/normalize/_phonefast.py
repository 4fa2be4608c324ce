"""Phone numbers in their common shapes, read straight from libphonenumber's metadata.

:func:`crmclean.normalize_phone` calls ``phonenumbers`` for every number: exact, but pure Python
and about 20,000 numbers a second, most of it spent on work a column of CRM numbers does not
need (a general parser that reads vanity letters, RFC 3966, extensions, and builds objects,
types and display formats for every number). This module parses the shapes that make up nearly
every CRM phone column — digits with spaces, dashes, dots, parentheses and slashes, an optional
leading ``+`` — with the same numbering-plan data ``phonenumbers`` uses (country codes,
international and national prefixes, possible lengths, the validity patterns of each number
type), compiled once per region and followed step by step as ``phonenumbers.parse`` and
``is_valid_number`` apply it. Whatever it is not sure of (letters, extensions, labels, unusual
punctuation, several numbers in one field, a number ``phonenumbers`` would refuse) goes to
:func:`crmclean.normalize_phone` itself, so the results are the same either way; a differential
test and ``benchmarks/bench_phones.py`` check that they are.

Matching needs only each number's E.164 form and whether it is a placeholder
(:func:`e164_rows`); the number type and the display formats are worked out only for
:func:`phone_rows`, the batch form of :func:`crmclean.normalize_phone`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final, NamedTuple, TypeVar

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat, PhoneNumberType

from crmclean.normalize.phones import (
    _IDD_00_RE,
    _IDD_011_RE,
    _KIND_NAMES,
    _NANP,
    Phone,
    _fictional_ranges,
    _infer,
    _is_placeholder,
    _split_numbers,
    normalize_phone,
    phone_region,
)

__all__ = ["FastPhone", "PhoneFacts", "e164_rows", "parse_column", "parse_fast", "phone_facts",
           "phone_rows"]

# Only these characters are read here: digits, a leading "+" and the punctuation that
# phonenumbers skips without further meaning (no letters, so no labels, extensions or vanity
# numbers; no "#", ";" or "," that can start an extension; no other space than " ").
_PUNCTUATION: Final = b" ().-/"
_DIGITS: Final = b"0123456789"
_MIN_DIGITS: Final = 6
_MAX_DIGITS: Final = 20
_MAX_CHARS: Final = 60
_MAX_NSN: Final = 17  # phonenumbers' longest national significant number
_TWO_NUMBERS: Final = 14  # digits enough for two numbers of seven

# phonenumbers' ValidationResult for a national number's length
_POSSIBLE, _LOCAL_ONLY, _INVALID_LENGTH, _TOO_SHORT, _TOO_LONG = range(5)
_NOT_STRIPPED: Final = frozenset({_TOO_SHORT, _LOCAL_ONLY, _INVALID_LENGTH})
_REASON_ISSUES: Final = {_TOO_SHORT: "phone_too_short", _TOO_LONG: "phone_too_long"}

# The order in which phonenumbers' _number_type_helper tries the number types.
_TYPE_ORDER: Final = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE), ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST), ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER), ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN), ("voicemail", PhoneNumberType.VOICEMAIL),
)  # fmt: skip
_REGIONS_OF_CODE: Final = phonenumbers.COUNTRY_CODE_TO_REGION_CODE
_NON_GEO: Final = "001"


class _Desc(NamedTuple):
    """One number type's description: its possible lengths (empty: any) and its pattern."""

    lengths: frozenset[int]
    pattern: re.Pattern[str] | None

    def matches(self, nsn: str) -> bool:
        if self.lengths and len(nsn) not in self.lengths:
            return False
        return self.pattern is not None and self.pattern.fullmatch(nsn) is not None


def _desc(desc: Any) -> _Desc | None:
    if desc is None:
        return None
    pattern = desc.national_number_pattern
    return _Desc(frozenset(desc.possible_length or ()), re.compile(pattern) if pattern else None)


class _Plan:
    """One region's numbering plan, compiled from its phonenumbers metadata."""

    __slots__ = (
        "cc", "cc_text", "fixed_line", "formats", "general", "idd", "idd_literal",
        "leading_digits", "length_result", "metadata", "mobile", "national_prefix",
        "plain_starts", "prefix_literal", "prefix_starts", "region", "same_fixed_and_mobile",
        "transform", "types", "valid_patterns",
    )  # fmt: skip

    def __init__(self, region: str, metadata: Any) -> None:
        self.region = region
        self.metadata = metadata
        self.formats: tuple[list[_Format], list[_Format]] | None = None
        self.cc: int = metadata.country_code
        self.cc_text = str(self.cc)
        general = metadata.general_desc
        pattern = general.national_number_pattern
        self.general: re.Pattern[str] | None = re.compile(pattern) if pattern else None
        lengths = tuple(general.possible_length or ())
        local = frozenset(general.possible_length_local_only or ())
        self.length_result = [_length_result(n, lengths, local) for n in range(_MAX_DIGITS + 1)]
        npp = metadata.national_prefix_for_parsing
        self.national_prefix: re.Pattern[str] | None = re.compile(npp) if npp else None
        self.transform: str | None = metadata.national_prefix_transform_rule or None
        idd = metadata.international_prefix
        self.idd: re.Pattern[str] | None = re.compile(idd) if idd else None
        # A prefix of plain digits ("0", "00", "011", "8") is tested with str.startswith.
        self.idd_literal = idd if idd and idd.isdigit() else None
        self.prefix_literal = npp if npp and npp.isdigit() and not self.transform else None
        # The first digits of national numbers that start with neither the international
        # prefix, nor the country calling code, nor the national prefix: read as they are.
        # The first digits of a national number that a national prefix may start: the others
        # have none to strip. Those that neither the international prefix, nor the country
        # calling code, nor a national prefix may start: such numbers are read as they are.
        self.prefix_starts = _starts(self.prefix_literal, npp)
        self.plain_starts = frozenset("0123456789") - self.prefix_starts - _starts(
            self.idd_literal, idd) - {self.cc_text[0]}  # fmt: skip
        ld = metadata.leading_digits
        self.leading_digits: re.Pattern[str] | None = re.compile(ld) if ld else None
        self.types = [(_KIND_NAMES[t], _desc(getattr(metadata, attr))) for attr, t in _TYPE_ORDER]
        self.fixed_line = _desc(metadata.fixed_line)
        self.mobile = _desc(metadata.mobile)
        self.same_fixed_and_mobile = bool(metadata.same_mobile_and_fixed_line_pattern)
        # Validity = the general description and any type's description match. One pattern per
        # length holds both tests: a lookahead for the general pattern, then the alternatives of
        # every type whose lengths allow that length (mobile left out where phonenumbers does).
        general_lengths = frozenset(lengths)
        descs = [d for _, d in self.types]
        descs.append(self.fixed_line)
        if not self.same_fixed_and_mobile:
            descs.append(self.mobile)
        self.valid_patterns: dict[int, re.Pattern[str]] = {}
        if self.general is None:
            return
        for n in general_lengths:
            alternatives = [f"(?:{d.pattern.pattern})" for d in descs
                            if d is not None and d.pattern is not None
                            and (not d.lengths or n in d.lengths)]  # fmt: skip
            if alternatives:
                self.valid_patterns[n] = re.compile(
                    f"(?=(?:{self.general.pattern})$)(?:{'|'.join(alternatives)})"
                )

    def after_idd(self, digits: str) -> str | None:
        """The digits after the region's international prefix, when phonenumbers strips it
        (``_parse_prefix_as_idd``: not when a 0 follows), else None."""
        literal = self.idd_literal
        if literal is not None:
            if not digits.startswith(literal):
                return None
            end = len(literal)
        else:
            match = self.idd.match(digits) if self.idd is not None else None
            if match is None:
                return None
            end = match.end()
        return None if digits[end : end + 1] == "0" else digits[end:]

    def general_matches(self, digits: str) -> bool:
        """phonenumbers' ``_match_national_number`` on the general description."""
        return self.general is not None and self.general.fullmatch(digits) is not None

    def length(self, digits: str) -> int:
        """phonenumbers' ``_test_number_length`` for an unknown type."""
        return self.length_result[len(digits)]  # digits are never longer than _MAX_DIGITS

    def is_valid(self, nsn: str) -> bool:
        """phonenumbers' ``_number_type_helper(nsn) != UNKNOWN``."""
        pattern = self.valid_patterns.get(len(nsn))
        return pattern is not None and pattern.fullmatch(nsn) is not None

    def kind(self, nsn: str) -> str | None:
        """The number's type, as phonenumbers' ``_number_type_helper`` names it."""
        if not self.is_valid(nsn):
            return None
        for name, desc in self.types:
            if desc is not None and desc.matches(nsn):
                return name
        if self.fixed_line is not None and self.fixed_line.matches(nsn):
            if self.same_fixed_and_mobile or (self.mobile is not None and self.mobile.matches(nsn)):
                return "fixed_line_or_mobile"
            return "fixed_line"
        if not self.same_fixed_and_mobile and self.mobile is not None and self.mobile.matches(nsn):
            return "mobile"
        return None

    def national_and_international(self, nsn: str) -> tuple[str, str]:
        """``phonenumbers.format_number`` of a number of this plan's country calling code
        (this being the code's main region), NATIONAL and INTERNATIONAL, without extension."""
        if self.formats is None:
            metadata = self.metadata
            national = [_Format(f, national=True) for f in metadata.number_format]
            international = [_Format(f, national=False) for f in
                             (metadata.intl_number_format or metadata.number_format)]  # fmt: skip
            self.formats = (national, international)
        national, international = self.formats
        return _formatted(national, nsn), f"+{self.cc} {_formatted(international, nsn)}"

    def strip_national_prefix(self, digits: str) -> str | None:
        """phonenumbers' ``_maybe_strip_national_prefix_carrier_code`` (the number only);
        None where the metadata takes a turn this module does not follow.

        phonenumbers keeps the digits as they are when they match the general pattern and the
        stripped ones do not; the stripped digits are tested first, since when they match (the
        common case) the test of the whole digits is not needed.
        """
        prefix = self.national_prefix
        if not digits or prefix is None:
            return digits
        literal = self.prefix_literal
        if literal is not None:
            if not digits.startswith(literal):
                return digits
            return self._stripped(digits, digits[len(literal) :])
        match = prefix.match(digits)
        if match is None:
            return digits
        groups = match.groups()
        if not self.transform or (groups and groups[-1] is None):
            return self._stripped(digits, digits[match.end() :])
        if not groups:
            return None
        return self._stripped(digits, prefix.sub(self.transform, digits, count=1))

    def _stripped(self, digits: str, rest: str) -> str:
        """``rest``, unless ``digits`` match the general pattern and ``rest`` does not."""
        general = self.general
        if general is None or general.fullmatch(rest) is not None:
            return rest
        return digits if general.fullmatch(digits) is not None else rest


class _Format:
    """One number format of a plan: the leading digits and pattern it applies to (the last,
    most detailed leading-digits pattern, as phonenumbers uses), and its rule."""

    __slots__ = ("leading", "pattern", "rule")

    def __init__(self, number_format: Any, *, national: bool) -> None:
        leading = number_format.leading_digits_pattern
        self.leading = re.compile(leading[-1]) if leading else None
        self.pattern = re.compile(number_format.pattern)
        rule: str = number_format.format
        prefix_rule = number_format.national_prefix_formatting_rule
        if national and prefix_rule:  # phonenumbers' _format_nsn_using_pattern, no carrier
            rule = _FIRST_GROUP_RE.sub(prefix_rule, rule, count=1)
        self.rule = rule


_FIRST_GROUP_RE: Final = re.compile(r"(\\\d)")


def _formatted(formats: list[_Format], nsn: str) -> str:
    """phonenumbers' ``_format_nsn``: the first format whose leading digits and pattern fit."""
    for f in formats:
        if (f.leading is None or f.leading.match(nsn)) and f.pattern.fullmatch(nsn):
            return f.pattern.sub(f.rule, nsn)
    return nsn


def _starts(literal: str | None, pattern: str | None) -> frozenset[str]:
    """The digits a prefix may start with: the first of a literal one, any for a pattern."""
    if literal is not None:
        return frozenset(literal[0])
    return frozenset("0123456789") if pattern else frozenset()


def _length_result(n: int, lengths: tuple[int, ...], local: frozenset[int]) -> int:
    if not lengths or lengths[0] == -1:
        return _INVALID_LENGTH
    if n in local:
        return _LOCAL_ONLY
    if lengths[0] == n:
        return _POSSIBLE
    if lengths[0] > n:
        return _TOO_SHORT
    if lengths[-1] < n:
        return _TOO_LONG
    return _POSSIBLE if n in lengths[1:] else _INVALID_LENGTH


_PLANS: dict[object, _Plan | None] = {}


def _plan(region: str, cc: int = 0) -> _Plan | None:
    """The compiled plan of a region (of a country calling code for non-geographic "001")."""
    key: object = cc if region == _NON_GEO else region
    try:
        return _PLANS[key]
    except KeyError:
        pass
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(cc, region)
    plan = _Plan(region, metadata) if metadata is not None else None
    _PLANS[key] = plan
    return plan


class FastPhone(NamedTuple):
    """What :func:`crmclean.normalize_phone` finds in a number, without formats and type.

    ``cc`` is 0 and ``nsn`` the digits as typed when the number has no country code; ``region``
    is the number's region when it is valid, else its country code's main region (None when
    there is none); ``issues`` are those of the :class:`~crmclean.normalize.phones.Phone`.
    """

    cc: int
    nsn: str
    region: str | None
    valid: bool
    fake: bool
    issues: tuple[str, ...]

    @property
    def e164(self) -> str | None:
        """The E.164 form of a valid number that is not a placeholder."""
        if self.valid and not self.fake:
            return f"+{self.cc}{self.nsn}"
        return None


def _text_of(value: object) -> str:
    """The text normalize_phone reads in a cell that is not a str ("" for cells this module
    leaves to it): integers, and floats holding integers, as coerce_text writes them."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is float:
        number: float = value  # type: ignore[assignment]
        if number.is_integer() and abs(number) < 1e17:
            return str(int(number))
    return ""


def _unfloat(text: str) -> str:
    """normalize_phone's reading of ``4155552671.0``: a number a spreadsheet stored as float."""
    stripped = text.strip()
    return stripped[:-2] if stripped[-2:] == ".0" and stripped[:-2].isdigit() else text


def parse_fast(value: object, region: str | None) -> FastPhone | None:
    """Read a cell as :func:`crmclean.normalize_phone` does, for the common shapes; None for
    anything else (which then goes to :func:`~crmclean.normalize_phone` itself).

    ``region`` must already be checked (upper case, a known region, or None).

    Example:
        >>> parse_fast("(415) 555-2671", "US").e164
        '+14155552671'
        >>> parse_fast("Tel: 415 555 2671", "US") is None
        True
    """
    found = parse_column([value], region)[0]
    return None if found is None else FastPhone(*found)


#: (cc, nsn, region, valid, fake, issues): the fields of a :class:`FastPhone`, as a plain tuple.
_Found = tuple[int, str, "str | None", bool, bool, tuple[str, ...]]
R = TypeVar("R")


def parse_column(values: Sequence[object], region: str | None) -> list[_Found | None]:
    """:func:`parse_fast` of a whole column (as plain tuples), each distinct value read once.

    Example:
        >>> parse_column(["020 7946 0958", "Tel: 020 7946 0958"], "GB")
        [(44, '2079460958', 'GB', True, False, ()), None]
    """
    return _column(values, region, _as_found, _none)


def _as_found(value: object, found: _Found) -> _Found:
    return found


def _none(value: object, region: str | None) -> None:
    return None


def _column(
    values: Sequence[object],
    region: str | None,
    from_found: Callable[[object, _Found], R],
    otherwise: Callable[[object, str | None], R],
) -> list[R]:
    """Each cell's result: ``from_found`` of the cell and what the fast path finds in it, else
    ``otherwise`` of the cell and the region; one result per distinct cell, shared by its
    repeats.

    The text of the distinct cells is cleaned in one pass: joined into one string, from which
    one ``bytes.translate`` keeps the digits and another what is neither a digit nor
    punctuation (nothing, or the leading "+", in the shapes read here).
    """
    if not values:
        return []
    if all(type(value) is str for value in values):
        keys: Sequence[Any] = values
        distinct: list[Any] = list(dict.fromkeys(values))
        cells: list[Any] = distinct
        texts = [t if len(t) <= _MAX_CHARS else "" for t in distinct]
    else:  # cells are keyed with their type, so that 1 and 1.0 stay apart
        keys = [v if type(v) is str else (type(v), v) if _hashable(v) else _UNHASHABLE
                for v in values]  # fmt: skip
        distinct = list(dict.fromkeys(k for k in keys if k is not _UNHASHABLE))
        cells = [k if type(k) is str else k[1] for k in distinct]
        texts = [(k if len(k) <= _MAX_CHARS else "") if type(k) is str else _text_of(k[1])
                 for k in distinct]  # fmt: skip
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:  # a cell holding a line break
        texts = ["" if "\n" in t else t for t in texts]
        joined = "\n".join(texts)
    if not joined.isascii():
        texts = [t if t.isascii() else "" for t in texts]
        joined = "\n".join(texts)
    if ".0" in joined:
        texts = [_unfloat(t) if ".0" in t else t for t in texts]
        joined = "\n".join(texts)
    data = joined.encode("ascii")
    digit_lists = data.translate(None, _PUNCTUATION + b"+").decode("ascii").split("\n")
    residues = data.translate(None, _DIGITS + _PUNCTUATION).split(b"\n")
    # A national number whose first digit starts no prefix and no country code is its own
    # national significant number: no further step of phonenumbers.parse changes it.
    plan = None if region is None else _PLANS.get(region) or _plan(region)
    plain = frozenset() if plan is None else plan.plain_starts - {"0"}  # not 00 or 011 either
    cc = 0 if plan is None else plan.cc
    results: list[R] = []
    append = results.append
    for cell, text, digits, residue in zip(cells, texts, digit_lists, residues, strict=True):
        n = len(digits)
        if n < _MIN_DIGITS or n > _MAX_DIGITS or len(residue) > 1:
            found = None
        elif (
            not residue and n <= _MAX_NSN and digits[0] in plain
            and "/" not in text and "   " not in text
        ):  # fmt: skip
            found = _checked(cc, digits, ())
        else:
            found = _read(text, digits, residue, region)
        if found is not None and not found[3] and n >= _TWO_NUMBERS and " " in text:
            found = None  # not one valid number: maybe two typed with only spaces between
        if found is not None:
            append(from_found(cell, found))
        else:
            append(otherwise(cell, region))
    if keys is values and len(distinct) == len(values):  # no repeats: the results in order
        return results
    by_key = dict(zip(distinct, results, strict=True))
    if keys is values:
        return [by_key[key] for key in keys]
    return [by_key[key] if key is not _UNHASHABLE else otherwise(value, region)
            for key, value in zip(keys, values, strict=True)]  # fmt: skip


_UNHASHABLE: Final[Any] = object()


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _read(text: str, digits: str, residue: bytes, region: str | None) -> _Found | None:
    """One cell of :func:`parse_column`, given its text, its digits and what is neither digit
    nor punctuation: what normalize_phone, ``phonenumbers.parse`` and ``is_valid_number`` make
    of it, or None where this module does not follow them."""
    if residue:
        if residue != b"+" or text.lstrip(" (")[:1] != "+":
            return None
        plus = True
    else:
        plus = False
    if ("/" in text or "   " in text) and len(_split_numbers(text.strip())) > 1:
        return None
    issues: tuple[str, ...] = ()
    if not plus:
        if digits[:2] == "00" and len(digits) > 9:
            if _IDD_00_RE.match(text) is None or _other_idd(region, digits):
                return None
            plus, digits = True, digits[2:]
        elif digits[:3] == "011" and len(digits) > 10 and (region is None or region in _NANP):
            if _IDD_011_RE.match(text) is None:
                return None
            plus, digits = True, digits[3:]
        elif region is None:
            region = _infer(digits)
            if region is None:
                fake = _placeholder(digits, 0, False)
                return (0, digits, None, False, fake, ("missing_country_code",))
            issues = ("region_inferred",)
    # phonenumbers.parse: the country calling code, then the national prefix
    if plus:
        cc, k = _CC_OF_PREFIX[digits[:3]]
        if not cc:
            return None
        national = digits[k:]
        plan = (_CODES.get(cc) or _code(cc)).main
    else:
        plan = _PLANS.get(region)
        if plan is None and (region is None or (plan := _plan(region)) is None):
            return None
        cc = plan.cc
        national = digits
        if digits[0] not in plan.plain_starts:
            cc, national, plan = _country_code_of(digits, plan)
    if plan is None or len(national) < 2:
        return None
    if national[0] in plan.prefix_starts:
        nsn = plan.strip_national_prefix(national)
        if nsn is None:
            return None
        if plan.length_result[len(nsn)] in _NOT_STRIPPED:
            nsn = national
    else:
        nsn = national
    if not 2 <= len(nsn) <= _MAX_NSN:
        return None
    return _checked(cc, nsn, issues)


def _other_idd(region: str | None, digits: str) -> bool:
    """Whether the region dials abroad with a prefix other than "00" that starts these digits
    (Brazil's "0015", Australia's "0011"): such numbers are left to normalize_phone, where
    reading them as "+" and reading them with that prefix may differ."""
    plan = None if region is None else _PLANS.get(region) or _plan(region)
    return (
        plan is not None and plan.idd is not None and plan.idd_literal != "00"
        and plan.idd.match(digits) is not None
    )  # fmt: skip


def _country_code_of(digits: str, plan: _Plan) -> tuple[int, str, _Plan | None]:
    """phonenumbers' ``_maybe_extract_country_code`` for a number without "+" read in a region:
    (country calling code, the rest, the plan it is parsed with)."""
    after = plan.after_idd(digits)
    if after is not None:
        if len(after) <= 2:
            return 0, digits, None
        cc, k = _CC_OF_PREFIX[after[:3]]
        if not cc:
            return 0, digits, None
        return cc, after[k:], (_CODES.get(cc) or _code(cc)).main
    if digits.startswith(plan.cc_text):
        potential = plan.strip_national_prefix(digits[len(plan.cc_text) :])
        if potential is None:
            return 0, digits, None
        if (
            not plan.general_matches(digits) and plan.general_matches(potential)
        ) or plan.length_result[len(digits)] == _TOO_LONG:
            return plan.cc, potential, (_CODES.get(plan.cc) or _code(plan.cc)).main
    return plan.cc, digits, plan


def _checked(cc: int, nsn: str, issues: tuple[str, ...]) -> _Found | None:
    """normalize_phone's reading of a parsed number: valid (where), placeholder, or why not."""
    code = _CODES.get(cc) or _code(cc)
    plan = code.single
    if plan is not None:  # the code of one region (most of them): is_valid_number there
        pattern = plan.valid_patterns.get(len(nsn))
        region = plan.region if pattern is not None and pattern.fullmatch(nsn) else None
    else:
        region = code.valid_region(nsn)
    if region is not None:
        # _is_placeholder of a valid number (one digit throughout), then _in_fiction_range,
        # without their calls: this is the path of nearly every number
        if nsn.count(nsn[0]) == len(nsn):
            return (cc, nsn, None, False, True, issues)
        fiction = code.fiction
        if fiction is not None and fiction.fullmatch(nsn) is not None:
            issues = (*issues, "fictional_phone")
        return (cc, nsn, region, True, False, issues)
    if _placeholder(nsn, cc, False):
        return (cc, nsn, None, False, True, issues)
    main = code.main
    if main is None:
        return None
    reason = _REASON_ISSUES.get(main.length_result[len(nsn)], "invalid_phone")
    return (cc, nsn, main.region, False, False, (*issues, reason))


def _placeholder(nsn: str, cc: int, valid: bool) -> bool:
    """normalize_phone's placeholder rule (``fake_phone``), called as it is."""
    return _is_placeholder(nsn, cc or None, valid)


class _Code:
    """One country calling code: the plan its numbers are parsed with (its main region's),
    and which of its regions a number is valid in."""

    __slots__ = ("fiction", "finders", "main", "regions", "single")

    def __init__(self, cc: int) -> None:
        regions = _REGIONS_OF_CODE.get(cc, ())
        # the numbers of this code its authority reserves for fiction (_in_fiction_range)
        self.fiction: re.Pattern[str] | None = _fictional_ranges().get(cc)
        self.main = _plan(phonenumbers.region_code_for_country_code(cc), cc)
        self.single = _plan(regions[0], cc) if len(regions) == 1 else None
        self.regions = [p for p in map(_plan, regions) if p is not None] if len(regions) > 1 else []
        self.finders: dict[int, tuple[re.Pattern[str] | None, frozenset[str]]] = {}

    def valid_region(self, nsn: str) -> str | None:
        """phonenumbers' ``region_code_for_number``, when ``is_valid_number``; else None."""
        plan = self.single
        if plan is None:
            pattern, validated = self.finders.get(len(nsn)) or self._finder(len(nsn))
            match = pattern.match(nsn) if pattern is not None else None
            if match is None:
                return None
            region = match.lastgroup or next(k for k, v in match.groupdict().items() if v)
            if region in validated:
                return region
            plan = _plan(region)
            if plan is None:
                return None
        pattern = plan.valid_patterns.get(len(nsn))
        return plan.region if pattern is not None and pattern.fullmatch(nsn) else None

    def _finder(self, n: int) -> tuple[re.Pattern[str] | None, frozenset[str]]:
        """phonenumbers' ``_region_code_for_number_from_list`` for numbers of ``n`` digits, as
        one pattern: the first of the code's regions whose leading digits match, or, for a
        region without leading digits, for which the number is valid (an alternation tries its
        branches in order, as the loop over regions does); and the regions found valid."""
        branches: list[str] = []
        validated: set[str] = set()
        for plan in self.regions:
            if plan.leading_digits is not None:
                branches.append(f"(?P<{plan.region}>{plan.leading_digits.pattern})")
            elif (valid := plan.valid_patterns.get(n)) is not None:
                branches.append(f"(?P<{plan.region}>(?:{valid.pattern})$)")
                validated.add(plan.region)
        finder = (re.compile("|".join(branches)) if branches else None, frozenset(validated))
        self.finders[n] = finder
        return finder


_CODES: dict[int, _Code] = {}


def _code(cc: int) -> _Code:
    code = _CODES[cc] = _Code(cc)
    return code


# phonenumbers' _extract_country_code of a number's first three digits: (code, its length),
# (0, 0) when they start with no country calling code.
_CC_OF_PREFIX: Final = {
    f"{n:03d}": next(((int(f"{n:03d}"[:k]), k) for k in (1, 2, 3)
                      if int(f"{n:03d}"[:k]) in _REGIONS_OF_CODE), (0, 0))
    for n in range(1000)
}  # fmt: skip
_CC_OF_PREFIX.update({f"0{n:02d}": (0, 0) for n in range(100)})


def _by_region(regions: Sequence[str | None]) -> dict[str | None, list[int]]:
    """Row numbers by region, each region checked (as normalize_phone checks it)."""
    rows: dict[object, list[int]] = {}
    for i, region in enumerate(regions):
        rows.setdefault(region, []).append(i)
    checked: dict[str | None, list[int]] = {}
    for given, numbers in rows.items():
        checked.setdefault(phone_region(given), []).extend(numbers)
    return checked


def e164_rows(
    values: Sequence[object], regions: Sequence[str | None]
) -> list[tuple[str | None, bool]]:
    """Each row's (E.164 form, whether the number is no one's: a placeholder or a number in a
    range reserved for fiction): the ``e164`` of
    :func:`~crmclean.normalize.phones.normalize_phone_rows` and whether its issues hold
    ``fake_phone`` or ``fictional_phone``, without working out number types and display
    formats. Matching keys no number of the second kind.

    Example:
        >>> e164_rows(["020 7946 0958", "555-555-5555", "(415) 555-0123"], ["GB", "US", "US"])
        [('+442079460958', False), (None, True), ('+14155550123', True)]
    """
    return _rows(values, regions, _e164_of, _e164_of_phone)


def _e164_of(value: object, found: _Found) -> tuple[str | None, bool]:
    cc, nsn, _, valid, fake, issues = found
    return (f"+{cc}{nsn}" if valid else None, fake or "fictional_phone" in issues)


def _e164_of_phone(value: object, region: str | None) -> tuple[str | None, bool]:
    phone = normalize_phone(value, region=region)
    return phone.e164, "fake_phone" in phone.issues or "fictional_phone" in phone.issues


class PhoneFacts(NamedTuple):
    """What a :class:`~crmclean.normalize.phones.Phone` says of a number's identity: whether it
    is valid, its E.164 form (valid numbers only), its extension and whether it lies in a
    range reserved for fiction (``fictional_phone``); the same values
    :func:`crmclean.normalize_phone` gives, without display formats and number type."""

    valid: bool
    e164: str | None
    extension: str | None
    fictional: bool = False


_NOT_VALID: Final = PhoneFacts(False, None, None)


def phone_facts(values: Sequence[object], region: str | None) -> list[PhoneFacts]:
    """:class:`PhoneFacts` of each value read in ``region``; each distinct value is parsed once.

    Example:
        >>> phone_facts(["(415) 555-2671", "415-892-0198 x123", "000"], "US")
        [PhoneFacts(valid=True, e164='+14155552671', extension=None, fictional=False), \
PhoneFacts(valid=True, e164='+14158920198', extension='123', fictional=False), \
PhoneFacts(valid=False, e164=None, extension=None, fictional=False)]
    """
    return _column(values, phone_region(region), _facts_of, _facts_of_phone)


def _facts_of(value: object, found: _Found) -> PhoneFacts:
    cc, nsn, _, valid, fake, issues = found
    if not (valid and cc and not fake):
        return _NOT_VALID
    return PhoneFacts(True, f"+{cc}{nsn}", None, "fictional_phone" in issues)


def _facts_of_phone(value: object, region: str | None) -> PhoneFacts:
    phone = normalize_phone(value, region=region)
    return PhoneFacts(phone.valid, phone.e164, phone.extension,
                      "fictional_phone" in phone.issues)  # fmt: skip


def phone_rows(values: Sequence[object], regions: Sequence[str | None]) -> list[Phone]:
    """:func:`~crmclean.normalize.phones.normalize_phone_rows`: one :class:`Phone` per value,
    read in its row's region; each distinct value is parsed once and its rows share the result.

    Example:
        >>> [p.national for p in phone_rows(["020 7946 0958"] * 2, ["GB", "US"])]
        ['020 7946 0958', None]
    """
    # the same number written differently ("+49 30 …", "030 …") is formatted once
    formats: dict[tuple[int, str], tuple[str, str, str | None]] = {}
    return _rows(values, regions, lambda value, found: _phone(value, found, formats), _normalized)


def _normalized(value: object, region: str | None) -> Phone:
    return normalize_phone(value, region=region)


def _rows(
    values: Sequence[object],
    regions: Sequence[str | None],
    from_found: Callable[[object, _Found], R],
    otherwise: Callable[[object, str | None], R],
) -> list[R]:
    """:func:`_column` of each region's rows."""
    if len(regions) == len(values) and len(set(regions)) == 1:
        return _column(values, phone_region(regions[0]), from_found, otherwise)
    out: list[Any] = [None] * len(values)
    for region, rows in _by_region(regions).items():
        column = [values[i] for i in rows]
        for i, result in zip(rows, _column(column, region, from_found, otherwise), strict=True):
            out[i] = result
    return out


def _number(cc: int, nsn: str) -> phonenumbers.PhoneNumber:
    """The PhoneNumber ``phonenumbers.parse`` gives for this number."""
    number = phonenumbers.PhoneNumber(country_code=cc, national_number=int(nsn))
    if len(nsn) > 1 and nsn[0] == "0":
        number.italian_leading_zero = True
        zeros = min(len(nsn) - len(nsn.lstrip("0")), len(nsn) - 1)
        if zeros != 1:
            number.number_of_leading_zeros = zeros
    return number


def _phone(
    value: object, found: _Found, formats: dict[tuple[int, str], tuple[str, str, str | None]]
) -> Phone:
    """The :class:`Phone` :func:`crmclean.normalize_phone` gives for ``value``; ``formats``
    caches the display formats and type of each number."""
    cc, nsn, region, valid, fake, issues = found
    if fake:
        return Phone(original=value, issues=(*issues, "fake_phone"))
    if not cc:
        return Phone(original=value, issues=issues)
    if not valid:
        return Phone(original=value, region=region if region != "ZZ" else None,
                     country_code=cc, issues=issues)  # fmt: skip
    known = formats.get((cc, nsn))
    if known is None:
        main = (_CODES.get(cc) or _code(cc)).main
        plan = _plan(region or "", cc)
        if main is None:
            number = _number(cc, nsn)
            national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        else:
            national, international = main.national_and_international(nsn)
        known = formats[cc, nsn] = (
            national,
            international,
            None if plan is None else plan.kind(nsn),
        )
    national, international, kind = known
    return Phone(
        original=value,
        e164=f"+{cc}{nsn}",
        national=national,
        international=international,
        kind=kind,
        region=region,
        country_code=cc,
        valid=True,
        issues=issues,
    )
