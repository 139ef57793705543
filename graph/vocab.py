"""The project vocabulary, read from the shipped ontology (``ontology/*.ttl``).

The Turtle files are the single source of truth: namespaces, stance concepts, their labels and
polarity are read from them here, never repeated in Python. Everything is loaded on first use
and cached, so importing this module costs nothing.

Namespaces are module attributes named after the upper-cased prefix the ontology declares
(``vocab.DR``, ``vocab.ST``, ``vocab.ORG`` …), resolved lazily through :func:`namespaces`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from graph.resources import shipped, shipped_files

if TYPE_CHECKING:
    from rdflib import Graph, Namespace, URIRef

#: The ontology files that describe the model (SHACL shapes are loaded separately).
MODEL_FILES = ("dr.ttl", "stances.ttl")
SHAPES_FILE = "shapes.ttl"


@cache
def ontology_graph() -> Graph:
    """The classes, properties and stance scheme, parsed once from the shipped Turtle."""
    from rdflib import Graph

    g = Graph(bind_namespaces="none")  # only the prefixes the files declare
    for name in MODEL_FILES:
        g.parse(data=shipped("ontology", name).read_text(encoding="utf-8"), format="turtle")
    return g


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes that data must satisfy."""
    from rdflib import Graph

    return Graph().parse(
        data=shipped("ontology", SHAPES_FILE).read_text(encoding="utf-8"), format="turtle"
    )


@cache
def source_kinds() -> tuple[str, ...]:
    """The kinds of producer an activity may be (``dr:sourceKind``: curated, extracted, gdelt …),
    in the order ``shapes.ttl`` lists them."""
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    g = shapes_graph()
    dr = namespaces()["dr"]
    for prop in g.subjects(SH.path, dr.sourceKind):
        listed = g.value(prop, SH["in"])
        if listed is not None:
            return tuple(str(v) for v in Collection(g, listed))
    raise LookupError("shapes.ttl lists no values for dr:sourceKind (sh:in)")


def ontology_files() -> list[str]:
    """Names of every shipped ontology file."""
    return [f.name for f in shipped_files("ontology", ".ttl")]


@cache
def namespaces() -> dict[str, Namespace]:
    """Prefix → namespace, as declared in the ontology files."""
    from rdflib import Namespace

    return {prefix: Namespace(str(uri)) for prefix, uri in ontology_graph().namespaces() if prefix}


def bind_prefixes(g: Graph) -> None:
    """Give a graph or dataset the ontology's prefixes, so what it writes reads like the files."""
    for prefix, ns in namespaces().items():
        g.bind(prefix, ns)


@cache
def ontology_iri() -> URIRef:
    """The IRI of the ``owl:Ontology`` in ``dr.ttl``; the ontology's named graph is called by it."""
    from rdflib.namespace import OWL, RDF

    g = ontology_graph()
    dr = namespaces()["dr"]
    for subject in g.subjects(RDF.type, OWL.Ontology):
        if str(dr).startswith(str(subject)):
            return subject  # type: ignore[return-value]
    raise LookupError("ontology/dr.ttl declares no owl:Ontology for the dr: namespace")


def __getattr__(name: str) -> Namespace:
    # Lazy module attributes: vocab.DR, vocab.ST, … come from the ontology's own prefixes.
    if name.isupper():
        found = namespaces().get(name.lower())
        if found is not None:
            return found
    raise AttributeError(f"module 'graph.vocab' has no attribute {name!r}")


@dataclass(frozen=True)
class Stance:
    """One concept of the stance scheme."""

    iri: URIRef
    notation: str
    label: str
    coarse: str
    """The notation of its coarse class (``APPEAL`` …); a coarse concept names itself."""
    polarity: int


@cache
def stances() -> dict[URIRef, Stance]:
    """Every stance concept of the scheme, keyed by IRI, read from ``stances.ttl``."""
    from rdflib.namespace import SKOS

    g = ontology_graph()
    dr, st = namespaces()["dr"], namespaces()["st"]
    scheme = st.scheme
    coarse = {c: str(g.value(c, SKOS.notation)) for c in g.subjects(SKOS.topConceptOf, scheme)}
    found: dict[URIRef, Stance] = {}
    for concept in set(coarse) | set(g.subjects(SKOS.inScheme, scheme)):
        top = concept
        while top not in coarse:
            parent = g.value(top, SKOS.broader)
            if parent is None:
                raise LookupError(f"stance concept {concept} has no coarse class above it")
            top = parent
        found[concept] = Stance(
            iri=concept,
            notation=str(g.value(concept, SKOS.notation)),
            label=str(g.value(concept, SKOS.prefLabel)),
            coarse=coarse[top],
            polarity=int(g.value(concept, dr.polarity) or 0),
        )
    return found


def coarse_classes() -> list[str]:
    """The notations of the coarse stance classes, in the scheme's order of polarity then name."""
    return sorted({s.coarse for s in stances().values()})


def stance_by_name(name: str) -> Stance | None:
    """A stance concept by notation (``APPEAL``, ``call-for-restraint``) or label, any case."""
    key = name.strip().casefold().replace("_", "-")
    for s in stances().values():
        if key in (s.notation.casefold(), s.label.casefold(), s.label.casefold().replace(" ", "-")):
            return s
    return None


def label_of(g: Graph, term: URIRef) -> str | None:
    """The English preferred label (or rdfs:label) the ontology gives a term."""
    from rdflib.namespace import RDFS, SKOS

    for prop in (SKOS.prefLabel, RDFS.label):
        value = g.value(term, prop)
        if value is not None:
            return str(value)
    return None
