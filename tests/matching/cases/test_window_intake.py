"""The window's one-screen intake: household members inline, the street
pre-filled, an error summary that loses nothing, the ID number checked
before saving, and the applicant's receipt as PDF."""

import datetime as dt
import io

import pytest
from case_factories import PASSWORD, case, id_number, staff
from pypdf import PdfReader

from matching.audit.models import AuditEntry
from matching.cases.models import Case, Member
from matching.directory.models import Role

pytestmark = pytest.mark.django_db

URL = "/admin/cases/window/"
APPLICANT = id_number(born=dt.date(1966, 1, 9))
SPOUSE = id_number(born=dt.date(1968, 5, 2), male=False)
SON = id_number(born=dt.date(1992, 11, 30))
GRANDDAUGHTER = id_number(born=dt.date(2016, 4, 18), male=False)


def clerk(client, places, role=Role.STREET_STAFF, place="hongqi"):
    user = staff(places[place], role)
    assert client.login(username=user.username, password=PASSWORD)
    return user


def application(places, members=(), **changes):
    data = {
        "name": "赵春生",
        "id_number": APPLICANT,
        "phone": "13504310088",
        "jurisdiction": places["hongqi"].code,
        "address": "红旗街道某小区 2 栋",
        "categories": ["medical"],
        "help_forms": ["material"],
        "urgency": "normal",
        "description": "突发脑梗住院，医疗费用难以负担。",
        "title": "突发重病医疗救助",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
    }
    for index, member in enumerate(members):
        data.update({f"members-{index}-{key}": value for key, value in member.items()})
    data.update(changes)
    return data


THREE = [
    {"name": "钱桂芝", "id_number": SPOUSE, "relation": "spouse", "phone": ""},
    {"name": "赵小军", "id_number": SON, "relation": "child", "phone": "13604310022"},
    {"name": "赵雨桐", "id_number": GRANDDAUGHTER, "relation": "grandchild", "phone": ""},
]


def test_the_street_is_prefilled_and_required_fields_are_marked(client, places):
    clerk(client, places)
    page = client.get(URL).text
    assert f'<option value="{places["hongqi"].code}" selected>' in page
    assert 'name="name"' in page and "required" in page
    assert page.count('class="w-required-mark"') >= 8  # every required field, before submitting
    assert 'data-testid="error-summary"' not in page


def test_an_applicant_and_three_members_are_taken_in_one_submission(client, places):
    clerk(client, places)
    response = client.post(URL, application(places, THREE, next_action="next"))
    assert response.status_code == 302 and response.url == URL  # ready for the next applicant
    opened = Case.objects.get()
    members = {m.name: m for m in opened.household.members.all()}
    assert set(members) == {"赵春生", "钱桂芝", "赵小军", "赵雨桐"}
    assert members["赵春生"].relation == Member.Relation.SELF
    assert members["赵雨桐"].relation == Member.Relation.GRANDCHILD
    assert members["钱桂芝"].sex == "female" and members["赵小军"].birth_date == dt.date(
        1992, 11, 30
    )

    following = client.get(URL).text
    assert opened.receipt_number in following  # the success message
    assert f"/admin/cases/case/{opened.pk}/receipt.pdf" in following


def test_a_bad_submission_shows_a_summary_and_keeps_everything_typed(client, places):
    clerk(client, places)
    bad_member = [*THREE[:2], {**THREE[2], "id_number": GRANDDAUGHTER[:-1] + "0"}]
    data = application(places, bad_member, phone="12345", description="")
    response = client.post(URL, data)
    assert response.status_code == 200 and not Case.objects.exists()
    page = response.text
    start = page.index('data-testid="error-summary"')
    summary = page[start : page.index("</ul>", start)]
    assert "有 3 处需要修改" in summary
    assert 'href="#id_phone"' in summary and 'href="#id_description"' in summary
    assert 'href="#id_members-2-id_number"' in summary and "第 3 位家庭成员" in summary
    assert "身份证号码校验位不正确" in summary
    # What was typed is still there, members included.
    for typed in ("赵春生", "红旗街道某小区 2 栋", "钱桂芝", "赵小军", SON, "赵雨桐"):
        assert typed in page


