"""How fast extraction runs, and whether its memory stays flat as the corpus grows.

Articles are real news texts from ../shared/corpus (the AllSides international subset and the
Daily Mail posts), cut at a paragraph boundary to about ``--size`` characters (default 5,000),
cycled to make corpora of 1,000 and 10,000 articles. Each run is a fresh process so peak RSS is its
own. Per corpus size:

- ``words``   only reads each article and splits it into words (the floor of touching every word);
- ``flat``    extraction with parsing switched off (the flat rules alone);
- ``extract`` extraction with parsing, on one core, 16 documents at a time as ``diplo ingest``
  runs it (``Extractor.extract_many``);
- ``jobs1``, ``jobs2``  the same through ``graph.ingest.extracted`` (what ``diplo ingest --jobs N``
  runs; the model loaded once before the workers fork);

The parser is loaded before the clock starts (once per process, as ``diplo ingest`` loads it):
its load time is a column of its own. And, for the smallest corpus, ``diplo ingest`` writing into
an on-disk store, start-up included. Rates are per
wall-clock second and per CPU second (the process's and its workers': fair when others share the
machine). With ``--against REF`` the extracting runs and the ingest are repeated with the package as
it was at git revision REF (its ``graph/`` exported to a temporary folder), in the same invocation,
and each figure is also given as a ratio to that baseline.

    nice -n 10 python scripts/bench_extract.py                     # 1k and 10k articles
    nice -n 10 python scripts/bench_extract.py --sizes 300 --against main --json test-output/bench_extract.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def articles(size: int) -> list[str]:
    """Real article texts cut to about ``size`` characters at a paragraph end."""
    from graph.documents import Document, read_inputs

    sources = [
        SHARED / "corpus" / "allsides-article-bias" / "international_reactions.jsonl",
        SHARED / "corpus" / "finescoop-dailymail-2020" / "posts",
    ]
    out = []
    for doc in read_inputs([str(s) for s in sources if s.exists()]):
        if not isinstance(doc, Document) or len(doc.text) < size * 0.8:
            continue
        cut = doc.text.rfind("\n", 0, size)
        out.append(doc.text[: cut if cut > size * 0.6 else size])
    if not out:
        raise SystemExit(f"bench_extract: no articles under {SHARED / 'corpus'}")
    return out


MODES = ("words", "flat", "extract", "jobs1", "jobs2")


def run_one(count: int, size: int, mode: str) -> dict[str, float]:
    """In this process: extract (or just split) ``count`` articles as ``mode`` says; time and peak RSS."""
    from datetime import date

    import graph.extract as extract_module
    from graph.documents import Document
    from graph.extract import Extractor
    from graph.store import Store

    texts = articles(size)
    docs = [Document(name=f"a{i}", text=texts[i % len(texts)], published=date(2020, 7, 14)) for i in range(count)]
    extractor = Extractor.from_store(Store.bundled()) if mode != "words" else None
    if mode == "flat":
        extract_module.parse_where = lambda sentences, holds, **_: [None] * len(sentences)  # type: ignore[attr-defined]
    words = re.compile(r"\w+")
    found = 0
    # The parser loads once per process (as diplo ingest loads it): timed apart, not per article.
    load_cpu, load_start = time.process_time(), time.perf_counter()
    if mode in ("extract", "jobs1", "jobs2"):
        from graph.parse import pipeline

        pipeline()
    load = {"load_seconds": time.perf_counter() - load_start, "load_cpu_seconds": time.process_time() - load_cpu}
    cpu0, start = time.process_time(), time.perf_counter()
    if extractor is None:
        found = sum(len(words.findall(d.text.lower())) for d in docs)
    elif mode.startswith("jobs"):
        from graph.ingest import extracted

        found = sum(len(got) for _, got in extracted(extractor, iter(docs), int(mode[4:])))
    elif hasattr(extractor, "extract_many"):  # what diplo ingest runs: sentences parsed in batches
        found = sum(len(got) for _, got in extractor.extract_many(docs))
    else:
        found = sum(len(extractor.extract(d)) for d in docs)
    elapsed = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu0 + children.ru_utime + children.ru_stime
    rss_mb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children.ru_maxrss) / 1024
    return {"articles": count, "seconds": elapsed, "per_second": count / elapsed, "cpu_seconds": cpu,
            "per_cpu_second": count / cpu, "mean_chars": sum(len(d.text) for d in docs) / count,
            "found": found, "peak_rss_mb": rss_mb, **load}


def run_ingest(count: int, size: int, env: dict[str, str]) -> dict[str, float]:
    """`diplo ingest` of ``count`` article files into a new on-disk store (extraction + writing)."""
    texts = articles(size)
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        folder = Path(tmp) / "news"
        folder.mkdir()
        for i in range(count):
            (folder / f"a{i:05d}.txt").write_text(f"{texts[i % len(texts)]}\n\n(copy {i})", encoding="utf-8")
        store = Path(tmp) / "store"
        diplo = [sys.executable, "-m", "graph"]
        # Run from the temporary folder: "python -m" puts the working directory first on the path.
        subprocess.run([*diplo, "init", str(store)], check=True, capture_output=True, env=env, cwd=tmp)
        start = time.perf_counter()
        done = subprocess.run([*diplo, "--store", str(store), "ingest", str(folder)], check=True, capture_output=True,
                              text=True, env=env, cwd=tmp)
        elapsed = time.perf_counter() - start
    return {"articles": count, "seconds": elapsed, "per_second": count / elapsed, "summary": done.stderr.strip().splitlines()[-1]}


def export(ref: str, folder: Path) -> Path:
    """The package's ``graph/`` as it was at git revision ``ref``, written under ``folder``."""
    # graph/ontology links to the top-level ontology/: both are needed.
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, "graph", "ontology"], capture_output=True)
    if archive.returncode != 0:
        raise SystemExit(f"bench_extract: --against {ref}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="Corpus sizes (articles).")
    parser.add_argument("--size", type=int, default=5000, help="Characters per article (about).")
    parser.add_argument("--against", metavar="REF", help="Also run the package as it was at this git revision.")
    parser.add_argument("--json", type=Path, default=Path("test-output/bench_extract.json"))
    parser.add_argument("--child", nargs=2, metavar=("COUNT", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(int(args.child[0]), args.size, args.child[1])))
        return 0
    if not (SHARED / "corpus").is_dir():
        print(f"bench_extract: needs ../shared/corpus (looked in {SHARED})", file=sys.stderr)
        return 2
    rows = []
    ingests = []
    with tempfile.TemporaryDirectory(prefix="bench-extract-code-") as tmp:
        codes = {"current": dict(os.environ)}
        if args.against:
            # The exported package comes first on the path, before the installed (editable) one.
            codes[args.against] = dict(os.environ, PYTHONPATH=os.pathsep.join([str(export(args.against, Path(tmp))), str(ROOT / "scripts")]))
        for count in args.sizes:
            for code, env in codes.items():
                for mode in MODES if code == "current" else MODES[2:]:
                    out = subprocess.run([sys.executable, __file__, "--size", str(args.size), "--child", str(count), mode],
                                         check=True, capture_output=True, text=True, env=env)
                    rows.append({"code": code, "mode": mode, **json.loads(out.stdout)})
        for code, env in codes.items():
            ingests.append({"code": code, **run_ingest(min(args.sizes), args.size, env)})
    base = {(r["articles"], r["mode"]): r for r in rows if r["code"] == args.against}
    print(f"{'code':10} {'run':8} {'articles':>8} {'chars':>6} {'art/s wall':>10} {'art/s cpu':>9} {'vs base':>7} "
          f"{'peak RSS MB':>11} {'found':>7} {'load s':>6}")
    for r in rows:
        b = base.get((r["articles"], r["mode"]))
        ratio = f"{r['per_cpu_second'] / b['per_cpu_second']:.2f}x" if b else ""
        print(f"{r['code']:10} {r['mode']:8} {r['articles']:>8} {r['mean_chars']:>6.0f} {r['per_second']:>10.1f} "
              f"{r['per_cpu_second']:>9.1f} {ratio:>7} {r['peak_rss_mb']:>11.0f} {r['found']:>7} {r.get('load_seconds', 0):>6.1f}")
    for i in ingests:
        ratio = f" = {i['per_second'] / ingests[-1]['per_second']:.2f}x the baseline's" if len(ingests) > 1 and i is not ingests[-1] else ""
        print(f"ingest {i['code']:10} {i['articles']:>6} articles {i['per_second']:>6.1f}/s wall{ratio}   ({i['summary']})")
    for code in codes:
        by = {(r["articles"], r["mode"]): r for r in rows if r["code"] == code}
        for count in args.sizes:
            one, two = by[(count, "jobs1")], by[(count, "jobs2")]
            print(f"{code}: --jobs 2 vs 1 at {count} articles: wall {two['per_second'] / one['per_second']:.2f}x, "
                  f"CPU per article {one['per_cpu_second'] / two['per_cpu_second']:.2f}x")
    if len(args.sizes) > 1:
        ext = [r for r in rows if r["code"] == "current" and r["mode"] == "extract"]
        print(f"peak RSS {ext[-1]['articles']} vs {ext[0]['articles']} articles: {ext[-1]['peak_rss_mb'] / ext[0]['peak_rss_mb']:.2f}x")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          "vs base: CPU rate against the same run of the baseline code")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"against": args.against, "runs": rows, "ingest": ingests}, indent=2), encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
