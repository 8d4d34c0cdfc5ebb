"""English translations of the home page and the two listings (Wagtail's own
localisation, docs/design.md): a second tree under the root, in locale "en",
whose pages share their Chinese originals' translation keys. English visitors
are routed through it (Site.root_page.localized); URLs stay the same."""

from django.db import migrations

EN_HOME = {
    "title": "Changchun Social Assistance Platform",
    "lead": (
        "One window for every application, departments working together: people in need "
        "apply, staff refer and verify, and charities, volunteers and donors help where it "
        "is needed."
    ),
}
EN_CHILDREN = {
    "needs": (
        "needindexpage",
        "NeedIndexPage",
        "Needs",
        "Every need below has been de-identified and approved by civil-affairs staff before "
        "publication.",
    ),
    "projects": (
        "projectindexpage",
        "ProjectIndexPage",
        "Aid projects",
        "Aid projects of verified charities, approved by civil-affairs staff.",
    ),
}
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number):
    encoded = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        encoded = ALPHABET[digit] + encoded
    return encoded


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
    return parent.path + _step(number + 1)


def create_english_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("cms.HomePage")
    home = HomePage.objects.filter(depth=2, slug="home").first()
    if home is None or Page.objects.filter(translation_key=home.translation_key).count() > 1:
        return
    english, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.objects.get(depth=1)
    home_type, _ = ContentType.objects.get_or_create(app_label="cms", model="homepage")
    en_home = HomePage.objects.create(
        title=EN_HOME["title"], draft_title=EN_HOME["title"], lead=EN_HOME["lead"],
        slug="home-en", content_type=home_type, path=_next_child_path(Page, root), depth=2,
        numchild=0, url_path="/home-en/", locale=english,
        translation_key=home.translation_key, live=True,
    )
    root.numchild += 1
    root.save(update_fields=["numchild"])
    for child in Page.objects.filter(depth=3, path__startswith=home.path).order_by("path"):
        if child.slug not in EN_CHILDREN:
            continue
        model_name, class_name, title, intro = EN_CHILDREN[child.slug]
        model = apps.get_model("cms", class_name)
        content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=model_name)
        model.objects.create(
            title=title, draft_title=title, intro=intro, slug=child.slug,
            content_type=content_type, path=_next_child_path(Page, en_home), depth=3,
            numchild=0, url_path=f"/home-en/{child.slug}/", locale=english,
            translation_key=child.translation_key, live=True,
        )
        en_home.numchild += 1
        en_home.save(update_fields=["numchild"])


def remove_english_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    removed = Page.objects.filter(depth=2, locale__language_code="en").count()
    Page.objects.filter(locale__language_code="en").delete()
    root = Page.objects.filter(depth=1).first()
    if root is not None and removed:
        root.numchild = max(root.numchild - removed, 0)
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [("cms", "0004_public_listing_pages")]

    operations = [migrations.RunPython(create_english_pages, remove_english_pages)]
