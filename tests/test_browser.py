"""The dashboard in a real headless Chromium (Debian's), driven by Playwright.

Skipped with a reason when Chromium, Playwright or the npm front-end packages
are missing (the test set-up, scripts/setup-browser-tests.sh, installs them).
Screenshots of each page go to test-artifacts/ at the repository root.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE = Path(__file__).parent / "fixtures" / "web" / "hostile_article.json"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("chromium is not installed (apt-get install chromium; see docs/dashboard.md)")
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """The demo store, plus a hostile article, linked into situations when possible."""
    from tocsin.api.app import node_modules
    from tocsin.cli import main as cli_main
    from tocsin.models import RawDocument
    from tocsin.run import ingest
    from tocsin.store import Store

    chromium_path()
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if node_modules() is None:
        pytest.skip("the npm front-end packages are missing: run `npm ci` at the repository root")
    path = tmp_path_factory.mktemp("web") / "demo.duckdb"
    result = CliRunner().invoke(cli_main, ["--db", str(path), "demo"])
    assert result.exit_code == 0, result.output
    record = json.loads(HOSTILE.read_text(encoding="utf-8"))
    raw = RawDocument(source="hostile.json", content=record.pop("text"), content_type="text",
                      **record)  # fmt: skip
    with Store.open(str(path)) as store:
        assert ingest([], store, records=[raw]).documents == 1
        try:
            from tocsin.cli_claims import link_store
        except ImportError:
            pass
        else:
            link_store(store)
    return path


@pytest.fixture(scope="module")
def base_url(store_path):
    import uvicorn

    from tocsin.api import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(str(store_path)), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser_context(base_url, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture()
def page(browser_context):
    """A page that records console errors, page errors and dialogs."""
    page = browser_context.new_page()
    page.problems = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield page
    page.close()


def open_page(page, url: str, shot: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"))


@pytest.mark.parametrize(
    ("path", "shot", "ready"),
    [
        ("/", "overview", "#stat-documents"),
        ("/map", "map", "body[data-ready]"),
        ("/situations", "situations", "body[data-ready]"),
        ("/documents", "documents", "tr.doc"),
    ],
)
def test_pages_load_without_console_errors(page, base_url, path, shot, ready):
    open_page(page, base_url + path, shot)
    page.wait_for_selector(ready)
    assert page.problems == []
    assert page.locator("header.top nav a.active").count() == 1


def test_map_shows_the_demo_events(page, base_url):
    open_page(page, base_url + "/map", "map-all")
    page.wait_for_selector("body[data-ready]")
    points = page.locator("path.event-point").count()
    stats = page.request.get(base_url + "/api/stats").json()
    assert points == stats["events_geocoded"] > 0
    assert page.locator("#legend").is_visible()
    assert page.locator(".leaflet-overlay-pane path").count() > points  # the countries
    assert page.problems == []


def test_the_overview_defaults_to_the_90_days_up_to_the_latest_report(page, base_url):
    asked: list[str] = []
    page.on("request", lambda r: "/api/index" in r.url and asked.append(r.url))
    open_page(page, base_url + "/", "overview-window")
    page.wait_for_selector("#all-history")
    stats = page.request.get(base_url + "/api/stats").json()
    # the demo speaks of troops massed by the end of December: events end after
    # the last article, and the window must end at the last article, not there
    assert stats["last_date"] > stats["last_published"]
    last = date.fromisoformat(stats["last_published"])
    since = max(last - timedelta(days=89), date.fromisoformat(stats["first_date"]))
    assert page.locator("#filters input[name=since]").input_value() == since.isoformat()
    assert page.locator("#filters input[name=until]").input_value() == last.isoformat()
    assert asked and f"since={since.isoformat()}" in asked[-1]
    assert f"until={last.isoformat()}" in asked[-1]
    page.click("#all-history")  # the whole history: explicit dates, no note
    page.wait_for_load_state("networkidle")
    assert f"since={stats['first_date']}" in page.url
    assert page.locator("#window-note").inner_text() == ""
    assert page.problems == []


def test_a_filter_narrows_the_list_and_survives_a_reload(page, base_url):
    open_page(page, base_url + "/map", "map-before-filter")
    page.wait_for_selector("body[data-ready]")
    before = int(page.locator("#count").inner_text().replace(",", ""))
    page.evaluate("delete document.body.dataset.ready")
    page.select_option("#f-type", "ASSAULT")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("body[data-ready]")
    page.wait_for_function("document.querySelectorAll('#events li').length > 0")
    after = int(page.locator("#count").inner_text().replace(",", ""))
    assert 0 < after < before
    types = page.locator("#events li").evaluate_all("els => els.map(e => e.dataset.type)")
    assert set(types) == {"ASSAULT"}
    assert "type=ASSAULT" in page.url
    assert "type=ASSAULT" in page.locator("a.export-csv").get_attribute("href")
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert page.locator("#f-type").input_value() == "ASSAULT"
    assert int(page.locator("#count").inner_text().replace(",", "")) == after
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-filtered.png"))
    assert page.problems == []


def test_a_situation_shows_its_contradicting_claims(page, base_url):
    body = page.request.get(base_url + "/api/situations?status=contradicted").json()
    if not body.get("items"):
        pytest.skip("no contradicted situation in the demo store (no claims linked)")
    open_page(page, base_url + "/situations?status=contradicted", "situations-contradicted")
    page.wait_for_selector("section.situation")
    first = page.locator("section.situation").first
    assert first.get_attribute("data-status") == "contradicted"
    assert first.locator(".side-A .claim").count() >= 1
    assert first.locator(".side-B .claim").count() >= 1
    link = first.locator(".claim a").first.get_attribute("href")
    assert link.startswith(base_url + "/documents/") and "#c-" in link
    open_page(page, link, "document-from-claim")
    page.wait_for_selector("#doc-text mark.claim")
    assert page.locator("#doc-text #" + link.split("#")[1]).count() == 1
    assert page.problems == []


def test_hostile_article_is_shown_as_text_and_never_runs(page, base_url):
    docs = page.request.get(base_url + "/api/documents?outlet=Test Gazette").json()["items"]
    assert len(docs) == 1
    open_page(page, f"{base_url}/documents/{docs[0]['id']}", "document-hostile")
    page.wait_for_selector("body[data-ready]")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#doc-text script, #doc-text img, #title img, #doc-text a").count() == 0
    text = page.locator("#doc-text").inner_text()
    assert "<script>window.__pwned='script'</script>" in text
    assert "javascript:window.__pwned='link'" in text
    assert "<img src=x" in page.locator("#title").inner_text()
    assert page.locator("#source-link").get_attribute("href") == "#"
    page.click("#source-link")
    assert page.evaluate("window.__pwned") is None
    assert page.problems == []


def test_document_view_highlights_and_links_events(page, base_url):
    point = page.request.get(base_url + "/api/events/points?limit=1").json()["items"][0]
    doc_id, event_id = point["doc_id"], point["id"]
    open_page(page, f"{base_url}/documents/{doc_id}#ev-{event_id}", "document")
    page.wait_for_selector("body[data-ready]")
    assert page.locator(f"#doc-text #ev-{event_id}").count() == 1
    for kind in ("place", "event"):
        assert page.locator(f"#doc-text mark.{kind}").count() >= 1
    page.locator("#doc-text mark.place").first.click()
    assert "place:" in page.locator("#detail").inner_text()
    assert page.problems == []
