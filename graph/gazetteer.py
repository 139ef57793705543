"""The gazetteer: every actor the graph names, and where a text names them.

States (with their capitals and adjectives), organizations, government bodies and officials are
read from the graph's labels and aliases (:meth:`Gazetteer.from_store`). An official speaks for the state
or organization of the post held on a given day; a body (the Kremlin) for the state it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from graph.store import Store

#: Where a name can start: a word not glued to the one before ("Azerbaijani" in
#: "Armenian-Azerbaijani" can't), ending at an apostrophe or hyphen ("Turkey's").
_NAME_STARTS = re.compile(r"(?<![\w-])\w+")
#: A sea or gulf named after a state, right before the state's name.
_WATERS_OF = re.compile(r"\b(?:Gulf|Sea|Bay|Straits?)\s+of\s+(?:the\s+)?$")
#: Between a state and the name of a body right after it: "Pakistan's Foreign Office", "the Russian Security Council".
_OWNER_GAP = re.compile(r"(?:['’]s)?\s+")


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


#: The classes whose members are actors (their local names in the dr: namespace), the kind each
#: makes, and its rank: a name two actors share goes to the one of lower rank (a state before a
#: person called after it).
_KINDS = {
    "State": ("state", 0),
    "InternationalOrganization": ("organization", 1),
    "MediationGroup": ("mediation", 1),
    "ArmedGroup": ("group", 2),
    "GovernmentBody": ("body", 3),
    "Person": ("person", 4),
    "MediaOutlet": ("media", 5),
}
#: The facts the gazetteer reads besides the classes: (namespace prefix, local name).
_FACTS = {
    "preferred": ("skos", "prefLabel"),
    "alias": ("skos", "altLabel"),
    "holds": ("org", "holds"),
    "post_in": ("org", "postIn"),
    "start": ("dr", "startDate"),
    "end": ("dr", "endDate"),
    "parent": ("org", "subOrganizationOf"),
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
        self._alternatives = groups
        self._patterns: dict[str, re.Pattern[str] | None] = {}

    def starting_with(self, word: str) -> re.Pattern[str] | None:
        """One pattern for the names whose first word is ``word`` (None if none), compiled when
        first needed: a store of a million reactions names 39,000 actors under 1,000 first words,
        and compiling them all took 2.8 s of every ingest's start, for words most texts never use."""
        if word not in self._patterns:
            alts = self._alternatives.get(word)
            self._patterns[word] = re.compile("(?:" + "|".join(alts) + r")(?![\w])") if alts else None
        return self._patterns[word]

    @classmethod
    def from_store(cls, store: Store) -> Gazetteer:
        """Build from the graph: labels and aliases of actors, posts of persons, parents of bodies.

        Each kind of fact is read on its own, once however many graphs repeat it, and joined here
        (see :mod:`graph.facts`)."""
        from rdflib import URIRef

        from graph import facts, vocab

        kinds: dict[str, tuple[str, int]] = {}
        for local, (kind, rank) in _KINDS.items():
            for iri in facts.members(store, vocab.DR[local]):
                if iri not in kinds or rank < kinds[iri][1]:
                    kinds[iri] = (kind, rank)
        found = {what: facts.by_subject(store, URIRef(str(vocab.namespaces()[prefix][local]))) for what, (prefix, local) in _FACTS.items()}

        actors: dict[str, Actor] = {}
        names: dict[str, str] = {}
        # Lower ranks first, so that a name two actors share goes to the state.
        for iri in sorted((i for i in kinds if i in found["preferred"]), key=lambda i: (kinds[i][1], i)):
            preferred = sorted(" ".join(label.split()) for label in found["preferred"][iri])
            speaks_for: list[tuple[str, date | None, date | None]] = []
            for post in sorted(found["holds"].get(iri, ())):
                for body in sorted(found["post_in"].get(post, ())):
                    for start in sorted(found["start"].get(post, ())) or [""]:
                        for end in sorted(found["end"].get(post, ())) or [""]:
                            speaks_for.append((body, _day(start), _day(end)))
            speaks_for += [(parent, None, None) for parent in sorted(found["parent"].get(iri, ()))]
            actors[iri] = Actor(iri, preferred[0], kinds[iri][0], tuple(dict.fromkeys(speaks_for)))
            # Text is matched with any run of spaces between a name's words and the match looked
            # up with single spaces, so names are kept so: a label can hold a line break.
            for name in preferred + sorted(" ".join(label.split()) for label in found["alias"].get(iri, ())):
                # A name two actors share is ambiguous: the first (by rank) keeps it.
                if len(name) > 1:
                    names.setdefault(name, iri)
                    # British and American spellings ("Organisation", "Organization") name the same
                    # actor; British papers write long acronyms as words ("Nato", "Opec").
                    names.setdefault(_other_spelling(name), iri)
                    if len(name) >= 4 and name.isalpha() and name.isupper():
                        names.setdefault(name.capitalize(), iri)
                    # "Bashar al-Assad" is "al-Assad" (and, opening a sentence, "Al-Assad") on second mention.
                    last = name.split()[-1]
                    if kinds[iri][0] == "person" and last != name and last[:3].lower() in ("al-", "el-") and len(last) > 4:
                        for form in (last, last[:1].upper() + last[1:]):
                            names.setdefault(form, iri)
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
            pattern = self.starting_with(word.group(0))
            if pattern is None:
                continue
            m = pattern.match(text, word.start())
            if m is None:
                continue
            resume = m.end()
            if _WATERS_OF.search(text, max(0, m.start() - 16), m.start()):
                continue  # "the Gulf of Oman", "the Sea of Japan": a place, not the state
            actor = self.actors[self.names[" ".join(m.group(0).split())]]
            before = text[m.start() - 1 : m.start()]
            after = text[m.end() : m.end() + 1]
            adjective = before == "-" or after == "-" or _is_demonym(m.group(0), actor)
            if actor.kind == "body" and out and self._owned_by_other(text, out[-1], m.start(), actor):
                continue  # the named state's own council or office, not the one the bare name means
            out.append(Mention(m.start(), m.end(), m.group(0), actor, adjective))
        return out

    def _owned_by_other(self, text: str, before: Mention, start: int, body: Actor) -> bool:
        """Whether the body named at ``start`` is another state's namesake: right after a state
        that is not its owner ("the Russian Security Council" is not the UN's, "Pakistan's Foreign
        Office" not Britain's); the state mention then stands for the body."""
        if before.actor.kind != "state" or not _OWNER_GAP.fullmatch(text, before.end, start):
            return False
        owner = self.speaks_for(body, None)
        return owner is not None and owner.iri != before.actor.iri


def _day(text: str) -> date | None:
    """The day an ``xsd:date`` lexical form names ("2020-07-14", "2020-07-14Z"); None for anything
    else (an empty string: no date)."""
    try:
        return date.fromisoformat(text[:10]) if re.match(r"\d{4}-\d\d-\d\d(?!\d)", text) else None
    except ValueError:
        return None


def _other_spelling(name: str) -> str:
    """The name with -isation spelled -ization, or the other way round."""
    return re.sub(r"(?<=[a-z])i([sz])ation", lambda m: "i" + ("z" if m.group(1) == "s" else "s") + "ation", name)


def _is_demonym(surface: str, actor: Actor) -> bool:
    """"Turkish", "Iranian", "Armenians": an adjective or people form of a state's name (it
    modifies or names a people; it isn't the state speaking)."""
    return actor.kind == "state" and surface != actor.label and bool(re.search(r"(?:an|ian|ese|ish|i|ic|ch|ans|is)$", surface))
