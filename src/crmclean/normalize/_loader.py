"""Which build of the normalizer modules is loaded: compiled or source.

An installed crmclean usually carries the normalizer modules twice: the ``.py`` sources and,
beside them, the same sources compiled with Cython (faster, identical results). Python loads a
compiled module before its source. This module loads the source instead

- of every compiled module, when the environment variable ``CRMCLEAN_PURE_PYTHON`` is set to
  anything but ``0`` (to debug or profile in plain Python);
- of a compiled module whose source has changed since it was compiled (an edited checkout):
  the build recorded each source's SHA-256 in ``_compiled.json``.

This module itself is never compiled.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Mapping, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

ENV_VAR = "CRMCLEAN_PURE_PYTHON"
MANIFEST = "_compiled.json"


def pure_python_requested(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether ``CRMCLEAN_PURE_PYTHON`` asks for the pure-Python modules.

    Example:
        >>> pure_python_requested({"CRMCLEAN_PURE_PYTHON": "1"})
        True
        >>> pure_python_requested({"CRMCLEAN_PURE_PYTHON": "0"}), pure_python_requested({})
        (False, False)
    """
    return environ.get(ENV_VAR, "").strip() not in ("", "0")


def sources_to_load(
    package_dir: Path, *, pure: bool, suffixes: Sequence[str] | None = None
) -> dict[str, Path]:
    """Module name → source file, for each compiled module that must load from its source.

    A module counts as compiled when an extension file for this Python sits beside its
    source. It must load from source when ``pure`` is set, when the build left no record of
    it, or when its source no longer has the digest recorded at build time. A module with no
    source file (a build that ships only compiled files) always loads compiled.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     sources_to_load(Path(folder), pure=True)
        {}
    """
    extension_suffixes = list(suffixes or importlib.machinery.EXTENSION_SUFFIXES)
    try:
        recorded = json.loads(package_dir.joinpath(MANIFEST).read_text(encoding="utf-8"))
        digests = dict(recorded.get("modules", {}))
    except (OSError, ValueError, TypeError, AttributeError):
        digests = {}
    out: dict[str, Path] = {}
    for source in sorted(package_dir.glob("*.py")):
        name = source.stem
        if not any(package_dir.joinpath(name + s).exists() for s in extension_suffixes):
            continue
        if pure or digests.get(name) != hashlib.sha256(source.read_bytes()).hexdigest():
            out[name] = source
    return out


class _SourceFinder:
    """Finds the listed modules of one package as source files (first on ``sys.meta_path``)."""

    def __init__(self, package: str, sources: Mapping[str, Path]) -> None:
        self.package = package
        self.sources = {f"{package}.{name}": path for name, path in sources.items()}

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        source = self.sources.get(fullname)
        if source is None:
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def install(package: str, package_dir: Path) -> tuple[str, ...]:
    """Make the package's compiled modules load from source where they must (see the module
    docstring); returns the names of the modules that will. Called once, by the package,
    before it imports its modules.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     install("nothing_here", Path(folder))
        ()
    """
    sources = sources_to_load(package_dir, pure=pure_python_requested())
    for finder in list(sys.meta_path):
        if isinstance(finder, _SourceFinder) and finder.package == package:
            sys.meta_path.remove(finder)
    if sources:
        sys.meta_path.insert(0, _SourceFinder(package, sources))
    return tuple(sorted(sources))


def compiled_modules(modules: Sequence[ModuleType]) -> tuple[str, ...]:
    """The names of those modules that were loaded from compiled extension files.

    Example:
        >>> compiled_modules([json])
        ()
    """
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return tuple(
        module.__name__
        for module in modules
        if str(getattr(module, "__file__", "") or "").endswith(suffixes)
    )
