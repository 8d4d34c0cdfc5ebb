import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from matching.cases.models import Case
from search.client import SearchUnavailable
from search.matcher import get_backend, propose


class Command(BaseCommand):
    help = "Propose offers for one need (INTERCHANGE.md: match NEED_REF --top N --json)."

    def add_arguments(self, parser):
        parser.add_argument("need_ref")
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--backend", choices=["elasticsearch", "inprocess"])
        parser.add_argument("--language", choices=["zh-hans", "en"])

    def handle(self, *args, need_ref, top, json, backend, language, **options):
        if language:
            translation.activate(language)
        need = Case.objects.filter(Q(ref=need_ref) | Q(receipt_number=need_ref)).first()
        if need is None:
            raise CommandError(_("未找到求助 %(ref)s。") % {"ref": need_ref})
        if top < 1:
            raise CommandError(_("--top 必须是正整数。"))
        try:
            result = propose(need, top=top, backend=get_backend(backend))
        except SearchUnavailable as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_dump(result) if json else _table(result))


def _dump(result):
    return json.dumps(result, ensure_ascii=False)


def _table(result):
    lines = [_("求助 %(ref)s 的匹配建议：") % {"ref": result["need"]}]
    lines += [
        f"  {p['score']:.3f}  {p['type']:<9} {p['offer']:<12} {'；'.join(p['reasons'])}"
        for p in result["proposals"]
    ]
    lines += [_("排除：") + f" {e['offer']} — {e['reason']}" for e in result["excluded"]]
    return "\n".join(lines)
