"""Where the graph lives and how it is queried.

A store is an rdflib ``Dataset`` holding named graphs: the ontology (under the ontology's IRI),
the bundled graph shipped in ``graph/data/`` (one named graph per source document, as written in
its TriG), and whatever the user adds — files with ``--data``, ingested articles (one graph per
source). Queries see the union of all of them.

Two places a dataset can live:

- in memory (:meth:`Store.bundled`): zero set-up, rebuilt on every run;
- on disk (:meth:`Store.create` / :meth:`Store.open`, ``--store DIR``): an embedded Oxigraph
  database (pyoxigraph, wrapped for rdflib by oxrdflib), where ingested sources persist. Replacing
  a source's graph is one Oxigraph transaction, so a crash never leaves half a source.
"""

from __future__ import annotations

import os as _os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import summaries, vocab
from graph.errors import BadInput
from graph.queries import values_block
from graph.resources import shipped_files

if TYPE_CHECKING:
    from rdflib import Dataset, Graph
    from rdflib.query import Result
    from rdflib.term import Identifier, URIRef

#: rdflib parser names by file suffix.
FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".n3": "n3",
}
#: Formats whose files name their own graphs.
QUAD_FORMATS = {"trig", "nquads", "json-ld"}


def format_for(path: Path) -> str:
    """The rdflib parser for a file, from its suffix; :class:`BadInput` when unknown."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise BadInput(f"{path}: unknown RDF file type {path.suffix!r} (known: {known})")
    return fmt


def _syntax_error(path: Path | str, error: Exception) -> BadInput:
    """One line naming the file and, when the parser tells, the line of the error."""
    line = getattr(error, "lines", None)
    why = getattr(error, "_why", None) or str(error).strip().splitlines()[0]
    where = f"{path}:{line + 1}" if isinstance(line, int) else f"{path}"
    return BadInput(f"{where}: malformed RDF: {why}")


#: The file that marks a folder as a diplograph store, with its format version.
MARKER = "diplograph-store.json"
STORE_FORMAT = 1
#: Written before a bulk load and removed after it: if it is still there when the store opens,
#: a load was killed, and the graphs it names are dropped (they may be half loaded).
JOURNAL = "load-journal.json"
#: A load of fewer quads leaves Oxigraph's files as they are: merging them all after one small
#: file took 34 s at a million reactions, and one more small file slows no lookup measurably.
COMPACT_AFTER = 100_000
#: Files `diplo load` bulk-loads, by suffix: (Oxigraph format name, whether it names its graphs).
BULK_FORMATS = {".nt": ("N_TRIPLES", False), ".nq": ("N_QUADS", True), ".ttl": ("TURTLE", False), ".trig": ("TRIG", True)}


def rdf_quads(path: Path) -> tuple[Iterator[Any], Any, bool, str]:
    """The quads of an RDF file to bulk-load, parsed lazily (a syntax error raises
    :class:`BadInput` with its line as they are read), its pyoxigraph format, whether it names
    its own graphs, and its URI (the graph a triple file goes into)."""
    import pyoxigraph

    suffix = path.suffix.lower()
    if suffix not in BULK_FORMATS:
        raise BadInput(f"{path}: cannot bulk-load {suffix or 'a file without suffix'!r} (known: {', '.join(sorted(BULK_FORMATS))})")
    fmt_name, has_graphs = BULK_FORMATS[suffix]
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    target = path.resolve().as_uri()
    fmt = getattr(pyoxigraph.RdfFormat, fmt_name)

    def quads() -> Iterator[Any]:
        try:
            yield from pyoxigraph.parse(path=str(path), format=fmt, base_iri=target)
        except SyntaxError as e:
            raise BadInput(f"{path}:{e.lineno}: malformed RDF: {e.msg}") from e
        except (OSError, ValueError) as e:
            raise BadInput(f"{path}: cannot read: {e}") from e

    return quads(), fmt, has_graphs, target


def parse_file(path: Path) -> Dataset:
    """An RDF file parsed whole into a dataset of its own (nothing else is touched): triple
    formats go into a named graph called by the file's URI. :class:`BadInput` names the line of
    a syntax error."""
    from rdflib import Dataset

    fmt = format_for(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"{path}: cannot read: {e}") from e
    if fmt == "xml":
        from graph.files import check_xml_entities

        check_xml_entities(path, text)
    if fmt == "json-ld":
        from graph.files import check_jsonld_contexts

        check_jsonld_contexts(path, text)  # the parser would fetch a remote context
    from graph.files import check_iris, quiet_iri_warnings

    staging = Dataset()
    try:
        with quiet_iri_warnings():
            if fmt in QUAD_FORMATS:
                staging.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
            else:
                staging.graph(path.resolve().as_uri()).parse(data=text, format=fmt)
    except Exception as e:  # rdflib raises many types for bad syntax; all mean the same here
        raise _syntax_error(path, e) from e
    check_iris(path, staging)
    return staging


def prepare_query(text: str) -> Any:
    """rdflib's parsed form of a query (the ontology's prefixes declared); a syntax error
    becomes :class:`BadInput` with line and column."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=dict(vocab.namespaces()))
    except ParseException as e:
        raise BadInput(f"malformed SPARQL at line {e.lineno}, column {e.col}: {e.msg}") from e
    except Exception as e:  # e.g. an undeclared prefix
        raise BadInput(f"malformed SPARQL: {e}") from e


