"""Demo reports: ~300 believable Pontianak reports over the last six months, in every state.

Every report is made and moved through the real services (``create_complaint``, the
workflow's transitions, replies, merges, re-routing, reopening and ratings) so timelines,
first responses, resolutions, SLA outcomes and the audit trail are what the platform itself
would produce. After each step the timestamps the step wrote are moved back to the simulated
moment, so the history spreads over months. Deterministic: one seeded random generator.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pontive.complaints import workflow
from pontive.complaints.choices import ComplaintStatus as S
from pontive.complaints.choices import DeliveryStatus, Source
from pontive.complaints.models import Complaint, ComplaintUpdate, Notification, ServiceCategory
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import access_token, create_complaint, list_categories
from pontive.complaints.sla import add_working_days, load_holidays, working_days_between
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference

SEED = 20260301
REPORTS = 300
DAYS = 182
# How often each kind of problem is reported (relative weights, by category code).
CATEGORY_WEIGHTS = {
    "jalan-rusak": 16,
    "sampah": 16,
    "drainase": 12,
    "lampu-jalan": 10,
    "banjir-genangan": 8,
    "pohon-tumbang": 5,
    "fasilitas-umum": 6,
    "lalu-lintas": 5,
    "ketertiban-umum": 5,
    "asap-kebakaran": 3,
    "pelayanan-administrasi": 5,
    "layanan-kesehatan": 4,
}
ATTRIBUTE_ANSWERS: dict[str, Any] = {"nomor_tiang": "PJU-", "kedalaman_cm": 30}
SOURCES = {Source.WEB: 70, Source.WHATSAPP: 12, Source.HOTLINE: 10, Source.LAPOR: 8}
RATINGS = ((5, 40), (4, 30), (3, 15), (2, 10), (1, 5))

DESCRIPTIONS = {
    "jalan-rusak": [
        "Jalan berlubang cukup dalam, sudah beberapa pengendara motor jatuh saat malam hari.",
        "Aspal mengelupas sepanjang kurang lebih 20 meter, kalau hujan jadi kubangan.",
        "Lubang besar di tengah jalan dekat tikungan, sangat berbahaya bagi anak sekolah.",
        "Jalan amblas di tepi parit, badan jalan mulai retak dan turun.",
        "Tambalan jalan bekas galian pipa tidak rata, kendaraan harus mengerem mendadak.",
    ],
    "sampah": [
        "Sampah di TPS sudah tiga hari tidak diangkut, bau menyengat sampai ke rumah warga.",
        "Ada tumpukan sampah liar di lahan kosong, sering dibakar warga pada malam hari.",
        "Sampah menumpuk di parit sehingga air tidak mengalir dan banyak nyamuk.",
        "Kontainer sampah penuh dan meluber ke badan jalan, mengganggu lalu lintas.",
    ],
    "drainase": [
        "Parit di depan rumah tersumbat lumpur dan sampah, air meluap ke jalan saat hujan.",
        "Saluran air tertutup bangunan ruko sehingga air tidak bisa mengalir.",
        "Gorong-gorong di bawah jalan tersumbat, genangan tidak surut berhari-hari.",
        "Parit dangkal dan penuh eceng gondok, airnya hitam dan berbau.",
    ],
    "lampu-jalan": [
        "Lampu penerangan jalan mati sudah seminggu, jalan sangat gelap dan rawan.",
        "Tiga tiang lampu berturut-turut tidak menyala sejak hujan deras minggu lalu.",
        "Lampu jalan berkedip terus lalu mati, kabelnya terlihat menjuntai.",
        "Lampu jalan menyala di siang hari dan mati di malam hari.",
    ],
    "banjir-genangan": [
        "Genangan air setinggi betis setiap hujan lebih dari satu jam.",
        "Air pasang dan hujan membuat jalan tergenang, motor banyak yang mogok.",
        "Air masuk ke rumah warga di gang ini setiap hujan deras.",
    ],
    "pohon-tumbang": [
        "Pohon besar di tepi jalan condong dan akarnya terangkat, dikhawatirkan tumbang.",
        "Dahan pohon patah menimpa kabel listrik dan sebagian menutup jalan.",
        "Pohon tumbang setelah angin kencang, jalan hanya bisa dilewati satu motor.",
    ],
    "fasilitas-umum": [
        "Bangku taman patah dan besi tajamnya mencuat, berbahaya bagi anak-anak.",
        "Toilet umum di taman rusak dan terkunci sejak bulan lalu.",
        "Pagar pembatas di tepi sungai roboh, berbahaya bagi pejalan kaki.",
        "Halte bus atapnya bocor dan lantainya retak.",
    ],
    "lalu-lintas": [
        "Lampu lalu lintas di simpang mati, kendaraan saling serobot pada jam sibuk.",
        "Rambu dilarang parkir roboh tertabrak kendaraan.",
        "Marka zebra cross sudah pudar, pengendara tidak berhenti untuk pejalan kaki.",
    ],
    "ketertiban-umum": [
        "Pedagang berjualan di trotoar sehingga pejalan kaki harus turun ke jalan.",
        "Balap liar setiap malam minggu, sangat bising dan membahayakan.",
        "Parkir liar di depan sekolah menyebabkan macet saat jam pulang.",
    ],
    "asap-kebakaran": [
        "Ada asap tebal dari pembakaran lahan di belakang permukiman.",
        "Warga membakar sampah dalam jumlah besar, asapnya masuk ke rumah-rumah.",
    ],
    "pelayanan-administrasi": [
        "Sudah dua minggu mengurus KK di kantor kelurahan tetapi belum selesai.",
        "Antrean perekaman KTP-el sangat panjang dan nomor antrean habis sejak pagi.",
        "Pengajuan akta kelahiran online tidak ada kabar sejak bulan lalu.",
    ],
    "layanan-kesehatan": [
        "Antrean di puskesmas sangat lama, pasien lansia menunggu lebih dari tiga jam.",
        "Obat yang diresepkan di puskesmas sering kosong.",
        "Petugas pendaftaran puskesmas kurang ramah kepada pasien BPJS.",
    ],
}
STREETS = (
    "Jl. Gajah Mada",
    "Jl. Tanjungpura",
    "Jl. Ahmad Yani",
    "Jl. Imam Bonjol",
    "Jl. Merdeka",
    "Jl. Sultan Abdurrahman",
    "Jl. Hijas",
    "Jl. Kom. Yos Sudarso",
    "Jl. Khatulistiwa",
    "Jl. Parit Haji Husin II",
    "Jl. Purnama",
    "Jl. Karya Baru",
    "Jl. Perdana",
    "Jl. Veteran",
    "Jl. Diponegoro",
    "Jl. Pahlawan",
    "Jl. Tanjung Raya II",
    "Jl. Dr. Wahidin",
    "Jl. Sepakat II",
    "Jl. Gusti Situt Mahmud",
    "Jl. 28 Oktober",
    "Jl. Selat Panjang",
    "Jl. Tabrani Ahmad",
    "Jl. Prof. M. Yamin",
    "Jl. Ampera",
    "Jl. Kota Baru",
    "Jl. Siam",
    "Jl. Podomoro",
)
LANDMARKS = (
    "dekat masjid",
    "depan sekolah",
    "samping warung kopi",
    "dekat pasar",
    "depan gang",
    "seberang puskesmas",
    "dekat jembatan",
    "ujung gang",
)
NAMES = (
    ("Budi", "Santoso"),
    ("Siti", "Aminah"),
    ("Hendra", "Wijaya"),
    ("Nurul", "Hidayah"),
    ("Agus", "Salim"),
    ("Dewi", "Kartika"),
    ("Rudi", "Hartono"),
    ("Yuliana", "Putri"),
    ("Syarif", "Hamid"),
    ("Fitri", "Handayani"),
    ("Ahmad", "Fauzi"),
    ("Lilis", "Suryani"),
    ("Antonius", "Lim"),
    ("Maria", "Ulfa"),
    ("Dedi", "Kurniawan"),
    ("Rahmawati", "Sari"),
    ("Joko", "Prasetyo"),
    ("Vivi", "Tan"),
    ("Muhammad", "Rizki"),
    ("Eka", "Pratiwi"),
)
REJECT_REASONS = (
    "Laporan tidak memuat informasi yang cukup dan lokasi tidak dapat dipastikan.",
    "Isi laporan bukan pengaduan layanan publik (promosi/iklan).",
    "Setelah dicek petugas, kondisi di lokasi sesuai standar dan tidak ditemukan masalah.",
)
WORK_REPLIES = (
    "Tim lapangan sudah dijadwalkan meninjau lokasi dalam dua hari kerja.",
    "Terima kasih atas laporannya. Material sudah disiapkan, pengerjaan menunggu cuaca cerah.",
    "Petugas sudah meninjau lokasi; perbaikan masuk jadwal minggu ini.",
)
DONE_REPLIES = (
    "Perbaikan sudah selesai dikerjakan. Terima kasih atas laporannya.",
    "Sudah ditangani oleh tim lapangan hari ini. Silakan dicek kembali.",
    "Pekerjaan selesai; lokasi sudah dibersihkan dan aman dilalui.",
)
RATING_COMMENTS = {
    5: ("Cepat sekali, terima kasih!", "Mantap, langsung ditangani.", ""),
    4: ("Sudah beres, walau agak lama.", "Terima kasih, semoga dirawat terus.", ""),
    3: ("Sudah diperbaiki tapi hasilnya kurang rapi.", ""),
    2: ("Lama sekali baru dikerjakan.", "Perbaikannya cuma sementara."),
    1: ("Belum benar-benar beres.",),
}
# Category -> (PD that really owns such cases, the PD's reason); None = the kecamatan office.
REROUTES: dict[str, tuple[str | None, str]] = {
    "drainase": ("perkim", "Saluran berada di dalam kompleks perumahan: kewenangan Disperkim."),
    "fasilitas-umum": ("dlh", "Taman dan fasilitasnya dikelola Dinas Lingkungan Hidup."),
    "lampu-jalan": ("perkim", "Lampu di jalan lingkungan perumahan ditangani Disperkim."),
    "pohon-tumbang": ("dlh", "Pohon peneduh di jalur hijau dipelihara DLH."),
    "sampah": (None, "Sampah di parit lingkungan ditangani kecamatan setempat."),
    "jalan-rusak": (None, "Jalan gang lingkungan ditangani kecamatan melalui dana kelurahan."),
}


@dataclass(slots=True)
class _Plan:
    created_at: datetime
    category: ServiceCategory
    kelurahan: str
    lon: float
    lat: float
    duplicate_of: Complaint | None = None


class _Simulation:
    """Moves one report along the workflow at simulated moments, never past ``now``."""

    def __init__(self, session: Session, now: datetime, staff: dict[str, Actor]) -> None:
        self.session = session
        self.now = now
        self.staff = staff
        self.last_update_id = 0
        self.last_notification_id = 0
        self.holidays = load_holidays(session, around=now.astimezone(WIB).date())

    def officer(self, complaint: Complaint) -> Actor:
        return self.staff.get(complaint.pd_kode) or Actor(
            kind=ActorKind.SYSTEM,
            role=Role.PETUGAS_PD,
            name=f"petugas-{complaint.pd_kode}",
            pd_kode=complaint.pd_kode,
        )

    def at(self, moment: datetime, complaint: Complaint, action: Callable[[], object]) -> bool:
        """Run ``action`` as if at ``moment`` (False, doing nothing, when that is the future)."""
        if moment > self.now:
            return False
        had_response = complaint.first_response_at is not None
        action()
        self.backdate(complaint, moment, had_response)
        return True

    def backdate(self, complaint: Complaint, moment: datetime, had_response: bool) -> None:
        complaint.updated_at = moment
        if not had_response and complaint.first_response_at is not None:
            complaint.first_response_at = moment
        if complaint.status is S.SELESAI:
            complaint.resolved_at = moment
        if complaint.status in (S.DITUTUP, S.DITOLAK, S.DUPLIKAT):
            complaint.closed_at = moment
        if complaint.paused_at is not None and complaint.status is S.MENUNGGU_PELAPOR:
            complaint.paused_at = complaint.paused_at if complaint.paused_at < moment else moment
        if complaint.rated_at is not None and complaint.rated_at > moment:
            complaint.rated_at = moment
        # Everything this step wrote: timeline entries (of any report, e.g. a merge note on
        # the original) and the notifications it queued.
        self.session.execute(
            update(ComplaintUpdate)
            .where(ComplaintUpdate.id > self.last_update_id)
            .values(created_at=moment)
            .execution_options(synchronize_session=False)
        )
        # Demo reporters and staff have made-up addresses: their messages count as sent at
        # once, so the worker never tries to deliver them; in-app alerts older than a week
        # count as read.
        read_at = moment if self.now - moment > timedelta(days=7) else None
        self.session.execute(
            update(Notification)
            .where(Notification.id > self.last_notification_id)
            .values(
                created_at=moment,
                status=DeliveryStatus.SENT,
                sent_at=moment,
                attempts=1,
                next_attempt_at=None,
                read_at=read_at,
            )
            .execution_options(synchronize_session=False)
        )
        # No commit here: the next service call commits these changes with its own.
        for item in complaint.updates:
            if item.created_at > moment:
                item.created_at = moment
        self.last_update_id = self.session.scalar(select(func.max(ComplaintUpdate.id))) or 0
        self.last_notification_id = self.session.scalar(select(func.max(Notification.id))) or 0

    def go(self, complaint: Complaint, moment: datetime, to: S, actor: Actor, **kw: Any) -> bool:
        return self.at(
            moment,
            complaint,
            lambda: workflow.transition(
                session=self.session,
                actor=actor,
                tracking_number=complaint.tracking_number,
                to=to,
                **kw,
            ),
        )

    def reply(self, complaint: Complaint, moment: datetime, actor: Actor, text: str) -> bool:
        return self.at(
            moment,
            complaint,
            lambda: workflow.add_update(
                session=self.session,
                actor=actor,
                tracking_number=complaint.tracking_number,
                message=text,
                is_public=True,
            ),
        )

    def pause_fix(
        self, complaint: Complaint, due_before: Any, paused: datetime, resumed: datetime
    ) -> None:
        """The workflow measures a pause in real time; measure it in simulated time instead."""
        days = working_days_between(
            paused.astimezone(WIB).date(), resumed.astimezone(WIB).date(), self.holidays
        )
        complaint.due_on = add_working_days(due_before, days, self.holidays)
        complaint.paused_at = None
        self.session.commit()


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


def _staff(session: Session, fallback: Actor) -> tuple[Actor, dict[str, Actor]]:
    users = session.scalars(
        select(User).where(User.role.in_([Role.OPERATOR, Role.PETUGAS_PD]), User.is_active)
    ).all()
    operator = fallback
    officers: dict[str, Actor] = {}
    for user in sorted(users, key=lambda u: u.id):
        actor = Actor(
            kind=ActorKind.USER,
            role=user.role,
            id=user.id,
            name=user.username,
            pd_kode=user.pd_kode,
        )
        if user.role is Role.OPERATOR and operator is fallback:
            operator = actor
        elif user.role is Role.PETUGAS_PD and user.pd_kode:
            officers.setdefault(user.pd_kode, actor)
    return operator, officers


def _point(
    session: Session, rng: random.Random, kode: str, lon: float, lat: float
) -> tuple[float, float]:
    # Jitter around the centroid, kept only while it still resolves to the same kelurahan.
    for spread in (0.004, 0.002, 0.001):
        candidate = (lon + rng.uniform(-spread, spread), lat + rng.uniform(-spread, spread))
        place = reference.resolve_location(session=session, lon=candidate[0], lat=candidate[1])
        if place.kelurahan_kode == kode:
            return candidate
    return lon, lat


def _plans(session: Session, rng: random.Random, now: datetime) -> list[_Plan]:
    categories = {c.code: c for c in list_categories(session)}
    codes = [code for code in CATEGORY_WEIGHTS if code in categories]
    weights = [CATEGORY_WEIGHTS[code] for code in codes]
    kelurahan = [
        k
        for kecamatan in reference.list_kecamatan(session=session)
        for k in kecamatan.kelurahan
        if k.centroid_lon is not None and k.centroid_lat is not None
    ]
    plans = []
    for index in range(REPORTS):
        area = kelurahan[index % len(kelurahan)]  # every kelurahan gets reports
        # More reports in recent weeks (the platform is catching on), in waking hours.
        recent = rng.random() < 0.25
        age = timedelta(days=rng.uniform(0, 21 if recent else DAYS), minutes=rng.uniform(0, 600))
        created = (now - age).astimezone(WIB).replace(hour=rng.choice(range(6, 22)))
        lon, lat = _point(session, rng, area.kode, area.centroid_lon or 0, area.centroid_lat or 0)
        plans.append(
            _Plan(
                created.astimezone(now.tzinfo),
                categories[rng.choices(codes, weights)[0]],
                area.kode,
                lon,
                lat,
            )
        )
    plans = [p for p in plans if p.created_at < now - timedelta(minutes=30)]
    return sorted(plans, key=lambda p: p.created_at)


def _answers(rng: random.Random, category: ServiceCategory) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for attribute in category.attributes:
        if attribute.values:
            if attribute.required or rng.random() < 0.5:
                answers[attribute.code] = rng.choice(attribute.values)["key"]
        elif attribute.code in ATTRIBUTE_ANSWERS and rng.random() < 0.5:
            base = ATTRIBUTE_ANSWERS[attribute.code]
            answers[attribute.code] = (
                f"{base}{rng.randint(100, 999)}" if isinstance(base, str) else rng.randint(10, 80)
            )
    return answers


def _contact(rng: random.Random, index: int) -> dict[str, Any]:
    if rng.random() < 0.55:
        return {"is_anonymous": True}
    first, last = rng.choice(NAMES)
    prefix = rng.choice(["12", "13", "21", "52", "57", "95"])
    phone = f"08{prefix}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    domain = rng.choice(["example.com", "example.org", "example.net"])
    email = f"{first.lower()}.{last.lower()}{index}@{domain}"
    given = rng.random()
    return {
        "is_anonymous": False,
        "name": f"{first} {last}",
        "phone": phone if given < 0.8 else None,
        "email": email if given > 0.4 else None,
        "consent": True,
    }


def _resolution_moment(rng: random.Random, sim: _Simulation, complaint: Complaint) -> datetime:
    # About three in four reports are fixed within their SLA, the rest late.
    sla = complaint.category.sla_days
    share = rng.uniform(0.2, 1.0) if rng.random() < 0.78 else rng.uniform(1.2, 2.5)
    start = complaint.created_at.astimezone(WIB)
    day = add_working_days(start.date(), max(1, round(sla * share)), sim.holidays)
    return datetime(day.year, day.month, day.day, rng.randint(8, 16), tzinfo=WIB).astimezone(
        complaint.created_at.tzinfo
    )


def _reroute(
    sim: _Simulation, rng: random.Random, c: Complaint, t: datetime, operator: Actor
) -> datetime | None:
    target, reason = REROUTES.get(c.category.code, (None, "Lokasi ini bukan wilayah tugas kami."))
    if target is None and c.kecamatan_kode:
        target = reference.kecamatan_office(session=sim.session, kecamatan_kode=c.kecamatan_kode)
    if target is None or target == c.pd_kode:
        return t
    t += _hours(rng, 2, 48)
    if not sim.go(c, t, S.BUKAN_KEWENANGAN, sim.officer(c), message=reason):
        return None
    if sim.now - t < timedelta(days=21):
        return None  # still on the operator's desk
    t += _hours(rng, 1, 24)
    note = f"Dialihkan ke Perangkat Daerah yang berwenang ({target})."
    return t if sim.go(c, t, S.DIDISPOSISIKAN, operator, message=note, pd_kode=target) else None


def _wait_for_reporter(
    sim: _Simulation, rng: random.Random, c: Complaint, t: datetime, operator: Actor
) -> datetime | None:
    ask = "Mohon kirimkan titik lokasi yang lebih tepat atau patokan terdekat."
    if not sim.go(c, t, S.MENUNGGU_PELAPOR, sim.officer(c), message=ask):
        return None
    paused, due_before = t, c.due_on
    recent = sim.now - t < timedelta(days=14)
    if rng.random() < (0.8 if recent else 0.3):  # the reporter never answers
        t += timedelta(days=14, hours=rng.uniform(1, 30))
        sim.go(c, t, S.DITUTUP, operator, message="Pelapor tidak menanggapi dalam 14 hari.")
        return None
    t += _hours(rng, 2, 72)
    replied = sim.at(
        t,
        c,
        lambda: workflow.reporter_reply(
            session=sim.session,
            actor=ANONYMOUS,
            tracking_number=c.tracking_number,
            token=access_token(c.tracking_number),
            message=f"Lokasinya persis di {rng.choice(LANDMARKS)}, ada tanda cat merah.",
        ),
    )
    if not replied:
        return None
    sim.pause_fix(c, due_before, paused, t)
    return t


def _after_fix(sim: _Simulation, rng: random.Random, c: Complaint, fixed: datetime) -> None:
    token = access_token(c.tracking_number)
    if rng.random() < 0.6:
        score = rng.choices([r for r, _ in RATINGS], [w for _, w in RATINGS])[0]
        sim.at(
            fixed + _hours(rng, 3, 120),
            c,
            lambda: workflow.rate(
                session=sim.session,
                actor=ANONYMOUS,
                tracking_number=c.tracking_number,
                token=token,
                rating=score,
                comment=rng.choice(RATING_COMMENTS[score]),
            ),
        )
    from pontive.complaints.jobs import (
        AUTO_CLOSE_REASON,
        CLOSE_ACTOR,
    )  # late: jobs imports demo's deps

    close_at = fixed + timedelta(days=workflow.REOPEN_DAYS, hours=rng.uniform(1, 3))
    reason = AUTO_CLOSE_REASON.format(days=workflow.REOPEN_DAYS)
    if c.status is S.SELESAI:
        sim.go(c, close_at, S.DITUTUP, CLOSE_ACTOR, message=reason)


def _fix(
    sim: _Simulation, rng: random.Random, c: Complaint, t: datetime, *, stuck: bool
) -> datetime | None:
    officer = sim.officer(c)
    t += _hours(rng, 4, 72)
    if not sim.go(c, t, S.DIKERJAKAN, officer, message="") or stuck:
        return None
    if rng.random() < 0.5:
        t += _hours(rng, 2, 48)
        if not sim.reply(c, t, officer, rng.choice(WORK_REPLIES)):
            return None
    fixed = max(t + _hours(rng, 2, 8), _resolution_moment(rng, sim, c))
    if not sim.go(c, fixed, S.SELESAI, officer, message=rng.choice(DONE_REPLIES)):
        return None
    if rng.random() < 0.05:  # the reporter says it is not fixed after all
        again = fixed + _hours(rng, 24, 120)

        def reopen() -> None:
            # The workflow counts the 14-day window in real time; the fix was just now in
            # the simulation.
            c.resolved_at = utcnow()
            workflow.reopen(
                session=sim.session,
                actor=ANONYMOUS,
                tracking_number=c.tracking_number,
                token=access_token(c.tracking_number),
                message="Masih belum beres, masalahnya muncul lagi.",
            )

        if not sim.at(again, c, reopen):
            return fixed
        fixed = again + _hours(rng, 24, 96)
        if not sim.go(c, fixed, S.SELESAI, officer, message=rng.choice(DONE_REPLIES)):
            return None
    return fixed


def _live(sim: _Simulation, rng: random.Random, c: Complaint, plan: _Plan, operator: Actor) -> None:
    t = plan.created_at + _hours(rng, 0.5, 20)
    if plan.duplicate_of is not None:
        if plan.duplicate_of.status is not S.DUPLIKAT:
            sim.go(
                c,
                t,
                S.DUPLIKAT,
                operator,
                message="Masalah yang sama sudah dilaporkan.",
                duplicate_of=plan.duplicate_of.tracking_number,
            )
        return
    roll = rng.random()
    # Some reports get stuck along the way: the backlog, and the overdue ones, of a real city.
    stuck = rng.random() < 0.08
    if stuck and rng.random() < 0.25:
        return
    if roll < 0.05:
        sim.go(c, t, S.DITOLAK, operator, message=rng.choice(REJECT_REASONS))
        return
    if not sim.go(c, t, S.DIVERIFIKASI, operator, message="") or (stuck and rng.random() < 0.3):
        return
    t += _hours(rng, 0.5, 24)
    if not sim.go(c, t, S.DIDISPOSISIKAN, operator, message="Diteruskan ke Perangkat Daerah."):
        return
    if stuck and rng.random() < 0.5:
        return
    step: datetime | None = t
    if 0.05 <= roll < 0.13:
        step = _reroute(sim, rng, c, t, operator)
    elif roll < 0.23:
        step = _wait_for_reporter(sim, rng, c, t + _hours(rng, 2, 24), operator)
    if step is None:
        return
    fixed = _fix(sim, rng, c, step, stuck=stuck)
    if fixed is not None:
        _after_fix(sim, rng, c, fixed)


def _create(
    sim: _Simulation,
    rng: random.Random,
    plan: _Plan,
    index: int,
    operator: Actor,
    media: MediaStore,
) -> Complaint:
    text = rng.choice(DESCRIPTIONS[plan.category.code])
    contact = _contact(rng, index)
    # A few reporters write their number into the text; the operator removes it before the
    # public sees it (moderation), as the command center does.
    leaks_phone = bool(contact.get("phone")) and rng.random() < 0.15
    description = f"{text} Hubungi saya di {contact['phone']}." if leaks_phone else text
    data = ComplaintCreate(
        category_code=plan.category.code,
        description=description,
        lon=plan.lon,
        lat=plan.lat,
        address=f"{rng.choice(STREETS)}, {rng.choice(LANDMARKS)}",
        attributes=_answers(rng, plan.category),
        source=rng.choices(list(SOURCES), [w for w in SOURCES.values()])[0],
        created_at=plan.created_at,
        **contact,
    )
    complaint = create_complaint(
        session=sim.session, data=data, actor=ANONYMOUS, media=media
    ).complaint
    sim.backdate(complaint, plan.created_at, had_response=False)
    if leaks_phone:
        sim.at(
            plan.created_at,
            complaint,
            lambda: workflow.moderate(
                session=sim.session,
                actor=operator,
                tracking_number=complaint.tracking_number,
                public_description=text,
            ),
        )
    return complaint


def _pick_duplicates(rng: random.Random, plans: list[_Plan]) -> dict[int, int]:
    """Plan index -> the earlier plan it repeats (same kind, same place, within two weeks)."""
    pairs: dict[int, int] = {}
    for index, plan in enumerate(plans):
        if rng.random() >= 0.06:
            continue
        earlier = [
            j
            for j in range(index)
            if j not in pairs
            and plans[j].category.code == plan.category.code
            and plan.created_at - plans[j].created_at < timedelta(days=14)
        ]
        if earlier:
            original = plans[rng.choice(earlier)]
            pairs[index] = plans.index(original)
            plan.kelurahan, plan.lon, plan.lat = original.kelurahan, original.lon, original.lat
    return pairs


# The shortest path to each state, for states the simulation happened not to leave a report in.
_PATHS: dict[S, tuple[S, ...]] = {
    S.DITERIMA: (),
    S.DIVERIFIKASI: (S.DIVERIFIKASI,),
    S.DIDISPOSISIKAN: (S.DIVERIFIKASI, S.DIDISPOSISIKAN),
    S.DIKERJAKAN: (S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DIKERJAKAN),
    S.MENUNGGU_PELAPOR: (S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.MENUNGGU_PELAPOR),
    S.BUKAN_KEWENANGAN: (S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.BUKAN_KEWENANGAN),
    S.SELESAI: (S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DIKERJAKAN, S.SELESAI),
    S.DITUTUP: (S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DIKERJAKAN, S.SELESAI, S.DITUTUP),
    S.DITOLAK: (S.DITOLAK,),
    S.DUPLIKAT: (S.DUPLIKAT,),
}
_TRIAGE_STEPS = frozenset({S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DITOLAK, S.DUPLIKAT, S.DITUTUP})
_STEP_MESSAGES = {
    S.DITOLAK: "Laporan tidak memuat lokasi dan uraian yang dapat ditindaklanjuti.",
    S.BUKAN_KEWENANGAN: "Ruas jalan ini kewenangan Balai Pelaksanaan Jalan Nasional.",
    S.MENUNGGU_PELAPOR: "Mohon kirim foto yang lebih jelas dan patokan lokasinya.",
    S.SELESAI: "Sudah ditangani petugas di lapangan.",
    S.DITUTUP: "Ditutup setelah perbaikan selesai.",
}


def _cover_every_state(
    sim: _Simulation,
    rng: random.Random,
    template: _Plan,
    made: list[Complaint],
    operator: Actor,
    media: MediaStore,
) -> list[Complaint]:
    """One more recent report for each state nobody ended in, so the demo shows them all."""
    present = {c.status for c in made}
    original = next(c for c in made if c.status is not S.DUPLIKAT)
    extra: list[Complaint] = []
    for number, target in enumerate(s for s in S if s not in present):
        start = sim.now - timedelta(hours=6 - number * 0.25)
        plan = _Plan(start, template.category, template.kelurahan, template.lon, template.lat)
        complaint = _create(sim, rng, plan, len(made) + number, operator, media)
        for step_number, step in enumerate(_PATHS[target], start=1):
            actor = operator if step in _TRIAGE_STEPS else sim.officer(complaint)
            extra_args: dict[str, Any] = {"message": _STEP_MESSAGES.get(step, "")}
            if step is S.DUPLIKAT:
                extra_args["duplicate_of"] = original.tracking_number
            sim.go(
                complaint, start + timedelta(minutes=10 * step_number), step, actor, **extra_args
            )
        extra.append(complaint)
    return extra


def load(session: Session, actor: Actor) -> str:
    """Load the demo reports; returns a one-line summary for ``pontive demo load``."""
    rng = random.Random(SEED)  # noqa: S311 - made-up demo data, deterministic on purpose
    # Whole hours, so that loads within the same hour produce the very same histories.
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    # Demo history is not live news: its events go to a bus nobody listens to.
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        operator, officers = _staff(session, actor)
        sim = _Simulation(session, now, officers)
        sim.last_update_id = session.scalar(select(func.max(ComplaintUpdate.id))) or 0
        sim.last_notification_id = session.scalar(select(func.max(Notification.id))) or 0
        media = MediaStore(Path(tempfile.gettempdir()) / "pontive-demo-media")  # no photos
        plans = _plans(session, rng, now)
        duplicates = _pick_duplicates(rng, plans)
        made: list[Complaint] = []
        for index, plan in enumerate(plans):
            if index in duplicates:
                plan.duplicate_of = made[duplicates[index]]
            complaint = _create(sim, rng, plan, index, operator, media)
            made.append(complaint)
            _live(sim, rng, complaint, plan, operator)
        made += _cover_every_state(sim, rng, plans[-1], made, operator, media)
        session.commit()
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    states = Counter(c.status for c in made)
    summary = ", ".join(f"{states[s]} {s.value}" for s in S if states[s])
    return f"{len(made)} laporan ({summary})"
