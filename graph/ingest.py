"""Ingesting news: extract reactions from documents and keep each source in its own named graph.

A source's IRI comes from its URL, or from its text when it has none, so ingesting the same
article twice finds the same graph: unchanged text read by the same extractor version is skipped,
a new text or a newer extractor replaces the whole graph (one transaction), and
:func:`forget` drops it. Extraction can run in several processes; writing stays in this one.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph import parse, summaries, vocab
from graph.confidence import DEFAULT_MIN_CONFIDENCE
from graph.documents import Document, Fields, Skipped, preflight, read_inputs
from graph.errors import BadInput
from graph.extract import EXTRACTOR_VERSION, Extracted, Extractor, in_chunks
from graph.model import Reaction, SourceDocument, Span, add_reaction, add_source, data_iri, slug
from graph.queries import named_query

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

    from graph.store import Store


@dataclass
class Summary:
    """What an ingest run did."""

    documents: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    reactions: int = 0
    below_confidence: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    """Inputs not read, by reason."""

    def record(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "sources_added": self.added,
            "sources_replaced": self.replaced,
            "sources_unchanged": self.unchanged,
            "reactions": self.reactions,
            "below_min_confidence": self.below_confidence,
            "skipped": sum(self.skipped.values()),
            "skipped_by_reason": dict(self.skipped),
        }


def content_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_iri(doc: Document) -> URIRef:
    """The same article — by URL, or by its exact text when it has no URL — gets the same IRI."""
    key = doc.url or content_digest(doc.text)
    return data_iri("source", hashlib.sha256(key.encode("utf-8")).hexdigest()[:20])


def source_graph(doc: Document, found: Iterable[Extracted]) -> tuple[Graph, int]:
    """The named graph of one source: the document, the extraction activity, every reaction with
    its evidence, and the officials the graph did not know (Person + Post, lower confidence); with
    the number of reactions it holds (the same statement found twice is one reaction)."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS

    dr = vocab.DR
    iri = source_iri(doc)
    g = Graph(identifier=iri)
    add_source(
        g,
        SourceDocument(iri=iri, title=doc.title or doc.name, url=doc.url, published=doc.published),
    )
    g.add((iri, dr.contentDigest, Literal(content_digest(doc.text))))
    activity = data_iri("activity", f"extractor-{EXTRACTOR_VERSION}")
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"diplograph extractor {EXTRACTOR_VERSION}")))
    g.add((activity, dr.extractorVersion, Literal(EXTRACTOR_VERSION)))
    g.add((activity, dr.sourceKind, Literal("extracted")))
    g.add((activity, PROV.used, iri))
    for r in found:
        speaker = URIRef(r.speaker_iri) if r.speaker_iri else None
        if speaker is None and r.speaker:
            # An official the graph doesn't know: named as the text names them, on behalf of the actor.
            key = f"person-{slug(r.speaker) or 'unnamed'}-{slug(r.actor)}"
            speaker = data_iri("actor", key)
            post = data_iri("post", key)
            g.add((speaker, RDF.type, dr.Person))
            g.add((speaker, SKOS.prefLabel, Literal(r.speaker)))
            g.add((speaker, ORG.holds, post))
            g.add((post, RDF.type, ORG.Post))
            g.add((post, SKOS.prefLabel, Literal(r.speaker_title or f"official of {r.actor}")))
            g.add((post, ORG.postIn, URIRef(r.actor_iri)))
        add_reaction(
            g,
            Reaction(
                source=iri,
                actor=URIRef(r.actor_iri),
                stance=URIRef(r.stance),
                evidence=Span(r.start, r.end, r.evidence),
                generated_by=activity,
                targets=tuple(URIRef(t) for t in r.target_iris),
                speaker=speaker,
                quote=r.quote,
                date=r.date,
                not_before=r.not_before,
                not_after=r.not_after,
                date_expression=r.date_expression,
                confidence=r.confidence,
                target_basis=r.aim,
            ),
        )
    # Reaction IRIs are made from their content, so repeats collapse: count what the graph holds.
    count = len(set(g.subjects(RDF.type, dr.Reaction)))
    return g, count


def stored_state(store: Store, iri: URIRef) -> tuple[str, str] | None:
    """(content digest, extractor version) of a source already in the store, or None."""
    for row in store.query(named_query("source-state").text, {"source": iri}):
        return str(row.digest), str(row.version)
    return None


# -- parallel extraction ---------------------------------------------------------------------

_worker: Extractor | None = None


def _start_worker(extractor: Extractor) -> None:
    global _worker
    _worker = extractor


def _extract_in_worker(docs: list[Document]) -> list[tuple[Document, list[Extracted]]]:
    assert _worker is not None
    return list(_worker.extract_many(docs, chunk=len(docs)))


#: Documents extracted together: their sentences are parsed in one batch (see Extractor.extract_many).
CHUNK = 16


