"""The joint-meeting part of the permission world: each district's body with one
session, the side's case on its agenda, decided, and a task for the side's
health department (whose liaison is the matrix's liaison on side A)."""

from django.utils import timezone

from matching.coordination import services
from matching.coordination.models import AgendaItem


def coordination_records(side, district, convenor):
    body = services.meeting_body_ensure(jurisdiction=district)
    side.meeting = services.meeting_schedule(
        body=body,
        title=f"{district.name}联席会议矩阵会次",
        held_at=timezone.now(),
        place="会议室",
        chair="副区长",
        actor=convenor,
    )
    side.agenda_item = services.agenda_item_add(
        meeting=side.meeting,
        case=side.case,
        question="能否叠加临时救助？",
        reason="跨部门",
        actor=convenor,
    )
    services.agenda_item_decide(
        item=side.agenda_item,
        outcome=AgendaItem.Outcome.ASSIGNED,
        decision="分工办理",
        tasks=[(side.department, "核定自付费用", 3)],
        actor=convenor,
    )
    side.meeting_task = side.agenda_item.tasks.get()
