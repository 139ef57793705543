"""Lookups behind ``diplo actor``, ``diplo event`` and ``diplo actors``.

Each returns plain records (dataclasses or dicts of strings and numbers) that the CLI prints as a
table, JSON or CSV, and that a notebook can use directly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from graph import vocab
from graph.model import date_value
from graph.queries import named_query
from graph.resolve import Names, resolve_name

if TYPE_CHECKING:
    from rdflib.term import URIRef

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


def positions(
    store: Store,
    who: URIRef | None = None,
    event: URIRef | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    toward: URIRef | None = None,
    limit: int | None = None,
) -> list[Position]:
    """Reactions, newest first, optionally only those of ``who`` (an actor, a body under it, or a
    person who voiced them) or those aimed ``toward`` an actor, about ``event`` (or an event
    within it), of ``stance`` (a coarse class or a finer concept, by notation or label) and
    possibly made between ``since`` and ``until`` (a reaction dated by a range is kept when the
    range overlaps); at most ``limit`` of them (the newest) when given.

    One actor's or event's reactions are found first (IRIs and days), then read in batches,
    newest first, so a limit reads only what it shows."""
    if who is not None and toward is not None:
        raise ValueError("positions: give who or toward, not both")
    wanted = vocab.stance_by_name(stance) if stance else None

    def keep(pos: Position) -> bool:
        if wanted is not None and wanted.notation != pos.stance_class and str(wanted.iri) != pos.stance_iri:
            return False
        if since is not None and pos.latest is not None and pos.latest < since:
            return False
        return not (until is not None and pos.earliest is not None and pos.earliest > until)

    days = _reaction_days(store, who, toward, event)
    if days is None:  # every reaction: one pass over all of them
        out = [p for p in _read_details(store, None) if keep(p)]
    else:
        ordered = sorted(days, key=lambda iri: _day_key(days[iri]))
        out = []
        batch = store.values_batch
        for i in range(0, len(ordered), batch):
            out.extend(p for p in _read_details(store, ordered[i : i + batch]) if keep(p))
            if limit and len(out) >= limit and i + batch < len(ordered):
                out.sort(key=_newest_first)
                # Stop once every reaction left is older than the last one shown (ties are read too).
                if _day_key(days[ordered[i + batch]]) > _newest_first(out[limit - 1])[:2]:
                    break
    out.sort(key=_newest_first)
    return out[:limit] if limit else out


def _day_key(day: date | None) -> tuple[int, int]:
    """Sorts newest first, undated last."""
    return (1, 0) if day is None else (0, -day.toordinal())


def _newest_first(pos: Position) -> tuple[int, int, str, str]:
    # As the SPARQL ORDER BY DESC(COALESCE(?date, ?notAfter, ?notBefore)) ?actorLabel ?reaction.
    return (*_day_key(pos.latest or pos.earliest), pos.actor, pos.reaction)


def _reaction_days(store: Store, who: URIRef | None, toward: URIRef | None, event: URIRef | None) -> dict[URIRef, date | None] | None:
    """The reactions one lookup is about, each with its day (None: every reaction)."""
    within = {"within": event} if event is not None else {}
    if who is not None:
        found = store.query(named_query("reactions-by").text, {"who": who, **within})
    elif toward is not None:
        found = store.query(named_query("reactions-toward").text, {"toward": toward, **within})
    elif event is not None:
        found = store.query(named_query("reactions-about").text, within)
    else:
        return None
    days: dict[URIRef, date | None] = {}
    for row in found:
        day, known = date_value(row.when), days.get(row.reaction)
        # A reaction given two dates sorts by the later one.
        if row.reaction not in days or (day is not None and (known is None or day > known)):
            days[row.reaction] = day
    return days


def _read_details(store: Store, reactions: list[URIRef] | None) -> list[Position]:
    """The reactions' details (reaction-details.rq), for the given IRIs or for all."""
    stances = vocab.stances()
    found: dict[str, Position] = {}
    rows = store.query(named_query("reaction-details").text, values=None if reactions is None else {"reaction": reactions})
    for row in rows:
        key = str(row.reaction)
        pos = found.get(key)
        if pos is None:
            concept = stances.get(row.stance)
            if concept is None:  # not a concept of the stance scheme (validation reports it)
                continue
            day = date_value(row.date)
            earliest = day or date_value(row.notBefore)
            latest = day or date_value(row.notAfter)
            pos = found[key] = Position(
                reaction=key,
                when=_when(day, earliest, latest),
                stance_class=concept.coarse,
                stance=concept.label,
                stance_iri=str(concept.iri),
                polarity=concept.polarity,
                actor=str(row.actorLabel),
                targets=[],
                event=_opt(row.eventLabel),
                speaker=_opt(row.speakerLabel),
                role=_opt(row.role),
                quote=_opt(row.quote),
                evidence=_opt(row.evidence),
                start=_opt(row.start, int),
                end=_opt(row.end, int),
                channel=_opt(row.channelLabel),
                date_expression=_opt(row.dateExpression),
                source=str(row.source),
                source_title=_opt(row.sourceTitle),
                source_url=_opt(row.sourceUrl),
                publisher=_opt(row.publisherLabel),
                published=_opt(row.published),
                confidence=_opt(row.confidence, float),
                source_kind=_opt(row.sourceKind),
                earliest=earliest,
                latest=latest,
            )
        elif str(row.actorLabel) < pos.actor:  # an actor with two labels: the same one every time
            pos.actor = str(row.actorLabel)
        if row.targetLabel is not None and str(row.targetLabel) not in pos.targets:
            pos.targets.append(str(row.targetLabel))
    for pos in found.values():
        pos.targets.sort()
    return list(found.values())


