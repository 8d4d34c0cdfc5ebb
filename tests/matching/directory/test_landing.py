"""Each demo login lands on what its role may see."""

import pytest
from django.core.management import call_command

from matching.demo.city import DEMO_LOGINS, DEMO_PASSWORD
from matching.directory.models import Profile

pytestmark = pytest.mark.django_db

ADMIN_LOGINS = {"city", "chaoyang", "hongqi", "health", "inspector"}
# A charity's users land in their organization's workspace (docs/organizations.md).
WORKSPACE_LOGINS = {"charity"}


@pytest.fixture
def demo_city():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.username)
def test_a_demo_login_lands_where_its_role_works(client, demo_city, login):
    response = client.post(
        "/accounts/login/", {"username": login.username, "password": DEMO_PASSWORD}, follow=True
    )
    final_path = response.redirect_chain[-1][0]
    if login.username in WORKSPACE_LOGINS:
        assert final_path == "/organization/"
        profile = Profile.objects.get(user__username=login.username)
        assert profile.organization.name in response.text
    elif login.username in ADMIN_LOGINS:
        assert final_path == "/admin/"
        assert str(login.role.label) in response.text
        profile = Profile.objects.get(user__username=login.username)
        assert profile.jurisdiction.name in response.text
    elif login.username == "volunteer":  # a volunteer with a volunteer record: the workspace
        assert final_path == "/volunteer/"
        _assert_the_demo_volunteers_workspace(client, response.text)
    else:
        assert final_path == "/accounts/me/"
        assert str(login.role.label) in response.text


def _assert_the_demo_volunteers_workspace(client, page):
    """matching/demo/volunteering.py: proposals, hours and a certificate."""
    assert page.count('data-testid="proposal-') == 1  # one waiting for an answer
    assert "待批准" in page and "进行中" in page  # one accepted, one approved task
    assert 'data-testid="confirmed-hours">5.50 小时' in page
    assert 'data-testid="pending-hours">1.50 小时' in page
    certificates = client.get("/volunteer/certificates/").text
    assert certificates.count('data-testid="certificate-download"') == 1


def test_public_roles_are_kept_out_of_the_admin(client, demo_city):
    client.login(username="donor", password=DEMO_PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_wrong_password_is_refused_in_chinese(client, demo_city):
    response = client.post("/accounts/login/", {"username": "city", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.text


def test_the_demo_city_is_deterministic_and_idempotent(demo_city):
    from matching.directory.models import Department, Jurisdiction, Organization

    first = list(
        Organization.objects.order_by("ref", "name").values_list("ref", "name", "credit_code")
    )
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        list(Organization.objects.order_by("ref", "name").values_list("ref", "name", "credit_code"))
        == first
    )
    assert Jurisdiction.objects.filter(level="district").count() == 15
    assert Jurisdiction.objects.filter(level="street").count() == 231
    assert Jurisdiction.objects.filter(level="community").count() == 2798
    assert Department.objects.filter(jurisdiction_id="220104").count() == 7
    # The 12 charities, 2 registrations awaiting vetting (matching/demo/organizations.py)
    # and 3 organizations with dishonesty records (matching/demo/publicity.py).
    assert len(first) == 17
