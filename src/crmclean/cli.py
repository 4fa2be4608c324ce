"""The ``crmclean`` command line.

Built on the standard library's :mod:`argparse`: subcommands, typed options and ``--help``
need nothing more, and a command-line tool for ETL jobs should not pull in a framework.

Every failure the user can fix (a missing file, an unknown column or role, an unreadable
encoding) ends with one line ``crmclean: error: ...`` on stderr and exit status 2, and leaves
no partial output file behind. Field values never appear in messages.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from crmclean import __version__
from crmclean.errors import ConfigError, CrmcleanError, InputFileError
from crmclean.frames import read_table, write_csv, write_table
from crmclean.normalize import COMPILED
from crmclean.standardize import standardize_columns, standardize_results

if TYPE_CHECKING:
    from crmclean.merge import MergeStrategy

__all__ = ["main"]


def _mapping(values: Sequence[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values or ():
        role, sep, column = item.partition("=")
        if not sep or not role.strip() or not column.strip():
            raise CrmcleanError(f"--map takes ROLE=COLUMN, e.g. email=E-mail; got {item!r}")
        out[role.strip()] = column.strip()
    return out


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="input table: .csv, .tsv, .jsonl or .parquet")
    parser.add_argument("--encoding", help="input text encoding (default: detect UTF-8/cp1252)")
    parser.add_argument("--delimiter", help="CSV delimiter (default: sniffed)")
    parser.add_argument(
        "--map",
        action="append",
        metavar="ROLE=COLUMN",
        help="name the column of a role (repeatable), e.g. --map email=E-mail",
    )


def _build_parser() -> argparse.ArgumentParser:  # long but flat: one block per subcommand
    parser = argparse.ArgumentParser(
        prog="crmclean",
        description="Clean CRM contact data: standardize, deduplicate, merge.",
    )
    build = "compiled normalizers" if COMPILED else "pure Python"
    parser.add_argument(
        "--version", action="version", version=f"crmclean {__version__} ({build})"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    std = commands.add_parser(
        "standardize",
        help="standardize contact fields; add cleaned columns beside the originals",
        description=(
            "Standardize every detected contact field (email, phone, names, title, company, "
            "address) and add the cleaned values as new columns, plus a crmclean_issues column. "
            "A summary goes to stderr."
        ),
    )
    _add_input_options(std)
    std.add_argument(
        "-o", "--out", help="output file (.csv, .tsv, .jsonl, .parquet); default stdout"
    )
    std.add_argument("--region", help="default phone region, ISO code such as US or GB")
    std.add_argument("--only", help="comma-separated roles to standardize (default: all detected)")
    std.add_argument("--quiet", action="store_true", help="no summary on stderr")

    ded = commands.add_parser(
        "dedupe",
        help="find duplicate records; write clusters.csv and pairs.csv",
        description=(
            "Find the duplicate records of a table without labelled examples. Writes "
            "DIR/clusters.csv (id column, cluster_id: the smallest id in the cluster) and "
            "DIR/pairs.csv (matched pairs with probability, weight and per-field levels)."
        ),
    )
    _add_input_options(ded)
    _add_match_options(ded)

    lnk = commands.add_parser(
        "link",
        help="link the records of a second table to a first one",
        description=(
            "Find the records of RIGHT that are records of LEFT. Writes DIR/clusters.csv "
            "(id, side, cluster_side, cluster_id) and DIR/pairs.csv (id_l from LEFT, id_r "
            "from RIGHT)."
        ),
    )
    _add_input_options(lnk)
    lnk.add_argument("right", help="second input table: .csv, .tsv, .jsonl or .parquet")
    lnk.add_argument("--right-id-column", help="id column of RIGHT (default: --id-column)")
    _add_match_options(lnk)

    aud = commands.add_parser(
        "audit",
        help="data-quality report: KPIs, field figures, record issues (HTML and JSON)",
        description=(
            "Audit the data quality of a contact table. Writes a self-contained HTML report "
            "(--out) and/or the JSON summary (--json; '-' for stdout) and, with --records, one "
            "row of issues and quality score per record."
        ),
    )
    _add_input_options(aud)
    aud.add_argument("--out", metavar="FILE", help="HTML report to write")
    aud.add_argument("--json", metavar="FILE", help="JSON summary to write ('-': stdout)")
    aud.add_argument("--records", metavar="FILE", help="per-record issues table to write")
    aud.add_argument("--clusters", metavar="FILE", help="clusters.csv from crmclean dedupe")
    aud.add_argument("--dedupe", action="store_true", help="find duplicates first")
    aud.add_argument("--id-column", help="column of unique record ids (for --clusters/--dedupe)")
    aud.add_argument("--region", help="default phone region, ISO code such as US or GB")
    aud.add_argument("--stale-days", type=int, default=365,
                     help="records not updated for this many days are stale (default 365)")
    aud.add_argument("--no-values", action="store_true",
                     help="leave field values out of the report (only counts)")
    aud.add_argument("--quiet", action="store_true", help="no summary on stderr")

    mrg = commands.add_parser(
        "merge",
        help="merge duplicate clusters into golden records with lineage",
        description=(
            "Merge each cluster of duplicates into one golden record. Writes DIR/golden.csv, "
            "DIR/lineage.csv (every value and the rule that kept or overruled it), "
            "DIR/merge_plan.csv (surviving id, merged ids, per-field winners), "
            "DIR/conflicts.csv and DIR/review.csv."
        ),
    )
    _add_input_options(mrg)
    mrg.add_argument("--clusters", required=True, metavar="FILE",
                     help="clusters table (id column + cluster_id), e.g. from crmclean dedupe")
    mrg.add_argument("--id-column", required=True, help="column of unique record ids")
    mrg.add_argument("--out", required=True, metavar="DIR", help="output directory")
    mrg.add_argument("--source-priority", metavar="A,B,...",
                     help="sources in order of trust, e.g. Salesforce,HubSpot,Web form")
    mrg.add_argument("--strategy", metavar="FILE",
                     help="survivorship rules (JSON from MergeStrategy.to_json) to use")
    mrg.add_argument("--region", help="default phone region, ISO code such as US or GB")
    mrg.add_argument("--quiet", action="store_true", help="no summary on stderr")

    cln = commands.add_parser(
        "clean",
        help="the whole job: standardize, dedupe, merge into golden records, audit",
        description=(
            "Clean a contact table end to end. Writes into DIR: contacts_clean.csv "
            "(standardized columns beside the originals), clusters.csv and pairs.csv "
            "(duplicates), golden.csv, lineage.csv and merge_plan.csv (one golden record per "
            "person), report.html and report.json (data quality before cleaning) and "
            "settings.json (the fitted match model, reusable with --config)."
        ),
    )
    _add_input_options(cln)
    _add_match_options(cln)
    cln.add_argument("--source-priority", metavar="A,B,...",
                     help="sources in order of trust for the golden records")
    cln.add_argument("--strategy", metavar="FILE",
                     help="survivorship rules (JSON from MergeStrategy.to_json) to use")
    return parser


def _add_match_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--id-column", help="column of unique record ids (default: row numbers)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    parser.add_argument(
        "--settings", "--config", metavar="FILE", help="saved match settings (JSON) to use"
    )
    parser.add_argument(
        "--save-settings", metavar="FILE", help="write the fitted match settings JSON here"
    )
    parser.add_argument("--threshold", type=float, help="match probability threshold (0-1)")
    parser.add_argument("--region", help="default phone region, ISO code such as US or GB")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--quiet", action="store_true", help="no summary on stderr")


def _standardize(args: argparse.Namespace) -> int:
    columns = read_table(args.input, encoding=args.encoding, delimiter=args.delimiter)
    from crmclean.columns import detect_roles

    roles = detect_roles(list(columns), overrides=_mapping(args.map))
    only = [r.strip() for r in args.only.split(",")] if args.only else None
    out, summary = standardize_columns(columns, roles=roles, region=args.region, only=only)
    if args.out:
        write_table(out, args.out)
    else:
        write_csv(out, sys.stdout)
    if not args.quiet:
        for line in summary.lines():
            print(line, file=sys.stderr)
        if args.out:
            print(f"wrote {args.out}", file=sys.stderr)
    return 0


class _Progress:
    """Step-by-step progress on stderr, shown only when stderr is a terminal."""

    def __init__(self, total: int, *, quiet: bool) -> None:
        self.total = total
        self.done = 0
        self.show = not quiet and sys.stderr.isatty()

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        self.done += 1
        start = time.perf_counter()
        if self.show:
            print(f"[{self.done}/{self.total}] {label} ...", end="", file=sys.stderr, flush=True)
        yield
        if self.show:
            print(f" {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)


@contextmanager
def _output_dir(path: str) -> Iterator[Path]:
    """A directory to write outputs into; they move into ``path`` only if everything worked,
    so a failed run leaves no partial file behind."""
    target = Path(path)
    try:
        target.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".crmclean-", dir=target))
    except OSError:
        raise InputFileError(f"cannot create output directory {path!r}") from None
    try:
        yield staging
        for item in staging.iterdir():
            os.replace(item, target / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _priority(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else ()


def _ids_column(columns: dict[str, list[Any]], id_column: str | None) -> tuple[str, bool]:
    """The id column to use: the one given, the detected id role, or added row numbers."""
    from crmclean.columns import detect_roles
    from crmclean.errors import ColumnError

    if id_column is not None:
        if id_column not in columns:
            raise ColumnError(f"id column {id_column!r} is not in the table")
        return id_column, False
    detected = detect_roles(list(columns)).get("id")
    if detected is not None:
        return detected, False
    name = "row_id"
    while name in columns:
        name += "_"
    n = len(next(iter(columns.values()))) if columns else 0
    columns[name] = [str(i) for i in range(n)]
    return name, True


def _audit(args: argparse.Namespace) -> int:
    from crmclean.audit import audit
    from crmclean.pipeline import dedupe

    if not (args.out or args.json or args.records):
        args.json = "-"
    columns = read_table(args.input, encoding=args.encoding, delimiter=args.delimiter)
    mapping = _mapping(args.map)
    clusters: Any = None
    if args.clusters:
        clusters = read_table(args.clusters)
    elif args.dedupe:
        id_column, _ = _ids_column(columns, args.id_column)
        clusters = dedupe(columns, id_column, columns=mapping or None, region=args.region).clusters
    report = audit(columns, columns=mapping or None, region=args.region, clusters=clusters,
                   stale_after_days=args.stale_days, include_values=not args.no_values)  # fmt: skip
    for path, text in ((args.out, report.to_html()), (args.json, report.to_json())):
        if not path:
            continue
        if path == "-":
            print(text)
            continue
        target = Path(path)
        tmp = target.with_name(f".{target.name}.partial")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise InputFileError(f"cannot write {path!r}") from None
    if args.records:
        from crmclean.frames import to_columns

        write_table(to_columns(report.records)[0], args.records)
    if not args.quiet:
        k = report.kpis
        print(f"{report.rows:,} records; clean {_pct(k['clean_share'])}, mean quality score "
              f"{k['mean_quality_score']}, invalid emails {_pct(k['invalid_email_share'])}, "
              f"duplicates {_pct(k['duplicate_rate'])}", file=sys.stderr)  # fmt: skip
        for path in (args.out, args.json, args.records):
            if path and path != "-":
                print(f"wrote {path}", file=sys.stderr)
    return 0


def _pct(value: object) -> str:
    return "n/a" if value is None else f"{float(value):.1%}"  # type: ignore[arg-type]


def _merge_outputs(result: Any, out: Path) -> list[str]:
    from crmclean.frames import to_columns

    names = []
    for name, table in (("golden.csv", result.golden), ("lineage.csv", result.lineage),
                        ("merge_plan.csv", result.plan), ("conflicts.csv", result.conflicts),
                        ("review.csv", result.review)):  # fmt: skip
        write_table(to_columns(table)[0], out / name)
        names.append(name)
    return names


def _merge(args: argparse.Namespace) -> int:
    from crmclean.merge import merge

    saved = _read_strategy(args.strategy)
    columns = read_table(args.input, encoding=args.encoding, delimiter=args.delimiter)
    clusters = read_table(args.clusters)
    strategy = _strategy(saved, args, columns, _detected(columns, args.map))
    result = merge(columns, clusters, id_column=args.id_column, strategy=strategy)
    with _output_dir(args.out) as staging:
        names = _merge_outputs(result, staging)
    if not args.quiet:
        c = result.counts
        print(f"{c['records']:,} records -> {c['golden']:,} golden records "
              f"({c['merged_clusters']:,} clusters merged, {c['conflicts']:,} conflicting "
              f"values reported)", file=sys.stderr)  # fmt: skip
        print("wrote " + ", ".join(str(Path(args.out) / n) for n in names), file=sys.stderr)
    return 0


def _read_strategy(path: str | None) -> MergeStrategy | None:
    """The merge strategy saved in a file (None without one), read before any work starts."""
    from crmclean.merge import MergeStrategy

    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise InputFileError(f"cannot read strategy file {path!r}") from None
    try:
        return MergeStrategy.from_json(text)
    except ConfigError as exc:
        raise ConfigError(f"strategy file {path!r}: {exc}") from None


def _strategy(
    saved: MergeStrategy | None,
    args: argparse.Namespace,
    columns: dict[str, list[Any]],
    roles: dict[str, str],
) -> MergeStrategy:
    """The saved strategy, with --source-priority and --region replacing its own when given;
    else the default rules for the columns."""
    from crmclean.merge import MergeStrategy

    priority = _priority(args.source_priority)
    if saved is None:
        return MergeStrategy.default_for(
            list(columns), roles=roles, source_priority=priority, region=args.region
        )
    changes: dict[str, Any] = {}
    if priority:
        changes["source_priority"] = priority
    if args.region:
        changes["region"] = args.region
    return attrs.evolve(saved, **changes) if changes else saved


def _detected(columns: dict[str, list[Any]], mapping: Sequence[str] | None) -> dict[str, str]:
    from crmclean.columns import detect_roles

    return detect_roles(list(columns), overrides=_mapping(mapping))


def _clean(args: argparse.Namespace) -> int:
    from crmclean.audit import audit_standardized
    from crmclean.merge import merge
    from crmclean.pipeline import dedupe

    progress = _Progress(5, quiet=args.quiet)
    settings = _read_settings(args.settings)
    saved = _read_strategy(args.strategy)
    with progress.step("reading"):
        columns = read_table(args.input, encoding=args.encoding, delimiter=args.delimiter)
        id_column, added = _ids_column(columns, args.id_column)
        roles = _detected(columns, args.map)
    with progress.step("standardizing"):
        standardized = standardize_results(columns, roles=roles, region=args.region)
        clean, summary, _ = standardized
    with progress.step("finding duplicates"):
        matched = dedupe(columns, id_column, columns=_mapping(args.map) or None, seed=args.seed,
                         region=args.region, settings=settings,  # type: ignore[arg-type]
                         threshold=args.threshold)  # fmt: skip
    with progress.step("merging golden records"):
        strategy = _strategy(saved, args, columns, roles)
        merged = merge(_standardized_view(columns, clean, roles), matched.clusters,
                       id_column=id_column, strategy=strategy)  # fmt: skip
    with progress.step("auditing"):
        report = audit_standardized(columns, roles, standardized, clusters=matched.clusters)
    with _output_dir(args.out) as staging:
        write_table(clean, staging / "contacts_clean.csv")
        write_table(matched.clusters, staging / "clusters.csv")
        write_table(matched.pairs, staging / "pairs.csv")
        names = ["contacts_clean.csv", "clusters.csv", "pairs.csv"]
        names += _merge_outputs(merged, staging)
        (staging / "report.html").write_text(report.to_html(), encoding="utf-8")
        (staging / "report.json").write_text(report.to_json(), encoding="utf-8")
        (staging / "settings.json").write_text(matched.settings.to_json(), encoding="utf-8")
        names += ["report.html", "report.json", "settings.json"]
    if args.save_settings:
        Path(args.save_settings).write_text(matched.settings.to_json(), encoding="utf-8")
    if not args.quiet:
        k = report.kpis
        stats = matched.stats
        lines = [
            f"{summary.rows:,} records"
            + (f" (no id column: {id_column} added)" if added else ""),
            f"quality before cleaning: {_pct(k['clean_share'])} clean records, mean score "
            f"{k['mean_quality_score']}, {_pct(k['invalid_email_share'])} invalid emails",
            f"duplicates: {stats.matched_pairs:,} matched pairs in "
            f"{sum(1 for v in _cluster_sizes(matched.clusters) if v > 1):,} clusters",
            f"golden records: {merged.counts['golden']:,} "
            f"(from {merged.counts['records']:,} records)",
            f"wrote {', '.join(names)} to {args.out}",
        ]
        for line in lines:
            print(line, file=sys.stderr)
    return 0


# role -> suffix of its standardized column in standardize's output
_CLEAN_SUFFIX: dict[str, str] = {
    "email": "_clean", "phone": "_e164", "mobile": "_e164", "first_name": "_clean",
    "middle_name": "_clean", "last_name": "_clean", "full_name": "_clean", "title": "_clean",
    "company": "_clean", "street": "_clean", "address_2": "_clean", "city": "_clean",
    "region": "_clean", "postcode": "_clean", "country": "_clean",
}  # fmt: skip


def _standardized_view(
    columns: dict[str, list[Any]], clean: dict[str, list[Any]], roles: dict[str, str]
) -> dict[str, list[Any]]:
    """The table with each field's standardized value in place of the raw one where there is
    one (a valid E.164 for a phone, the cased name, ...), so that golden records are clean.
    The raw values stay in contacts_clean.csv."""
    view = dict(columns)
    for role, column in roles.items():
        suffix = _CLEAN_SUFFIX.get(role)
        cleaned = clean.get(f"{column}{suffix}") if suffix else None
        if cleaned is None:
            continue
        view[column] = [c if c is not None else r for c, r in zip(cleaned, columns[column],
                                                                  strict=True)]  # fmt: skip
    return view


def _cluster_sizes(clusters: Any) -> list[int]:
    from collections import Counter

    from crmclean.frames import to_columns

    batch, _ = to_columns(clusters)
    return list(Counter(batch["cluster_id"]).values())


def _read_settings(path: str | None) -> object:
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        raise InputFileError(f"cannot read settings file {path!r}") from None


def _run_match(args: argparse.Namespace) -> int:
    import warnings

    from crmclean.pipeline import MatchResult, dedupe, link

    settings = _read_settings(args.settings)
    left = read_table(args.input, encoding=args.encoding, delimiter=args.delimiter)
    right = None
    if args.command == "link":
        right = read_table(args.right, encoding=args.encoding, delimiter=args.delimiter)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result: MatchResult
        if right is None:
            result = dedupe(
                left, args.id_column, columns=_mapping(args.map), seed=args.seed,
                region=args.region, settings=settings,  # type: ignore[arg-type]
                threshold=args.threshold,
            )  # fmt: skip
        else:
            result = link(
                left, right, args.id_column, right_id_column=args.right_id_column,
                columns=_mapping(args.map), seed=args.seed, region=args.region,
                settings=settings, threshold=args.threshold,  # type: ignore[arg-type]
            )  # fmt: skip
    out = Path(args.out)
    with _output_dir(args.out) as staging:
        write_table(result.clusters, staging / "clusters.csv")
        write_table(result.pairs, staging / "pairs.csv")
    if args.save_settings:
        Path(args.save_settings).write_text(result.settings.to_json(), encoding="utf-8")
    if not args.quiet:
        for warning in caught:
            print(f"crmclean: warning: {warning.message}", file=sys.stderr)
        stats = result.stats
        print(
            f"{stats.records:,} records, {stats.candidate_pairs:,} candidate pairs, "
            f"{stats.matched_pairs:,} matched pairs, {stats.clusters:,} clusters "
            f"(largest {stats.largest_cluster:,})",
            file=sys.stderr,
        )
        for name, count in stats.rule_new.items():
            print(f"  blocking {name}: {count:,} new pairs", file=sys.stderr)
        print(f"wrote {out / 'clusters.csv'} and {out / 'pairs.csv'}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``crmclean`` command line; return the exit status.

    Example:
        >>> main(["--version"])
        Traceback (most recent call last):
        ...
        SystemExit: 0
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "standardize":
            return _standardize(args)
        if args.command in ("dedupe", "link"):
            return _run_match(args)
        if args.command == "audit":
            return _audit(args)
        if args.command == "merge":
            return _merge(args)
        if args.command == "clean":
            return _clean(args)
    except CrmcleanError as exc:
        print(f"crmclean: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command!r}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
