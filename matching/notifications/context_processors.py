"""The navbar's unread-message count, for signed-in users only."""

from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that never show the navbar badge never run the query.
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user=user))}
