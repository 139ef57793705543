"""What parsing costs on top of extraction, against the parse code before the speed work, on one core
and with ``--jobs 2``.

Articles are the real news texts of scripts/bench_extract.py (AllSides international subset and Daily
Mail posts from ../shared/corpus, cut at a paragraph to about ``--size`` characters, cycled). Every
run is a fresh process (its own peak RSS and model load), with the environment's thread settings:

- ``extract``      extraction with parsing switched off (``parse_where`` answers None for every
                   sentence): the cost without the parser;
- ``baseline``     extraction + parsing with graph/parse.py as it was at ``--baseline-ref`` (the
                   code before the speed work), same model, same sentences;
- ``parse``        extraction + parsing with the current graph/parse.py;
- ``cue|actor``    the current code, with the pre-filter widened to sentences with a gazetteer
                   mention too (what the issue's wider pre-filter would cost);
- ``jobs1``, ``jobs2``  the current code through ``graph.ingest.extracted`` (what ``diplo ingest
                   --jobs N`` runs), the model loaded once before the workers fork;
- ``jobs2-each``   the same with 2 workers that each load their own model instead.

If the extractor parses by itself (graph.extract calls ``parse_where``) its own pre-filter chooses
the sentences; otherwise this script parses what it would: sentences with a cue of the lexicon.
Rates are per CPU second of the process (``time.process_time``: fair when other jobs share the
machine) and per wall-clock second; ``--jobs`` runs count the CPU of their workers too and report
the peak summed PSS of all processes (shared model pages counted once).

    nice -n 10 python scripts/bench_parse.py --articles 300 --repeat 3
    python scripts/bench_parse.py --model test-output/other-model   # the same with another pipeline
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: graph/parse.py before the speed work of issue 15 (one Python loop per token to preset the
#: sentence start, batches of 128).
BASELINE_REF = "5f49155"
RUNS = ("extract", "baseline", "parse", "cue|actor", "jobs1", "jobs2", "jobs2-each")


def _install_parse(source: Path | None, model: Path | None) -> Any:
    """Import graph.parse (from ``source`` instead of the package's when given) before
    graph.extract, so the extractor binds whatever is installed here; point it at ``model``."""
    import graph

    if source is None:
        from graph import parse as module
    else:
        spec = importlib.util.spec_from_file_location("graph.parse", source)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["graph.parse"] = module
        spec.loader.exec_module(module)
        graph.parse = module  # type: ignore[attr-defined]
    if model is not None:
        module.model_path = lambda: model
    return module


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_one(count: int, size: int, run: str, source: Path | None, model: Path | None) -> dict[str, Any]:
    """In this process: extract from ``count`` articles, parsing as ``run`` says; time and memory."""
    from datetime import date

    from bench_extract import articles

    parse = _install_parse(source, model)
    import graph.extract as extract_module
    from graph.documents import Document
    from graph.extract import Extractor, split_sentences
    from graph.store import Store

    texts = articles(size)
    extractor = Extractor.from_store(Store.bundled())
    own_filter = hasattr(extract_module, "parse_where")
    counts = {"sentences": 0, "parsed": 0, "tokens": 0}
    real_parse_where = parse.parse_where

    def counted(sentences: Any, holds: Any, **kwargs: Any) -> Any:
        docs = real_parse_where(sentences, holds, **kwargs)
        counts["sentences"] += len(docs)
        counts["parsed"] += sum(d is not None for d in docs)
        counts["tokens"] += sum(len(d) for d in docs if d is not None)
        return docs

    def skipped(sentences: Any, holds: Any, **kwargs: Any) -> Any:
        counts["sentences"] += len(sentences)
        return [None] * len(sentences)

    def wider(sentences: Any, holds: Any, **kwargs: Any) -> Any:
        # The extractor's own filter, widened to sentences with a gazetteer mention.
        return counted(sentences, lambda body: holds(body) or bool(extractor.gaz.mentions(body)), **kwargs)

    parse_where = {"extract": skipped, "cue|actor": wider}.get(run, counted)
    if own_filter:
        extract_module.parse_where = parse_where  # type: ignore[attr-defined]

    def cue(body: str) -> bool:
        return next(extractor.lex.cues(body), None) is not None

    own_extract = extractor.extract

    def extract(doc: Document) -> list[Any]:
        found = own_extract(doc)
        if not own_filter:
            # What the extractor does not parse by itself: its sentences, by this script's filter.
            parse_where([doc.text[s.start : s.end] for s in split_sentences(doc.text)], cue)
        return found

    extractor.extract = extract  # type: ignore[method-assign]
    docs = [Document(name=f"a{i}", text=texts[i % len(texts)], published=date(2020, 7, 14)) for i in range(count)]
    load = 0.0
    jobs = 2 if run.startswith("jobs2") else 1
    if run != "extract" and run != "jobs2-each":
        t0 = time.perf_counter()
        parse.pipeline()
        load = time.perf_counter() - t0

    found = 0
    peak_pss = 0.0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if run.startswith("jobs"):
        import multiprocessing

        from graph import ingest

        if run == "jobs2-each":
            # Workers load their own model: keep ingest from loading it before the fork.
            ingest.parse = type("NoPreload", (), {"pipeline": staticmethod(lambda: None)})  # type: ignore[attr-defined]
        for i, (_, got) in enumerate(ingest.extracted(extractor, iter(docs), jobs)):
            found += len(got)
            if i % 20 == 0:
                pids = [os.getpid(), *(p.pid for p in multiprocessing.active_children() if p.pid)]
                peak_pss = max(peak_pss, sum(_pss_mb(p) for p in pids))
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time() - cpu0 + children.ru_utime + children.ru_stime
    else:
        for doc in docs:
            found += len(extractor.extract(doc))
        cpu = time.process_time() - cpu0
        peak_pss = _pss_mb(os.getpid())
    wall = time.perf_counter() - wall0
    return {
        "run": run, "articles": count, "mean_chars": sum(len(d.text) for d in docs) / count, "found": found,
        "own_filter": own_filter, "sentences": counts["sentences"], "parsed_sentences": counts["parsed"],
        "parsed_tokens": counts["tokens"], "cpu_seconds": cpu, "wall_seconds": wall,
        "per_cpu_second": count / cpu, "per_wall_second": count / wall, "load_seconds": load,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "peak_pss_all_mb": peak_pss, "load_average": os.getloadavg(),
    }


def baseline_source(ref: str, folder: Path) -> Path | None:
    """graph/parse.py as it was at ``ref``, written into ``folder``; None if git can't show it."""
    shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:graph/parse.py"], capture_output=True, text=True)
    if shown.returncode != 0:
        print(f"bench_parse: no baseline ({shown.stderr.strip() or 'git failed'}); its row is left out", file=sys.stderr)
        return None
    path = folder / "parse_baseline.py"
    path.write_text(shown.stdout, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--size", type=int, default=5000, help="Characters per article (about).")
    parser.add_argument("--runs", nargs="+", choices=RUNS, default=list(RUNS))
    parser.add_argument("--repeat", type=int, default=1,
                        help="Rounds of all runs, interleaved; each run's fastest round is shown (others share the machine).")
    parser.add_argument("--baseline-ref", default=BASELINE_REF, help="git revision of the baseline graph/parse.py")
    parser.add_argument("--model", type=Path, help="another trained pipeline folder to parse with")
    parser.add_argument("--json", type=Path, default=Path("test-output/bench_parse.json"))
    parser.add_argument("--child", metavar="RUN", choices=RUNS, help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_one(args.articles, args.size, args.child, args.source, args.model)))
        return 0
    if not (ROOT.parent / "shared" / "corpus").is_dir():
        print(f"bench_parse: needs ../shared/corpus (looked in {ROOT.parent / 'shared'})", file=sys.stderr)
        return 2
    env = dict(os.environ)  # thread settings as the user has them: graph.parse holds OpenBLAS to one
    rounds: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-parse-") as tmp:
        old = baseline_source(args.baseline_ref, Path(tmp)) if "baseline" in args.runs else None
        for run in [r for _ in range(args.repeat) for r in args.runs]:
            if run == "baseline" and old is None:
                continue
            command = [sys.executable, __file__, "--articles", str(args.articles), "--size", str(args.size), "--child", run]
            if run == "baseline":
                command += ["--source", str(old)]
            if args.model is not None:
                command += ["--model", str(args.model.resolve())]
            out = subprocess.run(command, capture_output=True, text=True, env=env)
            if out.returncode != 0:
                print(f"bench_parse: run {run} failed:\n{out.stderr}", file=sys.stderr)
                return 1
            rounds.setdefault(run, []).append(json.loads(out.stdout))
    rows = [max(got, key=lambda r: r["per_cpu_second"]) for got in rounds.values()]
    by = {r["run"]: r for r in rows}
    ref = by.get("baseline") or by.get("parse") or rows[0]
    first = rows[0]
    model = args.model or "graph/data/parser"
    print(f"best of {args.repeat} interleaved round(s) per run (by CPU rate);", end=" ")
    print(f"{args.articles} articles of ~{first['mean_chars']:.0f} characters; model {model}; "
          f"sentences chosen by {'the extractor' if first['own_filter'] else 'this script (a cue in them)'}")
    print(f"{'run':11} {'art/s cpu':>9} {'art/s wall':>10} {'cpu vs base':>11} {'wall vs base':>12} {'parsed/art':>10} "
          f"{'tok/art':>7} {'load s':>6} {'RSS MB':>6} {'PSS all':>7} {'found':>6}")
    for r in rows:
        parsed = f"{r['parsed_sentences'] / r['articles']:.1f}/{r['sentences'] / r['articles']:.0f}" if r["sentences"] else "-"
        tokens = f"{r['parsed_tokens'] / r['articles']:.0f}" if r["parsed_tokens"] else "-"
        rss = max(r["peak_rss_mb"], r["peak_rss_worker_mb"])
        print(f"{r['run']:11} {r['per_cpu_second']:>9.1f} {r['per_wall_second']:>10.1f} "
              f"{r['per_cpu_second'] / ref['per_cpu_second']:>10.2f}x {r['per_wall_second'] / ref['per_wall_second']:>11.2f}x "
              f"{parsed:>10} {tokens:>7} {r['load_seconds']:>6.2f} {rss:>6.0f} {r['peak_pss_all_mb']:>7.0f} {r['found']:>6}")
    print(f"load average (1 min) during the runs: {min(r['load_average'][0] for r in rows):.1f}-"
          f"{max(r['load_average'][0] for r in rows):.1f} on {os.cpu_count()} cores")
    print(f"vs base: articles/s relative to the {'baseline' if 'baseline' in by else ref['run']} run of this invocation; "
          "parsed/art: sentences parsed / sentences per article; RSS: the largest single process; "
          "PSS all: peak summed over parent and workers")
    if "jobs1" in by and "jobs2" in by:
        cost = by["jobs1"]["per_cpu_second"] / by["jobs2"]["per_cpu_second"]
        print(f"--jobs 2 vs --jobs 1: wall {by['jobs2']['per_wall_second'] / by['jobs1']['per_wall_second']:.2f}x; "
              f"CPU per article {cost:.2f}x, so at most {2 / cost:.2f}x on two free cores")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"model": str(model), "baseline_ref": args.baseline_ref, "repeat": args.repeat,
                                    "runs": rows, "rounds": rounds}, indent=2),
                         encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
