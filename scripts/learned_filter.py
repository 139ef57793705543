"""Whether a learned filter over the extractor's records separates right ones from wrong ones
better than the per-path confidence table (issue 15, §4). An experiment: nothing in the
package uses it.

Every gold article is extracted (as ``calibrate_confidence.py`` does). Each record gets a few
features: its path, class, path and class together, fine stance and cue; whether it has targets
and how many; speaker and quote; the path table's confidence; where it lies in the text; how many
records the article gives and what share of them its actor has; a modal word or the words of a
report in its evidence. A logistic regression (L2, Newton steps, numpy) says how likely the
record is strictly right. It is scored two ways:

- on the tuned articles by 10-fold cross-validation, each fold a set of whole articles;
- on the held-out articles with the model fit on all tuned ones.

Prints a reliability table per set (probability bins against observed strict precision) and
strict P / R / F1 when only records at or above a threshold are kept. The same table for the
path confidences comes from ``calibrate_confidence.py --dry-run``.

    python scripts/learned_filter.py                                  # held out: calibrate's HELD_OUT
    python scripts/learned_filter.py --held-out tests/gold/a.gold.yaml tests/gold/b.gold.yaml ...
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))  # calibrate_confidence: its reading and scoring of the gold

_MODAL = re.compile(r"\b(?:would|could|might|should|may|if|whether|unless)\b", re.IGNORECASE)
_REPORT = re.compile(r"\b(?:said|says|told|according to|statement)\b", re.IGNORECASE)
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def features(document: Any, record: Any) -> dict[str, float]:
    """One record's features (names to values), from the record and its article."""
    text, records = document.text, document.records
    actors = Counter(r.actor_iri for r in records)
    found = {
        "bias": 1.0,
        f"path={record.path}": 1.0,
        f"class={record.stance_class}": 1.0,
        f"path+class={record.path}|{record.stance_class}": 1.0,
        f"stance={record.stance.rsplit('/', 1)[-1]}": 1.0,
        "no target": float(not record.target_iris),
        "targets": min(len(record.target_iris), 4) / 4,
        "speaker": float(record.speaker is not None),
        "quote": float(record.quote is not None),
        "path confidence": record.confidence,
        "position": record.start / max(len(text), 1),
        "records in article": min(len(records), 40) / 40,
        "actor's share": actors[record.actor_iri] / len(records),
        "modal": float(bool(_MODAL.search(record.evidence))),
        "report": float(bool(_REPORT.search(record.evidence))),
        "evidence length": min(len(record.evidence), 400) / 400,
        "article length": min(len(text), 20_000) / 20_000,
    }
    if record.cue:
        found[f"cue={record.cue.lower()}"] = 1.0
    return found


def matrix(documents: list[Any], names: dict[str, int] | None = None) -> tuple[Any, Any, list[int], dict[str, int]]:
    """Features as a matrix (names seen at least three times in the tuned set), the labels,
    each row's article, and the feature names."""
    import numpy as np

    rows, labels, articles = [], [], []
    for k, d in enumerate(documents):
        for record, right in zip(d.records, d.right):
            rows.append(features(d, record))
            labels.append(float(right))
            articles.append(k)
    if names is None:
        seen = Counter(name for row in rows for name in row)
        names = {name: j for j, name in enumerate(sorted(n for n, c in seen.items() if c >= 3))}
    x = np.zeros((len(rows), len(names)))
    for i, row in enumerate(rows):
        for name, value in row.items():
            if name in names:
                x[i, names[name]] = value
    return x, np.array(labels), articles, names


def fit(x: Any, y: Any, l2: float) -> Any:
    """Logistic regression weights by Newton's method with an L2 penalty."""
    import numpy as np

    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + l2 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def per_article(documents: list[Any], probabilities: Any) -> list[list[float]]:
    out, at = [], 0
    for d in documents:
        out.append([float(p) for p in probabilities[at : at + len(d.records)]])
        at += len(d.records)
    return out


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--held-out", type=Path, nargs="*", metavar="GOLD", help="Gold files to hold out (default: calibrate_confidence's HELD_OUT).")
    parser.add_argument("--l2", type=float, default=3.0, help="The penalty on the weights.")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"learned_filter: needs the shared folder (looked in {args.shared})", file=sys.stderr)
        return 2
    import calibrate_confidence as cal

    if args.held_out:
        cal.HELD_OUT = frozenset(p.name.removesuffix(".gold.yaml") for p in args.held_out)
    ev = cal._evaluation()
    tuned, held = cal.read_documents(ev, args.shared)
    if not held:
        print("learned_filter: no held-out gold file found", file=sys.stderr)
        return 2
    x, y, articles, names = matrix(tuned)
    xh, yh, _, _ = matrix(held, names)

    order = list(range(len(tuned)))
    random.Random(7).shuffle(order)
    fold = {article: k % 10 for k, article in enumerate(order)}
    cross = np.zeros(len(y))
    for k in range(10):
        train = np.array([fold[a] != k for a in articles])
        cross[~train] = 1 / (1 + np.exp(-x[~train] @ fit(x[train], y[train], args.l2)))
    weights = fit(x, y, args.l2)
    heldp = 1 / (1 + np.exp(-xh @ weights))

    from graph.extract import Extractor
    from graph.store import Store

    store = Store.bundled()
    gazetteer_names = ev.Names(store, Extractor.from_store(store).gaz)
    report: dict[str, Any] = {"tuned_articles": len(tuned), "held_out_articles": len(held), "features": len(names), "thresholds": {}}
    print(f"{len(tuned)} tuned articles ({len(y)} records), {len(held)} held out ({len(yh)}), {len(names)} features")
    report["reliability"] = {"tuned": cal.reliability(list(zip(cross, y))), "held_out": cal.reliability(list(zip(heldp, yh)))}
    print(f"reliability: {'probability':12} {'tuned (10-fold)':>20} {'held out':>20}  (records / strict precision)")
    for a, b in zip(report["reliability"]["tuned"], report["reliability"]["held_out"]):
        shown = [f"{r['records']:>6} / {r['observed_precision'] if r['records'] else '—'}" for r in (a, b)]
        print(f"             {a['bin']:12} {shown[0]:>20} {shown[1]:>20}")
    print("keeping records at or above a probability: strict P / R / F1 (lenient F1)")
    for t in THRESHOLDS:
        a = cal.scores_at(ev, tuned, per_article(tuned, cross), t, gazetteer_names)
        b = cal.scores_at(ev, held, per_article(held, heldp), t, gazetteer_names)
        report["thresholds"][f"{t:.1f}"] = {"tuned": a, "held_out": b}
        print(f"  {t:.1f}   {a['strict']['precision']:.3f} / {a['strict']['recall']:.3f} / {a['strict']['f1']:.3f} ({a['lenient']['f1']:.3f})"
              f"     {b['strict']['precision']:.3f} / {b['strict']['recall']:.3f} / {b['strict']['f1']:.3f} ({b['lenient']['f1']:.3f})")
    by_name = {j: name for name, j in names.items()}
    ranked = np.argsort(weights)
    print("weights, lowest:", ", ".join(f"{by_name[j]} {weights[j]:.2f}" for j in ranked[:8]))
    print("weights, highest:", ", ".join(f"{by_name[j]} {weights[j]:.2f}" for j in ranked[-8:]))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
