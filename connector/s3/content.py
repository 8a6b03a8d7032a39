"""Typing of object bytes: text, JSON or base64 on download; a content type on upload.

Camunda's connector compares the content type as an exact, case-sensitive string, so
``text/plain; charset=utf-8`` comes back as base64 and a missing type crashes. Here the media
type and charset are parsed like a MIME header, and an untyped object is sniffed with
libmagic before the same rules apply.
"""

from __future__ import annotations

import base64
import codecs
import json
import mimetypes
import re
import threading
from dataclasses import dataclass
from email.message import Message
from typing import Any, Literal

import magic

from connector.error_codes import UNSUPPORTED_CHARSET

__all__ = ["DecodedContent", "decode_content", "guess_content_type", "sniff_media_type"]

# libmagic needs only the first bytes; more just costs time.
_SNIFF_BYTES = 2048
_OCTET_STREAM = "application/octet-stream"
_UNTYPED = frozenset({_OCTET_STREAM, "binary/octet-stream"})
_JSON_TYPES = frozenset({"application/json", "application/x-json", "text/json", "text/x-json"})
_TEXT_TYPES = frozenset(
    {
        "application/xml",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "application/x-yaml",
        "application/yaml",
        "application/x-ndjson",
        "application/sql",
        "application/toml",
        "application/x-sh",
    }
)
# mimetypes reports compression separately ("a.tar.gz" -> x-tar + gzip); the stored object
# is the compressed file, so its type is the compressor's.
_ENCODING_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "compress": "application/x-compress",
    "br": "application/x-brotli",
}

ContentKind = Literal["text", "json", "base64"]


@dataclass(frozen=True)
class DecodedContent:
    """Object bytes as a process variable value.

    Attributes:
        kind: ``"text"`` (a str), ``"json"`` (parsed JSON) or ``"base64"`` (an ASCII str).
        value: the value to put into ``element.content``.
        content_type: the type that decided: the declared one, or the sniffed media type when
            none (or only ``application/octet-stream``) was declared.
    """

    kind: ContentKind
    value: Any
    content_type: str


def decode_content(body: bytes, content_type: str | None) -> DecodedContent:
    """Turn object bytes into text, parsed JSON or base64 according to their content type.

    Text types are decoded with the declared charset (default UTF-8); JSON types are parsed,
    falling back to text when the JSON is invalid; bytes that the charset cannot decode, and
    all other types, become base64.

    Args:
        body: the object's bytes.
        content_type: the ``Content-Type`` S3 returned, parameters and case as stored.

    Returns:
        The typed content.

    Raises:
        InputError: ``UNSUPPORTED_CHARSET`` when a text or JSON type names a charset Python
            does not know.
    """
    media_type, charset = _parse_content_type(content_type)
    if media_type is None or media_type in _UNTYPED:
        media_type = sniff_media_type(body)
        effective = media_type
    else:
        effective = (content_type or "").strip()
    is_json = media_type in _JSON_TYPES or media_type.endswith("+json")
    if not is_json and not _is_text(media_type):
        return DecodedContent("base64", _base64(body), effective)
    text = _decode(body, charset)
    if text is None:
        return DecodedContent("base64", _base64(body), effective)
    if is_json:
        parsed = _parse_json(text)
        if parsed is not _INVALID:
            return DecodedContent("json", parsed, effective)
    return DecodedContent("text", text, effective)


def _parse_content_type(content_type: str | None) -> tuple[str | None, str | None]:
    """``(media type lowercased, charset lowercased)``; media type None when absent/malformed."""
    if not content_type or not content_type.strip():
        return None, None
    header = Message()
    header["Content-Type"] = content_type
    # get_content_type() silently answers text/plain for a malformed value; check first.
    raw_type = content_type.split(";", 1)[0].strip()
    if raw_type.count("/") != 1:
        return None, header.get_content_charset()
    return header.get_content_type(), header.get_content_charset()


