from django.db import models


class OutboxEntry(models.Model):
    """A change to an indexed row, written in the same transaction as the change.

    The indexer drains these in id order; the id is also the document's
    external version, so an older change can never overwrite a newer one.
    Rows stay until Elasticsearch has acknowledged them: when it is down,
    saves still succeed and the backlog drains once it is back.
    """

    id = models.BigAutoField(primary_key=True)
    index = models.CharField(max_length=40)
    model = models.CharField(max_length=60)
    object_pk = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    # Set once Elasticsearch acknowledged the change. Processed rows are kept
    # for a while so that a rebuild can replay what happened while it ran.
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(processed_at__isnull=True), name="outbox_pending"
            ),
        ]

    def __str__(self):
        return f"{self.index}:{self.model}:{self.object_pk}@{self.id}"


class IndexVersion(models.Model):
    """A token that changes whenever a row feeding an index changes.

    Written after the change commits (search.versions), read before each
    in-process match: a process keeps an index's prepared documents in memory
    (search.offer_cache) for as long as the token it read them under is the
    one in the database. A fresh random token (never a counter) on every
    change, so that a rolled-back change or an emptied table can never bring
    back a token some process cached other rows under.
    """

    name = models.CharField(max_length=40, primary_key=True)
    token = models.BigIntegerField()

    def __str__(self):
        return f"{self.name}@{self.token}"
