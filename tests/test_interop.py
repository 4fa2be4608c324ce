"""Every table-taking function: pandas, polars, pyarrow or a list of dicts in; the same kind out,
a pandas DataFrame for a list of dicts."""

from __future__ import annotations

import pytest

import crmclean

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

ROWS = [
    {"id": "1", "First Name": "Robert", "Last Name": "Smith", "Email": "bob@acme.org"},
    {"id": "2", "First Name": "Bob", "Last Name": "Smith", "Email": "bob@acme.org"},
    {"id": "3", "First Name": "Ann", "Last Name": "Lee", "Email": None},
]


def _tables() -> dict[str, object]:
    columns = {k: [r[k] for r in ROWS] for k in ROWS[0]}
    return {"records": ROWS, "pandas": pd.DataFrame(columns), "polars": pl.DataFrame(columns),
            "arrow": pa.table(columns)}  # fmt: skip


EXPECTED = {"records": pd.DataFrame, "pandas": pd.DataFrame, "polars": pl.DataFrame,
            "arrow": pa.Table}  # fmt: skip


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_every_function_returns_the_expected_kind(kind: str) -> None:
    table = _tables()[kind]
    expected = EXPECTED[kind]
    assert isinstance(crmclean.standardize(table), expected)
    result = crmclean.dedupe(table, id_column="id")
    assert isinstance(result.clusters, expected)
    assert isinstance(result.pairs, expected)
    merged = crmclean.merge(table, result.clusters, id_column="id")
    assert isinstance(merged.golden, expected)
    assert isinstance(merged.lineage, expected)
    restored = crmclean.unmerge(merged)
    if kind == "records":
        assert restored == ROWS  # exactly what came in
    else:
        assert isinstance(restored, expected)
    index = crmclean.MatchIndex.build(table, "id", settings=result.settings,
                                      clusters=result.clusters)  # fmt: skip
    new = [{**ROWS[0], "id": "9"}]
    batch = {"records": new, "pandas": pd.DataFrame(new), "polars": pl.DataFrame(new),
             "arrow": pa.Table.from_pylist(new)}[kind]  # fmt: skip
    matches = index.match(batch, id_column="id").table
    assert isinstance(matches, expected)


def test_nulls_in_every_form_are_treated_alike() -> None:
    forms = [None, float("nan"), pd.NA, "", "  "]
    out = crmclean.standardize(pd.DataFrame({"Email": forms}))
    assert out["Email_clean"].isna().all()
    assert (out["crmclean_issues"] == "email:missing").all()
