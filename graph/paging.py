"""Pages of the paged named queries: which keys (reactions, sources, actors, days, pairs) one page
holds, and how many there are in all.

A paged query (``# Page: VAR`` in its header, see :mod:`graph.queries`) has a ``VALUES ?VAR
{ UNDEF }`` block; :func:`page_keys` chooses the page's keys from a few facts of each and the
query is then run with the block holding just those, so titles, labels and OPTIONALs are joined
for one page only. Why not ``ORDER BY … LIMIT`` in the query itself: Oxigraph sorts by reading
each compared term back from its dictionary, and sorted 163k sources (the sources of a 1M store)
in 6-10 s to show 50; the keys are walked from an index instead (newest day first), and only a
remote store (which sorts well and would send every key over HTTP) or a small one cuts the page
with a sorting query.

Officials are paged by person, walking the bodies that have posts in the order of the names they
speak for (:func:`official_page`).

The whole-graph counts (``actors``, ``reactions-over-time``, ``who-sided-with-whom``) are paged by
actor, by day and by pair (actor's name, side, target's name), and the stances toward one actor
(``stances-toward-actor``) by stance class and the name of who took it. While the summaries are current, a
page is chosen from a few columns of the tallies, each read with one pattern and joined here (at
1M reactions the counts list 38k actors, 25k day rows and 23k pairs, and reading them whole cost
2-4 s, one index lookup per tally and column); otherwise the query runs whole and the page is cut
from its keys in order (a small store, a server, or an event's reactions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from graph import tallies
from graph.queries import NamedQuery, internal_query

if TYPE_CHECKING:
    from rdflib.term import Identifier

    from graph.sparql import Answer
    from graph.store import Store

#: How many keys a page holds unless told otherwise.
PAGE = 50

#: Holders of posts asked their names in one query (a VALUES block of 10k persons was planned
#: badly and ran past the time limit; 1,000 at a time took 0.5 s for all 10k).
_HOLDERS = 1_000

#: Above this many sources (and for pages in their first half), a store on disk finds a page of
#: sources by walking back through the publication days instead of ordering them all (the
#: sorting query cost 0.1 s for the real store's 1,300 sources, 15 s for 163k).
WALK_FROM = 2_000


def page_keys(
    store: Store, query: NamedQuery, bindings: Mapping[str, Identifier], limit: int, offset: int = 0
) -> tuple[list[Any], int]:
    """The keys on the page of ``query`` that starts ``offset`` keys in and holds at most
    ``limit`` (IRIs as text or RDF terms; a pair as a tuple of terms), in the query's page order,
    and how many keys there are in all."""
    if query.page == "reaction":
        from graph.lookup import chosen_page

        return chosen_page(
            store, who=bindings.get("who"), toward=bindings.get("toward"), event=bindings.get("within"),  # type: ignore[arg-type]
            limit=limit, offset=offset,
        )
    if query.page == "source":
        return source_page(store, limit, offset)
    if query.page in ("actor", "day", "pair", "stance"):
        return count_page(store, query, bindings, limit, offset)
    if query.page == "official":
        return official_page(store, query, limit, offset)
    raise ValueError(f"{query.name}: no way to page by {query.page!r}")


def count_page(
    store: Store, query: NamedQuery, bindings: Mapping[str, Identifier], limit: int, offset: int = 0
) -> tuple[list[Any], int]:
    """One page of the actors, days or pairs (actor's name, side, target's name) a whole-graph
    count answers for, in its answer's order, and how many there are: from the tallies' columns
    while the query reads them, else cut from the keys of its whole answer."""
    from graph import summaries

    if limit < 0 or offset < 0:
        raise ValueError("count_page: offset and limit must not be negative")
    if query.name in summaries.SUMMARIZED and summaries.query_text(store, query.name, bindings) != query.text:
        if query.page == "actor":
            return _actors_by_reactions(store, limit, offset)
        from graph.store import _from_oxigraph

        if query.page in ("pair", "stance"):
            from rdflib import Literal

            named = _tally_pairs(store) if query.page == "pair" else _tally_stances(store, bindings["target"])
            return [tuple(Literal(name) for name in key) for key in named[offset : offset + limit]], len(named)
        days = _tally_days(store)
        term = _from_oxigraph()  # only the page's keys become rdflib terms
        return [term(k) for k in days[offset : offset + limit]], len(days)
    return _cut_from_answer(store, query, bindings, limit, offset)


#: The summaries' page texts that find each key of several terms by its one-literal key: the
#: variable of that literal, and how it is made from the key's terms and the query's bindings.
_LITERAL_KEYS = {
    "pair": ("pair", lambda key, _bindings: tallies.pair_key(*(str(term) for term in key))),
    "stance": ("stanceKey", lambda key, bindings: tallies.stance_key(str(bindings["target"]), *(str(term) for term in key))),
}


def keyed_values(page: str, text: str, bindings: Mapping[str, Identifier], keys: list[tuple[Any, ...]]) -> dict[Any, list[Any]]:
    """The VALUES rows that fill ``text`` with ``keys`` of several terms: the keys as they are,
    or, where the text is a summaries' page text that looks each key up by its one-literal key
    (dr:tallyPair, dr:tallyStanceKey), that literal before each."""
    from rdflib import Literal

    from graph.queries import PAGED, values_block

    variables = PAGED[page]
    literal = _LITERAL_KEYS.get(page)
    if literal is not None and values_block((literal[0], *variables)) in text:
        name, make = literal
        return {(name, *variables): [(Literal(make(key, bindings)), *key) for key in keys]}
    return {variables: keys}


def _cut_from_answer(
    store: Store, query: NamedQuery, bindings: Mapping[str, Identifier], limit: int, offset: int
) -> tuple[list[Any], int]:
    """The page's keys cut from the keys of the query's whole answer, in the answer's order, and
    how many there are: for a small store, a server or a narrowed count."""
    from graph.queries import PAGED

    variables = PAGED[query.page or ""]
    found = (tuple(row[v] for v in variables) for row in store.query(query.text, bindings))
    keys = [key if len(key) > 1 else key[0] for key in dict.fromkeys(key for key in found if None not in key)]
    return keys[offset : offset + limit], len(keys)


def _column(store: Store, name: str) -> Iterator[tuple[Any, Any]]:
    """(tally, value) for every tally with ``dr:NAME`` (pyoxigraph terms)."""
    from rdflib import URIRef

    from graph import vocab
    from graph.store import _prebind

    text = _prebind(internal_query("summaries", "column"), {"predicate": URIRef(vocab.DR[name])})
    for row, value in store._run_oxigraph(text):
        yield row, value


def _actors_by_reactions(store: Store, limit: int, offset: int) -> tuple[list[str], int]:
    """One page of the actors the summaries count, most reactions first (made + voiced +
    received), then by least name, as summaries/actors.rq orders them, and how many there are.
    Only the page's tallies are asked which actor they count."""
    import pyoxigraph

    from graph import vocab
    from graph.summaries import graph_iri

    total: Counter[Any] = Counter()
    for name in ("made", "voiced", "received"):
        for row, count in _column(store, name):
            total[row] += int(count.value)
    label: dict[Any, str] = {}
    for row, value in _column(store, "tallyLabel"):  # only actor tallies have one, with a type
        if row not in label or value.value < label[row]:
            label[row] = value.value
    of, graph = pyoxigraph.NamedNode(str(vocab.DR.tallyOf)), pyoxigraph.NamedNode(graph_iri())

    def actor_of(row: Any) -> str:
        return next(store._ox.quads_for_pattern(row, of, None, graph)).object.value  # type: ignore[no-any-return]

    # Two actors of one name and count (two people called alike) go by IRI, as the query orders
    # them; only those few are asked which actor they count.
    alike = Counter((total[row], label[row]) for row in label)
    ranked = sorted(label, key=lambda row: (-total[row], label[row], actor_of(row) if alike[(total[row], label[row])] > 1 else ""))
    page = [actor_of(row) for row in ranked[offset : offset + limit]]
    return page, len(ranked)


