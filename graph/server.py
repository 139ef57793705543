"""`diplo serve`: the graph as a SPARQL 1.1 Protocol endpoint, with the network pages beside it.

Built on Starlette (served by uvicorn). Queries, updates and pages are answered by worker
processes (:mod:`graph.workers`) that each hold the store: a request that runs past its time
limit, or grows past the memory cap, has its worker killed and replaced while the others go on
answering. Read-only unless started with updates allowed *and* a token, which clients send as
``Authorization: Bearer …``. Every answer is capped (rows of a SELECT, triples of a CONSTRUCT or
DESCRIBE; the cap goes into the query as a LIMIT, so it bounds the work too, and a capped answer
says so in ``X-Diplo-Truncated``), requests have a size limit, the server answers only its own
host names, and CORS is off unless origins are given.

Routes: ``/sparql`` (GET ``?query=``, POST form ``query=``/``update=``, POST
``application/sparql-query`` / ``application/sparql-update``), ``/healthz``, ``/view?actor=…``,
``/view?event=…`` (either with ``&min_confidence=0.7``), ``/named/NAME?limit=…&offset=…`` (a shipped query by name, paged as ``diplo
query --named`` pages it, with ``X-Diplo-Total``/``-Offset``/``-More``), ``/`` (the query page,
:mod:`graph.querypage`) and ``/static/…`` (its scripts).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.errors import BadInput, DiploError

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from graph.store import Store
    from graph.workers import Pool

#: Result media types by kind of answer; the first is the default.
SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    # What generic clients ask for: the same SPARQL results, named as they asked.
    "application/json": "json",
    "application/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class Limits:
    """What one request may cost."""

    timeout: float = 30.0
    """Seconds a query may run."""
    wait: float = 60.0
    """Seconds a request may wait in line for a free worker before it is refused (503)."""
    max_waiting: int = 64
    """Requests that may wait in line at once; the next one is refused (503) at once."""
    max_rows: int = 10_000
    """Most rows of a SELECT, or triples of a CONSTRUCT or DESCRIBE, an answer holds."""
    max_request_bytes: int = 1_000_000
    workers: int = 2
    """Worker processes answering at once (one when updates are allowed: the store's writer)."""
    memory_mb: int = 1024
    """How large a worker may grow while answering before it is killed."""


class BadAccept(DiploError):
    """An Accept header that cannot be read."""


def _negotiate(accept: str, offered: dict[str, str]) -> tuple[str, str] | None:
    """The offered media type the Accept header prefers (q-values honoured, ``q=0`` meaning
    "not this"), or None when it accepts none of them. :class:`BadAccept` for a q-value that
    is not a number from 0 to 1."""
    default = next(iter(offered.items()))
    if not accept.strip():
        return default
    choices = []
    named = False
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        named = True
        q = 1.0
        for p in params:
            name, _, value = p.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    raise BadAccept(f"Accept: q-value {value.strip()[:20]!r} is not a number from 0 to 1") from None
                if not 0.0 <= q <= 1.0:  # also refuses nan
                    raise BadAccept(f"Accept: q-value {value.strip()[:20]!r} is not a number from 0 to 1")
        if q > 0:
            choices.append((-q, i, media.lower()))
    if not named:  # only separators: no preference
        return default
    for _, _, media in sorted(choices):
        if media in offered:
            return media, offered[media]
        if media == "*/*" or (media.endswith("/*") and any(m.startswith(media[:-1]) for m in offered)):
            wanted = media[:-1] if media != "*/*" else ""
            return next((m, f) for m, f in offered.items() if m.startswith(wanted))
    return None


#: The names a server on loopback answers to without being told (see :class:`_HostCheck`).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def _host_name(header: str) -> str:
    """The host of a Host header, without its port (IPv6 literals without their brackets)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    name, colon, port = header.rpartition(":")
    return name if colon and port.isdigit() and ":" not in name else header


class _HostCheck:
    """Answers only requests whose Host header names this server: a web page elsewhere can make
    a browser send requests to 127.0.0.1 under a name of its own (DNS rebinding) and read the
    answers; those requests carry that other name, and get 400 here. ``"*"`` allows any."""

    def __init__(self, app: Any, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket") and "*" not in self.hosts:
            given = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            if _host_name(given) not in self.hosts:
                from starlette.responses import PlainTextResponse

                shown = given[:100] or "(none)"
                answer = PlainTextResponse(
                    f"this server does not answer for host {shown!r}; start it with --allow-host NAME to add a name\n", status_code=400
                )
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)


# What the workers run (each is called as fn(store, *args) in a worker process; see graph.workers).


def answer_query(
    store: Store, text: str, accept: str, max_rows: int, allow_service: bool = False
) -> tuple[int, str, bytes, dict[str, str]]:
    """The HTTP answer to a query: status, media type, body and extra headers. The row cap goes
    into the query as a LIMIT (one more, to tell a cut answer), so the engine stops there."""
    from graph.sparql import refuse_service, serialize_result, with_limit

    if not allow_service:
        refuse_service(text, "the server allows it when started with diplo serve --allow-service")
    result, truncated = store.capped_query(with_limit(text, max_rows + 1), max_rows)
    graph_result = result.type in ("CONSTRUCT", "DESCRIBE")
    offered = GRAPH_TYPES if graph_result else SELECT_TYPES
    try:
        chosen = _negotiate(accept, offered)
    except BadAccept as e:
        return 400, "text/plain", f"{e}\n".encode(), {}
    if chosen is None:
        return 406, "text/plain", f"{'graph results' if graph_result else 'results'} come as {', '.join(offered)}\n".encode(), {}
    media, fmt = chosen
    if graph_result:
        payload = result.graph.serialize(format=fmt, encoding="utf-8")
    else:
        payload = serialize_result(result, fmt).encode("utf-8")
    return 200, media, payload, {"X-Diplo-Truncated": "true"} if truncated else {}


def answer_named(
    store: Store, name: str, params: dict[str, str], limit: int | None, offset: int, accept: str, max_rows: int
) -> tuple[int, str, bytes, dict[str, str]]:
    """The HTTP answer to a shipped query by name (``/named/NAME``): one page of a paged query
    (``limit`` keys from ``offset`` on, as ``diplo query --named`` pages it), with the total, the
    offset and how many more there are as ``X-Diplo-Total``, ``X-Diplo-Offset`` and
    ``X-Diplo-More``; an unpaged query whole. Either is cut at ``max_rows`` rows (and says so)."""
    from graph.sparql import run_query, serialize_result

    try:
        chosen = _negotiate(accept, SELECT_TYPES)
    except BadAccept as e:
        return 400, "text/plain", f"{e}\n".encode(), {}
    if chosen is None:
        return 406, "text/plain", f"results come as {', '.join(SELECT_TYPES)}\n".encode(), {}
    answer = run_query(store, named=name, params=params, limit=limit, offset=offset)
    result = answer.result
    headers: dict[str, str] = {}
    if result.type == "SELECT" and len(result.bindings) > max_rows:
        result.bindings = result.bindings[:max_rows]
        headers["X-Diplo-Truncated"] = "true"
    if answer.total is not None:
        headers |= {"X-Diplo-Total": str(answer.total), "X-Diplo-Offset": str(answer.offset), "X-Diplo-More": str(answer.more)}
    media, fmt = chosen
    return 200, media, serialize_result(result, fmt).encode("utf-8"), headers


def answer_update(store: Store, text: str, allow_service: bool = False) -> None:
    """Run an update; its parser's complaint becomes :class:`BadInput`. Unless
    ``allow_service``, an update that would fetch a URL (SERVICE in its WHERE, LOAD) is refused
    before any of it runs."""
    from graph.sparql import refuse_service

    if not allow_service:
        refuse_service(text, "the server allows it when started with diplo serve --allow-service")
    try:
        store.update(text)
    except DiploError:
        raise
    except Exception as e:  # a malformed update: say what the parser said, in one line
        raise BadInput(f"malformed SPARQL update: {str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__}") from e


def answer_view(store: Store, actor: str | None, event: str | None, min_confidence: float | None = None) -> str:
    """The network page of an actor or event (of the reactions of at least ``min_confidence``)."""
    from graph.views import view_html

    return view_html(store, actor, event, min_confidence=min_confidence)


def confidence_param(text: str | None) -> float | None:
    """The ``min_confidence`` parameter of /view: a probability, or None when not given."""
    if text is None or text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise BadInput(f"min_confidence: {text[:40]!r} is not a number between 0 and 1")
    return value


def answer_ping(store: Store) -> bool:
    """Whether the store answers the smallest query."""
    return bool(store.query("ASK { }").askAnswer)


def make_app(
    store: Store,
    limits: Limits = Limits(),
    update_token: str | None = None,
    cors: list[str] | None = None,
    pool: Pool | None = None,
    allow_service: bool = False,
    hosts: list[str] | None = None,
) -> Starlette:
    """The web application over ``store``. ``update_token`` allows SPARQL Update to clients
    that present it; without one every update is refused (403). Queries with a SERVICE clause
    are refused (400) unless ``allow_service``. Requests whose Host header is not one of
    :data:`LOCAL_HOSTS` or ``hosts`` (``"*"``: any) get 400.

    The app takes the store over: its workers (``pool``, else a new :class:`graph.workers.Pool`)
    open it in their own processes, and an on-disk store is closed here."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from graph.workers import Pool, WorkerBusy, WorkerDied, WorkerTimeout, WorkerTooBig

    where = getattr(store, "url", None) or (str(store.path) if store.path else "bundled graph (memory)")
    if pool is None:
        pool = Pool.for_store(
            store, writable=update_token is not None, size=limits.workers, memory_mb=limits.memory_mb, max_waiting=limits.max_waiting
        )
    workers = pool
    # Threads that wait for the workers' answers: one for each request in line and each process
    # answering, so that the pool sees every request at once (and refuses past the line's end)
    # rather than the executor queueing them unseen.
    executor = ThreadPoolExecutor(max_workers=pool.max_waiting + pool.max_size + 4, thread_name_prefix="diplo-request")

    def problem(status: int, message: str) -> Response:
        return PlainTextResponse(message + "\n", status_code=status)

    async def run(fn: Any, *args: Any, seconds: float | None = None) -> Any:
        """``fn(store, *args)`` in a worker, within the time limit. A request waits in line for
        a free worker up to ``limits.wait`` (``seconds``, when given, bounds both): an ordinary
        query that arrives while others run is answered late, not refused."""
        since = time.monotonic()
        allowed = limits.timeout if seconds is None else seconds
        wait = limits.wait if seconds is None else seconds
        call = functools.partial(workers.call, fn, args, allowed, since, wait)
        return await asyncio.get_running_loop().run_in_executor(executor, call)

    async def read_body(request: Request) -> bytes | None:
        size = request.headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > limits.max_request_bytes:
            return None
        body = bytearray()  # not bytes +=, which copies the whole body for every chunk
        async for chunk in request.stream():
            body += chunk
            if len(body) > limits.max_request_bytes:
                return None
        return bytes(body)

    async def sparql(request: Request) -> Response:
        from urllib.parse import parse_qs

        query = request.query_params.get("query")
        update = None
        if request.method == "POST":
            body = await read_body(request)
            if body is None:
                return problem(413, f"request larger than {limits.max_request_bytes} bytes")
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            text = body.decode("utf-8", errors="replace")
            if kind == "application/sparql-query":
                query = text
            elif kind == "application/sparql-update":
                update = text
            elif kind == "application/x-www-form-urlencoded":
                form = parse_qs(text)
                query = (form.get("query") or [None])[0]
                update = (form.get("update") or [None])[0]
            else:
                return problem(415, "POST a form (query= or update=), application/sparql-query or application/sparql-update")
        elif len(request.url.query) > limits.max_request_bytes:
            return problem(414, "query string too long")
        if update is not None:
            return await run_update(request, update)
        if not query:
            return problem(400, "no query: pass ?query=… or POST one")
        return await run_query(request, query)

    async def run_query(request: Request, text: str) -> Response:
        return await answered(answer_query, text, request.headers.get("accept", ""), limits.max_rows, allow_service)

    async def answered(answer: Any, *args: Any) -> Response:
        """A query's answer from a worker (``answer(store, *args)``), or the problem that stopped it."""
        try:
            status, media, payload, headers = await run(answer, *args)
        except WorkerBusy as e:
            return problem(503, str(e))
        except WorkerTimeout as e:
            return problem(503, f"query took longer than {limits.timeout:g} s and was stopped ({e})")
        except (WorkerTooBig, WorkerDied) as e:
            return problem(503, str(e))
        except DiploError as e:
            return problem(400, str(e))
        return Response(payload, status_code=status, media_type=media, headers=headers)

    async def named(request: Request) -> Response:
        """A shipped query by name: ``/named/sources?limit=50&offset=100``; its parameters by
        their names (``?who=Turkey``); ``all=1`` for every key of a paged one."""
        from graph.queries import named_queries

        name = request.path_params["name"]
        query = named_queries().get(name)
        if query is None:
            return problem(404, f"no shipped query {name!r} (see diplo query --list)")
        given = dict(request.query_params)
        try:
            limit = int(given.pop("limit", "50"))
            offset = int(given.pop("offset", "0"))
        except ValueError:
            return problem(400, "limit and offset are whole numbers")
        if limit < 1 or offset < 0:
            return problem(400, "limit is at least 1, offset at least 0")
        every = given.pop("all", "") not in ("", "0", "false")
        bounds = (None, 0) if every or query.page is None else (limit, offset)
        return await answered(answer_named, name, given, *bounds, request.headers.get("accept", ""), limits.max_rows)

    async def run_update(request: Request, text: str) -> Response:
        given = request.headers.get("authorization", "")
        if update_token is None or not hmac.compare_digest(given, f"Bearer {update_token}"):
            return problem(403, "updates are not allowed here")
        try:
            await run(answer_update, text, allow_service)
        except (WorkerTimeout, WorkerTooBig, WorkerDied):
            return problem(503, f"update took longer than {limits.timeout:g} s or grew too large, and was stopped")
        except DiploError as e:
            return problem(400, str(e))
        return PlainTextResponse("ok\n")

    async def healthz(request: Request) -> Response:
        """200 when a worker answers a trivial query within a few seconds, or, when every worker
        is busy and requests wait in line, when some worker answers something in that time (a
        busy server is not a broken one); else 503 saying why."""
        state = workers.health()
        allowed = min(limits.timeout, 5.0)
        loop = asyncio.get_running_loop()
        if not await loop.run_in_executor(executor, workers.answering, allowed):
            reason = f"no query worker answered anything within {allowed:g} s"
            return JSONResponse({"status": "unavailable", "reason": reason, "store": where, "workers": state}, status_code=503)
        if state["waiting"] or not state["idle"]:
            return JSONResponse({"status": "ok", "store": where, "workers": state, "busy": True})
        try:
            await run(answer_ping, seconds=allowed)
        except DiploError as e:
            return JSONResponse({"status": "unavailable", "reason": str(e), "store": where, "workers": state}, status_code=503)
        return JSONResponse({"status": "ok", "store": where, "workers": state})

    async def view(request: Request) -> Response:
        try:
            least = confidence_param(request.query_params.get("min_confidence"))
        except BadInput as e:
            return problem(400, str(e))
        try:
            page = await run(answer_view, request.query_params.get("actor"), request.query_params.get("event"), least)
        except (WorkerTimeout, WorkerTooBig, WorkerDied):
            return problem(503, "the view took too long or grew too large, and was stopped")
        except DiploError as e:
            return problem(404, str(e))
        return HTMLResponse(page)

    async def query_page(request: Request) -> Response:
        from graph.querypage import CONTENT_SECURITY_POLICY, query_page_html

        return HTMLResponse(query_page_html(), headers={"Content-Security-Policy": f"{CONTENT_SECURITY_POLICY}; frame-ancestors 'none'"})

    async def static(request: Request) -> Response:
        from graph.querypage import static_file

        found = static_file(request.path_params["path"])
        if found is None:
            return problem(404, "no such file")
        body, media = found
        return Response(body, media_type=media, headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        workers.close()
        executor.shutdown(wait=False, cancel_futures=True)

    middleware = [Middleware(_HostCheck, hosts=frozenset(h.strip("[]").lower() for h in (*LOCAL_HOSTS, *(hosts or ()))))]
    if cors:
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(CORSMiddleware, allow_origins=cors, allow_methods=["GET", "POST"], allow_headers=["*"]))
    app = Starlette(
        routes=[
            Route("/sparql", sparql, methods=["GET", "POST"]),
            Route("/named/{name}", named),
            Route("/healthz", healthz),
            Route("/view", view),
            Route("/", query_page),
            Route("/static/{path:path}", static),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.workers = workers
    return app


def serve(
    store: Store, host: str, port: int, limits: Limits, update_token: str | None, cors: list[str] | None,
    allow_service: bool = False,
    hosts: list[str] | None = None,
) -> None:
    """Serve until interrupted. The address it listens on is one of its host names."""
    import uvicorn

    app = make_app(store, limits, update_token, cors, allow_service=allow_service, hosts=[host, *(hosts or ())])
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        app.state.workers.close()
