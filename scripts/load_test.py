"""A bounded loopback load test of `diplo serve`: many clients asking ordinary questions while a
hostile query arrives every second (issue 14).

Starts `diplo serve` on a free loopback port (or uses --url), then for --seconds runs --clients
concurrent clients, each asking, one after another, the shipped questions a user of the endpoint
asks — lookups (an actor described, the reactions by and toward an actor, for a few actors) and
whole-graph aggregates (the actors with their counts, who sided with whom) — while a hostile
query (a cartesian product of all triples) is sent every --hostile-every seconds. The lookups are
the shipped queries of graph/queries with their parameter bound by the store's own binding (the
server takes plain SPARQL).

Prints throughput, p50/p99 latency and errors for the ordinary queries, what the hostile ones got,
/healthz answers during the run and the server's peak memory (its worker processes included), and
writes them as JSON. The goal: no errors for the ordinary queries while the hostile ones are
stopped at the time limit.

    nice -n 10 python scripts/load_test.py --store /tmp/real-store --clients 16 --seconds 20 --json test-output/load.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACTORS = ["russia", "turkey", "united-states", "armenia", "azerbaijan", "ukraine", "china", "european-union"]
HOSTILE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def questions() -> list[tuple[str, str]]:
    """(kind, SPARQL text) of the ordinary questions: shipped queries, parameters bound."""
    from rdflib import URIRef

    from graph.queries import named_query
    from graph.store import _prebind

    out = []
    for slug in ACTORS:
        actor = URIRef(f"https://w3id.org/diplograph/id/actor/{slug}")
        out.append(("lookup", _prebind(named_query("describe").text, {"thing": actor})))
        out.append(("lookup", _prebind(named_query("reactions-by").text, {"who": actor})))
        out.append(("lookup", _prebind(named_query("stances-toward-actor").text, {"target": actor})))
    out.append(("aggregate", named_query("actors").text))
    out.append(("aggregate", named_query("who-sided-with-whom").text))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0.0
    for child in [pid, *_children(pid)]:
        try:
            with open(f"/proc/{child}/statm", encoding="ascii") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except OSError:
            pass
    return total


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            kids = [int(x) for x in f.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def run(url: str, clients: int, seconds: float, hostile_every: float, request_timeout: float, server_pid: int | None) -> dict:
    asked = questions()
    normal: list[tuple[str, float, int | str]] = []
    hostile: list[tuple[float, int | str]] = []
    health: list[int | str] = []
    samples: list[str] = []
    peak = [tree_rss_mb(server_pid) if server_pid else 0.0]
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients + 8)

    async with httpx.AsyncClient(timeout=request_timeout, limits=limits) as http:

        async def ask(text: str) -> tuple[float, int | str]:
            started = time.monotonic()
            try:
                answer = await http.post(f"{url}/sparql", content=text.encode("utf-8"), headers={
                    "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
                status: int | str = answer.status_code
                if status != 200 and text is not HOSTILE and len(samples) < 5:
                    samples.append(f"{status}: {answer.text.strip()[:200]}")
            except httpx.HTTPError as e:
                status = type(e).__name__
            return time.monotonic() - started, status

        async def client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < stop_at:
                kind, text = rng.choice(asked)
                took, status = await ask(text)
                normal.append((kind, took, status))

        async def attacker() -> None:
            pending = []
            while hostile_every > 0 and time.monotonic() < stop_at:
                pending.append(asyncio.create_task(ask(HOSTILE)))
                await asyncio.sleep(max(0.0, min(hostile_every, stop_at - time.monotonic())))
            for task in pending:
                hostile.append(await task)

        async def watch() -> None:
            while time.monotonic() < stop_at:
                try:
                    health.append((await http.get(f"{url}/healthz")).status_code)
                except httpx.HTTPError as e:
                    health.append(type(e).__name__)
                if server_pid:
                    peak[0] = max(peak[0], tree_rss_mb(server_pid))
                await asyncio.sleep(1.0)

        began = time.monotonic()
        await asyncio.gather(*(client(i) for i in range(clients)), attacker(), watch())
        elapsed = time.monotonic() - began
        try:
            pool = (await http.get(f"{url}/healthz")).json().get("workers", {})
        except (httpx.HTTPError, ValueError):
            pool = {}

    ok = [took for _, took, status in normal if status == 200]
    by_kind = {}
    for kind in sorted({k for k, _, _ in normal}):
        took = [t for k, t, s in normal if k == kind and s == 200]
        by_kind[kind] = {"answered": len(took), "p50_ms": round(percentile(took, 50) * 1000, 1), "p99_ms": round(percentile(took, 99) * 1000, 1)}
    errors: dict[str, int] = {}
    for _, _, status in normal:
        if status != 200:
            errors[str(status)] = errors.get(str(status), 0) + 1
    hostile_statuses: dict[str, int] = {}
    for _, status in hostile:
        hostile_statuses[str(status)] = hostile_statuses.get(str(status), 0) + 1
    return {
        "clients": clients, "seconds": round(elapsed, 1), "requests": len(normal), "answered": len(ok),
        "throughput_per_s": round(len(ok) / elapsed, 1),
        "p50_ms": round(percentile(ok, 50) * 1000, 1), "p99_ms": round(percentile(ok, 99) * 1000, 1),
        "errors": errors, "error_samples": samples, "by_kind": by_kind,
        "hostile": {"sent": len(hostile), "answers": hostile_statuses,
                    "p50_s": round(percentile([t for t, _ in hostile], 50), 1)},
        "healthz": {str(s): health.count(s) for s in sorted(set(health), key=str)},
        "server_peak_rss_mb": round(peak[0]),
        "workers_after": {k: pool.get(k) for k in ("processes", "started", "killed")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="Store folder to serve (default: the bundled graph).")
    parser.add_argument("--url", help="Test a server already running at this base URL instead of starting one.")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--hostile-every", type=float, default=1.0, metavar="SECONDS", help="0: no hostile queries (a baseline).")
    parser.add_argument("--timeout", type=float, default=5.0, help="The server's --timeout (when started here).")
    parser.add_argument("--workers", type=int, default=2, help="The server's --workers (when started here).")
    parser.add_argument("--json", type=Path, help="Write the figures here.")
    args = parser.parse_args()
    if args.seconds > 600 or args.clients > 256:
        parser.error("keep it bounded: at most 600 s and 256 clients")

    server = None
    url = args.url
    if url is None:
        port = free_port()
        command = [sys.executable, "-m", "graph", *(["--store", args.store] if args.store else []), "serve",
                   "--port", str(port), "--timeout", str(args.timeout), "--workers", str(args.workers)]
        server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {server.stderr.read().decode()[-2000:] if server.stderr else ''}")
            time.sleep(0.3)
    try:
        figures = asyncio.run(run(url, args.clients, args.seconds, args.hostile_every, max(60.0, args.timeout * 4),
                                  server.pid if server else None))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
    figures.update(store=args.store or "bundled graph", server_timeout_s=args.timeout, workers=args.workers)
    print(f"{figures['clients']} clients x {figures['seconds']} s: {figures['answered']:,} answered "
          f"({figures['throughput_per_s']} /s), p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, errors {figures['errors'] or 0}")
    for sample in figures["error_samples"]:
        print(f"  error: {sample}")
    for kind, row in figures["by_kind"].items():
        print(f"  {kind:10} {row['answered']:6,} answered  p50 {row['p50_ms']:8} ms  p99 {row['p99_ms']:8} ms")
    print(f"hostile: {figures['hostile']['sent']} sent, answers {figures['hostile']['answers']}, p50 {figures['hostile']['p50_s']} s")
    print(f"/healthz during the run: {figures['healthz']}; server peak memory {figures['server_peak_rss_mb']} MB; "
          f"worker processes after: {figures['workers_after']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
