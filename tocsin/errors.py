"""Exceptions raised by tocsin.

    TocsinError                 base: every message says what went wrong and what to do
     +-- InputError             an input file, record or URL cannot be read or cleaned
     +-- ModelError             the spaCy model named cannot be loaded
     +-- GazetteerError         the gazetteer cannot be built, opened or imported
     +-- StoreError             the DuckDB store cannot be opened or written
     |    +-- StoreLockedError  another process holds the store
     +-- QueryError             a filter or option given to a query is invalid
     +-- ChecklistError         an indicator checklist is malformed (tocsin.warn.checklist)

Library code raises these; the CLI turns them into a one-line message and a
non-zero exit status. Per-input failures during ingest do not stop the run:
they become ``Skipped`` records.
"""

from __future__ import annotations


class TocsinError(Exception):
    """Base class of every error tocsin raises on purpose."""


class InputError(TocsinError):
    """An input cannot be read or cleaned. ``source`` names it."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ModelError(TocsinError):
    pass


class GazetteerError(TocsinError):
    pass


class StoreError(TocsinError):
    pass


class StoreLockedError(StoreError):
    pass


class QueryError(TocsinError):
    pass
