import json
import logging

import stripe
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .webhooks import stripe_event_process

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe cannot send a CSRF token; the signature authenticates it.
@require_POST
def stripe_webhook(request):
    """Verify Stripe's signature on the raw body, then record and apply the event."""
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
            stripe.Webhook.DEFAULT_TOLERANCE,
        )
        payload = json.loads(request.body)
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("stripe webhook refused: %s", error)
        return HttpResponseBadRequest(_("签名无效。"))
    stripe_event_process(payload=payload)
    return HttpResponse(status=200)
