import pytest

pytestmark = pytest.mark.elasticsearch


def test_the_node_is_elasticsearch_7(es_client):
    info = es_client.info()
    assert info["version"]["number"].startswith("7.")
    assert info["tagline"] == "You Know, for Search"


def test_a_chinese_document_is_indexed_and_found(es_client, es_index):
    es_client.indices.create(
        index=es_index, mappings={"properties": {"story": {"type": "text", "analyzer": "cjk"}}}
    )
    es_client.index(index=es_index, id="1", document={"story": "患尿毒症需要长期透析，家庭困难"})
    es_client.index(index=es_index, id="2", document={"story": "孩子考上大学，申请助学金"})
    es_client.indices.refresh(index=es_index)

    hits = es_client.search(index=es_index, query={"match": {"story": "透析"}})
    assert [hit["_id"] for hit in hits["hits"]["hits"]] == ["1"]
