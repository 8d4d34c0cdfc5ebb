"""/report/ and /report/follow/ over HTTP: anyone reports, anonymously or signed in;
bad input is refused in the user's language and nothing typed is lost; an emergency
starts the 救急难 triage clock; the follow code tells the status in words and never
anything about the person."""

import datetime as dt
import logging
import re

import pytest
from case_factories import PASSWORD, account, staff
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from matching.cases import services
from matching.cases.models import DiscoveryReport
from matching.directory.models import Role
from matching.directory.services import role_groups_sync
from matching.notifications.models import EventKind, Message

pytestmark = pytest.mark.django_db

CODE = re.compile(r'data-testid="follow-code">([0-9A-Z-]{19})<')
DESCRIPTION = "独居老人吴桂兰在家中摔倒，邻居听见呼救"
PLACE = "红旗街道工农大路 88 号院"


def _form(places, **overrides):
    data = {
        "jurisdiction": places["hongqi"].code,
        "location_text": PLACE,
        "person_description": DESCRIPTION,
        "urgency": "normal",
    }
    data.update(overrides)
    return data


def _file(client, places, **overrides):
    response = client.post("/report/", _form(places, **overrides), follow=True)
    assert response.status_code == 200
    return CODE.search(response.content.decode()).group(1), response


def _follow(client, code):
    return client.post("/report/follow/", {"code": code})


def test_an_anonymous_report_enters_triage_and_shows_its_code_once(client, places):
    code, done = _file(client, places)
    report = DiscoveryReport.objects.get()
    assert report.anonymous and report.reporter is None and report.reporter_phone == ""
    assert report.status == DiscoveryReport.Status.PENDING
    assert report.triage_due > report.received_at
    page = done.content.decode()
    # Nothing the reporter wrote is echoed; the code is stored only as a digest.
    assert DESCRIPTION not in page and PLACE not in page
    assert code.replace("-", "") not in report.follow_index
    assert client.get("/report/done/").status_code == 302  # shown once


def test_the_location_and_phone_are_encrypted_at_rest(client, places):
    from django.db import connection

    _file(client, places, reporter_phone="13604318888")
    with connection.cursor() as cursor:
        cursor.execute("SELECT location_text, reporter_phone FROM cases_discoveryreport")
        stored_place, stored_phone = cursor.fetchone()
    assert stored_place.startswith("fernet:") and "工农大路" not in stored_place
    assert stored_phone.startswith("fernet:") and "13604318888" not in stored_phone


def test_a_signed_in_volunteer_is_linked_and_the_form_is_prefilled(client, places):
    volunteer = account(Role.VOLUNTEER, places["chaoyang"])
    client.login(username=volunteer.username, password=PASSWORD)
    form = client.get("/report/").content.decode()
    assert f'value="{volunteer.email}"' in form
    _file(client, places, reporter_name="志愿者小周", reporter_phone="13604310011")
    report = DiscoveryReport.objects.get()
    assert report.reporter == volunteer and report.reporter_phone == "13604310011"
    assert not report.anonymous


