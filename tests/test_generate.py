"""The benchmark's synthetic contact generator (benchmarks/generate.py)."""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter, defaultdict

import pytest

from benchscripts import BENCH, load

gen = load("generate")

COUNTRY_NAMES = {
    "US": {"United States", "USA", "US", "U.S.", "United States of America", "U.S.A."},
    "UK": {"United Kingdom", "UK", "GB", "Great Britain", "England", "U.K."},
    "DE": {"Germany", "Deutschland", "DE", "GER", "Federal Republic of Germany"},
    "FR": {"France", "FR", "République française", "FRA"},
    "RU": {"Russia", "Russian Federation", "Россия", "RU", "RUS", "Российская Федерация"},
    "TR": {"Turkey", "Türkiye", "TR", "Turkiye", "TUR"},
    "CN": {"China", "CN", "中国", "PRC", "People's Republic of China", "CHN"},
    "JP": {"Japan", "JP", "日本", "JPN"},
    "BR": {"Brazil", "Brasil", "BR", "BRA"},
}


@pytest.fixture(scope="module")
def table() -> dict[str, list]:
    return gen.generate_contacts(6000, seed=11, with_noise=True)


@pytest.fixture(scope="module")
def by_entity(table) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, e in enumerate(table["true_entity"]):
        groups[e].append(i)
    return groups


def _digits(value: str | None) -> str:
    return re.sub(r"\D", "", (value or "").split(" ext")[0].split(" x")[0])


@pytest.mark.parametrize("n", [0, 1, 7, 500])
def test_row_count_and_columns(n):
    cols = gen.generate_contacts(n, seed=3)
    assert tuple(cols) == gen.COLUMNS
    assert all(len(v) == n for v in cols.values())


def test_hubspot_style_columns():
    assert gen.COLUMNS[:4] == ("record_id", "First Name", "Last Name", "Email")
    assert "Phone Number" in gen.COLUMNS
    assert "State/Region" in gen.COLUMNS
    assert gen.COLUMNS[-1] == "true_entity"
    assert "true_entity" not in gen.DATA_COLUMNS
    assert "record_id" not in gen.DATA_COLUMNS


def test_same_seed_same_table_and_other_seed_other_table():
    a = gen.generate_contacts(800, seed=5)
    b = gen.generate_contacts(800, seed=5)
    c = gen.generate_contacts(800, seed=6)
    assert a == b
    assert a["First Name"] != c["First Name"]


def test_ids_unique_and_cluster_sizes(table, by_entity):
    ids = table["record_id"]
    assert len(set(ids)) == len(ids)
    assert all(isinstance(i, int) for i in ids)
    sizes = Counter(len(v) for v in by_entity.values())
    assert set(sizes) <= {1, 2, 3, 4, 5}  # one record plus 0 to 4 duplicates
    assert {2, 3, 4, 5} <= set(sizes)
    with_duplicates = sum(n for size, n in sizes.items() if size > 1) / sum(sizes.values())
    assert 0.25 < with_duplicates < 0.45


def test_records_of_an_entity_are_not_adjacent(table, by_entity):
    adjacent = sum(
        1 for rows in by_entity.values() for a, b in itertools.pairwise(rows) if b == a + 1
    )
    assert adjacent < 0.01 * len(table["record_id"])


def test_missing_values_are_none_never_empty_text(table):
    for name in gen.DATA_COLUMNS:
        values = table[name]
        assert "" not in values, name
    assert table["Email"].count(None) > 0
    assert table["Date of Birth"].count(None) > len(table["Date of Birth"]) / 2


def test_international_mix(table):
    seen = set()
    for value in table["Country"]:
        for code, names in COUNTRY_NAMES.items():
            if value in names:
                seen.add(code)
    assert seen == set(COUNTRY_NAMES)
    names = table["First Name"] + table["Last Name"]
    assert any(re.search("[А-Яа-яЁё]", n or "") for n in names)  # Russian in Cyrillic
    assert any(re.search("[\u4e00-\u9fff]", n or "") for n in names)  # Chinese / Japanese
    assert any(re.search("[ğışİ]", n or "") for n in names)  # Turkish letters
    assert any(re.search("[äöüß]", n or "") for n in names)  # German letters


def test_every_kind_of_damage_and_hard_negative_occurs(table):
    ops = Counter(op for cell in table["_noise"] for op in cell.split(";") if op)
    kinds = {op.split("_of_")[0] for op in ops if "_of_" in op}
    assert kinds == {"namesake", "family", "colleague"}
    damage = {op for op in ops if "_of_" not in op}
    assert damage == set(gen._OPS)


def _entity_of_kind(table, kind):
    out = {}
    for e, cell in zip(table["true_entity"], table["_noise"], strict=True):
        for op in cell.split(";"):
            if op.startswith(kind + "_of_"):
                out[e] = int(op.rsplit("_", 1)[1])
    return out


def _folded_names(table, rows):
    return {
        ((table["First Name"][i] or "").casefold(), (table["Last Name"][i] or "").casefold())
        for i in rows
    }


