"""The cue lexicon: the phrases reporters use for each stance, compiled from ``graph/data/cues.yaml``.

The YAML is data, not code (its header documents the syntax): concepts of the stance scheme
(``ontology/stances.ttl``) with their verbs and phrases, naming verbs with words of praise and
blame, reporting verbs, phrases for "both sides" and for mediators, and negations.
:class:`Lexicon` compiles it once into one pattern per first word, so that scanning a text tries
only the few cues that can start at each word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graph import vocab
from graph.resources import shipped

#: One word of a phrase, as ``<adj>`` and ``<x>`` slots match it.
WORD = r"[\w'’\-]+"
#: Where a cue can start: a word not glued to the one before.
_WORDS = re.compile(r"(?<![\w-])(?<!\w['’])\w[\w'’-]*")


def _inflect(verb: str) -> list[str]:
    """A regular English verb's forms: base, -s, -ed, -ing (with the usual spelling rules)."""
    base, _, past = verb.partition("|")
    forms = [base]
    if base.endswith(("s", "sh", "ch", "x", "z")):
        forms.append(base + "es")
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms.append(base[:-1] + "ies")
    else:
        forms.append(base + "s")
    if past:
        forms.append(past)
    elif base.endswith("e"):
        forms.append(base + "d")
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms.append(base[:-1] + "ied")
    elif re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprt]", base) and base not in {"veto"}:
        forms.append(base + base[-1] + "ed")
    else:
        forms.append(base + "ed")
    if re.search(r"[^aeiou][aeiou]l$", base) and not past:
        forms += [base + "led", base + "ling"]  # "expelled", "cancelled" (and the American "canceled")
    if base.endswith("ie"):
        forms.append(base[:-2] + "ying")
    elif base.endswith("e") and not base.endswith("ee"):
        forms.append(base[:-1] + "ing")
    elif re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprt]", base) and base not in {"veto"}:
        forms.append(base + base[-1] + "ing")
    else:
        forms.append(base + "ing")
    return forms


def _phrase_regex(phrase: str) -> str:
    parts = []
    for token in phrase.split():
        # Slot words may be quoted ('expressing "regret and concern"').
        if token == "<adj>":
            parts.append(rf"(?:[\"“‘]?{WORD}[\"”’]?\s+){{0,2}}?")
        elif token == "<x>":
            parts.append(rf"(?:[\"“‘]?{WORD}[\"”’]?[,]?\s+){{0,4}}?")
        else:
            # Quote marks may stand between a cue's words: 'is "deeply worried" about'.
            parts.append(re.escape(token) + r"[\"”’]?\s+[\"“‘]?")
    tail = r"[\"”’]?\s+[\"“‘]?"
    return "".join(parts)[: -len(tail)] if parts and not parts[-1].startswith("(?:") else "".join(parts)


