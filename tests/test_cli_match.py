"""The dedupe and link subcommands."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from crmclean.cli import main

DATA = Path(__file__).parent / "data" / "contacts_labelled.csv"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def contacts(tmp_path: Path) -> Path:
    rows = _read(DATA)
    path = tmp_path / "contacts.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fields = [f for f in rows[0] if f != "true_id"]
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_dedupe_writes_clusters_and_pairs(contacts: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    settings = tmp_path / "model.json"
    status = main(["dedupe", str(contacts), "--id-column", "record_id", "--out", str(out),
                   "--region", "GB", "--save-settings", str(settings)])  # fmt: skip
    assert status == 0
    clusters = _read(out / "clusters.csv")
    assert list(clusters[0]) == ["record_id", "cluster_id"]
    assert len(clusters) == 503
    pairs = _read(out / "pairs.csv")
    assert {"id_l", "id_r", "match_probability", "match_weight", "gamma_email"} <= set(pairs[0])
    assert json.loads(settings.read_text(encoding="utf-8"))["prior"] is not None
    err = capsys.readouterr().err
    assert "503 records" in err
    assert "clusters.csv" in err
    assert "@" not in err  # no field values in the summary

    again = tmp_path / "again"
    status = main(["dedupe", str(contacts), "--id-column", "record_id", "--out", str(again),
                   "--region", "GB", "--settings", str(settings), "--quiet"])  # fmt: skip
    assert status == 0
    assert _read(again / "clusters.csv") == clusters


def test_threshold_option(contacts: Path, tmp_path: Path) -> None:
    loose, strict = tmp_path / "loose", tmp_path / "strict"
    base = ["dedupe", str(contacts), "--id-column", "record_id", "--region", "GB", "--quiet"]
    assert main([*base, "--out", str(loose), "--threshold", "0.5"]) == 0
    assert main([*base, "--out", str(strict), "--threshold", "0.999999"]) == 0
    assert len(_read(strict / "pairs.csv")) < len(_read(loose / "pairs.csv"))


def test_link_two_files(contacts: Path, tmp_path: Path) -> None:
    rows = _read(contacts)
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    for path, part in ((left, rows[:250]), (right, rows[250:])):
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(part)
    out = tmp_path / "linked"
    status = main(["link", str(left), str(right), "--id-column", "record_id", "--out", str(out),
                   "--region", "GB", "--quiet"])  # fmt: skip
    assert status == 0
    clusters = _read(out / "clusters.csv")
    assert list(clusters[0]) == ["record_id", "side", "cluster_side", "cluster_id"]
    pairs = _read(out / "pairs.csv")
    left_ids = {r["record_id"] for r in rows[:250]}
    assert pairs
    assert all(p["id_l"] in left_ids and p["id_r"] not in left_ids for p in pairs)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--id-column", "nope"], "id column 'nope'"),
        (["--id-column", "record_id", "--map", "emial=Email"], "unknown column role"),
        (["--id-column", "record_id", "--threshold", "2"], "threshold"),
        (["--id-column", "record_id", "--settings", "missing.json"], "settings file"),
    ],
)
def test_errors_exit_2_with_one_line(
    contacts: Path, tmp_path: Path, capsys, extra: list[str], message: str
) -> None:
    out = tmp_path / "out"
    assert main(["dedupe", str(contacts), "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crmclean: error:")
    assert message in err
    assert not (out / "clusters.csv").exists()


def test_duplicate_ids_are_an_error(tmp_path: Path, capsys) -> None:
    path = tmp_path / "dups.csv"
    path.write_text("id,email\n1,a@acme.org\n1,b@acme.org\n", encoding="utf-8")
    assert main(["dedupe", str(path), "--id-column", "id", "--out", str(tmp_path / "o")]) == 2
    assert "duplicate ids" in capsys.readouterr().err
