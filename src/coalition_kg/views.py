"""Interactive network views: self-contained HTML pages drawn with vis-network.

pyvis assembles the nodes and edges (with their colours, shapes, sizes and positions); the
page is ``templates/view.html`` with the vis-network build that ships inside the pyvis
wheel inlined, because pyvis's own templates link Bootstrap and vis-network from CDNs even
with ``cdn_resources="in_line"``. A Content-Security-Policy forbids every request, so a
page opens offline and cannot reach anything.

Text from articles never executes: the data travels as JSON inside a
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped, labels are drawn
on a canvas, tooltips are DOM nodes filled with ``textContent``, and the title and legend
are HTML-escaped.

Layouts are computed with networkx (a seeded spring layout, so a view is the same every
time) and physics is off: the page draws at once, even with thousands of nodes. With
``physics=True`` the browser lays the network out instead and stops once it is stable
(livelier for small views, far slower for large ones: see benchmarks/bench_views.py).
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from .export import replacing

# Node groups: colour, vis-network shape and legend text. Members are saturated, others pale.
NODE_STYLES: dict[str, tuple[str, str, str]] = {
    "member state": ("#1f5fa8", "dot", "State, member on the view's date"),
    "state": ("#a9c4e4", "dot", "State, not a member on the view's date"),
    "member organization": ("#c45a00", "square", "Organisation, member on the view's date"),
    "organization": ("#f2b27a", "square", "International organisation"),
    "coalition": ("#6a3d9a", "diamond", "Coalition"),
    "force": ("#8c564b", "triangle", "Multinational force"),
    "person": ("#7f7f7f", "dot", "Person"),
    "meeting": ("#2f9e44", "box", "Meeting"),
    "declaration": ("#e8b100", "star", "Declaration"),
    "other": ("#cccccc", "dot", "Other"),
}
# Edge groups with a fixed colour; any other group (a pledge type) gets one from PALETTE.
EDGE_COLOURS: dict[str, str] = {
    "in person": "#2f9e44", "remote": "#17a2b8", "absent": "#d62728", "attendance not stated": "#999999",
    "signatory": "#2f9e44", "endorser": "#1f5fa8", "non-signatory": "#d62728", "role not stated": "#999999",
    "present, not signed": "#ff7f0e", "represented": "#7f7f7f", "co-attendance": "#8a8a8a",
    "adopted at": "#e8b100", "statement": "#6a3d9a",
}
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173")
LARGE = 300          # above this many nodes: straight edges, no edge labels, hide edges while dragging
MAX_LABEL = 36
TEMPLATE = Path(__file__).with_name("templates") / "view.html"
VIS = Path(__import__("pyvis").__file__).parent / "lib" / "vis-9.1.2"


def stable_colour(name: str) -> str:
    """A palette colour chosen by the name itself, so a pledge type has one colour in every view."""
    return PALETTE[int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16) % len(PALETTE)]


def node_group(data: dict) -> str:
    if "community" in data:
        return f"community {data['community'] + 1}"
    kind = data.get("kind", "other")
    if kind in ("state", "organization") and data.get("member"):
        return f"member {kind}"
    return kind if kind in NODE_STYLES else "other"


def edge_group(data: dict) -> str:
    if data.get("kind") == "participation":
        return data.get("attendance") or "attendance not stated"
    if data.get("kind") == "pledge":
        return data.get("pledge_type") or "unspecified"
    return data.get("kind", "link")


def node_colour(group: str) -> str:
    return NODE_STYLES[group][0] if group in NODE_STYLES else stable_colour(group)


def edge_colour(group: str) -> str:
    return EDGE_COLOURS.get(group) or stable_colour(group)


def short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def node_label(node: str, data: dict) -> str:
    """Meetings go by their id (date and place, ``2025-03-27-paris``); their long names are in tooltips."""
    if data.get("kind") == "meeting":
        return node.partition(":")[2]
    return short(data.get("label", node))


def layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Seeded spring layout in screen units; fewer iterations for large graphs, to stay quick."""
    if not graph:
        return {}
    simple = nx.Graph(graph)
    iterations = 50 if len(simple) <= LARGE else 10
    weighted = any("weight" in d for _, _, d in simple.edges(data=True))   # co-attendance: often-met are close
    positions = nx.spring_layout(simple, seed=1, iterations=iterations, weight="weight" if weighted else None)
    scale = 120 * math.sqrt(len(simple))
    return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in positions.items()}


def node_tooltip(node: str, data: dict, degree: int) -> str:
    lines = [data.get("label", node), f"{node} ({data.get('kind', 'entity')})"]
    if data.get("date"):
        lines.append(f"Date: {data['date']}")
    if data.get("member"):
        lines.append(f"Member since {data.get('member_since') or 'a date not recorded'}")
    if "engagement" in data:
        lines.append(f"Meetings attended (present) in this view: {data['engagement']}")
    if "community" in data:
        lines.append(f"Community {data['community'] + 1}")
    lines.append(f"Links in this view: {degree}")
    return "\n".join(lines)


