import time

from django.utils.translation import gettext as _

from search.indexer import drain

from ._base import SearchCommand


class Command(SearchCommand):
    help = "Send pending outbox changes to Elasticsearch (--watch: keep doing it)."

    def add_arguments(self, parser):
        parser.add_argument("--watch", action="store_true")
        parser.add_argument("--interval", type=float, default=0.5)

    def handle(self, *args, watch, interval, **options):
        while True:
            done = drain()
            if done or not watch:
                self.stdout.write(_("已同步 %(n)d 项变更。") % {"n": done})
            if not watch:
                return
            time.sleep(interval)
