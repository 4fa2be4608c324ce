"""Saving and loading a match index: a directory of JSON and NumPy files, checked when loaded.

The directory holds ``manifest.json`` (format name and version, row count, id column and kind,
key columns and their vocabulary files, the roles, region and date reading the table was
prepared with, and the SHA-256 sum of every other file), ``settings.json``, the ids
(``ids.npy`` for int ids, ``ids.json`` for string ids), the clusters (``clusters.npy``: per
record, the position of the record naming its cluster) and, per key column, its codes
(``codes.<column>.npy``) and distinct keys (``vocab.<column>.json``; given and family names
share one file), and, when a person decided pairs of its records, ``decisions.json`` (the
columns of :meth:`crmclean.Decisions.to_table`). Nothing is pickled, and the manifest is
written last, so a directory without one holds no complete index.

Loading checks everything before anything is used: the manifest's entries, that exactly the
listed files are present and unaltered, that no array needs pickle, and that the parts fit
together. A failure raises :class:`crmclean.errors.IndexFileError` naming the file and the
problem, never a field value.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crmclean.decisions import DECISION_COLUMNS, Decisions
from crmclean.encode import EncodedColumn, EncodedKeys, id_order
from crmclean.errors import ColumnError, ConfigError, IndexFileError
from crmclean.settings import MatchSettings, check_settings_keys

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "IndexParts", "load_index", "save_index"]

IntArray = npt.NDArray[np.int64]
ObjectArray = npt.NDArray[np.object_]

FORMAT_NAME: Final = "crmclean.MatchIndex"
FORMAT_VERSION: Final = 1
_MANIFEST: Final = "manifest.json"
_DECISIONS: Final = "decisions.json"
_SHARED_VOCAB: Final = ("given", "family")  # encode_keys gives these one vocabulary
_COLUMN_NAME: Final = re.compile(r"^[a-z_0-9]{1,40}$")


@attrs.frozen(eq=False)
class IndexParts:
    """What a saved match index holds (the arguments of
    :class:`crmclean.index.MatchIndex`).

    Attributes:
        keys: the records' encoded key columns, in index order.
        ids: the record ids, in index order.
        labels: per record, the position of the record naming its cluster.
        settings: the fitted model.
        id_column: the name of the id column.
        columns: role → column name the table was read with.
        region: the default phone region.
        dayfirst: how ``01/02/1990`` was read.
        decisions: the pairs a person decided, with the records' ids (``None``: none).

    Example:
        >>> from crmclean.encode import encode_keys
        >>> from crmclean.pipeline import default_settings
        >>> parts = IndexParts(keys=encode_keys({"email": ["a@x.org"]}), ids=[7],
        ...                    labels=np.zeros(1, np.int64),
        ...                    settings=default_settings(["email"]), id_column="id",
        ...                    columns={}, region=None, dayfirst=True)
        >>> parts.ids
        [7]
    """

    keys: EncodedKeys
    ids: list[object]
    labels: IntArray
    settings: MatchSettings
    id_column: str
    columns: dict[str, str]
    region: str | None
    dayfirst: bool
    decisions: Decisions | None = None


# --- save ----------------------------------------------------------------------------------


def save_index(
    parts: IndexParts, directory: str | os.PathLike[str], *, overwrite: bool = False
) -> None:
    """Save an index's parts to a new or empty directory (see the module's description).

    Args:
        parts: what to save.
        directory: a new or empty directory.
        overwrite: replace an index saved there before (only its own files are removed).

    Raises:
        ConfigError: the path is a file, the directory holds other files, or the ids are
            neither all ints (fitting in 64 bits) nor all strings.

    Example:
        >>> import tempfile
        >>> import crmclean
        >>> crm = [{"id": 1, "email": "a@x.org"}, {"id": 2, "email": "a@x.org"}]
        >>> settings = crmclean.dedupe(crm, id_column="id").settings
        >>> index = crmclean.MatchIndex.build(crm, "id", settings=settings)
        >>> with tempfile.TemporaryDirectory() as directory:
        ...     index.save(directory)  # save_index(index's parts, directory)
        ...     load_index(directory).ids
        [1, 2]
    """
    root = Path(directory)
    _prepare_directory(root, overwrite)
    id_file, id_kind = _write_ids(root, parts.ids)
    np.save(root / "clusters.npy", parts.labels.astype(np.int64), allow_pickle=False)
    (root / "settings.json").write_text(parts.settings.to_json(), encoding="utf-8")
    files = [id_file, "clusters.npy", "settings.json"]
    if parts.decisions is not None and len(parts.decisions):
        _write_json(root / _DECISIONS, parts.decisions.to_table())
        files.append(_DECISIONS)
    vocab_files = _write_keys(root, parts.keys, files)
    manifest = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "rows": parts.keys.n,
        "id_column": parts.id_column,
        "id_kind": id_kind,
        "columns": list(parts.keys.names),
        "vocab": vocab_files,
        "roles": parts.columns,
        "region": parts.region,
        "dayfirst": parts.dayfirst,
        "files": {name: _sha256(root / name) for name in sorted(files)},
    }
    temporary = root / (_MANIFEST + ".tmp")
    _write_json(temporary, manifest)
    os.replace(temporary, root / _MANIFEST)


def _prepare_directory(root: Path, overwrite: bool) -> None:
    if root.exists() and not root.is_dir():
        raise ConfigError("the path to save the index to is a file, not a directory")
    if root.exists() and any(root.iterdir()):
        if not overwrite:
            raise ConfigError(
                "the directory is not empty; save to a new directory or pass overwrite=True"
            )
        _remove_saved(root)
    root.mkdir(parents=True, exist_ok=True)


def _write_ids(root: Path, ids: list[object]) -> tuple[str, str]:
    """Write the ids; their file and kind."""
    if all(type(v) is int for v in ids):
        try:
            id_array = np.asarray(ids, dtype=np.int64)
        except OverflowError:
            raise ConfigError("integer ids must fit in 64 bits to be saved") from None
        np.save(root / "ids.npy", id_array, allow_pickle=False)
        return "ids.npy", "int"
    if all(type(v) is str for v in ids):
        _write_json(root / "ids.json", ids)
        return "ids.json", "str"
    raise ConfigError("only an index whose ids are all ints or all strings can be saved")


def _write_keys(root: Path, keys: EncodedKeys, files: list[str]) -> dict[str, str]:
    """Write each key column's codes and vocabulary (a shared one once), add the files to
    ``files``; column → its vocabulary file."""
    vocab_files: dict[str, str] = {}
    written: dict[int, str] = {}
    for name in keys.names:
        column = keys[name]
        np.save(root / f"codes.{name}.npy", column.codes.astype(np.int32), allow_pickle=False)
        files.append(f"codes.{name}.npy")
        shared = written.get(id(column.vocab))
        if shared is None:
            shared = f"vocab.{name}.json"
            _write_json(root / shared, column.vocab.tolist())
            files.append(shared)
            written[id(column.vocab)] = shared
        vocab_files[name] = shared
    return vocab_files


def _remove_saved(root: Path) -> None:
    """Remove an index saved earlier (only the files its manifest lists)."""
    try:
        manifest = json.loads((root / _MANIFEST).read_text(encoding="utf-8"))
        files = list(manifest["files"]) if manifest.get("format") == FORMAT_NAME else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        files = None
    if files is None or not all(isinstance(f, str) and "/" not in f for f in files):
        raise ConfigError("the directory holds files that are not a saved match index")
    for name in [*files, _MANIFEST]:
        (root / name).unlink(missing_ok=True)
    if any(root.iterdir()):
        raise ConfigError("the directory holds files that are not part of the saved index")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=True, allow_nan=False), encoding="utf-8")


# --- load ----------------------------------------------------------------------------------


@attrs.frozen
class _Manifest:
    """The checked entries of ``manifest.json``."""

    rows: int
    id_column: str
    id_kind: str
    names: list[str]
    vocab_files: dict[str, str]
    roles: dict[str, str]
    region: str | None
    dayfirst: bool
    files: dict[str, str]

    @property
    def id_file(self) -> str:
        return "ids.npy" if self.id_kind == "int" else "ids.json"


def load_index(directory: str | os.PathLike[str]) -> IndexParts:
    """The parts of an index saved by :func:`save_index`, every file checked first.

    Raises:
        IndexFileError: the manifest is missing or of another format version, a file is
            missing, extra, altered (SHA-256) or of the wrong kind (an ``.npy`` file that
            would need pickle), or the parts do not fit together.

    Example:
        >>> try:
        ...     load_index("/nonexistent/index")
        ... except IndexFileError as error:
        ...     print(error)
        cannot load the match index: no manifest.json in the directory
    """
    root = Path(directory)
    manifest = _read_manifest(root)
    _check_files(root, manifest)
    try:
        settings = MatchSettings.from_json((root / "settings.json").read_bytes())
    except ConfigError:
        raise _fail("settings.json holds invalid settings") from None
    if not settings.fitted:
        raise _fail("settings.json holds no fitted model")
    ids = _read_ids(root, manifest)
    labels = _load_array(root / "clusters.npy", np.int64, manifest.rows, "clusters.npy")
    if manifest.rows and (
        labels.min() < 0 or labels.max() >= manifest.rows
        or not np.array_equal(labels[labels], labels)
    ):  # fmt: skip
        raise _fail("clusters.npy does not describe clusters of the records")
    keys = _read_keys(root, manifest)
    try:
        check_settings_keys(settings, keys.names)
    except ColumnError:
        raise _fail("the settings use key columns the index does not hold") from None
    decisions = _read_decisions(root, ids, labels) if _DECISIONS in manifest.files else None
    return IndexParts(
        keys=keys, ids=ids, labels=labels, settings=settings, id_column=manifest.id_column,
        columns=manifest.roles, region=manifest.region, dayfirst=manifest.dayfirst,
        decisions=decisions,
    )  # fmt: skip


def _read_decisions(root: Path, ids: list[object], labels: IntArray) -> Decisions:
    """The stored decisions: the columns of ``Decisions.to_table``, naming indexed records
    only, and agreeing with the clusters."""
    data = _load_json(root / _DECISIONS, _DECISIONS)
    if not isinstance(data, dict) or sorted(data) != sorted(DECISION_COLUMNS):
        raise _fail(f"{_DECISIONS} does not hold the decision columns")
    try:
        decisions = Decisions.from_table(data)
        a, b = decisions.positions(ids)
    except (ConfigError, ColumnError, TypeError):
        raise _fail(f"{_DECISIONS} holds invalid decisions") from None
    if len(decisions) != len(data["decision"]) or (a < 0).any() or (b < 0).any():
        raise _fail(f"{_DECISIONS} names records that are not in the index")
    same = np.array([d == "match" for d in data["decision"]], dtype=bool)
    if (same != (labels[a] == labels[b])).any():
        raise _fail(f"{_DECISIONS} does not agree with the clusters")
    return decisions


def _read_manifest(root: Path) -> _Manifest:
    if not (root / _MANIFEST).is_file():
        raise _fail("no manifest.json in the directory")
    data = _load_json(root / _MANIFEST, "manifest.json")
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise _fail("manifest.json does not describe a match index")
    if data.get("version") != FORMAT_VERSION:
        raise _fail("unsupported format version (this crmclean reads version 1)")
    try:
        manifest = _Manifest(
            rows=data["rows"], id_column=data["id_column"], id_kind=data["id_kind"],
            names=data["columns"], vocab_files=data["vocab"], roles=data["roles"],
            region=data["region"], dayfirst=data["dayfirst"], files=data["files"],
        )  # fmt: skip
    except KeyError:
        raise _fail("manifest.json lacks an entry") from None
    if not _valid_manifest(manifest):
        raise _fail("manifest.json has an invalid entry")
    return manifest


def _valid_manifest(m: _Manifest) -> bool:
    rows, names, vocab_files, roles, files = m.rows, m.names, m.vocab_files, m.roles, m.files
    return not (
        not isinstance(rows, int) or isinstance(rows, bool) or rows < 0
        or not isinstance(m.id_column, str) or m.id_kind not in ("int", "str")
        or not isinstance(names, list) or not all(isinstance(c, str) and _COLUMN_NAME.match(c)
                                                  for c in names)
        or len(set(names)) != len(names)
        or not isinstance(vocab_files, dict) or sorted(vocab_files) != sorted(names)
        or not isinstance(roles, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in roles.items())
        or not (m.region is None or isinstance(m.region, str))
        or not isinstance(m.dayfirst, bool)
        or not isinstance(files, dict)
        or not all(isinstance(v, str) for v in files.values())
    )  # fmt: skip


def _check_files(root: Path, manifest: _Manifest) -> None:
    """Exactly the index's files are present, regular, and as the manifest's sums say."""
    names, vocab_files = manifest.names, manifest.vocab_files
    expected = {manifest.id_file, "clusters.npy", "settings.json"}
    if _DECISIONS in manifest.files:  # only an index with decisions has the file
        expected.add(_DECISIONS)
    expected |= {f"codes.{name}.npy" for name in names}
    expected |= {f"vocab.{name}.json" for name in names
                 if vocab_files[name] == f"vocab.{name}.json"}  # fmt: skip
    if set(vocab_files.values()) - expected:
        raise _fail("manifest.json names a vocabulary file that is not part of the index")
    if set(manifest.files) != expected:
        raise _fail("manifest.json does not list the files of the index")
    present = {entry.name for entry in os.scandir(root)} - {_MANIFEST}
    if present - expected:
        raise _fail(f"unexpected file(s) in the directory: {', '.join(sorted(present - expected))}")
    if expected - present:
        raise _fail(f"missing file(s): {', '.join(sorted(expected - present))}")
    for name in sorted(expected):
        path = root / name
        if not path.is_file() or path.is_symlink():
            raise _fail(f"{name} is not a regular file")
        if _sha256(path) != manifest.files[name]:
            raise _fail(f"{name} was altered (its SHA-256 sum differs from the manifest's)")


def _read_ids(root: Path, manifest: _Manifest) -> list[object]:
    id_file, rows = manifest.id_file, manifest.rows
    if manifest.id_kind == "int":
        ids: list[object] = _load_array(root / id_file, np.int64, rows, id_file).tolist()
    else:
        loaded = _load_json(root / id_file, id_file)
        if not isinstance(loaded, list) or len(loaded) != rows or not all(
            isinstance(v, str) for v in loaded
        ):
            raise _fail(f"{id_file} has the wrong type or length")
        ids = loaded
    try:
        id_order(ids, "the saved ids")
    except ConfigError:
        raise _fail("the saved ids are empty or not unique") from None
    return ids


def _read_keys(root: Path, manifest: _Manifest) -> EncodedKeys:
    rows = manifest.rows
    vocabs: dict[str, ObjectArray] = {}
    columns: dict[str, EncodedColumn] = {}
    for name in manifest.names:
        file = manifest.vocab_files[name]
        if file not in vocabs:
            vocabs[file] = _read_vocab(root, file)
        vocab = vocabs[file]
        codes = _load_array(root / f"codes.{name}.npy", np.int32, rows, f"codes.{name}.npy")
        if rows and (codes.min() < -1 or codes.max() >= len(vocab)):
            raise _fail(f"codes.{name}.npy does not fit its vocabulary")
        columns[name] = EncodedColumn(codes, vocab)
    shared = [name for name in _SHARED_VOCAB if name in columns]
    if len(shared) == 2 and columns[shared[0]].vocab is not columns[shared[1]].vocab:
        raise _fail("given and family names must share one vocabulary")
    return EncodedKeys(columns, rows)


def _read_vocab(root: Path, file: str) -> ObjectArray:
    values = _load_json(root / file, file)
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise _fail(f"{file} is not a list of keys")
    if len(set(values)) != len(values):
        raise _fail(f"{file} repeats a key")
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _fail(reason: str) -> IndexFileError:
    return IndexFileError(f"cannot load the match index: {reason}")


def _load_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise _fail(f"{what} is not valid JSON") from None


def _load_array(path: Path, dtype: type, rows: int, what: str) -> npt.NDArray[Any]:
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        raise _fail(f"{what} is not a NumPy array file (pickled data is refused)") from None
    if not isinstance(array, np.ndarray) or array.dtype != dtype or array.shape != (rows,):
        raise _fail(f"{what} has the wrong type or length")
    return array
