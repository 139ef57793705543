"""Summaries kept on write: the counts that the whole-graph questions read instead of every reaction.

``diplo actors``, ``diplo sources`` and the shipped queries ``reactions-over-time``,
``who-sided-with-whom``, ``who-called-for-restraint`` and ``who-offered-mediation`` add up every
reaction of the store: at a million reactions each took 8–80 s. An on-disk store therefore keeps
*tallies* (counts by actor, day and stance class, actor and target, source; see the "Summaries"
section of ``ontology/dr.ttl``) in the named graph ``dr:summaries``, and those questions read the
tallies (``graph/queries/summaries/<name>.rq``), so they cost in proportion to the tallies.

Every write to an on-disk store (load, import, ingest, forget, replace) runs inside :func:`kept`:
it notes which keys (actors, days, sources) the written graphs touch before and after the write
and recounts only those from the store itself (:mod:`graph.tallies`), so a tally is always what a full
count would give, whatever graphs repeat a triple. A write touching more than :data:`WHOLE`
reactions recounts everything instead. The state triple says whether the tallies are current:
a write marks them pending first and current only once the recount is written, so a process killed
in between leaves them pending, and the questions then count everything as before until
``diplo doctor --repair`` rebuilds them. Stores in memory and on a server keep no tallies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from graph import vocab
from graph.queries import internal_query

if TYPE_CHECKING:
    from rdflib.term import Identifier

    from graph.store import Store

#: The state of tallies that are up to date, in this format (a new format means a rebuild).
CURRENT = "current 6"
PENDING = "pending"
#: The shipped queries that have a version reading the tallies (``queries/summaries/<name>.rq``).
SUMMARIZED = frozenset({
    "actors", "sources", "reactions-over-time", "who-sided-with-whom", "who-called-for-restraint", "who-offered-mediation",
    "stances-toward-actor",
})
#: The parameters a summarized version answers for itself (a key of its tallies); any other
#: parameter (an event) means the query as shipped.
_KEYED = {"stances-toward-actor": frozenset({"target"})}
#: The summarized queries with a second text for one page (``summaries/<name>-page.rq``): the
#: join order that finds a few keys' tallies fast reads every key's slowly.
PAGE_TEXTS = frozenset({"actors", "who-sided-with-whom", "stances-toward-actor"})
#: Above this many reactions in the written graphs, a write recounts every tally (one pass over
#: the store) rather than key by key.
WHOLE = 20_000
#: Keys per deleting update: a VALUES block of thousands of terms is one update still, but a slow one.
_BATCH = 500


def graph_iri() -> str:
    """The IRI of the named graph holding the tallies."""
    return str(vocab.DR.summaries)


def _update_text(name: str) -> str:
    return internal_query("summaries", name, suffix=".ru")


def keeps(store: Store) -> bool:
    """Whether ``store`` keeps tallies: an on-disk store open for writing."""
    return getattr(store, "_ox", None) is not None and not store.read_only


def state(store: Store) -> str | None:
    """The tallies' state: :data:`CURRENT`, :data:`PENDING`, an older format, or None when the
    store keeps none (made before summaries, in memory, on a server)."""
    if getattr(store, "_ox", None) is None:
        return None
    rows = store.rows(internal_query("summaries", "state"))
    return rows[0][0] if rows else None


def current(store: Store) -> bool:
    """Whether the questions can read the tallies instead of every reaction."""
    return state(store) == CURRENT


def query_text(store: Store, name: str, bindings: Mapping[str, Identifier] | None = None, page: bool = False) -> str:
    """The text to run for the shipped query ``name``: its version reading the tallies when it has
    one, the tallies are current and no parameter narrows it but a key of its tallies (an event
    does: those count only the event's reactions, which the query finds itself); else the query
    as shipped. With ``page``, the version tuned to read one page (its VALUES block filled) where
    there is one (:data:`PAGE_TEXTS`)."""
    from graph.queries import named_query

    if name in SUMMARIZED and set(bindings or ()) <= _KEYED.get(name, frozenset()) and current(store):
        return internal_query("summaries", f"{name}-page" if page and name in PAGE_TEXTS else name)
    return named_query(name).text


def lookup_total(store: Store, who: Identifier) -> int | None:
    """How many reactions a lookup of ``who`` lists, from the tallies (None when they are not
    current: the caller counts). Counting them took 0.4–0.7 s for the busiest actor of 1M."""
    if not current(store):
        return None
    rows = store.rows(internal_query("summaries", "lookup-total"), {"who": who})
    return int(rows[0][0]) if rows else 0


def reaction_total(store: Store) -> int | None:
    """How many reactions the store holds, from the tallies (None when they are not current: the
    caller counts). Counting them took 0.63 s at 1M, most of a page of every reaction."""
    if not current(store):
        return None
    rows = store.rows(internal_query("summaries", "reaction-total"))
    return int(rows[0][0]) if rows else 0


def _set_state(value: str) -> str:
    from rdflib import Literal

    from graph.store import _prebind

    return _prebind(_update_text("set-state"), {"state": Literal(value)})


@contextmanager
def _bookkeeping(store: Store) -> Iterator[None]:
    """No time or row limit for counting the tallies (a write is never cut short; at a million
    reactions a recount of everything takes minutes), the memory limit still."""
    from dataclasses import replace

    limits = store.limits
    store.limits = replace(limits, seconds=float(10**9), rows=10**12)
    try:
        yield
    finally:
        store.limits = limits


def _written(store: Store, keys: Mapping[str, list[Identifier]] | None, kinds: Mapping[str, Any]) -> dict[Any, list[Any]]:
    """The tallies now in the store for ``keys`` (all when None) by their content (class and
    other facts): the nodes of the tallies with that content (one, unless a write was cut short)."""
    import pyoxigraph

    from graph.store import to_oxigraph

    ox, graph = store._ox, pyoxigraph.NamedNode(graph_iri())  # type: ignore[union-attr]
    rdf_type = pyoxigraph.NamedNode(str(vocab.namespaces()["rdf"]["type"]))
    nodes: Iterable[Any]
    if keys is None:
        nodes = {q.subject for q in ox.quads_for_pattern(None, rdf_type, None, graph)}
    else:
        of, day = pyoxigraph.NamedNode(str(vocab.DR.tallyOf)), pyoxigraph.NamedNode(str(vocab.DR.tallyDay))
        wanted = {"actor": (of, ("ActorTally", "PairTally", "AppealTally", "MediationTally", "StanceTally")), "source": (of, ("SourceTally",)),
                  "day": (day, ("DayTally",))}
        # The store's one tally changes with any write.
        nodes = {q.subject for q in ox.quads_for_pattern(None, rdf_type, kinds["StoreTally"], graph)}  # type: ignore[union-attr]
        for var, (prop, classes) in wanted.items():
            allowed = {kinds[c] for c in classes}
            for key in keys.get(var, ()):
                for q in ox.quads_for_pattern(None, prop, to_oxigraph(key), graph):
                    if any(t.object in allowed for t in ox.quads_for_pattern(q.subject, rdf_type, None, graph)):
                        nodes.add(q.subject)
    written: dict[Any, list[Any]] = {}
    same: dict[Any, Any] = {}  # one object per term: the counts and targets repeat across tallies
    for node in nodes:
        kind, facts = None, []
        for q in ox.quads_for_pattern(node, None, None, graph):
            if q.predicate == rdf_type:
                kind = same.setdefault(q.object, q.object)
            else:
                facts.append((same.setdefault(q.predicate, q.predicate), same.setdefault(q.object, q.object)))
        written.setdefault((kind, frozenset(facts)), []).append(node)
    return written


#: What names a tally (with its class), and which of its counts add up when reactions are added.
_IDENTITY = ("tallyOf", "tallySide", "tallyDay", "tallyClass")
_SUMMED = ("made", "voiced", "received", "lookupTotal", "reactionCount", "rangedCount")


def _added_up(written: Mapping[Any, list[Any]], counted: Iterable[Any]) -> set[Any]:
    """The tallies once ``counted`` (what new reactions add, by content) is added to the
    ``written`` ones: counts summed, lists (stances, targets, names) joined, and the least quote
    and example kept (as a recount picks them)."""
    import pyoxigraph

    from graph.tallies import integer

    dr = vocab.DR
    identity = {pyoxigraph.NamedNode(str(dr[name])) for name in _IDENTITY}
    summed = {pyoxigraph.NamedNode(str(dr[name])) for name in _SUMMED}
    pair, per_stance, target, stance, quote, example = (pyoxigraph.NamedNode(str(dr[name])) for name in (
        "PairTally", "StanceTally", "tallyTarget", "tallyStance", "tallyQuote", "tallyExample"))

    def key(kind: Any, facts: frozenset[Any]) -> Any:
        return kind, frozenset((p, o) for p, o in facts if p in identity or (kind == pair and p == target)
                               or (kind == per_stance and p in (target, stance)))

    old = {key(*content): content for content in written}
    result = {content for content in written}
    for kind, facts in counted:
        before = old.get(key(kind, facts))
        if before is None:
            result.add((kind, facts))
            continue
        result.discard(before)
        sums: dict[Any, int] = {}
        kept: set[Any] = set()
        least: dict[Any, list[Any]] = {}
        for p, o in (*before[1], *facts):
            if p in summed:
                sums[p] = sums.get(p, 0) + int(o.value)
            elif p in (quote, example):
                least.setdefault(p, []).append(o)
            else:
                kept.add((p, o))
        kept.update((p, integer(n)) for p, n in sums.items())
        kept.update((p, min(found, key=lambda q: q.value)) for p, found in least.items())
        result.add((kind, frozenset(kept)))
    return result


def _recount(store: Store, keys: Mapping[str, list[Identifier]] | None, within: list[Any] | None = None) -> None:
    """Count the tallies of ``keys`` (variable → values; every tally when None) anew
    (:func:`graph.tallies.count`) and bring the stored ones to match: the state is set pending,
    tallies that changed are removed and the new ones added (most stay as they are: deleting a
    million facts took a minute), and only then is the state set :data:`CURRENT`. A process
    killed half-way leaves the questions counting everything.

    With ``within`` (new reactions that no other graph states, and that change no one's bodies
    or posts), only those are counted and what they add is added up with the stored tallies:
    one reaction more by an actor with 300,000 took 33 s to recount, and a moment this way."""
    import pyoxigraph

    from graph import tallies
    from graph.limits import guard

    with _bookkeeping(store), guard(store.limits):
        counted = list(tallies.count(store, keys, within))
    graph = pyoxigraph.NamedNode(graph_iri())
    names = {name: pyoxigraph.NamedNode(str(vocab.DR[name])) for name in {name for _, pairs in counted for name, _ in pairs}}
    kinds = {kind: pyoxigraph.NamedNode(str(vocab.DR[kind])) for kind in
             ("ActorTally", "PairTally", "AppealTally", "MediationTally", "StanceTally", "DayTally", "SourceTally", "StoreTally")}
    rdf_type = pyoxigraph.NamedNode(str(vocab.namespaces()["rdf"]["type"]))
    fresh = [(kinds[kind], frozenset((names[name], value) for name, value in pairs)) for kind, pairs in counted]
    store._update(_set_state(PENDING))
    written = _written(store, keys, kinds)
    wanted = _added_up(written, fresh) if within is not None else set(fresh)
    # A tally is stale unless it is wanted; of the same tally written twice, all but one are.
    stale = [node for content, copies in written.items() for node in (copies if content not in wanted else copies[1:])]
    # One small transaction each: dropping the graph of a 1M store in one took a minute and 2 GB.
    for node in stale:
        for quad in list(store._ox.quads_for_pattern(node, None, None, graph)):  # type: ignore[union-attr]
            store._ox.remove(quad)  # type: ignore[union-attr]

    def added() -> Iterator[pyoxigraph.Quad]:
        for kind, facts in wanted:
            if (kind, facts) not in written:
                node = pyoxigraph.BlankNode()
                yield pyoxigraph.Quad(node, rdf_type, kind, graph)
                for prop, value in facts:
                    yield pyoxigraph.Quad(node, prop, value, graph)

    # Not one transaction (three times faster): until the state says current, nothing reads them.
    store._ox.bulk_extend(added())  # type: ignore[union-attr]
    store._update(_set_state(CURRENT))


def rebuild(store: Store) -> None:
    """Count every tally anew from the whole store (``diplo doctor --repair``, a new store, a write
    touching more than :data:`WHOLE` reactions), and mark them current in the same update."""
    _recount(store, None)


def invalidate(store: Store) -> None:
    """Mark the tallies pending (an update whose effect on them is unknown, such as a SPARQL Update
    from the endpoint): the questions count everything until they are rebuilt."""
    if state(store) is not None:
        store._update(_set_state(PENDING))


def _additions(store: Store, graphs: list[str]) -> list[Any] | None:
    """The reactions that the new ``graphs`` hold, when what they add to the tallies can simply
    be added up: no other graph states anything about them, and the graphs state no body, post or
    stance concept that other graphs do not state already (restating an official's post, as every
    ingested source does, is fine), nor a new name for an actor that reactions of other graphs
    made or were aimed at (their pair tallies carry its names). None when the touched tallies
    must be recounted."""
    import pyoxigraph

    from graph.tallies import REACTION_FACTS

    ox = store._ox
    ns = vocab.namespaces()
    inside = {pyoxigraph.NamedNode(g) for g in graphs}
    facts = [pyoxigraph.NamedNode(str(vocab.DR[name])) for name in REACTION_FACTS]
    structure = [pyoxigraph.NamedNode(str(ns[prefix][name])) for prefix, name in (
        ("org", "holds"), ("org", "postIn"), ("org", "subOrganizationOf"), ("skos", "broader"),
        ("skos", "topConceptOf"), ("skos", "notation"), ("dr", "polarity"), ("rdfs", "subClassOf"))]
    reactions: dict[Any, None] = {}
    for graph in inside:
        for predicate in facts:
            reactions.update((q.subject, None) for q in ox.quads_for_pattern(None, predicate, None, graph))  # type: ignore[union-attr]
    if any(next(_stated_only_in(ox, predicate, inside), None) is not None for predicate in structure):
        return None
    label = pyoxigraph.NamedNode(str(ns["skos"]["prefLabel"]))
    sides = [pyoxigraph.NamedNode(str(vocab.DR[name])) for name in ("actor", "target")]
    for q in _stated_only_in(ox, label, inside):
        if any(r.graph_name not in inside for side in sides for r in ox.quads_for_pattern(None, side, q.subject, None)):  # type: ignore[union-attr]
            return None
    for reaction in reactions:
        if any(q.graph_name not in inside for q in ox.quads_for_pattern(reaction, None, None, None)):  # type: ignore[union-attr]
            return None
    return list(reactions)


def _reacting_to_names(store: Store, graphs: list[str]) -> set[Identifier]:
    """The actors who made reactions aimed at something only ``graphs`` name (a label no other
    graph states): their pair tallies carry its names, which the write adds or takes away. Read
    by pattern: in one query with touched-actors.rq Oxigraph joined every reaction's target
    first and outgrew 8 GB at 1M reactions."""
    import pyoxigraph
    from rdflib import URIRef

    ox = store._ox
    inside = {pyoxigraph.NamedNode(g) for g in graphs}
    label = pyoxigraph.NamedNode(str(vocab.namespaces()["skos"]["prefLabel"]))
    aimed, made = pyoxigraph.NamedNode(str(vocab.DR.target)), pyoxigraph.NamedNode(str(vocab.DR.actor))
    found: set[Identifier] = set()
    for q in _stated_only_in(ox, label, inside):  # a name stated elsewhere too stays as it is
        for reaction in {r.subject for r in ox.quads_for_pattern(None, aimed, q.subject, None)}:  # type: ignore[union-attr]
            found.update(URIRef(a.object.value) for a in ox.quads_for_pattern(reaction, made, None, None))  # type: ignore[union-attr]
    return found


def _stated_only_in(ox: Any, predicate: Any, inside: set[Any]) -> Iterator[Any]:
    """The ``predicate`` facts that the graphs ``inside`` state and no other graph does."""
    for graph in inside:
        for q in ox.quads_for_pattern(None, predicate, None, graph):
            if all(same.graph_name in inside for same in ox.quads_for_pattern(q.subject, predicate, q.object, None)):
                yield q


class _Batch:
    """The keys one write (or one run of writes) touches, recounted when it ends."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.actors: set[Identifier] = set()
        self.days: set[Identifier] = set()
        self.sources: set[Identifier] = set()
        self.reactions = 0
        self.whole = False
        #: Each written graph: whether it was in the store before the batch wrote it.
        self.existed: dict[str, bool] = {}

    def note(self, graphs: Iterable[str]) -> None:
        """Add the keys the reactions now in ``graphs`` touch."""
        import pyoxigraph
        from rdflib import URIRef

        # A graph not (or no longer) in the store touches nothing: a load of new graphs notes
        # nothing before it writes (that took 4 s for 16,000 graphs).
        there = {g: self.store._ox.contains_named_graph(pyoxigraph.NamedNode(g)) for g in graphs}  # type: ignore[union-attr]
        for g, found in there.items():
            self.existed.setdefault(g, found)
        names = [URIRef(g) for g, found in there.items() if found]
        if not names or self.whole:
            return
        self.sources.update(names)
        for i in range(0, len(names), _BATCH):
            size = self.store.rows(internal_query("summaries", "size"), values={"graph": names[i : i + _BATCH]})
            self.reactions += int(size[0][0] or 0) if size else 0
        if self.reactions > WHOLE:
            self.whole = True
            return
        for name, keys in (("touched-actors", self.actors), ("touched-days", self.days)):
            for i in range(0, len(names), _BATCH):
                for (term,) in self.store.query(internal_query("summaries", name), values={"graph": names[i : i + _BATCH]}):
                    keys.add(term)
        self.actors.update(_reacting_to_names(self.store, [g for g, found in there.items() if found]))

    def finish(self) -> None:
        """Recount the touched keys' tallies and mark them current."""
        if self.whole:
            rebuild(self.store)
            return
        keys: dict[str, list[Identifier]] = {"actor": list(self.actors), "day": list(self.days), "source": list(self.sources)}
        new = [g for g, existed in self.existed.items() if not existed]
        within = _additions(self.store, new) if new and len(new) == len(self.existed) else None
        _recount(self.store, keys, within)


@contextmanager
def kept(store: Store, graphs: Iterable[str] = ()) -> Iterator[None]:
    """Keep the tallies right across a write to the named ``graphs`` (their IRIs as strings):
    the keys their reactions touch are noted before and after, and recounted when the outermost
    :func:`kept` ends. Nested calls (an ingest run writing source after source) join the outer one,
    so a run recounts once. Does nothing where tallies are not kept or not current (they stay as
    they are: absent, or pending until rebuilt)."""
    graphs = list(graphs)
    outer: _Batch | None = getattr(store, "_summary_batch", None)
    if outer is not None:
        outer.note(graphs)
        yield
        outer.note(graphs)
        return
    if not keeps(store) or state(store) != CURRENT:
        yield
        return
    batch = _Batch(store)
    batch.note(graphs)
    store._update(_set_state(PENDING))
    store._summary_batch = batch  # type: ignore[attr-defined]
    try:
        yield
    finally:
        store._summary_batch = None  # type: ignore[attr-defined]
    # A write that failed half-way leaves them pending: what it left may still be undone on
    # the next opening (see Store.open), and a recount now would count it.
    batch.note(graphs)
    batch.finish()
