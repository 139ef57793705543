"""Reading the graph one kind of fact at a time, each fact once.

A store of many sources states the same triple in many graphs (an official's post in every source
quoting them), and the union of the graphs repeats it. A query joining several kinds of fact
multiplies those repeats before any DISTINCT can remove them: the gazetteer's query met a post
restated by 53 sources as 53^4 rows and outgrew 4 GB at 100k reactions. Reading each kind on its
own, DISTINCT (``queries/facts/*.rq``), and joining in Python costs what the facts number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.queries import internal_query

if TYPE_CHECKING:
    from rdflib import URIRef

    from graph.store import Store


def members(store: Store, of_class: URIRef) -> set[str]:
    """The IRIs of everything typed ``of_class`` (not its subclasses)."""
    return {iri for (iri,) in store.rows(internal_query("facts", "of-class"), {"class": of_class}) if iri is not None}


def by_subject(store: Store, predicate: URIRef) -> dict[str, set[str]]:
    """Each subject of ``predicate`` with its objects (IRIs and literals as lexical forms)."""
    found: dict[str, set[str]] = {}
    for subject, value in store.rows(internal_query("facts", "of-predicate"), {"predicate": predicate}):
        if subject is not None and value is not None:
            found.setdefault(subject, set()).add(value)
    return found
