"""The whole job on one table: standardize, find the duplicates, merge them, audit.

:func:`clean` is what ``crmclean clean`` runs, from Python. The data flows one way, and each
value is parsed once:

1. **standardize** (:func:`crmclean.standardize.standardize_results`) parses every field and
   writes the standardized columns and each row's issue codes; what the audit needs of each
   row (:class:`~crmclean.standardize.Outcomes`: validity, issues, standardized value) is
   kept, per distinct value;
2. **dedupe** (:func:`crmclean.pipeline.dedupe_columns`) makes its matching keys from the
   parses standardize made of the same columns (:func:`crmclean.fields.parse_once`), then
   frees them;
3. **merge** (:func:`crmclean.merge.merge`) reads the standardized values
   (:func:`standardized_view`);
4. **audit** (:func:`crmclean.audit.audit_standardized`) reads standardize's outcomes and the
   clusters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from crmclean import fields
from crmclean._progress import Progress, progress_of
from crmclean._workers import check_workers, using
from crmclean.audit import AuditReport, audit_standardized
from crmclean.columns import detect_roles
from crmclean.errors import ColumnError, ConfigError
from crmclean.frames import ColumnBatch, from_columns, result_kind, table_shape, to_columns
from crmclean.merge import MergeResult, MergeStrategy, merge
from crmclean.pipeline import MatchResult, MatchSettings, dedupe_columns
from crmclean.standardize import StandardizeSummary, standardize_results

__all__ = ["CleanResult", "clean", "standardized_view"]


@attrs.frozen
class CleanResult:
    """What :func:`clean` gives: the standardized table, the duplicates, the golden records
    and the audit.

    Attributes:
        table: the input with the standardized columns and ``crmclean_issues`` beside the
            original ones (as :func:`crmclean.standardize` gives it); a table of the input's
            kind (a pandas DataFrame for a list of dicts).
        summary: what standardizing found (:class:`crmclean.StandardizeSummary`).
        matches: the duplicates (:class:`crmclean.MatchResult`: clusters, pairs, review).
        merged: the golden records (:class:`crmclean.MergeResult`).
        report: the data-quality audit of the input, with the duplicates
            (:class:`crmclean.AuditReport`).
        id_column: the column of record ids the job used (``row_id`` when it numbered the
            rows: the table has no id column).

    Example:
        >>> rows = [{"id": 1, "name": "Ann Lee", "email": "ann@lee.org"},
        ...         {"id": 2, "name": "ANN LEE", "email": "Ann@Lee.org"}]
        >>> result = clean(rows, id_column="id")
        >>> len(result.merged.golden), result.report.kpis["duplicate_rate"]
        (1, 1.0)
    """

    table: Any
    summary: StandardizeSummary
    matches: MatchResult
    merged: MergeResult
    report: AuditReport
    id_column: str


def clean(
    table: Any,
    id_column: str | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    region: str | None = None,
    settings: MatchSettings | str | Mapping[str, Any] | None = None,
    threshold: float | None = None,
    seed: int = 0,
    decisions: Any = None,
    strategy: MergeStrategy | None = None,
    source_priority: Sequence[str] = (),
    stale_after_days: int = 365,
    progress: bool | Progress = False,
    workers: int | None = None,
) -> CleanResult:
    """Clean a contact table end to end: standardize every field, find the duplicates, merge
    each cluster into a golden record and audit the data, parsing each value once.

    The same as :func:`crmclean.standardize`, :func:`crmclean.dedupe`, :func:`crmclean.merge`
    (with the standardized values) and :func:`crmclean.audit` in turn, and the same results,
    with less work and memory: the matching keys and the audit read what standardizing
    parsed. ``crmclean clean`` on the command line runs this.

    Args:
        table: a pandas/polars DataFrame, a pyarrow Table, a list of dicts or a dict of lists.
        id_column: the column of unique record ids (default: the detected id column, else the
            rows are numbered in a ``row_id`` column added to the table).
        columns: role → column name, to name columns detection would miss or get wrong.
        region: default phone region (ISO code) for rows without a country.
        settings: match settings, as for :func:`crmclean.dedupe`.
        threshold: match probability threshold, overriding the settings' one.
        seed: random seed of the matching model.
        decisions: pairs a person decided, as for :func:`crmclean.dedupe`.
        strategy: survivorship rules (default: :meth:`crmclean.MergeStrategy.default_for`
            the table); ``source_priority`` and ``region`` replace its own when given.
        source_priority: sources in order of trust for the golden records.
        stale_after_days: a record last modified longer ago than this is stale (audit).
        progress: show each stage on stderr; a :class:`~crmclean._progress.Progress`
            receives the reports instead.
        workers: processes that parse the values (default ``None``: every core; ``1``: this
            process only); the result is the same whatever the number.

    Raises:
        ColumnError: the id column or a named column is missing.
        ConfigError: duplicate or empty ids, an unknown role or region, invalid settings.

    Example:
        >>> rows = [
        ...     {"id": "a", "first_name": "Bob", "last_name": "Smith", "email": "bob@acme.org"},
        ...     {"id": "b", "first_name": "Robert", "last_name": "SMITH", "email": "BOB@acme.org"},
        ...     {"id": "c", "first_name": "Ann", "last_name": "Lee", "email": "ann@lee.org"}]
        >>> result = clean(rows, "id", workers=1)
        >>> list(result.matches.clusters["cluster_id"]), len(result.merged.golden)
        (['a', 'a', 'c'], 2)
        >>> list(result.table["email_clean"])
        ['bob@acme.org', 'bob@acme.org', 'ann@lee.org']
    """
    workers = check_workers(workers)
    if not isinstance(stale_after_days, int) or isinstance(stale_after_days, bool) or (
        stale_after_days < 1
    ):
        raise ConfigError("stale_after_days must be a positive int")
    report = progress_of(progress)
    shape = table_shape(table)
    batch, kind = to_columns(table)
    id_column = _id_column(batch, id_column)
    roles = detect_roles(list(batch), overrides=columns)
    if roles.get("id") not in (None, id_column):
        roles["id"] = id_column
    with using(workers):  # one pool of worker processes for the job
        with fields.parse_once():  # the keys of dedupe read standardize's parses
            standardized = standardize_results(batch, roles=roles, region=region,
                                               progress=report, workers=workers)  # fmt: skip
            matches = dedupe_columns(
                batch, id_column, columns=columns, settings=settings, seed=seed,
                region=region, threshold=threshold, progress=report, decisions=decisions,
                workers=workers, kind=kind,
            )  # fmt: skip
        out, summary, _ = standardized
        chosen = _strategy(strategy, batch, roles, source_priority, region)
        merged = merge(
            from_columns(standardized_view(batch, out, roles, chosen), result_kind(kind)),
            matches.clusters, id_column=id_column, strategy=chosen, progress=report,
        )  # fmt: skip
        audited = audit_standardized(batch, roles, standardized, clusters=matches.clusters,
                                     stale_after_days=stale_after_days,
                                     progress=report)  # fmt: skip
    return CleanResult(
        table=shape.restore(from_columns(out, result_kind(kind))),
        summary=summary,
        matches=matches,
        merged=merged,
        report=audited,
        id_column=id_column,
    )


def _id_column(batch: ColumnBatch, id_column: str | None) -> str:
    """The id column: the one given, the detected id role, or row numbers added as
    ``row_id`` (as text, the way a CSV holds them)."""
    if id_column is not None:
        if id_column not in batch:
            raise ColumnError(f"id column {id_column!r} is not in the table")
        return id_column
    detected = detect_roles(list(batch)).get("id")
    if detected is not None:
        return detected
    name = "row_id"
    while name in batch:
        name += "_"
    n = len(next(iter(batch.values()))) if batch else 0
    batch[name] = [str(i) for i in range(n)]
    return name


def _strategy(
    given: MergeStrategy | None,
    batch: ColumnBatch,
    roles: Mapping[str, str],
    source_priority: Sequence[str],
    region: str | None,
) -> MergeStrategy:
    """The strategy given, with ``source_priority`` and ``region`` replacing its own when
    given; else the default rules for the columns."""
    priority = tuple(source_priority)
    if given is None:
        return MergeStrategy.default_for(list(batch), roles=roles, source_priority=priority,
                                         region=region)  # fmt: skip
    changes: dict[str, Any] = {}
    if priority:
        changes["source_priority"] = priority
    if region:
        changes["region"] = region
    return attrs.evolve(given, **changes) if changes else given


# role -> suffix of its standardized column in standardize's output
_CLEAN_SUFFIX: Mapping[str, str] = {
    "email": "_clean", "phone": "_e164", "mobile": "_e164", "first_name": "_clean",
    "middle_name": "_clean", "last_name": "_clean", "full_name": "_clean", "title": "_clean",
    "company": "_clean", "street": "_clean", "address_2": "_clean", "city": "_clean",
    "region": "_clean", "postcode": "_clean", "country": "_clean",
}  # fmt: skip

# roles whose golden values merge's ``standardize`` rule gives in standard form
_MERGE_STANDARDIZES: frozenset[str] = frozenset({
    "first_name", "middle_name", "last_name", "email", "phone", "mobile", "title", "company",
    "street",
})  # fmt: skip


def standardized_view(
    columns: ColumnBatch,
    clean: ColumnBatch,
    roles: Mapping[str, str],
    strategy: MergeStrategy | None = None,
) -> ColumnBatch:
    """The table merge reads: each field's standardized value in place of the raw one where
    there is one (a valid E.164 for a phone, the cased name, ...), so that golden records are
    clean. A field the strategy's ``standardize`` rule standardizes keeps its raw values:
    merge reads them with their record (a Turkish record's ``YILMAZ`` is ``Yılmaz``, a street
    line in its country's form) and its lineage holds them as written.

    Example:
        >>> view = standardized_view({"Phone": ["(415) 555-2671", "n/a"]},
        ...                          {"Phone_e164": ["+14155552671", None]}, {"phone": "Phone"})
        >>> view["Phone"]
        ['+14155552671', 'n/a']
    """
    view = dict(columns)
    lead = {f: g[0] for g in strategy.groups for f in g} if strategy is not None else {}
    for role, column in roles.items():
        if (
            strategy is not None
            and role in _MERGE_STANDARDIZES
            and any(r.name == "standardize" for r in strategy.chain_for(lead.get(column, column)))
        ):
            continue
        suffix = _CLEAN_SUFFIX.get(role)
        cleaned = clean.get(f"{column}{suffix}") if suffix else None
        if cleaned is None:
            continue
        view[column] = [c if c is not None else r for c, r in zip(cleaned, columns[column],
                                                                  strict=True)]  # fmt: skip
    return view
