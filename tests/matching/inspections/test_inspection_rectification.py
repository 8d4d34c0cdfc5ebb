"""A finding is rectified with evidence, reviewed, audited and counted in the
monthly supervision report; a return carries its reason; an overdue
rectification escalates once."""

import datetime as dt
import io

import inspection_factories as f
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from matching.audit.models import AuditEntry
from matching.directory.models import Role
from matching.inspections import services
from matching.inspections.models import Evidence, Finding
from matching.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(places, django_capture_on_commit_callbacks):
    inspector = f.user(Role.INSPECTOR, places["city"])
    street = f.user(Role.STREET_STAFF, places["hongqi"])
    inspection = f.inspection(places, [inspector])
    with django_capture_on_commit_callbacks(execute=True):
        finding = f.finding(inspection, inspector, unit=places["hongqi"])
    return {"inspector": inspector, "inspection": inspection, "finding": finding, "street": street}


def _month_query():
    return {"jurisdiction": "220104", "month": timezone.localdate().strftime("%Y-%m")}


def test_evidence_accepted_rectifies_the_finding_and_the_report_says_so(client, world):
    finding, street = world["finding"], world["street"]
    assert Message.objects.filter(recipient=street, subject__contains="整改通知").exists()
    client.force_login(street)
    response = client.post(
        reverse("inspections_evidence_submit", args=[finding.pk]),
        {"text": "已补齐公示并建立台账。", "files": [f.pdf_upload()]},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Finding.Status.SUBMITTED
    evidence = finding.evidence.get()
    assert evidence.files.get().kind == "pdf"

    client.force_login(world["inspector"])
    page = client.get(reverse("inspections_finding", args=[finding.pk])).content.decode()
    assert "已补齐公示并建立台账。" in page and 'data-testid="review-form"' in page
    response = client.post(
        reverse("inspections_evidence_review", args=[finding.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    evidence.refresh_from_db()
    assert finding.status == Finding.Status.RECTIFIED and finding.rectified_at
    assert evidence.decision == Evidence.Decision.ACCEPTED
    moves = AuditEntry.objects.filter(object_type="inspections.finding", action="transition")
    assert [entry.after["status"] for entry in moves.order_by("pk")] == ["submitted", "rectified"]

    city = f.user(Role.CITY_STAFF, world["inspection"].scope)
    client.force_login(city)
    dashboard = client.get("/admin/supervision/", _month_query()).text
    table = BeautifulSoup(dashboard, "html.parser").select_one('table[data-table="rectification"]')
    rows = {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in table.tbody("tr")}
    assert rows["督查发现问题"] == "1" and rows["已整改"] == "1" and rows["逾期未整改"] == "0"
    report = client.get("/admin/supervision/report.pdf", _month_query())
    text = " ".join(PdfReader(io.BytesIO(report.content)).pages[-1].extract_text().split())
    assert "红旗街道 较重" in text and "已整改" in text


def test_a_return_needs_a_reason_and_the_unit_sees_it(
    client, world, django_capture_on_commit_callbacks
):
    finding = world["finding"]
    services.evidence_submit(finding=finding, actor=world["street"], text="已整改。")
    client.force_login(world["inspector"])
    url = reverse("inspections_evidence_review", args=[finding.pk])
    refused = client.post(url, {"decision": "return", "reason": " "})
    assert refused.status_code == 422
    assert "退回时请填写退回理由。" in refused.content.decode()
    assert Finding.objects.get(pk=finding.pk).status == Finding.Status.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "return", "reason": "未附公示照片，请补充。"})
    finding.refresh_from_db()
    assert finding.status == Finding.Status.RETURNED
    client.force_login(world["street"])
    page = client.get(reverse("inspections_finding", args=[finding.pk])).content.decode()
    assert "未附公示照片，请补充。" in page and 'data-testid="evidence-form"' in page
    assert Message.objects.filter(recipient=world["street"], subject__contains="整改退回").exists()


def test_an_overdue_rectification_escalates_once_and_is_queued(
    client, world, django_capture_on_commit_callbacks
):
    finding = world["finding"]
    later = finding.due_at + dt.timedelta(hours=1)
    assert services.findings_escalate_overdue(now=finding.due_at - dt.timedelta(hours=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.findings_escalate_overdue(now=later) == 1
    assert services.findings_escalate_overdue(now=later + dt.timedelta(days=1)) == 0
    finding.refresh_from_db()
    assert finding.escalated_at == later
    escalations = AuditEntry.objects.filter(summary="overdue rectification escalated")
    assert escalations.count() == 1
    assert Message.objects.filter(subject__contains="督办").count() == 2  # inspector, unit

    Finding.objects.filter(pk=finding.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    for user, key in (
        (world["street"], "rectification_due"),
        (world["inspector"], "rectification_review"),
    ):
        client.force_login(user)
        listing = client.get(reverse("inspection_findings:index"), {"queue": key})
        assert listing.status_code == 200 and "红旗街道" in listing.content.decode()


def test_an_attachment_of_another_type_is_refused_and_nothing_is_written(client, world):
    client.force_login(world["street"])
    fake = f.SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("inspections_evidence_submit", args=[world["finding"].pk]),
        {"text": "已整改。", "files": [fake]},
    )
    assert response.status_code == 422
    assert "文件类型不符" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_team_concludes_an_inspection_only_once_every_finding_is_rectified(client, world):
    """Closing an inspection with a finding still open would drop it from the
    inspectors' view of work; the page says how many remain, and the box must
    be ticked. A concluded inspection takes no new finding."""
    inspection, finding, street = world["inspection"], world["finding"], world["street"]
    conclude = reverse("inspections_conclude", args=[inspection.pk])
    client.force_login(street)
    assert client.get(conclude).status_code in (403, 404)  # the inspected unit cannot

    client.force_login(world["inspector"])
    page = client.get(reverse("inspections:inspect", args=[inspection.pk])).text
    assert conclude in page  # the header offers it to the team
    unticked = client.post(conclude, {})
    assert unticked.status_code == 422 and "请勾选确认后再结束督查。" in unticked.text
    refused = client.post(conclude, {"confirm": "on"})
    assert refused.status_code == 422
    assert "尚有 1 个问题未整改完毕" in refused.text
    inspection.refresh_from_db()
    assert inspection.status == inspection.Status.UNDERWAY

    services.evidence_submit(finding=finding, actor=street, text="已整改。", files=[])
    services.evidence_review(evidence=finding.evidence.get(), actor=world["inspector"], accept=True)
    done = client.post(conclude, {"confirm": "on"})
    assert done.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == inspection.Status.CONCLUDED
    assert AuditEntry.objects.filter(
        object_type="inspections.inspection", summary="inspection concluded"
    ).exists()
    page = client.get(reverse("inspections:inspect", args=[inspection.pk])).text
    assert reverse("inspections_finding_new", args=[inspection.pk]) not in page
    assert conclude not in page
    with pytest.raises(Exception, match="督查"):
        f.finding(inspection, world["inspector"], unit=world["finding"].unit)
