"""The ``crmclean`` command line.

Built on the standard library's :mod:`argparse`: subcommands, typed options and ``--help``
need nothing more, and a command-line tool for ETL jobs should not pull in a framework.

Every failure the user can fix (a missing file, an unknown column or role, an unreadable
encoding) ends with one line ``crmclean: error: ...`` on stderr and exit status 2, and leaves
no partial output file behind. Field values never appear in messages.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from crmclean import __version__
from crmclean.errors import CrmcleanError
from crmclean.frames import read_table, write_csv, write_table
from crmclean.standardize import standardize_columns

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


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmclean",
        description="Clean CRM contact data: standardize, deduplicate, merge.",
    )
    parser.add_argument("--version", action="version", version=f"crmclean {__version__}")
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
    return parser


def _add_match_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--id-column", help="column of unique record ids (default: row numbers)")
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    parser.add_argument("--settings", metavar="FILE", help="match settings JSON to use")
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


def _read_settings(path: str | None) -> object:
    if not path:
        return None
    from pathlib import Path

    from crmclean.errors import InputFileError

    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        raise InputFileError(f"cannot read settings file {path!r}") from None


def _run_match(args: argparse.Namespace) -> int:
    import os
    import warnings
    from pathlib import Path

    from crmclean.errors import InputFileError
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
    try:
        os.makedirs(out, exist_ok=True)
    except OSError:
        raise InputFileError(f"cannot create output directory {args.out!r}") from None
    write_table(result.clusters, out / "clusters.csv")
    write_table(result.pairs, out / "pairs.csv")
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
    except CrmcleanError as exc:
        print(f"crmclean: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command!r}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
