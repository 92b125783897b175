"""The lists of the workbench (events, articles, entities, quotes, search):
one filtered query per list over :class:`depeche.store.Store`, then sorting
and pagination, shared by the JSON API, the pages and the CSV/JSON downloads.

A list is sorted by one of its ``sorts`` keys (``sort=date``, ``order=asc`` or
``desc``) and cut into pages of ``limit`` rows from ``offset``; ``count`` is
the number of rows the filters keep, all pages together.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


@dataclass(frozen=True)
class ListSpec:
    name: str
    filters: tuple[str, ...]              # query parameters it is filtered by
    sorts: dict[str, Callable[[dict], Any]]  # sort key -> row key function
    default_sort: str
    default_order: str                     # "asc" or "desc"
    fetch: Callable[..., list[dict]]       # (store, **filters) -> every row kept
    columns: tuple[str, ...] = field(default=())  # columns of the CSV download, in order


def _text(v) -> tuple:
    """A sort key for text and missing values: missing last, case and accents ignored."""
    if v is None or v == "":
        return (1, "")
    import unicodedata

    s = unicodedata.normalize("NFKD", str(v)).encode("ascii", "ignore").decode().lower()
    return (0, s)


def _num(v) -> tuple:
    return (1, 0) if v is None else (0, v)


def _events(store, type=None, actor=None, recipient=None, place=None, mode=None, since=None, until=None,
            article=None):
    rows = store.events(type=type, actor=actor, recipient=recipient, location=place, mode=mode,
                        since=since, until=until)
    for r in rows:
        # the date the event is placed at on a time axis: its own, else its report's
        r["undated"] = not r.get("dated")
        r["reported"] = r.get("first_seen")
    return rows


def _articles(store, q=None, source=None, since=None, until=None):
    rows = store.articles()
    if q:
        hits = {r["article"] for r in store.search(q, limit=None)}
        rows = [r for r in rows if r["article"] in hits]
    if source:
        low = source.lower()
        rows = [r for r in rows if low in (r.get("source") or "").lower()]
    if since:
        rows = [r for r in rows if r.get("dct") and r["dct"][:len(since)] >= since]
    if until:
        rows = [r for r in rows if r.get("dct") and r["dct"][:len(until)] <= until]
    return rows


def _entities(store, type=None, name=None):
    rows = store.entities(type=type)
    if name:
        low = _text(name)[1]
        rows = [r for r in rows if low in _text(r["name"])[1]]
    return rows


def _quotes(store, speaker=None, search=None, kind=None, since=None, until=None):
    rows = store.quotes(speaker=speaker, search=search)
    if kind:
        rows = [r for r in rows if r.get("kind") == kind]
    if since:
        rows = [r for r in rows if r.get("dct") and r["dct"][:len(since)] >= since]
    if until:
        rows = [r for r in rows if r.get("dct") and r["dct"][:len(until)] <= until]
    return rows


def _search(store, q=None):
    if not q or not q.strip():
        return []
    rows = store.search(q, limit=None, mark=("\x02", "\x03"))
    for i, r in enumerate(rows, 1):  # the store gives the best match first
        r["rank"] = i
    return rows


def _event_date(r):
    return (r.get("date_start") or r.get("first_seen") or "", r.get("date_end") or "")


LISTS: dict[str, ListSpec] = {s.name: s for s in (
    ListSpec("events", ("type", "actor", "recipient", "place", "mode", "since", "until"),
             {"date": _event_date, "type": lambda r: r["type"], "mode": lambda r: r["mode"],
              "actor": lambda r: _text(r.get("actor")), "recipient": lambda r: _text(r.get("recipient")),
              "place": lambda r: _text(r.get("location")), "sources": lambda r: r.get("n_sources") or 0},
             "date", "desc", _events,
             ("id", "date", "undated", "reported", "type", "mode", "actor", "actor_kb_id", "recipient",
              "recipient_kb_id", "location", "date_start", "date_end", "n_sources", "n_mentions")),
    ListSpec("articles", ("q", "source", "since", "until"),
             {"date": lambda r: r.get("dct") or "", "headline": lambda r: _text(r.get("title")),
              "outlet": lambda r: _text(r.get("source")), "events": lambda r: r.get("n_events") or 0,
              "quotes": lambda r: r.get("n_quotes") or 0},
             "date", "desc", _articles,
             ("id", "article", "title", "source", "dct", "lang", "n_chars", "n_events", "n_quotes", "ingested_at")),
    ListSpec("entities", ("type", "name"),
             {"mentions": lambda r: r.get("n_mentions") or 0, "articles": lambda r: r.get("n_articles") or 0,
              "name": lambda r: _text(r.get("name")), "type": lambda r: r.get("type") or ""},
             "mentions", "desc", _entities, ("id", "name", "type", "kb_id", "n_articles", "n_mentions")),
    ListSpec("quotes", ("speaker", "search", "kind", "since", "until"),
             {"date": lambda r: r.get("dct") or "", "speaker": lambda r: _text(r.get("speaker")),
              "kind": lambda r: r.get("kind") or ""},
             "date", "desc", _quotes,
             ("id", "dct", "speaker", "speaker_kb_id", "kind", "text", "cue", "article", "start_char", "end_char")),
    ListSpec("search", ("q",),
             {"score": lambda r: r["rank"], "date": lambda r: r.get("dct") or "",
              "headline": lambda r: _text(r.get("title"))},
             "score", "asc", _search, ("id", "rank", "article", "dct", "title", "snippet", "score")),
)}


class BadParam(ValueError):
    """A list parameter out of its range; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def run(spec: ListSpec, store, filters: dict[str, Optional[str]], sort: Optional[str] = None,
        order: Optional[str] = None) -> list[dict]:
    """Every row of ``spec`` the filters keep, sorted."""
    sort = sort or spec.default_sort
    if sort not in spec.sorts:
        raise BadParam("sort", f"sort must be one of {', '.join(spec.sorts)}, not {sort!r}")
    order = order or (spec.default_order if sort == spec.default_sort else "asc")
    if order not in ("asc", "desc"):
        raise BadParam("order", f"order must be asc or desc, not {order!r}")
    kept = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in filters.items() if k in spec.filters}
    rows = spec.fetch(store, **kept)
    key = spec.sorts[sort]
    # stable sorts: ties keep the store's order (newest, most mentioned first)
    return sorted(rows, key=key, reverse=(order == "desc"))


