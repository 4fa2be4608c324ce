"""dedupe / link / match_prepared end to end: accuracy on labelled data, determinism, settings,
bad input."""

from __future__ import annotations

import csv
import itertools
import json
import random
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import attrs
import pytest

from crmclean.block import BlockingRule, MatchingWarning
from crmclean.compare import Comparison
from crmclean.errors import ColumnError, ConfigError
from crmclean.pipeline import (
    MatchResult,
    MatchSettings,
    PairExplanation,
    default_settings,
    match_prepared,
)
from crmclean.pipeline import dedupe as _dedupe
from crmclean.pipeline import link as _link
from tables import rows


def _as_rows(result: MatchResult, table: object) -> MatchResult:
    """Read the result tables back as lists of dicts when the input was a list (the library
    returns pandas DataFrames for lists)."""
    if isinstance(table, list):
        result.clusters = rows(result.clusters)
        result.pairs = rows(result.pairs)
    return result


def dedupe(table: Any, *args: Any, **kwargs: Any) -> MatchResult:
    result = _as_rows(_dedupe(table, *args, **kwargs), table)
    if isinstance(table, list):
        merged = result.merged if result._source is not None else None
        if merged is not None:
            result._merged = attrs.evolve(merged, golden=rows(merged.golden),
                                          lineage=rows(merged.lineage))  # fmt: skip
    return result


def link(left: Any, right: Any, *args: Any, **kwargs: Any) -> MatchResult:
    return _as_rows(_link(left, right, *args, **kwargs), left)

DATA = Path(__file__).parent / "data" / "contacts_labelled.csv"


def _load() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _pairs_of(ids: list[object], groups: list[object]) -> set[tuple[object, object]]:
    members: dict[object, list[object]] = defaultdict(list)
    for record_id, group in zip(ids, groups, strict=True):
        members[group].append(record_id)
    out = set()
    for group_ids in members.values():
        out.update(itertools.combinations(sorted(group_ids), 2))  # type: ignore[type-var]
    return out


def _f1(predicted: set[tuple[object, object]], true: set[tuple[object, object]]) -> float:
    tp = len(predicted & true)
    if not tp:
        return 0.0
    precision, recall = tp / len(predicted), tp / len(true)
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def labelled() -> tuple[list[dict[str, str]], set[tuple[object, object]]]:
    rows = _load()
    truth = _pairs_of([r["record_id"] for r in rows], [r["true_id"] for r in rows])
    for r in rows:
        del r["true_id"]
    return rows, truth


@pytest.fixture(scope="module")
def result(labelled):
    rows, _ = labelled
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        return dedupe(rows, id_column="record_id", region="GB")


def test_fixture_is_reproducible() -> None:
    from make_contacts import make_rows

    rows = make_rows()
    assert rows == _load()


def test_dedupe_finds_the_duplicates(labelled, result) -> None:
    rows, truth = labelled
    clusters = result.clusters
    assert [c["record_id"] for c in clusters] == [r["record_id"] for r in rows]
    predicted = _pairs_of([c["record_id"] for c in clusters], [c["cluster_id"] for c in clusters])
    assert _f1(predicted, truth) >= 0.95


def test_cluster_id_is_the_smallest_id_in_the_cluster(result) -> None:
    members: dict[object, list[str]] = defaultdict(list)
    for c in result.clusters:
        members[c["cluster_id"]].append(c["record_id"])
    for cluster_id, ids in members.items():
        assert cluster_id == min(ids)


def test_pairs_table_has_ids_scores_and_levels(result) -> None:
    pairs = result.pairs
    assert pairs, "some pairs are above the threshold"
    names = [c.name for c in result.settings.comparisons]
    assert set(pairs[0]) == {"id_l", "id_r", "match_probability", "match_weight",
                             *(f"gamma_{n}" for n in names)}  # fmt: skip
    for p in pairs:
        assert p["match_probability"] >= result.settings.threshold
        assert p["id_l"] < p["id_r"]


def test_same_clusters_whatever_the_row_order(labelled, result) -> None:
    rows, _ = labelled
    shuffled = rows[:]
    random.Random(9).shuffle(shuffled)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        again = dedupe(shuffled, id_column="record_id", region="GB")
    first = {c["record_id"]: c["cluster_id"] for c in result.clusters}
    second = {c["record_id"]: c["cluster_id"] for c in again.clusters}
    assert first == second
    assert again.settings == result.settings


