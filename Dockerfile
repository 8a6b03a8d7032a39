# zeebe-s3-connector: a Zeebe job worker for Amazon S3.
#
#   docker build -t zeebe-s3-connector:0.1.0 .
#   docker run --rm -e ZEEBE_ADDRESS=zeebe:26500 zeebe-s3-connector:0.1.0            # worker
#   docker run --rm -i zeebe-s3-connector:0.1.0 invoke --variables - < job.json     # one job
#
# Both stages use the same base, so the virtualenv built in the first one (whose scripts point
# at /usr/local/bin/python3.11) runs unchanged in the second. For reproducible builds, pin the
# base by digest as well: python:3.11-slim-bookworm@sha256:<digest>.

# ---------------------------------------------------------------------------------------------
# Builder: resolve and install the project and its dependencies into /opt/venv.
# Every dependency ships manylinux wheels (grpcio, pydantic-core, ...), so no compiler is needed
# here either; if one ever has to be built from source, add build-essential to THIS stage only.
FROM python:3.11-slim-bookworm AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
RUN python -m venv /opt/venv

# Dependencies first, read from pyproject.toml, so this layer is rebuilt only when they change.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write('\n'.join(deps) + '\n')" \
 && /opt/venv/bin/pip install --no-cache-dir -r /tmp/requirements.txt

# Then the project itself (not editable: /src does not exist in the final image).
COPY connector ./connector
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps /src \
 && /opt/venv/bin/pip check

# ---------------------------------------------------------------------------------------------
# Runtime: the slim base, libmagic for content sniffing, the virtualenv, a non-root user.
FROM python:3.11-slim-bookworm

ARG VERSION=0.1.0
# Set at build time: docker build --build-arg SOURCE_URL=https://github.com/<org>/<repo> .
ARG SOURCE_URL=https://github.com/REPLACE-ME/zeebe-s3-connector

LABEL org.opencontainers.image.title="zeebe-s3-connector" \
      org.opencontainers.image.description="Zeebe job worker for Amazon S3 and S3-compatible stores; a drop-in for Camunda's AWS S3 connector (io.camunda:aws-s3:1)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.licenses="Apache-2.0"

# libmagic1 (python-magic detects content types from bytes). Not version-pinned on purpose:
# the base tag already fixes the Debian release (bookworm), where only security and bug fixes
# land, and an exact revision pin breaks the build as soon as the archive supersedes it. Pin the
# base image by digest when builds must be bit-for-bit reproducible.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmagic1 \
 && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid, so Kubernetes' runAsUser/runAsNonRoot and volume ownership can rely on it.
RUN groupadd --system --gid 10001 connector \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin connector

COPY --from=builder /opt/venv /opt/venv

# MALLOC_ARENA_MAX=2: glibc otherwise grows up to 8 malloc arenas per core for the worker's
# I/O threads, which inflates RSS without making anything faster.
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MALLOC_ARENA_MAX=2 \
    S3_CONNECTOR_HEALTH_PORT=9400

# Fail the build, not the first job, if libmagic or the gRPC stack cannot be loaded.
RUN python -c "import connector.cli, connector.s3.content, connector.runtime.zeebe" \
 && s3-connector --version

WORKDIR /app
USER 10001:10001

# Health, readiness and Prometheus metrics (see the README's "Health and metrics").
EXPOSE 9400

# Ready = the gateway answered and the worker is not draining (503 otherwise). There is no curl
# in the image; Python's urllib raises on any non-2xx answer, so the exit code is 1 then.
# Kubernetes ignores this and uses the probes in deploy/kubernetes/worker.yaml.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('S3_CONNECTOR_HEALTH_PORT', '9400') + '/health/ready', timeout=4)"]

# SIGTERM (docker stop, Kubernetes) drains in-flight jobs for up to S3_CONNECTOR_SHUTDOWN_TIMEOUT_S
# (30 s): give the container longer than that (docker stop -t 45, stop_grace_period, or
# terminationGracePeriodSeconds).
STOPSIGNAL SIGTERM
ENTRYPOINT ["s3-connector"]
CMD ["worker"]
