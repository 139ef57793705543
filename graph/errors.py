"""Exceptions the library raises. They know nothing about click: ``graph.cli`` turns them into
one-line messages and exit codes."""

from __future__ import annotations


def shown(value: str, limit: int = 80) -> str:
    """A value the user gave, quoted for an error message and cut to ``limit`` characters (a
    100,000-character name is not echoed back whole)."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value):,} characters)"


class DiploError(Exception):
    """Base class: a problem the user can fix, described in one line."""


class BadInput(DiploError):
    """A file, query or parameter the user gave cannot be used (the message names it)."""


class UnknownName(DiploError):
    """A name that matches no actor or event; carries close matches for "did you mean"."""

    def __init__(self, kind: str, name: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"no {kind} matches {shown(name)}{hint}")


class UnknownQuery(DiploError):
    """A named query that does not exist; the message lists the known names."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"no named query {name!r}; known: {', '.join(known)}")
