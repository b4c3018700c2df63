"""Encryption of personal data: AES-GCM with a random nonce, and a keyed lookup hash."""

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from gongzhi.core import crypto

VALUES = st.text(min_size=0, max_size=40)


@settings(max_examples=100, deadline=None)
@given(VALUES)
def test_round_trip(value):
    assert crypto.decrypt(crypto.encrypt(value)) == value


@settings(max_examples=50, deadline=None)
@given(VALUES)
def test_equal_plaintexts_encrypt_differently_and_never_contain_the_plaintext(value):
    first, second = crypto.encrypt(value), crypto.encrypt(value)

    assert first != second
    assert first.startswith("v1:")
    if len(value) >= 4:
        assert value not in first


def test_lookup_hash_is_stable_under_one_key():
    assert crypto.lookup_hash("350102198005171234") == crypto.lookup_hash("350102198005171234")
    assert crypto.lookup_hash("350102198005171234") != crypto.lookup_hash("350102198005171235")
    assert len(crypto.lookup_hash("13812345678")) == 64


def test_lookup_hash_is_keyed():
    value = "350102198005171234"
    with override_settings(DATA_KEY="key-one-for-this-test"):
        one = crypto.lookup_hash(value)
    with override_settings(DATA_KEY="key-two-for-this-test"):
        two = crypto.lookup_hash(value)
    with override_settings(DATA_KEY="key-one-for-this-test"):
        again = crypto.lookup_hash(value)

    assert one != two
    assert one == again
    assert value not in one


def test_ciphertext_from_another_key_cannot_be_opened():
    with override_settings(DATA_KEY="key-one-for-this-test"):
        token = crypto.encrypt("13812345678")
    with override_settings(DATA_KEY="key-two-for-this-test"), pytest.raises(crypto.CipherError):
        crypto.decrypt(token)


@pytest.mark.parametrize("position", [3, 10, 20, -2])
def test_tampered_ciphertext_fails(position):
    token = crypto.encrypt("350102198005171234")
    flipped = "A" if token[position] != "A" else "B"
    tampered = token[:position] + flipped + token[position + 1:] if position >= 0 else (
        token[:position] + flipped + token[position + 1:])

    with pytest.raises(crypto.CipherError):
        crypto.decrypt(tampered)


@pytest.mark.parametrize("token", ["", "v1:", "v2:AAAA", "plain text", "v1:not base64!!", "v1:QUJD"])
def test_garbage_is_refused(token):
    with pytest.raises(crypto.CipherError):
        crypto.decrypt(token)
