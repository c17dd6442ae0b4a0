"""The demo registry's pictures show what each gift is, so a first look at `make run` shows a real registry."""

import io

from PIL import Image

from home.demo_pictures import demo_picture, drawing_for, gift_box
from home.management.commands.load_demo import DEMO_GIFTS


def test_every_demo_gift_has_a_drawing_of_its_own():
    titles = [title for _heading, gifts in DEMO_GIFTS for title, *_ in gifts]
    assert [title for title in titles if drawing_for(title) is gift_box] == []
    assert len({drawing_for(title) for title in titles}) >= 20  # a kettle is not a tent


def test_pictures_are_jpegs_of_the_size_asked_and_different_things_look_different():
    plates = demo_picture("Dinner plates", size=(800, 600), background="#f6efe9", accent="#8a3b5c")
    boat = demo_picture("Sunset sailing trip", size=(800, 600), background="#f6efe9", accent="#8a3b5c")
    hero = demo_picture("Alex & Sam", size=(1280, 600), background="#f6efe9", accent="#8a3b5c")

    for data, size in ((plates, (800, 600)), (boat, (800, 600)), (hero, (1280, 600))):
        picture = Image.open(io.BytesIO(data))
        assert picture.format == "JPEG" and picture.size == size
    assert plates != boat
