from django.core.management.base import BaseCommand

from matching.payments.pledges import pledges_expire


class Command(BaseCommand):
    help = "Expire offline pledges not paid within GIVING_PLEDGE_DAYS (scheduled daily)."

    def handle(self, *args, **options):
        count = pledges_expire()
        self.stdout.write(f"{count} pledge(s) expired.")
