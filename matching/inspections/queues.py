"""Rectification work queues (``matching/core/workqueue.py``): the unit's
findings to rectify, and the inspectors' evidence to review and overdue findings."""

from django.utils.translation import gettext_lazy as _

from matching.core.workqueue import queue_register

from .selectors import evidence_to_review, unit_findings_due

queue_register(
    key="rectification_due",
    label=_("待整改的督查问题"),
    rows=unit_findings_due,
    index_url_name="inspection_findings:index",
    order=85,
    deadline="due_at",
    unit_field="place_path",
    icon="warning",
)
queue_register(
    key="rectification_review",
    label=_("待审核或逾期的整改"),
    rows=evidence_to_review,
    index_url_name="inspection_findings:index",
    order=86,
    deadline="due_at",
    unit_field="place_path",
    icon="warning",
)
