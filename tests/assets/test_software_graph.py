"""The integration graph: every system a node linking to its page, every integration an
arrow (a second head for two-way links, dashed when planned), groups by agency or category,
the same picture for the same rows, text escaped; the page with its legend and table and
the SVG download, for staff only."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.assets import software_graph
from pontive.assets.software_registries import SYSTEMS
from pontive.core.errors import PermissionDenied
from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from tests.assets.test_infra_support import ADMIN, make_link, make_system
from tests.conftest import login

SVG = "{http://www.w3.org/2000/svg}"


def _three(session: Session) -> tuple[Any, Any, Any, list[Any]]:
    a = make_system(session, name="Alpha <uji>", pd_kode="diskominfo")
    b = make_system(session, name="Beta", pd_kode="diskominfo", category="aplikasi")
    c = make_system(session, name="Gamma", pd_kode="bapenda", status="dihentikan")
    links = [
        make_link(session, a, b, name="A ke B"),
        make_link(session, b, a, name="B ke A", status="direncanakan"),
        make_link(session, c, a, name="C dan A", direction="dua_arah", pd_kode="bapenda"),
    ]
    return a, b, c, links


def _svg(systems: list[Any], links: list[Any], **options: Any) -> tuple[str, ET.Element]:
    graph = software_graph.layout(systems, links, pd_names={"bapenda": "Bapenda"}, **options)
    text = software_graph.render_svg(graph, title="Graf uji", description="Uraian uji")
    return text, ET.fromstring(text)  # noqa: S314 - our own output


def test_every_system_is_a_node_and_every_integration_an_arrow(session: Session) -> None:
    a, b, c, links = _three(session)
    text, root = _svg([a, b, c], links)
    nodes = root.findall(f"{SVG}a")
    assert [n.get("href") for n in nodes] == [
        f"{SYSTEMS.path}/{a.id}",
        f"{SYSTEMS.path}/{b.id}",
        f"{SYSTEMS.path}/{c.id}",
    ]  # the larger group (Diskominfo, 2) first, names in order within it
    assert root.get("data-nodes") == "3"
    assert root.get("data-edges") == "3"
    edges = root.findall(f"{SVG}path[@class='ag-edge']")
    assert [(e.get("data-source"), e.get("data-target")) for e in edges] == [
        (str(a.id), str(b.id)),
        (str(b.id), str(a.id)),
        (str(c.id), str(a.id)),
    ]
    assert all(e.get("marker-end", "").startswith("url(#ag-end-") for e in edges)
    assert [e.get("marker-start") is not None for e in edges] == [False, False, True]
    assert [e.get("stroke-dasharray") is not None for e in edges] == [False, True, False]
    # A to B and B to A bend to opposite sides instead of overlapping
    assert edges[0].get("d") != edges[1].get("d")
    # the retired system is hollow; names are escaped; the title is there for screen readers
    circles = {n.get("data-id"): n.find(f"{SVG}circle") for n in nodes}
    assert circles[str(c.id)].get("fill") == "#ffffff"  # type: ignore[union-attr]
    assert "Alpha &lt;uji&gt;" in text
    assert root.find(f"{SVG}title").text == "Graf uji"  # type: ignore[union-attr]


def test_the_layout_is_deterministic_and_on_a_circle(session: Session) -> None:
    a, b, c, links = _three(session)
    first, _ = _svg([a, b, c], links)
    again, _ = _svg([c, a, b], list(reversed(links)))
    assert first == again
    graph = software_graph.layout([a, b, c], links)
    cx, cy = graph.width / 2, graph.height / 2
    radii = {round(math.hypot(n.x - cx, n.y - cy), 3) for n in graph.nodes}
    assert len(radii) == 1
    assert graph.nodes[0].y < cy  # the first node is at the top
    assert [g.key for g in graph.groups] == ["diskominfo", "bapenda"]


def test_grouping_by_category_and_one_agencys_neighbourhood(session: Session) -> None:
    a, b, c, links = _three(session)
    by_category = software_graph.layout([a, b, c], links, by="kategori")
    assert {g.key for g in by_category.groups} == {"sistem_informasi", "aplikasi"}
    assert {g.label for g in by_category.groups} == {"Sistem informasi", "Aplikasi"}
    systems, found = software_graph.load(session, ADMIN, pd_kode="bapenda")
    ids = {s.id for s in systems}
    assert {a.id, c.id} <= ids
    assert b.id not in ids  # not linked to Bapenda's system
    assert {link.name for link in found} == {"C dan A"}


def test_links_to_missing_systems_are_left_out(session: Session) -> None:
    a, b, _c, links = _three(session)
    graph = software_graph.layout([a, b], links)
    assert len(graph.nodes) == 2
    assert [e.id for e in graph.edges] == [links[0].id, links[1].id]
    empty = software_graph.layout([], [])
    assert (empty.nodes, empty.edges) == ([], [])


def test_only_staff_see_the_graph(session: Session, client: TestClient, bearer: Any) -> None:
    citizen = Actor(ActorKind.USER, Role.WARGA, id=None, name="warga")
    with pytest.raises(PermissionDenied):
        software_graph.load(session, citizen)
    assert client.get("/api/v1/assets/integration-graph.svg").status_code == 401
    answer = client.get("/api/v1/assets/integration-graph.svg", headers=bearer(Role.OPERATOR))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert ET.fromstring(answer.text).tag == f"{SVG}svg"  # noqa: S314 - our own output


def test_the_graph_page_has_the_svg_a_legend_and_a_table(
    session: Session, client: TestClient, make_user: Any
) -> None:
    a, _b, _c, links = _three(session)
    login(client, make_user(Role.PETUGAS_PD, pd_kode="bapenda").username)
    html = client.get("/console/aset/integrasi").text
    svg = re.search(r"<svg[^>]*class=\"ag-graph\".*?</svg>", html, re.S)
    assert svg is not None
    assert f'href="{SYSTEMS.path}/{a.id}"' in svg.group(0)
    assert 'id="graph-groups"' in html
    for link in links:
        assert f'data-code="{link.code}"' in html
    assert "Dua arah" in html
    english = client.get("/console/aset/integrasi?kelompok=kategori&lang=en").text
    assert "System integration graph" in english
    assert "Information system" in english