#: What a query's text holds that is not SPARQL structure: string literals (all four quotings),
#: IRIs and comments. Variables are only ever replaced outside these.
_OPAQUE = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|\#[^\n]*'''
)


def to_oxigraph(term: Identifier) -> Any:
    """The pyoxigraph term for an rdflib one (:class:`BadInput` for an IRI that is not one)."""
    import pyoxigraph
    from rdflib import BNode, Literal

    try:
        if isinstance(term, Literal):
            if term.language:
                return pyoxigraph.Literal(str(term), language=term.language)
            datatype = pyoxigraph.NamedNode(str(term.datatype)) if term.datatype else None
            return pyoxigraph.Literal(str(term), datatype=datatype)
        if isinstance(term, BNode):
            return pyoxigraph.BlankNode(str(term))
        return pyoxigraph.NamedNode(str(term))
    except ValueError as e:
        raise BadInput(f"not a valid RDF term: {str(term)[:80]!r} ({e})") from e


def term_text(term: Identifier) -> str:
    """A term written for SPARQL or N-Triples text by pyoxigraph's serialiser, whose escaping of
    quotes, backslashes and line breaks cannot be broken out of (rdflib's ``n3()`` writes a
    multi-line string in long quotes that a value ending in a backslash could close).
    :class:`BadInput` for an IRI that is not one."""
    return str(to_oxigraph(term))


def _prebind(text: str, bound: Mapping[str, Identifier]) -> str:
    """The query with each bound variable replaced by its value (:func:`term_text`, never raw
    user text): what rdflib's initBindings means, for Oxigraph, whose own substitutions join the
    value in after evaluation (so ``!BOUND(?who)`` would still hold).

    Literals, IRIs and comments of the query are set aside first and every value is put in last,
    so neither a variable named inside a string nor a value that looks like a variable is ever
    replaced."""
    if not bound:
        return text
    kept: list[str] = []

    def keep(piece: str) -> str:
        kept.append(piece)
        return f"\x00{len(kept) - 1}\x00"

    text = _OPAQUE.sub(lambda m: keep(m.group(0)), text)
    values = {name: keep(term_text(term)) for name, term in bound.items()}
    var = rf"[?$]({'|'.join(re.escape(name) for name in bound)})(?!\w)"
    text = re.sub(rf"\bBOUND\s*\(\s*{var}\s*\)", "true", text, flags=re.IGNORECASE)
    select = re.search(r"\bSELECT\b(.*?)\bWHERE\b", text, re.IGNORECASE | re.DOTALL)
    if select is not None:
        head = re.sub(var, lambda m: f"({values[m[1]]} AS ?{m[1]})", text[select.start(1) : select.end(1)])
        rest = text[select.end(1) :]
        # Past the projection, the variable stands for its value (GROUP BY loses a constant).
        rest = re.sub(rf"(\bGROUP\s+BY\b[^{{}}]*?)\s{var}", r"\1", rest, flags=re.IGNORECASE)
        rest = re.sub(rf"(?<!AS ){var}", lambda m: values[m[1]], rest)
        text = text[: select.start(1)] + head + rest
    else:
        text = re.sub(var, lambda m: values[m[1]], text)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m[1])], text)


def _fill_values(text: str, name: str | tuple[str, ...], terms: Iterable[Any]) -> str:
    """The query with ``VALUES ?name { … }`` holding ``terms`` (see :meth:`Store.query`); for
    a tuple of names, ``VALUES (?a ?b …) { … }`` holding tuples of terms."""
    if isinstance(name, str):
        written = " ".join(term_text(t) for t in terms)
    else:
        written = " ".join("(" + " ".join(term_text(t) for t in row) + ")" for row in terms)
    # No values means no solutions. rdflib can't read an empty VALUES block and ignores
    # FILTER (false), so the filter is a comparison that fails.
    block = values_block(name, written) if written else "FILTER (1 = 0)"
    empty = values_block(name)
    if empty in text:  # every such block: a query may name the variable in several subqueries
        return text.replace(empty, block)
    return text.replace("WHERE {", "WHERE {\n  " + block, 1)


def _prefixes() -> dict[str, str]:
    return {prefix: str(ns) for prefix, ns in vocab.namespaces().items()}


