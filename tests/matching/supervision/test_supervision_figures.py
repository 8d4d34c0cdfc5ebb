"""The figures on the constructed city: every expectation is derived from the rows
the fixture built (with the plain-Python rule the docs state), plus a literal
count as a guard against a fixture that built nothing."""

import statistics
from collections import Counter
from decimal import Decimal

import pytest
import supervision_factories as f
from supervision_factories import NOW, OCTOBER

from matching.cases.models import Referral
from matching.supervision.selectors import supervision_figures

pytestmark = pytest.mark.django_db
START, END = OCTOBER


def in_period(when):
    return when is not None and START <= when < END


def figures_for(place):
    return supervision_figures(jurisdiction=place, start=START, end=END, now=NOW)


def cases_in(october, place):
    return [case for case in october["cases"].values() if place.contains(case.jurisdiction)]


def hours(seconds_list):
    return [Decimal(seconds) / 3600 for seconds in seconds_list]


def one_decimal(value):
    return Decimal(value).quantize(Decimal("0.1"))


def expected_durations(pairs):
    values = sorted(hours(int((done - began).total_seconds()) for done, began in pairs))
    median = statistics.median(values)
    p90 = statistics.quantiles(values, n=10, method="inclusive")[8] if len(values) > 1 else median
    return len(values), one_decimal(median), one_decimal(p90)


@pytest.mark.parametrize("unit", ["chaoyang", "city"])
def test_applications_by_category(october, places, unit):
    place = places[unit]
    opened = [case for case in cases_in(october, place) if in_period(case.opened_at)]
    figures = figures_for(place)
    assert figures.applications_total == len(opened) == {"chaoyang": 4, "city": 5}[unit]
    expected = Counter(code for case in opened for code in case.categories)
    assert {
        row.code: row.count for row in figures.applications_by_category if row.count
    } == expected
    assert figures.awaiting_first_response == sum(1 for c in opened if not c.first_responded_at)


def test_time_to_first_response_and_to_an_approved_match(october, places):
    place = places["chaoyang"]
    figures = figures_for(place)
    responded = [
        (case.first_responded_at, case.opened_at)
        for case in cases_in(october, place)
        if in_period(case.first_responded_at)
    ]
    first = figures.first_response
    assert (first.count, first.median_hours, first.p90_hours) == expected_durations(responded)
    assert first.count == 4  # c5, opened in September, was answered in October

    earliest = {}
    for match in october["matches"]:
        if match.status == "approved" and place.contains(match.need.jurisdiction):
            earliest[match.need] = min(earliest.get(match.need, match.decided_at), match.decided_at)
    pairs = [(when, need.opened_at) for need, when in earliest.items() if in_period(when)]
    approved = figures.approved_match
    assert (approved.count, approved.median_hours, approved.p90_hours) == expected_durations(pairs)
    assert approved.count == 2  # c2's second approval does not count again


def test_referrals_on_time_and_overdue_by_department(october, places):
    figures = figures_for(places["chaoyang"])
    expected = {}
    for referral in october["referrals"]:
        if not in_period(referral.referred_at):
            continue
        row = expected.setdefault(referral.department.name, Counter())
        row["total"] += 1
        if referral.status == Referral.Status.ANSWERED:
            row["on_time" if referral.answered_at <= referral.due_at else "late"] += 1
        else:
            row["open_overdue" if referral.due_at < NOW else "open_in_time"] += 1
    got = {
        row.department: Counter({key: getattr(row, key) for key in expected[row.department]})
        for row in figures.referrals_by_department
    }
    assert got == expected
    assert {row.department: row.overdue for row in figures.referrals_by_department} == {
        "朝阳区卫生健康局": 1,
        "朝阳区教育局": 1,
    }
    assert figures.referrals_total.total == 4


def test_emergencies_against_their_clock(october, places):
    emergencies = [
        case
        for case in cases_in(october, places["chaoyang"])
        if case.urgency == "emergency" and in_period(case.opened_at)
    ]
    got = figures_for(places["chaoyang"]).emergencies
    responded = [case for case in emergencies if case.first_responded_at]
    assert got.total == len(emergencies) == 3
    assert got.within_clock == sum(c.first_responded_at <= c.first_response_due for c in responded)
    assert got.late == sum(c.first_responded_at > c.first_response_due for c in responded)
    waiting = [case for case in emergencies if not case.first_responded_at]
    assert got.open_overdue == sum(c.first_response_due < NOW for c in waiting) == 1
    assert got.open_in_time == 0


