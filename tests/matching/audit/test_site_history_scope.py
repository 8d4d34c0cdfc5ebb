"""Wagtail's site-history report (and its export) shows staff only their jurisdiction's log."""

import io

import openpyxl
import pytest
from django.core.cache import cache

from matching.directory.models import Role
from matching.directory.services import role_groups_sync
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
REPORT = "/admin/reports/site-history/"


def _text(body, *, xlsx):
    if not xlsx:
        return body.decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)


@pytest.fixture
def places(db, settings):
    settings.PUBLICATION_K = 1  # one published need is enough here
    cache.clear()
    role_groups_sync()
    return pf.places()


@pytest.fixture
def chaoyang_need(places):
    """A need of 朝阳区, approved by a 朝阳区 reviewer (Wagtail logs the workflow)."""
    reviewer = pf.staff(places["chaoyang"])
    return pf.published_need(places["hongqi"], reviewer, amount="5000.00"), reviewer


@pytest.mark.parametrize("query", ["", "?export=csv", "?export=xlsx"], ids=["page", "csv", "xlsx"])
def test_staff_of_another_district_do_not_see_the_log_of_our_needs(
    client, places, chaoyang_need, query
):
    _need, reviewer = chaoyang_need
    client.force_login(pf.staff(places["nanguan"]))
    response = client.get(REPORT + query)
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    assert reviewer.username not in _text(body, xlsx=query == "?export=xlsx")
    # The user filter does not list the reviewer either.
    page = client.get(REPORT).content.decode()
    assert reviewer.username not in page


def test_staff_of_the_district_and_the_city_see_it(client, places, chaoyang_need):
    _need, reviewer = chaoyang_need
    for reader in (pf.staff(places["chaoyang"]), pf.staff(places["city"], role=Role.CITY_STAFF)):
        client.force_login(reader)
        page = client.get(REPORT).content.decode()
        assert reviewer.username in page
        export = client.get(REPORT + "?export=xlsx")
        assert reviewer.username in _text(b"".join(export), xlsx=True)
