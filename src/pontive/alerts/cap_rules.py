"""CAP 1.2 rules the OASIS XSD does not enforce (``shared/specs/cap12.md`` §4).

The plain XSD accepts an identifier with a space, an open polygon or a reference to the
message itself; readers downstream (Google Public Alerts, WMO's register) reject them. Each
rule here mirrors one of the spec's prose requirements; the checks run on our own output in
tests and on incoming messages.
"""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree.ElementTree import Element

from pontive.alerts.cap import CAP_NS
from pontive.alerts.feeds_xml import UnsafeXml, parse_untrusted

_NS = {"cap": CAP_NS}
# CAP 1.2 §3.2.1: identifier and sender "MUST NOT include spaces, commas or restricted
# characters (< and &)".
_TOKEN = re.compile(r"^[^\s,&<]+$")
# CAP 1.2 §3.3.2: "2002-05-24T16:49:00-07:00"; no fractions, no "Z".
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_PAIR = re.compile(rf"^({_NUMBER}),({_NUMBER})$")
_CIRCLE = re.compile(rf"^({_NUMBER}),({_NUMBER})\s+({_NUMBER})$")
_TIME_FIELDS = ("effective", "onset", "expires")


def _text(parent: Element, name: str) -> str | None:
    element = parent.find(f"cap:{name}", _NS)
    return None if element is None or element.text is None else element.text.strip()


def _parse_time(value: str) -> datetime | None:
    if not _TIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _check_time(where: str, value: str | None, problems: list[str]) -> datetime | None:
    if value is None:
        return None
    parsed = _parse_time(value)
    if parsed is None:
        problems.append(f"{where}: '{value}' is not YYYY-MM-DDThh:mm:ss±hh:mm")
    return parsed


def _in_range(lat: float, lon: float) -> bool:
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


def _check_polygon(where: str, value: str, problems: list[str]) -> None:
    pairs = []
    for token in value.split():
        match = _PAIR.match(token)
        if match is None:
            problems.append(f"{where}: '{token}' is not a lat,lon pair")
            return
        pairs.append((float(match.group(1)), float(match.group(2))))
    if len(pairs) < 4:
        problems.append(f"{where}: a polygon needs at least 4 pairs, has {len(pairs)}")
    elif pairs[0] != pairs[-1]:
        problems.append(f"{where}: the polygon is not closed (first pair != last pair)")
    if any(not _in_range(lat, lon) for lat, lon in pairs):
        problems.append(f"{where}: latitude or longitude out of range")


def _check_circle(where: str, value: str, problems: list[str]) -> None:
    match = _CIRCLE.match(value.strip())
    if match is None:
        problems.append(f"{where}: '{value}' is not 'lat,lon radius'")
        return
    lat, lon, radius = (float(match.group(i)) for i in (1, 2, 3))
    if not _in_range(lat, lon):
        problems.append(f"{where}: latitude or longitude out of range")
    if radius < 0:
        problems.append(f"{where}: the radius must not be negative")


def _check_area(where: str, area: Element, problems: list[str]) -> None:
    for polygon in area.findall("cap:polygon", _NS):
        _check_polygon(f"{where}/polygon", (polygon.text or "").strip(), problems)
    for circle in area.findall("cap:circle", _NS):
        _check_circle(f"{where}/circle", circle.text or "", problems)
    altitude, ceiling = _decimal(_text(area, "altitude")), _decimal(_text(area, "ceiling"))
    if ceiling is not None and altitude is None:  # CAP 1.2 §3.2.4: ceiling only with altitude
        problems.append(f"{where}: ceiling without altitude")
    elif ceiling is not None and altitude is not None and ceiling < altitude:
        problems.append(f"{where}: ceiling below altitude")


def _decimal(value: str | None) -> float | None:
    try:
        return None if value is None else float(value)
    except ValueError:
        return None  # not a decimal: the XSD check reports it


def _check_references(
    root: Element, sender: str | None, identifier: str | None, sent: datetime | None
) -> list[str]:
    problems: list[str] = []
    value = _text(root, "references")
    msg_type = _text(root, "msgType")
    if value is None:
        if msg_type in ("Update", "Cancel", "Ack", "Error"):
            problems.append(f"references: msgType {msg_type} must reference earlier messages")
        return problems
    for triplet in value.split():
        parts = triplet.split(",")
        if len(parts) != 3 or not all(_TOKEN.match(p) for p in parts[:2]):
            problems.append(f"references: '{triplet}' is not sender,identifier,sent")
            continue
        ref_sent = _check_time("references", parts[2], problems)
        if (parts[0], parts[1]) == (sender, identifier):
            problems.append("references: the message references itself")
        elif ref_sent is not None and sent is not None and ref_sent > sent:
            problems.append(f"references: '{triplet}' was sent after this message")
    return problems


def _check_scope(root: Element) -> list[str]:
    scope = _text(root, "scope")
    problems = []
    if _text(root, "restriction") is not None and scope != "Restricted":
        problems.append("restriction: only allowed with scope Restricted")
    addresses = _text(root, "addresses")
    # CAP 1.2 §3.2.1: addresses "required when scope is Private, optional when Restricted".
    if addresses is not None and scope == "Public":
        problems.append("addresses: not allowed with scope Public")
    if addresses is None and scope == "Private":
        problems.append("addresses: required with scope Private")
    return problems


def check_cap(xml: bytes) -> list[str]:
    """Problems of a CAP 1.2 message beyond its XSD; an empty list means none were found."""
    try:
        root = parse_untrusted(xml)
    except UnsafeXml as error:
        return [str(error)]
    if root.tag != f"{{{CAP_NS}}}alert":
        return [f"root element is {root.tag}, not a CAP 1.2 alert"]
    problems: list[str] = []
    identifier, sender = _text(root, "identifier"), _text(root, "sender")
    for name, value in (("identifier", identifier), ("sender", sender)):
        if value is not None and not _TOKEN.match(value):
            problems.append(f"{name}: must not contain spaces, commas, '<' or '&'")
    sent = _check_time("sent", _text(root, "sent"), problems)
    problems += _check_references(root, sender, identifier, sent)
    problems += _check_scope(root)
    if _text(root, "status") == "Exercise" and _text(root, "note") is None:
        problems.append("note: an Exercise message should name the exercise in note")
    for index, info in enumerate(root.findall("cap:info", _NS), start=1):
        for name in _TIME_FIELDS:
            _check_time(f"info[{index}]/{name}", _text(info, name), problems)
        for number, area in enumerate(info.findall("cap:area", _NS), start=1):
            _check_area(f"info[{index}]/area[{number}]", area, problems)
    return problems
