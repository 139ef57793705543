"""Lookups behind ``diplo actor``, ``diplo event`` and ``diplo actors``.

Each returns plain records (dataclasses or dicts of strings and numbers) that the CLI prints as a
table, JSON or CSV, and that a notebook can use directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from graph import summaries, vocab
from graph.queries import named_query
from graph.resolve import Names, resolve_name

if TYPE_CHECKING:
    from rdflib.term import URIRef

    from graph.sparql import Answer
    from graph.store import Store


@dataclass
class Position:
    """One reaction as a lookup shows it."""

    reaction: str
    when: str
    """The date, or the range the source allows (``2020-07-12..2020-07-14``)."""
    stance_class: str
    stance: str
    stance_iri: str
    polarity: int
    actor: str
    targets: list[str]
    event: str | None
    speaker: str | None
    role: str | None
    quote: str | None
    evidence: str | None
    start: int | None
    end: int | None
    channel: str | None
    date_expression: str | None
    source: str
    source_title: str | None
    source_url: str | None
    publisher: str | None
    published: str | None
    confidence: float | None
    source_kind: str | None = None
    """curated, extracted, or the event data set imported (gdelt, icews, csv)."""
    target_basis: str | None = None
    """How an extractor found the targets (dr:targetBasis: "tree", "named", "the other party" …);
    None for curated and imported reactions."""
    earliest: date | None = field(default=None, repr=False)
    latest: date | None = field(default=None, repr=False)

    def record(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings, no internal fields)."""
        out = asdict(self)
        out.pop("earliest")
        out.pop("latest")
        return out


@dataclass
class Subject:
    """Who or what a lookup was about."""

    iri: str
    label: str
    kind: str
    """The class label ("State", "Person", "Armed clash" …)."""
    posts: list[dict[str, str]] = field(default_factory=list)
    """For a person: each post, its body and on whose behalf it speaks."""


def _opt(value: Any, cast: Any = str) -> Any:
    """``cast(value)``, or None for an unbound variable."""
    return None if value is None else cast(value)


def _when(day: date | None, earliest: date | None, latest: date | None) -> str:
    if day is not None:
        return day.isoformat()
    lo = earliest.isoformat() if earliest else ""
    hi = latest.isoformat() if latest else ""
    return f"{lo}..{hi}" if (lo or hi) else "undated"


@dataclass
class Page:
    """One page of a lookup: the positions shown, how many there are in all, and where the page
    starts among them (newest first)."""

    positions: list[Position]
    total: int
    offset: int = 0

    @property
    def more(self) -> int:
        """How many positions come after this page."""
        return max(0, self.total - self.offset - len(self.positions))


@dataclass
class _Key:
    """What a reaction is ordered and filtered by before its details are read."""

    actor: str = ""
    stances: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    day: date | None = None
    earliest: date | None = None
    latest: date | None = None


def positions(
    store: Store,
    who: URIRef | None = None,
    event: URIRef | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    toward: URIRef | None = None,
    limit: int | None = None,
    min_confidence: float | None = None,
) -> list[Position]:
    """Reactions, newest first, optionally only those of ``who`` (an actor, a body under it, or a
    person who voiced them) or those aimed ``toward`` an actor, about ``event`` (or an event
    within it), of ``stance`` (a coarse class or a finer concept, by notation or label) and
    possibly made between ``since`` and ``until`` (a reaction dated by a range is kept when the
    range overlaps), and, of those extracted from text, only those of at least ``min_confidence``
    (curated and imported ones are kept); at most ``limit`` of them (the newest) when given. See
    :func:`page`."""
    return page(store, who, event, stance, since, until, toward, limit, min_confidence=min_confidence).positions


