"""manage.py scheduler: the one process that enqueues the periodic jobs."""

import signal
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from matching.scheduler.services import scheduled_jobs, scheduled_jobs_tick, scheduler_run


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs of SCHEDULER_JOBS as tasks at their cron times "
        "(docs/operations.md). Several may run: each minute's job is enqueued once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="enqueue what is due this minute, then exit",
        )
        parser.add_argument(
            "--list", dest="list_jobs", action="store_true", help="list the jobs and exit"
        )

    def handle(self, *args, once, list_jobs, **options):
        if list_jobs:
            for job in scheduled_jobs():
                self.stdout.write(f"{job.name}\t{job.cron}\t{job.task_path}")
            return
        if once:
            now = timezone.now()
            start = now.replace(second=0, microsecond=0) - timedelta(microseconds=1)
            enqueued = scheduled_jobs_tick(after=start, until=now)
            self.stdout.write(", ".join(enqueued) or "-")
            return
        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        self.stdout.write(f"scheduler: {len(scheduled_jobs())} jobs")
        scheduler_run(stop=lambda: bool(stopping), sleep=_sleeper(stopping))


def _sleeper(stopping):
    def sleep(seconds):
        # In short steps, so that a signal stops the loop within a second.
        end = time.monotonic() + seconds
        while not stopping and time.monotonic() < end:
            time.sleep(min(1.0, end - time.monotonic()))

    return sleep
