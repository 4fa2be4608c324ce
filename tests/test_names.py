"""Person names: parts, casing in every script, non-person detection, matching keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmclean
from crmclean import ConfigError
from crmclean.codes import ISSUE_CODES
from crmclean.normalize.data import load_rows
from crmclean.normalize.names import (
    canonical_given_name,
    case_name,
    normalize_name_part,
    parse_name,
)

# value -> (prefix, given, middle, family, suffix, display)
PARSED = [
    ("jane SMITH", (None, "Jane", None, "Smith", None, "Jane Smith")),
    ("JANE SMITH", (None, "Jane", None, "Smith", None, "Jane Smith")),
    ("jane smith", (None, "Jane", None, "Smith", None, "Jane Smith")),
    ("Smith, Jane", (None, "Jane", None, "Smith", None, "Jane Smith")),
    ("SMITH, JANE MARIE", (None, "Jane", "Marie", "Smith", None, "Jane Marie Smith")),
    ("Smith, John, Jr.", (None, "John", None, "Smith", "Jr.", "John Smith Jr.")),
    ("Smith, Dr. Jane", ("Dr.", "Jane", None, "Smith", None, "Dr. Jane Smith")),
    ("Dr. JOHN A. MCDONALD JR.",
     ("Dr.", "John", "A.", "McDonald", "Jr.", "Dr. John A. McDonald Jr.")),
    ("J. R. Smith", (None, "J.", "R.", "Smith", None, "J. R. Smith")),
    ("j r smith", (None, "J.", "R.", "Smith", None, "J. R. Smith")),
    ("Mr. Bob Jones", ("Mr.", "Bob", None, "Jones", None, "Mr. Bob Jones")),
    ("Prof. Dr. Hans Müller", ("Prof. Dr.", "Hans", None, "Müller", None, "Prof. Dr. Hans Müller")),
    ("john smith iii", (None, "John", None, "Smith", "III", "John Smith III")),
    ("Jane Smith PhD", (None, "Jane", None, "Smith", "PhD", "Jane Smith PhD")),
    ("Jane Smith, MD", (None, "Jane", None, "Smith", "MD", "Jane Smith MD")),
    ("ludwig van beethoven", (None, "Ludwig", None, "van Beethoven", None, "Ludwig van Beethoven")),
    ("JUAN DE LA CRUZ", (None, "Juan", None, "de la Cruz", None, "Juan de la Cruz")),
    ("vincent van gogh", (None, "Vincent", None, "van Gogh", None, "Vincent van Gogh")),
    ("Mohammed bin Salman", (None, "Mohammed", None, "bin Salman", None, "Mohammed bin Salman")),
    ("leonardo da vinci", (None, "Leonardo", None, "da Vinci", None, "Leonardo da Vinci")),
    ("Abdul al-Rahman", (None, "Abdul", None, "al-Rahman", None, "Abdul al-Rahman")),
    ("Ronald MACDONALD", (None, "Ronald", None, "MacDonald", None, "Ronald MacDonald")),
    ("macy gray", (None, "Macy", None, "Gray", None, "Macy Gray")),
    ("TONY MACHADO", (None, "Tony", None, "Machado", None, "Tony Machado")),
    ("bob o'neil", (None, "Bob", None, "O'Neil", None, "Bob O'Neil")),
    ("sean d'angelo", (None, "Sean", None, "D'Angelo", None, "Sean D'Angelo")),
    ("mary-jane WATSON-PARKER",
     (None, "Mary-Jane", None, "Watson-Parker", None, "Mary-Jane Watson-Parker")),
    ("Gabriel García Márquez",
     (None, "Gabriel", None, "García Márquez", None, "Gabriel García Márquez")),
    ("JOHN ST. JOHN", (None, "John", None, "St. John", None, "John St. John")),
    ("Mary Ann Smith", (None, "Mary", "Ann", "Smith", None, "Mary Ann Smith")),
    ("Danny DeVito", (None, "Danny", None, "DeVito", None, "Danny DeVito")),
    ("иван петров", (None, "Иван", None, "Петров", None, "Иван Петров")),
    ("ИВАН ИВАНОВИЧ ПЕТРОВ", (None, "Иван", "Иванович", "Петров", None, "Иван Иванович Петров")),
    ("Петров Иван Иванович", (None, "Иван", "Иванович", "Петров", None, "Иван Иванович Петров")),
    ("Петрова Анна Сергеевна", (None, "Анна", "Сергеевна", "Петрова", None,
                                "Анна Сергеевна Петрова")),
    ("İSMAİL YILMAZ", (None, "İsmail", None, "Yılmaz", None, "İsmail Yılmaz")),
    ("ayşe IŞIK", (None, "Ayşe", None, "Işık", None, "Ayşe Işık")),
    ("ΓΙΏΡΓΟΣ ΠΑΠΑΔΌΠΟΥΛΟΣ", (None, "Γιώργος", None, "Παπαδόπουλος", None,
                              "Γιώργος Παπαδόπουλος")),
    ("王伟", (None, "伟", None, "王", None, "王伟")),
    ("欧阳娜娜", (None, "娜娜", None, "欧阳", None, "欧阳娜娜")),
    ("山田太郎", (None, "太郎", None, "山田", None, "山田太郎")),
    ("佐々木 健", (None, "健", None, "佐々木", None, "佐々木 健")),
    ("김민준", (None, "민준", None, "김", None, "김민준")),
    ("Zoë Ångström", (None, "Zoë", None, "Ångström", None, "Zoë Ångström")),
    ("J.R.R. Tolkien", (None, "J.", "R. R.", "Tolkien", None, "J. R. R. Tolkien")),
    ("Martin Luther King Jr.", (None, "Martin", "Luther", "King", "Jr.", "Martin Luther King Jr.")),
    ("martin luther king, jr.",
     (None, "Martin", "Luther", "King", "Jr.", "Martin Luther King Jr.")),
    ("Smith Jr., John", (None, "John", None, "Smith", "Jr.", "John Smith Jr.")),
    ("Mr Smith", ("Mr.", None, None, "Smith", None, "Mr. Smith")),
    ("Prof. dr. ir. Jan de Vries",
     ("Prof. Dr. Ir.", "Jan", None, "de Vries", None, "Prof. Dr. Ir. Jan de Vries")),
    ("Maria del Carmen Lopez Garcia", (None, "Maria", "del Carmen", "Lopez Garcia", None,
                                       "Maria del Carmen Lopez Garcia")),
    ("Ana María López", (None, "Ana", "María", "López", None, "Ana María López")),
    ("João Carlos da Silva Santos", (None, "João", "Carlos", "da Silva Santos", None,
                                     "João Carlos da Silva Santos")),
    ("JOÃO DA SILVA", (None, "João", None, "da Silva", None, "João da Silva")),
    ("mohammed al-fayed", (None, "Mohammed", None, "al-Fayed", None, "Mohammed al-Fayed")),
    ("ali bin abdullah", (None, "Ali", None, "bin Abdullah", None, "Ali bin Abdullah")),
    ("Omar ibn al-Khattab", (None, "Omar", None, "ibn al-Khattab", None, "Omar ibn al-Khattab")),
    ("Ursula VON DER LEYEN", (None, "Ursula", None, "von der Leyen", None, "Ursula von der Leyen")),
    ("VAN DER BERG, PIETER", (None, "Pieter", None, "van der Berg", None, "Pieter van der Berg")),
    ("Karl-Theodor zu Guttenberg", (None, "Karl-Theodor", None, "zu Guttenberg", None,
                                    "Karl-Theodor zu Guttenberg")),
    ("Antoine de Saint-Exupéry", (None, "Antoine", None, "de Saint-Exupéry", None,
                                  "Antoine de Saint-Exupéry")),
    ("St. John, Mary", (None, "Mary", None, "St. John", None, "Mary St. John")),
    ("Mrs. Mary O'CONNOR-SMITH", ("Mrs.", "Mary", None, "O'Connor-Smith", None,
                                  "Mrs. Mary O'Connor-Smith")),
    ("Ian MACKENZIE", (None, "Ian", None, "MacKenzie", None, "Ian MacKenzie")),
    ("mack brown", (None, "Mack", None, "Brown", None, "Mack Brown")),
    ("Sarah O'Neil PhD", (None, "Sarah", None, "O'Neil", "PhD", "Sarah O'Neil PhD")),
    ("John Smith V", (None, "John", None, "Smith", "V", "John Smith V")),
    ("Smith J. R.", (None, "J.", "R.", "Smith", None, "J. R. Smith")),
    ("Jane S.", (None, "Jane", None, "S.", None, "Jane S.")),
    ("Иванов И.И.", (None, "И.", "И.", "Иванов", None, "И. И. Иванов")),
    ("И.И. Иванов", (None, "И.", "И.", "Иванов", None, "И. И. Иванов")),
    ("Иванов Иван", (None, "Иван", None, "Иванов", None, "Иван Иванов")),
    ("ОЛЕГ ТИНЬКОВ", (None, "Олег", None, "Тиньков", None, "Олег Тиньков")),
    ("Роман Аркадьевич Абрамович", (None, "Роман", "Аркадьевич", "Абрамович", None,
                                    "Роман Аркадьевич Абрамович")),
    ("Анна-Мария Иванова", (None, "Анна-Мария", None, "Иванова", None, "Анна-Мария Иванова")),
    ("ÇAĞRI ŞAHİN", (None, "Çağrı", None, "Şahin", None, "Çağrı Şahin")),
    ("Mehmet Ali Öztürk", (None, "Mehmet", "Ali", "Öztürk", None, "Mehmet Ali Öztürk")),
    ("ALEKSANDAR VUČIĆ", (None, "Aleksandar", None, "Vučić", None, "Aleksandar Vučić")),
    ("Björk Guðmundsdóttir", (None, "Björk", None, "Guðmundsdóttir", None,
                              "Björk Guðmundsdóttir")),
    ("Nguyễn Văn An", (None, "An", "Văn", "Nguyễn", None, "Nguyễn Văn An")),
    ("NGUYEN THI MAI", (None, "Mai", "Thi", "Nguyen", None, "Nguyen Thi Mai")),
    ("Kim Jong-un", (None, "Jong-un", None, "Kim", None, "Kim Jong-un")),
    ("MOON JAE-IN", (None, "Jae-in", None, "Moon", None, "Moon Jae-in")),
    ("田中 花子", (None, "花子", None, "田中", None, "田中 花子")),
    ("毛泽东", (None, "泽东", None, "毛", None, "毛泽东")),
    ("이순신", (None, "순신", None, "이", None, "이순신")),
    ("محمد علي", (None, "محمد", None, "علي", None, "محمد علي")),
    ("  jane\u00a0\u00a0smith\u200b ", (None, "Jane", None, "Smith", None, "Jane Smith")),
]  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), PARSED)
def test_parse_parts_and_display(
    value: str, expected: tuple[str | None, str | None, str | None, str | None, str | None, str]
) -> None:
    name = parse_name(value)
    assert (name.prefix, name.given, name.middle, name.family, name.suffix, name.display) == (
        expected
    )
    assert name.valid


@pytest.mark.parametrize(
    ("value", "nickname", "given"),
    [
        ('Robert "Bob" Smith', "Bob", "Robert"),
        ("Jane (JJ) Doe", "JJ", "Jane"),
        ("William 'Bill' GATES", "Bill", "William"),
    ],
)
def test_nicknames_in_quotes_or_brackets(value: str, nickname: str, given: str) -> None:
    name = parse_name(value)
    assert (name.nickname, name.given) == (nickname, given)
    assert nickname not in (name.display or "")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Acme Inc", "company_in_name"),
        ("Globex Corporation", "company_in_name"),
        ("ООО Ромашка", "company_in_name"),
        ("Müller GmbH", "company_in_name"),
        ("Accounts Payable", "role_in_name"),
        ("Sales Team", "role_in_name"),
        ("info", "role_in_name"),
        ("Customer Service", "role_in_name"),
        ("test test", "placeholder_name"),
        ("asdf", "placeholder_name"),
        ("N/A", "placeholder_name"),
        ("unknown", "placeholder_name"),
        ("xxx", "placeholder_name"),
        ("aaaa", "placeholder_name"),
        ("Mickey Mouse", "fake_name"),
        ("John Doe", "fake_name"),
        ("Max Mustermann", "fake_name"),
        ("---", "placeholder_name"),
        ("Lisa Müller GmbH", "company_in_name"),
        ("Smith & Sons", "company_in_name"),
        ("ACME, INC.", "company_in_name"),
        ("Banco Santander S.A.", "company_in_name"),
        ("Marketing Team", "role_in_name"),
        ("Accounts Payable Dept", "role_in_name"),
        ("бухгалтерия", "role_in_name"),
        ("asdfgh", "placeholder_name"),
        ("qwerty", "placeholder_name"),
        ("xcvbnm", "placeholder_name"),
        ("Unknown Unknown", "placeholder_name"),
        ("Test User", "placeholder_name"),
        ("неизвестно", "placeholder_name"),
        ("Вася Пупкин", "fake_name"),
        ("Donald Duck", "fake_name"),
        ("info@acme.com", "email_in_name"),
        ("Mr.", "placeholder_name"),
    ],
)
def test_what_is_not_a_person(value: str, code: str) -> None:
    name = parse_name(value)
    assert code in name.issues
    assert not name.valid
    assert name.given is None
    assert name.family is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "missing"),
        ("", "missing"),
        ("   ", "missing"),
        (float("nan"), "missing"),
        (42, "digits_in_name"),
        ("Jane Smith 2", "digits_in_name"),
        ("J. R.", "only_initials"),
        ("Madonna", "single_name"),
        ("JANE SMITH", "bad_casing"),
        ("Smith John", "possible_swapped_names"),
        ("123", "digits_in_name"),
        ("Jane 123", "digits_in_name"),
        ("john & jane smith", "multiple_people"),
        ("Dr. Smith", "single_name"),
        (["Jane"], "unsupported_type"),
    ],
)
def test_issue_codes(value: object, code: str) -> None:
    assert code in parse_name(value).issues


def test_well_cased_names_have_no_issues() -> None:
    assert parse_name("Jane Smith").issues == ()
    assert parse_name("Иван Петров").issues == ()
    assert parse_name("Sir Elton John").issues == ()  # John is also a family name
    assert parse_name("LeBron James").issues == ()
    assert parse_name("محمد علي").issues == ()  # no letter case: never bad_casing


def test_notes_in_brackets_are_not_nicknames() -> None:
    name = parse_name("Jane Smith (Sales)")
    assert (name.display, name.nickname) == ("Jane Smith", None)


def test_two_people_keep_the_first_with_the_shared_family_name() -> None:
    name = parse_name("John & Jane Smith")
    assert (name.given, name.family) == ("John", "Smith")


def test_non_person_keeps_its_text_as_display() -> None:
    name = parse_name("ACME, INC.")
    assert (name.display, name.given, name.family, name.valid) == ("ACME, INC.", None, None, False)


def test_reference_tables_can_be_extended() -> None:
    tables = crmclean.normalize.names.name_tables(
        nicknames={"Kiko": "Francisco", "Шурик": "Александр"},
        given_names=["zbigniew"],
        not_person={"Kunde": "placeholder_name", "Vertrieb": "role_in_name"},
        prefixes={"Ing": "Ing."},
    )
    assert parse_name("Kiko Smith", tables=tables).given_canonical == "francisco"
    assert parse_name("Шурик Петров", tables=tables).given_canonical == "aleksandr"
    assert parse_name("kunde", tables=tables).issues == ("placeholder_name",)
    assert parse_name("Vertrieb", tables=tables).issues == ("role_in_name",)
    assert canonical_given_name("Kiko", tables=tables) == "francisco"
    assert canonical_given_name("Kiko") == "kiko"  # the shipped tables are unchanged
    assert crmclean.normalize.names.name_tables() is crmclean.normalize.names.name_tables()
    with pytest.raises(ConfigError):
        crmclean.normalize.names.name_tables(not_person={"x": "no_such_code"})
    with pytest.raises(TypeError):
        parse_name("Jane", tables={"chip": "charles"})  # type: ignore[arg-type]


def test_shipped_tables_are_large_enough() -> None:
    tables = crmclean.normalize.names.name_tables()
    nicknames = load_rows("names_nicknames.csv")
    assert len(nicknames) >= 600
    assert {row["canonical"] for row in nicknames} >= {"robert", "александр", "josé", "mehmet"}
    assert len(tables.given_names) >= 1000
    assert tables.has_kind("garcia", "hispanic")


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("Bob", "robert"),
        ("Bobby", "robert"),
        ("Rob", "robert"),
        ("Bill", "william"),
        ("Will", "william"),
        ("Liz", "elizabeth"),
        ("Beth", "elizabeth"),
        ("Peggy", "margaret"),
        ("Саша", "aleksandr"),
        ("Ваня", "ivan"),
        ("Robert", "robert"),
        ("Jane", "jane"),
        ("Sasha", "alexandra"),
        ("Дима", "dmitrii"),
        ("Dima", "dmitrii"),
        ("Dmitry", "dmitrii"),
        ("Лёша", "aleksei"),
        ("Наташа", "natalia"),
        ("Pepe", "jose"),
        ("Paco", "francisco"),
        ("Sepp", "josef"),
        ("Hans", "johannes"),
        ("Memo", "guillermo"),
        ("İbo", "ibrahim"),
        ("Kasia", "katarzyna"),
        ("Gianni", "giovanni"),
        ("Jan", "jan"),
    ],
)
def test_canonical_given_name(value: str, canonical: str) -> None:
    assert canonical_given_name(value) == canonical
    assert parse_name(f"{value} Smith").given_canonical == canonical


@pytest.mark.parametrize(
    ("value", "given_key", "family_key"),
    [
        ("Pieter van der Berg", "pieter", "van der berg"),
        ("Mary Watson-Parker", "mary", "watson parker"),
        ("Bob O'Neil", "bob", "oneil"),
        ("Олег Тиньков", "oleg", "tinkov"),
        ("Gabriel García Márquez", "gabriel", "garcia marquez"),
        ("王伟", "wei", "wang"),
    ],
)
def test_match_keys(value: str, given_key: str, family_key: str) -> None:
    name = parse_name(value)
    assert (name.given_key, name.family_key) == (given_key, family_key)


def test_transliterated_and_phonetic_keys_meet_across_scripts() -> None:
    cyrillic, latin = parse_name("Иван Иванов"), parse_name("Ivan Ivanov")
    assert cyrillic.family_key == latin.family_key == "ivanov"
    assert cyrillic.given_key == latin.given_key == "ivan"
    assert parse_name("Jane Smith").family_phonetic == parse_name("Jane Smyth").family_phonetic
    assert parse_name("İsmail Yılmaz").family_key == parse_name("ISMAIL YILMAZ").family_key


@pytest.mark.parametrize(
    ("value", "part", "expected"),
    [
        ("mcdonald", "family", "McDonald"),
        ("MACDONALD", "family", "MacDonald"),
        ("macy", "given", "Macy"),
        ("O'NEIL", "family", "O'Neil"),
        ("van der berg", "family", "Van der Berg"),
        ("DeVito", "family", "DeVito"),
        ("jean-paul", "given", "Jean-Paul"),
        ("İSMAİL", "given", "İsmail"),
        ("IŞIK", "family", "Işık"),
        ("ΟΔΥΣΣΕΥΣ", "given", "Οδυσσευς"),
        ("иван", "given", "Иван"),
        ("王", "family", "王"),
        ("MACKENZIE", "family", "MacKenzie"),
        ("MACKENZIE", "given", "Mackenzie"),
        ("MCKENNA", "given", "McKenna"),
        ("de la cruz", "family", "De la Cruz"),
        ("GARCÍA MÁRQUEZ", "family", "García Márquez"),
        ("st. john", "family", "St. John"),
        ("ΣΟΦΟΚΛΗΣ", "any", "Σοφοκλης"),
    ],
)
def test_case_name(value: str, part: str, expected: str) -> None:
    assert case_name(value, part=part) == expected


def test_greek_final_sigma() -> None:
    assert case_name("ΟΔΥΣΣΕΑΣ") == "Οδυσσεας"
    assert case_name("ΟΔΥΣΣΕΑΣ")[-1] == "\u03c2"  # final sigma
    assert parse_name("ΓΙΏΡΓΟΣ ΠΑΠΑΔΌΠΟΥΛΟΣ").family_key == "papadopoulos"


def test_dutch_ij_with_locale() -> None:
    assert case_name("ijzerman", locale="nl") == "IJzerman"
    assert case_name("ijzerman") == "Ijzerman"


def test_turkish_locale_hint() -> None:
    assert case_name("ISIK", locale="tr") == "Isık"
    assert case_name("ISIK") == "Isik"


def test_name_part_columns() -> None:
    assert normalize_name_part("jane").text == "Jane"
    assert normalize_name_part("SMITH", part="family").text == "Smith"
    assert normalize_name_part("N/A").issues == ("placeholder_name",)
    assert normalize_name_part(None).issues == ("missing",)
    assert normalize_name_part("Acme Inc").issues == ("company_in_name",)
    assert normalize_name_part("J.").issues == ("only_initials",)


def test_wrong_options_raise() -> None:
    with pytest.raises(ConfigError, match="unknown locale"):
        parse_name("Jane", locale="xx")
    with pytest.raises(ConfigError, match="unknown name part"):
        case_name("jane", part="first")
    with pytest.raises(TypeError):
        parse_name("Jane", locale=1)  # type: ignore[arg-type]


def test_huge_value_is_cut() -> None:
    name = parse_name("Jane " + "x" * 10_000_000)
    assert "too_long" in name.issues


def test_batch_form() -> None:
    out = crmclean.normalize_many(crmclean.parse_name, ["jane smith", None, "jane smith"])
    assert [n.display for n in out] == ["Jane Smith", None, "Jane Smith"]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_and_codes_are_registered(value: str) -> None:
    name = parse_name(value)
    assert all(code in ISSUE_CODES for code in name.issues)
    normalize_name_part(value)


_word = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'-абвгдежзиклмнопрстуфİıŞşÇçÖöÜü",
    min_size=1,
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_word, min_size=1, max_size=4).map(" ".join))
def test_parsing_the_display_again_changes_nothing(value: str) -> None:
    once = parse_name(value)
    if once.display is not None:
        twice = parse_name(once.display)
        assert twice.display == once.display
        assert (twice.given, twice.family) == (once.given, once.family) or not once.valid


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_display_is_idempotent_on_any_text(value: str) -> None:
    once = parse_name(value)
    if once.display is not None:
        assert parse_name(once.display).display == once.display


# --- the column form --------------------------------------------------------------------------

_NAME_CELLS = [None, "", "  ", float("nan"), 7, b"Jane", "x" * 5_000, "smith, jane",
               "DR. JOHN A. MCDONALD JR.", "Robert \"Bob\" van der BERG", "王伟", "Иван Петров",
               "İSMAİL YILMAZ", "N/A", "Acme Inc", "Mickey Mouse", "J. R. R. Tolkien",
               "John & Jane Smith", "O'NEIL, SEAN", "jane"]  # fmt: skip


def test_parse_names_reads_every_cell_as_parse_name() -> None:
    columns = crmclean.parse_names(_NAME_CELLS)
    assert list(columns) == list(crmclean.NAME_COLUMNS)
    for i, value in enumerate(_NAME_CELLS):
        one = parse_name(value)
        for name in crmclean.NAME_COLUMNS:
            assert columns[name][i] == getattr(one, name), (value, name)
    tr = crmclean.parse_names(["İSMAİL YILMAZ", "ismail yilmaz"], locale="tr")
    assert tr["display"] == [parse_name(v, locale="tr").display for v in
                             ["İSMAİL YILMAZ", "ismail yilmaz"]]  # fmt: skip


def test_parse_names_returns_the_table_kind_of_its_column() -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    values = ["smith, jane", None]
    frame = crmclean.parse_names(pd.Series(values, index=["a", "b"]))
    assert frame.loc["a", "display"] == "Jane Smith"
    assert crmclean.parse_names(pl.Series(values))["issues"].to_list()[1] == ["missing"]
    assert crmclean.parse_names(pa.array(values)).column("given").to_pylist() == ["Jane", None]
    assert crmclean.parse_names([]) == {name: [] for name in crmclean.NAME_COLUMNS}
    with pytest.raises(TypeError, match="column"):
        crmclean.parse_names("Jane Smith")
    with pytest.raises(crmclean.ConfigError):
        crmclean.parse_names(["Jane"], locale="xx")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_NAME_CELLS), st.text(max_size=25)), max_size=10))
def test_property_parse_names_agrees_with_parse_name(values: list[object]) -> None:
    columns = crmclean.parse_names(values)
    for i, value in enumerate(values):
        one = parse_name(value)
        assert [columns[name][i] for name in crmclean.NAME_COLUMNS] == [
            getattr(one, name) for name in crmclean.NAME_COLUMNS
        ]


@pytest.mark.parametrize(
    ("value", "given", "middle", "family"),
    [
        ("Smith J R", "J.", "R.", "Smith"),
        ("Smith J Y", "J.", "Y.", "Smith"),  # a capital Y is an initial, as R is
        ("Kim Y J", "Y.", "J.", "Kim"),
    ],
)
def test_a_family_name_followed_by_initials(
    value: str, given: str, middle: str | None, family: str
) -> None:
    name = parse_name(value)
    assert (name.given, name.middle, name.family) == (given, middle, family)
    assert parse_name(name.display).display == name.display


@pytest.mark.parametrize(("value", "suffix"), [("Mehmet Yılmaz ıı", "II"), ("Ali Kaya ıv", "IV")])
def test_a_suffix_typed_with_turkish_i_is_read_as_its_casing_reads(value: str, suffix: str) -> None:
    name = parse_name(value)
    assert name.suffix == suffix
    assert parse_name(name.display).display == name.display


# --- titles, post-nominals and the forms real names take -------------------------------------

# value -> (prefix, given, middle, family, suffix)
AFFIXED = [
    # titles not in a short list of Mr./Dr.: a vocabulary of honorifics, runs of titles
    ("King Henry", ("King", "Henry", None, None, None)),
    ("Sir Gerald", ("Sir", "Gerald", None, None, None)),
    ("Congressman Peter Roskam", ("Congressman", "Peter", None, "Roskam", None)),
    ("Rt. Hon. Paul E. Mary", ("Rt. Hon.", "Paul", "E.", "Mary", None)),
    ("State Senator Kwame Raoul", ("State Senator", "Kwame", None, "Raoul", None)),
    ("Secretary of State Hillary Clinton",
     ("Secretary of State", "Hillary", None, "Clinton", None)),
    ("His Excellency Lord Duncan", ("His Excellency Lord", None, None, "Duncan", None)),
    ("Lt.Gen. John Doe", ("Lt. Gen.", "John", None, "Doe", None)),
    ("mayor john rodgers", ("Mayor", "John", None, "Rodgers", None)),
    ("Major John Smith", ("Major", "John", None, "Smith", None)),
    ("Major Lance", (None, "Major", None, "Lance", None)),  # a title that is also a name
    # post-nominals wherever they stand
    ("Josephine Clingan M.D.", (None, "Josephine", None, "Clingan", "MD")),
    ("John Doe, CLU, CFP, LUTC", (None, "John", None, "Doe", "CLU CFP LUTC")),
    ("Arthur Gray, Jr., M.D.", (None, "Arthur", None, "Gray", "Jr. MD")),
    ("TROJAN, BSN, RN, LNCC, CHRISTINE", (None, "Christine", None, "Trojan", "BSN RN LNCC")),
    ("Doe-Ray, Dr. John P., CLU, CFP, LUTC", ("Dr.", "John", "P.", "Doe-Ray", "CLU CFP LUTC")),
    ("carlton r marcyan, attorney at law",
     (None, "Carlton", "R.", "Marcyan", "Attorney at Law")),
    ("daniel j. kordik attorney at law", (None, "Daniel", "J.", "Kordik", "Attorney at Law")),
    ("Laura Jean Derrick AIA", (None, "Laura", "Jean", "Derrick", "AIA")),
    ("bruce a hackel gri", (None, "Bruce", "A.", "Hackel", "GRI")),
    ("Kenneth Clarke QC MP", (None, "Kenneth", None, "Clarke", "QC MP")),
    ("John Smith, Ph. D.", (None, "John", None, "Smith", "PhD")),
    ("Larry Kassens AIA-CSI", (None, "Larry", None, "Kassens", "AIA-CSI")),
    ("Jane Doe, LCSW, CRTS", (None, "Jane", None, "Doe", "LCSW CRTS")),  # an unknown one
    ("david b. iii hill", (None, "David", "B.", "Hill", "III")),
    ("w. russell (jr.) withers", (None, "W.", "Russell", "Withers", "Jr.")),
    ("Andrews, M.D.", (None, "Andrews", None, None, "MD")),  # one word: the given name
    ("John Smith MA", (None, "John", None, "Smith", "MA")),
    ("Jack Ma", (None, "Jack", None, "Ma", None)),  # an ambiguous one needs a full name
    ("DR. JACK MA", ("Dr.", "Jack", None, "Ma", None)),
    ("Larry V I", (None, "V.", "I.", "Larry", None)),  # initials, not the Roman numeral I
    # a title that ends the first of two comma-separated parts: given, title, family
    ("patricia mrs, natke", ("Mrs.", "Patricia", None, "Natke", None)),
    # family names the parser misread
    ("Cindy Mac Kendrick", (None, "Cindy", None, "Mac Kendrick", None)),
    ("ellen h mc donald", (None, "Ellen", "H.", "Mc Donald", None)),
    ("Van Nguyen", (None, "Van", None, "Nguyen", None)),
    ("Al Gore", (None, "Al", None, "Gore", None)),
    ("van Dyke", (None, None, None, "van Dyke", None)),
    ("Brines Mark R", (None, "Mark", "R.", "Brines", None)),
    ("LaMantia Robert M.", (None, "Robert", "M.", "LaMantia", None)),
    # two people: the first, with the family name they share
    ("Mr. and Mrs. John Smith", ("Mr.", "John", None, "Smith", None)),
    ("Dr. & Mrs. RHYS P STRASIA", ("Dr.", "Rhys", "P.", "Strasia", None)),
    ("Ronald T. & Karen P. Lindsay", (None, "Ronald", "T.", "Lindsay", None)),
    ("Dr. Fandel & Dr. Williams", ("Dr.", None, None, "Fandel", None)),
]  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), AFFIXED)
def test_titles_and_post_nominals_where_real_names_hold_them(
    value: str, expected: tuple[str | None, ...]
) -> None:
    name = parse_name(value)
    assert (name.prefix, name.given, name.middle, name.family, name.suffix) == expected
    assert parse_name(name.display).display == name.display


def test_generation_and_credentials_are_separate_fields() -> None:
    name = parse_name("Gray, Arthur, Jr., M.D., FACS")
    assert (name.generation, name.credentials, name.suffix) == ("Jr.", "MD FACS", "Jr. MD FACS")
    assert (parse_name("John Smith III").generation, parse_name("John Smith III").credentials) == (
        "III", None
    )
    assert parse_name("Jane Roe, CPA").credentials == "CPA"
    columns = crmclean.parse_names(["Gray, Arthur, Jr., M.D.", None])
    assert columns["generation"] == ["Jr.", None]
    assert columns["credentials"] == ["MD", None]


@pytest.mark.parametrize(
    ("value", "nickname", "given", "family"),
    [
        ("Arthur Wesley ''Wes'' Willis", "Wes", "Arthur", "Willis"),
        ("EDMUND ''ED'' J. QUARTULLO", "ED", "Edmund", "Quartullo"),
        ('Earl "The Goat" Manigault', "The Goat", "Earl", "Manigault"),
        ('"Rick" Edmonds', "Rick", None, "Edmonds"),
        ("John Jones (Google Docs), Jr. (Unknown)", "Google Docs", "John", "Jones"),
    ],
)
def test_nicknames_in_doubled_quotes_or_starting_with_the(
    value: str, nickname: str, given: str | None, family: str
) -> None:
    name = parse_name(value)
    assert (name.nickname, name.given, name.family) == (nickname, given, family)


def test_custom_titles_and_post_nominals() -> None:
    tables = crmclean.normalize.names.name_tables(
        prefixes={"Kapitan": "Kpt."}, suffixes={"Dipl.-Kfm.": "Dipl.-Kfm.", "mdb": "MdB"}
    )
    name = parse_name("Kapitan Hans Albers MdB", tables=tables)
    assert (name.prefix, name.given, name.family, name.credentials) == (
        "Kpt.", "Hans", "Albers", "MdB"
    )
    assert parse_name("Kapitan Hans Albers MdB").prefix is None  # the shipped tables


_PIECES = st.sampled_from(
    ["John", "SMITH", "jane", "van", "de la", "Mac", "mc", "O'Neil", "A.", "J.R.", "V", "I",
     "Dr.", "mrs", "Rt. Hon.", "State", "Senator", "of", "the", "King", "Major", "Jr.", "III",
     "M.D.", "PhD", "MA", "ma", "CPA", "LNCC", "attorney at law", "AIA-CSI", ",", "&", "and",
     "''Wes''", '"The Goat"', "(jr.)", "Иван", "Петров", "İSMAİL", "王伟", "ß", "Ⅳ", "1"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=7).map(" ".join))
def test_names_with_titles_and_post_nominals_read_the_same_again(value: str) -> None:
    once = parse_name(value)
    if once.display is not None:
        assert parse_name(once.display).display == once.display


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=7).map(" ".join))
def test_the_fast_path_reads_names_as_the_general_parser(value: str) -> None:
    names = crmclean.normalize.names
    text = names._clean(value)
    if text is not None:
        fast = names._parse_plain(text, None, names.name_tables())
        if fast is not None:
            assert fast == names._parse_general(text, None, names.name_tables())


def test_labelled_names_map_onto_parts_with_the_first_of_two_people() -> None:
    from benchscripts import load

    extract = load("extract_name_cases")
    couple = [("Mr.", "PrefixMarital"), ("and", "And"), ("Mrs.", "PrefixMarital"),
              ("John", "GivenName"), ("Smith", "Surname")]  # fmt: skip
    parts = extract.parts_of_labels(couple)
    assert (parts["prefix"], parts["given"], parts["family"], parts["middle"]) == (
        "Mr.", "John", "Smith", ""
    )
    two = [("John", "GivenName"), ("&", "And"), ("Jane", "GivenName"), ("Doe,", "Surname")]
    assert extract.parts_of_labels(two)["family"] == "Doe"


def test_published_labelled_names_parse_as_labelled() -> None:
    from benchscripts import load

    accuracy = load("bench_name_accuracy")
    cases = accuracy.load("names_nameparser_cases.csv")
    cases = [c for c in cases if c["expected_failure"] == "0"]
    right, _ = accuracy.score(accuracy.crmclean_parts, cases, accuracy._nameparser_checked)
    assert right / len(cases) >= 0.90
    labelled = [c for c in accuracy.load("names_probablepeople_labeled.csv")
                if len(c["name"].split()) > 1]  # fmt: skip
    right, _ = accuracy.score(accuracy.crmclean_parts, labelled, accuracy._all_parts)
    assert right / len(labelled) >= 0.95
    assert accuracy.same("M.D.", "MD", "suffix")
    assert accuracy.same("Reverend", "Rev.", "prefix")
    assert not accuracy.same("Jane", "John")
