"""Dates: written forms, partial, impossible, placeholder, future and ambiguous dates; the
matching keys and merge timestamps read exactly as the matching and merge stages read them."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
import os
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import crmclean
from _date_reference import date_key as reference_date_key
from _date_reference import timestamp as merge_timestamp
from crmclean import ConfigError, DateResult, normalize_date
from crmclean.codes import ISSUE_CODES
from crmclean.normalize import dates
from crmclean.normalize.data import load_lines, load_rows

TODAY = dt.date(2026, 12, 7)


def read(value: object, **options: object) -> DateResult:
    options.setdefault("today", TODAY)
    return normalize_date(value, **options)  # type: ignore[arg-type]


# --- written forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1971-06-24", " 1971-06-24 ", "1971/06/24", "1971.06.24", "1971 06 24", "1971-6-24",
        "19710624", "24/06/1971", "24.06.1971", "24-06-1971", "24.6.1971", "06/24/1971",
        "24 June 1971", "24 june 1971", "24 JUNE 1971", "June 24, 1971", "June 24 1971",
        "Jun 24 1971", "Jun. 24, 1971", "24-Jun-1971", "24 Jun 1971", "1971 June 24",
        "24th June 1971", "June 24th, 1971", "Thursday, June 24, 1971", "Thu 24 Jun 1971",
        "the 24th of June 1971", '"1971-06-24"', "(24 June 1971)",
        "1971年6月24日", "1971 年 6 月 24 日", "1971년 6월 24일",
        "１９７１－０６－２４", "١٩٧١-٠٦-٢٤", "1971-06-24\u200b",
    ],
)  # fmt: skip
def test_written_forms_of_one_day(value: str) -> None:
    result = read(value)
    assert (result.value, result.valid, result.precision) == ("1971-06-24", True, "day"), value
    assert (result.year, result.month, result.day, result.key) == (1971, 6, 24, "19710624")
    assert result.issues == ()


@pytest.mark.parametrize(
    ("value", "language"),
    [
        ("24 June 1971", "en"), ("24. Juni 1971", "de"), ("24. Jun. 1971", "de"),
        ("24 juin 1971", "fr"), ("24 de junio de 1971", "es"), ("24 de junho de 1971", "pt"),
        ("24 giugno 1971", "it"), ("24 juni 1971", "nl"), ("24 Haziran 1971", "tr"),
        ("24 ИЮНЯ 1971", "ru"), ("24 июня 1971 г.", "ru"), ("24 июнь 1971", "ru"),
        ("24 czerwca 1971 r.", "pl"), ("24 juni 1971", "sv"),
    ],
)  # fmt: skip
def test_month_names_in_many_languages(value: str, language: str) -> None:
    assert read(value).value == "1971-06-24", language


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("3 janvier 1971", "1971-01-03"), ("1er janvier 1971", "1971-01-01"),
        ("3 février 1971", "1971-02-03"), ("3 fevrier 1971", "1971-02-03"),
        ("3. März 1971", "1971-03-03"), ("3. Maerz 1971", None), ("3. Mrz. 1971", "1971-03-03"),
        ("3 août 1971", "1971-08-03"), ("3 décembre 1971", "1971-12-03"),
        ("3 Şubat 1971", "1971-02-03"), ("3 ŞUBAT 1971", "1971-02-03"),
        ("3 subat 1971", "1971-02-03"), ("3 Ağustos 1971", "1971-08-03"),
        ("3 Aralık 1971", "1971-12-03"), ("3 ARALIK 1971", "1971-12-03"),
        ("3 Mayıs 1971", "1971-05-03"), ("3 мая 1971", "1971-05-03"), ("3 май 1971", "1971-05-03"),
        ("3 сентября 1971 года", "1971-09-03"), ("3 дек. 1971", "1971-12-03"),
        ("3 de março de 1971", "1971-03-03"), ("3 outubro 1971", "1971-10-03"),
        ("3 ottobre 1971", "1971-10-03"), ("3 maart 1971", "1971-03-03"),
        ("3 mei 1971", "1971-05-03"),
        ("3 października 1971", "1971-10-03"), ("3 dic 1971", "1971-12-03"),
        ("Sept. 3, 1971", "1971-09-03"), ("3-DEC-71", "1971-12-03"),
    ],
)  # fmt: skip
def test_month_names_with_accents_cases_and_abbreviations(value: str, iso: str | None) -> None:
    assert read(value).value == iso, value


def test_every_month_of_the_table_is_read() -> None:
    rows = [row for row in load_rows("date_words.csv") if row["meaning"].isdigit()]
    assert {row["language"] for row in rows} >= {"en", "de", "fr", "es", "pt", "it", "nl", "tr",
                                                  "ru"}  # fmt: skip
    for row in rows:
        for text in (f"2 {row['word']} 1999", f"{row['word'].upper()} 2, 1999"):
            assert read(text).value == f"1999-{int(row['meaning']):02d}-02", text


def test_date_words_have_one_meaning_each_once_folded() -> None:
    meanings: dict[str, str] = {}
    for row in load_rows("date_words.csv"):
        key = dates._fold(row["word"])
        assert meanings.setdefault(key, row["meaning"]) == row["meaning"], row["word"]


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-05T10:00:00Z", "2024-03-05T10:00:00z", "2024-03-05 10:00:00+03:00",
        "2024-03-05T10:00:00.123456+05:30", "2024-03-05T10:00", "2024-03-05 10:00:00 UTC",
        "2024-03-05T23:30:00-08:00", "20240305T100000Z", "05.03.2024 10:00", "03/05/2024 6:05 PM",
        "3/5/2024 12:00:00 AM", "Tue, 05 Mar 2024 10:00:00 GMT", "March 5, 2024 10:00 am",
        "2024-03-05 10:00:00.000", "5 March 2024, 10:00", "2024-03-05 10:00:00 +0000 UTC",
        "2024-03-05T10:00+01:00[Europe/Paris]", "2024-03-05 10:00 CEST",
    ],
)  # fmt: skip
def test_timestamps_give_their_date_as_written(value: str) -> None:
    options = {"dayfirst": False} if "/" in value else {}
    result = read(value, **options)
    assert (result.value, result.valid) == ("2024-03-05", True), value
    assert set(result.issues) <= {"ambiguous_date"}


def test_a_time_alone_or_text_after_a_date_is_no_date() -> None:
    assert read("10:00").issues == ("not_a_date",)
    assert read("1971-06-24 and more words").issues == ("not_a_date",)
    assert read("born 24 June 1971").issues == ("not_a_date",)


# --- day and month order, two-digit years --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "dayfirst", "iso", "ambiguous"),
    [
        ("24/06/1971", True, "1971-06-24", False),
        ("24/06/1971", False, "1971-06-24", False),  # 24 cannot be a month
        ("06/24/1971", True, "1971-06-24", False),  # 24 cannot be a month
        ("06/24/1971", False, "1971-06-24", False),
        ("03/04/1971", True, "1971-04-03", True),
        ("03/04/1971", False, "1971-03-04", True),
        ("04/04/1971", True, "1971-04-04", False),  # the same either way
        ("13/13/1971", True, None, False),
        ("01021990", True, "1990-02-01", True),  # not YYYYMMDD, so DDMMYYYY
        ("01021990", False, "1990-01-02", True),
    ],
)
def test_day_and_month_order(value: str, dayfirst: bool, iso: str | None, ambiguous: bool) -> None:
    result = read(value, dayfirst=dayfirst)
    assert result.value == iso
    assert ("ambiguous_date" in result.issues) is ambiguous
    assert result.valid is (iso is not None)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("24/06/71", "1971-06-24"), ("24.06.46", "2046-06-24"), ("24.06.47", "1947-06-24"),
        ("24.06.00", "2000-06-24"), ("24-JUN-71", "1971-06-24"), ("Jun 24, 71", "1971-06-24"),
        ("71年6月24日", "1971-06-24"), ("240671", "1971-06-24"),
    ],
)  # fmt: skip
def test_two_digit_years_fall_in_the_hundred_years_ending_twenty_after_today(
    value: str, iso: str
) -> None:
    result = read(value)
    assert result.value == iso
    assert "two_digit_year" in result.issues


def test_the_two_digit_year_window_moves_with_today() -> None:
    assert read("24.06.30", today=dt.date(2000, 1, 1)).value == "1930-06-24"
    assert read("24.06.30", today=dt.date(2011, 1, 1)).value == "2030-06-24"
    assert read("24.06.30", today=dt.date(2011, 1, 1)).issues == (
        "two_digit_year",
        "future_date",
    )


# --- partial, impossible, placeholder, future -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso", "precision"),
    [
        ("1971", "1971", "year"), ("1971-06", "1971-06", "month"), ("1971/6", "1971-06", "month"),
        ("06/1971", "1971-06", "month"), ("6.1971", "1971-06", "month"),
        ("June 1971", "1971-06", "month"), ("juin 1971", "1971-06", "month"),
        ("1971年", "1971", "year"), ("1971年6月", "1971-06", "month"),
        ("197106", "1971-06", "month"),
        (1971, "1971", "year"), (1971.0, "1971", "year"), (np.datetime64("1971"), "1971", "year"),
        (np.datetime64("1971-06"), "1971-06", "month"),
    ],
)  # fmt: skip
def test_partial_dates_are_valid_with_their_precision(
    value: object, iso: str, precision: str
) -> None:
    result = read(value)
    assert (result.value, result.precision, result.valid) == (iso, precision, True)
    assert result.issues == ("partial_date",)
    assert result.day is None
    assert result.key is None
    assert (result.month is None) is (precision == "year")


@pytest.mark.parametrize(
    "value",
    ["1971-02-30", "1971-02-29", "1971-13-01", "1971-00-10", "1971-06-31", "1971-06-00",
     "31/04/1971", "32 June 1971", "0000", "1971-13", "13/1971", "19711345", 19711345,
     "30 février 1971"],
)  # fmt: skip
def test_impossible_dates(value: object) -> None:
    result = read(value)
    assert (result.value, result.valid, result.issues) == (None, False, ("invalid_date",))
    assert (result.year, result.precision, result.key) == (None, None, None)


def test_leap_days() -> None:
    assert read("2000-02-29").valid
    assert read("1972-02-29").valid
    assert read("1900-02-29").issues == ("invalid_date",)


def _placeholder_list() -> list[str]:
    return [line.split("#", 1)[0].strip() for line in load_lines("date_placeholders.txt")]


def test_the_placeholder_list_names_a_source_for_each_date() -> None:
    lines = load_lines("date_placeholders.txt")
    assert len(lines) >= 15
    for line in lines:
        iso, _, source = line.partition("#")
        assert len(iso.strip()) == 10, line
        assert source.strip(), line
    assert {"1900-01-01", "1901-01-01", "1970-01-01", "0001-01-01", "9999-12-31", "2099-12-31",
            "1111-11-11"} <= set(_placeholder_list())  # fmt: skip


@pytest.mark.parametrize("iso", _placeholder_list())
def test_placeholder_dates_are_not_valid(iso: str) -> None:
    result = read(iso)
    assert result.issues == ("placeholder_date",)
    assert not result.valid
    real = iso[5:7] != "00" and iso[8:] != "00" and iso[:4] != "0000"
    assert result.value == (iso if real else None)


@pytest.mark.parametrize(
    "value",
    ["01/01/1900", "1 January 1900", "19000101", 0, 0.0, dt.date(1970, 1, 1), 19700101,
     dt.datetime(9999, 12, 31, 23, 59), "31.12.9999", "0000-00-00", "00000000", "11/11/1111"],
)  # fmt: skip
def test_placeholders_in_any_form(value: object) -> None:
    assert read(value).issues == ("placeholder_date",)


def test_future_dates_stay_valid() -> None:
    assert read("2026-12-08").issues == ("future_date",)
    assert read("2026-12-08").valid
    assert read("2026-12-07").issues == ()
    assert read("2026-12").issues == ("partial_date",)  # this month is not the future
    assert read("2027-01").issues == ("partial_date", "future_date")
    assert read("2027").issues == ("partial_date", "future_date")
    assert read("2026").issues == ("partial_date",)
    assert read("2099-12-31").issues == ("placeholder_date",)  # a placeholder, not the future
    assert normalize_date("3000-06-01").issues == ("future_date",)  # default today: now


def test_today_may_be_a_datetime() -> None:
    assert read("2026-12-08", today=dt.datetime(2026, 12, 8, 1, 0)).issues == ()


# --- numbers and objects -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        (19710624, "1971-06-24"), (19710624.0, "1971-06-24"), (np.int64(19710624), "1971-06-24"),
        (Decimal("19710624"), "1971-06-24"), (1709251200, "2024-03-01"),
        (1709251200.75, "2024-03-01"), (1709251200000, "2024-03-01"),
        (np.float64(1709251200000.0), "2024-03-01"), (-86400, "1969-12-31"), (-1, "1969-12-31"),
        (86400 * 30, "1970-01-31"), (31536000, None), (24061971, "1971-06-24"),
        ("19710624", "1971-06-24"),
    ],
)  # fmt: skip
def test_numbers_are_years_yyyymmdd_or_seconds_since_1970(value: object, iso: str | None) -> None:
    assert read(value).value == iso


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        (dt.date(1971, 6, 24), "1971-06-24"),
        (dt.datetime(1971, 6, 24, 23, 59), "1971-06-24"),
        (dt.datetime(2024, 3, 5, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-8))), "2024-03-05"),
        (pd.Timestamp("1971-06-24 10:00"), "1971-06-24"),
        (pd.Timestamp("2024-03-05 23:00", tz="US/Pacific"), "2024-03-05"),
        (np.datetime64("1971-06-24"), "1971-06-24"),
        (np.datetime64("2024-03-05T10:00:00.000000000"), "2024-03-05"),
        (np.datetime64("2024-03-05T10:00", "s"), "2024-03-05"),
        (b"1971-06-24", "1971-06-24"),
        (np.str_("24 June 1971"), "1971-06-24"),
    ],
)
def test_date_objects_of_python_pandas_and_numpy(value: object, iso: str) -> None:
    result = read(value)
    assert (result.value, result.precision, result.valid) == (iso, "day", True)
    assert result.original is value


@pytest.mark.parametrize(
    ("value", "issue"),
    [
        (None, "missing"), (float("nan"), "missing"), (pd.NA, "missing"), (pd.NaT, "missing"),
        (np.datetime64("NaT"), "missing"), (np.float64("nan"), "missing"),
        (Decimal("NaN"), "missing"), (Decimal("sNaN"), "missing"), ("", "missing"),
        ("   ", "missing"), (True, "unsupported_type"), (np.bool_(True), "unsupported_type"),
        (float("inf"), "unsupported_type"), (["1971-06-24"], "unsupported_type"),
        ({"d": 1}, "unsupported_type"), (dt.time(10, 0), "unsupported_type"),
        (object(), "unsupported_type"), ("😀", "not_a_date"), ("n/a", "not_a_date"),
        ("unknown", "not_a_date"), ("24 June", "not_a_date"), ("June", "not_a_date"),
        ("1", "not_a_date"), ("12345", "not_a_date"), ("1709251200", "not_a_date"),
        ("June July 1971", "not_a_date"), ("24/06", "not_a_date"), (10**400, "invalid_date"),
        (1e300, "invalid_date"), (-(10**17), "invalid_date"),
    ],
)  # fmt: skip
def test_values_holding_no_date_never_raise(value: object, issue: str) -> None:
    result = read(value)
    assert (result.value, result.valid, result.precision, result.key) == (None, False, None, None)
    assert result.issues == (issue,)


def test_a_ten_megabyte_value_is_cut() -> None:
    result = read("1971-06-24" + " " * 10_000_000)
    assert result.value == "1971-06-24"
    assert result.issues == ("too_long",)
    result = read("x" * 10_000_000)
    assert result.issues == ("too_long", "not_a_date")


# --- options -------------------------------------------------------------------------------------


def test_date_format_is_tried_first() -> None:
    assert read("1971-24-06", date_format="%Y-%d-%m").value == "1971-06-24"
    assert read("24|06|1971", date_format="%d|%m|%Y").value == "1971-06-24"
    assert read("06|1971", date_format="%m|%Y").precision == "month"
    assert read("Y1971", date_format="Y%Y").value == "1971"
    assert read("2024-W10-2", date_format="%G-W%V-%u").value == "2024-03-05"
    assert read("2024 065", date_format="%Y %j").value == "2024-03-05"
    assert read("Tue 2024", date_format="%a %Y").precision == "year"
    # text the format does not fit is read as usual
    assert read("24 June 1971", date_format="%d|%m|%Y").value == "1971-06-24"


@pytest.mark.parametrize(
    ("options", "error", "name"),
    [
        ({"dayfirst": "yes"}, TypeError, "dayfirst"),
        ({"dayfirst": 1}, TypeError, "dayfirst"),
        ({"date_format": 5}, TypeError, "date_format"),
        ({"date_format": "%H:%M"}, ConfigError, "date_format"),
        ({"date_format": ""}, ConfigError, "date_format"),
        ({"date_format": "%Q %Y"}, ConfigError, "date_format"),
        ({"today": "2024-01-01"}, TypeError, "today"),
        ({"today": 20240101}, TypeError, "today"),
    ],
)
def test_wrong_options_raise_naming_the_option(
    options: dict[str, object], error: type[Exception], name: str
) -> None:
    with pytest.raises(error, match=name) as raised:
        normalize_date("1971-06-24", **options)  # type: ignore[arg-type]
    assert "2024-01-01" not in str(raised.value)
    with pytest.raises(error, match=name):
        crmclean.normalize_many(normalize_date, [], **options)


def test_the_batch_form() -> None:
    results = crmclean.normalize_many(normalize_date, ["24/06/1971", None, "24/06/1971"],
                                      today=TODAY)  # fmt: skip
    assert [r.value for r in results] == ["1971-06-24", None, "1971-06-24"]
    assert results[0] is results[2]


def test_public_and_shaped_like_the_other_normalizers() -> None:
    assert {"normalize_date", "DateResult"} <= set(crmclean.__all__)
    assert crmclean.normalize_date is dates.normalize_date
    assert not {"date_key", "timestamp"} & set(crmclean.__all__)
    assert pickle.loads(pickle.dumps(normalize_date)) is normalize_date
    assert next(iter(inspect.signature(normalize_date).parameters)) == "value"
    assert "Example:" in (normalize_date.__doc__ or "")
    result = read("24 June 1971")
    assert pickle.loads(pickle.dumps(result)) == result
    with pytest.raises(AttributeError):
        result.value = "x"  # type: ignore[misc]


# --- properties ----------------------------------------------------------------------------------

_DATE_ALPHABET = "0123456789 -/.,:TZ+年月日junefebcdaroptsvyiмаяюн'\u00a0"


def _written(day: dt.date, form: int) -> tuple[str, bool]:
    """The day written in one of many forms, and the dayfirst that reads it back."""
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
    name = months[day.month - 1]
    forms = [
        (day.isoformat(), True), (day.strftime("%Y%m%d"), True),
        (day.strftime("%d/%m/%Y"), True), (day.strftime("%m/%d/%Y"), False),
        (day.strftime("%d.%m.%Y"), True), (f"{day.day} {name} {day.year}", True),
        (f"{name} {day.day}, {day.year}", True), (f"{name[:3]} {day.day} {day.year}", True),
        (f"{day.year}年{day.month}月{day.day}日", True), (day.isoformat() + "T10:00:00Z", True),
        (day.isoformat() + " 23:59:59+03:00", True),
        (f"{day.day}-{name[:3].upper()}-{day.year}", True),
    ]  # fmt: skip
    return forms[form % len(forms)]


@settings(max_examples=400)
@given(st.dates(min_value=dt.date(1000, 1, 1)), st.integers(0, 100))
def test_generated_dates_in_every_form_read_back(day: dt.date, form: int) -> None:
    text, dayfirst = _written(day, form)
    result = normalize_date(text, dayfirst=dayfirst, today=dt.date.max)
    assert result.value == day.isoformat(), text
    assert result.key == day.strftime("%Y%m%d")
    assert set(result.issues) <= {"ambiguous_date", "placeholder_date"}


_ANY_VALUE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=_DATE_ALPHABET, max_size=30),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.none(),
    st.booleans(),
    st.binary(max_size=20),
)


@settings(max_examples=600)
@given(_ANY_VALUE, st.booleans())
@example("1971-06-24", True)
@example("24 June 71", False)
def test_never_raises_and_valid_results_read_back_the_same(value: object, dayfirst: bool) -> None:
    result = normalize_date(value, dayfirst=dayfirst, today=TODAY)
    assert set(result.issues) <= set(ISSUE_CODES), result.issues
    if result.value is None:
        assert result.issues
        assert not result.valid
    if result.value is not None:
        again = normalize_date(result.value, dayfirst=dayfirst, today=TODAY)
        assert again.value == result.value
        assert (again.year, again.month, again.day) == (result.year, result.month, result.day)
        assert again.valid == result.valid
    if result.valid:
        assert result.precision in ("day", "month", "year")
        assert result.key == (result.value.replace("-", "") if result.precision == "day" else None)


_NUMBER = st.text(alphabet="0123456789١٢", min_size=1, max_size=5)


@settings(max_examples=800)
@given(_NUMBER, st.sampled_from("-/."), _NUMBER, _NUMBER, st.booleans())
def test_the_fast_paths_read_as_the_general_reader(
    a: str, separator: str, b: str, c: str, dayfirst: bool
) -> None:
    text = separator.join((a, b, c))
    fast, _ = dates._read_text(text, dayfirst, None, TODAY)
    assert fast == dates._from_text(dates._fold(text), dayfirst, TODAY)


# --- the matching stage's date keys, exactly -----------------------------------------------------

_KEY_TRICKY = [
    "1971-06-24", "1971-6-4", "1971/06/24", "1971.06.24", "1971 06 24", "19710624", "19710231",
    "19711345", "00000000", "24/06/1971", "06/24/1971", "03/04/1971", "13/13/1971", "4/3/1971",
    "24.06.1971", "24-06-1971", "24 06 1971", "24 June 1971", "June 24, 1971", "Jun 24 1971",
    "junk 5 1971", "24 juin 1971", "24 juni 1971", "sept 5, 1971", "Sept. 5 1971", "may 1971",
    "June 1971", "1971-06-24 garbage", "garbage 1971-06-24", "1971-13-45", "1971-02-30",
    "24/06/71", "2024-03-05T10:00:00Z", "  1971-06-24  ", "1971-06", "1971", "", " ", "x" * 100,
    "   " + "1" * 50, "١٩٧١-٠٦-٢٤", "１９７１-０６-２４", "1971年6月24日", "24 ИЮНЯ 1971",
    "1971-06-24\n", "24 June 1971 " * 5, "abc 12 def 1999", "Dec 1 99999", "1 dec. 2001",
    "12 decimal 2001", "1 2 3 4 5 6", "2024/3/5 10:00", "5.3.2024", "99/99/9999",
    None, float("nan"), 19710624, 19710624.0, 1971, 1709251200, True, b"1971-06-24",
    dt.date(1971, 6, 24), dt.datetime(1971, 6, 24, 23, 59), pd.Timestamp("1971-06-24"),
    np.datetime64("1971-06-24"), np.datetime64("1971-06-24T10:00:00.000000000"),
    np.int64(19710624), Decimal("19710624"), ["1971-06-24"], pd.Period("1971-06"),
    dt.date(1, 1, 1), dt.date(9999, 12, 31),
]  # fmt: skip


@pytest.mark.parametrize("value", _KEY_TRICKY, ids=repr)
@pytest.mark.parametrize("dayfirst", [True, False])
def test_date_key_is_the_matching_stage_key(value: object, dayfirst: bool) -> None:
    assert dates.date_key(value, dayfirst=dayfirst) == reference_date_key(value, dayfirst=dayfirst)


def test_date_key_gives_no_key_for_pandas_nat_where_the_old_key_raised() -> None:
    with pytest.raises(ValueError, match="format code"):
        reference_date_key(pd.NaT)
    assert dates.date_key(pd.NaT) is None


def test_date_key_checks_its_option() -> None:
    with pytest.raises(TypeError, match="dayfirst"):
        dates.date_key("1971-06-24", dayfirst="no")  # type: ignore[arg-type]


_KEY_ALPHABET = "0123456789 -/.,:aejnuycsptdmoTZ\n\t٣"


@st.composite
def _date_like(draw: st.DrawFn) -> str:
    """Numbers and month words with separators, shaped like dates and nearly like them."""
    parts = draw(
        st.lists(
            st.one_of(
                st.integers(0, 99_999_999).map(str),
                st.integers(0, 99).map(lambda n: f"{n:02d}"),
                st.sampled_from(["june", "jun", "sept", "may", "juni", "juin", "xyz", "de"]),
            ),
            min_size=1,
            max_size=4,
        )
    )
    seps = draw(st.lists(st.sampled_from(["-", "/", ".", " ", ", ", "", "  ", "T"]),
                         min_size=len(parts), max_size=len(parts)))  # fmt: skip
    return "".join(p + s for p, s in zip(parts, seps, strict=True))


_KEY_VALUES = st.one_of(
    st.text(alphabet=_KEY_ALPHABET, max_size=45),
    _date_like(),
    st.text(max_size=20),
    st.integers(),
    st.floats(),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=1500)
@given(_KEY_VALUES, st.booleans())
def test_date_key_agrees_on_generated_values(value: object, dayfirst: bool) -> None:
    assert dates.date_key(value, dayfirst=dayfirst) == reference_date_key(value, dayfirst=dayfirst)


# --- the merge stage's timestamps, exactly -------------------------------------------------------


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


_TIMESTAMP_TRICKY = [
    "2024-03-01", "2024-03-01T00:00:00Z", "2024-03-01T10:00:00z", "2024-03-01 00:00:00+00:00",
    "2024-03-01T10:00:00+03:00", "2024/03/01", "2024/03/01 10:00", "2024/03/01 10:00:30",
    "01.03.2024", "01.03.2024 10:00", "01.03.2024 10:00:30", "20240301", "2024-03", "2024",
    "03/01/2024", "1 March 2024", "soon", "", " ", "Z", "  2024-03-01  ", "2024-02-30",
    "20240301T100000", "2024-W09-5", None, float("nan"), True, False, [2024], {"a": 1},
    1709251200, 1709251200.5, 1709251200000, -1.5, 0, float("inf"), 10**20,
    np.int64(1709251200), np.float32(1.5), np.float64("nan"), np.bool_(True),
    np.datetime64("2024-03-01"), np.datetime64("2024-03-01T10:00:00.123456789"),
    np.datetime64("NaT"), dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 10, 30),
    dt.datetime(2024, 3, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=5))),
    pd.Timestamp("2024-03-01 10:00"), pd.Timestamp("2024-03-01", tz="Europe/Berlin"), pd.NaT,
    pd.NA, Decimal("1709251200"), b"2024-03-01",
]  # fmt: skip


@pytest.mark.parametrize("value", _TIMESTAMP_TRICKY, ids=repr)
@pytest.mark.parametrize("date_format", [None, "%m/%d/%Y", "%d %B %Y"])
def test_timestamp_is_the_merge_stage_timestamp(value: object, date_format: str | None) -> None:
    assert _same(dates.timestamp(value, date_format), merge_timestamp(value, date_format))


_TIMESTAMP_VALUES = st.one_of(
    st.text(alphabet="0123456789-/.: TZz+", max_size=30),
    st.text(max_size=15),
    st.integers(),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(dt.timezone.utc)),
)


@settings(max_examples=800)
@given(_TIMESTAMP_VALUES, st.sampled_from([None, "%d/%m/%Y", "%Y"]))
def test_timestamp_agrees_on_generated_values(value: object, date_format: str | None) -> None:
    assert _same(dates.timestamp(value, date_format), merge_timestamp(value, date_format))


def test_timestamp_checks_its_option() -> None:
    with pytest.raises(TypeError, match="date_format"):
        dates.timestamp("2024-03-01", 5)  # type: ignore[arg-type]


# --- the compiled build gives what the source gives ----------------------------------------------

_READ_DATES = """
import json, sys, datetime
from crmclean.normalize import COMPILED, dates
values = json.load(open(sys.argv[1], encoding="utf-8"))
odd = [None, 7, 3.5, True, b"bytes", ["a"], {"k": 1}, "x" * 300_000, "\\U0001F600" * 9, 19710624,
       1709251200000, datetime.date(1971, 6, 24)]
