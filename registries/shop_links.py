"""Filling in a gift from a shop's product page: what the page says about its product, fetched safely.

A couple pastes a link; we fetch the page from the server, so the fetch must not become a way into our own
network. Only http(s), only public addresses after DNS resolution (checked on every redirect), and we connect
to the very address we checked, so a name that resolves differently a second time changes nothing. The page
is read for schema.org Product JSON-LD first, then OpenGraph, then its `<title>`.

Nothing here saves the gift: the editor fills its fields and the couple correct them before saving.
Only the picture is stored, as an image in the couple's collection, validated like any upload.
"""

import io
import ipaddress
import json
import re
import socket
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import unescape
from urllib.parse import urljoin, urlsplit

import certifi
import lxml.html
import urllib3
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml.etree import ParserError
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

MAX_REDIRECTS = 3
MAX_PAGE_BYTES = 3 * 1024 * 1024
CONNECT_TIMEOUT_SECONDS = 3
READ_TIMEOUT_SECONDS = 5
# For the page and its picture together, however slowly a shop trickles its bytes.
DEADLINE_SECONDS = 12
ALLOWED_PORTS = {80, 443, 8080, 8443}
PAGE_TYPES = {"text/html", "application/xhtml+xml"}
PICTURE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}
# What the gift block accepts (registries/blocks.py).
TITLE_MAX_LENGTH = 120
SHOP_NAME_MAX_LENGTH = 80
MAX_PRICE = Decimal("99999999.99")
PRODUCT_TYPES = {"Product", "ProductGroup", "ProductModel", "IndividualProduct"}

NOT_PUBLIC = "That address isn't a public web page. Please paste the link to the product's page in the shop."
UNREACHABLE = "We couldn't reach that shop. Please check the link, or fill in the gift yourself."
TOO_MANY_REDIRECTS = "That link kept sending us elsewhere. Please copy the link from the product's page itself."
NOT_A_PAGE = (
    "That link isn't a web page we can read (it may be a file or a picture). Please link to the product's page."
)
TOO_LARGE = "That shop's page is too large for us to read. Please fill in the gift yourself."
NOTHING_FOUND = "That page didn't tell us about a product. Please fill in the gift yourself."
NO_PRICE = "This shop didn't tell us the price — please type it in."
NO_PICTURE = "This shop didn't give us a picture — choose one yourself if you like."
PICTURE_UNUSABLE = "We couldn't use the shop's picture — please choose one yourself."


class ShopLinkError(Exception):
    """Why a link couldn't be read, in words for the couple (`str(error)`)."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    charset: str | None
    body: bytes


@dataclass
class ProductDetails:
    title: str = ""
    price: Decimal | None = None
    currency: str = ""
    shop_name: str = ""
    image_url: str = ""


@dataclass
class ShopLinkResult:
    """What the editor fills in, and what the couple should check."""

    url: str
    details: ProductDetails
    image: object = None  # a Wagtail image in the couple's collection, or None
    warnings: list[str] = field(default_factory=list)


# Fetching, from public addresses only.


def user_agent() -> str:
    return f"WhisperGifts/1.0 (+{settings.WAGTAILADMIN_BASE_URL}/)"


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), which is where it really leads."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A public unicast address: not loopback, private, link-local (cloud metadata), multicast, reserved or shared."""
    if address.version == 6 and (embedded := _embedded_ipv4(address)) is not None:
        return address_is_public(embedded)
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as the shop's certificate and Host header name it
    port: int
    address: str  # the checked address we connect to
    path: str


