"""Open311 parameters: the filters of GET ``requests``, the fields of a POST (empty = absent)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.requests import Request

from pontive.complaints import service
from pontive.complaints.choices import OPEN_STATUSES, ComplaintStatus, Source
from pontive.complaints.models import ServiceCategory
from pontive.complaints.open311_format import messages
from pontive.complaints.schemas import ComplaintCreate
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.timeutil import utcnow
from pontive.web.i18n import translate

log = logging.getLogger(__name__)

MAX_REQUESTS = 1000  # Open311: "90 days or first 1000 requests, whichever is smallest"
WINDOW = timedelta(days=90)
MEDIA_URL_MAX = 500
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
# "+07:00" arrives as " 07:00" when a client forgets to percent-encode the query string.
_UNENCODED_PLUS = re.compile(r" (\d\d:?\d\d)$")


def category_or_404(session: Session, code: str) -> ServiceCategory:
    """An active category, or the Open311 "service not found" error."""
    try:
        return service.get_category(session, code)
    except NotFound:
        raise NotFound(*messages("open311.service_not_found", value=code)) from None


def catalogued_or_404(session: Session, code: str) -> service.CategorySnapshot:
    """An active category from the cached catalogue, or "service not found" (for a POST)."""
    try:
        return service.find_category(session, code)
    except NotFound:
        raise NotFound(*messages("open311.service_not_found", value=code)) from None


def _comma_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _positive_int(
    params: dict[str, str], name: str, default: int, errors: dict[str, list[str]], lang: str
) -> int:
    text = params.get(name)
    if text is None:
        return default
    # ASCII digits only ("²".isdigit() is true), and few enough to be a page number.
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) < 1:
        errors[name] = [translate("open311.positive_integer", lang)]
        return default
    return int(text)


def _datetime(
    params: dict[str, str], name: str, errors: dict[str, list[str]], lang: str
) -> datetime | None:
    text = params.get(name)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(_UNENCODED_PLUS.sub(r"+\1", text))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:  # Open311: the time zone is mandatory
        errors[name] = [translate("open311.not_a_datetime", lang)]
        return None
    return moment


def _window(
    params: dict[str, str], errors: dict[str, list[str]], lang: str
) -> tuple[datetime | None, datetime | None]:
    start = _datetime(params, "start_date", errors, lang)
    end = _datetime(params, "end_date", errors, lang)
    if "start_date" in errors or "end_date" in errors:
        return None, None
    # Open311: the default is the last 90 days, and a range may not be longer.
    if start is None:
        end = end or utcnow()
        start = end - WINDOW
    elif end is None:
        end = start + WINDOW
    if start > end:
        errors["start_date"] = [translate("open311.date_order", lang)]
    elif end - start > WINDOW:
        errors["end_date"] = [translate("open311.date_range", lang)]
    return start, end


def _statuses(
    params: dict[str, str], errors: dict[str, list[str]], lang: str
) -> frozenset[ComplaintStatus]:
    asked = {value.lower() for value in _comma_list(params.get("status"))}
    if not asked <= {"open", "closed"}:
        errors["status"] = [translate("open311.status_unknown", lang)]
    if asked == {"open"}:
        return frozenset(OPEN_STATUSES)
    if asked == {"closed"}:
        return frozenset(set(ComplaintStatus) - OPEN_STATUSES)
    return frozenset()


def list_query(params: dict[str, str], lang: str) -> tuple[service.ComplaintFilter, int, int]:
    """The filter and paging of GET ``requests``; every bad parameter is reported at once."""
    errors: dict[str, list[str]] = {}
    page = _positive_int(params, "page", 1, errors, lang)
    page_size = _positive_int(params, "page_size", MAX_REQUESTS, errors, lang)
    if page_size > MAX_REQUESTS:
        errors["page_size"] = [translate("open311.page_size_max", lang)]
    ids = _comma_list(params.get("service_request_id"))
    if ids:  # Open311: a list of ids overrides every other argument
        if len(ids) > MAX_REQUESTS:
            errors["service_request_id"] = [translate("open311.too_many_ids", lang)]
        filters = service.ComplaintFilter(
            tracking_numbers=frozenset(i.upper() for i in ids), public_only=True
        )
    else:
        start, end = _window(params, errors, lang)
        filters = service.ComplaintFilter(
            statuses=_statuses(params, errors, lang),
            category_codes=frozenset(_comma_list(params.get("service_code"))),
            created_from=start,
            created_to=end,
            public_only=True,
        )
    if errors:
        raise InvalidInput(errors=errors)
    return filters, page, page_size


@dataclass(frozen=True, slots=True)
class Submission:
    """The parameters of a POST, from the query string and the (form or multipart) body."""

    fields: dict[str, str]
    attributes: dict[str, str | list[str]]
    media_urls: list[str]
    uploads: list[service.Upload]


async def read_submission(request: Request) -> Submission:
    """Parse ``attribute[code]``, ``attribute[code][]``, repeated ``media_url`` and files."""
    form = await request.form()
    fields: dict[str, str] = {}
    attributes: dict[str, str | list[str]] = {}
    media_urls: list[str] = []
    uploads: list[service.Upload] = []
    # The PyPI open311 client sends api_key and jurisdiction_id in the query string.
    for name, raw in [*request.query_params.multi_items(), *form.multi_items()]:
        if isinstance(raw, UploadFile):  # v2.1 draft / three: multipart photo uploads
            if raw.filename:
                uploads.append(service.Upload(raw.filename, await raw.read()))
            continue
        value = raw.strip()
        if not value:
            continue  # Open311: empty is absent
        if match := _ATTRIBUTE.match(name):
            _add_attribute(attributes, match.group(1), value, is_list=bool(match.group(2)))
        elif name == "media_url":
            media_urls.append(value)
        else:
            fields[name] = value
    await form.close()  # the uploads' temporary files
    return Submission(fields, attributes, media_urls, uploads)


def _add_attribute(
    attributes: dict[str, str | list[str]], code: str, value: str, *, is_list: bool
) -> None:
    earlier = attributes.get(code)
    if earlier is None:
        attributes[code] = [value] if is_list else value
    elif isinstance(earlier, list):
        earlier.append(value)
    else:  # attribute[code] repeated without brackets: still a list of values
        attributes[code] = [earlier, value]


def _location(
    fields: dict[str, str], errors: dict[str, list[str]], lang: str
) -> tuple[float | None, float | None, str]:
    coordinates: dict[str, float] = {}
    for name in ("lat", "long"):
        if name in fields:
            try:
                coordinates[name] = float(fields[name])
            except ValueError:
                errors[name] = [translate("open311.not_a_number", lang)]
    address = fields.get("address_string") or fields.get("address_id", "")
    if len(coordinates) == 1 and not errors:  # one half of a point
        missing = "long" if "lat" in coordinates else "lat"
        errors[missing] = [translate("open311.required", lang)]
    elif not coordinates and not address and not errors:
        errors["lat"] = [translate("open311.location_required", lang)]
    return coordinates.get("long"), coordinates.get("lat"), address


def _media_urls(urls: list[str], errors: dict[str, list[str]], lang: str) -> list[str]:
    for url in urls:
        if not url.startswith(("http://", "https://")) or len(url) > MEDIA_URL_MAX:
            errors["media_url"] = [translate("open311.media_url_invalid", lang)]
    return urls


def complaint_data(session: Session, submission: Submission, lang: str) -> ComplaintCreate:
    """A POST's fields as a new report (the contact, if any, is sealed by the service)."""
    fields = submission.fields
    code = fields.get("service_code")
    if code is None:
        raise InvalidInput(errors={"service_code": [translate("open311.required", lang)]})
    category = catalogued_or_404(session, code)
    errors: dict[str, list[str]] = {}
    lon, lat, address = _location(fields, errors, lang)
    media_urls = _media_urls(submission.media_urls, errors, lang)
    if errors:
        raise InvalidInput(errors=errors)
    unknown = set(submission.attributes) - {attribute.code for attribute in category.attributes}
    if unknown:  # accepted and logged, as open311-adapter does
        log.info("open311: ignoring unknown attributes %s for %s", sorted(unknown), code)
    name = " ".join(fields[part] for part in ("first_name", "last_name") if part in fields)
    has_contact = "phone" in fields or "email" in fields
    values = {
        "category_code": code,
        "description": fields.get("description") or category.name(lang),
        "lon": lon,
        "lat": lat,
        "address": address,
        "is_anonymous": not has_contact,
        "name": name or None,
        "phone": fields.get("phone"),
        "email": fields.get("email"),
        # Consent is implied by the client app's terms of use (see the module docstring).
        "consent": bool(name) or has_contact,
        "attributes": {
            **submission.attributes,
            **({"media_url": media_urls} if media_urls else {}),
        },
        "source": Source.OPEN311,
    }
    try:
        return ComplaintCreate.model_validate(values)
    except ValidationError as error:
        fields_errors: dict[str, list[str]] = {}
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "_"
            fields_errors.setdefault(field, []).append(item["msg"])
        raise InvalidInput(errors=fields_errors) from None
