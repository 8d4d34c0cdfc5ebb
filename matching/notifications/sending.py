"""Sending one queued e-mail or text message, and the sweep that sends what waited."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Channel, Delivery
from .sms import SmsError, sms_sender

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def delivery_send_now(*, delivery_id, now=None):
    """Send one delivery; a failure is recorded for the sweep to retry, never raised."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.sent_at or delivery.attempts >= MAX_ATTEMPTS:
            return False
        delivery.attempts += 1
        try:
            if delivery.channel == Channel.EMAIL:
                send_mail(delivery.subject, delivery.text, None, [delivery.address])
            else:
                sms_sender().send(
                    phone=delivery.address,
                    text=delivery.text,
                    kind=delivery.kind,
                    params=delivery.template_params,
                )
        except Exception as error:
            delivery.last_error = _error_label(error)
            logger.warning(
                "%s delivery %s failed (attempt %s): %s",
                delivery.channel,
                delivery.pk,
                delivery.attempts,
                delivery.last_error,
            )
        else:
            delivery.sent_at = now or timezone.now()
            delivery.last_error = ""
        delivery.save(update_fields=["attempts", "sent_at", "last_error"])
        return delivery.sent_at is not None


def _error_label(error):
    if isinstance(error, SmsError):
        return f"SmsError: {error}"[:100]
    return type(error).__name__


def deliveries_send_due(*, now=None):
    """The sweep: send what quiet hours held back and retry what failed."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        sent_at__isnull=True, not_before__lte=now, attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if delivery_send_now(delivery_id=pk, now=now))
