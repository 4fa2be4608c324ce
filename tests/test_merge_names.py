"""Golden names: prefixes and suffixes in fields of their own, a name in two scripts."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from crmclean.cli import main
from crmclean.columns import detect_roles
from crmclean.merge import MergeRule, MergeStrategy, merge, unmerge
from tables import rows

ROOT = Path(__file__).resolve().parents[1]
DAYS = [f"2025-0{m}-01" for m in range(1, 10)]


def records(**columns: list[Any]) -> list[dict[str, Any]]:
    """Records r0, r1, ...; later records are more recent."""
    n = len(next(iter(columns.values())))
    return [
        {"id": f"r{i}", **{k: v[i] for k, v in columns.items()}, "updated_at": DAYS[i]}
        for i in range(n)
    ]


def merged(recs: list[dict[str, Any]], clusters: dict[str, str] | None = None,
           strategy: MergeStrategy | None = None) -> Any:  # fmt: skip
    clusters = clusters or {r["id"]: "c" for r in recs}
    result = merge(recs, clusters, id_column="id", strategy=strategy)
    assert unmerge(result) == recs  # lossless, whatever the golden record holds
    return result


def golden_row(recs: list[dict[str, Any]], strategy: MergeStrategy | None = None) -> Any:
    (row,) = rows(merged(recs, strategy=strategy).golden)
    return row


# --- prefixes, generational suffixes and credentials ------------------------------------------


def test_prefixes_and_post_nominals_go_to_fields_of_their_own_not_into_the_name() -> None:
    recs = records(first_name=["Dr. Priya", "priya"], last_name=["Patel PhD", "PATEL"],
                   email=["priya@outlook.com", "priya+events@outlook.com"])  # fmt: skip
    result = merged(recs)
    (row,) = rows(result.golden)
    assert (row["first_name"], row["last_name"]) == ("Priya", "Patel")
    assert (row["salutation"], row["credentials"]) == ("Dr.", "PhD")
    assert "name_suffix" not in row  # no record of the table has one
    (plan,) = rows(result.plan)
    assert (plan["salutation"], plan["salutation_source"]) == ("Dr.", "r0")
    # the lineage holds the records' own cells, as typed
    lineage = rows(result.lineage)
    assert {r["field"] for r in lineage} == {"first_name", "last_name", "email", "updated_at"}
    assert ("first_name", "Dr. Priya") in {(r["field"], r["value"]) for r in lineage}


def test_a_generational_suffix_is_kept_apart_from_the_family_name() -> None:
    recs = records(first_name=["John", "Ann"], last_name=["King Jr.", "Lee"])
    result = merged(recs, {"r0": "a", "r1": "b"})
    got = {r["cluster_id"]: (r["last_name"], r["name_suffix"]) for r in rows(result.golden)}
    # King is a title before a name, but here it is the name: the suffix is read first
    assert got == {"a": ("King", "Jr."), "b": ("Lee", None)}


def test_several_affixes_and_the_choice_between_records() -> None:
    recs = records(first_name=["Prof. Dr. Hans", "Hans", "Dr. Hans"],
                   last_name=["Weber", "Weber MD", "Weber MD"])  # fmt: skip
    result = merged(recs)
    (row,) = rows(result.golden)
    assert (row["first_name"], row["last_name"]) == ("Hans", "Weber")
    assert row["credentials"] == "MD"
    # Prof. Dr. and Dr.: different values, the newest record's wins, and the plan says so
    assert row["salutation"] == "Dr."
    explained = {e["field"]: e for e in rows(result.explanations)}
    assert explained["salutation"]["beaten"] == ["Prof. Dr."]


def test_affix_fields_appear_only_when_some_record_holds_an_affix() -> None:
    row = golden_row(records(first_name=["Ann", "ANN"], last_name=["Lee", "Lee"]))
    assert not {"salutation", "name_suffix", "credentials"} & set(row)
    # a surname that is also a post-nominal stays the name (Wei Ma)
    row = golden_row(records(first_name=["Wei Ma", "Wei Ma"], last_name=["Zhang", "Zhang"]))
    assert row["first_name"] == "Wei Ma"
    assert "credentials" not in row


def test_a_table_with_its_own_salutation_column_merges_that_column() -> None:
    recs = records(Salutation=["Ms.", None], first_name=["Dr. Ann", "Ann"],
                   last_name=["Lee", "Lee"])  # fmt: skip
    row = golden_row(recs)
    assert row["Salutation"] == "Ms."
    assert "salutation" not in row  # no second column for the role


def test_the_affix_fields_take_rules_from_the_strategy_saved_as_json() -> None:
    recs = records(first_name=["Dr. Ann", "Prof. Ann", "Dr. Ann"], last_name=["Lee"] * 3)
    default = MergeStrategy.default_for(list(recs[0]))
    assert golden_row(recs, default)["salutation"] == "Dr."  # the records agree on Dr.
    oldest_first = MergeStrategy.from_json(MergeStrategy(
        rules={**default.rules, "salutation": [MergeRule.first_non_null()]},
        date_column="updated_at").to_json())  # fmt: skip
    recs = records(first_name=["Prof. Ann", "Dr. Ann", "Dr. Ann"], last_name=["Lee"] * 3)
    assert golden_row(recs, oldest_first)["salutation"] == "Prof."


def test_the_example_golden_rows_keep_titles_and_suffixes_in_their_fields(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    assert main(["clean", str(ROOT / "examples" / "contacts.csv"), "--out", str(out),
                 "--quiet"]) == 0  # fmt: skip
    with (out / "golden.csv").open(encoding="utf-8", newline="") as fh:
        golden = {r["cluster_id"]: r for r in csv.DictReader(fh)}
    priya = golden["1025"]
    assert (priya["First Name"], priya["Last Name"]) == ("Priya", "Patel")
    assert (priya["salutation"], priya["credentials"]) == ("Dr.", "PhD")
    assert (golden["1017"]["Last Name"], golden["1017"]["name_suffix"]) == ("McDonald", "Jr.")
    assert golden["1001"]["salutation"] == ""  # an empty cell for the others


# --- a name in its own script and in Latin letters --------------------------------------------


def test_native_and_latin_name_columns_are_detected_as_a_pair() -> None:
    assert detect_roles(["Фамилия", "Имя", "Last name", "First name"]) == {
        "first_name": "Имя", "last_name": "Фамилия", "first_name_latin": "First name",
        "last_name_latin": "Last name",
    }  # fmt: skip
    assert detect_roles(["FirstName", "LastName", "FirstNameLocal", "LastNameLocal"]) == {
        "first_name": "FirstName", "last_name": "LastName",
        "first_name_local": "FirstNameLocal", "last_name_local": "LastNameLocal",
    }  # fmt: skip
    assert detect_roles(["Last Name", "姓"])["last_name_local"] == "姓"
    assert detect_roles(["姓", "名", "姓（ローマ字）", "名（ローマ字）"]) == {
        "first_name": "名", "last_name": "姓", "first_name_latin": "名（ローマ字）",
        "last_name_latin": "姓（ローマ字）",
    }  # fmt: skip


def test_the_latin_name_is_the_one_that_spells_the_native_name_kept() -> None:
    # a married name: the newest record's Смирнова wins, and so does its Latin spelling,
    # although more records hold Ivanova
    recs = records(Фамилия=["Иванова", "Иванова", "Смирнова"],
                   **{"Last name": ["Ivanova", "Ivanova", "Smirnova"]})  # fmt: skip
    result = merged(recs)
    (row,) = rows(result.golden)
    assert (row["Фамилия"], row["Last name"]) == ("Смирнова", "Smirnova")
    assert next(e["rule"] for e in rows(result.explanations) if e["field"] == "Last name") == (
        "partner")
    # two spellings of 王: the one its transliteration gives (Wang) over Wong, though newer
    recs = records(LastNameLocal=["王", "王"], LastName=["Wang", "Wong"])
    assert golden_row(recs)["LastName"] == "Wang"


def test_a_latin_name_without_a_transliteration_comes_from_the_native_names_record() -> None:
    # kanji are not romaji: 田中 is kept, and the Latin name of a record holding it
    recs = records(姓=["田中", "田中", "鈴木"], **{"Last Name": ["TANAKA", "Tanaka", "Suzuki"]})
    recs[2]["updated_at"] = "2024-01-01"  # the oldest
    row = golden_row(recs)
    assert (row["姓"], row["Last Name"]) == ("田中", "Tanaka")


def test_another_script_never_wins_the_latin_column() -> None:
    recs = records(Фамилия=["Петров", "Петров"], **{"Last name": ["Petrov", "Петров"]})
    assert golden_row(recs)["Last name"] == "Petrov"


def test_in_one_column_the_native_form_wins_and_the_latin_fold_stays_in_the_lineage() -> None:
    cases = {
        "cyrillic": (["Ivan", "Иван"], ["Petrov", "Петров"], ("Иван", "Петров")),
        "turkish": (["Cagla", "Çağla"], ["Yilmaz", "Yılmaz"], ("Çağla", "Yılmaz")),
        "chinese": (["Wei", "伟"], ["Wang", "王"], ("伟", "王")),
        "japanese": (["太郎", "Taro"], ["田中", "Tanaka"], ("太郎", "田中")),
    }
    for script, (first, last, expected) in cases.items():
        result = merged(records(first_name=first, last_name=last))
        (row,) = rows(result.golden)
        assert (row["first_name"], row["last_name"]) == expected, script
        kept = {r["value"] for r in rows(result.lineage) if r["field"] == "last_name"}
        assert kept == set(last), script  # the Latin spelling too, as typed
