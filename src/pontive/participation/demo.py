"""Demo participation: citizens' ideas across the six dimensions in every state (waiting,
published, answered, realised in a masterplan programme, merged, rejected) with supports and
comments from verified (made-up) people, and facilities adopted by volunteers with their
condition reports. Everything goes through the services, so histories, audit events and the
messages people would receive are as in real use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.masterplan import service as masterplan
from pontive.participation import adoption as care
from pontive.participation import ideas, moderation, verification
from pontive.participation.models import Adoption, Comment, Idea
from pontive.participation.service import EMAIL_CHANNEL, Contact


@dataclass(frozen=True, slots=True)
class DemoIdea:
    """One demo idea and what happens to it."""

    key: str
    title: str
    dimensi: str
    description: str
    kelurahan: str = ""
    name: str = ""
    outcome: str = "terbit"  # menunggu, terbit, jawab, wujud, gabung:<key>, tolak
    supports: int = 0
    days_ago: int = 10
    answer: str = ""


IDEAS = (
    DemoIdea(
        "sensor-parit",
        "Sensor ketinggian air di parit-parit utama",
        "living",
        "Setiap air pasang dan hujan deras, parit di Jalan Tanjungpura dan sekitarnya meluap. "
        "Usul: pasang sensor ketinggian air di parit utama dan tampilkan datanya di Pontive, "
        "supaya warga tahu lebih awal dan petugas bisa membuka pintu air tepat waktu.",
        "61.71.01.1002",
        "Hendra Wijaya",
        "wujud",
        14,
        40,
        "Terima kasih. Usulan ini kami masukkan ke program drainase dan pengendalian banjir "
        "pasang; sensor pertama dipasang di parit Jalan Tanjungpura.",
    ),
    DemoIdea(
        "antrean-mpp",
        "Antrean online Mal Pelayanan Publik",
        "governance",
        "Antrean di Mal Pelayanan Publik sering panjang sejak pagi. Sebaiknya warga bisa "
        "mengambil nomor antrean dari HP dan melihat perkiraan waktu dilayani.",
        "61.71.05.1003",
        "",
        "jawab",
        9,
        30,
        "Antrean online sedang diuji coba untuk layanan kependudukan mulai bulan depan; "
        "layanan lain menyusul setelah evaluasi.",
    ),
    DemoIdea(
        "bank-sampah",
        "Bank sampah digital di setiap kelurahan",
        "environment",
        "Warga yang memilah sampah bisa menabung poin lewat aplikasi, ditukar dengan token "
        "listrik atau pulsa. Data setoran membantu DLH memantau sampah terpilah per kelurahan.",
        "61.71.06.1001",
        "Nur Aisyah",
        "terbit",
        11,
        25,
    ),
    DemoIdea(
        "halte-realtime",
        "Jadwal bus real-time di halte",
        "living",
        "Pasang layar kecil atau kode QR di halte yang menunjukkan kapan bus berikutnya datang, "
        "agar warga tidak menunggu lama di bawah terik matahari.",
        "61.71.05.1004",
        "",
        "terbit",
        6,
        20,
    ),
    DemoIdea(
        "pojok-baca",
        "Pojok baca digital di taman kota",
        "society",
        "Sediakan pojok baca dengan e-book gratis yang bisa diakses lewat Wi-Fi taman, "
        "terutama di Taman Alun Kapuas dan Taman Akcaya, untuk anak-anak dan pelajar.",
        "61.71.01.1006",
        "Rahmat",
        "terbit",
        5,
        18,
    ),
    DemoIdea(
        "perpustakaan-taman",
        "Perpustakaan digital di taman",
        "society",
        "Taman-taman kota sebaiknya punya perpustakaan digital yang bisa dibuka dari HP.",
        "",
        "",
        "gabung:pojok-baca",
        2,
        16,
    ),
    DemoIdea(
        "umkm-kecamatan",
        "Etalase UMKM online per kecamatan",
        "economy",
        "Buat etalase online produk UMKM per kecamatan yang terhubung dengan QRIS, sehingga "
        "pembeli bisa menemukan penjual terdekat dan membayar tanpa tunai.",
        "61.71.02.1003",
        "Lina Marlina",
        "terbit",
        4,
        12,
    ),
    DemoIdea(
        "jalur-hijau",
        "Penanaman pohon di jalur hijau Jalan Ahmad Yani",
        "environment",
        "Jalur hijau di Jalan Ahmad Yani masih banyak yang kosong. Ajak komunitas dan sekolah "
        "menanam pohon peneduh dan mencatat perawatannya.",
        "61.71.06.1002",
        "",
        "terbit",
        3,
        8,
    ),
    DemoIdea(
        "festival-kapuas",
        "Tiket digital festival tepian Kapuas",
        "branding",
        "Festival di tepian Kapuas bisa memakai tiket digital dan peta acara di HP agar "
        "wisatawan mudah datang dan terhitung jumlahnya.",
        "61.71.02.1005",
        "Yusuf",
        "menunggu",
        0,
        2,
    ),
    DemoIdea(
        "lampu-surya",
        "Lampu jalan tenaga surya di gang-gang sempit",
        "living",
        "Banyak gang yang gelap di malam hari. Lampu tenaga surya murah dan tidak perlu kabel.",
        "61.71.04.1002",
        "",
        "menunggu",
        0,
        1,
    ),
    DemoIdea(
        "iklan",
        "Jual pulsa dan paket data murah",
        "economy",
        "Hubungi kami untuk pulsa murah, paket data dan token listrik. Dijamin termurah!",
        "",
        "",
        "tolak",
        0,
        6,
    ),
)

COMMENTS = {
    "sensor-parit": (
        ("Rudi", "Setuju sekali, parit di gang kami juga sering meluap saat pasang."),
        ("Siti", "Kalau bisa ada peringatan lewat WhatsApp juga."),
    ),
    "bank-sampah": (("Andi", "Di kelurahan kami sudah ada bank sampah, tinggal dibuat digital."),),
    "halte-realtime": (("Maya", "Ini sangat membantu pelajar yang naik bus tiap pagi."),),
}

ADOPTIONS = (
    (
        "Taman Gang Mawar",
        "taman",
        109.3321,
        -0.0398,
        "Karang Taruna Mawar",
        "disetujui",
        ("baik", "perlu_perhatian"),
    ),
    (
        "Parit Jalan Tanjungpura",
        "drainase",
        109.3455,
        -0.0352,
        "Komunitas Peduli Parit",
        "disetujui",
        ("baik", "rusak"),
    ),
    ("Halte Jalan Gajah Mada", "halte", 109.3362, -0.0301, "Pelajar SMA 1", "disetujui", ("baik",)),
    ("Jalur hijau Jalan Ahmad Yani", "jalur_hijau", 109.3370, -0.0640, "", "diajukan", ()),
)


def _contact(n: int) -> str:
    return f"warga.demo{n}@contoh.id"


def _idea(session: Session, actor: Actor, demo: DemoIdea, n: int) -> Idea:
    data = ideas.IdeaSubmission(
        title=demo.title,
        description=demo.description,
        dimensi_kode=demo.dimensi,
        contact=_contact(n),
        consent=True,
        kelurahan_kode=demo.kelurahan,
        name=demo.name,
        show_name=bool(demo.name),
    )
    idea, _ = ideas.submit_idea(session, data=data)
    if demo.outcome == "tolak":
        moderation.reject_idea(
            session, actor=actor, idea_id=idea.id, reason="Iklan, bukan gagasan untuk kota."
        )
        return idea
    if demo.outcome == "menunggu":
        return idea
    moderation.publish_idea(session, actor=actor, idea_id=idea.id)
    return idea


def _follow_up(
    session: Session,
    actor: Actor,
    demo: DemoIdea,
    idea: Idea,
    made: dict[str, Idea],
    programme: str | None,
) -> None:
    if demo.outcome == "jawab":
        moderation.answer_idea(session, actor=actor, idea_id=idea.id, answer=demo.answer)
    elif demo.outcome == "wujud" and programme:
        moderation.link_programme(
            session, actor=actor, idea_id=idea.id, programme_code=programme, answer=demo.answer
        )
    elif demo.outcome.startswith("gabung:"):
        target = made[demo.outcome.split(":", 1)[1]]
        moderation.merge_idea(session, actor=actor, idea_id=idea.id, target_id=target.id)


def _support(session: Session, idea: Idea, count: int, offset: int) -> None:
    for person in range(count):
        supporter = Contact(EMAIL_CHANNEL, f"pendukung{offset + person}@contoh.id")
        verification.add_support(session, idea=idea, contact_index=supporter.index)


def _backdate(session: Session, idea: Idea, days: int) -> None:
    """Spread the demo over the past weeks: submitted, published, commented, answered."""
    when = utcnow() - timedelta(days=days, hours=3)
    idea.created_at = when
    if idea.published_at is not None:
        idea.published_at = when + timedelta(hours=5)
    if idea.answered_at is not None:
        idea.answered_at = when + timedelta(days=max(1, days // 2))
    comments = session.scalars(select(Comment).where(Comment.idea_id == idea.id))
    for hours, comment in enumerate(comments, start=1):
        comment.created_at = when + timedelta(days=1, hours=hours)
    session.commit()


def _load_ideas(session: Session, actor: Actor) -> tuple[int, int, int]:
    codes = [p.code for p in masterplan.list_programmes(session)]
    programme = "LIV-03" if "LIV-03" in codes else (codes[0] if codes else None)
    made: dict[str, Idea] = {}
    supports = comments = 0
    for n, demo in enumerate(IDEAS, start=1):
        idea = _idea(session, actor, demo, n)
        made[demo.key] = idea
        if demo.outcome not in ("menunggu", "tolak"):
            _support(session, idea, demo.supports, n * 100)
            supports += demo.supports
        for index, (name, text) in enumerate(COMMENTS.get(demo.key, ())):
            writer = Contact(EMAIL_CHANNEL, f"komentar{n}-{index}@contoh.id")
            draft = verification.CommentDraft(text, name)
            verification.add_comment(session, idea=idea, contact_index=writer.index, draft=draft)
            comments += 1
        _follow_up(session, actor, demo, idea, made, programme)
        _backdate(session, idea, demo.days_ago)
    return len(made), supports, comments


def _load_adoptions(session: Session, actor: Actor) -> tuple[int, int]:
    reports = 0
    for n, (name, kind, lon, lat, group, status, conditions) in enumerate(ADOPTIONS, start=1):
        application = care.AdoptionApplication(
            facility_name=name,
            kind=kind,
            lon=str(lon),
            lat=str(lat),
            name=f"Relawan {n}",
            contact=f"relawan{n}@contoh.id",
            consent=True,
            group_name=group,
            plan="Membersihkan dan memeriksa fasilitas setiap pekan.",
        )
        adoption, _ = care.apply_for_adoption(session, data=application)
        if status != "disetujui":
            continue
        starts = (utcnow() - timedelta(days=60)).date()
        moderation.approve_adoption(
            session,
            actor=actor,
            adoption_id=adoption.id,
            starts_on=starts,
            ends_on=starts + timedelta(days=365),
        )
        for weeks_ago, condition in zip(range(len(conditions), 0, -1), conditions, strict=True):
            care.submit_report(
                session,
                adoption=session.get(Adoption, adoption.id) or adoption,
                reported_on=(utcnow() - timedelta(weeks=weeks_ago)).date().isoformat(),
                condition=condition,
                note="Tutup parit jebol di depan gang."
                if condition == "rusak"
                else "Sudah dibersihkan.",
                photo=None,
            )
            reports += 1
    return len(ADOPTIONS), reports


def load(session: Session, actor: Actor) -> str:
    """Create the demo ideas and adoptions; returns a summary for the CLI."""
    made, supports, comments = _load_ideas(session, actor)
    adoptions, reports = _load_adoptions(session, actor)
    return (
        f"{made} ideas ({supports} supports, {comments} comments), "
        f"{adoptions} facility adoptions ({reports} reports)"
    )
