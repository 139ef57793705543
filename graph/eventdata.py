"""Importing machine-coded event data (GDELT 1.0/2.0, ICEWS, any CAMEO/PLOVER table) as reactions.

The verbal events of these data sets — CAMEO roots 01–05 and 10–13 — are diplomatic reactions.
A row becomes a ``dr:Reaction`` whose stance is the concept of ``ontology/stances.ttl`` that
names the row's CAMEO code (or its closest parent code) with ``skos:exactMatch`` or
``skos:closeMatch``: the ontology is the only place the mapping lives. Actors come from CAMEO
country codes (ISO 3166-1 alpha-3, resolved through the graph's ``dr:isoCode``; states the graph
lacks are added from pycountry) and known-group codes (``graph/data/cameo_actors.yaml``).

Files stream through in constant memory: rows are parsed, filtered and written as N-Quads to a
temporary file, and only a file that was read to its end is bulk-loaded into the store as one named
graph (replacing an earlier import of the same file). Rows that can't be used are counted by
reason; with ``strict`` the first bad row rejects the whole file, naming its line.
"""

from __future__ import annotations

import csv
import hashlib
import re
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from graph import vocab
from graph.errors import BadInput
from graph.model import data_iri, slug
from graph.resources import shipped

if TYPE_CHECKING:
    from graph.store import Store

#: Bump when the mapping from rows to triples changes: re-importing then replaces a file's graph.
IMPORTER_VERSION = "0.1.0"
#: CAMEO root codes of verbal, diplomatic events.
VERBAL_ROOTS = frozenset({"01", "02", "03", "04", "05", "10", "11", "12", "13"})
KINDS = ("gdelt", "icews", "csv")
_CODE = re.compile(r"^(0[1-9]|1[0-9]|20)\d{0,2}$")
#: Characters an IRI may not hold: a URL with them is kept out of the graph.
_BAD_IRI = re.compile(r'[\s<>"{}|\\^`]')


#: GDELT 2.0 event export columns (GDELT 2.0 Event Codebook). GDELT 1.0 lacks the three ADM2
#: columns; its 57-column backfile also lacks SOURCEURL. The first 35 columns are the same in all.
GDELT2_COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code "
    "Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code "
    "Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat "
    "Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code Actor2Geo_Lat "
    "Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat "
    "ActionGeo_Long ActionGeo_FeatureID "
    "DATEADDED SOURCEURL"
).split()
GDELT1_COLUMNS = [c for c in GDELT2_COLUMNS if not c.endswith("ADM2Code")]


class RowError(Exception):
    """A row that is wrong, not merely filtered out: counted, or fatal with ``strict``."""


class Skip(Exception):
    """A row this import leaves out on purpose (filters, unmapped codes, unknown actors)."""


@dataclass
class Event:
    """One coded event, as the parsers normalise it."""

    id: str
    day: date
    code: str
    actor: tuple[str, str]
    """(kind, value): ("iso", "USA"), ("group", "UNO"), ("name", "Bangladesh")."""
    target: tuple[str, str] | None
    root: bool = True
    plover: str | None = None
    """A PLOVER event type, for tables coded in PLOVER rather than CAMEO."""
    url: str | None = None
    story: str | None = None
    goldstein: float | None = None
    tone: float | None = None
    mentions: int | None = None
    sources: int | None = None


@dataclass
class Filters:
    """Which rows to keep."""

    codes: tuple[str, ...] = ()
    """CAMEO code prefixes ("11", "0256"); empty keeps every verbal code."""
    countries: frozenset[str] = frozenset()
    """ISO alpha-3 codes; a row is kept when either actor is one of them."""
    since: date | None = None
    until: date | None = None
    all_events: bool = False
    """Keep non-root events too (GDELT's IsRootEvent = 0)."""


@dataclass
class ImportSummary:
    """What importing one file did."""

    file: str
    rows: int = 0
    imported: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    graph: str | None = None
    written: bool = False

    def record(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "imported": self.imported,
                "skipped": sum(self.skipped.values()), "skipped_by_reason": dict(self.skipped),
                "graph": self.graph, "written": self.written}


# -- the CAMEO mapping, read from the ontology ------------------------------------------------


