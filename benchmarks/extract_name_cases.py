"""Rebuild the name evaluation sets in ``benchmarks/data/`` from other projects' published data.

Two sets, each one row per name with the parts it should parse into:

* ``names_nameparser_cases.csv``: the input/expected-part pairs asserted in python-nameparser's
  test suite (``tests.py``, https://github.com/derek73/python-nameparser, LGPL-2.1). Only the
  facts are taken: for each ``hn = HumanName("<literal>")`` followed by
  ``self.m(hn.<part>, "<expected>", hn)``, the name and the expected parts (title, first,
  middle, last, suffix, nickname), until the test changes the object or its configuration
  (tests that customize nameparser's constants, formats or capitalization are left out).
  Tests marked ``expectedFailure`` upstream are kept and flagged: they are cases nameparser
  itself gets wrong, with the answer its authors consider right.
* ``names_probablepeople_labeled.csv``: the person names of probablepeople's labelled training
  and test data (``name_data/labeled/person_labeled.xml``, ``tests/test_data_labeled.xml``,
  https://github.com/datamade/probablepeople, MIT): Chicago employees, campaign donors,
  athletes, professors. Each row keeps the token labels (``token/Label`` pairs) and the parts
  they map to (:func:`parts_of_labels`, shared with ``bench_name_accuracy.py``).

Usage: python benchmarks/extract_name_cases.py NAMEPARSER_TESTS_PY PERSON_LABELED_XML
       [TEST_DATA_LABELED_XML]
"""

from __future__ import annotations

import ast
import csv
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

DATA = Path(__file__).parent / "data"
PARTS = ("prefix", "given", "middle", "family", "suffix", "nickname")
#: nameparser attribute -> crmclean part
NAMEPARSER_PARTS = {"title": "prefix", "first": "given", "middle": "middle", "last": "family",
                    "suffix": "suffix", "nickname": "nickname"}  # fmt: skip
#: probablepeople label -> crmclean part ("And" separates two people)
LABEL_PARTS = {
    "PrefixMarital": "prefix", "PrefixOther": "prefix",
    "GivenName": "given", "FirstInitial": "given",
    "MiddleName": "middle", "MiddleInitial": "middle",
    "Surname": "family", "LastInitial": "family",
    "SuffixGenerational": "suffix", "SuffixOther": "suffix",
    "Nickname": "nickname",
}  # fmt: skip
#: test classes whose cases change nameparser's configuration or test its output formats
_SKIP_CLASSES = {"ConstantsCustomization", "HumanNameOutputFormatTests", "InitialsTestCase",
                 "HumanNameCapitalizationTestCase", "HumanNameVariationTests"}  # fmt: skip


