"""Inspectors read the audit log in the admin; it cannot be edited there."""

import pytest

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.cases.services import case_permissions_sync
from matching.directory.models import Jurisdiction, Role
from matching.directory.services import account_create, role_groups_sync

pytestmark = pytest.mark.django_db


def test_an_inspector_reads_the_log_and_no_edit_url_exists(client):
    role_groups_sync()
    case_permissions_sync()
    city = Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    audit_record(actor=None, action=AuditEntry.Action.CREATE, obj=city, summary="seeded")
    account_create(
        username="inspector-1", password="pw-inspector-2026", role=Role.INSPECTOR, jurisdiction=city
    )
    assert client.login(username="inspector-1", password="pw-inspector-2026")
    page = client.get("/admin/audit_entries/")
    assert page.status_code == 200 and "seeded" in page.content.decode()
    entry = AuditEntry.objects.get()
    assert client.get(f"/admin/audit_entries/edit/{entry.pk}/").status_code == 404
    assert client.get(f"/admin/audit_entries/inspect/{entry.pk}/").status_code == 200
