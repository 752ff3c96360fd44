"""The integration graph (``/console/aset/integrasi``): systems as nodes on a circle, grouped
by owning agency or by category, integrations as arrows, drawn as SVG on the server.

The layout is deterministic (the same rows give the same picture, byte for byte): groups in
order of size then name, systems by name within a group, evenly spaced around the circle
from the top; each group is marked by an arc in its colour outside its systems. Arrows are
gently curved so that A to B and B to A never overlap; their colour says the status, a
second head marks a two-way exchange, a dashed line a planned one. Each node links to the
system's page. No script is needed; the page adds a legend and a table of the same links for
screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.choices import Direction, IntegrationStatus, SystemStatus
from pontive.assets.models import Integration, System
from pontive.assets.service import VIEW
from pontive.assets.software_registries import SYSTEMS
from pontive.core import permissions
from pontive.core.identity import Actor

# Distinct colours for agency groups, taken in turn (deterministic by group order).
PALETTE = (
    "#1565c0", "#2e7d32", "#c62828", "#6a1b9a", "#ef6c00", "#00838f",
    "#6d4c41", "#ad1457", "#558b2f", "#283593", "#4e342e", "#00695c",
)  # fmt: skip
NODE_RADIUS = 9
LABEL_GAP = 16
MARGIN_X = 215  # room for labels beside the circle
MARGIN_Y = 45  # and above and below it
MIN_RADIUS = 210
SPACING = 46  # arc length between neighbouring nodes
LABEL_MAX = 30
GROUP_BY = ("pd", "kategori")


@dataclass(frozen=True, slots=True)
class Node:
    """A system placed on the circle."""

    id: int
    name: str
    code: str
    group: str
    colour: str
    retired: bool
    x: float
    y: float
    angle: float


@dataclass(frozen=True, slots=True)
class Edge:
    """An integration as a curve from its source to its target."""

    id: int
    name: str
    source: int
    target: int
    status: IntegrationStatus
    both_ways: bool
    path: str


@dataclass(frozen=True, slots=True)
class Group:
    """A group of nodes (an agency or a category) and its arc."""

    key: str
    label: str
    colour: str
    size: int
    arc: str


@dataclass(frozen=True, slots=True)
class Graph:
    """The laid-out graph."""

    nodes: list[Node]
    edges: list[Edge]
    groups: list[Group]
    width: int
    height: int


def _r(value: float) -> str:
    return f"{value:.1f}"


def _group_of(system: System, by: str, pd_names: dict[str, str], lang: str) -> tuple[str, str]:
    if by == "kategori":
        return system.category.value, system.category.label(lang)
    return system.pd_kode, pd_names.get(system.pd_kode, system.pd_kode)


def _curve(a: Node, b: Node, bend: float) -> str:
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    # Leave the nodes' discs (and room for the arrow head) at both ends.
    x1, y1 = a.x + ux * (NODE_RADIUS + 2), a.y + uy * (NODE_RADIUS + 2)
    x2, y2 = b.x - ux * (NODE_RADIUS + 4), b.y - uy * (NODE_RADIUS + 4)
    cx, cy = (x1 + x2) / 2 - uy * bend, (y1 + y2) / 2 + ux * bend
    return f"M{_r(x1)} {_r(y1)} Q{_r(cx)} {_r(cy)} {_r(x2)} {_r(y2)}"


def _arc(cx: float, cy: float, radius: float, start: float, end: float) -> str:
    x1, y1 = cx + radius * math.cos(start), cy + radius * math.sin(start)
    x2, y2 = cx + radius * math.cos(end), cy + radius * math.sin(end)
    large = 1 if end - start > math.pi else 0
    return f"M{_r(x1)} {_r(y1)} A{_r(radius)} {_r(radius)} 0 {large} 1 {_r(x2)} {_r(y2)}"


def layout(
    systems: Sequence[System],
    integrations: Sequence[Integration],
    *,
    by: str = "pd",
    pd_names: dict[str, str] | None = None,
    lang: str = "id",
) -> Graph:
    """Place ``systems`` on a circle by group and draw ``integrations`` between them."""
    names = pd_names or {}
    grouped: dict[str, tuple[str, list[System]]] = {}
    for system in systems:
        key, label = _group_of(system, by, names, lang)
        grouped.setdefault(key, (label, []))[1].append(system)
    order = sorted(grouped.items(), key=lambda item: (-len(item[1][1]), item[1][0], item[0]))
    count = max(1, len(systems))
    radius = max(MIN_RADIUS, count * SPACING / (2 * math.pi))
    cx, cy = radius + MARGIN_X, radius + MARGIN_Y
    step = 2 * math.pi / count
    nodes: list[Node] = []
    groups: list[Group] = []
    index = 0
    for number, (key, (label, members)) in enumerate(order):
        colour = PALETTE[number % len(PALETTE)]
        first = index
        for system in sorted(members, key=lambda s: (s.name.lower(), s.code)):
            angle = -math.pi / 2 + index * step
            nodes.append(
                Node(
                    id=system.id,
                    name=system.name,
                    code=system.code,
                    group=key,
                    colour=colour,
                    retired=system.status is SystemStatus.DIHENTIKAN,
                    x=cx + radius * math.cos(angle),
                    y=cy + radius * math.sin(angle),
                    angle=angle,
                )
            )
            index += 1
        start = -math.pi / 2 + (first - 0.4) * step
        end = -math.pi / 2 + (index - 1 + 0.4) * step
        arc = _arc(cx, cy, radius + NODE_RADIUS + 5, start, max(end, start + 0.05))
        groups.append(Group(key, label, colour, len(members), arc))
    placed = {node.id: node for node in nodes}
    edges: list[Edge] = []
    seen: dict[tuple[int, int], int] = {}
    for link in sorted(integrations, key=lambda i: (i.code, i.id)):
        a, b = placed.get(link.source_id), placed.get(link.target_id)
        if a is None or b is None:
            continue
        repeat = seen.get((a.id, b.id), 0)
        seen[(a.id, b.id)] = repeat + 1
        bend = 18.0 + 14.0 * repeat
        edges.append(
            Edge(
                id=link.id,
                name=link.name,
                source=a.id,
                target=b.id,
                status=link.status,
                both_ways=link.direction is Direction.DUA_ARAH,
                path=_curve(a, b, bend),
            )
        )
    return Graph(nodes, edges, groups, round(2 * cx), round(2 * cy))


def _markers() -> str:
    parts = []
    for status in IntegrationStatus:
        colour = status.meta.colour
        for suffix, orient in (("end", "auto"), ("start", "auto-start-reverse")):
            parts.append(
                f'<marker id="ag-{suffix}-{status.value}" viewBox="0 0 10 10" refX="8" refY="5" '
                f'markerWidth="7" markerHeight="7" orient="{orient}">'
                f'<path d="M0 0L10 5L0 10z" fill="{colour}"/></marker>'
            )
    return f"<defs>{''.join(parts)}</defs>"


def _label(node: Node) -> str:
    cos, sin = math.cos(node.angle), math.sin(node.angle)
    x, y = node.x + LABEL_GAP * cos, node.y + LABEL_GAP * sin
    anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    dy = "-0.2em" if sin < -0.9 else ("0.9em" if sin > 0.9 else "0.35em")
    short = node.name if len(node.name) <= LABEL_MAX else node.name[: LABEL_MAX - 1] + "…"
    return (
        f'<text x="{_r(x)}" y="{_r(y)}" dy="{dy}" text-anchor="{anchor}" '
        f'class="ag-label">{escape(short)}</text>'
    )


def render_svg(graph: Graph, *, title: str, description: str, href: str = SYSTEMS.path) -> str:
    """The graph as an SVG document fragment (an ``<svg>`` element)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ag-graph" viewBox="0 0 {graph.width} '
        f'{graph.height}" width="{graph.width}" height="{graph.height}" role="img" '
        f'aria-labelledby="ag-title ag-desc" data-nodes="{len(graph.nodes)}" '
        f'data-edges="{len(graph.edges)}">',
        f'<title id="ag-title">{escape(title)}</title>',
        f'<desc id="ag-desc">{escape(description)}</desc>',
        _markers(),
    ]
    for group in graph.groups:
        out.append(
            f'<path class="ag-group" d="{group.arc}" stroke="{group.colour}" fill="none" '
            f'stroke-width="4" data-group="{escape(group.key)}"/>'
        )
    for edge in graph.edges:
        colour = edge.status.meta.colour
        start = f' marker-start="url(#ag-start-{edge.status.value})"' if edge.both_ways else ""
        dash = ' stroke-dasharray="6 4"' if edge.status is IntegrationStatus.DIRENCANAKAN else ""
        out.append(
            f'<path class="ag-edge" d="{edge.path}" stroke="{colour}" fill="none" '
            f'stroke-width="1.6"{dash}{start} marker-end="url(#ag-end-{edge.status.value})" '
            f'data-source="{edge.source}" data-target="{edge.target}">'
            f"<title>{escape(edge.name)}</title></path>"
        )
    for node in graph.nodes:
        fill = "#ffffff" if node.retired else node.colour
        out.append(
            f'<a href="{href}/{node.id}" class="ag-node" data-id="{node.id}">'
            f"<title>{escape(node.name)} ({escape(node.code)})</title>"
            f'<circle cx="{_r(node.x)}" cy="{_r(node.y)}" r="{NODE_RADIUS}" fill="{fill}" '
            f'stroke="{node.colour}" stroke-width="2.5"/>{_label(node)}</a>'
        )
    out.append("</svg>")
    return "".join(out)


def load(
    session: Session, actor: Actor, *, pd_kode: str | None = None
) -> tuple[list[System], list[Integration]]:
    """The systems and integrations to draw; with ``pd_kode``, that agency's systems, the
    systems they are linked to and those links."""
    permissions.require(actor, VIEW)
    systems = list(session.scalars(select(System).order_by(System.id)))
    links = list(session.scalars(select(Integration).order_by(Integration.id)))
    if pd_kode:
        own = {s.id for s in systems if s.pd_kode == pd_kode}
        links = [i for i in links if i.source_id in own or i.target_id in own]
        keep = own | {i.source_id for i in links} | {i.target_id for i in links}
        systems = [s for s in systems if s.id in keep]
    return systems, links
