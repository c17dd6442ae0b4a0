from django.urls import path

from . import views

urlpatterns = [
    path("emails/reservation/<str:action>/<str:token>/", views.reservation_action, name="email_reservation_action"),
    path("emails/registry/<str:action>/<str:token>/", views.registry_action, name="email_registry_action"),
]
