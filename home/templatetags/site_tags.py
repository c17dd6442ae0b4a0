from django import template

from core.caching import SITE_SCOPE, cache_versions

register = template.Library()


@register.simple_tag(takes_context=True)
def site_cache_version(context) -> str:
    """The `site` scope's version, for fragment keys: the page's own copy when it read one already."""
    known = context.get("cache_versions") or {}
    return known.get(SITE_SCOPE) or cache_versions([SITE_SCOPE])[SITE_SCOPE]


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url
