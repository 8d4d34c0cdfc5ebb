import pytest

from matching.ledger.models import Account
from matching.ledger.services import account_open


@pytest.fixture
def clearing():
    return account_open(code="stripe:clearing", kind=Account.Kind.CLEARING)


@pytest.fixture
def need_account():
    """A medical need that still requires 5,000 yuan."""
    return account_open(
        code="need:17", kind=Account.Kind.NEED, category="medical", earmark_cap_minor=500_000
    )
