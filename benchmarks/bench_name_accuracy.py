"""Accuracy of the person-name parser on labelled names other projects published.

Two evaluation sets, rebuilt by ``extract_name_cases.py`` (origins and licences in
``data/SOURCES.md``):

* **nameparser's test cases** (``data/names_nameparser_cases.csv``): the names python-nameparser's
  test suite parses, with the parts it asserts. A case is right when every asserted part is.
  Cases nameparser's own suite marks as expected failures are reported apart.
* **probablepeople's labelled names** (``data/names_probablepeople_labeled.csv``): real names
  (Chicago employees, campaign donors, athletes, professors) labelled token by token. A case is
  right when all six parts are. A name of one word is scored apart: its role (given or family
  name) came from the column it was taken from, not from the text, so the figure for it is
  only whether the word is kept as a name part at all.

How parts are compared ("by substance"): each parser's output is mapped onto crmclean's parts:

==============  ================================  ===================================
crmclean        nameparser ``HumanName``          probablepeople labels
==============  ================================  ===================================
prefix          title                             PrefixMarital, PrefixOther
given           first                             GivenName, FirstInitial
middle          middle                            MiddleName, MiddleInitial
family          last                              Surname, LastInitial
suffix          suffix                            SuffixGenerational, SuffixOther
nickname        nickname                          Nickname
==============  ================================  ===================================

crmclean's ``suffix`` holds every post-nominal (``generation`` and ``credentials`` together).
Two texts are the same part when they are equal after case folding, with dots, commas, quotes
and brackets dropped and spaces collapsed (``"M.D."`` = ``"MD"``, ``"Q.C., M.P."`` =
``"QC MP"``, ``"McDonald"`` = ``"MCDONALD"``). For titles and post-nominals a spelled-out
word and its abbreviation are the same (``"Reverend"`` = ``"Rev."``, ``"Father"`` = ``"Fr."``,
``"Junior"`` = ``"Jr."``: each word read through crmclean's title and post-nominal tables,
for every parser alike), spaces inside them do not count (``"Lt.Gen."`` = ``"Lt. Gen."``,
``"Ph. D."`` = ``"PhD"``), and post-nominals are compared in any order (``"MD, III"`` =
``"III MD"``). For two people in one cell ("John and Jane
Smith"), the first person's parts are compared, with the family name the two share
(crmclean keeps the first person; probablepeople's labels are mapped the same way). A name
crmclean flags as no person (``fake_name`` for ``"John Doe"``) has no parts and counts as
wrong where parts are expected.

Usage: python benchmarks/bench_name_accuracy.py [--failures N] [--no-peers]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from crmclean.normalize.names import name_tables, parse_name
from extract_name_cases import PARTS, parts_of_labels

DATA = Path(__file__).parent / "data"
_DROP = re.compile(r"[.,\"'()\[\]]")
#: (assumed here for apostrophes inside names: "O'Neil" keeps its apostrophe)
_INNER_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")

Parser = Callable[[str], dict[str, str]]


def same(a: str | None, b: str | None, part: str = "given") -> bool:
    """Whether two parts are the same by substance (see the module docstring)."""
    if part in ("prefix", "suffix"):
        table = name_tables().prefixes if part == "prefix" else name_tables().suffixes
        words_a, words_b = _affix_words(a, table), _affix_words(b, table)
        if "".join(words_a) == "".join(words_b):  # "Lt.Gen." = "Lt. Gen.", "Ph. D." = "PhD"
            return True
        return part == "suffix" and sorted(words_a) == sorted(words_b)
    return _norm(a) == _norm(b)


def _affix_words(text: str | None, table: Mapping[str, str]) -> list[str]:
    out = []
    for word in _norm(text).split():
        shown = table.get(word.replace("'", ""))
        out.append(_norm(shown) if shown else word)
    return out


def _norm(text: str | None) -> str:
    if not text:
        return ""
    kept = _INNER_APOSTROPHE.sub("\x00", text.casefold())
    return " ".join(_DROP.sub(" ", kept.replace(".", "")).split()).replace("\x00", "'")


def crmclean_parts(value: str) -> dict[str, str]:
    """crmclean's parts of a name."""
    n = parse_name(value)
    return {p: getattr(n, p) or "" for p in PARTS}


