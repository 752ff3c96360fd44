"""The software catalogue's and the integrations' own rules: a hosting asset is a city
server or data centre of a city-hosted system, personal data is never classified public,
an integration joins two different systems and is kept by an agency owning one of them;
agencies' officers keep only their own systems; a system's page shows its links both ways.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from pontive.assets.infra_registries import INFRASTRUCTURE
from pontive.assets.software_registries import INTEGRATIONS, SYSTEMS, links_of
from pontive.core.errors import InvalidInput, PermissionDenied
from pontive.registry import store
from pontive.web.i18n import translate
from pontive.web.templating import templates
from tests.assets.test_infra_support import (
    ADMIN,
    make_asset,
    make_link,
    make_system,
    officer,
)


def test_choices_are_read_from_values_or_labels_and_stored_in_order(session: Session) -> None:
    system = make_system(
        session,
        user_groups="Warga; asn",
        spbe_domains="layanan,Aplikasi SPBE",
        standards="OpenAPI, rest_json",
        category="Sistem basis data",
    )
    assert system.user_groups == "warga,asn"
    assert system.spbe_domains == "aplikasi,layanan"  # in the SPBE domains' order
    assert system.standards == "rest_json,openapi"
    assert system.category.value == "basis_data"
    with pytest.raises(InvalidInput) as refused:
        make_system(session, standards="REST,telepati")
    assert "standards" in refused.value.errors


def test_a_hosting_asset_is_a_city_server_of_a_city_hosted_system(session: Session) -> None:
    server = make_asset(session, kind="server")
    switch = make_asset(session, kind="perangkat_jaringan")
    hosted = make_system(session, hosting="pusat_data_kota", hosting_asset_id=server.code)
    assert hosted.hosting_asset_id == server.id
    with pytest.raises(InvalidInput) as wrong_kind:
        make_system(session, hosting="pusat_data_kota", hosting_asset_id=str(switch.id))
    assert wrong_kind.value.errors["hosting_asset_id"] == [
        "Aset hosting harus server atau pusat data."
    ]
    with pytest.raises(InvalidInput) as saas:
        make_system(session, hosting="saas", hosting_asset_id=str(server.id))
    assert "hosting_asset_id" in saas.value.errors
    with pytest.raises(InvalidInput):  # moved to SaaS while still naming the server
        store.save_row(session, SYSTEMS, ADMIN, {"hosting": "saas"}, row=hosted, partial=True)


def test_personal_data_is_never_classified_public(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        make_system(session, personal_data="ya", classification="publik")
    assert refused.value.errors == {
        "classification": [
            "Sistem yang menyimpan data pribadi tidak boleh berklasifikasi publik (UU 27/2022)."
        ]
    }
    open_data = make_system(session, personal_data="tidak", classification="publik")
    assert open_data.personal_data is False


def test_an_integration_joins_two_different_systems(session: Session) -> None:
    one, two = make_system(session), make_system(session)
    with pytest.raises(InvalidInput) as same:
        make_link(session, one, one)
    assert same.value.errors == {"target_id": ["Sistem sumber dan tujuan harus berbeda."]}
    link = make_link(session, one, two, direction="dua_arah", standard="SPLP")
    assert (link.source_id, link.target_id, link.standard.value) == (one.id, two.id, "splp")
    with pytest.raises(InvalidInput):  # a partial edit that points it at its own source
        store.save_row(
            session, INTEGRATIONS, ADMIN, {"target_id": str(one.id)}, row=link, partial=True
        )
    assert [x.id for x in links_of(session, two.id)] == [link.id]


def test_the_responsible_agency_owns_one_end(session: Session) -> None:
    bapenda = make_system(session, pd_kode="bapenda")
    dukcapil = make_system(session, pd_kode="disdukcapil")
    with pytest.raises(InvalidInput) as refused:
        make_link(session, bapenda, dukcapil, pd_kode="dishub")
    assert "pd_kode" in refused.value.errors
    assert make_link(session, bapenda, dukcapil, pd_kode="disdukcapil").pd_kode == "disdukcapil"


def test_a_pd_officer_keeps_only_its_own_systems_and_links(session: Session) -> None:
    mine = make_system(session, officer("bapenda"), pd_kode="bapenda")
    theirs = make_system(session, pd_kode="disdukcapil")
    with pytest.raises(PermissionDenied):
        make_system(session, officer("bapenda"), pd_kode="disdukcapil")
    with pytest.raises(PermissionDenied):
        store.save_row(
            session, SYSTEMS, officer("bapenda"), {"version": "2"}, row=theirs, partial=True
        )
    store.save_row(session, SYSTEMS, officer("bapenda"), {"version": "2"}, row=mine, partial=True)
    assert mine.version == "2"
    link = make_link(session, mine, theirs, officer("bapenda"))
    assert link.pd_kode == "bapenda"
    with pytest.raises(PermissionDenied):
        make_link(session, theirs, mine, officer("dishub"), pd_kode="bapenda")


def render_panel(template: str, panel: Any, lang: str = "id") -> str:
    """A registry page's panel as the detail page includes it."""
    return templates.env.get_template(template).render(
        panel=panel, lang=lang, t=lambda key, **values: translate(key, lang, **values)
    )


def test_a_systems_panel_lists_its_links_both_ways(session: Session) -> None:
    server = make_asset(session, name="Server panel uji")
    centre = make_system(
        session, name="Pusat", hosting="pusat_data_kota", hosting_asset_id=str(server.id)
    )
    feeder, reader = make_system(session, name="Pemasok"), make_system(session, name="Pembaca")
    make_link(session, feeder, centre, name="Masuk")
    make_link(session, centre, reader, name="Keluar", direction="dua_arah")
    panel = SYSTEMS.panels[0].context(session, ADMIN, centre)
    assert [link.name for link in panel["links"]] == ["Masuk", "Keluar"]
    assert panel["names"][feeder.id] == "Pemasok"
    assert panel["asset"].id == server.id
    html = render_panel(SYSTEMS.panels[0].template, panel)
    assert f'href="/console/aset/perangkat-lunak/{feeder.id}">Pemasok</a>' in html
    assert f'href="/console/aset/infrastruktur/{server.id}">Server panel uji</a>' in html
    assert "←" in html  # the incoming link
    assert "⇄" in html  # the two-way link
    assert "Berjalan di" in html

    asset_html = render_panel(
        INFRASTRUCTURE.panels[0].template,
        INFRASTRUCTURE.panels[0].context(session, ADMIN, server),
        lang="en",
    )
    assert f'href="/console/aset/perangkat-lunak/{centre.id}">Pusat</a>' in asset_html
    assert "Not monitored" in asset_html