def _is_text(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type in _TEXT_TYPES or media_type.endswith("+xml")


def _decode(body: bytes, charset: str | None) -> str | None:
    """Decode with ``charset`` (default UTF-8); None when the bytes do not fit the charset."""
    name = charset or "utf-8"
    try:
        codec = codecs.lookup(name)
        # Non-text codecs (base64, zlib, rot13) are known to codecs but are no charsets.
        if not getattr(codec, "_is_text_encoding", True):
            raise LookupError(name)
    except LookupError:
        raise UNSUPPORTED_CHARSET.error(
            f"Unsupported charset '{name}' in the object's content type", variables={"charset": name}
        ) from None
    # utf-8-sig also accepts a byte order mark, which json.loads would otherwise reject.
    codec_name = "utf-8-sig" if codec.name == "utf-8" else codec.name
    try:
        return body.decode(codec_name)
    except UnicodeDecodeError:
        return None


class _Invalid:
    """Marker for "not JSON" (``None`` is valid JSON)."""


_INVALID = _Invalid()


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON and cannot travel as Zeebe variables.
    raise ValueError(name)


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return _INVALID


def _base64(body: bytes) -> str:
    return base64.b64encode(body).decode("ascii")


def sniff_media_type(head: bytes) -> str:
    """The media type libmagic sees in the first bytes, or ``application/octet-stream``.

    UTF-8 text is ``text/plain``, ``text/csv`` or ``application/json`` unless it opens with
    markup (``<``) or a ``%`` header: libmagic's database guesses a programming language for
    most plain text (``text/x-c`` for prose with braces, ``text/html`` for truncated JSON), and
    those guesses cost a millisecond per call, the largest share of a small job's CPU. Markup,
    ``%`` headers and everything that is not UTF-8 text go through the whole database, so HTML,
    XML, SVG, PostScript, PDFs, images and archives keep their types.

    Args:
        head: the first bytes of the content (only 2048 are looked at).

    Returns:
        A lowercase media type such as ``application/json`` or ``text/plain``.
    """
    head = head[:_SNIFF_BYTES]
    try:
        sniffed = _magic(_BUILT_IN_TESTS).from_buffer(head)
        if sniffed not in _SETTLED_BY_BUILT_IN_TESTS and not (sniffed == "text/plain" and _is_plain_text(head)):
            sniffed = _magic(_WHOLE_DATABASE).from_buffer(head)
    except magic.MagicException:
        return _OCTET_STREAM
    sniffed = str(sniffed or "")
    return sniffed.lower() if sniffed.count("/") == 1 else _OCTET_STREAM


# libmagic's built-in tests (encodings, JSON, CSV, tar, ELF, ...) without its soft-magic
# database: microseconds instead of a millisecond for text. JSON and CSV are answered by the
# built-in tests in a whole-database run too, before the database is consulted.
_BUILT_IN_TESTS = magic.MAGIC_MIME_TYPE | magic.MAGIC_NO_CHECK_SOFT
_WHOLE_DATABASE = magic.MAGIC_MIME_TYPE
_SETTLED_BY_BUILT_IN_TESTS = frozenset({"text/csv", "application/json"})
# Markup (HTML, XML, SVG) and PDF or PostScript headers can be ASCII from the first byte on.
_SIGNATURE_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*[<%]")
_handles: dict[int, magic.Magic] = {}
_handles_lock = threading.Lock()


def _is_plain_text(head: bytes) -> bool:
    """UTF-8 text (a character cut at the end allowed) that does not open with a signature.

    Binary formats that libmagic's encoding test takes for ISO-8859 text, such as a PDF whose
    second line is the customary comment of high bytes, are not UTF-8.
    """
    if _SIGNATURE_START.match(head):
        return False
    try:
        _UTF8_DECODER().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


_UTF8_DECODER = codecs.getincrementaldecoder("utf-8")


def _magic(flags: int) -> magic.Magic:
    """One libmagic handle per flag set, shared by all threads (each handle has its own lock)."""
    handle = _handles.get(flags)
    if handle is None:
        with _handles_lock:
            handle = _handles.get(flags)
            if handle is None:
                handle = magic.Magic(mime=True)
                magic.magic_setflags(handle.cookie, flags)
                _handles[flags] = handle
    return handle


def guess_content_type(name: str | None, head: bytes) -> str:
    """The content type to store on upload when the caller gave none.

    The bytes are asked first (a ``.txt`` that is really a PDF is a PDF); the name decides
    when libmagic only knows a generic answer, since it cannot tell CSV from plain text or a
    ``.docx`` from any ZIP, and it mislabels many text formats (``text/x-c``, ...).

    Args:
        name: the file name, or None.
        head: the first bytes of the content, for libmagic.

    Returns:
        A media type; ``application/octet-stream`` when nothing is recognised.
    """
    sniffed = sniff_media_type(head)
    if sniffed in ("application/x-empty", "inode/x-empty"):
        sniffed = _OCTET_STREAM
    from_name = _type_from_name(name)
    if from_name is not None and (sniffed.startswith("text/") or sniffed in _GENERIC_SNIFFS):
        return from_name
    return sniffed


# What libmagic answers when it recognises a container or nothing specific.
_GENERIC_SNIFFS = frozenset({_OCTET_STREAM, "application/zip", "application/x-zip-compressed"})


def _type_from_name(name: str | None) -> str | None:
    if not name:
        return None
    guessed, encoding = mimetypes.guess_type(name, strict=False)
    if encoding is not None:
        return _ENCODING_TYPES.get(encoding, _OCTET_STREAM)
    return guessed
