"""Counting the summaries' tallies (see :mod:`graph.summaries`) by walking the store's indexes.

Each tally is a count of *distinct* reactions over the union of the graphs, as the shipped
aggregate queries count them: a fact repeated in several graphs counts once. Six aggregate
queries, each joining the reactions again, took 10–12 minutes and up to 6.7 GB for a million
reactions; here each kind of fact (``dr:actor``, ``dr:stance``, ``dr:target`` …) is read once,
by pattern from Oxigraph's indexes, and Python adds the counts up.

Two ways to read, one meaning:

- **everything** (a rebuild): each predicate is scanned once into maps, reactions shared between
  the maps (one object per reaction, however many graphs state it);
- **some keys** (a write touching a few actors, days and sources): each key's reactions are read
  by pattern, and their stances and targets looked up one by one, or, for keys with very many
  reactions, scanned like a rebuild.

The stance vocabulary (which class, side, appeal or mediation each stance counts toward) and the
actors' names come from two small queries in ``queries/summaries/``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from graph import vocab
from graph.queries import internal_query

if TYPE_CHECKING:
    from rdflib.term import Identifier

    from graph.store import Store

#: Past this many reactions to look up one by one, a predicate is scanned whole instead (a lookup
#: costs about three times as much as a scanned fact).
_LOOKUPS = 50_000

_NONE: frozenset[Any] = frozenset()

#: One tally: its class (a name in the dr: namespace) and its (property name, pyoxigraph term) pairs.
Tally = tuple[str, list[tuple[str, Any]]]


def pair_key(actor_label: str, side: str, target_label: str) -> str:
    """The one-literal key of a pair of who sided with whom (``dr:tallyPair``): the JSON array of
    its three parts, which any label can go into and come back out of unchanged."""
    return json.dumps([actor_label, side, target_label], ensure_ascii=False, separators=(",", ":"))


def stance_key(target: str, stance_class: str, actor_label: str) -> str:
    """The one-literal key of the stances one actor took toward one target in one stance class
    (``dr:tallyStanceKey``): the JSON array of the target's IRI, the class's notation and the
    actor's label, as stances-toward-actor.rq groups and pages its rows."""
    return json.dumps([target, stance_class, actor_label], ensure_ascii=False, separators=(",", ":"))


