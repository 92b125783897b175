"""Browser tests: the web interface in headless Chromium, driven by Playwright.

They need Debian's chromium (``.ci/run`` installs it) and skip without it.
Screenshots are saved in ``artifacts/`` (or ``$DEPECHE_ARTIFACTS``).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads((ROOT / "src" / "depeche" / "examples" / "ue-moldavie-2025-03-18.json").read_text("utf-8"))
ARTIFACTS = Path(os.environ.get("DEPECHE_ARTIFACTS", ROOT / "artifacts"))


@pytest.fixture(scope="module")
def server(pipeline, tmp_path_factory):
    import uvicorn

    from depeche.server.app import create_app

    db = tmp_path_factory.mktemp("web") / "web.db"
    app = create_app(str(db), pipeline=pipeline)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        yield pg
        browser.close()


def test_analyse_page_marks_facts_and_flashes_evidence(server, page):
    page.goto(server + "/")
    page.fill("#text", EXAMPLE["text"])
    page.fill("#dct", EXAMPLE["dct"])
    page.click("button[type=submit]")
    page.wait_for_selector("#article-text")
    # Entity mentions and time expressions are highlighted in the text.
    assert page.locator("#article-text .fact.entity").count() >= 5
    jeudi = page.locator("#article-text .fact.time", has_text="jeudi").first
    jeudi.hover()
    assert jeudi.get_attribute("title") == "DATE 2025-03-20"   # the Thursday after a Tuesday DCT
    page.screenshot(path=str(ARTIFACTS / "analyse.png"), full_page=True)
    # Clicking an event in the list flashes its trigger in the text.
    item = page.locator("aside .event-item").first
    target = item.get_attribute("data-target")
    item.click()
    page.wait_for_selector(f'#article-text [data-fact="{target}"].flash', timeout=3000)
    page.screenshot(path=str(ARTIFACTS / "analyse-event-clicked.png"))


def test_article_page_links_entities_to_their_pages(server, page):
    import urllib.request

    req = urllib.request.Request(server + "/api/articles", data=json.dumps(EXAMPLE).encode(),
                                 headers={"content-type": "application/json"}, method="POST")
    urllib.request.urlopen(req).read()
    page.goto(server + "/articles/" + EXAMPLE["id"])
    link = page.locator("#article-text a.fact.entity").first
    name = link.get_attribute("title").split(" · ")[0]
    link.click()
    page.wait_for_url("**/entities/*")
    assert name in page.locator("h1").inner_text()
    page.screenshot(path=str(ARTIFACTS / "entity.png"), full_page=True)
    page.goto(server + "/timeline")
    assert page.locator("svg.chart").count() == 1
    page.screenshot(path=str(ARTIFACTS / "timeline.png"), full_page=True)
