"""The case work a staff dashboard counts (``matching/core/workqueue.py``)."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.core.workqueue import queue_register
from matching.directory.models import Role
from matching.directory.selectors import profile_get, staff_profile

from . import selectors
from .models import CaseStatus


def new_applications(*, user):
    if staff_profile(user) is None:
        return None
    return selectors.case_list(user=user, status=CaseStatus.RECEIVED)


def emergencies(*, user):
    if staff_profile(user) is None:
        return None
    return selectors.emergencies_today(user=user)


def _answers_referrals(user):
    profile = profile_get(user=user)
    return profile is not None and (profile.role == Role.LIAISON or staff_profile(user))


def end_of_today():
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


def referrals_due_today(*, user):
    """Open referrals not yet overdue whose time limit ends before midnight."""
    if not _answers_referrals(user):
        return None
    return selectors.referral_list(user=user, open_only=True).filter(
        due_at__gte=timezone.now(), due_at__lt=end_of_today()
    )


def referrals_overdue(*, user):
    if not _answers_referrals(user):
        return None
    return selectors.referral_list(user=user, overdue_only=True)


def discovery_to_triage(*, user):
    if staff_profile(user) is None:
        return None
    return selectors.discovery_report_list(user=user, pending_only=True)


queue_register(
    key="cases_new",
    label=_("新申请"),
    rows=new_applications,
    index_url_name="cases_my:index",
    order=10,
    deadline="first_response_due",
    unit_field="jurisdiction__path",
    icon="folder-open-inverse",
)
queue_register(
    key="emergencies",
    label=_("紧急案件"),
    rows=emergencies,
    index_url_name="cases_emergencies:index",
    order=20,
    deadline="first_response_due",
    unit_field="jurisdiction__path",
    icon="warning",
)
queue_register(
    key="referrals_due_today",
    label=_("今日到期转办"),
    rows=referrals_due_today,
    index_url_name="cases_overdue_referrals:index",
    order=30,
    deadline="due_at",
    unit_field="case__jurisdiction__path",
    icon="time",
)
queue_register(
    key="referrals_overdue",
    label=_("逾期转办"),
    rows=referrals_overdue,
    index_url_name="cases_overdue_referrals:index",
    order=40,
    deadline="due_at",
    unit_field="case__jurisdiction__path",
    icon="time",
)


def stale_economic_data(*, user):
    """A liaison's department's records past their age (docs/cases.md)."""
    profile = profile_get(user=user)
    if profile is None or profile.role != Role.LIAISON:
        return None
    return selectors.stale_economic_record_list(user=user)


def refresh_requests_open(*, user):
    profile = profile_get(user=user)
    if profile is None or profile.role != Role.LIAISON:
        return None
    return selectors.refresh_request_list(user=user, open_only=True)


queue_register(
    key="economic_stale",
    label=_("过期的家庭经济数据"),
    rows=stale_economic_data,
    index_url_name="cases_stale_economic:index",
    order=50,
    icon="history",
)
queue_register(
    key="economic_refresh_requests",
    label=_("待回应的数据更新请求"),
    rows=refresh_requests_open,
    index_url_name="cases_refresh_requests:index",
    order=55,
    icon="mail",
)
queue_register(
    key="discovery",
    label=_("主动发现待研判"),
    rows=discovery_to_triage,
    index_url_name="cases_discovery:index",
    order=70,
    deadline="triage_due",
    unit_field="jurisdiction__path",
    icon="search",
)
