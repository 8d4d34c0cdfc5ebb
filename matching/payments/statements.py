"""Bank statements (CSV or XLSX) that confirm pledges: read, preview, confirm once.

``statement_read`` turns an uploaded file into rows (date, amount in fen,
memo, bank transaction id), as Chinese banks export them: CSV in UTF-8 with
or without a BOM, or GBK/GB18030, or an Excel workbook's first sheet;
Chinese or English headers, after any lines of account details.
``statement_classify`` sorts the rows against the pledges as they are now;
``statement_confirm`` classifies again under the pledges' row locks and
confirms every matched row in one transaction.
"""

import csv
import io
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.ledger.money import yuan_to_minor

from .models import BankStatement, Donation
from .pledges import CONFIRMABLE, pledge_confirm, transfer_references_in

MAX_STATEMENT_BYTES = 2 * 1024 * 1024
MAX_STATEMENT_ROWS = 5000
HEADER_SEARCH_LINES = 30  # account details some banks print above the table

# Header names as banks print them (compared without spaces, case-insensitive).
COLUMNS = {
    "date": ("交易日期", "日期", "交易时间", "记账日期", "入账日期", "date"),
    "amount": (
        "金额",
        "交易金额",
        "收入金额",
        "收入",
        "贷方金额",
        "贷方发生额",
        "存入金额",
        "amount",
    ),
    "memo": ("附言", "摘要", "备注", "用途", "交易附言", "交易摘要", "memo", "reference"),
    "transaction_id": (
        "交易流水号",
        "流水号",
        "银行流水号",
        "交易编号",
        "交易序号",
        "凭证号",
        "transactionid",
        "banktransactionid",
        "transaction_id",
    ),
}


class Outcome:
    MATCHED = "matched"
    UNMATCHED = "unmatched"
    AMBIGUOUS = "ambiguous"
    ALREADY = "already"


OUTCOME_LABELS = {
    Outcome.MATCHED: _lazy("匹配成功"),
    Outcome.UNMATCHED: _lazy("未匹配"),
    Outcome.AMBIGUOUS: _lazy("无法确定"),
    Outcome.ALREADY: _lazy("已确认过"),
}


@dataclass
class RowResult:
    row: dict
    outcome: str
    reason: str = ""
    pledge: Donation | None = None

    @property
    def outcome_label(self):
        return OUTCOME_LABELS[self.outcome]


@dataclass
class Classified:
    results: list = field(default_factory=list)

    def of(self, outcome):
        return [result for result in self.results if result.outcome == outcome]

    @property
    def matched(self):
        return self.of(Outcome.MATCHED)


def _decode(raw):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("无法识别文件编码，请导出为 UTF-8 或 GBK 编码的 CSV 文件。"))


def _header_map(cells):
    names = ["".join(cell.split()).lower() for cell in cells]
    found = {}
    for column, aliases in COLUMNS.items():
        for alias in aliases:
            if alias.lower() in names:
                found[column] = names.index(alias.lower())
                break
    return found


def _amount(text):
    text = (text or "").strip().replace("¥", "").replace("￥", "").replace("，", ",")
    minor = yuan_to_minor(text)  # ValueError on anything that is not an amount
    return minor


XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx file is a zip archive


def _csv_lines(raw):
    if b"\x00" in raw:
        raise ValidationError(_("这不是 CSV 文件，请从网上银行导出 CSV 格式的交易明细。"))
    try:
        return list(csv.reader(io.StringIO(_decode(raw))))
    except csv.Error as error:
        raise ValidationError(_("无法读取 CSV 文件，请检查文件格式。")) from error


