"""A whole table standardized: new columns beside the raw ones, every row exactly once."""

from __future__ import annotations

import math

import pytest

import crmclean
from crmclean.errors import ColumnError, ConfigError
from crmclean.standardize import ISSUES_COLUMN, standardize_columns
from tables import rows

ROWS = [
    {"First Name": "jane", "Last Name": "SMITH", "Email": " Jane.Smith@Gmail.com ",
     "Phone": "(415) 555-2671", "Job Title": "C.E.O.", "Company": "ACME, INC.", "Country": "USA"},
    {"First Name": None, "Last Name": "", "Email": "not-an-email", "Phone": "1234567890",
     "Job Title": None, "Company": "N/A", "Country": None},
]  # fmt: skip


def test_records_in_records_out_with_raw_values_untouched() -> None:
    out = rows(crmclean.standardize(ROWS, region="US"))
    assert len(out) == len(ROWS)
    for before, after in zip(ROWS, out, strict=True):
        for column, value in before.items():
            assert after[column] == value
    assert out[0]["Email_clean"] == "jane.smith@gmail.com"
    assert out[0]["Phone_e164"] == "+14155552671"
    assert out[0]["First Name_clean"] == "Jane"
    assert out[0]["Last Name_clean"] == "Smith"
    assert out[0]["Job Title_clean"] == "Chief Executive Officer"
    assert out[0]["Job Title_seniority"] == "c_level"


def test_issue_column_lists_role_and_code() -> None:
    out = rows(crmclean.standardize(ROWS, region="US"))
    issues = out[1][ISSUES_COLUMN].split("; ")
    assert "phone:fake_phone" in issues
    assert any(tag.startswith("email:") for tag in issues)
    assert "first_name:missing" in issues


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow"])
def test_dataframes_come_back_as_the_same_kind(kind: str) -> None:
    columns = {k: [r[k] for r in ROWS] for k in ROWS[0]}
    if kind == "pandas":
        pd = pytest.importorskip("pandas")
        table = pd.DataFrame(columns)
    elif kind == "polars":
        pl = pytest.importorskip("polars")
        table = pl.DataFrame(columns)
    else:
        pa = pytest.importorskip("pyarrow")
        table = pa.table(columns)
    out = crmclean.standardize(table, region="US")
    assert type(out) is type(table)
    assert (out.num_rows if kind == "arrow" else out.shape[0]) == 2
    from crmclean.frames import to_columns

    batch, _ = to_columns(out)
    assert batch["Phone_e164"][0] == "+14155552671"


def test_nulls_in_every_form_are_treated_alike() -> None:
    pd = pytest.importorskip("pandas")
    values = [None, float("nan"), pd.NA, "", "   "]
    out, summary = standardize_columns({"Email": values})
    assert out["Email_clean"] == [None] * len(values)
    assert summary.issue_counts["email:missing"] == len(values)
    assert not any(isinstance(v, float) and math.isnan(v) for v in out["Email_clean"])


def test_existing_column_names_are_never_overwritten() -> None:
    out, _ = standardize_columns({"Email": ["a@b.com"], "Email_clean": ["keep me"]})
    assert out["Email_clean"] == ["keep me"]
    assert out["Email_clean_"] == ["a@b.com"]


def test_only_restricts_the_roles() -> None:
    out, summary = standardize_columns(
        {"Email": ["a@b.com"], "Phone": ["+14155552671"]}, only=["phone"]
    )
    assert "Email_clean" not in out
    assert set(summary.roles) == {"phone"}


def test_misuse_raises_typed_errors() -> None:
    with pytest.raises(ColumnError):
        crmclean.standardize(ROWS, columns={"email": "E-mail"})
    with pytest.raises(ConfigError):
        crmclean.standardize(ROWS, region="XX")
    with pytest.raises(ConfigError):
        crmclean.standardize(ROWS, only=["emails"])


def test_empty_table() -> None:
    out, summary = standardize_columns({"Email": []})
    assert out == {"Email": [], "Email_clean": [], "Email_suggestion": [], ISSUES_COLUMN: []}
    assert summary.rows == 0


def test_a_list_of_records_comes_back_as_a_dataframe() -> None:
    pd = pytest.importorskip("pandas")
    out = crmclean.standardize(ROWS, region="US")
    assert isinstance(out, pd.DataFrame)
    assert out["Email_clean"][0] == "jane.smith@gmail.com"
    assert out["Email_clean"].isna().tolist() == [False, True]


def test_odd_cells_in_address_columns_give_issues_not_errors() -> None:
    out, summary = standardize_columns(
        {"Street": [["1 Main St"], "1 Main St"], "City": [None, "Boston"], "Country": ["US", "US"]}
    )
    assert out["Street_clean"][1] == "1 Main St"
    assert summary.issue_counts["address:missing_street"] == 1
