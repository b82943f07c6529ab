"""Property-based API test: schemathesis generates requests from the OpenAPI spec of the whole app
(every route, the other pages' too) and no response may be a server error.

Each operation gets a bounded number of examples (valid and invalid input) so the run takes a couple
of minutes on two cores; GRADPATH_SCHEMA_EXAMPLES=200 runs deeper. The operations are driven from a
plain test (schemathesis's pytest plugin does not load on this pytest), and every failing operation is
reported, not just the first.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from gradpath.config import Settings

EXAMPLES = int(os.environ.get("GRADPATH_SCHEMA_EXAMPLES", "25"))


def _server_errors(operation: Any) -> list[str]:
    errors: list[str] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)  # fmt: skip
    def check(case: Any) -> None:
        response = case.call()
        if response.status_code >= 500:
            errors.append(f"{case.method} {case.formatted_path} query={case.query} → {response.status_code}")

    check()
    return errors


@pytest.mark.slow
def test_no_request_the_spec_allows_causes_a_server_error(catalog_settings: Settings) -> None:
    from gradpath.web.app import create_app

    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(catalog_settings))
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {op.label for op in operations}
    assert {"GET /programs.json", "GET /programs/{offering_id}.json", "GET /compare.json"} <= labels
    errors = [e for op in operations for e in _server_errors(op)]
    assert not errors, "\n".join(errors[:20])
