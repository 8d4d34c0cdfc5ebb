"""The staff of another district neither see nor answer a finding; a
department's liaison answers its own; the circular PDF lists the findings."""

import io

import inspection_factories as f
import pytest
from django.urls import reverse
from pypdf import PdfReader

from matching.directory.models import Role
from matching.inspections import services
from matching.inspections.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(places):
    inspector = f.user(Role.INSPECTOR, places["city"])
    inspection = f.inspection(places, [inspector])
    health = f.department(places["chaoyang"])
    return {
        "inspector": inspector,
        "inspection": inspection,
        "street": f.finding(inspection, inspector, unit=places["hongqi"]),
        "department": f.finding(inspection, inspector, department=health),
        "health": health,
    }


def test_staff_of_another_district_cannot_see_or_submit(client, places, world):
    other = f.user(Role.DISTRICT_STAFF, places["nanguan"])
    client.force_login(other)
    finding = world["street"]
    listing = client.get(reverse("inspection_findings:index")).content.decode()
    assert "红旗街道" not in listing
    assert client.get(reverse("inspections_finding", args=[finding.pk])).status_code == 404
    response = client.post(
        reverse("inspections_evidence_submit", args=[finding.pk]), {"text": "已整改。"}
    )
    assert response.status_code == 404
    with pytest.raises(services.PermissionDenied):
        services.evidence_submit(finding=finding, actor=other, text="已整改。")
    assert not Evidence.objects.exists()


def test_the_district_sees_its_streets_finding_and_the_liaison_its_departments(
    client, places, world
):
    client.force_login(f.user(Role.DISTRICT_STAFF, places["chaoyang"]))
    listing = client.get(reverse("inspection_findings:index")).content.decode()
    assert "红旗街道" in listing and "朝阳区卫生健康局" in listing
    liaison = f.user(Role.LIAISON, places["chaoyang"], department=world["health"])
    client.force_login(liaison)
    listing = client.get(reverse("inspection_findings:index")).content.decode()
    assert "朝阳区卫生健康局" in listing and "红旗街道" not in listing
    services.evidence_submit(finding=world["department"], actor=liaison, text="已整改。")


def test_the_inspector_cannot_answer_their_own_finding(world):
    with pytest.raises(services.PermissionDenied):
        services.evidence_submit(finding=world["street"], actor=world["inspector"], text="已整改。")


def test_the_circular_lists_every_finding_and_its_state(client, world):
    services.evidence_submit(
        finding=world["street"], actor=f.user(Role.STREET_STAFF, world["street"].unit), text="好"
    )
    client.force_login(world["inspector"])
    response = client.get(reverse("inspections_circular", args=[world["inspection"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Table cells wrap: compare without the line breaks.
    text = "".join("".join(page.extract_text() for page in reader.pages).split())
    assert "关于2026年低保审核审批专项督查情况的通报" in text
    assert "红旗街道" in text and "朝阳区卫生健康局" in text
    assert "整改中" in text and "待整改" in text


def test_a_finding_outside_the_scope_is_refused(places):
    inspector = f.user(Role.INSPECTOR, places["city"])
    today_inspection = services.inspection_create(
        actor=inspector,
        title="朝阳区专项督查",
        topic="临时救助",
        scope=places["chaoyang"],
        starts_on=f.timezone.localdate(),
        ends_on=f.timezone.localdate(),
        team=[inspector],
    )
    with pytest.raises(services.ValidationError):
        f.finding(today_inspection, inspector, unit=places["nanling"])


def test_the_finding_page_reads_in_english(client, places, world):
    client.force_login(f.user(Role.STREET_STAFF, places["hongqi"]))
    client.cookies["django_language"] = "en"
    url = reverse("inspections_finding", args=[world["street"].pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rectification state" in page and "Submit rectification evidence" in page
    assert "待整改" not in page and "整改情况说明" not in page
