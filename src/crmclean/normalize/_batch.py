"""Batch form of every normalizer: a whole column in one call, each distinct value parsed once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from crmclean import _workers

__all__ = ["as_list", "column_table", "normalize_many"]

R = TypeVar("R")
_MISSING: Any = object()


def as_list(values: object) -> list[Any]:
    """Turn a column (list, tuple, generator, pandas/polars Series, numpy or pyarrow array) into
    a Python list of cell values.

    Example:
        >>> as_list(("a", None))
        ['a', None]
    """
    if isinstance(values, list):
        return values
    if isinstance(values, (str, bytes)):
        raise TypeError("expected a column of values, not a single str; wrap it in a list")
    for method in ("to_pylist", "to_list", "tolist"):
        convert = getattr(values, method, None)
        if callable(convert):
            out = convert()
            if isinstance(out, list):
                return out
    if isinstance(values, Iterable):
        return list(values)
    raise TypeError(f"expected a column of values, not {type(values).__name__}")


def normalize_many(
    normalizer: Callable[..., R], values: Iterable[object], /, **options: Any
) -> list[R] | Any:
    """Apply a normalizer to a whole column, parsing each distinct value once.

    CRM columns repeat themselves (the same company, the same switchboard number, the same
    "N/A"), so results are cached per distinct value for the length of the call; repeated
    values get the very same result object. Options are checked before any value is read,
    also for an empty column. The output has one result per input value, in order: a pandas
    Series for a pandas Series (same index and name), a polars Series (of objects) for a
    polars Series, a pyarrow struct array of the results' fields for a pyarrow array (Arrow
    holds no Python objects; the input array is the ``original``), else a list.

    Args:
        normalizer: any crmclean normalizer, e.g. :func:`crmclean.normalize_phone`.
        values: a list, tuple, iterator, pandas or polars Series, numpy or pyarrow array.
        **options: passed to the normalizer for every value (e.g. ``region="US"``).

    Example:
        >>> import crmclean
        >>> results = crmclean.normalize_many(crmclean.normalize_text, ["  a ", "  a ", None])
        >>> [r.text for r in results]
        ['a', 'a', None]
        >>> results[0] is results[1]
        True
    """
    column = as_list(values)
    if column is not values and type(values).__name__ == "Series":
        return _series_like(_normalize_list(normalizer, column, options), values)
    if column is not values and _is_arrow(values):
        return _arrow_like(_normalize_list(normalizer, column, options))
    return _normalize_list(normalizer, column, options)


def _is_arrow(values: object) -> bool:
    return type(values).__module__.split(".")[0] == "pyarrow" and type(
        values
    ).__name__.endswith("Array")


def _plain(value: Any) -> Any:
    """A result field as Arrow can hold it: tuples as lists, nested results as dicts."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(type(value), "__attrs_attrs__"):
        return {a.name: _plain(getattr(value, a.name)) for a in type(value).__attrs_attrs__}
    return value


def _arrow_like(out: list[Any]) -> Any:
    """Results as a pyarrow array: a struct array of the results' fields for normalizer
    results (``original`` left out: the input array holds it), else the values themselves."""
    import pyarrow as pa

    if out and all(r is None or hasattr(type(r), "__attrs_attrs__") for r in out):
        return pa.array([None if r is None else _row(r) for r in out])
    return pa.array(out)


def _row(result: Any) -> dict[str, Any]:
    """One normalizer result as a struct row: ``value`` (the standardized value every result
    has), then its fields."""
    row: dict[str, Any] = {"value": _plain(getattr(result, "value", None))}
    for a in type(result).__attrs_attrs__:
        if a.name not in ("original", "value"):
            row[a.name] = _plain(getattr(result, a.name))
    return row


def _series_like(out: list[Any], like: Any) -> Any:
    """Results as a Series of the input Series' library, index and name."""
    if type(like).__module__.split(".")[0] == "pandas":
        import pandas as pd

        return pd.Series(out, index=like.index, name=like.name, dtype=object)
    if type(like).__module__.split(".")[0] == "polars":
        import polars as pl

        return pl.Series(like.name, out, dtype=pl.Object)
    return out


def _normalize_list(
    normalizer: Callable[..., R], column: list[Any], options: dict[str, Any]
) -> list[R]:
    cache: dict[object, R] = {}
    missing: Any = _MISSING
    out: list[R] = []
    append = out.append
    if not column:
        normalizer(None, **options)  # check the options even when there is nothing to do
        return out
    if len(column) >= _workers.MIN_DISTINCT and _workers.parallel():
        return _normalize_spread(normalizer, column, options)
    for value in column:
        # str cells are the common case; other cells are keyed with their type so that
        # True, 1 and 1.0 (equal as dict keys) stay apart.
        key: object = value if type(value) is str else (type(value), value)
        try:
            result = cache.get(key, missing)
        except TypeError:  # unhashable cell (a list or dict): parse it, do not cache it
            append(normalizer(value, **options))
            continue
        if result is missing:  # a result may itself be None (a key function's "no key")
            result = normalizer(value, **options)
            cache[key] = result
        append(result)
    return out


def _normalize_spread(
    normalizer: Callable[..., R], column: list[Any], options: dict[str, Any]
) -> list[R]:
    """:func:`_normalize_list` with the distinct values parsed over worker processes (see
    :mod:`crmclean._workers`); the same results, the same object for repeated values."""
    index: dict[object, int] = {}
    distinct: list[Any] = []
    codes: list[int] = []
    append = codes.append
    for value in column:
        key: object = value if type(value) is str else (type(value), value)
        try:
            code = index.get(key)
        except TypeError:  # unhashable cell: parsed on its own below, not cached
            append(-1)
            continue
        if code is None:
            code = index[key] = len(distinct)
            distinct.append(value)
        append(code)
    parsed = _workers.map_distinct(normalizer, distinct, **options)
    return [parsed[code] if code >= 0 else normalizer(column[i], **options)
            for i, code in enumerate(codes)]  # fmt: skip


def column_table(columns: dict[str, list[Any]], like: object) -> Any:
    """Columns computed from one input column, as the table that suits that column: a pandas
    Series gives a pandas DataFrame (with the Series' index), a polars Series a polars
    DataFrame, a pyarrow Array or ChunkedArray a pyarrow Table (tuples become lists there);
    any other column gives the dict of lists itself.

    Example:
        >>> column_table({"ok": [True, False]}, [1, 2])
        {'ok': [True, False]}
    """
    module = type(like).__module__.split(".")[0]
    name = type(like).__name__
    if module == "pandas" and name == "Series":
        import pandas as pd

        return pd.DataFrame(columns, index=like.index)  # type: ignore[attr-defined]
    if (module == "polars" and name == "Series") or (
        module == "pyarrow" and name.endswith("Array")
    ):
        listed = {
            key: [list(v) if isinstance(v, tuple) else v for v in column]
            for key, column in columns.items()
        }
        if module == "polars":
            import polars as pl

            return pl.DataFrame(listed, strict=False)
        import pyarrow as pa

        return pa.table(listed)
    return columns
