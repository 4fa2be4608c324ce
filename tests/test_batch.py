"""The batch form: a whole column through a normalizer, each distinct value once."""

from __future__ import annotations

import pytest

import crmclean
from crmclean import normalize_many, normalize_text


def test_one_result_per_value_in_order() -> None:
    values = ["  b ", None, " a", "  b "]
    results = normalize_many(normalize_text, values)
    assert [r.text for r in results] == ["b", None, "a", "b"]
    assert [r.original for r in results] == values


def test_repeated_values_are_parsed_once() -> None:
    calls: list[object] = []

    def counting(value: object) -> object:
        calls.append(value)
        return normalize_text(value)

    normalize_many(counting, ["x", "x", "y", "x", "y"])
    assert calls == ["x", "y"]


def test_equal_but_differently_typed_values_are_not_confused() -> None:
    results = normalize_many(normalize_text, [1, True, 1.0, "1"])
    assert [r.text for r in results] == ["1", None, "1", "1"]
    assert results[1].issues == ("unsupported_type",)


def test_unhashable_cells_are_normalized_not_cached() -> None:
    results = normalize_many(normalize_text, [["a"], {"b": 1}, "c"])
    assert [r.issues for r in results[:2]] == [("unsupported_type",), ("unsupported_type",)]
    assert results[2].text == "c"


def test_accepts_series_arrays_and_generators() -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    np = pytest.importorskip("numpy")
    expected = ["a", None]
    for column in (
        pd.Series([" a", None]),
        pl.Series([" a", None]),
        np.array([" a", None], dtype=object),
        (v for v in [" a", None]),
    ):
        assert [r.text for r in normalize_many(normalize_text, column)] == expected
    # a pyarrow array gives a pyarrow struct array of the results' fields
    assert normalize_many(normalize_text, pa.array([" a", None])).field("text").to_pylist() == (
        expected
    )


def test_options_are_checked_even_for_an_empty_column() -> None:
    with pytest.raises(TypeError, match="strip_special"):
        normalize_many(normalize_text, [], strip_special="yes")


def test_a_single_string_is_refused_as_a_column() -> None:
    with pytest.raises(TypeError, match="single str"):
        normalize_many(normalize_text, "abc")


def test_normalize_many_is_public() -> None:
    assert crmclean.normalize_many is normalize_many