def page(
    store: Store,
    who: URIRef | None = None,
    event: URIRef | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    toward: URIRef | None = None,
    limit: int | None = None,
    offset: int = 0,
    min_confidence: float | None = None,
) -> Page:
    """The page of :func:`positions` that starts ``offset`` reactions in (newest first) and holds
    at most ``limit`` of them (all when None), with the total count.

    The reactions are chosen first (:func:`chosen_reactions`); only the page's details are read
    (reaction-details.rq), so a page costs what it shows plus one pass over the keys, or less
    for a busy actor's first pages (:func:`chosen_page`)."""
    from rdflib import URIRef

    if offset < 0 or (limit is not None and limit < 0):
        raise ValueError("positions: offset and limit must not be negative")
    shown, total = chosen_page(store, who, event, stance, since, until, toward, limit, offset, min_confidence)
    details = {}
    batch = store.values_batch
    for i in range(0, len(shown), batch):
        details.update(_read_details(store, [URIRef(iri) for iri in shown[i : i + batch]]))
    return Page([details[iri] for iri in shown if iri in details], total, offset)


def chosen_page(
    store: Store,
    who: URIRef | None = None,
    event: URIRef | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    toward: URIRef | None = None,
    limit: int | None = None,
    offset: int = 0,
    min_confidence: float | None = None,
) -> tuple[list[str], int]:
    """The IRIs of one page of :func:`chosen_reactions` and how many there are in all.

    The first pages of an actor with more than :data:`WALK_FROM` reactions, or of every reaction
    in a store holding more, are found by walking back from the newest day (:func:`_walked_page`)
    rather than by ordering them all; the total is then the store's count (which includes any
    reaction whose stance is outside the scheme: validation reports those). A remote store
    orders and cuts such pages itself, and those of an event (:func:`_server_page`)."""
    end = offset + limit if limit is not None else None
    plain = limit is not None and stance is since is until is min_confidence is None and sum(x is not None for x in (who, event, toward)) <= 1
    if plain and getattr(store, "pages_on_server", False):
        return _server_page(store, who, event, limit or 0, offset, toward)
    if end is not None and event is stance is since is until is min_confidence is None and (who is None or toward is None):
        walked = _walked_page(store, who, end, toward)
        if walked is not None:
            ordered, total = walked
            return ordered[offset:end], total
        if toward is not None and limit is not None:
            aimed = _aimed_page(store, toward, end)  # type: ignore[arg-type]
            if aimed is not None:
                ordered, total = aimed
                return ordered[offset:end], total
            # Ordered and cut by the store, as on a server: the full pass (reactions-toward.rq)
            # read the facts of every reaction in the store, 29 s for 1,132 of them at 1M.
            return _server_page(store, None, None, limit, offset, toward)
    chosen = chosen_reactions(store, who, event, stance, since, until, toward, min_confidence)
    return chosen[offset:end], len(chosen)


def _server_page(
    store: Store, who: URIRef | None, event: URIRef | None, limit: int, offset: int, toward: URIRef | None = None
) -> tuple[list[str], int]:
    """One page of the reactions of ``who``, about ``event`` or of the whole store, ordered and
    cut by the store itself (lookup/page-by.rq and its siblings), with the total (the store's
    count, as for :func:`_walked_page`, given on every row).

    Why: a remote store sends every row over HTTP, and the full pass reads every reaction's keys
    (7,500 rows for the busiest actor of the real store) to show 50; the walk by day would be a
    request per window. On Virtuoso the server's ORDER BY … LIMIT costs what two counts do."""
    from graph.queries import internal_query

    if who is not None:
        name, bindings = "page-by", {"who": who}
    elif event is not None:
        name, bindings = "page-about", {"within": event}
    elif toward is not None:
        name, bindings = "page-toward", {"toward": toward}
    else:
        name, bindings = "page-all", {}
    text = internal_query("lookup", name)

    def cut(limit: int, offset: int) -> list[tuple[str | None, ...]]:
        return store.rows(text + f"\nLIMIT {int(limit)} OFFSET {int(offset)}\n", bindings)

    rows = cut(limit, offset)
    if not rows and (offset or not limit):
        rows_total = cut(1, 0)  # past the end: the total comes with the first row
        total = int(rows_total[0][5] or 0) if rows_total else 0
    else:
        total = int(rows[0][5] or 0) if rows else 0
    keys: dict[str, _Key] = {}
    for reaction, day, latest, earliest, actor, _ in rows:
        if reaction is None:
            continue
        key = _Key(actor=actor or "", day=_iso_day(day) if day else None)
        key.earliest = key.day or (_iso_day(earliest) if earliest else None)
        key.latest = key.day or (_iso_day(latest) if latest else None)
        keys[reaction] = key
    return _in_lookup_order(keys), total


