"""`diplo doctor` finds each way a store can be left damaged, says what mends it, and with
--repair mends it; without --repair it writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.eventdata import PARTS_FOLDER, REFERENCE_GRAPH
from graph.store import JOURNAL, Store
from tests.conftest import diplo, diplo_json
from tests.test_durability import files_in, snapshot
from tests.test_import import event


def doctor(store_dir: Path, *more: str) -> tuple[int, dict[str, dict]]:
    result = diplo("--store", str(store_dir), "doctor", "--format", "json", *more)
    assert result.exit_code in (0, 1), result.output + result.stderr
    return result.exit_code, {f["check"]: f for f in json.loads(result.stdout)}


def update(store_dir: Path, text: str) -> None:
    """Change the store behind diplo's back, as a crash or a hand edit would."""
    store = Store.open(store_dir)
    try:
        store.update(text)
    finally:
        store.close()


@pytest.fixture()
def imported(tmp_path: Path, store_dir: Path) -> Path:
    """A store with one GDELT import: Turkey on Armenia, and Bermuda (a state only the import's
    reference data names) on the United Kingdom."""
    gdelt = tmp_path / "20200714120000.export.CSV"
    gdelt.write_text(event("900001", "TUR", "ARM", "111") + "\n" + event("910001", "BMU", "GBR", "111") + "\n", encoding="utf-8")
    assert diplo("--store", str(store_dir), "import", "gdelt", str(gdelt)).exit_code == 0
    return store_dir


def test_a_healthy_store_is_all_well(imported: Path):
    code, found = doctor(imported)
    assert code == 0 and all(f["count"] == 0 for f in found.values()), found
    assert set(found) == {"interrupted writes", "graphs without a source record", "reactions whose actor has no label",
                          "summaries not current", "SHACL violations"}


def test_an_interrupted_load_is_found_then_undone(tmp_path: Path, store_dir: Path):
    ttl = tmp_path / "half.ttl"
    ttl.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n", encoding="utf-8")
    before = snapshot(store_dir)
    assert diplo("--store", str(store_dir), "load", str(ttl)).exit_code == 0
    update(store_dir, "INSERT DATA { GRAPH <http://example.org/g#staging-1> { <http://example.org/x> <http://example.org/p> 1 } }")
    # As a load killed half-way leaves it: its graph written, its journal still there.
    (store_dir / JOURNAL).write_text(json.dumps({"files": [str(ttl)], "graphs": [ttl.resolve().as_uri()]}), encoding="utf-8")
    (store_dir / PARTS_FOLDER).mkdir()
    left = files_in(store_dir)
    code, found = doctor(store_dir, "--no-shapes")
    assert code == 1 and found["interrupted writes"]["count"] == 3
    assert "--repair" in found["interrupted writes"]["mend"]
    assert files_in(store_dir) == left and (store_dir / JOURNAL).exists()  # looking wrote nothing
    code, found = doctor(store_dir, "--no-shapes", "--repair")
    assert code == 0 and found["interrupted writes"]["repaired"]
    assert not (store_dir / JOURNAL).exists() and not (store_dir / PARTS_FOLDER).exists()
    assert snapshot(store_dir) == before
    assert doctor(store_dir, "--no-shapes")[0] == 0


def test_reactions_without_a_source_record_are_found_then_dropped(imported: Path, tmp_path: Path):
    source = next(s["source"] for s in diplo_json("--store", str(imported), "sources") if "gdelt" in s["source"])
    # What a killed import left before imports had a journal: reactions no source lists.
    update(imported, f"DELETE WHERE {{ GRAPH <{source}> {{ <{source}> a <https://w3id.org/diplograph/ontology#SourceDocument> }} }}")
    assert not any(s["source"] == source for s in diplo_json("--store", str(imported), "sources"))
    assert diplo_json("--store", str(imported), "actor", "Turkey", "--all")["positions"]
    # A file the user loaded holds reactions too, without a source record: it is theirs, kept.
    mine = tmp_path / "mine.ttl"
    mine.write_text("<http://example.org/r> a <https://w3id.org/diplograph/ontology#Reaction> .\n", encoding="utf-8")
    assert diplo("--store", str(imported), "load", str(mine)).exit_code == 0
    code, found = doctor(imported, "--no-shapes")
    orphans = found["graphs without a source record"]
    assert code == 1 and orphans["count"] == 2 and any(source in e for e in orphans["examples"])
    code, found = doctor(imported, "--no-shapes", "--repair")
    assert code == 1 and not found["graphs without a source record"]["repaired"]  # the user's file stays
    _count, graphs = snapshot(imported)
    assert source not in graphs and mine.resolve().as_uri() in graphs
    turkey = diplo_json("--store", str(imported), "actor", "Turkey", "--all")["positions"]
    assert not any("900001" in json.dumps(p) for p in turkey)


def test_an_actor_without_a_name_is_found_then_named_again(imported: Path):
    update(imported, f"DROP GRAPH <{REFERENCE_GRAPH}>")  # what re-imports did before (issue 14)
    assert diplo("--store", str(imported), "actor", "Bermuda").exit_code != 0
    code, found = doctor(imported, "--no-shapes")
    unnamed = found["reactions whose actor has no label"]
    assert code == 1 and unnamed["count"] == 1 and "bermuda" in unnamed["examples"][0].lower()
    code, found = doctor(imported, "--no-shapes", "--repair")
    assert code == 0 and found["reactions whose actor has no label"]["repaired"]
    bermuda = diplo_json("--store", str(imported), "actor", "Bermuda")
    assert bermuda["actor"]["label"] == "Bermuda" and len(bermuda["positions"]) == 1
    assert doctor(imported, "--no-shapes")[0] == 0


def test_shape_violations_are_summed_up_and_left_to_the_user(tmp_path: Path, store_dir: Path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/r1> a <https://w3id.org/diplograph/ontology#Reaction> .\n", encoding="utf-8")
    assert diplo("--store", str(store_dir), "load", str(bad)).exit_code == 0
    code, found = doctor(store_dir, "--repair")
    shapes = found["SHACL violations"]
    assert code == 1 and shapes["count"] > 0 and not shapes["repaired"]
    assert shapes["examples"] and "validate" in shapes["mend"]


def test_doctor_needs_a_store_on_disk_and_refuses_a_damaged_one(store_dir: Path):
    assert diplo("doctor").exit_code == 2
    (store_dir / "oxigraph" / "CURRENT").write_text("", encoding="utf-8")
    result = diplo("--store", str(store_dir), "doctor")
    assert result.exit_code == 2 and "damaged" in result.stderr
