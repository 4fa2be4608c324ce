"""(being written)"""

from __future__ import annotations

import attrs

__all__ = ["Address", "normalize_address"]


@attrs.frozen
class Address:
    """(being written)"""

    original: object
    valid: bool
    issues: tuple[str, ...] = ()


def normalize_address(value: object) -> Address:
    """(being written)"""
    raise NotImplementedError
