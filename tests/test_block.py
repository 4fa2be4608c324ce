"""Blocking: rules, union and de-duplication, the block cap, sorted neighbourhood, two tables."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from crmclean.block import BlockingRule, MatchingWarning, SortedNeighbourhood, block
from crmclean.errors import ColumnError, ConfigError
from crmclean.prepare import encode_keys


def _pairs(candidates) -> list[tuple[int, int]]:
    return list(zip(candidates.left.tolist(), candidates.right.tolist(), strict=True))


def _brute_force(values: list[str | None]) -> set[tuple[int, int]]:
    return {
        (i, j)
        for i, j in itertools.combinations(range(len(values)), 2)
        if values[i] is not None and values[i] == values[j]
    }


def test_one_rule_pairs_every_record_sharing_the_key() -> None:
    emails = ["a@x.org", "b@x.org", "a@x.org", None, "a@x.org", None, "b@x.org"]
    candidates = block(encode_keys({"email": emails}), [BlockingRule(("email",))])
    assert _pairs(candidates) == [(0, 2), (0, 4), (1, 6), (2, 4)]
    assert candidates.rule_pairs == {"email": 4}


def test_nulls_never_block_together() -> None:
    candidates = block(encode_keys({"email": [None, None, "", None]}), [BlockingRule(("email",))])
    assert len(candidates) == 0


@pytest.mark.parametrize("seed", range(5))
def test_matches_brute_force_on_random_keys(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = [None if rng.random() < 0.2 else f"k{rng.integers(0, 12)}" for _ in range(80)]
    candidates = block(encode_keys({"city": values}), [BlockingRule(("city",))])
    assert set(_pairs(candidates)) == _brute_force(values)
    assert all(i < j for i, j in _pairs(candidates))


def test_two_key_rule_needs_both_keys_equal() -> None:
    keys = encode_keys(
        {"family": ["lee", "lee", "lee", "kim", None], "given": ["ann", "amy", "bo", "ann", "ann"]}
    )
    candidates = block(keys, [BlockingRule(("family", "given[:1]"))])
    assert _pairs(candidates) == [(0, 1)]


def test_union_deduplicates_and_reports_new_pairs_per_rule() -> None:
    keys = encode_keys({"email": ["a@x", "a@x", "c@x", "d@x"], "phone": ["1", "1", "2", "2"]})
    rules = [BlockingRule(("email",)), BlockingRule(("phone",))]
    candidates = block(keys, rules)
    assert _pairs(candidates) == [(0, 1), (2, 3)]
    assert candidates.rule_pairs == {"email": 1, "phone": 2}
    assert candidates.rule_new == {"email": 1, "phone": 1}


def test_derived_keys_slices_and_email_parts() -> None:
    keys = encode_keys({"email": ["ann@x.org", "ann@y.org", "bob@x.org"], "phone": [
        "+441134960000", "+11134960000", "+441134960001"]})  # fmt: skip
    by_local = block(keys, [BlockingRule(("email.local",))])
    by_domain = block(keys, [BlockingRule(("email.domain",))])
    by_end = block(keys, [BlockingRule(("phone[-7:]",))])
    assert _pairs(by_local) == [(0, 1)]
    assert _pairs(by_domain) == [(0, 2)]
    assert _pairs(by_end) == [(0, 1)]


def test_sorted_neighbourhood_pairs_each_record_with_the_next_ones() -> None:
    keys = encode_keys({"family": ["smith", "smyth", "adams", "smithe", None]})
    candidates = block(keys, [SortedNeighbourhood(("family",), window=1)])
    # sorted: adams(2) smith(0) smithe(3) smyth(1)
    assert set(_pairs(candidates)) == {(0, 2), (0, 3), (1, 3)}


def test_block_cap_windows_a_huge_block_and_warns() -> None:
    n = 5_000
    keys = encode_keys({"email": ["test@test.com"] * n, "family": [f"f{i}" for i in range(n)]})
    with pytest.warns(MatchingWarning, match="larger than the cap"):
        candidates = block(keys, [BlockingRule(("email",))], block_cap=100, cap_window=3)
    assert candidates.capped == {"email": (1, n)}
    assert len(candidates) == 3 * n - 6  # each record with its next three, never n²/2
    assert len(candidates) < 10 * n


def test_blocks_under_the_cap_are_complete_and_others_windowed() -> None:
    values = ["a"] * 5 + ["b"] * 50
    keys = encode_keys({"k": values})
    with pytest.warns(MatchingWarning):
        candidates = block(keys, [BlockingRule(("k",))], block_cap=10, cap_window=2)
    pairs = set(_pairs(candidates))
    assert {(i, j) for i, j in itertools.combinations(range(5), 2)} <= pairs
    assert len(pairs) == 10 + (49 + 48)


def test_too_many_pairs_lower_the_cap() -> None:
    values = [f"k{i // 20}" for i in range(2_000)]  # 100 blocks of 20: 19,000 pairs
    keys = encode_keys({"k": values})
    with pytest.warns(MatchingWarning):
        candidates = block(keys, [BlockingRule(("k",))], max_pairs_per_rule=5_000, cap_window=2)
    assert candidates.caps["k"] < 20
    assert len(candidates) <= 5_000 + 2 * 2_000


def test_two_table_mode_pairs_only_across_tables() -> None:
    keys = encode_keys({"email": ["a", "a", "b", "a", "b", "b"]})
    sides = np.array([False, False, False, True, True, True])
    candidates = block(keys, [BlockingRule(("email",))], sides=sides)
    assert _pairs(candidates) == [(0, 3), (1, 3), (2, 4), (2, 5)]


def test_two_table_mode_windows_across_tables_in_capped_blocks() -> None:
    n = 400
    keys = encode_keys({"k": ["x"] * n, "family": [f"f{i // 2:04d}" for i in range(n)]})
    sides = np.arange(n) >= n // 2
    with pytest.warns(MatchingWarning):
        candidates = block(keys, [BlockingRule(("k",))], block_cap=10, cap_window=4,
                           sides=sides)  # fmt: skip
    assert len(candidates) > 0
    assert not sides[candidates.left].any()
    assert sides[candidates.right].all()


def test_same_input_gives_the_same_candidates() -> None:
    rng = np.random.default_rng(3)
    values = [f"k{rng.integers(0, 30)}" for _ in range(300)]
    names = [f"n{rng.integers(0, 1000)}" for _ in range(300)]
    rules = [BlockingRule(("k",)), SortedNeighbourhood(("family",), window=2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = block(encode_keys({"k": values, "family": names}), rules, block_cap=5)
        b = block(encode_keys({"k": values, "family": names}), rules, block_cap=5)
    assert _pairs(a) == _pairs(b)


@pytest.mark.parametrize(
    "keys",
    [(), ("Email",), ("family[:x]",), ("email.user",), ("a b",)],
)
def test_bad_rules_raise_config_error(keys: tuple[str, ...]) -> None:
    with pytest.raises(ConfigError):
        BlockingRule(keys)


def test_rule_keys_must_be_a_tuple_not_a_string() -> None:
    with pytest.raises(TypeError):
        BlockingRule("email")  # type: ignore[arg-type]


def test_unknown_key_column_raises_column_error_before_work() -> None:
    with pytest.raises(ColumnError, match="phone"):
        block(encode_keys({"email": ["a"]}), [BlockingRule(("phone",))])


def test_bad_window_and_duplicate_names() -> None:
    with pytest.raises(ConfigError):
        SortedNeighbourhood(("family",), window=0)
    keys = encode_keys({"email": ["a", "a"]})
    with pytest.raises(ConfigError):
        block(keys, [BlockingRule(("email",)), BlockingRule(("email",))])


def test_empty_and_single_record() -> None:
    assert len(block(encode_keys({"email": []}), [BlockingRule(("email",))])) == 0
    assert len(block(encode_keys({"email": ["a"]}), [BlockingRule(("email",))])) == 0
