"""The data-quality audit: per-record issues, per-field figures, KPIs, JSON and HTML."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import crmclean
from crmclean.audit import JSON_SCHEMA, audit, severity
from crmclean.errors import ColumnError, ConfigError
from crmclean.frames import read_table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "contacts.csv"
TODAY = dt.date(2026, 11, 23)

ROWS = [
    {"id": "a", "First Name": "Jane", "Last Name": "Smith", "Email": "jane@acme.com",
     "Phone": "+1 415 555 2671", "Last Modified": "2026-10-01"},
    {"id": "b", "First Name": "jane", "Last Name": "SMITH", "Email": "jane@gmial.com",
     "Phone": None, "Last Modified": "2026-09-01"},
    {"id": "c", "First Name": "test", "Last Name": "test", "Email": "test@test.com",
     "Phone": "555-555-5555", "Last Modified": "2020-01-01"},
    {"id": "d", "First Name": "Bob", "Last Name": "Jones", "Email": None,
     "Phone": None, "Last Modified": None},
]  # fmt: skip


def _records(report: crmclean.AuditReport) -> list[dict[str, object]]:
    return report.records.to_dict("records")  # type: ignore[no-any-return]


def test_every_record_comes_out_once_in_order() -> None:
    report = audit(ROWS, region="US", as_of=TODAY)
    records = _records(report)
    assert [r["id"] for r in records] == ["a", "b", "c", "d"]
    assert [r["row"] for r in records] == [0, 1, 2, 3]
    assert report.rows == 4


def test_record_level_flags_and_scores() -> None:
    records = _records(audit(ROWS, region="US", as_of=TODAY))
    a, b, c, d = records
    assert a["clean"]
    assert a["quality_score"] == 100.0
    assert a["issues"] == ""
    assert b["clean"]  # formatting issues and a typo suggestion are warnings, not errors
    assert "first_name:bad_casing" in str(b["issues"])
    assert "email:possible_typo_domain" in str(b["issues"])
    assert 0 < float(b["quality_score"]) < 100  # type: ignore[arg-type]
    assert not c["clean"]
    for tag in ("first_name:placeholder_name", "email:fake_email", "phone:fake_phone"):
        assert tag in str(c["issues"])
    assert c["quality_score"] == 0.0
    assert not d["clean"]
    assert "record:no_contact_point" in str(d["issues"])
    assert [r["stale"] for r in records] == [False, False, True, None]


def test_kpis() -> None:
    k = audit(ROWS, region="US", as_of=TODAY).kpis
    assert k["records"] == 4
    assert k["clean_share"] == 0.5
    assert k["with_contact_point_share"] == 0.5
    assert k["invalid_email_share"] == pytest.approx(1 / 3)
    assert k["invalid_phone_share"] == 0.5
    assert k["stale_share"] == pytest.approx(1 / 3)
    assert k["duplicate_rate"] is None


def test_clusters_give_duplicate_rate() -> None:
    clusters = {"a": "a", "b": "a", "c": "c", "d": "d"}
    report = audit(ROWS, region="US", clusters=clusters, as_of=TODAY)
    assert report.kpis["duplicate_rate"] == 0.5
    assert [r["duplicate"] for r in _records(report)] == [True, True, False, False]
    assert not _records(report)[0]["clean"]
    assert report.cluster_sizes == {2: 1, 1: 2}
    table = [{"id": k, "cluster_id": v} for k, v in clusters.items()]
    assert audit(ROWS, clusters=table, as_of=TODAY).kpis["duplicate_rate"] == 0.5
    batch = {"id": list(clusters), "cluster_id": list(clusters.values())}  # dedupe's column batch
    assert audit(ROWS, clusters=batch, as_of=TODAY).kpis["duplicate_rate"] == 0.5


def test_field_reports() -> None:
    fields = {f.role: f for f in audit(ROWS, region="US", as_of=TODAY).fields}
    email = fields["email"]
    assert email.column == "Email"
    assert email.filled == 0.75
    assert email.valid == pytest.approx(2 / 3)
    assert email.distinct == 3
    assert email.issues["fake_email"] == 1
    assert email.top_values == (("test@test.com", 1),)
    first = fields["first_name"]
    assert first.standardized == pytest.approx(1 / 4)  # "jane" -> "Jane"
    hidden = {f.role: f for f in audit(ROWS, include_values=False, as_of=TODAY).fields}
    assert hidden["email"].top_values == ()


def test_json_summary_has_a_stable_schema() -> None:
    data = json.loads(audit(ROWS, region="US", as_of=TODAY).to_json())
    assert data["schema"] == JSON_SCHEMA
    assert set(data) == {"schema", "generated_at", "rows", "kpis", "fields", "issue_counts",
                         "cluster_sizes", "score_histogram"}  # fmt: skip
    assert set(data["kpis"]) == {
        "records", "clean_share", "mean_quality_score", "with_contact_point_share",
        "invalid_email_share", "invalid_phone_share", "duplicate_rate", "stale_share",
    }  # fmt: skip
    assert sum(data["score_histogram"]["counts"]) == 4
    assert {"role", "column", "filled", "valid", "standardized", "distinct", "issues",
            "top_values"} == set(data["fields"][0])  # fmt: skip


def test_html_is_self_contained_and_escapes_values() -> None:
    rows = [*ROWS, {"id": "e", "First Name": "<script>alert(1)</script>", "Last Name": "x",
                    "Email": "<b>@x", "Phone": None, "Last Modified": None}]  # fmt: skip
    page = audit(rows, as_of=TODAY).to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;b&gt;@x" in page
    assert not re.search(r"""(src|href)=["']https?://""", page)  # nothing loaded from the web
    for chart in ("chart-completeness", "chart-issues", "chart-scores"):
        assert f'id="{chart}"' in page