def selection(
    store: Store,
    actor: str | None = None,
    event: str | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    source_kind: str | None = None,
) -> list[Position]:
    """The reactions a view or an analysis works on: all, or those about ``event``, or those
    made by ``actor`` (with its officials) together with those aimed at it; optionally of one
    ``stance``, within ``since``..``until`` (as :func:`positions` filters them), and put in
    the graph by one kind of producer (``source_kind``: curated, extracted, gdelt …)."""
    names = Names(store)
    event_iri = names.resolve(event, "event") if event else None
    filters = {"event": event_iri, "stance": stance, "since": since, "until": until}
    if actor:
        actor_iri = names.resolve(actor, "actor")
        mine = {p.reaction: p for p in positions(store, who=actor_iri, **filters)}
        for p in positions(store, toward=actor_iri, **filters):
            mine.setdefault(p.reaction, p)
        found = sorted(mine.values(), key=_newest_first)
    else:
        found = positions(store, **filters)
    if source_kind:
        found = [p for p in found if p.source_kind == source_kind]
    return found


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
    """Resolve ``name`` to an actor and return it with its positions (see :func:`positions`).

    ``filters`` may hold ``event`` (a name), ``stance``, ``since`` and ``until``."""
    names = Names(store)
    actor = names.resolve(name, "actor")
    event = filters.pop("event", None)
    event_iri = names.resolve(event, "event") if event else None
    return describe(store, actor), positions(store, who=actor, event=event_iri, **filters)


def event_reactions(store: Store, name: str, **filters: Any) -> tuple[Subject, dict[str, list[Position]]]:
    """Resolve ``name`` to an event and return its reactions grouped by coarse stance class."""
    event = resolve_name(store, name, "event")
    groups: dict[str, list[Position]] = defaultdict(list)
    for pos in positions(store, event=event, **filters):
        groups[pos.stance_class].append(pos)
    return describe(store, event), dict(sorted(groups.items()))


def actors(store: Store) -> list[dict[str, Any]]:
    """Every actor with its type, ISO code and reaction counts (made, voiced, received)."""
    rows = []
    for row in store.query(named_query("actors").text):
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
    return rows
