"""Decisions a person made stay made: must-link and cannot-link pairs in dedupe, link, merge,
MatchIndex and the command line; the review table round trip."""

from __future__ import annotations

import csv
import random
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import crmclean
from crmclean import ColumnError, ConfigError, Decisions, DecisionWarning, MatchingWarning
from crmclean.cli import main
from crmclean.cluster import PairConstraints, cluster_pairs
from tables import rows as as_rows

DATA = Path(__file__).parent / "data" / "contacts_labelled.csv"


def _load() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    for r in records:
        del r["true_id"]
    return records


def _dedupe(records: Any, **kwargs: Any) -> crmclean.MatchResult:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        return crmclean.dedupe(records, id_column="record_id", region="GB", **kwargs)


def _cluster_of(result: crmclean.MatchResult) -> dict[object, object]:
    clusters = as_rows(result.clusters)
    return {r["record_id"]: r["cluster_id"] for r in clusters}


def _members(cluster_of: dict[object, object]) -> dict[object, list[object]]:
    out: dict[object, list[object]] = defaultdict(list)
    for record, cluster in cluster_of.items():
        out[cluster].append(record)
    return out


def _partition(cluster_of: dict[object, object]) -> set[frozenset[object]]:
    return {frozenset(m) for m in _members(cluster_of).values()}


@pytest.fixture(scope="module")
def records() -> list[dict[str, str]]:
    return _load()


@pytest.fixture(scope="module")
def plain(records: list[dict[str, str]]) -> dict[object, object]:
    return _cluster_of(_dedupe(records))


def _constraints(must: list[tuple[int, int]] = (), cannot: list[tuple[int, int]] = ()) -> Any:
    return PairConstraints(
        must_left=[a for a, _ in must], must_right=[b for _, b in must],
        cannot_left=[a for a, _ in cannot], cannot_right=[b for _, b in cannot],
    )  # fmt: skip


# --- the cluster stage ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "expected"),
    [((9.0, 3.0), [0, 0, 2]),  # a~b strong, b~c weak: the weak link b~c gives way
     ((3.0, 9.0), [0, 1, 1])],  # a~b weak: a goes alone
)  # fmt: skip
def test_cannot_link_splits_a_chain_at_its_weakest_link(weights, expected) -> None:
    left, right = np.array([0, 1]), np.array([1, 2])
    free = cluster_pairs(3, left, right, np.array(weights), 1.0)
    assert free.labels.tolist() == [0, 0, 0]
    kept = cluster_pairs(3, left, right, np.array(weights), 1.0,
                         constraints=_constraints(cannot=[(2, 0)]))  # fmt: skip
    assert kept.labels.tolist() == expected
    assert kept.decision_splits == 1


def test_cannot_link_keeps_every_other_link_of_the_cluster() -> None:
    # two triangles joined by one bridge; the cannot-link pair is one record of each
    pairs = [(0, 1, 9.0), (1, 2, 9.0), (0, 2, 9.0), (3, 4, 9.0), (4, 5, 9.0), (3, 5, 9.0),
             (2, 3, 2.0), (6, 7, 9.0)]  # fmt: skip
    left, right, w = (np.array(x) for x in zip(*pairs, strict=True))
    result = cluster_pairs(8, left, right, w, 1.0, constraints=_constraints(cannot=[(0, 5)]))
    assert result.labels.tolist() == [0, 0, 0, 3, 3, 3, 6, 6]
    assert result.edges.tolist() == [True] * 6 + [False, True]


def test_must_link_joins_records_never_scored_together() -> None:
    result = cluster_pairs(4, np.array([0]), np.array([1]), np.array([-30.0]), 1.0,
                           constraints=_constraints(must=[(1, 3)]))  # fmt: skip
    assert result.labels.tolist() == [0, 1, 2, 1]
    assert result.edges.tolist() == [False]  # one flag per given pair