def _tally_days(store: Store) -> list[Any]:
    """Every day the day tallies count, oldest first (pyoxigraph literals)."""
    return sorted({value for _, value in _column(store, "tallyDay")}, key=lambda day: day.value)


def _tally_pairs(store: Store) -> list[tuple[str, str, str]]:
    """Every (actor's name, side, target's name) the pair tallies count, in the order of
    who-sided-with-whom.rq (by actor's name, "with" before "against", then by target's name), as
    text: read from the pair keys (``dr:tallyPair``), one column (the three columns of
    names, joined here, took 0.5 s for the 23k pairs of 1M reactions)."""
    import json

    found = {tuple(json.loads(value.value)) for _, value in _column(store, "tallyPair")}
    ordered = sorted(found, key=lambda key: key[2])
    ordered.sort(key=lambda key: key[1], reverse=True)  # stable: targets stay in order
    ordered.sort(key=lambda key: key[0])
    return ordered


def _tally_stances(store: Store, target: Identifier) -> list[tuple[str, str]]:
    """Every (stance class, actor's name) stances-toward-actor.rq answers for ``target``, in its
    order (by class, then name), as text: from the keys (dr:tallyStanceKey) of the
    tallies aimed at ``target`` (paging/stance-keys.rq). The whole answer for the busiest target
    of 1M reactions (5,700 rows) took 0.47 s; reading each tally's stance, its class and its
    actor's names, 0.36 s."""
    import json

    from graph.store import _prebind

    text = _prebind(internal_query("paging", "stance-keys"), {"target": target})
    return sorted({tuple(json.loads(key.value)[1:]) for (key,) in store._run_oxigraph(text)})


