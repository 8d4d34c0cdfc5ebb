"""The staff edit form of a public need: every save re-runs the pipeline and the k-check."""

from wagtail.admin.forms import WagtailAdminModelForm

from . import services


class PublicNeedForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "title" in cleaned and "story" in cleaned:
            # Whatever staff type is de-identified again: a name or a phone
            # number typed into the story is replaced before it is stored.
            cleaned["title"], cleaned["story"] = services.public_need_rewrite_text(
                need=self.instance,
                title=cleaned["title"],
                story=cleaned["story"],
                actor=self.for_user,
            )
        return cleaned

    def save(self, commit=True):
        need = super().save(commit=False)
        services.public_need_preview_check(need=need, commit=False)
        if commit:
            need.save()
        return need
