"""Guests are greeted the way a person would write to them, whatever they typed as their name."""

import pytest

from core.greetings import greeting


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jo Bloggs", "Hello Jo"),
        ("Jo", "Hello Jo"),
        ("  Jo   Bloggs ", "Hello Jo"),
        ("The Okafor family", "Hello to the Okafor family"),
        ("the Okafors", "Hello to the Okafors"),
        ("Okafor family", "Hello Okafor family"),
        ("Ada & Ben Okafor", "Hello Ada & Ben Okafor"),
        ("Ada and Ben", "Hello Ada and Ben"),
        ("Dr Ada Okafor", "Hello Dr Ada Okafor"),
        ("Mrs. Okafor", "Hello Mrs. Okafor"),
        ("Okafor, Ada", "Hello Okafor, Ada"),
        ("", "Hello"),
    ],
)
def test_a_guest_is_greeted_by_first_name_or_by_the_whole_name_when_it_is_not_one_persons(name, expected):
    assert greeting(name) == expected


def test_an_opening_with_a_comma_keeps_it_only_before_a_name():
    assert greeting("Jo Bloggs", "Thank you,") == "Thank you, Jo"
    assert greeting("The Okafor family", "Thank you,") == "Thank you to the Okafor family"
    assert greeting("", "Thank you,") == "Thank you"
