"""Finding diplomatic reactions in news text: who reacted how, toward whom, said by whom.

Deterministic and explainable, with no models to download (../shared/DESIGN.md §4; the parser is
the one the package ships, :mod:`graph.parse`):

1. **Actors** are found by the graph's own names — labels and aliases of states (with capitals
   and adjectives), organizations, government bodies and officials (:mod:`graph.gazetteer`). An
   official speaks for the state or organization of the post held on the article's date; a body
   (the Kremlin) for the state it belongs to. A person the graph doesn't know but the text gives
   a title ("Azerbaijan's defence ministry spokesman Vagif Dargahli") is attached to the actor
   in the title.
2. **Who and at whom** are read off the dependency parse of each sentence that holds a cue
   (:mod:`graph.syntax`): the cue's subject, passive agent, the subject it shares with the verb it
   hangs on, the reporter of a reported clause, every member of a list, a possessor only inside
   the subject. Where the tree names no actor (no parse, a pronoun, a subject the gazetteer doesn't
   know) the flat rules decide: quoted passages are tied to the speaker named beside them with a
   reporting verb ("…," Peskov told reporters); a quote standing alone continues the last speaker;
   "he", "the minister" refer to the last person named; else the nearest name before the cue.
3. **Stances** come from the cue lexicon ``graph/data/cues.yaml`` (data, not code; compiled by
   :mod:`graph.lexicon`): each cue names a concept of ``ontology/stances.ttl``.
4. **Targets** are the actors in the phrase the cue governs ("urged *Armenia and Azerbaijan*"),
   or inside the quote for quoted cues, or the cue's objects in the tree when those are more
   ("concern about *Iran's* decision"); "both sides" means the two parties the article is about
   (the two states it names most); "each other" makes a reaction in both directions.

Every reaction keeps its evidence span (character offsets into the text), the quote when the
words were quoted, the **path** that found its actor ("tree:subject", "quote:attributed",
"pronoun", "fallback:flat" …) and a confidence: how likely it is to be strictly right, by a model
fit on the development gold (:mod:`graph.confidence`, ``scripts/calibrate_confidence.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from graph.confidence import Calibration
from graph.gazetteer import Actor, Gazetteer, Mention
from graph.lexicon import Lexicon
from graph.model import THE_ARTICLES_STATE, THE_OTHER_PARTY, THE_PARTIES
from graph.parse import parse_where
from graph.resources import shipped
from graph.syntax import DOMESTIC, GENERIC, Member, borrowed_noun, cue_head, governs, in_charge, objects, who

if TYPE_CHECKING:
    from graph.documents import Document
    from graph.store import Store

#: Bump when extraction rules, lexicons or confidences change: a newer version re-extracts a source.
EXTRACTOR_VERSION = "0.4.80"

#: Titles that make the capitalised words after them a person's name.
TITLES = (
    "President", "Vice President", "Prime Minister", "Deputy Prime Minister", "Foreign Minister",
    "Deputy Foreign Minister", "Defence Minister", "Defense Minister", "Interior Minister", "Minister",
    "Secretary of State", "Foreign Secretary", "Defence Secretary", "Defense Secretary", "Secretary-General",
    "Secretary General", "Chancellor", "King", "Emir", "Crown Prince", "Supreme Leader", "Ambassador",
    "ambassador", "envoy", "Envoy", "spokesman", "spokeswoman", "spokesperson", "Spokesman", "Spokeswoman",
    "Spokesperson", "adviser", "advisor", "Adviser", "Advisor", "chief", "Chief", "Speaker", "Senator",
    "representative", "Representative", "General", "Gen.", "commander", "Commander", "official", "Pope",
    # British style writes the office in lower case: "Armenian prime minister Nikol Pashinian".
    "president", "prime minister", "foreign minister", "defence minister", "defense minister",
)
#: Titles of lawmakers (:data:`TITLES`), whose state the article's is not taken to be.
_LEGISLATIVE = frozenset({"Speaker", "Senator", "Representative", "representative"})
#: One word of a person's name: "Lavrov", "McGahn", "ElBaradei", "O'Brien", "Takht-Ravanchi" (hyphenated
#: across a line break); not an honorific, and not a possessive ("Koizumi's" is "Koizumi").
_NAME_WORD = (
    r"(?!(?:Dr|Mr|Mrs|Ms|Prof|Sir)\b)(?:(?:Mc|Mac|El|Al|De|Di|La|Le)[A-Z][a-zà-ÿ]+|[A-Z][a-zà-ÿ]+|[A-Z]['’][A-Z][a-zà-ÿ]+)"
    r"(?:[-'’](?:[ \t]*\n[ \t]*)?[A-Za-zà-ÿ][a-zà-ÿ]+)*"
)
#: Two or three such words, within a paragraph (a wrapped line may split them, a blank line not),
#: and a middle initial after the first ("Asad M. Khan", "John F. Kerry").
_PERSON_NAME = (
    rf"{_NAME_WORD}(?:[ \t]+[A-Z]\.)?(?:(?:[ \t]+|[ \t]*\n[ \t]*)(?:al-|bin[ \t]+|de[ \t]+|van[ \t]+|von[ \t]+)?{_NAME_WORD}){{1,2}}"
)
#: A middle initial inside a name ("Asad M. Khan"), with the space before it.
_MIDDLE_INITIAL = re.compile(r"[ \t]+[A-Z]\.(?=[ \t])")
#: Words that end an organization's name, never a person's ("Fars News Agency", "Guard Corps").
_NOT_A_PERSON = re.compile(
    r"\b(?:Agency|Airlines|Army|Assembly|Association|Bank|Chambers?|Committee|Company|Corps|Council|Court|Criteria|"
    r"Department|Forces|Government|Group|Institute|Ministry|News|Office|Organi[sz]ation|Parliament|Party|Secretary|"
    r"Union|University)$"
)
#: Capitalised words a title or a line's start leaves at either end of a name ("Chief Executive
#: Carrie Lam", "Kofi Annan Former …").
_NAME_EDGE = re.compile(r"^(?:(?:Executive|Former|Brigadier|Brig-Gen|General|Deputy)\s+)+|(?:\s+(?:Former|The))+$")


def _same_person(label: str, name: str) -> bool:
    """Whether a name with a middle initial is a known person's: the same surname, and first
    names with the same initial ("Joseph R. Biden" is "Joe Biden", "Asad M. Khan" not "Imran Khan")."""
    known, named = label.split(), _MIDDLE_INITIAL.sub("", name).split()
    return len(known) >= 2 and known[-1].casefold() == named[-1].casefold() and known[0][:1] == named[0][:1]


def _person_label(name: str) -> str | None:
    """The label of a person the graph doesn't know, from the words matched as their name: on one
    line, single spaces, edge words dropped; None when it is an organization's name or one word."""
    label = re.sub(r"-\s+", "-", " ".join(name.split()))
    label = _NAME_EDGE.sub("", label)
    if _NOT_A_PERSON.search(label) or len(label.split()) < 2:
        return None
    return label


#: A name followed by its role between commas: "Danny Danon, Israel's ambassador to the UN, …".
_APPOSITIVE = re.compile(
    rf"(?P<name>(?<![\w-]){_PERSON_NAME}),\s+"
    r"(?P<role>(?:(?:a|an|the)\s+)?(?:\b[A-Z]\.|[^,.;:\"“”()]){3,90}?),"  # "the U.S. envoy": an initialism's stops are no sentence's end
)
_TITLE_WORD = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in TITLES) + r"|minister|president|secretary|prime minister)\b", re.IGNORECASE)
#: A role in apposition right after a person's name, naming an organization: ", chairman of the".
_ROLE_OF = re.compile(r",\s+(?:the\s+)?(?:current\s+)?(?:chairman|chairwoman|chair|head|secretary[- ]general|president|spokes(?:man|woman|person))\s+(?:of|for)\s+(?:the\s+)?", re.IGNORECASE)
#: Between two people of one list: "and French President", ", and the Turkish Foreign Minister".
_TITLED_GAP = re.compile(r"\s*,?\s*(?:and|or)\s+(?:the\s+)?(?:[A-Z][\w.'’-]*\s+){1,4}")
#: Capitalised words that make a "name" something else: a day, a month, a clause's opening word.
_NOT_A_NAME = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|June|July|August|"
    r"September|October|November|December)\b|^(?:On|In|At|The|But|And|After|Before|When|While|Last|This|Earlier|Later)\s"
)
#: Words that make a following "he"/"she" or "the minister" refer to the last person named.
PRONOUNS = re.compile(
    r"^\s*(?:It|They)\b|\b(?:he|she|He|She|the (?:minister|spokesman|spokeswoman|spokesperson|president|prime minister|"
    r"foreign minister|official|envoy|ambassador|leader|chancellor))\b"
)
#: A sentence opening on a name as a verb's subject ("Haron was charged …", "Monis, 50, had …"):
#: when the gazetteer knows no such name, a "he" after it is that person, not the last official.
_NAMED_OPENER = re.compile(
    r"\s*(?:(?:Last|Earlier|Later|In|On|By)\b[^,]{0,25},\s+)?"
    r"(?P<name>[A-Z][a-z]+(?:[-'’][A-Za-z]+)?(?:\s+[A-Z][a-z]+(?:[-'’][A-Za-z]+)?){0,2})"
    r"(?:,[^,]{1,60},)?\s+(?:was|is|has|had|said|says|told|would|will|[a-z]+ed)\b"
)
#: Capitalised words that open a sentence without being anyone's name.
_OPENING_WORDS = frozenset(
    "The A An But And In On At For After Before When While As If Although Though Since Meanwhile It He She They We I "
    "This That These Those His Her Their Its Our There Here What Who Some Many Most Other Others Both Each Last Earlier "
    "Later Also Still Yet So Then Now Such One Two Three Officials Police Authorities Protesters Witnesses Analysts "
    "Experts Critics Supporters Residents Demonstrators Troops Forces Militants Rebels Soldiers Lawmakers Diplomats "
    "Security Government Officers Investigators Prosecutors Sources Reports News State Today Yesterday".split()
)
_QUOTES = [("“", "”"), ('"', '"'), ("«", "»")]
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|(?<=[a-z]{2}[.!?])(?=[\"“]?[A-Z](?:[A-Za-z]|\s|\.[A-Z]))|(?<=[a-z]{2}[.!?][”’])(?=[A-Z])|(?<=[a-z]['’\"”])(?=[A-Z][a-z]{2})|\n\s*\n|\n(?=[A-Z“\"])|\n(?=\s*[*•-]\s)|\s\*\s(?=[A-Z])")
_ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sen|Rep|St|Mt|U\.S|U\.N|U\.K|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|vs|[A-Z])\.$")
_CLAUSE_STOP = re.compile(
    r",\s*(?:according to|said|says|saying|told|adding|added|while|but|as|who|which|whose|where|when|with|calling)\b|;|\s—\s|\s–\s|\sbut\s|\swhile\s"
)
_RELATIVE = re.compile(r",\s*(?:which|who|whose|whom|where)\b[^,]*,")
#: "between X and", "of", "in" … right before a name: it is not the subject of what follows.
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:between|of|in|with|from|against|on|to|for|by|at|about|over|toward|towards|into|across|near|than|"
    r"like|including|among|beside|behind|under|upon)\s+(?:the\s+)?"
    # up to two words between ("with its ally", "between Azerbaijan and") — not a clause word
    r"(?:(?!(?:while|but|when|as|after|before|said|says|and|or)\b)[\w.-]+\s+){0,2}?(?:(?:and|or|,)\s+)?(?:the\s+)?$",
    re.IGNORECASE,  # "At the United Nations, Russia's envoy …"
)
#: A title right before a person's name ("Secretary of State Mike Pompeo").
_TITLE_BEFORE = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + r")\s+$", re.IGNORECASE)
#: The offices a person may be described by instead of named ("the US President", "Russia's envoy
#: to the UN", "the Iraqi Prime Minister"): each names the one earlier titled so in the article.
_OFFICES = ("president", "prime minister", "foreign minister", "defence minister", "defense minister",
            "secretary of state", "foreign secretary", "chancellor", "ambassador", "envoy", "spokesman",
            "spokeswoman", "spokesperson", "supreme leader", "secretary-general", "secretary general")
_DESCRIBED_OFFICE = re.compile(
    r"\b(?:[Tt]he|[Ii]ts|[A-Z][\w.-]*['’]s)\s+(?:(?!(?:Vice|Deputy|Former|Acting|Assistant)\b)[A-Z][\w.-]*\s+){0,2}"
    r"(?P<office>(?i:" + "|".join(re.escape(o) for o in sorted(_OFFICES, key=len, reverse=True)) + r"))\b"
    r"(?!\s+[A-Z][a-z])"  # "the US President Donald Trump" names him: found as a titled name
)
#: The words that put an office in the past: "former", "ex-", "one-time", "retired".
_FORMERLY = r"(?:former\s+|ex-\s*|one-?time\s+|retired\s+)"
#: A role someone no longer holds: "a former U.N. ambassador", "the ex-minister".
_FORMER = re.compile(rf"(?:(?:a|an|the)\s+)?{_FORMERLY}", re.IGNORECASE)
#: What makes an office another one: "Vice President Mike Pence" is not "the president".
_LESSER_OFFICE = re.compile(rf"\b(?:(?:vice|deputy|acting|assistant)[\s-]*|{_FORMERLY})$")
#: A role naming whom it serves: "a spokesman for the PMF", "the head of".
_TITLE_OF = re.compile(r"\b(?:spokes(?:man|woman|person)|minister|ministry|secretary|adviser|advisor|envoy|official|officials|leader|head|chief)\s+(?:for|of)\s+(?:the\s+)?$", re.IGNORECASE)


def _after_preposition(text: str, floor: int, m: Mention) -> bool:
    """Whether a preposition governs the name ("between Azerbaijan and", "of Turkey") — not when
    it is part of a person's title ("Secretary of State Mike Pompeo")."""
    before = text[max(floor, m.start - 50) : m.start]
    title = _TITLE_BEFORE.search(before) if m.actor.kind == "person" else None
    if title:
        before = before[: title.start()]  # "Secretary of State Mike Pompeo"; but "with President Trump"
    if _TITLE_OF.search(before):
        return False  # "Ahmed al-Assadi, a spokesman for the PMF, blamed …": whom he speaks for
    if re.search(r",\s+with\s+(?:the\s+)?$", before) and re.match(r"\s+(?:\w+\s+){0,2}?\w+ing\b", text[m.end : m.end + 40]):
        return False  # "…, with Downing Street calling for calm": the subject of "calling"
    return _PREPOSITION_BEFORE.search(before) is not None


