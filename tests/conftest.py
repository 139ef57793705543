"""Shared fixtures: the bundled store, a CLI runner, and the ../shared folder when present."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner, Result

from graph.cli import cli
from graph.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


def script(name: str) -> ModuleType:
    """``scripts/NAME.py`` as a module (scripts/ is not a package), registered under its name so
    that its dataclasses and its own imports of sibling scripts resolve."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose their store themselves: a DIPLO_STORE* variable in the caller's shell must not
    send them to a real store."""
    import os

    for name in [n for n in os.environ if n.startswith("DIPLO_STORE")]:
        monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def store() -> Store:
    """The bundled graph; tests must not modify it (use ``fresh_store`` for that)."""
    return Store.bundled()


@pytest.fixture()
def fresh_store() -> Store:
    """A bundled graph of the test's own."""
    return Store.bundled()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared folder beside the checkout; tests that need it skip, saying why, without it."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"needs ../shared beside the checkout (looked for {SHARED})")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared: Path) -> str:
    return (shared / "seeds" / "000_4cb863676a516a50.txt").read_text(encoding="utf-8")


@pytest.fixture()
def store_dir(tmp_path: Path) -> Path:
    """A new on-disk store made by `diplo init`."""
    folder = tmp_path / "store"
    result = diplo("init", str(folder))
    assert result.exit_code == 0, result.stderr
    return folder


def quads(folder: Path) -> int:
    """How many quads of data an on-disk store holds (to check that something changed it, or not):
    the summaries, which every write recounts, are left out (test_summaries checks them)."""
    store = Store.open(folder)
    try:
        return sum(1 for _ in store.quads())
    finally:
        store.close()


def diplo(*args: str) -> Result:
    """Run ``diplo ARGS…`` in-process and return click's result (stdout and stderr apart)."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def diplo_json(*args: str) -> Any:
    """Run ``diplo ARGS… --format json`` expecting success, and parse its output."""
    result = diplo(*args, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


@pytest.fixture()
def restraint_article(tmp_path: Path) -> Path:
    """A short article with one target the text names (Turkey condemned Armenia) and two it
    leaves to the reader (Russia's call for restraint, aimed at the clash's two parties)."""
    path = tmp_path / "restraint.md"
    path.write_text("---\ntitle: Restraint\ndate: 2020-07-14\n---\nFighting flared on the border between Armenia and "
                    "Azerbaijan on Sunday. Russia called for restraint. Turkey condemned Armenia.\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def real_store(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small store made from real data as a user would make it: the Daily Mail posts of
    ../shared/corpus (55 articles on several crises) ingested and the GDELT 2.0 sample imported,
    beside the bundled graphs. Tests must not change it (copy the folder to write)."""
    folder = tmp_path_factory.mktemp("real") / "store"
    assert diplo("init", str(folder)).exit_code == 0
    posts = shared / "corpus" / "finescoop-dailymail-2020" / "posts"
    ingested = diplo("--store", str(folder), "ingest", str(posts))
    assert ingested.exit_code == 0, ingested.output
    gdelt = shared / "data" / "gdelt2" / "20191024143000.export.CSV"
    imported = diplo("--store", str(folder), "import", "gdelt", str(gdelt))
    assert imported.exit_code == 0, imported.output
    return folder
