"""One error type for the domain, turned into a message in one place.

A service refuses a request by raising a ``DomainError`` (or a subclass an
app keeps under its own name); its ``message`` is fit to show the user, and
``field`` optionally names the form field it concerns. Views, admin views
and the API turn every refusal into text with ``refusal_message`` and show
it with ``refusal_show`` (pages) or the API's one handler. Django's own
``ValidationError`` and ``PermissionDenied``, which services also raise,
are shown the same way.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request the domain's rules refuse; ``str()`` is the user-facing message."""

    default_message = _("该操作不符合办理规则，未能完成。")
    # What the API answers with: 409 a refusal of the request's content or
    # timing, 403 a refusal of the person.
    http_status = 409

    def __init__(self, message=None, *, field=None):
        message = self.default_message if message is None else message
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)


# Everything a service raises to refuse a request.
REFUSALS = (DomainError, ValidationError, PermissionDenied)

DEFAULT_PERMISSION_MESSAGE = _("您无权执行该操作。")


def _messages_of(error):
    if isinstance(error, DomainError):
        return [str(error.message)]
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error)] if str(error) else []


def refusal_message(error, *, default=None):
    """The one text a refusal shows the user, whatever surface shows it."""
    text = " ".join(_messages_of(error))
    if text:
        return text
    return str(default if default is not None else DEFAULT_PERMISSION_MESSAGE)


def refusal_status(error):
    """The HTTP status an API answers a refusal with."""
    if isinstance(error, DomainError):
        return error.http_status
    if isinstance(error, PermissionDenied):
        return 403
    return 409


def refusal_show(request, error, *, form=None):
    """Show a refusal on ``form`` (on its field when the error names one of
    the form's fields) or, without a form, as a message on the next page."""
    if form is None:
        messages.error(request, refusal_message(error))
        return
    field = getattr(error, "field", None)
    form.add_error(
        field if field in form.fields else None, _messages_of(error) or [refusal_message(error)]
    )
