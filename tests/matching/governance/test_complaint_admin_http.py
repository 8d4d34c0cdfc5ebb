"""Staff handle complaints in the Wagtail admin, scoped to their jurisdiction."""

import pytest
from django.urls import reverse
from governance_factories import staff

from matching.audit.selectors import audit_entry_list
from matching.directory.models import Role
from matching.governance import services
from matching.governance.models import Complaint

pytestmark = pytest.mark.django_db


def _complaint(place):
    complaint, _ = services.complaint_file(
        place=place, subject_kind=Complaint.Subject.CHARITY, content="项目资金去向不明。"
    )
    return complaint


def test_district_staff_see_only_complaints_routed_to_their_district(client, places):
    ours, theirs = _complaint(places["hongqi"]), _complaint(places["nanling"])
    client.force_login(staff(places["chaoyang"]))
    listing = client.get(reverse("complaints:index"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert ours.receipt_number in page and theirs.receipt_number not in page
    assert client.get(reverse("complaints:edit", args=[theirs.pk])).status_code == 404


def test_the_list_filters_by_status(client, places):
    open_one, closed_one = _complaint(places["hongqi"]), _complaint(places["hongqi"])
    handler = staff(places["chaoyang"])
    services.complaint_conclude(
        complaint=closed_one, actor=handler, outcome="unsubstantiated", reply="经核查不属实。"
    )
    client.force_login(staff(places["city"], role=Role.CITY_STAFF))
    page = client.get(reverse("complaints:index"), {"status": "concluded"}).content.decode()
    assert closed_one.receipt_number in page and open_one.receipt_number not in page


def test_staff_conclude_a_complaint_through_the_admin_and_it_is_audited(client, places):
    complaint = _complaint(places["hongqi"])
    handler = staff(places["chaoyang"])
    client.force_login(handler)
    url = reverse("complaints:edit", args=[complaint.pk])
    response = client.post(
        url, {"outcome": "substantiated", "reply": "已责令该组织整改。", "confirm": "on"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CONCLUDED
    assert complaint.concluded_by == handler
    assert audit_entry_list(obj=complaint, actor=handler).count() == 1


def test_an_outcome_without_a_reply_is_refused(client, places):
    complaint = _complaint(places["hongqi"])
    client.force_login(staff(places["chaoyang"]))
    url = reverse("complaints:edit", args=[complaint.pk])
    response = client.post(url, {"outcome": "substantiated", "reply": ""})
    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ROUTED


def test_a_volunteer_cannot_open_the_complaint_admin(client, places):
    _complaint(places["hongqi"])
    client.force_login(staff(places["chaoyang"], role=Role.VOLUNTEER))
    response = client.get(reverse("complaints:index"))
    assert response.status_code in (302, 403)


def test_reading_a_named_complaint_in_the_admin_is_audited(client, places):
    complaint, _ = services.complaint_file(
        place=places["hongqi"],
        subject_kind=Complaint.Subject.CHARITY,
        content="项目资金去向不明。",
        contact_phone="13904310000",
    )
    reader = staff(places["chaoyang"])
    client.force_login(reader)
    response = client.get(reverse("complaints:inspect", args=[complaint.pk]))
    assert response.status_code == 200
    assert "13904310000" in response.content.decode()
    reads = audit_entry_list(obj=complaint, action="read_personal", actor=reader)
    assert reads.count() == 1
