"""Shared plumbing for the normalizers: turning any cell value into text, and option checks.

Every normalizer has one shape::

    normalize_x(value, **options) -> XResult   # frozen attrs: .original, .value, .valid, .issues

A cell value may be anything a CRM export or a DataFrame holds: ``str``, ``None``, ``NaN``,
``pd.NA``, an ``int`` or ``float`` (phone numbers read by a spreadsheet), ``bytes``. None of
them raises; :func:`coerce_text` maps each to text or to an issue code.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Final

__all__ = ["MAX_VALUE_CHARS", "coerce_text", "is_null", "require_bool", "require_str"]

#: Values longer than this are cut before parsing (with the issue ``too_long``) by the
#: normalizers of short fields (phones, emails, names, titles). No real value comes close.
MAX_VALUE_CHARS: Final = 1_000

_NULL_TYPE_NAMES: Final = frozenset({"NAType", "NaTType"})


def is_null(value: object) -> bool:
    """Whether a cell value is a null in any of its forms (None, NaN, pd.NA, pd.NaT).

    Empty strings are not nulls here; normalizers report them as ``missing`` after cleaning.

    Example:
        >>> is_null(None), is_null(float("nan")), is_null(""), is_null("x")
        (True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__name__ in _NULL_TYPE_NAMES:
        return True
    # numpy floating scalars other than float64 (float32, float16)
    if hasattr(value, "dtype") and getattr(value, "shape", None) == ():
        try:
            return bool(value != value)
        except (TypeError, ValueError):
            return False
    return False


def coerce_text(value: object) -> tuple[str | None, str | None]:
    """Turn a cell value into text, or say why it cannot be.

    Returns ``(text, issue)``: ``text`` is ``None`` when the value is a null or an unsupported
    type, and ``issue`` is then ``"missing"`` or ``"unsupported_type"``. Integral floats lose
    their ``.0`` (a phone number read by a spreadsheet as ``4155552671.0``).

    Example:
        >>> coerce_text(4155552671.0)
        ('4155552671', None)
        >>> coerce_text(None)
        (None, 'missing')
        >>> coerce_text(b"caf\\xc3\\xa9")
        ('café', None)
    """
    if isinstance(value, str):
        return value, None
    if is_null(value):
        return None, "missing"
    if isinstance(value, bool):
        return None, "unsupported_type"
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if math.isinf(value):
            return None, "unsupported_type"
        if value.is_integer() and abs(value) < 1e17:
            return str(int(value)), None
        return repr(value), None
    if isinstance(value, Decimal):
        if value.is_nan():
            return None, "missing"
        if not value.is_finite():
            return None, "unsupported_type"
        if value == value.to_integral_value():
            return str(int(value)), None
        return str(value), None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace"), None
    if hasattr(value, "dtype") and getattr(value, "shape", None) == ():
        # numpy scalar: go through its Python equivalent
        item = value.item()  # type: ignore[attr-defined]
        if item is not value:
            return coerce_text(item)
    return None, "unsupported_type"


def require_str(name: str, value: object, *, optional: bool = True) -> str | None:
    """Check that an option is a ``str`` (or ``None`` when optional); raise ``TypeError`` if not.

    Example:
        >>> require_str("region", "US")
        'US'
    """
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"option {name!r} must be a str, not {type(value).__name__}")
    return value


def require_bool(name: str, value: object) -> bool:
    """Check that an option is a ``bool``; raise ``TypeError`` if not.

    Example:
        >>> require_bool("strip_special", True)
        True
    """
    if not isinstance(value, bool):
        raise TypeError(f"option {name!r} must be a bool, not {type(value).__name__}")
    return value
