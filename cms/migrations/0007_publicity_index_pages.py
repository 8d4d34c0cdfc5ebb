"""The four publicity pages under the home page, in Chinese and in English
(docs/publicity.md): policies, notices, implementation figures, dishonesty
disclosure. The English page shares its Chinese original's translation key."""

import uuid

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# slug: (model name, Chinese title and intro, English title and intro)
PAGES = {
    "policies": (
        "PolicyIndexPage",
        ("政策文件", "本市社会救助的政策文件和救助标准，含施行日期和发文机关。"),
        ("Policies", "The city's social-assistance policy documents and standards, with their "
         "dates and issuing bodies."),
    ),
    "notices": (
        "NoticeIndexPage",
        ("公示公告", "民政部门发布的公告和公示。公示期内可通过投诉建议提出异议。"),
        ("Notices", "Announcements and public notices of the civil-affairs bureau. Objections "
         "may be raised through complaints while a notice is open."),
    ),
    "figures": (
        "ImplementationFiguresPage",
        ("执行情况公示", "按区县和救助类别公开的办理情况。为保护受助家庭，少于5户（件）的数字不单独公布。"),
        ("Implementation figures", "How applications were handled, by district and category. "
         "To protect households, numbers below 5 are not shown."),
    ),
    "dishonesty": (
        "DishonestyDisclosurePage",
        ("失信公示", "在失信期内的社会组织失信记录。不公示救助申请人。"),
        ("Dishonesty records", "Dishonesty records of organizations while in force. Applicants "
         "are never disclosed."),
    ),
}


def _next_child_path(Page, parent):
    last = (
        Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = 0
    for char in (last or parent.path + "0000")[-4:]:
        number = number * 36 + ALPHABET.index(char)
    number += 1
    encoded = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        encoded = ALPHABET[digit] + encoded
    return parent.path + encoded


def _add_child(apps, Page, parent, class_name, slug, title, intro, key):
    ContentType = apps.get_model("contenttypes.ContentType")
    model = apps.get_model("cms", class_name)
    content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=class_name.lower())
    model.objects.create(
        title=title, draft_title=title, intro=intro, slug=slug, content_type=content_type,
        path=_next_child_path(Page, parent), depth=parent.depth + 1, numchild=0,
        url_path=f"{parent.url_path}{slug}/", locale_id=parent.locale_id,
        translation_key=key, live=True,
    )
    parent.numchild += 1
    parent.save(update_fields=["numchild"])


def create_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    home = Page.objects.filter(depth=2, slug="home").first()
    if home is None:
        return
    english = (
        Page.objects.filter(depth=2, translation_key=home.translation_key)
        .exclude(pk=home.pk)
        .first()
    )
    for slug, (class_name, chinese, in_english) in PAGES.items():
        if Page.objects.filter(depth=3, path__startswith=home.path, slug=slug).exists():
            continue
        key = uuid.uuid4()
        _add_child(apps, Page, home, class_name, slug, *chinese, key)
        if english is not None:
            _add_child(apps, Page, english, class_name, slug, *in_english, key)


def remove_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    for parent in Page.objects.filter(depth=2):
        removed = Page.objects.filter(
            depth=3, path__startswith=parent.path, slug__in=list(PAGES)
        )
        count = removed.count()
        for page in removed:
            Page.objects.filter(path__startswith=page.path).delete()
        if count:
            parent.numchild = max(parent.numchild - count, 0)
            parent.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [("cms", "0006_publicity_pages")]

    operations = [migrations.RunPython(create_pages, remove_pages)]
