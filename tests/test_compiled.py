"""The compiled build of the normalizers: which build loads, and that both give the same results.

An install normally runs the normalizers compiled (see hatch_build.py). These tests check that
``CRMCLEAN_PURE_PYTHON`` and an edited source make the pure-Python modules load instead, and,
where this install is compiled, that every normalizer gives exactly what its source gives.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import json
import os
import pickle
import random
import subprocess
import sys
from pathlib import Path

import pytest

import crmclean
from benchscripts import load
from crmclean.normalize import _loader

EXT = ".test-build.so"  # an extension suffix of a made-up build


def _package(tmp_path: Path, names: list[str], recorded: dict[str, str] | None) -> Path:
    """A folder laid out like an installed package: sources, extension files, a manifest."""
    for name in names:
        (tmp_path / f"{name}.py").write_text(f"NAME = {name!r}\n", encoding="utf-8")
        (tmp_path / f"{name}{EXT}").write_bytes(b"")
    if recorded is not None:
        manifest = {"modules": recorded}
        (tmp_path / _loader.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_up_to_date_compiled_modules_load_compiled(tmp_path: Path) -> None:
    folder = _package(tmp_path, ["a", "b"], None)
    recorded = {name: _digest(folder / f"{name}.py") for name in ("a", "b")}
    _package(tmp_path, ["a", "b"], recorded)
    assert _loader.sources_to_load(folder, pure=False, suffixes=[EXT]) == {}


def test_the_environment_variable_loads_every_source(tmp_path: Path) -> None:
    folder = _package(tmp_path, ["a", "b"], None)
    recorded = {name: _digest(folder / f"{name}.py") for name in ("a", "b")}
    _package(tmp_path, ["a", "b"], recorded)
    assert _loader.sources_to_load(folder, pure=True, suffixes=[EXT]) == {
        "a": folder / "a.py",
        "b": folder / "b.py",
    }


def test_an_edited_source_loads_from_source(tmp_path: Path) -> None:
    folder = _package(tmp_path, ["a", "b"], None)
    recorded = {name: _digest(folder / f"{name}.py") for name in ("a", "b")}
    _package(tmp_path, ["a", "b"], recorded)
    (folder / "b.py").write_text("NAME = 'edited'\n", encoding="utf-8")
    assert _loader.sources_to_load(folder, pure=False, suffixes=[EXT]) == {"b": folder / "b.py"}


@pytest.mark.parametrize("manifest", ["", "not json", "[1, 2]", '{"modules": 3}'])
def test_a_missing_or_broken_manifest_loads_from_source(tmp_path: Path, manifest: str) -> None:
    folder = _package(tmp_path, ["a"], None)
    if manifest:
        (folder / _loader.MANIFEST).write_text(manifest, encoding="utf-8")
    assert _loader.sources_to_load(folder, pure=False, suffixes=[EXT]) == {"a": folder / "a.py"}


def test_a_source_without_a_compiled_file_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("X = 1\n", encoding="utf-8")
    assert _loader.sources_to_load(tmp_path, pure=True, suffixes=[EXT]) == {}


@pytest.mark.parametrize(("value", "pure"), [("1", True), ("yes", True), ("0", False),
                                             ("", False), (" ", False)])  # fmt: skip
def test_pure_python_switch(value: str, pure: bool) -> None:
    assert _loader.pure_python_requested({_loader.ENV_VAR: value}) is pure


def _run_python(code: str, *args: str, pure: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != _loader.ENV_VAR}
    if pure:
        env[_loader.ENV_VAR] = "1"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )


def test_the_variable_makes_the_normalizers_load_from_source() -> None:
    code = "import crmclean.normalize as n; print(len(n.COMPILED)); print(n.titles.__file__)"
    count, path = _run_python(code, pure=True).stdout.split()
    assert count == "0"
    assert Path(path).name == "titles.py"


# --- the compiled build gives what the source gives -------------------------------------------

_READ_ALL = """
import json, sys
import crmclean
from crmclean.normalize import COMPILED
values = json.load(open(sys.argv[1], encoding="utf-8"))
odd = [None, 7, 3.5, True, b"bytes", ["a"], {"k": 1}, "x" * 300_000, "\\U0001F600" * 9]
out = {"compiled": list(COMPILED)}
for field, name in [("text", "normalize_text"), ("phone", "normalize_phone"),
                    ("email", "normalize_email"), ("name", "parse_name"),
                    ("title", "normalize_title"), ("company", "normalize_company"),
                    ("address", "normalize_address")]:
    function = getattr(crmclean, name)
    out[field] = [repr(function(v)) for v in values[field] + odd]
