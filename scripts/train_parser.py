"""Train the dependency parser diplograph ships (graph/data/parser) from UD English EWT.

Reproduces the shipped pipeline: converts the treebank's CoNLL-U files with spaCy's own converter,
trains with scripts/parser.cfg or ``--config`` (fixed seed, wall-clock budget, best checkpoint kept), evaluates the
best checkpoint on EWT dev and test from raw text, and copies it into the package with an
ATTRIBUTION.md that names the data, its licence and the measured scores.

    nice -n 19 env OMP_NUM_THREADS=1 .venv/bin/python scripts/train_parser.py            # ~50 min
    .venv/bin/python scripts/train_parser.py --minutes 2 --out test-output/parser-try     # a smoke run
    .venv/bin/python scripts/train_parser.py --skip-training   # evaluate and ship an earlier run's best

Needs ../shared/data/ud-english-ewt (train/dev/test .conllu). Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Callable

import spacy
from thinc.api import Config
from spacy.cli.evaluate import evaluate
from spacy.cli.train import train
from spacy.tokens import DocBin
from spacy.training.converters import conllu_to_docs

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "scripts" / "parser.cfg"
SPLITS = ("train", "dev", "test")


class TimeBudgetSpent(Exception):
    """Raised from inside spaCy's training loop when the wall-clock budget is used up."""


@spacy.registry.callbacks("diplograph.time_budget.v1")
def time_budget(minutes: float) -> Callable[[Any, dict[str, Any]], None]:
    """A before_update callback that stops training after `minutes` of wall-clock time.

    spaCy saves the best checkpoint at every evaluation, so stopping between updates loses nothing
    but the steps since the last evaluation.
    """
    started: list[float] = []

    def check(nlp: Any, args: dict[str, Any]) -> None:
        if not started:
            started.append(time.monotonic())
        elif time.monotonic() - started[0] > minutes * 60:
            raise TimeBudgetSpent(f"{minutes} minutes spent at step {args['step']}")

    return check


def convert(ud_dir: Path, corpus_dir: Path) -> dict[str, Path]:
    """Convert EWT's CoNLL-U splits to spaCy's binary format (10 sentences per document)."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for split in SPLITS:
        source = ud_dir / f"en_ewt-ud-{split}.conllu"
        if not source.exists():
            sys.exit(f"error: {source} not found (the UD English EWT treebank)")
        docs = conllu_to_docs(source.read_text(encoding="utf-8"), n_sents=10, no_print=True)
        target = corpus_dir / f"{split}.spacy"
        DocBin(docs=docs, store_user_data=False).to_disk(target)
        paths[split] = target
    return paths


def scores_of(model: Path, corpus: Path) -> dict[str, float]:
    """Token, POS, tag, lemma, UAS and LAS of `model` on `corpus`, parsed from raw text."""
    raw = evaluate(str(model), corpus, use_gpu=-1, silent=True)
    keys = ("token_acc", "pos_acc", "tag_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f")
    return {key: round(float(raw[key]), 4) for key in keys if raw.get(key) is not None}


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def attribution(scores: dict[str, dict[str, float]], run: dict[str, Any]) -> str:
    """The ATTRIBUTION.md shipped beside the model."""
    test, dev = scores["test"], scores["dev"]
    pct = lambda v: f"{100 * v:.1f}"  # noqa: E731
    return f"""# diplograph's dependency parser

A spaCy {spacy.__version__} pipeline (tok2vec, tagger, morphologizer, trainable lemmatizer, parser; no
pretrained vectors) trained by diplograph's `scripts/train_parser.py` with `{run.get('config', 'scripts/parser.cfg')}`.

## Training data and licence

