"""Stores compared on one synthetic graph: rdflib in memory, the embedded Oxigraph store, raw
pyoxigraph (the limit), and Virtuoso when one is running.

For each size (reactions; scripts/generate_synthetic.py makes the N-Quads), each backend runs in a
fresh process: load time and triples/s, peak RSS, reopen time, median latency (warm, 5 runs) of an
actor lookup and an event lookup, of every named query, and — for the embedded store — the whole
process `diplo actor X --store DIR`. Prints a table and writes JSON.

Activity is skewed, so which actor is looked up matters: "actor" is the state of median
activity (syn-state-150: 1,298 reactions at 1M), "busiest" the most active (syn-state-000:
~121k reactions at 1M, read with --limit 20), "official" one person (syn-person-0150); the event is
syn-0150 (800 reactions at 1M). On the embedded store each named query runs in its own process,
stopped after --query-timeout seconds.

    python scripts/bench_store.py                          # 10k and 100k reactions
    python scripts/bench_store.py --sizes 1000000 --skip memory
    DIPLO_BENCH_VIRTUOSO=http://127.0.0.1:8890 python scripts/bench_store.py   # plus Virtuoso

Goals (issue 4) at 1M reactions: load <= 30 s, reopen <= 1 s, actor lookup <= 50 ms, every named
query <= 300 ms, whole-process lookup <= 1 s, overhead over raw pyoxigraph <= 1.5x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACTOR = "https://w3id.org/diplograph/id/actor/syn-state-150"
BUSIEST = "https://w3id.org/diplograph/id/actor/syn-state-000"
OFFICIAL = "https://w3id.org/diplograph/id/actor/syn-person-0150"
EVENT = "https://w3id.org/diplograph/id/event/syn-0150"
BACKENDS = ("memory", "embedded", "raw", "virtuoso")
QUERY_TIMEOUT = 120


def median_ms(fn, runs: int = 5) -> float:
    start = time.perf_counter()
    fn()  # warm
    first = (time.perf_counter() - start) * 1000
    if first > 10_000:
        return first  # too slow to repeat: the cold figure says enough
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def params_for(query) -> dict:
    from rdflib import URIRef

    values = {"actor": URIRef(ACTOR), "event": URIRef(EVENT), "iri": URIRef(ACTOR)}
    return {p.name: values[p.kind] for p in query.params if not p.optional and p.kind in values}


def run_backend(backend: str, nq: Path, work: Path) -> dict:
    """Load ``nq`` into ``backend`` and time it, in this process."""
    from graph.queries import named_queries
    from graph.store import Store

    out: dict = {"backend": backend}
    start = time.perf_counter()
    if backend == "memory":
        store = Store.bundled()
        store.dataset.parse(str(nq), format="nquads")
    elif backend == "embedded":
        store = Store.create(work / "store")
        store.bulk_load(nq)
    elif backend == "raw":
        import pyoxigraph

        raw = pyoxigraph.Store(str(work / "raw"))
        raw.bulk_load(path=str(nq), format=pyoxigraph.RdfFormat.N_QUADS)
        out["load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        raw.optimize()
        out["compact_s"] = time.perf_counter() - start
    else:
        from graph.remote import RemoteStore

        store = RemoteStore(os.environ["DIPLO_BENCH_VIRTUOSO"] + "/sparql")
        store.bulk_load(nq, replace=True)
    out.setdefault("load_s", time.perf_counter() - start)
    if backend == "raw":
        from graph import vocab

        prefixes = {k: str(v) for k, v in vocab.namespaces().items()}
        lookup = f"SELECT * WHERE {{ ?r <https://w3id.org/diplograph/ontology#actor> <{ACTOR}> ; <https://w3id.org/diplograph/ontology#stance> ?s ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?src }}"
        out["actor_ms"] = median_ms(lambda: list(raw.query(lookup, prefixes=prefixes, use_default_graph_as_union=True)))
        del raw
        start = time.perf_counter()
        import pyoxigraph

        pyoxigraph.Store(str(work / "raw"))
        out["reopen_s"] = time.perf_counter() - start
        return out
    from rdflib import URIRef

    from graph.lookup import positions

    out["actor_ms"] = median_ms(lambda: positions(store, who=URIRef(ACTOR)))
    out["official_ms"] = median_ms(lambda: positions(store, who=URIRef(OFFICIAL)))
    out["busiest_20_ms"] = median_ms(lambda: positions(store, who=URIRef(BUSIEST), limit=20), runs=3)
    out["event_ms"] = median_ms(lambda: positions(store, event=URIRef(EVENT)), runs=3)
    if backend != "embedded":
        out["queries_ms"] = {name: time_query(store, query) for name, query in sorted(named_queries().items())}
    if backend == "embedded":
        store.close()
        start = time.perf_counter()
        Store.open(work / "store").close()
        out["reopen_s"] = time.perf_counter() - start
        env = {k: v for k, v in os.environ.items() if not k.startswith("DIPLO_STORE")}
        for key, args in (("whole_process_s", [ACTOR]), ("whole_process_busiest_20_s", [BUSIEST, "--limit", "20"])):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "graph", "--store", str(work / "store"), "actor", args[0].rsplit("/", 1)[-1], *args[1:], "--format", "csv"],
                           check=True, capture_output=True, env=env)
            out[key] = time.perf_counter() - start
        out["queries_ms"] = {}
        for name in sorted(named_queries()):
            try:
                done = subprocess.run([sys.executable, __file__, "--query-child", str(work / "store"), name],
                                      capture_output=True, text=True, timeout=QUERY_TIMEOUT)
                out["queries_ms"][name] = float(done.stdout) if done.returncode == 0 else f"error: {done.stderr.strip().splitlines()[-1][:80]}"
            except subprocess.TimeoutExpired:
                out["queries_ms"][name] = f"> {QUERY_TIMEOUT} s"
    return out


def time_query(store, query) -> float | str:
    """Median milliseconds of one named query (parameters from :func:`params_for`)."""
    try:
        return median_ms(lambda: list(store.query(query.text, params_for(query))), runs=3)
    except Exception as e:  # a query a backend can't run is reported, not hidden
        return f"error: {str(e).splitlines()[0][:80]}"


def main(argv: list[str] | None = None) -> int:
    global QUERY_TIMEOUT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--skip", nargs="*", default=[], choices=BACKENDS)
    parser.add_argument("--json", type=Path, default=Path("test-output/bench_store.json"))
    parser.add_argument("--query-timeout", type=int, default=QUERY_TIMEOUT, help="Seconds before a named query on the embedded store is given up.")
    parser.add_argument("--child", nargs=3, metavar=("BACKEND", "NQ", "WORK"), help=argparse.SUPPRESS)
    parser.add_argument("--query-child", nargs=2, metavar=("STORE", "QUERY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    QUERY_TIMEOUT = args.query_timeout
    if args.query_child:
        from graph.queries import named_query
        from graph.store import Store

        store = Store.open(Path(args.query_child[0]))
        result = time_query(store, named_query(args.query_child[1]))
        if isinstance(result, str):
            print(result, file=sys.stderr)
            return 1
        print(result)
        return 0
    if args.child:
        result = run_backend(args.child[0], Path(args.child[1]), Path(args.child[2]))
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return 0
    backends = [b for b in BACKENDS if b not in args.skip and (b != "virtuoso" or os.environ.get("DIPLO_BENCH_VIRTUOSO"))]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        for size in args.sizes:
            nq = Path(tmp) / f"synthetic-{size}.nq"
            subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_synthetic.py"), str(size), "-o", str(nq)], check=True, capture_output=True)
            quads = sum(1 for _ in nq.open(encoding="utf-8"))
            for backend in backends:
                work = Path(tmp) / f"{backend}-{size}"
                work.mkdir()
                done = subprocess.run([sys.executable, __file__, "--child", backend, str(nq), str(work), "--query-timeout", str(QUERY_TIMEOUT)],
                                      capture_output=True, text=True)
                if done.returncode != 0:
                    results.append({"size": size, "backend": backend, "error": done.stderr.strip().splitlines()[-1]})
                    continue
                row = json.loads(done.stdout) | {"size": size, "quads": quads}
                row["quads_per_s"] = quads / row["load_s"]
                results.append(row)
    fmt = lambda v, spec: format(v, spec) if isinstance(v, (int, float)) else "—"  # noqa: E731
    print(f"{'reactions':>9} {'backend':9} {'load s':>7} {'compact s':>9} {'quads/s':>9} {'RSS MB':>7} {'reopen s':>8} {'actor ms':>9} "
          f"{'official ms':>11} {'busiest/20 ms':>13} {'event ms':>9} {'process s':>9} {'busiest/20 s':>12}")
    for r in results:
        if "error" in r:
            print(f"{r['size']:>9} {r['backend']:9} error: {r['error']}")
            continue
        print(f"{r['size']:>9} {r['backend']:9} {r['load_s']:>7.1f} {fmt(r.get('compact_s'), '9.1f')} {r['quads_per_s']:>9,.0f} {r['peak_rss_mb']:>7.0f} "
              f"{fmt(r.get('reopen_s'), '8.2f')} {fmt(r.get('actor_ms'), '9.1f')} {fmt(r.get('official_ms'), '11.1f')} "
              f"{fmt(r.get('busiest_20_ms'), '13.1f')} {fmt(r.get('event_ms'), '9.1f')} {fmt(r.get('whole_process_s'), '9.2f')} "
              f"{fmt(r.get('whole_process_busiest_20_s'), '12.2f')}")
    timed = [r for r in results if r.get("queries_ms")]
    if timed:
        print("\nnamed queries, median ms (" + ", ".join(f"{r['size']} {r['backend']}" for r in timed) + ")")
        for name in sorted({q for r in timed for q in r["queries_ms"]}):
            print(f"  {name:32}" + "".join(f" {fmt(r['queries_ms'].get(name), '>12.0f') if isinstance(r['queries_ms'].get(name), float) else str(r['queries_ms'].get(name))[:12]:>12}" for r in timed))
    for size in args.sizes:
        emb = next((r for r in results if r["size"] == size and r["backend"] == "embedded" and "error" not in r), None)
        raw = next((r for r in results if r["size"] == size and r["backend"] == "raw" and "error" not in r), None)
        if emb and raw:
            print(f"{size} reactions: embedded load (check, load, compact) {emb['load_s'] / raw['load_s']:.2f}x raw pyoxigraph's bulk_load, "
                  f"{emb['load_s'] / (raw['load_s'] + raw['compact_s']):.2f}x raw's load + compact; actor lookup {emb['actor_ms'] / raw['actor_ms']:.1f}x raw's single pattern")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
