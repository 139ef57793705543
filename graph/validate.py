"""SHACL validation of the data against ``ontology/shapes.ttl``, a batch of nodes at a time.

The shapes are read with the ontology beside the data and RDFS entailment, so a ``dr:State``
counts as a ``dr:Actor`` where a shape asks for one, and the object of ``dr:actor`` is an actor.

Read whole into one in-memory graph, a store of 100k reactions took 14 minutes and 5.4 GB to
validate (most of it in the general RDFS reasoner), and a million reactions would not fit. So the
data is validated in batches. A batch takes the subjects of the next run of triples and reads,
for them and for the nodes they point to through a shape's path, each distinct triple the shapes
(or entailment) can look at, in every graph; adds the types the ontology's domains, ranges,
subclasses and subproperties entail (and those a node gets by being the value of a ranged
predicate elsewhere); and keeps only the results about its own subjects. Every shape here looks
at a node, its values and its values' types and properties; one that looked further (a value's
value's class), at incoming triples or at every predicate (``sh:closed``) would need more, and
:class:`_Reach` refuses such shapes. The store's summaries (counts derived from the data) are not
validated.

A node stated in many graphs is read once per batch it is in, as distinct triples: the activity
that extracted every source "used" each of them, and reading all its quads made one batch of a
million-reaction store take minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph import summaries, vocab
from graph.errors import DiploError
from graph.queries import internal_query

if TYPE_CHECKING:
    from pathlib import Path

    from rdflib import Graph
    from rdflib.term import Identifier

    from graph.store import Store

Triple = tuple["Identifier", "Identifier", "Identifier"]

#: Triples streamed before a batch is validated: it bounds the memory of validation.
BATCH_TRIPLES = 50_000


@dataclass
class Violation:
    """One SHACL result."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str


