"""Where a volunteer is, without asking anyone for coordinates.

The matcher measures a volunteer's radius from a point. People name their
district or street, never a latitude; the point is the approximate centre of
the district's built-up area (rounded to 0.01°, about a kilometre), taken
from public maps. A street uses its district's centre: the division data
(data/changchun-divisions.csv) carries no coordinates, and a kilometre or two
is well inside the radii people choose (docs/volunteers.md).
"""

CITY_CENTRE = (43.89, 125.32)

DISTRICT_CENTRES = {
    "220102": (43.86, 125.35),  # 南关区
    "220103": (43.94, 125.33),  # 宽城区
    "220104": (43.83, 125.29),  # 朝阳区
    "220105": (43.87, 125.38),  # 二道区
    "220106": (43.88, 125.25),  # 绿园区
    "220112": (43.52, 125.66),  # 双阳区
    "220113": (44.15, 125.84),  # 九台区
    "220122": (44.43, 125.18),  # 农安县
    "220171": (43.90, 125.42),  # 长春经济技术开发区
    "220172": (43.78, 125.45),  # 长春净月高新技术产业开发区
    "220173": (43.83, 125.22),  # 长春高新技术产业开发区
    "220174": (43.85, 125.17),  # 长春汽车经济技术开发区
    "220182": (44.83, 126.53),  # 榆树市
    "220183": (44.54, 125.70),  # 德惠市
    "220184": (43.50, 124.82),  # 公主岭市
}


def area_centre(jurisdiction):
    """(lat, lon) standing for a district or street: its district's centre."""
    return DISTRICT_CENTRES.get(jurisdiction.district_code or "", CITY_CENTRE)
