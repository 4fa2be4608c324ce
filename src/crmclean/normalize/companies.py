"""(being written)"""

from __future__ import annotations

import attrs

__all__ = ["Company", "normalize_company"]


@attrs.frozen
class Company:
    """(being written)"""

    original: object
    valid: bool
    issues: tuple[str, ...] = ()


def normalize_company(value: object) -> Company:
    """(being written)"""
    raise NotImplementedError
