"""Private files and what an upload may be.

``PrivateStorage`` keeps files only staff may read, through views that check
who asks. ``upload_check`` reads a file's type from its first bytes (never
trusted from the name or the browser) and limits its size. Shared by the
organizations' certificates and photos and the inspections' evidence.

It depends on Django only, never on an app of this project.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


class PrivateStorage(FileSystemStorage):
    """Under ``PRIVATE_MEDIA_ROOT`` (outside ``MEDIA_ROOT``) and without a URL,
    so no web server can serve them. The root is read when used, not at import."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def _size(count):
    return filesizeformat(count).replace("\xa0", " ")


def sniffed_kind(upload):
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, prefixes in SIGNATURES.items():
        if any(head.startswith(prefix) for prefix in prefixes):
            return kind
    return None


def upload_check(upload, *, kinds, max_bytes):
    """Refuse a file of another type than ``kinds`` or larger than ``max_bytes``."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件过大：最大 %(limit)s，此文件 %(size)s。")
            % {"limit": _size(max_bytes), "size": _size(upload.size)},
            code="too_large",
        )
    if sniffed_kind(upload) not in kinds:
        names = pgettext("list separator", "、").join(kind.upper() for kind in kinds)
        raise ValidationError(
            _("文件类型不符：只接受 %(kinds)s 文件。") % {"kinds": names}, code="wrong_type"
        )
    return upload
