"""``diplo doctor``: what is wrong with a store on disk, and what mends it.

Five checks, each a :class:`Finding`: writes that were interrupted (a load journal, an import's
parts folder, staging graphs left behind), graphs that hold reactions but no source record (so
``diplo sources`` and ``diplo forget`` do not see them while ``diplo actor`` shows their rows),
reactions whose actor has no name, summaries that are not current (:mod:`graph.summaries`), and a
summary of the SHACL validation. Without ``repair``
the store is opened read-only and nothing is written; with it, what can be mended safely is.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.limits import Limits
    from graph.store import Store

#: How many examples a finding lists.
EXAMPLES = 5


@dataclass
class Finding:
    """One check's result: ``count`` things found (0: all is well), a few ``examples``, what
    mends it, and whether ``repair`` did."""

    check: str
    count: int
    mend: str = ""
    examples: list[str] = field(default_factory=list)
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return self.count == 0 or self.repaired


def examine(path: Path, repair: bool = False, shapes: bool = True, limits: Limits | None = None) -> list[Finding]:
    """Check the store in folder ``path`` (:class:`BadInput` when it is not one, or is damaged
    beyond these checks); with ``repair``, mend what can be mended. ``shapes`` runs the SHACL
    validation too, until ``limits``' time limit (the environment's by default)."""
    from graph.limits import Limits
    from graph.store import Store, check_store_folder

    check_store_folder(path)
    writes = _interrupted_files(path)
    if repair:
        store = Store.open(path)  # opening undoes or finishes an interrupted load
        parts = [p for p in writes if p.is_dir()]
        for folder in parts:
            shutil.rmtree(folder, ignore_errors=True)
    else:
        # Not Store.open: with a journal left it would undo the load, which is a repair.
        store = Store._open_oxigraph(path, read_only=True)
    store.limits = limits or Limits.from_environment()
    try:
        graphs = store.rows(_query("graphs"))
        staging = sorted(g for g, _record, _n in graphs if g and "#staging-" in g)
        interrupted = Finding(
            "interrupted writes",
            len(writes) + len(staging),
            "diplo doctor --repair (undoes a half-done load or import: the store keeps the whole "
            "earlier version of each graph; a replacement that had finished loading is put in place)"
            if writes or staging else "",
            [str(p.relative_to(path)) for p in writes] + staging,
        )
        if repair and interrupted.count:
            for g in staging:  # a journal would have named them: these were left without one
                _drop(store, g)
            interrupted.repaired = True
            interrupted.examples += [f"undone on opening: {len(store.recovered)} graph(s) dropped"] if store.recovered else []
        findings = [interrupted, _orphans(store, graphs, repair), _unlabelled(store, repair), _summaries(store, repair)]
        if shapes:
            findings.append(_shapes(store))
        if repair:
            store.compact()
        return findings
    finally:
        store.close()


def _interrupted_files(path: Path) -> list[Path]:
    """A load's journal and an import's parts folder: both are gone when the write ends."""
    from graph.eventdata import PARTS_FOLDER
    from graph.store import JOURNAL

    return [p for p in (path / JOURNAL, path / PARTS_FOLDER) if p.exists()]


def _query(name: str) -> str:
    from graph.queries import internal_query

    return internal_query("doctor", name)


def _drop(store: Store, graph: str) -> None:
    from rdflib import URIRef

    store.drop_graph(URIRef(graph))


def _orphans(store: Store, graphs: list[tuple[str | None, ...]], repair: bool) -> Finding:
    """Graphs with reactions but no source record. Those named like the sources that ingest and
    import write are what a killed write left: repair drops them. Others (a file given to
    ``diplo load``) are the user's: they are listed, never dropped."""
    from graph.model import data_iri

    made_here = str(data_iri("source", ""))
    orphans = sorted(((g, int(n or 0)) for g, record, n in graphs if g and not record and int(n or 0) > 0 and "#staging-" not in g),
                     key=lambda pair: (-pair[1], pair[0]))
    ours = [g for g, _n in orphans if g.startswith(made_here)]
    finding = Finding(
        "graphs without a source record",
        len(orphans),
        f"diplo doctor --repair drops the {len(ours)} left by a killed ingest or import (run it again to "
        "bring them back); a graph loaded from a file is the user's: forget it with diplo load --replace "
        "of a corrected file, or leave it" if orphans else "",
        [f"{g} ({n} reaction(s))" for g, n in orphans[:EXAMPLES]],
    )
    if repair and ours:
        for g in ours:
            _drop(store, g)
        finding.repaired = len(ours) == len(orphans)
    return finding


def _summaries(store: Store, repair: bool) -> Finding:
    """Summaries that are missing (a store made before them), pending (a write was killed before
    it recounted them) or of an older format: the whole-graph questions then count every reaction,
    which is right but slow. Repair counts them anew (minutes at a million reactions)."""
    from graph import summaries

    state = summaries.state(store)
    finding = Finding(
        "summaries not current",
        0 if state == summaries.CURRENT else 1,
        "diplo doctor --repair counts them anew (actors, sources and the whole-graph queries count "
        "every reaction until then)" if state != summaries.CURRENT else "",
        [f"state: {state or 'none kept'}"] if state != summaries.CURRENT else [],
    )
    if repair and finding.count:
        summaries.rebuild(store)
        finding.repaired = True
    return finding


def _unlabelled(store: Store, repair: bool) -> Finding:
    """Reactions whose actor has no name. A state (its IRI made from an ISO 3166 name, as
    imports make them) gets its name back from pycountry into the imports' reference graph."""
    rows = store.rows(_query("unlabelled-actors"))
    reactions = sum(int(n or 0) for _a, n in rows)
    states = _states_by_iri()
    known = {a: states[a] for a, _n in rows if a in states}
    finding = Finding(
        "reactions whose actor has no label",
        reactions,
        (f"diplo doctor --repair names the {len(known)} state(s) among them from ISO 3166; for the rest, "
         "re-import or re-ingest the source that named the actor, or forget it") if rows else "",
        [f"{a} ({n} reaction(s))" for a, n in rows[:EXAMPLES]],
    )
    if repair and known:
        from graph.eventdata import _add_reference

        _add_reference(store, {code: (iri, label) for iri, (code, label) in known.items()})
        finding.repaired = len(known) == len(rows)
    return finding


def _states_by_iri() -> dict[str, tuple[str, str]]:
    """IRI → (ISO code, name) of every ISO 3166 country, named as imports name them."""
    import pycountry

    from graph.model import data_iri, slug

    out = {}
    for country in pycountry.countries:
        label = getattr(country, "common_name", None) or country.name
        out[str(data_iri("actor", slug(label)))] = (country.alpha_3, label)
    return out


def _shapes(store: Store) -> Finding:
    """The SHACL validation, summed up by message."""
    from graph.validate import validate

    report = validate(store, deadline=time.monotonic() + store.limits.seconds)
    by_message = Counter(f"{v.severity}: {v.message}" for v in report.violations)
    examples = [f"{n} × {message}" for message, n in by_message.most_common(EXAMPLES)]
    if not report.complete:
        examples.append(
            f"stopped at the {store.limits.seconds:g} s time limit after {report.checked:,} of {report.total:,} triples: "
            "diplo validate (with a --time-limit to match the store) checks them all"
        )
    return Finding(
        "SHACL violations",
        len(report.violations),
        "diplo validate --format json lists each; they come from the data, so mend the source and load "
        "or import it again" if report.violations else "",
        examples,
    )
