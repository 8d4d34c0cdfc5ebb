"""The one API root, ``/api/v1/``: the departments' endpoints (token) and the
staff endpoints (signed-in session) in one OpenAPI document.

The apps define routers; this module mounts them and turns every refusal into
a 4xx with a ``detail`` message. Values sent in a body are never echoed back.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid

from matching.cases.api import router as department_router
from matching.cases.models import Referral
from matching.core.errors import DomainError, refusal_message, refusal_status
from matching.governance.api import router as staff_router

api = NinjaAPI(
    title="长春市社会救助服务平台 · 接口",
    version="1",
    description="Departments post assistance records and household economic data, "
    "and answer referrals; signed-in staff decide matches.",
    urls_namespace="api",
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


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _detail(request, _("只有承办部门可以答复该转办事项。"), 403)


api.add_router("/", department_router)
api.add_router("/staff", staff_router)
