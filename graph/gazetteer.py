"""The gazetteer: every actor the graph names, and where a text names them.

States (with their capitals and adjectives), organizations, government bodies and officials are
read from the graph's labels and aliases (query ``gazetteer.rq``). An official speaks for the state
or organization of the post held on a given day; a body (the Kremlin) for the state it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from graph.model import date_value

if TYPE_CHECKING:
    from graph.store import Store

#: Where a name can start: a word not glued to the one before ("Azerbaijani" in
#: "Armenian-Azerbaijani" can't), ending at an apostrophe or hyphen ("Turkey's").
_NAME_STARTS = re.compile(r"(?<![\w-])\w+")


@dataclass(frozen=True)
class Actor:
    """Someone the gazetteer knows."""

    iri: str
    label: str
    kind: str
    """"state", "organization", "mediation" (a mediation group), "body", "person", "group" or "media"."""
    speaks_for: tuple[tuple[str, date | None, date | None], ...] = ()
    """For a person: (actor IRI, from, until) per post; for a body: its parent once."""


@dataclass
class Mention:
    """A span of text that names an actor."""

    start: int
    end: int
    text: str
    actor: Actor
    adjective: bool = False
    """A demonym or a compound modifier ("Armenian-Azerbaijani border"): never a subject."""


_KINDS = {
    "State": "state",
    "InternationalOrganization": "organization",
    "MediationGroup": "mediation",
    "GovernmentBody": "body",
    "Person": "person",
    "ArmedGroup": "group",
    "MediaOutlet": "media",
}


class Gazetteer:
    """Every actor the graph names, and how to find its names in text."""

    def __init__(self, actors: dict[str, Actor], names: dict[str, str]) -> None:
        self.actors = actors
        self.names = names
        """Surface form → actor IRI."""
        # Names grouped by their first word, longest first ("Republic of Turkey" before
        # "Republic"): a text's words each try only the names that can start there.
        groups: dict[str, list[str]] = {}
        for n in sorted(names, key=len, reverse=True):
            first = _NAME_STARTS.match(n)
            # Wire copy breaks lines inside names ("the United\nStates"): any run of spaces matches.
            groups.setdefault(first.group(0) if first else n[:1], []).append(re.sub(r"(?:\\ )+", r"\\s+", re.escape(n)))
        self.by_first = {w: re.compile("(?:" + "|".join(alts) + r")(?![\w])") for w, alts in groups.items()}

    @classmethod
    def from_store(cls, store: Store) -> Gazetteer:
        """Build from the graph: labels and aliases of actors, posts of persons, parents of bodies."""
        from graph.queries import named_query

        actors: dict[str, Actor] = {}
        names: dict[str, str] = {}
        posts: dict[str, list[tuple[str, date | None, date | None]]] = {}
        for row in store.query(named_query("gazetteer").text):
            iri = str(row.actor)
            kind = _KINDS.get(str(row.type).rsplit("#", 1)[-1])
            if kind is None:
                continue
            if iri not in actors:
                actors[iri] = Actor(iri, str(row.preferred), kind)
            name = "" if row.name is None else str(row.name)
            # A name two actors share is ambiguous: the first (a state, by the query's order) keeps it.
            if len(name) > 1:
                names.setdefault(name, iri)
                # British and American spellings ("Organisation", "Organization") name the same actor;
                # British papers write long acronyms as words ("Nato", "Opec").
                names.setdefault(_other_spelling(name), iri)
                if len(name) >= 4 and name.isalpha() and name.isupper():
                    names.setdefault(name.capitalize(), iri)
            if row.speaksFor is not None:
                entry = (str(row.speaksFor), date_value(row.postStart), date_value(row.postEnd))
                if entry not in posts.setdefault(iri, []):
                    posts[iri].append(entry)
        for iri, entries in posts.items():
            a = actors[iri]
            actors[iri] = Actor(a.iri, a.label, a.kind, tuple(entries))
        return cls(actors, names)

    def speaks_for(self, actor: Actor, on: date | None) -> Actor | None:
        """The state or organization ``actor`` stands for on the day ``on`` (itself for states,
        organizations and groups)."""
        if actor.kind in ("state", "organization", "mediation", "group"):
            return actor
        candidates = [
            (iri, start, end) for iri, start, end in actor.speaks_for
            if on is None or ((start is None or start <= on) and (end is None or on <= end))
        ]
        if not candidates and not any(start or end for _, start, end in actor.speaks_for):
            candidates = list(actor.speaks_for)  # posts without terms: take them as they are
        if not candidates:
            return None  # out of office on that day (a candidate, a former minister)
        # The most recent post that fits.
        iri = max(candidates, key=lambda c: c[1] or date.min)[0]
        parent = self.actors.get(iri)
        if parent is None:
            return None
        return parent if parent.kind != "body" else self.speaks_for(parent, on)

    def mentions(self, text: str) -> list[Mention]:
        out = []
        resume = 0
        for word in _NAME_STARTS.finditer(text):
            if word.start() < resume:
                continue
            pattern = self.by_first.get(word.group(0))
            if pattern is None:
                continue
            m = pattern.match(text, word.start())
            if m is None:
                continue
            resume = m.end()
            actor = self.actors[self.names[" ".join(m.group(0).split())]]
            before = text[m.start() - 1 : m.start()]
            after = text[m.end() : m.end() + 1]
            adjective = before == "-" or after == "-" or _is_demonym(m.group(0), actor)
            out.append(Mention(m.start(), m.end(), m.group(0), actor, adjective))
        return out


def _other_spelling(name: str) -> str:
    """The name with -isation spelled -ization, or the other way round."""
    return re.sub(r"(?<=[a-z])i([sz])ation", lambda m: "i" + ("z" if m.group(1) == "s" else "s") + "ation", name)


def _is_demonym(surface: str, actor: Actor) -> bool:
    """"Turkish", "Iranian", "Armenians": an adjective or people form of a state's name (it
    modifies or names a people; it isn't the state speaking)."""
    return actor.kind == "state" and surface != actor.label and bool(re.search(r"(?:an|ian|ese|ish|i|ic|ch|ans|is)$", surface))