Trained on the **Universal Dependencies English Web Treebank** (UD English EWT; Silveira et al. 2014
and the UD contributors; the original EWT is LDC2012T13), repository
UniversalDependencies/UD_English-EWT, licensed **CC BY-SA 4.0**
(https://creativecommons.org/licenses/by-sa/4.0/). These weights are derived from it and are
distributed under the same licence, CC BY-SA 4.0, with this attribution.

## Measured accuracy (raw text in, the pipeline's own tokens and sentences)

spaCy's scorer (`spacy evaluate`): UAS and LAS leave punctuation out; tokens are aligned to the
treebank's words.

| split | UAS | LAS | UPOS | XPOS tag | lemma | tokens |
|---|---|---|---|---|---|---|
| EWT test (en_ewt-ud-test) | {pct(test['dep_uas'])} | {pct(test['dep_las'])} | {pct(test['pos_acc'])} | {pct(test['tag_acc'])} | {pct(test.get('lemma_acc', 0))} | {pct(test['token_acc'])} |
| EWT dev (model selection) | {pct(dev['dep_uas'])} | {pct(dev['dep_las'])} | {pct(dev['pos_acc'])} | {pct(dev['tag_acc'])} | {pct(dev.get('lemma_acc', 0))} | {pct(dev['token_acc'])} |

Training: {run['minutes']:.0f} minutes of wall-clock time on one CPU thread, best checkpoint kept
({run['stopped']}), seed {run['seed']}.
"""


def forget_training(config_path: Path) -> None:
    """Drop what only training reads from the shipped config: local corpus paths, the budget hook
    (registered by this script alone, so spaCy's own commands could not read the config)."""
    config = Config().from_disk(config_path, interpolate=False)
    config["paths"]["train"] = config["paths"]["dev"] = None
    config["training"]["before_update"] = None
    config.to_disk(config_path)


def describe(meta_path: Path, scores: dict[str, dict[str, float]]) -> None:
    """Name the pipeline, its data and licence in spaCy's meta.json (it ships without a package)."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update({
        "name": "diplograph_parser",
        "version": "1.0.0",
        "description": "diplograph's dependency parser: trained on UD English EWT by scripts/train_parser.py",
        "license": "CC BY-SA 4.0",
        "sources": [{"name": "Universal Dependencies English Web Treebank (UD English EWT)",
                     "url": "https://github.com/UniversalDependencies/UD_English-EWT",
                     "license": "CC BY-SA 4.0", "author": "Silveira et al. 2014; the UD contributors"}],
        "performance_test": scores["test"],
    })
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ud", type=Path, default=ROOT.parent / "shared" / "data" / "ud-english-ewt")
    parser.add_argument("--work", type=Path, default=ROOT / "test-output" / "parser-train")
    parser.add_argument("--out", type=Path, default=ROOT / "graph" / "data" / "parser")
    parser.add_argument("--config", type=Path, default=CONFIG, help="training config (default: scripts/parser.cfg)")
    parser.add_argument("--minutes", type=float, help="wall-clock budget (default: the config's)")
    parser.add_argument("--max-steps", type=int, help="step limit (default: the config's)")
    parser.add_argument("--skip-training", action="store_true",
                        help="evaluate and ship the best checkpoint already under --work (its run.json says how it was trained)")
    args = parser.parse_args(argv)

    corpus = convert(args.ud, args.work / "corpus")
    overrides: dict[str, Any] = {"paths.train": str(corpus["train"]), "paths.dev": str(corpus["dev"])}
    if args.minutes is not None:
        overrides["vars.budget_minutes"] = args.minutes
    if args.max_steps is not None:
        overrides["training.max_steps"] = args.max_steps
    trained = args.work / "model"
    if args.skip_training:
        run = json.loads((args.work / "run.json").read_text(encoding="utf-8"))
    else:
        started = time.monotonic()
        try:
            train(args.config, trained, use_gpu=-1, overrides=overrides)
            stopped = "max_steps or patience reached"
        except TimeBudgetSpent as spent:
            stopped = f"budget: {spent}"
        seed = spacy.util.load_config(args.config)["system"]["seed"]
        config = args.config.resolve()
        named = str(config.relative_to(ROOT)) if config.is_relative_to(ROOT) else config.name
        run = {"minutes": (time.monotonic() - started) / 60, "stopped": stopped, "seed": seed, "config": named}
        (args.work / "run.json").write_text(json.dumps(run), encoding="utf-8")
    best = trained / "model-best"

    scores = {split: scores_of(best, corpus[split]) for split in ("dev", "test")}

    if args.out.exists():
        shutil.rmtree(args.out)
    shutil.copytree(best, args.out)
    forget_training(args.out / "config.cfg")
    (args.out / "ATTRIBUTION.md").write_text(attribution(scores, run), encoding="utf-8")
    describe(args.out / "meta.json", scores)
    report = {"run": run, "scores": scores, "model_bytes": dir_size(args.out), "model": str(args.out)}
    (args.work / "scores.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
