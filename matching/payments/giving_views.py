"""The public giving pages: choose an amount, see the split, pay at Stripe.

No JavaScript (the site's CSP forbids inline script): the first POST shows
the concrete split of the typed amount under the overflow policy; the
confirming POST creates the donation and either its Checkout Session (the
browser goes to Stripe) or an offline pledge (the browser goes to the thanks
page, which shows the transfer reference and the bank account). Without
Stripe keys there is no online payment and a card POST is refused; the
pledge works wherever a receiving bank account is configured.
"""

import logging
import uuid

import stripe
from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit
from wagtail.models import Site

from matching.core.errors import refusal_message, refusal_show

from .apps import card_payments_enabled
from .donors import donation_owner_link
from .forms import AMOUNT_PRESETS, BANK_TRANSFER, CARD, GiftForm
from .giving import donation_checkout_start
from .pledges import pledge_create
from .selectors import donation_get_by_tracking_code, giving_bank_account
from .targets import (
    GivingRefused,
    giving_account_sync,
    giving_plan,
    giving_policy_text,
    giving_summary,
    giving_target_get,
)

logger = logging.getLogger(__name__)


def giving_rate(group, request):
    return settings.GIVING_RATE


def _bank_account(request):
    return giving_bank_account(site=Site.find_for_request(request))


def _methods(card, bank):
    return [method for method, offered in ((CARD, card), (BANK_TRANSFER, bool(bank))) if offered]


def _initial(request, methods):
    """Preset amount and method links (``?amount=100&method=bank_transfer``) fill the form."""
    initial = {}
    if request.GET.get("amount") in AMOUNT_PRESETS:
        initial["amount"] = request.GET["amount"]
    if request.GET.get("method") in methods:
        initial["method"] = request.GET["method"]
    return initial


def _urls_for(request):
    def urls(donation):
        code = donation.tracking_code
        return (
            request.build_absolute_uri(reverse("giving:thanks", args=[code])),
            request.build_absolute_uri(reverse("giving:cancelled", args=[code])),
        )

    return urls


def _render(request, template, context, status=200):
    return render(request, f"payments/{template}", context, status=status)


# The confirming form's POST is answered by a redirect to Stripe's hosted
# page; CSP form-action covers redirects, so this page (only) allows it.
STRIPE_CHECKOUT_ORIGIN = "https://checkout.stripe.com"


@never_cache
@csp_update({"form-action": STRIPE_CHECKOUT_ORIGIN})
@ratelimit(key="ip", rate=giving_rate, method="POST", group="payments.give")
def give(request, kind, ref):
    try:
        target = giving_target_get(kind=kind, ref=ref)
    except GivingRefused as refused:
        context = {"message": refusal_message(refused)}
        return _render(request, "give_refused.html", context, refused.http_status)
    account = giving_account_sync(target=target)
    card = card_payments_enabled()
    bank = _bank_account(request)
    methods = _methods(card, bank)
    form = GiftForm(request.POST or None, methods=methods, initial=_initial(request, methods))
    context = {
        "target": target,
        "summary": giving_summary(kind=target.kind, ref=target.ref),
        "policy": giving_policy_text(account=account),
        "card_enabled": card,
        "bank": bank,
        "form": form,
        "presets": AMOUNT_PRESETS,
        "target_url": target_page_url(target.kind, target.ref),
    }
    if request.method != "POST":
        return _render(request, "give.html", context)
    if request.POST.get("method", CARD) == CARD and not card:
        context["refusal"] = _("未启用在线支付，请通过下方的线下方式捐赠。")
        return _render(request, "give.html", context, status=403)
    if not form.is_valid():
        return _render(request, "give.html", context, status=422)
    amount = form.cleaned_data["amount"]
    if not form.cleaned_data["confirmed"]:
        context["plan"] = giving_plan(account=account, amount_minor=amount)
        context["amount_minor"] = amount
        context["attempt"] = form.cleaned_data["attempt"] or uuid.uuid4()
        return _render(request, "give_confirm.html", context)
    if form.is_pledge:
        return _pledge(request, target, form, context)
    return _checkout(request, target, form, context)


def _pledge(request, target, form, context):
    try:
        donation = pledge_create(
            target=target,
            amount_minor=form.cleaned_data["amount"],
            donor=form.donor(),
            attempt=form.cleaned_data["attempt"],
        )
    except ValidationError as error:
        refusal_show(request, error, form=form)
        return _render(request, "give.html", context, status=422)
    if request.user.is_authenticated:  # the pledge shows on the donor's account page
        donation_owner_link(donation=donation, user=request.user)
    thanks_url = reverse("giving:thanks", args=[donation.tracking_code])
    return HttpResponseRedirect(thanks_url, status=303)


def _checkout(request, target, form, context):
    try:
        donation, session = donation_checkout_start(
            target=target,
            amount_minor=form.cleaned_data["amount"],
            donor=form.donor(),
            urls_for=_urls_for(request),
            attempt=form.cleaned_data["attempt"],
        )
    except ValidationError as error:
        refusal_show(request, error, form=form)
        return _render(request, "give.html", context, status=422)
    except stripe.StripeError as error:
        logger.warning("checkout session not created: %s", type(error).__name__)
        context["refusal"] = _("暂时无法连接支付服务，未产生任何扣款，请稍后再试。")
        return _render(request, "give.html", context, status=503)
    if request.user.is_authenticated:  # the gift shows on the donor's account page
        donation_owner_link(donation=donation, user=request.user)
    if session is None:  # this page was sent before and its payment page is closed
        paid_or_over = donation.status != donation.Status.PENDING
        success_url, cancel_url = _urls_for(request)(donation)
        return HttpResponseRedirect(success_url if paid_or_over else cancel_url, status=303)
    # 303: the browser GETs Stripe's hosted page.
    return HttpResponseRedirect(session.url, status=303)


def _donation_or_404(tracking_code):
    donation = donation_get_by_tracking_code(tracking_code=tracking_code)
    if donation is None:
        raise Http404
    return donation


# Where each kind of target is shown to the public (cms); others: the home page.
TARGET_PAGES = {"need": "/needs/{ref}/", "project": "/projects/{ref}/"}


def target_page_url(kind, ref):
    return TARGET_PAGES.get(kind, "/").format(ref=ref)


def _gift_context(request, donation):
    kind, _sep, ref = donation.target_code.partition(":")
    context = {"donation": donation, "kind": kind, "ref": ref}
    context["target_url"] = target_page_url(kind, ref)
    if donation.is_pledge:
        context["bank"] = _bank_account(request)
    return context


@never_cache
def thanks(request, tracking_code):
    """Where Stripe sends the donor back (the webhook, not this page, records
    payment), and where a pledge's transfer details are shown."""
    donation = _donation_or_404(tracking_code)
    return _render(request, "give_thanks.html", _gift_context(request, donation))


@never_cache
def pledge_print(request, tracking_code):
    """The pledge's transfer details on one plain page, to print or save."""
    donation = _donation_or_404(tracking_code)
    if not donation.is_pledge:
        raise Http404
    return _render(request, "give_pledge_print.html", _gift_context(request, donation))


@never_cache
def cancelled(request, tracking_code):
    donation = _donation_or_404(tracking_code)
    return _render(request, "give_cancelled.html", _gift_context(request, donation))
