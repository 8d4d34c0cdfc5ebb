"""A special inspection (专项督查) of the demo city and its rectification.

Four findings: 红旗街道's rectified with evidence accepted, the health
bureau's evidence waiting for review, 朝阳区's returned with a reason, and one
at 南关区 past its deadline and escalated. Runs once (it looks for its title).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from matching.directory.models import Department, Jurisdiction
from matching.inspections import services
from matching.inspections.models import Finding, Inspection

TITLE = "2026年社会救助政策落实专项督查"
# A one-page PDF: the demo's "photo of the public notice board".
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _finding(inspection, inspector, unit=None, department=None, days=20, **text):
    return services.finding_record(
        inspection=inspection,
        actor=inspector,
        unit=unit,
        department=department,
        working_days=days,
        **text,
    )


@transaction.atomic
def seed_inspections():
    if Inspection.objects.filter(title=TITLE).exists():
        return None
    users = get_user_model().objects
    inspector, hongqi_staff = users.get(username="inspector"), users.get(username="hongqi")
    chaoyang_staff, liaison = users.get(username="chaoyang"), users.get(username="health")
    city = Jurisdiction.objects.get(code="220100")
    today = timezone.localdate()
    inspection = services.inspection_create(
        actor=inspector,
        title=TITLE,
        topic="低保、特困供养审核审批时限，公示公开，救助资金专款专用。",
        scope=city,
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=40),
        team=[inspector, users.get(username="city")],
    )
    rectified = _finding(
        inspection,
        inspector,
        unit=hongqi_staff.profile.jurisdiction,
        severity=Finding.Severity.GENERAL,
        description="抽查低保案卷，部分审核结果未在社区张榜公示。",
        task="补齐公示，建立公示台账。",
    )
    evidence = services.evidence_submit(
        finding=rectified,
        actor=hongqi_staff,
        text="已在各社区公示栏补齐公示，并建立公示台账，附公示照片。",
        files=[(SimpleUploadedFile("notice.pdf", EVIDENCE_PDF), "pdf")],
    )
    services.evidence_review(evidence=evidence, actor=inspector, accept=True)

    waiting = _finding(
        inspection,
        inspector,
        department=Department.objects.get(kind="health", jurisdiction_id="220104"),
        severity=Finding.Severity.SERIOUS,
        description="医疗救助转办件有超期答复。",
        task="清理超期转办件，明确专人按时答复。",
    )
    services.evidence_submit(
        finding=waiting, actor=liaison, text="已清理全部超期转办件，指定两名联络员轮值答复。"
    )

    returned = _finding(
        inspection,
        inspector,
        unit=chaoyang_staff.profile.jurisdiction,
        severity=Finding.Severity.SERIOUS,
        description="临时救助资金拨付台账与账户流水不一致。",
        task="逐笔核对台账，说明差异原因。",
    )
    evidence = services.evidence_submit(finding=returned, actor=chaoyang_staff, text="已核对台账。")
    services.evidence_review(
        evidence=evidence,
        actor=inspector,
        accept=False,
        reason="未附核对明细和差异说明，请补充后重新提交。",
    )

    overdue = _finding(
        inspection,
        inspector,
        unit=Jurisdiction.objects.get(code="220102"),
        severity=Finding.Severity.GRAVE,
        description="特困人员供养审批超过规定时限。",
        task="对超时案件逐件说明原因并整改。",
        days=5,
    )
    # The demo's inspection began three weeks ago: this finding's deadline has passed.
    recorded = timezone.now() - timedelta(days=20)
    Finding.objects.filter(pk=overdue.pk).update(
        recorded_at=recorded, due_at=recorded + timedelta(days=7)
    )
    services.findings_escalate_overdue()
    return inspection
