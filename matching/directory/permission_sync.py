"""Role groups get their permissions after one ``migrate``, in one place.

Each app that gives role groups model permissions registers its sync here
(``permission_sync_register`` in its ``AppConfig.ready``). They used to be
``post_migrate`` receivers of their own app; but Django creates an app's
permission rows in ``create_permissions``, another ``post_migrate``
receiver, connected by ``django.contrib.auth`` — listed after our apps, so
connected later and run after ours. On a fresh database a sync therefore
found no permission rows for its own app and granted nothing; only a
second ``migrate`` (or ``seed_demo``'s own calls) filled the groups.

Now one receiver runs once per ``migrate`` (and per test flush), on the last
app Django signals: it creates the content types and permissions of every
installed app first (idempotent), then runs every registered sync, in
registration (``INSTALLED_APPS``) order.
"""

from django.apps import apps as global_apps

_SYNCS = []


def permission_sync_register(sync):
    """Run ``sync(sender=None)`` after every migrate, once every permission exists."""
    if sync not in _SYNCS:
        _SYNCS.append(sync)


def permissions_sync_all(*, using="default"):
    """Create every app's permissions, then give each role group its own."""
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        if app_config.models_module is not None:
            create_permissions(
                app_config, verbosity=0, interactive=False, using=using, apps=global_apps
            )
    for sync in _SYNCS:
        sync(sender=None)


def _last_signalled_app():
    # migrate's emit_post_migrate_signal sends to each app with a models
    # module, in this order.
    return [c for c in global_apps.get_app_configs() if c.models_module is not None][-1]


def on_post_migrate(sender, using="default", **kwargs):
    if sender is _last_signalled_app():
        permissions_sync_all(using=using)
