"""Page links in rich text as Wagtail stores it: `<a linktype="page" id="42">`.

Wagtail turns such a link into the page's address when it renders the text, and the editor looks the
page up to show where the link goes; so a page id alone is enough to reveal an address.
"""

from collections.abc import Iterable

from wagtail.rich_text.rewriters import FIND_A_TAG, LinkRewriter, extract_attrs


def page_link_ids(html: str) -> set[str]:
    """The ids the page links in `html` name, as written: whatever was posted, so not always a number."""
    ids = set()
    for attributes in FIND_A_TAG.findall(html or ""):
        link = extract_attrs(attributes)
        if link.get("linktype") == "page":
            ids.add(link.get("id", ""))
    return ids


def page_link_ids_outside(html: str, page_ids: Iterable[int]) -> set[str]:
    return page_link_ids(html) - {str(pk) for pk in page_ids}


def without_page_links_outside(html: str, page_ids: Iterable[int]) -> str:
    """`html` with each link to a page not in `page_ids` left as its text alone (Wagtail's bare `<a>`)."""
    if not page_link_ids(html):
        return html
    allowed = {str(pk) for pk in page_ids}

    def page_link_if_allowed(link: dict) -> str:
        return f'<a linktype="page" id="{link["id"]}">' if link.get("id") in allowed else "<a>"

    return LinkRewriter(rules={"page": page_link_if_allowed})(html)
