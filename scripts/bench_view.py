"""How fast a big network page opens and responds in a real Chromium.

Builds a synthetic reaction network (default 5,000 nodes and 20,000 aggregated edges), writes
it twice — as `diplo view` writes big graphs (layout computed once in Python, physics off) and,
as the baseline, the same page left to vis-network's in-browser physics — and opens each in
headless Chromium (Debian's /usr/bin/chromium, through playwright) with the network blocked.

Measured per page: Python build time, file size, time until the network is drawn and still,
and the time for a stance-class filter, a date filter and a search to take effect.
Prints a table and writes JSON (``--json``, default test-output/bench_view.json).

    python scripts/bench_view.py                  # 5,000 nodes / 20,000 edges
    python scripts/bench_view.py --nodes 500 --edges 2000 --baseline-timeout 60

With ``--store DIR`` it measures a real store instead (never written to): the default page
(the 60 busiest actors drawn, the rest folded) against ``--all`` (every actor drawn, as
`diplo view` did before folding) — generation time, file size, nodes and edges drawn, and the
time to open in Chromium.

    python scripts/bench_view.py --store /tmp/me/real-store
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from graph.lookup import Position
from graph.views import build_network, freeze_layout, render_html

CLASSES = {"CONCERN": 0, "APPEAL": 0, "MEDIATE": 0, "SUPPORT": 1, "DISAPPROVE": -1, "THREATEN": -1, "REJECT": -1}
TYPES = ["State", "International organization", "Government body", "Person", "Armed group"]


def synthetic(nodes: int, edges: int, seed: int = 1) -> tuple[list[Position], dict[str, str]]:
    """Reactions whose aggregated network has about ``nodes`` actors and exactly ``edges``
    (actor, target, stance class) edges; activity is skewed (a few actors draw most reactions)."""
    rng = random.Random(seed)
    names = [f"actor {i:05d}" for i in range(nodes)]
    types = {n: TYPES[min(int(rng.paretovariate(1.5)) - 1, len(TYPES) - 1)] for n in names}
    weights = [1 / (i + 1) ** 0.8 for i in range(nodes)]
    day0 = date(2020, 1, 1)
    keys: set[tuple[str, str, str]] = set()
    found: list[Position] = []
    # Every actor appears at least once, then skewed picks fill up the edges.
    order = names + rng.choices(names, weights, k=edges * 3)
    for i, actor in enumerate(order):
        if len(keys) >= edges:
            break
        target = names[(i * 7919) % nodes] if i < nodes else rng.choices(names, weights)[0]
        cls = rng.choice(list(CLASSES))
        if target == actor or (actor, target, cls) in keys:
            continue
        keys.add((actor, target, cls))
        day = day0 + timedelta(days=rng.randrange(365))
        found.append(
            Position(
                reaction=f"r{i}", when=day.isoformat(), stance_class=cls, stance=cls.lower(), stance_iri="",
                polarity=CLASSES[cls], actor=actor, targets=[target], event=None, speaker=None, role=None,
                quote=f"synthetic quote {i} <b>not markup</b>", evidence=None, start=None, end=None, channel=None,
                date_expression=None, source="urn:bench", source_title="bench", source_url="https://example.org/a",
                publisher=None, published=None, confidence=None, earliest=day, latest=day,
            )
        )
    return found, types


def settled(page: Any, timeout_s: float) -> None:
    """Wait until the page's network is drawn and still. Polled from Python: the page's
    Content-Security-Policy forbids the string evaluation playwright's own waiting uses."""
    deadline = time.perf_counter() + timeout_s
    check = "() => !!(window.diplograph && window.diplograph.ready && window.diplograph.stable)"
    while not page.evaluate(check):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"not settled after {timeout_s:.0f} s")
        page.wait_for_timeout(25)


