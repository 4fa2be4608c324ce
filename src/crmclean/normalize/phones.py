"""(being written)"""

from __future__ import annotations

import attrs

__all__ = ["Phone", "normalize_phone"]


@attrs.frozen
class Phone:
    """(being written)"""

    original: object
    valid: bool
    issues: tuple[str, ...] = ()


def normalize_phone(value: object) -> Phone:
    """(being written)"""
    raise NotImplementedError
