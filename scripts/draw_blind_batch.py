"""Draw the next blind batch of articles for extraction gold (tests/gold/README.md).

Records no gold file uses yet are drawn at random with a fixed seed, per corpus, from the AllSides
JSONL (one record per line), the Daily Mail posts, the PolNeAR texts, the Reuters-21578 diplomatic
subset (1987 wire stories, one per NEWID), the Karabakh 2020 country-support CSV (one article
per row) and the MPQA 2.0 world-press documents (2001-02, one per key). A record whose text is
word for word that of a gold article (the Daily Mail folder holds some posts twice under other
names) is passed over. Each drawn text is written as the scorer reads it (``NN.txt``), with
``batch.json`` listing its ``document``, ``record`` and ``published`` (for a PolNeAR text, from the
corpus's metadata.tsv) for the gold file, and ``prompt.txt``, the brief each annotator is given
(FILES replaced by the files they take; their gold files go to ``gold/``), so that annotators who
never see the extractor can work from the folder alone.

    python scripts/draw_blind_batch.py 20261211 test-output/batch11
    python scripts/draw_blind_batch.py 20261211 test-output/batch11 --allsides 6 --dailymail 6 --polnear 3

The draw depends on the gold folder as it is: run it before the batch joins tests/gold. Since the
fourteenth batch every PolNeAR text and every Daily Mail post whose text is new is in the gold set,
and since the thirty-sixth every AllSides record: the next batches draw from the MPQA, Reuters and
Karabakh corpora (most Reuters stories of the subset hold no reaction).

    python scripts/draw_blind_batch.py 20261237 test-output/batch37 --allsides 0 --dailymail 0 --polnear 0 --mpqa 9 --reuters 3 --karabakh 3
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ALLSIDES = "corpus/allsides-article-bias/international_reactions.jsonl"
#: Corpora of one file whose documents a gold header names by ``record``: a row number (an int) for
#: a CSV, the NEWID (a string, as the SGML writes it) for Reuters, the key (a string) for MPQA.
FILES = {
    "reuters": ("corpus/reuters21578-diplomatic/reuters21578_diplomatic_subset.sgm", str),
    "karabakh": ("corpus/karabakh2020-country-support/dataset.csv", int),
    # 2001-02 world-press documents, named by their key ("test_fold_7/document26").
    "mpqa": ("corpus/mpqa2-orl-json/mpqa2_world_press_orl.json", str),
}
FOLDERS = {"dailymail": "corpus/finescoop-dailymail-2020/posts", "polnear": "corpus/polnear-international/text"}


def _evaluation() -> Any:
    """scripts/evaluate_extraction.py as a module: its load_document reads a gold header's text."""
    spec = importlib.util.spec_from_file_location("evaluate_extraction", ROOT / "scripts" / "evaluate_extraction.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["evaluate_extraction"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def metadata_date(shared: Path, document: str) -> str | None:
    """The publication date the corpus's own ``metadata.tsv`` gives a PolNeAR text (its rows name
    the compartment and the file's stem), or None: the texts carry no date of their own, and without
    one every person the graph knows is taken to hold every post they ever held (a 2016 campaign
    piece's "Rubio" became the Secretary of State of 2025)."""
    import csv

    path = Path(document)
    table = shared / path.parent.parent / "metadata.tsv"
    if not table.is_file() or "__" not in path.stem:
        return None
    compartment, stem = path.stem.split("__", 1)
    with open(table, encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            if row.get("compartment") == compartment and row.get("filename") == stem:
                return row.get("publication_date") or None
    return None


def _named(document: str, record: Any) -> tuple[str, str | None]:
    """A document and record as comparable: gold files write a Reuters NEWID as a string, a row as an int."""
    return document, None if record is None else str(record)


def draw(seed: int, shared: Path, gold: Path, wanted: dict[str, int]) -> list[dict[str, Any]]:
    """``wanted[corpus]`` unused records of each corpus ("allsides", "dailymail", "polnear",
    "reuters", "karabakh", "mpqa"), drawn with ``random.Random(seed)`` in that order (so a seed draws
    the same from the first three as before the others were added); each as a gold file's header
    plus its ``text``."""
    ev = _evaluation()
    used, seen = set(), set()
    for path in sorted(gold.glob("*.gold.yaml")):
        header = yaml.safe_load(path.read_text(encoding="utf-8"))
        used.add(_named(header["document"], header.get("record")))
        seen.add(_digest(ev.load_document(header, shared).text))
    with open(shared / ALLSIDES, encoding="utf-8") as lines:
        pools = {"allsides": [(ALLSIDES, i) for i, _ in enumerate(lines)]}
    for name, folder in FOLDERS.items():
        pools[name] = [(f"{folder}/{p.name}", None) for p in sorted((shared / folder).iterdir())]
    for name, (document, kind) in FILES.items():
        pools[name] = [(document, kind(d.record)) for d in ev._documents(shared / document)]  # type: ignore[misc]
    rng = random.Random(seed)
    drawn: list[dict[str, Any]] = []
    for name in ("allsides", "dailymail", "polnear", *FILES):
        free = [(d, r) for d, r in pools[name] if _named(d, r) not in used]
        rng.shuffle(free)
        taken = 0
        for document, record in free:
            if taken == wanted.get(name, 0):
                break
            header: dict[str, Any] = {"document": document} if record is None else {"document": document, "record": record}
            doc = ev.load_document(header, shared)
            if _digest(doc.text) in seen:
                continue  # the same text as a gold article, under another name
            seen.add(_digest(doc.text))
            published = doc.published.isoformat() if doc.published else metadata_date(shared, document)
            if published:
                header["published"] = published
            drawn.append({**header, "text": doc.text})
            taken += 1
        if taken < wanted.get(name, 0):
            print(f"{name}: only {taken} of {wanted[name]} wanted are unused and new", file=sys.stderr)
    return drawn


#: What each annotator of a batch is told (``prompt.txt`` beside the texts; FILES is replaced by the
#: files one annotator takes). It points at the guide, so the conventions live in one place.
BRIEF = """\
You are annotating news texts for a gold standard of diplomatic reactions. You have never seen the
software that will be scored against your annotations, and you must not look at it: do NOT open or
run anything under {root}/graph, {root}/scripts or {root}/tests except the two guides named below,
and do not read other gold files' annotations except as format examples (at most two).

Read first, fully:
1. {shared}/eval/README.md  (the gold file format and canonical actor names)
2. {root}/tests/gold/README.md, the section "How to annotate" (the conventions to follow)

Your texts are in {texts}/ : FILES
{texts}/batch.json gives, for each file, its `document`, `record` and `published` (if any).

For each of your files NN.txt write {gold}/NN.gold.yaml:

    # <corpus name>, <published date or "undated"> : "<the article's title or first words>"
    document: <document from batch.json>
    record: <record from batch.json: a quoted string for Reuters and MPQA, a bare integer for Karabakh>
    published: <YYYY-MM-DD>          # leave this line out when batch.json has no published
    reactions:
      - actor: <canonical English short name of the state or organization whose position it is>
        speaker: <the person who voiced it, as the article gives the name, or null>
        stance: <CONCERN|APPEAL|MEDIATE|SUPPORT|DISAPPROVE|THREATEN|REJECT>
        targets: [<actors it is addressed to or aimed at>]   # [] when about an event only
        evidence: "<a short span copied VERBATIM from the text (character for character) that states it>"

If a text holds no diplomatic reaction at all, write `reactions: []`.

Rules (in addition to the guide):
- Record every diplomatic reaction a careful analyst would record: states, governments, ministries,
  officials speaking for their state, international organizations. Not domestic opposition, not
  journalists or analysts, not the news event itself, not background.
- Write a speaker's name as the article gives it (the fullest form used in the article).
- The evidence must be an exact substring of the text file (same quotes, same spacing). Keep it short
  (one clause), and check each evidence with a quick script (e.g. python: `ev in open(f).read()`).
- Use canonical names (United States, United Kingdom, Russia, European Union, United Nations, ...).
- Validate each YAML file parses (python -c "import yaml; yaml.safe_load(open(...))").
Work carefully but briskly; when done, reply with one line per file: file, number of reactions.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("seed", type=int)
    parser.add_argument("out", type=Path, help="Folder for NN.txt, batch.json, the annotators' prompt.txt and gold/ (created; must be empty).")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "gold")
    parser.add_argument("--allsides", type=int, default=9)
    parser.add_argument("--dailymail", type=int, default=5)
    parser.add_argument("--polnear", type=int, default=1)
    parser.add_argument("--reuters", type=int, default=0)
    parser.add_argument("--karabakh", type=int, default=0)
    parser.add_argument("--mpqa", type=int, default=0)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out}: not empty")
    wanted = {name: getattr(args, name) for name in ("allsides", "dailymail", "polnear", *FILES)}
    batch = draw(args.seed, args.shared, args.gold, wanted)
    args.out.mkdir(parents=True, exist_ok=True)
    listing = []
    for n, entry in enumerate(batch, 1):
        (args.out / f"{n:02d}.txt").write_text(entry["text"], encoding="utf-8")
        listing.append({"file": f"{n:02d}.txt", **{k: v for k, v in entry.items() if k != "text"}})
        print(f"{n:02d}.txt  {entry['document']}  record={entry.get('record')}  published={entry.get('published')}")
    (args.out / "batch.json").write_text(json.dumps(listing, indent=1) + "\n", encoding="utf-8")
    # The annotators' brief, and the folder their gold files go to.
    (args.out / "gold").mkdir()
    brief = BRIEF.format(root=ROOT, shared=args.shared.resolve(), texts=args.out.resolve(), gold=(args.out / "gold").resolve())
    (args.out / "prompt.txt").write_text(brief, encoding="utf-8")
    print(f"annotators' brief: {args.out / 'prompt.txt'} (replace FILES with each one's files); gold files go to {args.out / 'gold'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
