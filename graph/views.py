"""Interactive network pages: actors as nodes, reactions as edges, in one offline HTML file.

pyvis builds the network (nodes, edges, vis-network options); the page itself comes from our own
template (``graph/templates/view.html``), because pyvis's stock template loads Bootstrap and
vis-network from CDNs. The vis-network script and stylesheet shipped inside the pyvis package
are inlined instead, so the page makes no network request when opened.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.analysis import timeline
from graph.errors import BadInput
from graph.files import atomic_output
from graph.lookup import Position, actor_types, selection, unsure
from graph.model import ASSUMED_TARGETS
from graph.resources import shipped

if TYPE_CHECKING:
    from graph.store import Store

#: Node look by actor type label (as the ontology labels the classes); others get DEFAULT_STYLE.
TYPE_STYLES: dict[str, dict[str, str]] = {
    "State": {"shape": "dot", "color": "#4e79a7"},
    "International organization": {"shape": "box", "color": "#f28e2b"},
    "Mediation group": {"shape": "diamond", "color": "#edc948"},
    "Government body": {"shape": "square", "color": "#76b7b2"},
    "Person": {"shape": "triangle", "color": "#b07aa1"},
    "Armed group": {"shape": "star", "color": "#9c755f"},
}
DEFAULT_STYLE = {"shape": "dot", "color": "#bab0ac"}
EVENT_STYLE = {"shape": "hexagon", "color": "#d3d3d3"}
#: Edge colour by the stance's polarity toward its target.
POLARITY_COLORS = {1: "#2e7d32", 0: "#1f6fb2", -1: "#c62828"}
POLARITY_NAMES = {1: "favourable (support)", 0: "neutral (concern, appeal, mediation)", -1: "hostile (disapprove, threaten, reject)"}


@dataclass(frozen=True)
class ViewSummary:
    """What a written view holds."""

    path: Path
    nodes: int
    edges: int
    unsure: int = 0
    """How many of the reactions drawn were extracted with a confidence below 0.5."""


#: Above this many nodes the layout is computed once in Python and the page's physics is off.
FROZEN_ABOVE = 2000
SPEAKS_FOR_COLOR = "#9e9e9e"
#: Reactions listed in an edge's hover text; a click on the edge lists them all.
TOOLTIP_REACTIONS = 4


def _reaction_text(p: Position) -> str:
    """One reaction as plain text (vis-network shows string titles as text, never as HTML)."""
    lines = [f"{p.when} — {p.stance}" + (f" — {p.speaker}" + (f", {p.role}" if p.role else "") if p.speaker else "")]
    words = p.quote or p.evidence
    if words:
        lines.append(f"“{words}”")
    source = ", ".join(x for x in (p.source_title, p.publisher, p.published) if x) or p.source
    if source:
        lines.append("Source: " + source)
    return "\n".join(lines)


def _tooltip(head: str, found: list[Position]) -> str:
    parts = [head] + [_reaction_text(p) for p in found[:TOOLTIP_REACTIONS]]
    if len(found) > TOOLTIP_REACTIONS:
        parts.append(f"… and {len(found) - TOOLTIP_REACTIONS} more (click the edge)")
    return "\n\n".join(parts)


#: How many of the busiest actors a page draws at first (``--top``); the rest are folded.
DEFAULT_TOP = 60
#: Border colours of the blocs of :func:`graph.analysis.find_blocs`, in the blocs' order.
BLOC_COLORS = ["#e15759", "#59a14f", "#af7aa1", "#ff9da7", "#9c755f", "#17becf", "#bcbd22", "#8c564b"]
FOLDED_STYLE = {"shape": "ellipse", "color": "#eeeeee"}
#: Label sizes (canvas units) from the least to the most involved node.
FONT_MIN, FONT_MAX = 14, 26


def build_network(
    found: list[Position],
    types: dict[str, str],
    fold_officials: bool = False,
    top: int | None = None,
    blocs: dict[str, str] | None = None,
) -> Any:
    """A pyvis Network of the given reactions; ``types`` maps actor labels to their type label
    (as :func:`graph.lookup.actor_types` gives them).

    One edge per (actor, target, stance class), its width growing with the number of reactions
    and ``reactions`` holding their indexes in ``found``; an edge to the event, dashed, for
    reactions with no target. A reaction with neither target nor event is not drawn: it is
    listed on its actor (``loose``, shown as a count in its label). Officials who voiced
    reactions are drawn beside the actor they speak for (a grey "speaks for" edge) unless
    ``fold_officials``.

    Every node has a ``weight`` (the reactions it takes part in) and a label size growing
    with it. With ``top``, only the ``top`` heaviest nodes are ``core`` (drawn at first); each
    other node names the ``group`` it is folded into: its bloc (``blocs`` maps actors to bloc
    names) or "others". One node per group is added (kind "Folded")."""
    from pyvis.network import Network

    net = Network(directed=True)
    seen: dict[str, dict[str, Any]] = {}
    weight: dict[str, int] = {}

    def node(label: str, kind: str) -> None:
        if label not in seen:
            style = EVENT_STYLE if kind == "Event" else TYPE_STYLES.get(kind, DEFAULT_STYLE)
            net.add_node(label, label=label, title=f"{label} ({kind})", kind=kind, loose=[], **style)
            seen[label] = net.nodes[-1]

    grouped: dict[tuple[str, str, str], list[int]] = {}
    voiced: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(found):
        node(p.actor, types.get(p.actor, "Actor"))
        weight[p.actor] = weight.get(p.actor, 0) + 1
        ends = [(t, types.get(t, "Actor")) for t in p.targets] or ([(p.event, "Event")] if p.event else [])
        if not ends:
            seen[p.actor]["loose"].append(i)
        for end, kind in ends:
            node(end, kind)
            weight[end] = weight.get(end, 0) + 1
            grouped.setdefault((p.actor, end, p.stance_class), []).append(i)
        if p.speaker and p.speaker != p.actor and not fold_officials:
            node(p.speaker, types.get(p.speaker, "Person"))
            weight[p.speaker] = weight.get(p.speaker, 0) + 1
            voiced.setdefault((p.speaker, p.actor), []).append(i)
    for (source, end, cls), members in grouped.items():
        first = found[members[0]]
        net.add_edge(
            source,
            end,
            title=_tooltip(f"{source} → {end}: {cls} ×{len(members)}", [found[i] for i in members]),
            color=POLARITY_COLORS.get(first.polarity, POLARITY_COLORS[0]),
            dashes=not first.targets,
            width=min(1 + 2 * math.log2(len(members)), 7),
            stance=cls,
            count=len(members),
            reactions=members,
            kind="stance",
        )
    for (speaker, actor), members in voiced.items():
        roles = sorted({found[i].role for i in members if found[i].role})
        net.add_edge(
            speaker,
            actor,
            title=f"{speaker} speaks for {actor}" + (f" as {', '.join(roles)}" if roles else ""),
            color=SPEAKS_FOR_COLOR,
            dashes=[2, 4],
            width=1,
            arrows={"to": {"enabled": False}},
            count=len(members),
            reactions=members,
            kind="speaks-for",
        )
    # Bigger nodes for actors in more reactions.
    degree: dict[str, int] = {}
    for e in net.edges:
        if e["kind"] == "stance":
            for end in (e["from"], e["to"]):
                degree[end] = degree.get(end, 0) + e["count"]
    heaviest = max(weight.values(), default=1)
    ranked = sorted(seen, key=lambda n: (-weight.get(n, 0), n))
    core = set(ranked if top is None else ranked[:top])
    blocs = blocs or {}
    folded: dict[str, list[str]] = {}
    for n in net.nodes:
        name, w = n["id"], weight.get(n["id"], 0)
        n["size"] = 6 + 2 * math.sqrt(min(degree.get(name, 0), 100))
        n["weight"] = w
        n["font"] = {"size": round(FONT_MIN + (FONT_MAX - FONT_MIN) * math.sqrt(w / heaviest))}
        n["core"] = name in core
        if n["loose"]:
            n["label"] = f"{name} [{len(n['loose'])}]"
            n["title"] += f"\n{len(n['loose'])} reaction(s) with no target or event: click the node to list them"
        bloc = blocs.get(name)
        # Only the biggest blocs get a colour and a group of their own; small ones read as noise.
        if bloc and bloc.startswith("bloc ") and int(bloc.split()[1]) > len(BLOC_COLORS):
            bloc = None
        if bloc and bloc.startswith("bloc "):
            n["bloc"] = bloc
            colour = BLOC_COLORS[int(bloc.split()[1]) - 1]
            n["color"] = {"background": n["color"], "border": colour, "highlight": {"background": n["color"], "border": "#000"}}
            n["borderWidth"] = 3
            n["title"] += f"\n{bloc}"
        if name not in core:
            n["group_of"] = "other events" if n["kind"] == "Event" else (bloc if bloc and bloc.startswith("bloc ") else "others")
            folded.setdefault(n["group_of"], []).append(name)
    for group, members in sorted(folded.items()):
        members.sort(key=lambda m: (-weight.get(m, 0), m))
        noun = ("event" if group == "other events" else "actor") + ("" if len(members) == 1 else "s")
        net.add_node(
            f"[{group}]",
            label=_folded_label(group, len(members)),
            title=f"{len(members)} {noun} folded here ({', '.join(members[:8])}{', …' if len(members) > 8 else ''}); click to unfold the busiest",
            kind="Folded",
            members=members,
            weight=sum(weight.get(m, 0) for m in members),
            core=False,
            folded=True,
            loose=[],
            size=22,
            font={"size": FONT_MIN + 2},
            **FOLDED_STYLE,
        )
    return net


def freeze_layout(net: Any) -> None:
    """Give every node fixed coordinates (see :mod:`graph.layout`), so the page needs no physics."""
    from graph.layout import force_layout

    where = force_layout([n["id"] for n in net.nodes], [(e["from"], e["to"]) for e in net.edges])
    for n in net.nodes:
        n["x"], n["y"] = where[n["id"]]


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" that could close or start a tag."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline(code: str, tag: str) -> str:
    """Library code made safe to inline in a <script> or <style> element."""
    return re.sub(f"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE)


def _page_reaction(p: Position) -> dict[str, Any]:
    """What the page needs of a reaction: its table row, edge-click panel and date filter."""
    return {
        "when": p.when,
        "earliest": p.earliest.isoformat() if p.earliest else "",
        "latest": p.latest.isoformat() if p.latest else "",
        "actor": p.actor,
        "stance_class": p.stance_class,
        "stance": p.stance,
        "toward": ", ".join(p.targets) or "—",
        "speaker": (f"{p.speaker} ({p.role})" if p.role else p.speaker) if p.speaker else "",
        "words": p.quote or p.evidence or "",
        # Targets the text did not name (the extractor assumed the conflict's parties, say).
        "assumed": p.target_basis in ASSUMED_TARGETS,
        "source": p.source_title or p.source,
        # Only web links become links; anything else is shown as text.
        "url": p.source_url if (p.source_url or "").startswith(("https://", "http://")) else "",
    }


def timeline_chart(found: list[Position], width: int = 900) -> dict[str, Any] | None:
    """Geometry of a small SVG chart of stances over time (a row per stance class; a dot for a
    known day, a bar for a range), or None when nothing is dated."""
    dated = [p for p in found if p.earliest or p.latest]
    if not dated:
        return None
    lo = min(p.earliest or p.latest for p in dated)  # type: ignore[type-var]
    hi = max(p.latest or p.earliest for p in dated)  # type: ignore[type-var]
    span = max((hi - lo).days, 1)
    classes = sorted({p.stance_class for p in dated})
    left, right, row = 110, 20, 22

    def x(day: date) -> float:
        return left + (width - left - right) * (day - lo).days / span

    marks = []
    for p in dated:
        a, b = p.earliest or p.latest, p.latest or p.earliest
        marks.append(
            {
                "x1": round(x(a), 1),  # type: ignore[arg-type]
                "x2": round(x(b), 1),  # type: ignore[arg-type]
                "y": 20 + row * classes.index(p.stance_class),
                "color": POLARITY_COLORS.get(p.polarity, POLARITY_COLORS[0]),
                "text": f"{p.when} {p.stance}" + (f" → {', '.join(p.targets)}" if p.targets else ""),
            }
        )
    return {
        "width": width,
        "height": 40 + row * len(classes),
        "rows": [{"label": c, "y": 20 + row * i} for i, c in enumerate(classes)],
        "marks": marks,
        "first": lo.isoformat(),
        "last": hi.isoformat(),
        "left": left,
        "right": width - right,
    }


def _environment() -> Any:
    import jinja2

    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def render_html(net: Any, found: list[Position], title: str, frozen: bool = False, chart: dict[str, Any] | None = None) -> str:
    """The page: our template with the network data and vis-network inlined."""
    from importlib.resources import files

    from markupsafe import Markup

    lib = files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    template = _environment().from_string(shipped("templates", "view.html").read_text(encoding="utf-8"))
    reactions = [_page_reaction(p) for p in found]
    data = {"nodes": net.nodes, "edges": net.edges, "reactions": reactions, "frozen": frozen}
    kinds = sorted({n["kind"] for n in net.nodes if n["kind"] != "Folded"})
    return template.render(
        title=title,
        data_json=Markup(_script_json(data)),
        vis_js=Markup(_inline(lib.joinpath("vis-network.min.js").read_text(encoding="utf-8"), "script")),
        vis_css=Markup(_inline(lib.joinpath("vis-network.css").read_text(encoding="utf-8"), "style")),
        node_styles=[{"kind": k, **v} for k, v in TYPE_STYLES.items()],
        edge_styles=[{"name": POLARITY_NAMES[k], "color": c} for k, c in POLARITY_COLORS.items()],
        speaks_for=SPEAKS_FOR_COLOR,
        stance_classes=sorted({p.stance_class for p in found}),
        kinds=kinds,
        labels=sorted(n["id"] for n in net.nodes if n["kind"] != "Folded"),
        count=len(reactions),
        chart=chart,
        blocs=bloc_legend(net),
        folded=any(n["kind"] == "Folded" for n in net.nodes),
        dense=_dense(net),
        strongest=STRONGEST_EDGES,
        loose=any(n["loose"] for n in net.nodes),
    )


#: A first picture with more than this many edges per node shows each node's strongest edges
#: (the page's "strongest edges only" box, ticked then).
DENSE_EDGES_PER_NODE = 3
STRONGEST_EDGES = 3


def _dense(net: Any) -> bool:
    nodes, edges = first_view(net, strongest=False)
    return len(edges) > DENSE_EDGES_PER_NODE * max(len(nodes), 1)


def bloc_legend(net: Any) -> list[dict[str, Any]]:
    """The blocs drawn as node borders: name, colour, size and busiest members."""
    members: dict[str, list[dict[str, Any]]] = {}
    for n in net.nodes:
        if "bloc" in n:
            members.setdefault(n["bloc"], []).append(n)
    out = []
    for name, group in sorted(members.items(), key=lambda kv: int(kv[0].split()[1])):
        group.sort(key=lambda n: (-n["weight"], n["id"]))
        out.append({"name": name, "color": _border_color(group[0]), "count": len(group), "examples": ", ".join(n["id"] for n in group[:3])})
    return out


def _border_color(node: dict[str, Any]) -> str:
    """A node's border colour (its bloc's)."""
    return str(node["color"]["border"]) if isinstance(node["color"], dict) else str(node["color"])


def html_page(net: Any, found: list[Position], title: str, chart: dict[str, Any] | None = None) -> str:
    """The page for ``net``, its layout computed beforehand when it has over
    :data:`FROZEN_ABOVE` nodes."""
    frozen = sum(1 for n in net.nodes if n["core"]) > FROZEN_ABOVE
    if frozen:
        freeze_layout(net)
    return render_html(net, found, title, frozen=frozen, chart=chart)


def first_view(net: Any, strongest: bool = True) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes and edges a page draws before any click: the core nodes, the groups holding
    the others, and the edges between them (edges into a group merged per stance class); in
    a dense picture (over :data:`DENSE_EDGES_PER_NODE` edges a node) each node's strongest
    edges only, unless not ``strongest``."""
    ends = {n["id"]: n["id"] if n["core"] else f"[{n['group_of']}]" for n in net.nodes if not n.get("folded")}
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for e in net.edges:
        a, b = ends[e["from"]], ends[e["to"]]
        if a == b:
            continue
        key = (a, b, e.get("stance") or e["kind"])
        if key in merged:
            merged[key]["count"] += e["count"]
            merged[key]["width"] = min(1 + 2 * math.log2(merged[key]["count"]), 7)
            merged[key]["title"] = f"{a} → {b}: {key[2]} ×{merged[key]['count']}"
        else:
            merged[key] = dict(e, **({"from": a, "to": b} if (a, b) != (e["from"], e["to"]) else {}))
            if (a, b) != (e["from"], e["to"]):
                merged[key]["title"] = f"{a} → {b}: {key[2]} ×{e['count']}"
    shown = {end for a, b, _ in merged for end in (a, b)}
    shown |= {n for n, rep in ends.items() if rep == n and net.get_node(n)["loose"]}
    edges = list(merged.values())
    if strongest and len(edges) > DENSE_EDGES_PER_NODE * max(len(shown), 1):
        edges = _strongest(edges)
    return [n for n in net.nodes if n["id"] in shown], edges


