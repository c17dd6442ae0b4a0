// The gift editor's "Fill in this gift from the link" button: asks the server what the shop's page says
// (registries/shop_link_views.py) and fills the gift's fields, which the couple check before saving.
(function () {
    "use strict";

    function csrfToken() {
        const config = document.getElementById("wagtail-config");
        if (config) {
            try {
                const token = JSON.parse(config.textContent).CSRF_TOKEN;
                if (token) return token;
            } catch (error) {
                // fall back to the cookie
            }
        }
        const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
        return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
    }

    function registryId() {
        const match = window.location.pathname.match(/\/pages\/(\d+)\/edit\//);
        return match ? match[1] : null;
    }

    function fill(id, value) {
        const input = document.getElementById(id);
        if (!input || value === null || value === undefined || value === "") return;
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function say(status, lines) {
        status.replaceChildren();
        lines.forEach((line, index) => {
            if (index) status.append(document.createElement("br"));
            status.append(document.createTextNode(line));
        });
    }

    async function fillFromLink(button) {
        const container = button.closest("[data-shop-link]");
        const input = container.querySelector("input");
        const status = container.querySelector("[data-shop-link-status]");
        const prefix = input.id.replace(/shop_url$/, "");
        const registry = registryId();
        if (!input.value.trim()) {
            say(status, ["Paste the link to the gift's page in the shop first."]);
            input.focus();
            return;
        }
        if (!registry) {
            say(status, ["Save your registry once, then fill gifts in from their links."]);
            return;
        }
        const label = button.textContent;
        button.disabled = true;
        button.textContent = "Reading the shop's page…";
        say(status, []);
        try {
            const response = await fetch(button.dataset.shopLinkUrl.replace(/\/0\/$/, `/${registry}/`), {
                method: "POST",
                credentials: "same-origin",
                headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
                body: new URLSearchParams({ url: input.value.trim() }),
            });
            let data;
            try {
                data = await response.json();
            } catch (error) {
                // Not our answer: a log-in page after the session ended, or a refused form token.
                say(status, ["We couldn't ask the shop just now. Save your changes, reload the page and try again."]);
                return;
            }
            if (!response.ok) {
                say(status, [data.error || "We couldn't read that shop's page. Please fill in the gift yourself."]);
                return;
            }
            fill(`${prefix}title`, data.title);
            fill(`${prefix}price`, data.price);
            fill(`${prefix}shop_name`, data.shop_name);
            const chooser = document.getElementById(`${prefix}image-chooser`);
            if (data.image && chooser && chooser.widget) chooser.widget.setStateFromModalData(data.image);
            say(status, ["Filled in from the shop's page: please check it before you save.", ...data.warnings]);
        } catch (error) {
            say(status, ["We couldn't reach that shop. Please check the link, or fill in the gift yourself."]);
        } finally {
            button.disabled = false;
            button.textContent = label;
        }
    }

    document.addEventListener("click", (event) => {
        const button = event.target.closest("[data-shop-link-fill]");
        if (button) fillFromLink(button);
    });
})();
