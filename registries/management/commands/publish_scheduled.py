from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled

from registries.services import scheduled_publishes_refused_cancel


class Command(WagtailPublishScheduled):
    """Wagtail's `publish_scheduled`, which this replaces (`registries` comes before `wagtail` in
    INSTALLED_APPS), except for registries whose scheduled revision publishing would refuse (an address
    not yet confirmed, more gifts than the package allows): those are not published, and their history
    says why."""

    def handle(self, *args, **options):
        if not options["dryrun"]:
            cancelled = scheduled_publishes_refused_cancel()
            if cancelled:
                self.stdout.write(f"Not published, as publishing them is refused for now: {cancelled} registries.")
        super().handle(*args, **options)
