"""Job titles: canonical titles, seniority, function, roles, typos, languages, junk."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import crmclean
from crmclean import normalize_many, normalize_title
from crmclean.codes import ISSUE_CODES
from crmclean.normalize.data import load_rows
from crmclean.normalize.titles import (
    FUNCTIONS,
    SENIORITIES,
    JobTitle,
    TitleTaxonomy,
    default_taxonomy,
    load_taxonomy,
)

CEO = ("Chief Executive Officer", "c_level", "executive")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # the many ways of writing CEO
        ("CEO", CEO),
        ("C.E.O.", CEO),
        ("c.e.o", CEO),
        ("ceo", CEO),
        ("Chief Executive Officer", CEO),
        ("CHIEF EXECUTIVE OFFICER", CEO),
        ("Chief Exec.", CEO),
        ("Group CEO", CEO),
        ("Interim CEO", CEO),
        ("CEO, EMEA", CEO),
        ("Генеральный директор", CEO),
        ("ГЕНЕРАЛЬНЫЙ ДИРЕКТОР", CEO),
        ("Ген. директор", CEO),
        ("总经理", CEO),
        ("首席执行官", CEO),
        ("Geschäftsführer", CEO),
        ("Geschäftsführerin", CEO),
        ("Geschaeftsfuehrer", CEO),
        ("PDG", CEO),
        ("P.-D.G.", CEO),
        ("Président-directeur général", CEO),
        ("Directeur général", CEO),
        ("Gérant", CEO),
        ("Director General", CEO),
        ("Directora General", CEO),
        ("Consejero Delegado", CEO),
        ("Diretor-Presidente", CEO),
        ("Diretor Geral", CEO),
        ("Genel Müdür", CEO),
        ("代表取締役社長", CEO),
        # the rest of the C-suite
        ("CFO", ("Chief Financial Officer", "c_level", "finance")),
        ("C.F.O.", ("Chief Financial Officer", "c_level", "finance")),
        ("Финансовый директор", ("Chief Financial Officer", "c_level", "finance")),
        ("DAF", ("Chief Financial Officer", "c_level", "finance")),
        ("CTO", ("Chief Technology Officer", "c_level", "engineering")),
        ("Технический директор", ("Chief Technology Officer", "c_level", "engineering")),
        ("COO", ("Chief Operating Officer", "c_level", "operations")),
        ("CMO", ("Chief Marketing Officer", "c_level", "marketing")),
        ("CIO", ("Chief Information Officer", "c_level", "it")),
        ("DSI", ("Chief Information Officer", "c_level", "it")),
        ("CISO", ("Chief Information Security Officer", "c_level", "it")),
        ("CHRO", ("Chief Human Resources Officer", "c_level", "hr")),
        ("Founder", ("Founder", "c_level", "executive")),
        ("Co-Founder", ("Co-Founder", "c_level", "executive")),
        ("Owner", ("Owner", "c_level", "executive")),
        ("Inhaber", ("Owner", "c_level", "executive")),
        ("Владелец", ("Owner", "c_level", "executive")),
        ("President", ("President", "c_level", "executive")),
        ("Chairman of the Board", ("Chairman", "c_level", "executive")),
        ("董事长", ("Chairman", "c_level", "executive")),
        ("Yönetim Kurulu Başkanı", ("Chairman", "c_level", "executive")),
        ("Managing Director", ("Managing Director", "c_level", "executive")),
        ("Managing Partner", ("Managing Partner", "c_level", "executive")),
        ("General Counsel", ("General Counsel", "c_level", "legal")),
        # vice presidents, in every word order
        ("VP Sales", ("Vice President of Sales", "vp", "sales")),
        ("Sales VP", ("Vice President of Sales", "vp", "sales")),
        ("VP, Sales", ("Vice President of Sales", "vp", "sales")),
        ("VP of Sales", ("Vice President of Sales", "vp", "sales")),
        ("V.P. Sales", ("Vice President of Sales", "vp", "sales")),
        ("VP-Sales", ("Vice President of Sales", "vp", "sales")),
        ("Vice President - Sales", ("Vice President of Sales", "vp", "sales")),
        ("Sales Vice President", ("Vice President of Sales", "vp", "sales")),
        ("SVP Sales", ("Senior Vice President of Sales", "vp", "sales")),
        ("Sr. VP, Marketing", ("Senior Vice President of Marketing", "vp", "marketing")),
        ("EVP Operations", ("Executive Vice President of Operations", "vp", "operations")),
        ("Executive VP, Finance", ("Executive Vice President of Finance", "vp", "finance")),
        ("AVP Finance", ("Assistant Vice President of Finance", "director", "finance")),
        (
            "Vice-President, Sales & Marketing",
            ("Vice President of Sales and Marketing", "vp", "sales"),
        ),
        ("VP Engineering", ("Vice President of Engineering", "vp", "engineering")),
        ("VP", ("Vice President", "vp", None)),
        ("Вице-президент по продажам", ("Vice President of Sales", "vp", "sales")),
        ("副总裁", ("Vice President", "vp", None)),
        # directors and heads
        ("Director of Engineering", ("Director of Engineering", "director", "engineering")),
        ("Engineering Director", ("Director of Engineering", "director", "engineering")),
        ("Dir. of Sales", ("Director of Sales", "director", "sales")),
        ("Sales Dir", ("Director of Sales", "director", "sales")),
        ("Dir.", ("Director", "director", None)),
        ("IT Director", ("Director of IT", "director", "it")),
        ("Head of Marketing", ("Head of Marketing", "director", "marketing")),
        ("Global Head of Marketing", ("Head of Marketing", "director", "marketing")),
        ("Head of Sales, EMEA", ("Head of Sales", "director", "sales")),
        ("Head of People", ("Head of Human Resources", "director", "hr")),
        ("Head of R&D", ("Head of Research and Development", "director", "engineering")),
        ("Sr. Director, Product", ("Senior Director of Product", "director", "product")),
        ("Associate Director, HR", ("Associate Director of Human Resources", "director", "hr")),
        ("DRH", ("Director of Human Resources", "director", "hr")),
        # managers
        ("Mgr.", ("Manager", "manager", None)),
        ("Marketing Manager", ("Marketing Manager", "manager", "marketing")),
        ("Marketing Mgr", ("Marketing Manager", "manager", "marketing")),
        ("Sr. Marketing Mgr.", ("Senior Marketing Manager", "manager", "marketing")),
        ("Regional Sales Manager", ("Sales Manager", "manager", "sales")),
        ("Ops Manager", ("Operations Manager", "manager", "operations")),
        ("HR Manager", ("Human Resources Manager", "manager", "hr")),
        ("IT Manager", ("IT Manager", "manager", "it")),
        ("Account Manager", ("Account Manager", "manager", "sales")),
        ("Key Account Manager", ("Key Account Manager", "manager", "sales")),
        ("Product Manager", ("Product Manager", "manager", "product")),
        ("Project Manager", ("Project Manager", "manager", "operations")),
        ("Office Manager", ("Office Manager", "manager", "operations")),
        ("Customer Success Manager", ("Customer Success Manager", "manager", "support")),
        ("e-commerce manager", ("E-Commerce Manager", "manager", "sales")),
        ("General Manager", ("General Manager", "director", "executive")),
        ("GM", ("General Manager", "director", "executive")),
        # individual contributors and seniors
        ("Software Developer", ("Software Engineer", "individual", "engineering")),
        ("Sr. Software Engineer", ("Senior Software Engineer", "senior", "engineering")),
        ("Senior Software Engineer II", ("Senior Software Engineer", "senior", "engineering")),
        ("Lead Developer", ("Lead Software Engineer", "senior", "engineering")),
        ("Jr. Accountant", ("Junior Accountant", "individual", "finance")),
        ("Sr. Accountant", ("Senior Accountant", "senior", "finance")),
        ("Senior Consultant", ("Senior Consultant", "senior", None)),
        ("Account Exec", ("Account Executive", "individual", "sales")),
        ("Sales Rep", ("Sales Representative", "individual", "sales")),
        ("Inside Sales Rep", ("Sales Representative", "individual", "sales")),
        ("BDR", ("Business Development Representative", "individual", "sales")),
        ("Customer Service Rep", ("Customer Support Representative", "individual", "support")),
        ("Help Desk", ("IT Support Specialist", "individual", "it")),
        ("Sys Admin", ("Systems Administrator", "individual", "it")),
        ("Network Admin", ("Systems Administrator", "individual", "it")),
        ("UX/UI Designer", ("UX Designer", "individual", "product")),
        ("Data Scientist", ("Data Scientist", "individual", "engineering")),
        ("QA Engineer", ("QA Engineer", "individual", "engineering")),
        ("Executive Assistant", ("Executive Assistant", "individual", "operations")),
        ("Assistant to the CEO", ("Executive Assistant", "individual", "operations")),
        ("Executive Assistant to the CEO", ("Executive Assistant", "individual", "operations")),
        ("Attorney at Law", ("Lawyer", "individual", "legal")),
        ("Intern", ("Intern", "individual", None)),
        ("Summer Intern", ("Intern", "individual", None)),
        ("Marketing Intern", ("Marketing Intern", "individual", "marketing")),
        ("Self-Employed", ("Freelancer", "individual", None)),
        ("Marketing Manager at Google", ("Marketing Manager", "manager", "marketing")),
        # Russian
        ("Директор по продажам", ("Director of Sales", "director", "sales")),
        ("Коммерческий директор", ("Director of Sales", "director", "sales")),
        ("Руководитель отдела продаж", ("Head of Sales", "director", "sales")),
        ("Начальник отдела кадров", ("Head of Human Resources", "director", "hr")),
        ("HR-директор", ("Director of Human Resources", "director", "hr")),
        ("ИТ-директор", ("Director of IT", "director", "it")),
        ("Главный бухгалтер", ("Chief Accountant", "manager", "finance")),
        ("Бухгалтер", ("Accountant", "individual", "finance")),
        ("Менеджер по продажам", ("Sales Representative", "individual", "sales")),
        ("Программист", ("Software Engineer", "individual", "engineering")),
        ("Старший разработчик", ("Senior Software Engineer", "senior", "engineering")),
        ("Стажёр", ("Intern", "individual", None)),
        # Chinese
        ("销售经理", ("Sales Manager", "manager", "sales")),
        ("市场经理", ("Marketing Manager", "manager", "marketing")),
        ("市场总监", ("Director of Marketing", "director", "marketing")),
        ("人力资源经理", ("Human Resources Manager", "manager", "hr")),
        ("财务总监", ("Chief Financial Officer", "c_level", "finance")),
        ("软件工程师", ("Software Engineer", "individual", "engineering")),
        ("高级软件工程师", ("Senior Software Engineer", "senior", "engineering")),
        ("客户经理", ("Account Manager", "manager", "sales")),
        ("大客户经理", ("Key Account Manager", "manager", "sales")),
        ("副总经理", ("Deputy General Manager", "vp", "executive")),
        ("IT经理", ("IT Manager", "manager", "it")),
        ("实习生", ("Intern", "individual", None)),
        # Turkish
        ("Satış Müdürü", ("Sales Manager", "manager", "sales")),
        ("SATIŞ MÜDÜRÜ", ("Sales Manager", "manager", "sales")),
        ("Satış Direktörü", ("Director of Sales", "director", "sales")),
        ("Pazarlama Müdürü", ("Marketing Manager", "manager", "marketing")),
        ("İnsan Kaynakları Müdürü", ("Human Resources Manager", "manager", "hr")),
        ("Genel Müdür Yardımcısı", ("Deputy General Manager", "vp", "executive")),
        ("Kıdemli Yazılım Mühendisi", ("Senior Software Engineer", "senior", "engineering")),
        ("Satış Temsilcisi", ("Sales Representative", "individual", "sales")),
        ("Ar-Ge Müdürü", ("Research and Development Manager", "manager", "engineering")),
        # German
        ("Vertriebsleiter", ("Head of Sales", "director", "sales")),
        ("Leiterin Marketing", ("Head of Marketing", "director", "marketing")),
        ("Personalleiter", ("Head of Human Resources", "director", "hr")),
        ("Abteilungsleiter", ("Department Head", "director", None)),
        ("Projektleiter", ("Project Manager", "manager", "operations")),
        ("Softwareentwickler", ("Software Engineer", "individual", "engineering")),
        ("Assistentin der Geschäftsführung", ("Executive Assistant", "individual", "operations")),
        ("Werkstudent", ("Working Student", "individual", None)),
        # French
        ("Directrice Marketing", ("Director of Marketing", "director", "marketing")),
        ("Directeur commercial", ("Director of Sales", "director", "sales")),
        ("Responsable commercial", ("Sales Manager", "manager", "sales")),
        ("Chef de projet", ("Project Manager", "manager", "operations")),
        ("Chargée de communication", ("Communications Specialist", "individual", "marketing")),
        ("Comptable", ("Accountant", "individual", "finance")),
        ("Stagiaire", ("Intern", "individual", None)),
        # Spanish
        ("Gerente de Ventas", ("Sales Manager", "manager", "sales")),
        ("Director Comercial", ("Director of Sales", "director", "sales")),
        ("Jefe de Ventas", ("Head of Sales", "director", "sales")),
        ("Gerente General", ("General Manager", "director", "executive")),
        ("Ejecutivo de Ventas", ("Sales Executive", "individual", "sales")),
        ("Ingeniero de Software", ("Software Engineer", "individual", "engineering")),
        ("Abogada", ("Lawyer", "individual", "legal")),
        # Portuguese
        ("Gerente de Vendas", ("Sales Manager", "manager", "sales")),
        ("Diretora de Marketing", ("Director of Marketing", "director", "marketing")),
        ("Engenheiro de Software", ("Software Engineer", "individual", "engineering")),
        ("Analista de Sistemas", ("IT Analyst", "individual", "it")),
        ("Sócio-Fundador", ("Founder", "c_level", "executive")),
        ("Estagiário", ("Intern", "individual", None)),
    ],
)
def test_known_titles(value: str, expected: tuple[str, str | None, str | None]) -> None:
    t = normalize_title(value)
    assert (t.canonical, t.seniority, t.function) == expected
    assert t.value == expected[0]
    assert t.roles == (expected[0],)
    assert t.valid
    assert "unknown_title" not in t.issues


@pytest.mark.parametrize(
    ("value", "canonical", "roles"),
    [
        ("Founder & CEO", "Chief Executive Officer", ("Founder", "Chief Executive Officer")),
        ("Owner and CEO", "Chief Executive Officer", ("Owner", "Chief Executive Officer")),
        ("CEO, Founder", "Chief Executive Officer", ("Chief Executive Officer", "Founder")),
        ("President/CEO", "Chief Executive Officer", ("President", "Chief Executive Officer")),
        (
            "President and Chief Executive Officer",
            "Chief Executive Officer",
            ("President", "Chief Executive Officer"),
        ),
        (
            "Founder, CEO & Chairman",
            "Chief Executive Officer",
            ("Founder", "Chief Executive Officer", "Chairman"),
        ),
        ("Co-founder and CTO", "Chief Technology Officer",
         ("Co-Founder", "Chief Technology Officer")),
        ("VP & General Counsel", "General Counsel", ("Vice President", "General Counsel")),
        ("CTO / VP Engineering", "Chief Technology Officer",
         ("Chief Technology Officer", "Vice President of Engineering")),
        (
            "Основатель и генеральный директор",
            "Chief Executive Officer",
            ("Founder", "Chief Executive Officer"),
        ),
        ("董事长兼总经理", "Chief Executive Officer", ("Chairman", "Chief Executive Officer")),
        ("联合创始人兼CEO", "Chief Executive Officer", ("Co-Founder", "Chief Executive Officer")),
        (
            "Gründer und Geschäftsführer",
            "Chief Executive Officer",
            ("Founder", "Chief Executive Officer"),
        ),
        ("Kurucu ve Genel Müdür", "Chief Executive Officer",
         ("Founder", "Chief Executive Officer")),
    ],
)  # fmt: skip
def test_several_roles(value: str, canonical: str, roles: tuple[str, ...]) -> None:
    t = normalize_title(value)
    assert t.canonical == canonical
    assert t.roles == roles
    assert t.seniority == "c_level"
    assert t.issues == ("multiple_roles",)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("CEOn", "Chief Executive Officer"),
        ("CFOs", "Chief Financial Officer"),
        ("Cheif Executive Officer", "Chief Executive Officer"),
        ("Chief Executve Officer", "Chief Executive Officer"),
        ("Markting Manager", "Marketing Manager"),
        ("Marketting Manager", "Marketing Manager"),
        ("Sales Manger", "Sales Manager"),
        ("Maneger", "Manager"),
        ("Presidnet", "President"),
        ("Vice Presdient of Sales", "Vice President of Sales"),
        ("Sofware Engineer", "Software Engineer"),
        ("Acountant", "Accountant"),
        ("Direktor of Enginering", "Director of Engineering"),
    ],
)
def test_typos_are_corrected(value: str, canonical: str) -> None:
    t = normalize_title(value)
    assert t.canonical == canonical
    assert "title_typo_corrected" in t.issues
    assert t.valid


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("CTO", "Chief Technology Officer"),  # never "corrected" into CEO
        ("COO", "Chief Operating Officer"),
        ("CIO", "Chief Information Officer"),
        ("CMO", "Chief Marketing Officer"),
        ("CPO", "Chief Product Officer"),
        ("CEP", None),
        ("CXO", None),
        ("CMOS Engineer", None),  # a chip technology, not CMO
        ("Writer", None),  # not "Driver": a swapped letter in a short word is not a typo
        ("ceon", None),  # only "CEOn" typed with the abbreviation in capitals
    ],
)
def test_short_abbreviations_are_exact_only(value: str, canonical: str | None) -> None:
    t = normalize_title(value)
    assert t.canonical == canonical
    assert "title_typo_corrected" not in t.issues


@pytest.mark.parametrize(
    ("value", "display", "seniority", "function"),
    [
        ("Senior Firmware Wizard", "Senior Firmware Wizard", "senior", "engineering"),
        ("senior data wizard", "Senior Data Wizard", "senior", "engineering"),
        ("SR DATA WIZARD", "Sr Data Wizard", "senior", "engineering"),
        ("Staff Accountant", "Staff Accountant", "individual", "finance"),
        ("Staff Engineer", "Staff Engineer", "senior", "engineering"),
        ("head of growth hacking", "Head of Growth Hacking", "director", "marketing"),
        ("VP OF SOMETHING", "VP of Something", "vp", None),
        ("Chief Happiness Officer", "Chief Happiness Officer", "c_level", None),
        ("Deputy CEO of Acme", "Deputy CEO of Acme", "c_level", "executive"),
        ("Content Writer", "Content Writer", None, "marketing"),
        ("b2b growth guru", "B2B Growth Guru", None, "marketing"),
        ("iOS Ninja", "iOS Ninja", None, None),
        ("Accounts Payable Clerk", "Accounts Payable Clerk", "individual", "operations"),
        ("Sales", "Sales", None, "sales"),
        ("PM", "PM", "manager", None),
        ("Prokurist", "Prokurist", None, None),
    ],
)
def test_unknown_titles_keep_text_and_infer(
    value: str, display: str, seniority: str | None, function: str | None
) -> None:
    t = normalize_title(value)
    assert t.canonical is None
    assert t.roles == ()
    assert t.value == display
    assert (t.seniority, t.function) == (seniority, function)
    assert t.issues == ("unknown_title",)
    assert t.valid


def test_unknown_title_text_is_cleaned_but_case_kept() -> None:
    t = normalize_title("  Head   of\u00a0Growth\u200bHacking ")
    assert t.text == "Head of GrowthHacking"
    assert t.issues == ("invisible_characters", "unknown_title")


@pytest.mark.parametrize(
    ("value", "issue"),
    [
        ("N/A", "placeholder_title"),
        ("n.a.", "placeholder_title"),
        ("#N/A", "placeholder_title"),
        ("-", "placeholder_title"),
        ("--", "placeholder_title"),
        (".", "placeholder_title"),
        ("???", "placeholder_title"),
        ("asdf", "placeholder_title"),
        ("test", "placeholder_title"),
        ("Test Test", "placeholder_title"),
        ("TBD", "placeholder_title"),
        ("none", "placeholder_title"),
        ("Unknown", "placeholder_title"),
        ("xxx", "placeholder_title"),
        ("0", "placeholder_title"),
        ("не указано", "placeholder_title"),
        ("无", "placeholder_title"),
        ("\U0001f600", "placeholder_title"),
        ("Mr.", "salutation_title"),
        ("Mrs", "salutation_title"),
        ("Dr.", "salutation_title"),
        ("Frau", "salutation_title"),
        ("Г-н", "salutation_title"),
        ("jane.smith@acme.com", "not_a_title"),
        ("https://acme.com/team", "not_a_title"),
        ("www.acme.com", "not_a_title"),
        ("+1 (415) 555-2671", "not_a_title"),
        ("12345", "not_a_title"),
    ],
)
def test_junk_is_not_a_valid_title(value: str, issue: str) -> None:
    t = normalize_title(value)
    assert not t.valid
    assert t.issues[-1] == issue
    assert (t.canonical, t.seniority, t.function) == (None, None, None)
    assert t.value is None


@pytest.mark.parametrize(
    ("value", "issue"),
    [
        (None, "missing"),
        (float("nan"), "missing"),
        ("", "missing"),
        ("   ", "missing"),
        (["CEO"], "unsupported_type"),
        ({"title": "CEO"}, "unsupported_type"),
        (True, "unsupported_type"),
        (math.inf, "unsupported_type"),
    ],
)
def test_non_values(value: object, issue: str) -> None:
    t = normalize_title(value)
    assert t.issues == (issue,)
    assert not t.valid
    assert (t.text, t.value, t.roles) == (None, None, ())
    assert t.original is value


def test_pandas_na_and_bytes() -> None:
    pd = pytest.importorskip("pandas")
    assert normalize_title(pd.NA).issues == ("missing",)
    assert normalize_title(b"CEO").canonical == "Chief Executive Officer"
    assert normalize_title(12345).issues == ("not_a_title",)


def test_long_value_is_cut() -> None:
    t = normalize_title("Chief Executive Officer " + "x" * 20_000_000)
    assert t.issues[0] == "too_long"
    assert t.text is not None
    assert len(t.text) <= 1_000


def test_mojibake_is_repaired() -> None:
    t = normalize_title("Gesch\u00c3\u00a4ftsf\u00c3\u00bchrer")
    assert t.text == "Geschäftsführer"
    assert t.canonical == "Chief Executive Officer"
    assert t.issues == ("mojibake_repaired",)


def test_original_is_kept_and_results_are_frozen() -> None:
    t = normalize_title(" vp sales ")
    assert t.original == " vp sales "
    assert t.text == "vp sales"
    with pytest.raises(AttributeError):
        t.canonical = "x"  # type: ignore[misc]


def test_every_alias_of_the_shipped_taxonomy_reads_as_its_title() -> None:
    for row in load_rows("titles_canonical.csv"):
        canonical = row["canonical"]
        aliases = [canonical, *(a for a in row["aliases"].split("|") if a)]
        for alias in aliases:
            assert normalize_title(alias).canonical == canonical, alias


def test_every_department_and_level_composes() -> None:
    for row in load_rows("titles_departments.csv"):
        name = row["department"]
        for alias in [name, *(a for a in row["aliases"].split("|") if a)]:
            assert normalize_title(f"Head of {alias}").canonical == f"Head of {name}", alias
            assert normalize_title(f"{alias} VP").canonical == f"Vice President of {name}", alias
    for row in load_rows("titles_levels.csv"):
        pattern = row["pattern"]
        expected = pattern.format(department="Marketing", title="Accountant")
        for alias in row["aliases"].split("|"):
            word = "Marketing" if "{department}" in pattern else "Accountant"
            assert normalize_title(f"{alias} {word}").canonical == expected, alias


def test_seniority_and_function_vocabularies() -> None:
    assert SENIORITIES == ("c_level", "vp", "director", "manager", "senior", "individual")
    assert FUNCTIONS == (
        "executive", "sales", "marketing", "engineering", "finance", "hr", "operations", "it",
        "legal", "support", "product",
    )  # fmt: skip
    for seniority, function in default_taxonomy().titles.values():
        assert seniority is None or seniority in SENIORITIES
        assert function is None or function in FUNCTIONS


# --- extending the taxonomy -------------------------------------------------------------------


def test_extra_rows_add_titles_and_aliases() -> None:
    tax = load_taxonomy(
        extra_rows=[
            {"canonical": "Chief Happiness Officer", "seniority": "c_level", "function": "hr",
             "aliases": ["cho", "Happiness Boss"]},
        ]
    )  # fmt: skip
    t = normalize_title("Happiness Boss", taxonomy=tax)
    assert (t.canonical, t.seniority, t.function) == ("Chief Happiness Officer", "c_level", "hr")
    assert normalize_title("CHO", taxonomy=tax).canonical == "Chief Happiness Officer"
    assert normalize_title("CEO", taxonomy=tax).canonical == "Chief Executive Officer"
    assert normalize_title("Happiness Boss").canonical is None  # the default is unchanged


def test_extra_rows_override_shipped_rows() -> None:
    tax = load_taxonomy(
        extra_rows=[
            {"canonical": "General Manager", "seniority": "c_level", "function": "operations"},
            {"canonical": "Managing Director", "seniority": "vp", "function": "executive",
             "aliases": "md|managing director"},
            {"canonical": "Chief Executive Officer", "seniority": "c_level",
             "function": "executive", "aliases": "managing director"},
        ]
    )  # fmt: skip
    assert normalize_title("GM", taxonomy=tax).seniority == "c_level"
    assert normalize_title("Managing Director", taxonomy=tax).canonical == "Managing Director"
    assert normalize_title("MD", taxonomy=tax).seniority == "vp"


def test_extra_departments_levels_keywords_and_words() -> None:
    tax = load_taxonomy(
        extra_departments=[{"department": "Revenue", "function": "sales", "aliases": "rev"}],
        extra_levels=[{"name": "guru", "seniority": "senior", "pattern": "{department} Guru",
                       "aliases": "guru|ninja"}],
        extra_keywords=[{"keyword": "wizard", "seniority": "senior", "function": "it"}],
        extra_words=[{"word": "hq", "kind": "qualifier"},
                     {"word": "mngmt", "kind": "abbreviation", "expansion": "management"}],
    )  # fmt: skip
    assert normalize_title("Head of Rev", taxonomy=tax).canonical == "Head of Revenue"
    assert normalize_title("Marketing Ninja", taxonomy=tax).canonical == "Marketing Guru"
    assert normalize_title("Sales Manager HQ", taxonomy=tax).canonical == "Sales Manager"
    t = normalize_title("Office Wizard", taxonomy=tax)
    assert (t.canonical, t.seniority, t.function) == (None, "senior", "it")
    assert normalize_title("Product Mngmt Director", taxonomy=tax).function == "product"


def test_taxonomy_without_defaults() -> None:
    tax = load_taxonomy(
        include_defaults=False,
        extra_rows=[{"canonical": "Boss", "seniority": "c_level", "aliases": "big cheese"}],
    )
    assert normalize_title("Big Cheese", taxonomy=tax).canonical == "Boss"
    t = normalize_title("CEO", taxonomy=tax)
    assert (t.canonical, t.issues) == (None, ("unknown_title",))
    assert dict(tax.titles) == {"Boss": ("c_level", None)}


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"extra_rows": [{"canonical": "X", "seniority": "boss"}]}, crmclean.ConfigError),
        ({"extra_rows": [{"canonical": "X", "function": "fun"}]}, crmclean.ConfigError),
        ({"extra_rows": [{"canonical": ""}]}, crmclean.ConfigError),
        ({"extra_rows": [{"canonical": 5}]}, TypeError),
        ({"extra_rows": [{"canonical": "X", "aliases": 5}]}, TypeError),
        ({"extra_rows": ["CEO"]}, TypeError),
        ({"extra_rows": "CEO"}, TypeError),
        ({"extra_rows": {"canonical": "X"}}, TypeError),
        ({"extra_levels": [{"name": "x", "pattern": "no field", "aliases": "x"}]},
         crmclean.ConfigError),
        ({"extra_words": [{"word": "x", "kind": "magic"}]}, crmclean.ConfigError),
        ({"extra_keywords": [{"keyword": "x", "seniority": "top"}]}, crmclean.ConfigError),
        ({"include_defaults": "yes"}, TypeError),
    ],
)  # fmt: skip
def test_bad_taxonomy_rows_raise(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        load_taxonomy(**kwargs)  # type: ignore[arg-type]


def test_wrong_taxonomy_option_raises() -> None:
    with pytest.raises(TypeError, match="taxonomy"):
        normalize_title("CEO", taxonomy="default")  # type: ignore[arg-type]


def test_default_taxonomy_is_shared_and_cache_can_be_cleared() -> None:
    tax = default_taxonomy()
    assert tax is default_taxonomy()
    assert isinstance(tax, TitleTaxonomy)
    assert "titles" in repr(tax)
    normalize_title("Head of Sales")
    tax.clear_cache()
    assert normalize_title("Head of Sales").canonical == "Head of Sales"


# --- batch and public API ---------------------------------------------------------------------


def test_a_value_read_again_gives_the_same_result() -> None:
    default_taxonomy().clear_cache()
    first, second, third = (normalize_title("Sr. Mgr., EMEA") for _ in range(3))
    assert first == second == third
    assert second is third  # kept from the second time on
    other_case = normalize_title("sr. mgr., emea")
    assert other_case.original == "sr. mgr., emea"
    assert (other_case.canonical, other_case.roles) == (first.canonical, first.roles)


def test_normalize_many_and_public_api() -> None:
    results = normalize_many(normalize_title, ["CEO", "ceo", None, "CEO"])
    assert [r.canonical for r in results] == [
        "Chief Executive Officer", "Chief Executive Officer", None, "Chief Executive Officer",
    ]  # fmt: skip
    assert results[0] is results[3]
    assert crmclean.normalize_title is normalize_title
    assert isinstance(results[0], JobTitle)


def test_emitted_codes_are_registered() -> None:
    values = ["CEO", "Founder & CEO", "CEOn", "N/A", "Mr.", "a@b.com", "Foo Bar Baz", None, [1],
              "x" * 2_000, "Jos\u00c3\u00a9 CEO"]  # fmt: skip
    for value in values:
        for code in normalize_title(value).issues:
            assert code in ISSUE_CODES, code


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("Satış Operations Manager", "Sales Operations Manager"),
        ("Manager Satış Operations", "Sales Operations Manager"),
        ("Sales and Operations Manager", "Sales Operations Manager"),
        ("Growth маркетинга Coordinator", "Growth Coordinator"),
        ("Sales and Marketing Manager", "Sales and Marketing Manager"),
    ],
)
def test_departments_that_make_one_read_as_it_in_any_language(value: str, canonical: str) -> None:
    # two departments joined with "and" read as the one they make together ("Sales" +
    # "Operations"), whatever the language of each, so the canonical title reads the same again
    first = normalize_title(value)
    assert first.canonical == canonical
    assert normalize_title(first.canonical).canonical == canonical


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("İSTANBUL OFİSİ", "İstanbul Ofisi"),
        ("GENEL MÜDÜR YARDIMCISI İDARİ", "Genel Müdür Yardımcısı İdari"),
        ("BÖLGE ŞEFİ IT", "Bölge Şefi IT"),
        ("ISTANBUL OFFICE LEAD", "Istanbul Office Lead"),  # no Turkish letter: English rules
    ],
)
def test_unknown_turkish_titles_are_cased_by_turkish_rules(value: str, shown: str) -> None:
    first = normalize_title(value)
    assert first.value == shown
    assert normalize_title(first.value).value == shown


# --- properties -------------------------------------------------------------------------------

_TITLE_WORDS = st.sampled_from(
    ["Senior", "Sr.", "VP", "Head", "of", "Sales", "Marketing", "Manager", "Director", "CEO",
     "&", "/", ",", "-", "Engineer", "Data", "Intern", "Founder", "Директор", "по", "продажам",
     "经理", "销售", "Müdürü", "Satış", "Leiter", "de", "Ventas", "Cheif", "Markting", "II",
     "EMEA", "and", "to", "the", "Assistant", "HR", "IT", "CEOn", "N/A", "Mr.", "Ops",
     "Operations", "Growth", "маркетинга", "Product", "Comercial", "İDARİ", "YARDIMCISI", "ıt"]
)  # fmt: skip


def _check_idempotent(value: object) -> None:
    first = normalize_title(value)
    assert isinstance(first, JobTitle)
    assert first.seniority is None or first.seniority in SENIORITIES
    assert first.function is None or first.function in FUNCTIONS
    for code in first.issues:
        assert code in ISSUE_CODES
    again = normalize_title(first.value)
    assert (again.canonical, again.seniority, again.function) == (
        first.canonical, first.seniority, first.function,
    )  # fmt: skip
    assert again.value == first.value


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
@example("CEOn of Stuff")
@example("ÇEOn")
@example("ß manager")
@example("İSTANBUL ofisi")
def test_property_any_text_never_raises_and_is_idempotent(value: str) -> None:
    _check_idempotent(value)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TITLE_WORDS, min_size=1, max_size=6).map(" ".join))
def test_property_title_like_text_is_idempotent(value: str) -> None:
    _check_idempotent(value)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.floats(), st.binary(max_size=30),
                 st.lists(st.text(max_size=3), max_size=2)))  # fmt: skip
def test_property_any_value_never_raises(value: object) -> None:
    t = normalize_title(value)
    assert isinstance(t.valid, bool)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("Team Lead EMEA", "Team Lead"),
        ("TEAM LEAD 2", "Team Lead"),
        ("Head of Department 2", "Department Head"),
        ("Руководитель департамента 2", "Department Head"),
        ("Team Lead, EMEA", "Team Lead"),
    ],
)
def test_region_and_numbering_qualifiers_around_a_known_title(value: str, canonical: str) -> None:
    assert normalize_title(value).canonical == canonical


# --- the column form --------------------------------------------------------------------------

_ODD_CELLS = [None, "", "   ", float("nan"), 42, b"CEO", "x" * 20_000, "CEO\x00", " C.E.O. ",
              "Sr.  Mgr.,  EMEA", "V. P. Sales", "CEOn", "ceon", "ÇEOn", "ceo@acme.com",
              "N/A", "Mr.", "Sales Manager - Team 4711", "Assistant to the CEO",
              "销售经理, emea"]  # fmt: skip


def _assert_same_as_one_by_one(values: list[object], columns: dict[str, list[object]]) -> None:
    assert list(columns) == list(crmclean.TITLE_COLUMNS)
    for name in crmclean.TITLE_COLUMNS:
        assert len(columns[name]) == len(values)
    for i, value in enumerate(values):
        one = normalize_title(value)
        for name in crmclean.TITLE_COLUMNS:
            assert columns[name][i] == getattr(one, name), (i, name)


def test_normalize_titles_reads_every_cell_as_normalize_title() -> None:
    values = [*_ODD_CELLS, "Founder & CEO", "VP, Sales", "senior firmware wizard", "Sr. Mgr."]
    default_taxonomy().clear_cache()
    columns = crmclean.normalize_titles(values)
    assert isinstance(columns, dict)
    _assert_same_as_one_by_one(values, columns)
    assert columns["value"][values.index("VP, Sales")] == "Vice President of Sales"
    assert columns["issues"][0] == ("missing",)
    assert columns["valid"][0] is False


def test_normalize_titles_on_a_column_that_repeats_itself() -> None:
    # a long column drawn from a few distinct cells is read once per distinct text
    rng = random.Random(5)
    pool = [*_ODD_CELLS, "Founder & CEO", "VP, Sales", "vp sales", "VP SALES", "Sr. Mgr."]
    values = [rng.choice(pool) for _ in range(5000)]
    default_taxonomy().clear_cache()
    columns = crmclean.normalize_titles(values)
    _assert_same_as_one_by_one(values, columns)
    assert columns["value"].count("Vice President of Sales") == sum(
        v in ("VP, Sales", "vp sales", "VP SALES", "V. P. Sales") for v in values
    )


def test_normalize_titles_returns_the_table_kind_of_its_column() -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    values = ["C.E.O.", None, "vp sales"]
    frame = crmclean.normalize_titles(pd.Series(values, index=[7, 8, 9]))
    assert list(frame.index) == [7, 8, 9]
    assert frame.loc[9, "value"] == "Vice President of Sales"
    assert frame.loc[7, "roles"] == ("Chief Executive Officer",)
    polars_frame = crmclean.normalize_titles(pl.Series(values))
    assert polars_frame["seniority"].to_list() == ["c_level", None, "vp"]
    assert polars_frame["issues"].to_list()[1] == ["missing"]
    table = crmclean.normalize_titles(pa.array(values))
    assert table.column("canonical").to_pylist()[0] == "Chief Executive Officer"
    assert crmclean.normalize_titles(v for v in values)["valid"] == [True, False, True]
    assert crmclean.normalize_titles([]) == {name: [] for name in crmclean.TITLE_COLUMNS}


def test_normalize_titles_misuse_raises() -> None:
    with pytest.raises(TypeError, match="taxonomy"):
        crmclean.normalize_titles(["CEO"], taxonomy="default")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="column"):
        crmclean.normalize_titles("CEO")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.lists(_TITLE_WORDS, min_size=1, max_size=5).map(" ".join),
                       st.sampled_from(_ODD_CELLS), st.text(max_size=20)), max_size=12),
    st.booleans(),
)  # fmt: skip
def test_property_column_and_one_by_one_agree(values: list[object], one_first: bool) -> None:
    default_taxonomy().clear_cache()
    if one_first:  # whichever form reads a title first, both give the same
        [normalize_title(v) for v in values]
    _assert_same_as_one_by_one(values, crmclean.normalize_titles(values))


def test_normalize_titles_with_an_extended_taxonomy() -> None:
    row = {"canonical": "Chief Happiness Officer", "seniority": "c_level", "function": "hr",
           "aliases": "cho|happiness boss"}  # fmt: skip
    tax = load_taxonomy(extra_rows=[row])
    values = ["Happiness Boss, EMEA", "CHO", "CEO", "Sr. Happiness Boss - Team 9", None]
    columns = crmclean.normalize_titles(values, taxonomy=tax)
    assert columns["canonical"][:3] == [
        "Chief Happiness Officer", "Chief Happiness Officer", "Chief Executive Officer",
    ]  # fmt: skip
    for i, value in enumerate(values):
        assert columns["seniority"][i] == normalize_title(value, taxonomy=tax).seniority


def test_titles_read_the_same_from_many_threads_with_tiny_caches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from crmclean.normalize import titles

    values: list[object] = [
        f"{m}{lvl} {d}{q}"
        for m in ("", "Sr. ", "Senior ")
        for lvl in ("VP", "Head of", "Mgr.")
        for d in ("Sales", "Marketing", "HR")
        for q in ("", ", EMEA", " - Team 7", " (DACH)")
    ]
    values += ["V.P. Sales", "C. E. O.", "CEOn", "Markting Manager", "销售经理", "N/A", None]
    expected = [normalize_title(v) for v in values]
    monkeypatch.setattr(titles, "_CACHE_LIMIT", 3)  # caches empty themselves all the time
    tax = default_taxonomy()
    tax.clear_cache()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                assert [normalize_title(v) for v in values] == expected
                assert crmclean.normalize_titles(values)["canonical"] == [
                    t.canonical for t in expected
                ]
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tax.clear_cache()
    assert errors == []
