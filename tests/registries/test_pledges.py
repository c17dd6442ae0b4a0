"""Funds and group gifts: guests pledge amounts, paid straight to the couple, and the registry keeps count."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from registries.factories import RegistryPageFactory, fund, gift, gift_row, pledge, reserve
from registries.models import Gift, Pledge
from registries.progress import ledger_csv_rows, registry_ledger, registry_pledge_progress, registry_progress
from registries.services import PledgeRefused, pledge_create, pledge_mark_paid, pledge_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    return RegistryPageFactory(
        gifts=[
            gift(title="Sofa", price=Decimal("900.00"), group_gift=True, minimum_contribution=Decimal("20")),
            fund(title="Honeymoon", goal=Decimal("2000"), suggested_amounts=[Decimal("50"), Decimal("100")]),
            fund(title="First home", goal=None),
            gift(title="Toaster"),
        ]
    )


def _give_url(page, title):
    return f"{page.url}give/{gift_row(page, title).block_id}/"


GUEST = {"name": "Jo Bloggs", "email": "jo@example.com", "message": "Have a lovely trip"}


def _form(amount="50"):
    return {**GUEST, "amount": amount, "idempotency_key": str(uuid.uuid4())}


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


class TestGiftRows:
    def test_publishing_keeps_funds_and_group_gifts_as_rows_that_take_pledges(self, registry):
        titles = ("Sofa", "Honeymoon", "First home", "Toaster")
        sofa, honeymoon, home, toaster = (gift_row(registry, title) for title in titles)
        assert (sofa.kind, sofa.group_gift, sofa.pledge_goal, sofa.minimum_contribution) == ("gift", True, 900, 20)
        assert (honeymoon.kind, honeymoon.pledge_goal, honeymoon.minimum_contribution) == ("fund", 2000, 10)
        assert (home.kind, home.pledge_goal, home.price) == ("fund", None, 0)
        assert not toaster.takes_pledges and sofa.takes_pledges and home.takes_pledges

    def test_a_group_gifts_price_never_drops_below_what_guests_pledged(self, registry):
        pledge(registry, "Sofa", 600)
        page = registry.__class__.objects.get(pk=registry.pk)
        page.gifts[0].value["price"] = Decimal("500")
        page.save_revision().publish()
        assert gift_row(registry, "Sofa").pledge_goal == 600

    def test_funds_and_group_gifts_stay_out_of_the_unit_progress(self, registry):
        assert [g.title for g in registry_progress(registry=registry).gifts] == ["Toaster"]


class TestPledgeService:
    def test_a_pledge_adds_to_the_gifts_total(self, registry):
        pledge(registry, "Sofa", 300)
        pledge(registry, "Sofa", "100.50")
        assert gift_row(registry, "Sofa").amount_pledged == Decimal("400.50")
        assert gift_row(registry, "Sofa").amount_remaining == Decimal("499.50")

    def test_below_the_couples_minimum_is_refused_and_nothing_saved(self, registry):
        with pytest.raises(PledgeRefused, match="smallest contribution is £20"):
            pledge(registry, "Sofa", 19)
        assert not Pledge.objects.exists()

    def test_more_than_a_group_gift_still_needs_is_refused(self, registry):
        pledge(registry, "Sofa", 850)
        with pytest.raises(PledgeRefused, match="£50 is still needed") as refused:
            pledge(registry, "Sofa", 60)
        assert refused.value.remaining == 50
        assert Pledge.objects.count() == 1 and gift_row(registry, "Sofa").amount_pledged == 850

    def test_a_fund_takes_more_than_its_goal(self, registry):
        pledge(registry, "Honeymoon", 1500)
        pledge(registry, "Honeymoon", 800)
        assert gift_row(registry, "Honeymoon").amount_pledged == 2300

    def test_an_ordinary_gift_takes_no_pledge(self, registry):
        with pytest.raises(PledgeRefused):
            pledge(registry, "Toaster", 20)
        assert gift_row(registry, "Toaster").amount_pledged == 0

    def test_the_same_form_twice_makes_one_pledge(self, registry):
        key = uuid.uuid4()
        arguments = {"name": "Jo", "email": "jo@example.com", "amount": Decimal(50), "message": ""}
        first = pledge_create(gift=gift_row(registry, "Sofa"), idempotency_key=key, **arguments)
        second = pledge_create(gift=gift_row(registry, "Sofa"), idempotency_key=key, **arguments)
        assert (first.created, second.created, second.pledge.pk) == (True, False, first.pledge.pk)
        assert gift_row(registry, "Sofa").amount_pledged == 50

    def test_releasing_gives_the_amount_back_once(self, registry):
        given = pledge(registry, "Sofa", 200)
        pledge_release(pledge=given)
        pledge_release(pledge=given)
        assert given.status == Pledge.Status.RELEASED
        assert gift_row(registry, "Sofa").amount_pledged == 0

    def test_paid_is_the_guests_word_and_a_released_pledge_cant_be_paid(self, registry):
        paid = pledge_mark_paid(pledge=pledge(registry, "Sofa", 200))
        assert paid.status == Pledge.Status.PAID and paid.paid_at is not None
        released = pledge_release(pledge=pledge(registry, "Sofa", 100))
        assert pledge_mark_paid(pledge=released).status == Pledge.Status.RELEASED


class TestGuestPages:
    def test_the_registry_shows_what_is_covered_and_a_give_button(self, client, registry):
        pledge(registry, "Sofa", 300)
        soup = _soup(client.get(registry.url))
        sofa = soup.select_one(f'[data-gift-id="{gift_row(registry, "Sofa").block_id}"]')
        assert "Group gift" in sofa.text
        assert " ".join(sofa.select_one(".gift__footer").text.split()).startswith("£300 given of £900")
        assert sofa.select_one("a.gift__give")["href"] == _give_url(registry, "Sofa")
        home = soup.select_one(f'[data-gift-id="{gift_row(registry, "First home").block_id}"]')
        assert " ".join(home.select_one(".gift__status").text.split()) == "£0 given"

    def test_a_group_gift_fully_pledged_is_all_given(self, client, registry):
        pledge(registry, "Sofa", 900)
        soup = _soup(client.get(registry.url))
        sofa = soup.select_one(f'[data-gift-id="{gift_row(registry, "Sofa").block_id}"]')
        assert "gift--given" in sofa["class"] and "All given" in sofa.text and not sofa.select("a.gift__give")
        assert "No more" not in client.get(_give_url(registry, "Sofa")).content.decode()
        assert "All given" in client.get(_give_url(registry, "Sofa")).content.decode()

    def test_a_pledge_updates_a_stored_page_through_its_live_region_in_one_query(
        self, client, registry, django_assert_num_queries
    ):
        def pledged(response):
            return _soup(response).select_one(f'[data-gift-id="{gift_row(registry, "Sofa").block_id}"] .gift__pledged')

        assert pledged(client.get(registry.url)).text == "£0"
        assert client.get(registry.url)["X-Page-Cache"] == "hit"
        pledge(registry, "Sofa", 250)
        with django_assert_num_queries(1):  # the numbers only, as after a reservation
            response = client.get(registry.url)
        assert response["X-Page-Cache"] == "refreshed"
        assert pledged(response).text == "£250"
        rendered = client.get(registry.url, {"ref": "never-stored"})
        assert response.content == rendered.content

    def test_the_form_says_no_money_passes_through_us_and_offers_suggested_amounts(self, client, registry):
        soup = _soup(client.get(_give_url(registry, "Honeymoon") + "?amount=100"))
        assert "never receives or forwards any money" in soup.select_one("[data-no-money]").text
        assert [a.text for a in soup.select(".pledge-suggestions a")] == ["£50", "£100"]
        assert soup.select_one("#id_amount")["value"] == "100"
        assert soup.select_one("#id_amount")["min"] == "10.00"

    def test_the_bank_details_are_not_on_the_form_only_after_pledging(self, client, registry, payment_details):
        page = client.get(_give_url(registry, "Sofa")).content.decode()
        assert "Sort code 12-34-56" not in page
        response = client.post(_give_url(registry, "Sofa"), _form(amount="40"), follow=True)
        soup = _soup(response)
        assert soup.select_one("[data-paypal-link]")["href"] == "https://paypal.me/alexandsam"
        assert "Sort code 12-34-56" in soup.select_one("[data-bank-details]").text
        assert "never receives or forwards any money" in soup.text
        assert response.redirect_chain[-1][0] == reverse("pledge_thanks", args=[Pledge.objects.get().manage_token])

    def test_too_much_for_a_group_gift_is_refused_by_the_form(self, client, registry):
        pledge(registry, "Sofa", 880)
        response = client.post(_give_url(registry, "Sofa"), _form(amount="50"))
        assert "Only £20 is still needed." in response.content.decode()
        assert Pledge.objects.count() == 1

    def test_the_reserve_page_of_a_group_gift_sends_guests_to_give(self, client, registry):
        response = client.get(f"{registry.url}reserve/{gift_row(registry, 'Sofa').block_id}/")
        assert response.status_code == 302 and response["Location"] == _give_url(registry, "Sofa")

    def test_an_ordinary_gift_has_no_give_page(self, client, registry):
        assert client.get(_give_url(registry, "Toaster")).status_code == 404

    def test_cancelling_asks_first(self, client, registry):
        given = pledge(registry, "Sofa", 100)
        manage = reverse("pledge_manage", args=[given.manage_token])
        asked = client.post(manage, {"action": "release"})
        assert "Cancel your pledge?" in asked.content.decode()
        given.refresh_from_db()
        assert given.status == Pledge.Status.PLEDGED
        client.post(manage, {"action": "release", "confirmed": "yes"})
        given.refresh_from_db()
        assert given.status == Pledge.Status.RELEASED
        assert gift_row(registry, "Sofa").amount_pledged == 0

    def test_once_paid_a_pledge_stands_and_can_no_longer_be_cancelled(self, client, registry):
        given = pledge(registry, "Sofa", 100)
        manage = reverse("pledge_manage", args=[given.manage_token])
        client.post(manage, {"action": "paid"})
        page = client.get(manage).content.decode()
        assert "Cancel my pledge" not in page and "get in touch" in page
        client.post(manage, {"action": "release", "confirmed": "yes"})
        given.refresh_from_db()
        assert given.status == Pledge.Status.PAID
        assert gift_row(registry, "Sofa").amount_pledged == 100

    def test_the_pledge_form_and_the_guests_own_pages_are_never_stored_anywhere(self, client, registry):
        form = client.get(_give_url(registry, "Honeymoon"))
        assert {"private", "no-store"} <= {part.strip() for part in form["Cache-Control"].split(",")}
        assert "X-Page-Cache" not in form
        thanks = client.post(_give_url(registry, "Honeymoon"), _form())
        for url in (thanks["Location"], reverse("pledge_manage", args=[Pledge.objects.get().manage_token])):
            page = client.get(url)
            assert page["Cache-Control"] == "private, no-store" and "X-Page-Cache" not in page
            assert page["Referrer-Policy"] == "same-origin"

    def test_a_wrong_manage_link_is_a_404(self, client):
        assert client.get(reverse("pledge_manage", args=["nope"])).status_code == 404


@pytest.fixture
def payment_details(registry):
    from accounts.services import couple_payment_details_save

    return couple_payment_details_save(
        registry=registry,
        paypal_me_url="https://paypal.me/alexandsam",
        bank_transfer_details="A & S Smith\nSort code 12-34-56, account 12345678",
    )


class TestLedger:
    def test_before_the_reveal_only_totals(self, registry):
        pledge(registry, "Sofa", 300, name="Jo Bloggs", message="Secret")
        pledge_mark_paid(pledge=pledge(registry, "Sofa", 100, name="Kim"))
        sofa = next(g for g in registry_pledge_progress(registry=registry) if g.title == "Sofa")
        assert (sofa.pledged, sofa.paid, sofa.guests, sofa.still_needed) == (300, 100, 2, 500)
        rows = ledger_csv_rows(registry=registry)
        flat = " ".join(" ".join(row) for row in rows)
        assert ["Sofa", "£900", "£300", "£100", "2", "£500"] in rows
        assert "Jo" not in flat and "Secret" not in flat

    def test_after_the_reveal_who_gave_what(self, registry):
        pledge(registry, "Honeymoon", 75, name="Jo Bloggs", message="Enjoy Lisbon")
        reserve(registry, "Toaster", name="Kim")
        registry.revealed_at = timezone.now()
        registry.save(update_fields=["revealed_at"])
        assert [p.name for p in registry_ledger(registry=registry).pledges] == ["Jo Bloggs"]
        rows = ledger_csv_rows(registry=registry, today=timezone.localdate() + timedelta(days=1))
        assert ["Honeymoon", "Jo Bloggs", "£75", "Pledged", "Enjoy Lisbon", "No", "No"] in rows

    def test_the_couple_ticks_pledges_received_and_thanked(self, registry):
        from registries.services import thank_you_ledger_update

        given = pledge(registry, "Honeymoon", 75)
        thank_you_ledger_update(
            registry=registry,
            received_ids=set(),
            thanked_ids=set(),
            thanked_outside_ids=set(),
            pledge_received_ids={given.pk},
            pledge_thanked_ids={given.pk},
        )
        given.refresh_from_db()
        assert given.received and given.thanked


def test_a_fund_counts_towards_the_packages_gift_limit():
    from registries.models import Package
    from registries.publishing import gift_limit_problem

    page = RegistryPageFactory(gifts=[])
    limit = Package.default().gift_limit
    blocks = [fund(title=f"Fund {n}") for n in range(limit + 1)]
    page.gifts = blocks
    assert gift_limit_problem(registry=page, gifts=page.gifts)
    assert Gift.objects.filter(registry=page).count() == 0
