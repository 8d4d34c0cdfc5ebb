"""Validation of resident ID numbers and phone numbers.

Messages never repeat the value: personal data must not reach logs or
error text.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
# ASCII digits only: ``\d`` also matches "١" or "²" (and ``str.isdigit`` "²",
# which ``int`` then refuses). Full-width digits typed with a Chinese input
# method are folded to ASCII by the normalizers (NFKC) first.
MOBILE = re.compile(r"1[3-9][0-9]{9}")
LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")
ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def normalize_id_number(value):
    return ric.compact(unicodedata.normalize("NFKC", value or ""))


def validate_id_number(value):
    """GB 11643-1999: 18 characters, a real birth date, a correct check digit.

    ``stdnum.cn.ric.validate`` also insists that the county code existed in
    the birth year, which rejects genuine numbers of older residents (codes
    were assigned when ID cards were first issued, long after birth), so
    only the province part of the area code is checked here.
    """
    number = ric.compact(value or "")
    if len(number) != 18:
        raise ValidationError(_("身份证号码应为 18 位。"), code="id_length")
    if not ID_SHAPE.fullmatch(number):
        raise ValidationError(_("身份证号码只能包含数字和末位 X。"), code="id_format")
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新输入。"), code="id_checksum")
    try:
        born = ric.get_birth_date(number)
    except InvalidComponent:
        born = None
    if born is None or born > date.today() or born.year < 1900:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth_date")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("身份证号码中的地区代码无效。"), code="id_area")


def normalize_phone(value):
    return re.sub(r"[\s()]", "", unicodedata.normalize("NFKC", value or "")).removeprefix("+86")


def validate_phone(value):
    """A mainland mobile number (11 digits) or a landline with its area code."""
    if not (MOBILE.fullmatch(value) or LANDLINE.fullmatch(value)):
        raise ValidationError(
            _("电话号码无效：请填写 11 位手机号或带区号的固定电话。"), code="phone"
        )


@dataclass(frozen=True)
class IdFacts:
    birth_date: date
    sex: str  # "male" / "female"


def id_facts(value):
    """Birth date and sex encoded in a valid ID number (17th digit odd = male)."""
    number = ric.compact(value)
    return IdFacts(
        birth_date=ric.get_birth_date(number), sex="male" if int(number[16]) % 2 else "female"
    )


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
