"""A stakeholder offers its technology through the public form (Pasal 22f).

What it sends lands in the registry as *diajukan* and not public, written through the
registry store (so the same checks, history and audit apply) under the public form's name;
the technical team and Diskominfo's officers are told. Only staff verify and publish it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import TechnologyStatus
from pontive.assets.wifi_models import StakeholderTechnology
from pontive.assets.wifi_registries import TECHNOLOGIES
from pontive.assets.wifi_service import DEFAULT_PD, PUBLIC_FORM
from pontive.complaints import service as complaints
from pontive.core.errors import InvalidInput
from pontive.core.ratelimit import SlidingWindowLimiter
from pontive.core.registry import Text, pick
from pontive.core.roles import Role
from pontive.registry import store

SUBMISSIONS_PER_HOUR = 5
# What the public form may set; everything else (status, publication, verification, notes)
# is the staff's.
PUBLIC_FIELDS = (
    "name",
    "organisation",
    "stakeholder_kind",
    "technology_kind",
    "description",
    "coverage",
    "website",
    "contact_name",
    "contact_phone",
    "contact_email",
)
MESSAGES: dict[str, Text] = {
    "contact": ("Isi nomor telepon atau e-mail narahubung.", "Give a contact phone or e-mail."),
    "name": ("Isi nama narahubung.", "Give the contact person's name."),
    "consent": (
        "Setujui pemakaian data kontak untuk memverifikasi pengajuan.",
        "Agree to the use of the contact details to verify the submission.",
    ),
    "invalid": ("Periksa kolom yang ditandai.", "See the marked fields."),
}


def submission_limiter(app_state: Any) -> SlidingWindowLimiter:
    """The app's one quota of public technology submissions per client address."""
    limiter: SlidingWindowLimiter | None = getattr(app_state, "wifi_tech_limiter", None)
    if limiter is None:
        limiter = SlidingWindowLimiter(SUBMISSIONS_PER_HOUR, 3600)
        app_state.wifi_tech_limiter = limiter
    return limiter


def _contact_errors(values: Mapping[str, str], consent: bool, lang: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not values.get("contact_name", "").strip():
        errors["contact_name"] = [pick(MESSAGES["name"], lang)]
    if not (values.get("contact_phone", "").strip() or values.get("contact_email", "").strip()):
        errors["contact_phone"] = [pick(MESSAGES["contact"], lang)]
    if not consent:
        errors["consent"] = [pick(MESSAGES["consent"], lang)]
    return errors


def submit_technology(
    session: Session, values: Mapping[str, str], *, consent: bool, lang: str = "id"
) -> StakeholderTechnology:
    """Store a public submission as *diajukan* and tell staff; ``InvalidInput`` with every
    field error (the registry's and the form's own) otherwise. Commits."""
    raw: dict[str, Any] = {name: values.get(name, "") for name in PUBLIC_FIELDS}
    raw |= {"status": TechnologyStatus.DIAJUKAN.value, "is_public": "false"}
    errors = _contact_errors(values, consent, lang)
    try:
        store.check(session, TECHNOLOGIES, raw, lang=lang)
    except InvalidInput as invalid:
        errors = invalid.errors | errors
    if errors:
        raise InvalidInput(*MESSAGES["invalid"], errors=errors)
    row: StakeholderTechnology = store.save_row(
        session, TECHNOLOGIES, PUBLIC_FORM, raw, via="form", lang=lang
    )
    complaints.queue_to_staff(
        session,
        subject=f"Pengajuan teknologi mitra: {row.name}",
        body=(
            f"{row.organisation} mengajukan {row.name} ({row.technology_kind.label('id')}) "
            f"lewat formulir publik. Periksa dan verifikasi di {TECHNOLOGIES.path}/{row.id}."
        ),
        roles=(Role.TIM_TEKNIS,),
        pd_kode=DEFAULT_PD,
    )
    session.commit()
    return row
