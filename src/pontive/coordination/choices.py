"""Coordination vocabularies: incidents, tasks, meetings and the wall's layers and panels."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class IncidentKind(LabelledChoice):
    """What kind of situation an incident is."""

    BANJIR = "banjir"  # flood, tidal flood (rob)
    KEBAKARAN = "kebakaran"  # fire: buildings, land and peat
    KABUT_ASAP = "kabut_asap"  # haze
    POHON_TUMBANG = "pohon_tumbang"  # fallen tree
    KECELAKAAN = "kecelakaan"  # traffic accident
    GANGGUAN_LAYANAN = "gangguan_layanan"  # a public service down (water, power, network)
    KETERTIBAN = "ketertiban"  # public order, crowds
    KESEHATAN = "kesehatan"  # public health
    LAINNYA = "lainnya"


class Severity(LabelledChoice):
    """How serious an incident is, least first."""

    RENDAH = "rendah"
    SEDANG = "sedang"
    TINGGI = "tinggi"
    KRITIS = "kritis"

    @property
    def rank(self) -> int:
        """0 for rendah up to 3 for kritis."""
        return list(Severity).index(self)


class IncidentStatus(LabelledChoice):
    """Where an incident is: dibuka → ditangani → terkendali → selesai."""

    DIBUKA = "dibuka"  # opened, response being organised
    DITANGANI = "ditangani"  # agencies at work
    TERKENDALI = "terkendali"  # under control, finishing up
    SELESAI = "selesai"  # closed with a summary and lessons


OPEN_INCIDENT_STATUSES = frozenset(
    {IncidentStatus.DIBUKA, IncidentStatus.DITANGANI, IncidentStatus.TERKENDALI}
)
# The forward path; an incident may also step back one stage (a flood rising again).
INCIDENT_FLOW = (
    IncidentStatus.DIBUKA,
    IncidentStatus.DITANGANI,
    IncidentStatus.TERKENDALI,
    IncidentStatus.SELESAI,
)


class SourceType(LabelledChoice):
    """What an incident was opened from."""

    MANUAL = "manual"
    ALERT = "alert"  # an alert issued by the city or received from BMKG and others
    COMPLAINTS = "complaints"  # a cluster of citizens' reports
    SENSOR = "sensor"  # a station's state (flood status, ISPU)
    CAMERA = "camera"  # something seen on a camera


class LinkType(LabelledChoice):
    """What can be linked to an incident."""

    COMPLAINT = "complaint"  # by tracking number
    CAMERA = "camera"  # by camera code
    STATION = "station"  # a sensor station (SensorThings Thing id)
    ALERT = "alert"  # by CAP identifier


class EntryKind(LabelledChoice):
    """The kinds of line in an incident's timeline."""

    OPENED = "opened"
    UPDATE = "update"  # a situation report
    DECISION = "decision"
    STATUS = "status"
    PHOTO = "photo"
    LINK = "link"  # an item linked (or unlinked)
    AGENCY = "agency"  # agencies involved or the lead changed
    TASK = "task"  # a task created, started, done, escalated
    MEETING = "meeting"
    CLOSED = "closed"


class TaskPriority(LabelledChoice):
    """How urgent a task is, least first."""

    RENDAH = "rendah"
    NORMAL = "normal"
    TINGGI = "tinggi"
    MENDESAK = "mendesak"


class TaskStatus(LabelledChoice):
    """Where a task is."""

    BARU = "baru"  # assigned, not started
    DIKERJAKAN = "dikerjakan"  # in progress
    SELESAI = "selesai"  # done, with a note
    DIBATALKAN = "dibatalkan"  # no longer needed


OPEN_TASK_STATUSES = frozenset({TaskStatus.BARU, TaskStatus.DIKERJAKAN})


class MeetingStatus(LabelledChoice):
    """Where a coordination meeting is."""

    DIJADWALKAN = "dijadwalkan"  # scheduled, agenda set
    SELESAI = "selesai"  # held, minutes being written
    DISAHKAN = "disahkan"  # minutes signed off: no more changes


class WallLayer(LabelledChoice):
    """The map layers a wall can show."""

    INCIDENTS = "incidents"
    COMPLAINTS = "complaints"
    SENSORS = "sensors"
    CAMERAS = "cameras"
    ALERTS = "alerts"
    MODES = "modes"  # kecamatan in siaga/darurat/bencana mode


class WallPanel(LabelledChoice):
    """The panels of figures and lists beside a wall's map."""

    NUMBERS = "numbers"  # key figures
    INCIDENTS = "incidents"  # open incidents, worst first
    TICKER = "ticker"  # a running line of events
    CAMERAS = "cameras"  # cameras offline