def _from_oxigraph() -> Callable[[Any], Identifier]:
    """A converter from pyoxigraph terms to rdflib's that remembers what it converted. Plain
    strings come back as plain literals, as rdflib's own store gives them (Oxigraph writes
    their xsd:string datatype out)."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    seen: dict[Any, Identifier] = {}
    xsd_string = "http://www.w3.org/2001/XMLSchema#string"

    def convert(value: Any) -> Identifier:
        known = seen.get(value)
        if known is not None:
            return known
        out: Identifier
        if isinstance(value, pyoxigraph.NamedNode):
            out = URIRef(value.value)
        elif isinstance(value, pyoxigraph.BlankNode):
            out = BNode(value.value)
        elif value.language:
            out = Literal(value.value, lang=value.language)
        elif value.datatype.value == xsd_string:
            out = Literal(value.value)
        else:
            out = Literal(value.value, datatype=URIRef(value.datatype.value))
        seen[value] = out
        return out

    return convert


class _Compaction:
    """A store's compaction (:meth:`Store.compact`) run in a thread beside other work; its error,
    if any, is raised by :meth:`finish`, which waits for it."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="diplo-compact", daemon=False)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._store.compact()
        except BaseException as e:  # handed to finish(): a thread's exception is otherwise lost
            self._error = e

    def finish(self) -> None:
        """Wait for the compaction, if it was started, and raise what it raised."""
        if self._thread is None:
            return
        self._thread.join()
        if self._error is not None:
            raise self._error


def check_store_folder(path: Path) -> None:
    """Refuse, in one line (:class:`BadInput`), a folder that is not a complete diplograph
    store, before the database is opened (opening a folder without one would create it: only
    ``diplo init`` creates a store)."""
    import json

    hint = f"(create one with: diplo init {path})"
    if not path.exists():
        raise BadInput(f"{path}: no such store {hint}")
    if not (path / MARKER).is_file():
        raise BadInput(f"{path}: not a diplograph store {hint}")
    try:
        marker = json.loads((path / MARKER).read_text(encoding="utf-8"))
        version = marker.get("format") if isinstance(marker, dict) else None
    except (OSError, ValueError) as e:
        raise BadInput(f"{path}: the store is damaged: {MARKER} is unreadable ({e})") from e
    if version != STORE_FORMAT:
        raise BadInput(f"{path}: the store has format {version!r}, this diplo reads format {STORE_FORMAT}")
    data = path / "oxigraph"
    if not data.is_dir():
        raise BadInput(f"{path}: the store is damaged: its database folder {data.name}/ is missing")
    current = data / "CURRENT"
    try:
        if not current.read_text(encoding="utf-8").strip():
            raise BadInput(f"{path}: the store is damaged: {data.name}/CURRENT is empty")
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"{path}: the store is damaged: cannot read {data.name}/CURRENT ({getattr(e, 'strerror', None) or e})") from e


