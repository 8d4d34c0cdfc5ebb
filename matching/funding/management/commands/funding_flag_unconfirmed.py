from django.conf import settings
from django.core.management.base import BaseCommand

from matching.funding.services import confirmations_flag_overdue


class Command(BaseCommand):
    help = (
        "Flag deliveries still unconfirmed past CONFIRMATION_DEADLINE_DAYS and notify supervisors."
    )

    def handle(self, *args, **options):
        flagged = confirmations_flag_overdue()
        days = settings.CONFIRMATION_DEADLINE_DAYS
        self.stdout.write(f"flagged {len(flagged)} deliveries unconfirmed after {days} days")
