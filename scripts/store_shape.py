"""The shape of a diplograph store on disk, counted with the maintenance queries of ``scripts/shape/``.

What it measures (each distribution as count, mean, median, p90, p99, max):

- reactions per actor (``dr:actor``), per target, per source document, per named graph, per event;
  targets and evidence selectors per reaction; posts per person; source documents per actor;
- for each actor with reactions, in how many named graphs its label and its type are stated;
- the share of reactions with a quote, a date, a date range, a speaker, an event; stance classes;
- the named graphs by kind (ontology, world, seed, ingested, import, curated, reference, loaded
  file) with their quads and reactions;
- the repeats: triples stated in two or more named graphs, by predicate and by the kinds of the
  graphs that hold them. Oxigraph's union default graph returns such a triple once per graph,
  so every extra copy is an extra row in a query that does not deduplicate.

Every count is a DISTINCT count over the union graph, so repeats don't inflate it. It opens the
store read-only, so it can run beside other readers:

    python scripts/store_shape.py test-output/real-store --json test-output/real-shape.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERIES = Path(__file__).resolve().parent / "shape"
#: The distributions measured: name -> the query file (each answers ?key ?n).
DISTRIBUTIONS = (
    "reactions-per-actor", "reactions-per-target", "targets-per-reaction", "reactions-per-source",
    "reactions-per-graph", "reactions-per-event", "posts-per-official", "selectors-per-reaction",
    "sources-per-actor", "label-copies-per-actor", "type-copies-per-actor",
)


def query_text(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def distribution(values: list[int]) -> dict[str, float]:
    """count, mean, median, p90, p99 and max of ``values`` (nearest-rank percentiles)."""
    if not values:
        return {"count": 0, "mean": 0, "median": 0, "p90": 0, "p99": 0, "max": 0, "total": 0}
    ordered = sorted(values)

    def rank(q: float) -> int:
        return ordered[min(len(ordered) - 1, max(0, int(-(-q * len(ordered) // 1)) - 1))]

    return {"count": len(ordered), "mean": round(sum(ordered) / len(ordered), 3), "median": rank(0.5),
            "p90": rank(0.9), "p99": rank(0.99), "max": ordered[-1], "total": sum(ordered)}


def _graph_kinds(ox: Any, run: Any) -> dict[str, str]:
    """Each named graph's kind, from its name and the source kind of the activity it records."""
    import pyoxigraph

    from graph import vocab
    from graph.resources import shipped_files

    seed: set[str] = set()
    world: set[str] = set()
    for f in shipped_files("data", ".trig"):
        names = {q.graph_name.value for q in pyoxigraph.parse(path=str(f), format=pyoxigraph.RdfFormat.TRIG)
                 if isinstance(q.graph_name, pyoxigraph.NamedNode)}
        (world if f.name.startswith("world") else seed).update(names)
    recorded = {str(row["graph"].value): str(row["kind"].value) for row in run(query_text("graph-kinds"))}
    by_kind = {"extracted": "ingested", "gdelt": "import", "icews": "import", "csv": "import", "curated": "curated"}
    ontology_ns = ("https://w3id.org/diplograph/ontology", "https://w3id.org/diplograph/stance", str(vocab.ontology_iri()))
    reference = str(vocab.namespaces()["dg"]) + "graph/"
    kinds = {}
    for row in run(query_text("graph-quads")):
        g = row["graph"].value
        if g in world:
            kinds[g] = "world"
        elif g in seed:
            kinds[g] = "seed"
        elif g.startswith(ontology_ns):
            kinds[g] = "ontology"
        elif g in recorded:
            kinds[g] = by_kind.get(recorded[g], recorded[g])
        elif g.startswith("file:"):
            kinds[g] = "loaded file"
        elif g.startswith(reference):
            kinds[g] = "reference"
        else:
            kinds[g] = "other"
    return kinds


