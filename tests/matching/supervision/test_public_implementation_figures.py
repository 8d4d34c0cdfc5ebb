"""The public implementation figures (执行情况公示) are the supervision dashboard's
figures for the same period and district, with every cell of 1 to 4 people or
cases withheld (docs/publicity.md)."""

import datetime as dt

import pytest
import supervision_factories as f
from supervision_factories import NOW, OCTOBER

from matching.directory.models import Department
from matching.supervision.public import (
    department_rows,
    district_row,
    implementation_figures,
    published_count,
    published_part,
)
from matching.supervision.selectors import supervision_figures

pytestmark = pytest.mark.django_db
START, END = OCTOBER


def busy_chaoyang(october, places, n=6):
    """``n`` more October cases in Chaoyang: emergencies answered in time, each approved,
    published, given 100 yuan and paid 50 yuan, and referred to health and answered in time."""
    health = Department.objects.get(kind=Department.Kind.HEALTH)
    project = october["matches"][0].project
    for day in range(12, 12 + n):
        case = f.case(
            places["hongqi"],
            opened=f.at(10, day, 8),
            emergency=True,
            due=f.at(10, day, 20),
            responded=f.at(10, day, 10),
        )
        f.approved_match(case, project, f.at(10, day + 1, 8 + day % 5))
        f.referral(
            case, health, referred=f.at(10, day), due=f.at(10, day + 1), answered=f.at(10, day, 15)
        )
        account = october["ledger"].account(f"need:{f.public_need(case, places['chaoyang']).pk}")
        october["ledger"].donate(account, 10_000, f.at(10, 21))
        october["ledger"].disburse(account, 5_000, f.at(10, 22))


def test_suppression_rules():
    assert [published_count(n) for n in (0, 1, 4, 5, 12)] == [0, None, None, 5, 12]
    # 7 of 9 on time would tell that 2 were late.
    assert published_part(7, 9) is None
    assert published_part(7, 12) == 7
    assert published_part(0, 6) == 0
    assert published_part(6, 6) == 6


def test_each_district_cell_equals_the_dashboards_figure(october, places):
    busy_chaoyang(october, places)
    for district in (places["chaoyang"], places["nanguan"]):
        board = supervision_figures(jurisdiction=district, start=START, end=END, now=NOW)
        row = district_row(district=district, start=START, end=END, now=NOW, k=1)
        assert row.applications == board.applications_total
        assert row.approvals == board.approved_match.count
        assert row.median_hours_to_decision == board.approved_match.median_hours
        assert row.emergencies == board.emergencies.total
        assert row.emergencies_within_clock == board.emergencies.within_clock
        assert row.raised_minor == board.need_money.raised_minor
        assert row.disbursed_minor == board.need_money.disbursed_minor
    # Guard: the loop ended on Nanguan, whose one case shows unsuppressed at k = 1.
    assert board.applications_total == 1 and row.applications == 1


def test_published_figures_of_a_busy_district_match_the_dashboard(october, places):
    busy_chaoyang(october, places)
    chaoyang = places["chaoyang"]
    board = supervision_figures(jurisdiction=chaoyang, start=START, end=END, now=NOW)
    figures = implementation_figures(start=START, end=END, now=NOW)
    row = next(row for row in figures.districts if row.code == chaoyang.code)
    assert (row.applications, row.approvals, row.emergencies) == (10, 8, 9)
    assert row.applications == board.applications_total
    assert row.approvals == board.approved_match.count
    assert row.median_hours_to_decision == board.approved_match.median_hours is not None
    assert row.emergencies == board.emergencies.total
    assert row.raised_minor == board.need_money.raised_minor == 50_000 + 6 * 10_000
    assert row.disbursed_minor == board.need_money.disbursed_minor == 80_000 + 6 * 5_000
    # 7 of 9 emergencies within the clock: the 2 others would be revealed.
    assert board.emergencies.within_clock == 7 and row.emergencies_within_clock is None


def test_a_district_with_three_cases_shows_suppressed_never_three(october, places):
    for day in (12, 13):
        f.case(places["nanling"], opened=f.at(10, day))
    board = supervision_figures(jurisdiction=places["nanguan"], start=START, end=END, now=NOW)
    assert board.applications_total == 3
    figures = implementation_figures(start=START, end=END, now=NOW, k=1)  # k is never below 5
    assert figures.k == 5
    nanguan = next(row for row in figures.districts if row.code == places["nanguan"].code)
    assert nanguan.applications is None
    assert nanguan.median_hours_to_decision is None
    assert nanguan.raised_minor is None  # one household was given money
    for row in figures.categories:
        assert row.applications is None or row.applications == 0 or row.applications >= 5


def test_referrals_per_department_kind_sum_the_dashboards_rows(october, places):
    busy_chaoyang(october, places)
    city = places["city"]
    board = supervision_figures(jurisdiction=city, start=START, end=END, now=NOW)
    rows = {
        row.kind: row
        for row in department_rows(jurisdiction=city, start=START, end=END, now=NOW, k=1)
    }
    assert sum(row.referrals for row in rows.values()) == board.referrals_total.total
    assert sum(row.on_time for row in rows.values()) == board.referrals_total.on_time
    assert (rows["health"].referrals, rows["health"].on_time) == (8, 7)
    published = {
        row.kind: row for row in implementation_figures(start=START, end=END, now=NOW).departments
    }
    assert published["health"].referrals == 8
    assert published["health"].on_time is None  # 1 late would be revealed
    assert published["education"].referrals is None  # 2 referrals


def test_the_period_is_a_half_open_interval(october, places):
    figures = implementation_figures(start=START, end=START + dt.timedelta(days=1), now=NOW)
    assert all(row.applications == 0 for row in figures.districts)