def test_bad_input_is_refused_in_the_users_language_and_kept(client, places):
    response = client.post(
        "/report/",
        _form(places, person_description="", reporter_phone="12345", jurisdiction=""),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "报告未能提交" in page and "电话号码无效" in page
    assert PLACE in page  # what was typed stays in the form
    assert not DiscoveryReport.objects.exists()

    client.cookies["django_language"] = "en"
    english = client.post("/report/", _form(places, reporter_phone="12345"))
    text = english.content.decode()
    assert english.status_code == 400
    assert "The report was not sent" in text and "报告未能提交" not in text


@override_settings(DISCOVERY_REPORT_RATE="2/h")
def test_reports_are_rate_limited_without_losing_what_was_typed(client, places):
    _file(client, places)
    _file(client, places)
    limited = client.post("/report/", _form(places))
    assert limited.status_code == 429
    page = limited.content.decode()
    assert "提交过于频繁" in page and PLACE in page
    assert DiscoveryReport.objects.count() == 2


def test_an_emergency_starts_the_12_hour_clock_and_alerts_staff_at_once(
    client, places, django_capture_on_commit_callbacks
):
    street = staff(places["hongqi"], Role.STREET_STAFF)
    district = staff(places["chaoyang"])
    elsewhere = staff(places["nanguan"])
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _file(client, places, urgency="emergency")
    report = DiscoveryReport.objects.get()
    assert report.urgency == "emergency"
    assert dt.timedelta(hours=12) <= report.triage_due - before <= dt.timedelta(hours=12, seconds=5)
    for user in (street, district):
        (message,) = Message.objects.filter(recipient=user)
        assert message.kind == EventKind.EMERGENCY and "救急难" in message.subject
        assert DESCRIPTION not in message.body and PLACE not in message.body
    assert not Message.objects.filter(recipient=elsewhere).exists()
    # The staff list shows the clock running: due within the emergency window.
    role_groups_sync()
    services.case_permissions_sync()
    client.login(username=district.username, password=PASSWORD)
    listing = client.get("/admin/cases_discovery/").content.decode()
    assert re.search(r"剩余 1[01] 小时 \d+ 分", listing)


def test_a_normal_report_gets_the_two_working_day_clock(client, places):
    _file(client, places)
    report = DiscoveryReport.objects.get()
    assert report.triage_due - report.received_at > dt.timedelta(hours=24)


def test_the_e_mailed_follow_code_goes_to_the_address_only_and_is_not_kept(
    client, places, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        code, _page = _file(client, places, reporter_email="reporter@example.com")
    (sent,) = [m for m in mail.outbox if "reporter@example.com" in m.to]
    assert code in sent.body and DESCRIPTION not in sent.body
    assert not DiscoveryReport.objects.filter(location_text__contains="reporter@").exists()


def test_the_follow_code_tells_each_status_in_words_and_nothing_else(client, places):
    code, _page = _file(client, places, reporter_name="热心市民", reporter_phone="13604317777")
    report = DiscoveryReport.objects.get()

    received = _follow(client, code).content.decode()
    assert "已收到" in received

    worker = staff(places["chaoyang"])
    services.discovery_report_assessing(report=report, actor=worker)
    assessing = _follow(client, code.lower().replace("-", " ")).content.decode()
    assert "研判中" in assessing  # lower case and spaces are forgiven

    services.discovery_report_dismiss(
        report=report, actor=worker, reason="吴桂兰已由女儿接走照顾", public_reason="already_helped"
    )
    dismissed = _follow(client, code).content.decode()
    assert "未予受理" in dismissed and "当事人已在接受相应救助或帮扶" in dismissed
    for page in (received, assessing, dismissed):
        for secret in (DESCRIPTION, PLACE, "吴桂兰", "热心市民", "13604317777", "女儿"):
            assert secret not in page


def test_an_opened_case_reads_as_such(client, places):
    code, _page = _file(client, places)
    opened = services.discovery_report_open_case(
        report=DiscoveryReport.objects.get(),
        actor=staff(places["chaoyang"]),
        title="独居老人摔伤",
        contact_phone="13604310000",
        categories=["temporary"],
    )
    page = _follow(client, code).content.decode()
    assert "已转为救助申请" in page
    assert opened.receipt_number not in page and "独居老人摔伤" not in page


def test_a_wrong_or_malformed_code_finds_nothing(client, places):
    _file(client, places)
    assert _follow(client, "AAAA-BBBB-CCCC-DDDD").status_code == 404
    short = _follow(client, "ABC")
    assert short.status_code == 404 and "未找到该查询码" in short.content.decode()
    assert _follow(client, "").status_code == 400


@override_settings(DISCOVERY_FOLLOW_RATE="2/m")
def test_following_is_rate_limited(client, places):
    code, _page = _file(client, places)
    _follow(client, code)
    _follow(client, code)
    limited = _follow(client, code)
    assert limited.status_code == 429 and "已收到" not in limited.content.decode()


def test_no_personal_data_reaches_the_log(client, places, caplog):
    with caplog.at_level(logging.DEBUG):
        code, _page = _file(client, places, reporter_phone="13604316666", urgency="emergency")
        _follow(client, code)
    for secret in (DESCRIPTION, PLACE, "13604316666", code):
        assert secret not in caplog.text
