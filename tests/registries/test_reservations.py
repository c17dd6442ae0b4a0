"""A guest reserves a gift, sees a confirmation, and manages it from a private link."""

import uuid

import pytest
from bs4 import BeautifulSoup

from registries.factories import RegistryPageFactory, gift
from registries.models import Gift, Reservation
from registries.services import GiftUnavailable, reservation_create, reservation_mark_bought, reservation_release

pytestmark = pytest.mark.django_db


def _reserve_url(page, gift_row):
    return f"{page.url}reserve/{gift_row.block_id}/"


def _form_data(**overrides):
    data = {
        "name": "Jo Bloggs",
        "email": "jo@example.com",
        "quantity": "1",
        "message": "Congratulations!",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def registry():
    return RegistryPageFactory(gifts=[gift(title="Plates", quantity_wanted=3, shop_url="https://shop.example.com/p")])


@pytest.fixture
def plates(registry):
    return Gift.objects.get(registry=registry)


def _errors(response, field):
    soup = BeautifulSoup(response.content, "html.parser")
    box = soup.select_one(f"#id_{field}").find_parent(class_="field")
    return [li.text for li in box.select(".field__errors li")]


class TestReserveForm:
    def test_the_form_has_the_named_fields_and_a_fresh_idempotency_key(self, client, registry, plates):
        response = client.get(_reserve_url(registry, plates))
        soup = BeautifulSoup(response.content, "html.parser")
        names = {field["name"] for field in soup.select("form.reserve-form [name]")}
        assert {"name", "email", "quantity", "message", "idempotency_key"} <= names
        assert soup.select_one("#id_quantity")["max"] == "3"
        assert response["Cache-Control"].startswith("max-age=0")

    def test_reserving_saves_the_reservation_and_shows_a_confirmation_with_the_manage_link(
        self, client, registry, plates
    ):
        response = client.post(_reserve_url(registry, plates), _form_data(quantity="2"), follow=True)
        reservation = Reservation.objects.get()
        assert (reservation.quantity, reservation.name, reservation.status) == (2, "Jo Bloggs", "reserved")
        plates.refresh_from_db()
        assert plates.quantity_reserved == 2
        soup = BeautifulSoup(response.content, "html.parser")
        assert "2 × Plates" in soup.select_one(".lead").text
        assert soup.select_one("a.private-link")["href"] == f"/reservations/{reservation.manage_token}/"
        assert soup.select_one('a[href="https://shop.example.com/p"]') is not None
        assert response["Cache-Control"] == "private, no-store"
        assert response["Referrer-Policy"] == "same-origin"

    def test_the_confirmation_says_where_the_private_link_was_emailed(self, client, registry, plates):
        response = client.post(_reserve_url(registry, plates), _form_data(email="jo@example.com"), follow=True)
        notice = BeautifulSoup(response.content, "html.parser").select_one(".notice").get_text(" ", strip=True)
        assert "We've emailed this link to jo@example.com" in notice

    def test_the_confirmation_thanks_the_guest_by_first_name(self, client, registry, plates):
        response = client.post(_reserve_url(registry, plates), _form_data(name="Jo Bloggs"), follow=True)
        assert BeautifulSoup(response.content, "html.parser").h1.text == "Thank you, Jo!"
        household = client.post(_reserve_url(registry, plates), _form_data(name="The Okafor family"), follow=True)
        assert BeautifulSoup(household.content, "html.parser").h1.text == "Thank you to the Okafor family!"

    def test_the_confirmation_says_whether_other_guests_can_still_choose_the_gift(self, client, registry, plates):
        first = client.post(_reserve_url(registry, plates), _form_data(quantity="2"), follow=True)
        lead = BeautifulSoup(first.content, "html.parser").select_one(".lead").get_text(" ", strip=True)
        assert "1 more is still wanted, so other guests can still choose this gift." in lead
        assert "Nobody else" not in lead

        last = client.post(_reserve_url(registry, plates), _form_data(quantity="1"), follow=True)
        lead = BeautifulSoup(last.content, "html.parser").select_one(".lead").get_text(" ", strip=True)
        assert "That was the last one wanted: nobody else can choose this gift now." in lead

    def test_manage_tokens_are_long_and_random(self, client, registry, plates):
        client.post(_reserve_url(registry, plates), _form_data())
        client.post(_reserve_url(registry, plates), _form_data())
        first, second = Reservation.objects.values_list("manage_token", flat=True)
        assert first != second and len(first) >= 40

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("name", "", "This field is required."),
            ("name", "x" * 101, "Ensure this value has at most 100 characters (it has 101)."),
            ("name", "Jo<script>", "Your name can't contain < or >."),
            ("email", "not-an-email", "Enter a valid email address."),
            ("quantity", "0", "Ensure this value is greater than or equal to 1."),
            ("quantity", "4", "Only 3 still wanted, please choose 3 or fewer."),
            ("quantity", "two", "Enter a whole number."),
            ("message", "<b>Hi</b>", "Please write your message as plain text, without HTML tags."),
            ("message", "x" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
        ],
    )
    def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(
        self, client, registry, plates, field, value, message
    ):
        response = client.post(_reserve_url(registry, plates), _form_data(**{field: value}))
        assert response.status_code == 200
        assert message in _errors(response, field)
        assert not Reservation.objects.exists()
        plates.refresh_from_db()
        assert plates.quantity_reserved == 0

    def test_a_double_submitted_form_makes_one_reservation(self, client, registry, plates):
        data = _form_data()
        first = client.post(_reserve_url(registry, plates), data)
        second = client.post(_reserve_url(registry, plates), data)
        assert first["Location"] == second["Location"]
        assert Reservation.objects.count() == 1
        plates.refresh_from_db()
        assert plates.quantity_reserved == 1

    def test_when_the_last_one_went_meanwhile_the_guest_is_told_and_nothing_is_saved(self, client, registry, plates):
        page_form = client.get(_reserve_url(registry, plates))
        assert page_form.status_code == 200
        reservation_create(
            gift=plates, name="Quick", email="q@example.com", quantity=3, message="", idempotency_key=uuid.uuid4()
        )
        response = client.post(_reserve_url(registry, plates), _form_data())
        assert response.status_code == 409
        assert "Someone just reserved the last one" in response.content.decode()
        assert Reservation.objects.count() == 1

    def test_a_fully_given_gift_shows_all_given_instead_of_the_form(self, client, registry, plates):
        reservation_create(
            gift=plates, name="Quick", email="q@example.com", quantity=3, message="", idempotency_key=uuid.uuid4()
        )
        response = client.get(_reserve_url(registry, plates))
        assert "All given" in response.content.decode()
        assert b'name="quantity"' not in response.content

    def test_a_gift_no_longer_on_the_page_answers_404_with_an_explanation(self, client, registry, plates):
        plates.active = False
        plates.save()
        response = client.get(_reserve_url(registry, plates))
        assert response.status_code == 404
        assert "isn't on the registry any more" in response.content.decode()

    def test_an_unknown_gift_id_answers_404(self, client, registry):
        assert client.get(f"{registry.url}reserve/not-a-gift/").status_code == 404


