"""Deadline arithmetic, referral escalation, the emergency clock, discovery triage."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from case_factories import RuleFactory, account, case, department, liaison, staff
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from matching.cases import deadlines, selectors, services
from matching.cases.models import Case, CaseStatus, DeadlineRule, DiscoveryReport, Referral
from matching.cases.services import CaseRuleError, NotPermitted, emergency_case_opened
from matching.core.vocabulary import Urgency
from matching.directory.models import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


# --- pure arithmetic ------------------------------------------------------------


@pytest.mark.django_db  # staff-entered holiday days are read from the database
def test_working_days_skip_a_weekend():
    # Thursday 2026-11-26 + 2 working days: Friday, (weekend), Monday.
    assert deadlines.add_working_days(at(2026, 11, 26, 15, 0), 2) == at(2026, 12, 1)


@pytest.mark.django_db  # staff-entered holiday days are read from the database
def test_working_days_skip_national_day_and_count_the_make_up_saturday():
    # 2026-10-01..07 are public holidays; Saturday 10-10 is a make-up working day.
    start = at(2026, 9, 30, 10, 0)
    assert deadlines.add_working_days(start, 5) == at(2026, 10, 14)
    assert not deadlines.is_working_day(dt.date(2026, 10, 1))
    assert deadlines.is_working_day(dt.date(2026, 10, 10))


def test_hours_run_round_the_clock_through_holidays():
    start = at(2026, 10, 1, 9, 30)
    assert deadlines.add_duration(start, 24, DeadlineRule.Unit.HOURS) == at(2026, 10, 2, 9, 30)


@pytest.mark.django_db
def test_defaults_apply_until_staff_configure_a_rule():
    start = at(2026, 11, 26, 15, 0)
    normal = deadlines.deadline_for(purpose="referral", urgency=Urgency.NORMAL, start=start)
    urgent = deadlines.deadline_for(purpose="referral", urgency=Urgency.EMERGENCY, start=start)
    assert normal == at(2026, 12, 4)  # 5 working days
    assert urgent == at(2026, 11, 27, 15, 0)  # 24 hours


@pytest.mark.django_db
def test_a_category_rule_beats_the_rule_for_every_category():
    RuleFactory(amount=10)
    RuleFactory(category="medical", amount=3)
    start = at(2026, 11, 26, 15, 0)
    medical = deadlines.deadline_for(
        purpose="referral", urgency="normal", start=start, category="medical"
    )
    housing = deadlines.deadline_for(
        purpose="referral", urgency="normal", start=start, category="housing"
    )
    assert medical == at(2026, 12, 2)
    assert housing == at(2026, 12, 11)


# --- referrals ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_referral_gets_its_deadline_and_tells_the_liaison(
    places, django_capture_on_commit_callbacks
):
    health = department("health", places["chaoyang"])
    contact = liaison(health)
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.referral_create(
            case=opened,
            department=health,
            category="medical",
            actor=staff(places["chaoyang"]),
            now=at(2026, 9, 30, 10, 0),
        )
    assert referral.due_at == at(2026, 10, 14)
    opened.refresh_from_db()
    assert opened.status == CaseStatus.REFERRED
    assert mail.outbox[-1].to == [contact.email]
    assert opened.receipt_number in mail.outbox[-1].subject
    assert "王秀兰" not in mail.outbox[-1].body


@pytest.mark.django_db
def test_an_emergency_referral_runs_on_the_short_clock(places):
    RuleFactory(urgency=Urgency.EMERGENCY, amount=12, unit=DeadlineRule.Unit.HOURS)
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW, urgency=Urgency.EMERGENCY)
    start = at(2026, 10, 1, 8, 0)
    referral = services.referral_create(
        case=opened,
        department=department("health", places["chaoyang"]),
        category="medical",
        actor=staff(places["chaoyang"]),
        now=start,
    )
    assert referral.due_at == start + dt.timedelta(hours=12)


@pytest.mark.django_db
def test_an_overdue_referral_escalates_to_the_city_with_a_notice(
    places, django_capture_on_commit_callbacks
):
    health = department("health", places["chaoyang"])
    city_health = department("health", places["city"])
    supervisor = staff(places["city"], Role.CITY_STAFF)
    city_liaison = liaison(city_health)
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    referral = services.referral_create(
        case=opened, department=health, category="medical", actor=staff(places["chaoyang"])
    )
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_overdue", stdout=open("/dev/null", "w"))  # noqa: SIM115

    referral.refresh_from_db()
    assert referral.escalated_at is not None
    assert referral.escalated_to == places["city"]
    # One e-mail per recipient (each in the recipient's own language).
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(
        [supervisor.email, city_liaison.email]
    )
    assert all("督办" in m.subject for m in mail.outbox)
    # A second sweep does not escalate (or notify) again.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.referrals_escalate_overdue() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_referral_on_time_is_not_escalated(places):
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    referral = services.referral_create(
        case=opened,
        department=department("health", places["chaoyang"]),
        category="medical",
        actor=staff(places["chaoyang"]),
    )
    assert services.referrals_escalate_overdue() == 0
    with pytest.raises(CaseRuleError):
        services.referral_escalate(referral=referral)


@pytest.mark.django_db
def test_liaisons_are_reminded_once_before_the_deadline(places, django_capture_on_commit_callbacks):
    health = department("health", places["chaoyang"])
    liaison(health)
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    referral = services.referral_create(
        case=opened, department=health, category="medical", actor=staff(places["chaoyang"])
    )
    Referral.objects.filter(pk=referral.pk).update(due_at=timezone.now() + dt.timedelta(hours=5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.referrals_remind() == 1
        assert services.referrals_remind() == 0
    assert len(mail.outbox) == 1 and "即将到期" in mail.outbox[0].subject


@pytest.mark.django_db
def test_only_the_departments_liaison_answers_and_only_once(places):
    health = department("health", places["chaoyang"])
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    referral = services.referral_create(
        case=opened, department=health, category="medical", actor=staff(places["chaoyang"])
    )
    outsider = liaison(department("education", places["chaoyang"]))
    with pytest.raises(NotPermitted):
        services.referral_answer(
            referral=referral, outcome="granted", answer="已办", actor=outsider
        )
    answered = services.referral_answer(
        referral=referral,
        outcome="granted",
        answer="已纳入医疗救助，报销 3200 元",
        actor=liaison(health),
    )
    assert answered.status == Referral.Status.ANSWERED
    with pytest.raises(CaseRuleError, match="已答复"):
        services.referral_answer(
            referral=referral, outcome="declined", answer="x", department=health
        )


# --- the emergency fast lane ------------------------------------------------------


@pytest.mark.django_db
def test_an_emergency_starts_the_24_hour_clock_and_alerts_staff(
    places, django_capture_on_commit_callbacks
):
    district_worker = staff(places["chaoyang"])
    received = []
    emergency_case_opened.connect(
        lambda sender, case_id, **kw: received.append(case_id),
        weak=False,
        dispatch_uid="test-emergency",
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            urgent = case(
                places["chaoyang"],
                urgency=Urgency.EMERGENCY,
                opened_at=at(2026, 10, 1, 22, 0),
                categories=["temporary"],
            )
    finally:
        emergency_case_opened.disconnect(dispatch_uid="test-emergency")
    assert urgent.first_response_due == at(2026, 10, 2, 22, 0)
    assert received == [urgent.pk]
    assert district_worker.email in mail.outbox[0].to and "救急难" in mail.outbox[0].subject


@pytest.mark.django_db
def test_a_normal_case_gets_working_days_for_its_first_response(places):
    ordinary = case(places["hongqi"], opened_at=at(2026, 9, 30, 10, 0))
    # 3 working days: Thu 10-8, Fri 10-9 and the make-up Saturday 10-10.
    assert ordinary.first_response_due == at(2026, 10, 11)


@pytest.mark.django_db
def test_emergencies_jump_every_queue(places):
    worker = staff(places["chaoyang"])
    older = case(places["hongqi"], opened_at=timezone.now() - dt.timedelta(days=3))
    urgent = case(places["hongqi"], urgency=Urgency.EMERGENCY)
    assert list(selectors.case_list(user=worker)) == [urgent, older]
    assert list(Case.objects.all()) == [urgent, older]
    health = department("health", places["chaoyang"])
    for each in (older, urgent):
        Case.objects.filter(pk=each.pk).update(status=CaseStatus.UNDER_REVIEW)
        each.refresh_from_db()
        services.referral_create(case=each, department=health, category="medical", actor=worker)
    Referral.objects.filter(case=urgent).update(due_at=timezone.now() + dt.timedelta(days=30))
    assert [r.case for r in selectors.referral_list(user=worker)] == [urgent, older]


@pytest.mark.django_db
def test_the_first_transition_stops_the_first_response_clock(places):
    urgent = case(
        places["hongqi"],
        urgency=Urgency.EMERGENCY,
        opened_at=timezone.now() - dt.timedelta(hours=25),
    )
    assert urgent.first_response_overdue
    moved = services.case_transition(
        case=urgent, to_status=CaseStatus.UNDER_REVIEW, actor=staff(places["chaoyang"])
    )
    assert moved.first_responded_at is not None and not moved.first_response_overdue


# --- proactive discovery -------------------------------------------------------------


def _report(places, **overrides):
    values = {
        "jurisdiction": places["hongqi"],
        "reporter_name": "社区网格员李红",
        "reporter_phone": "13944310022",
        "person_description": "独居老人，冬季无供暖，行动不便",
        "location_text": "红旗街道某小区 5 栋",
        "urgency": Urgency.NORMAL,
    }
    values.update(overrides)
    return services.discovery_report_file(**values)


@pytest.mark.django_db
def test_a_discovery_report_without_an_id_number_gets_a_triage_deadline(places):
    report = _report(
        places, now=at(2026, 11, 26, 15, 0), reporter=account(Role.VOLUNTEER, places["hongqi"])
    )
    assert report.status == DiscoveryReport.Status.PENDING
    assert report.triage_due == at(2026, 12, 1)
    urgent = _report(places, urgency=Urgency.EMERGENCY, now=at(2026, 11, 26, 15, 0))
    assert urgent.triage_due == at(2026, 11, 27, 3, 0)  # 12 hours
    assert list(
        selectors.discovery_report_list(user=staff(places["chaoyang"]), pending_only=True)
    ) == [urgent, report]


@pytest.mark.django_db
def test_triage_into_a_case(places):
    report = _report(places)
    worker = staff(places["hongqi"], Role.STREET_STAFF)
    opened = services.discovery_report_open_case(
        report=report,
        actor=worker,
        title="独居老人冬季取暖困难",
        contact_phone="13944310022",
        categories=["temporary"],
        forms=["daily_life"],
    )
    report.refresh_from_db()
    assert report.status == DiscoveryReport.Status.CASE_OPENED and report.case == opened
    assert report.triaged_by == worker and report.triaged_at is not None
    assert opened.channel == Case.Channel.DISCOVERY and opened.household.members.count() == 0
    with pytest.raises(CaseRuleError, match="已研判"):
        services.discovery_report_dismiss(report=report, actor=worker, reason="重复")


@pytest.mark.django_db
def test_triage_into_a_recorded_dismissal(places):
    report = _report(places)
    worker = staff(places["chaoyang"])
    with pytest.raises(CaseRuleError, match="理由"):
        services.discovery_report_dismiss(report=report, actor=worker, reason=" ")
    dismissed = services.discovery_report_dismiss(
        report=report, actor=worker, reason="经走访，当事人已由子女接回照料"
    )
    assert dismissed.status == DiscoveryReport.Status.DISMISSED
    assert dismissed.dismissal_reason == "经走访，当事人已由子女接回照料"


@pytest.mark.django_db
def test_another_district_cannot_triage(places):
    with pytest.raises(NotPermitted):
        services.discovery_report_dismiss(
            report=_report(places), actor=staff(places["nanguan"]), reason="不属实"
        )
