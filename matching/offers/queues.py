"""Matches awaiting the reader's decision (``matching/core/workqueue.py``)."""

from django.utils.translation import gettext_lazy as _

from matching.core.workqueue import queue_register
from matching.directory.models import Role
from matching.directory.selectors import profile_get, staff_profile

from . import selectors
from .models import MatchStatus


def matches_awaiting_me(*, user):
    """Staff decide matches the offer side accepted; a charity answers those proposed to it."""
    if staff_profile(user) is not None:
        return selectors.match_queue(user=user).filter(status=MatchStatus.ACCEPTED)
    profile = profile_get(user=user)
    if profile is not None and profile.role in (Role.CHARITY_ADMIN, Role.CHARITY_MEMBER):
        return selectors.match_queue(user=user).filter(status=MatchStatus.PROPOSED)
    return None


queue_register(
    key="matches",
    label=_("待我决定的匹配"),
    rows=matches_awaiting_me,
    index_url_name="matches:index",
    order=50,
    unit_field="need__jurisdiction__path",
    icon="link",
)
