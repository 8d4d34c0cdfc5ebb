from django.core.management.base import BaseCommand

from matching.governance.services import complaints_escalate_overdue


class Command(BaseCommand):
    help = (
        "The complaint deadline sweep (run it from cron): escalate every complaint not "
        "concluded by its deadline to the level above the unit handling it, by e-mail."
    )

    def handle(self, *args, **options):
        escalated = complaints_escalate_overdue()
        self.stdout.write(f"督办 escalated: {escalated}")
