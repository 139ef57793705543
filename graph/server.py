"""`diplo serve`: the graph as a SPARQL 1.1 Protocol endpoint, with the network pages beside it.

Built on Starlette (served by uvicorn). Read-only unless started with updates allowed *and* a
token, which clients send as ``Authorization: Bearer …``. Every query runs with a time limit and
a cap on result rows (a capped answer says so in ``X-Diplo-Truncated``), requests have a size
limit, and CORS is off unless origins are given.

Routes: ``/sparql`` (GET ``?query=``, POST form ``query=``/``update=``, POST
``application/sparql-query`` / ``application/sparql-update``), ``/healthz``, ``/view?actor=…``,
``/view?event=…``.
"""

from __future__ import annotations

import asyncio
import hmac
import threading
from itertools import islice
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.errors import DiploError

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from graph.store import Store

#: Result media types by kind of answer; the first is the default.
SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
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
    max_rows: int = 10_000
    max_request_bytes: int = 1_000_000


def _negotiate(accept: str, offered: dict[str, str]) -> tuple[str, str] | None:
    """The offered media type the Accept header prefers (q-values honoured), or None."""
    default = next(iter(offered.items()))
    if not accept.strip():
        return default
    choices = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        choices.append((-q, i, media.lower()))
    for _, _, media in sorted(choices):
        if media in offered:
            return media, offered[media]
        if media in ("*/*", "application/*", "text/*") or media.endswith("/*"):
            return default
    return None


def make_app(store: Store, limits: Limits = Limits(), update_token: str | None = None, cors: list[str] | None = None) -> Starlette:
    """The web application over ``store``. ``update_token`` allows SPARQL Update to clients
    that present it; without one every update is refused (403)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    lock = threading.Lock()  # rdflib's engine and our store object are not safe across threads

    def problem(status: int, message: str) -> Response:
        return PlainTextResponse(message + "\n", status_code=status)

    async def run(fn: Any, *args: Any) -> Any:
        def locked() -> Any:
            with lock:
                return fn(*args)

        return await asyncio.wait_for(asyncio.to_thread(locked), timeout=limits.timeout)

    async def read_body(request: Request) -> bytes | None:
        size = request.headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > limits.max_request_bytes:
            return None
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > limits.max_request_bytes:
                return None
        return body

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
        try:
            result = await run(store.query, text)
            kind = result.type
            if kind in ("CONSTRUCT", "DESCRIBE"):
                chosen = _negotiate(request.headers.get("accept", ""), GRAPH_TYPES)
                if chosen is None:
                    return problem(406, f"graph results come as {', '.join(GRAPH_TYPES)}")
                media, fmt = chosen
                payload = await run(lambda: result.graph.serialize(format=fmt))
                return Response(payload if isinstance(payload, bytes) else payload.encode("utf-8"), media_type=media)
            chosen = _negotiate(request.headers.get("accept", ""), SELECT_TYPES)
            if chosen is None:
                return problem(406, f"results come as {', '.join(SELECT_TYPES)}")
            media, fmt = chosen
            truncated = False
            if kind == "SELECT":
                rows = await run(lambda: list(islice(result.bindings, limits.max_rows + 1)))
                truncated = len(rows) > limits.max_rows
                result.bindings = rows[: limits.max_rows]
            payload = await run(lambda: result.serialize(format=fmt))
            headers = {"X-Diplo-Truncated": "true"} if truncated else {}
            return Response(payload, media_type=media, headers=headers)
        except asyncio.TimeoutError:
            return problem(503, f"query took longer than {limits.timeout:g} s and was abandoned")
        except DiploError as e:
            return problem(400, str(e))

    async def run_update(request: Request, text: str) -> Response:
        given = request.headers.get("authorization", "")
        if update_token is None or not hmac.compare_digest(given, f"Bearer {update_token}"):
            return problem(403, "updates are not allowed here")
        try:
            await run(store.update, text)
        except asyncio.TimeoutError:
            return problem(503, f"update took longer than {limits.timeout:g} s")
        except Exception as e:  # a malformed update: say what the parser said
            return problem(400, f"malformed SPARQL update: {e}")
        return PlainTextResponse("ok\n")

    async def healthz(request: Request) -> Response:
        where = getattr(store, "url", None) or (str(store.path) if store.path else "bundled graph (memory)")
        return JSONResponse({"status": "ok", "store": where})

    async def view(request: Request) -> Response:
        from graph.views import view_html

        try:
            page = await run(view_html, store, request.query_params.get("actor"), request.query_params.get("event"))
        except asyncio.TimeoutError:
            return problem(503, "the view took too long")
        except DiploError as e:
            return problem(404, str(e))
        return HTMLResponse(page)

    middleware = []
    if cors:
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(CORSMiddleware, allow_origins=cors, allow_methods=["GET", "POST"], allow_headers=["*"]))
    return Starlette(
        routes=[
            Route("/sparql", sparql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/view", view),
        ],
        middleware=middleware,
    )


def serve(store: Store, host: str, port: int, limits: Limits, update_token: str | None, cors: list[str] | None) -> None:
    """Serve until interrupted."""
    import uvicorn

    uvicorn.run(make_app(store, limits, update_token, cors), host=host, port=port, log_level="info")
