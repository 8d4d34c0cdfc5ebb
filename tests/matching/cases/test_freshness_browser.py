"""In Chromium at 390 and 1366 px: the case page's verification tab says whose
economic data is stale and since when, and the caseworker asks that department
for fresh data."""

import datetime as dt
from decimal import Decimal

import pytest
from case_factories import PASSWORD, StandardFactory, case, city_tree, department, id_number, staff
from django.utils import timezone

from matching.cases import services
from matching.cases.models import Member, RefreshRequest
from tests.browser_kit import new_page, serious_violations, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEAD = id_number(born=dt.date(1966, 5, 9))


def _held_case():
    places = city_tree()
    StandardFactory(jurisdiction=places["chaoyang"], monthly_line_per_person="720.00")
    held = case(
        places["hongqi"],
        members=[{"name": "郑国庆", "id_number": HEAD, "relation": Member.Relation.SELF}],
    )
    hr = department("human_resources", places["chaoyang"])
    services.economic_record_submit(
        department=hr,
        id_number=HEAD,
        kind="income",
        label="工资",
        amount=Decimal("600.00"),
        as_of=timezone.localdate() - dt.timedelta(days=120),
    )
    worker = staff(places["chaoyang"])
    services.case_verify(case=held, actor=worker)
    return held, hr, worker


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_verification_tab_names_the_stale_department_and_asks_it(browser, live_server, size):
    held, hr, worker = _held_case()
    page = new_page(browser, size)
    target = f"/admin/cases/case/{held.pk}/"
    page.goto(f"{live_server.url}/accounts/login/?next={target}")
    page.locator("#id_username").fill(worker.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{target}")

    page.get_by_role("tab", name="经济状况核对").click()
    warning = page.get_by_test_id("pending-fresh-data")
    assert warning.is_visible() and "未作结论" in warning.inner_text()
    stale = page.get_by_test_id("stale-department")
    as_of = (timezone.localdate() - dt.timedelta(days=120)).isoformat()
    assert f"{hr.name}提供的月收入数据“工资”截至 {as_of}" in stale.inner_text()
    assert "超过 90 天的有效期已 30 天" in stale.inner_text()
    assert HEAD not in page.content()
    stale.scroll_into_view_if_needed()  # the admin scrolls inside its own pane
    shoot(page, "case-stale-economic-data")
    assert not serious_violations(page)

    page.get_by_test_id("request-refresh").click()
    page.get_by_role("tab", name="经济状况核对").click()
    assert page.get_by_test_id("refresh-requested").is_visible()
    assert page.get_by_test_id("request-refresh").count() == 0
    page.get_by_test_id("refresh-requested").scroll_into_view_if_needed()
    shoot(page, "case-refresh-requested")
    assert RefreshRequest.objects.get().department == hr
    page.context.close()
