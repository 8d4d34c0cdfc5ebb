"""The one way the platform tells people something.

``notify`` writes each recipient's message in that recipient's language to
their inbox and queues an e-mail and a text message on the channels they chose
for the event's kind; ``notify_phone`` texts a phone that belongs to no account
(an applicant's, a complainant's). Sending happens in a background task, so a
gateway that fails never breaks the request that caused the message.

Callers pass the subject and body as lazy translations (``gettext_lazy``)
with ``%(name)s`` placeholders and the values separately: the text is
rendered once per recipient under ``translation.override``. Values are
receipt numbers, department names, amounts, dates and counts — never a
person's name, ID number, phone or address (docs/notifications.md).
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation

from matching.core.validators import normalize_phone

from .models import Channel, Delivery, Message, NotificationSettings
from .tasks import delivery_send

logger = logging.getLogger(__name__)


def settings_for(user):
    """The user's notification settings, created with the defaults on first use."""
    found, _ = NotificationSettings.objects.get_or_create(user=user)
    return found


def render(text, params, language):
    """``text`` (lazy or plain) with ``params`` filled in, in ``language``."""
    with translation.override(language):
        values = {key: _plain(value) for key, value in (params or {}).items()}
        return str(text) % values if values else str(text)


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (int, float, Decimal)):
        return value
    return str(value)


def quiet_until(prefs, now):
    """The end of the user's SMS quiet hours if ``now`` falls inside them, else None."""
    start, end = prefs.quiet_start, prefs.quiet_end
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    clock = local.time()
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end), local.tzinfo)


def _recipients(users):
    seen = {}
    for user in users:
        if user is not None and user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def notify(*, kind, users, subject, body, params=None, link="", now=None):
    """Tell ``users`` about an event of ``kind``; returns the inbox messages written."""
    now = now or timezone.now()
    written = []
    for user in _recipients(users):
        prefs = settings_for(user)
        channels = prefs.channels_for(kind)
        title = render(subject, params, prefs.language)
        text = render(body, params, prefs.language)
        if Channel.INBOX in channels:
            written.append(
                Message.objects.create(
                    recipient=user, kind=kind, subject=title, body=text, link=link, created_at=now
                )
            )
        if Channel.EMAIL in channels and user.email:
            _queue(Channel.EMAIL, kind, user.email, text, subject=title, recipient=user, now=now)
        if Channel.SMS in channels and prefs.phone:
            later = quiet_until(prefs, now)
            _queue(
                Channel.SMS,
                kind,
                prefs.phone,
                f"{title}\n{text}" if title else text,
                recipient=user,
                params=_template_params(params, prefs.language),
                now=now,
                not_before=later or now,
            )
    return written


def notify_phone(*, kind, phone, body, params=None, language="zh-hans", now=None):
    """Text ``phone`` (no account behind it) in ``language``; Chinese by default."""
    phone = normalize_phone(phone)
    if not phone:
        return None
    text = render(body, params, language)
    return _queue(
        Channel.SMS, kind, phone, text, params=_template_params(params, language), now=now
    )


def notify_email(*, kind, address, subject, body, params=None, language="zh-hans", now=None):
    """E-mail an address that belongs to no account (a public reporter's), once."""
    if not address:
        return None
    return _queue(
        Channel.EMAIL,
        kind,
        address,
        render(body, params, language),
        subject=render(subject, params, language),
        now=now,
    )


def _template_params(params, language):
    with translation.override(language):
        return {key: str(_plain(value)) for key, value in (params or {}).items()}


def _queue(
    channel,
    kind,
    address,
    text,
    *,
    subject="",
    recipient=None,
    params=None,
    now=None,
    not_before=None,
):
    now = now or timezone.now()
    delivery = Delivery.objects.create(
        channel=channel,
        kind=kind,
        recipient=recipient,
        address=address,
        subject=subject[:200],
        text=text,
        template_params=params or {},
        created_at=now,
        not_before=not_before or now,
    )
    if delivery.not_before <= now:
        transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def _enqueue(delivery_id):
    try:
        delivery_send.enqueue(delivery_id=delivery_id)
    except Exception as error:  # the sweep retries what could not be queued
        logger.warning("delivery %s not queued: %s", delivery_id, type(error).__name__)


# --- the inbox ------------------------------------------------------------------


def message_mark_read(*, message, user):
    """Mark one of ``user``'s own messages read (someone else's raises DoesNotExist)."""
    message = Message.objects.get(pk=message.pk, recipient=user)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


def messages_mark_all_read(*, user):
    return Message.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_settings_update(*, user, language, phone, channels, quiet_start, quiet_end):
    prefs = settings_for(user)
    prefs.language, prefs.phone = language, normalize_phone(phone)
    prefs.channels = {kind: sorted(chosen) for kind, chosen in channels.items()}
    prefs.quiet_start, prefs.quiet_end = quiet_start, quiet_end
    prefs.full_clean()
    prefs.save()
    return prefs
