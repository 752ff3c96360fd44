"""The workflow posts of an evaluation's console page: mark it reviewed (technical team),
send it back to draft (technical team or mayor, with the reason), approve it (mayor: the
report PDF is generated and stored), record it sent under the covering letter's number
(technical team), and publish the report (``/smartcity/evaluasi/<year>.pdf``).

Each post is checked for CSRF; the service checks the role and the state. A refusal shows
the page again with its reason at the workflow card.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from pontive.core.errors import Conflict, InvalidInput
from pontive.masterplan import evaluation as service
from pontive.masterplan.console_evaluation_page import again, back
from pontive.masterplan.console_support import EVALUATION, FormBody, text
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
Refusal = (InvalidInput, Conflict)
ANCHOR = "alur"


@router.post(f"{EVALUATION}/{{year:int}}/telaah", dependencies=[CsrfChecked])
def review(
    request: Request, year: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Draft → reviewed, once every aspect and indicator is scored."""
    evaluation = service.get_evaluation(session, year)
    try:
        service.review(session, actor=actor, evaluation=evaluation)
    except Refusal as error:
        return again(request, session, actor, year, "flow", error, form)
    session.commit()
    return back(year, "evaluation_moved", ANCHOR)


@router.post(f"{EVALUATION}/{{year:int}}/kembalikan", dependencies=[CsrfChecked])
def return_to_draft(
    request: Request, year: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Reviewed → draft, with the reason."""
    evaluation = service.get_evaluation(session, year)
    try:
        service.return_to_draft(
            session, actor=actor, evaluation=evaluation, note=text(form, "note")
        )
    except Refusal as error:
        return again(request, session, actor, year, "flow", error, form)
    session.commit()
    return back(year, "evaluation_moved", ANCHOR)


@router.post(f"{EVALUATION}/{{year:int}}/setujui", dependencies=[CsrfChecked])
def approve(
    request: Request, year: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Reviewed → approved by the mayor; the report is generated and stored."""
    evaluation = service.get_evaluation(session, year)
    try:
        service.approve(
            session,
            actor=actor,
            evaluation=evaluation,
            media=request.app.state.media,
            letter_number=text(form, "letter_number"),
        )
    except Refusal as error:
        return again(request, session, actor, year, "flow", error, form)
    session.commit()
    return back(year, "evaluation_moved", ANCHOR)


@router.post(f"{EVALUATION}/{{year:int}}/kirim", dependencies=[CsrfChecked])
def mark_sent(
    request: Request, year: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Approved → sent, under the covering letter's number."""
    evaluation = service.get_evaluation(session, year)
    try:
        service.mark_sent(
            session, actor=actor, evaluation=evaluation, letter_number=text(form, "letter_number")
        )
    except Refusal as error:
        return again(request, session, actor, year, "flow", error, form)
    session.commit()
    return back(year, "evaluation_moved", ANCHOR)


@router.post(f"{EVALUATION}/{{year:int}}/publikasi", dependencies=[CsrfChecked])
def publish(
    request: Request, year: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Make the approved report public."""
    evaluation = service.get_evaluation(session, year)
    try:
        service.publish(session, actor=actor, evaluation=evaluation)
    except Refusal as error:
        return again(request, session, actor, year, "flow", error, form)
    session.commit()
    return back(year, "evaluation_moved", ANCHOR)
