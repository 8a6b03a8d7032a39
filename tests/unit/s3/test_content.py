"""Downloaded bytes come back as text, JSON or base64, honouring parameters and case."""

from __future__ import annotations

import base64
import io
import json
import struct
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from connector.errors import InputError
from connector.s3 import decode_content, guess_content_type, sniff_media_type

PNG = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)


class TestText:
    def test_declared_latin1_is_decoded_with_it(self) -> None:
        decoded = decode_content("Grüße".encode("latin-1"), "text/plain; charset=ISO-8859-1")

        assert (decoded.kind, decoded.value) == ("text", "Grüße")
        assert decoded.content_type == "text/plain; charset=ISO-8859-1"

    @pytest.mark.parametrize(
        "content_type", ["Text/Plain; Charset=UTF-8", 'text/plain; charset="utf-8"', "TEXT/PLAIN", "text/plain"]
    )
    def test_case_quotes_and_missing_charset_mean_utf8_text(self, content_type: str) -> None:
        decoded = decode_content("naïve ✓".encode(), content_type)

        assert (decoded.kind, decoded.value) == ("text", "naïve ✓")

    @pytest.mark.parametrize(
        "content_type",
        [
            "text/csv",
            "text/html; charset=utf-8",
            "application/xml",
            "image/svg+xml",
            "application/atom+xml",
            "application/javascript",
            "application/x-yaml",
            "application/yaml",
        ],
    )
    def test_textual_types_are_text(self, content_type: str) -> None:
        assert decode_content(b"a: 1\n", content_type).kind == "text"

    def test_bytes_not_valid_in_the_charset_become_base64(self) -> None:
        body = b"caf\xe9"  # latin-1, not UTF-8

        decoded = decode_content(body, "text/plain; charset=utf-8")

        assert decoded.kind == "base64"
        assert base64.b64decode(decoded.value) == body

    def test_empty_text_is_empty_text(self) -> None:
        assert decode_content(b"", "text/plain").value == ""


class TestJson:
    @pytest.mark.parametrize(
        "content_type",
        ["application/json", "Application/JSON; charset=UTF-8", "application/vnd.x+json", "application/geo+json"],
    )
    def test_json_types_are_parsed(self, content_type: str) -> None:
        decoded = decode_content(b'{"a": [1, 2.5, "\xc3\xbc"], "b": null}', content_type)

        assert decoded.kind == "json"
        assert decoded.value == {"a": [1, 2.5, "ü"], "b": None}

    def test_json_in_a_declared_utf16_charset(self) -> None:
        body = json.dumps({"k": "väl"}).encode("utf-16")

        decoded = decode_content(body, "application/json; charset=utf-16")

        assert (decoded.kind, decoded.value) == ("json", {"k": "väl"})

    def test_a_utf8_byte_order_mark_is_accepted(self) -> None:
        assert decode_content(b'\xef\xbb\xbf{"a": 1}', "application/json").value == {"a": 1}

    def test_json_null_is_json_not_missing(self) -> None:
        decoded = decode_content(b"null", "application/json")

        assert (decoded.kind, decoded.value) == ("json", None)

    @pytest.mark.parametrize("body", [b"{not json", b'{"a": NaN}', b"[Infinity]", b""])
    def test_invalid_json_falls_back_to_text(self, body: bytes) -> None:
        decoded = decode_content(body, "application/json")

        assert (decoded.kind, decoded.value) == ("text", body.decode())

    def test_undecodable_invalid_json_falls_back_to_base64(self) -> None:
        body = b"\xff\xfe{\x00bad"

        decoded = decode_content(body, "application/json")

        assert decoded.kind == "base64"
        assert base64.b64decode(decoded.value) == body


class TestBinary:
    @pytest.mark.parametrize("content_type", ["image/png", "application/pdf", "application/zip", "video/mp4"])
    def test_other_types_are_base64(self, content_type: str) -> None:
        decoded = decode_content(PNG, content_type)

        assert decoded.kind == "base64"
        assert decoded.value == base64.b64encode(PNG).decode("ascii")
        assert decoded.content_type == content_type

    def test_charset_on_a_binary_type_is_ignored(self) -> None:
        assert decode_content(PNG, "image/png; charset=no-such-charset").kind == "base64"


class TestSniffingUntypedObjects:
    @pytest.mark.parametrize("content_type", [None, "", "application/octet-stream", "binary/octet-stream"])
    def test_json_without_a_useful_type_is_sniffed_as_json(self, content_type: str | None) -> None:
        decoded = decode_content(b'{"order": 42, "items": ["a", "b"]}', content_type)

        assert decoded.kind == "json"
        assert decoded.value == {"order": 42, "items": ["a", "b"]}
        assert decoded.content_type == "application/json"

    def test_text_without_a_type_is_sniffed_as_text(self) -> None:
        decoded = decode_content(b"hello world\nsecond line\n", None)

        assert (decoded.kind, decoded.value, decoded.content_type) == (
            "text",
            "hello world\nsecond line\n",
            "text/plain",
        )

    def test_binary_without_a_type_is_base64(self) -> None:
        decoded = decode_content(PNG, None)

        assert decoded.kind == "base64"
        assert decoded.content_type == "image/png"

    def test_a_malformed_content_type_is_sniffed(self) -> None:
        assert decode_content(b'{"a": 1}', "garbage").value == {"a": 1}


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


