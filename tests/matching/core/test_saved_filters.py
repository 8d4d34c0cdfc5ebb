"""Saved filters on the admin lists: named, reused from a menu, private to their owner."""

import pytest
from django.contrib.auth import get_user_model

from matching.directory.models import Jurisdiction, Role, SavedFilter
from matching.directory.services import account_create
from tests.matching.cases.case_factories import city_tree

pytestmark = [pytest.mark.django_db]

LIST = "/admin/cases_my/"


def _staff(username, code):
    return account_create(
        username=username,
        password="x-Secret-123",
        role=Role.DISTRICT_STAFF,
        jurisdiction=Jurisdiction.objects.get(code=code),
    )


@pytest.fixture
def two_staff(db):
    places = city_tree()
    code = places["chaoyang"].code
    return _staff("wang", code), _staff("li", code)


def test_a_named_filter_comes_back_from_the_menu_and_only_for_its_owner(client, two_staff):
    wang, li = two_staff
    client.force_login(wang)
    response = client.post(
        LIST, {"saved_filter_name": "紧急待受理", "query": "status=received&urgency=emergency&p=3"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?status=received&urgency=emergency"
    saved = SavedFilter.objects.get(user=wang)
    assert (saved.name, saved.list_name) == ("紧急待受理", "cases_my:index")

    page = client.get(LIST).text
    assert 'data-testid="saved-filter-menu"' in page
    assert f'href="{LIST}?status=received&amp;urgency=emergency"' in page
    assert client.get(f"{LIST}?status=received&urgency=emergency").status_code == 200

    client.force_login(li)
    other = client.get(LIST).text
    assert "紧急待受理" not in other
    assert 'data-testid="saved-filter-menu"' not in other


def test_a_filter_without_a_name_is_refused_with_a_message(client, two_staff):
    wang, _li = two_staff
    client.force_login(wang)
    response = client.post(
        LIST, {"saved_filter_name": "  ", "query": "status=received"}, follow=True
    )
    assert response.status_code == 200
    assert "请为这组筛选条件起一个名称。" in response.text
    assert not SavedFilter.objects.exists()


def test_saving_the_same_name_again_replaces_it(client, two_staff):
    wang, _li = two_staff
    client.force_login(wang)
    client.post(LIST, {"saved_filter_name": "本周", "query": "status=received"})
    client.post(LIST, {"saved_filter_name": "本周", "query": "status=approved"})
    assert list(SavedFilter.objects.values_list("query", flat=True)) == ["status=approved"]
    assert get_user_model().objects.count() == 2
