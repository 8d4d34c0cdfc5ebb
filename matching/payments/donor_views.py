"""The donor's pages: the account page (accounts/me/ for the donor role), PDF
receipts, monthly giving and its cancellation, claiming past gifts, sign-up.

Views parse, call one service or selector, render (docs/funding.md).
"""

import logging
import uuid
from functools import wraps

import stripe
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from matching.core.errors import refusal_message
from matching.directory.account_pages import account_page_register
from matching.directory.models import Role

from .apps import card_payments_enabled
from .donor_forms import ClaimForm, DonorSignupForm, MonthlyGiftForm
from .donors import (
    LinkRefused,
    claim_token_make,
    donor_gift_get,
    donor_gift_list,
    donor_gifts_claim,
    donor_receipt_available,
    donor_recurring_get,
    donor_recurring_list,
    donor_signup_confirm,
    donor_signup_start,
    is_donor,
    recurring_cancellable,
    recurring_failed_instalments,
)
from .giving_views import STRIPE_CHECKOUT_ORIGIN, giving_rate
from .receipts import donation_receipt_pdf
from .recurring import RECURRING_KINDS, RecurringRefused, recurring_gift_cancel
from .recurring import recurring_gift_checkout_start as checkout_start
from .targets import GivingRefused, giving_target_get, giving_target_words

logger = logging.getLogger(__name__)


def donor_rate(group, request):
    return settings.DONOR_ACCOUNT_RATE


def _track_url(request, donation):
    return request.build_absolute_uri(reverse("funding:track", args=[donation.tracking_code]))


# --- the account page ----------------------------------------------------------------------

# A status shows as colour, icon and words (never colour alone).
_GIFT_BADGES = {
    "succeeded": ("text-bg-success", "bi-check-circle"),
    "pending": ("text-bg-secondary", "bi-hourglass-split"),
    "failed": ("text-bg-danger", "bi-x-circle"),
    "expired": ("text-bg-secondary", "bi-clock-history"),
    "partially_refunded": ("text-bg-info", "bi-arrow-counterclockwise"),
    "refunded": ("text-bg-info", "bi-arrow-counterclockwise"),
    "disputed": ("text-bg-warning", "bi-exclamation-triangle"),
    "dispute_lost": ("text-bg-dark", "bi-slash-circle"),
}
_RECURRING_BADGES = {
    "pending": ("text-bg-secondary", "bi-hourglass-split"),
    "active": ("text-bg-success", "bi-arrow-repeat"),
    "past_due": ("text-bg-danger", "bi-exclamation-octagon"),
    "cancel_requested": ("text-bg-secondary", "bi-hourglass"),
    "cancelled": ("text-bg-secondary", "bi-stop-circle"),
    "expired": ("text-bg-secondary", "bi-clock-history"),
}


@never_cache
def donor_account(request, profile):
    """accounts/me/ for a donor (directory.account_pages dispatches by role)."""
    gifts = list(donor_gift_list(user=request.user))
    recurring = list(donor_recurring_list(user=request.user))
    failed = recurring_failed_instalments(gifts=recurring)
    # One lookup per target, not per gift (a monthly donor has many gifts to one).
    codes = {gift.target_code for gift in [*gifts, *recurring]}
    earmarks = {code: giving_target_words(code) for code in codes}
    context = {
        "profile": profile,
        "gifts": [
            {
                "donation": donation,
                "earmark": earmarks[donation.target_code],
                "receipt": donor_receipt_available(donation),
                "monthly": hasattr(donation, "instalment"),
                "badge": _GIFT_BADGES.get(donation.status, _GIFT_BADGES["pending"]),
            }
            for donation in gifts
        ],
        "recurring": [
            {
                "gift": gift,
                "earmark": earmarks[gift.target_code],
                "failed": failed.get(gift.pk, []),
                "cancellable": recurring_cancellable(gift),
                "badge": _RECURRING_BADGES.get(gift.status, _RECURRING_BADGES["pending"]),
            }
            for gift in recurring
        ],
        "starting": request.GET.get("monthly", "").isdigit(),
    }
    return render(request, "payments/donor/account.html", context)


