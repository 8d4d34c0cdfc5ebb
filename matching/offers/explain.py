"""What a match's score and reasons mean, in words staff read.

The matcher (``search``) stores each proposal's score parts on the match
(``Match.parts``: factor -> value in [0, 1] and weight); this module turns
them into points out of 100 (one precision everywhere), compares a match with
the other candidates for the same need, and replaces the area codes in the
stored reasons with the areas' names.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.directory.models import Jurisdiction

FACTOR_LABELS = {
    "coverage": gettext_lazy("覆盖需求（类别、帮扶形式、金额）"),
    "proximity": gettext_lazy("距离与服务区域"),
    "text": gettext_lazy("内容相关度"),
    "urgency": gettext_lazy("紧急程度"),
    "waiting": gettext_lazy("已等待时长"),
    "load": gettext_lazy("组织当前负荷（越低越好）"),
}
_CODE = re.compile(r"(?<!\d)(\d{6}|\d{9}|\d{12})(?!\d)")


def points(score):
    """A score in [0, 1] as whole points out of 100."""
    return round((score or 0) * 100)


def score_parts(match):
    """The parts of ``match``'s score, largest weight first, as dicts with the
    label, the points earned and the points possible; [] for a match
    proposed before parts were stored."""
    rows = []
    for name, part in sorted((match.parts or {}).items(), key=lambda kv: -kv[1]["weight"]):
        possible = round(part["weight"] * 100)
        earned = round(part["value"] * part["weight"] * 100)
        rows.append(
            {
                "name": name,
                "label": str(FACTOR_LABELS.get(name, name)),
                "earned": earned,
                "possible": possible,
                "percent": round(100 * earned / possible) if possible else 0,
            }
        )
    return rows


def _earned(match):
    return {row["name"]: row for row in score_parts(match)}


def why_lower(match, other):
    """Why ``other`` ranks below ``match``: the parts where it earned fewer
    points, the largest gap first, in words."""
    if points(other.score) >= points(match.score):
        return []
    mine, theirs = _earned(match), _earned(other)
    gaps = sorted(
        (
            (mine[name]["earned"] - row["earned"], row["label"])
            for name, row in theirs.items()
            if name in mine and row["earned"] < mine[name]["earned"]
        ),
        reverse=True,
    )
    return [_("%(factor)s少 %(gap)d 分") % {"factor": label, "gap": gap} for gap, label in gaps[:3]]


def area_names(codes):
    return dict(Jurisdiction.objects.filter(code__in=set(codes)).values_list("code", "name"))


def named_reasons(reasons):
    """The stored reasons with administrative codes replaced by the areas' names."""
    names = area_names(code for reason in reasons for code in _CODE.findall(str(reason)))
    return [
        _CODE.sub(lambda found: names.get(found.group(1), found.group(1)), str(reason))
        for reason in reasons
    ]
