"""The demo's dishonesty disclosure (失信公示, docs/publicity.md): an invented
organization under a record in force, one under appeal review, and one whose
record expired (not disclosed). Idempotent by the organizations' refs."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.cn import uscc

from matching.directory.models import DishonestyRecord, Jurisdiction, Organization
from matching.governance.services import dishonesty_record_appeal, dishonesty_record_decide

# ref, name, district, serial, (days from today to start, to end), appealed
# fmt: off
DISHONEST = [
    ("demo-dishonest-1", "长春市晴川公益中心（演示）", "220105", "MJY900001", (-60, 305), False),
    ("demo-dishonest-2", "长春市北辰助困互助会（演示）", "220106", "MJY900002", (-20, 345), True),
    ("demo-dishonest-3", "长春市旧岁慈善服务站（演示）", "220103", "MJY900003", (-400, -35), False),
]
# fmt: on
REASON = "在帮扶项目中虚报受助人数，挪用定向捐赠款 3.2 万元用于机构日常开支。"
EVIDENCE = "专项检查报告、银行流水、受助家庭回访记录。"
DECISION = "列入失信名单一年，期间不得发布新的帮扶项目，责令退回挪用款项。"
APPEAL = "机构认为部分款项已用于受助家庭，申请复核。"


def _organization(ref, name, district, serial):
    body = f"53{district}{serial}"
    organization, _ = Organization.objects.get_or_create(
        ref=ref,
        defaults={
            "name": name,
            "kind": Organization.Kind.CHARITY,
            "jurisdiction": Jurisdiction.objects.get(code=district),
            "credit_code": body + uscc.calc_check_digit(body),
            "verified": False,
        },
    )
    return organization


def seed_publicity():
    staff = get_user_model().objects.get(username="city")
    today = timezone.localdate()
    for ref, name, district, serial, (start, end), appealed in DISHONEST:
        organization = _organization(ref, name, district, serial)
        if DishonestyRecord.objects.filter(organization=organization).exists():
            continue
        record = dishonesty_record_decide(
            actor=staff,
            organization=organization,
            reason=REASON,
            evidence=EVIDENCE,
            decision=DECISION,
            starts=today + datetime.timedelta(days=start),
            ends=today + datetime.timedelta(days=end),
        )
        if appealed:
            dishonesty_record_appeal(actor=staff, record=record, reason=APPEAL)
