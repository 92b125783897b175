"""HTTP API: every endpoint, the limits and the errors (FastAPI TestClient)."""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from depeche.server.app import create_app  # noqa: E402

ARTICLES = [
    {"id": "berlin", "dct": "2024-03-12",
     "text": "Le chancelier allemand Olaf Scholz a reçu mardi à Berlin le président français Emmanuel Macron. "
             "« Nous devons aider l'Ukraine plus vite », a déclaré M. Macron après la rencontre. "
             "Les deux dirigeants se retrouveront en juillet au sommet de l'OTAN à Washington."},
    {"id": "onu", "dct": "2024-03-14",
     "text": "Le Conseil de sécurité de l'ONU s'est réuni jeudi à New York. La Russie a opposé son veto "
             "à une résolution sur le Soudan, a indiqué le secrétaire général Antonio Guterres."},
]


# Our own short articles (tests/data/web_corpus.json), a year apart at most.
CORPUS = json.loads((Path(__file__).parent / "data" / "web_corpus.json").read_text("utf-8"))
N_ARTICLES = len(ARTICLES) + len(CORPUS)


@pytest.fixture(scope="module")
def client(pipeline, tmp_path_factory):
    db = tmp_path_factory.mktemp("srv") / "t.db"
    app = create_app(str(db), max_body=20_000, pipeline=pipeline)
    c = TestClient(app)
    for a in ARTICLES + CORPUS:
        r = c.post("/api/articles", json=a)
        assert r.status_code == 201, r.text
    return c


@pytest.fixture()
def fresh(client):
    """The client with no language cookie left by an earlier test."""
    client.cookies.clear()
    return client


def test_concurrent_requests_get_their_own_analysis(client):
    from concurrent.futures import ThreadPoolExecutor

    bodies = [{"text": a["text"], "dct": a["dct"], "id": f"{a['id']}-{k}"} for k in range(4) for a in ARTICLES]
    alone = {b["id"]: client.post("/api/analyze", json=b).json() for b in bodies}
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # threads take turns often, as under load
    try:
        with ThreadPoolExecutor(4) as pool:
            together = list(pool.map(lambda b: client.post("/api/analyze", json=b).json(), bodies))
    finally:
        sys.setswitchinterval(interval)
    for d in together:
        assert d == alone[d["id"]]


def test_analyze_returns_the_contract(client):
    r = client.post("/api/analyze", json={"text": ARTICLES[0]["text"], "dct": "2024-03-12", "id": "x"})
    d = r.json()
    assert r.status_code == 200
    assert {"id", "dct", "lang", "warnings", "entities", "times", "quotes", "events"} <= set(d)
    assert d["id"] == "x" and any(t["text"] == "mardi" and t["value"] == "2024-03-12" for t in d["times"])


@pytest.mark.parametrize("body, status, code, field", [
    (b'{"text": "Le ministre', 422, "invalid_json", "body"),
    (json.dumps({"text": "Le ministre a parlé.", "dct": "2024-02-30"}).encode(), 422, "bad_date", "dct"),
    (json.dumps({"text": "Le ministre a parlé.", "dct": "hier"}).encode(), 422, "bad_date", "dct"),
    (json.dumps({"dct": "2024-02-03"}).encode(), 422, "invalid_request", "text"),
    (json.dumps({"text": "x" * 30_000}).encode(), 413, "too_large", None),
])
def test_analyze_errors(client, body, status, code, field):
    r = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status
    err = r.json()["error"]
    assert err["code"] == code and err["field"] == field and err["message"]


def test_storing_the_same_article_twice_stores_it_once(client):
    r = client.post("/api/articles", json=ARTICLES[0])
    assert r.status_code == 201 and r.json()["stored"] is False
    assert client.get("/api/articles").json()["count"] == N_ARTICLES


def test_articles_list_and_one_article(client):
    page = client.get("/api/articles", params={"limit": 1}).json()
    assert page["limit"] == 1 and len(page["items"]) == 1
    assert page["count"] == N_ARTICLES and page["pages"] == N_ARTICLES and page["page"] == 1
    one = client.get("/api/articles/berlin").json()
    assert one["id"] == "berlin" and one["text"].startswith("Le chancelier")
    assert any(e["name"].endswith("Macron") for e in one["entities"])
    assert client.get("/api/articles/nope").status_code == 404