out["titles"] = repr(crmclean.normalize_titles(values["title"] + odd))
out["names"] = repr(crmclean.parse_names(values["name"] + odd))
phones = values["phone"] + odd
regions = [("US", None, "DE", "GB", "RU")[i % 5] for i in range(len(phones))]
out["phone_rows"] = repr(crmclean.normalize_phone_rows(phones, regions))
json.dump(out, open(sys.argv[2], "w", encoding="utf-8"))
"""


def _mixed_strings(rng: random.Random, n: int) -> list[str]:
    """Random cells: words of several scripts, digits, punctuation, odd spacing."""
    alphabet = ("abcdefghij ABCDEFGHIJ 0123456789 .,-&'()/@+# İıŞşĞğ ЖжИиЙй αβγ 王李株式会社 "
                "\u00a0\u200b\t é ñ ø")  # fmt: skip
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))) for _ in range(n)]


def _sample_values() -> dict[str, list[str]]:
    rng = random.Random(20261123)
    names, _latin = load("bench_names").make_names(1500, 3)
    return {
        "text": _mixed_strings(rng, 500),
        "phone": [p for p, _region in load("bench_phones").make_values(800, 3)]
        + _mixed_strings(rng, 200),
        "email": load("bench_emails").make_values(800, 3) + _mixed_strings(rng, 200),
        "name": names + _mixed_strings(rng, 300),
        "title": load("bench_titles").make_values(2500, 3) + _mixed_strings(rng, 300),
        "company": load("bench_companies").make_values(1000, 3) + _mixed_strings(rng, 200),
        "address": load("bench_addresses").make_addresses(800, 3) + _mixed_strings(rng, 200),
    }


@pytest.mark.skipif(not crmclean.normalize.COMPILED, reason="this install is pure Python")
def test_compiled_normalizers_give_exactly_what_their_sources_give(tmp_path: Path) -> None:
    values = tmp_path / "values.json"
    values.write_text(json.dumps(_sample_values()), encoding="utf-8")
    results = {}
    for pure in (False, True):
        out = tmp_path / f"out_{pure}.json"
        _run_python(_READ_ALL, str(values), str(out), pure=pure)
        results[pure] = json.loads(out.read_text(encoding="utf-8"))
    compiled, source = results[False], results[True]
    assert compiled.pop("compiled")  # the compiled build did load
    assert source.pop("compiled") == []
    assert compiled.keys() == source.keys()
    for field in compiled:
        assert compiled[field] == source[field], f"{field}: compiled and source differ"


# --- what callers rely on, whichever build runs -------------------------------------------------

_PUBLIC_NORMALIZERS = [
    crmclean.normalize_title, crmclean.normalize_titles, crmclean.parse_name, crmclean.parse_names,
    crmclean.normalize_company, crmclean.normalize_phone, crmclean.normalize_email,
    crmclean.normalize_address, crmclean.normalize_text, crmclean.normalize_many,
]  # fmt: skip


@pytest.mark.parametrize("function", _PUBLIC_NORMALIZERS, ids=lambda f: f.__name__)
def test_normalizers_pickle_and_keep_their_signature_and_docs(function: object) -> None:
    # worker processes (multiprocessing, Spark) receive the functions and send results back
    assert pickle.loads(pickle.dumps(function)) is function
    signature = inspect.signature(function)  # type: ignore[arg-type]
    assert next(iter(signature.parameters)) in ("value", "values", "normalizer")
    assert "Example:" in (function.__doc__ or "")
    assert function.__module__.startswith("crmclean.normalize")  # type: ignore[attr-defined]


def test_results_pickle_and_copy() -> None:
    results = [
        crmclean.normalize_title("VP Sales"),
        crmclean.parse_name("Dr. JOHN A. MCDONALD"),
        crmclean.normalize_company("ACME, INC."),
        crmclean.normalize_phone("+1 415 555 2671"),
        crmclean.normalize_email("Jane.Doe@GoogleMail.com"),
        crmclean.normalize_address("123 north main street apt 4, springfield il 62701"),
    ]
    for result in results:
        assert pickle.loads(pickle.dumps(result)) == result
        assert copy.deepcopy(result) == result