def test_explain_adds_up(result) -> None:
    pair = result.pairs[0]
    explanation = result.explain(pair["id_l"], pair["id_r"])
    assert isinstance(explanation, PairExplanation)
    total = explanation.prior_weight + sum(c.total for c in explanation.contributions)
    assert explanation.match_weight == pytest.approx(total)
    assert explanation.match_weight == pytest.approx(pair["match_weight"])
    assert explanation.is_candidate
    assert explanation.is_match
    assert "weight" in repr(explanation)
    table = explanation.to_table()
    assert table[0]["field"] == "(prior)"
    fields = [row["field"] for row in table[1:] if not str(row["field"]).startswith("(")]
    assert fields == [c.name for c in result.settings.comparisons]
    with pytest.raises(KeyError):
        result.explain("no-such-id", pair["id_r"])


def test_stats_report_each_stage(result) -> None:
    stats = result.stats
    assert stats.records == 503
    assert stats.candidate_pairs == sum(stats.rule_new.values())
    assert set(stats.timings) >= {"prepare", "block", "compare", "fit", "score", "cluster"}
    assert stats.clusters == len({c["cluster_id"] for c in result.clusters})


def test_settings_round_trip_through_json_and_score_without_training(labelled, result) -> None:
    rows, _ = labelled
    settings = result.settings
    assert settings.fitted
    text = settings.to_json()
    assert json.loads(text)["comparisons"][0]["m"] is not None
    loaded = MatchSettings.from_json(text)
    assert loaded == settings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        again = dedupe(rows, id_column="record_id", region="GB", settings=text)
    assert again.stats.em_iterations == 0
    assert again.clusters == result.clusters


def test_pandas_and_polars_in_same_kind_out(labelled) -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    rows, _ = labelled
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        out_pd = dedupe(pd.DataFrame(rows), id_column="record_id", region="GB")
        out_pl = dedupe(pl.DataFrame(rows), id_column="record_id", region="GB")
    assert list(out_pd.clusters.columns) == ["record_id", "cluster_id"]
    assert out_pd.clusters["cluster_id"].tolist() == out_pl.clusters["cluster_id"].to_list()
    assert "gamma_email" in out_pd.pairs.columns


def test_link_two_tables(labelled) -> None:
    rows, truth = labelled
    left = rows[: len(rows) // 2]
    right = rows[len(rows) // 2 :]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        result = link(left, right, id_column="record_id", region="GB")
    assert len(result.clusters) == len(rows)
    assert {c["side"] for c in result.clusters} == {"left", "right"}
    left_ids = {r["record_id"] for r in left}
    for p in result.pairs:
        assert p["id_l"] in left_ids
        assert p["id_r"] not in left_ids
    cross_truth = {(a, b) for a, b in truth if (a in left_ids) != (b in left_ids)}
    cross_truth = {(a, b) if a in left_ids else (b, a) for a, b in cross_truth}
    found = {(p["id_l"], p["id_r"]) for p in result.pairs}
    assert _f1(found, cross_truth) >= 0.9
    left_cluster = [
        c for c in result.clusters if c["side"] == "right" and c["cluster_side"] == "left"
    ]
    assert left_cluster, "right-table records joined to left-table clusters"


def test_link_ids_may_repeat_across_tables() -> None:
    left = [{"id": 1, "email": "ann.lee@acme.org", "first_name": "Ann", "last_name": "Lee"}]
    right = [{"id": 1, "email": "tom.kay@acme.org", "first_name": "Tom", "last_name": "Kay"}]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        result = link(left, right, id_column="id")
    assert [(c["side"], c["cluster_side"], c["cluster_id"]) for c in result.clusters] == [
        ("left", "left", 1), ("right", "right", 1)]  # fmt: skip


def test_match_prepared_on_key_columns() -> None:
    keys = {
        "given": ["ann", "ann", "bob", "robert"],
        "given_canonical": ["ann", "ann", "robert", "robert"],
        "family": ["lee", "lee", "kay", "kay"],
        "email": ["ann.lee@acme.org", "ann.lee@acme.org", "bob.kay@x.org", "bob.kay@x.org"],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        result = match_prepared(keys, ids=["d", "c", "b", "a"])
    assert result.clusters == {"id": ["d", "c", "b", "a"], "cluster_id": ["c", "c", "a", "a"]}
    assert result.cluster_index.tolist() == [1, 1, 3, 3]


# --- bad input -------------------------------------------------------------------------------


def test_missing_id_column() -> None:
    with pytest.raises(ColumnError, match="record_id"):
        dedupe([{"email": "a@b.org"}], id_column="record_id")


def test_duplicate_ids() -> None:
    rows = [{"id": "1", "email": "a@b.org"}, {"id": "1", "email": "c@d.org"}]
    with pytest.raises(ConfigError, match="duplicate ids"):
        dedupe(rows, id_column="id")


def test_empty_ids() -> None:
    with pytest.raises(ConfigError, match="empty ids"):
        dedupe([{"id": None, "email": "a@b.org"}], id_column="id")


def test_unknown_role_and_missing_column() -> None:
    rows = [{"id": "1", "Email": "a@b.org"}]
    with pytest.raises(ConfigError, match="unknown column role"):
        dedupe(rows, id_column="id", columns={"emial": "Email"})
    with pytest.raises(ColumnError):
        dedupe(rows, id_column="id", columns={"phone": "Phone"})


def test_settings_naming_a_key_column_the_table_lacks() -> None:
    settings = MatchSettings(
        comparisons=[Comparison("phone", "phone")], blocking=[BlockingRule(("phone",))]
    )
    with pytest.raises(ColumnError, match="phone"):
        dedupe([{"id": "1", "email": "a@b.org"}], id_column="id", settings=settings)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"version": 99, "comparisons": [], "blocking": []}',
        '{"comparisons": [{"name": "x", "kind": "nope"}], "blocking": []}',
        '{"colour": "blue"}',
    ],
)
def test_bad_settings_json(text: str) -> None:
    with pytest.raises(ConfigError):
        MatchSettings.from_json(text)


