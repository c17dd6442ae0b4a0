"""The demo marketing site `load_demo` builds: real-looking pages staff would write, made of the shared blocks."""

from wagtail.rich_text import RichText

HOME_SEO = {
    "seo_title": "WhisperGifts: the wedding gift registry that keeps the surprise",
    "search_description": "Make a wedding gift list in minutes. Guests whisper what they'll give, "
    "so nobody buys the same thing twice, and you still get a surprise.",
}


def _link(label, *, page=None, url=""):
    return {"label": label, "page": page, "url": url}


def home_body(*, pages: dict, images: dict) -> list:
    return [
        (
            "hero",
            {
                "heading": "The wedding registry that keeps the surprise",
                "text": "Build your gift list in minutes. Guests whisper the gift they'll give, so nobody buys "
                "the same toaster twice, and you only find out on the day.",
                "image": images["hero"],
                "call_to_action": _link("Create your registry", url="/signup/"),
            },
        ),
        (
            "feature_grid",
            {
                "heading": "Why couples choose WhisperGifts",
                "features": [
                    {
                        "heading": "No double gifts",
                        "text": "Each gift is reserved by exactly one guest, even when two click at the same moment.",
                        "image": images["feature"],
                    },
                    {
                        "heading": "Private by default",
                        "text": "Your registry is only seen by people you send the link to, unless you choose "
                        "to be found.",
                        "image": images["feature"],
                    },
                    {
                        "heading": "Fast on every phone",
                        "text": "Guests open your page from the invitation and it appears at once, even on a "
                        "slow connection.",
                        "image": images["feature"],
                    },
                ],
            },
        ),
        (
            "image_and_text",
            {
                "image": images["couple"],
                "image_alt": "A couple unwrapping a present at their kitchen table",
                "heading": "Any shop, any gift, even experiences",
                "text": RichText(
                    "<p>Add the casserole dish from your favourite kitchen shop, a night in the mountains, "
                    "or a donation to a charity you love. Guests follow your link, reserve, and buy wherever "
                    "you chose.</p>"
                ),
                "image_on_right": False,
            },
        ),
        (
            "testimonial",
            {
                "quote": "Our guests loved how simple it was, and we didn't get a single duplicate. "
                "Opening everything after the honeymoon felt like Christmas.",
                "name": "Priya & Tom",
                "detail": "Married in Bath, June 2025",
            },
        ),
        ("pricing_table", pricing_block(pages=pages)),
        (
            "call_to_action_band",
            {
                "heading": "Start your registry today",
                "text": "It's free for up to 25 gifts, and takes about ten minutes.",
                "link": _link("Create your registry", url="/signup/"),
            },
        ),
    ]


def pricing_block(*, pages: dict) -> dict:
    return {
        "heading": "Simple, one-off pricing",
        "text": "Pay once per wedding. No subscriptions, no fees on your guests' gifts.",
        "call_to_action": _link("Ask us anything", page=pages["faq"]),
    }


# slug → (title, seo description, body builder)
def marketing_pages(*, images: dict) -> list[tuple[str, str, str, callable]]:
    return [
        (
            "features",
            "How it works",
            "How WhisperGifts works: build your list, share one link, and let guests whisper their gifts.",
            lambda pages: [
                (
                    "hero",
                    {
                        "heading": "How WhisperGifts works",
                        "text": "Three steps, and no spreadsheets.",
                        "image": images["hero"],
                        "call_to_action": _link("See pricing", page=pages["pricing"]),
                    },
                ),
                (
                    "feature_grid",
                    {
                        "heading": "From wish list to wedding day",
                        "features": [
                            {
                                "heading": "1. Build your list",
                                "text": "Add gifts from any shop with a photo, a price and how many you'd like.",
                                "image": None,
                            },
                            {
                                "heading": "2. Share one link",
                                "text": "Print it on your invitations or send it in a message. Keep it private, "
                                "protect it with a password, or let guests find you by name.",
                                "image": None,
                            },
                            {
                                "heading": "3. Guests whisper",
                                "text": "Each guest reserves what they'll give. Everyone else sees it's taken; "
                                "you don't, so the surprise stays.",
                                "image": None,
                            },
                        ],
                    },
                ),
                (
                    "image_and_text",
                    {
                        "image": images["couple"],
                        "image_alt": "",
                        "heading": "Built for guests on their phones",
                        "text": RichText(
                            "<p>Your page loads in a blink, works without apps or accounts, and is "
                            "readable by everyone, including guests using a screen reader.</p>"
                        ),
                        "image_on_right": True,
                    },
                ),
            ],
        ),
        (
            "pricing",
            "Pricing",
            "WhisperGifts pricing: free for up to 25 gifts, one-off upgrades for bigger lists.",
            lambda pages: [("pricing_table", pricing_block(pages=pages))],
        ),
        (
            "faq",
            "Questions and answers",
            "Answers to the questions couples and guests ask most about WhisperGifts.",
            lambda pages: [
                (
                    "faq",
                    {
                        "heading": "Questions and answers",
                        "questions": [
                            _qa(
                                "Can two guests buy the same gift?",
                                "No. The moment a guest reserves a gift, it's taken for everyone else. If you "
                                "asked for more than one, guests see how many are still wanted.",
                            ),
                            _qa(
                                "Will we see who is giving what?",
                                "Not unless you want to: the registry keeps the surprise until you choose to look.",
                            ),
                            _qa(
                                "Can guests find our registry without the link?",
                                "Only if you list it. Registries are unlisted by default, and you can add "
                                "a password too.",
                            ),
                            _qa(
                                "Do guests need an account?",
                                "No. They enter their name and email, and get a private link to change or "
                                "cancel their reservation.",
                            ),
                        ],
                    },
                ),
                (
                    "call_to_action_band",
                    {
                        "heading": "Still wondering?",
                        "text": "Have a look at how it works from start to finish.",
                        "link": _link("How it works", page=pages["features"]),
                    },
                ),
            ],
        ),
        (
            "about",
            "About us",
            "WhisperGifts is an open-source wedding gift registry made by a small team who got married too.",
            lambda pages: [
                (
                    "image_and_text",
                    {
                        "image": images["couple"],
                        "image_alt": "",
                        "heading": "Made by people who got married, too",
                        "text": RichText(
                            "<p>We built WhisperGifts after three toasters and no tea towels. It is open "
                            "source, so anyone can run it for their own wedding or their own shop.</p>"
                        ),
                        "image_on_right": False,
                    },
                ),
                (
                    "testimonial",
                    {
                        "quote": "The kindest piece of software we used while planning the whole wedding.",
                        "name": "Sam & Alex",
                        "detail": "Married in Brighton",
                    },
                ),
            ],
        ),
    ]


def _qa(question: str, answer: str) -> dict:
    return {"question": question, "answer": RichText(f"<p>{answer}</p>")}
