"""The HTTP API and the web interface, over the same library functions as the CLI.

``create_app(db=..., max_body=...)`` builds a FastAPI application:

- JSON API under ``/api`` (OpenAPI docs at ``/docs``): analyse, store and query;
- server-rendered pages: analyse a text, timeline, entities, quotes, articles, search.

Errors are JSON ``{"error": {"code", "message", "field"}}`` with a stable code.
"""
from __future__ import annotations

import json
import threading
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any, Optional

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import formats
from .. import load as load_pipeline
from ..errors import BadDateError, DepecheError, InputError, StoreError
from ..model import EVENT_TYPES, MODES
from ..nlp import check_dct
from . import charts
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
# The interactive docs (/docs) load Swagger UI with an inline bootstrap script.
_DOCS_CSP = (b"default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
             b"style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
             b"frame-ancestors 'none'")


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


def _page(limit: int, offset: int, items: list) -> dict:
    return {"limit": limit, "offset": offset, "count": len(items), "items": items}


def create_app(db: Optional[str] = None, max_body: int = DEFAULT_MAX_BODY, pipeline=None,
               max_queue: int = DEFAULT_MAX_QUEUE) -> FastAPI:
    """The application; ``db`` is the store file (created on first write);
    at most ``max_queue`` analyses run or wait for the analyser, the next get 503."""
    app = FastAPI(title="depeche", version=__import__("depeche").__version__,
                  description="French news articles to verifiable, structured knowledge.")
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(event_types=EVENT_TYPES, modes=MODES, colours=charts.TYPE_COLOURS)
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

    # The analysis contract's JSON Schema (depeche.formats) in the OpenAPI document.
    base_openapi = app.openapi

    def openapi():
        if app.openapi_schema is None:
            doc = base_openapi()
            doc.setdefault("components", {}).setdefault("schemas", {}).update(formats.openapi_components())
        return app.openapi_schema

    app.openapi = openapi

    # -- errors -------------------------------------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return _error(exc.status, exc.code, exc.message, exc.field)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errs = exc.errors()
        first = errs[0] if errs else {}
        loc = [str(x) for x in first.get("loc", ()) if x not in ("body", "query", "path")]
        if first.get("type") == "json_invalid":
            return _error(422, "invalid_json", "the request body is not valid JSON", "body")
        return _error(422, "invalid_request", first.get("msg", "invalid request"), ".".join(loc) or None)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        # The framework's own errors, in the documented shape: a body cut for
        # its size is 413, a body that cannot be parsed (bad UTF-8) is 422.
        if request.scope.get("depeche.too_large"):
            return _error(413, "too_large", f"request body over {max_body:,} bytes")
        if exc.status_code == 400:
            return _error(422, "invalid_json", "the request body could not be parsed", "body")
        if exc.status_code == 404:
            return _error(404, "not_found", "no such page")
        code = {405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(DepecheError)
    async def _depeche_error(request: Request, exc: DepecheError):
        return _error(400, exc.code, str(exc))

    # -- JSON API -------------------------------------------------------------

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

    @app.get("/api/articles", tags=["store"])
    def api_articles(limit: int = Query(PAGE_SIZE, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
        with open_store() as s:
            return _page(limit, offset, s.articles(limit=limit, offset=offset))

    @app.get("/api/articles/{ref}", tags=["store"])
    def api_article(ref: str):
        return fetch_one("analysis", _article_ref(ref), "article")

    @app.get("/api/events", tags=["store"])
    def api_events(type: Optional[str] = None, actor: Optional[str] = None, recipient: Optional[str] = None,
                   since: Optional[str] = None, until: Optional[str] = None, mode: Optional[str] = None,
                   location: Optional[str] = None,
                   limit: int = Query(PAGE_SIZE, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
        for name, value in (("since", since), ("until", until)):
            _check_date_param(name, value)
        with open_store() as s:
            rows = s.events(type=type, actor=actor, recipient=recipient, since=since, until=until,
                            mode=mode, location=location, limit=limit + offset)
        return _page(limit, offset, rows[offset:offset + limit])

    @app.get("/api/events/{event_id}", tags=["store"])
    def api_event(event_id: str):
        return fetch_one("event", event_id, "event", numeric=True)

    @app.get("/api/entities", tags=["store"])
    def api_entities(type: Optional[str] = None,
                     limit: int = Query(PAGE_SIZE, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
        with open_store() as s:
            rows = s.entities(type=type, top=limit + offset)
        return _page(limit, offset, rows[offset:offset + limit])

    @app.get("/api/entities/{entity_id}", tags=["store"])
    def api_entity(entity_id: str):
        return fetch_one("entity", entity_id, "entity", numeric=True)

    @app.get("/api/quotes", tags=["store"])
    def api_quotes(speaker: Optional[str] = None, search: Optional[str] = None,
                   limit: int = Query(PAGE_SIZE, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
        with open_store() as s:
            rows = s.quotes(speaker=speaker, search=search, limit=limit + offset)
        return _page(limit, offset, rows[offset:offset + limit])

    @app.get("/api/search", tags=["store"])
    def api_search(q: str = Query(..., min_length=1),
                   limit: int = Query(PAGE_SIZE, ge=1, le=1000), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
        with open_store() as s:
            rows = s.search(q, limit=limit + offset)
        return _page(limit, offset, rows[offset:offset + limit])

    # -- pages ------------------------------------------------------------------

    def render(request: Request, name: str, **ctx):
        return templates.TemplateResponse(request, name, {"has_store": db_path is not None, **ctx})

    def article_view(an: dict, entity_links: bool = False) -> dict:
        href = (lambda e: f"/entities/{e['store_id']}" if e.get("store_id") else None) if entity_links else None
        return {"an": an, "html": annotate(an.get("text", ""), facts_of(an, href))}

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
            return render(request, "analyze.html", view=None, text=text, dct=dct, error=e.message)
        an["text"] = text
        return render(request, "analyze.html", view=article_view(an), text=text, dct=dct, error=None)

    @app.get("/articles/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def page_article(request: Request, ref: str):
        an = fetch_one("analysis", _article_ref(ref), "article")
        return render(request, "article.html", view=article_view(an, entity_links=True))

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def page_timeline(request: Request, type: Optional[str] = None, actor: Optional[str] = None,
                      mode: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None):
        for name, value in (("since", since), ("until", until)):
            _check_date_param(name, value)
        with open_store() as s:
            rows = s.events(type=type or None, actor=actor or None, mode=mode or None,
                            since=since or None, until=until or None, limit=2000)
        present = [t for t in EVENT_TYPES if any(r["type"] == t for r in rows)]
        return render(request, "timeline.html", events=rows, chart=charts.weekly_bars(rows),
                      legend=charts.legend(present),
                      filters={"type": type or "", "actor": actor or "", "mode": mode or "",
                               "since": since or "", "until": until or ""})

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def page_entities(request: Request, type: Optional[str] = None):
        with open_store() as s:
            rows = s.entities(type=type or None, top=500)
        return render(request, "entities.html", entities=rows, type=type or "")

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_entity(request: Request, entity_id: str):
        ent = fetch_one("entity", entity_id, "entity", numeric=True)
        with open_store() as s:
            events = s.events(actor=str(ent["name"]), limit=500) + s.events(recipient=str(ent["name"]), limit=500)
            quotes = s.quotes(speaker=str(ent["name"]), limit=200)
        seen, evs = set(), []
        for ev in events:
            if ev["id"] not in seen:
                seen.add(ev["id"])
                evs.append(ev)
        edges = Counter((ev.get("actor"), ev.get("recipient")) for ev in evs)
        net = charts.network([(a, b, n) for (a, b), n in edges.items()], centre=ent["name"])
        return render(request, "entity.html", ent=ent, events=evs, quotes=quotes, network=net)

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def page_quotes(request: Request, speaker: Optional[str] = None, search: Optional[str] = None):
        with open_store() as s:
            rows = s.quotes(speaker=speaker or None, search=search or None, limit=500)
        return render(request, "quotes.html", quotes=rows, speaker=speaker or "", search=search or "")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def page_search(request: Request, q: str = ""):
        rows = []
        if q.strip():
            with open_store() as s:
                rows = s.search(q, limit=100, mark=("\x02", "\x03"))
        return render(request, "search.html", q=q, results=rows)

    @app.get("/health", include_in_schema=False)
    def health():
        return {"ok": True}

    return app


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
