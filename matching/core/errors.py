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


def refusal_show(request, error, *, form=None, field=None):
    """Show a refusal on ``form`` or, without a form, as a message on the next page.

    On a form the text goes to ``field``, else to the field the error names
    (a ``DomainError``'s ``field``, a ``ValidationError``'s dict keys) when
    the form has it, else above the form.
    """
    if form is None:
        messages.error(request, refusal_message(error))
        return
    if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
        return
    field = field if field is not None else getattr(error, "field", None)
    texts = _messages_of(error) or [refusal_message(error)]
    form.add_error(field if field in form.fields else None, texts)
