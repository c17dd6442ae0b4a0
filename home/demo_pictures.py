"""Pictures for the demo registry that look like what they name, drawn here with Pillow: no network, no files.

Each drawer paints one kind of thing on a soft background, in a box of `size` pixels; `demo_picture` picks the
drawer from the gift's title. Simple shapes, but a plate reads as a plate and a tent as a tent, so
screenshots of `make run` show a real registry.
"""

import io
from collections.abc import Callable

from PIL import Image, ImageDraw

INK = "#3d2a33"
WHITE = "#fffaf6"
Box = tuple[int, int, int, int]


def demo_picture(title: str, *, size: tuple[int, int], background: str, accent: str) -> bytes:
    """A JPEG of the thing `title` names (a gift box when nothing matches). A wide picture (a page's hero)
    shows a row of gifts instead."""
    width, height = size
    if width >= 2 * height:
        picture = Image.new("RGB", size, background)
        kinds = [gift_box, _plate, _wine_glass, _planter, gift_box]
        slot = width // len(kinds)
        side = min(slot, height)
        for index, drawer in enumerate(kinds):
            icon = _drawn(drawer, background=background, accent=accent).resize((side, side), Image.Resampling.LANCZOS)
            picture.paste(icon, (index * slot + (slot - side) // 2, (height - side) // 2))
    else:
        picture = _drawn(drawing_for(title), background=background, accent=accent, size=size)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _drawn(drawer, *, background: str, accent: str, size: tuple[int, int] = (600, 600)) -> Image.Image:
    """The drawers' shapes are sized for a box of about 450 pixels: draw there, let the caller scale."""
    picture = Image.new("RGB", size, background)
    drawer(ImageDraw.Draw(picture), _square_in((0, 0, *size), margin=0.125), accent)
    return picture


def _square_in(area: Box, *, margin: float) -> Box:
    """The largest square centred in `area`, less `margin` of its side on every edge."""
    left, top, right, bottom = area
    side = min(right - left, bottom - top)
    inset = round(side * margin)
    x, y = left + (right - left - side) // 2, top + (bottom - top - side) // 2
    return x + inset, y + inset, x + side - inset, y + side - inset


def drawing_for(title: str) -> Callable[[ImageDraw.ImageDraw, Box, str], None]:
    """The drawer for what `title` names, by its words; a gift box when none matches."""
    words = title.lower()
    for keywords, drawer in DRAWERS:
        if any(keyword in words for keyword in keywords):
            return drawer
    return gift_box


def _shrink(box: Box, by: float) -> Box:
    left, top, right, bottom = box
    dx, dy = (right - left) * by, (bottom - top) * by
    return round(left + dx), round(top + dy), round(right - dx), round(bottom - dy)


def _plate(draw, box, accent):
    draw.ellipse(box, fill=WHITE, outline=INK, width=6)
    draw.ellipse(_shrink(box, 0.18), outline=accent, width=10)


def _bowls(draw, box, accent):
    left, top, right, bottom = box
    for index, shrink in enumerate((0.0, 0.14, 0.28)):
        width = (right - left) * (1 - shrink)
        x = left + (right - left - width) / 2
        y = top + (bottom - top) * (0.35 + shrink * 0.6)
        bowl = (round(x), round(y - width / 2), round(x + width), round(y + width / 2))
        draw.chord(bowl, 0, 180, fill=accent if index % 2 == 0 else WHITE, outline=INK, width=5)


def _casserole(draw, box, accent):
    left, top, right, bottom = box
    body = (left + (right - left) // 8, top + (bottom - top) * 2 // 5, right - (right - left) // 8, bottom)
    draw.rounded_rectangle(body, radius=30, fill=accent, outline=INK, width=6)
    draw.rounded_rectangle((body[0] - 40, body[1] + 30, body[2] + 40, body[1] + 70), radius=20, fill=INK)
    draw.chord(
        (body[0], top + (bottom - top) // 5, body[2], body[1] + 60), 180, 360, fill=accent, outline=INK, width=6
    )
    middle = (left + right) // 2
    draw.ellipse((middle - 25, top + (bottom - top) // 5 - 25, middle + 25, top + (bottom - top) // 5 + 25), fill=INK)


def _knife(draw, box, accent):
    left, top, right, bottom = box
    middle = (top + bottom) // 2
    draw.polygon([(left, middle - 30), (left + (right - left) * 2 // 3, middle - 45),
                  (left + (right - left) * 2 // 3, middle + 15), (left + 40, middle + 15)],
                 fill=WHITE, outline=INK, width=5)  # fmt: skip
    draw.rounded_rectangle((left + (right - left) * 2 // 3, middle - 40, right, middle + 10), radius=18, fill=accent)


def _espresso_machine(draw, box, accent):
    left, top, right, bottom = box
    draw.rounded_rectangle((left, top, right, top + (bottom - top) // 4), radius=20, fill=accent, outline=INK, width=6)
    draw.rectangle((right - (right - left) // 4, top, right, bottom), fill=accent, outline=INK, width=6)
    draw.rectangle((left, bottom - 40, right, bottom), fill=INK)
    cup = (left + (right - left) // 4, bottom - (bottom - top) // 4, left + (right - left) // 2, bottom - 40)
    draw.rounded_rectangle(cup, radius=14, fill=WHITE, outline=INK, width=5)
    spout_x = (cup[0] + cup[2]) // 2
    draw.rectangle((spout_x - 15, top + (bottom - top) // 4, spout_x + 15, top + (bottom - top) // 3), fill=INK)


def _tea_towels(draw, box, accent):
    left, top, right, bottom = box
    for offset in (0, 60):
        towel = (left + offset, top + offset, right - 60 + offset, bottom - 60 + offset)
        draw.rectangle(towel, fill=WHITE, outline=INK, width=5)
        for stripe in range(towel[1] + 40, towel[3] - 20, 70):
            draw.rectangle((towel[0], stripe, towel[2], stripe + 22), fill=accent)


def _stand_mixer(draw, box, accent):
    left, top, right, bottom = box
    draw.rectangle((left, bottom - 40, right, bottom), fill=INK)
    draw.rounded_rectangle((right - (right - left) // 3, top + 80, right - 20, bottom - 40), radius=30, fill=accent)
    draw.rounded_rectangle((left + 20, top, right - 20, top + (bottom - top) // 3), radius=60, fill=accent,
                           outline=INK, width=6)  # fmt: skip
    draw.chord((left + 40, top + (bottom - top) // 2, right - (right - left) // 3, bottom + 60), 180, 360,
               fill=WHITE, outline=INK, width=6)  # fmt: skip


def _wine_glass(draw, box, accent):
    left, top, right, bottom = box
    for middle in (left + (right - left) // 3, left + (right - left) * 2 // 3):
        cup = (middle - 70, top, middle + 70, top + (bottom - top) // 2)
        draw.chord(cup, 0, 180, fill=accent, outline=INK, width=5)
        draw.line((cup[0], (cup[1] + cup[3]) // 2, cup[0] + 10, cup[1]), fill=INK, width=5)
        draw.line((cup[2], (cup[1] + cup[3]) // 2, cup[2] - 10, cup[1]), fill=INK, width=5)
        draw.line((middle, cup[3], middle, bottom - 20), fill=INK, width=8)
        draw.ellipse((middle - 60, bottom - 35, middle + 60, bottom - 5), fill=INK)


def _board(draw, box, accent):
    left, top, right, bottom = box
    draw.rounded_rectangle((left, top + 80, right - 80, bottom - 40), radius=40, fill=accent, outline=INK, width=6)
    draw.ellipse((right - 120, (top + bottom) // 2 - 40, right, (top + bottom) // 2 + 40), fill=accent, outline=INK,
                 width=6)  # fmt: skip
    draw.ellipse((left + 60, top + 140, left + 200, top + 280), fill="#f2d16b", outline=INK, width=4)


def _table_linen(draw, box, accent):
    left, top, right, bottom = box
    draw.polygon([(left, top + 80), (right, top + 80), (right - 60, bottom), (left + 60, bottom)],
                 fill=WHITE, outline=INK, width=6)  # fmt: skip
    for x in range(left + 60, right, 90):
        draw.line((x, top + 80, x - 30, bottom), fill=accent, width=14)


def _cutlery(draw, box, accent):
    left, top, right, bottom = box
    for index, middle in enumerate(range(left + (right - left) // 6, right, (right - left) // 3)):
        draw.rounded_rectangle((middle - 16, top + (bottom - top) // 3, middle + 16, bottom), radius=14, fill=accent)
        if index == 0:  # fork
            for prong in (-24, -8, 8, 24):
                draw.line((middle + prong, top, middle + prong, top + (bottom - top) // 3), fill=INK, width=10)
        elif index == 1:  # spoon
            draw.ellipse((middle - 45, top, middle + 45, top + (bottom - top) // 3 + 20), fill=INK)
        else:  # knife
            draw.rounded_rectangle(
                (middle - 22, top, middle + 22, top + (bottom - top) // 3 + 10), radius=20, fill=INK
            )


def _candles(draw, box, accent):
    left, top, right, bottom = box
    for middle in (left + (right - left) // 3, left + (right - left) * 2 // 3):
        draw.rectangle((middle - 30, top + 120, middle + 30, bottom - 50), fill=WHITE, outline=INK, width=5)
        draw.ellipse((middle - 20, top + 30, middle + 20, top + 110), fill="#f2a33b")
        draw.rounded_rectangle((middle - 80, bottom - 50, middle + 80, bottom), radius=20, fill=accent)


def _folded_textile(draw, box, accent):
    left, top, right, bottom = box
    for index, layer in enumerate(range(3)):
        y = bottom - (layer + 1) * (bottom - top) // 4
        draw.rounded_rectangle((left, y, right, y + (bottom - top) // 4), radius=30,
                               fill=accent if index % 2 == 0 else WHITE, outline=INK, width=5)  # fmt: skip


def _lamp(draw, box, accent):
    left, top, right, bottom = box
    middle = (left + right) // 2
    draw.polygon([(middle - 90, top), (middle + 90, top), (middle + 150, top + (bottom - top) // 3),
                  (middle - 150, top + (bottom - top) // 3)], fill=accent, outline=INK, width=6)  # fmt: skip
    draw.line((middle, top + (bottom - top) // 3, middle, bottom - 30), fill=INK, width=12)
    draw.ellipse((middle - 110, bottom - 50, middle + 110, bottom), fill=INK)


def _planter(draw, box, accent):
    left, top, right, bottom = box
    middle = (left + right) // 2
    for angle in (-1, 0, 1):
        draw.ellipse((middle + angle * 90 - 50, top + 20 + abs(angle) * 60, middle + angle * 90 + 50,
                      top + 220 + abs(angle) * 60), fill="#5b8c5a", outline=INK, width=4)  # fmt: skip
    rim = top + (bottom - top) // 2
    draw.polygon([(left + 40, rim), (right - 40, rim), (right - 100, bottom),
                  (left + 100, bottom)], fill=accent, outline=INK, width=6)  # fmt: skip


def _bench(draw, box, accent):
    left, top, right, bottom = box
    for y in (top + 80, top + 170):
        draw.rounded_rectangle((left, y, right, y + 60), radius=12, fill=accent, outline=INK, width=5)
    seat = top + (bottom - top) // 2
    draw.rounded_rectangle((left - 20, seat, right + 20, seat + 60), radius=12,
                           fill=accent, outline=INK, width=5)  # fmt: skip
    for x in (left + 40, right - 70):
        draw.rectangle((x, top + (bottom - top) // 2 + 60, x + 30, bottom), fill=INK)


def _watering_can(draw, box, accent):
    left, top, right, bottom = box
    body = (left + (right - left) // 5, top + (bottom - top) // 3, right - (right - left) // 4, bottom)
    draw.rounded_rectangle(body, radius=30, fill=accent, outline=INK, width=6)
    draw.line((body[0], body[1] + 60, left - 10, top + 40), fill=INK, width=22)
    draw.arc((body[0] + 40, top, body[2] - 40, body[1] + 120), 180, 360, fill=INK, width=18)


def _dinner(draw, box, accent):
    _plate(draw, _shrink(box, 0.08), accent)
    _candles(draw, (box[2] - 140, box[1], box[2] + 120, box[3]), accent)


def _boat(draw, box, accent):
    left, top, right, bottom = box
    middle = (left + right) // 2
    draw.rectangle((left - 80, bottom - 60, right + 80, bottom + 80), fill="#6f9fbf")
    draw.polygon([(left, bottom - 140), (right, bottom - 140), (right - 80, bottom - 40), (left + 80, bottom - 40)],
                 fill=INK)  # fmt: skip
    draw.polygon([(middle, top), (middle, bottom - 160), (right - 20, bottom - 160)], fill=WHITE, outline=INK, width=5)
    draw.polygon([(middle - 20, top + 60), (middle - 20, bottom - 160), (left + 40, bottom - 160)], fill=accent)


def _mountains(draw, box, accent):
    left, top, right, bottom = box
    draw.ellipse((right - 160, top, right - 40, top + 120), fill="#f2c14e")
    third = (right - left) // 3
    draw.polygon([(left - 40, bottom), (left + third, top + 100), (left + 2 * third, bottom)],
                 fill=accent, outline=INK, width=5)  # fmt: skip
    draw.polygon([(left + third, bottom), (left + 2 * third, top + 180), (right + 40, bottom)],
                 fill=INK)  # fmt: skip


def _train(draw, box, accent):
    left, top, right, bottom = box
    draw.rounded_rectangle((left, top + 100, right, bottom - 80), radius=40, fill=accent, outline=INK, width=6)
    for x in range(left + 40, right - 60, 130):
        draw.rectangle((x, top + 150, x + 90, top + 240), fill=WHITE, outline=INK, width=4)
    for x in (left + 80, right - 80):
        draw.ellipse((x - 45, bottom - 125, x + 45, bottom - 35), fill=INK)
    draw.rectangle((left - 60, bottom - 35, right + 60, bottom - 20), fill=INK)


def _museum(draw, box, accent):
    left, top, right, bottom = box
    draw.polygon([((left + right) // 2, top), (right + 20, top + 120), (left - 20, top + 120)], fill=accent,
                 outline=INK, width=5)  # fmt: skip
    for x in range(left + 10, right, (right - left) // 4):
        draw.rectangle((x, top + 140, x + 40, bottom - 50), fill=WHITE, outline=INK, width=4)
    draw.rectangle((left - 20, bottom - 50, right + 20, bottom), fill=accent, outline=INK, width=5)


def _chef_hat(draw, box, accent):
    left, top, right, bottom = box
    middle = (left + right) // 2
    for dx in (-110, 0, 110):
        draw.ellipse((middle + dx - 100, top, middle + dx + 100, top + 220), fill=WHITE, outline=INK, width=5)
    draw.rectangle((middle - 160, top + 150, middle + 160, bottom - 60), fill=WHITE, outline=INK, width=5)
    draw.rectangle((middle - 160, bottom - 100, middle + 160, bottom - 60), fill=accent)


def _glasses_raised(draw, box, accent):
    _wine_glass(draw, box, accent)


def gift_box(draw, box, accent):
    left, top, right, bottom = box
    lid = top + (bottom - top) // 4
    draw.rectangle((left + 30, lid, right - 30, bottom), fill=accent, outline=INK, width=6)
    draw.rectangle((left, lid - 60, right, lid + 20), fill=accent, outline=INK, width=6)
    middle = (left + right) // 2
    draw.rectangle((middle - 25, lid - 60, middle + 25, bottom), fill=WHITE)
    draw.ellipse((middle - 110, top, middle, lid - 50), outline=WHITE, width=20)
    draw.ellipse((middle, top, middle + 110, lid - 50), outline=WHITE, width=20)


DRAWERS = [
    (("plate",), _plate),
    (("bowl",), _bowls),
    (("casserole", "dish"), _casserole),
    (("knife",), _knife),
    (("espresso", "coffee"), _espresso_machine),
    (("tea towel", "towel"), _tea_towels),
    (("mixer",), _stand_mixer),
    (("glass", "toast"), _glasses_raised),
    (("board",), _board),
    (("table linen",), _table_linen),
    (("cutlery",), _cutlery),
    (("candle",), _candles),
    (("throw", "bed linen", "blanket"), _folded_textile),
    (("lamp",), _lamp),
    (("planter", "herb"), _planter),
    (("bench",), _bench),
    (("watering",), _watering_can),
    (("dinner",), _dinner),
    (("sail", "boat"), _boat),
    (("mountain",), _mountains),
    (("train",), _train),
    (("museum",), _museum),
    (("cooking",), _chef_hat),
]
