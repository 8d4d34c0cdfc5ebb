"""Wagtail's site-history report replaced by the scoped one, at the same URLs.

Included before ``wagtail.admin.urls`` in ``config/urls.py``, so these
paths win; Wagtail's own URL names still reverse to them.
"""

from django.urls import path
from wagtail.admin.auth import require_admin_access

from .site_history import ScopedLogEntriesView

urlpatterns = [
    path(
        "admin/reports/site-history/",
        require_admin_access(ScopedLogEntriesView.as_view()),
        name="audit_site_history",
    ),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(ScopedLogEntriesView.as_view(results_only=True)),
        name="audit_site_history_results",
    ),
]
