"""The demo city's publicity pages: the seed's own policy, an invented
standard and a notice, each with its English translation. Called when
``seed_demo`` announces ``demo_seeded`` (``matching`` never imports ``cms``);
idempotent: a page whose slug exists is left alone."""

import datetime

from wagtail.models import Locale
from wagtail.rich_text import RichText

from cms.publicity import NoticeIndexPage, NoticePage, PolicyIndexPage, PolicyPage

SEED_POLICY = {
    "slug": "implementing-interim-measures",
    "scheme": "",
    "effective_from": datetime.date(2015, 1, 1),
    "effective_to": None,
    "document_number": "",
    "zh": {
        "title": "长春市人民政府关于贯彻落实《社会救助暂行办法》的意见",
        "standard": "建立“8+1”社会救助制度体系：托底线、救急难、可持续",
        "issuer": "长春市人民政府",
        "body": [
            ("heading", "一门受理、协同办理"),
            (
                "paragraph",
                "<p>县（市）区和乡镇（街道）设立社会救助“一门受理”窗口，受理后按规定时限"
                "转办相关部门，部门在时限内办理并反馈。</p>",
            ),
            ("heading", "信息公开和失信惩戒"),
            (
                "paragraph",
                "<p>公开社会救助政策、实施情况和结果，畅通投诉举报渠道；对骗取救助、"
                "挪用善款等失信行为依法公示并惩戒。</p>",
            ),
        ],
    },
    "en": {
        "title": "Opinion of the Changchun People's Government on Implementing the Interim "
        "Measures for Social Assistance",
        "standard": 'The "8+1" social-assistance system: a safety net, emergency relief, '
        "sustainability",
        "issuer": "Changchun People's Government",
        "body": [
            ("heading", "One window, joint handling"),
            (
                "paragraph",
                "<p>Counties, districts, townships and streets each run one window that accepts "
                "every application and refers it to the departments concerned within set time "
                "limits.</p>",
            ),
            ("heading", "Disclosure and dishonesty"),
            (
                "paragraph",
                "<p>Policies, implementation and results are published; complaints have a clear "
                "channel; fraud and misused donations are disclosed and penalised.</p>",
            ),
        ],
    },
}

STANDARD_POLICY = {
    "slug": "subsistence-standard-2026",
    "scheme": "subsistence",
    "effective_from": datetime.date(2026, 1, 1),
    "effective_to": datetime.date(2026, 12, 31),
    "document_number": "长民发〔2025〕88号",
    "zh": {
        "title": "关于2026年城乡最低生活保障标准的通知（演示）",
        "standard": "城市每人每月 760 元；农村每人每年 6,200 元",
        "issuer": "长春市民政局、长春市财政局",
        "body": [
            (
                "paragraph",
                "<p>本标准为演示数据。自2026年1月1日起执行，低保金按标准与家庭人均收入的差额"
                "按月发放。</p>",
            ),
        ],
    },
    "en": {
        "title": "Notice on the 2026 minimum living allowance standards (demo)",
        "standard": "Urban: 760 yuan per person per month; rural: 6,200 yuan per person per year",
        "issuer": "Changchun Civil Affairs Bureau and Changchun Finance Bureau",
        "body": [
            (
                "paragraph",
                "<p>Demo data. From 1 January 2026 the allowance pays, each month, the difference "
                "between the standard and the household's income per person.</p>",
            ),
        ],
    },
}

PLATFORM_NOTICE = {
    "slug": "platform-trial-run",
    "kind": NoticePage.Kind.ANNOUNCEMENT,
    "published_on": datetime.date(2026, 10, 8),
    "notice_until": datetime.date(2026, 10, 22),
    "zh": {
        "title": "长春市社会救助服务平台试运行公告（演示）",
        "issuer": "长春市民政局",
        "body": "<p>平台自即日起试运行。试运行期间对平台有意见建议的，可通过投诉建议提出。</p>",
    },
    "en": {
        "title": "The Changchun social-assistance platform starts its trial run (demo)",
        "issuer": "Changchun Civil Affairs Bureau",
        "body": "<p>The platform starts its trial run today. Suggestions are welcome through "
        "the complaints page.</p>",
    },
}


def _translations(index):
    """{language code: index page} for every locale the index page exists in."""
    return {page.locale.language_code: page for page in index.get_translations(inclusive=True)}


def _stream(body):
    """[(block type, text)] as StreamField data, paragraphs as rich text."""
    return [(kind, RichText(text) if kind == "paragraph" else text) for kind, text in body]


def _publish(page):
    page.save_revision().publish()
    return page


def _translate(original, language, fields):
    """The English copy of ``original`` under the English index, ``fields`` set."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None or original.get_translations().filter(locale=locale).exists():
        return
    copy = original.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.draft_title = copy.title
    _publish(copy)


def policy_add(index, spec):
    """A policy page under ``index`` (Chinese tree) and its English translation."""
    existing = PolicyPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    common = {key: spec[key] for key in ("scheme", "effective_from", "effective_to")}
    zh = {**spec["zh"], "body": _stream(spec["zh"]["body"])}
    page = PolicyPage(slug=spec["slug"], document_number=spec["document_number"], **common, **zh)
    index.add_child(instance=page)
    _publish(page)
    _translate(page, "en", {**spec["en"], "body": _stream(spec["en"]["body"])})
    return page


def notice_add(index, spec):
    existing = NoticePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    fields = {key: spec[key] for key in ("kind", "published_on", "notice_until")}
    page = NoticePage(slug=spec["slug"], **fields, **spec["zh"])
    index.add_child(instance=page)
    _publish(page)
    _translate(page, "en", spec["en"])
    return page


def seed_publicity_pages(**_kwargs):
    """The demo policies and notice, under the Chinese index pages the migration made."""
    default = Locale.get_default()
    policies = PolicyIndexPage.objects.filter(locale=default).first()
    notices = NoticeIndexPage.objects.filter(locale=default).first()
    if policies is not None:
        policy_add(policies, SEED_POLICY)
        policy_add(policies, STANDARD_POLICY)
    if notices is not None:
        notice_add(notices, PLATFORM_NOTICE)
