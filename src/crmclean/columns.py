"""Column roles: which column of a CRM export holds the email, the phone, the first name, ...

Every stage after normalization speaks of roles (``email``, ``phone``, ``first_name``, ...),
not of a file's headers. :func:`detect_roles` reads the roles off the headers of common CRM
exports (HubSpot, Salesforce, Zoho, Pipedrive, ...); the caller can name or override any of them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Final

from crmclean import fields
from crmclean.errors import ColumnError, ConfigError
from crmclean.normalize.data import load_rows

__all__ = ["ROLES", "detect_roles", "header_key", "matching_roles"]

#: The column roles of the built-in fields, in the order used for display (the field registry,
#: :func:`crmclean.fields.known_roles`, also lists the roles of fields registered later).
ROLES: Final = fields.known_roles()

_NON_ALNUM: Final = re.compile(r"[^0-9a-z]+")
# Prefixes that exports put before a field name ("Person - Email", "Contact: Phone").
_PREFIXES: Final = ("person", "contact", "lead", "customer", "primary", "main", "default")


def header_key(header: str) -> str:
    """A column header folded for lookup: lower case, letters and digits only.

    Example:
        >>> header_key("First Name"), header_key("first_name"), header_key("FirstName")
        ('firstname', 'firstname', 'firstname')
    """
    return _NON_ALNUM.sub("", header.lower())


@functools.cache
def _builtin_headers() -> dict[str, str]:
    return {row["header"]: row["role"] for row in load_rows("column_roles.csv")}


def _header_roles() -> dict[str, str]:
    """Folded header → role: the built-in table, then what registered fields add."""
    extra = fields.header_aliases()
    if not extra:
        return _builtin_headers()
    return {**_builtin_headers(), **extra}


def _role_of(header: str) -> str | None:
    table = _header_roles()
    key = header_key(header)
    if key in table:
        return table[key]
    for prefix in _PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :] in table:
            return table[key[len(prefix) :]]
    return None


def detect_roles(
    column_names: Sequence[str], overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map column roles to the table's columns, from their headers.

    Each role goes to the first column (in table order) whose header is a known spelling of
    it; a column gets at most one role. ``overrides`` (role → column) wins over detection.

    Raises:
        ConfigError: an override names an unknown role.
        ColumnError: an override names a column that is not in the table, or two roles name
            one column.

    Example:
        >>> detect_roles(["Record ID", "First Name", "Last Name", "Email", "Phone Number"])
        {'id': 'Record ID', 'first_name': 'First Name', 'last_name': 'Last Name', \
'email': 'Email', 'phone': 'Phone Number'}
        >>> detect_roles(["E-mail", "Tel."], overrides={"phone": "Tel."})
        {'email': 'E-mail', 'phone': 'Tel.'}
    """
    names = list(column_names)
    known = fields.known_roles()
    roles: dict[str, str] = {}
    taken: set[str] = set()
    if overrides:
        present = set(names)
        for role, column in overrides.items():
            if role not in known:
                raise ConfigError(f"unknown column role {role!r}; roles are: {', '.join(known)}")
            if column not in present:
                raise ColumnError(
                    f"column {column!r} (role {role!r}) is not in the table; columns are: "
                    + ", ".join(repr(n) for n in names)
                )
            if column in taken:
                raise ColumnError(f"column {column!r} is given more than one role")
            roles[role] = column
            taken.add(column)
    for name in names:
        if name in taken:
            continue
        detected = _role_of(name)
        if detected is not None and detected not in roles:
            roles[detected] = name
            taken.add(name)
    return {role: roles[role] for role in known if role in roles}


def matching_roles(
    headers: Sequence[str], id_column: str | None, columns: Mapping[str, str] | None
) -> dict[str, str]:
    """The roles a matching run uses: detected from the headers (``columns`` names or
    overrides them), the id column left out.

    Raises:
        ColumnError: the id column is also given a role (or as in :func:`detect_roles`).

    Example:
        >>> matching_roles(["Id", "Email", "Name"], "Id", None)
        {'full_name': 'Name', 'email': 'Email'}
    """
    headers = [c for c in headers if c != id_column]
    overrides = dict(columns or {})
    if id_column is not None and id_column in overrides.values():
        raise ColumnError("the id column cannot also have a matching role")
    roles = detect_roles(headers, overrides=overrides)
    roles.pop("id", None)
    return roles
