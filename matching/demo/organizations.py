"""The demo city's organizations at work (docs/organizations.md): one that has
registered and been asked for more, one still waiting for staff, and the
verified 长春市慈善总会 (login ``charity``) with a periodic report due; a
district social-work centre is late with its report, so 朝阳区's staff see
the overdue flag on their dashboard. Idempotent."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum.cn import uscc

from matching.directory.models import Jurisdiction, Organization
from matching.organizations import services
from matching.organizations.models import PeriodicReport, Vetting

from .city import DEMO_PASSWORD

PENDING = [
    # (login, name, kind, district, registration serial, staff's request for more)
    (
        "neworg",
        "长春市朝阳区益善助老服务中心",
        Organization.Kind.SOCIAL_WORK,
        "220104",
        "MJY000001",
        "请补充加盖公章的登记证书副本和最近一年的年检报告。",
    ),
    ("neworg2", "长春市南关区晨光助学社", Organization.Kind.CHARITY, "220102", "MJY000002", ""),
]
CERTIFICATE = b"%PDF-1.4\n% demo registration certificate\n"


def _credit_code(district, serial):
    body = f"52{district}{serial}"
    return body + uscc.calc_check_digit(body)


def _register_pending():
    staff = get_user_model().objects.get(username="chaoyang")
    for login, name, kind, district, serial, ask in PENDING:
        code = _credit_code(district, serial)
        if Organization.objects.filter(credit_code=code).exists():
            continue
        organization, user = services.organization_register(
            name=name,
            kind=kind,
            jurisdiction=Jurisdiction.objects.get(code=district),
            credit_code=code,
            certificate=ContentFile(CERTIFICATE, name="certificate.pdf"),
            contact_name="刘晓梅",
            contact_phone="13904310188",
            contact_email=f"{login}-contact@assist.example",
            admin_name="陈立新",
            admin_email=f"{login}@assist.example",
            password=DEMO_PASSWORD,
        )
        user.is_active = True  # the demo skips the e-mail confirmation
        user.save(update_fields=["is_active"])
        if ask:
            services.vetting_decide(
                vetting=organization.vetting, actor=staff, decision="ask_more", reason=ask
            )


def _verified_file(organization, today):
    Vetting.objects.get_or_create(
        organization=organization,
        defaults={
            "status": Vetting.Status.VERIFIED,
            "certificate": ContentFile(CERTIFICATE, name="certificate.pdf"),
            "contact_name": "周文博",
            "contact_phone": "13904310166",
            "contact_email": "contact@assist.example",
            "submitted_at": timezone.now() - dt.timedelta(days=200),
            "decided_at": timezone.now() - dt.timedelta(days=190),
            "verified_until": today + dt.timedelta(days=175),
        },
    )


def _report(organization, today, *, due_in):
    start, end = services.quarter_before(today)
    PeriodicReport.objects.get_or_create(
        organization=organization,
        period_start=start,
        defaults={"period_end": end, "due_on": today + dt.timedelta(days=due_in)},
    )


def seed_organizations(*, seed=2026):
    """After ``seed_directory``: the organizations' registration, vetting and reporting."""
    today = timezone.localdate()
    _register_pending()
    charity = Organization.objects.get(ref="O-1")
    _verified_file(charity, today)
    _report(charity, today, due_in=12)
    late = Organization.objects.get(ref="O-3")
    _verified_file(late, today)
    _report(late, today, due_in=-5)
    services.reporting_duty_sweep(today=today)  # marks the late one overdue