class _Facts:
    """Distinct facts read from an Oxigraph store by pattern, over the union of its graphs."""

    def __init__(self, store: Store, everything: bool) -> None:
        import pyoxigraph

        self._store = store
        self._every = internal_query("facts", "of-predicate")
        self.ox = store._ox
        self.everything = everything
        self._node = pyoxigraph.NamedNode
        self._by_subject: dict[Any, dict[Any, Any]] = {}
        self._by_object: dict[Any, dict[Any, Any]] = {}
        # One Python object per term, however many scans meet it (memory at a million reactions).
        self._same: dict[Any, Any] = {}
        self._looked: dict[tuple[Any, Any, Any], Any] = {}

    def iri(self, prefix: str, name: str) -> Any:
        return self._node(str(vocab.namespaces()[prefix][name]))

    def _one(self, term: Any) -> Any:
        return self._same.setdefault(term, term)

    def _scan(self, predicate: Any, by_subject: bool) -> dict[Any, Any]:
        """Subject → objects (a tuple: most reactions have one, and a million sets took a GB)
        or object → subjects (a set) of ``predicate``, read once."""
        maps = self._by_subject if by_subject else self._by_object
        found = maps.get(predicate)
        if found is None:
            from rdflib import URIRef

            from graph.store import _prebind

            one = self._one
            text = _prebind(self._every, {"predicate": URIRef(predicate.value)})
            if by_subject:
                found = maps[predicate] = {}
                for subject, obj in self._store._run_oxigraph(text):  # distinct pairs
                    subject = one(subject)
                    found[subject] = (*found.get(subject, ()), one(obj))
            else:
                found = maps[predicate] = defaultdict(set)
                for subject, obj in self._store._run_oxigraph(text):
                    found[one(obj)].add(one(subject))
        return found

    def subjects(self, predicate: Any, obj: Any) -> set[Any]:
        """What has ``predicate obj``."""
        if self.everything or predicate in self._by_object:
            return self._scan(predicate, by_subject=False).get(obj, _NONE)
        key = (None, predicate, obj)
        if key not in self._looked:
            self._looked[key] = {self._one(q.subject) for q in self.ox.quads_for_pattern(None, predicate, obj, None)}
        return self._looked[key]

    def objects(self, subject: Any, predicate: Any) -> tuple[Any, ...]:
        """What ``subject predicate`` has (each once)."""
        if self.everything or predicate in self._by_subject:
            return self._scan(predicate, by_subject=True).get(subject, ())
        key = (subject, predicate, None)
        if key not in self._looked:
            self._looked[key] = tuple({self._one(q.object): None for q in self.ox.quads_for_pattern(subject, predicate, None, None)})
        return self._looked[key]

    def only(self, reactions: Iterable[Any]) -> None:
        """Count only ``reactions``: their facts are read now, and no other reaction is seen."""
        for name in REACTION_FACTS:
            predicate = self.iri("dr", name)
            by_subject: dict[Any, Any] = {}
            by_object: dict[Any, set[Any]] = defaultdict(set)
            for reaction in reactions:
                reaction = self._one(reaction)
                found = tuple({self._one(q.object): None for q in self.ox.quads_for_pattern(reaction, predicate, None, None)})
                if found:
                    by_subject[reaction] = found
                for obj in found:
                    by_object[obj].add(reaction)
            self._by_subject[predicate], self._by_object[predicate] = by_subject, by_object

    def prepare(self, predicates: Iterable[Any], subjects: int) -> None:
        """About to look up ``predicates`` of this many subjects: scan them whole if that is cheaper."""
        if subjects > _LOOKUPS:
            for predicate in predicates:
                self._scan(predicate, by_subject=True)

    def keys(self, predicate: Any) -> Iterable[Any]:
        """Every object of ``predicate`` (a scan)."""
        return self._scan(predicate, by_subject=False).keys()

    def pairs(self, predicate: Any) -> dict[Any, tuple[Any, ...]]:
        """Subject → objects of ``predicate``, whole (a scan; for the few org facts)."""
        return self._scan(predicate, by_subject=True)


def _evidence(facts: _Facts, reaction: Any) -> str | None:
    """The least evidence span (``dr:evidence/oa:hasSelector/oa:exact``) of ``reaction``, looked
    up: scanning the three facts whole in a rebuild was no faster (the tallies of 100k reactions
    took 12-14.5 s either way) and took 80-100 MB more."""
    ox = facts.ox
    evidence, selector, exact = facts.iri("dr", "evidence"), facts.iri("oa", "hasSelector"), facts.iri("oa", "exact")
    spans = {e.object.value for ev in ox.quads_for_pattern(reaction, evidence, None, None)
             for sel in ox.quads_for_pattern(ev.object, selector, None, None)
             for e in ox.quads_for_pattern(sel.object, exact, None, None)}
    return min(spans, default=None)


def _stance_kinds(store: Store, facts: _Facts) -> dict[str, dict[Any, set[Any]]]:
    """kind ("class", "side", "appeal", "mediate") → stance → its values, as terms (see
    stance-kinds.rq)."""
    kinds: dict[str, dict[Any, set[Any]]] = defaultdict(lambda: defaultdict(set))
    for solution in store._run_oxigraph(internal_query("summaries", "stance-kinds")):
        kinds[solution["kind"].value][facts._one(solution["stance"])].add(solution["value"])
    return kinds


def _to_oxigraph(keys: Iterable[Identifier]) -> list[Any]:
    from graph.store import to_oxigraph

    return [to_oxigraph(k) for k in keys]


#: The facts of a reaction that tallies count (``dr:`` names).
REACTION_FACTS = ("actor", "speaker", "target", "stance", "date", "notAfter", "quote")


