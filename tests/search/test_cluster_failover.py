"""A search cluster that survives a node (issue 22).

Three real Elasticsearch 7.10.2 nodes in one JVM (services/elasticsearch/src/
ClusterNodes.java, on HTTP ports 9260-9262, never the shared 9250), indexes
with one replica, and one node stopped in the middle of a matching run and in
the middle of an outbox drain. The nodes are stopped and started again through
the process's stdin.

One test function on purpose: under ``pytest -n 2`` two test functions could
land on two workers, each starting its own cluster on the same ports (and the
JVM's start is most of the runtime).
"""

import subprocess
import threading
from pathlib import Path

import pytest
from matching_city import need, offers, project, tree

from matching.directory.models import Organization
from search import client, indexer, indices, registry
from search.matcher import ElasticsearchBackend, propose
from search.models import OutboxEntry

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]

REPO = Path(__file__).resolve().parents[2]
ES_DIR = REPO / "services" / "elasticsearch"
FIRST_PORT = 9260
NODES = 3
URLS = [f"http://127.0.0.1:{FIRST_PORT + i}" for i in range(NODES)]
STARTUP_SECONDS = 180


class Cluster:
    """The JVM running the nodes, and its line protocol (stop I / start I)."""

    def __init__(self, data_dir):
        built = subprocess.run(
            [str(REPO / "scripts" / "elasticsearch.sh"), "build"],
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode:
            pytest.fail(f"could not build the cluster runner: {built.stderr[-2000:]}")
        self.output = []
        self.process = subprocess.Popen(
            [
                "java",
                "-Xms1500m",
                "-Xmx1500m",
                "-XX:+UseSerialGC",
                "-Des.distribution.flavor=default",
                "-Dlog4j2.disable.jmx=true",
                "-cp",
                f"{ES_DIR / 'target' / 'classes'}:{ES_DIR / 'target' / 'lib' / '*'}",
                "ClusterNodes",
                str(data_dir),
                str(FIRST_PORT),
                str(NODES),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.expect("ready", STARTUP_SECONDS)

    def expect(self, word, timeout):
        """Reads the runner's output until a line starts with ``word``."""
        found = threading.Event()
        failed = []

        def read():
            for line in self.process.stdout:
                self.output.append(line)
                if line.startswith(word):
                    found.set()
                    return
                if line.startswith("error"):
                    failed.append(line)
                    found.set()
                    return
            found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(timeout) or failed or self.process.poll() is not None:
            self.close()
            pytest.fail(f"the cluster did not answer {word!r}: {''.join(self.output[-30:])}")

    def command(self, line, answer):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        self.expect(answer, 60)

    def stop(self, node):
        self.command(f"stop {node}", f"stopped {node}")

    def start(self, node):
        self.command(f"start {node}", f"started {node}")

    def close(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.write("quit\n")
                self.process.stdin.close()
                self.process.wait(30)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


@pytest.fixture
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("es-cluster"))
    yield running
    running.close()


@pytest.fixture
def on_cluster(cluster, settings):
    """Settings pointing at the three nodes, indexes with one replica."""
    settings.ELASTICSEARCH_HOSTS = URLS
    settings.ELASTICSEARCH_SHARDS = 3
    settings.ELASTICSEARCH_REPLICAS = 1
    settings.ELASTICSEARCH_INDEX_PREFIX = "cluster-failover"
    client._client.cache_clear()
    es = client.get_client()
    es.indices.delete(index="cluster-failover-*", ignore_unavailable=True)
    indices.ensure(registry.spec("offers"))
    yield es
    client._client.cache_clear()


def master_node(es):
    """The elected master's index in the runner (its node names are "Node 1", "Node 2", ...)."""
    name = es.cat.master(format="json")[0]["node"]
    return int(name.rsplit(" ", 1)[1]) - 1


def green(es):
    health = es.cluster.health(wait_for_status="green", wait_for_nodes=NODES, timeout="90s")
    assert health["status"] == "green", health
    return health


def test_the_search_cluster_survives_a_node(cluster, on_cluster, monkeypatch):
    es = on_cluster
    _, _, hongqi = tree()
    offers()
    indexer.drain()
    es.indices.refresh(index="_all")
    green(es)
    matching_keeps_answering_while_a_node_stops(cluster, es, hongqi)
    an_outbox_drain_loses_nothing_when_a_node_stops_midway(cluster, es, monkeypatch)


def matching_keeps_answering_while_a_node_stops(cluster, es, hongqi):
    needs = [
        need(hongqi, ref="N-1"),
        need(hongqi, ref="N-2", urgency="emergency"),
        need(hongqi, ref="N-3", categories=("medical", "education")),
        need(hongqi, ref="N-4", location=None),
    ]
    backend = ElasticsearchBackend()

    def run(cases):
        return [propose(case, top=20, backend=backend)["proposals"] for case in cases]

    before = run(needs)
    assert all(before), "every need has proposals on the healthy cluster"
    # The elected master, which also holds shard copies: the hardest node to lose.
    master = master_node(es)
    during = run(needs[:2])
    cluster.stop(master)
    try:
        during += run(needs[2:])
        assert during == before
        assert run(needs) == before  # every need again, each request on a live node
        health = es.cluster.health(wait_for_nodes=NODES - 1, timeout="30s")
        assert (health["number_of_nodes"], health["timed_out"]) == (NODES - 1, False)
        assert master_node(es) != master  # the other two elected a new master
    finally:
        cluster.start(master)
    green(es)
    assert run(needs) == before


def an_outbox_drain_loses_nothing_when_a_node_stops_midway(cluster, es, monkeypatch):
    charity = Organization.objects.get(ref="O-1")
    for number in range(600):
        project(charity, f"D-{number}", title=f"透析救助 {number}")
    real_send = indices.send
    batches = []

    def send_then_stop(actions, **kwargs):
        batches.append(len(actions := list(actions)))
        if len(batches) == 3:  # two batches are in, the third meets a stopped node
            cluster.stop(1)
        return real_send(actions, **kwargs)

    monkeypatch.setattr(indices, "send", send_then_stop)
    try:
        first = indexer.drain(batch_size=100)
        assert len(batches) >= 3, "the node stopped in the middle of the drain"
    finally:
        cluster.start(1)
    green(es)
    second = indexer.drain(batch_size=100)
    assert first + second == 600
    assert not OutboxEntry.objects.filter(processed_at__isnull=True).exists()
    alias = indices.read_alias("offers")
    es.indices.refresh(index=alias)
    hits = es.search(index=alias, size=10_000, query={"match_all": {}})["hits"]["hits"]
    titles = {hit["_source"]["ref"]: hit["_source"]["title"] for hit in hits}
    assert {ref: title for ref, title in titles.items() if ref.startswith("D-")} == {
        f"D-{n}": f"透析救助 {n}" for n in range(600)
    }
