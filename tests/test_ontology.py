"""The ontology is the single source of truth: it loads, declares everything the data uses,
and its shapes accept the bundled graph and reject broken reactions."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from conftest import DATA, diplo
from graph import vocab
from graph.resources import shipped_files
from graph.store import Store
from graph.validate import validate

DECLARED_AS = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def declared_terms() -> set:
    g = vocab.ontology_graph()
    return {s for kind in DECLARED_AS for s in g.subjects(RDF.type, kind)}


def test_every_shipped_turtle_file_loads():
    names = [f.name for f in shipped_files("ontology", ".ttl")]
    assert {"dr.ttl", "stances.ttl", "shapes.ttl"} <= set(names)
    for f in shipped_files("ontology", ".ttl"):
        assert len(Graph().parse(data=f.read_text(encoding="utf-8"), format="turtle")) > 0


def test_every_class_and_property_in_the_data_is_declared(store: Store):
    declared = declared_terms()
    data = store.data_graph()
    used = (set(data.predicates()) - {RDF.type}) | set(data.objects(None, RDF.type))
    # Individuals of declared classes (channels, tie kinds, categories) are not classes.
    individuals = {s for s in vocab.ontology_graph().subjects() if (s, RDF.type, OWL.NamedIndividual) in vocab.ontology_graph()}
    missing = sorted(str(t) for t in used - declared - individuals)
    assert missing == []


def test_every_declared_term_has_a_label_and_definition():
    g = vocab.ontology_graph()
    dr = str(vocab.DR)
    for term in declared_terms():
        if str(term).startswith(dr):
            assert g.value(term, RDFS.label) is not None, term
            assert g.value(term, SKOS.definition) is not None, term


def test_stance_scheme_has_seven_classes_with_finer_concepts_and_mappings():
    assert vocab.coarse_classes() == sorted(
        ["CONCERN", "APPEAL", "MEDIATE", "SUPPORT", "DISAPPROVE", "THREATEN", "REJECT"]
    )
    g = vocab.ontology_graph()
    cameo, plover = str(vocab.CAMEO), str(vocab.PLOVER)
    for stance in vocab.stances().values():
        matches = [str(m) for p in (SKOS.closeMatch, SKOS.exactMatch) for m in g.objects(stance.iri, p)]
        assert any(m.startswith(cameo) for m in matches), stance.notation
        # PLOVER has no category for a worry voiced to no one; every other stance maps to one.
        assert any(m.startswith(plover) for m in matches) == (stance.coarse != "CONCERN"), stance.notation
        assert stance.polarity in (-1, 0, 1)
    fine = [s for s in vocab.stances().values() if s.notation != s.coarse]
    assert len(fine) >= 15
    assert vocab.stance_by_name("call-for-restraint").coarse == "APPEAL"
    assert vocab.stance_by_name("SUPPORT").polarity == 1
    assert vocab.stance_by_name("condemn").polarity == -1


def test_bundled_graph_conforms_to_the_shapes(store: Store):
    report = validate(store)
    assert report.violations == []
    assert report.conforms


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("reaction-without-actor.ttl", "dr:actor"),
        ("reaction-stance-outside-scheme.ttl", "dr:stance"),
        ("reaction-without-source.ttl", "prov:wasDerivedFrom"),
        ("reaction-date-not-a-date.ttl", "dr:date"),
    ],
)
def test_broken_reactions_are_violations(name: str, expected: str):
    result = diplo("validate", str(DATA / name))
    assert result.exit_code == 1, result.output
    assert expected in result.stdout
    assert "violation(s)" in result.stdout


def test_a_good_reaction_file_conforms():
    result = diplo("validate", str(DATA / "reaction-good.ttl"))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("conforms")


def test_validate_reports_json():
    result = diplo("validate", str(DATA / "reaction-without-actor.ttl"), "--format", "json")
    assert result.exit_code == 1
    assert '"conforms": false' in result.stdout