def test_must_link_stands_against_the_chaining_guard_and_cannot_link_against_scores() -> None:
    left, right = np.array([0, 1, 0]), np.array([1, 2, 2])
    weights = np.array([20.0, 20.0, 20.0])
    result = cluster_pairs(3, left, right, weights, 1.0, min_density=0.9,
                           constraints=_constraints(must=[(0, 2)], cannot=[(1, 2)]))  # fmt: skip
    assert result.labels.tolist() == [0, 1, 0]


def test_must_links_chaining_a_cannot_link_pair_are_refused_by_row() -> None:
    constraints = PairConstraints(must_left=[0, 1], must_right=[1, 2], cannot_left=[2],
                                  cannot_right=[0], cannot_rows=[7])  # fmt: skip
    with pytest.raises(ConfigError, match=r"row\(s\) 7"):
        cluster_pairs(3, np.zeros(0, int), np.zeros(0, int), np.zeros(0), 1.0,
                      constraints=constraints)  # fmt: skip


def test_equal_weights_split_the_same_way_whatever_the_pair_order() -> None:
    pairs = [(0, 1), (1, 2), (2, 3), (0, 3)]
    results = set()
    for seed in range(6):
        order = random.Random(seed).sample(pairs, len(pairs))
        left = np.array([p[0] for p in order])
        right = np.array([p[1] for p in order])
        result = cluster_pairs(4, left, right, np.full(4, 5.0), 1.0,
                               constraints=_constraints(cannot=[(0, 2)]))  # fmt: skip
        results.add(tuple(result.labels.tolist()))
    assert len(results) == 1


# --- reading decisions ----------------------------------------------------------------------


def test_decision_words_and_extra_columns_are_read() -> None:
    table = {
        "Left_ID": ["a", "b", "c", "d", "e"],
        "right_id": ["x", "y", "z", "w", "v"],
        "Decision": ["Must link", "NON-MATCH", "", "1", "unsure"],
        "Reviewer": ["ann", None, None, "bo", None],
        "Note": ["same badge", None, None, None, None],
    }
    decisions = Decisions.from_table(table)
    assert decisions.must_link == (("a", "x"), ("d", "w"))
    assert decisions.cannot_link == (("b", "y"),)
    back = decisions.to_table()
    assert back["reviewer"] == ["ann", None, "bo"]
    assert back["note"] == ["same badge", None, None]
    assert Decisions.from_table(back).must_link == decisions.must_link


@pytest.mark.parametrize(
    ("table", "error", "message"),
    [({"id_l": ["p1"], "decision": ["yes"]}, ColumnError, "id_l, id_r"),
     ({"id_l": ["p1"], "id_r": ["p2"], "decision": ["perhaps-secret"]}, ConfigError, "row 1"),
     ({"id_l": ["p1", ""], "id_r": ["p2", "p3"], "decision": ["no", "yes"]}, ConfigError,
      "row 2 has an empty id"),
     ({"id_l": ["p1", "p3", "p1"], "id_r": ["p2", "p4", "p2"],
       "decision": ["match", "match", "different"]}, ConfigError, "rows 1 and 3")],
)  # fmt: skip
def test_bad_decisions_tables_raise_typed_errors_without_values(table, error, message) -> None:
    with pytest.raises(error, match=message) as caught:
        Decisions.from_table(table)
    text = str(caught.value)
    assert "p1" not in text
    assert "p2" not in text
    assert "secret" not in text


def test_a_pair_decided_both_ways_in_either_order_is_refused_by_row(records) -> None:
    table = {"id_l": ["r0001", "r0002"], "id_r": ["r0002", "r0001"],
             "decision": ["match", "non_match"]}  # fmt: skip
    with pytest.raises(ConfigError, match="rows 1 and 2") as caught:
        _dedupe(records, decisions=table)
    assert "r000" not in str(caught.value)


