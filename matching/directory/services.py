"""Writes for the directory: loading the division tree, role groups, accounts."""

import csv
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ADMIN_ROLES, Jurisdiction, Profile, Role

BUNDLED_DIVISIONS = Path(__file__).resolve().parent / "data" / "changchun-divisions.csv"
_LEVELS = {choice.value for choice in Jurisdiction.Level}


@transaction.atomic
def jurisdictions_load(*, path=BUNDLED_DIVISIONS):
    """Create or update the division tree from a CSV (code,name,level,parent).

    Parents come before children in the file; a parent outside the file (the
    province above a city) is treated as the root. Returns the number of rows.
    """
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["level"] in _LEVELS]
    paths = {}
    nodes = []
    for row in rows:
        parent_path = paths.get(row["parent"])
        paths[row["code"]] = f"{parent_path}/{row['code']}" if parent_path else row["code"]
        nodes.append(
            Jurisdiction(
                code=row["code"],
                name=row["name"],
                level=row["level"],
                path=paths[row["code"]],
                parent_id=row["parent"] if parent_path else None,
            )
        )
    # Rows are in parent-first order, so one ordered bulk upsert keeps every
    # foreign key satisfied.
    Jurisdiction.objects.bulk_create(
        nodes,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "level", "path", "parent"],
        batch_size=1000,
    )
    return len(rows)


def role_groups_sync():
    """One auth group per role; admin roles may enter the Wagtail admin."""
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.label)
        if access_admin and role in ADMIN_ROLES:
            group.permissions.add(access_admin)


@transaction.atomic
def account_create(
    *,
    username,
    password,
    role,
    jurisdiction,
    department=None,
    organization=None,
    email="",
    full_name="",
):
    """Create a user with its profile and the group of its role."""
    user = get_user_model().objects.create_user(
        username=username, password=password, email=email, first_name=full_name
    )
    profile = Profile(
        user=user,
        role=role,
        jurisdiction=jurisdiction,
        department=department,
        organization=organization,
    )
    profile.full_clean()
    profile.save()
    group, _ = Group.objects.get_or_create(name=Role(role).label)
    user.groups.add(group)
    return user


def saved_filter_save(*, user, list_name, name, query):
    """Save (or replace) the user's filter set ``name`` on one list."""
    from .models import SavedFilter

    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请为这组筛选条件起一个名称。"))
    if len(name) > 60:
        raise ValidationError(_("名称不能超过 60 个字。"))
    saved, _new = SavedFilter.objects.update_or_create(
        user=user, list_name=list_name, name=name, defaults={"query": query[:1000]}
    )
    return saved