def test_events_with_filters_and_pagination(client):
    all_ = client.get("/api/events").json()["items"]
    assert all_
    first = client.get("/api/events", params={"limit": 1, "offset": 0}).json()["items"]
    second = client.get("/api/events", params={"limit": 1, "offset": 1}).json()["items"]
    assert first and first[0]["id"] == all_[0]["id"]
    assert not second or second[0]["id"] == all_[1]["id"]
    t = all_[0]["type"]
    assert all(e["type"] == t for e in client.get("/api/events", params={"type": t}).json()["items"])
    ev = client.get(f"/api/events/{all_[0]['id']}").json()
    ids = {a["id"] for a in ARTICLES + CORPUS}
    assert ev["sources"] and ev["sources"][0]["article"] in ids


@pytest.mark.parametrize("params, field", [({"since": "mars"}, "since"), ({"until": "2024-13-01"}, "until")])
def test_events_bad_dates_name_the_field(client, params, field):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422 and r.json()["error"]["field"] == field


def test_entities_and_one_entity(client):
    items = client.get("/api/entities", params={"type": "PER"}).json()["items"]
    assert items and all(e["type"] == "PER" for e in items)
    ent = client.get(f"/api/entities/{items[0]['id']}").json()
    assert ent["name"] == items[0]["name"] and "names" in ent
    assert client.get("/api/entities/999999").status_code == 404


def test_quotes_and_search(client):
    qs = client.get("/api/quotes", params={"search": "Ukraine"}).json()["items"]
    assert any("Ukraine" in q["text"] for q in qs)
    hits = client.get("/api/search", params={"q": "veto"}).json()["items"]
    assert [h["article"] for h in hits] == ["onu"]
    assert client.get("/api/search").status_code == 422


def test_pages_render(client):
    for url in ("/", "/timeline", "/entities", "/quotes", "/search?q=sommet", "/articles/berlin"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "<html" in r.text


def test_untrusted_article_text_is_escaped(client):
    evil = ('Le ministre <script>window.pwned=1</script> a dit jeudi : « <img src=x onerror="alert(1)"> ». '
            'Le président " onmouseover="alert(2) est arrivé.')
    r = client.post("/analyze", data={"text": evil, "dct": "2024-03-12"})
    assert r.status_code == 200
    assert "<script>window" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;" in r.text
    assert 'onmouseover="alert' not in r.text


def test_no_external_assets(client):
    html = client.get("/").text
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200


@pytest.mark.parametrize("url", [
    "/api/events/9223372036854775808", "/api/events/99999999999999999999999", "/api/events/%E2%91%A0",
    "/api/events/-1", "/api/entities/9223372036854775808", "/api/entities/%D9%A3",
    "/api/articles/9223372036854775808", "/api/articles/%E2%91%A0", "/articles/%E2%91%A0",
    "/entities/18446744073709551616",
])
def test_ids_out_of_range_or_not_ascii_are_404(client, url):
    r = client.get(url)
    assert r.status_code == 404, (url, r.status_code)
    if url.startswith("/api/"):
        assert r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("url", ["/", "/api/articles", "/api/events/1", "/static/app.js", "/health"])
def test_every_response_has_security_headers(client, url):
    h = client.get(url).headers
    csp = h["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("text, code", [
    ("   \n  ", "empty"),
    ("The foreign ministers met on Wednesday in Brussels and agreed to send more air defence "
     "systems to Ukraine, the secretary general told reporters after the meeting.", "not_french"),
])
def test_post_articles_refuses_what_ingest_refuses(client, text, code):
    before = client.get("/api/articles").json()["count"]
    r = client.post("/api/articles", json={"text": text, "dct": "2024-03-12"})
    assert r.status_code == 422 and r.json()["error"]["code"] == code
    assert client.get("/api/articles").json()["count"] == before