def extracted(
    extractor: Extractor, docs: Iterable[Document], jobs: int = 1
) -> Iterator[tuple[Document, list[Extracted]]]:
    """Each document with its reactions, in input order; ``jobs`` > 1 extracts in that many
    processes (the documents stream through, so memory stays flat)."""
    if jobs <= 1:
        yield from extractor.extract_many(docs, chunk=CHUNK)
        return
    import multiprocessing

    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        # The extractor parses (graph.parse): load the model once, here, so the forked workers
        # share its pages instead of each loading a copy (scripts/bench_parse.py, jobs2-each).
        parse.pipeline()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    with context.Pool(jobs, initializer=_start_worker, initargs=(extractor,)) as pool:
        for done in pool.imap(_extract_in_worker, in_chunks(docs, CHUNK)):
            yield from done


# -- the whole run ---------------------------------------------------------------------------


def ingest(
    store: Store | None,
    inputs: Iterable[str],
    fields: Fields = Fields(),
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    jobs: int = 1,
    extractor: Extractor | None = None,
    on_document: Callable[[Document, list[Extracted]], None] | None = None,
    base: Store | None = None,
) -> Summary:
    """Extract reactions from ``inputs`` (see :func:`graph.documents.read_inputs`) and write
    each source's graph into ``store``; with ``store`` None nothing is written (a dry run) and
    ``base`` gives the graph to know actors by. Reactions less confident than ``min_confidence``
    are left out (counted in the summary). ``on_document`` sees every document with the
    reactions kept for it. A named input that can't be read raises :class:`BadInput` before
    anything is written; unreadable files in folders and rows of corpora are counted and skipped."""
    if not 0.0 <= min_confidence <= 1.0:
        raise BadInput(f"--min-confidence: {min_confidence} is not between 0 and 1")
    if jobs < 1:
        raise BadInput(f"--jobs: {jobs} must be 1 or more")
    known = store or base
    if extractor is None:
        if known is None:
            raise BadInput("ingest needs a graph to know actors by")
        extractor = Extractor.from_store(known)
    summary = Summary()
    # Every named input is checked (single articles and URLs read) before the store is touched.
    ready = preflight(inputs, fields)

    def documents() -> Iterator[Document]:
        for item in read_inputs(ready, fields):
            if isinstance(item, Skipped):
                summary.skipped[item.reason] += 1
                continue
            summary.documents += 1
            yield item

    # One recount of the store's summaries for the whole run, not one per source.
    with summaries.kept(store) if store is not None else contextlib.nullcontext():
        for doc, found in extracted(extractor, documents(), jobs):
            kept = [r for r in found if r.confidence >= min_confidence]
            summary.below_confidence += len(found) - len(kept)
            if on_document is not None:
                on_document(doc, kept)
            if store is None:
                summary.reactions += source_graph(doc, kept)[1]
                continue
            iri = source_iri(doc)
            state = stored_state(store, iri)
            if state == (content_digest(doc.text), EXTRACTOR_VERSION):
                summary.unchanged += 1
                continue
            graph, count = source_graph(doc, kept)
            store.replace_graph(iri, graph)
            summary.reactions += count
            if state is None:
                summary.added += 1
            else:
                summary.replaced += 1
    if summary.documents == 0 and summary.skipped:
        # As for imports: input with nothing usable in it is a mistake, not an empty success.
        reasons = "; ".join(f"{n} {why}" for why, n in summary.skipped.items())
        raise BadInput(f"{', '.join(str(i) for i in inputs)}: no usable document ({reasons})")
    return summary


def forget(store: Store, name: str) -> dict[str, Any]:
    """Remove one source's graph, named by its IRI, key (as ``diplo sources`` lists it) or URL."""
    if not store.persistent:
        raise BadInput("forget changes a store on disk or a server: pass --store DIR|URL (or set DIPLO_STORE)")
    from rdflib import URIRef

    from graph.model import data_iri
    from graph.paging import source_record
    from graph.queries import internal_query
    from graph.store import term_text

    # Only the sources so named are listed (listing every one took 20 s at 1M).
    named = [data_iri("source", name)]
    try:  # the name may be the source's IRI or its URL; a key or a phrase is neither
        term_text(URIRef(name))
        named.append(URIRef(name))
    except BadInput:
        pass
    found = [URIRef(iri) for (iri,) in store.rows(internal_query("lookup", "sources-named"), values={"source": named, "url": named[1:]})]
    rows = store.query(summaries.query_text(store, "sources"), values={"source": found}) if found else []
    matches = [s for s in map(source_record, rows) if name in (s["source"], s["key"], s["url"])]
    if not matches:
        raise BadInput(f"no source {name!r} in the store (see: diplo sources)")

    for s in matches:
        store.drop_graph(URIRef(s["source"]))
    return matches[0]
