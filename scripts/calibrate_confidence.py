#!/usr/bin/env python3
"""Calibrate the extractor's confidence (issue 15 §4), from the development gold, into
``graph/data/confidence.yaml`` (read by :mod:`graph.confidence`).

The records of every tuned gold file (tests/gold, less the held-out batch below) are marked right
when their strict key (actor, coarse class, targets) is one of the document's gold keys. Two things
are fit on them:

- the **path table**: strict precision per (path, class), backed off to the path and then to all
  records, with a prior of ``PRIOR`` records at the backed-off precision so a rare path does not
  claim 0 or 1: ``estimate = (right + PRIOR × backoff) / (records + PRIOR)``;
- the **sentence model** (``graph/data/sentences.json``): a logistic regression (L2 penalty
  ``SENTENCE_L2``, L-BFGS) of whether a sentence overlaps a gold record's evidence, over
  :func:`graph.confidence.sentence_words` of every sentence of the tuned documents (the extractor's
  sentences); words and pairs seen fewer than three times are left out. Each tuned record gets its
  sentence's probability from a model fit without its document's fold;
- the **model** whose probability is each record's confidence: a logistic regression (L2 penalty
  ``L2``, Newton steps) over the features of :func:`graph.confidence.features` (path, class, cue,
  targets, speaker, quote, the path table's entry, place and share in the article, the sentence
  model's probability). Feature names seen fewer than three times in the tuned records are left out.

The reliability tables (confidence bins against observed precision) are honest: on the tuned
documents the path table is fit leaving each document out, and the model by 10-fold
cross-validation over whole documents; the held-out batch is scored with both fit on every tuned
document. For each threshold the strict P/R/F1 (scored as scripts/evaluate_extraction.py scores)
of the records at or above it; the proposed ``--min-confidence`` is the lowest threshold at which
the cross-validated strict precision reaches ``--target`` (0.80).

    python scripts/calibrate_confidence.py                       # write the file, print the report
    python scripts/calibrate_confidence.py --dry-run --json test-output/calibration.json
    python scripts/calibrate_confidence.py --check test-output/batch17/out   # a new blind batch (files or folders)
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
SENTENCES_OUT = ROOT / "graph" / "data" / "sentences.json"
#: The newest blind batch (the fifty-third, 2026-12-08; tests/gold/README.md), scored once on
#: arrival with extractor 0.4.79 and the model fit without it: kept out of calibration, to check it on.
HELD_OUT = frozenset({
    "karabakh-accuse-eachother-headline", "karabakh-aliyev-vows-revenge-ganja",
    "karabakh-armenia-urges-russia-security-help", "karabakh-army-enters-aghdam", "karabakh-azerbaijani-flag-thirty-years",
    "karabakh-bitter-clash-reject-negotiations", "karabakh-georgia-hopes-ceasefire-settlement",
    "karabakh-germany-horrified-speech", "karabakh-italy-red-cross-contribution", "karabakh-maas-statement-27-september",
    "karabakh-missile-crater-stepanakert", "karabakh-temporary-ceasefire-cathedral", "mpqa-interpol-search-warrants",
    "mpqa-mugabe-wins-biased-propaganda", "mpqa-xinhua-mugabe-shortcomings",
})
PRIOR = 5.0
L2 = 3.0
SENTENCE_L2 = 10.0
FOLDS = 10
BINS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)
THRESHOLDS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


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
    sentences: list[tuple[int, int]]
    sentence: list[float | None]
    """Per record: the sentence model's probability for its sentence (None: no sentence model)."""


