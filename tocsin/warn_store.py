"""Tables of the warning layer (``tocsin watch``): alerts already seen and posted.

Everything else the warning layer shows (index, indicator states, alerts) is
computed from ``events``, ``documents`` and ``reports`` on the fly, so a store
needs only one new table:

- ``warn_alerts``: one row per alert id that ``tocsin watch`` has reported, with
  its JSON payload and, when ``--post`` is used, when it was posted or why the
  post failed. A restarted watcher does not report or post an alert twice.

``WARN_MIGRATION`` is registered in ``tocsin.store.MIGRATIONS`` (version 3).
"""

from __future__ import annotations

WARN_MIGRATION = """
CREATE TABLE warn_alerts (
    id VARCHAR PRIMARY KEY, kind VARCHAR, subject VARCHAR, day DATE, severity VARCHAR,
    message VARCHAR, payload VARCHAR, first_seen TIMESTAMP, posted_at TIMESTAMP,
    post_error VARCHAR
)
"""
