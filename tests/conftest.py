"""Shared fixtures. The spaCy model is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from tocsin.nlp.annotate import load_model

    return load_model()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="module")
def sql(client):
    """Run SQL on the server's own connection (the server owns the store); ``client``
    is the test module's own server."""
    con = client.app.state.handle.store.con

    def run(query: str, params: list | None = None) -> list[tuple]:
        return con.cursor().execute(query, params or []).fetchall()

    return run