def nameparser_parts(value: str) -> dict[str, str]:
    """nameparser's parts of a name, mapped onto crmclean's."""
    from nameparser import HumanName

    hn = HumanName(value)
    return {"prefix": hn.title, "given": hn.first, "middle": hn.middle, "family": hn.last,
            "suffix": hn.suffix, "nickname": hn.nickname}  # fmt: skip


def probablepeople_parts(value: str) -> dict[str, str]:
    """probablepeople's token labels of a name, mapped as the labelled data is."""
    import probablepeople

    return parts_of_labels([(t, label) for t, label in probablepeople.parse(value)])


def load(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def score(
    parser: Parser, cases: list[dict[str, str]], checked: Callable[[dict[str, str]], list[str]]
) -> tuple[int, list[tuple[dict[str, str], dict[str, str]]]]:
    """How many cases the parser gets right, and the ones it gets wrong."""
    right = 0
    wrong = []
    for case in cases:
        got = parser(case["name"])
        if all(same(got.get(p), case[p], p) for p in checked(case)):
            right += 1
        else:
            wrong.append((case, got))
    return right, wrong


def _nameparser_checked(case: dict[str, str]) -> list[str]:
    return case["checked"].split()


def _all_parts(case: dict[str, str]) -> list[str]:
    return list(PARTS)


def _kept_single(parser: Parser, cases: list[dict[str, str]]) -> int:
    kept = 0
    for case in cases:
        got = parser(case["name"])
        word = case["given"] or case["family"]
        kept += same(got["given"], word) or same(got["family"], word)
    return kept


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--failures", type=int, default=0, help="list crmclean's first N failures")
    ap.add_argument("--no-peers", action="store_true", help="crmclean only")
    args = ap.parse_args()
    parsers: dict[str, Parser] = {"crmclean": crmclean_parts}
    if not args.no_peers:
        peers = (("nameparser", "nameparser", nameparser_parts),
                 ("probablepeople", "probablepeople", probablepeople_parts))  # fmt: skip
        for label, module, fn in peers:
            try:
                __import__(module)
            except ImportError:
                print(f"({module} is not installed: skipped)")
                continue
            parsers[label] = fn
    np_cases = load("names_nameparser_cases.csv")
    labelled = load("names_probablepeople_labeled.csv")
    multi = [c for c in labelled if len(c["name"].split()) > 1]
    single = [c for c in labelled if len(c["name"].split()) == 1]
    sets: list[tuple[str, list[dict[str, str]], Callable[[dict[str, str]], list[str]]]] = [
        ("nameparser test cases (not marked expected failure)",
         [c for c in np_cases if c["expected_failure"] == "0"], _nameparser_checked),
        ("nameparser test cases marked expected failure upstream",
         [c for c in np_cases if c["expected_failure"] == "1"], _nameparser_checked),
        ("probablepeople labelled names, two words or more",
         multi, _all_parts),
        ("  of which person_labeled.xml (probablepeople's training data)",
         [c for c in multi if c["source"] == "person_labeled.xml"], _all_parts),
        ("  of which test_data_labeled.xml (probablepeople's test data)",
         [c for c in multi if c["source"] == "test_data_labeled.xml"], _all_parts),
    ]  # fmt: skip
    header = ["evaluation set", "cases", *parsers]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    failures: list[tuple[dict[str, str], dict[str, str]]] = []
    for label, cases, checked in sets:
        cells = []
        for name, parser in parsers.items():
            right, wrong = score(parser, cases, checked)
            cells.append(f"{right / len(cases):.1%} ({right})" if cases else "-")
            if name == "crmclean" and not label.startswith("  "):
                failures += wrong
        print(f"| {label} | {len(cases)} | " + " | ".join(cells) + " |")
    cells = [f"{_kept_single(p, single) / len(single):.1%}" for p in parsers.values()]
    print(f"| probablepeople labelled names of one word: the word kept as given or family name "
          f"| {len(single)} | " + " | ".join(cells) + " |")
    for case, got in failures[: args.failures]:
        want = {p: case[p] for p in PARTS if case[p] or p in case.get("checked", p)}
        print(f"{case['name']!r}\n   want {want}\n   got  { {p: got[p] for p in PARTS if got[p]} }")


if __name__ == "__main__":
    main()
