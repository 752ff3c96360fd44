"""Read incoming CAP 1.2 messages and the RSS 2.0 / Atom lists that link them.

Everything here is untrusted input: parsed with defusedxml (``feeds_xml.py``), every field
length-checked against its column, and a message missing what CAP requires is refused with
a field error rather than stored half-understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

from pontive.alerts.cap import CAP_NS
from pontive.alerts.feeds_xml import UnsafeXml, parse_untrusted
from pontive.core.errors import InvalidInput

_NS = {"cap": CAP_NS, "atom": "http://www.w3.org/2005/Atom"}
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_PAIR = re.compile(rf"^({_NUMBER}),({_NUMBER})$")
_CIRCLE = re.compile(rf"^({_NUMBER}),({_NUMBER})\s+({_NUMBER})$")
MAX_IDENTIFIER = 200
Polygon = list[tuple[float, float]]  # (lat, lon) pairs, as CAP writes them
Circle = tuple[float, float, float]  # lat, lon, radius in km
MAX_LINKS = 200  # a nowcast list holds tens of items; more is not a feed we understand


def invalid(field_name: str, problem: str) -> InvalidInput:
    """A refusal of an incoming document, naming what was wrong."""
    return InvalidInput(
        "Pesan peringatan masuk tidak dapat dibaca.",
        "The incoming alert message cannot be read.",
        errors={field_name: [problem]},
    )


@dataclass(frozen=True, slots=True)
class IncomingCap:
    """The parts of a CAP message Pontive keeps (from its Indonesian ``info`` if any)."""

    identifier: str
    sender: str
    sent: datetime
    msg_type: str
    references: str | None
    event: str = ""
    headline: str = ""
    description: str = ""
    sender_name: str = ""
    severity: str = "Unknown"
    urgency: str = "Unknown"
    certainty: str = "Unknown"
    effective: datetime | None = None
    expires: datetime | None = None
    web: str | None = None
    area_desc: str = ""
    polygons: list[Polygon] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    geocodes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One item of a feed list: the CAP message's URL and the item's id (often the CAP
    identifier, as BMKG's ``guid``)."""

    url: str
    guid: str | None


def _text(parent: Element, path: str) -> str | None:
    element = parent.find(path, _NS)
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise invalid(name, f"not a CAP time: {value!r}") from error
    if parsed.tzinfo is None:
        raise invalid(name, f"time without an offset: {value!r}")
    return parsed


def _pick_info(root: Element) -> Element | None:
    infos = root.findall("cap:info", _NS)
    for info in infos:  # Indonesian first: the city's operators read it
        if (_text(info, "cap:language") or "").lower().startswith("id"):
            return info
    return infos[0] if infos else None


def _polygon(text: str) -> Polygon | None:
    pairs = []
    for token in text.split():
        match = _PAIR.match(token)
        if match is None:
            return None
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        pairs.append((lat, lon))
    return pairs if len(pairs) >= 4 else None


def _circle(text: str) -> Circle | None:
    match = _CIRCLE.match(text.strip())
    if match is None:
        return None
    lat, lon, radius = (float(match.group(i)) for i in (1, 2, 3))
    return (lat, lon, radius) if -90 <= lat <= 90 and -180 <= lon <= 180 and radius > 0 else None


def _read_areas(info: Element) -> tuple[str, list[Polygon], list[Circle], list[tuple[str, str]]]:
    descs: list[str] = []
    polygons: list[Polygon] = []
    circles: list[Circle] = []
    geocodes: list[tuple[str, str]] = []
    for area in info.findall("cap:area", _NS):
        if desc := _text(area, "cap:areaDesc"):
            descs.append(desc)
        # A malformed shape is dropped, not fatal: the rest of the message still informs.
        polygons += [p for e in area.findall("cap:polygon", _NS) if (p := _polygon(e.text or ""))]
        circles += [c for e in area.findall("cap:circle", _NS) if (c := _circle(e.text or ""))]
        for geocode in area.findall("cap:geocode", _NS):
            name, value = _text(geocode, "cap:valueName"), _text(geocode, "cap:value")
            if name and value:
                geocodes.append((name, value))
    return "; ".join(dict.fromkeys(descs)), polygons, circles, geocodes