def test_the_same_number_twice_in_one_household_is_refused(client, places):
    clerk(client, places)
    twice = [{**THREE[0], "id_number": APPLICANT}]
    page = client.post(URL, application(places, twice)).text
    assert "该身份证号码在本次登记中重复。" in page and not Case.objects.exists()


def test_an_existing_application_is_found_before_saving(client, places):
    earlier = case(
        places["nanling"],
        members=[{"name": "赵春生", "id_number": APPLICANT, "relation": "self", "phone": ""}],
    )
    clerk(client, places)

    check = client.post("/admin/cases/window/id-check/", {"id_number": APPLICANT}).json()
    assert check["valid"] and check["age"] >= 58 and check["sex"] == "男"
    [hit] = check["existing"]
    assert hit["place"] == "南岭街道" and hit["open"]
    assert hit["receipt_number"] == "" and hit["url"] == ""  # another district's case: no link
    assert APPLICANT not in str(check) and hit["id_number"].startswith("2201")
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ_PERSONAL_DATA, object_id=str(earlier.pk)
    ).exists()  # learning that someone applied is a read of their data

    response = client.post(URL, application(places))
    assert response.status_code == 200 and Case.objects.count() == 1  # not saved yet
    assert 'data-testid="existing-applications"' in response.text
    assert "南岭街道" in response.text and earlier.receipt_number not in response.text

    saved = client.post(URL, application(places, duplicate_ack="on"))
    assert saved.status_code == 302 and Case.objects.count() == 2


def test_a_clerk_who_may_open_the_existing_case_gets_its_link(client, places):
    earlier = case(
        places["hongqi"],
        members=[{"name": "赵春生", "id_number": APPLICANT, "relation": "self", "phone": ""}],
    )
    clerk(client, places)
    [hit] = client.post("/admin/cases/window/id-check/", {"id_number": APPLICANT}).json()[
        "existing"
    ]
    assert hit["receipt_number"] == earlier.receipt_number
    assert hit["url"] == f"/admin/cases/case/{earlier.pk}/"


def test_the_id_check_explains_a_bad_number_and_is_for_staff_only(client, places):
    clerk(client, places)
    answer = client.post("/admin/cases/window/id-check/", {"id_number": "22010419660109"}).json()
    assert answer == {"valid": False, "error": "身份证号码应为 18 位。"}
    client.logout()
    refused = client.post("/admin/cases/window/id-check/", {"id_number": APPLICANT})
    assert refused.status_code in (302, 403)
    assert client.get("/admin/cases/window/id-check/").status_code in (302, 405)


def test_the_receipt_pdf_tells_the_applicant_what_they_need(client, places):
    clerk(client, places)
    client.post(URL, application(places, THREE))
    opened = Case.objects.get()
    response = client.get(f"/admin/cases/case/{opened.pk}/receipt.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert opened.receipt_number in compact
    assert "赵春生" in compact and APPLICANT not in compact
    assert APPLICANT[:4] + "*" * 10 + APPLICANT[-4:] in compact
    assert "医疗救助" in compact and "4人" in compact
    assert "手机号后四位" in compact and "/apply/status/" in compact
    assert "首次响应时限" in compact


def test_another_district_cannot_print_the_receipt(client, places):
    clerk(client, places)
    client.post(URL, application(places))
    opened = Case.objects.get()
    client.logout()
    clerk(client, places, Role.DISTRICT_STAFF, place="nanguan")
    refused = client.get(f"/admin/cases/case/{opened.pk}/receipt.pdf")
    assert refused.status_code in (302, 403) and refused["Content-Type"] != "application/pdf"
