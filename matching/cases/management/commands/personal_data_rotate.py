"""manage.py personal_data_rotate [--report] [--batch-size N] (docs/operations.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from matching.core.crypto import DecryptionFailed
from matching.core.rotation import personal_data_report, personal_data_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every personal-data field under the newest key of PERSONAL_DATA_KEYS, "
        "in batches (resumable: run it again after an interruption); --report counts what "
        "is still under older keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("--report", action="store_true", help="count only, change nothing")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, report, batch_size, **options):
        if report:
            states = personal_data_report(batch_size=batch_size)
            for state in states:
                self.stdout.write(
                    _(
                        "%(field)s：共 %(total)d，最新密钥 %(current)d，"
                        "旧密钥 %(older)d，无法解密 %(bad)d"
                    )
                    % {
                        "field": state.label,
                        "total": state.total,
                        "current": state.current,
                        "older": state.older,
                        "bad": state.unreadable,
                    }
                )
            left = sum(state.older + state.unreadable for state in states)
            self.stdout.write(_("仍在旧密钥下的值：%(n)d") % {"n": left})
            if not settings.PERSONAL_DATA_INDEX_KEY:
                self.stdout.write(
                    _(
                        "注意：未设置 PERSONAL_DATA_INDEX_KEY，身份证号检索索引由最旧的密钥派生；"
                        "请勿从 PERSONAL_DATA_KEYS 中删除最旧的密钥。"
                    )
                )
            return
        try:
            states = personal_data_rotate(batch_size=batch_size)
        except DecryptionFailed:
            raise CommandError(
                _("有值无法用已配置的密钥解密：请补全 PERSONAL_DATA_KEYS 后重新运行。")
            ) from None
        for state in states:
            self.stdout.write(
                _("%(field)s：重新加密 %(rotated)d，已是最新 %(current)d")
                % {"field": state.label, "rotated": state.rotated, "current": state.current}
            )
