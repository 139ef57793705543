#!/usr/bin/env python3
"""Score the reaction extractor against gold annotations (format: ../shared/eval/README.md).

For each gold file the document is read from ../shared (``document``, and ``record`` for a row of
a corpus file: the 0-based row of a CSV/JSONL, the NEWID of a Reuters SGML record, the key of an
MPQA 2.0 document), the extractor
runs on it, and its records are matched to the gold ones:

- a match needs the same actor (names resolved through the graph's labels and aliases) and the
  same coarse stance class; strict also needs the same set of targets, lenient ignores targets;
- one gold record matches at most one system record; system records repeating an
  (actor, stance, targets) key beyond the gold ones are neither rewarded nor punished, and
  unmatched system records count once per key;
- speakers are scored over matched records whose gold speaker is not null (pairs within a key
  are made by overlapping evidence first).

Prints a table per document and micro-averaged, writes JSON with ``--json``, and exits 1 when
``--min-strict-f1`` is given and the micro strict F1 is below it.

    python scripts/evaluate_extraction.py                           # the seed and tests/gold/*
    python scripts/evaluate_extraction.py ../shared/eval/seed.gold.yaml --min-strict-f1 0.95
    python scripts/evaluate_extraction.py tests/gold --json test-output/extraction.json
    python scripts/evaluate_extraction.py tests/gold --min-confidence 0.15   # what diplo ingest keeps
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from graph.documents import Document, Skipped, parse_date, read_file
from graph.extract import Extracted, Extractor
from graph.gazetteer import Gazetteer
from graph.resolve import NameIndex, fold
from graph.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def gold_files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out.extend(sorted(p.glob("*.gold.yaml")) if p.is_dir() else [p])
    return out


@lru_cache(maxsize=None)
def _documents(path: Path) -> tuple[Document, ...]:
    """The documents of one corpus file, read once (many gold files are rows of one JSONL)."""
    if path.name == MPQA:
        return tuple(mpqa_documents(path))
    return tuple(d for d in read_file(path) if not isinstance(d, Skipped))


#: The MPQA 2.0 world-press file of ../shared/corpus/mpqa2-orl-json (its SOURCE.md): one JSON object
#: of tokenized documents, keyed "<fold>/<documentN>" (a gold file's ``record``).
MPQA = "mpqa2_world_press_orl.json"
#: Penn Treebank escapes and the spacing tokenization added, undone ("-LRB- 1 -RRB-", "Blair 's").
_PTB = [
    (re.compile(r"\s+([.,;:!?%]|'s|'re|'ve|'ll|'d|'m|n't)(?=\s|$)"), r"\1"), (re.compile(r"\$\s+(?=\d)"), "$"),
    (re.compile(r"(?<=\d) ,(?=\d{3}\b)"), ","),  # "JD100 ,000": the tokenizer split a thousands separator
    (re.compile(r"-LRB-\s*"), "("), (re.compile(r"\s*-RRB-"), ")"), (re.compile(r"-LSB-\s*"), "["),
    (re.compile(r"\s*-RSB-"), "]"), (re.compile(r"-LCB-\s*"), "{"), (re.compile(r"\s*-RCB-"), "}"),
    (re.compile(r"``\s*"), '"'), (re.compile(r"\s*''"), '"'),
]


def mpqa_documents(path: Path) -> Iterator[Document]:
    """The MPQA documents as the extractor reads them: the first sentence (the headline) as the
    title and a line of its own, then the others, in order, joined by spaces with the tokenization
    undone; dated when the document's path holds the day ("…/docs/20020304/…"), named ``file#key``."""
    corpus = json.loads(path.read_text(encoding="utf-8"))
    for key in sorted(corpus):
        doc = corpus[key]
        numbers = sorted(int(k[len("sentence"):]) for k in doc if re.fullmatch(r"sentence\d+", k))
        sentences = []
        for n in numbers:
            text = " ".join(doc[f"sentence{n}"]["sentence_tokenized"])
            for pattern, replacement in _PTB:
                text = pattern.sub(replacement, text)
            sentences.append(text)
        day = re.search(r"/docs/(\d{8})/", doc.get("document_path", ""))
        published = parse_date(f"{day.group(1)[:4]}-{day.group(1)[4:6]}-{day.group(1)[6:]}") if day else None
        title = sentences[0] if sentences else None
        text = "\n\n".join([sentences[0], " ".join(sentences[1:])]) if sentences else ""
        yield Document(name=f"{path}#{key}", text=text, title=title, published=published, record=key)


