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
