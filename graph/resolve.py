"""Turn names a user types into the graph's actors, events and stances.

Names are compared folded: case, diacritics (``cavusoglu`` finds Çavuşoğlu), punctuation and a
leading "the" are ignored. An exact folded match of any label or alias wins; otherwise a name
whose words all occur in one thing's label ("Peskov", "Tavush clashes") picks it. A miss raises
:class:`UnknownName` with close matches for "did you mean".
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from graph import vocab
from graph.errors import BadInput, UnknownName, shown
from graph.queries import internal_query

if TYPE_CHECKING:
    from rdflib.term import Identifier, URIRef

    from graph.queries import NamedQuery
    from graph.store import Store

_SPECIAL = str.maketrans({"ı": "i", "ə": "e", "Ə": "e", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})


def fold(name: str) -> str:
    """Case-, diacritic- and punctuation-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_SPECIAL))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[^\w]+", " ", plain).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return " ".join(words)


@dataclass
class NameIndex:
    """Folded names of every actor and event, built from the store."""

    preferred: dict[URIRef, str] = field(default_factory=dict)
    kind: dict[URIRef, str] = field(default_factory=dict)
    by_name: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def build(cls, store: Store) -> NameIndex:
        """Every actor's and event's names: labels, aliases and ISO codes of the members of every
        subclass of dr:Actor and dr:Event, each kind of fact read once (:mod:`graph.facts`; a
        query joining them took 25-34 s and 480 MB at 1M reactions)."""
        from rdflib import URIRef
        from rdflib.namespace import RDFS

        from graph import facts

        ontology = vocab.ontology_graph()
        index = cls()
        kinds: dict[str, str] = {}
        for kind, top in (("event", vocab.DR.Event), ("actor", vocab.DR.Actor)):  # an actor first, should both fit
            for cls_ in ontology.transitive_subjects(RDFS.subClassOf, top):
                kinds.update(dict.fromkeys(facts.members(store, cls_), kind))
        names = [facts.by_subject(store, p) for p in (vocab.SKOS.prefLabel, vocab.SKOS.altLabel, vocab.DR.isoCode)]
        preferred = names[0]
        for iri, kind in kinds.items():
            if iri not in preferred:
                continue
            thing = URIRef(iri)
            index.preferred[thing] = min(preferred[iri])
            index.kind[thing] = kind
            for label in set().union(*(n.get(iri, ()) for n in names)):
                index.by_name[fold(label)].add(thing)
            # The IRI's last segment is a stable handle too ("tavush-2020").
            index.by_name[fold(iri.rsplit("/", 1)[-1])].add(thing)
        return index

    def resolve(self, name: str, kind: str) -> URIRef:
        """The one ``kind`` ("actor" or "event") that ``name`` names."""
        key = fold(name)
        if not key:
            raise BadInput(f"no {kind} name given" if not name.strip() else f"{shown(name)} is not an {kind} name: it has no letters or digits")
        exact = {t for t in self.by_name.get(key, ()) if self.kind[t] == kind}
        if len(exact) == 1:
            return next(iter(exact))
        candidates = exact or self._by_words(key, kind)
        if len(candidates) == 1:
            return next(iter(candidates))
        if candidates:
            names = sorted(self.preferred[t] for t in candidates)
            raise BadInput(f"{kind} name {shown(name)} is ambiguous: {', '.join(names)}")
        raise UnknownName(kind, name, self.suggest(key, kind))

    def _by_words(self, key: str, kind: str) -> set[URIRef]:
        words = set(key.split())
        return {
            thing
            for label, things in self.by_name.items()
            if words <= set(label.split())
            for thing in things
            if self.kind[thing] == kind
        }

    def suggest(self, key: str, kind: str, n: int = 3) -> list[str]:
        """Preferred labels of the things whose names are closest to ``key``."""
        labels = [label for label, things in self.by_name.items() if any(self.kind[t] == kind for t in things)]
        out: list[str] = []
        for label in difflib.get_close_matches(key, labels, n=n * 2, cutoff=0.6):
            for thing in sorted(self.by_name[label]):
                if self.kind[thing] == kind and self.preferred[thing] not in out:
                    out.append(self.preferred[thing])
        return out[:n]


