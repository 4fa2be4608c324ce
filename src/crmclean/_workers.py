"""Normalization spread over worker processes.

The stages that normalize whole columns (:func:`crmclean.standardize`, :func:`crmclean.dedupe`,
:func:`crmclean.link`, :func:`crmclean.audit`, :meth:`crmclean.MatchIndex.build`) take
``workers``: how many processes may parse a column's distinct values. The stage opens a
:func:`using` scope; inside it every column batch (:func:`crmclean.normalize_many`,
:func:`map_distinct`) collects its distinct values, parses a first slice of them in this
process, and, when the rest is worth it, hands the rest out in chunks to a pool of
``workers - 1`` processes while this process parses chunks too. Each result is the same
normalizer applied to the same value, so the output is the same whatever ``workers`` is
(normalizers are pure functions).

Kept in this process: ``workers=1``; columns of few distinct values (the pool costs more than
it saves); normalizers whose per-value work is not much dearer than sending the value and its
result between processes (cheap key functions); normalizers that cannot be sent to another
process (lambdas, nested functions). When worker processes cannot be started, or one stops,
the work goes on in this process with a :class:`WorkerWarning`.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import math
import multiprocessing
import os
import pickle
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from crmclean.errors import ConfigError

__all__ = ["WorkerWarning", "check_workers", "map_distinct", "using"]

R = TypeVar("R")

#: Fewer distinct values than this are parsed in this process.
MIN_DISTINCT = 2000
#: Distinct values parsed in this process first, to weigh a value's parse against its transfer.
PROBE = 256
#: The rest goes to the pool only when parsing it here would take longer than this (seconds)...
MIN_SECONDS = 0.25
#: ... and a value's parse costs this many times more than pickling the value and its result.
MIN_RATIO = 4.0
#: Chunks per process: enough for this process to take over the chunks a busy worker has not
#: started, few enough that each chunk is worth its round trip.
CHUNKS_PER_PROCESS = 4
MIN_CHUNK = 200


class WorkerWarning(UserWarning):
    """Worker processes could not be used; the work went on in this process (same results).

    Example:
        >>> import crmclean
        >>> issubclass(crmclean.WorkerWarning, UserWarning)
        True
    """


def available_cores() -> int:
    """The number of cores this process may run on (at least 1).

    Example:
        >>> available_cores() >= 1
        True
    """
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        with contextlib.suppress(OSError):
            return max(1, len(affinity(0)))
    return max(1, os.cpu_count() or 1)


def check_workers(workers: object, option: str = "workers") -> int:
    """The number of processes asked for: ``None`` means every available core; else a
    positive int. ``option`` names the option in the error.

    Raises:
        ConfigError: ``workers`` is not ``None`` or an int of at least 1.

    Example:
        >>> check_workers(2)
        2
        >>> check_workers(None) >= 1
        True
        >>> check_workers(0, "--workers")
        Traceback (most recent call last):
        ...
        crmclean.errors.ConfigError: --workers must be a whole number of processes, 1 or more ...
    """
    if workers is None:
        return available_cores()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        shown = repr(workers) if isinstance(workers, (int, float)) else type(workers).__name__
        every = "leave it out" if option.startswith("--") else "None"
        raise ConfigError(
            f"{option} must be a whole number of processes, 1 or more ({every}: every core), "
            f"not {shown}"
        )
    return workers


class _Scope:
    """The processes one stage may use, and the pool once a column needed it."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.failed = False

    def executor(self) -> ProcessPoolExecutor | None:
        """The pool of ``workers - 1`` processes, started on first use; ``None`` when there
        is none to be had."""
        if self.pool is None and not self.failed:
            try:
                self.pool = ProcessPoolExecutor(
                    max_workers=self.workers - 1,
                    mp_context=multiprocessing.get_context(_start_method()),
                    initializer=_worker_started,
                )
            except (OSError, ValueError, ImportError, NotImplementedError) as exc:
                self.give_up(f"worker processes cannot be started here ({type(exc).__name__})")
        return self.pool

    def give_up(self, why: str) -> None:
        """Use no pool from now on, and say so once."""
        if not self.failed:
            warnings.warn(f"{why}; normalizing in one process instead (same results)",
                          WorkerWarning, stacklevel=4)  # fmt: skip
        self.failed = True
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


_CURRENT: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
    "crmclean_workers", default=None
)


def _start_method() -> str:
    # fork starts a worker in milliseconds with the normalizers' data already loaded; it is not
    # safe on macOS (system libraries), and Windows has only spawn.
    methods = multiprocessing.get_all_start_methods()
    return "fork" if "fork" in methods and sys.platform != "darwin" else "spawn"


def _worker_started() -> None:
    _CURRENT.set(None)  # inside a worker, everything runs in that one process


