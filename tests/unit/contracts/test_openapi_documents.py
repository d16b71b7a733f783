"""Every operation of every service documents its answers (401, 403, 404, 409, 422, 503 as they
apply) and every request body has an example: what an office's system reads to integrate."""

from __future__ import annotations

from typing import Any

import pytest

from casebus.settings import Settings
from services.accountability.bootstrap import build_app as accountability
from services.intake.bootstrap import build_app as intake
from services.reporting.bootstrap import build_app as reporting
from services.routing.bootstrap import build_app as routing

BUILDERS = {"intake": intake, "routing": routing, "accountability": accountability,
            "reporting": reporting}


def operations(service: str) -> list[tuple[str, str, dict[str, Any]]]:
    app = BUILDERS[service](Settings(profile="embedded", service=service))
    spec = app.openapi()
    return [(path, method, op) for path, ops in spec["paths"].items()
            for method, op in ops.items() if path.startswith("/api/v1/")]


@pytest.mark.parametrize("service", list(BUILDERS))
def test_every_operation_documents_its_error_answers(service: str) -> None:
    for path, method, op in operations(service):
        codes = set(op["responses"])
        must = {"401", "403", "422", "503"}
        if "{case_id}" in path:
            must |= {"404"}
            if method == "post":  # a command on a case: a domain rule may refuse it
                must |= {"409"}
        assert must <= codes, f"{service} {method.upper()} {path} lacks {sorted(must - codes)}"


@pytest.mark.parametrize("service", list(BUILDERS))
def test_every_request_body_has_an_example(service: str) -> None:
    app = BUILDERS[service](Settings(profile="embedded", service=service))
    spec = app.openapi()
    schemas = spec.get("components", {}).get("schemas", {})
    for path, method, op in operations(service):
        body = op.get("requestBody")
        if body is None:
            continue
        content = body["content"]["application/json"]
        schema = content["schema"]
        if "anyOf" in schema:  # an optional body: the model or nothing
            schema = next(s for s in schema["anyOf"] if "$ref" in s)
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        has_example = "example" in content or "examples" in content or "examples" in schema
        assert has_example, f"{service} {method.upper()} {path}: no request example"