def test_namesakes_share_a_name_but_are_other_people(table, by_entity):
    pairs = _entity_of_kind(table, "namesake")
    assert len(pairs) >= 50
    shared_name = other_city = 0
    for e, base in pairs.items():
        assert e != base
        if base not in by_entity:
            continue
        if _folded_names(table, by_entity[e]) & _folded_names(table, by_entity[base]):
            shared_name += 1
        cities_e = {table["City"][i] for i in by_entity[e]} - {None}
        cities_b = {table["City"][i] for i in by_entity[base]} - {None}
        if cities_e and cities_b and not cities_e & cities_b:
            other_city += 1
    assert shared_name > 0.5 * len(pairs)
    assert other_city > 0.5 * len(pairs)


def test_family_members_share_family_name_address_and_landline(table, by_entity):
    pairs = _entity_of_kind(table, "family")
    assert len(pairs) >= 50
    same_phone = same_street = 0
    for e, base in pairs.items():
        rows_e, rows_b = by_entity[e], by_entity.get(base, [])
        phones_e = {_digits(table["Phone Number"][i])[-7:] for i in rows_e} - {""}
        phones_b = {_digits(table["Phone Number"][i])[-7:] for i in rows_b} - {""}
        same_phone += bool(phones_e & phones_b)
        streets_e = {re.sub(r"\D", "", table["Street Address"][i] or "") for i in rows_e}
        streets_b = {re.sub(r"\D", "", table["Street Address"][i] or "") for i in rows_b}
        same_street += bool((streets_e & streets_b) - {""})
    assert same_phone > 0.3 * len(pairs)
    assert same_street > 0.3 * len(pairs)


def test_colleagues_share_company_domain_and_switchboard(table, by_entity):
    pairs = _entity_of_kind(table, "colleague")
    assert len(pairs) >= 50
    same_domain = same_phone = 0
    for e, base in pairs.items():
        rows_e, rows_b = by_entity[e], by_entity.get(base, [])
        doms_e = {(table["Email"][i] or "@").split("@")[1].lower() for i in rows_e}
        doms_b = {(table["Email"][i] or "@").split("@")[1].lower() for i in rows_b}
        same_domain += bool((doms_e & doms_b) - {""})
        phones_e = {_digits(table["Phone Number"][i])[-7:] for i in rows_e} - {""}
        phones_b = {_digits(table["Phone Number"][i])[-7:] for i in rows_b} - {""}
        same_phone += bool(phones_e & phones_b)
    assert same_domain > 0.5 * len(pairs)
    assert same_phone > 0.3 * len(pairs)


def test_nicknames_appear_within_an_entity(table, by_entity):
    nick = {("robert", "bob"), ("william", "bill"), ("michael", "mike"), ("james", "jim"),
            ("elizabeth", "liz"), ("александр", "саша"), ("дмитрий", "дима")}
    pairs = set()
    for rows in by_entity.values():
        firsts = {(table["First Name"][i] or "").casefold() for i in rows}
        for formal, short in nick:
            if formal in firsts and short in firsts:
                pairs.add(formal)
    assert len(pairs) >= 2


def test_duplicates_differ_from_each_other(table, by_entity):
    multi = [rows for rows in by_entity.values() if len(rows) > 1]
    identical = 0
    for rows in multi:
        seen = {tuple(table[c][i] for c in gen.DATA_COLUMNS[:-2]) for i in rows}
        identical += len(seen) < len(rows)
    assert identical < 0.05 * len(multi)


def test_phone_formats_vary_within_an_entity(table, by_entity):
    varied = total = 0
    for rows in by_entity.values():
        phones = [table["Phone Number"][i] for i in rows if table["Phone Number"][i]]
        if len(phones) >= 3:
            total += 1
            varied += len(set(phones)) > 1
    assert total > 50
    assert varied > 0.7 * total


def test_emails_do_not_collide_across_people(table):
    owner: dict[str, int] = {}
    clashes = 0
    for email, e in zip(table["Email"], table["true_entity"], strict=True):
        if email:
            key = email.lower()
            clashes += owner.setdefault(key, e) != e
    assert clashes == 0


def test_dates_are_iso(table):
    for value in table["Date of Birth"]:
        if value is not None:
            assert re.fullmatch(r"(19|20)\d\d-\d\d-\d\d", value)
    assert all(re.fullmatch(r"20\d\d-\d\d-\d\d \d\d:\d\d", v) for v in table["Last Modified Date"])


def test_data_files_are_used_by_name():
    data = BENCH / "data"
    for name in ("names.csv", "nicknames.csv", "places.csv", "streets.csv", "street_types.csv",
                 "companies.csv", "titles.csv", "countries.csv"):
        assert (data / name).is_file(), name


def test_cli_writes_csv(tmp_path):
    out = tmp_path / "contacts.csv"
    gen.main(["--rows", "300", "--seed", "2", "--out", str(out)])
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(gen.COLUMNS)
    assert len(rows) == 301
    again = gen.generate_contacts(300, seed=2)
    assert rows[1][1] == (again["First Name"][0] or "")


def test_generate_frame():
    frame = gen.generate_frame(200, seed=4)
    assert list(frame.columns) == list(gen.COLUMNS)
    assert len(frame) == 200
    assert str(frame["Email"].dtype) == "string"


def test_negative_rows_rejected():
    with pytest.raises(ValueError, match="n_rows"):
        gen.generate_contacts(-1)
