"""Background sending: thin tasks that load by primary key and call the service."""

from django_tasks import task

from .sending import deliveries_send_due, delivery_send_now


@task()
def delivery_send(*, delivery_id):
    """Send one e-mail or text message (a missing row is tolerated)."""
    return delivery_send_now(delivery_id=delivery_id)


@task()
def deliveries_sweep():
    """The scheduler's minute job: messages held by quiet hours, and retries."""
    return deliveries_send_due()