def _strongest(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each node's :data:`STRONGEST_EDGES` edges with the most reactions (as the page keeps them)."""
    mine: dict[str, list[int]] = {}
    for i, e in enumerate(edges):
        mine.setdefault(e["from"], []).append(i)
        mine.setdefault(e["to"], []).append(i)
    keep: set[int] = set()
    for ids in mine.values():
        keep.update(sorted(ids, key=lambda i: -edges[i]["count"])[:STRONGEST_EDGES])
    return [e for i, e in enumerate(edges) if i in keep]


def drawn_at_first(net: Any) -> tuple[int, int]:
    """How many nodes and edges :func:`first_view` draws."""
    nodes, edges = first_view(net)
    return len(nodes), len(edges)


def _text_width(text: str, size: float) -> float:
    """A generous estimate of a label's width in DejaVu Sans (no font metrics at hand)."""
    return 0.62 * size * len(text) + 4


def _svg_legend(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], blocs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Legend entries (swatch kind, colour, text) for the node kinds, edge kinds and blocs drawn."""
    kinds = {n["kind"] for n in nodes}
    out = [{"swatch": "box", "color": st["color"], "text": kind} for kind, st in TYPE_STYLES.items() if kind in kinds]
    out += [{"swatch": "box", "color": st["color"], "text": kind} for kind, st in (("Event", EVENT_STYLE), ("Folded", FOLDED_STYLE)) if kind in kinds]
    if "Folded" in kinds:
        out[-1]["text"] = "folded: less active actors (or events)"
    colours = {e["color"] for e in edges if e["kind"] == "stance"}
    out += [{"swatch": "line", "color": c, "text": POLARITY_NAMES[k]} for k, c in POLARITY_COLORS.items() if c in colours]
    if any(e["kind"] == "speaks-for" for e in edges):
        out.append({"swatch": "line", "color": SPEAKS_FOR_COLOR, "text": "official speaks for actor"})
    out += [{"swatch": "ring", "color": b["color"], "text": f"{b['name']}: {b['examples']}"} for b in blocs]
    if any(n["loose"] for n in nodes):
        out.append({"swatch": "none", "color": "#000", "text": "[n]: reactions with no target or event"})
    return out


def render_svg(net: Any, title: str, width: int | None = None, height: int | None = None) -> str:
    """A static picture of what the page first draws (for reports), with the page's legend:
    laid out by :func:`graph.layout.force_layout`, sized to hold every label (or drawn at
    ``width`` × ``height``, scaled to fit). Where two labels would overlap, the less active
    node's is left out; node names stay in each node's tooltip."""
    from graph.layout import force_layout

    nodes, edges = first_view(net)
    if nodes and all("x" in n for n in nodes):
        where = {n["id"]: (n["x"], n["y"]) for n in nodes}
    else:
        where = force_layout([n["id"] for n in nodes], [(e["from"], e["to"]) for e in edges], spacing=150.0)
    radius = {n["id"]: n["size"] / 2 for n in nodes}
    font = {n["id"]: round(11 + 7 * (n["font"]["size"] - FONT_MIN) / (FONT_MAX - FONT_MIN)) for n in nodes}
    # Label boxes, busiest first; a label that would overlap a kept one is left out.
    kept: list[tuple[float, float, float, float]] = []
    labelled: dict[str, tuple[float, float, float, float]] = {}
    for n in sorted(nodes, key=lambda n: (-n["weight"], n["id"])):
        x, y = where[n["id"]]
        w, h, r = _text_width(n["label"], font[n["id"]]), font[n["id"]] * 1.3, radius[n["id"]]
        # Below the node, else above it, else beside it.
        for box in (
            (x - w / 2, y + r + 2, x + w / 2, y + r + 2 + h),
            (x - w / 2, y - r - 2 - h, x + w / 2, y - r - 2),
            (x + r + 4, y - h / 2, x + r + 4 + w, y + h / 2),
            (x - r - 4 - w, y - h / 2, x - r - 4, y + h / 2),
        ):
            if not any(box[0] < k[2] and k[0] < box[2] and box[1] < k[3] and k[1] < box[3] for k in kept):
                kept.append(box)
                labelled[n["id"]] = box
                break
    pad = 24
    xs = [where[i][0] - radius[i] for i in where] + [b[0] for b in labelled.values()] or [0.0]
    xe = [where[i][0] + radius[i] for i in where] + [b[2] for b in labelled.values()] or [0.0]
    ys = [where[i][1] - radius[i] for i in where] + [b[1] for b in labelled.values()] or [0.0]
    ye = [where[i][1] + radius[i] for i in where] + [b[3] for b in labelled.values()] or [0.0]
    legend = _svg_legend(nodes, edges, bloc_legend(net))
    legend_rows, row_h = 1 + len(legend), 18
    top = pad + legend_rows * row_h + 12
    x0, y0 = min(xs) - pad, min(ys) - top
    natural_w = max(max(xe) - x0 + pad, max((_text_width(x["text"], 12) + 40 for x in legend), default=0) + 2 * pad, _text_width(title, 15) + 2 * pad)
    natural_h = max(ye) - y0 + pad
    drawn_edges = []
    for e in edges:
        (ax, ay), (bx, by) = where[e["from"]], where[e["to"]]
        length = math.hypot(bx - ax, by - ay) or 1.0
        # Start and end at the circles' rims, so the arrowhead stays visible.
        ra, rb = radius[e["from"]] / length, (radius[e["to"]] + 2) / length
        drawn_edges.append(
            {
                "x1": ax + (bx - ax) * ra - x0,
                "y1": ay + (by - ay) * ra - y0,
                "x2": bx - (bx - ax) * rb - x0,
                "y2": by - (by - ay) * rb - y0,
                "color": e["color"],
                "width": e["width"],
                "dashed": bool(e["dashes"]),
                "arrow": e["kind"] == "stance",
                "title": e["title"],
            }
        )
    drawn_nodes = [
        {
            "x": where[n["id"]][0] - x0,
            "y": where[n["id"]][1] - y0,
            "r": n["size"] / 2,
            "color": n["color"]["background"] if isinstance(n["color"], dict) else n["color"],
            "border": _border_color(n) if "bloc" in n else "#333",
            "border_width": 3 if "bloc" in n else 0.6,
            "label": n["label"] if n["id"] in labelled else "",
            "label_x": (labelled[n["id"]][0] + labelled[n["id"]][2]) / 2 - x0 if n["id"] in labelled else 0,
            "label_y": labelled[n["id"]][3] - y0 - font[n["id"]] * 0.3 if n["id"] in labelled else 0,
            "font": font[n["id"]],
            "title": n["title"],
        }
        for n in nodes
    ]
    template = _environment().from_string(shipped("templates", "view.svg").read_text(encoding="utf-8"))
    return template.render(
        title=title,
        width=width or round(natural_w),
        height=height or round(natural_h),
        view_w=round(natural_w),
        view_h=round(natural_h),
        edges=drawn_edges,
        nodes=drawn_nodes,
        legend=[dict(x, y=pad + (i + 1) * row_h + 8) for i, x in enumerate(legend)],
        pad=pad,
    )


def svg_to_png(svg_path: Path, png_path: Path, width: int, height: int) -> None:
    """Rasterise an SVG with headless Chromium (Debian's ``chromium``): the one headless path
    to PNG here without a compiled image library."""
    import shutil
    import subprocess
    import tempfile

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise BadInput(f"{png_path}: PNG needs Chromium (apt-get install chromium); --format svg needs nothing")
    with tempfile.TemporaryDirectory(prefix="diplo-png-") as tmp:
        shot = Path(tmp) / "shot.png"
        cmd = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={tmp}", f"--window-size={min(width, 8000)},{min(height, 8000)}",
            f"--screenshot={shot}", svg_path.resolve().as_uri(),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=120, check=False)
        except subprocess.TimeoutExpired as e:
            raise BadInput(f"{png_path}: Chromium took too long to draw the picture") from e
        if not shot.exists():
            raise BadInput(f"{png_path}: Chromium did not produce a picture")
        with atomic_output(png_path) as out:
            out.write(shot.read_bytes())


def write_view(
    store: Store,
    path: Path,
    actor: str | None = None,
    event: str | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    fold_officials: bool = False,
    fmt: str = "html",
    source_kind: str | None = None,
    top: int | None = DEFAULT_TOP,
    width: int | None = None,
    height: int | None = None,
    min_confidence: float | None = None,
) -> ViewSummary:
    """Write the network of the selected reactions (see :func:`graph.lookup.selection`) to ``path``:
    a self-contained HTML page, or a static ``svg`` or ``png`` picture (``width``/``height``
    in pixels, else a size that fits the graph). The file is replaced only once complete.

    The ``top`` busiest actors and events are drawn (all with ``top=None``); the others are
    folded into their bloc or "others", and the page unfolds them on a click. Big drawings
    (over :data:`FROZEN_ABOVE` nodes) get a precomputed layout. The summary counts the nodes
    and edges drawn at first."""
    if fmt not in ("html", "svg", "png"):
        raise BadInput(f"--format: unknown view format {fmt!r} (html, svg, png)")
    if top is not None and top < 1:
        raise BadInput(f"--top: must be at least 1, not {top}")
    for name, value in (("--width", width), ("--height", height)):
        if value is not None and not 100 <= value <= 8000:
            raise BadInput(f"{name}: {value} is outside 100–8000 pixels")
    found, net, title = _selected_network(store, actor, event, stance, since, until, fold_officials, source_kind, top, min_confidence)
    if fmt == "html":
        payload = _page(net, found, title, with_timeline=bool(actor)).encode("utf-8")
        with atomic_output(path) as out:
            out.write(payload)
    else:
        _write_picture(net, title, path, fmt, width, height)
    nodes, edges = drawn_at_first(net)
    return ViewSummary(path=path, nodes=nodes, edges=edges, unsure=unsure(found))


def view_html(
    store: Store, actor: str | None = None, event: str | None = None, source_kind: str | None = None,
    top: int | None = DEFAULT_TOP, min_confidence: float | None = None,
) -> str:
    """The network page as text (what `diplo serve` answers at /view)."""
    found, net, title = _selected_network(store, actor, event, source_kind=source_kind, top=top, min_confidence=min_confidence)
    return _page(net, found, title, with_timeline=bool(actor))


def view_title(
    actor: str | None = None,
    event: str | None = None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    source_kind: str | None = None,
    min_confidence: float | None = None,
) -> str:
    """The page's title, naming every filter in force ("all reactions" only when none is)."""
    parts = [x for x in (actor, event, stance) if x]
    if source_kind:
        parts.append(f"{source_kind} reactions")
    if min_confidence is not None:
        parts.append(f"extracted with confidence {min_confidence:g} or more")
    if since or until:
        parts.append(f"made {since.isoformat() if since else '…'} to {until.isoformat() if until else '…'}")
    return "diplograph: " + (" — ".join(parts) or "all reactions")


def _selected_network(
    store: Store,
    actor: str | None,
    event: str | None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    fold_officials: bool = False,
    source_kind: str | None = None,
    top: int | None = DEFAULT_TOP,
    min_confidence: float | None = None,
) -> tuple[list[Position], Any, str]:
    """The selected reactions, their network and the page's title (shared by file and server)."""
    from graph.analysis import find_blocs

    found = selection(store, actor, event, stance, since, until, source_kind, min_confidence)
    drawn = {name for p in found for name in (p.actor, p.speaker, *p.targets) if name}
    net = build_network(
        found, actor_types(store, drawn), fold_officials=fold_officials, top=top,
        blocs=find_blocs(found).bloc_of(),
    )
    return found, net, view_title(actor, event, stance, since, until, source_kind, min_confidence)


def _folded_label(group: str, count: int) -> str:
    """A folded node's label: "bloc 2: 4 more actors", "2 other events", "1 other"."""
    s = "" if count == 1 else "s"
    if group.startswith("bloc "):
        return f"{group}: {count} more actor{s}"
    return f"{count} other event{s}" if group == "other events" else f"{count} other{s}"


def _page(net: Any, found: list[Position], title: str, with_timeline: bool) -> str:
    """The HTML page; an actor's page carries its timeline chart."""
    return html_page(net, found, title, timeline_chart(timeline(found)) if with_timeline else None)


def _write_picture(net: Any, title: str, path: Path, fmt: str, width: int | None = None, height: int | None = None) -> None:
    """An SVG or PNG picture of ``net`` at ``path``."""
    svg = render_svg(net, title, width, height)
    if fmt == "svg":
        with atomic_output(path) as out:
            out.write(svg.encode("utf-8"))
        return
    import tempfile

    size = re.search(r'width="(\d+)" height="(\d+)"', svg)
    with tempfile.TemporaryDirectory(prefix="diplo-svg-") as tmp:
        src = Path(tmp) / "view.svg"
        src.write_text(svg, encoding="utf-8")
        svg_to_png(src, path, int(size.group(1)), int(size.group(2)))  # type: ignore[union-attr]
