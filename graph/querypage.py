"""The query page `diplo serve` answers at ``/``: a SPARQL editor and results viewer (YASQE and
YASR, vendored under ``graph/static/yasgui``, see its SOURCE.md) with the ontology's prefixes,
the shipped named queries and links from actor IRIs to ``/view``.

The page asks only its own server for anything: scripts and styles come from ``/static/``,
queries go to ``/sparql``, and its Content-Security-Policy forbids every other origin.
"""

from __future__ import annotations

import json
from typing import Any

from graph.resources import shipped

#: Media types of the files the page loads; any other file under graph/static is not served.
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".md": "text/plain", "LICENSE": "text/plain"}

#: What the page may load and where it may send requests: only this server.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'"
)


def page_settings() -> dict[str, Any]:
    """What the page's script needs: the prefixes (and their PREFIX lines), the query shown first, the named queries with their
    questions and parameters, and the namespace whose IRIs are actors (linked to ``/view``)."""
    from graph.model import data_iri
    from graph.queries import named_queries
    from graph.vocab import namespaces

    prefixes = {prefix: str(ns) for prefix, ns in sorted(namespaces().items())}
    declared = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    return {
        "prefixes": prefixes,
        "declared": declared,
        "start": "actors",
        "actorNamespace": str(data_iri("actor", "")),
        "queries": [
            {
                "name": q.name,
                "question": q.question,
                "params": [{"name": p.name, "kind": p.kind, "optional": p.optional, "doc": p.doc} for p in q.params],
                "text": q.text,
                # A paged query is paged by /named/NAME?limit=…&offset=… (run here as it stands, it lists every key).
                "page": {"by": q.page, "order": q.page_order, "url": f"/named/{q.name}?limit=50&offset=0"} if q.page else None,
            }
            for q in named_queries().values()
        ],
    }


def query_page_html() -> str:
    """The page's HTML. The settings travel as JSON in a ``<script type="application/json">``
    block with every ``<``, ``>`` and ``&`` written as a JSON escape, so no text from a query file
    can close the block or become markup; the rest goes through the template's autoescaping."""
    from markupsafe import Markup

    from graph.views import _environment

    found = page_settings()
    settings = json.dumps(found, ensure_ascii=False)
    settings = settings.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    template = _environment().from_string(shipped("templates", "query.html").read_text(encoding="utf-8"))
    return template.render(csp=CONTENT_SECURITY_POLICY, settings=Markup(settings), queries=found["queries"])


def static_file(path: str) -> tuple[bytes, str] | None:
    """The body and media type of the shipped static file at ``path`` (relative to graph/static),
    or None when there is no such file or the path is not a plain one inside that folder (no
    ``..``, no absolute or empty segments, no backslashes, only the kinds in :data:`STATIC_TYPES`)."""
    parts = path.split("/")
    if not path or "\\" in path or "\x00" in path or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    name = parts[-1]
    media = STATIC_TYPES.get(name) or STATIC_TYPES.get("." + name.rpartition(".")[2] if "." in name else "")
    if media is None:
        return None
    node = shipped("static", *parts)
    if not node.is_file():
        return None
    return node.read_bytes(), media
