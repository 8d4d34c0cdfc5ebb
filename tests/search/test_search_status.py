import pytest
from django.core.management import CommandError, call_command

from search import client


@pytest.mark.elasticsearch
def test_search_status_reports_the_node_version(es_client, capsys):
    call_command("search_status")
    assert "Elasticsearch 7.10.2" in capsys.readouterr().out


def test_an_unreachable_node_is_named_with_the_fix(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    client._client.cache_clear()
    with pytest.raises(CommandError) as caught:
        call_command("search_status")
    message = str(caught.value)
    assert "http://127.0.0.1:1" in message
    assert "ELASTICSEARCH_URL" in message


def test_a_missing_address_says_which_variable_to_set(settings):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_status")
