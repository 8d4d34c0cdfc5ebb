"""Builders for the volunteer tests: volunteers who join and confirm through the
services the pages call, proposals, a volunteer team."""

import re

from django.core import mail

from matching.directory.models import Role
from matching.offers import services as offers
from matching.volunteering import services
from tests.matching.publication import publication_factories as pf

PASSWORD = "Volunteer-Pass-2026"
HOUSEHOLD_NAME = "欧阳翠花"
HOUSEHOLD_ADDRESS = "长春市朝阳区红旗街道工农大路 1288 号 3 单元 502 室"
LINK = re.compile(r"https?://\S+/join/volunteer/confirm/\S+/")


def details(places, **overrides):
    values = {
        "jurisdiction": places["hongqi"],
        "forms": ["daily_life", "emotional"],
        "skills": ["陪诊"],
        "radius_km": 5,
        "availability": ["sat_am", "sun_pm"],
        "hours_per_week": 4,
    }
    return {**values, **overrides}


def register(places, email, name="李志愿", **overrides):
    """Join and confirm through the services the pages call; returns the volunteer."""
    services.volunteer_register(
        email=email,
        password=PASSWORD,
        name=name,
        details=details(places, **overrides),
        consent=True,
        confirm_link=lambda token: f"http://testserver/join/volunteer/confirm/{token}/",
    )
    link = LINK.search(mail.outbox[-1].body).group(0)
    return services.volunteer_confirm(token=link.rstrip("/").rsplit("/", 1)[1])


def propose(case, volunteer):
    proposal = {"type": "volunteer", "offer": f"volunteer-{volunteer.pk}", "score": 0.7}
    return offers.matches_propose(need=case, proposals=[{**proposal, "reasons": []}])[0]


def team_admin(volunteer, places):
    """Make ``volunteer`` a member of a volunteer team; return the team's admin."""
    team = pf.organization(places["chaoyang"], "朝阳区暖心志愿服务队")
    volunteer.organization = team
    volunteer.save()
    return pf.charity_user(team, role=Role.CHARITY_ADMIN)
