"""`make run` prints each email readably: who it's to, the subject and the text, not base64."""

import io

from anymail.message import AnymailMessage
from django.core.mail import get_connection


def test_the_console_shows_headers_and_the_text_part_only():
    stream = io.StringIO()
    message = AnymailMessage(subject="You reserved Teapot", body="Hello Jo,\nThank you!", to=["jo@guests.localhost"])
    message.attach_inline_image(b"\x89PNG fake", filename="header.png", subtype="png")
    message.attach_alternative("<p>Hello Jo</p>", "text/html")

    get_connection("notifications.console.EmailBackend", stream=stream).send_messages([message])

    printed = stream.getvalue()
    assert "To: jo@guests.localhost" in printed and "Subject: You reserved Teapot" in printed
    assert "Hello Jo,\nThank you!" in printed
    assert "[also sent: 1 HTML version, 1 inline image or attachment]" in printed
    assert "base64" not in printed and "<p>" not in printed
