"""Normalization over worker processes: the same output whatever ``workers`` is."""

from __future__ import annotations

import csv
import os
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest

import crmclean
from benchscripts import load
from crmclean import _workers
from crmclean.cli import main
from crmclean.normalize import normalize_email, normalize_many, normalize_text
from crmclean.standardize import standardize_results

gen = load("generate")

PARENT = os.getpid()


@pytest.fixture(scope="module")
def table() -> dict[str, list[Any]]:
    """Generated contacts from nine countries: every field, duplicates, dirty values."""
    columns: dict[str, list[Any]] = gen.generate_contacts(1500, seed=7)
    columns.pop("true_entity")
    return columns


class _CountingPool(_workers.ProcessPoolExecutor):
    submitted = 0

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        _CountingPool.submitted += 1
        return super().submit(*args, **kwargs)


@pytest.fixture
def small_columns_use_the_pool(monkeypatch: pytest.MonkeyPatch) -> type[_CountingPool]:
    """Thresholds low enough that the test table's columns go to the pool, and a pool that
    counts the chunks it was given."""
    monkeypatch.setattr(_workers, "MIN_DISTINCT", 20)
    monkeypatch.setattr(_workers, "PROBE", 4)
    monkeypatch.setattr(_workers, "MIN_SECONDS", 0.0)
    monkeypatch.setattr(_workers, "MIN_RATIO", 0.0)
    monkeypatch.setattr(_workers, "MIN_CHUNK", 8)
    monkeypatch.setattr(_workers, "ProcessPoolExecutor", _CountingPool)
    _CountingPool.submitted = 0
    return _CountingPool


def test_standardize_is_the_same_with_two_workers(
    table: dict[str, list[Any]], small_columns_use_the_pool: type[_CountingPool]
) -> None:
    one = standardize_results(table, workers=1)
    assert small_columns_use_the_pool.submitted == 0
    two = standardize_results(table, workers=2)
    assert small_columns_use_the_pool.submitted > 0
    assert one[0] == two[0]  # every output column, issues included
    assert one[1] == two[1]  # the summary
    assert one[2].keys() == two[2].keys()
    for role, results in one[2].items():
        assert results == two[2][role], role


def test_dedupe_clusters_and_weights_are_the_same_with_two_workers(
    table: dict[str, list[Any]], small_columns_use_the_pool: type[_CountingPool]
) -> None:
    one = crmclean.dedupe(table, "record_id", workers=1)
    two = crmclean.dedupe(table, "record_id", workers=2)
    assert small_columns_use_the_pool.submitted > 0
    assert one.clusters == two.clusters
    assert one.pairs == two.pairs  # probabilities, weights and levels
    assert one.settings.to_json() == two.settings.to_json()


def test_link_and_audit_are_the_same_with_two_workers(
    table: dict[str, list[Any]], small_columns_use_the_pool: type[_CountingPool]
) -> None:
    left = {k: v[:900] for k, v in table.items()}
    right = {k: v[900:] for k, v in table.items()}
    one = crmclean.link(left, right, "record_id", workers=1)
    two = crmclean.link(left, right, "record_id", workers=2)
    assert one.clusters == two.clusters
    assert one.pairs == two.pairs
    report_one = crmclean.audit(table, workers=1)
    report_two = crmclean.audit(table, workers=2)
    report_two = attrs.evolve(report_two, generated_at=report_one.generated_at)
    assert report_one.to_json() == report_two.to_json()
    assert report_one.records == report_two.records  # per-record issues and scores
    assert small_columns_use_the_pool.submitted > 0


def test_repeated_values_share_one_result_and_unhashable_cells_are_parsed(
    small_columns_use_the_pool: type[_CountingPool],
) -> None:
    column: list[Any] = [f"  user{i % 40}@Example.org " for i in range(200)] + [["x"], None]
    with _workers.using(2):
        results = normalize_many(normalize_email, column)
    assert small_columns_use_the_pool.submitted > 0
    assert results == normalize_many(normalize_email, column)
    assert results[0] is results[40]
    assert results[200].valid is False


def test_a_normalizer_that_cannot_travel_runs_here(
    small_columns_use_the_pool: type[_CountingPool],
) -> None:
    column = [f" {i} " for i in range(100)]
    with _workers.using(2):
        results = normalize_many(lambda v: normalize_text(v).text, column)
    assert results == [str(i) for i in range(100)]
    assert small_columns_use_the_pool.submitted == 0


