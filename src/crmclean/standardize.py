"""Standardize a whole contact table: every known field through its normalizer, in one call.

This is the table-level face of the normalize stage. The raw columns are never overwritten:
standardized values go into new columns beside them (``Email`` → ``Email_clean``), and one
column, ``crmclean_issues``, lists each row's issue codes as ``role:code`` pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Final, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from crmclean import fields
from crmclean._progress import Progress, progress_of
from crmclean._workers import check_workers, using
from crmclean.columns import detect_roles
from crmclean.errors import ConfigError
from crmclean.frames import ColumnBatch, from_columns, result_kind, table_shape, to_columns
from crmclean.normalize import normalize_phone

__all__ = [
    "ISSUES_COLUMN",
    "Outcome",
    "Outcomes",
    "StandardizeSummary",
    "row_tags",
    "standardize",
    "standardize_columns",
    "standardize_results",
]

#: Name of the column that lists each row's issue codes.
ISSUES_COLUMN: Final = "crmclean_issues"

@attrs.frozen
class StandardizeSummary:
    """What :func:`standardize_columns` did: rows, the roles it used, and issue counts.

    Attributes:
        rows: number of rows (every input row is in the output, in order).
        roles: role → column name, as used.
        issue_counts: ``"role:code"`` → number of rows with that issue.
        valid_counts: role → number of rows whose value of that role is valid.
        issue_rows: role → number of rows with at least one issue for that role.

    Example:
        >>> s = StandardizeSummary(rows=2, roles={"email": "Email"},
        ...                        issue_counts={"email:missing": 1}, valid_counts={"email": 1})
        >>> s.rows
        2
    """

    rows: int
    roles: Mapping[str, str]
    issue_counts: Mapping[str, int]
    valid_counts: Mapping[str, int]
    issue_rows: Mapping[str, int] = attrs.field(factory=dict)

    def lines(self) -> list[str]:
        """A short human-readable report, one line per role, most frequent issues first.

        Example:
            >>> StandardizeSummary(rows=2, roles={"email": "Email"},
            ...     issue_counts={"email:missing": 1}, valid_counts={"email": 1},
            ...     issue_rows={"email": 1}).lines()
            ['2 rows', 'email (Email): 1 valid, 1 with issues: missing 1']
        """
        out = [f"{self.rows:,} rows"]
        for role, column in self.roles.items():
            counts = sorted(
                ((code.split(":", 1)[1], n) for code, n in self.issue_counts.items()
                 if code.startswith(role + ":")),
                key=lambda item: (-item[1], item[0]),
            )  # fmt: skip
            with_issues = ", ".join(f"{code} {n:,}" for code, n in counts[:6])
            valid = self.valid_counts.get(role)
            line = f"{role} ({column})"
            if valid is not None:
                line += f": {valid:,} valid"
            if with_issues:
                line += f", {self.issue_rows.get(role, 0):,} with issues: {with_issues}"
            out.append(line)
        return out


def standardize_columns(
    columns: ColumnBatch,
    *,
    roles: Mapping[str, str] | None = None,
    region: str | None = None,
    only: Sequence[str] | None = None,
    progress: bool | Progress = False,
    workers: int | None = None,
) -> tuple[ColumnBatch, StandardizeSummary]:
    """Standardize a column batch; return the new batch and a summary.

    The table-level work behind :func:`standardize`, for callers that hold a column batch
    (the CLI, a partition of a distributed job). See :func:`standardize` for the options.

    Example:
        >>> out, summary = standardize_columns({"Email": ["Ann@Example.org", None]})
        >>> out["Email_clean"], summary.issue_counts["email:missing"]
        (['ann@example.org', None], 1)
    """
    out, summary, _ = standardize_results(
        columns, roles=roles, region=region, only=only, progress=progress, workers=workers
    )
    return out, summary


class Outcomes:
    """What the normalize stage found in each row of one role (or field group): per row, an
    outcome shared by every row that held the same value; per outcome, its validity, issue
    codes and standardized value. The audit reads these, so that a job keeps no normalizer
    result per row once its columns are written.

    Attributes:
        codes: each row's outcome (a numpy int32 array).
        valid: per outcome, whether the value is valid (a numpy bool array).
        issues: per outcome, its issue codes.
        values: per outcome, the standardized value (the results' ``value``).

    Example:
        >>> from crmclean.normalize import normalize_email, normalize_many
        >>> found = Outcomes.of(normalize_many(normalize_email, ["a@acme.org", "x", "a@acme.org"]))
        >>> found.codes.tolist(), found.valid.tolist(), found.issues[1]
        ([0, 1, 0], [True, False], ('missing_at',))
        >>> found[2].valid, len(found)
        (True, 3)
    """

    __slots__ = ("codes", "issues", "valid", "values")

    def __init__(
        self,
        codes: npt.NDArray[np.int32],
        valid: npt.NDArray[np.bool_],
        issues: tuple[tuple[str, ...], ...],
        values: tuple[object, ...],
    ) -> None:
        self.codes = codes
        self.valid = valid
        self.issues = issues
        self.values = values

    @classmethod
    def of(cls, results: Sequence[Any]) -> Outcomes:
        """The outcomes of a column of normalizer results (rows that share a result object,
        as :func:`crmclean.normalize_many` gives them, share an outcome).

        Example:
            >>> Outcomes.of([]).codes.tolist()
            []
        """
        position: dict[int, int] = {}
        first: list[Any] = []
        codes: list[int] = []
        add = codes.append
        for result in results:
            key = id(result)
            code = position.get(key)
            if code is None:
                code = position[key] = len(first)
                first.append(result)
            add(code)
        return cls(
            np.array(codes, dtype=np.int32),
            np.array([bool(r.valid) for r in first], dtype=np.bool_),
            tuple(tuple(r.issues) for r in first),
            tuple(getattr(r, "value", None) for r in first),
        )

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, row: int) -> Outcome:
        code = int(self.codes[row])
        return Outcome(bool(self.valid[code]), self.issues[code], self.values[code])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Outcomes):
            return NotImplemented
        return len(self) == len(other) and all(self[i] == other[i] for i in range(len(self)))

    __hash__ = None  # type: ignore[assignment]

    def counts(self) -> npt.NDArray[np.int64]:
        """Rows per outcome.

        Example:
            >>> from crmclean.normalize import normalize_text, normalize_many
            >>> Outcomes.of(normalize_many(normalize_text, ["a", "b", "a"])).counts().tolist()
            [2, 1]
        """
        return np.bincount(self.codes, minlength=len(self.issues)).astype(np.int64)


class Outcome(NamedTuple):
    """One row's outcome (see :class:`Outcomes`).

    Example:
        >>> Outcome(True, (), "ann@acme.org").valid
        True
    """

    valid: bool
    issues: tuple[str, ...]
    value: object


def row_tags(
    n: int, tagged: Sequence[tuple[npt.NDArray[np.int32], Sequence[tuple[str, ...]]]]
) -> tuple[npt.NDArray[np.int64], list[tuple[str, ...]]]:
    """Each row's tags, from several columns of tag groups: ``tagged`` holds, in order, pairs
    of (each row's group, the groups' tags); a row's tags are those of its groups in that
    order. Returns each row's combination and the combinations' tags, so that a table of
    a million rows builds one tuple per distinct combination.

    Example:
        >>> codes, tags = row_tags(3, [(np.array([0, 1, 0], np.int32), [(), ("email:x",)]),
        ...                            (np.array([1, 1, 0], np.int32), [(), ("phone:y",)])])
        >>> [tags[c] for c in codes.tolist()]
        [('phone:y',), ('email:x', 'phone:y'), ()]
    """
    combo = np.zeros(n, dtype=np.int64)
    combos: list[tuple[str, ...]] = [()]
    for codes, groups in tagged:
        groups = list(groups)
        if not any(groups):
            continue
        width = len(groups)
        pairs = combo * width + codes
        found, combo = np.unique(pairs, return_inverse=True)
        combo = combo.astype(np.int64).reshape(-1)
        combos = [combos[p // width] + groups[p % width] for p in found.tolist()]
    return combo, combos


def standardize_results(
    columns: ColumnBatch,
    *,
    roles: Mapping[str, str] | None = None,
    region: str | None = None,
    only: Sequence[str] | None = None,
    progress: bool | Progress = False,
    workers: int | None = None,
) -> tuple[ColumnBatch, StandardizeSummary, dict[str, Outcomes]]:
    """Like :func:`standardize_columns`, plus each row's outcome per role.

    The third value maps each standardized role (``"email"``, ``"phone"``, ``"address"``, ...)
    to its :class:`Outcomes` (each row's validity, issues and standardized value); the audit
    stage reads them (:func:`crmclean.audit.audit_standardized`).

    Example:
        >>> _, _, results = standardize_results({"Email": ["ann@acme.org"]})
        >>> results["email"][0].valid
        True
    """
    workers = check_workers(workers)
    if region is not None:
        normalize_phone(None, region=region)  # raises ConfigError for an unknown region
        region = region.upper()
    if roles is None:
        roles = detect_roles(list(columns))
    if only is not None:
        known = fields.known_roles()
        unknown = [r for r in only if r not in known]
        if unknown:
            raise ConfigError(f"unknown column role(s) {unknown}; roles are: {', '.join(known)}")
        roles = {r: c for r, c in roles.items() if r in only}
    n = len(next(iter(columns.values()))) if columns else 0
    out: ColumnBatch = dict(columns)
    issue_counts: Counter[str] = Counter()
    valid_counts: dict[str, int] = {}
    issue_rows: dict[str, int] = {}
    per_role: dict[str, Outcomes] = {}
    tagged: list[tuple[npt.NDArray[np.int32], list[tuple[str, ...]]]] = []

    def record(role: str, results: Sequence[Any]) -> None:
        found = per_role[role] = Outcomes.of(results)
        rows = found.counts()
        valid_counts[role] = int(rows[found.valid].sum())
        has_issues = np.array([bool(i) for i in found.issues], dtype=np.bool_)
        issue_rows[role] = int(rows[has_issues].sum()) if len(has_issues) else 0
        tags = [tuple(f"{role}:{code}" for code in issues) for issues in found.issues]
        # outcomes are numbered in the order of their first row, so counting them in that
        # order lists the tags as a pass over the rows would
        for group, count in zip(tags, rows.tolist(), strict=True):
            for tag in group:
                issue_counts[tag] += count
        tagged.append((found.codes, tags))

    def add(name: str, values: list[Any]) -> None:
        while name in out:  # never overwrite a column the user has
            name += "_"
        out[name] = values

    context = fields.FieldContext(columns, roles, region=region)
    steps = [(role, column, spec.standardize) for role, column in roles.items()
             if (spec := fields.role_spec(role)) is not None and spec.standardize is not None]
    groups = [(field.name, group) for field in fields.fields()
              if (group := field.standardize_group) is not None
              and any(r in roles for r in group.roles)]  # fmt: skip
    with (
        using(workers),
        progress_of(progress).step("standardize", len(steps) + len(groups), "fields") as report,
    ):
        for role, column, standardizer in steps:
            report.describe(role)
            results = standardizer.normalize(columns[column], context)
            for output in standardizer.outputs:
                add(f"{column}_{output.suffix}", [output.extract(r) for r in results])
            if standardizer.counted:
                record(role, results)
            del results
            report.advance()
        for name, group in groups:
            report.describe(name)
            record(name, group.run(context, add))
            report.advance()
    del context  # the parses no later stage of the job takes are freed here

    combo, combos = row_tags(n, tagged)
    texts = ["; ".join(tags) for tags in combos]
    add(ISSUES_COLUMN, [texts[c] for c in combo.tolist()])
    summary = StandardizeSummary(
        rows=n,
        roles=dict(roles),
        issue_counts=dict(issue_counts),
        valid_counts=valid_counts,
        issue_rows=issue_rows,
    )
    return out, summary, per_role


def standardize(
    table: Any,
    *,
    columns: Mapping[str, str] | None = None,
    region: str | None = None,
    only: Sequence[str] | None = None,
    progress: bool | Progress = False,
    workers: int | None = None,
) -> Any:
    """Standardize every known contact field of a table; return a table of the same kind (a
    pandas DataFrame for a list of dicts).

    Column roles (email, phone, first name, title, company, address parts, ...) are detected
    from the headers of common CRM exports; ``columns`` (role → column) names or overrides
    them. For each role, standardized columns are added beside the raw one (``Email_clean``,
    ``Phone_e164``, ``Phone_kind``, ``Job Title_clean``, ``Job Title_seniority``, ...) and
    ``crmclean_issues`` lists each row's issue codes as ``role:code`` joined by ``"; "``. Phone
    numbers in national format are read in the row's country (from its country column) or
    else in ``region``. Every input row comes out once, in order; a pandas DataFrame keeps its
    index and column labels.

    Args:
        table: a pandas/polars DataFrame, a pyarrow Table, a list of dicts or a dict of lists.
        columns: role → column name, to name columns detection would miss or get wrong.
        region: default phone region (ISO 3166-1 alpha-2) for rows without a country.
        only: standardize only these roles.
        progress: show a progress bar on stderr (fields standardized, time left); a
            :class:`~crmclean._progress.Progress` receives the reports instead.
        workers: processes that parse the values (default ``None``: every core; ``1``: this
            process only). The output is the same whatever the number; a column of few
            distinct values is parsed in this process.

    Raises:
        ColumnError: a column named in ``columns`` is not in the table.
        ConfigError: an unknown role or region, or ``workers`` not a positive int.

    Example:
        >>> import crmclean
        >>> rows = [{"Email": " Jane@Example.ORG", "Phone": "(415) 555-2671"}]
        >>> out = crmclean.standardize(rows, region="US", workers=2)
        >>> out.loc[0, "Email_clean"], out.loc[0, "Phone_e164"]
        ('jane@example.org', '+14155552671')
    """
    batch, kind = to_columns(table)
    roles = detect_roles(list(batch), overrides=columns)
    out, _ = standardize_columns(batch, roles=roles, region=region, only=only,
                                 progress=progress, workers=workers)  # fmt: skip
    return table_shape(table).restore(from_columns(out, result_kind(kind)))
