"""Our element templates (element-templates/*.json) and the example processes (examples/*.bpmn).

- Camunda's own tooling accepts them: the template validator (tests/templates/validate.mjs) and
  bpmnlint with bpmnlint-plugin-camunda-compat (.bpmnlintrc).
- The templates and our input models agree both ways: every input a template writes is read by
  the task type it serves, and every model field can be set from the templates.
- The hidden ``action.document`` composers read their helpers by full path, so Zeebe's input
  mappings produce the document (Camunda's templates v3-v6 do not).
- What a modeller enters (applied with element-templates-cli, which evaluates the templates'
  conditions as Camunda Modeler does), mapped as Zeebe maps input mappings, binds to the models.
- The examples' jobs, mapped the same way, run through the worker's pipeline against moto and a
  fake of Camunda's document store.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import typing
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from pydantic import BaseModel, TypeAdapter

from connector.actions.binding import ACTION_TAGS, bind
from connector.actions.connection import Authentication, Configuration
from connector.actions.inputs import (
    CamundaJob,
    DeleteAction,
    DocumentReturnFormat,
    DownloadAction,
    UploadAction,
)
from connector.actions.inputs.addressed import (
    OwnDeleteAction,
    OwnDeleteJob,
    OwnDownloadAction,
    OwnDownloadJob,
    OwnUploadAction,
    OwnUploadJob,
)
from connector.actions.inputs.copying import CopyAction, CopyJob
from connector.actions.inputs.inspecting import HeadAction, HeadJob, PresignAction, PresignJob
from connector.actions.inputs.listing import ListAction, ListJob
from connector.actions.registry import build_task_specs
from connector.app import invoke_job
from connector.documents.references import OneDocument
from connector.feel import FeelEngine
from connector.settings import WorkerSettings
from testkit.documents_api import DocumentsApi

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "element-templates"
EXAMPLES = ROOT / "examples"
TOOLS = ROOT / "tools" / "node_modules"
ZEEBE = "{http://camunda.org/schema/zeebe/1.0}"
FEEL = FeelEngine()

UPLOAD, DOWNLOAD, DELETE, COMPATIBLE = (
    "s3-connector-upload.json",
    "s3-connector-download.json",
    "s3-connector-delete.json",
    "s3-connector-camunda-compatible.json",
)
LIST, COPY, PRESIGN, HEAD = (
    "s3-connector-list.json",
    "s3-connector-copy.json",
    "s3-connector-presign.json",
    "s3-connector-head.json",
)
# Per template, the model each of its actions binds: ours take more than Camunda's type does.
MODELS_OF: dict[str, dict[str, type[BaseModel]]] = {
    UPLOAD: {"uploadObject": OwnUploadAction},
    DOWNLOAD: {"downloadObject": OwnDownloadAction},
    DELETE: {"deleteObject": OwnDeleteAction},
    LIST: {"listObjects": ListAction},
    COPY: {"copyObject": CopyAction},
    PRESIGN: {"presignObject": PresignAction},
    HEAD: {"headObject": HeadAction},
    COMPATIBLE: {"uploadObject": UploadAction, "downloadObject": DownloadAction, "deleteObject": DeleteAction},
}
ACTIONS_OF = {file: sorted(models) for file, models in MODELS_OF.items()}
JOB_MODELS: dict[str, Any] = {
    UPLOAD: OwnUploadJob,
    DOWNLOAD: OwnDownloadJob,
    DELETE: OwnDeleteJob,
    LIST: ListJob,
    COPY: CopyJob,
    PRESIGN: PresignJob,
    HEAD: HeadJob,
    COMPATIBLE: CamundaJob,
}
SHARED_MODELS: dict[str, type[BaseModel]] = {"authentication": Authentication, "configuration": Configuration}

# Inputs that only feed the hidden action.document composer; the models ignore them.
COMPOSER_HELPERS = {
    "documentReference",
    "inlineContent",
    "inlineFileName",
    "inlineContentType",
    "externalUrl",
    "externalFileName",
}
# Model fields the templates deliberately do not offer.
NOT_OFFERED = {
    # Camunda templates v1/v2 only; documentReturnFormat.choice, which our templates always
    # send, wins over it.
    ("downloadObject", "asFile"),
}
SECRET_FIELDS = {"accessKey", "secretKey", "sessionToken", "externalId"}
# bpmnlint-plugin-camunda-compat's rule for input targets.
VARIABLE_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*)*$")


def _node() -> str:
    node = shutil.which("node")
    if node is None or not (TOOLS / "bpmnlint").is_dir():
        pytest.fail("node and tools/node_modules are needed: run ./scripts/bootstrap.sh")
    return node


def _run(*args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=ROOT, capture_output=True, text=True, timeout=120, check=False, env=dict(env or os.environ)
    )


def _templates() -> dict[str, dict[str, Any]]:
    return {name: json.loads((TEMPLATES / name).read_text()) for name in ACTIONS_OF}


def _inputs(template: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [p for p in template["properties"] if p["binding"]["type"] == "zeebe:input"]


def _conditions(prop: Mapping[str, Any]) -> list[dict[str, Any]]:
    condition = prop.get("condition")
    return [] if condition is None else condition.get("allMatch", [condition])


def _actions_of(prop: Mapping[str, Any], file: str) -> list[str]:
    """The actions a property applies to, from its actionDiscriminator condition if any."""
    for condition in _conditions(prop):
        if condition["property"] == "actionDiscriminator":
            return [condition["equals"]] if "equals" in condition else list(condition["oneOf"])
    return list(ACTIONS_OF[file])


def _composers(template: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [p for p in _inputs(template) if p["binding"]["name"] == "action.document"]


def _nested_model(model: type[BaseModel], field: str) -> type[BaseModel] | None:
    """The model a field holds (``CopyAction.source``), or None for a plain field."""
    annotation = model.model_fields[field].annotation
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _literal_values(model: type[BaseModel], field: str) -> set[Any] | None:
    """The values a field's Literal type allows, or None if it is not a Literal."""

    def walk(annotation: Any) -> set[Any] | None:
        if typing.get_origin(annotation) is typing.Literal:
            return set(typing.get_args(annotation))
        for argument in typing.get_args(annotation):
            found = walk(argument)
            if found is not None:
                return found
        return None

    return walk(model.model_fields[field].annotation)


