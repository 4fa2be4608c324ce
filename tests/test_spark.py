"""The Spark engine (crmclean.spark) gives what the in-memory engine gives, in local mode.

The suite runs these with pyspark installed (``pip install -e ".[test,spark]"``) and a Java
runtime; where either is missing the module is skipped with the reason.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import crmclean
from benchscripts import load
from crmclean.errors import ColumnError, ConfigError

pytest.importorskip("pyspark", reason="pyspark is not installed: pip install 'crmclean[spark]'")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark (install openjdk-17-jre-headless)",
                allow_module_level=True)  # fmt: skip

from pyspark.sql import DataFrame, SparkSession

import crmclean.spark as cs

DATA = Path(__file__).resolve().parent / "data"
gen = load("generate")

pytestmark = pytest.mark.filterwarnings("ignore::crmclean.MatchingWarning")


@pytest.fixture(scope="module")
def spark() -> Any:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("crmclean-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _frame(columns: dict[str, list[Any]], drop: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame({k: v for k, v in columns.items() if k not in drop})
    return frame.astype(object).where(frame.notna(), None)


def _csv(name: str, drop: tuple[str, ...] = ()) -> pd.DataFrame:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype=str, skipinitialspace=True, keep_default_na=False)
    frame = frame.drop(columns=list(drop)).replace({"": None})
    return frame.astype(object).where(frame.notna(), None)


def _clusters(result: Any, id_column: str) -> dict[Any, Any]:
    table = result.clusters
    if isinstance(table, DataFrame):
        return {r[id_column]: r["cluster_id"] for r in table.collect()}
    return dict(zip(table[id_column], table["cluster_id"], strict=True))


def _pairs(table: Any) -> list[tuple[Any, ...]]:
    frame = table.toPandas() if isinstance(table, DataFrame) else table
    rows = frame.astype(object).to_dict("records")
    return sorted(tuple((k, v if not isinstance(v, float) else round(v, 12)) for k, v in r.items())
                  for r in rows)  # fmt: skip


_STATS = ("records", "candidate_pairs", "rule_pairs", "rule_new", "capped_blocks",
          "matched_pairs", "clusters", "largest_cluster", "guard_split_clusters",
          "em_iterations", "em_converged", "unused_columns")  # fmt: skip


def _assert_same_run(spark_result: cs.SparkMatchResult, memory: Any, id_column: str) -> None:
    assert _clusters(spark_result, id_column) == _clusters(memory, id_column)
    assert spark_result.settings == memory.settings
    assert spark_result.settings.to_json() == memory.settings.to_json()
    for name in _STATS:
        assert getattr(spark_result.stats, name) == getattr(memory.stats, name), name
    assert _pairs(spark_result.pairs) == _pairs(memory.pairs)


# --- the same clusters as in memory ---------------------------------------------------------------


def test_febrl3_clusters_pairs_and_model_equal_the_in_memory_ones(spark: Any) -> None:
    table = _csv("febrl3.csv.gz")
    memory = crmclean.dedupe(table, id_column="rec_id", workers=1)
    result = cs.dedupe(spark.createDataFrame(table), id_column="rec_id")
    _assert_same_run(result, memory, "rec_id")
    assert set(result.stats.timings) == {"prepare", "block", "compare", "fit", "score", "cluster",
                                         "output"}  # fmt: skip


def test_splink_fake_20000_gives_the_in_memory_clusters_whatever_the_partitioning(
    spark: Any,
) -> None:
    table = _csv("splink_fake_20000.csv.gz", drop=("cluster",))
    memory = crmclean.dedupe(table, id_column="unique_id", workers=1)
    # rows shuffled over more partitions than cores: the records are numbered by id first
    sdf = spark.createDataFrame(table.sample(frac=1.0, random_state=3)).repartition(5)
    _assert_same_run(cs.dedupe(sdf, id_column="unique_id"), memory, "unique_id")


def test_20k_generated_contacts_give_the_in_memory_clusters(spark: Any) -> None:
    # sons named after their father (Jr.) and role mailboxes: the pairs kept apart and the
    # contact points shared by a team take the same path as in memory
    config = gen.NoiseConfig(generational_share=0.01, role_mailbox_share=0.02)
    table = _frame(gen.generate_contacts(20_000, seed=1, config=config), drop=("true_entity",))
    memory = crmclean.dedupe(table, id_column="record_id", workers=1)
    result = cs.dedupe(spark.createDataFrame(table), id_column="record_id")
    _assert_same_run(result, memory, "record_id")
    assert result.stats.guard_split_clusters == memory.stats.guard_split_clusters


@pytest.fixture(scope="module")
def contacts() -> pd.DataFrame:
    return _frame(gen.generate_contacts(1_500, seed=5), drop=("true_entity",))


def test_repartitioning_the_input_does_not_change_the_result(
    spark: Any, contacts: pd.DataFrame
) -> None:
    one = cs.dedupe(spark.createDataFrame(contacts).coalesce(1), id_column="record_id", seed=4)
    many = cs.dedupe(spark.createDataFrame(contacts.iloc[::-1]).repartition(7, "Email"),
                     id_column="record_id", seed=4)  # fmt: skip
    assert _clusters(one, "record_id") == _clusters(many, "record_id")
    assert _pairs(one.pairs) == _pairs(many.pairs)
    assert one.settings == many.settings


def test_settings_fitted_in_memory_score_the_same_on_spark(
    spark: Any, contacts: pd.DataFrame
) -> None:
    fitted = crmclean.dedupe(contacts, id_column="record_id", seed=2, workers=1)
    saved = fitted.settings.to_json()  # as an ETL job would load it
    result = cs.dedupe(spark.createDataFrame(contacts), id_column="record_id", settings=saved)
    assert result.stats.em_iterations == 0
    assert result.settings == fitted.settings
    assert _clusters(result, "record_id") == _clusters(fitted, "record_id")
    assert crmclean.MatchSettings.from_json(result.settings.to_json()) == fitted.settings


def test_link_gives_the_in_memory_clusters(spark: Any, contacts: pd.DataFrame) -> None:
    crm = contacts.iloc[:900].reset_index(drop=True)
    new = contacts.iloc[900:].reset_index(drop=True)
    memory = crmclean.link(crm, new, id_column="record_id", workers=1)
    result = cs.link(spark.createDataFrame(crm), spark.createDataFrame(new), id_column="record_id")
    rows = result.clusters.collect()
    got = {(r["record_id"], r["side"]): (r["cluster_id"], r["cluster_side"]) for r in rows}
    mem = memory.clusters
    columns = (mem["record_id"], mem["side"], mem["cluster_id"], mem["cluster_side"])
    want = {(i, s): (c, side) for i, s, c, side in zip(*columns, strict=True)}
    assert got == want
    assert result.settings == memory.settings
    assert _pairs(result.pairs) == _pairs(memory.pairs)
    for name in _STATS:
        assert getattr(result.stats, name) == getattr(memory.stats, name), name


# --- skew ---------------------------------------------------------------------------------------


def test_a_block_of_100k_identical_emails_is_windowed_not_joined(spark: Any) -> None:
    n = 100_000
    table = pd.DataFrame({"id": list(range(n)), "email": ["sam.lee@fastmail.com"] * n})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = cs.dedupe(spark.createDataFrame(table), id_column="id")
    stats = result.stats
    budget = result.settings.pair_budget(n)
    # the block of 100,000 would give 5e9 pairs all-with-all; windowed, it gives the budget
    assert stats.capped_blocks["email"] == (1, n)
    assert all(made <= budget for made in stats.rule_pairs.values())
    assert stats.candidate_pairs <= budget * len(stats.rule_pairs)
    assert any("larger than the cap" in str(w.message) for w in caught)
    memory = crmclean.dedupe(table, id_column="id", workers=1)
    assert stats.candidate_pairs == memory.stats.candidate_pairs
    assert stats.clusters == memory.stats.clusters
    assert stats.largest_cluster == memory.stats.largest_cluster


# --- standardize and merge --------------------------------------------------------------------


def test_standardize_gives_the_in_memory_values(spark: Any, contacts: pd.DataFrame) -> None:
    want = crmclean.standardize(contacts, region="US", workers=1)
    got = cs.standardize(spark.createDataFrame(contacts).repartition(3), region="US").toPandas()
    assert list(got.columns) == list(want.columns)
    got = got.set_index("record_id").loc[list(want["record_id"])].reset_index()
    added = [c for c in want.columns if c not in contacts.columns]
    assert "crmclean_issues" in added
    assert "Email_clean" in added
    for column in added:
        assert got[column].where(got[column].notna(), None).tolist() == \
            want[column].where(want[column].notna(), None).tolist(), column  # fmt: skip


def test_merge_gives_the_in_memory_golden_records_and_lineage(
    spark: Any, contacts: pd.DataFrame
) -> None:
    clusters = crmclean.dedupe(contacts, id_column="record_id", workers=1).clusters
    by_id = contacts.sort_values("record_id", kind="stable").reset_index(drop=True)
    want = crmclean.merge(by_id, clusters, id_column="record_id")
    got = cs.merge(spark.createDataFrame(contacts).repartition(3), spark.createDataFrame(clusters),
                   id_column="record_id")  # fmt: skip

    def cell(value: Any) -> Any:
        return list(value) if hasattr(value, "__len__") and not isinstance(value, str) else value

    def rows(frame: pd.DataFrame) -> list[str]:
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        return sorted(repr([(k, cell(v)) for k, v in r.items()]) for r in records)

    golden = got.golden.toPandas()
    assert list(golden.columns) == list(want.golden.columns)
    assert rows(golden) == rows(want.golden)
    lineage = want.lineage.drop(columns=["row"])
    # the lineage keeps each value as given; an empty cell the table holds as NaN (pandas may
    # hold None or NaN, depending on how the frame was built) is null in Spark's text column
    lineage["value"] = [None if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                        else str(v) for v in lineage["value"]]  # fmt: skip
    assert rows(got.lineage.toPandas()) == rows(lineage)


# --- misuse and the import ------------------------------------------------------------------------


def test_misuse_raises_typed_errors_naming_the_problem(spark: Any) -> None:
    sdf = spark.createDataFrame(pd.DataFrame({"id": [1, 1], "email": ["a@x.org", "b@y.org"]}))
    with pytest.raises(ColumnError, match="'key'"):
        cs.dedupe(sdf, id_column="key")
    with pytest.raises(TypeError, match="Spark DataFrame"):
        cs.dedupe([{"id": 1}], id_column="id")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="duplicate ids"):
        cs.dedupe(sdf, id_column="id")
    with pytest.raises(ConfigError, match="seed"):
        cs.dedupe(sdf, id_column="id", seed=-1)


def test_import_crmclean_does_not_import_spark() -> None:
    code = "import sys, crmclean; print('pyspark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
