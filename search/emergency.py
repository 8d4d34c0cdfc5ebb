"""救急难: an emergency case is matched the moment it is opened."""

import logging

from django.utils.translation import gettext_lazy as _lazy

from matching.cases.models import Case
from matching.directory.models import STAFF_ROLES, Profile
from matching.notifications.models import EventKind
from matching.notifications.services import notify
from matching.offers.services import matches_propose

from .indexer import UNAVAILABLE
from .matcher import InProcessBackend, propose

log = logging.getLogger(__name__)


def _staff_for(case):
    codes = case.jurisdiction.path.split("/")
    return [
        p.user
        for p in Profile.objects.filter(
            role__in=STAFF_ROLES, jurisdiction_id__in=codes
        ).select_related("user")
        if p.user.is_active
    ]


def emergency_match(*, case_id):
    case = Case.objects.filter(pk=case_id).select_related("jurisdiction", "household").first()
    if case is None:  # deleted before the task ran
        return 0
    try:
        result = propose(case, top=5, excluded_limit=0)  # proposals only: no exclusions
    except UNAVAILABLE:
        # An emergency is not kept waiting for the search cluster.
        log.warning("emergency match for case %s fell back to the in-process backend", case.pk)
        result = propose(case, top=5, backend=InProcessBackend(), excluded_limit=0)
    created = matches_propose(need=case, proposals=result["proposals"])
    notify(
        kind=EventKind.EMERGENCY,
        users=_staff_for(case),
        subject=_lazy("【救急难】%(receipt)s 已生成 %(n)d 条匹配建议"),
        body=_lazy("紧急求助 %(receipt)s 已自动匹配，请尽快在“匹配审核”中处理。"),
        params={"receipt": case.receipt_number, "n": len(created)},
    )
    return len(created)
