import logging

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


def _case_saved(sender, instance, created, **kwargs):
    # Until the cases app sends its own signal on approval and closing, a
    # case save is the hook; the work runs after commit, in its own transaction.
    from .services import CLOSING_CASE_STATUSES

    if instance.status == "approved" or instance.status in CLOSING_CASE_STATUSES:
        case_id = instance.pk
        transaction.on_commit(lambda: _react_to_case(case_id))


def _react_to_case(case_id):
    from matching.cases.models import Case

    from .services import PublicationError, case_status_changed

    case = Case.objects.filter(pk=case_id).select_related("household").first()
    if case is None:
        return
    try:
        case_status_changed(case=case)
    except PublicationError as error:  # the case stays as it is; staff derive it by hand
        log.warning("publication: case %s not derived: %s", case_id, error)


def _need_published(sender, instance, **kwargs):
    from .services import public_needs_recheck_on_publish

    public_needs_recheck_on_publish()


def _sync_permissions(sender, **kwargs):
    from .permissions import publication_permissions_sync

    publication_permissions_sync()


class PublicationConfig(AppConfig):
    name = "matching.publication"
    label = "publication"
    verbose_name = _("匿名公示")

    def ready(self):
        from wagtail.signals import published, unpublished

        from matching.cases.models import Case
        from matching.directory.permission_sync import permission_sync_register

        from .models import PublicNeed

        post_save.connect(_case_saved, sender=Case, dispatch_uid="publication-case-saved")
        published.connect(_need_published, sender=PublicNeed, dispatch_uid="publication-published")
        unpublished.connect(
            _need_published, sender=PublicNeed, dispatch_uid="publication-unpublished"
        )
        permission_sync_register(_sync_permissions)
