"""Progress of the long stages: shown on stderr on request, silent by default, never changing a
result; the command line shows it on a terminal only, and --show-roles prints the roles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import crmclean
from crmclean._progress import Progress, TqdmProgress, progress_of
from crmclean.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "contacts.csv"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)


class Recorder(Progress):
    """A reporter of its own, as another engine would pass: keeps every report."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any, Any]] = []

    def start(self, name: str, total: int | None = None, unit: str = "") -> None:
        self.events.append(("start", name, total))

    def advance(self, n: int = 1) -> None:
        self.events.append(("advance", n, None))

    def describe(self, text: str) -> None:
        self.events.append(("describe", text, None))

    def finish(self) -> None:
        self.events.append(("finish", None, None))


def _quiet_then_loud(capsys: pytest.CaptureFixture[str], run: Any) -> tuple[Any, Any, str]:
    """Run once silently (checking nothing is printed) and once with progress=True."""
    capsys.readouterr()
    silent = run(False)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""
    shown = run(True)
    captured = capsys.readouterr()
    assert captured.out == ""
    return silent, shown, captured.err


def test_standardize_with_progress_gives_the_same_table(
    table: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    silent, shown, err = _quiet_then_loud(
        capsys, lambda p: crmclean.standardize(table, region="US", progress=p)
    )
    pd.testing.assert_frame_equal(silent, shown)
    assert "standardize: 100%" in err
    assert "fields" in err


def test_audit_with_progress_gives_the_same_report(
    table: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    silent, shown, err = _quiet_then_loud(
        capsys, lambda p: crmclean.audit(table, region="US", progress=p)
    )
    pd.testing.assert_frame_equal(silent.records, shown.records)
    assert silent.kpis == shown.kpis
    assert silent.issue_counts == shown.issue_counts
    assert "standardize: 100%" in err
    assert "audit" in err


def test_dedupe_with_progress_gives_the_same_pairs_and_clusters(
    table: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    silent, shown, err = _quiet_then_loud(
        capsys, lambda p: crmclean.dedupe(table, "Record ID", region="US", progress=p)
    )
    pd.testing.assert_frame_equal(silent.clusters, shown.clusters)
    pd.testing.assert_frame_equal(silent.pairs, shown.pairs)
    assert silent.settings == shown.settings
    for stage in ("prepare: 100%", "block", "compare", "fit", "score", "cluster"):
        assert stage in err


def test_link_with_progress_gives_the_same_pairs_and_clusters(
    table: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    left, right = table.iloc[:25], table.iloc[25:]
    silent, shown, err = _quiet_then_loud(
        capsys, lambda p: crmclean.link(left, right, "Record ID", region="US", progress=p)
    )
    pd.testing.assert_frame_equal(silent.clusters, shown.clusters)
    pd.testing.assert_frame_equal(silent.pairs, shown.pairs)
    assert "prepare: 100%" in err
    assert "cluster" in err


def test_merge_with_progress_gives_the_same_golden_records(
    table: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    clusters = crmclean.dedupe(table, "Record ID", region="US").clusters
    silent, shown, err = _quiet_then_loud(
        capsys, lambda p: crmclean.merge(table, clusters, id_column="Record ID", progress=p)
    )
    for name in ("golden", "lineage", "plan", "conflicts", "review"):
        pd.testing.assert_frame_equal(getattr(silent, name), getattr(shown, name))
    assert silent.counts == shown.counts
    assert "merge: 100%" in err
    assert "11/11 phases" in err


def test_a_reporter_of_its_own_gets_stages_and_counts_never_a_call_per_pair(
    table: pd.DataFrame,
) -> None:
    recorder = Recorder()
    result = crmclean.dedupe(table, "Record ID", region="US", progress=recorder)
    started = [name for kind, name, _ in recorder.events if kind == "start"]
    assert started[0] == "prepare"
    assert started[1] == "encode"
    assert [s.split()[0] for s in started[2:]] == [
        "block",
        "compare",
        "fit",
        "score",
        "cluster",
        "output",
    ]
    prepared = next(total for kind, name, total in recorder.events if name == "prepare")
    assert prepared is not None
    assert prepared > 0
    described = [text for kind, text, _ in recorder.events if kind == "describe"]
    assert len(described) == prepared
    assert {"email", "phone"} <= set(described)
    assert sum(1 for kind, *_ in recorder.events if kind == "start") == sum(
        1 for kind, *_ in recorder.events if kind == "finish"
    )
    # a handful of reports, however many candidate pairs there are
    assert len(recorder.events) < 50 < result.stats.candidate_pairs


def test_progress_option_is_checked() -> None:
    with pytest.raises(TypeError, match="progress"):
        crmclean.standardize([{"Email": "a@b.org"}], progress="yes")  # type: ignore[arg-type]
    assert type(progress_of(None)) is Progress
    assert isinstance(progress_of(True), TqdmProgress)


def test_a_step_is_finished_when_its_work_fails() -> None:
    recorder = Recorder()
    with pytest.raises(ValueError, match="bad pair"), recorder.step("compare"):
        raise ValueError("bad pair")
    assert recorder.events[-1][0] == "finish"


def test_cli_shows_no_progress_when_stderr_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clean", str(EXAMPLE), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "[3/6]" not in err
    assert "%|" not in err
    assert "\r" not in err
    assert "golden records:" in err  # the summary is still there
    assert main(["clean", str(EXAMPLE), "--out", str(tmp_path / "q"), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_cli_shows_counts_of_long_steps_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["clean", str(EXAMPLE), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "[3/6] finding duplicates: prepare:" in err
    assert "fields" in err
    assert "[2/6] standardizing: standardize:" in err
    assert "[4/6] merging golden records: merge:" in err
    assert "phases" in err
    assert "[3/6] finding duplicates: " in err.split("\n")[2]  # the step's own line, timed
    with_terminal = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    monkeypatch.undo()
    assert main(["clean", str(EXAMPLE), "--out", str(tmp_path / "plain")]) == 0
    capsys.readouterr()
    plain = {p.name: p.read_bytes() for p in (tmp_path / "plain").iterdir()}
    assert with_terminal.keys() == plain.keys()
    for name in ("clusters.csv", "pairs.csv", "golden.csv", "contacts_clean.csv"):
        assert with_terminal[name] == plain[name]


def test_cli_quiet_shows_no_progress_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["dedupe", str(EXAMPLE), "--out", str(tmp_path), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def _roles_output(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["roles", str(EXAMPLE)]) == 0
    return capsys.readouterr().out


def test_show_roles_prints_what_roles_prints_then_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _roles_output(capsys)
    assert "email" in expected
    assert "Record ID" in expected
    for command in (["clean"], ["dedupe"], ["audit", "--dedupe", "--json"]):
        out = tmp_path / command[0]
        tail = [str(out / "r.json")] if command[0] == "audit" else ["--out", str(out)]
        if command[0] == "audit":
            out.mkdir()
        assert main([*command, *tail, str(EXAMPLE), "--show-roles"]) == 0
        err = capsys.readouterr().err
        assert err.startswith(expected), command
    assert (tmp_path / "clean" / "golden.csv").exists()
    assert (tmp_path / "dedupe" / "clusters.csv").exists()


def test_show_roles_keeps_standard_output_for_the_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = _roles_output(capsys)
    assert main(["standardize", str(EXAMPLE), "--show-roles"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Record ID,")
    assert captured.err.startswith(expected)


def test_show_roles_for_merge_and_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = _roles_output(capsys)
    assert main(["dedupe", str(EXAMPLE), "--out", str(tmp_path / "d"), "--quiet"]) == 0
    clusters = tmp_path / "d" / "clusters.csv"
    assert main(["merge", str(EXAMPLE), "--clusters", str(clusters), "--out",
                 str(tmp_path / "m"), "--show-roles"]) == 0  # fmt: skip
    assert capsys.readouterr().err.startswith(expected)
    assert main(["link", str(EXAMPLE), str(EXAMPLE), "--out", str(tmp_path / "l"),
                 "--show-roles", "--quiet"]) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert err == expected + expected  # both tables, even with --quiet


def test_roles_itself_has_no_show_roles_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["roles", str(EXAMPLE), "--show-roles"])
    assert "unrecognized arguments" in capsys.readouterr().err
