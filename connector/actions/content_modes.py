"""Downloaded bytes as the job asked for them: TEXT, JSON, or typed by content type (AUTO)."""

from __future__ import annotations

import codecs
import json
from typing import Any

from connector.actions.camunda import DownloadFormat
from connector.error_codes import CONTENT_NOT_TEXT, INVALID_JSON, UNSUPPORTED_CHARSET
from connector.s3.content import decode_content

__all__ = ["typed_content"]


def _as_text(body: bytes, encoding: str | None, where: str) -> str:
    charset = encoding or "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        raise UNSUPPORTED_CHARSET.error(
            f"Invalid input:\n- documentReturnFormat.encoding: unknown charset {charset[:60]!r}"
        ) from None
    try:
        return body.decode(charset)
    except UnicodeDecodeError as exc:
        raise CONTENT_NOT_TEXT.error(
            f"The object {where} is not valid {charset} text (byte {exc.start}); choose another encoding "
            "or download it as a document"
        ) from None


def typed_content(
    body: bytes, content_type: str | None, fmt: DownloadFormat, bucket: str, key: str
) -> tuple[Any, str | None]:
    """Return ``(content, content type)`` for ``element.content``.

    Raises:
        InputError: unknown charset in ``documentReturnFormat.encoding`` or in the object's
            content type.
        ConnectorError: ``CONTENT_NOT_TEXT`` (TEXT, undecodable) or ``INVALID_JSON`` (JSON,
            unparsable; retryable, as in Camunda, since the object may be rewritten).
    """
    where = f"'{key}' in bucket '{bucket}'"
    if fmt.mode == "TEXT":
        return _as_text(body, fmt.encoding, where), content_type
    if fmt.mode == "JSON":
        try:
            return json.loads(body.decode("utf-8-sig")), content_type
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise INVALID_JSON.error(
                f"JSON response format selected but the object {where} is not valid JSON: {exc}"
            ) from None
    decoded = decode_content(body, content_type)
    return decoded.value, decoded.content_type