def _mapped(scheme: str, finer_first: bool) -> dict[str, vocab.Stance]:
    """Code → stance concept from the skos:exactMatch/closeMatch links of stances.ttl into one
    external scheme. A code several concepts claim goes to an exact match first, then to a finer
    concept (CAMEO's codes are fine-grained) or a coarser one (PLOVER's types are coarse)."""
    from rdflib.namespace import SKOS

    g = vocab.ontology_graph()
    base = str(vocab.namespaces()[scheme])
    ranked: dict[str, tuple[tuple[int, int, str], vocab.Stance]] = {}
    for stance in vocab.stances().values():
        coarse = stance.coarse == stance.notation
        for rank, prop in ((0, SKOS.exactMatch), (1, SKOS.closeMatch)):
            for code in g.objects(stance.iri, prop):
                if not str(code).startswith(base):
                    continue
                notation = str(code)[len(base) :]
                key = (rank, int(coarse) if finer_first else int(not coarse), str(stance.iri))
                if notation not in ranked or key < ranked[notation][0]:
                    ranked[notation] = (key, stance)
    return {code: stance for code, (_, stance) in ranked.items()}


@cache
def cameo_stances() -> dict[str, vocab.Stance]:
    """CAMEO code → stance concept (see :func:`_mapped`)."""
    return _mapped("cameo", finer_first=True)


@cache
def plover_stances() -> dict[str, vocab.Stance]:
    """PLOVER event type → stance concept (see :func:`_mapped`)."""
    return _mapped("plover", finer_first=False)


def stance_for(code: str) -> vocab.Stance | None:
    """The concept for a CAMEO code: its own mapping or that of its closest parent code."""
    table = cameo_stances()
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


@cache
def known_groups() -> dict[str, str]:
    import yaml

    data = yaml.safe_load(shipped("data", "cameo_actors.yaml").read_text(encoding="utf-8"))
    return {code: key for code, key in data["groups"].items()}


# -- parsing ---------------------------------------------------------------------------------


def _day(text: str, line: int) -> date:
    text = text.strip()
    try:
        if re.fullmatch(r"\d{8}", text):
            return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        return date.fromisoformat(text[:10])
    except ValueError:
        raise RowError(f"bad date {text!r}") from None


def _number(text: str, cast: Callable[[str], Any]) -> Any:
    text = text.strip()
    if not text or text == "NA":
        return None
    try:
        return cast(text)
    except ValueError:
        return None


def _gdelt_actor(code: str, country: str, group: str) -> tuple[str, str] | None:
    if group and (code.endswith(group) or not country):
        return ("group", group)
    if country:
        return ("iso", country)
    return None


def parse_gdelt(fields: list[str], line: int) -> Event | None:
    """A GDELT 1.0 (57 or 58 columns) or 2.0 (61 columns) event row; None for a header."""
    if fields[0] == "GLOBALEVENTID":
        return None
    if len(fields) not in (57, 58, 61):
        raise RowError(f"wrong column count ({len(fields)}; GDELT has 57, 58 or 61)")
    code = fields[26].strip()
    if not _CODE.match(code):
        raise RowError(f"unknown CAMEO code {code!r}")
    url = fields[60] if len(fields) == 61 else (fields[57] if len(fields) == 58 else "")
    return Event(
        id=fields[0].strip(),
        day=_day(fields[1], line),
        code=code,
        actor=_gdelt_actor(fields[5], fields[7], fields[8]) or ("none", fields[6]),
        target=_gdelt_actor(fields[15], fields[17], fields[18]),
        root=fields[25].strip() == "1",
        url=url.strip() if url.strip().startswith(("http://", "https://")) else None,
        goldstein=_number(fields[30], float),
        tone=_number(fields[34], float),
        mentions=_number(fields[31], int),
        sources=_number(fields[32], int),
    )


ICEWS_COLUMNS = ("Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
                 "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
                 "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude")


def _icews_actor(name: str, country: str) -> tuple[str, str] | None:
    name, country = name.strip(), country.strip()
    name = "" if name == "NA" else name
    country = "" if country == "NA" else country
    # An organization has no country ("United Nations"); a state's officials carry its name.
    if name and not country:
        return ("name", name)
    if country:
        return ("name", country)
    return None


