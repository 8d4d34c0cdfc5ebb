"""Shared helpers of the notification tests: a user's choices, what reached them."""

import re

from django.core import mail

from matching.notifications.models import Channel, Delivery, EventKind, Message
from matching.notifications.services import settings_for
from matching.notifications.sms import MemorySmsSender

CJK = re.compile(r"[\u4e00-\u9fff]")
EVERY_CHANNEL = (Channel.INBOX, Channel.EMAIL, Channel.SMS)


def prefer(user, *, language="zh-hans", channels=EVERY_CHANNEL, phone="", quiet=(None, None)):
    prefs = settings_for(user)
    prefs.language, prefs.phone = language, phone
    prefs.channels = {kind.value: list(channels) for kind in EventKind}
    prefs.quiet_start, prefs.quiet_end = quiet
    prefs.save()
    return prefs


def received(user, phone=""):
    """Everything that reached ``user``: inbox messages, e-mails, texts to their phone."""
    return {
        "inbox": list(Message.objects.filter(recipient=user).order_by("pk")),
        "email": [m for m in mail.outbox if user.email and user.email in m.to],
        "sms": [text for to, text in MemorySmsSender.outbox if phone and to == phone],
    }


def every_text():
    """Every text the platform wrote to anyone, on every channel."""
    texts = [f"{m.subject}\n{m.body}" for m in Message.objects.all()]
    texts += [f"{m.subject}\n{m.body}" for m in mail.outbox]
    texts += [text for _to, text in MemorySmsSender.outbox]
    texts += [f"{d.subject}\n{d.text}" for d in Delivery.objects.all()]
    return texts


def assert_no_personal_data(secrets):
    for text in every_text():
        for secret in secrets:
            assert secret not in text, f"{secret!r} leaked into a message: {text!r}"


def english_without_chinese_template(text, allowed=()):
    """True when ``text`` has no Chinese left once the data named in ``allowed``
    (organization and department names, which are Chinese data) is taken out."""
    for value in allowed:
        text = text.replace(value, "")
    return not CJK.search(text)
