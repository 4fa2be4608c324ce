"""Merge: each cluster of duplicate records into one golden record, with lineage and a plan.

:func:`merge` takes the records and their clusters (from the matching stage or from anywhere
else) and decides, field by field, which value survives: the valid corporate email over the
role account, the most recent job title, the name most records agree on in its best-written
form (``Lopez`` over a lone ``Loopez``, ``Yılmaz`` over ``Yilmaz``), and every choice is
explained (:attr:`MergeResult.explanations`). Nothing is lost on the way:
multi-valued fields (emails, phones, addresses) keep every distinct value, every input value
is either in the golden table or in the lineage table with the rule that decided, conflicting
single values are listed, and :func:`unmerge` rebuilds the input records exactly.

Everything runs on whole columns. The records are grouped by cluster with one stable numpy
sort; a rule is a number per record (a date, a rank, a length, a validity grade) and its winners
are the records whose number is the cluster's maximum (``np.maximum.reduceat``). Normalizers run
only for clusters where they decide something, once per distinct value.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import copy
import functools
import gc
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from crmclean import fields
from crmclean._progress import Progress, progress_of
from crmclean._saved import build, json_document, saved_fields
from crmclean.columns import detect_roles
from crmclean.decisions import as_decisions, decide_clusters
from crmclean.errors import ColumnError, ConfigError
from crmclean.frames import (
    ColumnBatch,
    TableKind,
    TableShape,
    from_columns,
    result_kind,
    table_shape,
    to_columns,
)
from crmclean.normalize._base import is_null
from crmclean.normalize._phonefast import phone_facts
from crmclean.normalize.addresses import normalize_address, normalize_country
from crmclean.normalize.companies import normalize_company
from crmclean.normalize.data import load_rows
from crmclean.normalize.dates import timestamp as _timestamp
from crmclean.normalize.emails import normalize_email, normalized_emails
from crmclean.normalize.names import (
    canonical_given_name,
    case_name,
    name_tables,
    normalize_name_part,
    parse_name,
)
from crmclean.normalize.phones import normalize_phone, phone_region
from crmclean.normalize.text import compact_key, lower_case, match_key, normalize_text
from crmclean.normalize.titles import normalize_title

__all__ = [
    "LINEAGE_STATUSES",
    "RULE_NAMES",
    "VALUE_KINDS",
    "MergeResult",
    "MergeRule",
    "MergeStrategy",
    "ReviewPolicy",
    "ValueKind",
    "merge",
    "unmerge",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]

#: A custom rule: ``(values, rows) -> index`` of the winning value. ``values`` are the
#: candidate values (never empty ones) and ``rows`` their records as dicts, in input order.
Picker = Callable[[list[Any], list[dict[str, Any]]], int]

#: Rules that can pick the master record (the others judge a field's values).
_MASTER_RULES: Final = frozenset(
    {"most_complete", "most_recent", "oldest", "source_priority", "first_non_null", "custom"}
)
#: Rules that read values as forms of one value, and the kinds of form they know.
_FORM_RULES: Final = frozenset({"consensus", "most_recent_value", "best_form", "standardize"})
_FORM_KINDS: Final = ("name", "given", "full_name", "email", "phone", "title", "company",
                      "address", "text")  # fmt: skip
#: Rules that pick no candidates: they act on the value the chain picked.
_AFTER_CHAIN: Final = frozenset({"best_form", "standardize"})
#: The pairs of a person's name in its own script and in Latin letters, as column roles:
#: (native, Latin); the Latin one follows the native one.
_SCRIPT_PAIRS: Final = (
    ("first_name_local", "first_name"), ("first_name", "first_name_latin"),
    ("last_name_local", "last_name"), ("last_name", "last_name_latin"),
)  # fmt: skip
#: The ``status`` of a lineage row: the value is the golden one; kept as a further value of a
#: multi-valued field; the same as a kept value; a different value that lost; no value.
LINEAGE_STATUSES: Final = ("golden", "kept", "same", "overruled", "empty")
_GOLDEN, _KEPT, _SAME, _OVERRULED, _EMPTY = range(5)
#: The version of :meth:`MergeStrategy.to_dict` data.
_STRATEGY_VERSION: Final = 1

_CLUSTER: Final = "cluster_id"
_ALL: Final = "_all"
_SOURCE: Final = "_source"
_PLAN_FIXED: Final = ("cluster_id", "master_id", "merged_ids", "master_rule")
_NON_DIGITS: Final = re.compile(r"\D+")
_PHONE_PUNCTUATION: Final = re.compile(r"\+?[\d\s().\-/]*")
#: The ASCII characters of ``_PHONE_PUNCTUATION`` but digits and "+" (``\s`` holds \x1c-\x1f).
_PHONE_PUNCTUATION_ASCII: Final = str.maketrans("", "", " \t\n\r\f\v\x1c\x1d\x1e\x1f().-/")


# --- value kinds -----------------------------------------------------------------------------


@attrs.frozen
class ValueKind:
    """How merge reads a value of one kind: its normalizer, how good a value is, and when two
    values are the same. Each kind stands alone: its functions need nothing but their
    arguments.

    Attributes:
        name: the kind's name, as strategies name it (a key of :data:`VALUE_KINDS`).
        normalize: ``(value, region) -> result``: the normalizer's result for a value;
            ``region`` is the region of phone numbers written without a country code.
        grade: ``result -> number``: how good the value is for ``valid_first``, higher is
            better, 0 for a value the normalizer finds invalid.
        equality_key: ``(result, value) -> key``: values of a multi-valued field with the same
            key are one value (phones by E.164, emails by their normalized address); ``None``:
            values compare as text, ignoring case and spacing, and no normalizer runs.
        cache_key: ``value -> key``: values with the same key have the same normalizer result
            (a phone number's digits), so it runs once for them; ``None``: the value itself.

    Example:
        >>> email = VALUE_KINDS["email"]
        >>> [email.grade(email.normalize(v, None)) for v in ("jo@acme.com", "info@acme.com")]
        [2.0, 1.0]
        >>> phone = VALUE_KINDS["phone"]
        >>> phone.equality_key(phone.normalize("(415) 555-2671", "US"), "(415) 555-2671")
        '+14155552671'
    """

    name: str
    normalize: Callable[[object, str | None], Any]
    grade: Callable[[Any], float]
    equality_key: Callable[[Any, object], object] | None = None
    cache_key: Callable[[object], object] | None = None


def _email_result(value: object, region: str | None) -> Any:
    return normalize_email(value)


def _phone_result(value: object, region: str | None) -> Any:
    return normalize_phone(value, region=region)


def _name_result(value: object, region: str | None) -> Any:
    return normalize_name_part(value)


def _full_name_result(value: object, region: str | None) -> Any:
    return parse_name(value)


def _title_result(value: object, region: str | None) -> Any:
    return normalize_title(value)


def _text_result(value: object, region: str | None) -> Any:
    return normalize_text(value)


def _valid_grade(result: Any) -> float:
    """Valid, or not."""
    return 1.0 if result.valid else 0.0


def _phone_grade(result: Any) -> float:
    """A valid number over a valid one in a range reserved for fiction (555-0100 to 0199)."""
    if not result.valid:
        return 0.0
    return 0.5 if result.fictional else 1.0


def _email_grade(result: Any) -> float:
    """A valid personal address over a valid role or disposable one, over an address whose
    domain looks like a typo of a known mailbox domain (``hotmial.com``)."""
    if not result.valid:
        return 0.0
    if "possible_typo_domain" in result.issues:
        return 0.5
    return 1.0 if result.is_role or result.is_disposable else 2.0


def _name_grade(result: Any) -> float:
    """A valid name in proper case, then in bad casing, then initials only."""
    if not result.valid:
        return 0.0
    if "only_initials" in result.issues:
        return 1.0
    return 2.0 if "bad_casing" in result.issues else 3.0


def _phone_key(result: Any, value: object) -> object:
    """E.164 (with the extension), else the digits, else the text."""
    if result.e164:
        return str(result.e164) + (f";{result.extension}" if result.extension else "")
    digits = _NON_DIGITS.sub("", str(value))
    return "#" + digits if digits else _light_key(value)


def _email_key(result: Any, value: object) -> object:
    """The normalized address, else the text."""
    if result.normalized:
        return str(result.normalized)
    return _light_key(value)


def _phone_cache_key(value: object) -> object:
    """Text of only digits and punctuation: the digits (and a leading +) decide the result."""
    if isinstance(value, str):
        if value.isascii():  # the same as the pattern below, without it
            plus = value[:1] == "+"
            digits = (value[1:] if plus else value).translate(_PHONE_PUNCTUATION_ASCII)
            if not digits or digits.isdigit():
                return ("+" if plus else "") + digits
            return value
        if _PHONE_PUNCTUATION.fullmatch(value):
            return ("+" if "+" in value else "") + _NON_DIGITS.sub("", value)
    return value


def _phone_cache_keys(values: list[Any]) -> list[Any]:
    """:func:`_phone_cache_key` of each value; plain ASCII text a whole list at a time."""
    if not values or set(map(type, values)) != {str}:
        return list(map(_phone_cache_key, values))
    joined = "\x00".join(values)
    if not joined.isascii() or joined.count("\x00") != len(values) - 1:
        return list(map(_phone_cache_key, values))
    out: list[Any] = joined.translate(_PHONE_PUNCTUATION_ASCII).split("\x00")
    for i, (value, kept) in enumerate(zip(values, out, strict=True)):
        digits = kept[1:] if value[:1] == "+" else kept  # the leading "+" is kept as it is
        if digits and not digits.isdigit():
            out[i] = value
    return out


def _parse_batch(kind: ValueKind, region: str | None, values: list[Any]) -> list[Any]:
    """The normalizer results of distinct values. Phones go through the fast path over
    libphonenumber's metadata as a batch (:func:`~crmclean.normalize._phonefast.phone_facts`:
    the validity, E.164 form and extension merge reads, the same as
    :func:`~crmclean.normalize.phones.normalize_phone` finds)."""
    if kind.name == "phone":
        return list(phone_facts(values, region))
    return [kind.normalize(value, region) for value in values]


#: The kinds of value merge tells apart, by name: for :meth:`MergeRule.valid_first`,
#: :attr:`MergeStrategy.kinds` and telling the values of multi-valued fields apart.
VALUE_KINDS: Final[Mapping[str, ValueKind]] = MappingProxyType(
    {
        kind.name: kind
        for kind in (
            ValueKind("email", _email_result, _email_grade, _email_key),
            ValueKind("phone", _phone_result, _phone_grade, _phone_key, _phone_cache_key),
            ValueKind("name", _name_result, _name_grade),
            ValueKind("full_name", _full_name_result, _name_grade),
            ValueKind("title", _title_result, _valid_grade),
            ValueKind("text", _text_result, _valid_grade),
        )
    }
)


# --- rules ---------------------------------------------------------------------------------


def _tuple_of_str(value: object, what: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{what} must be a list or tuple of str")
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"{what} must be a list or tuple of str")
    return tuple(value)


def _order(value: object) -> tuple[str, ...]:
    return _tuple_of_str(value, "a source order")


@attrs.frozen
class MergeRule:
    """One survivorship rule. Build it with the class methods, or name it by a string.

    A rule gives each candidate value a rank; the best-ranked values win. Rules chained in a
    list break each other's ties, and the first value in input order breaks any tie left.

    Attributes:
        name: one of :data:`RULE_NAMES`.
        column: the column the rule reads besides the field: the date column of
            ``most_recent``/``oldest``, the source column of ``source_priority``. ``None``
            takes the strategy's (:attr:`MergeStrategy.date_column`, ...).
        order: ``source_priority``: source names, best first (``None`` of them: the
            strategy's :attr:`MergeStrategy.source_priority`).
        kind: ``valid_first``: the kind of value (one of :data:`VALUE_KINDS`); ``None`` reads
            it off the column's role.
        region: ``valid_first`` on phones: the region of numbers written without a country
            code (``None``: the strategy's).
        func: ``custom``: the function ``(values, rows) -> index``.

    Example:
        >>> MergeRule.most_recent(by="LastModifiedDate")
        MergeRule(name='most_recent', column='LastModifiedDate', order=(), kind=None, \
region=None, func=None)
        >>> MergeRule("longest").label
        'longest'
    """

    name: str
    column: str | None = None
    order: tuple[str, ...] = attrs.field(default=(), converter=_order)
    kind: str | None = None
    region: str | None = None
    func: Picker | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError("a merge rule's name must be a str")
        if self.name not in _RULE_KEYS and self.name != "custom":
            raise ConfigError(
                f"unknown merge rule {self.name!r}; rules are: {', '.join(_rule_names())}"
            )
        if self.name == "custom":
            if not callable(self.func):
                raise TypeError("a custom merge rule needs a function (values, rows) -> index")
        elif self.func is not None:
            raise ConfigError(f"merge rule {self.name!r} takes no function; use a custom rule")
        if self.column is not None and not isinstance(self.column, str):
            raise TypeError("a merge rule's column must be a str")
        kinds = _FORM_KINDS if self.name in _FORM_RULES else VALUE_KINDS
        if self.kind is not None and self.kind not in kinds:
            raise ConfigError(f"unknown value kind {self.kind!r}; kinds are: {', '.join(kinds)}")
        if self.region is not None:
            object.__setattr__(self, "region", phone_region(self.region))

    def to_dict(self) -> dict[str, Any]:
        """The rule as plain JSON-ready data: its name and the attributes it sets.

        Raises:
            ConfigError: the rule is a custom one (a Python function cannot be saved).

        Example:
            >>> MergeRule.most_recent(by="updated_at").to_dict()
            {'name': 'most_recent', 'column': 'updated_at'}
        """
        if self.name == "custom":
            raise ConfigError(
                f"custom merge rule {self.label!r} is a Python function and cannot be saved"
            )
        out: dict[str, Any] = {"name": self.name}
        if self.column is not None:
            out["column"] = self.column
        if self.order:
            out["order"] = list(self.order)
        if self.kind is not None:
            out["kind"] = self.kind
        if self.region is not None:
            out["region"] = self.region
        return out

    def to_json(self) -> str:
        """The rule as a JSON document (see :meth:`to_dict`).

        Example:
            >>> MergeRule.valid_first("phone", region="US").to_json()
            '{"name": "valid_first", "kind": "phone", "region": "US"}'
        """
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MergeRule:
        """A rule from :meth:`to_dict` data.

        Raises:
            ConfigError: unknown keys, an unknown rule name or kind, a custom rule, or values
                of the wrong type.

        Example:
            >>> rule = MergeRule.source_priority(["crm", "web"], column="src")
            >>> MergeRule.from_dict(rule.to_dict()) == rule
            True
        """
        data = saved_fields(data, "merge rule", _RULE_KEYS_SAVED)
        if "name" not in data:
            raise ConfigError("a saved merge rule needs a name")
        if data["name"] == "custom":
            raise ConfigError("a custom merge rule is a Python function: it cannot be loaded")
        return build(cls, data, "merge rule")

    @classmethod
    def from_json(cls, text: str | bytes) -> MergeRule:
        """A rule from a JSON document written by :meth:`to_json`.

        Raises:
            ConfigError: the text is not valid merge rule JSON.

        Example:
            >>> MergeRule.from_json('{"name": "longest"}') == MergeRule.longest()
            True
        """
        return cls.from_dict(json_document(text, "merge rule"))

    @property
    def label(self) -> str:
        """The rule's name in lineage and plan tables (a custom rule: its function's name)."""
        if self.name == "custom":
            return str(getattr(self.func, "__name__", "custom"))
        return self.name

    @classmethod
    def most_complete(cls) -> MergeRule:
        """The value of the record that has the most non-empty fields.

        Example:
            >>> MergeRule.most_complete().name
            'most_complete'
        """
        return cls("most_complete")

    @classmethod
    def most_recent(cls, by: str | None = None) -> MergeRule:
        """The value of the record with the latest date in column ``by`` (an updated-at column;
        ``None``: the strategy's :attr:`~MergeStrategy.date_column`). Records without a
        readable date rank last.

        Example:
            >>> MergeRule.most_recent(by="updated_at").column
            'updated_at'
        """
        return cls("most_recent", column=by)

    @classmethod
    def oldest(cls, by: str | None = None) -> MergeRule:
        """The value of the record with the earliest date in column ``by`` (a created-at
        column; ``None``: the strategy's :attr:`~MergeStrategy.created_column`).

        Example:
            >>> MergeRule.oldest(by="created_at").name
            'oldest'
        """
        return cls("oldest", column=by)

    @classmethod
    def most_frequent(cls) -> MergeRule:
        """The value most records of the cluster hold (compared ignoring case and spacing).

        Example:
            >>> MergeRule.most_frequent().name
            'most_frequent'
        """
        return cls("most_frequent")

    @classmethod
    def source_priority(
        cls, order: Sequence[str] | None = None, column: str | None = None
    ) -> MergeRule:
        """The value of the record from the best source in ``order`` (e.g. ``["salesforce",
        "hubspot", "webform"]``, compared ignoring case); sources not listed rank last.

        Example:
            >>> MergeRule.source_priority(["Salesforce", "HubSpot"]).order
            ('Salesforce', 'HubSpot')
        """
        return cls("source_priority", column=column, order=tuple(order or ()))

    @classmethod
    def longest(cls) -> MergeRule:
        """The longest value (``"Jonathan"`` over ``"Jon"``).

        Example:
            >>> MergeRule.longest().name
            'longest'
        """
        return cls("longest")

    @classmethod
    def first_non_null(cls) -> MergeRule:
        """The first non-empty value in input order (for the master: the first record).

        Example:
            >>> MergeRule.first_non_null().name
            'first_non_null'
        """
        return cls("first_non_null")

    @classmethod
    def valid_first(cls, kind: str | None = None, *, region: str | None = None) -> MergeRule:
        """Values the field's normalizer finds valid first.

        Grades, best first: an email that is valid and neither a role account nor disposable,
        then any valid email; a valid phone number; a valid name typed in proper case, then a
        valid name in all capitals or lower case, then initials only; a job title or text the
        normalizer accepts.

        Example:
            >>> MergeRule.valid_first("phone").kind
            'phone'
        """
        return cls("valid_first", kind=kind, region=region)

    @classmethod
    def consensus(cls, kind: str | None = None) -> MergeRule:
        """Values the cluster agrees on, over lone variants of them.

        Values are read by their normalized key (case, accents, script, punctuation, a
        name's title or suffix, a nickname, a phone's format, a company's legal form). A value
        loses when it is an initial of another value, or one or two edits from a value more
        records hold (``Loopez`` against three ``Lopez``; between values held equally often,
        the one the cluster's email addresses spell, then a known given name, then the one
        nearest the others); a first or last name loses when its record has the two swapped.
        Values that differ for real (a new employer, a married name) all stay, for the next
        rule (recency) to decide. ``kind``: how to read the values (``name``, ``given``,
        ``full_name``, ``email``, ``phone``, ``title``, ``company``, ``address``, ``text``;
        ``None``: from the column's role).

        Example:
            >>> MergeRule.consensus().name
            'consensus'
        """
        return cls("consensus", kind=kind)

    @classmethod
    def most_recent_value(cls, by: str | None = None) -> MergeRule:
        """The value seen most recently: each value ranks by the latest date of the records
        holding it (forms of one value together), so recency decides between different values
        and never between copies of one value.

        Example:
            >>> MergeRule.most_recent_value(by="updated_at").column
            'updated_at'
        """
        return cls("most_recent_value", column=by)

    @classmethod
    def best_form(cls, kind: str | None = None) -> MergeRule:
        """Once the chain has picked a value, its best form among the cluster's records:
        never an initial or a fragment of a street line, then diacritics or the native script
        over an ASCII fold (``Yılmaz`` over ``Yilmaz``), then a name without a title or suffix,
        then proper case, then no stray spaces or doubled marks, then the spelling more records
        hold, then the longer. Forms are
        values with one normalized key (see :meth:`consensus`); a street line also abbreviates
        another (``Büyükdere Cad. No:185`` / ``Buyukdere Caddesi 185``) or is part of it.

        Example:
            >>> MergeRule.best_form().name
            'best_form'
        """
        return cls("best_form", kind=kind)

    @classmethod
    def standardize(cls, kind: str | None = None, *, region: str | None = None) -> MergeRule:
        """Write the golden value in its standard form (the records' own values stay in the
        lineage): E.164 phones, normalized emails with a known misspelling of a mailbox domain
        corrected (``hotmial.com`` → ``hotmail.com``), canonical job titles, cased names
        without titles or suffixes, standardized companies and street lines.

        Example:
            >>> MergeRule.standardize("phone", region="US").to_dict()
            {'name': 'standardize', 'kind': 'phone', 'region': 'US'}
        """
        return cls("standardize", kind=kind, region=region)

    @classmethod
    def partner(cls, column: str) -> MergeRule:
        """The Latin spelling of the name the golden record has in its own script (the golden
        value of ``column``): a Latin value that transliterates it (``Ivanov`` of ``Иванов``),
        else one from a record holding that name (``Tanaka`` beside ``田中``), over the
        others. For the Latin column of a name held in two columns (``Last Name`` beside
        ``Last Name (Local)``, ``Last name`` beside ``Фамилия``); a value in another script
        never wins there, and ``best_form`` keeps to Latin letters.

        Example:
            >>> MergeRule.partner("LastNameLocal").to_dict()
            {'name': 'partner', 'column': 'LastNameLocal'}
        """
        return cls("partner", column=column)

    @classmethod
    def from_master(cls) -> MergeRule:
        """The master record's value (see :attr:`MergeStrategy.master`).

        Example:
            >>> MergeRule.from_master().name
            'from_master'
        """
        return cls("from_master")

    @classmethod
    def custom(cls, func: Picker) -> MergeRule:
        """A function ``(values, rows) -> index`` picks the winner among the candidates left.

        It is called once per cluster that is still undecided, with the candidate values (never
        empty ones) and their records as dicts, in input order; the rules after it in a chain
        are not needed. It runs in Python per cluster, so it is slower than the built-in rules.

        Example:
            >>> MergeRule.custom(lambda values, rows: 0).name
            'custom'
        """
        return cls("custom", func=func)


_RULE_KEYS_SAVED: Final = frozenset({"name", "column", "order", "kind", "region"})


def _chain(spec: object) -> tuple[MergeRule, ...]:
    """A rule, a rule name, a function, or a list of them → a tuple of rules."""
    items: object = [spec] if isinstance(spec, (str, MergeRule)) or callable(spec) else spec
    if not isinstance(items, (list, tuple)):
        raise TypeError("a merge rule must be a MergeRule, a rule name, a function or a list")
    out: list[MergeRule] = []
    for item in items:
        if isinstance(item, MergeRule):
            out.append(item)
        elif isinstance(item, str):
            if item == "custom":
                raise ConfigError("give a custom rule as the function itself, not as 'custom'")
            out.append(MergeRule(item))
        elif callable(item):
            out.append(MergeRule.custom(item))
        else:
            raise TypeError("a merge rule must be a MergeRule, a rule name or a function")
    return tuple(out)


def _rules_map(value: object) -> Mapping[str, tuple[MergeRule, ...]]:
    if not isinstance(value, Mapping):
        raise TypeError("merge rules must be a mapping of field name to rule(s)")
    out: dict[str, tuple[MergeRule, ...]] = {}
    for field, spec in value.items():
        if not isinstance(field, str):
            raise TypeError("merge rules must be keyed by field name (a str)")
        out[field] = _chain(spec)
    return MappingProxyType(out)


def _field_names(value: object) -> tuple[str, ...]:
    return _tuple_of_str(value, "multi_valued")


def _groups(value: object) -> tuple[tuple[str, ...], ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TypeError("groups must be a list of lists of field names")
    return tuple(_tuple_of_str(group, "a field group") for group in value)


def _kinds(value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise TypeError("kinds must be a mapping of field name to value kind")
    for field, kind in value.items():
        if not isinstance(field, str) or not isinstance(kind, str):
            raise TypeError("kinds must map field names to value kinds (str)")
        if kind not in VALUE_KINDS:
            raise ConfigError(f"unknown value kind {kind!r}; kinds are: {', '.join(VALUE_KINDS)}")
    return MappingProxyType(dict(value))


def _optional_str(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("a column name must be a str")
    return value


def _region(value: object) -> str | None:
    return phone_region(value)


def _role_default(role: str) -> fields.MergeDefault | None:
    """How merge treats a role by default, from the field registry."""
    spec = fields.role_spec(role)
    return None if spec is None else spec.merge


def _role_of_column(found: Mapping[str, str], column: str) -> str:
    return next(role for role, col in found.items() if col == column)


def _default_chain(
    names: Sequence[str], column: str, date_column: str | None
) -> tuple[MergeRule, ...]:
    """A registry rule chain as rules: ``recent`` is ``most_recent`` where the table has an
    updated-at column (left out where it has none); ``oldest:self`` / ``most_recent:self`` read
    the column itself."""
    chain: list[MergeRule] = []
    for name in names:
        if name in ("recent", "recent_value"):
            if date_column:
                chain.append(MergeRule("most_recent" if name == "recent" else "most_recent_value"))
        elif name == "oldest:self":
            chain.append(MergeRule.oldest(by=column))
        elif name == "most_recent:self":
            chain.append(MergeRule.most_recent(by=column))
        else:
            chain.append(MergeRule(name))
    return tuple(chain)


@attrs.frozen(unsafe_hash=False)  # a hash of its own below: the mappings are not hashable
class MergeStrategy:
    """How a cluster becomes a golden record: survivorship rules per field, and the master.

    A field's rules are a chain: each rule keeps the best candidates of the rule before it,
    and the first candidate in input order breaks any tie left. Empty values (None, NaN,
    blank text) never win over a value. Derive variants with :func:`attrs.evolve`.

    Attributes:
        rules: field → rule, rule name, function, or a list of them (a tie-break chain).
        default: the chain for fields not in ``rules`` (default: the master record's value).
        master: the chain that picks the master (surviving) record: ``most_complete``,
            ``most_recent``, ``oldest``, ``source_priority``, ``first_non_null`` or a function
            ``(ids, rows) -> index``.
        multi_valued: fields that keep every distinct value (``<field>_all`` in the golden
            table), the primary value (the winner of the field's rules) first.
        groups: fields that must come from one record, such as the parts of a postal address:
            the winner of the first field's rules, among the records holding any of the group,
            gives them all.
        kinds: field → value kind for ``valid_first`` and for telling equal values apart
            (emails compare case-insensitively, phones by their E.164 number).
        source_priority: source names, best first, for ``source_priority`` rules.
        source_column: the column naming each record's source system.
        date_column: the updated-at column ``most_recent`` reads.
        created_column: the created-at column ``oldest`` reads.
        date_format: a :func:`~datetime.datetime.strptime` format tried first on date text
            (ISO 8601, ``YYYY/MM/DD`` and ``DD.MM.YYYY`` are read without one).
        region: region of phone numbers written without a country code.

    Example:
        >>> s = MergeStrategy(rules={"title": [MergeRule.most_recent(), "from_master"]},
        ...                   date_column="updated_at", multi_valued=["email"])
        >>> [r.label for r in s.chain_for("title")], [r.label for r in s.chain_for("city")]
        (['most_recent', 'from_master'], ['from_master'])
    """

    rules: Mapping[str, tuple[MergeRule, ...]] = attrs.field(factory=dict, converter=_rules_map)
    default: tuple[MergeRule, ...] = attrs.field(default=("from_master",), converter=_chain)
    master: tuple[MergeRule, ...] = attrs.field(default=("most_complete",), converter=_chain)
    multi_valued: tuple[str, ...] = attrs.field(default=(), converter=_field_names)
    groups: tuple[tuple[str, ...], ...] = attrs.field(default=(), converter=_groups)
    kinds: Mapping[str, str] = attrs.field(factory=dict, converter=_kinds)
    source_priority: tuple[str, ...] = attrs.field(default=(), converter=_order)
    source_column: str | None = attrs.field(default=None, converter=_optional_str)
    date_column: str | None = attrs.field(default=None, converter=_optional_str)
    created_column: str | None = attrs.field(default=None, converter=_optional_str)
    date_format: str | None = attrs.field(default=None, converter=_optional_str)
    region: str | None = attrs.field(default=None, converter=_region)

    def __attrs_post_init__(self) -> None:
        for rule in self.master:
            if rule.name not in _MASTER_RULES:
                raise ConfigError(
                    f"rule {rule.name!r} cannot pick the master record; use one of: "
                    + ", ".join(sorted(_MASTER_RULES))
                )
        seen: set[str] = set()
        for group in self.groups:
            if not group:
                raise ConfigError("a field group must name at least one field")
            for field in group:
                if field in seen:
                    raise ConfigError(f"field {field!r} is in more than one group")
                seen.add(field)
        for field in self.multi_valued:
            if field in seen:
                raise ConfigError(f"field {field!r} cannot be both multi-valued and in a group")
        for group in self.groups:
            for field in group[1:]:
                if field in self.rules:
                    raise ConfigError(
                        f"field {field!r} takes its value with its group; give the rules to "
                        f"the group's first field {group[0]!r}"
                    )

    def __hash__(self) -> int:
        return hash(
            (
                frozenset(self.rules.items()), self.default, self.master, self.multi_valued,
                self.groups, frozenset(self.kinds.items()), self.source_priority,
                self.source_column, self.date_column, self.created_column, self.date_format,
                self.region,
            )
        )  # fmt: skip

    def chain_for(self, field: str) -> tuple[MergeRule, ...]:
        """The rule chain of a field: its own rules, or the default chain.

        Example:
            >>> [r.label for r in MergeStrategy().chain_for("email")]
            ['from_master']
        """
        return self.rules.get(field, self.default)

    def standard_form_rule(self, field: str) -> MergeRule | None:
        """The ``standardize`` rule of a field's chain (or of its group's chain: a group's first
        field leads it), which writes the golden value in standard form; ``None`` when the
        golden value stays as a record wrote it.

        Example:
            >>> s = MergeStrategy(rules={"Phone": ["most_recent", "standardize"]})
            >>> s.standard_form_rule("Phone").name, s.standard_form_rule("Email")
            ('standardize', None)
        """
        lead = {f: g[0] for g in self.groups for f in g}
        chain = self.chain_for(lead.get(field, field))
        return next((r for r in chain if r.name == "standardize"), None)

    def to_dict(self) -> dict[str, Any]:
        """The strategy as plain JSON-ready data (with a ``version`` key).

        Raises:
            ConfigError: a chain holds a custom rule (a Python function cannot be saved); the
                message names its field.

        Example:
            >>> s = MergeStrategy(rules={"title": "longest"}, date_column="updated_at")
            >>> s.to_dict()["rules"]
            {'title': [{'name': 'longest'}]}
        """
        return {
            "version": _STRATEGY_VERSION,
            "rules": {f: _saved_chain(chain, f"field {f!r}") for f, chain in self.rules.items()},
            "default": _saved_chain(self.default, "the default chain"),
            "master": _saved_chain(self.master, "the master chain"),
            "multi_valued": list(self.multi_valued),
            "groups": [list(group) for group in self.groups],
            "kinds": dict(self.kinds),
            "source_priority": list(self.source_priority),
            "source_column": self.source_column,
            "date_column": self.date_column,
            "created_column": self.created_column,
            "date_format": self.date_format,
            "region": self.region,
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The strategy as a JSON document (see :meth:`from_json`).

        Example:
            >>> '"master"' in MergeStrategy().to_json()
            True
        """
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MergeStrategy:
        """A strategy from :meth:`to_dict` data. Missing keys take their defaults; a rule
        may also be given by its name alone (``"longest"``).

        Raises:
            ConfigError: unknown keys, unknown rule names or kinds, a wrong version, or
                invalid values.

        Example:
            >>> s = MergeStrategy.default_for(["id", "email", "updated_at"])
            >>> MergeStrategy.from_dict(s.to_dict()) == s
            True
        """
        known = {f.name for f in attrs.fields(cls)}
        data = saved_fields(data, "merge strategy", known, version=_STRATEGY_VERSION)
        for key, where in (("default", "the default chain"), ("master", "the master chain")):
            if key in data:
                data[key] = _loaded_chain(data[key], where)
        if "rules" in data:
            rules = data["rules"]
            if not isinstance(rules, Mapping):
                raise ConfigError("the rules of a merge strategy must be a JSON object")
            data["rules"] = {f: _loaded_chain(spec, f"field {f!r}") for f, spec in rules.items()}
        return build(cls, data, "merge strategy")

    @classmethod
    def from_json(cls, text: str | bytes) -> MergeStrategy:
        """A strategy from a JSON document written by :meth:`to_json`.

        Raises:
            ConfigError: the text is not valid merge strategy JSON.

        Example:
            >>> MergeStrategy.from_json('{"master": ["longest"]}')
            Traceback (most recent call last):
            ...
            crmclean.errors.ConfigError: rule 'longest' cannot pick the master record; ...
        """
        return cls.from_dict(json_document(text, "merge strategy"))

    @classmethod
    def default_for(
        cls,
        columns: Sequence[str] | object,
        *,
        roles: Mapping[str, str] | None = None,
        source_priority: Sequence[str] = (),
        region: str | None = None,
    ) -> MergeStrategy:
        """Sensible contact-data rules for a table's columns, read off their headers.

        Column roles come from :func:`crmclean.columns.detect_roles` (``roles`` overrides
        them, role → column). Emails, phones, mobiles and full addresses are multi-valued, with
        a valid personal value as primary; names prefer valid, then fuller records, then longer
        spellings, and a name held in its own script and in Latin letters (two columns) takes
        the Latin spelling of the native name it keeps; job title and company take the most
        recent value; the parts of a postal
        address come from one record, the most recent; created-at keeps the oldest date and
        updated-at the latest; birth dates and national ids take the most frequent value. The
        golden names, emails, phones, job titles, companies and street lines come in standard
        form (``standardize``; streets and phones read in each record's own country); the
        lineage keeps the values as written. The master record is the one from the best source
        (when ``source_priority`` is given), then the most complete, then the oldest.

        Args:
            columns: the column names, or the table itself.
            roles: role → column, to name or correct detected roles.
            source_priority: source names, best first (used when a source column exists).
            region: region of phone numbers written without a country code.

        Example:
            >>> s = MergeStrategy.default_for(["Id", "First Name", "Email", "Phone",
            ...                                "Job Title", "Last Modified Date"])
            >>> s.multi_valued, s.date_column
            (('Email', 'Phone'), 'Last Modified Date')
            >>> [r.label for r in s.chain_for("Job Title")]
            ['valid_first', 'most_recent', 'from_master', 'standardize']
        """
        if isinstance(columns, (list, tuple)) and all(isinstance(c, str) for c in columns):
            names = list(columns)
        else:
            names = list(to_columns(columns)[0])
        found = detect_roles(names, overrides=roles)
        date = found.get("updated_at")
        created = found.get("created_at")
        source = found.get("source")
        rules: dict[str, tuple[MergeRule, ...]] = {}
        kinds: dict[str, str] = {}
        multi: list[str] = []
        groups: dict[str, list[tuple[int, str]]] = {}
        for role, column in found.items():
            default = _role_default(role)
            if default is None:
                continue
            if default.kind is not None:
                kinds[column] = default.kind
            if default.group is not None:
                groups.setdefault(default.group, []).append((default.group_rank, column))
                continue
            chain = _default_chain(default.rules, column, date)
            if chain:
                rules[column] = chain
            if default.multi_valued:
                multi.append(column)
        for native, latin in _SCRIPT_PAIRS:  # the Latin name follows the native one
            latin_rules = rules.get(found.get(latin, ""), ())
            if native in found and latin_rules:
                at = next((k + 1 for k, r in enumerate(latin_rules) if r.name == "consensus"), 0)
                rules[found[latin]] = (*latin_rules[:at], MergeRule.partner(found[native]),
                                       *latin_rules[at:])  # fmt: skip
        group_tuples: list[tuple[str, ...]] = []
        for members in groups.values():
            parts = tuple(column for _, column in sorted(members))
            first = _role_default(_role_of_column(found, parts[0]))
            assert first is not None
            rules[parts[0]] = _default_chain(first.rules, parts[0], date)
            if len(parts) > 1:
                group_tuples.append(parts)
        priority = tuple(source_priority)
        master_chain: list[MergeRule] = []
        if priority and source:
            master_chain.append(MergeRule.source_priority())
        master_chain.append(MergeRule.most_complete())
        if created:
            master_chain.append(MergeRule.oldest())
        return cls(
            rules=rules,
            master=tuple(master_chain),
            multi_valued=tuple(multi),
            groups=tuple(group_tuples),
            kinds=kinds,
            source_priority=priority,
            source_column=source,
            date_column=date,
            created_column=created,
            region=region,
        )


def _saved_chain(chain: tuple[MergeRule, ...], where: str) -> list[dict[str, Any]]:
    for rule in chain:
        if rule.name == "custom":
            raise ConfigError(
                f"the rules of {where} include a custom rule (a Python function), "
                "which cannot be saved"
            )
    return [rule.to_dict() for rule in chain]


def _loaded_chain(spec: object, where: str) -> tuple[MergeRule, ...]:
    """Saved rules (a list of rule dicts or names, or one of them) → a tuple of rules."""
    items = [spec] if isinstance(spec, (str, Mapping)) else spec
    if not isinstance(items, list):
        raise ConfigError(f"the rules of {where} must be a list of rules")
    out: list[MergeRule] = []
    for item in items:
        try:
            if isinstance(item, str):
                out.append(MergeRule.from_dict({"name": item}))
            elif isinstance(item, Mapping):
                out.append(MergeRule.from_dict(item))
            else:
                raise ConfigError("a saved merge rule must be a JSON object or a rule name")
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return tuple(out)


@attrs.frozen(eq=False)
class ReviewPolicy:
    """Clusters whose match scores fall below a threshold are held for review, not merged.

    Scores come either from a column of the clusters table (one score per record, such as the
    probability that joined it to its cluster, or one per cluster repeated on every row), or
    from a table of scored pairs: then a record's score is its best pair inside its cluster.
    A cluster's score is its weakest record's; a cluster of two or more records with a score
    below the threshold, or with a record that has no score, is held. Its records stay as they
    are, one golden row each, and are listed in :attr:`MergeResult.review`.

    Attributes:
        threshold: the lowest score merged without review.
        score_column: the clusters table's score column (when ``pairs`` is None).
        pairs: a table of scored pairs (pandas/polars/arrow/list of dicts), or None.
        left: the pairs table's first id column (default: ``<id_column>_l``).
        right: the pairs table's second id column (default: ``<id_column>_r``).
        probability: the pairs table's score column.

    Example:
        >>> ReviewPolicy(0.9).score_column
        'cluster_score'
    """

    threshold: float
    score_column: str = "cluster_score"
    pairs: object = None
    left: str | None = None
    right: str | None = None
    probability: str = "match_probability"

    def __attrs_post_init__(self) -> None:
        t = self.threshold
        if isinstance(t, bool) or not isinstance(t, (int, float)):
            raise TypeError("a review threshold must be a number")
        if not math.isfinite(t):
            raise ConfigError("a review threshold must be a finite number")
        for name in ("score_column", "probability"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a str")
        for name in ("left", "right"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a str")


@attrs.frozen(eq=False)
class _Restore:
    """What :func:`unmerge` needs: lineage and golden cells, untouched, and the table's shape."""

    kind: TableKind
    names: tuple[str, ...]
    id_column: str
    schema: object
    clusters: tuple[object, ...]
    golden: dict[str, ObjArray]
    golden_cluster: IntArray
    single: BoolArray
    merged_rows: IntArray
    merged_ids: ObjArray
    merged_cluster: IntArray
    lineage_cluster: IntArray
    lineage_row: IntArray
    lineage_field: IntArray
    lineage_value: ObjArray
    shape: TableShape


@attrs.frozen(eq=False, repr=False)
class MergeResult:
    """What :func:`merge` returns. Every table is of the kind the records came in.

    Attributes:
        golden: one row per merged cluster and one per record left unmerged (a cluster of one,
            or a cluster held for review), in input order of each group's first record.
            Columns: ``cluster_id``, the records' columns (the id column holds the master
            record's id), then ``<field>_all`` for each multi-valued field: the list of its
            distinct values, primary first.
        lineage: for every record of a merged cluster and every field, one row: ``cluster_id``,
            ``row`` (the record's 0-based input row), ``field``, ``value``, ``source_id``,
            ``status`` (see :data:`LINEAGE_STATUSES`) and ``rule`` (the rule that decided the
            field for the cluster: a rule label, ``only_value`` when one record had a value,
            ``empty`` when none had).
        plan: one row per merged cluster: ``cluster_id``, ``master_id``, ``merged_ids`` (the
            other ids, input order), ``master_rule``, then per field the golden value,
            ``<field>_source`` (the id of the record it came from, None when empty) and, for
            multi-valued fields, ``<field>_all``.
        conflicts: one row per merged cluster and single-valued field whose records disagree:
            ``cluster_id``, ``field``, ``value`` (the golden one), ``values`` (the distinct
            values, golden first).
        review: one row per record of a held cluster: ``cluster_id``, ``record_id``, ``row``,
            ``record_score``, ``cluster_score``. Empty without a :class:`ReviewPolicy`.
        counts: ``records``, ``clusters``, ``golden``, ``merged_clusters``,
            ``merged_records``, ``held_clusters``, ``conflicts``.
        explanations: one row per merged cluster and field whose records hold more than one
            value: ``cluster_id``, ``field``, ``value`` (the golden one), ``source_id``,
            ``rule`` (the rule that picked it) and ``beaten`` (the other values, input order).

    Example:
        >>> rows = [{"id": 1, "email": "a@x.org"}, {"id": 2, "email": "A@x.org"}]
        >>> merge(rows, {1: "c", 2: "c"}, id_column="id").counts["golden"]
        1
    """

    golden: Any
    lineage: Any
    plan: Any
    conflicts: Any
    review: Any
    counts: Mapping[str, int]
    _restore: _Restore
    _explain: Callable[[], Any] | None = None
    _made: dict[str, Any] = attrs.field(factory=dict)

    @property
    def explanations(self) -> Any:
        """The explanations table (see the class docstring), built on first use."""
        if "explanations" not in self._made:
            self._made["explanations"] = self._explain() if self._explain is not None else None
        return self._made["explanations"]

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v}" for k, v in self.counts.items())
        return f"MergeResult({inner})"


# --- values ----------------------------------------------------------------------------------


def _objects(values: Sequence[Any]) -> ObjArray:
    """A 1-D object array of the cells, whatever they hold (lists stay single cells)."""
    return np.fromiter(values, dtype=object, count=len(values))


def _has_value(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value) and not value.isspace()
    if isinstance(value, float):
        return value == value
    return not is_null(value)


def _light_key(value: object) -> object:
    """The value as compared for equality: text ignoring case and runs of spaces."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _score(value: object) -> float:
    if isinstance(value, bool) or value is None:
        return math.nan
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else math.nan
    return math.nan


# --- input checks ------------------------------------------------------------------------------


def _review_policy(review: object) -> ReviewPolicy | None:
    if review is None or isinstance(review, ReviewPolicy):
        return review
    if isinstance(review, (int, float)) and not isinstance(review, bool):
        return ReviewPolicy(float(review))
    raise TypeError("review must be a ReviewPolicy, a threshold number or None")


def _missing_column(column: str, where: str, names: Sequence[str]) -> ColumnError:
    return ColumnError(
        f"column {column!r} ({where}) is not in the records; columns are: "
        + ", ".join(repr(n) for n in names)
    )


def _check_strategy(
    strategy: MergeStrategy, names: list[str], fields: list[str], id_column: str
) -> None:
    present = set(names)
    for field in strategy.rules:
        if field in _AFFIX_ROLES and field not in present:
            continue  # a field of the golden record when the names hold prefixes or suffixes
        if field == id_column:
            raise ConfigError("the id column is not a field: it cannot have merge rules")
        if field not in present:
            raise _missing_column(field, "merge rules", names)
    for field in (*strategy.multi_valued, *(f for g in strategy.groups for f in g)):
        if field == id_column:
            raise ConfigError("the id column is not a field: it cannot be multi-valued or grouped")
        if field not in present:
            raise _missing_column(field, "multi-valued or grouped field", names)
    for field in strategy.kinds:
        if field not in present:
            raise _missing_column(field, "kinds", names)
    for attr in ("source_column", "date_column", "created_column"):
        column = getattr(strategy, attr)
        if column is not None and column not in present:
            raise _missing_column(column, attr, names)
    grouped = {f: g for g in strategy.groups for f in g}
    chains = [("the master", strategy.master)]
    chains += [
        (repr(f), strategy.chain_for(f)) for f in fields if f not in grouped or grouped[f][0] == f
    ]
    chains += [(repr(f), strategy.rules[f]) for f in _AFFIX_ROLES
               if f in strategy.rules and f not in present]  # fmt: skip
    for where, chain in chains:
        for rule in chain:
            _check_rule(rule, where, strategy, names)
    if _CLUSTER in present:
        raise ConfigError(
            "the records have a column named 'cluster_id', which the golden table uses; "
            "drop or rename it (the clusters go in the clusters argument)"
        )
    clash = sorted(
        {f + _ALL for f in strategy.multi_valued} & present
        | {f + _SOURCE for f in fields} & present
        | set(_PLAN_FIXED) & present
    )
    if clash:
        raise ConfigError(
            "the records have columns whose names the golden table or the plan uses: "
            + ", ".join(repr(c) for c in clash)
            + "; rename them"
        )


def _check_rule(rule: MergeRule, where: str, strategy: MergeStrategy, names: list[str]) -> None:
    if rule.name in ("most_recent", "most_recent_value"):
        column = rule.column or strategy.date_column
        if column is None:
            raise ConfigError(
                f"rule {rule.name!r} for {where} needs a date column: "
                "MergeRule.most_recent(by=...) or MergeStrategy(date_column=...)"
            )
    elif rule.name == "oldest":
        column = rule.column or strategy.created_column
        if column is None:
            raise ConfigError(
                f"rule 'oldest' for {where} needs a date column: "
                "MergeRule.oldest(by=...) or MergeStrategy(created_column=...)"
            )
    elif rule.name == "partner":
        column = rule.column
        if column is None:
            raise ConfigError(f"rule 'partner' for {where} needs the column of the native name: "
                              "MergeRule.partner(column)")  # fmt: skip
    elif rule.name == "source_priority":
        column = rule.column or strategy.source_column
        if column is None or not (rule.order or strategy.source_priority):
            raise ConfigError(
                f"rule 'source_priority' for {where} needs a source column and an order: "
                "MergeRule.source_priority(order=..., column=...) or "
                "MergeStrategy(source_priority=..., source_column=...)"
            )
    else:
        return
    if column not in names:
        raise _missing_column(column, f"rule {rule.name!r}", names)


def _id_rows(ids: list[object], id_column: str) -> dict[object, int]:
    try:
        row_of = dict(zip(ids, range(len(ids)), strict=True))
    except TypeError:
        raise ConfigError(f"the id column {id_column!r} holds unhashable values") from None
    if len(row_of) != len(ids):
        raise ConfigError(
            f"the id column {id_column!r} holds {len(ids) - len(row_of)} duplicate id(s); "
            "every record needs its own id"
        )
    if set(map(type, row_of)) <= {str, int}:  # the usual ids: text can be blank
        nulls = sum(1 for v in row_of if type(v) is str and (not v or v.isspace()))
    else:
        nulls = sum(1 for v in row_of if not _filled_cell(v))
    if nulls:
        raise ConfigError(f"the id column {id_column!r} has {nulls} empty id(s)")
    return row_of


def _cluster_codes(cluster_of: list[object]) -> tuple[IntArray, tuple[object, ...]]:
    """A code per record (its cluster's, numbered in order of first appearance) and the
    cluster id of each code."""
    types = set(map(type, cluster_of))
    pandas = _pandas() if len(cluster_of) >= _PANDAS_FROM else None
    if pandas is not None and (types == {int} or types == {str}):  # hashed as a dict would
        codes, uniques = pandas.factorize(_objects(cluster_of))
        return codes.astype(np.int64, copy=False), tuple(uniques.tolist())
    try:
        table = {c: k for k, c in enumerate(dict.fromkeys(cluster_of))}
    except TypeError:
        raise ConfigError("cluster ids must be hashable (str, int, ...)") from None
    codes = np.fromiter(map(table.__getitem__, cluster_of), dtype=np.int64,
                        count=len(cluster_of))  # fmt: skip
    return codes, tuple(table)


def _is_table_mapping(clusters: Mapping[Any, Any], id_column: str) -> bool:
    """A dict of columns (the id column → list of ids, ...) rather than id → cluster id."""
    column = clusters.get(id_column) if isinstance(id_column, str) else None
    return isinstance(column, (list, tuple, np.ndarray))


def _read_clusters(
    clusters: object,
    id_column: str,
    row_of: dict[object, int],
    policy: ReviewPolicy | None,
    ids: list[object],
) -> tuple[list[object], FloatArray | None]:
    """The cluster id of every record (by row), and the clusters table's scores if asked."""
    n = len(row_of)
    score_values: list[Any] | None = None
    if isinstance(clusters, Mapping) and not _is_table_mapping(clusters, id_column):
        pairs = list(clusters.items())
        in_order = _same_ids(list(clusters), ids)
        if policy is not None and policy.pairs is None:
            raise ConfigError(
                "review scores need a clusters table with a score column (or a pairs table), "
                "not a mapping"
            )
    else:
        table, _ = to_columns(clusters)
        for column in (id_column, _CLUSTER):
            if column not in table:
                raise ColumnError(
                    f"the clusters table has no column {column!r}; it needs the id column "
                    "and 'cluster_id'"
                )
        pairs = list(zip(table[id_column], table[_CLUSTER], strict=True))
        in_order = _same_ids(table[id_column], ids)
        if policy is not None and policy.pairs is None:
            if policy.score_column not in table:
                raise ColumnError(
                    f"the clusters table has no score column {policy.score_column!r}"
                )
            score_values = table[policy.score_column]
    if in_order:  # the clusters list the records in their order: row i is record i
        at = np.arange(n, dtype=np.int64)
        cluster_of = [cluster for _, cluster in pairs]
    else:
        at = _cluster_rows(pairs, row_of)
        cluster_of = [None] * n
        for row, (_, cluster) in zip(at.tolist(), pairs, strict=True):
            cluster_of[row] = cluster
    if set(map(type, cluster_of)) <= {int}:
        empty = 0
    else:
        try:
            clusters_seen: Sequence[object] = list(dict.fromkeys(cluster_of))
        except TypeError:  # unhashable cluster ids: refused later
            clusters_seen = cluster_of
        empty = sum(1 for c in clusters_seen if not _filled_cell(c))
    if empty:
        empty = sum(1 for c in cluster_of if not _filled_cell(c))
        raise ConfigError(f"{empty} record(s) have an empty cluster id")
    scores = None
    if score_values is not None:
        scores = np.full(n, np.nan)
        scores[at] = [_score(v) for v in score_values]
    return cluster_of, scores


def _same_ids(listed: Sequence[object], ids: list[object]) -> bool:
    """The clusters name the records' ids, in the records' order."""
    if len(listed) != len(ids):
        return False
    try:
        return bool(list(listed) == ids)
    except (TypeError, ValueError):
        return False


def _cluster_rows(pairs: list[tuple[object, object]], row_of: dict[object, int]) -> IntArray:
    """The input row of each (record id, cluster id) pair; every record exactly once."""
    n = len(row_of)
    try:
        rows = list(map(row_of.get, (record_id for record_id, _ in pairs)))
    except TypeError:  # an unhashable id: one by one
        rows = [row_of.get(i) if _hashable(i) else None for i, _ in pairs]
    unknown = rows.count(None)
    if unknown:
        raise ConfigError(f"the clusters name {unknown} id(s) that are not in the records")
    at = np.fromiter(rows, dtype=np.int64, count=len(rows))
    seen = np.bincount(at, minlength=n) if len(at) else np.zeros(n, dtype=np.int64)
    repeated = int(np.maximum(seen - 1, 0).sum())
    if repeated:
        raise ConfigError(f"the clusters list {repeated} id(s) more than once")
    missing = int(np.count_nonzero(seen == 0))
    if missing:
        raise ConfigError(f"{missing} record(s) have no cluster; every record needs one")
    return at


def _pair_scores(
    policy: ReviewPolicy, id_column: str, row_of: dict[object, int], codes: IntArray
) -> FloatArray:
    """Each record's best pair score inside its own cluster (NaN: no such pair)."""
    table, _ = to_columns(policy.pairs)
    left = policy.left or f"{id_column}_l"
    right = policy.right or f"{id_column}_r"
    for column in (left, right, policy.probability):
        if column not in table:
            raise ColumnError(f"the pairs table has no column {column!r}")
    best = np.full(len(codes), -np.inf)
    unknown = 0
    for a, b, p in zip(table[left], table[right], table[policy.probability], strict=True):
        try:
            i, j = row_of.get(a), row_of.get(b)
        except TypeError:
            i = j = None
        if i is None or j is None:
            unknown += 1
            continue
        score = _score(p)
        if codes[i] != codes[j] or math.isnan(score):
            continue
        best[i] = max(best[i], score)
        best[j] = max(best[j], score)
    if unknown:
        raise ConfigError(f"the pairs table names {unknown} pair(s) with ids not in the records")
    best[np.isneginf(best)] = np.nan
    return best


# --- the records of merged clusters, as rules read them -------------------------------------------


def _unique(values: IntArray) -> IntArray:
    """The distinct integers, sorted: ``np.unique`` by a sort (numpy 2's hash table is many
    times slower on a large array of many distinct values)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def _first_seen(values: IntArray) -> IntArray:
    """The distinct integers, in order of first appearance."""
    if len(values) < 2:
        return values
    distinct, first = np.unique(values, return_index=True)
    return distinct[np.argsort(first)]


def _seg_sum(mask: BoolArray, starts: IntArray) -> IntArray:
    return np.add.reduceat(mask.astype(np.int64), starts)


def _filled_cell(value: object) -> bool:
    """A cell holds a value (see :func:`_has_value`), with text checked first."""
    return (value != "" and not value.isspace()) if type(value) is str else _has_value(value)


@attrs.frozen(eq=False)
class _Distinct:
    """A column's cells as codes of its distinct values, so that per-value work (is it empty,
    its light key, a normalizer's result) is done once per distinct value, not once per cell
    (see :func:`_factorize` for when two cells hold one value)."""

    codes: IntArray  # per cell: the index of its value in ``values``; -1: an empty cell
    values: list[Any]  # the distinct non-empty values, in order of first appearance


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


_TEXT_OR_NONE: Final = frozenset({str, type(None)})
#: Columns of at least this many cells are factorized by pandas when it is installed (its hash
#: table is a few times faster than a dict; smaller ones do not pay for importing it).
_PANDAS_FROM: Final = 50_000


def _factorize(cells: Sequence[Any] | ObjArray) -> tuple[IntArray, list[Any]]:
    """Codes of cells (indexes into their distinct values, in order of first appearance) and
    the distinct values. Text is compared as it is; other values with their type (``1`` and
    ``1.0`` are different cells) and an unhashable one (a list) by its type and text."""
    if set(map(type, cells)) <= _TEXT_OR_NONE:
        pandas = _pandas() if len(cells) >= _PANDAS_FROM else None
        if pandas is not None:
            array = cells if isinstance(cells, np.ndarray) else _objects(cells)
            codes, uniques = pandas.factorize(array)
            distinct = uniques.tolist()
            if (codes < 0).any():
                codes = np.where(codes < 0, len(distinct), codes)  # None, after the rest
                distinct.append(None)
            return codes.astype(np.int64, copy=False), distinct
    items = cells.tolist() if isinstance(cells, np.ndarray) else list(cells)
    if set(map(type, items)) <= _TEXT_OR_NONE:
        keys: list[Any] = items
    else:
        keys = [v if type(v) is str else (type(v), v) if _hashable(v) else (type(v), repr(v))
                for v in items]  # fmt: skip
    first: dict[Any, Any] = {}
    if keys is items:
        first = dict.fromkeys(items)
        distinct = list(first)
    else:
        for key, value in zip(keys, items, strict=True):
            first.setdefault(key, value)
        distinct = list(first.values())
    code_of = {key: i for i, key in enumerate(first)}
    codes = np.fromiter(map(code_of.__getitem__, keys), dtype=np.int64, count=len(keys))
    return codes, distinct


def _filled_flags(values: list[Any]) -> BoolArray:
    """:func:`_filled_cell` of each value (plain text a whole list at a time; an empty cell
    last, as :func:`_factorize` puts it)."""
    n = len(values)
    text = values[:-1] if n and values[-1] is None else values
    if set(map(type, text)) != {str}:
        return np.fromiter(map(_filled_cell, values), dtype=bool, count=n)
    k = len(text)
    flags = np.fromiter(map(bool, text), dtype=bool, count=k)
    flags &= ~np.fromiter(map(str.isspace, text), dtype=bool, count=k)
    return flags if k == n else np.append(flags, False)


@functools.cache
def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def _column(cache: dict[str, _Distinct], arrays: Mapping[str, ObjArray], name: str) -> _Distinct:
    """The distinct values of a column of the records, worked out once per merge."""
    found = cache.get(name)
    if found is None:
        found = cache[name] = _distinct(arrays[name])
    return found


def _distinct(cells: ObjArray) -> _Distinct:
    """:class:`_Distinct` of a column."""
    codes, distinct = _factorize(cells)
    filled = _filled_flags(distinct)
    if filled.all():
        return _Distinct(codes, distinct)
    values = list(itertools.compress(distinct, filled.tolist()))
    new_code = np.cumsum(filled, dtype=np.int64) - 1
    new_code[~filled] = -1
    codes = new_code[codes] if len(new_code) else codes
    return _Distinct(codes, values)


class _Context:
    """The records of merged clusters (the *active* records), grouped by cluster, as rules
    read them. Per-field data is computed once, on first use, and shared with the copy
    :meth:`with_master` makes."""

    def __init__(
        self,
        columns: ColumnBatch,
        arrays: Mapping[str, ObjArray],
        fields: Sequence[str],
        strategy: MergeStrategy,
        act: IntArray,
        seg: IntArray,
        starts: IntArray,
        distinct: dict[str, _Distinct] | None = None,
    ) -> None:
        self.columns = columns
        self.names = list(columns)
        self.arrays = arrays
        self.fields = list(fields)
        self.strategy = strategy
        self.act = act  # input row of each active record, grouped by cluster
        self.seg = seg  # merged cluster (0..n_segs-1) of each active record
        self.starts = starts  # first active record of each merged cluster
        self.size = len(act)
        self.n_segs = len(starts)
        self.position = np.arange(self.size, dtype=np.int64)
        #: the active index of each merged cluster's master record (None: not picked yet)
        self.master: IntArray | None = None
        self._values: dict[str, ObjArray] = {}
        self._distinct: dict[str, _Distinct] = {} if distinct is None else distinct
        self._keys: dict[str, IntArray] = {}
        self._filled: dict[str, BoolArray] = {}
        self._stamps: dict[str, FloatArray] = {}
        self._parsed: dict[tuple[str, str | None], dict[Any, Any]] = {}
        self._once: dict[str, Any] = {}

    def with_master(self, master: IntArray) -> _Context:
        """The same records (and computed data), with each cluster's master record."""
        out = copy.copy(self)  # shares the caches
        out.master = master
        return out

    # per-field data over the active records, computed once
    def values(self, column: str) -> ObjArray:
        if column not in self._values:
            self._values[column] = self.arrays[column][self.act]
        return self._values[column]

    def column(self, column: str) -> _Distinct:
        """The distinct values of a column over all records (see :class:`_Distinct`)."""
        return _column(self._distinct, self.arrays, column)

    def filled(self, field: str) -> BoolArray:
        if field not in self._filled:
            self._filled[field] = self.exact_keys(field) >= 0
        return self._filled[field]

    def keys(self, field: str) -> IntArray:
        """Equality codes of the field's values (-1: empty), ignoring case and spacing. Codes
        are compared within a cluster only: the values of clusters holding more than one
        value get codes of their light keys, the others keep their value's code."""
        if field not in self._keys:
            exact = self.exact_keys(field)
            filled = exact >= 0
            varied = filled & (self.distinct(exact, filled) > 1)[self.seg]
            keys = exact.copy()
            if varied.any():
                wanted, inverse = np.unique(exact[varied], return_inverse=True)
                values = self.column(field).values
                light, _ = _codes_of([
                    " ".join(v.split()).casefold() if type(v) is str else _light_key(v)
                    for v in (values[c] for c in wanted.tolist())
                ])  # fmt: skip
                keys[varied] = len(values) + light[inverse.reshape(-1)]
            self._keys[field] = keys
        return self._keys[field]

    def parsed(self, kind: ValueKind, region: str | None, value: object) -> Any:
        """The normalizer result of a value, computed once per distinct value (per
        :attr:`ValueKind.cache_key`)."""
        try:
            key = value if kind.cache_key is None else kind.cache_key(value)
            return self._parsed[kind.name, region][key]
        except (KeyError, TypeError):
            return self.parsed_many(kind, region, [value])[0]

    def exact_keys(self, field: str) -> IntArray:
        """Codes of the field's values as they are (-1: empty): indexes of
        ``column(field).values``."""
        name = "\x00exact:" + field
        if name not in self._keys:
            self._keys[name] = self.column(field).codes[self.act]
        return self._keys[name]

    def parsed_many(self, kind: ValueKind, region: str | None, values: Sequence[Any]) -> list[Any]:
        """The normalizer results of values, each distinct value read once per merge (phones
        and emails a whole batch at a time, see :func:`_parse_batch`)."""
        cache = self._parsed.setdefault((kind.name, region), {})
        try:
            distinct = list(dict.fromkeys(values))
        except TypeError:  # an unhashable cell (a list): no caching
            return [kind.normalize(v, region) if not _hashable(v) else
                    self.parsed_many(kind, region, [v])[0] for v in values]  # fmt: skip
        keys = distinct if kind.cache_key is None else self._cache_keys(kind, distinct)
        # the first value of each key not read yet (reversed: the first one is kept)
        new = {k: v for k, v in zip(keys[::-1], distinct[::-1], strict=True) if k not in cache}
        if new:
            cache.update(zip(new, _parse_batch(kind, region, list(new.values())), strict=True))
        if len(distinct) == len(values):
            return [cache[k] for k in keys]
        found = {v: cache[k] for v, k in zip(distinct, keys, strict=True)}
        return [found[v] for v in values]

    def _cache_keys(self, kind: ValueKind, values: list[Any]) -> list[Any]:
        """:attr:`ValueKind.cache_key` of distinct values, each worked out once per merge."""
        assert kind.cache_key is not None
        known: dict[Any, Any] = self.cache("key:" + kind.name)
        todo = [v for v in values if v not in known]
        if kind.cache_key is _phone_cache_key:
            known.update(zip(todo, _phone_cache_keys(todo), strict=True))
        else:
            known.update(zip(todo, map(kind.cache_key, todo), strict=True))
        return [known[v] for v in values]

    def text_only(self, column: str) -> bool:
        """The column's values are all text (``str``), so that equal codes mean equal values
        in every respect."""
        found = self._once.get("text:" + column)
        if found is None:
            found = self._once["text:" + column] = set(map(type, self.column(column).values)) <= {
                str}  # fmt: skip
        return bool(found)

    def distinct_codes(self, column: str, idx: IntArray) -> tuple[IntArray | None, IntArray]:
        """The codes of the distinct values among the active records ``idx`` of a text
        column, and the index of each record's value among them; None for a column of other
        values (or an empty cell among them), whose cells are read each on its own."""
        cells = self.exact_keys(column)[idx]
        if not self.text_only(column) or (cells < 0).any():
            return None, np.arange(len(idx), dtype=np.int64)
        codes, inverse = np.unique(cells, return_inverse=True)
        return codes, inverse.reshape(-1)

    def distinct_values(self, column: str, idx: IntArray) -> tuple[list[Any], IntArray]:
        """The values :meth:`distinct_codes` finds, and the index of each record's value."""
        codes, inverse = self.distinct_codes(column, idx)
        if codes is None:
            return self.values(column)[idx].tolist(), inverse
        found = self.column(column).values
        return [found[c] for c in codes.tolist()], inverse

    def _by_code(self, name: str, column: str) -> tuple[ObjArray, BoolArray]:
        """A table of something read off each distinct value of a column (by code), and
        which of its entries are worked out."""
        found = self._once.get(name)
        if found is None:
            n = len(self.column(column).values)
            found = self._once[name] = (np.empty(n, dtype=object), np.zeros(n, dtype=bool))
        return found

    def results(
        self, column: str, kind: ValueKind, region: str | None, codes: IntArray
    ) -> ObjArray:  # fmt: skip
        """:meth:`parsed_many` of a column's values given as codes (none empty): each
        distinct value's result is looked up once per merge, then found by its code. The
        values not read yet go to :meth:`parsed_many` in the order of the codes (which of the
        values sharing a :attr:`ValueKind.cache_key` is read depends on it)."""
        table, done = self._by_code(f"results:{column}:{kind.name}:{region}", column)
        todo = _first_seen(codes[~done[codes]])
        if len(todo):
            values = self.column(column).values
            table[todo] = _objects(self.parsed_many(kind, region,
                                                    [values[c] for c in todo.tolist()]))
            done[todo] = True
        return table[codes]

    def known_results(
        self, column: str, kind: ValueKind, region: str | None, codes: IntArray
    ) -> tuple[ObjArray, BoolArray]:  # fmt: skip
        """The results :meth:`results` has found so far for these codes, and which it has."""
        table, done = self._by_code(f"results:{column}:{kind.name}:{region}", column)
        return table[codes], done[codes]

    def forms_of(self, column: str, kind: str, region: str | None, codes: IntArray) -> ObjArray:
        """:func:`_forms` of a column's values given as codes (none empty), each distinct
        value's form key worked out once per merge (in the order of the codes), then found by
        its code."""
        table, done = self._by_code(f"forms:{column}:{kind}:{region}", column)
        todo = _first_seen(codes[~done[codes]])
        if len(todo):
            values = self.column(column).values
            cells = [values[c] for c in todo.tolist()]
            parse = _FORM_PARSE.get(kind)
            if kind == "given":
                names = self.forms_of(column, "name", region, todo).tolist()
                given: dict[str, str] = self.cache("form:given")
                for key in set(names) - given.keys():
                    given[key] = canonical_given_name(key)
                keys = [given[k] for k in names]
            elif parse is not None:
                found = self.results(column, VALUE_KINDS[parse], region, todo).tolist()
                keys = list(map(functools.partial(_form_key_of, kind), cells, found))
            else:
                keys = _forms(self, kind, region, cells)
            table[todo] = _objects(keys)
            done[todo] = True
        return table[codes]

    def by_value(
        self, column: str, mask: BoolArray, compute: Callable[[list[Any]], Sequence[float]],
        fill: float = 0.0,
    ) -> FloatArray:  # fmt: skip
        """A number per active record in ``mask`` (``fill`` elsewhere), worked out once per
        distinct value of the column: ``compute`` gets the distinct values and gives their
        numbers."""
        out = np.full(self.size, fill, dtype=np.float64)
        idx = np.flatnonzero(mask)
        if not len(idx):
            return out
        wanted, inverse = np.unique(self.exact_keys(column)[idx], return_inverse=True)
        values = self.column(column).values
        found = np.asarray(compute([values[c] for c in wanted.tolist()]), dtype=np.float64)
        out[idx] = found[inverse.reshape(-1)]
        return out

    def cache(self, name: str) -> dict[Any, Any]:
        """A dict shared by every use of the merge's records (and the copy with the master)."""
        found: dict[Any, Any] = self._once.setdefault("cache:" + name, {})
        return found

    def role_of(self, field: str) -> str:
        """The column role of a field, read off its header ("" for none)."""
        roles = self._once.get("roles")
        if roles is None:
            roles = self._once["roles"] = {
                col: role for role, col in detect_roles(self.names).items()
            }
        return str(roles.get(field, ""))

    def column_of(self, role: str) -> str | None:
        """The field holding a column role, if any."""
        self.role_of("")
        return next((c for c, r in self._once["roles"].items() if r == role), None)

    def kind_of(self, field: str) -> ValueKind:
        """The field's value kind: the strategy's, else its column role's, else text."""
        if field in self.strategy.kinds:
            return VALUE_KINDS[self.strategy.kinds[field]]
        default = _role_default(self.role_of(field))
        kind = default.kind if default is not None and default.kind is not None else "text"
        return VALUE_KINDS[kind]

    def completeness(self) -> FloatArray:
        """How many fields each active record fills."""
        total = self._once.get("completeness")
        if total is None:
            total = np.zeros(self.size, dtype=np.float64)
            for field in self.fields:
                total += self.filled(field)
            self._once["completeness"] = total
        return total

    def stamps(self, column: str) -> FloatArray:
        if column not in self._stamps:
            fmt = self.strategy.date_format
            self._stamps[column] = self.by_value(
                column, self.filled(column), lambda vs: [_timestamp(v, fmt) for v in vs], math.nan
            )
        return self._stamps[column]

    # distinct values per cluster
    def pair_codes(self, codes: IntArray, mask: BoolArray) -> tuple[IntArray, IntArray]:
        idx = np.flatnonzero(mask)
        width = int(codes.max()) + 2 if len(codes) else 1
        return idx, self.seg[idx] * width + codes[idx]

    def distinct(self, codes: IntArray, mask: BoolArray) -> IntArray:
        """How many distinct codes each cluster holds among the masked records."""
        _, pairs = self.pair_codes(codes, mask)
        unique = _unique(pairs)
        width = int(codes.max()) + 2 if len(codes) else 1
        return np.bincount(unique // width, minlength=self.n_segs).astype(np.int64)

    def first_seen(self, codes: IntArray, mask: BoolArray) -> BoolArray:
        """Records holding the first occurrence (input order) of their code in their cluster."""
        idx, pairs = self.pair_codes(codes, mask)
        _, first = np.unique(pairs, return_index=True)
        out = np.zeros(self.size, dtype=bool)
        out[idx[first]] = True
        return out


# --- survivorship rules: a number per active record, higher is better ---------------------------

#: A rule's key: ``(context, rule, field, need) -> key``, one number per active record (higher
#: is better); only the records in ``need`` count. ``field`` is None when picking the master.
_RuleKey = Callable[[_Context, MergeRule, str | None, BoolArray], FloatArray]


def _key_most_complete(
    ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray
) -> FloatArray:
    return ctx.completeness()


def _date_key(ctx: _Context, column: str | None, sign: float) -> FloatArray:
    assert column is not None  # checked up front
    key = ctx.stamps(column) * sign
    return np.where(np.isnan(key), -np.inf, key)


def _key_most_recent(
    ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray
) -> FloatArray:
    return _date_key(ctx, rule.column or ctx.strategy.date_column, 1.0)


def _key_most_recent_value(
    ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray
) -> FloatArray:
    """The latest date of any record holding the same value (ignoring case and spacing), so
    that recency decides between different values and never between copies of one."""
    assert field is not None
    dates = _date_key(ctx, rule.column or ctx.strategy.date_column, 1.0)
    filled = need & ctx.filled(field)
    codes = ctx.keys(field)
    several = filled & (ctx.distinct(codes, filled) > 1)[ctx.seg]
    if several.any():  # forms of one value (a nickname, an accent) are one value
        at = np.flatnonzero(several)
        forms, inverse = _distinct_forms(ctx, field, _form_kind(ctx, rule, field),
                                         rule.region or ctx.strategy.region, at)  # fmt: skip
        codes = codes.copy()
        offset = int(codes.max()) + 1
        codes[at] = offset + _codes_of(forms)[0][inverse]
    idx, pairs = ctx.pair_codes(codes, filled)
    if not len(idx):
        return dates
    _, inverse = np.unique(pairs, return_inverse=True)
    latest = np.full(int(inverse.max()) + 1, -np.inf)
    np.maximum.at(latest, inverse, dates[idx])
    out: FloatArray = dates.copy()
    out[idx] = latest[inverse]
    return out


def _key_oldest(ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray) -> FloatArray:
    return _date_key(ctx, rule.column or ctx.strategy.created_column, -1.0)


def _key_source_priority(
    ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray
) -> FloatArray:
    column = rule.column or ctx.strategy.source_column
    assert column is not None  # checked up front
    order = rule.order or ctx.strategy.source_priority
    rank = {_light_key(s): i for i, s in reversed(list(enumerate(order)))}
    worst = len(order)
    ranks = ctx.by_value(
        column, ctx.filled(column), lambda vs: [rank.get(_light_key(v), worst) for v in vs], worst
    )
    return ranks * -1.0


def _key_first_non_null(
    ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray
) -> FloatArray:
    return ctx.position.astype(np.float64) * -1.0


def _key_from_master(
    ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray
) -> FloatArray:
    assert ctx.master is not None  # the master is picked first
    is_master: BoolArray = ctx.position == ctx.master[ctx.seg]
    return is_master.astype(np.float64)


def _key_longest(ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray) -> FloatArray:
    assert field is not None
    return ctx.by_value(field, need & ctx.filled(field), lambda vs: [
        len(v.strip()) if isinstance(v, str) else len(str(v)) for v in vs])  # fmt: skip


def _key_most_frequent(
    ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray
) -> FloatArray:
    assert field is not None
    out = np.zeros(ctx.size, dtype=np.float64)
    idx, pairs = ctx.pair_codes(ctx.keys(field), ctx.filled(field))
    _, inverse, counts = np.unique(pairs, return_inverse=True, return_counts=True)
    out[idx] = counts[inverse]
    return out


def _key_valid_first(
    ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray
) -> FloatArray:
    assert field is not None
    need = need & ctx.filled(field)  # a group's candidates may lack the lead field
    # only clusters whose candidates differ need the normalizer
    need = need & (ctx.distinct(ctx.exact_keys(field), need) > 1)[ctx.seg]
    kind = VALUE_KINDS[rule.kind] if rule.kind is not None else ctx.kind_of(field)
    region = rule.region or ctx.strategy.region
    idx = np.flatnonzero(need)
    codes, inverse = ctx.distinct_codes(field, idx)
    if codes is None:
        return ctx.by_value(field, need, lambda vs: [
            kind.grade(r) for r in ctx.parsed_many(kind, region, vs)])  # fmt: skip
    out = np.zeros(ctx.size, dtype=np.float64)
    grades = np.fromiter(map(kind.grade, ctx.results(field, kind, region, codes)),
                         dtype=np.float64, count=len(codes))  # fmt: skip
    out[idx] = grades[inverse]
    return out


# --- consensus and quality: values read as forms of one value -----------------------------------

#: The kind of form each column role's values are read as by ``consensus`` and ``best_form``.
_FORM_OF_ROLE: Final = MappingProxyType({
    "first_name": "given", "middle_name": "given", "last_name": "name", "full_name": "full_name",
    "first_name_local": "given", "first_name_latin": "given", "last_name_local": "name",
    "last_name_latin": "name",
    "email": "email", "phone": "phone", "mobile": "phone", "title": "title",
    "company": "company", "street": "address", "address": "address",
})  # fmt: skip
#: A variant this many edits (or fewer) from a better-supported value is a variant of it:
#: one edit for values of up to five characters, two for longer ones.
_SHORT_VALUE: Final = 5
#: A street line shorter than this share of the longest related line is a fragment of it.
_FRAGMENT_SHARE: Final = 0.6
_TURKISH_LETTERS: Final = frozenset("İıŞşĞğ")
_NON_LETTERS: Final = re.compile(r"[^a-z]+")
_NON_CONSONANTS: Final = re.compile(r"[^bcdfghklmnpqrstvwxz]+")
_DOUBLED_MARK: Final = re.compile(r"([^\w\s.])\1")
_NAME_KINDS: Final = frozenset({"name", "given", "full_name"})
_NAME_ROLES: Final = ("first_name", "middle_name", "last_name", "full_name", "first_name_local",
                      "last_name_local", "first_name_latin", "last_name_latin")  # fmt: skip
#: Roles of given names (cased as given names; a nickname is a form of its name).
_GIVEN_ROLES: Final = frozenset({"first_name", "middle_name", "first_name_local",
                                 "first_name_latin"})  # fmt: skip


@functools.cache
def _name_affixes() -> frozenset[str]:
    """Name prefixes (``dr``), post-nominals and generational suffixes (``phd``, ``jr``)."""
    tables = name_tables()
    return frozenset(tables.prefixes) | frozenset(tables.suffixes)


@functools.cache
def _separate_affixes() -> frozenset[str]:
    """The affixes taken off a name part into fields of their own: not the post-nominals that
    are names too (``Ma``, ``Do``, ``V``)."""
    tables = name_tables()
    return frozenset(tables.prefixes) | (frozenset(tables.suffixes) - tables.ambiguous_suffixes)


@functools.cache
def _email_typos() -> Mapping[str, str]:
    """Known misspellings of mailbox domains → the domain meant (a certain correction)."""
    return MappingProxyType({r["typo"]: r["domain"] for r in load_rows("email_domain_typos.csv")})


def _form_kind(ctx: _Context, rule: MergeRule, field: str) -> str:
    """How ``consensus`` and ``best_form`` read a field: the rule's kind, the strategy's, or
    the one of the field's column role (plain text for other columns)."""
    if rule.kind is not None:
        return rule.kind
    by_role = _FORM_OF_ROLE.get(ctx.role_of(field), "text")
    kind = ctx.strategy.kinds.get(field)
    if kind is None or (kind == "name" and by_role == "given"):  # a first name is a given name
        return by_role
    return kind


def _name_words(key: str) -> str:
    """A name key without its prefixes and suffixes (``dr priya`` → ``priya``)."""
    words = key.split()
    kept = [w for w in words if w not in _name_affixes()]
    return " ".join(kept or words)


def _form_key(kind: str, value: object, region: str | None, parsed: Callable[[str], Any]) -> str:
    """The value's normalized key: forms of one value (case, accents, script, punctuation,
    a name's title or suffix, a nickname, a phone's format, a legal form's spelling) share it.
    ``parsed(kind)`` is the value's normalizer result for a kind of :data:`VALUE_KINDS`."""
    parse = _FORM_PARSE.get(kind)
    return _form_key_of(kind, value, None if parse is None else parsed(parse))


def _form_key_of(kind: str, value: object, result: Any) -> str:
    """:func:`_form_key` given the value's normalizer result for its kind of form (see
    :data:`_FORM_PARSE`; None for the kinds that read none)."""
    if kind == "name":
        return _name_words(result.key or "")
    if kind == "full_name":
        return f"{result.given_canonical or ''} {result.family_key or ''}".strip()
    if kind == "email":
        return str(result.match_key or result.normalized or match_key(value))
    if kind == "phone":
        return str(_phone_key(result, value))
    if kind == "title":
        return match_key(result.canonical or value)
    if kind == "company":
        return str(normalize_company(value).key or match_key(value))
    return match_key(value)


#: The value kind whose normalizer :func:`_form_key` reads for a kind of form.
_FORM_PARSE: Final = MappingProxyType({
    "name": "name", "full_name": "full_name", "email": "email", "phone": "phone",
    "title": "title",
})  # fmt: skip


def _forms(ctx: _Context, kind: str, region: str | None, values: list[Any]) -> list[str]:
    """The form keys of values, each distinct value read once per merge."""
    if kind == "given":  # the given name behind a nickname, once per distinct name key
        names = _forms(ctx, "name", region, values)
        given: dict[str, str] = ctx.cache("form:given")
        for key in set(names) - given.keys():
            given[key] = canonical_given_name(key)
        return [given[k] for k in names]
    cache: dict[Any, str] = ctx.cache(f"form:{kind}:{region}")

    def read(value: object) -> str:
        def parsed(name: str) -> Any:
            return ctx.parsed(VALUE_KINDS[name], region, value)

        return _form_key(kind, value, region, parsed)

    try:
        missing = [v for v in dict.fromkeys(values) if v not in cache]
    except TypeError:  # unhashable cells: read one by one
        return [read(v) for v in values]
    parse = _FORM_PARSE.get(kind)
    if parse is not None and missing:  # the normalizer's results, a batch at a time
        results = ctx.parsed_many(VALUE_KINDS[parse], region, missing)
        cache.update(zip(missing, map(functools.partial(_form_key_of, kind), missing, results),
                         strict=True))  # fmt: skip
    else:
        for value in missing:
            cache[value] = read(value)
    return [cache[v] for v in values]


def _read_forms(
    ctx: _Context, field: str, kind: str, region: str | None, idx: IntArray
) -> tuple[list[str], IntArray, int]:  # fmt: skip
    """The form keys of a field's values in the active records ``idx``, their codes (one per
    distinct key) and how many distinct keys there are."""
    keys, inverse = _distinct_forms(ctx, field, kind, region, idx)
    codes, n = _codes_of(keys)
    return [keys[i] for i in inverse.tolist()], codes[inverse], n


def _distinct_forms(
    ctx: _Context, field: str, kind: str, region: str | None, idx: IntArray
) -> tuple[list[str], IntArray]:  # fmt: skip
    """The form keys of the distinct values of a field among the active records ``idx``
    (see :meth:`_Context.distinct_codes`), and the index of each record's key among them."""
    codes, inverse = ctx.distinct_codes(field, idx)
    if codes is None:
        return _forms(ctx, kind, region, ctx.values(field)[idx].tolist()), inverse
    # the values not read yet are read in the records' order
    ctx.forms_of(field, kind, region, ctx.exact_keys(field)[idx])
    return ctx.forms_of(field, kind, region, codes).tolist(), inverse


def _spans(segs: IntArray) -> list[tuple[int, int]]:
    """``(lo, hi)`` of each run of one cluster in an ordered array of clusters."""
    if not len(segs):
        return []
    cuts = (np.flatnonzero(segs[1:] != segs[:-1]) + 1).tolist()
    return list(zip([0, *cuts], [*cuts, len(segs)], strict=True))


def _codes_of(keys: Sequence[object]) -> tuple[IntArray, int]:
    """Integer codes of keys, and how many distinct keys there are."""
    if len(keys) >= _PANDAS_FROM and set(map(type, keys)) == {str}:
        pandas = _pandas()
        if pandas is not None:
            codes, uniques = pandas.factorize(_objects(keys))
            return codes.astype(np.int64, copy=False), len(uniques)
    table: dict[object, int] = {}
    codes = np.fromiter((table.setdefault(k, len(table)) for k in keys), dtype=np.int64,
                        count=len(keys))  # fmt: skip
    return codes, len(table)


def _per_cluster(ctx: _Context, segs: IntArray, codes: IntArray, width: int) -> IntArray:
    """How many distinct codes each merged cluster holds."""
    unique = _unique(segs * width + codes)
    return np.bincount(unique // width, minlength=ctx.n_segs).astype(np.int64)


def _is_initial_of(key: str, other: str) -> bool:
    """``key`` is an initial (one letter) and ``other`` the longer name it abbreviates."""
    return len(key) == 1 and len(other) > 1 and other.startswith(key)


def _near(key: str, other: str) -> bool:
    """``key`` is one or two edits from ``other`` (one for short values)."""
    limit = 1 if len(other) <= _SHORT_VALUE else 2
    return bool(Levenshtein.distance(key, other, score_cutoff=limit) <= limit)


def _outvoted(key: str, counts: Mapping[str, int], known: Sequence[frozenset[str]]) -> bool:
    """A lone variant: an initial of another value, or a value one or two edits from a value
    more records hold. Between values held equally often, the one confirmed elsewhere wins (a
    word of the cluster's email addresses first, then a known given name), else the one
    nearer to all the cluster's other values (``García Márquez`` among ``Garccía Márquez``
    and ``GarcíaMárquez``)."""
    mine = counts.get(key, 0)
    for other, count in counts.items():
        if other == key:
            continue
        if _is_initial_of(key, other):
            return True
        if count < mine or not _near(key, other):
            continue
        if count > mine:
            return True
        for confirmed in known:
            if (other in confirmed) != (key in confirmed):
                if other in confirmed:
                    return True
                break
        else:
            if _spread(other, counts) < _spread(key, counts):
                return True
    return False


def _spread(key: str, counts: Mapping[str, int]) -> int:
    """How far a value is from the cluster's other values (edits, weighted by records)."""
    return sum(n * int(Levenshtein.distance(key, other)) for other, n in counts.items())


def _email_words(ctx: _Context, lo: int, hi: int) -> frozenset[str]:
    """The words of a cluster's email addresses' local parts, and each two adjacent words
    joined (``maria.garcia.marquez`` gives ``garciamarquez`` too)."""
    column = ctx.column_of("email")
    if column is None:
        return frozenset()
    out: set[str] = set()
    for value in ctx.values(column)[lo:hi].tolist():
        if isinstance(value, str) and "@" in value:
            words = [w for w in _NON_LETTERS.split(match_key(value.rsplit("@", 1)[0])) if w]
            out.update(words)
            out.update(a + b for a, b in itertools.pairwise(words))
    return frozenset(out)


def _confirmed(
    keys: Sequence[str], words: frozenset[str], given: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """The keys the cluster confirms outside the field: in its email addresses, and (for
    given names) in the list of known given names."""
    in_email = frozenset(k for k in keys if k.replace(" ", "") in words)
    return in_email, frozenset(k for k in keys if k in given)


def _email_locals(ctx: _Context, lo: int, hi: int) -> list[str]:
    """The local parts of a cluster's email addresses, letters and digits only."""
    column = ctx.column_of("email")
    if column is None:
        return []
    return [
        compact_key(v.rsplit("@", 1)[0])
        for v in ctx.values(column)[lo:hi].tolist()
        if isinstance(v, str) and "@" in v
    ]


def _swapped(ctx: _Context) -> BoolArray:
    """Records whose first and last names are swapped: the record's given name is the family
    name of the cluster's other records and the other way round (the other records, the list
    of known given names and the order of the names in the email addresses vote)."""
    found = ctx.cache("swapped")
    if "out" in found:
        return found["out"]  # type: ignore[no-any-return]
    out = np.zeros(ctx.size, dtype=bool)
    found["out"] = out
    first, last = ctx.column_of("first_name"), ctx.column_of("last_name")
    if first is None or last is None:
        return out
    both = ctx.filled(first) & ctx.filled(last)
    differ = (ctx.distinct(ctx.keys(first), both) > 1) | (ctx.distinct(ctx.keys(last), both) > 1)
    idx = np.flatnonzero(both & differ[ctx.seg])
    if not len(idx):
        return out
    fk, f_codes, n_f = _read_forms(ctx, first, "name", None, idx)
    lk, l_codes, n_l = _read_forms(ctx, last, "name", None, idx)
    given = name_tables().given_names
    ends = np.append(ctx.starts[1:], ctx.size)
    segs = ctx.seg[idx]
    varied = (_per_cluster(ctx, segs, f_codes, n_f + 1) > 1) | (
        _per_cluster(ctx, segs, l_codes, n_l + 1) > 1)  # fmt: skip
    todo = np.flatnonzero(varied[segs])
    for a, b in _spans(ctx.seg[idx[todo]]):
        lo, hi = int(todo[a]), int(todo[b - 1]) + 1  # one cluster's entries are consecutive
        s = int(ctx.seg[idx[lo]])
        firsts = collections.Counter(fk[lo:hi])
        lasts = collections.Counter(lk[lo:hi])
        words = _email_locals(ctx, int(ctx.starts[s]), int(ends[s]))
        for j in range(lo, hi):
            f, g = fk[j], lk[j]
            if not f or not g or f == g:
                continue
            votes = firsts[g] + lasts[f] - firsts[f] - lasts[g]
            votes += (g in given) - (f in given)
            cf, cg = f.replace(" ", ""), g.replace(" ", "")
            for word in words:
                at_f, at_g = word.find(cf), word.find(cg)
                if at_f >= 0 and at_g >= 0 and at_f != at_g:
                    votes += 1 if at_g < at_f else -1
            out[idx[j]] = votes > 0
    return out


def _key_consensus(
    ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray
) -> FloatArray:
    """1 for a value the cluster agrees with, 0 for a lone variant of a better-supported value
    (a typo, an initial) and for a name from a record whose first and last names are swapped;
    genuinely different values all keep 1, so the next rule (recency) decides between them."""
    assert field is not None
    out = np.ones(ctx.size, dtype=np.float64)
    need = need & ctx.filled(field)
    need = need & (ctx.distinct(ctx.keys(field), need) > 1)[ctx.seg]  # case never counts
    idx = np.flatnonzero(need)
    if not len(idx):
        return out
    kind = _form_kind(ctx, rule, field)
    if kind == "given":  # spelling, not nicknames: "Olia" is a typo of "Olga" here
        kind = "name"
    region = rule.region or ctx.strategy.region
    keys, codes, n_keys = _read_forms(ctx, field, kind, region, idx)
    read = list(keys)
    role = ctx.role_of(field)
    swapped = np.zeros(len(idx), dtype=bool)
    other = {"first_name": "last_name", "last_name": "first_name"}.get(role)
    if kind in ("name", "given") and other is not None:
        swapped = _swapped(ctx)[idx]
        partner = ctx.column_of(other)
        if swapped.any() and partner is not None:
            at = np.flatnonzero(swapped)
            for j, key in zip(at.tolist(), _forms(ctx, kind, None, ctx.values(partner)[
                    idx[at]].tolist()), strict=True):  # fmt: skip
                read[j] = key
            codes, n_keys = _codes_of(read)
    given = name_tables().given_names if role in ("first_name", "middle_name") else frozenset()
    ends = np.append(ctx.starts[1:], ctx.size)
    segs = ctx.seg[idx]
    varied = (_per_cluster(ctx, segs, codes, n_keys + 1) > 1)[segs]
    todo = np.flatnonzero(varied)  # only clusters that disagree
    # and among them only those where a key is near another, or is an initial
    close = _close_keys(segs[todo], codes[todo], read, todo, ctx.n_segs)
    close[segs[swapped]] = True
    todo = np.flatnonzero(close[segs])
    for lo, hi in _spans(ctx.seg[idx[todo]]):
        js = todo[lo:hi].tolist()
        counts = collections.Counter(read[j] for j in js if read[j])
        known: tuple[frozenset[str], ...] = ()
        if kind in _NAME_KINDS and len(counts) > 1:
            s = int(ctx.seg[idx[js[0]]])
            known = _confirmed(list(counts), _email_words(ctx, int(ctx.starts[s]), int(ends[s])),
                               given)  # fmt: skip
        for j in js:
            if swapped[j] or (keys[j] and _outvoted(keys[j], counts, known)):
                out[idx[j]] = 0.0
    return out


#: Clusters with more distinct keys than this are compared key by key in Python.
_MANY_KEYS: Final = 16


def _close_keys(
    segs: IntArray, codes: IntArray, keys: list[str], at: IntArray, n_segs: int
) -> BoolArray:  # fmt: skip
    """Per merged cluster: two of its distinct non-empty keys are two edits or fewer apart,
    or one of them is a single letter (an initial): the clusters where :func:`_outvoted` may
    find a key outvoted. ``segs``/``codes``: the cluster and key code of some records,
    ``keys[at[i]]`` the key of record ``i``. The edit distances are worked out all at once."""
    out = np.zeros(n_segs, dtype=bool)
    if not len(codes):
        return out
    first_of, first = np.unique(codes, return_index=True)
    text = np.empty(int(first_of.max()) + 1, dtype=object)
    text[first_of] = [keys[j] for j in at[first].tolist()]
    length = np.zeros(len(text), dtype=np.int64)
    length[first_of] = np.fromiter(map(len, text[first_of]), dtype=np.int64,
                                   count=len(first_of))  # fmt: skip
    width = len(text) + 1
    pairs = _unique(segs * width + codes)
    pseg, pcode = pairs // width, pairs % width
    keep = length[pcode] > 0  # an empty key is never compared
    pseg, pcode = pseg[keep], pcode[keep]
    out[pseg[length[pcode] == 1]] = True
    per = np.bincount(pseg, minlength=n_segs)
    out |= per > _MANY_KEYS
    small = per[pseg] <= _MANY_KEYS
    pseg, pcode = pseg[small], pcode[small]
    for offset in range(1, int(per[pseg].max()) if len(pseg) else 0):
        i = np.flatnonzero(pseg[:-offset] == pseg[offset:])
        a, b = pcode[i], pcode[i + offset]
        i = i[np.abs(length[a] - length[b]) <= 2]
        if not len(i):
            continue
        found = process.cpdist(text[pcode[i]].tolist(), text[pcode[i + offset]].tolist(),
                               scorer=Levenshtein.distance, score_cutoff=2)  # fmt: skip
        out[pseg[i[found <= 2]]] = True
    return out


def _abbreviates(a: str, b: str) -> bool:
    """One street line's words are the other's in order, some abbreviated or left out
    (``buyukdere cad no 185`` / ``buyukdere caddesi 185``; ``12`` / ``12 m g road``), with no
    house number of its own."""
    short, long_ = sorted((a.split(), b.split()), key=len)
    if not short:
        return False
    if not {w for w in short if w.isdigit()} <= {w for w in long_ if w.isdigit()}:
        return False
    j = 0
    for word in short:
        while j < len(long_) and not (long_[j].startswith(word) or word.startswith(long_[j])):
            j += 1
        if j == len(long_):
            return False
        j += 1
    return True


def _umlaut_fold(key: str) -> str:
    """A name key with German transliterated umlauts folded (``mueller`` → ``muller``, the key
    of ``Müller``)."""
    return key.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def _related(kind: str, key: str, other: str) -> bool:
    """Two form keys are forms of one value."""
    if not key or not other:
        return False
    if key == other:
        return True
    if kind in _NAME_KINDS:
        return (
            _is_initial_of(key, other)
            or _is_initial_of(other, key)
            or _umlaut_fold(key) == _umlaut_fold(other)
        )
    if kind == "address":
        return _abbreviates(key, other)
    return False


def _cjk_text(value: object) -> bool:
    """Text holding Chinese characters, kana or hangul."""
    return isinstance(value, str) and any(
        "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"
        for ch in value
    )


def _has_native(text: str) -> bool:
    return any(ord(ch) > 127 and ch.isalpha() for ch in text)


def _form_quality(base: float, key: str, kind: str, longest: int) -> float:
    """How good a form of a value is, higher is better: never an initial or a fragment of a
    street line; then the value's own quality (:func:`_text_quality`)."""
    quality = base
    if len(key.replace(" ", "")) <= 1:
        quality -= 100.0
    if kind == "address" and len(key) < _FRAGMENT_SHARE * longest:
        quality -= 100.0
    return quality


def _text_quality(kind: str, value: object, turkish: bool = False, latin: bool = False) -> float:
    """How good a value is as written: diacritics or the native script over an ASCII fold
    (the letters read in the record's language: ``YILMAZ`` of a Turkish record is
    ``Yılmaz``; in a column of Latin spellings, ``latin``, another script is the worst);
    then a name without its title or suffix; then proper case; then the longer."""
    text = str(value).strip()
    quality = 0.0
    if latin and not _latin_text(text):
        quality -= 8.0
    elif _has_native(text) or (turkish and _has_native(lower_case(text, True))):
        quality += 8.0
    if kind in _NAME_KINDS and any(
        w in _name_affixes() for w in (normalize_name_part(value).key or "").split()
    ):
        quality -= 4.0
    if not (text.isupper() or text.islower()):
        quality += 2.0
    if " ".join(text.split()) != text or _DOUBLED_MARK.search(text):  # stray spaces, marks
        quality -= 1.0
    return quality + min(len(text), 200) / 100_000.0


def _quality(
    cache: dict[Any, float], kind: str, value: object, turkish: bool = False, latin: bool = False
) -> float:
    """:func:`_text_quality`, once per distinct value."""
    try:
        key = (value, turkish)
        found = cache.get(key)
        if found is None:
            found = cache[key] = _text_quality(kind, value, turkish, latin)
        return found
    except TypeError:  # an unhashable cell
        return _text_quality(kind, value, turkish, latin)


def _turkish_values(column: _Distinct) -> BoolArray:
    """Per distinct value of a column, then for an empty cell (code -1): text holding Turkish
    letters (``İ``, ``ı``, ``ş``, ``ğ``)."""
    return np.array([isinstance(v, str) and not _TURKISH_LETTERS.isdisjoint(v)
                     for v in column.values] + [False], dtype=bool)  # fmt: skip


def _turkish_records(ctx: _Context) -> BoolArray:
    """Per active record: its names hold Turkish letters (``İ``, ``ı``, ``ş``, ``ğ``), so its
    other names are read by Turkish rules (``YILMAZ`` → ``Yılmaz``)."""
    found: BoolArray | None = ctx.cache("turkish").get("records")
    if found is None:
        found = np.zeros(ctx.size, dtype=bool)
        for column in (ctx.column_of(r) for r in _NAME_ROLES):
            if column is not None:
                found |= _turkish_values(ctx.column(column))[ctx.exact_keys(column)]
        ctx.cache("turkish")["records"] = found
    return found


def _plain_flaw(value: object) -> bool:
    """A value whose case or spacing another spelling of it may improve on."""
    return isinstance(value, str) and (
        value.isupper() or value.islower() or " ".join(value.split()) != value
    )


def _best_form(
    ctx: _Context, rule: MergeRule, field: str, candidates: BoolArray, winner: IntArray
) -> BoolArray:
    """Move each cluster's winner to the best form of its value among the cluster's records
    (``Yılmaz`` for ``Yilmaz``, the full street line for a fragment); True where it moved."""
    moved = np.zeros(ctx.n_segs, dtype=bool)
    filled = candidates & ctx.filled(field)
    exact = ctx.exact_keys(field)
    several = (ctx.distinct(exact, filled) > 1) & (winner >= 0)
    idx = np.flatnonzero(filled & several[ctx.seg])
    if not len(idx):
        return moved
    kind = _form_kind(ctx, rule, field)
    region = rule.region or ctx.strategy.region
    values = ctx.values(field)[idx].tolist()
    # what is read of a value is read once per distinct value (of text; else per record)
    dvalues, inverse = ctx.distinct_values(field, idx)
    dkeys, _ = _distinct_forms(ctx, field, kind, region, idx)
    keys = [dkeys[i] for i in inverse.tolist()]
    # the Latin column of a name held in two scripts keeps to Latin letters
    latin = any(r.name == "partner" for r in _chain_of(ctx.strategy, field, ()))
    cache: dict[Any, float] = ctx.cache(f"quality:{kind}:{latin}")
    turkish = _turkish_records(ctx)[idx] if kind in _NAME_KINDS else np.zeros(len(idx), bool)
    # only clusters where one form key has several spellings (beyond case and spacing, unless
    # the winner's case or spacing is poor), or where forms may abbreviate others
    segs = ctx.seg[idx]
    dforms, n_forms = _codes_of(dkeys)
    forms = dforms[inverse]
    # spellings beyond case and spacing (``ß`` apart from ``ss``, unlike a case fold)
    dlight, _ = _codes_of([" ".join(v.split()).lower() if isinstance(v, str) else _light_key(v)
                           for v in dvalues])  # fmt: skip
    light = dlight[inverse]
    width = int(light.max()) + 2
    spelled = _per_cluster(ctx, segs, forms * width + light, (n_forms + 1) * width)
    open_ = spelled > _per_cluster(ctx, segs, forms, n_forms + 1)
    at_head = winner[several]
    heads, head_of = ctx.distinct_values(field, at_head)
    flaws = np.array([_plain_flaw(v) for v in heads], dtype=bool)
    open_[np.flatnonzero(several)[flaws[head_of]]] = True
    cjk = np.zeros(len(idx), dtype=bool)
    if kind == "address":
        open_ |= _per_cluster(ctx, segs, forms, n_forms + 1) > 1
    elif kind in _NAME_KINDS:
        short = np.array([len(k.replace(" ", "")) <= 1 for k in dkeys], dtype=bool)[inverse]
        open_ |= np.bincount(segs[short], minlength=ctx.n_segs) > 0
        # a Turkish record's I and İ are other letters than an English one's, beyond case;
        # a German name may be spelled with its umlauts transliterated (Müller, Mueller)
        open_[segs[turkish]] = True
        dfolded, n_folded = _codes_of([_umlaut_fold(k) for k in dkeys])
        open_ |= _per_cluster(ctx, segs, dfolded[inverse], n_folded + 1) < _per_cluster(
            ctx, segs, forms, n_forms + 1
        )
        if not latin:  # a name in Chinese characters, kana or hangul beside a Latin one
            cjk = np.array([_cjk_text(v) for v in dvalues], dtype=bool)[inverse]
            open_ |= (np.bincount(segs[cjk], minlength=ctx.n_segs) > 0) & (
                np.bincount(segs[~cjk], minlength=ctx.n_segs) > 0)  # fmt: skip
    todo = np.flatnonzero(open_[segs])
    rows, cjk_of, turkish_of = idx.tolist(), cjk.tolist(), turkish.tolist()
    winners = winner.tolist()
    for a, b in _spans(segs[todo]):
        lo, hi = int(todo[a]), int(todo[b - 1]) + 1
        s = int(segs[lo])
        w = bisect.bisect_left(rows, winners[s], lo, hi)
        if w >= hi or rows[w] != winners[s]:
            continue
        key = keys[w]
        group = [j for j in range(lo, hi) if j == w or _related(kind, key, keys[j])]
        rest = [j for j in range(lo, hi) if j not in group]
        if (
            rest and kind in _NAME_KINDS and not latin and not cjk_of[w]
            and all(cjk_of[j] for j in rest) and len({keys[j] for j in rest}) == 1
            and not any(cjk_of[j] for j in group)
        ):  # fmt: skip
            # the one name in Latin letters and the one in CJK script: the two scripts of
            # one name (a Japanese name's kanji are not read as its romaji)
            group += rest
        if len({str(values[j]) for j in group}) < 2:
            continue
        longest = max(len(keys[j]) for j in group)
        held = collections.Counter(str(values[j]).strip() for j in group)
        quality = {  # then the spelling more records hold, then the longer
            j: _form_quality(_quality(cache, kind, values[j], turkish_of[j], latin), keys[j],
                             kind, longest)
            + held[str(values[j]).strip()] / 100.0
            for j in group
        }
        best = max(group, key=lambda j: (quality[j], j == w))
        if quality[best] > quality[w]:
            winner[s] = rows[best]
            moved[s] = True
    return moved


def _latin_text(value: object) -> bool:
    """Text written in Latin letters (with or without accents), nothing else."""
    return isinstance(value, str) and all(
        ch.isascii() or not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN")
        for ch in value
    )


def _transliterates(latin: str, native: str) -> bool:
    """A Latin name key spells a native name's key (its transliteration, ``ivanov`` for
    ``Иванов``) give or take the letters transliteration systems disagree on (``Yulia``,
    ``Iuliia``)."""
    if not latin or not native:
        return False
    return latin == native or _near(latin, native) or _skeleton(latin) == _skeleton(native)


def _skeleton(key: str) -> str:
    """A name key's consonants, doubled letters once: what transliterations of one name share."""
    out = _NON_CONSONANTS.sub("", key.replace("kh", "h").replace("ck", "k"))
    return "".join(ch for i, ch in enumerate(out) if i == 0 or out[i - 1] != ch)


def _key_partner(ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray) -> FloatArray:
    """3 for a Latin value whose key is the golden value's of the native column (``Wang`` of
    ``王``), 2 for one that spells it give or take what transliterations disagree on
    (``Yulia`` of ``Юлия``), 1 for a Latin value of a record holding that native value
    (``Tanaka`` beside ``田中``), 0 for the rest (another script, or the Latin name of a record
    whose native name lost)."""
    assert field is not None
    assert rule.column is not None
    out = np.zeros(ctx.size, dtype=np.float64)
    native_winner = ctx.cache("winners").get(rule.column)
    need = need & ctx.filled(field)
    if native_winner is None or not need.any():
        return out
    idx = np.flatnonzero(need)
    native = ctx.values(rule.column)
    golden_at = native_winner[ctx.seg[idx]]
    has = golden_at >= 0
    idx, golden_at = idx[has], golden_at[has]
    if not len(idx):
        return out
    latin = ctx.values(field)[idx].tolist()
    latin_keys = _forms(ctx, "name", None, latin)
    golden_keys = _forms(ctx, "name", None, native[golden_at].tolist())
    own_keys = _forms(ctx, "name", None, [v if _filled_cell(v) else "" for v in
                                          native[idx].tolist()])  # fmt: skip
    for j, i in enumerate(idx.tolist()):
        if not _latin_text(latin[j]):
            continue
        if latin_keys[j] and latin_keys[j] == golden_keys[j]:
            out[i] = 3.0
        elif _transliterates(latin_keys[j], golden_keys[j]):
            out[i] = 2.0
        elif own_keys[j] and own_keys[j] == golden_keys[j]:
            out[i] = 1.0
    return out


def _key_neutral(
    ctx: _Context, rule: MergeRule, field: str | None, need: BoolArray
) -> FloatArray:
    """``best_form`` and ``standardize`` act after the chain has picked its value."""
    return np.zeros(ctx.size, dtype=np.float64)


# --- standardized golden values ----------------------------------------------------------------


def _affix_token(word: str) -> str:
    """A word as the name tables key prefixes and suffixes (``Ph.D.,`` → ``phd``)."""
    return word.lower().replace(".", "").strip(",")


def _split_affixes(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """A name part's words: the prefixes before the name, the name, and the suffixes after it;
    the suffixes are read first (``King Jr.`` is King, Jr.), a suffix that is also a name
    (``Ma``, ``V``) is kept, and a one-word name keeps its word, whatever it is."""
    affixes = _separate_affixes()
    lo, hi = 0, len(words)
    while hi - lo > 1 and _affix_token(words[hi - 1]) in affixes:
        hi -= 1
    while hi - lo > 1 and _affix_token(words[lo]) in affixes:
        lo += 1
    core = words[lo:hi]
    if hi < len(words) and core[-1].endswith(","):  # "Lee, CPA"
        core = [*core[:-1], core[-1].rstrip(",")]
    return words[:lo], core, words[hi:]


def _strip_affixes(text: str) -> str:
    """A name part without leading prefixes and trailing suffixes (``Dr. Priya`` → ``Priya``)."""
    return " ".join(_split_affixes(text.split())[1])


#: The golden fields a name part's prefixes, generational suffixes and credentials go to
#: (column roles of the field registry; a golden column of the role's name when the records
#: have no column for it).
_AFFIX_ROLES: Final = ("salutation", "name_suffix", "credentials")
_NAME_PART_ROLES: Final = ("first_name", "middle_name", "last_name")


def _affixes_of(value: object, part: str) -> tuple[str, str, str]:
    """The prefixes, generational suffixes and credentials :func:`_standard_form` takes off a
    name part, as the name tables write them (``dr. PRIYA`` → ``Dr.``; ``Patel phd jr`` →
    ``Jr.`` and ``PhD``); empty text for none."""
    text = value if isinstance(value, str) else None
    cased = case_name(text, part=part) if text and " " in text.strip() else None
    if not cased:
        return "", "", ""
    lead, _, trail = _split_affixes(cased.split())
    if not (lead or trail):
        return "", "", ""
    tables = name_tables()
    found: tuple[list[str], list[str], list[str]] = ([], [], [])
    for word, leading in [(w, True) for w in lead] + [(w, False) for w in trail]:
        token = _affix_token(word)
        if token in tables.prefixes and (leading or token not in tables.suffixes):
            found[0].append(tables.prefixes[token])
        elif token in tables.generations:
            found[1].append(tables.suffixes[token])
        else:
            found[2].append(tables.suffixes.get(token, word))
    return " ".join(found[0]), " ".join(found[1]), " ".join(found[2])


def _name_affix_columns(
    arrays: Mapping[str, ObjArray], roles: Mapping[str, str], distinct: dict[str, _Distinct]
) -> dict[str, ObjArray]:
    """The records' name prefixes, generational suffixes and credentials (``Dr.`` of ``Dr.
    Priya``, ``Jr.`` and ``PhD`` of ``Patel Jr. PhD``), for each of these the records have
    no column of its own and some record's first, middle or last name holds: role → one cell
    per record (None where the names hold none), every name part's in order."""
    wanted = [r for r in _AFFIX_ROLES if r not in roles]
    parts = [(roles[r], "given" if r != "last_name" else "family")
             for r in _NAME_PART_ROLES if r in roles]  # fmt: skip
    if not wanted or not parts:
        return {}
    size = len(arrays[parts[0][0]])
    found: list[list[str | None]] = [[None] * size for _ in _AFFIX_ROLES]
    for column, part in parts:
        values = _column(distinct, arrays, column)
        read = [_affixes_of(v, part) for v in values.values]
        if not any(any(r) for r in read):
            continue
        for k, cells in enumerate(found):
            words = np.array([r[k] for r in read] + [""], dtype=object)[values.codes]
            for i in np.flatnonzero(words != "").tolist():
                held = cells[i]
                if held is None:
                    cells[i] = words[i]
                else:  # Dr. in the first and the last name: once
                    more = [w for w in words[i].split() if w not in held.split()]
                    cells[i] = " ".join([held, *more])
    return {role: _objects(cells) for role, cells in zip(_AFFIX_ROLES, found, strict=True)
            if role in wanted and any(c is not None for c in cells)}  # fmt: skip


def _standard_form(
    kind: str,
    value: object,
    region: str | None,
    turkish: bool,
    part: str = "family",
    parsed: Callable[[str, str | None, object], Any] | None = None,
) -> object:
    """A golden value in its standard form: E.164 phones, normalized emails (a known typo of a
    mailbox domain corrected), canonical job titles, cased names without titles or suffixes,
    standardized companies and street lines. A value its normalizer cannot read stays as it is.
    ``parsed(kind, region, value)`` gives a value's normalizer result (from the merge's cache)."""
    if not _has_value(value):
        return value
    if parsed is None:
        parsed = _parse_value
    if kind == "phone":
        return _phone_standard(parsed("phone", region, value)) or value
    if kind == "email":
        return _email_standard(parsed("email", None, value).normalized) or value
    if kind == "title":
        title = normalize_title(value)
        return title.canonical if title.valid and title.canonical else value
    if kind in ("name", "given"):
        cased = case_name(value, part=part, locale="tr" if turkish else None)
        return _strip_affixes(cased) if cased else value
    if kind == "company":
        company = normalize_company(value)
        return company.name if company.valid and company.name else value
    if kind == "address":
        # read as a street line of the record's own country ("12 M.G. Road" in India stays as
        # it is); a line of an unknown country, or one holding more than a street and house
        # number, stays as written
        country = normalize_country(region) if region else None
        if country is None:
            return value
        address = normalize_address(value, country=country)
        if not (address.house_number and address.street and address.line1) or (
            address.po_box or address.recipient or address.building or address.city
            or address.region or address.postcode
        ):
            return value
        return f"{address.line1} {address.unit}" if address.unit else address.line1
    return value


def _parse_value(kind: str, region: str | None, value: object) -> Any:
    return VALUE_KINDS[kind].normalize(value, region)


#: The survivorship rules by name, each its key (``custom`` apart: its function picks a
#: winner itself). A rule is one key function and one entry here.
_RULE_KEYS: Final[Mapping[str, _RuleKey]] = MappingProxyType(
    {
        "most_complete": _key_most_complete,
        "most_recent": _key_most_recent,
        "oldest": _key_oldest,
        "most_frequent": _key_most_frequent,
        "source_priority": _key_source_priority,
        "longest": _key_longest,
        "first_non_null": _key_first_non_null,
        "valid_first": _key_valid_first,
        "from_master": _key_from_master,
        "consensus": _key_consensus,
        "most_recent_value": _key_most_recent_value,
        "best_form": _key_neutral,
        "standardize": _key_neutral,
        "partner": _key_partner,
    }
)


def _rule_names() -> tuple[str, ...]:
    return (*_RULE_KEYS, "custom")


#: The survivorship rules, by name (see :class:`MergeRule`).
RULE_NAMES: Final = _rule_names()


def _decide(
    ctx: _Context,
    chain: tuple[MergeRule, ...],
    field: str | None,
    candidates: BoolArray,
    explain: bool = True,
) -> tuple[IntArray, ObjArray, ObjArray]:
    """Winner (active index, -1 when no candidate) of each cluster, the label of the last rule
    that narrowed its candidates, and of the last rule that narrowed its distinct values (the
    rule that picked the value, rather than one of the records holding it)."""
    starts, seg = ctx.starts, ctx.seg
    cand = candidates.copy()
    count = _seg_sum(cand, starts)
    labels = np.full(ctx.n_segs, "", dtype=object)
    labels[count == 0] = "empty"
    labels[count == 1] = "only_value"
    reasons = labels.copy()
    codes = ctx.keys(field) if field is not None and explain else None
    values = count
    if codes is not None:
        values = ctx.distinct(codes, cand & (codes >= 0))
    open_ = count > 1
    for rule in chain:
        if not open_.any():
            break
        if rule.name in _AFTER_CHAIN:
            continue
        if rule.name == "custom":
            _custom(ctx, rule, field, cand, open_)
            labels[open_] = rule.label
            reasons[open_] = rule.label
            open_ = np.zeros(ctx.n_segs, dtype=bool)
            break
        need = cand & open_[seg]
        keyed = np.where(need, _RULE_KEYS[rule.name](ctx, rule, field, need), -np.inf)
        best = np.maximum.reduceat(keyed, starts)
        kept = np.where(open_[seg], need & (keyed == best[seg]), cand)
        new_count = _seg_sum(kept, starts)
        narrowed = open_ & (new_count < count)
        labels[narrowed] = rule.label
        narrowed_values = narrowed & (values > 1)  # clusters of one value need no reason
        if codes is not None and narrowed_values.any():
            narrowed = narrowed_values
            left = ctx.distinct(codes, kept & (codes >= 0) & narrowed[seg])
            fewer = narrowed & (left < values)
            reasons[fewer] = rule.label
            values = np.where(narrowed, left, values)
        cand, count = kept, new_count
        open_ = count > 1
    labels[labels == ""] = "first_non_null"
    unset = reasons == ""  # one value: the rule that picked its record (a group's other fields)
    reasons[unset] = labels[unset]
    pos = np.where(cand, ctx.position, ctx.size)
    first = np.minimum.reduceat(pos, starts)
    winner = np.where(first < ctx.size, first, -1).astype(np.int64)
    form = next((r for r in chain if r.name == "best_form"), None)
    if form is not None and field is not None:
        moved = _best_form(ctx, form, field, candidates, winner)
        labels[moved] = form.label
        reasons[moved] = form.label
    return winner, labels, reasons


def _custom(
    ctx: _Context, rule: MergeRule, field: str | None, cand: BoolArray, open_: BoolArray
) -> None:
    """Narrow each open cluster's candidates to the one the rule's function picks."""
    assert rule.func is not None
    ends = np.append(ctx.starts[1:], ctx.size)
    values = ctx.values(field) if field is not None else ctx.arrays[_ID][ctx.act]
    for s in np.flatnonzero(open_).tolist():
        lo, hi = int(ctx.starts[s]), int(ends[s])
        idx = lo + np.flatnonzero(cand[lo:hi])
        rows = [{name: ctx.columns[name][int(ctx.act[i])] for name in ctx.names} for i in idx]
        pick = rule.func([values[i] for i in idx], rows)
        if isinstance(pick, bool) or not isinstance(pick, (int, np.integer)):
            raise ConfigError(f"custom merge rule {rule.label!r} did not return an index")
        if not 0 <= int(pick) < len(idx):
            raise ConfigError(f"custom merge rule {rule.label!r} returned an index out of range")
        cand[lo:hi] = False
        cand[idx[int(pick)]] = True


# The id column under a fixed key in the arrays dict (a field may be named anything else).
_ID: Final = "\x00id"


@attrs.define
class _FieldOutcome:
    source: IntArray  # active index of each cluster's golden cell
    label: ObjArray  # deciding rule per cluster
    status: npt.NDArray[np.int8]  # per active record
    all_values: list[list[Any]] | None  # multi-valued: distinct values per cluster
    conflicts: list[tuple[int, list[Any]]]  # (cluster index, distinct values)
    reason: ObjArray  # the rule that picked the value, per cluster
    #: multi-valued: the active index of each value of ``all_values``, cluster by cluster
    all_rows: IntArray | None = None


def _field_outcome(
    ctx: _Context, field: str, winner: IntArray, label: ObjArray, multi: bool, reason: ObjArray,
    explain: bool = True,
) -> _FieldOutcome:  # fmt: skip
    """A field's golden cells, statuses, the values of a multi-valued field and (``explain``)
    the values of clusters whose records disagree."""
    assert ctx.master is not None
    seg = ctx.seg
    values = ctx.values(field)
    filled = ctx.filled(field)
    codes = ctx.keys(field)
    if multi and ctx.kind_of(field).equality_key is not None:
        codes = _refine(ctx, field, codes, filled)
    source = np.where(winner >= 0, winner, ctx.master).astype(np.int64)
    golden_code = codes[source]
    status = np.full(ctx.size, _OVERRULED, dtype=np.int8)
    status[codes == golden_code[seg]] = _SAME
    if multi:
        first = ctx.first_seen(codes, filled) & (status != _SAME)
        status[first] = _KEPT
    status[~filled] = _EMPTY
    status[source] = _GOLDEN
    all_values: list[list[Any]] | None = None
    conflicts: list[tuple[int, list[Any]]] = []
    head_filled = filled[source]
    all_rows = None
    if multi:
        all_values, all_rows = _value_lists(ctx, values, status == _KEPT, source, head_filled,
                                            None)  # fmt: skip
    elif explain:
        others = ctx.first_seen(codes, filled) & (codes != golden_code[seg])
        lost = _seg_sum(status == _OVERRULED, ctx.starts)
        todo = np.flatnonzero(lost > 0)
        lists, _ = _value_lists(ctx, values, others, source, head_filled, todo)
        conflicts = list(zip(todo.tolist(), lists, strict=True))
    return _FieldOutcome(source, label, status, all_values, conflicts, reason, all_rows)


def _value_lists(
    ctx: _Context,
    values: ObjArray,
    mask: BoolArray,
    source: IntArray,
    head_filled: BoolArray,
    segs: IntArray | None,
) -> tuple[list[list[Any]], IntArray]:
    """For each cluster in ``segs`` (None: every cluster): its head value (the value of its
    record ``source``, when filled), then the masked values; and the active index of each
    listed value, list after list."""
    picked = np.flatnonzero(mask)
    item_seg = np.concatenate([np.flatnonzero(head_filled), ctx.seg[picked]])
    item_row = np.concatenate([source[head_filled], picked])
    if segs is not None:
        wanted = np.zeros(ctx.n_segs, dtype=bool)
        wanted[segs] = True
        keep = wanted[item_seg]
        item_seg, item_row = item_seg[keep], item_row[keep]
    # the head first, then the masked values in their order (a stable sort: the heads come
    # first in the items, the masked values in active order after them)
    order = np.argsort(item_seg, kind="stable")
    rows = item_row[order]
    flat = values[rows].tolist()
    ends = np.cumsum(np.bincount(item_seg, minlength=ctx.n_segs))
    if segs is not None:
        ends = ends[segs]
        starts = ends - np.bincount(item_seg, minlength=ctx.n_segs)[segs]
    else:
        starts = ends - np.bincount(item_seg, minlength=ctx.n_segs)
    return [flat[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)], rows


def _refine(ctx: _Context, field: str, codes: IntArray, filled: BoolArray) -> IntArray:
    """Re-key clusters whose values differ as text by the values' meaning (E.164, email)."""
    several = ctx.distinct(codes, filled) > 1
    todo = filled & several[ctx.seg]
    if not todo.any():
        return codes
    kind = ctx.kind_of(field)
    equality_key = kind.equality_key
    assert equality_key is not None
    region = ctx.strategy.region
    offset = int(codes.max()) + 1
    out: IntArray = codes.copy()
    at = np.flatnonzero(todo)
    if kind.name == "phone":  # the phone's form key is its equality key, often read already
        found, inverse = _distinct_forms(ctx, field, "phone", region, at)
        keys: list[object] = list(found)
    else:
        distinct, inverse = ctx.distinct_codes(field, at)
        if distinct is None:
            cells = ctx.values(field)[at].tolist()
            parsed = ctx.parsed_many(kind, region, cells)
        else:
            values = ctx.column(field).values
            cells = [values[c] for c in distinct.tolist()]
            parsed = ctx.results(field, kind, region, distinct).tolist()
        keys = [equality_key(r, v) for r, v in zip(parsed, cells, strict=True)]
    out[at] = offset + _codes_of(keys)[0][inverse]
    return out


# --- the phases of a merge ---------------------------------------------------------------------


@attrs.frozen(eq=False)
class _Inputs:
    """The records, their clusters and the strategy, read and checked."""

    columns: ColumnBatch
    kind: TableKind
    schema: object  # the records' column types (pandas, polars, Arrow), for the outputs
    names: list[str]
    fields: list[str]  # every column but the id column
    id_column: str
    arrays: dict[str, ObjArray]  # column → cells; the id column also under _ID
    ids: ObjArray
    strategy: MergeStrategy
    policy: ReviewPolicy | None
    row_of: dict[object, int]  # id → input row
    codes: IntArray  # cluster code of each record
    cluster_ids: tuple[object, ...]  # cluster id of each code
    scores: FloatArray | None  # the clusters table's review scores, if asked
    shape: TableShape  # a pandas index and non-string column labels, for unmerge
    held: BoolArray | None = None  # per cluster: held because decisions keep records apart
    derived: tuple[str, ...] = ()  # fields of the golden record the records have no column
    #: for (the affixes of their names), their cells in ``arrays``
    distinct: dict[str, _Distinct] = attrs.field(factory=dict)  # column → its distinct values

    @property
    def golden_fields(self) -> list[str]:
        """The fields of a golden record: the records' own, then the derived ones."""
        return [*self.fields, *self.derived]


def _read_inputs(
    records: object,
    clusters: object,
    id_column: str,
    strategy: MergeStrategy | None,
    review: object,
    decisions: object = None,
) -> _Inputs:
    """Read the records and clusters, and check them and the strategy against each other;
    apply a person's decisions to the clusters (:func:`crmclean.decisions.decide_clusters`)."""
    columns, kind = to_columns(records)
    if not isinstance(id_column, str):
        raise TypeError("id_column must be a str")
    names = list(columns)
    if id_column not in columns:
        raise _missing_column(id_column, "id column", names)
    if strategy is None:
        strategy = MergeStrategy.default_for(names)
    elif not isinstance(strategy, MergeStrategy):
        raise TypeError("strategy must be a MergeStrategy")
    policy = _review_policy(review)
    fields = [c for c in names if c != id_column]
    _check_strategy(strategy, names, fields, id_column)

    arrays = {name: _objects(columns[name]) for name in names}
    ids = arrays[id_column]
    arrays[_ID] = ids
    distinct: dict[str, _Distinct] = {}
    affixes = _name_affix_columns(arrays, detect_roles(names), distinct)
    derived = tuple(n for n in affixes if n not in columns and n + _SOURCE not in columns)
    arrays.update({name: affixes[name] for name in derived})
    id_list = ids.tolist()
    row_of = _id_rows(id_list, id_column)
    cluster_of, scores = _read_clusters(clusters, id_column, row_of, policy, id_list)
    codes, cluster_ids = _cluster_codes(cluster_of)
    held = None
    decided = as_decisions(decisions)
    if decided is not None:
        codes, named_by, held = decide_clusters(decided, ids.tolist(), codes, stacklevel=3)
        cluster_ids = tuple(cluster_ids[k] for k in named_by.tolist())
    return _Inputs(
        columns=columns, kind=kind, schema=_schema(records, kind), names=names, fields=fields,
        id_column=id_column, arrays=arrays, ids=ids, strategy=strategy, policy=policy,
        row_of=row_of, codes=codes, cluster_ids=cluster_ids, scores=scores,
        shape=table_shape(records), held=held, derived=derived, distinct=distinct,
    )  # fmt: skip


@attrs.frozen(eq=False)
class _Layout:
    """The records ordered by cluster: the clusters held for review, and the records of the
    clusters to merge (the active records) grouped by cluster."""

    order: IntArray  # input rows, stably sorted by cluster code
    n_clusters: int
    held: BoolArray  # per cluster
    record_score: FloatArray | None  # per record, with a review policy
    cluster_score: FloatArray  # per cluster (NaN: not scored)
    act: IntArray  # input row of each active record
    seg: IntArray  # merged cluster (0..n_segs-1) of each active record
    starts: IntArray  # first active record of each merged cluster
    seg_cluster: IntArray  # cluster code of each merged cluster


def _order_by_cluster(inputs: _Inputs) -> _Layout:
    """Group the records by cluster with one stable sort; hold clusters whose weakest record
    scores below the review threshold."""
    codes = inputs.codes
    n_clusters = len(inputs.cluster_ids)
    order = np.argsort(codes, kind="stable").astype(np.int64)
    sizes = np.bincount(codes, minlength=n_clusters).astype(np.int64)

    record_score: FloatArray | None = None
    held = np.zeros(n_clusters, dtype=bool)
    cluster_score = np.full(n_clusters, np.nan)
    policy = inputs.policy
    if policy is not None:
        if policy.pairs is not None:
            record_score = _pair_scores(policy, inputs.id_column, inputs.row_of, codes)
        else:
            record_score = inputs.scores
        assert record_score is not None
        weakest = np.full(n_clusters, np.inf)
        np.minimum.at(weakest, codes, np.where(np.isnan(record_score), -np.inf, record_score))
        cluster_score = np.where(np.isneginf(weakest), np.nan, weakest)
        held = (sizes > 1) & ~(cluster_score >= policy.threshold)
    if inputs.held is not None:
        held |= inputs.held & (sizes > 1)
    merged = (sizes > 1) & ~held

    act = order[merged[codes[order]]]
    seg_of = np.cumsum(merged) - 1
    seg = seg_of[codes[act]].astype(np.int64)
    n_segs = int(merged.sum())
    starts = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]]).astype(np.int64) if n_segs else (
        np.zeros(0, dtype=np.int64)
    )
    return _Layout(
        order=order, n_clusters=n_clusters, held=held, record_score=record_score,
        cluster_score=cluster_score, act=act, seg=seg, starts=starts,
        seg_cluster=np.flatnonzero(merged).astype(np.int64),
    )  # fmt: skip


def _pick_masters(ctx: _Context) -> tuple[IntArray, ObjArray]:
    """The master record (active index) of each merged cluster, and the rule that chose it."""
    if not ctx.n_segs:
        return np.zeros(0, dtype=np.int64), np.empty(0, dtype=object)
    everyone = np.ones(ctx.size, dtype=bool)
    winner, label, _ = _decide(ctx, ctx.strategy.master, None, everyone)
    return winner, label


def _chain_of(strategy: MergeStrategy, field: str, derived: Sequence[str]) -> tuple[MergeRule, ...]:
    """A field's rules: the strategy's; for a derived field (the affixes of the names) the
    strategy's or else its role's in the field registry."""
    if field in derived and field not in strategy.rules:
        default = _role_default(field)
        if default is not None:
            return _default_chain(default.rules, field, strategy.date_column)
    return strategy.chain_for(field)


def _decision_order(
    strategy: MergeStrategy, fields: list[str], derived: Sequence[str]
) -> list[str]:
    """The fields in the order their values are decided: a field whose rules follow another
    column (``partner``) after that column."""
    after: dict[str, str] = {}
    for field in fields:
        for rule in _chain_of(strategy, field, derived):
            if rule.name == "partner" and rule.column in fields and rule.column != field:
                after[field] = rule.column
    order: list[str] = []
    placed: set[str] = set()

    def place(field: str, seen: frozenset[str]) -> None:
        if field in placed:
            return
        first = after.get(field)
        if first is not None and first not in seen:
            place(first, seen | {field})
        placed.add(field)
        order.append(field)

    for field in fields:
        place(field, frozenset({field}))
    return order


def _decide_fields(ctx: _Context, derived: Sequence[str] = ()) -> dict[str, _FieldOutcome]:
    """Each field's golden value, statuses and conflicts (a group's fields together)."""
    if not ctx.n_segs:
        return {}
    assert ctx.master is not None
    strategy = ctx.strategy
    group_of = {f: g for g in strategy.groups for f in g}
    multi = set(strategy.multi_valued)
    bookkeeping = {strategy.date_column, strategy.created_column, strategy.source_column}
    outcomes: dict[str, _FieldOutcome] = {}
    winners: dict[str, IntArray] = ctx.cache("winners")
    for field in _decision_order(strategy, [*ctx.fields, *derived], derived):
        group = group_of.get(field)
        if group is not None and group[0] != field:
            continue
        if group is None:  # the bookkeeping columns are not explained (see _explanations)
            winner, label, reason = _decide(
                ctx, _chain_of(strategy, field, derived), field, ctx.filled(field),
                field not in bookkeeping,
            )
            winners[field] = winner
            outcomes[field] = _field_outcome(ctx, field, winner, label, field in multi, reason,
                                             field not in bookkeeping)  # fmt: skip
            continue
        anyfilled = np.zeros(ctx.size, dtype=bool)
        for member in group:
            anyfilled |= ctx.filled(member)
        winner, label, reason = _decide(ctx, strategy.chain_for(field), field, anyfilled)
        winner = np.where(winner >= 0, winner, ctx.master)
        for member in group:
            outcomes[member] = _field_outcome(ctx, member, winner, label, False, reason,
                                              member not in bookkeeping)  # fmt: skip
    return outcomes


@attrs.frozen(eq=False)
class _Golden:
    """The golden table's columns and where its rows come from."""

    columns: dict[str, ObjArray]
    cluster: IntArray  # cluster code of each golden row
    single: BoolArray  # the row is a record left alone
    master_rows: IntArray  # input row of each merged cluster's master record
    seg_rows: IntArray  # golden row of each merged cluster
    rows: dict[str, IntArray]  # column → the input row of each golden cell


def _golden_table(
    inputs: _Inputs,
    layout: _Layout,
    master: IntArray,
    outcomes: Mapping[str, _FieldOutcome],
    cluster_obj: ObjArray,
) -> _Golden:
    """Golden rows: merged clusters, then every record left alone; ordered by first input
    row."""
    act, starts = layout.act, layout.starts
    n_segs = len(starts)
    n = len(inputs.ids)
    in_merged = np.zeros(n, dtype=bool)
    in_merged[act] = True
    alone = np.flatnonzero(~in_merged).astype(np.int64)
    anchors = np.concatenate([act[starts], alone]) if n_segs else alone
    g_order = np.argsort(anchors, kind="stable")
    n_golden = len(anchors)
    single = np.concatenate([np.zeros(n_segs, dtype=bool), np.ones(len(alone), dtype=bool)])
    single = single[g_order]
    master_rows = act[master] if n_segs else np.zeros(0, dtype=np.int64)
    g_cluster = np.concatenate([layout.seg_cluster, inputs.codes[alone]])[g_order]
    golden: dict[str, ObjArray] = {_CLUSTER: cluster_obj[g_cluster]}
    rows_of: dict[str, IntArray] = {}
    for name in [*inputs.names, *inputs.derived]:
        if name == inputs.id_column:
            rows = np.concatenate([master_rows, alone])
        else:
            src = outcomes[name].source if n_segs else np.zeros(0, dtype=np.int64)
            rows = np.concatenate([act[src], alone])
        rows_of[name] = rows[g_order]
        golden[name] = inputs.arrays[name][rows_of[name]]
    for field in inputs.strategy.multi_valued:
        merged_lists = outcomes[field].all_values if n_segs else []
        assert merged_lists is not None
        col = inputs.arrays[field]
        filled = (_column(inputs.distinct, inputs.arrays, field).codes[alone] >= 0).tolist()
        lone = [[v] if f else [] for v, f in zip(col[alone].tolist(), filled, strict=True)]
        combined = np.empty(n_golden, dtype=object)
        combined[: len(merged_lists)] = _list_cells(merged_lists)
        combined[len(merged_lists) :] = _list_cells(lone)
        golden[field + _ALL] = combined[g_order]
    seg_rows = np.empty(n_golden, dtype=np.int64)
    seg_rows[g_order] = np.arange(n_golden, dtype=np.int64)
    return _Golden(golden, g_cluster, single, master_rows, seg_rows[:n_segs], rows_of)


@attrs.frozen(eq=False)
class _Lineage:
    """One row per merged record and field, ordered by cluster, then field, then input row."""

    cluster: IntArray  # cluster code
    row: IntArray  # input row
    field: IntArray  # index in the fields
    value: ObjArray
    status: npt.NDArray[np.int8]  # index in LINEAGE_STATUSES
    rule: ObjArray


def _lineage(ctx: _Context, layout: _Layout, outcomes: Mapping[str, _FieldOutcome]) -> _Lineage:
    """Every cell of every merged record: where it went and which rule decided."""
    fields, act = ctx.fields, layout.act
    n_fields = len(fields)
    if not (ctx.n_segs and n_fields):
        none = np.zeros(0, dtype=np.int64)
        empty = np.zeros(0, dtype=object)
        return _Lineage(none, none, none, empty, np.zeros(0, dtype=np.int8), empty)
    # the table lists the cells cluster by cluster, then field by field, then record by
    # record: a run of a cluster's records for each of its fields
    starts, n_segs, size = layout.starts, ctx.n_segs, len(act)
    sizes = np.diff(np.append(starts, size))
    run_n = np.repeat(sizes, n_fields)
    run_field = np.tile(np.arange(n_fields, dtype=np.int64), n_segs)
    run_seg = np.repeat(np.arange(n_segs, dtype=np.int64), n_fields)
    # a run starts at its cluster's first cell, n_fields * starts, plus its field's records
    run_shift = (n_fields - 1) * starts[run_seg] + run_field * run_n  # its start - its first record
    record = np.arange(size * n_fields, dtype=np.int64) - np.repeat(run_shift, run_n)
    field = np.repeat(run_field, run_n)
    cell = field * size + record  # the cell's place among the fields' cells, field by field
    labels = np.stack([outcomes[f].label for f in fields])
    return _Lineage(
        cluster=np.repeat(layout.seg_cluster, n_fields * sizes),
        row=act[record],
        field=field,
        value=np.concatenate([ctx.values(f) for f in fields])[cell],
        status=np.concatenate([outcomes[f].status for f in fields])[cell],
        rule=np.repeat(labels[run_field, run_seg], run_n),
    )


def _lineage_table(
    lineage: _Lineage, inputs: _Inputs, cluster_obj: ObjArray
) -> dict[str, ObjArray | IntArray]:
    statuses = _objects(list(LINEAGE_STATUSES))
    fields = inputs.fields
    field_names = _objects(fields) if fields else np.zeros(0, dtype=object)
    return {
        _CLUSTER: cluster_obj[lineage.cluster],
        "row": lineage.row,
        "field": field_names[lineage.field] if len(lineage.field) else np.zeros(0, dtype=object),
        "value": lineage.value,
        "source_id": inputs.ids[lineage.row],
        "status": statuses[lineage.status.astype(np.int64)],
        "rule": lineage.rule,
    }


def _merge_plan(
    ctx: _Context,
    inputs: _Inputs,
    layout: _Layout,
    master: IntArray,
    master_label: ObjArray,
    outcomes: Mapping[str, _FieldOutcome],
    cluster_obj: ObjArray,
) -> ColumnBatch:
    """One row per merged cluster: master, merged ids, and each field's winner and source."""
    ids, act, starts = inputs.ids, layout.act, layout.starts
    multi = inputs.strategy.multi_valued
    plan: ColumnBatch = {
        "cluster_id": cluster_obj[layout.seg_cluster].tolist(),
        "master_id": ids[act[master]].tolist() if len(starts) else [],
        "merged_ids": _merged_ids(ids, act, starts, master),
        "master_rule": master_label.tolist(),
    }
    for field in inputs.golden_fields:
        if not len(starts):
            plan[field] = []
            plan[field + _SOURCE] = []
            continue
        out = outcomes[field]
        plan[field] = ctx.values(field)[out.source].tolist()
        sources = ids[act[out.source]]
        sources[~ctx.filled(field)[out.source]] = None
        plan[field + _SOURCE] = sources.tolist()
        if field in multi:
            assert out.all_values is not None
            plan[field + _ALL] = out.all_values
    for field in multi:
        plan.setdefault(field + _ALL, [])
    return plan


def _conflicts(
    ctx: _Context, inputs: _Inputs, layout: _Layout, outcomes: Mapping[str, _FieldOutcome]
) -> ColumnBatch:
    """Single-valued fields whose records disagree (dates and sources differ between
    duplicates as a matter of course, so the strategy's are left out)."""
    strategy, fields = inputs.strategy, inputs.golden_fields
    bookkeeping = {strategy.date_column, strategy.created_column, strategy.source_column}
    found = sorted(
        (s, fields.index(f), f, vals)
        for f, o in outcomes.items()
        if f not in bookkeeping
        for s, vals in o.conflicts
    )
    return {
        "cluster_id": [inputs.cluster_ids[int(layout.seg_cluster[s])] for s, _, _, _ in found],
        "field": [f for _, _, f, _ in found],
        "value": [ctx.values(f)[outcomes[f].source[s]] for s, _, f, _ in found],
        "values": [vals for _, _, _, vals in found],
    }


def _review_table(inputs: _Inputs, layout: _Layout, cluster_obj: ObjArray) -> ColumnBatch:
    """One row per record of a cluster held for review."""
    codes, record_score = inputs.codes, layout.record_score
    held_rows = layout.order[layout.held[codes[layout.order]]]
    return {
        "cluster_id": cluster_obj[codes[held_rows]].tolist(),
        "record_id": inputs.ids[held_rows].tolist(),
        "row": held_rows.tolist(),
        "record_score": (
            _floats(record_score[held_rows])
            if record_score is not None
            else [None] * len(held_rows)
        ),
        "cluster_score": _floats(layout.cluster_score[codes[held_rows]]),
    }


def _restore_info(
    inputs: _Inputs, layout: _Layout, golden: _Golden, lineage: _Lineage
) -> _Restore:
    """What :func:`unmerge` needs to rebuild the records."""
    act = layout.act
    return _Restore(
        kind=inputs.kind,
        names=tuple(inputs.names),
        id_column=inputs.id_column,
        schema=inputs.schema,
        clusters=inputs.cluster_ids,
        golden={k: v for k, v in golden.columns.items() if k in inputs.columns},
        golden_cluster=golden.cluster,
        single=golden.single,
        merged_rows=act,
        merged_ids=inputs.ids[act],
        merged_cluster=(
            layout.seg_cluster[layout.seg] if len(layout.starts) else np.zeros(0, dtype=np.int64)
        ),
        lineage_cluster=lineage.cluster,
        lineage_row=lineage.row,
        lineage_field=lineage.field,
        lineage_value=lineage.value,
        shape=inputs.shape,
    )


def _standardized_fields(inputs: _Inputs, ctx: _Context) -> dict[str, str]:
    """Field → the kind its golden values are standardized as: the fields whose chain (or
    whose group's chain) holds ``standardize``."""
    out: dict[str, str] = {}
    for field in inputs.fields:
        rule = inputs.strategy.standard_form_rule(field)
        if rule is not None:
            out[field] = _form_kind(ctx, rule, field)
    return out


def _golden_turkish(golden: _Golden, ctx: _Context) -> BoolArray:
    """Per golden row: its names hold Turkish letters (``İ``, ``ı``, ``ş``, ``ğ``)."""
    out = np.zeros(len(golden.cluster), dtype=bool)
    for column in (ctx.column_of(r) for r in _NAME_ROLES):
        if column is None or column not in golden.rows:
            continue
        found = ctx.column(column)
        out |= _turkish_values(found)[found.codes[golden.rows[column]]]
    return out


def _golden_regions(golden: _Golden, ctx: _Context) -> tuple[IntArray, list[str | None]]:
    """Each golden row's region, as a code into a list of regions: the country of its address
    (the golden country column), else the strategy's region (the data's), else None."""
    default = ctx.strategy.region
    column = ctx.column_of("country")
    size = len(golden.cluster)
    if column is None or column not in golden.rows:
        return np.zeros(size, dtype=np.int64), [default]
    found = ctx.column(column)
    codes = [(normalize_country(v) if _hashable(v) else None) or default for v in found.values]
    regions = list(dict.fromkeys([*codes, default]))
    at = np.array([regions.index(r) for r in [*codes, default]], dtype=np.int64)
    return at[found.codes[golden.rows[column]]], regions


def _phone_region_of(region: str | None, default: str | None) -> str | None:
    """The region phone numbers are read in for a row of this country: the country, when
    numbering plans know it (not Antarctica), else the data's region."""
    try:
        return phone_region(region)
    except ConfigError:
        return default


class _Standard:
    """A field's golden values in standard form (:func:`_standard_form`), worked out once per
    distinct (value, Turkish record, region); phones and emails a batch at a time."""

    def __init__(self, ctx: _Context, field: str, kind: str) -> None:
        self.ctx = ctx
        self.field = field
        self.kind = kind
        self.part = "given" if ctx.role_of(field) in _GIVEN_ROLES else "family"
        self.cache: dict[Any, object] = ctx.cache(f"standard:{field}")
        self.turkish = kind in ("name", "given")  # only names are cased by the record's language
        self.regional = kind in ("phone", "address")  # only these are read in a country

    def parsed(self, kind: str, region: str | None, value: object) -> Any:
        return self.ctx.parsed(VALUE_KINDS[kind], region, value)

    def one(self, value: object, turkish: bool, region: str | None) -> object:
        key = (value, turkish, region) if type(value) is str else (
            type(value), value, turkish, region)  # 1 and True are different cells
        try:
            if key not in self.cache:
                self.cache[key] = self._form(value, turkish, region)
            return self.cache[key]
        except TypeError:  # an unhashable cell
            return self._form(value, turkish, region)

    def _form(self, value: object, turkish: bool, region: str | None) -> object:
        if self.kind == "phone":
            region = _phone_region_of(region, self.ctx.strategy.region)
        return _standard_form(self.kind, value, region, turkish, self.part, self.parsed)

    def column(
        self, cells: Sequence[Any], turkish: BoolArray, region_at: IntArray,
        regions: list[str | None],
    ) -> ObjArray:  # fmt: skip
        """The standard form of each cell, read with its row's Turkish flag and region."""
        codes, distinct = _factorize(cells)
        return self.coded(codes, distinct, _objects(cells), turkish, region_at, regions, False)

    def coded(
        self, codes: IntArray, distinct: Sequence[Any], cells: ObjArray, turkish: BoolArray,
        region_at: IntArray, regions: list[str | None], of_column: bool = True,
    ) -> ObjArray:  # fmt: skip
        """:meth:`column` of cells given as codes of distinct values (-1: an empty cell, which
        stays as it is); ``of_column``: the codes and values of the field's column."""
        out: ObjArray = cells.copy()
        at = np.flatnonzero(codes >= 0)
        if len(at):
            forms, inverse = self.forms(codes[at], distinct, turkish[at], region_at[at], regions,
                                        of_column)  # fmt: skip
            out[at] = forms[inverse]
        return out

    def forms(
        self, codes: IntArray, distinct: Sequence[Any], turkish: BoolArray, region_at: IntArray,
        regions: list[str | None], of_column: bool,
    ) -> tuple[ObjArray, IntArray]:  # fmt: skip
        """The standard forms of the distinct (value, Turkish flag, region) of cells given as
        codes of distinct values (none empty), and the index of each cell's form."""
        n_regions = len(regions) if self.regional else 1
        key = codes * 2
        if self.turkish:
            key += turkish
        key *= n_regions
        if self.regional:
            key += region_at
        keys, inverse = np.unique(key, return_inverse=True)
        at = keys // (2 * n_regions)
        values = [distinct[k] for k in at.tolist()]
        where = (keys % n_regions).tolist()
        by_code = at if of_column and self.ctx.text_only(self.field) else None
        if self.kind == "phone":
            done = self._phones(values, where, regions, by_code)
        elif self.kind == "email":
            done = self._emails(values, by_code)
        else:
            flags = (keys // n_regions % 2).astype(bool).tolist()
            done = [self.one(v, f, regions[r] if self.regional else None)
                    for v, f, r in zip(values, flags, where, strict=True)]  # fmt: skip
        return _objects(done), inverse.reshape(-1)

    def _phones(
        self, values: list[Any], where: list[int], regions: list[str | None],
        codes: IntArray | None,
    ) -> list[Any]:  # fmt: skip
        """E.164 (and extension) of valid numbers, each region's numbers parsed as a batch
        (``where``: each value's index in ``regions``; ``codes``: the values' codes in the
        field's column of text, whose results are looked up by code)."""
        default = self.ctx.strategy.region
        if codes is not None:
            where_at = np.array(where, dtype=np.int64)
            facts = np.empty(len(values), dtype=object)
            for code in dict.fromkeys(where):
                rows = np.flatnonzero(where_at == code)
                facts[rows] = self.ctx.results(self.field, VALUE_KINDS["phone"],
                                               _phone_region_of(regions[code], default),
                                               codes[rows])  # fmt: skip
            return [_phone_standard(phone) or value
                    for phone, value in zip(facts.tolist(), values, strict=True)]  # fmt: skip
        out: list[Any] = list(values)
        by_region: dict[int, list[int]] = {}
        text = [type(v) is str and v != "" and not v.isspace() for v in values]
        if len(set(where)) == 1 and all(text):
            by_region[where[0]] = list(range(len(values)))
        else:
            for i, (value, r, t) in enumerate(zip(values, where, text, strict=True)):
                if t:
                    by_region.setdefault(r, []).append(i)
                else:
                    out[i] = self.one(value, False, regions[r])
        for r, at in by_region.items():
            batch = [values[i] for i in at] if len(at) < len(values) else values
            read = self.ctx.parsed_many(VALUE_KINDS["phone"],
                                        _phone_region_of(regions[r], default), batch)  # fmt: skip
            for i, value, phone in zip(at, batch, read, strict=True):
                out[i] = _phone_standard(phone) or value
        return out

    def _emails(self, values: Sequence[Any], codes: IntArray | None) -> list[Any]:
        """Normalized addresses (a certain typo of the domain corrected), as a batch; the
        addresses whose full reading the merge has (``codes``: the values' codes in the
        field's column of text) are taken from it."""
        text = [i for i, v in enumerate(values) if type(v) is str and v and not v.isspace()]
        out = list(values)
        if codes is not None and len(text) == len(values):
            results, known = self.ctx.known_results(
                self.field, VALUE_KINDS["email"], self.ctx.strategy.region, codes)
            found: list[str | None] = list(results.tolist())
            rest = np.flatnonzero(~known).tolist()
            for i, address in zip(rest, normalized_emails([values[i] for i in rest]),
                                  strict=True):  # fmt: skip
                found[i] = address
            for i in np.flatnonzero(known).tolist():
                found[i] = found[i].normalized
        else:
            found = normalized_emails([values[i] for i in text])
        typos = _email_typos()
        for i, address in zip(text, found, strict=True):
            if address:
                fixed = typos.get(address[address.rfind("@") + 1 :])
                out[i] = address if fixed is None else _email_standard(address)
        if len(text) < len(values):
            for i in (i for i, v in enumerate(values) if type(v) is not str):
                out[i] = self.one(values[i], False, None)
        return out


def _phone_standard(phone: Any) -> str | None:
    """A valid number in E.164, with its extension after " ext. " (rather than RFC 3966's
    ";ext=": a list cell joins numbers with ";"); None for a number that is not valid."""
    if phone.valid and phone.e164:
        return str(phone.e164) + (f" ext. {phone.extension}" if phone.extension else "")
    return None


def _email_standard(normalized: str | None) -> str | None:
    """A normalized address with a known misspelling of its mailbox domain corrected."""
    if not normalized:
        return None
    local, _, domain = normalized.rpartition("@")
    fixed = _email_typos().get(domain)
    return f"{local}@{fixed}" if fixed else normalized


def _standardize_golden(
    golden: _Golden, kinds: Mapping[str, str], ctx: _Context, multi: Sequence[str],
    outcomes: Mapping[str, _FieldOutcome],
) -> dict[str, ObjArray]:  # fmt: skip
    """The golden columns with each standardized field's values in standard form
    (``<field>_all`` lists too, without the duplicates the standard forms make). The work is
    done once per distinct value of a column (and Turkish flag and region), not per row."""
    columns = golden.columns
    if not kinds:
        return columns
    out = dict(columns)
    turkish = _golden_turkish(golden, ctx)
    region_at, regions = _golden_regions(golden, ctx)
    for field, kind in kinds.items():
        standard = _Standard(ctx, field, kind)
        found = ctx.column(field)
        values = standard.coded(found.codes[golden.rows[field]], found.values, columns[field],
                                turkish, region_at, regions)  # fmt: skip
        out[field] = values
        if field in multi and field + _ALL in columns:
            outcome = outcomes.get(field)
            rows = None if outcome is None else outcome.all_rows
            out[field + _ALL] = _standard_lists(standard, columns[field + _ALL], values,
                                                turkish, region_at, regions,
                                                None if rows is None else (golden, rows))
    return out


def _standard_lists(
    standard: _Standard, lists: ObjArray, values: ObjArray, turkish: BoolArray,
    region_at: IntArray, regions: list[str | None], merged: tuple[_Golden, IntArray] | None,
) -> ObjArray:  # fmt: skip
    """``<field>_all`` lists in standard form, without the duplicates the standard forms make
    (``values``: the standard forms of the field's golden values). A list of one value holds
    the golden value (it comes first in the list), so its standard form is known. ``merged``:
    the golden table and the active index of each value of the merged clusters' lists (the
    field's :attr:`_FieldOutcome.all_rows`), whose values are then read by their codes."""
    items = lists.tolist()
    sizes = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
    out: list[list[Any]] = [
        [v] if n == 1 and (type(v) is str or _hashable(v)) else []
        for v, n in zip(values.tolist(), sizes.tolist(), strict=True)
    ]
    several = np.flatnonzero(sizes > 1)
    if len(several) and merged is not None and standard.ctx.text_only(standard.field):
        golden, rows = merged
        ctx, field = standard.ctx, standard.field
        # the merged clusters' lists come cluster by cluster: the golden row of each value
        in_list = np.repeat(golden.seg_rows, sizes[golden.seg_rows])
        keep = sizes[in_list] > 1
        at, rows = in_list[keep], rows[keep]
        done = standard.coded(ctx.exact_keys(field)[rows], ctx.column(field).values,
                              ctx.values(field)[rows], turkish[at], region_at[at],
                              regions).tolist()  # fmt: skip
        several = _first_seen(at)  # the golden rows in the order of their lists
    elif len(several):
        flat = list(itertools.chain.from_iterable(lists[several].tolist()))
        at = np.repeat(several, sizes[several])
        done = standard.column(flat, turkish[at], region_at[at], regions).tolist()
    ends = np.cumsum(sizes[several])
    for row, lo, hi in zip(several.tolist(), (ends - sizes[several]).tolist(), ends.tolist(),
                           strict=True):  # fmt: skip
        part = done[lo:hi]
        try:
            out[row] = list(dict.fromkeys(part))
        except TypeError:  # an unhashable value: left out, the hashable ones once
            seen: dict[object, None] = {}
            for value in part:
                with contextlib.suppress(TypeError):
                    seen.setdefault(value, None)
            out[row] = list(seen)
    return _list_cells(out)


def _standard_plan(
    plan: ColumnBatch, golden: _Golden, kinds: Mapping[str, str], multi: Sequence[str]
) -> ColumnBatch:
    """The plan with the standardized fields' values in standard form: a merged cluster's row
    of the plan holds the values of its golden row, and they are read alike (the same names
    and country), so its standard forms are the golden row's."""
    out = dict(plan)
    for field in kinds:
        out[field] = golden.columns[field][golden.seg_rows].tolist()
        if field in multi:  # lists of their own, not the golden table's
            out[field + _ALL] = [list(v) for v in golden.columns[field + _ALL][golden.seg_rows]]
    return out


def _explanations(
    inputs: _Inputs, layout: _Layout, outcomes: Mapping[str, _FieldOutcome], plan: ColumnBatch
) -> ColumnBatch:
    """One row per merged cluster and field whose records hold more than one value: the golden
    value, its record, the rule that picked it and the values it beat."""
    strategy = inputs.strategy
    bookkeeping = {strategy.date_column, strategy.created_column, strategy.source_column}
    found: list[tuple[int, int, str, list[Any]]] = []
    for at, field in enumerate(inputs.golden_fields):
        if field in bookkeeping or field not in outcomes:
            continue
        out = outcomes[field]
        if out.all_values is not None:
            lists = out.all_values
            sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
            found += [(s, at, field, lists[s][1:]) for s in np.flatnonzero(sizes > 1).tolist()]
        else:
            found += [(s, at, field, v[1:]) for s, v in out.conflicts if len(v) > 1]
    found.sort(key=lambda item: (item[0], item[1]))
    return {
        "cluster_id": [inputs.cluster_ids[int(layout.seg_cluster[s])] for s, _, _, _ in found],
        "field": [f for _, _, f, _ in found],
        "value": [plan[f][s] for s, _, f, _ in found],
        "source_id": [plan[f + _SOURCE][s] for s, _, f, _ in found],
        "rule": [outcomes[f].reason[s] for s, _, f, _ in found],
        "beaten": [v for _, _, _, v in found],
    }


def _explanations_table(
    inputs: _Inputs, layout: _Layout, outcomes: Mapping[str, _FieldOutcome], plan: ColumnBatch
) -> Any:
    """:func:`_explanations` as a table of the records' kind."""
    table = _explanations(inputs, layout, outcomes, plan)
    if inputs.kind in ("polars", "arrow"):  # typed tables
        table["value"] = _uniform(table["value"])
        table["beaten"] = _uniform_lists(table["beaten"])
    return from_columns(table, result_kind(inputs.kind))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a merge allocates millions of small lists, tuples
    and arrays, none of them in a reference cycle, and the collector's passes over them would
    cost about a fifth of its time. It runs again afterwards if it ran before; the objects
    made meanwhile (the result's tables) join the oldest generation, rather than waiting for
    the next collection of the youngest, which would go over every one of them at once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:  # no one else's frozen objects to thaw
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def merge(
    records: object,
    clusters: object,
    *,
    id_column: str,
    strategy: MergeStrategy | None = None,
    review: ReviewPolicy | float | None = None,
    progress: bool | Progress = False,
    decisions: Any = None,
) -> MergeResult:
    """Merge each cluster of records into one golden record, with lineage and a merge plan.

    Args:
        records: the records (pandas/polars DataFrame, Arrow table, list of dicts or dict of
            lists); every record needs a unique, non-empty id.
        clusters: a table with the id column and ``cluster_id`` (each record exactly once), or
            a mapping id → cluster id.
        id_column: the records' id column.
        strategy: the survivorship rules (default: :meth:`MergeStrategy.default_for` the
            records' columns).
        review: a :class:`ReviewPolicy`, or a threshold for the clusters table's
            ``cluster_score`` column: clusters scoring below it are held for review.
        progress: show the merge's phases done and time left on stderr; a
            :class:`~crmclean._progress.Progress` receives the reports instead.
        decisions: pairs a person decided, by record id (:class:`crmclean.Decisions`, a
            decisions table or the path of a decisions file). A must-link pair joins the two
            clusters (the joined cluster keeps the id of the one whose record comes first);
            a cluster holding both records of a cannot-link pair is held for review, not
            merged, with a :class:`crmclean.DecisionWarning`: merge has no scores to split it
            by (:func:`crmclean.dedupe` with the same decisions splits it at its weakest link).

    Returns:
        A :class:`MergeResult` whose tables are of the records' kind.

    Raises:
        ColumnError: a named column is missing.
        ConfigError: the clusters miss a record, name an unknown id or list one twice; ids are
            duplicated or empty; a rule lacks the column it reads; decisions contradict each
            other.

    Example:
        >>> from crmclean.merge import merge
        >>> records = [
        ...   {"id": 1, "name": "Jo Lee", "email": "jo@acme.com", "updated_at": "2023-01-05"},
        ...   {"id": 2, "name": "Joanna Lee", "email": "info@acme.com", "updated_at": "2024-03-01"},
        ...   {"id": 3, "name": "Ann Ray", "email": None, "updated_at": None},
        ... ]
        >>> result = merge(records, {1: "a", 2: "a", 3: "b"}, id_column="id")
        >>> golden = result.golden  # a pandas DataFrame for a list of records
        >>> golden["id"].tolist(), golden["name"].tolist(), golden["email_all"].tolist()
        ([1, 3], ['Joanna Lee', 'Ann Ray'], [['jo@acme.com', 'info@acme.com'], []])
        >>> lineage = result.lineage.to_dict("records")
        >>> [(r["field"], r["source_id"], r["status"], r["rule"]) for r in lineage][:4]
        [('name', 1, 'overruled', 'longest'), ('name', 2, 'golden', 'longest'), \
('email', 1, 'golden', 'valid_first'), ('email', 2, 'kept', 'valid_first')]
    """
    with _collector_paused():
        return _merge(records, clusters, id_column, strategy, review, progress, decisions)


def _merge(
    records: object, clusters: object, id_column: str, strategy: MergeStrategy | None,
    review: ReviewPolicy | float | None, progress: bool | Progress, decisions: Any,
) -> MergeResult:  # fmt: skip
    """:func:`merge`'s phases."""
    with progress_of(progress).step("merge", 11, "phases") as report:
        inputs = _read_inputs(records, clusters, id_column, strategy, review, decisions)
        report.advance()
        layout = _order_by_cluster(inputs)
        report.advance()
        ctx = _Context(
            inputs.columns, inputs.arrays, inputs.fields, inputs.strategy, layout.act, layout.seg,
            layout.starts, inputs.distinct,
        )  # fmt: skip
        master, master_label = _pick_masters(ctx)
        report.advance()
        ctx = ctx.with_master(master)
        outcomes = _decide_fields(ctx, inputs.derived)
        report.advance()
        cluster_obj = _objects(list(inputs.cluster_ids))
        golden = _golden_table(inputs, layout, master, outcomes, cluster_obj)
        report.advance()
        lineage = _lineage(ctx, layout, outcomes)
        report.advance()
        plan = _merge_plan(ctx, inputs, layout, master, master_label, outcomes, cluster_obj)
        report.advance()
        conflicts = _conflicts(ctx, inputs, layout, outcomes)
        report.advance()
        review_table = _review_table(inputs, layout, cluster_obj)
        report.advance()
        restore = _restore_info(inputs, layout, golden, lineage)  # the values as they came
        standard = _standardized_fields(inputs, ctx)
        multi = inputs.strategy.multi_valued
        golden = attrs.evolve(
            golden, columns=_standardize_golden(golden, standard, ctx, multi, outcomes)
        )
        plan = _standard_plan(plan, golden, standard, multi)
        explain = functools.partial(_explanations_table, inputs, layout, outcomes, plan)
        report.advance()
        counts = {
            "records": len(inputs.ids),
            "clusters": layout.n_clusters,
            "golden": len(golden.cluster),
            "merged_clusters": len(layout.starts),
            "merged_records": len(layout.act),
            "held_clusters": int(layout.held.sum()),
            "conflicts": len(conflicts["field"]),
        }
        lineage_table = _lineage_table(lineage, inputs, cluster_obj)
        report.advance()
    return _result(
        inputs, golden, lineage_table, plan, conflicts, review_table, counts, restore, explain
    )


def _result(
    inputs: _Inputs,
    golden: _Golden,
    lineage: Mapping[str, ObjArray | IntArray],
    plan: ColumnBatch,
    conflicts: ColumnBatch,
    review: ColumnBatch,
    counts: dict[str, int],
    restore: _Restore,
    explain: Callable[[], Any],
) -> MergeResult:
    """The tables, in the records' kind."""
    kind, schema = inputs.kind, inputs.schema
    golden_out = {k: v.tolist() for k, v in golden.columns.items()}
    lineage_out = {k: v.tolist() for k, v in lineage.items()}
    if kind in ("polars", "arrow"):  # typed tables
        lineage_out["value"] = _uniform(lineage_out["value"])
        conflicts["value"] = _uniform(conflicts["value"])
        conflicts["values"] = _uniform_lists(conflicts["values"])
    out_kind = result_kind(kind)  # a list of records gives DataFrames
    return MergeResult(
        golden=_cast_like(from_columns(golden_out, out_kind), out_kind, schema),
        lineage=from_columns(lineage_out, out_kind),
        plan=_cast_like(from_columns(plan, out_kind), out_kind, schema),
        conflicts=from_columns(conflicts, out_kind),
        review=from_columns(review, out_kind),
        counts=MappingProxyType(counts),
        restore=restore,
        explain=explain,
    )


def _list_cells(lists: list[list[Any]]) -> ObjArray:
    out = np.empty(len(lists), dtype=object)
    for i, item in enumerate(lists):
        out[i] = item
    return out


def _merged_ids(ids: ObjArray, act: IntArray, starts: IntArray, master: IntArray) -> list[Any]:
    """The ids of each merged cluster's records but its master, in input order."""
    if not len(starts):
        return []
    others = np.ones(len(act), dtype=bool)
    others[master] = False
    flat = ids[act[others]].tolist()
    ends = np.append(starts[1:], len(act)) - np.arange(1, len(starts) + 1)  # one less each
    return [flat[lo:hi] for lo, hi in zip((starts - np.arange(len(starts))).tolist(),
                                           ends.tolist(), strict=True)]  # fmt: skip


def _floats(values: FloatArray) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


def _uniform(values: list[Any]) -> list[Any]:
    """Cells of one type for a typed table: mixed types become text (empty cells None)."""
    types = {type(v) for v in values if _has_value(v)}
    if len(types) <= 1:
        return [v if _has_value(v) else None for v in values] if types else [None] * len(values)
    return [str(v) if _has_value(v) else None for v in values]


def _uniform_lists(lists: list[list[Any]]) -> list[list[Any]]:
    """List cells of one inner type for a typed table (see :func:`_uniform`)."""
    flat = _uniform([v for item in lists for v in item])
    out: list[list[Any]] = []
    at = 0
    for item in lists:
        out.append(flat[at : at + len(item)])
        at += len(item)
    return out


def _cast_like(table: Any, kind: TableKind, schema: object) -> Any:
    """Give a typed table's columns that are record columns the records' types (a column of
    only nulls would otherwise have no type)."""
    if kind == "arrow" and schema is not None:
        for field in schema:  # type: ignore[attr-defined]
            at = table.schema.get_field_index(field.name)
            if at >= 0 and table.schema.field(at).type != field.type:
                with contextlib.suppress(Exception):
                    table = table.set_column(at, field.name, table.column(at).cast(field.type))
    elif kind == "polars" and schema is not None:
        import polars as pl

        for name, dtype in dict(schema).items():  # type: ignore[call-overload]
            if name in table.columns and table.schema[name] != dtype:
                with contextlib.suppress(pl.exceptions.PolarsError):
                    table = table.with_columns(pl.col(name).cast(dtype))
    return table


def _schema(records: object, kind: TableKind) -> object:
    if kind == "pandas":
        frame: Any = records
        return {str(c): frame[c].dtype for c in frame.columns}
    if kind in ("polars", "arrow"):
        return getattr(records, "schema", None)
    return None


# --- unmerge -----------------------------------------------------------------------------------


def unmerge(result: MergeResult, cluster_id: object = None) -> Any:
    """The original records, rebuilt from a merge's lineage and golden tables.

    With ``cluster_id``, only that cluster's records, in input order. Records come back as
    :func:`crmclean.frames.to_columns` saw them: same columns, values, order and (for pandas,
    polars and Arrow) column types; a key missing from a dict of a list of dicts comes back as
    None. A pandas DataFrame gets its column labels back, and its index when all its records
    come back.

    Raises:
        ConfigError: no cluster of the result has that id.

    Example:
        >>> from crmclean.merge import merge, unmerge
        >>> records = [{"id": 1, "email": "a@x.com"}, {"id": 2, "email": "A@x.com "}]
        >>> result = merge(records, {1: "c1", 2: "c1"}, id_column="id")
        >>> unmerge(result) == records
        True
    """
    if not isinstance(result, MergeResult):
        raise TypeError("unmerge needs the MergeResult that merge returned")
    r = result._restore
    names = list(r.names)
    fields = [c for c in names if c != r.id_column]
    lin = np.ones(len(r.lineage_row), dtype=bool)
    rec = np.ones(len(r.merged_rows), dtype=bool)
    gold = r.single.copy()
    if cluster_id is not None:
        matches = [i for i, c in enumerate(r.clusters) if _same(c, cluster_id)]
        if not matches:
            raise ConfigError("no cluster of this merge result has that cluster id")
        lin &= r.lineage_cluster == matches[0]
        rec &= r.merged_cluster == matches[0]
        gold &= r.golden_cluster == matches[0]
    rows = r.merged_rows[rec]
    rank = np.argsort(rows, kind="stable")
    rows = rows[rank]
    width = len(names)
    col_of = np.array([names.index(f) for f in fields], dtype=np.int64)
    cells = np.empty((len(rows), width), dtype=object)
    cells[:, names.index(r.id_column)] = r.merged_ids[rec][rank]
    if lin.any():
        at = np.searchsorted(rows, r.lineage_row[lin])
        cells[at, col_of[r.lineage_field[lin]]] = r.lineage_value[lin]
    g_idx = np.flatnonzero(gold)
    alone = np.empty((len(g_idx), width), dtype=object)
    for j, name in enumerate(names):
        alone[:, j] = r.golden[name][g_idx]
    positions: IntArray | None = None
    if cluster_id is None:
        total = len(rows) + len(g_idx)
        table = np.empty((total, width), dtype=object)
        table[rows] = cells
        table[np.setdiff1d(np.arange(total), rows)] = alone
    else:
        table = cells if len(rows) else alone
        positions = rows if len(rows) else _single_positions(r)[
            np.searchsorted(np.flatnonzero(r.single), g_idx)]  # fmt: skip
    columns = {name: table[:, j].tolist() for j, name in enumerate(names)}
    return r.shape.restore(_with_schema(columns, r.kind, r.schema), positions)


def _single_positions(r: _Restore) -> IntArray:
    """The input rows of the records left alone, in golden order (which is input order)."""
    total = len(r.merged_rows) + int(np.count_nonzero(r.single))
    return np.setdiff1d(np.arange(total), r.merged_rows).astype(np.int64)


def _same(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _with_schema(columns: ColumnBatch, kind: TableKind, schema: object) -> Any:
    if kind == "arrow" and schema is not None:
        import pyarrow as pa

        try:
            return pa.Table.from_pydict(columns, schema=schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return from_columns(columns, kind)
    if kind == "polars" and schema is not None:
        import polars as pl

        try:
            return pl.DataFrame(columns, schema=schema)  # type: ignore[arg-type]
        except (TypeError, ValueError, pl.exceptions.PolarsError):
            return from_columns(columns, kind)
    table = from_columns(columns, kind)
    if kind == "pandas" and isinstance(schema, dict):
        for name, dtype in schema.items():
            if table[name].dtype != dtype:
                with contextlib.suppress(TypeError, ValueError):
                    table[name] = table[name].astype(dtype)
    return table
