"""The endpoint's query workers: processes that each hold the store and answer one request at a
time, so a query that runs too long, or grows too big, is ended by killing its process.

Oxigraph evaluates a query in native code that nothing can interrupt: a server that runs queries
in its own threads can only abandon a runaway query, which then goes on using a core and memory
and holds up every other query (issue 14: a cartesian product kept the endpoint answering 503 for
150 s). Here the server waits for a worker's answer until the request's deadline; past it (or past
the memory cap) the worker is killed, a new one is started in its place, and the other workers go
on answering meanwhile.

Workers are forked from a ``forkserver`` process (one clean, single-threaded process with the
modules imported: nothing of the server's threads or open files comes with them, and a new worker
costs milliseconds, not an interpreter's start-up) and open the store themselves, read-only unless the pool is the single
writer that serves updates. A store in memory is first written to a temporary on-disk store
(:func:`materialise`) that the workers open.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import DiploError

if TYPE_CHECKING:
    from graph.store import Store

#: How long a new worker may take to open the store before it counts as failed.
START_SECONDS = 120.0


class WorkerTimeout(DiploError):
    """The request's deadline passed: its worker was killed (or none was free in time)."""


class WorkerBusy(WorkerTimeout):
    """No worker became free in time, or too many requests were waiting already."""


class WorkerTooBig(DiploError):
    """The worker grew past the memory cap while answering and was killed."""


class WorkerDied(DiploError):
    """The worker ended while answering (for instance, killed from outside)."""


@dataclass(frozen=True)
class Source:
    """Where a worker finds the store: an on-disk folder or a remote endpoint's URL."""

    path: str | None = None
    url: str | None = None
    writable: bool = False

    def open(self) -> Store:
        """The store, opened in the worker."""
        if self.url is not None:
            from graph.remote import RemoteStore

            return RemoteStore(self.url)
        from graph.store import Store

        return Store.open(Path(self.path or ""), read_only=not self.writable)

    def describe(self) -> str:
        return self.url or self.path or "?"


def materialise(store: Store, folder: Path) -> Path:
    """Write the quads of an in-memory ``store`` into a new on-disk store in ``folder`` (the
    marker file and an Oxigraph database), for workers to open; returns the folder."""
    import json

    import pyoxigraph

    from graph.store import MARKER, STORE_FORMAT

    folder.mkdir(parents=True, exist_ok=True)
    data = store.dataset.serialize(format="nquads", encoding="utf-8")
    ox = pyoxigraph.Store(str(folder / "oxigraph"))
    ox.bulk_load(data, format=pyoxigraph.RdfFormat.N_QUADS)
    ox.flush()
    del ox
    (folder / MARKER).write_text(json.dumps({"format": STORE_FORMAT}) + "\n", encoding="utf-8")
    return folder


def _worker_main(conn: Any, source: Source) -> None:
    """A worker's life: open the store, say so, then answer ``(function, args)`` requests with
    ``("ok", value)`` or ``("error", message)`` until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server ends its workers itself
    try:
        store = source.open()
    except Exception as e:  # noqa: BLE001 - reported to the server, which says it once
        conn.send(("error", f"cannot open the store: {e}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            break
        try:
            conn.send(("ok", fn(store, *args)))
        except DiploError as e:
            conn.send(("error", str(e)))
        except Exception as e:  # noqa: BLE001 - one bad request must not end the worker
            conn.send(("error", f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"))
    store.close()


class _Worker:
    def __init__(self, context: Any, source: Source) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, source), daemon=True, name="diplo-query-worker")
        self.process.start()
        child.close()
        self.started_query: float | None = None
        self.cpu_at_start = 0.0
        """The worker's processor time (s) when its current query began."""
        self.slow = False
        # A timed-out request and the pool's close may both end a worker: once is enough.
        self._ending = threading.Lock()

    def wait_ready(self) -> None:
        if not self.conn.poll(START_SECONDS):
            self.kill()
            raise DiploError(f"a query worker did not open the store within {START_SECONDS:g} s")
        status, detail = self.conn.recv()
        if status != "ready":
            self.kill()
            raise DiploError(detail)

    def cpu_seconds(self) -> float:
        """Processor time the worker has used so far (0 when it cannot be read)."""
        try:
            with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        except (OSError, ValueError, IndexError):
            return 0.0

    def resident_mb(self) -> float:
        try:
            with open(f"/proc/{self.process.pid}/statm", encoding="ascii") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, ValueError, IndexError):
            return 0.0

    def kill(self) -> None:
        with self._ending:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(10)
            if not self.conn.closed:
                self.conn.close()


#: What the process new workers are forked from imports once (see :class:`Pool`).
PRELOAD = ["graph.server", "graph.store", "graph.sparql", "graph.views", "graph.lookup", "rdflib.plugins.sparql.parser", "pyoxigraph", "oxrdflib"]

