"""Dishonesty records: evidence and decision, appeal, expiry; while active the
organization publishes no new project and the matcher leaves out its offers."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from governance_factories import organization, staff

from matching.audit.selectors import audit_entry_list
from matching.core import crypto
from matching.directory.models import DishonestyRecord, Role
from matching.directory.selectors import dishonest_organization_ids, organization_may_publish
from matching.governance import services

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 1)
ID_NUMBER = "220104198503120014"


def _decide(actor, org, starts=DAY, ends=DAY + dt.timedelta(days=180)):
    return services.dishonesty_record_decide(
        actor=actor,
        organization=org,
        reason="挪用定向捐赠款 3 万元。",
        evidence="审计报告（2026）第 12 号；银行流水。",
        decision="列入失信名单六个月，期间不得发布帮扶项目。",
        starts=starts,
        ends=ends,
    )


@pytest.fixture
def official(places):
    return staff(places["city"], role=Role.CITY_STAFF)


def test_an_active_record_blocks_publication_and_matching_until_it_expires(places, official):
    org = organization(places["chaoyang"])
    record = _decide(official, org)
    assert not organization_may_publish(org, on=DAY + dt.timedelta(days=10))
    assert org.pk in dishonest_organization_ids(on=DAY + dt.timedelta(days=10))
    with pytest.raises(ValidationError):
        services.project_publication_check(organization=org, on=DAY)

    after_expiry = record.ends + dt.timedelta(days=1)
    assert organization_may_publish(org, on=after_expiry)
    assert org.pk not in dishonest_organization_ids(on=after_expiry)
    assert organization_may_publish(org, on=DAY - dt.timedelta(days=1))


def test_a_record_needs_evidence_and_a_decision(places, official):
    with pytest.raises(ValidationError):
        services.dishonesty_record_decide(
            actor=official,
            organization=organization(places["chaoyang"]),
            reason="x",
            evidence="",
            decision="",
            starts=DAY,
            ends=DAY,
        )
    assert not DishonestyRecord.objects.exists()


def test_an_overturned_appeal_lifts_the_record(places, official):
    org = organization(places["chaoyang"])
    record = _decide(official, org)
    during = DAY + dt.timedelta(days=5)
    record = services.dishonesty_record_appeal(record=record, reason="款项已按协议用于受助人。")
    assert record.appeal_status == DishonestyRecord.Appeal.FILED
    assert org.pk in dishonest_organization_ids(on=during)  # still in force while reviewed

    record = services.dishonesty_record_decide_appeal(
        record=record, actor=official, overturn=True, note="补充材料证明资金用途合规。"
    )
    assert record.revoked and record.appeal_status == DishonestyRecord.Appeal.OVERTURNED
    assert org.pk not in dishonest_organization_ids(on=during)
    assert organization_may_publish(org, on=during)
    moves = [e.after["appeal_status"] for e in audit_entry_list(obj=record).order_by("id")]
    assert moves == ["none", "filed", "overturned"]


def test_an_upheld_appeal_keeps_the_record_and_a_second_appeal_is_refused(places, official):
    org = organization(places["chaoyang"])
    record = services.dishonesty_record_appeal(record=_decide(official, org), reason="不服。")
    record = services.dishonesty_record_decide_appeal(
        record=record, actor=official, overturn=False, note="证据确凿，维持原决定。"
    )
    assert not record.revoked
    assert org.pk in dishonest_organization_ids(on=DAY + dt.timedelta(days=5))
    with pytest.raises(ValidationError):
        services.dishonesty_record_appeal(record=record, reason="再次申诉。")


def test_an_applicant_record_keeps_only_a_blind_index(places, official):
    record = services.dishonesty_record_decide(
        actor=official,
        applicant_id_number=ID_NUMBER,
        reason="隐瞒家庭收入骗取低保。",
        evidence="银行流水。",
        decision="追回救助金，三年内不得申请。",
        starts=DAY,
        ends=DAY + dt.timedelta(days=365 * 3),
    )
    assert record.subject_kind == DishonestyRecord.SubjectKind.APPLICANT
    assert record.applicant_id_index == crypto.blind_index(ID_NUMBER)
    assert ID_NUMBER not in str(DishonestyRecord.objects.values().get())
    assert dishonest_organization_ids(on=DAY) == set()


def test_staff_record_a_decision_in_the_admin(client, places, official):
    org = organization(places["chaoyang"])
    client.force_login(official)
    response = client.post(
        reverse("dishonesty_records:add"),
        {
            "subject_kind": "organization",
            "organization": org.pk,
            "reason": "虚报服务人次。",
            "evidence": "回访记录。",
            "decision": "列入失信名单三个月。",
            "starts": DAY.isoformat(),
            "ends": (DAY + dt.timedelta(days=90)).isoformat(),
            "applicant_id_number": "",
            "confirm": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = DishonestyRecord.objects.get()
    assert record.decided_by == official
    assert audit_entry_list(obj=record, actor=official).count() == 1


def test_staff_record_an_appeal_and_its_decision_in_the_admin(client, places, official):
    org = organization(places["chaoyang"])
    record = _decide(official, org)
    client.force_login(official)
    url = reverse("dishonesty_records:edit", args=[record.pk])
    filed = {"appeal_status": "filed", "appeal_reason": "资金用途合规。", "appeal_decision": ""}
    assert client.post(url, filed).status_code == 302
    skip = {"appeal_status": "none", "appeal_reason": "", "appeal_decision": ""}
    assert client.post(url, skip).status_code == 200  # no going back
    overturn = {
        **filed,
        "appeal_status": "overturned",
        "appeal_decision": "撤销。",
        "confirm": "on",
    }
    assert client.post(url, overturn).status_code == 302
    record.refresh_from_db()
    assert record.revoked and record.appeal_status == DishonestyRecord.Appeal.OVERTURNED


def test_the_project_admin_refuses_a_new_project_for_a_dishonest_organization(
    client, places, official, django_user_model
):
    from matching.offers.models import Project

    org = organization(places["chaoyang"])
    _decide(official, org, starts=dt.date.today(), ends=dt.date.today() + dt.timedelta(days=30))
    admin = django_user_model.objects.create_superuser("root", "root@assist.example", "x")
    client.force_login(admin)
    response = client.post(
        reverse("wagtailsnippets_offers_project:add"),
        {"organization": org.pk, "title": "冬季送温暖", "description": "棉衣"},
    )
    assert response.status_code == 302
    assert not Project.objects.filter(organization=org).exists()
    follow = client.get(response["Location"])
    assert "失信惩戒期" in follow.content.decode()


def test_a_revoked_record_no_longer_counts_and_the_revocation_is_audited(places, official):
    org = organization(places["chaoyang"])
    record = _decide(official, org)
    with pytest.raises(ValidationError):
        services.dishonesty_record_revoke(record=record, actor=official, note=" ")
    record = services.dishonesty_record_revoke(
        record=record, actor=official, note="原决定认定事实有误。"
    )
    assert record.revoked
    assert organization_may_publish(org, on=DAY + dt.timedelta(days=5))
    last = audit_entry_list(obj=record).order_by("-id").first()
    assert last.before["revoked"] is False and last.after["revoked"] is True
