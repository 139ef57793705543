"""Network analysis of reactions: alignment blocs, mediators, pairwise comparison, timelines.

Everything starts from :class:`graph.lookup.Position` records, so the same functions work on
the bundled graph, on a filtered selection (one event, a date range) and on hand-built lists in
tests. The sign of a reaction toward its target is the polarity its stance concept carries in
``ontology/stances.ttl`` (SUPPORT +1; DISAPPROVE, THREATEN, REJECT -1; CONCERN, APPEAL,
MEDIATE 0): nothing here repeats the vocabulary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import BadInput

if TYPE_CHECKING:
    import networkx as nx

    from graph.lookup import Position

#: How :func:`find_blocs` works, for ``--help`` and the README.
BLOC_METHOD = (
    "correlation clustering of the signed actor graph (Bansal, Blum & Chawla 2004): blocs are "
    "chosen to minimise frustration, the weight of hostile ties inside blocs plus friendly ties "
    "between them (structural balance), by local search starting from the friendly components"
)
#: How :func:`rank_mediators` scores, for ``--help`` and the README.
MEDIATOR_MEASURE = (
    "even-handed appeals: reactions that appeal to or offer mediation to both sides of a hostile "
    "pair, minus reactions that take a side (a signed stance toward either party)"
)
#: The coarse stance classes that count as bridging when aimed at both sides.
BRIDGING_CLASSES = frozenset({"APPEAL", "MEDIATE"})


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def signed_graph(found: Iterable[Position]) -> nx.Graph:
    """The undirected signed actor graph: one edge per pair of actors that addressed each other
    with a signed stance, ``weight`` the net sign summed over those reactions (either direction),
    ``positive``/``negative`` the counts. Neutral reactions add the actors as nodes only."""
    import networkx as nx

    g = nx.Graph()
    for p in found:
        g.add_node(p.actor)
        for target in p.targets:
            g.add_node(target)
            if p.polarity == 0 or target == p.actor:
                continue
            data = g.get_edge_data(p.actor, target) or {"weight": 0, "positive": 0, "negative": 0}
            data["weight"] += _sign(p.polarity)
            data["positive" if p.polarity > 0 else "negative"] += 1
            g.add_edge(p.actor, target, **data)
    return g


@dataclass
class Bloc:
    """Actors on one side."""

    members: list[str]
    friendly_ties: int
    """Positive ties inside the bloc."""
    hostile_ties_out: int
    """Negative ties from the bloc's members to other blocs."""


@dataclass
class BlocResult:
    """The partition :func:`find_blocs` found."""

    blocs: list[Bloc]
    even_handed: list[str]
    """Actors with no signed tie that addressed members of two or more blocs neutrally."""
    unaligned: list[str]
    """Actors with no signed tie that addressed at most one bloc."""
    frustration: int
    """Hostile weight inside blocs plus friendly weight between them; 0 is perfectly balanced."""
    method: str = BLOC_METHOD

    def bloc_of(self) -> dict[str, str]:
        """Actor label → a bloc name ("bloc 1", …, "even-handed", "unaligned")."""
        out = {a: "even-handed" for a in self.even_handed} | {a: "unaligned" for a in self.unaligned}
        for i, bloc in enumerate(self.blocs, 1):
            out.update({a: f"bloc {i}" for a in bloc.members})
        return out


