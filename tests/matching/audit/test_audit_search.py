"""The audit trail's search screen for inspectors and city staff: filters, scope,
CSV/XLSX exports (themselves audited, free of personal data)."""

import datetime as dt
import io

import pytest
from django.test import Client
from matching_city import id_number, need, tree
from openpyxl import load_workbook

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.cases.services import case_permissions_sync
from matching.directory.models import Role
from matching.directory.services import account_create, role_groups_sync

pytestmark = pytest.mark.django_db
PASSWORD = "audit-search-2026"
SCREEN = "/admin/audit_entries/"


def person(role, place, name):
    role_groups_sync()
    case_permissions_sync()
    account_create(username=name, password=PASSWORD, role=role, jurisdiction=place)
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


@pytest.fixture
def city():
    city, chaoyang, hongqi = tree()
    nanguan = city.children.get(code="220102")
    case = need(hongqi)
    clerk = account_create(
        username="clerk-1", password=PASSWORD, role=Role.STREET_STAFF, jurisdiction=hongqi
    )
    audit_record(actor=clerk, action="update", obj=case, summary="case-note-hongqi")
    audit_record(actor=None, action="transition", obj=nanguan, summary="nanguan-change")
    return {"city": city, "chaoyang": chaoyang, "nanguan": nanguan, "case": case}


def listed(client, **params):
    response = client.get(SCREEN, params)
    assert response.status_code == 200
    return response.content.decode()


def test_inspectors_filter_by_actor_action_object_and_jurisdiction(city):
    inspector = person(Role.INSPECTOR, city["city"], "inspector-1")
    assert "case-note-hongqi" in listed(inspector, actor="clerk-1")
    assert "nanguan-change" not in listed(inspector, actor="clerk-1")
    assert "nanguan-change" in listed(inspector, action="transition")
    assert "case-note-hongqi" not in listed(inspector, action="transition")
    by_object = listed(inspector, object_type="cases.case", object_id=str(city["case"].pk))
    assert "case-note-hongqi" in by_object and "nanguan-change" not in by_object
    chaoyang = listed(inspector, jurisdiction=city["chaoyang"].pk)
    assert "case-note-hongqi" in chaoyang and "nanguan-change" not in chaoyang


def test_the_date_range_filter(city):
    inspector = person(Role.INSPECTOR, city["city"], "inspector-1")
    today = dt.date.today()
    tomorrow, yesterday = today + dt.timedelta(days=1), today - dt.timedelta(days=1)
    assert "case-note-hongqi" in listed(inspector, at_from=today, at_to=today)
    assert "case-note-hongqi" not in listed(inspector, at_from=tomorrow)
    assert "case-note-hongqi" not in listed(inspector, at_to=yesterday)


def test_a_district_inspector_sees_only_their_district(city):
    inspector = person(Role.INSPECTOR, city["nanguan"], "inspector-nanguan")
    page = listed(inspector)
    assert "nanguan-change" in page and "case-note-hongqi" not in page
    hidden = AuditEntry.objects.get(summary="case-note-hongqi")
    assert inspector.get(f"{SCREEN}inspect/{hidden.pk}/").status_code == 404


def test_city_staff_read_it_and_district_staff_cannot(city):
    assert "case-note-hongqi" in listed(person(Role.CITY_STAFF, city["city"], "city-staff-1"))
    refused = person(Role.DISTRICT_STAFF, city["chaoyang"], "district-1").get(SCREEN)
    assert refused.status_code in (302, 403)


def _household_secrets(case):
    members = list(case.household.members.all())
    return [
        *[m.name for m in members],
        *[m.id_number for m in members],
        case.contact_phone,
        case.household.address,
        id_number(dt.date(1959, 3, 2), 22),
    ]


def test_csv_export_is_audited_and_holds_no_personal_data(city):
    inspector = person(Role.INSPECTOR, city["city"], "inspector-1")
    # Reading the case file writes a read_personal entry, which is exported too.
    handler = person(Role.DISTRICT_STAFF, city["chaoyang"], "handler-1")
    assert handler.get(f"/admin/cases/case/{city['case'].pk}/").status_code == 200
    response = inspector.get(SCREEN, {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert "case-note-hongqi" in text and "read_personal" in text
    assert not [secret for secret in _household_secrets(city["case"]) if secret in text]
    export = AuditEntry.objects.get(action="export")
    assert export.actor_label == "inspector-1" and export.after["format"] == "csv"


def test_xlsx_export_follows_the_filters_and_is_audited(city):
    inspector = person(Role.INSPECTOR, city["city"], "inspector-1")
    response = inspector.get(SCREEN, {"export": "xlsx", "action": "transition"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    summaries = {row[6] for row in rows[1:]}
    assert summaries == {"nanguan-change"}
    cells = " ".join(str(value) for row in rows for value in row)
    assert not [secret for secret in _household_secrets(city["case"]) if secret in cells]
    export = AuditEntry.objects.get(action="export")
    assert export.after == {"format": "xlsx", "rows": 1, "action": "transition"}


def test_the_trail_cannot_be_edited_from_the_screen(city):
    inspector = person(Role.INSPECTOR, city["city"], "inspector-1")
    entry = AuditEntry.objects.get(summary="case-note-hongqi")
    assert inspector.post(f"{SCREEN}edit/{entry.pk}/", {"summary": "x"}).status_code == 404
    assert inspector.post(f"{SCREEN}delete/{entry.pk}/").status_code == 404
    assert AuditEntry.objects.get(pk=entry.pk).summary == "case-note-hongqi"
