"""Prepare a contact table for matching: one column of matching keys per field.

The matching stages (block, compare, score, cluster) never see raw values. They work on *keys*:
ASCII, lower-case, nickname-resolved, phonetic, E.164, ``YYYYMMDD`` strings produced here by the
crmclean normalizers, and then on integer codes (:class:`EncodedKeys`): each distinct key is
stored once and every record holds a small integer, so that the engine compares integers and
sends each distinct pair of strings to the string-similarity code at most once.

:func:`prepare_columns` turns a column batch plus its column roles into a batch of key columns
(:data:`KEY_COLUMNS`); :func:`encode_keys` turns that batch into :class:`EncodedKeys`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from crmclean import fields
from crmclean._progress import Progress, progress_of
from crmclean._workers import check_workers, using
from crmclean.encode import EncodedColumn, EncodedKeys, encode_keys
from crmclean.errors import ColumnError
from crmclean.frames import ColumnBatch
from crmclean.normalize.dates import date_key
from crmclean.normalize.phones import phone_region

__all__ = [
    "KEY_COLUMNS",
    "EncodedColumn",
    "EncodedKeys",
    "date_key",
    "encode_keys",
    "prepare_columns",
    "prepare_partition",
]

#: The key columns of the built-in fields, with what each holds (the registry's
#: :func:`crmclean.fields.key_columns` also lists those of fields registered later).
KEY_COLUMNS: Final[Mapping[str, str]] = MappingProxyType(dict(fields.key_columns()))

def prepare_columns(
    columns: ColumnBatch,
    roles: Mapping[str, str],
    *,
    region: str | None = None,
    dayfirst: bool = True,
    progress: bool | Progress = False,
    workers: int | None = None,
) -> ColumnBatch:
    """Turn a column batch into a batch of matching keys, one key column per field.

    Each role present in ``roles`` (role → column, as from
    :func:`crmclean.columns.detect_roles`) gives one or more key columns of
    :data:`KEY_COLUMNS`; roles without a matching key (``id``, ``source``, ...) are ignored.
    Keys are ``str`` or ``None`` (null: missing, unparseable or a placeholder such as
    ``test@test.com``). Each distinct value is normalized once. The keys of a row depend on
    that row only (:func:`prepare_partition`), except for two rules over the whole table: a
    contact point (email, phone) that records of several plainly different given names share
    is a place's and is removed (:func:`crmclean.fields.shared_contact_points`); where any
    record has a generational suffix, a named record without one gets the suffix key ``-``
    (:func:`crmclean.fields.mark_no_suffix`).

    Args:
        columns: the table as a column batch.
        roles: role → column name.
        region: default phone region (ISO code) for numbers without a country code.
        dayfirst: read ``01/02/1990`` as 1 February (``False``: as 2 January).
        progress: report fields prepared (``True``: a bar on stderr, or a ``Progress``).
        workers: processes that parse the values (``None``: every core; ``1``: this process
            only); the keys are the same whatever the number.

    Raises:
        ColumnError: a role names a column that is not in the batch.

    Example:
        >>> keys = prepare_columns(
        ...     {"First": ["José", None], "Last": ["O'Brien", "Smith"],
        ...      "Email": ["J.OBrien@Acme.org", "test@test.com"]},
        ...     {"first_name": "First", "last_name": "Last", "email": "Email"})
        >>> keys["given"], keys["family"], keys["email"]
        (['jose', None], ['obrien', 'smith'], ['j.obrien@acme.org', None])
    """
    keys, marks = prepare_partition(columns, roles, region=region, dayfirst=dayfirst,
                                      progress=progress, workers=workers)  # fmt: skip
    for name in fields.contact_point_keys():
        if name in keys:
            keys[name] = fields.shared_contact_points(keys[name], marks)
    if "suffix" in keys and "family" in keys:
        keys["suffix"] = fields.mark_no_suffix(keys["suffix"], keys["family"])
    return keys


def prepare_partition(
    columns: ColumnBatch,
    roles: Mapping[str, str],
    *,
    region: str | None = None,
    dayfirst: bool = True,
    progress: bool | Progress = False,
    workers: int | None = None,
) -> tuple[ColumnBatch, list[str | None]]:
    """The keys of one part of a table, before the rule over the whole table: each row's keys
    and its name mark (:func:`crmclean.fields.name_marks`; ``None`` for every row
    when the table has no contact point).

    A distributed engine prepares each partition here, then applies the whole-table rule
    itself: a value of a contact-point key column (:func:`crmclean.fields.contact_point_keys`)
    that rows of :data:`crmclean.fields.SHARED_BY` plainly different people hold
    (:func:`crmclean.fields.people_count` of their marks) is removed. Options
    and errors are those of :func:`prepare_columns`.

    Example:
        >>> keys, marks = prepare_partition(
        ...     {"First": ["Ann", "Bob"], "Phone": ["+44 20 7946 0000"] * 2},
        ...     {"first_name": "First", "phone": "Phone"})
        >>> keys["phone"], marks
        (['+442079460000', '+442079460000'], ['latin|a|', 'latin|b|'])
    """
    for role, column in roles.items():
        if column not in columns:
            raise ColumnError(f"column {column!r} (role {role!r}) is not in the table")
    if not isinstance(dayfirst, bool):
        raise TypeError("option 'dayfirst' must be a bool")
    region = phone_region(region)  # raises ConfigError for an unknown region
    workers = check_workers(workers)
    context = fields.FieldContext(columns, roles, region=region, dayfirst=dayfirst)
    out: ColumnBatch = {}
    used = [field for field in fields.fields()
            if field.prepare is not None and any(r.name in roles for r in field.roles)]
    with using(workers), progress_of(progress).step("prepare", len(used), "fields") as report:
        for field in used:
            assert field.prepare is not None
            report.describe(field.name)
            out.update(field.prepare(context))
            report.advance()
    if any(name in out for name in fields.contact_point_keys()):
        marks = fields.name_marks(context)
    else:
        marks = [None] * context.n
    return out, marks