def test_unknown_ids_warn_without_values_and_are_passed_over(records, plain) -> None:
    table = {"id_l": ["r0000", "ghost-17"], "id_r": ["nobody-9", "r0001"],
             "decision": ["match", "different"]}  # fmt: skip
    with pytest.warns(DecisionWarning, match=r"2 decision\(s\).*row\(s\) 1, 2") as caught:
        result = crmclean.dedupe(records, id_column="record_id", region="GB", decisions=table)
    for warning in caught:
        assert "ghost" not in str(warning.message)
        assert "nobody" not in str(warning.message)
    assert _cluster_of(result) == plain
    assert result.stats.decisions == {"must_link": 0, "cannot_link": 0, "split_clusters": 0}


# --- dedupe and link ------------------------------------------------------------------------


def _two_apart(plain: dict[object, object]) -> tuple[object, object]:
    members = _members(plain)
    singles = sorted(m[0] for m in members.values() if len(m) == 1)
    return singles[0], singles[-1]


def _big_cluster(plain: dict[object, object]) -> list[object]:
    members = _members(plain)
    return sorted(max(members.values(), key=lambda m: (len(m), sorted(m))))


def test_must_link_joins_records_the_model_keeps_apart(records, plain) -> None:
    a, b = _two_apart(plain)
    result = _dedupe(records, decisions=Decisions.from_pairs(must_link=[(a, b)]))
    clusters = _cluster_of(result)
    assert clusters[a] == clusters[b] == min(a, b)
    pairs = as_rows(result.pairs)
    joined = [p for p in pairs if {p["id_l"], p["id_r"]} == {a, b}]
    assert len(joined) == 1
    assert joined[0]["decision"] == "match"
    assert joined[0]["match_probability"] < 0.5  # the model's own view is kept visible
    others = {k: v for k, v in clusters.items() if k not in (a, b)}
    assert others == {k: v for k, v in plain.items() if k not in (a, b)}


def test_cannot_link_splits_a_cluster_even_through_other_records(records, plain) -> None:
    cluster = _big_cluster(plain)
    assert len(cluster) >= 3
    first, last = cluster[0], cluster[-1]
    result = _dedupe(records, decisions=Decisions.from_pairs(cannot_link=[(last, first)]))
    clusters = _cluster_of(result)
    assert clusters[first] != clusters[last]
    assert result.stats.decisions["split_clusters"] == 1
    # only that cluster changed, and it was split, not scattered into single records
    parts = {clusters[r] for r in cluster}
    assert 2 <= len(parts) < len(cluster)
    assert {frozenset(p) for p in _partition(clusters) if not p & set(cluster)} == {
        frozenset(p) for p in _partition(plain) if not p & set(cluster)
    }
    pairs = as_rows(result.pairs)
    assert not [p for p in pairs if {p["id_l"], p["id_r"]} == {first, last}]


def test_decisions_by_id_survive_any_row_order(records, plain) -> None:
    a, b = _two_apart(plain)
    cluster = _big_cluster(plain)
    decisions = Decisions.from_pairs(must_link=[(b, a)], cannot_link=[(cluster[0], cluster[-1])])
    seen = set()
    for seed in range(3):
        shuffled = random.Random(seed).sample(records, len(records))
        seen.add(frozenset(_partition(_cluster_of(_dedupe(shuffled, decisions=decisions)))))
    assert len(seen) == 1


def test_ids_read_as_text_meet_integer_ids() -> None:
    rows = [{"id": i, "name": n, "email": e} for i, (n, e) in enumerate(
        [("Ann Lee", "ann@lee.org"), ("Ann Lee", "ann@lee.org"), ("Bob Ray", "bob@ray.org")],
        start=1)]  # fmt: skip
    table = {"id_l": ["1", "2"], "id_r": ["2", "3"], "decision": ["no", "yes"]}
    result = crmclean.dedupe(rows, id_column="id", decisions=table)
    assert list(result.clusters["cluster_id"]) == [1, 2, 2]


