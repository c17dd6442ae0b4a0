from django import forms

from registries.models import Package, RegistryPage


class PackageGrantForm(forms.Form):
    """Staff move a registry to a package by hand, saying why."""

    registry = forms.ModelChoiceField(queryset=RegistryPage.objects.order_by("title"))
    package = forms.ModelChoiceField(queryset=Package.objects.all())
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded on the order, e.g. “Refund dispute settled in the couple's favour (ticket 123)”.",
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Please say why this package is granted.")
        return reason