#: Nouns for a stance someone takes ("condemnation", "rejection"), as opposed to a misdeed they are
#: blamed for ("aggression"): whoever owns the noun took the stance.
_ACT_NOUN = re.compile(r"(?:condemnations?|criticism|denunciations?|rejection|denials?|support|backing|warnings?|appeals?|calls?)\b", re.IGNORECASE)
#: After "warned": words that make the warning a threat rather than a worry.
_THREAT_AFTER = re.compile(
    r"\b(?:it|we|they|he|she|I)\s+(?:would|will|could|might|may|is ready|are ready)\b|consequence|responsib|respon|"
    r"retaliat|sanction|force|militar|strike|attack|retribution|revenge|\bwar\b|price|weapon|act\b|action",
    re.IGNORECASE,
)
#: ", Pyongyang's only ally and its lifeline," right after a name: a description of it.
_DESCRIBED = re.compile(r",\s*(?P<np>[^,;:\"“”()]{3,90}),\s")
#: After a cue, the agent of a passive: "… by", "… in a joint statement by", "… on Monday by".
_BY_AGENT = re.compile(r"\s+(?:(?:in|on|at|during|last)\s+[^,.;:\"“”]{0,30}?\s+)?by\s+(?:the\s+)?", re.IGNORECASE)
#: In a subject: "and international organizations including …", "and others such as …".
_INCLUDING = re.compile(r"\b(?:and|,)\s+(?:[\w-]+\s+){0,3}(?:including|such\s+as)\s+", re.IGNORECASE)
#: After "denied": the claim it denies ("… accusations that", "… it had", "… involvement in").
_CLAIM_AFTER = re.compile(
    r"\s+(?:(?:any|the|all|these|those|such|similar|previous|earlier|repeated)\s+){0,2}"
    r"(?:(?:accusations?|claims?|allegations?|reports?|suggestions?|charges?)\s+(?:that|of)|that|it|they|involvement|any\s+role|(?:\w+ing))\b",
    re.IGNORECASE,
)
#: A wire story's dateline at a line's start: "UNITED NATIONS (Reuters) -", "DUBAI, United Arab
#: Emirates (AP) —" (anywhere in the text: a page may gather several wire stories).
_WIRE_DATELINE = re.compile(
    r"^[ \t]*[A-Z][\w .,'’-]{1,60}?\((?:AP|Reuters|AFP|UPI|CNN|dpa|Xinhua|TASS|Sputnik|Anadolu|IRNA|Bloomberg)\)\s*[-—–]+", re.M
)
#: A web page's link card copied with the article (The Hill): after a name, its full form glued
#: to the headlines of other stories, up to "MORE" ("Sen. Lindsey Graham Lindsey Olin GrahamGraham
#: says … MORE (R-S.C.) said"). Group 1 is the name as the article wrote it; the rest is the card.
_LINK_CARD = re.compile(
    r"\b([A-Z][\w'’-]+)(\s+(?:[A-Z(][\w.'’()-]*\s+){0,5}\1(?=[A-Z0-9'‘“\"])[^\n]{0,900}? MORE)(?=[\s,.;)])"
)
#: After "warned Moscow": a command ("… to leave", "… not to interfere", "… against escalation").
_WARNED_TO = re.compile(
    # "warned Iran not to", "warned President Trump on Thursday against": a day or an adverb may come between.
    r"(?:\s+(?:on\s+\w+day|last\s+\w+|again|also|publicly|repeatedly|sharply|strongly|today|yesterday),?)?"
    r"\s+(?:not\s+to|to|against)\s+(?!the\s+(?:risk|danger)s?\b)[\w“\"‘']",
    re.IGNORECASE,
)
#: Right after "warned": a worry ("of the risk of", "about the danger", "against the spread of").
_WARNED_OF_RISK = re.compile(
    r"\s+(?:last\s+\w+\s+|on\s+\w+\s+)?(?:of|about|against)\s+(?:the\s+|a\s+)?(?:\w+\s+)?(?:risks?|dangers?|possibility|prospect|spread|perils?)\b",
    re.IGNORECASE,
)
#: "… attacks on", "strikes against": the name that follows is the victim.
_VICTIM_BEFORE = re.compile(
    r"\b(?:(?:attacks?|strikes?|aggression|assaults?|raids?|bombing|shelling)\s+(?:on|against|in)|"
    r"(?:violations?|invasion|occupation|bombardment|sovereignty|territory)\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
#: A preposition right before a name: it is not a subject.
_GOVERNED = re.compile(r"\b(?:of|in|with|from|against|on|to|for|by|at|about|over|between|into|than)\s+(?:the\s+)?$", re.IGNORECASE)
#: What may stand between a subject and its verb: "Turkey on Sunday also strongly condemned".
_SUBJECT_GAP = re.compile(r"\s+(?:(?:has|have|had|also|swiftly|quickly|later|then|again|repeatedly|on\s+\w+day|\w+ly)\s+)*")
#: Words for a military action: what one condemns when one condemns "the strikes".
_ATTACK = r"(?:air\s*strikes?|airstrikes?|missile\s+strikes?|strikes?|attacks?|raids?|bombings?|bombardment|shelling|invasion|offensive|incursion|annexation|tests?|launch(?:es)?|drills|exercises)"
#: Of those, the ones terrorists carry out as well as states: their victim is often the state named most.
_TERROR = re.compile(r"\b(?:attacks?|bombings?)\b", re.IGNORECASE)
#: "U.S. strikes", "Israel's attacks", "the American attack": the name before the action is its author.
_AUTHOR_BEFORE_ATTACK = re.compile(
    r"(?:['’]s?)?\s+(?:(?:air|military|missile|cruise|latest|deadly|recent|new|overnight|rocket|drone|naval|ground)\s+){0,2}" + _ATTACK + r"\b"
    # "The U.S. military carried out air strikes", "Israel launched strikes"
    r"|(?:\s+(?:military|forces|army|air force|jets|warplanes|troops))?\s+(?:has\s+|have\s+|had\s+)?"
    # "ISIS claimed responsibility for the attacks", "ISIS says it carried out bombings"
    r"(?:carried out|launched|conducted|staged|began|ordered|mounted|fired|claimed responsibility for|"
    r"(?:said|says|claimed) (?:it|they) (?:had )?carried out)\s+(?:[\w-]+\s+){0,3}?" + _ATTACK + r"\b",
    re.IGNORECASE,
)
#: "missile strikes from U.S. warships", "attacks by Israel": the name after the action is its author.
_AUTHOR_AFTER_ATTACK = re.compile(r"\b" + _ATTACK + r"\s+(?:from|by)\s+(?:the\s+)?$", re.IGNORECASE)
#: The naming verbs that say what an action or decision was ("called the strikes …", "described the move as …").
_CALLING = r"(?:called|calling|described|describing|branded|labelled|labeled)"
#: Words for a political decision: what one welcomes or criticizes when one speaks of "the move".
_DECISION = r"(?:decision|move|announcement|withdrawal|pullout|recognition)"
#: "Trump's decision", "Trump's Syria withdrawal", "the U.S. decision to", "Washington's move": the
#: name before it made it.
_AUTHOR_BEFORE_DECISION = re.compile(
    r"['’]s\s+(?:[\w-]+\s+)?(?:(?:latest|recent|new|sudden|surprise|abrupt|unilateral)\s+)?" + _DECISION + r"\b"
    # A bare name before "withdrawal" is mostly where from ("the Syria withdrawal").
    r"|\s+(?:(?:latest|recent|new|sudden|surprise|abrupt|unilateral)\s+)?(?:decision|move|announcement)\b",
    re.IGNORECASE,
)
#: A possessive right before a name ("Trump's *Jerusalem* decision").
_OWNED = re.compile(r"['’]s\s+$")
#: "decided to", "announced it would": the subject named right before made the decision.
_DECIDED = re.compile(r"(?:\s+(?:has|had|have|also|suddenly|abruptly|unilaterally))*\s+(?:decided|announced\s+(?:it|that\s+it|he|that\s+he)\s+(?:would|will)|moved\s+to)\b", re.IGNORECASE)
#: "welcomed the decision", "criticised the move": a cue whose object is a decision.
_DECISION_OBJECT = re.compile(
    r"\s+(?:(?:the|this|that|its|his|their|latest|recent|surprise|sudden|u\.s\.|us|american)\s+){1,3}" + _DECISION + r"\b",
    re.IGNORECASE,
)
#: "described the move as a betrayal", "called the decision 'shameful'": the decision a naming cue
#: is said of, named between the naming verb and the cue's end.
_DECISION_CALLED = re.compile(
    r"\b(?:" + _CALLING + r"|hailed|hailing)\s+(?:the|this|that|its|his|their)\s+(?:[\w-]+\s+)?" + _DECISION + r"\b",
    re.IGNORECASE,
)
#: "US sanctions", "the EU's new sanctions", "Washington imposed sanctions", "sanctions imposed by
#: the US": the name next to them imposed them, and "denounced the sanctions" is aimed at it.
_SANCTION_WORDS = r"(?:(?:economic|financial|new|fresh|latest|tough|tougher|sweeping|additional|further|unilateral|targeted|oil|trade|punitive)\s+){0,2}sanctions\b"
_AUTHOR_BEFORE_SANCTIONS = re.compile(
    r"(?:['’]s)?\s+" + _SANCTION_WORDS
    + r"|(?:\s+(?:has|had|have|also|on\s+\w+day))*\s+(?:imposed|announced|slapped|levied|introduced|unveiled|reimposed|re-imposed|extended)\s+(?:[\w-]+\s+){0,3}?sanctions\b",
    re.IGNORECASE,
)
_AUTHOR_AFTER_SANCTIONS = re.compile(r"\bsanctions\s+(?:(?:imposed|announced|levied|introduced)\s+)?by\s+(?:the\s+)?$", re.IGNORECASE)
#: "denounced the new sanctions", "described the sanctions as": a cue whose object is sanctions.
_SANCTIONS_OBJECT = re.compile(r"\s+(?:(?:the|these|this|those|its|their)\s+)?" + _SANCTION_WORDS, re.IGNORECASE)
_SANCTIONS_CALLED = re.compile(r"\b(?:" + _CALLING + r")\s+(?:the|these|those|its|their)\s+" + _SANCTION_WORDS + r"(?:\s+\w+){0,4}\s+(?:as\s+)?(?:an?\s+)?[\"“‘']?\s*$", re.IGNORECASE)
#: "condemned the strikes", "denounced the air raids": a cue whose object is a military action.
_ATTACK_OBJECT = re.compile(
    r"\s+(?:(?:the|these|this|those|that|its|their|a|an|latest|recent|air|military|missile|cruise|deadly|overnight|rocket|drone|weekend|joint|u\.s\.|us|american|israeli|russian|turkish)\s+){0,3}"
    r"(?:" + _ATTACK + r"|action|operation)\b",
    re.IGNORECASE,
)
#: Right before a cue: the action it is said of ("called the strikes an 'act of aggression'").
_ATTACK_CALLED = re.compile(r"\b" + _CALLING + r"\s+(?:the|these|this|its|their)\s+(?:\w+\s+)?" + _ATTACK + r"\s+(?:as\s+)?(?:an?\s+)?[\"“‘']?\s*(?:an?\s+)?$", re.IGNORECASE)
#: "said the launch was 'absolutely unacceptable'", "the strikes were a violation": a judgment of an action
#: named as the subject right before it.
_ATTACK_JUDGED = re.compile(
    r"\b(?:the|these|this|that|those|its|their)\s+(?:[\w-]+\s+){0,2}?" + _ATTACK
    + r"\s+(?:was|were|is|are)\s+[\"“‘']?(?:[\w-]+\s+){0,4}?[\"“‘']?\s*$",
    re.IGNORECASE,
)
#: "… in Syria", "inside Iraq": a place where something happens, not an addressee.
_PLACE_BEFORE = re.compile(r"\b(?:in|inside|into|within|across|throughout|near)\s+(?:the\s+)?$", re.IGNORECASE)
#: Names joined on after a list's "and" (", as well as the EU and NATO,"): more of the list, not a description.
_JOINED_ON = re.compile(r"\s*,?\s*(?:as well as|along with)\s+(?:the\s+)?")
#: A relative clause holding a reaction noun: "… that has drawn", "which drew sharp" (up to the noun).
_DREW_RELATIVE = re.compile(r"\b(?:that|which)\s+(?:[\w-]+\s+){1,4}$")
#: Before the examples of whom a reaction came from: "from Western capitals, including", "U.S. allies like".
_SOURCE_EXAMPLES = re.compile(r"\b(?:including|like|such\s+as)\s+(?:the\s+)?")
#: Words that end the noun phrase after "from" before a name: a clause or a place follows.
_NOT_A_SOURCE_GAP = re.compile(r"[,;:]|\b(?:when|who|which|that|where|after|before|as|and|but|while|because|if|around|across|throughout|within|in|on|at)\b", re.IGNORECASE)
#: What may stand between two actors of one list ("Armenia, Azerbaijan and their allies").
_LIST_GAP = re.compile(r"(?:[\s,]|\b(?:and|or|as well as|along with|both|the|its|their|also|nor|either|neither)\b|'s|’s)*")
#: A list that says what a group is made of ("an alliance made up of legislators from the EU, the
#: UK and Canada", "the five permanent members — the US, France …"): its names are members of the
#: group, which is the subject, not subjects themselves.
_MADE_OF = re.compile(
    r"(?:\b(?:made\s+up|comprised|composed|consisting|formed)\s+of|\bcomprising|\b(?:which|that)\s+(?:includes?|included)"
    r"|\b(?:members|countries|nations|states|powers|governments)\b[^,.;:—–]{0,50}\s[—–]|\bmembers\s*:)"
    r"[^.;:—–]{0,80}$"  # the list may have begun already ("… from the UK, US and Canada")
)
#: A passive auxiliary right before a cue ("has been accused of", "was also condemned"): the
#: clause's subject underwent it.
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:(?:also|now|still|often|\w+ly)\s+)?$")
#: Participles that after "is" say what the subject feels or holds ("is concerned", "was opposed
#: to"): the subject's own stance, not something done to it.
_FEELING = re.compile(
    r"(?:concerned|worried|alarmed|troubled|dismayed|disturbed|disappointed|opposed|committed|determined|prepared|"
    r"pleased|satisfied|outraged|shocked|saddened|convinced|interested|surprised|encouraged|heartened|appalled)\b",
    re.IGNORECASE,
)
#: "… said that", "… told reporters that": what follows is a clause of its own.
_SAID_THAT = r"\b(?:said|says|told\s+[\w ]{0,20}?|added|stated|announced|insisted|argued|claimed|noted)\s+that\b"
#: Appeals that, naming no one, are addressed to the parties of the conflict.
_CALLS_TO_THE_PARTIES = frozenset({"call-for-restraint", "call-for-ceasefire", "call-for-de-escalation", "call-for-dialogue"})
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class Extracted:
    """A reaction found in text (the fields ``diplo ingest --format json`` prints)."""

    actor: str
    actor_iri: str
    stance: str
    stance_label: str
    stance_class: str
    targets: list[str]
    target_iris: list[str]
    evidence: str
    start: int
    end: int
    speaker: str | None = None
    speaker_iri: str | None = None
    speaker_title: str | None = None
    quote: str | None = None
    date: date | None = None
    not_before: date | None = None
    not_after: date | None = None
    date_expression: str | None = None
    confidence: float = 0.8
    cue: str = ""
    source: str = ""
    path: str = "fallback:flat"
    """How the actor was found: "tree:subject", "tree:passive-agent", "quote:attributed", "pronoun",
    "fallback:flat" … (short, stable strings; confidence is calibrated per path)."""
    aim: str = "none"
    """How the targets were found: "named" (after or before the cue), "tree" (the cue's objects in
    the parse), "in cue", "action's authors", "possessor blamed", "victim's other party",
    "previous statement", "accuser" (a denial answers the accusation), "each other", "the one
    named" (support or a threat whose sentence names one other actor), and the defaults when the
    text names no one: "the parties", "the other party", "the article's state";
    else "none"."""

    def record(self) -> dict[str, Any]:
        """The JSON form: ISO dates, the stance concept's IRI and its coarse class."""
        return {
            "actor": self.actor,
            "actor_iri": self.actor_iri,
            "speaker": self.speaker,
            "speaker_iri": self.speaker_iri,
            "stance": self.stance,
            "stance_label": self.stance_label,
            "stance_class": self.stance_class,
            "targets": self.targets,
            "target_iris": self.target_iris,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "date": self.date.isoformat() if self.date else None,
            "not_before": self.not_before.isoformat() if self.not_before else None,
            "not_after": self.not_after.isoformat() if self.not_after else None,
            "date_expression": self.date_expression,
            "confidence": round(self.confidence, 2),
            "cue": self.cue,
            "source": self.source,
            "path": self.path,
            "aim": self.aim,
        }


