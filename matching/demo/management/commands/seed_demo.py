import logging

from django.core import mail
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from matching.demo.city import DEMO_LOGINS, DEMO_PASSWORD, seed_cases, seed_directory
from matching.demo.coordination import seed_coordination
from matching.demo.flows import sample_tracking_code, seed_flows
from matching.demo.freshness import seed_freshness
from matching.demo.giving import seed_giving
from matching.demo.govfund_review import seed_govfund_review
from matching.demo.govfunds import seed_govfunds
from matching.demo.inspections import seed_inspections
from matching.demo.offers import seed_offers
from matching.demo.organizations import seed_organizations
from matching.demo.publicity import seed_publicity
from matching.demo.reports import seed_reports
from matching.demo.signals import demo_seeded
from matching.demo.stories import seed_stories
from matching.demo.volunteering import seed_volunteering
from matching.demo.workload import seed_workload

# While seeding, e-mails are kept in memory and counted, not printed, and info
# log lines are off: the logins and starting links must be what a newcomer sees.
QUIET_MAIL = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = "Fill the site with the demo city (deterministic for a given --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        mail.outbox = []
        logging.disable(logging.INFO)  # the services' info lines (SMS sent, page published)
        try:
            with override_settings(EMAIL_BACKEND=QUIET_MAIL):
                stories, pledge = self._seed(seed)
        finally:
            logging.disable(logging.NOTSET)
        self.stdout.write(
            f"{len(mail.outbox)} 封演示邮件未打印 / demo e-mails not printed; "
            f"{stories} 条新的演示求助已公示 / new demo needs published."
        )
        self._starting_points(pledge)

    def _seed(self, seed):
        seed_directory(seed=seed)
        # Offers first: an emergency case is matched the moment it is opened.
        seed_offers(seed=seed)
        seed_cases(seed=seed)
        # Approved, published households and money flowing to and out of them.
        seed_flows(seed=seed)
        # Government money beside it: a temporary-assistance fund that paid a household.
        seed_govfunds()
        # And a proposal of that fund waiting for the department's answer.
        seed_govfund_review()
        # The receiving bank account and one pledge awaiting its transfer.
        pledge = seed_giving()
        # Organizations awaiting verification, and reports due and overdue.
        seed_organizations(seed=seed)
        # The volunteer login's workspace: proposals, hours, a certificate.
        seed_volunteering(seed=seed)
        # Discovery reports in triage (one emergency, one overdue, one anonymous).
        seed_reports()
        # A day's queue for every staff role, the street caseworker included.
        seed_workload(seed=seed)
        # A special inspection: findings rectified, in review, returned and overdue.
        seed_inspections()
        # Joint meetings: a decided session of 朝阳区 with open tasks, one overdue.
        seed_coordination()
        # Stale economic data in 朝阳区 and a department overdue for its refresh.
        seed_freshness()
        # Dishonesty records of invented organizations: disclosed, under appeal, expired.
        seed_publicity()
        # The CMS's demo policies and notice (cms listens; matching never imports cms).
        demo_seeded.send(sender=self.__class__, seed=seed)
        # Some three hundred invented households across every district and category.
        return seed_stories(seed=seed), pledge

    def _starting_points(self, pledge):
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
        self.stdout.write("从这里开始 / start here:")
        self.stdout.write("  /needs/                      求助信息 / needs")
        self.stdout.write("  /needs/?sort=nearly_funded   即将筹满 / nearly funded")
        self.stdout.write("  /projects/                   帮扶项目 / projects")
        self.stdout.write("  /report/                     主动发现报告 / report someone in trouble")
        self.stdout.write("  /volunteer/                  志愿者工作台 / volunteer workspace")
        code = sample_tracking_code()
        if code:
            self.stdout.write(f"  /track/{code}/  善款追踪示例 / sample tracking page")
        if pledge is not None:
            self.stdout.write(
                f"  /give/thanks/{pledge.tracking_code}/  银行转账认捐示例 / sample pledge "
                f"(识别码 reference {pledge.transfer_reference})"
            )