def chosen_reactions(
    store: Store,
    who: URIRef | None = None,
    event: URIRef | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    toward: URIRef | None = None,
    min_confidence: float | None = None,
) -> list[str]:
    """The IRIs of the reactions :func:`positions` shows, newest first, chosen from a few facts
    each (actor, stance, dates: reactions-by.rq and its siblings) without reading their details;
    with ``min_confidence``, their confidences too (lookup/confidence-of.rq)."""
    from rdflib import URIRef

    if who is not None and toward is not None:
        raise ValueError("positions: give who or toward, not both")
    keys = _reaction_keys(store, who, toward, event)
    wanted = vocab.stance_by_name(stance) if stance else None
    concepts = vocab.stances()

    def keep(key: _Key) -> bool:
        if wanted is not None and not any(
            iri == str(wanted.iri) or concepts[URIRef(iri)].coarse == wanted.notation for iri in key.stances
        ):
            return False
        if since is not None and key.latest is not None and key.latest < since:
            return False
        return not (until is not None and key.earliest is not None and key.earliest > until)

    kept = {iri: key for iri, key in keys.items() if keep(key)}
    if min_confidence is not None:
        confidence = _confidences(store, list(kept))  # extracted reactions only: the others stay
        kept = {iri: key for iri, key in kept.items() if confidence.get(iri, min_confidence) >= min_confidence}
    return _in_lookup_order(kept)


def _confidences(store: Store, reactions: list[str]) -> dict[str, float]:
    """The extractor's confidence of each of ``reactions`` that was extracted from text (the
    least, should two graphs state different ones): lookup/confidence-of.rq, then
    lookup/extracting.rq for the activities that made them."""
    from rdflib import URIRef

    from graph.queries import internal_query

    stated: list[tuple[str, float, str]] = []
    batch = store.values_batch
    for i in range(0, len(reactions), batch):
        rows = store.rows(internal_query("lookup", "confidence-of"), values={"reaction": [URIRef(iri) for iri in reactions[i : i + batch]]})
        stated += [(str(r), float(c), str(a)) for r, c, a in rows if c is not None and a is not None]
    activities = sorted({a for _, _, a in stated})
    extracting: set[str] = set()
    for i in range(0, len(activities), batch):
        rows = store.rows(internal_query("lookup", "extracting"), values={"activity": [URIRef(a) for a in activities[i : i + batch]]})
        extracting.update(str(a) for (a,) in rows)
    found: dict[str, float] = {}
    for reaction, confidence, activity in stated:
        if activity in extracting:
            found[reaction] = min(confidence, found.get(reaction, confidence))
    return found


def _in_lookup_order(keys: dict[str, _Key]) -> list[str]:
    """The reactions' IRIs newest first; within a day by actor (its IRI is its name's slug),
    then by reaction."""
    return sorted(keys, key=lambda iri: (*_day_key(keys[iri].latest or keys[iri].earliest), keys[iri].actor, iri))


def _day_key(day: date | None) -> tuple[int, int]:
    """Sorts newest first, undated last."""
    return (1, 0) if day is None else (0, -day.toordinal())


def _newest_first(pos: Position) -> tuple[int, int, str, str]:
    # For positions merged from two lookups: newest first, then by actor.
    return (*_day_key(pos.latest or pos.earliest), pos.actor, pos.reaction)


