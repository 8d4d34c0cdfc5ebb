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
        stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("stripe webhook refused: %s", error)
        return HttpResponseBadRequest(_("签名无效。"))
    # Handlers read plain dicts; the verified body is the payload.
    stripe_event_process(payload=json.loads(request.body))
    return HttpResponse(status=200)
