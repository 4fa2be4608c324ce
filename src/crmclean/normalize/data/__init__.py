"""Reference tables shipped with crmclean, loaded lazily and cached.

Each table is a UTF-8 text file in this folder; ``SOURCES.md`` names each file's source and
licence. Lines starting with ``#`` are comments. Users can read a table with :func:`load_lines`
or :func:`load_rows` and pass their own tables to the normalizers that accept one.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources

__all__ = ["load_lines", "load_rows", "load_set"]


def _read(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@functools.cache
def load_lines(name: str) -> tuple[str, ...]:
    """The non-empty, non-comment lines of a shipped text table, stripped.

    Example:
        >>> "gmail.com" in load_lines("free_email_domains.txt")
        True
    """
    out = []
    for line in _read(name).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return tuple(out)


@functools.cache
def load_set(name: str) -> frozenset[str]:
    """A shipped one-value-per-line table as a frozen set (lower-cased).

    Example:
        >>> "mailinator.com" in load_set("disposable_email_domains.txt")
        True
    """
    return frozenset(line.lower() for line in load_lines(name))


@functools.cache
def load_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a shipped CSV table (header row first, ``#`` comment lines skipped).

    Example:
        >>> rows = load_rows("email_domain_typos.csv")
        >>> {"typo": "gmial.com", "domain": "gmail.com"} in rows
        True
    """
    lines = [ln for ln in _read(name).splitlines() if ln.strip() and not ln.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(lines))
