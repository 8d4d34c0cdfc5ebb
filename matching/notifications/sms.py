"""SMS adapters: one interface, a console adapter (development), a memory adapter
(tests) and Alibaba Cloud SMS (dysmsapi ``SendSms``).

``settings.SMS_SENDER`` names the adapter class. Gateways in mainland China
send only approved templates, so an adapter receives the event kind and the
template variables beside the rendered text; the console and memory adapters
use the text, the gateway adapters the template.
"""

import base64
import hashlib
import hmac
import json
import logging
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from matching.core.masking import phone_prefix_only

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway refused or could not be reached; the delivery is retried."""


class SmsSender:
    """The interface: deliver one message to ``phone``; raise ``SmsError`` on failure."""

    def send(self, *, phone, text, kind="", params=None):
        raise NotImplementedError

    @classmethod
    def configuration_problems(cls):
        """What is missing from the settings for this adapter (empty: ready)."""
        return []


class ConsoleSmsSender(SmsSender):
    """Logs that a message was sent, to a masked number (development).

    Never the text: it carries the receipt number, the other half of the
    status-lookup credentials.
    """

    def send(self, *, phone, text, kind="", params=None):
        logger.info(
            "SMS to %s: %s characters (text not logged)", phone_prefix_only(phone), len(text)
        )


class MemorySmsSender(SmsSender):
    """Keeps (phone, text) in ``outbox`` (tests)."""

    outbox = []

    def send(self, *, phone, text, kind="", params=None):
        self.outbox.append((phone, text))


def percent_encode(value):
    """RFC 3986 encoding as Alibaba Cloud's RPC signature specifies (space as %20,
    ``~`` kept, everything else outside unreserved characters encoded)."""
    return quote(str(value), safe="~")


def rpc_signature(*, secret, parameters, method="GET"):
    """Alibaba Cloud RPC signature version 1.0 (HMAC-SHA1) of ``parameters``."""
    canonical = "&".join(
        f"{percent_encode(key)}={percent_encode(parameters[key])}" for key in sorted(parameters)
    )
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsSender(SmsSender):
    """Alibaba Cloud SMS, ``SendSms`` of API version 2017-05-25, signed per request.

    Settings: ``ALIYUN_SMS_ACCESS_KEY_ID``, ``ALIYUN_SMS_ACCESS_KEY_SECRET``,
    ``ALIYUN_SMS_SIGN_NAME`` and ``ALIYUN_SMS_TEMPLATES`` (event kind → approved
    template code; the template's variables are the message's parameters).
    """

    endpoint = "https://dysmsapi.aliyuncs.com/"
    timeout = 10

    def __init__(self, *, session=None, clock=None, nonce=None):
        self.session = session or requests.Session()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.nonce = nonce or (lambda: uuid.uuid4().hex)

    @classmethod
    def configuration_problems(cls):
        names = ["ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET", "ALIYUN_SMS_SIGN_NAME"]
        missing = [name for name in names if not getattr(settings, name, "")]
        if not getattr(settings, "ALIYUN_SMS_TEMPLATES", None):
            missing.append("ALIYUN_SMS_TEMPLATES")
        return missing

    def parameters(self, *, phone, kind, params):
        template = settings.ALIYUN_SMS_TEMPLATES.get(kind)
        if not template:
            raise SmsError(f"no SMS template configured for {kind!r}")
        return {
            "AccessKeyId": settings.ALIYUN_SMS_ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou",
            "SignName": settings.ALIYUN_SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": self.nonce(),
            "SignatureVersion": "1.0",
            "TemplateCode": template,
            "TemplateParam": json.dumps(params or {}, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }

    def send(self, *, phone, text, kind="", params=None):
        parameters = self.parameters(phone=phone, kind=kind, params=params)
        signature = rpc_signature(
            secret=settings.ALIYUN_SMS_ACCESS_KEY_SECRET, parameters=parameters
        )
        query = "&".join(
            f"{percent_encode(k)}={percent_encode(v)}"
            for k, v in [("Signature", signature), *sorted(parameters.items())]
        )
        try:
            response = self.session.get(f"{self.endpoint}?{query}", timeout=self.timeout)
            answer = response.json()
        except (requests.RequestException, ValueError) as error:
            raise SmsError(type(error).__name__) from None
        if answer.get("Code") != "OK":
            # The gateway's code only (e.g. isv.BUSINESS_LIMIT_CONTROL), never the number.
            raise SmsError(str(answer.get("Code", response.status_code))[:80])
        return answer.get("BizId", "")


def sms_sender():
    return import_string(settings.SMS_SENDER)()


def sms_gateway_check():
    """Refuse to start when the configured adapter lacks its keys."""
    missing = import_string(settings.SMS_SENDER).configuration_problems()
    if missing:
        raise ImproperlyConfigured(
            f"SMS_SENDER is {settings.SMS_SENDER} but these settings are empty: "
            + ", ".join(missing)
        )