def parse_icews(fields: list[str], line: int) -> Event | None:
    """An ICEWS row (20 tab-separated columns, header first, ``NA`` for empty)."""
    if fields[0] == "Event ID":
        return None
    if len(fields) != len(ICEWS_COLUMNS):
        raise RowError(f"wrong column count ({len(fields)}; ICEWS has {len(ICEWS_COLUMNS)})")
    code = fields[6].strip()
    if not _CODE.match(code):
        raise RowError(f"unknown CAMEO code {code!r}")
    actor = _icews_actor(fields[2], fields[4])
    return Event(
        id=fields[0].strip(),
        day=_day(fields[1], line),
        code=code,
        actor=actor or ("none", fields[2]),
        target=_icews_actor(fields[8], fields[10]),
        story=f"{fields[13].strip()} story {fields[11].strip()}" if fields[11].strip() not in ("", "NA") else None,
        goldstein=_number(fields[7], float),
    )


@dataclass(frozen=True)
class Mapping:
    """How a generic table's columns map onto an event (``diplo import csv --map FILE``)."""

    id: str
    date: str
    actor: str
    target: str | None = None
    code: str | None = None
    """Column with CAMEO codes."""
    plover: str | None = None
    """Column with PLOVER event types (instead of CAMEO codes)."""
    actor_kind: str = "iso"
    """How the actor columns name actors: "iso" (alpha-3 codes) or "name"."""
    url: str | None = None
    goldstein: str | None = None
    delimiter: str = ","

    @classmethod
    def from_file(cls, path: Path) -> Mapping:
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as e:
            raise BadInput(f"{path}: cannot read the mapping: {e}") from e
        missing = [k for k in ("id", "date", "actor") if not data.get(k)]
        if not data.get("code") and not data.get("plover"):
            missing.append("code (or plover)")
        if missing:
            raise BadInput(f"{path}: the mapping needs {', '.join(missing)} (column names)")
        if data.get("actor_kind", "iso") not in ("iso", "name"):
            raise BadInput(f"{path}: actor_kind must be iso or name")
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise BadInput(f"{path}: unknown mapping keys {sorted(unknown)} (known: {sorted(known)})")
        return cls(**data)


