"""Free text: Unicode clean-up for display, and ASCII match keys for blocking and comparison.

:func:`normalize_text` keeps the value's script and case (``"Иван  Петров"`` stays Cyrillic) and
only repairs what no user means to type: control and zero-width characters, runs of whitespace,
typographic quotes and dashes, mis-decoded UTF-8 ("JosÃ©"). :func:`match_key` goes further for
machines: case and accents folded and every script transliterated to ASCII, so that
``"İSMAİL"``, ``"Ismail"`` and ``"ismail"`` share one key, and ``"Иванов"`` meets ``"Ivanov"``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

import attrs
from unidecode import unidecode

from crmclean.normalize._base import coerce_text, require_bool

__all__ = ["Text", "compact_key", "match_key", "normalize_text", "transliterate"]

_QUOTES_AND_DASHES: Final = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u00b4": "'", "\u0060": "'", "\u02bc": "'", "\uff07": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\uff02": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u2043": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    }
)  # fmt: skip

# C0/C1 control characters other than whitespace (which the whitespace pass folds).
_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Invisible format characters (Unicode category Cf), except ZWNJ/ZWJ which some scripts need.
_INVISIBLE_RE: Final = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f]"
)
_WHITESPACE_RE: Final = re.compile(r"\s+")
# Typical UTF-8-read-as-cp1252 sequences: "Ã©" for "é", "Ð¸" for "и", "â€™" for "’".
MOJIBAKE_RE: Final = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")  # noqa: E501
# Turkish casing: letters that only Turkish (and Azerbaijani) text holds, and its i/ı rules
TURKISH_HINT_RE: Final = re.compile("[İıŞşĞğ]")
TURKISH_LOWER: Final = str.maketrans({"I": "ı", "İ": "i"})
TURKISH_UPPER: Final = str.maketrans({"i": "İ", "ı": "I"})
_STRAY_ASCII: Final = frozenset("*^~`|\\<>={}[]_")
_SPECIAL_CATEGORIES: Final = frozenset({"So", "Sk", "Co", "Cs", "Cn"})
_NON_ALNUM_RE: Final = re.compile(r"[^0-9a-z]+")


@attrs.frozen
class Text:
    """The result of :func:`normalize_text`.

    Attributes:
        original: the value exactly as given.
        text: the cleaned text, or ``None`` when nothing is left.
        valid: ``True`` when some text is left.
        issues: issue codes (see :data:`crmclean.ISSUE_CODES`).

    Example:
        >>> normalize_text("  Jane\\u200b   Smith ").text
        'Jane Smith'
    """

    original: object
    text: str | None
    valid: bool
    issues: tuple[str, ...] = ()

    @property
    def value(self) -> str | None:
        """The standardized value (same as :attr:`text`)."""
        return self.text


def _repair_mojibake(text: str) -> str | None:
    """Undo UTF-8 bytes that were decoded as cp1252 or Latin-1, if that is what happened."""
    for codec in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != text:
            return repaired
    return None


def _strip_special(text: str) -> str:
    return "".join(
        ch
        for ch in text
        if ch not in _STRAY_ASCII
        and ch != "\ufffd"
        and not ("\ufe00" <= ch <= "\ufe0f")
        and (ch.isascii() or unicodedata.category(ch) not in _SPECIAL_CATEGORIES)
    )


def normalize_text(
    value: object, *, strip_special: bool = False, max_length: int | None = None
) -> Text:
    """Clean free text for display, keeping its script and case.

    Applies Unicode NFKC (full-width letters, ligatures and non-breaking spaces become plain),
    removes control and zero-width characters, repairs UTF-8 that was read as cp1252
    ("JosÃ©" → "José"), turns typographic quotes and dashes into ``'`` ``"`` ``-``, and folds
    runs of whitespace into one space. With ``strip_special=True`` it also removes emoji,
    pictographs, private-use characters and stray ``* ^ ~ | < > = { } [ ] _``.

    Args:
        value: any cell value; ``None``, NaN and ``""`` give ``text=None`` and ``missing``.
        strip_special: also remove symbols and emoji.
        max_length: cut the cleaned text to this many characters (issue ``truncated``).

    Example:
        >>> r = normalize_text("\\u201cACME\\u201d \\u2013 Ｔｏｋｙｏ\\u00a0office")
        >>> r.text
        '"ACME" - Tokyo office'
        >>> normalize_text("Jos\\u00c3\\u00a9").text, normalize_text("Jos\\u00c3\\u00a9").issues
        ('José', ('mojibake_repaired',))
    """
    strip = require_bool("strip_special", strip_special)
    if max_length is not None and (
        not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
    ):
        raise TypeError("option 'max_length' must be a positive int or None")
    raw, problem = coerce_text(value)
    if raw is None:
        return Text(original=value, text=None, valid=False, issues=(problem or "missing",))
    text, issues = _clean(raw, strip)
    # A removal can bring two characters together that the earlier steps would have changed
    # (stray symbol between "Ã" and "©"): clean again until nothing changes, so that
    # normalizing a normalized value is a no-op.
    for _ in range(3):
        if text.isascii():
            break
        again, more = _clean(text, strip)
        if again == text:
            break
        text = again
        issues.extend(code for code in more if code not in issues)
    if max_length is not None and len(text) > max_length:
        text = text[:max_length].rstrip()
        issues.append("truncated")
    if not text:
        issues.append("missing")
        return Text(original=value, text=None, valid=False, issues=tuple(issues))
    return Text(original=value, text=text, valid=True, issues=tuple(issues))


def _clean(raw: str, strip_special: bool) -> tuple[str, list[str]]:
    issues: list[str] = []
    text = raw
    if not (text.isascii() and text.isprintable()):
        if MOJIBAKE_RE.search(text):
            repaired = _repair_mojibake(text)
            if repaired is not None:
                text = repaired
                issues.append("mojibake_repaired")
        text = unicodedata.normalize("NFKC", text)
        if _CONTROL_RE.search(text):
            text = _CONTROL_RE.sub("", text)
            issues.append("control_characters")
        if _INVISIBLE_RE.search(text):
            text = _INVISIBLE_RE.sub("", text)
            issues.append("invisible_characters")
        if "\ufffd" in text:
            issues.append("replacement_character")
        text = text.translate(_QUOTES_AND_DASHES)
    if strip_special:
        stripped = _strip_special(text)
        if stripped != text:
            text = stripped
            issues.append("special_characters_removed")
    text = _WHITESPACE_RE.sub(" ", text).strip()
    return text, issues


def transliterate(value: object) -> str:
    """Transliterate text of any script to ASCII, keeping case and punctuation.

    Cyrillic, Greek, Turkish, Arabic, Hebrew and the rest go letter by letter; Chinese (and
    Japanese kanji) go to Mandarin pinyin syllables, kana to romaji. Nulls give ``""``.

    Example:
        >>> transliterate("Иван Петров"), transliterate("Çağrı Yılmaz"), transliterate("王伟")
        ('Ivan Petrov', 'Cagri Yilmaz', 'Wang Wei')
    """
    raw, _ = coerce_text(value)
    if not raw:
        return ""
    text, _ = _clean(raw, strip_special=False)
    if text.isascii():
        return text
    return _WHITESPACE_RE.sub(" ", unidecode(text)).strip()


def match_key(value: object) -> str:
    """A key for blocking and comparison: ASCII, lower case, words separated by one space.

    Case, accents and script are folded (``"İSMAİL"``, ``"Ismail"`` and ``"ismail"`` share one
    key; ``"Иванов"`` gives ``"ivanov"``); punctuation becomes a word break. Nulls give ``""``.

    Example:
        >>> match_key("  José  GARCÍA-Márquez "), match_key("İSMAİL"), match_key("Иванов")
        ('jose garcia marquez', 'ismail', 'ivanov')
    """
    return _NON_ALNUM_RE.sub(" ", transliterate(value).lower()).strip()


def compact_key(value: object) -> str:
    """Like :func:`match_key` but with every non-alphanumeric character removed.

    Example:
        >>> compact_key("O'Brien-Smith"), compact_key("Ван Дер Берг")
        ('obriensmith', 'vanderberg')
    """
    return _NON_ALNUM_RE.sub("", transliterate(value).lower())


def lower_case(text: str, turkish: bool) -> str:
    """Lower case, by Turkish rules when ``turkish`` (``I`` → ``ı``, ``İ`` → ``i``).

    Shared by the name and title normalizers (not part of ``crmclean``'s API).

    Example:
        >>> lower_case("ISPARTA", True), lower_case("ISPARTA", False)
        ('ısparta', 'isparta')
    """
    return text.translate(TURKISH_LOWER).lower() if turkish else text.lower()


def upper_case(text: str, turkish: bool) -> str:
    """Upper case, by Turkish rules when ``turkish`` (``i`` → ``İ``, ``ı`` → ``I``).

    Example:
        >>> upper_case("istanbul", True)
        'İSTANBUL'
    """
    return text.translate(TURKISH_UPPER).upper() if turkish else text.upper()


def fold_i(low: str) -> str:
    """Lower-case text with the Turkish dotless ``ı`` and dotted ``i̇`` as a plain ``i``: the
    letter that the same capital reads as in other languages.

    Example:
        >>> fold_i("ısmail")
        'ismail'
    """
    if low.isascii():
        return low
    return low.replace("ı", "i").replace("i\u0307", "i")