#: A query that has used this much processor time is slow: its worker yields the processor to the
#: others and a fresh worker is started beside it, so slow queries cannot take every worker.
#: Processor time, not time on the clock: on a busy machine an ordinary query waits for the
#: processor too, and judged by the clock it was marked slow, reniced and then starved.
SLOW_SECONDS = 0.5


class Pool:
    """``size`` worker processes over ``source``; :meth:`call` runs a function in a free one.

    ``memory_mb`` caps what a worker may hold while answering (checked ten times a second).
    When a query has used :data:`SLOW_SECONDS` of processor time, its worker is reniced (it gets
    the processor only when quicker queries don't need it) and, up to ``size + extra`` processes
    in all, a new worker takes its place among the ``size`` that answer new requests; a slow
    worker ends after its query. Requests that find no free worker wait in line (at most
    ``max_waiting`` of them). Workers that fail to start are retried; :meth:`health` says how
    they stand."""

    def __init__(
        self,
        source: Source,
        size: int = 2,
        memory_mb: int = 1024,
        scratch: Path | None = None,
        extra: int | None = None,
        max_waiting: int = 64,
    ) -> None:
        import multiprocessing

        self.source = source
        self.size = size
        self.max_size = size + (6 if extra is None else extra)
        self.memory_mb = memory_mb
        self.max_waiting = max_waiting
        """How many requests may wait for a free worker at once; the next is refused at once."""
        self._waiting = 0
        self.scratch = scratch
        """A temporary folder the pool owns (a materialised store), removed on :meth:`close`."""
        self._context = multiprocessing.get_context("forkserver")
        # New workers are forked from one clean process that has imported these already: a
        # fresh interpreter took seconds of processor to import them, paid for each killed query.
        self._context.set_forkserver_preload(PRELOAD)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._busy: set[_Worker] = set()
        self._lock = threading.Lock()
        self._answered = threading.Condition(self._lock)
        self.answers = 0
        """How many calls a worker has answered (with a value or an error of the request's own)."""
        self._starting = 0
        self._closed = False
        self.killed = 0
        """How many workers were killed for running past a deadline or the memory cap."""
        self.started = 1
        """How many worker processes were started (the first included)."""
        self.start_error: str | None = None
        self._live = 1
        first = _Worker(self._context, source)
        first.wait_ready()  # a store that cannot be opened is an error now, not at the first query
        self._idle.put(first)
        for _ in range(size - 1):
            self._replace()
        threading.Thread(target=self._watch_slow, name="diplo-worker-watch", daemon=True).start()

    def _watch_slow(self) -> None:
        """Mark queries slow as they pass :data:`SLOW_SECONDS` (see the class docstring)."""
        while not self._closed:
            time.sleep(0.2)
            now = time.monotonic()
            with self._lock:
                running = [(w, w.started_query, w.cpu_at_start) for w in self._busy
                           if not w.slow and w.started_query is not None and now - w.started_query > SLOW_SECONDS]
            # Read outside the lock: /proc reads are quick, but nothing should wait on them.
            used = [(w, began) for w, began, cpu in running if w.cpu_seconds() - cpu > SLOW_SECONDS]
            with self._lock:
                # Only a query still running: one that ended meanwhile is not held against the next.
                turned = [w for w, began in used if w in self._busy and w.started_query == began]
                for worker in turned:
                    worker.slow = True
                fresh = self._live + self._starting - sum(1 for w in self._busy if w.slow)
                room = min(len(turned), self.size - fresh, self.max_size - self._live - self._starting)
            for worker in turned:
                try:
                    os.setpriority(os.PRIO_PROCESS, worker.process.pid, 19)
                except OSError:
                    pass
            for _ in range(max(0, room)):
                self._replace()

    @classmethod
    def for_store(
        cls, store: Store, writable: bool, size: int = 2, memory_mb: int = 1024, extra: int | None = None, max_waiting: int = 64
    ) -> Pool:
        """A pool over what ``store`` holds. An on-disk store is closed here and reopened by
        each worker (read-only unless ``writable``: then one worker, the store's only writer);
        a store in memory is materialised into a temporary folder first."""
        scratch = None
        url = getattr(store, "url", None)
        if url is not None:
            source = Source(url=url, writable=writable)
        elif store.path is not None:
            source = Source(path=str(store.path), writable=writable)
            store.close()
        else:
            scratch = Path(tempfile.mkdtemp(prefix="diplo-serve-"))
            source = Source(path=str(materialise(store, scratch / "store")), writable=writable)
        try:
            # The store's one writer cannot have a second process beside it.
            return cls(source, 1 if writable else size, memory_mb, scratch, 0 if writable else extra, max_waiting)
        except BaseException:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            raise

    def _replace(self) -> None:
        """Start a worker in the background and make it available once it has opened the store."""
        with self._lock:
            if self._closed:
                return
            self._starting += 1

        def start() -> None:
            try:
                worker = _Worker(self._context, self.source)
                worker.wait_ready()
            except DiploError as e:
                self.start_error = str(e)
                time.sleep(1)
                with self._lock:
                    self._starting -= 1
                self._replace()
                return
            with self._lock:
                self._starting -= 1
                if self._closed:
                    worker.kill()
                    return
                self._live += 1
                self.started += 1
            self.start_error = None
            self._idle.put(worker)

        threading.Thread(target=start, name="diplo-worker-start", daemon=True).start()

    def call(
        self, fn: Callable[..., Any], args: tuple[Any, ...], seconds: float, since: float | None = None, wait: float | None = None
    ) -> Any:
        """``fn(store, *args)`` in a free worker, which it may keep for ``seconds``; waiting for
        one (from ``since``, a ``time.monotonic()`` value, else now) may take ``wait`` seconds
        (default: ``seconds``). :class:`WorkerBusy` when no worker became free in time or
        :attr:`max_waiting` requests wait already, :class:`WorkerTimeout` when the answer is
        not there in time (the worker is killed and replaced), :class:`WorkerTooBig` past the
        memory cap, :class:`DiploError` with the worker's message when ``fn`` failed."""
        allowed = seconds if wait is None else wait
        waited_until = (time.monotonic() if since is None else since) + allowed
        with self._lock:
            if self._waiting >= self.max_waiting and self._idle.empty():
                raise WorkerBusy(f"the server is busy: {self._waiting} requests are waiting for a query worker already")
            self._waiting += 1
        try:
            while True:
                try:
                    worker = self._idle.get(timeout=max(0.0, waited_until - time.monotonic()))
                except queue.Empty:
                    raise WorkerBusy(f"the server is busy: no query worker became free within {allowed:g} s") from None
                if worker.process.is_alive():
                    break
                self._discard(worker, killed=False)  # ended while idle (killed from outside)
        finally:
            with self._lock:
                self._waiting -= 1
        with self._lock:
            self._busy.add(worker)
        worker.cpu_at_start = worker.cpu_seconds()
        worker.started_query = time.monotonic()
        deadline = worker.started_query + seconds
        try:
            worker.conn.send((fn, args))
            while not worker.conn.poll(0.1):
                if time.monotonic() > deadline:
                    self._discard(worker)
                    raise WorkerTimeout("the query ran past its time limit; its worker was stopped")
                if worker.resident_mb() > self.memory_mb:
                    self._discard(worker)
                    raise WorkerTooBig(f"the query grew past the {self.memory_mb:,} MB memory cap; its worker was stopped")
                if not worker.process.is_alive():
                    self._discard(worker, killed=False)
                    raise WorkerDied("the query worker ended while answering")
            status, value = worker.conn.recv()
            with self._answered:
                self.answers += 1
                self._answered.notify_all()
        except (EOFError, OSError, BrokenPipeError):
            self._discard(worker, killed=False)
            raise WorkerDied("the query worker ended while answering") from None
        worker.started_query = None
        if worker.slow:  # its replacement is running already: it ends here
            self._discard(worker, killed=False)
        else:
            with self._lock:
                self._busy.discard(worker)
            self._idle.put(worker)
        if status == "error":
            raise DiploError(value)
        return value

    def _discard(self, worker: _Worker, killed: bool = True) -> None:
        """End a worker; start another unless a slow worker's replacement is running already."""
        worker.kill()
        with self._lock:
            self._busy.discard(worker)
            self._live -= 1
            if killed:
                self.killed += 1
            fresh = self._live + self._starting - sum(1 for w in self._busy if w.slow)
        if fresh < self.size:
            self._replace()

    def answering(self, within: float) -> bool:
        """Whether some worker is free now or answers something within ``within`` seconds: a
        pool busy with a long line of quick queries is answering; one whose every worker is
        stuck is not."""
        with self._answered:
            if not self._idle.empty():
                return True
            seen = self.answers
            return self._answered.wait_for(lambda: self.answers > seen, timeout=within)

    def health(self) -> dict[str, Any]:
        """How the workers stand: ready (idle), answering, starting, the oldest running query's
        age in seconds, and how many were killed so far."""
        now = time.monotonic()
        with self._lock:
            ages = [now - w.started_query for w in self._busy if w.started_query is not None]
            return {
                "workers": self.size,
                "processes": self._live,
                "idle": self._idle.qsize(),
                "answering": len(self._busy),
                "starting": self._starting,
                "waiting": self._waiting,
                "started": self.started,
                "oldest_query_seconds": round(max(ages), 1) if ages else 0.0,
                "killed": self.killed,
                "start_error": self.start_error,
            }

    def close(self) -> None:
        """End every worker and remove the pool's temporary folder."""
        with self._lock:
            self._closed = True
            busy = list(self._busy)
        while True:
            try:
                busy.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in busy:
            worker.kill()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