def test_a_full_analysis_queue_answers_503(pipeline):
    c = TestClient(create_app(None, pipeline=pipeline, max_queue=0))
    r = c.post("/api/analyze", json={"text": "Le ministre a parlé mardi.", "dct": "2024-03-12"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "busy"


@pytest.mark.parametrize("url, params", [("/api/articles", {}), ("/api/events", {}), ("/api/entities", {}),
                                         ("/api/quotes", {}), ("/api/search", {"q": "veto"})])
@pytest.mark.parametrize("offset, status", [(2 ** 62, 200), (2 ** 63, 422), (10 ** 30, 422)])
def test_huge_offsets_are_an_empty_page_or_422(client, url, params, offset, status):
    r = client.get(url, params={**params, "offset": offset})
    assert r.status_code == status, r.text
    if status == 200:
        assert r.json()["items"] == []
    else:
        assert r.json()["error"]["field"] == "offset"


def test_framework_errors_have_the_documented_shape(pipeline):
    c = TestClient(create_app(None, max_body=1000, pipeline=pipeline))
    chunks = (b"x" * 500 for _ in range(10))  # chunked: no content-length
    r = c.post("/api/analyze", content=chunks, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    r = c.post("/api/analyze", content=b'{"text": "\xff\xfe"}', headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_json"
    r = c.get("/api/nowhere")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


# -- lists: total counts, pages, sorting, filters, downloads --------------------

@pytest.mark.parametrize("url, params", [("/api/articles", {}), ("/api/events", {}), ("/api/entities", {}),
                                         ("/api/quotes", {}), ("/api/search", {"q": "accord"})])
def test_every_list_gives_its_total_and_page_fields(client, url, params):
    whole = client.get(url, params={**params, "limit": 1000}).json()
    assert whole["count"] == len(whole["items"]) > 1
    two = client.get(url, params={**params, "limit": 1, "offset": 1}).json()
    assert two["count"] == whole["count"] and len(two["items"]) == 1
    assert two["items"][0] == whole["items"][1]
    assert (two["page"], two["pages"], two["limit"], two["offset"]) == (2, whole["count"], 1, 1)


@pytest.mark.parametrize("url, sort, key", [
    ("/api/events", "actor", "actor"), ("/api/events", "type", "type"),
    ("/api/entities", "name", "name"), ("/api/quotes", "date", "dct"), ("/api/articles", "date", "dct"),
])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_lists_sort_by_a_column_either_way(client, url, sort, key, order):
    import unicodedata

    items = client.get(url, params={"sort": sort, "order": order, "limit": 1000}).json()["items"]
    values = [unicodedata.normalize("NFKD", v).encode("ascii", "ignore").decode().lower()
              for v in (i[key] for i in items) if v]
    assert len(set(values)) > 1
    assert values == sorted(values, reverse=(order == "desc"))


@pytest.mark.parametrize("params, field", [({"sort": "colour"}, "sort"), ({"order": "up"}, "order"),
                                           ({"type": "DANCE"}, "type"), ({"mode": "maybe"}, "mode"),
                                           ({"limit": 0}, "limit")])
def test_bad_list_parameters_name_the_field(client, params, field):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422 and r.json()["error"]["field"] == field


@pytest.mark.parametrize("params, check", [
    ({"type": "CONSULT"}, lambda e: e["type"] == "CONSULT"),
    ({"mode": "planned"}, lambda e: e["mode"] == "planned"),
    ({"place": "Berlin"}, lambda e: e["location"] == "Berlin"),
    ({"actor": "Scholz"}, lambda e: "Scholz" in (e["actor"] or "")),
    ({"since": "2024-04", "until": "2024-04"}, lambda e: e["date_start"] <= "2024-04-30" and e["date_end"] >= "2024-04-01"),
])
def test_event_filters(client, params, check):
    items = client.get("/api/events", params=params).json()["items"]
    assert items and all(check(e) for e in items)


@pytest.mark.parametrize("name, params", [("events", {"type": "CONSULT"}), ("articles", {"since": "2024-04"}),
                                          ("entities", {"type": "PER"}), ("quotes", {"kind": "direct"}),
                                          ("search", {"q": "accord"})])
def test_each_filtered_list_downloads_as_csv_and_json(client, name, params):
    api = client.get(f"/api/{name}", params={**params, "limit": 1000}).json()
    r = client.get(f"/api/export/{name}.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == api["count"] > 0
    assert [row["id"] for row in rows] == [str(i["id"]) for i in api["items"]]
    j = client.get(f"/api/export/{name}.json", params=params).json()
    assert j["count"] == api["count"] and j["filters"] == params
    assert [i["id"] for i in j["items"]] == [i["id"] for i in api["items"]]


@pytest.mark.parametrize("url", ["/api/export/nothing.csv", "/api/export/events.xlsx"])
def test_unknown_downloads_are_json_404(client, url):
    r = client.get(url)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


# -- pages ----------------------------------------------------------------------

PAGES = ["/", "/events", "/articles", "/entities", "/quotes", "/search?q=accord", "/map", "/network",
         "/articles/berlin", "/events?type=CONSULT&sort=actor&order=asc", "/entities?type=PER&sort=name"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_french_by_default(fresh, url):
    r = fresh.get(url)
    assert r.status_code == 200, url
    assert '<html lang="fr">' in r.text and 'rel="icon"' in r.text
    assert "Événements" in r.text


@pytest.mark.parametrize("how", [{"params": {"lang": "en"}}, {"headers": {"accept-language": "en-GB,en;q=0.9"}}])
def test_pages_in_english_on_request(fresh, how):
    r = fresh.get("/events", **how)
    assert '<html lang="en">' in r.text and "Events over time" in r.text and "Événements" not in r.text


def test_the_language_switch_is_remembered(fresh):
    fresh.get("/articles", params={"lang": "en"})
    assert '<html lang="en">' in fresh.get("/quotes").text
    fresh.get("/articles", params={"lang": "fr"})
    assert '<html lang="fr">' in fresh.get("/quotes").text


def test_list_pages_are_paginated_with_totals(fresh):
    total = fresh.get("/api/events", params={"limit": 1000}).json()["count"]
    r = fresh.get("/events", params={"limit": 2, "page": 2})
    assert f"3–4 sur {total}" in r.text
    assert 'rel="prev"' in r.text and 'rel="next"' in r.text
    assert r.text.count('<a href="/events/') >= 2
    last = fresh.get("/events", params={"limit": 2, "page": -(-total // 2)}).text
    assert 'rel="next"' not in last


def test_list_pages_link_their_filtered_downloads(fresh):
    r = fresh.get("/events", params={"type": "CONSULT", "place": "Berlin", "page": 1})
    assert "/api/export/events.csv?type=CONSULT&amp;place=Berlin" in r.text
    assert "/api/export/events.json?type=CONSULT&amp;place=Berlin" in r.text


def test_readable_dates_on_pages(fresh):
    art = fresh.get("/articles/berlin").text
    assert "publié le 12 mars 2024" in art
    assert "juillet 2024" in art            # "en juillet", a month
    en = fresh.get("/articles/berlin", params={"lang": "en"}).text
    assert "published 12 March 2024" in en
    fresh.cookies.clear()
    corpus = fresh.get("/articles/lisbonne-accord").text
    assert "chaque mardi" in corpus and "2 semaines" in corpus


def test_undated_events_are_shown_as_reported_on_their_article_date(fresh):
    undated = [e for e in fresh.get("/api/events", params={"limit": 1000}).json()["items"] if e["undated"]]
    assert undated and all(e["reported"] for e in undated)
    page = fresh.get("/events", params={"limit": 200}).text
    assert "rapporté le" in page
    assert 'class="bar undated"' in page and "url(#hatch-" in page


def test_the_time_chart_has_labelled_axes_and_keeps_gaps(fresh):
    svg = re.search(r'<svg class="chart timechart".*?</svg>', fresh.get("/events").text, re.S).group(0)
    assert ">événements</text>" in svg and re.search(r"date \(par (jour|semaine|mois)\)", svg)
    xs = sorted({float(x) for x in re.findall(r'<rect class="bar[^"]*" x="([\d.]+)"', svg)})
    gaps = [b - a for a, b in zip(xs, xs[1:])]
    assert max(gaps) > 2.5 * min(gaps)    # months without events stay empty


def test_event_page_shows_every_source_sentence(fresh):
    # the meeting in Berlin (its sentence names the actor; the planned one in July says "les deux dirigeants")
    ev = next(e for e in fresh.get("/api/events", params={"limit": 1000}).json()["items"]
              if e["actor"] and "Scholz" in e["actor"] and e.get("mode") == "asserted")
    full = fresh.get(f"/api/events/{ev['id']}").json()
    html = fresh.get(f"/events/{ev['id']}").text
    assert html.count('<li class="source">') == len(full["sources"]) >= 1
    assert 'class="fact event' in html                      # the trigger is marked
    assert 'class="fact entity entity-PER"' in html and "/entities/" in html
    assert f'href="/articles/{full["sources"][0]["article"]}"' in html
    assert "affirmé" in html or "prévu" in html


def test_map_places_events_from_the_knowledge_base(fresh):
    html = fresh.get("/map").text
    assert '<svg class="map"' in html and html.count('class="country"') > 20
    assert re.search(r'<circle class="place[^"]*"[^>]*><title>Berlin: \d+</title>', html)
    only = fresh.get("/map", params={"place": "Dakar"}).text
    assert "<title>Dakar:" in only and "<title>Berlin:" not in only


def test_network_page_draws_who_acts_on_whom(fresh):
    html = fresh.get("/network").text
    assert html.count('<path class="edge"') >= 3 and 'class="node' in html
    assert "/events?actor=" in html


def test_old_timeline_address_leads_to_events(fresh):
    r = fresh.get("/timeline?type=AID", follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == "/events?type=AID"


# -- errors as pages and as JSON ------------------------------------------------

@pytest.mark.parametrize("url, status, field", [
    ("/nowhere", 404, None), ("/events/999999", 404, None), ("/articles/nope", 404, None),
    ("/events?since=mars", 422, "since"), ("/events?page=0", 422, "page"), ("/quotes?limit=x", 422, "limit"),
    ("/events?sort=colour", 422, "sort"),
])
def test_page_errors_are_html_pages_naming_the_field(fresh, url, status, field):
    r = fresh.get(url)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in r.text and 'class="error-page"' in r.text
    assert 'class="error-help"' in r.text        # what the error means, in French
    if field:
        assert f"<code>{field}</code>" in r.text


@pytest.mark.parametrize("url, status, field", [
    ("/api/nowhere", 404, None), ("/api/events/999999", 404, None), ("/api/events?limit=abc", 422, "limit"),
    ("/api/search", 422, "q"), ("/api/events?since=hier", 422, "since"),
])
def test_api_errors_are_json(client, url, status, field):
    r = client.get(url)
    assert r.status_code == status and r.headers["content-type"] == "application/json"
    assert set(r.json()) == {"error"} and r.json()["error"]["field"] == field


def test_api_docs_are_served_without_a_cdn(client):
    for url in ("/docs", "/redoc"):
        html = client.get(url).text
        assert "cdn." not in html and "https://" not in html
        for asset in re.findall(r'(?:src|href)="(/static-offline-docs/[^"]+)"', html):
            assert client.get(asset).status_code == 200, asset
    assert client.get("/openapi.json").json()["paths"]["/api/events"]


def test_favicon(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")


def test_serve_on_a_missing_store_says_so(tmp_path, capsys):
    from depeche.cli import main

    missing = tmp_path / "none.db"
    assert main(["serve", "--db", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "no knowledge store" in err and str(missing) in err and "--create" in err
    assert not missing.exists()


# -- helpers of the pages -------------------------------------------------------

@pytest.mark.parametrize("query, cookie, accept, lang", [
    (None, None, None, "fr"), ("en", None, None, "en"), (None, "en", "fr", "en"), ("xx", None, "en-US", "en"),
    (None, None, "de-DE,en;q=0.5,fr;q=0.8", "fr"), (None, None, "de", "fr"),
])
def test_language_choice(query, cookie, accept, lang):
    from depeche.server.i18n import pick

    assert pick(query, cookie, accept) == lang


@pytest.mark.parametrize("lang, n, word", [("fr", 0, "0 source"), ("fr", 1, "1 source"), ("fr", 3, "3 sources"),
                                           ("en", 0, "0 sources"), ("en", 1, "1 source")])
def test_plurals(lang, n, word):
    from depeche.server.i18n import Translator

    assert Translator(lang)("text.n_sources", n=n) == word


def test_every_interface_word_exists_in_both_languages():
    from depeche.server.i18n import words

    fr, en = words("fr"), words("en")
    assert {s: set(v) for s, v in fr.items()} == {s: set(v) for s, v in en.items()}


def test_country_outlines_give_a_centre_inside_the_country():
    from depeche.server import geo

    assert len(geo.countries()) > 170
    lon, lat = geo.country_centre("FR")
    assert -5 < lon < 8 and 42 < lat < 51
    assert geo.country_centre("ZZ") is None


def test_force_layout_is_deterministic_and_spreads_nodes():
    from depeche.server.charts import force_layout

    nodes = ["a", "b", "c", "d"]
    edges = [("a", "b", 2), ("b", "c", 1), ("c", "d", 1)]
    one, two = force_layout(nodes, edges), force_layout(nodes, edges)
    assert one == two
    pts = list(one.values())
    assert min(((x1 - x2) ** 2 + (y1 - y2) ** 2) ** .5 for i, (x1, y1) in enumerate(pts)
               for (x2, y2) in pts[i + 1:]) > 0.1
