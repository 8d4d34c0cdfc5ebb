"""Staff endpoints of the API (``/api/v1/staff/…``): match decisions.

Authenticated by the staff member's own signed-in session (CSRF-checked),
never by a department token: a decision must name the person who took it.
With ``STAFF_REQUIRE_2FA`` the session must have passed the second factor.
The service applies every approval rule (jurisdiction, who entered the case,
second approver, recusal) exactly as the admin review screen does.
"""

from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyCookie

from matching.core.errors import REFUSALS, refusal_message, refusal_status
from matching.directory.selectors import staff_profile
from matching.offers import selectors as offer_selectors
from matching.offers import services as offer_services

from .approvals import awaiting_second_approval


class StaffSession(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated or staff_profile(user) is None:
            return None
        if settings.STAFF_REQUIRE_2FA and not user.is_verified():
            return None
        return user


router = Router(auth=StaffSession(), tags=["staff"])


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    reason: str = Field("", max_length=2000)


class MatchOut(Schema):
    id: int
    status: str
    awaiting_second_approval: bool


class Detail(Schema):
    detail: str


@router.post(
    "/matches/{match_id}/decision", response={200: MatchOut, 403: Detail, 404: Detail, 409: Detail}
)
def decide_match(request, match_id: int, payload: DecisionIn):
    match = offer_selectors.match_queue(user=request.auth).filter(pk=match_id).first()
    if match is None:
        return Status(404, {"detail": _("匹配不存在或不在您的辖区内。")})
    try:
        decided = offer_services.match_decide(
            match=match,
            actor=request.auth,
            approve=payload.decision == "approve",
            reason=payload.reason,
        )
    except REFUSALS as error:
        detail = refusal_message(error, default=_("您无权审批该匹配。"))
        return Status(refusal_status(error), {"detail": detail})
    decided.refresh_from_db()
    return Status(
        200,
        {
            "id": decided.pk,
            "status": decided.status,
            "awaiting_second_approval": awaiting_second_approval(decided),
        },
    )
