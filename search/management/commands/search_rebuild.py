from django.utils.translation import gettext as _

from search.indexer import rebuild
from search.reconcile import specs_named

from ._base import SearchCommand


class Command(SearchCommand):
    help = "Rebuild indexes into new ones and swap the alias (no downtime, no lost change)."

    def add_arguments(self, parser):
        parser.add_argument("indexes", nargs="*", help="index names (default: all)")

    def handle(self, *args, indexes, **options):
        for spec in specs_named(indexes):
            concrete = rebuild(spec)
            self.stdout.write(
                _("已重建索引 %(name)s → %(concrete)s") % {"name": spec.name, "concrete": concrete}
            )
