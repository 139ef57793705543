"""A diplograph store built from everything real in ../shared, the way a user makes one, and its shape.

Steps, each timed and reported on stderr as it goes:

1. ``diplo init``: the ontology, the bundled seed graph and the world graph;
2. ``diplo ingest`` of every corpus folder in ../shared/corpus, with the field options each
   folder's SOURCE.md calls for (``--text-field body --title-field header`` for the Karabakh CSVs).
   The MPQA documents are one JSON object, a format ingest does not read: the script writes them
   as a JSON Lines corpus first (tokens joined, PTB escapes undone), as a user would have to;
3. ``diplo import gdelt`` of the GDELT 1.0 and 2.0 samples and ``diplo import icews`` of the
   ICEWS sample.

A step that fails is recorded with its error and the build goes on. Then the store's shape is
measured with the counting queries of ``scripts/shape/`` (see ``scripts/store_shape.py``): a
table on stdout, and with ``--json`` the build record and the shape in one file.

    python scripts/build_real_store.py test-output/real-store --json test-output/real-shape.json
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
#: Files in the corpus folders that are not articles: the folder's notes and PolNeAR's metadata
#: table (ingesting a whole folder would read them as articles or rows).
NOT_ARTICLES = {"SOURCE.md", "metadata.tsv", "filter_regexes.txt"}
#: Field options per corpus folder (the others use the default field names).
CORPUS_OPTIONS: dict[str, dict[str, Any]] = {
    "karabakh2020-country-support": {"text": "body", "title": "header"},
}
IMPORTS = (("gdelt", SHARED / "data" / "gdelt1" / "events.csv"),
           ("gdelt", SHARED / "data" / "gdelt2" / "20191024143000.export.CSV"),
           ("icews", SHARED / "data" / "icews" / "events.2018.sample.tab"))
_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "``": '"', "''": '"'}


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def mpqa_as_jsonl(source: Path, out: Path) -> int:
    """Write the MPQA documents of ``source`` (one JSON object keyed by document) as a JSON Lines
    corpus with ``text``, ``title`` and ``date`` fields; returns how many documents."""
    import re

    docs = json.loads(source.read_text(encoding="utf-8"))
    with out.open("w", encoding="utf-8") as f:
        for key, doc in docs.items():
            numbers = sorted(int(k[len("sentence"):]) for k in doc if re.fullmatch(r"sentence\d+", k))
            sentences = []
            for n in numbers:
                tokens = [_PTB.get(t, t) for t in doc[f"sentence{n}"]["sentence_tokenized"]]
                text = " ".join(tokens)
                text = re.sub(r" ([,.;:!?%)\]}]|'s|n't|'re|'ve|'ll|'d|'m)(?=\s|$)", r"\1", text)
                sentences.append(re.sub(r"([(\[{$]) ", r"\1", text))
            path = doc.get("document_path", key)
            day = re.search(r"/(\d{4})(\d{2})(\d{2})/", path)
            row = {"id": key, "title": path, "text": html.unescape("\n".join(sentences)),
                   "date": "-".join(day.groups()) if day else None}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(docs)


def articles(folder: Path) -> list[str]:
    """The article files of a corpus folder (recursively, in name order)."""
    from graph.documents import SUFFIXES

    return [str(p) for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in NOT_ARTICLES
            and p.suffix.lower() in SUFFIXES | {".json"}]


def ingest_step(store: Any, name: str, inputs: list[str], fields: dict[str, Any]) -> dict[str, Any]:
    """Ingest ``inputs`` as ``diplo ingest`` does, with progress every 100 documents."""
    from graph.documents import Fields
    from graph.ingest import ingest

    seen = [0]

    def tick(doc: Any, found: list[Any]) -> None:
        seen[0] += 1
        if seen[0] % 100 == 0:
            say(f"  {name}: {seen[0]} documents read")

    # Everything the extractor finds (not only what `diplo ingest` keeps by default): the most data.
    summary = ingest(store, inputs, Fields(fields.get("text"), fields.get("title"), fields.get("date")), min_confidence=0.0, on_document=tick)
    return summary.record()


def build(path: Path) -> tuple[Any, list[dict[str, Any]]]:
    """Create the store at ``path`` and pour everything in; returns it and one record per step."""
    from graph.store import Store

    steps: list[dict[str, Any]] = []

    def run(step: str, fn: Any, **about: Any) -> Any:
        say(f"{step} …")
        start = time.perf_counter()
        record: dict[str, Any] = {"step": step, **about}
        try:
            record["result"] = fn()
            record["ok"] = True
        except Exception as e:  # noqa: BLE001 - a failed step is a finding: record it and go on
            record["ok"] = False
            record["error"] = f"{type(e).__name__}: {e}"
            say(f"  FAILED: {record['error']}")
            traceback.print_exc(file=sys.stderr)
        record["seconds"] = round(time.perf_counter() - start, 2)
        say(f"  {step}: {record['seconds']} s {json.dumps(record.get('result'), default=str)[:300] if record['ok'] else ''}")
        steps.append(record)
        return record.get("result")

    store = run("init", lambda: Store.create(path))
    if store is None:
        raise SystemExit(f"{path}: could not create the store")
    steps[-1]["result"] = str(path)
    with tempfile.TemporaryDirectory(prefix="real-store-") as tmp:
        for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
            fields = CORPUS_OPTIONS.get(folder.name, {})
            inputs = articles(folder)
            if folder.name == "mpqa2-orl-json":
                # As the user runs it first: ingest does not read .json (this step fails and says so).
                shipped = [str(folder / "mpqa2_world_press_orl.json")]
                run(f"ingest {folder.name} (as shipped)", lambda i=shipped, f=folder: ingest_step(store, f.name, i, {}))
                jsonl = Path(tmp) / "mpqa2_world_press.jsonl"
                run("convert mpqa2 to JSON Lines", lambda: mpqa_as_jsonl(folder / "mpqa2_world_press_orl.json", jsonl))
                inputs = [str(jsonl)]
            run(f"ingest {folder.name}", lambda i=inputs, f=fields, n=folder.name: ingest_step(store, n, i, f),
                inputs=len(inputs), fields=fields)
    for kind, file in IMPORTS:
        from graph.eventdata import import_files

        run(f"import {kind} {file.parent.name}/{file.name}",
            lambda k=kind, f=file: [s.record() for s in import_files(store, [f], k)])
    return store, steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="The folder to create (must not exist or be empty).")
    parser.add_argument("--json", type=Path, help="Write the build record and the shape here.")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"{CORPUS}: not found (the shared data folder is needed)", file=sys.stderr)
        return 2
    import store_shape

    start = time.perf_counter()
    store, steps = build(args.store)
    built = round(time.perf_counter() - start, 1)
    store.compact()
    say(f"built in {built} s; measuring the shape …")
    failed = [s["step"] for s in steps if not s["ok"]]
    start = time.perf_counter()
    shape = store_shape.measure(store._ox)
    measured = round(time.perf_counter() - start, 1)
    store.close()
    size = sum(f.stat().st_size for f in args.store.rglob("*") if f.is_file())
    summary = {"store": str(args.store), "build_seconds": built, "shape_seconds": measured,
               "disk_bytes": size, "failed_steps": failed}
    say(f"summary: {json.dumps(summary)}")
    store_shape.print_table(shape)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"run": summary, "steps": steps, "shape": shape}, indent=2, default=str), encoding="utf-8")
        say(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
