"""Importing machine-coded event data (GDELT 1.0/2.0, ICEWS, any CAMEO/PLOVER table) as reactions.

The verbal events of these data sets — CAMEO roots 01–05 and 10–13 — are diplomatic reactions.
A row becomes a ``dr:Reaction`` whose stance is the concept of ``ontology/stances.ttl`` that
names the row's CAMEO code (or its closest parent code) with ``skos:exactMatch`` or
``skos:closeMatch``: the ontology is the only place the mapping lives. Actors come from CAMEO
country codes (ISO 3166-1 alpha-3, resolved through the graph's ``dr:isoCode``; states the graph
lacks are added from pycountry, into :data:`REFERENCE_GRAPH`) and known-group codes
(``graph/data/cameo_actors.yaml``); an actor credited to a country speaks for it only when its
CAMEO actor type or ICEWS sector says so (:func:`speaks_for_state`).

Files stream through in constant memory: rows are parsed, filtered and written as N-Triples to
temporary files, and only a file that was read to its end is bulk-loaded into the store as one named
graph (replacing an earlier import of the same file only once the new graph is complete). Rows
that can't be used are counted by reason; with ``strict`` the first bad row rejects the whole
file, naming its line. Every identifier a row holds becomes an IRI through
:func:`graph.model.data_iri` only, and pyoxigraph writes the triples.
"""

from __future__ import annotations

import csv
import hashlib
import os
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
from graph.model import digest as digest_of
from graph.resources import shipped

if TYPE_CHECKING:
    from graph.store import Store

#: Bump when the mapping from rows to triples changes: re-importing then replaces a file's graph.
IMPORTER_VERSION = "0.1.0"
#: CAMEO root codes of verbal, diplomatic events.
VERBAL_ROOTS = frozenset({"01", "02", "03", "04", "05", "10", "11", "12", "13"})
KINDS = ("gdelt", "icews", "csv")
_CODE = re.compile(r"^(0[1-9]|1[0-9]|20)\d{0,2}$")
#: GDELT's GLOBALEVENTID and ICEWS' Event ID are numbers.
_NUMERIC_ID = re.compile(r"\d+")
#: ``--actors``: "states" credits a state only with what its organs say; "all" keeps every other
#: actor as its own actor.
ACTOR_MODES = ("states", "all")


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


@dataclass(frozen=True)
class ActorRef:
    """An actor as a row names it."""

    kind: str
    """How ``value`` names it: "iso" (alpha-3 code), "group" (CAMEO known group), "name", "none"."""
    value: str
    name: str = ""
    """The data set's own name for the actor ("SHERWIN WILLIAMS", "Citizen (Chile)")."""
    roles: tuple[str, ...] = ()
    """CAMEO actor type codes (scheme "cameo") or ICEWS sectors (scheme "icews"), in order."""
    scheme: str = "cameo"


@dataclass
class Event:
    """One coded event, as the parsers normalise it."""

    id: str
    day: date
    code: str
    actor: ActorRef
    target: ActorRef | None
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
    actors: str = "states"
    """One of :data:`ACTOR_MODES`."""


@dataclass
class ImportSummary:
    """What importing one file did."""

    file: str
    rows: int = 0
    imported: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    graph: str | None = None
    written: bool = False
    unchanged: bool = False
    """The store already held this file imported by the same importer with the same settings."""

    def record(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "imported": self.imported,
                "skipped": sum(self.skipped.values()), "skipped_by_reason": dict(self.skipped),
                "graph": self.graph, "written": self.written, "unchanged": self.unchanged}


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
def _actor_data() -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load(shipped("data", "cameo_actors.yaml").read_text(encoding="utf-8"))
    return data


def known_groups() -> dict[str, str]:
    """CAMEO known-group code → the actor key of the organization diplograph knows."""
    return dict(_actor_data()["groups"])


