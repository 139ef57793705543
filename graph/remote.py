"""A remote SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB, Oxigraph server) behind ``--store URL``.

Queries go to the query endpoint (the URL), updates to the update endpoint, whole graphs to the
Graph Store Protocol endpoint when there is one (else as INSERT DATA in chunks). Where they are
and how to log in come from environment variables — never from the command line:

- ``DIPLO_STORE_UPDATE``: the update endpoint (default: the query URL);
- ``DIPLO_STORE_GSP``: the Graph Store Protocol endpoint (default: none);
- ``DIPLO_STORE_USER`` / ``DIPLO_STORE_PASSWORD``, ``DIPLO_STORE_AUTH`` = ``basic`` or ``digest``;
- ``DIPLO_STORE_TIMEOUT``: seconds per request (default 60).

For Virtuoso: DIPLO_STORE_UPDATE=http://host:8890/sparql-auth,
DIPLO_STORE_GSP=http://host:8890/sparql-graph-crud-auth, DIPLO_STORE_AUTH=digest. Virtuoso cuts
answers at ResultSetMaxRows (10,000 by default) and says so only in an ``X-SPARQL-MaxRows``
header: a cut answer is an error here, not a silent half result.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import vocab
from graph.errors import BadInput, DiploError
from graph.limits import Limits
from graph.store import Store, _fill_values, _prebind, prepare_query, rdf_quads, term_text

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.query import Result
    from rdflib.term import Identifier, URIRef

#: Triples per INSERT DATA when there is no Graph Store Protocol endpoint.
INSERT_CHUNK = 5000


def _prologue() -> str:
    """The ontology's prefixes as PREFIX lines: remote stores don't know them."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in vocab.namespaces().items())


#: A PREFIX or BASE declaration (a prefix may be named like a query form).
_DECLARATION = re.compile(r"\b(?:PREFIX\s+[^\s:]*:|BASE\b)", re.IGNORECASE)
_FORM = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)


