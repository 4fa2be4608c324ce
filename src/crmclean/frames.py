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
import sys
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Literal, TextIO

import attrs

from crmclean.errors import InputFileError

__all__ = [
    "LEGACY_ENCODINGS",
    "ColumnBatch",
    "ReadInfo",
    "TableKind",
    "TableReadWarning",
    "TableShape",
    "detect_encoding",
    "from_columns",
    "read_table",
    "read_table_info",
    "result_kind",
    "safe_cell",
    "table_shape",
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


@attrs.frozen(eq=False)
class TableShape:
    """What a column batch does not hold of a pandas DataFrame: its index and its column
    labels that are not strings (``0``, ``("a", 1)``), so a function can give them back.

    Example:
        >>> import pandas as pd
        >>> frame = pd.DataFrame({0: ["a"], "Email": ["x@y.org"]}, index=["r1"])
        >>> shape = table_shape(frame)
        >>> restored = shape.restore(from_columns(to_columns(frame)[0], "pandas"))
        >>> restored.index.tolist(), restored.columns.tolist()
        (['r1'], [0, 'Email'])
    """

    index: Any = None
    labels: tuple[tuple[str, Any], ...] = ()

    def restore(self, table: Any, positions: Any = None) -> Any:
        """The pandas DataFrame ``table`` with this index (when the lengths agree; with
        ``positions``, the index entries of those input rows) and the original labels of
        columns whose string names it holds; any other table unchanged.

        Example:
            >>> TableShape().restore({"a": [1]})
            {'a': [1]}
        """
        if _module_of(table) != "pandas" or not hasattr(table, "columns"):
            return table
        frame: Any = table
        if self.labels:
            frame = frame.rename(columns=dict(self.labels))
        if self.index is not None and positions is not None and len(positions) == len(frame):
            frame.index = self.index[positions]
        elif self.index is not None and len(self.index) == len(frame):
            frame.index = self.index
        return frame


def table_shape(table: object) -> TableShape:
    """The index and non-string column labels of a pandas DataFrame (nothing for any other
    table, whose column names are strings and whose rows have no labels).

    Example:
        >>> table_shape([{"a": 1}])
        TableShape(index=None, labels=())
    """
    if _module_of(table) != "pandas" or not hasattr(table, "columns"):
        return TableShape()
    frame: Any = table
    import pandas as pd

    index = frame.index
    plain = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    labels = tuple((str(c), c) for c in frame.columns if not isinstance(c, str))
    return TableShape(None if plain and index.name is None else index, labels)


# --- files ---------------------------------------------------------------------------------


class TableReadWarning(UserWarning):
    """Something about an input file the reader worked around (overflow cells kept in extra
    columns, empty header cells left out). The command line prints these as warnings.

    Example:
        >>> issubclass(TableReadWarning, UserWarning)
        True
    """


@attrs.frozen
class ReadInfo:
    """How :func:`read_table_info` read a file.

    Attributes:
        encoding: the text encoding used (``None`` for Parquet).
        detected: whether the encoding was detected (``False`` when given).
        delimiter: the CSV delimiter used (``None`` for JSON Lines and Parquet).
        rows: the number of records read.
        extra_columns: overflow columns added for cells beyond the header (``_extra_1``, ...).
        ragged_rows: the 1-based line numbers of the first rows with such cells.

    Example:
        >>> ReadInfo(encoding="utf-8", detected=True, delimiter=",", rows=2).describe()
        'utf-8 (detected), delimiter ",", 2 rows'
    """

    encoding: str | None
    detected: bool
    delimiter: str | None
    rows: int
    extra_columns: tuple[str, ...] = ()
    ragged_rows: tuple[int, ...] = ()

    def describe(self) -> str:
        """One line: encoding, delimiter and row count.

        Example:
            >>> ReadInfo(encoding="cp1251", detected=True, delimiter=";", rows=1).describe()
            'cp1251 (detected), delimiter ";", 1 rows'
        """
        parts = []
        if self.encoding is not None:
            parts.append(f"{self.encoding} ({'detected' if self.detected else 'given'})")
        if self.delimiter is not None:
            shown = "tab" if self.delimiter == "\t" else f'"{self.delimiter}"'
            parts.append(f"delimiter {shown}")
        parts.append(f"{self.rows:,} rows")
        return ", ".join(parts)


_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: The legacy code pages CRM exports come in, by script family. Detection chooses among these
#: only; anything else is read with an explicit ``encoding``.
LEGACY_ENCODINGS: Final = {
    "cp1252": "latin", "cp1254": "latin", "cp1251": "cyrillic", "koi8_r": "cyrillic",
    "gb18030": "cjk", "big5": "cjk", "cp932": "cjk",
}  # fmt: skip
# bytes where cp1254 (Turkish) and cp1252 (Western) hold different letters: Ğ İ Ş ğ ı ş in
# cp1254, Ð Ý Þ ð ý þ (Icelandic) in cp1252
_TURKISH_BYTES: Final = frozenset(b"\xd0\xdd\xde\xf0\xfd\xfe")
_CYRILLIC_CASE_FLIP: Final = re.compile(r"[а-яё][А-ЯЁ]")
# a file with fewer non-ASCII bytes than this is too little evidence to choose between scripts
_MIN_EVIDENCE: Final = 16


def _refuse(path: str, why: str) -> InputFileError:
    return InputFileError(
        f"cannot read {path!r}: {why}; give the encoding with --encoding (encoding=...)"
    )


def _wide_codec(data: bytes) -> str | None:
    """The UTF-16/32 codec of a file without a BOM, from where its NUL bytes fall, or ``None``
    when they are too few or too scattered to say (a stray NUL in an 8-bit file)."""
    head = data[: 1 << 16]
    head = head[: len(head) - len(head) % 4]
    if not head:
        return None
    at = [head[i::4].count(0) for i in range(4)]
    quarter = len(head) // 4
    # UTF-32: three NULs of every four bytes for most of the text (ASCII and the BMP)
    if at[2] > 0.8 * quarter and at[3] > 0.8 * quarter and at[0] < 0.2 * quarter:
        return "utf-32-le"
    if at[0] > 0.8 * quarter and at[1] > 0.8 * quarter and at[3] < 0.2 * quarter:
        return "utf-32-be"
    even, odd = at[0] + at[2], at[1] + at[3]
    # UTF-16: the NUL high byte of ASCII characters (digits, commas, e-mails, line ends)
    if odd > 0.1 * 2 * quarter and even < 0.05 * odd:
        return "utf-16-le"
    if even > 0.1 * 2 * quarter and odd < 0.05 * even:
        return "utf-16-be"
    return None


def _non_ascii_sample(data: bytes) -> bytes:
    """The header line and the lines holding non-ASCII bytes, up to about 256 kB."""
    lines = data.split(b"\n")
    picked = [lines[0]] + [line for line in lines[1:] if max(line, default=0) >= 0x80]
    out: list[bytes] = []
    size = 0
    for line in picked:
        out.append(line)
        size += len(line) + 1
        if size > 1 << 18:
            break
    return b"\n".join(out)


def _choose_legacy(data: bytes, path: str) -> str:  # one decision table, read top to bottom
    """The legacy code page of a file that is not UTF-8, chosen with charset-normalizer among
    :data:`LEGACY_ENCODINGS`; a refusal when the evidence does not single one out."""
    from charset_normalizer import from_bytes

    sample = _non_ascii_sample(data)
    matches = list(from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS), steps=8,
                              chunk_size=max(512, len(sample) // 8 + 1)))  # fmt: skip
    if not matches:
        raise _refuse(path, "it is not UTF-8 and no common code page reads it cleanly")
    best = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= best + 0.02]
    names: dict[str, float] = {}
    for match in tied:
        for name in match.could_be_from_charset:
            if name in LEGACY_ENCODINGS:
                names.setdefault(name, match.coherence)
    families = {LEGACY_ENCODINGS[n] for n in names}
    evidence = sum(1 for b in sample if b >= 0x80)
    if len(families) != 1 or (evidence < _MIN_EVIDENCE and families != {"latin"}):
        shown = " or ".join(sorted(names)) or "none"
        raise _refuse(path, f"its encoding is unclear (it could be {shown})")
    family = families.pop()
    if family == "latin":
        turkish = "cp1254" in names and any(b in _TURKISH_BYTES for b in sample)
        return "cp1254" if turkish or "cp1252" not in names else "cp1252"
    if len(names) == 1:
        return next(iter(names))
    ranked = sorted(names.items(), key=lambda item: -item[1])
    if family == "cyrillic":
        flips = {n: len(_CYRILLIC_CASE_FLIP.findall(sample.decode(n, "replace"))) for n in names}
        fewest = min(flips.values())
        if sum(1 for v in flips.values() if v == fewest) == 1 and fewest < max(flips.values()):
            return min(flips, key=lambda n: flips[n])
    if ranked[0][1] - ranked[1][1] >= 0.1:
        return ranked[0][0]
    if family == "cjk" and len(tied) == 1:
        return tied[0].encoding
    raise _refuse(path, f"its encoding is unclear (it could be {' or '.join(sorted(names))})")


def detect_encoding(data: bytes, *, path: str = "<data>") -> str:
    """The text encoding of a file's bytes: a BOM, UTF-16/32 by the pattern of NUL bytes,
    UTF-8, or one of the legacy code pages of :data:`LEGACY_ENCODINGS` chosen by
    charset-normalizer. A file is never decoded by a guess: when the evidence does not single
    out one encoding, this raises, and the caller names it.

    Raises:
        InputFileError: the encoding cannot be told with confidence (the message names
            ``--encoding``).

    Example:
        >>> detect_encoding("Имя,Фамилия\\nИван,Петров\\nМария,Сидорова\\n".encode("cp1251"))
        'cp1251'
        >>> detect_encoding("Name\\nJane\\n".encode("utf-16-le"))
        'utf-16-le'
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    wide = _wide_codec(data) if 0 in data[: 1 << 16] else None
    if wide is not None:
        try:
            data.decode(wide)
        except UnicodeDecodeError:
            raise _refuse(path, f"it looks like {wide} text but is not valid {wide}") from None
        return wide
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _choose_legacy(data, path)
    return "utf-8"


def _decode(data: bytes, encoding: str | None, path: str) -> tuple[str, str]:
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputFileError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError:
            raise InputFileError(
                f"cannot read {path!r}: it is not valid {encoding} text"
            ) from None
    name = detect_encoding(data, path=path)
    try:
        return data.decode(name), name
    except UnicodeDecodeError:
        raise _refuse(path, f"it is not valid {name} text throughout") from None


def read_table(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_field_size: int | None = None,
) -> ColumnBatch:
    """Read a CSV, TSV, JSON Lines or Parquet file into a column batch of strings.

    The format follows the file's suffix (``.csv``, ``.tsv``, ``.txt``, ``.jsonl``/``.ndjson``,
    ``.parquet``; anything else, and ``"-"`` for standard input, is read as CSV). CSV cells stay
    text (a phone number is never turned into a float). The encoding is detected unless given
    (:func:`detect_encoding`); the delimiter is taken from an Excel ``sep=`` first line or
    sniffed among ``, ; | tab`` unless given. Cells beyond the header are kept in overflow
    columns ``_extra_1``, ``_extra_2``, ... (with a :class:`TableReadWarning`); empty header
    cells at the end of the header are left out. :func:`read_table_info` also says how the
    file was read.

    Raises:
        InputFileError: the file is missing, unreadable, empty, not a table, of an unclear
            encoding, or has a cell longer than ``max_field_size`` characters (default 131,072).

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
        >>> _ = p.write_text("Name;Phone\\nAnn;+1 415 555 2671\\n", encoding="utf-8")
        >>> read_table(p)
        {'Name': ['Ann'], 'Phone': ['+1 415 555 2671']}
    """
    return read_table_info(
        path, encoding=encoding, delimiter=delimiter, max_field_size=max_field_size
    )[0]


def read_table_info(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_field_size: int | None = None,
) -> tuple[ColumnBatch, ReadInfo]:
    """:func:`read_table`, and how the file was read (encoding, delimiter, rows, overflow).

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
        >>> _ = p.write_bytes("sep=;\\nИмя;Город\\nИван;Москва\\nМария;Санкт-Петербург\\n"
        ...                   "Пётр;Новосибирск\\n".encode("cp1251"))
        >>> columns, info = read_table_info(p)
        >>> columns["Город"], info.describe()
        (['Москва', 'Санкт-Петербург', 'Новосибирск'], 'cp1251 (detected), delimiter ";", 3 rows')
    """
    name = os.fspath(path)
    suffix = "" if name == "-" else Path(name).suffix.lower()
    if max_field_size is not None and (
        not isinstance(max_field_size, int) or max_field_size < 1
    ):
        raise TypeError("max_field_size must be a positive int")
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"cannot read {name!r}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"cannot read {name!r}: it is a directory") from None
    except OSError as exc:
        raise InputFileError(f"cannot read {name!r}: {exc.strerror}") from None
    if suffix == ".parquet":
        columns = _read_parquet(data, name)
        return columns, ReadInfo(None, False, None, _height(columns))
    text, used = _decode(data, encoding, name)
    if suffix in (".jsonl", ".ndjson"):
        columns = _read_jsonl(text, name)
        return columns, ReadInfo(used, encoding is None, None, _height(columns))
    if suffix == ".tsv" and not delimiter:
        delimiter = "\t"
    columns, info = _read_csv(text, name, delimiter, max_field_size or _FIELD_LIMIT)
    return columns, attrs.evolve(info, encoding=used, detected=encoding is None)


def _height(columns: ColumnBatch) -> int:
    return len(next(iter(columns.values()))) if columns else 0


_FIELD_LIMIT: Final = 131072
_DELIMITERS: Final = (",", ";", "\t", "|")


def _sniff_delimiter(text: str) -> str:
    """The delimiter among ``, ; tab |`` that splits the first lines into the same number of
    cells as the header (more than one), the widest such split winning; ``,`` when none does.
    A header cell holding another candidate ("Street, house") does not mislead it."""
    lines = text[:65536].split("\n")
    if len(text) > 65536 and len(lines) > 1:
        lines.pop()  # cut off mid-line
    head = lines[:20]
    best: tuple[float, int, int] = (0.0, 0, 0)
    chosen = ","
    for rank, candidate in enumerate(_DELIMITERS):
        try:
            rows = [r for r in csv.reader(head, delimiter=candidate) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        agree = sum(1 for r in rows if len(r) == width) / len(rows)
        score = (agree, width, -rank)
        if score > best:
            best, chosen = score, candidate
    return chosen
_SEP_LINE: Final = re.compile(r'"?sep=(.)"?[ \t]*\r?\n')


def _read_csv(  # one pass over the rows, every shape rule side by side
    text: str, name: str, delimiter: str | None, field_limit: int
) -> tuple[ColumnBatch, ReadInfo]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputFileError(f"cannot read {name!r}: the file is empty")
    sep_line = _SEP_LINE.match(text)
    if sep_line is not None:
        text = text[sep_line.end() :]
        delimiter = delimiter or sep_line.group(1)
    if delimiter is None:
        delimiter = _sniff_delimiter(text)
    previous = csv.field_size_limit(field_limit)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        rows = list(reader)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputFileError(
                f"cannot read {name!r}: line {reader.line_num} has a cell longer than "
                f"{field_limit:,} characters; allow longer cells with --max-field-size "
                "(max_field_size=...)"
            ) from None
        raise InputFileError(f"cannot read {name!r} as CSV: {exc}") from None
    except StopIteration:
        raise InputFileError(f"cannot read {name!r}: the file is empty") from None
    finally:
        csv.field_size_limit(previous)
    header = [h.strip() for h in header]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise InputFileError(f"cannot read {name!r}: its header is empty")
    header = [h or f"_column_{i + 1}" for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    for position, label in enumerate(header, start=1):
        if label in seen:
            raise InputFileError(
                f"cannot read {name!r}: its header repeats a column name, {label!r} "
                f"(columns {seen[label]} and {position})"
            )
        seen[label] = position
    width = len(header)
    columns: ColumnBatch = {h: [] for h in header}
    lists = list(columns.values())
    overflow: dict[int, list[str]] = {}  # record number -> its cells beyond the header
    ragged: list[int] = []
    count = 0
    for line, row in enumerate(rows, start=2 + (sep_line is not None)):
        if not row:  # a blank line is not a record
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        elif len(row) > width and any(cell.strip() for cell in row[width:]):
            overflow[count] = row[width:]
            if len(ragged) < 5:
                ragged.append(line)
        for i, column in enumerate(lists):
            column.append(row[i])
        count += 1
    names: list[str] = []
    for i in range(max((len(cells) for cells in overflow.values()), default=0)):
        label = f"_extra_{i + 1}"
        while label in columns:
            label = "_" + label
        values = [""] * count
        for record, cells in overflow.items():
            if i < len(cells):
                values[record] = cells[i]
        columns[label] = values
        names.append(label)
    if names:
        warnings.warn(
            f"{name}: rows with more cells than the header (lines "
            + ", ".join(str(n) for n in ragged)
            + ("..." if len(ragged) == 5 else "")
            + f"); the extra cells are kept in {', '.join(names)}",
            TableReadWarning,
            stacklevel=4,
        )
    return columns, ReadInfo(None, False, delimiter, count, tuple(names), tuple(ragged))


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
# what a spreadsheet reads as a constant, never as an expression: a plain signed number
# ("-12.5", "+3,75"), or a phone number of at least seven digits written after a "+"
# ("+1 (415) 555-2671", "+7 495 123 45 67 доб. 12"), several separated by commas/semicolons
_PLAIN_NUMBER: Final = re.compile(r"[+\-]?\d+(?:[.,]\d+)?(?:[eE][+\-]?\d+)?")
_EXTENSION: Final = r"(?:\s*(?:x|ext\.?|extension|доб\.?|#)\s*\d+)?"
_PHONE: Final = re.compile(
    rf"\+\d[\d\s().\-/]*\d{_EXTENSION}(?:\s*[,;]\s*\+?\d[\d\s().\-/]*\d{_EXTENSION})*",
    re.IGNORECASE,
)


def _is_constant(value: str) -> bool:
    if _PLAIN_NUMBER.fullmatch(value):
        return True
    if not _PHONE.fullmatch(value):
        return False
    return all(
        sum(ch.isdigit() for ch in part.split("x")[0]) >= 7
        for part in re.split(r"\s*[,;]\s*", value.lower())
    )


def safe_cell(value: object) -> object:
    """Neutralize spreadsheet formula injection in a cell about to be exported.

    A text cell starting with ``= + - @``, tab or carriage return is prefixed with ``'`` so a
    spreadsheet shows it as text instead of running it, unless it is a plain number
    (``-12.5``) or a phone number of at least seven digits after ``+`` (``+14155552671``,
    ``+1 (415) 555-2671``), which no spreadsheet runs. ``-1-1`` and ``+1-1`` are expressions,
    and are neutralized.

    Example:
        >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("+14155552671"), safe_cell("Ann")
        ('\\'=HYPERLINK("http://x")', '+14155552671', 'Ann')
        >>> safe_cell("+7 495 123 45 67 доб. 12"), safe_cell("+1+cmd|' /C calc'!A0")
        ('+7 495 123 45 67 доб. 12', "'+1+cmd|' /C calc'!A0")
        >>> safe_cell("-1-1"), safe_cell("+1-1"), safe_cell("-12.5")
        ("'-1-1", "'+1-1", '-12.5')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        if value[0] in "+-" and _is_constant(value):
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
    """Write a column batch as CSV to an open text stream (a file, ``sys.stdout``). With
    ``safe=True`` (the default) header and data cells pass through :func:`safe_cell`.

    Example:
        >>> import io
        >>> buf = io.StringIO()
        >>> write_csv({"a": ["x", None], "b": [1, 2]}, buf)
        >>> buf.getvalue().splitlines()
        ['a,b', 'x,1', ',2']
    """
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    names = list(columns)
    writer.writerow([safe_cell(c) for c in names] if safe else names)
    n = len(columns[names[0]]) if names else 0
    if any(len(columns[k]) < n for k in names):
        raise IndexError("a column of the table is shorter than the first")
    # column by column, then rows in large slices: the csv module joins the cells
    step = 65536
    for start in range(0, n, step):
        texts = [_texts(columns[k][start : start + step], safe) for k in names]
        writer.writerows(zip(*texts, strict=False))  # slices of one length (a longer column is cut)


def _texts(cells: Sequence[Any], safe: bool) -> list[str]:
    """The cells of a column as CSV text (as :func:`_cell_text`, then :func:`safe_cell` when
    ``safe``): text that cannot start a formula, empty cells and whole numbers (a negative
    one is a plain number) without a call each."""
    return [
        v if type(v) is str and not (safe and v.startswith(_FORMULA_START))
        else "" if v is None
        else str(v) if type(v) is int
        else _text(v, safe)
        for v in cells
    ]  # fmt: skip


def _text(value: object, safe: bool) -> str:
    text = _cell_text(value)
    return str(safe_cell(text)) if safe else text


def _arrow_arrays(columns: ColumnBatch) -> dict[str, Any]:
    """pyarrow arrays of a batch: text (and all-empty) columns typed as strings."""
    import pyarrow as pa

    out: dict[str, Any] = {}
    for name, values in columns.items():
        if all(v is None or isinstance(v, str) for v in values):
            out[name] = pa.array(values, type=pa.string())
        else:
            out[name] = pa.array(values)
    return out


def write_table(columns: ColumnBatch, path: str | os.PathLike[str], *, safe: bool = True) -> None:
    """Write a column batch to CSV (UTF-8), JSON Lines or Parquet, by the path's suffix.

    The file appears complete or not at all: it is written beside the target and renamed into
    place. With ``safe=True`` (the default) CSV cells are passed through :func:`safe_cell`.
    ``"-"`` writes CSV to standard output. In Parquet a column of text and empty cells is a
    string column, even when every cell is empty.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
        >>> write_table({"a": ["=1+1", None], "b": ["x", "y"]}, p)
        >>> p.read_text(encoding="utf-8").splitlines()
        ['a,b', "'=1+1,x", ',y']
    """
    if os.fspath(path) == "-":
        write_csv(columns, sys.stdout, safe=safe)
        sys.stdout.flush()
        return
    target = Path(os.fspath(path))
    suffix = target.suffix.lower()
    tmp = target.with_name(f".{target.name}.partial")
    try:
        if suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table(_arrow_arrays(columns)), tmp)
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
