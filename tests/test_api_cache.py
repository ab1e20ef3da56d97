"""The generation cache of the API: values live until the next write."""

from __future__ import annotations

import threading
import time

from tocsin.api.cache import GenerationCache


def test_memo_computes_once_until_the_store_changes():
    cache = GenerationCache()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.memo("k", compute) == 1
    assert cache.memo("k", compute) == 1
    cache.bump()
    assert cache.memo("k", compute) == 2
    assert len(calls) == 2


def test_a_value_computed_across_a_write_is_not_kept():
    cache = GenerationCache()

    def compute_during_write() -> str:
        cache.bump()  # a write lands while the value is being computed
        return "stale"

    assert cache.memo("k", compute_during_write) == "stale"
    assert cache.get("k") == (False, None)


def test_least_recently_used_entries_go_first():
    cache = GenerationCache(max_entries=2)
    cache.memo("a", lambda: 1)
    cache.memo("b", lambda: 2)
    cache.memo("a", lambda: 99)  # a hit: "a" becomes the most recent
    cache.memo("c", lambda: 3)
    assert cache.get("a") == (True, 1)
    assert cache.get("b") == (False, None)
    assert cache.get("c") == (True, 3)


def test_zero_entries_caches_nothing():
    cache = GenerationCache(max_entries=0)
    assert cache.memo("k", lambda: 1) == 1
    assert cache.memo("k", lambda: 2) == 2


def test_concurrent_misses_compute_once():
    cache = GenerationCache()
    calls: list[int] = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.05)
        return "v"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.memo("k", slow))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["v"] * 8 and len(calls) == 1


def test_a_byte_budget_drops_the_oldest_answers_and_refuses_oversized_ones():
    cache = GenerationCache(max_entries=100, max_bytes=10)
    cache.put("a", b"aaaa", cache.generation, size=4)
    cache.put("b", b"bbbb", cache.generation, size=4)
    assert cache.nbytes == 8
    cache.put("c", b"cccc", cache.generation, size=4)  # 12 bytes: "a" goes
    assert cache.get("a") == (False, None)
    assert cache.get("b") == (True, b"bbbb") and cache.nbytes == 8
    cache.put("b", b"bb", cache.generation, size=2)  # replacing a value frees its bytes
    assert cache.nbytes == 6
    cache.put("big", b"x" * 11, cache.generation, size=11)  # larger than the whole budget
    assert cache.get("big") == (False, None) and cache.get("c") == (True, b"cccc")
    cache.bump()
    assert cache.nbytes == 0
