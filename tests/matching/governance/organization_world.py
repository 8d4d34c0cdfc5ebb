"""The organizations part of the permission world: each side's organization
has its vetting file (verified), a delivery report with a photo and a
periodic report due."""

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from matching.organizations.models import DeliveryPhoto, DeliveryReport, PeriodicReport, Vetting


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="JPEG")
    return ContentFile(out.getvalue(), name="photo.jpg")


def organization_records(side, admin):
    organization = side.organization
    side.vetting = Vetting.objects.create(
        organization=organization,
        status=Vetting.Status.VERIFIED,
        certificate=ContentFile(b"%PDF-1.4 matrix", name="certificate.pdf"),
        contact_name="联系人",
        contact_phone="13500000000",
        contact_email="contact@org.example",
        submitted_at=timezone.now(),
        verified_until=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )
    side.delivery = DeliveryReport.objects.create(
        organization=organization,
        project=side.project,
        title=f"{organization.name}交付报告",
        text="发放冬衣。",
        delivered_on=timezone.localdate(),
        no_faces_confirmed=True,
        submitted_by=admin,
    )
    side.photo = DeliveryPhoto.objects.create(report=side.delivery, file=_jpeg())
    side.periodic = PeriodicReport.objects.create(
        organization=organization,
        period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate().replace(month=3, day=31),
        due_on=timezone.localdate(),
    )
