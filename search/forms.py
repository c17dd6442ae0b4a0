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


class FindCoupleForm(forms.Form):
    query = forms.CharField(label="Partner's name", max_length=MAX_QUERY_LENGTH, required=False)
    month = forms.TypedChoiceField(label="Month of the wedding", choices=MONTHS, coerce=int, required=False)
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100, required=False)
    place = forms.CharField(label="Place", max_length=MAX_QUERY_LENGTH, required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # Cut overlong text rather than refuse it: a pasted essay still gets an answer, quickly.
            data = data.copy()
            for name in ("query", "place"):
                data[name] = data.get(name, "")[:MAX_QUERY_LENGTH]
        super().__init__(data, **kwargs)
        self.fields["query"].widget.attrs.update(autocomplete="off", maxlength=MAX_QUERY_LENGTH)
        self.fields["place"].widget.attrs.update(maxlength=MAX_QUERY_LENGTH)
        self.fields["year"].widget.attrs.update(inputmode="numeric")

    @property
    def has_search(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data["query"] or self.cleaned_data["place"])

    def is_canonical_query(self, params) -> bool:
        """Is this query string exactly what the form sends, plus a page number? Only those go in the page cache.

        Padded, repeated or unknown parameters would each store one more copy of the same results.
        """
        if not params:
            return True
        if not self.is_valid():
            return False
        for name, values in params.lists():
            if len(values) != 1:
                return False
            if name == "page":
                canonical = values[0].isascii() and values[0].isdigit() and str(max(int(values[0]), 1)) == values[0]
            elif name in self.fields:
                cleaned = self.cleaned_data[name]
                canonical = values[0] == ("" if cleaned is None else str(cleaned))
            else:
                canonical = False
            if not canonical:
                return False
        return True