def test_link_reads_id_l_from_the_left_table_and_id_r_from_the_right() -> None:
    crm = [{"id": "1", "name": "Maria Lopez", "email": "maria@acme.org"},
           {"id": "2", "name": "Tom Lee", "email": "tom@lee.org"}]
    new = [{"id": "1", "name": "Tom Lee", "email": "tom@lee.org"},
           {"id": "2", "name": "Maria Lopez", "email": "maria@acme.org"}]
    free = as_rows(crmclean.link(crm, new, id_column="id").clusters)
    assert [r["cluster_id"] for r in free] == ["1", "2", "2", "1"]
    decisions = Decisions.from_pairs(must_link=[("1", "1")], cannot_link=[("1", "2")])
    kept = as_rows(crmclean.link(crm, new, id_column="id", decisions=decisions).clusters)
    # left 1 must join right 1 (and right 1 still matches left 2); left 1 and right 2 stay apart
    assert [(r["side"], r["cluster_id"], r["cluster_side"]) for r in kept] == [
        ("left", "1", "left"), ("left", "1", "left"), ("right", "1", "left"),
        ("right", "2", "right")]  # fmt: skip


def test_review_lists_uncertain_pairs_with_the_records_side_by_side(records) -> None:
    result = _dedupe(records, threshold=0.99)
    review = as_rows(result.review)
    assert review, "a high threshold leaves pairs just below it"
    threshold_weight = result.settings.threshold_weight
    distances = [abs(r["match_weight"] - threshold_weight) for r in review]
    assert distances == sorted(distances)
    assert max(distances) <= crmclean.pipeline.REVIEW_BITS
    first = review[0]
    assert list(first)[:5] == ["id_l", "id_r", "decision", "match_probability", "match_weight"]
    assert first["decision"] is None
    by_id = {r["record_id"]: r for r in records}
    assert first["Email_l"] == by_id[first["id_l"]]["Email"]
    assert first["Email_r"] == by_id[first["id_r"]]["Email"]
    assert list(first)[-3:] == ["reviewer", "reviewed_at", "note"]


def test_review_round_trip_through_a_file(records, tmp_path: Path) -> None:
    result = _dedupe(records, threshold=0.99)
    review = as_rows(result.review)
    path = tmp_path / "review.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(review[0]))
        writer.writeheader()
        for k, row in enumerate(review):
            if k < 2:  # the reviewer answers the first two and leaves the rest
                row = {**row, "decision": "no" if k == 0 else "yes", "reviewer": "ann"}
            writer.writerow(row)
    decisions = Decisions.read(path)
    assert len(decisions) == 2
    again = _dedupe(records, threshold=0.99, decisions=decisions)
    clusters = _cluster_of(again)
    no, yes = review[0], review[1]
    assert clusters[no["id_l"]] != clusters[no["id_r"]]
    assert clusters[yes["id_l"]] == clusters[yes["id_r"]]
    # the next review carries the decisions made, so it stays a decisions file
    decided = [r for r in as_rows(again.review) if r["decision"] is not None]
    assert {(r["id_l"], r["id_r"], r["decision"], r["reviewer"]) for r in decided} == {
        (no["id_l"], no["id_r"], "non_match", "ann"), (yes["id_l"], yes["id_r"], "match", "ann")}
    assert Decisions.from_table(again.review).cannot_link == ((no["id_l"], no["id_r"]),)


# --- merge ----------------------------------------------------------------------------------


MERGE_ROWS = [
    {"id": 1, "name": "Jo Lee", "email": "jo@acme.com"},
    {"id": 2, "name": "Joanna Lee", "email": "jo@acme.com"},
    {"id": 3, "name": "J. Lee", "email": "jlee@mail.org"},
    {"id": 4, "name": "Ann Ray", "email": "ann@ray.org"},
]


