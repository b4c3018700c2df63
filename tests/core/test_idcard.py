"""GB 11643 ID numbers: property tests of the MOD 11-2 checksum, birth date and gender.

Why every single-digit substitution and every adjacent transposition is caught (checked in
test_weights_are_powers_of_two_mod_11, then relied on by the properties below):

ISO 7064 MOD 11-2 accepts a number a1…a18 (a18 = 10 for "X") when Σ aᵢ·wᵢ ≡ 1 (mod 11) with
wᵢ = 2^(18-i) mod 11 — position 18 has weight 1, and our ``check_char`` picks exactly the a18 that makes
this hold. 11 is prime and no weight is 0 mod 11.
- Substituting a digit at position i changes the sum by (b-a)·wᵢ with 0 < |b-a| ≤ 10, so by a product of
  two numbers not divisible by 11: the sum changes mod 11 and the number is rejected.
- Swapping unequal neighbours a, b at positions i, i+1 changes the sum by (a-b)·(wᵢ₊₁ - wᵢ) =
  (a-b)·wᵢ₊₁·(1-2) because wᵢ = 2·wᵢ₊₁ mod 11; again no factor is divisible by 11. (A swap that moves
  an "X" out of the last place is rejected before the checksum: only the last character may be X.)
"""

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gongzhi.core import idcard

TODAY = dt.date(2026, 11, 22)
REGIONS = st.sampled_from(["350102", "350103", "110101", "440305", "510104"])
BIRTHS = st.dates(min_value=dt.date(1880, 1, 1), max_value=TODAY)
SEQUENCES = st.integers(min_value=0, max_value=999)
FAST = settings(max_examples=150, deadline=None)


@st.composite
def id_numbers(draw):
    return idcard.make(draw(REGIONS), draw(BIRTHS), draw(SEQUENCES))


def is_rejected(number: str) -> bool:
    try:
        idcard.parse(number, today=TODAY)
    except idcard.InvalidIdNumber:
        return True
    return False


def test_weights_are_powers_of_two_mod_11():
    assert tuple(pow(2, 17 - i, 11) for i in range(17)) == idcard.WEIGHTS
    assert all(w % 11 for w in idcard.WEIGHTS)


def test_known_number_parses():
    info = idcard.parse("11010519491231002X", today=TODAY)

    assert (info.birth_date, info.gender, info.region_code) == (dt.date(1949, 12, 31), "female", "110105")


@FAST
@given(REGIONS, BIRTHS, SEQUENCES)
def test_any_made_number_parses_with_its_birth_date_and_gender(region, birth, sequence):
    number = idcard.make(region, birth, sequence)

    info = idcard.parse(number, today=TODAY)

    assert (info.number, info.birth_date, info.region_code) == (number, birth, region)
    assert info.gender == ("male" if sequence % 2 else "female")


@FAST
@given(id_numbers())
def test_lowercase_x_and_spaces_are_normalised(number):
    raw = " " + number[:6] + " " + number[6:].lower() + " "

    assert idcard.parse(raw, today=TODAY).number == number


@FAST
@given(id_numbers(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_character_substitution_is_rejected(number, position, char):
    changed = number[:position] + char + number[position + 1:]
    assume(changed != number)

    assert is_rejected(changed)


@FAST
@given(id_numbers(), st.integers(min_value=0, max_value=16))
def test_any_adjacent_transposition_that_changes_the_number_is_rejected(number, position):
    changed = number[:position] + number[position + 1] + number[position] + number[position + 2:]
    assume(changed != number)

    assert is_rejected(changed)


@FAST
@given(id_numbers(), st.integers(min_value=0, max_value=5), st.integers(min_value=1, max_value=9))
def test_a_changed_region_digit_fails_the_checksum_itself(number, position, delta):
    digit = str((int(number[position]) + delta) % 10)
    changed = number[:position] + digit + number[position + 1:]

    with pytest.raises(idcard.InvalidIdNumber, match="checksum"):
        idcard.parse(changed, today=TODAY)


@pytest.mark.parametrize("birth", ["18991301", "19800230", "19810229", "19800000", "19800132", "18791231",
                                   "20261123", "30000101"])
def test_impossible_or_future_birth_dates_are_rejected_even_with_a_right_check_digit(birth):
    first17 = "350102" + birth + "123"
    number = first17 + idcard.check_char(first17)

    with pytest.raises(idcard.InvalidIdNumber, match="birth_date"):
        idcard.parse(number, today=TODAY)


def test_29_february_of_a_leap_year_is_a_birth_date():
    first17 = "350102" + "20000229" + "124"

    assert idcard.parse(first17 + idcard.check_char(first17), today=TODAY).birth_date == dt.date(2000, 2, 29)


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "length"), ("35010219800517123", "length"), ("3501021980051712345", "length"),
    ("35010219800517123A", "characters"), ("X50102198005171234", "characters"),
    ("35010219800517123²", "checksum"), ("٣50102198005171234", "characters"), ("3501021980-0517123", "characters"),
])
def test_malformed_numbers_are_rejected_with_a_reason(raw, reason):
    with pytest.raises(idcard.InvalidIdNumber, match=reason):
        idcard.parse(raw, today=TODAY)


@FAST
@given(id_numbers())
def test_full_width_digits_typed_with_a_chinese_input_method_are_read_as_ascii(number):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)  # "3" → "３", "X" → "Ｘ"

    assert idcard.parse(full_width, today=TODAY).number == number


@FAST
@given(st.text(max_size=20))
def test_arbitrary_text_never_crashes_the_parser(raw):
    reason = None
    try:
        idcard.parse(raw, today=TODAY)
    except idcard.InvalidIdNumber as exc:
        reason = str(exc)
    assert reason in {None, "length", "characters", "birth_date", "checksum"}
