"""Data-quality audit: how dirty is a contact table, field by field and record by record.

:func:`audit` runs every normalizer over a table (the same work as
:func:`crmclean.standardize`) and turns the issue codes into

* one row per record: its issue codes, counts of errors and warnings, a 0-100 quality score,
  whether it is clean, a suspected duplicate, stale;
* one report per field: completeness, validity, standardization rate, distinct values, the most
  frequent issues and offending values;
* KPIs: share of clean records, duplicate rate, stale records, invalid-email share, ...;

as an :class:`AuditReport` with a JSON summary of stable schema (:data:`JSON_SCHEMA`) and a
single self-contained HTML page with charts that opens offline.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean import fields
from crmclean._progress import Progress, progress_of
from crmclean._workers import check_workers
from crmclean.columns import detect_roles
from crmclean.errors import ColumnError, ConfigError
from crmclean.frames import ColumnBatch, from_columns, result_kind, table_shape, to_columns
from crmclean.normalize._base import is_null
from crmclean.normalize._batch import normalize_many
from crmclean.normalize.dates import normalize_date
from crmclean.standardize import Outcomes, row_tags, standardize_results

__all__ = [
    "JSON_SCHEMA",
    "SEVERITY",
    "AuditReport",
    "FieldReport",
    "audit",
    "audit_standardized",
    "severity",
]

#: Identifier of the JSON summary's schema; it changes only when the schema does.
JSON_SCHEMA: Final = "crmclean.audit/1"

#: How much an issue code weighs in the audit: ``"error"`` (the value is unusable: invalid,
#: fake, a placeholder), ``"warning"`` (usable, but needed fixing or deserves a look) or
#: ``"info"`` (a fact about the value, not a defect). Codes not listed are warnings, except those
#: named like errors (``invalid_*``, ``fake_*``, ``placeholder_*``, ``not_a_*``).
SEVERITY: Final[Mapping[str, str]] = {
    "missing": "error",
    "unsupported_type": "error",
    "missing_at": "error",
    "missing_country_code": "warning",
    "phone_too_short": "error",
    "phone_too_long": "error",
    "company_in_name": "error",
    "role_in_name": "error",
    "only_initials": "warning",
    "digits_in_name": "error",
    "disposable_email": "error",
    "undeliverable_domain": "error",
    "free_email": "info",
    "region_inferred": "info",
    "single_name": "info",
    "unknown_title": "info",
    "title_typo_corrected": "warning",
    "role_email": "warning",
    "multiple_numbers": "warning",
    "multiple_emails": "warning",
}
_ERROR_PREFIXES: Final = ("invalid_", "fake_", "placeholder_", "not_a_", "junk_")


def severity(code: str) -> str:
    """The severity of an issue code: ``"error"``, ``"warning"`` or ``"info"``.

    Example:
        >>> severity("fake_phone"), severity("bad_casing"), severity("free_email")
        ('error', 'warning', 'info')
    """
    found = SEVERITY.get(code)
    if found is not None:
        return found
    return "error" if code.startswith(_ERROR_PREFIXES) else "warning"


@attrs.frozen
class FieldReport:
    """Quality figures of one field (column role) of the audited table.

    Attributes:
        role: the column role (``"email"``, ``"phone"``, ``"address"``, ...).
        column: the table's column (several for an address, joined with ``", "``).
        filled: share of records where the field is not empty.
        valid: share of filled values that are valid.
        standardized: share of filled values that crmclean changed when standardizing.
        distinct: number of distinct non-empty raw values.
        issues: issue code → number of records, most frequent first.
        top_values: the most frequent raw values that have an error, with their counts (empty
            when the audit was run with ``include_values=False``).

    Example:
        >>> FieldReport("email", "Email", 1.0, 0.5, 0.5, 2, {"missing_at": 1}, ()).valid
        0.5
    """

    role: str
    column: str
    filled: float
    valid: float
    standardized: float
    distinct: int
    issues: Mapping[str, int]
    top_values: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict.

        Example:
            >>> FieldReport("email", "Email", 1.0, 1.0, 0.0, 1, {}, ()).to_dict()["role"]
            'email'
        """
        return {
            "role": self.role,
            "column": self.column,
            "filled": round(self.filled, 6),
            "valid": round(self.valid, 6),
            "standardized": round(self.standardized, 6),
            "distinct": self.distinct,
            "issues": dict(self.issues),
            "top_values": [{"value": v, "count": n} for v, n in self.top_values],
        }


