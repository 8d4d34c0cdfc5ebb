"""The fund admin: who lists, creates and edits which funds; the balance never
a form field; every change audited; bad input a message (docs/funding.md)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from matching.audit.models import AuditEntry
from matching.directory.models import Department, Role
from matching.offers.models import Fund, FundSource
from tests.matching.cases import case_factories as cf
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
INDEX = "/admin/offers_funds/"
NEW = "/admin/offers_funds/new/"


def edit_url(fund):
    return reverse("offers_funds:edit", args=[fund.pk])


@pytest.fixture
def places(db):
    return pf.places()


@pytest.fixture
def chaoyang_dept(places):
    return cf.department(Department.Kind.CIVIL_AFFAIRS, places["chaoyang"])


@pytest.fixture
def nanguan_dept(places):
    return cf.department(Department.Kind.CIVIL_AFFAIRS, places["nanguan"])


@pytest.fixture
def charity(places):
    return pf.organization(places["city"], "长春市慈善总会")


def government_fund(department, name, balance="5000.00"):
    return Fund.objects.create(
        source=FundSource.GOVERNMENT,
        department=department,
        name=name,
        categories=["temporary"],
        balance=Decimal(balance),
        max_per_case=Decimal("3000.00"),
    )


@pytest.fixture
def funds(chaoyang_dept, nanguan_dept, charity):
    return {
        "chaoyang": government_fund(chaoyang_dept, "朝阳区临时救助资金"),
        "nanguan": government_fund(nanguan_dept, "南关区临时救助资金"),
        "social": Fund.objects.create(
            organization=charity,
            name="博爱医疗救助基金",
            categories=["medical"],
            balance=Decimal("800.00"),
            max_per_case=Decimal("500.00"),
        ),
    }


def fund_form(**changes):
    data = {
        "name": "朝阳区大病临时救助资金",
        "categories": ["temporary", "medical"],
        "jurisdictions": ["220104"],
        "max_per_case": "6000.00",
        "household_status_any": [],
        "min_age": "",
        "max_age": "",
        "active": "on",
        "balance": "999999.00",  # not a field: must be ignored
    }
    data.update(changes)
    return data


def test_staff_list_only_government_funds_of_their_jurisdiction(client, places, funds):
    client.force_login(pf.staff(places["chaoyang"]))
    page = client.get(INDEX).text
    assert "朝阳区临时救助资金" in page
    assert "南关区临时救助资金" not in page and "博爱医疗救助基金" not in page
    found = client.get(INDEX, {"q": "临时救助"}).text
    assert "朝阳区临时救助资金" in found and "南关区临时救助资金" not in found
    assert client.get(edit_url(funds["nanguan"])).status_code in (302, 403, 404)
    assert client.get(edit_url(funds["social"])).status_code in (302, 403, 404)


def test_staff_create_a_government_fund_with_no_money_in_it_and_it_is_audited(
    client, places, chaoyang_dept, nanguan_dept
):
    staff = pf.staff(places["chaoyang"])
    client.force_login(staff)
    form = client.get(NEW).text
    assert 'name="balance"' not in form
    assert "朝阳区" in form and 'type="checkbox" name="jurisdictions"' in form

    elsewhere = client.post(NEW, fund_form(department=nanguan_dept.pk))
    assert elsewhere.status_code == 200 and not Fund.objects.exists()

    created = client.post(NEW, fund_form(department=chaoyang_dept.pk))
    assert created.status_code == 302
    fund = Fund.objects.get()
    assert (fund.source, fund.department, fund.organization) == (
        FundSource.GOVERNMENT,
        chaoyang_dept,
        None,
    )
    assert fund.balance == Decimal("0.00")
    assert fund.jurisdictions == ["220104"] and fund.categories == ["temporary", "medical"]
    entry = AuditEntry.objects.get(object_id=str(fund.pk), action=AuditEntry.Action.CREATE)
    assert entry.actor == staff and entry.after["max_per_case"] == "6000.00"


def test_an_edit_changes_the_terms_never_the_balance_and_is_audited(
    client, places, funds, chaoyang_dept
):
    fund = funds["chaoyang"]
    client.force_login(pf.staff(places["chaoyang"]))
    response = client.post(
        edit_url(fund), fund_form(department=chaoyang_dept.pk, name="朝阳区临时救助资金（2026）")
    )
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.name == "朝阳区临时救助资金（2026）"
    assert fund.balance == Decimal("5000.00")
    entry = AuditEntry.objects.get(object_id=str(fund.pk), action=AuditEntry.Action.UPDATE)
    assert entry.before["name"] == "朝阳区临时救助资金"
    assert entry.after["name"] == "朝阳区临时救助资金（2026）"


def test_bad_input_is_a_message_on_the_form_not_a_500(client, places, chaoyang_dept):
    client.force_login(pf.staff(places["chaoyang"]))
    wrong_money = client.post(NEW, fund_form(department=chaoyang_dept.pk, max_per_case="三千"))
    assert wrong_money.status_code == 200
    ages = client.post(NEW, fund_form(department=chaoyang_dept.pk, min_age="60", max_age="18"))
    assert ages.status_code == 200 and "最大年龄不能小于最小年龄。" in ages.text
    no_category = client.post(NEW, fund_form(department=chaoyang_dept.pk, categories=[]))
    assert no_category.status_code == 200
    assert not Fund.objects.exists()


def test_a_charity_administrator_manages_only_their_organizations_social_funds(
    client, funds, charity, chaoyang_dept
):
    client.force_login(pf.charity_user(charity))
    page = client.get(INDEX).text
    assert "博爱医疗救助基金" in page and "临时救助资金" not in page
    assert client.get(edit_url(funds["chaoyang"])).status_code in (302, 403, 404)
    form = client.get(NEW).text
    assert 'name="department"' not in form and 'name="balance"' not in form

    # A department smuggled into the post is not a field for them: ignored.
    created = client.post(NEW, fund_form(name="助学基金", department=chaoyang_dept.pk))
    assert created.status_code == 302
    fund = Fund.objects.get(name="助学基金")
    assert (fund.source, fund.organization, fund.department) == (
        FundSource.SOCIAL,
        charity,
        None,
    )
    assert fund.balance == Decimal("0.00")


def test_a_charity_member_and_a_liaison_do_not_manage_funds(client, charity, chaoyang_dept):
    for user in (
        pf.charity_user(charity, role=Role.CHARITY_MEMBER),
        cf.liaison(chaoyang_dept),
    ):
        client.force_login(user)
        assert client.get(INDEX).status_code in (302, 403)
        client.post(NEW, fund_form(department=chaoyang_dept.pk))
    assert not Fund.objects.exists()