def official_page(store: Store, query: NamedQuery, limit: int, offset: int = 0) -> tuple[list[str], int]:
    """One page of the officials (persons holding a post) in the order of officials.rq: by the
    name of the state or organization they speak for, then by their own name (then IRI); and how
    many persons hold a post.

    A store on disk walks the bodies that have posts, grouped by that name, in order, and reads
    only the holders of the groups it needs (:data:`_HOLDERS` at a time are asked their names),
    so a page costs what the groups up to it hold: the whole list of 37k officials of a 1M store
    took 6-9 s, its first page 0.2 s. A person is placed by the first group that names them. A
    server or a store in memory runs the whole list and cuts the page from it.

    Unless the walk reads every group, the count is of the persons holding a post
    (count-officials.rq), which includes any without a name or whose posts are in no named body:
    the list leaves those out (``diplo doctor`` reports actors without a name)."""
    from rdflib import URIRef

    if limit < 0 or offset < 0:
        raise ValueError("official_page: offset and limit must not be negative")
    if getattr(store, "_ox", None) is None:
        return _cut_from_answer(store, query, {}, limit, offset)
    groups: dict[str, set[str]] = {}
    for body, name in store.rows(internal_query("paging", "official-groups")):
        if body is not None and name is not None:
            groups.setdefault(name, set()).add(body)
    holders, named = internal_query("paging", "holders-in"), internal_query("paging", "person-names")
    keys: list[str] = []
    placed: set[str] = set()
    end, walked = offset + limit, 0
    for name in sorted(groups):
        found = [row[0] for row in store.rows(holders, values={"body": [URIRef(b) for b in sorted(groups[name])]})]
        fresh = [URIRef(person) for person in found if person is not None and person not in placed]
        least: dict[str, str] = {}
        for start in range(0, len(fresh), _HOLDERS):
            for person, label in store.rows(named, values={"person": fresh[start : start + _HOLDERS]}):
                if person is not None and label is not None and (person not in least or label < least[person]):
                    least[person] = label
        ordered = sorted(least, key=lambda person: (least[person], person))
        keys += ordered
        placed.update(ordered)
        walked += 1
        if len(keys) >= end:
            break
    if walked == len(groups):  # every group was read: the count is the list's own
        return keys[offset:end], len(keys)
    counted = store.rows(internal_query("paging", "count-officials"))
    return keys[offset:end], int(counted[0][0] or 0) if counted else len(keys)


