"""Column roles: which column of a CRM export holds the email, the phone, the first name, ...

Every stage after normalization speaks of roles (``email``, ``phone``, ``first_name``, ...),
not of a file's headers. :func:`detect_roles` reads the roles off the headers of common CRM
exports (HubSpot, Salesforce, Microsoft Dynamics, Zoho, Pipedrive, Bitrix24, amoCRM, Chinese and
Turkish CRMs, ...) in any script; the caller can name or override any of them.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Final

from crmclean import fields
from crmclean.errors import ColumnError, ConfigError
from crmclean.normalize.data import load_rows

__all__ = [
    "ROLES",
    "detect_roles",
    "header_key",
    "header_table",
    "matching_roles",
    "unused_role_of",
]

#: The column roles of the built-in fields, in the order used for display (the field registry,
#: :func:`crmclean.fields.known_roles`, also lists the roles of fields registered later).
ROLES: Final = fields.known_roles()

# Prefixes that exports put before a field name ("Person - Email", "Contact: Phone").
_PREFIXES: Final = ("person", "contact", "lead", "customer", "primary", "main", "default")
# Words that exports and data pipelines put after a field name for a variant of the same data
# ("postcode_raw", "Email (clean)", "dob_fake" in synthetic test tables).
_VARIANTS: Final = ("raw", "clean", "cleaned", "orig", "original", "norm", "normalized",
                    "normalised", "std", "standardized", "standardised", "fake", "value",
                    "text")  # fmt: skip


def header_key(header: str) -> str:
    """A column header folded for lookup: case folded, accents removed, only letters (of any
    script) and digits kept.

    Example:
        >>> header_key("First Name"), header_key("first_name"), header_key("FirstName")
        ('firstname', 'firstname', 'firstname')
        >>> header_key("Şirket Adı"), header_key("ŞİRKET ADI"), header_key("Рабочий e-mail")
        ('sirketadi', 'sirketadi', 'рабочииemail')
        >>> header_key("电子邮箱"), header_key("Address 1: City")
        ('电子邮箱', 'address1city')
    """
    folded = unicodedata.normalize("NFKD", header.casefold().replace("ı", "i"))
    return "".join(ch for ch in folded if ch.isalnum())


@functools.cache
def _builtin_headers() -> dict[str, str]:
    return {header_key(row["header"]): row["role"] for row in load_rows("column_roles.csv")}


def header_table() -> dict[str, str]:
    """Folded header → role: the built-in table (``normalize/data/column_roles.csv``), then
    what registered fields add. The table may name roles no registered field knows
    yet; :func:`detect_roles` skips those.

    Example:
        >>> table = header_table()
        >>> table["emailaddress1"], table[header_key("Mailing Zip/Postal Code")]
        ('email', 'postcode')
    """
    extra = fields.header_aliases()
    if not extra:
        return dict(_builtin_headers())
    return {**_builtin_headers(), **extra}


def _header_roles() -> dict[str, str]:
    """Folded header → role, only roles of registered fields."""
    known = set(fields.known_roles())
    return {k: r for k, r in header_table().items() if r in known}


def unused_role_of(header: str) -> str | None:
    """The role the header table gives a header when no registered field knows that role
    (so detection leaves the column alone), else ``None``.

    Example:
        >>> unused_role_of("Email") is None  # a role of the email field
        True
    """
    role = header_table().get(header_key(header))
    return role if role is not None and role not in fields.known_roles() else None


def _role_of(header: str) -> str | None:
    table = _header_roles()
    key = header_key(header)
    if key in table:
        return table[key]
    for prefix in _PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :] in table:
            return table[key[len(prefix) :]]
    for variant in _VARIANTS:
        if key.endswith(variant) and key[: -len(variant)] in table:
            return table[key[: -len(variant)]]
    return None


# A second first or last name column in the other script (``Фамилия`` and ``Last name``, ``姓``
# and ``Last Name``) is the name in that script: the first column keeps the role.
_SCRIPT_PARTNERS: Final = {
    "first_name": ("first_name_local", "first_name_latin"),
    "last_name": ("last_name_local", "last_name_latin"),
}


def _in_latin_script(header: str) -> bool:
    """A header written in Latin letters (with or without accents)."""
    return all(
        not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in header
    )


def _script_partner(role: str, taken: str, header: str) -> str | None:
    """The role of a second column of a name role, when its header's script differs from the
    first column's: the local (native-script) name or the Latin one."""
    local, latin = _SCRIPT_PARTNERS[role]
    if _in_latin_script(taken) == _in_latin_script(header):
        return None
    return latin if _in_latin_script(header) else local


def detect_roles(
    column_names: Sequence[str], overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map column roles to the table's columns, from their headers.

    Each role goes to the first column (in table order) whose header is a known spelling of
    it; a column gets at most one role. A second first or last name column whose header is in
    the other script (``Фамилия`` beside ``Last name``) holds the name in that script
    (``last_name_latin``, or ``last_name_local`` for the native one). ``overrides`` (role →
    column) wins over detection.

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
        >>> detect_roles(["Фамилия", "Имя", "Last name", "First name"])
        {'first_name': 'Имя', 'last_name': 'Фамилия', 'first_name_latin': 'First name', \
'last_name_latin': 'Last name'}
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
        if detected in _SCRIPT_PARTNERS and detected in roles:
            detected = _script_partner(detected, roles[detected], name)
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