def test_merge_joins_clusters_a_must_link_names() -> None:
    clusters = {1: "a", 2: "a", 3: "b", 4: "c"}
    merged = crmclean.merge(MERGE_ROWS, clusters, id_column="id",
                            decisions=Decisions.from_pairs(must_link=[(3, 1)]))  # fmt: skip
    assert merged.counts["golden"] == 2
    assert as_rows(merged.plan)[0]["cluster_id"] == "a"


def test_merge_holds_a_cluster_a_cannot_link_splits() -> None:
    clusters = {1: "a", 2: "a", 3: "a", 4: "c"}
    with pytest.warns(DecisionWarning, match="held for review"):
        merged = crmclean.merge(MERGE_ROWS, clusters, id_column="id",
                                decisions=Decisions.from_pairs(cannot_link=[(1, 3)]))  # fmt: skip
    assert merged.counts["held_clusters"] == 1
    assert merged.counts["merged_clusters"] == 0
    assert sorted(as_rows(merged.review), key=lambda r: r["record_id"])[0]["record_id"] == 1


# --- the command line -----------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_csv(path: Path, table: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)


@pytest.fixture
def contacts(tmp_path: Path, records: list[dict[str, str]]) -> Path:
    path = tmp_path / "contacts.csv"
    _write_csv(path, records)
    return path


def test_cli_review_csv_filled_in_and_passed_back(contacts: Path, tmp_path: Path, plain) -> None:
    out = tmp_path / "out"
    args = ["dedupe", str(contacts), "--id-column", "record_id", "--region", "GB", "--quiet"]
    assert main([*args, "--out", str(out), "--threshold", "0.99"]) == 0
    review = _read_csv(out / "review.csv")
    assert review
    assert list(review[0])[:3] == ["id_l", "id_r", "decision"]
    assert all(r["decision"] == "" for r in review)
    a, b = _two_apart(plain)
    review[0]["decision"] = "non_match"
    review.append({**dict.fromkeys(review[0], ""), "id_l": a, "id_r": b, "decision": "yes"})
    _write_csv(out / "review.csv", review)
    again = tmp_path / "again"
    assert main([*args, "--out", str(again), "--threshold", "0.99",
                 "--decisions", str(out / "review.csv")]) == 0  # fmt: skip
    clusters = {r["record_id"]: r["cluster_id"] for r in _read_csv(again / "clusters.csv")}
    assert clusters[a] == clusters[b]
    assert clusters[review[0]["id_l"]] != clusters[review[0]["id_r"]]
    decided = {(r["id_l"], r["id_r"]): r["decision"] for r in _read_csv(again / "review.csv")
               if r["decision"]}  # fmt: skip
    assert decided == {(review[0]["id_l"], review[0]["id_r"]): "non_match", (a, b): "match"}


def test_cli_clean_and_merge_honour_decisions(contacts: Path, tmp_path: Path, plain) -> None:
    cluster = _big_cluster(plain)
    decisions = tmp_path / "decisions.csv"
    _write_csv(decisions, [{"left_id": cluster[0], "right_id": cluster[-1], "decision": "no"}])
    out = tmp_path / "clean"
    assert main(["clean", str(contacts), "--id-column", "record_id", "--region", "GB",
                 "--out", str(out), "--quiet", "--decisions", str(decisions)]) == 0  # fmt: skip
    clusters = {r["record_id"]: r["cluster_id"] for r in _read_csv(out / "clusters.csv")}
    assert clusters[cluster[0]] != clusters[cluster[-1]]
    assert list(_read_csv(out / "review.csv")[0])[:3] == ["id_l", "id_r", "decision"]
    merged = tmp_path / "merged"
    # merge alone has no scores: the plain clusters with the decision hold that cluster back
    plain_clusters = tmp_path / "plain_clusters.csv"
    _write_csv(plain_clusters, [{"record_id": k, "cluster_id": v} for k, v in plain.items()])
    assert main(["merge", str(contacts), "--clusters", str(plain_clusters), "--id-column",
                 "record_id", "--out", str(merged), "--quiet",
                 "--decisions", str(decisions)]) == 0  # fmt: skip
    held = {r["record_id"] for r in _read_csv(merged / "review.csv")}
    assert held == set(cluster)