def _source_key(day: date | None, title: str | None, iri: str) -> tuple[object, ...]:
    """Sorts sources as sources-ordered.rq does: newest day first, undated last; then the
    title, untitled first (SPARQL orders unbound before any value); then the IRI."""
    return (day is None, -day.toordinal() if day else 0, title is not None, title or "", iri)


def source_page(store: Store, limit: int, offset: int = 0) -> tuple[list[str], int]:
    """One page of the sources, newest published first (then by title, then IRI), and how many
    sources there are. On a store on disk holding more than :data:`WALK_FROM`, a page in the
    first half is found by walking back through the publication days (:func:`_walked_sources`),
    which costs what the page holds; deeper pages, small stores and remote ones use the sorting
    query (sources-ordered.rq)."""
    if limit < 0 or offset < 0:
        raise ValueError("source_page: offset and limit must not be negative")
    counted = store.rows(internal_query("paging", "count-sources"))
    total = int(counted[0][0] or 0) if counted else 0
    end = offset + limit
    if not getattr(store, "pages_on_server", False) and total > WALK_FROM and end <= total // 2:
        walked = _walked_sources(store, end)
        if walked is not None:
            return walked[offset:end], total
    text = internal_query("paging", "sources-ordered") + f"\nLIMIT {int(limit)} OFFSET {int(offset)}\n"
    return [row[0] for row in store.rows(text) if row[0] is not None], total


def _walked_sources(store: Store, wanted: int) -> list[str] | None:
    """The first ``wanted`` dated sources in page order, found by walking back from a year ahead
    through the calendar a few days at a time (sources-on-days.rq); None when fewer are dated
    than ``wanted`` (the undated come last: the sorting query then orders them).

    Every source whose newest day lies in a walked window is found there (its older days, met
    later, are skipped), and a window is read whole, so the page is exactly the sorting query's."""
    from graph.lookup import walk_days

    probe, on_days = internal_query("paging", "first-source-on-days"), internal_query("paging", "sources-on-days")
    found: dict[str, tuple[date, str | None]] = {}
    for days in walk_days(store, probe, wanted, lambda: len(found)):
        seen: dict[str, tuple[date, str | None]] = {}
        for source, day_text, title in store.rows(on_days, values={"day": days}):
            if source is None or day_text is None or source in found:
                continue  # met on a newer day already
            day = date.fromisoformat(day_text)
            old_day, old_title = seen.get(source, (day, title))
            least = min((t for t in (old_title, title) if t is not None), default=None)
            seen[source] = (max(day, old_day), least)
        found.update(seen)
    if len(found) < wanted:
        return None  # the floor came first: too few dated
    return sorted(found, key=lambda iri: _source_key(found[iri][0], found[iri][1], iri))[:wanted]


def sources_page(store: Store, limit: int | None = PAGE, offset: int = 0) -> tuple[list[dict[str, Any]], Answer]:
    """One page of ``diplo sources`` (every source when ``limit`` is None): each source as a
    record (its key, title, URL, date, reactions and what produced it), and the answer with the
    total and how many more there are."""
    from graph.sparql import run_query

    answer = run_query(store, named="sources", limit=limit, offset=offset)
    return [source_record(row) for row in answer.result], answer


def source_record(row: Any) -> dict[str, Any]:
    """One row of the ``sources`` query as ``diplo sources`` lists it."""
    return {
        "source": str(row.source),
        "key": str(row.source).rsplit("/", 1)[-1],
        "title": str(row.title) if row.title is not None else None,
        "url": str(row.url) if row.url is not None else None,
        "published": str(row.published) if row.published is not None else None,
        "reactions": int(row.reactions),
        "made_by": str(row.madeBy) if row.madeBy is not None else None,
    }
