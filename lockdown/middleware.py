from django.http import Http404
from django.urls import reverse

from registries.selectors import is_couple

from .access import couple_may_reach, couple_may_see_objects


class CoupleAdminLockdownMiddleware:
    """Couples reach only the admin URLs on the allow-list (`access.py`); everything else is a 404.

    A 404 rather than a 403: it does not even confirm that the other couple's object exists. The
    same goes for the objects a URL names (`couple_may_see_objects`).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if not request.path.startswith(self.admin_prefix) or not is_couple(request.user):
            return None
        url_name = request.resolver_match.view_name if request.resolver_match.url_name else None
        if not couple_may_reach(url_name):
            raise Http404("This part of the admin is not available for your registry.")
        if not couple_may_see_objects(request.user, url_name, view_kwargs):
            raise Http404("No such page or photo.")
        return None
