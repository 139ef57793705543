"""Write the graph out: RDF serialisations, GraphML/GEXF for Gephi, or a CSV of reactions."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, BinaryIO

from graph import vocab

if TYPE_CHECKING:
    from collections.abc import Callable

    import networkx as nx

    from graph.store import Store

#: ``diplo export --format`` choices → rdflib serializer (None: not RDF).
EXPORT_FORMATS = {
    "ttl": "turtle",
    "trig": "trig",
    "nt": "nt",
    "nq": "nquads",
    "jsonld": "json-ld",
    "graphml": None,
    "gexf": None,
    "csv": None,
}


#: What XML 1.0 cannot hold at all (C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone
#: surrogates): GraphML and GEXF write these as visible ``\x1b``-style text instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    """``value`` with the characters XML 1.0 cannot carry written as escapes (see :data:`_NOT_XML`)."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", value)


def reaction_network(store: Store, text: Callable[[str], str] = str) -> nx.MultiDiGraph:
    """Actors as nodes, one edge per reaction and target (actor → target). A reaction with no
    target becomes an edge to the event it is about. Every text taken from the data passes
    through ``text`` (:func:`xml_text` for the XML formats)."""
    import networkx as nx

    from graph.lookup import actors, positions

    g = nx.MultiDiGraph()
    for a in actors(store)[0]:
        g.add_node(text(a["actor"]), kind=a["type"], code=text(a["code"] or ""), iri=text(a["iri"]))
    for p in positions(store):
        ends = [text(e) for e in p.targets or [p.event or "(no event)"]]
        for end in ends:
            if end not in g:
                g.add_node(end, kind="Event", code="", iri="")
            g.add_edge(
                text(p.actor),
                end,
                key=text(f"{p.reaction}|{end}"),
                reaction=text(p.reaction),
                stance=text(p.stance),
                stance_class=p.stance_class,
                polarity=p.polarity,
                when=p.when,
                speaker=text(p.speaker or ""),
                quote=text(p.quote or p.evidence or ""),
                source=text(p.source_url or p.source),
            )
    return g


def export(store: Store, fmt: str, out: BinaryIO, with_ontology: bool = False) -> None:
    """Write the store in ``fmt`` (a key of :data:`EXPORT_FORMATS`) to a binary stream."""
    if fmt in ("graphml", "gexf"):
        import networkx as nx

        write = nx.write_graphml if fmt == "graphml" else nx.write_gexf
        write(reaction_network(store, xml_text), out)
        return
    if fmt == "csv":
        import io

        from graph.lookup import positions
        from graph.output import write_rows

        text = io.StringIO()
        write_rows([p.record() for p in positions(store)], "csv", out=text)
        out.write(text.getvalue().encode("utf-8"))
        return
    rdf_format = EXPORT_FORMATS[fmt]
    if rdf_format in ("trig", "nquads", "json-ld"):
        from rdflib import Dataset

        ds = Dataset()
        vocab.bind_prefixes(ds)
        onto = vocab.ontology_iri()
        for s, p, o, ctx in store.quads():
            if with_ontology or ctx != onto:
                ds.add((s, p, o, ctx))
        out.write(ds.serialize(format=rdf_format, encoding="utf-8"))
        return
    graph = store.data_graph()
    if with_ontology:
        graph += vocab.ontology_graph()
    out.write(graph.serialize(format=rdf_format, encoding="utf-8"))


def export_to_stdout(store: Store, fmt: str, with_ontology: bool = False) -> None:
    """:func:`export` to standard output: the exact bytes to a file or a pipe; to a terminal, the
    text with its control characters shown as escapes (data could otherwise clear the screen or
    rewrite what the terminal shows)."""
    from graph.output import is_terminal, safe

    if not is_terminal(sys.stdout):
        export(store, fmt, sys.stdout.buffer, with_ontology)
        sys.stdout.buffer.flush()
        return
    import io

    written = io.BytesIO()
    export(store, fmt, written, with_ontology)
    sys.stdout.write(safe(written.getvalue().decode("utf-8", errors="replace")))
    sys.stdout.flush()
