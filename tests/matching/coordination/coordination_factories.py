"""A joint meeting of 朝阳区 with one hard case on its agenda, for the coordination tests."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from matching.coordination import services
from matching.directory.models import Role
from tests.matching.cases import case_factories as cf

APPLICANT_NAME = "王秀兰"
APPLICANT_PHONE = "13804310001"


@dataclass
class Meeting:
    places: dict
    staff: object
    health: object
    education: object
    health_liaison: object
    education_liaison: object
    body: object
    meeting: object
    case: object
    applicant_id: str


def joint_meeting():
    places = cf.city_tree()
    chaoyang = places["chaoyang"]
    cf.department("civil_affairs", chaoyang)
    health = cf.department("health", chaoyang)
    education = cf.department("education", chaoyang)
    cf.department("health", places["city"])  # the health department's superior
    staff = cf.staff(chaoyang, Role.DISTRICT_STAFF)
    applicant_id = cf.id_number(born=dt.date(1958, 9, 20), male=False)
    case = cf.case(
        places["hongqi"],
        status="under_review",
        categories=("medical", "temporary"),
        members=[
            {
                "name": APPLICANT_NAME,
                "id_number": applicant_id,
                "relation": "self",
                "phone": APPLICANT_PHONE,
            }
        ],
    )
    body = services.meeting_body_ensure(jurisdiction=chaoyang)
    meeting = services.meeting_schedule(
        body=body,
        title="2026年第4次社会救助联席会议",
        held_at=timezone.now(),
        place="朝阳区政府第三会议室",
        chair="副区长 陈立新",
        actor=staff,
    )
    return Meeting(
        places=places,
        staff=staff,
        health=health,
        education=education,
        health_liaison=cf.liaison(health),
        education_liaison=cf.liaison(education),
        body=body,
        meeting=meeting,
        case=case,
        applicant_id=applicant_id,
    )