@dataclass
class Report:
    """The outcome of a validation; ``complete`` is False when it stopped at its deadline,
    after ``checked`` of the ``total`` data triples."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    results_graph: Graph | None = None
    checked: int = 0
    total: int = 0
    complete: bool = True


def _short(term: object) -> str | None:
    if term is None:
        return None
    text = str(term)
    for prefix, ns in vocab.namespaces().items():
        if text.startswith(str(ns)) and prefix != "":
            return f"{prefix}:{text[len(str(ns)):]}"
    return text


class _Data:
    """The data triples (every graph but the ontology's and the summaries) with the files given
    on top: streamed for the nodes they are about, and read by node, each distinct triple once,
    through the predicates validation can look at."""

    #: Nodes per query reading them.
    CHUNK = 2_000

    def __init__(self, store: Store, extra: Graph) -> None:
        from rdflib import URIRef

        self.store = store
        self.extra = extra
        self._ox = getattr(store, "_ox", None)
        skipped = {URIRef(str(vocab.ontology_iri())), URIRef(summaries.graph_iri())}
        if self._ox is None:
            # In memory or remote: the data is read whole once (it is small, or must be fetched).
            from rdflib import Graph

            self._whole: Graph | None = Graph()
            for s, p, o, ctx in store.quads():
                if getattr(ctx, "identifier", ctx) not in skipped:
                    self._whole.add((s, p, o))
            self.total = len(self._whole) + len(extra)
        else:
            import pyoxigraph

            self._whole = None
            self._skipped = {pyoxigraph.NamedNode(str(g)) for g in skipped}
            size = internal_query("validate", "graph-size")
            apart = sum(int(n or 0) for g in skipped for (n,) in store.rows(size, {"graph": g}))
            self.total = len(self._ox) - apart + len(extra)

    def subjects(self) -> Iterator[Identifier]:
        """The subject of every data triple, in store order (repeated as the triples are)."""
        if self._whole is not None:
            for s, _p, _o in self._whole:
                yield s
        else:
            from graph.store import _from_oxigraph

            convert = _from_oxigraph()
            for n, q in enumerate(self._ox.quads_for_pattern(None, None, None, None)):
                if q.graph_name not in self._skipped:
                    yield convert(q.subject)
                if n % 100_000 == 99_999:
                    convert = _from_oxigraph()  # its memory of terms would grow with the store
        for s, _p, _o in self.extra:
            yield s

    def about(self, nodes: set[Identifier], predicates: set[Identifier]) -> Iterator[Triple]:
        """The distinct triples whose subject is one of ``nodes`` and predicate one of ``predicates``."""
        rest = yield from self._by_query("about", nodes, predicates)
        for node in rest:
            for t in self._pattern(node, None, None):
                if t[1] in predicates:
                    yield t
        for node in nodes:
            yield from (t for t in self.extra.triples((node, None, None)) if t[1] in predicates)

    def valued_by(self, nodes: set[Identifier], predicates: set[Identifier]) -> Iterator[tuple[Identifier, Identifier]]:
        """(node, predicate) for each of ``nodes`` that some triple has as its value through one
        of ``predicates``."""
        if not predicates:
            return
        rest = yield from self._by_query("incoming", nodes, predicates)
        for node in rest:
            for predicate in predicates:
                if next(self._pattern(None, predicate, node), None) is not None:
                    yield node, predicate
        for node in nodes:
            for predicate in predicates:
                if next(self.extra.triples((None, predicate, node)), None) is not None:
                    yield node, predicate

    def _by_query(self, name: str, nodes: set[Identifier], predicates: set[Identifier]) -> Generator[tuple[Identifier, ...], None, list[Identifier]]:
        """The rows of ``queries/validate/<name>.rq`` for ``nodes`` and ``predicates``, as rdflib
        terms, on Oxigraph; returns the nodes left to read by pattern (all of them elsewhere, and
        blank nodes, which a VALUES block cannot hold)."""
        from rdflib import URIRef

        if self._ox is None:
            return list(nodes)
        from graph.store import _fill_values, _from_oxigraph

        convert = _from_oxigraph()
        named = [n for n in nodes if isinstance(n, URIRef)]
        text = _fill_values(internal_query("validate", name), "predicate", predicates)
        for part in range(0, len(named), self.CHUNK):
            for row in self.store._run_oxigraph(_fill_values(text, "node", named[part : part + self.CHUNK])):
                yield tuple(convert(term) for term in row)
        return [n for n in nodes if not isinstance(n, URIRef)]

    def _pattern(self, subject: Identifier | None, predicate: Identifier | None, value: Identifier | None) -> Iterator[Triple]:
        """The data triples matching a pattern (None: any), each as often as graphs state it."""
        if self._whole is not None:
            yield from self._whole.triples((subject, predicate, value))
            return
        from graph.store import _from_oxigraph, to_oxigraph

        convert = _from_oxigraph()
        wanted = [None if t is None else to_oxigraph(t) for t in (subject, predicate, value)]
        for q in self._ox.quads_for_pattern(*wanted, None):
            if q.graph_name not in self._skipped:
                yield convert(q.subject), convert(q.predicate), convert(q.object)

    def schema(self, predicate: Identifier) -> Iterator[Triple]:
        """The data's own schema statements with ``predicate`` (rdfs:subClassOf …)."""
        yield from self._pattern(None, predicate, None)
        yield from self.extra.triples((None, predicate, None))


class _Entailment:
    """The rdf:type and subproperty triples RDFS entails from the ontology's (and the data's)
    domains, ranges, subclasses and subproperties: the part of RDFS a shape can tell apart."""

    def __init__(self, schema: Iterable[Triple]) -> None:
        from rdflib import RDFS, URIRef

        up: dict[Identifier, set[Identifier]] = {}
        up_property: dict[Identifier, set[Identifier]] = {}
        domain: dict[Identifier, set[Identifier]] = {}
        range_: dict[Identifier, set[Identifier]] = {}
        for s, p, o in schema:
            if p == RDFS.subClassOf:
                up.setdefault(s, set()).add(o)
            elif p == RDFS.subPropertyOf:
                up_property.setdefault(s, set()).add(o)
            elif p == RDFS.domain:
                domain.setdefault(s, set()).add(o)
            elif p == RDFS.range and isinstance(o, URIRef) and not _is_datatype(o):
                range_.setdefault(s, set()).add(o)
        self.classes = _closure(up)
        self.properties = _closure(up_property)
        self.domain = {p: self._up(classes) for p, classes in domain.items()}
        self.range = {p: self._up(classes) for p, classes in range_.items()}

    def _up(self, classes: Iterable[Identifier]) -> set[Identifier]:
        return {c for k in classes for c in self.classes.get(k, {k})}

    def add_to(self, g: Graph) -> None:
        """Add to ``g`` what its triples entail."""
        from rdflib import RDF, Literal

        for s, p, o in list(g):
            for q in self.properties.get(p, (p,)):
                if q != p:
                    g.add((s, q, o))
                for c in self.domain.get(q, ()):
                    g.add((s, RDF.type, c))
                if not isinstance(o, Literal):
                    for c in self.range.get(q, ()):
                        g.add((o, RDF.type, c))
            if p == RDF.type:
                for c in self.classes.get(o, ()):
                    g.add((s, RDF.type, c))


def _is_datatype(iri: Identifier) -> bool:
    from rdflib import RDFS, XSD

    return str(iri).startswith(str(XSD)) or iri == RDFS.Literal


def _closure(up: dict[Identifier, set[Identifier]]) -> dict[Identifier, set[Identifier]]:
    """Each key with everything above it (itself included), through any number of steps."""
    out: dict[Identifier, set[Identifier]] = {}
    for start in up:
        seen, todo = {start}, [start]
        while todo:
            for nxt in up.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        out[start] = seen
    return out


class _Reach:
    """What a batch must read for the shapes: the predicates they (and RDFS entailment) can look
    at, those whose values they look into, and those whose range makes a node a target."""

    #: Shape features that look at what a batch does not read (incoming triples, every predicate).
    UNSUPPORTED = ("closed", "inversePath", "targetObjectsOf", "sparql", "select", "ask")

    def __init__(self, shapes: Graph, entailment: _Entailment) -> None:
        from rdflib import RDF, SH, BNode, URIRef

        used = [name for name in self.UNSUPPORTED if next(shapes.triples((None, SH[name], None)), None) is not None]
        if used:
            raise DiploError(f"the shapes use sh:{used[0]}, which batched validation does not read: see graph/validate.py")
        paths: set[Identifier] = set()
        todo = [*shapes.objects(None, SH.path), *shapes.objects(None, SH.targetSubjectsOf)]
        while todo:
            step = todo.pop()
            if isinstance(step, URIRef) and step != RDF.nil and not str(step).startswith(str(SH)):
                paths.add(step)
            elif isinstance(step, BNode):
                todo.extend(o for _p, o in shapes.predicate_objects(step))
        below = lambda wanted: wanted | {p for p, up in entailment.properties.items() if up & wanted}  # noqa: E731
        self.followed = below(paths)
        """Predicates whose values a batch reads too (a value's class, its shape)."""
        self.predicates = below(paths | {RDF.type} | set(entailment.domain) | set(entailment.range))
        """Every predicate a batch reads of its nodes."""
        targets = set(shapes.objects(None, SH.targetClass))
        self.typing = {p for p, classes in entailment.range.items() if classes & targets}
        """Predicates whose values are instances of a targeted class."""


def validate(
    store: Store,
    extra: Iterable[Path] = (),
    *,
    batch: int | None = None,
    deadline: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Validate the data (every triple outside the ontology's graph and the summaries), with the
    RDF files ``extra`` on top, against the shapes. The files are read apart: the store is not
    written. ``deadline`` (a :func:`time.monotonic` time) stops it after the batch in progress;
    the report then says how much was checked. ``progress`` is told the triples read; ``batch``
    is how many are read per batch (:data:`BATCH_TRIPLES`)."""
    from rdflib import RDFS, Graph

    from graph.store import parse_file

    files = Graph()
    for path in extra:
        for s, p, o, _graph in parse_file(path).quads((None, None, None, None)):
            files.add((s, p, o))
    data = _Data(store, files)
    batch = batch or BATCH_TRIPLES
    ontology = vocab.ontology_graph()
    schema = [t for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range) for t in data.schema(p)]
    entailment = _Entailment([*ontology, *schema])
    reach = _Reach(vocab.shapes_graph(), entailment)
    report = Report(conforms=True, total=data.total)
    results = _Results()
    own: set[Identifier] = set()
    read = 0
    for s in data.subjects():
        own.add(s)
        read += 1
        if read % batch == 0:
            _check(data, own, ontology, entailment, reach, results)
            own = set()
            if progress is not None:
                progress(batch)
            if deadline is not None and time.monotonic() > deadline:
                report.complete = False
                break
    else:
        if own:
            _check(data, own, ontology, entailment, reach, results)
        if progress is not None:
            progress(read % batch)
    report.checked = read
    report.violations = sorted(results.kept.values(), key=lambda v: (v.focus, v.path or "", v.message))
    report.conforms = not results.failed
    report.results_graph = results.graph(report.conforms)
    return report


class _Results:
    """The results of every batch, each once (a node checked in two batches is reported once)."""

    def __init__(self) -> None:
        from rdflib import Graph

        self.kept: dict[tuple[str | None, ...], Violation] = {}
        self.failed = False
        self._graph = Graph()
        self._tops: list[Identifier] = []

    def take(self, results: Graph, own: set[Identifier]) -> None:
        from rdflib import SH

        for top in results.objects(None, SH.result):
            if results.value(top, SH.focusNode) not in own:
                continue  # a node pointed to: checked with all it points to in its own batch
            # With it, the results it holds as details (the value that failed an sh:node).
            held, todo = [top], [top]
            while todo:
                for detail in results.objects(todo.pop(), SH.detail):
                    held.append(detail)
                    todo.append(detail)
            if self._take(results, top):
                self._tops.append(top)
            for result in held[1:]:
                self._take(results, result)

    def _take(self, results: Graph, result: Identifier) -> bool:
        """Keep ``result`` unless an equal one was kept; whether it was new."""
        from rdflib import SH

        if results.value(result, SH.resultSeverity) == SH.Violation:
            self.failed = True
        found = Violation(
            severity=_short(results.value(result, SH.resultSeverity)) or "",
            focus=_short(results.value(result, SH.focusNode)) or "",
            path=_short(results.value(result, SH.resultPath)),
            value=_short(results.value(result, SH.value)),
            message=str(results.value(result, SH.resultMessage) or ""),
        )
        key = (found.severity, found.focus, found.path, found.value, found.message, str(results.value(result, SH.sourceShape)))
        if key in self.kept:
            return False
        self.kept[key] = found
        _copy_result(results, result, self._graph)
        return True

    def graph(self, conforms: bool) -> Graph:
        """One validation report holding every result kept."""
        from rdflib import RDF, SH, BNode, Literal

        report = BNode()
        self._graph.add((report, RDF.type, SH.ValidationReport))
        self._graph.add((report, SH.conforms, Literal(conforms)))
        for result in self._tops:
            self._graph.add((report, SH.result, result))
        for prefix, ns in vocab.namespaces().items():
            self._graph.bind(prefix, ns)
        return self._graph


def _copy_result(source: Graph, node: Identifier, into: Graph) -> None:
    """``node``'s triples and those of the blank nodes it leads to (a path list, a shape)."""
    from rdflib import BNode

    todo, seen = [node], {node}
    while todo:
        for s, p, o in source.triples((todo.pop(), None, None)):
            into.add((s, p, o))
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                todo.append(o)


def _check(data: _Data, own: set[Identifier], ontology: Graph, entailment: _Entailment, reach: _Reach, results: _Results) -> None:
    """Validate one batch: ``own`` nodes with what the shapes can look at of them and of their
    values, the ontology and what RDFS entails of them."""
    import pyshacl
    from rdflib import RDF, Graph, Literal

    g = Graph()
    g += ontology
    pointed: set[Identifier] = set()
    for t in data.about(own, reach.predicates):
        g.add(t)
        if t[1] in reach.followed and not isinstance(t[2], Literal) and t[2] not in own:
            pointed.add(t[2])
    for t in data.about(pointed, reach.predicates):
        g.add(t)
    # A node is an instance of a targeted class by being the value of a ranged predicate: the
    # triple saying so may sit in another batch.
    for node, predicate in data.valued_by(own, reach.typing):
        for c in entailment.range[predicate]:
            g.add((node, RDF.type, c))
    entailment.add_to(g)
    _conforms, found, _text = pyshacl.validate(
        g, shacl_graph=vocab.shapes_graph(), inference="none", abort_on_first=False, allow_warnings=True, inplace=True,
    )
    results.take(found, own)
