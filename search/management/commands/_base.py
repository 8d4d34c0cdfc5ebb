from django.core.management.base import BaseCommand, CommandError

from search.client import SearchUnavailable, cluster_info


class SearchCommand(BaseCommand):
    """A command that needs Elasticsearch: checks it answers before doing anything."""

    def execute(self, *args, **options):
        try:
            cluster_info()
        except SearchUnavailable as error:
            raise CommandError(str(error)) from error
        return super().execute(*args, **options)