def parse_mapped(mapping: Mapping, header: list[str]) -> Callable[[list[str], int], Event | None]:
    """A row parser for a generic table whose first line is ``header``."""
    index = {name: i for i, name in enumerate(header)}
    for col in (mapping.id, mapping.date, mapping.actor, mapping.code, mapping.plover, mapping.target, mapping.url, mapping.goldstein):
        if col and col not in index:
            raise BadInput(f"the mapping names a column {col!r} the file does not have (it has: {', '.join(header)})")

    def cell(fields: list[str], col: str | None) -> str:
        return fields[index[col]].strip() if col else ""

    def parse(fields: list[str], line: int) -> Event | None:
        if len(fields) != len(header):
            raise RowError(f"wrong column count ({len(fields)}; the header has {len(header)})")
        code = cell(fields, mapping.code)
        plover = cell(fields, mapping.plover).upper() or None
        if mapping.plover:
            if not plover or not re.fullmatch(r"[A-Z_]+", plover):
                raise RowError(f"unknown PLOVER type {plover!r}")
        elif not _CODE.match(code):
            raise RowError(f"unknown CAMEO code {code!r}")
        actor, target = cell(fields, mapping.actor), cell(fields, mapping.target)
        url = cell(fields, mapping.url)
        return Event(
            id=cell(fields, mapping.id),
            day=_day(cell(fields, mapping.date), line),
            code=code,
            plover=plover,
            actor=(mapping.actor_kind, actor) if actor else ("none", ""),
            target=(mapping.actor_kind, target) if target else None,
            url=url if url.startswith(("http://", "https://")) else None,
            goldstein=_number(cell(fields, mapping.goldstein), float),
        )

    return parse


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Numbered raw lines of a plain or zipped file (the first member of a zip)."""
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as e:
            raise BadInput(f"{path}: not a readable zip file ({e})") from e
        with archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            if not names:
                raise BadInput(f"{path}: the zip file is empty")
            with archive.open(names[0]) as member:
                yield from enumerate(member, 1)
        return
    try:
        with path.open("rb") as f:
            yield from enumerate(f, 1)
    except OSError as e:
        raise BadInput(f"{path}: cannot read: {e.strerror or e}") from e


# -- resolving actors ------------------------------------------------------------------------


class ActorTable:
    """CAMEO actor references → actor IRIs, adding the states the graph lacks."""

    def __init__(self, store: Store) -> None:
        from graph.resolve import NameIndex

        self.by_iso: dict[str, str] = {}
        for row in store.query("SELECT ?s ?code WHERE { ?s a dr:State ; dr:isoCode ?code }"):
            self.by_iso[str(row.code)] = str(row.s)
        self.names = NameIndex.build(store)
        self.groups = {code: str(data_iri("actor", key)) for code, key in known_groups().items()}
        self.new_states: dict[str, tuple[str, str]] = {}
        """ISO code → (IRI, label) of states this import adds."""

    def iso(self, code: str) -> str | None:
        if code in self.by_iso:
            return self.by_iso[code]
        import pycountry

        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            return None
        label = getattr(country, "common_name", None) or country.name
        iri = str(data_iri("actor", slug(label)))
        self.new_states[code] = (iri, label)
        self.by_iso[code] = iri
        return iri

    def resolve(self, ref: tuple[str, str] | None) -> str | None:
        if ref is None:
            return None
        kind, value = ref
        if kind == "iso":
            return self.iso(value)
        if kind == "group":
            return self.groups.get(value)
        if kind == "name":
            try:
                return str(self.names.resolve(value, "actor"))
            except Exception:  # not a name the graph knows: try it as a country's name
                import pycountry

                try:
                    return self.iso(pycountry.countries.lookup(value).alpha_3)
                except LookupError:
                    return None
        return None

    def iso_of(self, iri: str | None) -> str | None:
        for code, known in self.by_iso.items():
            if known == iri:
                return code
        return None


# -- writing ---------------------------------------------------------------------------------


def _lit(value: object, datatype: str | None = None) -> str:
    from rdflib import Literal, URIRef

    return Literal(value, datatype=URIRef(datatype) if datatype else None).n3()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class QuadWriter:
    """N-Quads lines for one imported file's graph, written as rows come into temporary files
    of at most :attr:`PART` lines each (the store bulk-loads them one by one)."""

    XSD = "http://www.w3.org/2001/XMLSchema#"
    PART = 400_000

    def __init__(self, folder: Path, graph: str) -> None:
        self.folder = folder
        self.parts: list[Path] = []
        self.out: IO[str] | None = None
        self.lines = 0
        self.g = f"<{graph}>"
        ns = vocab.namespaces()
        self.dr, self.prov, self.oa = str(ns["dr"]), str(ns["prov"]), str(ns["oa"])
        self.rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

    def quad(self, s: str, p: str, o: str) -> None:
        if self.out is None or self.lines >= self.PART:
            self.close()
            self.parts.append(self.folder / f"part{len(self.parts):05d}.nq")
            self.out = self.parts[-1].open("w", encoding="utf-8")
            self.lines = 0
        self.out.write(f"{s} <{p}> {o} {self.g} .\n")
        self.lines += 1

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None

    def iri(self, value: str) -> str:
        return f"<{value}>"


def _write_event(w: QuadWriter, e: Event, line: int, kind: str, actor: str, target: str | None,
                 stance: vocab.Stance, file_doc: str, activity: str) -> None:
    dr, prov, oa, rdf = w.dr, w.prov, w.oa, w.rdf
    node = w.iri(str(data_iri("reaction", f"{kind}-{e.id}")))
    w.quad(node, rdf + "type", w.iri(dr + "Reaction"))
    w.quad(node, dr + "actor", w.iri(actor))
    w.quad(node, dr + "stance", w.iri(str(stance.iri)))
    if target:
        w.quad(node, dr + "target", w.iri(target))
    w.quad(node, dr + "date", _lit(e.day.isoformat(), w.XSD + "date"))
    w.quad(node, dr + "externalId", _lit(e.id))
    w.quad(node, dr + "confidence", _lit("0.50", w.XSD + "decimal"))
    for prop, value, dt in (("goldsteinScale", e.goldstein, "decimal"), ("averageTone", e.tone, "decimal"),
                            ("mentionCount", e.mentions, "integer"), ("sourceCount", e.sources, "integer")):
        if value is not None:
            w.quad(node, dr + prop, _lit(str(value), w.XSD + dt))
    # Derived from the article the coder read (or the story, or the file itself).
    if e.url and not _BAD_IRI.search(e.url):
        source = w.iri(str(data_iri("source", hashlib.sha256(e.url.encode()).hexdigest()[:20])))
        w.quad(source, rdf + "type", w.iri(dr + "SourceDocument"))
        w.quad(source, "https://schema.org/url", w.iri(e.url))
    elif e.story:
        source = w.iri(str(data_iri("source", f"{kind}-" + hashlib.sha256(e.story.encode()).hexdigest()[:20])))
        w.quad(source, rdf + "type", w.iri(dr + "SourceDocument"))
        w.quad(source, "http://purl.org/dc/terms/title", _lit(f"{e.story} ({kind.upper()})"))
    else:
        source = file_doc
    w.quad(node, prov + "wasDerivedFrom", source)
    w.quad(node, prov + "wasGeneratedBy", activity)
    # The evidence is the row: line N of the imported file (RFC 5147 text fragment).
    evidence = w.iri(f"{node[1:-1]}#evidence")
    selector = w.iri(f"{node[1:-1]}#row")
    w.quad(node, dr + "evidence", evidence)
    w.quad(evidence, rdf + "type", w.iri(dr + "Evidence"))
    w.quad(evidence, oa + "hasSource", file_doc)
    w.quad(evidence, oa + "hasSelector", selector)
    w.quad(selector, rdf + "type", w.iri(oa + "FragmentSelector"))
    w.quad(selector, rdf + "value", _lit(f"line={line - 1},{line}"))
    w.quad(selector, "http://purl.org/dc/terms/conformsTo", w.iri("http://tools.ietf.org/rfc/rfc5147"))


TITLES = {"gdelt": "GDELT event export", "icews": "ICEWS coded events", "csv": "coded event table"}


def import_file(
    store: Store | None,
    path: Path,
    kind: str,
    filters: Filters = Filters(),
    strict: bool = False,
    mapping: Mapping | None = None,
    actors: ActorTable | None = None,
    base: Store | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import one file of ``kind`` ("gdelt", "icews", "csv" with ``mapping``) into ``store`` as
    its own named graph (nothing is written with ``store`` None: a dry run on ``base``)."""
    if kind not in KINDS:
        raise BadInput(f"unknown event data kind {kind!r} (known: {', '.join(KINDS)})")
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    if kind == "csv" and mapping is None:
        raise BadInput("import csv needs --map MAPPING.yaml")
    known = store or base
    if known is None:
        raise BadInput("import needs a graph to resolve actors against")
    actors = actors or ActorTable(known)
    digest = file_digest(path)
    graph = str(data_iri("source", f"{kind}-{digest[:20]}"))
    summary = ImportSummary(file=str(path), graph=graph)
    dr = str(vocab.DR)
    activity_iri = str(data_iri("activity", f"import-{kind}-{IMPORTER_VERSION}"))
    parser: Callable[[list[str], int], Event | None] | None = {"gdelt": parse_gdelt, "icews": parse_icews}.get(kind)
    with tempfile.TemporaryDirectory(prefix="diplo-import-") as tmp:
        w = QuadWriter(Path(tmp), graph)
        file_doc = w.iri(graph)
        activity = w.iri(activity_iri)
        try:
            try:
                for line, raw in _lines(path):
                    if progress is not None and line % 10000 == 0:
                        progress(10000)
                    try:
                        text = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        summary.rows += 1
                        if strict:
                            raise BadInput(f"{path}:{line}: not UTF-8 text") from None
                        summary.skipped["not UTF-8"] += 1
                        continue
                    text = text.rstrip("\r\n")
                    if not text:
                        continue
                    fields = text.split("\t") if kind != "csv" else next(csv.reader([text], delimiter=mapping.delimiter))  # type: ignore[union-attr]
                    if parser is None:
                        parser = parse_mapped(mapping, fields)  # type: ignore[arg-type]
                        continue  # the header line
                    try:
                        event = parser(fields, line)
                    except RowError as e:
                        summary.rows += 1
                        if strict:
                            raise BadInput(f"{path}:{line}: {e}") from None
                        summary.skipped[str(e).split(" (")[0].split(" '")[0]] += 1
                        continue
                    if event is None:
                        continue  # a header
                    summary.rows += 1
                    try:
                        _keep(event, line, kind, filters, actors, w, file_doc, activity)
                        summary.imported += 1
                    except Skip as s:
                        summary.skipped[str(s)] += 1
            except (zipfile.BadZipFile, EOFError, zlib.error) as e:
                if strict:
                    raise BadInput(f"{path}: truncated or damaged zip after {summary.rows} rows ({e})") from e
                summary.skipped["truncated zip (the rest of the file is lost)"] += 1
            # The file itself, the states it adds, and the activity that read it.
            w.quad(file_doc, w.rdf + "type", w.iri(dr + "SourceDocument"))
            w.quad(file_doc, "http://purl.org/dc/terms/title", _lit(f"{TITLES[kind]} {path.name}"))
            w.quad(file_doc, dr + "contentDigest", _lit(digest))
            w.quad(activity, w.rdf + "type", w.iri(str(vocab.PROV) + "Activity"))
            w.quad(activity, "http://www.w3.org/2000/01/rdf-schema#label", _lit(f"diplograph {kind} importer {IMPORTER_VERSION}"))
            w.quad(activity, dr + "extractorVersion", _lit(IMPORTER_VERSION))
            w.quad(activity, dr + "sourceKind", _lit(kind))
            w.quad(activity, str(vocab.PROV) + "used", file_doc)
            for code, (iri, label) in actors.new_states.items():
                w.quad(w.iri(iri), w.rdf + "type", w.iri(dr + "State"))
                w.quad(w.iri(iri), dr + "isoCode", _lit(code))
                w.quad(w.iri(iri), "http://www.w3.org/2004/02/skos/core#prefLabel", _lit(label))
            w.close()
            if store is not None:
                store.load_graph(graph, w.parts)
                summary.written = True
        finally:
            w.close()
    return summary