def count(store: Store, keys: Mapping[str, list[Identifier]] | None = None, within: Iterable[Any] | None = None) -> Iterator[Tally]:
    """The tallies for ``keys`` ("actor", "day", "source" → rdflib terms; every tally when None),
    counted from ``store`` (on disk: it needs Oxigraph's indexes). With ``within`` (reactions, as
    pyoxigraph terms) only those reactions are counted: what they add to the keys' tallies (their
    actors' names come whole). The caller guards the time and memory it may take
    (:func:`graph.limits.guard`)."""
    facts = _Facts(store, everything=keys is None)
    if within is not None:
        facts.only(within)
    kinds = _stance_kinds(store, facts)
    chosen = {name: (None if keys is None else [facts._one(k) for k in _to_oxigraph(keys.get(name, ()))])
              for name in ("actor", "day", "source")}
    yield "StoreTally", [("reactionCount", integer(_reactions(store, facts, within)))]
    yield from _sources(facts, chosen["source"])
    yield from _days(facts, kinds, chosen["day"])
    yield from _actors(store, facts, kinds, chosen["actor"])


def _reactions(store: Store, facts: _Facts, within: Iterable[Any] | None) -> int:
    """How many reactions (things with a stance, as lookup/count-all.rq counts) the store holds,
    or ``within`` holds."""
    stance = facts.iri("dr", "stance")
    if facts.everything or within is not None:
        return len(facts._scan(stance, by_subject=True))
    rows = store.rows(internal_query("lookup", "count-all"))
    return int(rows[0][0] or 0) if rows else 0


@cache
def integer(n: int) -> Any:
    """A count as the tallies write it (an xsd:integer literal)."""
    import pyoxigraph

    return pyoxigraph.Literal(str(n), datatype=pyoxigraph.NamedNode(str(vocab.namespaces()["xsd"]["integer"])))


def _sources(facts: _Facts, sources: list[Any] | None) -> Iterator[Tally]:
    """Each source graph's reactions (``a dr:Reaction`` stated in that graph)."""
    import pyoxigraph

    rdf_type, reaction = facts.iri("rdf", "type"), facts.iri("dr", "Reaction")
    counts: Counter[Any] = Counter()
    if sources is None:
        for quad in facts.ox.quads_for_pattern(None, rdf_type, reaction, None):
            if isinstance(quad.graph_name, pyoxigraph.NamedNode):
                counts[quad.graph_name] += 1
    else:
        for source in sources:
            counts[source] = sum(1 for _ in facts.ox.quads_for_pattern(None, rdf_type, reaction, source))
    for source, n in counts.items():
        if n:
            yield "SourceTally", [("tallyOf", source), ("reactionCount", integer(n))]


def _days(facts: _Facts, kinds: dict[str, dict[Any, set[Any]]], days: list[Any] | None) -> Iterator[Tally]:
    """Reactions per day and stance class; those dated only by a range count on its last day."""
    date, not_after, stance = facts.iri("dr", "date"), facts.iri("dr", "notAfter"), facts.iri("dr", "stance")
    classes = kinds["class"]
    if days is None:
        days = list({*facts.keys(date), *facts.keys(not_after)})
    for day in days:
        dated, ranged = facts.subjects(date, day), facts.subjects(not_after, day)
        ranged = {r for r in ranged if not facts.objects(r, date)}
        facts.prepare([stance], len(dated) + len(ranged))
        reactions: Counter[Any] = Counter()
        only_ranged: Counter[Any] = Counter()
        for r in dated | ranged:
            for c in {c for s in facts.objects(r, stance) for c in classes.get(s, ())}:
                reactions[c] += 1
                only_ranged[c] += r in ranged
        for c, n in reactions.items():
            yield "DayTally", [("tallyDay", day), ("tallyClass", c), ("reactionCount", integer(n)),
                               ("rangedCount", integer(only_ranged[c]))]