# --------------------------------------------------------------------------------------------
# Camunda's tooling


def test_camunda_validator_accepts_every_template() -> None:
    result = _run(_node(), "tests/templates/validate.mjs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert sorted(line.split(":")[0] for line in result.stdout.splitlines()) == sorted(
        f"element-templates/{name}" for name in ACTIONS_OF
    )


def test_examples_are_what_the_templates_produce() -> None:
    result = _run(_node(), "tests/templates/build-examples.mjs", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_bpmnlint_accepts_the_examples() -> None:
    _node()
    examples = sorted(str(path.relative_to(ROOT)) for path in EXAMPLES.glob("*.bpmn"))
    assert examples == [
        "examples/archive-folder.bpmn",
        "examples/download-as-document.bpmn",
        "examples/error-handling.bpmn",
        "examples/upload.bpmn",
    ]
    # bpmnlint resolves its plugins and the zeebe moddle from the working directory.
    env = {**os.environ, "NODE_PATH": str(TOOLS)}
    result = _run(str(TOOLS / ".bin" / "bpmnlint"), *examples, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------------------------
# Templates against the models


def test_every_input_is_read_by_the_task_type_it_serves() -> None:
    fetched = {spec.task_type: set(spec.fetch_variables) for spec in build_task_specs(WorkerSettings())}
    for file, template in _templates().items():
        task_type = next(p["value"] for p in template["properties"] if p["binding"].get("property") == "type")
        for prop in _inputs(template):
            name = prop["binding"]["name"]
            assert VARIABLE_NAME.match(name), f"{file}: {name} is not a valid Zeebe variable name"
            head, _, field = name.partition(".")
            assert head in fetched[task_type], f"{file}: {task_type} does not fetch {head} ({name})"
            if head == "action":
                for action in _actions_of(prop, file):
                    model = MODELS_OF[file][action]
                    top, _, sub = field.partition(".")
                    assert top in model.model_fields or field in COMPOSER_HELPERS, f"{file}: {name} for {action}"
                    if sub:
                        nested = _nested_model(model, top)
                        assert nested is not None and sub in nested.model_fields, f"{file}: {name}"
            elif head in SHARED_MODELS:
                assert field in SHARED_MODELS[head].model_fields, f"{file}: {name}"
            elif head == "documentReturnFormat":
                assert field in DocumentReturnFormat.model_fields, f"{file}: {name}"
            else:
                assert head in {"actionDiscriminator", "awsCredential"} and not field, f"{file}: {name}"


def test_every_model_field_can_be_set_from_the_templates() -> None:
    for file, template in _templates().items():
        offered: dict[str, set[str]] = {}
        for prop in _inputs(template):
            head, _, field = prop["binding"]["name"].partition(".")
            owners = _actions_of(prop, file) if head == "action" else [head]
            for owner in owners:
                offered.setdefault(owner, set()).add(field)
        wanted: dict[str, type[BaseModel]] = {**SHARED_MODELS}
        for action in ACTIONS_OF[file]:
            wanted[action] = MODELS_OF[file][action]
            if action == "downloadObject":
                wanted["documentReturnFormat"] = DocumentReturnFormat
        for owner, model in wanted.items():
            fields = set(model.model_fields)
            for name in list(fields):
                nested = _nested_model(model, name)
                if nested is not None:
                    fields = (fields - {name}) | {f"{name}.{sub}" for sub in nested.model_fields}
            missing = fields - offered.get(owner, set()) - {f for a, f in NOT_OFFERED if a == owner}
            assert not missing, f"{file} offers no input for {owner}: {sorted(missing)}"
        assert "awsCredential" in offered, file
        assert ("actionDiscriminator" in offered) == (file == COMPATIBLE), file


def test_credentials_are_marked_secret() -> None:
    for file, template in _templates().items():
        credentials = [p for p in _inputs(template) if p["binding"]["name"].startswith("authentication.")]
        for prop in credentials:
            field = prop["binding"]["name"].split(".", 1)[1]
            assert prop.get("secret", False) == (field in SECRET_FIELDS), f"{file}: {prop['id']}"
        assert {p["binding"]["name"].split(".", 1)[1] for p in credentials if p.get("secret")} == SECRET_FIELDS


def test_dropdowns_offer_only_values_the_models_accept() -> None:
    models: dict[str, type[BaseModel]] = {**SHARED_MODELS, "documentReturnFormat": DocumentReturnFormat}
    for file, template in _templates().items():
        for prop in _inputs(template):
            if prop["type"] != "Dropdown":
                continue
            name = prop["binding"]["name"]
            values = {choice["value"] for choice in prop["choices"]}
            head, _, field = name.partition(".")
            if name == "actionDiscriminator":
                assert values == ACTION_TAGS
            elif name == "configuration.forcePathStyle":
                assert values == {"=true", "=false"}  # FEEL booleans; left empty it is not sent
            elif head == "action":
                for action in _actions_of(prop, file):
                    model = MODELS_OF[file][action]
                    assert values <= (_literal_values(model, field) or set()), f"{file}: {name}"
            else:
                assert values <= (_literal_values(models[head], field) or set()), f"{file}: {name}"


def test_booleans_are_always_sent_and_default_to_the_models_default() -> None:
    # The Modeler writes =false for an unchecked Boolean, optional or not, so a Boolean input is
    # only right where false is the model's default (forcePathStyle's default is None: a dropdown).
    for file, template in _templates().items():
        for prop in _inputs(template):
            if prop["type"] != "Boolean":
                continue
            head, _, field = prop["binding"]["name"].partition(".")
            model = MODELS_OF[file][_actions_of(prop, file)[0]] if head == "action" else SHARED_MODELS[head]
            assert model.model_fields[field].default is False, f"{file}: {prop['id']}"
            assert prop["value"] is False and prop["feel"] == "static", f"{file}: {prop['id']}"


# --------------------------------------------------------------------------------------------
# The action.document composers


def test_composers_read_their_helpers_by_full_path_after_them() -> None:
    for file, template in _templates().items():
        if "uploadObject" not in ACTIONS_OF[file]:
            assert not _composers(template), file
            continue
        composers = _composers(template)
        assert {c["id"].rsplit(".", 1)[-1] for c in composers} == {"camunda", "inline", "external"}, file
        order = [p["binding"]["name"] for p in _inputs(template)]
        for composer in composers:
            assert composer["type"] == "Hidden" and composer["value"].startswith("="), composer["id"]
            # Identifiers outside string literals: every helper is read as action.<helper>.
            code = re.sub(r'"[^"]*"', '""', composer["value"])
            names = set(re.findall(r"(?<![\w.])([A-Za-z_]\w*(?:\.\w+)*)", code)) - {"null"}
            assert names, composer["id"]
            for name in names:
                head, _, helper = name.partition(".")
                assert head == "action" and helper in COMPOSER_HELPERS, f"{file}: {composer['id']} reads {name}"
                assert order.index(name) < order.index("action.document"), f"{file}: {name} comes after the composer"


@dataclass(frozen=True)
class Source:
    helpers: dict[str, Any]
    document: Any


SOURCES = {
    "camunda": Source(
        {"documentReference": {"camunda.document.type": "camunda", "documentId": "d-1", "storeId": "in-memory"}},
        {"camunda.document.type": "camunda", "documentId": "d-1", "storeId": "in-memory"},
    ),
    "inline": Source(
        {"inlineContent": "a,b\n1,2\n", "inlineFileName": "report.csv"},
        {"camunda.document.type": "inline", "content": "a,b\n1,2\n", "name": "report.csv", "contentType": None},
    ),
    "external": Source(
        {"externalUrl": "https://example.com/x.pdf"},
        {"camunda.document.type": "external", "url": "https://example.com/x.pdf", "name": None},
    ),
}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_composers_yield_the_document_where_camundas_v3_to_v6_yield_null(source: str) -> None:
    sample = SOURCES[source]
    for file in (UPLOAD, COMPATIBLE):
        composer = next(c for c in _composers(_templates()[file]) if c["id"].endswith(f".{source}"))
        # As Zeebe evaluates the mapping: the helpers were mapped before, nested under action.
        local = {"action": {"bucket": "my-bucket", **sample.helpers}}
        document = FEEL.evaluate(composer["value"], local)
        assert document == sample.document, file
        reference = TypeAdapter(OneDocument).validate_python(document)
        assert UploadAction.model_validate(local["action"] | {"document": document}).document == reference
        # Read by bare names (Camunda's v3-v6 bug), the helpers would not be found.
        assert FEEL.evaluate(composer["value"], sample.helpers) != sample.document


# --------------------------------------------------------------------------------------------
# The examples, as Zeebe maps them, through the worker's pipeline


@dataclass(frozen=True)
class ServiceTask:
    element_id: str
    task_type: str
    retries: int
    inputs: list[tuple[str, str]]
    headers: dict[str, str]


def _service_tasks(root: ET.Element) -> dict[str, ServiceTask]:
    """The service tasks of a diagram: task definition, input mappings in order, headers."""
    tasks = {}
    for element in root.iter():
        definition = element.find(f"./*/{ZEEBE}taskDefinition")
        if definition is None:
            continue
        element_id = element.get("id", "")
        tasks[element_id] = ServiceTask(
            element_id,
            definition.get("type", ""),
            int(definition.get("retries", "3")),
            [(e.get("source", ""), e.get("target", "")) for e in element.iter(f"{ZEEBE}input")],
            {e.get("key", ""): e.get("value", "") for e in element.iter(f"{ZEEBE}header")},
        )
    return tasks


def _example(name: str) -> dict[str, ServiceTask]:
    return _service_tasks(ET.parse(EXAMPLES / name).getroot())


def _assign(scope: dict[str, Any], target: str, value: Any) -> None:
    head, _, rest = target.partition(".")
    if not rest:
        scope[head] = value
        return
    nested = dict(scope[head]) if isinstance(scope.get(head), dict) else {}
    _assign(nested, rest, value)
    scope[head] = nested


def _job_variables(task: ServiceTask, process: Mapping[str, Any], fetched: tuple[str, ...]) -> dict[str, Any]:
    """Zeebe's input mappings in order (a later one sees earlier ones by full path), then the
    variables the task type fetches, local ones shadowing the process's."""
    local: dict[str, Any] = {}
    for source, target in task.inputs:
        value = FEEL.evaluate(source[1:], {**process, **local}) if source.startswith("=") else source
        _assign(local, target, value)
    visible = {**process, **local}
    return {name: visible[name] for name in fetched if name in visible}


def _applied(template: str, values: Mapping[str, Any]) -> ServiceTask:
    """Our template applied to a lone service task by element-templates-cli, with values entered."""
    result = subprocess.run(
        [_node(), "tests/templates/apply.mjs"],
        cwd=ROOT,
        input=json.dumps({"template": template, "values": dict(values)}),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return _service_tasks(ET.fromstring(result.stdout))["Task_1"]


CREDENTIALS = {"authentication.accessKey": "{{secrets.A}}", "authentication.secretKey": "{{secrets.B}}"}
SAVED = {"authentication": {"type": "credentials", "accessKey": "A", "secretKey": "S"}, "region": "eu-west-1"}


@dataclass(frozen=True)
class Scenario:
    template: str
    values: dict[str, Any]
    process: dict[str, Any]
    expected: dict[str, Any]  # dotted path in the job variables -> value


SCENARIOS = {
    "assume-role-download-as-text": Scenario(
        COMPATIBLE,
        {
            "actionDiscriminator": "downloadObject",
            "authentication.type": "assumeRole",
            "authentication.roleArn": "arn:aws:iam::123456789012:role/reader",
            "authentication.durationSeconds": 900,
            "configuration.endpoint": "https://minio.example.com",
            "configuration.forcePathStyle": "=false",
            "action.bucket": "my-bucket",
            "download.action.key": "k.txt",
            "documentReturnFormat.choice": "TEXT",
            "documentReturnFormat.encoding": "ISO-8859-1",
        },
        {},
        {
            "authentication": {
                "type": "assumeRole",
                "roleArn": "arn:aws:iam::123456789012:role/reader",
                "durationSeconds": 900,
            },
            "configuration": {
                "endpoint": "https://minio.example.com",
                "forcePathStyle": False,
                "fips": False,
                "dualStack": False,
            },
            "action": {"bucket": "my-bucket", "key": "k.txt"},
            "documentReturnFormat": {"choice": "TEXT", "encoding": "ISO-8859-1"},
        },
    ),
    "saved-credential-delete-version": Scenario(
        COMPATIBLE,
        {
            "actionDiscriminator": "deleteObject",
            "credentialSource": "saved",
            "awsCredential": "=camunda.vars.env.AWS_PROD",
            "action.bucket": "my-bucket",
            "delete.action.key": "k",
            "delete.action.versionId": "v-1",
        },
        {"camunda": {"vars": {"env": {"AWS_PROD": SAVED}}}},
        {"awsCredential": SAVED, "action": {"bucket": "my-bucket", "key": "k", "versionId": "v-1"}},
    ),
    "anonymous-upload-from-url-with-kms": Scenario(
        UPLOAD,
        {
            "authentication.type": "anonymous",
            "action.bucket": "my-bucket",
            "documentSource": "external",
            "action.externalUrl": "https://example.com/a.pdf",
            "action.serverSideEncryption": "aws:kms",
            "action.kmsKeyId": "alias/k",
        },
        {},
        {
            "authentication": {"type": "anonymous"},
            "action.document": {"camunda.document.type": "external", "url": "https://example.com/a.pdf", "name": None},
            "action.kmsKeyId": "alias/k",
        },
    ),
    "inline-base64-upload": Scenario(
        COMPATIBLE,
        {
            **CREDENTIALS,
            "action.bucket": "my-bucket",
            "documentSource": "inline",
            "action.inlineContent": "aGVsbG8=",
            "action.inlineFileName": "hello.bin",
            "action.contentEncoding": "base64",
            "action.storageClass": "GLACIER_IR",
            "action.presignedLinkExpiry": "P7D",
        },
        {},
        {
            "actionDiscriminator": "uploadObject",
            "action.document": {
                "camunda.document.type": "inline",
                "content": "aGVsbG8=",
                "name": "hello.bin",
                "contentType": None,
            },
            "action.contentEncoding": "base64",
            "action.storageClass": "GLACIER_IR",
        },
    ),
    "delete-with-defaults": Scenario(
        DELETE,
        {**CREDENTIALS, "action.bucket": "my-bucket", "action.key": "k"},
        {},
        {
            "authentication.type": "credentials",
            "action": {"bucket": "my-bucket", "key": "k"},
            "configuration.fips": False,
        },
    ),
    "download-by-content-type-range": Scenario(
        DOWNLOAD,
        {
            **CREDENTIALS,
            "action.bucket": "my-bucket",
            "action.key": "k",
            "documentReturnFormat.choice": "AUTO",
            "action.range": "bytes=0-99",
        },
        {},
        {"documentReturnFormat": {"choice": "AUTO"}, "action.range": "bytes=0-99"},
    ),
    "upload-with-a-key-template": Scenario(
        UPLOAD,
        {
            **CREDENTIALS,
            "addressing": "template",
            "action.bucket": "my-bucket",
            "action.keyTemplate": "in/{date}/{file_name}",
            "action.timeZone": "Europe/Berlin",
            "documentSource": "inline",
            "action.inlineContent": "x",
            "action.inlineFileName": "x.txt",
        },
        {},
        {
            "action.keyTemplate": "in/{date}/{file_name}",
            "action.timeZone": "Europe/Berlin",
            "action.bucket": "my-bucket",
        },
    ),
    "download-by-uri": Scenario(
        DOWNLOAD,
        {
            **CREDENTIALS,
            "addressing": "uri",
            "action.uri": "s3://my-bucket/a b.txt",
            "documentReturnFormat.choice": "TEXT",
        },
        {},
        {"action": {"uri": "s3://my-bucket/a b.txt"}},
    ),
    "delete-many-keys": Scenario(
        DELETE,
        {
            **CREDENTIALS,
            "addressing": "keys",
            "action.bucket": "my-bucket",
            "action.keys": "=for o in objects return o.key",
        },
        {"objects": [{"key": "a"}, {"key": "b"}]},
        {"action": {"bucket": "my-bucket", "keys": ["a", "b"]}},
    ),
    "list-a-folder-page": Scenario(
        LIST,
        {
            **CREDENTIALS,
            "action.bucket": "my-bucket",
            "action.prefix": "in/",
            "action.delimiter": "/",
            "action.maxKeys": 100,
            "action.continuationToken": "=listing.continuationToken",
        },
        {"listing": {"continuationToken": "token-1"}},
        {
            "action": {
                "bucket": "my-bucket",
                "prefix": "in/",
                "delimiter": "/",
                "maxKeys": 100,
                "continuationToken": "token-1",
            }
        },
    ),
    "move-into-a-folder-replacing-metadata": Scenario(
        COPY,
        {
            **CREDENTIALS,
            "sourceAddressing": "uri",
            "action.sourceUri": "s3://in-bucket/a.pdf",
            "targetAddressing": "uri",
            "action.targetUri": "s3://out-bucket/done/",
            "action.deleteSource": True,
            "action.metadataDirective": "REPLACE",
            "action.metadata": '={"state": "done"}',
        },
        {},
        {
            "action": {
                "sourceUri": "s3://in-bucket/a.pdf",
                "targetUri": "s3://out-bucket/done/",
                "deleteSource": True,
                "createOnly": False,
                "metadataDirective": "REPLACE",
                "metadata": {"state": "done"},
            }
        },
    ),
    "copy-to-a-key-template": Scenario(
        COPY,
        {
            **CREDENTIALS,
            "action.source.bucket": "my-bucket",
            "action.source.key": "in/a.pdf",
            "targetAddressing": "template",
            "action.target.keyTemplate": "archive/{year}/{file_name}",
            "action.createOnly": True,
            "action.storageClass": "GLACIER_IR",
        },
        {},
        {
            "action.source": {"bucket": "my-bucket", "key": "in/a.pdf"},
            "action.target": {"keyTemplate": "archive/{year}/{file_name}"},
            "action.createOnly": True,
        },
    ),
    "presign-an-upload": Scenario(
        PRESIGN,
        {
            **CREDENTIALS,
            "action.bucket": "my-bucket",
            "action.key": "in/x.csv",
            "action.method": "PUT",
            "action.expiresIn": "PT1H",
            "action.contentType": "text/csv",
        },
        {},
        {
            "action": {
                "bucket": "my-bucket",
                "key": "in/x.csv",
                "method": "PUT",
                "expiresIn": "PT1H",
                "contentType": "text/csv",
            }
        },
    ),
    "head-a-version-or-fail": Scenario(
        HEAD,
        {
            **CREDENTIALS,
            "action.bucket": "my-bucket",
            "action.key": "k",
            "action.versionId": "v1",
            "action.failIfMissing": True,
        },
        {},
        {"action": {"bucket": "my-bucket", "key": "k", "versionId": "v1", "failIfMissing": True}},
    ),
}


def _at(variables: Mapping[str, Any], path: str) -> Any:
    value: Any = variables
    for segment in path.split("."):
        value = value[segment]
    return value


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_what_a_modeller_enters_binds_to_the_models(name: str) -> None:
    scenario = SCENARIOS[name]
    task = _applied(scenario.template, scenario.values)
    fetched = {spec.task_type: spec.fetch_variables for spec in build_task_specs(WorkerSettings())}
    variables = _job_variables(task, scenario.process, fetched[task.task_type])
    for path, value in scenario.expected.items():
        assert _at(variables, path) == value, path
    # The worker's own binding accepts them.
    job = bind(JOB_MODELS[scenario.template], variables)
    if "awsCredential" in variables:
        assert "authentication" not in variables and job.target.region == "eu-west-1"


PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8


@pytest.fixture
def aws() -> Iterator[Any]:
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-central-1", aws_access_key_id="a", aws_secret_access_key="b")
        s3.create_bucket(Bucket="my-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        yield s3


@pytest.fixture
def documents() -> Iterator[DocumentsApi]:
    with DocumentsApi() as api:
        yield api


class Runner:
    def __init__(self, documents: DocumentsApi) -> None:
        self.environ = {
            "SECRET_AWS_ACCESS_KEY": "AKIAEXAMPLES",
            "SECRET_AWS_SECRET_KEY": "examples-secret-key",
        }
        self.settings = WorkerSettings(rest_address=documents.base_url)
        self.fetched = {spec.task_type: spec.fetch_variables for spec in build_task_specs(self.settings)}

    async def run(self, task: ServiceTask, process: Mapping[str, Any]) -> dict[str, Any]:
        variables = _job_variables(task, process, self.fetched[task.task_type])
        return await invoke_job(
            self.settings,
            self.environ,
            task_type=task.task_type,
            variables=variables,
            headers=task.headers,
            retries=task.retries,
        )


async def test_upload_example(aws: Any, documents: DocumentsApi) -> None:
    tasks, runner = _example("upload.bpmn"), Runner(documents)
    invoice = documents.put_document(PDF, "application/pdf", "scan-0042.pdf")
    process: dict[str, Any] = {"invoiceId": "INV-42", "invoice": invoice}

    outcome = await runner.run(tasks["UploadInvoice"], process)
    assert outcome["outcome"] == "complete", outcome
    variables = outcome["variables"]
    assert variables["invoiceUpload"]["key"] == "invoices/INV-42.pdf"
    assert variables["invoiceLink"] == variables["invoiceUpload"]["presignedLink"]
    stored = aws.get_object(Bucket="my-bucket", Key="invoices/INV-42.pdf")
    assert stored["Body"].read() == PDF
    # The template's metadata, and the job key every upload records (a re-run recognises it).
    assert stored["Metadata"] == {"invoice-id": "INV-42", "zeebe-job-key": "1"}
    assert stored["StorageClass"] == "STANDARD_IA"
    assert aws.get_object_tagging(Bucket="my-bucket", Key="invoices/INV-42.pdf")["TagSet"] == [
        {"Key": "department", "Value": "finance"}
    ]

    outcome = await runner.run(tasks["UploadSummary"], {**process, **variables})
    assert outcome["outcome"] == "complete", outcome
    summary = aws.get_object(Bucket="my-bucket", Key="invoices/INV-42.json")
    assert summary["ContentType"] == "application/json"
    assert json.loads(summary["Body"].read()) == {"invoiceId": "INV-42", "pdf": "invoices/INV-42.pdf", "size": len(PDF)}


async def test_archive_folder_example(aws: Any, documents: DocumentsApi) -> None:
    """A list feeding a multi-instance copy, with the page loop, as Zeebe would run it."""
    root = ET.parse(EXAMPLES / "archive-folder.bpmn").getroot()
    tasks, runner = _service_tasks(root), Runner(documents)
    loop = next(root.iter(f"{ZEEBE}loopCharacteristics"))
    more = next(e for e in root.iter() if e.get("id") == "Flow_5").findtext("{*}conditionExpression")
    for key in ["incoming/", "incoming/a.txt", "incoming/b c.pdf", "incoming/sub/deeper.txt", "other/x"]:
        aws.put_object(Bucket="my-bucket", Key=key, Body=key.encode())
    process: dict[str, Any] = {}

    outcome = await runner.run(tasks["ListFiles"], process)
    assert outcome["outcome"] == "complete", outcome
    process.update(outcome["variables"])
    files = FEEL.evaluate(loop.get("inputCollection", "")[1:], process)
    # The folder marker "incoming/" is left out by the input collection; deeper files are folders.
    assert [f["key"] for f in files] == ["incoming/a.txt", "incoming/b c.pdf"]
    assert process["listing"]["folders"] == ["incoming/sub/"]
    archived = []
    for file in files:
        local = {**process, loop.get("inputElement", ""): file}
        outcome = await runner.run(tasks["ArchiveFile"], local)
        assert outcome["outcome"] == "complete", outcome
        archived.append(FEEL.evaluate(loop.get("outputElement", "")[1:], local))
    assert archived == ["incoming/a.txt", "incoming/b c.pdf"]
    # One page here; a truncated page loops back to list the next one with its token.
    assert FEEL.evaluate(str(more)[1:], process) is False
    assert FEEL.evaluate(str(more)[1:], {"listing": {"truncated": True}}) is True

    keys = [o["Key"] for o in aws.list_objects_v2(Bucket="my-bucket", Prefix="archive/")["Contents"]]
    assert [re.sub(r"^archive/\d{4}/\d{2}/", "", key) for key in keys] == ["a.txt", "b c.pdf"]
    stored = aws.head_object(Bucket="my-bucket", Key=keys[0])
    assert stored["StorageClass"] == "STANDARD_IA"
    assert aws.get_object(Bucket="my-bucket", Key=keys[1])["Body"].read() == b"incoming/b c.pdf"


async def test_download_as_document_example(aws: Any, documents: DocumentsApi) -> None:
    task, runner = _example("download-as-document.bpmn")["DownloadReport"], Runner(documents)
    aws.put_object(Bucket="my-bucket", Key="reports/R-7.pdf", Body=PDF, ContentType="application/pdf")

    outcome = await runner.run(task, {"reportId": "R-7"})
    assert outcome["outcome"] == "complete", outcome
    report = outcome["variables"]["report"]
    assert report["camunda.document.type"] == "camunda"
    assert report["metadata"]["customProperties"] == {"reportId": "R-7"}
    assert documents.content(report["documentId"]) == PDF
    assert outcome["variables"]["reportLink"].startswith("http")


async def test_error_handling_example(aws: Any, documents: DocumentsApi) -> None:
    task, runner = _example("error-handling.bpmn")["ReadSettings"], Runner(documents)

    outcome = await runner.run(task, {"tenantId": "acme"})
    assert outcome["outcome"] == "throw", outcome
    assert outcome["errorCode"] == "NOT_FOUND"

    aws.put_object(
        Bucket="my-bucket", Key="settings/acme.json", Body=b'{"theme": "dark"}', ContentType="application/json"
    )
    outcome = await runner.run(task, {"tenantId": "acme"})
    assert outcome == {"outcome": "complete", "variables": {"settings": {"theme": "dark"}}}
