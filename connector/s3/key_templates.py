"""Object keys built from templates: ``archive/{date}/{process_instance_key}-{file_name}``.

A template is parsed once (``parse_key_template``: unknown placeholders and unbalanced braces
are found before any request) and expanded once per job (``expand_key_template``), from one
``KeyContext`` whose time was read once, so every placeholder of a key sees the same instant
(a key must not change between two reads of the clock, as n8n #8979 shows). ``{{`` and ``}}``
are literal braces. The expanded key is checked as any key is (at most 1024 UTF-8 bytes).

Formats: numbers are zero-padded (``{month}`` 01-12); ``{date_time}`` is file-name safe
(``2026-12-01T20-15-00``); ``{iso_date_time}`` is ISO-8601 with its offset (``…Z`` in UTC);
``{timestamp}`` is epoch milliseconds; ``{extension}`` has no dot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from connector.s3.validation import key_problem

__all__ = [
    "PLACEHOLDERS",
    "KeyContext",
    "KeyTemplate",
    "KeyTemplateError",
    "expand_key_template",
    "parse_key_template",
    "time_zone",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_JOB_PLACEHOLDERS = ("process_instance_key", "bpmn_process_id", "element_id", "job_key")
_FILE_PLACEHOLDERS = ("file_name", "file_stem", "extension")


class KeyTemplateError(ValueError):
    """A template that cannot be parsed, or expanded into a valid key; the message says why."""


@dataclass(frozen=True, kw_only=True)
class KeyContext:
    """What placeholders expand to for one job.

    Attributes:
        now: the job's instant, already in the template's time zone (aware).
        uuid: one random UUID for the job (every ``{uuid}`` of the key gets the same).
        file_name: the document's file name (for a copy, the source key's last segment).
        job_key, process_instance_key, bpmn_process_id, element_id: the job's context;
            0 or "" where it is unknown (e.g. ``s3-connector invoke``).
    """

    now: datetime
    uuid: str
    file_name: str | None = None
    job_key: int = 0
    process_instance_key: int = 0
    bpmn_process_id: str = ""
    element_id: str = ""


def _iso(now: datetime) -> str:
    return now.isoformat(timespec="seconds").replace("+00:00", "Z")


def _stem_and_extension(context: KeyContext) -> tuple[str, str]:
    path = PurePosixPath(context.file_name or "")
    return path.stem if path.suffix else path.name, path.suffix.removeprefix(".")


_VALUES: dict[str, Callable[[KeyContext], object]] = {
    "date": lambda c: c.now.strftime("%Y-%m-%d"),
    "time": lambda c: c.now.strftime("%H-%M-%S"),
    "date_time": lambda c: c.now.strftime("%Y-%m-%dT%H-%M-%S"),
    "iso_date_time": lambda c: _iso(c.now),
    "timestamp": lambda c: (c.now - _EPOCH) // timedelta(milliseconds=1),
    "year": lambda c: c.now.strftime("%Y"),
    "month": lambda c: c.now.strftime("%m"),
    "day": lambda c: c.now.strftime("%d"),
    "hour": lambda c: c.now.strftime("%H"),
    "minute": lambda c: c.now.strftime("%M"),
    "second": lambda c: c.now.strftime("%S"),
    "uuid": lambda c: c.uuid,
    "file_name": lambda c: c.file_name,
    "file_stem": lambda c: _stem_and_extension(c)[0],
    "extension": lambda c: _stem_and_extension(c)[1],
    "process_instance_key": lambda c: c.process_instance_key,
    "bpmn_process_id": lambda c: c.bpmn_process_id,
    "element_id": lambda c: c.element_id,
    "job_key": lambda c: c.job_key,
}
PLACEHOLDERS: tuple[str, ...] = tuple(_VALUES)
_ALLOWED = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS) + "; {{ and }} for literal braces"
# A token: an escaped brace, a placeholder, a lone brace, or a run of plain text.
_TOKENS = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]|[^{}]+")


@dataclass(frozen=True)
class KeyTemplate:
    """A parsed template: literal text and placeholder names, in order."""

    text: str
    parts: tuple[tuple[bool, str], ...]  # (is a placeholder, literal text or placeholder name)

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(value for is_placeholder, value in self.parts if is_placeholder)


def parse_key_template(text: str) -> KeyTemplate:
    """Parse a template, checking every placeholder and brace.

    Raises:
        KeyTemplateError: an unknown placeholder, an unbalanced brace, or no text at all; the
            message lists the allowed placeholders.
    """
    if not text:
        raise KeyTemplateError("must not be empty")
    parts: list[tuple[bool, str]] = []
    for match in _TOKENS.finditer(text):
        token, name = match.group(0), match.group(1)
        if token in ("{{", "}}"):
            parts.append((False, token[0]))
        elif name is not None:
            if name not in _VALUES:
                raise KeyTemplateError(f"unknown placeholder {{{name[:60]}}}; allowed: {_ALLOWED}")
            parts.append((True, name))
        elif token in ("{", "}"):
            raise KeyTemplateError(f"unbalanced '{token}' at position {match.start()}; allowed: {_ALLOWED}")
        else:
            parts.append((False, token))
    return KeyTemplate(text, tuple(parts))


def _value(name: str, context: KeyContext) -> str:
    value = _VALUES[name](context)
    if name in _FILE_PLACEHOLDERS and not context.file_name:
        raise KeyTemplateError(f"{{{name}}} needs a file name, and there is none here")
    if name in _JOB_PLACEHOLDERS and value in (0, ""):
        raise KeyTemplateError(f"{{{name}}} is not known for this job")
    return str(value)


def expand_key_template(template: KeyTemplate, context: KeyContext) -> str:
    """The key a template gives for one job's context.

    Raises:
        KeyTemplateError: a file placeholder without a file name, a job placeholder the job
            does not know, or an expanded key S3 would refuse (empty, over 1024 bytes, NUL).
    """
    key = "".join(_value(value, context) if is_placeholder else value for is_placeholder, value in template.parts)
    problem = key_problem(key)
    if problem:
        raise KeyTemplateError(f"expands to a key S3 refuses: {problem}")
    return key


def time_zone(name: str | None) -> tzinfo:
    """The IANA zone ``name`` (UTC for None).

    Raises:
        KeyTemplateError: a name the zone database does not know.
    """
    if name is None or name == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise KeyTemplateError(
            f"unknown time zone {name[:60]!r}; use an IANA name such as 'Europe/Berlin' or 'UTC'"
        ) from None
