"""The job-title taxonomy is immutable: reading titles leaves it as it was built."""

from __future__ import annotations

import copy
import gc
import re
import weakref
from collections.abc import Mapping
from types import MappingProxyType

import attrs
import pytest

import crmclean
from crmclean.normalize.titles import (
    TitleTaxonomy,
    default_taxonomy,
    load_taxonomy,
    normalize_title,
)

_HAPPINESS = {"canonical": "Chief Happiness Officer", "seniority": "c_level", "function": "hr",
              "aliases": "cho|happiness boss"}  # fmt: skip

_VALUES = [
    f"{m}{lvl} {d}{q}"
    for m in ("", "Sr. ", "Senior ", "Asst. ")
    for lvl in ("VP", "V.P.", "Head of", "Mgr.", "Director")
    for d in ("Sales", "Marketing", "HR", "Happiness")
    for q in ("", ", EMEA", " - Team 7", " (DACH)")
] + ["CEOn", "Cheif Executive Officer", "Markting Manager", "销售经理", "Satış Müdürü",
     "Geschäftsführer", "Vertriebsleiter", "Founder & CEO", "N/A", "Mr.", "a@b.com", "CHO",
     "Happiness Boss", "senior firmware wizard", "12345678", None, ""]  # fmt: skip


def _fingerprint(taxonomy: TitleTaxonomy) -> tuple[object, ...]:
    """Every table of the taxonomy, by content (mappings as sets of their items)."""
    return tuple(
        frozenset(value.items()) if isinstance(value, Mapping) else value
        for value in attrs.astuple(taxonomy, recurse=False)
    )


@pytest.fixture(params=["default", "extended"])
def taxonomy(request: pytest.FixtureRequest) -> TitleTaxonomy:
    if request.param == "default":
        return default_taxonomy()
    return load_taxonomy(extra_rows=[_HAPPINESS])


def test_every_table_is_read_only(taxonomy: TitleTaxonomy) -> None:
    for field in attrs.fields(TitleTaxonomy):
        value = getattr(taxonomy, field.name)
        assert isinstance(value, MappingProxyType | frozenset | tuple | re.Pattern | None), (
            field.name
        )
        if isinstance(value, Mapping):
            for inner in value.values():  # rows are tuples (or strings), never lists or dicts
                assert isinstance(inner, tuple | str), field.name
    with pytest.raises(TypeError):
        taxonomy.titles["Chief Happiness Officer"] = ("c_level", "hr")  # type: ignore[index]
    with pytest.raises(TypeError):
        taxonomy._aliases["boss"] = taxonomy._aliases["ceo"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        taxonomy._stopwords.add("boss")  # type: ignore[attr-defined]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        taxonomy.titles = {}  # type: ignore[misc]
    with pytest.raises(AttributeError):
        taxonomy.cache = {}  # type: ignore[attr-defined]


def test_a_taxonomy_built_from_dicts_keeps_its_own_read_only_copies() -> None:
    tax = load_taxonomy(extra_rows=[_HAPPINESS])
    fields = {f.name.lstrip("_"): getattr(tax, f.name) for f in attrs.fields(TitleTaxonomy)}
    titles = dict(fields["titles"])
    copy_of = TitleTaxonomy(**{**fields, "titles": titles})
    titles["Boss"] = (None, None)  # the dict it was given: not the table it keeps
    assert "Boss" not in copy_of.titles
    assert isinstance(copy_of.titles, MappingProxyType)
    assert normalize_title("Happiness Boss", taxonomy=copy_of).canonical == (
        "Chief Happiness Officer"
    )


def test_reading_titles_leaves_the_taxonomy_as_it_was(taxonomy: TitleTaxonomy) -> None:
    before = _fingerprint(taxonomy)
    hashed, shown = hash(before), repr(taxonomy)
    for _ in range(2):  # read twice: the second time from what was remembered
        one_by_one = [normalize_title(v, taxonomy=taxonomy) for v in _VALUES]
        columns = crmclean.normalize_titles(_VALUES, taxonomy=taxonomy)
        assert columns["canonical"] == [t.canonical for t in one_by_one]
    assert _fingerprint(taxonomy) == before
    assert hash(_fingerprint(taxonomy)) == hashed
    assert repr(taxonomy) == shown
    taxonomy.clear_cache()
    assert _fingerprint(taxonomy) == before


def test_taxonomies_remember_their_titles_apart() -> None:
    extended = load_taxonomy(extra_rows=[_HAPPINESS])
    assert normalize_title("Happiness Boss", taxonomy=extended).canonical == (
        "Chief Happiness Officer"
    )
    assert normalize_title("Happiness Boss", taxonomy=extended).canonical is not None
    assert normalize_title("Happiness Boss").canonical is None
    assert normalize_title("Happiness Boss").canonical is None
    extended.clear_cache()  # forgets only its own titles
    assert normalize_title("Happiness Boss").canonical is None
    assert normalize_title("CHO", taxonomy=extended).canonical == "Chief Happiness Officer"


def test_a_copied_taxonomy_reads_the_same() -> None:
    tax = load_taxonomy(extra_rows=[_HAPPINESS])
    expected = [normalize_title(v, taxonomy=tax) for v in _VALUES]
    twin = copy.copy(tax)
    assert twin is not tax
    assert _fingerprint(twin) == _fingerprint(tax)
    assert [normalize_title(v, taxonomy=twin) for v in _VALUES] == expected


def test_a_taxonomy_no_longer_used_is_freed_with_what_it_read() -> None:
    tax = load_taxonomy(extra_rows=[_HAPPINESS])
    assert normalize_title("Happiness Boss", taxonomy=tax).canonical == "Chief Happiness Officer"
    crmclean.normalize_titles(["CHO", "Happiness Boss, EMEA"], taxonomy=tax)
    gone = weakref.ref(tax)
    del tax
    gc.collect()
    assert gone() is None


def test_clearing_a_taxonomy_never_read_with_is_harmless() -> None:
    tax = load_taxonomy(include_defaults=False, extra_rows=[{"canonical": "Boss"}])
    tax.clear_cache()
    assert normalize_title("Boss", taxonomy=tax).canonical == "Boss"
