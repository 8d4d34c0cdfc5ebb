from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from matching.cases.interchange import import_files


class Command(BaseCommand):
    help = (
        "Import JSON Lines (organization, need, assistance, and any type another app "
        "registers) per the interchange format. Every line is validated first; one bad line "
        "and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args, paths, **options):
        outcome, errors = import_files(paths)
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(n)s 处错误，未导入任何数据。") % {"n": len(errors)}, returncode=1
            )
        for (type_name, what), count in sorted(outcome.items()):
            self.stdout.write(f"{type_name}: {what} {count}")
        if not outcome:
            self.stdout.write(_("没有需要导入的数据。"))
