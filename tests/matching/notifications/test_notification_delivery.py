"""Sending: quiet hours delay a text to their end (never drop it), a failing gateway
never breaks the caller and is retried by the sweep, and nothing sent is logged."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from notification_kit import prefer

from matching.directory.models import Role
from matching.notifications.models import Delivery, EventKind
from matching.notifications.sending import deliveries_send_due
from matching.notifications.services import notify, notify_phone, quiet_until
from matching.notifications.sms import MemorySmsSender, SmsError, SmsSender
from tests.matching.cases.case_factories import account, city_tree

pytestmark = pytest.mark.django_db
PHONE = "13904310077"
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def user():
    return account(Role.VOLUNTEER, city_tree()["chaoyang"])


def _at(hour, minute=0, day=7):
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TZ)


def _send(user, now):
    return notify(
        kind=EventKind.MATCH_PROPOSED,
        users=[user],
        subject=_("新的匹配建议：%(offer)s"),
        body=_(
            "平台为“%(offer)s”匹配了一项救助需求（受理编号 %(receipt)s），"
            "请登录平台查看并答复是否接受。"
        ),
        params={"offer": "陪诊服务", "receipt": "CC261207ABCD2345"},
        now=now,
    )


@pytest.mark.parametrize(
    ("quiet", "now", "expected"),
    [
        ((dt.time(22), dt.time(7)), _at(23, 15), _at(7, day=8)),  # across midnight
        ((dt.time(22), dt.time(7)), _at(3, 0), _at(7)),
        ((dt.time(22), dt.time(7)), _at(12, 0), None),
        ((dt.time(12), dt.time(14)), _at(13, 0), _at(14)),  # a midday nap
        ((dt.time(12), dt.time(14)), _at(14, 0), None),  # the end is not inside
        ((None, None), _at(3, 0), None),
    ],
)
def test_quiet_hours(user, quiet, now, expected):
    prefs = prefer(user, quiet=quiet, phone=PHONE)
    assert quiet_until(prefs, now) == expected


def test_a_text_in_quiet_hours_waits_for_their_end_then_goes(
    user, django_capture_on_commit_callbacks
):
    prefer(user, phone=PHONE, quiet=(dt.time(22), dt.time(7)))
    night = _at(23, 30)
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = _send(user, night)
    # The inbox and the e-mail do not wait; the text does.
    assert message.subject.startswith("新的匹配建议")
    assert len(mail.outbox) == 1 and MemorySmsSender.outbox == []
    held = Delivery.objects.get(channel="sms")
    assert held.not_before == _at(7, day=8) and held.sent_at is None

    assert deliveries_send_due(now=_at(6, 59, day=8)) == 0
    assert MemorySmsSender.outbox == []
    assert deliveries_send_due(now=_at(7, 0, day=8)) == 1
    assert MemorySmsSender.outbox == [(PHONE, MemorySmsSender.outbox[0][1])]
    assert "陪诊服务" in MemorySmsSender.outbox[0][1]
    assert deliveries_send_due(now=_at(8, 0, day=8)) == 0  # sent once


class BrokenGateway(SmsSender):
    calls = 0

    def send(self, *, phone, text, kind="", params=None):
        BrokenGateway.calls += 1
        raise SmsError("isv.BUSINESS_LIMIT_CONTROL")


def test_a_failing_gateway_never_breaks_the_caller_and_is_retried(
    user, settings, django_capture_on_commit_callbacks, caplog
):
    prefer(user, phone=PHONE)
    settings.SMS_SENDER = f"{__name__}.BrokenGateway"
    BrokenGateway.calls = 0
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        _send(user, timezone.now())
        notify_phone(kind=EventKind.CASE_STATUS, phone="13804319999", body=_("短信"))
    failed = Delivery.objects.filter(channel="sms", sent_at__isnull=True)
    assert failed.count() == 2 and BrokenGateway.calls == 2
    assert all(d.last_error == "SmsError: isv.BUSINESS_LIMIT_CONTROL" for d in failed)
    # Logs name the delivery and the gateway's code, never the number or the text.
    assert PHONE not in caplog.text and "13804319999" not in caplog.text
    assert "陪诊服务" not in caplog.text and "CC261207ABCD2345" not in caplog.text

    settings.SMS_SENDER = "matching.notifications.sms.MemorySmsSender"
    assert deliveries_send_due() == 2
    assert {phone for phone, _text in MemorySmsSender.outbox} == {PHONE, "13804319999"}


def test_a_phone_without_an_account_gets_chinese_by_default(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_phone(
            kind=EventKind.CASE_STATUS,
            phone="+86 138 0431 2277",
            body=_(
                "【长春市社会救助】您的申请 %(receipt)s 办理进度：%(status)s。"
                "可凭受理编号和手机号后四位查询详情。"
            ),
            params={"receipt": "CC261207ABCD2345", "status": _("审核中")},
        )
    ((phone, text),) = MemorySmsSender.outbox
    assert phone == "13804312277" and "审核中" in text and "CC261207ABCD2345" in text


def test_texts_and_addresses_are_encrypted_at_rest(user, django_capture_on_commit_callbacks):
    from django.db import connection

    prefer(user, phone=PHONE)
    _send(user, timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("SELECT address, text FROM notifications_delivery")
        rows = cursor.fetchall()
    assert rows and all(a.startswith("fernet:") and t.startswith("fernet:") for a, t in rows)
    assert all(PHONE not in a and "CC261207" not in t for a, t in rows)