# -- the extractor ---------------------------------------------------------------------------


@dataclass
class _Sentence:
    start: int
    end: int
    quotes: list[tuple[int, int]] = field(default_factory=list)
    """Spans (without the marks) of quoted words in this sentence."""

    def quoted(self, pos: int) -> tuple[int, int] | None:
        for q in self.quotes:
            if q[0] <= pos < q[1]:
                return q
        return None


@dataclass
class _Speaker:
    actor: Actor
    person: Actor | None
    title: str | None
    confidence: float
    path: str = "fallback:flat"
    """How the speaker was found (see :attr:`Extracted.path`)."""
    people: dict[str, Actor] = field(default_factory=dict)
    """For a group ("Obama and French President Francois Hollande urged"): the person who spoke
    for each member, by the member's IRI."""


def _one_per_statement(found: list[Extracted]) -> list[Extracted]:
    """The records left when two paths found the same statement (same actor, stance, targets
    and span): the more confident one, in text order. The store gives both one IRI, so both
    would be written as one reaction holding two confidences (and two speakers)."""
    best: dict[tuple[object, ...], Extracted] = {}
    for r in found:
        key = (r.actor_iri, r.stance, tuple(sorted(r.target_iris)), r.start, r.end)
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    kept = {id(r) for r in best.values()}
    return [r for r in found if id(r) in kept]