def _xlsx_lines(raw):
    """The first sheet's rows as text, as the CSV reader gives them."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    # A broken zip, or a zip that is no workbook: openpyxl raises many kinds.
    except Exception as error:
        raise ValidationError(_("无法读取 Excel 文件，请另存为 CSV 后再上传。")) from error
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(max_row=MAX_STATEMENT_ROWS + HEADER_SEARCH_LINES, values_only=True)
        return [[_xlsx_text(value) for value in row] for row in rows]
    finally:
        book.close()


def _xlsx_text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel keeps numbers as binary floats; repr gives back the typed
        # decimal (300.5 -> "300.5"), which the parser then reads exactly.
        return repr(value)
    return str(value)


def statement_read(*, raw):
    """The rows of a CSV statement as dicts, or ValidationError with a message.

    Rows that are not incoming transfers (an empty or negative amount) are
    skipped; a row whose amount cannot be read is kept with ``error``.
    """
    if not raw:
        raise ValidationError(_("文件是空的。"))
    if len(raw) > MAX_STATEMENT_BYTES:
        raise ValidationError(_("文件过大（上限 2 MB），请按日期分开导出。"))
    lines = _xlsx_lines(raw) if raw.startswith(XLSX_MAGIC) else _csv_lines(raw)
    for index, cells in enumerate(lines[:HEADER_SEARCH_LINES]):
        columns = _header_map(cells)
        if {"amount", "memo", "transaction_id"} <= set(columns):
            return _rows(lines[index + 1 :], columns)
    raise ValidationError(
        _("找不到表头：文件须包含“交易日期”“金额”“附言”“交易流水号”四列（或同义的列名）。")
    )


def _rows(lines, columns):
    rows = []
    for number, cells in enumerate(lines, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        row = _row(cells, columns, number)
        if row is not None:
            rows.append(row)
    if len(rows) > MAX_STATEMENT_ROWS:
        raise ValidationError(_("流水过多（上限 5000 行），请按日期分开导出。"))
    if not rows:
        raise ValidationError(_("文件中没有收入流水。"))
    return rows


def _cell(cells, columns, name):
    index = columns.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _row(cells, columns, number):
    row = {
        "line": number,
        "date": _cell(cells, columns, "date")[:32],
        "memo": _cell(cells, columns, "memo")[:200],
        "transaction_id": _cell(cells, columns, "transaction_id")[:64],
        "amount_minor": None,
        "error": "",
    }
    text = _cell(cells, columns, "amount")
    if not text or text in ("-", "--"):
        return None  # an outgoing payment in a two-column (debit/credit) export
    try:
        row["amount_minor"] = _amount(text)
    except ValueError:
        row["error"] = _("金额无法识别：%(text)s") % {"text": text[:20]}
        return row
    if row["amount_minor"] <= 0:
        return None  # money going out is not a pledge arriving
    if not row["transaction_id"]:
        row["error"] = _("缺少交易流水号")
    return row


def statement_upload(*, filename, raw, uploaded_by):
    """Read the file and keep its rows for the preview; nothing is confirmed yet."""
    rows = statement_read(raw=raw)
    return BankStatement.objects.create(
        filename=(filename or "statement.csv")[:255], rows=rows, uploaded_by=uploaded_by
    )


def statement_classify(*, rows, for_update=False):
    """Each row against the pledges as they are now (locked when ``for_update``)."""
    references = {ref for row in rows for ref in transfer_references_in(row["memo"])}
    pledges = Donation.objects.filter(transfer_reference__in=references).order_by("pk")
    if for_update:
        pledges = pledges.select_for_update()
    by_reference = {pledge.transfer_reference: pledge for pledge in pledges}
    used = set(
        Donation.objects.filter(
            channel=Donation.Channel.BANK_TRANSFER,
            offline_reference__in=[row["transaction_id"] for row in rows],
        ).values_list("offline_reference", flat=True)
    )
    results = [_classify_row(row, by_reference, used) for row in rows]
    return Classified(results=_one_row_per_pledge(_one_row_per_transaction(results)))


def _classify_row(row, by_reference, used):
    if row["error"]:
        return RowResult(row, Outcome.UNMATCHED, row["error"])
    if row["transaction_id"] in used:
        return RowResult(row, Outcome.ALREADY, _("该流水号已登记"))
    references = transfer_references_in(row["memo"])
    known = [by_reference[ref] for ref in references if ref in by_reference]
    if not known:
        return RowResult(row, Outcome.UNMATCHED, _("附言中没有有效的转账识别码"))
    if len(known) > 1:
        return RowResult(row, Outcome.AMBIGUOUS, _("附言中有多个识别码"))
    pledge = known[0]
    if pledge.status not in CONFIRMABLE:
        return RowResult(row, Outcome.ALREADY, _("该认捐已确认"), pledge)
    if pledge.amount_minor != row["amount_minor"]:
        return RowResult(row, Outcome.UNMATCHED, _("金额与认捐不符"), pledge)
    return RowResult(row, Outcome.MATCHED, "", pledge)


def _one_row_per_transaction(results):
    seen = set()
    for result in results:
        txn = result.row["transaction_id"]
        if result.outcome == Outcome.MATCHED and txn in seen:
            result.outcome, result.reason = Outcome.ALREADY, _("同一流水号在文件中重复")
        seen.add(txn)
    return results


def _one_row_per_pledge(results):
    counts = {}
    for result in results:
        if result.outcome == Outcome.MATCHED:
            counts[result.pledge.pk] = counts.get(result.pledge.pk, 0) + 1
    for result in results:
        if result.outcome == Outcome.MATCHED and counts[result.pledge.pk] > 1:
            result.outcome, result.reason = Outcome.AMBIGUOUS, _("多笔转账对应同一认捐")
    return results


def statement_confirm(*, statement, confirmed_by):
    """Confirm every matched row in one transaction; returns the classification.

    A statement is confirmed once; another upload of the same file finds its
    transfers already confirmed. Any failure rolls the whole batch back.
    """
    with transaction.atomic():
        statement = BankStatement.objects.select_for_update().get(pk=statement.pk)
        if statement.confirmed_at is not None:
            raise ValidationError(_("该流水文件已确认过，未重复入账。"))
        classified = statement_classify(rows=statement.rows, for_update=True)
        for result in classified.matched:
            result.pledge, _created = pledge_confirm(
                pledge=result.pledge,
                bank_transaction_id=result.row["transaction_id"],
                received_minor=result.row["amount_minor"],
                confirmed_by=confirmed_by,
            )
        statement.confirmed_by, statement.confirmed_at = confirmed_by, timezone.now()
        statement.save(update_fields=["confirmed_by", "confirmed_at"])
    return classified
