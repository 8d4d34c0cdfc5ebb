"""The security baseline: staff two-factor, login lockout, rate limits, CSP, CSRF,
and the production cookie and HSTS settings."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from test_settings import COMPLETE, manage

from matching.directory.models import Jurisdiction, Role
from matching.directory.services import account_create, role_groups_sync

PASSWORD = "security-test-pass-2026"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def district(db):
    city = Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    return Jurisdiction.objects.create(
        code="220104", name="朝阳区", level="district", parent=city, path="220100/220104"
    )


@pytest.fixture
def staff_user(district):
    role_groups_sync()
    return account_create(
        username="zhang.staff", password=PASSWORD, role=Role.DISTRICT_STAFF, jurisdiction=district
    )


def _token(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- two-factor ---------------------------------------------------------------


def test_production_requires_staff_two_factor_and_secure_cookies():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps(["
        "s.STAFF_REQUIRE_2FA, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.AXES_ENABLED]))"
    )
    result = manage("shell", "-c", code, **COMPLETE)
    assert result.returncode == 0, result.stderr
    require_2fa, session_secure, csrf_secure, hsts, ssl_redirect, axes = json.loads(
        result.stdout.strip().splitlines()[-1]
    )
    assert require_2fa and session_secure and csrf_secure and ssl_redirect and axes
    assert hsts >= 31_536_000


@override_settings(STAFF_REQUIRE_2FA=True)
def test_staff_without_a_device_are_sent_to_set_one_up(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    setup = client.get(response["Location"])
    assert setup.status_code == 302 and setup["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(setup["Location"])
    assert "设置两步验证" in page.content.decode()
    assert client.get("/admin/").status_code == 302  # still locked out of the admin


@override_settings(STAFF_REQUIRE_2FA=True)
def test_setting_up_a_device_with_its_first_code_opens_the_admin(client, staff_user):
    client.force_login(staff_user)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    response = client.post(
        reverse("two_factor_setup"), {"token": _token(device), "next": "/admin/"}
    )
    # On to the backup codes (shown once), which lead on to the admin.
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_backup_codes')}?next=/admin/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/admin/").status_code == 200


# Without throttling, so that the right code may follow the wrong one at once.
@override_settings(STAFF_REQUIRE_2FA=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_verified_totp_code_opens_the_admin_and_a_wrong_one_does_not(client, staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    client.force_login(staff_user)
    verify = reverse("two_factor_verify")
    wrong = f"{(int(_token(device)) + 1) % 1_000_000:06d}"
    refused = client.post(verify, {"token": wrong, "next": "/admin/"})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    device.refresh_from_db()
    accepted = client.post(verify, {"token": _token(device), "next": "/admin/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@override_settings(STAFF_REQUIRE_2FA=True)
def test_the_next_parameter_cannot_send_a_verified_user_off_site(client, staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    client.force_login(staff_user)
    response = client.post(
        reverse("two_factor_verify"), {"token": _token(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_without_the_setting_staff_reach_the_admin_directly(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/admin/").status_code == 200


# --- lockout ------------------------------------------------------------------


@override_settings(AXES_ENABLED=True)
@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_five_failed_logins_lock_the_account_for_thirty_minutes(login_url, staff_user):
    client = Client()
    for _ in range(5):
        response = client.post(login_url, {"username": "zhang.staff", "password": "wrong"})
    assert response.status_code == 429
    locked = client.post(login_url, {"username": "zhang.staff", "password": PASSWORD})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "锁定 30 分钟" in page
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_a_successful_login_before_the_limit_resets_the_count(staff_user):
    client = Client()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "zhang.staff", "password": "wrong"})
    ok = client.post("/accounts/login/", {"username": "zhang.staff", "password": PASSWORD})
    assert ok.status_code == 302


# --- rate limits --------------------------------------------------------------


@override_settings(COMPLAINT_FILE_RATE="2/h")
def test_the_complaint_form_over_its_rate_limit_answers_429_in_chinese(client, district):
    data = {"subject_kind": "charity", "place": district.code, "content": "资金去向不明。"}
    for _ in range(2):
        assert client.post(reverse("complaint_file"), data).status_code == 302
    limited = client.post(reverse("complaint_file"), data)
    assert limited.status_code == 429
    assert "过于频繁" in limited.content.decode()
    assert client.get(reverse("complaint_file")).status_code == 200  # reading is not limited


@override_settings(COMPLAINT_FOLLOW_RATE="3/d")
def test_guessing_follow_codes_is_rate_limited(client, db):
    url = reverse("complaint_follow")
    codes = [
        client.post(url, {"receipt_number": "TS2611290000AAAA", "follow_code": f"{n:04d}"})
        for n in range(4)
    ]
    assert [r.status_code for r in codes] == [404, 404, 404, 429]


# --- CSP and CSRF -------------------------------------------------------------


def test_public_pages_carry_a_strict_content_security_policy(client, district):
    policy = client.get(reverse("complaint_file"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_the_admin_gets_its_own_policy(client, staff_user):
    client.force_login(staff_user)
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy


def test_public_forms_require_a_csrf_token_but_the_stripe_webhook_does_not(district):
    client = Client(enforce_csrf_checks=True)
    data = {"subject_kind": "charity", "place": district.code, "content": "资金去向不明。"}
    assert client.post(reverse("complaint_file"), data).status_code == 403
    webhook = client.post(
        reverse("payments:stripe_webhook"), b"{}", content_type="application/json"
    )
    assert webhook.status_code == 400  # refused for its signature, not for CSRF


# --- the admin under its CSP, in Chromium -------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_admin_works_under_its_content_security_policy(page, live_server):
    get_user_model().objects.create_superuser("root", "root@assist.example", PASSWORD)
    violations = []
    page.on(
        "console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text)
    )

    # The complaint list, not the dashboard: the dashboard also needs the page
    # tree, which belongs to the cms tests.
    page.goto(f"{live_server.url}/accounts/login/?next=/admin/complaints/")
    page.locator("#id_username").fill("root")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/complaints/")
    page.locator("#wagtail-sidebar").get_by_text("投诉举报").first.wait_for(state="visible")
    assert "sidebar-loading" not in (page.locator("#wagtail-sidebar").get_attribute("class") or "")

    page.goto(f"{live_server.url}/admin/dishonesty_records/new/")
    assert page.get_by_label("证据材料").is_visible()
    assert violations == []