class Extractor:
    """Finds reactions in documents; build once (from the graph) and reuse for many."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon, calibration: Calibration | None = None) -> None:
        self.gaz = gazetteer
        self.lex = lexicon
        self.calibration = calibration
        titles = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
        self.titled = re.compile(
            rf"(?P<title>(?:{titles}))(?:\s+(?:of|for|to)\s+(?:the\s+)?[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)*)?,?\s+"
            rf"(?:(?:Dr|Mr|Mrs|Ms|Prof|Sir)\.?\s+)?(?P<name>{_PERSON_NAME})"
        )

    @classmethod
    def from_store(cls, store: Store) -> Extractor:
        return cls(Gazetteer.from_store(store), Lexicon.shipped(), Calibration.shipped())

    # -- the document level ------------------------------------------------------------------
    def extract(self, doc: Document) -> list[Extracted]:
        """Every reaction found in ``doc``, in text order."""
        return next(self.extract_many([doc]))[1]

    def extract_many(self, docs: Iterable[Document], chunk: int = 16) -> Iterator[tuple[Document, list[Extracted]]]:
        """Each document with its reactions, in input order, as :meth:`extract` finds them. The
        sentences of ``chunk`` documents at a time go to the parser together: it is faster on one
        batch than on many small ones, and a sentence parses the same in any batch."""
        for part in in_chunks(docs, chunk):
            yield from self._extract_together(part)

    def _extract_together(self, docs: list[Document]) -> Iterator[tuple[Document, list[Extracted]]]:
        steps = [self._extract(doc) for doc in docs]
        asks = [next(s) for s in steps]  # each document's sentences and those it wants parsed
        wanted = set().union(*(w for _, w in asks))
        if any(b in wanted and b not in w for bodies, w in asks for b in bodies):
            # A sentence one document wants parsed and another not (their names differ): apart.
            trees = [parse_where(bodies, w.__contains__) for bodies, w in asks]
        else:
            together = parse_where([b for bodies, _ in asks for b in bodies], wanted.__contains__)
            cut = [0]
            for bodies, _ in asks:
                cut.append(cut[-1] + len(bodies))
            trees = [together[a:b] for a, b in zip(cut, cut[1:])]
        for doc, step, got in zip(docs, steps, trees):
            try:
                step.send(got)
            except StopIteration as done:
                yield doc, done.value

    def _extract(self, doc: Document) -> Generator[tuple[list[str], set[str]], list[Any], list[Extracted]]:
        """Every reaction in ``doc``; yields its sentences and those to parse, and is sent their
        parses (None where not parsed)."""
        text = _without_link_cards(doc.text)
        self._text = text
        on = doc.published
        # "DUBAI, United Arab Emirates (AP) —": where the story was filed names no one reacting.
        datelines = [(d.start(), d.end()) for d in _WIRE_DATELINE.finditer(text)]
        mentions = [
            m for m in self.gaz.mentions(text)
            if not any(a <= m.start < b for a, b in datelines) and not _BACKER.match(text, m.end) and not _in_former_office(text, m)
        ]
        home = self._home(mentions, on)
        self._home_actor = home.actor if home is not None else None
        people = self._titled_people(text, mentions, on, home)
        mentions = sorted(mentions + people, key=lambda m: m.start)
        mentions = sorted(mentions + _surnames(text, mentions), key=lambda m: m.start)
        mentions = self._described_people(text, mentions, on)
        parties = self._parties(doc, mentions, on)
        self._authors = self._attack_authors(text, mentions, on)
        self._person_words = {w for m in mentions if m.actor.kind == "person" for w in m.actor.label.split()}
        """Every word of the names of the people the article names ("Kim" of Kim Jong-un)."""
        mediators = {m.actor for m in mentions if m.actor.kind == "mediation"}
        found: list[Extracted] = []
        last: _Speaker | None = None
        self._last_group: list[Actor] = []
        """The actors of the last reaction made by several at once ("They" may continue it)."""
        self._last_body: _Speaker | None = None
        """The last state or organization that reacted in its own name, no person voicing it
        ("It" may continue it)."""
        people: list[dict[str, Actor]] = []
        """Per sentence: the officials it names, by the actor they speak for."""
        where: list[int] = []
        sentences = split_sentences(text)
        # Only sentences that can hold a reaction the tree can attribute are parsed (parsing is
        # the cost): a cue and a name in them.
        starts = [m.start for m in mentions]
        named = {s.start for s in sentences if bisect_left(starts, s.start) < len(starts) and starts[bisect_left(starts, s.start)] < s.end}
        wanted = {
            text[s.start : s.end] for s in sentences
            if s.start in named and not _headline(text[s.start : s.end]) and next(self.lex.cues(text[s.start : s.end]), None) is not None
        }
        own = dict(vars(self))  # this document's state: others of its batch run up to here meanwhile
        trees = yield [text[s.start : s.end] for s in sentences], wanted
        vars(self).update(own)
        for sentence, tree in zip(sentences, trees):
            if _headline(text[sentence.start : sentence.end]):
                continue  # a heading or a link to another story, not reporting
            self._tree = tree
            # "Helsinki, Finland (CNN) President Trump …": the dateline names where, never who.
            dateline = _OPENING_DATELINE.match(text, sentence.start, sentence.end) if sentence.start < 200 else None
            floor = dateline.end() if dateline else sentence.start
            inside = [m for m in mentions if floor <= m.start < sentence.end]
            named: dict[str, Actor] = {}
            for m in inside:
                if m.actor.kind == "person":
                    owner = self.gaz.speaks_for(m.actor, on)
                    if owner is not None:
                        named.setdefault(owner.iri, m.actor)
            people.append(named)
            attributed = self._attribution(text, sentence, inside, on)
            if attributed is None and sentence.quotes and self._all_quoted(text, sentence):
                attributed = last and _Speaker(last.actor, last.person, last.title, last.confidence * 0.85, "quote:continued")
            results = self._sentence(doc, sentence, inside, attributed, last, parties, mediators)
            found.extend(results)
            where.extend([len(people) - 1] * len(results))
            # After "Haron was charged …", a "he" is Haron, not the official named before him.
            last = attributed or self._subject_speaker(sentence, inside, on) or (
                None if self._opens_on_unknown_person(text, sentence, inside) else last
            )
        # An official of the actor named in the same sentence voiced it ("Taiwan President Chen
        # Shui-bian reiterated Taipei's full support", found through "Taipei's"), else one named in
        # the sentence before or after ("Armenia warned … ," then "… spokeswoman Shushan Stepanyan said").
        for r, i in zip(found, where):
            if r.speaker is None:
                near = [people[j].get(r.actor_iri) for j in (i, i - 1, i + 1) if 0 <= j < len(people)]
                person = next((p for p in near if p is not None), None)
                if person is not None:
                    r.speaker = person.label
                    r.speaker_iri = None if person.iri.startswith("new:") else person.iri
        self._answer_accusations(found)
        found = _one_per_statement(found)
        if self.calibration is not None:
            self.calibration.rescore(text, found, [(s.start, s.end) for s in sentences])
        if text != doc.text:
            for r in found:  # the evidence quotes the source as it is, cards and all
                r.evidence = doc.text[r.start : r.end]
                r.quote = r.quote and r.evidence  # a quotation is its record's evidence span
        return found

    def _answer_accusations(self, found: list[Extracted]) -> None:
        """A denial that names no one ("Turkey denied sending fighters") answers whoever the
        article says accused the denier: the nearest accusation before it, else after it."""
        denial = str(self.lex.stances["reject-claim"].iri)
        for r in found:
            if r.stance != denial or r.target_iris:
                continue
            accusers = [a for a in found if a.stance_class == "DISAPPROVE" and r.actor_iri in a.target_iris and a.actor_iri != r.actor_iri]
            if not accusers:
                continue
            before = [a for a in accusers if a.start < r.start]
            by = before[-1] if before else accusers[0]
            r.targets, r.target_iris, r.aim = [by.actor], [by.actor_iri], "accuser"

    def _described_people(self, text: str, mentions: list[Mention], on: date | None) -> list[Mention]:
        """``mentions`` with people described by office instead of named ("The US President also
        hailed …", "Russia's envoy to the United Nations slammed …") as mentions of the person the
        article titled so before ("President Donald Trump"): the latest one, who must speak for the
        actor the description names, if it names one; when it names none ("the president"),
        everyone titled so before must be the same person. A state named inside the description
        is its owner, not an actor of its own."""
        out = list(mentions)
        # Each person named with the words before the name and whom they speak for, read once.
        titled = [(m, text[max(0, m.start - 40) : m.start].lower().rstrip(), self.gaz.speaks_for(m.actor, on))
                  for m in mentions if m.actor.kind == "person"]
        for d in _DESCRIBED_OFFICE.finditer(text):
            office = d.group("office").lower()
            inside = [m for m in mentions if d.start() <= m.start < d.end()]
            if any(m.actor.kind == "person" for m in inside):
                continue
            owners = {(self.gaz.speaks_for(m.actor, on) or m.actor).iri for m in inside}
            held = [m.actor for m, before, owner in titled
                    if m.start < d.start() and before.endswith(office) and not _LESSER_OFFICE.search(before[: -len(office)])
                    and owner is not None and (not owners or owner.iri in owners)]
            if not held or (not owners and len({p.iri for p in held}) > 1):
                continue
            out = [m for m in out if m not in inside]
            out.append(Mention(d.start(), d.end(), d.group(0), held[-1]))
        return sorted(out, key=lambda m: m.start)

    def _home(self, mentions: list[Mention], on: date | None) -> Mention | None:
        """The state an article is mostly about, when one clearly is (named at least twice as
        often as any other): whose "Foreign Minister Pik Botha" is when the title doesn't say."""
        counts: Counter[str] = Counter()
        first: dict[str, Mention] = {}
        for m in mentions:
            if m.actor.kind == "state":
                counts[m.actor.iri] += 1
                first.setdefault(m.actor.iri, m)
        ranked = counts.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
            return None
        return first[ranked[0][0]]

    def _titled_people(self, text: str, known: list[Mention], on: date | None, home: Mention | None = None) -> list[Mention]:
        """People the graph doesn't know, named with a title that says whom they speak for; later
        mentions of their surname are found too. A known person's short name inside such a name
        ("Abbas" in "spokesman Abbas Mousavi") is removed from ``known``."""
        taken = [(m.start, m.end) for m in known]
        people: list[Mention] = []
        surnames: dict[str, Actor] = {}

        def add(start: int, end: int, matched: str, owner: Mention) -> None:
            name = _person_label(matched)
            if name is None or _NOT_A_NAME.search(name):
                return  # "On Tuesday, Mr Trump …": a date or a sentence's first word, not a person
            for_actor = self.gaz.speaks_for(owner.actor, on) or owner.actor
            person = Actor(f"new:{name}", name, "person", ((for_actor.iri, None, None),))
            self.gaz.actors.setdefault(for_actor.iri, for_actor)
            people.append(Mention(start, end, name, person))
            taken.append((start, end))
            surnames[name.split()[-1]] = person

        for m in self.titled.finditer(text):
            start, end = m.start("name"), m.end("name")
            if _FORMER_OFFICE_BEFORE.search(text, max(0, start - 60), start):
                continue  # "Former Ambassador John Smith": he no longer speaks for anyone
            # "spokesman Abbas Mousavi": a known person's short name ("Abbas") inside a longer
            # titled name is not that person; the titled name replaces it.
            bare = end - 2 if re.search(r"['’]s$", m.group("name")) else end  # "President Bashar al-Assad’s"
            shadowed = [k for k in known if k.actor.kind == "person" and start <= k.start and k.end <= end and k.end - k.start < bare - start]
            if any(s < end and start < e for s, e in taken if (s, e) not in {(k.start, k.end) for k in shadowed}):
                continue
            if _MIDDLE_INITIAL.search(m.group("name")) and any(_same_person(k.actor.label, m.group("name")) for k in shadowed):
                continue  # "John F. Kerry", "Joseph R. Biden": the John Kerry and Joe Biden the graph knows
            for k in shadowed:
                known.remove(k)
                taken.remove((k.start, k.end))
            # Whom the title names: the nearest state/organization just before it or inside it.
            window_start = max(0, m.start() - 40)
            owner = None
            for k in known:
                if window_start <= k.start < start and k.actor.kind in ("state", "organization", "mediation", "body", "group"):
                    if owner is not None and re.match(r"['’]s?\s", text[owner.end : owner.end + 3]):
                        break  # "Israel's UN ambassador Danny Danon": the owner, not where he serves
                    if re.search(r"\bto\s+(?:the\s+)?$", text[max(0, k.start - 8) : k.start]):
                        continue  # "U.S. Ambassador to the United Nations Nikki Haley"
                    if _PLACE_BEFORE.search(text[max(0, k.start - 12) : k.start]):
                        continue  # "a meeting in Luxembourg, Foreign Minister Evarist Bartolo": where, not whose
                    if _full_stop_between(text, k.end, m.start()):
                        continue  # "… on Saudi Arabia.\n\nGen. Mohammad Bagheri": another sentence's (a
                        # heading's may be: "How has Iran responded?\n\nForeign ministry spokesman …")
                    owner = k
            if owner is None and home is not None and m.group("title")[0].isupper() and m.group("title") not in _LEGISLATIVE:
                owner = home  # (not "Speaker Nancy Pelosi" in an article about China: a lawmaker's state is never assumed)
            if owner is None:
                continue
            add(start, end, m.group("name"), owner)
        # "Danny Danon, Israel's ambassador to the UN, …", "Ahmed al-Assadi, a spokesman for the
        # PMF, …": the title follows the name, between commas.
        for m in _APPOSITIVE.finditer(text):
            start, end = m.start("name"), m.end("name")
            if any(s < end and start < e for s, e in taken) or not _TITLE_WORD.search(m.group("role")):
                continue
            if _FORMER.match(m.group("role")):
                continue  # "Mark Wallace, a former U.N. ambassador, …" no longer speaks for it
            inside = [k for k in known if m.start("role") <= k.start < m.end("role") and k.actor.kind in ("state", "organization", "mediation", "body", "group")]
            owner = next((k for k in inside if re.match(r"['’]s?\s", text[k.end : k.end + 3])), None)
            owner = owner or next((k for k in inside if not re.search(r"\bto\s+(?:the\s+)?$", text[max(0, k.start - 8) : k.start])), None)
            if owner is not None:
                add(start, end, m.group("name"), owner)
        covered = {i for s, e in taken for i in range(s, e)}
        for surname, person in surnames.items():
            for m in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
                if m.start() not in covered:
                    people.append(Mention(m.start(), m.end(), surname, person))
        return people

    def _attack_authors(self, text: str, mentions: list[Mention], on: date | None) -> list[tuple[int, list[Actor], str]]:
        """Who carried out the military actions an article reports ("U.S. strikes", "Israel's
        attacks", "the US, Britain and France launched strikes"), with where each is named: the
        authors of "the strikes" others condemn."""
        out: list[tuple[int, list[Actor], str]] = []
        for i, m in enumerate(mentions):
            if m.actor.kind == "person" or _compound(text, m) or _VICTIM_BEFORE.search(text[max(0, m.start - 30) : m.start]):
                continue  # "Iranian-backed militias" carried out the attacks, not Iran
            by = _AUTHOR_AFTER_ATTACK.search(text[max(0, m.start - 40) : m.start])  # "attacks by Israel"
            action = _AUTHOR_BEFORE_ATTACK.match(text, m.end) or by
            if not action:
                continue
            if by:
                listed = [m, *(x for x in mentions[i + 1 : i + 4] if _LIST_GAP.fullmatch(text[m.end : x.start]))]
            else:  # "the US, Britain and France launched strikes"
                listed = [m]
                for before in reversed(mentions[:i]):
                    gap = text[before.end : listed[0].start]
                    if not _LIST_GAP.fullmatch(gap) or not re.search(r",|\band\b", gap) or before.actor.kind == "person":
                        break
                    listed.insert(0, before)
            actors = self._distinct_actors(listed, on)
            if actors:
                out.append((m.start, actors, _action_kind(action.group(0))))
        return out + self._decision_authors(text, mentions, on)

    def _decision_authors(self, text: str, mentions: list[Mention], on: date | None) -> list[tuple[int, list[Actor], str]]:
        """Who made the political decisions an article reports ("Trump's decision", "the U.S.
        move", "Washington decided to"), with where each is named: the authors of "the move"
        others welcome or criticize. A leader's decision is their state's."""
        out: list[tuple[int, list[Actor], str]] = []
        for m in mentions:
            if _compound(text, m):
                continue
            if (_AUTHOR_BEFORE_DECISION.match(text, m.end) or _DECIDED.match(text, m.end)) and not _OWNED.search(text, max(0, m.start - 4), m.start):
                # "Trump's Jerusalem decision": the owner made it, the name after is what it is about.
                actor = self.gaz.speaks_for(m.actor, on)
                if actor is not None:
                    out.append((m.start, [actor], "decision"))
            if _AUTHOR_BEFORE_SANCTIONS.match(text, m.end) or _AUTHOR_AFTER_SANCTIONS.search(text[max(0, m.start - 40) : m.start]):
                actor = self.gaz.speaks_for(m.actor, on)
                if actor is not None:
                    out.append((m.start, [actor], "sanctions"))
        return out

    def _author_of_attack(self, at: int, speaker: Actor, kind: str) -> list[Actor]:
        """The authors of the military action named last before ``at`` (or first after it), not
        the speaker; an action of the same ``kind`` ("strike" for "the air strikes") first. A
        decision's authors are only those of a decision."""
        for same in (True, False) if kind not in _OWN_KIND else (True,):
            known = [(pos, [a for a in actors if a != speaker]) for pos, actors, k in self._authors
                     if k == kind or (not same and k not in _OWN_KIND)]
            known = [(pos, actors) for pos, actors in known if actors]
            before = [actors for pos, actors in known if pos < at]
            if before:
                return before[-1]
            if known:
                return known[0][1]
        return []

    def _parties(self, doc: Document, mentions: list[Mention], on: date | None) -> list[Actor]:
        """The two sides an article is about: the states or armed groups it names most (the title
        counts thrice). An armed group is a side of its own ("Israel and Hamas", "the US and the
        Islamic State"), not folded into a state."""
        counts: Counter[str] = Counter()
        for m in mentions:
            actor = self.gaz.speaks_for(m.actor, on) if m.actor.kind != "person" else None
            if actor is not None and actor.kind in ("state", "group") and m.actor.kind != "person":
                counts[actor.iri] += 1
        if doc.title:
            for m in self.gaz.mentions(doc.title):
                if m.actor.kind in ("state", "group"):
                    counts[m.actor.iri] += 3
        # A group named once is what the story mentions ("accused of supporting the Houthis"), not a side.
        return [self.gaz.actors[iri] for iri, n in counts.most_common() if n > 1 or self.gaz.actors[iri].kind == "state"][:2]

    def _all_quoted(self, text: str, sentence: _Sentence) -> bool:
        outside = text[sentence.start : sentence.end]
        for a, b in sentence.quotes:
            outside = outside.replace(text[a:b], "")
        return not re.search(r"[A-Za-z]{3}", outside)

    # -- speakers ----------------------------------------------------------------------------
    def _speaker_of(self, mention: Mention, on: date | None, confidence: float = 0.9, path: str = "fallback:flat") -> _Speaker | None:
        actor = self.gaz.speaks_for(mention.actor, on)
        if actor is None:
            return None
        person = mention.actor if mention.actor.kind == "person" else None
        if person is not None and person.iri.startswith("new:"):
            confidence -= 0.15
        if person is not None and not person.iri.startswith("new:"):
            # "Dutch Prime Minister Mark Rutte": the office the article gives him says whom he
            # spoke for, whatever post the graph knows him in on the article's date (or today).
            title = _TITLE_BEFORE.search(self._text, max(0, mention.start - 40), mention.start)
            if title is not None:
                owner = [m for m in self.gaz.mentions(self._text[max(0, title.start() - 30) : title.start()])
                         if m.actor.kind == "state" and re.fullmatch(r"(?:['’]s?)?\s+(?:[A-Z][\w-]*\s+)*", self._text[max(0, title.start() - 30) + m.end : title.start()])]
                titled = self.gaz.speaks_for(owner[-1].actor, on) if owner else None
                if titled is not None:
                    actor = titled
        if person is not None and person.iri.startswith("new:"):
            # "Albanian prime minister Edi Rama, chairman of the OSCE, called …": the role he is
            # given in apposition names whom a person the graph doesn't know spoke for.
            role = _ROLE_OF.match(self._text, mention.end)
            org = next(iter(self.gaz.mentions(self._text[role.end() : role.end() + 80])), None) if role else None
            if org is not None and org.start == 0 and org.actor.kind in ("organization", "mediation"):
                actor = self.gaz.speaks_for(org.actor, on) or actor
        return _Speaker(actor, person, None, confidence, path)

    def _attribution(self, text: str, sentence: _Sentence, inside: list[Mention], on: date | None) -> _Speaker | None:
        """Who a sentence with quotes is attributed to: the person (or actor) named next to a
        reporting verb outside the quotation marks."""
        if not sentence.quotes:
            return None
        described = self._descriptions(text, sentence, inside, sentence.end)
        outside = [
            m for m in inside
            if sentence.quoted(m.start) is None and (not m.adjective or _stands_for_state(text, m))
            and not any(a <= m.start < b for a, b in described)
        ]
        if not outside:
            return None  # "he said": the caller falls back to the last speaker
        body = text[sentence.start : sentence.end]
        # Only a verb that introduces a quotation ("said: '…'", "said Iran had '…'") or follows one
        # ("'…,' he said") attributes it; "after Israel launched strikes on what it said was …" doesn't.
        verbs = []
        for v in self.lex.reporting.finditer(body):
            v0, v1 = sentence.start + v.start(), sentence.start + v.end()
            if sentence.quoted(v0) is not None:
                continue
            before = [q for q in sentence.quotes if 0 <= q[0] - v1 <= 80]
            # '"…," Peskov said' — the quotation ends with a comma (or ? !) before its speaker.
            after = [q for q in sentence.quotes if 0 <= v0 - q[1] <= 70 and ("," in text[q[1] - 1 : q[1] + 3] or text[q[1] - 1 : q[1]] in "!?")]
            if before or after:
                verbs.append((v0, v1, any(v0 - q[1] <= 6 for q in after)))
        if not verbs:
            return None
        # "X said" or "…," said X: the name next to a reporting verb, a person before an actor.
        # A name after the verb speaks only when the verb follows the quotation ("…," said X);
        # otherwise it is the listener or the subject of the reported clause ("told Reuters",
        # "said Israel's attacks …").
        near: list[tuple[int, int, Mention]] = []
        for v0, v1, inverted in verbs:
            for m in outside:
                if m.end <= v0 and v0 - m.end <= 60 and not _after_preposition(text, sentence.start, m):
                    near.append((0 if m.actor.kind == "person" else 1, v0 - m.end, m))
                elif m.start >= v1 and m.start - v1 <= 50 and inverted:
                    near.append((0 if m.actor.kind == "person" else 1, m.start - v1, m))
        if not near:
            # 'He said Israel's "baseless pretexts …"': the name is what the quotation is about,
            # not who said it; the caller falls back to the last speaker.
            persons = [m for m in outside if m.actor.kind == "person" and m.start < verbs[0][0]]
            return self._speaker_of(persons[-1], on) if persons else None
        return self._speaker_of(min(near, key=lambda n: (n[0], n[1]))[2], on)

    def _opens_on_unknown_person(self, text: str, sentence: _Sentence, inside: list[Mention]) -> bool:
        """Whether ``sentence`` opens on a person the gazetteer does not know, as a verb's subject
        ("Haron was charged …"; see :data:`_NAMED_OPENER`)."""
        found = _NAMED_OPENER.match(text, sentence.start, sentence.end)
        if found is None:
            return False
        name = found.group("name")
        words = name.split()
        if words[0] in _OPENING_WORDS or _NOT_A_NAME.search(name) or _TITLE_WORD.search(name) or self._person_words.intersection(words):
            return False
        start, end = found.span("name")
        if any(m.start < end and start < m.end for m in inside):
            return False
        # One capitalised word may be any noun ("Dialogue will …"): it is a name only when the
        # article used it before inside a longer one ("Man Haron Monis", "Mr. Haron").
        return len(words) > 1 or bool(
            re.search(rf"(?:[A-Z][a-z]*\.?\s+{re.escape(name)}|{re.escape(name)}\s+[A-Z][a-z]+)\b", text[: sentence.start])
        )

    def _subject_speaker(self, sentence: _Sentence, inside: list[Mention], on: date | None) -> _Speaker | None:
        # A person named inside the quotation ("He said: '… the Assad regime'") is not the one speaking.
        persons = [m for m in inside if m.actor.kind == "person" and sentence.quoted(m.start) is None]
        return self._speaker_of(persons[0], on) if persons else None

    # -- one sentence ------------------------------------------------------------------------
    def _sentence(
        self,
        doc: Document,
        sentence: _Sentence,
        inside: list[Mention],
        attributed: _Speaker | None,
        last: _Speaker | None,
        parties: list[Actor],
        mediators: set[Actor],
    ) -> list[Extracted]:
        text = self._text
        on = doc.published
        body = text[sentence.start : sentence.end]
        out: list[Extracted] = []
        previous_targets: list[Actor] = []
        previous_actor: Actor | None = None
        consumed: set[int] = set()
        """Mentions already taken as some cue's targets: they are not the next cue's subject."""
        voiced: dict[str, list[tuple[int, int]]] = {}
        """The cues of this sentence that gave a record, by class."""
        # ", which supports Assad and …," describes an actor; it does not report a reaction.
        asides = [(sentence.start + m.start(), sentence.start + m.end()) for m in _RELATIVE.finditer(body)]
        self._cue_end = sentence.start
        """Where the last cue of this sentence ended: a clause joined by "and" after it has its own subject."""
        for cue in self.lex.cues(body):
            c0, c1 = sentence.start + cue.start(), sentence.start + cue.end()
            aside = any(a <= c0 < b for a, b in asides) and sentence.quoted(c0) is None
            if _negated(self.lex, text, sentence.start, c0):
                continue  # "did not condemn"; a negation in an earlier clause doesn't count
            if self._tree is not None and in_charge(self._tree, c0 - sentence.start, c1 - sentence.start):
                continue  # "accused the US of *threatening* Syria": the charge, not a stance taken
            cue_concept = self.lex.concept_for(cue)
            if self._inside_earlier_cue(sentence, c0, c1, voiced.get(self.lex.stances[cue_concept].coarse, [])):
                continue  # "called for a peaceful solution": what the call asks for, not a second call
            agent = None
            agents: list[Actor] = []
            by = _BY_AGENT.match(text, c1, sentence.end)
            if by and not sentence.quoted(c0):
                # "the plan was rejected by the Palestinians", "condemned in a joint statement by
                # Egypt, Greece and Cyprus": a reaction by whoever follows "by"; "forces backed by
                # Armenia" reports no statement.
                if self.lex.stances[cue_concept].coarse not in ("DISAPPROVE", "REJECT"):
                    continue
                agent = next((m for m in inside if by.end() <= m.start <= by.end() + 5), None)
                from_tree = self._tree_who(sentence, inside, c0, c1, on, "after")
                if from_tree is not None and from_tree[0].path == "tree:passive-agent":
                    by_speaker, agents = from_tree[0], from_tree[1] or [from_tree[0].actor]
                else:
                    # The parse shows no agent: the names right after "by" (the older rule).
                    if agent is None or self.gaz.speaks_for(agent.actor, on) is None:
                        continue
                    listed = [agent]
                    for m in inside:
                        if m.start > listed[-1].start and _LIST_GAP.fullmatch(text[listed[-1].end : m.start]) and not m.adjective:
                            listed.append(m)
                    agents = self._distinct_actors(listed, on)
                    by_speaker = _Speaker(agents[0], None, None, 0.7, "flat:passive-agent")
                    consumed.update(m.start for m in listed)
                agent = agent or inside[0]
            if agent is None and cue.group(0).lower() in self.lex.source_cues and not sentence.quoted(c0):
                # "The plan drew sharp criticism from Britain", "has rejected criticism from the US
                # and the EU": whoever follows "from" voiced it, at what came before.
                listed = self._sources(text, sentence, inside, c1)
                agents = self._distinct_actors(listed, on)
                if not agents:
                    continue
                by_speaker = _Speaker(agents[0], None, None, 0.7, "flat:from-source")
                consumed.update(m.start for m in listed)
                agent = listed[0]
            if aside and agent is None and not self._antecedents(text, sentence, inside, c0):
                continue  # "the plan, which favours Israel,": describes something, reports nothing
            quote = sentence.quoted(c0)
            cue_text = cue.group(0).lower()
            owner = self._possessor(text, inside, c0, on)
            blamed: Actor | None = None
            if owner is not None and owner is not False and self.lex.stances[cue_concept].coarse in ("DISAPPROVE", "REJECT") and not _ACT_NOUN.match(text, c0):
                # "Azerbaijan's aggression": the owner is the one blamed, not the one speaking
                # ("Turkey's condemnation" is Turkey's own act).
                blamed, owner = owner, None
            if owner is False:
                continue  # "some nations' support": someone else's stance, not named
            if (
                owner is None and agent is None and self._tree is not None and self.lex.verbal(cue)
                # "Russia denies involvement": a verb right after a name, however the tagger read it.
                and not any(not m.adjective and re.fullmatch(r"\s+", text[m.end : c0]) for m in inside)
                and borrowed_noun(self._tree, c0 - sentence.start, c1 - sentence.start)
            ):
                continue  # "rejected British demands", "relied on support from Moscow"
            if _adjectival(text, c0, c1, cue_text) or cue_text in self.lex.background:
                continue
            if self.lex.object_for(cue) == "before" and re.search(r"\b(?:who|what|which)\s+$", text[max(sentence.start, c0 - 8) : c0], re.IGNORECASE):
                continue  # "it is unclear who was behind the strike": no one is named as its addressee
            if (
                re.search(r"\b(?:long|for\s+(?:many\s+)?(?:years|decades))\s+$", text[max(sentence.start, c0 - 20) : c0]) and quote is None
                and not re.match(r"den(?:y|ie|ial)", cue_text, re.IGNORECASE)
            ):
                # "The US has long opposed the project", "has for years backed": a standing position,
                # not news. A denial kept up ("The Kremlin has long denied any involvement") is one.
                continue
            if self.lex.stances[cue_concept].coarse == "THREATEN" and re.search(r"\b(?:that|which)\s+$", text[max(sentence.start, c0 - 8) : c0]):
                continue  # "an escalation that threatens regional stability": a thing, not a threat made
            if agent is not None:
                speaker, group, reciprocal = by_speaker, agents if len(agents) > 1 else [], False
            elif cue_text.startswith("-"):
                # "a Russia-brokered ceasefire": the name the cue is glued to.
                glued = next((m for m in inside if m.end == c0), None)
                actor = self.gaz.speaks_for(glued.actor, on) if glued is not None else None
                if actor is None:
                    continue
                speaker, group, reciprocal = _Speaker(actor, None, None, 0.7, "flat:compound"), [], False
                consumed.add(glued.start)
            elif cue_text in self.lex.agent_cues:
                if not re.search(r"\b(?:is|are|was|were|be|been|being)\s+$", text[max(sentence.start, c0 - 12) : c0]):
                    continue  # "Mediated by the Minsk Group, talks have …": background, not news
                # "talks mediated by the UAE": the actor follows the cue.
                agents = [m for m in inside if c1 <= m.start < c1 + 40 and not _compound(text, m)]
                actor = self.gaz.speaks_for(agents[0].actor, on) if agents else None
                if actor is None:
                    continue
                speaker, group, reciprocal = _Speaker(actor, None, None, 0.75, "flat:mediated-by"), [], False
                consumed.add(agents[0].start)
            elif owner is not None:
                speaker, group, reciprocal = _Speaker(owner, None, None, 0.75, "possessor"), [], False
            else:
                speaker, group, reciprocal = self._who(text, sentence, inside, c0, c1, self.lex.object_for(cue), quote, attributed, last, parties, on, consumed)
            if speaker is None:
                continue
            partner = next((m for m in inside if m.end <= c0 and re.fullmatch(r"\s+in\s+", text[m.end : c0])), None)
            if partner is not None and re.search(r"\bjoined\s+(?:the\s+)?$", text[max(sentence.start, partner.start - 12) : partner.start]):
                # "Hamas has joined the PA in condemning the accords": both condemned them.
                ally = self.gaz.speaks_for(partner.actor, on)
                if ally is not None and ally != speaker.actor and not group:
                    group = [speaker.actor, ally]
                    consumed.add(partner.start)
            # What is called for may stand before the call ("the hostilities should be ended").
            before = 30 if cue_concept == "appeal" else 0
            concept = self._refine(cue_concept, text[max(sentence.start, c0 - before) : min(sentence.end, c1 + 80)])
            stance = self.lex.stances[concept]
            victim = cue.group(0).lower() in self.lex.victim_cues
            if agent is not None and speaker.path == "flat:from-source":
                targets, used = self._drew_it(text, sentence, inside, c0, speaker, on, consumed)
            elif agent is not None:
                # "Azerbaijan's aggression was condemned by NATO": aimed at what comes before.
                targets, used = self._targets(text, sentence, inside, c0, c1, quote, speaker, parties, mediators, on, "before", cue_text, consumed)
            else:
                targets, used = self._targets(text, sentence, inside, c0, c1, quote, speaker, parties, mediators, on, self.lex.object_for(cue), cue_text, consumed)
            consumed.update(used)
            aim = "named" if targets else "none"
            aimed_at = self._tree_targets(sentence, inside, c0, c1, speaker.actor, on)
            if aimed_at and set(targets) <= set(aimed_at):
                targets, aim = aimed_at, "tree"
            if not targets and cue.end() - cue.start() > len(cue_text.split()[0]):
                # "expelled 23 Russian diplomats", "summoned the Dutch envoy": named inside the cue.
                targets = self._actors_of((m for m in inside if c0 < m.start < c1), speaker, on)
                aim = "in cue" if targets else aim
            if concept == "reject-claim" and _CLAIM_AFTER.match(text, c1):
                # "denied accusations that it supports the Houthis": the names are in the claim
                # denied, not its addressees (an accuser named elsewhere is: see _answer_accusations).
                targets, aim = [], "none"
            if cue_concept == "warn" and cue_text.startswith(("warn", "caution")):
                concept = self._warning(text, sentence, inside, c1, used, quote, concept)
                stance = self.lex.stances[concept]
            if used and not targets and stance.coarse in ("SUPPORT", "DISAPPROVE") and quote is None and self._own_side_aimed(sentence, c0, c1, used):
                continue  # aimed only at its own side ("the defence minister backed Maduro")
            if victim:
                blamed_side = self._other_party(targets, speaker.actor, parties)
                if blamed_side != targets:
                    targets, aim = blamed_side, "victim's other party"
            if blamed is not None and blamed != speaker.actor and blamed not in targets:
                targets, aim = [blamed, *targets], "possessor blamed"
            if stance.coarse == "MEDIATE":
                targets = [t for t in targets if t not in mediators]
            # "condemned the strikes", or "called the strikes an 'act of aggression'".
            action = _ATTACK_OBJECT.match(text, c1) or _ATTACK_CALLED.search(text, max(sentence.start, c0 - 40), c0)
            # "said the launch was 'absolutely unacceptable'": the action judged is the clause's subject.
            action = action or _ATTACK_JUDGED.search(text, max(sentence.start, c0 - 60), c0)
            if not targets and action and stance.coarse in ("DISAPPROVE", "REJECT", "SUPPORT"):
                # "condemned the air strikes", "welcomed the strikes": aimed at whoever carried them out.
                targets, aim = self._author_of_attack(c0, speaker.actor, _action_kind(action.group(0))), "action's authors"
            # "welcomed the decision", "described the move as a betrayal", "denounced the new
            # sanctions": aimed at whoever made or imposed them (violating sanctions is no reaction to them).
            named = {
                "decision": _DECISION_OBJECT.match(text, c1) or _DECISION_CALLED.search(text, max(sentence.start, c0 - 50), c1),
                "sanctions": (None if cue_text.startswith("violat") else _SANCTIONS_OBJECT.match(text, c1))
                or _SANCTIONS_CALLED.search(text, max(sentence.start, c0 - 60), c0),
            }
            for kind, said in named.items():
                if not targets and said and stance.coarse in ("DISAPPROVE", "REJECT", "SUPPORT", "CONCERN"):
                    targets, aim = self._author_of_attack(c0, speaker.actor, kind), "action's authors"
                    aimed_at = aimed_at or targets
            if not targets and previous_targets and previous_actor == speaker.actor and stance.coarse not in ("CONCERN",):
                targets, aim = list(previous_targets), "previous statement"
            if not targets:
                # "Turkey also condemned the attacks" in an article about bombings in Egypt: the
                # attacks' authors are unnamed, and the article's state is more likely their victim.
                victim = action is not None and _TERROR.search(action.group(0)) is not None
                targets, aim = self._default_targets(stance.coarse, concept, speaker.actor, parties, victim)
            if not targets and stance.coarse in ("SUPPORT", "THREATEN"):
                # Support and threats are nearly always for or against someone: when the sentence
                # names one other actor, it is the one (dev gold, 0.4.69: 26 keys made right, 12
                # that were right with no target lost, 11 fewer wrong keys).
                named_here = self._actors_of(inside, speaker, on)
                if len(named_here) == 1:
                    targets, aim = named_here, "the one named"
            if stance.coarse == "CONCERN":
                # A worry is aimed only where the tree says so ("worried about Iran's decision").
                targets, aim = aimed_at, "tree" if aimed_at else "none"
            ev0, ev1 = _evidence(text, sentence, c0, c1, quote)
            day, lo, hi, expression = _when(body, on)
            for actor in group or [speaker.actor]:
                aimed = [t for t in (group if reciprocal else targets) if t.iri != actor.iri]
                how = "each other" if reciprocal else aim
                if not reciprocal and group:
                    aimed = [t for t in aimed if t not in group]
                    if not aimed and stance.coarse != "CONCERN":
                        # Never one of those who spoke together: "France, Germany and Italy urged
                        # restraint" in an article about the three is not aimed at two of them.
                        fallback, how = self._default_targets(stance.coarse, concept, actor, parties)
                        aimed = [t for t in fallback if t not in group]
                person = speaker.person if not group else speaker.people.get(actor.iri)
                out.append(
                    Extracted(
                        actor=actor.label,
                        actor_iri=actor.iri,
                        stance=str(stance.iri),
                        stance_label=stance.label,
                        stance_class=stance.coarse,
                        targets=sorted({t.label for t in aimed}),
                        target_iris=sorted({t.iri for t in aimed}),
                        evidence=text[ev0:ev1],
                        start=ev0,
                        end=ev1,
                        speaker=person.label if person else None,
                        speaker_iri=person.iri if person and not person.iri.startswith("new:") else None,
                        quote=text[quote[0] : quote[1]] if quote else None,
                        date=day,
                        not_before=lo,
                        not_after=hi,
                        date_expression=expression,
                        confidence=round(
                            self.calibration.path_confidence(speaker.path, stance.coarse) if self.calibration is not None
                            else speaker.confidence * (0.9 if group else 1.0), 2
                        ),
                        cue=cue.group(0),
                        source=doc.name,
                        path=speaker.path,
                        aim=how if aimed else "none",
                    )
                )
            previous_targets, previous_actor = targets, speaker.actor
            voiced.setdefault(stance.coarse, []).append((c0, c1))
            if speaker.person is None and not group and not speaker.path.startswith("pronoun"):
                self._last_body = speaker
            self._cue_end = c1
        return out

    def _who(
        self,
        text: str,
        sentence: _Sentence,
        inside: list[Mention],
        c0: int,
        c1: int,
        where: str,
        quote: tuple[int, int] | None,
        attributed: _Speaker | None,
        last: _Speaker | None,
        parties: list[Actor],
        on: date | None,
        consumed: set[int],
    ) -> tuple[_Speaker | None, list[Actor], bool]:
        """Whose reaction a cue reports; for several subjects ("France and Germany urged") all of
        them, and whether they reacted to each other ("accused each other")."""
        if quote is not None and attributed is not None:
            return replace(attributed, path="quote:attributed"), [], False
        if quote is not None:
            # '"The UK believes …," he said': the last speaker goes on.
            outside = text[sentence.start : sentence.end]
            for a, b in sentence.quotes:
                outside = outside.replace(text[a:b], "")
            if last is not None and re.search(r"\b(?:he|she|He|She)\s+(?:said|added|told|says|wrote|stated|continued)\b", outside):
                return _Speaker(last.actor, last.person, last.title, last.confidence * 0.85, "quote:continued"), [], False
            # '"… would have consequences …," they warned': the group named last (every member).
            if self._last_group and re.search(r"\bthey\s+(?:said|added|told|say|wrote|stated|warned|stressed|noted|insisted|argued)\b", outside):
                group = list(self._last_group)
                return _Speaker(group[0], None, None, 0.7, "pronoun:they"), group, False
            # Quoted words with no reporting verb ("called the attack 'outrageous'"): the
            # sentence's subject said them.
            c0 = quote[0] - 1
        if re.fullmatch(r"[\s\"“‘']*", text[sentence.start : c0]) and re.match(r"\w+ing\b", text[c0 : c0 + 20]):
            # "Denouncing the test as 'hostile', President Trump said …": the subject follows the
            # participle's clause. (Kept before the tree: the parser often makes such a
            # participle the root, with no subject.)
            comma = next((c0 + k.start() for k in re.finditer(",", text[c0 : sentence.end]) if sentence.quoted(c0 + k.start()) is None), None)
            after = [
                m for m in inside
                if comma is not None and comma < m.start <= comma + 60 and sentence.quoted(m.start) is None
                and (not m.adjective or _stands_for_state(text, m)) and not _after_preposition(text, comma, m)
            ]
            speaker = self._speaker_of(after[0], on) if after else None
            if speaker is not None:
                consumed.add(after[0].start)  # the subject, not an object of the cue
                return replace(speaker, path="flat:participle"), [], False
        # "X and Y accused each other": a reaction each way.
        tail = text[c0 : min(sentence.end, c0 + 60)]
        head = text[max(sentence.start, c0 - 25) : c0]
        if re.search(r"\b(?:each other|one another|the other)\b", tail) or re.search(r"\beach\s+$", head):
            states = self._distinct_actors(self._subjects(text, sentence, inside, c0, on, consumed), on)
            if len(states) < 2 and self.lex.both.search(text[sentence.start : c0]):
                states = list(parties)
            if len(states) < 2:
                # "… on the ground Armenia and Azerbaijan have accused each other": the flat rules
                # read the names as a preposition's; the parse may still see them as the subjects.
                from_tree = self._tree_who(sentence, inside, c0, c1, on, where)
                if from_tree and from_tree is not _DOMESTIC_VOICE and len(from_tree[1]) >= 2:
                    states = from_tree[1]
            if len(states) >= 2:
                return _Speaker(states[0], None, None, 0.75, "flat:each-other"), states[:2], True
        antecedents = self._antecedents(text, sentence, inside, c0)
        from_tree = None if antecedents else self._tree_who(sentence, inside, c0, c1, on, where)
        if from_tree is _DOMESTIC_VOICE:
            return None, [], False
        if from_tree is not None:
            return from_tree[0], from_tree[1], False
        # The tree gave nothing (no parse, a pronoun, no actor named where it points): the flat
        # rules below decide.
        if antecedents:
            # "Turkey, which has accused the Saudis of …", "Oman, Bahrain and Egypt, which all put
            # out statements of support": the names before "which" are the subjects.
            actors = self._distinct_actors(antecedents, on)
            if len(actors) > 1:
                self._last_group = actors
                return _Speaker(actors[0], None, None, 0.75, "flat:relative"), actors, False
            if actors:
                return self._speaker_of(antecedents[0], on, 0.8, "flat:relative"), [], False
        # "…urged Lukashenko to step down, a call he has rejected", "…Iran, which he has blasted":
        # "he" right before the cue is the person last named, not the sentence's subject.
        if re.search(r"(?:,|\s[-—–])\s*(?:(?:a|an)\s+\w+|which|whom?)\s+(?:he|she)\s+(?:(?:has|had|also|later|then|quickly|swiftly|repeatedly)\s+)*$", text[sentence.start : c0]):
            persons = [m for m in inside if m.start < c0 and m.actor.kind == "person" and sentence.quoted(m.start) is None]
            if persons:
                speaker = self._speaker_of(persons[-1], on)
                if speaker is not None:
                    return replace(speaker, path="pronoun"), [], False
            if last is not None:
                return _Speaker(last.actor, last.person, last.title, last.confidence * 0.85, "pronoun"), [], False
        subjects = self._subjects(text, sentence, inside, c0, on, consumed)
        if subjects and _MADE_OF.search(text[sentence.start : subjects[0].start]):
            return None, [], False  # members of a group the graph does not name: not the subject
        if subjects and _PASSIVE_BEFORE.search(text[sentence.start : c0]) and re.match(r"\w+ed\b", text[c0:c1]) and not _FEELING.match(text[c0:c1]):
            return None, [], False  # "China has been accused of …": the subject is the one accused
        if subjects and (
            _DOMESTIC_AFTER.match(text, subjects[0].end)
            or _DOMESTIC_WORD.search(text, sentence.start, subjects[0].start)
        ):
            # "Belarus's opposition leader", "German lawmaker X": not the state's voice; and with
            # "Democratic nominee Joe Biden urged the White House", the name after him is no subject.
            return None, [], False
        if subjects:
            # The clause's subject is its first eligible name; names listed right after it
            # ("France, Germany and Italy urged …") are subjects too.
            mention = subjects[0]
            group = [mention]
            for m in subjects[1:]:
                gap = text[group[-1].end : m.start]
                # "Israel's UN ambassador" is one speaker; "France, Germany and Italy" are three.
                if _LIST_GAP.fullmatch(gap) and re.search(r",|\b(?:and|or|nor)\b", gap):
                    group.append(m)
                else:
                    break
            group += self._included(text, inside, group[-1].end, c0)
            if len(group) > 1:
                actors = self._distinct_actors(group, on)
                if len(actors) > 1:
                    self._last_group = actors
                    return _Speaker(actors[0], None, None, 0.8, "fallback:flat", self._group_people(group, on)), actors, False
            speaker = self._speaker_of(mention, on)
            if speaker is not None and speaker.person is None:
                # A person named in the same sentence for the same actor voiced it ("NATO …,
                # according to Appathurai"; "Klaar, the EU's special representative, …").
                for m in inside:
                    if m.actor.kind == "person" and self.gaz.speaks_for(m.actor, on) == speaker.actor:
                        speaker.person = m.actor
                        if m.actor.iri.startswith("new:"):
                            speaker.confidence -= 0.15
                        break
            return speaker and replace(speaker, path="fallback:flat"), [], False
        if re.match(r"\s*They\b", text[sentence.start : c0]) and self._last_group:
            group = list(self._last_group)
            return _Speaker(group[0], None, None, 0.7, "pronoun:they"), group, False
        if re.match(r"\s*It\b", text[sentence.start : c0]) and self._last_body is not None:
            # "It has urged North Korea …": a state or organization, not the person last named.
            body = self._last_body
            return _Speaker(body.actor, None, None, body.confidence * 0.85, "pronoun"), [], False
        if PRONOUNS.search(text[sentence.start : c0]) and last is not None:
            if re.search(r"\b(?:he|she)\b", text[sentence.start : c0], re.IGNORECASE) and self._opens_on_unknown_person(text, sentence, inside):
                return None, [], False  # "Haron was charged … in a case he fought": his, not the last official's
            return _Speaker(last.actor, last.person, last.title, last.confidence * 0.85, "pronoun"), [], False
        if attributed is not None and not _DOMESTIC_WORD.search(text, sentence.start, c0):
            # (Not when a lawmaker or an opposition figure is the one before the cue.)
            return replace(attributed, path="sentence-speaker"), [], False
        return None, [], False

    # -- the tree ----------------------------------------------------------------------------
    def _member_mention(self, member: Member, sentence: _Sentence, inside: list[Mention], on: date | None) -> Mention | None:
        """The mention naming one member of a subject or object list: its head's own name (a person
        first), else a name in apposition, else its possessor or demonym."""
        base = sentence.start
        for k, spans in enumerate(([member.head], member.appositions, member.owners)):
            for a, b in spans:
                hits = [
                    m for m in inside
                    if m.start < base + b and base + a < m.end and self.gaz.speaks_for(m.actor, on) is not None
                    and (k == 2 or not m.adjective or _stands_for_state(self._text, m))
                ]
                if hits:
                    return min(hits, key=lambda m: (m.actor.kind != "person", -m.start if k == 2 else m.start))
        return None

    def _tree_members(self, members: list[Member], sentence: _Sentence, inside: list[Mention], on: date | None) -> list[Mention]:
        found = [self._member_mention(mb, sentence, inside, on) for mb in members]
        return [m for m in found if m is not None]

    def _tree_who(
        self, sentence: _Sentence, inside: list[Mention], c0: int, c1: int, on: date | None, where: str
    ) -> tuple[_Speaker, list[Actor]] | tuple[()] | None:
        """Who took the stance, read off the parse (see :mod:`graph.syntax`); None when the tree
        names no actor (no parse, a pronoun subject, a subject the gazetteer doesn't know), and
        :data:`_DOMESTIC_VOICE` when its subject is a domestic voice ("lawmakers")."""
        if self._tree is None:
            return None
        a, b = c0 - sentence.start, c1 - sentence.start
        head = cue_head(self._tree, a, b)
        if head is None:
            return None
        # The tree tells subjects from objects itself: an earlier cue's object may be this one's subject.
        for found in who(self._tree, head, a, b, addressee_first=where == "before"):
            if any(mb.pronoun for mb in found.members):
                continue  # "it", "he": the reporter's subject, if any, else the pronoun rules
            if found.path == "tree:subject" and all(
                mb.domestic or _DOMESTIC_WORD.search(self._text, sentence.start + mb.head[0], sentence.start + mb.head[1])
                for mb in found.members
            ):
                # "Senate Democrats urged …", "the US Congress condemned …": a domestic voice holds
                # it, and the flat rules must not hand it to a state named nearby.
                return _DOMESTIC_VOICE
            mentions = self._tree_members(found.members, sentence, inside, on)
            if found.path == "tree:subject" and not mentions and all(
                _GENERIC_VOICE.fullmatch(self._text, sentence.start + mb.head[0], sentence.start + mb.head[1]) for mb in found.members
            ):
                # "Critics say …", "human rights groups warned …", "some came out in support": people
                # who speak for no state, and the flat rules must not hand it to a state named nearby.
                return _DOMESTIC_VOICE
            # "China, North Korea's biggest ally, backed": an owner in a description is no member.
            # A member's own owner ("Italy's foreign ministry and Canada's minister") still speaks.
            speaking = [(sentence.start + a, sentence.start + b) for mb in found.members for a, b in mb.owners]
            owned = [m for m in mentions if re.match(r"['’]s?\s", self._text[m.end : m.end + 3])
                     and not any(a <= m.start < b for a, b in speaking)]
            if len(owned) < len(mentions):
                mentions = [m for m in mentions if m not in owned]
            if mentions:
                break
        else:
            return None
        if found.path in ("tree:shared-subject", "tree:reported") and where != "before" and not found.judged:
            # The subject came from another clause; a name right before the cue ("… and Armenian
            # Prime Minister Nikol Pashinyan called on") says the parser joined two clauses wrongly.
            close = [m for m in inside if 0 <= c0 - m.end <= 30 and m not in mentions and sentence.quoted(m.start) is None and not m.adjective]
            if close and _SUBJECT_GAP.fullmatch(self._text, close[-1].end, c0) and not _GOVERNED.search(self._text, max(0, close[-1].start - 15), close[-1].start):
                return None
        if found.path != "tree:passive-agent":
            # The parser often misreads long lists ("France, Italy and Israel welcomed"): a list
            # of names joined by commas and "and" right before the subject is part of it, and so
            # are organizations "including" ones listed before the cue.
            listed = self._listed_with(mentions[0], inside)
            mentions = listed + [m for m in mentions if m not in listed]
            mentions += [m for m in self._included(self._text, inside, mentions[0].end, c0) if m not in mentions]
        actors = self._distinct_actors(mentions, on)
        if not actors:
            return None
        if len(actors) > 1:
            self._last_group = actors
            return _Speaker(actors[0], None, None, 0.8, found.path, self._group_people(mentions, on)), actors
        speaker = self._speaker_of(mentions[0], on, 0.9, found.path)
        if speaker is None:
            return None
        if speaker.person is not None and len(found.members) == 1:
            # "Dutch Prime Minister Mark Rutte": the title the article gives says whom he spoke
            # for, whatever post the graph knows him in today.
            owners = [m for a, b in found.members[0].owners for m in inside
                      if m.start < sentence.start + b and sentence.start + a < m.end and m.actor.kind == "state"]
            titled = self.gaz.speaks_for(owners[0].actor, on) if owners else None
            if titled is not None and titled != speaker.actor:
                speaker.actor = titled
        if speaker.person is None:
            # A person named in the same sentence for the same actor voiced it.
            for m in inside:
                if m.actor.kind == "person" and self.gaz.speaks_for(m.actor, on) == speaker.actor:
                    speaker.person = m.actor
                    break
        return speaker, []

    def _group_people(self, mentions: list[Mention], on: date | None) -> dict[str, Actor]:
        """The person each member of a group subject is named by, where one is ("Obama and French
        President Francois Hollande"): the first person for each actor."""
        people: dict[str, Actor] = {}
        for m in mentions:
            owner = self.gaz.speaks_for(m.actor, on) if m.actor.kind == "person" else None
            if owner is not None:
                people.setdefault(owner.iri, m.actor)
        return people

    def _listed_with(self, first: Mention, inside: list[Mention]) -> list[Mention]:
        """The list of names ``first`` belongs to ("Belgium, Britain, Estonia … and Norway"): names
        joined by commas, with "and" / "or" somewhere; [first] alone when it is in none."""
        text = self._text
        names = [m for m in inside if not m.adjective and not _compound(text, m)]
        if first not in names:
            return [first]
        i = names.index(first)
        gap = re.compile(r"\s*,?\s*(?:(?:and|or|along with|as well as)\s+)?(?:the\s+)?")
        lo = hi = i

        def joins(a: Mention, b: Mention) -> bool:
            between = text[a.end : b.start]
            if gap.fullmatch(between):
                return True
            # "Angela Merkel and French President Emmanuel Macron": a title before the next person.
            return b.actor.kind == "person" and _TITLED_GAP.fullmatch(between) is not None and _TITLE_BEFORE.search(between) is not None

        while lo > 0 and joins(names[lo - 1], names[lo]):
            lo -= 1
        while hi + 1 < len(names) and joins(names[hi], names[hi + 1]) and not re.match(r"['’]", text[names[hi + 1].end : names[hi + 1].end + 1]):
            hi += 1
        listed = names[lo : hi + 1]
        ands = [k for k, (x, y) in enumerate(zip(listed, listed[1:])) if re.search(r"\b(?:and|or)\b", text[x.end : y.start])]
        if not ands:
            return [first]
        # The list ends with the name after its "and": "… the UN and Russia, Abbas said" lists
        # four, and Abbas is not one of them.
        listed = listed[: ands[0] + 2]
        return listed if first in listed else [first]

    def _inside_earlier_cue(self, sentence: _Sentence, c0: int, c1: int, voiced: list[tuple[int, int]]) -> bool:
        """Whether the cue within ``[c0, c1)`` is a noun phrase hanging from an earlier cue of the
        sentence that gave a record (``voiced``: those of the same class), as "a peaceful solution"
        in "called for a peaceful solution": the content of that reaction. A verb is a reaction of
        its own ("urged restraint and called for talks")."""
        if self._tree is None or not voiced:
            return False
        head = cue_head(self._tree, c0 - sentence.start, c1 - sentence.start)
        if head is None or head.pos_ in ("VERB", "AUX"):
            return False
        return any(governs(self._tree, a - sentence.start, b - sentence.start, c0 - sentence.start) for a, b in voiced)

    def _own_side_aimed(self, sentence: _Sentence, c0: int, c1: int, used: set[int]) -> bool:
        """Whether the speaker's own side that the cue was found aimed at (``used``: where it is
        named) hangs from the cue in the parse, as in "backed Maduro"; in "condemned the violence
        and said the United States is canceling …" it is another verb's. Without a parse, it is."""
        if self._tree is None:
            return True
        return any(governs(self._tree, c0 - sentence.start, c1 - sentence.start, u - sentence.start) for u in used)

    def _tree_targets(self, sentence: _Sentence, inside: list[Mention], c0: int, c1: int, speaker: Actor, on: date | None) -> list[Actor]:
        """The cue's objects in the parse, as actors (not the speaker)."""
        if self._tree is None:
            return []
        found = self._tree_members(objects(self._tree, c0 - sentence.start, c1 - sentence.start), sentence, inside, on)
        return [a for a in self._distinct_actors(found, on) if a != speaker]

    @staticmethod
    def _included(text: str, inside: list[Mention], start: int, c0: int) -> list[Mention]:
        """"Russia and organizations including NATO and the EU called …": the names listed after
        "including" right before the cue are subjects too."""
        inc = _INCLUDING.search(text, start, c0)
        if inc is None:
            return []
        listed: list[Mention] = []
        for m in inside:
            if m.start < inc.end() or m.end > c0:
                continue
            if not _LIST_GAP.fullmatch(text[listed[-1].end if listed else inc.end() : m.start]):
                return []
            listed.append(m)
        return listed if listed and re.fullmatch(r"[\s,]*(?:(?:also|have|has|had|jointly|all|both)\s+)*", text[listed[-1].end : c0]) else []

    def _drew_it(
        self, text: str, sentence: _Sentence, inside: list[Mention], c0: int, speaker: _Speaker, on: date | None, consumed: set[int]
    ) -> tuple[list[Actor], set[int]]:
        """Whom a reaction noun with its voice after "from" is aimed at: who did what drew it, the
        first name of the sentence ("Trump's decision to strike Syria won praise from …" is aimed at
        the US, not Syria; "the U.S. Embassy in Jerusalem, opened … despite criticism from …" at the
        US), with the names listed with it; none named, the later rules decide."""
        before = [
            m for m in inside
            if sentence.start <= m.start < c0 and m.start not in consumed and sentence.quoted(m.start) is None
            and _stands_for_state(text, m) and not _compound(text, m)
            and not _PLACE_BEFORE.search(text[max(sentence.start, m.start - 12) : m.start])
            and not _VICTIM_BEFORE.search(text[max(sentence.start, m.start - 30) : m.start])
        ]
        if not before:
            return [], set()
        relative = _DREW_RELATIVE.search(text, sentence.start, c0)
        if relative is not None:
            # "… questioned a Chinese military build-up that has drawn protests from …": what the
            # relative clause is about, the last name before "that".
            before = [m for m in before if m.start < relative.start()][-1:]
            if not before:
                return [], set()
        listed = _list_from(text, before)
        return [a for a in self._distinct_actors(listed, on) if a != speaker.actor], {m.start for m in listed}

    def _sources(self, text: str, sentence: _Sentence, inside: list[Mention], c1: int) -> list[Mention]:
        """The names a reaction noun comes from ("criticism from Western capitals, including
        Washington and London", "protests from U.S. allies like Japan and South Korea", "from top
        Pakistani officials"): the list right after "from" (or after its "including"), few words on."""
        limit = min(sentence.end, c1 + 50)
        lead = _SOURCE_EXAMPLES.search(text, c1, limit)
        start = lead.end() if lead else c1
        near = [
            m for m in inside
            if start <= m.start < limit and sentence.quoted(m.start) is None and not _compound(text, m) and _stands_for_state(text, m)
        ]
        gap = text[start : near[0].start] if near else ""
        if not near or len(gap.split()) > 3 or _NOT_A_SOURCE_GAP.search(gap):
            return []  # "condemnation from around the world, Pyongyang …", "from liberals when Obama …"
        return _list_from(text, near)

    def _distinct_actors(self, mentions: Iterable[Mention], on: date | None) -> list[Actor]:
        """Whom the mentions speak for, each once, in order."""
        actors: list[Actor] = []
        for m in mentions:
            actor = self.gaz.speaks_for(m.actor, on)
            if actor is not None and actor not in actors:
                actors.append(actor)
        return actors

    def _antecedents(self, text: str, sentence: _Sentence, inside: list[Mention], c0: int) -> list[Mention]:
        """The actors a relative clause holding the cue is about: "Turkey, which has accused …"
        gives Turkey; a list before "which" gives all of it."""
        head = text[sentence.start : c0]
        rel = None
        for rel in re.finditer(r",\s*(?:which|who)\s+", head):
            pass
        if rel is None or "," in head[rel.end() :]:
            return []
        comma = sentence.start + rel.start()
        after = sentence.start + rel.end()
        if _CLAUSE_SUBJECT.match(text, after) or any(m.start == after for m in inside):
            # "Iran, which he has repeatedly blasted": the clause has its own subject; the name
            # before "which" is what it is about, not who speaks.
            return []
        before = [m for m in inside if m.end <= comma and sentence.quoted(m.start) is None and not m.adjective and not _compound(text, m)]
        if not before or before[-1].end != comma:
            return []
        group = [before[-1]]
        for m in reversed(before[:-1]):
            if _LIST_GAP.fullmatch(text[m.end : group[0].start]):
                group.insert(0, m)
            else:
                break
        if len(group) == 1 and _after_preposition(text, sentence.start, group[0]):
            return []  # "support for Iran, which …": Iran isn't speaking
        return group

    def _descriptions(self, text: str, sentence: _Sentence, inside: list[Mention], limit: int) -> list[tuple[int, int]]:
        """Spans describing a name between commas before ``limit``: in "China, Pyongyang's only
        ally, said …" the names describing the subject don't speak ("Britain, France, and
        Germany urged" is a list: no description)."""
        spans = []
        for m in inside:
            if m.end >= limit:
                break
            aside = _DESCRIBED.match(text, m.end, limit)
            if aside is None or not re.match(r"[a-z]", text[aside.end() : aside.end() + 1]):
                continue
            np = aside.group("np")
            if _JOINED_ON.match(np):
                continue  # ", as well as the EU and NATO,": more of the list, not a description
            if (
                re.search(r"\b(?!(?:and|or|the|of)\b)[a-z]{3,}", np)
                and not next(self.lex.cues(np), None) and not self.lex.reporting.search(np)
                and not _after_preposition(text, sentence.start, m)
            ):
                spans.append((aside.start(), aside.end()))
        return spans

    def _subjects(
        self, text: str, sentence: _Sentence, inside: list[Mention], c0: int, on: date | None, consumed: set[int]
    ) -> list[Mention]:
        """Mentions that can be the subject of the cue at ``c0``: before it in the sentence, outside
        quotes, relative clauses, compounds and prepositional phrases, in the same clause, and not
        already the object of an earlier cue."""
        head = text[sentence.start : c0]
        blocked: list[tuple[int, int]] = [(sentence.start + m.start(), sentence.start + m.end()) for m in _RELATIVE.finditer(head)]
        blocked += self._descriptions(text, sentence, inside, c0)
        # A clause boundary before the cue ("…, Y said. X urged") starts the candidates afresh,
        # unless nothing follows it.
        floors = [sentence.start]
        for m in re.finditer(r";|\s—\s|\sbut\s|\swhile\s|\bafter\b|\bbefore\b|\b(?<!well )as\b(?! well as\b)|,\s*with\b|,\s*(?:a|an|the)\s+\w+\s+(?:which|that)\b|" + _SAID_THAT, head):
            if sentence.start + m.end() < c0 - 1:
                floors.append(sentence.start + m.end())
        # "The UK and France demanded an inquiry and Trump warned of retribution": after an
        # earlier cue, "and" starts the next clause.
        joint = re.search(r"\band\b", text[self._cue_end : c0]) if sentence.start < self._cue_end < c0 else None
        if joint:
            floors = sorted(set(floors) | {self._cue_end + joint.end()})

        def eligible(floor: int) -> list[Mention]:
            return [
                m for m in inside
                if floor <= m.start < c0 and sentence.quoted(m.start) is None and not m.adjective
                and not any(a <= m.start < b for a, b in blocked)
                and m.start not in consumed
                and not _after_preposition(text, sentence.start, m)
                and self.gaz.speaks_for(m.actor, on) is not None
            ]

        # The innermost clause first; "X said that the attack …" with no actor after "that"
        # falls back to X.
        def demonyms(floor: int) -> list[Mention]:
            # A demonym right before a title ("Turkish Foreign Minister …", "the Iranian Foreign
            # Ministry") still names the actor.
            return [
                m for m in inside
                if floor <= m.start < c0 and sentence.quoted(m.start) is None and m.adjective
                and not _compound(text, m) and _stands_for_state(text, m)
            ]

        picks: list[Mention] = []
        for floor in reversed(floors):
            picks = eligible(floor)
            if picks:
                break
            named = demonyms(floor)
            if named:
                return named
        # "Lebanon's Shi'ite group Hezbollah condemned": the owner names whose group it is; the
        # group is the subject.
        # Likewise "UN ambassador Danny Danon": the name before a title is where he serves.
        while len(picks) > 1 and picks[1].start - picks[0].end <= 40 and (
            re.match(r"['’]s?\s", text[picks[0].end : picks[0].end + 3])
            or (
                picks[1].actor.kind == "person"
                and _TITLE_BEFORE.search(text[picks[0].end : picks[1].start])
                and not re.search(r",|\b(?:and|or|with)\b", text[picks[0].end : picks[1].start])
            )
        ):
            picks = picks[1:]
        return picks

    def _possessor(self, text: str, inside: list[Mention], c0: int, on: date | None) -> Actor | None | bool:
        """For a cue that is a noun owned by someone ("Turkey's support", "nations' support"):
        the owner when it is an actor, False when it is someone unnamed, None when the cue is
        not possessed (or is the subject's own: "its support")."""
        before = text[max(0, c0 - 3) : c0]
        if not re.search(r"['’]s?\s$", before):
            # "despite UN condemnation": an organization's name used as a noun's modifier.
            if _ACT_NOUN.match(text, c0):
                owner = next((m for m in inside if m.end == c0 - 1 and text[m.end] == " " and not m.adjective), None)
                if owner is not None and re.search(r"\b(?:a|an)\s+$", text[max(0, owner.start - 4) : owner.start], re.IGNORECASE):
                    return None  # "called for a UN condemnation": one that hasn't happened
                if owner is not None and owner.actor.kind in ("organization", "mediation", "body"):
                    return self.gaz.speaks_for(owner.actor, on)
            return None
        owner = next((m for m in reversed(inside) if m.end <= c0 and c0 - m.end <= 3), None)
        if owner is None:
            return False
        return self.gaz.speaks_for(owner.actor, on) or False

    def _targets(
        self,
        text: str,
        sentence: _Sentence,
        inside: list[Mention],
        c0: int,
        c1: int,
        quote: tuple[int, int] | None,
        speaker: _Speaker,
        parties: list[Actor],
        mediators: set[Actor],
        on: date | None,
        where: str,
        cue_text: str,
        taken: set[int],
    ) -> tuple[list[Actor], set[int]]:
        """The actors a cue is aimed at, and the mentions that named them (not those ``taken``
        already, as an earlier cue's objects or as this cue's subject)."""
        if where == "none":
            return [], set()
        if quote is not None and where != "before":
            # Within the quotation, the sentence that holds the cue.
            span = (quote[0], quote[1])
            for end in re.finditer(r"(?<!\.)[.!?]\s+(?=[A-Z\"“‘])", text[span[0] : span[1]]):
                if span[0] + end.end() <= c0:
                    span = (span[0] + end.end(), span[1])
                elif span[0] + end.start() >= c1:
                    span = (span[0], span[0] + end.start())
                    break
            found = [
                m for m in inside
                if span[0] <= m.start < span[1] and not _compound(text, m)
                and not _VICTIM_BEFORE.search(text[max(span[0], m.start - 30) : m.start])
                and not _PLACE_BEFORE.search(text[max(span[0], m.start - 10) : m.start])
            ]
            actors = self._actors_of(found, speaker, on)
            if not actors and quote[0] - sentence.start > 1:
                # 'said Iran had "crossed a red line"', 'described Maduro's rule as "illegitimate"':
                # the quotation is said of the name right before it.
                lead = [m for m in inside if quote[0] - 50 <= m.start < quote[0] and sentence.quoted(m.start) is None]
                if lead and not _PLACE_BEFORE.search(text[max(sentence.start, lead[-1].start - 10) : lead[-1].start]):
                    actors = self._actors_of(lead[-1:], speaker, on)
                    found = lead[-1:]
            if self.lex.both.search(text[span[0] : span[1]]):
                actors = _merge(actors, parties)
            if self.lex.mediators.search(text[span[0] : span[1]]) and len(mediators) == 1:
                actors = _merge(actors, list(mediators))
            return actors, {m.start for m in found}
        if where == "before":
            window = text[max(sentence.start, c0 - 60) : c0]
            # After the previous cue: "X called on both sides to stop fighting" — X is not addressed.
            floor = max(c0 - 60, self._cue_end)
            found = [m for m in inside if floor <= m.start < c0 and not _compound(text, m) and sentence.quoted(m.start) == sentence.quoted(c0)]
            found = found[-2:]
            actors = self._actors_of(found, speaker, on)
            if self.lex.both.search(window):
                actors = _merge(actors, parties)
            return actors, {m.start for m in found}
        # After the cue: the noun phrase it governs, a list of actors joined by "and" or commas.
        limit = sentence.end
        stop = _CLAUSE_STOP.search(text, c1, sentence.end)
        if stop:
            limit = stop.start()
        window = text[c1:limit]
        found: list[Mention] = []
        cursor = c1
        for m in inside:
            if m.start < c1 or m.start >= limit or _compound(text, m) or m.start in taken:
                continue
            gap = text[cursor : m.start]
            if _VICTIM_BEFORE.search(gap):
                break  # "condemned Israel's attacks on Syria": Syria suffered, it is not blamed
            if _PLACE_BEFORE.search(gap):
                continue  # "urged restraint in Syria": where, not whom
            # "called for a ceasefire … as Turkey …": what one calls *for* is a thing, not an actor.
            reach = 2 if cue_text.endswith(" for") else 8
            if not found and len(re.findall(r"[A-Za-z]+", gap)) > reach:
                break
            if found and not _LIST_GAP.fullmatch(gap):
                break  # "condemned Armenia and praised Azerbaijan": the list ended at "praised"
            if re.search(r"\band\s+$", gap) and self._speaks_next(text, m.end, limit):
                break  # "demanded an investigation and Trump warned …": a new clause's subject
            found.append(m)
            cursor = m.end
        actors = self._actors_of(found, speaker, on)
        head = window[:60]
        if self.lex.both.search(head):
            actors = _merge(actors, parties)
        if self.lex.mediators.search(head) and len(mediators) == 1:
            actors = _merge(actors, list(mediators))
        return actors, {m.start for m in found}

    def _speaks_next(self, text: str, at: int, limit: int) -> bool:
        """Whether a reporting verb or a stance cue follows a name closely ("Trump on Sunday
        warned"): the name is the subject of what follows, not an object of what went before."""
        after = text[at : min(limit, at + 30)]
        return bool(self.lex.reporting.search(after) or next(self.lex.cues(after), None))

    def _actors_of(self, found: Iterable[Mention], speaker: _Speaker, on: date | None) -> list[Actor]:
        out: list[Actor] = []
        for m in found:
            if m.actor.kind == "media":
                continue
            actor = self.gaz.speaks_for(m.actor, on)
            if actor is None or actor == speaker.actor or actor in out:
                continue
            out.append(actor)
        return out

    def _default_targets(
        self, coarse: str, concept: str, actor: Actor, parties: list[Actor], victim: bool = False
    ) -> tuple[list[Actor], str]:
        """Targets the text leaves implicit, and which default chose them (an :attr:`Extracted.aim`):
        a mediation offer, or a call for a ceasefire, restraint, de-escalation or talks, is to the
        parties; a threat of force, a demand, a criticism or a denial by one party is aimed at the
        other; in an article about one state, others' criticism is aimed at it, unless it is of an
        attack of unnamed authors (``victim``: the state may be where it struck)."""
        if (coarse == "MEDIATE" or concept in _CALLS_TO_THE_PARTIES) and actor not in parties:
            return list(parties), THE_PARTIES if parties else "none"
        if len(parties) == 2 and actor in parties and (
            (coarse == "THREATEN" and concept != "threaten-to-quit-talks") or coarse in ("REJECT", "APPEAL", "DISAPPROVE")
        ):
            # One side's warning, demand or criticism is aimed at, and its rejection answers, the
            # other side (aiming appeals and criticisms so made 193 dev gold records right and 85
            # that were right with no target wrong).
            return [p for p in parties if p != actor], THE_OTHER_PARTY
        home = self._home_actor
        if home is not None and actor != home and coarse in ("DISAPPROVE", "APPEAL", "THREATEN") and not victim:
            # An article about one state ("criticized the election as neither free nor fair"):
            # others' criticism, demands and warnings that name no one are aimed at it.
            return [home], THE_ARTICLES_STATE
        return [], "none"

    @staticmethod
    def _other_party(victims: list[Actor], actor: Actor, parties: list[Actor]) -> list[Actor]:
        """"A deliberate attack on Azerbaijan": the blame goes to the other party of the conflict."""
        if len(parties) == 2 and len(victims) == 1 and victims[0] in parties:
            return [p for p in parties if p != victims[0] and p != actor]
        return victims

    def _warning(
        self, text: str, sentence: _Sentence, inside: list[Mention], c1: int, used: set[int], quote: tuple[int, int] | None, concept: str
    ) -> str:
        """What a warning is: "warned Moscow to stay out", "warned it against …" tell someone what to
        do (an appeal); "warned of the risk of …" voices a worry, and so does "warned that
        annexation would undermine the talks" (no one warned, no threat named); "warned of
        retaliation" or "that it would respond" stays a threat."""
        if quote is not None:
            return concept
        after = max((m.end for m in inside if m.start in used), default=c1)
        if used and _WARNED_TO.match(text, after, sentence.end):
            return self._refine("appeal", text[after : min(sentence.end, after + 80)])
        if _WARNED_OF_RISK.match(text, c1, sentence.end):
            return "express-concern"
        if concept == "warn" and not used and not _THREAT_AFTER.search(text, c1, min(sentence.end, c1 + 80)):
            return "express-concern"
        return concept

    def _refine(self, concept: str, window: str) -> str:
        options = self.lex.refine.get(concept)
        if not options:
            return concept
        lower = window.lower()
        best = None
        for fine, words in options.items():
            for w in words:
                i = lower.find(w)
                if i >= 0 and (best is None or i < best[0]):
                    best = (i, fine)
        return best[1] if best else concept


def in_chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``items`` in lists of ``size`` (the last one shorter), read as they come."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """Later mentions by surname of people the graph knows, first named in full ("Shinzo Abe … Abe
    refused"): a surname the graph can't keep as a name of its own ("Abe", "May") is safe once the
    article has said whom it means. Not before a number ("May 5"). (People the graph doesn't know
    had their surnames found with them: see ``Extractor._titled_people``.)"""
    covered = {i for m in mentions for i in range(m.start, m.end)}
    out: list[Mention] = []
    seen: set[str] = set()
    for m in mentions:
        parts = m.text.split()
        if m.actor.kind != "person" or m.actor.iri.startswith("new:") or len(parts) < 2 or parts[-1] in seen or not parts[-1][:1].isupper():
            continue
        seen.add(parts[-1])
        for s in re.finditer(rf"(?<![\w-]){re.escape(parts[-1])}(?![\w-])(?!\s+\d)", text[m.end :]):
            if m.end + s.start() not in covered:
                out.append(Mention(m.end + s.start(), m.end + s.end(), parts[-1], m.actor))
    return out


#: Kinds of action whose authors only a reaction to that kind is aimed at: a test, a launch or
#: drills are not "the strikes", and a decision or sanctions are no military action.
_OWN_KIND = frozenset({"decision", "sanctions", "test", "launch", "drill", "exercise"})


def _action_kind(words: str) -> str:
    """"air strikes" and "strike" are one kind of action, "attacks" another."""
    found = re.findall(r"strike|attack|raid|bomb|shell|invasion|offensive|incursion|annexation|test|launch|drill|exercise", words.lower())
    return found[-1] if found else ""


def _negated(lex: Lexicon, text: str, floor: int, c0: int) -> bool:
    """Whether a negation in the cue's own clause, just before it, cancels it ("did not condemn")."""
    return lex.negation.search(re.split(r"[,;\"”“]|['’](?=\s)|\s[-–—]\s|\band\b|\bbut\b", text[max(floor, c0 - 30) : c0])[-1]) is not None


#: A subject that is people speaking for no state (:data:`graph.syntax.GENERIC`), after any modifiers.
_GENERIC_VOICE = re.compile(r"(?:[\w-]+\s+)*?(?:" + "|".join(sorted(GENERIC, key=len, reverse=True)) + r")", re.IGNORECASE)
#: What :meth:`Extractor._tree_who` says when the clause's subject is a domestic voice: no one's.
_DOMESTIC_VOICE: tuple[()] = ()
#: A domestic voice's role (:data:`graph.syntax.DOMESTIC`): not the state's, whatever state they are of.
_DOMESTIC_ROLE = r"(?:" + "|".join(re.escape(w) for w in sorted(DOMESTIC, key=len, reverse=True)) + r")(?!\w)"
_DOMESTIC_WORD = re.compile(rf"\b{_DOMESTIC_ROLE}", re.IGNORECASE)
#: Such a role right after a state's name or adjective: "Belarus's opposition leader", "German lawmaker".
_DOMESTIC_AFTER = re.compile(rf"(?:['’]s?)?\s+(?:[\w-]+\s+){{0,2}}?{_DOMESTIC_ROLE}", re.IGNORECASE)
#: The words of a former office before a name: "former British Foreign Secretary ", "Former president
#: of the ", "a former Canadian envoy to ", "Ex-President ": capitalised words, titles, "of the".
_FORMER_OFFICE_BEFORE = re.compile(
    rf"\b(?i:{_FORMERLY})(?:(?:[A-Z][\w.'’-]*|of|the|" + "|".join(re.escape(t.lower()) for t in TITLES) + r")\s+){0,5}$"
)


def _in_former_office(text: str, m: Mention) -> bool:
    """Whether a name belongs to an office its holder has left ("former British Foreign Secretary
    David Owen", "Former president of the United States, Jimmy Carter"): neither the person nor the
    state speaks through it now."""
    before = _FORMER_OFFICE_BEFORE.search(text, max(0, m.start - 60), m.start)
    if before is None:
        return False
    if m.actor.kind == "person" or _TITLE_OF_BEFORE.search(before.group(0)):
        return True  # "former … Secretary David Owen", "Former president of the United States"
    return _TITLE_AFTER.match(text, m.end) is not None  # "former British Foreign Secretary"


#: A title right after a state's name or adjective: "British Foreign Secretary", "US envoy".
_TITLE_AFTER = re.compile(r"\s+(?:[A-Z][\w-]*\s+){0,2}(?:" + "|".join(re.escape(t) for t in TITLES) + r"|envoy|ambassador|official|officials|chief|minister|president|secretary)\b")
#: A title with "of" before a state: "president of the ".
_TITLE_OF_BEFORE = re.compile(r"(?i:" + "|".join(re.escape(t) for t in TITLES) + r"|chief|head)\s+of\s+(?:the\s+)?$")
#: Right after a name, what makes it the backer of what follows, not its voice: "Iranian-backed
#: militias", "Saudi-funded committee", "the UN-recognised government" (not "-led" or "-sponsored":
#: "Russian-sponsored peace talks" are Russia's own mediation).
_BACKER = re.compile(
    r"[-‐‑]\s?(?:backed|supported|funded|financed|armed|trained|allied|aligned|affiliated|linked|leaning|"
    r"friendly|controlled|dominated|installed|appointed|recogni[sz]ed|inspired|influenced|held)\b",
    re.IGNORECASE,
)
#: A relative clause's own subject right after "which" or "who" ("which he has blasted", "who the
#: president criticized"): the name before it is the clause's object.
_CLAUSE_SUBJECT = re.compile(r"(?:he|she|they|we|I|you|the|his|her|their|its|this|these|those)\s", re.IGNORECASE)
#: A dateline opening a story (within its first lines): "Helsinki, Finland (CNN) ", "MOSCOW (Reuters) - ",
#: "WASHINGTON — ". Not looked for past the opening: "NATO — the alliance of 30 states —" is no dateline.
_OPENING_DATELINE = re.compile(
    r"\s*(?:(?:[A-Z][\w.'’-]*(?:,?[ \t]+[A-Z][\w.'’-]*){0,3}[ \t]*)?\((?:CNN|Reuters|AP|AFP|dpa|UPI|Xinhua)\)[ \t]*(?:--?|—|–)?"
    r"|[A-Z]{3,}(?:,?[ \t]+[A-Z]{2,})*[ \t]*(?:—|–|--))[ \t]*"
)
#: The start of a photo's caption: "Hide Caption 3 of 69 Photos: …", "Pictured: …".
_CAPTION = re.compile(r"\s*(?:Hide Caption\b|(?:Photos?|Pictured|Caption)\s*:)", re.IGNORECASE)


def _headline(sentence: str) -> bool:
    """A heading, a photo credit or caption, or a list of links to other stories: most words
    capitalised, or a caption's opening words."""
    if _CAPTION.match(sentence):
        return True
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", sentence) if len(w) > 3]
    if len(words) < 3:
        return False
    if re.search(r"[.!?][\"”’']?\s*$", sentence) and any(w[0].islower() for w in words):
        # "German Chancellor Angela Merkel condemned Russia.": a short sentence full of names and
        # titles, with a lower-case verb and a full stop; a heading capitalises its verbs.
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.75


def _adjectival(text: str, c0: int, c1: int, cue: str) -> bool:
    """A cue word used as a plain adjective or noun, not a stance: "the opposing sides",
    "to have the support of the sheriff"; or naming what someone else is blamed for:
    "criticized Trump for threatening to cut funding"."""
    if cue.split()[0].endswith("ing") and re.search(r"\b(?:the|a|an|for)\s+$", text[max(0, c0 - 5) : c0], re.IGNORECASE):
        return True
    return cue in ("support", "backing") and re.match(r"\s+of\b", text[c1 : c1 + 4]) is not None


def _merge(first: list[Actor], more: Sequence[Actor]) -> list[Actor]:
    return first + [a for a in more if a not in first]


_STATE_BODY_AFTER = re.compile(
    r"\s+(?:(?:[A-Z]\w+|foreign|defen[cs]e|deputy|prime|interior|top|senior)\s+)*(?:" + "|".join(map(re.escape, TITLES))
    + r"|minister|president|secretary|government|officials?|authorities|ministry|Ministry|forces|Forces|Force|Defen[cs]e|military|army|leadership|embassy|Embassy)\b"
)


def _list_from(text: str, mentions: list[Mention]) -> list[Mention]:
    """The first of ``mentions`` with those right after it that one list joins to it ("Japan and
    South Korea", "the US, Britain and France"); empty for none."""
    listed = mentions[:1]
    for m in mentions[1:]:
        if not _LIST_GAP.fullmatch(text[listed[-1].end : m.start]):
            break
        listed.append(m)
    return listed


def _stands_for_state(text: str, m: Mention) -> bool:
    """A name, or an adjective naming the state through its organs ("Turkish forces",
    "Iranian officials") — not one describing something else ("a Venezuelan opposition leader")."""
    return not m.adjective or _STATE_BODY_AFTER.match(text, m.end) is not None


def _compound(text: str, m: Mention) -> bool:
    """"Armenian-Azerbaijani border", "US-led": a name inside a compound modifier."""
    return text[m.start - 1 : m.start] == "-" or text[m.end : m.end + 1] == "-"


#: What stands before an opening quotation mark, and after a closing one.
_BEFORE_OPENING = frozenset(" \t([{—–-/")
_AFTER_CLOSING = frozenset(" \t.,;:!?)]}—–-/")
_SINGLE_QUOTE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘](?=[A-Za-z0-9])(?P<inner>[^\n]*?[\w.,!?%)])['’](?=[\s.,;:!?)\]—–-]|$)", re.M)


def _without_link_cards(text: str) -> str:
    """``text`` with each link card (``_LINK_CARD``) blanked out, offsets kept: the card's names and
    headlines are other stories, not this one's reporting."""
    return _LINK_CARD.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)


