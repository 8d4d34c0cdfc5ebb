from django.core.management.base import BaseCommand

from matching.demo.city import DEMO_LOGINS, DEMO_PASSWORD, seed_cases, seed_directory
from matching.demo.flows import sample_tracking_code, seed_flows
from matching.demo.offers import seed_offers
from matching.demo.workload import seed_workload


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
        # A day's queue for every staff role, the street caseworker included.
        seed_workload(seed=seed)
        self.stdout.write(
            "演示数据已就绪 / demo data ready. 演示账号 / demo logins "
            f"(密码 password: {DEMO_PASSWORD}):"
        )
        self.stdout.write("  admin       平台管理员 / superuser")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<11} {login.role.label}（{login.where}）")
        code = sample_tracking_code()
        if code:
            self.stdout.write(f"善款追踪示例 / sample tracking page: /track/{code}/")
