"""In Chromium: apply in Chinese, get a receipt number, follow the status."""

import datetime as dt

import pytest
from case_factories import city_tree, id_number

# serialized_rollback puts back what migrations created (Wagtail's site and
# pages, groups) after the live-server test truncates every table.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_apply_in_chinese_then_follow_the_status(page, live_server):
    places = city_tree()
    page.goto(f"{live_server.url}/apply/")
    assert page.locator("h1").inner_text() == "网上申请社会救助"

    page.get_by_label("申请人姓名").fill("孙玉梅")
    page.get_by_label("身份证号码").fill(id_number(born=dt.date(1969, 11, 3), male=False))
    page.get_by_label("联系电话").fill("13904315566")
    page.get_by_label("所在街道(乡镇)").select_option(places["hongqi"].code)
    page.get_by_label("家庭住址").fill("长春市朝阳区红旗街道某小区 9 栋 2 单元 401")
    page.get_by_label("医疗救助").check()
    page.get_by_label("物质保障").check()
    page.get_by_label("紧急（救急难）").check()
    page.get_by_label("困难情况说明").fill("女儿突发白血病住院，医疗费用无力承担。")
    page.get_by_label("本人承诺所填信息真实有效，同意民政部门依法核对家庭经济状况。").check()
    page.get_by_test_id("apply-submit").click()

    receipt = page.get_by_test_id("receipt-number").inner_text()
    assert receipt.startswith("CC") and len(receipt) == 16

    page.get_by_test_id("follow-status").click()
    page.get_by_label("受理编号").fill(receipt)
    page.get_by_label("联系电话后四位").fill("5566")
    page.get_by_test_id("status-submit").click()
    assert page.get_by_test_id("status-label").inner_text() == "已受理"
    assert "孙玉梅" not in page.content()
