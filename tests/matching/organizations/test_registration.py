"""/join/organization/: registration with a valid, new credit code and a
certificate of an accepted type and size; the administrator confirms the
e-mail by a signed, expiring link; the organization starts unverified."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.urls import reverse

from matching.directory.models import Organization
from matching.organizations.models import Vetting, VettingEvent
from tests.matching.organizations import org_factories as of

pytestmark = pytest.mark.django_db
JOIN = "/join/organization/"


def _post(client, data, certificate=None):
    files = {"certificate": certificate if certificate is not None else of.pdf()}
    return client.post(JOIN, {**data, **files})


def test_the_form_page_is_in_chinese_with_every_section(client, places):
    page = client.get(JOIN)
    assert page.status_code == 200
    for text in ("社会组织注册", "统一社会信用代码", "登记证书", "联系人", "管理员账户"):
        assert text in page.text


def test_a_registration_creates_an_unverified_organization_and_mails_a_link(
    client, places, django_capture_on_commit_callbacks
):
    data = of.form_data(places["chaoyang"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("join_organization_done")

    organization = Organization.objects.get(credit_code=data["credit_code"])
    assert organization.verified is False
    vetting = organization.vetting
    assert vetting.status == Vetting.Status.SUBMITTED
    assert vetting.contact_phone == "13904315566"
    assert list(vetting.events.values_list("action", flat=True)) == [VettingEvent.Action.SUBMITTED]
    admin = get_user_model().objects.get(username=data["admin_email"])
    assert admin.is_active is False
    assert admin.profile.organization == organization

    (message,) = mail.outbox
    assert message.to == [data["admin_email"]]
    link = re.search(r"http\S+/join/organization/confirm/\S+/", message.body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else link
    assert "赵联络" not in message.body and "13904315566" not in message.body

    assert "确认并启用账户" in client.get(path).text
    confirmed = client.post(path)
    assert confirmed["Location"] == reverse("organization_home")
    admin.refresh_from_db()
    assert admin.is_active
    home = client.get(reverse("organization_home")).text
    assert "待审核" in home and data["name"] in home


def test_the_contact_person_is_encrypted_at_rest(client, places):
    data = of.form_data(places["chaoyang"])
    _post(client, data)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_phone, contact_email FROM organizations_vetting"
        )
        stored = " ".join(cursor.fetchone())
    assert "赵联络" not in stored and "13904315566" not in stored and "wennuan" not in stored


def test_the_certificate_is_private(client, places, settings):
    data = of.form_data(places["chaoyang"])
    _post(client, data)
    vetting = Vetting.objects.get()
    path = vetting.certificate.path
    assert str(settings.PRIVATE_MEDIA_ROOT) in path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert vetting.certificate.storage.base_url is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91220104MA0000000X", "统一社会信用代码无效"),
        ("12345", "统一社会信用代码无效"),
    ],
)
def test_a_bad_credit_code_is_refused_and_nothing_saved(client, places, code, message):
    response = _post(client, of.form_data(places["chaoyang"], credit_code=code))
    assert response.status_code == 422
    assert message in response.text
    assert 'data-testid="form-errors"' in response.text
    assert not Organization.objects.exists()
    assert not mail.outbox


def test_a_credit_code_already_registered_is_refused(client, places):
    first = of.form_data(places["chaoyang"])
    _post(client, first)
    again = of.form_data(places["chaoyang"], credit_code=first["credit_code"].lower())
    response = _post(client, again)
    assert response.status_code == 422
    assert "该统一社会信用代码已注册" in response.text
    assert Organization.objects.count() == 1
    assert not get_user_model().objects.filter(username=again["admin_email"]).exists()


def test_an_oversized_certificate_is_refused(client, places, settings):
    settings.ORGANIZATION_CERTIFICATE_MAX_BYTES = 1024
    response = _post(client, of.form_data(places["chaoyang"]), of.pdf(size=2048))
    assert response.status_code == 422
    assert "文件过大：最大 1.0 KB，此文件 2.0 KB。" in response.text
    assert not Organization.objects.exists()


def test_a_certificate_of_another_type_is_refused_whatever_its_name(client, places):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = _post(client, of.form_data(places["chaoyang"]), fake)
    assert response.status_code == 422
    assert "文件类型不符：只接受 PDF、JPEG、PNG 文件。" in response.text
    assert not Organization.objects.exists()


def test_mismatched_passwords_and_a_bad_phone_are_shown_on_their_fields(client, places):
    data = of.form_data(
        places["chaoyang"], password_again="something-else-2026", contact_phone="12345"
    )
    response = _post(client, data)
    assert response.status_code == 422
    assert "两次输入的密码不一致。" in response.text
    assert not Organization.objects.exists()


def test_an_expired_or_forged_link_is_refused(client, places, settings):
    from matching.organizations.services import confirmation_token

    _organization, user = of.registered(places["chaoyang"], active=False)
    token = confirmation_token(user)
    settings.ORGANIZATION_CONFIRM_MAX_AGE = -1
    response = client.post(reverse("join_organization_confirm", args=[token]))
    assert response.status_code == 200
    assert "确认链接已过期" in response.text
    user.refresh_from_db()
    assert not user.is_active

    settings.ORGANIZATION_CONFIRM_MAX_AGE = 3600
    response = client.post(reverse("join_organization_confirm", args=[token + "x"]))
    assert "确认链接无效。" in response.text


def test_the_english_page_is_in_english(client, places):
    client.cookies["django_language"] = "en"
    page = client.get(JOIN, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Register an organization" in page
    assert "社会组织注册" not in page


def test_registrations_are_rate_limited_per_address(client, places, settings):
    settings.ORGANIZATION_REGISTER_RATE = "1/h"
    _post(client, of.form_data(places["chaoyang"], credit_code="bad"))
    response = _post(client, of.form_data(places["chaoyang"]))
    assert response.status_code == 429
    assert "提交过于频繁，请稍后再试。" in response.text
    assert not Organization.objects.exists()