def test_empty_table_and_all_null_columns() -> None:
    report = audit({"Email": []})
    assert report.rows == 0
    assert report.kpis["clean_share"] is None
    report = audit({"Email": [None, None]})
    assert report.kpis["invalid_email_share"] is None
    assert report.kpis["clean_share"] == 0.0


def test_frames_in() -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    frame = pd.DataFrame(ROWS)
    assert audit(frame, as_of=TODAY).kpis == audit(ROWS, as_of=TODAY).kpis
    assert audit(pl.DataFrame(ROWS), as_of=TODAY).kpis == audit(ROWS, as_of=TODAY).kpis


def test_misuse_raises() -> None:
    with pytest.raises(ColumnError):
        audit(ROWS, columns={"email": "E-mail"})
    with pytest.raises(ConfigError):
        audit(ROWS, stale_after_days=0)
    with pytest.raises(ColumnError, match="cluster_id"):
        audit(ROWS, clusters=[{"id": "a", "cluster": 1}])


def test_severity_rules() -> None:
    assert severity("invalid_address_thing") == "error"
    assert severity("placeholder_company") == "error"
    assert severity("free_email") == "info"
    assert severity("bad_casing") == "warning"


def test_bundled_example() -> None:
    report = audit(read_table(str(EXAMPLE)), as_of=TODAY)
    assert report.rows == 40
    k = report.kpis
    assert 0 < float(k["clean_share"]) < 1  # type: ignore[arg-type]
    assert report.issue_counts["email:fake_email"] >= 1


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.skipif(_chromium() is None, reason="needs Chromium (Debian package 'chromium'); "
                    ".ci/run installs it")  # fmt: skip
def test_report_renders_in_a_real_browser(tmp_path: Path) -> None:
    report = audit(read_table(str(EXAMPLE)), clusters={"1001": 1, "1002": 1}, as_of=TODAY)
    page = tmp_path / "report.html"
    page.write_text(report.to_html(), encoding="utf-8")
    browser = _chromium()
    assert browser is not None
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    rendered = re.findall(r'<svg class="chart" id="([\w-]+)"[^>]*data-rendered="(\w+)"', dom)
    assert dict(rendered) == {
        "chart-completeness": "true", "chart-issues": "true", "chart-scores": "true",
        "chart-clusters": "true",
    }  # fmt: skip
    shot = tmp_path / "report.png"
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # a blank page compresses to a few kB
