"""`diplo validate` and doctor's shape check read a store a batch of nodes at a time: the same
results as one pass of a general RDFS reasoner over the whole data, in bounded memory, and a time
limit that stops them says how far they got."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyshacl
import pytest

from conftest import diplo
from graph import vocab
from graph.store import Store
from graph.validate import validate

# Broken in ways that need a node's values (and where its triples sit) to be seen: a second
# confidence and a second speaker in another graph, evidence typed only by the range of
# dr:evidence and lacking a selector, a post that is in nothing, a date that is not one, a kind
# of source the ontology doesn't know.
BROKEN = """\
@prefix dr: <https://w3id.org/diplograph/ontology#> .
@prefix st: <https://w3id.org/diplograph/stance/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/test/> .
@prefix dg: <https://w3id.org/diplograph/id/> .

ex:one {
    ex:doc a dr:SourceDocument ; dcterms:title "A test statement" ; schema:url <https://example.org/s> .
    ex:r a dr:Reaction ; dr:actor dg:actor\\/france ; dr:stance st:condemn ; dr:confidence 0.5 ;
        dr:speaker dg:actor\\/nikol-pashinyan ; prov:wasDerivedFrom ex:doc ; dr:evidence ex:ev .
    ex:ev oa:hasSource ex:doc .
    ex:someone org:holds ex:post .
    ex:post a org:Post .
    ex:reading a prov:Activity ; dr:sourceKind "rumour" .
}
ex:two {
    ex:r dr:confidence 0.75 ; dr:speaker dg:actor\\/zohrab-mnatsakanyan .
    ex:q a dr:Reaction ; dr:actor dg:actor\\/russia ; dr:stance st:concern ; dr:date "last week" ;
        prov:wasDerivedFrom ex:doc ; dr:evidence [ a dr:Evidence ; oa:hasSource ex:doc ;
        oa:hasSelector [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 9 ] ] .
}
"""


def found(violations) -> set[tuple[str, ...]]:
    """What a report says, with blank nodes (named afresh by each reader) left out."""
    return {(v.severity, v.focus if ":" in v.focus else "_:", v.path or "", v.message) for v in violations}


def _simple_strings(g):
    """The graph with each "x"^^xsd:string written "x": the same literal in RDF 1.1, but rdflib
    tells them apart, so pySHACL's sh:in would refuse what the store gives back typed."""
    from rdflib import XSD, Graph, Literal

    out = Graph()
    for s, p, o in g:
        out.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o))
    return out


def one_pass(store: Store) -> set[tuple[str, ...]]:
    """The whole data in one graph, validated with pySHACL's own RDFS reasoner (the reference)."""
    from rdflib import SH

    from graph.validate import Violation, _short

    data = _simple_strings(store.data_graph()) + vocab.ontology_graph()
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=vocab.shapes_graph(), ont_graph=vocab.ontology_graph(), inference="rdfs",
        abort_on_first=False, allow_warnings=True,
    )
    return found(
        Violation(_short(results.value(r, SH.resultSeverity)), _short(results.value(r, SH.focusNode)),
                  _short(results.value(r, SH.resultPath)), None, str(results.value(r, SH.resultMessage)))
        for r in results.subjects(SH.resultSeverity, None)
    )


@pytest.fixture()
def broken(store_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "broken.trig"
    path.write_text(BROKEN, encoding="utf-8")
    assert diplo("--store", str(store_dir), "load", str(path)).exit_code == 0
    return store_dir


@pytest.mark.parametrize("batch", [3, 40, 100_000])
def test_batches_find_what_one_whole_pass_finds(broken: Path, batch: int):
    store = Store.open(broken, read_only=True)
    try:
        expected = one_pass(store)
        report = validate(store, batch=batch)
    finally:
        store.close()
    assert found(report.violations) == expected
    paths = {v.path for v in report.violations}
    assert {"dr:confidence", "dr:speaker", "dr:date", "oa:hasSelector", "org:holds", "dr:sourceKind"} <= paths
    assert not report.conforms and report.complete and report.checked == report.total


def test_the_real_store_validates_in_batches_as_in_one_pass(real_store: Path):
    store = Store.open(real_store, read_only=True)
    try:
        expected = one_pass(store)
        report = validate(store, batch=5_000)
    finally:
        store.close()
    assert found(report.violations) == expected


def test_a_file_on_top_is_validated_with_the_store_it_refers_to(broken: Path, tmp_path: Path):
    # The file gives ex:q (in the store) a second actor: one reaction, two actors.
    extra = tmp_path / "more.ttl"
    extra.write_text(
        "<https://example.org/test/q> <https://w3id.org/diplograph/ontology#actor> "
        "<https://w3id.org/diplograph/id/actor/turkey> .\n",
        encoding="utf-8",
    )
    result = diplo("--store", str(broken), "validate", str(extra), "--format", "json")
    assert result.exit_code == 1
    focus = {(v["focus"], v["path"]) for v in json.loads(result.stdout)["violations"]}
    assert ("https://example.org/test/q", "dr:actor") in focus


def test_a_time_limit_stops_validation_and_says_how_far_it_got(broken: Path, monkeypatch: pytest.MonkeyPatch):
    store = Store.open(broken, read_only=True)
    try:
        report = validate(store, batch=20, deadline=time.monotonic())
    finally:
        store.close()
    assert not report.complete and 0 < report.checked < report.total
    monkeypatch.setattr("graph.validate.BATCH_TRIPLES", 20)  # the store fits one batch otherwise
    result = diplo("--store", str(broken), "--time-limit", "0.001", "validate")
    assert result.exit_code == 2
    assert "time limit" in result.stderr and "--time-limit" in result.stderr and "checked" in result.stderr


def test_doctor_says_when_its_shape_check_stopped_at_the_time_limit(broken: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("graph.validate.BATCH_TRIPLES", 20)
    result = diplo("--store", str(broken), "--time-limit", "0.001", "doctor", "--format", "json")
    shapes = next(f for f in json.loads(result.stdout) if f["check"] == "SHACL violations")
    assert any("time limit" in e and "diplo validate" in e for e in shapes["examples"])
