"""Reads of the inbox, always of the reader's own messages."""

from .models import Message


def message_list(*, user):
    return Message.objects.filter(recipient=user)


def message_get(*, user, pk):
    """One of ``user``'s messages, or None (someone else's looks the same as none)."""
    return Message.objects.filter(recipient=user, pk=pk).first()


def unread_count(*, user):
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
