"""The named SPARQL queries shipped in ``graph/queries/*.rq``, found by name.

Each file starts with a comment header::

    # Question: what the query answers (may continue on lines indented by "#   ")
    # Param: NAME KIND [optional] -- what it restricts
    # Param: none
    # Page: reaction

KIND says how a ``--param NAME=VALUE`` is turned into an RDF term before it is bound (never
pasted into the text): ``actor`` and ``event`` resolve names and aliases, ``stance`` a stance
concept, ``date`` an ``xsd:date``, ``iri`` an absolute IRI, ``string`` a plain literal.

``Page: reaction`` marks a query that reads every reaction in full: ``diplo query`` fills its
``VALUES ?reaction { UNDEF }`` block with one page of reactions, newest first, as the lookups
choose them, so its first page costs what it shows on any size of store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from graph.errors import UnknownQuery
from graph.resources import shipped_files

PARAM_KINDS = ("actor", "event", "stance", "date", "iri", "string")
_PARAM = re.compile(r"^(?P<name>\w+)\s+(?P<kind>\w+)(?P<optional>\s+optional)?\s*(?:--\s*(?P<doc>.*))?$")


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
    """The variable whose VALUES block ``diplo query`` fills page by page (``reaction``), if any."""


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
    page = next((value for key, value in entries if key == "Page"), None)
    if page not in (None, "reaction"):
        raise ValueError(f"{name}.rq: bad '# Page:' line {page!r} (only 'reaction' is paged)")
    return NamedQuery(name, question, tuple(params), text, page)


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
