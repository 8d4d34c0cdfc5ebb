import logging
import time

import stripe
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from matching.core.safejson import TooDeep, has_unstorable, loads_bounded

from .webhooks import stripe_event_record, stripe_events_apply

logger = logging.getLogger(__name__)
# Inline, a request applies its own event and a few others that are due.
INLINE_BATCH = 20
# Seconds a signature's timestamp may be off our clock, either way.
TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE


@csrf_exempt  # Stripe cannot send a CSRF token; the signature authenticates it.
@require_POST
def stripe_webhook(request):
    """Verify Stripe's signature on the raw body, record the event, answer.

    Recording is one committed INSERT (nothing for an id seen before), so a
    2xx means the event is safely ours. Applying it is the worker's
    (``STRIPE_EVENTS_APPLY = "worker"``) or, inline, done here before
    answering; a failure there is recorded on the event and retried, and
    Stripe still gets its 2xx (it need not deliver again).
    """
    if not settings.STRIPE_WEBHOOK_SECRET:
        # Card giving is off: nothing may pretend a payment happened.
        return HttpResponseBadRequest(_("未启用在线支付。"))
    try:
        # What construct_event verifies (HMAC of "t.body", Stripe's 300 s
        # tolerance), without building a StripeObject tree the handlers do
        # not read: they take the verified body as plain dicts.
        stripe.WebhookSignature.verify_header(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
            TOLERANCE,
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("stripe webhook refused: %s", error)
        return HttpResponseBadRequest(_("签名无效。"))
    # The SDK's tolerance only bounds the past: a signature dated ahead of
    # our clock (beyond the same tolerance) is refused too.
    if _signed_at(request.headers["Stripe-Signature"]) > time.time() + TOLERANCE:
        logger.warning("stripe webhook refused: a signature dated in the future")
        return HttpResponseBadRequest(_("签名无效。"))
    try:
        payload = loads_bounded(request.body)
    except TooDeep:
        logger.warning("stripe webhook refused: a signed body nested too deep")
        return HttpResponseBadRequest(_("不是有效的 Stripe 事件。"))
    except ValueError:
        logger.warning("stripe webhook refused: a signed body that is not JSON")
        return HttpResponseBadRequest(_("不是有效的 Stripe 事件。"))
    if not _is_event(payload) or has_unstorable(payload):
        # Signed with our secret yet not an event: nothing to record.
        logger.warning("stripe webhook refused: a signed body that is not an event")
        return HttpResponseBadRequest(_("不是有效的 Stripe 事件。"))
    recorded = stripe_event_record(payload=payload)
    if recorded is not None and settings.STRIPE_EVENTS_APPLY == "inline":
        stripe_events_apply(limit=INLINE_BATCH)
    return HttpResponse(status=200)


def _signed_at(header):
    """The ``t=`` timestamp of a Stripe-Signature header that verified (the
    first one, as the SDK reads it)."""
    for item in header.split(","):
        key, _sep, value = item.partition("=")
        if key == "t":
            return int(value)
    return 0


def _is_event(payload):
    return (
        isinstance(payload, dict)
        and isinstance(payload.get("id"), str)
        and 0 < len(payload["id"]) <= 255
        and isinstance(payload.get("type"), str)
        and 0 < len(payload["type"]) <= 100
        and isinstance(payload.get("data"), dict)
        and isinstance(payload["data"].get("object"), dict)
        and _is_timestamp(payload.get("created"))
    )


# Stripe's "created": seconds since 1970, a datetime can hold it (before 10000).
_LAST_TIMESTAMP = 253_402_300_799


def _is_timestamp(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= _LAST_TIMESTAMP
