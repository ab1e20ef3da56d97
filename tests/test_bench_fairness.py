"""``tocsin bench`` times both sides alike: in one process the tocsin run, like the
bare spaCy run, has its model loaded before its clock starts; with workers it is
loaded in the workers (on the clock) on both sides."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tocsin import bench, run


@pytest.mark.parametrize(("workers", "loaded_first"), [(1, True), (2, False)])
def test_the_model_is_loaded_before_the_clock_in_one_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, workers: int, loaded_first: bool
) -> None:
    calls: list[str] = []

    def fake_resources(settings: Any) -> tuple[None, None]:
        calls.append("load")
        return None, None

    def fake_ingest(paths: list[str], store: Any, **kw: Any) -> SimpleNamespace:
        calls.append("ingest")
        assert kw["workers"] == workers
        return SimpleNamespace(
            documents=2, exact_copies=0, near_copies=0, words_processed=7, events=1
        )

    monkeypatch.setattr(run, "_resources", fake_resources)
    monkeypatch.setattr(run, "ingest", fake_ingest)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    figures = bench.run_tocsin(corpus, workers, None)
    assert calls == (["load", "ingest"] if loaded_first else ["ingest"])
    assert figures["docs"] == 2 and figures["words"] == 7
