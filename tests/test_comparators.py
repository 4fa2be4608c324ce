"""Comparators as values: a user-defined comparator end to end, the registry, serialization."""

from __future__ import annotations

import json
from collections.abc import Iterator

import attrs
import numpy as np
import pytest

import crmclean
from crmclean import compare
from crmclean.block import BlockingRule
from crmclean.compare import (
    COMPARATOR_KINDS,
    Comparator,
    Comparison,
    PairBatch,
    compare_all,
    compare_pairs,
    get_comparator,
    register_comparator,
)
from crmclean.errors import ConfigError
from crmclean.pipeline import MatchSettings
from crmclean.prepare import encode_keys

# --- a comparator written outside the library -----------------------------------------------


def _loyalty_levels(batch: PairBatch, comparison: Comparison) -> np.ndarray:
    """exact card number / same last four digits / else; -1 where a card is missing."""
    key = comparison.columns[0]
    equal, null = batch.equal(key)
    last_four, _ = batch.equal(f"{key}[-4:]")
    out = np.zeros(len(batch), dtype=np.int8)
    out[last_four] = 1
    out[equal] = 2
    out[null] = -1
    return out


LOYALTY = register_comparator(
    Comparator(
        name="loyalty_card",
        columns=("key",),
        thresholds=(),
        description="exact / same last 4 digits / else",
        level_names=lambda t: ("else", "last_4", "exact"),
        compare=_loyalty_levels,
    )
)

CARDS = ["4417001234", "4417001234", "5500991234", "1111222233", None]


def test_user_comparator_in_a_comparison() -> None:
    card = Comparison("card", "loyalty_card")
    assert card.comparator is LOYALTY
    assert card.columns == ("card",)
    assert card.levels == ("else", "last_4", "exact")
    assert card.required_columns == ("card",)
    assert card.deciding_columns == ("card",)
    assert card.has_exact_key_level()
    assert COMPARATOR_KINDS["loyalty_card"] == (("key",), (), "exact / same last 4 digits / else")


def test_user_comparator_through_compare_all() -> None:
    keys = encode_keys({"card": CARDS, "city": ["leeds", "leeds", "york", None, "leeds"]})
    comparisons = [Comparison("card", "loyalty_card"), Comparison("city", "string")]
    left, right = np.array([0, 0, 0, 0, 4]), np.array([1, 2, 3, 4, 1])
    levels = compare_all(keys, comparisons, left, right)
    assert levels[:, 0].tolist() == [2, 1, 0, -1, -1]
    assert levels[:, 1].tolist() == [3, 0, -1, 3, 3]
    assert (compare_all(keys, comparisons, left, right, chunk_size=2) == levels).all()
    alone = compare_pairs(keys, comparisons[0], left, right)
    assert alone.dtype == np.int8
    assert (alone == levels[:, 0]).all()


