"""Behaviour of the free-text normalizer and the match keys."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import crmclean
from crmclean import compact_key, match_key, normalize_text, transliterate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Jane   Smith  ", "Jane Smith"),
        ("Jane\u200bSmith", "JaneSmith"),
        ("Jane\u00a0Smith", "Jane Smith"),
        ("Jane\tSmith\r\n", "Jane Smith"),
        ("\ufeffAcme", "Acme"),
        ("O\u2019Brien", "O'Brien"),
        ("\u201cAcme\u201d", '"Acme"'),
        ("Smith\u2013Jones", "Smith-Jones"),
        ("Ｔｏｋｙｏ", "Tokyo"),
        ("ﬁnance", "finance"),
        ("Jos\u00c3\u00a9", "José"),
        ("M\u00c3\u00bcller", "Müller"),
        ("\u00d0\u0178\u00d1\u20ac\u00d0\u00b8\u00d0\u00b2\u00d0\u00b5\u00d1\u201a", "Привет"),
        ("Иван  Петров", "Иван Петров"),
        ("王 伟", "王 伟"),
        ("Ça va", "Ça va"),
        ("İSMAİL", "İSMAİL"),
    ],
)
def test_normalize_text_cleans_without_changing_script_or_case(raw: str, expected: str) -> None:
    assert normalize_text(raw).text == expected


def test_invisible_and_control_characters_are_reported() -> None:
    result = normalize_text("Ja\u200bne\x07")
    assert result.text == "Jane"
    assert "invisible_characters" in result.issues
    assert "control_characters" in result.issues


def test_zero_width_joiner_is_kept_for_scripts_that_need_it() -> None:
    assert normalize_text("می\u200cخواهم").text == "می\u200cخواهم"


def test_mojibake_repair_is_reported() -> None:
    assert normalize_text("Jos\u00c3\u00a9").issues == ("mojibake_repaired",)


def test_legitimate_accented_text_is_not_treated_as_mojibake() -> None:
    for value in ("Ça va Ñu", "Ångström", "Zoë Ãlvares", "Â propos"):
        assert "mojibake_repaired" not in normalize_text(value).issues


@pytest.mark.parametrize("value", [None, float("nan"), "", "   ", "\u200b", math.nan])
def test_empty_values_are_missing_not_errors(value: object) -> None:
    result = normalize_text(value)
    assert result.text is None
    assert not result.valid
    assert result.issues[-1] == "missing"


def test_pandas_na_is_missing() -> None:
    pd = pytest.importorskip("pandas")
    assert normalize_text(pd.NA).issues == ("missing",)
    assert normalize_text(pd.NaT).issues == ("missing",)


def test_numbers_become_text_without_float_suffix() -> None:
    assert normalize_text(4155552671.0).text == "4155552671"
    assert normalize_text(42).text == "42"


@pytest.mark.parametrize("value", [[1, 2], {"a": 1}, True, object(), float("inf")])
def test_unsupported_types_give_an_issue(value: object) -> None:
    result = normalize_text(value)
    assert result.issues == ("unsupported_type",)
    assert not result.valid
    assert result.original is value


def test_strip_special_removes_emoji_and_stray_symbols() -> None:
    result = normalize_text("*** Jane 😀 Smith ~~ ", strip_special=True)
    assert result.text == "Jane Smith"
    assert "special_characters_removed" in result.issues
    assert normalize_text("Jane 😀").text == "Jane 😀"


def test_max_length_truncates_with_an_issue() -> None:
    result = normalize_text("abcdef ghij", max_length=6)
    assert result.text == "abcdef"
    assert "truncated" in result.issues


def test_a_ten_megabyte_field_is_handled() -> None:
    result = normalize_text("a" * 10_000_000 + " b")
    assert result.valid
    assert result.text is not None
    assert len(result.text) == 10_000_002


@pytest.mark.parametrize(
    ("option", "value"), [("strip_special", "yes"), ("max_length", 0), ("max_length", "5")]
)
def test_wrong_option_types_raise_type_error(option: str, value: object) -> None:
    with pytest.raises(TypeError, match=option):
        normalize_text("x", **{option: value})


def test_result_is_frozen_and_keeps_original() -> None:
    result = normalize_text("  x ")
    assert result.original == "  x "
    assert result.value == "x"
    with pytest.raises(AttributeError):
        result.text = "y"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("  José  GARCÍA-Márquez ", "jose garcia marquez"),
        ("İSMAİL", "ismail"),
        ("Ismail", "ismail"),
        ("ısmaıl", "ismail"),
        ("Иванов", "ivanov"),
        ("IVANOV", "ivanov"),
        ("Παπαδόπουλος", "papadopoulos"),
        ("王伟", "wang wei"),
        ("たなか", "tanaka"),
        ("Müller", "muller"),
        ("O'Brien", "o brien"),
        ("Straße", "strasse"),
        ("Ø", "o"),
    ],
)
def test_match_key_folds_case_accents_and_script(raw: str, key: str) -> None:
    assert match_key(raw) == key


def test_match_key_makes_the_same_person_meet_across_scripts() -> None:
    assert match_key("Иван Петров") == match_key("Ivan Petrov")
    assert compact_key("Van Der Berg") == compact_key("vanderberg")


def test_keys_of_nulls_are_empty() -> None:
    assert match_key(None) == ""
    assert compact_key(float("nan")) == ""
    assert transliterate(None) == ""


def test_transliterate_keeps_case() -> None:
    assert transliterate("Çağrı Yılmaz") == "Cagri Yilmaz"
    assert transliterate("Иван") == "Ivan"


@given(st.text())
def test_normalize_text_never_raises_and_is_idempotent(value: str) -> None:
    first = normalize_text(value)
    if first.text is not None:
        assert normalize_text(first.text).text == first.text


@given(st.text())
def test_strip_special_is_idempotent(value: str) -> None:
    first = normalize_text(value, strip_special=True)
    if first.text is not None:
        assert normalize_text(first.text, strip_special=True).text == first.text


@given(st.text())
def test_match_key_is_ascii_lowercase_and_idempotent(value: str) -> None:
    key = match_key(value)
    assert key.isascii()
    assert key == key.lower()
    assert match_key(key) == key


def test_text_result_is_exported() -> None:
    assert crmclean.Text is type(normalize_text("x"))
