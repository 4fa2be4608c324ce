"""Match settings: everything that drives matching, as one frozen, JSON-ready object.

:class:`MatchSettings` holds the fields and their comparators, the blocking rules, the block cap,
the threshold, and (once fitted) the model's m, u and prior. It round-trips through JSON, so that
an ETL job can load a tuned model. :func:`default_settings` builds the defaults for the key
columns a table has from the field registry (:mod:`crmclean.fields`).
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from crmclean import fields
from crmclean._saved import build, json_document, saved_fields
from crmclean.block import BlockingRule, MatchingWarning, SortedNeighbourhood, rule_from_dict
from crmclean.compare import Comparison
from crmclean.encode import base_key_column
from crmclean.errors import ColumnError, ConfigError

__all__ = [
    "SETTINGS_VERSION",
    "MatchSettings",
    "check_settings_keys",
    "coerce_settings",
    "default_settings",
    "settings_for_keys",
]

Rule = BlockingRule | SortedNeighbourhood

SETTINGS_VERSION: Final = 1

def _items(data: dict[str, Any], key: str) -> list[Any]:
    """The list under ``key`` (removed from ``data``); a list is what the JSON must hold."""
    items = data.pop(key, ())
    if not isinstance(items, (list, tuple)):
        raise ConfigError(f"settings {key!r} must be a list")
    return list(items)


def _groups(values: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    if isinstance(values, str):
        raise TypeError("correlated must be a sequence of groups of comparison names")
    out = []
    for group in values:
        if isinstance(group, str):
            raise TypeError("each correlated group must be a sequence of comparison names")
        out.append(tuple(group))
    return tuple(out)


def _comparison_tuple(values: Iterable[Comparison]) -> tuple[Comparison, ...]:
    return tuple(values)


def _rule_tuple(values: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(values)


def _probability(name: str, value: object) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < 1:
        raise ConfigError(f"{name} must be a probability strictly between 0 and 1")
    return float(value)


def _positive_int(name: str, value: object, minimum: int = 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ConfigError(f"{name} must be an int of at least {minimum}")
    return value


@attrs.frozen
class MatchSettings:
    """Everything that drives matching: fields, blocking, threshold and the fitted model.

    Attributes:
        comparisons: the fields compared, each with its comparator (and m/u once fitted).
        blocking: blocking rules and sorted-neighbourhood passes, unioned.
        threshold: pairs with a match probability at or above this are matches.
        prior: share of matches among candidate pairs (fitted).
        block_cap: blocks larger than this are windowed instead of paired all-with-all.
        cap_window: neighbours per record inside a capped block.
        max_pairs_per_rule: a rule whose blocks would give more pairs gets a lower block cap
            (``None``: five pairs per record, at least a million).
        u_pairs: random pairs drawn to estimate u.
        em_max_iter: EM iterations at most.
        em_tol: EM stops when no parameter moves more than this.
        min_density: chaining guard (see :mod:`crmclean.cluster`); 0 turns it off.
        correlated: groups of comparisons that measure one thing (the address fields and the
            company all say "where the person works or lives"): a pair's positive evidence
            from a group counts once (its strongest field), and so does its negative
            evidence (its strongest disagreement: a move is one event).
            Names not among the comparisons are ignored.
        name_guard: a pair whose given names or family names plainly disagree (no
            similarity, nickname, initial, phonetic or swap level) is not a match unless a
            personal identifier (email, date of birth, national id) agrees, however much else
            it shares: colleagues on one switchboard phone and one office address, or family
            members at one home, are different people.

    Example:
        >>> s = default_settings(["given", "family", "email"])
        >>> [c.name for c in s.comparisons], s.fitted
        (['given', 'family', 'email'], False)
        >>> MatchSettings.from_json(s.to_json()) == s
        True
    """

    comparisons: tuple[Comparison, ...] = attrs.field(converter=_comparison_tuple)
    blocking: tuple[Rule, ...] = attrs.field(converter=_rule_tuple)
    threshold: float = 0.9
    prior: float | None = None
    block_cap: int = 500
    cap_window: int = 20
    max_pairs_per_rule: int | None = None
    u_pairs: int = 200_000
    em_max_iter: int = 200
    em_tol: float = 1e-6
    min_density: float = 0.5
    name_guard: bool = True
    correlated: tuple[tuple[str, ...], ...] = attrs.field(
        factory=fields.default_correlated, converter=_groups
    )

    def __attrs_post_init__(self) -> None:
        if not self.comparisons:
            raise ConfigError("settings need at least one comparison")
        if not self.blocking:
            raise ConfigError("settings need at least one blocking rule")
        for c in self.comparisons:
            if not isinstance(c, Comparison):
                raise TypeError("comparisons must be Comparison objects")
        for r in self.blocking:
            if not isinstance(r, (BlockingRule, SortedNeighbourhood)):
                raise TypeError("blocking must hold BlockingRule or SortedNeighbourhood objects")
        names = [c.name for c in self.comparisons]
        if len(set(names)) != len(names):
            raise ConfigError("two comparisons have the same name")
        object.__setattr__(self, "threshold", _probability("threshold", self.threshold))
        if self.prior is not None:
            object.__setattr__(self, "prior", _probability("prior", self.prior))
        _positive_int("block_cap", self.block_cap, 2)
        _positive_int("cap_window", self.cap_window)
        if self.max_pairs_per_rule is not None:
            _positive_int("max_pairs_per_rule", self.max_pairs_per_rule)
        _positive_int("u_pairs", self.u_pairs)
        _positive_int("em_max_iter", self.em_max_iter)
        if not isinstance(self.em_tol, (int, float)) or not self.em_tol > 0:
            raise ConfigError("em_tol must be a positive number")
        if not isinstance(self.min_density, (int, float)) or not 0 <= self.min_density <= 1:
            raise ConfigError("min_density must be between 0 and 1")
        if not isinstance(self.name_guard, bool):
            raise ConfigError("name_guard must be true or false")

    @property
    def fitted(self) -> bool:
        """Whether m, u and the prior are all set (the model can score without training)."""
        return self.prior is not None and all(
            c.m is not None and c.u is not None for c in self.comparisons
        )

    @property
    def threshold_weight(self) -> float:
        """The threshold as a match weight: ``log2(p / (1 - p))``."""
        return math.log2(self.threshold / (1 - self.threshold))

    def pair_budget(self, n: int) -> int:
        """The candidate pairs one blocking rule may give in a run over ``n`` records:
        ``max_pairs_per_rule``, or five pairs per record and at least a million.

        Example:
            >>> default_settings(["email"]).pair_budget(10_000_000)
            50000000
        """
        return self.max_pairs_per_rule or max(1_000_000, 5 * n)

    def key_columns(self) -> tuple[str, ...]:
        """The base key columns the settings need (first column of each comparison and every
        blocking key).

        Example:
            >>> default_settings(["email", "phone"]).key_columns()
            ('email', 'phone')
        """
        out: dict[str, None] = {}
        for c in self.comparisons:
            out.update(dict.fromkeys(c.required_columns))
        for rule in self.blocking:
            for key in rule.keys:
                out[base_key_column(key)] = None
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain JSON-ready data.

        Example:
            >>> default_settings(["email"]).to_dict()["threshold"]
            0.9
        """
        return {
            "version": SETTINGS_VERSION,
            "comparisons": [c.to_dict() for c in self.comparisons],
            "blocking": [r.to_dict() for r in self.blocking],
            "threshold": self.threshold,
            "prior": self.prior,
            "block_cap": self.block_cap,
            "cap_window": self.cap_window,
            "max_pairs_per_rule": self.max_pairs_per_rule,
            "u_pairs": self.u_pairs,
            "em_max_iter": self.em_max_iter,
            "em_tol": self.em_tol,
            "min_density": self.min_density,
            "name_guard": self.name_guard,
            "correlated": [list(g) for g in self.correlated],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The settings as a JSON document (see :meth:`from_json`).

        Example:
            >>> '"comparisons"' in default_settings(["email"]).to_json()
            True
        """
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatchSettings:
        """Settings from :meth:`to_dict` data.

        Raises:
            ConfigError: unknown keys, a wrong version or invalid values.

        Example:
            >>> s = default_settings(["email"])
            >>> MatchSettings.from_dict(s.to_dict()) == s
            True
        """
        known = {f.name for f in attrs.fields(cls)}
        data = saved_fields(data, "settings", known, version=SETTINGS_VERSION)
        comparisons = [Comparison.from_dict(item) for item in _items(data, "comparisons")]
        rules = [rule_from_dict(item) for item in _items(data, "blocking")]
        return build(cls, {"comparisons": comparisons, "blocking": rules, **data}, "settings")

    @classmethod
    def from_json(cls, text: str | bytes) -> MatchSettings:
        """Settings from a JSON document written by :meth:`to_json`.

        Raises:
            ConfigError: the text is not valid settings JSON.

        Example:
            >>> MatchSettings.from_json("{}")
            Traceback (most recent call last):
            ...
            crmclean.errors.ConfigError: settings need at least one comparison
        """
        return cls.from_dict(json_document(text, "settings"))



def default_settings(key_columns: Iterable[str], **options: Any) -> MatchSettings:
    """Default settings for the key columns a table has (see :func:`crmclean.fields.key_columns`).

    Every field whose key column is present is compared; every blocking rule whose key
    columns are all present is used. ``options`` set the other :class:`MatchSettings`
    attributes (``threshold=0.95``, ...).

    Raises:
        ConfigError: no key column can be compared.

    Example:
        >>> s = default_settings(["family", "given", "postcode"])
        >>> [r.name for r in s.blocking]
        ['postcode+family[:3]', 'postcode+given[:3]', 'sorted:family+given', 'sorted:given+family']
    """
    present = set(key_columns)
    comparisons = fields.default_comparisons(present)
    if not comparisons:
        raise ConfigError(
            "no column can be matched on: give the roles of the table's columns "
            "(first_name, last_name, email, phone, ...)"
        )
    rules = fields.default_blocking(present)
    if not rules:  # a table of, say, only cities: block on the first compared field
        rules = [BlockingRule((comparisons[0].columns[0],))]
    return MatchSettings(comparisons=comparisons, blocking=rules, **options)


def check_settings_keys(settings: MatchSettings, key_names: Sequence[str]) -> None:
    """Check that a table's key columns hold every key column the settings use.

    Raises:
        ColumnError: naming the missing key columns and the ones the table has.

    Example:
        >>> check_settings_keys(default_settings(["email"]), ["phone"])
        Traceback (most recent call last):
        ...
        crmclean.errors.ColumnError: the settings use key column(s) 'email' that the table \
does not have; key columns are: phone
    """
    missing = [name for name in settings.key_columns() if name not in key_names]
    if missing:
        raise ColumnError(
            "the settings use key column(s) "
            + ", ".join(repr(m) for m in missing)
            + " that the table does not have; key columns are: "
            + (", ".join(key_names) or "(none)")
        )


def coerce_settings(settings: object) -> MatchSettings | None:
    """Settings given as :class:`MatchSettings`, their JSON text or dict form, or ``None``.

    Raises:
        TypeError: anything else.
        ConfigError: invalid JSON or settings.

    Example:
        >>> coerce_settings(default_settings(["email"]).to_json()).threshold
        0.9
    """
    if settings is None or isinstance(settings, MatchSettings):
        return settings
    if isinstance(settings, (str, bytes)):
        return MatchSettings.from_json(settings)
    if isinstance(settings, Mapping):
        return MatchSettings.from_dict(settings)
    raise TypeError("settings must be MatchSettings, a JSON string, a dict or None")


def settings_for_keys(
    settings: MatchSettings | None,
    non_null: Mapping[str, int],
    threshold: float | None = None,
    *,
    stacklevel: int = 2,
) -> tuple[MatchSettings, list[str]]:
    """The settings a matching run uses on a table whose key columns hold ``non_null`` values
    (key column → records with a key), and the key columns left out.

    Without settings: the defaults for the table's key columns (:func:`default_settings`),
    less the comparisons and blocking rules of columns that hold no value (with a
    :class:`MatchingWarning` naming them, unless they are quiet ones such as the derived
    name keys). ``threshold`` overrides the settings' one. Every engine resolves its settings
    here, so that the same table gets the same settings.

    Raises:
        ColumnError: the settings use a key column the table lacks.

    Example:
        >>> s, unused = settings_for_keys(None, {"email": 10, "phone": 0})
        >>> [c.name for c in s.comparisons], unused
        (['email'], ['phone'])
    """
    unused: list[str] = []
    if settings is None:
        settings = default_settings(non_null)
        unused = [name for name, count in non_null.items() if count == 0]
        if unused:
            comparisons = [c for c in settings.comparisons if c.columns[0] not in unused]
            rules = [r for r in settings.blocking
                     if not any(base_key_column(k) in unused for k in r.keys)]  # fmt: skip
            if comparisons:
                if not rules:
                    rules = [BlockingRule((comparisons[0].columns[0],))]
                settings = attrs.evolve(settings, comparisons=comparisons, blocking=rules)
        told = [k for k in unused if k not in fields.QUIET_KEYS]
        if told:
            warnings.warn(
                f"key column(s) {', '.join(told)} hold no value and are not used",
                MatchingWarning,
                stacklevel=stacklevel,
            )
    if threshold is not None:
        settings = attrs.evolve(settings, threshold=threshold)
    check_settings_keys(settings, list(non_null))
    return settings, unused
