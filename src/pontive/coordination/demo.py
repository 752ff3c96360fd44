"""Demo coordination for ``pontive demo load``, made through the services as the command
center would have done it:

- last week's tidal flood on the Landak (the alerts demo's flood alert): an incident opened
  from the alert, nearby cameras and reports linked, tasks for BPBD, PUPR, Dinsos and Dishub,
  a coordination meeting whose decisions became tasks, signed-off minutes, the incident closed
  with its summary and lessons, and its report published;
- today: a fallen tree blocking Jl. Ahmad Yani, being handled, with a PUPR task in progress,
  a Dishub task past its due time (escalated) and tomorrow's meeting on trees at risk.

Places are real; people, numbers and texts are DEMO VALUES.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.choices import MsgType
from pontive.alerts.models import Alert
from pontive.coordination import from_alerts, links, meetings, reports, service, tasks
from pontive.coordination.choices import EntryKind, LinkType
from pontive.coordination.models import Incident, Meeting, Task
from pontive.coordination.tasks import TaskInput
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import Actor, ActorKind
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.settings import get_settings

# Jl. Ahmad Yani by the Mega Mall (Bansir Laut, Pontianak Tenggara).
AHMAD_YANI = (109.3436, -0.0577)


def _user(session: Session, role: Role, pd_kode: str | None, fallback: Actor) -> Actor:
    query = select(User).where(User.role == role, User.is_active.is_(True))
    if pd_kode is not None:
        query = query.where(User.pd_kode == pd_kode)
    user = session.scalars(query.order_by(User.id)).first()
    if user is None:
        return fallback
    return Actor(
        kind=ActorKind.USER, role=user.role, id=user.id, name=user.username, pd_kode=user.pd_kode
    )


def _flood_alert(session: Session) -> Alert | None:
    return session.scalars(
        select(Alert)
        .where(Alert.event_id == "Banjir pasang", Alert.msg_type == MsgType.ALERT)
        .order_by(Alert.id)
    ).first()


def _link_nearby(
    session: Session, operator: Actor, incident: Incident, at: datetime, words: tuple[str, ...]
) -> int:
    """Link the nearby cameras and stations, and the nearby reports that are about it."""
    found = links.suggestions(session, actor=operator, incident=incident, radius_m=1500)
    reports = [c for c in found[LinkType.COMPLAINT] if any(w in c.label.lower() for w in words)]
    items = [
        (candidate.item_type.value, candidate.item_ref)
        for candidate in [*found[LinkType.CAMERA][:2], *reports[:3], *found[LinkType.STATION][:2]]
    ]
    return len(links.link_all(session, actor=operator, incident=incident, items=items, now=at))


def _last_weeks_flood(
    session: Session, operator: Actor, officers: dict[str, Actor], media: MediaStore
) -> Incident | None:
    alert = _flood_alert(session)
    if alert is None or alert.sent_at is None:
        return None
    start = alert.sent_at
    incident = from_alerts.open_from_alert(
        session, actor=operator, alert=alert, lead_pd_kode="bpbd",
        agencies=("pupr", "dinsos", "kec-timur"), now=start + timedelta(minutes=6),
    )  # fmt: skip
    if incident is None:
        return None
    _link_nearby(
        session,
        operator,
        incident,
        start + timedelta(minutes=9),
        ("banjir", "genangan", "parit", "saluran"),
    )
    service.set_status(
        session, actor=operator, incident=incident, status="ditangani",
        note="Tim reaksi cepat BPBD tiba di Tanjung Hulu.", now=start + timedelta(minutes=24),
    )  # fmt: skip
    service.add_entry(
        session, actor=officers.get("bpbd", operator), incident=incident, kind=EntryKind.UPDATE,
        text="Sekitar 85 rumah di tepi Sungai Landak tergenang 20-40 cm; 12 warga lansia "
        "perlu dievakuasi. Arus di bawah Jembatan Kapuas I deras.",
        now=start + timedelta(minutes=52),
    )  # fmt: skip
    plan = (
        ("bpbd", "Evakuasi warga lansia ke Aula Kantor Camat Pontianak Timur", "mendesak", 2),
        ("pupr", "Operasikan pompa portabel di Parit Tanjung Hulu", "tinggi", 3),
        ("dinsos", "Dapur umum di posko Aula Kantor Camat", "tinggi", 4),
    )
    for pd, title, priority, hours in plan:
        tasks.create_task(
            session, actor=operator, incident=incident, now=start + timedelta(minutes=40),
            data=TaskInput(title, pd, priority, start + timedelta(hours=hours)),
        )  # fmt: skip
    meeting = meetings.create_meeting(
        session, actor=operator, now=start + timedelta(hours=1),
        data=meetings.MeetingInput(
            title="Rapat koordinasi penanganan banjir pasang Tanjung Hulu",
            starts_at=start + timedelta(hours=3), place="Pontive Center, Lantai 2",
            chair="Kepala Pelaksana BPBD Kota Pontianak",
            agenda="Situasi muka air dan genangan\nEvakuasi dan posko\nPompa dan saluran\n"
            "Lalu lintas Jembatan Kapuas I",
            incident_code=incident.code,
            attendees=[
                ("bpbd", "Kepala Pelaksana BPBD"), ("pupr", "Kabid Sumber Daya Air"),
                ("dinsos", "Kabid Perlindungan Sosial"), ("dishub", "Kabid Lalu Lintas"),
                ("kec-timur", "Camat Pontianak Timur"), ("dinkes", "Kabid P2P"),
            ],
        ),
    )  # fmt: skip
    _hold_meeting(session, operator, meeting, start)
    finished = start + timedelta(hours=8)
    for task in session.scalars(select(Task).where(Task.incident_id == incident.id)):
        if task.due_at is not None and task.due_at > start + timedelta(days=1):
            continue  # the drains: still being cleaned before the next spring tide
        worker = officers.get(task.pd_kode, operator)
        tasks.move_task(
            session, actor=worker, task=task, status="dikerjakan",
            now=task.created_at + timedelta(minutes=15),
        )  # fmt: skip
        done = min(finished, (task.due_at or finished) - timedelta(minutes=20))
        tasks.move_task(
            session, actor=worker, task=task, status="selesai", now=done,
            note="Selesai dikerjakan; dilaporkan di grup koordinasi dengan foto.",
        )  # fmt: skip
    service.set_status(
        session, actor=operator, incident=incident, status="terkendali",
        note="Air surut di bawah status Waspada sejak 04.10 WIB.",
        now=start + timedelta(hours=9, minutes=15),
    )  # fmt: skip
    meetings.sign_off(
        session, actor=operator, meeting=meeting, media=media,
        signed_by="Kepala Pelaksana BPBD Kota Pontianak, Ir. H. Junaidi, M.T.",
        now=start + timedelta(days=1),
    )  # fmt: skip
    reports.close_incident(
        session, actor=operator, incident=incident, media=media,
        now=start + timedelta(days=1, hours=2),
        summary="Banjir pasang Sungai Landak merendam sekitar 85 rumah di Tanjung Hulu selama "
        "sembilan jam. Dua belas warga lansia dievakuasi ke Aula Kantor Camat Pontianak Timur, "
        "dapur umum melayani 340 porsi, dan dua pompa portabel PUPR menurunkan genangan di "
        "permukiman. Tidak ada korban jiwa.",
        lessons="Peringatan dini dari pos duga air memberi waktu dua jam sebelum air masuk "
        "rumah: cukup bila evakuasi lansia dimulai saat status Siaga. Saluran primer harus "
        "bersih sebelum pasang purnama; pompa portabel perlu disiagakan di pos sejak sore.",
    )  # fmt: skip
    reports.publish_report(
        session, actor=operator, incident=incident, media=media,
        now=start + timedelta(days=1, hours=3),
    )  # fmt: skip
    return incident


def _hold_meeting(session: Session, operator: Actor, meeting: Meeting, start: datetime) -> None:
    held = start + timedelta(hours=4)
    meetings.record_minutes(
        session, actor=operator, meeting=meeting, now=held,
        minutes="Rapat dibuka pukul 21.00 WIB oleh Kalaksa BPBD. Muka air di Pos Tanjung Hulu "
        "mencapai status Awas pukul 20.05 WIB dan diperkirakan bertahan hingga lewat tengah "
        "malam. BPBD telah mengevakuasi 9 dari 12 warga lansia; Dinsos membuka dapur umum. "
        "PUPR mengoperasikan satu pompa dan menyiapkan satu lagi. Dishub melaporkan antrean "
        "kendaraan di Jembatan Kapuas I akibat genangan di Jl. Tanjung Raya.",
        absent=[a.id for a in meeting.attendees if a.pd_kode == "dinkes"],
    )  # fmt: skip
    decisions = (
        ("Dinas PUPR membersihkan saluran primer Tanjung Hulu sebelum pasang purnama "
         "berikutnya.", "pupr", "Bersihkan saluran primer Parit Tanjung Hulu", timedelta(days=9)),
        ("Dishub mengatur lalu lintas di Jl. Tanjung Raya selama air tinggi.", "dishub",
         "Pengaturan arus di Jl. Tanjung Raya dan Jembatan Kapuas I", timedelta(hours=8)),
    )  # fmt: skip
    for number, (text, pd, title, due) in enumerate(decisions, 1):
        at = held + timedelta(minutes=5 * number)
        decision = meetings.add_decision(
            session, actor=operator, meeting=meeting, text=text, now=at
        )
        meetings.decision_to_task(
            session, actor=operator, meeting=meeting, decision_id=decision.id, now=at,
            data=TaskInput(title, pd, "tinggi", start + due),
        )  # fmt: skip


def _fallen_tree(session: Session, operator: Actor, officers: dict[str, Actor], now: datetime
                 ) -> Incident:  # fmt: skip
    opened = now - timedelta(hours=2, minutes=10)
    incident = service.open_incident(
        session, actor=operator, now=opened,
        data=service.IncidentInput(
            title="Pohon angsana tumbang menutup Jl. Ahmad Yani arah Bundaran Digulis",
            kind="pohon_tumbang", severity="sedang", lon=AHMAD_YANI[0], lat=AHMAD_YANI[1],
            description="Hujan deras dan angin kencang pukul 14.30 WIB menumbangkan pohon "
            "angsana di depan Mega Mall; dua lajur tertutup, satu mobil tertimpa ranting, "
            "tidak ada korban.",
            lead_pd_kode="pupr", agencies=["dishub", "dlh"],
        ),
    )  # fmt: skip
    _link_nearby(
        session, operator, incident, opened + timedelta(minutes=4), ("pohon", "lalu lintas")
    )
    service.set_status(
        session, actor=operator, incident=incident, status="ditangani",
        now=opened + timedelta(minutes=25), note="Regu pohon PUPR dan petugas Dishub di lokasi.",
    )  # fmt: skip
    cut = tasks.create_task(
        session, actor=operator, incident=incident, now=opened + timedelta(minutes=12),
        data=TaskInput("Potong dan angkut batang pohon dari badan jalan", "pupr", "mendesak",
                       now + timedelta(hours=1, minutes=30)),
    )  # fmt: skip
    tasks.move_task(
        session, actor=officers.get("pupr", operator), task=cut, status="dikerjakan",
        now=opened + timedelta(minutes=40),
    )  # fmt: skip
    tasks.create_task(
        session, actor=operator, incident=incident, now=opened + timedelta(minutes=14),
        data=TaskInput("Pengalihan arus kendaraan ke Jl. Sultan Abdurrahman", "dishub",
                       "tinggi", now - timedelta(minutes=30)),
    )  # fmt: skip
    service.add_entry(
        session, actor=officers.get("pupr", operator), incident=incident, kind=EntryKind.UPDATE,
        text="Satu lajur sudah dibuka; pemotongan batang utama butuh sekitar satu jam lagi.",
        now=now - timedelta(minutes=20),
    )  # fmt: skip
    tasks.escalate_overdue(session, actor=operator, now=now)
    meetings.create_meeting(
        session, actor=operator, now=now - timedelta(minutes=10),
        data=meetings.MeetingInput(
            title="Evaluasi pohon rawan tumbang di jalan protokol musim hujan",
            starts_at=(now + timedelta(days=1)).replace(minute=0),
            chair="Asisten Perekonomian dan Pembangunan Setda",
            agenda="Laporan kejadian Jl. Ahmad Yani\nInventarisasi pohon rawan\n"
            "Jadwal pemangkasan",
            incident_code=incident.code,
            attendees=[("pupr", "Kabid Pertamanan"), ("dlh", "Kabid Pengelolaan Sampah"),
                       ("dishub", "Kabid Lalu Lintas")],
        ),
    )  # fmt: skip
    return incident


def load(session: Session, actor: Actor) -> str:
    """Load the demo incidents; a one-line summary for ``pontive demo load``."""
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # demo history is not live news: nobody listens to this bus
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        now = utcnow().replace(second=0, microsecond=0)
        operator = _user(session, Role.OPERATOR, None, actor)
        officers = {pd: _user(session, Role.PETUGAS_PD, pd, actor) for pd in ("pupr", "dlh")}
        media = MediaStore(get_settings().media_dir)
        made = [_last_weeks_flood(session, operator, officers, media)]
        made.append(_fallen_tree(session, operator, officers, now))
        session.commit()
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    count = sum(1 for incident in made if incident is not None)
    open_tasks = tasks.open_count(session)
    return f"{count} insiden, {open_tasks} tugas terbuka, rapat koordinasi dan laporan terbit"
