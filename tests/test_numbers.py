"""kb.numbers.parse_int: the one parser for numbers that come from outside."""

import pytest

from kb.numbers import MAX_ID, parse_int


@pytest.mark.parametrize("text, number", [("0", 0), ("7", 7), ("0012", 12), (str(MAX_ID), MAX_ID)])
def test_plain_ascii_digits_are_numbers(text, number):
    assert parse_int(text) == number


@pytest.mark.parametrize(
    "text",
    ["", " 7", "7 ", "+7", "-7", "²", "①", "٧", "７", "1_000", "1e3", "abc", "7.0", "9" * 25, None],
)
def test_anything_else_is_not_a_number(text):
    assert parse_int(text) is None


def test_bounds_are_inclusive_and_enforced():
    assert parse_int("1", minimum=1, maximum=3) == 1
    assert parse_int("3", minimum=1, maximum=3) == 3
    assert parse_int("0", minimum=1) is None
    assert parse_int("4", maximum=3) is None
    assert parse_int(str(MAX_ID + 1)) is None


def test_ints_pass_the_same_bounds_and_booleans_do_not():
    assert parse_int(5, maximum=9) == 5
    assert parse_int(10, maximum=9) is None
    assert parse_int(True) is None
