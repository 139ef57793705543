"""Bounds on every query the product runs: time, rows and the memory of the process.

A query over a store of millions of reactions can run for minutes and grow to gigabytes (a
cartesian product, a path over everything). Every read through :meth:`graph.store.Store.query`
runs under :func:`guard`: past its time or memory limit the query is interrupted and ends with a
:class:`LimitExceeded` naming the limit and how to raise it; an answer longer than the row cap is
refused the same way.

Oxigraph evaluates inside native code that Python cannot interrupt, so when a query does not
stop within a few seconds of being told to, the process ends itself (exit status 2, the same
message): a read-only command loses nothing by that.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from graph.errors import DiploError


class LimitExceeded(DiploError):
    """A query went past one of its limits; the message names the limit and how to raise it."""


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise DiploError(f"{name}: {value!r} is not a number") from None
    if number <= 0:
        raise DiploError(f"{name}: must be above 0, not {value!r}")
    return number


@dataclass(frozen=True)
class Limits:
    """What one query may use. The defaults come from DIPLO_TIME_LIMIT (seconds),
    DIPLO_ROW_LIMIT (rows) and DIPLO_MEMORY_LIMIT (MB), else 120 s, 2,000,000 rows, 4,096 MB."""

    seconds: float = 120.0
    rows: int = 2_000_000
    memory_mb: int = 4096

    @classmethod
    def from_environment(cls, seconds: float | None = None, rows: int | None = None, memory_mb: int | None = None) -> Limits:
        """The limits given, else those of the environment, else the defaults."""
        return cls(
            seconds=seconds or _env_number("DIPLO_TIME_LIMIT", cls.seconds),
            rows=int(rows or _env_number("DIPLO_ROW_LIMIT", cls.rows)),
            memory_mb=int(memory_mb or _env_number("DIPLO_MEMORY_LIMIT", cls.memory_mb)),
        )

    def too_many_rows(self) -> LimitExceeded:
        """The error for an answer longer than :attr:`rows`."""
        return LimitExceeded(
            f"the query answered more than {self.rows:,} rows, the row limit: add a LIMIT, page it, "
            "or raise the limit with --row-limit N (or DIPLO_ROW_LIMIT)"
        )


def resident_mb() -> float:
    """The memory the process holds now (resident set), in MB; 0 where the system doesn't say."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


#: How long an interrupted query may take to stop before the process ends itself.
GRACE_SECONDS = 5.0


class _Watch:
    """What the one watcher thread of the process watches: the query running in the main thread
    (one at a time), its start and its limits. A thread per query cost more than a small query."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.limits: Limits | None = None
        self.started = 0.0
        self.reason: str | None = None
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        import _thread

        while True:
            time.sleep(0.1)
            with self.lock:
                limits, started = self.limits, self.started
                if limits is None or self.reason is not None:
                    continue
                if time.monotonic() - started > limits.seconds:
                    self.reason = (
                        f"the query ran past the {limits.seconds:g} s time limit: narrow it, or raise the limit "
                        "with --time-limit SECONDS (or DIPLO_TIME_LIMIT)"
                    )
                elif resident_mb() > limits.memory_mb:
                    self.reason = (
                        f"the query grew the process past the {limits.memory_mb:,} MB memory limit: narrow it, or "
                        "raise the limit with --memory-limit MB (or DIPLO_MEMORY_LIMIT)"
                    )
                else:
                    continue
                reason = self.reason
            _thread.interrupt_main()
            deadline = time.monotonic() + GRACE_SECONDS
            while time.monotonic() < deadline:
                time.sleep(0.05)
                with self.lock:
                    if self.limits is None:
                        break
            else:
                sys.stderr.write(f"Error: {reason}\n")
                sys.stderr.flush()
                os._exit(2)


_WATCH = _Watch()


@contextmanager
def guard(limits: Limits) -> Iterator[None]:
    """Run the block under ``limits``' time and memory bounds (see the module docstring).

    Only the main thread can be interrupted; elsewhere (the server's worker threads, which have
    limits of their own) and inside another guarded block the block runs as it is."""
    if threading.current_thread() is not threading.main_thread() or _WATCH.limits is not None:
        yield
        return
    with _WATCH.lock:
        if _WATCH.thread is None:
            _WATCH.thread = threading.Thread(target=_WATCH.run, name="diplo-query-guard", daemon=True)
            _WATCH.thread.start()
        _WATCH.limits, _WATCH.started, _WATCH.reason = limits, time.monotonic(), None
    try:
        yield
    except KeyboardInterrupt:
        if _WATCH.reason is not None:
            raise LimitExceeded(_WATCH.reason) from None
        raise
    finally:
        with _WATCH.lock:
            _WATCH.limits = None