def _iso_day(text: str) -> date | None:
    """The day an ``xsd:date``'s lexical form names; None for anything else."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _reaction_keys(store: Store, who: URIRef | None, toward: URIRef | None, event: URIRef | None) -> dict[str, _Key]:
    """The reactions one lookup is about (every reaction when it names nothing), each with what
    it is ordered and filtered by. Only reactions whose stance is in the scheme are kept
    (validation reports the others)."""
    if who is not None:
        found = store.rows(named_query("reactions-by").text, {"who": who})
    elif toward is not None:
        found = store.rows(named_query("reactions-toward").text, {"toward": toward})
    elif event is not None:
        found = store.rows(named_query("reactions-about").text, {"within": event})
    else:
        found = store.rows(named_query("reaction-keys").text)
    # An actor's reactions about an event: those about it or an event within it.
    events = None
    if event is not None and (who is not None or toward is not None):
        events = {str(event)} | {row[0] for row in store.rows(named_query("events-within").text, {"within": event}) if row[0]}
    keys = _keys(found)
    return {iri: key for iri, key in keys.items() if events is None or key.events & events}


def _keys(found: Iterable[tuple[str | None, ...]], stanced: bool = True) -> dict[str, _Key]:
    """Each reaction's key from rows of (reaction, field, value), as reactions-by.rq and its
    siblings answer them; reactions with no stance in the scheme are left out (unless not
    ``stanced``: rows of dates only, to order by)."""
    concepts = {str(iri) for iri in vocab.stances()}
    keys: dict[str, _Key] = defaultdict(_Key)
    for reaction, name, value in found:
        if reaction is None or value is None:
            continue
        key = keys[reaction]
        if name == "actor":
            key.actor = min(key.actor, value) if key.actor else value
        elif name == "stance":
            if value in concepts:
                key.stances.add(value)
        elif name == "event":
            key.events.add(value)
        elif name in ("date", "notBefore", "notAfter"):
            day = _iso_day(value)
            if day is None:
                continue
            # Two values of one date: the range they allow, widest first.
            if name == "date":
                key.day = max(key.day, day) if key.day else day
            elif name == "notBefore":
                key.earliest = min(key.earliest, day) if key.earliest else day
            else:
                key.latest = max(key.latest, day) if key.latest else day
    for key in keys.values():
        if key.day is not None:
            key.earliest = key.latest = key.day
    return {iri: key for iri, key in keys.items() if key.stances or not stanced}


#: An actor with more reactions than this has the first pages of its lookup found by walking back
#: from the newest day (:func:`_walked_page`) rather than by reading every reaction's key.
WALK_FROM = 20_000
#: How far back the walk goes before it gives the page up to the full pass.
_WALK_FLOOR = date(1900, 1, 1)
_WIDEST_EMPTY_STEP = 1024
_WIDEST_STEP = 64
#: What a page of reactions toward a target costs, in µs (measured at 1M): reading the target's
#: reactions costs _READ_US for each; the walk back by day costs _WALK_START_US to find the newest
#: day, then _WALK_US for each reaction it passes (the store's reactions over the target's, per
#: reaction wanted; windows overshoot a little). The cheaper is chosen: at 1M the two meet near
#: 5.5k reactions (a target of 4.9k: walk 0.34 s, read 0.29 s; 7k: walk 0.22 s, read 0.39 s).
_READ_US, _WALK_START_US, _WALK_US = 60, 80_000, 25


def walk_days(store: Store, probe: str, wanted: int, found: Callable[[], int]) -> Iterator[list[Any]]:
    """Windows of days (xsd:date literals), newest first, starting a year ahead (ranges may end
    in the future: a truce "until next year"), for a walk back through the calendar that wants
    ``wanted`` keys and has ``found()`` so far. Empty stretches are skipped fast: ``probe`` (a
    query with a ``VALUES ?day`` block) says whether a window holds anything, and the first
    window that does is halved until the newest such day is its top. From there each window is
    read whole by the caller, and the next one's width is aimed at what is still missing, at the
    rate seen so far. Ends when ``found()`` reaches ``wanted``, or at :data:`_WALK_FLOOR` with
    fewer (the caller then gives the walk up)."""
    from datetime import timedelta

    from rdflib import Literal
    from rdflib.namespace import XSD

    top, width, reached, narrowing, walked = date.today() + timedelta(days=366), 1, False, False, 0
    while found() < wanted:
        if top < _WALK_FLOOR:
            return
        days = [Literal((top - timedelta(days=i)).isoformat(), datatype=XSD.date) for i in range(width)]
        if not reached:
            if not store.rows(probe, values={"day": days}):
                top -= timedelta(days=width)
                width = width if narrowing else min(width * 4, _WIDEST_EMPTY_STEP)
            elif width > 1:
                width, narrowing = width // 2, True
            else:
                reached = True
            continue
        yield days
        top -= timedelta(days=width)
        walked += width
        rate = found() / walked
        missing = wanted - found()
        width = max(1, min(_WIDEST_STEP, width * 2, int(missing / rate) + 1 if rate else width * 2))


def _walked_page(store: Store, who: URIRef | None, wanted: int, toward: URIRef | None = None) -> tuple[list[str], int] | None:
    """The newest ``wanted`` reactions of ``who`` (of the whole store when None; or those aimed
    ``toward`` an actor, each window read by aimed-on-days.rq) in lookup order
    and their total, found by walking back through the calendar; None when the full pass
    (:func:`chosen_reactions`) is as cheap or the walk can't fill the page (most of the actor's
    reactions undated). Those aimed at a target are walked past :data:`WALK_FROM`, or sooner
    when the target receives a large enough share of the store's reactions that a walk finds a
    page for less than reading all of them costs (see :data:`_READ_US`).

    Why: the newest page of an actor with 330k reactions (the busiest of a 1M store) needs 50
    of them, but ordering all of them means reading 900k key rows (30 s). Each day is an index
    seek instead; the walk reads the facts of the reactions on a few days at a time, keeps the
    actor's own, and stops once it holds ``wanted``. Every reaction whose sort day (as
    :func:`chosen_reactions` orders them) lies in a walked window is found there, so the page
    is exactly the one the full pass gives."""
    from rdflib import URIRef

    from graph.queries import internal_query

    def counted(name: str, bindings: dict[str, URIRef] | None = None) -> int:
        rows = store.rows(internal_query("lookup", name), bindings)
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    total = summaries.lookup_total(store, who) if who is not None else summaries.reaction_total(store)
    dense = False
    if toward is not None:  # those aimed at an actor (`diplo query --named reactions-toward`)
        in_store, total = total, counted("count-toward", {"toward": toward})
        # The walk passes about wanted × (reactions in the store) / total reactions to find the
        # page; reading the target's reactions from the indexes (_aimed_page) costs more per
        # reaction but reads only the `total`. At 1M, a target of 12.6k: walk 0.19 s, read
        # 0.89 s; on the real store (7.7k reactions), 928: walk 0.17 s, read 0.04 s.
        passed = wanted * (in_store if in_store is not None else counted("count-all")) / max(total, 1)
        dense = total * _READ_US >= _WALK_START_US + passed * _WALK_US
    elif total is None:
        total = counted("count-all") if who is None else counted("count-by", {"who": who})
    if (total <= WALK_FROM and not dense) or wanted > total // 2:
        return None
    voices: dict[str, set[str]] = {"actor": set(), "speaker": set()}
    if who is not None:
        for role, voice in store.rows(internal_query("lookup", "actor-voices"), {"who": who}):
            if role in voices and voice:
                voices[role].add(voice)

    probe, on_days = internal_query("lookup", "first-on-days"), internal_query("lookup", "reactions-on-days")
    officials, checked = internal_query("lookup", "officials-among"), set(voices["speaker"])
    aimed_on_days, their_keys = internal_query("lookup", "aimed-on-days"), internal_query("paging", "reaction-keys")
    found: dict[str, _Key] = {}
    for days in walk_days(store, probe, wanted, lambda: len(found)):
        if toward is not None:
            aimed = [URIRef(r) for (r,) in store.rows(aimed_on_days, {"toward": toward}, values={"day": days}) if r]
            rows = store.rows(their_keys, values={"reaction": aimed}) if aimed else []
        else:
            rows = store.rows(on_days, values={"day": days})
        if who is not None:
            met = {value for _r, name, value in rows if name == "speaker" and value and value not in checked}
            if met:
                among = store.rows(officials, {"who": who}, values={"voice": [URIRef(v) for v in sorted(met)]})
                voices["speaker"].update(v for (v,) in among if v)
                checked |= met
            mine = {r for r, name, value in rows if value in voices.get(name or "", ())}
            rows = [row for row in rows if row[0] in mine]
        inside = {str(day) for day in days}
        for iri, key in _keys(rows).items():
            sort_day = key.latest or key.earliest
            if sort_day is not None and sort_day.isoformat() in inside:
                found[iri] = key
    if len(found) < wanted:
        return None  # the floor came first: most of them undated
    return _in_lookup_order(found)[:wanted], total


def _aimed_page(store: Store, toward: URIRef, wanted: int) -> tuple[list[str], int] | None:
    """The first ``wanted`` reactions aimed ``toward`` an actor in lookup order, and how many are
    aimed at it (as count-toward.rq counts them), read by pattern from the indexes of a store on
    disk: the reactions from the target, each one's dates, and then the actors and stances of
    only those on the newest days, until the page is full. None for a store that has no indexes
    of its own (in memory, on a server).

    Why: a target of 5,600 reactions at 1M, too few for the walk by day to meet them often,
    took 0.96 s to order in SPARQL (page-toward.rq: its OPTIONAL dates and grouping cost a join per
    reaction); one index read per reaction and fact costs a fraction of that."""
    import pyoxigraph

    ox = getattr(store, "_ox", None)
    if ox is None:
        return None

    prop = {name: pyoxigraph.NamedNode(str(vocab.DR[name])) for name in ("target", "date", "notAfter", "notBefore", "actor", "stance")}

    def read(reaction: Any, name: str) -> list[tuple[str, str, str]]:
        return [(reaction.value, name, q.object.value) for q in ox.quads_for_pattern(reaction, prop[name], None, None)]

    reactions = {q.subject for q in ox.quads_for_pattern(None, prop["target"], pyoxigraph.NamedNode(str(toward)), None)}
    # A range counts only when there is no date, and its first day only when it has no last.
    dated: dict[Any, list[tuple[str, str, str]]] = {}
    for reaction in reactions:
        rows = read(reaction, "date")
        for later in ("notAfter", "notBefore"):
            if any(_iso_day(value) for _r, _name, value in rows):
                break
            rows += read(reaction, later)
        dated[reaction] = rows
    days = _keys((row for rows in dated.values() for row in rows), stanced=False)
    by_day: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for reaction, rows in dated.items():
        key = days.get(reaction.value)
        by_day[_day_key(key.latest or key.earliest) if key else _day_key(None)].append(reaction)
    found: dict[str, _Key] = {}
    for day in sorted(by_day):  # whole days at a time: within one, the order is by actor
        rows = [row for reaction in by_day[day] for row in (*dated[reaction], *read(reaction, "actor"), *read(reaction, "stance"))]
        found.update(_keys(rows))
        if len(found) >= wanted:
            break
    return _in_lookup_order(found)[:wanted], len(reactions)


def _read_details(store: Store, reactions: list[URIRef]) -> dict[str, Position]:
    """The reactions' details (reaction-details.rq, long form), pivoted into positions."""
    stances = {str(iri): concept for iri, concept in vocab.stances().items()}
    facts: dict[str, dict[str, dict[str, str | None]]] = defaultdict(lambda: defaultdict(dict))
    for reaction, name, value, label in store.rows(named_query("reaction-details").text, values={"reaction": reactions}):
        if reaction is None or name is None or value is None:
            continue
        values = facts[reaction][name]
        if value not in values or (label is not None and (values[value] is None or label < values[value])):  # type: ignore[operator]
            values[value] = label
    found: dict[str, Position] = {}
    for key, fields in facts.items():
        concept = next((stances[s] for s in sorted(fields.get("stance", {})) if s in stances), None)
        if concept is None or "actor" not in fields or "source" not in fields:
            continue  # not a complete reaction of the scheme (validation reports it)

        def one(name: str, cast: Any = str) -> Any:
            values = fields.get(name)
            return cast(min(values)) if values else None

        def labelled(name: str) -> dict[str, str]:
            return {v: label for v, label in fields.get(name, {}).items() if label is not None}

        day = one("date", _iso_day)
        earliest = day or one("notBefore", _iso_day)
        latest = day or one("notAfter", _iso_day)
        actor = labelled("actor")
        speaker, event = labelled("speaker"), labelled("event")
        found[key] = Position(
            reaction=key,
            when=_when(day, earliest, latest),
            stance_class=concept.coarse,
            stance=concept.label,
            stance_iri=str(concept.iri),
            polarity=concept.polarity,
            actor=min(actor.values()) if actor else one("actor"),
            targets=sorted(set(labelled("target").values())),
            event=min(event.values()) if event else None,
            speaker=min(speaker.values()) if speaker else None,
            role=one("role"),
            quote=one("quote"),
            evidence=one("evidence"),
            start=one("start", int),
            end=one("end", int),
            channel=one("channel"),
            date_expression=one("dateExpression"),
            source=one("source"),
            source_title=one("sourceTitle"),
            source_url=one("sourceUrl"),
            publisher=one("publisher"),
            published=one("published"),
            confidence=one("confidence", float),
            source_kind=one("sourceKind"),
            target_basis=one("targetBasis"),
            earliest=earliest,
            latest=latest,
        )
    return found


