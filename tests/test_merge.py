"""Golden records: survivorship rules, lineage, merge plan, conflicts, review and unmerge."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmclean.errors import ColumnError, ConfigError
from crmclean.merge import (
    LINEAGE_STATUSES,
    RULE_NAMES,
    MergeResult,
    MergeRule,
    MergeStrategy,
    ReviewPolicy,
    _timestamp,
    unmerge,
)
from crmclean.merge import merge as _merge
from tables import rows


def merge(records: Any, *args: Any, **kwargs: Any) -> MergeResult:
    """:func:`crmclean.merge`, with the result tables read back as lists of dicts when the
    records came as a list (the library returns pandas DataFrames for them)."""
    result = _merge(records, *args, **kwargs)
    if not isinstance(records, list):
        return result
    return attrs.evolve(
        result, golden=rows(result.golden), lineage=rows(result.lineage),
        plan=rows(result.plan), conflicts=rows(result.conflicts), review=rows(result.review),
    )  # fmt: skip


CONTACTS: list[dict[str, Any]] = [
    {"id": "a1", "first_name": "JOHN", "last_name": "Smith", "email": "info@acme.com",
     "phone": "415 555 2671", "title": "Sales Rep", "street": "1 Main St", "city": "Boston",
     "source": "webform", "created_at": "2020-05-01", "updated_at": "2022-01-01"},
    {"id": "a2", "first_name": "John", "last_name": "Smith", "email": "john.smith@acme.com",
     "phone": "+1 (415) 555-2671", "title": "VP Sales", "street": None, "city": "Cambridge",
     "source": "salesforce", "created_at": "2021-05-01", "updated_at": "2024-01-01"},
    {"id": "b1", "first_name": "Ann", "last_name": "Lee", "email": None, "phone": None,
     "title": "CEO", "street": None, "city": None, "source": "hubspot", "created_at": None,
     "updated_at": None},
    {"id": "a3", "first_name": "J.", "last_name": None, "email": "jsmith@gmail.com",
     "phone": "not a phone", "title": None, "street": "9 Elm St", "city": "Salem",
     "source": "hubspot", "created_at": None, "updated_at": None},
]  # fmt: skip
CLUSTERS = {"a1": "A", "a2": "A", "b1": "B", "a3": "A"}
PRIORITY = ["salesforce", "hubspot", "webform"]


def contact_strategy() -> MergeStrategy:
    return MergeStrategy.default_for(list(CONTACTS[0]), source_priority=PRIORITY, region="US")


def one_cluster(values: list[Any], **extra: list[Any]) -> list[dict[str, Any]]:
    """Records r0, r1, ... of one cluster with field ``v`` (and further columns)."""
    rows = []
    for i, value in enumerate(values):
        row = {"id": f"r{i}", "v": value}
        row.update({name: column[i] for name, column in extra.items()})
        rows.append(row)
    return rows


def winner(records: list[dict[str, Any]], rules: object, **options: Any) -> tuple[Any, str, Any]:
    """The golden value of field ``v`` for one cluster, its deciding rule and its source id."""
    strategy = MergeStrategy(rules={"v": rules}, **options)
    result = merge(records, {r["id"]: 1 for r in records}, id_column="id", strategy=strategy)
    gold = [r for r in result.lineage if r["field"] == "v" and r["status"] == "golden"]
    assert len(gold) == 1
    assert result.golden[0]["v"] is gold[0]["value"] or result.golden[0]["v"] == gold[0]["value"]
    return gold[0]["value"], gold[0]["rule"], gold[0]["source_id"]


# --- the contact example, exactly --------------------------------------------------------------


def test_default_contact_strategy_gives_the_expected_golden_records() -> None:
    result = merge(CONTACTS, CLUSTERS, id_column="id", strategy=contact_strategy())
    assert result.golden == [
        {"cluster_id": "A", "id": "a2", "first_name": "John", "last_name": "Smith",
         "email": "john.smith@acme.com", "phone": "+14155552671",
         "title": "Vice President of Sales", "street": None, "city": "Cambridge",
         "source": "salesforce", "created_at": "2020-05-01", "updated_at": "2024-01-01",
         "email_all": ["john.smith@acme.com", "info@acme.com", "jsmith@gmail.com"],
         "phone_all": ["+14155552671", "not a phone"]},
        {"cluster_id": "B", "id": "b1", "first_name": "Ann", "last_name": "Lee", "email": None,
         "phone": None, "title": "Chief Executive Officer", "street": None, "city": None,
         "source": "hubspot", "created_at": None, "updated_at": None, "email_all": [],
         "phone_all": []},
    ]  # fmt: skip
    assert dict(result.counts) == {
        "records": 4, "clusters": 2, "golden": 2, "merged_clusters": 1, "merged_records": 3,
        "held_clusters": 0, "conflicts": 4,
    }  # fmt: skip
    assert repr(result).startswith("MergeResult(records=4, clusters=2, golden=2")


def test_lineage_lists_every_cell_of_every_merged_record_with_its_rule() -> None:
    result = merge(CONTACTS, CLUSTERS, id_column="id", strategy=contact_strategy())
    rows = [
        (r["cluster_id"], r["row"], r["field"], r["value"], r["source_id"], r["status"], r["rule"])
        for r in result.lineage
    ]
    assert rows == [
        ("A", 0, "first_name", "JOHN", "a1", "same", "valid_first"),
        ("A", 1, "first_name", "John", "a2", "golden", "valid_first"),
        ("A", 3, "first_name", "J.", "a3", "overruled", "valid_first"),
        ("A", 0, "last_name", "Smith", "a1", "golden", "most_complete"),
        ("A", 1, "last_name", "Smith", "a2", "same", "most_complete"),
        ("A", 3, "last_name", None, "a3", "empty", "most_complete"),
        ("A", 0, "email", "info@acme.com", "a1", "kept", "from_master"),
        ("A", 1, "email", "john.smith@acme.com", "a2", "golden", "from_master"),
        ("A", 3, "email", "jsmith@gmail.com", "a3", "kept", "from_master"),
        ("A", 0, "phone", "415 555 2671", "a1", "same", "from_master"),
        ("A", 1, "phone", "+1 (415) 555-2671", "a2", "golden", "from_master"),
        ("A", 3, "phone", "not a phone", "a3", "kept", "from_master"),
        ("A", 0, "title", "Sales Rep", "a1", "overruled", "most_recent"),
        ("A", 1, "title", "VP Sales", "a2", "golden", "most_recent"),
        ("A", 3, "title", None, "a3", "empty", "most_recent"),
        ("A", 0, "street", "1 Main St", "a1", "overruled", "most_recent"),
        ("A", 1, "street", None, "a2", "golden", "most_recent"),
        ("A", 3, "street", "9 Elm St", "a3", "overruled", "most_recent"),
        ("A", 0, "city", "Boston", "a1", "overruled", "most_recent"),
        ("A", 1, "city", "Cambridge", "a2", "golden", "most_recent"),
        ("A", 3, "city", "Salem", "a3", "overruled", "most_recent"),
        ("A", 0, "source", "webform", "a1", "overruled", "from_master"),
        ("A", 1, "source", "salesforce", "a2", "golden", "from_master"),
        ("A", 3, "source", "hubspot", "a3", "overruled", "from_master"),
        ("A", 0, "created_at", "2020-05-01", "a1", "golden", "oldest"),
        ("A", 1, "created_at", "2021-05-01", "a2", "overruled", "oldest"),
        ("A", 3, "created_at", None, "a3", "empty", "oldest"),
        ("A", 0, "updated_at", "2022-01-01", "a1", "overruled", "most_recent"),
        ("A", 1, "updated_at", "2024-01-01", "a2", "golden", "most_recent"),
        ("A", 3, "updated_at", None, "a3", "empty", "most_recent"),
    ]
    assert {r["status"] for r in result.lineage} <= set(LINEAGE_STATUSES)


def test_merge_plan_is_a_flat_table_of_survivor_merged_ids_and_field_winners() -> None:
    result = merge(CONTACTS, CLUSTERS, id_column="id", strategy=contact_strategy())
    assert result.plan == [
        {"cluster_id": "A", "master_id": "a2", "merged_ids": ["a1", "a3"],
         "master_rule": "source_priority",
         "first_name": "John", "first_name_source": "a2",
         "last_name": "Smith", "last_name_source": "a1",
         "email": "john.smith@acme.com", "email_source": "a2",
         "email_all": ["john.smith@acme.com", "info@acme.com", "jsmith@gmail.com"],
         "phone": "+14155552671", "phone_source": "a2",
         "phone_all": ["+14155552671", "not a phone"],
         "title": "Vice President of Sales", "title_source": "a2",
         "street": None, "street_source": None,
         "city": "Cambridge", "city_source": "a2",
         "source": "salesforce", "source_source": "a2",
         "created_at": "2020-05-01", "created_at_source": "a1",
         "updated_at": "2024-01-01", "updated_at_source": "a2"},
    ]  # fmt: skip


def test_conflicts_list_disagreeing_single_values_golden_first() -> None:
    result = merge(CONTACTS, CLUSTERS, id_column="id", strategy=contact_strategy())
    assert result.conflicts == [
        {"cluster_id": "A", "field": "first_name", "value": "John", "values": ["John", "J."]},
        {"cluster_id": "A", "field": "title", "value": "VP Sales",
         "values": ["VP Sales", "Sales Rep"]},
        {"cluster_id": "A", "field": "street", "value": None,
         "values": ["1 Main St", "9 Elm St"]},
        {"cluster_id": "A", "field": "city", "value": "Cambridge",
         "values": ["Cambridge", "Boston", "Salem"]},
    ]  # fmt: skip


def test_unmerge_restores_the_records_and_single_clusters() -> None:
    result = merge(CONTACTS, CLUSTERS, id_column="id", strategy=contact_strategy())
    assert unmerge(result) == CONTACTS
    assert unmerge(result, cluster_id="A") == [CONTACTS[0], CONTACTS[1], CONTACTS[3]]
    assert unmerge(result, cluster_id="B") == [CONTACTS[2]]
    with pytest.raises(ConfigError, match="no cluster") as info:
        unmerge(result, cluster_id="secret-cluster")
    assert "secret" not in str(info.value)


# --- each rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "extra", "rules", "options", "expected"),
    [
        # most_complete: the record with the most filled fields
        (["x", "y"], {"a": [None, "1"], "b": [None, "2"]}, "most_complete", {},
         ("y", "most_complete", "r1")),
        # most_recent by the strategy's date column; a missing date ranks last
        (["old", "new", "undated"], {"u": ["2021-03-01", "2024-02-01T10:00:00Z", None]},
         "most_recent", {"date_column": "u"}, ("new", "most_recent", "r1")),
        # most_recent by an explicit column, datetimes and epoch milliseconds mixed
        (["a", "b"], {"t": [dt.datetime(2024, 1, 1), 1_600_000_000_000]},
         MergeRule.most_recent(by="t"), {}, ("a", "most_recent", "r0")),
        # oldest by the created column
        (["first", "second"], {"c": ["2020-02-01", "2019-12-31"]}, "oldest",
         {"created_column": "c"}, ("second", "oldest", "r1")),
        # most_frequent compares ignoring case and spacing; the first spelling wins the tie
        (["Acme", "Globex", "ACME ", "acme"], {}, "most_frequent", {},
         ("Acme", "most_frequent", "r0")),
        # source_priority, case-insensitive; unknown sources rank last
        (["w", "s", "h"], {"src": ["WebForm", "Salesforce", "zapier"]},
         MergeRule.source_priority(["salesforce", "webform"], column="src"), {},
         ("s", "source_priority", "r1")),
        # source_priority from the strategy's order and column
        (["w", "h"], {"src": ["webform", "hubspot"]}, "source_priority",
         {"source_priority": PRIORITY, "source_column": "src"}, ("h", "source_priority", "r1")),
        (["Jon", "Jonathan", "Jonathon"], {}, "longest", {}, ("Jonathan", "longest", "r1")),
        ([None, "  ", "b"], {}, "first_non_null", {}, ("b", "only_value", "r2")),
        ([None, "a", "b"], {}, "first_non_null", {}, ("a", "first_non_null", "r1")),
        # valid_first on emails: a personal address over a role account or a disposable one
        (["info@acme.com", "x@mailinator.com", "not-an-email", "jane@acme.com"], {},
         MergeRule.valid_first("email"), {}, ("jane@acme.com", "valid_first", "r3")),
        (["info@acme.com", "broken@"], {}, MergeRule.valid_first("email"), {},
         ("info@acme.com", "valid_first", "r0")),
        # valid_first on phones: a valid number over a malformed one
        (["555-555-5555", "12", "(415) 555-2671"], {}, MergeRule.valid_first("phone"),
         {"region": "US"}, ("(415) 555-2671", "valid_first", "r2")),
        # valid_first on names: proper case over capitals over initials over placeholders
        (["N/A", "J.", "JOHN", "John"], {}, MergeRule.valid_first("name"), {},
         ("John", "valid_first", "r3")),
        (["n/a", "Dr. Jane Roe"], {}, MergeRule.valid_first("full_name"), {},
         ("Dr. Jane Roe", "valid_first", "r1")),
        (["JANE ROE", "Jane Roe"], {}, MergeRule.valid_first("full_name"), {},
         ("Jane Roe", "valid_first", "r1")),
        # from_master: the master's value (master = most complete record)
        (["m0", "m1"], {"a": [None, "x"]}, "from_master", {}, ("m1", "from_master", "r1")),
        # a function (values, rows) -> index
        (["b", "a", "c"], {}, lambda values, rows: values.index(min(values)), {},
         ("a", "<lambda>", "r1")),
        # a chain: longest ties, most_frequent breaks the tie
        (["Bob", "Ann", "Ann", "Jo"], {}, ["longest", "most_frequent"], {},
         ("Ann", "most_frequent", "r1")),
        # nothing narrows: the first value in input order, labelled first_non_null
        (["same", "SAME"], {}, "longest", {}, ("same", "first_non_null", "r0")),
        ([None, float("nan"), ""], {}, "longest", {}, (None, "empty", "r0")),
    ],
)  # fmt: skip
def test_each_rule_picks_the_expected_value(
    values: list[Any],
    extra: dict[str, list[Any]],
    rules: object,
    options: dict[str, Any],
    expected: tuple[Any, str, str],
) -> None:
    assert winner(one_cluster(values, **extra), rules, **options) == expected


def test_rule_names_cover_every_rule_and_strings_build_rules() -> None:
    assert set(RULE_NAMES) == {
        "most_complete", "most_recent", "oldest", "most_frequent", "source_priority",
        "longest", "first_non_null", "valid_first", "from_master", "custom", "consensus",
        "most_recent_value", "best_form", "standardize", "partner",
    }  # fmt: skip
    assert MergeRule("longest") == MergeRule.longest()
    assert MergeStrategy(rules={"v": "longest"}).chain_for("v") == (MergeRule.longest(),)


def test_a_custom_rule_gets_candidate_values_and_their_records() -> None:
    seen: list[tuple[list[Any], list[dict[str, Any]]]] = []

    def prefer_gold_tier(values: list[Any], rows: list[dict[str, Any]]) -> int:
        seen.append((values, rows))
        return [r["tier"] for r in rows].index("gold")

    records = one_cluster([None, "x", "y"], tier=["gold", "silver", "gold"])
    assert winner(records, prefer_gold_tier) == ("y", "prefer_gold_tier", "r2")
    assert seen == [(["x", "y"], [records[1], records[2]])]


def test_a_custom_rule_returning_a_bad_index_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="out of range"):
        winner(one_cluster(["a", "b"]), lambda values, rows: 5)
    with pytest.raises(ConfigError, match="did not return an index"):
        winner(one_cluster(["a", "b"]), lambda values, rows: "a")


def test_dates_are_read_from_common_forms() -> None:
    day = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc).timestamp()
    for value in ("2024-03-01", "2024-03-01T00:00:00Z", "2024-03-01 00:00:00+00:00",
                  "2024/03/01", "01.03.2024", dt.date(2024, 3, 1), dt.datetime(2024, 3, 1),
                  day, day * 1000):  # fmt: skip
        assert _timestamp(value, None) == day, value
    assert _timestamp("03/01/2024", "%m/%d/%Y") == day
    for value in (None, "", "soon", float("nan"), True, [2024]):
        assert math.isnan(_timestamp(value, None))


# --- multi-valued fields, groups and the master --------------------------------------------------


def test_multi_valued_fields_keep_every_distinct_value_primary_first() -> None:
    records = one_cluster(
        ["info@acme.com", "Jane@Acme.com", None, "jane@acme.com ", "jane@gmail.com"]
    )
    strategy = MergeStrategy(
        rules={"v": MergeRule.valid_first("email")}, multi_valued=["v"], kinds={"v": "email"}
    )
    result = merge(records, dict.fromkeys(["r0", "r1", "r2", "r3", "r4"], 7), id_column="id",
                   strategy=strategy)  # fmt: skip
    assert result.golden[0]["v"] == "Jane@Acme.com"
    assert result.golden[0]["v_all"] == ["Jane@Acme.com", "info@acme.com", "jane@gmail.com"]
    assert [r["status"] for r in result.lineage] == ["kept", "golden", "empty", "same", "kept"]
    assert result.conflicts == []


def test_phones_that_are_one_number_are_one_value() -> None:
    records = one_cluster(["+1 415-555-2671", "(415) 555 2671", "4155552671", "+44 20 7946 0958"])
    strategy = MergeStrategy(multi_valued=["v"], kinds={"v": "phone"}, region="US")
    result = merge(records, dict.fromkeys(["r0", "r1", "r2", "r3"], 1), id_column="id",
                   strategy=strategy)  # fmt: skip
    assert result.golden[0]["v_all"] == ["+1 415-555-2671", "+44 20 7946 0958"]


def test_a_group_takes_all_its_fields_from_one_record() -> None:
    records = [
        {"id": 1, "street": "1 Main St", "city": "Boston", "zip": "02110", "u": "2020-01-01"},
        {"id": 2, "street": "9 Elm St", "city": "Salem", "zip": None, "u": "2023-01-01"},
        {"id": 3, "street": None, "city": None, "zip": None, "u": "2024-01-01"},
    ]
    strategy = MergeStrategy(
        rules={"street": "most_recent"}, groups=[("street", "city", "zip")], date_column="u"
    )
    result = merge(records, {1: "x", 2: "x", 3: "x"}, id_column="id", strategy=strategy)
    golden = result.golden[0]
    assert (golden["street"], golden["city"], golden["zip"]) == ("9 Elm St", "Salem", None)
    zip_rows = [(r["value"], r["status"]) for r in result.lineage if r["field"] == "zip"]
    assert zip_rows == [("02110", "overruled"), (None, "golden"), (None, "empty")]
    assert {r["field"]: r["value"] for r in result.conflicts} == {
        "street": "9 Elm St", "city": "Salem", "zip": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("master", "expected"),
    [
        (["most_complete"], ("r1", "most_complete")),
        ([MergeRule.most_recent(by="u")], ("r2", "most_recent")),
        ([MergeRule.oldest(by="u")], ("r0", "oldest")),
        ([MergeRule.source_priority(["crm"], column="src")], ("r2", "source_priority")),
        (["first_non_null"], ("r0", "first_non_null")),
        ([lambda ids, rows: ids.index("r2")], ("r2", "<lambda>")),
    ],
)
def test_master_policies_pick_the_surviving_record(master: list[Any], expected: Any) -> None:
    records = one_cluster(
        ["a", "b", None], u=["2020-01-01", "2021-01-01", "2022-01-01"],
        src=["web", "web", "crm"], extra=[None, "x", None],
    )  # fmt: skip
    strategy = MergeStrategy(master=master)
    result = merge(records, dict.fromkeys(["r0", "r1", "r2"], 0), id_column="id",
                   strategy=strategy)  # fmt: skip
    assert (result.plan[0]["master_id"], result.plan[0]["master_rule"]) == expected
    assert result.golden[0]["id"] == expected[0]


def test_default_for_reads_roles_off_common_crm_headers() -> None:
    strategy = MergeStrategy.default_for(
        ["Record ID", "First Name", "Last Name", "Email", "Mobile Phone", "Job Title",
         "Company Name", "Street", "City", "Zip", "Lead Source", "Create Date",
         "Last Modified Date"],
        source_priority=PRIORITY,
    )  # fmt: skip
    assert strategy.multi_valued == ("Email", "Mobile Phone")
    assert strategy.groups == (("Street", "City", "Zip"),)
    assert (strategy.date_column, strategy.created_column, strategy.source_column) == (
        "Last Modified Date", "Create Date", "Lead Source",
    )  # fmt: skip
    labels = {f: [r.label for r in chain] for f, chain in strategy.rules.items()}
    # survivorship by consensus first, recency between genuinely different values, then the
    # best-written form of the value kept, in standard form
    assert labels["First Name"] == ["valid_first", "consensus", "most_recent_value",
                                    "most_complete", "longest", "best_form", "standardize"]
    assert labels["Email"] == ["valid_first", "consensus", "from_master", "most_recent",
                               "most_frequent", "standardize"]  # fmt: skip
    assert labels["Company Name"] == ["consensus", "most_recent", "from_master", "most_frequent",
                                      "best_form", "standardize"]  # fmt: skip
    assert labels["Street"][-2:] == ["best_form", "standardize"]
    assert "standardize" not in labels["Create Date"] + labels.get("Lead Source", [])
    assert labels["Create Date"] == ["oldest"]
    assert [r.label for r in strategy.master] == ["source_priority", "most_complete", "oldest"]
    assert dict(strategy.kinds)["Mobile Phone"] == "phone"
    # without dates or sources, no rule needs them
    plain = MergeStrategy.default_for(["id", "email", "title"])
    assert [r.label for r in plain.chain_for("title")] == [
        "valid_first", "from_master", "standardize",
    ]  # fmt: skip
    assert [r.label for r in plain.master] == ["most_complete"]


# --- review --------------------------------------------------------------------------------------


def test_clusters_scoring_below_the_threshold_are_held_not_merged() -> None:
    records = one_cluster(["a", "b", "c", "d", "e"])
    clusters = {
        "id": ["r0", "r1", "r2", "r3", "r4"],
        "cluster_id": [1, 1, 2, 2, 3],
        "cluster_score": [0.99, 0.95, 0.97, 0.42, None],
    }
    result = merge(records, clusters, id_column="id", review=0.9)
    assert [(g["cluster_id"], g["id"], g["v"]) for g in result.golden] == [
        (1, "r0", "a"), (2, "r2", "c"), (2, "r3", "d"), (3, "r4", "e"),
    ]  # fmt: skip
    assert result.review == [
        {"cluster_id": 2, "record_id": "r2", "row": 2, "record_score": 0.97,
         "cluster_score": 0.42},
        {"cluster_id": 2, "record_id": "r3", "row": 3, "record_score": 0.42,
         "cluster_score": 0.42},
    ]  # fmt: skip
    assert result.counts["held_clusters"] == 1
    assert {r["cluster_id"] for r in result.lineage} == {1}
    assert unmerge(result) == records
    assert unmerge(result, cluster_id=2) == records[2:4]


def test_review_from_scored_pairs_uses_each_records_best_link() -> None:
    records = one_cluster(["a", "b", "c", "d", "e"])
    pairs = [
        {"id_l": "r0", "id_r": "r1", "match_probability": 0.98},
        {"id_l": "r1", "id_r": "r2", "match_probability": 0.95},
        {"id_l": "r0", "id_r": "r2", "match_probability": 0.30},
        {"id_l": "r3", "id_r": "r4", "match_probability": 0.60},
        {"id_l": "r2", "id_r": "r3", "match_probability": 0.99},  # across clusters: ignored
    ]
    clusters = {"r0": 1, "r1": 1, "r2": 1, "r3": 2, "r4": 2}
    result = merge(records, clusters, id_column="id", review=ReviewPolicy(0.9, pairs=pairs))
    assert result.counts["merged_clusters"] == 1
    assert [(r["record_id"], r["record_score"], r["cluster_score"]) for r in result.review] == [
        ("r3", 0.6, 0.6), ("r4", 0.6, 0.6),
    ]  # fmt: skip


def test_review_settings_are_checked() -> None:
    with pytest.raises(TypeError):
        ReviewPolicy("high")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        ReviewPolicy(float("nan"))
    with pytest.raises(ConfigError, match="score column"):
        merge(one_cluster(["a"]), {"r0": 1}, id_column="id", review=0.5)
    with pytest.raises(ColumnError, match="no score column"):
        merge(one_cluster(["a"]), {"id": ["r0"], "cluster_id": [1]}, id_column="id", review=0.5)


# --- tables of every kind ------------------------------------------------------------------------


def test_pandas_records_give_pandas_tables_and_unmerge_exactly() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(CONTACTS)
    frame["score"] = [1, 2, 3, None]  # a float column with NaN
    frame["when"] = pd.to_datetime(["2020-01-01", None, "2021-01-01", "2022-01-01"])
    frame["tier"] = pd.Series(["a", None, "b", "a"], dtype="string")
    clusters = pd.DataFrame({"id": list(CLUSTERS), "cluster_id": list(CLUSTERS.values())})
    result = merge(frame, clusters, id_column="id", strategy=contact_strategy())
    for table in (result.golden, result.lineage, result.plan, result.conflicts, result.review):
        assert isinstance(table, pd.DataFrame)
    assert list(result.golden["id"]) == ["a2", "b1"]
    pd.testing.assert_frame_equal(unmerge(result), frame)
    pd.testing.assert_frame_equal(
        unmerge(result, cluster_id="A"), frame.iloc[[0, 1, 3]].reset_index(drop=True)
    )


def test_polars_and_arrow_records_keep_their_types() -> None:
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    mixed = [dict(r, n=i) for i, r in enumerate(CONTACTS)]  # an int column next to text
    frame = pl.DataFrame(mixed)
    result = merge(frame, CLUSTERS, id_column="id", strategy=contact_strategy())
    assert isinstance(result.golden, pl.DataFrame)
    assert result.golden.schema["street"] == pl.String
    assert result.golden.schema["email_all"] == pl.List(pl.String)
    assert result.lineage.schema["value"] == pl.String  # text and ints, shown as text
    assert unmerge(result).equals(frame)
    table = pa.Table.from_pylist(mixed)
    result = merge(table, CLUSTERS, id_column="id", strategy=contact_strategy())
    assert isinstance(result.plan, pa.Table)
    assert result.golden.schema.field("street").type == pa.string()
    assert unmerge(result).equals(table)


def test_dict_of_lists_in_gives_dict_of_lists_out() -> None:
    columns = {"id": [1, 2, 3], "v": ["a", None, "c"]}
    result = merge(columns, {"id": [3, 2, 1], "cluster_id": [9, 8, 9]}, id_column="id")
    assert result.golden == {
        "cluster_id": [9, 8], "id": [1, 2], "v": ["a", None],
    }  # fmt: skip
    assert unmerge(result) == columns


def test_empty_tables_and_all_singletons() -> None:
    empty = {"id": [], "v": []}
    result = merge(empty, {}, id_column="id")
    assert result.golden == {"cluster_id": [], "id": [], "v": []}
    assert unmerge(result) == empty
    records = one_cluster(["a", "b"])
    result = merge(records, {"r0": 1, "r1": 2}, id_column="id")
    assert result.counts["merged_clusters"] == 0
    assert result.lineage == []
    assert result.plan == []
    assert unmerge(result) == records


# --- misuse ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clusters", "error", "message"),
    [
        ({"r0": 1}, ConfigError, "1 record\\(s\\) have no cluster"),
        ({"r0": 1, "r1": 1, "secret-id": 2}, ConfigError, "1 id\\(s\\) that are not"),
        ({"id": ["r0", "r1", "r1"], "cluster_id": [1, 1, 2]}, ConfigError, "more than once"),
        ({"r0": 1, "r1": None}, ConfigError, "empty cluster id"),
        ({"r0": [1], "r1": [2]}, ConfigError, "hashable"),
        ({"id": ["r0", "r1"], "cluster": [1, 1]}, ColumnError, "no column 'cluster_id'"),
    ],
)
def test_clusters_must_name_every_record_exactly_once(
    clusters: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as info:
        merge(one_cluster(["secret-value", "b"]), clusters, id_column="id")
    assert "secret" not in str(info.value)


def test_ids_must_be_unique_and_present() -> None:
    with pytest.raises(ConfigError, match="1 duplicate id"):
        merge([{"id": 1, "v": "secret"}, {"id": 1, "v": "x"}], {1: 1}, id_column="id")
    with pytest.raises(ConfigError, match="empty id"):
        merge([{"id": None, "v": "x"}], {None: 1}, id_column="id")
    with pytest.raises(ColumnError, match="'key' \\(id column\\)"):
        merge(one_cluster(["a"]), {"r0": 1}, id_column="key")
    with pytest.raises(TypeError):
        merge(one_cluster(["a"]), {"r0": 1}, id_column=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("strategy", "error", "message"),
    [
        (lambda: MergeStrategy(rules={"nope": "longest"}), ColumnError, "'nope'"),
        (lambda: MergeStrategy(rules={"id": "longest"}), ConfigError, "id column"),
        (lambda: MergeStrategy(rules={"v": "most_recent"}), ConfigError, "needs a date"),
        (lambda: MergeStrategy(rules={"v": "oldest"}), ConfigError, "needs a date"),
        (lambda: MergeStrategy(rules={"v": "source_priority"}), ConfigError, "source column"),
        (lambda: MergeStrategy(rules={"v": MergeRule.most_recent(by="when")}), ColumnError,
         "'when'"),
        (lambda: MergeStrategy(multi_valued=["w"]), ColumnError, "'w'"),
        (lambda: MergeStrategy(date_column="w"), ColumnError, "'w'"),
    ],
)  # fmt: skip
def test_strategies_naming_missing_columns_or_lacking_settings_are_refused(
    strategy: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        merge(one_cluster(["a", "b"]), {"r0": 1, "r1": 1}, id_column="id", strategy=strategy())


def test_bad_rules_and_strategies_are_refused_at_construction() -> None:
    with pytest.raises(ConfigError, match="unknown merge rule"):
        MergeRule("best")
    with pytest.raises(ConfigError, match="unknown merge rule"):
        MergeStrategy(rules={"v": "best"})
    with pytest.raises(ConfigError, match="function itself"):
        MergeStrategy(rules={"v": "custom"})
    with pytest.raises(ConfigError, match="cannot pick the master"):
        MergeStrategy(master=["longest"])
    with pytest.raises(ConfigError, match="cannot pick the master"):
        MergeStrategy(master=["from_master"])
    with pytest.raises(ConfigError, match="unknown value kind"):
        MergeRule.valid_first("iban")
    with pytest.raises(ConfigError, match="unknown region"):
        MergeStrategy(region="XX")
    with pytest.raises(ConfigError, match="both multi-valued and in a group"):
        MergeStrategy(multi_valued=["a"], groups=[("a", "b")])
    with pytest.raises(ConfigError, match="group's first field 'a'"):
        MergeStrategy(rules={"b": "longest"}, groups=[("a", "b")])
    with pytest.raises(ConfigError, match="more than one group"):
        MergeStrategy(groups=[("a", "b"), ("b", "c")])
    with pytest.raises(TypeError):
        MergeStrategy(multi_valued="email")
    with pytest.raises(TypeError):
        MergeStrategy(rules={"v": 3})
    with pytest.raises(TypeError):
        merge(one_cluster(["a"]), {"r0": 1}, id_column="id", strategy="default")  # type: ignore[arg-type]


def test_column_names_the_output_uses_are_refused() -> None:
    with pytest.raises(ConfigError, match="'cluster_id'"):
        merge([{"id": 1, "cluster_id": 5}], {1: 1}, id_column="id")
    with pytest.raises(ConfigError, match="'email_all'"):
        merge([{"id": 1, "email": "a@b.co", "email_all": "x"}], {1: 1}, id_column="id",
              strategy=MergeStrategy(multi_valued=["email"]))  # fmt: skip
    with pytest.raises(ConfigError, match="'v_source'"):
        merge([{"id": 1, "v": 1, "v_source": 2}], {1: 1}, id_column="id")


# --- properties ----------------------------------------------------------------------------------

CELLS = st.one_of(
    st.none(),
    st.just(""),
    st.just(float("nan")),
    st.sampled_from(["Ann", "ann ", "Bob", "info@acme.com", "ann@acme.com", "+1 415 555 2671",
                     "(415) 555-2671", "2024-01-02", "2021-06-30T12:00:00Z", "crm", "web"]),
    st.integers(-3, 3),
    st.text(max_size=6),
)  # fmt: skip
RULE_CHOICES = st.sampled_from(
    ["most_complete", "most_frequent", "longest", "first_non_null", "from_master",
     MergeRule.most_recent(by="d"), MergeRule.oldest(by="d"),
     MergeRule.source_priority(["crm", "web"], column="s"), MergeRule.valid_first("email"),
     MergeRule.valid_first("phone", region="US"), MergeRule.valid_first("name"),
     MergeRule.custom(lambda values, rows: len(values) - 1)]
)  # fmt: skip
MASTER_CHOICES = st.sampled_from(
    ["most_complete", "first_non_null", MergeRule.most_recent(by="d"),
     MergeRule.source_priority(["web"], column="s")]
)  # fmt: skip


@st.composite
def merges(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[Any, Any], MergeStrategy]:
    n = draw(st.integers(1, 12))
    fields = ["a", "b", "c", "d", "s"]
    order = draw(st.permutations(range(n)))
    records = [{"id": f"id{i}", **{f: draw(CELLS) for f in fields}} for i in order]
    clusters = {r["id"]: draw(st.integers(0, 3)) for r in records}
    ruled = draw(st.sets(st.sampled_from(fields)))
    rules = {f: draw(st.lists(RULE_CHOICES, max_size=3)) for f in ruled}
    multi = draw(st.sets(st.sampled_from(["a", "b", "c"])))
    groups = [("d", "s")] if draw(st.booleans()) else []
    if groups:
        rules.pop("s", None)  # a group member takes the rules of the group's first field
    strategy = MergeStrategy(
        rules=rules, master=draw(st.lists(MASTER_CHOICES, max_size=2)), multi_valued=sorted(multi),
        groups=groups,
    )  # fmt: skip
    return records, clusters, strategy


def has_value(v: Any) -> bool:
    return not (v is None or v != v or (isinstance(v, str) and not v.strip()))


def _null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def same_cell(a: Any, b: Any) -> bool:
    """Equal cells; a missing value matches a missing value in any of its forms (None, NaN),
    as a DataFrame shows them all as one."""
    return a is b or (_null(a) and _null(b)) or a == b


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(merges())
def test_nothing_is_lost_and_unmerge_restores_the_input(
    case: tuple[list[dict[str, Any]], dict[Any, Any], MergeStrategy],
) -> None:
    records, clusters, strategy = case
    result = merge(records, clusters, id_column="id", strategy=strategy)
    assert isinstance(result, MergeResult)
    restored = unmerge(result)
    assert len(restored) == len(records)
    for got, want in zip(restored, records, strict=True):
        assert list(got) == list(want)
        assert all(same_cell(got[k], want[k]) for k in want)
    fields = ["a", "b", "c", "d", "s"]
    sizes: dict[Any, int] = {}
    for c in clusters.values():
        sizes[c] = sizes.get(c, 0) + 1
    golden_by_id = {g["id"]: g for g in result.golden}
    lineage = {(r["source_id"], r["field"]): r for r in result.lineage}
    # every cell is either in the golden table (a record left alone) or in the lineage
    for row, record in enumerate(records):
        merged = sizes[clusters[record["id"]]] > 1
        for f in fields:
            if merged:
                entry = lineage[(record["id"], f)]
                assert same_cell(entry["value"], record[f])
                assert entry["row"] == row
                assert entry["cluster_id"] == clusters[record["id"]]
            else:
                assert same_cell(golden_by_id[record["id"]][f], record[f])
    merged_records = sum(1 for r in records if sizes[clusters[r["id"]]] > 1)
    assert len(result.lineage) == merged_records * len(fields)
    # exactly one golden cell per merged cluster and field, equal to the golden value
    plan = {p["cluster_id"]: p for p in result.plan}
    golden_by_cluster = {g["cluster_id"]: g for g in result.golden if g["cluster_id"] in plan}
    assert set(plan) == {c for c, n in sizes.items() if n > 1}
    for cluster, p in plan.items():
        golden = golden_by_cluster[cluster]
        assert golden["id"] == p["master_id"]
        members = [r["id"] for r in records if clusters[r["id"]] == cluster]
        assert [p["master_id"], *p["merged_ids"]] == [p["master_id"]] + [
            m for m in members if m != p["master_id"]
        ]
        for f in fields:
            cells = [r for r in result.lineage if r["cluster_id"] == cluster and r["field"] == f]
            gold = [r for r in cells if r["status"] == "golden"]
            assert len(gold) == 1
            assert same_cell(gold[0]["value"], golden[f])
            assert same_cell(p[f], golden[f])
            filled = [r for r in cells if has_value(r["value"])]
            if filled and not (strategy.groups and f in ("d", "s")):
                # a value beats an empty cell, except inside a group
                assert has_value(gold[0]["value"])
            if f in strategy.multi_valued:
                head = [golden[f]] if has_value(golden[f]) else []
                kept = [r["value"] for r in cells if r["status"] == "kept"]
                assert golden[f + "_all"] == head + kept
                assert len(golden[f + "_all"]) <= len(filled)
    assert unmerge(result, cluster_id=next(iter(clusters.values()))) is not None


def test_most_recent_and_longest_winners_hold_their_property_on_random_data() -> None:
    import random

    rng = random.Random(3)
    records = [
        {"id": i, "v": rng.choice(["x", "xx", "xxx", None]),
         "d": rng.choice(["2020-01-01", "2021-01-01", "2022-06-01", None])}
        for i in range(400)
    ]  # fmt: skip
    clusters = {r["id"]: rng.randrange(60) for r in records}
    for rule, check in (("longest", "v"), (MergeRule.most_recent(by="d"), "d")):
        strategy = MergeStrategy(rules={"v": rule})
        result = merge(records, clusters, id_column="id", strategy=strategy)
        for p in result.plan:
            members = [r for r in records if clusters[r["id"]] == p["cluster_id"]]
            candidates = [r for r in members if r["v"]]
            if not candidates:
                continue
            source = next(r for r in members if r["id"] == p["v_source"])
            if check == "v":
                assert len(source["v"]) == max(len(r["v"]) for r in candidates)
            else:
                dates = [r["d"] for r in candidates if r["d"]]
                if dates:
                    assert source["d"] == max(dates)
