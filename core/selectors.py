"""Reads shared by several apps."""

from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from wagtail.models import PageViewRestriction


def in_private_section() -> Exists:
    """True for a page under a view restriction (on itself or an ancestor): Wagtail's `not_public()` as SQL.

    Wagtail's `public()` reads every restriction first and adds a clause per restriction, so each
    password-protected registry made every search slower; this is one subquery however many there are.
    """
    return Exists(PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path"))))
