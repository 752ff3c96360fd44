"""What the public complaint pages show of a report or a category, by the public-data rule
of ``views.py``; built here, not in templates, with the same overdue/fixed rules and names."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from pontive.complaints.choices import AttributeType, UpdateKind
from pontive.complaints.models import Complaint, ComplaintUpdate, ServiceCategory
from pontive.complaints.views import (
    Names,
    is_fixed,
    is_overdue,
    is_public_update,
    load_names,
    public_photo_url,
)
from pontive.core.timeutil import WIB

# Answers shown publicly: choices and numbers; free text may carry personal details.
PUBLIC_ATTRIBUTE_TYPES = frozenset(
    {AttributeType.NUMBER, AttributeType.SINGLEVALUELIST, AttributeType.MULTIVALUELIST}
)


def category_groups(categories: list[ServiceCategory]) -> list[tuple[str, list[ServiceCategory]]]:
    """Categories grouped for choosing (``group`` as the heading), in catalogue order."""
    groups: dict[str, list[ServiceCategory]] = defaultdict(list)
    for category in categories:
        groups[category.group or "Lainnya"].append(category)
    return sorted(groups.items())


def category_json(category: ServiceCategory, lang: str) -> dict[str, Any]:
    """A category with its extra questions (Open311 attributes), in ``lang``."""
    en = lang == "en"
    return {
        "code": category.code,
        "name": category.name(lang),
        "description": category.description_en if en else category.description_id,
        "photo_expected": category.photo_expected,
        "sla_days": category.sla_days,
        "attributes": [
            {
                "code": attribute.code,
                "datatype": attribute.datatype.value,
                "required": attribute.required,
                "description": attribute.description_en if en else attribute.description_id,
                "values": [
                    {"key": v["key"], "name": v["name_en"] if en else v["name_id"]}
                    for v in attribute.values
                ],
            }
            for attribute in category.attributes
        ],
    }


def public_item(complaint: Complaint, lang: str, names: Names) -> dict[str, Any]:
    """A report as a list row, a map marker or a "nearby" suggestion (JSON-safe)."""
    kelurahan, kecamatan = names.place(complaint)
    text = complaint.public_description
    return {
        "tracking_number": complaint.tracking_number,
        "url": f"/lapor/{complaint.tracking_number}",
        "category": complaint.category.name(lang),
        "category_code": complaint.category.code,
        "summary": text if len(text) <= 160 else text[:157].rstrip() + "…",
        "status": complaint.status.value,
        "status_label": complaint.status.label(lang),
        "colour": complaint.status.meta.colour,
        "is_fixed": is_fixed(complaint),
        "is_overdue": is_overdue(complaint),
        "kelurahan": kelurahan,
        "kecamatan": kecamatan,
        "lon": complaint.lon,
        "lat": complaint.lat,
        "created_at": complaint.created_at.isoformat(),
        "created_on": local_date(complaint.created_at),
    }


def _who(update: ComplaintUpdate, pd_names: dict[str, str]) -> str:
    if update.kind is UpdateKind.STATUS and update.status_from is None:
        return "system"  # received
    if update.kind is UpdateKind.REPORTER or update.actor == "anonymous":
        return "reporter"
    if update.actor_pd_kode:
        return pd_names.get(update.actor_pd_kode, update.actor_pd_kode)
    return "center"


def _attribute_answers(complaint: Complaint, lang: str) -> list[tuple[str, str]]:
    answers = []
    for attribute in complaint.category.attributes:
        value = complaint.attributes.get(attribute.code)
        if value in (None, "", []) or attribute.datatype not in PUBLIC_ATTRIBUTE_TYPES:
            continue
        names = {v["key"]: v["name_en" if lang == "en" else "name_id"] for v in attribute.values}
        shown = [names.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value])]
        label = attribute.description_en if lang == "en" else attribute.description_id
        answers.append((label, ", ".join(shown)))
    return answers


def complaint_view(
    session: Session, complaint: Complaint, lang: str, token: str | None
) -> dict[str, Any]:
    """Everything a report's page shows; the reporter (``token``) also sees unmoderated photos."""
    names = load_names(session, [complaint])
    item = public_item(complaint, lang, names)
    photos = [
        {
            "url": public_photo_url(p) + ("" if p.is_public else f"?k={token}"),
            "is_fix": p.is_fix,
            "is_pending": not p.is_public,
        }
        for p in complaint.photos
        if p.is_public or token
    ]
    timeline = [
        {
            "kind": u.kind.value,
            "status_to": u.status_to,
            "message": u.message,
            "created_at": u.created_at,
            "who": _who(u, names.pd),
        }
        for u in complaint.updates
        if is_public_update(u)
    ]
    return item | {
        "description": complaint.public_description,
        "address": complaint.address,
        "status_enum": complaint.status,
        "pd": names.pd.get(complaint.pd_kode, complaint.pd_kode),
        "created": complaint.created_at,
        "updated": complaint.updated_at,
        "resolved": complaint.resolved_at,
        "closed": complaint.closed_at,
        "due_on": complaint.due_on,
        "is_paused": complaint.paused_at is not None,
        "duplicate_of": names.original(complaint),
        "photos": photos,
        "timeline": list(reversed(timeline)),
        "answers": _attribute_answers(complaint, lang),
        "rating": complaint.rating,
        "rating_comment": complaint.rating_comment if token else None,
    }


def local_date(value: datetime | date | None) -> str:
    """A WIB calendar date as ``dd-mm-yyyy``."""
    if value is None:
        return "-"
    day = value.astimezone(WIB).date() if isinstance(value, datetime) else value
    return day.strftime("%d-%m-%Y")
