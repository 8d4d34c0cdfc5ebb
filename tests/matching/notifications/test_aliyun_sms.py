"""The Alibaba Cloud SMS adapter, up to the HTTP request it sends (the gateway
cannot be reached from here): the transport is intercepted, not the function."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured

from matching.notifications.sms import (
    AliyunSmsSender,
    SmsError,
    percent_encode,
    rpc_signature,
    sms_gateway_check,
)

ALIYUN = {
    "SMS_SENDER": "matching.notifications.sms.AliyunSmsSender",
    "ALIYUN_SMS_ACCESS_KEY_ID": "LTAI-test-id",
    "ALIYUN_SMS_ACCESS_KEY_SECRET": "test-secret-2026",
    "ALIYUN_SMS_SIGN_NAME": "长春市社会救助",
    "ALIYUN_SMS_TEMPLATES": {"case_status": "SMS_205123456"},
}


class RecordingTransport(requests.adapters.BaseAdapter):
    """A requests transport adapter: keeps each prepared request, answers with ``reply``."""

    def __init__(self, reply):
        super().__init__()
        self.reply, self.sent = reply, []

    def send(self, request, **kwargs):
        self.sent.append(request)
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(self.reply).encode()
        response.headers["Content-Type"] = "application/json"
        response.url, response.request = request.url, request
        return response

    def close(self):
        pass


def _sender(reply):
    transport = RecordingTransport(reply)
    session = requests.Session()
    session.mount("https://", transport)
    sender = AliyunSmsSender(
        session=session,
        clock=lambda: datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC),
        nonce=lambda: "5f0c1e2d-aaaa-4bbb-8ccc-123456789abc",
    )
    return sender, transport


def test_the_signature_matches_the_example_in_alibaba_clouds_documentation():
    # The worked example of the SMS API's signature document (HMAC-SHA1, "testSecret&").
    parameters = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert (
        rpc_signature(secret="testSecret", parameters=parameters) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    )
    assert percent_encode("a b*~/") == "a%20b%2A~%2F"


def _documented_signature(query_pairs, secret):
    """Recomputed here from the documented steps, independently of the adapter."""
    pairs = sorted((k, v) for k, v in query_pairs if k != "Signature")
    encode = lambda s: quote(s, safe="-_.~")  # noqa: E731
    canonical = "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs)
    to_sign = "GET&%2F&" + encode(canonical)
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def test_send_sms_is_one_signed_get_to_dysmsapi(settings):
    for name, value in ALIYUN.items():
        setattr(settings, name, value)
    sender, transport = _sender({"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0"})

    biz_id = sender.send(
        phone="13804312277",
        text="【长春市社会救助】您的申请 CC261207ABCD2345 办理进度：审核中。",
        kind="case_status",
        params={"receipt": "CC261207ABCD2345", "status": "审核中"},
    )

    assert biz_id == "900619746936498440^0"
    (request,) = transport.sent
    url = urlsplit(request.url)
    assert request.method == "GET" and request.body is None
    assert (url.scheme, url.netloc, url.path) == ("https", "dysmsapi.aliyuncs.com", "/")
    pairs = parse_qsl(url.query, keep_blank_values=True)
    query = dict(pairs)
    assert query == {
        "Signature": query["Signature"],
        "AccessKeyId": "LTAI-test-id",
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": "13804312277",
        "RegionId": "cn-hangzhou",
        "SignName": "长春市社会救助",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "5f0c1e2d-aaaa-4bbb-8ccc-123456789abc",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_205123456",
        "TemplateParam": '{"receipt":"CC261207ABCD2345","status":"审核中"}',
        "Timestamp": "2026-12-07T01:02:03Z",
        "Version": "2017-05-25",
    }
    assert query["Signature"] == _documented_signature(pairs, "test-secret-2026")
    # Spaces and reserved characters travel percent-encoded (%20, never "+").
    assert "+" not in url.query.replace("%2B", "")


@pytest.mark.parametrize(
    "reply", [{"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "13804312277 invalid"}, {}]
)
def test_a_refusal_raises_with_the_code_only(settings, reply):
    for name, value in ALIYUN.items():
        setattr(settings, name, value)
    sender, _transport = _sender(reply)
    with pytest.raises(SmsError) as raised:
        sender.send(phone="13804312277", text="x", kind="case_status", params={})
    assert "13804312277" not in str(raised.value)


def test_an_event_without_a_template_is_refused(settings):
    for name, value in ALIYUN.items():
        setattr(settings, name, value)
    sender, transport = _sender({"Code": "OK"})
    with pytest.raises(SmsError):
        sender.send(phone="13804312277", text="x", kind="referral", params={})
    assert transport.sent == []


def test_the_adapter_without_its_keys_refuses_to_start(settings):
    settings.SMS_SENDER = ALIYUN["SMS_SENDER"]
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = ""
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "LTAI-test-id"
    settings.ALIYUN_SMS_SIGN_NAME = "长春市社会救助"
    settings.ALIYUN_SMS_TEMPLATES = {}
    with pytest.raises(ImproperlyConfigured) as refused:
        sms_gateway_check()
    assert "ALIYUN_SMS_ACCESS_KEY_SECRET" in str(refused.value)
    assert "ALIYUN_SMS_TEMPLATES" in str(refused.value)
    for name, value in ALIYUN.items():
        setattr(settings, name, value)
    sms_gateway_check()  # complete: starts
