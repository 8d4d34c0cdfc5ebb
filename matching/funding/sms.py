"""Senders of the household's receipt code by text message.

``settings.CONFIRMATION_SMS_SENDER`` names a class with
``send(*, phone, text, reference)``. The default log sender delivers
nothing and logs only the confirmation reference: never the phone number,
never the code (anyone reading the log could confirm in the household's
place).
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class LogSender:
    """Development: records that a code would have been sent, and nothing else."""

    def send(self, *, phone, text, reference):
        logger.info("receipt code for confirmation %s would be sent by SMS", reference)


class MemorySender:
    """Tests: keeps (phone, text) in ``outbox``."""

    outbox = []

    def send(self, *, phone, text, reference):
        self.outbox.append((phone, text))


def confirmation_sms_sender():
    return import_string(settings.CONFIRMATION_SMS_SENDER)()
