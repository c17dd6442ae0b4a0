from django import template

from registries.selectors import is_couple as _is_couple

register = template.Library()


@register.filter
def is_couple(user) -> bool:
    """`{% if not user|is_couple %}`: parts of Wagtail's admin that only staff use."""
    return _is_couple(user)
