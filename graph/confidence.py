"""How likely an extracted record is to be right (issue 15 §4), from ``graph/data/confidence.yaml``.

Two measurements, both made on the development gold by ``scripts/calibrate_confidence.py``:

- the **path table**: the strict precision of each extraction path (and path and class), which
  the extractor uses to choose between two paths that found the same statement;
- the **sentence model** (``graph/data/sentences.json``): a logistic regression over the words of a
  sentence, with names, numbers and quotation marks as placeholders, of whether annotators
  recorded a reaction in it; it learns how reactions are reported ("condemned the", "urged",
  "called on") and how background is ("former", "last year", "analysts"), not whose they are;
- the **model**: a logistic regression over a record's path, class, cue, targets, speaker,
  place in its article, how many of the article's records say the same and the sentence model's
  probability for its sentence, whose probability is the record's confidence. On held-out blind
  articles it orders records far better than the path table alone: the table never told a
  0.9-precise record from a 0.5 one, except for reactions "each way".

Without weights in the file a record's confidence is its path table entry.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Protocol

from graph.resources import shipped

#: What ``diplo ingest`` keeps unless told otherwise: records the model judges at least this likely
#: right. Chosen on the sixteenth to nineteenth blind batches (tests/gold/README.md) with a model fit
#: without them: the records it cut were about one in ten right, and strict F1 went 0.340 → 0.367
#: (precision 0.324 → 0.385, recall 0.358 → 0.350). At 0.8 the few records kept were 0.91 right,
#: at a sixth of the recall.
DEFAULT_MIN_CONFIDENCE = 0.15

_MODAL = re.compile(r"\b(?:would|could|might|should|may|if|whether|unless)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|no)\b|n't", re.IGNORECASE)
_REPORT = re.compile(r"\b(?:said|says|told|according to|statement)\b", re.IGNORECASE)
#: What the sentence model reads: words, numbers and quotation marks.
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+|[\"“”]")
#: The sentence model's intercept (a name no word can have).
SENTENCE_BIAS = "<bias>"


class Record(Protocol):
    """What the features read of an extracted record (:class:`graph.extract.Extracted`)."""

    actor_iri: str
    stance: str
    stance_class: str
    target_iris: list[str]
    evidence: str
    start: int
    speaker: str | None
    quote: str | None
    confidence: float
    cue: str
    path: str
    aim: str


def _lede_end(text: str) -> int:
    """Where the article's first paragraph ends (0 when the text is one paragraph: no lede to tell)."""
    return max(text.find("\n"), 0)


def _key(record: Record) -> tuple[str, str, frozenset[str]]:
    return record.actor_iri, record.stance_class, frozenset(record.target_iris)


def tally(records: Sequence[Record]) -> Counter[Any]:
    """How many of an article's records share each actor, each actor and class, and each whole key
    (actor, class, targets): what :func:`features` reads, counted once per article."""
    counts: Counter[Any] = Counter()
    for r in records:
        key = _key(r)
        counts[key[0]] += 1
        counts[key[:2]] += 1
        counts[key] += 1
    return counts


def lower_words(sentence: str) -> list[str]:
    """The lower-case words of a sentence after its first: the words that may open a sentence
    without being a name (the sentence model's ``known`` words are those seen so three times)."""
    return [t for t in _TOKEN.findall(sentence)[1:] if t[0].islower()]


def sentence_at(starts: Sequence[int], pos: int) -> int:
    """The index of the sentence (by its sorted ``starts``) that holds offset ``pos``."""
    return max(bisect_right(starts, pos) - 1, 0)


def sentence_words(sentence: str, known: Container[str]) -> set[str]:
    """What the sentence model reads of a sentence: its lower-case words and each pair of
    neighbours, with a capitalised word as ``<Cap>`` (a name, unless it opens the sentence and is a
    ``known`` lower-case word), a number as ``<num>`` and a double quotation mark as ``<q>``, so
    that the model learns how a reaction is reported and not whose it is; and its length."""
    tokens = _TOKEN.findall(sentence)
    kept = []
    for i, token in enumerate(tokens):
        if token in "\"“”":
            kept.append("<q>")
        elif token[0].isdigit():
            kept.append("<num>")
        elif token[0].isupper() and (i > 0 or token.lower() not in known):
            kept.append("<Cap>")
        else:
            kept.append(token.lower().replace("’", "'"))
    n = len(tokens)
    length = "len<10" if n < 10 else "len<25" if n < 25 else "len<45" if n < 45 else "len>=45"
    return {*kept, *(f"{a} {b}" for a, b in zip(kept, kept[1:])), length}


