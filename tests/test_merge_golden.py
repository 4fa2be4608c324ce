"""Golden records by consensus and quality: each rule built from a defect a user met."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from crmclean.cli import main
from crmclean.merge import MergeRule, MergeStrategy, merge, unmerge
from tables import rows

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "contacts.csv"
DAYS = [f"2025-0{m}-01" for m in range(1, 10)]


def cluster(**columns: list[Any]) -> list[dict[str, Any]]:
    """One cluster's records r0, r1, ...; later records are more recent."""
    n = len(next(iter(columns.values())))
    return [
        {"id": f"r{i}", **{k: v[i] for k, v in columns.items()}, "updated_at": DAYS[i]}
        for i in range(n)
    ]


def golden(records: list[dict[str, Any]], strategy: MergeStrategy | None = None) -> Any:
    """The one golden row of a cluster, its lineage and explanations (lists of dicts)."""
    strategy = strategy or MergeStrategy.default_for(list(records[0]))
    result = merge(records, {r["id"]: "c" for r in records}, id_column="id", strategy=strategy)
    assert unmerge(result) == records  # lossless, whatever the rules did
    (row,) = rows(result.golden)
    return row, rows(result.lineage), rows(result.explanations)


def rule_of(lineage: list[dict[str, Any]], field: str) -> str:
    return str(next(r["rule"] for r in lineage if r["field"] == field))


# --- consensus ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "values", "expected"),
    [
        ("last_name", ["Lopez", "Lopez", "Lopez", "Loopez"], "Lopez"),
        ("first_name", ["Maria Cecília"] * 4 + ["Mariia Cecília"], "Maria Cecília"),
        ("first_name", ["Cameron", "Cameron", "CCameron"], "Cameron"),
    ],
)
def test_a_value_several_records_hold_beats_a_lone_variant_one_edit_away(
    field: str, values: list[str], expected: str
) -> None:
    other = "last_name" if field == "first_name" else "first_name"
    row, lineage, _ = golden(cluster(**{field: values, other: ["Ana"] * len(values)}))
    assert row[field] == expected  # although the variant is the most recent value
    assert rule_of(lineage, field) == "consensus"


def test_a_lone_typo_loses_to_the_spelling_the_email_confirms() -> None:
    records = cluster(first_name=["Maria", "Maria"], last_name=["Lopez", "Loopez"],
                      email=["maria.lopez@gmail.com", "maria.lopez@gmail.com"])  # fmt: skip
    row, _, _ = golden(records)
    assert row["last_name"] == "Lopez"


def test_genuinely_different_values_are_still_decided_by_recency() -> None:
    # a married name and a new employer: the newest record's values win
    records = cluster(first_name=["Anna", "Anna", "Anna"], last_name=["Smith", "Smith", "Jones"],
                      company=["Acme Corp", "Acme Corp", "Globex LLC"])  # fmt: skip
    row, lineage, _ = golden(records)
    assert (row["last_name"], row["company"]) == ("Jones", "Globex LLC")
    assert rule_of(lineage, "company") == "most_recent"


def test_a_record_with_first_and_last_names_swapped_is_read_as_swapped() -> None:
    records = cluster(first_name=["Maria", "Maria", "Lopez"], last_name=["Lopez", "Lopez", "Maria"])
    row, _, _ = golden(records)
    assert (row["first_name"], row["last_name"]) == ("Maria", "Lopez")
    # two records, one swapped: the known given name and the email address decide
    records = cluster(first_name=["Lopez", "Maria"], last_name=["Maria", "Lopez"],
                      email=["m.lopez@acme.com", "maria.lopez@acme.com"])  # fmt: skip
    row, _, _ = golden(records, MergeStrategy(
        rules={"first_name": ["consensus", "most_recent"],
               "last_name": ["consensus", "most_recent"]}, date_column="updated_at"))  # fmt: skip
    assert (row["first_name"], row["last_name"]) == ("Maria", "Lopez")


def test_an_initial_never_beats_the_full_name_it_abbreviates() -> None:
    strategy = MergeStrategy(rules={"first_name": ["consensus", "most_recent"]},
                             date_column="updated_at")  # fmt: skip
    row, lineage, _ = golden(cluster(first_name=["Maria", "M."]), strategy)
    assert row["first_name"] == "Maria"
    assert rule_of(lineage, "first_name") == "consensus"


