"""Staff two-factor a person can live with: a QR code to enrol, ten backup
codes shown once (each signs in once), device management, and a recovery
path for a lost phone that the audit log records."""

import re

import pytest
import segno
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from matching.audit.models import AuditEntry
from matching.directory.models import Jurisdiction, Role
from matching.directory.services import account_create, role_groups_sync
from matching.governance import services

PASSWORD = "two-factor-test-pass-2026"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_no_throttle"),
]


@pytest.fixture
def _no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places(db):
    city = Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    district = Jurisdiction.objects.create(
        code="220104", name="朝阳区", level="district", parent=city, path="220100/220104"
    )
    role_groups_sync()
    return city, district


@pytest.fixture
def staff_user(places):
    return account_create(
        username="li.staff", password=PASSWORD, role=Role.DISTRICT_STAFF, jurisdiction=places[1]
    )


@pytest.fixture
def city_admin(places):
    return account_create(
        username="wang.city", password=PASSWORD, role=Role.CITY_STAFF, jurisdiction=places[0]
    )


def _token(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _verified(user, device):
    client = _signed_in(user)
    response = client.post(reverse("two_factor_verify"), {"token": _token(device)})
    assert response.status_code == 302
    return client


def _dark_modules(svg):
    """The dark modules drawn by segno's inline SVG path (its own notation:
    ``M x y`` absolute, ``m dx dy`` relative, ``h n`` a run of n modules)."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            run = int(numbers[0])
            dark.update((int(y), int(x) + i) for i in range(run))
            x += run
    return dark


# --- enrolment -----------------------------------------------------------------


@override_settings(STAFF_REQUIRE_2FA=True)
def test_the_setup_page_shows_a_qr_code_of_the_otpauth_uri(staff_user):
    client = _signed_in(staff_user)
    response = client.get(reverse("two_factor_setup"))
    body = response.content.decode()
    device = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', body).group(1)
    assert device.config_url.startswith("otpauth://totp/")
    assert f"secret={secret}" in device.config_url

    svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    expected = segno.make(device.config_url, error="m")
    expected_dark = {
        (row, col)
        for row, modules in enumerate(expected.matrix_iter(border=4))
        for col, is_dark in enumerate(modules)
        if is_dark
    }
    assert _dark_modules(svg) == expected_dark
    # Inline markup the strict policy allows: no script, no style, no outside image.
    assert "<script" not in svg and "style=" not in svg and "href" not in svg
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


@override_settings(STAFF_REQUIRE_2FA=True)
def test_enrolment_shows_ten_backup_codes_once(staff_user):
    client = _signed_in(staff_user)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    response = client.post(
        reverse("two_factor_setup"), {"token": _token(device), "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_backup_codes"))

    shown = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/admin/"' in shown  # and on to where the user was going
    again = client.get(reverse("two_factor_backup_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert "10 个未使用的备用验证码" in again
    assert client.get("/admin/").status_code == 200


# --- backup codes ----------------------------------------------------------------


@override_settings(STAFF_REQUIRE_2FA=True)
def test_each_backup_code_signs_in_once_and_only_once(staff_user):
    TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    codes = services.backup_codes_generate(user=staff_user)
    assert len(codes) == 10
    verify = reverse("two_factor_verify")
    for code in codes:
        cache.clear()  # the verify form's own rate limit (10 a minute) is not the subject
        first = _signed_in(staff_user)
        assert first.get("/admin/").status_code == 302
        # Written as on the paper: upper case, in two groups.
        answer = first.post(verify, {"token": f"{code[:4].upper()} {code[4:].upper()}"})
        assert answer.status_code == 302 and answer["Location"] == "/admin/"
        assert first.get("/admin/").status_code == 200

        second = _signed_in(staff_user)
        refused = second.post(verify, {"token": code})
        assert refused.status_code == 200
        assert "验证码不正确、已过期或已使用" in refused.content.decode()
        assert second.get("/admin/").status_code == 302
    assert not StaticToken.objects.filter(device__user=staff_user).exists()


@override_settings(STAFF_REQUIRE_2FA=True)
def test_new_backup_codes_void_the_old_ones(staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    old = services.backup_codes_generate(user=staff_user)
    client = _verified(staff_user, device)
    response = client.post(reverse("two_factor_backup_codes"))
    assert response.status_code == 302
    new = re.findall(
        r"<code>([a-z2-7]{8})</code>", client.get(response["Location"]).content.decode()
    )
    assert len(new) == 10 and not set(new) & set(old)
    assert (
        _signed_in(staff_user).post(reverse("two_factor_verify"), {"token": old[0]}).status_code
        == 200
    )
    assert (
        _signed_in(staff_user).post(reverse("two_factor_verify"), {"token": new[0]}).status_code
        == 302
    )


def test_someone_with_only_the_password_cannot_print_new_backup_codes(staff_user):
    TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    old = services.backup_codes_generate(user=staff_user)
    response = _signed_in(staff_user).post(reverse("two_factor_backup_codes"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(old)


# --- device management -----------------------------------------------------------


@override_settings(STAFF_REQUIRE_2FA=True)
def test_a_staff_member_lists_and_removes_one_of_their_authenticators(staff_user):
    phone = TOTPDevice.objects.create(user=staff_user, name="工作手机", confirmed=True)
    tablet = TOTPDevice.objects.create(user=staff_user, name="旧平板", confirmed=True)
    client = _verified(staff_user, phone)
    listing = client.get(reverse("two_factor_devices")).content.decode()
    assert "工作手机" in listing and "旧平板" in listing

    remove = reverse("two_factor_device_remove", args=[tablet.pk])
    confirm = client.get(remove)
    assert confirm.status_code == 200 and "确定移除身份验证器“旧平板”吗" in confirm.content.decode()
    assert TOTPDevice.objects.filter(pk=tablet.pk).exists()  # asking is not removing
    assert client.post(remove)["Location"] == reverse("two_factor_devices")
    assert list(TOTPDevice.objects.filter(user=staff_user)) == [phone]
    assert AuditEntry.objects.filter(
        actor=staff_user, action=AuditEntry.Action.DELETE, object_type="otp_totp.totpdevice"
    ).exists()


@override_settings(STAFF_REQUIRE_2FA=True)
def test_the_last_authenticator_stays_while_two_factor_is_required(staff_user):
    phone = TOTPDevice.objects.create(user=staff_user, name="工作手机", confirmed=True)
    client = _verified(staff_user, phone)
    assert "唯一的设备，不能移除" in client.get(reverse("two_factor_devices")).content.decode()
    response = client.post(reverse("two_factor_device_remove", args=[phone.pk]))
    assert response.status_code == 400
    assert "请先添加新的身份验证器" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=phone.pk).exists()

    # Re-enrolling: add the new phone first, then the old one can go.
    client.get(reverse("two_factor_setup"))
    new_phone = TOTPDevice.objects.get(user=staff_user, confirmed=False)
    added = client.post(reverse("two_factor_setup"), {"token": _token(new_phone)})
    assert added["Location"] == reverse("two_factor_devices")
    assert client.post(reverse("two_factor_device_remove", args=[phone.pk])).status_code == 302
    assert list(TOTPDevice.objects.filter(user=staff_user)) == [new_phone]


def test_nobody_removes_another_persons_device(staff_user, city_admin):
    phone = TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    response = _signed_in(city_admin).post(reverse("two_factor_device_remove", args=[phone.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=phone.pk).exists()


# --- recovery -------------------------------------------------------------------


@override_settings(STAFF_REQUIRE_2FA=True)
def test_a_city_admin_resets_a_lost_phone_and_the_audit_log_says_who_and_why(
    staff_user, city_admin
):
    TOTPDevice.objects.create(user=staff_user, name="丢失的手机", confirmed=True)
    services.backup_codes_generate(user=staff_user)
    admin_phone = TOTPDevice.objects.create(user=city_admin, name="phone", confirmed=True)
    client = _verified(city_admin, admin_phone)
    url = reverse("two_factor_reset", args=[staff_user.pk])
    assert "有 1 个身份验证器" in client.get(url).content.decode()

    missing_reason = client.post(url, {"reason": "  "})
    assert TOTPDevice.objects.filter(user=staff_user).exists()
    assert missing_reason.status_code == 200

    done = client.post(url, {"reason": "手机丢失，已当面核实工作证"})
    assert 'data-testid="reset-done"' in done.content.decode()
    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    assert not StaticDevice.objects.filter(user=staff_user).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ADMIN, object_id=str(staff_user.pk))
    assert entry.actor == city_admin
    assert entry.after["reason"] == "手机丢失，已当面核实工作证"
    assert entry.after["authenticators"] == 1 and entry.after["backup_code_sets"] == 1

    # The staff member enrols again at their next admin visit.
    again = _signed_in(staff_user)
    assert again.get(reverse("two_factor_verify"))["Location"].startswith(
        reverse("two_factor_setup")
    )


def test_only_a_superuser_or_city_staff_may_reset_and_not_their_own(places, staff_user, city_admin):
    colleague = account_create(
        username="zhao.staff", password=PASSWORD, role=Role.DISTRICT_STAFF, jurisdiction=places[1]
    )
    TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    url = reverse("two_factor_reset", args=[colleague.pk])
    assert _signed_in(staff_user).post(url, {"reason": "x"}).status_code == 404
    own = reverse("two_factor_reset", args=[city_admin.pk])
    assert _signed_in(city_admin).get(own).status_code == 404
    assert TOTPDevice.objects.filter(user=colleague).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ADMIN).exists()


# --- where to find it ----------------------------------------------------------------


def test_the_admin_account_page_leads_to_the_devices(city_admin):
    page = _signed_in(city_admin).get("/admin/account/")
    assert page.status_code == 200
    assert f'href="{reverse("two_factor_devices")}"' in page.content.decode()


def test_the_admin_user_list_offers_the_reset_to_a_superuser(staff_user, django_user_model):
    root = django_user_model.objects.create_superuser("root", password=PASSWORD)
    listing = _signed_in(root).get("/admin/users/").content.decode()
    assert reverse("two_factor_reset", args=[staff_user.pk]) in listing
    assert reverse("two_factor_reset", args=[root.pk]) not in listing  # not one's own
