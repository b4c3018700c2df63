"""Masks shown everywhere by default, and redaction of numbers written into free text."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.core import idcard, masking


def test_id_number_keeps_region_and_last_four():
    assert masking.mask_id_number("350102198005171234") == "350102********1234"


def test_id_number_with_x_keeps_the_x():
    assert masking.mask_id_number("11010519491231002X") == "110105********002X"


def test_mobile_keeps_first_three_and_last_four():
    assert masking.mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(("phone", "masked"), [
    ("0591-87654321", "0591-****4321"), ("059187654321", "****4321"), ("1234", "****"), ("", ""),
])
def test_landlines_and_short_values_show_at_most_the_last_four(phone, masked):
    assert masking.mask_phone(phone) == masked


@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("欧阳小明", "欧***"), ("李", "李*"), ("", "")])
def test_names_on_public_pages_keep_the_first_character(name, masked):
    assert masking.mask_name(name) == masked


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1880, 1, 1), max_value=dt.date(2026, 1, 1)), st.integers(min_value=0, max_value=999))
def test_a_masked_id_never_contains_the_eight_middle_digits(birth, sequence):
    number = idcard.make("350102", birth, sequence)

    masked = masking.mask_id_number(number)

    assert len(masked) == 18
    assert masked[6:14] == "********"
    assert masked[:6] + masked[14:] == number[:6] + number[14:]


def test_redaction_masks_id_and_mobile_numbers_in_text_and_leaves_the_rest():
    text = "核对身份证350102198005171234、11010519491231002x，电话13812345678；门牌1234号，编号123456789012"

    assert masking.redact_identifiers(text) == (
        "核对身份证350102********1234、110105********002X，电话138****5678；门牌1234号，编号123456789012"
    )


def test_redaction_leaves_longer_digit_runs_alone():
    assert masking.redact_identifiers("订单 1350102198005171234567") == "订单 1350102198005171234567"
