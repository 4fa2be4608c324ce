"""The ``crmclean`` command line.

Built on the standard library's :mod:`argparse`: subcommands, typed options and ``--help``
need nothing more, and a command-line tool for ETL jobs should not pull in a framework.

Every failure (a missing file, an unknown column or role, an unclear encoding, an unwritable
output path, a closed output pipe) ends with one line ``crmclean: error: ...`` on stderr and
exit status 2, and leaves no partial output file behind: a command's outputs, saved settings
included, are written beside their targets and moved into place together once all are written.
Warnings are printed as one line ``crmclean: warning: ...`` each, and ``--quiet`` silences them.
Field values never appear in messages.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from crmclean import __version__
from crmclean._progress import Progress, TqdmProgress
from crmclean._workers import check_workers, using
from crmclean.errors import ConfigError, CrmcleanError, InputFileError
from crmclean.frames import ReadInfo, read_table_info, write_table
from crmclean.normalize import COMPILED
from crmclean.standardize import standardize_columns, standardize_results

if TYPE_CHECKING:
    from crmclean.decisions import Decisions
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


def _add_input_options(parser: argparse.ArgumentParser, *, show_roles: bool = True) -> None:
    parser.add_argument(
        "input", help="input table: .csv, .tsv, .jsonl or .parquet; '-' for standard input"
    )
    _add_reading_options(parser)
    if show_roles:
        parser.add_argument(
            "--show-roles", action="store_true",
            help="print the detected column roles on stderr, as 'crmclean roles' does, then go on",
        )  # fmt: skip


def _add_workers_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers", type=int, metavar="N",
        help="processes that normalize the values (default: every core; 1: one process); "
        "the output is the same whatever the number",
    )  # fmt: skip


def _add_reading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encoding",
        help="input text encoding, e.g. cp1251 (default: detected among UTF-8, UTF-16/32, "
        "cp1252, cp1254, cp1251, KOI8-R, GB18030, Big5 and Shift-JIS)",
    )
    parser.add_argument("--delimiter", help="CSV delimiter (default: sep= line or sniffed)")
    parser.add_argument(
        "--max-field-size", type=int, metavar="CHARS",
        help="longest CSV cell allowed, in characters (default 131072)",
    )  # fmt: skip
    parser.add_argument(
        "--map",
        action="append",
        metavar="ROLE=COLUMN",
        help="name the column of a role (repeatable), e.g. --map email=E-mail",
    )


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, like every other failure."""

    def error(self, message: str) -> NoReturn:
        """Print ``crmclean: error: ...`` and exit with status 2.

        Example:
            >>> _Parser(prog="crmclean").error("no input")
            Traceback (most recent call last):
            ...
            SystemExit: 2
        """
        print(f"crmclean: error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def _build_parser() -> argparse.ArgumentParser:  # long but flat: one block per subcommand
    parser = _Parser(
        prog="crmclean",
        description="Clean CRM contact data: standardize, deduplicate, merge.",
    )
    build = "compiled normalizers" if COMPILED else "pure Python"
    parser.add_argument(
        "--version", action="version", version=f"crmclean {__version__} ({build})"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )

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
        "-o", "--out", help="output file (.csv, .tsv, .jsonl, .parquet); default or '-': stdout"
    )
    std.add_argument("--id-column", help=argparse.SUPPRESS)
    std.add_argument("--region", help="default phone region, ISO code such as US or GB")
    std.add_argument("--only", help="comma-separated roles to standardize (default: all detected)")
    _add_workers_option(std)
    std.add_argument("--quiet", action="store_true", help="no summary on stderr")

    ded = commands.add_parser(
        "dedupe",
        help="find duplicate records; write clusters.csv, pairs.csv and review.csv",
        description=(
            "Find the duplicate records of a table without labelled examples. Writes "
            "DIR/clusters.csv (id column, cluster_id: the smallest id in the cluster), "
            "DIR/pairs.csv (matched pairs with probability, weight and per-field levels) and "
            "DIR/review.csv (the uncertain pairs, the two records side by side, with an empty "
            "decision column: fill it in and pass the file back with --decisions)."
        ),
    )
    _add_input_options(ded)
    _add_match_options(ded)

    lnk = commands.add_parser(
        "link",
        help="link the records of a second table to a first one",
        description=(
            "Find the records of RIGHT that are records of LEFT. Writes DIR/clusters.csv "
            "(id, side, cluster_side, cluster_id), DIR/pairs.csv (id_l from LEFT, id_r "
            "from RIGHT) and DIR/review.csv (uncertain pairs to decide, as for dedupe)."
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
    aud.add_argument("--id-column", help="column of unique record ids (for --clusters/--dedupe; "
                     "default: the detected id column; 'none': row numbers)")  # fmt: skip
    aud.add_argument("--region", help="default phone region, ISO code such as US or GB")
    aud.add_argument("--stale-days", type=int, default=365,
                     help="records not updated for this many days are stale (default 365)")
    aud.add_argument("--no-values", action="store_true",
                     help="leave field values out of the report (only counts)")
    _add_workers_option(aud)
    aud.add_argument("--quiet", action="store_true", help="no summary on stderr")

    mrg = commands.add_parser(
        "merge",
        help="merge duplicate clusters into golden records with lineage",
        description=(
            "Merge each cluster of duplicates into one golden record. Writes DIR/golden.csv, "
            "DIR/lineage.csv (every value and the rule that kept or overruled it), "
            "DIR/merge_plan.csv (surviving id, merged ids, per-field winners), "
            "DIR/conflicts.csv and DIR/review.csv (clusters held for review)."
        ),
    )
    _add_input_options(mrg)
    mrg.add_argument("--clusters", required=True, metavar="FILE",
                     help="clusters table (id column + cluster_id), e.g. from crmclean dedupe")
    mrg.add_argument("--id-column", help="column of unique record ids (default: the detected "
                     "id column; 'none': row numbers, as dedupe writes them)")  # fmt: skip
    mrg.add_argument("--out", required=True, metavar="DIR", help="output directory")
    mrg.add_argument("--source-priority", metavar="A,B,...",
                     help="sources in order of trust, e.g. Salesforce,HubSpot,Web form")
    mrg.add_argument("--strategy", metavar="FILE",
                     help="survivorship rules (JSON from MergeStrategy.to_json) to use")
    mrg.add_argument("--region", help="default phone region, ISO code such as US or GB")
    _add_decisions_option(mrg, "must-link pairs join their clusters; a cluster holding a "
                          "cannot-link pair is held for review")  # fmt: skip
    mrg.add_argument("--quiet", action="store_true", help="no summary on stderr")

    cln = commands.add_parser(
        "clean",
        help="the whole job: standardize, dedupe, merge into golden records, audit",
        description=(
            "Clean a contact table end to end. Writes into DIR: contacts_clean.csv "
            "(standardized columns beside the originals), clusters.csv and pairs.csv "
            "(duplicates), review.csv (uncertain pairs to decide, for --decisions), "
            "golden.csv, lineage.csv and merge_plan.csv (one golden record per "
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

    rls = commands.add_parser(
        "roles",
        help="show the column roles detected in a table, to check before a long run",
        description=(
            "Read a table and print how it was read (encoding, delimiter, rows), the id column, "
            "each detected column role and the columns left without one."
        ),
    )
    _add_input_options(rls, show_roles=False)
    rls.add_argument("--id-column", help="column of unique record ids (default: detected)")
    rls.add_argument("--quiet", action="store_true", help="no warnings on stderr")
    return parser


def _add_match_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--id-column", help="column of unique record ids (default: the detected "
                        "id column, else row numbers; 'none': row numbers)")  # fmt: skip
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
    _add_workers_option(parser)
    _add_decisions_option(parser, "must-link pairs are joined whatever their score, "
                          "cannot-link pairs never share a cluster")  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="no summary on stderr")


def _add_decisions_option(parser: argparse.ArgumentParser, effect: str) -> None:
    parser.add_argument(
        "--decisions", metavar="FILE",
        help="pairs decided by a person, by record id (a review.csv with its decision column "
        f"filled in: match / non_match): {effect}",
    )  # fmt: skip


def _read_decisions(path: str | None) -> Decisions | None:
    """The decisions of a file (None without one), read before any work starts."""
    from crmclean.decisions import Decisions

    return Decisions.read(path) if path else None


def _read(args: argparse.Namespace, path: str) -> dict[str, list[Any]]:
    """Read an input table with the command's reading options, noting how it was read."""
    if args.max_field_size is not None and args.max_field_size < 1:
        raise ConfigError("--max-field-size must be a positive number of characters")
    columns, info = read_table_info(
        path, encoding=args.encoding, delimiter=args.delimiter,
        max_field_size=args.max_field_size,
    )  # fmt: skip
    _reads(args).append((path, info))
    return columns


def _reads(args: argparse.Namespace) -> list[tuple[str, ReadInfo]]:
    if not hasattr(args, "reads"):
        args.reads = []
    reads: list[tuple[str, ReadInfo]] = args.reads
    return reads


def _read_lines(args: argparse.Namespace) -> list[str]:
    """One line per input read: its encoding, delimiter and rows."""
    return [f"read {'standard input' if p == '-' else p}: {info.describe()}"
            for p, info in _reads(args)]  # fmt: skip


def _standardize(args: argparse.Namespace) -> int:
    from crmclean.columns import detect_roles

    progress = _Progress(3, quiet=args.quiet)
    with _Outputs() as outputs:
        target = outputs.file(args.out) if args.out and args.out != "-" else None
        with progress.step("reading"):
            columns = _read(args, args.input)
            roles = detect_roles(list(columns), overrides=_mapping(args.map))
            _show_roles(args, columns, roles.get("id"))
        only = [r.strip() for r in args.only.split(",")] if args.only else None
        with progress.step("standardizing") as bars:
            out, summary = standardize_columns(columns, roles=roles, region=args.region,
                                               only=only, progress=bars,
                                               workers=args.workers)  # fmt: skip
        with progress.step("writing"):
            write_table(out, target if target is not None else "-")
    if not args.quiet:
        for line in _read_lines(args) + summary.lines():
            print(line, file=sys.stderr)
        if target is not None:
            print(f"wrote {args.out}", file=sys.stderr)
    return 0


class _Progress:
    """Step-by-step progress on stderr, shown only when stderr is a terminal and not --quiet.

    Each step prints ``[2/6] standardizing ...`` and, when it is over, its time. A long step
    reports inside through the :class:`~crmclean._progress.Progress` it yields: on a terminal a
    tqdm bar on the step's line (counts and time left), cleared when the step ends; elsewhere a
    reporter that prints nothing.
    """

    #: whether a step line is open (a warning printed meanwhile starts a new line)
    line_open = False

    def __init__(self, total: int, *, quiet: bool) -> None:
        self.total = total
        self.done = 0
        self.show = not quiet and sys.stderr.isatty()

    @staticmethod
    def end_line() -> None:
        """End an open step line, so that what is printed next starts on a line of its own."""
        if _Progress.line_open:
            print(file=sys.stderr, flush=True)
            _Progress.line_open = False

    @contextmanager
    def step(self, label: str) -> Iterator[Progress]:
        self.done += 1
        start = time.perf_counter()
        head = f"[{self.done}/{self.total}] {label}"
        if not self.show:
            yield Progress()
            return
        print(f"{head} ...", end="", file=sys.stderr, flush=True)
        _Progress.line_open = True
        yield _StepBars(head)
        seconds = time.perf_counter() - start
        if _Progress.line_open:
            print(f" {seconds:.1f} s", file=sys.stderr, flush=True)
        else:
            print(f"{head}: {seconds:.1f} s", file=sys.stderr, flush=True)
        _Progress.line_open = False


class _StepBars(TqdmProgress):
    """The bars of a step's inner stages, drawn over the step's line and cleared after."""

    def __init__(self, head: str) -> None:
        super().__init__(prefix=f"{head}: ", leave=False, notebook=False)

    def start(self, name: str, total: int | None = None, unit: str = "") -> None:
        """Draw the stage's bar over the step line (which is then no longer open)."""
        if _Progress.line_open:
            print("\r\033[K", end="", file=sys.stderr)
            _Progress.line_open = False
        super().start(name, total, unit)


def _show_warning(message: Warning | str, *_: object, **__: object) -> None:
    """The one channel of warnings: ``crmclean: warning: ...`` on its own line (above any
    progress bar, which is drawn again below it)."""
    from tqdm import tqdm

    _Progress.end_line()
    text = " ".join(str(message).split())
    tqdm.write(f"crmclean: warning: {text}", file=sys.stderr)


class _Outputs:
    """A command's output files, staged beside their targets and moved into place together
    once every one is written; on failure none appears. Targets are checked before any work."""

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path]] = []
        self._dirs: list[tuple[Path, Path]] = []

    def file(self, path: str) -> Path:
        """The staging path to write the output ``path`` to."""
        target = Path(path)
        parent = target.parent
        if target.is_dir():
            raise InputFileError(f"cannot write {path!r}: it is a directory")
        if not parent.is_dir():
            raise InputFileError(f"cannot write {path!r}: its directory does not exist")
        if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
            raise InputFileError(f"cannot write {path!r}: permission denied")
        staged = parent / f".{target.stem}.crmclean-partial{target.suffix}"
        self._files.append((staged, target))
        return staged

    def directory(self, path: str) -> Path:
        """A staging directory whose files move into the output directory ``path``."""
        target = Path(path)
        try:
            target.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".crmclean-", dir=target))
        except OSError:
            raise InputFileError(f"cannot create output directory {path!r}") from None
        self._dirs.append((staging, target))
        return staging

    def _name_target(self, error: OSError) -> None:
        """Name the output, not its staging file, when writing one failed."""
        failed = Path(str(error.filename))
        for staged, target in self._files:
            if failed.parent == staged.parent and staged.name in failed.name:
                raise InputFileError(f"cannot write {str(target)!r}: {error.strerror}") from None
        for staging, target in self._dirs:
            if failed.parent == staging:
                raise InputFileError(
                    f"cannot write {str(target / failed.name)!r}: {error.strerror}"
                ) from None

    def __enter__(self) -> _Outputs:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if isinstance(error, OSError) and error.filename is not None:
                self._name_target(error)
            if kind is None:
                for staging, target in self._dirs:
                    for item in staging.iterdir():
                        os.replace(item, target / item.name)
                for staged, target in self._files:
                    os.replace(staged, target)
        finally:
            for staging, _ in self._dirs:
                shutil.rmtree(staging, ignore_errors=True)
            for staged, _ in self._files:
                staged.unlink(missing_ok=True)


