"""Where the graph lives and how it is queried.

Today a store is an rdflib ``Dataset`` in memory, holding three kinds of named graph:
the ontology (under the ontology's IRI), the bundled graph shipped in ``graph/data/`` (one named
graph per source document, as written in its TriG), and any files the user adds with ``--data``.
Queries see the union of all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from graph import vocab
from graph.errors import BadInput
from graph.resources import shipped_files

if TYPE_CHECKING:
    from rdflib import Dataset, Graph
    from rdflib.query import Result
    from rdflib.term import Identifier, URIRef

#: rdflib parser names by file suffix.
FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".n3": "n3",
}
#: Formats whose files name their own graphs.
QUAD_FORMATS = {"trig", "nquads", "json-ld"}


def format_for(path: Path) -> str:
    """The rdflib parser for a file, from its suffix; :class:`BadInput` when unknown."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise BadInput(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})")
    return fmt


def _syntax_error(path: Path | str, error: Exception) -> BadInput:
    """One line naming the file and, when the parser tells, the line of the error."""
    line = getattr(error, "lines", None)
    why = getattr(error, "_why", None) or str(error).strip().splitlines()[0]
    where = f"{path}:{line + 1}" if isinstance(line, int) else f"{path}"
    return BadInput(f"{where}: malformed RDF: {why}")


class Store:
    """A graph of reactions with the ontology beside it, queried with SPARQL 1.1."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    @classmethod
    def empty(cls) -> Store:
        """A store holding only the ontology."""
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        onto = ds.graph(vocab.ontology_iri())
        for triple in vocab.ontology_graph():
            onto.add(triple)
        for prefix, ns in vocab.namespaces().items():
            ds.bind(prefix, ns)
        return cls(ds)

    @classmethod
    def bundled(cls, data: Iterable[str | Path] = ()) -> Store:
        """The ontology, the bundled graph, and the user's extra ``data`` files on top."""
        store = cls.empty()
        for f in shipped_files("data", ".trig"):
            store.dataset.parse(data=f.read_text(encoding="utf-8"), format="trig")
        for path in data:
            store.load_file(Path(path))
        return store

    def load_file(self, path: Path) -> None:
        """Add an RDF file. It is parsed whole before anything is added, so a malformed file
        changes nothing. Triple formats go into a named graph called by the file's URI."""
        from rdflib import Dataset

        fmt = format_for(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise BadInput(f"{path}: cannot read: {e}") from e
        staging = Dataset()
        try:
            if fmt in QUAD_FORMATS:
                staging.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
            else:
                staging.graph(path.resolve().as_uri()).parse(data=text, format=fmt)
        except Exception as e:  # rdflib raises many types for bad syntax; all mean the same here
            raise _syntax_error(path, e) from e
        for quad in staging.quads((None, None, None, None)):
            self.dataset.add(quad)

    def data_graph(self) -> Graph:
        """Every triple outside the ontology's graph, as one graph (for validation and export)."""
        from rdflib import Graph

        onto = vocab.ontology_iri()
        g = Graph()
        for prefix, ns in vocab.namespaces().items():
            g.bind(prefix, ns)
        for s, p, o, ctx in self.dataset.quads((None, None, None, None)):
            if ctx != onto:
                g.add((s, p, o))
        return g

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run SPARQL with the ontology's prefixes predeclared and values bound safely.

        ``bindings`` pre-binds variables (rdflib ``initBindings``): values are never pasted
        into the query text. A syntax error becomes :class:`BadInput` with line and column.
        """
        from pyparsing import ParseException
        from rdflib.plugins.sparql import prepareQuery

        try:
            prepared = prepareQuery(text, initNs=dict(vocab.namespaces()))
        except ParseException as e:
            raise BadInput(f"malformed SPARQL at line {e.lineno}, column {e.col}: {e.msg}") from e
        except Exception as e:  # e.g. an undeclared prefix
            raise BadInput(f"malformed SPARQL: {e}") from e
        return self.dataset.query(prepared, initBindings=dict(bindings or {}))

    def ask(self, subject: URIRef) -> bool:
        """Whether anything is said about ``subject``."""
        return (subject, None, None) in self.dataset
