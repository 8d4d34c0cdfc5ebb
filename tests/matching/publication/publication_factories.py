"""Factories for publication tests: approved cases built from the de-identification corpus,
derived, approved through the workflow, and published."""

import datetime as dt
from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.cache import cache
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from matching.cases.models import Case, CaseStatus, Member
from matching.directory.models import Organization, Role
from matching.directory.services import account_create
from matching.offers.models import Project
from matching.publication import services
from matching.publication.models import PublicNeed
from matching.publication.permissions import publication_permissions_sync
from tests.matching.cases import case_factories as cf
from tests.matching.deidentify.deidentify_corpus import CASES as CORPUS

PASSWORD = cf.PASSWORD
DEFAULT_ADDRESS = "长春市朝阳区红旗街道工农大路 1288 号 3 单元 502 室"
_phones = iter(range(13804310100, 13804319999))


def ensure_site_data():
    """The workflows and listing pages the data migrations create, recreated if a
    transactional test flushed them (both migrations are idempotent)."""
    import_module("matching.publication.migrations.0002_approval_workflows").create_workflows(
        apps, None
    )
    if not Site.objects.exists():
        _home_page()
    import_module("cms.migrations.0004_public_listing_pages").create_pages(apps, None)


def _home_page():
    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="长春市社会救助服务平台", slug="home"))
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=home.title
    )


def places():
    ensure_site_data()
    cache.delete("cms:district-names")  # the listing caches the district names
    tree = cf.city_tree()
    tree["erdao"] = cf.jurisdiction("220105", "二道区", "district", tree["city"])
    tree["dongsheng"] = cf.jurisdiction("220105002", "东盛街道", "street", tree["erdao"])
    publication_permissions_sync()
    return tree


def staff(place, role=Role.DISTRICT_STAFF):
    user = cf.staff(place, role=role)
    user.groups.get(name=Role(role).label).permissions.add(
        *Permission.objects.filter(codename="access_admin")
    )
    return user


def members_for(names, *, born=dt.date(1962, 8, 15)):
    names = list(names) or ["赵桂芝"]
    return [
        {
            "name": name,
            "id_number": cf.id_number(born=born - dt.timedelta(days=700 * index)),
            "relation": Member.Relation.SELF if index == 0 else Member.Relation.SPOUSE,
            "phone": str(next(_phones)),
        }
        for index, name in enumerate(names)
    ]


def approved_case(
    place,
    *,
    title="因病致贫申请救助",
    description="户主患病，家庭收入微薄。",
    names=(),
    address=DEFAULT_ADDRESS,
    categories=("medical",),
    statuses=("low_income",),
    amount="20000.00",
    urgency="normal",
):
    case = cf.case(
        place,
        status=CaseStatus.APPROVED,
        categories=categories,
        urgency=urgency,
        members=members_for(names),
    )
    Case.objects.filter(pk=case.pk).update(
        title=title, description=description, amount_needed=amount
    )
    household = case.household
    household.address = address
    household.statuses = list(statuses)
    household.save()
    case.refresh_from_db()
    return case


def corpus_case(place, item, **kwargs):
    # Two members each: the households share their quasi-identifiers, so the
    # k-check lets the whole corpus through (tests/…/test_publication_kcheck.py
    # covers households that stand out).
    names = [*item.names, "赵桂芝", "钱玉珍"][:2]
    return approved_case(
        place,
        title=f"{names[0]}家庭因病求助",
        description=item.text,
        names=names,
        address=(item.addresses or [DEFAULT_ADDRESS])[0],
        **kwargs,
    )


def approve(need, user):
    """Submit ``need`` to its workflow and approve it as ``user`` (a reviewer)."""
    need.refresh_from_db()
    state = need.get_workflow().start(need, user)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, user, "approve")
    need.refresh_from_db()
    return need


def published_need(place, reviewer, **kwargs):
    need = services.public_need_derive(case=approved_case(place, **kwargs))
    return approve(need, reviewer)


def organization(place, name, *, verified=True):
    return Organization.objects.create(
        name=name, kind=Organization.Kind.CHARITY, jurisdiction=place, verified=verified
    )


def charity_user(org, role=Role.CHARITY_ADMIN):
    username = f"charity-{org.pk}-{next(cf._counter)}"
    user = account_create(
        username=username,
        password=PASSWORD,
        role=role,
        jurisdiction=org.jurisdiction,
        organization=org,
    )
    user.groups.get(name=Role(role).label).permissions.add(
        *Permission.objects.filter(codename="access_admin")
    )
    return user


def project(org, title, **kwargs):
    values = {
        "organization": org,
        "title": title,
        "description": f"{title}：为困难家庭提供帮助。",
        "categories": ["medical"],
        "forms": ["material"],
        "jurisdictions": ["220100"],
    }
    return Project.objects.create(**{**values, **kwargs})


__all__ = ["CORPUS", "PublicNeed"]
