"""Early warning: indicator checklists, an escalation index, alerts, back-testing.

The Python API returns pandas DataFrames::

    from tocsin.store import Store
    from tocsin.warn import index_series, evaluate_checklist, backtest, resolve_region

    with Store.open("crisis.duckdb", read_only=True) as store:
        series = index_series(store, region=resolve_region("UKR"))
        status = evaluate_checklist(store, "my_checklist.yaml")
        fired = backtest(store, [load_checklist("my_checklist.yaml")])

Modules: ``evidence`` (polarity and sources of each event), ``regions``,
``escalation`` (the index formula), ``checklist`` (YAML schema), ``indicators``
(states over time), ``alerts``, ``backtest``, ``watch``, ``charts``.
"""

from __future__ import annotations

from tocsin.warn.alerts import index_alerts, indicator_alerts
from tocsin.warn.backtest import IndexSpec, backtest
from tocsin.warn.checklist import (
    Checklist,
    ChecklistError,
    default_checklists,
    load_checklist,
    parse_checklist,
)
from tocsin.warn.escalation import index_components, index_series
from tocsin.warn.indicators import evaluate_checklist, indicator_timeline
from tocsin.warn.regions import Region, parse_pair, resolve_region

__all__ = [
    "Checklist", "ChecklistError", "IndexSpec", "Region", "backtest", "default_checklists",
    "evaluate_checklist", "index_alerts", "index_components", "index_series",
    "indicator_alerts", "indicator_timeline", "load_checklist", "parse_checklist",
    "parse_pair", "resolve_region",
]  # fmt: skip
