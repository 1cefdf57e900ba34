"""Schema-driven fuzzing of the running API: schemathesis generates requests from the
OpenAPI document (valid and invalid ones), sends them to a real ``crosspost serve`` over a
real crawl, and no answer may be a server error."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from serve_tools import get_json, server

from crawler.store import Store
from crawler.web import create_app


def _openapi() -> dict:
    """The document the server publishes (it does not depend on the store's content); the
    test below checks that the running server serves the same one."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "empty.db"
        Store(db).close()
        return create_app(db).openapi()


OPENAPI = _openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)


@pytest.fixture(scope="module")
def api(full_crawl):
    with server(full_crawl[0]) as url:
        yield url


def test_server_publishes_the_fuzzed_document(api):
    status, document = get_json(api + "openapi.json")
    assert status == 200 and document == OPENAPI


@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, api):
    response = case.call(base_url=api.rstrip("/"), timeout=15)
    assert response.status_code < 500, (case.method, case.path, case.query, response.text[:500])
    case.validate_response(response, checks=[not_a_server_error])
