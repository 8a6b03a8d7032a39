"""All functions an expression can call: FEEL's built-ins and the connector runtime's functions.

Importing this module registers them in :data:`connector.feel.registry.BUILTINS`.
"""

from __future__ import annotations

from connector.feel import (
    builtins_context,
    builtins_conversion,
    builtins_list,
    builtins_numeric,
    builtins_range,
    builtins_string,
    builtins_temporal,
    functions_connector,
)
from connector.feel.registry import BUILTINS, UNSUPPORTED

__all__ = [
    "BUILTINS",
    "UNSUPPORTED",
    "builtins_context",
    "builtins_conversion",
    "builtins_list",
    "builtins_numeric",
    "builtins_range",
    "builtins_string",
    "builtins_temporal",
    "functions_connector",
]
