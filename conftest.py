"""Settings for collecting the doctests of ``src/crmclean``.

Where the normalizers run compiled (see hatch_build.py), a module's ``__file__`` is its
extension file, not the ``.py`` file pytest collects the doctests from; the examples are the
same docstrings either way, so pytest is told not to refuse them for that (and only then).
"""

from __future__ import annotations

import os

from crmclean.normalize import COMPILED

if COMPILED:
    os.environ.setdefault("PY_IGNORE_IMPORTMISMATCH", "1")
