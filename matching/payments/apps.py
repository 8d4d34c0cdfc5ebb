import stripe
from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "matching.payments"
    label = "payments"
    verbose_name = _("捐赠与资金")

    def ready(self):
        # Configure the SDK once; STRIPE_API_BASE points it at stripe-mock in tests.
        stripe.api_key = settings.STRIPE_SECRET_KEY or None
        if settings.STRIPE_API_BASE:
            stripe.api_base = settings.STRIPE_API_BASE
        stripe.max_network_retries = 2


def card_payments_enabled():
    """Card giving is offered only when Stripe is fully configured."""
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)
