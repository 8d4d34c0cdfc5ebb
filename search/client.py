"""The Elasticsearch connection, and a clear failure when it cannot be had."""

from functools import cache

import orjson
from django.conf import settings
from django.utils.translation import gettext as _
from elasticsearch import Elasticsearch
from elasticsearch import exceptions as es_exceptions
from elasticsearch.serializer import JSONSerializer


class SearchUnavailable(RuntimeError):
    """Elasticsearch is not configured or does not answer."""


def hosts():
    """The nodes to talk to: ``ELASTICSEARCH_HOSTS``, else ``ELASTICSEARCH_URL``."""
    listed = [host.strip() for host in settings.ELASTICSEARCH_HOSTS if host.strip()]
    if listed:
        return listed
    return [settings.ELASTICSEARCH_URL] if settings.ELASTICSEARCH_URL else []


def is_configured():
    return bool(hosts())


class OrjsonSerializer(JSONSerializer):
    """The client's JSON, through orjson (5-10x faster on bulk bodies and on
    search responses); anything orjson refuses goes the standard way."""

    def dumps(self, data):
        if isinstance(data, str):
            return data
        try:
            return orjson.dumps(data, default=self.default).decode()
        except TypeError:
            return super().dumps(data)

    def loads(self, s):
        try:
            return orjson.loads(s)
        except orjson.JSONDecodeError:
            return super().loads(s)


@cache
def _client(nodes, timeout, max_retries):
    """One client per host list: a request that cannot connect to a node marks
    it dead for a while and is retried on the next one (round robin). No
    sniffing: the nodes' published addresses may not be reachable from here
    (containers, a proxy), and the configured list is the truth. A timeout is
    not retried: the query may still be running on the node that timed out."""
    return Elasticsearch(
        list(nodes),
        timeout=timeout,
        max_retries=max_retries,
        retry_on_timeout=False,
        sniff_on_start=False,
        sniff_on_connection_fail=False,
        sniffer_timeout=None,
        serializer=OrjsonSerializer(),
    )


def get_client():
    if not is_configured():
        raise SearchUnavailable(
            _(
                "未配置 Elasticsearch：请设置环境变量 ELASTICSEARCH_URL（例如 http://127.0.0.1:9200）。"
            )
        )
    return _client(
        tuple(hosts()), settings.ELASTICSEARCH_TIMEOUT, settings.ELASTICSEARCH_MAX_RETRIES
    )


def cluster_info():
    """The node's ``GET /`` answer; raises SearchUnavailable naming the address and the fix."""
    try:
        return get_client().info()
    except (es_exceptions.ConnectionError, es_exceptions.TransportError) as error:
        raise SearchUnavailable(
            _(
                "无法连接 Elasticsearch（%(url)s）：%(reason)s。"
                "请启动本地节点（scripts/elasticsearch.sh start）或检查 ELASTICSEARCH_URL。"
            )
            % {"url": ", ".join(hosts()), "reason": type(error).__name__}
        ) from error


def index_name(base):
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{base}"
