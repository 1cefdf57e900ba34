"""JSON errors: every failure answers ``{"error": {"status": ..., "message": ...}}``.

A stack trace never reaches the client: unexpected exceptions are logged on the server and
answered with a plain 500 message.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from crawler.web.middleware import SECURITY_HEADERS

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An answer with an HTTP error status and a message for the user."""

    def __init__(self, status: int, message: str, *, extra: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra or {}
        self.headers = headers


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorBody(BaseModel):
    """The body of every error answer."""

    error: ErrorDetail


def error_response(status: int, message: str, *, extra: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    body = {**(extra or {}), "error": {"status": status, "message": message}}
    response = JSONResponse(body, status_code=status, headers=headers)
    # Starlette answers unexpected errors outside every middleware: add the headers here too.
    for name, value in SECURITY_HEADERS:
        if name.decode() not in response.headers:
            response.raw_headers.append((name, value))
    return response


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def _api_error(request: Request, exc: ApiError) -> Response:
    return error_response(exc.status, exc.message, extra=exc.extra, headers=exc.headers)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    messages = {404: "not found", 405: "method not allowed"}
    message = exc.detail if isinstance(exc.detail, str) else messages.get(exc.status_code, "error")
    if exc.status_code == 404 and message == "Not Found":
        message = f"no such page: {request.url.path}"
    return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    return error_response(422, _validation_message(exc))


async def _database(request: Request, exc: sqlite3.OperationalError) -> Response:
    if "locked" in str(exc) or "busy" in str(exc):
        # a crawl holds the write lock for longer than the read timeout: try again shortly
        return error_response(503, "the database is busy; try again in a moment",
                              headers={"Retry-After": "2"})
    logger.exception("database error on %s", request.url.path)
    return error_response(500, "internal error (database)")


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unexpected error on %s", request.url.path)
    return error_response(500, "internal error")


def install(app: FastAPI) -> None:
    """Register the JSON error handlers on ``app``."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(sqlite3.OperationalError, _database)
    app.add_exception_handler(Exception, _unexpected)