# --- quality of the form -----------------------------------------------------------------------


def test_diacritics_and_native_script_beat_their_ascii_fold() -> None:
    records = cluster(first_name=["Ismail", "Ismail"], last_name=["Yılmaz", "Yilmaz"],
                      company=["Yılmaz Tekstil A.Ş.", "Yilmaz Tekstil AS"])  # fmt: skip
    row, lineage, explained = golden(records)
    assert (row["last_name"], row["company"]) == ("Yılmaz", "Yılmaz Tekstil A.Ş.")
    assert rule_of(lineage, "company") == "best_form"
    company = next(e for e in explained if e["field"] == "company")
    assert (company["rule"], company["source_id"], company["beaten"]) == (
        "best_form", "r0", ["Yilmaz Tekstil AS"],
    )  # fmt: skip
    row, _, _ = golden(cluster(first_name=["Ivan", "Иван"], last_name=["Petrov", "Петров"]))
    assert (row["first_name"], row["last_name"]) == ("Иван", "Петров")


def test_a_turkish_record_in_capitals_keeps_its_dotless_i() -> None:
    # İSMAİL is typed with Turkish letters, so the I of YILMAZ is the dotless ı
    records = cluster(first_name=["İSMAİL", "Ismail"], last_name=["YILMAZ", "Yilmaz"])
    row, lineage, _ = golden(records)
    assert (row["first_name"], row["last_name"]) == ("İsmail", "Yılmaz")
    assert {r["value"] for r in lineage if r["field"] == "last_name"} == {"YILMAZ", "Yilmaz"}
    # capitals of a record without Turkish letters are English ones
    row, _, _ = golden(cluster(first_name=["JAMES", "James"], last_name=["SMITH", "Smith"]))
    assert (row["first_name"], row["last_name"]) == ("James", "Smith")


def test_umlauts_beat_their_transliteration() -> None:
    row, _, _ = golden(cluster(first_name=["Hans", "Hans"], last_name=["Müller", "Mueller"],
                               email=["hans.mueller@web.de", "h.mueller@mueller.de"]))
    assert row["last_name"] == "Müller"
    row, _, _ = golden(cluster(first_name=["Jürgen", "Juergen", "Juergen"],
                               last_name=["Weber", "Weber", "Weber"]))  # fmt: skip
    assert row["first_name"] == "Jürgen"


def test_the_most_complete_street_line_beats_a_fragment_and_an_ascii_fold() -> None:
    row, _, _ = golden(cluster(street=["12 M.G. Road", "12"], city=["Bengaluru", "Bangalore"]))
    assert (row["street"], row["city"]) == ("12 M.G. Road", "Bengaluru")  # one record's address
    row, _, _ = golden(cluster(street=["Büyükdere Cad. No:185", "Buyukdere Caddesi 185"]))
    assert row["street"] == "Büyükdere Cad. No:185"


def test_a_valid_email_beats_a_typo_domain_and_a_certain_typo_is_corrected() -> None:
    records = cluster(email=["ismail.yilmaz@hotmial.com", "ismail@yilmaztekstil.com.tr"])
    row, _, _ = golden(list(reversed(records)))
    assert row["email"] == "ismail@yilmaztekstil.com.tr"
    # every address is kept, a certain typo of its domain corrected; the lineage holds it as
    # it was typed
    assert row["email_all"] == ["ismail@yilmaztekstil.com.tr", "ismail.yilmaz@hotmail.com"]
    row, lineage, _ = golden(cluster(email=["emily.clark@yahoo.com", "emily.clark@yaho.com"]))
    assert row["email"] == "emily.clark@yahoo.com"
    assert row["email_all"] == ["emily.clark@yahoo.com"]  # one mailbox
    assert {r["value"] for r in lineage if r["field"] == "email"} == {
        "emily.clark@yahoo.com", "emily.clark@yaho.com"}
    strategy = MergeStrategy(rules={"email": ["valid_first", "standardize"]})
    row, lineage, _ = golden(cluster(email=["noah.brown@gmail.con", "NOAH.BROWN@gmail.con"]),
                             strategy)  # fmt: skip
    assert row["email"] == "noah.brown@gmail.com"  # a known misspelling of the domain
    assert {r["value"] for r in lineage if r["field"] == "email"} == {
        "noah.brown@gmail.con", "NOAH.BROWN@gmail.con"}


