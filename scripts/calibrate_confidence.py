#!/usr/bin/env python3
"""Calibrate the extractor's confidence: each record's confidence is the strict precision, measured
on the development gold, of the path that produced it (issue 15 §4).

The records of every tuned gold file (tests/gold, less the held-out batch below) are marked right
when their strict key (actor, coarse class, targets) is one of the document's gold keys. Precision
is counted per (path, class), backed off to the path and then to all records, with a prior of
``PRIOR`` records at the backed-off precision so a rare path does not claim 0 or 1:

    estimate = (right + PRIOR × backoff) / (records + PRIOR)

- the table written to ``graph/data/confidence.yaml`` (which the extractor reads) is fit on all the
  tuned documents;
- the reliability table (confidence bins against observed precision) is honest: on the tuned
  documents each one's records get the confidence of a table fit without it (leave one document
  out), and the held-out batch is scored with the table fit on the tuned documents;
- for each threshold the strict P/R/F1 (scored as scripts/evaluate_extraction.py scores) of the
  records at or above it, on both; the proposed ``--min-confidence`` is the lowest threshold at
  which tuned (leave-one-out) strict precision reaches ``--target`` (0.80).

    python scripts/calibrate_confidence.py                       # write the table, print the report
    python scripts/calibrate_confidence.py --dry-run --json test-output/calibration.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OUT = ROOT / "graph" / "data" / "confidence.yaml"
#: The newest blind batch (the sixteenth, 2026-12-06; tests/gold/README.md), scored once on
#: arrival with extractor 0.4.12: kept out of calibration, to check it on.
HELD_OUT = frozenset({
    "bbc-trump-kim-call-each-other-mad", "cnn-aqap-claims-charlie-hebdo",
    "cnn-haley-un-prepared-to-do-more", "cnn-kerry-isis-genocide-yazidis",
    "cnn-unga-five-things-syria-iran", "csmonitor-trump-kim-summit-cautious-hope",
    "fox-kerry-iran-deal-safer-world", "fox-north-korea-rocket-launch-defiant",
    "hotair-canada-arrests-huawei-cfo", "newsmax-obama-presses-putin-ukraine-deal",
    "reuters-china-seethes-north-korea-sidelines", "reuters-hong-kong-protesters-storm-legislature",
    "usatoday-kerry-defends-un-abstention", "washingtontimes-fusion-gps-simpson-fifth",
    "washingtontimes-obama-taps-hagel-brennan",
})
PRIOR = 5.0
BINS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)


def _evaluation() -> Any:
    spec = importlib.util.spec_from_file_location("evaluate_extraction", ROOT / "scripts" / "evaluate_extraction.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate_extraction"] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Scored:
    """One document: its gold, its text, its records and whether each is strictly right."""

    name: str
    gold: dict[str, Any]
    text: str
    records: list[Any]
    right: list[bool]


def read_documents(ev: Any, shared: Path) -> tuple[list[Scored], list[Scored]]:
    """Extract every gold document; (tuned, held out)."""
    from graph.extract import Extractor
    from graph.store import Store

    store = Store.bundled()
    extractor = Extractor.from_store(store)
    names = ev.Names(store, extractor.gaz)
    tuned: list[Scored] = []
    held: list[Scored] = []
    for path in sorted((ROOT / "tests" / "gold").glob("*.gold.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = ev.load_document(gold, shared)
        found = extractor.extract(doc)
        keys = {(names.key(g["actor"]), g["stance"], frozenset(names.key(t) for t in g.get("targets") or [])) for g in gold.get("reactions") or []}
        right = [(names.key(r.actor_iri), r.stance_class, frozenset(names.key(t) for t in r.target_iris)) in keys for r in found]
        name = path.name.removesuffix(".gold.yaml")
        (held if name in HELD_OUT else tuned).append(Scored(name, gold, doc.text, found, right))
    return tuned, held


def fit(documents: list[Scored]) -> dict[str, Any]:
    """The table: smoothed strict precision per path and class, per path, and overall."""
    by_key: Counter = Counter()
    right_key: Counter = Counter()
    by_path: Counter = Counter()
    right_path: Counter = Counter()
    total = right = 0
    for d in documents:
        for r, ok in zip(d.records, d.right):
            by_key[(r.path, r.stance_class)] += 1
            right_key[(r.path, r.stance_class)] += ok
            by_path[r.path] += 1
            right_path[r.path] += ok
            total += 1
            right += ok
    overall = right / total if total else 0.5
    paths = {p: (right_path[p] + PRIOR * overall) / (n + PRIOR) for p, n in by_path.items()}
    classes = {
        f"{p} {c}": (right_key[(p, c)] + PRIOR * paths[p]) / (n + PRIOR) for (p, c), n in by_key.items()
    }
    return {"overall": overall, "paths": paths, "classes": classes, "counts": {p: [right_path[p], n] for p, n in by_path.items()}}


def confidence(table: dict[str, Any], path: str, coarse: str) -> float:
    """As the extractor looks it up (graph.extract.Calibration)."""
    return table["classes"].get(f"{path} {coarse}", table["paths"].get(path, table["overall"]))


def reliability(pairs: list[tuple[float, bool]]) -> list[dict[str, Any]]:
    rows = []
    for lo, hi in zip(BINS, BINS[1:]):
        inside = [ok for c, ok in pairs if lo <= c < hi]
        mean = sum(c for c, _ in pairs if lo <= c < hi) / len(inside) if inside else None
        rows.append({"bin": f"{lo:.1f}-{min(hi, 1.0):.1f}", "records": len(inside),
                     "mean_confidence": round(mean, 3) if mean is not None else None,
                     "observed_precision": round(sum(inside) / len(inside), 3) if inside else None})
    return rows


def scores_at(ev: Any, documents: list[Scored], confidences: list[list[float]], threshold: float, names: Any) -> dict[str, Any]:
    """Strict and lenient micro P/R/F1 of the records at or above ``threshold``, as the evaluation scores."""
    totals = {"strict": Counter(), "lenient": Counter()}
    for d, conf in zip(documents, confidences):
        kept = [r for r, c in zip(d.records, conf) if c >= threshold]
        counts = ev.score_document(d.gold, kept, d.text, names)
        for mode in totals:
            totals[mode].update(counts[mode])
    return {mode: ev.prf(totals[mode]) | {"tp": totals[mode]["tp"]} for mode in totals}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--target", type=float, default=0.80, help="Strict precision the proposed threshold must reach.")
    parser.add_argument("--dry-run", action="store_true", help="Print the report; do not rewrite graph/data/confidence.yaml.")
    parser.add_argument("--json", type=Path, help="Also write the report as JSON here.")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"calibrate_confidence: needs the shared folder (looked in {args.shared})", file=sys.stderr)
        return 2
    ev = _evaluation()
    from graph.extract import EXTRACTOR_VERSION, Extractor
    from graph.store import Store

    tuned, held = read_documents(ev, args.shared)
    table = fit(tuned)
    # Leave one document out: each tuned document's confidences from a table fit on the others.
    loo = []
    for i, d in enumerate(tuned):
        other = fit(tuned[:i] + tuned[i + 1 :])
        loo.append([confidence(other, r.path, r.stance_class) for r in d.records])
    held_conf = [[confidence(table, r.path, r.stance_class) for r in d.records] for d in held]

    print(f"per path (tuned, {len(tuned)} documents): strict precision, smoothed with {PRIOR:g} records at the overall {table['overall']:.3f}")
    print(f"  {'path':22} {'right':>6} {'records':>8} {'estimate':>9}")
    for p, (ok, n) in sorted(table["counts"].items(), key=lambda x: -x[1][1]):
        print(f"  {p:22} {ok:>6} {n:>8} {table['paths'][p]:>9.3f}")

    report: dict[str, Any] = {"extractor": EXTRACTOR_VERSION, "method": "leave-one-document-out on the tuned gold; held-out batch scored with the table fit on all tuned documents",
                              "table": table, "reliability": {}, "thresholds": {}}
    for split, docs, conf in (("tuned (leave-one-out)", tuned, loo), ("held out", held, held_conf)):
        pairs = [(c, ok) for d, cs in zip(docs, conf) for c, ok in zip(cs, d.right)]
        rows = reliability(pairs)
        report["reliability"][split] = rows
        print(f"\nreliability, {split}: {len(pairs)} records")
        print(f"  {'confidence':12} {'records':>8} {'mean conf':>10} {'observed P':>11}")
        for row in rows:
            mean = f"{row['mean_confidence']:.3f}" if row["mean_confidence"] is not None else "—"
            obs = f"{row['observed_precision']:.3f}" if row["observed_precision"] is not None else "—"
            print(f"  {row['bin']:12} {row['records']:>8} {mean:>10} {obs:>11}")

    store = Store.bundled()
    names = ev.Names(store, Extractor.from_store(store).gaz)
    thresholds = sorted({round(c, 2) for cs in loo for c in cs} | {0.0})
    print("\nkeeping records at or above a threshold: strict P / R / F1 (lenient F1)")
    print(f"  {'min conf':>8}   {'tuned (leave-one-out)':28} {'held out':28}")
    proposed = None
    for t in thresholds:
        a = scores_at(ev, tuned, loo, t, names)
        b = scores_at(ev, held, held_conf, t, names)
        report["thresholds"][f"{t:.2f}"] = {"tuned": a, "held_out": b}
        print(f"  {t:>8.2f}   {a['strict']['precision']:.3f} / {a['strict']['recall']:.3f} / {a['strict']['f1']:.3f} ({a['lenient']['f1']:.3f})"
              f"      {b['strict']['precision']:.3f} / {b['strict']['recall']:.3f} / {b['strict']['f1']:.3f} ({b['lenient']['f1']:.3f})")
        if proposed is None and a["strict"]["precision"] >= args.target and a["strict"]["tp"] > 0:
            proposed = t
    base = report["thresholds"]["0.00"]
    if proposed is None:
        print(f"\nno threshold reaches strict precision {args.target} on the tuned gold: no default proposed")
    else:
        at = report["thresholds"][f"{proposed:.2f}"]
        print(f"\nproposed --min-confidence {proposed:.2f}: tuned strict P {at['tuned']['strict']['precision']:.3f}, recall "
              f"{base['tuned']['strict']['recall']:.3f} -> {at['tuned']['strict']['recall']:.3f}; held out strict P "
              f"{at['held_out']['strict']['precision']:.3f}, recall {base['held_out']['strict']['recall']:.3f} -> {at['held_out']['strict']['recall']:.3f}")
    report["proposed_min_confidence"] = proposed
    if not args.dry_run:
        data = {
            "extractor": EXTRACTOR_VERSION,
            "method": f"strict precision on {len(tuned)} tuned dev gold documents (tests/gold less the newest blind batch, HELD_OUT), "
                      f"smoothed with {PRIOR:g} records at the backed-off precision; written by scripts/calibrate_confidence.py",
            "overall": round(table["overall"], 3),
            "paths": {p: round(v, 3) for p, v in sorted(table["paths"].items())},
            "classes": {k: round(v, 3) for k, v in sorted(table["classes"].items())},
        }
        OUT.write_text("# Confidence per extraction path: measured strict precision (see the method line).\n"
                       + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
