"""The supervision figures as labelled tables and chart data.

One shape for every output: the dashboard, the CSV/XLSX exports and the PDF
report all render ``figure_tables``, so they cannot disagree.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from matching.ledger.money import minor_to_yuan

DASH = "—"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: list

    @property
    def shown(self):
        return [display(value) for value in self.values]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list  # of (key, label)
    rows: list  # of Row

    def cells(self):
        """(row, column key, column label, value) for every cell, in order."""
        for row in self.rows:
            for (column, label), value in zip(self.columns, row.values, strict=True):
                yield row, column, label, value


def display(value):
    """How a value is written everywhere: integers and Decimals as is, None as a dash."""
    return DASH if value is None else str(value)


def _yuan(minor):
    return minor_to_yuan(minor)


def _applications(figures):
    rows = [Row(item.code, item.label, [item.count]) for item in figures.applications_by_category]
    rows += [
        Row("total", _("受理合计（件）"), [figures.applications_total]),
        Row("awaiting", _("其中尚未首次响应"), [figures.awaiting_first_response]),
    ]
    return Table("applications", _("申请受理（按救助类别）"), [("count", _("件数"))], rows)


def _timeliness(figures):
    columns = [("count", _("件数")), ("median", _("中位数（小时）")), ("p90", _("90%分位（小时）"))]
    rows = [
        Row(key, label, [durations.count, durations.median_hours, durations.p90_hours])
        for key, label, durations in (
            ("first_response", _("受理至首次响应"), figures.first_response),
            ("approved_match", _("受理至批准匹配"), figures.approved_match),
        )
    ]
    return Table("timeliness", _("办理时效"), columns, rows)


REFERRAL_COLUMNS = ("total", "on_time", "late", "open_overdue", "open_in_time", "overdue")


def _referrals(figures):
    columns = list(
        zip(
            REFERRAL_COLUMNS,
            [
                _("转办数"),
                _("按时答复"),
                _("逾期答复"),
                _("逾期未答复"),
                _("未到期未答复"),
                _("逾期合计"),
            ],
            strict=True,
        )
    )
    rows = [
        Row(f"dept{index}", item.department, [getattr(item, key) for key in REFERRAL_COLUMNS])
        for index, item in enumerate(figures.referrals_by_department, start=1)
    ]
    total = figures.referrals_total
    rows.append(Row("total", _("合计"), [getattr(total, key) for key in REFERRAL_COLUMNS]))
    return Table("referrals", _("部门转办办理情况"), columns, rows)


EMERGENCY_COLUMNS = ("total", "within_clock", "late", "open_overdue", "open_in_time")


def _emergencies(figures):
    labels = [_("紧急案件"), _("时限内响应"), _("超时响应"), _("超时未响应"), _("未到时限")]
    item = figures.emergencies
    return Table(
        "emergencies",
        _("救急难案件首次响应"),
        list(zip(EMERGENCY_COLUMNS, labels, strict=True)),
        [Row("emergency", _("紧急案件"), [getattr(item, key) for key in EMERGENCY_COLUMNS])],
    )


def _oversight(figures):
    flags, complaints = figures.duplicate_flags, figures.complaints
    rows = [
        Row("flags", _("重复救助提示"), [flags.total]),
        Row("flags_pending", _("重复救助提示待裁定"), [flags.pending]),
        Row("flags_duplicate", _("确属重复"), [flags.duplicate]),
        Row("flags_not_duplicate", _("不构成重复"), [flags.not_duplicate]),
        Row("recusals", _("回避记录"), [figures.recusals]),
        Row("complaints_received", _("投诉举报收到"), [complaints.received]),
        Row("complaints_concluded", _("投诉举报办结"), [complaints.concluded]),
        Row("complaints_overdue", _("投诉举报逾期"), [complaints.overdue]),
        Row("complaints_escalated", _("投诉举报督办"), [complaints.escalated]),
    ]
    return Table("oversight", _("重复救助、回避与投诉举报"), [("count", _("件数"))], rows)


def _rectification(figures):
    findings = figures.findings
    rows = [
        Row("findings_total", _("督查发现问题"), [findings.total]),
        Row("findings_open", _("待整改"), [findings.open]),
        Row("findings_in_rectification", _("整改中"), [findings.in_rectification]),
        Row("findings_overdue", _("逾期未整改"), [findings.overdue]),
        Row("findings_rectified", _("已整改"), [findings.rectified]),
    ]
    return Table("rectification", _("专项督查问题整改"), [("count", _("件数"))], rows)


MONEY_COLUMNS = ("raised", "refunded", "disbursed", "waiting")


def _money_values(money):
    return [
        _yuan(money.raised_minor),
        _yuan(money.refunded_minor),
        _yuan(money.disbursed_minor),
        _yuan(money.waiting_minor),
    ]


def _money(figures):
    labels = [_("本期募集"), _("退款及争议"), _("本期拨付"), _("期末待拨付")]
    rows = [Row("needs", _("救助需求专项"), _money_values(figures.need_money))]
    if figures.pooled_money is not None:
        rows.append(Row("pooled", _("项目、基金与类别总基金"), _money_values(figures.pooled_money)))
        rows.append(
            Row(
                "total",
                _("合计"),
                [sum(row.values[index] for row in rows) for index in range(len(MONEY_COLUMNS))],
            )
        )
    return Table(
        "money",
        _("善款募集与拨付（元）"),
        list(zip(MONEY_COLUMNS, labels, strict=True)),
        rows,
    )


SOURCE_COLUMNS = ("raised", "allocated", "disbursed", "balance")


def _source_values(money):
    return [
        _yuan(money.raised_minor),
        money.allocated,
        _yuan(money.disbursed_minor),
        _yuan(money.balance_minor),
    ]


def _money_by_source(figures):
    """Government money (budget funds, 专款专用) beside social money."""
    split = figures.money_by_source
    labels = [_("本期入账"), _("本期批准资助"), _("本期拨付"), _("期末余额")]
    rows = [
        Row("government", _("政府资金"), _source_values(split.government)),
        Row("social", _("社会资金"), _source_values(split.social)),
    ]
    rows.append(
        Row(
            "total",
            _("合计"),
            [sum(row.values[index] for row in rows) for index in range(len(SOURCE_COLUMNS))],
        )
    )
    return Table(
        "money_by_source",
        _("政府资金与社会资金（元）"),
        list(zip(SOURCE_COLUMNS, labels, strict=True)),
        rows,
    )


def figure_tables(figures):
    tables = [
        _applications(figures),
        _timeliness(figures),
        _referrals(figures),
        _emergencies(figures),
        _oversight(figures),
        *([_rectification(figures)] if figures.findings is not None else []),
        _money(figures),
    ]
    if figures.money_by_source is not None:
        tables.append(_money_by_source(figures))
    return tables


def flat_rows(tables):
    """[section, item, measure, value] for every cell: the export's rows."""
    return [
        [table.title, row.label, label, value]
        for table in tables
        for row, _column, label, value in table.cells()
    ]