def test_titles_and_suffixes_leave_the_name_and_standardize_gives_standard_values() -> None:
    records = cluster(first_name=["Dr. Priya", "priya"], last_name=["Patel PhD", "patel"],
                      phone=["+91 98450 12345", "098450 12345"],
                      title=["Chief Technology Officer", "CTO"],
                      street=["12, MG Road", "12 M.G. Road"])  # fmt: skip
    standard = MergeStrategy.default_for(list(records[0]), region="IN")
    rules = {f: (*standard.chain_for(f), MergeRule("standardize"))
             for f in ("first_name", "last_name", "phone", "title", "street")}  # fmt: skip
    strategy = MergeStrategy.from_json(
        MergeStrategy(**{**_attributes(standard), "rules": {**standard.rules, **rules}}).to_json()
    )  # saved as JSON and read back
    row, lineage, _ = golden(records, strategy)
    assert (row["first_name"], row["last_name"]) == ("Priya", "Patel")
    assert row["phone"] == "+919845012345"
    assert row["phone_all"] == ["+919845012345"]
    assert row["title"] == "Chief Technology Officer"
    assert row["street"] == "12 M.G. Road"
    originals = {(r["field"], r["value"]) for r in lineage}
    assert ("title", "CTO") in originals
    assert ("first_name", "Dr. Priya") in originals


def test_the_default_rules_standardize_streets_and_phones_in_each_records_own_country() -> None:
    us = cluster(street=["123 north main street apartment 4", "123 N. Main Street Apt 4"],
                 phone=["(415) 555-2671", "415.555.2671"], country=["USA", "United States"])
    india = cluster(street=["12 M.G. Road", "12 M.G. Road"], phone=["098450 12345"] * 2,
                    country=["India", "IN"])  # fmt: skip
    unknown = cluster(street=["12 M.G. Road", "12 M.G. Road"], phone=["098450 12345"] * 2,
                      country=[None, None])  # fmt: skip
    records = [{**r, "id": f"{k}{r['id']}"} for k, part in
               (("us", us), ("in", india), ("x", unknown)) for r in part]  # fmt: skip
    result = merge(records, {r["id"]: r["id"][:2] for r in records}, id_column="id",
                   strategy=MergeStrategy.default_for(list(records[0])))  # fmt: skip
    assert unmerge(result) == records
    got = {r["cluster_id"]: (r["street"], r["phone"]) for r in rows(result.golden)}
    assert got == {
        "us": ("123 N Main St Apt 4", "+14155552671"),
        "in": ("12 M.G. Road", "+919845012345"),  # no US abbreviations in India
        "xr": ("12 M.G. Road", "098450 12345"),  # a country unknown: as written
    }


def _attributes(strategy: MergeStrategy) -> dict[str, Any]:
    import attrs

    return {f.name: getattr(strategy, f.name) for f in attrs.fields(MergeStrategy)}


def test_new_rules_are_saved_in_a_strategy_and_name_their_kind() -> None:
    strategy = MergeStrategy(rules={"v": [MergeRule("consensus", kind="name"), "most_frequent",
                                          MergeRule("best_form"), MergeRule("standardize")]})
    again = MergeStrategy.from_json(strategy.to_json())
    assert again == strategy
    assert [r.label for r in again.chain_for("v")] == [
        "consensus", "most_frequent", "best_form", "standardize",
    ]  # fmt: skip


def test_every_choice_is_explained_with_the_rule_and_what_it_beat() -> None:
    records = cluster(last_name=["Lopez", "Lopez", "Loopez"], first_name=["Ana", "Ana", "Ana"],
                      email=["ana@acme.com", "info@acme.com", "ana@acme.com"])  # fmt: skip
    _, _, explained = golden(records)
    by_field = {e["field"]: e for e in explained}
    assert set(by_field) == {"last_name", "email"}  # the first name never differed
    assert (by_field["last_name"]["value"], by_field["last_name"]["rule"],
            by_field["last_name"]["beaten"]) == ("Lopez", "consensus", ["Loopez"])  # fmt: skip
    assert by_field["email"]["beaten"] == ["info@acme.com"]


