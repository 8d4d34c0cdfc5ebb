"""A model field whose value is stored encrypted (see ``crypto``)."""

from django.db import models

from matching.core import crypto

_PREFIX = "fernet:"


class EncryptedTextField(models.TextField):
    """Plain text in Python, a Fernet token in the database.

    Not searchable or orderable by value; pair it with a blind-index column
    when lookups are needed.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value.removeprefix(_PREFIX))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return _PREFIX + crypto.encrypt(value)
