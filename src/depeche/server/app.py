"""The HTTP API and the web interface, over the same library functions as the CLI.

``create_app(db=..., max_body=...)`` builds a FastAPI application:

- JSON API under ``/api`` (OpenAPI docs at ``/docs`` and ``/redoc``, their
  assets served by the app through ``fastapi-offline``): analyse, store and
  query; every list is paginated (``count`` is the total), sortable and
  filterable, and downloadable whole as CSV or JSON (``/api/export/<list>.csv``);
- server-rendered pages, in French by default and in English (``?lang=en`` or
  the browser's language): analyse a text, events (with a time chart), one
  event, articles, one article, entities, one entity, quotes, search, a map of
  event places and the actor network.

API errors are JSON ``{"error": {"code", "message", "field"}}`` with a stable
code, the framework's own 404 and validation errors included; the pages
answer errors with an HTML page that names the field.
"""
from __future__ import annotations

import json
import threading
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi_offline import FastAPIOffline
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import escape
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import formats
from .. import load as load_pipeline
from ..errors import BadDateError, DepecheError, InputError, StoreError
from ..model import EVENT_TYPES, MODES
from ..nlp import check_dct
from . import charts, geo, listing
from .i18n import Translator, pick as pick_lang
from .annotate import annotate, facts_of

DEFAULT_MAX_BODY = 1_000_000
DEFAULT_MAX_QUEUE = 8
PAGE_SIZE = 50
HERE = resources.files(__package__)


