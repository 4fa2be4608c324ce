"""The audit, merge and clean subcommands: the jobs a user runs from a terminal."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from crmclean.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "contacts.csv"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_clean_runs_the_whole_job_on_the_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["clean", str(EXAMPLE), "--out", str(out)]) == 0
    expected = {"contacts_clean.csv", "clusters.csv", "pairs.csv", "golden.csv", "lineage.csv",
                "merge_plan.csv", "conflicts.csv", "review.csv", "explanations.csv",
                "report.html", "report.json", "settings.json"}  # fmt: skip
    assert {p.name for p in out.iterdir()} == expected
    raw = _read(EXAMPLE)
    clusters = _read(out / "clusters.csv")
    assert sorted(r["Record ID"] for r in clusters) == sorted(r["Record ID"] for r in raw)
    cluster_of = {r["Record ID"]: r["cluster_id"] for r in clusters}
    # the same Jane Smith arrives three times; Robert "Bob" O'Neil twice; Ivan Petrov twice
    assert cluster_of["1001"] == cluster_of["1002"] == cluster_of["1003"] == "1001"
    assert cluster_of["1004"] == cluster_of["1005"]
    assert cluster_of["1006"] == cluster_of["1007"]
    golden = {r["cluster_id"]: r for r in _read(out / "golden.csv")}
    assert len(golden) == len(set(cluster_of.values()))
    jane = golden["1001"]
    assert jane["Email"] == "jane.smith@acme-corp.com"
    assert jane["Phone Number"] == "+14155552671"
    assert jane["Job Title"] == "Chief Executive Officer"
    # nothing lost: every address is kept (a certain typo of its domain corrected), and the
    # lineage holds each as written
    assert jane["Email_all"].split(";") == ["jane.smith@acme-corp.com", "janesmith@gmail.com"]
    lineage = {(r["source_id"], r["field"]): r["value"] for r in _read(out / "lineage.csv")}
    assert lineage["1003", "Email"] == "janesmith@gmial.com"
    assert lineage["1001", "Last Name"] == "SMITH"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["rows"] == len(raw)
    assert report["kpis"]["duplicate_rate"] > 0
    assert (out / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert len(_read(out / "contacts_clean.csv")) == len(raw)
    summary = capsys.readouterr().err
    assert "golden records" in summary
    assert not any(p.name.startswith(".crmclean-") for p in out.iterdir())


def test_clean_reuses_a_saved_model(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["clean", str(EXAMPLE), "--out", str(first), "--quiet"]) == 0
    assert main(["clean", str(EXAMPLE), "--out", str(second), "--quiet",
                 "--config", str(first / "settings.json")]) == 0  # fmt: skip
    assert _read(first / "clusters.csv") == _read(second / "clusters.csv")


def test_audit_writes_html_and_json(tmp_path: Path) -> None:
    html, data, records = tmp_path / "r.html", tmp_path / "r.json", tmp_path / "records.csv"
    assert main(["audit", str(EXAMPLE), "--out", str(html), "--json", str(data),
                 "--records", str(records), "--dedupe", "--quiet"]) == 0  # fmt: skip
    summary = json.loads(data.read_text(encoding="utf-8"))
    assert summary["schema"] == "crmclean.audit/1"
    assert summary["kpis"]["duplicate_rate"] > 0
    assert 'id="chart-completeness"' in html.read_text(encoding="utf-8")
    assert len(_read(records)) == 40


def test_audit_json_to_stdout_without_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(EXAMPLE), "--no-values", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert all(f["top_values"] == [] for f in summary["fields"])


def test_merge_subcommand(tmp_path: Path) -> None:
    clusters = tmp_path / "clusters.csv"
    clusters.write_text("Record ID,cluster_id\n" + "".join(
        f"{r['Record ID']},{'1001' if r['Record ID'] in ('1001', '1002') else r['Record ID']}\n"
        for r in _read(EXAMPLE)), encoding="utf-8")  # fmt: skip
    out = tmp_path / "merged"
    assert main(["merge", str(EXAMPLE), "--clusters", str(clusters), "--id-column", "Record ID",
                 "--out", str(out), "--source-priority", "Salesforce,HubSpot", "--quiet"]) == 0
    golden = _read(out / "golden.csv")
    assert len(golden) == 39
    plan = {r["cluster_id"]: r for r in _read(out / "merge_plan.csv")}
    assert plan["1001"]["merged_ids"] in ("1002", "1001")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clean", "missing.csv", "--out", "{tmp}/o"], "no such file"),
        (["clean", "{example}", "--out", "{tmp}/o", "--id-column", "Nope"], "'Nope'"),
        (["clean", "{example}", "--out", "{tmp}/o", "--config", "{tmp}/none.json"],
         "cannot read settings"),
        (["audit", "{example}", "--clusters", "{tmp}/none.csv"], "no such file"),
        (["merge", "{example}", "--clusters", "{example}", "--id-column", "Record ID",
          "--out", "{tmp}/m"], "cluster_id"),
    ],
)  # fmt: skip
def test_errors_are_one_line_and_leave_nothing_behind(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.replace("{example}", str(EXAMPLE)).replace("{tmp}", str(tmp_path)) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("crmclean: error:")
    assert message in err[0]
    for folder in ("o", "m"):
        target = tmp_path / folder
        assert not target.exists() or not any(target.iterdir())
