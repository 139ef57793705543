"""How fast extraction runs, and whether its memory stays flat as the corpus grows.

Articles are real news texts from ../shared/corpus (the AllSides international subset and the
Daily Mail posts), cut at a paragraph boundary to about ``--size`` characters (default 5,000),
cycled to make corpora of 1,000 and 10,000 articles. Each corpus runs in a fresh process so peak
RSS is its own. Per run: articles/s for extraction on one core, the same for a baseline that only
reads each article and splits it into words (the floor of touching every word), peak RSS, and —
for the smallest corpus — `diplo ingest` writing into an on-disk store.

    python scripts/bench_extract.py                     # 1k and 10k articles
    python scripts/bench_extract.py --sizes 1000 --json test-output/bench_extract.json
"""

from __future__ import annotations

import argparse
import json
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


def run_one(count: int, size: int, mode: str) -> dict[str, float]:
    """In this process: extract (or just split) ``count`` articles; time and peak RSS."""
    from datetime import date

    from graph.documents import Document
    from graph.extract import Extractor
    from graph.store import Store

    texts = articles(size)
    extractor = Extractor.from_store(Store.bundled()) if mode == "extract" else None
    words = re.compile(r"\w+")
    start = time.perf_counter()
    found = 0
    chars = 0
    for i in range(count):
        text = texts[i % len(texts)]
        chars += len(text)
        if extractor is None:
            found += len(words.findall(text.lower()))
        else:
            found += len(extractor.extract(Document(name=f"a{i}", text=text, published=date(2020, 7, 14))))
    elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": count, "seconds": elapsed, "per_second": count / elapsed, "mean_chars": chars / count,
            "found": found, "peak_rss_mb": rss_mb}


def run_ingest(count: int, size: int) -> dict[str, float]:
    """`diplo ingest` of ``count`` article files into a new on-disk store (extraction + writing)."""
    texts = articles(size)
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        folder = Path(tmp) / "news"
        folder.mkdir()
        for i in range(count):
            (folder / f"a{i:05d}.txt").write_text(f"{texts[i % len(texts)]}\n\n(copy {i})", encoding="utf-8")
        store = Path(tmp) / "store"
        diplo = [sys.executable, "-m", "graph"]
        subprocess.run([*diplo, "init", str(store)], check=True, capture_output=True)
        start = time.perf_counter()
        done = subprocess.run([*diplo, "--store", str(store), "ingest", str(folder)], check=True, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
    return {"articles": count, "seconds": elapsed, "per_second": count / elapsed, "summary": done.stderr.strip().splitlines()[-1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="Corpus sizes (articles).")
    parser.add_argument("--size", type=int, default=5000, help="Characters per article (about).")
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
    for count in args.sizes:
        for mode in ("baseline", "extract"):
            out = subprocess.run([sys.executable, __file__, "--size", str(args.size), "--child", str(count), mode],
                                 check=True, capture_output=True, text=True)
            rows.append({"mode": mode, **json.loads(out.stdout)})
    ingest = run_ingest(min(args.sizes), args.size)
    print(f"{'run':10} {'articles':>9} {'chars':>7} {'seconds':>8} {'articles/s':>11} {'peak RSS MB':>12} {'found':>8}")
    for r in rows:
        print(f"{r['mode']:10} {r['articles']:>9} {r['mean_chars']:>7.0f} {r['seconds']:>8.2f} {r['per_second']:>11.0f} "
              f"{r['peak_rss_mb']:>12.0f} {r['found']:>8}")
    print(f"{'ingest':10} {ingest['articles']:>9} {'':>7} {ingest['seconds']:>8.2f} {ingest['per_second']:>11.0f}   ({ingest['summary']})")
    ext = [r for r in rows if r["mode"] == "extract"]
    base = {r["articles"]: r for r in rows if r["mode"] == "baseline"}
    for r in ext:
        print(f"extraction at {r['articles']} articles: {base[r['articles']]['per_second'] / r['per_second']:.1f}x the baseline's time per article")
    if len(ext) > 1:
        print(f"peak RSS {ext[-1]['articles']} vs {ext[0]['articles']} articles: {ext[-1]['peak_rss_mb'] / ext[0]['peak_rss_mb']:.2f}x")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": rows, "ingest": ingest}, indent=2), encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
