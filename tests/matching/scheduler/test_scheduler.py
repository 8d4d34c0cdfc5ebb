"""One scheduler: the periodic jobs of SCHEDULER_JOBS are enqueued as tasks at
their cron times, once per minute whatever the number of schedulers."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from matching.scheduler.models import ScheduledRun
from matching.scheduler.services import scheduled_jobs, scheduled_jobs_tick, scheduler_run

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# 04:00 in Changchun: the quarter-hour referral sweep, the five-minute sweep of
# held and failed notifications and the nightly index reconciliation are due;
# the complaint sweep (:05), Stripe (:20), deliveries (07:00) and the outbox
# prune (03:30) are not.
FOUR = datetime(2026, 12, 7, 4, 0, tzinfo=SHANGHAI)
DUE_AT_FOUR = {
    "matching.cases.tasks.referral_deadlines_sweep",
    "matching.notifications.tasks.deliveries_sweep",
    "search.periodic.indexes_reconcile",
}


def test_every_configured_job_is_a_task_with_a_valid_schedule():
    jobs = scheduled_jobs()
    assert {job.name for job in jobs} == set(settings.SCHEDULER_JOBS)
    for job in jobs:
        assert isinstance(job.task, Task), job.name
        assert croniter.is_valid(job.cron), job.name


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # conftest adds serialized_rollback
@override_settings(TASKS=DATABASE_TASKS)
def test_two_schedulers_ticking_the_same_minute_enqueue_each_job_once(caplog):
    start = threading.Barrier(2)
    answers = []

    def scheduler():
        try:
            start.wait(timeout=30)
            answers.append(
                scheduled_jobs_tick(
                    after=FOUR - timedelta(seconds=1), until=FOUR + timedelta(seconds=20)
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(name for answer in answers for name in answer) == [
        "notification_deliveries",
        "referral_deadlines",
        "search_reconcile",
    ]
    queued = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == sorted(DUE_AT_FOUR)
    assert ScheduledRun.objects.filter(tick=FOUR).count() == 3
    # A third scheduler, late, finds the minute taken as well.
    assert scheduled_jobs_tick(after=FOUR - timedelta(seconds=1), until=FOUR) == []
    assert DBTaskResult.objects.count() == 3
    # Finding the minute taken is the lock working, not an error.
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@override_settings(TASKS=DATABASE_TASKS)
def test_the_loop_wakes_each_minute_and_catches_up_a_missed_one(db):
    # The clock: started at 03:59:10, woke late at 04:01:02 (04:00 and 04:01 passed).
    clock = iter(
        [
            datetime(2026, 12, 7, 3, 59, 10, tzinfo=SHANGHAI),
            datetime(2026, 12, 7, 3, 59, 11, tzinfo=SHANGHAI),
            datetime(2026, 12, 7, 3, 59, 12, tzinfo=SHANGHAI),
            datetime(2026, 12, 7, 4, 1, 2, tzinfo=SHANGHAI),
            datetime(2026, 12, 7, 4, 1, 3, tzinfo=SHANGHAI),
        ]
    )
    naps = []
    with override_settings(
        SCHEDULER_JOBS={
            "every_minute": {"task": "search.periodic.outbox_prune", "cron": "* * * * *"},
            "switched_off": {"task": "search.periodic.indexes_reconcile", "cron": ""},
        }
    ):
        scheduler_run(stop=lambda: len(naps) == 2, sleep=naps.append, now=lambda: next(clock))
    ticks = sorted(ScheduledRun.objects.values_list("tick", flat=True))
    # The minute it started in, then both minutes it overslept, each once.
    assert [tick.astimezone(SHANGHAI).strftime("%H:%M") for tick in ticks] == [
        "03:59",
        "04:00",
        "04:01",
    ]
    assert set(ScheduledRun.objects.values_list("job", flat=True)) == {"every_minute"}
    # It sleeps until just past the next minute.
    assert 48 <= naps[0] <= 49
    assert 57 <= naps[1] <= 58
