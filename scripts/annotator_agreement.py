#!/usr/bin/env python3
"""How far two annotators of the same texts agree, and how far the extractor agrees with each: the
ceiling for the blind scores of tests/gold/README.md, measured on the texts those scores come from.

For every gold file of SECOND, the file of FIRST with the same ``document`` and ``record`` is
found. SECOND's reactions are scored against FIRST's exactly as scripts/evaluate_extraction.py scores
the extractor's records (strict and lenient precision, recall and F1, speaker accuracy), and the
extractor is scored against each annotation. Agreement is symmetric in F1: precision one way is
recall the other.

    python scripts/annotator_agreement.py tests/gold tests/gold/second
    python scripts/annotator_agreement.py tests/gold tests/gold/second --json test-output/agreement.json
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

import evaluate_extraction as ev  # noqa: E402
from graph.extract import Extracted, Extractor  # noqa: E402
from graph.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def annotated(gold: dict[str, Any], text: str) -> list[Extracted]:
    """A gold file's reactions as the extractor's records (names stand for IRIs and the class for the
    stance: the scorer resolves names and reads only the class)."""
    out = []
    for r in gold.get("reactions") or []:
        evidence = r.get("evidence") or ""
        at = max(text.find(evidence), 0) if evidence else 0
        targets = list(r.get("targets") or [])
        out.append(Extracted(r["actor"], r["actor"], r["stance"], r["stance"], r["stance"], targets, targets, evidence, at, at + len(evidence),
                             speaker=r.get("speaker")))
    return out


def _key(gold: dict[str, Any]) -> tuple[str, str]:
    return gold["document"], str(gold.get("record"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="the first annotation: a folder of gold files (or files)")
    parser.add_argument("second", type=Path, help="the second annotation of some of the same texts")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder the documents are in")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    store = Store.bundled()
    extractor = Extractor.from_store(store)
    names = ev.Names(store, extractor.gaz)
    first = {_key(g): (p, g) for p in ev.gold_files([args.first]) for g in [yaml.safe_load(p.read_text(encoding="utf-8"))]}
    pairs = ("second vs first", "extractor vs first", "extractor vs second")
    totals = {pair: {"strict": Counter(), "lenient": Counter(), "speaker": Counter()} for pair in pairs}
    rows = []
    seconds = ev.gold_files([args.second])
    if not seconds:
        raise SystemExit(f"{args.second}: no gold files")
    for path in seconds:
        b = yaml.safe_load(path.read_text(encoding="utf-8"))
        if _key(b) not in first:
            raise SystemExit(f"{path}: no file of {args.first} annotates {b['document']} record {b.get('record')}")
        a_path, a = first[_key(b)]
        doc = ev.load_document(a, args.shared)
        found = extractor.extract(doc)
        scored = {
            "second vs first": ev.score_document(a, annotated(b, doc.text), doc.text, names),
            "extractor vs first": ev.score_document(a, found, doc.text, names),
            "extractor vs second": ev.score_document(b, found, doc.text, names),
        }
        for pair, result in scored.items():
            for mode in ("strict", "lenient"):
                totals[pair][mode].update(result[mode])
            totals[pair]["speaker"].update(result["speaker"])
        rows.append((a_path.name.removesuffix(".gold.yaml"), len(a.get("reactions") or []), len(b.get("reactions") or []),
                     {pair: ev.prf(result["strict"])["f1"] for pair, result in scored.items()}))
    print(f"{'document':48} {'first':>5} {'second':>6}   strict F1: {'2nd vs 1st':>10} {'ext vs 1st':>10} {'ext vs 2nd':>10}")
    for name, n_a, n_b, f1 in rows:
        print(f"{name[:48]:48} {n_a:>5} {n_b:>6}   {'':10} {f1[pairs[0]]:>10.3f} {f1[pairs[1]]:>10.3f} {f1[pairs[2]]:>10.3f}")
    report = {}
    print(f"\n{len(rows)} documents; {'':22} strict P / R / F1          lenient P / R / F1       speaker")
    for pair in pairs:
        s, le, sp = ev.prf(totals[pair]["strict"]), ev.prf(totals[pair]["lenient"]), totals[pair]["speaker"]
        speaker = sp["right"] / sp["judged"] if sp["judged"] else None
        report[pair] = {"strict": s, "lenient": le, "speaker": speaker, "speakers judged": sp["judged"]}
        print(f"  {pair:30} {s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f}      {le['precision']:.3f} / {le['recall']:.3f} / {le['f1']:.3f}"
              f"      {'—' if speaker is None else f'{speaker:.3f}'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"documents": len(rows), "scores": report}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
