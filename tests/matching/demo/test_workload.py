"""The demo city gives each staff role work on its dashboard, and every count
on a dashboard opens a list of exactly that many rows (docs/workbench.md)."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model

from matching.core import workqueue
from matching.demo.city import seed_cases, seed_directory
from matching.demo.offers import seed_offers
from matching.demo.workload import seed_workload

pytestmark = [pytest.mark.django_db]

TALLY = re.compile(
    r'data-testid="queue-(?P<key>[a-z_]+)" data-count="(?P<count>\d+)">'
    r'.*?<a href="(?P<href>[^"]+)"',
    re.S,
)
ROLES = ["city", "chaoyang", "hongqi", "health", "charity", "inspector"]


@pytest.fixture
def demo_city(db):
    """The demo city's directory, offers, cases and workload (``seed_demo`` without
    the money flows, which the workload does not use: half the time)."""
    seed_directory()
    seed_offers()
    seed_cases()
    assert seed_workload() is True
    assert seed_workload() is False  # a second run changes nothing


def tallies(client):
    page = client.get("/admin/")
    assert page.status_code == 200
    return [
        (m["key"], int(m["count"]), html.unescape(m["href"])) for m in TALLY.finditer(page.text)
    ]


def listed(client, href):
    response = client.get(href)
    assert response.status_code == 200, href
    page = response.context_data["page_obj"]
    return page.paginator.count if page is not None else 0


def test_every_count_opens_a_list_of_exactly_those_rows(demo_city, client):
    # One test over every role: the city is seeded once (~1 min).
    for username in ROLES:
        _check_counts(client, username)
    _check_the_street_has_every_kind_of_work(client)
    _check_supervisors_see_their_units_worst_first(client)


def _check_counts(client, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    shown = tallies(client)
    assert shown, f"{username} has no queue on the dashboard"
    for key, count, href in shown:
        assert listed(client, href) == count, (username, key, href)
        code = parse_qs(urlsplit(href).query).get("unit", [None])[0]
        unit = workqueue.unit_get(user=user, code=code) if code else None
        assert bool(code) == bool(unit)
        assert count == workqueue.queue_get(key).list_rows(user=user, unit=unit).count()


def _check_the_street_has_every_kind_of_work(client):
    client.force_login(get_user_model().objects.get(username="hongqi"))
    counts = {key: count for key, count, _href in tallies(client) if "unit=" not in _href}
    for key in [
        "cases_new",
        "emergencies",
        "referrals_due_today",
        "referrals_overdue",
        "matches",
        "disbursements",
        "discovery",
    ]:
        assert counts[key] > 0, key


def _check_supervisors_see_their_units_worst_first(client):
    client.force_login(get_user_model().objects.get(username="chaoyang"))
    page = client.get("/admin/").text
    units = re.findall(r'data-testid="unit-(\d+)"', page)
    assert units, "no subordinate street on the district's dashboard"
    hongqi_street = workqueue.unit_get(
        user=get_user_model().objects.get(username="chaoyang"), code=units[0]
    )
    assert "红旗" in hongqi_street.name
