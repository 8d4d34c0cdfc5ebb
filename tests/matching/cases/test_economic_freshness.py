"""Fresh household economic data: stale records hold or flag a verification, a
refresh request reaches the department and new data answers it, the department
sees only its own stale records, and the daily sweep flags an overdue department once."""

import datetime as dt
from decimal import Decimal

import pytest
from case_factories import (
    PASSWORD,
    StandardFactory,
    case,
    department,
    id_number,
    liaison,
    staff,
)
from django.utils import timezone

from matching.cases import interchange, services
from matching.cases.models import (
    EconomicRecord,
    FreshnessRule,
    Member,
    RefreshAlert,
    RefreshRequest,
)
from matching.cases.services import CaseRuleError
from matching.directory.services import role_groups_sync
from matching.notifications.models import Message

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HEAD = id_number(born=dt.date(1968, 2, 14))


@pytest.fixture(autouse=True)
def _groups(db):
    role_groups_sync()
    services.case_permissions_sync()


@pytest.fixture
def family(places):
    StandardFactory(jurisdiction=places["chaoyang"], monthly_line_per_person="720.00")
    return case(
        places["hongqi"],
        members=[
            {"name": "刘振华", "id_number": HEAD, "relation": Member.Relation.SELF},
        ],
    )


def _send(dept, *, kind="income", label="工资", amount="500.00", days_old=10, ref=""):
    return services.economic_record_submit(
        department=dept,
        id_number=HEAD,
        kind=kind,
        label=label,
        amount=Decimal(amount),
        as_of=TODAY - dt.timedelta(days=days_old),
        ref=ref,
    )


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_stale_income_holds_the_verification_and_fresh_income_does_not(places, family):
    hr = department("human_resources", places["chaoyang"])
    worker = staff(places["chaoyang"])
    _send(hr, days_old=30)

    fresh = services.case_verify(case=family, actor=worker)
    assert fresh.pending_fresh_data is False and fresh.stale_data == []
    assert fresh.eligible is True and fresh.monthly_top_up == Decimal("220.00")

    _send(hr, label="灵活就业", amount="100.00", days_old=120)
    held = services.case_verify(case=family, actor=worker)
    assert held.pending_fresh_data is True
    assert held.eligible is False and held.monthly_top_up == Decimal("0.00")
    assert held.arithmetic[-1] == "结论：收入数据已过期，待部门更新数据后再作结论"
    [entry] = held.stale_data
    assert entry["department"] == hr.pk and entry["days_over"] == 30 and entry["holds"]


def test_stale_assets_are_flagged_but_the_verification_concludes(places, family):
    housing = department("housing", places["chaoyang"])
    _send(department("human_resources", places["chaoyang"]), days_old=5)
    _send(housing, kind="asset", label="房产", amount="1000.00", days_old=200)

    result = services.case_verify(case=family, actor=staff(places["chaoyang"]))

    assert result.pending_fresh_data is False and result.eligible is True
    assert [(e["label"], e["holds"]) for e in result.stale_data] == [("房产", False)]


def test_a_city_rule_overrides_the_default_age(places, family):
    hr = department("human_resources", places["chaoyang"])
    _send(hr, days_old=40)
    FreshnessRule.objects.create(department_kind="human_resources", kind="income", max_age_days=30)

    result = services.case_verify(case=family, actor=staff(places["chaoyang"]))

    assert result.pending_fresh_data is True
    assert result.stale_data[0]["max_age_days"] == 30


def test_the_case_page_says_whose_data_is_stale_and_since_when(client, places, family):
    hr = department("human_resources", places["chaoyang"])
    _send(hr, days_old=100)
    worker = staff(places["chaoyang"])
    services.case_verify(case=family, actor=worker)

    page = _login(client, worker).get(f"/admin/cases/case/{family.pk}/").content.decode()

    as_of = (TODAY - dt.timedelta(days=100)).isoformat()
    assert 'data-testid="pending-fresh-data"' in page
    assert f"{hr.name}提供的月收入数据“工资”截至 {as_of}，超过 90 天的有效期已 10 天。" in page
    assert 'data-testid="request-refresh"' in page


def test_a_refresh_request_reaches_the_department_and_new_data_answers_it(
    client, places, family, django_capture_on_commit_callbacks
):
    hr = department("human_resources", places["chaoyang"])
    contact = liaison(hr)
    worker = staff(places["chaoyang"])
    _send(hr, days_old=100, ref="HR-1")
    assert services.case_verify(case=family, actor=worker).pending_fresh_data

    with django_capture_on_commit_callbacks(execute=True):
        response = _login(client, worker).post(
            f"/admin/cases/case/{family.pk}/refresh-request/", {"department": hr.pk}
        )
    assert response.status_code == 302
    request = RefreshRequest.objects.get()
    assert request.status == "open" and request.department == hr
    notice = Message.objects.get(recipient=contact)
    assert family.receipt_number in notice.body and "刘振华" not in notice.body
    # Asking twice does not ask twice.
    services.refresh_request_create(case=family, department=hr, actor=worker)
    assert RefreshRequest.objects.count() == 1

    # The department's list and dashboard count show the open request.
    _login(client, contact)
    listing = client.get("/admin/cases_refresh_requests/?queue=economic_refresh_requests")
    assert HEAD[-4:] in listing.content.decode() and HEAD not in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        _send(hr, days_old=3, ref="HR-1")
    request.refresh_from_db()
    assert request.status == "answered" and request.answered_at is not None
    assert Message.objects.filter(recipient=worker, subject="经济状况数据已更新").exists()
    again = services.case_verify(case=family, actor=worker)
    assert again.pending_fresh_data is False and again.eligible is True