@dataclass
class Page:
    items: list[dict]
    count: int      # every row the filters keep
    limit: int
    offset: int
    sort: str
    order: str

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.limit))

    def to_dict(self) -> dict:
        return {"count": self.count, "page": self.page, "pages": self.pages, "limit": self.limit,
                "offset": self.offset, "sort": self.sort, "order": self.order, "items": self.items}


def page(spec: ListSpec, rows: list[dict], limit: int, offset: int, sort: Optional[str],
         order: Optional[str]) -> Page:
    sort = sort or spec.default_sort
    order = order or (spec.default_order if sort == spec.default_sort else "asc")
    return Page(rows[offset:offset + limit], len(rows), limit, offset, sort, order)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v).replace("\x02", "").replace("\x03", "")


def to_csv(spec: ListSpec, rows: list[dict]) -> str:
    """The rows as CSV with a header, in the spec's column order."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(spec.columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in spec.columns])
    return buf.getvalue()


def to_json(spec: ListSpec, rows: list[dict], filters: dict) -> str:
    items = [{c: (r.get(c).replace("\x02", "").replace("\x03", "") if isinstance(r.get(c), str) else r.get(c))
              for c in spec.columns} for r in rows]
    return json.dumps({"list": spec.name, "filters": {k: v for k, v in filters.items() if v},
                       "count": len(items), "items": items}, ensure_ascii=False, indent=1)
