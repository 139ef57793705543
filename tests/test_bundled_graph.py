"""The bundled graph holds every reaction the seed states, each traceable to its words."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pycountry
import yaml
from rdflib import URIRef
from rdflib.namespace import OWL, PROV, RDF

from conftest import ROOT
from graph import vocab
from graph.lookup import positions
from graph.resolve import fold
from graph.store import Store


def reaction_keys(store: Store) -> Counter:
    return Counter((p.actor, p.stance_class, frozenset(p.targets)) for p in positions(store))


def test_every_gold_reaction_of_the_seed_is_in_the_graph(store: Store, shared: Path):
    gold = yaml.safe_load((shared / "eval" / "seed.gold.yaml").read_text(encoding="utf-8"))
    have = reaction_keys(store)
    missing = [
        g for g in gold["reactions"]
        if have[(g["actor"], g["stance"], frozenset(g["targets"]))] == 0
    ]
    assert missing == []
    assert len(gold["reactions"]) == 20


def test_gold_speakers_match(store: Store, shared: Path):
    gold = yaml.safe_load((shared / "eval" / "seed.gold.yaml").read_text(encoding="utf-8"))
    speakers: dict[tuple, set[str]] = {}
    for p in positions(store):
        # Compare in the gold file's spelling (it writes names without diacritics).
        plain = fold(p.speaker).title() if p.speaker else None
        speakers.setdefault((p.actor, p.stance_class, frozenset(p.targets)), set()).add(plain)
    for g in gold["reactions"]:
        if g["speaker"] is not None:
            assert g["speaker"] in speakers[(g["actor"], g["stance"], frozenset(g["targets"]))], g


def test_evidence_offsets_point_at_the_evidence_text(store: Store, seed_text: str):
    for p in positions(store):
        assert seed_text[p.start : p.end] == p.evidence


def test_every_reaction_carries_source_date_and_confidence(store: Store):
    for p in positions(store):
        assert p.source_url and p.source_title and p.published == "2020-07-14"
        assert p.when != "undated"
        assert p.confidence == 1.0
        assert p.event is not None


def test_each_source_has_its_own_named_graph(store: Store):
    sources = set(store.dataset.subjects(RDF.type, vocab.DR.SourceDocument))
    graphs = {g.identifier for g in store.dataset.graphs()}
    assert sources <= graphs
    for reaction in store.dataset.subjects(RDF.type, vocab.DR.Reaction):
        (source,) = store.dataset.objects(reaction, PROV.wasDerivedFrom)
        assert (reaction, RDF.type, vocab.DR.Reaction) in store.dataset.graph(source)


def test_iso_codes_agree_with_pycountry(store: Store):
    for state in store.dataset.subjects(RDF.type, vocab.DR.State):
        code = str(store.dataset.value(state, vocab.DR.isoCode))
        assert pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code), code


def test_wikidata_links_are_wikidata_entities_one_per_actor(store: Store):
    links = list(store.dataset.subject_objects(OWL.sameAs))
    assert links, "the bundled graph links its verified actors to Wikidata"
    for _, same in links:
        assert str(same).startswith("http://www.wikidata.org/entity/Q")
    linked = [s for s, _ in links]
    assert len(linked) == len(set(linked)), "an actor with two Wikidata IDs is a curation error"
    turkey = URIRef(str(vocab.DG) + "actor/turkey")
    assert store.dataset.value(turkey, OWL.sameAs) == URIRef("http://www.wikidata.org/entity/Q43")


def test_the_ilhan_misspelling_is_kept_as_an_alias(store: Store):
    from rdflib.namespace import SKOS

    aliyev = URIRef(str(vocab.DG) + "actor/ilham-aliyev")
    assert "Ilhan Aliyev" in {str(a) for a in store.dataset.objects(aliyev, SKOS.altLabel)}


def test_bundled_file_is_what_the_curation_builds(shared: Path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_seed_graph.py"), "--check", "--shared", str(shared)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "up to date" in out.stdout