class TestReservationService:
    def test_asking_for_more_than_remain_raises_and_saves_nothing(self, plates):
        with pytest.raises(GiftUnavailable) as raised:
            reservation_create(
                gift=plates, name="Jo", email="jo@example.com", quantity=4, message="", idempotency_key=uuid.uuid4()
            )
        assert raised.value.remaining == 3
        assert not Reservation.objects.exists()


class TestManageLink:
    @pytest.fixture
    def reservation(self, plates):
        return reservation_create(
            gift=plates, name="Jo", email="jo@example.com", quantity=2, message="", idempotency_key=uuid.uuid4()
        ).reservation

    def test_the_guest_marks_it_as_bought(self, client, reservation, plates):
        response = client.post(f"/reservations/{reservation.manage_token}/", {"action": "bought"}, follow=True)
        reservation.refresh_from_db()
        assert reservation.status == "bought"
        assert "noted that you bought it" in response.content.decode()
        plates.refresh_from_db()
        assert plates.quantity_reserved == 2

    def test_cancelling_gives_the_quantity_back(self, client, reservation, plates, registry):
        client.post(f"/reservations/{reservation.manage_token}/cancel/")
        reservation.refresh_from_db()
        plates.refresh_from_db()
        assert (reservation.status, plates.quantity_reserved) == ("released", 0)
        page = BeautifulSoup(client.get(registry.url).content, "html.parser")
        assert page.select_one(".gift__remaining").text == "3"

    def test_cancelling_twice_gives_back_only_once(self, client, reservation, plates):
        client.post(f"/reservations/{reservation.manage_token}/cancel/")
        response = client.post(f"/reservations/{reservation.manage_token}/cancel/", follow=True)
        plates.refresh_from_db()
        assert plates.quantity_reserved == 0
        messages = BeautifulSoup(response.content, "html.parser").select_one(".messages").text
        assert "isn't possible for this reservation any more" in messages

    def test_a_cancelled_reservation_cannot_be_marked_bought(self, client, reservation):
        client.post(f"/reservations/{reservation.manage_token}/cancel/")
        client.post(f"/reservations/{reservation.manage_token}/", {"action": "bought"})
        reservation.refresh_from_db()
        assert reservation.status == "released"

    def test_cancelling_asks_first_on_a_page_that_needs_no_javascript(self, client, reservation, plates):
        manage = BeautifulSoup(client.get(f"/reservations/{reservation.manage_token}/").content, "html.parser")
        cancel_url = f"/reservations/{reservation.manage_token}/cancel/"
        assert manage.find("a", string="Cancel my reservation")["href"] == cancel_url
        assert not manage.select('button[value="release"]')  # no one-click cancel

        question = client.get(cancel_url)
        assert question.status_code == 200
        assert question["Cache-Control"] == "private, no-store"
        soup = BeautifulSoup(question.content, "html.parser")
        assert soup.h1.text == "Cancel your reservation?"
        assert soup.select_one("form[method=post] button").text == "Yes, cancel my reservation"
        reservation.refresh_from_db()
        assert reservation.status == "reserved"  # asking changes nothing

        done = client.post(cancel_url, follow=True)
        reservation.refresh_from_db()
        plates.refresh_from_db()
        assert (reservation.status, plates.quantity_reserved) == ("released", 0)
        assert (
            "Your reservation is cancelled" in BeautifulSoup(done.content, "html.parser").select_one(".messages").text
        )

    def test_once_bought_it_is_the_guests_and_can_no_longer_be_cancelled(self, client, reservation, plates, registry):
        client.post(f"/reservations/{reservation.manage_token}/", {"action": "bought"})

        page = BeautifulSoup(client.get(f"/reservations/{reservation.manage_token}/").content, "html.parser")
        status = page.select_one(".reservation-status").get_text(" ", strip=True)
        assert "You bought it: it's yours to give." in status
        assert f"please get in touch with {registry.couple_names} yourself" in status
        assert page.find("a", string="Cancel my reservation") is None

        client.post(f"/reservations/{reservation.manage_token}/cancel/")
        reservation.refresh_from_db()
        plates.refresh_from_db()
        assert (reservation.status, plates.quantity_reserved) == ("bought", 2)

    def test_a_bought_reservation_is_never_released_so_the_gift_is_not_bought_twice(self, reservation, plates):
        reservation_mark_bought(reservation=reservation)

        reservation_release(reservation=reservation)
        reservation_release(reservation=reservation, automatic=True)

        reservation.refresh_from_db()
        plates.refresh_from_db()
        assert (reservation.status, plates.quantity_reserved) == ("bought", 2)

    def test_a_cancelled_reservation_says_so_in_plain_words_without_a_shop_button(self, client, reservation):
        client.post(f"/reservations/{reservation.manage_token}/cancel/")

        page = BeautifulSoup(client.get(f"/reservations/{reservation.manage_token}/").content, "html.parser")
        status = page.select_one(".reservation-status").get_text(" ", strip=True)
        assert status == "You cancelled this: the gift is free for other guests again."
        assert "Released" not in page.get_text()
        assert page.select_one('a[href="https://shop.example.com/p"]') is None
        assert page.find("a", string="Choose a gift again") is not None

    def test_a_lapsed_reservation_says_so_and_the_guest_who_bought_it_keeps_it(self, client, reservation, plates):
        reservation_release(reservation=reservation, automatic=True)

        page = BeautifulSoup(client.get(f"/reservations/{reservation.manage_token}/").content, "html.parser")
        status = page.select_one(".reservation-status").get_text(" ", strip=True)
        assert status.startswith("This reservation lapsed: we didn't hear whether you bought it")
        assert "Released" not in page.get_text()
        assert page.select_one('a[href="https://shop.example.com/p"]') is None

        client.post(f"/reservations/{reservation.manage_token}/", {"action": "keep"})
        reservation.refresh_from_db()
        plates.refresh_from_db()
        assert (reservation.status, plates.quantity_reserved) == ("bought", 2)

    def test_the_manage_page_is_private(self, client, reservation):
        response = client.get(f"/reservations/{reservation.manage_token}/")
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert "noindex" in response["X-Robots-Tag"]

    def test_a_wrong_token_answers_404(self, client, reservation):
        assert client.get("/reservations/not-the-token/").status_code == 404
        assert client.post("/reservations/not-the-token/", {"action": "bought"}).status_code == 404
        assert client.post("/reservations/not-the-token/cancel/").status_code == 404
