"""One scheduler: enqueue the periodic jobs of ``settings.SCHEDULER_JOBS`` as tasks.

Each job names a django-tasks task by its dotted path and a cron expression
(five fields, in ``TIME_ZONE``). A tick is one scheduled minute of one job;
``scheduled_job_enqueue`` enqueues it at most once whatever the number of
schedulers running, because it inserts the job's ``ScheduledRun`` row for that
minute in the same transaction (docs/operations.md).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from croniter import croniter
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

log = logging.getLogger(__name__)

# After a pause (the process was stopped, the machine slept) at most this much
# of the past is caught up; a daily job missed by a longer outage waits for its
# next time.
CATCH_UP = timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    cron: str

    @property
    def task(self):
        return import_string(self.task_path)

    def ticks(self, *, after, until):
        """The scheduled minutes in (after, until], oldest first."""
        times = croniter(self.cron, timezone.localtime(after))
        while (tick := times.get_next(datetime)) <= until:
            yield tick


def scheduled_jobs():
    """The configured jobs; a job without a cron expression is switched off."""
    return [
        Job(name=name, task_path=spec["task"], cron=spec["cron"])
        for name, spec in settings.SCHEDULER_JOBS.items()
        if spec.get("cron")
    ]


def scheduled_job_enqueue(*, job, tick):
    """Enqueue ``job`` for the minute ``tick`` unless a scheduler did; True if this call did."""
    try:
        with transaction.atomic():
            run = ScheduledRun(job=job.name, tick=tick)
            # The unique key is the lock: the database enforces it, atomically.
            run.full_clean(validate_unique=False, validate_constraints=False)
            run.save()
            result = job.task.enqueue()
            run.task_result_id = str(result.id)[:64]
            run.save(update_fields=["task_result_id"])
    except IntegrityError:
        return False
    return True


def scheduled_jobs_tick(*, after, until, jobs=None):
    """Enqueue every job due in (after, until]; returns the names enqueued by this call.

    A job whose enqueue fails is logged and the others go on.
    """
    after = max(after, until - CATCH_UP)
    enqueued = []
    for job in scheduled_jobs() if jobs is None else jobs:
        for tick in job.ticks(after=after, until=until):
            try:
                if scheduled_job_enqueue(job=job, tick=tick):
                    enqueued.append(job.name)
            except Exception:
                log.exception("scheduler: job %s at %s could not be enqueued", job.name, tick)
    return enqueued


def scheduler_run(*, stop, sleep, now=timezone.now):
    """The scheduler's loop: wake at each minute, enqueue what is due, until ``stop()``."""
    last = now().replace(second=0, microsecond=0) - timedelta(microseconds=1)
    while not stop():
        current = now()
        enqueued = scheduled_jobs_tick(after=last, until=current)
        if enqueued:
            log.info("scheduler: enqueued %s", ", ".join(enqueued))
        last = current
        following = current.replace(second=0, microsecond=0) + timedelta(minutes=1)
        sleep(max((following - now()).total_seconds(), 0) + 0.05)
