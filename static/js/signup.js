// Progressive enhancement for the sign-up form: the server does the same work without JavaScript.
(function () {
    "use strict";
    const form = document.querySelector("[data-signup-form]");
    if (!form) return;
    const partnerOne = form.querySelector("[name=partner_one]");
    const partnerTwo = form.querySelector("[name=partner_two]");
    const slug = form.querySelector("[name=slug]");
    const weddingDate = form.querySelector("[name=wedding_date]");
    const pastWarning = form.querySelector("[data-past-date-warning]");
    let slugEditedByHand = slug.value !== "";

    function slugify(text) {
        return text
            .normalize("NFKD")
            .replace(/[\u0300-\u036f]/g, "")
            .toLowerCase()
            .replace(/&/g, " and ")
            .replace(/[^a-z0-9]+/g, "-")
            .replace(/^-+|-+$/g, "")
            .slice(0, 46)
            .replace(/-+$/g, "");
    }

    function suggestSlug() {
        if (slugEditedByHand || !partnerOne.value.trim() || !partnerTwo.value.trim()) return;
        slug.value = slugify(partnerOne.value + " and " + partnerTwo.value);
    }

    function warnAboutPastDate() {
        const today = new Date().toISOString().slice(0, 10);
        pastWarning.hidden = !(weddingDate.value && weddingDate.value < today);
    }

    partnerOne.addEventListener("input", suggestSlug);
    partnerTwo.addEventListener("input", suggestSlug);
    slug.addEventListener("input", function () {
        slugEditedByHand = slug.value !== "";
    });
    weddingDate.addEventListener("change", warnAboutPastDate);
    warnAboutPastDate();
})();
