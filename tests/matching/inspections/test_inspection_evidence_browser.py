"""In Chromium, on a phone and a desktop: the inspected street's staff submit
rectification evidence with a PDF, and the inspector accepts it."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from inspection_factories import PASSWORD, PDF_BYTES, city_tree, finding, inspection, user

from matching.directory.models import Role
from matching.inspections.models import Finding
from tests.browser_kit import new_page, serious_violations, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _fresh_content_types(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


def _login(browser, size, live_server, account):
    page = new_page(browser, size)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", account.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_unit_submits_evidence_and_the_inspector_accepts_it(browser, live_server, size):
    places = city_tree()
    inspector = user(Role.INSPECTOR, places["city"])
    street = user(Role.STREET_STAFF, places["hongqi"])
    found = finding(inspection(places, [inspector]), inspector, unit=places["hongqi"])
    url = f"{live_server.url}/admin/inspections/findings/{found.pk}/"

    page = _login(browser, size, live_server, street)
    page.goto(url)
    assert page.get_by_test_id("finding-status").inner_text() == "待整改"
    page.get_by_label("整改情况说明").fill("已补齐公示并建立公示台账。")
    page.get_by_label("附件（PDF、JPEG 或 PNG）").set_input_files(
        files=[{"name": "公示.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    shoot(page, "inspection-evidence-form")
    assert serious_violations(page) == []
    page.get_by_test_id("evidence-submit").click()
    assert page.get_by_test_id("finding-status").inner_text() == "整改待审核"
    assert page.get_by_test_id("evidence-form").count() == 0
    page.context.close()

    page = _login(browser, size, live_server, inspector)
    page.goto(url)
    assert "已补齐公示并建立公示台账。" in page.get_by_test_id("evidence-list").inner_text()
    page.get_by_label("认可整改").check()
    shoot(page, "inspection-evidence-review")
    assert serious_violations(page) == []
    page.get_by_test_id("review-submit").click()
    assert page.get_by_test_id("finding-status").inner_text() == "已整改"
    shoot(page, "inspection-rectified")
    page.context.close()
    assert Finding.objects.get(pk=found.pk).status == Finding.Status.RECTIFIED
