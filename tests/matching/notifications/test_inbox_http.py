"""The inbox and the notification settings over HTTP: each user reaches only their
own messages; choices, phone and quiet hours are validated in the user's language."""

import datetime as dt

import pytest
from django.utils.translation import gettext_lazy as _
from notification_kit import prefer

from matching.directory.models import Role
from matching.notifications.models import Channel, EventKind, Message
from matching.notifications.services import notify, settings_for
from tests.matching.cases.case_factories import PASSWORD, account, city_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    places = city_tree()
    return account(Role.VOLUNTEER, places["chaoyang"]), account(Role.DONOR, places["city"])


def _tell(user, receipt="CC260101ABCD2345"):
    (message,) = notify(
        kind=EventKind.CASE_STATUS,
        users=[user],
        subject=_("救助申请进度"),
        body=_("紧急救助申请 %(receipt)s 已受理，请在 %(due)s 前首次响应。"),
        params={"receipt": receipt, "due": dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)},
    )
    return message


def test_the_inbox_lists_my_messages_and_counts_the_unread(client, people):
    me, other = people
    mine, theirs = _tell(me), _tell(other, receipt="CC260101ZZZZ9999")
    client.login(username=me.username, password=PASSWORD)
    page = client.get("/inbox/")
    text = page.content.decode()
    assert page.status_code == 200 and page.context["inbox_unread"] == 1
    assert mine.subject in text and f"/inbox/{mine.pk}/" in text
    assert f"/inbox/{theirs.pk}/" not in text

    detail = client.get(f"/inbox/{mine.pk}/")
    assert "CC260101ABCD2345" in detail.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get("/inbox/").context["inbox_unread"] == 0


def test_nobody_reaches_another_users_message(client, people):
    me, other = people
    theirs = _tell(other)
    client.login(username=me.username, password=PASSWORD)
    assert client.get(f"/inbox/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None  # not even marked read by the attempt


def test_the_inbox_asks_anonymous_visitors_to_sign_in(client, people):
    me, _other = people
    message = _tell(me)
    for url in ("/inbox/", f"/inbox/{message.pk}/", "/inbox/settings/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_mark_all_read_touches_only_my_messages(client, people):
    me, other = people
    _tell(me), _tell(me), _tell(other)
    client.login(username=me.username, password=PASSWORD)
    assert client.get("/inbox/read-all/").status_code == 405
    client.post("/inbox/read-all/")
    assert not Message.objects.filter(recipient=me, read_at__isnull=True).exists()
    assert Message.objects.filter(recipient=other, read_at__isnull=True).count() == 1


def _settings_form(**overrides):
    data = {"language": "en", "phone": "", "quiet_start": "", "quiet_end": ""}
    for kind in EventKind:
        data[f"kind_{kind.value}"] = ["inbox"]
    data.update(overrides)
    return data


def test_settings_save_language_channels_phone_and_quiet_hours(client, people):
    me, _other = people
    client.login(username=me.username, password=PASSWORD)
    assert client.get("/inbox/settings/").status_code == 200
    response = client.post(
        "/inbox/settings/",
        _settings_form(
            phone="139 0431 0099",
            quiet_start="22:00",
            quiet_end="07:30",
            kind_case_status=["inbox", "sms"],
            kind_referral=[],
        ),
    )
    assert response.status_code == 302
    prefs = settings_for(me)
    assert (prefs.language, prefs.phone) == ("en", "13904310099")
    assert (prefs.quiet_start, prefs.quiet_end) == (dt.time(22, 0), dt.time(7, 30))
    assert prefs.channels_for(EventKind.CASE_STATUS) == {Channel.INBOX, Channel.SMS}
    assert prefs.channels_for(EventKind.REFERRAL) == set()
    # Nothing chosen for referrals: nothing arrives.
    assert (
        notify(kind=EventKind.REFERRAL, users=[me], subject=_("通知设置"), body=_("通知设置")) == []
    )


def test_bad_settings_are_refused_with_a_clear_message(client, people):
    me, _other = people
    prefer(me, language="zh-hans")
    client.login(username=me.username, password=PASSWORD)
    bad_phone = client.post("/inbox/settings/", _settings_form(language="zh-hans", phone="12345"))
    assert bad_phone.status_code == 400 and "电话号码无效" in bad_phone.content.decode()
    sms_without_phone = client.post(
        "/inbox/settings/", _settings_form(language="zh-hans", kind_complaint=["sms"])
    )
    assert "选择了短信接收，请填写手机号" in sms_without_phone.content.decode()
    half_quiet = client.post(
        "/inbox/settings/", _settings_form(language="zh-hans", quiet_start="22:00")
    )
    assert "免打扰时段须同时填写开始和结束时间" in half_quiet.content.decode()
    assert settings_for(me).phone == ""  # nothing saved


def test_messages_arrive_in_the_language_the_user_chose(people):
    me, other = people
    prefer(me, language="en")
    prefer(other, language="zh-hans")
    english, chinese = _tell(me), _tell(other)
    assert english.body.startswith("Emergency") or "application" in english.body.lower()
    assert "2026-12-07 17:30" in english.body  # Beijing time, in either language
    assert chinese.body.startswith("紧急救助申请")
