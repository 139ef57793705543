"""Who reacted and at whom, read off a sentence's dependency parse (:mod:`graph.parse`).

The cue lexicon says *what* a stance is; these patterns say *who* took it and *at whom* it was
aimed, from the tree (UD relations, as the shipped parser labels them):

- the subject of the cue's predicate ("**France** condemned"), the agent of a passive ("was
  condemned by **Britain and France**"), the subject shared by coordinated verbs ("France condemned
  and rejected"), the subject of the verb a participle or infinitive hangs on ("Japan summoned …,
  saying …"), the noun a relative clause is about ("Turkey, which has accused …");
- reported speech: an evaluation whose subject is the thing judged ("the deployment was
  unacceptable"), or a pronoun ("Russia said it condemned …"), belongs to the subject of the verb
  that reports it;
- each member of a coordinated subject or object (and of a group named by its examples: "allies
  like the UK and France"); in one member, the head's own name first, then a
  name in apposition ("Danny Danon, Israel's ambassador"), then a possessor or demonym ("South
  Korea's Defense Ministry", "Canadian Prime Minister Justin Trudeau") — but only within the
  subject: a possessor inside an object ("summoned Russia's ambassador") is a target;
- targets: the cue's objects, and the nouns of "about / against / over / on / to …" attached to it,
  with their possessors ("concern about Iran's decision").

Everything here works on token spans; the extractor maps spans to the actor mentions it found.
They return None or an empty list when the tree says nothing useful, so the caller can fall back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Words that introduce a group's examples: "allies like the UK", "leaders, including", "such as".
_EXAMPLE_WORDS = frozenset({"like", "including", "such"})
#: Relations through which a predicate with no subject of its own takes its head's subject.
_SHARES_SUBJECT = frozenset({"conj", "advcl", "xcomp"})
#: Verbs that report speech: the clause they govern is their subject's.
REPORTING = frozenset({
    "say", "tell", "add", "state", "announce", "insist", "argue", "claim", "note", "declare", "write", "stress", "warn",
    "believe", "think", "repeat", "reiterate", "tweet", "explain", "acknowledge", "maintain", "assert",
})
#: Prepositions whose noun a cue is aimed at ("concern about", "sanctions against", "called on").
def _forms(verbs: frozenset[str]) -> frozenset[str]:
    # Surface forms, so no lemmatizer is needed: "say" → says, said (irregular), saying.
    out = {"said", "told", "wrote", "thought"}
    for v in verbs:
        stem = v[:-1] if v.endswith("e") else v
        out |= {v, v + "s", stem + "ed", stem + "ing", v + "d"}
    return frozenset(out)


_REPORTING_FORMS = _forms(REPORTING)
_AIMED = frozenset({"about", "against", "over", "on", "upon", "to", "at", "toward", "towards", "of"})
_SUBJECT = ("nsubj", "nsubj:outer", "csubj")
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "him", "her", "them"})
#: Nouns that name someone who can speak ("Turkey's government is concerned"): as the subject of a
#: judgment their owner is the actor. Any other noun there is a thing judged ("Egypt's decree was
#: illegitimate"), and its owner is whom the judgment is aimed at.
_VOICES = frozenset({
    "government", "ministry", "spokesman", "spokeswoman", "spokesperson", "president", "minister", "leader",
    "leaders", "official", "officials", "ambassador", "envoy", "administration", "office", "embassy", "delegation",
    "military", "army", "authorities", "parliament", "cabinet", "council", "state", "mission", "representative",
    "chancellor", "king", "secretary", "department", "agency", "navy", "forces", "regime", "side", "diplomat",
    "diplomats", "premier", "chief", "head", "prime", "foreign", "counterpart", "presidency", "kremlin", "spokespeople",
    # what its owner says: "Tillerson's view is that …", "Moscow's position was clear"
    "view", "views", "position", "stance", "message", "statement", "response", "reaction", "assessment", "conclusion",
    "argument", "verdict", "belief", "opinion", "answer", "reply", "comment", "comments", "remarks", "words", "tone",
})


def judges_a_thing(pred: Token, subject: Token | None) -> bool:
    """Whether ``pred`` is a judgment said of a thing: a predicate with a copula ("was
    illegitimate", "is a violation") whose subject is a common noun that names no one who speaks
    (``_VOICES``)."""
    return (
        subject is not None and subject.pos_ == "NOUN" and subject.lower_ not in _VOICES
        and any(c.dep_ == "cop" for c in pred.children)
    )


#: Cue heads whose subject is the one judged, not the judge: in a reported clause ("Turkey said the
#: Russian plane violated its airspace"; "Obama said Turkey had a right to defend itself") the
#: stance is the reporter's, about the subject.
_JUDGED = frozenset({"violate", "violated", "violates", "violating", "breach", "breached", "breaches", "right"})


#: Verbs that make a noun cue their subject's act: "voiced support", "issued demands", "made an
#: appeal". Under any other verb the noun is someone else's stance, or a thing: "rejected British
#: demands", "relied on support from Moscow".
_LIGHT = frozenset({
    "make", "issue", "voice", "express", "offer", "give", "lend", "repeat", "renew", "reiterate", "send",
    "deliver", "pledge", "extend", "announce", "step", "throw", "put", "set", "lodge", "file", "present",
    "reaffirm", "signal", "stress", "underline", "declare", "show", "have", "hold",
})
#: Roles of domestic voices: their country's name beside them does not make them speak for it
#: (the extractor's flat rules read the same words).
DOMESTIC = frozenset({
    "opposition", "lawmaker", "lawmakers", "legislator", "legislators", "senator", "senators", "congressman",
    "congresswoman", "mp", "mps", "nominee", "candidate", "candidates", "dissident", "dissidents", "activist", "activists",
    "democrats", "republicans", "congress", "congressional", "parliamentarians",
    # American titles before a legislator's name ("Sen. Lindsey Graham", "Rep. Eliot Engel").
    "sen.", "sens.", "rep.", "reps.", "house speaker",
})
#: People who speak for no state whatever state is named beside them: commentators, crowds, the
#: public ("Critics say …", "some came out in support").
GENERIC = frozenset({
    "critic", "critics", "analyst", "analysts", "expert", "experts", "observers", "commentators", "pundits", "protesters",
    "protestors", "demonstrators", "residents", "people", "citizens", "voters", "campaigners", "journalists", "scholars",
    "academics", "opponents", "supporters", "some", "many", "others", "families", "witnesses", "students", "workers",
    "investors", "economists", "historians",
})
_NOMINAL = frozenset({"obj", "iobj", "obl", "nmod", "nsubj", "nsubj:pass", "compound", "appos"})
_LIGHT_FORMS = _forms(_LIGHT) | {"made", "gave", "given", "sent", "held", "had", "has", "put", "set", "threw", "thrown", "shown"}


def borrowed_noun(doc: Doc, start: int, end: int) -> bool:
    """Whether a cue found by one of its verb forms ("demands", "support", "warning") is used here
    as a noun that is not its subject's act: not governed by a verb like "voiced" or "issued"
    (see ``_LIGHT``). Offsets are within the sentence."""
    head = cue_head(doc, start, end)
    # The tag alone misleads ("Iran denies being …" is often tagged a noun): the relation must be
    # a noun's too.
    if head is None or head.pos_ != "NOUN" or head.dep_ not in _NOMINAL:
        return False
    governor = head.head
    return not (head.dep_ in ("obj", "iobj", "obl") and governor.pos_ in ("VERB", "AUX") and governor.lower_ in _LIGHT_FORMS)


@dataclass
class Member:
    """One member of a subject or object list: ranked spans where its actor may be named."""

    head: tuple[int, int]
    """The head token and the names glued to it (flat, compound)."""
    appositions: list[tuple[int, int]]
    owners: list[tuple[int, int]]
    """Possessors and adjectives ("South Korea's", "Canadian")."""
    pronoun: bool = False
    domestic: bool = False
    """Titled as a domestic voice ("Sen. Lindsey Graham", "German lawmaker X"): speaks for no state."""


@dataclass
class Who:
    members: list[Member]
    path: str
    """How the tree found them: "tree:subject", "tree:passive-agent", "tree:relative", "tree:reported"…"""
    judged: bool = False
    """The reporter of a clause whose subject is the one judged (``_JUDGED``): a name right before
    the cue is that subject, not a sign of a misparse."""


#: Words whose complement is what someone is accused of or denies ("accused Russia of *attacking*",
#: "denied *supporting* the rebels", "accusations that it *threatened*"): a cue there is the charge,
#: not a stance of its own.
_CHARGING = frozenset({
    "accuse", "accuses", "accused", "accusing", "deny", "denies", "denied", "denying", "allege", "alleges", "alleging",
    "accusation", "accusations", "allegation", "allegations", "denial", "denials", "charges",
})
#: The relations by which a charge hangs on the word that makes it, and the words that must mark
#: it (None: any or none): "of" or "that" ("accused X *of* shelling", "claims *that* it armed"),
#: not "while" or "against" ("denied it *while* siding with", "accusations *against* Russia").
_CHARGE = {"advcl": {"of", "for", "that"}, "acl": {"of", "for", "that"}, "obl": {"of", "for"}, "nmod": {"of", "for"},
           "ccomp": None, "xcomp": None, "acl:relcl": {"that"}}  # "accusations that it had …" parsed as relative


def in_charge(doc: Doc, start: int, end: int) -> bool:
    """Whether the cue within ``[start, end)`` (sentence offsets) lies in what an accusation or a
    denial says was done: below a charging word (``_CHARGING``) by a clause or "of" phrase that
    follows it. A verb joined to the charging verb ("accused Kyiv of shelling and *urged* it to
    stop") is the speaker's own."""
    token = cue_head(doc, start, end)
    if token is not None and token.lower_ in _CHARGING:
        return False  # "charges that Russian officials have *denied*": a denial is its maker's own
    while token is not None and token.head != token:
        parent = token.head
        if parent.lower_ in _CHARGING and parent.idx < token.idx and not (start <= parent.idx < end):
            if token.dep_ not in _CHARGE:
                return False
            marks = _CHARGE[token.dep_]
            return marks is None or any(c.lower_ in marks for c in token.children)
        token = parent
    return False


def cue_head(doc: Doc, start: int, end: int) -> Token | None:
    """The syntactic head of the tokens within ``[start, end)`` (sentence offsets): the one whose
    head lies outside the span."""
    inside = [t for t in doc if start <= t.idx < end and t.pos_ != "PUNCT"]
    for t in inside:
        if t.head == t or not (start <= t.head.idx < end):
            return t
    return None


def governs(doc: Doc, start: int, end: int, at: int) -> bool:
    """Whether the word at sentence offset ``at`` hangs from the cue within ``[start, end)`` with no
    other verb between them: "backed President Maduro", "support for the sovereignty of
    Azerbaijan"; not "condemned the violence and said the United States would …", where it is
    another verb's subject."""
    token = next((t for t in doc if t.idx <= at < t.idx + len(t)), None)
    head = cue_head(doc, start, end)
    if token is None or head is None:
        return False
    while token.head != token:
        token = token.head
        if token == head or start <= token.idx < end:
            return True
        if token.pos_ in ("VERB", "AUX"):
            return False
    return False


def _span(tokens: list[Token]) -> tuple[int, int]:
    return min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)


def member(token: Token) -> Member:
    """Where the actor of one noun phrase may be named, best first."""
    glued = [token, *(c for c in token.children if c.dep_ in ("flat", "flat:name", "compound"))]
    appositions: list[tuple[int, int]] = []
    owners: list[tuple[int, int]] = []
    for c in token.children:
        if c.dep_ == "appos":
            appositions.append(_span(list(c.subtree)))
        elif c.dep_ in ("nmod:poss", "amod", "nmod:desc", "det:poss"):
            # The owner's own name, not what hangs on it ("Turkey, Azerbaijan's ally" parsed with
            # Azerbaijan in apposition to Turkey still names Turkey).
            owners.append(_span([c, *(k for k in c.children if k.dep_ in ("flat", "flat:name", "compound", "amod"))]))
    pronoun = token.pos_ == "PRON" and token.lower_ in _PRONOUNS
    # A title may hang on the first name ("Sen." on "Lindsey" in "Sen. Lindsey Graham").
    roles = {token.lower_, *(c.lower_ for g in glued for c in g.children if c.dep_ in ("compound", "amod", "appos", "nmod:desc"))}
    domestic = bool(roles & DOMESTIC)
    if domestic:
        # "Belarus's opposition leader", "German lawmaker X", "Sen. X, an adviser of Mr. Trump's":
        # a voice in the state, not its own, whoever its owner or description names.
        owners, appositions = [], []
    return Member(_span(glued), appositions, owners, pronoun, domestic)


def _listed_owners(token: Token) -> list[Token]:
    """Adjectives listed before a noun ("French, German and British ministers", "Russian and
    Chinese officials"): each a member of its own. Empty unless there are two or more joined by
    "and", "or" or commas (the parser gives them as sibling modifiers or as a conjunction)."""
    first = [c for c in token.children if c.dep_ == "amod" and c.pos_ in ("ADJ", "PROPN") and c.i < token.i]
    listed: list[Token] = []
    for c in first:
        listed += [c, *(k for k in c.subtree if k.dep_ == "conj" and k.pos_ in ("ADJ", "PROPN") and k.i < token.i)]
    listed.sort(key=lambda t: t.i)
    if len(listed) < 2:
        return []
    # Adjacent ones only: "French, German and British" but not "British" and "foreign" in
    # "British foreign ministers", which stand side by side with nothing joining them.
    doc = token.doc
    joined = [listed[0]]
    for prev, nxt in zip(listed, listed[1:]):
        between = [doc[i].lower_ for i in range(prev.i + 1, nxt.i)]
        if not between or any(w not in (",", "and", "or") for w in between):
            break
        joined.append(nxt)
    return joined if len(joined) >= 2 else []


def members(token: Token) -> list[Member]:
    """Each member of a coordinated phrase ("Norway, Sweden, Finland and Denmark"), or of a list
    of adjectives before one noun ("French and German ministers"). A further member counts only
    by its own name: "Turkey, a NATO member" is often parsed as a list, and "a NATO member" is a
    description, not a second subject."""
    first = member(token)
    owners = _listed_owners(token) if first.owners else []
    out = [replace(first, owners=[_span([k, *(c for c in k.children if c.dep_ in ("flat", "flat:name", "compound"))])]) for k in owners]
    out = out or [first]
    for c in token.children:
        if c.dep_ == "conj" and c.pos_ in ("PROPN", "X"):
            for m in members(c):
                out.append(Member(m.head, [], [], m.pronoun))
    return out


def _subject_of(pred: Token) -> Token | None:
    return next((c for c in pred.children if c.dep_ in _SUBJECT), None)


def _examples(token: Token) -> Token | None:
    """The listed examples that name a group ("allies like the UK and France", "world leaders,
    including Erdogan and Putin"): the group itself is no actor, its examples are."""
    if token.pos_ != "NOUN":
        return None
    return next((c for c in token.children if c.dep_ in ("nmod", "obl", "acl")
                 and any(k.dep_ in ("case", "mark") and k.lower_ in _EXAMPLE_WORDS for k in c.children)), None)


def subject_members(pred: Token, subject: Token) -> list[Member]:
    """The members of ``pred``'s subject: its examples when it is a group named by them, and a
    second subject joined by "and" that the parser hung on the verb of its own ("Italy's ministry
    and Canadian foreign minister X condemned")."""
    listed = _examples(subject)
    found = members(listed if listed is not None else subject)
    for other in pred.children:
        if other.i > subject.i and other.dep_ in _SUBJECT and any(k.dep_ == "cc" for k in other.children):
            found += members(other)
    return found


def _reporter(pred: Token) -> Token | None:
    """The reporting verb governing ``pred``'s clause ("…, saying the deployment was unacceptable";
    "the ministry said it condemned …"), if any."""
    p = pred
    for _ in range(4):
        if p.dep_ in ("ccomp", "parataxis") and p.head.lower_ in _REPORTING_FORMS:
            return p.head
        if p.dep_ in ("ccomp", "parataxis", "conj") and p.head != p:
            p = p.head
            continue
        return None
    return None


def who(doc: Doc, head: Token, start: int, end: int, *, addressee_first: bool = False) -> list[Who]:
    """Who may have taken the stance whose cue (``[start, end)``, sentence offsets) is headed by
    ``head``, best first: the clause's own subject, then the subject of the verb reporting the
    clause. The caller takes the first that names an actor; an empty list when the tree says
    nothing. For a cue whose addressee comes first ("Armenia must withdraw", "… to show
    restraint") the clause's subject is the addressee: only the reporter can be the actor."""
    out: list[Who] = []
    pred = head
    path = "tree:subject"
    judged = False
    # A stance noun ("issued a condemnation", "voiced concern") is the object of a light verb.
    if pred.pos_ == "NOUN" and pred.dep_ in ("obj", "obl") and pred.head.pos_ == "VERB":
        pred = pred.head
    for _ in range(6):
        agent = next((c for c in pred.children if c.dep_ == "obl:agent"), None)
        subject = _subject_of(pred)
        if agent is not None and any(k.dep_ == "case" and start <= k.idx < end for k in agent.children):
            # "Armenia is disturbed by Turkey's solidarity": a "by" inside the cue names its
            # cause; the one disturbed is the subject.
            subject = next((c for c in pred.children if c.dep_ == "nsubj:pass"), subject)
        elif agent is not None and subject is None:  # an active subject: "by" belongs to an object
            return out if addressee_first else [*out, Who(members(agent), "tree:passive-agent")]
        if subject is None and any(c.dep_ == "nsubj:pass" for c in pred.children):
            return out  # a passive naming no agent ("was condemned"): no one the tree can name
        if subject is not None:
            if subject.lower_ in ("which", "who", "whom", "that"):
                if pred.dep_ == "acl:relcl" and not addressee_first:
                    out.append(Who(members(pred.head), "tree:relative"))
                return out
            judged_subject = path == "tree:subject" and head.lower_ in _JUDGED and _reporter(pred) is not None
            judged = judged or judged_subject
            # "Russia said Egypt's decree was illegitimate": the decree is judged, not judging.
            thing = path == "tree:subject" and judges_a_thing(pred, subject)
            if not addressee_first and not judged_subject and not thing:
                out.append(Who(subject_members(pred, subject), path, judged=judged))
            # A pronoun or a thing judged ("the deployment was unacceptable") in a reported
            # clause: the reporter's subject holds the stance.
            reporter = _reporter(pred)
            if reporter is None:
                return out
            pred, path, addressee_first = reporter, "tree:reported", False
            continue
        if pred.dep_ in _SHARES_SUBJECT and pred.head != pred:
            if pred.dep_ == "xcomp" and any(c.dep_ in ("obj", "iobj") for c in pred.head.children):
                # "urged Armenia to show restraint": the object is told to act; the urging verb's
                # subject is the actor.
                addressee_first = False
            pred, path = pred.head, ("tree:shared-subject" if path == "tree:subject" else path)
            if pred.dep_ == "xcomp":
                addressee_first = False
            continue
        if pred.dep_ in ("ccomp", "parataxis") and pred.head.lower_ in _REPORTING_FORMS:
            pred, path, addressee_first = pred.head, "tree:reported", False
            continue
        return out
    return out


def objects(doc: Doc, start: int, end: int) -> list[Member]:
    """Whom the cue within ``[start, end)`` is aimed at: its objects and the nouns of "about /
    against / over / on / to …" attached to it (each list member), not inside its span."""
    cue = [t for t in doc if start <= t.idx < end]
    found: list[Member] = []
    seen: set[int] = set()

    def add(token: Token) -> None:
        if token.i in seen or start <= token.idx < end:
            return
        seen.add(token.i)
        found.extend(members(token))

    for t in cue:
        if judges_a_thing(t, _subject_of(t)):
            add(_subject_of(t))  # "said Egypt's decree was illegitimate": the decree's owner is aimed at
        if t.lower_ in _JUDGED:
            # "said the Russian plane violated its airspace": the one judged is aimed at.
            judged = _subject_of(t) or (_subject_of(t.head) if t.dep_ in ("obj", "obl") else None)
            if judged is not None:
                add(judged)
        if t.dep_ == "case" and (t.lower_ in _AIMED or t.lower_ == "by") and not (start <= t.head.idx < end):
            add(t.head)  # the cue ends in its preposition: "worried about", "called on"
        for c in t.children:
            if c.dep_ in ("obj", "iobj"):
                add(c)
            elif c.dep_ in ("obl", "nmod") and any(k.dep_ == "case" and k.lower_ in _AIMED for k in c.children):
                add(c)
    return found
