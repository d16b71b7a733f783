# syntax=docker/dockerfile:1
# One image for all four services and the topic provisioner:
#   docker build -t petition-casework:0.1.0 .
#   docker run -e CASEBUS_SERVICE=routing ... petition-casework:0.1.0
#   docker run ... petition-casework:0.1.0 python -m infra.provision --replication 3
# Every setting comes from CASEBUS_* environment variables (casebus/settings.py).
# The pinned wheels in requirements.lock are manylinux x86_64: build for linux/amd64.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first, so code changes do not reinstall them. The lock file constrains every
# transitive version; no dev extras (pytest, mypy, ...) are installed.
COPY pyproject.toml requirements.lock ./
COPY casebus ./casebus
COPY services ./services
COPY infra ./infra
COPY bench ./bench
RUN pip install -c requirements.lock .
# The routing rules ship as package data; fail the build, not the container, if they are missing.
RUN cd / && python -c "from services.routing.adapters.rule_files import DEFAULT_RULES_DIR, \
load_rule_documents; assert load_rule_documents(DEFAULT_RULES_DIR), DEFAULT_RULES_DIR"

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CASEBUS_HTTP_HOST=0.0.0.0 \
    CASEBUS_HTTP_PORT=8000
RUN groupadd --system --gid 10001 casebus \
 && useradd --system --uid 10001 --gid casebus --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin casebus
COPY --from=build /opt/venv /opt/venv
# No source tree in the image: the code runs from the installed package in /opt/venv. The
# working directory is empty and root-owned, since `python -m` puts it first on sys.path.
WORKDIR /app
USER casebus:casebus
EXPOSE 8000
# Liveness only (the process answers); /ready also checks the database and background tasks.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('CASEBUS_HTTP_PORT', '8000') + '/health', timeout=4)"]
# The service to run comes from CASEBUS_SERVICE (intake, routing, accountability, reporting);
# exec: the service replaces the shell as PID 1 and gets `docker stop`'s SIGTERM directly.
CMD ["/bin/sh", "-c", "exec python -m \"services.${CASEBUS_SERVICE:?set CASEBUS_SERVICE to intake, routing, accountability or reporting}\""]
