"""The demo's joint meeting: decided cases, open tasks with one overdue, run twice."""

import pytest
from django.utils import timezone

from matching.coordination.models import AgendaItem, JointMeeting, JointMeetingBody, MeetingTask
from matching.demo.coordination import seed_coordination
from matching.directory.models import Role
from matching.directory.services import account_create
from tests.matching.cases import case_factories as cf

pytestmark = pytest.mark.django_db


def test_the_demo_meeting_has_decisions_and_one_overdue_task_and_runs_once():
    places = cf.city_tree()
    for kind in ("civil_affairs", "health", "human_resources"):
        cf.department(kind, places["chaoyang"])
    account_create(
        username="chaoyang",
        password=cf.PASSWORD,
        role=Role.DISTRICT_STAFF,
        jurisdiction=places["chaoyang"],
    )
    for _ in range(3):
        cf.case(places["hongqi"], status="under_review")

    seed_coordination()
    seed_coordination()

    assert JointMeetingBody.objects.count() == 3  # the city and both districts
    assert JointMeeting.objects.count() == 2
    decided = AgendaItem.objects.filter(status=AgendaItem.Status.DECIDED)
    assert decided.count() == 2 and AgendaItem.objects.count() == 3
    open_tasks = MeetingTask.objects.filter(status=MeetingTask.Status.OPEN)
    assert open_tasks.count() == 2
    assert open_tasks.filter(due_at__lt=timezone.now()).count() == 1
