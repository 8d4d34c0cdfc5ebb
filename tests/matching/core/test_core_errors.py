"""One error type, turned into one message wherever it is shown."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from matching.cases.services import CaseRuleError, NotPermitted, TransitionNotAllowed
from matching.core.errors import DomainError, refusal_message, refusal_show, refusal_status
from matching.funding.services import ConfirmationRefused
from matching.payments.services import InvalidTransition
from matching.payments.targets import GivingRefused
from matching.publication.services import PublicationError


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False)


def test_the_apps_errors_share_one_base():
    for error_class in (
        CaseRuleError,
        TransitionNotAllowed,
        NotPermitted,
        InvalidTransition,
        ConfirmationRefused,
        GivingRefused,
        PublicationError,
    ):
        assert issubclass(error_class, DomainError), error_class


def test_a_domain_error_carries_a_message_and_optionally_a_field():
    error = DomainError("请填写理由。", field="reason")
    assert str(error) == "请填写理由。"
    assert error.field == "reason"
    assert refusal_message(error) == "请填写理由。"


def test_the_default_message_is_chinese_with_an_english_translation():
    assert str(DomainError()) == "该操作不符合办理规则，未能完成。"
    with translation.override("en"):
        assert str(DomainError()) == "The request does not meet the rules and was not completed."


def test_djangos_refusals_read_the_same_way():
    assert (
        refusal_message(ValidationError(["金额无效。", "请填写理由。"]))
        == "金额无效。 请填写理由。"
    )
    assert refusal_message(PermissionDenied("您无权办理。")) == "您无权办理。"
    assert refusal_message(PermissionDenied()) == "您无权执行该操作。"
    assert refusal_message(PermissionDenied(), default="您无权审批该匹配。") == "您无权审批该匹配。"


def test_the_api_status_follows_the_kind_of_refusal():
    assert refusal_status(CaseRuleError("不能办理。")) == 409
    assert refusal_status(NotPermitted("无权。")) == 403
    assert refusal_status(GivingRefused("已结束。", status=410)) == 410
    assert refusal_status(PermissionDenied()) == 403
    assert refusal_status(ValidationError("不符合要求。")) == 409


def test_on_a_form_the_refusal_lands_on_the_field_it_names(rf):
    form = ReasonForm({"reason": ""})
    assert form.is_valid()
    refusal_show(rf.post("/"), DomainError("驳回必须填写理由。", field="reason"), form=form)
    assert form.errors == {"reason": ["驳回必须填写理由。"]}

    other = ReasonForm({"reason": ""})
    assert other.is_valid()
    refusal_show(rf.post("/"), DomainError("已处理。", field="no_such_field"), form=other)
    assert other.non_field_errors() == ["已处理。"]

    model_errors = ReasonForm({"reason": ""})
    assert model_errors.is_valid()
    error = ValidationError({"reason": ["太短。"], "contact_phone": ["号码无效。"]})
    refusal_show(rf.post("/"), error, form=model_errors)
    assert model_errors.errors["reason"] == ["太短。"]
    assert model_errors.non_field_errors() == ["号码无效。"]
