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


def _parsed(text: str) -> Any:
    """rdflib's parse tree of a query (the query part, prefixes unresolved), or None when rdflib
    cannot parse it (Oxigraph, which runs it, may still: it says itself what is wrong)."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)[1]
    except Exception:  # noqa: BLE001 - any parse failure means "don't know" here
        return None


def _parsed_update(text: str) -> Any:
    """rdflib's parse tree of an update's operations, or None when rdflib cannot parse it."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        return parseUpdate(text).get("request")
    except Exception:  # noqa: BLE001 - any parse failure means "don't know" here
        return None


def _structure(text: str) -> str:
    """The query text with its literals, IRIs and comments blanked: only SPARQL structure left."""
    from graph.store import _OPAQUE

    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)


def _fetching(node: Any) -> str | None:
    """The first part of a parse tree that makes the engine fetch a URL: ``SERVICE`` (a
    federated pattern) or ``LOAD`` (an update reading a document), else None."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return "SERVICE"
        if node.name == "Load":
            return "LOAD"
        return next((found for v in node.values() if (found := _fetching(v))), None)
    if isinstance(node, (list, tuple)):
        return next((found for v in node if (found := _fetching(v))), None)
    return None


#: The keywords that fetch, looked for in a query's structure when rdflib cannot parse it.
_FETCH_WORD = re.compile(r"(?<![?$\w:])(SERVICE|LOAD)\b", re.IGNORECASE)


def refuse_service(text: str, how_to_allow: str = "pass --allow-service to allow it") -> None:
    """:class:`BadInput` when a query or update would make this process fetch a URL: a SERVICE
    clause (a federated query) or, in an update, LOAD. When rdflib cannot parse the text, either
    keyword in its structure counts (a false alarm costs a clear message only)."""
    match = _FETCH_WORD.search(_structure(text))
    if match is None:  # neither keyword outside literals, IRIs and comments: nothing to parse
        return
    # rdflib's parser is slow on big updates (seconds for a megabyte): only asked when needed.
    tree = _parsed_update(text) if is_update(text) else _parsed(text)
    found = _fetching(tree) if tree is not None else match.group(1).upper()
    if found == "SERVICE":
        raise BadInput(f"SERVICE (a federated query, which fetches from another server) is off: {how_to_allow}")
    if found == "LOAD":
        raise BadInput(f"LOAD (an update that fetches a document from a URL) is off: {how_to_allow}")


def with_limit(text: str, cap: int) -> str:
    """The query with its solutions limited to ``cap`` (a LIMIT added, or a larger one lowered),
    so that the engine stops there instead of the reader cutting a full answer. ASK queries,
    queries ending in a VALUES clause and queries rdflib cannot parse are given back unchanged
    (the answer is still cut as it is read)."""
    import re

    tree = _parsed(text)
    if tree is None or tree.name not in ("SelectQuery", "ConstructQuery", "DescribeQuery"):
        return text
    if dict(tree).get("valuesClause") is not None:
        return text
    limits = dict(tree).get("limitoffset")
    given = dict(limits).get("limit") if limits is not None else None
    if given is None:
        return f"{text}\nLIMIT {cap}\n"
    if int(given) <= cap:
        return text
    # The query's own LIMIT is the last in its text (a subquery's come before, in its braces).
    last = None
    for last in re.finditer(r"\bLIMIT(\s+)(\d+)", _structure(text), re.IGNORECASE):
        pass
    if last is None:
        return text
    return f"{text[: last.start(2)]}{cap}{text[last.end(2):]}"


@dataclass
class Answer:
    """A query's result and, for a paged query, which of its keys (reactions, sources, actors, days, pairs) it covers."""

    result: Result
    total: int | None = None
    """How many keys the paged query covers in all (None: not paged, or every key asked for)."""
    offset: int = 0
    shown: int = 0
    noun: str = "reaction"
    """What the page counts: the query's paged key (reaction, source, actor, day, pair)."""

    @property
    def more(self) -> int:
        """How many keys come after this page."""
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


#: The key a page past the end is filled with: an IRI no store holds.
NO_KEY = "urn:diplograph:no-such-key"