def features(
    text: str, records: Sequence[Record], record: Record, counts: Counter[Any] | None = None, sentence: float | None = None
) -> dict[str, float]:
    """One record's features, by name. ``records`` are all of its article's (``counts`` their
    :func:`tally`, if already made), ``record.confidence`` must still be its path table entry, and
    ``sentence`` is the sentence model's probability for the record's sentence (None: no model)."""
    counts = counts if counts is not None else tally(records)
    key = _key(record)
    found = {
        "bias": 1.0,
        f"path={record.path}": 1.0,
        f"class={record.stance_class}": 1.0,
        f"path+class={record.path}|{record.stance_class}": 1.0,
        f"stance={record.stance.rsplit('/', 1)[-1]}": 1.0,
        # How the targets were found: those the parse aims the cue at are right far more often
        # than a default's (dev gold, 0.4.40: 0.69 against 0.40 for "the other party").
        f"aim={record.aim}": 1.0,
        f"aim+class={record.aim}|{record.stance_class}": 1.0,
        "no target": float(not record.target_iris),
        "targets": min(len(record.target_iris), 4) / 4,
        "speaker": float(record.speaker is not None),
        "quote": float(record.quote is not None),
        "path confidence": record.confidence,
        "position": record.start / max(len(text), 1),
        "records in article": min(len(records), 40) / 40,
        "actor's share": counts[key[0]] / len(records),
        # An article that states the same position twice is more often read right on it.
        "actor and class repeated": min(counts[key[:2]] - 1, 3) / 3,
        "key repeated": min(counts[key] - 1, 3) / 3,
        "modal": float(bool(_MODAL.search(record.evidence))),
        "negation": float(bool(_NEGATION.search(record.evidence))),
        # The first paragraph usually states the reaction the article is about.
        "lede": float(record.start < _lede_end(text)),
        "report": float(bool(_REPORT.search(record.evidence))),
        "evidence length": min(len(record.evidence), 400) / 400,
        "article length": min(len(text), 20_000) / 20_000,
    }
    if record.cue:
        found[f"cue={record.cue.lower()}"] = 1.0
    if sentence is not None:
        found["sentence"] = sentence
    return found


def probability(weights: dict[str, float], found: dict[str, float]) -> float:
    """The logistic model's probability for one record's features (unknown names weigh nothing)."""
    z = sum(weights.get(name, 0.0) * value for name, value in found.items())
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@dataclass(frozen=True)
class Calibration:
    """The shipped measurements: the path table (precision per path and class, else per path,
    else overall), the model's weights and the sentence model's (empty: none)."""

    overall: float
    paths: dict[str, float]
    classes: dict[str, float]
    weights: dict[str, float] = field(default_factory=dict)
    sentence: dict[str, float] = field(default_factory=dict)

    @classmethod
    def shipped(cls) -> Calibration | None:
        """The shipped file's measurements, or None when there is none."""
        import yaml

        path = shipped("data", "confidence.yaml")
        if not path.is_file():
            return None
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sentences = shipped("data", "sentences.json")
        # JSON, not YAML: tens of thousands of word weights load in milliseconds.
        words = json.loads(sentences.read_text(encoding="utf-8"))["weights"] if sentences.is_file() else {}
        return cls(float(data["overall"]), dict(data.get("paths") or {}), dict(data.get("classes") or {}),
                   {str(k): float(v) for k, v in (data.get("weights") or {}).items()}, words)

    def path_confidence(self, path: str, coarse: str) -> float:
        """The strict precision measured for a path and class (backed off to the path, then all)."""
        return float(self.classes.get(f"{path} {coarse}", self.paths.get(path, self.overall)))

    def without_model(self) -> Calibration:
        """The same path table with no model (what calibration extracts with)."""
        return replace(self, weights={}, sentence={})

    @cached_property
    def _known(self) -> frozenset[str]:
        """The lower-case words the sentence model weighs (a sentence opening on one is not a name)."""
        return frozenset(w for w in self.sentence if " " not in w and not w.startswith("<"))

    def sentence_probability(self, sentence: str) -> float | None:
        """The sentence model's probability that annotators record a reaction in ``sentence``
        (None without a sentence model)."""
        if not self.sentence:
            return None
        z = self.sentence.get(SENTENCE_BIAS, 0.0) + sum(self.sentence.get(w, 0.0) for w in sentence_words(sentence, self._known))
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def rescore(self, text: str, records: Sequence[Any], sentences: Sequence[tuple[int, int]] = ()) -> None:
        """Set each record's confidence to the model's probability (records hold their path
        table entries on entry); nothing changes without weights. ``sentences`` are the text's
        sentence spans, for the sentence model."""
        if not self.weights:
            return
        counts = tally(records)
        starts = [s for s, _ in sentences]
        said: dict[int, float | None] = {}
        found = []
        for r in records:
            at = sentence_at(starts, r.start) if sentences else -1
            if at not in said:
                said[at] = self.sentence_probability(text[sentences[at][0] : sentences[at][1]]) if at >= 0 else None
            found.append(features(text, records, r, counts, said[at]))
        for r, f in zip(records, found):
            r.confidence = round(probability(self.weights, f), 2)
