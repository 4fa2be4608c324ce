"""Merge strategies saved as JSON, the tables of rules and value kinds, and --strategy."""

from __future__ import annotations

import csv
import importlib
import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np
import pytest

from crmclean.cli import main
from crmclean.errors import ConfigError
from crmclean.merge import (
    RULE_NAMES,
    VALUE_KINDS,
    MergeRule,
    MergeStrategy,
    ValueKind,
    merge,
)

merge_module = importlib.import_module("crmclean.merge")  # the package's `merge` is the function
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "contacts.csv"

#: One rule of every saveable name, with every attribute it takes set.
EVERY_RULE: dict[str, MergeRule] = {
    "most_complete": MergeRule.most_complete(),
    "most_recent": MergeRule.most_recent(by="updated_at"),
    "oldest": MergeRule.oldest(by="created_at"),
    "most_frequent": MergeRule.most_frequent(),
    "source_priority": MergeRule.source_priority(["crm", "web"], column="source"),
    "longest": MergeRule.longest(),
    "first_non_null": MergeRule.first_non_null(),
    "valid_first": MergeRule.valid_first("phone", region="gb"),
    "from_master": MergeRule.from_master(),
    "consensus": MergeRule.consensus(),
    "most_recent_value": MergeRule.most_recent_value(),
    "best_form": MergeRule.best_form(),
    "standardize": MergeRule.standardize(),
    "partner": MergeRule.partner("name_local"),
}


def full_strategy() -> MergeStrategy:
    """A strategy that sets every attribute to something other than its default."""
    return MergeStrategy(
        rules={"phone": [EVERY_RULE["valid_first"], "from_master"],
               "name": list(EVERY_RULE.values()), "street": "longest"},
        default=("most_frequent", "first_non_null"),
        master=(MergeRule.source_priority(), "most_complete", MergeRule.oldest()),
        multi_valued=("email", "phone"),
        groups=(("street", "city"),),
        kinds={"email": "email", "name": "full_name"},
        source_priority=("crm", "web"),
        source_column="source",
        date_column="updated_at",
        created_column="created_at",
        date_format="%m/%d/%Y",
        region="US",
    )  # fmt: skip


def test_every_rule_name_round_trips_through_a_dict_and_json() -> None:
    assert set(EVERY_RULE) == set(RULE_NAMES) - {"custom"}
    for name, rule in EVERY_RULE.items():
        data = rule.to_dict()
        assert data["name"] == name
        assert json.loads(json.dumps(data)) == data
        assert MergeRule.from_dict(data) == rule
        assert MergeRule.from_json(rule.to_json()) == rule
    assert EVERY_RULE["valid_first"].to_dict() == {
        "name": "valid_first", "kind": "phone", "region": "GB"
    }  # fmt: skip


def test_every_strategy_attribute_round_trips() -> None:
    strategy = full_strategy()
    plain = MergeStrategy()
    for field in attrs.fields(MergeStrategy):
        assert getattr(strategy, field.name) != getattr(plain, field.name), field.name
    data = strategy.to_dict()
    assert data["version"] == 1
    assert {f.name for f in attrs.fields(MergeStrategy)} == set(data) - {"version"}
    assert json.loads(json.dumps(data)) == data  # JSON-ready as it is
    again = MergeStrategy.from_dict(data)
    assert again == strategy
    assert hash(again) == hash(strategy)
    assert MergeStrategy.from_json(strategy.to_json()) == strategy
    assert MergeStrategy.from_json(strategy.to_json(indent=None).encode()) == strategy
    assert attrs.evolve(strategy, region="GB") != strategy


def test_default_strategies_round_trip_and_merge_the_same() -> None:
    records = [
        {"id": 1, "First Name": "JO", "Email": "info@acme.com", "Phone": "415 555 2671",
         "Job Title": "CEO", "Last Modified Date": "2023-01-01", "Source": "web"},
        {"id": 2, "First Name": "Jo", "Email": "jo@acme.com", "Phone": "+1 415-555-2671",
         "Job Title": "Founder", "Last Modified Date": "2024-01-01", "Source": "crm"},
    ]  # fmt: skip
    strategy = MergeStrategy.default_for(list(records[0]), source_priority=["crm"], region="US")
    again = MergeStrategy.from_json(strategy.to_json())
    assert again == strategy
    first = merge(records, {1: "a", 2: "a"}, id_column="id", strategy=strategy)
    second = merge(records, {1: "a", 2: "a"}, id_column="id", strategy=again)
    for table in ("golden", "lineage", "plan", "conflicts"):
        assert getattr(first, table).equals(getattr(second, table)), table