def read_documents(ev: Any, shared: Path, files: list[Path] | None = None, model: bool = False) -> tuple[list[Scored], list[Scored], Any]:
    """Extract every gold document (or ``files``); (tuned, held out, the names gold is matched by).
    Without ``model`` each record's confidence is its path table entry (the model is being refit)."""
    from graph.extract import Extractor, split_sentences
    from graph.store import Store

    store = Store.bundled()
    extractor = Extractor.from_store(store)
    if extractor.calibration is not None and not model:  # the path table still chooses between paths
        extractor.calibration = extractor.calibration.without_model()
    names = ev.Names(store, extractor.gaz)
    tuned: list[Scored] = []
    held: list[Scored] = []
    for path in files if files is not None else sorted((ROOT / "tests" / "gold").glob("*.gold.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = ev.load_document(gold, shared)
        found = extractor.extract(doc)
        keys = {(names.key(g["actor"]), g["stance"], frozenset(names.key(t) for t in g.get("targets") or [])) for g in gold.get("reactions") or []}
        right = [(names.key(r.actor_iri), r.stance_class, frozenset(names.key(t) for t in r.target_iris)) in keys for r in found]
        name = path.name.removesuffix(".gold.yaml")
        spans = [(s.start, s.end) for s in split_sentences(doc.text)]
        (held if name in HELD_OUT else tuned).append(Scored(name, gold, doc.text, found, right, spans, [None] * len(found)))
    return tuned, held, names


def check(ev: Any, shared: Path, files: list[Path]) -> int:
    """Score the shipped confidence on gold files it was not fit on (a new blind batch): its
    reliability table and the records kept at each threshold, beside the path table's."""
    from graph.confidence import Calibration

    tuned, held, names = read_documents(ev, shared, files, model=True)
    documents = tuned + held
    table = Calibration.shipped()
    assert table is not None
    tabled = [[table.path_confidence(r.path, r.stance_class) for r in d.records] for d in documents]
    modelled = [[r.confidence for r in d.records] for d in documents]
    print(f"{len(documents)} documents, {sum(len(d.records) for d in documents)} records, scored with the shipped confidence")
    print_reliability("shipped", {"path table": (documents, tabled), "model (the confidence)": (documents, modelled)})
    print("\nkeeping records at or above a confidence: strict P / R / F1 (lenient F1)")
    print(f"  {'min conf':>8}   {'path table':28} {'model (the confidence)':28}")
    for t in THRESHOLDS:
        a, b = (scores_at(ev, documents, conf, t, names) for conf in (tabled, modelled))
        print(f"  {t:>8.2f}   {a['strict']['precision']:.3f} / {a['strict']['recall']:.3f} / {a['strict']['f1']:.3f} ({a['lenient']['f1']:.3f})"
              f"      {b['strict']['precision']:.3f} / {b['strict']['recall']:.3f} / {b['strict']['f1']:.3f} ({b['lenient']['f1']:.3f})")
    return 0


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
    """As the extractor looks it up (graph.confidence.Calibration.path_confidence)."""
    from graph.confidence import Calibration

    return Calibration(table["overall"], table["paths"], table["classes"]).path_confidence(path, coarse)


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


def matrix(documents: list[Scored], names: dict[str, int] | None = None) -> tuple[Any, Any, list[int], dict[str, int]]:
    """The records' features as a matrix (with ``names=None``: the names seen three times or more),
    their labels, each row's document and the feature names. Records must hold their path
    table entries as confidence."""
    import numpy as np

    from graph.confidence import features

    rows, labels, owners = [], [], []
    for k, d in enumerate(documents):
        for record, right, sentence in zip(d.records, d.right, d.sentence):
            rows.append(features(d.text, d.records, record, sentence=sentence))
            labels.append(float(right))
            owners.append(k)
    if names is None:
        seen = Counter(name for row in rows for name in row)
        names = {name: j for j, name in enumerate(sorted(n for n, c in seen.items() if c >= 3))}
    x = np.zeros((len(rows), len(names)))
    for i, row in enumerate(rows):
        for name, value in row.items():
            if name in names:
                x[i, names[name]] = value
    return x, np.array(labels), owners, names


def _evidence_sentences(d: Scored) -> set[int]:
    """The sentences of a document that overlap some gold record's evidence."""
    marked = set()
    for g in d.gold.get("reactions") or []:
        evidence = (g.get("evidence") or "").strip()
        at = d.text.find(evidence) if evidence else -1
        while at >= 0:
            marked.update(i for i, (s, e) in enumerate(d.sentences) if s < at + len(evidence) and at < e)
            at = d.text.find(evidence, at + 1)
    return marked


def _sentence_rows(documents: list[Scored], known: frozenset[str]) -> tuple[list[set[str]], Any, list[int]]:
    """Every sentence's words, whether it holds gold evidence, and its document."""
    import numpy as np

    from graph.confidence import sentence_words

    rows, labels, owners = [], [], []
    for k, d in enumerate(documents):
        marked = _evidence_sentences(d)
        for i, (s, e) in enumerate(d.sentences):
            rows.append(sentence_words(d.text[s:e], known))
            labels.append(float(i in marked))
            owners.append(k)
    return rows, np.array(labels), owners


def _sparse(rows: list[set[str]], vocabulary: dict[str, int]) -> Any:
    """Rows of words as a 0/1 sparse matrix, with a last column of ones (the intercept)."""
    import numpy as np
    import scipy.sparse as sp

    index: list[int] = []
    starts = [0]
    for row in rows:
        index.extend(vocabulary[w] for w in row if w in vocabulary)
        index.append(len(vocabulary))
        starts.append(len(index))
    return sp.csr_matrix((np.ones(len(index)), index, starts), shape=(len(rows), len(vocabulary) + 1))


def _fit_sparse(x: Any, y: Any, l2: float) -> Any:
    """Logistic regression weights (the intercept last, not penalised) by L-BFGS."""
    import numpy as np
    from scipy.optimize import minimize

    def loss(w: Any) -> tuple[float, Any]:
        z = x @ w
        grad = x.T @ (1 / (1 + np.exp(-z)) - y)
        grad[:-1] += l2 * w[:-1]
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * l2 * w[:-1] @ w[:-1]), grad

    return minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x


def auc(labels: Any, scores: Any) -> float:
    """The area under the ROC curve (how often a positive outranks a negative)."""
    import numpy as np

    ranks = np.empty(len(scores))
    ranks[np.argsort(scores, kind="stable")] = np.arange(1, len(scores) + 1)
    positives = labels.sum()
    return float((ranks[labels == 1].sum() - positives * (positives + 1) / 2) / (positives * (len(labels) - positives)))


def _folds(documents: int) -> dict[int, int]:
    """Each tuned document's cross-validation fold (shuffled with a fixed seed): the sentence model
    and the record model are cross-validated over the same folds."""
    import random

    order = list(range(documents))
    random.Random(7).shuffle(order)
    return {document: k % FOLDS for k, document in enumerate(order)}


def sentence_model(tuned: list[Scored], held: list[Scored]) -> dict[str, Any]:
    """Fit the sentence model on the tuned documents; set every record's ``sentence`` probability
    (tuned: from a model fit without its document's fold; held out: from the shipped one) and
    return the weights with their measured ranking quality (AUC, by sentence)."""
    import numpy as np

    from graph.confidence import SENTENCE_BIAS, Calibration, lower_words, sentence_at

    seen_lower: Counter = Counter()
    for d in tuned:
        for s, e in d.sentences:
            seen_lower.update(lower_words(d.text[s:e]))
    known = frozenset(w for w, c in seen_lower.items() if c >= 3)
    rows, y, owners = _sentence_rows(tuned, known)
    seen = Counter(w for row in rows for w in row)
    vocabulary = {w: j for j, w in enumerate(sorted(w for w, c in seen.items() if c >= 3))}
    x = _sparse(rows, vocabulary)
    folds = _folds(len(tuned))
    fold = np.array([folds[o] for o in owners])
    crossed = np.zeros(len(y))
    for k in range(FOLDS):
        crossed[fold == k] = 1 / (1 + np.exp(-(x[fold == k] @ _fit_sparse(x[fold != k], y[fold != k], SENTENCE_L2))))
    w = _fit_sparse(x, y, SENTENCE_L2)
    words = {word: round(float(w[j]), 3) for word, j in vocabulary.items() if abs(w[j]) >= 0.005}
    words[SENTENCE_BIAS] = round(float(w[-1]), 3)
    at = 0
    for d in tuned:
        starts = [s for s, _ in d.sentences]
        d.sentence = [float(crossed[at + sentence_at(starts, r.start)]) for r in d.records]
        at += len(d.sentences)
    shipped = Calibration(0.0, {}, {}, {}, words)
    held_probability, held_labels = [], []
    for d in held:
        marked = _evidence_sentences(d)
        p = [shipped.sentence_probability(d.text[s:e]) for s, e in d.sentences]
        held_probability.extend(p)
        held_labels.extend(float(i in marked) for i in range(len(p)))
        starts = [s for s, _ in d.sentences]
        d.sentence = [p[sentence_at(starts, r.start)] for r in d.records]
    quality = {"sentences": len(y), "with_evidence": int(y.sum()), "auc_tuned_10fold": round(auc(y, crossed), 3)}
    if held_labels and 0 < sum(held_labels) < len(held_labels):
        quality["auc_held_out"] = round(auc(np.array(held_labels), np.array(held_probability)), 3)
    print(f"sentence model: {len(vocabulary)} words and pairs, {len(words)} kept; {int(y.sum())} of {len(y)} tuned sentences "
          f"hold gold evidence; AUC {quality['auc_tuned_10fold']:.3f} (10-fold), {quality.get('auc_held_out', float('nan')):.3f} (held out)")
    return {"weights": words, "quality": quality}


def fit_model(x: Any, y: Any, l2: float = L2) -> Any:
    """Logistic regression weights by Newton's method with an L2 penalty."""
    import numpy as np

    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-x @ w))
        step = np.linalg.solve((x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1]), x.T @ (p - y) + l2 * w)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def per_document(documents: list[Scored], values: Any) -> list[list[float]]:
    """A flat array of per-record values cut back into one list per document."""
    out, at = [], 0
    for d in documents:
        out.append([round(float(v), 2) for v in values[at : at + len(d.records)]])
        at += len(d.records)
    return out


