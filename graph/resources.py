"""Locate the files shipped inside the package: ontology, bundled graph, queries, templates.

One helper for all of them, through ``importlib.resources``, so editable and wheel installs
behave the same (``graph/ontology`` links to the top-level ``ontology/`` folder in a checkout
and is a real folder inside the wheel).
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def shipped(*parts: str) -> Traversable:
    """Return the shipped resource at ``graph/<parts…>``."""
    node = files("graph")
    for part in parts:
        node = node.joinpath(part)
    return node


def shipped_files(folder: str, suffix: str) -> list[Traversable]:
    """Return the files in a shipped folder that end with ``suffix``, sorted by name."""
    return sorted(
        (f for f in shipped(folder).iterdir() if f.name.endswith(suffix)),
        key=lambda f: f.name,
    )
