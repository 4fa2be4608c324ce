"""Small timing helpers shared by the benchmark scripts (whole-process figures come from
running the scripts themselves under ``/usr/bin/time -v``)."""

from __future__ import annotations

import gc
import platform
import time
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["clear_value_caches", "in_fresh_processes", "machine_line", "per_second", "print_rows"]


def clear_value_caches() -> None:
    """Empty crmclean's per-value caches (bounded ``lru_cache``s), so that a repeated timing
    of unique values does not find them already parsed. Reference tables stay loaded."""
    import importlib
    import pkgutil

    import crmclean

    for info in pkgutil.walk_packages(crmclean.__path__, "crmclean."):
        if info.name.endswith("__main__") or info.name == "crmclean.spark":  # Spark: optional
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            info_fn = getattr(obj, "cache_info", None)
            if callable(info_fn) and info_fn().maxsize is not None:
                obj.cache_clear()


def per_second(run: Callable[[], Any], n_values: int, *, repeat: int = 3) -> float:
    """Best-of-``repeat`` throughput of ``run()`` over ``n_values`` values, in values/s.

    crmclean's per-value caches are emptied before each run (outside the timing)."""
    best = float("inf")
    for _ in range(repeat):
        clear_value_caches()
        gc.collect()
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return n_values / best


def machine_line() -> str:
    """One line naming the machine, the Python and crmclean's build, for the top of a table."""
    import os

    from crmclean.normalize import COMPILED

    build = "compiled normalizers" if COMPILED else "pure-Python normalizers"
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform(terse=True)}; crmclean with {build}"
    )


def print_rows(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a Markdown table (ready to paste into docs/benchmarks.md)."""
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        cells = [f"{c:,.0f}" if isinstance(c, float) and c >= 100 else
                 (f"{c:.2f}" if isinstance(c, float) else str(c)) for c in row]
        print("| " + " | ".join(cells) + " |")


def in_fresh_processes(
    rows: Sequence[str], argv: Sequence[str], *, pure_python: bool = False
) -> dict[str, float]:
    """Time each row of the calling benchmark script in a process of its own (the script run
    again with ``--row NAME`` and ``argv``, printing one figure), so that no row inherits the
    heap another row left behind. With ``pure_python``, the processes run crmclean's
    pure-Python normalizers (``CRMCLEAN_PURE_PYTHON=1``) even where a compiled build is
    installed."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "CRMCLEAN_PURE_PYTHON"}
    if pure_python:
        env["CRMCLEAN_PURE_PYTHON"] = "1"
    out: dict[str, float] = {}
    for row in rows:
        done = subprocess.run(
            [sys.executable, sys.argv[0], "--row", row, *argv],
            check=True, capture_output=True, text=True, env=env,
        )  # fmt: skip
        out[row] = float(done.stdout.strip().splitlines()[-1])
    return out
