"""Public complaint pages, the staff two-factor screens, and the Chinese answers
to a lockout (django-axes) and to a rate limit (django-ratelimit)."""

from base64 import b32encode
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit

from matching.core.errors import refusal_show

from . import selectors, services
from .forms import ComplaintFollowForm, ComplaintForm, TokenForm

SESSION_RECEIPT = "governance_complaint_receipt"


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
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _verified_device(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确或已过期。"))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "governance/two_factor_verify.html", context)


def _verified_device(user, token):
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


@never_cache
@login_required
@ratelimit(key="user", rate=_token_rate, method="POST", group="governance.two_factor")
def two_factor_setup(request):
    if user_has_device(request.user):
        return redirect(f"{reverse('two_factor_verify')}?next={quote(_next_url(request))}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = services.totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确，请确认手机时间准确后重试。"))
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": _base32(device),
        "config_url": device.config_url,
    }
    return render(request, "governance/two_factor_setup.html", context)


def _base32(device):
    return b32encode(device.bin_key).decode()


# --- lockout and rate limit -------------------------------------------------


def lockout(request, response=None, credentials=None, *args, **kwargs):
    """django-axes: too many failed logins (the page names no account)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "governance/lockout.html", context, status=429)


def rate_limited(request, exception=None):
    """django-ratelimit: a public form or search used too often."""
    return render(request, "governance/rate_limited.html", status=429)