@pytest.mark.parametrize(
    ("content", "message"),
    [("id_l,id_r,decision\nr0001,r0002,secretword\n", "row 1"),
     ("id_l,id_r,decision\nr0001,r0002,yes\nr0001,r0002,no\n", "rows 1 and 2"),
     ("left,right,decision\nr0001,r0002,yes\n", "id_l, id_r")],
)  # fmt: skip
def test_cli_bad_decisions_file_is_one_line_without_values(
    contacts: Path, tmp_path: Path, capsys, content: str, message: str
) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(content, encoding="utf-8")
    status = main(["dedupe", str(contacts), "--id-column", "record_id", "--out",
                   str(tmp_path / "out"), "--decisions", str(path)])  # fmt: skip
    assert status == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("crmclean: error: decisions file")
    assert message in err[0]
    assert "r0001" not in err[0]
    assert "secretword" not in err[0]
    assert not (tmp_path / "out" / "clusters.csv").exists()


# --- MatchIndex -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def indexed(records: list[dict[str, str]]) -> tuple[crmclean.MatchIndex, list[dict[str, str]]]:
    base = [r for i, r in enumerate(records) if i % 5]
    batch = [r for i, r in enumerate(records) if i % 5 == 0]
    result = _dedupe(base)
    index = crmclean.MatchIndex.build(base, "record_id", settings=result.settings,
                                      clusters=result.clusters)  # fmt: skip
    return index, batch


def _status(matches: Any) -> dict[object, tuple[str, object]]:
    return {r["record_id"]: (r["status"], r["cluster_id"]) for r in as_rows(matches.table)}


def test_index_must_link_places_a_record_and_cannot_link_keeps_it_out(indexed) -> None:
    index, batch = indexed
    plain = _status(index.match(batch))
    matched = sorted(k for k, (s, _) in plain.items() if s == "matched")
    new = sorted(k for k, (s, _) in plain.items() if s == "new")
    lone, joiner = new[0], matched[0]
    cluster = plain[joiner][1]
    other = sorted(r for r in index.ids if index.cluster_of(r) != cluster)[0]
    members = sorted(r for r in index.ids if index.cluster_of(r) == cluster)
    decisions = Decisions.from_pairs(must_link=[(lone, other)],
                                     cannot_link=[(members[-1], joiner)])  # fmt: skip
    got = _status(index.match(batch, decisions=decisions))
    assert got[lone] == ("matched", index.cluster_of(other))
    assert got[joiner][1] != cluster
    untouched = {k: v for k, v in plain.items() if k not in (lone, joiner)}
    assert {k: got[k] for k in untouched} == untouched


def test_index_keeps_decided_batch_records_together_and_apart(indexed) -> None:
    index, batch = indexed
    plain = _status(index.match(batch))
    new = sorted(k for k, (s, c) in plain.items() if s == "new" and c == k)
    matched = sorted(k for k, (s, _) in plain.items() if s == "matched")
    a, b = new[0], matched[0]
    together = _status(index.match(batch, decisions=Decisions.from_pairs(must_link=[(a, b)])))
    assert together[a] == together[b] == ("matched", plain[b][1])
    # two batch records that match one cluster: a cannot-link sends one of them elsewhere
    by_cluster: dict[object, list[object]] = defaultdict(list)
    for k, (s, c) in plain.items():
        if s == "matched":
            by_cluster[c].append(k)
    pair = sorted(next(v for v in by_cluster.values() if len(v) >= 2))[:2]
    apart = _status(index.match(batch, decisions=Decisions.from_pairs(cannot_link=[pair])))
    assert apart[pair[0]][1] != apart[pair[1]][1]


