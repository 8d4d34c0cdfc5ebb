"""The demo's organizations: one asked for more, one waiting, a verified one
with a report due and a late one flagged to 朝阳区's staff."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from matching.demo.city import seed_directory
from matching.demo.organizations import seed_organizations
from matching.organizations.models import PeriodicReport, Vetting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def test_the_demo_has_organizations_waiting_verified_and_late(client):
    seed_directory()
    seed_organizations()
    seed_organizations()  # idempotent
    statuses = sorted(Vetting.objects.values_list("status", flat=True))
    assert statuses == ["more_requested", "submitted", "verified", "verified"]
    assert PeriodicReport.objects.filter(status="due").count() == 1
    assert PeriodicReport.objects.filter(status="overdue").count() == 1

    users = get_user_model().objects
    client.force_login(users.get(username="neworg@assist.example"))
    home = client.get(reverse("organization_home")).text
    assert "待补充材料" in home and "年检报告" in home
    client.force_login(users.get(username="charity"))
    assert "待提交" in client.get(reverse("organization_home")).text
    client.force_login(users.get(username="chaoyang"))
    assert "1 份定期报告已逾期" in client.get(reverse("wagtailadmin_home")).text