class ArticleIn(BaseModel):
    text: str = Field(..., description="the article text")
    dct: Optional[str] = Field(None, description="publication date, YYYY-MM-DD")
    id: Optional[str] = Field(None, description="your identifier for the article")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: Optional[str] = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def _error(status: int, code: str, message: str, field: Optional[str] = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "field": field}}, status_code=status)


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with 413."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await self._refuse(send)
        seen = 0

        async def limited():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    scope["depeche.too_large"] = True  # the framework may catch the error below
                    raise _TooLarge()
            return msg

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send):
        body = json.dumps({"error": {"code": "too_large", "field": None,
                                     "message": f"request body over {self.limit:,} bytes"}}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


# Sent with every response: no inline or foreign script runs (inline style
# attributes are allowed: the event-type colours use them), pages
# cannot be framed, MIME types are not sniffed, no referrer leaves the site.
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
     b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
# The interactive docs (/docs, /redoc) start Swagger UI and ReDoc with an
# inline bootstrap script; their assets are the app's own (fastapi-offline).
_DOCS_CSP = (b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
             b"img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'")


class SecurityHeaders:
    """ASGI middleware: add :data:`SECURITY_HEADERS` to every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        docs = scope.get("path", "") in ("/docs", "/redoc")

        async def send_with_headers(msg):
            if msg["type"] == "http.response.start":
                present = {k.lower() for k, _ in msg.get("headers", [])}
                extra = [(k, _DOCS_CSP if docs and k == b"content-security-policy" else v)
                         for k, v in SECURITY_HEADERS if k not in present]
                msg = {**msg, "headers": list(msg.get("headers", [])) + extra}
            await send(msg)

        await self.app(scope, receive, send_with_headers)


MAX_ID = 2 ** 63 - 1  # SQLite's integer range
MAX_OFFSET = 2 ** 62  # offset + limit stays inside it


def _store_id(ref: str) -> Optional[int]:
    """A path segment as a store row id: ASCII digits within SQLite's range, else None."""
    if ref.isascii() and ref.isdigit() and len(ref) <= 19 and int(ref) <= MAX_ID:
        return int(ref)
    return None


API_PREFIXES = ("/api/", "/openapi.json", "/health", "/static/", "/static-offline-docs/", "/docs", "/redoc")
PAGE_LIMITS = (20, 50, 100, 200)


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith(API_PREFIXES)


def create_app(db: Optional[str] = None, max_body: int = DEFAULT_MAX_BODY, pipeline=None,
               max_queue: int = DEFAULT_MAX_QUEUE) -> FastAPI:
    """The application; ``db`` is the store file (created on first write);
    at most ``max_queue`` analyses run or wait for the analyser, the next get 503."""
    app = FastAPIOffline(title="depeche", version=__import__("depeche").__version__,
                         description="French news articles to verifiable, structured knowledge.",
                         favicon_url="/static/favicon.svg")
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(event_types=EVENT_TYPES, modes=MODES, colours=charts.TYPE_COLOURS,
                                 entity_types=("PER", "ORG", "GPE", "LOC"), quote_kinds=("direct", "indirect", "mixed"),
                                 page_limits=PAGE_LIMITS)
    templates.env.filters["marks"] = _marks
    state: dict[str, Any] = {"pipeline": pipeline}
    db_path = Path(db) if db else None
    # Requests are served on several threads; the stages keep per-document
    # state on their instances, so one analysis runs at a time (they hold the
    # GIL anyway).
    analysis_lock = threading.Lock()
    # Requests waiting for the lock are counted; over ``max_queue`` the next
    # one is answered 503 at once instead of piling up.
    waiting = {"n": 0}
    waiting_lock = threading.Lock()

    def get_pipeline():
        if state["pipeline"] is None:
            state["pipeline"] = load_pipeline()
        return state["pipeline"]

    def open_store(create: bool = False):
        from ..store import Store

        if db_path is None:
            raise ApiError(503, "no_store", "the server was started without a store (--db)")
        try:
            return Store(db_path, create=create)
        except StoreError as e:
            raise ApiError(503, "no_store", str(e))

    def fetch_one(method: str, ref, what: str, numeric: bool = False):
        """One stored record (``Store.<method>(ref)``), or a 404. A ``numeric``
        reference that is not a row id (non-ASCII digits, over 2^63) is a 404."""
        if numeric:
            if _store_id(str(ref)) is None:
                raise ApiError(404, "not_found", f"no {what} {ref}")
            ref = _store_id(str(ref))
        with open_store() as s:
            item = getattr(s, method)(ref)
        if item is None:
            raise ApiError(404, "not_found", f"no {what} {ref}")
        return item

    def analyse(art: ArticleIn):
        try:
            dct = check_dct(art.dct)
        except BadDateError as e:
            raise ApiError(422, "bad_date", str(e), "dct")
        with waiting_lock:
            if waiting["n"] >= max_queue:
                raise ApiError(503, "busy", f"{max_queue} analyses are already waiting; retry later")
            waiting["n"] += 1
        try:
            with analysis_lock:
                return get_pipeline().analyze(art.text, dct=dct, id=art.id)
        except InputError as e:
            raise ApiError(422, e.code, str(e), "text")
        finally:
            with waiting_lock:
                waiting["n"] -= 1

    def run_list(name: str, filters: dict, sort: Optional[str], order: Optional[str]) -> list[dict]:
        spec = listing.LISTS[name]
        for key in ("since", "until"):
            _check_date_param(key, filters.get(key))
        if filters.get("type") and name == "events" and filters["type"].upper() not in EVENT_TYPES:
            raise ApiError(422, "bad_value", f"type must be a PLOVER type ({', '.join(EVENT_TYPES)})", "type")
        if filters.get("mode") and filters["mode"].lower() not in MODES:
            raise ApiError(422, "bad_value", f"mode must be one of {', '.join(MODES)}", "mode")
        try:
            with open_store() as s:
                return listing.run(spec, s, filters, sort, order)
        except listing.BadParam as e:
            raise ApiError(422, "bad_value", str(e), e.field)
        except BadDateError as e:
            raise ApiError(422, "bad_date", str(e), "since")

    def api_list(name: str, filters: dict, sort, order, limit: int, offset: int) -> dict:
        rows = run_list(name, filters, sort, order)
        return listing.page(listing.LISTS[name], rows, limit, offset, sort, order).to_dict()

    # -- language -------------------------------------------------------------

    def lang_of(request: Request) -> str:
        return pick_lang(request.query_params.get("lang"), request.cookies.get("lang"),
                         request.headers.get("accept-language"))

    # The analysis contract's JSON Schema (depeche.formats) in the OpenAPI document.
    base_openapi = app.openapi

    def openapi():
        if app.openapi_schema is None:
            doc = base_openapi()
            doc.setdefault("components", {}).setdefault("schemas", {}).update(formats.openapi_components())
        return app.openapi_schema

    app.openapi = openapi

    # -- errors -------------------------------------------------------------

    def error_response(request: Request, status: int, code: str, message: str, field: Optional[str] = None):
        if _is_api(request.url.path):
            return _error(status, code, message, field)
        t = Translator(lang_of(request))
        title = t("error.not_found") if status == 404 else t("error.invalid") if status == 422 \
            else t("error.no_store") if code == "no_store" else t("error.other")
        return templates.TemplateResponse(
            request, "error.html",
            {"has_store": db_path is not None, "t": t, "lang": t.lang, "url_with": _url_with(request),
             "status": status, "code": code, "message": message, "field": field, "title": title},
            status_code=status)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.code, exc.message, exc.field)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errs = exc.errors()
        first = errs[0] if errs else {}
        loc = [str(x) for x in first.get("loc", ()) if x not in ("body", "query", "path")]
        if first.get("type") == "json_invalid":
            return error_response(request, 422, "invalid_json", "the request body is not valid JSON", "body")
        field = ".".join(loc) or None
        msg = first.get("msg", "invalid request")
        return error_response(request, 422, "invalid_request", f"{field}: {msg}" if field and not _is_api(
            request.url.path) else msg, field)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        # The framework's own errors, in the documented shape: a body cut for
        # its size is 413, a body that cannot be parsed (bad UTF-8) is 422.
        if request.scope.get("depeche.too_large"):
            return _error(413, "too_large", f"request body over {max_body:,} bytes")
        if exc.status_code == 400:
            return error_response(request, 422, "invalid_json", "the request body could not be parsed", "body")
        if exc.status_code == 404:
            return error_response(request, 404, "not_found", f"no such page: {request.url.path}")
        code = {405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(DepecheError)
    async def _depeche_error(request: Request, exc: DepecheError):
        return error_response(request, 400, exc.code, str(exc))

    # -- JSON API -------------------------------------------------------------

    Limit = Query(PAGE_SIZE, ge=1, le=1000, description="rows per page")
    Offset = Query(0, ge=0, le=MAX_OFFSET, description="rows skipped")
    Sort = Query(None, description="sort key (see each list)")
    Order = Query(None, pattern="^(asc|desc)$", description="asc or desc")

    @app.post("/api/analyze", tags=["analysis"], summary="Analyse an article (the OUTPUT.md contract)",
              responses={200: {"description": "the analysis (schema: depeche/schema/analysis.schema.json)",
                               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Analysis"}}}}})
    def api_analyze(art: ArticleIn):
        return analyse(art).to_dict()

    @app.post("/api/articles", tags=["store"], status_code=201, summary="Analyse an article and store it")
    def api_store_article(art: ArticleIn):
        from ..store import make_record, unusable

        an = analyse(art)
        refused = unusable(an)
        if refused is not None:  # what `depeche ingest` refuses is not stored either
            raise ApiError(422, refused[0], refused[1], "text")
        with open_store(create=True) as s:
            row = s.write_article(make_record(an, source="api"))
        return {"stored": row is not None, "article_id": row, "analysis": an.to_dict()}

    @app.get("/api/articles", tags=["store"],
             summary="Stored articles; sort: date, headline, outlet, events, quotes")
    def api_articles(q: Optional[str] = None, source: Optional[str] = None, since: Optional[str] = None,
                     until: Optional[str] = None, sort: Optional[str] = Sort, order: Optional[str] = Order,
                     limit: int = Limit, offset: int = Offset):
        return api_list("articles", dict(q=q, source=source, since=since, until=until), sort, order, limit, offset)

    @app.get("/api/articles/{ref}", tags=["store"])
    def api_article(ref: str):
        return fetch_one("analysis", _article_ref(ref), "article")

    @app.get("/api/events", tags=["store"],
             summary="Merged events; sort: date, type, mode, actor, recipient, place, sources")
    def api_events(type: Optional[str] = None, actor: Optional[str] = None, recipient: Optional[str] = None,
                   since: Optional[str] = None, until: Optional[str] = None, mode: Optional[str] = None,
                   place: Optional[str] = None, location: Optional[str] = Query(None, description="= place"),
                   sort: Optional[str] = Sort, order: Optional[str] = Order,
                   limit: int = Limit, offset: int = Offset):
        return api_list("events", dict(type=type, actor=actor, recipient=recipient, since=since, until=until,
                                       mode=mode, place=place or location), sort, order, limit, offset)

    @app.get("/api/events/{event_id}", tags=["store"])
    def api_event(event_id: str):
        return fetch_one("event", event_id, "event", numeric=True)

    @app.get("/api/entities", tags=["store"], summary="Corpus entities; sort: mentions, articles, name, type")
    def api_entities(type: Optional[str] = None, name: Optional[str] = None, sort: Optional[str] = Sort,
                     order: Optional[str] = Order, limit: int = Limit, offset: int = Offset):
        return api_list("entities", dict(type=type, name=name), sort, order, limit, offset)

    @app.get("/api/entities/{entity_id}", tags=["store"])
    def api_entity(entity_id: str):
        return fetch_one("entity", entity_id, "entity", numeric=True)

    @app.get("/api/quotes", tags=["store"], summary="Quotes; sort: date, speaker, kind")
    def api_quotes(speaker: Optional[str] = None, search: Optional[str] = None, kind: Optional[str] = None,
                   since: Optional[str] = None, until: Optional[str] = None, sort: Optional[str] = Sort,
                   order: Optional[str] = Order, limit: int = Limit, offset: int = Offset):
        return api_list("quotes", dict(speaker=speaker, search=search, kind=kind, since=since, until=until),
                        sort, order, limit, offset)

    @app.get("/api/search", tags=["store"], summary="Full-text search of the articles; sort: score, date, headline")
    def api_search(q: str = Query(..., min_length=1), sort: Optional[str] = Sort, order: Optional[str] = Order,
                   limit: int = Limit, offset: int = Offset):
        d = api_list("search", dict(q=q), sort, order, limit, offset)
        for it in d["items"]:
            it["snippet"] = (it.get("snippet") or "").replace("\x02", "[").replace("\x03", "]")
        return d

    @app.get("/api/export/{name}.{fmt}", tags=["store"],
             summary="A whole filtered list as a CSV or JSON file (the list's filters and sort as parameters)")
    def api_export(request: Request, name: str, fmt: str):
        if name not in listing.LISTS:
            raise ApiError(404, "not_found", f"no list {name!r} (one of {', '.join(listing.LISTS)})")
        if fmt not in ("csv", "json"):
            raise ApiError(404, "not_found", f"no format {fmt!r} (csv or json)")
        spec = listing.LISTS[name]
        qp = request.query_params
        filters = {k: qp.get(k) for k in spec.filters}
        if name == "events" and not filters.get("place") and qp.get("location"):
            filters["place"] = qp.get("location")
        rows = run_list(name, filters, qp.get("sort") or None, qp.get("order") or None)
        if fmt == "csv":
            body, media = listing.to_csv(spec, rows), "text/csv; charset=utf-8"
        else:
            body, media = listing.to_json(spec, rows, filters), "application/json"
        return Response(body, media_type=media,
                        headers={"content-disposition": f'attachment; filename="depeche-{name}.{fmt}"'})

    # -- pages ------------------------------------------------------------------

    def render(request: Request, name: str, status: int = 200, **ctx):
        t = Translator(lang_of(request))
        resp = templates.TemplateResponse(
            request, name, {"has_store": db_path is not None, "t": t, "lang": t.lang,
                            "url_with": _url_with(request), **ctx}, status_code=status)
        asked = request.query_params.get("lang")
        if asked and asked.lower() == t.lang:
            resp.set_cookie("lang", t.lang, max_age=365 * 86400, samesite="lax")
        return resp

    def article_view(an: dict, entity_links: bool = False) -> dict:
        href = (lambda e: f"/entities/{e['store_id']}" if e.get("store_id") else None) if entity_links else None
        return {"an": an, "html": annotate(an.get("text", ""), facts_of(an, href))}

    def page_params(request: Request, name: str) -> tuple[dict, int, int, Optional[str], Optional[str]]:
        """A list page's filters, limit, offset, sort and order from its query."""
        qp = request.query_params
        spec = listing.LISTS[name]
        filters = {k: (qp.get(k) or "").strip() for k in spec.filters}
        limit = _int_param(qp.get("limit"), "limit", PAGE_SIZE, 1, 500)
        page = _int_param(qp.get("page"), "page", 1, 1, MAX_OFFSET // 500)
        return filters, limit, (page - 1) * limit, qp.get("sort") or None, qp.get("order") or None

    def list_page(request: Request, name: str, template: str, on_page=None, chart_of=None, **extra):
        """A list page; ``chart_of(rows)`` gives extra context from every row kept."""
        filters, limit, offset, sort, order = page_params(request, name)
        rows = run_list(name, filters, sort, order)
        if chart_of:
            extra.update(chart_of(rows))
        pg = listing.page(listing.LISTS[name], rows, limit, offset, sort, order)
        if on_page:
            on_page(pg.items)
        return render(request, template, pg=pg, rows=rows, filters=filters, list_name=name,
                      export=_export_query(request), **extra)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return FileResponse(str(HERE / "static" / "favicon.svg"), media_type="image/svg+xml")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_analyze_form(request: Request):
        return render(request, "analyze.html", view=None, text="", dct="", error=None)

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    async def page_analyze(request: Request):
        form = await request.form()
        text, dct = str(form.get("text", "")), str(form.get("dct", "")).strip()
        try:
            an = analyse(ArticleIn(text=text, dct=dct or None)).to_dict()
        except ApiError as e:
            return render(request, "analyze.html", status=e.status, view=None, text=text, dct=dct,
                          error=e.message, error_field=e.field)
        an["text"] = text
        return render(request, "analyze.html", view=article_view(an), text=text, dct=dct, error=None)

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def page_articles(request: Request):
        def counts(items):
            # entities and time expressions per article, for the rows shown only
            with open_store() as s:
                for a in items:
                    an = s.analysis(a["id"]) or {}
                    a["n_entities"], a["n_times"] = len(an.get("entities", [])), len(an.get("times", []))
        return list_page(request, "articles", "articles.html", on_page=counts)

    @app.get("/articles/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def page_article(request: Request, ref: str):
        an = fetch_one("analysis", _article_ref(ref), "article")
        with open_store() as s:
            art = s.article(an["article_id"])
        return render(request, "article.html", view=article_view(an, entity_links=True), title=art.get("title"))

    @app.get("/timeline", include_in_schema=False)
    def page_timeline(request: Request):
        q = request.url.query
        return RedirectResponse("/events" + (f"?{q}" if q else ""), status_code=301)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def page_events(request: Request):
        t = Translator(lang_of(request))

        def chart_of(rows):
            present = [ty for ty in EVENT_TYPES if any(r["type"] == ty for r in rows)]
            return {"chart": charts.time_bars(rows, t), "legend": charts.legend(present, t("text.undated"))}
        return list_page(request, "events", "events.html", chart_of=chart_of)

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_event(request: Request, event_id: str):
        ev = fetch_one("event", event_id, "event", numeric=True)
        sources, named = [], {}
        with open_store() as s:
            analyses: dict[int, dict] = {}
            for src in ev["sources"]:
                aid = src["article_id"]
                if aid not in analyses:
                    analyses[aid] = s.analysis(aid) or {}
                    analyses[aid]["title"] = (s.article(aid) or {}).get("title")
                src["article_title"] = analyses[aid]["title"]
                sources.append(_source_view(src, analyses[aid], named))
        return render(request, "event.html", ev=ev, sources=sources, named=list(named.values()))

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def page_entities(request: Request):
        return list_page(request, "entities", "entities.html")

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_entity(request: Request, entity_id: str):
        ent = fetch_one("entity", entity_id, "entity", numeric=True)
        with open_store() as s:
            events = s.events(actor=str(ent["name"])) + s.events(recipient=str(ent["name"]))
            quotes = s.quotes(speaker=str(ent["name"]), limit=200)
        seen, evs = set(), []
        for ev in events:
            if ev["id"] not in seen:
                seen.add(ev["id"])
                evs.append(ev)
        t = Translator(lang_of(request))
        net = charts.network(evs, t, centre=ent["name"], width=520, height=420,
                             href=lambda name: "/events?" + urlencode({"actor": name}))
        return render(request, "entity.html", ent=ent, events=evs, quotes=quotes, network=net)

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def page_quotes(request: Request):
        return list_page(request, "quotes", "quotes.html")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def page_search(request: Request):
        return list_page(request, "search", "search.html")

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def page_map(request: Request):
        filters, *_ = page_params(request, "events")
        rows = run_list("events", filters, None, None)
        t = Translator(lang_of(request))
        places, unplaced = _places(rows, filters)
        return render(request, "map.html", filters=filters, list_name="events", export=_export_query(request),
                      map=geo.render(places, label=t("title.map")), places=places, unplaced=unplaced,
                      n_events=len(rows))

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def page_network(request: Request):
        filters, *_ = page_params(request, "events")
        rows = run_list("events", filters, None, None)
        t = Translator(lang_of(request))
        top = 30
        net = charts.network(rows, t, top=top, href=lambda name: "/events?" + urlencode({"actor": name}))
        present = [ty for ty in EVENT_TYPES if any(r["type"] == ty and r.get("actor") and r.get("recipient")
                                                   for r in rows)]
        return render(request, "network.html", filters=filters, list_name="events", export=_export_query(request),
                      network=net, top=top, n_events=len(rows), legend=charts.legend(present))

    @app.get("/health", include_in_schema=False)
    def health():
        return {"ok": True}

    return app


def _int_param(value: Optional[str], name: str, default: int, lo: int, hi: int) -> int:
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()) or not lo <= int(value) <= hi:
        raise ApiError(422, "invalid_request", f"{name} must be a whole number from {lo} to {hi}, not {value!r}", name)
    return int(value)


def _url_with(request: Request):
    """For templates: this page's URL with some query parameters changed
    (None or "" drops one); a change of filter or sort goes back to page 1."""
    def url(path: Optional[str] = None, **changes) -> str:
        q = dict(request.query_params)
        if "page" not in changes:
            q.pop("page", None)
        for k, v in changes.items():
            if v is None or v == "":
                q.pop(k, None)
            else:
                q[k] = str(v)
        q.pop("lang", None) if "lang" not in changes else None
        qs = urlencode(q)
        return (path or request.url.path) + (f"?{qs}" if qs else "")
    return url


def _export_query(request: Request) -> str:
    q = {k: v for k, v in request.query_params.items() if v and k not in ("page", "limit", "lang")}
    return urlencode(q)


def _source_view(src: dict, an: dict, named: dict) -> dict:
    """One source of an event: its sentence with the trigger and the entities
    it names marked, and those entities added to ``named``."""
    from .annotate import Fact

    text = an.get("text") or ""
    a, b = src.get("evidence_start"), src.get("evidence_end")
    if a is None or b is None or not text:
        return {"src": src, "html": escape(src.get("evidence_text") or src.get("trigger_text") or "")}
    facts = []
    if src.get("trigger_start") is not None and a <= src["trigger_start"] < src["trigger_end"] <= b:
        facts.append(Fact(src["trigger_start"] - a, src["trigger_end"] - a, "event", "trigger", src["type"],
                          f"{src['type']} ({src['mode']})"))
    for e in an.get("entities", []):
        inside = [m for m in e.get("mentions", []) if a <= m["start"] and m["end"] <= b]
        for m in inside:
            href = f"/entities/{e['store_id']}" if e.get("store_id") else None
            facts.append(Fact(m["start"] - a, m["end"] - a, "entity", e["id"], e["type"],
                              f"{e['name']} · {e['type']}", href))
        if inside:
            key = e.get("store_id") or e["name"]
            named.setdefault(key, {"name": e["name"], "type": e["type"], "kb_id": e.get("kb_id"),
                                   "store_id": e.get("store_id")})
    return {"src": src, "html": annotate(text[a:b], facts)}


@lru_cache(maxsize=4096)
def _coordinates(name: str) -> Optional[tuple[float, float, bool]]:
    """(lon, lat, country-level) of a place name from the knowledge base, or None."""
    try:
        from ..kb import get as kb_get

        rec = kb_get().lookup(name)
    except Exception:  # no KB on this machine: the map shows no point
        return None
    if rec is None:
        return None
    if rec.lat is not None and rec.lon is not None:
        return rec.lon, rec.lat, False
    if rec.kind == "country":
        c = geo.country_centre(rec.country or (rec.kb_id if rec.kb_id and len(rec.kb_id) == 2 else None))
        if c:
            return c[0], c[1], True
    return None


def _places(rows: list[dict], filters: dict) -> tuple[list, list]:
    counts = Counter(r["location"] for r in rows if r.get("location"))
    places, unplaced = [], []
    keep = {k: v for k, v in filters.items() if v}
    for name, n in counts.most_common():
        c = _coordinates(name)
        if c is None:
            unplaced.append(name)
            continue
        places.append(geo.Place(name, c[0], c[1], n, "/events?" + urlencode({**keep, "place": name}),
                                country_level=c[2]))
    return places, unplaced


def _marks(snippet: Optional[str]):
    """A search snippet with its match marks (\\x02 … \\x03) as <mark>, the rest escaped."""
    from markupsafe import Markup, escape

    return Markup(str(escape(snippet or "")).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def _article_ref(ref: str):
    """An article reference: a row id when it is one, else the caller's article id."""
    row = _store_id(ref)
    return row if row is not None else ref


def _check_date_param(name: str, value: Optional[str]) -> None:
    if not value:
        return
    import re

    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise ApiError(422, "bad_date", f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}", name)
    if len(value) == 10:
        try:
            check_dct(value)
        except BadDateError as e:
            raise ApiError(422, "bad_date", str(e), name)


def create_app_from_env() -> FastAPI:
    """For ``uvicorn --factory depeche.server.app:create_app_from_env``."""
    import os

    return create_app(os.environ.get("DEPECHE_DB", "depeche.db"),
                      int(os.environ.get("DEPECHE_MAX_BODY", DEFAULT_MAX_BODY)),
                      max_queue=int(os.environ.get("DEPECHE_MAX_QUEUE", DEFAULT_MAX_QUEUE)))