def _keep(e: Event, line: int, kind: str, filters: Filters, actors: ActorTable, w: QuadWriter,
          file_doc: str, activity: str) -> None:
    """Write the event, or raise :class:`Skip` saying why not."""
    if e.plover is None and e.code[:2] not in VERBAL_ROOTS:
        raise Skip(f"not a verbal event (CAMEO root {e.code[:2]})")
    if not filters.all_events and not e.root:
        raise Skip("not a root event")
    if filters.codes and not any((e.plover or e.code).startswith(c.upper() if e.plover else c) for c in filters.codes):
        raise Skip("code not in --codes")
    if (filters.since and e.day < filters.since) or (filters.until and e.day > filters.until):
        raise Skip("outside --since/--until")
    if e.plover is not None:
        stance = plover_stances().get(e.plover)
        if stance is None:
            raise Skip(f"no stance concept for PLOVER {e.plover}")
    else:
        stance = stance_for(e.code)
        if stance is None:
            raise Skip(f"no stance concept for CAMEO {e.code[:3]}")
    actor = actors.resolve(e.actor)
    if actor is None:
        raise Skip("actor is not a state or known organization")
    target = actors.resolve(e.target)
    if target is not None and target == actor:
        raise Skip("actor and target are the same")
    if filters.countries and not ({actors.iso_of(actor), actors.iso_of(target)} & filters.countries):
        raise Skip("country not in --countries")
    _write_event(w, e, line, kind, actor, target, stance, file_doc, activity)


def import_files(
    store: Store | None,
    paths: Iterable[Path],
    kind: str,
    filters: Filters = Filters(),
    strict: bool = False,
    mapping: Mapping | None = None,
    base: Store | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[ImportSummary]:
    """Import several files; each is its own graph and succeeds or fails on its own."""
    known = store or base
    if known is None:
        raise BadInput("import needs a graph to resolve actors against")
    actors = ActorTable(known)
    return [import_file(store, p, kind, filters, strict, mapping, actors, base, progress) for p in paths]
