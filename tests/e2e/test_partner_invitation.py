"""In Chromium: one of the couple invites their partner, who follows the emailed link, sets a password and edits."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from accounts.factories import make_couple

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_invited_from_the_account_page_joins_and_edits_the_same_registry(
    live_server, desktop_page, page, mailoutbox
):
    couple = make_couple("Ada", "Grace")
    ada, grace = desktop_page, page

    ada.goto(f"{live_server.url}/admin/login/")
    ada.get_by_label("Email").fill(couple.user.email)
    ada.get_by_label("Password").fill("correct-horse-battery-staple")
    ada.get_by_role("button", name="Sign in").click()
    ada.wait_for_url(f"{live_server.url}/admin/")
    ada.get_by_role("link", name="Account & sharing").click()
    ada.get_by_label("Your partner's email").fill("grace@example.com")
    ada.get_by_role("button", name="Send invitation").click()
    expect(ada.get_by_text("Invitation sent to grace@example.com")).to_be_visible()

    [invitation] = [message for message in mailoutbox if message.to == ["grace@example.com"]]
    link = urlparse(re.search(r"Accept the invitation: (\S+)", invitation.body).group(1))
    accept_url = f"{live_server.url}{link.path}"

    # Grace opens the link on her phone, chooses a password and lands in the registry's editor.
    grace.goto(accept_url)
    expect(grace.get_by_role("heading", name="Join your wedding registry")).to_be_visible()
    grace.get_by_label("Your first name").fill("Grace")
    grace.get_by_label("Choose a password").fill("lantern-orchard-velvet-42")
    grace.get_by_role("button", name="Join the registry").click()
    grace.wait_for_url(f"{live_server.url}/admin/pages/{couple.registry.pk}/edit/")
    expect(grace.get_by_text("Welcome! You now look after Ada & Grace together.")).to_be_visible()

    # The link worked once; Ada now sees them both.
    stranger = grace.context.browser.new_context().new_page()
    assert stranger.goto(accept_url).status == 410
    stranger.context.close()
    ada.reload()
    expect(ada.get_by_text("(grace@example.com)")).to_be_visible()
    expect(ada.get_by_role("button", name="Send invitation")).to_have_count(0)