def selection(
    store: Store,
    actor: str | None = None,
    event: str | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    source_kind: str | None = None,
    min_confidence: float | None = None,
) -> list[Position]:
    """The reactions a view or an analysis works on: all, or those about ``event``, or those
    made by ``actor`` (with its officials) together with those aimed at it; optionally of one
    ``stance``, within ``since``..``until``, of at least ``min_confidence`` (as
    :func:`positions` filters them), and put in the graph by one kind of producer
    (``source_kind``: curated, extracted, gdelt …)."""
    names = Names(store)
    event_iri = names.resolve(event, "event") if event else None
    filters = {"event": event_iri, "stance": stance, "since": since, "until": until, "min_confidence": min_confidence}
    if actor:
        actor_iri = names.resolve(actor, "actor")
        mine = {p.reaction: p for p in positions(store, who=actor_iri, **filters)}
        for p in positions(store, toward=actor_iri, **filters):
            mine.setdefault(p.reaction, p)
        found = sorted(mine.values(), key=_newest_first)
    else:
        found = positions(store, **filters)
    return of_kind(found, source_kind)


def of_kind(found: list[Position], source_kind: str | None) -> list[Position]:
    """Those of ``found`` put in the graph by one kind of producer (curated, extracted, gdelt …);
    all of them when ``source_kind`` is None."""
    return [p for p in found if p.source_kind == source_kind] if source_kind else found


