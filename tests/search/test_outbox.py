"""No lost updates: the outbox, external versions, blocked Elasticsearch, rebuilds."""

import io
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from matching_city import organization, project, tree

from matching.offers.models import Project
from search import indexer, indices, reconcile, registry
from search.client import get_client
from search.models import OutboxEntry

pytestmark = [pytest.mark.elasticsearch]


def indexed_titles():
    client = get_client()
    client.indices.refresh(index=indices.read_alias("offers"))
    hits = client.search(index=indices.read_alias("offers"), size=10_000, query={"match_all": {}})
    return {hit["_source"]["ref"]: hit["_source"]["title"] for hit in hits["hits"]["hits"]}


@pytest.fixture
def charity(db, offers_index):
    tree()
    return organization("O-1", "长春市慈善总会", "220100")


@pytest.mark.django_db
def test_a_save_writes_an_outbox_entry_in_its_own_transaction(charity):
    with transaction.atomic():
        saved = project(charity, "P-1")
        assert OutboxEntry.objects.filter(model="offers.project", object_pk=str(saved.pk)).exists()
        transaction.set_rollback(True)
    assert not OutboxEntry.objects.filter(object_pk=str(saved.pk)).exists()


@pytest.mark.django_db
def test_changes_made_while_elasticsearch_is_unreachable_arrive_when_it_is_back(charity, settings):
    reachable = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"  # Elasticsearch blocked
    for number in range(500):
        project(charity, f"P-{number}", title=f"透析救助 {number}")
    assert indexer.drain() == 0  # nothing acknowledged, nothing lost
    assert OutboxEntry.objects.filter(processed_at__isnull=True).count() == 500

    settings.ELASTICSEARCH_URL = reachable
    assert indexer.drain() == 500
    titles = indexed_titles()
    assert all(titles[f"P-{n}"] == f"透析救助 {n}" for n in range(500))


@pytest.mark.django_db
def test_an_older_version_never_overwrites_a_newer_one(charity):
    saved = project(charity, "P-1", title="第一版")
    indexer.drain()
    saved.title = "第二版"
    saved.save()
    indexer.drain()
    source = registry.spec("offers").source_for(Project)
    body = source.prepare(source.row_of(saved))
    stale = {**body, "title": "第一版"}
    oldest = OutboxEntry.objects.filter(object_pk=str(saved.pk)).order_by("id").first()
    indices.send(
        [
            {
                "_op_type": "index",
                "_index": indices.write_targets("offers")[0],
                "_id": f"project-{saved.pk}",
                "version": oldest.id,
                "version_type": "external",
                "_source": stale,
            }
        ]
    )
    assert indexed_titles()["P-1"] == "第二版"


def _in_thread(work):
    errors = []

    def run():
        try:
            work()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_of_one_record_end_with_the_newest_indexed(charity, settings):
    settings.SEARCH_LIVE_INDEXING = False  # the threads drain by hand
    saved = project(charity, "P-1")

    def update(number):
        def work():
            close_old_connections()
            for step in range(10):
                with transaction.atomic():
                    row = Project.objects.select_for_update().get(pk=saved.pk)
                    row.title = f"写者{number}-{step}"
                    row.save()
                indexer.drain(batch_size=3)

        return work

    threads = [_in_thread(update(n)) for n in range(4)]
    for thread, errors in threads:
        thread.join()
        assert errors == []
    indexer.drain()
    assert indexed_titles()["P-1"] == Project.objects.get(pk=saved.pk).title


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rebuild_while_changes_are_written_loses_none(charity, settings):
    settings.SEARCH_LIVE_INDEXING = False
    rows = [project(charity, f"P-{n}", title=f"原始 {n}") for n in range(300)]
    indexer.drain()
    before = indices.read_target("offers")

    def write():
        close_old_connections()
        for row in rows[::3]:
            row.title = f"改写 {row.ref}"
            row.budget_remaining = Decimal("1.00")
            row.save()
            indexer.drain(batch_size=20)

    writer, errors = _in_thread(write)
    call_command("search_rebuild", "offers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    writer.join()
    assert errors == []
    indexer.drain()

    assert indices.read_target("offers") != before
    titles = indexed_titles()
    assert titles == dict(Project.objects.values_list("ref", "title"))
    assert not reconcile.drift(registry.spec("offers"))


@pytest.mark.django_db
def test_reconcile_finds_and_repairs_drift(charity):
    kept, gone, edited = (project(charity, ref) for ref in ("P-1", "P-2", "P-3"))
    indexer.drain()
    client = get_client()
    target = indices.write_targets("offers")[0]
    # Three kinds of drift, each made behind the outbox's back.
    client.delete(index=target, id=f"project-{kept.pk}")
    Project.objects.filter(pk=edited.pk).update(title="绕过服务直接改库")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM offers_project WHERE id = %s", [gone.pk])
    client.indices.refresh(index=target)

    found = reconcile.drift(registry.spec("offers"))
    assert {pk for _, pk in found.missing} == {kept.pk}
    assert {str(pk) for _, pk in found.extra} == {str(gone.pk)}
    assert {pk for _, pk in found.stale} == {edited.pk}

    reconcile.repair(registry.spec("offers"))
    assert not reconcile.drift(registry.spec("offers"))
    assert indexed_titles() == {"P-1": kept.title, "P-3": "绕过服务直接改库"}


@pytest.mark.django_db
def test_the_reconcile_command_fails_on_drift_until_repaired(charity):
    from django.core.management.base import CommandError

    project(charity, "P-1")  # never drained: missing from the index
    with pytest.raises(CommandError, match="--repair"):
        call_command("search_reconcile", "offers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("search_reconcile", "offers", "--repair", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("search_reconcile", "offers", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.django_db
def test_acknowledged_entries_are_pruned_after_the_retention_and_pending_ones_never(
    charity, settings
):
    settings.SEARCH_OUTBOX_RETENTION_DAYS = 7
    old, recent, waiting = (project(charity, ref) for ref in ("P-old", "P-recent", "P-waiting"))
    indexer.drain()
    now = timezone.now()
    entries = OutboxEntry.objects.filter
    entries(object_pk=str(old.pk)).update(processed_at=now - timedelta(days=8))
    entries(object_pk=str(recent.pk)).update(processed_at=now - timedelta(days=6))
    entries(object_pk=str(waiting.pk)).update(processed_at=None)  # Elasticsearch never acked
    entries(object_pk=str(waiting.pk)).update(created_at=now - timedelta(days=30))
    expected = entries(processed_at__lt=now - timedelta(days=7)).count()
    assert expected >= 1

    out = io.StringIO()
    call_command("search_outbox_prune", stdout=out)

    remaining = set(OutboxEntry.objects.values_list("object_pk", flat=True))
    assert str(old.pk) not in remaining
    assert {str(recent.pk), str(waiting.pk)} <= remaining
    assert f"已清理 {expected} 条已同步超过 7 天的变更记录" in out.getvalue()
    # Versions keep rising after a prune: the next change of a pruned record still wins.
    old.title = "剪枝之后的新标题"
    old.save()
    indexer.drain()
    assert indexed_titles()["P-old"] == "剪枝之后的新标题"
