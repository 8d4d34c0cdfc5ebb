from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from search import reconcile

from ._base import SearchCommand


class Command(SearchCommand):
    help = "Compare the database with the indexes; --repair fixes what differs."

    def add_arguments(self, parser):
        parser.add_argument("indexes", nargs="*")
        parser.add_argument("--repair", action="store_true")

    def handle(self, *args, indexes, repair, **options):
        drifted = 0
        for spec in reconcile.specs_named(indexes):
            found = (reconcile.repair if repair else reconcile.drift)(spec)
            drifted += found.count()
            self.stdout.write(
                _("%(name)s：缺失 %(missing)d，多余 %(extra)d，过期 %(stale)d")
                % {
                    "name": spec.name,
                    "missing": len(found.missing),
                    "extra": len(found.extra),
                    "stale": len(found.stale),
                }
            )
        if drifted and not repair:
            raise CommandError(_("索引与数据库不一致；使用 --repair 修复。"))
