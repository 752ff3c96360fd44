"""The one error of backup and restore: a refusal with a reason in both languages."""

from __future__ import annotations

from pontive.core.errors import DomainError


class BackupError(DomainError):
    """A backup or restore refused or failed; nothing further was written."""

    code = "backup_error"
    default_id = "Cadangan tidak dapat diproses."
    default_en = "The backup cannot be processed."

    def __init__(self, message_id: str, message_en: str, *, exit_code: int = 1) -> None:
        super().__init__(message_id, message_en)
        # 1: refused (wrong key, non-empty target, newer revision); 3: archive damaged.
        self.exit_code = exit_code


DAMAGED = 3