def _people() -> list[dict[str, str | None]]:
    """Forty people, each with a second record: the same card, or a card reissued with a new
    prefix (same last four digits), or no card; names sometimes with a typo."""
    rng = np.random.default_rng(7)
    given = ["ann", "bob", "carl", "dora", "eve", "finn", "gina", "hugo", "ida", "jon"]
    family = ["smith", "jones", "brown", "taylor", "wilson", "evans", "walker", "wright"]
    rows: list[dict[str, str | None]] = []
    for p in range(40):
        first, last = given[p % 10], family[p // 5]
        card = f"{int(rng.integers(1000, 9999))}00{p:04d}"
        rows.append({"id": f"{p}a", "first_name": first, "last_name": last, "card": card})
        second = "9999" + card[4:] if p % 3 == 1 else card if p % 3 == 0 else None
        rows.append({"id": f"{p}b", "first_name": first, "last_name": last + "e" * (p % 2),
                     "card": second})  # fmt: skip
    return rows


def test_user_comparator_through_dedupe() -> None:
    settings = MatchSettings(
        comparisons=[
            Comparison("given", "given_name", tf=True),
            Comparison("family", "family_name", tf=True),
            Comparison("card", "loyalty_card", columns=("national_id",)),
        ],
        blocking=[BlockingRule(("national_id[-4:]",)), BlockingRule(("given",))],
    )
    rows = _people()
    result = crmclean.dedupe(rows, id_column="id", settings=settings,
                             columns={"national_id": "card"})  # fmt: skip
    fitted = result.settings.comparisons[2]
    assert fitted.kind == "loyalty_card"
    assert fitted.m is not None
    assert fitted.u is not None
    assert fitted.m[2] > fitted.u[2]  # a shared card is evidence of a match
    pairs = result.pairs
    ids = zip(pairs["id_l"], pairs["id_r"], strict=True)
    levels = dict(zip(ids, pairs["gamma_card"], strict=True))
    assert levels[("0a", "0b")] == 2
    assert levels[("1a", "1b")] == 1
    clusters = dict(zip(result.clusters["id"], result.clusters["cluster_id"], strict=True))
    for p in range(0, 40, 3):  # same card, same given name
        assert clusters[f"{p}a"] == clusters[f"{p}b"]
    # the fitted settings, with the user kind, survive JSON
    again = MatchSettings.from_json(result.settings.to_json())
    assert again == result.settings
    assert json.loads(result.settings.to_json())["comparisons"][2]["levels"] == [
        "else", "last_4", "exact",
    ]  # fmt: skip


# --- the registry ---------------------------------------------------------------------------


def test_registry_refuses_a_taken_name_unless_replacing() -> None:
    with pytest.raises(ConfigError, match="'loyalty_card' is already registered"):
        register_comparator(LOYALTY)
    with pytest.raises(ConfigError, match="'email' is already registered"):
        register_comparator(attrs.evolve(LOYALTY, name="email"))
    stricter = attrs.evolve(LOYALTY, description="exact / else",
                            level_names=lambda t: ("else", "never", "exact"))  # fmt: skip
    try:
        assert register_comparator(stricter, replace=True) is stricter
        assert get_comparator("loyalty_card") is stricter
        assert Comparison("card", "loyalty_card").levels == ("else", "never", "exact")
        assert COMPARATOR_KINDS["loyalty_card"][2] == "exact / else"
    finally:
        register_comparator(LOYALTY, replace=True)
    assert get_comparator("loyalty_card") is LOYALTY


def test_registry_errors() -> None:
    with pytest.raises(ConfigError, match="unknown comparator kind 'fuzzy'; kinds are: exact, "):
        get_comparator("fuzzy")
    with pytest.raises(ConfigError, match="loyalty_card"):
        get_comparator("fuzzy")  # the message lists user comparators too
    with pytest.raises(TypeError):
        register_comparator("email")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        register_comparator(LOYALTY, replace="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        COMPARATOR_KINDS["x"] = ((), (), "")  # type: ignore[index]


def _comparator(**changes: object) -> Comparator:
    return attrs.evolve(LOYALTY, **{"name": "card_check", **changes})  # type: ignore[arg-type]


@pytest.fixture
def scratch_registry() -> Iterator[None]:
    """Comparators a test registers are gone after it (the registry has no public removal:
    a program registers its comparators once, at import)."""
    saved = dict(compare._REGISTRY), dict(compare._KINDS)
    yield
    for live, copy in zip((compare._REGISTRY, compare._KINDS), saved, strict=True):
        live.clear()
        live.update(copy)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"name": "not valid"}, ConfigError, "identifier"),
        ({"name": 5}, ConfigError, "identifier"),
        ({"columns": ()}, ConfigError, "columns"),
        ({"columns": "card"}, TypeError, "columns"),
        ({"description": None}, TypeError, "description"),
        ({"compare": None}, TypeError, "functions"),
        ({"threshold_count": -1}, ConfigError, "threshold_count"),
        ({"threshold_type": "fuzzy"}, ConfigError, "threshold_type"),
        ({"exact_key_level": 1}, TypeError, "exact_key_level"),
        ({"required": (1,)}, ConfigError, "required"),
        ({"deciding": ()}, ConfigError, "deciding"),
        ({"threshold_count": 1}, ConfigError, "default thresholds"),
        ({"level_names": lambda t: ("exact",)}, ConfigError, "level_names"),
    ],
)
def test_comparator_validation(changes: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        _comparator(**changes)


@pytest.mark.usefixtures("scratch_registry")
def test_threshold_rules_of_a_user_comparator() -> None:
    banded = _comparator(thresholds=(2,), threshold_count=1, threshold_type="distance")
    register_comparator(banded)
    assert Comparison("card", "card_check").thresholds == (2.0,)
    with pytest.raises(ConfigError, match="'card': kind 'card_check' takes one threshold"):
        Comparison("card", "card_check", thresholds=(1, 2))
    with pytest.raises(ConfigError, match="whole numbers >= 1, smallest first"):
        Comparison("card", "card_check", thresholds=(float("nan"),))


@pytest.mark.usefixtures("scratch_registry")
def test_a_comparator_returning_bad_levels_is_refused() -> None:
    def too_high(batch: PairBatch, comparison: Comparison) -> np.ndarray:
        return np.full(len(batch), 5, dtype=np.int8)

    def too_short(batch: PairBatch, comparison: Comparison) -> np.ndarray:
        return np.zeros(1, dtype=np.int8)

    keys = encode_keys({"card": CARDS})
    left, right = np.array([0, 1]), np.array([1, 2])
    for name, function, message in (("bad_high", too_high, "outside -1..2"),
                                    ("bad_short", too_short, "one integer level per pair")):
        register_comparator(attrs.evolve(LOYALTY, name=name, compare=function))
        comparison = Comparison("card", name)
        with pytest.raises(ConfigError, match=message):
            compare_all(keys, [comparison], left, right)
        with pytest.raises(ConfigError, match=message):
            compare_pairs(keys, comparison, left, right)


# --- built-in comparators: the same content as before, and serialization ----------------------

BUILT_IN_KINDS = {
    "exact": (("key",), (), "exact / else"),
    "string": (("key",), (0.92, 0.8), "exact / Jaro-Winkler >= each threshold / else"),
    "code": (("key",), (1,), "exact / at most N edits (transpositions count as one) / else"),
    "given_name": (
        ("given", "given_canonical", "family"),
        (0.92, 0.8),
        "exact / same canonical name (nickname) / JW >= t1 / swapped with the family name / "
        "an initial of the other / JW >= t2 / else",
    ),
    "family_name": (
        ("family", "family_phonetic", "given"),
        (0.92, 0.8),
        "exact / same phonetic code / JW >= t1 / swapped with the given name / JW >= t2 / else",
    ),
    "email": (("email",), (0.88,), "exact / same local part, other domain / JW >= t / else"),
    "phone": (
        ("phone",),
        (1,),
        "exact / same last 7 digits, other prefix / at most N digit edits / else",
    ),
    "date": (
        ("dob",),
        (31, 366),
        "exact / one typo or day and month swapped / within each number of days / else",
    ),
    "address": (
        ("street", "house_number"),
        (0.9,),
        "exact street and house number / similar street (JW >= t), same number / "
        "similar street / else",
    ),
}


def test_comparator_kinds_keep_their_content() -> None:
    assert list(COMPARATOR_KINDS)[: len(BUILT_IN_KINDS)] == list(BUILT_IN_KINDS)
    for kind, value in BUILT_IN_KINDS.items():
        assert COMPARATOR_KINDS[kind] == value
        comparator = get_comparator(kind)
        assert (comparator.columns, comparator.thresholds, comparator.description) == value


@pytest.mark.parametrize(
    ("kind", "required", "deciding", "exact_key"),
    [
        ("exact", ("x",), ("x",), True),
        ("string", ("x",), ("x",), True),
        ("code", ("x",), ("x",), True),
        ("given_name", ("given",), ("given", "given_canonical"), True),
        ("family_name", ("family",), ("family", "family_phonetic"), True),
        ("email", ("email",), ("email",), True),
        ("phone", ("phone",), ("phone",), True),
        ("date", ("dob",), ("dob",), True),
        ("address", ("street", "house_number"), ("street", "house_number"), False),
    ],
)
def test_built_in_columns_and_top_level(
    kind: str, required: tuple, deciding: tuple, exact_key: bool
) -> None:
    comparison = Comparison("x", kind)
    assert comparison.required_columns == required
    assert comparison.deciding_columns == deciding
    assert comparison.has_exact_key_level() is exact_key


@pytest.mark.parametrize("kind", list(BUILT_IN_KINDS))
def test_comparison_dict_round_trip(kind: str) -> None:
    levels = Comparison("x", kind).levels
    k = len(levels)
    fitted = Comparison(
        "x", kind, tf=True, m=[(i + 1) / k for i in range(k)], u=[1 / (i + 2) for i in range(k)]
    )
    for comparison in (Comparison("x", kind), fitted):
        data = comparison.to_dict()
        assert list(data) == ["name", "kind", "columns", "thresholds", "tf", "m", "u", "levels"]
        assert data["levels"] == list(levels)
        assert Comparison.from_dict(data) == comparison
        assert Comparison.from_dict(json.loads(json.dumps(data))) == comparison
        # the same dict as the settings write for each comparison
        settings = MatchSettings(comparisons=[comparison], blocking=[BlockingRule(("x",))])
        assert settings.to_dict()["comparisons"] == [data]


def test_comparison_from_dict_errors() -> None:
    good = Comparison("email", "email").to_dict()
    assert Comparison.from_dict({**good, "levels": ["anything"]}) == Comparison("email", "email")
    with pytest.raises(ConfigError, match="JSON object"):
        Comparison.from_dict(["email"])  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="unknown comparison key"):
        Comparison.from_dict({**good, "colour": "blue"})
    with pytest.raises(ConfigError, match="needs kind"):
        Comparison.from_dict({"name": "email"})
    with pytest.raises(ConfigError, match="invalid comparison"):
        Comparison.from_dict({**good, "tf": "yes"})
    with pytest.raises(ConfigError, match="unknown comparator kind"):
        Comparison.from_dict({**good, "kind": "fuzzy"})


def test_scratch_comparators_are_gone() -> None:
    for name in ("card_check", "bad_high", "bad_short"):
        assert name not in COMPARATOR_KINDS
