"""Tracking (first in, first out), transparency and CSV; nothing identifying a household."""

import csv
import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from matching.funding import services
from matching.funding.models import PayeeKind
from matching.ledger.models import Account
from matching.ledger.services import account_open
from matching.publication.services import public_need_derive
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db


def pay(match, account, staff, amount, payee_kind=PayeeKind.HOSPITAL):
    disbursement = services.disbursement_request(
        match=match,
        account=account,
        amount_minor=amount,
        payee_kind=payee_kind,
        payee_name="欧阳翠花" if payee_kind == PayeeKind.HOUSEHOLD else "吉林大学第一医院",
        invoice_number=f"INV-{amount}",
        actor=staff,
    )
    return services.disbursement_post(disbursement=disbursement, actor=staff)


def track(client, donation):
    response = client.get(reverse("funding:track", args=[donation.tracking_code]))
    assert response.status_code == 200
    return response.content.decode()


def disbursed_amounts(text):
    steps = re.findall(r'data-testid="step-disbursed">(.*?)</li>', text, re.S)
    return [re.search(r"¥[\d,.]+", step).group(0) for step in steps]


def test_disbursements_are_attributed_to_gifts_first_in_first_out(
    client, match, need_account, funded, staff
):
    first, second = funded  # 6,000 then 4,000 yuan
    pay(match, need_account, staff, 500_000)  # all from the first gift
    pay(match, need_account, staff, 300_000)  # 1,000 from the first, 2,000 from the second
    assert disbursed_amounts(track(client, first)) == ["¥5,000.00", "¥1,000.00"]
    assert disbursed_amounts(track(client, second)) == ["¥2,000.00"]
    text = track(client, second)
    assert "支付给医院" in text
    assert "医疗救助" in text and "朝阳区" in text


def test_the_beneficiarys_confirmation_shows_as_a_date(client, match, need_account, funded, staff):
    first, _second = funded
    _disbursement, (reference, code) = pay(match, need_account, staff, 100_000)
    assert "受助方已确认收到" not in track(client, first)
    services.confirmation_confirm(reference=reference, code=code)
    text = track(client, first)
    assert 'data-testid="step-confirmed"' in text
    assert reference not in text


def test_tracking_and_transparency_never_show_the_household(
    client, match, need_account, funded, staff, household_secrets, public_need
):
    first, _second = funded
    _disbursement, (reference, code) = pay(match, need_account, staff, 100_000, PayeeKind.HOUSEHOLD)
    services.confirmation_confirm(reference=reference, code=code)
    gift = services.in_kind_gift_record(
        actor=staff,
        items="大米",
        quantity=10,
        unit="袋",
        estimated_value_minor=50_000,
        need=public_need,
    )
    pages = [
        track(client, first),
        client.get(reverse("funding:track", args=[gift.tracking_code])).content.decode(),
        client.get(reverse("funding:transparency")).content.decode(),
        client.get(reverse("funding:transparency_csv")).content.decode("utf-8-sig"),
    ]
    for page in pages:
        for secret in household_secrets:
            assert secret not in page
        assert match.need.receipt_number not in page
    assert "受助家庭" in pages[0]  # the payee's kind, never its name


def test_transparency_sums_raised_disbursed_balance_and_in_kind(
    client, match, need_account, funded, staff, public_need, places, reviewer_needs
):
    pay(match, need_account, staff, 300_000)
    services.in_kind_gift_record(
        actor=staff,
        items="轮椅",
        quantity=1,
        unit="台",
        estimated_value_minor=120_000,
        need=public_need,
    )
    response = client.get(reverse("funding:transparency_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "救助类别",
        "区县",
        "已筹(元)",
        "已拨付(元)",
        "结余(元)",
        "物资估值(元)",
        "志愿服务(小时)",
    ]
    by_cell = {(row[0], row[1]): row for row in rows[1:]}
    medical = by_cell[("医疗救助", "朝阳区")]
    # 10,000 yuan to the need and 100 to each of the two others, 3,000 paid out.
    assert medical[2:6] == ["10200.00", "3000.00", "7200.00", "1200.00"]
    assert by_cell[("合计", "")][3] == "3000.00"
    page = client.get(reverse("funding:transparency")).content.decode()
    assert "¥7,200.00" in page


@override_settings(TRANSPARENCY_MIN_NEEDS=3)
def test_a_district_with_too_few_needs_is_merged_into_other(
    client, match, need_account, funded, places, reviewer_needs, make_donation
):
    lonely = public_need_derive(case=pf.approved_case(places["nanling"], names=["孤例人"]))
    lonely_account = account_open(
        code=f"need:{lonely.pk}",
        kind=Account.Kind.NEED,
        category="medical",
        earmark_cap_minor=900_000,
    )
    make_donation(70_000, target=lonely_account)
    text = client.get(reverse("funding:transparency")).content.decode()
    assert "朝阳区" in text  # three needs: published as they are
    assert "南关区" not in text  # one need: merged
    assert "其他" in text
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("funding:transparency_csv")).content.decode("utf-8-sig"))
        )
    )
    other = [row for row in rows if row[1] == "其他"]
    assert other and other[0][2] == "700.00"


@pytest.fixture
def reviewer_needs(places, need_account, make_donation):
    """Two more medical needs in 朝阳区 with money, so the district has three."""
    for name in ("甲", "乙"):
        need = public_need_derive(case=pf.approved_case(places["hongqi"], names=[f"测试{name}"]))
        account = account_open(
            code=f"need:{need.pk}",
            kind=Account.Kind.NEED,
            category="medical",
            earmark_cap_minor=900_000,
        )
        make_donation(10_000, target=account)