class Names:
    """Resolves the names a user typed against one store. A name typed exactly as a label, alias,
    ISO code or IRI handle is looked up directly; anything else goes through the folded names of
    :class:`NameIndex`, read whole (which takes long on big stores) at most once per ``Names``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: NameIndex | None = None

    def resolve(self, name: str, kind: str) -> URIRef:
        """The one ``kind`` ("actor" or "event") that ``name`` names; a full IRI (as printed by
        ``--format json``, bare or in angle brackets) names only itself."""
        iri = _written_iri(name)
        if iri is not None:
            found = _exact(self.store, iri, kind, as_iri=True)
            if found is None:
                raise UnknownName(kind, name, [])
            return found
        if self._index is None:
            found = _exact(self.store, name, kind)
            if found is not None:
                return found
            self._index = NameIndex.build(self.store)
        return self._index.resolve(name, kind)


def resolve_name(store: Store, name: str, kind: str) -> URIRef:
    """The one ``kind`` ("actor" or "event") that ``name`` names (see :class:`Names`)."""
    return Names(store).resolve(name, kind)


def _written_iri(name: str) -> str | None:
    """The IRI ``name`` is, written bare or as ``<IRI>``; None for a name."""
    typed = name.strip()
    if typed.startswith("<") and typed.endswith(">"):
        typed = typed[1:-1]
    return typed if re.match(r"https?://|urn:", typed) and _IRI.match(typed) else None


def _exact(store: Store, name: str, kind: str, as_iri: bool = False) -> URIRef | None:
    """The one ``kind`` named exactly ``name`` (a label, alias or ISO code as typed, or an IRI
    handle), or the thing the IRI ``name`` is (``as_iri``); None if not exactly one."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from graph.model import data_iri

    typed = name.strip()
    if not typed:
        return None
    if as_iri:
        handles, names = [URIRef(typed)], []
    else:
        handles = [data_iri(k, typed) for k in ("actor", "event")] if re.fullmatch(r"[a-z0-9][a-z0-9-]*", typed) else []
        names = [Literal(typed), Literal(typed, lang="en")]
    top = vocab.DR.Actor if kind == "actor" else vocab.DR.Event
    ontology = vocab.ontology_graph()
    found = {
        row.thing
        for row in store.query(internal_query("lookup", "names-exact"), values={"name": names, "thing": handles})
        if top in ontology.transitive_objects(row.type, RDFS.subClassOf)
    }
    return found.pop() if len(found) == 1 else None


def parse_date(value: str, what: str) -> date:
    """An ISO date (YYYY-MM-DD); :class:`BadInput` naming ``what`` otherwise."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{what}: {shown(value)} is not a date (expected YYYY-MM-DD)") from None


_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


def to_term(store: Store, names: Names | None, kind: str, value: str, what: str) -> Identifier:
    """Turn one parameter value into the RDF term it means, per its ``kind``."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    if kind in ("actor", "event"):
        return (names or Names(store)).resolve(value, kind)
    if kind == "stance":
        found = vocab.stance_by_name(value)
        if found is None:
            known = ", ".join(vocab.coarse_classes())
            raise BadInput(f"{what}: unknown stance {shown(value)} (coarse classes: {known})")
        return found.iri
    if kind == "date":
        return Literal(parse_date(value, what), datatype=XSD.date)
    if kind == "iri":
        if not _IRI.match(value):
            raise BadInput(f"{what}: {shown(value)} is not an absolute IRI")
        return URIRef(value)
    return Literal(value)


def bind_params(store: Store, query: NamedQuery | None, given: dict[str, str]) -> dict[str, Identifier]:
    """Bindings for a query from ``NAME=VALUE`` pairs.

    For a named query each name must be one of its declared parameters and required ones must be
    given. For any other query, a value written ``<IRI>`` binds an IRI, anything else a plain
    literal.
    """
    names = Names(store)
    if query is None:
        bindings: dict[str, Identifier] = {}
        for name, value in given.items():
            if value.startswith("<") and value.endswith(">"):
                bindings[name] = to_term(store, None, "iri", value[1:-1], f"--param {name}")
            else:
                bindings[name] = to_term(store, None, "string", value, f"--param {name}")
        return bindings
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise BadInput(f"query {query.name!r} has no parameter {shown(unknown[0])} (it accepts: {accepted})")
    missing = [p.name for p in query.params if not p.optional and p.name not in given]
    if missing:
        raise BadInput(f"query {query.name!r} needs --param {missing[0]}=… ({declared[missing[0]].doc})")
    return {
        name: to_term(store, names, declared[name].kind, value, f"--param {name}")
        for name, value in given.items()
    }
