"""Browser tests: the web interface in headless Chromium, driven by Playwright.

They need Debian's chromium (``.ci/run`` installs it) and skip without it.
Screenshots of every page are saved in ``artifacts/`` (or ``$DEPECHE_ARTIFACTS``).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads((ROOT / "src" / "depeche" / "examples" / "ue-moldavie-2025-03-18.json").read_text("utf-8"))
SAHEL = json.loads((ROOT / "src" / "depeche" / "examples" / "sahel-2024-11-07.json").read_text("utf-8"))
CORPUS = json.loads((Path(__file__).parent / "data" / "web_corpus.json").read_text("utf-8"))
ARTIFACTS = Path(os.environ.get("DEPECHE_ARTIFACTS", ROOT / "artifacts"))


def _post(base: str, article: dict) -> None:
    req = urllib.request.Request(base + "/api/articles", data=json.dumps(article).encode(),
                                 headers={"content-type": "application/json"}, method="POST")
    urllib.request.urlopen(req).read()


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
    base = f"http://127.0.0.1:{port}"
    for a in CORPUS + [SAHEL]:
        _post(base, a)
    yield base
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A French-speaking browser tab; it fails the test on a console error
    (a Content-Security-Policy refusal among them) or a request to another host."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    pg = ctx.new_page()
    problems = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: problems.append("external " + r.url)
          if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    pg.problems = problems
    yield pg
    ctx.close()
    # a 404 or 422 page logs its status as a console error: that one is expected
    assert [p for p in problems if "status of 404" not in p and "status of 422" not in p] == []


def shot(page, name: str, full: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def test_analyse_page_marks_facts_and_flashes_evidence(server, page):
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.fill("#text", EXAMPLE["text"])
    page.fill("#dct", EXAMPLE["dct"])
    page.click("button[type=submit]")
    page.wait_for_selector("#article-text")
    # Entity mentions and time expressions are highlighted in the text.
    assert page.locator("#article-text .fact.entity").count() >= 5
    jeudi = page.locator("#article-text .fact.time", has_text="jeudi").first
    jeudi.hover()
    assert jeudi.get_attribute("title") == "DATE 2025-03-20"   # the Thursday after a Tuesday DCT
    assert "20 mars 2025" in page.locator("aside .times").inner_text()   # readable beside the text
    shot(page, "analyse")
    # Clicking an event in the list flashes its trigger in the text.
    item = page.locator("aside .event-item").first
    target = item.get_attribute("data-target")
    item.click()
    page.wait_for_selector(f'#article-text [data-fact="{target}"].flash', timeout=3000)
    shot(page, "analyse-event-clicked", full=False)


def test_article_page_links_entities_to_their_pages(server, page):
    _post(server, EXAMPLE)
    page.goto(server + "/articles/" + EXAMPLE["id"])
    assert "publié le 18 mars 2025" in page.locator("main").inner_text()
    shot(page, "article")
    link = page.locator("#article-text a.fact.entity").first
    name = link.get_attribute("title").split(" · ")[0]
    link.click()
    page.wait_for_url("**/entities/*")
    assert name in page.locator("h1").inner_text()
    shot(page, "entity")


def test_events_page_chart_pagination_and_sorting(server, page):
    page.goto(server + "/events?limit=20")
    assert page.locator("svg.timechart").count() == 1
    assert page.locator("svg.timechart rect.bar.undated").count() >= 1
    total = int(re.search(r"(\d+) au total", page.locator("h1").inner_text()).group(1))
    assert total > 20
    assert page.locator("table.events-list tbody tr").count() == 20
    shot(page, "events")
    shot(page, "events-viewport", full=False)   # the README's screenshot
    page.locator("nav.pager a.next").first.click()
    page.wait_for_url("**page=2**")
    assert f"21–{min(40, total)} sur {total}" in page.locator("nav.pager").first.inner_text()
    shot(page, "events-page-2")
    page.locator("th a.sort", has_text="type").click()
    page.wait_for_url("**sort=type**")
    types = page.locator("table.events-list tbody tr td:nth-child(2)").all_inner_texts()
    assert types == sorted(types)          # a first click sorts up, a second down
    page.locator("th a.sort", has_text="type").click()
    page.wait_for_url("**order=desc**")
    types = page.locator("table.events-list tbody tr td:nth-child(2)").all_inner_texts()
    assert types == sorted(types, reverse=True)


def test_events_filter_by_type(server, page):
    page.goto(server + "/events")
    page.select_option("select[name=type]", "CONSULT")
    page.click("form.filters button")
    page.wait_for_url("**type=CONSULT**")
    types = page.locator("table.events-list tbody tr td:nth-child(2)").all_inner_texts()
    assert types and set(types) == {"CONSULT"}
    href = page.locator("a.dl-csv").get_attribute("href")
    assert href.startswith("/api/export/events.csv?") and "type=CONSULT" in href
    with page.expect_download() as dl:
        page.click("a.dl-csv")
    rows = Path(dl.value.path()).read_text("utf-8").strip().splitlines()
    assert len(rows) == len(types) + 1
    shot(page, "events-filtered")


def test_event_page_highlights_its_source_sentences(server, page):
    page.goto(server + "/events?place=Berlin")
    page.locator("table.events-list tbody tr a").first.click()
    page.wait_for_url(re.compile(r".*/events/\d+$"))
    assert page.locator("li.source").count() >= 1
    assert page.locator("blockquote.evidence .fact.event").count() >= 1
    assert page.locator("blockquote.evidence a.fact.entity").count() >= 1
    assert page.locator("ul.entities li").count() >= 1
    shot(page, "event")


def test_articles_list_and_other_lists(server, page):
    page.goto(server + "/articles")
    n = page.locator("table.articles-list tbody tr").count()
    assert n == len(CORPUS) + 2
    shot(page, "articles")
    for url, name in (("/entities", "entities"), ("/quotes", "quotes"), ("/search?q=accord", "search")):
        page.goto(server + url)
        assert page.locator("table.list tbody tr").count() >= 1, url
        assert page.locator("nav.pager").count() >= 1, url
        shot(page, name)


def test_map_of_event_places(server, page):
    page.goto(server + "/map")
    assert page.locator("svg.map path.country").count() > 20
    berlin = page.locator("svg.map circle.place", has=page.locator("title", has_text="Berlin"))
    assert berlin.count() == 1
    box = page.locator("svg.map").bounding_box()
    assert box["width"] > 600 and box["height"] > 200
    shot(page, "map")
    berlin.click()
    page.wait_for_url("**place=Berlin**")
    places = page.locator("table.events-list tbody tr td:nth-child(6)").all_inner_texts()
    assert places and set(places) == {"Berlin"}


def test_actor_network(server, page):
    page.goto(server + "/network")
    assert page.locator("svg.network path.edge").count() >= 3
    shot(page, "network")


def test_error_pages(server, page):
    r = page.goto(server + "/events/999999")
    assert r.status == 404 and page.locator(".error-page").is_visible()
    shot(page, "error-404", full=False)
    r = page.goto(server + "/events?since=mars")
    assert r.status == 422 and page.locator(".error-field code").inner_text() == "since"
    shot(page, "error-422", full=False)


def test_english_switch(server, page):
    page.goto(server + "/events")
    page.click("header .langs a[hreflang=en]")
    page.wait_for_url("**lang=en**")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Events over time" in page.locator("main").inner_text()
    page.goto(server + "/articles")   # remembered
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "articles-en")


def test_api_docs_work_offline(server, page):
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 8
    shot(page, "docs", full=False)