def test_a_strategy_may_be_written_by_hand() -> None:
    strategy = MergeStrategy.from_dict(
        {"rules": {"title": ["most_recent", {"name": "from_master"}], "city": "longest"},
         "date_column": "updated_at"}
    )  # fmt: skip
    assert strategy.chain_for("title") == (MergeRule.most_recent(), MergeRule.from_master())
    assert strategy.chain_for("city") == (MergeRule.longest(),)
    assert MergeStrategy.from_dict({}) == MergeStrategy()


def prefer_gold(values: list[Any], rows: list[dict[str, Any]]) -> int:
    return 0


def test_a_custom_rule_cannot_be_saved_and_the_error_names_its_field() -> None:
    with pytest.raises(ConfigError, match="'prefer_gold' is a Python function"):
        MergeRule.custom(prefer_gold).to_dict()
    strategy = MergeStrategy(rules={"Job Title": ["longest", prefer_gold]})
    with pytest.raises(ConfigError, match=r"field 'Job Title'.*custom rule"):
        strategy.to_dict()
    with pytest.raises(ConfigError, match="the master chain"):
        MergeStrategy(master=[prefer_gold]).to_json()
    with pytest.raises(ConfigError, match="the default chain"):
        MergeStrategy(default=[prefer_gold]).to_json()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rulez": {}}, "unknown merge strategy key.*rulez"),
        ({"version": 2}, "unsupported merge strategy version 2"),
        ({"rules": {"title": ["longets"]}}, "field 'title'.*unknown merge rule 'longets'"),
        ({"rules": {"title": [{"name": "longest", "colum": "x"}]}},
         "field 'title'.*unknown merge rule key.*colum"),
        ({"rules": {"title": [{"column": "x"}]}}, "needs a name"),
        ({"rules": {"title": [{"name": "custom"}]}}, "custom merge rule"),
        ({"rules": {"title": [{"name": "longest", "func": "len"}]}}, "key.*func"),
        ({"rules": {"title": [3]}}, "rule name"),
        ({"rules": ["title"]}, "JSON object"),
        ({"master": ["longest"]}, "cannot pick the master"),
        ({"kinds": {"v": "colour"}}, "unknown value kind 'colour'"),
        ({"rules": {"v": [{"name": "valid_first", "kind": "colour"}]}}, "unknown value kind"),
        ({"region": "XX"}, "unknown region code"),
        ({"multi_valued": "email"}, "invalid merge strategy: multi_valued"),
        ({"rules": {"v": [{"name": "source_priority", "order": "crm"}]}}, "invalid merge rule"),
        ([], "must be a JSON object"),
    ],
)  # fmt: skip
def test_bad_saved_strategies_are_config_errors_naming_the_problem(
    data: Any, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        MergeStrategy.from_dict(data)


def test_bad_json_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not valid JSON"):
        MergeStrategy.from_json("{rules")
    with pytest.raises(ConfigError, match="not valid JSON"):
        MergeRule.from_json(b"\xff")
    with pytest.raises(ConfigError, match="must be a JSON object"):
        MergeRule.from_json('"longest"')


# --- the tables -----------------------------------------------------------------------------------


def test_value_kinds_are_one_read_only_table_of_self_contained_kinds() -> None:
    assert set(VALUE_KINDS) == {"email", "phone", "name", "full_name", "title", "text"}
    assert isinstance(VALUE_KINDS, MappingProxyType)
    with pytest.raises(TypeError):
        VALUE_KINDS["colour"] = VALUE_KINDS["text"]  # type: ignore[index]
    for name, kind in VALUE_KINDS.items():
        assert isinstance(kind, ValueKind)
        assert kind.name == name
        assert kind.grade(kind.normalize(None, None)) == 0.0  # an empty value is not valid
    phone = VALUE_KINDS["phone"]
    assert phone.cache_key is not None
    assert phone.cache_key("(415) 555-2671") == phone.cache_key("415.555.2671")
    assert phone.equality_key is not None
    assert phone.equality_key(phone.normalize("+1 415 555 2671", None), "x") == "+14155552671"
    name = VALUE_KINDS["name"]
    grades = [name.grade(name.normalize(v, None)) for v in ("Jonathan", "JONATHAN", "J.")]
    assert grades == sorted(grades, reverse=True)
    assert grades[0] > grades[-1] > 0
    assert VALUE_KINDS["text"].equality_key is None  # compared as text


def test_a_survivorship_rule_is_one_key_function_and_one_table_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def shortest(ctx: Any, rule: MergeRule, field: str | None, need: Any) -> Any:
        assert field is not None
        lengths = [len(str(v)) for v in ctx.values(field).tolist()]
        return -np.array(lengths, dtype=np.float64)

    table = {**merge_module._RULE_KEYS, "shortest": shortest}
    monkeypatch.setattr(merge_module, "_RULE_KEYS", MappingProxyType(table))
    records = [{"id": 1, "name": "Jonathan"}, {"id": 2, "name": "Jon"}]
    result = merge(records, {1: "a", 2: "a"}, id_column="id",
                   strategy=MergeStrategy(rules={"name": "shortest"}))  # fmt: skip
    assert result.golden["name"].tolist() == ["Jon"]
    assert result.lineage["rule"].tolist() == ["shortest", "shortest"]
    assert MergeRule.from_dict({"name": "shortest"}).to_dict() == {"name": "shortest"}


def test_rule_names_come_from_the_table() -> None:
    assert (*merge_module._RULE_KEYS, "custom") == RULE_NAMES
    with pytest.raises(ConfigError, match=r"rules are: most_complete, .*, custom"):
        MergeRule("shortest")


# --- the command line ---------------------------------------------------------------------------


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _clusters(tmp_path: Path) -> Path:
    path = tmp_path / "clusters.csv"
    path.write_text("Record ID,cluster_id\n" + "".join(
        f"{r['Record ID']},{'1001' if r['Record ID'] in ('1001', '1002') else r['Record ID']}\n"
        for r in _read(EXAMPLE)), encoding="utf-8")  # fmt: skip
    return path


def test_merge_uses_a_saved_strategy(tmp_path: Path) -> None:
    strategy = MergeStrategy(
        rules={"Job Title": "longest"},
        master=(MergeRule.source_priority(), "first_non_null"),
        source_column="Original Source",
        source_priority=("Salesforce",),
    )
    saved = tmp_path / "strategy.json"
    saved.write_text(strategy.to_json(), encoding="utf-8")
    base = ["merge", str(EXAMPLE), "--clusters", str(_clusters(tmp_path)), "--id-column",
            "Record ID", "--strategy", str(saved), "--quiet"]  # fmt: skip
    assert main([*base, "--out", str(tmp_path / "a")]) == 0
    golden = {r["cluster_id"]: r for r in _read(tmp_path / "a" / "golden.csv")}
    jane = golden["1001"]
    assert jane["Record ID"] == "1001"  # from Salesforce
    assert jane["First Name"] == "jane"  # the master's, as the strategy's default says
    assert jane["Job Title"] == "Chief Executive Officer"  # the longest
    # --source-priority replaces the file's order
    assert main([*base, "--out", str(tmp_path / "b"), "--source-priority", "HubSpot"]) == 0
    golden = {r["cluster_id"]: r for r in _read(tmp_path / "b" / "golden.csv")}
    assert golden["1001"]["Record ID"] == "1002"


def test_clean_uses_a_saved_strategy(tmp_path: Path) -> None:
    saved = tmp_path / "strategy.json"
    saved.write_text(MergeStrategy(master=["first_non_null"]).to_json(), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(EXAMPLE), "--out", str(out), "--strategy", str(saved),
                 "--quiet"]) == 0  # fmt: skip
    plan = _read(out / "merge_plan.csv")
    assert plan
    assert all(r["master_rule"] in ("first_non_null", "only_value") for r in plan)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "cannot read strategy file"),
        ("{not json", "is not valid JSON"),
        ('{"rules": {"Job Title": ["newest"]}}', "unknown merge rule 'newest'"),
        ('{"master": [{"name": "most_recent", "column": "Nope"}]}', "'Nope'"),
    ],
)
@pytest.mark.parametrize("command", ["merge", "clean"])
def test_a_bad_strategy_file_is_one_line_and_exit_status_2(
    command: str, text: str | None, message: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    saved = tmp_path / "strategy.json"
    if text is not None:
        saved.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    argv = [command, str(EXAMPLE), "--out", str(out), "--strategy", str(saved), "--quiet"]
    if command == "merge":
        argv += ["--clusters", str(_clusters(tmp_path)), "--id-column", "Record ID"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("crmclean: error:")
    assert message in err[0]
    assert not out.exists() or not any(out.iterdir())
