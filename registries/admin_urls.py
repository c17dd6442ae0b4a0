from django.urls import path

from . import admin_views

app_name = "registries_reservations"
urlpatterns = [
    path("", admin_views.reservations_index, name="index"),
    path("<int:registry_id>/", admin_views.registry_reservations, name="registry"),
    path("<int:registry_id>/reveal/", admin_views.reveal_reservations, name="reveal"),
    path("<int:registry_id>/ledger.csv", admin_views.ledger_csv, name="csv"),
    path(
        "<int:registry_id>/outside-gifts/<int:outside_gift_id>/delete/",
        admin_views.delete_outside_gift,
        name="delete_outside_gift",
    ),
]