def test_no_request_for_a_department_whose_data_is_fresh(places, family):
    hr = department("human_resources", places["chaoyang"])
    _send(hr, days_old=10)
    with pytest.raises(CaseRuleError, match="无需请求更新"):
        services.refresh_request_create(case=family, department=hr, actor=staff(places["chaoyang"]))
    assert not RefreshRequest.objects.exists()


def test_a_later_record_of_the_same_label_supersedes_the_stale_one(places, family):
    hr = department("human_resources", places["chaoyang"])
    _send(hr, days_old=100)
    _send(hr, amount="650.00", days_old=2)

    result = services.case_verify(case=family, actor=staff(places["chaoyang"]))

    assert result.pending_fresh_data is False
    assert result.monthly_income == Decimal("650.00")


def test_the_department_list_shows_only_its_own_stale_records_oldest_first(client, places, family):
    hr = department("human_resources", places["chaoyang"])
    health = department("health", places["chaoyang"])
    _send(hr, label="工资", days_old=150)
    _send(hr, label="养老金", days_old=95)
    _send(hr, label="补贴", days_old=20)  # fresh
    _send(health, label="医保报销", days_old=300)
    contact = liaison(hr)

    from matching.cases import selectors

    rows = list(selectors.stale_economic_record_list(user=contact))
    assert [row.label for row in rows] == ["工资", "养老金"]

    page = _login(client, contact).get("/admin/cases_stale_economic/?queue=economic_stale")
    body = page.content.decode()
    assert page.status_code == 200
    assert "工资" in body and "养老金" in body and "补贴" not in body and "医保报销" not in body
    assert body.index("工资") < body.index("养老金")
    assert HEAD not in body and HEAD[:4] + "*" * 10 + HEAD[-4:] in body
    assert "刘振华" not in body

    dashboard = client.get("/admin/").content.decode()
    assert "过期的家庭经济数据" in dashboard


def test_the_sweep_flags_an_overdue_department_once(places, family):
    hr = department("human_resources", places["chaoyang"])
    contact = liaison(hr)
    supervisor = staff(places["chaoyang"])
    record = _send(hr, days_old=10)
    EconomicRecord.objects.filter(pk=record.pk).update(
        received_at=timezone.now() - dt.timedelta(days=95)
    )

    first = services.economic_refresh_overdue()
    second = services.economic_refresh_overdue()

    assert [alert.department for alert in first] == [hr] and second == []
    assert RefreshAlert.objects.count() == 1
    for user in (contact, supervisor):
        assert Message.objects.filter(recipient=user, subject__contains="逾期未更新").count() == 1

    # A new import moves the due date: nothing to flag until that date passes too.
    _send(hr, days_old=1)
    assert services.economic_refresh_overdue() == []
    later = TODAY + dt.timedelta(days=91)
    assert len(services.economic_refresh_overdue(today=later)) == 1


def test_the_schedule_shows_supervisors_cadence_last_import_and_next_due(client, places, family):
    hr = department("human_resources", places["chaoyang"])
    _send(hr, days_old=100)
    supervisor = staff(places["chaoyang"])

    page = _login(client, supervisor).get("/admin/cases/economic/schedule/")

    body = page.content.decode()
    assert page.status_code == 200
    assert hr.name in body and "每 90 天" in body
    assert (TODAY + dt.timedelta(days=90)).isoformat() in body
    assert client.login(username=liaison(hr).username, password=PASSWORD)
    assert client.get("/admin/cases/economic/schedule/").status_code in (302, 403)


def test_import_refuses_economic_data_dated_in_the_future(places, family):
    department("human_resources", places["chaoyang"])
    line = {
        "type": "economic",
        "ref": "HR-F",
        "id_number": HEAD,
        "department": "human_resources",
        "jurisdiction": "220104",
        "kind": "income",
        "label": "工资",
        "amount": "500.00",
        "as_of": (TODAY + dt.timedelta(days=1)).isoformat(),
    }
    with pytest.raises(interchange.Invalid) as refused:
        interchange.HANDLERS["economic"].clean(line, interchange.Run())
    assert refused.value.problems == [
        ("as_of", f"数据日期 {TODAY + dt.timedelta(days=1)} 晚于今天，不能接受")
    ]
    line["as_of"] = (TODAY - dt.timedelta(days=3)).isoformat()
    cleaned = interchange.HANDLERS["economic"].clean(line, interchange.Run())
    interchange.HANDLERS["economic"].apply(cleaned, interchange.Run())
    assert EconomicRecord.objects.get(ref="HR-F").as_of == TODAY - dt.timedelta(days=3)
