from django.core.management.base import BaseCommand, CommandError

from matching.cases.services import api_token_issue
from matching.directory.models import Department


class Command(BaseCommand):
    help = "Issue a department API token; the key is printed once and only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("jurisdiction", help="administrative code, e.g. 220104")
        parser.add_argument("kind", choices=Department.Kind.values)
        parser.add_argument("name", help="what the token is for, e.g. 医保结算系统")

    def handle(self, *args, jurisdiction, kind, name, **options):
        department = Department.objects.filter(jurisdiction_id=jurisdiction, kind=kind).first()
        if department is None:
            raise CommandError(f"没有这个部门 / no such department: {jurisdiction} {kind}")
        self.stdout.write(api_token_issue(department=department, name=name))
