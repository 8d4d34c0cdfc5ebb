from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def field_label(form, name):
    field = form.fields.get(name)
    return field.label if field else name


@register.filter
def with_param(query, name):
    """``query`` (already without ``page``) and ``name=`` ready for a value."""
    prefix = "&".join(p for p in query.split("&") if p and not p.startswith(f"{name}="))
    return f"{prefix}&{name}=" if prefix else f"{name}="
