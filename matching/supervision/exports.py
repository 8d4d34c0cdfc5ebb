"""CSV and XLSX files of exactly the figures the dashboard shows (``tables.flat_rows``)."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .tables import display, flat_rows


def _header(figures, label):
    return [
        [_("辖区"), figures.jurisdiction.name, figures.jurisdiction.code, ""],
        [_("统计期间"), label, figures.start.isoformat(), figures.end.isoformat()],
        [_("统计项目"), _("分项"), _("指标"), _("数值")],
    ]


def figures_csv(*, figures, tables, label):
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_header(figures, label))
    writer.writerows([*row[:3], display(row[3])] for row in flat_rows(tables))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def figures_xlsx(*, figures, tables, label):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("督查统计")
    for row in _header(figures, label):
        sheet.append(row)
    for section, item, measure, value in flat_rows(tables):
        # Numbers stay numbers (int or Decimal, never float); None stays an empty cell.
        sheet.append([section, item, measure, value])
    for column, width in zip("ABCD", (28, 28, 18, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