# Registered when the URLconf (donor_urls) imports this module, before any request:
# accounts/me/ stays the directory's view and shows this page to donors.
account_page_register(Role.DONOR, donor_account)


@login_required
def receipt(request, tracking_code):
    """The PDF receipt of one of the donor's own received gifts; 404 otherwise."""
    donation = donor_gift_get(user=request.user, tracking_code=tracking_code)
    if donation is None or not donor_receipt_available(donation):
        raise Http404
    pdf = donation_receipt_pdf(donation=donation, track_url=_track_url(request, donation))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{donation.tracking_code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- monthly gifts -------------------------------------------------------------------------


def _monthly_refused(request, message, status):
    return render(
        request, "payments/donor/monthly_refused.html", {"message": message}, status=status
    )


@never_cache
@csp_update({"form-action": STRIPE_CHECKOUT_ORIGIN})
@ratelimit(key="ip", rate=giving_rate, method="POST", group="payments.monthly")
def monthly(request, kind, ref):
    """Start a monthly gift: amount and consent, then Stripe Checkout (subscription)."""
    if kind not in RECURRING_KINDS:
        raise Http404
    try:
        target = giving_target_get(kind=kind, ref=ref)
    except GivingRefused as refused:
        return _monthly_refused(request, refusal_message(refused), refused.http_status)
    if not card_payments_enabled():
        return _monthly_refused(request, _("未启用在线支付，暂不能开通月捐。"), 403)
    if not request.user.is_authenticated or not is_donor(request.user):
        context = {"target": target, "next": request.get_full_path()}
        return render(request, "payments/donor/monthly_sign_in.html", context, status=200)
    form = MonthlyGiftForm(request.POST or None, initial={"attempt": uuid.uuid4()})
    context = {"target": target, "form": form}
    if request.method != "POST":
        return render(request, "payments/donor/monthly.html", context)
    if not form.is_valid():
        return render(request, "payments/donor/monthly.html", context, status=422)
    return _monthly_checkout(request, target, form, context)


def _monthly_checkout(request, target, form, context):
    def urls_for(gift):
        account = request.build_absolute_uri(reverse("my_account"))
        return f"{account}?monthly={gift.pk}", request.build_absolute_uri(request.path)

    try:
        gift, session = checkout_start(
            user=request.user,
            target=target,
            amount_minor=form.cleaned_data["amount"],
            anonymous=form.cleaned_data["anonymous"],
            urls_for=urls_for,
            attempt=form.cleaned_data["attempt"],
        )
    except RecurringRefused as refused:
        form.add_error(None, refusal_message(refused))
        return render(request, "payments/donor/monthly.html", context, status=422)
    except stripe.StripeError as error:
        logger.warning("subscription checkout not created: %s", type(error).__name__)
        form.add_error(None, _("暂时无法连接支付服务，未产生任何扣款，请稍后再试。"))
        return render(request, "payments/donor/monthly.html", context, status=503)
    if session is None:  # this page was sent before and its payment page is closed
        return HttpResponseRedirect(f"{reverse('my_account')}?monthly={gift.pk}", status=303)
    return HttpResponseRedirect(session.url, status=303)


@login_required
@require_http_methods(["GET", "POST"])
def recurring_cancel(request, pk):
    """GET: the confirmation page (keeping the gift is the default). POST: cancel."""
    gift = donor_recurring_get(user=request.user, pk=pk)
    if gift is None:
        raise Http404
    context = {"gift": gift, "earmark": giving_target_words(gift.target_code)}
    if request.method == "GET":
        context["cancellable"] = recurring_cancellable(gift)
        return render(request, "payments/donor/recurring_cancel.html", context)
    if gift.cancelled_at is not None:  # sent twice: the first one cancelled it
        messages.success(request, _("月捐已取消，今后不会再扣款。"))
        return redirect("my_account")
    try:
        recurring_gift_cancel(gift=gift, user=request.user)
    except RecurringRefused as refused:
        context["error"] = refusal_message(refused)
        context["cancellable"] = recurring_cancellable(gift)
        return render(request, "payments/donor/recurring_cancel.html", context, status=409)
    messages.success(request, _("月捐已取消，今后不会再扣款。"))
    return redirect("my_account")


# --- claiming past gifts -------------------------------------------------------------------


def donor_required(view):
    """Signed in (else the login page) with the donor role (else 403)."""

    @login_required
    @wraps(view)
    def check(request, *args, **kwargs):
        if not is_donor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return check


@donor_required
@never_cache
@ratelimit(key="ip", rate=donor_rate, method="POST", group="payments.donor_claim")
@ratelimit(key="user", rate=donor_rate, method="POST", group="payments.donor_claim_user")
def claim(request):
    """Ask for a claim link; the answer is the same whether or not gifts exist."""
    form = ClaimForm(request.POST or None)
    if request.method != "POST":
        return render(request, "payments/donor/claim.html", {"form": form})
    if not form.is_valid():
        return render(request, "payments/donor/claim.html", {"form": form}, status=422)
    email = form.cleaned_data["email"]
    token = claim_token_make(user=request.user, email=email)
    link = request.build_absolute_uri(reverse("donor:claim_confirm", args=[token]))
    body = _(
        "有人在长春市社会救助服务平台申请将使用本邮箱的捐赠记录关联到其捐赠人账户。"
        "如果是您本人，请在登录该账户后打开以下链接（%(days)s 天内有效）：\n%(link)s\n"
        "如果不是您本人，请忽略本邮件，您的捐赠记录不会被关联。"
    ) % {"link": link, "days": settings.DONOR_LINK_MAX_AGE // 86400}
    send_mail(_("确认认领捐赠记录"), body, settings.DEFAULT_FROM_EMAIL, [email])
    return render(request, "payments/donor/claim_sent.html", {"email": email})


@donor_required
@never_cache
def claim_confirm(request, token):
    try:
        result = donor_gifts_claim(user=request.user, token=token)
    except LinkRefused as refused:
        context = {"message": refusal_message(refused)}
        return render(request, "payments/donor/link_refused.html", context, status=400)
    if result.linked:
        messages.success(
            request, _("已将 %(count)s 笔捐赠关联到您的账户。") % {"count": result.linked}
        )
    else:
        messages.info(request, _("没有找到使用该邮箱、尚未关联的捐赠记录。"))
    return redirect("my_account")


# --- sign-up -------------------------------------------------------------------------------


@never_cache
@ratelimit(key="ip", rate=donor_rate, method="POST", group="payments.donor_signup")
def signup(request):
    """A donor account; active once the e-mail link is followed. Same answer for a taken address."""
    if request.user.is_authenticated:
        return redirect("my_account")
    form = DonorSignupForm(request.POST or None)
    if request.method != "POST":
        return render(request, "payments/donor/signup.html", {"form": form})
    if not form.is_valid():
        return render(request, "payments/donor/signup.html", {"form": form}, status=422)
    email = form.cleaned_data["email"].strip().lower()
    _user, token = donor_signup_start(
        email=email,
        password=form.cleaned_data["password1"],
        full_name=form.cleaned_data["full_name"].strip(),
    )
    _signup_mail(request, email=email, token=token)
    return render(request, "payments/donor/signup_sent.html", {"email": email})


def _signup_mail(request, *, email, token):
    if token is None:
        body = _(
            "有人使用本邮箱申请注册长春市社会救助服务平台捐赠人账户，但该邮箱已有账户。"
            "如果是您本人，请直接登录；如果不是您本人，请忽略本邮件。"
        )
    else:
        link = request.build_absolute_uri(reverse("donor:signup_confirm", args=[token]))
        body = _("请打开以下链接完成捐赠人账户注册（%(days)s 天内有效）：\n%(link)s") % {
            "link": link,
            "days": settings.DONOR_LINK_MAX_AGE // 86400,
        }
    send_mail(_("确认注册捐赠人账户"), body, settings.DEFAULT_FROM_EMAIL, [email])


@never_cache
def signup_confirm(request, token):
    try:
        user = donor_signup_confirm(token=token)
    except LinkRefused as refused:
        context = {"message": refusal_message(refused)}
        return render(request, "payments/donor/link_refused.html", context, status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("注册完成，欢迎您！"))
    return redirect("my_account")
