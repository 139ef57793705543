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
from graph.lookup import Position, actors, selection
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
    lines.append("Source: " + ", ".join(x for x in (p.source_title, p.publisher, p.published) if x))
    return "\n".join(lines)


def _tooltip(head: str, found: list[Position]) -> str:
    parts = [head] + [_reaction_text(p) for p in found[:TOOLTIP_REACTIONS]]
    if len(found) > TOOLTIP_REACTIONS:
        parts.append(f"… and {len(found) - TOOLTIP_REACTIONS} more (click the edge)")
    return "\n\n".join(parts)


def build_network(found: list[Position], types: dict[str, str], fold_officials: bool = False) -> Any:
    """A pyvis Network of the given reactions; ``types`` maps actor labels to their type label
    (as :func:`graph.lookup.actors` gives them).

    One edge per (actor, target, stance class), its width growing with the number of reactions
    and ``reactions`` holding their indexes in ``found``; an edge to the event, dashed, for
    reactions with no target. Officials who voiced reactions are drawn beside the actor they
    speak for (a grey "speaks for" edge) unless ``fold_officials``."""
    from pyvis.network import Network

    net = Network(directed=True)
    seen: set[str] = set()

    def node(label: str, kind: str) -> None:
        if label not in seen:
            seen.add(label)
            style = EVENT_STYLE if kind == "Event" else TYPE_STYLES.get(kind, DEFAULT_STYLE)
            net.add_node(label, label=label, title=f"{label} ({kind})", kind=kind, **style)

    grouped: dict[tuple[str, str, str], list[int]] = {}
    voiced: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(found):
        node(p.actor, types.get(p.actor, "Actor"))
        ends = [(t, types.get(t, "Actor")) for t in p.targets] or [(p.event or "(no event)", "Event")]
        for end, kind in ends:
            node(end, kind)
            grouped.setdefault((p.actor, end, p.stance_class), []).append(i)
        if p.speaker and p.speaker != p.actor and not fold_officials:
            node(p.speaker, types.get(p.speaker, "Person"))
            voiced.setdefault((p.speaker, p.actor), []).append(i)
    for (source, end, cls), members in grouped.items():
        first = found[members[0]]
        net.add_edge(
            source,
            end,
            title=_tooltip(f"{source} → {end}: {cls} ×{len(members)}", [found[i] for i in members]),
            color=POLARITY_COLORS.get(first.polarity, POLARITY_COLORS[0]),
            dashes=not first.targets,
            width=min(1 + 1.5 * len(members), 9),
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
    for n in net.nodes:
        n["size"] = 10 + 4 * math.sqrt(min(degree.get(n["id"], 0), 100))
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
    kinds = sorted({n["kind"] for n in net.nodes})
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
        labels=sorted(n["id"] for n in net.nodes),
        count=len(reactions),
        chart=chart,
    )


def html_page(net: Any, found: list[Position], title: str, chart: dict[str, Any] | None = None) -> str:
    """The page for ``net``, its layout computed beforehand when it has over
    :data:`FROZEN_ABOVE` nodes."""
    frozen = len(net.nodes) > FROZEN_ABOVE
    if frozen:
        freeze_layout(net)
    return render_html(net, found, title, frozen=frozen, chart=chart)


def render_svg(net: Any, title: str) -> str:
    """A static picture of the network (for reports): the frozen layout drawn as SVG."""
    if net.nodes and "x" not in net.nodes[0]:
        freeze_layout(net)
    where = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
    pad = 80
    xs = [x for x, _ in where.values()] or [0.0]
    ys = [y for _, y in where.values()] or [0.0]
    x0, y0 = min(xs) - pad, min(ys) - pad
    radius = {n["id"]: n["size"] / 2 for n in net.nodes}
    edges = []
    for e in net.edges:
        (ax, ay), (bx, by) = where[e["from"]], where[e["to"]]
        length = math.hypot(bx - ax, by - ay) or 1.0
        # Start and end at the circles' rims, so the arrowhead stays visible.
        ra, rb = radius[e["from"]] / length, (radius[e["to"]] + 2) / length
        edges.append(
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
    nodes = [
        {"x": where[n["id"]][0] - x0, "y": where[n["id"]][1] - y0, "r": n["size"] / 2, "color": n["color"], "label": n["label"], "title": n["title"]}
        for n in net.nodes
    ]
    template = _environment().from_string(shipped("templates", "view.svg").read_text(encoding="utf-8"))
    return template.render(
        title=title,
        width=round(max(xs) - x0 + pad),
        height=round(max(ys) - y0 + pad),
        edges=edges,
        nodes=nodes,
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
) -> ViewSummary:
    """Write the network of the selected reactions (see :func:`graph.lookup.selection`) to ``path``:
    a self-contained HTML page, or a static ``svg`` or ``png`` picture. The file is replaced
    only once complete. Big graphs (over :data:`FROZEN_ABOVE` nodes) get a precomputed layout."""
    if fmt not in ("html", "svg", "png"):
        raise BadInput(f"--format: unknown view format {fmt!r} (html, svg, png)")
    found, net, title = _selected_network(store, actor, event, stance, since, until, fold_officials, source_kind)
    if fmt == "html":
        payload = _page(net, found, title, with_timeline=bool(actor)).encode("utf-8")
        with atomic_output(path) as out:
            out.write(payload)
    else:
        _write_picture(net, title, path, fmt)
    return ViewSummary(path=path, nodes=len(net.nodes), edges=len(net.edges))


def view_html(store: Store, actor: str | None = None, event: str | None = None, source_kind: str | None = None) -> str:
    """The network page as text (what `diplo serve` answers at /view)."""
    found, net, title = _selected_network(store, actor, event, source_kind=source_kind)
    return _page(net, found, title, with_timeline=bool(actor))


def _selected_network(
    store: Store,
    actor: str | None,
    event: str | None,
    stance: str | None = None,
    since: date | None = None,
    until: date | None = None,
    fold_officials: bool = False,
    source_kind: str | None = None,
) -> tuple[list[Position], Any, str]:
    """The selected reactions, their network and the page's title (shared by file and server)."""
    found = selection(store, actor, event, stance, since, until, source_kind)
    scope = " — ".join(x for x in (actor, event, stance) if x) or "all reactions"
    net = build_network(found, {a["actor"]: a["type"] for a in actors(store)}, fold_officials=fold_officials)
    return found, net, f"diplograph: {scope}"


def _page(net: Any, found: list[Position], title: str, with_timeline: bool) -> str:
    """The HTML page; an actor's page carries its timeline chart."""
    return html_page(net, found, title, timeline_chart(timeline(found)) if with_timeline else None)


def _write_picture(net: Any, title: str, path: Path, fmt: str) -> None:
    """An SVG or PNG picture of ``net`` at ``path``."""
    svg = render_svg(net, title)
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