def to_pyvis(graph: nx.Graph, physics: bool = False) -> Network:
    """The graph as a pyvis network: groups, colours, sizes, positions and plain-text tooltips.

    Without ``physics`` the positions come from networkx; with it the browser lays out."""
    directed = graph.is_directed()
    net = Network(directed=True, cdn_resources="in_line")
    positions = {} if physics else layout(graph)
    large = len(graph) > LARGE
    weights = [d.get("weight", 1) for _, _, d in graph.edges(data=True)] or [1]
    for node, data in graph.nodes(data=True):
        group = node_group(data)
        colour = node_colour(group)
        size = 10 + 4 * math.sqrt(data.get("engagement", graph.degree(node)))
        place = dict(zip("xy", positions[node])) if positions else {}
        net.add_node(node, label=node_label(node, data), title=node_tooltip(node, data, graph.degree(node)),
                     color=colour, shape=NODE_STYLES.get(group, (colour, "dot"))[1], size=size, **place,
                     ckgGroup=group, isolated=graph.degree(node) == 0, font={"size": 22})
    for number, (u, v, data) in enumerate(graph.edges(data=True)):
        group = edge_group(data)
        width = 1 + 5 * data["weight"] / max(weights) if "weight" in data else 1.5
        options = {
            "id": f"e{number}", "title": data.get("title", ""), "ckgGroup": group, "date": data.get("date", ""),
            "weakOnly": bool(data.get("weak_only")), "contested": bool(data.get("contested")),
            "color": {"color": edge_colour(group), "opacity": 0.35 if data.get("weak_only") else 0.9},
            "dashes": bool(data.get("contested")), "width": width,
        }
        if not large and data.get("label") and "weight" not in data:
            options["label"] = short(str(data["label"]))
        if not directed:
            options["arrows"] = {"to": {"enabled": False}}
        net.add_edge(u, v, **options)
    return net


def vis_options(large: bool, physics: bool = False) -> dict:
    """vis-network options: physics off (positions come from networkx) unless asked for, in
    which case the page stops it once the layout has stabilised."""
    return {
        "physics": {"enabled": physics, "stabilization": {"iterations": 1000}},
        "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": large, "navigationButtons": False},
        "edges": {"smooth": False if large else {"type": "continuous"}, "font": {"size": 10, "align": "middle"},
                  "arrows": {"to": {"scaleFactor": 0.5}}},
        "nodes": {"borderWidth": 1},
    }


def legend(graph: nx.Graph) -> str:
    """Legend entries for the node and edge groups present, each a checkbox that shows or hides them."""
    node_groups = sorted({node_group(d) for _, d in graph.nodes(data=True)})
    edge_groups = sorted({edge_group(d) for _, _, d in graph.edges(data=True)})
    parts = ["    <h2>Nodes</h2>"]
    for group in node_groups:
        text = NODE_STYLES[group][2] if group in NODE_STYLES else group.capitalize()
        parts.append(f'    <label><input type="checkbox" checked data-group="{html.escape(group)}">'
                     f'<span class="swatch" style="background:{node_colour(group)}"></span>{html.escape(text)}</label>')
    parts.append("    <h2>Links</h2>")
    for group in edge_groups:
        parts.append(f'    <label><input type="checkbox" checked data-group="{html.escape(group)}">'
                     f'<span class="line" style="border-color:{edge_colour(group)}"></span>{html.escape(group)}</label>')
    if any(d.get("contested") for _, _, d in graph.edges(data=True)):
        parts.append('    <label><span class="line dashed" style="border-color:#444"></span>contested: another '
                     "source says otherwise</label>")
    if any(d.get("weak_only") for _, _, d in graph.edges(data=True)):
        parts.append('    <label><span class="line" style="border-color:rgba(68,68,68,.35)"></span>pale: only weak '
                     "sources</label>")
    return "\n".join(parts)


def _script_json(value: object) -> str:
    """JSON that cannot end the <script> element it sits in, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(graph: nx.Graph, physics: bool = False) -> str:
    """The whole HTML page for ``graph``, with nothing to fetch."""
    net = to_pyvis(graph, physics)
    data = {"nodes": net.nodes, "edges": net.edges, "options": vis_options(len(graph) > LARGE, physics)}
    subtitle = (f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} links. Hover for the claim and its "
                "sources; drag to move; untick a legend entry to hide it.")
    parts = {
        "TITLE": html.escape(graph.graph.get("title", "Network")),
        "SUBTITLE": html.escape(subtitle),
        "LEGEND": legend(graph),
        "DATA": _script_json(data),
        "VIS_CSS": (VIS / "vis-network.css").read_text(encoding="utf-8"),
        "VIS_JS": (VIS / "vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script"),
    }
    return re.sub(r"/\*CKG:(\w+)\*/", lambda m: parts[m.group(1)], TEMPLATE.read_text(encoding="utf-8"))


def write(graph: nx.Graph, path: str | Path, physics: bool = False) -> Path:
    """Write the page for ``graph`` to ``path`` (whole or not at all)."""
    path = Path(path)
    with replacing(path) as partial:
        partial.write_text(render(graph, physics), encoding="utf-8")
    return path
