"""Reading real CRM export files: encodings detected (never mojibake), shapes kept whole."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from crmclean.errors import InputFileError
from crmclean.frames import (
    TableReadWarning,
    detect_encoding,
    read_table,
    read_table_info,
    safe_cell,
    write_table,
)

sys.path.insert(0, str(Path(__file__).parent))
from make_exports import DATA, FILES

ENCODED = [n for n, (_, e) in FILES.items() if e != "utf-8"]
EXPECTED_CODEC = {
    "cp1251": "cp1251", "koi8_r": "koi8_r", "gb18030": "gb18030", "big5": "big5",
    "cp1254": "cp1254", "shift_jis": "cp932", "cp1252": "cp1252", "utf-16-le": "utf-16-le",
}  # fmt: skip


def test_the_data_files_are_those_the_script_writes() -> None:
    for name, (text, encoding) in FILES.items():
        assert (DATA / name).read_bytes() == text.encode(encoding), name


@pytest.mark.parametrize("name", ENCODED)
def test_each_export_is_read_in_its_own_encoding(name: str, tmp_path: Path) -> None:
    text, encoding = FILES[name]
    columns, info = read_table_info(DATA / name)
    assert info.encoding == EXPECTED_CODEC[encoding]
    assert info.detected
    utf8 = tmp_path / "same.csv"
    utf8.write_text(text, encoding="utf-8")
    assert columns == read_table(utf8)
    assert info.encoding in info.describe()


def test_turkish_letters_survive_and_western_ones_are_not_turned_turkish() -> None:
    turkish = read_table(DATA / "turkish_crm_cp1254.csv")
    assert "Şirket" in turkish
    assert "Şule" in turkish["Adı"]
    western = read_table(DATA / "western_excel_cp1252.csv")
    assert western["Prénom"] == ["Jérôme", "Zoë", "Renée"]


def test_an_unclear_encoding_is_refused_naming_the_option(tmp_path: Path) -> None:
    tiny = tmp_path / "tiny.csv"
    tiny.write_bytes("Name\nИван\n".encode("cp1251"))  # four letters: CJK or Cyrillic
    with pytest.raises(InputFileError, match="--encoding") as caught:
        read_table(tiny)
    assert "\n" not in str(caught.value)
    assert "Иван" not in str(caught.value)
    assert read_table(tiny, encoding="cp1251") == {"Name": ["Иван"]}


def test_utf16_and_utf32_without_bom_are_told_by_their_nul_bytes() -> None:
    text = "Name,Email\nJane,jane@acme.com\nЗоя,zoya@mail.ru\n"
    for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        assert detect_encoding(text.encode(codec)) == codec
    assert detect_encoding(text.encode("utf-8-sig")) == "utf-8-sig"
    assert detect_encoding(text.encode("utf-8")) == "utf-8"


def test_ragged_rows_keep_every_cell_in_overflow_columns() -> None:
    with pytest.warns(TableReadWarning, match=r"lines 2, 5.*_extra_1, _extra_2"):
        columns, info = read_table_info(DATA / "ragged_rows.csv")
    assert columns["_extra_1"] == ["EXTRA1", "", "", "EXTRA3"]
    assert columns["_extra_2"] == ["EXTRA2", "", "", ""]
    assert info.extra_columns == ("_extra_1", "_extra_2")
    assert info.ragged_rows == (2, 5)


def test_excel_sep_line_and_trailing_empty_header_cells() -> None:
    columns, info = read_table_info(DATA / "excel_sep_line.csv")
    assert info.delimiter == ";"
    assert list(columns) == ["Record ID", "First Name", "Last Name", "Email", "Phone"]
    assert columns["Phone"] == ["+1 415 555 2671", "+1 415 555 2672"]


def test_a_header_cell_holding_a_comma_does_not_mislead_the_delimiter() -> None:
    columns = read_table(DATA / "bitrix24_contacts_cp1251.csv")
    assert "Улица, дом, корпус, строение" in columns
    assert columns["Имя"][:2] == ["Иван", "Мария"]


def test_a_repeated_header_is_named(tmp_path: Path) -> None:
    path = tmp_path / "rep.csv"
    path.write_text("Name,Email,Phone,Email\nA,a@x.com,1,b@x.com\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"'Email' \(columns 2 and 4\)"):
        read_table(path)


def test_max_field_size(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("Name,Note\nAnn," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="--max-field-size"):
        read_table(path)
    assert len(read_table(path, max_field_size=300_000)["Note"][0]) == 200_000
    with pytest.raises(TypeError):
        read_table(path, max_field_size=0)


def test_stdin_is_read_as_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO("Имя;Город\nИван;Москва\nМария;Тверь\nПётр;Омск\n".encode("cp1251"))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw))
    columns, info = read_table_info("-")
    assert columns == {"Имя": ["Иван", "Мария", "Пётр"], "Город": ["Москва", "Тверь", "Омск"]}
    assert info.encoding == "cp1251"


def test_header_cells_are_neutralized_like_data_cells(tmp_path: Path) -> None:
    columns = read_table(DATA / "header_injection.csv")
    out = tmp_path / "out.csv"
    write_table(columns, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == 'Record ID,"\'=HYPERLINK(""http://evil.example"")",\'+SUM(1+1),Email,Note'
    assert lines[1] == "1,'-1-1,'+1-1,jane@acme.com,'@SUM(A1)"
    assert lines[2] == '2,-12.5,+1 (415) 555-2671,john@acme.com,plain'


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        ("-1-1", False), ("+1-1", False), ("+1+1", False), ("-2*3", False), ("+1 2", False),
        ("-12.5", True), ("+3,75", True), ("-7", True), ("+14155552671", True),
        ("+1 (415) 555-2671", True), ("+44 20 7946 0958, +44 20 7946 0959", True),
        ("+7 495 123 45 67 доб. 12", True), ("-1e5", True), ("--1", False),
    ],
)  # fmt: skip
def test_numbers_are_recognized_by_a_strict_pattern(cell: str, kept: bool) -> None:
    assert (safe_cell(cell) == cell) is kept


def test_parquet_keeps_string_types_of_empty_columns(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out.parquet"
    write_table({"Email": ["a@x.com", None], "Note": [None, None], "n": [1, 2]}, out)
    schema = pq.read_schema(out)
    assert str(schema.field("Email").type) == "string"
    assert str(schema.field("Note").type) == "string"
    assert str(schema.field("n").type) == "int64"


def test_dash_writes_csv_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    write_table({"a": ["=1", "x"]}, "-")
    assert capsys.readouterr().out.splitlines() == ["a", "'=1", "x"]


def test_a_stray_nul_does_not_turn_a_utf8_file_into_utf16() -> None:
    data = "Name,Email\nJane,jane@acme.com\x00\nZoë,zoe@acme.com\n".encode()
    assert detect_encoding(data) == "utf-8"
    chinese = "姓名,手机,邮箱\n张伟,13800138000,zw@example.cn\n李娜,13912345678,ln@example.cn\n"
    assert detect_encoding(chinese.encode("utf-16-be")) == "utf-16-be"
    assert detect_encoding(chinese.encode("utf-16-le")) == "utf-16-le"
