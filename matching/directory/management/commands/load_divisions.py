from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from matching.directory.services import BUNDLED_DIVISIONS, jurisdictions_load


class Command(BaseCommand):
    help = "Load or update the administrative-division tree (code,name,level,parent CSV)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(BUNDLED_DIVISIONS))

    def handle(self, *args, path, **options):
        count = jurisdictions_load(path=path)
        self.stdout.write(_("已载入 %(count)d 个行政区划。") % {"count": count})
