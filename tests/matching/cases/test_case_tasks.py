"""The referral sweep as the scheduler enqueues it (matching.cases.tasks)."""

import datetime as dt

import pytest
from case_factories import case, department, staff
from django.utils import timezone

from matching.cases import services
from matching.cases.models import CaseStatus, Referral
from matching.cases.tasks import referral_deadlines_sweep

pytestmark = pytest.mark.django_db


def test_the_scheduled_sweep_escalates_an_overdue_referral_once(places):
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    referral = services.referral_create(
        case=opened,
        department=department("health", places["chaoyang"]),
        category="medical",
        actor=staff(places["chaoyang"]),
    )
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))

    result = referral_deadlines_sweep.enqueue()  # the test settings run tasks at once

    assert result.return_value == {"reminded": 0, "escalated": 1}
    referral.refresh_from_db()
    assert referral.escalated_to == places["city"]
    assert referral_deadlines_sweep.enqueue().return_value == {"reminded": 0, "escalated": 0}
