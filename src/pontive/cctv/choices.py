"""CCTV vocabularies: who owns a camera, what it watches, who may see it, its state."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class OwnerType(LabelledChoice):
    """Who owns a camera (Pasal 17c: the city's own; Pasal 22d: contributed)."""

    PEMKOT = "pemkot"  # the city government (Diskominfo, the command center)
    PD = "pd"  # a Perangkat Daerah (Dishub, PUPR, Satpol PP …)
    WARGA = "warga"  # a citizen
    USAHA = "usaha"  # a business
    KEPOLISIAN = "kepolisian"  # the police

    @property
    def is_contributed(self) -> bool:
        """Whether the camera is shared by someone outside the city government."""
        return self in (OwnerType.WARGA, OwnerType.USAHA, OwnerType.KEPOLISIAN)


class Purpose(LabelledChoice):
    """What the camera watches."""

    LALU_LINTAS = "lalu_lintas"
    BANJIR = "banjir"
    KETERTIBAN = "ketertiban"
    FASILITAS = "fasilitas"
    LAINNYA = "lainnya"


class Sharing(LabelledChoice):
    """Who may see a camera."""

    PUBLIK = "publik"  # anyone: on the public site
    INTERNAL = "internal"  # staff roles that watch cameras
    ON_REQUEST = "on_request"  # no live view: footage only after the owner agrees


class CameraStatus(LabelledChoice):
    """Where a camera is in its life in the registry."""

    DIAJUKAN = "diajukan"  # enrolled by its owner, awaiting review
    AKTIF = "aktif"  # approved and shared
    DITOLAK = "ditolak"  # refused by staff (with a reason)
    DIJEDA = "dijeda"  # sharing paused by the owner or staff
    DITARIK = "ditarik"  # withdrawn by its owner: never shown again
    NONAKTIF = "nonaktif"  # retired by staff (removed, broken beyond repair)


class Health(LabelledChoice):
    """The last health check's verdict."""

    UNKNOWN = "unknown"
    ONLINE = "online"
    DEGRADED = "degraded"
    OFFLINE = "offline"


class PrivacyMask(LabelledChoice):
    """Whether private areas (windows, yards) in view are masked."""

    BELUM_DIPERIKSA = "belum_diperiksa"  # not yet checked
    TIDAK_PERLU = "tidak_perlu"  # nothing private in view
    DI_KAMERA = "di_kamera"  # masked in the camera's own settings
    PERLU = "perlu"  # private areas in view and not masked: not shared until fixed


class FootageStatus(LabelledChoice):
    """A request for recorded footage from an on-request camera."""

    MENUNGGU = "menunggu"  # waiting for the owner
    DISETUJUI = "disetujui"  # the owner agreed
    DITOLAK = "ditolak"  # the owner declined
    DIBATALKAN = "dibatalkan"  # the operator withdrew the request
    KEDALUWARSA = "kedaluwarsa"  # no answer in time


describe_choices(
    {
        OwnerType.PEMKOT: ChoiceMeta("Pemerintah Kota", "City government", "#1d4e89"),
        OwnerType.PD: ChoiceMeta("Perangkat Daerah", "City agency", "#2f6db5"),
        OwnerType.WARGA: ChoiceMeta("Warga", "Citizen", "#2e7d32"),
        OwnerType.USAHA: ChoiceMeta("Usaha", "Business", "#8d6e00"),
        OwnerType.KEPOLISIAN: ChoiceMeta("Kepolisian", "Police", "#4a4a8a"),
    }
)
describe_choices(
    {
        Purpose.LALU_LINTAS: ChoiceMeta("Lalu lintas", "Traffic", "#c05600"),
        Purpose.BANJIR: ChoiceMeta("Banjir / genangan", "Floods", "#0b6fa4"),
        Purpose.KETERTIBAN: ChoiceMeta("Ketertiban umum", "Public order", "#6a3d9a"),
        Purpose.FASILITAS: ChoiceMeta("Fasilitas umum", "Public facilities", "#2e7d32"),
        Purpose.LAINNYA: ChoiceMeta("Lainnya", "Other", "#5b6b7a"),
    }
)
describe_choices(
    {
        Sharing.PUBLIK: ChoiceMeta("Publik", "Public", "#2e7d32"),
        Sharing.INTERNAL: ChoiceMeta("Internal", "Staff only", "#1d4e89"),
        Sharing.ON_REQUEST: ChoiceMeta("Atas permintaan", "On request", "#8d6e00"),
    }
)
describe_choices(
    {
        CameraStatus.DIAJUKAN: ChoiceMeta("Diajukan", "Awaiting review", "#8d6e00"),
        CameraStatus.AKTIF: ChoiceMeta("Aktif", "Active", "#2e7d32"),
        CameraStatus.DITOLAK: ChoiceMeta("Ditolak", "Rejected", "#b3261e"),
        CameraStatus.DIJEDA: ChoiceMeta("Dijeda", "Paused", "#5b6b7a"),
        CameraStatus.DITARIK: ChoiceMeta("Ditarik pemilik", "Withdrawn", "#5b6b7a"),
        CameraStatus.NONAKTIF: ChoiceMeta("Nonaktif", "Retired", "#5b6b7a"),
    }
)
describe_choices(
    {
        Health.UNKNOWN: ChoiceMeta("Belum diperiksa", "Not checked yet", "#5b6b7a"),
        Health.ONLINE: ChoiceMeta("Daring", "Online", "#2e7d32"),
        Health.DEGRADED: ChoiceMeta("Terganggu", "Degraded", "#c05600"),
        Health.OFFLINE: ChoiceMeta("Luring", "Offline", "#b3261e"),
    }
)
describe_choices(
    {
        PrivacyMask.BELUM_DIPERIKSA: ChoiceMeta("Belum diperiksa", "Not checked", "#8d6e00"),
        PrivacyMask.TIDAK_PERLU: ChoiceMeta("Tidak perlu", "Not needed", "#2e7d32"),
        PrivacyMask.DI_KAMERA: ChoiceMeta("Dimasking di kamera", "Masked in camera", "#2e7d32"),
        PrivacyMask.PERLU: ChoiceMeta("Perlu masking", "Needs masking", "#b3261e"),
    }
)
describe_choices(
    {
        FootageStatus.MENUNGGU: ChoiceMeta("Menunggu pemilik", "Waiting for owner", "#8d6e00"),
        FootageStatus.DISETUJUI: ChoiceMeta("Disetujui", "Approved", "#2e7d32"),
        FootageStatus.DITOLAK: ChoiceMeta("Ditolak pemilik", "Declined", "#b3261e"),
        FootageStatus.DIBATALKAN: ChoiceMeta("Dibatalkan", "Withdrawn", "#5b6b7a"),
        FootageStatus.KEDALUWARSA: ChoiceMeta("Kedaluwarsa", "Expired", "#5b6b7a"),
    }
)
