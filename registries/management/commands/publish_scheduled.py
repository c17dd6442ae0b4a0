from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled

from registries.services import scheduled_publishes_over_gift_limit_cancel


class Command(WagtailPublishScheduled):
    """Wagtail's `publish_scheduled`, which this replaces (`registries` comes before `wagtail` in
    INSTALLED_APPS), except for registries whose scheduled revision is over their package's gift limit:
    those are not published, and their history says why."""

    def handle(self, *args, **options):
        if not options["dryrun"]:
            cancelled = scheduled_publishes_over_gift_limit_cancel()
            if cancelled:
                self.stdout.write(f"Not published, over their package's gift limit: {cancelled} registries.")
        super().handle(*args, **options)
