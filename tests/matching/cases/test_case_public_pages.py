"""The public application form and status lookup over HTTP; bad input is refused clearly."""

import datetime as dt

import pytest
from case_factories import case, id_number
from django.test import override_settings

from matching.cases.models import Case, Member

pytestmark = pytest.mark.django_db

GOOD_ID = id_number(born=dt.date(1972, 5, 18), male=False)


def _form(places, **overrides):
    data = {
        "name": "刘淑珍",
        "id_number": GOOD_ID,
        "phone": "138 0431 2277",
        "jurisdiction": places["hongqi"].code,
        "address": "红旗街道某小区 7 栋 301",
        "categories": ["medical", "temporary"],
        "help_forms": ["material"],
        "urgency": "normal",
        "description": "丈夫车祸住院，家中无收入。",
        "pledge": "on",
    }
    data.update(overrides)
    return data


def test_an_online_application_gets_a_receipt_number(client, places):
    response = client.post("/apply/", _form(places), follow=True)
    created = Case.objects.get()
    assert created.receipt_number in response.content.decode()
    assert created.channel == Case.Channel.ONLINE and created.contact_phone == "13804312277"
    member = created.household.members.get()
    assert (member.sex, member.birth_date) == (Member.Sex.FEMALE, dt.date(1972, 5, 18))


def test_id_numbers_and_phones_are_encrypted_at_rest(client, places):
    from django.db import connection

    client.post("/apply/", _form(places))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, id_index FROM cases_member")
        stored_id, stored_phone, index = cursor.fetchone()
        cursor.execute("SELECT contact_phone FROM cases_case")
        (stored_contact,) = cursor.fetchone()
    assert GOOD_ID not in stored_id and stored_id.startswith("fernet:")
    assert "13804312277" not in stored_phone + stored_contact
    assert GOOD_ID not in index and len(index) == 64


def test_a_wrong_checksum_is_refused_and_nothing_is_saved(client, places):
    wrong = GOOD_ID[:-1] + ("1" if GOOD_ID[-1] != "1" else "2")
    response = client.post("/apply/", _form(places, id_number=wrong))
    assert response.status_code == 200
    assert "身份证号码校验位不正确" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "number",
    ["²" * 17 + "X", "①" * 18],
    ids=["superscript", "circled"],
)
def test_an_id_number_of_other_digits_is_refused_not_a_500(client, places, number):
    response = client.post("/apply/", _form(places, id_number=number))
    assert response.status_code == 200
    assert "身份证号码" in response.content.decode()
    assert not Case.objects.exists()


def test_full_width_digits_from_a_chinese_keyboard_are_read_as_digits(client, places):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in GOOD_ID)
    response = client.post(
        "/apply/", _form(places, id_number=full_width, phone="１３８０４３１２２７７")
    )
    assert response.status_code == 302
    created = Case.objects.get()
    assert created.contact_phone == "13804312277"
    assert created.household.members.get().id_number == GOOD_ID


def test_a_phone_of_other_digits_is_refused(client, places):
    # "\d" took Arabic-Indic digits: the number was stored as typed.
    response = client.post("/apply/", _form(places, phone="13" + "٨٠٤٣١٢٢٧٧"))
    assert response.status_code == 200
    assert "电话号码无效" in response.content.decode()
    assert not Case.objects.exists()


def test_a_phone_that_is_not_a_phone_is_refused(client, places):
    response = client.post("/apply/", _form(places, phone="12345"))
    assert "电话号码无效" in response.content.decode()
    assert not Case.objects.exists()


def test_the_form_is_chinese_first(client):
    page = client.get("/apply/").content.decode()
    assert "网上申请社会救助" in page and "身份证号码" in page and "医疗救助" in page


def test_status_lookup_with_the_right_digits_shows_only_the_status(client, places):
    opened = case(places["hongqi"], phone="13804310001")
    response = client.post(
        "/apply/status/", {"receipt_number": opened.receipt_number.lower(), "phone_last4": "0001"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "已受理" in page
    assert "王秀兰" not in page and "因病致贫" not in page and "1380431" not in page


def test_the_status_explanation_follows_the_visitors_language(client, places):
    opened = case(places["hongqi"], phone="13804310001")
    client.cookies["django_language"] = "en"
    response = client.post(
        "/apply/status/", {"receipt_number": opened.receipt_number, "phone_last4": "0001"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your application has been received. Staff will contact you soon." in page
    assert "您的申请已受理" not in page
    client.cookies["django_language"] = "zh-hans"
    page = client.post(
        "/apply/status/", {"receipt_number": opened.receipt_number, "phone_last4": "0001"}
    ).content.decode()
    assert "您的申请已受理，工作人员将尽快与您联系。" in page


@pytest.mark.parametrize("receipt, digits", [("right", "9999"), ("CC000000XXXXXXXX", "0001")])
def test_wrong_digits_and_unknown_numbers_look_the_same(client, places, receipt, digits):
    opened = case(places["hongqi"], phone="13804310001")
    number = opened.receipt_number if receipt == "right" else receipt
    response = client.post("/apply/status/", {"receipt_number": number, "phone_last4": digits})
    assert response.status_code == 404
    assert "未找到匹配的申请" in response.content.decode()
    assert "已受理" not in response.content.decode()


def test_malformed_digits_are_400(client):
    response = client.post("/apply/status/", {"receipt_number": "X", "phone_last4": "12a"})
    assert response.status_code == 400 and "请输入 4 位数字" in response.content.decode()


@override_settings(CASE_STATUS_LOOKUP_RATE="3/d")
def test_lookups_are_rate_limited(client, places):
    opened = case(places["hongqi"], phone="13804310001")
    for _attempt in range(3):
        client.post(
            "/apply/status/", {"receipt_number": opened.receipt_number, "phone_last4": "1111"}
        )
    limited = client.post(
        "/apply/status/", {"receipt_number": opened.receipt_number, "phone_last4": "0001"}
    )
    assert limited.status_code == 429
    assert "查询过于频繁" in limited.content.decode()
    assert "当前状态" not in limited.content.decode()


@override_settings(SMS_SENDER="matching.notifications.sms.MemorySmsSender")
def test_the_applicant_gets_the_receipt_number_by_sms(
    client, places, django_capture_on_commit_callbacks
):
    from matching.notifications.sms import MemorySmsSender

    MemorySmsSender.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/apply/", _form(places))
    receipt = Case.objects.get().receipt_number
    assert MemorySmsSender.outbox == [("13804312277", MemorySmsSender.outbox[0][1])]
    assert receipt in MemorySmsSender.outbox[0][1]


def test_the_console_sender_masks_the_number(caplog):
    import logging

    from matching.notifications.sms import ConsoleSmsSender

    with caplog.at_level(logging.INFO, logger="matching.notifications.sms"):
        ConsoleSmsSender().send(phone="13804312277", text="您的受理编号 CC261206ABCD2345")
    # Neither half of the status-lookup credentials: no receipt number, no last four digits.
    assert "138********" in caplog.text
    assert "2277" not in caplog.text and "CC261206ABCD2345" not in caplog.text


@override_settings(CASE_APPLY_RATE="1/h")
def test_applications_are_rate_limited_too(client, places):
    client.post("/apply/", _form(places))
    again = client.post("/apply/", _form(places, id_number=id_number(area="220102")))
    assert again.status_code == 429 and "提交过于频繁" in again.content.decode()
    assert Case.objects.count() == 1
