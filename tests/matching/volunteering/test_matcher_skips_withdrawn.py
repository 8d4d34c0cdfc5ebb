"""A volunteer who withdraws consent is proposed no more, by either matcher backend
(Elasticsearch learns it from the search outbox, as in production)."""

import uuid

import pytest

from matching.volunteering import services
from search import indexer, indices, registry
from search.client import get_client
from search.matcher import ElasticsearchBackend, InProcessBackend, propose

pytestmark = pytest.mark.django_db


@pytest.fixture(
    params=[pytest.param("elasticsearch", marks=pytest.mark.elasticsearch), "inprocess"]
)
def backend(request):
    if request.param == "inprocess":
        return InProcessBackend()
    es_client = request.getfixturevalue("es_client")
    settings = request.getfixturevalue("settings")
    prefix = f"t{uuid.uuid4().hex[:10]}"
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    request.addfinalizer(
        lambda: es_client.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
    )
    indices.ensure(registry.spec("offers"))
    return ElasticsearchBackend()


def proposed_volunteers(case, backend):
    indexer.drain()
    if isinstance(backend, ElasticsearchBackend):
        get_client().indices.refresh(index="_all")
    result = propose(case, top=20, backend=backend)
    return {p["offer"] for p in result["proposals"] if p["type"] == "volunteer"}


def test_a_withdrawn_volunteer_is_not_proposed(backend, case, volunteer):
    ref = f"volunteer-{volunteer.pk}"
    assert ref in proposed_volunteers(case, backend)
    services.consent_withdraw(volunteer=volunteer, actor=volunteer.user)
    assert ref not in proposed_volunteers(case, backend)
