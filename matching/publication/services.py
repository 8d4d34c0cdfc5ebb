"""Writes for publication: derive a public need from a case, rewrite its text,
re-check k-anonymity across everything published, unpublish closed cases.

Keyword-only services (docs/publication.md). The k-check always runs over
the needs staff have approved (``live``); a need whose class is too small is
``withheld`` — approved but not shown — until enough similar needs are
approved, so that what the public sees never narrows to fewer than k
households.
"""

import threading
from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.cases.models import Case, CaseStatus
from matching.core.errors import DomainError
from matching.core.vocabulary import HouseholdStatus
from matching.deidentify import (
    age_band,
    deidentify,
    household_size_band,
    k_anonymize,
    month_of,
)
from matching.directory.models import Jurisdiction

from .models import OPEN_CASE_STATUSES, PublicNeed, PublicNeedUpdate

CLOSING_CASE_STATUSES = (CaseStatus.FULFILLED, CaseStatus.CLOSED, CaseStatus.REJECTED)


class PublicationError(DomainError):
    """A need cannot be derived or published in its case's present state."""


def publication_k():
    return settings.PUBLICATION_K


# --- the text ------------------------------------------------------------------------------


def case_identifiers(*, case, actor=None):
    """Names and addresses the case file knows; reading them is audited."""
    household = case.household
    names = [member.name for member in household.members.all()]
    audit_record(
        actor=actor,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        obj=case,
        summary="publication: de-identification of the published text",
    )
    return {"names": names, "addresses": [household.address] if household.address else []}


def rewrite(text, *, identifiers):
    """The published form of ``text``: the one pipeline of ``manage.py deidentify``."""
    return deidentify(text, **identifiers).text


# --- quasi-identifiers ---------------------------------------------------------------------


def _place_codes(jurisdiction):
    parts = jurisdiction.path.split("/")
    district = parts[1] if len(parts) > 1 else None
    street = parts[2] if len(parts) > 2 else None
    return district, street


def _names_below_street(jurisdiction):
    parts = jurisdiction.path.split("/")
    codes = parts[3:]  # city / district / street / community …
    return list(Jurisdiction.objects.filter(code__in=codes).values_list("name", flat=True))


def case_quasi_identifiers(case):
    """The k-check's input for a case: location codes, bands, statuses — no identifier."""
    household = case.household
    district, street = _place_codes(household.jurisdiction)
    if district is None:
        district, street = _place_codes(case.jurisdiction)
    if district is None:
        raise PublicationError(_("求助家庭所在辖区不明确，无法确定公示的区县。"))
    members = list(household.members.all())
    return {
        "district": district,
        "street": street,
        "categories": sorted(set(case.categories)),
        "age_bands": sorted({age_band(member.age) for member in members}),
        "size_band": household_size_band(max(len(members), 1)),
        "statuses": sorted(set(household.statuses) - {HouseholdStatus.NONE.value}),
    }


def _apply_outcome(need, outcome):
    """Copy the k-check's verdict onto ``need``; True when anything changed."""
    record = outcome.record
    values = {
        "district_id": record["district"],
        "street_id": record["street"],
        "age_bands": list(record["age_bands"]) if record["age_bands"] is not None else None,
        "size_band": record["size_band"],
        "statuses": list(record["statuses"]) if record["statuses"] is not None else None,
        "k_steps": [{"code": s.code, "label": s.label} for s in outcome.steps],
        "withheld": outcome.withheld,
        "withheld_reason": outcome.reason.label if outcome.reason else "",
    }
    changed = {name for name, value in values.items() if getattr(need, name) != value}
    for name in changed:
        setattr(need, name, values[name])
    if need.street_id is None and need.quasi.get("street"):
        # The street left the published fields: it must leave the text too.
        changed |= _coarsen_text(need, [_place_name(need.quasi["street"])], STREET_PLACEHOLDER)
    return changed


STREET_PLACEHOLDER = "某街道"
COMMUNITY_PLACEHOLDER = "某社区"


@lru_cache(maxsize=4096)  # division names change once a year; rechecks touch every need
def _place_name(code):
    return Jurisdiction.objects.filter(code=code).values_list("name", flat=True).first()


def _coarsen_text(need, place_names, token):
    """Replace place names finer than what is published; the fields changed, if any."""
    changed = set()
    for field in ("title", "story"):
        text = getattr(need, field)
        for name in filter(None, place_names):
            text = text.replace(name, token)
        if text != getattr(need, field):
            setattr(need, field, text)
            changed.add(field)
    return changed


