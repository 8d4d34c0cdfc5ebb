from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "assist_search"
    verbose_name = _("检索")

    def ready(self):
        from matching.cases.services import emergency_case_opened

        from . import documents, public_needs, registry  # noqa: F401 - registers the indexes
        from .outbox import record_change
        from .tasks import on_emergency_opened

        emergency_case_opened.connect(on_emergency_opened, dispatch_uid="search-emergency-match")
        _show_exclusions_in_match_review()

        for spec in registry.specs():
            for source in spec.sources:
                post_save.connect(
                    record_change,
                    sender=source.model,
                    dispatch_uid=f"outbox-save-{source.model._meta.label}",
                )
                post_delete.connect(
                    record_change,
                    sender=source.model,
                    dispatch_uid=f"outbox-delete-{source.model._meta.label}",
                )


def _show_exclusions_in_match_review():
    """Match review lists the close offers a constraint excluded; offers sits
    below search, so search hands it the function."""
    from matching.offers import match_admin

    from .matcher import near_misses_for

    if near_misses_for not in match_admin.EXCLUSION_SOURCES:
        match_admin.EXCLUSION_SOURCES.append(near_misses_for)