def measure_page(browser: Any, path: Path, timeout_s: float) -> dict[str, Any]:
    """Open ``path`` and time it; None figures mean the page did not settle within the timeout."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=timeout_s * 1000)
    out: dict[str, Any] = {"open_s": None, "stance_filter_ms": None, "date_filter_ms": None, "search_ms": None}
    try:
        settled(page, timeout_s)
    except Exception as e:  # playwright's TimeoutError: report it as "did not settle"
        print(f"{path.name}: {str(e).splitlines()[0]}", file=sys.stderr)
        page.close()
        return out | {"errors": errors, "requests": len(requests)}
    out["open_s"] = time.perf_counter() - start
    # Each interaction is timed inside the page until the network has redrawn.
    timed = """(act) => {
      const d = window.diplograph, t = performance.now();
      act === 'stance' ? document.querySelector('#stance-filter input[value=APPEAL]').click()
      : act === 'date' ? (document.getElementById('since').value = '2020-07-01', d.applyFilters())
      : d.focusActor('actor 00042');
      d.network.redraw();
      return performance.now() - t;
    }"""
    out["stance_filter_ms"] = page.evaluate(timed, "stance")
    out["date_filter_ms"] = page.evaluate(timed, "date")
    out["search_ms"] = page.evaluate(timed, "search")
    out["shown_edges_after_filters"] = page.evaluate("window.diplograph.edgeView.length")
    page.close()
    return out | {"errors": errors, "requests": len(requests) - 1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--baseline-timeout", type=float, default=300.0, help="Seconds to wait for the physics page.")
    parser.add_argument("--json", type=Path, default=Path("test-output/bench_view.json"))
    parser.add_argument("--store", type=Path, help="Measure this store's own network pages instead.")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("bench_view: needs Debian's chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    if args.store is not None:
        return bench_store(args.store, chromium, args.json)
    found, types = synthetic(args.nodes, args.edges)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-view-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for name, frozen in (("diplo view (precomputed layout)", True), ("baseline: in-browser physics", False)):
            t0 = time.perf_counter()
            net = build_network(found, types)
            if frozen:
                freeze_layout(net)
            html = render_html(net, found, f"bench: {name}", frozen=frozen)
            build_s = time.perf_counter() - t0
            path = Path(tmp) / f"{'frozen' if frozen else 'physics'}.html"
            path.write_text(html, encoding="utf-8")
            row = {"page": name, "nodes": len(net.nodes), "edges": len(net.edges), "build_s": build_s,
                   "size_mb": path.stat().st_size / 1e6}
            row |= measure_page(browser, path, 30.0 if frozen else args.baseline_timeout)
            results.append(row)
        browser.close()
    frozen_row, base_row = results
    ratio = (base_row["open_s"] / frozen_row["open_s"]) if base_row["open_s"] and frozen_row["open_s"] else None
    print(f"{'page':34} {'nodes':>6} {'edges':>6} {'build s':>8} {'MB':>6} {'open s':>8} {'stance ms':>10} {'date ms':>8} {'search ms':>10}")
    for r in results:
        def f(v: Any, spec: str) -> str:
            return format(v, spec) if isinstance(v, (int, float)) else "timeout"
        print(f"{r['page']:34} {r['nodes']:>6} {r['edges']:>6} {r['build_s']:>8.2f} {r['size_mb']:>6.1f} "
              f"{f(r['open_s'], '8.2f')} {f(r['stance_filter_ms'], '10.0f')} {f(r['date_filter_ms'], '8.0f')} {f(r['search_ms'], '10.0f')}")
    if ratio:
        print(f"baseline opens {ratio:.1f}x slower than diplo view's page")
    else:
        print(f"baseline did not settle within {args.baseline_timeout:.0f} s")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"results": results, "baseline_over_ours_open": ratio}, indent=2), encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


def bench_store(store_dir: Path, chromium: str, json_path: Path) -> int:
    """The real store's page at the default --top against --all, each written by write_view."""
    from playwright.sync_api import sync_playwright

    from graph.store import Store
    from graph.views import DEFAULT_TOP, write_view

    store = Store.open(store_dir)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-view-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for name, top in ((f"--top {DEFAULT_TOP} (default)", DEFAULT_TOP), ("--all (every actor)", None)):
            path = Path(tmp) / f"{top}.html"
            t0 = time.perf_counter()
            summary = write_view(store, path, top=top)
            row = {"page": name, "nodes": summary.nodes, "edges": summary.edges, "build_s": time.perf_counter() - t0,
                   "size_mb": path.stat().st_size / 1e6}
            row |= measure_page(browser, path, 120.0)
            results.append(row)
        browser.close()
    print(f"{'page':24} {'nodes':>6} {'edges':>6} {'build s':>8} {'MB':>6} {'open s':>8}")
    for r in results:
        opened = format(r["open_s"], "8.2f") if isinstance(r["open_s"], float) else "timeout"
        print(f"{r['page']:24} {r['nodes']:>6} {r['edges']:>6} {r['build_s']:>8.2f} {r['size_mb']:>6.1f} {opened}")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps({"store": str(store_dir), "results": results}, indent=2), encoding="utf-8")
    print(f"wrote {json_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
