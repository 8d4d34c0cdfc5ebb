"""Discovery reports waiting in triage and messages in the demo users' inboxes.

Three reports beside the two of ``city._demo_discovery``: an emergency filed
an hour ago (its 救急难 triage clock running), a normal one filed three weeks ago and
now past its triage deadline, and an anonymous one from the public form.
Filing them sends the staff of 朝阳区 their notices through the notification
service, so the ``chaoyang`` and ``hongqi`` inboxes are not empty; the
volunteer gets one message of their own. Runs once (it looks for its marker).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.cases import services
from matching.cases.models import DiscoveryReport
from matching.directory.models import Jurisdiction
from matching.notifications.models import EventKind
from matching.notifications.services import notify

MARKER = "【演示】"
REPORTS = [
    # (hours ago, urgency, anonymous, description, place)
    (1, "emergency", False, "独居老人在家中摔倒，邻居听到呼救，老人无法起身。", "红旗街附近老小区"),
    # Three weeks ago: past its two-working-day deadline even across a long holiday.
    (
        21 * 24,
        "normal",
        False,
        "一户人家近两周夜里没有亮灯，门口堆着未取的报纸。",
        "湖西路旁居民楼",
    ),
    (2, "normal", True, "公交站旁有一名中年男子连续几天露宿，天气转冷。", "西安大路公交站"),
]


@transaction.atomic
def seed_reports():
    if DiscoveryReport.objects.filter(person_description__startswith=MARKER).exists():
        return
    users = get_user_model().objects
    volunteer = users.get(username="volunteer")
    street = (
        Jurisdiction.objects.filter(parent_id="220104", level="street").order_by("code").first()
    )
    for hours_ago, urgency, anonymous, text, place in REPORTS:
        services.discovery_report_file(
            jurisdiction=street,
            reporter_name="" if anonymous else "社区志愿者",
            reporter_phone="" if anonymous else "13604310001",
            person_description=MARKER + text,
            location_text=place,
            urgency=urgency,
            reporter=None if anonymous else volunteer,
            now=timezone.now() - timedelta(hours=hours_ago),
        )
    notify(
        kind=EventKind.EMERGENCY,
        users=[volunteer],
        subject=_("感谢您的主动发现报告"),
        body=_("您提交的报告已进入研判，处理结果会通过站内消息告诉您。"),
    )
