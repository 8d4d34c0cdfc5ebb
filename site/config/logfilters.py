"""A logging filter that keeps personal data and credentials out of every log line.

Attached to every handler in ``settings.LOGGING`` (the console and Django's
``django.server`` access log of ``runserver``). It rewrites the record's
message once, so whatever formats it afterwards sees the redacted text:

- the query string of any URL path is dropped (``GET /needs/?q=<ID number>``
  becomes ``GET /needs/?…``): public search terms, filters and any
  parameter a visitor typed may be personal data;
- as a second line of defence, anything shaped like a resident ID number, a
  mainland mobile number or a case/complaint receipt number (a status-lookup
  credential) is masked wherever it appears in a message.

The code paths that log are written not to log such data in the first place
(docs/governance.md, "Logs"); this filter is for what they cannot foresee
(a URL, an exception's text).
"""

import logging
import re

# A path followed by a query string: "/needs/?q=..." (up to whitespace or a quote).
_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")
# 18-character resident ID numbers (17 digits and a digit or X).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# Mainland mobile numbers, optionally with +86.
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86)?1[3-9]\d{9}(?![0-9A-Za-z])")
# Case (CC) and complaint (TS) receipt numbers: prefix, yymmdd, 8 characters.
_RECEIPT = re.compile(r"(?<![0-9A-Za-z])(?:CC|TS)\d{6}[0-9A-Za-z]{8}(?![0-9A-Za-z])", re.I)

REDACTED = "…"


def redact(text):
    """``text`` without query strings, ID numbers, mobile numbers or receipt numbers."""
    text = _QUERY.sub(rf"\1?{REDACTED}", text)
    text = _ID_NUMBER.sub("[ID number]", text)
    text = _MOBILE.sub("[mobile number]", text)
    return _RECEIPT.sub("[receipt number]", text)


class RedactPersonalData(logging.Filter):
    """Rewrite the record's message with :func:`redact`; never drops a record."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A malformed message/args pair: leave it to the formatter's own error.
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