# --- services ------------------------------------------------------------------------------


@transaction.atomic
def public_need_derive(*, case, actor=None):
    """Create the draft public need of an approved case (idempotent)."""
    case = Case.objects.select_for_update().select_related("household").get(pk=case.pk)
    existing = PublicNeed.objects.filter(case=case).first()
    if existing:
        return existing
    if case.status not in OPEN_CASE_STATUSES:
        raise PublicationError(_("只有已批准的救助申请才能生成公示求助。"))
    identifiers = case_identifiers(case=case, actor=actor)
    need = PublicNeed(
        case=case,
        title=rewrite(case.title, identifiers=identifiers)[:120],
        story=rewrite(case.description, identifiers=identifiers),
        categories=list(case.categories),
        forms=list(case.forms),
        urgency=case.urgency,
        amount_needed=case.amount_needed,
        quasi=case_quasi_identifiers(case),
        opened_month=month_of(timezone.localtime(case.opened_at)),
        live=False,
    )
    # Below the street (community, village) nothing is ever published.
    _coarsen_text(need, _names_below_street(case.household.jurisdiction), COMMUNITY_PLACEHOLDER)
    _preview_check(need)
    need.full_clean(exclude=["district"])
    need.save()
    need.save_revision(user=actor, log_action=True)
    return need


def public_need_rewrite_text(*, need, title, story, actor=None):
    """Staff edits: run the pipeline again over the edited title and story."""
    identifiers = case_identifiers(case=need.case, actor=actor)
    return rewrite(title, identifiers=identifiers)[:120], rewrite(story, identifiers=identifiers)


def _preview_check(need):
    """What the k-check would make of ``need`` if it were approved now."""
    published = list(
        PublicNeed.objects.public_candidates().exclude(pk=need.pk).values_list("quasi", flat=True)
    )
    outcome = k_anonymize([*published, need.quasi], publication_k())[-1]
    _apply_outcome(need, outcome)


def public_need_preview_check(*, need, commit=True):
    """Re-run the k-check for ``need`` as if it were approved now.

    A live need is re-checked together with everything published instead.
    """
    if need.live:
        if commit:
            public_needs_recheck()
        return need
    _preview_check(need)
    if commit:
        need.save()
    return need


@transaction.atomic
def public_needs_recheck(*, k=None):
    """Run the k-check across every approved need and save each verdict that changed.

    Returns the number of needs whose published values changed.
    """
    k = k or publication_k()
    needs = list(PublicNeed.objects.public_candidates().select_for_update().order_by("pk"))
    outcomes = k_anonymize([need.quasi for need in needs], k)
    changed = 0
    for need, outcome in zip(needs, outcomes, strict=True):
        if _apply_outcome(need, outcome):
            need.save()
            changed += 1
    return changed


_batch = threading.local()


@contextmanager
def public_needs_recheck_deferred():
    """Approve many needs (a bulk import, the demo) with one k-check at the end
    instead of one per approval.

    The outcome is the same: the check depends only on the set of approved
    needs, and until it runs a need just approved keeps its preview verdict
    (withheld when its class was too small). Nothing is rechecked if the
    block fails.
    """
    if getattr(_batch, "deferred", False):
        yield
        return
    _batch.deferred = True
    try:
        yield
    finally:
        _batch.deferred = False
    public_needs_recheck()


def public_needs_recheck_on_publish():
    """The recheck that follows each approval, unless a batch defers it."""
    if not getattr(_batch, "deferred", False):
        public_needs_recheck()


@transaction.atomic
def public_need_unpublish(*, need, actor=None):
    """Take a need off the public site (its case closed) and re-check the rest."""
    if need.live:
        need.unpublish(user=actor, log_action=True)
    workflow_state = need.current_workflow_state
    if workflow_state is not None:
        workflow_state.cancel(user=actor)
    public_needs_recheck()


def public_need_update_post(*, need, text, actor=None):
    """A progress note; de-identified with the case's identifiers like the story."""
    identifiers = case_identifiers(case=need.case, actor=actor)
    update = PublicNeedUpdate(need=need, text=rewrite(text, identifiers=identifiers))
    update.full_clean()
    update.save()
    return update


def case_status_changed(*, case):
    """React to a case's status: derive a draft when approved, unpublish when closed."""
    need = PublicNeed.objects.filter(case_id=case.pk).first()
    if case.status == CaseStatus.APPROVED and need is None:
        public_need_derive(case=case)
    elif case.status in CLOSING_CASE_STATUSES and need is not None:
        public_need_unpublish(need=need)
