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
    return parser


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
    except CrmcleanError as exc:
        print(f"crmclean: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command!r}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
