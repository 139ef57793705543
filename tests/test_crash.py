"""The crash suite, continued (issue 14): `diplo forget` killed with SIGKILL at random points leaves
each source whole or gone, and a query worker of `diplo serve` killed at random points neither
wedges the server nor leaves half an update in the store. Each test writes what it saw to
test-output/ (the figures of the closing note)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from graph.server import Limits, make_app
from graph.store import Store
from tests.conftest import ROOT, diplo, diplo_json
from tests.test_durability import data_findings, gdelt_rows, graph_sizes, run_diplo
from tests.test_serve import CARTESIAN, NORMAL, TOKEN, serving

FORGET_TRIALS = 10  # per source; two sources
READ_KILLS = 20
UPDATE_KILLS = 10


def record(name: str, results: list[dict]) -> None:
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\n{name}: {len(results)} trials, {sum(r['clean'] for r in results)} clean")


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A store holding a GDELT import (8,000 rows) beside the bundled curated source; the key of each."""
    home = tmp_path_factory.mktemp("forget")
    folder = home / "store"
    assert diplo("init", str(folder)).exit_code == 0
    gdelt = home / "20200714120000.export.CSV"
    gdelt.write_text(gdelt_rows(8_000, 3), encoding="utf-8")
    assert diplo("--store", str(folder), "import", "gdelt", str(gdelt)).exit_code == 0
    keys = {}
    for s in diplo_json("--store", str(folder), "sources"):
        keys["import" if s["made_by"] and "gdelt" in s["made_by"] else "curated"] = s["key"]
    assert set(keys) == {"import", "curated"}
    return folder, keys


@pytest.mark.slow
def test_forget_killed_at_random_points_leaves_each_source_whole_or_gone(two_sources, tmp_path: Path):

    base, keys = two_sources
    rng = random.Random(1414)
    results = []
    for which, key in keys.items():
        reference = tmp_path / f"{which}-reference"
        shutil.copytree(base, reference)
        (tmp_path / "tmp").mkdir(exist_ok=True)
        took = run_diplo(reference, ["forget", key], tmp_path / "tmp")
        before, after = graph_sizes(base), graph_sizes(reference)
        assert before != after, f"forget {which} changed nothing"
        for trial in range(FORGET_TRIALS):
            folder, temp = tmp_path / f"{which}-{trial}", tmp_path / f"{which}-{trial}-tmp"
            shutil.copytree(base, folder)
            temp.mkdir()
            # Most of a short command is Python starting: aim at the later part, where it writes.
            delay = rng.uniform(0.3 * took, took)
            run_diplo(folder, ["forget", key], temp, kill_after=delay)
            now = graph_sizes(folder)
            torn = sorted(g for g in set(before) | set(now) if now.get(g, 0) not in (before.get(g, 0), after.get(g, 0)))
            findings = data_findings(folder)
            listed = {s["key"] for s in diplo_json("--store", str(folder), "sources")}
            # The source is listed exactly when its graph is still there: never one without the other.
            consistent = (key in listed) == (now == before)
            clean = not torn and not any(findings.values()) and consistent and now in (before, after)
            results.append({"case": f"forget {which}", "killed_after_s": round(delay, 2), "of_s": round(took, 2),
                            "state": "before" if now == before else "after" if now == after else "mixed",
                            "torn_graphs": torn[:3], "doctor": findings, "clean": clean})
            shutil.rmtree(folder)
            shutil.rmtree(temp)
    record("crash-forget", results)
    assert len(results) >= 20
    assert all(r["clean"] for r in results), [r for r in results if not r["clean"]]


def worker_pids(app, busy_first: bool = True) -> list[int]:
    """The process ids of the pool's workers, those answering first."""
    pool = app.state.workers
    with pool._lock:
        busy = [w.process.pid for w in pool._busy]
    idle = [w.process.pid for w in list(pool._idle.queue)]
    return busy + idle if busy_first else idle + busy


