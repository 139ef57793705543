"""Nothing forged, nothing lost (issue 14): reading commands leave the store as it was, a load
of several files is all or nothing, damaged or missing stores are refused in one line, and
killed imports leave nothing behind in the temp folder."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from graph.store import Store
from tests.conftest import diplo

GOOD = """@prefix ex: <http://example.org/> .
ex:a ex:p ex:b .
ex:b ex:p ex:c .
"""


def snapshot(folder: Path) -> tuple[int, list[str]]:
    """How many quads the store holds and the names of its graphs."""
    store = Store.open(folder, read_only=True)
    try:
        count = sum(1 for _ in store._ox.quads_for_pattern(None, None, None, None))  # type: ignore[union-attr]
        graphs = sorted(str(g.value) for g in store._ox.named_graphs())  # type: ignore[union-attr]
        return count, graphs
    finally:
        store.close()


def test_validate_with_a_file_never_writes_to_the_store(tmp_path: Path, store_dir: Path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(GOOD, encoding="utf-8")
    before = snapshot(store_dir)
    result = diplo("--store", str(store_dir), "validate", str(extra))
    assert result.exit_code in (0, 1), result.output
    assert snapshot(store_dir) == before


def test_validate_reads_the_file_it_is_given(tmp_path: Path, store_dir: Path):
    # A reaction with no actor: the shapes must see the file's triples, not only the store's.
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix dr: <https://w3id.org/diplograph/ontology#> .\n"
        "<http://example.org/r1> a dr:Reaction .\n",
        encoding="utf-8",
    )
    clean = diplo("--store", str(store_dir), "validate")
    with_file = diplo("--store", str(store_dir), "validate", str(bad))
    assert with_file.exit_code == 1, with_file.output
    assert "example.org/r1" in with_file.output or "r1" in with_file.output
    assert clean.output != with_file.output


def test_loading_a_good_file_and_a_bad_one_loads_neither(tmp_path: Path, store_dir: Path):
    good, bad = tmp_path / "a.ttl", tmp_path / "bad.ttl"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text("@prefix ex: <http://example.org/> .\nex:x ex:p .\n", encoding="utf-8")
    before = snapshot(store_dir)
    result = diplo("--store", str(store_dir), "load", str(good), str(bad))
    assert result.exit_code == 2 and "bad.ttl:2" in result.stderr
    assert snapshot(store_dir) == before


def test_a_second_file_naming_a_graph_the_store_has_refuses_the_first_too(tmp_path: Path, store_dir: Path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text(GOOD, encoding="utf-8")
    second.write_text(GOOD.replace("ex:c", "ex:d"), encoding="utf-8")
    assert diplo("--store", str(store_dir), "load", str(second)).exit_code == 0
    before = snapshot(store_dir)
    result = diplo("--store", str(store_dir), "load", str(first), str(second))
    assert result.exit_code == 2 and "--replace" in result.stderr
    assert snapshot(store_dir) == before


def test_a_quad_files_default_graph_triples_go_into_the_files_graph(tmp_path: Path, store_dir: Path):
    trig = tmp_path / "mixed.trig"
    trig.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\nex:g { ex:c ex:p ex:d . }\n", encoding="utf-8"
    )
    assert diplo("--store", str(store_dir), "load", str(trig)).exit_code == 0
    _count, graphs = snapshot(store_dir)
    assert trig.resolve().as_uri() in graphs and "http://example.org/g" in graphs
    store = Store.open(store_dir, read_only=True)
    try:
        default = list(store._ox.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    finally:
        store.close()
    assert default == []


class Died(Exception):
    """Stands for the process dying: nothing after it runs, the journal stays."""


def test_a_replace_that_dies_before_its_last_file_keeps_every_old_graph(tmp_path: Path, store_dir: Path, monkeypatch):
    trig, ttl = tmp_path / "mixed.trig", tmp_path / "b.ttl"
    trig.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\nex:g { ex:c ex:p ex:d . }\n", encoding="utf-8")
    ttl.write_text(GOOD, encoding="utf-8")
    assert diplo("--store", str(store_dir), "load", str(trig), str(ttl)).exit_code == 0
    before = snapshot(store_dir)
    trig.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p ex:NEW .\nex:g { ex:c ex:p ex:NEW . }\n", encoding="utf-8")
    ttl.write_text(GOOD.replace("ex:c", "ex:NEW"), encoding="utf-8")
    real = Store._load_one
    calls = []

    def load_then_die(self, plan, into):
        calls.append(plan["path"])
        if len(calls) == 2:
            raise Died
        real(self, plan, into)

    monkeypatch.setattr(Store, "_load_one", load_then_die)
    store = Store.open(store_dir)
    try:
        with pytest.raises(Died):
            store.load_files([trig, ttl], replace=True)
    finally:
        store.close()
    monkeypatch.setattr(Store, "_load_one", real)
    store = Store.open(store_dir)  # undoes the half-done replace
    assert store.recovered
    store.close()
    assert snapshot(store_dir) == before
    ask = diplo("--store", str(store_dir), "query", "-e", "SELECT ?o WHERE { ?s ?p ?o FILTER(?o = <http://example.org/NEW>) }", "--format", "csv")
    assert "NEW" not in ask.stdout


def test_a_replace_that_dies_while_moving_is_finished_on_reopen(tmp_path: Path, store_dir: Path, monkeypatch):
    ttl = tmp_path / "b.ttl"
    ttl.write_text(GOOD, encoding="utf-8")
    assert diplo("--store", str(store_dir), "load", str(ttl)).exit_code == 0
    ttl.write_text(GOOD.replace("ex:c", "ex:NEW"), encoding="utf-8")

    def die(self, pairs):
        raise Died

    real = Store._move_graphs
    monkeypatch.setattr(Store, "_move_graphs", die)
    store = Store.open(store_dir)
    try:
        with pytest.raises(Died):
            store.load_files([ttl], replace=True)
    finally:
        store.close()
    monkeypatch.setattr(Store, "_move_graphs", real)
    Store.open(store_dir).close()
    count, graphs = snapshot(store_dir)
    assert not any("#staging-" in g for g in graphs)
    ask = diplo("--store", str(store_dir), "query", "-e", "SELECT ?o WHERE { GRAPH ?g { <http://example.org/b> ?p ?o } }", "--format", "csv")
    assert "NEW" in ask.stdout


def damage(store_dir: Path, how: str) -> Path:
    """Damage a store the way a disk, a user or a half-copied folder would."""
    import shutil

    data = store_dir / "oxigraph"
    if how == "missing":
        shutil.rmtree(store_dir)
    elif how == "no data folder":
        shutil.rmtree(data)
    elif how == "no marker":
        (store_dir / "diplograph-store.json").unlink()
    elif how == "empty CURRENT":
        (data / "CURRENT").write_text("", encoding="utf-8")
    elif how == "truncated sst":
        biggest = max(data.glob("*.sst"), key=lambda f: f.stat().st_size)
        with biggest.open("r+b") as f:
            f.truncate(100)
    return store_dir


@pytest.mark.parametrize("how", ["missing", "no data folder", "no marker", "empty CURRENT", "truncated sst"])
@pytest.mark.parametrize("command", [["actors"], ["sources"], ["forget", "x"]])
def test_a_missing_or_damaged_store_is_one_clear_line_and_exit_2(store_dir: Path, how: str, command: list[str]):
    damage(store_dir, how)
    before = files_in(store_dir.parent)
    result = diplo("--store", str(store_dir), *command)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and str(store_dir) in result.stderr
    assert "Traceback" not in result.output + result.stderr
    # Nothing was created: no empty database in place of the missing one.
    assert files_in(store_dir.parent) == before


def files_in(folder: Path) -> list[str]:
    """The files under ``folder``, less the log and options files RocksDB writes when it tries to
    open a database (they hold no data)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if not p.name.startswith(("LOG", "OPTIONS")))


def test_a_folder_of_other_files_is_not_a_store(tmp_path: Path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"\xff\xd8")
    result = diplo("--store", str(folder), "import", "gdelt", str(folder / "cat.jpg"))
    assert result.exit_code == 2 and "not a diplograph store" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["cat.jpg"]


def test_temp_folders_of_killed_imports_are_cleared_and_live_ones_kept(tmp_path: Path):
    import os

    from graph.eventdata import _clear_dead_imports

    dead = tmp_path / "diplo-import-999999999-abc"  # beyond any pid: its process is gone
    live = tmp_path / f"diplo-import-{os.getpid()}-def"
    other = tmp_path / "someone-elses"
    for folder in (dead, live, other):
        folder.mkdir()
        (folder / "part-0.nt").write_text("<a> <b> <c> .\n", encoding="utf-8")
    _clear_dead_imports(tmp_path)
    assert not dead.exists() and live.exists() and other.exists()
