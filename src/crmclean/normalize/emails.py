"""(being written)"""

from __future__ import annotations

import attrs

__all__ = ["Email", "normalize_email"]


@attrs.frozen
class Email:
    """(being written)"""

    original: object
    valid: bool
    issues: tuple[str, ...] = ()


def normalize_email(value: object) -> Email:
    """(being written)"""
    raise NotImplementedError
