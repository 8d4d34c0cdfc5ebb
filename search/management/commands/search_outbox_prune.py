from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from search.indexer import prune


class Command(BaseCommand):
    help = (
        "Delete outbox rows Elasticsearch acknowledged more than "
        "SEARCH_OUTBOX_RETENTION_DAYS ago (pending rows stay). Needs no Elasticsearch."
    )

    def handle(self, *args, **options):
        deleted = prune()
        self.stdout.write(
            _("已清理 %(n)d 条已同步超过 %(days)d 天的变更记录。")
            % {"n": deleted, "days": settings.SEARCH_OUTBOX_RETENTION_DAYS}
        )
