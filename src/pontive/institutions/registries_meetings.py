"""The registries of the council's meetings and of its recommendations (Perda 9/2022
Pasal 5(3)c), followed to their outcome with reminders before and after their due date.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from pontive.core.registry import Field, Kind, Panel, Registry, ReminderRule, register
from pontive.institutions import panels, validation
from pontive.institutions.choices import OPEN_RECOMMENDATION, RecommendationStatus
from pontive.institutions.models import CouncilMeeting, Recommendation
from pontive.institutions.paths import CONSOLE, DOMAIN
from pontive.institutions.service import MANAGE_COUNCIL, VIEW

MEETINGS = register(
    Registry(
        name="institutions.council-meetings",
        api_slug="council-meetings",
        slug="rapat-dewan",
        model=CouncilMeeting,
        title=("Rapat Dewan", "Council meetings"),
        singular=("Rapat Dewan", "Council meeting"),
        description=(
            "Rapat Dewan dengan agenda, notulen, peserta dan rekomendasinya; dapat ditautkan ke "
            "rapat koordinasi Pontive Center.",
            "Council meetings with agenda, minutes, attendees and recommendations; may link to "
            "a Pontive Center coordination meeting.",
        ),
        fields=(
            Field("title", ("Judul", "Title"), required=True, in_list=True),
            Field(
                "held_at",
                ("Waktu (WIB)", "Held at (WIB)"),
                Kind.DATETIME,
                required=True,
                in_list=True,
                filter=True,
            ),
            Field("place", ("Tempat", "Place"), in_list=True),
            Field("agenda", ("Agenda", "Agenda"), Kind.LONGTEXT),
            Field(
                "summary", ("Ringkasan / notulen", "Summary / minutes"), Kind.LONGTEXT, public=False
            ),
            Field(
                "coordination_code",
                ("Kode rapat koordinasi", "Coordination meeting code"),
                max_length=20,
                in_list=True,
                public=False,
                hint=("Mis. RPT-2026-0003 (opsional).", "E.g. RPT-2026-0003 (optional)."),
            ),
            Field(
                "attendees",
                ("Peserta (satu per baris)", "Attendees (one per line)"),
                Kind.LONGTEXT,
                public=False,
            ),
        ),
        title_field="title",
        order=("held_at",),
        search=("title", "agenda", "place"),
        public=True,
        documents=True,
        validate=validation.check_meeting,
        panels=(Panel("institutions/_panel_meeting.html", panels.meeting_panel),),
        icon="users",
        example={
            "title": "Rapat pleno Dewan Smart City",
            "held_at": "2026-03-10 09:00",
            "place": "Ruang rapat Wali Kota",
            "agenda": "Evaluasi triwulan I\nRencana strategis 2027",
        },
        domain=DOMAIN,
        console=CONSOLE,
        view_action=VIEW,
        edit_action=MANAGE_COUNCIL,
    )
)


def _open_recommendation() -> ColumnElement[bool]:
    return Recommendation.status.in_(OPEN_RECOMMENDATION)


RECOMMENDATIONS = register(
    Registry(
        name="institutions.recommendations",
        api_slug="recommendations",
        slug="rekomendasi",
        model=Recommendation,
        title=("Rekomendasi Dewan", "Council recommendations"),
        singular=("Rekomendasi", "Recommendation"),
        description=(
            "Saran Dewan kepada pemerintah (Pasal 5 ayat 3 huruf c), diikuti sampai hasilnya.",
            "The council's advice to the government (Art. 5(3)c), followed to its outcome.",
        ),
        fields=(
            Field(
                "meeting_id",
                ("Rapat", "Meeting"),
                Kind.REF,
                ref="institutions.council-meetings",
                required=True,
                filter=True,
            ),
            Field("number", ("Nomor", "Number"), required=True, max_length=40, in_list=True),
            Field(
                "text",
                ("Rekomendasi", "Recommendation"),
                Kind.LONGTEXT,
                required=True,
                in_list=True,
            ),
            Field(
                "addressed_to",
                ("Ditujukan kepada (PD)", "Addressed to (agency)"),
                Kind.PD,
                in_list=True,
                filter=True,
                bulk=True,
            ),
            Field(
                "due_on", ("Batas waktu", "Due on"), Kind.DATE, in_list=True, filter=True, bulk=True
            ),
            Field(
                "status",
                ("Status", "Status"),
                Kind.CHOICE,
                required=True,
                choices=RecommendationStatus,
                in_list=True,
                filter=True,
                bulk=True,
                default=RecommendationStatus.DIAJUKAN,
            ),
            Field("outcome", ("Hasil tindak lanjut", "Outcome"), Kind.LONGTEXT, in_list=True),
            Field(
                "programme_code",
                ("Kode program masterplan", "Masterplan programme code"),
                max_length=40,
                filter=True,
                hint=("Mis. GOV-02 (opsional).", "E.g. GOV-02 (optional)."),
            ),
        ),
        title_field="number",
        natural_key="number",
        owner_field="addressed_to",
        parent="meeting_id",
        order=("number",),
        search=("number", "text", "outcome"),
        public=True,
        validate=validation.check_recommendation,
        reminders=(
            ReminderRule(
                "institutions.recommendation.due",
                "due_on",
                days=(14, 7, 0),
                overdue=True,
                when=_open_recommendation,
                subject=("Tindak lanjut rekomendasi Dewan", "Council recommendation follow-up"),
            ),
        ),
        panels=(Panel("institutions/_panel_recommendation.html", panels.recommendation_panel),),
        icon="report",
        example={
            "number": "REK-2026-90",
            "text": "Menyusun standar interoperabilitas data antar-PD.",
            "addressed_to": "diskominfo",
            "due_on": "2027-06-30",
            "status": "diajukan",
            "outcome": "Rancangan standar sedang dibahas bersama Bappeda.",
        },
        domain=DOMAIN,
        console=CONSOLE,
        view_action=VIEW,
        edit_action=MANAGE_COUNCIL,
    )
)