def load_document(gold: dict[str, Any], shared: Path) -> Document:
    """The gold file's document, as the extractor reads it."""
    record = gold.get("record")
    docs = _documents(shared / gold["document"])
    if record is not None:
        docs = [d for d in docs if d.record == str(record)]
    if not docs:
        raise SystemExit(f"{gold['document']}: no document (record {record!r})")
    doc = docs[0]
    if gold.get("published"):
        doc = replace(doc, published=parse_date(gold["published"]))
    return doc


class Names:
    """Actor names → a comparable key: the graph's IRI when the name resolves, else the folded name.
    A government body counts as the state it is part of ("Palestinian Authority" is Palestine), as
    the extractor reports it."""

    def __init__(self, store: Store, gazetteer: Gazetteer) -> None:
        self.index = NameIndex.build(store)
        self.gazetteer = gazetteer

    def key(self, name: str | None) -> str:
        if not name:
            return ""
        if name.startswith(("http://", "https://")):
            return self._state_of(name)
        try:
            return self._state_of(str(self.index.resolve(name, "actor")))
        except Exception:  # unknown or ambiguous: compare as text
            return "name:" + fold(name)

    def _state_of(self, iri: str) -> str:
        actor = self.gazetteer.actors.get(iri)
        if actor is None or actor.kind != "body":
            return iri
        owner = self.gazetteer.speaks_for(actor, None)
        return owner.iri if owner is not None else iri


def _describe(actor: str, stance: str, targets: list[str], evidence: str) -> str:
    return f"{actor} {stance} -> [{', '.join(targets)}]: {evidence[:100]!r}"


def _overlap(a: tuple[int, int] | None, b: tuple[int, int]) -> int:
    if a is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _pairs(golds: list[dict[str, Any]], found: list[Extracted], text: str) -> list[tuple[dict[str, Any], Extracted]]:
    """Gold and system records of one key, paired so that each gold record meets the system record
    that read its evidence: the most overlapping pairs first (over all of them, so that a gold
    record whose evidence no record read cannot take another's), then the rest in text order."""
    spans = []
    for g in golds:
        at = text.find(g.get("evidence", "")) if g.get("evidence") else -1
        spans.append((at, at + len(g["evidence"])) if at >= 0 else None)
    ranked = sorted(((_overlap(spans[i], (r.start, r.end)), i, j) for i in range(len(golds)) for j, r in enumerate(found)), reverse=True)
    paired: dict[int, int] = {}
    taken: set[int] = set()
    for overlap, i, j in ranked:
        if overlap > 0 and i not in paired and j not in taken:
            paired[i] = j
            taken.add(j)
    rest = iter(j for j in range(len(found)) if j not in taken)
    for i in range(len(golds)):
        if len(paired) == min(len(golds), len(found)):
            break
        if i not in paired:
            paired[i] = next(rest)
    return [(golds[i], found[j]) for i, j in sorted(paired.items())]


def score_document(gold: dict[str, Any], found: list[Extracted], text: str, names: Names) -> dict[str, Any]:
    """Counts for one document: strict and lenient tp/fp/fn, and speaker hits over matched pairs."""
    result: dict[str, Any] = {}
    gold_records = gold.get("reactions") or []
    for mode in ("strict", "lenient"):
        def key(actor: str, stance: str, targets: list[str]) -> tuple[Any, ...]:
            base = (names.key(actor), stance)
            return base + (frozenset(names.key(t) for t in targets),) if mode == "strict" else base

        gold_by: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
        for g in gold_records:
            gold_by[key(g["actor"], g["stance"], g.get("targets") or [])].append(g)
        sys_by: dict[tuple[Any, ...], list[Extracted]] = defaultdict(list)
        for r in found:
            sys_by[key(r.actor_iri, r.stance_class, r.target_iris)].append(r)
        tp = fp = fn = 0
        speakers = Counter()
        speaker_misses: list[dict[str, Any]] = []
        missed: list[str] = []
        spurious: list[str] = []
        for k in set(gold_by) | set(sys_by):
            g_list, s_list = gold_by.get(k, []), sys_by.get(k, [])
            matched = min(len(g_list), len(s_list))
            tp += matched
            fn += len(g_list) - matched
            fp += 1 if (s_list and not g_list) else 0
            missed += [_describe(g["actor"], g["stance"], g.get("targets") or [], g.get("evidence", "")) for g in g_list[matched:]]
            if s_list and not g_list:
                r = s_list[0]
                spurious.append(_describe(r.actor, r.stance_class, r.targets, r.evidence))
            if mode == "strict" and matched:
                for g, best in _pairs(g_list, s_list, text):
                    if g.get("speaker"):
                        speakers["judged"] += 1
                        right = names.key(best.speaker or "") == names.key(g["speaker"]) or (
                            fold(best.speaker or "").split()[-1:] == fold(g["speaker"]).split()[-1:] and bool(best.speaker)
                        )
                        speakers["right"] += right
                        # The record read the gold statement itself (not another statement of its key):
                        # this judges attribution alone.
                        at = text.find(g.get("evidence") or "\0")
                        if _overlap((at, at + len(g["evidence"])) if at >= 0 else None, (best.start, best.end)) > 0:
                            speakers["judged read"] += 1
                            speakers["right read"] += right
                        if not right:
                            speaker_misses.append({"gold": g["speaker"], "found": best.speaker, "evidence": g.get("evidence", "")})
        if mode == "strict":
            result["error_kinds"] = _error_kinds(gold_by, sys_by, text, names)
        result[mode] = {"tp": tp, "fp": fp, "fn": fn}
        result[mode + "_errors"] = {"missed": sorted(missed), "spurious": sorted(spurious)}
        if mode == "strict":
            result["speaker"] = dict(speakers)
            result["speaker_misses"] = speaker_misses
    return result


