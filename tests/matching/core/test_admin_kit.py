"""The admin kit's form flow: what a staff member sees when a service accepts or refuses."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from matching.core.admin import form_flow, reported_errors


class AmountForm(forms.Form):
    amount = forms.IntegerField(min_value=1)


def _request(method="get", data=None):
    request = getattr(RequestFactory(), method)("/admin/thing/", data or {})
    request._messages = CookieStorage(request)
    return request


def _flow(request, perform):
    shown = {}

    def render(form, status):
        shown["form"] = form
        return HttpResponse(status=status)

    response = form_flow(
        request,
        AmountForm(request.POST or None),
        perform=perform,
        success_message=lambda amount: f"已登记 {amount} 元。",
        success_url=lambda amount: f"/admin/thing/{amount}/",
        render=render,
    )
    return response, shown.get("form")


def _texts(request):
    return [str(message) for message in get_messages(request)]


def test_a_get_shows_the_empty_form_and_calls_no_service():
    calls = []
    response, form = _flow(_request(), perform=calls.append)
    assert response.status_code == 200
    assert not form.is_bound
    assert calls == []


def test_an_invalid_form_is_shown_again_with_422_and_calls_no_service():
    calls = []
    response, form = _flow(_request("post", {"amount": "0"}), perform=calls.append)
    assert response.status_code == 422
    assert "amount" in form.errors
    assert calls == []


def test_success_says_what_was_done_and_redirects_to_the_result():
    request = _request("post", {"amount": "30"})
    response, _form = _flow(request, perform=lambda data: data["amount"])
    assert response.status_code == 302
    assert response["Location"] == "/admin/thing/30/"
    assert _texts(request) == ["已登记 30 元。"]


def test_a_refusal_lands_on_the_form_with_every_message_and_no_success_message():
    def refuse(data):
        raise ValidationError(
            [
                ValidationError("余额不足。"),
                ValidationError("超过单笔上限 %(cap)s 元。", params={"cap": 20}),
            ]
        )

    request = _request("post", {"amount": "30"})
    response, form = _flow(request, perform=refuse)
    assert response.status_code == 422
    assert form.non_field_errors() == ["余额不足。", "超过单笔上限 20 元。"]
    assert _texts(request) == []


def test_an_error_the_view_did_not_name_is_not_swallowed():
    request = _request("post", {"amount": "30"})
    try:
        with reported_errors(request, errors=(ValidationError,)):
            raise PermissionDenied("不在本辖区。")
    except PermissionDenied:
        pass
    else:
        raise AssertionError("PermissionDenied was swallowed")
    assert _texts(request) == []


def test_a_refusal_outside_a_form_becomes_one_error_message():
    request = _request("post")
    with reported_errors(request) as outcome:
        raise PermissionDenied("不在本辖区。")
    assert not outcome.ok
    assert _texts(request) == ["不在本辖区。"]
    with reported_errors(request) as outcome:
        pass
    assert outcome.ok