def test_index_refuses_decisions_that_would_merge_or_split_its_clusters(indexed) -> None:
    index, batch = indexed
    clusters = _members({r: index.cluster_of(r) for r in index.ids})
    big = sorted(max(clusters.values(), key=len))
    a, b = sorted(clusters)[:2]
    with pytest.raises(ConfigError, match=r"row\(s\) 1 contradict the index.s clusters") as caught:
        index.match(batch, decisions=Decisions.from_pairs(cannot_link=[(big[0], big[1])]))
    assert big[0] not in str(caught.value)
    lone = batch[0]["record_id"]
    with pytest.raises(ConfigError, match="would join two clusters"):
        index.match(batch, decisions=Decisions.from_pairs(must_link=[(lone, a), (lone, b)]))


def test_index_decisions_are_stored_by_add_and_survive_save_and_load(indexed, tmp_path) -> None:
    index, batch = indexed
    plain = _status(index.match(batch))
    new = sorted(k for k, (s, c) in plain.items() if s == "new" and c == k)
    target = index.ids[0]
    decisions = Decisions.from_pairs(must_link=[(new[0], target)], cannot_link=[(new[1], target)])
    with pytest.warns(DecisionWarning, match=r"row\(s\) 3"):
        added = index.add(batch, decisions=decisions.updated(
            Decisions.from_pairs(must_link=[("nobody", target)])))  # fmt: skip
    assert added.cluster_of(new[0]) == index.cluster_of(target)
    assert added.cluster_of(new[1]) != index.cluster_of(target)
    assert len(index.decisions) == 0
    assert added.decisions.to_table() == decisions.to_table()
    added.save(tmp_path / "index")
    loaded = crmclean.MatchIndex.load(tmp_path / "index")
    assert loaded.decisions.to_table() == decisions.to_table()
    assert loaded.clusters() == added.clusters()
    # a newer decision about a pair replaces the stored one
    newer = Decisions.from_pairs(cannot_link=[(target, new[1])], must_link=[(new[0], target)])
    with pytest.raises(ConfigError, match="contradict the index's clusters"):
        loaded.add([], decisions=Decisions.from_pairs(cannot_link=[(target, new[0])]))
    again = loaded.add([], decisions=newer)
    assert again.decisions.must_link == ((new[0], target),)
    assert again.decisions.cannot_link == ((target, new[1]),)


def test_index_build_stores_decisions_that_agree_with_the_clusters(indexed, tmp_path) -> None:
    index, _ = indexed
    clusters = _members({r: index.cluster_of(r) for r in index.ids})
    big = sorted(max(clusters.values(), key=len))
    a, b = sorted(clusters)[:2]
    decisions = Decisions.from_pairs(must_link=[(big[0], big[1])], cannot_link=[(a, b)])
    settings, table = index.settings, index.clusters()
    built = crmclean.MatchIndex.build(
        _load_base(index), "record_id", settings=settings, clusters=table, decisions=decisions)
    assert built.decisions.to_table() == decisions.to_table()
    with pytest.raises(ConfigError, match=r"row\(s\) 1 contradict"):
        crmclean.MatchIndex.build(_load_base(index), "record_id", settings=settings,
                                  clusters=table,
                                  decisions=Decisions.from_pairs(cannot_link=[big[:2]]))


def _load_base(index: crmclean.MatchIndex) -> list[dict[str, str]]:
    wanted = set(index.ids)
    return [r for r in _load() if r["record_id"] in wanted]


def test_saved_decisions_are_checked_when_loaded(indexed, tmp_path) -> None:
    index, batch = indexed
    target = index.ids[0]
    added = index.add(batch[:1], decisions=Decisions.from_pairs(
        must_link=[(batch[0]["record_id"], target)]))  # fmt: skip
    added.save(tmp_path / "index")
    path = tmp_path / "index" / "decisions.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"match"', '"non_match"'),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(crmclean.IndexFileError, match="altered"):
        crmclean.MatchIndex.load(tmp_path / "index")