def unsure(found: list[Position]) -> int:
    """How many of ``found`` were extracted with a confidence below one half (what a reader may
    want to leave out with ``--min-confidence``)."""
    return sum(p.source_kind == "extracted" and p.confidence is not None and p.confidence < 0.5 for p in found)


def describe(store: Store, iri: URIRef) -> Subject:
    """Label, class and (for a person) posts of an actor or event."""
    label = None
    types: set[str] = set()
    posts: dict[str, dict[str, str]] = {}
    for row in store.query(named_query("describe").text, {"thing": iri}):
        label = label or (str(row.label) if row.label is not None else None)
        if row.type is not None and str(row.type).startswith(str(vocab.DR)):
            types.add(str(row.type))
        if row.post is not None and str(row.post) not in posts:
            body = _opt(row.bodyLabel) or ""
            posts[str(row.post)] = {"post": _opt(row.postLabel) or "", "in": body, "on_behalf_of": _opt(row.parentLabel) or body}
    from rdflib import URIRef

    kinds = sorted(vocab.label_of(vocab.ontology_graph(), URIRef(t)) or "" for t in types)
    subject = Subject(str(iri), label or str(iri), next((k for k in kinds if k), "Thing"))
    subject.posts = [posts[k] for k in sorted(posts)]
    return subject