def _org(facts: _Facts, actors: list[Any] | None) -> tuple[dict[Any, set[Any]], dict[Any, set[Any]]]:
    """For the actors (all when None): their bodies (``org:subOrganizationOf+``) and officials
    (holders of a post ``org:postIn`` them), as lookup totals count them."""
    part_of, holds, post_in = facts.iri("org", "subOrganizationOf"), facts.iri("org", "holds"), facts.iri("org", "postIn")
    bodies: dict[Any, set[Any]] = defaultdict(set)
    officials: dict[Any, set[Any]] = defaultdict(set)
    if actors is None:
        parents = facts.pairs(part_of)
        for body in list(parents):
            seen, todo = set(), list(parents[body])
            while todo:
                above = todo.pop()
                if above not in seen:
                    seen.add(above)
                    todo.extend(parents.get(above, ()))
            for above in seen:
                bodies[above].add(body)
        posts = facts.pairs(post_in)
        for official, held in list(facts.pairs(holds).items()):
            for post in held:
                for org in posts.get(post, ()):
                    officials[org].add(official)
        return bodies, officials
    for actor in actors:
        seen, todo = set(), [actor]
        while todo:
            for body in facts.subjects(part_of, todo.pop()):
                if body not in seen:
                    seen.add(body)
                    todo.append(body)
        bodies[actor] = seen
        officials[actor] = {o for post in facts.subjects(post_in, actor) for o in facts.subjects(holds, post)}
    return bodies, officials


def _names(store: Store, facts: _Facts, actors: list[Any] | None) -> dict[Any, list[tuple[str, Any]]]:
    """Each named actor's types, labels and codes as tally pairs (actor-names.rq)."""
    from rdflib import URIRef

    from graph.store import _fill_values

    text = internal_query("summaries", "actor-names")
    names: dict[Any, list[tuple[str, Any]]] = defaultdict(list)
    batches = [None] if actors is None else [actors[i : i + 500] for i in range(0, len(actors), 500)]
    for batch in batches:
        chosen = text if batch is None else _fill_values(text, "actor", [URIRef(a.value) for a in batch])
        for solution in store._run_oxigraph(chosen):
            pairs = names[facts._one(solution["actor"])]
            for column, prop in (("type", "tallyType"), ("label", "tallyLabel"), ("code", "tallyCode")):
                value = solution[column]
                if value is not None and (prop, value) not in pairs:
                    pairs.append((prop, value))
    return names


def _actors(store: Store, facts: _Facts, kinds: dict[str, dict[Any, set[Any]]], actors: list[Any] | None) -> Iterator[Tally]:
    """Each actor's counts (made, voiced, received, lookup total), and its pair, appeal and
    mediation tallies."""
    made_by, voiced_by, aimed_at = facts.iri("dr", "actor"), facts.iri("dr", "speaker"), facts.iri("dr", "target")
    stance, quote = facts.iri("dr", "stance"), facts.iri("dr", "quote")
    names = _names(store, facts, actors)
    bodies, officials = _org(facts, actors)
    if actors is None:
        actors = list({*names, *facts.keys(made_by), *facts.keys(voiced_by), *facts.keys(aimed_at), *bodies, *officials})
    else:
        facts.prepare([stance, aimed_at, quote], sum(len(facts.subjects(made_by, a)) for a in actors))
    for actor in actors:
        made, voiced, received = facts.subjects(made_by, actor), facts.subjects(voiced_by, actor), facts.subjects(aimed_at, actor)
        listed = set(made)
        listed.update(voiced)
        for body in bodies.get(actor, ()):
            listed.update(facts.subjects(made_by, body))
        for official in officials.get(actor, ()):
            listed.update(facts.subjects(voiced_by, official))
        pairs = [("tallyOf", actor), *names.get(actor, [])]
        for prop, n in (("made", len(made)), ("voiced", len(voiced)), ("received", len(received)), ("lookupTotal", len(listed))):
            if n:
                pairs.append((prop, integer(n)))
        if len(pairs) > 1:
            yield "ActorTally", pairs
        yield from _stances_of(facts, actor, made, kinds, stance, aimed_at, quote)


