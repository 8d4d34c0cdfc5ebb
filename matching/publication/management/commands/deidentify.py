"""``manage.py deidentify``: preview what publication would make of case texts.

Reads JSON Lines on standard input, ``{"text": ..., "names": [...],
"addresses": [...]}``, and writes one ``{"text": ..., "findings": [...]}``
line per input line (docs/deidentification.md, INTERCHANGE.md).

The whole input is checked before anything is written, so a bad line never
leaves a partial preview that looks complete. Error messages name the line
and the problem but never quote the line: it may hold personal data.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.deidentify import deidentify


class Command(BaseCommand):
    help = gettext_lazy(
        "从标准输入读取 JSON Lines 病例文本，输出将要公示的去标识化文本及识别结果。"
    )
    requires_system_checks = []  # a pure text filter: no database, no apps to check

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse formats ``help`` with str methods: give it the lazy text
        # rendered in the active language (a lazy proxy made --help crash).
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def handle(self, *args, **options):
        requests, errors = _parse(_read_lines())
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(
                _("输入有 %(count)d 行错误，未输出任何结果。") % {"count": len(errors)}
            )
        for request in requests:
            result = deidentify(
                request["text"], names=request["names"], addresses=request["addresses"]
            )
            self.stdout.write(_serialize(result))


def _read_lines():
    """Yield (line number, text or None when the line is not UTF-8)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream, e.g. io.StringIO in tests
        for number, line in enumerate(sys.stdin, start=1):
            yield number, line
        return
    for number, raw in enumerate(stream, start=1):
        try:
            yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            yield number, None


def _parse(lines):
    requests, errors = [], []
    for number, line in lines:
        if line is not None and not line.strip():
            continue
        request, problem = _parse_line(line)
        if problem:
            errors.append(_("第 %(line)d 行：%(problem)s") % {"line": number, "problem": problem})
        else:
            requests.append(request)
    return requests, errors


def _parse_line(line):
    if line is None:
        return None, _("不是有效的 UTF-8 文本")
    try:
        data = json.loads(line)
    except ValueError:
        return None, _("不是有效的 JSON 对象")
    if not isinstance(data, dict):
        return None, _("不是有效的 JSON 对象")
    if not isinstance(data.get("text"), str):
        return None, _("缺少字符串字段 text")
    if not _is_encodable(data["text"]):
        # JSON escapes can carry lone surrogates, which cannot be written back.
        return None, _("字段 text 含有无效的 Unicode 字符")
    for field in ("names", "addresses"):
        value = data.get(field)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            return None, _("字段 %(field)s 必须是字符串列表") % {"field": field}
    return {
        "text": data["text"],
        "names": data.get("names") or [],
        "addresses": data.get("addresses") or [],
    }, None


def _is_encodable(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _serialize(result):
    return json.dumps(
        {"text": result.text, "findings": [f.as_dict() for f in result.findings]},
        ensure_ascii=False,
    )
