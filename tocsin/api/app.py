"""The FastAPI application behind ``tocsin serve``: the API and the dashboard.

``create_app(db_path, token=None)`` opens the store read-write once (the server
owns it while it runs) and serves:

- the API under ``/api/`` (documents, events, stats, claims, situations, index,
  indicators, alerts), its schema at ``/openapi.json``, docs at ``/api/docs``;
- the dashboard pages (``/``, ``/map``, ``/situations``, ``/documents``,
  ``/documents/{id}``) from :mod:`tocsin.web`, and its front-end libraries
  (Leaflet, topojson-client, world-atlas) from the npm packages the set-up
  installed (``node_modules``), under ``/vendor/``. Nothing comes from a CDN.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tocsin import __version__
from tocsin.api import (
    errors,
    routes_claims,
    routes_documents,
    routes_events,
    routes_stats,
    routes_warn,
)
from tocsin.api.deps import StoreHandle
from tocsin.api.watch import Watcher
from tocsin.run import Settings

MAX_UPLOAD_BYTES = 20_000_000
# Requests worked on at once. With one DuckDB thread per query, a few more than the
# cores keep every core busy while others hold Python's lock; 40 (AnyIO's default)
# only lengthened the queue's tail: at 50 clients on 2 cores p95 329/342 ms with 40,
# 316/304 with 12, same throughput (docs/dashboard.md).
REQUEST_THREADS = 12
# How long a thread holding Python's lock keeps it while another waits (Python's
# default: 5 ms). The event loop that reads requests and sends answers seems to wait
# for the lock behind the request threads (cores left idle); 0.2 ms gave 4-8 % more
# requests/s and a p95 11-36 ms lower at 50 clients (four alternating pairs of runs,
# docs/dashboard.md).
SWITCH_INTERVAL = 0.0002
PAGES = {"/": "index.html", "/map": "map.html", "/situations": "situations.html",
         "/documents": "documents.html"}  # fmt: skip
VENDOR = {
    "leaflet": "leaflet/dist",
    "topojson-client": "topojson-client/dist",
    "world-atlas": "world-atlas",
}


def web_dir() -> Path:
    """The folder of the dashboard's own HTML, JS and CSS."""
    return Path(str(resources.files("tocsin") / "web"))


def node_modules() -> Path | None:
    """Where the set-up's ``npm ci`` put the front-end packages (env TOCSIN_NODE_MODULES)."""
    candidates = [os.environ.get("TOCSIN_NODE_MODULES")]
    candidates += [str(Path(__file__).resolve().parents[2] / "node_modules"), "node_modules"]
    for c in candidates:
        if c and (Path(c) / "leaflet" / "dist" / "leaflet.js").is_file():
            return Path(c)
    return None


def content_security_policy(tiles: str | None) -> str:
    """Scripts only from this server; images also from the tile host, if one is set."""
    img = "'self' data:"
    if tiles:
        parts = urlsplit(tiles.replace("{s}", "a"))
        img += f" {parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src {img}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def create_app(
    db_path: str,
    token: str | None = None,
    *,
    model: str | None = None,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    tiles: str | None = None,
    watch: Sequence[str] = (),
    watch_interval: float = 60.0,
    query_threads: int | None = 1,
    request_threads: int = REQUEST_THREADS,
) -> FastAPI:
    """The API and dashboard over the store at ``db_path``.

    ``token`` enables writes (``Authorization: Bearer token``); without it the
    server is read-only. ``tiles`` is an optional online tile URL template the
    user may switch on in the map. ``watch`` lists folders, files or feeds
    ingested every ``watch_interval`` seconds inside the server. ``query_threads``
    is DuckDB's thread count for reads (:class:`tocsin.api.deps.StoreHandle`);
    ``request_threads`` how many requests are worked on at once (the others
    wait in line, first come first served).
    """
    handle = StoreHandle(db_path, query_threads=query_threads)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # FastAPI runs each request's work in AnyIO's worker threads (40 by default)
        anyio.to_thread.current_default_thread_limiter().total_tokens = request_threads
        switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        watcher = None
        if watch:
            watcher = Watcher(handle, watch, watch_interval, Settings(model=model))
            watcher.start()
        try:
            yield
        finally:
            if watcher:
                watcher.stop()
            handle.close()
            sys.setswitchinterval(switch)

    app = FastAPI(
        title="tocsin",
        version=__version__,
        summary="Events, claims, situations and warnings read from the news.",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.handle = handle
    app.state.token = token or None
    app.state.model = model
    app.state.max_upload_bytes = max_upload_bytes
    app.state.tiles = tiles
    errors.install(app)
    for module in (routes_stats, routes_events, routes_documents, routes_claims, routes_warn):
        app.include_router(module.router)
    _mount_web(app, content_security_policy(tiles))
    return app


def _mount_web(app: FastAPI, csp: str) -> None:
    """The dashboard pages, their assets and the vendored npm packages."""
    web = web_dir()
    for route, page in PAGES.items():
        app.add_api_route(route, _page(web / page), include_in_schema=False)
    app.add_api_route("/documents/{doc_id}", _page(web / "document.html"), include_in_schema=False)
    app.mount("/static", StaticFiles(directory=web), name="static")
    modules = node_modules()
    if modules:
        for name, sub in VENDOR.items():
            app.mount(f"/vendor/{name}", StaticFiles(directory=modules / sub), name=name)

    app.add_middleware(SecurityHeaders, csp=csp)


class SecurityHeaders:
    """ASGI middleware: the content security policy and friends on every response."""

    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _page(path: Path) -> Callable[[], FileResponse]:
    def serve() -> FileResponse:
        return FileResponse(path, media_type="text/html; charset=utf-8")

    return serve
