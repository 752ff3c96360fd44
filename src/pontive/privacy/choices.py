"""Choices of the privacy domain, with their labels."""

from __future__ import annotations

from pontive.core.choices import ChoiceMeta, LabelledChoice, describe_choices


class RequestKind(LabelledChoice):
    """What a data subject asked for."""

    EXPORT = "export"  # a copy (UU 27/2022 Pasal 7 and 13)
    ERASE = "erase"  # erasure (Pasal 8)


class Channel(LabelledChoice):
    """Where the request was made."""

    CLI = "cli"  # the data-protection officer on the server
    CONSOLE = "console"  # staff in the console
    SELF_SERVICE = "self_service"  # the reporter through the report's private link


class Outcome(LabelledChoice):
    """What came of a request."""

    DONE = "done"
    NOTHING_FOUND = "nothing_found"


describe_choices(
    {
        RequestKind.EXPORT: ChoiceMeta("Salinan data", "Data copy", "#1577a0"),
        RequestKind.ERASE: ChoiceMeta("Penghapusan", "Erasure", "#b3261e"),
    }
)
describe_choices(
    {
        Channel.CLI: ChoiceMeta("Baris perintah", "Command line"),
        Channel.CONSOLE: ChoiceMeta("Konsol", "Console"),
        Channel.SELF_SERVICE: ChoiceMeta("Mandiri (tautan pribadi)", "Self-service (private link)"),
    }
)
describe_choices(
    {
        Outcome.DONE: ChoiceMeta("Selesai", "Done", "#1b7f3b"),
        Outcome.NOTHING_FOUND: ChoiceMeta("Tidak ada data", "Nothing found", "#8d6e63"),
    }
)
