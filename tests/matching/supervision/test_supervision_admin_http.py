"""The dashboard over HTTP: who sees which subtree, the filter's messages, the CSV
and XLSX exports (the same figures, audited) and the PDF report, whose text
carries the numbers the dashboard shows for the same period."""

import csv
import io
import re

import pytest
import supervision_factories as f
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from matching.audit.models import AuditEntry
from matching.directory.models import Department, Role

pytestmark = pytest.mark.django_db
DASHBOARD = "/admin/supervision/"
OCTOBER_QUERY = {"jurisdiction": "220104", "month": "2026-10"}


def signed_in(client, user):
    client.force_login(user)
    return client


def dashboard_tables(html):
    """{table key: [(row label, [values...]), ...]} as the dashboard shows them."""
    soup = BeautifulSoup(html, "html.parser")
    return {
        table["data-table"]: [
            (
                row.th.get_text(strip=True),
                [cell.get_text(strip=True) for cell in row.find_all("td")],
            )
            for row in table.tbody.find_all("tr")
        ]
        for table in soup.select("table[data-table]")
    }


def pdf_text(body):
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_district_staff_see_their_district_and_not_another(client, october, places):
    staff = signed_in(client, f.user(Role.DISTRICT_STAFF, places["chaoyang"]))
    response = staff.get(DASHBOARD, {"month": "2026-10"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("[data-testid=scope-jurisdiction]").get_text() == "朝阳区"
    options = {option["value"] for option in soup.select("select[name=jurisdiction] option")}
    assert options == {"220104", "220104007"}
    total = dict(dashboard_tables(response.text)["applications"])["受理合计（件）"]
    assert total == ["4"]  # Nanguan's October case is not counted

    for path in (DASHBOARD, "/admin/supervision/export.csv", "/admin/supervision/report.pdf"):
        refused = staff.get(path, {"jurisdiction": "220102", "month": "2026-10"})
        assert refused.status_code == 403
        refused = staff.get(path, {"jurisdiction": "220100", "month": "2026-10"})
        assert refused.status_code == 403


def test_street_staff_see_only_their_street(client, october, places):
    staff = signed_in(client, f.user(Role.STREET_STAFF, places["nanling"]))
    response = staff.get(DASHBOARD, {"month": "2026-10"})
    tables = dashboard_tables(response.text)
    assert dict(tables["applications"])["受理合计（件）"] == ["1"]
    assert staff.get(DASHBOARD, {"jurisdiction": "220104007"}).status_code == 403


@pytest.mark.parametrize("role", [Role.CITY_STAFF, Role.INSPECTOR])
def test_city_staff_and_inspectors_see_the_city(client, october, places, role):
    reader = signed_in(client, f.user(role, places["city"]))
    response = reader.get(DASHBOARD, {"month": "2026-10"})
    assert response.status_code == 200
    assert dict(dashboard_tables(response.text)["applications"])["受理合计（件）"] == ["5"]
    assert reader.get(DASHBOARD, {"jurisdiction": "220102", "month": "2026-10"}).status_code == 200
    assert DASHBOARD in reader.get("/admin/").text


def test_other_roles_are_refused_and_see_no_menu_item(client, places):
    health = f.department(Department.Kind.HEALTH, places["chaoyang"], "朝阳区卫生健康局")
    liaison = signed_in(client, f.user(Role.LIAISON, places["chaoyang"], department=health))
    assert liaison.get(DASHBOARD).status_code == 403
    assert liaison.get("/admin/supervision/export.xlsx").status_code == 403
    assert DASHBOARD not in liaison.get("/admin/").text


def test_bad_filters_get_a_chinese_message_not_an_error(client, places):
    staff = signed_in(client, f.user(Role.CITY_STAFF, places["city"]))
    response = staff.get(DASHBOARD, {"month": "2026-13x"})
    assert response.status_code == 200
    assert "月份格式应为 年-月" in response.text
    response = staff.get(DASHBOARD, {"start": "2026-10-09", "end": "2026-10-01"})
    assert "结束日期不能早于开始日期" in response.text
    response = staff.get(DASHBOARD, {"jurisdiction": "999999"})
    assert response.status_code == 200 and 'data-testid="supervision-scope"' not in response.text
    refused = staff.get("/admin/supervision/export.csv", {"month": "10/2026"})
    assert refused.status_code == 400
    assert "月份格式应为" in refused.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_date_range_counts_what_lies_inside_it(client, october, places):
    staff = signed_in(client, f.user(Role.DISTRICT_STAFF, places["chaoyang"]))
    response = staff.get(DASHBOARD, {"start": "2026-10-01", "end": "2026-10-09"})
    assert response.context["period_label"] == "2026-10-01 至 2026-10-09"
    opened = [
        case
        for case in october["cases"].values()
        if places["chaoyang"].contains(case.jurisdiction)
        and f.at(10, 1, 0) <= case.opened_at < f.at(10, 10, 0)
    ]
    assert dict(dashboard_tables(response.text)["applications"])["受理合计（件）"] == [
        str(len(opened))
    ]


def test_csv_and_xlsx_carry_the_dashboards_figures_and_are_audited(client, october, places):
    staff = signed_in(client, f.user(Role.DISTRICT_STAFF, places["chaoyang"]))
    shown = dashboard_tables(staff.get(DASHBOARD, OCTOBER_QUERY).text)
    shown_cells = [
        (label, value) for rows in shown.values() for label, values in rows for value in values
    ]

    response = staff.get("/admin/supervision/export.csv", OCTOBER_QUERY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["辖区", "朝阳区"]
    assert [(row[1], row[3]) for row in rows[3:]] == shown_cells

    response = staff.get("/admin/supervision/export.xlsx", OCTOBER_QUERY)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [
        (item, "—" if value is None else str(value))
        for _section, item, _measure, value in sheet.iter_rows(min_row=4, values_only=True)
    ]
    # Spreadsheet numbers drop a trailing zero (600.00 -> 600); compare as numbers.
    assert [(item, _number(value)) for item, value in cells] == [
        (item, _number(value)) for item, value in shown_cells
    ]

    entries = AuditEntry.objects.filter(action="export", object_type="directory.jurisdiction")
    assert sorted(entries.values_list("after__format", flat=True)) == ["csv", "xlsx"]
    assert set(entries.values_list("object_id", flat=True)) == {"220104"}


def _number(text):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return text


def test_the_pdf_report_carries_the_figures_the_dashboard_shows(client, october, places):
    staff = signed_in(client, f.user(Role.CITY_STAFF, places["city"]))
    shown = dashboard_tables(staff.get(DASHBOARD, OCTOBER_QUERY).text)
    response = staff.get("/admin/supervision/report.pdf", OCTOBER_QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "朝阳区社会救助督查通报" in text
    assert "2026年10月" in text
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    for key, rows in shown.items():
        for label, values in rows:
            wanted = " ".join([label, *values])
            assert wanted in lines, f"{key}: {wanted!r} not in the report"
    # The audit summary and the notable items of the month.
    assert "逾期转办" in text
    assert october["referrals"][1].case.receipt_number in text  # answered late
    assert october["complaints"][1].receipt_number in text  # escalated in October
    assert october["recusals"][0].receipt_number in text  # stood aside in October
    assert october["recusals"][1].receipt_number not in text  # in November
    assert AuditEntry.objects.filter(action="export", after__format="pdf").count() == 1


def test_the_report_command_writes_the_pdf(october, places, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "report.pdf"
    call_command("supervision_report", jurisdiction="220104", month="2026-10", out=str(out))
    text = pdf_text(out.read_bytes())
    assert "朝阳区社会救助督查通报" in text and "受理合计（件） 4" in text
    with pytest.raises(CommandError, match="月份格式"):
        call_command("supervision_report", jurisdiction="220104", month="oct", out=str(out))
    with pytest.raises(CommandError, match="未找到"):
        call_command("supervision_report", jurisdiction="999", month="2026-10", out=str(out))
