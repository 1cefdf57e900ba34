"""How rows are written: timestamps, and captures as stored."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from typing import Any


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def capture_row(capture: dict[str, Any], level: int = 6) -> dict[str, Any]:
    """A capture as stored: the body zlib-compressed with its size, headers as JSON."""
    capture = dict(capture)
    body = capture.pop("body", None)
    if body is not None:
        capture["body_size"] = len(body)
        capture["body"] = zlib.compress(body, level)
    if isinstance(capture.get("headers"), dict):
        capture["headers"] = json.dumps(capture["headers"], sort_keys=True)
    return capture
