"""Personal data of assets (UU 27/2022): contact persons of Wi-Fi providers and of other
stakeholders' technology, and the pseudonymous key of who reported a hotspot.

Erasure decisions: contact persons' names, phones and e-mails are cleared (the hotspot or
technology stays in the registry); a Wi-Fi report keeps its tracking number and status but
its reporter key becomes random, so it no longer counts the person against a repeat report.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_

from pontive.assets.assessment_models import AssessmentFinding, AssessmentTemplate
from pontive.assets.models import InfraAsset, Integration, Site, System
from pontive.assets.wifi_models import StakeholderTechnology, WifiHotspot, WifiReport
from pontive.privacy.declare import (
    Basis,
    Category,
    Context,
    Erase,
    Lookup,
    NotPersonal,
    Personal,
    Retention,
    Source,
    Subject,
    SubjectQuery,
    declare,
    names_of_things,
    not_personal,
)

CONTACT_PURPOSE = (
    "Menghubungi penyedia tentang layanannya (Perda 9/2022 Pasal 22e-f)",
    "Contacting a provider about its service (Perda 9/2022 Art. 22e-f)",
)
WHILE_LISTED = (
    "Selama tercatat di registri; dihapus atas permintaan",
    "While listed in the registry; erased on request",
)


def _wifi_reports(query: SubjectQuery) -> ColumnElement[bool] | None:
    if query.lookup is not Lookup.TRACKING:
        return None
    return WifiReport.tracking_number == query.normalised


declare(
    Source(
        name="assets.wifi_contacts",
        model=WifiHotspot,
        label=("Narahubung hotspot Wi-Fi", "Wi-Fi hotspot contacts"),
        subject=Subject.NARAHUBUNG,
        purpose=CONTACT_PURPOSE,
        basis=Basis.PERSETUJUAN,
        personal=(Personal(WifiHotspot.contact, Category.KONTAK, ("Narahubung", "Contact")),),
        retention_rule=WHILE_LISTED,
        scan_contact=(WifiHotspot.contact,),
        context=(
            Context(WifiHotspot.code, ("Kode", "Code")),
            Context(WifiHotspot.name, ("Nama hotspot", "Hotspot")),
        ),
        not_personal=(
            NotPersonal(WifiHotspot.name, "the hotspot's name"),
            NotPersonal(WifiHotspot.provider_name, "a provider organisation"),
            NotPersonal(WifiHotspot.address, "where a public hotspot is"),
            NotPersonal(WifiHotspot.owner_pd, "the owning agency"),
        ),
    )
)

declare(
    Source(
        name="assets.wifi_reports",
        model=WifiReport,
        label=("Laporan gangguan Wi-Fi", "Wi-Fi fault reports"),
        subject=Subject.PELAPOR,
        purpose=(
            "Menghitung satu pelapor sekali saat menilai gangguan",
            "Counting each reporter once when judging a fault",
        ),
        basis=Basis.TUGAS_PUBLIK,
        personal=(
            Personal(
                WifiReport.reporter_key,
                Category.PENGENAL,
                ("Kunci pelapor", "Reporter key"),
                Erase.RANDOM,
            ),
        ),
        retention_rule=(
            "Diacak {days} hari setelah laporan ditutup (PONTIVE_PRIVACY_REPORTER_CONTACT_DAYS)",
            "Randomised {days} days after the report closed "
            "(PONTIVE_PRIVACY_REPORTER_CONTACT_DAYS)",
        ),
        retention=Retention(
            "privacy_reporter_contact_days",
            lambda cutoff: and_(WifiReport.is_open.is_(False), WifiReport.checked_at < cutoff),
        ),
        find=_wifi_reports,
        context=(
            Context(WifiReport.tracking_number, ("Nomor laporan", "Tracking number")),
            Context(WifiReport.reported_at, ("Dilaporkan", "Reported")),
        ),
    )
)

declare(
    Source(
        name="assets.stakeholder_contacts",
        model=StakeholderTechnology,
        label=("Narahubung teknologi pemangku kepentingan", "Stakeholder technology contacts"),
        subject=Subject.NARAHUBUNG,
        purpose=CONTACT_PURPOSE,
        basis=Basis.PERSETUJUAN,
        personal=(
            Personal(StakeholderTechnology.contact_name, Category.IDENTITAS, ("Nama", "Name")),
            Personal(StakeholderTechnology.contact_phone, Category.KONTAK, ("Telepon", "Phone")),
            Personal(StakeholderTechnology.contact_email, Category.KONTAK, ("E-mail", "E-mail")),
        ),
        retention_rule=WHILE_LISTED,
        scan_contact=(StakeholderTechnology.contact_phone, StakeholderTechnology.contact_email),
        context=(
            Context(StakeholderTechnology.name, ("Teknologi", "Technology")),
            Context(StakeholderTechnology.organisation, ("Organisasi", "Organisation")),
        ),
        not_personal=(NotPersonal(StakeholderTechnology.name, "the technology's name"),),
    )
)

names_of_things(
    AssessmentTemplate.name,
    InfraAsset.name,
    InfraAsset.model_name,
    Integration.name,
    Site.name,
    System.name,
)
not_personal(
    NotPersonal(AssessmentFinding.owner_pd, "the agency that owns the finding"),
    NotPersonal(Site.address, "where a city site is"),
)