describe_choices(
    {
        IncidentKind.BANJIR: ChoiceMeta("Banjir / rob", "Flood / tidal flood", "#1565c0"),
        IncidentKind.KEBAKARAN: ChoiceMeta("Kebakaran", "Fire", "#c62828"),
        IncidentKind.KABUT_ASAP: ChoiceMeta("Kabut asap", "Haze", "#6d4c41"),
        IncidentKind.POHON_TUMBANG: ChoiceMeta("Pohon tumbang", "Fallen tree", "#2e7d32"),
        IncidentKind.KECELAKAAN: ChoiceMeta(
            "Kecelakaan lalu lintas", "Traffic accident", "#ef6c00"
        ),
        IncidentKind.GANGGUAN_LAYANAN: ChoiceMeta(
            "Gangguan layanan publik", "Public service outage", "#6a1b9a"
        ),
        IncidentKind.KETERTIBAN: ChoiceMeta("Ketertiban umum", "Public order", "#37474f"),
        IncidentKind.KESEHATAN: ChoiceMeta("Kesehatan masyarakat", "Public health", "#00838f"),
        IncidentKind.LAINNYA: ChoiceMeta("Lainnya", "Other", "#5b6b7a"),
    }
)
describe_choices(
    {
        Severity.RENDAH: ChoiceMeta("Rendah", "Low", "#2e7d32"),
        Severity.SEDANG: ChoiceMeta("Sedang", "Moderate", "#b26a00"),
        Severity.TINGGI: ChoiceMeta("Tinggi", "High", "#c43e00"),
        Severity.KRITIS: ChoiceMeta("Kritis", "Critical", "#b3261e"),
    }
)
describe_choices(
    {
        IncidentStatus.DIBUKA: ChoiceMeta("Dibuka", "Opened", "#b3261e"),
        IncidentStatus.DITANGANI: ChoiceMeta("Ditangani", "Being handled", "#c43e00"),
        IncidentStatus.TERKENDALI: ChoiceMeta("Terkendali", "Under control", "#1565c0"),
        IncidentStatus.SELESAI: ChoiceMeta("Selesai", "Closed", "#2e7d32"),
    }
)
describe_choices(
    {
        SourceType.MANUAL: ChoiceMeta("Dibuka operator", "Opened by an operator"),
        SourceType.ALERT: ChoiceMeta("Dari peringatan", "From an alert"),
        SourceType.COMPLAINTS: ChoiceMeta("Dari laporan warga", "From citizens' reports"),
        SourceType.SENSOR: ChoiceMeta("Dari sensor", "From a sensor"),
        SourceType.CAMERA: ChoiceMeta("Dari kamera", "From a camera"),
    }
)
describe_choices(
    {
        LinkType.COMPLAINT: ChoiceMeta("Laporan warga", "Citizen report", "#8a4fff"),
        LinkType.CAMERA: ChoiceMeta("Kamera CCTV", "CCTV camera", "#37474f"),
        LinkType.STATION: ChoiceMeta("Stasiun sensor", "Sensor station", "#00897b"),
        LinkType.ALERT: ChoiceMeta("Peringatan", "Alert", "#b3261e"),
    }
)
describe_choices(
    {
        EntryKind.OPENED: ChoiceMeta("Insiden dibuka", "Incident opened", "#b3261e"),
        EntryKind.UPDATE: ChoiceMeta("Laporan situasi", "Situation report", "#1d6fa5"),
        EntryKind.DECISION: ChoiceMeta("Keputusan", "Decision", "#8a4fff"),
        EntryKind.STATUS: ChoiceMeta("Status", "Status", "#c43e00"),
        EntryKind.PHOTO: ChoiceMeta("Foto", "Photo", "#00838f"),
        EntryKind.LINK: ChoiceMeta("Tautan", "Link", "#37474f"),
        EntryKind.AGENCY: ChoiceMeta("Perangkat Daerah", "Agencies", "#00897b"),
        EntryKind.TASK: ChoiceMeta("Tugas", "Task", "#b26a00"),
        EntryKind.MEETING: ChoiceMeta("Rapat", "Meeting", "#6d4c41"),
        EntryKind.CLOSED: ChoiceMeta("Insiden ditutup", "Incident closed", "#2e7d32"),
    }
)
describe_choices(
    {
        TaskPriority.RENDAH: ChoiceMeta("Rendah", "Low", "#5b6b7a"),
        TaskPriority.NORMAL: ChoiceMeta("Normal", "Normal", "#1d6fa5"),
        TaskPriority.TINGGI: ChoiceMeta("Tinggi", "High", "#c43e00"),
        TaskPriority.MENDESAK: ChoiceMeta("Mendesak", "Urgent", "#b3261e"),
    }
)
describe_choices(
    {
        TaskStatus.BARU: ChoiceMeta("Baru", "New", "#1d6fa5"),
        TaskStatus.DIKERJAKAN: ChoiceMeta("Dikerjakan", "In progress", "#b26a00"),
        TaskStatus.SELESAI: ChoiceMeta("Selesai", "Done", "#2e7d32"),
        TaskStatus.DIBATALKAN: ChoiceMeta("Dibatalkan", "Cancelled", "#5b6b7a"),
    }
)
describe_choices(
    {
        MeetingStatus.DIJADWALKAN: ChoiceMeta("Dijadwalkan", "Scheduled", "#1d6fa5"),
        MeetingStatus.SELESAI: ChoiceMeta(
            "Selesai, notulen disusun", "Held, minutes drafted", "#b26a00"
        ),
        MeetingStatus.DISAHKAN: ChoiceMeta("Notulen disahkan", "Minutes signed off", "#2e7d32"),
    }
)
describe_choices(
    {
        WallLayer.INCIDENTS: ChoiceMeta("Insiden", "Incidents", "#b3261e"),
        WallLayer.COMPLAINTS: ChoiceMeta("Laporan warga", "Citizens' reports", "#8a4fff"),
        WallLayer.SENSORS: ChoiceMeta("Sensor", "Sensors", "#00897b"),
        WallLayer.CAMERAS: ChoiceMeta("Kamera CCTV", "CCTV cameras", "#37474f"),
        WallLayer.ALERTS: ChoiceMeta("Peringatan", "Alerts", "#c43e00"),
        WallLayer.MODES: ChoiceMeta("Mode operasi", "Operating modes", "#6d4c41"),
    }
)
describe_choices(
    {
        WallPanel.NUMBERS: ChoiceMeta("Angka kunci", "Key figures"),
        WallPanel.INCIDENTS: ChoiceMeta("Insiden aktif", "Active incidents"),
        WallPanel.TICKER: ChoiceMeta("Kejadian terbaru", "Latest events"),
        WallPanel.CAMERAS: ChoiceMeta("Kamera tidak aktif", "Cameras offline"),
    }
)
