"""HTTP API: every endpoint, the limits and the errors (FastAPI TestClient)."""
from __future__ import annotations

import json
import sys

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


@pytest.fixture(scope="module")
def client(pipeline, tmp_path_factory):
    db = tmp_path_factory.mktemp("srv") / "t.db"
    app = create_app(str(db), max_body=20_000, pipeline=pipeline)
    c = TestClient(app)
    for a in ARTICLES:
        r = c.post("/api/articles", json=a)
        assert r.status_code == 201, r.text
    return c


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
    assert client.get("/api/articles").json()["count"] == 2


def test_articles_list_and_one_article(client):
    page = client.get("/api/articles", params={"limit": 1}).json()
    assert page["limit"] == 1 and page["count"] == 1
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
    assert ev["sources"] and ev["sources"][0]["article"] in ("berlin", "onu")


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
