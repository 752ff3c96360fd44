"""Personal data of the platform's core tables: user accounts, the audit trail, and this
domain's own register of requests.

Erasure of an account deactivates it, clears its e-mail, replaces its full name by a marker
and its username by ``terhapus-<id>``. The audit trail keeps its actor labels: the chain is
append-only and its integrity is the evidence of who did what (Perda 9/2022 Pasal 19).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, update

from pontive.core.audit import AuditEvent
from pontive.core.models import ApiKey, ApiToken, JobRun, User
from pontive.privacy.declare import (
    Basis,
    Category,
    Context,
    Erase,
    EraseContext,
    Lookup,
    NotPersonal,
    Personal,
    Source,
    Subject,
    SubjectQuery,
    declare,
    not_personal,
)
from pontive.privacy.models import PrivacyRequest


def _users(query: SubjectQuery) -> ColumnElement[bool] | None:
    return User.username == query.value.strip() if query.lookup is Lookup.USER else None


def _close_accounts(context: EraseContext, ids: Sequence[int]) -> None:
    for user_id in ids:
        context.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(username=f"terhapus-{user_id}", is_active=False)
            .execution_options(synchronize_session=False)
        )


declare(
    Source(
        name="core.users",
        model=User,
        label=("Akun pengguna", "User accounts"),
        subject=Subject.PENGGUNA,
        purpose=("Masuk dan bertindak di Pontive", "Signing in and acting in Pontive"),
        basis=Basis.TUGAS_PUBLIK,
        personal=(
            Personal(
                User.username,
                Category.IDENTITAS,
                ("Nama pengguna", "Username"),
                Erase.REPLACED,
                ("diganti terhapus-<id>, akun dinonaktifkan", "becomes terhapus-<id>, disabled"),
            ),
            Personal(
                User.full_name, Category.IDENTITAS, ("Nama lengkap", "Full name"), Erase.MARKER
            ),
            Personal(User.email, Category.KONTAK, ("E-mail", "E-mail")),
        ),
        retention_rule=(
            "Selama akun dipakai; dihapus atas permintaan",
            "While the account is used; erased on request",
        ),
        find=_users,
        scan_contact=(User.email,),
        context=(
            Context(User.role, ("Peran", "Role")),
            Context(User.created_at, ("Dibuat", "Created")),
            Context(User.last_login_at, ("Terakhir masuk", "Last sign-in")),
        ),
        on_erase=_close_accounts,
    )
)

declare(
    Source(
        name="core.audit",
        model=AuditEvent,
        label=("Jejak audit", "Audit trail"),
        subject=Subject.PENGGUNA,
        purpose=(
            "Bukti siapa melakukan apa (integritas, Perda 9/2022 Pasal 19)",
            "Evidence of who did what (integrity, Perda 9/2022 Art. 19)",
        ),
        basis=Basis.KEWAJIBAN_HUKUM,
        personal=(
            Personal(
                AuditEvent.actor,
                Category.IDENTITAS,
                ("Pelaku", "Actor"),
                Erase.KEEP,
                ("rantai audit tidak boleh diubah", "the audit chain must not change"),
            ),
        ),
        retention_rule=(
            "Disimpan tetap; hanya label pelaku, nilai data disimpan sebagai hash",
            "Kept; only the actor's label, data values stored as digests",
        ),
    )
)

declare(
    Source(
        name="privacy.requests",
        model=PrivacyRequest,
        label=("Register permintaan data pribadi", "Register of personal-data requests"),
        subject=Subject.PENGGUNA,
        purpose=(
            "Bukti permintaan subjek data telah ditangani",
            "Evidence that data subjects' requests were handled",
        ),
        basis=Basis.KEWAJIBAN_HUKUM,
        personal=(
            Personal(
                PrivacyRequest.subject_index,
                Category.PENGENAL,
                ("Indeks subjek", "Subject index"),
                Erase.KEEP,
                ("bukti penanganan permintaan", "evidence of the request"),
            ),
        ),
        retention_rule=("Disimpan tetap", "Kept"),
        not_personal=(NotPersonal(PrivacyRequest.requested_by, "the staff label or 'anonymous'"),),
    )
)

not_personal(
    NotPersonal(ApiToken.name, "a label the user gave the token"),
    NotPersonal(ApiKey.name, "a machine client's name"),
    NotPersonal(JobRun.name, "a job's name"),
    NotPersonal(User.totp_secret, "a second-factor secret: a credential, sealed, not shown"),
)
