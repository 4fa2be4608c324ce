"""Saved configuration: the checks that every ``from_dict`` / ``from_json`` of crmclean shares.

Settings, comparisons, merge rules and merge strategies are saved as JSON objects. Reading one
back always asks the same questions — is it an object, is its version known, does it hold only
known keys, do the values build the object — and answers misuse with a :class:`ConfigError` that
names the problem, never a ``TypeError`` from deep inside a constructor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from crmclean.errors import ConfigError

__all__ = ["build", "json_document", "saved_fields"]

T = TypeVar("T")


def json_document(text: str | bytes, what: str) -> Any:
    """The JSON value of ``text``.

    Raises:
        ConfigError: the text is not valid JSON (``what`` names it: "settings").
        TypeError: ``text`` is not ``str`` or ``bytes``.

    Example:
        >>> json_document('{"a": 1}', "settings")
        {'a': 1}
        >>> json_document("{", "settings")
        Traceback (most recent call last):
        ...
        crmclean.errors.ConfigError: the settings text is not valid JSON
    """
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ConfigError(f"the {what} text is not valid JSON") from None
    except TypeError:
        raise TypeError(f"the {what} text must be a str or bytes") from None


def saved_fields(
    data: object, what: str, known: Collection[str], *, version: int | None = None
) -> dict[str, Any]:
    """The entries of a saved object, checked: a mapping, of a known ``version`` (when the
    object has one; a missing version is the current one), with only ``known`` keys.

    Raises:
        ConfigError: not a mapping, another version, or unknown keys (all named).

    Example:
        >>> saved_fields({"version": 1, "a": 2}, "settings", {"a"}, version=1)
        {'a': 2}
        >>> saved_fields({"b": 2}, "merge rule", {"a"})
        Traceback (most recent call last):
        ...
        crmclean.errors.ConfigError: unknown merge rule key(s): b
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"{what}: must be a JSON object")
    fields = dict(data)
    if version is not None:
        found = fields.pop("version", version)
        if found != version:
            raise ConfigError(f"unsupported {what} version {found!r}")
    unknown = sorted(str(k) for k in fields if k not in known)
    if unknown:
        raise ConfigError(f"unknown {what} key(s): {', '.join(unknown)}")
    return fields


def build(make: Callable[..., T], fields: Mapping[str, Any], what: str) -> T:
    """``make(**fields)``, with a value of the wrong type reported as a :class:`ConfigError`.

    Example:
        >>> build(dict, {"a": 1}, "settings")
        {'a': 1}
        >>> build(int, {"nope": 1}, "settings")
        Traceback (most recent call last):
        ...
        crmclean.errors.ConfigError: invalid settings: ...
    """
    try:
        return make(**fields)
    except TypeError as exc:
        raise ConfigError(f"invalid {what}: {exc}") from None
