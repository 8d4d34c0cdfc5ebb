"""No personal data or credential in a log line.

A real HTTP server (Django's ``WSGIRequestHandler``, what ``runserver``
writes its access log with) serves the site in a thread; every stream handler
that ``settings.LOGGING`` configured writes into a buffer instead of stderr,
so the test reads exactly the lines an operator would. A visitor searches
the public needs for an ID number, applies online (the receipt SMS goes
through the console sender), and looks the status up, once through the
form and once with the credentials in the URL.
"""

import datetime as dt
import io
import logging
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import override_settings
from django.test.testcases import LiveServerThread

from config.logfilters import redact
from matching.cases.models import Case
from search import indices
from search.public_needs import PUBLIC_NEEDS
from tests.matching.cases.case_factories import city_tree, id_number
from tests.matching.publication import publication_factories as pf

APPLICANT_ID = id_number(born=dt.date(1969, 11, 3), male=False)
PHONE = "13904315566"


class _LoggingServerThread(LiveServerThread):
    """A live server that logs requests as runserver does (the test server's
    own handler is silent)."""

    def _create_server(self, connections_override=None):
        return self.server_class(
            (self.host, self.port),
            WSGIRequestHandler,
            allow_reuse_address=False,
            connections_override=connections_override,
        )


@pytest.fixture
def server():
    thread = _LoggingServerThread("127.0.0.1", static_handler=lambda handler: handler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def server_log():
    """Everything the configured stream handlers write, as they write it."""
    buffer = io.StringIO()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    # Exactly StreamHandler: what settings.LOGGING made, not pytest's own
    # capturing handlers (subclasses, unfiltered by design).
    handlers = {
        handler
        for logger in loggers
        for handler in logger.handlers
        if type(handler) is logging.StreamHandler
    }
    previous = {handler: handler.setStream(buffer) for handler in handlers}
    assert previous, "settings.LOGGING configured no stream handler"
    yield buffer
    for handler, stream in previous.items():
        handler.setStream(stream)


class _Browser:
    """urllib with cookies and Django's CSRF token, over real HTTP."""

    def __init__(self, base):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - http only

    def post(self, path, data):
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(  # noqa: S310 - http to the test server
            self.base + path, data=body.encode(), headers={"Referer": self.base + path}
        )
        return self._open(request)

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            return error.read().decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(SMS_SENDER="matching.notifications.sms.ConsoleSmsSender")
def test_no_id_number_phone_or_receipt_number_reaches_the_log(server, server_log, es_client):
    cache.clear()
    pf.ensure_site_data()
    indices.ensure(PUBLIC_NEEDS)
    places = city_tree()
    browser = _Browser(server)

    listing = browser.get("/needs/?" + urllib.parse.urlencode({"q": APPLICANT_ID}))
    assert "<html" in listing
    done = browser.post(
        "/apply/",
        {
            "name": "孙玉梅",
            "id_number": APPLICANT_ID,
            "phone": PHONE,
            "jurisdiction": places["hongqi"].code,
            "address": "长春市朝阳区红旗街道某小区 9 栋 2 单元 401",
            "categories": ["medical"],
            "help_forms": ["material"],
            "urgency": "emergency",
            "description": "女儿突发白血病住院，医疗费用无力承担。",
            "pledge": "on",
        },
    )
    receipt = Case.objects.get().receipt_number
    assert receipt in done
    lookup = {"receipt_number": receipt, "phone_last4": PHONE[-4:]}
    assert "当前状态" in browser.post("/apply/status/", lookup)
    browser.get("/apply/status/?" + urllib.parse.urlencode(lookup))

    log = server_log.getvalue()
    # The server did log these requests, and the SMS was "sent".
    assert '"GET /needs/?' in log and '"POST /apply/status/ HTTP/1.1" 200' in log
    assert "SMS to 139" in log
    for secret in (APPLICANT_ID, PHONE, PHONE[-4:], receipt, receipt.lower()):
        assert secret not in log, f"{secret!r} in the log:\n{log}"


def test_the_filter_masks_what_a_log_call_could_not_foresee():
    line = redact(
        '"GET /needs/?q=220104197508210019&page=2 HTTP/1.1" 200 5120 '
        "for 13804312277 (CC261206ABCD2345, ts261206wxyz2345) 22010419750821001X"
    )
    assert line == (
        '"GET /needs/?… HTTP/1.1" 200 5120 for [mobile number] '
        "([receipt number], [receipt number]) [ID number]"
    )
    # Amounts, dates, ids of other shapes are left alone.
    assert redact("donation 42: ¥1,000.00 on 2026-12-06, evt_1234567890") == (
        "donation 42: ¥1,000.00 on 2026-12-06, evt_1234567890"
    )


ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorns_access_log_has_no_query_string(tmp_path):
    """gunicorn started from the checkout reads gunicorn.conf.py; its access log
    line for a search by ID number holds the path, never the query."""
    port, access_log = _free_port(), tmp_path / "access.log"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--pythonpath",
            "tests/site",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "plain_wsgi:application",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/needs/?" + urllib.parse.urlencode({"q": APPLICANT_ID})
        for _ in range(100):
            try:
                request = urllib.request.Request(url, headers={"Referer": url})
                with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - local http
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
    finally:
        process.terminate()
        process.wait(timeout=30)
    log = access_log.read_text()
    assert '"GET /needs/ HTTP/1.1" 200' in log
    assert APPLICANT_ID not in log and "q=" not in log