#: The kinds of strict error, in the order the table prints them.
ERROR_KINDS = ("wrong actor", "wrong class", "missing target", "extra target", "missed", "spurious")


def _error_kinds(
    gold_by: dict[tuple[Any, ...], list[dict[str, Any]]], sys_by: dict[tuple[Any, ...], list[Extracted]], text: str, names: Names
) -> Counter:
    """Why each strict error happened. A gold record left unmatched is paired with an unmatched
    system key whose evidence overlaps it: same actor and class but other targets is a target
    error (missing when a gold target is absent, else extra); same class, other actor is a wrong
    actor; same actor, other class a wrong class. Unpaired gold records are missed; system keys
    no gold record explains are spurious (once per key, as the scores count them)."""
    unmatched_gold: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    unmatched_sys: list[tuple[tuple[Any, ...], list[Extracted]]] = []
    for k in set(gold_by) | set(sys_by):
        g_list, s_list = gold_by.get(k, []), sys_by.get(k, [])
        unmatched_gold += [(k, g) for g in g_list[min(len(g_list), len(s_list)):]]
        if s_list and not g_list:
            unmatched_sys.append((k, s_list))
    kinds: Counter = Counter()
    explained: set[int] = set()
    for gk, g in unmatched_gold:
        at = text.find(g.get("evidence", "")) if g.get("evidence") else -1
        span = (at, at + len(g["evidence"])) if at >= 0 else None
        near = [(i, sk) for i, (sk, s_list) in enumerate(unmatched_sys) if any(_overlap(span, (r.start, r.end)) for r in s_list)]
        kind = "missed"
        for i, sk in near:
            if sk[:2] == gk[:2]:
                kind = "missing target" if gk[2] - sk[2] else "extra target"
            elif sk[1] == gk[1] and kind not in ("missing target", "extra target"):
                kind = "wrong actor"
            elif sk[0] == gk[0] and kind == "missed":
                kind = "wrong class"
            else:
                continue
            explained.add(i)
        kinds[kind] += 1
    kinds["spurious"] += len(unmatched_sys) - len(explained)
    return kinds


