"""Forms of the couple's admin pages that edit registries' own records (the page editor's form is in forms.py,
which the page model names, so it can't import the models)."""

from django import forms

from .models import CoupleEmailPreferences


class CoupleEmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = CoupleEmailPreferences
        fields = [
            "reservation_emails",
            "reminders_enabled",
            "first_reminder_days",
            "second_reminder_days",
            "auto_release_days",
        ]
        labels = {
            "reservation_emails": "When a guest reserves a gift, send us",
            "reminders_enabled": "Remind guests to confirm they bought their gift",
            "first_reminder_days": "First reminder, days after reserving",
            "second_reminder_days": "Second reminder, days after reserving",
            "auto_release_days": "Release unconfirmed gifts, days after reserving",
        }
        widgets = {"reservation_emails": forms.RadioSelect}

    def clean(self):
        cleaned_data = super().clean()
        first = cleaned_data.get("first_reminder_days")
        second = cleaned_data.get("second_reminder_days")
        release = cleaned_data.get("auto_release_days")
        if first is not None and first < 1:
            self.add_error("first_reminder_days", "The first reminder can't come before a day has passed.")
        if first is not None and second is not None and second <= first:
            self.add_error("second_reminder_days", "The second reminder must come after the first.")
        if second is not None and release is not None and release <= second:
            self.add_error("auto_release_days", "Gifts can only be released after the second reminder.")
        return cleaned_data
