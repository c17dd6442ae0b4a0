from django.db import models


class MixpanelExport(models.Model):
    """One day's figures sent to Mixpanel: written before the first attempt, marked when Mixpanel took them.

    Mixpanel drops a repeated event by its `$insert_id` (one per day), so an attempt that ran twice (a retry
    racing the next beat) counts once there too; `sent_at` just stops us from asking again.
    """

    day = models.DateField(unique=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Mixpanel refused the event itself (a bad token, say): sending it again won't help, staff look at last_error.
    refused_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"Figures for {self.day:%Y-%m-%d}"
