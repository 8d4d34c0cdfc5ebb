"""Encryption at rest for personal data, and a blind index for lookups.

Values are encrypted with Fernet (``cryptography``) under
``settings.PERSONAL_DATA_KEYS`` (newest first, so keys rotate through
MultiFernet). Because Fernet tokens are randomized, equality lookups go
through a keyed HMAC-SHA256 "blind index" of the normalized value instead.
The index key is ``settings.PERSONAL_DATA_INDEX_KEY`` when set, otherwise
derived from the *oldest* data key, which stays put while newer keys are
added in front of it.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionFailed(Exception):
    """A stored value could not be decrypted with any configured key."""


def _configured_keys():
    keys = list(settings.PERSONAL_DATA_KEYS)
    if keys:
        return keys
    if settings.DEBUG or settings.SECRET_KEY.startswith(("dev-only", "test-only")):
        # Embedded demo only: production settings refuse to start without keys.
        digest = hashlib.sha256(("personal-data:" + settings.SECRET_KEY).encode()).digest()
        return [base64.urlsafe_b64encode(digest).decode()]
    raise ImproperlyConfigured("PERSONAL_DATA_KEYS is not set.")


@cache
def _cipher(keys):
    return MultiFernet([Fernet(key) for key in keys])


@cache
def _index_key(keys, explicit):
    if explicit:
        return explicit.encode()
    return hashlib.sha256(("blind-index:" + keys[-1]).encode()).digest()


def encrypt(value):
    return _cipher(tuple(_configured_keys())).encrypt(value.encode()).decode()


def decrypt(token):
    try:
        return _cipher(tuple(_configured_keys())).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionFailed("stored value cannot be decrypted with the configured keys") from (
            error
        )


def blind_index(value):
    """A stable keyed digest of ``value`` (upper-cased, stripped) for equality lookups."""
    keys = tuple(_configured_keys())
    key = _index_key(keys, settings.PERSONAL_DATA_INDEX_KEY)
    normalized = value.strip().upper().encode()
    return hmac.new(key, normalized, hashlib.sha256).hexdigest()


def rotate(token):
    """``token`` re-encrypted under the newest key (MultiFernet.rotate); same plaintext."""
    try:
        return _cipher(tuple(_configured_keys())).rotate(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionFailed("stored value cannot be decrypted with the configured keys") from (
            error
        )


def is_current(token):
    """Whether ``token`` is under the newest key (so an older key could be dropped)."""
    try:
        _newest(_configured_keys()[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


@cache
def _newest(key):
    return Fernet(key)
