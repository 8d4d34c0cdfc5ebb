"""The certificate of service hours: confirmed hours only, per task and month,
the issuing body and a code anyone can verify; a PDF read back with pypdf."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from matching.funding import services as funding
from tests.matching.volunteering.volunteering_factories import team_admin

pytestmark = pytest.mark.django_db


def _log(volunteer, task, day, hours):
    return funding.volunteer_hours_log(
        volunteer=volunteer, match=task, date=day, hours=Decimal(hours), actor=volunteer.user
    )


@pytest.fixture
def hours(task, volunteer, places):
    """Confirmed: 2.5 h last month and 1.25 h this month; 4 h pending; 1 h rejected."""
    admin = team_admin(volunteer, places)
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=3)
    for day, amount, decision in [
        (last_month, "2.5", True),
        (today, "1.25", True),
        (today, "4", None),
        (today, "1", False),
    ]:
        entry = _log(volunteer, task, day, amount)
        if decision is not None:
            funding.volunteer_hours_decide(
                entry=entry, actor=admin, confirm=decision, reason="" if decision else "重复登记"
            )
    return last_month, today


def test_no_certificate_without_confirmed_hours(signed_in, task):
    response = signed_in.post(reverse("volunteer_certificates"), follow=True)
    assert "暂无已确认的服务时长，暂不能出具证明。" in response.text
    assert not task.volunteer.certificates.exists()


def test_the_certificate_pdf_counts_confirmed_hours_only(signed_in, volunteer, task, hours):
    last_month, today = hours
    signed_in.post(reverse("volunteer_certificates"))
    certificate = volunteer.certificates.get()
    assert certificate.total_hours == Decimal("3.75")
    page = signed_in.get(reverse("volunteer_certificates")).text
    assert certificate.code in page
    response = signed_in.get(reverse("volunteer_certificate_pdf", args=[certificate.code]))
    assert response["Content-Type"] == "application/pdf"
    assert f"volunteer-hours-{certificate.code}.pdf" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    squeezed = "".join(text.split())
    assert "志愿服务时长证明" in squeezed
    assert "李志愿" in squeezed and "累计3.75小时" in squeezed
    assert f"任务#{task.pk}·朝阳区红旗街道·生活帮扶" in squeezed
    assert f"{last_month:%Y-%m}2.5" in squeezed and f"{today:%Y-%m}1.25" in squeezed
    assert "朝阳区暖心志愿服务队" in squeezed  # the issuing body: the volunteer's team
    assert certificate.code in squeezed
    assert f"/volunteer/verify/?code={certificate.code}" in squeezed
    assert "欧阳翠花" not in squeezed and "工农大路" not in squeezed


def test_anyone_verifies_a_certificate_by_its_code(client, signed_in, volunteer, hours):
    signed_in.post(reverse("volunteer_certificates"))
    code = volunteer.certificates.get().code
    client.logout()
    found = client.get(reverse("volunteer_certificate_verify"), {"code": code.lower()}).text
    assert 'data-testid="verify-found"' in found
    assert "李**" in found and "李志愿" not in found  # the holder's name, masked
    assert "3.75 小时" in found
    missing = client.get(reverse("volunteer_certificate_verify"), {"code": "AAAA-BBBB-CCCC"})
    assert 'data-testid="verify-missing"' in missing.text
