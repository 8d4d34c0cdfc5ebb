"""Replace Wagtail's placeholder page with the portal's home page."""

from django.db import migrations

HOME_TITLE = "长春市社会救助服务平台"
HOME_LEAD = "一门受理、协同办理：困难群众求助、部门转办、社会力量精准帮扶，一站完成。"


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    home = HomePage.objects.create(
        title=HOME_TITLE, draft_title=HOME_TITLE, lead=HOME_LEAD, slug="home",
        content_type=content_type, path="00010001", depth=2, numchild=0,
        url_path="/home/", locale=Locale.objects.order_by("id").first(),
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": home.id,
                  "site_name": HOME_TITLE},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("wagtailcore.Page").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
