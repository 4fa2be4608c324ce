"""Comparators: each kind's levels on real-world pairs, the null level, the vectorized core."""

from __future__ import annotations

import numpy as np
import pytest
from rapidfuzz.distance import JaroWinkler

from crmclean.compare import COMPARATOR_KINDS, Comparison, compare_all, compare_pairs, similarity
from crmclean.errors import ConfigError
from crmclean.prepare import EncodedColumn, encode_keys


def _level(comparison: Comparison, columns: dict[str, list[str | None]]) -> str:
    """The label of the level of the pair (record 0, record 1)."""
    keys = encode_keys(columns)
    level = int(compare_pairs(keys, comparison, np.array([0]), np.array([1]))[0])
    return "null" if level < 0 else comparison.levels[level]


GIVEN = Comparison("given", "given_name")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("robert", "robert", "smith"), ("robert", "robert", "smith"), "exact"),
        (("bob", "robert", "smith"), ("robert", "robert", "smith"), "nickname"),
        (("jonathon", "jonathon", "smith"), ("jonathan", "jonathan", "smith"), "jw>=0.92"),
        (("smith", "smith", "john"), ("john", "john", "smith"), "swapped"),
        (("j", "j", "smith"), ("john", "john", "smith"), "initial"),
        (("kristin", "kristin", "lee"), ("christine", "christine", "lee"), "jw>=0.8"),
        (("alice", "alice", "lee"), ("robert", "robert", "lee"), "else"),
        ((None, None, "lee"), ("robert", "robert", "lee"), "null"),
    ],
)
def test_given_name_levels(a: tuple, b: tuple, expected: str) -> None:
    columns = {"given": [a[0], b[0]], "given_canonical": [a[1], b[1]], "family": [a[2], b[2]]}
    assert _level(GIVEN, columns) == expected


FAMILY = Comparison("family", "family_name")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("smith", "sm0", "ann"), ("smith", "sm0", "ann"), "exact"),
        (("smyth", "sm0", "ann"), ("smith", "sm0", "ann"), "phonetic"),
        (("mcdonald", "x1", "ann"), ("mcdonalds", "x2", "ann"), "jw>=0.92"),
        (("ann", "an", "smith"), ("smith", "sm0", "ann"), "swapped"),
        (("kowalski", "k1", "ann"), ("kovalsky", "k2", "ann"), "jw>=0.8"),
        (("jones", "jns", "ann"), ("brown", "brn", "ann"), "else"),
        (("jones", "jns", "ann"), (None, None, "ann"), "null"),
    ],
)
def test_family_name_levels(a: tuple, b: tuple, expected: str) -> None:
    columns = {"family": [a[0], b[0]], "family_phonetic": [a[1], b[1]], "given": [a[2], b[2]]}
    assert _level(FAMILY, columns) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("ann.lee@acme.org", "ann.lee@acme.org", "exact"),
        ("ann.lee@acme.org", "ann.lee@gmail.com", "same_local"),
        ("ann.lee@acme.org", "ann.le@acme.org", "jw>=0.88"),
        ("ann.lee@acme.org", "bob@acme.org", "else"),
        ("ann.lee@acme.org", None, "null"),
    ],
)
def test_email_levels(a: str | None, b: str | None, expected: str) -> None:
    assert _level(Comparison("email", "email"), {"email": [a, b]}) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("+441134960000", "+441134960000", "exact"),
        ("+441134960000", "+12024960000", "same_last_digits"),  # other country, same line
        ("+441134960000", "+441134960001", "edits<=1"),  # one digit off
        ("+441134960000", "+441134906000", "edits<=1"),  # two digits swapped
        ("+441134960000", "+441132221111", "else"),
        (None, "+441134960000", "null"),
    ],
)
def test_phone_levels(a: str | None, b: str | None, expected: str) -> None:
    assert _level(Comparison("phone", "phone"), {"phone": [a, b]}) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("19710624", "19710624", "exact"),
        ("19710624", "19710625", "typo"),  # one digit
        ("19710624", "19170624", "typo"),  # transposed year digits
        ("19710603", "19710306", "typo"),  # day and month swapped
        ("19710624", "19710710", "days<=31"),
        ("19710624", "19720301", "days<=366"),
        ("19710624", "19850101", "else"),
        ("19710624", None, "null"),
    ],
)
def test_date_levels(a: str | None, b: str | None, expected: str) -> None:
    assert _level(Comparison("dob", "date"), {"dob": [a, b]}) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("wallabyplace", "7"), ("wallabyplace", "7"), "exact"),
        (("wallabyplace", "7"), ("walabyplace", "7"), "number_street_similar"),
        (("wallabyplace", "7"), ("wallabyplace", "9"), "street_similar"),
        (("wallabyplace", "7"), ("kentstreet", "7"), "else"),
        ((None, "7"), ("kentstreet", "7"), "null"),
    ],
)
def test_address_levels(a: tuple, b: tuple, expected: str) -> None:
    columns = {"street": [a[0], b[0]], "house_number": [a[1], b[1]]}
    assert _level(Comparison("address", "address"), columns) == expected


