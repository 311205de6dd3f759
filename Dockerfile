# syntax=docker/dockerfile:1
# mockvoso, the Convoso API mock, as a container.
#   docker build -t mockvoso .
#   docker run --rm -p 8000:8000 -e MOCKVOSO_SEED=42 mockvoso
# Settings come from MOCKVOSO_* variables (MOCKVOSO_SEED, MOCKVOSO_LEADS, MOCKVOSO_CLOCK,
# MOCKVOSO_RATE_LIMIT, MOCKVOSO_ADMIN_TOKEN, MOCKVOSO_CONFIG=/path/in/a/volume, ...);
# host and port are fixed by CMD (flags win over the environment): publish with -p.

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------- build stage
# Installs mockvoso and its dependencies into a virtualenv; only the venv moves on, so
# pip, setuptools and the sources stay out of the image that runs.
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Just what the wheel is built from (.dockerignore keeps everything else out).
COPY pyproject.toml README.md ./
COPY seed_data ./seed_data
COPY mockvoso ./mockvoso
# Not editable: the package (seed data and the contract's shared.yaml included) lands in the venv.
RUN pip install . \
    && mockvoso --version

# ---------------------------------------------------------------- runtime stage
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="mockvoso" \
      org.opencontainers.image.description="A faithful, fault-injecting mock of the Convoso v1 REST API" \
      org.opencontainers.image.licenses="MIT"
# A fixed numeric uid/gid, so `runAsNonRoot` checks (Kubernetes) can verify it.
RUN groupadd --system --gid 10001 mockvoso \
    && useradd --system --uid 10001 --gid mockvoso --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin mockvoso
# Same base image in both stages, so the venv's interpreter path is valid here too.
COPY --from=build /opt/venv /opt/venv
# The container must bind 0.0.0.0 to be published; who reaches it is decided by -p
# (e.g. -p 127.0.0.1:8000:8000) or MOCKVOSO_ADMIN_TOKEN. See SECURITY.md.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MOCKVOSO_ALLOW_OPEN_CONTROL=1
USER 10001:10001
WORKDIR /tmp
EXPOSE 8000
# No curl in a slim image: the interpreter that is already there does the probe.
# Proxies are bypassed: an HTTP(S)_PROXY given to the container must not catch localhost.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.build_opener(u.ProxyHandler({})).open('http://127.0.0.1:8000/_mockvoso/health', timeout=2)"]
# One server process in the foreground (granian; one worker holds the in-memory world).
CMD ["mockvoso", "serve", "--host", "0.0.0.0", "--port", "8000"]
