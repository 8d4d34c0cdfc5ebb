"""The publicity pages as a visitor reads them (docs/publicity.md): the figures
withhold small numbers in both languages, a bad period gets a message, and the
dishonesty disclosure names organizations in force only — never an applicant."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from cms.publicity import period_choices
from matching.directory.models import Organization, Role
from matching.governance.services import (
    dishonesty_record_appeal,
    dishonesty_record_decide,
    dishonesty_record_decide_appeal,
)
from tests.matching.supervision import supervision_factories as sf

pytestmark = pytest.mark.django_db
APPLICANT_ID = "220104198503120011"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places():
    return sf.city_tree()


def district_cells(html, code):
    row = re.search(rf'data-testid="district-{code}">(.*?)</tr>', html, re.S).group(1)
    return {
        name: re.sub(r"<[^>]+>", "", text).strip()
        for name, text in re.findall(r'data-cell="([\w-]+)">(.*?)</td>', row, re.S)
    }


def this_month():
    return period_choices(timezone.localdate())[0][0]


def test_a_district_with_three_cases_shows_fewer_than_five_never_three(client, places):
    now = timezone.now()
    for hours in (1, 2, 3):
        sf.case(places["nanling"], opened=now - dt.timedelta(hours=hours))
    html = client.get("/figures/", {"period": this_month()}).content.decode()
    cells = district_cells(html, "220102")
    assert cells["applications"] == "少于5"
    assert "3" not in cells.values()
    assert district_cells(html, "220104")["applications"] == "0"
    client.cookies["django_language"] = "en"
    html = client.get("/figures/", {"period": this_month()}).content.decode()
    assert district_cells(html, "220102")["applications"] == "fewer than 5"
    assert "Nanguan" in html
    # The Chinese visitor's cached figures are not served to the English one.
    assert "Medical assistance" in html and "医疗救助" not in html


def test_an_unknown_period_gets_a_message_and_last_months_figures(client, places):
    response = client.get("/figures/", {"period": "2019-13"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="period-error"' in html and "请从列表中选择统计期间" in html
    last_month = period_choices(timezone.localdate())[1][1]
    assert str(last_month) in html


def test_figures_are_cached_for_the_period(client, places):
    client.get("/figures/", {"period": this_month()})
    sf.case(places["nanling"], opened=timezone.now() - dt.timedelta(hours=1))
    html = client.get("/figures/", {"period": this_month()}).content.decode()
    assert district_cells(html, "220102")["applications"] == "0"  # the cached figures
    cache.clear()
    html = client.get("/figures/", {"period": this_month()}).content.decode()
    assert district_cells(html, "220102")["applications"] == "少于5"


@pytest.fixture
def records(places):
    staff = sf.user(Role.CITY_STAFF, places["city"])
    today = timezone.localdate()

    def organization(name, code):
        return Organization.objects.create(
            name=name, kind="charity", jurisdiction=places["chaoyang"], credit_code=code
        )

    def decide(subject=None, start=-10, end=100, **kwargs):
        return dishonesty_record_decide(
            actor=staff,
            organization=subject,
            reason="挪用定向捐赠款",
            evidence="检查报告",
            decision="列入失信名单一年",
            starts=today + dt.timedelta(days=start),
            ends=today + dt.timedelta(days=end),
            **kwargs,
        )

    in_force = decide(organization("长春市在册失信服务中心", "52220104MJY000017"))
    appealed = decide(organization("长春市申诉中互助会", ""))
    dishonesty_record_appeal(actor=staff, record=appealed, reason="申请复核")
    expired = decide(organization("长春市已期满服务站", ""), start=-400, end=-1)
    overturned = decide(organization("长春市已撤销服务社", ""))
    dishonesty_record_appeal(actor=staff, record=overturned, reason="申请复核")
    dishonesty_record_decide_appeal(record=overturned, actor=staff, overturn=True, note="证据不足")
    future = decide(organization("长春市未生效协会", ""), start=5, end=50)
    applicant = decide(applicant_id_number=APPLICANT_ID)
    return {
        "in_force": in_force,
        "appealed": appealed,
        "hidden": [expired, overturned, future, applicant],
    }


def test_disclosure_shows_organizations_in_force_with_their_appeal_state(client, records):
    html = client.get("/dishonesty/").content.decode()
    assert html.count('data-testid="dishonesty-record"') == 2
    assert "长春市在册失信服务中心" in html and "52220104MJY000017" in html
    assert "挪用定向捐赠款" in html and "列入失信名单一年" in html
    assert "长春市申诉中互助会" in html and "申诉审查中" in html
    for hidden in ("长春市已期满服务站", "长春市已撤销服务社", "长春市未生效协会"):
        assert hidden not in html


def test_no_applicant_record_is_ever_disclosed(client, records):
    html = client.get("/dishonesty/").content.decode()
    start = html.index('data-testid="dishonesty-list"')
    listing = html[start : html.index("</ul>", start)]
    assert listing.count('data-testid="dishonesty-record"') == 2
    assert "救助申请人" not in listing  # the subject kind's label
    assert APPLICANT_ID not in html and APPLICANT_ID[-4:] not in html
    assert records["hidden"][-1].applicant_id_index not in html
