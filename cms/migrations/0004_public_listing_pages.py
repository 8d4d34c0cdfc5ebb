"""Put the needs listing (/needs/) and the projects listing (/projects/) under the home page."""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PAGES = [
    ("needindexpage", "NeedIndexPage", "求助信息", "needs", "以下求助信息均经去标识化处理并由民政部门审核后公开。"),
    ("projectindexpage", "ProjectIndexPage", "帮扶项目", "projects", "经民政部门审核、已核验社会组织发布的帮扶项目。"),
]


def _next_path(parent, last_child_path):
    if last_child_path is None:
        return parent.path + "0001"
    step = last_child_path[-4:]
    number = 0
    for char in step:
        number = number * 36 + ALPHABET.index(char)
    number += 1
    encoded = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        encoded = ALPHABET[digit] + encoded
    return parent.path + encoded


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    home = Page.objects.filter(depth=2, slug="home").first()
    if home is None:
        return
    for model_name, class_name, title, slug, intro in PAGES:
        if Page.objects.filter(depth=3, path__startswith=home.path, slug=slug).exists():
            continue
        model = apps.get_model("cms", class_name)
        content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=model_name)
        last = (
            Page.objects.filter(depth=3, path__startswith=home.path)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        model.objects.create(
            title=title, draft_title=title, intro=intro, slug=slug, content_type=content_type,
            path=_next_path(home, last), depth=3, numchild=0, url_path=f"{home.url_path}{slug}/",
            locale_id=home.locale_id, live=True,
        )
        home.numchild += 1
        home.save(update_fields=["numchild"])


def remove_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    for _model, _class, _title, slug, _intro in PAGES:
        Page.objects.filter(depth=3, slug=slug).delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_need_and_project_index_pages")]

    operations = [migrations.RunPython(create_pages, remove_pages)]