def test_settings_validation() -> None:
    base = default_settings(["email"])
    with pytest.raises(ConfigError):
        MatchSettings(comparisons=base.comparisons, blocking=base.blocking, threshold=1.5)
    with pytest.raises(ConfigError):
        MatchSettings(comparisons=base.comparisons, blocking=base.blocking, block_cap=1)
    with pytest.raises(ConfigError):
        MatchSettings(comparisons=(), blocking=base.blocking)
    with pytest.raises(ConfigError):
        default_settings(["nothing_known"])
    with pytest.raises(ConfigError):
        dedupe([{"id": 1, "email": "a@b.org"}], id_column="id", seed=-1)


def test_empty_table() -> None:
    with pytest.warns(MatchingWarning, match="fewer than two"):
        result = dedupe({"id": [], "email": []}, id_column="id")
    assert result.clusters == {"id": [], "cluster_id": []}
    assert result.stats.candidate_pairs == 0


def test_one_record() -> None:
    with pytest.warns(MatchingWarning):
        result = dedupe([{"id": 7, "email": "a@b.org"}], id_column="id")
    assert result.clusters == [{"id": 7, "cluster_id": 7}]


def test_all_null_column_is_left_out_with_a_warning() -> None:
    rows = [{"id": i, "email": f"user{i}@acme.org", "phone": None} for i in range(20)]
    with pytest.warns(MatchingWarning, match="phone"):
        result = dedupe(rows, id_column="id")
    assert "phone" in result.stats.unused_columns
    assert [c.name for c in result.settings.comparisons] == ["email"]
    assert len({c["cluster_id"] for c in result.clusters}) == 20


def test_many_identical_placeholder_rows_stay_bounded() -> None:
    n = 100_000
    table = {
        "id": list(range(n)),
        "email": ["test@test.com"] * n,
        "first_name": ["Test"] * n,
        "last_name": ["User"] * n,
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = dedupe(table, id_column="id")
    assert any(issubclass(w.category, MatchingWarning) for w in caught)
    assert result.stats.candidate_pairs < 30 * n  # capped, never n²/2
    assert len(result.clusters["cluster_id"]) == n
    assert result.stats.capped_blocks


def test_dedupe_gives_golden_records_and_lineage() -> None:
    rows = [
        {"id": "a", "first_name": "Robert", "last_name": "Smith", "email": "bob@acme.org",
         "phone": None},
        {"id": "b", "first_name": "Bob", "last_name": "Smith", "email": "bob@acme.org",
         "phone": "+1 415 555 2671"},
        {"id": "c", "first_name": "Ann", "last_name": "Lee", "email": "ann@mail.org",
         "phone": None},
    ]  # fmt: skip
    result = dedupe(rows, id_column="id")
    golden = {r["cluster_id"]: r for r in result.golden}
    assert set(golden) == {"a", "c"}
    # the value the master lacked is kept, in E.164; the lineage holds it as written
    assert golden["a"]["phone"] == "+14155552671"
    sources = {(r["field"], r["source_id"]) for r in result.lineage}
    assert ("phone", "b") in sources
    assert {r["value"] for r in result.lineage if r["field"] == "phone"} >= {"+1 415 555 2671"}
    assert ("email", "a") in sources
    numbered = dedupe([{k: v for k, v in r.items() if k != "id"} for r in rows])
    assert len(numbered.golden) == 2


def test_golden_records_need_a_dedupe_result() -> None:
    left = [{"id": 1, "email": "a@x.org"}]
    right = [{"id": 2, "email": "a@x.org"}]
    with pytest.raises(ConfigError):
        _ = link(left, right, id_column="id").golden