def actor_positions(store: Store, name: str, **filters: Any) -> tuple[Subject, list[Position]]:
    """Resolve ``name`` to an actor and return it with all its positions (see :func:`positions`).

    ``filters`` may hold ``event`` (a name), ``stance``, ``since`` and ``until``."""
    subject, found = actor_page(store, name, **filters)
    return subject, found.positions


def actor_page(store: Store, name: str, limit: int | None = None, offset: int = 0, **filters: Any) -> tuple[Subject, Page]:
    """Resolve ``name`` to an actor and return it with one page of its positions, newest first
    (see :func:`page`); ``filters`` as in :func:`actor_positions`."""
    names = Names(store)
    actor = names.resolve(name, "actor")
    event = filters.pop("event", None)
    event_iri = names.resolve(event, "event") if event else None
    return describe(store, actor), page(store, who=actor, event=event_iri, limit=limit, offset=offset, **filters)


def event_reactions(store: Store, name: str, limit: int | None = None, offset: int = 0, **filters: Any) -> tuple[Subject, Page]:
    """Resolve ``name`` to an event and return it with one page of its reactions, newest first
    (see :func:`page`; :func:`by_stance_class` groups them)."""
    event = resolve_name(store, name, "event")
    return describe(store, event), page(store, event=event, limit=limit, offset=offset, **filters)


