"""Masterplan vocabularies: version states, indicator directions and sources, RAG, the
states of a realisation entry and of the annual evaluation, council recommendations."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class VersionStatus(LabelledChoice):
    """Where a masterplan revision is: drafted, reviewed, adopted (by a Perwa), superseded."""

    DRAFT = "draft"
    REVIEWED = "reviewed"
    ADOPTED = "adopted"
    SUPERSEDED = "superseded"


class Direction(LabelledChoice):
    """Which way an indicator is good."""

    HIGHER = "higher"  # more is better (coverage, compliance)
    LOWER = "lower"  # less is better (resolution time, flooded area)
    BAND = "band"  # inside a band is good (e.g. a reservoir level)


class SourceKind(LabelledChoice):
    """Where an indicator's values come from."""

    MANUAL = "manual"  # entered by the owning agency, verified by the technical team
    DATASET = "dataset"  # a column of an open-data resource's datastore table
    LIVE = "live"  # computed from Pontive itself (masterplan/metrics.py)


class Rag(LabelledChoice):
    """Red, amber, green: how an indicator stands against its target."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"  # no value or no target yet


class RealisationStatus(LabelledChoice):
    """A realisation entry's state."""

    SUBMITTED = "submitted"  # entered by the agency, awaiting the technical team
    VERIFIED = "verified"
    REJECTED = "rejected"  # with the reason
    SUPERSEDED = "superseded"  # replaced by a correction (kept with the audit trail)


class EntrySource(LabelledChoice):
    """How a realisation value arrived."""

    WEB = "web"
    IMPORT = "import"  # a CSV/XLSX bulk import
    API = "api"  # pushed by another system
    LIVE = "live"  # recorded from a live metric


class EvaluationStatus(LabelledChoice):
    """The annual evaluation's workflow (Pasal 23)."""

    DRAFT = "draft"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    SENT = "sent"  # to the mayor, copy to the ministry


class RecommendationStatus(LabelledChoice):
    """A council recommendation's outcome (Pasal 5(3)c)."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DECLINED = "declined"


describe_choices(
    {
        VersionStatus.DRAFT: ChoiceMeta("Draf", "Draft", "#5b6b7a"),
        VersionStatus.REVIEWED: ChoiceMeta("Ditelaah", "Reviewed", "#1d6fa5"),
        VersionStatus.ADOPTED: ChoiceMeta("Ditetapkan", "Adopted", "#2e7d32"),
        VersionStatus.SUPERSEDED: ChoiceMeta("Digantikan", "Superseded", "#8a99a5"),
    }
)
describe_choices(
    {
        Direction.HIGHER: ChoiceMeta("Makin tinggi makin baik", "Higher is better"),
        Direction.LOWER: ChoiceMeta("Makin rendah makin baik", "Lower is better"),
        Direction.BAND: ChoiceMeta("Baik di dalam rentang", "Good within a band"),
    }
)
describe_choices(
    {
        SourceKind.MANUAL: ChoiceMeta("Isian Perangkat Daerah", "Entered by the agency"),
        SourceKind.DATASET: ChoiceMeta("Kolom dataset", "Dataset column"),
        SourceKind.LIVE: ChoiceMeta("Dihitung langsung dari Pontive", "Computed live by Pontive"),
    }
)
describe_choices(
    {
        Rag.GREEN: ChoiceMeta("Tercapai", "On track", "#2e7d32"),
        Rag.AMBER: ChoiceMeta("Perlu perhatian", "Needs attention", "#b26a00"),
        Rag.RED: ChoiceMeta("Tidak tercapai", "Off track", "#b3261e"),
        Rag.NONE: ChoiceMeta("Belum ada data", "No data yet", "#8a99a5"),
    }
)
describe_choices(
    {
        RealisationStatus.SUBMITTED: ChoiceMeta(
            "Menunggu verifikasi", "Awaiting verification", "#1d6fa5"
        ),
        RealisationStatus.VERIFIED: ChoiceMeta("Terverifikasi", "Verified", "#2e7d32"),
        RealisationStatus.REJECTED: ChoiceMeta("Ditolak", "Rejected", "#b3261e"),
        RealisationStatus.SUPERSEDED: ChoiceMeta("Dikoreksi", "Corrected", "#8a99a5"),
    }
)
describe_choices(
    {
        EntrySource.WEB: ChoiceMeta("Formulir", "Form"),
        EntrySource.IMPORT: ChoiceMeta("Impor berkas", "File import"),
        EntrySource.API: ChoiceMeta("API", "API"),
        EntrySource.LIVE: ChoiceMeta("Metrik langsung", "Live metric"),
    }
)
describe_choices(
    {
        EvaluationStatus.DRAFT: ChoiceMeta("Draf", "Draft", "#5b6b7a"),
        EvaluationStatus.REVIEWED: ChoiceMeta("Ditelaah", "Reviewed", "#1d6fa5"),
        EvaluationStatus.APPROVED: ChoiceMeta("Disetujui", "Approved", "#2e7d32"),
        EvaluationStatus.SENT: ChoiceMeta("Dikirim", "Sent", "#073447"),
    }
)
describe_choices(
    {
        RecommendationStatus.OPEN: ChoiceMeta("Diajukan", "Open", "#1d6fa5"),
        RecommendationStatus.IN_PROGRESS: ChoiceMeta("Ditindaklanjuti", "In progress", "#b26a00"),
        RecommendationStatus.DONE: ChoiceMeta("Selesai", "Done", "#2e7d32"),
        RecommendationStatus.DECLINED: ChoiceMeta("Tidak dilaksanakan", "Declined", "#5b6b7a"),
    }
)
