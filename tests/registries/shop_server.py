"""A shop on a loopback port, serving sample product pages as real shops write them (for the shop-link tests).

The fetcher refuses loopback addresses; tests let this one server through by naming it in
`SHOP_LINKS_ALLOWED_TEST_HOSTS`, which production refuses to start with.
"""

import io

from PIL import Image as PILImage

from tests.loopback import LoopbackServer, QuietHandler


def jpeg_bytes(size=(640, 480), colour=(200, 120, 80)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


JSON_LD_PAGE = """<!doctype html><html><head><title>Stand mixer | Kitchen Things</title>
<meta property="og:title" content="The OpenGraph title, not the one we want">
<meta property="og:site_name" content="Kitchen Things">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Kitchen Things"},
  {"@type": "Product", "name": "Stand mixer &amp; bowl", "image": ["/pictures/mixer.jpg"],
   "offers": {"@type": "Offer", "price": "1,299.00", "priceCurrency": "GBP",
              "seller": {"@type": "Organization", "name": "Kitchen Things Ltd"}}}
]}
</script></head><body><h1>Stand mixer</h1></body></html>"""

OPENGRAPH_PAGE = """<!doctype html><html><head><title>Linen sheets - Bedroom Co</title>
<meta property="og:title" content="Linen sheets, king size">
<meta property="og:image" content="http://{host}/pictures/sheets.jpg">
<meta property="og:site_name" content="Bedroom Co">
<meta property="product:price:amount" content="89.50">
<meta property="product:price:currency" content="GBP">
</head><body></body></html>"""

TITLE_ONLY_PAGE = """<!doctype html><html><head><title>  A hand-thrown vase
 </title></head><body><p>Ask us for the price.</p></body></html>"""

NO_PRICE_PAGE = """<!doctype html><html><head>
<script type="application/ld+json">
{"@type": "Product", "name": "Picnic hamper", "image": {"url": "/pictures/broken.jpg"}}
</script>
</head></html>"""

DOLLAR_PAGE = """<!doctype html><html><head>
<script type="application/ld+json">{"@type": "Product", "name": "Espresso machine",
 "offers": [{"@type": "AggregateOffer", "lowPrice": 349, "priceCurrency": "USD"}]}</script>
</head></html>"""


class ShopServer(LoopbackServer):
    """Runs on 127.0.0.1:<free port>; `requests` records (path, headers) of each request it answered."""

    def __init__(self):
        self.requests = []
        self.routes = {}
        shop = self

        class Handler(QuietHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                shop.requests.append((self.path, dict(self.headers)))
                status, headers, body = shop.routes.get(self.path, (404, {"Content-Type": "text/html"}, b"gone"))
                self.send_response(status)
                for name, value in headers.items():
                    if value != "unsaid":
                        self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                elif headers["Content-Length"] == "unsaid":  # a shop that doesn't say how long its page is
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)

    def page(self, path: str, html: str, *, content_type: str = "text/html; charset=utf-8") -> str:
        self.routes[path] = (200, {"Content-Type": content_type}, html.replace("{host}", self.host).encode())
        return self.url(path)

    def file(self, path: str, body: bytes, *, content_type: str) -> str:
        self.routes[path] = (200, {"Content-Type": content_type}, body)
        return self.url(path)

    def redirect(self, path: str, location: str, *, status: int = 302) -> str:
        self.routes[path] = (status, {"Location": location, "Content-Type": "text/html"}, b"")
        return self.url(path)

    def sample_shop(self) -> None:
        """The sample pages, at the paths the tests name."""
        self.page("/mixer", JSON_LD_PAGE)
        self.page("/sheets", OPENGRAPH_PAGE)
        self.page("/vase", TITLE_ONLY_PAGE)
        self.page("/hamper", NO_PRICE_PAGE)
        self.page("/espresso", DOLLAR_PAGE)
        self.file("/pictures/mixer.jpg", jpeg_bytes(), content_type="image/jpeg")
        self.file("/pictures/sheets.jpg", jpeg_bytes(colour=(240, 240, 230)), content_type="image/jpeg")
        self.file("/pictures/broken.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", content_type="image/jpeg")
