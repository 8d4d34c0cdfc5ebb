"""What an uploaded certificate or photo may be: its type read from its first
bytes (never trusted from the name or the browser), and its size."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CERTIFICATE_KINDS = ("pdf", "jpeg", "png")
PHOTO_KINDS = ("jpeg", "png")


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
