"""Response headers shared by pages that must stay private."""


def secret_link_headers(response, *, referrer_policy: str):
    """A page reached through someone's secret link: never cached, never indexed, the URL never sent to other sites.

    `referrer_policy`: "no-referrer" where the page needs no CSRF-protected form; "same-origin" where it has one
    (with "no-referrer" the browser sends `Origin: null` and Django's CSRF check refuses the post).
    """
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = referrer_policy
    return response
