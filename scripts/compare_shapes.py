"""Two store shapes side by side (the JSON of scripts/store_shape.py or build_real_store.py), with
counts that grow with the store also shown per 1,000 reactions so stores of different sizes compare.

    python scripts/compare_shapes.py test-output/real-shape.json test-output/syn-100k-shape.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_shape import DISTRIBUTIONS  # noqa: E402


def rows(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, first, second) for every figure both shapes have."""
    out = []
    per = lambda n, s: f"{n} ({1000 * n / s['reactions']:.1f}/1k)"  # noqa: E731
    out.append(("reactions", str(a["reactions"]), str(b["reactions"])))
    out.append(("named graphs", per(a["graphs"]["count"], a), per(b["graphs"]["count"], b)))
    out.append(("quads", per(a["graphs"]["quads"], a), per(b["graphs"]["quads"], b)))
    for name in DISTRIBUTIONS:
        fmt = lambda d: f"n={d['count']} mean={d['mean']:.2f} med={d['median']} p90={d['p90']} p99={d['p99']} max={d['max']}"  # noqa: E731
        out.append((name, fmt(a[name]), fmt(b[name])))
    for k in ("top1_share", "top10_share", "busiest_at_1M_reactions", "median_at_1M_reactions"):
        out.append((f"skew {k}", str(a["skew"][k]), str(b["skew"][k])))
    for k in sorted(set(a["share"]) | set(b["share"])):
        out.append((f"share {k}", f"{a['share'].get(k, 0):.3f}", f"{b['share'].get(k, 0):.3f}"))
    for k in sorted(set(a["stance_class_share"]) | set(b["stance_class_share"])):
        out.append((f"stance {k}", f"{a['stance_class_share'].get(k, 0):.3f}", f"{b['stance_class_share'].get(k, 0):.3f}"))
    for kind in sorted(set(a["reactions-per-graph-by-kind"]) | set(b["reactions-per-graph-by-kind"])):
        fmt = lambda s: (lambda d: f"graphs={d['count']} reactions={d['total']} med={d['median']} p90={d['p90']} max={d['max']}" if d else "-")(s["reactions-per-graph-by-kind"].get(kind))  # noqa: E731
        out.append((f"graphs {kind}", fmt(a), fmt(b)))
    ra, rb = a["repeats"], b["repeats"]
    out.append(("repeated triples", per(ra["triples_in_2plus_graphs"], a), per(rb["triples_in_2plus_graphs"], b)))
    out.append(("extra copies / quads", f"{ra['extra_copies']} ({ra['extra_copies_share_of_quads']:.2%})", f"{rb['extra_copies']} ({rb['extra_copies_share_of_quads']:.2%})"))
    out.append(("copies per repeated triple", f"med={ra['copies']['median']} p99={ra['copies']['p99']} max={ra['copies']['max']}", f"med={rb['copies']['median']} p99={rb['copies']['p99']} max={rb['copies']['max']}"))
    for p in list(dict.fromkeys([*ra["by_predicate"], *rb["by_predicate"]])):
        fmt = lambda r, s: (lambda e: f"{e['triples']} triples, {e['extra_copies']} extra" if e else "-")(r["by_predicate"].get(p))  # noqa: E731
        out.append((f"repeats {p}", fmt(ra, a), fmt(rb, b)))
    for k in list(dict.fromkeys([*ra["by_graph_kinds"], *rb["by_graph_kinds"]])):
        fmt = lambda r: (lambda e: f"{e['triples']} triples, {e['extra_copies']} extra" if e else "-")(r["by_graph_kinds"].get(k))  # noqa: E731
        out.append((f"repeats in {k}", fmt(ra), fmt(rb)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (args.first, args.second))
    table = rows(a["shape"], b["shape"])
    width = max(len(r[0]) for r in table)
    second = max(len(r[1]) for r in table)
    print(f"{'':<{width}}  {args.first.stem:<{second}}  {args.second.stem}")
    for what, x, y in table:
        print(f"{what:<{width}}  {x:<{second}}  {y}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
