"""Exports of the staff lists: scoped as the list, numbers masked, each one audited."""

import pytest

from matching.audit.models import AuditEntry
from matching.cases.models import Case
from matching.core.admin import mask_personal_numbers
from matching.directory.models import Role
from tests.matching.cases import case_factories as f

pytestmark = [pytest.mark.django_db]

PHONE = "13904312208"


def test_an_export_masks_numbers_and_is_audited(client):
    places = f.city_tree()
    ours = f.case(places["hongqi"])
    theirs = f.case(places["nanling"])
    # A title typed at the window may carry a number: the export masks it.
    Case.objects.filter(pk=ours.pk).update(title=f"联系电话{PHONE}的家庭")
    client.force_login(f.staff(places["chaoyang"]))

    response = client.get("/admin/cases_my/?export=csv")
    assert response.status_code == 200
    body = response.getvalue().decode("utf-8-sig")
    assert ours.receipt_number in body
    assert theirs.receipt_number not in body  # scoped as the list
    assert PHONE not in body
    assert "139****2208" in body

    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.object_type == "cases_my:index"
    assert entry.after["rows"] == 1
    assert entry.after["format"] == "csv"


def test_an_inspector_cannot_export_case_lists(client):
    places = f.city_tree()
    f.case(places["hongqi"])
    client.force_login(f.account(Role.INSPECTOR, places["city"]))
    response = client.get("/admin/cases_my/?export=xlsx")
    assert response.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_masking_catches_id_numbers_and_mobiles_only():
    id_number = f.id_number()
    text = f"身份证{id_number}，电话{PHONE}，受理编号CC2612064BGFFA8R，金额1200"
    masked = mask_personal_numbers(text)
    assert id_number not in masked and PHONE not in masked
    assert "2201" in masked and "CC2612064BGFFA8R" in masked and "1200" in masked
    assert mask_personal_numbers(1200) == 1200
