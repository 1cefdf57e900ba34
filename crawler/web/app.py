"""The ASGI application: the JSON API, the web page and its static files.

    app = create_app("crosspost.db")          # serve with uvicorn

The page is one HTML file whose script renders the API's answers with DOM text nodes only,
so scraped titles and attribution sentences can never become markup.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

from crawler import __version__
from crawler.web import errors
from crawler.web.api import router
from crawler.web.middleware import BodyLimit, ConcurrencyLimit, HostCheck, SecurityHeaders
from crawler.web.reader import StoreReader

#: Request bodies above this are refused with 413 (a pasted article is far smaller).
MAX_BODY_BYTES = 1024 * 1024
#: Requests in progress at once; more are answered 503 with Retry-After.
MAX_REQUESTS = 128
STATIC = files("crawler.web") / "static"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]


def _page() -> HTMLResponse:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html.replace("{{version}}", __version__),
                        headers={"Cache-Control": "no-cache"})


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.reader.close()


def create_app(
    db_path: str | Path,
    *,
    allowed_hosts: list[str] | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    cache_seconds: float = 5.0,
    allow_fetch: bool = False,
    max_requests: int = MAX_REQUESTS,
) -> FastAPI:
    """The application over the store at ``db_path`` (opened read-only).

    ``allowed_hosts`` restricts the Host header (``["*"]`` accepts any); ``None`` accepts
    only loopback names, which stops DNS-rebinding pages from reaching a local server.
    ``allow_fetch`` lets ``/api/provenance?fetch=true`` fetch unknown URLs behind the fetch
    guard (see :mod:`crawler.web.fetching`).
    """
    app = FastAPI(
        title="crosspost",
        version=__version__,
        description=(
            "Provenance of news articles: where a story first appeared, who republished it, "
            "how fast and whether they said so. Read-only."
        ),
        docs_url=None,  # the bundled docs pages load scripts from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=_lifespan,
    )
    app.state.reader = StoreReader(db_path, cache_seconds=cache_seconds)
    app.state.fetcher = None
    if allow_fetch:
        from crawler.web.fetching import Fetcher

        app.state.fetcher = Fetcher(db_path)
    errors.install(app)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> HTMLResponse:
        return _page()

    @app.get("/outlets", include_in_schema=False)
    def outlets_page() -> HTMLResponse:
        return _page()

    @app.get("/outlets/{domain}", include_in_schema=False)
    def outlet_page(domain: str) -> HTMLResponse:
        return _page()

    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(HostCheck, allowed_hosts=allowed_hosts or LOOPBACK_HOSTS)
    app.add_middleware(ConcurrencyLimit, max_requests=max_requests)
    app.add_middleware(SecurityHeaders)
    return app
