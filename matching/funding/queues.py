"""Disbursements awaiting the reader's approval (``matching/core/workqueue.py``)."""

from django.utils.translation import gettext_lazy as _

from matching.core.workqueue import queue_register
from matching.directory.selectors import staff_profile

from .models import Disbursement
from .selectors import disbursement_list


def disbursements_to_approve(*, user):
    """Requested payouts the reader may approve: not their own request (four eyes)."""
    if staff_profile(user) is None:
        return None
    return (
        disbursement_list(user=user)
        .filter(status=Disbursement.Status.REQUESTED)
        .exclude(requested_by=user)
    )


queue_register(
    key="disbursements",
    label=_("待复核拨付"),
    rows=disbursements_to_approve,
    index_url_name="funding_disbursements:index",
    order=60,
    unit_field="match__need__jurisdiction__path",
    icon="tasks",
)
