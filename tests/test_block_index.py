"""BlockIndex: pairs among indexed records, candidates for new ones, extend; rule dict forms."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from crmclean.block import (
    BlockIndex,
    BlockingRule,
    MatchingWarning,
    SortedNeighbourhood,
    block,
    name_order,
    rule_from_dict,
)
from crmclean.errors import ColumnError, ConfigError
from crmclean.pipeline import MatchSettings, default_settings
from crmclean.prepare import EncodedKeys, encode_keys


def _random_keys(seed: int, n: int) -> dict[str, list[str | None]]:
    rng = np.random.default_rng(seed)

    def pick(pool: list[str], null: float) -> list[str | None]:
        return [None if rng.random() < null else str(rng.choice(pool)) for _ in range(n)]

    return {
        "family": pick(["lee", "kim", "lim", "park", "li", "lo"], 0.1),
        "given": pick(["ann", "amy", "bo", "bea", "cy"], 0.1),
        "city": pick([f"c{k}" for k in range(8)], 0.2),
    }


def _pairs(b: np.ndarray, r: np.ndarray) -> set[tuple[int, int]]:
    return set(zip(b.tolist(), r.tolist(), strict=True))


@pytest.mark.parametrize("seed", range(4))
def test_pairs_are_what_block_returns(seed: int) -> None:
    keys = encode_keys(_random_keys(seed, 300))
    rules = [BlockingRule(("city",)), BlockingRule(("family", "given[:1]")),
             SortedNeighbourhood(("family", "given"), window=2)]  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        for options in ({}, {"block_cap": 6, "cap_window": 2}, {"max_pairs_per_rule": 400}):
            ours = BlockIndex.build(keys, rules, order_key=np.arange(300), **options).pairs()
            theirs = block(keys, rules, **options)
            assert ours.left.tolist() == theirs.left.tolist()
            assert ours.right.tolist() == theirs.right.tolist()
            assert (ours.rule_pairs, ours.rule_new, ours.capped, ours.caps) == (
                theirs.rule_pairs, theirs.rule_new, theirs.capped, theirs.caps
            )  # fmt: skip


@pytest.mark.parametrize("seed", range(4))
def test_candidates_of_uncapped_blocks_are_every_record_sharing_the_keys(seed: int) -> None:
    old = _random_keys(seed, 200)
    new = _random_keys(seed + 100, 40)
    new["city"][0] = "a city nobody has"
    index = BlockIndex.build(encode_keys(old), [BlockingRule(("city", "family[:1]"))])
    b, r = index.candidates(encode_keys(new))
    expected = {
        (i, j)
        for i, j in itertools.product(range(40), range(200))
        if new["city"][i] is not None and new["city"][i] == old["city"][j]
        and new["family"][i] is not None and old["family"][j] is not None
        and new["family"][i][0] == old["family"][j][0]
    }  # fmt: skip
    assert _pairs(b, r) == expected
    codes = b * 200 + r
    assert codes.tolist() == sorted(set(codes.tolist()))  # de-duplicated, sorted


def test_a_sorted_pass_gives_the_window_on_each_side_of_the_new_record() -> None:
    names = ["b", "d", "f", "h", "j", "l", None]
    index = BlockIndex.build(encode_keys({"family": names}),
                             [SortedNeighbourhood(("family",), window=2)])  # fmt: skip
    b, r = index.candidates(encode_keys({"family": ["g", "a", "z", "f", None]}))
    found: dict[int, list[str]] = {}
    for i, j in zip(b.tolist(), r.tolist(), strict=True):
        found.setdefault(i, []).append(str(names[j]))
    # "f" itself is indexed: the new record goes before it, as if it had the smaller id
    assert found == {0: ["d", "f", "h", "j"], 1: ["b", "d"], 2: ["j", "l"],
                     3: ["b", "d", "f", "h"]}  # fmt: skip


def test_a_capped_block_gives_the_nearest_records_by_name() -> None:
    given = [f"g{k:02d}" for k in range(30)]
    keys = encode_keys({"family": ["shared"] * 30, "given": given, "city": ["york"] * 30})
    index = BlockIndex.build(keys, [BlockingRule(("city",))], block_cap=10, cap_window=3)
    new = encode_keys({"family": ["shared", "shared"], "given": ["g10x", "a"],
                       "city": ["york", "york"]})  # fmt: skip
    with pytest.warns(MatchingWarning, match="cap of 10"):
        b, r = index.candidates(new)
    found = {i: sorted(given[j] for j in r[b == i].tolist()) for i in (0, 1)}
    assert found == {0: ["g08", "g09", "g10", "g11", "g12", "g13"], 1: ["g00", "g01", "g02"]}


def test_a_capped_block_meets_the_neighbours_the_batch_pairs_it_with() -> None:
    """A new record meets, in its capped block, the records that the batch run over the
    index and the record together pairs it with: its window on each side in name order."""
    given = [f"g{k:02d}" for k in range(40)]
    keys = encode_keys({"family": ["x"] * 40, "given": given, "city": ["york"] * 40})
    rules = [BlockingRule(("city",))]
    others = np.array([k for k in range(40) if k != 17])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        batch = BlockIndex.build(keys, rules, block_cap=10, cap_window=3).pairs()
        index = BlockIndex.build(keys.take(others), rules, block_cap=10, cap_window=3)
        _, r = index.candidates(keys.take(np.array([17])))
    pairs = zip(batch.left.tolist(), batch.right.tolist(), strict=True)
    partners = {j if i == 17 else i for i, j in pairs if 17 in (i, j)}
    assert set(others[r].tolist()) == partners == {14, 15, 16, 18, 19, 20}


def test_the_budget_lowers_the_cap_and_shrinks_the_window() -> None:
    keys = encode_keys({"city": ["york"] * 30 + ["hull"] * 4, "family": ["x"] * 34})
    index = BlockIndex.build(keys, [BlockingRule(("city",))], max_pairs_per_rule=10)
    assert index.caps == {"city": 4}
    with pytest.warns(MatchingWarning, match="the 1 nearest"):
        _, r = index.candidates(encode_keys({"city": ["york"], "family": ["x"]}))
    assert len(r) == 1  # the record of the same name that comes after it


def test_missing_and_unknown_columns_and_an_empty_index() -> None:
    index = BlockIndex.build(encode_keys({"city": ["york", "york"]}), [BlockingRule(("city",))])
    b, _ = index.candidates(encode_keys({"email": ["a@x.org"]}))
    assert len(b) == 0
    empty = BlockIndex.build(encode_keys({"city": []}), [BlockingRule(("city",)),
                                                        SortedNeighbourhood(("city",))])
    assert len(empty.candidates(encode_keys({"city": ["york"]}))[0]) == 0
    with pytest.raises(ColumnError):
        BlockIndex.build(encode_keys({"city": ["york"]}), [BlockingRule(("email",))])
    with pytest.raises(ConfigError, match="block_cap"):
        BlockIndex.build(encode_keys({"city": ["york"]}), [], block_cap=1)


def test_an_order_that_is_not_by_name_cannot_place_new_records_in_capped_blocks() -> None:
    keys = encode_keys({"family": ["b", "a", "c", "d"], "city": ["y"] * 4})
    index = BlockIndex.build(keys, [BlockingRule(("city",))], block_cap=2, cap_window=1,
                             order_key=np.arange(4))  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        with pytest.raises(ConfigError, match="ordered by name"):
            index.candidates(encode_keys({"family": ["a"], "city": ["y"]}))


def test_extend_equals_building_on_all_records() -> None:
    old, new = _random_keys(1, 150), _random_keys(2, 60)
    rules = [BlockingRule(("city",)), BlockingRule(("family", "given[:1]")),
             SortedNeighbourhood(("given", "family"), window=3)]  # fmt: skip
    index = BlockIndex.build(encode_keys(old), rules, block_cap=8, cap_window=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MatchingWarning)
        grown = index.extend(encode_keys(new))
        union = BlockIndex.build(encode_keys({k: old[k] + new[k] for k in old}), rules,
                                 block_cap=8, cap_window=2)  # fmt: skip
        assert grown.pairs().left.tolist() == union.pairs().left.tolist()
        assert grown.pairs().right.tolist() == union.pairs().right.tolist()
    assert len(grown) == 210
    assert len(index) == 150
    keys: EncodedKeys = grown.keys
    assert keys["given"].vocab is keys["family"].vocab
    for name in old:
        strings = [None if c < 0 else keys[name].vocab[c] for c in keys[name].codes.tolist()]
        assert strings == old[name] + new[name]
    with pytest.raises(ColumnError, match="does not hold"):
        index.extend(encode_keys({"email": ["a@x.org"]}))


def test_lookup_and_name_order() -> None:
    keys = encode_keys({"family": ["lee", "kim", None], "given": ["al", "al", "bo"]})
    index = BlockIndex.build(keys, [])
    values = np.array(["kim", "bo", "zed", None], dtype=object)
    assert index.lookup("family", values).tolist() == [1, 3, -1, -1]  # one shared vocabulary
    assert name_order(keys).tolist() == [1, 0, 2]
    assert repr(index) == "BlockIndex(3 records, 0 rules)"


# --- dict forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [BlockingRule(("email",)), BlockingRule(("postcode", "family[:3]"), name="pc"),
     SortedNeighbourhood(("family", "given")), SortedNeighbourhood(("email.local",), window=9)],
)  # fmt: skip
def test_rules_round_trip_through_dicts(rule: BlockingRule | SortedNeighbourhood) -> None:
    data = rule.to_dict()
    assert rule_from_dict(data) == rule
    assert type(rule).from_dict(data) == rule
    assert rule_from_dict(dict(data)) == rule


def test_the_dict_forms_are_those_of_the_settings() -> None:
    settings = default_settings(["email", "family", "given", "postcode"])
    assert settings.to_dict()["blocking"] == [r.to_dict() for r in settings.blocking]
    restored = [rule_from_dict(item) for item in settings.to_dict()["blocking"]]
    assert tuple(restored) == settings.blocking
    assert MatchSettings.from_dict(settings.to_dict()).blocking == settings.blocking


def test_a_rule_dict_without_type_is_a_blocking_rule() -> None:
    assert rule_from_dict({"keys": ["email"]}) == BlockingRule(("email",))
    assert SortedNeighbourhood.from_dict({"keys": ["given"]}).window == 5


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (["email"], "must be a mapping"),
        ({"type": "fuzzy", "keys": ["email"]}, "unknown blocking rule type"),
        ({"type": "rule"}, "'keys' is missing"),
        ({"type": "rule", "keys": "email"}, "'keys' must be a list"),
        ({"type": "rule", "keys": ["email", 3]}, "'keys' must be a list"),
        ({"type": "rule", "keys": []}, "at least one key column"),
        ({"type": "rule", "keys": ["e-mail"]}, "bad key column"),
        ({"type": "rule", "keys": ["email"], "window": 3}, "unknown entry 'window'"),
        ({"type": "rule", "keys": ["email"], "name": 5}, "'name' must be a string"),
        ({"type": "sorted", "keys": ["given"], "window": 0}, "window must be a positive"),
        ({"type": "sorted", "keys": ["given"], "window": "4"}, "'window' must be a positive"),
        ({"type": "sorted", "keys": ["given"], "window": True}, "'window' must be a positive"),
        ({"type": "sorted", "keys": ["given"], "size": 4, "x": 1}, "unknown entries 'size', 'x'"),
    ],
)
def test_bad_rule_dicts_are_refused_naming_the_problem(data: object, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        rule_from_dict(data)  # type: ignore[arg-type]


def test_from_dict_of_the_other_type_is_refused() -> None:
    with pytest.raises(ConfigError, match="expected a blocking rule of type 'rule'"):
        BlockingRule.from_dict({"type": "sorted", "keys": ["given"]})
    with pytest.raises(ConfigError, match="of type 'sorted'"):
        SortedNeighbourhood.from_dict(BlockingRule(("email",)).to_dict())