@attrs.frozen
class AuditReport:
    """The result of :func:`audit`.

    Attributes:
        rows: number of records audited (every input record is in :attr:`records`).
        records: one row per record, in input order: ``row`` (0-based position), the id
            column when the table has one, ``issues`` (``role:code`` joined with ``"; "``),
            ``errors``, ``warnings``, ``quality_score`` (0-100), ``clean``, ``duplicate``,
            ``stale``. From :func:`audit`, a table of the input's kind (a pandas DataFrame, with
            the input's index, for pandas and for a list of dicts); else a pandas DataFrame
            when pandas is installed, else a dict of columns.
        fields: one :class:`FieldReport` per field found in the table.
        kpis: the headline figures (see :meth:`to_json` for their names).
        issue_counts: ``role:code`` → number of records.
        cluster_sizes: cluster size → number of clusters (empty when no clusters were given).

    Example:
        >>> report = audit([{"Email": "ann@acme.com"}, {"Email": "not-an-email"}])
        >>> report.kpis["clean_share"], report.kpis["invalid_email_share"]
        (0.5, 0.5)
    """

    rows: int
    records: Any
    fields: tuple[FieldReport, ...]
    kpis: Mapping[str, float | int | None]
    issue_counts: Mapping[str, int]
    cluster_sizes: Mapping[int, int]
    score_histogram: tuple[int, ...]
    generated_at: str

    def summary(self) -> dict[str, Any]:
        """The JSON summary as a dict (schema :data:`JSON_SCHEMA`).

        Example:
            >>> audit([{"Email": "ann@acme.com"}]).summary()["schema"]
            'crmclean.audit/1'
        """
        return {
            "schema": JSON_SCHEMA,
            "generated_at": self.generated_at,
            "rows": self.rows,
            "kpis": dict(self.kpis),
            "fields": [f.to_dict() for f in self.fields],
            "issue_counts": dict(self.issue_counts),
            "cluster_sizes": {str(k): v for k, v in sorted(self.cluster_sizes.items())},
            "score_histogram": {
                "bins": [f"{10 * i}-{10 * i + 10}" for i in range(10)],
                "counts": list(self.score_histogram),
            },
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON summary for pipelines.

        Top-level keys: ``schema``, ``generated_at``, ``rows``, ``kpis`` (``records``,
        ``clean_share``, ``mean_quality_score``, ``with_contact_point_share``,
        ``invalid_email_share``, ``invalid_phone_share``, ``duplicate_rate``, ``stale_share``;
        a KPI that cannot be computed is ``null``), ``fields``, ``issue_counts``,
        ``cluster_sizes`` and ``score_histogram``.

        Example:
            >>> '"schema": "crmclean.audit/1"' in audit([{"Email": "a@b.com"}]).to_json()
            True
        """
        return json.dumps(self.summary(), indent=indent, ensure_ascii=False, sort_keys=False)

    def to_html(self) -> str:
        """A single self-contained HTML page: KPIs, charts and the field table; opens offline.

        Example:
            >>> audit([{"Email": "a@b.com"}]).to_html().startswith("<!DOCTYPE html>")
            True
        """
        return _render_html(self)

    def _repr_html_(self) -> str:
        return _render_html(self, fragment=True)

    def __repr__(self) -> str:
        k = self.kpis
        return (
            f"AuditReport(rows={self.rows}, clean_share={k.get('clean_share')}, "
            f"mean_quality_score={k.get('mean_quality_score')}, fields={len(self.fields)})"
        )


def _as_date(value: object) -> _dt.date | None:
    """A last-modified cell as a date (any form :func:`crmclean.normalize_date` reads, with
    the time of day dropped); ``None`` when it holds no full date."""
    result = normalize_date(value)
    year, month, day = result.year, result.month, result.day
    if not result.valid or year is None or month is None or day is None:
        return None
    return _dt.date(year, month, day)


def _cluster_ids(clusters: object, ids: list[Any], n: int) -> list[Any] | None:
    if clusters is None:
        return None
    column_batch = isinstance(clusters, Mapping) and isinstance(
        clusters.get("cluster_id"), (list, tuple)
    )
    if isinstance(clusters, Mapping) and not column_batch:
        mapping = clusters
    else:
        batch, _ = to_columns(clusters)
        if "cluster_id" not in batch:
            raise ColumnError("clusters table has no 'cluster_id' column")
        key = next((c for c in batch if c != "cluster_id"), None)
        if key is None:
            raise ColumnError("clusters table needs an id column beside 'cluster_id'")
        mapping = dict(zip(batch[key], batch["cluster_id"], strict=True))
    out = []
    for i in range(n):
        record_id = ids[i]
        out.append(mapping.get(record_id, mapping.get(str(record_id))))
    return out


def _module_of_table(table: object) -> str:
    return type(table).__module__.split(".", 1)[0]


def audit(
    table: Any,
    *,
    columns: Mapping[str, str] | None = None,
    region: str | None = None,
    clusters: Any = None,
    stale_after_days: int = 365,
    as_of: _dt.date | None = None,
    include_values: bool = True,
    progress: bool | Progress = False,
    workers: int | None = None,
) -> AuditReport:
    """Audit a contact table's data quality.

    Args:
        table: pandas/polars DataFrame, pyarrow Table, list of dicts or dict of lists.
        columns: role → column, to name columns detection misses (as in
            :func:`crmclean.standardize`).
        region: default phone region for rows without a country.
        clusters: duplicate clusters, e.g. ``crmclean.dedupe(...).clusters`` or a mapping
            record id → cluster id; gives the duplicate rate and flags suspected duplicates.
        stale_after_days: a record whose last-modified date (``updated_at`` role) is older than
            this is stale.
        as_of: the date staleness is measured from (default: today).
        include_values: list the most frequent offending raw values per field. Turn off when
            the report leaves the team that owns the data.
        progress: show the fields standardized, then the fields audited, on stderr; a
            :class:`~crmclean._progress.Progress` receives the reports instead.
        workers: processes that standardize the values (default ``None``: every core;
            ``1``: this process only); the report is the same whatever the number.

    Raises:
        ColumnError: a named column is missing, or ``clusters`` lacks ``cluster_id``.
        ConfigError: an unknown role or region, a bad ``stale_after_days`` or ``workers``.

    Example:
        >>> rows = [{"Name": "jane smith", "Email": "jane@acme.com", "Phone": "555-555-5555"}]
        >>> report = audit(rows, columns={"full_name": "Name"}, region="US")
        >>> report.issue_counts["phone:fake_phone"], report.kpis["clean_share"]
        (1, 0.0)
    """
    if not isinstance(stale_after_days, int) or isinstance(stale_after_days, bool) or (
        stale_after_days < 1
    ):
        raise ConfigError("stale_after_days must be a positive int")
    check_workers(workers)
    reporter = progress_of(progress)
    batch, kind = to_columns(table)
    roles = detect_roles(list(batch), overrides=columns)
    standardized = standardize_results(batch, roles=roles, region=region, progress=reporter,
                                       workers=workers)  # fmt: skip
    report = audit_standardized(batch, roles, standardized, clusters=clusters,
                                stale_after_days=stale_after_days, as_of=as_of,
                                include_values=include_values, progress=reporter)  # fmt: skip
    out_kind = result_kind(kind)
    records = report.records
    if out_kind != "pandas" and _module_of_table(records) == "pandas":
        records = from_columns(to_columns(records)[0], out_kind)
    return attrs.evolve(report, records=table_shape(table).restore(records))


def audit_standardized(
    batch: ColumnBatch,
    roles: Mapping[str, str],
    standardized: tuple[ColumnBatch, Any, Mapping[str, Any]],
    *,
    clusters: Any = None,
    stale_after_days: int = 365,
    as_of: _dt.date | None = None,
    include_values: bool = True,
    progress: bool | Progress = False,
) -> AuditReport:
    """The audit of a table whose fields were already standardized
    (:func:`crmclean.standardize.standardize_results`), so a caller that has those results,
    such as ``crmclean clean``, does not normalize every value twice: it reads each role's
    :class:`~crmclean.standardize.Outcomes` (a list of normalizer results per row is read
    as well). ``progress`` reports each field's figures (as in :func:`audit`).

    Example:
        >>> from crmclean.standardize import Outcomes, row_tags, standardize_results
        >>> batch = {"Email": ["jane@acme.com", "bad@"]}
        >>> roles = {"email": "Email"}
        >>> report = audit_standardized(batch, roles, standardize_results(batch, roles=roles))
        >>> report.kpis["clean_share"]
        0.5
    """
    _, summary, given = standardized
    n = summary.rows
    results = {role: found if isinstance(found, Outcomes) else Outcomes.of(found)
               for role, found in given.items()}  # fmt: skip
    id_column = roles.get("id")
    ids = list(batch[id_column]) if id_column else list(range(n))
    cluster_of = _cluster_ids(clusters, ids, n)
    graded = _grade_records(n, results)
    stale = _staleness(batch, roles, n, stale_after_days, as_of)
    duplicate, cluster_sizes = _duplicates(cluster_of, n)
    dup = np.array([d is True for d in duplicate], dtype=np.bool_)
    graded.warnings += dup
    combo, combos = row_tags(n, [
        *graded.tagged,
        (dup.astype(np.int32), [(), ("record:suspected_duplicate",)]),
    ])  # fmt: skip
    scores = graded.scores()
    clean = ((graded.errors == 0) & ~dup).tolist()
    texts = ["; ".join(tags) for tags in combos]
    records: ColumnBatch = {"row": list(range(n))}
    if id_column is not None:
        records[id_column if id_column != "row" else "record_id"] = ids
    records.update(
        issues=[texts[c] for c in combo.tolist()],
        errors=graded.errors.tolist(),
        warnings=graded.warnings.tolist(),
        quality_score=scores,
        clean=clean,
        duplicate=duplicate,
        stale=stale,
    )
    fields_out = tuple(
        _field_report(role, roles, batch, results[role], include_values)
        for role in progress_of(progress).each("audit", list(results), unit="fields")
    )
    issue_counts: Counter[str] = Counter()
    rows_of_combo = np.bincount(combo, minlength=len(combos)).tolist() if n else []
    for c in _first_row_order(combo, len(combos)):
        for tag in dict.fromkeys(combos[c]):
            issue_counts[tag] += rows_of_combo[c]
    histogram = [0] * 10
    for s in scores:
        histogram[min(int(s // 10), 9)] += 1
    kpis = _kpis(n, clean, scores, graded.contact_ok.tolist(), results, duplicate, stale)
    try:
        table_out = from_columns(records, "pandas")
    except ImportError:  # pragma: no cover - pandas is an optional extra
        table_out = records
    return AuditReport(
        rows=n,
        records=table_out,
        fields=fields_out,
        kpis=kpis,
        issue_counts=dict(issue_counts.most_common()),
        cluster_sizes=dict(cluster_sizes),
        score_histogram=tuple(histogram),
        generated_at=_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
    )


def _first_row_order(codes: npt.NDArray[np.int64], size: int) -> list[int]:
    """The codes ``0 .. size - 1`` that occur, in the order of the first row holding each."""
    if not len(codes):
        return []
    found, first = np.unique(codes, return_index=True)
    return [int(found[i]) for i in np.argsort(first, kind="stable").tolist()]


class _Graded:
    """Per record: its tags (per role, as (row → group, groups) columns), error and warning
    counts, score parts and whether it has a contact point."""

    def __init__(self, n: int, has_contact_roles: bool) -> None:
        self.tagged: list[tuple[npt.NDArray[np.int32], list[tuple[str, ...]]]] = []
        self.errors = np.zeros(n, dtype=np.int64)
        self.warnings = np.zeros(n, dtype=np.int64)
        self.score_num = np.zeros(n, dtype=np.float64)
        self.score_den = np.zeros(n, dtype=np.float64)
        self.contact_ok = np.full(n, not has_contact_roles, dtype=np.bool_)

    def scores(self) -> list[float]:
        """Each record's quality score, 0-100 with one decimal (0 without any weighed field)."""
        num, den = self.score_num, self.score_den
        weighed = den != 0
        ratio = np.zeros(len(num), dtype=np.float64)
        ratio[weighed] = 100.0 * num[weighed] / den[weighed]
        distinct, inverse = np.unique(ratio, return_inverse=True)
        rounded = [round(float(v), 1) for v in distinct.tolist()]
        out = [rounded[i] for i in inverse.reshape(-1).tolist()]
        for i in np.flatnonzero(~weighed).tolist():
            out[i] = 0.0
        return out


def _grade_records(n: int, results: Mapping[str, Outcomes]) -> _Graded:
    """Each record's issues, errors, warnings and quality-score parts from its fields'
    outcomes, weighted as the field registry says; each distinct outcome is graded once."""
    contact = {role for role in results if _spec(role).contact_point}
    graded = _Graded(n, bool(contact))
    for role, found in results.items():
        spec = _spec(role)
        weight, required = spec.audit_weight, spec.required
        codes = found.codes
        if role in contact:
            graded.contact_ok |= found.valid[codes]
        # an absent optional field is a completeness figure, not a defect
        skipped = [("missing" in issues and not required) for issues in found.issues]
        levels = [[severity(c) for c in issues] for issues in found.issues]
        n_err = np.array([lv.count("error") for lv in levels], dtype=np.int64)
        n_warn = np.array([lv.count("warning") for lv in levels], dtype=np.int64)
        skip = np.array(skipped, dtype=np.bool_)
        n_err[skip] = 0
        n_warn[skip] = 0
        den = np.where(skip, 0.0, weight)
        num = np.where(~skip & (n_err == 0) & found.valid,
                       np.where(n_warn > 0, weight * 0.75, weight * 1.0), 0.0)  # fmt: skip
        graded.errors += n_err[codes]
        graded.warnings += n_warn[codes]
        graded.score_den += den[codes]
        graded.score_num += num[codes]
        graded.tagged.append((codes, [
            () if s else tuple(f"{role}:{c}" for c in issues)
            for s, issues in zip(skipped, found.issues, strict=True)
        ]))  # fmt: skip
    lost = ~graded.contact_ok
    graded.errors += lost
    graded.tagged.append((lost.astype(np.int32), [(), ("record:no_contact_point",)]))
    return graded


def _staleness(
    batch: ColumnBatch, roles: Mapping[str, str], n: int, stale_after_days: int,
    as_of: _dt.date | None,
) -> list[bool | None]:
    """Per record: whether its updated-at date is older than ``stale_after_days`` (each
    distinct date read once)."""
    stale: list[bool | None] = [None] * n
    updated = roles.get("updated_at")
    if updated is not None:
        today = as_of or _dt.date.today()
        dates = normalize_many(_as_date, batch[updated])
        stale = [None if date is None else (today - date).days > stale_after_days
                 for date in dates]  # fmt: skip
    return stale


def _duplicates(
    cluster_of: list[Any] | None, n: int
) -> tuple[list[bool | None], Counter[int]]:
    """Per record: whether its cluster holds other records; and how many clusters there are
    of each size."""
    duplicate: list[bool | None] = [None] * n
    cluster_sizes: Counter[int] = Counter()
    if cluster_of is not None:
        sizes = Counter(c for c in cluster_of if c is not None)
        cluster_sizes = Counter(sizes.values())
        duplicate = [c is not None and sizes[c] > 1 for c in cluster_of]
    return duplicate, cluster_sizes


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def _kpis(
    n: int,
    clean: list[bool],
    scores: list[float],
    contact_ok: list[bool],
    results: Mapping[str, Outcomes],
    duplicate: list[bool | None],
    stale: list[bool | None],
) -> dict[str, float | int | None]:
    def invalid_share(role: str) -> float | None:
        found = results.get(role)
        if found is None:
            return None
        rows = found.counts()
        filled = np.array(["missing" not in issues for issues in found.issues], dtype=np.bool_)
        invalid = filled & ~found.valid
        return _share(int(rows[invalid].sum()), int(rows[filled].sum()))

    known_dup = [d for d in duplicate if d is not None]
    known_stale = [s for s in stale if s is not None]
    return {
        "records": n,
        "clean_share": _share(sum(clean), n),
        "mean_quality_score": round(sum(scores) / n, 2) if n else None,
        "with_contact_point_share": _share(sum(contact_ok), n),
        "invalid_email_share": invalid_share("email"),
        "invalid_phone_share": invalid_share("phone"),
        "duplicate_rate": _share(sum(known_dup), len(known_dup)) if known_dup else None,
        "stale_share": _share(sum(known_stale), len(known_stale)) if known_stale else None,
    }


def _group_roles(key: str) -> tuple[str, ...] | None:
    """The roles a field group's standardizer read, when ``key`` names such a group."""
    for field in fields.fields():
        if field.name == key and field.standardize_group is not None:
            return field.standardize_group.roles
    return None


def _spec(key: str) -> fields.Role:
    """How the audit weighs a standardized result key: a role's, or a field group's (the
    address), read off the field registry."""
    spec = fields.role_spec(key)
    for field in fields.fields():
        group = field.standardize_group
        if field.name == key and group is not None:
            return fields.Role(key, audit_weight=group.audit_weight)
    return spec if spec is not None else fields.Role(key)


def _field_report(
    role: str,
    roles: Mapping[str, str],
    batch: ColumnBatch,
    found: Outcomes,
    include_values: bool,
) -> FieldReport:
    group = _group_roles(role)
    cols = [roles[r] for r in group if r in roles] if group is not None else [roles[role]]
    n = len(found)
    rows_of = _raw_counts([batch[c] for c in cols], found.codes, joined=group is not None)
    filled = valid = changed = 0
    distinct: set[str] = set()
    offending: Counter[str] = Counter()
    for (raw, code), count in rows_of.items():
        issues = found.issues[code]
        if not raw or "missing" in issues:
            continue
        filled += count
        if found.valid[code]:
            valid += count
        value = found.values[code]
        if value is not None and str(value) != raw.strip():
            changed += count
        distinct.add(raw)
        if include_values and any(severity(c) == "error" for c in issues):
            offending[raw[:80]] += count
    codes: Counter[str] = Counter()
    for outcome, count in enumerate(found.counts().tolist()):
        for c in dict.fromkeys(found.issues[outcome]):
            codes[c] += count
    return FieldReport(
        role=role,
        column=", ".join(cols),
        filled=filled / n if n else 0.0,
        valid=valid / filled if filled else 0.0,
        standardized=changed / filled if filled else 0.0,
        distinct=len(distinct),
        issues=dict(codes.most_common()),
        top_values=tuple(offending.most_common(5)),
    )


def _raw_counts(
    columns: list[Sequence[Any]], codes: npt.NDArray[np.int32], *, joined: bool
) -> Counter[tuple[str, int]]:
    """Rows per (raw text, outcome), in the order of the first row of each: the raw text is
    the cell as text (``""`` when empty), or for an address the parts joined with ``", "``.
    Each distinct row is turned into text once."""
    outcome = codes.tolist()

    def text(cells: tuple[Any, ...]) -> str:
        if joined:
            return ", ".join(str(v) for v in cells if not _empty(v))
        return "" if _empty(cells[0]) else str(cells[0])

    if not all(type(v) is str or v is None for column in columns for v in column):
        # cells of other types (1 and True are one dict key, not one text): each row's text
        return Counter((text(cells[:-1]), cells[-1])
                       for cells in zip(*columns, outcome, strict=True))  # fmt: skip
    per_row = Counter(zip(*columns, outcome, strict=True))
    out: Counter[tuple[str, int]] = Counter()
    for cells, count in per_row.items():
        out[text(cells[:-1]), cells[-1]] += count
    return out


def _empty(value: object) -> bool:
    return is_null(value) or (isinstance(value, str) and not value.strip())


# --- HTML ----------------------------------------------------------------------------------

_CSS: Final = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1f2933}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
.kpis{display:flex;flex-wrap:wrap;gap:1rem}.kpi{border:1px solid #d9e2ec;border-radius:8px;
padding:.8rem 1.2rem;min-width:9rem}.kpi b{display:block;font-size:1.5rem}
table{border-collapse:collapse;margin-top:.5rem}td,th{border-bottom:1px solid #e4e7eb;
padding:.3rem .7rem;text-align:left;font-size:.9rem}svg text{font-size:12px;fill:#1f2933}
.chart{margin:.5rem 0}.muted{color:#7b8794}
"""
# Marks every chart whose bars have a real on-screen size, so a browser test can tell that
# the page rendered (and not only that it parsed).
_SCRIPT: Final = """
document.addEventListener('DOMContentLoaded',function(){
 document.querySelectorAll('svg.chart').forEach(function(svg){
  var bars=svg.querySelectorAll('rect.bar'),ok=bars.length>0;
  bars.forEach(function(b){var r=b.getBoundingClientRect();if(!(r.height>0))ok=false;});
  svg.setAttribute('data-rendered',ok?'true':'false');});
 document.body.setAttribute('data-charts',document.querySelectorAll('svg.chart[data-rendered=true]').length);
});
"""


def _bar_chart(chart_id: str, items: Sequence[tuple[str, float]], *, percent: bool) -> str:
    if not items:
        return '<p class="muted">No data.</p>'
    width, label_w, bar_h = 640, 230, 20
    height = bar_h * len(items) + 10
    top = max((v for _, v in items), default=0.0) or 1.0
    parts = [
        f'<svg class="chart" id="{chart_id}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, value) in enumerate(items):
        y = 5 + i * bar_h
        scale = 1.0 if percent else top
        w = max((width - label_w - 70) * (value / scale), 1.0)
        shown = f"{value:.0%}" if percent else f"{value:,.0f}"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{html.escape(label)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{bar_h - 5}" '
            f'fill="#3b82f6"><title>{html.escape(label)}: {shown}</title></rect>'
            f'<text x="{label_w + w + 5:.1f}" y="{y + 14}">{shown}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _render_html(report: AuditReport, *, fragment: bool = False) -> str:
    k = report.kpis

    def pct(value: object) -> str:
        return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else (
            f"{float(value):.1%}"  # type: ignore[arg-type]
        )

    kpi_cells = [
        ("Records", f"{report.rows:,}"),
        ("Clean records", pct(k.get("clean_share"))),
        ("Mean quality score", f"{k.get('mean_quality_score') or 0:.1f}"),
        ("With a contact point", pct(k.get("with_contact_point_share"))),
        ("Invalid emails", pct(k.get("invalid_email_share"))),
        ("Invalid phones", pct(k.get("invalid_phone_share"))),
        ("Duplicate rate", pct(k.get("duplicate_rate"))),
        ("Stale records", pct(k.get("stale_share"))),
    ]
    body = ['<div class="kpis">']
    body += [f'<div class="kpi">{html.escape(name)}<b>{value}</b></div>'
             for name, value in kpi_cells]  # fmt: skip
    body.append("</div>")
    body.append("<h2>Field completeness</h2>")
    body.append(_bar_chart("chart-completeness",
                           [(f.role, f.filled) for f in report.fields], percent=True))  # fmt: skip
    body.append("<h2>Most frequent issues</h2>")
    body.append(_bar_chart("chart-issues",
                           [(c, float(n)) for c, n in list(report.issue_counts.items())[:15]],
                           percent=False))  # fmt: skip
    body.append("<h2>Quality score distribution</h2>")
    bins = [(f"{10 * i}-{10 * i + 10}", float(c)) for i, c in enumerate(report.score_histogram)]
    body.append(_bar_chart("chart-scores", bins, percent=False))
    body.append("<h2>Duplicate cluster sizes</h2>")
    if report.cluster_sizes:
        body.append(_bar_chart("chart-clusters",
                               [(f"size {s}", float(c))
                                for s, c in sorted(report.cluster_sizes.items())],
                               percent=False))  # fmt: skip
    else:
        body.append('<p class="muted">No duplicate clusters were given to the audit.</p>')
    body.append("<h2>Fields</h2><table><tr><th>field</th><th>column</th><th>filled</th>"
                "<th>valid</th><th>standardized</th><th>distinct</th><th>top issues</th>"
                "<th>top offending values</th></tr>")  # fmt: skip
    for f in report.fields:
        issues = ", ".join(f"{html.escape(c)} ({n})" for c, n in list(f.issues.items())[:4])
        values = ", ".join(f"{html.escape(v)} ({n})" for v, n in f.top_values)
        body.append(
            f"<tr><td>{html.escape(f.role)}</td><td>{html.escape(f.column)}</td>"
            f"<td>{f.filled:.0%}</td><td>{f.valid:.0%}</td><td>{f.standardized:.0%}</td>"
            f"<td>{f.distinct:,}</td><td>{issues}</td><td>{values}</td></tr>"
        )
    body.append("</table>")
    content = "\n".join(body)
    if fragment:
        return f"<div><style>{_CSS}</style>{content}</div>"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>crmclean data-quality report</title><style>{_CSS}</style>"
        f"<script>{_SCRIPT}</script></head><body>"
        f"<h1>Data-quality report</h1><p class=\"muted\">{report.rows:,} records, generated "
        f"{html.escape(report.generated_at)} by crmclean.</p>\n{content}\n</body></html>\n"
    )
