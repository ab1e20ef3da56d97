"""``tocsin serve``: the API and the dashboard over one store.

The server owns the store while it runs (DuckDB allows one writer): it opens it
read-write once, answers reads on cursors and serialises writes (``POST
/api/documents``, ``--watch``). Another process that tries to write gets a
"store in use by ..." message and can send documents through the API instead.
"""

from __future__ import annotations

import logging

import click

from tocsin.cli_common import Context, db_option, friendly_errors, pass_ctx


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default answers this machine only.")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--token", envvar="TOCSIN_TOKEN", metavar="T",
              help="Enable writes (POST /api/documents) for `Authorization: Bearer T` "
              "(env TOCSIN_TOKEN). Without it the server is read-only.")  # fmt: skip
@click.option("--max-upload", type=click.IntRange(1), default=20_000_000, show_default=True,
              metavar="BYTES", help="Largest POST body accepted (larger: 413).")  # fmt: skip
@click.option("--tiles", metavar="URL",
              help="An online tile layer the map may switch on, e.g. "
              "https://tile.example.org/{z}/{x}/{y}.png (default off: offline map).")  # fmt: skip
@click.option("--watch", "watch", multiple=True, metavar="PATH",
              help="A folder, file or feed to ingest inside the server every --interval "
              "seconds (repeatable).")  # fmt: skip
@click.option("--interval", type=click.FloatRange(1), default=60.0, show_default=True,
              help="Seconds between two passes of --watch.")  # fmt: skip
@click.option(
    "--query-threads",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="DuckDB threads per read query. 1 suits many clients at once (each "
    "request gets a core); raise it, or 0 for every core, when a few users "
    "run heavy queries. Writes always use every core.",
)
@db_option
@pass_ctx
@friendly_errors
def serve(
    ctx: Context,
    host: str,
    port: int,
    token: str | None,
    max_upload: int,
    tiles: str | None,
    watch: tuple[str, ...],
    interval: float,
    query_threads: int,
) -> None:
    """Serve the API (/api/, schema at /openapi.json) and the dashboard (/).

    \b
    Examples:
      tocsin serve --db crisis.duckdb                   http://127.0.0.1:8000/
      tocsin serve --port 9000 --token s3cret           writes need the token
      tocsin serve --watch inbox/ --interval 300        ingest new files as they come
      curl -H 'Authorization: Bearer s3cret' --data-binary @records.jsonl \\
           -H 'Content-Type: application/x-ndjson' http://127.0.0.1:9000/api/documents
    """
    import uvicorn

    from tocsin.api import create_app

    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        logging.getLogger(__name__).warning(
            "serving on %s without a token: reading is open to the network; writes are off",
            host,
        )
    app = create_app(
        ctx.db, token, model=ctx.model, max_upload_bytes=max_upload, tiles=tiles,
        watch=watch, watch_interval=interval, query_threads=query_threads or None,
    )  # fmt: skip
    click.echo(f"tocsin serving {ctx.db} on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