def _short(iri: str) -> str:
    from graph import vocab

    for prefix, ns in vocab.namespaces().items():
        if iri.startswith(str(ns)) and prefix:
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def measure(ox: Any) -> dict[str, Any]:
    """The shape of the pyoxigraph store ``ox`` (see the module docstring)."""
    from graph import vocab

    prefixes = {p: str(ns) for p, ns in vocab.namespaces().items()}

    def run(text: str) -> Any:
        return ox.query(text, prefixes=prefixes, use_default_graph_as_union=True)

    shape: dict[str, Any] = {}
    keyed: dict[str, dict[str, int]] = {}
    for name in DISTRIBUTIONS:
        keyed[name] = {row["key"].value: int(row["n"].value) for row in run(query_text(name))}
        shape[name] = distribution(list(keyed[name].values()))
    reactions = shape["targets-per-reaction"]["count"]
    per_actor = sorted(keyed["reactions-per-actor"].items(), key=lambda kv: -kv[1])
    total = sum(n for _, n in per_actor) or 1
    shape["busiest-actors"] = [{"actor": _short(a), "reactions": n, "share": round(n / total, 4)} for a, n in per_actor[:10]]
    shape["skew"] = {
        "top1_share": round(per_actor[0][1] / total, 4) if per_actor else 0,
        "top10_share": round(sum(n for _, n in per_actor[:10]) / total, 4),
        "busiest_at_1M_reactions": round(per_actor[0][1] / total * 1_000_000) if per_actor else 0,
        "median_at_1M_reactions": round(shape["reactions-per-actor"]["median"] / total * 1_000_000),
    }
    props = {_short(row["property"].value): int(row["n"].value) for row in run(query_text("reaction-properties"))}
    ranged = next(iter(run(query_text("reactions-with-date-range"))))["n"].value
    shape["reactions"] = reactions
    shape["share"] = {k: round(v / reactions, 4) if reactions else 0 for k, v in sorted(props.items())}
    shape["share"]["date range (notBefore|notAfter)"] = round(int(ranged) / reactions, 4) if reactions else 0
    stances = vocab.stances()
    classes: Counter[str] = Counter()
    for row in run(query_text("reactions-by-stance")):
        stance = stances.get(_rdflib_iri(row["stance"].value))
        classes[stance.coarse if stance else "unknown"] += int(row["n"].value)
    shape["stance_class_share"] = {k: round(v / reactions, 4) if reactions else 0 for k, v in classes.most_common()}
    # Named graphs by kind.
    kinds = _graph_kinds(ox, run)
    quads = {row["graph"].value: int(row["quads"].value) for row in run(query_text("graph-quads"))}
    by_kind: dict[str, dict[str, int]] = {}
    for g, kind in kinds.items():
        entry = by_kind.setdefault(kind, {"graphs": 0, "quads": 0, "reactions": 0})
        entry["graphs"] += 1
        entry["quads"] += quads.get(g, 0)
        entry["reactions"] += keyed["reactions-per-graph"].get(g, 0)
    shape["graphs"] = {"count": len(quads), "quads": sum(quads.values()), "by_kind": by_kind}
    reactions_by_kind: dict[str, list[int]] = {}
    for g, n in keyed["reactions-per-graph"].items():
        reactions_by_kind.setdefault(kinds.get(g, "other"), []).append(n)
    shape["reactions-per-graph-by-kind"] = {k: distribution(v) for k, v in sorted(reactions_by_kind.items())}
    # The repeats.
    by_predicate: Counter[str] = Counter()
    extra_by_predicate: Counter[str] = Counter()
    by_kinds: Counter[str] = Counter()
    extra_by_kinds: Counter[str] = Counter()
    by_pair: Counter[str] = Counter()
    copies: list[int] = []
    from rdflib import URIRef

    predicates = [row["p"].value for row in run(query_text("predicates"))]
    template = query_text("repeated-triples")
    # One predicate at a time (written by rdflib's serialisation), so memory stays bounded.
    answers = (run(template.replace("VALUES ?p { UNDEF }", f"VALUES ?p {{ {URIRef(p).n3()} }}")) for p in predicates)
    for row in (row for answer in answers for row in answer):
        p, n = _short(row["p"].value), int(row["copies"].value)
        graph_kinds = sorted(kinds.get(g, "other") for g in row["graphs"].value.split(" "))
        key = "+".join(sorted(set(graph_kinds)))
        by_predicate[p] += 1
        extra_by_predicate[p] += n - 1
        by_kinds[key] += 1
        extra_by_kinds[key] += n - 1
        # Each triple counts once for each pair of kinds it is held in (two graphs of one kind too).
        held = Counter(graph_kinds)
        for a in held:
            for b in held:
                if a < b or (a == b and held[a] >= 2):
                    by_pair[f"{a}/{b}"] += 1
        copies.append(n)
    all_quads = shape["graphs"]["quads"]
    shape["repeats"] = {
        "triples_in_2plus_graphs": len(copies),
        "extra_copies": sum(c - 1 for c in copies),
        "extra_copies_share_of_quads": round(sum(c - 1 for c in copies) / all_quads, 4) if all_quads else 0,
        "copies": distribution(copies),
        "by_predicate": {p: {"triples": n, "extra_copies": extra_by_predicate[p]} for p, n in by_predicate.most_common()},
        "by_graph_kinds": {k: {"triples": n, "extra_copies": extra_by_kinds[k]} for k, n in by_kinds.most_common()},
        "by_pair_of_graph_kinds": dict(by_pair.most_common()),
    }
    return shape