def _full_stop_between(text: str, start: int, end: int) -> bool:
    """Whether a sentence ends with a full stop or "!" between ``start`` and ``end`` (as
    ``split_sentences`` reads it: not after an abbreviation)."""
    return any(
        text[m.start() - 1] in ".!" and not _ABBREVIATIONS.search(text[max(0, m.start() - 6) : m.start()])
        for m in _SENTENCE_END.finditer(text, start, end)
    )


def split_sentences(text: str) -> list[_Sentence]:
    """The sentences of a text, as the extractor reads them (a full stop inside a quotation does not
    end the sentence that reports it), each with its quoted spans."""
    quotes = _quote_spans(text)
    out: list[_Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start()
        if any(q0 < end < q1 for q0, q1 in quotes) and "\n" not in m.group(0):
            continue  # a full stop inside a quotation does not end the reporting sentence
        if _ABBREVIATIONS.search(text[max(start, end - 6) : end]):
            continue
        if text[start:end].strip():
            out.append(_Sentence(start, end))
        start = m.end()
    if text[start:].strip():
        out.append(_Sentence(start, len(text)))
    for s in out:
        s.quotes = [(a, b) for a, b in quotes if s.start <= a < s.end]
    return out


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Quoted passages (without their marks), paired within a paragraph. Single quotes count
    too (British style: 'both sides need to stop'), but only where one opens after a space and
    one closes before one — an apostrophe inside a word ("Turkey's") does neither."""
    spans: list[tuple[int, int]] = [(m.start("inner"), m.end("inner")) for m in _SINGLE_QUOTE.finditer(text)]
    # Two apostrophes for a double quote, as in some newspaper archives: ''provocative''.
    spans += [(m.start(1), m.end(1)) for m in re.finditer(r"''([^'\n]+?)''", text)]
    for opening, closing in _QUOTES:
        if opening == closing:
            for para in re.finditer(r"[^\n]+", text):
                spans += _straight_quotes(text, para.start(), para.end(), opening)
        else:
            for m in re.finditer(re.escape(opening) + r"([^" + re.escape(opening + closing) + r"\n]*)" + re.escape(closing) + "?", text):
                spans.append((m.start(1), m.end(1)))
    return sorted(set(spans))


def _straight_quotes(text: str, start: int, end: int, mark: str) -> list[tuple[int, int]]:
    """The passages between the straight quotation marks ``mark`` in ``text[start:end]``, each read as
    opening or closing by what touches it (a space before and a letter after opens), by turn only
    where that does not tell. Pairing by turn alone let one unclosed quotation turn every later
    pair inside out: a paragraph continued in a new quotation ("… them. "We need …") is common, and
    a corpus that keeps each article on one line makes the whole rest of the article one quotation."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    i = text.find(mark, start, end)
    while i >= 0:
        spaced_before = i == start or text[i - 1] in _BEFORE_OPENING
        spaced_after = i + 1 == end or text[i + 1] in _AFTER_CLOSING
        opens = spaced_before and not spaced_after if spaced_before != spaced_after else open_at is None
        if open_at is not None:
            # A closing mark ends the open quotation; so does an opening one (the first ran on unclosed).
            spans.append((open_at + 1, i))
            open_at = None
        if opens:
            open_at = i
        i = text.find(mark, i + 1, end)
    return spans


def _evidence(text: str, sentence: _Sentence, c0: int, c1: int, quote: tuple[int, int] | None) -> tuple[int, int]:
    """The span to keep: the quotation around a quoted cue, else the clause around the cue."""
    if quote is not None:
        return quote
    start = sentence.start
    for m in re.finditer(r"[,;:]\s", text[sentence.start : c0]):
        candidate = sentence.start + m.end()
        if c0 - candidate > 120:
            start = candidate
    end = sentence.end
    stop = _CLAUSE_STOP.search(text, c1, sentence.end)
    if stop and stop.start() - c1 > 10:
        end = stop.start()
    while end > start and text[end - 1] in " \n\t":
        end -= 1
    while start < end and text[start] in " \n\t":
        start += 1
    return start, end


def _when(sentence: str, published: date | None) -> tuple[date | None, date | None, date | None, str | None]:
    """The day (or range) a sentence dates its statement to, relative to the article's date;
    undated statements were made on or before publication."""
    if published is None:
        return None, None, None, None
    lower = sentence.lower()
    for i, name in enumerate(_WEEKDAYS):
        m = re.search(rf"\b(?:on |last |this )?{name}\b", lower)
        if m:
            back = (published.weekday() - i) % 7
            if m.group(0).startswith("last ") and back == 0:
                back = 7
            return published - timedelta(days=back), None, None, m.group(0)
    if re.search(r"\byesterday\b", lower):
        return published - timedelta(days=1), None, None, "yesterday"
    if re.search(r"\btoday\b|\bon \w+day\b", lower):
        return published, None, None, "today"
    m = re.search(r"\blast week\b", lower)
    if m:
        monday = published - timedelta(days=published.weekday())
        return None, monday - timedelta(days=7), monday - timedelta(days=1), "last week"
    m = re.search(r"\blast month\b", lower)
    if m:
        first = published.replace(day=1)
        prev_last = first - timedelta(days=1)
        return None, prev_last.replace(day=1), prev_last, "last month"
    return None, None, published, None
