"""Reactions and their sources as Python records, and how they are written as RDF.

Curation (``scripts/build_seed_graph.py``) and extraction both build these records and call
:func:`add_source` and :func:`add_reaction`, so every producer writes the same shape: the
n-ary ``dr:Reaction`` node, its evidence span as a Web Annotation selector, and its provenance.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from graph import vocab

if TYPE_CHECKING:
    from rdflib import Graph, URIRef


#: What a kind of data IRI may be called ("actor", "reaction", "casualty-report").
_KIND = re.compile(r"[a-z][a-z-]*")
#: Longest key (once encoded) an IRI spells out; a longer one is hashed.
MAX_KEY = 120


def data_iri(kind: str, key: str) -> URIRef:
    """An IRI in the project's data namespace (``dg:``): ``<kind>/<key>``.

    The one place data IRIs are made, so ``key`` may be any text, even hostile input (an event
    id, an actor's name): it is percent-encoded as UTF-8, keeping only letters, digits and
    ``-._`` (so no key can close the IRI, add a path segment or a fragment, or hold a space or a
    control character), and a key longer than :data:`MAX_KEY` once encoded becomes ``~`` and its
    SHA-256 (no encoded key holds a ``~``, so the two forms never meet). Slugs and hex digests
    come out unchanged."""
    from urllib.parse import quote

    if not _KIND.fullmatch(kind):
        raise ValueError(f"not a data IRI kind: {kind!r}")
    encoded = quote(key, safe="-._", errors="surrogatepass")
    if len(encoded) > MAX_KEY:
        encoded = "~" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return vocab.DG[f"{kind}/{encoded}"]


def date_value(term: Any) -> date | None:
    """The day an ``xsd:date`` literal holds; None for an unbound or non-date term."""
    if term is None:
        return None
    value = term.toPython()
    return value if isinstance(value, date) else None


def slug(text: str) -> str:
    """``"Côte d'Ivoire"`` → ``"cote-d-ivoire"``: the IRI segment for a name (ASCII, lower case)."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def digest(*parts: object) -> str:
    """A short stable hash of the parts, for deterministic IRIs."""
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Span:
    """Characters ``start``–``end`` (end exclusive) of a source's text, and the text itself."""

    start: int
    end: int
    exact: str


@dataclass(frozen=True)
class SourceDocument:
    """A document reactions were taken from; its IRI also names its graph."""

    iri: URIRef
    title: str
    url: str | None = None
    publisher: URIRef | None = None
    published: date | None = None


#: The extractor's defaults when the text names no one (graph.extract ``_default_targets``), as
#: target bases (dr:targetBasis): the conflict's parties, the party other than the actor, and the
#: state an article is about.
THE_PARTIES, THE_OTHER_PARTY, THE_ARTICLES_STATE = "the parties", "the other party", "the article's state"
#: Target bases of targets the text did not name. Views and tables mark such reactions as assumed.
ASSUMED_TARGETS = frozenset({THE_PARTIES, THE_OTHER_PARTY, THE_ARTICLES_STATE})


@dataclass(frozen=True)
class Reaction:
    """One speech act: ``actor`` took ``stance`` toward ``targets`` about ``about``."""

    source: URIRef
    actor: URIRef
    stance: URIRef
    evidence: Span
    generated_by: URIRef
    targets: Sequence[URIRef] = field(default_factory=tuple)
    speaker: URIRef | None = None
    about: URIRef | None = None
    quote: str | None = None
    channel: URIRef | None = None
    channel_outlet: URIRef | None = None
    date: date | None = None
    not_before: date | None = None
    not_after: date | None = None
    date_expression: str | None = None
    confidence: float = 1.0
    target_basis: str | None = None
    """How an extractor found the targets (:attr:`graph.extract.Extracted.aim`); None when curated."""

    @property
    def iri(self) -> URIRef:
        """Deterministic: the same source, actor, stance, targets and span give the same IRI,
        so adding a reaction twice adds nothing."""
        key = digest(
            self.source,
            self.actor,
            self.stance,
            *sorted(str(t) for t in self.targets),
            self.evidence.start,
            self.evidence.end,
        )
        return data_iri("reaction", key)


def add_source(g: Graph, doc: SourceDocument) -> None:
    """Describe a source document."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF, XSD

    dr, schema = vocab.DR, vocab.SCHEMA
    g.add((doc.iri, RDF.type, dr.SourceDocument))
    g.add((doc.iri, DCTERMS.title, Literal(doc.title)))
    if doc.url:
        g.add((doc.iri, schema.url, URIRef(doc.url)))
    if doc.publisher is not None:
        g.add((doc.iri, schema.publisher, doc.publisher))
    if doc.published is not None:
        g.add((doc.iri, schema.datePublished, Literal(doc.published, datatype=XSD.date)))


def add_evidence(g: Graph, node: URIRef, source: URIRef, span: Span) -> URIRef:
    """Attach the evidence span a statement about ``node`` was read from; returns its IRI."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF

    dr, oa = vocab.DR, vocab.OA
    evidence = URIRef(f"{node}#evidence")
    position = URIRef(f"{node}#position")
    quote = URIRef(f"{node}#text")
    g.add((node, dr.evidence, evidence))
    g.add((evidence, RDF.type, dr.Evidence))
    g.add((evidence, oa.hasSource, source))
    g.add((evidence, oa.hasSelector, position))
    g.add((evidence, oa.hasSelector, quote))
    g.add((position, RDF.type, oa.TextPositionSelector))
    g.add((position, oa.start, Literal(span.start)))
    g.add((position, oa.end, Literal(span.end)))
    g.add((quote, RDF.type, oa.TextQuoteSelector))
    g.add((quote, oa.exact, Literal(span.exact)))
    return evidence


def add_reaction(g: Graph, r: Reaction) -> URIRef:
    """Write one reaction with its evidence and provenance; returns its IRI."""
    from rdflib import Literal
    from rdflib.namespace import PROV, RDF, XSD

    dr = vocab.DR
    node = r.iri
    g.add((node, RDF.type, dr.Reaction))
    g.add((node, dr.actor, r.actor))
    g.add((node, dr.stance, r.stance))
    for target in r.targets:
        g.add((node, dr.target, target))
    optional = {
        dr.speaker: r.speaker,
        dr.about: r.about,
        dr.channel: r.channel,
        dr.channelOutlet: r.channel_outlet,
        dr.quote: Literal(r.quote) if r.quote else None,
        dr.dateExpression: Literal(r.date_expression) if r.date_expression else None,
        dr.targetBasis: Literal(r.target_basis) if r.target_basis else None,
    }
    for day, prop in ((r.date, dr.date), (r.not_before, dr.notBefore), (r.not_after, dr.notAfter)):
        if day is not None:
            optional[prop] = Literal(day, datatype=XSD.date)
    for prop, value in optional.items():
        if value is not None:
            g.add((node, prop, value))
    g.add((node, dr.confidence, Literal(f"{r.confidence:.2f}", datatype=XSD.decimal)))
    g.add((node, PROV.wasDerivedFrom, r.source))
    g.add((node, PROV.wasGeneratedBy, r.generated_by))
    add_evidence(g, node, r.source, r.evidence)
    return node
