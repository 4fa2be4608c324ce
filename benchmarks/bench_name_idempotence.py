"""Parsing a name's display again changes nothing: checked on random strings.

Each string is a few pieces drawn from a mix of common given and family names, particles,
initials (with and without dots, run together), titles and post-nominals from crmclean's own
tables (any case, dotted or not), conjunctions, quotes and brackets, commas and other
punctuation, digits, and Unicode (Cyrillic, Greek, Turkish, CJK, Arabic, accents, combining
marks, emoji, invisible characters). For each string it counts:

* **idempotence failures**: ``parse_name(parse_name(s).display).display != parse_name(s).display``;
* **fast path disagreements**: strings the fast path of the parser (usual shapes of names)
  reads differently from the general parser (the fast path must give exactly its result);
* **exceptions** raised (a data value must never raise).

Usage: python benchmarks/bench_name_idempotence.py [--n 1000000] [--seed 11] [--show 10]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _harness import machine_line
from crmclean.normalize import names
from crmclean.normalize.data import load_lines, load_rows

_UNICODE = ["Иван", "Петров", "Иванович", "И.", "ΓΙΏΡΓΟΣ", "Παπαδόπουλος", "İSMAİL", "Yılmaz",
            "Işık", "şahin", "王伟", "欧阳", "山田太郎", "김민준", "محمد", "علي", "Nguyễn", "Văn",
            "José", "García", "Müller", "Ångström", "ǅemal", "e\u0301", "\u200b", "\u00a0",
            "😊", "ß", "Ŀ", "ﬁ", "Ⅳ", "²", "\u0301", "Ӛ", "I\u0307"]  # fmt: skip
_PUNCT = [",", ", ", ".", "-", "'", "''", '"', "(", ")", "&", "+", "/", ";", ":", "!", "?",
          "*", "@", "#", " ", "  "]  # fmt: skip
_WORDS = ["and", "or", "AND", "of", "the", "y", "e", "van", "Van", "de", "la", "del", "al",
          "bin", "Mac", "mc", "Mc", "O'", "St.", "st", "San", "Van der", "ibn", "Le",
          "Lo"]  # fmt: skip


def vocabulary() -> dict[str, list[str]]:
    """The pieces strings are drawn from."""
    given = [g for g in load_lines("names_given.txt") if len(g) > 1][:600]
    family = sorted({r["family"] for r in load_rows("names_family.csv")})
    titles = [r["token"] for r in load_rows("names_prefixes.csv")]
    titles += [r["display"] for r in load_rows("names_prefixes.csv")]
    posts = [r["token"] for r in load_rows("names_suffixes.csv")]
    posts += [r["display"] for r in load_rows("names_suffixes.csv")]
    posts += [".".join(p.upper()) + "." for p in posts if p.isalpha() and len(p) <= 4]
    initials = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    initials += [*[c + "." for c in initials], "J.R.", "A.B.C.", "j.r.", "M.D.", "V.", "I"]
    family = [*family, "smith", "Jones", "O'Neil", "McDonald", "Watson-Parker", "DeVito"]
    return {"given": given, "family": family,
            "title": titles, "post": posts, "initial": initials, "word": _WORDS,
            "punct": _PUNCT, "unicode": _UNICODE,
            "digit": ["1", "2", "42", "3rd", "A1"]}  # fmt: skip


_WEIGHTS = {"given": 24, "family": 24, "title": 10, "post": 10, "initial": 10, "word": 8,
            "punct": 12, "unicode": 6, "digit": 2}  # fmt: skip


def make_strings(n: int, seed: int) -> list[str]:
    """n random strings of pieces (joined by spaces, or run together now and then)."""
    rng = random.Random(seed)
    vocab = vocabulary()
    kinds = list(_WEIGHTS)
    weights = [_WEIGHTS[k] for k in kinds]
    out = []
    for _ in range(n):
        pieces = []
        for _ in range(rng.randint(1, 7)):
            piece = rng.choice(vocab[rng.choices(kinds, weights)[0]])
            roll = rng.random()
            piece = piece.upper() if roll < 0.2 else piece.lower() if roll < 0.35 else piece
            pieces.append(piece)
        sep = "" if rng.random() < 0.1 else " "
        out.append(sep.join(pieces))
    return out


def check(value: str) -> tuple[bool, bool]:
    """(idempotent, fast path agrees) for one string."""
    once = names.parse_name(value)
    idempotent = True
    if once.display is not None:
        idempotent = names.parse_name(once.display).display == once.display
    agrees = True
    text = names._clean(value[: names.MAX_NAME_CHARS])
    if text is not None:
        fast = names._parse_plain(text, None, names.name_tables())
        if fast is not None:
            agrees = fast == names._parse_general(text, None, names.name_tables())
    return idempotent, agrees


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--show", type=int, default=10, help="print the first N failing strings")
    args = ap.parse_args()
    values = make_strings(args.n, args.seed)
    start = time.perf_counter()
    failures: list[str] = []
    disagreements: list[str] = []
    errors: list[str] = []
    for value in values:
        try:
            idempotent, agrees = check(value)
        except Exception as exc:  # counted and reported, never expected
            errors.append(f"{value!r}: {type(exc).__name__}")
            continue
        if not idempotent:
            failures.append(value)
        if not agrees:
            disagreements.append(value)
    seconds = time.perf_counter() - start
    print(machine_line())
    print(f"{len(values):,} random strings ({len(set(values)):,} distinct), {seconds:.0f} s")
    print(f"idempotence failures: {len(failures)}")
    print(f"fast path disagreements: {len(disagreements)}")
    print(f"exceptions: {len(errors)}")
    for value in failures[: args.show]:
        once = names.parse_name(value).display
        print(f"  not idempotent: {value!r} -> {once!r} -> {names.parse_name(once).display!r}")
    for value in disagreements[: args.show]:
        print(f"  fast path differs: {value!r}")
    for line in errors[: args.show]:
        print(f"  raised: {line}")


if __name__ == "__main__":
    main()
