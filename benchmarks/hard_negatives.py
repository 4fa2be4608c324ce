"""Merges of look-alike different people, counted by kind, and blocking recall.

Generated tables tag their hard negatives: a ``hard_negative`` column holds, per record, the
look-alike groups it belongs to as ``kind:group`` entries separated by ``;`` (e.g.
``household:17;twin:17``). Two records of *different* true entities that share a group of a
kind form a hard-negative pair of that kind; a clustering "merges" the pair when both records
land in one predicted cluster. A pair in groups of two kinds (twins are also a household)
counts once for each kind.

Everything is counted from contingency tables of group, predicted cluster and entity codes:
pairs are never enumerated.

Example:
    >>> tags = {"a": "household:1", "b": "household:1", "c": "household:1", "d": None}
    >>> truth = {"a": 1, "b": 2, "c": 2, "d": 3}
    >>> predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    >>> hard_negative_merges(predicted, truth, tags)
    {'household': (1, 2)}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from evaluate import _codes, _pairs_within

__all__ = ["blocking_recall", "hard_negative_merges", "kinds_of"]


def kinds_of(tags: Mapping[Any, str | None]) -> list[str]:
    """The kinds named in the tags, in order of first appearance.

    Example:
        >>> kinds_of({1: "twin:3;household:3", 2: None, 3: "namesake:9"})
        ['twin', 'household', 'namesake']
    """
    seen: dict[str, None] = {}
    for value in tags.values():
        if value:
            for entry in value.split(";"):
                seen.setdefault(entry.split(":", 1)[0], None)
    return list(seen)


def hard_negative_merges(
    predicted: Mapping[Any, Any],
    truth: Mapping[Any, Any],
    tags: Mapping[Any, str | None],
    *,
    source: Mapping[Any, Any] | None = None,
) -> dict[str, tuple[int, int]]:
    """``{kind: (pairs merged, pairs in the data)}`` of different people sharing a group.

    Records missing from ``predicted`` are singletons. With ``source`` (two-table linking)
    only pairs across the tables count.
    """
    rows: dict[str, tuple[list[Any], list[str]]] = {}
    for rid, value in tags.items():
        if not value:
            continue
        for entry in value.split(";"):
            kind = entry.split(":", 1)[0]
            ids, groups = rows.setdefault(kind, ([], []))
            ids.append(rid)
            groups.append(entry)
    out: dict[str, tuple[int, int]] = {}
    for kind, (ids, groups) in rows.items():
        g = _codes(groups)
        t = _codes([truth[i] for i in ids])
        p = _codes([predicted.get(i, ("\0singleton", i)) for i in ids])
        s = _codes([source[i] for i in ids]) if source is not None else None
        n_t, n_p = int(t.max()) + 1, int(p.max()) + 1
        g_t = _codes(g * n_t + t)
        g_p = _codes(g * n_p + p)
        g_p_t = _codes(g_p * n_t + t)
        total = _pairs_within(g, s) - _pairs_within(g_t, s)
        merged = _pairs_within(g_p, s) - _pairs_within(g_p_t, s)
        out[kind] = (int(merged), int(total))
    return out


def blocking_recall(
    left: np.ndarray,
    right: np.ndarray,
    entities: Sequence[Any],
    sides: np.ndarray | None = None,
) -> tuple[int, int]:
    """``(true pairs among the candidate pairs, true pairs)`` for record positions.

    ``left``/``right`` are candidate pairs as positions into ``entities`` (each pair once);
    with ``sides`` (two-table mode, ``True`` for the right table) only pairs across tables are
    true pairs.

    Example:
        >>> blocking_recall(np.array([0, 1]), np.array([1, 2]), ["a", "a", "b", "a"])
        (1, 3)
    """
    t = _codes(entities)
    hit = int(np.count_nonzero(t[left] == t[right]))
    total = _pairs_within(t, None if sides is None else np.asarray(sides, dtype=np.int64))
    return hit, total
