"""Optional parts of a build: claims and situations, warnings.

The API serves them when their modules are installed and answers 501 "not
available in this build" otherwise; ``/api/capabilities`` tells the dashboard
which panels to show, so it never asks for what is not there.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

import numpy as np

from tocsin.api.errors import NotAvailable
from tocsin.export import plain
from tocsin.store import Store

CLAIMS_MODULE = "tocsin.claims_store"
WARN_FEATURES = ("index", "indicators", "alerts")


def installed(module: str) -> bool:
    """True when ``module`` can be imported in this build."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def require(feature: str, module: str | None) -> ModuleType:
    """The module behind ``feature``, or a 501 :class:`NotAvailable`."""
    if module is None or not installed(module):
        raise NotAvailable(feature, module)
    return importlib.import_module(module)


def has_table(store: Store, name: str) -> bool:
    row = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def capabilities(store: Store) -> dict[str, Any]:
    """Which optional features this build and this store have."""
    claims = installed(CLAIMS_MODULE)
    return {
        "claims": claims,
        "situations": claims,
        "claims_stored": claims and has_table(store, "claims"),
        "situations_stored": claims and has_table(store, "situations"),
        **dict.fromkeys(WARN_FEATURES, True),
    }


def deep_plain(value: Any) -> Any:
    """``plain`` applied through lists and dicts (claims nested in situations)."""
    if isinstance(value, dict):
        return {k: deep_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [deep_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return deep_plain(value.tolist())
    return plain(value)


def document_claims(store: Store, doc_id: str) -> list[dict[str, Any]]:
    """The claims of one document, or [] when this build or store has none."""
    if not installed(CLAIMS_MODULE) or not has_table(store, "claims"):
        return []
    module = importlib.import_module(CLAIMS_MODULE)
    frame = module.query_claims(store, doc_id=doc_id)
    return [deep_plain(r) for r in frame.to_dict("records")]
