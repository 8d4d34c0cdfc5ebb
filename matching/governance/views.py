"""Public complaint pages, the staff two-factor screens, and the Chinese answers
to a lockout (django-axes) and to a rate limit (django-ratelimit)."""

from base64 import b32encode
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit

from matching.core.errors import refusal_show

from . import selectors, services
from .forms import ComplaintFollowForm, ComplaintForm, TokenForm, TwoFactorResetForm, VerifyForm
from .middleware import needs_second_factor

SESSION_RECEIPT = "governance_complaint_receipt"
SESSION_BACKUP_CODES = "governance_backup_codes"  # shown once, then dropped


def file_rate(group, request):
    return settings.COMPLAINT_FILE_RATE


def follow_rate(group, request):
    return settings.COMPLAINT_FOLLOW_RATE


@ratelimit(key="ip", rate=file_rate, method="POST", group="governance.complaint_file")
def complaint_file(request):
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint, code = services.complaint_file(**form.cleaned_data)
        except ValidationError as error:
            refusal_show(request, error, form=form)
        else:
            request.session[SESSION_RECEIPT] = [complaint.receipt_number, code]
            return redirect("complaint_done")
    return render(request, "governance/complaint_form.html", {"form": form})


@never_cache
def complaint_done(request):
    receipt = request.session.get(SESSION_RECEIPT)
    if not receipt:
        return redirect("complaint_file")
    context = {"receipt_number": receipt[0], "follow_code": receipt[1]}
    return render(request, "governance/complaint_done.html", context)


@never_cache
@ratelimit(key="ip", rate=follow_rate, method="POST", group="governance.complaint_follow")
def complaint_follow(request):
    form = ComplaintFollowForm(request.POST or None)
    found, code = None, 200
    if request.method == "POST" and not form.is_valid():
        code = 400
    elif request.method == "POST":
        found = selectors.complaint_follow(**form.cleaned_data)
        if found is None:
            form.add_error(None, _("未找到匹配的投诉举报，请核对受理编号和查询码。"))
            code = 404
    context = {"form": form, "found": found}
    return render(request, "governance/complaint_follow.html", context, status=code)


def complaint_statistics(request):
    context = {
        "rows": selectors.complaint_statistics(),
        "totals": selectors.complaint_totals(),
    }
    return render(request, "governance/complaint_statistics.html", context)


# --- staff two-factor -------------------------------------------------------


def _next_url(request):
    target = request.GET.get("next") or request.POST.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/admin/"


def _token_rate(group, request):
    return "10/m"


@never_cache
@login_required
@ratelimit(key="user", rate=_token_rate, method="POST", group="governance.two_factor")
def two_factor_verify(request):
    if not user_has_device(request.user):
        return redirect(f"{reverse('two_factor_setup')}?next={quote(_next_url(request))}")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if form.is_backup_code:
            device = services.backup_code_use(user=request.user, code=token)
        else:
            device = _verified_device(request.user, token)
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确、已过期或已使用。"))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "governance/two_factor_verify.html", context)


def _verified_device(user, token):
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def _must_verify_first(request):
    """Managing devices needs this session's second factor once there is one."""
    user = request.user
    if user.is_verified():
        return False
    required = settings.STAFF_REQUIRE_2FA and needs_second_factor(user)
    return user_has_device(user) or required


def _to_verify(request):
    return redirect(f"{reverse('two_factor_verify')}?next={quote(request.get_full_path())}")


@never_cache
@login_required
@ratelimit(key="user", rate=_token_rate, method="POST", group="governance.two_factor")
def two_factor_setup(request):
    """Enrol an authenticator: the first one, or (once verified) another one."""
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?next={quote(_next_url(request))}")
    first = not user_has_device(request.user)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = services.totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            if first:
                codes = services.backup_codes_generate(user=request.user)
                request.session[SESSION_BACKUP_CODES] = codes
                target = reverse("two_factor_backup_codes")
                return redirect(f"{target}?next={quote(_next_url(request))}")
            return redirect("two_factor_devices")
        form.add_error("token", _("验证码不正确，请确认手机时间准确后重试。"))
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": _base32(device),
        "config_url": device.config_url,
        "qr_svg": _qr_svg(device.config_url),
        "first": first,
    }
    return render(request, "governance/two_factor_setup.html", context)


