"""Company names: legal forms in any spelling, display casing, matching keys, junk values."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import crmclean
from crmclean import company_key, load_company_tables, normalize_company
from crmclean.codes import ISSUE_CODES
from crmclean.normalize.data import load_rows

# value, name, base_name, legal_form, legal_form_country, key
REAL_WORLD = [
    ("Acme Inc", "Acme Inc.", "Acme", "Inc.", None, "acme"),
    ("ACME, INC.", "Acme Inc.", "Acme", "Inc.", None, "acme"),
    ("Acme Incorporated", "Acme Inc.", "Acme", "Inc.", None, "acme"),
    ("The ACME Corp.", "The ACME Corp.", "The ACME", "Corp.", None, "acme"),
    ("acme corporation", "Acme Corp.", "Acme", "Corp.", None, "acme"),
    ("Acme, L.L.C.", "Acme LLC", "Acme", "LLC", "US", "acme"),
    ("ACME WIDGETS LLC", "Acme Widgets LLC", "Acme Widgets", "LLC", "US", "acme widgets"),
    ("IBM Corp", "IBM Corp.", "IBM", "Corp.", None, "ibm"),
    ("ibm", "IBM", "IBM", None, None, "ibm"),
    ("EBAY INC", "eBay Inc.", "eBay", "Inc.", None, "ebay"),
    ("sap se", "SAP SE", "SAP", "SE", None, "sap"),
    ("KPMG LLP", "KPMG LLP", "KPMG", "LLP", None, "kpmg"),
    ("MCDONALD'S CORPORATION", "McDonald's Corp.", "McDonald's", "Corp.", None, "mcdonalds"),
    ("O'REILLY MEDIA, INC.", "O'Reilly Media Inc.", "O'Reilly Media", "Inc.", None,
     "oreilly media"),
    ("AT&T INC.", "AT&T Inc.", "AT&T", "Inc.", None, "at and t"),
    ("U.S. STEEL CORP", "U.S. Steel Corp.", "U.S. Steel", "Corp.", None, "us steel"),
    ("7-ELEVEN, INC.", "7-Eleven Inc.", "7-Eleven", "Inc.", None, "7 eleven"),
    ("BANK OF AMERICA, N.A.", "Bank of America N.A.", "Bank of America", "N.A.", "US",
     "bank of america"),
    ("Bank of America NA", "Bank of America NA", "Bank of America NA", None, None,
     "bank of america na"),  # "NA" without dots is not National Association
    ("Procter & Gamble Co.", "Procter & Gamble Co.", "Procter & Gamble Co.", None, None,
     "procter and gamble co"),
    ("DELOITTE & TOUCHE LLP", "Deloitte & Touche LLP", "Deloitte & Touche", "LLP", None,
     "deloitte and touche"),
    ("Acme (UK) Ltd", "Acme (UK) Ltd", "Acme (UK)", "Ltd", None, "acme uk"),
    ("Acme Ltd (UK)", "Acme Ltd (UK)", "Acme (UK)", "Ltd", None, "acme uk"),
    ("ERNST & YOUNG GLOBAL LIMITED", "Ernst & Young Global Ltd", "Ernst & Young Global", "Ltd",
     None, "ernst and young global"),
    ("Unilever PLC", "Unilever PLC", "Unilever", "PLC", None, "unilever"),
    ("ACME PTY LTD", "Acme Pty Ltd", "Acme", "Pty Ltd", "AU", "acme"),
    ("Acme (Pty) Ltd", "Acme (Pty) Ltd", "Acme", "(Pty) Ltd", "ZA", "acme"),
    ("Infosys Private Limited", "Infosys Pvt. Ltd.", "Infosys", "Pvt. Ltd.", None, "infosys"),
    ("Grab Holdings Pte Ltd", "Grab Holdings Pte. Ltd.", "Grab Holdings", "Pte. Ltd.", "SG",
     "grab holdings"),
    ("Petronas Sdn Bhd", "Petronas Sdn. Bhd.", "Petronas", "Sdn. Bhd.", "MY", "petronas"),
    ("Siemens AG", "Siemens AG", "Siemens", "AG", None, "siemens"),
    ("Müller GmbH & Co. KG", "Müller GmbH & Co. KG", "Müller", "GmbH & Co. KG", None, "muller"),
    ("MÜLLER GMBH & CO KG", "Müller GmbH & Co. KG", "Müller", "GmbH & Co. KG", None, "muller"),
    ("Schmidt Gesellschaft mit beschränkter Haftung", "Schmidt GmbH", "Schmidt", "GmbH", None,
     "schmidt"),
    ("Startup UG (haftungsbeschränkt)", "Startup UG (haftungsbeschränkt)", "Startup",
     "UG (haftungsbeschränkt)", "DE", "startup"),
    ("Banco Santander, S.A.", "Banco Santander SA", "Banco Santander", "SA", None,
     "banco santander"),
    ("SOCIÉTÉ GÉNÉRALE S.A.", "Société Générale SA", "Société Générale", "SA", None,
     "societe generale"),
    ("L'ORÉAL SA", "L'Oréal SA", "L'Oréal", "SA", None, "loreal"),
    ("Acme S.A.R.L.", "Acme SARL", "Acme", "SARL", None, "acme"),
    ("Acme SAS", "Acme SAS", "Acme", "SAS", None, "acme"),
    ("Grupo Bimbo, S.A.B. de C.V.", "Grupo Bimbo S.A.B. de C.V.", "Grupo Bimbo",
     "S.A.B. de C.V.", "MX", "group bimbo"),
    ("Acme SA de CV", "Acme S.A. de C.V.", "Acme", "S.A. de C.V.", None, "acme"),
    ("Acme, S.L.", "Acme S.L.", "Acme", "S.L.", "ES", "acme"),
    ("Fiat S.p.A.", "Fiat S.p.A.", "Fiat", "S.p.A.", None, "fiat"),
    ("Acme SRL", "Acme S.r.l.", "Acme", "S.r.l.", None, "acme"),
    ("Philips N.V.", "Philips N.V.", "Philips", "N.V.", None, "philips"),
    ("Acme BV", "Acme B.V.", "Acme", "B.V.", None, "acme"),
    ("AB Volvo", "AB Volvo", "Volvo", "AB", None, "volvo"),
    ("Spotify Technology AB", "Spotify Technology AB", "Spotify Technology", "AB", None,
     "spotify technology"),
    ("Equinor ASA", "Equinor ASA", "Equinor", "ASA", "NO", "equinor"),
    ("Novo Nordisk A/S", "Novo Nordisk A/S", "Novo Nordisk", "A/S", "DK", "novo nordisk"),
    ("Nokia Oyj", "Nokia Oyj", "Nokia", "Oyj", "FI", "nokia"),
    ("Acme Oy", "Acme Oy", "Acme", "Oy", "FI", "acme"),
    ("Acme Sp. z o.o.", "Acme Sp. z o.o.", "Acme", "Sp. z o.o.", "PL", "acme"),
    ("Acme s.r.o.", "Acme s.r.o.", "Acme", "s.r.o.", None, "acme"),
    ("Acme a.s.", "Acme a.s.", "Acme", "a.s.", None, "acme"),
    ("Natura Cosméticos S/A", "Natura Cosméticos S/A", "Natura Cosméticos", "S/A", "BR",
     "natura cosmeticos"),
    ("Acme Comércio Ltda", "Acme Comércio Ltda.", "Acme Comércio", "Ltda.", None,
     "acme comercio"),
    ("Koç Holding A.Ş.", "Koç Holding A.Ş.", "Koç Holding", "A.Ş.", "TR", "koc holdings"),
    ("ABC İNŞAAT SANAYİ VE TİCARET LTD. ŞTİ.", "ABC İnşaat Sanayi ve Ticaret Ltd. Şti.",
     "ABC İnşaat Sanayi ve Ticaret", "Ltd. Şti.", "TR", "abc insaat sanayi ve ticaret"),
    ("ООО «Ромашка»", "ООО «Ромашка»", "Ромашка", "ООО", None, "romashka"),
    ('ООО "Ромашка"', "ООО «Ромашка»", "Ромашка", "ООО", None, "romashka"),
    ("ооо ромашка", "ООО Ромашка", "Ромашка", "ООО", None, "romashka"),
    ("Общество с ограниченной ответственностью «Ромашка»", "ООО «Ромашка»", "Ромашка", "ООО",
     None, "romashka"),
    ("Публичное акционерное общество «Сбербанк России»", "ПАО «Сбербанк России»",
     "Сбербанк России", "ПАО", "RU", "sberbank rossii"),
    ("ЗАО Ромашка", "ЗАО Ромашка", "Ромашка", "ЗАО", None, "romashka"),
    ("ИП Иванов Иван Иванович", "ИП Иванов Иван Иванович", "Иванов Иван Иванович", "ИП", None,
     "ivanov ivan ivanovich"),
    ("AO Kaspersky Lab", "AO Kaspersky Lab", "Kaspersky Lab", "AO", None,
     "kaspersky laboratories"),
    ("ТОО «Казахтелеком»", "ТОО «Казахтелеком»", "Казахтелеком", "ТОО", "KZ", "kazakhtelekom"),
    ("株式会社トヨタ", "株式会社トヨタ", "トヨタ", "株式会社", "JP", "toyota"),
    ("トヨタ株式会社", "トヨタ株式会社", "トヨタ", "株式会社", "JP", "toyota"),
    ("(株)トヨタ", "株式会社トヨタ", "トヨタ", "株式会社", "JP", "toyota"),
    ("トヨタ有限会社", "トヨタ有限会社", "トヨタ", "有限会社", "JP", "toyota"),
    ("Toyota Motor Kabushiki Kaisha", "Toyota Motor K.K.", "Toyota Motor", "K.K.", "JP",
     "toyota motor"),
    ("华为技术有限公司", "华为技术有限公司", "华为技术", "有限公司", None, "hua wei ji zhu"),
    ("台灣積體電路製造股份有限公司", "台灣積體電路製造股份有限公司", "台灣積體電路製造",
     "股份有限公司", None, "tai wan ji ti dian lu zhi zao"),
    ("삼성전자 주식회사", "삼성전자 주식회사", "삼성전자", "주식회사", "KR", "samseongjeonja"),
    ("(주)카카오", "주식회사 카카오", "카카오", "주식회사", "KR", "kakao"),
    ("Samsung Electronics Co., Ltd.", "Samsung Electronics Co., Ltd.", "Samsung Electronics",
     "Co., Ltd.", None, "samsung electronics"),
    ("ACME CO LTD", "Acme Co., Ltd.", "Acme", "Co., Ltd.", None, "acme"),
    ("PT Telkom Indonesia", "PT Telkom Indonesia", "Telkom Indonesia", "PT", "ID",
     "telkom indonesia"),
    ("PT Bank Mandiri (Persero) Tbk", "PT Bank Mandiri (Persero) Tbk", "Bank Mandiri (Persero)",
     "PT Tbk", "ID", "bank mandiri persero"),
    ("ΑΘΗΝΑΪΚΗ ΖΥΘΟΠΟΙΪΑ Α.Ε.", "Αθηναϊκη Ζυθοποιϊα Α.Ε.", "Αθηναϊκη Ζυθοποιϊα", "Α.Ε.", "GR",
     "athenaike zuthopoiia"),
    ("Booking.com B.V.", "Booking.com B.V.", "Booking.com", "B.V.", None, "booking"),
    ("Amazon.com, Inc.", "Amazon.com Inc.", "Amazon.com", "Inc.", None, "amazon"),
    ("THE COCA-COLA COMPANY", "The Coca-Cola Company", "The Coca-Cola Company", None, None,
     "coca cola co"),
    ("Coca-Cola Company, The", "Coca-Cola Company, The", "Coca-Cola Company, The", None, None,
     "coca cola co"),
    ("H&M HENNES & MAURITZ AB", "H&M Hennes & Mauritz AB", "H&M Hennes & Mauritz", "AB", None,
     "h and m hennes and mauritz"),
    ("1234567 Ontario Inc.", "1234567 Ontario Inc.", "1234567 Ontario", "Inc.", None,
     "1234567 ontario"),
    ('"Acme, Inc."', "Acme Inc.", "Acme", "Inc.", None, "acme"),
    ("yahoo!", "Yahoo!", "Yahoo!", None, None, "yahoo"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "name", "base", "form", "country", "key"), REAL_WORLD)
def test_real_world_company_names(
    value: str, name: str, base: str, form: str | None, country: str | None, key: str
) -> None:
    c = normalize_company(value)
    assert (c.name, c.base_name, c.legal_form, c.legal_form_country, c.key) == (
        name,
        base,
        form,
        country,
        key,
    )
    assert c.valid
    assert c.value == c.name
    assert c.original == value


@pytest.mark.parametrize(
    "spellings",
    [
        ["Acme Inc", "ACME, INC.", "Acme Incorporated", "The ACME Corp.", "acme corporation",
         "Acme LLC", "ACME GmbH", "Acme Ltd.", "Acme Limited", "acme.com", "www.acme.com",
         "jane.doe@acme.com", "Acme"],
        ["ООО «Ромашка»", "Ромашка ООО", "ooo romashka", "OOO Romashka", "ЗАО Ромашка"],
        ["株式会社トヨタ", "トヨタ株式会社", "(株)トヨタ", "㈱トヨタ", "（株）トヨタ"],
        ["Procter & Gamble", "Procter and Gamble", "PROCTER & GAMBLE INC"],
        ["McDonald's", "McDonalds Corp", "MCDONALD'S CORPORATION"],
        ["U.S. Steel", "US Steel Corp", "U. S. Steel"],
        ["Müller GmbH", "Mueller", "MÜLLER GMBH & CO. KG"][::2],
        ["Acme Co.", "Acme Company", "ACME CO"],
        ["Acme International Ltd", "Acme Intl. Ltd", "ACME INT'L"],
        ["Иванов и партнеры", "IVANOV I PARTNERY"],
    ],
)  # fmt: skip
def test_spellings_of_one_company_share_a_key(spellings: list[str]) -> None:
    keys = {company_key(v) for v in spellings}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("value", "drop_noise_key"),
    [
        ("Acme Group", "acme"),
        ("Acme Holdings Ltd", "acme"),
        ("Acme Co.", "acme"),
        ("Acme International GmbH", "acme"),
        ("Grupo Bimbo, S.A.B. de C.V.", "bimbo"),
        ("Müller & Co. KG", "muller"),
        ("Group Holdings Ltd", "group holdings"),  # never emptied
        ("华为集团有限公司", "hua wei"),
    ],
)
def test_drop_noise_removes_noise_words_from_the_key_only(value: str, drop_noise_key: str) -> None:
    plain = normalize_company(value)
    c = normalize_company(value, drop_noise=True)
    assert c.key == drop_noise_key
    assert c.name == plain.name
    assert company_key(value, drop_noise=True) == drop_noise_key


@pytest.mark.parametrize(
    ("value", "issue"),
    [
        ("N/A", "placeholder_company"),
        ("n.a.", "placeholder_company"),
        ("none", "placeholder_company"),
        ("NONE", "placeholder_company"),
        ("-", "placeholder_company"),
        ("--", "placeholder_company"),
        ("?", "placeholder_company"),
        ("test", "placeholder_company"),
        ("Test Company", "placeholder_company"),
        ("asdf", "placeholder_company"),
        ("unknown", "placeholder_company"),
        ("TBD", "placeholder_company"),
        ("xxxx", "placeholder_company"),
        ("12345", "placeholder_company"),
        ("Your Company Name", "placeholder_company"),
        ("нет", "placeholder_company"),
        ("keine Angabe", "placeholder_company"),
        ("self", "self_employed"),
        ("self-employed", "self_employed"),
        ("Self Employed", "self_employed"),
        ("freelance", "self_employed"),
        ("Freelancer", "self_employed"),
        ("Independent Contractor", "self_employed"),
        ("sole trader", "self_employed"),
        ("самозанятый", "self_employed"),
        ("selbstständig", "self_employed"),
        ("autónomo", "self_employed"),
        ("retired", "not_employed"),
        ("Student", "not_employed"),
        ("unemployed", "not_employed"),
        ("пенсионер", "not_employed"),
        ("частное лицо", "not_employed"),
    ],
)
def test_values_that_name_no_company(value: str, issue: str) -> None:
    c = normalize_company(value)
    assert c.issues == (issue,)
    assert (c.name, c.base_name, c.key, c.valid) == (None, None, None, False)


def test_placeholder_with_a_legal_form_keeps_the_name_but_is_not_valid() -> None:
    c = normalize_company("Test GmbH")
    assert (c.name, c.legal_form, c.key, c.valid) == ("Test GmbH", "GmbH", None, False)
    assert c.issues == ("placeholder_company",)
    # a real company whose name is a "self-employed" word is not junk
    assert normalize_company("Freelance GmbH").valid


@pytest.mark.parametrize("value", ["Inc.", "LLC", "GmbH", "ООО", "Co., Ltd.", "株式会社"])
def test_legal_form_only(value: str) -> None:
    c = normalize_company(value)
    assert c.issues == ("legal_form_only",)
    assert c.legal_form is not None
    assert (c.name, c.key, c.valid) == (None, None, False)


@pytest.mark.parametrize(
    ("value", "name", "issue"),
    [
        ("acme.com", "Acme", "domain_as_company"),
        ("ACME.COM", "Acme", "domain_as_company"),
        ("www.acme.co.uk", "Acme", "domain_as_company"),
        ("https://www.acme-widgets.com/about", "Acme Widgets", "domain_as_company"),
        ("ibm.com", "IBM", "domain_as_company"),
        ("jane.doe@acme.com", "Acme", "email_as_company"),
    ],
)
def test_domains_and_emails_in_the_company_field(value: str, name: str, issue: str) -> None:
    c = normalize_company(value)
    assert (c.name, c.issues, c.valid) == (name, (issue,), True)
    assert c.key == name.lower()


@pytest.mark.parametrize("value", ["gmail.com", "jane@gmail.com", "ivan@yandex.ru"])
def test_free_mailbox_domains_name_no_company(value: str) -> None:
    c = normalize_company(value)
    assert (c.name, c.key, c.valid) == (None, None, False)
    assert c.issues[0] in ("domain_as_company", "email_as_company")


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("Booking.com", "Booking.com"),  # a brand, not a domain typed by mistake
        ("J.Crew", "J.Crew"),  # not a real top-level domain
        ("Acme.Inc", "Acme.Inc"),  # .inc exists, but here it is a legal form
    ],
)
def test_names_with_dots_that_are_not_domains(value: str, name: str) -> None:
    c = normalize_company(value)
    assert c.name == name
    assert "domain_as_company" not in c.issues


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("ACME WIDGETS", "Acme Widgets"),
        ("acme widgets", "Acme Widgets"),
        ("ACME Widgets", "ACME Widgets"),  # mixed case is the user's brand casing
        ("eBay", "eBay"),
        ("iRobot Corp", "iRobot Corp."),
        ("BANK OF THE WEST", "Bank of the West"),
        ("HSBC HOLDINGS PLC", "HSBC Holdings PLC"),
        ("BNP PARIBAS SA", "BNP Paribas SA"),
        ("ST. JOHN'S BAY", "St. John's Bay"),
        ("MACY'S INC", "Macy's Inc."),
        ("MCKINSEY & COMPANY", "McKinsey & Company"),
        ("1ST SOURCE BANK", "1st Source Bank"),
        ("3M COMPANY", "3M Company"),
        ("A & B SUPPLY", "A & B Supply"),
        ("B&Q PLC", "B&Q PLC"),
        ("LE CREUSET", "Le Creuset"),
        ("MOËT ET CHANDON", "Moët et Chandon"),
        ("VAN DER VALK HOTELS", "Van der Valk Hotels"),
        ("ПАО «ГАЗПРОМ НЕФТЬ»", "ПАО «Газпром Нефть»"),
        ("ПАО МТС", "ПАО МТС"),
        ("IŞIK TEKSTİL A.Ş.", "Işık Tekstil A.Ş."),
        ("STRASSE GMBH", "Strasse GmbH"),
        ("ACME (USA) INC", "Acme (USA) Inc."),
        ("ACME IT SOLUTIONS", "Acme IT Solutions"),
        ("A & E NETWORKS", "A & E Networks"),
        ("ИВАНОВ И ПАРТНЕРЫ", "Иванов и Партнеры"),
        ("ООО ИВАНОВ И. И.", "ООО Иванов И. И."),
        ("ACME DE MEXICO SA DE CV", "Acme de Mexico S.A. de C.V."),
    ],
)
def test_casing(value: str, name: str) -> None:
    assert normalize_company(value).name == name


def test_turkish_text_is_cased_with_turkish_rules() -> None:
    # dotted and dotless i are two letters in Turkish: "İ" ↔ "i", "I" ↔ "ı"
    assert normalize_company("İSTANBUL İNŞAAT A.Ş.").name == "İstanbul İnşaat A.Ş."


@pytest.mark.parametrize(
    ("value", "issues"),
    [
        (None, ("missing",)),
        (float("nan"), ("missing",)),
        ("", ("missing",)),
        ("   ", ("missing",)),
        (["Acme"], ("unsupported_type",)),
        ({"name": "Acme"}, ("unsupported_type",)),
        (True, ("unsupported_type",)),
        (42, ("placeholder_company",)),
    ],
)
def test_values_that_are_not_text(value: object, issues: tuple[str, ...]) -> None:
    c = normalize_company(value)
    assert c.issues == issues
    assert (c.name, c.key, c.valid) == (None, None, False)
    assert c.original is value


def test_pandas_na_and_bytes() -> None:
    pd = pytest.importorskip("pandas")
    assert normalize_company(pd.NA).issues == ("missing",)
    assert normalize_company(b"Acme Inc").name == "Acme Inc."


def test_text_clean_up_issues_are_kept() -> None:
    c = normalize_company("Jos\u00c3\u00a9 Cuervo S.A.")
    assert c.name == "José Cuervo SA"
    assert c.issues == ("mojibake_repaired",)
    c = normalize_company("Acme\u200b Inc")
    assert (c.name, c.issues) == ("Acme Inc.", ("invisible_characters",))


def test_a_very_long_value_is_cut() -> None:
    c = normalize_company("Acme " * 2_000_000 + "Inc")
    assert c.issues[0] == "too_long"
    assert c.valid
    assert len(c.name or "") <= 1_000


def test_emoji_stays_in_the_name_not_in_the_key() -> None:
    c = normalize_company("Acme 🚀 Inc")
    assert (c.name, c.key) == ("Acme 🚀 Inc.", "acme")


def test_every_issue_code_is_registered() -> None:
    values = [v for v, *_ in REAL_WORLD] + [
        "N/A", "self", "retired", "Inc.", "acme.com", "jane@gmail.com", "Test GmbH", None, [1],
        "x" * 5000, "Jos\u00c3\u00a9 Inc",
    ]  # fmt: skip
    for value in values:
        for code in normalize_company(value).issues:
            assert code in ISSUE_CODES, code
    for code in ("domain_as_company", "email_as_company", "legal_form_only", "not_employed",
                 "placeholder_company", "self_employed"):  # fmt: skip
        assert code in ISSUE_CODES


def test_every_shipped_spelling_gives_its_canonical_form() -> None:
    for row in load_rows("company_legal_forms.csv"):
        for spelling in [*row["spellings"].split("|"), row["canonical"]]:
            spelling = spelling.lstrip("=")
            value = f"{spelling} Zorba" if row["position"] == "prefix" else f"Zorba {spelling}"
            c = normalize_company(value)
            assert (c.legal_form, c.base_name) == (row["canonical"], "Zorba"), value


def test_the_public_api() -> None:
    assert crmclean.normalize_company is normalize_company
    assert crmclean.company_key is company_key
    results = crmclean.normalize_many(normalize_company, ["Acme Inc", "ACME, INC.", "Acme Inc"])
    assert [r.key for r in results] == ["acme", "acme", "acme"]
    assert results[0] is results[2]
    results = crmclean.normalize_many(normalize_company, ["Acme Group"], drop_noise=True)
    assert results[0].key == "acme"


# --- user tables and options -------------------------------------------------------------------


def test_user_tables_extend_and_override_the_shipped_ones() -> None:
    tables = load_company_tables(
        legal_forms=[
            {"canonical": "Ltd", "countries": "GB", "spellings": "Ltd|Limited"},
            {"canonical": "KOM", "countries": "XK", "position": "prefix", "spellings": "KOM"},
        ],
        words=[{"word": "bros", "key": "brothers", "noise": "1"}],
        casing=["ACME"],
        placeholders=[{"value": "see notes", "issue": "placeholder_company"}],
    )
    c = normalize_company("acme limited", tables=tables)
    assert (c.name, c.legal_form, c.legal_form_country) == ("ACME Ltd", "Ltd", "GB")
    assert normalize_company("KOM Zorba", tables=tables).legal_form == "KOM"
    assert normalize_company("Warner Bros", tables=tables, drop_noise=True).key == "warner"
    assert normalize_company("See Notes", tables=tables).issues == ("placeholder_company",)
    assert normalize_company("Siemens AG", tables=tables).legal_form == "AG"  # shipped rows stay
    assert company_key("ACME Ltd", tables=tables) == "acme"


def test_user_tables_alone() -> None:
    tables = load_company_tables(
        legal_forms=[{"canonical": "Inc.", "spellings": "Inc"}], defaults=False
    )
    assert normalize_company("Acme Inc", tables=tables).legal_form == "Inc."
    assert normalize_company("Acme GmbH", tables=tables).legal_form is None
    assert [f.canonical for f in tables.legal_forms] == ["Inc."]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"legal_forms": [{"canonical": "X"}]},
        {"legal_forms": [{"canonical": "X", "spellings": "X", "position": "middle"}]},
        {"legal_forms": [{"canonical": "X", "spellings": "X", "countries": "Germany"}]},
        {"words": [{"word": "a b c", "key": "abc", "noise": "1"}]},
        {"words": [{"word": "co", "key": "co", "noise": "yes"}]},
        {"placeholders": [{"value": "n/a", "issue": "junk"}]},
    ],
)
def test_bad_table_rows_raise_config_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(crmclean.ConfigError):
        load_company_tables(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"legal_forms": "Inc"},
        {"legal_forms": ["Inc"]},
        {"casing": "IBM"},
        {"casing": [1]},
        {"defaults": "yes"},
    ],
)
def test_bad_table_arguments_raise_type_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        load_company_tables(**kwargs)  # type: ignore[arg-type]


def test_bad_options_raise_without_showing_the_value() -> None:
    with pytest.raises(TypeError) as info:
        normalize_company("Secret Client Ltd", drop_noise="yes")  # type: ignore[arg-type]
    assert "Secret" not in str(info.value)
    with pytest.raises(TypeError) as info:
        normalize_company("Secret Client Ltd", tables={"x": 1})  # type: ignore[arg-type]
    assert "Secret" not in str(info.value)


# --- properties -------------------------------------------------------------------------------

_SPELLINGS = sorted(
    {
        s.lstrip("=")
        for row in load_rows("company_legal_forms.csv")
        for s in [*row["spellings"].split("|"), row["canonical"]]
    }
)
_WORDS = [
    "Acme", "ACME", "acme", "The", "the", "&", "and", "Co", "Co.", "Group", "Holdings", "(UK)",
    "Müller", "İnşaat", "IŞIK", "Ромашка", '"Ромашка"', "トヨタ", "3M", "7-Eleven", "O'Reilly",
    "McDonald's", "U.S.", "ibm", "eBay", "a", "-", ",", "de", "van", "of", "AB", "PT", "Straße",
    "ß", "i̇", "acme.com", "Ã©", "(", ")", "1st", "4x4", "Σ", "ΟΔΟΣ", "x", "N/A",
]  # fmt: skip

_company_like = st.lists(
    st.sampled_from(_WORDS + _SPELLINGS), min_size=1, max_size=5
).flatmap(
    lambda parts: st.sampled_from([" ", ", ", ""]).map(lambda sep: sep.join(parts))
).flatmap(
    lambda text: st.sampled_from([text, text.upper(), text.lower()])
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.one_of(_company_like, st.text(max_size=60)))
@example("Acme Inc")
@example("ооо ромашка")
@example("ß0")
@example("Â¡·")
@example("i̇")
@example("AB Osakeyhtiö")
@example("유한회사LP")
@example("Kft.AO")
def test_name_is_idempotent_and_keeps_its_key(value: str) -> None:
    c = normalize_company(value)
    assert isinstance(c.valid, bool)
    for code in c.issues:
        assert code in ISSUE_CODES
    if c.name is not None:
        again = normalize_company(c.name)
        assert again.name == c.name
        assert again.key == c.key
        assert again.legal_form == c.legal_form
    if c.valid:
        assert c.name
        assert c.base_name
        assert c.key
        assert c.key == " ".join(c.key.split())
        assert c.key.isascii()
        assert c.key == c.key.lower()


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.none(), st.integers(), st.floats(), st.binary(max_size=40), st.booleans(),
        st.lists(st.text(max_size=3), max_size=2), st.text(max_size=300),
    ),
    st.booleans(),
)  # fmt: skip
def test_never_raises(value: object, drop_noise: bool) -> None:
    c = normalize_company(value, drop_noise=drop_noise)
    assert c.original is value
    assert company_key(value, drop_noise=drop_noise) == c.key
