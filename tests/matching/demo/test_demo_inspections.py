"""The demo's special inspection: one finding rectified with evidence, one in
review, one returned, one overdue and escalated; seeding twice adds nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from matching.demo.city import seed_directory
from matching.demo.inspections import seed_inspections
from matching.inspections.models import Finding

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def test_the_demo_inspection_has_every_state(client):
    seed_directory()
    seed_inspections()
    seed_inspections()  # idempotent
    statuses = sorted(Finding.objects.values_list("status", flat=True))
    assert statuses == ["open", "rectified", "returned", "submitted"]
    rectified = Finding.objects.get(status="rectified")
    assert rectified.evidence.get().files.count() == 1
    overdue = Finding.objects.get(status="open")
    assert overdue.is_overdue() and overdue.escalated_at

    client.force_login(get_user_model().objects.get(username="inspector"))
    listing = client.get(reverse("inspection_findings:index"), {"queue": "rectification_review"})
    assert listing.status_code == 200
    assert "南关区" in listing.content.decode()