def run_query(
    store: Store,
    text: str | None = None,
    named: str | None = None,
    params: dict[str, str] | None = None,
    limit: int | None = None,
    offset: int = 0,
    allow_service: bool = False,
) -> Answer:
    """Run exactly one of ``text`` (SPARQL) or ``named`` (a shipped query) with ``params``
    (``NAME → VALUE`` strings) bound as RDF terms, never pasted into the query. A SERVICE
    clause is refused unless ``allow_service`` (see :func:`refuse_service`).

    A paged named query (``# Page: VAR``) answers for the ``limit`` keys of its page from
    ``offset`` on, in its page order (:mod:`graph.paging`), with the total; ``limit`` None runs it
    as it stands, for every key. Other queries take no page."""
    if (text is None) == (named is None):
        raise BadInput("give exactly one query: a file, -e TEXT or --named NAME")
    query = named_query(named) if named else None
    if not allow_service and query is None:
        # Only the user's text is checked: a shipped query has no SERVICE (test_queries checks
        # it), and rdflib's parse of it cost more than Virtuoso took to answer most of them.
        refuse_service(text or "")
    bindings = bind_params(store, query, params or {})
    if query is None or query.page is None:
        if limit is not None or offset:
            paged = ", ".join(q.name for q in named_queries().values() if q.page) or "none"
            raise BadInput(f"--limit/--offset page only the paged queries ({paged}); add LIMIT/OFFSET to the query instead")
        if query is None and is_update(text or ""):
            raise BadInput("this is a SPARQL update; diplo query only reads. Add data with diplo load or diplo ingest "
                           "(or POST the update to diplo serve --allow-update with its token)")
    if query is None:
        return Answer(store.query(text or "", bindings))
    from graph.summaries import query_text

    shipped = query_text(store, query.name, bindings, page=query.page is not None and limit is not None)
    if query.page is None or limit is None:
        return Answer(store.query(shipped, bindings))
    from rdflib import URIRef
    from rdflib.term import Identifier

    from graph.paging import page_keys
    from graph.queries import page_variables

    shown, total = page_keys(store, query, bindings, limit, offset)
    # A page past the end is asked for a key that names nothing: with no key the block becomes
    # a false FILTER, and Virtuoso planned the query for every key (and refused it).
    variables = page_variables(query.page)
    if isinstance(variables, str):
        keys: dict[Any, list[Any]] = {variables: [key if isinstance(key, Identifier) else URIRef(key) for key in shown] or [URIRef(NO_KEY)]}
    else:  # a key of several terms (a pair of who sided with whom, a stance class and a name)
        from graph.paging import keyed_values

        keys = keyed_values(query.page, shipped, bindings, list(shown) or [tuple(URIRef(NO_KEY) for _ in variables)])
    if query.page_text is not None and query.page_text != query.text:  # read "via" another query: the keys say it all
        result = store.query(query.page_text, values=keys)
    else:  # the query itself, or its version reading the summaries, which pages alike
        result = store.query(shipped, bindings, values=keys)
    return Answer(result, total, offset, len(shown), query.page)


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
    """W3C SPARQL results (JSON, XML, CSV, TSV) for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE.
    An ASK answer as CSV or TSV (which the W3C formats don't define) is the line true or false."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.serialize(format="turtle").decode("utf-8")
    if result.type == "ASK":
        if fmt in ("json", "xml"):
            return result.serialize(format=fmt).decode("utf-8") + "\n"
        return ("true" if result.askAnswer else "false") + "\n"
    if fmt == "tsv":
        return _tsv(result)
    return result.serialize(format=fmt).decode("utf-8")


def _tsv(result: Result) -> str:
    """SELECT results as W3C SPARQL TSV (rdflib writes none): a header of ?names, then each
    row's terms in their SPARQL form (tabs and line breaks inside escaped), unbound empty."""
    from graph.store import term_text

    names = [str(v) for v in result.vars or []]
    lines = ["\t".join(f"?{name}" for name in names)]
    for row in result:
        lines.append("\t".join("" if value is None else term_text(value) for value in row))
    return "\n".join(lines) + "\n"
