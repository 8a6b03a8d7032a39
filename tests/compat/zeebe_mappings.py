"""What Zeebe makes of a service task's mappings: job variables and headers.

Input mappings are evaluated in order. A source that starts with ``=`` is FEEL over the
process variables and the mappings already made; any other source is a string literal.
A dotted target builds or extends a nested context in the task's local scope, and a later
mapping sees an earlier one only by its full path (``action.bucket``), which is exactly why
Camunda's v3-v6 composer, reading bare helper names, yields null.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from connector.feel import FeelEngine

ROOT = Path(__file__).resolve().parents[2]
ZEEBE = "{http://camunda.org/schema/zeebe/1.0}"
_FEEL = FeelEngine()


@dataclass(frozen=True)
class ServiceTask:
    task_type: str
    retries: int
    inputs: list[tuple[str, str]]  # (source, target) in document order
    headers: dict[str, str] = field(default_factory=dict)


def apply_official_template(version: int, values: Mapping[str, Any]) -> ServiceTask:
    """Camunda's official AWS S3 template ``version`` applied by element-templates-cli."""
    import json

    completed = subprocess.run(
        ["node", str(ROOT / "tests" / "compat" / "apply_template.mjs")],
        input=json.dumps({"version": version, "values": dict(values)}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return parse_service_task(completed.stdout)


def parse_service_task(xml: str, element_id: str = "Task_1") -> ServiceTask:
    root = ET.fromstring(xml)
    task = next(e for e in root.iter() if e.get("id") == element_id)
    definition = task.find(f".//{ZEEBE}taskDefinition")
    assert definition is not None, "the template wrote no zeebe:taskDefinition"
    inputs = [(e.get("source", ""), e.get("target", "")) for e in task.iter(f"{ZEEBE}input")]
    headers = {e.get("key", ""): e.get("value", "") for e in task.iter(f"{ZEEBE}header")}
    return ServiceTask(definition.get("type", ""), int(definition.get("retries", "3")), inputs, headers)


def _assign(scope: dict[str, Any], target: str, value: Any) -> None:
    head, *rest = target.split(".")
    if not rest:
        scope[head] = value
        return
    nested = scope.get(head)
    nested = dict(nested) if isinstance(nested, dict) else {}
    _assign(nested, ".".join(rest), value)
    scope[head] = nested


def evaluate_inputs(task: ServiceTask, process_variables: Mapping[str, Any]) -> dict[str, Any]:
    """The task's local variables after its input mappings, as Zeebe computes them."""
    local: dict[str, Any] = {}
    for source, target in task.inputs:
        value = _FEEL.evaluate(source[1:], {**process_variables, **local}) if source.startswith("=") else source
        _assign(local, target, value)
    return local


def job_variables(task: ServiceTask, process_variables: Mapping[str, Any]) -> dict[str, Any]:
    """What a job worker can fetch: local variables shadow the process's."""
    return {**process_variables, **evaluate_inputs(task, process_variables)}
