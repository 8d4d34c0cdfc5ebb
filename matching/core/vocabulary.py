"""The shared vocabularies of social assistance (BRIEF.md): the schemes, the
forms of help, urgency and household status, and the validator of code lists."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    SUBSISTENCE = "subsistence", _("最低生活保障")
    EXTREME_POVERTY = "extreme_poverty", _("特困人员供养")
    DISASTER = "disaster", _("受灾人员救助")
    MEDICAL = "medical", _("医疗救助")
    EDUCATION = "education", _("教育救助")
    HOUSING = "housing", _("住房救助")
    EMPLOYMENT = "employment", _("就业救助")
    TEMPORARY = "temporary", _("临时救助")
    JUDICIAL = "judicial", _("司法救助")


class HelpForm(models.TextChoices):
    MATERIAL = "material", _("物质保障")
    DAILY_LIFE = "daily_life", _("生活帮扶")
    EMOTIONAL = "emotional", _("精神慰藉")
    COUNSELLING = "counselling", _("心理疏导")
    CAPABILITY = "capability", _("能力提升")


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("紧急（救急难）")
    NORMAL = "normal", _("一般")


class HouseholdStatus(models.TextChoices):
    SUBSISTENCE = "subsistence", _("低保户")
    EXTREME_POVERTY = "extreme_poverty", _("特困人员")
    LOW_INCOME = "low_income", _("低收入家庭")
    DISABILITY = "disability", _("残疾")
    ELDERLY_ALONE = "elderly_alone", _("独居老人")
    LEFT_BEHIND_CHILD = "left_behind_child", _("留守儿童")
    NONE = "none", _("无")


@deconstructible
class ChoiceListValidator:
    """A JSON list whose every item is one of the given choices."""

    def __init__(self, choices_name):
        self.choices_name = choices_name

    def __call__(self, value):
        allowed = set(CHOICE_LISTS[self.choices_name].values)
        if not isinstance(value, list) or not set(value) <= allowed:
            raise ValidationError(_("包含无效的选项。"), code="invalid_choice")

    def __eq__(self, other):
        return isinstance(other, ChoiceListValidator) and other.choices_name == self.choices_name


CHOICE_LISTS = {"category": Category, "form": HelpForm, "household_status": HouseholdStatus}
validate_categories = ChoiceListValidator("category")
validate_forms = ChoiceListValidator("form")
validate_household_status = ChoiceListValidator("household_status")

URGENT_FIRST = models.Case(
    models.When(urgency=Urgency.EMERGENCY, then=models.Value(0)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)
