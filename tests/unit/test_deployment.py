"""The deployment files, linted and validated offline with the real tools, and checked against
the product: the health paths it serves, the settings it reads, the README's configuration table.

Files: ``Dockerfile``, ``.dockerignore``, ``deploy/docker-compose.yaml``, ``deploy/kubernetes/*.yaml``.
The tools (hadolint, check-jsonschema, kubernetes-validate) come with the test extras and run
from the same environment as the tests; none of them touches the network.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from connector.components import document_store_config, gateway_connection
from connector.runtime.metrics import HealthServer, HealthState, PrometheusObserver
from connector.settings import WorkerSettings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "deploy" / "docker-compose.yaml"
MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))
README = ROOT / "README.md"
DEPLOY_README = ROOT / "deploy" / "README.md"
TOOLS = Path(sys.executable).parent
# The oldest Kubernetes the manifests target (PDB unhealthyPodEvictionPolicy is on by default
# from 1.27) and the newest kubernetes-validate ships schemas for.
KUBERNETES_VERSIONS = ("1.27.0", "1.37.0")
NON_ROOT_UID = 10001
HEALTH_PATHS = {"/health/live", "/health/ready"}
# From docs/BENCHMARKS.md: idle RSS, plus the warm-up and allocator slack seen in the measured
# peak of one transfer (124 MiB), plus per job 2 x part size + 4 MiB.
IDLE_MIB = 80
WARM_UP_MIB = 45
STREAM_OVERHEAD_MIB = 4
# The task types whose jobs stream an object through the worker; the others (delete, list,
# copy, presign, head) hold at most a response of about 1 MiB, counted as SMALL_JOB_MIB.
STREAMING_TASK_TYPES = {
    "S3_CONNECTOR_TASK_TYPE_CAMUNDA",
    "S3_CONNECTOR_TASK_TYPE_UPLOAD",
    "S3_CONNECTOR_TASK_TYPE_DOWNLOAD",
}
SMALL_JOB_MIB = 4


# --------------------------------------------------------------------------- helpers


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    tool = TOOLS / name
    if not tool.exists():
        pytest.fail(f"{name} is missing from {TOOLS}; install the test extras (pip install -e '.[test]')")
    return subprocess.run([str(tool), *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


def instructions(text: str) -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        result.append((keyword.upper(), " ".join(arguments.split())))
        pending = ""
    return result


def stages() -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for keyword, arguments in instructions(DOCKERFILE.read_text(encoding="utf-8")):
        if keyword == "FROM":
            found.append([])
        if found:
            found[-1].append((keyword, arguments))
    return found


def final_stage() -> list[tuple[str, str]]:
    return stages()[-1]


def arguments_of(stage: list[tuple[str, str]], keyword: str) -> list[str]:
    return [arguments for key, arguments in stage if key == keyword]


def key_values(arguments: str) -> dict[str, str]:
    """``ENV``/``LABEL`` arguments in the ``KEY=value KEY2="value 2"`` form."""
    return dict(token.split("=", 1) for token in shlex.split(arguments))


def dockerignore_excludes(path: str) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parents decides."""
    excluded = False
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        pattern = os.path.normpath(pattern.lstrip("!")).lstrip("/")
        parts = path.split("/")
        candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(_pattern_matches(pattern, candidate) for candidate in candidates):
            excluded = not negated
    return excluded


def _pattern_matches(pattern: str, path: str) -> bool:
    regex = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex, i = regex + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            regex, i = regex + ".*", i + 2
        elif pattern[i] == "*":
            regex, i = regex + "[^/]*", i + 1
        elif pattern[i] == "?":
            regex, i = regex + "[^/]", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            body = pattern[i + 1 : end]
            regex, i = regex + "[" + ("^" + body[1:] if body.startswith(("!", "^")) else body) + "]", end + 1
        else:
            regex, i = regex + re.escape(pattern[i]), i + 1
    return re.fullmatch(regex, path) is not None