def _public_target(url: str) -> _Target:
    """Where `url` leads, refused unless every address its name resolves to is public."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise ShopLinkError(NOT_PUBLIC) from error
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise ShopLinkError(NOT_PUBLIC)
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ShopLinkError(NOT_PUBLIC) from error
    port = port or (443 if parts.scheme == "https" else 80)
    # Only tests name a loopback server here (the setting is refused in production).
    test_host = f"{host}:{port}" in settings.SHOP_LINKS_ALLOWED_TEST_HOSTS
    if port not in ALLOWED_PORTS and not test_host:
        raise ShopLinkError(NOT_PUBLIC)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise ShopLinkError(UNREACHABLE) from error
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses:
        raise ShopLinkError(UNREACHABLE)
    for address in addresses:
        if not (address_is_public(address) or (test_host and address.is_loopback)):
            # One private answer is enough to refuse: the next lookup could pick it.
            raise ShopLinkError(NOT_PUBLIC)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return _Target(parts.scheme, host, port, str(addresses[0]), path)


@contextmanager
def _open(target: _Target, *, accept: str, deadline: float):
    """One request to the checked address, naming the host for TLS (SNI and certificate) and in `Host`.

    Yields the response with its body unread; the connection is closed afterwards, whatever was read.
    """
    remaining = max(0.1, deadline - time.monotonic())
    timeout = urllib3.Timeout(
        connect=min(CONNECT_TIMEOUT_SECONDS, remaining), read=min(READ_TIMEOUT_SECONDS, remaining)
    )
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, retries=False, maxsize=1)
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    headers = {"Host": host_header, "User-Agent": user_agent(), "Accept": accept, "Accept-Encoding": "gzip"}
    try:
        response = pool.urlopen(
            "GET",
            target.path,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
    except urllib3.exceptions.HTTPError as error:
        pool.close()
        raise ShopLinkError(UNREACHABLE) from error
    try:
        yield response
    finally:
        response.close()
        pool.close()


def fetch_public(url: str, *, accept: str, content_types: set[str], max_bytes: int, deadline: float) -> Fetched:
    """GET `url` from public addresses only, following at most `MAX_REDIRECTS`, reading at most `max_bytes`.

    Raises ShopLinkError with words for the couple.
    """
    for _hop in range(MAX_REDIRECTS + 1):
        target = _public_target(url)
        with _open(target, accept=accept, deadline=deadline) as response:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise ShopLinkError(UNREACHABLE)
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise ShopLinkError(UNREACHABLE)
            content_type, charset = _content_type(response.headers.get("Content-Type", ""))
            if content_type not in content_types:
                raise ShopLinkError(NOT_A_PAGE)
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise ShopLinkError(TOO_LARGE)
            return Fetched(url, content_type, charset, _read_at_most(response, max_bytes, deadline))
    raise ShopLinkError(TOO_MANY_REDIRECTS)


def _content_type(header: str) -> tuple[str, str | None]:
    content_type, _, parameters = header.partition(";")
    match = re.search(r"charset=[\"']?([\w.:-]+)", parameters, re.IGNORECASE)
    return content_type.strip().lower(), match.group(1) if match else None


def _read_at_most(response, max_bytes: int, deadline: float) -> bytes:
    chunks, size = [], 0
    try:
        while chunk := response.read(64 * 1024):  # decompressed: a small gzip can't grow past the limit
            size += len(chunk)
            if size > max_bytes:
                raise ShopLinkError(TOO_LARGE)
            if time.monotonic() > deadline:
                raise ShopLinkError(UNREACHABLE)
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as error:
        raise ShopLinkError(UNREACHABLE) from error
    return b"".join(chunks)


# Reading the page.


def product_details(page: Fetched) -> ProductDetails:
    """The product a page describes: JSON-LD's Product first, then OpenGraph, then the page's title."""
    try:
        parser = lxml.html.HTMLParser(encoding=page.charset) if page.charset else None
        document = lxml.html.document_fromstring(page.body, parser=parser)
    except (ParserError, LookupError, ValueError):
        return ProductDetails()
    details = ProductDetails()
    product = _json_ld_product(document)
    if product is not None:
        details.title = _text(product.get("name"))
        details.image_url = _image_url(product.get("image"))
        details.price, details.currency = _offer_price(product.get("offers"))
        offer = _first(product.get("offers"))
        seller = _first(offer.get("seller")) if isinstance(offer, dict) else None
        details.shop_name = _text(seller.get("name")) if isinstance(seller, dict) else ""
    meta = _meta(document)
    details.title = details.title or meta.get("og:title", "")
    details.image_url = (
        details.image_url or meta.get("og:image:secure_url") or meta.get("og:image:url") or meta.get("og:image", "")
    )
    if details.price is None:
        details.price = _price(meta.get("product:price:amount") or meta.get("og:price:amount"))
        details.currency = meta.get("product:price:currency") or meta.get("og:price:currency", "")
    details.shop_name = meta.get("og:site_name") or details.shop_name or _shop_from_address(page.url)
    if not details.title:
        titles = document.xpath("//title")
        details.title = _text(titles[0].text_content()) if titles else ""
    details.title = details.title[:TITLE_MAX_LENGTH]
    details.shop_name = details.shop_name[:SHOP_NAME_MAX_LENGTH]
    details.currency = details.currency.strip().upper() if re.fullmatch(r"\s*[A-Za-z]{3}\s*", details.currency) else ""
    details.image_url = urljoin(page.url, details.image_url) if details.image_url else ""
    return details


def _json_ld_product(document) -> dict | None:
    for script in document.xpath("//script[contains(translate(@type, 'JSONLDAP', 'jsonldap'), 'ld+json')]"):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        if (product := _find_product(data, depth=0)) is not None:
            return product
    return None


def _find_product(data, *, depth: int) -> dict | None:
    if depth > 5:
        return None
    if isinstance(data, list):
        for item in data:
            if (product := _find_product(item, depth=depth + 1)) is not None:
                return product
        return None
    if not isinstance(data, dict):
        return None
    types = data.get("@type")
    types = set(types) if isinstance(types, list) else {types}
    if types & PRODUCT_TYPES:
        return data
    for key in ("@graph", "mainEntity", "itemListElement", "item"):
        if key in data and (product := _find_product(data[key], depth=depth + 1)) is not None:
            return product
    return None


def _first(value):
    """JSON-LD allows one value or a list of them anywhere: the first."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _offer_price(offers) -> tuple[Decimal | None, str]:
    offer = _first(offers)
    if not isinstance(offer, dict):
        return None, ""
    price = _price(offer.get("price") if offer.get("price") is not None else offer.get("lowPrice"))
    currency = _text(offer.get("priceCurrency"))
    if price is None:
        specification = _first(offer.get("priceSpecification"))
        if isinstance(specification, dict):
            price = _price(specification.get("price"))
            currency = currency or _text(specification.get("priceCurrency"))
    return price, currency