@pytest.mark.parametrize("unit", ["chaoyang", "nanguan", "city"])
def test_flags_recusals_and_complaints(october, places, unit):
    place = places[unit]
    figures = figures_for(place)
    flags = [
        flag
        for flag in october["flags"]
        if in_period(flag.flagged_at) and place.contains(flag.case.jurisdiction)
    ]
    assert figures.duplicate_flags.total == len(flags)
    assert figures.duplicate_flags.pending == sum(flag.decision == "pending" for flag in flags)
    assert figures.duplicate_flags.duplicate == sum(flag.decision == "duplicate" for flag in flags)

    recusals = [
        recusal
        for recusal in october["recusals"]
        if in_period(recusal.at) and place.contains(recusal.jurisdiction)
    ]
    assert figures.recusals == len(recusals) == (0 if unit == "nanguan" else 1)

    complaints = [c for c in october["complaints"] if place.contains(c.place)]
    got = figures.complaints
    assert got.received == sum(in_period(c.filed_at) for c in complaints)
    assert got.concluded == sum(in_period(c.concluded_at) for c in complaints)
    assert got.escalated == sum(in_period(c.escalated_at) for c in complaints)
    late = [
        c
        for c in complaints
        if in_period(c.due_at)
        and (
            (c.concluded_at and c.concluded_at > c.due_at)
            or (not c.concluded_at and c.due_at < NOW)
        )
    ]
    assert got.overdue == len(late)
    if unit == "chaoyang":
        assert (got.received, got.concluded, got.overdue, got.escalated) == (2, 2, 2, 1)


@pytest.mark.parametrize("unit", ["chaoyang", "city"])
def test_money_raised_disbursed_and_waiting(october, places, unit):
    place = places[unit]
    needs = {
        f"need:{need.pk}"
        for need in october["needs"].values()
        if place.contains(need.case.jurisdiction)
    }
    posted = [row for row in october["ledger"].posted if row[0] in needs]
    money = figures_for(place).need_money

    def total(kind):
        return sum(fen for _code, what, fen, when in posted if what == kind and in_period(when))

    assert money.raised_minor == total("donation")
    assert money.refunded_minor == total("refund")
    assert money.disbursed_minor == total("disbursement")
    sign = {"donation": 1, "refund": -1, "disbursement": -1}
    assert money.waiting_minor == sum(
        sign[what] * fen for _code, what, fen, when in posted if when < END
    )
    if unit == "chaoyang":
        assert (money.raised_minor, money.waiting_minor) == (50_000, 60_000)


def test_pooled_money_is_the_citys_alone(october, places):
    assert figures_for(places["chaoyang"]).pooled_money is None
    pooled = figures_for(places["city"]).pooled_money
    assert (
        pooled.raised_minor
        == sum(
            fen
            for code, _what, fen, when in october["ledger"].posted
            if code.startswith("general:") and in_period(when)
        )
        == 5_000
    )


def test_an_empty_period_has_only_zeros(october, places):
    figures = supervision_figures(
        jurisdiction=places["city"],
        start=END.replace(year=2027),
        end=END.replace(year=2028),
        now=NOW,
    )
    assert figures.applications_total == 0
    assert figures.first_response.median_hours is None
    assert figures.referrals_by_department == []
    assert figures.need_money.raised_minor == 0
    # What was earmarked and not disbursed is still waiting after the period.
    assert figures.need_money.waiting_minor == 110_000


def test_the_audit_summary_counts_the_subtrees_entries(october, places):
    from supervision_factories import moment

    from matching.audit.services import audit_record
    from matching.supervision.selectors import audit_counts_by_action

    with moment(f.at(10, 20)):
        audit_record(actor=None, action="update", obj=october["cases"]["n1"], summary="test")

    def counts(unit):
        rows = audit_counts_by_action(jurisdiction=places[unit], start=START, end=END)
        return {code: count for code, _label, count in rows}

    in_october = [entry for entry in october["recusals"] if in_period(entry.at)]
    assert counts("chaoyang") == {"recusal": len(in_october)} == {"recusal": 1}
    assert counts("nanguan") == {"update": 1}
    assert counts("city") == {"recusal": 1, "update": 1}