def source_files_under(directory: str) -> list[str]:
    """The files of a source directory, without the caches Python leaves in it."""
    paths = (ROOT / directory).rglob("*")
    return [str(p.relative_to(ROOT)) for p in paths if p.is_file() and "__pycache__" not in p.parts]


def load_yaml(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), path
    return loaded


def k8s_objects() -> Iterator[dict[str, Any]]:
    for path in MANIFESTS:
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document:
                yield document


def k8s_object(kind: str, name: str | None = None) -> dict[str, Any]:
    found = [o for o in k8s_objects() if o["kind"] == kind and name in (None, o["metadata"]["name"])]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def worker_container() -> dict[str, Any]:
    containers = k8s_object("Deployment")["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    container: dict[str, Any] = containers[0]
    return container


def k8s_environment() -> dict[str, str]:
    """The worker's environment in Kubernetes: envFrom ConfigMaps and Secrets, then env."""
    container = worker_container()
    environment: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            environment.update(k8s_object("ConfigMap", source["configMapRef"]["name"])["data"])
        if "secretRef" in source:
            environment.update(k8s_object("Secret", source["secretRef"]["name"])["stringData"])
    environment.update({e["name"]: e["value"] for e in container.get("env", []) if "value" in e})
    return environment


def compose_services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = load_yaml(COMPOSE)["services"]
    return services


def compose_environment(service: Mapping[str, Any]) -> dict[str, str]:
    """A service's environment with ``${NAME:-default}`` interpolated to its default."""
    raw = service.get("environment", {})
    pairs = dict(item.split("=", 1) for item in raw) if isinstance(raw, list) else dict(raw)
    return {str(k): re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", str(v)) for k, v in pairs.items()}


def readme_configuration_names() -> set[str]:
    """Every variable named in the first column of README.md's configuration table."""
    section = README.read_text(encoding="utf-8").split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def seconds(duration: str) -> float:
    """A compose duration such as ``45s``, ``1m30s`` or ``500ms``."""
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "us": 1e-6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", duration)
    assert parts and "".join(n + u for n, u in parts) == duration, duration
    return sum(float(number) * units[unit] for number, unit in parts)


def mebibytes(quantity: str) -> float:
    match = re.fullmatch(r"(\d+)(Ki|Mi|Gi)", quantity)
    assert match, f"use binary units for memory, not {quantity!r}"
    return int(match[1]) * {"Ki": 1 / 1024, "Mi": 1.0, "Gi": 1024.0}[match[2]]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith(("ZEEBE_", "CAMUNDA_", "S3_CONNECTOR_", "AWS_", "SECRET_")):
            monkeypatch.delenv(name)
    return monkeypatch


# --------------------------------------------------------------------------- Dockerfile


class TestDockerfile:
    def test_hadolint_passes_with_no_findings_at_any_level(self) -> None:
        result = run_tool("hadolint", "--no-color", "--failure-threshold", "style", "Dockerfile")
        assert (result.returncode, result.stdout + result.stderr) == (0, "")

    def test_the_only_suppressed_rule_is_the_documented_apt_pin(self) -> None:
        text = DOCKERFILE.read_text(encoding="utf-8")
        suppressed = {code for codes in re.findall(r"#\s*hadolint ignore=(\S+)", text) for code in codes.split(",")}
        assert suppressed <= {"DL3008"}
        result = run_tool("hadolint", "--no-color", "--disable-ignore-pragma", "-f", "json", "Dockerfile")
        assert {finding["code"] for finding in json.loads(result.stdout)} <= suppressed

    def test_both_stages_use_the_same_pinned_slim_base(self) -> None:
        bases = [arguments_of(stage, "FROM")[0].split()[0] for stage in stages()]
        assert len(bases) == 2, "a builder stage and a runtime stage"
        assert bases[0] == bases[1]
        assert re.fullmatch(r"python:3\.11-slim-bookworm(@sha256:[0-9a-f]{64})?", bases[0])

    def test_final_stage_runs_as_the_fixed_non_root_user(self) -> None:
        stage = final_stage()
        users = arguments_of(stage, "USER")
        assert users, "the final stage must switch to a non-root USER"
        assert users[-1].split(":")[0] == str(NON_ROOT_UID)
        keywords = [keyword for keyword, _ in stage]
        assert keywords.index("USER") < keywords.index("ENTRYPOINT")
        # No instruction after USER may need root.
        assert "RUN" not in keywords[keywords.index("USER") :]

    def test_final_stage_starts_the_worker_and_allows_other_subcommands(self) -> None:
        stage = final_stage()
        assert [json.loads(a) for a in arguments_of(stage, "ENTRYPOINT")] == [["s3-connector"]]
        assert [json.loads(a) for a in arguments_of(stage, "CMD")] == [["worker"]]

    def test_healthcheck_asks_readiness_with_python_not_curl(self) -> None:
        (healthcheck,) = arguments_of(final_stage(), "HEALTHCHECK")
        for option in ("--interval=", "--timeout=", "--start-period=", "--retries="):
            assert option in healthcheck
        command = json.loads(healthcheck.split(" CMD ", 1)[1])
        assert command[:2] == ["python", "-c"]
        assert "http://127.0.0.1:" in command[2] and "/health/ready" in command[2]

    def test_final_stage_installs_only_libmagic_and_cleans_the_apt_lists(self) -> None:
        runs = [run for run in arguments_of(final_stage(), "RUN") if "apt-get install" in run]
        assert len(runs) == 1
        install = runs[0].split("apt-get install", 1)[1].split("&&", 1)[0].split()
        assert "--no-install-recommends" in install
        assert [word for word in install if not word.startswith("-")] == ["libmagic1"]
        assert "rm -rf /var/lib/apt/lists/*" in runs[0]

    def test_final_stage_has_no_build_tools(self) -> None:
        text = " ".join(arguments for _, arguments in final_stage()).lower()
        for tool in ("build-essential", "gcc", "g++", "python3-dev", "libc6-dev", "curl", "wget"):
            assert not re.search(rf"(?<![\w-]){re.escape(tool)}(?![\w-])", text), tool

    def test_final_stage_environment(self) -> None:
        environment: dict[str, str] = {}
        for arguments in arguments_of(final_stage(), "ENV"):
            environment.update(key_values(arguments))
        assert environment["PYTHONDONTWRITEBYTECODE"] == "1"
        assert environment["PYTHONUNBUFFERED"] == "1"
        assert environment["MALLOC_ARENA_MAX"] == "2"
        port = environment["S3_CONNECTOR_HEALTH_PORT"]
        assert port == str(WorkerSettings.model_fields["health_port"].default)
        assert arguments_of(final_stage(), "EXPOSE") == [port]
        assert arguments_of(final_stage(), "WORKDIR")

    def test_oci_labels(self) -> None:
        labels: dict[str, str] = {}
        for arguments in arguments_of(final_stage(), "LABEL"):
            labels.update(key_values(arguments))
        for name in ("title", "description", "source", "licenses"):
            assert labels.get(f"org.opencontainers.image.{name}"), name
        license_match = re.search(r'^license = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
        assert license_match and labels["org.opencontainers.image.licenses"] == license_match[1] == "Apache-2.0"


class TestBuildContext:
    @pytest.mark.parametrize(
        "path",
        [
            ".venv/bin/python",
            ".git/HEAD",
            "tests/unit/test_cli.py",
            "tools/node_modules/s3rver/package.json",
            "benchmarks/memory.py",
            "docs/BENCHMARKS.md",
            "deploy/docker-compose.yaml",
            "connector/__pycache__/app.cpython-311.pyc",
            "connector/s3/__pycache__/client.cpython-311.pyc",
            ".mypy_cache/3.10/connector/app.data.json",
            ".pytest_cache/v/cache/lastfailed",
            ".ruff_cache/CACHEDIR.TAG",
            "zeebe_s3_connector.egg-info/PKG-INFO",
        ],
    )
    def test_excluded(self, path: str) -> None:
        assert dockerignore_excludes(path)

    def test_only_the_package_and_its_metadata_are_sent(self) -> None:
        """An allow-list: whatever else appears in the repository stays out of the image."""
        sent = {entry.name for entry in ROOT.iterdir() if not dockerignore_excludes(entry.name)}
        assert sent == {"pyproject.toml", "README.md", "connector"}

    def test_everything_the_dockerfile_copies_is_in_the_context(self) -> None:
        sources = [
            source
            for stage in stages()
            for arguments in arguments_of(stage, "COPY")
            if not arguments.startswith("--from")
            for source in arguments.split()[:-1]
        ]
        assert sources
        for source in sources:
            files = [source] if (ROOT / source).is_file() else source_files_under(source)
            assert files, source
            for path in files:
                assert not dockerignore_excludes(path), path


# --------------------------------------------------------------------------- compose


class TestCompose:
    def test_matches_the_compose_spec(self) -> None:
        result = run_tool("check-jsonschema", "--builtin-schema", "vendor.compose-spec", str(COMPOSE))
        assert result.returncode == 0, result.stdout + result.stderr

    def test_every_pulled_image_is_pinned(self) -> None:
        services = compose_services()
        for name, service in services.items():
            if "build" in service:
                continue
            repository, _, tag = service["image"].rpartition(":")
            assert repository and tag and tag != "latest", f"{name}: {service['image']}"
        assert re.fullmatch(r"camunda/zeebe:8\.\d+\.\d+", services["zeebe"]["image"])
        assert re.fullmatch(r"minio/minio:RELEASE\.[0-9TZ-]+", services["minio"]["image"])

    def test_zeebe_embeds_its_gateway(self) -> None:
        zeebe = compose_services()["zeebe"]
        assert compose_environment(zeebe)["ZEEBE_BROKER_GATEWAY_ENABLE"] == "true"
        assert "26500:26500" in zeebe["ports"]

    def test_an_init_container_creates_the_bucket(self) -> None:
        services = compose_services()
        init = services["minio-init"]
        assert init["image"].startswith("minio/mc:")
        assert init["depends_on"]["minio"]["condition"] == "service_healthy"
        assert "mc mb" in " ".join(init["command"])

    def test_worker_is_built_from_this_repository(self) -> None:
        build = compose_services()["worker"]["build"]
        context = (COMPOSE.parent / build["context"]).resolve()
        assert context == ROOT
        assert (context / build.get("dockerfile", "Dockerfile")).resolve() == DOCKERFILE

    def test_worker_environment(self) -> None:
        environment = compose_environment(compose_services()["worker"])
        assert environment["ZEEBE_ADDRESS"] == "zeebe:26500"
        assert environment["S3_CONNECTOR_DEFAULT_ENDPOINT"] == "http://minio:9000"
        assert {"SECRET_MINIO_ACCESS_KEY", "SECRET_MINIO_SECRET_KEY"} <= environment.keys()

    def test_worker_waits_for_zeebe_and_the_bucket(self) -> None:
        depends_on = compose_services()["worker"]["depends_on"]
        assert depends_on["zeebe"]["condition"] == "service_healthy"
        assert depends_on["minio-init"]["condition"] == "service_completed_successfully"

    def test_worker_healthcheck_asks_readiness(self) -> None:
        healthcheck = compose_services()["worker"]["healthcheck"]
        assert "http://127.0.0.1:9400/health/ready" in " ".join(healthcheck["test"])

    def test_worker_has_time_to_drain_before_sigkill(self) -> None:
        worker = compose_services()["worker"]
        timeout = float(compose_environment(worker).get("S3_CONNECTOR_SHUTDOWN_TIMEOUT_S", "30"))
        assert seconds(worker["stop_grace_period"]) > timeout

    def test_worker_runs_locked_down(self) -> None:
        worker = compose_services()["worker"]
        assert worker["read_only"] is True and "/tmp" in worker["tmpfs"]
        assert worker["cap_drop"] == ["ALL"]
        assert str(worker["user"]).split(":")[0] == str(NON_ROOT_UID)


# --------------------------------------------------------------------------- Kubernetes


class TestKubernetes:
    @pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
    @pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.name)
    def test_manifest_validates_strictly(self, manifest: Path, version: str) -> None:
        result = run_tool("kubernetes-validate", "--strict", "--quiet", "-k", version, str(manifest))
        assert result.returncode == 0 and "ERROR" not in result.stdout, result.stdout + result.stderr

    def test_there_are_manifests(self) -> None:
        assert [p.name for p in MANIFESTS] and "worker.yaml" in [p.name for p in MANIFESTS]

    def test_scales_by_replicas(self) -> None:
        assert k8s_object("Deployment")["spec"]["replicas"] == 3

    def test_probes_point_at_the_paths_the_worker_serves(self) -> None:
        container = worker_container()
        ports = {port["name"]: port["containerPort"] for port in container["ports"]}
        health_port = int(k8s_environment().get("S3_CONNECTOR_HEALTH_PORT", "9400"))
        assert ports["health"] == health_port
        expected = {"startupProbe": "/health/live", "livenessProbe": "/health/live", "readinessProbe": "/health/ready"}
        for probe, path in expected.items():
            assert container[probe]["httpGet"] == {"path": path, "port": "health"}, probe

    def test_grace_period_exceeds_the_shutdown_timeout(self) -> None:
        spec = k8s_object("Deployment")["spec"]["template"]["spec"]
        default = WorkerSettings.model_fields["shutdown_timeout_s"].default
        timeout = float(k8s_environment().get("S3_CONNECTOR_SHUTDOWN_TIMEOUT_S", default))
        assert spec["terminationGracePeriodSeconds"] > timeout

    def test_pod_is_locked_down(self) -> None:
        pod = k8s_object("Deployment")["spec"]["template"]["spec"]
        container = worker_container()
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        context = container["securityContext"]
        assert context["runAsNonRoot"] is True and context["runAsUser"] == NON_ROOT_UID
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert context["seccompProfile"] == {"type": "RuntimeDefault"}
        tmp = next(m for m in container["volumeMounts"] if m["mountPath"] == "/tmp")
        volume = next(v for v in pod["volumes"] if v["name"] == tmp["name"])
        assert "emptyDir" in volume

    def test_references_resolve_within_the_manifests(self) -> None:
        pod = k8s_object("Deployment")["spec"]["template"]["spec"]
        k8s_object("ServiceAccount", pod["serviceAccountName"])
        for source in worker_container()["envFrom"]:
            if "configMapRef" in source:
                k8s_object("ConfigMap", source["configMapRef"]["name"])
            else:
                k8s_object("Secret", source["secretRef"]["name"])

    def test_secret_holds_only_placeholders(self) -> None:
        data = k8s_object("Secret")["stringData"]
        assert {"SECRET_AWS_ACCESS_KEY", "SECRET_AWS_SECRET_KEY", "ZEEBE_CLIENT_SECRET"} <= data.keys()
        assert all("REPLACE" in value for value in data.values())
        assert "data" not in k8s_object("Secret"), "no base64 values that could hide a real credential"

    def test_pdb_and_service_select_the_pods(self) -> None:
        labels = k8s_object("Deployment")["spec"]["template"]["metadata"]["labels"]
        assert k8s_object("Deployment")["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert k8s_object("PodDisruptionBudget")["spec"]["selector"]["matchLabels"].items() <= labels.items()
        service = k8s_object("Service")
        assert service["spec"]["selector"].items() <= labels.items()
        assert service["metadata"]["annotations"]["prometheus.io/port"] == str(
            k8s_environment().get("S3_CONNECTOR_HEALTH_PORT", "9400")
        )

    def test_memory_limit_covers_the_documented_worst_case(self) -> None:
        """idle + warm-up + jobs per task type x (streaming types x (2 x part size + 4 MiB) +
        other types x a small job)."""
        environment = k8s_environment()
        jobs_per_type = int(environment["S3_CONNECTOR_MAX_RUNNING_JOBS"])
        part_mib = int(environment.get("S3_CONNECTOR_MULTIPART_PART_SIZE_BYTES", 8 * 1024 * 1024)) / 1024**2
        names = [name for name in readme_configuration_names() if name.startswith("S3_CONNECTOR_TASK_TYPE_")]
        task_types, streaming = len(names), len(STREAMING_TASK_TYPES & set(names))
        per_round = streaming * (2 * part_mib + STREAM_OVERHEAD_MIB) + (task_types - streaming) * SMALL_JOB_MIB
        worst_case = IDLE_MIB + WARM_UP_MIB + jobs_per_type * per_round
        one_type_busy = IDLE_MIB + WARM_UP_MIB + jobs_per_type * (2 * part_mib + STREAM_OVERHEAD_MIB)
        resources = worker_container()["resources"]
        assert mebibytes(resources["limits"]["memory"]) >= worst_case
        assert mebibytes(resources["requests"]["memory"]) >= one_type_busy
        threads = int(environment.get("S3_CONNECTOR_THREAD_POOL_SIZE", jobs_per_type))
        assert threads >= jobs_per_type * task_types, "every job that may run needs an I/O thread"


# --------------------------------------------------------------------------- against the product


def test_the_probed_paths_are_served_by_the_worker() -> None:
    """Start the worker's real health server on loopback and ask every path the files probe."""
    observer = PrometheusObserver()
    state = HealthState(observer)
    server = HealthServer(host="127.0.0.1", port=0, state=state, registry=observer.registry)
    server.start()
    try:

        def status(path: str) -> int:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}", timeout=5) as response:
                    return int(response.status)
            except urllib.error.HTTPError as exc:
                return exc.code

        assert status("/health/live") == 200
        assert status("/health/ready") == 503, "not ready before the gateway answered"
        state.gateway_reachable()
        assert status("/health/ready") == 200
        assert status("/metrics") == 200
    finally:
        server.stop()
    probed = set(re.findall(r"/health/\w+", DOCKERFILE.read_text() + COMPOSE.read_text()))
    probed |= {
        worker_container()[probe]["httpGet"]["path"] for probe in ("startupProbe", "livenessProbe", "readinessProbe")
    }
    assert probed <= HEALTH_PATHS


def test_every_connector_variable_mentioned_is_in_the_readme_table() -> None:
    """Deployment files and docs never name an ``S3_CONNECTOR_`` setting the product lacks."""
    documented = readme_configuration_names()
    files = [DOCKERFILE, COMPOSE, DEPLOY_README, *MANIFESTS]
    mentioned = {name for path in files for name in re.findall(r"\bS3_CONNECTOR_[A-Z0-9_]*[A-Z0-9]", path.read_text())}
    assert mentioned, "the deployment files should set some S3_CONNECTOR_ variables"
    assert sorted(mentioned - documented) == []
    fields = {"S3_CONNECTOR_" + name.upper() for name in WorkerSettings.model_fields}
    assert sorted(mentioned - fields) == []


def test_every_variable_the_deployments_set_is_documented() -> None:
    documented = readme_configuration_names()
    for environment in (compose_environment(compose_services()["worker"]), k8s_environment()):
        settings = {name for name in environment if not name.startswith("SECRET_")}
        assert sorted(settings - documented) == []


@pytest.mark.parametrize("deployment", ["compose", "kubernetes"])
def test_the_deployment_settings_load(deployment: str, clean_env: pytest.MonkeyPatch) -> None:
    """The values the files set are valid settings: the worker would start with them."""
    environment = compose_environment(compose_services()["worker"]) if deployment == "compose" else k8s_environment()
    for name, value in environment.items():
        clean_env.setenv(name, value)
    settings = WorkerSettings()
    assert document_store_config(settings) is not None
    if deployment == "compose":
        assert (settings.zeebe_address, gateway_connection(settings).describe()) == ("zeebe:26500", "plaintext")
        assert settings.default_endpoint == "http://minio:9000"
    else:
        assert gateway_connection(settings).describe() == "TLS + OAuth client credentials"
        assert settings.allow_default_credentials is False
