"""Builders for the organizations tests: valid credit codes, small files of
each type, a registration through the service or the page."""

import io
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from stdnum.cn import uscc

from matching.organizations import services

PASSWORD = "Zhuce-2026-mima"
_serial = count(1)


def credit_code():
    body = f"53220104MJ{next(_serial):07d}"
    return body + uscc.calc_check_digit(body)


def pdf(name="certificate.pdf", size=None):
    content = b"%PDF-1.4\n%test certificate\n"
    if size:
        content += b"0" * (size - len(content))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def jpeg(name="photo.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_data(jurisdiction, **overrides):
    data = {
        "name": "朝阳区温暖社工服务中心",
        "credit_code": credit_code(),
        "kind": "social_work",
        "jurisdiction": jurisdiction.pk,
        "contact_name": "赵联络",
        "contact_phone": "13904315566",
        "contact_email": "contact@wennuan.example.cn",
        "admin_name": "钱管理",
        "admin_email": f"admin{next(_serial)}@wennuan.example.cn",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    data.update(overrides)
    return data


def registered(jurisdiction, *, active=True, **overrides):
    """An organization registered through the service; its admin confirmed."""
    data = form_data(jurisdiction, **overrides)
    organization, user = services.organization_register(
        name=data["name"],
        kind=data["kind"],
        jurisdiction=jurisdiction,
        credit_code=data["credit_code"],
        certificate=pdf(),
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        contact_email=data["contact_email"],
        admin_name=data["admin_name"],
        admin_email=data["admin_email"],
        password=data["password"],
    )
    if active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return organization, user
