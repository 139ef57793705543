"""Lookups behind ``diplo actor``, ``diplo event`` and ``diplo actors``.

Each returns plain records (dataclasses or dicts of strings and numbers) that the CLI prints as a
table, JSON or CSV, and that a notebook can use directly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from operator import methodcaller
from typing import TYPE_CHECKING, Any

from graph import vocab
from graph.queries import named_query
from graph.resolve import NameIndex

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
) -> list[Position]:
    """Reactions, newest first, optionally only those of ``who`` (an actor, a body under it, or a
    person who voiced them), about ``event`` (or an event within it), of ``stance`` (a coarse
    class or a finer concept, by notation or label) and possibly made between ``since`` and
    ``until`` (a reaction dated by a range is kept when the range overlaps)."""
    # The query's own ?event is the reaction's event; the filter's parameter is ?within.
    bindings = {name: term for name, term in (("who", who), ("within", event)) if term is not None}
    wanted = vocab.stance_by_name(stance) if stance else None
    found: dict[str, Position] = {}
    for row in _reaction_rows(store, who, bindings):
        key = str(row.reaction)
        pos = found.get(key)
        if pos is None:
            as_date = methodcaller("toPython")
            day = _opt(row.date, as_date)
            earliest = day or _opt(row.notBefore, as_date)
            latest = day or _opt(row.notAfter, as_date)
            pos = found[key] = Position(
                reaction=key,
                when=_when(day, earliest, latest),
                stance_class=str(row.stanceClass),
                stance=str(row.stanceLabel),
                stance_iri=str(row.stance),
                polarity=int(row.polarity) if row.polarity is not None else 0,
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
        if row.targetLabel is not None and str(row.targetLabel) not in pos.targets:
            pos.targets.append(str(row.targetLabel))
    out = []
    for pos in found.values():
        if wanted is not None and wanted.notation != pos.stance_class and str(wanted.iri) != pos.stance_iri:
            continue
        if since is not None and pos.latest is not None and pos.latest < since:
            continue
        if until is not None and pos.earliest is not None and pos.earliest > until:
            continue
        pos.targets.sort()
        out.append(pos)
    return out


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
    index = NameIndex.build(store) if (actor or event) else None
    event_iri = index.resolve(event, "event") if index and event else None
    found = positions(store, event=event_iri, stance=stance, since=since, until=until)
    if index and actor:
        actor_iri = index.resolve(actor, "actor")
        own = {p.reaction for p in positions(store, who=actor_iri, event=event_iri)}
        label = index.preferred[actor_iri]
        found = [p for p in found if p.reaction in own or label in p.targets]
    if source_kind:
        found = [p for p in found if p.source_kind == source_kind]
    return found


def _reaction_rows(store: Store, who: URIRef | None, bindings: dict[str, Any]) -> Iterable[Any]:
    """The rows of reactions.rq, for one actor (``who``) or all. One actor's reactions start from
    the actor — scanning every reaction is far slower; a store whose engine mis-joins that in
    one query (Virtuoso: :attr:`Store.split_lookups`) gets their IRIs first, then the details."""
    if who is None:
        return store.query(named_query("reactions").text, bindings)
    if not store.split_lookups:
        return store.query(named_query("reactions-of").text, bindings)
    ids = [row.reaction for row in store.query(named_query("reactions-of-ids").text, {"who": who})]
    details = named_query("reactions").text
    rows: list[Any] = []
    for i in range(0, len(ids), 300):
        # The IRIs come from the store itself and are written in their N-Triples form.
        values = "VALUES ?reaction { " + " ".join(r.n3() for r in ids[i : i + 300]) + " }"
        text = details.replace("WHERE {", "WHERE {\n  " + values, 1)
        rows.extend(store.query(text, {k: v for k, v in bindings.items() if k != "who"}))
    return rows


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
    index = NameIndex.build(store)
    actor = index.resolve(name, "actor")
    event = filters.pop("event", None)
    event_iri = index.resolve(event, "event") if event else None
    return describe(store, actor), positions(store, who=actor, event=event_iri, **filters)


def event_reactions(store: Store, name: str, **filters: Any) -> tuple[Subject, dict[str, list[Position]]]:
    """Resolve ``name`` to an event and return its reactions grouped by coarse stance class."""
    event = NameIndex.build(store).resolve(name, "event")
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