@pytest.mark.parametrize(
    ("kind", "a", "b", "expected"),
    [
        ("exact", "nsw", "nsw", "exact"),
        ("exact", "nsw", "vic", "else"),
        ("string", "london", "london", "exact"),
        ("string", "wolverhampton", "wolverhavmpton", "jw>=0.92"),
        ("string", "leeds", "london", "else"),
        ("code", "2119", "2119", "exact"),
        ("code", "2119", "2191", "edits<=1"),
        ("code", "2119", "4220", "else"),
        ("string", None, None, "null"),
    ],
)
def test_simple_kinds(kind: str, a: str | None, b: str | None, expected: str) -> None:
    assert _level(Comparison("city", kind), {"city": [a, b]}) == expected


def test_custom_thresholds_change_the_bands() -> None:
    strict = Comparison("city", "string", thresholds=(0.99,))
    assert strict.levels == ("else", "jw>=0.99", "exact")
    assert _level(strict, {"city": ["wolverhampton", "wolverhavmpton"]}) == "else"
    codes = Comparison("postcode", "code", thresholds=(1, 2))
    assert codes.levels == ("else", "edits<=2", "edits<=1", "exact")
    assert _level(codes, {"postcode": ["2119", "2911"]}) == "edits<=2"


def test_similarity_scores_each_distinct_pair_like_rapidfuzz() -> None:
    words = ["martha", "marhta", "dwayne", "duane", "dixon", "dicksonx", "jon", "john"]
    column = EncodedColumn.from_values(words)
    rng = np.random.default_rng(0)
    left = rng.integers(0, len(words), 500)
    right = rng.integers(0, len(words), 500)
    got = similarity(column, left, right)
    expected = [
        JaroWinkler.normalized_similarity(words[a], words[b])
        for a, b in zip(left, right, strict=True)
    ]
    assert np.allclose(got, expected)


def test_compare_all_is_the_same_in_chunks() -> None:
    rng = np.random.default_rng(1)
    names = [f"name{rng.integers(0, 50)}" if rng.random() > 0.1 else None for _ in range(200)]
    keys = encode_keys({"city": names})
    left = rng.integers(0, 200, 1000)
    right = rng.integers(0, 200, 1000)
    comparisons = [Comparison("city", "string"), Comparison("c2", "code", columns=("city",))]
    whole = compare_all(keys, comparisons, left, right)
    chunked = compare_all(keys, comparisons, left, right, chunk_size=7)
    assert whole.dtype == np.int8
    assert (whole == chunked).all()