def _partition(g: nx.Graph) -> dict[str, int]:
    """Correlation clustering by local search: start from the components of the friendly ties,
    then move single actors to the cluster (or a new one) that lowers the frustration most,
    until no move helps. Deterministic: actors are visited in sorted order."""
    import networkx as nx

    friendly = nx.Graph()
    friendly.add_nodes_from(g)
    friendly.add_edges_from((u, v) for u, v, w in g.edges(data="weight") if w > 0)
    cluster: dict[str, int] = {}
    for i, comp in enumerate(sorted(nx.connected_components(friendly), key=lambda c: sorted(c))):
        cluster.update(dict.fromkeys(comp, i))

    def cost(node: str, c: int) -> int:
        total = 0
        for other, data in g[node].items():
            w = data["weight"]
            same = cluster[other] == c
            total += -w if (same and w < 0) else (w if (not same and w > 0) else 0)
        return total

    for _ in range(100):  # a bound, not a tuning knob: each pass strictly lowers the cost
        moved = False
        for node in sorted(g):
            here = cluster[node]
            options = {cluster[o] for o in g[node]} | {max(cluster.values()) + 1}
            best = min(sorted(options), key=lambda c: cost(node, c))
            if cost(node, best) < cost(node, here):
                cluster[node] = best
                moved = True
        if not moved:
            break
    return cluster


def find_blocs(found: Sequence[Position]) -> BlocResult:
    """Alignment blocs of the actors in ``found`` (see :data:`BLOC_METHOD`).

    Actors that only ever took neutral stances are not forced into a bloc: they are
    ``even_handed`` when their neutral reactions reached members of two or more blocs (the
    callers for restraint on both sides of a clash), ``unaligned`` otherwise."""
    g = signed_graph(found)
    signed_nodes = {n for n in g if g.degree(n) > 0}
    cluster = _partition(g.subgraph(signed_nodes))
    groups: dict[int, list[str]] = defaultdict(list)
    for actor, c in cluster.items():
        groups[c].append(actor)

    def ties(members: set[str], sign: int, inside: bool) -> int:
        count = 0
        for u, v, w in g.edges(data="weight"):
            if _sign(w) == sign and ((u in members) and (v in members)) == inside and (u in members or v in members):
                count += abs(w)
        return count

    blocs = []
    for members in groups.values():
        group = set(members)
        blocs.append(Bloc(sorted(members), ties(group, 1, True), ties(group, -1, False)))
    # Bigger and more cohesive blocs first, then by name: a stable order for output and tests.
    blocs.sort(key=lambda b: (-len(b.members), -b.friendly_ties, b.members))
    frustration = sum(
        -w if cluster[u] == cluster[v] and w < 0 else (w if cluster[u] != cluster[v] and w > 0 else 0)
        for u, v, w in g.subgraph(signed_nodes).edges(data="weight")
    )
    reached: dict[str, set[int]] = defaultdict(set)
    for p in found:
        if p.actor not in signed_nodes:
            reached[p.actor].update(cluster[t] for t in p.targets if t in cluster)
    neutral = sorted(set(g) - signed_nodes)
    return BlocResult(
        blocs=blocs,
        even_handed=[a for a in neutral if len(reached[a]) >= 2],
        unaligned=[a for a in neutral if len(reached[a]) < 2],
        frustration=frustration,
    )


@dataclass
class Mediator:
    """An actor's even-handedness score and what it rests on."""

    actor: str
    score: int
    bridging: int
    """Appeals or mediation offers aimed at both sides of a hostile pair."""
    mediation_offers: int
    partial: int
    """Signed reactions toward any party of those pairs."""
    pairs: list[str] = field(default_factory=list)


def hostile_pairs(found: Iterable[Position]) -> set[frozenset[str]]:
    """Pairs of actors whose net tie is hostile."""
    g = signed_graph(found)
    return {frozenset((u, v)) for u, v, w in g.edges(data="weight") if w < 0}


