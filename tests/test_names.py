"""Person names: parts, casing in every script, non-person detection, matching keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmclean
from crmclean import ConfigError
from crmclean.codes import ISSUE_CODES
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
        (["Jane"], "unsupported_type"),
    ],
)
def test_issue_codes(value: object, code: str) -> None:
    assert code in parse_name(value).issues


def test_well_cased_names_have_no_issues() -> None:
    assert parse_name("Jane Smith").issues == ()
    assert parse_name("Иван Петров").issues == ()


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
    ],
)
def test_canonical_given_name(value: str, canonical: str) -> None:
    assert canonical_given_name(value) == canonical
    assert parse_name(f"{value} Smith").given_canonical == canonical


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
    ],
)
def test_case_name(value: str, part: str, expected: str) -> None:
    assert case_name(value, part=part) == expected


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
    if once.display is not None and once.valid:
        twice = parse_name(once.display)
        assert twice.display == once.display
