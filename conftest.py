"""Settings for collecting the doctests of ``src/crmclean``.

Where the normalizers run compiled (see hatch_build.py), a module's ``__file__`` is its
extension file, not the ``.py`` file pytest collects the doctests from; the examples are the
same docstrings either way, so pytest is told not to refuse them for that (and only then).
"""

from __future__ import annotations

import importlib.util
import os

from crmclean.normalize import COMPILED

if COMPILED:
    os.environ.setdefault("PY_IGNORE_IMPORTMISMATCH", "1")

# The Spark engine is an optional extra (crmclean[spark]): without pyspark its module's examples
# are not collected (tests/test_spark.py skips, saying why).
collect_ignore = [] if importlib.util.find_spec("pyspark") else ["src/crmclean/spark.py"]