def by_stance_class(found: list[Position]) -> dict[str, list[Position]]:
    """Positions grouped by coarse stance class (classes in alphabetical order, each newest first)."""
    groups: dict[str, list[Position]] = defaultdict(list)
    for pos in found:
        groups[pos.stance_class].append(pos)
    return dict(sorted(groups.items()))


def actor_types(store: Store, names: Iterable[str]) -> dict[str, str]:
    """The type label ("State", "Person" …) of each of the named actors the graph knows, by name;
    an actor typed twice gets the least label, so that the answer does not depend on the engine."""
    from rdflib import Literal

    from graph.queries import internal_query

    wanted = sorted(set(names))
    if not wanted:
        return {}
    types: dict[str, str] = {}
    rows = store.rows(internal_query("lookup", "actor-types"), values={"label": [Literal(n) for n in wanted]})
    for label, type_label in sorted(row for row in rows if None not in row):  # type: ignore[type-var]
        types.setdefault(str(label), str(type_label))
    return types


def actors(store: Store, limit: int | None = None, offset: int = 0) -> tuple[list[dict[str, Any]], Answer]:
    """Actors with their type, ISO code and reaction counts (made, voiced, received), most
    reactions first: the page of ``limit`` actors from ``offset`` on (every actor when ``limit``
    is None), and the answer, which says how many there are in all and how many more."""
    from graph.sparql import run_query

    answer = run_query(store, named="actors", limit=limit, offset=offset)
    rows = []
    for row in answer.result:
        rows.append(
            {
                "actor": str(row.label),
                "type": str(row.typeLabel),
                "code": _opt(row.code),
                "made": int(row.made_count),
                "voiced": int(row.voiced_count),
                "received": int(row.received_count),
                "iri": str(row.actor),
            }
        )
    return rows, answer
