"""The command line on real CRM exports: encodings, shapes, roles, ids, one-line errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crmclean.cli import main

DATA = Path(__file__).parent / "data"
SRC = Path(__file__).parent.parent / "src"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _one_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("crmclean: error:")
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("name", "encoding", "id_column", "person"),
    [
        ("bitrix24_contacts_cp1251.csv", "cp1251", "ID", "Смирнов"),
        ("chinese_crm_gb18030.csv", "gb18030", "客户编号", "张伟"),
        ("turkish_crm_cp1254.csv", "cp1254", "Müşteri No", "Yılmaz"),
    ],
)
def test_clean_runs_on_exports_in_their_own_language(
    name: str, encoding: str, id_column: str, person: str, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    assert main(["clean", str(DATA / name), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{encoding} (detected)" in err
    assert f"(ids: {id_column})" in err
    assert "golden records: 3 (from 4 records)" in err
    golden = _read(out / "golden.csv")
    assert len(golden) == 3
    assert any(person in json.dumps(row, ensure_ascii=False) for row in golden)
    clusters = _read(out / "clusters.csv")
    assert list(clusters[0]) == [id_column, "cluster_id"]


def test_roles_prints_what_was_detected(capsys) -> None:
    assert main(["roles", str(DATA / "turkish_crm_cp1254.csv")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith('cp1254 (detected), delimiter ";", 4 rows')
    table = dict(line.split(maxsplit=1) for line in out[1:] if not line.endswith(":"))
    assert table["id"] == "Müşteri No"
    assert table["company"] == "Şirket"
    assert table["email"] == "E-posta"


def test_roles_lists_register_columns_and_the_rest(tmp_path: Path, capsys) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Фамилия,Имя,Пол,Место рождения,Заметка\nИванов,Иван,м,Тула,x\n",
                    encoding="utf-8")  # fmt: skip
    assert main(["roles", str(path)]) == 0
    out = capsys.readouterr().out
    assert "no role: Заметка" in out
    lines = {line.split(maxsplit=1)[0]: line.split(maxsplit=1)[1] for line in out.splitlines()
             if len(line.split(maxsplit=1)) == 2}  # fmt: skip
    assert lines["gender"] == "Пол"
    assert lines["birthplace"] == "Место рождения"
    assert "(row numbers)" in out


def test_dedupe_uses_the_detected_id_column_and_merge_reads_it(tmp_path: Path) -> None:
    out = tmp_path / "d"
    source = DATA / "bitrix24_contacts_cp1251.csv"
    assert main(["dedupe", str(source), "--out", str(out), "--quiet"]) == 0
    clusters = _read(out / "clusters.csv")
    assert [row["ID"] for row in clusters] == ["101", "102", "103", "104"]
    merged = tmp_path / "m"
    assert main(["merge", str(source), "--clusters", str(out / "clusters.csv"),
                 "--out", str(merged), "--quiet"]) == 0  # fmt: skip
    assert len(_read(merged / "golden.csv")) == 3


def test_row_numbers_from_dedupe_are_usable_by_merge(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("Email,Name\na@x.com,Ann Lee\na@x.com,Ann Lee\nb@y.com,Bob Roe\n",
                    encoding="utf-8")  # fmt: skip
    out = tmp_path / "d"
    assert main(["dedupe", str(path), "--out", str(out), "--quiet"]) == 0
    assert list(_read(out / "clusters.csv")[0]) == ["row_id", "cluster_id"]
    assert main(["merge", str(path), "--clusters", str(out / "clusters.csv"),
                 "--id-column", "none", "--out", str(tmp_path / "m"), "--quiet"]) == 0  # fmt: skip


def test_duplicate_and_empty_ids_are_counted_with_rows_and_none_gets_past(
    tmp_path: Path, capsys
) -> None:
    path = tmp_path / "ids.csv"
    path.write_text(
        "Record ID,Email\n1,a@x.com\n2,b@x.com\n1,c@x.com\n,d@x.com\n2,e@x.com\n",
        encoding="utf-8",
    )
    for command in (["dedupe"], ["clean"]):
        assert main([*command, str(path), "--out", str(tmp_path / "o")]) == 2
        line = _one_error(capsys.readouterr().err)
        assert "2 duplicate ids (records 3, 5)" in line
        assert "1 empty ids (records 4)" in line
        assert "--id-column none" in line
        assert "@" not in line
    assert main(["dedupe", str(path), "--out", str(tmp_path / "o"), "--id-column", "none",
                 "--quiet"]) == 0  # fmt: skip
    assert list(_read(tmp_path / "o" / "clusters.csv")[0]) == ["row_id", "cluster_id"]


def test_unwritable_outputs_fail_in_one_line_before_any_work(tmp_path: Path, capsys) -> None:
    source = str(DATA / "turkish_crm_cp1254.csv")
    missing = tmp_path / "no" / "such" / "dir"
    cases = [
        ["standardize", source, "-o", str(missing / "x.csv")],
        ["dedupe", source, "--out", str(tmp_path / "d"), "--save-settings",
         str(missing / "s.json")],
        ["clean", source, "--out", str(tmp_path / "c"), "--save-settings", str(tmp_path)],
        ["audit", source, "--out", str(missing / "r.html")],
    ]  # fmt: skip
    for argv in cases:
        assert main(argv) == 2, argv
        line = _one_error(capsys.readouterr().err)
        assert "cannot write" in line
    assert not (tmp_path / "d" / "clusters.csv").exists()
    assert not (tmp_path / "c" / "golden.csv").exists()


def test_settings_are_committed_with_the_other_outputs(tmp_path: Path) -> None:
    out, settings = tmp_path / "c", tmp_path / "model.json"
    assert main(["clean", str(DATA / "chinese_crm_gb18030.csv"), "--out", str(out),
                 "--save-settings", str(settings), "--quiet"]) == 0  # fmt: skip
    assert settings.read_text(encoding="utf-8") == (out / "settings.json").read_text(
        encoding="utf-8"
    )
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


def _run(*args: str, stdin: bytes | None = None, shell: str | None = None):
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    if shell is not None:
        return subprocess.run(["bash", "-c", f"set -o pipefail; {shell}"], env=env,
                              capture_output=True, input=stdin, check=False)  # fmt: skip
    return subprocess.run([sys.executable, "-m", "crmclean", *args], env=env,
                          capture_output=True, input=stdin, check=False)  # fmt: skip


def test_a_closed_pipe_is_one_line_and_exit_2(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    rows = "".join(f"{i},Jane{i},Smith,jane{i}@acme.com\n" for i in range(20000))
    big.write_text("Record ID,First Name,Last Name,Email\n" + rows, encoding="utf-8")
    result = _run(shell=f"{sys.executable} -m crmclean standardize {big} --quiet | head -1")
    assert result.stdout.decode().strip() == "Record ID,First Name,Last Name,Email," + \
        "First Name_clean,Last Name_clean,Email_clean,Email_suggestion,crmclean_issues"
    assert result.returncode == 2
    _one_error(result.stderr.decode())


def test_stdin_and_stdout_as_dash() -> None:
    data = (DATA / "chinese_crm_gb18030.csv").read_bytes()
    result = _run("standardize", "-", "-o", "-", stdin=data)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0].startswith("客户编号,姓名,手机")
    assert "read standard input: gb18030 (detected)" in result.stderr.decode()


def test_an_unclear_encoding_is_one_line_naming_the_option(tmp_path: Path, capsys) -> None:
    path = tmp_path / "tiny.csv"
    path.write_bytes("Name\nИван\n".encode("cp1251"))
    assert main(["standardize", str(path)]) == 2
    assert "--encoding" in _one_error(capsys.readouterr().err)
    assert main(["standardize", str(path), "--encoding", "cp1251", "--quiet"]) == 0
    assert "Иван" in capsys.readouterr().out


def test_warnings_go_through_one_channel_that_quiet_silences(tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.csv"
    assert main(["standardize", str(DATA / "ragged_rows.csv"), "-o", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    warned = [line for line in err if line.startswith("crmclean: warning:")]
    assert len(warned) == 1
    assert "_extra_1" in warned[0]
    assert not any("warnings.warn" in line or ".py:" in line for line in err)
    assert main(["standardize", str(DATA / "ragged_rows.csv"), "-o", str(out), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert _read(out)[0]["_extra_2"] == "EXTRA2"


def test_max_field_size_option(tmp_path: Path, capsys) -> None:
    path = tmp_path / "big_cell.csv"
    path.write_text("Email,Note\na@x.com," + "x" * 200_000 + "\n", encoding="utf-8")
    assert main(["standardize", str(path), "--quiet"]) == 2
    assert "--max-field-size" in _one_error(capsys.readouterr().err)
    assert main(["standardize", str(path), "--quiet", "--max-field-size", "300000"]) == 0


def test_header_cells_are_neutralized_in_every_output(tmp_path: Path) -> None:
    out = tmp_path / "c"
    assert main(["clean", str(DATA / "header_injection.csv"), "--out", str(out), "--quiet"]) == 0
    for name in ("contacts_clean.csv", "golden.csv"):
        header = (out / name).read_text(encoding="utf-8").splitlines()[0]
        assert ",=" not in header
        assert ",+" not in header
        assert "'+SUM(1+1)" in header
    body = (out / "contacts_clean.csv").read_text(encoding="utf-8")
    assert "'-1-1" in body
    assert "'+1-1" in body


def test_usage_errors_are_one_line_with_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["dedupe"])
    assert info.value.code == 2
    line = _one_error(capsys.readouterr().err)
    assert "--help" in line
    with pytest.raises(SystemExit):
        main(["no-such-command"])
    _one_error(capsys.readouterr().err)


def test_an_internal_fault_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import crmclean.cli as cli

    def broken(args: object) -> int:
        raise ZeroDivisionError("cell value 42")

    monkeypatch.setitem(cli._COMMANDS, "roles", broken)
    monkeypatch.delenv("CRMCLEAN_TRACEBACK", raising=False)
    assert main(["roles", str(DATA / "ragged_rows.csv")]) == 2
    line = _one_error(capsys.readouterr().err)
    assert "ZeroDivisionError" in line
    assert "42" not in line


def test_a_warning_during_a_step_gets_a_line_of_its_own(capsys) -> None:
    import crmclean.cli as cli

    progress = cli._Progress(2, quiet=False)
    progress.show = True
    with progress.step("finding duplicates"):
        cli._show_warning(UserWarning("key column(s) x hold no value"))
    with progress.step("writing"):
        pass
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "[1/2] finding duplicates ..."
    assert lines[1] == "crmclean: warning: key column(s) x hold no value"
    assert lines[2].startswith("[1/2] finding duplicates: ")
    assert lines[3].startswith("[2/2] writing ... ")
