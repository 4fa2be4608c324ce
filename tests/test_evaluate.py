"""Pairwise and B-cubed scores of the benchmark evaluation script (benchmarks/evaluate.py)."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchscripts import load

ev = load("evaluate")


def brute_force(pred, truth, source=None):
    """Reference implementation that enumerates every pair and every record."""
    n = len(pred)
    tp = pp = tt = 0
    for i, j in itertools.combinations(range(n), 2):
        if source is not None and source[i] == source[j]:
            continue
        same_p, same_t = pred[i] == pred[j], truth[i] == truth[j]
        pp += same_p
        tt += same_t
        tp += same_p and same_t
    bp = br = Fraction(0)
    for i in range(n):
        both = sum(1 for j in range(n) if pred[j] == pred[i] and truth[j] == truth[i])
        bp += Fraction(both, sum(1 for j in range(n) if pred[j] == pred[i]))
        br += Fraction(both, sum(1 for j in range(n) if truth[j] == truth[i]))
    return tp, pp, tt, float(bp / n) if n else 1.0, float(br / n) if n else 1.0


def test_hand_computed_example():
    # truth {a,b,c} {d,e}; predicted {a,b} {c,d,e}
    s = ev.score_clusters(["p", "p", "q", "q", "q"], ["t1", "t1", "t1", "t2", "t2"])
    assert (s.true_pairs, s.predicted_pairs, s.true_positive_pairs) == (4, 4, 2)
    assert s.pairwise_precision == 0.5
    assert s.pairwise_recall == 0.5
    assert s.pairwise_f1 == 0.5
    # precision per record: 1, 1, 1/3, 2/3, 2/3; recall: 2/3, 2/3, 1/3, 1, 1
    assert s.bcubed_precision == pytest.approx(11 / 15)
    assert s.bcubed_recall == pytest.approx(11 / 15)
    assert s.bcubed_f1 == pytest.approx(11 / 15)
    assert s.n_records == 5


def test_second_hand_computed_example():
    # truth {1,2,3,4} {5}; predicted {1,2} {3} {4,5}
    s = ev.score_clusters(["a", "a", "b", "c", "c"], [1, 1, 1, 1, 2])
    assert (s.true_pairs, s.predicted_pairs, s.true_positive_pairs) == (6, 2, 1)
    assert s.pairwise_precision == 0.5
    assert s.pairwise_recall == pytest.approx(1 / 6)
    assert s.pairwise_f1 == pytest.approx(2 * 0.5 * (1 / 6) / (0.5 + 1 / 6))
    # precision: 1, 1, 1, 1/2, 1/2 -> 4/5; recall: 1/2, 1/2, 1/4, 1/4, 1 -> 5/10
    assert s.bcubed_precision == pytest.approx(4 / 5)
    assert s.bcubed_recall == pytest.approx(1 / 2)


def test_perfect_clustering():
    s = ev.score_clusters([9, 9, 7, 5, 5, 5], ["x", "x", "y", "z", "z", "z"])
    assert s.pairwise_precision == s.pairwise_recall == s.pairwise_f1 == 1.0
    assert s.bcubed_precision == s.bcubed_recall == s.bcubed_f1 == 1.0


def test_all_singletons_predicted():
    s = ev.score_clusters([1, 2, 3, 4], ["a", "a", "a", "b"])
    assert s.predicted_pairs == 0
    assert s.pairwise_precision == 1.0  # nothing predicted: nothing wrong
    assert s.pairwise_recall == 0.0
    assert s.pairwise_f1 == 0.0
    assert s.bcubed_precision == 1.0
    assert s.bcubed_recall == pytest.approx((1 / 3 * 3 + 1) / 4)


def test_everything_in_one_cluster():
    s = ev.score_clusters([0] * 5, ["a", "a", "a", "b", "b"])
    assert s.predicted_pairs == 10
    assert s.true_positive_pairs == 4
    assert s.pairwise_precision == pytest.approx(0.4)
    assert s.pairwise_recall == 1.0
    assert s.bcubed_recall == 1.0
    assert s.bcubed_precision == pytest.approx((3 * 3 / 5 + 2 * 2 / 5) / 5)


def test_no_true_pairs_and_none_predicted():
    s = ev.score_clusters([1, 2, 3], ["a", "b", "c"])
    assert s.pairwise_f1 == 1.0
    assert s.bcubed_f1 == 1.0


def test_empty_input():
    s = ev.score_clusters([], [])
    assert s.n_records == 0
    assert s.pairwise_f1 == 1.0


def test_label_values_and_record_order_do_not_matter():
    pred = ["p", "p", "q", "q", "q", "r"]
    truth = [1, 1, 1, 2, 2, 3]
    base = ev.score_clusters(pred, truth)
    renamed = ev.score_clusters(
        [("x", 1), ("x", 1), 3.5, 3.5, 3.5, None], ["a", "a", "a", 0, 0, 7]
    )
    order = [5, 3, 1, 0, 4, 2]
    shuffled = ev.score_clusters([pred[i] for i in order], [truth[i] for i in order])
    assert renamed.as_dict() == pytest.approx(base.as_dict())
    assert shuffled.as_dict() == pytest.approx(base.as_dict())


def test_linking_counts_only_cross_table_pairs():
    # tables A = {a1, a2}, B = {b1, b2}; truth a1~b1, a2~b2; predicted {a1, b1, a2} {b2}
    pred = ["c1", "c1", "c1", "c2"]
    truth = ["e1", "e1", "e2", "e2"]
    source = ["A", "B", "A", "B"]
    s = ev.score_clusters(pred, truth, source=source)
    assert (s.true_pairs, s.predicted_pairs, s.true_positive_pairs) == (2, 2, 1)
    assert s.pairwise_precision == 0.5
    assert s.pairwise_recall == 0.5
    # the same clusters scored as deduplication also count the a1-a2 pair
    assert ev.score_clusters(pred, truth).predicted_pairs == 3


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="same length"):
        ev.score_clusters([1, 2], [1])
    with pytest.raises(ValueError, match="source"):
        ev.score_clusters([1, 2], [1, 2], source=["a"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 4), st.integers(0, 2)),
        min_size=0,
        max_size=25,
    ),
    st.booleans(),
)
def test_agrees_with_pair_enumeration(records, linking):
    pred = [r[0] for r in records]
    truth = [r[1] for r in records]
    source = [r[2] for r in records] if linking else None
    s = ev.score_clusters(pred, truth, source=source)
    tp, pp, tt, bp, br = brute_force(pred, truth, source)
    assert (s.true_positive_pairs, s.predicted_pairs, s.true_pairs) == (tp, pp, tt)
    assert s.bcubed_precision == pytest.approx(bp)
    assert s.bcubed_recall == pytest.approx(br)


def test_score_mappings_missing_predictions_are_singletons():
    truth = {"1": "a", "2": "a", "3": "b"}
    s = ev.score_mappings({"1": "x"}, truth)
    assert s.n_records == 3
    assert s.predicted_pairs == 0
    assert s.true_pairs == 1
    both = ev.score_mappings({"1": "x", "2": "x", "3": "y"}, truth)
    assert both.pairwise_f1 == 1.0


def test_score_mappings_unknown_id_is_an_error():
    with pytest.raises(KeyError, match="1 predicted record ids"):
        ev.score_mappings({"1": "x", "99": "x"}, {"1": "a"})


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cli_scores_csv_files(tmp_path, capsys):
    pred = _write(tmp_path / "pred.csv", "record_id,cluster_id\n1,p\n2,p\n3,q\n4,q\n5,q\n")
    truth = _write(
        tmp_path / "truth.csv",
        "record_id,First Name,true_entity\n1,Ann,t1\n2,Ann,t1\n3,An,t1\n4,Bo,t2\n5,Bo,t2\n",
    )
    assert ev.main([pred, truth]) == 0
    out = capsys.readouterr().out
    assert "| pairwise F1 | 0.5000 |" in out
    assert "| B-cubed F1 | 0.7333 |" in out
    assert "| true pairs | 4 |" in out


def test_cli_linking_with_source_column(tmp_path, capsys):
    pred = _write(tmp_path / "pred.csv", "id,cluster\na1,c1\nb1,c1\na2,c1\nb2,c2\n")
    truth = _write(tmp_path / "truth.csv", "id,entity,table\na1,e1,A\nb1,e1,B\na2,e2,A\nb2,e2,B\n")
    code = ev.main([pred, truth, "--pred-cluster", "cluster", "--truth-entity", "entity",
                    "--truth-source", "table"])
    assert code == 0
    assert "| pairwise precision | 0.5000 |" in capsys.readouterr().out


def test_cli_missing_predictions_note(tmp_path, capsys):
    pred = _write(tmp_path / "pred.csv", "record_id,cluster_id\n1,p\n")
    truth = _write(tmp_path / "truth.csv", "record_id,true_entity\n1,a\n2,a\n")
    assert ev.main([pred, truth]) == 0
    captured = capsys.readouterr()
    assert "1 records have no prediction" in captured.err
    assert "| pairwise recall | 0.0000 |" in captured.out


@pytest.mark.parametrize(
    ("pred_text", "args", "message"),
    [
        ("record_id,cluster_id\n1,p\n1,q\n", [], "duplicate ids"),
        ("record_id,cluster_id\n1,p\n", ["--pred-cluster", "nope"], "no column 'nope'"),
        ("record_id,cluster_id\n7,p\n", [], "not in the truth"),
    ],
)
def test_cli_errors(tmp_path, capsys, pred_text, args, message):
    pred = _write(tmp_path / "pred.csv", pred_text)
    truth = _write(tmp_path / "truth.csv", "record_id,true_entity\n1,a\n2,a\n")
    assert ev.main([pred, truth, *args]) == 2
    assert message in capsys.readouterr().err