@contextlib.contextmanager
def using(workers: int | None) -> Iterator[None]:
    """Let the column batches run inside this block use up to ``workers`` processes (this one
    included; ``None``: every core); the pool, if one was started, stops at the end.

    A block inside a block with the same number of processes shares its pool.

    Example:
        >>> from crmclean.normalize import normalize_text
        >>> with using(2):
        ...     [r.text for r in map_distinct(normalize_text, [" a ", "b"])]
        ['a', 'b']
    """
    count = check_workers(workers)
    outer = _CURRENT.get()
    if outer is not None and outer.workers == count:
        yield
        return
    scope = _Scope(count)
    token = _CURRENT.set(scope)
    try:
        yield
    finally:
        _CURRENT.reset(token)
        scope.close()


def parallel() -> bool:
    """Whether column batches run now may use more than one process.

    Example:
        >>> parallel()
        False
    """
    scope = _CURRENT.get()
    return scope is not None and scope.workers > 1 and not scope.failed


def map_distinct(normalizer: Callable[..., R], values: Sequence[Any], /, **options: Any) -> list[R]:
    """``[normalizer(v, **options) for v in values]`` for values that are already distinct,
    spread over the processes of the enclosing :func:`using` block when that pays.

    Example:
        >>> from crmclean.normalize import normalize_text
        >>> [r.text for r in map_distinct(normalize_text, ["  x", "y  "])]
        ['x', 'y']
    """
    scope = _CURRENT.get()
    n = len(values)
    if scope is None or scope.workers < 2 or scope.failed or n < MIN_DISTINCT:
        return [normalizer(v, **options) for v in values]
    head = list(values[:PROBE])
    clock = time.perf_counter()
    out = [normalizer(v, **options) for v in head]
    parse = time.perf_counter() - clock
    try:
        clock = time.perf_counter()
        pickle.dumps((normalizer, options, head, out), protocol=pickle.HIGHEST_PROTOCOL)
        transfer = time.perf_counter() - clock
    except Exception:  # a lambda, a nested function, a value or result pickle refuses
        return out + [normalizer(v, **options) for v in values[PROBE:]]
    rest = values[PROBE:]
    if parse * len(rest) / PROBE < MIN_SECONDS or parse < MIN_RATIO * transfer:
        return out + [normalizer(v, **options) for v in rest]
    return out + _spread(scope, normalizer, rest, options)


def _run_chunk(
    normalizer: Callable[..., R], chunk: Sequence[Any], options: dict[str, Any]
) -> list[R]:
    return [normalizer(v, **options) for v in chunk]


def _spread(
    scope: _Scope, normalizer: Callable[..., R], values: Sequence[Any], options: dict[str, Any]
) -> list[R]:
    """Parse ``values`` in chunks: the pool takes them from the front, this process from the
    back, each chunk parsed exactly once; results in the order of ``values``."""
    size = max(MIN_CHUNK, math.ceil(len(values) / (scope.workers * CHUNKS_PER_PROCESS)))
    chunks = [values[i : i + size] for i in range(0, len(values), size)]
    results: list[list[R] | None] = [None] * len(chunks)
    pool = scope.executor()
    futures: list[Future[list[R]] | None] = [None] * len(chunks)
    if pool is not None:
        # A forked worker shares this process's memory until it writes to it; the collector of
        # a worker would write to every object it inherited (the whole table) unless frozen.
        gc.freeze()
        try:
            for i, chunk in enumerate(chunks):
                futures[i] = pool.submit(_run_chunk, normalizer, chunk, options)
        except (BrokenProcessPool, RuntimeError, OSError) as exc:
            scope.give_up(f"a worker process stopped ({type(exc).__name__})")
        finally:
            gc.unfreeze()
    try:
        for i in range(len(chunks) - 1, -1, -1):  # take over the chunks no worker has started
            future = futures[i]
            if future is not None and not future.cancel():
                break  # a worker has it, and the chunks before it
            futures[i] = None
            results[i] = _run_chunk(normalizer, chunks[i], options)
        for i, future in enumerate(futures):
            if future is None:
                if results[i] is None:
                    results[i] = _run_chunk(normalizer, chunks[i], options)
                continue
            try:
                results[i] = future.result()
            except BrokenProcessPool:
                scope.give_up("a worker process stopped (BrokenProcessPool)")
                results[i] = _run_chunk(normalizer, chunks[i], options)
            except Exception:
                # The value or its result could not make the trip, or the normalizer raised:
                # parse the chunk here, which raises again only in the latter case, as the
                # one-process run would.
                results[i] = _run_chunk(normalizer, chunks[i], options)
    finally:
        for future in futures:
            if future is not None:
                future.cancel()
    return [r for chunk_results in results if chunk_results is not None for r in chunk_results]
