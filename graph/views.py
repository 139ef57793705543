"""Interactive network pages: actors as nodes, reactions as edges, in one offline HTML file.

pyvis builds the network (nodes, edges, vis-network options); the page itself comes from our own
template (``graph/templates/view.html``), because pyvis's stock template loads Bootstrap and
vis-network from CDNs. The vis-network script and stylesheet shipped inside the pyvis package
are inlined instead, so the page makes no network request when opened.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.files import atomic_output
from graph.lookup import Position, actors, positions
from graph.resolve import NameIndex
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


def _tooltip(p: Position) -> str:
    """Plain text (vis-network shows string titles as text, never as HTML)."""
    lines = [f"{p.actor} — {p.stance_class}: {p.stance}"]
    if p.speaker:
        lines.append(f"Speaker: {p.speaker}" + (f", {p.role}" if p.role else ""))
    lines.append(f"When: {p.when}")
    if p.event:
        lines.append(f"About: {p.event}")
    words = p.quote or p.evidence
    if words:
        lines.append(f"“{words}”")
    lines.append("Source: " + ", ".join(x for x in (p.source_title, p.publisher, p.published) if x))
    return "\n".join(lines)


def select_positions(store: Store, actor: str | None = None, event: str | None = None) -> list[Position]:
    """The reactions a view shows: all, or those about ``event``, or those made by ``actor``
    (with its officials) together with those aimed at it."""
    index = NameIndex.build(store) if (actor or event) else None
    event_iri = index.resolve(event, "event") if index and event else None
    found = positions(store, event=event_iri)
    if index and actor:
        actor_iri = index.resolve(actor, "actor")
        own = {p.reaction for p in positions(store, who=actor_iri, event=event_iri)}
        label = index.preferred[actor_iri]
        found = [p for p in found if p.reaction in own or label in p.targets]
    return found


def build_network(store: Store, found: list[Position]) -> Any:
    """A pyvis Network of the given reactions (one edge per reaction and target)."""
    from pyvis.network import Network

    types = {a["actor"]: a["type"] for a in actors(store)}
    net = Network(directed=True)
    seen: set[str] = set()

    def node(label: str, kind: str) -> None:
        if label in seen:
            return
        seen.add(label)
        style = EVENT_STYLE if kind == "Event" else TYPE_STYLES.get(kind, DEFAULT_STYLE)
        net.add_node(label, label=label, title=f"{label} ({kind})", kind=kind, **style)

    for p in found:
        node(p.actor, types.get(p.actor, "Actor"))
        ends = [(t, types.get(t, "Actor")) for t in p.targets] or [(p.event or "(no event)", "Event")]
        for end, kind in ends:
            node(end, kind)
            net.add_edge(
                p.actor,
                end,
                title=_tooltip(p),
                color=POLARITY_COLORS.get(p.polarity, POLARITY_COLORS[0]),
                dashes=not p.targets,
                width=2,
                stance=p.stance_class,
            )
    # Bigger nodes for actors in more reactions.
    degree: dict[str, int] = {}
    for e in net.edges:
        for end in (e["from"], e["to"]):
            degree[end] = degree.get(end, 0) + 1
    for n in net.nodes:
        n["size"] = 12 + 3 * min(degree.get(n["id"], 0), 10)
    return net


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" that could close or start a tag."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline(code: str, tag: str) -> str:
    """Library code made safe to inline in a <script> or <style> element."""
    return re.sub(f"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE)


def render_html(net: Any, found: list[Position], title: str) -> str:
    """The page: our template with the network data and vis-network inlined."""
    from importlib.resources import files

    import jinja2
    from markupsafe import Markup

    lib = files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(shipped("templates", "view.html").read_text(encoding="utf-8"))
    rows = [
        {
            "when": p.when,
            "actor": p.actor,
            "stance": f"{p.stance_class}: {p.stance}",
            "toward": ", ".join(p.targets) or "—",
            "speaker": p.speaker or "",
            "words": p.quote or p.evidence or "",
            "source": p.source_title or p.source,
            # Only web links become links; anything else is shown as text.
            "url": p.source_url if (p.source_url or "").startswith(("https://", "http://")) else None,
        }
        for p in found
    ]
    data = {"nodes": net.nodes, "edges": net.edges}
    return template.render(
        title=title,
        data_json=Markup(_script_json(data)),
        vis_js=Markup(_inline(lib.joinpath("vis-network.min.js").read_text(encoding="utf-8"), "script")),
        vis_css=Markup(_inline(lib.joinpath("vis-network.css").read_text(encoding="utf-8"), "style")),
        node_styles=[{"kind": k, **v} for k, v in TYPE_STYLES.items()],
        edge_styles=[{"name": POLARITY_NAMES[k], "color": c} for k, c in POLARITY_COLORS.items()],
        rows=rows,
    )


def write_view(store: Store, path: Path, actor: str | None = None, event: str | None = None) -> ViewSummary:
    """Write the network of reactions (all, one actor's, or one event's) to ``path`` as a
    self-contained HTML page. The file is replaced only once complete."""
    found = select_positions(store, actor, event)
    scope = " — ".join(x for x in (actor, event) if x) or "all reactions"
    net = build_network(store, found)
    html = render_html(net, found, f"diplograph: {scope}")
    with atomic_output(path) as out:
        out.write(html.encode("utf-8"))
    return ViewSummary(path=path, nodes=len(net.nodes), edges=len(net.edges))