def _priority(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else ()


def _id_choice(columns: dict[str, list[Any]], id_column: str | None) -> str | None:
    """The id column a command uses: the one given, else the detected id column, else ``None``
    (row numbers); ``none`` asks for row numbers. A chosen column's ids are checked."""
    from crmclean.columns import detect_roles
    from crmclean.errors import ColumnError

    if id_column is not None and id_column.lower() == "none" and id_column not in columns:
        return None
    if id_column is not None:
        if id_column not in columns:
            raise ColumnError(f"id column {id_column!r} is not in the table")
        chosen = id_column
    else:
        detected = detect_roles(list(columns)).get("id")
        if detected is None:
            return None
        chosen = detected
    _check_ids(columns[chosen], chosen)
    return chosen


def _row(numbers: list[int]) -> str:
    shown = ", ".join(str(n + 1) for n in numbers[:5])
    return shown + (", ..." if len(numbers) > 5 else "")


def _check_ids(values: list[Any], column: str) -> None:
    """Refuse an id column with duplicate or empty ids, with their count and first rows."""
    empty: list[int] = []
    duplicate: list[int] = []
    seen: set[str] = set()
    for i, value in enumerate(values):
        key = "" if value is None or value != value else str(value).strip()
        if not key:
            empty.append(i)
        elif key in seen:
            duplicate.append(i)
        else:
            seen.add(key)
    if not (empty or duplicate):
        return
    problems = []
    if duplicate:
        problems.append(f"{len(duplicate):,} duplicate ids (records {_row(duplicate)})")
    if empty:
        problems.append(f"{len(empty):,} empty ids (records {_row(empty)})")
    raise ConfigError(
        f"id column {column!r} has " + " and ".join(problems)
        + "; fix them, or use --id-column none to number the rows instead"
    )


def _ids_column(columns: dict[str, list[Any]], id_column: str | None) -> tuple[str, bool]:
    """The id column to use: the one given, the detected id role, or added row numbers."""
    chosen = _id_choice(columns, id_column)
    if chosen is not None:
        return chosen, False
    name = "row_id"
    while name in columns:
        name += "_"
    n = len(next(iter(columns.values()))) if columns else 0
    columns[name] = [str(i) for i in range(n)]
    return name, True


def _audit(args: argparse.Namespace) -> int:
    from crmclean.audit import audit
    from crmclean.frames import to_columns
    from crmclean.pipeline import dedupe

    if not (args.out or args.json or args.records):
        args.json = "-"
    progress = _Progress(4 if args.dedupe and not args.clusters else 3, quiet=args.quiet)
    with _Outputs() as outputs:
        html, json_file, records = (outputs.file(p) if p and p != "-" else None
                                    for p in (args.out, args.json, args.records))  # fmt: skip
        with progress.step("reading"):
            columns = _read(args, args.input)
            mapping = _mapping(args.map)
            clusters: Any = None
            if args.dedupe and not args.clusters:
                id_column, added = _ids_column(columns, args.id_column)
                _show_roles(args, columns, id_column, added=added)
            elif args.show_roles:
                _show_roles(args, columns, _detected(columns, args.map).get("id"))
            if args.clusters:
                clusters = read_table_info(args.clusters)[0]
        if clusters is None and args.dedupe:
            with progress.step("finding duplicates") as bars:
                clusters = dedupe(columns, id_column, columns=mapping or None,
                                  region=args.region, progress=bars,
                                  workers=args.workers).clusters  # fmt: skip
        with progress.step("auditing") as bars:
            report = audit(columns, columns=mapping or None, region=args.region,
                           clusters=clusters, stale_after_days=args.stale_days,
                           include_values=not args.no_values, progress=bars,
                           workers=args.workers)  # fmt: skip
        with progress.step("writing"):
            for path, staged, text in ((args.out, html, report.to_html()),
                                       (args.json, json_file, report.to_json())):  # fmt: skip
                if staged is not None:
                    staged.write_text(text, encoding="utf-8")
                elif path == "-":
                    print(text)
            if records is not None:
                write_table(to_columns(report.records)[0], records)
    if not args.quiet:
        for line in _read_lines(args):
            print(line, file=sys.stderr)
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


def _merge_outputs(result: Any, out: Path, *, review: bool = True) -> list[str]:
    """Write merge's tables; ``review=False`` leaves review.csv to the pairs review."""
    from crmclean.frames import to_columns

    names = []
    for name, table in (("golden.csv", result.golden), ("lineage.csv", result.lineage),
                        ("merge_plan.csv", result.plan), ("conflicts.csv", result.conflicts),
                        ("review.csv", result.review if review else None),
                        ("explanations.csv", result.explanations)):  # fmt: skip
        if table is None:
            continue
        write_table(to_columns(table)[0], out / name)
        names.append(name)
    return names


def _merge(args: argparse.Namespace) -> int:
    from crmclean.merge import merge

    saved = _read_strategy(args.strategy)
    decisions = _read_decisions(args.decisions)
    progress = _Progress(3, quiet=args.quiet)
    with _Outputs() as outputs:
        staging = outputs.directory(args.out)
        with progress.step("reading"):
            columns = _read(args, args.input)
            clusters = read_table_info(args.clusters)[0]
            id_column, added = _ids_column(columns, args.id_column)
            _show_roles(args, columns, id_column, added=added)
        with progress.step("merging golden records") as bars:
            strategy = _strategy(saved, args, columns, _detected(columns, args.map, id_column))
            result = merge(columns, clusters, id_column=id_column, strategy=strategy,
                           progress=bars, decisions=decisions)  # fmt: skip
        with progress.step("writing"):
            names = _merge_outputs(result, staging)
    if not args.quiet:
        for line in _read_lines(args):
            print(line, file=sys.stderr)
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


def _detected(
    columns: dict[str, list[Any]], mapping: Sequence[str] | None, id_column: str | None = None
) -> dict[str, str]:
    from crmclean.columns import detect_roles

    roles = detect_roles(list(columns), overrides=_mapping(mapping))
    if id_column is not None and roles.get("id") not in (None, id_column):
        roles["id"] = id_column
    return roles


def _clean(args: argparse.Namespace) -> int:
    # the steps of crmclean.clean, each shown with its time
    from crmclean.audit import audit_standardized
    from crmclean.clean import standardized_view
    from crmclean.fields import parse_once
    from crmclean.merge import merge
    from crmclean.pipeline import dedupe_columns

    progress = _Progress(6, quiet=args.quiet)
    settings = _read_settings(args.settings)
    saved = _read_strategy(args.strategy)
    decisions = _read_decisions(args.decisions)
    with _Outputs() as outputs, using(args.workers):  # one pool of workers for every stage
        staging = outputs.directory(args.out)
        saved_settings = outputs.file(args.save_settings) if args.save_settings else None
        with progress.step("reading"):
            columns = _read(args, args.input)
            id_column, added = _ids_column(columns, args.id_column)
            _show_roles(args, columns, id_column, added=added)
            roles = _detected(columns, args.map, id_column)
        with parse_once():  # the matching keys read the values standardize parsed
            with progress.step("standardizing") as bars:
                standardized = standardize_results(columns, roles=roles, region=args.region,
                                                   progress=bars,
                                                   workers=args.workers)  # fmt: skip
                clean, summary, _ = standardized
            with progress.step("finding duplicates") as bars:
                matched = dedupe_columns(columns, id_column, columns=_mapping(args.map) or None,
                                         seed=args.seed, region=args.region,
                                         settings=settings,  # type: ignore[arg-type]
                                         threshold=args.threshold, progress=bars,
                                         decisions=decisions, workers=args.workers)  # fmt: skip
        with progress.step("merging golden records") as bars:
            strategy = _strategy(saved, args, columns, roles)
            merged = merge(standardized_view(columns, clean, roles, strategy), matched.clusters,
                           id_column=id_column, strategy=strategy, progress=bars)  # fmt: skip
        with progress.step("auditing") as bars:
            report = audit_standardized(columns, roles, standardized, clusters=matched.clusters,
                                        progress=bars)  # fmt: skip
        with progress.step("writing") as bars:
            names = ["contacts_clean.csv", "clusters.csv", "pairs.csv", "review.csv"]
            writes: list[tuple[str, Any]] = [
                ("contacts_clean.csv", lambda: write_table(clean, staging / names[0])),
                ("clusters.csv", lambda: write_table(matched.clusters, staging / names[1])),
                ("pairs.csv", lambda: write_table(matched.pairs, staging / names[2])),
                ("review.csv", lambda: write_table(matched.review, staging / names[3])),
                ("merge", lambda: names.extend(_merge_outputs(merged, staging, review=False))),
                ("report.html", lambda: (staging / "report.html").write_text(
                    report.to_html(), encoding="utf-8")),
                ("report.json", lambda: (staging / "report.json").write_text(
                    report.to_json(), encoding="utf-8")),
                ("settings.json", lambda: (staging / "settings.json").write_text(
                    matched.settings.to_json(), encoding="utf-8")),
            ]  # fmt: skip
            if saved_settings is not None:
                writes.append(("--save-settings", lambda: saved_settings.write_text(
                    matched.settings.to_json(), encoding="utf-8")))  # fmt: skip
            for _, write in bars.each("write", writes, unit="outputs"):
                write()
            names += ["report.html", "report.json", "settings.json"]
    if not args.quiet:
        k = report.kpis
        stats = matched.stats
        lines = [
            *_read_lines(args),
            f"{summary.rows:,} records"
            + (f" (no id column: {id_column} added)" if added else f" (ids: {id_column})"),
            f"quality before cleaning: {_pct(k['clean_share'])} clean records, mean score "
            f"{k['mean_quality_score']}, {_pct(k['invalid_email_share'])} invalid emails",
            f"duplicates: {stats.matched_pairs:,} matched pairs in "
            f"{sum(1 for v in _cluster_sizes(matched.clusters) if v > 1):,} clusters"
            + _decided_note(matched),
            f"golden records: {merged.counts['golden']:,} "
            f"(from {merged.counts['records']:,} records)",
            f"wrote {', '.join(names)} to {args.out}",
        ]
        for line in lines:
            print(line, file=sys.stderr)
    return 0


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


def _match(
    args: argparse.Namespace,
    left: dict[str, list[Any]],
    left_id: str,
    right: dict[str, list[Any]] | None,
    right_id: str | None,
    settings: object,
    bars: Progress,
    decisions: Decisions | None = None,
) -> Any:
    from crmclean.pipeline import dedupe, link

    if right is None:
        return dedupe(
            left, left_id, columns=_mapping(args.map), seed=args.seed, region=args.region,
            settings=settings, threshold=args.threshold,  # type: ignore[arg-type]
            progress=bars, decisions=decisions, workers=args.workers,
        )  # fmt: skip
    return link(
        left, right, left_id, right_id_column=right_id, columns=_mapping(args.map),
        seed=args.seed, region=args.region, settings=settings,  # type: ignore[arg-type]
        threshold=args.threshold, progress=bars, decisions=decisions, workers=args.workers,
    )  # fmt: skip


def _decided_note(result: Any) -> str:
    """``; decisions: N must-link, M cannot-link pairs applied`` when decisions were given."""
    decided = result.stats.decisions
    if not decided:
        return ""
    return (f"; decisions: {decided['must_link']:,} must-link and {decided['cannot_link']:,} "
            f"cannot-link pairs applied, {decided['split_clusters']:,} clusters split")  # fmt: skip


def _run_match(args: argparse.Namespace) -> int:
    from crmclean.pipeline import MatchResult

    settings = _read_settings(args.settings)
    decisions = _read_decisions(args.decisions)
    progress = _Progress(3, quiet=args.quiet)
    with _Outputs() as outputs:
        staging = outputs.directory(args.out)
        saved_settings = outputs.file(args.save_settings) if args.save_settings else None
        right: dict[str, list[Any]] | None = None
        right_id: str | None = None
        with progress.step("reading"):
            left = _read(args, args.input)
            left_id, added = _ids_column(left, args.id_column)
            _show_roles(args, left, left_id, added=added)
            if args.command == "link":
                right = _read(args, args.right)
                right_id, added = _ids_column(right, args.right_id_column or args.id_column)
                _show_roles(args, right, right_id, added=added)
        result: MatchResult
        with progress.step("linking" if right is not None else "finding duplicates") as bars:
            result = _match(args, left, left_id, right, right_id, settings, bars, decisions)
        with progress.step("writing"):
            write_table(result.clusters, staging / "clusters.csv")
            write_table(result.pairs, staging / "pairs.csv")
            write_table(result.review, staging / "review.csv")
            if saved_settings is not None:
                saved_settings.write_text(result.settings.to_json(), encoding="utf-8")
    out = Path(args.out)
    if not args.quiet:
        for line in _read_lines(args):
            print(line, file=sys.stderr)
        stats = result.stats
        print(
            f"{stats.records:,} records (ids: {left_id}), {stats.candidate_pairs:,} candidate "
            f"pairs, {stats.matched_pairs:,} matched pairs, {stats.clusters:,} clusters "
            f"(largest {stats.largest_cluster:,})" + _decided_note(result),
            file=sys.stderr,
        )
        for name, count in stats.rule_new.items():
            print(f"  blocking {name}: {count:,} new pairs", file=sys.stderr)
        print(f"wrote {out / 'clusters.csv'}, {out / 'pairs.csv'} and {out / 'review.csv'} "
              f"({_rows(result.review):,} pairs to review)", file=sys.stderr)  # fmt: skip
    return 0


def _rows(table: Any) -> int:
    from crmclean.frames import to_columns

    batch, _ = to_columns(table)
    return len(next(iter(batch.values()))) if batch else 0


def _roles(args: argparse.Namespace) -> int:
    columns = _read(args, args.input)
    id_column = _id_choice(columns, args.id_column)
    for line in _read_lines(args) + _role_lines(columns, id_column, args.map):
        print(line)
    return 0


def _role_lines(
    columns: Mapping[str, Any], id_column: str | None, mapping: Sequence[str] | None
) -> list[str]:
    """What ``crmclean roles`` prints after its read line: the id column, each detected role
    and the columns left without one."""
    from crmclean.columns import detect_roles, unused_role_of

    roles = detect_roles([c for c in columns if c != id_column], overrides=_mapping(mapping))
    roles.pop("id", None)
    lines = []
    lines.append(f"{'id':<14}{id_column if id_column is not None else '(row numbers)'}")
    lines += [f"{role:<14}{column}" for role, column in roles.items()]
    used = set(roles.values()) | {id_column}
    rest = [c for c in columns if c not in used]
    waiting = {c: unused_role_of(c) for c in rest}
    plain = [c for c in rest if waiting[c] is None]
    if plain:
        lines.append("no role: " + ", ".join(plain))
    later = [f"{c} ({role})" for c, role in waiting.items() if role is not None]
    if later:
        lines.append("known, not used by any field: " + ", ".join(later))
    return lines


def _show_roles(
    args: argparse.Namespace,
    columns: Mapping[str, Any],
    id_column: str | None,
    *,
    added: bool = False,
) -> None:
    """With ``--show-roles``: print on stderr what ``crmclean roles`` prints for the input
    just read (row numbers when the id column was ``added``), then let the command go on."""
    if not getattr(args, "show_roles", False):
        return
    columns = {c: v for c, v in columns.items() if not (added and c == id_column)}
    path, info = _reads(args)[-1]
    lines = [f"read {'standard input' if path == '-' else path}: {info.describe()}"]
    lines += _role_lines(columns, None if added else id_column, args.map)
    _Progress.end_line()
    for line in lines:
        print(line, file=sys.stderr, flush=True)


_COMMANDS: dict[str, Any] = {
    "standardize": _standardize, "dedupe": _run_match, "link": _run_match, "audit": _audit,
    "merge": _merge, "clean": _clean, "roles": _roles,
}  # fmt: skip


def _fail(message: str) -> int:
    _Progress.end_line()
    print(f"crmclean: error: {' '.join(message.split())}", file=sys.stderr)
    return 2


def _silence_stdout() -> None:
    """After the reader of our output went away: send what is still buffered nowhere, so the
    interpreter does not report the closed pipe again on exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout without a file descriptor
        pass


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
    with warnings.catch_warnings():
        if getattr(args, "quiet", False):
            warnings.simplefilter("ignore")
        else:
            warnings.simplefilter("default")
            warnings.showwarning = _show_warning
        try:
            if getattr(args, "workers", None) is not None:
                check_workers(args.workers, "--workers")
            status: int = _COMMANDS[args.command](args)
            sys.stdout.flush()
        except CrmcleanError as exc:
            return _fail(str(exc))
        except BrokenPipeError:
            _silence_stdout()
            return _fail("the output pipe was closed before everything was written")
        except KeyboardInterrupt:
            return 130
        except MemoryError:
            return _fail("out of memory")
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            return _fail(f"{exc.strerror or type(exc).__name__}{where}")
        except Exception as exc:  # a fault of crmclean's own: still one line, no data
            if os.environ.get("CRMCLEAN_TRACEBACK"):
                raise
            return _fail(
                f"internal error ({type(exc).__name__}); set CRMCLEAN_TRACEBACK=1 to see where, "
                "and please report it"
            )
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
