"""A person applying again (the same ID number, in any household, any district)
is found at intake (window, online, import) and before approval, and shown to
the staff handling the case: the other case's receipt number, district and
status, nothing personal of the other household."""

import datetime as dt

import pytest
from case_factories import PASSWORD, case, id_number, staff

from matching.cases import services
from matching.cases.models import Case, CaseStatus, DuplicateFlag
from matching.directory.models import Role

pytestmark = pytest.mark.django_db

PERSON = id_number(area="220102", born=dt.date(1972, 5, 18), male=False)


def earlier_case(places, status=None):
    """An application in 南关区 holding PERSON, by a household named 孙丽华."""
    return case(
        places["nanling"],
        status=status,
        categories=("medical",),
        members=[
            {"name": "孙丽华", "id_number": PERSON, "relation": "self", "phone": "13904319911"},
            {
                "name": "周国庆",
                "id_number": id_number(area="220102", born=dt.date(1970, 2, 3)),
                "relation": "spouse",
                "phone": "",
            },
        ],
    )


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def reapplication_of(opened):
    return DuplicateFlag.objects.get(case=opened, other_case__isnull=False)


def test_an_online_application_in_another_district_is_found_and_shown(client, places):
    earlier = earlier_case(places, status=CaseStatus.APPROVED)
    response = client.post(
        "/apply/",
        {
            "name": "孙丽华",
            "id_number": PERSON,
            "phone": "13804312277",
            "jurisdiction": places["hongqi"].code,
            "address": "红旗街道某小区 7 栋 301",
            "categories": ["medical"],
            "help_forms": ["material"],
            "urgency": "normal",
            "description": "住院费用无力承担。",
            "pledge": "on",
        },
    )
    assert response.status_code in (200, 302)
    opened = Case.objects.exclude(pk=earlier.pk).get()
    flag = reapplication_of(opened)
    assert flag.other_case == earlier and flag.decision == DuplicateFlag.Decision.PENDING

    login(client, staff(places["chaoyang"]))
    page = client.get(f"/admin/cases/case/{opened.pk}/").content.decode()
    assert f"另有申请 {earlier.receipt_number}（南关区，已批准）" in page
    # Nothing of the other household: not the spouse, not its address or phone.
    assert "周国庆" not in page and "13904319911" not in page


def test_a_window_application_in_another_district_is_found(client, places):
    earlier = earlier_case(places)
    login(client, staff(places["hongqi"], Role.STREET_STAFF))
    client.post(
        "/admin/cases/window/",
        {
            "name": "孙丽华",
            "id_number": PERSON,
            "phone": "13504310088",
            "jurisdiction": places["hongqi"].code,
            "address": "红旗街道某小区 2 栋",
            "categories": ["medical"],
            "help_forms": ["material"],
            "urgency": "normal",
            "description": "突发脑梗住院，医疗费用难以负担。",
            "title": "突发重病医疗救助",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
            "duplicate_ack": "on",  # the clerk saw the earlier application and goes on
        },
    )
    opened = Case.objects.exclude(pk=earlier.pk).get()
    assert reapplication_of(opened).other_case == earlier


def test_an_imported_application_in_another_district_is_found(places):
    earlier = earlier_case(places)
    services.need_import(
        ref="IMPORT-7",
        jurisdiction=places["hongqi"],
        categories=["medical"],
        forms=["material"],
        urgency="normal",
        title="医疗救助",
        description="住院费用无力承担。",
        opened_at=None,
        amount_needed=None,
        statuses=[],
        members=[
            {"name": "孙丽华", "id_number": PERSON, "relation": "self", "phone": "13804310001"}
        ],
        address="红旗街道某小区 2 栋",
        lat=None,
        lon=None,
    )
    assert reapplication_of(Case.objects.get(ref="IMPORT-7")).other_case == earlier


def test_an_application_made_later_elsewhere_is_found_before_approval(client, places):
    here = case(places["hongqi"], status=CaseStatus.VERIFIED, categories=("medical",))
    assert not here.duplicate_flags.exists()
    # The household's applicant is the person who then applies again in 南关区.
    person = here.household.members.get()
    later = case(
        places["nanling"],
        members=[
            {
                "name": "王秀兰",
                "id_number": person.id_number,
                "relation": "self",
                "phone": "13804310001",
            }
        ],
    )
    worker = staff(places["chaoyang"])
    login(client, worker)
    base = f"/admin/cases/case/{here.pk}"

    refused = client.post(f"{base}/transition/", {"to_status": "approved"}, follow=True)
    assert "存在待裁定的重复救助提示" in refused.content.decode()
    here.refresh_from_db()
    assert here.status == CaseStatus.VERIFIED
    flag = reapplication_of(here)
    assert flag.other_case == later
    assert f"另有申请 {later.receipt_number}（南关区，已受理）" in refused.content.decode()

    client.post(
        f"/admin/cases/flag/{flag.pk}/adjudicate/",
        {"decision": "not_duplicate", "note": "南关区申请已撤回"},
    )
    client.post(f"{base}/transition/", {"to_status": "approved"})
    here.refresh_from_db()
    assert here.status == CaseStatus.APPROVED
