"""A synthetic diplograph graph for benchmarks, shaped like a real store, written as N-Quads.

The shape it copies was measured by ``scripts/build_real_store.py`` (run of 2026-12-04 on
../shared: 1,292 articles of 9 corpora ingested + GDELT 1.0, GDELT 2.0 and ICEWS samples
imported; 7,944 reactions, 1,299 named graphs, 165,783 quads; test-output/real-shape.json):

- two kinds of source graph, as a user's store has: **article-style** graphs (one per ingested
  article; 91.3% of reactions) holding few reactions — the measured histogram, 24% of them none,
  median 6, p90 15, max 85 — and **import-style** graphs (one per imported event file; 8.7% of
  reactions) of 71, 198 and 421 reactions in turn, as the three imported files;
- skew: actors and targets drawn with the measured rank–frequency curves (140 actors, 122
  targets; the busiest actor has 33.8% of all reactions, the top ten 72.8%), continued flat at the
  last measured weight for the other actors of the reference graph. At 1M reactions the busiest
  actor (syn-state-000) has ≈330k reactions: that, not ≈20k, is what the real skew implies;
- per reaction, by kind (article / import): targets 0/1/2/3+ = 32.8/58.6/7.9/0.7% (article),
  31.4/68.6% (import); speaker 58.8% (article; some an official the reference graph
  doesn't know, written into the source graph as Person + Post, as ingest does, and so repeated in
  every graph that names them again: 10.1% of reactions, 319 people per 7,944), quote 17.9%, dr:date 10.9%, dr:notAfter 58.1%, dr:notBefore
  1.1%, dr:dateExpression 12.0%; imports always have dr:date and none of the others; stance
  classes by kind as measured (article: DISAPPROVE 31%, APPEAL 21%, SUPPORT 15%, REJECT 14%,
  THREATEN 12%, CONCERN 5%, MEDIATE 3%; import: SUPPORT 39%, APPEAL 24%, DISAPPROVE 19% …);
  dr:about for 0.28% of reactions (only curated reactions name an event: 22 of 7,944);
- evidence: article reactions a TextPositionSelector + TextQuoteSelector (2 selectors), import
  reactions one FragmentSelector (the file's line) and an article source shared by 1.6 reactions;
- the repeats (triples stated in 2+ named graphs): the extraction activity's type, label,
  version and source kind in every article graph (each such triple in 1,292 graphs), the import
  activity's in every import graph, and the ad-hoc officials' 6 triples (Person, label, holds,
  Post, label, postIn) in each graph naming them (measured: 53 such people in 2–8 graphs). The
  real store repeats no state's or organization's label or type; ``--restate-actors RATE`` adds
  that case (a share of article graphs restating their actors' type and label, as a loaded file
  or a source that describes its actors would) for testing fixes against it;
- a world-style reference graph (``graph/synthetic-world``): 200 states with user-assigned ISO codes, 100
  organizations, 300 officials (6% with a second post, 1% a third).

Checked by loading it into a fresh ``diplo init`` store and measuring it the same way
(``scripts/store_shape.py``, ``scripts/compare_shapes.py``): at 100k and 1M reactions the figures
above hold within a few percent (1M: busiest actor 329,782, 3.73% of quads extra copies against
3.48%); the median actor is quieter than the real one (189 against 755 per 1M) because 307
actors share the reactions where the real store had 140.

Deterministic (``--seed``), streaming (memory stays flat), about 20 quads per reaction (real: 20.3).
Every term is written by rdflib's N-Triples serialisation (``.n3()``).

    python scripts/generate_synthetic.py 100000 -o test-output/synthetic-100k.nq
    python scripts/generate_synthetic.py 1000000 -o test-output/synthetic-1m.nq
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import vocab  # noqa: E402

STATES, ORGANIZATIONS, OFFICIALS = 200, 100, 300
#: Reactions per actor and per target in the real store, busiest first (test-output/real-shape.json).
ACTOR_COUNTS = (
    2686, 784, 370, 325, 321, 312, 303, 293, 218, 173, 158, 155, 153, 116, 110, 95, 86, 60, 57, 55, 55, 53, 50,
    49, 48, 46, 45, 42, 33, 28, 25, 24, 23, 23, 22, 21, 21, 19, 18, 17, 16, 13, 13, 13, 13, 12, 12, 12, 11, 11,
    10, 10, 10, 9, 9, 9, 9, 9, 8, 8, 8, 8, 7, 7, 7, 7, 7, 7, 7, 6, 6, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4,
    *[3] * 9, *[2] * 22, *[1] * 24,
)
TARGET_COUNTS = (
    908, 594, 589, 532, 524, 293, 271, 261, 221, 203, 197, 103, 96, 93, 82, 78, 67, 64, 61, 56, 50, 46, 46, 40,
    39, 38, 34, 31, 26, 22, 20, 17, 16, 15, 15, 13, 12, 12, 11, 11, 10, 10, 10, 9, 9, 9, 9, 8, 8, 7, 7, 7, 6, 6,
    6, 6, 5, 5, *[4] * 8, *[3] * 6, *[2] * 22, *[1] * 28,
)
#: The actor rank (in ACTOR_COUNTS) of each of the busiest targets: the real top target is the
#: busiest actor, the second the 4th busiest actor, and so on; other targets follow in rank order.
TARGET_ACTOR_RANKS = (0, 3, 7, 1, 2, 16, 5, 14, 6, 4, 13, 8, 9, 15, 26, 18, 10, 24, 11, 20, 37, 22, 12, 17, 27)
#: Reactions per ingested article graph: {reactions: graphs} (1,292 graphs).
ARTICLE_SIZES = {
    0: 308, 1: 135, 2: 113, 3: 78, 4: 60, 5: 59, 6: 79, 7: 70, 8: 54, 9: 69, 10: 44, 11: 40, 12: 35, 13: 21,
    14: 21, 15: 25, 16: 9, 17: 17, 18: 13, 19: 7, 20: 7, 21: 3, 22: 3, 23: 4, 24: 4, 25: 2, 30: 4, 33: 2,
    35: 1, 38: 1, 58: 1, 64: 1, 70: 1, 85: 1,
}
#: Reactions of the three imported files, taken in turn for import-style graphs.
IMPORT_SIZES = (71, 198, 421)
IMPORT_SHARE = 690 / 7944
#: Targets per reaction: {targets: reactions}.
ARTICLE_TARGETS = {0: 2371, 1: 4237, 2: 573, 3: 30, 4: 12, 5: 5, 6: 4}
IMPORT_TARGETS = {0: 217, 1: 473}
#: Stance class shares by kind of graph.
ARTICLE_STANCES = {"DISAPPROVE": 0.306, "APPEAL": 0.21, "SUPPORT": 0.15, "REJECT": 0.138, "THREATEN": 0.123,
                   "CONCERN": 0.047, "MEDIATE": 0.026}
IMPORT_STANCES = {"SUPPORT": 0.386, "APPEAL": 0.242, "DISAPPROVE": 0.193, "REJECT": 0.091, "CONCERN": 0.042,
                  "MEDIATE": 0.026, "THREATEN": 0.02}
#: Article reactions: shares with each property (the speaker's is 0.588 with the officials quoted
#: again below).
SPEAKER, QUOTE, DATE, NOT_AFTER, NOT_BEFORE, DATE_EXPRESSION = 0.57, 0.179, 0.109, 0.581, 0.011, 0.12
#: Officials the reference graph doesn't know (measured: 805 speaker mentions = 10.1% of
#: reactions, in 419 graph appearances = 5.3%, of 319 people = 4.0%). Calibrated to give that:
#: the chance a new speaker is one (AD_HOC), that it is one of its actor's already named in an
#: earlier graph (AD_HOC_AGAIN), and that the article quotes the last one again (AD_HOC_SAME_GRAPH).
AD_HOC, AD_HOC_AGAIN, AD_HOC_SAME_GRAPH = 0.09, 0.3, 0.2
ABOUT = 22 / 7944
#: Article graphs: share with a URL and with a publication date; import reactions per article source.
SOURCE_URL, SOURCE_DATE, IMPORT_PER_SOURCE = 514 / 1292, 780 / 1292, 690 / 441
CONFIDENCES = ("0.90", "0.77", "0.75", "0.72", "0.64", "0.68", "0.70", "0.65")
QUOTES = (
    'We call on all sides to show restraint and return to talks.',
    'This "provocation" is unacceptable — it must stop.',
    "We stand with our friends; the attack was a violation of international law.",
    'Nous sommes préoccupés. Back\\slash and "quotes" survive serialisation.',
)


def cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def pick(rng: random.Random, items: list, cum: list[float]):
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def generate(reactions: int, out: TextIO, seed: int = 11, restate_actors: float = 0.0) -> int:
    """Write the graph to ``out`` (a text stream); return the number of quads."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    rng = random.Random(seed)
    ns = vocab.namespaces()
    dr, dg, prov, oa = (str(ns[p]) for p in ("dr", "dg", "prov", "oa"))
    skos, org, schema, dcterms = (str(ns[p]) for p in ("skos", "org", "schema", "dcterms"))
    rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    iri = lambda x: URIRef(x).n3()  # noqa: E731
    text = lambda x: Literal(x).n3()  # noqa: E731
    day = lambda d: Literal(d, datatype=XSD.date).n3()  # noqa: E731
    TYPE = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    P = {name: iri(base + name) for base, names in (
        (dr, "actor stance target speaker about quote date notBefore notAfter dateExpression confidence evidence "
             "isoCode externalId goldsteinScale contentDigest extractorVersion sourceKind"),
        (prov, "wasDerivedFrom wasGeneratedBy used"), (oa, "hasSource hasSelector start end exact"),
        (skos, "prefLabel altLabel"), (org, "holds postIn"), (schema, "url datePublished"), (dcterms, "title"),
        (rdfs, "label"), ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "value")) for name in names.split()}
    C = {name: iri(base + name) for base, names in (
        (dr, "State InternationalOrganization Person Reaction SourceDocument Evidence ArmedClash Conflict"),
        (org, "Post"), (prov, "Activity"),
        (oa, "TextPositionSelector TextQuoteSelector FragmentSelector")) for name in names.split()}
    count = 0

    def quad(s: str, p: str, o: str, g: str) -> None:
        nonlocal count
        out.write(f"{s} {p} {o} {g} .\n")
        count += 1

    # -- the world-style reference graph ---------------------------------------------------
    ref = iri(f"{dg}graph/synthetic-world")
    states = [iri(f"{dg}actor/syn-state-{i:03d}") for i in range(STATES)]
    orgs = [iri(f"{dg}actor/syn-org-{i:03d}") for i in range(ORGANIZATIONS)]
    labels: dict[str, tuple[str, str]] = {}
    for i, s in enumerate(states):
        labels[s] = (C["State"], text(f"State {i:03d}"))
        quad(s, TYPE, C["State"], ref)
        quad(s, P["prefLabel"], labels[s][1], ref)
        quad(s, P["altLabel"], text(f"Statia {i:03d}"), ref)
        # XAA–XHR: alpha-3 codes ISO 3166 leaves to users, so none is a real state's.
        quad(s, P["isoCode"], text(f"X{i // 26 + 65:c}{i % 26 + 65:c}"), ref)
    for i, o in enumerate(orgs):
        labels[o] = (C["InternationalOrganization"], text(f"Organization {i:03d}"))
        quad(o, TYPE, C["InternationalOrganization"], ref)
        quad(o, P["prefLabel"], labels[o][1], ref)
    # Actors by rank of activity: states first, an organization at every tenth rank from 8 on
    # (the real ranking has the UN 9th and the EU among the first twenty).
    ranked, si, oi = [], iter(states), iter(orgs)
    for rank in range(STATES + ORGANIZATIONS):
        ranked.append(next(oi) if rank % 10 == 8 else next(si, None) or next(oi))
    officials_of: dict[str, list[str]] = {}
    for i in range(OFFICIALS):
        person = iri(f"{dg}actor/syn-person-{i:04d}")
        body = ranked[i % 150]
        officials_of.setdefault(body, []).append(person)
        quad(person, TYPE, C["Person"], ref)
        quad(person, P["prefLabel"], text(f"Official {i:04d}"), ref)
        for k in range(1 + (i % 100 < 6) + (i % 100 < 1)):
            post = iri(f"{dg}post/syn-person-{i:04d}-{k}")
            quad(person, P["holds"], post, ref)
            quad(post, TYPE, C["Post"], ref)
            quad(post, P["prefLabel"], text(("Foreign Minister", "Spokesperson", "Ambassador")[(i + k) % 3]), ref)
            quad(post, P["postIn"], body if k == 0 else ranked[(i + 7 * k) % 150], ref)
    events = [iri(f"{dg}event/syn-{i:04d}") for i in range(max(4, round(reactions * ABOUT / 7.33)))]
    for i, e in enumerate(events):
        quad(e, TYPE, C["ArmedClash"] if i % 4 else C["Conflict"], ref)
        quad(e, P["prefLabel"], text(f"Event {i:04d}"), ref)

    # -- how reactions are drawn -------------------------------------------------------------
    def weights(counts: tuple[int, ...]) -> list[float]:
        return [counts[r] if r < len(counts) else counts[-1] for r in range(len(ranked))]

    actor_weights = weights(ACTOR_COUNTS)
    actor_cum = cumulative(actor_weights)
    order = list(TARGET_ACTOR_RANKS) + [r for r in range(len(ranked)) if r not in TARGET_ACTOR_RANKS]
    targets = [ranked[r] for r in order]
    # A target is never the reaction's own actor (it is drawn again), which would take from busy
    # actors' share as targets what their share as actors is: given back here.
    target_cum = cumulative([w / (1 - actor_weights[r] / actor_cum[-1]) for w, r in zip(weights(TARGET_COUNTS), order)])
    stances = vocab.stances()
    concepts = {c: [iri(str(s.iri)) for s in stances.values() if s.coarse == c] for c in vocab.coarse_classes()}

    def chooser(table: dict) -> tuple[list, list[float]]:
        return list(table), cumulative(list(table.values()))

    article_sizes, import_targets, article_targets = chooser(ARTICLE_SIZES), chooser(IMPORT_TARGETS), chooser(ARTICLE_TARGETS)
    article_stances, import_stances = chooser(ARTICLE_STANCES), chooser(IMPORT_STANCES)
    day0 = date(2015, 1, 1)
    ad_hoc_of: dict[str, list[str]] = {}
    ad_hoc_count = 0
    extracted = iri(f"{dg}activity/extractor-synthetic")
    imported = iri(f"{dg}activity/import-synthetic")

    def common(r: str, actor: str, stance_table: tuple, target_table: tuple, g: str) -> None:
        quad(r, TYPE, C["Reaction"], g)
        quad(r, P["actor"], actor, g)
        quad(r, P["stance"], rng.choice(concepts[pick(rng, *stance_table)]), g)
        for _ in range(pick(rng, *target_table)):
            target = pick(rng, targets, target_cum)
            while target == actor:  # a reaction toward its own actor is no reaction
                target = pick(rng, targets, target_cum)
            quad(r, P["target"], target, g)
        if rng.random() < ABOUT:
            quad(r, P["about"], events[min(len(events) - 1, int(len(events) * rng.random() ** 3))], g)

    done = 0
    graphs = itertools.count()
    import_turn = itertools.cycle(IMPORT_SIZES)
    import_due = 0.0  # import reactions owed, so they keep their share as the article graphs grow
    while done < reactions:
        n = next(graphs)
        if import_due >= IMPORT_SIZES[0]:
            # An import-style graph: many reactions from one coded event file.
            size = min(next(import_turn), reactions - done)
            import_due -= size
            g = iri(f"{dg}source/syn-import-{n:07d}")
            quad(g, TYPE, C["SourceDocument"], g)
            quad(g, P["title"], text(f"Coded event file {n}"), g)
            quad(g, P["contentDigest"], text(f"{rng.getrandbits(128):032x}"), g)
            quad(imported, TYPE, C["Activity"], g)
            quad(imported, P["label"], text("synthetic event importer"), g)
            quad(imported, P["extractorVersion"], text("0.1.0"), g)
            quad(imported, P["sourceKind"], text("gdelt"), g)
            quad(imported, P["used"], g, g)
            when = day0 + timedelta(days=rng.randrange(3650))
            source = g
            for line in range(size):
                r = iri(f"{dg}reaction/syn-{done:07d}")
                common(r, pick(rng, ranked, actor_cum), import_stances, import_targets, g)
                quad(r, P["date"], day(when), g)
                quad(r, P["externalId"], text(str(10**9 + done)), g)
                quad(r, P["confidence"], Literal("0.50", datatype=XSD.decimal).n3(), g)
                quad(r, P["goldsteinScale"], Literal(f"{rng.uniform(-10, 10):.1f}", datatype=XSD.decimal).n3(), g)
                if line == 0 or rng.random() < 1 / IMPORT_PER_SOURCE:
                    source = iri(f"{dg}source/syn-article-{done:07d}")
                    quad(source, TYPE, C["SourceDocument"], g)
                    quad(source, P["url"], iri(f"https://news.example.org/coded/{done}"), g)
                quad(r, P["wasDerivedFrom"], source, g)
                quad(r, P["wasGeneratedBy"], imported, g)
                evidence, selector = iri(f"{dg}reaction/syn-{done:07d}#evidence"), iri(f"{dg}reaction/syn-{done:07d}#row")
                quad(r, P["evidence"], evidence, g)
                quad(evidence, TYPE, C["Evidence"], g)
                quad(evidence, P["hasSource"], g, g)
                quad(evidence, P["hasSelector"], selector, g)
                quad(selector, TYPE, C["FragmentSelector"], g)
                quad(selector, P["value"], text(f"line={line},{line + 1}"), g)
                done += 1
            continue
        # An article-style graph: one ingested article and the few reactions read from it.
        size = min(pick(rng, *article_sizes), reactions - done)
        import_due += size * IMPORT_SHARE / (1 - IMPORT_SHARE)
        g = iri(f"{dg}source/syn-{n:07d}")
        published = day0 + timedelta(days=rng.randrange(3650))
        quad(g, TYPE, C["SourceDocument"], g)
        quad(g, P["title"], text(f"Report {n}: leaders react"), g)
        if rng.random() < SOURCE_URL:
            quad(g, P["url"], iri(f"https://news.example.org/{n}"), g)
        if rng.random() < SOURCE_DATE:
            quad(g, P["datePublished"], day(published), g)
        quad(g, P["contentDigest"], text(f"{rng.getrandbits(128):032x}"), g)
        quad(extracted, TYPE, C["Activity"], g)
        quad(extracted, P["label"], text("synthetic extractor"), g)
        quad(extracted, P["extractorVersion"], text("0.3.0"), g)
        quad(extracted, P["sourceKind"], text("extracted"), g)
        quad(extracted, P["used"], g, g)
        restate = rng.random() < restate_actors
        written: set[str] = set()
        last_ad_hoc: tuple[str, str] | None = None
        offset = 0
        for _ in range(size):
            speaker = None
            if last_ad_hoc is not None and rng.random() < AD_HOC_SAME_GRAPH:
                speaker, actor = last_ad_hoc  # an official the article quotes again
            else:
                actor = pick(rng, ranked, actor_cum)
                if rng.random() < SPEAKER:
                    known = officials_of.get(actor)
                    if known and rng.random() >= AD_HOC:
                        speaker = rng.choice(known)
                    else:
                        mine = ad_hoc_of.setdefault(actor, [])
                        if mine and rng.random() < AD_HOC_AGAIN:
                            speaker = mine[int(len(mine) * rng.random() ** 3)]
                        else:
                            ad_hoc_count += 1
                            speaker = iri(f"{dg}actor/syn-adhoc-{ad_hoc_count:07d}")
                            mine.append(speaker)
                        last_ad_hoc = (speaker, actor)
            r = iri(f"{dg}reaction/syn-{done:07d}")
            common(r, actor, article_stances, article_targets, g)
            if restate and actor not in written:
                quad(actor, TYPE, labels[actor][0], g)
                quad(actor, P["prefLabel"], labels[actor][1], g)
                written.add(actor)
            if speaker is not None:
                if speaker not in written and "/syn-adhoc-" in speaker:
                    # As ingest writes an official the graph doesn't know, in every graph naming them.
                    key = speaker[1:-1].rsplit("-", 1)[1]
                    post = iri(f"{dg}post/syn-adhoc-{key}")
                    quad(speaker, TYPE, C["Person"], g)
                    quad(speaker, P["prefLabel"], text(f"Envoy {key}"), g)
                    quad(speaker, P["holds"], post, g)
                    quad(post, TYPE, C["Post"], g)
                    quad(post, P["prefLabel"], text(f"official of {labels[actor][1][1:-1]}"), g)
                    quad(post, P["postIn"], actor, g)
                    written.add(speaker)
                quad(r, P["speaker"], speaker, g)
            if rng.random() < QUOTE:
                quad(r, P["quote"], text(rng.choice(QUOTES)), g)
            if rng.random() < DATE:
                quad(r, P["date"], day(published - timedelta(days=rng.randrange(3))), g)
            elif rng.random() < NOT_AFTER / (1 - DATE):
                quad(r, P["notAfter"], day(published), g)
                if rng.random() < NOT_BEFORE / NOT_AFTER:
                    quad(r, P["notBefore"], day(published - timedelta(days=7)), g)
            if rng.random() < DATE_EXPRESSION:
                quad(r, P["dateExpression"], text(rng.choice(("on Sunday", "last week", "yesterday"))), g)
            quad(r, P["confidence"], Literal(rng.choice(CONFIDENCES), datatype=XSD.decimal).n3(), g)
            quad(r, P["wasDerivedFrom"], g, g)
            quad(r, P["wasGeneratedBy"], extracted, g)
            base = f"{dg}reaction/syn-{done:07d}"
            evidence, position, exact = iri(base + "#evidence"), iri(base + "#position"), iri(base + "#text")
            start = offset + rng.randrange(400)
            offset = start + 120
            quad(r, P["evidence"], evidence, g)
            quad(evidence, TYPE, C["Evidence"], g)
            quad(evidence, P["hasSource"], g, g)
            quad(evidence, P["hasSelector"], position, g)
            quad(evidence, P["hasSelector"], exact, g)
            quad(position, TYPE, C["TextPositionSelector"], g)
            quad(position, P["start"], Literal(start).n3(), g)
            quad(position, P["end"], Literal(start + 120).n3(), g)
            quad(exact, TYPE, C["TextQuoteSelector"], g)
            quad(exact, P["exact"], text(f"said in statement {done}"), g)
            done += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reactions", type=int, help="How many reactions (10000, 100000, 1000000 …).")
    parser.add_argument("-o", "--output", type=Path, required=True, help="The N-Quads file to write.")
    parser.add_argument("--seed", type=int, default=11, help="Random seed (the same seed writes the same file).")
    parser.add_argument("--restate-actors", type=float, default=0.0, metavar="RATE",
                        help="Share of article graphs that restate their actors' type and label (real: 0).")
    args = parser.parse_args(argv)
    if args.reactions < 0 or not 0.0 <= args.restate_actors <= 1.0:
        parser.error("reactions must be >= 0 and --restate-actors between 0 and 1")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        quads = generate(args.reactions, out, args.seed, args.restate_actors)
    print(f"wrote {args.output}: {args.reactions} reactions, {quads} quads", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
