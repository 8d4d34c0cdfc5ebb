"""The permission matrix's special inspection: the inspector's team, a finding
at each side's street, and evidence with a file from district A's street."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from matching.directory.models import Role
from matching.inspections import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def inspection_records(world):
    inspector, street_a = world.users[Role.INSPECTOR], world.users[Role.STREET_STAFF]
    today = timezone.localdate()
    world.inspection = services.inspection_create(
        actor=inspector,
        title="矩阵专项督查",
        topic="低保审核审批",
        scope=world.places["city"],
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
        team=[inspector],
    )
    for side, street in ((world.a, world.places["hongqi"]), (world.b, world.places["nanling"])):
        side.finding = services.finding_record(
            inspection=world.inspection,
            actor=inspector,
            unit=street,
            severity="general",
            description=f"{street.name}公示不到位。",
            task="补齐公示。",
            working_days=10,
        )
    evidence = services.evidence_submit(
        finding=world.a.finding,
        actor=street_a,
        text="已补齐公示。",
        files=[(SimpleUploadedFile("notice.pdf", PDF), "pdf")],
    )
    world.a.evidence_file = evidence.files.get()
