"""Writing output files so that a failure leaves nothing half-written."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

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


def check_jsonld_contexts(path: Path, text: str) -> None:
    """Refuse JSON-LD that names a context to fetch: an ``@context`` given as a URL or file name
    (alone or in a list, at any depth) or an ``@import`` would make the parser read it from the
    network or the disk. Contexts written out in the file are fine. Text that is not JSON is
    left to the parser, which says what is wrong with it."""
    import json

    try:
        document = json.loads(text)
    except ValueError:
        return
    except RecursionError:
        raise BadInput(f"{path}: JSON nested too deeply to read") from None

    def refuse(reference: object, key: str) -> None:
        shown = str(reference)[:100]
        raise BadInput(f"{path}: JSON-LD {key} {shown!r} would be fetched from elsewhere; "
                       "remote contexts are refused: write the context into the file")

    def context(value: object) -> None:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                refuse(item, "@context")
            if isinstance(item, dict):
                if "@import" in item:
                    refuse(item["@import"], "@import")
                walk(item)  # a term's own (scoped) context

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    context(value)
                else:
                    walk(value)

    try:
        walk(document)
    except RecursionError:
        raise BadInput(f"{path}: JSON nested too deeply to read") from None


#: What an IRI may not hold (RFC 3987): rdflib's parsers let these through with a warning, and
#: the store's own parser, any serialiser and other tools then refuse or break on them.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def check_iris(path: Path, dataset: Any) -> None:
    """:class:`BadInput` naming ``path`` when a parsed file holds an IRI that is not one."""
    from rdflib import URIRef

    for quad in dataset.quads((None, None, None, None)):
        for term in quad:
            if isinstance(term, URIRef) and _NOT_IN_IRI.search(term):
                raise BadInput(f"{path}: {str(term)[:100]!r} is not an IRI (it holds a space, a control character or one of <>\"{{}}|\\^`)")


@contextmanager
def quiet_iri_warnings() -> Iterator[None]:
    """Silence rdflib's warning for each odd IRI while parsing: :func:`check_iris` says it once."""
    import logging

    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
