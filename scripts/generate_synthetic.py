"""A synthetic diplograph graph for benchmarks: ≈200 states, 2,000 officials with posts, 100
organizations, 5,000 events and N reactions with skewed activity (a few actors and events draw
most reactions), quotes and sources, written as N-Quads (one named graph per source document,
reference data in its own graph).

It uses the real model (the ontology's classes and properties, the stance scheme's concepts), so
every diplo command runs on it. About 9 triples per reaction: 1M reactions ≈ 9M triples.

    python scripts/generate_synthetic.py 100000 -o test-output/synthetic-100k.nq
    python scripts/generate_synthetic.py 1000000 -o test-output/synthetic-1m.nq
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from graph import vocab

STATES, OFFICIALS, ORGANIZATIONS, EVENTS = 200, 2000, 100, 5000
REACTIONS_PER_SOURCE = 10


def generate(reactions: int, out, seed: int = 11) -> int:
    """Write the graph to ``out`` (a text stream); return the number of quads."""
    rng = random.Random(seed)
    ns = vocab.namespaces()
    dr, dg, st = str(ns["dr"]), str(ns["dg"]), str(ns["st"])
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    skos, org, prov = str(ns["skos"]), str(ns["org"]), str(ns["prov"])
    schema, dcterms, xsd = str(ns["schema"]), str(ns["dcterms"]), str(ns["xsd"])
    count = 0

    def quad(s: str, p: str, o: str, g: str) -> None:
        nonlocal count
        out.write(f"<{s}> <{p}> {o} <{g}> .\n")
        count += 1

    def iri(x: str) -> str:
        return f"<{x}>"

    def text(x: str) -> str:
        return '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def typed(x: str, t: str) -> str:
        return f'"{x}"^^<{xsd}{t}>'

    ref = f"{dg}graph/synthetic-reference"
    states = [f"{dg}actor/syn-state-{i:03d}" for i in range(STATES)]
    for i, s in enumerate(states):
        quad(s, rdf, iri(dr + "State"), ref)
        quad(s, skos + "prefLabel", text(f"State {i:03d}"), ref)
        quad(s, dr + "isoCode", text(f"S{i:02d}"[:3].ljust(3, "X")), ref)
    orgs = [f"{dg}actor/syn-org-{i:03d}" for i in range(ORGANIZATIONS)]
    for i, o in enumerate(orgs):
        quad(o, rdf, iri(dr + "InternationalOrganization"), ref)
        quad(o, skos + "prefLabel", text(f"Organization {i:03d}"), ref)
    actors = states + orgs
    officials = []
    for i in range(OFFICIALS):
        person, post = f"{dg}actor/syn-person-{i:04d}", f"{dg}post/syn-person-{i:04d}"
        body = actors[i % len(actors)]
        officials.append((person, body))
        quad(person, rdf, iri(dr + "Person"), ref)
        quad(person, skos + "prefLabel", text(f"Official {i:04d}"), ref)
        quad(person, org + "holds", iri(post), ref)
        quad(post, rdf, iri(org + "Post"), ref)
        quad(post, skos + "prefLabel", text("Foreign Minister" if i % 3 else "Spokesperson"), ref)
        quad(post, org + "postIn", iri(body), ref)
    events = [f"{dg}event/syn-{i:04d}" for i in range(EVENTS)]
    for i, e in enumerate(events):
        quad(e, rdf, iri(dr + "ArmedClash" if i % 4 else dr + "Conflict"), ref)
        quad(e, skos + "prefLabel", text(f"Event {i:04d}"), ref)
        if i % 4:
            quad(e, dr + "partOf", iri(events[i - i % 4]), ref)
    stances = [str(s.iri) for s in vocab.stances().values()]
    # Skewed activity: a few actors and events draw most reactions (Zipf-like weights).
    actor_weights = [1 / (i + 1) ** 0.9 for i in range(len(actors))]
    event_weights = [1 / (i + 1) ** 0.8 for i in range(len(events))]
    by_actor = {}
    for person, body in officials:
        by_actor.setdefault(body, []).append(person)
    day0 = date(2015, 1, 1)
    activity = f"{dg}activity/synthetic"
    quad(activity, rdf, iri(prov + "Activity"), ref)
    quad(activity, dr + "sourceKind", text("curated"), ref)
    source = graph = ""
    for n in range(reactions):
        if n % REACTIONS_PER_SOURCE == 0:
            source = graph = f"{dg}source/syn-{n // REACTIONS_PER_SOURCE:07d}"
            day = day0 + timedelta(days=rng.randrange(3650))
            quad(source, rdf, iri(dr + "SourceDocument"), graph)
            quad(source, dcterms + "title", text(f"Report {n // REACTIONS_PER_SOURCE}"), graph)
            quad(source, schema + "url", iri(f"https://news.example.org/{n // REACTIONS_PER_SOURCE}"), graph)
            quad(source, schema + "datePublished", typed(day.isoformat(), "date"), graph)
        actor, target = rng.choices(actors, actor_weights, k=2)
        r = f"{dg}reaction/syn-{n:07d}"
        quad(r, rdf, iri(dr + "Reaction"), graph)
        quad(r, dr + "actor", iri(actor), graph)
        quad(r, dr + "stance", iri(rng.choice(stances)), graph)
        if target != actor:
            quad(r, dr + "target", iri(target), graph)
        quad(r, dr + "about", iri(rng.choices(events, event_weights)[0]), graph)
        quad(r, dr + "date", typed(day.isoformat(), "date"), graph)
        quad(r, dr + "quote", text(f"We call on all sides, statement {n}."), graph)
        quad(r, prov + "wasDerivedFrom", iri(source), graph)
        quad(r, prov + "wasGeneratedBy", iri(activity), graph)
        if n % 3 == 0 and actor in by_actor:
            quad(r, dr + "speaker", iri(rng.choice(by_actor[actor])), graph)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reactions", type=int, help="How many reactions (10000, 100000, 1000000 …).")
    parser.add_argument("-o", "--output", type=Path, required=True, help="The N-Quads file to write.")
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as out:
        quads = generate(args.reactions, out)
    print(f"wrote {args.output}: {args.reactions} reactions, {quads} quads", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
