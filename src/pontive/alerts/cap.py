"""CAP 1.2 output: one city alert as an OASIS Common Alerting Protocol message.

The element order follows the XSD's ``<sequence>`` exactly (``shared/specs/cap12.md`` §2);
times are WIB with an offset and no fractions (§4); the area of each ``<info>`` is one
``<area>`` per kelurahan with its boundary as ``lat,lon`` polygons and its Kemendagri code as
a geocode. ``alerts/cap_rules.py`` checks what the XSD cannot.
"""

from __future__ import annotations

import logging

# Only builds XML here; untrusted input is parsed with defusedxml (alerts/feeds_xml.py).
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from sqlalchemy.orm import Session

from pontive.alerts.choices import CapStatus, MsgType, ResponseType, Urgency
from pontive.alerts.models import Alert
from pontive.core.timeutil import to_local
from pontive.reference.service import CITY_KODE, kelurahan_feature_collection
from pontive.settings import Settings
from pontive.web.i18n import translate

log = logging.getLogger(__name__)

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_MIME = "application/cap+xml"
GEOCODE_NAME = "KEMENDAGRI"
# (CAP language, catalogue language, Alert column suffix): Indonesian first.
LANGUAGES = (("id-ID", "id", "id"), ("en-US", "en", "en"))
# ~11 m at the equator: kelurahan edges keep their shape while a message stays a few kB.
SIMPLIFY_DEGREES = 0.0001
COORDINATE_DIGITS = 5  # ~1 m
# Parts smaller than this (slivers of river islands, in square degrees ~ 0.1 ha) add bytes
# without helping anyone decide whether they are in the area.
MIN_PART_AREA = 1e-7
MAX_REFERENCE_CHAIN = 50
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True, slots=True)
class CapArea:
    """One CAP ``<area>``: a description, ``(lat, lon)`` polygons (closed), geocodes."""

    desc: str
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)
    geocodes: list[tuple[str, str]] = field(default_factory=list)


def cap_time(value: datetime, settings: Settings) -> str:
    """``YYYY-MM-DDThh:mm:ss+07:00``: the city's zone, whole seconds (CAP 1.2 §3.3.2)."""
    return to_local(value, settings.zone).replace(microsecond=0).isoformat()


def _ring(coordinates: Any) -> list[tuple[float, float]]:
    """A GeoJSON ``[lon, lat]`` ring as closed CAP ``(lat, lon)`` pairs, rounded, deduped."""
    pairs: list[tuple[float, float]] = []
    for lon, lat, *_ in coordinates:
        pair = (round(float(lat), COORDINATE_DIGITS), round(float(lon), COORDINATE_DIGITS))
        if not pairs or pairs[-1] != pair:
            pairs.append(pair)
    if pairs and pairs[0] != pairs[-1]:
        pairs.append(pairs[0])
    return pairs


def _polygons(geometry: BaseGeometry) -> list[list[tuple[float, float]]]:
    """Exterior rings of ``geometry``, simplified; CAP polygons have no holes (§3.2.4)."""
    parts: list[Polygon]
    if isinstance(geometry, Polygon):
        parts = [geometry]
    elif isinstance(geometry, MultiPolygon):
        parts = list(geometry.geoms)
    else:
        return []
    if len(parts) > 1:
        parts = [p for p in parts if p.area >= MIN_PART_AREA] or parts[:1]
    rings = []
    for part in parts:
        simple = part.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        ring = _ring(simple.exterior.coords) if isinstance(simple, Polygon) else []
        if len(ring) < 4:  # simplified away: the original ring is small anyway
            ring = _ring(part.exterior.coords)
        if len(ring) >= 4:
            rings.append(ring)
    return rings


def _features(session: Session) -> dict[str, dict[str, Any]]:
    return {
        f["properties"]["kode"]: f
        for f in kelurahan_feature_collection(session=session)["features"]
    }


