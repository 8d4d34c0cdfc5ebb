"""The demo city has stale economic data in 朝阳区 and a department overdue for its refresh."""

import pytest
from django.contrib.auth import get_user_model

from matching.cases import selectors, services
from matching.cases.models import EconomicRecord, RefreshRequest, Verification
from matching.demo.city import seed_cases, seed_directory
from matching.demo.freshness import seed_freshness
from matching.demo.offers import seed_offers
from matching.demo.workload import seed_workload

pytestmark = [pytest.mark.django_db]


def test_the_health_bureau_has_stale_data_and_is_overdue(db, client):
    seed_directory()
    seed_offers()
    seed_cases()
    seed_workload()  # seed_demo's order: the workload's 红旗街道 cases exist
    seed_freshness()
    records = EconomicRecord.objects.count()
    seed_freshness()  # a second run changes nothing
    assert EconomicRecord.objects.count() == records

    users = get_user_model().objects
    health, chaoyang = users.get(username="health"), users.get(username="chaoyang")
    stale = list(selectors.stale_economic_record_list(user=health))
    assert len(stale) == 4 and {r.department.kind for r in stale} == {"health"}
    assert Verification.objects.filter(pending_fresh_data=True).count() == 1
    assert RefreshRequest.objects.filter(status="open", department__kind="health").count() == 1

    schedule = selectors.refresh_schedule(user=chaoyang)
    first = schedule[0]
    assert first["department"].kind == "health" and first["overdue"] and first["stale"] == 4
    client.force_login(health)
    assert 'data-testid="queue-economic_stale" data-count="4"' in client.get("/admin/").text
    alerted = services.economic_refresh_overdue()
    assert {alert.department.kind for alert in alerted} == {"health", "housing"}
