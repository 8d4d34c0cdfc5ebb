"""The demo's publicity piece: disclosed dishonesty records of invented
organizations (one in force, one under appeal, one expired), and — through the
``demo_seeded`` signal the CMS listens to — the policies and the notice in
Chinese and English. Running it twice changes nothing."""

import pytest

from matching.demo.city import seed_directory
from matching.demo.publicity import seed_publicity
from matching.demo.signals import demo_seeded
from matching.directory.models import DishonestyRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_directory(seed=2026)
    for _ in range(2):
        seed_publicity()
        demo_seeded.send(sender=None, seed=2026)


def test_the_demo_discloses_two_organizations_and_not_the_expired_one(client, seeded):
    assert DishonestyRecord.objects.count() == 3
    html = client.get("/dishonesty/").content.decode()
    assert html.count('data-testid="dishonesty-record"') == 2
    assert "长春市晴川公益中心（演示）" in html and "申诉审查中" in html
    assert "长春市旧岁慈善服务站（演示）" not in html


def test_the_demo_policies_and_notice_exist_in_both_languages(client, seeded):
    html = client.get("/policies/").content.decode()
    assert html.count('data-testid="policy-card"') == 2
    assert "城市每人每月 760 元" in html
    client.cookies["django_language"] = "en"
    html = client.get("/policies/subsistence-standard-2026/").content.decode()
    assert "Urban: 760 yuan per person per month" in html
    html = client.get("/notices/").content.decode()
    assert html.count('data-testid="notice-item"') == 1
    assert "starts its trial run" in html
