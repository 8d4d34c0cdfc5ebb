from django.core.management.base import BaseCommand

from matching.demo.city import DEMO_LOGINS, DEMO_PASSWORD, seed_cases, seed_directory
from matching.demo.flows import sample_tracking_code, seed_flows
from matching.demo.giving import seed_giving
from matching.demo.offers import seed_offers
from matching.demo.organizations import seed_organizations
from matching.demo.reports import seed_reports
from matching.demo.volunteering import seed_volunteering


class Command(BaseCommand):
    help = "Fill the site with the demo city (deterministic for a given --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        seed_directory(seed=seed)
        # Offers first: an emergency case is matched the moment it is opened.
        seed_offers(seed=seed)
        seed_cases(seed=seed)
        # Approved, published households and money flowing to and out of them.
        seed_flows(seed=seed)
        # The receiving bank account and one pledge awaiting its transfer.
        pledge = seed_giving()
        # Organizations awaiting verification, and reports due and overdue.
        seed_organizations(seed=seed)
        # The volunteer login's workspace: proposals, hours, a certificate.
        seed_volunteering(seed=seed)
        # Discovery reports in triage (one emergency, one overdue, one anonymous).
        seed_reports()
        self.stdout.write(
            "演示数据已就绪 / demo data ready. 演示账号 / demo logins "
            f"(密码 password: {DEMO_PASSWORD}):"
        )
        self.stdout.write("  admin       平台管理员 / superuser")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<11} {login.role.label}（{login.where}）")
        self.stdout.write(
            "  neworg@assist.example  待核验的社会组织管理员 / organization awaiting verification"
        )
        self.stdout.write("志愿者工作台 / volunteer workspace: /volunteer/ (volunteer)")
        code = sample_tracking_code()
        if code:
            self.stdout.write(f"善款追踪示例 / sample tracking page: /track/{code}/")
        if pledge is not None:
            self.stdout.write(
                f"银行转账认捐示例 / sample pledge: /give/thanks/{pledge.tracking_code}/ "
                f"(识别码 reference {pledge.transfer_reference})"
            )
