"""Matching rules that know contact data: role mailboxes, shared switchboards, generational
suffixes, households, the register columns, and the guards of the unsupervised fit."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import crmclean
from crmclean import fields
from crmclean.block import BlockingRule, MatchingWarning
from crmclean.compare import Comparison
from crmclean.score import (
    apply_name_guard,
    conflicting_pairs,
    fit_model,
    prior_over_all_pairs,
    shape_m,
    weight_table,
)
from crmclean.settings import MatchSettings

DATA = Path(__file__).parent / "data" / "contacts_labelled.csv"
HEADER = ["record_id", "First Name", "Last Name", "Email", "Mobile", "City", "Birth Date",
          "Company"]  # fmt: skip


def _base() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as f:
        return [{k: v for k, v in row.items() if k != "true_id"} for row in csv.DictReader(f)]


def _row(rid: str, first: str, last: str, email: str = "", mobile: str = "",
         city: str = "Leeds", dob: str = "", company: str = "") -> dict[str, str]:  # fmt: skip
    return dict(zip(HEADER, [rid, first, last, email, mobile, city, dob, company], strict=True))


def _clusters(rows: list[dict[str, str]], **options: Any) -> dict[str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        result = crmclean.dedupe(rows, id_column="record_id", **options)
    c = result.clusters
    return dict(zip(c["record_id"].astype(str), c["cluster_id"].astype(str), strict=True))


def _together(clusters: dict[str, str], a: str, b: str) -> bool:
    return clusters[a] == clusters[b]


# --- contact points of a place, not a person ------------------------------------------------


def test_people_sharing_a_role_mailbox_are_not_merged() -> None:
    rows = [
        *_base(),
        _row("x1", "Anna", "Kowalska", "info@lakeside-foods.de", city="Hannover",
             company="Lakeside Foods"),
        _row("x2", "Peter", "Krause", "info@lakeside-foods.de", city="Hannover",
             company="Lakeside Foods"),
        _row("x3", "Mehmet", "Demir", "kontakt@lakeside-foods.de", city="Hannover",
             company="Lakeside Foods"),
        _row("x4", "Ola", "Nordmann", "kontakt@lakeside-foods.de", city="Hannover",
             company="Lakeside Foods"),
    ]  # fmt: skip
    clusters = _clusters(rows)
    assert not _together(clusters, "x1", "x2")
    assert not _together(clusters, "x3", "x4")


def test_role_mailboxes_and_placeholders_give_no_email_key() -> None:
    from crmclean.fields import FieldContext

    emails = ["info@lakeside-foods.de", "anna.kowalska@lakeside-foods.de", "test@test.com"]
    ctx = FieldContext({"E": emails}, {"email": "E"})
    assert fields.get_field("email").prepare(ctx)["email"] == [None, emails[1], None]


def test_a_switchboard_number_shared_by_many_names_is_not_a_persons() -> None:
    keys = ["+441132000000"] * 5 + ["+447700900001", "+447700900001"]
    names = [("anna", "smith"), ("bob", "jones"), ("carl", "wei"), ("dina", "orlov"),
             ("ed", "adams"), ("fay", "lee"), ("fay", "lee")]  # fmt: skip
    marks = [fields.name_mark(g, f, "latin") for g, f in names]
    assert fields.shared_contact_points(keys, marks) == [None] * 5 + ["+447700900001"] * 2
    # a nickname or a typo of one person is not "many names"
    marks = [fields.name_mark(g, "smith", "latin") for g in ("robert", "rob", "bob")]
    assert fields.shared_contact_points(["+1"] * 3, marks) == ["+1"] * 3


def test_one_person_in_two_scripts_and_swapped_columns_is_one_person() -> None:
    # Endo Kenta, typed given-name-first and family-name-first, in Latin letters and in kanji:
    # four given-name letters, but one person
    first = ["Endo", "Kenta", "Kent", "遠藤", "健太"]
    last = ["Kenta", "Endou", "Endo", "健太", "遠藤"]
    ctx = fields.FieldContext({"F": first, "L": last}, {"first_name": "F", "last_name": "L"})
    marks = fields.name_marks(ctx)
    assert len({m.split("|")[1] for m in marks if m}) >= fields.SHARED_BY
    assert fields.people_count(marks) == 1
    email = ["kenta.endo@maruyamaunyu.com"] * 5
    assert fields.shared_contact_points(email, marks) == email


def test_a_persons_email_in_two_scripts_stays_a_matching_key() -> None:
    from crmclean.prepare import prepare_columns

    first = ["Endo", "遠藤", "健太", "Kenta", "Kent", "Anna", "Bruno", "Chen", "Dmitri"]
    last = ["Kenta", "健太", "遠藤", "Endou", "Endo", "Smith", "Jones", "Wei", "Orlov"]
    email = ["kenta.endo@maruyamaunyu.com"] * 5 + ["info@acme-board.co.uk"] * 4
    phone = ["+81 3 6550 7887"] * 5 + ["0113 496 0000"] * 4
    keys = prepare_columns({"F": first, "L": last, "E": email, "P": phone},
                           {"first_name": "F", "last_name": "L", "email": "E", "phone": "P"})
    assert keys["email"][:5] == ["kenta.endo@maruyamaunyu.com"] * 5
    assert keys["phone"][:5] == ["+81365507887"] * 5
    # four colleagues on one switchboard: a place's number
    assert keys["phone"][5:] == [None] * 4


def test_colleagues_on_one_switchboard_are_not_merged() -> None:
    board = "0113 496 0000"
    names = [("Anna", "Smith"), ("Bruno", "Jones"), ("Chen", "Wei"), ("Dmitri", "Orlov"),
             ("Eve", "Adams")]  # fmt: skip
    rows = _base() + [_row(f"s{k}", g, f, mobile=board, city="Leeds", company="Acme Ltd")
                      for k, (g, f) in enumerate(names)]  # fmt: skip
    clusters = _clusters(rows)
    assert len({clusters[f"s{k}"] for k in range(len(names))}) == len(names)


# --- generational suffixes and households ---------------------------------------------------


def test_generational_suffixes_come_off_the_family_name() -> None:
    assert fields.split_generational("Todd Jr.") == ("Todd", "jr")
    assert fields.split_generational("Erdoğan Junior") == ("Erdoğan", "jr")
    assert fields.split_generational("Иванов Jr.") == ("Иванов", "jr")
    assert fields.split_generational("Smith PhD") == ("Smith PhD", None)  # a credential stays
    assert fields.split_generational("Junior") == ("Junior", None)  # a family name stays


def test_father_and_son_at_one_address_are_not_merged() -> None:
    rows = [
        *_base(),
        _row("k1", "Keith", "Todd Sr.", "keith.todd@gmail.com", "07700 900111", "York"),
        _row("k2", "Keith", "Todd Jr.", "keith.todd@gmail.com", "07700 900111", "York"),
        _row("k3", "Keith", "Todd Sr.", "", "07700 900111", "York"),
        _row("k4", "Keith", "Todd Jr", "ktodd@outlook.com", "", "York"),
    ]  # fmt: skip
    clusters = _clusters(rows)
    assert not _together(clusters, "k1", "k2")
    assert _together(clusters, "k1", "k3")
    assert _together(clusters, "k2", "k4")


def test_a_suffix_conflict_is_a_conflict_and_keeps_records_apart() -> None:
    s = MatchSettings([Comparison("suffix", "exact"), Comparison("given", "given_name")],
                      [BlockingRule(("given",))])  # fmt: skip
    levels = np.array([[0, 6], [1, 6], [-1, 6]], dtype=np.int8)
    assert conflicting_pairs(s, levels).tolist() == [True, False, False]
    assert fields.conflict_floor_of(Comparison("suffix", "exact")) == (0.005, True)


def test_twins_in_one_household_are_not_merged() -> None:
    rows = [
        *_base(),
        _row("t1", "Meryem", "Singh", "", "", "Springfield", "1989-03-28", "Embermark"),
        _row("t2", "Ayse", "Singh", "", "", "Springfield", "1989-03-28", "Embermark"),
        _row("t3", "Meryem", "Singh", "meryem.singh@gmail.com", "", "Springfield", "1989-03-28",
             "Embermark"),
    ]  # fmt: skip
    clusters = _clusters(rows)
    assert not _together(clusters, "t1", "t2")
    assert _together(clusters, "t1", "t3")


def test_the_household_rule_keeps_the_guard_where_a_birth_date_would_lift_it() -> None:
    s = MatchSettings(
        [Comparison("given", "given_name"), Comparison("family", "family_name"),
         Comparison("dob", "date"), Comparison("city", "string")],
        [BlockingRule(("family",))], threshold=0.5,
    )  # fmt: skip
    top = len(s.comparisons[3].levels) - 1
    dob = len(s.comparisons[2].levels) - 1
    levels = np.array([
        [0, 5, dob, top],  # a household: same family name and place, other given name
        [0, 5, dob, -1],   # no place in common: the birth date lifts the guard
        [6, 0, dob, top],  # a married name: the birth date lifts the guard
    ], dtype=np.int8)  # fmt: skip
    weights = np.full(3, 10.0)
    apply_name_guard(s, levels, weights)
    assert weights.tolist() == [-1.0, 10.0, 10.0]


# --- the register columns -------------------------------------------------------------------


def test_register_columns_are_detected_and_compared() -> None:
    headers = ["unique_id", "first_name", "middle_name", "surname", "suffix", "dob",
               "birth_place", "postcode_fake", "gender", "occupation"]  # fmt: skip
    from crmclean.columns import detect_roles

    roles = detect_roles(headers)
    assert roles["birthplace"] == "birth_place"
    assert roles["postcode"] == "postcode_fake"
    assert roles["gender"] == "gender"
    assert roles["occupation"] == "occupation"
    assert roles["name_suffix"] == "suffix"
    assert roles["middle_name"] == "middle_name"
    names = [c.name for c in crmclean.default_settings(fields.key_columns()).comparisons]
    for name in ("middle", "suffix", "birthplace", "gender", "occupation"):
        assert name in names


def test_conflicting_middle_names_keep_namesakes_apart() -> None:
    rows: list[dict[str, str]] = [{**r, "Middle Name": ""} for r in _base()]
    people = [("John", "Quincy", "Public"), ("John", "Robert", "Public")]
    for k, (g, mid, f) in enumerate(people):  # each once in full, once as an initial
        rows.append({**_row(f"m{k}a", g, f, city="Leeds"), "Middle Name": mid})
        rows.append({**_row(f"m{k}b", g, f, city="Leeds"), "Middle Name": mid[0]})
    clusters = _clusters(rows)
    assert _together(clusters, "m0a", "m0b")
    assert _together(clusters, "m1a", "m1b")
    assert not _together(clusters, "m0a", "m1a")


GENDERS = [("Female", "f"), ("M", "m"), ("Kadın", "f"), ("мужской", "m"), ("女", "f"),
           ("unknown", None)]  # fmt: skip


@pytest.mark.parametrize(("value", "key"), GENDERS)
def test_gender_values_in_many_languages_give_one_key(value: str, key: str | None) -> None:
    from crmclean.fields import FieldContext

    ctx = FieldContext({"G": [value]}, {"gender": "G"})
    assert fields.get_field("gender").prepare(ctx)["gender"] == [key]


# --- the fit's guards -----------------------------------------------------------------------


def test_m_is_floored_and_its_weights_rise_with_the_level() -> None:
    m = shape_m((0.0, 0.3, 0.1, 0.6), (0.7, 0.2, 0.05, 0.05))
    assert m[0] == pytest.approx(0.05)
    weights = np.log2(np.asarray(m) / np.asarray((0.7, 0.2, 0.05, 0.05)))
    assert np.all(np.diff(weights) >= -1e-12)
    assert sum(m) == pytest.approx(1.0)
    # a floor marked fixed is the value, whatever the fit found
    assert shape_m((0.2, 0.8), (0.5, 0.5), 0.005, fixed=True)[0] == pytest.approx(0.005)


def test_the_prior_is_the_share_of_matches_among_all_pairs() -> None:
    patterns = np.array([[1], [0]], dtype=np.int8)
    # 100 candidates agree where random pairs agree one time in a thousand: of 10,000 pairs,
    # 10 agree by chance and about 90 are matches
    p = prior_over_all_pairs(patterns, np.array([100, 900]), [(0.05, 0.95)], [(0.999, 0.001)],
                             10_000)  # fmt: skip
    assert 85 <= p * 10_000 <= 95
    # as many agreements as chance gives: no matches at all
    p = prior_over_all_pairs(patterns, np.array([10, 990]), [(0.05, 0.95)], [(0.999, 0.001)],
                             10_000)  # fmt: skip
    assert p * 10_000 < 1


def test_a_fit_whose_match_class_is_not_persons_falls_back_with_a_warning() -> None:
    from crmclean.compare import compare_all
    from crmclean.encode import encode_keys

    # every record of a family shares the family name and city; given names are all different:
    # nothing in the data says which records are one person
    rng = np.random.default_rng(3)
    n = 400
    family = [f"fam{k // 8}" for k in range(n)]
    given = [f"g{k}" for k in range(n)]
    city = [f"c{k // 8}" for k in range(n)]
    order = rng.permutation(n)
    keys = encode_keys({"family": [family[k] for k in order], "given": [given[k] for k in order],
                        "city": [city[k] for k in order]})  # fmt: skip
    s = MatchSettings([Comparison("given", "exact"), Comparison("family", "exact"),
                       Comparison("city", "exact")],
                      [BlockingRule(("family",)), BlockingRule(("city",))])  # fmt: skip
    from crmclean.block import block

    pairs = block(keys, s.blocking)
    levels = compare_all(keys, s.comparisons, pairs.left, pairs.right)
    with pytest.warns(MatchingWarning, match="did not describe persons"):
        fitted = fit_model(s, keys, levels, pairs.left, pairs.right).settings
    # the given name's agreement keeps the weight of the starting values: strong evidence
    assert fitted.comparisons[0].m == pytest.approx((0.1, 0.9))
    assert weight_table(fitted.comparisons[0])[1] > 10


def test_fitting_is_deterministic_given_a_seed() -> None:
    rows = _base()
    a = _clusters(rows, seed=7)
    b = _clusters(list(reversed(rows)), seed=7)
    # the same partition whatever the row order
    groups_a = sorted(sorted(k for k in a if a[k] == c) for c in set(a.values()))
    groups_b = sorted(sorted(k for k in b if b[k] == c) for c in set(b.values()))
    assert groups_a == groups_b


# --- explanations name the rule that moved a pair --------------------------------------------


def _result(rows: list[dict[str, str]]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        return crmclean.dedupe(rows, id_column="record_id")


def test_explanations_name_the_contact_rules() -> None:
    rows = [
        *_base(),
        _row("x1", "Anna", "Kowalska", "info@lakeside-foods.de", city="Hannover"),
        _row("x2", "Peter", "Krause", "info@lakeside-foods.de", city="Hannover"),
        _row("k1", "Keith", "Todd Sr.", "keith.todd@gmail.com", "07700 900111", "York"),
        _row("k2", "Keith", "Todd Jr.", "keith.todd@gmail.com", "07700 900111", "York"),
        _row("t1", "Meryem", "Singh", "", "", "Springfield", "1989-03-28", "Embermark"),
        _row("t2", "Ayse", "Singh", "", "", "Springfield", "1989-03-28", "Embermark"),
    ]  # fmt: skip
    result = _result(rows)
    labels = {c.field: c.label for c in result.explain("x1", "x2").contributions}
    assert labels["email"] == "role_mailbox"
    labels = {c.field: c.label for c in result.explain("t1", "t2").contributions}
    assert labels["(name guard)"] == "household"
    labels = {c.field: c.label for c in result.explain("k1", "k2").contributions}
    assert labels["(kept apart)"] == "generational suffixes differ"
    assert "(kept apart)" not in {c.field for c in result.explain("t1", "t2").contributions}


def test_names_swapped_with_a_typo_read_as_swapped() -> None:
    from crmclean.compare import compare_all
    from crmclean.encode import encode_keys

    keys = encode_keys({
        "given": ["elizabeth", "stephenson", "josha", "campblel", "anna"],
        "family": ["stephenson", "elizbeth", "campbell", "joshua", "smith"],
    })  # fmt: skip
    c = Comparison("given", "given_name", ("given", "given_canonical", "family"))
    left, right = np.array([0, 2, 0]), np.array([1, 3, 4])
    levels = compare_all(keys, [c], left, right)[:, 0]
    swapped = c.levels.index("swapped")
    assert levels.tolist()[:2] == [swapped, swapped]
    assert levels[2] != swapped


def test_a_family_name_of_several_words_written_first_reads_as_swapped() -> None:
    from crmclean.compare import compare_all
    from crmclean.encode import encode_keys

    # the given-name key is a name's first word, the family-name key all of it
    keys = encode_keys({"given": ["cambell", "de", "anna"],
                        "family": ["delacruz", "cambell", "delacruz"]})  # fmt: skip
    c = Comparison("given", "given_name", ("given", "given_canonical", "family"))
    levels = compare_all(keys, [c], np.array([0, 0]), np.array([1, 2]))[:, 0]
    assert levels.tolist() == [c.levels.index("swapped"), 0]


# --- a job change is one event, not six -------------------------------------------------------


def test_disagreeing_place_fields_count_once() -> None:
    s = MatchSettings(
        [Comparison("city", "string", m=(0.3, 0.05, 0.05, 0.6), u=(0.9, 0.02, 0.02, 0.06)),
         Comparison("company", "string", m=(0.3, 0.05, 0.05, 0.6), u=(0.95, 0.01, 0.01, 0.03)),
         Comparison("email", "email", m=(0.2, 0.05, 0.05, 0.7), u=(0.9, 0.05, 0.0499, 1e-4))],
        [BlockingRule(("email",))], prior=0.001, correlated=[("city", "company")],
    )  # fmt: skip
    from crmclean.encode import encode_keys
    from crmclean.score import score_pairs

    keys = encode_keys({"city": ["leeds", "york"], "company": ["acme", "initech"],
                        "email": ["a@x.org", "a@x.org"]})  # fmt: skip
    levels = np.array([[0, 0, 3], [0, -1, 3]], dtype=np.int8)  # both differ / only the city
    weights = score_pairs(keys, s, levels, np.array([0, 0]))
    city, company = weight_table(s.comparisons[0])[0], weight_table(s.comparisons[1])[0]
    # a person who moved to another employer in another city: the stronger of the two
    # disagreements counts, not their sum
    assert weights[0] - weights[1] == pytest.approx(min(city, company) - city)


def test_a_person_who_changed_job_keeps_name_and_mobile_and_is_merged() -> None:
    rows = [*_base(),
            _row("j1", "Linda", "Yamamoto", "linda.yamamoto@firstland.com", "07700 900 417",
                 city="Leeds", company="Firstland Ltd"),
            _row("j2", "Linda", "Yamamoto", "linda.yamamoto@oakpoint.co.uk", "+44 7700 900417",
                 city="Bristol", company="Oakpoint plc"),
            _row("n1", "Linda", "Yamamoto", "lyamamoto@harbour.co.uk", "07700 900 999",
                 city="York", company="Harbour Group")]  # fmt: skip
    clusters = _clusters(rows)
    assert _together(clusters, "j1", "j2")
    assert not _together(clusters, "j1", "n1")  # a namesake with another mobile


def test_text_read_across_scripts_can_agree_but_not_conflict() -> None:
    from crmclean.compare import compare_all
    from crmclean.encode import encode_keys
    from crmclean.normalize.names import name_script

    scripts = [name_script(v) for v in ("鈴木 陽子", "Yoko Suzuki", "Yoko Suzuki", "Yui 渡辺")]
    assert scripts == ["han", "latin", "latin", "mixed"]
    keys = encode_keys({"company": ["dahejiyan", "yamatogiken", "acme", "yamatogiken"],
                        "script": scripts})  # fmt: skip
    c = Comparison("company", "string")
    levels = compare_all(keys, [c], np.array([0, 1, 3]), np.array([1, 2, 1]))[:, 0]
    # kanji read in Chinese cannot contradict the romaji; two Latin spellings can; a record
    # whose name mixes scripts is compared as written
    assert levels.tolist() == [-1, 0, c.levels.index("exact")]


def test_a_son_with_jr_and_his_father_without_it_are_not_merged() -> None:
    home = {"city": "Leeds", "company": ""}
    rows = [*_base(),
            _row("f1", "Keith", "Todd", "keith.todd@acme.co.uk", "0113 496 0123", **home),
            _row("s1", "Keith", "Todd Jr.", "ktodd.jr@gmail.com", "0113 496 0123", **home),
            _row("s2", "Keith", "Todd Jr", "ktodd.jr@gmail.com", "07700 900 555", **home),
            # one person who sometimes writes his suffix: the same email tells
            _row("p1", "Dale", "Moss II", "dale.moss@initech.com", "07700 900 600", **home),
            _row("p2", "Dale", "Moss", "dale.moss@initech.com", "07700 900 600", **home)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        result = crmclean.dedupe(rows, id_column="record_id")
    c = result.clusters
    clusters = dict(zip(c["record_id"].astype(str), c["cluster_id"].astype(str), strict=True))
    assert not _together(clusters, "f1", "s1")
    assert _together(clusters, "s1", "s2")
    assert _together(clusters, "p1", "p2")
    labels = {x.field: x.label for x in result.explain("f1", "s1").contributions}
    assert labels["suffix"] == "one_only"
    assert labels.get("(name guard)") == "suffix on one record"


def test_a_rare_names_term_frequency_bonus_is_bounded() -> None:
    from crmclean.encode import encode_keys
    from crmclean.score import capped_tf, tf_adjustments

    # a name rare in the table (three records of 1,000) but common in its own population
    names = ["smith"] * 300 + ["andreev"] * 3 + [f"x{i}" for i in range(697)]
    keys = encode_keys({"family": names})
    c = Comparison("family", "family_name", tf=True)
    raw = tf_adjustments(keys, c, np.array([0, 300]), np.array([5, 5], dtype=np.int8))
    assert raw[1] > fields.NAME_TF_CEILING  # rarer than average by far ...
    capped = capped_tf(c, raw)
    assert capped[1] == fields.NAME_TF_CEILING  # ... but counts at most the ceiling
    assert capped[0] == raw[0]  # a common name still counts for less
    # a field without a ceiling keeps its adjustment
    assert capped_tf(Comparison("city", "string"), raw).tolist() == raw.tolist()
