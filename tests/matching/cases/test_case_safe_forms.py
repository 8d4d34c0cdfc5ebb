"""Decision forms in the case screens: no choice is pre-selected, and a decision
that cannot be undone is applied only with its confirmation ticked."""

import pytest
from bs4 import BeautifulSoup
from case_factories import PASSWORD, assistance, case, department, liaison, staff

from matching.cases import services
from matching.cases.models import CaseStatus, DiscoveryReport, DuplicateFlag, Referral
from matching.directory.services import role_groups_sync

pytestmark = pytest.mark.django_db

CONFIRM_MESSAGE = "此决定不可撤销，请勾选确认后再提交。"


@pytest.fixture(autouse=True)
def _groups(db):
    role_groups_sync()
    services.case_permissions_sync()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def options(html, name):
    """(value, selected) of each option of the select called ``name``."""
    select = BeautifulSoup(html, "html.parser").find("select", attrs={"name": name})
    assert select is not None, name
    return select, [(o.get("value"), o.has_attr("selected")) for o in select.find_all("option")]


def test_the_status_form_preselects_nothing_and_refuses_no_choice(client, places):
    opened = case(places["hongqi"])  # received: may go to under review, rejected or closed
    login(client, staff(places["chaoyang"]))
    page = client.get(f"/admin/cases/case/{opened.pk}/").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    # One explicit button per move allowed now (issue 21), nothing to pre-select:
    # reversible moves submit directly, irreversible ones open a confirming dialog.
    assert soup.find("select", attrs={"name": "to_status"}) is None
    direct = {b["value"] for b in soup.select("#move-form button[name=to_status]")}
    confirmed = {i["value"] for i in soup.select("dialog input[name=to_status]")}
    assert direct == {"under_review"} and confirmed == {"rejected", "closed"}
    assert all(box.has_attr("required") for box in soup.select("dialog input[name=confirm]"))

    refused = client.post(
        f"/admin/cases/case/{opened.pk}/transition/", {"to_status": "", "note": "x"}, follow=True
    )
    assert "请选择要变更的状态。" in refused.content.decode()
    opened.refresh_from_db()
    assert opened.status == CaseStatus.RECEIVED
    assert not opened.transitions.exists()
    # A move that can be undone needs a choice, not the confirmation.
    client.post(f"/admin/cases/case/{opened.pk}/transition/", {"to_status": "under_review"})
    opened.refresh_from_db()
    assert opened.status == CaseStatus.UNDER_REVIEW


@pytest.mark.parametrize("target", ["closed", "rejected"])
def test_closing_or_rejecting_a_case_needs_the_confirmation(client, places, target):
    opened = case(places["hongqi"])
    login(client, staff(places["chaoyang"]))
    url = f"/admin/cases/case/{opened.pk}/transition/"
    refused = client.post(url, {"to_status": target, "note": "申请人撤回申请"}, follow=True)
    assert CONFIRM_MESSAGE in refused.content.decode()
    opened.refresh_from_db()
    assert opened.status == CaseStatus.RECEIVED and not opened.transitions.exists()

    client.post(url, {"to_status": target, "note": "申请人撤回申请", "confirm": "on"})
    opened.refresh_from_db()
    assert opened.status == target


def test_a_duplicate_ruling_preselects_nothing_and_needs_the_confirmation(client, places):
    opened = case(places["hongqi"], status=CaseStatus.VERIFIED)
    record = assistance(opened.household.members.get().id_number, category="subsistence")
    flag = DuplicateFlag.objects.create(case=opened, record=record, category="subsistence")
    login(client, staff(places["chaoyang"]))
    page = client.get(f"/admin/cases/case/{opened.pk}/").content.decode()
    _, found = options(page, "decision")
    assert [value for value, _ in found] == ["", "duplicate", "not_duplicate"]
    assert not any(selected for value, selected in found if value)

    url = f"/admin/cases/flag/{flag.pk}/adjudicate/"
    refused = client.post(url, {"decision": "duplicate", "note": "已享受低保"}, follow=True)
    assert CONFIRM_MESSAGE in refused.content.decode()
    flag.refresh_from_db()
    assert flag.decision == DuplicateFlag.Decision.PENDING

    client.post(url, {"decision": "duplicate", "note": "已享受低保", "confirm": "on"})
    flag.refresh_from_db()
    assert flag.decision == DuplicateFlag.Decision.DUPLICATE


def test_a_liaison_refusing_a_referral_needs_the_confirmation(client, places):
    health = department("health", places["chaoyang"])
    contact = liaison(health)
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    referral = services.referral_create(
        case=opened, department=health, category="medical", actor=staff(places["chaoyang"])
    )
    login(client, contact)
    url = f"/admin/cases/referral/{referral.pk}/answer/"
    _, found = options(client.get(url).content.decode(), "outcome")
    assert found[0][0] == "" and not any(selected for value, selected in found if value)

    nothing = client.post(url, {"outcome": "", "answer": "x"})
    assert "请选择办理结果。" in nothing.content.decode()
    refused = client.post(url, {"outcome": "declined", "answer": "收入超过标准"})
    assert CONFIRM_MESSAGE in refused.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.OPEN and referral.outcome == ""

    client.post(url, {"outcome": "declined", "answer": "收入超过标准", "confirm": "on"})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ANSWERED
    assert referral.outcome == Referral.Outcome.DECLINED


def test_dismissing_a_discovery_report_needs_the_confirmation(client, places):
    report = services.discovery_report_file(
        jurisdiction=places["hongqi"],
        reporter_name="志愿者刘洋",
        reporter_phone="13604310011",
        person_description="流浪人员，夜间露宿",
        location_text="红旗街道公交站",
    )
    login(client, staff(places["chaoyang"]))
    url = f"/admin/cases/discovery/{report.pk}/triage/"
    dismiss = {"action": "dismiss", "reason": "已由救助站接回", "public_reason": "already_helped"}
    refused = client.post(url, dismiss)
    assert CONFIRM_MESSAGE in refused.content.decode()
    report.refresh_from_db()
    assert report.status == DiscoveryReport.Status.PENDING

    client.post(url, {**dismiss, "confirm": "on"})
    report.refresh_from_db()
    assert report.status == DiscoveryReport.Status.DISMISSED
