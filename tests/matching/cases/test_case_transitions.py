"""The status machine: every allowed move succeeds, every other is refused."""

import datetime as dt
import itertools

import pytest
from case_factories import ReferralFactory, StandardFactory, case, department, staff
from django.utils import timezone

from matching.audit.models import AuditEntry
from matching.cases import services
from matching.cases.models import CaseStatus, CaseTransition, DuplicateFlag
from matching.cases.services import ALLOWED_TRANSITIONS, NotPermitted, TransitionNotAllowed
from matching.core.errors import DomainError, refusal_message
from matching.directory.models import Role

pytestmark = pytest.mark.django_db

ALLOWED = [(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in sorted(targets)]
REFUSED = [
    (a, b) for a, b in itertools.product(CaseStatus, CaseStatus) if b not in ALLOWED_TRANSITIONS[a]
]


def _ready_case(places, status):
    """A case in ``status`` with every guard satisfied."""
    opened = case(places["hongqi"], status=status)
    ReferralFactory(case=opened, department=department("health", places["chaoyang"]))
    StandardFactory(jurisdiction=places["city"])
    services.economic_record_submit(
        department=department("human_resources", places["chaoyang"]),
        id_number=opened.household.members.get().id_number,
        kind="income",
        label="养老金",
        amount="300.00",
        as_of=timezone.localdate() - dt.timedelta(days=30),  # current data
    )
    services.case_verify(case=opened, actor=None)
    return opened


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_transition_succeeds_and_is_recorded(places, from_status, to_status):
    opened = _ready_case(places, from_status)
    worker = staff(places["chaoyang"])

    moved = services.case_transition(
        case=opened, to_status=to_status, actor=worker, note="经审查作出决定"
    )

    assert moved.status == to_status
    record = CaseTransition.objects.get(case=opened)
    assert (record.from_status, record.to_status, record.actor) == (from_status, to_status, worker)
    entry = AuditEntry.objects.get(action="transition", object_id=str(opened.pk))
    assert entry.before == {"status": from_status} and entry.after == {"status": to_status}
    assert entry.actor == worker


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_every_other_transition_is_refused_with_a_chinese_message(places, from_status, to_status):
    opened = _ready_case(places, from_status)

    with pytest.raises(TransitionNotAllowed) as refused:
        services.case_transition(
            case=opened, to_status=to_status, actor=staff(places["chaoyang"]), note="试图变更"
        )

    assert str(refused.value) == (
        f"不能从“{CaseStatus(from_status).label}”变更为“{CaseStatus(to_status).label}”。"
    )
    opened.refresh_from_db()
    assert opened.status == from_status
    assert not CaseTransition.objects.exists()


def test_the_map_covers_every_status_and_closed_is_final():
    assert set(ALLOWED_TRANSITIONS) == set(CaseStatus)
    assert ALLOWED_TRANSITIONS[CaseStatus.CLOSED] == set()


def test_rejection_needs_a_reason(places):
    opened = case(places["hongqi"])
    with pytest.raises(TransitionNotAllowed, match="请填写理由"):
        services.case_transition(
            case=opened,
            to_status=CaseStatus.REJECTED,
            actor=staff(places["hongqi"], Role.STREET_STAFF),
        )


def test_verified_needs_a_verification(places):
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    with pytest.raises(TransitionNotAllowed, match="尚未完成家庭经济状况核对"):
        services.case_transition(
            case=opened, to_status=CaseStatus.VERIFIED, actor=staff(places["chaoyang"])
        )


def test_referred_needs_a_referral(places):
    opened = case(places["hongqi"], status=CaseStatus.UNDER_REVIEW)
    with pytest.raises(TransitionNotAllowed, match="尚未转办"):
        services.case_transition(
            case=opened, to_status=CaseStatus.REFERRED, actor=staff(places["chaoyang"])
        )


def test_staff_of_another_district_may_not_move_a_case(places):
    opened = case(places["hongqi"])
    with pytest.raises(NotPermitted, match="无权办理"):
        services.case_transition(
            case=opened, to_status=CaseStatus.UNDER_REVIEW, actor=staff(places["nanguan"])
        )


def test_approval_waits_for_duplicate_adjudication(places):
    from case_factories import assistance

    opened = _ready_case(places, CaseStatus.VERIFIED)
    assistance(opened.household.members.get().id_number, category="subsistence")
    worker = staff(places["chaoyang"])

    with pytest.raises(TransitionNotAllowed, match="待裁定的重复救助提示"):
        services.case_transition(case=opened, to_status=CaseStatus.APPROVED, actor=worker)

    flag = opened.duplicate_flags.get()
    services.duplicate_flag_adjudicate(
        flag=flag,
        actor=worker,
        decision=DuplicateFlag.Decision.NOT_DUPLICATE,
        note="原低保已于本月停发，属续保申请",
    )
    assert (
        services.case_transition(case=opened, to_status=CaseStatus.APPROVED, actor=worker).status
        == CaseStatus.APPROVED
    )


def test_each_transition_is_announced_after_commit(places, django_capture_on_commit_callbacks):
    from matching.cases.services import case_status_changed

    heard = []
    case_status_changed.connect(
        lambda sender, **kw: heard.append(kw), weak=False, dispatch_uid="test-heard"
    )
    try:
        opened = case(places["hongqi"])
        with django_capture_on_commit_callbacks(execute=True):
            services.case_transition(
                case=opened, to_status=CaseStatus.UNDER_REVIEW, actor=staff(places["chaoyang"])
            )
    finally:
        case_status_changed.disconnect(dispatch_uid="test-heard")
    assert heard == [
        {
            "signal": case_status_changed,
            "case_id": opened.pk,
            "from_status": "received",
            "to_status": "under_review",
        }
    ]


def test_a_refused_case_move_is_a_domain_error_and_the_screen_offers_only_allowed_moves(places):
    opened = _ready_case(places, CaseStatus.RECEIVED)

    with pytest.raises(DomainError) as refused:
        services.case_transition(
            case=opened, to_status=CaseStatus.APPROVED, actor=staff(places["chaoyang"]), note=""
        )

    assert refusal_message(refused.value) == "不能从“已受理”变更为“已批准”。"
    assert ALLOWED_TRANSITIONS.targets(CaseStatus.RECEIVED) == [
        CaseStatus.UNDER_REVIEW,
        CaseStatus.REJECTED,
        CaseStatus.CLOSED,
    ]
