"""Image renditions made in a worker, ahead of the requests that show them.

Making a rendition decodes the whole original: for a large photo that takes a second or more and
hundreds of megabytes, and Wagtail makes a `srcset`'s sizes three at a time. A guest's (or the
couple's) request should find them made. If the worker hasn't got to them yet, or the broker is down,
the request that needs one still makes it, as Wagtail always does; WAGTAILIMAGES_MAX_IMAGE_PIXELS
bounds what that can cost.
"""

import logging
from collections.abc import Iterable, Mapping
from functools import partial

from django.db import transaction
from wagtail.images import get_image_model

logger = logging.getLogger(__name__)

# The thumbnail of Wagtail's image listings and choosers.
ADMIN_THUMBNAIL_FILTER = "max-165x165"
# The `og:image` of every page (templates/base.html).
SOCIAL_IMAGE_FILTER = "fill-1200x630|format-jpeg"


def renditions_prepare(*, wanted: Mapping[int, Iterable[str]]) -> None:
    """Make each image's (by id) renditions with these filter specs, unless they exist already.

    One at a time, so the worker holds one decoded original at once; images deleted since are skipped.
    """
    for image in get_image_model().objects.filter(pk__in=wanted):
        for spec in wanted[image.pk]:
            image.get_rendition(spec)


def renditions_queue(*, wanted: Mapping[int, Iterable[str]]) -> None:
    """After the commit, ask a worker to make these renditions (`renditions_prepare`)."""
    if wanted:
        transaction.on_commit(partial(_send_to_worker, {str(pk): sorted(set(specs)) for pk, specs in wanted.items()}))


def _send_to_worker(wanted: dict[str, list[str]]) -> None:
    from .tasks import prepare_renditions

    try:
        prepare_renditions.delay(wanted)
    except Exception:  # any broker failure: the request that shows an image makes its rendition instead
        logger.warning("Could not queue renditions for images %s", ", ".join(wanted), exc_info=True)