class Lexicon:
    """The cue lexicon of ``graph/data/cues.yaml``, compiled."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        stances = {str(s.iri).rsplit("/", 1)[-1]: s for s in vocab.stances().values()}
        unknown = (set(data["concepts"]) | set(data.get("naming", {}).get("concepts", {}))) - set(stances)
        if unknown:
            raise ValueError(f"cues.yaml: not concepts of the stance scheme: {sorted(unknown)}")
        self.stances = stances
        alternatives: list[tuple[str, str, str, str, bool]] = []
        """(concept, pattern, first word, where its targets are, whether it is one word of a
        ``verbs`` entry: the parse checks those for a noun use) per cue."""
        for concept, entry in data["concepts"].items():
            where = entry.get("object", "after")
            for verb in entry.get("verbs", []):
                first, _, rest = verb.partition(" ")
                for form in _inflect(first):
                    alternatives.append((concept, _phrase_regex(f"{form} {rest}".strip()), form.lower(), where, not rest))
            for phrase in entry.get("phrases", []):
                alternatives.append((concept, _phrase_regex(str(phrase)), str(phrase).split()[0].lower(), where, False))
            # "Armenia must withdraw": phrases whose addressee comes before them.
            for phrase in entry.get("addressee_first", []):
                alternatives.append((concept, _phrase_regex(str(phrase)), str(phrase).split()[0].lower(), "before", False))
            # "a Russia-brokered truce": matched from the hyphen; the name before it is the actor.
            objects = "|".join(_phrase_regex(str(o)) for o in entry.get("compound_objects", []))
            for word in entry.get("compounds", []):
                alternatives.append((concept, rf"-{re.escape(word)}\s+(?:{WORD}\s+){{0,2}}?(?:{objects})", f"-{word}", "none", False))
        # "branded North Korea an outlaw nation": a naming verb (not "called on/for") and, close
        # after it, a word of praise or blame.
        naming = data.get("naming", {})
        for concept, words in naming.get("concepts", {}).items():
            said = "|".join(_phrase_regex(str(w)) for w in sorted(words, key=len, reverse=True))
            for verb in naming.get("verbs", []):
                for form in _inflect(verb):
                    pattern = (
                        rf"{re.escape(form)}(?!\s+(?:on|for|upon|off|in|out|up|back|it\s+quits)\b)\s+(?:{WORD}[,]?\s+){{0,4}}?"
                        rf"(?:as\s+)?(?:an?\s+|the\s+)?[\"“‘']?(?:{WORD}\s+){{0,3}}?(?:{said})"
                    )
                    alternatives.append((concept, pattern, form.lower(), "after", False))
        # Longest patterns first so "call for restraint" beats "call for". One pattern per first
        # word: trying a word's few cues beats one alternation of all of them at every position.
        alternatives.sort(key=lambda a: -len(a[1]))
        self.verbal_groups: set[str] = set()
        self.concept_of_group: dict[str, str] = {}
        self.object_of_group: dict[str, str] = {}
        by_first: dict[str, list[str]] = {}
        for i, (concept, pattern, first, where, verbal) in enumerate(alternatives):
            group = f"c{i}"
            self.concept_of_group[group] = concept
            self.object_of_group[group] = where
            if verbal:
                self.verbal_groups.add(group)
            by_first.setdefault(first, []).append(f"(?P<{group}>{pattern})")
        self.by_first = {
            word: re.compile(r"(?:" + "|".join(pieces) + r")(?![\w-])", re.IGNORECASE) for word, pieces in by_first.items()
        }
        self.refine = {k: {c: [w.lower() for w in ws] for c, ws in v.items()} for k, v in data["refine"].items()}
        reporting = [f for v in data["reporting"]["verbs"] for f in _inflect(v.split(" ")[0])]
        reporting += [re.escape(p) for p in data["reporting"]["phrases"]]
        self.reporting = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(reporting, key=len, reverse=True)) + r")(?![\w-])")
        self.both = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in sorted(data["both_parties"], key=len, reverse=True)) + r")(?![\w-])",
            re.IGNORECASE,
        )
        self.mediators = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in sorted(data["mediators"], key=len, reverse=True)) + r")(?![\w-])",
            re.IGNORECASE,
        )
        self.victim_cues = {p.lower() for p in data.get("victim_cues", [])}
        self.agent_cues = {p.lower() for p in data.get("agent_cues", [])}
        self.source_cues = {p.lower() for p in data.get("source_cues", [])}
        self.background = {p.lower() for p in data.get("background_forms", [])}
        negations = sorted(data["negations"], key=len, reverse=True)
        # Whole words only ("now" is not "no"); "n't" is glued to its verb ("didn't").
        words = "|".join(re.escape(n) for n in negations if n != "n't")
        self.negation = re.compile(r"(?:(?:^|\W)(?:" + words + r")|n['’]t)(?!\w)\W*(?:\w+\W+){0,3}$", re.IGNORECASE)

    @classmethod
    def shipped(cls) -> Lexicon:
        import yaml

        return cls(yaml.safe_load(shipped("data", "cues.yaml").read_text(encoding="utf-8")))

    def cues(self, text: str) -> Iterator[re.Match[str]]:
        """Non-overlapping cue matches in ``text``, left to right."""
        after = 0
        for word in _WORDS.finditer(text):
            if word.start() < after:
                continue
            surface = word.group(0).rstrip("'’").lower()  # "'outrageous'" ends at its quote mark
            pattern, at = self.by_first.get(surface), word.start()
            if pattern is None and "-" in surface:
                # "Russia-brokered": a compound cue starts at a hyphen inside the word.
                for i in (i for i, ch in enumerate(surface) if ch == "-"):
                    pattern, at = self.by_first.get(surface[i:]), word.start() + i
                    if pattern is not None:
                        break
            if pattern is None:
                continue
            m = pattern.match(text, at)
            if m is not None:
                after = m.end()
                yield m

    def concept_for(self, match: re.Match[str]) -> str:
        return self.concept_of_group[match.lastgroup or ""]

    def verbal(self, match: re.Match[str]) -> bool:
        """Whether the cue is one word of a ``verbs`` entry ("demands", "support")."""
        return (match.lastgroup or "") in self.verbal_groups

    def object_for(self, match: re.Match[str]) -> str:
        """Where the cue's targets are: "after" it, "before" it, or "none"."""
        return self.object_of_group[match.lastgroup or ""]
