"""The field registry: every stage reads one description per field kind.

The main test adds a kind of field that crmclean does not know (a loyalty-card number that
identifies a person) from this module alone, with one registry entry, and follows it through
every stage: header detection, standardize, audit, matching keys, blocking, comparison, scoring,
explanation and merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

import crmclean
from crmclean import fields
from crmclean.block import BlockingRule
from crmclean.compare import Comparison
from crmclean.errors import ConfigError
from crmclean.prepare import prepare_columns
from crmclean.score import name_guard_masks
from crmclean.settings import default_settings


@attrs.frozen
class Card:
    """A normalizer result of the shape every crmclean normalizer has."""

    original: object
    value: str | None
    valid: bool
    issues: tuple[str, ...]


def normalize_card(value: object) -> Card:
    if value is None or (isinstance(value, str) and not value.strip()):
        return Card(value, None, False, ("missing",))
    digits = re.sub(r"\D", "", str(value))
    if len(digits) != 8:
        return Card(value, None, False, ("invalid_card",))
    return Card(value, digits, True, ())


def _standardize_cards(values: Sequence[Any], ctx: fields.FieldContext) -> list[Card]:
    return [normalize_card(v) for v in values]


def _card_keys(ctx: fields.FieldContext) -> dict[str, list[Any]]:
    return {"loyalty_card": [normalize_card(v).value for v in ctx.values("loyalty_card")]}


LOYALTY = fields.Field(
    "loyalty_card",
    roles=(
        fields.Role(
            "loyalty_card",
            headers=("Loyalty Card", "Member No"),
            standardize=fields.RoleStandardizer(
                _standardize_cards, (fields.Output("clean", lambda r: r.value),)
            ),
            audit_weight=2.0,
            merge=fields.MergeDefault(None, ("most_frequent", "from_master")),
        ),
    ),
    keys={"loyalty_card": "loyalty-card number, 8 digits"},
    prepare=_card_keys,
    comparisons=(
        fields.FieldComparison(Comparison("loyalty_card", "exact", tf=False), 135, "person"),
    ),
    blocking=(fields.FieldBlocking(BlockingRule(("loyalty_card",)), 45),),
)


@pytest.fixture
def loyalty() -> Iterator[fields.Field]:
    fields.register_field(LOYALTY)
    try:
        yield LOYALTY
    finally:
        fields.unregister_field("loyalty_card")


ROWS = [
    {"id": 1, "First Name": "Jane", "Last Name": "Smith", "Member No": "1234-5678"},
    {"id": 2, "First Name": "Jane", "Last Name": "Smith", "Member No": "12345678"},
    {"id": 3, "First Name": "Jane", "Last Name": "Smith", "Member No": "9999 0000"},
    {"id": 4, "First Name": "Omar", "Last Name": "Haddad", "Member No": "4444-4444"},
    {"id": 5, "First Name": "Lena", "Last Name": "Berg", "Member No": "12"},
] + [  # people with a card each, two records each: what the model learns from
    {"id": 100 + 2 * i + k, "First Name": given, "Last Name": family,
     "Member No": f"{50000000 + i}"}
    for i, (given, family) in enumerate(
        (g, f) for g in ("Ana", "Ben", "Chen", "Dora", "Emil", "Fay")
        for f in ("Ito", "Kova", "Lund", "Moreau", "Ngata")
    )
    for k in range(2)
]  # fmt: skip


def test_a_new_field_kind_goes_through_every_stage(loyalty: fields.Field) -> None:
    # header detection: the field's own header spelling gives the role
    assert crmclean.normalize  # the package is imported once, before the field is added
    from crmclean.columns import detect_roles

    roles = detect_roles(list(ROWS[0]))
    assert roles["loyalty_card"] == "Member No"

    # standardize: the field's output column and issue codes
    clean = crmclean.standardize(ROWS)
    cleaned = [None if pd.isna(v) else v for v in clean["Member No_clean"]]
    assert cleaned[:5] == ["12345678", "12345678", "99990000", "44444444", None]
    assert "loyalty_card:invalid_card" in clean.loc[4, "crmclean_issues"]

    # audit: a field report of its own, and its issue in the counts
    report = crmclean.audit(ROWS)
    assert "loyalty_card" in [f.role for f in report.fields]
    assert report.issue_counts["loyalty_card:invalid_card"] == 1

    # matching keys, default comparisons and blocking come from the entry
    keys = prepare_columns({"Member No": ["1234-5678"]}, {"loyalty_card": "Member No"})
    assert keys == {"loyalty_card": ["12345678"]}
    settings = default_settings(["given", "family", "loyalty_card"])
    assert [c.name for c in settings.comparisons] == ["given", "family", "loyalty_card"]
    assert settings.blocking[0].name == "loyalty_card"  # rank 45: before the name rules

    # dedupe: blocked, compared and scored on the card; the same card is strong evidence
    result = crmclean.dedupe(ROWS, id_column="id")
    assert "loyalty_card" in result.stats.rule_pairs
    clusters = dict(zip(result.clusters["id"], result.clusters["cluster_id"], strict=True))
    assert clusters[1] == clusters[2]
    assert clusters[3] != clusters[1]  # the same name, another card: another person
    explanation = result.explain(1, 2)
    card = next(c for c in explanation.contributions if c.field == "loyalty_card")
    assert card.label == "exact"
    assert card.weight > 5
    other = next(c for c in result.explain(1, 3).contributions if c.field == "loyalty_card")
    assert other.label == "else"
    assert other.weight < 0

    # merge: the registry's survivorship default picks the card
    merged = crmclean.merge(ROWS, result.clusters, id_column="id")
    golden = merged.golden.set_index("cluster_id")
    assert golden.loc[clusters[1], "Member No"] in ("1234-5678", "12345678")
    strategy = crmclean.MergeStrategy.default_for(list(ROWS[0]))
    assert [r.label for r in strategy.chain_for("Member No")] == ["most_frequent", "from_master"]


@pytest.mark.parametrize(("evidence", "guarded"), [("person", False), ("descriptive", True)])
def test_a_field_agreement_that_identifies_a_person_lifts_the_name_guard(
    evidence: str, guarded: bool
) -> None:
    comparison = attrs.evolve(LOYALTY.comparisons[0], evidence=evidence)
    fields.register_field(attrs.evolve(LOYALTY, comparisons=(comparison,)))
    try:
        rows = [  # given names that plainly differ, one card
            {"id": 1, "First Name": "Katherine", "Last Name": "Nowak", "Member No": "11112222"},
            {"id": 2, "First Name": "Zofia", "Last Name": "Nowak", "Member No": "11112222"},
            *ROWS[5:],
        ]
        assert fields.evidence_of(Comparison("loyalty_card", "exact")) == evidence
        result = crmclean.dedupe(rows, id_column="id")
        explanation = result.explain(1, 2)
        assert explanation.contributions[0].label == "else"
        # the guard's verdict on the pair's levels (whether it binds depends on the weight)
        n = len(result.settings.comparisons)
        levels = np.array([[c.level for c in explanation.contributions[:n]]], dtype=np.int8)
        vetoed, _ = name_guard_masks(result.settings, levels)
        assert vetoed is not None
        assert bool(vetoed[0]) is guarded
    finally:
        fields.unregister_field("loyalty_card")


def test_registry_refuses_a_duplicate_field_role_or_key(loyalty: fields.Field) -> None:
    with pytest.raises(ConfigError, match="already registered"):
        fields.register_field(LOYALTY)
    with pytest.raises(ConfigError, match="role 'email' already belongs to field 'email'"):
        fields.register_field(fields.Field("other", roles=(fields.Role("email"),)))
    with pytest.raises(ConfigError, match="key column 'loyalty_card' already belongs"):
        fields.register_field(attrs.evolve(LOYALTY, name="card2",
                                           roles=(fields.Role("card2"),)))  # fmt: skip
    fields.register_field(LOYALTY, replace=True)  # replacing is allowed
    assert fields.get_field("loyalty_card") is LOYALTY


def test_registry_misuse_raises_typed_errors() -> None:
    with pytest.raises(ConfigError, match="no field 'nope'"):
        fields.get_field("nope")
    with pytest.raises(ConfigError, match="unknown column role 'nope'"):
        fields.field_of_role("nope")
    with pytest.raises(TypeError):
        fields.register_field("email")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="role name"):
        fields.Role("Loyalty Card")
    with pytest.raises(ConfigError, match="unknown evidence"):
        fields.FieldComparison(Comparison("x", "exact"), 1, "strong")
    with pytest.raises(ConfigError, match="no prepare function"):
        fields.Field("x", roles=(fields.Role("x"),), keys={"x": "a key"})


def test_unregistered_field_leaves_no_trace(loyalty: fields.Field) -> None:
    fields.unregister_field("loyalty_card")
    try:
        assert "loyalty_card" not in fields.known_roles()
        assert "loyalty_card" not in fields.key_columns()
        from crmclean.columns import detect_roles

        assert "loyalty_card" not in detect_roles(list(ROWS[0]))
    finally:
        fields.register_field(LOYALTY)


@pytest.mark.parametrize("field", fields.fields(), ids=lambda f: f.name)
def test_every_built_in_field_is_consistent(field: fields.Field) -> None:
    # every default comparison reads key columns its fields produce (or a derived form)
    all_keys = set(fields.key_columns())
    for c in field.comparisons:
        assert c.comparison.columns[0] in all_keys
    for b in field.blocking:
        from crmclean.encode import base_key_column

        assert {base_key_column(k) for k in b.rule.keys} <= all_keys
    for role in field.roles:
        assert fields.field_of_role(role.name) is field


def test_built_in_defaults_are_the_documented_ones() -> None:
    everything = set(fields.key_columns())
    settings = default_settings(everything)
    assert [c.name for c in settings.comparisons] == [
        "given", "family", "middle", "suffix", "email", "phone", "mobile", "dob", "birthplace",
        "address", "address_2", "city", "postcode", "region", "country", "gender",
        "national_id", "company", "title", "occupation",
    ]  # fmt: skip
    assert [r.name for r in settings.blocking] == [
        "email", "phone", "mobile", "national_id", "family_phonetic+given[:1]", "names",
        "postcode+family[:3]", "postcode+given[:3]", "company+given_canonical", "dob",
        "family+dob[:4]", "given[:3]+dob[:4]", "birthplace+given", "birthplace+family",
        "birthplace+dob",
        "email.local", "sorted:family+given", "sorted:dob+given", "sorted:given+family",
        "sorted:email.local",
    ]  # fmt: skip
    assert settings.correlated == (
        ("address", "address_2", "city", "postcode", "region", "company"),
    )
    person = [c.name for c in settings.comparisons if fields.evidence_of(c) == "person"]
    assert person == ["email", "national_id"]
    trait = [c.name for c in settings.comparisons if fields.evidence_of(c) == "person_trait"]
    assert trait == ["dob"]
