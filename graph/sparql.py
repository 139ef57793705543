"""Run a SPARQL query given as text, a file or a shipped name, with safely bound parameters,
and turn its results into the output formats ``diplo query`` offers."""

from __future__ import annotations

import re

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import BadInput
from graph.queries import named_queries, named_query
from graph.resolve import bind_params

if TYPE_CHECKING:
    from rdflib.query import Result

    from graph.store import Store


def read_query_file(path: Path) -> str:
    """The text of a query file; :class:`BadInput` naming it when unreadable."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"{path}: cannot read query: {e}") from e


@dataclass
class Answer:
    """A query's result and, for a paged query, which reactions it covers."""

    result: Result
    total: int | None = None
    """How many reactions the paged query covers in all (None: not paged)."""
    offset: int = 0
    shown: int = 0

    @property
    def more(self) -> int:
        """How many reactions come after this page."""
        return 0 if self.total is None else max(0, self.total - self.offset - self.shown)


#: The words an update operation starts with, after any PREFIX/BASE lines and comments.
_UPDATE = re.compile(
    r"\A(?:\s+|#[^\n]*|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>))*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL update rather than a query."""
    return _UPDATE.match(text) is not None


def run_query(
    store: Store,
    text: str | None = None,
    named: str | None = None,
    params: dict[str, str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Answer:
    """Run exactly one of ``text`` (SPARQL) or ``named`` (a shipped query) with ``params``
    (``NAME → VALUE`` strings) bound as RDF terms, never pasted into the query.

    A paged named query (``# Page: reaction``) answers for the ``limit`` newest reactions from
    ``offset`` on (every reaction when ``limit`` is None); other queries take no page."""
    if (text is None) == (named is None):
        raise BadInput("give exactly one query: a file, -e TEXT or --named NAME")
    query = named_query(named) if named else None
    bindings = bind_params(store, query, params or {})
    if query is None or query.page is None:
        if limit is not None or offset:
            paged = ", ".join(q.name for q in named_queries().values() if q.page) or "none"
            raise BadInput(f"--limit/--offset page only the paged queries ({paged}); add LIMIT/OFFSET to the query instead")
        if query is None and is_update(text or ""):
            raise BadInput("this is a SPARQL update; diplo query only reads. Add data with diplo load or diplo ingest "
                           "(or POST the update to diplo serve --allow-update with its token)")
        return Answer(store.query(query.text if query else text or "", bindings))
    from rdflib import URIRef

    from graph.lookup import chosen_reactions

    chosen = chosen_reactions(store, event=bindings.get("within"))  # type: ignore[arg-type]
    shown = chosen[offset : offset + limit if limit is not None else None]
    result = store.query(query.text, bindings, values={query.page: [URIRef(iri) for iri in shown]})
    return Answer(result, len(chosen), offset, len(shown))


def result_rows(result: Result, compact: bool = False) -> list[dict[str, Any]]:
    """SELECT results as dicts of strings (literals as their lexical form). With ``compact``,
    IRIs in the ontology's namespaces are shortened to ``prefix:rest`` for reading."""
    from rdflib import URIRef

    from graph import vocab

    prefixes = sorted(((str(ns), p) for p, ns in vocab.namespaces().items()), key=lambda x: -len(x[0]))

    def show(value: Any) -> str | None:
        if value is None:
            return None
        text = str(value)
        if compact and isinstance(value, URIRef):
            for ns, prefix in prefixes:
                if text.startswith(ns):
                    return f"{prefix}:{text[len(ns):]}"
        return text

    names = [str(v) for v in result.vars or []]
    return [{name: show(value) for name, value in zip(names, row)} for row in result]


def serialize_result(result: Result, fmt: str) -> str:
    """W3C SPARQL results (JSON, CSV, TSV) for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.serialize(format="turtle").decode("utf-8")
    if result.type == "ASK":
        if fmt == "json":
            return result.serialize(format="json").decode("utf-8") + "\n"
        return ("true" if result.askAnswer else "false") + "\n"
    return result.serialize(format=fmt).decode("utf-8")
