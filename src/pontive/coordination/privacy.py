"""Personal data of coordination: attendees of official meetings, by name and position.

Minutes are the city's record (Perda 9/2022): an attendee's name and position stay.
"""

from __future__ import annotations

from pontive.coordination.models import MeetingAttendee, Wall
from pontive.privacy.declare import (
    Basis,
    Category,
    Erase,
    Personal,
    Source,
    Subject,
    declare,
    names_of_things,
)

declare(
    Source(
        name="coordination.attendees",
        model=MeetingAttendee,
        label=("Peserta rapat koordinasi", "Coordination meeting attendees"),
        subject=Subject.PEJABAT,
        purpose=("Risalah rapat resmi", "Official minutes"),
        basis=Basis.KEWAJIBAN_HUKUM,
        personal=(
            Personal(
                MeetingAttendee.name,
                Category.IDENTITAS,
                ("Nama dan jabatan", "Name and position"),
                Erase.KEEP,
                ("bagian risalah resmi", "part of the official minutes"),
            ),
        ),
        retention_rule=("Disimpan bersama risalah", "Kept with the minutes"),
    )
)

names_of_things(Wall.name)
