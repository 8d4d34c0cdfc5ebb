"""In Chromium, at 390 px and 1366 px, in Chinese and in English: a policy page,
the implementation figures and the dishonesty disclosure pass axe-core, say
what they say in the page's language, and are kept as screenshots."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Locale

from cms.demo import STANDARD_POLICY, policy_add
from cms.publicity import PolicyIndexPage
from matching.directory.models import Organization, Role
from matching.governance.services import dishonesty_record_decide
from tests.browser_kit import assert_accessible, new_page, shoot
from tests.cms.public_site import chinese_outside_marked_spots
from tests.matching.supervision import supervision_factories as sf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# Latin words in a Chinese page's main content (district romanisations, labels left
# untranslated); digits, yuan signs and codes such as "MJY" are fine.
ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")


@pytest.fixture(autouse=True)
def _fresh_content_types():
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def publicity():
    """Six applications in Chaoyang this month (published), one in Nanguan
    (withheld), an organization under a record, and the demo standard."""
    cache.clear()
    places = sf.city_tree()
    now = timezone.now()
    for hours in range(1, 7):
        sf.case(places["hongqi"], opened=now - dt.timedelta(hours=hours))
    sf.case(places["nanling"], opened=now - dt.timedelta(hours=1))
    staff = sf.user(Role.CITY_STAFF, places["city"])
    organization = Organization.objects.create(
        name="长春市晴川公益中心", kind="charity", jurisdiction=places["chaoyang"]
    )
    today = timezone.localdate()
    dishonesty_record_decide(
        actor=staff,
        organization=organization,
        reason="挪用定向捐赠款",
        evidence="检查报告",
        decision="列入失信名单一年",
        starts=today - dt.timedelta(days=3),
        ends=today + dt.timedelta(days=300),
    )
    index = PolicyIndexPage.objects.get(locale=Locale.get_default())
    policy = policy_add(index, STANDARD_POLICY)
    period = f"{timezone.localdate():%Y-%m}"
    yield {
        "policy": f"/policies/{policy.slug}/",
        "figures": f"/figures/?period={period}",
        "dishonesty": "/dishonesty/",
    }
    cache.clear()


def _visit(page, url, name, language):
    page.goto(url)
    assert page.locator("h1").count() == 1, name
    assert_accessible(page)
    shoot(page, f"publicity-{name}-{language}")
    return page.locator("main").inner_text()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_publicity_pages_in_chinese(live_server, browser, publicity, size):
    page = new_page(browser, size)
    for name, path in publicity.items():
        text = _visit(page, live_server.url + path, name, "zh")
        assert ENGLISH_WORD.findall(text) == [], name
    page.goto(live_server.url + publicity["figures"])
    assert (
        page.get_by_test_id("district-220104").locator('[data-cell="applications"]').inner_text()
        == "6"
    )
    assert (
        page.get_by_test_id("district-220102").locator('[data-cell="applications"]').inner_text()
        == "少于5"
    )
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_publicity_pages_in_english(live_server, browser, publicity, size):
    page = new_page(browser, size, locale="en-GB")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    for name, path in publicity.items():
        _visit(page, live_server.url + path, name, "en")
        assert page.locator("html").get_attribute("lang") == "en"
        assert chinese_outside_marked_spots(page.content()) == [], name
    page.goto(live_server.url + publicity["figures"])
    nanguan = page.get_by_test_id("district-220102")
    assert "Nanguan" in nanguan.inner_text()
    assert nanguan.locator('[data-cell="applications"]').inner_text() == "fewer than 5"
    page.goto(live_server.url + publicity["dishonesty"])
    assert (
        page.get_by_test_id("dishonesty-record").locator('[lang="zh-hans"]').first.inner_text()
        == "长春市晴川公益中心"
    )
    page.context.close()
