"""Encoded keys: key columns as integer codes, so that the matching stages work on numpy arrays.

Each distinct key is stored once (``vocab``) and every record holds a small integer (``codes``;
``-1`` is null), so that blocking compares integers and comparison sends each distinct pair of
strings to the string-similarity code at most once. Derived columns (``"family[:3]"``,
``"email.domain"``) are computed on the distinct keys only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from crmclean.errors import ColumnError, ConfigError
from crmclean.normalize._base import is_null
from crmclean.normalize._batch import as_list

__all__ = [
    "EncodedColumn",
    "EncodedKeys",
    "base_key_column",
    "encode_keys",
    "id_order",
]

IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int32]

class EncodedColumn:
    """One key column as integer codes: ``codes[i]`` indexes ``vocab``; ``-1`` is null.

    Example:
        >>> col = EncodedColumn.from_values(["ann", None, "bob", "ann"])
        >>> col.codes.tolist(), col.vocab.tolist()
        ([0, -1, 1, 0], ['ann', 'bob'])
    """

    __slots__ = ("_rank", "codes", "vocab")

    def __init__(self, codes: CodeArray, vocab: npt.NDArray[np.object_]) -> None:
        self.codes = codes
        self.vocab = vocab
        self._rank: IntArray | None = None

    @classmethod
    def from_values(
        cls, values: Iterable[object], table: dict[str, int] | None = None
    ) -> EncodedColumn:
        """Encode a column of keys (``str`` or null); ``table`` shares a vocabulary.

        Example:
            >>> col = EncodedColumn.from_values(["b", None, "a", "b"])
            >>> col.codes.tolist(), col.vocab.tolist()
            ([0, -1, 1, 0], ['b', 'a'])
        """
        table = {} if table is None else table
        setdefault = table.setdefault
        codes = [
            setdefault(v, len(table)) if isinstance(v, str) and v else -1 for v in values
        ]
        vocab = np.empty(len(table), dtype=object)
        vocab[:] = list(table)
        return cls(np.asarray(codes, dtype=np.int32).reshape(-1), vocab)

    def map_vocab(self, fn: Callable[[str], str | None]) -> EncodedColumn:
        """A derived column: ``fn`` applied to each distinct key (``None`` → null).

        Example:
            >>> col = EncodedColumn.from_values(["anna", "bob", None])
            >>> col.map_vocab(lambda k: k[0]).vocab.tolist()
            ['a', 'b']
        """
        table: dict[str, int] = {}
        mapping = np.full(len(self.vocab) + 1, -1, dtype=np.int32)
        for i, key in enumerate(self.vocab):
            derived = fn(key)
            if derived:
                mapping[i] = table.setdefault(derived, len(table))
        vocab = np.empty(len(table), dtype=object)
        vocab[:] = list(table)
        return EncodedColumn(mapping[self.codes], vocab)  # -1 indexes the trailing -1

    def values(self) -> list[str | None]:
        """Each record's key (``None`` for null), as a list.

        Example:
            >>> EncodedColumn.from_values(["b", None, "a", "b"]).values()
            ['b', None, 'a', 'b']
        """
        table = np.empty(len(self.vocab) + 1, dtype=object)
        table[: len(self.vocab)] = self.vocab
        table[-1] = None
        out: list[str | None] = table[self.codes.astype(np.int64)].tolist()
        return out

    def rank(self) -> IntArray:
        """Each record's key rank in sorted key order (nulls last), for sorting records.

        Example:
            >>> EncodedColumn.from_values(["b", None, "a"]).rank().tolist()
            [1, 2, 0]
        """
        if self._rank is None:
            order = np.argsort(self.vocab.astype(str), kind="stable") if len(self.vocab) else (
                np.zeros(0, dtype=np.int64)
            )
            vocab_rank = np.empty(len(self.vocab) + 1, dtype=np.int64)
            vocab_rank[order] = np.arange(len(self.vocab))
            vocab_rank[-1] = len(self.vocab)
            self._rank = vocab_rank[self.codes]
        return self._rank

    def __len__(self) -> int:
        return len(self.codes)


_DERIVED: Final = re.compile(r"^([a-z_0-9]+?)(?:\[(-?\d*):(-?\d*)\]|\.(local|domain))?$")


class EncodedKeys:
    """A batch of key columns encoded as integer codes, with derived columns made on demand.

    Column names may carry a slice or a part: ``"family[:3]"`` (first three characters),
    ``"phone[-7:]"`` (last seven), ``"email.local"``, ``"email.domain"``. Derived columns are
    computed on the distinct keys only and cached. ``given`` and ``family`` share one
    vocabulary so that swapped first and last names can be compared.

    Example:
        >>> keys = encode_keys({"family": ["smith", "smyth", None]})
        >>> keys.n, keys["family"].codes.tolist(), keys["family[:2]"].codes.tolist()
        (3, [0, 1, -1], [0, 0, -1])
    """

    def __init__(self, columns: dict[str, EncodedColumn], n: int) -> None:
        self.n = n
        self._columns = columns
        self._base = tuple(columns)

    @property
    def names(self) -> tuple[str, ...]:
        """The base column names."""
        return self._base

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        match = _DERIVED.match(name)
        return match is not None and match.group(1) in self._base

    def __getitem__(self, name: str) -> EncodedColumn:
        column = self._columns.get(name)
        if column is not None:
            return column
        match = _DERIVED.match(name)
        if match is None or match.group(1) not in self._base:
            raise ColumnError(f"no key column {name!r}; key columns are: {', '.join(self.names)}")
        base = self._columns[match.group(1)]
        if match.group(4) is not None:
            part = 0 if match.group(4) == "local" else 1
            derived = base.map_vocab(lambda k: k.partition("@")[::2][part] or None)
        elif match.group(2) is not None or match.group(3) is not None:
            start = int(match.group(2)) if match.group(2) else None
            stop = int(match.group(3)) if match.group(3) else None
            derived = base.map_vocab(lambda k: k[start:stop] or None)
        else:  # pragma: no cover - the regex always has a part or a slice here
            raise ConfigError(f"bad key column name {name!r}")
        self._columns[name] = derived
        return derived

    def non_null(self, name: str) -> int:
        """How many records have a key in that column.

        Example:
            >>> encode_keys({"email": ["a@x.org", None]}).non_null("email")
            1
        """
        return int(np.count_nonzero(self[name].codes >= 0))

    def take(self, index: npt.NDArray[np.int64]) -> EncodedKeys:
        """The records at ``index`` (a permutation or a subset), base columns only.

        Example:
            >>> import numpy as np
            >>> keys = encode_keys({"email": ["a@x.org", None, "b@x.org"]})
            >>> keys.take(np.array([2, 0])).non_null("email")
            2
        """
        columns = {
            name: EncodedColumn(self._columns[name].codes[index], self._columns[name].vocab)
            for name in self._base
        }
        return EncodedKeys(columns, len(index))


_SHARED_VOCAB: Final = (("given", "family"),)


def encode_keys(keys: Mapping[str, Sequence[object]]) -> EncodedKeys:
    """Encode a batch of key columns (from :func:`prepare_columns`) as integer codes.

    Raises:
        TypeError: the columns differ in length.

    Example:
        >>> keys = encode_keys({"given": ["ann", "smith"], "family": ["smith", None]})
        >>> keys["given"].codes.tolist(), keys["family"].codes.tolist()
        ([0, 1], [1, -1])
    """
    lists = {name: as_list(values) for name, values in keys.items()}
    lengths = {len(v) for v in lists.values()}
    if len(lengths) > 1:
        raise TypeError("the key columns have different lengths")
    n = lengths.pop() if lengths else 0
    tables: dict[str, dict[str, int]] = {}
    for group in _SHARED_VOCAB:
        shared: dict[str, int] = {}
        for name in group:
            tables[name] = shared
    columns = {
        name: EncodedColumn.from_values(values, tables.get(name)) for name, values in lists.items()
    }
    # a shared vocabulary grows while its columns are encoded: give each the full one
    for group in _SHARED_VOCAB:
        present = [name for name in group if name in columns]
        if present:
            full = np.empty(len(tables[present[0]]), dtype=object)
            full[:] = list(tables[present[0]])
            for name in present:
                columns[name].vocab = full
    return EncodedKeys(columns, n)


def base_key_column(name: str) -> str:
    """The base key column of a key column name that may carry a slice or a part.

    Example:
        >>> base_key_column("family[:3]"), base_key_column("email.local"), base_key_column("dob")
        ('family', 'email', 'dob')
    """
    for sep in ("[", "."):
        name = name.split(sep, 1)[0]
    return name


def id_order(ids: Sequence[object], what: str) -> IntArray:
    """Positions of record ids in sorted id order (the order every matching stage works in, so
    that the same records give the same result whatever the row order).

    Raises:
        ConfigError: an id is empty, or two are equal (``what`` names the ids in the message).

    Example:
        >>> id_order(["b", "a", "c"], "ids").tolist()
        [1, 0, 2]
    """
    if any(is_null(v) or v == "" for v in ids):
        raise ConfigError(f"{what} has empty ids; every record needs an id")
    try:
        if all(type(v) is int for v in ids) or all(type(v) is str for v in ids):
            array = np.asarray(ids) if ids else np.zeros(0, np.int64)
            order = np.argsort(array, kind="stable")
            sorted_ids = array[order]
            duplicated = bool(np.any(sorted_ids[1:] == sorted_ids[:-1])) if len(ids) > 1 else False
        else:
            raise TypeError
    except (TypeError, ValueError, OverflowError):
        keyed = sorted(range(len(ids)),
                       key=lambda i: (type(ids[i]).__name__, str(ids[i])))
        order = np.asarray(keyed, dtype=np.int64)
        duplicated = len(set(map(_hashable, ids))) != len(ids)
    if duplicated:
        raise ConfigError(f"{what} has duplicate ids; ids must be unique")
    return order.astype(np.int64)


def _hashable(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