class _FolderLock:
    """Readers and writers of one store folder, kept apart: a writer holds it alone, readers
    share it. Oxigraph's read-only mode must not run beside a writer (a writer's compaction
    deletes files a reader may still need), and it takes no lock of its own. The lock is an
    advisory ``flock`` on the folder itself, so taking it writes nothing; it ends with the
    process, or when released (or collected)."""

    def __init__(self, path: Path, shared: bool) -> None:
        import fcntl

        self.fd: int | None = None
        try:
            self.fd = _os.open(path, _os.O_RDONLY)
        except OSError as e:
            raise BadInput(f"{path}: cannot open the store: {e.strerror or e}") from e
        try:
            fcntl.flock(self.fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except OSError:
            self.release()
            if shared:
                raise BadInput(f"{path}: the store is in use by a diplo process that writes to it; try again when it ends") from None
            raise BadInput(
                f"{path}: the store is in use by another diplo process (a running diplo serve, or another "
                "command); try again when it ends"
            ) from None

    def release(self) -> None:
        if self.fd is not None:
            _os.close(self.fd)
            self.fd = None

    def __del__(self) -> None:
        self.release()


class Store:
    """A graph of reactions with the ontology beside it, queried with SPARQL 1.1."""

    def __init__(self, dataset: Dataset, path: Path | None = None, oxigraph: object | None = None) -> None:
        from graph.limits import Limits

        self.dataset = dataset
        self.path = path
        """The folder of an on-disk store; None in memory."""
        self._ox = oxigraph
        self.limits = Limits.from_environment()
        """Time, row and memory limits of every query (see :mod:`graph.limits`)."""

    @classmethod
    def create(cls, path: Path) -> Store:
        """A new on-disk store in ``path`` (which must not exist or be empty), holding the
        ontology and the bundled graph."""
        import json

        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise BadInput(f"{path}: already exists and is not an empty folder")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise BadInput(f"{path}: cannot create: {e.strerror or e}") from e
        store = cls._open_oxigraph(path)
        memory = cls.bundled()
        store.dataset.addN(memory.dataset.quads((None, None, None, None)))
        summaries.rebuild(store)
        (path / MARKER).write_text(json.dumps({"format": STORE_FORMAT}) + "\n", encoding="utf-8")
        return store

    @classmethod
    def open(cls, path: Path, read_only: bool = False) -> Store:
        """An existing on-disk store; :class:`BadInput` when ``path`` is not one or is in use.
        A load that was killed half-way is undone first (see :data:`JOURNAL`).

        ``read_only`` opens it for reading only: it writes nothing (so a store on a read-only
        file system, or without write permission, can be read), and any number of readers may
        have it open at once. Writers exclude readers and each other (see :class:`_FolderLock`)."""
        check_store_folder(path)
        if read_only and (path / JOURNAL).is_file():
            # An interrupted load must be undone before anyone reads the half-loaded graphs.
            writer = cls.open(path)
            recovered = writer.recovered
            writer.close()
            store = cls._open_oxigraph(path, read_only=True)
            store.recovered = recovered
            return store
        store = cls._open_oxigraph(path, read_only)
        store.recovered = [] if read_only else store._recover()
        return store

    recovered: list[str] = []
    """Graphs dropped on opening because the load that was writing them did not finish."""

    def _recover(self) -> list[str]:
        import json

        from rdflib import URIRef

        import shutil

        from graph.eventdata import PARTS_FOLDER

        # A writer holds the store alone: an import's parts folder now is a killed import's.
        shutil.rmtree(self.path / PARTS_FOLDER, ignore_errors=True)  # type: ignore[operator]
        journal = self.path / JOURNAL  # type: ignore[operator]
        if not journal.is_file():
            return []
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            graphs, moves = entry["graphs"], entry.get("move", [])
        except (OSError, ValueError, KeyError):
            graphs, moves = [], []
        for g in graphs:
            self.drop_graph(URIRef(g))
        self._move_graphs([(source, target) for source, target in moves])  # a complete replacement being moved into place
        self._ox.flush()  # type: ignore[union-attr]
        journal.unlink()
        return graphs

    def bulk_load(
        self, path: Path, replace: bool = False, compact: bool = True, step: Callable[[str], None] | None = None
    ) -> dict[str, object]:
        """Load one RDF file (see :meth:`load_files`); ``step`` hears the name of each phase."""
        say = step or (lambda _: None)
        return self.load_files([path], replace=replace, compact=compact, step=lambda _path, phase: say(phase))[0]

    def load_files(
        self, paths: list[Path], replace: bool = False, compact: bool = True,
        step: Callable[[Path, str], None] | None = None,
    ) -> list[dict[str, object]]:
        """Load RDF files (N-Triples, N-Quads, Turtle, TriG) at Oxigraph's native speed, all of
        them or none.

        Every file is parsed whole first (a syntax error raises :class:`BadInput` with its line,
        and nothing is written). A triple file goes into a named graph called by its URI; a quad
        file keeps its graphs, and its default-graph triples go into the graph called by its URI
        (so a killed load can find and drop them). Graphs already in the store are refused
        unless ``replace``; replaced graphs are kept until every file is loaded: the new ones go
        into staging graphs, and only then are they moved into place. The journal
        (:data:`JOURNAL`) names what is being written, so if the process dies the next
        :meth:`open` drops it (before the move) or finishes the move (during it): the store
        holds all the files or none of them. ``compact`` (see :meth:`compact`; only after
        :data:`COMPACT_AFTER` quads or more) can wait for a later load; ``step`` hears each file and phase as it starts (checking, loading,
        compacting and counting: each takes long on big files)."""
        import time

        import pyoxigraph

        if self._ox is None:
            raise BadInput("load needs a store on disk: pass --store DIR (create one with diplo init DIR)")
        say = step or (lambda _path, _phase: None)
        plans = []
        for path in paths:
            start = time.perf_counter()
            quads, fmt, has_graphs, target = rdf_quads(path)
            say(path, "checking")
            terms: set[Any] = set()  # graph names as parsed: a string per quad cost 0.4 s of 2.6 at 100k
            count = 0
            for quad in quads:
                count += 1
                terms.add(quad.graph_name)
            named = {t for t in terms if isinstance(t, pyoxigraph.NamedNode)}
            default = has_graphs and len(named) < len(terms)
            graphs = {t.value for t in named} if has_graphs else set()
            if default or not has_graphs:
                graphs.add(target)
            plans.append({"path": path, "fmt": fmt, "has_graphs": has_graphs, "target": target, "graphs": graphs,
                          "default": default, "quads": count, "seconds": time.perf_counter() - start})
        every = set().union(*(plan["graphs"] for plan in plans)) if plans else set()
        if summaries.graph_iri() in every:
            path = next(plan["path"] for plan in plans if summaries.graph_iri() in plan["graphs"])
            raise BadInput(f"{path}: graph <{summaries.graph_iri()}> holds the store's own summaries; a file cannot load into it")
        existing = sorted(g for g in every if self._ox.contains_named_graph(pyoxigraph.NamedNode(g)))
        if existing and not replace:
            path = next(plan["path"] for plan in plans if existing[0] in plan["graphs"])
            raise BadInput(f"{path}: the store already has graph <{existing[0]}>{' and others' if len(existing) > 1 else ''}; use --replace to replace it")
        merging = _Compaction(self) if compact and paths and sum(plan["quads"] for plan in plans) >= COMPACT_AFTER else None
        try:
            with summaries.kept(self, sorted(every)):
                reports = self._load_plans(paths, plans, existing, every, say)
                if merging is not None:
                    say(paths[-1], "compacting and counting")
                    # The tallies are recounted as the kept block ends, reading the store while
                    # its files are merged: 2 s of a 100k load's 25 s came off (Oxigraph lets
                    # go of the GIL while it merges).
                    merging.start()
        finally:
            if merging is not None:
                merging.finish()
        return reports

    def _load_plans(self, paths: list[Path], plans: list[dict[str, Any]], existing: list[str], every: set[str],
                    say: Callable[[Path, str], None] | None = None) -> list[dict[str, object]]:
        """Write checked files (the plans of :meth:`load_files`) under the load journal."""
        import json
        import time

        from rdflib import URIRef

        from graph.model import digest

        say = say or (lambda _path, _phase: None)
        into = {g: (f"{g}#staging-{digest(g)}" if g in existing else g) for g in every}
        journal = self.path / JOURNAL  # type: ignore[operator]
        journal.write_text(json.dumps({"files": [str(p) for p in paths], "graphs": sorted(into.values())}), encoding="utf-8")
        if existing:  # staging graphs left by an earlier failure
            self._ox.update(" ;\n".join(f"DROP SILENT GRAPH {URIRef(into[g]).n3()}" for g in existing))
        reports = []
        for plan in plans:
            start = time.perf_counter()
            say(plan["path"], "loading")
            self._load_one(plan, into)
            reports.append({"file": str(plan["path"]), "quads": plan["quads"], "graphs": len(plan["graphs"]),
                            "replaced": sum(g in existing for g in plan["graphs"]),
                            "seconds": round(plan["seconds"] + time.perf_counter() - start, 2)})
        self._ox.flush()
        if existing:
            journal.write_text(json.dumps({"files": [str(p) for p in paths], "graphs": [], "move": [[into[g], g] for g in existing]}), encoding="utf-8")
            self._move_graphs([(into[g], g) for g in existing])
        journal.unlink()
        return reports

    def _load_one(self, plan: dict[str, Any], into: dict[str, str]) -> None:
        """Bulk-load one checked file (a plan of :meth:`load_files`) into its graphs' ``into``
        names. Lenient: the check has read the whole file already (10% faster at 10M quads)."""
        import pyoxigraph

        path, fmt, target = plan["path"], plan["fmt"], plan["target"]
        if not plan["has_graphs"]:
            self._ox.bulk_load(path=str(path), format=fmt, base_iri=target, to_graph=pyoxigraph.NamedNode(into[target]), lenient=True)  # type: ignore[attr-defined]
        elif not plan["default"] and all(into[g] == g for g in plan["graphs"]):
            self._ox.bulk_load(path=str(path), format=fmt, base_iri=target, lenient=True)  # type: ignore[attr-defined]
        else:  # graphs renamed on the way in: the default graph's triples, or staged replacements
            names = {g: pyoxigraph.NamedNode(into[g]) for g in plan["graphs"]}

            def renamed() -> Iterator[Any]:
                for q in pyoxigraph.parse(path=str(path), format=fmt, base_iri=target, lenient=True):
                    graph = q.graph_name.value if isinstance(q.graph_name, pyoxigraph.NamedNode) else target
                    yield pyoxigraph.Quad(q.subject, q.predicate, q.object, names[graph])

            self._ox.bulk_extend(renamed())  # type: ignore[attr-defined]

    @classmethod
    def _open_oxigraph(cls, path: Path, read_only: bool = False) -> Store:
        import pyoxigraph
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        lock = _FolderLock(path, shared=read_only)
        try:
            inner = pyoxigraph.Store.read_only(str(path / "oxigraph")) if read_only else pyoxigraph.Store(str(path / "oxigraph"))
        except OSError as e:
            lock.release()
            if "lock" in str(e).lower():
                raise BadInput(f"{path}: the store is in use by another diplo process; try again when it ends") from e
            raise BadInput(f"{path}: cannot open the store: {str(e).strip().splitlines()[0]}") from e
        except RuntimeError as e:  # RocksDB's "Corruption: …" (a truncated or missing file)
            lock.release()
            raise BadInput(f"{path}: the store is damaged ({str(e).strip().splitlines()[0][:200]}); restore it from a copy or rebuild it") from e
        ds = Dataset(store=OxigraphStore(store=inner), default_union=True)
        vocab.bind_prefixes(ds)
        store = cls(ds, path, inner)
        store._lock = lock
        store.read_only = read_only
        return store

    _lock: _FolderLock | None = None
    read_only = False
    """Whether the store was opened for reading only (:meth:`open`)."""

    @property
    def persistent(self) -> bool:
        """Whether what is written here outlives the process (on disk or on a server)."""
        return self._ox is not None

    #: How many reaction IRIs the lookups put in one VALUES block when reading details.
    values_batch = 1000

    def replace_graph(self, name: URIRef, triples: Graph) -> None:
        """Make the named graph ``name`` hold exactly ``triples``, in one step: readers see the
        old graph or the new one, never a mix, and a crash leaves the old one."""
        if self._ox is None:
            self.dataset.remove_graph(name)
            g = self.dataset.graph(name)
            for t in triples:
                g.add(t)
            return
        body = " .\n".join(f"{term_text(s)} {term_text(p)} {term_text(o)}" for s, p, o in triples)
        # Terms are written by pyoxigraph's serialiser (term_text), never pasted raw.
        with summaries.kept(self, [str(name)]):
            self._ox.update(f"DROP SILENT GRAPH {name.n3()} ;\nINSERT DATA {{ GRAPH {name.n3()} {{\n{body} .\n}} }}")  # type: ignore[attr-defined]

    def load_graph(self, name: str, parts: list[Path]) -> None:
        """Replace the named graph ``name`` with the triples of the N-Triples files ``parts``, at
        Oxigraph's bulk-loading speed (bulk loading holds a whole input in memory, so big imports
        come in parts of bounded size).

        All or nothing, with the load journal of :meth:`bulk_load`: a new graph is loaded in
        place, named in the journal, so a load killed half-way is dropped when the store next
        opens. A graph the store already has is kept until its replacement is complete: the parts
        go into a staging graph first (named in the journal: dropped if the load dies), and only
        then does the journal say to move the staging graph onto ``name``, which this method (or,
        if it dies on the way, the next :meth:`open`) does."""
        from rdflib import URIRef

        if self._ox is None:
            self.dataset.remove_graph(URIRef(name))
            g = self.dataset.graph(URIRef(name))
            for part in parts:
                g.parse(str(part), format="nt")
            return
        with summaries.kept(self, [name]):
            self._load_parts(name, parts)
        self.compact()

    def _load_parts(self, name: str, parts: list[Path]) -> None:
        """The journaled writing of :meth:`load_graph`."""
        import json

        import pyoxigraph
        from rdflib import URIRef

        from graph.model import digest

        existing = self._ox.contains_named_graph(pyoxigraph.NamedNode(name))  # type: ignore[attr-defined]
        into = f"{name}#staging-{digest(name)}" if existing else name
        journal = self.path / JOURNAL  # type: ignore[operator]
        journal.write_text(json.dumps({"file": name, "graphs": [into]}), encoding="utf-8")
        self._ox.update(f"DROP SILENT GRAPH {URIRef(into).n3()}")  # type: ignore[attr-defined]
        for part in parts:
            self._ox.bulk_load(path=str(part), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(into))  # type: ignore[attr-defined]
        self._ox.flush()  # type: ignore[attr-defined]
        if existing:
            journal.write_text(json.dumps({"file": name, "graphs": [], "move": [[into, name]]}), encoding="utf-8")
            self._move_graph(into, name)
        journal.unlink()

    def _move_graph(self, source: str, target: str) -> None:
        """Make graph ``target`` hold what ``source`` holds, and drop ``source`` (see
        :meth:`_move_graphs`)."""
        self._move_graphs([(source, target)])

    def _move_graphs(self, pairs: list[tuple[str, str]]) -> None:
        """For each (source, target), make graph ``target`` hold what ``source`` holds, and drop
        ``source``. Not one transaction (Oxigraph's MOVE takes minutes and gigabytes for a million
        triples): the journal says to do it again if the process dies half-way, and doing it
        again is safe, since the sources are dropped last, in one update. One update drops the
        targets and one copy moves every graph: a graph at a time took 5 minutes for 2,000
        graphs."""
        import pyoxigraph

        from rdflib import URIRef

        pairs = [(s, t) for s, t in pairs if self._ox.contains_named_graph(pyoxigraph.NamedNode(s))]  # type: ignore[attr-defined]
        if not pairs:
            return  # moved already: the process died after dropping the staging graphs
        self._ox.update(" ;\n".join(f"DROP SILENT GRAPH {URIRef(t).n3()}" for _s, t in pairs))  # type: ignore[attr-defined]

        def moved() -> Iterator[Any]:
            for source, target in pairs:
                to = pyoxigraph.NamedNode(target)
                for q in self._ox.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(source)):  # type: ignore[attr-defined]
                    yield pyoxigraph.Quad(q.subject, q.predicate, q.object, to)

        self._ox.bulk_extend(moved())  # type: ignore[attr-defined]
        self._ox.flush()  # type: ignore[attr-defined]
        self._ox.update(" ;\n".join(f"DROP SILENT GRAPH {URIRef(s).n3()}" for s, _t in pairs))  # type: ignore[attr-defined]
        self._ox.flush()  # type: ignore[attr-defined]

    def compact(self) -> None:
        """Merge the files a bulk load leaves behind (Oxigraph's optimize). A bulk load writes a
        batch of sorted files per million quads; until they are merged every lookup searches each
        of them: at 1M reactions that made lookups 5x slower, and merging took 8 s."""
        if self._ox is not None:
            self._ox.optimize()  # type: ignore[attr-defined]

    def drop_graph(self, name: URIRef) -> None:
        """Remove a named graph and everything in it."""
        if self._ox is None:
            self.dataset.remove_graph(name)
        else:
            with summaries.kept(self, [str(name)]):
                self._ox.update(f"DROP SILENT GRAPH {name.n3()}")  # type: ignore[attr-defined]

    def close(self) -> None:
        """Flush and release an on-disk store (a no-op in memory)."""
        if self._ox is not None:
            if not self.read_only:
                self._ox.flush()  # type: ignore[attr-defined]
            # Oxigraph releases the folder's lock when the last reference to it goes; rdflib's
            # objects refer to each other in cycles, so collect them now rather than later.
            import gc

            self.dataset.store._store = None  # type: ignore[attr-defined]
            self._ox = None
            gc.collect()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @classmethod
    def empty(cls) -> Store:
        """A store holding only the ontology."""
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        onto = ds.graph(vocab.ontology_iri())
        for triple in vocab.ontology_graph():
            onto.add(triple)
        vocab.bind_prefixes(ds)
        return cls(ds)

    @classmethod
    def bundled(cls, data: Iterable[str | Path] = ()) -> Store:
        """The ontology, the bundled graph, and the user's extra ``data`` files on top."""
        store = cls.empty()
        for f in shipped_files("data", ".trig"):
            store.dataset.parse(data=f.read_text(encoding="utf-8"), format="trig")
        for path in data:
            store.load_file(Path(path))
        return store

    def load_file(self, path: Path) -> None:
        """Add an RDF file. It is parsed whole before anything is added, so a malformed file
        changes nothing. Triple formats go into a named graph called by the file's URI."""
        for quad in parse_file(path).quads((None, None, None, None)):
            self.dataset.add(quad)

    def data_graph(self) -> Graph:
        """Every triple outside the ontology's graph, as one graph (for validation and export)."""
        from rdflib import Graph

        onto = vocab.ontology_iri()
        g = Graph()
        vocab.bind_prefixes(g)
        for s, p, o, ctx in self.quads():
            if ctx != onto:
                g.add((s, p, o))
        return g

    def query(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        values: Mapping[str, Iterable[Identifier]] | None = None,
    ) -> Result:
        """Run SPARQL with the ontology's prefixes predeclared and values bound safely.

        ``bindings`` pre-binds variables (rdflib ``initBindings``): values are never pasted
        into the query text. ``values`` gives a variable several values: the query's
        ``VALUES ?name { UNDEF }`` block (any value, as the file stands) is filled (or, without
        one, a block is put first in its WHERE), each term written in its N-Triples form by rdflib.
        A syntax error becomes :class:`BadInput` with line and column.
        """
        for name, terms in (values or {}).items():
            text = _fill_values(text, name, terms)
        return self._answer(text, bindings or {})

    def rows(
        self,
        text: str,
        bindings: Mapping[str, Identifier] | None = None,
        values: Mapping[str, Iterable[Identifier]] | None = None,
    ) -> list[tuple[str | None, ...]]:
        """A SELECT's rows as plain tuples of lexical forms (IRIs and literals alike; None when
        unbound), bound as in :meth:`query`, within :attr:`limits`. For readers that need no RDF
        terms: on Oxigraph it skips building rdflib terms and rows, most of the cost of a large
        answer (2,700 reactions' keys: 0.5 s as rdflib rows)."""
        for name, terms in (values or {}).items():
            text = _fill_values(text, name, terms)
        if self._ox is None:
            return [tuple(None if v is None else str(v) for v in row) for row in self._answer(text, bindings or {})]
        from graph.limits import guard

        with guard(self.limits):
            answer = self._run_oxigraph(_prebind(text, bindings or {}))
            out = [tuple(None if t is None else t.value for t in solution) for solution in islice(answer, self.limits.rows + 1)]
            del answer  # see _query_oxigraph
        if len(out) > self.limits.rows:
            raise self.limits.too_many_rows()
        return out

    def capped_query(self, text: str, cap: int) -> tuple[Result, bool]:
        """The answer to ``text`` cut to at most ``cap`` rows (SELECT) or triples (CONSTRUCT,
        DESCRIBE), and whether it was cut: for the endpoint, which cuts answers where commands
        refuse them. On Oxigraph evaluation stops at the cap (the answer is read lazily)."""
        from graph.limits import guard

        if self._ox is None:
            result = self.query(text)
            if result.type == "SELECT" and len(result.bindings) > cap:
                result.bindings = result.bindings[:cap]
                return result, True
            if result.type in ("CONSTRUCT", "DESCRIBE") and len(result.graph) > cap:
                from rdflib import Graph

                cut = Graph()
                vocab.bind_prefixes(cut)
                for triple in islice(result.graph, cap):
                    cut.add(triple)
                result.graph = cut
                return result, True
            return result, False
        with guard(self.limits):
            return self._query_oxigraph(_prebind(text, {}), cap=cap)  # type: ignore[return-value]

    def _answer(self, text: str, bindings: Mapping[str, Identifier]) -> Result:
        """Where each kind of store runs the query (see :meth:`query`), within :attr:`limits`:
        the answer is read whole here, under the guard, so no caller can run past them later."""
        from graph.limits import guard

        with guard(self.limits):
            if self._ox is not None:
                return self._query_oxigraph(_prebind(text, bindings))
            result = self.dataset.query(prepare_query(text), initBindings=dict(bindings))
            if result.type == "SELECT":
                result.bindings = list(islice(result.bindings, self.limits.rows + 1))  # type: ignore[assignment]
                if len(result.bindings) > self.limits.rows:
                    raise self.limits.too_many_rows()
            elif result.type in ("CONSTRUCT", "DESCRIBE") and result.graph is not None and len(result.graph) > self.limits.rows:
                raise self.limits.too_many_rows()
            return result

    def _run_oxigraph(self, text: str) -> Any:
        """Oxigraph's lazy answer to ``text`` over the union of the graphs, the ontology's prefixes
        declared; a syntax error becomes :class:`BadInput` with line and column."""
        try:
            return self._ox.query(text, prefixes=_prefixes(), use_default_graph_as_union=True)  # type: ignore[attr-defined]
        except SyntaxError as e:
            where = re.match(r"error at (\d+):(\d+): (.*)", str(e), re.DOTALL)
            if where:
                raise BadInput(f"malformed SPARQL at line {where[1]}, column {where[2]}: {where[3].splitlines()[0]}") from e
            raise BadInput(f"malformed SPARQL: {str(e).splitlines()[0]}") from e

    def _query_oxigraph(self, text: str, cap: int | None = None) -> Result:
        """Oxigraph answers the text itself, natively, and its terms become rdflib's here: one
        converter for the whole answer, so a term repeated in many rows is converted once (going
        through oxrdflib and rdflib's parser cost more than the query on big stores).

        Past the row limit the query is refused; with ``cap`` it is cut there instead, and the
        answer comes back as ``(result, whether it was cut)``."""
        import pyoxigraph
        from rdflib import Graph, Variable
        from rdflib.query import Result

        answer = self._run_oxigraph(text)
        term = _from_oxigraph()
        cutting = cap is not None
        cap = self.limits.rows if cap is None else cap
        if isinstance(answer, pyoxigraph.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(answer)
        elif isinstance(answer, pyoxigraph.QuerySolutions):
            out = Result("SELECT")
            out.vars = [Variable(v.value) for v in answer.variables]
            out.bindings = [
                {var: term(value) for var, value in zip(out.vars, solution) if value is not None}
                for solution in islice(answer, cap + 1)
            ]
        else:
            out = Result("CONSTRUCT")
            out.graph = Graph()
            vocab.bind_prefixes(out.graph)
            # Counted as Oxigraph gives them (repeats too), so the cap bounds the work done.
            given = 0
            for t in islice(answer, cap + 1):
                given += 1
                if given <= cap:
                    out.graph.add((term(t.subject), term(t.predicate), term(t.object)))
        # The answer holds the store open: let it go before an error's traceback can keep it.
        del answer
        over = (len(out.bindings) if out.type == "SELECT" else given if out.type == "CONSTRUCT" else 0) > cap
        if cutting:
            if over and out.type == "SELECT":
                out.bindings = out.bindings[:cap]
            return out, over  # type: ignore[return-value]
        if over:
            raise self.limits.too_many_rows()
        return out

    def quads(self) -> Iterator[tuple[Identifier, Identifier, Identifier, Identifier | None]]:
        """Every quad of the dataset (for export), but the store's own summaries."""
        from rdflib import URIRef

        kept = URIRef(summaries.graph_iri())
        for s, p, o, ctx in self.dataset.quads((None, None, None, None)):
            if ctx != kept and getattr(ctx, "identifier", None) != kept:
                yield s, p, o, ctx

    def update(self, text: str, graphs: list[str] | None = None) -> None:
        """Run a SPARQL 1.1 Update (:class:`BadInput` on a store opened read-only). ``graphs``
        names the graphs it changes when the caller knows them: their summaries are then recounted
        (:func:`graph.summaries.kept`); an update that may change anything marks them pending."""
        if self.read_only:
            raise BadInput(f"{self.path}: the store is open read-only; updates need it opened for writing")
        if graphs is None:
            summaries.invalidate(self)
        with summaries.kept(self, graphs or []):
            self._update(text)

    def _update(self, text: str) -> None:
        """Run an update, and nothing else (the summaries' own bookkeeping)."""
        if self._ox is not None:
            self._ox.update(text, prefixes=_prefixes())  # type: ignore[attr-defined]
            return
        self.dataset.update(text)

    def ask(self, subject: URIRef) -> bool:
        """Whether anything is said about ``subject``."""
        return (subject, None, None) in self.dataset