def prf(c: dict[str, int]) -> dict[str, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def evaluate(files: list[Path], shared: Path, store: Store | None = None, min_confidence: float = 0.0) -> dict[str, Any]:
    """Score every gold file (the records at least ``min_confidence`` confident); the per-document
    and micro-averaged figures."""
    store = store or Store.bundled()
    extractor = Extractor.from_store(store)
    names = Names(store, extractor.gaz)
    documents = []
    totals = {"strict": Counter(), "lenient": Counter(), "speaker": Counter(), "error_kinds": Counter()}
    for path in files:
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc = load_document(gold, shared)
        found = [r for r in extractor.extract(doc) if r.confidence >= min_confidence]
        counts = score_document(gold, found, doc.text, names)
        for mode in ("strict", "lenient", "speaker", "error_kinds"):
            totals[mode].update(counts[mode])
        documents.append(
            {
                "gold": path.name,
                "document": gold["document"] + (f"#{gold['record']}" if gold.get("record") is not None else ""),
                "gold_reactions": len(gold.get("reactions") or []),
                "found": len(found),
                "strict": counts["strict"] | prf(counts["strict"]),
                "lenient": counts["lenient"] | prf(counts["lenient"]),
                "speaker_accuracy": round(counts["speaker"].get("right", 0) / counts["speaker"]["judged"], 3)
                if counts["speaker"].get("judged") else None,
                "errors": {mode: counts[mode + "_errors"] for mode in ("strict", "lenient")},
                "error_kinds": {k: counts["error_kinds"].get(k, 0) for k in ERROR_KINDS},
                "speaker_misses": counts["speaker_misses"],
            }
        )
    micro = {
        "strict": dict(totals["strict"]) | prf(totals["strict"]),
        "lenient": dict(totals["lenient"]) | prf(totals["lenient"]),
        "speaker_accuracy": round(totals["speaker"]["right"] / totals["speaker"]["judged"], 3) if totals["speaker"]["judged"] else None,
        "speaker_accuracy_read": round(totals["speaker"]["right read"] / totals["speaker"]["judged read"], 3)
        if totals["speaker"]["judged read"] else None,
        "speakers": dict(totals["speaker"]),
        "error_kinds": {k: totals["error_kinds"].get(k, 0) for k in ERROR_KINDS},
    }
    return {"extractor": __import__("graph.extract").extract.EXTRACTOR_VERSION, "documents": documents, "micro": micro}


def print_table(report: dict[str, Any]) -> None:
    head = f"{'gold file':44} {'gold':>5} {'found':>6} {'P':>6} {'R':>6} {'F1':>6} {'lenP':>6} {'lenR':>6} {'lenF1':>6} {'spk':>6}"
    print(head)
    print("-" * len(head))
    rows = report["documents"] + [{"gold": "micro-average", "gold_reactions": sum(d["gold_reactions"] for d in report["documents"]),
                                   "found": sum(d["found"] for d in report["documents"]), **report["micro"]}]
    for d in rows:
        s, l = d["strict"], d["lenient"]
        spk = d["speaker_accuracy"]
        print(f"{d['gold'][:44]:44} {d['gold_reactions']:>5} {d['found']:>6} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
              f"{l['precision']:>6.3f} {l['recall']:>6.3f} {l['f1']:>6.3f} {spk if spk is not None else '—':>6}")


def print_speakers(report: dict[str, Any]) -> None:
    """Speaker accuracy over all matched pairs (the table's spk) and over those whose record read the
    gold statement itself: a key matched through another statement of it often has another voice."""
    n = report["micro"].get("speakers") or {}
    if n.get("judged"):
        print(f"\nspeaker accuracy: {report['micro']['speaker_accuracy']:.3f} over the {n['judged']} matched records whose gold names a speaker; "
              f"{report['micro']['speaker_accuracy_read'] or 0:.3f} over the {n.get('judged read', 0)} of them that read the gold statement itself")


def print_error_kinds(report: dict[str, Any]) -> None:
    """The strict errors by kind, over all documents (see :func:`_error_kinds`)."""
    kinds = report["micro"]["error_kinds"]
    total = sum(kinds.values()) or 1
    print("\nstrict errors by kind")
    for k in ERROR_KINDS:
        print(f"  {k:15} {kinds[k]:>5}  {kinds[k] / total:6.1%}")


def print_errors(report: dict[str, Any], mode: str) -> None:
    """Each document's gold records the extractor missed and its records no gold one matches."""
    for d in report["documents"]:
        errors = d["errors"][mode]
        if not (errors["missed"] or errors["spurious"]):
            continue
        print(f"\n== {d['gold']} ({mode})")
        for line in errors["missed"]:
            print("  missed   " + line)
        for line in errors["spurious"]:
            print("  spurious " + line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", nargs="*", type=Path, help="Gold files or folders (default: the seed's and tests/gold).")
    parser.add_argument("--shared", type=Path, default=SHARED, help="The shared folder documents are read from.")
    parser.add_argument("--json", type=Path, help="Also write the report as JSON here.")
    parser.add_argument("--errors", choices=["strict", "lenient"], help="Also list each document's missed and spurious records.")
    parser.add_argument("--min-strict-f1", type=float, help="Exit 1 when the micro strict F1 is below this.")
    parser.add_argument("--min-confidence", type=float, default=0.0,
                        help="Score only the records at least this confident (default 0: everything the extractor finds; "
                             "diplo ingest keeps graph.confidence.DEFAULT_MIN_CONFIDENCE and up).")
    args = parser.parse_args(argv)
    if not (args.shared / "eval").is_dir():
        print(f"evaluate_extraction: needs the shared folder (looked for {args.shared})", file=sys.stderr)
        return 2
    files = gold_files(args.gold or [args.shared / "eval", ROOT / "tests" / "gold"])
    report = evaluate(files, args.shared, min_confidence=args.min_confidence)
    print_table(report)
    print_speakers(report)
    print_error_kinds(report)
    if args.errors:
        print_errors(report, args.errors)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        print(f"wrote {args.json}")
    if args.min_strict_f1 is not None and report["micro"]["strict"]["f1"] < args.min_strict_f1:
        print(f"micro strict F1 {report['micro']['strict']['f1']:.3f} is below {args.min_strict_f1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
