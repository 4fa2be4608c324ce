"""Table adapters: pandas, polars, pyarrow and lists of dicts in; the same kind out.

Inside crmclean every stage works on a *column batch*: a ``dict`` mapping column names to
Python lists of equal length. :func:`to_columns` turns whatever the user passed into a batch
and tells its kind; :func:`from_columns` turns a batch back into that kind. :func:`read_table`
and :func:`write_table` do the same for files (CSV, JSON Lines, Parquet). pandas, polars and
pyarrow are optional: each is imported only when a table of its kind is seen.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal, TextIO

from crmclean.errors import InputFileError

__all__ = [
    "ColumnBatch",
    "TableKind",
    "from_columns",
    "read_table",
    "result_kind",
    "safe_cell",
    "to_columns",
    "write_csv",
    "write_table",
]

#: A column batch: column name → list of cell values, all lists of one length.
ColumnBatch = dict[str, list[Any]]
#: The kinds of table crmclean accepts and returns.
TableKind = Literal["pandas", "polars", "arrow", "records", "columns"]


def _module_of(obj: object) -> str:
    return type(obj).__module__.split(".", 1)[0]


def to_columns(table: object) -> tuple[ColumnBatch, TableKind]:
    """Turn a table into a column batch, and say what kind of table it was.

    Accepts a pandas or polars DataFrame, a pyarrow Table, a list of dicts (records; keys
    missing from a record are ``None``) or a dict of equal-length lists.

    Raises:
        TypeError: the object is not a table of a supported kind, or its columns differ in length.

    Example:
        >>> to_columns([{"email": "a@x.com"}, {"email": "b@y.com", "phone": "123"}])
        ({'email': ['a@x.com', 'b@y.com'], 'phone': [None, '123']}, 'records')
    """
    module = _module_of(table)
    if module == "pandas" and hasattr(table, "columns") and hasattr(table, "to_dict"):
        frame: Any = table
        names = [str(c) for c in frame.columns]
        if len(set(names)) != len(names):
            raise TypeError("the DataFrame has duplicate column names")
        return {str(c): frame[c].tolist() for c in frame.columns}, "pandas"
    if module == "polars" and hasattr(table, "to_dict"):
        polars_frame: Any = table
        return {str(k): list(v) for k, v in polars_frame.to_dict(as_series=False).items()}, "polars"
    if module == "pyarrow" and hasattr(table, "to_pydict"):
        arrow_table: Any = table
        return {str(k): list(v) for k, v in arrow_table.to_pydict().items()}, "arrow"
    if isinstance(table, Mapping):
        columns = {str(k): list(v) for k, v in table.items()}
        _check_lengths(columns)
        return columns, "columns"
    if isinstance(table, Sequence) and not isinstance(table, (str, bytes)):
        seen: dict[str, None] = {}
        for record in table:
            if not isinstance(record, Mapping):
                raise TypeError("a list table must hold dicts (one per record)")
            seen.update(dict.fromkeys(str(k) for k in record))
        records: Sequence[Mapping[Any, Any]] = table
        return {n: [r.get(n) for r in records] for n in seen}, "records"
    raise TypeError(
        f"expected a pandas/polars DataFrame, a pyarrow Table, a list of dicts or a dict of "
        f"lists, not {type(table).__name__}"
    )


def _check_lengths(columns: ColumnBatch) -> None:
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        raise TypeError("the table's columns have different lengths")


def result_kind(kind: TableKind) -> TableKind:
    """The kind of table a function returns for an input of ``kind``: the same kind, except
    that a list of dicts gives a pandas DataFrame (when pandas is installed), the table a
    notebook shows best.

    Example:
        >>> result_kind("polars"), result_kind("records")
        ('polars', 'pandas')
    """
    if kind != "records":
        return kind
    try:
        import pandas  # noqa: F401
    except ImportError:  # pragma: no cover - pandas is an optional extra
        return kind
    return "pandas"


def from_columns(columns: ColumnBatch, kind: TableKind) -> Any:
    """Turn a column batch back into a table of the given kind (``"records"`` → list of dicts;
    public functions pass :func:`result_kind` to give pandas for a list of dicts).

    Example:
        >>> from_columns({"email": ["a@x.com"], "ok": [True]}, "records")
        [{'email': 'a@x.com', 'ok': True}]
    """
    if kind == "pandas":
        import pandas as pd

        return pd.DataFrame(columns)
    if kind == "polars":
        import polars as pl

        return pl.DataFrame(columns, strict=False)
    if kind == "arrow":
        import pyarrow as pa

        return pa.table(columns)
    if kind == "columns":
        return columns
    if kind == "records":
        names = list(columns)
        n = len(next(iter(columns.values()))) if columns else 0
        return [{name: columns[name][i] for name in names} for i in range(n)]
    raise ValueError(f"unknown table kind {kind!r}")


# --- files ---------------------------------------------------------------------------------

_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes, encoding: str | None, path: str) -> str:
    if encoding is not None:
        try:
            return data.decode(encoding)
        except LookupError:
            raise InputFileError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError:
            raise InputFileError(
                f"cannot read {path!r}: it is not valid {encoding} text"
            ) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Exports from Excel on Windows are cp1252; cp1252 leaves five bytes undefined, which a
    # real cp1252 file does not hold, so a failure here means "not a text file we can read".
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputFileError(
            f"cannot read {path!r}: its encoding is neither UTF-8 nor cp1252; "
            "give the encoding explicitly"
        ) from None


def read_table(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ColumnBatch:
    """Read a CSV, TSV, JSON Lines or Parquet file into a column batch of strings.

    The format follows the file's suffix (``.csv``, ``.tsv``, ``.txt``, ``.jsonl``/``.ndjson``,
    ``.parquet``; anything else is read as CSV). CSV cells stay text (a phone number is never
    turned into a float); the encoding is UTF-8 (with or without BOM), UTF-16/32 with a BOM, or
    cp1252, unless given; the delimiter is sniffed among ``, ; | tab`` unless given.

    Raises:
        InputFileError: the file is missing, unreadable, empty or not a table.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
        >>> _ = p.write_text("Name;Phone\\nAnn;+1 415 555 2671\\n", encoding="utf-8")
        >>> read_table(p)
        {'Name': ['Ann'], 'Phone': ['+1 415 555 2671']}
    """
    name = os.fspath(path)
    suffix = Path(name).suffix.lower()
    try:
        data = Path(name).read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"cannot read {name!r}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"cannot read {name!r}: it is a directory") from None
    except OSError as exc:
        raise InputFileError(f"cannot read {name!r}: {exc.strerror}") from None
    if suffix == ".parquet":
        return _read_parquet(data, name)
    text = _decode(data, encoding, name)
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(text, name)
    if suffix == ".tsv" and not delimiter:
        delimiter = "\t"
    return _read_csv(text, name, delimiter=delimiter)


def _read_csv(text: str, name: str, delimiter: str | None) -> ColumnBatch:
    if not text.strip():
        raise InputFileError(f"cannot read {name!r}: the file is empty")
    if delimiter is None:
        sample = text[:65536]
        try:
            delimiter = csv.Sniffer().sniff(sample.split("\n", 20)[0], delimiters=",;|\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        rows = list(reader)
    except csv.Error as exc:
        raise InputFileError(f"cannot read {name!r} as CSV: {exc}") from None
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        raise InputFileError(f"cannot read {name!r}: its header repeats a column name")
    width = len(header)
    columns: ColumnBatch = {h: [] for h in header}
    lists = list(columns.values())
    for row in rows:
        if not row:  # a blank line is not a record
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        for i, column in enumerate(lists):
            column.append(row[i])
    return columns


def _read_jsonl(text: str, name: str) -> ColumnBatch:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise InputFileError(f"cannot read {name!r}: line {number} is not JSON") from None
        if not isinstance(record, dict):
            raise InputFileError(f"cannot read {name!r}: line {number} is not a JSON object")
        records.append(record)
    if not records:
        raise InputFileError(f"cannot read {name!r}: the file is empty")
    columns, _ = to_columns(records)
    return columns


def _read_parquet(data: bytes, name: str) -> ColumnBatch:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputFileError("reading Parquet needs pyarrow: pip install pyarrow") from None
    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception:  # pyarrow raises several unrelated types for a bad file
        raise InputFileError(f"cannot read {name!r}: it is not a Parquet file") from None
    return {str(k): list(v) for k, v in table.to_pydict().items()}


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
# numbers or phone numbers, optionally with an extension ("+1 415 555 2671 ext. 12", "доб. 12"),
# several separated by commas or semicolons: no letters, no function call, nothing to run
_NUMBER: Final = r"[+\-]?[\d\s().\-/]*(?:\s*(?:x|ext\.?|extension|доб\.?|#)\s*\d+)?"
_NUMBER_LIKE: Final = re.compile(rf"{_NUMBER}(?:\s*[,;]\s*{_NUMBER})*", re.IGNORECASE)


def safe_cell(value: object) -> object:
    """Neutralize spreadsheet formula injection in a cell about to be exported.

    A text cell starting with ``= + - @``, tab or carriage return is prefixed with ``'`` so a
    spreadsheet shows it as text instead of running it, unless it is only a number or phone
    number (``+14155552671``, ``-12.5``), which no spreadsheet runs as a command.

    Example:
        >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("+14155552671"), safe_cell("Ann")
        ('\\'=HYPERLINK("http://x")', '+14155552671', 'Ann')
        >>> safe_cell("+7 495 123 45 67 доб. 12"), safe_cell("+1+cmd|' /C calc'!A0")
        ('+7 495 123 45 67 доб. 12', "'+1+cmd|' /C calc'!A0")
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        if value[0] in "+-" and _NUMBER_LIKE.fullmatch(value):
            return value
        return "'" + value
    return value


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def write_csv(
    columns: ColumnBatch, stream: TextIO, *, safe: bool = True, delimiter: str = ","
) -> None:
    """Write a column batch as CSV to an open text stream (a file, ``sys.stdout``).

    Example:
        >>> import io
        >>> buf = io.StringIO()
        >>> write_csv({"a": ["x", None], "b": [1, 2]}, buf)
        >>> buf.getvalue().splitlines()
        ['a,b', 'x,1', ',2']
    """
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    names = list(columns)
    writer.writerow(names)
    n = len(columns[names[0]]) if names else 0
    lists = [columns[k] for k in names]
    for i in range(n):
        cells = [_cell_text(col[i]) for col in lists]
        writer.writerow([safe_cell(c) for c in cells] if safe else cells)


def write_table(columns: ColumnBatch, path: str | os.PathLike[str], *, safe: bool = True) -> None:
    """Write a column batch to CSV (UTF-8), JSON Lines or Parquet, by the path's suffix.

    The file appears complete or not at all: it is written beside the target and renamed into
    place. With ``safe=True`` (the default) CSV cells are passed through :func:`safe_cell`.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
        >>> write_table({"a": ["=1+1", None], "b": ["x", "y"]}, p)
        >>> p.read_text(encoding="utf-8").splitlines()
        ['a,b', "'=1+1,x", ',y']
    """
    target = Path(os.fspath(path))
    suffix = target.suffix.lower()
    tmp = target.with_name(f".{target.name}.partial")
    try:
        if suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table(columns), tmp)
        elif suffix in (".jsonl", ".ndjson"):
            names = list(columns)
            n = len(columns[names[0]]) if names else 0
            with tmp.open("w", encoding="utf-8") as fh:
                for i in range(n):
                    record = {k: columns[k][i] for k in names}
                    fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        else:
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                write_csv(columns, fh, safe=safe, delimiter="\t" if suffix == ".tsv" else ",")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
