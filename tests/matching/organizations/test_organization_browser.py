"""In Chromium, on a phone: an organization registers, confirms its e-mail,
is asked for more by staff, answers, is verified, posts a project that staff
approve through the workflow, receives a proposal and accepts it. Staff act
through the service layer (their screens have their own HTTP tests); every
page the organization sees passes axe-core."""

import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from matching.offers.models import MatchStatus, Project
from matching.offers.services import matches_propose
from matching.organizations import services
from matching.organizations.models import Vetting
from tests.browser_kit import assert_accessible, new_page, shoot
from tests.matching.organizations import org_factories as of
from tests.matching.publication import publication_factories as pf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # As in the giving journey: a transactional test before this one may have
    # re-created the content types under new ids.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def phone(browser):
    page = new_page(browser, "phone", "zh-CN")
    yield page
    page.context.close()


def _register(page, base, places, code):
    page.goto(f"{base}/join/organization/")
    assert_accessible(page)
    page.get_by_label("组织名称").fill("朝阳区温暖社工服务中心")
    page.get_by_label("统一社会信用代码").fill(code)
    page.get_by_label("组织类别").select_option(label="社会工作服务机构")
    page.get_by_label("登记管理机关所在地").select_option(label="朝阳区")
    page.get_by_label("登记证书").set_input_files(
        files=[{"name": "证书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 cert"}]
    )
    page.get_by_label("联系人姓名").fill("赵联络")
    page.get_by_label("联系人手机").fill("13904315566")
    page.get_by_label("联系人电子邮箱").fill("contact@wennuan.example.cn")
    page.get_by_label("管理员姓名").fill("钱管理")
    page.get_by_label("管理员电子邮箱").fill("admin@wennuan.example.cn")
    page.locator("#id_password").fill(of.PASSWORD)
    page.get_by_label("再次输入密码").fill(of.PASSWORD)
    shoot(page, "organization-join")
    page.get_by_test_id("join-submit").click()
    page.get_by_test_id("join-done").wait_for()
    assert_accessible(page)


def test_an_organization_registers_is_vetted_posts_a_project_and_accepts_a_proposal(
    live_server, phone, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    places = pf.places()
    reviewer = pf.staff(places["chaoyang"])
    page, base = phone, live_server.url
    code = of.credit_code()

    _register(page, base, places, code)
    link = re.search(r"/join/organization/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(base + link)
    assert_accessible(page)
    page.get_by_test_id("confirm-email").click()
    assert page.get_by_test_id("vetting-status").inner_text().strip() == "待审核"
    assert_accessible(page)

    vetting = Vetting.objects.get(organization__credit_code=code)
    services.vetting_decide(
        vetting=vetting, actor=reviewer, decision="ask_more", reason="请补充年检报告。"
    )
    page.reload()
    assert "请补充年检报告。" in page.get_by_test_id("vetting-reason").inner_text()
    page.get_by_label("补充说明").fill("已上传 2025 年度年检报告。")
    assert_accessible(page)
    shoot(page, "organization-asked-for-more")
    page.get_by_test_id("answer-submit").click()
    assert page.get_by_test_id("vetting-status").inner_text().strip() == "待审核"

    services.vetting_decide(vetting=vetting, actor=reviewer, decision="verify")
    page.reload()
    assert page.get_by_test_id("vetting-status").inner_text().strip() == "已核验"
    page.get_by_test_id("project-new").click()
    page.get_by_label("项目名称").fill("困难家庭冬季取暖补贴")
    page.get_by_label("项目介绍").fill("为低保家庭提供冬季取暖费补贴。")
    page.get_by_label("临时救助").check()
    page.get_by_label("物质保障").check()
    page.get_by_label("朝阳区").check()
    page.get_by_label("单户上限（元）").fill("2000")
    assert_accessible(page)
    page.get_by_test_id("workspace-submit").click()
    assert "审核中" in page.get_by_test_id("projects").inner_text()

    project = Project.objects.get(title="困难家庭冬季取暖补贴")
    task_state = project.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    project.refresh_from_db()
    assert project.live

    case = pf.approved_case(places["hongqi"], categories=("temporary",), names=("孙桂芝",))
    (match,) = matches_propose(
        need=case,
        proposals=[
            {"type": "project", "offer": f"project-{project.pk}", "score": 0.9, "reasons": []}
        ],
    )
    page.reload()
    proposal = page.get_by_test_id(f"proposal-{match.pk}")
    assert "孙桂芝" not in proposal.inner_text()
    assert_accessible(page)
    shoot(page, "organization-workspace")
    proposal.get_by_label("接受").check()
    page.get_by_test_id(f"respond-submit-{match.pk}").click()
    assert (
        page.get_by_test_id(f"proposal-{match.pk}").get_by_test_id("proposal-status").inner_text()
        == "资源方已接受"
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED
