"""Fields: one description per kind of contact field, read by every stage.

A :class:`Field` says everything crmclean knows about one kind of field: the column roles that
hold it (and extra header spellings), how the normalize stage standardizes each role, which
matching keys it produces, its default comparisons (with what an agreement on them is evidence
of), its default blocking rules, how the audit weighs it and how merge picks its surviving
value. Every stage reads this registry instead of keeping its own table, so that adding a kind
of field is one :func:`register_field` call (plus, where needed, one normalizer module).

The built-in fields, in order: ``id``, ``person_name``, ``email``, ``phone``, ``title``,
``company``, ``address``, ``dob``, ``birthplace``, ``gender``, ``occupation``, ``national_id``,
``website``, ``source``, ``created_at``, ``updated_at``.

Example:
    >>> from crmclean.fields import field_of_role, get_field
    >>> field_of_role("mobile").name, get_field("email").roles[0].name
    ('phone', 'email')
    >>> [c.comparison.name for c in get_field("person_name").comparisons]
    ['given', 'family', 'middle', 'suffix']
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal, TypeVar

import attrs
import jellyfish

from crmclean.block import BlockingRule, SortedNeighbourhood
from crmclean.compare import NO_SUFFIX, SCRIPT_KEY, Comparison
from crmclean.errors import ConfigError
from crmclean.normalize._base import coerce_text
from crmclean.normalize._batch import as_list, normalize_many
from crmclean.normalize._phonefast import e164_rows
from crmclean.normalize.addresses import normalize_address_rows, normalize_country
from crmclean.normalize.companies import normalize_company
from crmclean.normalize.data import load_rows
from crmclean.normalize.dates import date_key, normalize_date
from crmclean.normalize.emails import normalize_email
from crmclean.normalize.names import (
    canonical_given_name,
    name_script,
    name_tables,
    normalize_name_part,
    parse_name,
)
from crmclean.normalize.phones import normalize_phone_rows, phone_regions
from crmclean.normalize.text import compact_key, match_key, normalize_text
from crmclean.normalize.titles import normalize_title

__all__ = [
    "EVIDENCE",
    "QUIET_KEYS",
    "SHARED_BY",
    "Field",
    "FieldBlocking",
    "FieldComparison",
    "FieldContext",
    "GroupStandardizer",
    "MergeDefault",
    "Output",
    "Role",
    "RoleStandardizer",
    "conflict_floor_of",
    "contact_point_keys",
    "default_blocking",
    "default_comparisons",
    "default_correlated",
    "evidence_of",
    "field_comparison_of",
    "field_of_role",
    "fields",
    "get_field",
    "header_aliases",
    "key_columns",
    "known_roles",
    "mark_no_suffix",
    "name_mark",
    "name_marks",
    "parse_once",
    "people_count",
    "register_field",
    "role_spec",
    "shared_contact_points",
    "split_generational",
    "unregister_field",
]

Rule = BlockingRule | SortedNeighbourhood
R = TypeVar("R")
Evidence = Literal["person", "person_trait", "person_or_place", "place", "name", "descriptive"]

#: What an agreement on a comparison is evidence of.
#:
#: - ``person``: the same person, even when the names differ (email, national id): such an
#:   agreement lifts the name guard;
#: - ``person_trait``: a trait of one person that others share too (date of birth: twins,
#:   namesakes): it lifts the guard of a differing family name (a married name), not of a
#:   differing given name (twins, a household);
#: - ``person_or_place``: a person's own line, or a line many people share (a switchboard);
#: - ``place``: where a person works or lives (address parts, company): the positive evidence
#:   of all ``place`` comparisons counts once, and so does the negative (see
#:   ``MatchSettings.correlated``);
#: - ``name``: a person's name (the name guard reads these);
#: - ``descriptive``: describes a person without placing or identifying them (country, title).
EVIDENCE: Final = ("person", "person_trait", "person_or_place", "place", "name", "descriptive")


class FieldContext:
    """What a field's standardizer or key maker reads: the column batch, the column roles and
    the options of the call, with the per-row phone regions worked out once.

    Example:
        >>> ctx = FieldContext({"Phone": ["0412 345 678"], "Country": ["Australia"]},
        ...                    {"phone": "Phone", "country": "Country"})
        >>> ctx.n, ctx.row_regions()
        (1, ['AU'])
    """

    __slots__ = ("_derived", "_parsed", "columns", "dayfirst", "n", "region", "roles")

    def __init__(
        self,
        columns: Mapping[str, Sequence[Any]],
        roles: Mapping[str, str],
        *,
        region: str | None = None,
        dayfirst: bool = True,
    ) -> None:
        self.columns = columns
        self.roles = roles
        self.region = region
        self.dayfirst = dayfirst
        self.n = len(next(iter(columns.values()))) if columns else 0
        self._derived: dict[str, Any] = {}
        self._parsed: dict[Hashable, tuple[tuple[Any, ...], Any]] = {}

    def derived(self, name: str, make: Callable[[], Any]) -> Any:
        """A value worked out from the columns once per context, so that the key makers of
        several fields that read it (the parsed full names, the given-name keys) share it.

        Example:
            >>> ctx = FieldContext({"E": ["a@x.org"]}, {"email": "E"})
            >>> ctx.derived("count", lambda: 1), ctx.derived("count", lambda: 2)
            (1, 1)
        """
        if name not in self._derived:
            self._derived[name] = make()
        return self._derived[name]

    def parsed(self, function: Callable[..., R], /, *args: Any, **options: Any) -> R:
        """``function(*args, **options)`` (a normalizer run over columns), worked out once per
        context, and once per job inside a :func:`parse_once` block: a standardizer and a key
        maker that parse the same column object with the same function and options share one
        run. Columns are told apart by identity, everything else by value.

        Example:
            >>> column = ["ann@acme.org"]
            >>> ctx = FieldContext({"E": column}, {"email": "E"})
            >>> first = ctx.parsed(normalize_many, normalize_email, column)
            >>> first is ctx.parsed(normalize_many, normalize_email, column)
            True
        """
        key = _call_key(function, args, options)
        if key is None:  # an option that cannot be told apart by value
            return function(*args, **options)
        found = self._parsed.get(key)
        if found is None:
            found = _take_parse(key, args)
            if found is None:
                found = (args, function(*args, **options))
                _give_parse(key, found)
            self._parsed[key] = found
        out: R = found[1]
        return out

    def known(self, function: Callable[..., R], /, *args: Any, **options: Any) -> R | None:
        """What :meth:`parsed` would give, when this context (or an earlier stage of the job)
        has already worked it out; else ``None``, and nothing is parsed.

        Example:
            >>> column = ["ann@acme.org"]
            >>> ctx = FieldContext({"E": column}, {"email": "E"})
            >>> ctx.known(normalize_many, normalize_email, column) is None
            True
        """
        key = _call_key(function, args, options)
        if key is None:
            return None
        found = self._parsed.get(key)
        if found is None:
            found = _take_parse(key, args)
            if found is None:
                return None
            self._parsed[key] = found
        return found[1]  # type: ignore[no-any-return]

    def values(self, role: str) -> Sequence[Any]:
        """The column that holds ``role``.

        Example:
            >>> FieldContext({"E": ["a@x.org"]}, {"email": "E"}).values("email")
            ['a@x.org']
        """
        return self.columns[self.roles[role]]

    def row_regions(self) -> list[str | None]:
        """Each row's phone region: from its country column, else the ``region`` option.

        Example:
            >>> FieldContext({"P": ["1"]}, {"phone": "P"}, region="US").row_regions()
            ['US']
        """
        countries = self.values("country") if "country" in self.roles else None
        return self.parsed(_row_regions, countries, self.n, self.region)


def _row_regions(
    countries: Sequence[object] | None, n: int, region: str | None
) -> list[str | None]:
    if countries is not None:
        return phone_regions(countries, region)
    return [region] * n


# --- columns parsed once per job -------------------------------------------------------------

#: The parses one stage of a job hands to the next (see :func:`parse_once`); ``None`` outside
#: such a block.
_HANDED: contextvars.ContextVar[dict[Hashable, tuple[tuple[Any, ...], Any]] | None] = (
    contextvars.ContextVar("crmclean_parse_once", default=None)
)
_BY_VALUE: Final = (str, int, float, bool, type(None))


def _call_key(
    function: Callable[..., Any], args: tuple[Any, ...], options: Mapping[str, Any]
) -> Hashable | None:
    """What tells one call of :meth:`FieldContext.parsed` from another: the function, its
    arguments (plain values by value, columns and functions by identity) and its options."""
    keys: list[Hashable] = [function]
    for arg in args:
        if isinstance(arg, _BY_VALUE) or (
            isinstance(arg, tuple) and all(isinstance(a, _BY_VALUE) for a in arg)
        ):
            keys.append(("=", type(arg), arg))
        else:
            keys.append(("id", id(arg)))
    try:
        named = tuple(sorted((k, type(v), v) for k, v in options.items()))
        hash(named)
    except TypeError:
        return None
    return (tuple(keys), named)


def _take_parse(key: Hashable, args: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any] | None:
    """The parse an earlier stage of the job handed over for this call, taken out of the
    hand-over (the stage that takes it keeps it as long as it needs it)."""
    handed = _HANDED.get()
    if handed is None:
        return None
    found = handed.pop(key, None)
    if found is None or len(found[0]) != len(args):
        return None
    if any(a is not b and not isinstance(a, (*_BY_VALUE, tuple))
           for a, b in zip(found[0], args, strict=True)):  # fmt: skip
        return None  # an identity key reused by another object
    return found


def _give_parse(key: Hashable, found: tuple[tuple[Any, ...], Any]) -> None:
    handed = _HANDED.get()
    if handed is not None:
        handed[key] = found


@contextlib.contextmanager
def parse_once() -> Iterator[None]:
    """Let the stages of one job run inside this block hand each other the columns they
    parsed: what the standardize stage's normalizer gave for a column (emails, phones, full
    names, titles, companies, addresses), the matching keys of ``dedupe`` take instead of
    parsing the same column again. Only a run of the same function on the same column
    object with the same options is handed over, so the results are those of separate runs;
    each is handed over once and freed with the stage that took it, and whatever no stage
    took is freed at the end of the block.

    Example:
        >>> from crmclean.standardize import standardize_columns
        >>> from crmclean.prepare import prepare_columns
        >>> batch = {"Email": ["Ann@Acme.org"]}
        >>> with parse_once():
        ...     table, _ = standardize_columns(batch)
        ...     keys = prepare_columns(batch, {"email": "Email"})  # reads the emails parsed above
        >>> table["Email_clean"], keys["email"]
        (['ann@acme.org'], ['ann@acme.org'])
    """
    token = _HANDED.set({})
    try:
        yield
    finally:
        _HANDED.reset(token)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise TypeError("headers must be a sequence of header spellings, not a str")
    return tuple(values)


@attrs.frozen
class Output:
    """One standardized column: ``<column>_<suffix>``, read off each normalizer result.

    Example:
        >>> Output("clean", lambda r: r.text).suffix
        'clean'
    """

    suffix: str
    extract: Callable[[Any], object]


@attrs.frozen
class RoleStandardizer:
    """How the normalize stage standardizes the column of one role.

    Attributes:
        normalize: ``(column, context) -> one normalizer result per row``.
        outputs: the columns written beside the raw one.
        counted: whether the results count in validity and issue figures (and the audit).

    Example:
        >>> s = RoleStandardizer(lambda values, ctx: normalize_many(normalize_text, values),
        ...                      (Output("clean", lambda r: r.text),), counted=False)
        >>> [r.text for r in s.normalize(["  a  b "], None)]
        ['a b']
    """

    normalize: Callable[[Sequence[Any], FieldContext], Sequence[Any]]
    outputs: tuple[Output, ...] = ()
    counted: bool = True


@attrs.frozen
class GroupStandardizer:
    """How the normalize stage standardizes several roles read together (the parts of a postal
    address): one result per row, under the field's name.

    Attributes:
        roles: the roles read, in order (any present one starts the group).
        run: ``(context, add) -> one result per row``; ``add(column, values)`` writes an output
            column (never over an existing one).
        audit_weight: the group's weight in a record's quality score.

    Example:
        >>> get_field("address").standardize_group.roles[:2]
        ('street', 'address_2')
    """

    roles: tuple[str, ...]
    run: Callable[[FieldContext, Callable[[str, list[Any]], None]], list[Any]]
    audit_weight: float = 1.0


@attrs.frozen
class MergeDefault:
    """How merge picks the surviving value of a role by default.

    Attributes:
        kind: the value kind merge reads the value as (``"email"``, ``"phone"``, ``"name"``,
            ``"full_name"``, ``"title"``; ``None`` for plain text).
        rules: the rule chain, as rule names; ``"recent"`` stands for ``most_recent`` where
            the table has an updated-at column (and is left out where it has none),
            ``"recent_value"`` likewise for ``most_recent_value``,
            ``"oldest:self"`` / ``"most_recent:self"`` read this very column.
        multi_valued: keep every distinct value (``<column>_all``).
        group: roles whose values must come from one record name a group (``"address"``).
        group_rank: the role's place in its group; the first present role's rules decide.

    Example:
        >>> get_field("email").roles[0].merge.multi_valued
        True
    """

    kind: str | None = None
    rules: tuple[str, ...] = ()
    multi_valued: bool = False
    group: str | None = None
    group_rank: int = 0


@attrs.frozen
class Role:
    """One column role of a field.

    Attributes:
        name: the role (``"email"``, ``"first_name"``).
        headers: header spellings beyond the built-in table (``normalize/data/column_roles.csv``),
            compared after lower-casing and removing everything but letters and digits.
        standardize: how the normalize stage standardizes the column (``None``: it does not,
            or the field's group standardizer does).
        audit_weight: the role's weight in a record's quality score.
        required: a record without it is incomplete (the audit flags an empty value).
        contact_point: a valid value is a way to reach the person.
        merge: how merge picks the surviving value by default (``None``: from the master).

    Example:
        >>> Role("loyalty_card", headers=("loyalty card", "member no")).headers
        ('loyalty card', 'member no')
    """

    name: str
    headers: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    standardize: RoleStandardizer | None = None
    audit_weight: float = 1.0
    required: bool = False
    contact_point: bool = False
    merge: MergeDefault | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise ConfigError("a role name must be lower-case letters, digits and '_'")


@attrs.frozen
class FieldComparison:
    """A default comparison of a field, with its place and what an agreement means.

    Attributes:
        comparison: the comparison (unfitted); used when its first key column is present.
        rank: its place among the default comparisons (lower first).
        evidence: one of :data:`EVIDENCE`.
        conflict_floor: the least share of true matches the fitted model may take to disagree
            on the field (its lowest level), so that one differing field (people have several
            emails, move house, mistype) cannot veto a pair; a low floor lets a plain
            conflict be strong evidence of two people (two dates of birth, two national ids).
        conflict_fixed: the share is the floor itself, whatever the fit says: for a conflict
            that never happens within one person (Jr. and Sr.), where fitting would count a
            father and son at one address as one person.
        tf_ceiling: the most bits the term-frequency adjustment of a rare value may add, or
            ``None`` for no bound. Names have one: a name rare in a table of many countries
            is often common in its own (Andreev among Russians), so its rarity overstates
            the evidence, as a minimum u bounds it in other linkage tools.

    Example:
        >>> FieldComparison(Comparison("card", "exact"), 135, "person").evidence
        'person'
    """

    comparison: Comparison
    rank: float
    evidence: str = "descriptive"
    conflict_floor: float = 0.05
    conflict_fixed: bool = False
    tf_ceiling: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.evidence not in EVIDENCE:
            raise ConfigError(f"unknown evidence {self.evidence!r}; use one of: "
                              + ", ".join(EVIDENCE))  # fmt: skip


@attrs.frozen
class FieldBlocking:
    """A default blocking rule of a field, with its place among all default rules.

    Example:
        >>> FieldBlocking(BlockingRule(("card",)), 45).rule.name
        'card'
    """

    rule: Rule
    rank: float


KeyMaker = Callable[[FieldContext], Mapping[str, list[Any]]]


def _role_tuple(values: Iterable[Role]) -> tuple[Role, ...]:
    return tuple(values)


def _comparison_tuple(values: Iterable[FieldComparison]) -> tuple[FieldComparison, ...]:
    return tuple(values)


def _blocking_tuple(values: Iterable[FieldBlocking]) -> tuple[FieldBlocking, ...]:
    return tuple(values)


def _frozen_map(values: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(values))




def _key_names(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise TypeError("contact points must be a sequence of key column names, not a str")
    return tuple(values)


@attrs.frozen
class Field:
    """One kind of contact field, as every stage sees it.

    Attributes:
        name: the field's name (``"email"``, ``"person_name"``).
        roles: its column roles.
        keys: the matching key columns it produces, with what each holds.
        prepare: ``(context) -> {key column: keys}``, run when any of its roles is present
            (the keys are ``str`` or ``None``).
        comparisons: its default comparisons.
        blocking: its default blocking rules.
        standardize_group: a standardizer that reads several of its roles together.
        contact_points: key columns (among ``keys``) whose values are contact points: a value
            that records of :data:`SHARED_BY` plainly different people hold
            (:func:`people_count`) is a place's (a switchboard, a shared mailbox) and is
            removed, across the whole table
            (:func:`shared_contact_points`, applied by :func:`crmclean.prepare.prepare_columns`
            after every key maker ran).

    Example:
        >>> card = Field("loyalty_card", roles=(Role("loyalty_card"),))
        >>> card.role_names
        ('loyalty_card',)
    """

    name: str
    roles: tuple[Role, ...] = attrs.field(converter=_role_tuple)
    keys: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map)
    prepare: KeyMaker | None = None
    comparisons: tuple[FieldComparison, ...] = attrs.field(default=(), converter=_comparison_tuple)
    blocking: tuple[FieldBlocking, ...] = attrs.field(default=(), converter=_blocking_tuple)
    standardize_group: GroupStandardizer | None = None
    contact_points: tuple[str, ...] = attrs.field(default=(), converter=_key_names)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ConfigError("a field name must be an identifier such as 'email'")
        if not self.roles:
            raise ConfigError(f"field {self.name!r} needs at least one role")
        for role in self.roles:
            if not isinstance(role, Role):
                raise TypeError("a field's roles must be Role objects")
        if self.keys and self.prepare is None:
            raise ConfigError(f"field {self.name!r} names key columns but has no prepare function")
        unknown = [k for k in self.contact_points if k not in self.keys]
        if unknown:
            raise ConfigError(f"field {self.name!r}: contact points must be among its key columns")

    @property
    def role_names(self) -> tuple[str, ...]:
        """The names of its roles, in order."""
        return tuple(r.name for r in self.roles)


# --- the registry ------------------------------------------------------------------------------


class _Registry:
    """The registered fields, in order, and what is derived from them (rebuilt on change)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fields: dict[str, Field] = {}
        self.version = 0
        self._derived: dict[str, Any] = {}

    def add(self, field: Field, replace: bool) -> None:
        with self._lock:
            if field.name in self._fields and not replace:
                raise ConfigError(f"field {field.name!r} is already registered; "
                                  "pass replace=True to replace it")  # fmt: skip
            others = [f for f in self._fields.values() if f.name != field.name]
            taken = {r.name: f.name for f in others for r in f.roles}
            for role in field.roles:
                if role.name in taken:
                    raise ConfigError(f"role {role.name!r} already belongs to field "
                                      f"{taken[role.name]!r}")  # fmt: skip
            keys = {k: f.name for f in others for k in f.keys}
            for key in field.keys:
                if key in keys:
                    raise ConfigError(f"key column {key!r} already belongs to field {keys[key]!r}")
            self._fields[field.name] = field
            self._changed()

    def remove(self, name: str) -> None:
        with self._lock:
            if name not in self._fields:
                raise ConfigError(f"no field {name!r} is registered")
            del self._fields[name]
            self._changed()

    def _changed(self) -> None:
        self.version += 1
        self._derived = {}

    def fields(self) -> tuple[Field, ...]:
        return tuple(self._fields.values())

    def get(self, name: str) -> Field:
        try:
            return self._fields[name]
        except KeyError:
            raise ConfigError(f"no field {name!r}; fields are: {', '.join(self._fields)}") from None

    def derived(self, what: str, build: Callable[[], Any]) -> Any:
        found = self._derived.get(what)
        if found is None:
            found = self._derived[what] = build()
        return found


_REGISTRY: Final = _Registry()


def register_field(field: Field, *, replace: bool = False) -> None:
    """Add a kind of field to the registry (after the fields registered before it).

    Every stage picks it up: header detection, standardize, audit, matching keys, default
    comparisons and blocking, and merge's defaults.

    Raises:
        ConfigError: a field of that name is registered (and ``replace`` is false), or one of
            its roles or key columns belongs to another field.

    Example:
        >>> card = Field("member_card", roles=(Role("member_card"),))
        >>> register_field(card)
        >>> field_of_role("member_card").name
        'member_card'
        >>> unregister_field("member_card")
    """
    if not isinstance(field, Field):
        raise TypeError("register_field takes a Field")
    _REGISTRY.add(field, replace)


def unregister_field(name: str) -> None:
    """Remove a field from the registry.

    Raises:
        ConfigError: no field of that name is registered.

    Example:
        >>> unregister_field("no_such_field")
        Traceback (most recent call last):
        ...
        crmclean.errors.ConfigError: no field 'no_such_field' is registered
    """
    _REGISTRY.remove(name)


def fields() -> tuple[Field, ...]:
    """The registered fields, in order.

    Example:
        >>> [f.name for f in fields()][:4]
        ['id', 'person_name', 'email', 'phone']
    """
    return _REGISTRY.fields()


def get_field(name: str) -> Field:
    """The registered field of that name.

    Raises:
        ConfigError: no such field.

    Example:
        >>> get_field("phone").role_names
        ('phone', 'mobile')
    """
    return _REGISTRY.get(name)


def _role_table() -> dict[str, tuple[Field, Role]]:
    return {r.name: (f, r) for f in _REGISTRY.fields() for r in f.roles}


def _roles() -> Mapping[str, tuple[Field, Role]]:
    return _REGISTRY.derived("roles", _role_table)  # type: ignore[no-any-return]


def known_roles() -> tuple[str, ...]:
    """Every column role of the registered fields, in order.

    Example:
        >>> known_roles()[:3]
        ('id', 'first_name', 'middle_name')
    """
    return tuple(_roles())


def field_of_role(role: str) -> Field:
    """The field a column role belongs to.

    Raises:
        ConfigError: an unknown role.

    Example:
        >>> field_of_role("postcode").name
        'address'
    """
    found = _roles().get(role)
    if found is None:
        raise ConfigError(f"unknown column role {role!r}; roles are: {', '.join(known_roles())}")
    return found[0]


def role_spec(role: str) -> Role | None:
    """The :class:`Role` of that name, or ``None``.

    Example:
        >>> role_spec("email").contact_point, role_spec("nothing")
        (True, None)
    """
    found = _roles().get(role)
    return None if found is None else found[1]


def header_aliases() -> dict[str, str]:
    """Header spellings the registered roles add to the built-in table: folded header → role.

    Example:
        >>> header_aliases()
        {}
    """
    from crmclean.columns import header_key

    def build() -> dict[str, str]:
        return {header_key(h): r.name for f in _REGISTRY.fields() for r in f.roles
                for h in r.headers}  # fmt: skip

    return dict(_REGISTRY.derived("headers", build))


def key_columns() -> Mapping[str, str]:
    """Every matching key column of the registered fields, with what it holds.

    Example:
        >>> list(key_columns())[:4]
        ['given', 'given_canonical', 'family', 'family_phonetic']
    """

    def build() -> Mapping[str, str]:
        return MappingProxyType({k: d for f in _REGISTRY.fields() for k, d in f.keys.items()})

    return _REGISTRY.derived("keys", build)  # type: ignore[no-any-return]


def contact_point_keys() -> tuple[str, ...]:
    """The key columns of the registered fields that are contact points (see
    :attr:`Field.contact_points`): the table-wide rule of :func:`shared_contact_points` applies
    to them.

    Example:
        >>> contact_point_keys()
        ('email', 'phone', 'mobile')
    """

    def build() -> tuple[str, ...]:
        return tuple(k for f in _REGISTRY.fields() for k in f.contact_points)

    return _REGISTRY.derived("contact_points", build)  # type: ignore[no-any-return]


def _ranked_comparisons() -> tuple[FieldComparison, ...]:
    found = [c for f in _REGISTRY.fields() for c in f.comparisons]
    return tuple(sorted(found, key=lambda c: c.rank))


def default_comparisons(present: Sequence[str] | set[str]) -> list[Comparison]:
    """The default comparisons for a table with these key columns, in rank order: each one
    whose first key column is present.

    Example:
        >>> [c.name for c in default_comparisons({"email", "family", "given"})]
        ['given', 'family', 'email']
    """
    have = set(present)
    ranked = _REGISTRY.derived("comparisons", _ranked_comparisons)
    return [c.comparison for c in ranked if c.comparison.columns[0] in have]


def default_blocking(present: Sequence[str] | set[str]) -> list[Rule]:
    """The default blocking rules whose key columns are all present, in rank order.

    Example:
        >>> [r.name for r in default_blocking({"email", "phone"})]
        ['email', 'phone', 'email.local', 'sorted:email.local']
    """
    from crmclean.encode import base_key_column

    def build() -> tuple[FieldBlocking, ...]:
        found = [b for f in _REGISTRY.fields() for b in f.blocking]
        return tuple(sorted(found, key=lambda b: b.rank))

    have = set(present)
    ranked = _REGISTRY.derived("blocking", build)
    return [b.rule for b in ranked if all(base_key_column(k) in have for k in b.rule.keys)]


def default_correlated() -> tuple[tuple[str, ...], ...]:
    """The default correlated group: every ``place`` comparison, in rank order.

    Example:
        >>> default_correlated()
        (('address', 'address_2', 'city', 'postcode', 'region', 'company'),)
    """
    group = tuple(c.comparison.name for c in _REGISTRY.derived("comparisons", _ranked_comparisons)
                  if c.evidence == "place")  # fmt: skip
    return (group,) if group else ()


def field_comparison_of(comparison: Comparison) -> FieldComparison | None:
    """The registered default comparison a comparison stands for: the one of the same name,
    else the first of the same comparator kind, else ``None``.

    Example:
        >>> field_comparison_of(Comparison("work_email", "email")).comparison.name
        'email'
    """
    ranked: tuple[FieldComparison, ...] = _REGISTRY.derived("comparisons", _ranked_comparisons)
    for c in ranked:
        if c.comparison.name == comparison.name:
            return c
    for c in ranked:
        if c.comparison.kind == comparison.kind:
            return c
    return None


def evidence_of(comparison: Comparison) -> str:
    """What an agreement on a comparison is evidence of (one of :data:`EVIDENCE`): that of
    :func:`field_comparison_of`, else ``"descriptive"``.

    Example:
        >>> evidence_of(Comparison("work_email", "email")), evidence_of(Comparison("x", "code"))
        ('person', 'place')
    """
    found = field_comparison_of(comparison)
    return "descriptive" if found is None else str(found.evidence)


def tf_ceiling_of(comparison: Comparison) -> float | None:
    """The most bits a rare value's term-frequency adjustment may add to a comparison
    (``FieldComparison.tf_ceiling``), ``None`` for no bound.

    Example:
        >>> tf_ceiling_of(Comparison("family", "family_name"))
        2.0
        >>> tf_ceiling_of(Comparison("x", "exact")) is None
        True
    """
    found = field_comparison_of(comparison)
    return None if found is None else found.tf_ceiling


def conflict_floor_of(comparison: Comparison) -> tuple[float, bool]:
    """The least ``m`` of a comparison's lowest level, and whether it is that value whatever
    the fit says (``FieldComparison.conflict_floor`` and ``conflict_fixed``).

    Example:
        >>> conflict_floor_of(Comparison("dob", "date")), conflict_floor_of(Comparison("x", "code"))
        ((0.005, False), (0.05, False))
        >>> conflict_floor_of(Comparison("suffix", "exact"))
        (0.005, True)
    """
    found = field_comparison_of(comparison)
    return (0.05, False) if found is None else (float(found.conflict_floor), found.conflict_fixed)


# --- built-in standardizers and key makers ---------------------------------------------------


def _normalizer(
    fn: Callable[..., Any], **options: Any
) -> Callable[[Sequence[Any], Any], list[Any]]:
    def run(values: Sequence[Any], ctx: Any) -> list[Any]:
        return normalize_many(fn, values, **options)

    return run


def _shared_normalizer(fn: Callable[..., Any]) -> Callable[[Sequence[Any], Any], list[Any]]:
    """A standardizer whose results the field's key maker reads too: parsed once per job
    (:meth:`FieldContext.parsed`)."""

    def run(values: Sequence[Any], ctx: Any) -> list[Any]:
        if not isinstance(ctx, FieldContext):
            return normalize_many(fn, values)
        return ctx.parsed(normalize_many, fn, values)

    return run


def _dates(values: Sequence[Any], ctx: FieldContext) -> list[Any]:
    return normalize_many(normalize_date, values, dayfirst=ctx.dayfirst)


def _phones(values: Sequence[Any], ctx: FieldContext) -> list[Any]:
    return ctx.parsed(normalize_phone_rows, values, ctx.row_regions())


_ADDRESS_INPUTS: Final = {
    "street": "street", "address_2": "line2", "city": "city", "region": "region",
    "postcode": "postcode", "country": "country", "address": "street",
}  # fmt: skip
_ADDRESS_OUTPUTS: Final = (
    ("street", "line1"), ("address_2", "unit"), ("city", "city"), ("region", "region"),
    ("postcode", "postcode"), ("country", "country"),
)  # fmt: skip


def _standardize_address(ctx: FieldContext, add: Callable[[str, list[Any]], None]) -> list[Any]:
    roles = ctx.roles
    results = _address_rows(
        ctx, {part: ctx.values(role) for role, part in _ADDRESS_INPUTS.items() if role in roles}
    )
    address_roles = [(role, part) for role, part in _ADDRESS_OUTPUTS if role in roles]
    if "address" in roles and not address_roles:
        add(f"{roles['address']}_clean", [r.formatted for r in results])
    for role, part in address_roles:
        values = [getattr(r, part) for r in results]
        if role == "street" and "address_2" not in roles:
            # no second line to hold it: the unit (Apt 4, Ste 200) stays on the street line
            values = [f"{v} {r.unit}" if v and r.unit else v
                      for v, r in zip(values, results, strict=True)]  # fmt: skip
        add(f"{roles[role]}_clean", values)
    add("address_key", [r.key for r in results])
    return results


def _address_rows(
    ctx: FieldContext, parts: Mapping[str, Sequence[Any]], country: str | None = None
) -> list[Any]:
    """:func:`normalize_address_rows`, once per job for the same columns and country (the
    standardized address and the street keys read the same parse)."""
    return ctx.parsed(_parse_address_columns, tuple(parts), *parts.values(), country=country)


def _parse_address_columns(
    names: tuple[str, ...], *columns: Sequence[Any], country: str | None
) -> list[Any]:
    return normalize_address_rows(dict(zip(names, columns, strict=True)), country=country)


def _compact(value: object) -> str | None:
    key = compact_key(value)
    return key or None


def _first_word_key(value: object) -> str | None:
    words = match_key(value).split()
    return words[0] if words else None


def _canonical_given(key: str | None) -> str | None:
    if key is None:
        return None
    return compact_key(canonical_given_name(key)) or key


def _phonetic(key: str | None) -> str | None:
    if not key:
        return None
    return jellyfish.metaphone(key).lower() or key


@functools.cache
def _generational() -> Mapping[str, str]:
    """Generational suffix token (lower case, no dots: ``junior``, ``jr``, ``iii``) → its key
    (``"jr"``, ``"iii"``): the name tables' generations, written as their display form. The
    ambiguous ones (``I``, ``V``: also initials) are left out: a name column alone cannot tell."""
    tables = name_tables()
    return MappingProxyType({t: tables.suffixes[t].rstrip(".").lower()
                             for t in tables.generations - tables.ambiguous_suffixes
                             if t in tables.suffixes})  # fmt: skip


def split_generational(value: object) -> tuple[str | None, str | None]:
    """A name without its trailing generational suffix, and that suffix's key.

    Example:
        >>> split_generational("King Jr."), split_generational("Erdoğan Junior")
        (('King', 'jr'), ('Erdoğan', 'jr'))
        >>> split_generational("Nguyen II"), split_generational("Sr."), split_generational(None)
        (('Nguyen', 'ii'), ('Sr.', None), (None, None))
    """
    text, _ = coerce_text(value)
    if not text:
        return None, None
    words = text.replace(",", " ").split()
    table = _generational()
    suffix = None
    while len(words) > 1:
        found = table.get(words[-1].lower().replace(".", ""))
        if found is None:
            break
        suffix = suffix or found
        words.pop()
    return (" ".join(words) if suffix else text), suffix


def _suffix_key(value: object) -> str | None:
    text, _ = coerce_text(value)
    if not text:
        return None
    return _generational().get(text.strip().lower().replace(".", "").replace(",", ""))


def _family_and_suffix(value: object) -> tuple[str | None, str | None]:
    family, suffix = split_generational(value)
    return _compact(family), suffix


def _family_suffix_keys(ctx: FieldContext) -> tuple[list[str | None], list[str | None]]:
    """Each row's family-name key and generational suffix (from the last name, else the full
    name), worked out once per context."""

    def make() -> tuple[list[str | None], list[str | None]]:
        family: list[str | None] = [None] * ctx.n
        suffix: list[str | None] = [None] * ctx.n
        if "full_name" in ctx.roles:
            parsed = _parsed_full_names(ctx)
            family = [_compact(r.family) for r in parsed]
            suffix = [_suffix_key(r.generation) for r in parsed]
        if "last_name" in ctx.roles:
            lasts = normalize_many(_family_and_suffix, ctx.values("last_name"))
            family = [f if f is not None else g
                      for (f, _), g in zip(lasts, family, strict=True)]  # fmt: skip
            suffix = [s if s is not None else t
                      for (_, s), t in zip(lasts, suffix, strict=True)]  # fmt: skip
        return family, suffix

    return ctx.derived("family_suffix_keys", make)  # type: ignore[no-any-return]


def _name_keys(ctx: FieldContext) -> dict[str, list[Any]]:
    roles, n = ctx.roles, ctx.n
    if not any(r in roles for r in ("full_name", "first_name", "last_name")):
        return {}
    given = _given_keys(ctx)
    family, suffix = _family_suffix_keys(ctx)
    middle: list[str | None] = [None] * n
    if "full_name" in roles:
        middle = [_first_word_key(r.middle) for r in _parsed_full_names(ctx)]
    if "middle_name" in roles:
        middles = normalize_many(_first_word_key, ctx.values("middle_name"))
        middle = [m if m is not None else p for m, p in zip(middles, middle, strict=True)]
    if "name_suffix" in roles:
        own = normalize_many(_suffix_key, ctx.values("name_suffix"))
        suffix = [s if s is not None else t for s, t in zip(own, suffix, strict=True)]
    out: dict[str, list[Any]] = {
        "given": given,
        "given_canonical": normalize_many(_canonical_given, given),
        "family": family,
        "family_phonetic": normalize_many(_phonetic, family),
        "suffix": suffix,
        "names": [
            " ".join(sorted((g, f))) if g and f else None
            for g, f in zip(given, family, strict=True)
        ],
    }
    if "middle_name" in roles or "full_name" in roles:
        out["middle"] = middle
    out[SCRIPT_KEY] = _name_scripts(ctx)
    return out




def _name_scripts(ctx: FieldContext) -> list[str | None]:
    """Each row's name script over its name columns (``mixed`` when they differ)."""
    roles = [r for r in ("first_name", "last_name", "full_name") if r in ctx.roles]
    columns = [normalize_many(name_script, ctx.values(role)) for role in roles]
    out: list[str | None] = []
    for row in zip(*columns, strict=True):
        found = {s for s in row if s is not None}
        out.append(found.pop() if len(found) == 1 else ("mixed" if found else None))
    return out


@functools.cache
def _genders() -> Mapping[str, str]:
    """Gender word or letter (``kadın``, ``мужской``, ``女``) → ``"f"`` or ``"m"``."""
    return MappingProxyType({r["word"]: r["gender"] for r in load_rows("gender_words.csv")})


def _gender_key(value: object) -> str | None:
    """``"m"``, ``"f"`` or the folded value (another gender), ``None`` when unknown."""
    text, _ = coerce_text(value)
    if not text:
        return None
    folded = text.strip().lower().rstrip(".")
    if folded in {"", "u", "unknown", "n/a", "na", "none", "-", "?", "x"}:
        return None
    return _genders().get(folded) or _compact(folded)


def _gender_keys(ctx: FieldContext) -> dict[str, list[Any]]:
    if "gender" not in ctx.roles:
        return {}
    return {"gender": normalize_many(_gender_key, ctx.values("gender"))}


def _without_tag(key: str) -> str:
    """An address without its ``+tag`` (``jane+news@firm.com`` → ``jane@firm.com``): most
    mail servers deliver subaddresses (RFC 5233) to the same mailbox, company domains too."""
    local, at, domain = key.partition("@")
    base = local.split("+", 1)[0]
    return f"{base}@{domain}" if at and base else key


def _email_key(result: Any) -> str | None:
    # a placeholder reaches nobody, and a role mailbox (info@, sales@, kontakt@) reaches a
    # team: neither tells one person from another
    if "fake_email" in result.issues or getattr(result, "is_role", False):
        return None
    key = result.match_key or result.normalized
    if key:
        return _without_tag(str(key))
    text, _ = coerce_text(result.original)
    if not text or "@" not in text:
        return None
    return "".join(text.lower().split()) or None


def _email_keys(ctx: FieldContext) -> dict[str, list[Any]]:
    if "email" not in ctx.roles:
        return {}
    results = ctx.parsed(normalize_many, normalize_email, ctx.values("email"))
    keys = [_email_key(r) for r in results]
    return {
        "email": keys,  # a shared mailbox is removed across the table (contact_points)
        # kept to explain why two records on one team address got no email evidence
        "email_role": [r.normalized if getattr(r, "is_role", False) else None for r in results],
    }


#: Key columns read out of another column (a middle name or a Jr. at the end of a full or last
#: name): a table without any is normal, and matching says nothing of them.
QUIET_KEYS: Final = frozenset({"middle", "suffix", "names", "email_role", SCRIPT_KEY})


#: A contact point (email, phone) held by records of this many plainly different given names
#: is a place's (a switchboard, an office or family mailbox), not a person's.
SHARED_BY: Final = 4


def _parsed_full_names(ctx: FieldContext) -> list[Any]:
    parsed: list[Any] = ctx.parsed(normalize_many, parse_name, ctx.values("full_name"))
    return parsed


def _given_keys(ctx: FieldContext) -> list[str | None]:
    """Each row's given-name key: its first name, else the given name of its full name."""

    def make() -> list[str | None]:
        given: list[str | None] = [None] * ctx.n
        if "full_name" in ctx.roles:
            given = [_first_word_key(r.given) for r in _parsed_full_names(ctx)]
        if "first_name" in ctx.roles:
            firsts = normalize_many(_first_word_key, ctx.values("first_name"))
            given = [f if f is not None else g for f, g in zip(firsts, given, strict=True)]
        return given

    return ctx.derived("given_keys", make)  # type: ignore[no-any-return]


def name_mark(given: str | None, family: str | None, script: str | None) -> str | None:
    """One record's name mark: its name script and the first letters of its given-name and
    family-name keys (``"latin|a|s"``; ``None`` without a given name): what
    :func:`people_count` tells people apart by.

    Example:
        >>> name_mark("ann", "smith", "latin"), name_mark(None, "smith", "latin")
        ('latin|a|s', None)
    """
    if not given:
        return None
    return f"{script or ''}|{given[0]}|{family[0] if family else ''}"


def name_marks(ctx: FieldContext) -> list[str | None]:
    """Each row's name mark (:func:`name_mark`) from its given-name and family-name keys and
    name script.

    Example:
        >>> name_marks(FieldContext({"F": ["Ann", None, "bob"], "L": ["Lee", "Ng", None]},
        ...                         {"first_name": "F", "last_name": "L"}))
        ['latin|a|l', None, 'latin|b|']
    """
    given = _given_keys(ctx)
    if not any(given):
        return [None] * ctx.n
    family = _family_suffix_keys(ctx)[0]
    scripts = _name_scripts(ctx)
    return [name_mark(g, f, s) for g, f, s in zip(given, family, scripts, strict=True)]


def people_count(marks: Iterable[str | None]) -> int:
    """How many plainly different people the name marks of one contact point's records show.

    People differ by the first letter of their given name, so a nickname or a typo of one
    person does not count twice (Robert, Rob, Bob: two letters at most, never four). A record
    whose given and family name were typed in each other's column (``Kenta Endo`` beside
    ``Endo Kenta``) counts with the record it mirrors, and the records of each name script are
    counted apart, the largest count taken: one person written in Latin letters and in kanji
    (``Endo Kenta``, ``遠藤 健太``) is one person, not two.

    Example:
        >>> people_count(["latin|a|s", "latin|b|j", "latin|c|l", None])
        3
        >>> people_count(["latin|e|k", "latin|k|e", "han|y|j", "han|j|y"])
        1
    """
    by_script: dict[str, set[tuple[str, str]]] = {}
    for mark in marks:
        if not mark:
            continue
        script, given, family = [*mark.split("|"), "", ""][:3]
        if given:
            by_script.setdefault(script, set()).add((given, family))
    best = 0
    for pairs in by_script.values():
        letters = {min(g, f) if f and (f, g) in pairs else g for g, f in pairs}
        best = max(best, len(letters))
    return best


def mark_no_suffix(
    suffix: Sequence[str | None], family: Sequence[str | None]
) -> list[str | None]:
    """The generational-suffix keys of a whole table: where any record has a suffix, a record
    with a family name and no suffix gets ``"-"`` (none, a value the ``generation`` comparator
    compares), so that "a suffix on one record only" differs from "no suffix on either".

    Example:
        >>> mark_no_suffix(["jr", None, None], ["todd", "todd", None])
        ['jr', '-', None]
        >>> mark_no_suffix([None, None], ["todd", "todd"])
        [None, None]
    """
    if all(s is None for s in suffix):
        return list(suffix)
    return [s if s is not None or f is None else NO_SUFFIX
            for s, f in zip(suffix, family, strict=True)]  # fmt: skip


def shared_contact_points(
    keys: Sequence[str | None], marks: Sequence[str | None], shared_by: int = SHARED_BY
) -> list[str | None]:
    """Contact-point keys with those of a place removed: a value held by records of at least
    ``shared_by`` plainly different people (:func:`people_count` of their name marks) is a
    switchboard or a shared mailbox, and agreeing on it says nothing of the person.

    Example:
        >>> marks = ["latin|a|s", "latin|b|j", "latin|c|l", "latin|d|k", "latin|a|s"]
        >>> shared_contact_points(["+1555"] * 4 + ["+1666"], marks)
        [None, None, None, None, '+1666']
        >>> shared_contact_points(["+1555", "+1555"], ["latin|a|s", "latin|a|s"])
        ['+1555', '+1555']
    """
    seen: dict[str, set[str]] = {}
    for key, mark in zip(keys, marks, strict=True):
        if key is not None and mark:
            seen.setdefault(key, set()).add(mark)
    shared = {k for k, found in seen.items()
              if len(found) >= shared_by and people_count(found) >= shared_by}  # fmt: skip
    if not shared:
        return list(keys)
    return [None if k in shared else k for k in keys]


_NON_DIGIT: Final = re.compile(r"\D+")


def _phone_keys(ctx: FieldContext) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for role in ("phone", "mobile"):
        if role not in ctx.roles:
            continue
        keys: list[str | None] = []
        values = as_list(ctx.values(role))
        regions = ctx.row_regions()
        standardized = ctx.known(normalize_phone_rows, values, regions)
        found = (
            # E.164 and the no-one's-number flag (a placeholder or a number in a range
            # reserved for fiction: no key) of the numbers standardize parsed
            [(r.e164, "fake_phone" in r.issues or "fictional_phone" in r.issues)
             for r in standardized]
            if standardized is not None
            # else only those: no number types or display formats
            else e164_rows(values, regions)
        )
        for value, (e164, fake) in zip(values, found, strict=True):
            if fake:
                keys.append(None)
            elif e164:
                keys.append(e164)
            else:
                text, _ = coerce_text(value)
                digits = _NON_DIGIT.sub("", text or "")
                keys.append(digits if len(digits) >= 6 else None)
        out[role] = keys  # a switchboard is removed across the table (contact_points)
    return out


def _dob_keys(ctx: FieldContext) -> dict[str, list[Any]]:
    if "dob" not in ctx.roles:
        return {}
    dayfirst = ctx.dayfirst
    return {"dob": normalize_many(lambda v: date_key(v, dayfirst=dayfirst), ctx.values("dob"))}


def _postcode_key(result: Any) -> str | None:
    code = getattr(result, "postcode", None)
    if not code:
        return None
    key = _compact(code)
    if key and getattr(result, "country", None) == "US" and len(key) > 5:
        return key[:5]  # ZIP+4 meets its ZIP
    return key


def _part_key(result: Any, part: str) -> str | None:
    if part == "postcode":
        return _postcode_key(result)
    return _compact(getattr(result, part, None))


_ADDRESS_PARTS: Final = (("city", "city"), ("region", "region"), ("postcode", "postcode"),
                         ("country", "country"))  # fmt: skip


def _street_keys(ctx: FieldContext, out: dict[str, list[Any]]) -> list[Any] | None:
    """House number and street keys; returns the parsed addresses (one per row) when the
    address normalizer ran, so that city, region and postcode keys can come from it too.

    Each row is parsed with its own city, region, postcode and country (or ``region`` as the
    default country), so that a US street is read by USPS rules (``north`` → ``N``,
    ``Street`` → ``St``) and a ZIP+4 meets its ZIP."""
    roles, n = ctx.roles, ctx.n
    street_role = "street" if "street" in roles else ("address" if "address" in roles else None)
    if street_role is None and "house_number" not in roles:
        return None
    streets: list[str | None] = [None] * n
    numbers: list[str | None] = [None] * n
    parsed: list[Any] | None = None
    if street_role is not None:
        parts = {"street": ctx.values(street_role)}
        parts.update({key: ctx.values(role) for key, role in _ADDRESS_PARTS if role in roles})
        # the default phone region is the default country, where it is one (not "AC", "XK")
        default = ctx.region if normalize_country(ctx.region) == ctx.region else None
        parsed = _address_rows(ctx, parts, default)
        streets = [_compact(r.street) for r in parsed]
        numbers = [_compact(r.house_number) for r in parsed]
    if "house_number" in roles:
        explicit = normalize_many(_compact, ctx.values("house_number"))
        numbers = [e if e is not None else m for e, m in zip(explicit, numbers, strict=True)]
    out["house_number"] = numbers
    out["street"] = streets
    return parsed


def _address_keys(ctx: FieldContext) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    parsed = _street_keys(ctx, out)
    for role in ("address_2", "city", "region", "postcode"):
        if role in ctx.roles:
            out[role] = normalize_many(_compact, ctx.values(role))
    if parsed is not None:
        # the parsed address knows "Illinois" is "IL" and "62701-1234" is ZIP 62701; a raw key
        # stays where parsing found nothing
        for role in ("city", "region", "postcode"):
            if role in ctx.roles:
                out[role] = [_part_key(r, role) or raw
                             for r, raw in zip(parsed, out[role], strict=True)]  # fmt: skip
    if "country" in ctx.roles:
        countries = normalize_many(normalize_country, as_list(ctx.values("country")))
        out["country"] = [c.lower() if c else None for c in countries]
    return out


def _compact_keys(role: str) -> KeyMaker:
    def run(ctx: FieldContext) -> dict[str, list[Any]]:
        if role not in ctx.roles:
            return {}
        return {role: normalize_many(_compact, ctx.values(role))}

    return run


def _company_keys(ctx: FieldContext) -> dict[str, list[Any]]:
    if "company" not in ctx.roles:
        return {}
    results = ctx.parsed(normalize_many, normalize_company, ctx.values("company"))
    return {"company": [_compact(r.key) for r in results]}


def _title_keys(ctx: FieldContext) -> dict[str, list[Any]]:
    if "title" not in ctx.roles:
        return {}
    results = ctx.parsed(normalize_many, normalize_title, ctx.values("title"))
    return {"title": [r.canonical for r in results]}


# --- the built-in fields ---------------------------------------------------------------------

# the parts of a postal address in the order merge reads them (street first, then the number)
_ADDRESS_GROUP: Final = (
    "street", "house_number", "address_2", "city", "region", "postcode", "country",
)  # fmt: skip
_CLEAN_TEXT: Final = RoleStandardizer(
    _normalizer(normalize_text), (Output("clean", lambda r: r.text),), counted=False
)
_NAME_RULES: Final = MergeDefault(
    "name",
    ("valid_first", "consensus", "recent_value", "most_complete", "longest", "best_form",
     "standardize"),
)


#: Prefixes (``Dr.``), generational suffixes (``Jr.``) and credentials (``PhD``): the value
#: the records agree on, else the newest.
_NAME_AFFIX_RULES: Final = MergeDefault(None, ("consensus", "recent", "from_master"))


def _name_part(part: str) -> RoleStandardizer:
    return RoleStandardizer(_normalizer(normalize_name_part, part=part),
                            (Output("clean", lambda r: r.text),))  # fmt: skip


def _descriptive_field(
    name: str, key: str, prepare: KeyMaker, comparison: FieldComparison, *,
    blocking: tuple[FieldBlocking, ...] = (),
    rules: tuple[str, ...] = ("consensus", "recent", "from_master"),
) -> Field:  # fmt: skip
    """A field of one role, one key and one comparison that describes a person (birthplace,
    gender, occupation): its text standardized, no weight in the audit."""
    role = Role(name, standardize=_CLEAN_TEXT, audit_weight=0.0, merge=MergeDefault(None, rules))
    return Field(name, roles=(role,), keys={name: key}, prepare=prepare,
                 comparisons=(comparison,), blocking=blocking)  # fmt: skip


def _cmp(rank: float, name: str, kind: str, columns: tuple[str, ...], tf: bool,
         evidence: str, floor: float = 0.05, fixed: bool = False,
         tf_ceiling: float | None = None) -> FieldComparison:  # fmt: skip
    return FieldComparison(Comparison(name, kind, columns, tf=tf), rank, evidence,
                           floor, fixed, tf_ceiling)  # fmt: skip


#: The most a rare name may count above an average one: 2 bits (four times rarer).
NAME_TF_CEILING: Final = 2.0


_BUILT_IN: Final = (
    Field("id", roles=(Role("id"),)),
    Field(
        "person_name",
        roles=(
            Role("first_name", standardize=_name_part("given"), audit_weight=2.0, required=True,
                 merge=_NAME_RULES),
            Role("middle_name", standardize=_name_part("middle"), audit_weight=0.5,
                 merge=_NAME_RULES),
            Role("last_name", standardize=_name_part("family"), audit_weight=2.0, required=True,
                 merge=_NAME_RULES),
            Role("name_suffix", standardize=_CLEAN_TEXT, audit_weight=0.0,
                 merge=_NAME_AFFIX_RULES),
            Role("salutation", standardize=_CLEAN_TEXT, audit_weight=0.0,
                 merge=_NAME_AFFIX_RULES),
            Role("credentials", standardize=_CLEAN_TEXT, audit_weight=0.0,
                 merge=_NAME_AFFIX_RULES),
            # the name in its own script beside a Latin one (or the Latin one beside it):
            # merged consistently with each other, not matched on
            *(Role(role, standardize=_name_part(part), audit_weight=0.0, merge=_NAME_RULES)
              for role, part in (("first_name_local", "given"), ("last_name_local", "family"),
                                 ("first_name_latin", "given"), ("last_name_latin", "family"))),
            Role(
                "full_name",
                standardize=RoleStandardizer(_shared_normalizer(parse_name), (
                    Output("clean", lambda r: r.display), Output("given", lambda r: r.given),
                    Output("family", lambda r: r.family))),
                audit_weight=3.0, required=True,
                merge=MergeDefault("full_name", _NAME_RULES.rules),
            ),
        ),
        keys={
            "given": "given name, compact ASCII key (first given name only): 'jose'",
            "given_canonical": "given name with nicknames resolved: 'bob' -> 'robert'",
            "family": "family name, compact ASCII key: 'obrien'",
            "family_phonetic": "phonetic code of the family name",
            "names": "given and family name keys in sorted order: the same for a record "
                     "whose names were swapped",
            "middle": "middle name or initial, compact ASCII key (first word only)",
            "suffix": "generational suffix: 'jr', 'sr', 'ii', 'iii' (from its own column or "
                      "the end of the last or full name); where some record of the table has "
                      "one, '-' for a named record without",
        },
        prepare=_name_keys,
        comparisons=(
            _cmp(10, "given", "given_name", ("given", "given_canonical", "family"), True, "name",
                 tf_ceiling=NAME_TF_CEILING),
            _cmp(20, "family", "family_name", ("family", "family_phonetic", "given"), True,
                 "name", tf_ceiling=NAME_TF_CEILING),
            _cmp(25, "middle", "middle_name", ("middle",), False, "name", 0.01),
            _cmp(27, "suffix", "generation", ("suffix",), False, "descriptive", 0.005, True),
        ),
        blocking=(
            FieldBlocking(BlockingRule(("family_phonetic", "given[:1]")), 50),
            FieldBlocking(BlockingRule(("names",)), 52),
            FieldBlocking(SortedNeighbourhood(("family", "given"), window=4), 110),
            FieldBlocking(SortedNeighbourhood(("given", "family"), window=4), 120),
        ),
    ),
    Field(
        "email",
        roles=(Role(
            "email",
            standardize=RoleStandardizer(_shared_normalizer(normalize_email), (
                Output("clean", lambda r: r.normalized),
                Output("suggestion", lambda r: r.suggestion))),
            audit_weight=3.0, required=True, contact_point=True,
            merge=MergeDefault("email", ("valid_first", "consensus", "from_master", "recent",
                                         "most_frequent", "standardize"), multi_valued=True),
        ),),
        keys={
            "email": "email match key (provider rules applied: gmail dots and +tags removed); "
                     "none for a role mailbox (info@, sales@) or a placeholder",
            "email_role": "the role mailbox a record holds (explanations only)",
        },
        prepare=_email_keys,
        contact_points=("email",),
        comparisons=(_cmp(30, "email", "email", ("email",), True, "person"),),
        blocking=(
            FieldBlocking(BlockingRule(("email",)), 10),
            FieldBlocking(BlockingRule(("email.local",)), 100),
            FieldBlocking(SortedNeighbourhood(("email.local",), window=4), 130),
        ),
    ),
    Field(
        "phone",
        roles=tuple(
            Role(role, standardize=RoleStandardizer(_phones, (
                     Output("e164", lambda r: r.e164), Output("kind", lambda r: r.kind))),
                 audit_weight=weight, contact_point=True,
                 merge=MergeDefault("phone", ("valid_first", "consensus", "from_master",
                                              "recent", "most_frequent", "standardize"),
                                    multi_valued=True))
            for role, weight in (("phone", 2.0), ("mobile", 1.0))
        ),
        keys={
            "phone": "phone number, E.164 when it parses, else its digits",
            "mobile": "mobile number, like phone",
        },
        prepare=_phone_keys,
        contact_points=("phone", "mobile"),
        comparisons=(
            _cmp(40, "phone", "phone", ("phone",), True, "person_or_place"),
            _cmp(50, "mobile", "phone", ("mobile",), True, "person_or_place"),
        ),
        blocking=(
            FieldBlocking(BlockingRule(("phone",)), 20),
            FieldBlocking(BlockingRule(("mobile",)), 30),
        ),
    ),
    Field(
        "title",
        roles=(Role(
            "title",
            standardize=RoleStandardizer(_shared_normalizer(normalize_title), (
                Output("clean", lambda r: r.value), Output("seniority", lambda r: r.seniority),
                Output("function", lambda r: r.function))),
            merge=MergeDefault("title", ("valid_first", "recent", "from_master",
                                         "standardize")),
        ),),
        keys={"title": "canonical job title"},
        prepare=_title_keys,
        comparisons=(_cmp(150, "title", "exact", ("title",), True, "descriptive"),),
    ),
    Field(
        "company",
        roles=(Role(
            "company",
            standardize=RoleStandardizer(_shared_normalizer(normalize_company),
                                         (Output("clean", lambda r: r.name),)),
            merge=MergeDefault(None, ("consensus", "recent", "from_master", "most_frequent",
                                      "best_form", "standardize")),
        ),),
        keys={"company": "company key (legal form removed)"},
        prepare=_company_keys,
        comparisons=(_cmp(140, "company", "string", ("company",), True, "place"),),
        blocking=(FieldBlocking(BlockingRule(("company", "given_canonical")), 70),),
    ),
    Field(
        "address",
        roles=(
            *(Role(r, merge=MergeDefault(None, ("consensus", "recent", "from_master",
                                                "best_form", "standardize"), group="address",
                                         group_rank=_ADDRESS_GROUP.index(r)))
              for r in ("street", "address_2", "house_number", "city", "region", "postcode",
                        "country")),
            Role("address", merge=MergeDefault(None, ("recent", "from_master"),
                                               multi_valued=True)),
        ),
        keys={
            "house_number": "house number, compact key",
            "street": "street name without the house number, compact key",
            "address_2": "second address line, compact key",
            "city": "city, compact key",
            "region": "state or region, compact key",
            "postcode": "postcode, compact key",
            "country": "country, ISO 3166-1 alpha-2 code when known",
        },
        prepare=_address_keys,
        comparisons=(
            _cmp(70, "address", "address", ("street", "house_number"), True, "place"),
            _cmp(80, "address_2", "string", ("address_2",), True, "place"),
            _cmp(90, "city", "string", ("city",), True, "place"),
            _cmp(100, "postcode", "code", ("postcode",), True, "place"),
            _cmp(110, "region", "exact", ("region",), False, "place"),
            _cmp(120, "country", "exact", ("country",), False, "descriptive"),
        ),
        blocking=(
            FieldBlocking(BlockingRule(("postcode", "family[:3]")), 60),
            FieldBlocking(BlockingRule(("postcode", "given[:3]")), 62),
        ),
        standardize_group=GroupStandardizer(
            ("street", "address_2", "city", "region", "postcode", "country", "address"),
            _standardize_address,
        ),
    ),
    Field(
        "dob",
        roles=(Role(
            "dob",
            standardize=RoleStandardizer(_dates, (Output("clean", lambda r: r.value),)),
            merge=MergeDefault(None, ("most_frequent", "from_master")),
        ),),
        keys={"dob": "date of birth as YYYYMMDD"},
        prepare=_dob_keys,
        # four levels below "typo": a father and son, twenty years apart, differ far more
        # than a mistyped year does
        comparisons=(FieldComparison(
            Comparison("dob", "date", ("dob",), thresholds=(31, 366, 3653), tf=True), 60,
            "person_trait", 0.005),),
        blocking=(
            FieldBlocking(BlockingRule(("dob",)), 80),
            FieldBlocking(BlockingRule(("family", "dob[:4]")), 90),
            FieldBlocking(BlockingRule(("given[:3]", "dob[:4]")), 91),
            FieldBlocking(SortedNeighbourhood(("dob", "given"), window=4), 115),
        ),
    ),
    _descriptive_field(
        "birthplace", "place of birth, compact key", _compact_keys("birthplace"),
        _cmp(65, "birthplace", "string", ("birthplace",), True, "descriptive"),
        blocking=(
            FieldBlocking(BlockingRule(("birthplace", "given")), 92),
            FieldBlocking(BlockingRule(("birthplace", "family")), 94),
            FieldBlocking(BlockingRule(("birthplace", "dob")), 96),
        ),
    ),
    _descriptive_field(
        "gender", "gender: 'f', 'm' (from words and letters in many languages) or the value",
        _gender_keys, _cmp(125, "gender", "exact", ("gender",), False, "descriptive"),
    ),
    _descriptive_field(
        "occupation", "occupation or profession, compact key", _compact_keys("occupation"),
        _cmp(155, "occupation", "exact", ("occupation",), True, "descriptive"),
        rules=("recent", "consensus", "from_master"),
    ),
    Field(
        "national_id",
        roles=(Role("national_id", merge=MergeDefault(None, ("most_frequent", "from_master"))),),
        keys={"national_id": "national identifier (social security number, ...), letters "
                             "and digits"},
        prepare=_compact_keys("national_id"),
        comparisons=(_cmp(130, "national_id", "code", ("national_id",), False, "person", 0.005),),
        blocking=(FieldBlocking(BlockingRule(("national_id",)), 40),),
    ),
    Field("website", roles=(Role("website", standardize=_CLEAN_TEXT),)),
    Field("source", roles=(Role("source", standardize=_CLEAN_TEXT),)),
    Field("created_at", roles=(Role("created_at", merge=MergeDefault(None, ("oldest:self",))),)),
    Field(
        "updated_at",
        roles=(Role("updated_at", merge=MergeDefault(None, ("most_recent:self",))),),
    ),
)

for _field in _BUILT_IN:
    register_field(_field)
del _field