def _base32(device):
    return b32encode(device.bin_key).decode()


def _qr_svg(uri):
    """The otpauth URI as an inline SVG QR code: no script, no style attribute,
    no external image, so the site's strict Content-Security-Policy holds."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, title=_("身份验证器二维码"))
    return mark_safe(svg)  # noqa: S308 - segno's own markup; the URI is XML-escaped by segno


@never_cache
@login_required
def two_factor_backup_codes(request):
    """GET shows freshly generated codes once; POST replaces all backup codes."""
    if request.method == "POST":
        if _must_verify_first(request):
            return _to_verify(request)
        if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return redirect("two_factor_setup")
        request.session[SESSION_BACKUP_CODES] = services.backup_codes_generate(user=request.user)
        return redirect("two_factor_backup_codes")
    codes = request.session.pop(SESSION_BACKUP_CODES, None)
    static = StaticDevice.objects.filter(user=request.user).first()
    context = {
        "codes": codes,
        "remaining": static.token_set.count() if static else 0,
        "has_authenticator": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "next": _next_url(request) if request.GET.get("next") else "",
    }
    return render(request, "governance/two_factor_backup_codes.html", context)


@never_cache
@login_required
def two_factor_devices(request):
    if _must_verify_first(request):
        return _to_verify(request)
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True).order_by("pk")
    static = StaticDevice.objects.filter(user=request.user).first()
    context = {
        "devices": [(d, services.totp_device_removable(device=d)) for d in devices],
        "remaining": static.token_set.count() if static else 0,
    }
    return render(request, "governance/two_factor_devices.html", context)


@never_cache
@login_required
def two_factor_device_remove(request, pk):
    device = get_object_or_404(TOTPDevice, pk=pk, user=request.user, confirmed=True)
    if _must_verify_first(request):
        return _to_verify(request)
    error, status = None, 200
    if request.method == "POST":
        try:
            services.totp_device_remove(device=device, actor=request.user)
        except ValidationError as exc:
            error, status = exc.messages[0], 400
        else:
            return redirect("two_factor_devices")
    elif not services.totp_device_removable(device=device):
        error = _("这是您唯一的身份验证器，两步验证为必需，不能移除。请先添加新的身份验证器。")
    context = {"device": device, "error": error}
    return render(request, "governance/two_factor_device_remove.html", context, status=status)


@never_cache
@login_required
def two_factor_reset(request, user_id):
    """Recovery: a superuser or city staff member removes another account's devices."""
    user = get_object_or_404(get_user_model(), pk=user_id)
    if not services.two_factor_may_reset(actor=request.user, user=user):
        raise Http404
    if _must_verify_first(request):
        return _to_verify(request)
    form = TwoFactorResetForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        services.two_factor_reset(actor=request.user, user=user, reason=form.cleaned_data["reason"])
        done = True
    context = {
        "form": form,
        "target": user,
        "done": done,
        "authenticators": TOTPDevice.objects.filter(user=user, confirmed=True).count(),
        "has_backup_codes": StaticDevice.objects.filter(user=user).exists(),
    }
    return render(request, "governance/two_factor_reset.html", context)


# --- lockout and rate limit -------------------------------------------------


def lockout(request, response=None, credentials=None, *args, **kwargs):
    """django-axes: too many failed logins (the page names no account)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "governance/lockout.html", context, status=429)


def rate_limited(request, exception=None):
    """django-ratelimit: a public form or search used too often."""
    return render(request, "governance/rate_limited.html", status=429)
