"""Build hook: compile the normalizers with Cython when a wheel (or an editable install) is built.

The modules stay plain Python: Cython compiles the same ``.py`` files into extension modules
that sit beside them and load first. Results are identical; names, titles, companies and
addresses parse 25-50% faster (see docs/benchmarks.md). Nothing here is needed to use crmclean: when Cython or a C compiler is
missing, or ``CRMCLEAN_PURE_PYTHON=1`` is set, the build installs the pure-Python package.

The hook writes ``src/crmclean/normalize/_compiled.json``, the SHA-256 of each source it
compiled. At import, crmclean loads the source instead of a compiled module whose source has
changed since (an edited checkout), so the code that runs is always the code on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGE = Path("src", "crmclean", "normalize")
MODULES = ("_base", "_batch", "text", "names", "titles", "companies", "emails", "phones",
           "_phonefast", "addresses", "dates")  # fmt: skip
MANIFEST = "_compiled.json"
# Semantics must be Python's own: annotations are not C types ("x: bool" accepts any object
# and the code checks it), and doctests come from the docstrings, not a generated __test__.
DIRECTIVES = {"language_level": 3, "annotation_typing": False, "autotestdict": False}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _suffix() -> str:
    import importlib.machinery

    return importlib.machinery.EXTENSION_SUFFIXES[0]


def _pure_requested() -> bool:
    return os.environ.get("CRMCLEAN_PURE_PYTHON", "").strip() not in ("", "0")


class CompileHook(BuildHookInterface):
    """Compiles :data:`MODULES` in place and adds them to the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        package = Path(self.root, PACKAGE)
        if _pure_requested():
            self._remove_compiled(package)
            self.app.display_info("crmclean: CRMCLEAN_PURE_PYTHON is set; pure-Python build")
            return
        try:
            built = self._compile(package)
        except Exception as exc:  # no Cython, no compiler, an unsupported Python: stay pure
            self._remove_compiled(package)
            reason = f"{type(exc).__name__}: {exc}"
            self.app.display_warning(
                f"crmclean: the compiled normalizers could not be built ({reason[:300]}); "
                "installing the pure-Python package, which gives the same results more slowly"
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["artifacts"].extend(
            str(path.relative_to(self.root).as_posix()) for path in built
        )

    def _remove_compiled(self, package: Path) -> None:
        for name in MODULES:
            package.joinpath(name + _suffix()).unlink(missing_ok=True)
        package.joinpath(MANIFEST).unlink(missing_ok=True)

    def _compile(self, package: Path) -> list[Path]:
        manifest_path = package / MANIFEST
        wanted = {name: _digest(package / f"{name}.py") for name in MODULES}
        outputs = [package / (name + _suffix()) for name in MODULES]
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        if manifest.get("modules") == wanted and all(path.exists() for path in outputs):
            self.app.display_info("crmclean: compiled normalizers are up to date")
            return [*outputs, manifest_path]

        import Cython
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension

        self.app.display_info(f"crmclean: compiling {len(MODULES)} modules with Cython")
        manifest_path.unlink(missing_ok=True)  # no manifest while the outputs are half-built
        work = Path(self.root, "build", "crmclean-compile")
        extensions = [
            Extension(
                f"crmclean.normalize.{name}",
                [str(PACKAGE / f"{name}.py")],
                extra_compile_args=["-g0"] if sys.platform != "win32" else [],
            )
            for name in MODULES
        ]
        old_cwd = Path.cwd()
        os.chdir(self.root)
        try:
            modules = cythonize(
                extensions,
                compiler_directives=DIRECTIVES,
                build_dir=str(work / "c"),
                nthreads=os.cpu_count() or 1,
                quiet=True,
                force=True,
            )
            dist = Distribution({"ext_modules": modules, "package_dir": {"": "src"}})
            command = dist.get_command_obj("build_ext")
            command.inplace = True
            command.build_temp = str(work / "temp")
            command.build_lib = str(work / "lib")
            command.parallel = os.cpu_count() or 1
            dist.run_command("build_ext")
        finally:
            os.chdir(old_cwd)
            shutil.rmtree(work, ignore_errors=True)
        manifest = {"cython": Cython.__version__, "modules": wanted}
        manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        return [*outputs, manifest_path]
