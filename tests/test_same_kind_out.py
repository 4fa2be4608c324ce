"""Tables come back as they went in: pandas index and column labels, the input's kind."""

from __future__ import annotations

from typing import Any

import pytest

import crmclean
from crmclean import normalize_many, normalize_text
from crmclean.merge import merge, unmerge

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

ROWS = {
    "Record ID": ["a1", "a2", "a3"],
    "Email": ["jane@acme.com", "JANE@acme.com ", "bob@roe.org"],
    "First Name": ["Jane", "Jane", "Bob"],
}


def test_standardize_keeps_the_pandas_index_and_labels() -> None:
    frame = pd.DataFrame(ROWS).set_index("Record ID", drop=False)
    out = crmclean.standardize(frame)
    assert out.index.tolist() == ["a1", "a2", "a3"]
    assert out.index.name == "Record ID"
    assert out.loc["a2", "Email_clean"] == "jane@acme.com"
    labelled = pd.DataFrame({0: ["x"], 1: ["jane@acme.com"]}, index=[7])
    out = crmclean.standardize(labelled, columns={"email": "1"})
    assert out.columns.tolist()[:2] == [0, 1]
    assert out.index.tolist() == [7]
    assert "1_clean" in out.columns


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow", "records"])
def test_audit_records_are_of_the_input_kind(kind: str) -> None:
    tables = {
        "pandas": pd.DataFrame(ROWS),
        "polars": pl.DataFrame(ROWS),
        "arrow": pa.table(ROWS),
        "records": [dict(zip(ROWS, r, strict=True)) for r in zip(*ROWS.values(), strict=True)],
    }
    records = crmclean.audit(tables[kind]).records
    expected = {"pandas": pd.DataFrame, "polars": pl.DataFrame, "arrow": pa.Table,
                "records": pd.DataFrame}  # fmt: skip
    assert isinstance(records, expected[kind])
    assert len(records) == 3


def test_audit_records_keep_a_pandas_index() -> None:
    frame = pd.DataFrame(ROWS, index=[10, 20, 30])
    assert crmclean.audit(frame).records.index.tolist() == [10, 20, 30]


def test_normalize_many_returns_the_input_series_kind() -> None:
    series = pd.Series([" a", None, " a"], index=[5, 6, 7], name="Note")
    out = normalize_many(normalize_text, series)
    assert isinstance(out, pd.Series)
    assert out.index.tolist() == [5, 6, 7]
    assert out.name == "Note"
    assert out[5].text == "a"
    polars_out = normalize_many(normalize_text, pl.Series("Note", [" a", None]))
    assert isinstance(polars_out, pl.Series)
    assert [r.text for r in polars_out.to_list()] == ["a", None]
    assert isinstance(normalize_many(normalize_text, [" a"]), list)


def test_unmerge_of_merge_equals_the_pandas_input() -> None:
    frame = pd.DataFrame(ROWS).set_index("Record ID", drop=False)
    clusters = {"a1": "c1", "a2": "c1", "a3": "c3"}
    back = unmerge(merge(frame, clusters, id_column="Record ID"))
    pd.testing.assert_frame_equal(back, frame)
    labelled = pd.DataFrame({"id": [1, 2], 5: ["x@y.org", "x@y.org"]}, index=["p", "q"])
    back = unmerge(merge(labelled, {1: "c", 2: "c"}, id_column="id"))
    pd.testing.assert_frame_equal(back, labelled)


@pytest.mark.parametrize(
    ("normalizer", "options"),
    [
        (crmclean.normalize_email, {}),
        (crmclean.normalize_phone, {"region": "US"}),
        (crmclean.parse_name, {}),
        (crmclean.normalize_title, {}),
        (crmclean.normalize_company, {}),
        (crmclean.normalize_address, {}),
        (crmclean.normalize_date, {}),
        (crmclean.normalize_text, {}),
    ],
)
def test_normalize_many_on_a_pyarrow_array_gives_a_struct_array_of_the_results(
    normalizer: Any, options: dict[str, Any]
) -> None:
    pa = pytest.importorskip("pyarrow")
    cells = ["Jane.Doe@GMAIL.com", None, "(415) 555-2671", "😀", "x" * 5000, "24/06/1971"]
    for column in (pa.array(cells), pa.chunked_array([cells[:2], cells[2:]])):
        out = crmclean.normalize_many(normalizer, column, **options)
        assert isinstance(out, pa.StructArray)
        expected = [normalizer(c, **options) for c in cells]
        assert out.field("value").to_pylist() == [r.value for r in expected]
        assert out.field("valid").to_pylist() == [r.valid for r in expected]
        assert out.field("issues").to_pylist() == [list(r.issues) for r in expected]


def test_normalize_many_on_a_pyarrow_array_of_keys_gives_an_array() -> None:
    pa = pytest.importorskip("pyarrow")
    out = crmclean.normalize_many(crmclean.match_key, pa.array(["İSMAİL Yılmaz", None]))
    assert out.to_pylist() == ["ismail yilmaz", ""]


def test_unmerge_of_one_cluster_keeps_those_records_index_labels() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"id": [1, 2, 3, 4], 0: ["a@x.com", "A@x.com ", "b@y.com", "c@z.com"]},
        index=["r1", "r2", "r3", "r4"],
    )
    result = merge(frame, {1: "c1", 2: "c1", 3: "c2", 4: "c3"}, id_column="id")
    pd.testing.assert_frame_equal(unmerge(result, "c1"), frame.iloc[[0, 1]])
    pd.testing.assert_frame_equal(unmerge(result, "c2"), frame.iloc[[2]])
    pd.testing.assert_frame_equal(unmerge(result, "c3"), frame.iloc[[3]])
    pd.testing.assert_frame_equal(unmerge(result), frame)
