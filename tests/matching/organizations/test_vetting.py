"""Staff vet an organization: verify, ask for more (the organization reads the
reason, answers and submits again) or refuse (a reason) — each step recorded
with actor, time and reason; verification expires and is renewed."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matching.audit.models import AuditEntry
from matching.organizations import services
from matching.organizations.models import Vetting, VettingEvent
from tests.matching.organizations import org_factories as of
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(places):
    return of.registered(places["chaoyang"])


def _decide(client, vetting, decision, reason=""):
    return client.post(
        reverse("organizations_vetting_decide", args=[vetting.pk]),
        {"decision": decision, "reason": reason},
    )


def test_staff_see_the_queue_the_file_and_the_certificate(client, reviewer, registered):
    organization, _admin = registered
    client.force_login(reviewer)
    listing = client.get(reverse("organizations_vetting:index")).text
    assert organization.name in listing and "待审核" in listing
    vetting = organization.vetting
    page = client.get(reverse("organizations_vetting_decide", args=[vetting.pk])).text
    assert "赵联络" in page and organization.credit_code in page
    certificate = client.get(reverse("organizations_certificate", args=[vetting.pk]))
    assert certificate["Content-Type"] == "application/pdf"
    assert b"".join(certificate.streaming_content).startswith(b"%PDF-")
    reads = AuditEntry.objects.filter(
        action=AuditEntry.Action.READ_PERSONAL_DATA, object_id=str(vetting.pk)
    )
    assert reads.count() == 2


def test_another_districts_staff_and_the_public_cannot_reach_the_file(client, places, registered):
    organization, admin = registered
    vetting = organization.vetting
    for url in (
        reverse("organizations_vetting_decide", args=[vetting.pk]),
        reverse("organizations_certificate", args=[vetting.pk]),
    ):
        client.force_login(pf.staff(places["nanguan"]))
        assert client.get(url).status_code == 404
        client.force_login(admin)
        assert client.get(url).status_code in (302, 403)
        client.logout()
        assert client.get(url).status_code == 302
    client.force_login(pf.staff(places["nanguan"]))
    assert organization.name not in client.get(reverse("organizations_vetting:index")).text


def test_ask_for_more_needs_a_reason_the_organization_reads_and_answers(
    client, reviewer, registered, django_capture_on_commit_callbacks
):
    organization, admin = registered
    vetting = organization.vetting
    client.force_login(reviewer)
    refused = _decide(client, vetting, "ask_more", "  ")
    assert refused.status_code == 422
    assert "要求补充材料或不予核验时必须填写理由。" in refused.text
    with django_capture_on_commit_callbacks(execute=True):
        _decide(client, vetting, "ask_more", "请补充最近一年的年检报告。")
    vetting.refresh_from_db()
    assert vetting.status == Vetting.Status.MORE_REQUESTED
    assert "请补充最近一年的年检报告。" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [admin.email]

    client.force_login(admin)
    home = client.get(reverse("organization_home")).text
    assert "待补充材料" in home and "请补充最近一年的年检报告。" in home
    empty = client.post(reverse("organization_answer"), {"answer": ""}, follow=True)
    assert "补充说明：必需字段" in empty.text
    client.post(
        reverse("organization_answer"),
        {"answer": "已上传 2025 年度年检报告。", "certificate": of.pdf("annual.pdf")},
    )
    vetting.refresh_from_db()
    assert vetting.status == Vetting.Status.SUBMITTED
    assert vetting.answer == "已上传 2025 年度年检报告。"

    client.force_login(reviewer)
    page = client.get(reverse("organizations_vetting_decide", args=[vetting.pk])).text
    assert "已上传 2025 年度年检报告。" in page
    _decide(client, vetting, "verify")
    vetting.refresh_from_db()
    organization.refresh_from_db()
    assert vetting.status == Vetting.Status.VERIFIED and organization.verified
    assert vetting.verified_until == timezone.localdate() + dt.timedelta(days=365)

    steps = [(e.action, e.actor, e.reason) for e in vetting.events.all()]
    assert steps == [
        (VettingEvent.Action.SUBMITTED, None, ""),
        (VettingEvent.Action.MORE_REQUESTED, reviewer, "请补充最近一年的年检报告。"),
        (VettingEvent.Action.ANSWERED, admin, "已上传 2025 年度年检报告。"),
        (VettingEvent.Action.VERIFIED, reviewer, ""),
    ]
    audited = AuditEntry.objects.filter(
        object_type="organizations.vetting", action=AuditEntry.Action.TRANSITION
    )
    assert audited.filter(actor=reviewer).count() == 2


def test_a_refusal_with_its_reason_is_final(client, reviewer, registered):
    organization, admin = registered
    client.force_login(reviewer)
    _decide(client, organization.vetting, "refuse", "登记证书与名称不符。")
    client.force_login(admin)
    home = client.get(reverse("organization_home")).text
    assert "未通过" in home and "登记证书与名称不符。" in home
    assert 'data-testid="answer-form"' not in home
    client.force_login(reviewer)
    again = _decide(client, organization.vetting, "verify")
    assert again.status_code == 422
    assert "核验当前为“未通过”，不能变为“已核验”。" in again.text
    organization.refresh_from_db()
    assert not organization.verified


def test_only_the_organizations_admin_answers(places, registered):
    organization, _admin = registered
    _other, other_admin = of.registered(places["chaoyang"])
    services.vetting_decide(
        vetting=organization.vetting,
        actor=pf.staff(places["chaoyang"]),
        decision="ask_more",
        reason="补充",
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.vetting_answer(vetting=organization.vetting, actor=other_admin, answer="冒名")


def test_verification_expires_and_is_renewed(
    client, places, reviewer, registered, settings, django_capture_on_commit_callbacks
):
    organization, admin = registered
    services.vetting_decide(vetting=organization.vetting, actor=reviewer, decision="verify")
    today = timezone.localdate()
    vetting = Vetting.objects.get(organization=organization)
    vetting.verified_until = today + dt.timedelta(days=10)
    vetting.save()

    with django_capture_on_commit_callbacks(execute=True):
        reminded, expired = services.verifications_expire(today=today)
    assert (len(reminded), len(expired)) == (1, 0)
    assert mail.outbox[-1].subject == "您的组织核验即将到期"
    client.force_login(admin)
    assert 'data-testid="renew-form"' in client.get(reverse("organization_home")).text

    with django_capture_on_commit_callbacks(execute=True):
        reminded, expired = services.verifications_expire(today=today + dt.timedelta(days=11))
    assert (len(reminded), len(expired)) == (0, 1)
    organization.refresh_from_db()
    vetting.refresh_from_db()
    assert not organization.verified
    assert vetting.status == Vetting.Status.EXPIRED
    assert "核验已于" in mail.outbox[-1].body
    assert services.verifications_expire(today=today + dt.timedelta(days=12)) == ([], [])

    client.post(reverse("organization_renew"), {})
    vetting.refresh_from_db()
    assert vetting.status == Vetting.Status.SUBMITTED
    services.vetting_decide(vetting=vetting, actor=reviewer, decision="verify")
    organization.refresh_from_db()
    assert organization.verified


def test_the_scheduler_runs_the_expiry_and_reporting_jobs():
    from django.conf import settings
    from django.utils.module_loading import import_string

    for name in ("organization_verifications", "organization_reporting_duty"):
        job = settings.SCHEDULER_JOBS[name]
        assert callable(import_string(job["task"]).call)
