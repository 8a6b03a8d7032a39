"""The store's contentHash covers every byte the uploader took, by read() or by readinto()."""

from __future__ import annotations

import hashlib
import io

import pytest

from connector.documents.sources import _HashingReader
from connector.errors import ConnectorError

DATA = bytes(range(256)) * 1000


def hashing(expected: str | None) -> _HashingReader:
    stream = io.BytesIO(DATA)
    return _HashingReader(stream.read, stream.readinto, expected, "document 'd-1'")


def read_mixed(reader: _HashingReader) -> bytes:
    """The uploader's pattern: the first part by read(), later parts into their own buffers."""
    taken = bytearray(reader.read(1000))
    while True:
        part = bytearray(70_000)
        with memoryview(part) as view:
            count = reader.readinto(view)
        if not count:
            return bytes(taken)
        taken += part[:count]


class TestHashingReader:
    def test_the_right_hash_passes_when_parts_are_read_into_buffers(self) -> None:
        reader = hashing(hashlib.sha256(DATA).hexdigest())

        assert read_mixed(reader) == DATA
        reader.verify()

    def test_one_changed_byte_read_into_a_buffer_is_caught(self) -> None:
        changed = bytearray(DATA)
        changed[200_000] ^= 1
        reader = hashing(hashlib.sha256(bytes(changed)).hexdigest())
        read_mixed(reader)

        with pytest.raises(ConnectorError) as raised:
            reader.verify()

        assert raised.value.code == "DOCUMENT_HASH_MISMATCH"
        # Retried: the bytes may have been damaged on the way from the store.
        assert raised.value.retryable is True
        assert "document 'd-1'" in raised.value.message

    def test_without_a_stated_hash_nothing_is_checked(self) -> None:
        reader = hashing(None)

        assert read_mixed(reader) == DATA
        reader.verify()
