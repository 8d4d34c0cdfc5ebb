"""What keeps matching and indexing fast must not change their answers:
service cells never lose a volunteer in reach, a backlog drain leaves the
index searchable with its refresh interval back, and an index built before
the doc-value fields existed is still matched correctly (read the old way)."""

import gc
import math
import random

import pytest
from matching_city import need, offers, organization, project, tree

from search import indexer, indices
from search.client import get_client
from search.constraints import MAX_RADIUS_KM, haversine_km, need_cells, service_cells
from search.matcher import ElasticsearchBackend, InProcessBackend, propose


def test_every_household_within_a_volunteers_radius_shares_one_of_its_cells():
    rng = random.Random(5)
    reached = 0
    for _ in range(5000):
        home = (rng.uniform(18, 54), rng.uniform(73, 135))  # China's span
        radius = rng.choice([0.3, 1.0, 2.5, 4.9, 8.0, 15.5, 31.0, 50.0, 120.0])
        cells = set(service_cells(home, radius))
        assert 1 <= len(cells) <= 15
        reach = min(radius, MAX_RADIUS_KM)
        distance, bearing = reach * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        household = (
            home[0] + distance / 111.2 * math.cos(bearing),
            home[1] + distance / (111.2 * math.cos(math.radians(home[0]))) * math.sin(bearing),
        )
        if haversine_km(home, household) <= reach:
            reached += 1
            assert cells & set(need_cells(household)), (home, radius, household)
    assert reached > 4000


def test_a_volunteer_without_a_position_has_no_cells():
    assert service_cells(None, 5.0) == []


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_a_backlog_drain_restores_the_refresh_interval_and_everything_is_searchable(
    offers_index, monkeypatch
):
    tree()
    charity = organization("O-1", "长春市慈善总会", "220100")
    monkeypatch.setattr(indexer, "BACKLOG", 10)
    for number in range(60):
        project(charity, f"P-{number}", title=f"透析救助 {number}")
    seen = []
    real = indices.bulk_loading

    def spying(names):
        seen.append(names)
        return real(names)

    monkeypatch.setattr(indices, "bulk_loading", spying)
    assert indexer.drain(batch_size=20) == 60
    assert seen == [["offers"]]  # the backlog path was taken
    client = get_client()
    (target,) = indices.write_targets("offers")
    interval = client.indices.get_settings(index=target, name="index.refresh_interval")
    assert interval[target]["settings"]["index"]["refresh_interval"] == "1s"
    # Searchable without an explicit refresh: the drain refreshed when it ended.
    found = client.count(
        index=indices.read_alias("offers"), body={"query": {"prefix": {"ref": "P-"}}}
    )
    assert found["count"] == 60


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_an_index_built_before_the_doc_value_fields_gives_the_same_proposals(es_prefix):
    from search.documents import OfferDocument

    _, _, hongqi = tree()
    offers()
    # The offers index as it was mapped before title.raw and service_cells.
    body = OfferDocument._index.to_dict()
    body["mappings"]["properties"]["title"].pop("fields")
    body["mappings"]["properties"].pop("service_cells")
    concrete = indices.index_name("offers-old")
    client = get_client()
    client.indices.create(index=concrete, body=body)
    client.indices.update_aliases(
        body={
            "actions": [
                {"add": {"index": concrete, "alias": indices.read_alias("offers")}},
                {"add": {"index": concrete, "alias": indices.write_alias("offers")}},
            ]
        }
    )
    indexer.drain()
    client.indices.refresh(index=concrete)
    case = need(hongqi)
    old = propose(case, top=20, backend=ElasticsearchBackend())
    assert old["proposals"]
    assert old["proposals"] == propose(case, top=20, backend=InProcessBackend())["proposals"]


@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_a_drain_pauses_collections_only_while_a_batch_runs(offers_index, settings, monkeypatch):
    """A worker drains for days: the collector must be back on after every
    batch, the one Elasticsearch refused included."""
    tree()
    charity = organization("O-1", "长春市慈善总会", "220100")
    real_send = indices.send
    during = []

    def watching(actions):
        during.append(gc.isenabled())
        return real_send(actions)

    monkeypatch.setattr(indices, "send", watching)
    project(charity, "P-1", title="透析救助")
    assert indexer.drain() == 1
    reachable = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"  # Elasticsearch blocked
    project(charity, "P-2", title="助学金")
    assert indexer.drain() == 0  # refused: the change waits
    settings.ELASTICSEARCH_URL = reachable
    assert during == [False, False]
    assert gc.isenabled()