def rank_mediators(found: Sequence[Position]) -> list[Mediator]:
    """Actors that appealed to or offered mediation to both sides of a hostile pair, ranked by
    :data:`MEDIATOR_MEASURE` (ties broken by mediation offers, then name). The parties to a
    hostile pair are not mediators between themselves."""
    pairs = hostile_pairs(found)
    bridging: dict[str, int] = defaultdict(int)
    offers: dict[str, int] = defaultdict(int)
    spans: dict[str, set[str]] = defaultdict(set)
    for p in found:
        if p.stance_class not in BRIDGING_CLASSES:
            continue
        hit = [pair for pair in pairs if pair <= set(p.targets) and p.actor not in pair]
        if hit:
            bridging[p.actor] += 1
            offers[p.actor] += p.stance_class == "MEDIATE"
            spans[p.actor].update(" – ".join(sorted(pair)) for pair in hit)
    parties = set().union(*pairs) if pairs else set()
    partial: dict[str, int] = defaultdict(int)
    for p in found:
        if p.polarity != 0 and parties.intersection(p.targets):
            partial[p.actor] += 1
    ranked = [
        Mediator(a, bridging[a] - partial[a], bridging[a], offers[a], partial[a], sorted(spans[a]))
        for a in bridging
    ]
    ranked.sort(key=lambda m: (-m.score, -m.mediation_offers, m.actor))
    return ranked


@dataclass
class Comparison:
    """One row of :func:`compare`."""

    event: str
    stance_class: str
    verdict: str
    """"agreed", "differed", or "only <actor>"."""
    first: list[str]
    second: list[str]


def _said(p: Position) -> str:
    return p.stance + (" → " + ", ".join(p.targets) if p.targets else "")


def compare(first: Sequence[Position], second: Sequence[Position], names: tuple[str, str]) -> list[Comparison]:
    """Where two actors agreed or differed, per event and stance class.

    A stance class both used in an event is "agreed". A class only one used is "only <actor>",
    unless the other took the opposite polarity toward the same target in that event, which
    makes it "differed"."""
    by_key: dict[tuple[str, str], tuple[list[Position], list[Position]]] = defaultdict(lambda: ([], []))
    for side, found in enumerate((first, second)):
        for p in found:
            by_key[(p.event or "(no event)", p.stance_class)][side].append(p)

    def signs(found: Sequence[Position], event: str) -> dict[str, set[int]]:
        out: dict[str, set[int]] = defaultdict(set)
        for p in found:
            if (p.event or "(no event)") == event and p.polarity:
                for t in p.targets:
                    out[t].add(_sign(p.polarity))
        return out

    rows = []
    for (event, cls), (a, b) in sorted(by_key.items()):
        if a and b:
            verdict = "agreed"
        else:
            mine, theirs = (a, signs(second, event)) if a else (b, signs(first, event))
            opposed = any(-_sign(p.polarity) in theirs.get(t, ()) for p in mine if p.polarity for t in p.targets)
            verdict = "differed" if opposed else f"only {names[0] if a else names[1]}"
        rows.append(Comparison(event, cls, verdict, sorted({_said(p) for p in a}), sorted({_said(p) for p in b})))
    return rows


def timeline(found: Sequence[Position]) -> list[Position]:
    """Positions oldest first (by the earliest possible day, undated last), then by stance class."""
    far = date.max
    return sorted(found, key=lambda p: (p.earliest or p.latest or far, p.latest or far, p.stance_class, p.stance))


def write_projection(g: nx.Graph, path: Path) -> None:
    """Write a projection for Gephi: GraphML or GEXF by the file's suffix, replaced atomically."""
    import networkx as nx

    from graph.files import atomic_output

    writers = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf}
    writer = writers.get(path.suffix.lower())
    if writer is None:
        raise BadInput(f"{path}: the graph file must end in .graphml or .gexf")
    with atomic_output(path) as out:
        writer(g, out)


def bloc_graph(found: Sequence[Position], result: BlocResult | None = None) -> nx.Graph:
    """The signed actor graph with each actor's bloc as a node attribute, ready to export."""
    g = signed_graph(found)
    names = (result or find_blocs(found)).bloc_of()
    for node in g:
        g.nodes[node]["bloc"] = names.get(node, "unaligned")
        g.nodes[node]["label"] = node
    for _, _, data in g.edges(data=True):
        data["sign"] = "+" if data["weight"] > 0 else ("-" if data["weight"] < 0 else "0")
    return g


def records(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Dataclass results as JSON-ready dicts."""
    from dataclasses import asdict

    return [asdict(i) for i in items]
