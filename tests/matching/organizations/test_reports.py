"""Delivery reports (photos private until staff, having looked for faces,
publish them without their metadata) and the periodic report a verified
organization owes (opened and marked overdue by a job, flagged to staff)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from matching.organizations import services
from matching.organizations.models import DeliveryReport, PeriodicReport
from tests.matching.organizations import org_factories as of
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(places, reviewer):
    organization, admin = of.registered(places["chaoyang"])
    services.vetting_decide(vetting=organization.vetting, actor=reviewer, decision="verify")
    organization.refresh_from_db()
    return organization, admin


def _photo_with_gps_note():
    picture = Image.new("RGB", (16, 16), (30, 90, 160))
    exif = Image.Exif()
    exif[0x010E] = "工农大路 1288 号"  # ImageDescription, as a phone app might write it
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("delivery.jpg", out.getvalue(), content_type="image/jpeg")


def _report(client, **overrides):
    data = {
        "title": "冬衣发放",
        "delivered_on": "2026-11-20",
        "text": "向 12 户低保家庭发放冬衣。",
        "photos": [_photo_with_gps_note()],
        "no_faces_confirmed": "on",
    }
    data.update(overrides)
    return client.post(reverse("organization_delivery_new"), data)


def test_photos_need_the_no_face_confirmation_and_a_photo_type(client, verified):
    _organization, admin = verified
    client.force_login(admin)
    response = _report(client, no_faces_confirmed="")
    assert response.status_code == 422
    assert "请确认照片中没有任何人的面部" in response.text
    text_file = SimpleUploadedFile("photo.jpg", b"GIF89a....", content_type="image/jpeg")
    response = _report(client, photos=[text_file])
    assert response.status_code == 422
    assert "文件类型不符：只接受 JPEG、PNG 文件。" in response.text
    assert not DeliveryReport.objects.exists()


def test_a_report_is_public_only_after_staff_review_and_without_metadata(
    client, verified, reviewer
):
    organization, admin = verified
    client.force_login(admin)
    assert _report(client)["Location"] == reverse("organization_home")
    report = DeliveryReport.objects.get()
    photo = report.photos.get()
    public = reverse("organization_deliveries", args=[organization.pk])
    client.logout()
    assert "冬衣发放" not in client.get(public).text
    assert client.get(reverse("organizations_delivery_photo", args=[photo.pk])).status_code == 302

    client.force_login(reviewer)
    review = reverse("organizations_delivery_review", args=[report.pk])
    page = client.get(review)
    assert "冬衣发放" in page.text
    shown = client.get(reverse("organizations_delivery_photo", args=[photo.pk]))
    assert shown["Content-Type"] == "image/jpeg"
    refused = client.post(review, {"decision": "publish"})
    assert refused.status_code == 422
    assert "请逐张查看照片，确认没有任何人的面部后再公开。" in refused.text
    client.post(review, {"decision": "publish", "faces_checked": "on"})
    report.refresh_from_db()
    photo.refresh_from_db()
    assert report.status == DeliveryReport.Status.PUBLISHED
    with photo.image.file.open("rb"), Image.open(photo.image.file) as published:
        assert dict(published.getexif()) == {}

    client.logout()
    page = client.get(public).text
    assert "冬衣发放" in page and "<img" in page
    assert photo.file.name not in page


def test_a_returned_report_shows_the_reason(client, verified, reviewer):
    _organization, admin = verified
    client.force_login(admin)
    _report(client, photos=[], no_faces_confirmed="")
    report = DeliveryReport.objects.get()
    client.force_login(reviewer)
    review = reverse("organizations_delivery_review", args=[report.pk])
    assert "退回报告必须填写理由。" in client.post(review, {"decision": "return"}).text
    client.post(review, {"decision": "return", "reason": "请删去受助人的门牌号。"})
    client.force_login(admin)
    assert "请删去受助人的门牌号。" in client.get(reverse("organization_home")).text


def test_another_districts_staff_cannot_review(client, places, verified):
    _organization, admin = verified
    client.force_login(admin)
    _report(client)
    report = DeliveryReport.objects.get()
    client.force_login(pf.staff(places["nanguan"]))
    review = reverse("organizations_delivery_review", args=[report.pk])
    assert client.get(review).status_code == 404
    photo = report.photos.get()
    assert client.get(reverse("organizations_delivery_photo", args=[photo.pk])).status_code == 404


def test_the_reporting_duty_opens_flags_and_is_met(client, places, verified, reviewer):
    organization, admin = verified
    unverified, _ = of.registered(places["chaoyang"])
    # Two days after the end of this quarter, the one the organization was verified in.
    this_quarter_end = services.quarter_before(dt.date.today() + dt.timedelta(days=100))[1]
    day = this_quarter_end + dt.timedelta(days=2)
    opened, overdue = services.reporting_duty_sweep(today=day)
    (report,) = opened
    assert report.organization == organization  # the unverified one owes nothing
    start, end = services.quarter_before(day)
    assert (report.period_start, report.period_end) == (start, end)
    assert report.due_on == end + dt.timedelta(days=30)
    assert overdue == []
    assert services.reporting_duty_sweep(today=day) == ([], [])  # idempotent
    assert not PeriodicReport.objects.filter(organization=unverified).exists()

    services.reporting_duty_sweep(today=report.due_on + dt.timedelta(days=1))
    report.refresh_from_db()
    assert report.status == PeriodicReport.Status.OVERDUE

    client.force_login(reviewer)
    listing = client.get(reverse("organizations_reports:index") + "?status=overdue").text
    assert organization.name in listing and "已逾期" in listing
    dashboard = client.get(reverse("wagtailadmin_home")).text
    assert 'data-testid="overdue-reports"' in dashboard and "1 份定期报告已逾期" in dashboard
    client.force_login(pf.staff(places["nanguan"]))
    assert organization.name not in client.get(reverse("organizations_reports:index")).text

    client.force_login(admin)
    assert "已逾期" in client.get(reverse("organization_home")).text
    page = reverse("organization_report", args=[report.pk])
    assert client.post(page, {"summary": " "}).status_code == 422
    client.post(page, {"summary": "本季度服务 40 户，支出 3.2 万元。"})
    report.refresh_from_db()
    assert report.status == PeriodicReport.Status.SUBMITTED
    assert report.submitted_by == admin


def test_quarters():
    assert services.quarter_before(dt.date(2026, 1, 15)) == (
        dt.date(2025, 10, 1),
        dt.date(2025, 12, 31),
    )
    assert services.quarter_before(dt.date(2026, 7, 1)) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
    )
