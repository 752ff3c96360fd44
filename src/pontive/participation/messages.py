"""What the participation services say: field errors and refusals in both languages
(``(Indonesian, English)``; pages and the API pick the reader's), and the messages sent to
authors, supporters and volunteers (Bahasa Indonesia first, then English)."""

from __future__ import annotations

from pontive.core.errors import Conflict
from pontive.core.registry import Text, pick

ERRORS: dict[str, Text] = {
    "title": ("Judul wajib diisi (5 sampai 200 karakter).", "A title is required (5 to 200)."),
    "description": (
        "Uraikan gagasan Anda (paling sedikit 20 karakter).",
        "Describe your idea (at least 20 characters).",
    ),
    "dimension": ("Pilih salah satu dimensi Smart City.", "Choose a Smart City dimension."),
    "kelurahan": ("Kelurahan tidak dikenal.", "Unknown kelurahan."),
    "contact": (
        "Isi alamat e-mail atau nomor HP yang valid (contoh: 0812xxxx).",
        "Enter a valid e-mail address or phone number (e.g. 0812xxxx).",
    ),
    "consent": (
        "Setujui penggunaan data pribadi untuk melanjutkan.",
        "Agree to the use of personal data to continue.",
    ),
    "name": ("Nama terlalu panjang (paling banyak 120 karakter).", "Name too long (120 at most)."),
    "comment": (
        "Tulis komentar 2 sampai 2000 karakter.",
        "Write a comment of 2 to 2000 characters.",
    ),
    "code_wrong": (
        "Kode salah. Sisa percobaan: {n}.",
        "Wrong code. Attempts left: {n}.",
    ),
    "code_spent": (
        "Terlalu banyak percobaan. Minta kode baru.",
        "Too many attempts. Ask for a new code.",
    ),
    "code_expired": (
        "Kode sudah kedaluwarsa. Minta kode baru.",
        "The code has expired. Ask for a new code.",
    ),
    "code_used": ("Kode ini sudah dipakai.", "This code was already used."),
    "own_idea": (
        "Penulis gagasan tidak dapat mendukung gagasannya sendiri.",
        "Authors cannot support their own idea.",
    ),
    "supported": (
        "Kontak ini sudah mendukung gagasan ini.",
        "This contact already supports this idea.",
    ),
    "closed": (
        "Gagasan ini tidak lagi menerima dukungan atau komentar.",
        "This idea no longer takes support or comments.",
    ),
    "codes_per_hour": (
        "Terlalu banyak kode diminta untuk kontak ini. Coba lagi dalam satu jam.",
        "Too many codes asked for this contact. Try again within an hour.",
    ),
    "comments_per_hour": (
        "Terlalu banyak komentar dalam satu jam. Coba lagi nanti.",
        "Too many comments within an hour. Try again later.",
    ),
    "rate": (
        "Terlalu banyak permintaan dari alamat ini. Coba lagi dalam {minutes} menit.",
        "Too many requests from this address. Try again in {minutes} minutes.",
    ),
    "reason": ("Tuliskan alasannya.", "Give the reason."),
    "answer": ("Tuliskan jawabannya.", "Write the answer."),
    "programme": ("Program tidak ditemukan di masterplan.", "No such masterplan programme."),
    "programme_needed": (
        "Gagasan yang diwujudkan ditautkan ke sebuah program.",
        "A realised idea is linked to a programme.",
    ),
    "merge_target": (
        "Pilih gagasan lain yang sudah terbit sebagai tujuan penggabungan.",
        "Choose another published idea to merge into.",
    ),
    "merge_needed": (
        "Gagasan yang digabung menunjuk gagasan tujuannya.",
        "A merged idea names the idea it was merged into.",
    ),
    "dates": ("Tanggal berakhir sebelum tanggal mulai.", "The end date is before the start."),
    "dates_needed": (
        "Adopsi yang disetujui punya tanggal mulai dan berakhir.",
        "An approved adoption has a start and an end date.",
    ),
    "future": ("Tanggal tidak boleh di masa depan.", "The date cannot be in the future."),
    "not_active": (
        "Adopsi ini tidak aktif; laporan tidak dapat dikirim.",
        "This adoption is not active; reports cannot be sent.",
    ),
    "location": (
        "Tandai lokasi fasilitas di peta atau isi koordinatnya.",
        "Mark the facility on the map or type its coordinates.",
    ),
    "invalid": ("Data tidak valid; periksa kolom yang ditandai.", "Invalid data; see the fields."),
}


def error(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang``."""
    return pick(ERRORS[key], lang).format(**values)


def errors(key: str, lang: str, field: str | None = None, **values: object) -> dict[str, list[str]]:
    """``{field: [message]}`` for one problem (``field`` defaults to ``key``)."""
    return {field or key: [error(key, lang, **values)]}


def both(key: str, **values: object) -> Text:
    """The message ``key`` in both languages (for ``DomainError(message_id, message_en)``)."""
    text_id, text_en = ERRORS[key]
    return text_id.format(**values), text_en.format(**values)


def bilingual(text_id: str, text_en: str) -> str:
    """A message body for a person whose language we do not know: Indonesian, then English."""
    return f"{text_id}\n\n(English) {text_en}"


class Refused(Conflict):
    """A participation step refused for a reason the page names (``key`` of ``ERRORS``)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(*both(key, **values))
        self.key = key