today = datetime.date(2026, 12, 7)
out = {"compiled": "crmclean.normalize.dates" in COMPILED}
out["dates"] = [repr(dates.normalize_date(v, today=today)) for v in values + odd]
out["us"] = [repr(dates.normalize_date(v, dayfirst=False, today=today)) for v in values + odd]
out["keys"] = [dates.date_key(v) for v in values + odd]
out["stamps"] = [repr(dates.timestamp(v)) for v in values + odd]
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"))
"""


@pytest.mark.skipif(
    "crmclean.normalize.dates" not in crmclean.normalize.COMPILED,
    reason="the dates module is not compiled in this install",
)
def test_compiled_dates_give_exactly_what_the_source_gives(tmp_path: Path) -> None:
    import random

    rng = random.Random(20261207)
    values = [_written(dt.date.fromordinal(rng.randrange(600_000, 800_000)), i)[0]
              for i in range(600)]  # fmt: skip
    alphabet = _DATE_ALPHABET + "abcdefghijklmnopqrstuvwxyz"
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 25)))
               for _ in range(600)]  # fmt: skip
    path = tmp_path / "values.json"
    path.write_text(json.dumps(values), encoding="utf-8")
    results = []
    for pure in (False, True):
        env = {k: v for k, v in os.environ.items() if k != "CRMCLEAN_PURE_PYTHON"}
        if pure:
            env["CRMCLEAN_PURE_PYTHON"] = "1"
        out = tmp_path / f"out_{pure}.json"
        subprocess.run([sys.executable, "-c", _READ_DATES, str(path), str(out)], env=env,
                       check=True)  # fmt: skip
        results.append(json.loads(out.read_text(encoding="utf-8")))
    compiled, source = results
    assert compiled.pop("compiled") is True
    assert source.pop("compiled") is False
    assert compiled == source


def test_dedupe_reads_a_datetime_column_with_missing_dates() -> None:
    table = pd.DataFrame({
        "id": [1, 2, 3],
        "first_name": ["Ann", "Ann", "Bo"],
        "last_name": ["Lee", "Lee", "Kim"],
        "dob": pd.to_datetime(["1971-06-24", None, "1980-01-02"]),
    })  # fmt: skip
    assert pd.isna(table.loc[1, "dob"])
    result = crmclean.dedupe(table, id_column="id")
    assert list(result.clusters["id"]) == [1, 2, 3]


def test_standardize_and_audit_read_dates_with_the_dates_normalizer() -> None:
    rows = [{"dob": "24/06/1971"}, {"dob": "1900-01-01"}, {"dob": "1971-02-30"}, {"dob": None}]
    out = crmclean.standardize(rows)
    assert [None if pd.isna(v) else v for v in out["dob_clean"]] == [
        "1971-06-24", "1900-01-01", None, None]
    assert "dob:placeholder_date" in out.loc[1, "crmclean_issues"]
    assert "dob:invalid_date" in out.loc[2, "crmclean_issues"]
    report = crmclean.audit(rows)
    assert report.issue_counts["dob:placeholder_date"] == 1
    assert "dob" in [f.role for f in report.fields]
