"""In Chromium: the demo city's supervision dashboard draws its charts from the same
figures the tables show, under the admin's Content-Security-Policy."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.utils import timezone

from matching.demo.city import DEMO_PASSWORD
from matching.directory.models import Jurisdiction
from matching.ledger.money import minor_to_yuan
from matching.supervision.forms import local_midnight
from matching.supervision.selectors import supervision_figures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MONEY_KEYS = ("raised", "refunded", "disbursed", "waiting")
CHART_STATE = """() => (window.supervisionCharts || []).map((chart) => {
  const canvas = chart.canvas;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted += 1; }
  return {
    key: canvas.dataset.chart,
    type: chart.config.type,
    values: chart.data.datasets.map((dataset) => dataset.data.map(Number)),
    width: canvas.width,
    painted: painted,
  };
})"""


def test_the_dashboard_draws_the_demo_citys_charts(page, live_server):
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    today = timezone.localdate()
    first = today - dt.timedelta(days=14)
    query = {"jurisdiction": "220100", "start": first.isoformat(), "end": today.isoformat()}
    figures = supervision_figures(
        jurisdiction=Jurisdiction.objects.get(code="220100"),
        start=local_midnight(first),
        end=local_midnight(today + dt.timedelta(days=1)),
    )
    assert figures.applications_total >= 8  # the demo's households

    problems = []
    page.on(
        "console",
        lambda msg: msg.type == "error" and problems.append(msg.text),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    assets = {}
    page.on(
        "response",
        lambda response: (
            "/static/supervision/" in response.url
            and assets.update({response.url.rsplit("/", 1)[-1]: response.status})
        ),
    )
    target = f"/admin/supervision/?{urlencode(query)}"
    page.goto(f"{live_server.url}/accounts/login/?next={target.replace('&', '%26')}")
    page.locator("#id_username").fill("city")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/admin/supervision/**")
    page.wait_for_function("() => (window.supervisionCharts || []).length === 4")

    assert page.get_by_test_id("scope-jurisdiction").inner_text() == "长春市"
    charts = {chart["key"]: chart for chart in page.evaluate(CHART_STATE)}
    assert set(charts) == {"applications", "referrals", "emergencies", "money"}
    for chart in charts.values():
        assert chart["width"] > 0 and chart["painted"] > 0, chart["key"]
    by_category = [row.count for row in figures.applications_by_category]
    assert charts["applications"]["values"] == [by_category]
    assert sum(by_category) >= figures.applications_total
    emergencies = figures.emergencies
    assert charts["emergencies"]["values"] == [
        [
            emergencies.within_clock,
            emergencies.late,
            emergencies.open_overdue,
            emergencies.open_in_time,
        ]
    ]
    assert sum(charts["emergencies"]["values"][0]) == emergencies.total >= 2
    referred = [sum(series) for series in zip(*charts["referrals"]["values"], strict=True)]
    assert referred == [row.total for row in figures.referrals_by_department]
    yuan = [[Decimal(str(value)) for value in series] for series in charts["money"]["values"]]
    assert yuan == [
        [minor_to_yuan(getattr(money, f"{key}_minor")) for key in MONEY_KEYS]
        for money in (figures.need_money, figures.pooled_money)
    ]
    total_row = page.locator('table[data-table="applications"] tr[data-row="total"] td')
    assert total_row.inner_text() == str(figures.applications_total)
    assert assets == {"chart.umd.min.js": 200, "dashboard.js": 200, "dashboard.css": 200}
    # The browser's own favicon request is the one resource allowed to be missing.
    errors = [text for text in problems if not text.startswith("Failed to load resource")]
    assert errors == [], errors
