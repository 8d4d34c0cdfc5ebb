"""Joint meetings in the demo city: a body for the city and each district or
development zone, and one session of 朝阳区's with three hard cases — one decided
with tasks to the health department (overdue) and to human resources (on time),
one settled at the table, one left for the next session. Runs once (it looks for
its marker)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from matching.cases.models import Case, CaseStatus
from matching.coordination import services
from matching.coordination.models import AgendaItem, JointMeeting
from matching.directory.models import Department, Jurisdiction

MARKER = "【演示】"


@transaction.atomic
def seed_coordination():
    for place in Jurisdiction.objects.filter(level__in=["city", "district"]):
        services.meeting_body_ensure(jurisdiction=place)
    if JointMeeting.objects.filter(title__startswith=MARKER).exists():
        return
    convenor = get_user_model().objects.filter(username="chaoyang").first()
    cases = list(
        Case.objects.filter(jurisdiction__path__startswith="220100/220104/")
        .exclude(status__in=[CaseStatus.CLOSED, CaseStatus.REJECTED])
        .order_by("pk")[:3]
    )
    if convenor is None or len(cases) < 3:
        return
    _session(convenor, cases)


def _session(convenor, cases):
    body = services.meeting_body_ensure(jurisdiction=Jurisdiction.objects.get(code="220104"))
    held = timezone.now() - timedelta(days=14)
    meeting = services.meeting_schedule(
        body=body,
        title=MARKER + "朝阳区社会救助联席会议第四次会议",
        held_at=held,
        place="朝阳区人民政府三楼会议室",
        chair="副区长",
        actor=convenor,
    )
    items = [
        services.agenda_item_add(
            meeting=meeting, case=case, question=question, reason=reason, actor=convenor, now=held
        )
        for case, (question, reason) in zip(cases, QUESTIONS, strict=True)
    ]
    department = {d.kind: d for d in Department.objects.filter(jurisdiction_id="220104")}
    services.agenda_item_decide(
        item=items[0],
        outcome=AgendaItem.Outcome.ASSIGNED,
        decision="卫生健康局核定住院自付费用；人社局协助家属就业；民政局据此给予临时救助。",
        tasks=[
            (department["health"], "核定住院自付费用并出具证明", 5),
            (department["human_resources"], "为家属推荐公益性岗位", 20),
        ],
        actor=convenor,
        now=held,
    )
    services.agenda_item_decide(
        item=items[1],
        outcome=AgendaItem.Outcome.RESOLVED,
        decision="会议确认该户符合临时救助条件，由民政局直接办理。",
        actor=convenor,
        now=held,
    )
    services.meeting_schedule(
        body=body,
        title=MARKER + "朝阳区社会救助联席会议第五次会议",
        held_at=timezone.now() + timedelta(days=7),
        place="朝阳区人民政府三楼会议室",
        chair="副区长",
        actor=convenor,
    )


QUESTIONS = [
    ("医疗费用超出医疗救助封顶线，能否叠加临时救助？", "涉及卫生健康、人社、民政三个部门。"),
    ("户籍与居住地不一致，由哪一级受理？", "两个街道对受理地有不同意见。"),
    ("房屋受损但不在灾害救助范围内，如何救助？", "住房救助与临时救助的衔接尚无先例。"),
]