def _rdflib_iri(value: str) -> Any:
    from rdflib import URIRef

    return URIRef(value)


def print_table(shape: dict[str, Any], out: Any = sys.stdout) -> None:
    """The shape as plain text tables."""
    w = lambda text="": print(text, file=out)  # noqa: E731
    w(f"{'distribution':<28}{'count':>9}{'mean':>10}{'median':>8}{'p90':>8}{'p99':>8}{'max':>9}")
    for name in DISTRIBUTIONS:
        d = shape[name]
        w(f"{name:<28}{d['count']:>9}{d['mean']:>10.2f}{d['median']:>8}{d['p90']:>8}{d['p99']:>8}{d['max']:>9}")
    w()
    w(f"reactions: {shape['reactions']}; skew: {json.dumps(shape['skew'])}")
    w("busiest actors: " + ", ".join(f"{b['actor']} {b['reactions']}" for b in shape["busiest-actors"][:5]))
    w("share of reactions with: " + ", ".join(f"{k} {v:.3f}" for k, v in shape["share"].items()))
    w("stance classes: " + ", ".join(f"{k} {v:.3f}" for k, v in shape["stance_class_share"].items()))
    w()
    w(f"named graphs: {shape['graphs']['count']}, quads: {shape['graphs']['quads']}")
    w(f"{'graph kind':<14}{'graphs':>8}{'quads':>10}{'reactions':>11}   reactions per graph (median/p90/max)")
    for kind, e in sorted(shape["graphs"]["by_kind"].items()):
        d = shape["reactions-per-graph-by-kind"].get(kind)
        spread = f"{d['median']}/{d['p90']}/{d['max']}" if d else "-"
        w(f"{kind:<14}{e['graphs']:>8}{e['quads']:>10}{e['reactions']:>11}   {spread}")
    r = shape["repeats"]
    w()
    w(f"repeats: {r['triples_in_2plus_graphs']} triples in >=2 graphs, {r['extra_copies']} extra copies "
      f"({r['extra_copies_share_of_quads']:.2%} of quads); copies per repeated triple: median {r['copies']['median']}, max {r['copies']['max']}")
    w(f"{'by predicate':<34}{'triples':>9}{'extra':>9}")
    for p, e in list(r["by_predicate"].items())[:15]:
        w(f"{p:<34}{e['triples']:>9}{e['extra_copies']:>9}")
    w(f"{'by graph kinds holding it':<34}{'triples':>9}{'extra':>9}")
    for k, e in r["by_graph_kinds"].items():
        w(f"{k:<34}{e['triples']:>9}{e['extra_copies']:>9}")


def main(argv: list[str] | None = None) -> int:
    import pyoxigraph

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path, help="A diplograph store folder (diplo init).")
    parser.add_argument("--json", type=Path, help="Write the shape here.")
    parser.add_argument("--name", help="What to call this run in the JSON (default: the folder).")
    args = parser.parse_args(argv)
    if not (args.store / "oxigraph").is_dir():
        print(f"{args.store}: not a diplograph store on disk", file=sys.stderr)
        return 2
    import time

    start = time.perf_counter()
    shape = measure(pyoxigraph.Store.read_only(str(args.store / "oxigraph")))
    seconds = round(time.perf_counter() - start, 1)
    print_table(shape)
    print(f"measured in {seconds} s", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        record = {"run": {"store": str(args.store), "name": args.name or args.store.name, "shape_seconds": seconds}, "shape": shape}
        args.json.write_text(json.dumps(record, indent=2), encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
