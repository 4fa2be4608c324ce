"""Phone numbers as CRMs hold them → E.164, kind, extension, issue codes."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pandas as pd
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmclean
from benchscripts import load
from crmclean import ConfigError, normalize_phone
from crmclean.audit import severity
from crmclean.codes import ISSUE_CODES
from crmclean.normalize._phonefast import e164_rows
from crmclean.normalize.data import load_rows

US_FORMS = [
    "4155552671",
    "415-555-2671",
    "(415) 555-2671",
    "415.555.2671",
    "415 555 2671",
    "+1 415 555 2671",
    "+1 (415) 555-2671",
    "1-415-555-2671",
    "1 (415) 555-2671",
    "+14155552671",
    "001 415 555 2671",
    "tel:+1-415-555-2671",
    "Tel: (415) 555-2671",
    "  (415)555-2671  ",
    "\uff14\uff11\uff15\uff15\uff15\uff15\uff12\uff16\uff17\uff11",  # full-width digits
    "415\u2013555\u20132671",  # en dashes
]


@pytest.mark.parametrize("value", US_FORMS)
def test_us_forms_give_one_e164(value: str) -> None:
    result = normalize_phone(value, region="US")
    assert result.e164 == "+14155552671"
    assert result.valid
    assert result.national == "(415) 555-2671"
    assert result.international == "+1 415-555-2671"
    assert result.region == "US"
    assert result.country_code == 1


@pytest.mark.parametrize(
    ("value", "region", "e164", "kind", "country"),
    [
        ("+44 (0)20 7946 0958", None, "+442079460958", "fixed_line", "GB"),
        ("020 7946 0958", "GB", "+442079460958", "fixed_line", "GB"),
        ("0044 20 7946 0958", None, "+442079460958", "fixed_line", "GB"),
        ("011 44 20 7946 0958", None, "+442079460958", "fixed_line", "GB"),
        ("07812 345678", "GB", "+447812345678", "mobile", "GB"),
        ("8 (495) 123-45-67", None, "+74951234567", "fixed_line", "RU"),
        ("8 (495) 123-45-67", "RU", "+74951234567", "fixed_line", "RU"),
        ("+7 (916) 123-45-67", None, "+79161234567", "mobile", "RU"),
        ("030 1234567", "DE", "+49301234567", "fixed_line", "DE"),
        ("030/1234567", "DE", "+49301234567", "fixed_line", "DE"),
        ("+49 (0)30 1234567", None, "+49301234567", "fixed_line", "DE"),
        ("0151 23456789", "DE", "+4915123456789", "mobile", "DE"),
        ("01 42 68 53 00", "FR", "+33142685300", "fixed_line", "FR"),
        ("+33 6 12 34 56 78", None, "+33612345678", "mobile", "FR"),
        ("0212 555 12 34", "TR", "+902125551234", "fixed_line", "TR"),
        ("+90 532 123 45 67", None, "+905321234567", "mobile", "TR"),
        ("138 0013 8000", "CN", "+8613800138000", "mobile", "CN"),
        ("03-1234-5678", "JP", "+81312345678", "fixed_line", "JP"),
        ("090-1234-5678", "JP", "+819012345678", "mobile", "JP"),
        ("(11) 91234-5678", "BR", "+5511912345678", "mobile", "BR"),
        ("+31 20 123 4567", None, "+31201234567", "fixed_line", "NL"),
        ("1-800-356-9377", "US", "+18003569377", "toll_free", "US"),
        ("1-800-FLOWERS", "US", "+18003569377", "toll_free", "US"),
        ("+1 613 555 0199", None, "+16135550199", "fixed_line_or_mobile", "CA"),  # fictional
    ],
)
def test_international_numbers(
    value: str, region: str | None, e164: str | None, kind: str | None, country: str | None
) -> None:
    result = normalize_phone(value, region=region)
    assert result.e164 == e164
    assert result.kind == kind
    if e164 is not None:
        assert result.region == country
        assert result.valid


@pytest.mark.parametrize(
    ("value", "extension"),
    [
        ("+1 415 555 2671 x123", "123"),
        ("415-555-2671 ext. 123", "123"),
        ("415-555-2671 ext 123", "123"),
        ("415-555-2671 #123", "123"),
        ("(415) 555-2671, ext 12", "12"),
        ("+7 495 123-45-67 доб. 12", "12"),
    ],
)
def test_extensions(value: str, extension: str) -> None:
    result = normalize_phone(value, region="US")
    assert result.extension == extension
    assert result.valid
    assert "ext" not in (result.national or "")


@pytest.mark.parametrize(
    "value",
    [
        "1234567890",
        "123-456-7890",
        "+1 123 456 7890",
        "0000000000",
        "555-555-5555",
        "(555) 555-5555",
        "999-999-9999",
        "415-000-0000",
        "1111111111",
        "1212121212",
        "9876543210",
        "12345678",
    ],
)
def test_placeholders_are_fake(value: str) -> None:
    result = normalize_phone(value, region="US")
    assert "fake_phone" in result.issues
    assert not result.valid
    assert result.e164 is None


@pytest.mark.parametrize(
    ("value", "region", "e164", "extension"),
    [
        ("tel:03-331-6005;phone-context=+64", "NZ", "+6433316005", None),
        ("tel:03-331-6005;phone-context=+64", None, "+6433316005", None),
        ("03-331-6005;phone-context=+64", None, "+6433316005", None),
        ("tel:331-6005;phone-context=+64-3", "US", "+6433316005", None),
        ("tel:03-331-6005;isub=12345;phone-context=+64", None, "+6433316005", None),
        ("tel:+64-3-331-6005;isub=12345", None, "+6433316005", None),
        ("tel:033316005;phone-context=abc.nz", "NZ", "+6433316005", None),
        ("+44-2034567890;ext=456", "GB", "+442034567890", "456"),
        ("+44-2034567890;ext=456", None, "+442034567890", "456"),
        ("tel:2034567890;ext=456;phone-context=+44", None, "+442034567890", "456"),
        ("tel:+1-415-555-2671;ext=12", None, "+14155552671", "12"),
    ],
)
def test_rfc3966_tel_uris(value: str, region: str | None, e164: str, extension: str | None) -> None:
    result = normalize_phone(value, region=region)
    assert (result.e164, result.extension, result.others) == (e164, extension, ())
    assert "multiple_numbers" not in result.issues


@pytest.mark.parametrize(
    ("value", "region", "e164", "extension"),
    [
        ("(800) 901-3355 , ext 7246433", "US", "+18009013355", "7246433"),
        ("(800) 901-3355 ,extension 7246433", "US", "+18009013355", "7246433"),
        ("(800) 901-3355 ,extensi\u00f3n 7246433", "US", "+18009013355", "7246433"),
        ("(800) 901-3355 ; 7246433", "US", "+18009013355", "7246433"),
        ("(800) 901-3355;7246433", "US", "+18009013355", "7246433"),
        ("(800) 901-3355 , 7246433", "US", "+18009013355", "7246433"),
        ("+44 2034567890 X    456", "GB", "+442034567890", "456"),
        ("+44 2034567890    X 456", "GB", "+442034567890", "456"),
        ("+12679000000,,123456789012345#", "US", "+12679000000", "123456789012345"),
        ("03 3316005 xtensi\u00f3n, 12345678901234567890#", "NZ", "+6433316005",
         "12345678901234567890"),
        ("8 (423) 202-25-11, \u0434\u043e\u0431. 100", "RU", "+74232022511", "100"),
    ],
)  # fmt: skip
def test_extensions_after_pauses_labels_and_odd_spacing(
    value: str, region: str, e164: str, extension: str
) -> None:
    result = normalize_phone(value, region=region)
    assert (result.e164, result.extension, result.others) == (e164, extension, ())


@pytest.mark.parametrize(
    ("value", "region", "e164", "extension"),
    [
        ("+1 (212) 736-5000 (office)", None, "+12127365000", None),
        ("212.736.5000 ext 204 (Jane)", "US", "+12127365000", "204"),
        ("(212) 736-5000 [mobile]", "US", "+12127365000", None),
        ("+44 (0)20 7946 0958 (switchboard)", None, "+442079460958", None),
    ],
)
def test_a_label_in_brackets_does_not_break_the_number(
    value: str, region: str | None, e164: str, extension: str | None
) -> None:
    result = normalize_phone(value, region=region)
    assert (result.e164, result.extension, result.issues) == (e164, extension, ())


@pytest.mark.parametrize(
    ("value", "region", "e164"),
    [
        ("+0064 3 331 6005", "NZ", "+6433316005"),
        ("+0064 3 331 6005", None, "+6433316005"),
        ("+ 00 64 3 331 6005", "NZ", "+6433316005"),
        ("+001 650 253 0000", None, "+16502530000"),
        ("+01164 3 331 6005", "US", "+6433316005"),
        ("0011-650-253-0000", "SG", "+16502530000"),  # Singapore's own prefixes: 001, 008, 019
        ("0081-650-253-0000", "SG", "+16502530000"),
        ("0191-650-253-0000", "SG", "+16502530000"),
    ],
)
def test_plus_typed_before_the_international_prefix(
    value: str, region: str | None, e164: str
) -> None:
    result = normalize_phone(value, region=region)
    assert result.e164 == e164
    assert "invalid_country_code" not in result.issues


@pytest.mark.parametrize(
    ("value", "region", "e164", "others"),
    [
        ("650 253 0000 650 253 0001", "US", "+16502530000", ("+16502530001",)),
        ("+44 20 7946 0958 +49 30 1234567", None, "+442079460958", ("+49301234567",)),
        ("+1 415 555 2671  +1 650 253 0000", None, "+14155552671", ("+16502530000",)),
        ("415-555-2671    650-253-0000", "US", "+14155552671", ("+16502530000",)),
        ("650 253 0000 650 253 0001 650 253 0002", "US", "+16502530000",
         ("+16502530001", "+16502530002")),
    ],
)
def test_two_numbers_separated_by_a_space(
    value: str, region: str | None, e164: str, others: tuple[str, ...]
) -> None:
    result = normalize_phone(value, region=region)
    assert (result.e164, result.others) == (e164, others)
    assert "multiple_numbers" in result.issues


def test_a_space_before_an_extension_or_junk_is_not_a_second_number() -> None:
    assert normalize_phone("03 3316005 ~ 1234567890", region="NZ").e164 is None  # too long
    assert normalize_phone("415 555 26711234567", region="US").e164 is None
    result = normalize_phone("+1 415 555 2671 " + "9" * 30)
    assert (result.valid, result.others) == (False, ())


@pytest.mark.parametrize(
    ("value", "region", "e164"),
    [
        ("+43 1234567890", None, "+431234567890"),  # Austria
        ("012 34 56 78", "BE", "+3212345678"),  # Belgium
        ("+353 1 234 5678", None, "+35312345678"),  # Ireland, Dublin
        ("01 234 5678", "IE", "+35312345678"),
        ("+33 1 23 45 67 89", None, "+33123456789"),  # France, Paris
        ("+48 12 345 67 89", None, "+48123456789"),  # Poland, Kraków
        ("+800 1234 5678", None, "+80012345678"),  # international freephone
    ],
)
def test_real_numbers_that_look_sequential_are_valid(
    value: str, region: str | None, e164: str
) -> None:
    result = normalize_phone(value, region=region)
    assert result.e164 == e164
    assert result.valid
    assert "fake_phone" not in result.issues


def test_a_number_reserved_for_fiction_is_valid_with_a_warning() -> None:
    number = phonenumbers.parse("+1 415 555 0123")
    assert phonenumbers.is_valid_number(number)  # the plan accepts it ...
    result = normalize_phone("(415) 555-0123", region="US")
    assert result.valid
    assert result.e164 == "+14155550123"
    # ... and NANPA keeps 555-0100..0199 for fiction: a warning an audit can count
    assert result.issues == ("fictional_phone",)
    assert severity("fictional_phone") == "warning"
    assert normalize_phone("+1 415 555 0200").issues == ()
    assert normalize_phone("(02) 5550 1234", region="AU").issues == ("fictional_phone",)


def test_a_number_reserved_for_fiction_is_no_match_key_and_loses_a_golden_pick() -> None:
    assert e164_rows(["(415) 555-0123", "(415) 555-2671"], ["US", "US"]) == [
        ("+14155550123", True),
        ("+14155552671", False),
    ]
    records = pd.DataFrame(
        {"id": [1, 2], "Name": ["Jane Doe"] * 2, "Phone": ["415 555 0123", "415 555 2671"]}
    )
    clusters = pd.DataFrame({"id": [1, 2], "cluster_id": [0, 0]})
    golden = crmclean.merge(records, clusters, id_column="id").golden
    assert golden.loc[0, "Phone"] == "+14155552671"  # the real number, though it came second


@pytest.mark.parametrize(
    ("value", "region"), [("+7 999 999-99-99", None), ("555-555-5555", "GB")]
)
def test_one_digit_throughout_is_a_placeholder_even_where_the_plan_accepts_it(
    value: str, region: str | None
) -> None:
    assert phonenumbers.is_valid_number(phonenumbers.parse(value, region))
    assert normalize_phone(value, region=region).issues == ("fake_phone",)


_TYPES = [
    phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST, phonenumbers.PhoneNumberType.VOIP,
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER, phonenumbers.PhoneNumberType.PAGER,
    phonenumbers.PhoneNumberType.UAN, phonenumbers.PhoneNumberType.VOICEMAIL,
]  # fmt: skip


def _example_numbers() -> list[tuple[str, phonenumbers.PhoneNumber]]:
    examples = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in _TYPES:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                examples.append((region, number))
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            examples.append(("001", number))
    return examples


def test_every_example_number_of_every_region_is_valid_and_not_a_placeholder() -> None:
    """libphonenumber's example number of each region and type, written in E.164, in
    international format and in national format with its region: valid, never a placeholder.
    Example numbers inside a range reserved for fiction (the North American example
    201-555-0123) are valid too, with the warning ``fictional_phone`` and nothing else."""
    examples = _example_numbers()
    assert len(examples) > 1000
    wrong = []
    for region, number in examples:
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        international = phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        forms = [(e164, None), (international, None)]
        if region != "001":  # non-geographic numbers (+800, +882, …) have no region to pass
            forms += [(international, region), (national, region)]
        fictional = _in_fictional_range(number)
        for value, value_region in forms:
            result = normalize_phone(value, region=value_region)
            ok = result.valid and result.e164 == e164 and "fake_phone" not in result.issues
            ok = ok and (result.issues == ("fictional_phone",) if fictional else
                         "fictional_phone" not in result.issues)  # fmt: skip
            if not ok:
                wrong.append((value, value_region, result.issues))
    assert wrong == []


def _in_fictional_range(number: phonenumbers.PhoneNumber) -> bool:
    return any(
        int(row["calling_code"]) == number.country_code
        and re.fullmatch(row["national"], str(number.national_number)) is not None
        for row in load_rows("phone_fictional_ranges.csv")
    )


def test_parse_cases_of_python_phonenumbers() -> None:
    """The parse cases of python-phonenumbers' own test suite (tests/data/SOURCES.md): at least
    95 % read as labelled (a valid number with its E.164 form and extension, or no valid
    number where the case expects a failure or the number does not exist)."""
    bench = load("bench_phones")
    cases = bench.parse_cases()
    assert len(cases) > 190
    assert bench.accuracy(bench.crmclean_reading, cases) >= 0.95


def test_two_numbers_keep_the_first_and_report_the_rest() -> None:
    result = normalize_phone("415-555-2671 / 650-253-0000", region="US")
    assert result.e164 == "+14155552671"
    assert result.others == ("+16502530000",)
    assert "multiple_numbers" in result.issues
    result = normalize_phone("+44 20 7946 0958; +49 30 1234567")
    assert (result.e164, result.others) == ("+442079460958", ("+49301234567",))
    result = normalize_phone("415-555-2671 or 650-253-0000", region="US")
    assert result.others == ("+16502530000",)


def test_alternative_ending_is_kept_not_merged() -> None:
    result = normalize_phone("415-555-2671/72", region="US")
    assert result.e164 == "+14155552671"
    assert result.others == ("72",)


def test_region_inference_without_region() -> None:
    nanp = normalize_phone("(415) 555-2671")
    assert nanp.e164 == "+14155552671"
    assert "region_inferred" in nanp.issues
    ru = normalize_phone("8 (495) 123-45-67")
    assert ru.e164 == "+74951234567"
    assert "region_inferred" in ru.issues
    unknown = normalize_phone("020 7946 0958")
    assert unknown.e164 is None
    assert unknown.issues == ("missing_country_code",)


def test_explicit_country_code_wins_over_region() -> None:
    assert normalize_phone("+44 20 7946 0958", region="US").e164 == "+442079460958"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "missing"),
        ("", "missing"),
        ("   ", "missing"),
        (float("nan"), "missing"),
        ("n/a", "not_a_phone"),
        ("call me", "not_a_phone"),
        ("\U0001f4de", "not_a_phone"),
        ("+999 1234 5678", "invalid_country_code"),
        ("12", "phone_too_short"),
        ("415 555 26711234567", "phone_too_long"),
        ("(415) 155-2671", "invalid_phone"),
        (["415"], "unsupported_type"),
        (True, "unsupported_type"),
    ],
)
def test_bad_values_give_codes_not_errors(value: object, code: str) -> None:
    result = normalize_phone(value, region="US")
    assert code in result.issues
    assert not result.valid
    assert result.e164 is None
    assert result.original is value or (isinstance(value, float) and math.isnan(value))


def test_numbers_read_by_spreadsheets() -> None:
    assert normalize_phone(4155552671, region="US").e164 == "+14155552671"
    assert normalize_phone(4155552671.0, region="US").e164 == "+14155552671"
    assert normalize_phone("4155552671.0", region="US").e164 == "+14155552671"
    assert normalize_phone(Decimal("4155552671"), region="US").e164 == "+14155552671"
    assert normalize_phone(b"+1 415 555 2671").e164 == "+14155552671"


def test_huge_field_is_cut_not_crashed() -> None:
    result = normalize_phone("+1 415 555 2671 " + "9" * 10_000_000)
    assert "too_long" in result.issues
    assert not result.valid


@pytest.mark.parametrize("region", ["XX", "USA", "", "uk"])
def test_unknown_region_is_a_config_error(region: str) -> None:
    with pytest.raises(ConfigError, match="unknown region code"):
        normalize_phone("4155552671", region=region)


def test_region_option_type_and_case() -> None:
    with pytest.raises(TypeError):
        normalize_phone("4155552671", region=1)  # type: ignore[arg-type]
    assert normalize_phone("020 7946 0958", region="gb").e164 == "+442079460958"


def test_result_is_frozen_and_value_is_e164() -> None:
    result = normalize_phone("+14155552671")
    assert result.value == result.e164
    with pytest.raises(AttributeError):
        result.e164 = "x"  # type: ignore[misc]


def test_every_emitted_code_is_registered() -> None:
    samples = [*US_FORMS, "1234567890", "n/a", "+999 1", "12", None, "415-555-2671/72"]
    for value in samples:
        for code in normalize_phone(value).issues + normalize_phone(value, region="US").issues:
            assert code in ISSUE_CODES


def test_batch_form_matches_single_calls() -> None:
    values = ["(415) 555-2671", None, "(415) 555-2671", "020 7946 0958", "x"]
    batch = crmclean.normalize_many(normalize_phone, values, region="GB")
    assert [r.e164 for r in batch] == [
        normalize_phone(v, region="GB").e164 for v in values
    ]
    with pytest.raises(ConfigError):
        crmclean.normalize_many(normalize_phone, [], region="XX")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from([None, "US", "GB", "RU", "DE", "JP"]))
def test_never_raises_on_any_text(value: str, region: str | None) -> None:
    result = normalize_phone(value, region=region)
    assert result.valid == (result.e164 is not None)
    assert all(code in ISSUE_CODES for code in result.issues)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["US", "GB", "DE", "RU", "FR", "JP", "BR", "TR", "CN"]),
    st.integers(min_value=0, max_value=10**10),
)
def test_normalizing_e164_again_changes_nothing(region: str, digits: int) -> None:
    result = normalize_phone(str(digits), region=region)
    if result.e164 is not None:
        again = normalize_phone(result.e164)
        assert again.e164 == result.e164
        assert again.kind == result.kind
        assert normalize_phone(result.international).e164 == result.e164
        assert normalize_phone(result.national, region=result.region).e164 == result.e164


_PHONE_ALPHABET = "0123456789 +-().;,/#x~\t\n"


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=_PHONE_ALPHABET, max_size=20),
            st.sampled_from(["tel:", ";phone-context=", ";ext=", ";isub=", "ext", "доб.",
                             "(office)", "+00", "+1", "+44", " or ", ",,"]),
        ),
        max_size=6,
    ).map("".join),
    st.sampled_from([None, "US", "GB", "NZ", "SG"]),
)  # fmt: skip
def test_never_raises_on_phone_like_text(value: str, region: str | None) -> None:
    result = normalize_phone(value, region=region)
    assert result.valid == (result.e164 is not None)
    assert all(code in ISSUE_CODES for code in result.issues)
    if result.e164 is not None:
        assert normalize_phone(result.e164).e164 == result.e164


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["(415) 555-2671", "+44 20 7946 0958", "+49 30 1234567"]),
    st.sampled_from([" x", " x ", " X    ", " ext. ", " ext", ", ext ", " , ext ", ";ext=",
                     " #", " доб. ", ",extension "]),
    st.integers(min_value=1, max_value=999_999).map(str),
)  # fmt: skip
def test_extension_is_read_whatever_the_label_and_spacing(
    number: str, label: str, extension: str
) -> None:
    result = normalize_phone(number + label + extension, region="US")
    assert result.valid
    assert result.extension == extension
    assert result.others == ()
