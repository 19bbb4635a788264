from __future__ import annotations

import pytest

from leadhub.kit.crypto import SecretBox, SecretUnreadable

SECRETS = {"api_key": "key-0123456789abcdef", "password": "hunter2"}


def test_a_box_decrypts_what_it_encrypted() -> None:
    box = SecretBox("node-secret")
    assert box.decrypt_json(box.encrypt_json(SECRETS)) == SECRETS


def test_a_box_built_from_the_same_key_decrypts_too() -> None:
    token = SecretBox("node-secret").encrypt_json(SECRETS)
    assert SecretBox("node-secret").decrypt_json(token) == SECRETS


def test_the_token_does_not_contain_the_plaintext() -> None:
    token = SecretBox("node-secret").encrypt_json(SECRETS)
    assert token.isascii()
    for value in SECRETS.values():
        assert value not in token


def test_the_same_value_encrypts_differently_each_time() -> None:
    box = SecretBox("node-secret")
    assert box.encrypt_json(SECRETS) != box.encrypt_json(SECRETS)


def test_another_secret_key_cannot_decrypt() -> None:
    token = SecretBox("node-secret").encrypt_json(SECRETS)
    with pytest.raises(SecretUnreadable):
        SecretBox("another-secret").decrypt_json(token)


def test_another_purpose_cannot_decrypt() -> None:
    token = SecretBox("node-secret").encrypt_json(SECRETS)
    with pytest.raises(SecretUnreadable):
        SecretBox("node-secret", purpose="sessions").decrypt_json(token)


@pytest.mark.parametrize("token", ["", "not-a-token", "gAAAAA" + "x" * 80, "ünïcode"])
def test_garbage_is_unreadable(token: str) -> None:
    with pytest.raises(SecretUnreadable):
        SecretBox("node-secret").decrypt_json(token)


def test_an_altered_token_is_unreadable() -> None:
    box = SecretBox("node-secret")
    token = box.encrypt_json(SECRETS)
    altered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(SecretUnreadable):
        box.decrypt_json(altered)


def test_an_empty_secret_key_is_refused() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        SecretBox("")


def test_the_box_does_not_show_its_key() -> None:
    assert "node-secret" not in repr(SecretBox("node-secret"))
