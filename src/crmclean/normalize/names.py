"""(being written)"""

from __future__ import annotations

import attrs

__all__ = ["PersonName", "parse_name"]


@attrs.frozen
class PersonName:
    """(being written)"""

    original: object
    valid: bool
    issues: tuple[str, ...] = ()


def parse_name(value: object) -> PersonName:
    """(being written)"""
    raise NotImplementedError
