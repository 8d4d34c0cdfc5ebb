"""The department API: token-authenticated JSON, described by OpenAPI at /api/v1/docs.

A department sends ``Authorization: Bearer <token>``; the token names the
department, so a department can only write its own records and answer its
own referrals. Every refusal is a 4xx with a ``detail`` message; values sent
in the body are never echoed back (they may be personal data).
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from matching.core.vocabulary import Category

from . import selectors, services
from .models import AssistanceRecord, EconomicRecord, Referral


def money(default=...):
    return Field(default, ge=0, max_digits=12, decimal_places=2)


class DepartmentToken(HttpBearer):
    def authenticate(self, request, token):
        return services.api_token_authenticate(key=token)


router = Router(auth=DepartmentToken(), tags=["departments"])


class AssistanceIn(Schema):
    ref: str | None = Field(None, max_length=64)
    id_number: str = Field(min_length=15, max_length=20)
    category: Literal[tuple(Category.values)]
    amount: Decimal | None = money(None)
    start: dt.date
    end: dt.date | None = None


class EconomicIn(Schema):
    ref: str | None = Field(None, max_length=64)
    id_number: str = Field(min_length=15, max_length=20)
    kind: Literal[tuple(EconomicRecord.Kind.values)]
    label: str = Field(min_length=1, max_length=64)
    amount: Decimal = money()
    as_of: dt.date


class Created(Schema):
    id: int
    ref: str | None


class ReferralOut(Schema):
    id: int
    receipt_number: str
    category: str
    urgency: str
    status: str
    referred_at: dt.datetime
    due_at: dt.datetime
    note: str


class AnswerIn(Schema):
    outcome: Literal[tuple(Referral.Outcome.values)]
    answer: str = Field(min_length=1, max_length=2000)


@router.post("/assistance-records", response={201: Created})
def post_assistance_record(request, payload: AssistanceIn):
    record = services.assistance_record_submit(
        source=AssistanceRecord.Source.API, provider_department=request.auth.kind, **payload.dict()
    )
    return Status(201, {"id": record.pk, "ref": record.ref})


@router.post("/economic-records", response={201: Created})
def post_economic_record(request, payload: EconomicIn):
    record = services.economic_record_submit(department=request.auth, **payload.dict())
    return Status(201, {"id": record.pk, "ref": record.ref or None})


def _referral_out(referral):
    return {
        "id": referral.pk,
        "receipt_number": referral.case.receipt_number,
        "category": referral.category,
        "urgency": referral.case.urgency,
        "status": referral.status,
        "referred_at": referral.referred_at,
        "due_at": referral.due_at,
        "note": referral.note,
    }


@router.get("/referrals", response=list[ReferralOut])
def list_referrals(request, status: Literal["open", "answered", "all"] = "open"):
    referrals = selectors.referral_list_for_department(department=request.auth)
    if status != "all":
        referrals = referrals.filter(status=status)
    return [_referral_out(referral) for referral in referrals]


@router.post("/referrals/{referral_id}/answer", response=ReferralOut)
def answer_referral(request, referral_id: int, payload: AnswerIn):
    referral = Referral.objects.select_related("case").get(pk=referral_id)
    if referral.department_id != request.auth.pk:
        raise PermissionDenied
    answered = services.referral_answer(
        referral=referral, department=request.auth, **payload.dict()
    )
    return _referral_out(answered)
