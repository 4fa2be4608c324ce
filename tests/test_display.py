"""What a notebook shows: readable reprs and HTML for results and explanations."""

from __future__ import annotations

from pathlib import Path

import crmclean
from crmclean.frames import read_table

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "contacts.csv"


def test_match_result_html_shows_clusters_side_by_side() -> None:
    result = crmclean.dedupe(read_table(str(EXAMPLE)), "Record ID")
    assert repr(result).startswith("MatchResult(40 records")
    page = result._repr_html_()
    assert "largest clusters" in page
    # the three Jane Smith records sit next to each other, with their raw values
    for value in ("Jane.Smith@Acme-Corp.com", "jane.smith@acme-corp.com", "janesmith@gmial.com"):
        assert value in page
    assert page.index("Jane.Smith@Acme-Corp.com") < page.index("janesmith@gmial.com")


def test_explanation_html_is_a_weight_chart() -> None:
    result = crmclean.dedupe(read_table(str(EXAMPLE)), "Record ID")
    explanation = result.explain("1001", "1003")
    page = explanation._repr_html_()
    assert page.count("<rect") == len(explanation.contributions) + 1  # prior + each field
    assert "phone (exact)" in page
    assert f"{explanation.match_weight:+.2f}" in page


def test_html_escapes_values() -> None:
    rows = [{"id": 1, "first_name": "<b>Bob</b>", "last_name": "Smith", "email": "b@x.org"},
            {"id": 2, "first_name": "<b>Bob</b>", "last_name": "Smith", "email": "b@x.org"}]
    page = crmclean.dedupe(rows, "id")._repr_html_()
    assert "<b>Bob</b>" not in page
    assert "&lt;b&gt;Bob&lt;/b&gt;" in page
