"""Stale household economic data in 朝阳区 and a department overdue for its refresh.

The 朝阳区 health bureau (the ``health`` demo login) last sent its data about
four months ago: four households' long-term-care benefits are past the 90 days
an income record holds, so its stale list and dashboard count are not empty, and
the supervisors' schedule shows it overdue. One household's property record
from the housing bureau is past its 180 days too (flagged, not holding). The
first of these cases is verified by ``chaoyang``: it waits for fresh data, and a
refresh request to the health bureau is open. Runs once (it looks for its refs).
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from matching.cases import services
from matching.cases.models import Case, EconomicRecord
from matching.core.scope import subtree
from matching.directory.models import Department, Jurisdiction

MARKER = "DEMO-F-"
HEALTH_DAYS_OLD = (150, 132, 125, 120)


@transaction.atomic
def seed_freshness():
    if EconomicRecord.objects.filter(ref__startswith=MARKER).exists():
        return
    chaoyang = Jurisdiction.objects.get(code="220104")
    cases = list(
        Case.objects.filter(subtree(chaoyang.path, field="jurisdiction__path"))
        .exclude(household__economic_records__isnull=False)
        .select_related("household", "jurisdiction")
        .order_by("pk")[: len(HEALTH_DAYS_OLD)]
    )
    if not cases:
        return
    health = Department.objects.get(kind="health", jurisdiction=chaoyang)
    housing = Department.objects.get(kind="housing", jurisdiction=chaoyang)
    today = timezone.localdate()
    for index, (case, days_old) in enumerate(zip(cases, HEALTH_DAYS_OLD, strict=False), start=1):
        _send(
            health,
            case,
            f"{MARKER}H-{index}",
            "income",
            "长期护理保险待遇",
            380 + 40 * index,
            today - timedelta(days=days_old),
        )
    _send(
        housing,
        cases[0],
        f"{MARKER}Z-1",
        "asset",
        "自有住房评估值",
        52000,
        today - timedelta(days=210),
    )
    worker = get_user_model().objects.get(username="chaoyang")
    services.case_verify(case=cases[0], actor=worker)
    services.refresh_request_create(case=cases[0], department=health, actor=worker)


def _send(department, case, ref, kind, label, amount, as_of):
    head = case.household.members.order_by("pk").first()
    record = services.economic_record_submit(
        department=department,
        id_number=head.id_number,
        kind=kind,
        label=label,
        amount=Decimal(amount),
        as_of=as_of,
        ref=ref,
    )
    # Received a few days after its date, as a department's import is.
    received = timezone.make_aware(datetime.combine(as_of + timedelta(days=3), time(10, 0)))
    EconomicRecord.objects.filter(pk=record.pk).update(received_at=received)
