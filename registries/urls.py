from django.urls import path

from . import views

urlpatterns = [
    path("reservations/<str:token>/", views.reservation_manage, name="reservation_manage"),
    path("reservations/<str:token>/thanks/", views.reservation_thanks, name="reservation_thanks"),
]
