"""The tutorial notebook in docs/ runs from top to bottom and shows what it promises."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the test extra installs nbformat")
nbclient = pytest.importorskip("nbclient", reason="the test extra installs nbclient")

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_tutorial_notebook_executes() -> None:
    notebook = nbformat.read(DOCS / "tutorial.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(DOCS)}}
    )
    client.execute()  # raises CellExecutionError if any cell fails
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert any("chart-completeness" in page for page in html)  # the audit report
    assert any("largest clusters" in page for page in html)  # duplicates side by side
    assert any("crmclean-explain" in page for page in html)  # the match-weight chart
    assert "'+14158920198'" in text
    assert "Chief Executive Officer" in text
