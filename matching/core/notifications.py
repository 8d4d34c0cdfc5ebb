"""Notices to liaisons and staff: e-mail through Django, SMS through a pluggable sender.

The SMS sender is chosen by ``settings.SMS_SENDER`` (a dotted path to a class
with ``send(phone, text)``); the console sender is the default. Messages name
receipt numbers and departments, never a person's name, ID number or phone.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .masking import phone_prefix_only

logger = logging.getLogger(__name__)


class SmsSender:
    """The interface: deliver ``text`` to ``phone``; raise on failure."""

    def send(self, phone, text):
        raise NotImplementedError


class ConsoleSmsSender(SmsSender):
    """Logs that a message was sent, to a masked number (development).

    Never the text: it carries the receipt number, the other half of the
    status-lookup credentials.
    """

    def send(self, phone, text):
        logger.info(
            "SMS to %s: %s characters (text not logged)", phone_prefix_only(phone), len(text)
        )


class MemorySmsSender(SmsSender):
    """Keeps messages in ``outbox`` (tests)."""

    outbox = []

    def send(self, phone, text):
        self.outbox.append((phone, text))


def sms_sender():
    return import_string(settings.SMS_SENDER)()


def notify(*, users, subject, body):
    """E-mail ``users`` that have an address; text those with a phone on file."""
    addresses = sorted({user.email for user in users if user.email})
    if addresses:
        send_mail(subject, body, None, addresses, fail_silently=False)
    return addresses


def notify_by_sms(*, phones, text):
    sender = sms_sender()
    for phone in phones:
        sender.send(phone, text)
