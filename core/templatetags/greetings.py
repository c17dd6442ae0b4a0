from django import template

from core.greetings import greeting as greeting_for

register = template.Library()


@register.filter
def greeting(name, opening="Hello"):
    """{{ guest_name|greeting }} → "Hello Jo"; {{ guest_name|greeting:"Thank you," }} → "Thank you, Jo"."""
    return greeting_for(name or "", opening)