def parts_of_labels(labelled: list[tuple[str, str]]) -> dict[str, str]:
    """The parts of one labelled name: the first person's, as crmclean keeps the first of two.

    Tokens go to their part in order (commas and quotes around tokens dropped). For two people
    joined by ``And`` ("John & Jane Smith", "Smith, John and Jane"), the first person is the
    tokens before ``And``; a family name it lacks comes from the second (the name they
    share), and a first person of titles only ("Mr. and Mrs. John Smith") is the second's
    name with the first's titles.
    """
    people: list[dict[str, list[str]]] = [{}]
    for token, label in labelled:
        if label == "And":
            people.append({})
            continue
        part = LABEL_PARTS.get(label)
        if part is None:
            continue
        text = token.strip(",;\"'()")
        if text:
            people[-1].setdefault(part, []).append(text)
    first = people[0]
    if len(people) > 1 and set(first) <= {"prefix"}:
        first = {**{p: w for p, w in people[1].items() if p != "prefix"}, **first}
    for other in people[1:]:
        if "family" not in first and "family" in other:
            first["family"] = other["family"]
    return {part: " ".join(first.get(part, [])) for part in PARTS}


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_hn_call(node: ast.AST) -> str | None:
    """The literal of ``HumanName("...")`` with no other argument, else ``None``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "HumanName"
        and len(node.args) == 1
        and not node.keywords
    ):
        return _literal(node.args[0])
    return None


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for stmt in body:
        if isinstance(stmt, ast.With):
            out.extend(_statements(stmt.body))
        else:
            out.append(stmt)
    return out


def nameparser_cases(source: str) -> list[dict[str, str]]:
    """The cases asserted in nameparser's ``tests.py`` (see the module docstring)."""
    rows: list[dict[str, str]] = []
    tree = ast.parse(source)
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef) or cls.name in _SKIP_CLASSES:
            continue
        for fn in cls.body:
            if not isinstance(fn, ast.FunctionDef) or not fn.name.startswith("test"):
                continue
            names = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
            attributes = {n.attr for n in ast.walk(fn) if isinstance(n, ast.Attribute)}
            if names & {"CONSTANTS", "Constants"} or "C" in attributes:
                continue  # the test changes nameparser's configuration
            xfail = any("expectedFailure" in ast.dump(d) for d in fn.decorator_list)
            current: dict[str, str] | None = None
            for stmt in _statements(fn.body):
                if isinstance(stmt, ast.Assign) and [ast.dump(t) for t in stmt.targets] == [
                    ast.dump(ast.Name("hn", ast.Store()))
                ]:
                    name = _is_hn_call(stmt.value)
                    current = None
                    if name is not None and name.strip():
                        current = {"name": name, "test": f"{cls.name}.{fn.name}",
                                   "expected_failure": "1" if xfail else "0",
                                   "checked": ""}  # fmt: skip
                        rows.append(current)
                    continue
                if current is None:
                    continue
                call = stmt.value if isinstance(stmt, ast.Expr) else None
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "m"
                    and len(call.args) == 3
                    and isinstance(call.args[0], ast.Attribute)
                    and isinstance(call.args[0].value, ast.Name)
                    and call.args[0].value.id == "hn"
                ):
                    attr = call.args[0].attr
                    expected = _literal(call.args[1])
                    if attr in NAMEPARSER_PARTS and expected is not None:
                        part = NAMEPARSER_PARTS[attr]
                        current[part] = expected
                        current["checked"] = " ".join(
                            p for p in PARTS if p in current["checked"].split() or p == part
                        )
                    continue
                current = None  # anything else (a method call, an assignment) ends the case
    seen: set[tuple[str, ...]] = set()
    out = []
    for row in rows:
        if not row["checked"]:
            continue
        key = (row["name"], *[row.get(p, "") for p in PARTS], row["checked"])
        if key in seen:
            continue
        seen.add(key)
        out.append(row)
    return out


def labelled_names(path: Path, source: str) -> list[dict[str, str]]:
    """The labelled person names of one probablepeople XML file."""
    rows = []
    for element in ET.parse(path).getroot():
        labelled = [(child.text or "", child.tag) for child in element]
        text = " ".join(token for token, _ in labelled if token.strip())
        if not text.strip():
            continue
        labels = " ".join(f"{t.replace(' ', '_')}/{lab}" for t, lab in labelled)
        row = {"name": text, "source": source, "labels": labels}
        row.update(parts_of_labels(labelled))
        rows.append(row)
    return rows


def main() -> None:
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    cases = nameparser_cases(Path(sys.argv[1]).read_text(encoding="utf-8"))
    with open(DATA / "names_nameparser_cases.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["name", *PARTS, "checked", "expected_failure", "test"])
        writer.writeheader()
        writer.writerows(cases)
    labelled = labelled_names(Path(sys.argv[2]), "person_labeled.xml")
    if len(sys.argv) > 3:
        labelled += labelled_names(Path(sys.argv[3]), "test_data_labeled.xml")
    with open(DATA / "names_probablepeople_labeled.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["name", *PARTS, "labels", "source"])
        writer.writeheader()
        writer.writerows(labelled)
    print(f"{len(cases)} nameparser cases, {len(labelled)} labelled names")


if __name__ == "__main__":
    main()
