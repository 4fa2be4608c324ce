"""Test-suite settings.

Property tests run derandomized: every run explores the same examples, so a result never
depends on the run (set ``HYPOTHESIS_PROFILE=explore`` to search fresh examples each time).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("deterministic", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
