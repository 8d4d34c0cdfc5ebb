"""/join/volunteer/: sign-up, its e-mailed confirmation link, bad input."""

import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.urls import reverse

from matching.directory.models import Profile, Role
from matching.offers.models import Volunteer
from matching.volunteering.areas import DISTRICT_CENTRES
from matching.volunteering.models import Consent, Enrolment
from matching.volunteering.services import CONSENT_VERSION, consent_digest
from tests.matching.volunteering.volunteering_factories import LINK, PASSWORD

pytestmark = pytest.mark.django_db

JOIN = "/join/volunteer/"


def form(places, **overrides):
    data = {
        "email": "Zhao@Example.com",
        "password": PASSWORD,
        "password_again": PASSWORD,
        "name": "赵志愿",
        "jurisdiction": places["hongqi"].code,
        "radius_km": "5",
        "help_forms": ["daily_life", "counselling"],
        "skills": "陪诊，辅导作业、 理发",
        "availability": ["mon_pm", "sat_am", "sun_pm"],
        "hours_per_week": "6",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def confirm_path():
    return LINK.search(mail.outbox[-1].body).group(0).split("testserver", 1)[1]


def test_the_page_shows_the_week_grid_and_the_consent_text(client, places):
    page = client.get(JOIN).text
    assert len(re.findall(r'name="availability"', page)) == 14
    assert 'for="id_availability_sat_am">周六上午</label>' in page
    assert "本人同意长春市社会救助服务平台" in page
    assert "纬度" not in page and "经度" not in page  # nobody is asked for coordinates


def test_a_sign_up_creates_an_inactive_volunteer_and_mails_a_link(client, places):
    response = client.post(JOIN, form(places))
    assert response.status_code == 302
    assert response["Location"] == reverse("join_volunteer_sent")
    user = get_user_model().objects.get(email="zhao@example.com")
    assert user.username == "zhao@example.com" and not user.is_active
    assert Profile.objects.get(user=user).role == Role.VOLUNTEER
    volunteer = Volunteer.objects.get(user=user)
    assert not volunteer.active  # nothing is proposed before the address is confirmed
    assert volunteer.skills == ["陪诊", "辅导作业", "理发"]
    assert volunteer.forms == ["daily_life", "counselling"]
    assert volunteer.availability == ["mon_pm", "sat_am", "sun_pm"]
    assert (volunteer.lat, volunteer.lon) == DISTRICT_CENTRES["220104"]
    assert volunteer.jurisdiction == places["hongqi"] and volunteer.hours_per_week == 6
    consent = Consent.objects.get(volunteer=volunteer)
    assert consent.version == CONSENT_VERSION and consent.text_digest == consent_digest()
    assert consent.given_at and consent.withdrawn_at is None
    (message,) = mail.outbox
    assert message.to == ["zhao@example.com"]
    assert message.subject == "请确认您的志愿者注册"
    assert "赵志愿，您好" in message.body and "48 小时" in message.body
    assert client.login(username="zhao@example.com", password=PASSWORD) is False


def test_following_the_link_once_activates_the_account(client, places):
    client.post(JOIN, form(places))
    path = confirm_path()
    assert "确认注册" in client.get(path).text  # a mail scanner's GET changes nothing
    assert not Enrolment.objects.get().confirmed_at
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/volunteer/"
    volunteer = Volunteer.objects.get()
    assert volunteer.active and volunteer.user.is_active
    assert client.login(username="zhao@example.com", password=PASSWORD)
    landed = client.get("/accounts/landing/")
    assert landed["Location"] == "/volunteer/"


def test_a_used_link_is_refused_with_a_clear_message(client, places):
    client.post(JOIN, form(places))
    path = confirm_path()
    client.post(path)
    again = client.post(path)
    assert again.status_code == 400
    assert "该确认链接已使用过，请直接登录。" in again.text


def test_an_expired_link_is_refused_and_changes_nothing(client, places, settings):
    client.post(JOIN, form(places))
    path = confirm_path()
    later = signing.time.time() + settings.VOLUNTEER_CONFIRM_MAX_AGE + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(path)
    assert response.status_code == 400
    assert "确认链接已过期，请重新发送确认邮件。" in response.text
    assert not Volunteer.objects.get().active
    assert not get_user_model().objects.get(email="zhao@example.com").is_active


def test_a_tampered_link_is_refused(client, places):
    client.post(JOIN, form(places))
    response = client.post(confirm_path().replace(":", "x", 1))
    assert response.status_code == 400
    assert "确认链接无效" in response.text
    assert not Volunteer.objects.get().active


def test_the_link_can_be_sent_again_without_telling_who_is_registered(client, places):
    client.post(JOIN, form(places))
    first = confirm_path()
    answer = client.post("/join/volunteer/resend/", {"email": "zhao@example.com"}, follow=True)
    assert "如果该邮箱已注册且尚未确认，我们已重新发送确认邮件。" in answer.text
    assert len(mail.outbox) == 2
    unknown = client.post("/join/volunteer/resend/", {"email": "nobody@example.com"}, follow=True)
    assert "如果该邮箱已注册且尚未确认，我们已重新发送确认邮件。" in unknown.text
    assert len(mail.outbox) == 2
    assert client.post(first).status_code == 302  # the first link still works


def test_a_registered_address_cannot_join_again(client, places):
    client.post(JOIN, form(places))
    response = client.post(JOIN, form(places, email="ZHAO@example.com", name="另一个人"))
    assert response.status_code == 200
    assert "该邮箱已注册。请直接登录，或使用其他邮箱。" in response.text
    assert Volunteer.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "12345678", "password_again": "12345678"}, "这个密码太常见了。"),
        ({"password_again": "Another-Pass-2026"}, "两次输入的密码不一致。"),
        ({"consent": None}, "我已阅读并同意上述个人信息处理说明</a> — 必需字段"),
        ({"availability": None}, "每周可服务时段</a> — 必需字段"),
        ({"email": "not-an-address"}, "输入一个有效的 Email 地址。"),
        ({"hours_per_week": "0"}, "确保该值大于或等于1。"),
        ({"skills": "、".join(f"技能{n}" for n in range(11))}, "最多填写 10 项技能。"),
        ({"availability": ["mon_am", "moon_am"]}, "moon_am 不在可用的选项中"),
    ],
    ids=["common", "mismatch", "no-consent", "no-slots", "email", "hours", "skills", "slot"],
)
def test_bad_input_is_explained_in_chinese_and_nothing_is_saved(client, places, overrides, message):
    response = client.post(JOIN, form(places, **overrides))
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in response.text
    assert message in response.text
    assert not Volunteer.objects.exists() and not get_user_model().objects.exists()
    assert not mail.outbox
    # What was typed stays in the form (the password aside).
    assert 'value="赵志愿"' in response.text


