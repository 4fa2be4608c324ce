"""The fast phone path gives exactly what normalize_phone (phonenumbers) gives, for every region."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchscripts import load
from crmclean import ConfigError, normalize_phone, normalize_phone_rows
from crmclean.normalize._phonefast import e164_rows, parse_fast, phone_rows

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)


def _expected_key(value: object, region: str | None) -> tuple[str | None, bool]:
    phone = normalize_phone(value, region=region)
    return phone.e164, "fake_phone" in phone.issues or "fictional_phone" in phone.issues


def test_fast_path_gives_what_phonenumbers_gives_in_every_region() -> None:
    # example numbers of every region and type, grown into valid and invalid neighbours,
    # written a dozen ways and read in their own region, another, the US or none
    cells = load("phone_corpus").corpus(12_000, seed=7)
    values = [value for value, _ in cells]
    regions = [region for _, region in cells]
    fast = phone_rows(values, regions)
    keys = e164_rows(values, regions)
    expected = [normalize_phone(value, region=region) for value, region in cells]
    assert [i for i, (a, b) in enumerate(zip(fast, expected, strict=True)) if a != b] == []
    assert keys == [_expected_key(value, region) for value, region in cells]
    covered = sum(parse_fast(value, region) is not None for value, region in cells)
    assert covered > 0.7 * len(cells)  # the fast path, not the fallback, read most of them
    assert {p.region for p in fast if p.valid} >= {"US", "CA", "GB", "JE", "RU", "KZ", "001"}


@given(
    st.text(alphabet="0123456789 ()-./+", max_size=24),
    st.sampled_from([None, "US", "CA", "GB", "DE", "RU", "AR", "BR", "IT", "JP", "AU", "MX"]),
)
@settings(max_examples=400, deadline=None)
def test_any_digits_and_punctuation_read_the_same(value: str, region: str | None) -> None:
    assert phone_rows([value], [region]) == [normalize_phone(value, region=region)]
    assert e164_rows([value], [region]) == [_expected_key(value, region)]


@pytest.mark.parametrize(
    ("value", "region", "e164"),
    [
        ("(415) 555-2671", "US", "+14155552671"),
        ("4155552671", None, "+14155552671"),  # the North American plan, inferred
        ("1-415-555-2671", "US", "+14155552671"),
        ("011 44 20 7946 0958", "US", "+442079460958"),
        ("0044 20 7946 0958", "DE", "+442079460958"),
        ("+44 (0)20 7946 0958", None, "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("(613) 555-0123", "CA", "+16135550123"),  # 555-01xx: valid, reserved for fiction
        ("(613) 232-4567", "US", "+16132324567"),  # a Canadian number, read in the US
        ("8 (495) 123-45-67", None, "+74951234567"),
        ("+7 701 234 5678", "RU", "+77012345678"),  # Kazakhstan shares +7
        ("+39 06 6982 1234", None, "+390669821234"),  # Italy keeps its leading zero
        ("+800 2345 6789", None, "+80023456789"),  # a non-geographic number
        ("0176/44049619", "DE", "+4917644049619"),  # an area code / number slash
        ("4155552671.0", "US", "+14155552671"),  # a spreadsheet's float, as text
        (4155552671, "US", "+14155552671"),
        (4155552671.0, "US", "+14155552671"),
    ],
)
def test_common_shapes_take_the_fast_path(value: object, region: str | None, e164: str) -> None:
    found = parse_fast(value, region)
    assert found is not None
    assert found.e164 == e164
    assert phone_rows([value], [region]) == [normalize_phone(value, region=region)]


@pytest.mark.parametrize(
    "value",
    [
        "Tel: 415 555 2671",  # a label
        "(415) 555-2671 x12",  # an extension
        "tel:+1-415-555-2671",  # RFC 3966
        "\uff14\uff11\uff15\uff15\uff15\uff15\uff12\uff16\uff17\uff11",  # full-width digits
        "415-555-2671 / 415-555-2672",  # two numbers in one field
        "+999 1234 5678",  # no such country calling code
        "1-800-FLOWERS",  # letters
        "12345",  # too few digits to be sure of anything
        "415\t555 2671",
        None,
        "",
    ],
)
def test_odd_forms_are_left_to_phonenumbers(value: object) -> None:
    assert parse_fast(value, "US") is None
    assert phone_rows([value], ["US"]) == [normalize_phone(value, region="US")]
    assert e164_rows([value], ["US"]) == [_expected_key(value, "US")]


def test_repeated_cells_share_one_result() -> None:
    values = ["(415) 555-2671", "Tel: 415 555 2671", "(415) 555-2671", "Tel: 415 555 2671"]
    results = normalize_phone_rows(values, ["US"] * 4)
    assert results[0] is results[2]
    assert results[1] is results[3]
    assert results[0].e164 == results[1].e164 == "+14155552671"


def test_regions_are_checked_as_normalize_phone_checks_them() -> None:
    assert normalize_phone_rows(["020 7946 0958"], ["gb"])[0].e164 == "+442079460958"
    assert e164_rows(["+44 20 7946 0958"], ["gb"]) == [("+442079460958", False)]
    with pytest.raises(ConfigError):
        e164_rows(["+44 20 7946 0958"], ["XX"])
    with pytest.raises(ConfigError):
        normalize_phone_rows(["+44 20 7946 0958"], ["XX"])


def test_unhashable_and_mixed_cells() -> None:
    values: list[object] = [["415"], "(415) 555-2671", 4155552671, True, 1.5, None, b"4155552671"]
    assert phone_rows(values, ["US"] * 7) == [normalize_phone(v, region="US") for v in values]
    assert e164_rows(values, ["US"] * 7) == [_expected_key(v, "US") for v in values]
    assert phone_rows([float("nan")], ["US"])[0].issues == ("missing",)


def test_phone_keys_are_e164_digits_or_none() -> None:
    from crmclean.prepare import prepare_columns

    phones = ["(415) 555-2671", "+44 20 7946 0958", "555-555-5555", "45 67 89 12 ext 9", "12",
              "020 7946 0958", "Tel: 030 1234567"]  # fmt: skip
    countries = ["US", None, "US", "US", "US", "United Kingdom", "Germany"]
    keys = prepare_columns({"Phone": phones, "Country": countries},
                           {"phone": "Phone", "country": "Country"}, region="US")  # fmt: skip
    assert keys["phone"] == [
        "+14155552671", "+442079460958", None, "456789129", None, "+442079460958", "+49301234567",
    ]  # fmt: skip
