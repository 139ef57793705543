#!/usr/bin/env python3
"""Why the extractor misses gold reactions: does the lexicon even know a cue where they are?

For every gold record no extracted record matches leniently (same actor and coarse class), the
sentences holding its evidence span are looked at and the first cause that applies is counted:

- ``evidence not in text``: the span isn't verbatim in the document (nothing to look at);
- ``headline``: the sentence looks like a heading and is skipped whole;
- ``no cue``: the lexicon knows no cue in those sentences;
- ``cue of other class only``: there are cues, none of the gold's coarse class;
- ``cue negated``: a cue of the right class, but a negation before it cancels it;
- ``no record from sentence``: a cue of the right class and nothing extracted there (actor not
  found, or a filter dropped it);
- ``record, other actor``: a record of the right class there, given to someone else;
- ``record, other class``: a record of the gold's actor there, of another class.

Each row also says how many of those sentences were candidates for parsing (a cue and a name).
Prints a table and writes JSON (``--json``) with every case, so the next person can rerun it.

    python scripts/cue_coverage.py                       # tests/gold
    python scripts/cue_coverage.py tests/gold ../shared/eval/seed.gold.yaml --json test-output/cue_coverage.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate_extraction import SHARED, ROOT, Names, gold_files, load_document  # noqa: E402

from graph.extract import Extractor, _headline, _negated, split_sentences  # noqa: E402
from graph.store import Store  # noqa: E402

CAUSES = (
    "evidence not in text", "headline", "no cue", "cue of other class only", "cue negated",
    "no record from sentence", "record, other actor", "record, other class",
)


def cover(files: list[Path], shared: Path) -> dict[str, Any]:
    store = Store.bundled()
    ex = Extractor.from_store(store)
    names = Names(store, ex.gaz)
    cases: list[dict[str, Any]] = []
    total = 0
    for path in files:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = load_document(gold, shared)
        text = doc.text
        found = ex.extract(doc)
        sentences = split_sentences(text)
        have = Counter((names.key(r.actor_iri), r.stance_class) for r in found)
        for g in gold.get("reactions") or []:
            total += 1
            k = (names.key(g["actor"]), g["stance"])
            if have[k] > 0:
                have[k] -= 1
                continue
            case = {"gold": path.name, "actor": g["actor"], "class": g["stance"], "evidence": g.get("evidence", "")}
            cases.append(case)
            at = text.find(case["evidence"]) if case["evidence"] else -1
            if at < 0:
                case["cause"] = "evidence not in text"
                continue
            end = at + len(case["evidence"])
            held = [s for s in sentences if s.start < end and at < s.end]
            bodies = [text[s.start : s.end] for s in held]
            case["sentence"] = " ".join(bodies)[:300]
            cues = [(s, c) for s in held for c in ex.lex.cues(text[s.start : s.end])]
            classes = {ex.lex.stances[ex.lex.concept_for(c)].coarse for _, c in cues}
            case["cues"] = sorted({c.group(0) for _, c in cues})
            mentions = [m.start for m in ex.gaz.mentions(text)]
            case["parse candidate"] = any(
                cues and any(s.start <= p < s.end for p in mentions) and not _headline(text[s.start : s.end]) for s in held
            )
            there = [r for r in found if any(s.start <= r.start < s.end or r.start <= s.start < r.end for s in held)]
            right = [(s, c) for s, c in cues if ex.lex.stances[ex.lex.concept_for(c)].coarse == g["stance"]]
            if all(_headline(b) for b in bodies):
                case["cause"] = "headline"
            elif not cues:
                case["cause"] = "no cue"
            elif g["stance"] not in classes:
                case["cause"] = "cue of other class only"
            elif all(_negated(ex.lex, text, s.start, s.start + c.start()) for s, c in right):
                case["cause"] = "cue negated"
            elif any(r.stance_class == g["stance"] for r in there):
                case["cause"] = "record, other actor"
            elif any(names.key(r.actor_iri) == k[0] for r in there):
                case["cause"] = "record, other class"
            else:
                case["cause"] = "no record from sentence"
    counts = Counter(c["cause"] for c in cases)
    candidates = Counter(c["cause"] for c in cases if c.get("parse candidate"))
    by_class = Counter((c["cause"], c["class"]) for c in cases)
    return {"gold_records": total, "missed": len(cases), "causes": {k: counts.get(k, 0) for k in CAUSES},
            "parse_candidates": {k: candidates.get(k, 0) for k in CAUSES},
            "by_class": {f"{a} / {b}": n for (a, b), n in sorted(by_class.items())}, "cases": cases}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", nargs="*", type=Path, help="Gold files or folders (default: tests/gold).")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--json", type=Path, default=Path("test-output/cue_coverage.json"))
    parser.add_argument("--show", choices=CAUSES, help="Also print the cases of one cause.")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"cue_coverage: needs the shared folder (looked for {args.shared})", file=sys.stderr)
        return 2
    report = cover(gold_files(args.gold or [ROOT / "tests" / "gold"]), args.shared)
    print(f"{report['missed']} of {report['gold_records']} gold records have no lenient match\n")
    print(f"{'cause':28} {'missed':>7} {'share':>7} {'parsed':>7}")
    for k in CAUSES:
        n = report["causes"][k]
        print(f"{k:28} {n:>7} {n / max(1, report['missed']):>7.1%} {report['parse_candidates'][k]:>7}")
    if args.show:
        for c in report["cases"]:
            if c["cause"] == args.show:
                print(f"\n{c['gold']}: {c['actor']} {c['class']} cues={c.get('cues')}\n  {c.get('sentence', c['evidence'])[:300]}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
