from django.urls import path

from . import views

urlpatterns = [
    path("r/<str:code>/", views.registry_short_address, name="registry_short_address"),
    path("reservations/<str:token>/", views.reservation_manage, name="reservation_manage"),
    path("reservations/<str:token>/thanks/", views.reservation_thanks, name="reservation_thanks"),
    path("reservations/<str:token>/cancel/", views.reservation_cancel, name="reservation_cancel"),
    path("emails/reservation/<str:action>/<str:token>/", views.reservation_action, name="email_reservation_action"),
    path("pledges/<str:token>/", views.pledge_manage, name="pledge_manage"),
    path("pledges/<str:token>/thanks/", views.pledge_thanks, name="pledge_thanks"),
    path("emails/pledge/<str:action>/<str:token>/", views.pledge_action, name="email_pledge_action"),
    path("emails/registry/<str:action>/<str:token>/", views.registry_action, name="email_registry_action"),
    # Shadows Wagtail's view of the same path (it has no rate limit); keep this before wagtail.urls.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
]