def _area_geometry(feature: dict[str, Any]) -> BaseGeometry | None:
    if feature["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
        return None  # only a centroid is known: the geocode alone names the area
    geometry = shape(feature["geometry"])
    return geometry if geometry.is_valid else geometry.buffer(0)


def _areas_from(
    features: dict[str, dict[str, Any]], kelurahan_kodes: list[str], lang: str
) -> list[CapArea]:
    if not kelurahan_kodes:  # the whole city: one area, the union of every kelurahan
        shapes = [g for f in features.values() if (g := _area_geometry(f)) is not None]
        polygons = _polygons(unary_union(shapes)) if shapes else []
        desc = translate("alerts.cap.city_area", lang)
        return [CapArea(desc, polygons, [(GEOCODE_NAME, CITY_KODE)])]
    areas = []
    for kode in kelurahan_kodes:
        feature = features.get(kode)
        if feature is None:
            log.warning("alert area names unknown kelurahan %s; left out of the CAP", kode)
            continue
        properties = feature["properties"]
        geometry = _area_geometry(feature)
        desc = translate(
            "alerts.cap.area", lang, kelurahan=properties["nama"], kecamatan=properties["kecamatan"]
        )
        polygons = _polygons(geometry) if geometry is not None else []
        areas.append(CapArea(desc, polygons, [(GEOCODE_NAME, kode)]))
    return areas


def cap_areas(session: Session, kelurahan_kodes: list[str], lang: str) -> list[CapArea]:
    """The CAP areas of ``kelurahan_kodes`` (none: the whole city) from reference boundaries."""
    return _areas_from(_features(session), kelurahan_kodes, lang)


def _sub(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{CAP_NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def _referenced(session: Session, alert: Alert) -> list[Alert]:
    """The messages ``alert`` updates or cancels: its chain back to the first, oldest first."""
    chain: list[Alert] = []
    seen = {alert.id}
    next_id = alert.references_id
    while next_id is not None and next_id not in seen and len(chain) < MAX_REFERENCE_CHAIN:
        earlier = session.get(Alert, next_id)
        if earlier is None:
            break
        seen.add(earlier.id)
        if earlier.sent_at is not None:  # a message never sent cannot be referenced
            chain.append(earlier)
        next_id = earlier.references_id
    return list(reversed(chain))


def references_text(session: Session, alert: Alert, *, settings: Settings) -> str | None:
    """CAP ``references``: ``sender,identifier,sent`` triplets, space-separated (§3.2.1)."""
    triplets = [
        f"{a.sender or settings.alert_sender},{a.identifier},{cap_time(a.sent_at, settings)}"
        for a in _referenced(session, alert)
        if a.sent_at is not None
    ]
    return " ".join(triplets) or None


def _note(alert: Alert, lang: str) -> str | None:
    if alert.note:
        return alert.note
    if alert.cap_status == CapStatus.EXERCISE:  # CAP 1.2 §3.2.1: the exercise is named in note
        return translate("alerts.cap.note_exercise", lang)
    if alert.cap_status == CapStatus.TEST:
        return translate("alerts.cap.note_test", lang)
    return None


def _info(
    parent: ET.Element,
    alert: Alert,
    areas: list[CapArea],
    lang: tuple[str, str, str],
    settings: Settings,
) -> None:
    cap_lang, ui_lang, suffix = lang

    def text(name: str) -> str:
        value: str = getattr(alert, f"{name}_{suffix}") or getattr(alert, f"{name}_id")
        return value.strip()

    is_cancel = alert.msg_type == MsgType.CANCEL
    info = _sub(parent, "info")
    _sub(info, "language", cap_lang)
    _sub(info, "category", alert.category.value)
    _sub(info, "event", text("event"))
    if is_cancel:  # the threat is over: what was announced no longer needs acting on
        _sub(info, "responseType", ResponseType.ALL_CLEAR.value)
    elif alert.response_type in {r.value for r in ResponseType}:
        _sub(info, "responseType", alert.response_type)
    _sub(info, "urgency", Urgency.PAST.value if is_cancel else alert.urgency.value)
    _sub(info, "severity", alert.severity.value)
    _sub(info, "certainty", alert.certainty.value)
    sent = alert.sent_at or alert.created_at
    _sub(info, "effective", cap_time(alert.effective_at or sent, settings))
    if alert.onset_at is not None:
        _sub(info, "onset", cap_time(alert.onset_at, settings))
    if alert.expires_at is not None:
        _sub(info, "expires", cap_time(alert.expires_at, settings))
    _sub(info, "senderName", settings.alert_sender_name)
    _sub(info, "headline", text("headline"))
    if description := text("description"):
        _sub(info, "description", description)
    if instruction := text("instruction"):
        _sub(info, "instruction", instruction)
    web = f"{settings.base_url.rstrip('/')}/peringatan/{alert.identifier}"
    _sub(info, "web", web if ui_lang == "id" else f"{web}?lang={ui_lang}")
    _sub(info, "contact", translate("alerts.cap.contact", ui_lang))
    for area in areas:
        element = _sub(info, "area")
        _sub(element, "areaDesc", area.desc)
        for polygon in area.polygons:
            _sub(element, "polygon", " ".join(f"{lat},{lon}" for lat, lon in polygon))
        for name, value in area.geocodes:
            geocode = _sub(element, "geocode")
            _sub(geocode, "valueName", name)
            _sub(geocode, "value", value)


def alert_xml(session: Session, alert: Alert, *, settings: Settings) -> bytes:
    """The CAP 1.2 message of ``alert`` (UTF-8, with an XML declaration).

    A draft has no ``sent`` time yet: its preview uses the creation time.
    """
    root = ET.Element(f"{{{CAP_NS}}}alert")
    _sub(root, "identifier", alert.identifier)
    _sub(root, "sender", alert.sender or settings.alert_sender)
    _sub(root, "sent", cap_time(alert.sent_at or alert.created_at, settings))
    _sub(root, "status", alert.cap_status.value)
    _sub(root, "msgType", alert.msg_type.value)
    _sub(root, "scope", "Public")
    if (note := _note(alert, "id")) is not None:
        _sub(root, "note", note)
    if (references := references_text(session, alert, settings=settings)) is not None:
        _sub(root, "references", references)
    features = _features(session)
    for lang in LANGUAGES:
        areas = _areas_from(features, list(alert.kelurahan_kodes or []), lang[1])
        _info(root, alert, areas, lang, settings)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode", default_namespace=CAP_NS)
    return XML_DECLARATION + body.encode("utf-8") + b"\n"


def area_geojson(areas: list[CapArea]) -> dict[str, Any]:
    """The polygons of ``areas`` as one GeoJSON MultiPolygon (``[lon, lat]``), for maps."""
    coordinates = [
        [[[lon, lat] for lat, lon in polygon]] for area in areas for polygon in area.polygons
    ]
    return {"type": "MultiPolygon", "coordinates": coordinates}
