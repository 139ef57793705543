"""Write the graph out: RDF serialisations, GraphML/GEXF for Gephi, or a CSV of reactions."""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from graph import vocab

if TYPE_CHECKING:
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


def reaction_network(store: Store) -> nx.MultiDiGraph:
    """Actors as nodes, one edge per reaction and target (actor → target). A reaction with no
    target becomes an edge to the event it is about."""
    import networkx as nx

    from graph.lookup import actors, positions

    g = nx.MultiDiGraph()
    for a in actors(store):
        g.add_node(a["actor"], kind=a["type"], code=a["code"] or "", iri=a["iri"])
    for p in positions(store):
        ends = p.targets or [p.event or "(no event)"]
        for end in ends:
            if end not in g:
                g.add_node(end, kind="Event", code="", iri="")
            g.add_edge(
                p.actor,
                end,
                key=f"{p.reaction}|{end}",
                reaction=p.reaction,
                stance=p.stance,
                stance_class=p.stance_class,
                polarity=p.polarity,
                when=p.when,
                speaker=p.speaker or "",
                quote=p.quote or p.evidence or "",
                source=p.source_url or p.source,
            )
    return g


def export(store: Store, fmt: str, out: BinaryIO, with_ontology: bool = False) -> None:
    """Write the store in ``fmt`` (a key of :data:`EXPORT_FORMATS`) to a binary stream."""
    if fmt in ("graphml", "gexf"):
        import networkx as nx

        write = nx.write_graphml if fmt == "graphml" else nx.write_gexf
        write(reaction_network(store), out)
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
