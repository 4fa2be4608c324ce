"""Tables in, the same kind of table out; files read and written safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmclean.errors import InputFileError
from crmclean.frames import from_columns, read_table, safe_cell, to_columns, write_table

BATCH = {"email": ["a@x.com", None], "phone": ["+14155552671", "x"]}


def test_records_round_trip_and_fill_missing_keys_with_none() -> None:
    records = [{"email": "a@x.com"}, {"phone": "1", "email": "b@y.com"}]
    columns, kind = to_columns(records)
    assert kind == "records"
    assert columns == {"email": ["a@x.com", "b@y.com"], "phone": [None, "1"]}
    assert from_columns(columns, kind) == [
        {"email": "a@x.com", "phone": None},
        {"email": "b@y.com", "phone": "1"},
    ]


def test_pandas_polars_and_arrow_come_back_as_themselves() -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    for table, kind, cls in (
        (pd.DataFrame(BATCH), "pandas", pd.DataFrame),
        (pl.DataFrame(BATCH), "polars", pl.DataFrame),
        (pa.table(BATCH), "arrow", pa.Table),
    ):
        columns, got_kind = to_columns(table)
        assert got_kind == kind
        assert columns["phone"] == ["+14155552671", "x"]
        assert isinstance(from_columns(columns, kind), cls)


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(TypeError, match="different lengths"):
        to_columns({"a": [1, 2], "b": [1]})


def test_non_tables_are_refused_with_a_clear_message() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        to_columns(42)
    with pytest.raises(TypeError, match="dicts"):
        to_columns(["a", "b"])


def test_csv_cells_stay_text_and_delimiter_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("Name;Phone;Zip\nAnn;4155552671;02110\n\nBob;;\n", encoding="utf-8")
    assert read_table(path) == {
        "Name": ["Ann", "Bob"],
        "Phone": ["4155552671", ""],
        "Zip": ["02110", ""],
    }


def test_bom_and_cp1252_files_are_read(tmp_path: Path) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffName\nJosé\n".encode())
    assert read_table(bom) == {"Name": ["José"]}
    legacy = tmp_path / "excel.csv"
    legacy.write_bytes("Name\nJosé Müller\n".encode("cp1252"))
    assert read_table(legacy) == {"Name": ["José Müller"]}
    utf16 = tmp_path / "u16.csv"
    utf16.write_bytes("Name\nИван\n".encode("utf-16"))
    assert read_table(utf16) == {"Name": ["Иван"]}


def test_bad_files_raise_input_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_table(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputFileError, match="empty"):
        read_table(empty)
    dup = tmp_path / "dup.csv"
    dup.write_text("a,a\n1,2\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="repeats a column"):
        read_table(dup)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a\n\x81\x8d\x8f\n")
    with pytest.raises(InputFileError, match="encoding"):
        read_table(bad)
    with pytest.raises(InputFileError, match="not valid utf-8"):
        read_table(bad, encoding="utf-8")
    with pytest.raises(InputFileError, match="unknown encoding"):
        read_table(bad, encoding="no-such-codec")


def test_jsonl_and_parquet_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    for suffix in (".jsonl", ".parquet"):
        path = tmp_path / f"t{suffix}"
        write_table(BATCH, path)
        assert read_table(path) == BATCH


def test_formula_injection_is_neutralized_but_phone_numbers_are_not() -> None:
    assert safe_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0"
    assert safe_cell("+14155552671") == "+14155552671"
    assert safe_cell("+1 (415) 555-2671") == "+1 (415) 555-2671"
    assert safe_cell("-12.5") == "-12.5"
    assert safe_cell(None) is None


def test_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(IndexError):
        write_table({"a": [1], "b": []}, target)  # b is too short: fails midway
    assert list(tmp_path.iterdir()) == []