class TestSniffedTypes:
    """Text is plain unless it opens with markup; everything else meets libmagic's database."""

    @pytest.mark.parametrize(
        "head",
        [
            b"#include <stdio.h>\nint main(void) { return 0; }\n",
            b"import os\n\ndef main():\n    return os.getcwd()\n",
            b'{"truncated": "json with <p>html</p> in a string", "more":',
        ],
    )
    def test_text_is_plain_whatever_language_it_resembles(self, head: bytes) -> None:
        # libmagic's database calls these text/x-c, text/x-script.python and text/html.
        assert sniff_media_type(head) == "text/plain"

    @pytest.mark.parametrize(
        ("head", "expected"),
        [
            (b"<!DOCTYPE html><html><head><title>t</title></head><body>hi</body></html>", "text/html"),
            (b"\xef\xbb\xbf\n  <!DOCTYPE html><html><body>hi</body></html>", "text/html"),
            (b'<?xml version="1.0"?><order id="1"/>', "text/xml"),
            (b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>', "image/svg+xml"),
        ],
    )
    def test_markup_keeps_its_type(self, head: bytes, expected: str) -> None:
        assert sniff_media_type(head) == expected

    @pytest.mark.parametrize(
        ("head", "expected"),
        [
            (PNG, "image/png"),
            # The customary second line of high bytes reads as ISO-8859 text to libmagic.
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
            (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "application/pdf"),
            (b"%!PS-Adobe-3.0\n%%Title: t\n", "application/postscript"),
            (_zip_bytes(), "application/zip"),
        ],
    )
    def test_binary_and_signed_formats_meet_the_whole_database(self, head: bytes, expected: str) -> None:
        assert sniff_media_type(head) == expected

    def test_csv_and_json_are_told_apart_from_plain_text(self) -> None:
        assert (sniff_media_type(b"a,b\n1,2\n3,4\n"), sniff_media_type(b'[{"a": 1}]')) == (
            "text/csv",
            "application/json",
        )

    def test_only_the_first_2048_bytes_count(self) -> None:
        assert sniff_media_type(b"x" * 2048 + PNG) == "text/plain"

    def test_threads_share_the_handles_safely(self) -> None:
        heads = [PNG, b"plain words\n", b"<html><body>x</body></html>", b'{"a": 1}'] * 50
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(sniff_media_type, heads))

        assert answers == [sniff_media_type(head) for head in heads]
        assert set(answers) == {"image/png", "text/plain", "text/html", "application/json"}


class TestCharsetErrors:
    @pytest.mark.parametrize("charset", ["no-such-charset", "base64"])
    def test_unknown_charset_is_an_input_error_naming_it(self, charset: str) -> None:
        with pytest.raises(InputError) as raised:
            decode_content(b"abc", f"text/plain; charset={charset}")

        assert raised.value.code == "UNSUPPORTED_CHARSET"
        assert raised.value.retryable is False
        assert charset in raised.value.message


class TestGuessContentType:
    def test_bytes_win_over_a_misleading_name(self) -> None:
        assert guess_content_type("report.txt", PNG) == "image/png"

    @pytest.mark.parametrize(
        ("name", "head", "expected"),
        [
            ("table.csv", b"a,b\n1,2\n", "text/csv"),
            ("notes.md", b"# Title\n\ntext\n", "text/markdown"),
            ("dir/with space/notes.txt", b"hello\n", "text/plain"),
            ("data.JSON", b"not json at all\n", "application/json"),
            ("backup.tar.gz", b"\x00\x01\x02\x03\xff\xfe", "application/gzip"),
            (
                "letter.docx",
                b"PK\x03\x04" + b"\x00" * 26,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        ],
    )
    def test_name_refines_generic_sniffs(self, name: str, head: bytes, expected: str) -> None:
        assert guess_content_type(name, head) == expected

    @pytest.mark.parametrize(("name", "expected_head"), [(None, PNG), ("no-extension", PNG), ("x.unknownext", PNG)])
    def test_content_is_sniffed_when_the_name_does_not_tell(self, name: str | None, expected_head: bytes) -> None:
        assert guess_content_type(name, expected_head) == "image/png"

    def test_sniffed_json(self) -> None:
        assert guess_content_type("payload", b'[{"a": 1}]') == "application/json"

    @pytest.mark.parametrize("name", [None, "", "no-extension"])
    def test_nothing_recognisable_is_octet_stream(self, name: str | None) -> None:
        assert guess_content_type(name, b"") == "application/octet-stream"
