"""The department API: token-authenticated JSON, described by OpenAPI at /api/v1/docs.

A department sends ``Authorization: Bearer <token>``; the token names the
department, so a department can only write its own records and answer its
own referrals. Every refusal is a 4xx with a ``detail`` message; values sent
in the body are never echoed back (they may be personal data).
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.security import HttpBearer

from matching.core.errors import DomainError, refusal_message, refusal_status

from . import selectors, services
from .models import AssistanceRecord, Category, EconomicRecord, Referral


def money(default=...):
    return Field(default, ge=0, max_digits=12, decimal_places=2)


class DepartmentToken(HttpBearer):
    def authenticate(self, request, token):
        return services.api_token_authenticate(key=token)


api = NinjaAPI(
    title="长春市社会救助服务平台 · 部门接口",
    version="1",
    description="Departments post assistance records and household economic data, "
    "and answer referrals.",
    auth=DepartmentToken(),
    urls_namespace="cases_api",
    docs_url="/docs",
)


def _detail(request, message, status, **extra):
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    message = _("接口令牌无效或已停用，请在请求头中提供 Authorization: Bearer <令牌>。")
    return _detail(request, message, 401)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400:
        return _detail(request, _("请求体不是有效的 JSON。"), 400)
    return _detail(request, str(exc), exc.status_code)


@api.exception_handler(RequestInvalid)
def _request_invalid(request, exc):
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", ())[1:]) or "body",
            "message": error.get("msg", ""),
        }
        for error in exc.errors
    ]
    return _detail(request, _("请求内容校验失败。"), 422, errors=errors)


@api.exception_handler(ValidationError)
def _model_invalid(request, exc):
    errors = [
        {"field": field, "message": " ".join(str(m) for m in messages)}
        for field, messages in getattr(exc, "message_dict", {"body": exc.messages}).items()
    ]
    return _detail(request, _("数据不符合要求。"), 400, errors=errors)


@api.exception_handler(DomainError)
def _refused(request, exc):
    """Every domain error, whichever app raised it: its message, its status."""
    return _detail(request, refusal_message(exc), refusal_status(exc))


@api.exception_handler(Referral.DoesNotExist)
def _no_referral(request, exc):
    return _detail(request, _("转办事项不存在。"), 404)


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


@api.post("/assistance-records", response={201: Created})
def post_assistance_record(request, payload: AssistanceIn):
    record = services.assistance_record_submit(
        source=AssistanceRecord.Source.API, provider_department=request.auth.kind, **payload.dict()
    )
    return Status(201, {"id": record.pk, "ref": record.ref})


@api.post("/economic-records", response={201: Created})
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


@api.get("/referrals", response=list[ReferralOut])
def list_referrals(request, status: Literal["open", "answered", "all"] = "open"):
    referrals = selectors.referral_list_for_department(department=request.auth)
    if status != "all":
        referrals = referrals.filter(status=status)
    return [_referral_out(referral) for referral in referrals]


@api.post("/referrals/{referral_id}/answer", response=ReferralOut)
def answer_referral(request, referral_id: int, payload: AnswerIn):
    referral = Referral.objects.select_related("case").get(pk=referral_id)
    if referral.department_id != request.auth.pk:
        raise PermissionDenied
    answered = services.referral_answer(
        referral=referral, department=request.auth, **payload.dict()
    )
    return _referral_out(answered)


def _add_staff_endpoints():
    # Match decisions by signed-in staff (matching.governance.api), beside the
    # department endpoints; imported here to keep one API and one OpenAPI document.
    from matching.governance.api import router as staff_router

    api.add_router("/staff", staff_router)


_add_staff_endpoints()


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _detail(request, _("只有承办部门可以答复该转办事项。"), 403)