def chart_data(figures):
    """What the browser draws (Chart.js configs are built client-side from this)."""
    emergencies = figures.emergencies
    return {
        "applications": {
            "labels": [item.label for item in figures.applications_by_category],
            "values": [item.count for item in figures.applications_by_category],
            "title": _("申请受理（按救助类别）"),
            "precision": 0,
        },
        "referrals": {
            "labels": [item.department for item in figures.referrals_by_department],
            "series": [
                {
                    "label": label,
                    "values": [getattr(item, key) for item in figures.referrals_by_department],
                }
                for key, label in (
                    ("on_time", _("按时答复")),
                    ("late", _("逾期答复")),
                    ("open_overdue", _("逾期未答复")),
                    ("open_in_time", _("未到期未答复")),
                )
            ],
            "title": _("部门转办办理情况"),
            "precision": 0,
        },
        "emergencies": {
            "labels": [_("时限内响应"), _("超时响应"), _("超时未响应"), _("未到时限")],
            "values": [
                emergencies.within_clock,
                emergencies.late,
                emergencies.open_overdue,
                emergencies.open_in_time,
            ],
            "title": _("救急难案件首次响应"),
        },
        "money": {
            "labels": [_("本期募集"), _("退款及争议"), _("本期拨付"), _("期末待拨付")],
            # Yuan as strings: JSON has no Decimal, and money never becomes a float here.
            "series": [
                {"label": label, "values": [str(value) for value in _money_values(money)]}
                for label, money in (
                    (_("救助需求专项"), figures.need_money),
                    (_("项目、基金与类别总基金"), figures.pooled_money),
                )
                if money is not None
            ],
            "title": _("善款募集与拨付（元）"),
            "precision": 2,
        },
    }
