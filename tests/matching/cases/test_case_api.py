"""The department API: token auth, records, referrals; every refusal a 4xx with a message."""

import datetime as dt
import json

import pytest
from case_factories import case, department, id_number, staff

from matching.cases import services
from matching.cases.models import AssistanceRecord, CaseStatus, EconomicRecord, Referral

pytestmark = pytest.mark.django_db

PERSON = id_number(born=dt.date(1979, 4, 2))


@pytest.fixture
def health(places):
    return department("health", places["chaoyang"])


@pytest.fixture
def token(health):
    return services.api_token_issue(department=health, name="医保结算系统")


def post(client, url, body, token=None, raw=False):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = body if raw else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **headers)


def test_a_department_posts_an_assistance_record(client, token):
    body = {
        "ref": "YB-2026-0001",
        "id_number": PERSON,
        "category": "medical",
        "amount": "3200.50",
        "start": "2026-03-01",
        "end": "2026-12-31",
    }
    response = post(client, "/api/v1/assistance-records", body, token)
    assert response.status_code == 201
    record = AssistanceRecord.objects.get(ref="YB-2026-0001")
    assert (record.provider_department, record.source, str(record.amount)) == (
        "health",
        "api",
        "3200.50",
    )
    # Posting the same ref again updates, never duplicates.
    body["amount"] = "3300.00"
    assert post(client, "/api/v1/assistance-records", body, token).status_code == 201
    assert AssistanceRecord.objects.get().amount == 3300


def test_a_department_supplies_economic_data_for_a_known_household(client, token, places):
    case(places["hongqi"], members=[{"name": "张建国", "id_number": PERSON, "relation": "self"}])
    body = {
        "id_number": PERSON,
        "kind": "income",
        "label": "工资",
        "amount": "2100.00",
        "as_of": "2026-10-31",
    }
    assert post(client, "/api/v1/economic-records", body, token).status_code == 201
    assert EconomicRecord.objects.get().amount == 2100


def test_economic_data_for_an_unknown_person_is_a_409_with_a_message(client, token):
    body = {
        "id_number": PERSON,
        "kind": "income",
        "label": "工资",
        "amount": "1.00",
        "as_of": "2026-10-31",
    }
    response = post(client, "/api/v1/economic-records", body, token)
    assert response.status_code == 409
    assert response.json()["detail"] == "未找到该身份证号码对应的家庭。"


@pytest.mark.parametrize("bad", [None, "dk_not-a-real-token"])
def test_a_bad_or_missing_token_is_401_with_a_message(client, bad):
    response = post(client, "/api/v1/assistance-records", {}, bad)
    assert response.status_code == 401
    assert "接口令牌无效" in response.json()["detail"]


def test_a_deactivated_token_is_refused(client, token, health):
    health.api_tokens.update(active=False)
    assert post(client, "/api/v1/assistance-records", {}, token).status_code == 401


def test_malformed_json_is_400_with_a_message(client, token):
    response = post(client, "/api/v1/assistance-records", "{not json", token, raw=True)
    assert response.status_code == 400
    assert response.json()["detail"] == "请求体不是有效的 JSON。"


def test_a_body_missing_fields_is_422_naming_them(client, token):
    response = post(client, "/api/v1/assistance-records", {"category": "rich"}, token)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"payload.id_number", "payload.category", "payload.start"} <= fields


def test_a_wrong_checksum_is_400_without_echoing_the_number(client, token):
    wrong = PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1")
    body = {"id_number": wrong, "category": "medical", "start": "2026-03-01"}
    response = post(client, "/api/v1/assistance-records", body, token)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "id_number", "message": "身份证号码校验位不正确，请核对后重新输入。"}
    ]
    assert wrong not in response.content.decode()


def test_an_end_before_the_start_is_400(client, token):
    body = {"id_number": PERSON, "category": "medical", "start": "2026-03-01", "end": "2026-01-01"}
    assert post(client, "/api/v1/assistance-records", body, token).status_code == 400


def test_the_liaison_system_lists_and_answers_its_referrals(client, token, health, places):
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    referral = services.referral_create(
        case=opened, department=health, category="medical", actor=staff(places["chaoyang"])
    )
    listed = client.get("/api/v1/referrals", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [item["receipt_number"] for item in listed] == [opened.receipt_number]

    url = f"/api/v1/referrals/{referral.pk}/answer"
    response = post(client, url, {"outcome": "granted", "answer": "已报销 3200 元"}, token)
    assert response.status_code == 200 and response.json()["status"] == "answered"
    again = post(client, url, {"outcome": "granted", "answer": "再次答复"}, token)
    assert again.status_code == 409 and "已答复" in again.json()["detail"]
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ANSWERED


def test_another_departments_referral_cannot_be_answered(client, places):
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    referral = services.referral_create(
        case=opened,
        department=department("housing", places["chaoyang"]),
        category="housing",
        actor=staff(places["chaoyang"]),
    )
    other = services.api_token_issue(department=department("health", places["chaoyang"]), name="x")
    response = post(
        client,
        f"/api/v1/referrals/{referral.pk}/answer",
        {"outcome": "granted", "answer": "x"},
        other,
    )
    assert response.status_code == 403 and response.json()["detail"]
    missing = post(
        client, "/api/v1/referrals/999999/answer", {"outcome": "granted", "answer": "x"}, other
    )
    assert missing.status_code == 404 and missing.json()["detail"] == "转办事项不存在。"


def test_the_openapi_document_describes_the_api(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/assistance-records", "/api/v1/economic-records", "/api/v1/referrals"} <= set(
        schema["paths"]
    )
    assert client.get("/api/v1/docs").status_code == 200


def test_the_issue_command_prints_a_working_key_once(client, health):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("issue_api_token", "220104", "health", "医保结算系统", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("dk_")
    assert health.api_tokens.get().key_hash != key
    assert client.get("/api/v1/referrals", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
