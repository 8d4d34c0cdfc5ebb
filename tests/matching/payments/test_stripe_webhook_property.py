"""Property-based: any body signed with the webhook secret is answered 200 (a
recorded event) or 400, never a 500; a refused body records nothing.

Hypothesis draws event-shaped objects with random ids, types and data (the
handled types included, so the inline apply runs on them), random JSON, deep
nesting, text and bytes that are not UTF-8, and signature timestamps around now.
"""

import hmac
import json
import time

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.ledger.selectors import transaction_unbalanced_list
from matching.payments.models import StripeEvent
from matching.payments.webhooks import HANDLERS
from tests.matching.payments.conftest import WEBHOOK_URL

pytestmark = pytest.mark.django_db

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
stripe_objects = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=30), json_values),
        "object": st.sampled_from(["payment_intent", "charge", "checkout.session", "dispute"]),
        "amount": st.one_of(st.integers(min_value=-(2**63), max_value=2**63), json_values),
        "amount_received": st.integers(min_value=-(2**63), max_value=2**63),
        "amount_total": st.integers(min_value=-(2**63), max_value=2**63),
        "amount_refunded": st.one_of(st.integers(min_value=-(2**63), max_value=2**63), json_values),
        "currency": st.sampled_from(["cny", "usd", "", "CNY"]),
        "status": st.sampled_from(["succeeded", "won", "lost", "warning_closed", "?"]),
        "payment_status": st.sampled_from(["paid", "unpaid"]),
        "payment_intent": st.one_of(st.text(max_size=30), json_values),
        "metadata": st.one_of(
            st.fixed_dictionaries({"donation_id": st.one_of(st.text(max_size=25), json_values)}),
            json_values,
        ),
    },
)
events = st.fixed_dictionaries(
    {
        "id": st.one_of(st.text(min_size=1, max_size=60), json_values),
        "type": st.one_of(st.sampled_from([*HANDLERS, "payment_intent.succeeded"]), st.text()),
        "data": st.one_of(st.fixed_dictionaries({"object": stripe_objects}), json_values),
    },
    optional={"created": st.one_of(st.integers(min_value=-(2**70), max_value=2**70), json_values)},
)
bodies = st.one_of(
    events.map(json.dumps).map(str.encode),
    json_values.map(json.dumps).map(str.encode),
    st.integers(min_value=1, max_value=60_000).map(lambda n: ("[" * n + "]" * n).encode()),
    st.binary(max_size=200),
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies, skew=st.integers(min_value=-400, max_value=400))
def test_a_signed_body_is_recorded_or_refused_never_a_500(client, body, skew):
    timestamp = int(time.time()) + skew
    # Signed as Stripe signs: HMAC-SHA256 of "t.body" over the exact bytes (even
    # bytes that are not UTF-8).
    digest = hmac.new(
        django_settings.STRIPE_WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + body, "sha256"
    ).hexdigest()
    signature = f"t={timestamp},v1={digest}"
    before = StripeEvent.objects.count()
    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert StripeEvent.objects.count() == before
    assert not transaction_unbalanced_list().exists()
