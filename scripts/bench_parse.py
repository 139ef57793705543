"""What parsing costs on top of extraction, and what parsing only the sentences that matter saves.

Articles are the real news texts of scripts/bench_extract.py (AllSides international subset and Daily
Mail posts from ../shared/corpus, cut at a paragraph to about ``--size`` characters). Each run is a
fresh process (its own peak RSS and model load), one thread:

- ``extract``        the current extractor alone (graph.extract, no parsing): the baseline;
- ``+parse cue|actor`` extraction, then the shipped parser on the sentences that hold a cue of the
                     lexicon or a gazetteer mention (what the extractor will parse);
- ``+parse cue``     the same, but only sentences with a cue;
- ``+parse all``     extraction, then the parser on every sentence.

Sentences come from the extractor's own splitter (``Extractor._sentences``) and are tested with its
own lexicon (``Lexicon.cues``) and gazetteer (``Gazetteer.mentions``). Rates are given per CPU
second of the process (``time.process_time``: one core, fair when other jobs share the machine) and
per wall-clock second. Model load time is measured in each parsing run (import of spaCy included).

    OMP_NUM_THREADS=1 nice -n 19 python scripts/bench_parse.py --articles 300
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("extract", "cue|actor", "cue", "all")


def run_one(count: int, size: int, mode: str) -> dict[str, float | int | str]:
    """In this process: extract from ``count`` articles and parse the sentences ``mode`` picks."""
    from datetime import date

    from bench_extract import articles

    from graph.documents import Document
    from graph.extract import Extractor
    from graph.store import Store

    texts = articles(size)
    extractor = Extractor.from_store(Store.bundled())
    load = 0.0
    if mode != "extract":
        from graph import parse

        t0 = time.perf_counter()
        parse.pipeline()
        load = time.perf_counter() - t0

    def holds(sentence: str) -> bool:
        if mode == "all":
            return True
        if next(extractor.lex.cues(sentence), None) is not None:
            return True
        return mode == "cue|actor" and bool(extractor.gaz.mentions(sentence))

    found = sentences = parsed = tokens = chars = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(count):
        text = texts[i % len(texts)]
        chars += len(text)
        found += len(extractor.extract(Document(name=f"a{i}", text=text, published=date(2020, 7, 14))))
        if mode == "extract":
            continue
        spans = [text[s.start : s.end].strip() for s in extractor._sentences(text)]
        docs = parse.parse_where([s for s in spans if s], holds)
        sentences += len(docs)
        parsed += sum(d is not None for d in docs)
        tokens += sum(len(d) for d in docs if d is not None)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {
        "mode": mode, "articles": count, "mean_chars": chars / count, "found": found,
        "sentences": sentences, "parsed_sentences": parsed, "parsed_tokens": tokens,
        "cpu_seconds": cpu, "wall_seconds": wall, "per_cpu_second": count / cpu, "per_wall_second": count / wall,
        "load_seconds": load, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--size", type=int, default=5000, help="Characters per article (about).")
    parser.add_argument("--json", type=Path, default=Path("test-output/bench_parse.json"))
    parser.add_argument("--child", metavar="MODE", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(args.articles, args.size, args.child)))
        return 0
    if not (ROOT.parent / "shared" / "corpus").is_dir():
        print(f"bench_parse: needs ../shared/corpus (looked in {ROOT.parent / 'shared'})", file=sys.stderr)
        return 2
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    rows = []
    for mode in MODES:
        out = subprocess.run([sys.executable, __file__, "--articles", str(args.articles), "--size", str(args.size),
                              "--child", mode], check=True, capture_output=True, text=True, env=env)
        rows.append(json.loads(out.stdout))
    base = rows[0]
    print(f"{args.articles} articles of ~{base['mean_chars']:.0f} characters, one thread")
    print(f"{'run':16} {'art/s cpu':>10} {'art/s wall':>11} {'vs extract':>11} {'sentences':>14} {'tokens':>8} "
          f"{'load s':>7} {'peak RSS MB':>12}")
    for r in rows:
        share = f"{r['parsed_sentences']}/{r['sentences']}" if r["mode"] != "extract" else "-"
        label = "extract" if r["mode"] == "extract" else f"+parse {r['mode']}"
        print(f"{label:16} {r['per_cpu_second']:>10.1f} {r['per_wall_second']:>11.1f} "
              f"{r['cpu_seconds'] / base['cpu_seconds']:>10.1f}x {share:>14} {r['parsed_tokens']:>8} "
              f"{r['load_seconds']:>7.2f} {r['peak_rss_mb']:>12.0f}")
    print("vs extract: CPU time per article relative to the extractor alone")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": rows}, indent=2), encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
