"""Schemathesis against the OpenAPI schema, through the ASGI app: no 5xx, and every
response (status, content type, headers, body) as the schema documents it."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from silkway.serve.app import create_app
from silkway.serve.limits import Limits

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = 12
"""Generated requests per operation (positive and negative), derandomized."""


@pytest.fixture(scope="module")
def api_schema() -> Any:
    """The schema of an app with tight bounds, so that no generated query runs long."""
    app = create_app(limits=Limits(compute_seconds=2.0, max_samples=500, matrix_places=3))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_api_conforms_to_its_schema(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 13

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def conforms(case: Any) -> None:
            case.call_and_validate(checks=CHECKS)

        conforms()
