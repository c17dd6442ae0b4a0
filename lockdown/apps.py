from django.apps import AppConfig


class LockdownConfig(AppConfig):
    name = "lockdown"
    verbose_name = "Admin lockdown"
