from django.core.management.base import BaseCommand

from matching.cases.services import referrals_escalate_overdue, referrals_remind


class Command(BaseCommand):
    help = (
        "The deadline sweep (run it every few minutes from cron): remind liaisons of "
        "referrals falling due within a day, escalate overdue referrals to the supervising "
        "level."
    )

    def handle(self, *args, **options):
        reminded = referrals_remind()
        escalated = referrals_escalate_overdue()
        self.stdout.write(f"提醒 reminded: {reminded}; 督办 escalated: {escalated}")