def _query_form(text: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the first form word of the query's structure (its
    literals, IRIs and comments set aside)."""
    from graph.sparql import _structure

    found = _FORM.search(_DECLARATION.sub(" ", _structure(text)))
    return found.group(1).upper() if found else "SELECT"


def _result(data: dict[str, Any]) -> Result:
    """rdflib's Result of a SPARQL JSON answer, each distinct term built once: rdflib's own
    parser builds a term per value, most of the time of a big answer (the 21,700 rows of
    reaction-keys on the real store took 2.2× the server's answer read as plain strings, now 1.3×)."""
    from rdflib.query import Result
    from rdflib.term import BNode, Literal, URIRef, Variable

    def parse(value: dict[str, str]) -> Identifier:
        # Not rdflib's parseJsonTerm: importing it loads rdflib's SPARQL parser (65 ms a process).
        if value["type"] == "uri":
            return URIRef(value["value"])
        if value["type"] == "bnode":
            return BNode(value["value"])
        return Literal(value["value"], datatype=value.get("datatype"), lang=value.get("xml:lang"))

    if "boolean" in data:
        result = Result("ASK")
        result.askAnswer = bool(data["boolean"])
        return result
    names = {name: Variable(name) for name in data.get("head", {}).get("vars", [])}
    seen: dict[tuple[str | None, ...], Identifier] = {}
    rows = []
    for row in data["results"]["bindings"]:
        out = {}
        for name, value in row.items():
            key = (value.get("type"), value.get("value"), value.get("datatype"), value.get("xml:lang"))
            term = seen.get(key)
            if term is None:
                term = seen[key] = parse(value)
            out[names.get(name) or Variable(name)] = term
        rows.append(out)
    result = Result("SELECT")
    result.bindings = rows
    result.vars = list(names.values())
    return result


#: A VALUES block that matches anything (every value UNDEF), left out of what is sent: Virtuoso
#: joined one with a variable a subquery binds by dropping the variable from every row.
_ANYTHING = re.compile(r"VALUES\s*(?:\?\w+\s*\{\s*UNDEF\s*\}|\((?:\s*\?\w+)+\s*\)\s*\{\s*\((?:\s*UNDEF)+\s*\)\s*\})")


class Truncated(DiploError):
    """The server answered only part of the results."""


class RemoteStore(Store):
    """The :class:`Store` interface over HTTP."""

    #: Reaction IRIs per VALUES block: keeps each request well under servers' query-size limits.
    values_batch = 300
    #: Lookup pages are ordered and cut by the server (graph.lookup._server_page): every row read
    #: here crosses HTTP, so reading all of an actor's keys to show 50 costs more than the query.
    pages_on_server = True

    def __init__(self, url: str, env: Mapping[str, str] | None = None, transport: Any = None) -> None:
        import httpx

        env = os.environ if env is None else env
        self.url = url
        self.update_url = env.get("DIPLO_STORE_UPDATE") or url
        self.gsp_url = env.get("DIPLO_STORE_GSP") or None
        user, password = env.get("DIPLO_STORE_USER"), env.get("DIPLO_STORE_PASSWORD")
        auth: Any = None
        if user:
            kind = (env.get("DIPLO_STORE_AUTH") or "basic").lower()
            if kind not in ("basic", "digest"):
                raise BadInput(f"DIPLO_STORE_AUTH: {kind!r} is not basic or digest")
            auth = httpx.DigestAuth(user, password or "") if kind == "digest" else httpx.BasicAuth(user, password or "")
        try:
            timeout = float(env.get("DIPLO_STORE_TIMEOUT") or 60)
        except ValueError:
            raise BadInput("DIPLO_STORE_TIMEOUT: not a number of seconds") from None
        self.http = httpx.Client(auth=auth, timeout=timeout, transport=transport, follow_redirects=True)
        self.path = None
        self._ox = None
        self.dataset = None  # type: ignore[assignment]
        self.limits = Limits.from_environment()

    # -- HTTP --------------------------------------------------------------------------------
    def _request(self, method: str, url: str, **kw: Any) -> Any:
        import httpx

        try:
            response = self.http.request(method, url, **kw)
        except httpx.TimeoutException as e:
            raise BadInput(f"{url}: no answer within {self.http.timeout.read:g} s") from e
        except httpx.HTTPError as e:
            raise BadInput(f"{url}: cannot reach the store ({e})") from e
        if response.status_code >= 400:
            raise BadInput(f"{url}: the store answered {response.status_code}: {response.text.strip()[:300]}")
        return response

    def _post_query(self, text: str, bindings: Mapping[str, Identifier], accept: str) -> Any:
        """The server's answer to ``text`` with the parameters pre-bound and the ontology's
        prefixes declared; :class:`Truncated` when the server cut it."""
        body = _prologue() + _ANYTHING.sub("", _prebind(text, bindings))
        response = self._request("POST", self.url, data={"query": body}, headers={"Accept": accept})
        limit = response.headers.get("x-sparql-maxrows")
        if limit:
            raise Truncated(f"{self.url}: the server cut the answer at {limit} rows (Virtuoso's ResultSetMaxRows); raise it")
        return response

    def _answer(self, text: str, bindings: Mapping[str, Identifier]) -> Result:
        """Run SPARQL remotely, parameters pre-bound in the text (as rdflib's N-Triples form of
        each value) and the ontology's prefixes declared."""
        from rdflib.query import Result

        graph = _query_form(text) in ("CONSTRUCT", "DESCRIBE")
        try:
            response = self._post_query(text, bindings, "text/turtle" if graph else "application/sparql-results+json")
        except Truncated:
            raise
        except BadInput:
            # A syntax error is ours to report, with its position; rdflib parses the query only
            # then (parsing every query took longer than Virtuoso took to answer most of them).
            prepare_query(text)
            raise
        if graph:
            from rdflib import Graph

            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=response.text, format="turtle")
            return result
        result = _result(json.loads(response.content))
        if result.type == "SELECT" and len(result.bindings) > self.limits.rows:
            raise self.limits.too_many_rows()
        return result

    def rows(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        values: Mapping[str, Iterable[Identifier]] | None = None,
    ) -> list[tuple[str | None, ...]]:
        """As :meth:`Store.rows`: the SPARQL JSON answer read straight into tuples of values
        (rdflib's parser built terms and rows for each: most of a big lookup's time)."""
        for name, terms in (values or {}).items():
            text = _fill_values(text, name, terms)
        answer = json.loads(self._post_query(text, bindings or {}, "application/sparql-results+json").content)
        names = answer["head"]["vars"]
        found = [tuple(b[n]["value"] if n in b else None for n in names) for b in answer["results"]["bindings"]]
        if len(found) > self.limits.rows:
            raise self.limits.too_many_rows()
        return found

    def update(self, text: str) -> None:
        self._request("POST", self.update_url, data={"update": _prologue() + text})

    # -- graphs ------------------------------------------------------------------------------
    def replace_graph(self, name: URIRef, triples: Graph) -> None:
        self._put_graph(str(name), triples.serialize(format="nt"))

    def _put_graph(self, name: str, ntriples: str) -> None:
        """Make graph ``name`` hold exactly these N-Triples."""
        from rdflib import URIRef

        if self.gsp_url:
            self._request("PUT", self.gsp_url, params={"graph": name}, content=ntriples.encode("utf-8"),
                          headers={"Content-Type": "application/n-triples"})
            return
        g = URIRef(name).n3()
        lines = [line for line in ntriples.splitlines() if line.strip()]
        self.update(f"DROP SILENT GRAPH {g}")
        for i in range(0, len(lines), INSERT_CHUNK):
            self.update(f"INSERT DATA {{ GRAPH {g} {{\n" + "\n".join(lines[i : i + INSERT_CHUNK]) + "\n}}")

    def drop_graph(self, name: URIRef) -> None:
        self.update(f"DROP SILENT GRAPH {name.n3()}")

    def load_graph(self, name: str, parts: list[Path]) -> None:
        import pyoxigraph

        text = io.StringIO()
        for part in parts:
            for quad in pyoxigraph.parse(path=str(part), format=pyoxigraph.RdfFormat.N_QUADS):
                text.write(f"{quad.subject} {quad.predicate} {quad.object} .\n")
        self._put_graph(name, text.getvalue())

    def bulk_load(
        self, path: Path, replace: bool = False, compact: bool = True, step: Callable[[str], None] | None = None
    ) -> dict[str, object]:
        """Load an RDF file graph by graph (Graph Store Protocol when configured); the server
        manages its own files, so ``compact`` changes nothing here. ``step`` as in
        :meth:`Store.bulk_load`."""
        import pyoxigraph

        say = step or (lambda _: None)
        say("checking")
        quads, _, has_graphs, target = rdf_quads(path)
        graphs: dict[str, io.StringIO] = {}
        count = 0
        for quad in quads:
            name = quad.graph_name.value if has_graphs and isinstance(quad.graph_name, pyoxigraph.NamedNode) else target
            graphs.setdefault(name, io.StringIO()).write(f"{quad.subject} {quad.predicate} {quad.object} .\n")
            count += 1
        existing = [g for g in graphs if self._has_graph(g)]
        if existing and not replace:
            raise BadInput(f"{path}: the store already has graph <{existing[0]}>; use --replace to replace it")
        say("loading")
        for name, text in graphs.items():
            self._put_graph(name, text.getvalue())
        return {"file": str(path), "quads": count, "graphs": len(graphs), "replaced": len(existing)}

    def _has_graph(self, name: str) -> bool:
        from rdflib import URIRef

        return bool(self.query(f"ASK {{ GRAPH {URIRef(name).n3()} {{ ?s ?p ?o }} }}").askAnswer)

    def quads(self) -> Iterator[tuple[Identifier, Identifier, Identifier, Identifier | None]]:
        for row in self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield row.s, row.p, row.o, row.g

    def ask(self, subject: URIRef) -> bool:
        return bool(self.query(f"ASK {{ {subject.n3()} ?p ?o }}").askAnswer)

    @property
    def persistent(self) -> bool:
        return True

    def close(self) -> None:
        self.http.close()

    def load_file(self, path: Path) -> None:
        raise BadInput("--data adds files to the in-memory graph; load them into the remote store with diplo load")


def initialise(store: RemoteStore) -> None:
    """Put the ontology and the bundled graph into a remote store (what `diplo init URL` does)."""
    from collections import defaultdict

    memory = Store.bundled()
    graphs: dict[str, list[str]] = defaultdict(list)
    for s, p, o, ctx in memory.quads():
        graphs[str(ctx)].append(f"{term_text(s)} {term_text(p)} {term_text(o)} .")
    for name, lines in graphs.items():
        store._put_graph(name, "\n".join(lines) + "\n")
