"""``{{secrets.NAME}}`` substitution, with Camunda's semantics, and the providers of secret values.

Camunda replaces placeholders in the raw JSON text of all job variables before binding,
inserting each value JSON-escaped, so a placeholder works inside a longer string and inside
FEEL-built values. We do the same, on the text exactly as the gateway sent it. Values come
from environment variables carrying a prefix (``SECRET_`` by default, as in Camunda 8.9+),
so that a process model can read only what the operator exported for it, or from files in a
mounted secrets directory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from connector.error_codes import SECRET_NOT_FOUND

__all__ = [
    "ChainedSecrets",
    "DirectorySecrets",
    "EnvironmentSecrets",
    "SecretProvider",
    "substitute_secrets",
]

# Camunda's name rule, bounded: a name cannot contain braces or spaces, so a text full of
# unclosed placeholders is scanned in linear time (an unbounded lazy name was quadratic).
_PLACEHOLDER = re.compile(r"\{\{\s*secrets\.(?P<name>[A-Za-z0-9][A-Za-z0-9_./-]{0,255})\s*\}\}")
# Directory lookups must stay inside the directory: no separators, no dot-only names.
_SAFE_FILE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


class SecretProvider(Protocol):
    """Where secret values come from."""

    def get(self, name: str) -> str | None:
        """Return the secret's value, or None when this provider does not have it."""


@dataclass(frozen=True)
class EnvironmentSecrets:
    """Secrets from an environment mapping, looked up as ``<prefix><NAME>``."""

    environ: Mapping[str, str]
    prefix: str = "SECRET_"

    def get(self, name: str) -> str | None:
        return self.environ.get(f"{self.prefix}{name}")


@dataclass(frozen=True)
class DirectorySecrets:
    """Secrets as files in a mounted directory (Kubernetes secret volume): file name = NAME."""

    directory: Path

    def get(self, name: str) -> str | None:
        if not _SAFE_FILE_NAME.match(name) or set(name) == {"."}:
            return None
        path = self.directory / name
        try:
            # A trailing newline is an artefact of `echo > file`, never part of a credential.
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None


@dataclass(frozen=True)
class ChainedSecrets:
    """Providers tried in order; the first value found wins."""

    providers: tuple[SecretProvider, ...]

    def get(self, name: str) -> str | None:
        for provider in self.providers:
            value = provider.get(name)
            if value is not None:
                return value
        return None


def substitute_secrets(text: str, provider: SecretProvider) -> tuple[str, frozenset[str]]:
    """Replace every ``{{secrets.NAME}}`` in a JSON document's text (keys and values, at any depth).

    Each value is inserted JSON-escaped, so a secret can never change the document's structure.

    Returns:
        The new text (the input is never mutated) and the set of secret values used, for redaction.

    Raises:
        InputError: ``SECRET_NOT_FOUND`` when a referenced secret has no value.
    """
    if "secrets." not in text:
        return text, frozenset()
    used: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        value = provider.get(name)
        if value is None:
            raise SECRET_NOT_FOUND.error(f"Secret with name '{name}' is not available")
        used.add(value)
        return json.dumps(value, ensure_ascii=False)[1:-1]

    return _PLACEHOLDER.sub(replace, text), frozenset(used)
