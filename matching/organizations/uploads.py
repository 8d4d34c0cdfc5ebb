"""What an uploaded certificate or photo may be (the checks live in
``matching/core/files.py``, shared with the inspections' evidence)."""

from matching.core.files import SIGNATURES, sniffed_kind, upload_check

CERTIFICATE_KINDS = ("pdf", "jpeg", "png")
PHOTO_KINDS = ("jpeg", "png")

__all__ = ["CERTIFICATE_KINDS", "PHOTO_KINDS", "SIGNATURES", "sniffed_kind", "upload_check"]