# --- the bundled example, as a user sees it ----------------------------------------------------


def test_the_example_golden_rows_keep_the_values_a_careful_person_would(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["clean", str(EXAMPLE), "--out", str(out), "--quiet"]) == 0
    with (out / "golden.csv").open(encoding="utf-8", newline="") as fh:
        golden_rows = {r["cluster_id"]: r for r in csv.DictReader(fh)}
    with (out / "lineage.csv").open(encoding="utf-8", newline="") as fh:
        typed = {(r["source_id"], r["field"]): r["value"] for r in csv.DictReader(fh)}
    ismail = golden_rows["1008"]
    # İSMAİL YILMAZ and Ismail Yilmaz: the Turkish letters are kept, the capitals cased
    assert (ismail["First Name"], ismail["Last Name"]) == ("İsmail", "Yılmaz")
    assert ismail["Email"] == "ismail@yilmaztekstil.com.tr"
    assert ismail["Email_all"] == "ismail@yilmaztekstil.com.tr;ismail.yilmaz@hotmail.com"
    assert ismail["Phone Number"] == "+902125551234"
    assert ismail["Company Name"] == "Yılmaz Tekstil A.Ş."
    assert ismail["Street Address"] == "Büyükdere Cad. 185"
    assert ismail["City"] == "İstanbul"  # the address comes from one record
    assert (typed["1008", "Last Name"], typed["1008", "Email"]) == (
        "YILMAZ", "ismail.yilmaz@hotmial.com")  # the lineage keeps the values as typed
    hans = golden_rows["1013"]
    assert (hans["Last Name"], hans["Street Address"]) == ("Müller", "Hauptstraße 5")
    emily = golden_rows["1036"]
    assert emily["Email"] == "emily.clark@yahoo.com"
    assert emily["Street Address"] == "350 Fifth Ave"
    assert typed["1036", "Email"] == "emily.clark@yaho.com"  # nothing lost
    jane = golden_rows["1001"]
    assert (jane["First Name"], jane["Last Name"]) == ("Jane", "Smith")
    assert (jane["Email"], jane["Phone Number"]) == ("jane.smith@acme-corp.com", "+14155552671")
    assert jane["Job Title"] == "Chief Executive Officer"
    bob = golden_rows["1004"]
    assert bob["Phone Number"] == "+14158920198 ext. 123"  # the extension kept
    assert bob["Street Address"] == "500 Market St Ste 200"
    priya = golden_rows["1025"]
    # no title or post-nominal in the name; an Indian street line is not US-abbreviated
    assert (priya["First Name"], priya["Last Name"]) == ("Priya", "Patel")
    assert (priya["Phone Number"], priya["Street Address"]) == ("+919876543210", "12 M.G. Road")
    assert golden_rows["1012"]["Street Address"] == "千代田区丸の内1-1-1"  # the ward kept
    assert golden_rows["1033"]["State/Region"] == "CDMX"
    assert golden_rows["1039"]["Email"] == "noah.brown@gmail.com"  # gmail.con corrected
    assert golden_rows["1017"]["Last Name"] == "McDonald"


# --- the golden-record benchmark -----------------------------------------------------------------


def test_the_golden_benchmark_damages_values_and_scores_the_policies() -> None:
    from benchscripts import load

    bench = load("bench_golden")
    records, clusters, truths = bench.generate(300, seed=5)
    assert records == bench.generate(300, seed=5)[0]  # deterministic
    assert set(clusters.values()) == set(truths)
    damaged = sum(
        any(r[f] != truths[clusters[r["id"]]][f] for f in bench.FIELDS) for r in records
    )
    assert damaged > len(records) // 4  # the benchmark is not trivial
    default = merge(records, clusters, id_column="id",
                    strategy=MergeStrategy.default_for(list(records[0])))  # fmt: skip
    recent = merge(records, clusters, id_column="id", strategy=MergeStrategy(
        default=(MergeRule.most_recent(),), date_column="updated_at"))  # fmt: skip
    share, _ = bench.score(default, truths)
    baseline, _ = bench.score(recent, truths)
    assert share >= 0.99 > baseline
