"""Governance decision forms in the admin: no choice pre-selected; concluding a
complaint, recording a dishonesty sanction and deciding an appeal are applied
only with the confirmation ticked (checked on the server)."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from governance_factories import organization, staff

from matching.directory.models import DishonestyRecord, Role
from matching.governance import services
from matching.governance.models import Complaint

pytestmark = pytest.mark.django_db

CONFIRM_MESSAGE = "此决定不可撤销，请勾选确认后再提交。"
DAY = dt.date(2026, 12, 1)


def _options(html, name):
    select = BeautifulSoup(html, "html.parser").find("select", attrs={"name": name})
    assert select is not None, name
    return [(o.get("value"), o.has_attr("selected")) for o in select.find_all("option")]


def _nothing_chosen(found):
    return found[0][0] == "" and not any(selected for value, selected in found if value)


@pytest.fixture
def official(places):
    return staff(places["city"], role=Role.CITY_STAFF)


def test_concluding_a_complaint_needs_the_confirmation(client, places):
    complaint, _ = services.complaint_file(
        place=places["hongqi"], subject_kind=Complaint.Subject.CHARITY, content="项目资金去向不明。"
    )
    client.force_login(staff(places["chaoyang"]))
    url = reverse("complaints:edit", args=[complaint.pk])
    assert _nothing_chosen(_options(client.get(url).content.decode(), "outcome"))

    data = {"outcome": "unsubstantiated", "reply": "经核查不属实。"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and CONFIRM_MESSAGE in refused.content.decode()
    complaint.refresh_from_db()
    assert complaint.status != Complaint.Status.CONCLUDED and complaint.outcome == ""

    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CONCLUDED


def test_a_dishonesty_record_preselects_no_subject_and_needs_the_confirmation(
    client, places, official
):
    org = organization(places["chaoyang"])
    client.force_login(official)
    url = reverse("dishonesty_records:add")
    assert _nothing_chosen(_options(client.get(url).content.decode(), "subject_kind"))

    data = {
        "subject_kind": "organization",
        "organization": org.pk,
        "reason": "虚报服务人次。",
        "evidence": "回访记录。",
        "decision": "列入失信名单三个月。",
        "starts": DAY.isoformat(),
        "ends": (DAY + dt.timedelta(days=90)).isoformat(),
        "applicant_id_number": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and CONFIRM_MESSAGE in refused.content.decode()
    assert not DishonestyRecord.objects.exists()

    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    assert DishonestyRecord.objects.get().organization == org


def test_deciding_an_appeal_needs_the_confirmation(client, places, official):
    record = services.dishonesty_record_decide(
        actor=official,
        organization=organization(places["chaoyang"]),
        reason="挪用定向捐赠款。",
        evidence="审计报告。",
        decision="列入失信名单六个月。",
        starts=DAY,
        ends=DAY + dt.timedelta(days=180),
    )
    record = services.dishonesty_record_appeal(record=record, reason="资金用途合规。")
    client.force_login(official)
    url = reverse("dishonesty_records:edit", args=[record.pk])
    assert _nothing_chosen(_options(client.get(url).content.decode(), "appeal_status"))

    data = {
        "appeal_status": "overturned",
        "appeal_reason": "资金用途合规。",
        "appeal_decision": "撤销。",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and CONFIRM_MESSAGE in refused.content.decode()
    record.refresh_from_db()
    assert record.appeal_status == DishonestyRecord.Appeal.FILED and not record.revoked

    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    record.refresh_from_db()
    assert record.appeal_status == DishonestyRecord.Appeal.OVERTURNED and record.revoked
