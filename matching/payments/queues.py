"""Pledges to confirm (``matching/core/workqueue.py``): for whoever confirms them."""

from django.utils.translation import gettext_lazy as _

from matching.core.workqueue import queue_register

from .pledge_admin import can_confirm_pledges
from .selectors import pledges_to_confirm


def pledges_awaiting_confirmation(*, user):
    """The pledge list's own rows (pending and expired), for those who may confirm."""
    if not can_confirm_pledges(user):
        return None
    return pledges_to_confirm()


queue_register(
    key="pledges",
    label=_("待确认到账的认捐"),
    rows=pledges_awaiting_confirmation,
    index_url_name="payments_pledges:index",
    order=70,
    icon="tick",
)
