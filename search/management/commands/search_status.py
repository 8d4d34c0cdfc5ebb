from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from search.client import SearchUnavailable, cluster_info


class Command(BaseCommand):
    help = "Check that Elasticsearch answers and print its version."

    def handle(self, *args, **options):
        try:
            info = cluster_info()
        except SearchUnavailable as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Elasticsearch %(version)s（集群 %(cluster)s）可用。")
            % {"version": info["version"]["number"], "cluster": info["cluster_name"]}
        )