def _price(value) -> Decimal | None:
    """A price as shops write it ("1299", "1,299.00", "1.299,00", 12.5), or None."""
    if value is None or isinstance(value, bool):
        return None
    text = re.sub(r"[^\d.,]", "", str(value))
    if "," in text and "." in text:
        thousands = "," if text.index(",") < text.index(".") else "."
        text = text.replace(thousands, "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".") if re.search(r",\d{1,2}$", text) else text.replace(",", "")
    try:
        price = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return price if 0 <= price <= MAX_PRICE else None


def _image_url(value) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return _text(value)


def _text(value) -> str:
    return " ".join(unescape(value).split()) if isinstance(value, str) else ""


def _meta(document) -> dict[str, str]:
    """OpenGraph's and shops' `<meta property|name=... content=...>`, the first of each."""
    found = {}
    for element in document.xpath("//meta[@content]"):
        name = (element.get("property") or element.get("name") or "").strip().lower()
        if name and name not in found and (content := _text(element.get("content"))):
            found[name] = content
    return found


def _shop_from_address(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


# The picture, as an image in the couple's collection.


def _picture_save(*, picture: Fetched, title: str, collection: Collection, user):
    """Store the picture through Wagtail's own upload form (size, format, pixels), after Pillow has verified it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)  # the form judges the size
            with PILImage.open(io.BytesIO(picture.body)) as image:
                file_format = (image.format or "").lower()
                image.verify()
    except Exception:  # noqa: BLE001 - whatever Pillow objects to, the picture isn't usable
        return None
    extension = {"jpeg": "jpg"}.get(file_format, file_format)
    upload = SimpleUploadedFile(f"shop-picture.{extension}", picture.body, content_type=picture.content_type)
    Image = get_image_model()
    form = get_image_form(Image)(
        {"title": title or "Gift", "collection": collection.pk},
        {"file": upload},
        instance=Image(uploaded_by_user=user),
        user=user,
    )
    if not form.is_valid():
        return None
    return form.save()


def shop_link_read(*, url: str, collection: Collection, user, registry_currency: str) -> ShopLinkResult:
    """What the shop's page at `url` says about its product, and its picture saved in `collection`.

    Raises ShopLinkError when the page can't be read at all; what is merely missing becomes a warning.
    """
    deadline = time.monotonic() + DEADLINE_SECONDS
    page = fetch_public(
        url,
        accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        content_types=PAGE_TYPES,
        max_bytes=MAX_PAGE_BYTES,
        deadline=deadline,
    )
    details = product_details(page)
    if not details.title and details.price is None:
        raise ShopLinkError(NOTHING_FOUND)
    result = ShopLinkResult(url=page.url, details=details)
    if details.price is None:
        result.warnings.append(NO_PRICE)
    elif details.currency and details.currency != registry_currency:
        result.warnings.append(
            f"The shop gives its price in {details.currency} and your registry is in {registry_currency}: "
            "please check the price."
        )
    if not details.image_url:
        result.warnings.append(NO_PICTURE)
        return result
    try:
        picture = fetch_public(
            details.image_url,
            accept="image/avif,image/webp,image/png,image/jpeg,image/gif",
            content_types=PICTURE_TYPES,
            max_bytes=settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
            deadline=deadline,
        )
    except ShopLinkError:
        picture = None
    if picture is not None:
        result.image = _picture_save(picture=picture, title=details.title, collection=collection, user=user)
    if result.image is None:
        result.warnings.append(PICTURE_UNUSABLE)
    return result
