"""Atom 1.0 index of the alerts in force (RFC 4287), each entry linking its CAP message.

CAP readers (aggregators, broadcasters, apps) poll this feed and fetch the messages it links,
as they do with national weather services' feeds. Entry ids are the messages' CAP URLs, which
never change; an entry's ``updated`` is the message's ``sent`` since a CAP message is never
edited (a change is a new message that references it).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # builds only; untrusted input: alerts/feeds_xml.py
from collections.abc import Iterable
from datetime import datetime

from pontive.alerts.cap import CAP_MIME, XML_DECLARATION, cap_time
from pontive.alerts.models import Alert
from pontive.core.timeutil import format_local
from pontive.settings import Settings
from pontive.web.i18n import translate

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MIME = "application/atom+xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_PATH = "/alerts/feed.atom"


def cap_path(identifier: str) -> str:
    """Where the CAP message ``identifier`` is served."""
    return f"/alerts/{identifier}.xml"


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, attributes)
    if text is not None:
        element.text = text
    return element


def _entry(feed: ET.Element, alert: Alert, base: str, settings: Settings) -> None:
    sent = alert.sent_at or alert.created_at
    url = f"{base}{cap_path(alert.identifier)}"
    entry = _sub(feed, "entry")
    _sub(entry, "id", url)
    _sub(entry, "title", alert.headline_id, **{XML_LANG: "id"})
    _sub(entry, "updated", cap_time(sent, settings))
    _sub(entry, "published", cap_time(sent, settings))
    summary = f"{alert.event_id} — {alert.area_desc_id}."
    if alert.expires_at is not None:
        summary += f" Berlaku sampai {format_local(alert.expires_at, settings.zone)}."
    _sub(entry, "summary", summary, **{XML_LANG: "id"})
    _sub(entry, "category", term=alert.category.value, label=alert.category.label("id"))
    _sub(entry, "link", rel="alternate", type=CAP_MIME, href=url)
    _sub(
        entry, "link", rel="related", type="text/html", href=f"{base}/peringatan/{alert.identifier}"
    )


def atom_feed(alerts: Iterable[Alert], *, settings: Settings, updated: datetime) -> bytes:
    """The Atom feed listing ``alerts`` (the caller passes those in force), newest first."""
    base = settings.base_url.rstrip("/")
    # Unqualified names under a literal xmlns: ElementTree cannot combine a default namespace
    # with the unqualified attributes Atom uses (rel, type, href).
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: "id"})
    _sub(feed, "id", f"{base}{FEED_PATH}")
    _sub(feed, "title", translate("alerts.atom.title", "id"))
    _sub(feed, "subtitle", translate("alerts.atom.subtitle", "id"))
    _sub(feed, "updated", cap_time(updated, settings))
    author = _sub(feed, "author")
    _sub(author, "name", settings.alert_sender_name)
    _sub(author, "uri", f"{base}/")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{base}{FEED_PATH}")
    _sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/peringatan")
    ordered = sorted(alerts, key=lambda a: (a.sent_at or a.created_at, a.id), reverse=True)
    for alert in ordered:
        _entry(feed, alert, base, settings)
    ET.indent(feed)
    return XML_DECLARATION + ET.tostring(feed, encoding="unicode").encode() + b"\n"