def answered_within(url: str, seconds: float) -> bool:
    """Whether an ordinary query gets its right answer within ``seconds`` (retrying 503s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            answer = httpx.get(f"{url}/sparql", params={"query": NORMAL}, timeout=max(1.0, deadline - time.monotonic()))
            if answer.status_code == 200 and "TUR" in answer.text:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_query_workers_killed_at_random_points_do_not_wedge_the_server():
    app = make_app(Store.bundled(), Limits(timeout=10, workers=2))
    rng = random.Random(1415)
    results = []
    with serving(app) as url:
        for trial in range(READ_KILLS):
            answers: list[int | str] = []

            def ask(query: str) -> None:
                try:
                    answers.append(httpx.get(f"{url}/sparql", params={"query": query}, timeout=60).status_code)
                except httpx.HTTPError as e:
                    answers.append(type(e).__name__)

            # Queries in flight (one slow), then a worker killed at a random moment.
            asking = [threading.Thread(target=ask, args=(q,)) for q in (NORMAL, NORMAL, CARTESIAN if trial % 2 else NORMAL)]
            for thread in asking:
                thread.start()
            time.sleep(rng.uniform(0.0, 0.6))
            pids = worker_pids(app, busy_first=rng.random() < 0.7)
            victim = pids[0] if pids else None
            if victim is not None:
                try:
                    os.kill(victim, signal.SIGKILL)
                except ProcessLookupError:
                    victim = None  # it ended by itself (a slow query's worker): nothing killed
            for thread in asking:
                thread.join(90)
            recovered = answered_within(url, 30)
            health = httpx.get(f"{url}/healthz", timeout=30)
            clean = (recovered and health.status_code == 200 and len(answers) == 3
                     and all(a in (200, 503) for a in answers))
            results.append({"case": "serve: query worker", "killed": victim is not None, "answers": answers,
                            "recovered": recovered, "healthz": health.status_code, "clean": clean})
    record("crash-serve-queries", results)
    assert sum(r["killed"] for r in results) >= READ_KILLS // 2
    assert all(r["clean"] for r in results), [r for r in results if not r["clean"]]


def insert(graph: str, count: int) -> str:
    """One update adding ``count`` triples to ``graph``."""
    body = "\n".join(f'<urn:crash:s{i}> <urn:crash:p> "value {i}" .' for i in range(count))
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"


COUNT_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <urn:crash:p> ?o } } GROUP BY ?g"


@pytest.mark.slow
def test_an_update_worker_killed_at_random_points_leaves_each_update_whole_or_absent(store_dir: Path):
    size = 50_000
    app = make_app(Store.open(store_dir), Limits(timeout=60, workers=1, max_request_bytes=10_000_000, max_rows=1000), update_token=TOKEN)
    rng = random.Random(1416)
    results = []
    with serving(app) as url:
        headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
        started = time.monotonic()
        assert httpx.post(f"{url}/sparql", content=insert("urn:crash:timing", size), headers=headers, timeout=120).status_code == 200
        took = time.monotonic() - started
        for trial in range(UPDATE_KILLS):
            outcome: dict[str, int | str] = {}

            def send(graph: str = f"urn:crash:g{trial}") -> None:
                try:
                    outcome["status"] = httpx.post(f"{url}/sparql", content=insert(graph, size), headers=headers, timeout=120).status_code
                except httpx.HTTPError as e:
                    outcome["status"] = type(e).__name__

            sender = threading.Thread(target=send)
            sender.start()
            time.sleep(rng.uniform(0.05, took))
            pids = worker_pids(app)
            if pids:
                try:
                    os.kill(pids[0], signal.SIGKILL)
                except ProcessLookupError:
                    pass
            sender.join(120)
            recovered = answered_within(url, 60)
            results.append({"case": "serve: update worker", "status": outcome.get("status"), "recovered": recovered,
                            "of_s": round(took, 2)})
    # Reopened as any command would: every update's graph holds all of it or none.
    store = Store.open(store_dir, read_only=True)
    try:
        counts = {str(row.g): int(row.n) for row in store.query(COUNT_GRAPHS)}
    finally:
        store.close()
    for trial, row in enumerate(results):
        held = counts.get(f"urn:crash:g{trial}", 0)
        row["triples_after_reopen"] = held
        # A 200 means it was written; a killed one may have been written just before the kill.
        row["clean"] = row["recovered"] and held in (0, size) and (row["status"] != 200 or held == size)
    record("crash-serve-updates", results)
    assert counts.get("urn:crash:timing") == size
    assert all(r["clean"] for r in results), [r for r in results if not r["clean"]]
