"""The issue-code registry is complete, documented, and the only source of codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import crmclean
from crmclean.codes import ISSUE_CODES, issue_codes_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_codes_are_snake_case_with_a_description() -> None:
    for code, text in ISSUE_CODES.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code), code
        assert text.strip().endswith("."), code


def test_reference_page_is_generated_from_the_registry() -> None:
    page = (ROOT / "docs" / "issue-codes.md").read_text(encoding="utf-8")
    assert page == issue_codes_markdown(), (
        "docs/issue-codes.md is out of date: regenerate it with "
        "python -c 'from crmclean.codes import issue_codes_markdown as m; print(m(), end=\"\")'"
    )


def test_describe_issue() -> None:
    assert crmclean.describe_issue("missing").startswith("The value is empty")
    with pytest.raises(KeyError):
        crmclean.describe_issue("no_such_code")


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        ISSUE_CODES["x"] = "y"  # type: ignore[index]
