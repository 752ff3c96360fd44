"""Open311 output: XML and JSON documents, a report as a ``request``, the ``errors`` shape."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from xml.sax.saxutils import escape

import orjson
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from pontive.complaints.choices import UpdateKind
from pontive.complaints.models import CategoryAttribute, Complaint, ServiceCategory
from pontive.complaints.views import public_photo_url
from pontive.core.timeutil import WIB
from pontive.reference import service as reference
from pontive.web.i18n import translate

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# An element holding a list → the element of each item (XML); JSON drops the wrappers.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
# Field names of ComplaintCreate (and the service's errors) → the parameter the client sent.
PARAMETER_NAMES = {
    "category_code": "service_code",
    "lon": "long",
    "address": "address_string",
    "name": "first_name",
    "location": "lat",
    "photos": "media",
    "contact": "email",
}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(_XML_ILLEGAL.sub("", str(value)))


def _xml_element(tag: str, value: object, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append(f"<{tag}>")
        for key, item in value.items():
            _xml_element(key, item, out)
        out.append(f"</{tag}>")
    elif isinstance(value, list):
        out.append(f"<{tag}>")
        for item in value:
            _xml_element(ITEM_TAGS[tag], item, out)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{_xml_text(value)}</{tag}>")


def to_xml(root: str, body: dict[str, Any] | list[Any]) -> bytes:
    """The XML document: declaration, then ``root``, one line per item of a list."""
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    if isinstance(body, list):
        out.append(f"<{root}>\n")
        for item in body:
            _xml_element(ITEM_TAGS[root], item, out)
            out.append("\n")
        out.append(f"</{root}>\n")
    else:
        _xml_element(root, body, out)
        out.append("\n")
    return "".join(out).encode()


def respond(
    fmt: str, root: str, body: dict[str, Any] | list[Any], *, max_age: int = 0, status: int = 200
) -> Response:
    """The body in the asked format, cached publicly for ``max_age`` seconds (or never)."""
    content = orjson.dumps(body) if fmt == "json" else to_xml(root, body)
    headers = (
        {"Cache-Control": f"public, max-age={max_age}", "Vary": "Accept-Language"}
        if max_age
        else {"Cache-Control": "no-store"}
    )
    return Response(content, status_code=status, media_type=CONTENT_TYPES[fmt], headers=headers)


def _open311_status(status: int) -> int:
    # Open311: 403 for the api_key, 404 for unknown things, 400 for anything else.
    if status in (401, 403):
        return 403
    if status in (404, 405, 429) or status >= 500:
        return status
    return 400


def render_error(
    request: Request, status: int, message: str, errors: dict[str, list[str]]
) -> Response:
    """Any error under ``/open311/`` as an Open311 ``errors`` list, in the asked format."""
    fmt = "json" if request.url.path.endswith(".json") else "xml"
    code = _open311_status(status)
    items = [
        {"code": code, "description": f"{PARAMETER_NAMES.get(field, field)}: {text}"}
        for field, texts in errors.items()
        for text in texts
    ] or [{"code": code, "description": message}]
    return respond(fmt, "errors", items, status=code)


def messages(key: str, **values: object) -> tuple[str, str]:
    """A message in Bahasa Indonesia and English, for our errors."""
    return translate(key, "id", **values), translate(key, "en", **values)


def _w3c(moment: datetime) -> str:
    return moment.astimezone(WIB).replace(microsecond=0).isoformat()


def _end_of_day(day: date) -> str:
    return datetime.combine(day, time(23, 59, 59), tzinfo=WIB).isoformat()


def service_item(category: ServiceCategory, lang: str) -> dict[str, Any]:
    """A category as an Open311 ``service``."""
    return {
        "service_code": category.code,
        "service_name": category.name(lang),
        "description": category.description_en if lang == "en" else category.description_id,
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": ", ".join(category.keywords.split()),
        "group": category.group,
    }


def attribute_item(attribute: CategoryAttribute, lang: str) -> dict[str, Any]:
    """An extra question as an Open311 ``attribute`` of a service definition."""
    item: dict[str, Any] = {
        "variable": True,
        "code": attribute.code,
        "datatype": attribute.datatype.value,
        "required": attribute.required,
        "datatype_description": attribute.datatype.label(lang),
        "order": attribute.order,
        "description": attribute.description_en if lang == "en" else attribute.description_id,
    }
    if attribute.values:
        item["values"] = [
            {"key": value["key"], "name": value["name_en" if lang == "en" else "name_id"]}
            for value in attribute.values
        ]
    return item


def _status_notes(complaint: Complaint) -> str | None:
    # The reason given with the latest public state change (None when it had none).
    for update in reversed(complaint.updates):
        if update.is_public and update.kind is UpdateKind.STATUS:
            return update.message or None
    return None


def _media_url(complaint: Complaint, base_url: str) -> str | None:
    for photo in complaint.photos:
        if photo.is_public and not photo.is_fix:
            return base_url + public_photo_url(photo)
    return None


def service_notice(complaint: Complaint, agency: str, lang: str) -> str | None:
    """What the agency promises while the report is open (by its due date when known)."""
    if not complaint.status.is_open:
        return None
    if complaint.due_on is None:
        days = complaint.category.sla_days
        return translate("open311.service_notice", lang, agency=agency, days=days)
    due = complaint.due_on.isoformat()
    return translate("open311.service_notice_due", lang, agency=agency, due=due)


def _request_fields(
    complaint: Complaint, agencies: dict[str, str], base_url: str, lang: str
) -> dict[str, Any]:
    # Public fields only: the moderated text, never the reporter's name, phone or e-mail.
    agency = agencies.get(complaint.pd_kode, complaint.pd_kode)
    return {
        "service_request_id": complaint.tracking_number,
        "status": complaint.status.open311,
        "status_notes": _status_notes(complaint),
        "service_name": complaint.category.name(lang),
        "service_code": complaint.category.code,
        "description": complaint.public_description,
        "agency_responsible": agency,
        "service_notice": service_notice(complaint, agency, lang),
        "requested_datetime": _w3c(complaint.created_at),
        "updated_datetime": _w3c(complaint.updated_at),
        "expected_datetime": _end_of_day(complaint.due_on) if complaint.due_on else None,
        "address": complaint.address,
        "address_id": None,
        "zipcode": None,
        "lat": complaint.lat,
        "long": complaint.lon,
        "media_url": _media_url(complaint, base_url),
    }


def requests_body(
    session: Session, request: Request, complaints: list[Complaint], lang: str
) -> list[dict[str, Any]]:
    """Reports as Open311 ``request`` items (public fields only)."""
    agencies = {
        pd.kode: pd.nama
        for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }
    base_url = request.app.state.settings.base_url.rstrip("/")
    return [_request_fields(complaint, agencies, base_url, lang) for complaint in complaints]
