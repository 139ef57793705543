"""The named SPARQL queries shipped in ``graph/queries/*.rq``, found by name.

Each file starts with a comment header::

    # Question: what the query answers (may continue on lines indented by "#   ")
    # Param: NAME KIND [optional] -- what it restricts
    # Param: none
    # Page: reaction

KIND says how a ``--param NAME=VALUE`` is turned into an RDF term before it is bound (never
pasted into the text): ``actor`` and ``event`` resolve names and aliases, ``stance`` a stance
concept, ``date`` an ``xsd:date``, ``iri`` an absolute IRI, ``string`` a plain literal.

``Page: VAR [via AREA/NAME] -- ORDER`` marks a paged query: its ``VALUES ?VAR { UNDEF }`` block is filled with
one page of keys, chosen and cut from a few facts of each key before the query joins the rest
(labels, titles, OPTIONALs) for that page only (:mod:`graph.paging`), so a first page costs what
it shows on any size of store. ORDER says in words how the pages are ordered (``diplo query
--list`` shows it). The keys that can be paged are those :data:`PAGED` names: ``reaction`` (the
lookups' order: newest first; an ``actor`` parameter ``who`` or ``toward``, or an ``event``
parameter ``within``, narrows them as the lookups do), ``source`` (newest published first),
``actor``, ``day`` and ``pair`` (the whole-graph counts: the order the query's ORDER BY gives,
chosen from the summaries' columns while they are current; a pair is an actor's name, a side and
a target's name, its block ``VALUES (?actorLabel ?side ?targetLabel) { (UNDEF UNDEF UNDEF) }``)
``official`` (a person holding a post, by the name of the state or organization they speak for
and then their own, the block ``VALUES ?person { UNDEF }``) and ``stance`` (the stances taken
toward one actor: a stance class and the name of an actor who took a stance of it, the block
``VALUES (?stanceClass ?actorLabel) { (UNDEF UNDEF) }``).
Run as it stands (``--all``), the block matches every key: the whole answer. With ``via``, a page
is read by the internal query ``queries/AREA/NAME.rq`` instead (its block filled): for a query
whose own text is tuned to run whole (the lookups run reactions-by.rq so) and which answers, for
the page's keys, exactly what that query answers for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from graph.errors import UnknownQuery
from graph.resources import shipped_files

PARAM_KINDS = ("actor", "event", "stance", "date", "iri", "string")
#: The keys a query can be paged by (see :mod:`graph.paging`), each with the variables of the
#: VALUES block its page fills: one, or for a pair of who sided with whom, three.
PAGED: dict[str, tuple[str, ...]] = {
    "reaction": ("reaction",), "source": ("source",), "actor": ("actor",), "day": ("day",),
    "pair": ("actorLabel", "side", "targetLabel"), "official": ("person",), "stance": ("stanceClass", "actorLabel"),
}
_PARAM = re.compile(r"^(?P<name>\w+)\s+(?P<kind>\w+)(?P<optional>\s+optional)?\s*(?:--\s*(?P<doc>.*))?$")


def page_variables(page: str) -> str | tuple[str, ...]:
    """The variable (or variables) of the VALUES block a page of ``page`` keys fills."""
    names = PAGED[page]
    return names[0] if len(names) == 1 else names


def values_block(name: str | tuple[str, ...], rows: str = "") -> str:
    """``VALUES ?name { rows }``, or for several variables ``VALUES (?a ?b) { rows }``; with no
    rows, the block that matches anything (UNDEF)."""
    if isinstance(name, str):
        return f"VALUES ?{name} {{ {rows or 'UNDEF'} }}"
    undefined = "(" + " ".join("UNDEF" for _ in name) + ")"
    return f"VALUES ({' '.join('?' + n for n in name)}) {{ {rows or undefined} }}"


@dataclass(frozen=True)
class Param:
    """A parameter a named query accepts."""

    name: str
    kind: str
    optional: bool
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    """A shipped query: its name (the file stem), question, parameters and text."""

    name: str
    question: str
    params: tuple[Param, ...]
    text: str
    page: str | None = None
    """The variable whose VALUES block ``diplo query`` fills page by page (one of :data:`PAGED`), if any."""
    page_order: str = ""
    """How the pages are ordered, in words (the ``# Page:`` line after ``--``)."""
    page_text: str | None = None
    """The text whose VALUES block a page fills: the query's own, or the internal query its
    ``# Page:`` line names after ``via`` (for a query whose own text is tuned to run whole)."""


def parse_header(name: str, text: str) -> NamedQuery:
    """Read the comment header of a query file (see the module docstring)."""
    entries: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        key, sep, rest = body.partition(":")
        if sep and key in ("Question", "Param", "Page"):
            entries.append((key, rest.strip()))
        elif entries and body:  # a continuation line
            key, value = entries[-1]
            entries[-1] = (key, f"{value} {body}")
    params = []
    for spec in (value for key, value in entries if key == "Param"):
        if spec == "none":
            continue
        m = _PARAM.match(spec)
        if m is None or m["kind"] not in PARAM_KINDS:
            raise ValueError(f"{name}.rq: bad '# Param:' line {spec!r}")
        params.append(Param(m["name"], m["kind"], bool(m["optional"]), (m["doc"] or "").strip()))
    question = next((value for key, value in entries if key == "Question"), "")
    if not question:
        raise ValueError(f"{name}.rq: no '# Question:' header")
    spec = next((value for key, value in entries if key == "Page"), None)
    page, order, page_text = None, "", None
    if spec is not None:
        head, _, order = (part.strip() for part in spec.partition("--"))
        page, _, via = (part.strip() for part in head.partition(" via "))
        if page not in PAGED or (via and via.count("/") != 1):
            raise ValueError(f"{name}.rq: bad '# Page:' line {spec!r} (VAR [via AREA/NAME] [-- ORDER]; paged keys: {', '.join(PAGED)})")
        page_text = internal_query(*via.split("/")) if via else text
        block = values_block(page_variables(page))
        if block not in page_text:
            raise ValueError(f"{name}.rq: paged by {page} but {via or 'its text'} has no '{block}' block to fill")
    return NamedQuery(name, question, tuple(params), text, page, order, page_text)


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every shipped query by name."""
    found = {}
    for f in shipped_files("queries", ".rq"):
        name = f.name.removesuffix(".rq")
        found[name] = parse_header(name, f.read_text(encoding="utf-8"))
    return found


def internal_query(area: str, name: str, suffix: str = ".rq") -> str:
    """The text of a query the product runs for its own bookkeeping (``queries/<area>/<name>.rq``:
    imports, summaries; ``suffix`` ".ru" for an update). They ask about graphs and writes, not about the crisis, so ``diplo
    query --list`` does not offer them; their headers say what they answer all the same."""
    from graph.resources import shipped

    return shipped("queries", area, f"{name}{suffix}").read_text(encoding="utf-8")


def named_query(name: str) -> NamedQuery:
    """One shipped query; :class:`UnknownQuery` listing the known names on a miss."""
    queries = named_queries()
    if name not in queries:
        raise UnknownQuery(name, sorted(queries))
    return queries[name]
