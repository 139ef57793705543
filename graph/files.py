"""Writing output files so that a failure leaves nothing half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from graph.errors import BadInput


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary stream that replaces ``path`` only once everything was written.

    :class:`BadInput` names the path when its folder is missing or not writable; on any error
    the temporary file is removed and ``path`` is left as it was.
    """
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise BadInput(f"{path}: cannot write: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


class _EndOfDoctype(Exception):
    """Raised to stop reading an XML file once its document type declaration is over."""


#: The longest replacement text an XML entity may have (namespace abbreviations are short).
ENTITY_CHARS = 2000


def check_xml_entities(path: Path, text: str) -> None:
    """Refuse XML whose entities could expand without bound ("billion laughs"): an entity may
    only stand for short plain text — no entity inside another, no parameter or external
    entities. Only the document type declaration is read, so this is quick; the parser that
    follows then expands at most :data:`ENTITY_CHARS` characters per reference."""
    from xml.parsers import expat

    if "<!ENTITY" not in text:
        return
    parser = expat.ParserCreate()

    def declared(name: str, is_parameter: int, value: str | None, *_: object) -> None:
        line = parser.CurrentLineNumber
        if is_parameter or value is None:
            raise BadInput(f"{path}:{line}: entity {name!r} is a parameter or external entity; these are refused")
        if "&" in value or "%" in value or len(value) > ENTITY_CHARS:
            raise BadInput(f"{path}:{line}: entity {name!r} refers to other entities or is too long; "
                           "entities that expand are refused")

    def doctype_over() -> None:
        raise _EndOfDoctype

    parser.EntityDeclHandler = declared
    parser.EndDoctypeDeclHandler = doctype_over
    try:
        parser.Parse(text, True)
    except _EndOfDoctype:
        return
    except expat.ExpatError as e:
        raise BadInput(f"{path}:{e.lineno}: malformed XML: {expat.errors.messages[e.code]}") from e