def _dies_in_a_worker(value: object) -> str:
    if os.getpid() != PARENT:
        os._exit(1)  # a crashed worker process (killed, out of memory)
    return str(value).strip()


def test_a_crashed_worker_leaves_the_work_to_this_process_with_a_warning(
    small_columns_use_the_pool: type[_CountingPool],
) -> None:
    column = [f" value {i} " for i in range(300)]
    with warnings.catch_warnings(record=True) as caught, _workers.using(2):
        warnings.simplefilter("always")
        results = normalize_many(_dies_in_a_worker, column)
        again = normalize_many(_dies_in_a_worker, column)  # no pool any more
    assert results == again == [f"value {i}" for i in range(300)]
    assert [w.category for w in caught] == [_workers.WorkerWarning]
    assert "worker process stopped" in str(caught[0].message)
    assert "value" not in str(caught[0].message)  # no data in the warning


def test_no_process_support_falls_back_to_one_process_with_a_warning(
    table: dict[str, list[Any]],
    small_columns_use_the_pool: type[_CountingPool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_processes(method: str) -> Any:
        raise OSError("no semaphores here")

    monkeypatch.setattr(_workers.multiprocessing, "get_context", no_processes)
    with pytest.warns(_workers.WorkerWarning, match="cannot be started"):
        two = standardize_results(table, workers=2)
    assert two[0] == standardize_results(table, workers=1)[0]


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_workers_must_be_a_positive_int(table: dict[str, list[Any]], bad: object) -> None:
    calls = [
        lambda: crmclean.standardize(table, workers=bad),
        lambda: crmclean.dedupe(table, "record_id", workers=bad),
        lambda: crmclean.link(table, table, "record_id", workers=bad),
        lambda: crmclean.audit(table, workers=bad),
        lambda: crmclean.MatchIndex.build(table, "record_id", settings={}, workers=bad),
    ]
    for call in calls:
        with pytest.raises(crmclean.ConfigError, match=r"^workers must be"):
            call()


def test_one_worker_starts_no_process(
    table: dict[str, list[Any]], small_columns_use_the_pool: type[_CountingPool]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        crmclean.standardize(table, workers=1)
    assert small_columns_use_the_pool.submitted == 0


def _write(path: Path, columns: dict[str, list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(columns))
        writer.writerows(zip(*columns.values(), strict=True))


def test_cli_workers_flag_gives_the_same_output(
    tmp_path: Path,
    table: dict[str, list[Any]],
    small_columns_use_the_pool: type[_CountingPool],
) -> None:
    source = tmp_path / "contacts.csv"
    _write(source, table)
    for n in (1, 2):
        assert main(["standardize", str(source), "--workers", str(n), "--quiet",
                     "-o", str(tmp_path / f"clean{n}.csv")]) == 0  # fmt: skip
        assert main(["dedupe", str(source), "--workers", str(n), "--quiet",
                     "--out", str(tmp_path / f"dedupe{n}")]) == 0  # fmt: skip
    assert small_columns_use_the_pool.submitted > 0
    assert (tmp_path / "clean1.csv").read_bytes() == (tmp_path / "clean2.csv").read_bytes()
    for name in ("clusters.csv", "pairs.csv"):
        assert (tmp_path / "dedupe1" / name).read_bytes() == (
            tmp_path / "dedupe2" / name
        ).read_bytes()


def test_cli_rejects_a_bad_workers_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text("Email\na@b.org\n", encoding="utf-8")
    assert main(["standardize", str(source), "--workers", "0"]) == 2
    assert "--workers must be a whole number of processes" in capsys.readouterr().err


def test_spawned_workers_give_the_same_output(
    table: dict[str, list[Any]],
    small_columns_use_the_pool: type[_CountingPool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The start method of macOS and Windows: workers import crmclean afresh."""
    monkeypatch.setattr(_workers, "_start_method", lambda: "spawn")
    rows = {k: v[:300] for k, v in table.items()}
    two = standardize_results(rows, workers=2)
    assert small_columns_use_the_pool.submitted > 0
    assert two[0] == standardize_results(rows, workers=1)[0]
