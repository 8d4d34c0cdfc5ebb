"""In Chromium on a 390-px phone, as a volunteer: sign up, confirm the e-mailed
link, sign in, set availability, answer a proposal, see the task once staff
approve it, log hours, and download the certificate once the team confirms.
Staff and the team's administrator act through the services (their screens
have their own tests)."""

import io

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from matching.funding import services as funding
from matching.funding.models import VolunteerHours
from matching.offers import services as offers
from matching.offers.models import Volunteer
from tests.browser_kit import assert_accessible, new_page, shoot
from tests.matching.volunteering.volunteering_factories import (
    LINK,
    PASSWORD,
    propose,
    team_admin,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # As in the giving journey: a flushing test before may have re-created the
    # content types under new ids.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def phone(browser):
    page = new_page(browser, "phone", "zh-CN")
    yield page
    page.context.close()


def _sign_up(page, base, places):
    page.goto(f"{base}/join/volunteer/")
    assert_accessible(page)
    page.locator("#id_email").fill("zhou@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_again").fill(PASSWORD)
    page.locator("#id_name").fill("周志愿")
    page.locator("#id_jurisdiction").select_option(places["hongqi"].code)
    page.locator("#id_radius_km").select_option("5")
    page.get_by_label("生活帮扶").check()
    page.locator("#id_skills").fill("陪诊，代购")
    page.get_by_test_id("slot-sat_am").check()
    page.locator("#id_hours_per_week").fill("4")
    page.locator("#id_consent").check()
    shoot(page, "volunteer-join")
    page.get_by_test_id("join-submit").click()
    expect(page.get_by_test_id("join-sent")).to_contain_text("确认邮件")


def _confirm_and_sign_in(page, base):
    link = LINK.search(mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_test_id("confirm-submit").click()
    page.locator("#id_username").fill("zhou@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/volunteer/")


def test_a_volunteer_joins_serves_and_downloads_a_certificate(
    live_server, phone, places, case, staff
):
    page, base = phone, live_server.url
    _sign_up(page, base, places)
    _confirm_and_sign_in(page, base)
    assert_accessible(page)

    # Availability: Sunday afternoon too.
    page.get_by_test_id("edit-profile").click()
    page.get_by_test_id("slot-sun_pm").check()
    assert_accessible(page)
    page.get_by_test_id("profile-submit").click()
    expect(page.get_by_test_id("my-slots")).to_have_text("周六上午 · 周日下午")

    # The matcher's proposal is recorded; it appears in the workspace.
    volunteer = Volunteer.objects.get(user__email="zhou@example.com")
    match = propose(case, volunteer)
    page.reload()
    page.get_by_test_id(f"proposal-{match.pk}").click()
    expect(page.get_by_test_id("brief-area")).to_contain_text("朝阳区 红旗街道")
    assert_accessible(page)
    shoot(page, "volunteer-proposal")
    page.get_by_label("接受邀请").check()
    page.get_by_test_id("answer-submit").click()
    expect(page.get_by_test_id(f"task-{match.pk}")).to_contain_text("待批准")

    # Staff of the household's district approve the match.
    offers.match_decide(match=match, actor=staff, approve=True, reason="时间合适")
    page.reload()
    page.get_by_test_id(f"task-{match.pk}").click()
    expect(page.get_by_test_id("brief-contact")).to_contain_text("12345")
    page.locator("#id_hours").fill("2.5")
    page.locator("#id_note").fill("陪同复诊")
    assert_accessible(page)
    page.get_by_test_id("hours-submit").click()
    expect(page.get_by_test_id("hours-table")).to_contain_text("待确认")
    shoot(page, "volunteer-task")

    # The volunteer's team confirms the hours.
    admin = team_admin(volunteer, places)
    funding.volunteer_hours_decide(entry=VolunteerHours.objects.get(), actor=admin, confirm=True)
    page.goto(f"{base}/volunteer/")
    expect(page.get_by_test_id("confirmed-hours")).to_have_text("2.50 小时")
    page.get_by_test_id("certificates-link").click()
    page.get_by_test_id("certificate-issue").click()
    expect(page.get_by_test_id("certificate-download")).to_be_visible()
    assert_accessible(page)
    shoot(page, "volunteer-certificates")
    with page.expect_download() as downloading:
        page.get_by_test_id("certificate-download").click()
    pdf = PdfReader(io.BytesIO(open(downloading.value.path(), "rb").read()))  # noqa: SIM115
    text = "".join("".join(p.extract_text().split()) for p in pdf.pages)
    assert "周志愿" in text and "累计2.50小时" in text
    assert volunteer.certificates.get().code in text
