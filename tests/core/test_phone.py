"""Phone numbers: mainland mobiles and landlines, normalised; anything else refused."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.core import phone

MOBILES = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(MOBILES)
def test_any_mainland_mobile_is_accepted_as_is(number):
    assert phone.normalize(number) == number


@settings(max_examples=100, deadline=None)
@given(MOBILES, st.sampled_from(["+86", "0086", "+86 ", "(+86)"]))
def test_country_code_and_spaces_are_removed(number, prefix):
    spaced = f"{prefix}{number[:3]} {number[3:7]} {number[7:]}"

    assert phone.normalize(spaced) == number


@pytest.mark.parametrize(("raw", "expected"), [
    ("0591-87654321", "0591-87654321"), ("059187654321", "059187654321"), ("010-1234567", "010-1234567"),
    ("（0591）87654321", "059187654321"), ("１３８１２３４５６７８", "13812345678"),
])
def test_landlines_and_full_width_input(raw, expected):
    assert phone.normalize(raw) == expected


@pytest.mark.parametrize("raw", [
    "", "12812345678", "1381234567", "138123456789", "13812345a78", "138١2345678", "12345", "+1 415 555 0100",
    "0591-876543", "13812345678\x00",
])
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(phone.InvalidPhone):
        phone.normalize(raw)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=20))
def test_arbitrary_text_is_either_a_valid_number_or_refused(raw):
    try:
        value = phone.normalize(raw)
    except phone.InvalidPhone:
        return
    assert phone.MOBILE.match(value) or phone.LANDLINE.match(value)
    assert value.isascii()
