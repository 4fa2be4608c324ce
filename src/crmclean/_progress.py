"""Progress of the long stages: one small reporter that every stage calls.

A stage (standardize, prepare, block, compare, fit, score, cluster, merge, audit) opens a named
step on a :class:`Progress`, with a total count when it knows one (fields, phases), advances
it, and closes it. The base class ignores every report, which is the default: a run prints
nothing unless asked. :class:`TqdmProgress` draws one tqdm bar per step on stderr (a widget in
a notebook) with counts, rate and time left. Steps advance per field or per phase, never per
record pair, so reporting costs nothing measurable and never changes a result. Another engine
(a distributed backend, a service) passes its own subclass wherever ``progress=`` is taken.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO, TypeVar

__all__ = ["Progress", "TqdmProgress", "progress_of"]

T = TypeVar("T")


class Progress:
    """Receives the progress reports of a run; this base class ignores them all.

    Subclass it and override :meth:`start`, :meth:`advance`, :meth:`describe` and
    :meth:`finish` to show or forward progress; stages call only these (directly or through
    :meth:`step` and :meth:`each`).

    Example:
        >>> quiet = Progress()
        >>> with quiet.step("prepare", total=2, unit="fields"):
        ...     quiet.advance(2)
        >>> list(quiet.each("compare", ["email", "phone"], unit="fields"))
        ['email', 'phone']
    """

    def start(self, name: str, total: int | None = None, unit: str = "") -> None:
        """A step begins; ``total`` counts its units when known.

        Example:
            >>> Progress().start("block")
        """

    def advance(self, n: int = 1) -> None:
        """``n`` more units of the current step are done.

        Example:
            >>> Progress().advance(3)
        """

    def describe(self, text: str) -> None:
        """What the current step works on now (a field's name), shown beside its count.

        Example:
            >>> Progress().describe("email")
        """

    def finish(self) -> None:
        """The current step is over.

        Example:
            >>> Progress().finish()
        """

    @contextmanager
    def step(self, name: str, total: int | None = None, unit: str = "") -> Iterator[Progress]:
        """A step from start to finish, finished even when the work in it fails.

        Example:
            >>> with Progress().step("score") as p:
            ...     p.advance()
        """
        self.start(name, total, unit)
        try:
            yield self
        finally:
            self.finish()

    def each(self, name: str, items: Sequence[T], unit: str = "") -> Iterator[T]:
        """The items of a sequence, one step whose count advances after each item's work.

        Example:
            >>> [x * 2 for x in Progress().each("double", [1, 2])]
            [2, 4]
        """
        with self.step(name, len(items), unit):
            for item in items:
                yield item
                self.advance()


_COUNTED = (
    "{desc}: {percentage:3.0f}%|{bar:10}| {n_fmt}/{total_fmt} {unit} "
    "[{elapsed}<{remaining}{postfix}]"
)
_RUNNING = "{desc} ..."
_DONE = "{desc}: {elapsed}"


class TqdmProgress(Progress):
    """One tqdm bar per step on stderr: counts, percentage, elapsed time and time left.

    Args:
        prefix: put before every step's name (the command line puts its step there).
        leave: keep each finished bar on screen (the command line clears them).
        file: where bars are written (default: ``sys.stderr`` at the time of writing).
        notebook: draw a widget in a Jupyter notebook (``tqdm.auto``) instead of text.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> bars = TqdmProgress(file=out, notebook=False)
        >>> for _ in bars.each("standardize", ["email", "phone"], unit="fields"):
        ...     pass
        >>> "standardize: 100%" in out.getvalue() and "2/2 fields" in out.getvalue()
        True
    """

    def __init__(
        self,
        *,
        prefix: str = "",
        leave: bool = True,
        file: TextIO | None = None,
        notebook: bool = True,
    ) -> None:
        self.prefix = prefix
        self.leave = leave
        self.file = file
        self.notebook = notebook
        self._bars: list[Any] = []

    def start(self, name: str, total: int | None = None, unit: str = "") -> None:
        """Open a bar for the step (a counted bar when ``total`` is known).

        Example:
            >>> import io
            >>> bars = TqdmProgress(file=io.StringIO(), notebook=False)
            >>> bars.start("block"); bars.finish()
        """
        if self.notebook:
            from tqdm.auto import tqdm
        else:
            from tqdm.std import tqdm
        counted = total is not None
        file = self.file if self.file is not None else sys.stderr
        width = _unknown_width(file)
        bar = tqdm(
            total=total,
            desc=f"{self.prefix}{name}",
            unit=unit or "it",
            file=file,
            leave=self.leave,
            ncols=width,
            nrows=None if width is None else 24,
            dynamic_ncols=width is None,
            mininterval=0.2,
            bar_format=_COUNTED if counted else _RUNNING,
            disable=False,
        )
        self._bars.append(bar)

    def advance(self, n: int = 1) -> None:
        """Move the open bar on by ``n``.

        Example:
            >>> import io
            >>> bars = TqdmProgress(file=io.StringIO(), notebook=False)
            >>> with bars.step("fit", total=3):
            ...     bars.advance(3)
        """
        if self._bars:
            self._bars[-1].update(n)

    def describe(self, text: str) -> None:
        """Show ``text`` at the end of the open bar.

        Example:
            >>> import io
            >>> out = io.StringIO()
            >>> bars = TqdmProgress(file=out, notebook=False)
            >>> with bars.step("prepare", total=2, unit="fields"):
            ...     bars.describe("email")
            >>> "0/2 fields [00:00<?, email]" in out.getvalue()
            True
        """
        if self._bars:
            self._bars[-1].set_postfix_str(text, refresh=True)

    def finish(self) -> None:
        """Close the open bar; an uncounted step shows how long it took.

        Example:
            >>> import io
            >>> bars = TqdmProgress(file=io.StringIO(), notebook=False)
            >>> bars.start("cluster"); bars.finish()
        """
        if not self._bars:
            return
        bar = self._bars.pop()
        if bar.total is None:
            bar.bar_format = _DONE
            bar.refresh()
        bar.close()


def _unknown_width(file: TextIO) -> int | None:
    """80 columns (and 24 rows) for a terminal that reports a size of 0, where tqdm would draw
    nothing; ``None`` (tqdm follows the terminal) otherwise."""
    try:
        return 80 if os.get_terminal_size(file.fileno()).columns == 0 else None
    except (OSError, ValueError, AttributeError):
        return None


def progress_of(progress: bool | Progress | None) -> Progress:
    """The reporter a stage uses for its ``progress`` option: silent for ``False``/``None``,
    tqdm bars on stderr for ``True``, or the caller's own :class:`Progress`.

    Raises:
        TypeError: ``progress`` is neither a bool nor a :class:`Progress`.

    Example:
        >>> type(progress_of(False)).__name__, type(progress_of(True)).__name__
        ('Progress', 'TqdmProgress')
    """
    if isinstance(progress, Progress):
        return progress
    if progress is None or progress is False:
        return Progress()
    if progress is True:
        return TqdmProgress()
    raise TypeError("option 'progress' must be a bool or a crmclean Progress")
