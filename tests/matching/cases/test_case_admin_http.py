"""HTTP-level: who sees personal data in the admin, every read audited, the screens work."""

import datetime as dt

import pytest
from case_factories import (
    PASSWORD,
    StandardFactory,
    assistance,
    case,
    department,
    liaison,
    staff,
)
from django.utils import timezone

from matching.audit.models import AuditEntry
from matching.cases import services
from matching.cases.models import Case, CaseStatus, DiscoveryReport, Referral
from matching.core.vocabulary import Urgency
from matching.directory.models import Role
from matching.directory.services import role_groups_sync

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _groups(db):
    role_groups_sync()
    services.case_permissions_sync()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _reads(case):
    return AuditEntry.objects.filter(
        action="read_personal", object_type="cases.case", object_id=str(case.pk)
    )


def test_staff_of_the_district_see_personal_data_and_the_read_is_audited(client, places):
    opened = case(places["hongqi"])
    worker = staff(places["chaoyang"])
    response = login(client, worker).get(f"/admin/cases/case/{opened.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    member = opened.household.members.get()
    # The ID number masked (the full one only by reveal); the contact phone in full.
    assert member.id_number not in page
    assert member.id_number[:4] + "*" * 10 + member.id_number[-4:] in page
    assert "王秀兰" in page and "13804310001" in page
    entry = _reads(opened).get()
    assert entry.actor == worker and entry.actor_label == worker.username
    # Each further view leaves another entry, and entries carry no personal data.
    login(client, worker).get(f"/admin/cases/case/{opened.pk}/")
    assert _reads(opened).count() == 2
    assert member.id_number not in str(entry.summary) + str(entry.before) + str(entry.after)


@pytest.mark.parametrize("who", ["other_district", "other_street", "liaison_elsewhere"])
def test_nobody_outside_the_jurisdiction_sees_it(client, places, who):
    opened = case(places["hongqi"])
    outsider = {
        "other_district": lambda: staff(places["nanguan"]),
        "other_street": lambda: staff(places["nanling"], Role.STREET_STAFF),
        "liaison_elsewhere": lambda: liaison(department("health", places["chaoyang"])),
    }[who]()
    response = login(client, outsider).get(f"/admin/cases/case/{opened.pk}/")
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert opened.household.members.get().id_number not in response.content.decode()
    assert not _reads(opened).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, places):
    opened = case(places["hongqi"])
    response = client.get(f"/admin/cases/case/{opened.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_my_cases_lists_only_my_jurisdiction_emergencies_first(client, places):
    mine = case(places["hongqi"], opened_at=timezone.now() - dt.timedelta(days=2))
    urgent = case(places["hongqi"], urgency=Urgency.EMERGENCY)
    theirs = case(places["nanling"])
    page = login(client, staff(places["chaoyang"])).get("/admin/cases_my/").content.decode()
    assert urgent.receipt_number in page and mine.receipt_number in page
    assert theirs.receipt_number not in page
    assert page.index(urgent.receipt_number) < page.index(mine.receipt_number)
    assert "王秀兰" not in page  # lists carry no personal data
    export = client.get("/admin/cases_my/?export=csv")
    exported = b"".join(export.streaming_content).decode("utf-8-sig")
    assert urgent.receipt_number in exported and theirs.receipt_number not in exported
    assert "王秀兰" not in exported and "1380431" not in exported


def test_the_other_screens_render_for_staff(client, places):
    urgent = case(places["hongqi"], urgency=Urgency.EMERGENCY, status=CaseStatus.UNDER_REVIEW)
    health = department("health", places["chaoyang"])
    worker = staff(places["chaoyang"])
    referral = services.referral_create(
        case=urgent, department=health, category="medical", actor=worker
    )
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    login(client, worker)
    assert urgent.receipt_number in client.get("/admin/cases_emergencies/").content.decode()
    assert urgent.receipt_number in client.get("/admin/cases_overdue_referrals/").content.decode()
    for url in [
        "/admin/cases_discovery/",
        "/admin/cases_verifications/",
        "/admin/cases_assistance/",
        "/admin/cases_standards/",
        "/admin/cases_deadline_rules/",
        "/admin/cases/window/",
    ]:
        assert client.get(url).status_code == 200, url


def test_staff_move_refer_verify_and_adjudicate_through_the_case_file(client, places):
    opened = case(places["hongqi"])
    StandardFactory(jurisdiction=places["chaoyang"])
    assistance(opened.household.members.get().id_number, category="subsistence")
    health = department("health", places["chaoyang"])
    login(client, staff(places["chaoyang"]))
    base = f"/admin/cases/case/{opened.pk}"

    client.post(f"{base}/transition/", {"to_status": "under_review"})
    client.post(f"{base}/refer/", {"department": health.pk, "category": "medical", "note": ""})
    client.post(f"{base}/verify/")
    client.post(f"{base}/transition/", {"to_status": "verified"})
    refused = client.post(f"{base}/transition/", {"to_status": "approved"}, follow=True)
    assert "存在待裁定的重复救助提示" in refused.content.decode()
    flag = opened.duplicate_flags.get()
    client.post(
        f"/admin/cases/flag/{flag.pk}/adjudicate/",
        {"decision": "not_duplicate", "note": "原低保已停发"},
    )
    client.post(f"{base}/transition/", {"to_status": "approved"})

    opened.refresh_from_db()
    assert opened.status == CaseStatus.APPROVED
    assert opened.referrals.get().department == health
    assert "低保标准" in client.get(f"{base}/").content.decode()


def test_the_window_clerk_takes_an_application(client, places):
    from case_factories import id_number

    login(client, staff(places["hongqi"], Role.STREET_STAFF))
    response = client.post(
        "/admin/cases/window/",
        {
            "name": "赵春生",
            "id_number": id_number(born=dt.date(1966, 1, 9)),
            "phone": "13504310088",
            "jurisdiction": places["hongqi"].code,
            "address": "红旗街道某小区 2 栋",
            "categories": ["medical"],
            "help_forms": ["material"],
            "urgency": "normal",
            "description": "突发脑梗住院，医疗费用难以负担。",
            "title": "突发重病医疗救助",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    opened = Case.objects.get()
    assert response.status_code == 302 and opened.channel == Case.Channel.WINDOW
    assert opened.created_by is not None


def test_the_liaison_answers_in_their_own_view_and_sees_the_household(client, places):
    health = department("health", places["chaoyang"])
    contact = liaison(health)
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    referral = services.referral_create(
        case=opened, department=health, category="medical", actor=staff(places["chaoyang"])
    )
    login(client, contact)
    assert opened.receipt_number in client.get("/admin/cases_my_referrals/").content.decode()
    page = client.get(f"/admin/cases/referral/{referral.pk}/answer/").content.decode()
    assert "王秀兰" in page  # who the referral is about, numbers masked (test_case_minimisation)
    assert _reads(opened).get().actor == contact
    client.post(
        f"/admin/cases/referral/{referral.pk}/answer/",
        {"outcome": "granted", "answer": "已纳入医疗救助"},
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ANSWERED and referral.answered_by == contact


def test_another_liaison_cannot_open_the_answer_view(client, places):
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    referral = services.referral_create(
        case=opened,
        department=department("health", places["chaoyang"]),
        category="medical",
        actor=staff(places["chaoyang"]),
    )
    login(client, liaison(department("education", places["chaoyang"])))
    response = client.get(f"/admin/cases/referral/{referral.pk}/answer/")
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not _reads(opened).exists()


def test_triage_screen_dismisses_with_a_reason(client, places):
    report = services.discovery_report_file(
        jurisdiction=places["hongqi"],
        reporter_name="志愿者刘洋",
        reporter_phone="13604310011",
        person_description="流浪人员，夜间露宿",
        location_text="红旗街道公交站",
    )
    login(client, staff(places["chaoyang"]))
    assert str(report) in client.get("/admin/cases_discovery/").content.decode()
    client.post(
        f"/admin/cases/discovery/{report.pk}/triage/",
        {
            "action": "dismiss",
            "reason": "已由救助站接回",
            "public_reason": "already_helped",
            "confirm": "on",
        },
    )
    report.refresh_from_db()
    assert report.status == DiscoveryReport.Status.DISMISSED


def test_staff_add_a_member_in_the_case_file(client, places):
    from case_factories import id_number

    opened = case(places["hongqi"])
    login(client, staff(places["hongqi"], Role.STREET_STAFF))
    good = id_number(born=dt.date(2012, 3, 3))
    client.post(
        f"/admin/cases/case/{opened.pk}/member/",
        {"name": "王小明", "id_number": good, "relation": "grandchild"},
    )
    assert opened.household.members.count() == 2
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
    bad = client.post(
        f"/admin/cases/case/{opened.pk}/member/",
        {"name": "王小红", "id_number": wrong, "relation": "grandchild"},
        follow=True,
    )
    assert "身份证号码校验位不正确" in bad.content.decode()
    assert opened.household.members.count() == 2


def test_opening_a_discovery_report_for_triage_is_audited(client, places):
    report = services.discovery_report_file(
        jurisdiction=places["hongqi"],
        reporter_name="志愿者刘洋",
        reporter_phone="13604310011",
        person_description="流浪人员，夜间露宿",
        location_text="红旗街道公交站",
    )
    worker = staff(places["chaoyang"])
    assert (
        login(client, worker).get(f"/admin/cases/discovery/{report.pk}/triage/").status_code == 200
    )
    assert (
        AuditEntry.objects.filter(
            action="read_personal", object_type="cases.discoveryreport", actor=worker
        ).count()
        == 1
    )
    outsider = staff(places["nanguan"])
    response = login(client, outsider).get(f"/admin/cases/discovery/{report.pk}/triage/")
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(actor=outsider).exists()