def test_comparison_validation() -> None:
    with pytest.raises(ConfigError, match="unknown comparator kind"):
        Comparison("email", "fuzzy")
    with pytest.raises(ConfigError):
        Comparison("given", "given_name", thresholds=(0.8, 0.9))  # not highest first
    with pytest.raises(ConfigError):
        Comparison("postcode", "code", thresholds=(1.5,))
    with pytest.raises(ConfigError):
        Comparison("city", "string", columns=("city", "region"))
    with pytest.raises(ConfigError):
        Comparison("not valid", "exact")
    with pytest.raises(ConfigError):
        Comparison("city", "exact", m=(0.5,))  # one probability per level
    with pytest.raises(TypeError):
        Comparison("city", "exact", tf="yes")  # type: ignore[arg-type]


def test_every_kind_has_levels_from_else_to_exact() -> None:
    for kind in COMPARATOR_KINDS:
        levels = Comparison("x", kind).levels
        assert levels[0] == "else"
        assert levels[-1] == "exact"
        assert len(set(levels)) == len(levels)


def test_date_typo_level_agrees_with_the_edit_distance_on_every_pair() -> None:
    """The date comparator's "one edit apart" test, column-wise on bytes, gives what
    rapidfuzz's OSA distance gives: on random date keys of several lengths, typed with
    swaps, substitutions, insertions and deletions, and on keys outside ASCII."""
    from rapidfuzz.distance import OSA

    from crmclean.compare import PairBatch, _within_one_edit

    rng = np.random.default_rng(7)
    base = [f"{y}{m:02d}{d:02d}" for y, m, d in
            zip(rng.integers(1940, 2005, 300), rng.integers(1, 13, 300),
                rng.integers(1, 29, 300), strict=True)]  # fmt: skip
    keys: list[str] = []
    for k in base:
        i = int(rng.integers(0, 7))
        keys += [k, k[:i] + k[i + 1] + k[i] + k[i + 2 :], k[:i] + "9" + k[i + 1 :],
                 k[:i] + k[i + 1 :], k[:4], k[:6] + "0" + k[6:]]  # fmt: skip
    for values in (keys, [*keys, "１９８５０３０７"]):  # the second: keys that are not ASCII
        encoded = encode_keys({"dob": values})
        left = rng.integers(0, len(values), 20_000)
        right = np.where(rng.random(20_000) < 0.5, left + rng.integers(1, 6, 20_000),
                         rng.integers(0, len(values), 20_000)) % len(values)  # fmt: skip
        batch = PairBatch(encoded, left, right)
        mask = rng.random(20_000) < 0.9
        got = _within_one_edit(batch, "dob", mask)
        expected = np.array([bool(m) and OSA.distance(values[a], values[b]) <= 1
                             for a, b, m in zip(left, right, mask, strict=True)])  # fmt: skip
        assert got.tolist() == expected.tolist()


def test_similarity_is_the_same_for_any_vocabulary_size() -> None:
    """Distinct pairs are found by a table of every code (few keys), by one sort where codes
    and positions fit in 64 bits, else by argsort; all give each pair its own score."""
    from crmclean.compare import _distinct_pairs

    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 50, 5000), rng.integers(0, 50, 5000)
    table = _distinct_pairs(a, b, 51)  # 2,601 possible codes for 5,000 pairs: a table
    small = _distinct_pairs(a, b, 1000)  # the sort
    huge = _distinct_pairs(a, b, 2**31)  # argsort: 62 bits of code leave no room
    assert [x.tolist() for x in table] == [x.tolist() for x in small] == [x.tolist() for x in huge]
    column = EncodedColumn.from_values([f"name{i % 37}x{i}" for i in range(50)])
    from rapidfuzz import process

    direct = process.cpdist(column.vocab[a].tolist(), column.vocab[b].tolist(),
                            scorer=JaroWinkler.normalized_similarity)  # fmt: skip
    assert similarity(column, a, b).tolist() == np.asarray(direct, dtype=np.float64).tolist()
