"""The card couples slip into their invitations: their names, the day, and the registry's short address with a
QR code to it, print-ready as PNG and PDF at 300 dpi."""

import io
from dataclasses import dataclass

import segno
from django.utils import formats
from PIL import Image, ImageDraw, ImageFont

from .addresses import short_address
from .models import RegistryPage

DPI = 300
INK = "#3d2a33"
ACCENT = "#8a3b5c"
PAPER = "#fffaf6"


@dataclass(frozen=True)
class CardSize:
    label: str
    width_mm: float
    height_mm: float

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width_mm / 25.4 * DPI), round(self.height_mm / 25.4 * DPI)


CARD_SIZES = {
    "insert": CardSize(label="Invitation insert, 85 × 55 mm", width_mm=85, height_mm=55),
    "postcard": CardSize(label="Postcard, A6, 148 × 105 mm", width_mm=148, height_mm=105),
}
CARD_FORMATS = {"png": "image/png", "pdf": "application/pdf"}


@dataclass(frozen=True)
class CardText:
    names: str
    day: str
    invitation: str
    address: str  # as printed: without the scheme
    note: str


def registry_card_text(registry: RegistryPage) -> CardText:
    """What the card says. A password-protected registry's card says where the password is, never what it is."""
    protected = registry.visibility == RegistryPage.Visibility.PASSWORD
    return CardText(
        names=registry.couple_names,
        day=formats.date_format(registry.wedding_date, "l j F Y") + (f" · {registry.place}" if registry.place else ""),
        invitation="Scan the code with your phone, or type the address.",
        address=short_address(registry).split("://", 1)[-1].rstrip("/"),
        note="The password is in your invitation." if protected else "",
    )


def registry_card_file(registry: RegistryPage, *, size: str, file_format: str) -> bytes:
    """The card in `size` (a key of CARD_SIZES) as PNG or PDF bytes."""
    image = _draw_card(registry, CARD_SIZES[size])
    buffer = io.BytesIO()
    if file_format == "pdf":
        image.save(buffer, format="PDF", resolution=DPI)
    else:
        image.save(buffer, format="PNG", dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()


def _draw_card(registry: RegistryPage, size: CardSize) -> Image.Image:
    width, height = size.pixels
    card = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(card)
    margin = round(height * 0.1)
    draw.rectangle((margin // 3, margin // 3, width - margin // 3, height - margin // 3), outline=ACCENT, width=4)

    qr_side = round(height * 0.64)
    card.paste(_qr_image(short_address(registry), side=qr_side), (width - margin - qr_side, (height - qr_side) // 2))

    text = registry_card_text(registry)
    text_width = width - 3 * margin - qr_side
    lines = [
        (text.names, 0.14, ACCENT, 0.3),
        (text.day, 0.065, INK, 0.9),
        ("Our gift list", 0.05, INK, 0.1),
        (text.address, 0.072, ACCENT, 0.2),
        (text.invitation, 0.045, INK, 0.5),
        (text.note, 0.052, INK, 0),
    ]
    fonts = [(line, _fitting_font(draw, line, largest=round(height * share), width=text_width), colour, gap)
             for line, share, colour, gap in lines if line]  # fmt: skip
    block = sum(round(font.size * (1.2 + gap)) for _, font, _, gap in fonts)
    top = max(margin, (height - block) // 2)
    for line, font, colour, gap in fonts:
        draw.text((margin, top), line, font=font, fill=colour)
        top += round(font.size * (1.2 + gap))
    return card


def _qr_image(url: str, *, side: int) -> Image.Image:
    """The QR code at the largest whole number of pixels per module that fits `side`: sharp when printed."""
    code = segno.make(url, error="m")
    modules = code.symbol_size(scale=1, border=2)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(1, side // modules), border=2, dark=INK, light=PAPER)
    buffer.seek(0)
    qr = Image.open(buffer).convert("RGB")
    framed = Image.new("RGB", (side, side), PAPER)
    framed.paste(qr, ((side - qr.width) // 2, (side - qr.height) // 2))
    return framed


def _fitting_font(draw: ImageDraw.ImageDraw, line: str, *, largest: int, width: int) -> ImageFont.FreeTypeFont:
    """The largest size up to `largest` at which `line` fits `width` (long names get smaller letters)."""
    size = largest
    font = ImageFont.load_default(size=size)
    while size > 12 and draw.textlength(line, font=font) > width:
        size = round(size * 0.92)
        font = ImageFont.load_default(size=size)
    return font
