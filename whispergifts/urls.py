from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from accounts import admin_views as accounts_admin_views
from accounts import urls as accounts_urls
from accounts import views as accounts_views
from home.views import favicon, robots_txt
from lockdown import urls as lockdown_urls
from ops import views as ops_views
from payments import urls as payments_urls
from registries import urls as registries_urls
from search import views as search_views

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("admin/", include(lockdown_urls)),  # shadows some admin URLs: keep it before the admin
    # The admin's own pages under their own names: the account page with an optional last name, and the
    # password reset with limits on how often resets are sent.
    path(
        "admin/account/", require_admin_access(accounts_admin_views.AccountView.as_view()), name="wagtailadmin_account"
    ),
    path("admin/password_reset/", accounts_views.PasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include(registries_urls)),
    path("", include(accounts_urls)),
    path("", include(payments_urls)),
    path("anymail/", include("anymail.urls")),  # Postmark's tracking webhook: /anymail/postmark/tracking/
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if "debug_toolbar" in settings.INSTALLED_APPS:  # development only (settings/dev.py)
    urlpatterns += [path("__debug__/", include("debug_toolbar.urls"))]

urlpatterns += [path("", include(wagtail_urls))]
