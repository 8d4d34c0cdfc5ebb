"""manage.py supervision_report --jurisdiction 220104 --month 2026-10 --out report.pdf"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from matching.directory.models import Jurisdiction
from matching.supervision import report, services
from matching.supervision.forms import local_midnight, month_bounds, period_label
from matching.supervision.selectors import supervision_figures


class Command(BaseCommand):
    help = "Write the monthly inspection report (督查通报) of one jurisdiction as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", required=True, help="division code, e.g. 220104")
        parser.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-10")
        parser.add_argument("--out", required=True, help="path of the PDF to write")

    def handle(self, *args, jurisdiction, month, out, **options):
        unit = Jurisdiction.objects.filter(code=jurisdiction.strip()).first()
        if unit is None:
            raise CommandError(_("未找到行政区划代码 %(code)s。") % {"code": jurisdiction})
        try:
            first, following = month_bounds(month)
        except ValueError:
            raise CommandError(_("月份格式应为 年-月，例如 2026-10。")) from None
        target = Path(out)
        if not target.parent.is_dir():
            raise CommandError(_("输出目录不存在：%(path)s") % {"path": target.parent})
        start, end = local_midnight(first), local_midnight(following)
        figures = supervision_figures(jurisdiction=unit, start=start, end=end)
        body = report.report_pdf(figures=figures, label=period_label(first, following))
        target.write_bytes(body)
        services.supervision_export_record(
            actor=None, jurisdiction=unit, start=start, end=end, file_format="pdf"
        )
        self.stdout.write(f"{target} ({len(body)} bytes)")