def test_the_page_in_english_has_no_chinese_fallback(client, places):
    client.cookies["django_language"] = "en"
    page = client.get(JOIN).text
    for text in ("Volunteer sign-up", "Saturday morning", "Weekly availability", "I have read"):
        assert text in page
    for text in ("志愿者注册", "周六上午", "每周可服务时段", "我已阅读"):
        assert text not in page
    response = client.post(JOIN, form(places, password_again="x"))
    assert "The two passwords do not match." in response.text
    client.post(JOIN, form(places))
    (message,) = mail.outbox  # in the language of the page it was asked from
    assert message.subject == "Please confirm your volunteer sign-up"
    assert message.body.startswith("Dear 赵志愿,") and "within 48 hours" in message.body


def test_a_mail_server_failure_keeps_the_sign_up_and_offers_the_link_again(client, places):
    import smtplib

    with mock.patch(
        "matching.volunteering.services.send_mail", side_effect=smtplib.SMTPException("down")
    ):
        response = client.post(JOIN, form(places), follow=True)
    assert response.status_code == 200
    assert 'href="/join/volunteer/resend/"' in response.text
    assert Volunteer.objects.filter(user__email="zhao@example.com").exists()
    client.post("/join/volunteer/resend/", {"email": "zhao@example.com"})
    assert len(mail.outbox) == 1


def test_sign_ups_from_one_address_are_rate_limited(client, places, settings):
    settings.VOLUNTEER_JOIN_RATE = "1/h"
    client.post(JOIN, form(places))
    response = client.post(JOIN, form(places, email="second@example.com"))
    assert response.status_code == 429
    assert "提交过于频繁，请稍后再试。" in response.text
    assert Volunteer.objects.count() == 1
