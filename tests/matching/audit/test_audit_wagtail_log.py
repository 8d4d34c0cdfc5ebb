"""Wagtail's admin log and the audit trail agree: an edit made in the Wagtail
admin is in the audit trail, and an audit entry our services write about a
Wagtail-managed object (here a public need, a workflow snippet) is in
Wagtail's history of that object. Neither is copied back a second time."""

import pytest
from wagtail.models import ModelLogEntry

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.publication import services
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    return pf.places()


@pytest.fixture
def reviewer(places):
    return pf.staff(places["chaoyang"])


@pytest.fixture
def public_need(places):
    case = pf.approved_case(places["hongqi"], title="透析求助", names=["刘桂芳"])
    return services.public_need_derive(case=case)


def test_an_edit_in_the_wagtail_admin_is_in_the_audit_trail(client, reviewer, public_need):
    client.force_login(reviewer)
    response = client.post(
        f"/admin/snippets/publication/publicneed/edit/{public_need.pk}/",
        {
            "title": "透析求助",
            "story": "户主患尿毒症，需要长期透析。",
            "amount_needed": "18000.00",
            "urgency": "normal",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(
        object_type="publication.publicneed",
        object_id=str(public_need.pk),
        after__wagtail_action="wagtail.edit",
        actor=reviewer,
    )
    assert entry.action == "update"
    assert entry.jurisdiction_path == public_need.case.jurisdiction.path


def test_an_audit_entry_about_a_public_need_shows_in_its_wagtail_history(
    client, reviewer, public_need
):
    entry = audit_record(
        actor=reviewer, action="transition", obj=public_need, summary="checked-by-inspection"
    )
    logged = ModelLogEntry.objects.get(action="audit.entry", object_id=str(public_need.pk))
    assert logged.data["audit_entry"] == entry.pk and logged.user == reviewer
    assert AuditEntry.objects.filter(summary__startswith="wagtail audit.entry").count() == 0
    client.force_login(reviewer)
    history = client.get(f"/admin/snippets/publication/publicneed/history/{public_need.pk}/")
    assert history.status_code == 200
    assert "checked-by-inspection" in history.content.decode()


def test_objects_wagtail_keeps_no_history_for_stay_out_of_its_log(places):
    audit_record(actor=None, action="update", obj=places["hongqi"], summary="no mirror")
    assert not ModelLogEntry.objects.filter(action="audit.entry").exists()