def parse_cap(xml: bytes) -> IncomingCap:
    """The CAP 1.2 message in ``xml``; raises ``InvalidInput`` for anything else."""
    try:
        root = parse_untrusted(xml)
    except UnsafeXml as error:
        raise invalid("xml", str(error)) from error
    if root.tag != f"{{{CAP_NS}}}alert":
        raise invalid("xml", f"root element {root.tag} is not a CAP 1.2 alert")
    identifier, sender = _text(root, "cap:identifier"), _text(root, "cap:sender")
    sent = _time(_text(root, "cap:sent"), "sent")
    if not identifier or not sender or sent is None:
        raise invalid("identifier", "identifier, sender and sent are required")
    if len(identifier) > MAX_IDENTIFIER or len(sender) > MAX_IDENTIFIER:
        raise invalid("identifier", "identifier or sender is too long")
    msg_type = (_text(root, "cap:msgType") or "Alert")[:20]
    references = _text(root, "cap:references")
    info = _pick_info(root)
    if info is None:  # e.g. a bare Cancel: its references say what it is about
        return IncomingCap(identifier, sender, sent, msg_type, references)
    area_desc, polygons, circles, geocodes = _read_areas(info)
    return IncomingCap(
        identifier,
        sender,
        sent,
        msg_type,
        references,
        event=(_text(info, "cap:event") or "")[:300],
        headline=(_text(info, "cap:headline") or "")[:500],
        description=_text(info, "cap:description") or "",
        sender_name=(_text(info, "cap:senderName") or "")[:300],
        severity=(_text(info, "cap:severity") or "Unknown")[:20],
        urgency=(_text(info, "cap:urgency") or "Unknown")[:20],
        certainty=(_text(info, "cap:certainty") or "Unknown")[:20],
        effective=_time(_text(info, "cap:effective"), "effective"),
        expires=_time(_text(info, "cap:expires"), "expires"),
        web=_web(_text(info, "cap:web")),
        area_desc=area_desc,
        polygons=polygons,
        circles=circles,
        geocodes=geocodes,
    )


def _web(value: str | None) -> str | None:
    # Shown as a link on staff pages: only plain web addresses.
    if value is None or len(value) > 500 or urlsplit(value).scheme not in ("http", "https"):
        return None
    return value


def is_web_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) address (feeds may link nothing else)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def parse_feed_links(xml: bytes, feed_url: str) -> list[FeedLink]:
    """The CAP links of an RSS 2.0 or Atom list, resolved against ``feed_url``."""
    try:
        root = parse_untrusted(xml)
    except UnsafeXml as error:
        raise invalid("xml", str(error)) from error
    links: list[FeedLink] = []
    if root.tag == "rss":
        for item in root.findall("channel/item"):
            href = _text(item, "link")
            enclosure = item.find("enclosure")
            if enclosure is not None and "cap" in (enclosure.get("type") or ""):
                href = enclosure.get("url") or href
            if href:
                links.append(FeedLink(urljoin(feed_url, href), _text(item, "guid")))
    elif root.tag == "{http://www.w3.org/2005/Atom}feed":
        for entry in root.findall("atom:entry", _NS):
            candidates = entry.findall("atom:link", _NS)
            chosen = next((c for c in candidates if "cap" in (c.get("type") or "")), None)
            if chosen is None:  # (an Element without children is falsy: compare to None)
                chosen = next((c for c in candidates if c.get("rel") in (None, "alternate")), None)
            if chosen is not None and chosen.get("href"):
                href = chosen.get("href") or ""
                links.append(FeedLink(urljoin(feed_url, href), _text(entry, "atom:id")))
    else:
        raise invalid("xml", f"root element {root.tag} is neither RSS 2.0 nor Atom")
    return [link for link in links if is_web_url(link.url)][:MAX_LINKS]