def cameo_type_label(code: str) -> str:
    """CAMEO.type.txt's label for an actor type code (the code itself when it is not listed)."""
    entry = _actor_data()["cameo_types"].get(code)
    return str(entry["label"]) if entry else code


def speaks_for_state(ref: ActorRef) -> str | None:
    """None when the actor ``ref`` speaks for the state it is credited to, else why not: the
    CAMEO role that says so ("Multinational Corporation"), or "no state sector" (ICEWS). The code
    lists are in graph/data/cameo_actors.yaml, which explains the rule."""
    data = _actor_data()
    if ref.scheme == "icews":
        state = set(data["icews_state_sectors"])
        suffix = data["icews_state_sector_suffix"]
        if not ref.roles or any(r in state or r.endswith(suffix) for r in ref.roles):
            return None
        return "no state sector"
    types = data["cameo_types"]
    for code in ref.roles:
        role = types.get(code, {}).get("role", "other")
        if role == "modifier":
            continue
        return None if role == "state" else cameo_type_label(code)
    # No code at all: the country itself. Only modifiers (ELI: "elites"): not an organ of it.
    return None if not ref.roles else cameo_type_label(ref.roles[0])


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


def _gdelt_actor(fields: list[str], at: int) -> ActorRef | None:
    """Actor 1 (``at`` = 5) or 2 (15) of a GDELT row: Code, Name, CountryCode, KnownGroupCode,
    then Type1..3Code seven columns on."""
    code, name, country, group = (f.strip() for f in fields[at : at + 4])
    roles = tuple(t for t in (f.strip() for f in fields[at + 7 : at + 10]) if t)
    if group and (code.endswith(group) or not country):
        return ActorRef("group", group, name, roles)
    if country:
        return ActorRef("iso", country, name, roles)
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
    if not _NUMERIC_ID.fullmatch(fields[0].strip()):
        raise RowError(f"bad event id {fields[0][:40]!r}")
    url = fields[60] if len(fields) == 61 else (fields[57] if len(fields) == 58 else "")
    return Event(
        id=fields[0].strip(),
        day=_day(fields[1], line),
        code=code,
        actor=_gdelt_actor(fields, 5) or ActorRef("none", fields[6]),
        target=_gdelt_actor(fields, 15),
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


def _icews_actor(name: str, sectors: str, country: str) -> ActorRef | None:
    name, country, sectors = (("" if v.strip() == "NA" else v.strip()) for v in (name, country, sectors))
    roles = tuple(s.strip() for s in sectors.split(",") if s.strip())
    # An organization has no country ("United Nations"): no state to speak for, so its sectors
    # don't matter; a state's officials carry its name.
    if name and not country:
        return ActorRef("name", name, name, (), "icews")
    if country:
        return ActorRef("name", country, name, () if name == country else roles, "icews")
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
    if not _NUMERIC_ID.fullmatch(fields[0].strip()):
        raise RowError(f"bad event id {fields[0][:40]!r}")
    actor = _icews_actor(fields[2], fields[3], fields[4])
    return Event(
        id=fields[0].strip(),
        day=_day(fields[1], line),
        code=code,
        actor=actor or ActorRef("none", fields[2]),
        target=_icews_actor(fields[8], fields[9], fields[10]),
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
    actor_type: str | None = None
    """Column with the actor's roles: CAMEO actor type codes ("GOV", "MNC MED", "MNCMED") or,
    with ``type_scheme: icews``, comma-separated ICEWS sectors. Without it every actor is taken
    to be its state."""
    target_type: str | None = None
    type_scheme: str = "cameo"
    url: str | None = None
    goldstein: str | None = None
    delimiter: str = ","

    @classmethod
    def from_file(cls, path: Path) -> Mapping:
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            why = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise BadInput(f"{path}: cannot read the mapping: {why}") from e
        if not isinstance(data, dict):
            raise BadInput(f"{path}: the mapping must be YAML keys naming columns (id: event_id …), not a {type(data).__name__}")
        wrong = sorted(str(k) for k, v in data.items() if not isinstance(v, str))
        if wrong:
            raise BadInput(f"{path}: mapping values must be column names (text); {', '.join(wrong)} is not")
        if len(data.get("delimiter", ",")) != 1:
            raise BadInput(f"{path}: delimiter must be one character, not {data['delimiter']!r}")
        if data.get("type_scheme", "cameo") not in ("cameo", "icews"):
            raise BadInput(f"{path}: type_scheme must be cameo or icews")
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
    for col in (mapping.id, mapping.date, mapping.actor, mapping.code, mapping.plover, mapping.target, mapping.url,
                mapping.goldstein, mapping.actor_type, mapping.target_type):
        if col and col not in index:
            raise BadInput(f"the mapping names a column {col!r} the file does not have (it has: {', '.join(header)})")

    def cell(fields: list[str], col: str | None) -> str:
        return fields[index[col]].strip() if col else ""

    def roles(text: str) -> tuple[str, ...]:
        if mapping.type_scheme == "icews":
            return tuple(r.strip() for r in text.split(",") if r.strip())
        # CAMEO codes are three letters, written apart or run together as in GDELT's actor codes.
        return tuple(w[i : i + 3] for w in re.findall(r"[A-Za-z]+", text.upper()) for i in range(0, len(w), 3))

    def ref(fields: list[str], col: str, type_col: str | None) -> ActorRef | None:
        value = cell(fields, col)
        if not value:
            return None
        return ActorRef(mapping.actor_kind, value, value, roles(cell(fields, type_col)), mapping.type_scheme)

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
        url = cell(fields, mapping.url)
        if not cell(fields, mapping.id):
            raise RowError("no event id")
        return Event(
            id=cell(fields, mapping.id),
            day=_day(cell(fields, mapping.date), line),
            code=code,
            plover=plover,
            actor=ref(fields, mapping.actor, mapping.actor_type) or ActorRef("none", ""),
            target=ref(fields, mapping.target, mapping.target_type) if mapping.target else None,
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


#: The named graph of the reference data imports add (states from ISO 3166, via pycountry):
#: imports only ever add to it, so re-importing or forgetting one source never takes away a state
#: another source's reactions point at.
REFERENCE_GRAPH = str(data_iri("graph", "imported-reference"))


@dataclass(frozen=True)
class OwnActor:
    """An actor that does not speak for its state, kept as itself (``--actors all``)."""

    iri: str
    label: str
    note: str


class ActorTable:
    """CAMEO actor references → actor IRIs, adding the states the graph lacks."""

    def __init__(self, store: Store) -> None:
        from graph.resolve import NameIndex

        from graph.queries import internal_query

        self.by_iso: dict[str, str] = {}
        # A state only an imported file's graph holds (as imports before the reference graph
        # wrote them) is written to the reference graph when used, so it outlives that graph.
        only_imported: dict[str, tuple[str, str]] = {}
        imported = tuple(str(data_iri("source", f"{kind}-")) for kind in KINDS)
        for row in store.query(internal_query("imports", "states")):
            code, iri = str(row.code), str(row.state)
            self.by_iso[code] = iri
            if str(row.graph).startswith(imported):
                only_imported.setdefault(code, (iri, str(row.label or code)))
            else:
                only_imported[code] = ("", "")  # held by a graph no import replaces
        self._adopt = {code: entry for code, entry in only_imported.items() if entry[0]}
        self.names = NameIndex.build(store)
        self.groups = {code: str(data_iri("actor", key)) for code, key in known_groups().items()}
        self.new_states: dict[str, tuple[str, str]] = {}
        """ISO code → (IRI, label) of the states this import writes to the reference graph."""

    def iso(self, code: str) -> str | None:
        if code in self._adopt:
            self.new_states[code] = self._adopt.pop(code)
        if code in self.by_iso:
            return self.by_iso[code]
        import pycountry

        country = pycountry.countries.get(alpha_3=code) if re.fullmatch(r"[A-Z]{3}", code) else None
        if country is None:
            return None
        label = getattr(country, "common_name", None) or country.name
        iri = str(data_iri("actor", slug(label)))
        self.new_states[code] = (iri, label)
        self.by_iso[code] = iri
        return iri

    def _state(self, ref: ActorRef) -> str | None:
        kind, value = ref.kind, ref.value
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

    def resolve(self, ref: ActorRef | None, mode: str = "states", side: str = "actor") -> tuple[str | None, OwnActor | None]:
        """The IRI ``ref`` stands for, and the actor to describe when it is one of its own.

        An actor credited to a country (GDELT's country code, ICEWS' country) stands for the
        state only when :func:`speaks_for_state` says so; otherwise, with ``mode`` "states", the
        row is skipped (:class:`Skip` naming the role), and with "all" the actor is kept as itself."""
        if ref is None:
            return None, None
        if ref.kind == "group":
            return self._state(ref), None  # an organization: its own actor already
        role = speaks_for_state(ref)
        if role is None:
            return self._state(ref), None
        if mode != "all":
            raise Skip(f"{side} does not speak for its state ({role})")
        state = self._state(ref)
        if state is None:
            return None, None
        where = self.label_of(state)
        name = ref.name or role
        label = f"{name.title() if name.isupper() else name} ({where})"
        key = f"{ref.scheme}-{ref.value}-{'-'.join(ref.roles)}-{name}"
        roles = ", ".join(cameo_type_label(r) if ref.scheme == "cameo" else r for r in ref.roles)
        note = f"{'CAMEO actor type' if ref.scheme == 'cameo' else 'ICEWS sectors'}: {roles}; credited by the data set to {where}, for which it does not speak"
        own = OwnActor(str(data_iri("actor", key)), label, note)
        return own.iri, own

    def label_of(self, iri: str) -> str:
        """A state's name, for the label of an actor credited to it."""
        from rdflib import URIRef

        for known, label in self.new_states.values():
            if known == iri:
                return label
        return self.names.preferred.get(URIRef(iri), iri.rsplit("/", 1)[-1])

    def iso_of(self, iri: str | None) -> str | None:
        for code, known in self.by_iso.items():
            if known == iri:
                return code
        return None


# -- writing ---------------------------------------------------------------------------------


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _url(text: str | None) -> Any:
    """An article URL as an IRI term, or None when it is not a valid absolute IRI (a URL with a
    space or a ``>`` stays out of the graph rather than breaking it)."""
    import pyoxigraph

    if not text:
        return None
    try:
        return pyoxigraph.NamedNode(text)
    except ValueError:
        return None


class TripleWriter:
    """The triples of one imported file's graph, serialised as N-Triples by pyoxigraph (never
    by pasting values into text) into temporary files of at most :attr:`PART` triples each, which
    the store bulk-loads one by one into the file's graph. Without a folder (a dry run) it only
    counts."""

    PART = 400_000
    BATCH = 20_000

    def __init__(self, folder: Path | None) -> None:
        import pyoxigraph

        self._ox = pyoxigraph
        self.folder = folder
        self.parts: list[Path] = []
        self.out: IO[bytes] | None = None
        self.in_part = 0
        self.batch: list[Any] = []
        self.written = 0
        ns = vocab.namespaces()
        iri = pyoxigraph.NamedNode
        dr, prov, oa = str(ns["dr"]), str(ns["prov"]), str(ns["oa"])
        #: The terms every row uses, made once.
        self.t = {name: iri(base + name) for base, names in (
            (dr, ("Reaction", "actor", "stance", "target", "date", "externalId", "confidence", "goldsteinScale",
                  "averageTone", "mentionCount", "sourceCount", "evidence", "Evidence", "SourceDocument",
                  "contentDigest", "extractorVersion", "sourceKind", "State", "isoCode", "Actor", "note")),
            (prov, ("wasDerivedFrom", "wasGeneratedBy", "Activity", "used")),
            (oa, ("hasSource", "hasSelector", "FragmentSelector")),
        ) for name in names}
        self.t.update({
            "type": iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            "value": iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#value"),
            "label": iri("http://www.w3.org/2000/01/rdf-schema#label"),
            "prefLabel": iri("http://www.w3.org/2004/02/skos/core#prefLabel"),
            "title": iri("http://purl.org/dc/terms/title"),
            "conformsTo": iri("http://purl.org/dc/terms/conformsTo"),
            "url": iri("https://schema.org/url"),
            "rfc5147": iri("http://tools.ietf.org/rfc/rfc5147"),
        })
        xsd = "http://www.w3.org/2001/XMLSchema#"
        self.xsd = {name: iri(xsd + name) for name in ("date", "decimal", "integer")}

    def iri(self, value: str) -> Any:
        """An IRI term; :class:`ValueError` if ``value`` is not one (callers mint IRIs with
        :func:`graph.model.data_iri`, so this only fails on a bug)."""
        return self._ox.NamedNode(value)

    def lit(self, value: object, datatype: str | None = None) -> Any:
        return self._ox.Literal(str(value), datatype=self.xsd[datatype]) if datatype else self._ox.Literal(str(value))

    def add(self, s: Any, p: str, o: Any) -> None:
        self.batch.append(self._ox.Triple(s, self.t[p], o))
        if len(self.batch) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Serialise the triples gathered so far (into a new part when the current one is full)."""
        if not self.batch:
            return
        self.written += len(self.batch)
        if self.folder is not None:
            if self.out is None or self.in_part >= self.PART:
                self.close()
                self.parts.append(self.folder / f"part{len(self.parts):05d}.nt")
                self.out = self.parts[-1].open("wb")
                self.in_part = 0
            self._ox.serialize(self.batch, output=self.out, format=self._ox.RdfFormat.N_TRIPLES)
            self.in_part += len(self.batch)
        self.batch = []

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None


def _write_event(w: TripleWriter, e: Event, line: int, kind: str, actor: str, target: str | None,
                 stance: vocab.Stance, file_doc: Any, activity: Any) -> None:
    iri = str(data_iri("reaction", f"{kind}-{e.id}"))
    node = w.iri(iri)
    w.add(node, "type", w.t["Reaction"])
    w.add(node, "actor", w.iri(actor))
    w.add(node, "stance", w.iri(str(stance.iri)))
    if target:
        w.add(node, "target", w.iri(target))
    w.add(node, "date", w.lit(e.day.isoformat(), "date"))
    w.add(node, "externalId", w.lit(e.id))
    w.add(node, "confidence", w.lit("0.50", "decimal"))
    for prop, value, dt in (("goldsteinScale", e.goldstein, "decimal"), ("averageTone", e.tone, "decimal"),
                            ("mentionCount", e.mentions, "integer"), ("sourceCount", e.sources, "integer")):
        if value is not None:
            w.add(node, prop, w.lit(value, dt))
    # Derived from the article the coder read (or the story, or the file itself).
    url = _url(e.url)
    if url is not None:
        source = w.iri(str(data_iri("source", hashlib.sha256(url.value.encode()).hexdigest()[:20])))
        w.add(source, "type", w.t["SourceDocument"])
        w.add(source, "url", url)
    elif e.story:
        source = w.iri(str(data_iri("source", f"{kind}-" + hashlib.sha256(e.story.encode("utf-8", "surrogatepass")).hexdigest()[:20])))
        w.add(source, "type", w.t["SourceDocument"])
        w.add(source, "title", w.lit(f"{e.story} ({kind.upper()})"))
    else:
        source = file_doc
    w.add(node, "wasDerivedFrom", source)
    w.add(node, "wasGeneratedBy", activity)
    # The evidence is the row: line N of the imported file (RFC 5147 text fragment).
    evidence = w.iri(f"{iri}#evidence")
    selector = w.iri(f"{iri}#row")
    w.add(node, "evidence", evidence)
    w.add(evidence, "type", w.t["Evidence"])
    w.add(evidence, "hasSource", file_doc)
    w.add(evidence, "hasSelector", selector)
    w.add(selector, "type", w.t["FragmentSelector"])
    w.add(selector, "value", w.lit(f"line={line - 1},{line}"))
    w.add(selector, "conformsTo", w.t["rfc5147"])


TITLES = {"gdelt": "GDELT event export", "icews": "ICEWS coded event data", "csv": "coded event table"}
#: Where an import in progress keeps its parts, inside the store's folder: not the system's temp
#: folder, where a killed import would leave them for good. The next import clears a leftover.
PARTS_FOLDER = "import-in-progress"


def _clear_dead_imports(temp: Path) -> None:
    """Remove the temp folders of imports into a server whose process is gone (killed: its
    ``finally`` never ran). Each folder is named by its process id."""
    import shutil

    for folder in temp.glob("diplo-import-*"):
        pid = folder.name.split("-")[2]
        if not pid.isdigit() or not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _parts_folder(store: Store | None) -> Any:
    """A context giving the folder the parts are written to (None for a dry run)."""
    import contextlib
    import shutil

    if store is None:
        return contextlib.nullcontext(None)
    home = getattr(store, "path", None)
    if home is None:  # a store on a server: the local temp folder, removed on any exception
        _clear_dead_imports(Path(tempfile.gettempdir()))
        return tempfile.TemporaryDirectory(prefix=f"diplo-import-{os.getpid()}-")

    @contextlib.contextmanager
    def inside() -> Iterator[Path]:
        folder = Path(home) / PARTS_FOLDER
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return inside()


def _imported_already(store: Store, graph: str, activity: str, digest: str) -> bool:
    from rdflib import Literal, URIRef

    from graph.queries import internal_query

    answer = store.query(internal_query("imports", "import-state"),
                         {"source": URIRef(graph), "activity": URIRef(activity), "digest": Literal(digest)})
    return bool(answer.askAnswer)


def _add_reference(store: Store, states: dict[str, tuple[str, str]]) -> None:
    """Add states to :data:`REFERENCE_GRAPH` (terms written by pyoxigraph, never pasted)."""
    import pyoxigraph

    if not states:
        return
    w = TripleWriter(None)
    lines = []
    for code, (iri, label) in sorted(states.items()):
        node = w.iri(iri)
        for p, o in (("type", w.t["State"]), ("isoCode", w.lit(code)), ("prefLabel", w.lit(label))):
            lines.append(f"{node} {w.t[p]} {o} .")
    store.update(f"INSERT DATA {{ GRAPH {pyoxigraph.NamedNode(REFERENCE_GRAPH)} {{\n" + "\n".join(lines) + "\n} }",
                 graphs=[REFERENCE_GRAPH])


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
    its own named graph (nothing is written with ``store`` None: a dry run on ``base``).

    A file none of whose rows is a row of ``kind`` (another data set, a binary file, an empty
    file) is :class:`BadInput`: nothing is written and no source is registered."""
    if kind not in KINDS:
        raise BadInput(f"unknown event data kind {kind!r} (known: {', '.join(KINDS)})")
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    if kind == "csv" and mapping is None:
        raise BadInput("import csv needs --map MAPPING.yaml")
    if filters.actors not in ACTOR_MODES:
        raise BadInput(f"--actors must be one of {', '.join(ACTOR_MODES)}")
    known = store or base
    if known is None:
        raise BadInput("import needs a graph to resolve actors against")
    actors = actors or ActorTable(known)
    digest = file_digest(path)
    graph = str(data_iri("source", f"{kind}-{digest[:20]}"))
    summary = ImportSummary(file=str(path), graph=graph)
    # One activity per importer version and settings: the same file imported the same way again
    # is found unchanged and left alone (replacing a big graph costs minutes in Oxigraph).
    settings = digest_of(kind, IMPORTER_VERSION, repr(filters), repr(mapping), strict)
    activity_iri = str(data_iri("activity", f"import-{kind}-{IMPORTER_VERSION}-{settings}"))
    if store is not None and _imported_already(store, graph, activity_iri, digest):
        summary.unchanged = True
        return summary
    parser: Callable[[list[str], int], Event | None] | None = {"gdelt": parse_gdelt, "icews": parse_icews}.get(kind)
    parsed = 0
    with _parts_folder(store) as folder:
        w = TripleWriter(Path(folder) if folder is not None else None)
        file_doc = w.iri(graph)
        activity = w.iri(activity_iri)
        own_actors: set[str] = set()
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
                    try:
                        fields = text.split("\t") if kind != "csv" else next(csv.reader([text], delimiter=mapping.delimiter))  # type: ignore[union-attr]
                    except csv.Error as e:
                        fields = []
                        bad: RowError | None = RowError(f"unreadable CSV row ({e})")
                    else:
                        bad = None
                    if parser is None:
                        if bad is not None:
                            raise BadInput(f"{path}:{line}: cannot read the header: {bad}")
                        parser = parse_mapped(mapping, fields)  # type: ignore[arg-type]
                        continue  # the header line
                    try:
                        if bad is not None:
                            raise bad
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
                    parsed += 1
                    try:
                        _keep(event, line, kind, filters, actors, w, file_doc, activity, own_actors)
                        summary.imported += 1
                    except Skip as s:
                        summary.skipped[str(s)] += 1
            except (zipfile.BadZipFile, EOFError, zlib.error) as e:
                if strict:
                    raise BadInput(f"{path}: truncated or damaged zip after {summary.rows} rows ({e})") from e
                summary.skipped["truncated zip (the rest of the file is lost)"] += 1
            if parsed == 0:
                reasons = ", ".join(f"{why} {n}" for why, n in summary.skipped.most_common(3))
                raise BadInput(f"{path}: not a {TITLES[kind]} file: no row could be read as one"
                               + (f" ({summary.rows} rows: {reasons})" if summary.rows else " (no rows)"))
            # The file itself and the activity that read it.
            w.add(file_doc, "type", w.t["SourceDocument"])
            w.add(file_doc, "title", w.lit(f"{TITLES[kind]} {path.name}"))
            w.add(file_doc, "contentDigest", w.lit(digest))
            w.add(activity, "type", w.t["Activity"])
            w.add(activity, "label", w.lit(f"diplograph {kind} importer {IMPORTER_VERSION}"))
            w.add(activity, "extractorVersion", w.lit(IMPORTER_VERSION))
            w.add(activity, "sourceKind", w.lit(kind))
            w.add(activity, "used", file_doc)
            w.flush()
            w.close()
            if store is not None:
                # The states first: reactions never point at a state the store lacks.
                _add_reference(store, actors.new_states)
                store.load_graph(graph, w.parts)
                summary.written = True
        finally:
            w.close()
    return summary


def _keep(e: Event, line: int, kind: str, filters: Filters, actors: ActorTable, w: TripleWriter,
          file_doc: Any, activity: Any, own_actors: set[str]) -> None:
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
    actor, own_actor = actors.resolve(e.actor, filters.actors, "actor")
    if actor is None:
        raise Skip("actor is not a state or known organization")
    target, own_target = actors.resolve(e.target, filters.actors, "target")
    if target is not None and target == actor:
        raise Skip("actor and target are the same")
    if filters.countries and not ({actors.iso_of(actor), actors.iso_of(target)} & filters.countries):
        raise Skip("country not in --countries")
    for own in (own_actor, own_target):
        if own is not None and own.iri not in own_actors:
            own_actors.add(own.iri)
            node = w.iri(own.iri)
            w.add(node, "type", w.t["Actor"])
            w.add(node, "prefLabel", w.lit(own.label))
            w.add(node, "note", w.lit(own.note))
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
