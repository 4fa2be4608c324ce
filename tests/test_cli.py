"""The crmclean command, run as a user runs it."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

import crmclean
from crmclean.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "contacts.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_standardize_the_bundled_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "clean.csv"
    assert main(["standardize", str(EXAMPLE), "--out", str(out)]) == 0
    raw, clean = _rows(EXAMPLE), _rows(out)
    assert len(clean) == len(raw)
    # originals are kept, untouched, in order
    for before, after in zip(raw, clean, strict=True):
        for column, value in before.items():
            assert after[column] == value
    first = clean[0]
    assert first["Email_clean"] == "jane.smith@acme-corp.com"
    assert first["Phone Number_e164"] == "+14155552671"
    assert "crmclean_issues" in first
    junk = next(row for row in clean if row["Record ID"] == "1021")
    assert "phone:fake_phone" in junk["crmclean_issues"]
    summary = capsys.readouterr().err
    assert f"{len(raw)} rows" in summary
    assert "email (Email)" in summary


def test_phone_numbers_are_read_in_the_row_country(tmp_path: Path) -> None:
    out = tmp_path / "clean.csv"
    assert main(["standardize", str(EXAMPLE), "--out", str(out), "--quiet"]) == 0
    by_id = {row["Record ID"]: row for row in _rows(out)}
    assert by_id["1018"]["Phone Number_e164"] == "+442079460958"  # "020 7946 0958", UK
    assert by_id["1013"]["Phone Number_e164"] == "+49301234567"  # "030/1234567", Deutschland
    assert by_id["1006"]["Phone Number_e164"] == "+74951234567"  # "8 (495) ...", Россия


def test_stdout_output_and_map_option(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("Kontakt E-Mail,Tel\nAnn@Example.ORG,=1+1\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "crmclean", "standardize", str(path),
         "--map", "email=Kontakt E-Mail", "--map", "phone=Tel", "--region", "US"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Kontakt E-Mail,Tel,Kontakt E-Mail_clean")
    assert "ann@example.org" in lines[1]
    assert "'=1+1" in lines[1]  # formula injection neutralized


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["standardize", "missing.csv"], "no such file"),
        (["standardize", "{example}", "--map", "email=Nope"], "column 'Nope'"),
        (["standardize", "{example}", "--map", "emial=Email"], "unknown column role"),
        (["standardize", "{example}", "--map", "email"], "ROLE=COLUMN"),
        (["standardize", "{example}", "--region", "XX"], "unknown region"),
        (["standardize", "{example}", "--only", "emails"], "unknown column role"),
    ],
)
def test_user_errors_are_one_line_with_exit_status_2(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.csv"
    argv = [a.replace("{example}", str(EXAMPLE)) for a in args] + ["--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("crmclean: error:")
    assert message in err[0]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_summary_reports_counts_never_field_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.csv"
    path.write_text("Email,Phone\nsecret.person@gmial.com,+1 999 0000\n", encoding="utf-8")
    assert main(["standardize", str(path), "--out", str(tmp_path / "o.csv")]) == 0
    err = capsys.readouterr().err
    assert "email (Email)" in err
    assert "secret" not in err
    assert "999" not in err


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"crmclean {crmclean.__version__} (")
    build = "compiled normalizers" if crmclean.normalize.COMPILED else "pure Python"
    assert f"({build})" in out
