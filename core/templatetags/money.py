from django import template

from core.currency import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """{{ gift.price|money:page.currency }}"""
    return format_money(amount, currency)
