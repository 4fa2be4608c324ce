"""Email addresses: validity, provider-aware match keys, free/role/disposable, typo domains."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

import crmclean
from crmclean import normalize_email
from crmclean.codes import ISSUE_CODES


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("jane.smith@acme-corp.com", "jane.smith@acme-corp.com"),
        ("  Jane.Smith@ACME-Corp.com  ", "jane.smith@acme-corp.com"),
        ("Jane Smith <jane.smith@acme-corp.com>", "jane.smith@acme-corp.com"),
        ('"Smith, Jane" <Jane.Smith@Acme-Corp.com>', "jane.smith@acme-corp.com"),
        ("mailto:jane.smith@acme-corp.com", "jane.smith@acme-corp.com"),
        ("E-mail: jane.smith@acme-corp.com", "jane.smith@acme-corp.com"),
        ("jane.smith@acme-corp.com.", "jane.smith@acme-corp.com"),
        ("(jane.smith@acme-corp.com)", "jane.smith@acme-corp.com"),
        ("jane.smith\uff20acme-corp.com", "jane.smith@acme-corp.com"),  # full-width @
        ("jane.smith@acme-corp.com\u200b", "jane.smith@acme-corp.com"),  # zero-width space
        ("jane.smith@bücher.de", "jane.smith@xn--bcher-kva.de"),
        ("jane.smith@BÜCHER.DE", "jane.smith@xn--bcher-kva.de"),
        ("ivan@почта.рф", "ivan@xn--80a1acny.xn--p1ai"),
        ("иван.петров@yandex.ru", "иван.петров@yandex.ru"),
        ("o'brien@acme.ie", "o'brien@acme.ie"),
        ("first_last-1@sub.acme.co.uk", "first_last-1@sub.acme.co.uk"),
        ("user+tag@acme.io", "user+tag@acme.io"),
        ("zhang.wei@qq.com", "zhang.wei@qq.com"),
    ],
)
def test_valid_addresses_are_trimmed_lowercased_idna(value: str, normalized: str) -> None:
    result = normalize_email(value)
    assert result.normalized == normalized
    assert result.valid
    assert result.local + "@" + result.domain == normalized  # type: ignore[operator]


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("Jane.Smith@gmail.com", "janesmith@gmail.com"),
        ("j.a.n.e.smith+crm@gmail.com", "janesmith@gmail.com"),
        ("JaneSmith+newsletter@GoogleMail.com", "janesmith@gmail.com"),
        ("jane.smith+x@outlook.com", "jane.smith@outlook.com"),
        ("jane.smith+x@hotmail.com", "jane.smith@hotmail.com"),
        ("ivan+crm@yandex.com", "ivan@yandex.ru"),
        ("ivan@ya.ru", "ivan@yandex.ru"),
        ("jane+a@icloud.com", "jane@icloud.com"),
        ("jane.smith+x@yahoo.com", "jane.smith+x@yahoo.com"),  # Yahoo has no plus addressing
        ("jane.smith+x@acme-corp.com", "jane.smith+x@acme-corp.com"),  # unknown provider
        ("+tagonly@gmail.com", "+tagonly@gmail.com"),
    ],
)
def test_match_key_follows_the_provider(value: str, key: str) -> None:
    assert normalize_email(value).match_key == key


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("jane@gmial.com", "jane@gmail.com"),
        ("jane@gamil.com", "jane@gmail.com"),
        ("jane@gmail.con", "jane@gmail.com"),
        ("jane@gmail.co", "jane@gmail.com"),
        ("jane@hotmial.com", "jane@hotmail.com"),
        ("jane@yaho.com", "jane@yahoo.com"),
        ("jane@yahoo.co", "jane@yahoo.com"),
        ("jane@outlok.com", "jane@outlook.com"),
        ("ivan@mail.ry", "ivan@mail.ru"),
        ("ivan@mial.ru", "ivan@mail.ru"),
        ("ivan@yandex.ry", "ivan@yandex.ru"),
        ("ivan@yandx.ru", "ivan@yandex.ru"),
        ("jane@icloud.co", "jane@icloud.com"),
        ("jane@acme-corp.con", "jane@acme-corp.com"),
        ("jane@acme-corp.cmo", "jane@acme-corp.com"),
    ],
)
def test_typo_domains_get_a_suggestion(value: str, suggestion: str) -> None:
    result = normalize_email(value)
    assert result.suggestion == suggestion
    assert "possible_typo_domain" in result.issues


@pytest.mark.parametrize(
    "value", ["jane@gmail.com", "jane@acme.com", "jane@mail.ru", "jane@acme.co", "jane@gmx.de"]
)
def test_real_domains_get_no_suggestion(value: str) -> None:
    assert normalize_email(value).suggestion is None


def test_unknown_tld_is_not_valid() -> None:
    result = normalize_email("jane@acme.corpx")
    assert not result.valid
    assert "invalid_tld" in result.issues


@pytest.mark.parametrize(
    ("value", "flag", "code"),
    [
        ("jane@gmail.com", "is_free", "free_email"),
        ("ivan@yandex.ru", "is_free", "free_email"),
        ("wang@163.com", "is_free", "free_email"),
        ("info@acme-corp.com", "is_role", "role_email"),
        ("sales@acme-corp.com", "is_role", "role_email"),
        ("noreply@acme-corp.com", "is_role", "role_email"),
        ("no-reply@acme-corp.com", "is_role", "role_email"),
        ("kontakt@firma.de", "is_role", "role_email"),
        ("jane@mailinator.com", "is_disposable", "disposable_email"),
        ("jane@guerrillamail.com", "is_disposable", "disposable_email"),
        ("jane@10minutemail.com", "is_disposable", "disposable_email"),
    ],
)
def test_address_kinds(value: str, flag: str, code: str) -> None:
    result = normalize_email(value)
    assert getattr(result, flag)
    assert code in result.issues
    assert result.valid  # a free, role or disposable address is still an address


def test_corporate_personal_address_has_no_flags() -> None:
    result = normalize_email("jane.smith@acme-corp.com")
    assert (result.is_free, result.is_role, result.is_disposable) == (False, False, False)
    assert result.issues == ()


@pytest.mark.parametrize(
    "value",
    [
        "test@test.com",
        "asdf@asdf.com",
        "noemail@noemail.com",
        "none@acme.com",
        "jane@example.com",
        "aaaa@acme.com",
        "xxx@xxx.com",
        "n.a@acme.com",
    ],
)
def test_placeholders_are_fake(value: str) -> None:
    result = normalize_email(value)
    assert "fake_email" in result.issues
    assert not result.valid


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "missing"),
        ("", "missing"),
        ("  ", "missing"),
        (float("nan"), "missing"),
        ("not-an-email", "missing_at"),
        ("jane.smith.acme.com", "missing_at"),
        ("jane@", "invalid_email"),
        ("@acme.com", "invalid_email"),
        ("jane@@acme.com", "invalid_email"),
        ("jane..smith@acme.com", "invalid_email"),
        ("jane smith@acme.com", "invalid_email"),
        ("jane@acme", "invalid_email"),
        ("jane@localhost", "invalid_email"),
        ("jane@[192.168.0.1]", "invalid_email"),
        ("\U0001f600@\U0001f600.com", "invalid_email"),
        (12345, "missing_at"),
        (["a@b.com"], "unsupported_type"),
    ],
)
def test_bad_values_give_codes_not_errors(value: object, code: str) -> None:
    result = normalize_email(value)
    assert code in result.issues
    assert not result.valid
    assert result.normalized is None


@pytest.mark.parametrize(
    "value",
    [
        "me@\u2488example.com",  # "⒈" is "1." only under NFKC: it would make a new label
        "me@example\u2488com",
        "test@\u2488example.com",
        "me@\u037e.com",  # Greek question mark: ";" after normalization
    ],
)
def test_unicode_normalization_never_changes_the_domain(value: str) -> None:
    result = normalize_email(value)
    assert result.normalized is None
    assert "invalid_email" in result.issues
    assert not result.valid


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("\uff4a\uff41\uff4e\uff45\uff20\uff41\uff43\uff4d\uff45\uff0e\uff43\uff4f\uff4d",
         "jane@acme.com"),  # typed full-width by an input method
        ("jane@acme\u3002com", "jane@acme.com"),  # ideographic full stop between labels
        ("\u00a0jane@acme.com\u00a0", "jane@acme.com"),
        ("jane\u0301@acme.com", "jan\u00e9@acme.com"),  # NFC, as RFC 6532 asks
    ],
)  # fmt: skip
def test_width_and_composition_are_folded_without_changing_the_address(
    value: str, normalized: str
) -> None:
    result = normalize_email(value)
    assert result.normalized == normalized
    assert result.valid


_LONG_DOMAIN = (
    "1111111111222222222233333333334444444444555555555."
    "6666666666777777777788888888889999999999000000000."
    "1111111111222222222233333333334444444444555555555."
    "6666666666777777777788888888889999999999000000000."
)


@pytest.mark.parametrize(
    "value",
    [
        # \ufb2c is one character as typed and three in NFC: the address passes the limits as
        # typed and exceeds them once normalized
        "\ufb2c" + "1" * 63 + "@example.org",  # local part: 64 as typed, 66 in NFC
        "my.\ufb2c.address@" + _LONG_DOMAIN + "11111111112222222222333333333344.info",
        "a" * 65 + "@acme.org",  # RFC 5321: at most 64 characters before the @
    ],
)
def test_too_long_after_normalization_is_invalid(value: str) -> None:
    result = normalize_email(value)
    assert result.normalized is None
    assert "invalid_email" in result.issues


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("test@\u2488example.com", {"invalid_email"}),
        ("<\u0338me@example.com", {"invalid_email"}),  # "≮" only after normalization
        ("test@test.con", {"invalid_tld", "fake_email"}),
        ("noemail@example", {"invalid_email"}),
    ],
)
def test_an_invalid_placeholder_reports_its_syntax_problem(value: str, codes: set[str]) -> None:
    result = normalize_email(value)
    assert codes <= set(result.issues)
    assert not result.valid


_TRICKY = st.sampled_from(
    ["\u2488", "\ufb03", "\ufb2c", "\uff20", "\uff0e", "\u3002", "\u0338", "<", "\u037e",
     "\u00a0", "\u200b", "\u0301", "\u0130", "\u00e9", "\u4e2d", "@", ".", "-", "a", "1"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(_TRICKY, st.text(alphabet="abcxyz019.-_+", max_size=70)), max_size=8).map(
        "".join
    )
)
@example("\ufb03" * 30 + "@acme.com")  # NFKC would make the local part 90 characters
def test_what_comes_out_is_a_valid_address_within_the_limits(value: str) -> None:
    result = normalize_email(value)
    if result.normalized is None:
        return
    local, domain = result.normalized.rsplit("@", 1)
    assert len(local) <= 64
    assert len(result.normalized.encode("utf-8")) <= 254
    checked = validate_email(result.normalized, check_deliverability=False, strict=True)
    assert checked.ascii_domain.lower() == domain
    assert normalize_email(result.normalized).normalized == result.normalized


def test_two_addresses_keep_the_first() -> None:
    result = normalize_email("jane@acme.com; jane.smith@gmail.com")
    assert result.normalized == "jane@acme.com"
    assert result.others == ("jane.smith@gmail.com",)
    assert "multiple_emails" in result.issues
    result = normalize_email("jane@acme.com, Jane@Home.org")
    assert result.others == ("jane@home.org",)


def test_obfuscated_addresses_are_rebuilt() -> None:
    for value in ("jane at acme dot com", "jane[at]acme[dot]com", "jane (at) acme.com"):
        result = normalize_email(value)
        assert result.normalized == "jane@acme.com", value
        assert "obfuscated_email" in result.issues


def test_huge_field_is_cut_not_crashed() -> None:
    result = normalize_email("a" * 10_000_000 + "@acme.com")
    assert "too_long" in result.issues
    assert not result.valid


def test_option_types_are_checked() -> None:
    with pytest.raises(TypeError):
        normalize_email("a@b.com", check_deliverability="yes")  # type: ignore[arg-type]


def test_batch_form() -> None:
    values = ["A@Acme.com", "a@acme.com", None, "A@Acme.com"]
    out = crmclean.normalize_many(normalize_email, values)
    assert [r.normalized for r in out] == ["a@acme.com", "a@acme.com", None, "a@acme.com"]
    assert out[0] is out[3]


_local = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._+-'!#%&*/=?^`{|}~", max_size=70)
_domain = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=0, max_size=66),
    min_size=1,
    max_size=4,
).map(".".join)
_tld = st.sampled_from(["com", "de", "ru", "co", "c0m", "x", "test", "local", "museum", ""])


@settings(max_examples=1500, deadline=None)
@given(_local, _domain, _tld)
@example("a", "b", "localhost")
@example("a", "xn--80a1acny", "com")
@example("a", "-a", "com")
@example("0", "00--0", "com")  # "--" in the third and fourth place is reserved by IDNA
@example("." * 3, "a", "com")
@example("a" * 64, "b", "com")
@example("a" * 65, "b", "com")
def test_fast_path_agrees_with_email_validator(local: str, domain: str, tld: str) -> None:
    address = f"{local}@{domain}.{tld}" if tld else f"{local}@{domain}"
    try:
        checked = validate_email(address, check_deliverability=False, strict=True)
        expected: str | None = f"{checked.local_part.lower()}@{checked.ascii_domain.lower()}"
    except EmailNotValidError:
        expected = None
    result = normalize_email(address)
    if "extra_text_removed" in result.issues:  # a trailing "." is read as punctuation
        address = address.rstrip(".")
        try:
            checked = validate_email(address, check_deliverability=False, strict=True)
            expected = f"{checked.local_part.lower()}@{checked.ascii_domain.lower()}"
        except EmailNotValidError:
            expected = None
    if "invalid_email" in result.issues:
        assert expected is None
    else:
        assert result.normalized == expected


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_on_any_text(value: str) -> None:
    result = normalize_email(value)
    assert all(code in ISSUE_CODES for code in result.issues)
    assert (result.normalized is None) == (result.local is None)


@settings(max_examples=400, deadline=None)
@given(st.emails())
def test_normalizing_twice_changes_nothing(value: str) -> None:
    once = normalize_email(value)
    if once.normalized is not None:
        twice = normalize_email(once.normalized)
        assert twice.normalized == once.normalized
        assert twice.match_key == once.match_key
        assert twice.valid == once.valid
