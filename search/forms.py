from django import forms

MAX_QUERY_LENGTH = 100
MONTHS = [("", "Any month")] + [
    (str(number), name)
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
]


class BoundedCharField(forms.CharField):
    """Cuts overlong input instead of refusing it: a pasted essay still gets an answer, quickly."""

    def to_python(self, value):
        return super().to_python(value)[: self.max_length].strip()


class FindCoupleForm(forms.Form):
    query = BoundedCharField(label="Partner's name", max_length=MAX_QUERY_LENGTH, required=False)
    month = forms.TypedChoiceField(label="Month of the wedding", choices=MONTHS, coerce=int, required=False)
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100, required=False)
    place = BoundedCharField(label="Place", max_length=MAX_QUERY_LENGTH, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["query"].widget.attrs.update(autocomplete="off", maxlength=MAX_QUERY_LENGTH)
        self.fields["place"].widget.attrs.update(maxlength=MAX_QUERY_LENGTH)
        self.fields["year"].widget.attrs.update(inputmode="numeric")

    @property
    def has_search(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data["query"] or self.cleaned_data["place"])
