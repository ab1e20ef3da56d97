"""``tocsin watch``: ingest a folder or feed every N minutes and report new alerts.

Each cycle ingests what is new (ingest is idempotent: known records add
nothing), recomputes the alerts over the whole store (index per ``by`` region
and the checklists' indicator changes), and reports the ones whose id is not
yet in ``warn_alerts``. With a URL, each new alert is POSTed as JSON; a failed
post is logged and kept in ``warn_alerts.post_error``, and the watch goes on.
The HTTP client and the ingest function are injected, so tests never touch
the network or load a model.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pandas as pd

from tocsin.export import plain
from tocsin.store import Store
from tocsin.warn.alerts import index_alerts, indicator_alerts
from tocsin.warn.backtest import IndexSpec
from tocsin.warn.checklist import Checklist
from tocsin.warn.escalation import contributions, daily_index, select
from tocsin.warn.evidence import event_evidence

log = logging.getLogger(__name__)

IngestFn = Callable[[Sequence[str], Store], Any]


@dataclass
class WatchSettings:
    """What one watch cycle does."""

    paths: Sequence[str]
    checklists: Sequence[Checklist] = ()
    spec: IndexSpec = field(default_factory=lambda: IndexSpec(by="country"))
    post_url: str | None = None
    since: date | None = None  # ignore alerts about days before this one
    model: str | None = None
    workers: int = 1


def parse_interval(text: str) -> float:
    """``"90s"``, ``"10m"``, ``"2h"`` or a number of minutes -> seconds."""
    value = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600}
    unit = units.get(value[-1:], 0)
    try:
        seconds = float(value[:-1]) * unit if unit else float(value) * 60
    except ValueError as exc:
        raise ValueError(f"{text!r} is not an interval such as 30s, 10m or 1h") from exc
    if seconds <= 0:
        raise ValueError(f"{text!r}: the interval must be positive")
    return seconds


def current_alerts(store: Store, settings: WatchSettings) -> pd.DataFrame:
    """Every alert the store supports now (index and indicators), oldest first."""
    frame = event_evidence(store)
    spec = settings.spec
    scored = contributions(select(frame, spec.region, spec.pair))
    label = spec.region.label if spec.region else "all"
    series = daily_index(scored, by=spec.by, label=label)
    parts = [
        index_alerts(series, scored, threshold=spec.threshold, baseline_days=spec.baseline_days,
                     min_baseline=spec.min_baseline, min_scale=spec.min_scale,
                     region_column=spec.by)
    ]  # fmt: skip
    parts += [indicator_alerts(frame, c) for c in settings.checklists]
    out = pd.concat([p for p in parts if not p.empty] or parts, ignore_index=True)
    if settings.since is not None and not out.empty:
        out = out[out["day"] >= settings.since]
    return out.sort_values(["day", "kind", "subject"], kind="stable").reset_index(drop=True)


def alert_json(alert: dict[str, Any]) -> dict[str, Any]:
    """A JSON-ready alert (dates as ISO strings)."""
    out = {k: plain(v) for k, v in alert.items() if k != "evidence"}
    out["evidence"] = [{k: plain(v) for k, v in e.items()} for e in alert.get("evidence") or []]
    return out


def watch_once(
    store: Store,
    settings: WatchSettings,
    *,
    ingest_fn: IngestFn | None = None,
    client: httpx.Client | None = None,
) -> list[dict[str, Any]]:
    """One cycle: ingest, compute alerts, record and (optionally) post the new ones."""
    (ingest_fn or _default_ingest(settings))(settings.paths, store)
    alerts = current_alerts(store, settings)
    seen = {r[0] for r in store.con.execute("SELECT id FROM warn_alerts").fetchall()}
    fresh = [alert_json(a) for a in alerts.to_dict("records") if a["id"] not in seen]
    for alert in fresh:
        posted, error = None, None
        if settings.post_url and client is not None:
            posted, error = _post(client, settings.post_url, alert)
        store.con.execute(
            "INSERT INTO warn_alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [alert["id"], alert["kind"], alert["subject"], alert["day"], alert["severity"],
             alert["message"], json.dumps(alert, ensure_ascii=False), _now(), posted, error],
        )  # fmt: skip
    return fresh


def _post(
    client: httpx.Client, url: str, alert: dict[str, Any]
) -> tuple[datetime | None, str | None]:
    try:
        response = client.post(url, json=alert, timeout=10.0)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        log.warning("could not post alert %s to %s: %s", alert["id"], url, exc)
        return None, str(exc) or type(exc).__name__
    return _now(), None


def watch(
    db: str,
    settings: WatchSettings,
    every_seconds: float,
    *,
    times: int | None = None,
    on_alert: Callable[[dict[str, Any]], None] = lambda a: None,
    ingest_fn: IngestFn | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run cycles every ``every_seconds`` (``times`` cycles, or forever); returns alerts seen."""
    own_client = client is None and settings.post_url is not None
    http = httpx.Client() if own_client else client
    total, cycle = 0, 0
    try:
        while times is None or cycle < times:
            if cycle:
                sleep(every_seconds)
            with Store.open(db) as store:
                for alert in watch_once(store, settings, ingest_fn=ingest_fn, client=http):
                    on_alert(alert)
                    total += 1
            cycle += 1
    finally:
        if own_client and http is not None:
            http.close()
    return total


def _default_ingest(settings: WatchSettings) -> IngestFn:
    def run(paths: Sequence[str], store: Store) -> Any:
        from tocsin.run import Settings, ingest

        return ingest(
            paths, store, settings=Settings(model=settings.model), workers=settings.workers
        )

    return run


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
