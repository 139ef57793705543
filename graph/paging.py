"""Pages of the paged named queries: which keys (reactions, sources) one page holds, and how many
there are in all.

A paged query (``# Page: VAR`` in its header, see :mod:`graph.queries`) has a ``VALUES ?VAR
{ UNDEF }`` block; :func:`page_keys` chooses the page's keys from a few facts of each and the
query is then run with the block holding just those, so titles, labels and OPTIONALs are joined
for one page only. Why not ``ORDER BY … LIMIT`` in the query itself: Oxigraph sorts by reading
each compared term back from its dictionary, and sorted 163k sources (the sources of a 1M store)
in 6-10 s to show 50; the keys are walked from an index instead (newest day first), and only a
remote store (which sorts well and would send every key over HTTP) or a small one cuts the page
with a sorting query.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from graph.queries import NamedQuery, internal_query

if TYPE_CHECKING:
    from rdflib.term import Identifier

    from graph.sparql import Answer
    from graph.store import Store

#: How many keys a page holds unless told otherwise.
PAGE = 50

#: Above this many sources (and for pages in their first half), a store on disk finds a page of
#: sources by walking back through the publication days instead of ordering them all (the
#: sorting query cost 0.1 s for the real store's 1,300 sources, 15 s for 163k).
WALK_FROM = 2_000


def page_keys(
    store: Store, query: NamedQuery, bindings: Mapping[str, Identifier], limit: int, offset: int = 0
) -> tuple[list[str], int]:
    """The IRIs of the keys on the page of ``query`` that starts ``offset`` keys in and holds at
    most ``limit``, in the query's page order, and how many keys there are in all."""
    if query.page == "reaction":
        from graph.lookup import chosen_page

        return chosen_page(
            store, who=bindings.get("who"), toward=bindings.get("toward"), event=bindings.get("within"),  # type: ignore[arg-type]
            limit=limit, offset=offset,
        )
    if query.page == "source":
        return source_page(store, limit, offset)
    raise ValueError(f"{query.name}: no way to page by {query.page!r}")


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
