from django.urls import path

from . import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("invitations/<str:token>/", views.partner_invitation_accept_view, name="partner_invitation_accept"),
    path("account/confirm-email/<str:token>/", views.email_confirm_view, name="email_confirm"),
]