def _stances_of(facts: _Facts, actor: Any, made: set[Any], kinds: dict[str, dict[Any, set[Any]]],
                stance: Any, aimed_at: Any, quote: Any) -> Iterator[Tally]:
    """The stance, pair, appeal and mediation tallies of the reactions ``actor`` made."""
    import pyoxigraph

    classes, sides, appeal, mediate = kinds["class"], kinds["side"], kinds["appeal"], kinds["mediate"]
    # (target, stance) → how many, the first reaction and the least quote: stances-toward-actor.rq.
    toward: dict[tuple[Any, Any], list[Any]] = {}
    pair_count: Counter[tuple[Any, Any]] = Counter()
    pair_stances: dict[tuple[Any, Any], set[Any]] = defaultdict(set)
    asked: dict[str, Any] = {"n": 0, "stances": set(), "targets": set()}
    offered: dict[str, Any] = {"n": 0, "targets": set(), "quotes": set()}
    for r in made:
        stances = facts.objects(r, stance)
        targets = facts.objects(r, aimed_at)
        if targets:
            said = facts.objects(r, quote)
            least = min((q.value for q in said), default=None)
            for s in stances:
                if s not in classes:
                    continue  # outside the scheme: the question doesn't count it either
                for target in targets:
                    seen = toward.get((target, s))
                    if seen is None:
                        toward[target, s] = [1, r, least, [r]]
                    else:
                        seen[0] += 1
                        seen[1] = min(seen[1], r, key=lambda x: x.value)
                        seen[3].append(r)
                        if least is not None and (seen[2] is None or least < seen[2]):
                            seen[2] = least
        sided = [(s, side) for s in stances for side in sides.get(s, ())]
        appeals = [s for s in stances if s in appeal]
        mediates = any(s in mediate for s in stances)
        if not (sided or appeals or mediates):
            continue
        for target in targets:
            for side in {side for _, side in sided}:
                pair_count[side, target] += 1
                pair_stances[side, target].update(s for s, one in sided if one == side)
        if appeals:
            asked["n"] += 1
            asked["stances"].update(appeals)
            asked["targets"].update(targets)
        if mediates:
            offered["n"] += 1
            offered["targets"].update(targets)
            offered["quotes"].update(facts.objects(r, quote))
    label = facts.iri("skos", "prefLabel")
    names = facts.objects(actor, label) if toward or pair_count else ()
    for (target, s), (n, first, least, members) in toward.items():
        pairs = [("tallyOf", actor), ("tallyTarget", target), ("tallyStance", s), ("reactionCount", integer(n)), ("tallyExample", first)]
        # The keys a page of stances toward the target finds this tally by, one per name.
        pairs += [("tallyStanceKey", pyoxigraph.Literal(stance_key(target.value, c.value, name.value)))
                  for c in classes[s] for name in names]
        # The words to show: a quote, else the evidence of the first reaction that has one (read
        # here by lookups: the question joining evidence for its rows read every reaction's, 32 s
        # at 1M; imported events carry none).
        words = least
        for r in sorted(members, key=lambda x: x.value) if least is None else ():
            words = _evidence(facts, r)
            if words is not None:
                break
        if words is not None:
            pairs.append(("tallyQuote", pyoxigraph.Literal(words)))
        yield "StanceTally", pairs
    # Both sides' names, as who-sided-with-whom groups and pages by them (read from the tallies'
    # columns: joining the names per pair took 4 s for 23k pairs at 1M).
    named = [("tallyActorLabel", name) for name in names] if pair_count else []
    for (side, target), n in pair_count.items():
        aimed = list(facts.objects(target, label))
        keys = [("tallyPair", pyoxigraph.Literal(pair_key(a.value, side.value, t.value))) for _, a in named for t in aimed]
        yield "PairTally", [("tallyOf", actor), ("reactionCount", integer(n)), ("tallySide", side),
                            ("tallyTarget", target), *(("tallyStance", s) for s in pair_stances[side, target]),
                            *named, *(("tallyTargetLabel", name) for name in aimed), *keys]
    if asked["n"]:
        yield "AppealTally", [("tallyOf", actor), ("reactionCount", integer(asked["n"])),
                              *(("tallyTarget", t) for t in asked["targets"]), *(("tallyStance", s) for s in asked["stances"])]
    if offered["n"]:
        pairs = [("tallyOf", actor), ("reactionCount", integer(offered["n"])), *(("tallyTarget", t) for t in offered["targets"])]
        if offered["quotes"]:  # one of them, the same one every time
            pairs.append(("tallyQuote", pyoxigraph.Literal(min(q.value for q in offered["quotes"]))))
        yield "MediationTally", pairs
