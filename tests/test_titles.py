"""Job titles: canonical title, seniority and function from any spelling."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmclean
from crmclean import ConfigError
from crmclean.codes import ISSUE_CODES
from crmclean.normalize.titles import FUNCTIONS, SENIORITIES, load_taxonomy, normalize_title

CEO = ("Chief Executive Officer", "c_level", "executive")

KNOWN = [
    ("CEO", CEO),
    ("C.E.O.", CEO),
    ("ceo", CEO),
    ("Chief Executive Officer", CEO),
    ("CHIEF EXECUTIVE OFFICER", CEO),
    ("President & CEO", CEO),
    ("CEOn", CEO),
    ("Cheif Executive Officer", CEO),
    ("Chief Exective Officer", CEO),
    ("Генеральный директор", CEO),
    ("генеральный директор", CEO),
    ("总经理", CEO),
    ("Geschäftsführer", CEO),
    ("PDG", CEO),
    ("Directeur Général", CEO),
    ("Director General", CEO),
    ("Consejero Delegado", CEO),
    ("Diretor Executivo", CEO),
    ("Genel Müdür", CEO),
    ("Managing Director", CEO),
    ("CFO", ("Chief Financial Officer", "c_level", "finance")),
    ("C.F.O", ("Chief Financial Officer", "c_level", "finance")),
    ("Finanzvorstand", ("Chief Financial Officer", "c_level", "finance")),
    ("CTO", ("Chief Technology Officer", "c_level", "engineering")),
    ("Технический директор", ("Chief Technology Officer", "c_level", "engineering")),
    ("COO", ("Chief Operating Officer", "c_level", "operations")),
    ("CMO", ("Chief Marketing Officer", "c_level", "marketing")),
    ("CIO", ("Chief Information Officer", "c_level", "it")),
    ("Sales VP", ("Vice President of Sales", "vp", "sales")),
    ("VP Sales", ("Vice President of Sales", "vp", "sales")),
    ("VP, Sales", ("Vice President of Sales", "vp", "sales")),
    ("VP of Sales", ("Vice President of Sales", "vp", "sales")),
    ("Vice President - Sales", ("Vice President of Sales", "vp", "sales")),
    ("vice-president, sales", ("Vice President of Sales", "vp", "sales")),
    ("SVP Sales", ("Senior Vice President of Sales", "vp", "sales")),
    ("EVP, Marketing", ("Executive Vice President of Marketing", "vp", "marketing")),
    ("VP Sales & Marketing", ("Vice President of Sales", "vp", "sales")),
    ("VP", ("Vice President", "vp", None)),
    ("Dir. of Marketing", ("Director of Marketing", "director", "marketing")),
    ("Engineering Director", ("Director of Engineering", "director", "engineering")),
    ("Director, Sales", ("Director of Sales", "director", "sales")),
    ("Head of Marketing", ("Head of Marketing", "director", "marketing")),
    ("Head of People", ("Head of HR", "director", "hr")),
    ("Marketing Mgr.", ("Marketing Manager", "manager", "marketing")),
    ("Markting Manager", ("Marketing Manager", "manager", "marketing")),
    ("Sales Manager", ("Sales Manager", "manager", "sales")),
    ("Satış Müdürü", ("Sales Manager", "manager", "sales")),
    ("Directeur commercial", ("Sales Manager", "manager", "sales")),
    ("Gerente de Ventas", ("Sales Manager", "manager", "sales")),
    ("Vertriebsleiter", ("Sales Manager", "manager", "sales")),
    ("Sr. Software Engineer", ("Senior Software Engineer", "senior", "engineering")),
    ("Software Engineer II", ("Software Engineer", "individual", "engineering")),
    ("Программист", ("Software Engineer", "individual", "engineering")),
    ("软件工程师", ("Software Engineer", "individual", "engineering")),
    ("Account Executive", ("Account Executive", "individual", "sales")),
    ("Главный бухгалтер", ("Chief Accountant", "manager", "finance")),
    ("Diretor Financeiro", ("Chief Financial Officer", "c_level", "finance")),
    ("Product Manager", ("Product Manager", "manager", "product")),
    ("Customer Success Manager", ("Customer Success Manager", "manager", "support")),
    ("General Counsel", ("Chief Legal Officer", "c_level", "legal")),
    ("Intern", ("Intern", "individual", None)),
    ("Praktikant", ("Intern", "individual", None)),
    ("Owner", ("Owner", "c_level", "executive")),
    ("Inhaber", ("Owner", "c_level", "executive")),
]


@pytest.mark.parametrize(("value", "expected"), KNOWN)
def test_known_titles(value: str, expected: tuple[str, str | None, str | None]) -> None:
    title = normalize_title(value)
    assert (title.canonical, title.seniority, title.function) == expected
    assert title.value == expected[0]
    assert title.valid


@pytest.mark.parametrize(
    ("value", "roles"),
    [
        ("Founder & CEO", ("Founder", "Chief Executive Officer")),
        ("Owner and CEO", ("Owner", "Chief Executive Officer")),
        ("Co-Founder/CTO", ("Founder", "Chief Technology Officer")),
        ("CEO & CFO", ("Chief Executive Officer", "Chief Financial Officer")),
    ],
)
def test_several_roles_in_one_title(value: str, roles: tuple[str, ...]) -> None:
    title = normalize_title(value)
    assert title.roles == roles
    assert title.canonical == roles[-1] if value != "CEO & CFO" else roles[0]
    assert title.seniority == "c_level"


def test_short_abbreviations_are_never_fuzzy() -> None:
    assert normalize_title("CTO").canonical == "Chief Technology Officer"
    assert normalize_title("CDO").canonical == "Chief Data Officer"
    assert normalize_title("CXO").canonical is None


@pytest.mark.parametrize(
    ("value", "shown", "seniority", "function"),
    [
        ("Senior Data Engineer", "Senior Data Engineer", "senior", "engineering"),
        ("senior data engineer", "Senior Data Engineer", "senior", "engineering"),
        ("Lead Developer", "Lead Developer", "manager", "engineering"),
        ("Chief Happiness Officer", "Chief Happiness Officer", "c_level", None),
        ("Nurse", "Nurse", None, None),
        ("Principal Architect", "Principal Architect", "senior", "engineering"),
        ("Junior Accountant", "Junior Accountant", "individual", "finance"),
    ],
)
def test_unknown_titles_keep_text_and_infer(
    value: str, shown: str, seniority: str | None, function: str | None
) -> None:
    title = normalize_title(value)
    assert title.canonical is None
    assert title.value == shown
    assert (title.seniority, title.function) == (seniority, function)
    assert "unknown_title" in title.issues
    assert title.valid


@pytest.mark.parametrize("value", ["N/A", "-", "asdf", "test", "xxx", "none", "..."])
def test_placeholders(value: str) -> None:
    title = normalize_title(value)
    assert "placeholder_title" in title.issues
    assert not title.valid
    assert title.canonical is None


@pytest.mark.parametrize(("value", "code"), [(None, "missing"), ("", "missing"),
                                              ([1], "unsupported_type")])  # fmt: skip
def test_missing_values(value: object, code: str) -> None:
    assert normalize_title(value).issues == (code,)


def test_typo_correction_is_reported() -> None:
    assert "title_typo_corrected" in normalize_title("Markting Manager").issues
    assert normalize_title("Marketing Manager").issues == ()


def test_vocabularies_are_closed() -> None:
    for value, _ in KNOWN:
        title = normalize_title(value)
        assert title.seniority in (*SENIORITIES, None)
        assert title.function in (*FUNCTIONS, None)


def test_user_taxonomy_extends_and_overrides() -> None:
    tax = load_taxonomy(
        [
            {"canonical": "Chief Happiness Officer", "seniority": "c_level", "function": "hr",
             "aliases": "cho"},
            {"canonical": "Managing Partner", "seniority": "c_level", "function": "executive",
             "aliases": "managing director"},
        ]
    )  # fmt: skip
    assert normalize_title("Chief Happiness Officer", taxonomy=tax).function == "hr"
    assert normalize_title("CHO", taxonomy=tax).canonical == "Chief Happiness Officer"
    assert normalize_title("Managing Director", taxonomy=tax).canonical == "Managing Partner"
    assert normalize_title("CEO", taxonomy=tax).canonical == "Chief Executive Officer"
    only = load_taxonomy([{"canonical": "Boss", "seniority": "c_level", "function": "",
                           "aliases": "ceo"}], replace=True)  # fmt: skip
    assert normalize_title("CEO", taxonomy=only).canonical == "Boss"
    assert normalize_title("CFO", taxonomy=only).canonical is None


def test_bad_taxonomy_rows_and_options() -> None:
    with pytest.raises(ConfigError, match="unknown seniority"):
        load_taxonomy([{"canonical": "X", "seniority": "boss", "function": ""}])
    with pytest.raises(ConfigError, match="unknown function"):
        load_taxonomy([{"canonical": "X", "seniority": "vp", "function": "magic"}])
    with pytest.raises(ConfigError, match="no 'canonical'"):
        load_taxonomy([{"seniority": "vp"}])
    with pytest.raises(TypeError):
        normalize_title("CEO", taxonomy={"ceo": "x"})  # type: ignore[arg-type]


def test_batch_form() -> None:
    out = crmclean.normalize_many(normalize_title, ["CEO", None, "ceo"])
    assert [t.canonical for t in out] == [CEO[0], None, CEO[0]]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_never_raises(value: str) -> None:
    title = normalize_title(value)
    assert all(code in ISSUE_CODES for code in title.issues)
    assert title.seniority in (*SENIORITIES, None)
    assert title.function in (*FUNCTIONS, None)


_words = st.lists(
    st.sampled_from(["senior", "vp", "sales", "marketing", "head", "of", "director", "ceo",
                     "manager", "engineer", "data", "chief", "&", "Sr.", "mgr", "it", "hr",
                     "product", "lead", "cfo", "founder", "software", "customer", "success"]),
    min_size=1, max_size=5,
).map(" ".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(_words)
def test_normalizing_the_value_again_is_stable(value: str) -> None:
    once = normalize_title(value)
    if once.value is not None and once.valid:
        twice = normalize_title(once.value)
        assert (twice.canonical or twice.value) == once.value
        assert twice.seniority == once.seniority
        assert twice.function == once.function
