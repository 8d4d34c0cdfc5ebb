"""Bank statements (CSV) that confirm pledges: reading what Chinese banks
export, the preview's four groups, one transaction, nothing entered twice."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from matching.audit.models import AuditEntry
from matching.directory.models import Role
from matching.directory.services import role_groups_sync
from matching.ledger.models import Transaction
from matching.payments import statements
from matching.payments.models import BankStatement, Donation
from matching.payments.permissions import payments_permissions_sync
from matching.payments.pledges import pledge_confirm, pledge_create, transfer_reference_new
from matching.payments.statements import (
    statement_classify,
    statement_confirm,
    statement_read,
    statement_upload,
)
from matching.payments.targets import giving_target_get
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
ANONYMOUS = {"anonymous": True, "donor_name": "", "donor_email": ""}
UPLOAD_URL = "/admin/payments/statements/upload/"


@pytest.fixture(autouse=True)
def _groups(db):
    role_groups_sync()
    payments_permissions_sync()


@pytest.fixture
def city_staff(places):
    return pf.staff(places["city"], role=Role.CITY_STAFF)


@pytest.fixture
def pledges(published_need):
    target = giving_target_get(kind="need", ref=str(published_need.pk))
    return [
        pledge_create(target=target, amount_minor=amount, donor=ANONYMOUS)
        for amount in (30_000, 50_000, 10_000, 20_000)
    ]


def _made_up():
    """Four references for tests that only read a file (no pledge, no database)."""
    return [SimpleNamespace(transfer_reference=transfer_reference_new()) for _i in range(4)]


def _csv(pledges, *, preamble=True):
    """A statement as a Chinese bank exports it: account lines, then the table."""
    a, b, c, d = (p.transfer_reference for p in pledges)
    lines = (
        [
            "账号,2205 0161 0000 0000 1234",
            "户名,长春市慈善总会",
            "",
        ]
        if preamble
        else []
    )
    lines += [
        "交易日期,交易时间,收入金额,支出金额,交易附言,交易流水号,对方户名",
        f"2026-12-01,09:12:00,300.00,,认捐 {a},TXN001,张某",  # matched
        f'2026-12-01,10:00:00,"1,000.00",,{b.lower()}捐款,TXN002,李某',  # wrong amount
        "2026-12-02,11:00:00,88.00,,工资,TXN003,某公司",  # no reference
        f"2026-12-02,12:00:00,100.00,,{c} {d},TXN004,王某",  # two references
        "2026-12-03,08:00:00,,500.00,转出,TXN005,某商户",  # money going out
        f"2026-12-03,09:00:00,300.00,,认捐 {a},TXN001,张某",  # the same line twice
    ]
    return "\n".join(lines) + "\n"


def _outcomes(classified):
    return {r.row["transaction_id"]: (r.outcome, r.reason) for r in classified.results}


def test_a_statement_is_read_and_sorted_into_four_groups(pledges):
    rows = statement_read(raw=_csv(pledges).encode("utf-8"))
    assert [r["transaction_id"] for r in rows] == ["TXN001", "TXN002", "TXN003", "TXN004", "TXN001"]
    assert rows[1]["amount_minor"] == 100_000
    outcomes = _outcomes(statement_classify(rows=rows))
    assert outcomes["TXN002"] == ("unmatched", "金额与认捐不符")
    assert outcomes["TXN003"] == ("unmatched", "附言中没有有效的转账识别码")
    assert outcomes["TXN004"] == ("ambiguous", "附言中有多个识别码")
    classified = statement_classify(rows=rows)
    assert [r.outcome for r in classified.results if r.row["transaction_id"] == "TXN001"] == [
        "matched",
        "already",
    ]


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8-sig"),  # Excel's UTF-8 with a BOM
        lambda text: text.encode("gbk"),  # what most Chinese banks export
        lambda text: text.replace("\n", "\r\n").encode("gb18030"),
    ],
)
def test_bom_gbk_and_windows_line_ends_are_read_alike(encode):
    pledges = _made_up()
    rows = statement_read(raw=encode(_csv(pledges)))
    assert [r["memo"][:2] for r in rows][:3] == [
        "认捐",
        pledges[1].transfer_reference.lower()[:2],
        "工资",
    ]
    assert rows[0]["amount_minor"] == 30_000


def test_english_headers_without_a_preamble():
    reference = transfer_reference_new()
    text = f"Date,Amount,Memo,Transaction ID\n2026-12-01,300,{reference},E1\n"
    (row,) = statement_read(raw=text.encode())
    assert (row["amount_minor"], row["transaction_id"]) == (30_000, "E1")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "文件是空的"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "这不是 CSV 文件"),
        ("随便写的一些字\n没有表头".encode(), "找不到表头"),
        ("交易日期,金额,附言,交易流水号\n2026-12-01,-5.00,退款,R1\n".encode(), "没有收入流水"),
        (b"a" * (statements.MAX_STATEMENT_BYTES + 1), "文件过大"),
    ],
)
def test_a_file_that_is_not_a_statement_is_refused_with_a_message(raw, message):
    with pytest.raises(ValidationError, match=message):
        statement_read(raw=raw)


def test_a_row_whose_amount_cannot_be_read_is_listed_not_guessed():
    text = f"日期,金额,摘要,流水号\n2026-12-01,三百元,{transfer_reference_new()},X1\n"
    (row,) = statement_read(raw=text.encode())
    (result,) = statement_classify(rows=[row]).results
    assert result.outcome == "unmatched" and "金额无法识别" in result.reason


def test_confirming_enters_each_match_once_even_if_the_file_comes_again(pledges, city_staff):
    first = statement_upload(filename="dec.csv", raw=_csv(pledges).encode(), uploaded_by=city_staff)
    classified = statement_confirm(statement=first, confirmed_by=city_staff)
    assert [r.pledge.pk for r in classified.matched] == [pledges[0].pk]
    pledges[0].refresh_from_db()
    assert (pledges[0].status, pledges[0].offline_reference) == ("succeeded", "TXN001")
    assert Transaction.objects.count() == 1
    with pytest.raises(ValidationError, match="已确认过"):
        statement_confirm(statement=first, confirmed_by=city_staff)
    again = statement_upload(filename="dec.csv", raw=_csv(pledges).encode(), uploaded_by=city_staff)
    assert not statement_confirm(statement=again, confirmed_by=city_staff).matched
    assert _outcomes(statement_classify(rows=again.rows))["TXN001"][0] == "already"
    assert Transaction.objects.count() == 1
    assert Donation.objects.filter(status="pending").count() == 3


def test_a_failure_in_the_batch_confirms_nothing(pledges, city_staff, monkeypatch):
    # Two matched rows; the second one's posting fails: the first is rolled back too.
    a, b = pledges[0].transfer_reference, pledges[2].transfer_reference
    text = f"日期,金额,附言,流水号\n1,300,{a},T1\n2,100,{b},T2\n"
    statement = statement_upload(filename="x.csv", raw=text.encode(), uploaded_by=city_staff)
    calls = []

    def failing_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise ValidationError("bank unreachable")
        return pledge_confirm(**kwargs)

    monkeypatch.setattr(statements, "pledge_confirm", failing_second)
    with pytest.raises(ValidationError):
        statement_confirm(statement=statement, confirmed_by=city_staff)
    assert not Transaction.objects.exists()
    assert Donation.objects.filter(status="pending").count() == 4
    statement.refresh_from_db()
    assert statement.confirmed_at is None


def test_upload_preview_and_confirm_in_the_admin(client, pledges, city_staff):
    client.force_login(city_staff)
    upload = SimpleUploadedFile("dec.csv", _csv(pledges).encode("gbk"), content_type="text/csv")
    response = client.post(UPLOAD_URL, {"statement": upload})
    statement = BankStatement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/payments/statements/{statement.pk}/"
    preview = client.get(response["Location"]).content.decode()
    assert "匹配成功，待确认（1）" in preview and "未匹配（2）" in preview
    assert "无法确定（需人工核对）（1）" in preview and "已确认过，不会重复入账（1）" in preview
    assert not Transaction.objects.exists()  # the preview enters nothing
    read = AuditEntry.objects.get(action="read_personal", object_type="payments.bankstatement")
    assert (read.object_id, read.actor) == (str(statement.pk), city_staff)
    done = client.post(response["Location"]).content.decode()
    assert "已确认 1 笔认捐到账" in done and 'data-testid="statement-confirmed"' in done
    assert Transaction.objects.count() == 1


def test_a_garbage_upload_is_a_message_and_saves_nothing(client, city_staff):
    client.force_login(city_staff)
    upload = SimpleUploadedFile(
        "photo.csv", b"\xff\xd8\xff\xe0\x00\x10JFIF", content_type="text/csv"
    )
    response = client.post(UPLOAD_URL, {"statement": upload})
    assert response.status_code == 422 and "这不是 CSV 文件" in response.content.decode()
    assert not BankStatement.objects.exists()


def test_an_excel_statement_is_read_like_a_csv(pledges):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["账号", "2205 0161 0000 0000 1234"])
    sheet.append(["交易日期", "收入金额", "摘要", "交易流水号"])
    sheet.append(["2026-12-01", 300.0, f"认捐{pledges[0].transfer_reference}", "X1"])
    sheet.append(["2026-12-01", 88.5, "工资", "X2"])
    out = io.BytesIO()
    book.save(out)
    first, second = statement_read(raw=out.getvalue())
    assert (first["amount_minor"], first["transaction_id"]) == (30_000, "X1")
    assert (second["amount_minor"], second["error"]) == (8850, "")
    assert statement_classify(rows=[first]).matched


def test_a_broken_excel_file_is_a_message():
    with pytest.raises(ValidationError, match="无法读取 Excel 文件"):
        statement_read(raw=b"PK\x03\x04 not really a zip")
