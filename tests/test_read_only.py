"""Reading a store needs no write access, and readers don't lock each other out (issues 13, 14)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import diplo

from graph.store import JOURNAL, Store


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of a store folder with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))}


def test_reading_commands_write_nothing_into_the_store(store_dir: Path):
    before = snapshot(store_dir)
    for args in (("actor", "Turkey"), ("actors",), ("event", "Tavush clashes"), ("sources",), ("blocs",),
                 ("query", "-e", "SELECT ?c WHERE { ?s dr:isoCode ?c } LIMIT 2"), ("export", "--format", "nt")):
        result = diplo("--store", str(store_dir), *args)
        assert result.exit_code == 0, (args, result.stderr)
    assert snapshot(store_dir) == before


def test_readers_share_the_store_while_one_holds_it_open(store_dir: Path):
    server_side = Store.open(store_dir, read_only=True)  # what `diplo serve` holds while it runs
    try:
        looked_up = diplo("--store", str(store_dir), "actor", "Turkey", "--format", "json")
        assert looked_up.exit_code == 0, looked_up.stderr
        assert any("Azerbaijan" in p["targets"] for p in json.loads(looked_up.stdout)["positions"])
        second = Store.open(store_dir, read_only=True)  # a second server
        assert second.rows("SELECT ?c WHERE { ?s dr:isoCode 'TUR' ; dr:isoCode ?c }") == [("TUR",)]
        second.close()
    finally:
        server_side.close()


def test_writers_wait_for_readers_and_readers_for_writers(store_dir: Path, tmp_path: Path):
    reader = Store.open(store_dir, read_only=True)
    try:
        refused = diplo("--store", str(store_dir), "forget", "nothing-like-this")
        assert refused.exit_code == 2 and "in use" in refused.stderr
    finally:
        reader.close()
    writer = Store.open(store_dir)
    try:
        refused = diplo("--store", str(store_dir), "actor", "Turkey")
        assert refused.exit_code == 2 and "in use" in refused.stderr and "Traceback" not in refused.stderr
    finally:
        writer.close()
    assert diplo("--store", str(store_dir), "actor", "Turkey").exit_code == 0


def test_a_read_only_store_refuses_writes(store_dir: Path):
    store = Store.open(store_dir, read_only=True)
    try:
        assert store.read_only
        try:
            store.update("INSERT DATA { <urn:test:a> <urn:test:b> <urn:test:c> }")
        except Exception as e:  # noqa: BLE001 - what matters is that nothing was written
            assert "read-only" in str(e)
        else:
            raise AssertionError("a read-only store took an update")
    finally:
        store.close()
    assert Store.open(store_dir, read_only=True).rows("SELECT ?p WHERE { <urn:test:a> ?p ?o }") == []


def test_a_reader_undoes_an_interrupted_load_first(store_dir: Path):
    half = "urn:test:half-loaded"
    store = Store.open(store_dir)
    store.update(f"INSERT DATA {{ GRAPH <{half}> {{ <urn:test:a> <urn:test:b> 'c' }} }}")
    store.close()
    (store_dir / JOURNAL).write_text(json.dumps({"file": "x.nq", "graphs": [half]}), encoding="utf-8")
    reader = Store.open(store_dir, read_only=True)
    try:
        assert reader.recovered == [half]
        assert reader.rows("SELECT ?o WHERE { <urn:test:a> <urn:test:b> ?o }") == []
    finally:
        reader.close()
    assert not (store_dir / JOURNAL).exists()


def test_a_store_on_a_read_only_file_system_can_be_read(store_dir: Path, tmp_path: Path):
    """Mounts the store read-only in a private mount namespace; needs root and unshare."""
    import pytest

    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) to mount the store read-only")
    mount = tmp_path / "ro"
    mount.mkdir()
    script = (
        f"mount --bind {store_dir} {mount} && mount -o remount,bind,ro {mount} && "
        f"{sys.executable} -m graph --store {mount} actor Turkey --format json"
    )
    run = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    if "mount" in run.stderr and run.returncode != 0 and "Traceback" not in run.stderr and "Error" not in run.stderr:
        pytest.skip(f"cannot make a read-only mount here: {run.stderr.strip()[:200]}")
    assert run.returncode == 0, run.stderr
    assert any("Azerbaijan" in p["targets"] for p in json.loads(run.stdout)["positions"])