def model(tuned: list[Scored], held: list[Scored], table: dict[str, Any]) -> tuple[dict[str, float], list[list[float]], list[list[float]]]:
    """The model's weights fit on every tuned document, its cross-validated confidences on the tuned
    documents (folds of whole documents) and its confidences on the held-out ones."""
    import numpy as np

    for d in tuned + held:  # as the extractor will see them: the new table's entries
        for r in d.records:
            r.confidence = round(confidence(table, r.path, r.stance_class), 2)
    x, y, owners, names = matrix(tuned)
    xh, _, _, _ = matrix(held, names)
    fold = _folds(len(tuned))
    crossed = np.zeros(len(y))
    for k in range(FOLDS):
        train = np.array([fold[o] != k for o in owners])
        crossed[~train] = 1 / (1 + np.exp(-x[~train] @ fit_model(x[train], y[train])))
    w = fit_model(x, y)
    weights = {name: round(float(w[j]), 4) for name, j in sorted(names.items()) if abs(w[j]) >= 5e-5}
    return weights, per_document(tuned, crossed), per_document(held, 1 / (1 + np.exp(-xh @ w)))


def print_reliability(title: str, splits: dict[str, tuple[list[Scored], list[list[float]]]]) -> dict[str, Any]:
    """Print and return the reliability table of each split (bins of confidence, observed precision)."""
    out = {}
    print(f"\nreliability, {title}: records / mean confidence / observed strict precision")
    for split, (docs, conf) in splits.items():
        out[split] = reliability([(c, ok) for d, cs in zip(docs, conf) for c, ok in zip(cs, d.right)])
    print(f"  {'confidence':12}" + "".join(f"{split:>28}" for split in splits))
    for k in range(len(BINS) - 1):
        cells = []
        for rows in out.values():
            row = rows[k]
            cells.append(f"{row['records']:>6} / {row['mean_confidence'] if row['records'] else '—'} / {row['observed_precision'] if row['records'] else '—'}")
        print(f"  {list(out.values())[0][k]['bin']:12}" + "".join(f"{c:>28}" for c in cells))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--target", type=float, default=0.80, help="Strict precision the proposed threshold must reach.")
    parser.add_argument("--dry-run", action="store_true", help="Print the report; do not rewrite graph/data/confidence.yaml.")
    parser.add_argument("--json", type=Path, help="Also write the report as JSON here.")
    parser.add_argument("--check", type=Path, nargs="+", metavar="GOLD",
                        help="Only score the shipped confidence on these gold files or folders (a new blind batch); change nothing.")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"calibrate_confidence: needs the shared folder (looked in {args.shared})", file=sys.stderr)
        return 2
    ev = _evaluation()
    if args.check:
        return check(ev, args.shared, ev.gold_files(args.check))
    from graph.extract import EXTRACTOR_VERSION

    tuned, held, names = read_documents(ev, args.shared)
    table = fit(tuned)
    # Leave one document out: each tuned document's path confidences from a table fit on the others.
    loo = []
    for i, d in enumerate(tuned):
        other = fit(tuned[:i] + tuned[i + 1 :])
        loo.append([confidence(other, r.path, r.stance_class) for r in d.records])
    held_table = [[confidence(table, r.path, r.stance_class) for r in d.records] for d in held]
    sentences = sentence_model(tuned, held)
    weights, crossed, held_model = model(tuned, held, table)

    print(f"per path (tuned, {len(tuned)} documents): strict precision, smoothed with {PRIOR:g} records at the overall {table['overall']:.3f}")
    print(f"  {'path':22} {'right':>6} {'records':>8} {'estimate':>9}")
    for p, (ok, n) in sorted(table["counts"].items(), key=lambda x: -x[1][1]):
        print(f"  {p:22} {ok:>6} {n:>8} {table['paths'][p]:>9.3f}")

    report: dict[str, Any] = {
        "extractor": EXTRACTOR_VERSION,
        "method": "path table: leave-one-document-out on the tuned gold; model: 10-fold cross-validation by document; "
                  "held-out batch scored with both fit on all tuned documents",
        "table": table, "weights": weights, "sentence_model": sentences["quality"], "thresholds": {},
        "reliability": {
            "path table": print_reliability("path table", {"tuned (leave-one-out)": (tuned, loo), "held out": (held, held_table)}),
            "model": print_reliability("model (the confidence)", {"tuned (10-fold)": (tuned, crossed), "held out": (held, held_model)}),
        },
    }

    print("\nkeeping records at or above a confidence (the model's): strict P / R / F1 (lenient F1)")
    print(f"  {'min conf':>8}   {'tuned (10-fold)':28} {'held out':28}")
    proposed = None
    for t in THRESHOLDS:
        a = scores_at(ev, tuned, crossed, t, names)
        b = scores_at(ev, held, held_model, t, names)
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
    ranked = sorted(weights.items(), key=lambda kv: kv[1])
    print("\nweights, lowest:", ", ".join(f"{n} {w:.2f}" for n, w in ranked[:8]))
    print("weights, highest:", ", ".join(f"{n} {w:.2f}" for n, w in ranked[-8:]))
    if not args.dry_run:
        data = {
            "extractor": EXTRACTOR_VERSION,
            "method": f"measured on {len(tuned)} tuned dev gold documents (tests/gold less the newest blind batch, HELD_OUT) by "
                      f"scripts/calibrate_confidence.py: paths and classes are strict precision smoothed with {PRIOR:g} records "
                      f"at the backed-off precision; weights are a logistic regression (L2 {L2:g}) of strict rightness on "
                      "graph.confidence.features",
            "overall": round(table["overall"], 3),
            "paths": {p: round(v, 3) for p, v in sorted(table["paths"].items())},
            "classes": {k: round(v, 3) for k, v in sorted(table["classes"].items())},
            "weights": weights,
        }
        OUT.write_text("# How confident the extractor is of a record (see the method line and graph/confidence.py).\n"
                       + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
        SENTENCES_OUT.write_text(json.dumps({
            "extractor": EXTRACTOR_VERSION,
            "method": f"scripts/calibrate_confidence.py: logistic regression (L2 {SENTENCE_L2:g}) of whether a sentence of the "
                      f"{len(tuned)} tuned dev gold documents overlaps a gold record's evidence, over graph.confidence.sentence_words",
            **sentences["quality"],
            "weights": dict(sorted(sentences["weights"].items())),
        }, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} and {SENTENCES_OUT.relative_to(ROOT)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
