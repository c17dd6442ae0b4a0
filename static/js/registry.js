// Progressive enhancement for a registry's gift list. Without JavaScript the page links are plain links and the
// filters a GET form. With it, the page asked for is fetched and swapped in place, the address changes with it
// (so it can be shared, and Back works), and focus moves to the line saying which gifts are shown, so keyboard
// and screen-reader users carry on from the new gifts rather than from the top of the page.
(function () {
    "use strict";
    const LIST = "[data-gift-list]";
    const form = document.querySelector("[data-gift-filters]");
    if (!document.querySelector(LIST) || !window.fetch || !window.DOMParser || !window.history.pushState) return;
    let pending = null;

    function listFrom(html) {
        return new DOMParser().parseFromString(html, "text/html").querySelector(LIST);
    }

    function syncForm(url) {
        if (!form) return;
        const params = new URL(url, window.location.href).searchParams;
        form.querySelectorAll("select").forEach(function (select) {
            select.value = params.get(select.name) || "";
        });
        form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
            box.checked = params.get(box.name) === box.value;
        });
    }

    function show(url, push) {
        if (pending) pending.abort();
        const controller = new AbortController();
        pending = controller;
        const current = document.querySelector(LIST);
        current.setAttribute("aria-busy", "true");
        fetch(url, { signal: controller.signal, credentials: "same-origin", headers: { Accept: "text/html" } })
            .then(function (response) {
                // A page that isn't there answers 404 with a gift list that says so.
                if (!response.ok && response.status !== 404) throw new Error("HTTP " + response.status);
                return response.text();
            })
            .then(function (html) {
                const fresh = listFrom(html);
                if (!fresh) throw new Error("no gift list in the answer");
                current.replaceWith(fresh);
                if (push) window.history.pushState({ giftList: true }, "", url);
                syncForm(url);
                const status = fresh.querySelector("#gift-list-status");
                if (status) {
                    status.focus({ preventScroll: true });
                    status.scrollIntoView({ block: "start" });
                }
            })
            .catch(function (error) {
                if (error.name !== "AbortError") window.location.assign(url); // an ordinary page load instead
            })
            .finally(function () {
                if (pending === controller) pending = null;
            });
    }

    document.addEventListener("click", function (event) {
        const link = event.target.closest(LIST + " a[data-gift-page]");
        if (!link || event.defaultPrevented || event.button !== 0) return;
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return; // a new tab or window
        event.preventDefault();
        show(link.href, true);
    });

    if (form) {
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            const url = new URL(form.action, window.location.href);
            new FormData(form).forEach(function (value, name) {
                if (value) url.searchParams.set(name, value); // as our links write it: no empty parameters
            });
            show(url.href, true);
        });
    }

    window.history.replaceState({ giftList: true }, "");
    window.addEventListener("popstate", function (event) {
        if (event.state && event.state.giftList) show(window.location.href, false);
    });
})();
