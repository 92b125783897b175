"""The knowledge store: a corpus of analysed articles in one SQLite file.

A :class:`Store` keeps articles (with their text, so every fact can be shown
in context), corpus-wide entities (one per KB identifier, else per
normalised name), mentions, times, quotes, events with their arguments and
warnings, plus the inputs that failed and why. The file is opened in WAL
mode with foreign keys on; its schema is versioned by named migrations
(table ``schema_migrations``). Article text and quotes are indexed with FTS5.

Ingesting is split so analysis can run elsewhere (a worker pool):

- :func:`make_record` turns one :class:`~depeche.model.Analysis` into a plain
  dict (picklable, JSON-able);
- :meth:`Store.write_article` writes one record in one transaction, skipping
  an article whose normalised text hash is already stored (recording it as
  one more source of that article when it comes under a new id) and
  refusing a new text under an id given for another (``id_conflict``);
- :func:`ingest` reads paths, skips known articles *before* analysing them,
  analyses the rest and writes each one as it comes, so a crash loses at
  most the article in flight and a re-run continues where it stopped.

Cross-article merging: an event of an article joins a stored event of the
same type whose actor and recipient identifiers (KB id, else normalised
name) are the same and whose date agrees at its granularity ("2024-04"
contains "2024-04-03"); modes must be compatible (a planned act and the
act reported as done merge; a negated or hypothetical one only with its
like). An event the text does not date is taken to have happened in the
days up to its article's publication (``report_window``): it merges with a
dated event inside that window, or with another undated report whose window
overlaps. Events with neither actor nor recipient are never merged. Every
supporting mention is kept in ``event_sources``.
"""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import os
import re
import sqlite3
import sys
import time
from collections import deque
from types import SimpleNamespace
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Optional, Union
from urllib.parse import quote

from . import lang as langdata
from .kb.build import norm as kb_norm
from .errors import ArticleIdConflictError, ExportExistsError, StoreError

DEFAULT_DB = "depeche.db"
EXPORT_FORMATS = ("parquet", "csv", "jsonl")

# -- schema -------------------------------------------------------------------

_SCHEMA_1 = """
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  ext_id TEXT,
  source TEXT,
  title TEXT,
  dct TEXT,
  lang TEXT NOT NULL,
  text TEXT NOT NULL,
  text_hash TEXT NOT NULL UNIQUE,
  ingested_at TEXT NOT NULL
);
CREATE INDEX articles_dct ON articles(dct);
CREATE INDEX articles_ext ON articles(ext_id);
CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, text, content='articles', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE entities (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  kb_id TEXT,
  name TEXT NOT NULL,
  norm TEXT NOT NULL,
  type TEXT NOT NULL
);
CREATE INDEX entities_kb ON entities(kb_id);
CREATE TABLE entity_names (
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  norm TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (entity_id, norm)
) WITHOUT ROWID;
CREATE INDEX entity_names_norm ON entity_names(norm);
CREATE TABLE article_entities (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL,
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  kb_id TEXT,
  aliases TEXT NOT NULL DEFAULT '[]',
  roles TEXT NOT NULL DEFAULT '[]',
  UNIQUE (article_id, local_id)
);
CREATE INDEX article_entities_entity ON article_entities(entity_id);
CREATE TABLE mentions (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  article_entity_id INTEGER NOT NULL REFERENCES article_entities(id) ON DELETE CASCADE,
  entity_id INTEGER NOT NULL REFERENCES entities(id),
  start_char INTEGER NOT NULL,
  end_char INTEGER NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE TABLE times (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start_char INTEGER NOT NULL,
  end_char INTEGER NOT NULL,
  text TEXT NOT NULL,
  type TEXT NOT NULL,
  value TEXT,
  point TEXT
);
CREATE INDEX times_article ON times(article_id);
CREATE TABLE quotes (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start_char INTEGER NOT NULL,
  end_char INTEGER NOT NULL,
  text TEXT NOT NULL,
  kind TEXT NOT NULL,
  speaker TEXT,
  speaker_local_id TEXT,
  speaker_entity_id INTEGER REFERENCES entities(id),
  cue_start INTEGER,
  cue_end INTEGER,
  cue_text TEXT
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_speaker ON quotes(speaker_entity_id);
CREATE VIRTUAL TABLE quotes_fts USING fts5(
  text, content='quotes', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  mode TEXT NOT NULL,
  actor TEXT,
  actor_key TEXT,
  actor_entity_id INTEGER REFERENCES entities(id),
  recipient TEXT,
  recipient_key TEXT,
  recipient_entity_id INTEGER REFERENCES entities(id),
  location TEXT,
  location_entity_id INTEGER REFERENCES entities(id),
  date TEXT,
  date_start TEXT,
  date_end TEXT,
  n_sources INTEGER NOT NULL DEFAULT 0,
  n_mentions INTEGER NOT NULL DEFAULT 0,
  first_seen TEXT,
  last_seen TEXT
);
CREATE INDEX events_merge ON events(type, actor_key, recipient_key);
CREATE INDEX events_actor ON events(actor_entity_id);
CREATE INDEX events_recipient ON events(recipient_entity_id);
CREATE INDEX events_date ON events(date_start);
CREATE TABLE event_sources (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  mode TEXT NOT NULL,
  trigger_start INTEGER,
  trigger_end INTEGER,
  trigger_text TEXT,
  actor TEXT,
  actor_local_id TEXT,
  actor_entity_id INTEGER REFERENCES entities(id),
  recipient TEXT,
  recipient_local_id TEXT,
  recipient_entity_id INTEGER REFERENCES entities(id),
  location TEXT,
  location_local_id TEXT,
  location_entity_id INTEGER REFERENCES entities(id),
  date TEXT,
  confidence REAL,
  evidence_start INTEGER,
  evidence_end INTEGER,
  evidence_text TEXT
);
CREATE INDEX event_sources_event ON event_sources(event_id);
CREATE INDEX event_sources_article ON event_sources(article_id);
CREATE TABLE warnings (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  start_char INTEGER,
  end_char INTEGER,
  message TEXT
);
CREATE INDEX warnings_article ON warnings(article_id);
CREATE TABLE failures (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  item TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  at TEXT NOT NULL,
  UNIQUE (source, item)
);
"""

# Undated events get a reporting window (``dated`` = 0) instead of no span;
# entity types are counted and event sources indexed by article, so that
# writing an article costs no scan of what is already stored.
_SCHEMA_2 = """
ALTER TABLE events ADD COLUMN dated INTEGER NOT NULL DEFAULT 0;
UPDATE events SET dated = (date_start IS NOT NULL);
CREATE TABLE entity_types (
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (entity_id, type)
) WITHOUT ROWID;
INSERT INTO entity_types (entity_id, type, n)
  SELECT entity_id, type, COUNT(*) FROM article_entities GROUP BY entity_id, type;
CREATE INDEX event_sources_event_article ON event_sources(event_id, article_id);
DROP INDEX events_merge;
CREATE INDEX events_merge_date ON events(type, actor_key, recipient_key, date_start);
"""

# Every source an article was read from: the first one and each later copy
# of the same text under another id (a syndicated dispatch). ``id_given`` is
# 1 when the id came with the data (a JSON ``id``), 0 when it was made up
# from a file name, a line number or "<stdin>"; only given ids are unique.
# Existing articles become their own first source (``depeche_id_given``
# guesses from the id and the source path, see ``id_looks_given``).
_SCHEMA_3 = """
CREATE TABLE article_sources (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  ext_id TEXT,
  id_given INTEGER NOT NULL DEFAULT 0,
  source TEXT,
  dct TEXT,
  added_at TEXT NOT NULL
);
CREATE INDEX article_sources_article ON article_sources(article_id);
CREATE INDEX article_sources_ext ON article_sources(ext_id, id_given);
INSERT INTO article_sources (article_id, ext_id, id_given, source, dct, added_at)
  SELECT id, ext_id, depeche_id_given(ext_id, source), source, dct, ingested_at FROM articles ORDER BY id;
"""

# Named migrations, applied in order; never edit one that has shipped, add one.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001_initial", _SCHEMA_1),
    ("0002_event_windows_entity_types", _SCHEMA_2),
    ("0003_article_sources", _SCHEMA_3),
)
SCHEMA_VERSION = len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        stmt = "\n".join(buf)
        if sqlite3.complete_statement(stmt):
            out.append(stmt.strip())
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


# -- names, hashes, dates -----------------------------------------------------

_NAME_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
@lru_cache(maxsize=None)
def _leading_articles() -> frozenset[str]:
    return frozenset(w.lower() for w in langdata.load("fr", "store").get("leading_articles", [])
                     if not w.endswith("'"))


@lru_cache(maxsize=1 << 16)
def normalise_name(name: Optional[str]) -> str:
    """A name as compared across articles: the KB's lookup form (case and
    accents folded, an elided article dropped), a leading article dropped,
    punctuation as spaces ("l'OTAN" -> "otan", "la Russie" -> "russie")."""
    if not name:
        return ""
    s = _NAME_PUNCT.sub(" ", kb_norm(str(name))).strip()
    first, _, rest = s.partition(" ")
    if first in _leading_articles() and rest:
        s = rest
    return s


def entity_key(kb_id: Optional[str], name: Optional[str]) -> Optional[str]:
    """The corpus identity of an entity: its KB id, else its normalised name."""
    if kb_id:
        return f"kb:{kb_id}"
    norm = normalise_name(name)
    return f"name:{norm}" if norm else None


# The hash normalisation is part of the store format: changing it would make
# a re-run store again articles already stored. Keep it self-contained.
_HASH_MAP = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u00b4": "'",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
})


def text_hash(text: str) -> str:
    """SHA-256 of the normalised text: the same article re-encoded (composed
    or decomposed accents), re-spaced or with typographic apostrophes has the
    same hash."""
    norm = unicodedata.normalize("NFC", text).translate(_HASH_MAP)
    norm = " ".join(norm.split())  # every run of Unicode whitespace, no-break spaces included
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def id_looks_given(ext_id: Optional[str], source: Optional[str]) -> bool:
    """Whether a stored article's id came with the data rather than from
    where it was read: not when it is the source itself, "<stdin>", the
    source's ``:LINE`` or ``[INDEX]``, or the source file's name without
    its extension. Only used for stores made before ids were recorded as
    given (migration 3); new records say so (``id_given``)."""
    if ext_id is None:
        return False
    e = str(ext_id)
    if source is None:
        return True
    src = str(source)
    if e in (src, "<stdin>") or e.startswith(src + ":") or e.startswith(src + "["):
        return False
    return e != Path(src).stem


_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "AU": (9, 11), "WI": (12, 14)}
_DATE_RES = (
    ("day", re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")),
    ("week", re.compile(r"^(\d{4})-W(\d{2})(?:-.*)?$")),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("quarter", re.compile(r"^(\d{4})-Q([1-4])$")),
    ("half", re.compile(r"^(\d{4})-H([12])$")),
    ("season", re.compile(r"^(\d{4})-(SP|SU|FA|AU|WI)$")),
    ("year", re.compile(r"^(\d{4})$")),
    ("decade", re.compile(r"^(\d{3})X$")),
    ("century", re.compile(r"^(\d{2})XX$")),
)


def _month_span(y: int, m1: int, m2: int) -> tuple[_dt.date, _dt.date]:
    y2, m2 = y + (m2 - 1) // 12, (m2 - 1) % 12 + 1
    nxt = _dt.date(y2 + (m2 == 12), m2 % 12 + 1, 1)
    return _dt.date(y, m1, 1), nxt - _dt.timedelta(days=1)


def date_span(value: Optional[str]) -> Optional[tuple[str, str]]:
    """The first and last day (ISO) a TIMEX date value covers, or None when
    it is not a calendar date ("PRESENT_REF", "XXXX-04", a duration)."""
    if not value or not isinstance(value, str):
        return None
    for kind, rx in _DATE_RES:
        m = rx.match(value.strip())
        if not m:
            continue
        try:
            if kind == "day":
                d = _dt.date(int(m[1]), int(m[2]), int(m[3]))
                a, b = d, d
            elif kind == "week":
                a = _dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
                b = a + _dt.timedelta(days=6)
            elif kind == "month":
                a, b = _month_span(int(m[1]), int(m[2]), int(m[2]))
            elif kind == "quarter":
                q = int(m[2])
                a, b = _month_span(int(m[1]), 3 * q - 2, 3 * q)
            elif kind == "half":
                h = int(m[2])
                a, b = _month_span(int(m[1]), 6 * h - 5, 6 * h)
            elif kind == "season":
                lo, hi = _SEASONS[m[2]]
                a, b = _month_span(int(m[1]), lo, hi)
            elif kind == "year":
                a, b = _dt.date(int(m[1]), 1, 1), _dt.date(int(m[1]), 12, 31)
            elif kind == "decade":
                a, b = _dt.date(int(m[1]) * 10, 1, 1), _dt.date(int(m[1]) * 10 + 9, 12, 31)
            else:
                a, b = _dt.date(int(m[1]) * 100, 1, 1), _dt.date(int(m[1]) * 100 + 99, 12, 31)
        except ValueError:
            return None
        return a.isoformat(), b.isoformat()
    return None


# An undated event was reported in the days up to its article's publication.
REPORT_WINDOW_DAYS = 2


def report_window(dct: Optional[str]) -> Optional[tuple[str, str]]:
    """The span an undated event of an article published on ``dct`` is
    taken to cover: the publication day and the REPORT_WINDOW_DAYS before."""
    span = date_span(dct)
    if span is None or span[0] != span[1]:
        return None
    end = _dt.date.fromisoformat(span[1])
    return (end - _dt.timedelta(days=REPORT_WINDOW_DAYS)).isoformat(), end.isoformat()


def dates_agree(a: Optional[tuple[str, str]], b: Optional[tuple[str, str]]) -> bool:
    """Two date spans agree at their granularity when one contains the other."""
    if a is None or b is None:
        return False
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def modes_agree(a: str, b: str) -> bool:
    """A planned act and the same act reported as done are one event; a
    negated or hypothetical act merges only with its like."""
    return a == b or {a, b} == {"planned", "asserted"}


def _merged_mode(a: str, b: str) -> str:
    return "asserted" if "asserted" in (a, b) else a


def _check_date_arg(value: Optional[str], what: str) -> Optional[tuple[str, str]]:
    if value is None or value == "":
        return None
    span = date_span(str(value))
    if span is None:
        raise StoreError(f"{what} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return span


_FTS_WORD = re.compile(r"\w+", re.UNICODE)
_FTS_PART = re.compile(r'"([^"]*)"|(\w+)', re.UNICODE)


def fts_query(text: str) -> str:
    """An FTS5 query, safe from FTS syntax, matching every word of ``text``
    in any order; words in double quotes must occur together as a phrase."""
    parts = []
    for m in _FTS_PART.finditer(text or ""):
        words = _FTS_WORD.findall(m.group(1)) if m.group(1) is not None else [m.group(2)]
        if words:
            parts.append('"' + " ".join(words) + '"')
    if not parts:
        raise StoreError(f"nothing to search for in {text!r}")
    return " ".join(parts)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def _title(text: str) -> Optional[str]:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:200]
    return None


# -- records ------------------------------------------------------------------

def analysis_dict(analysis: Any) -> dict:
    """An analysis as a plain dict with its text: from an Analysis, or a
    record of a shard (``depeche ingest --dask``), which is one already."""
    if isinstance(analysis, dict):
        return analysis
    return dict(analysis.to_dict(), text=analysis.text)


def make_record(analysis: Any, source: Optional[str] = None, text_hash_: Optional[str] = None,
                id_given: Optional[bool] = None) -> dict:
    """The plain dict :meth:`Store.write_article` takes, from an Analysis
    (or its dict with ``text``). ``id_given``: whether the article's id came
    with the data (default: when there is one) rather than from a file name
    or a line number; only a given id must name one text."""
    d = analysis_dict(analysis)
    return {
        "source": source,
        "id": d.get("id"),
        "id_given": d.get("id") is not None if id_given is None else bool(id_given),
        "dct": d.get("dct"),
        "lang": d.get("lang", "fr"),
        "text": d["text"],
        "hash": text_hash_ or text_hash(d["text"]),
        "analysis": {k: v for k, v in d.items() if k != "text"},
    }


def unusable(analysis: Any) -> Optional[tuple[str, str]]:
    """(code, reason) when an analysis is not worth storing: an empty or
    non-French text; None otherwise."""
    d = analysis_dict(analysis)
    warnings = d.get("warnings") or []
    for w in warnings:
        if w.get("code") == "empty":
            return "empty", w.get("message", "")
    if d.get("lang") != "fr":
        for w in warnings:
            if w.get("code") == "not_french":
                return "not_french", f"not French: {w.get('message', '')}"
        return "not_french", f"the text is not French (language {d.get('lang')!r})"
    return None


def _context(text: str, start: int, end: int, width: int = 240) -> tuple[int, int]:
    """A sentence-ish window of ``text`` around [start, end)."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    a = max(text.rfind(". ", lo, start), text.rfind("\n", lo, start))
    a = lo if a < 0 else a + 1
    cands = [i for i in (text.find(". ", end, hi), text.find("\n", end, hi)) if i >= 0]
    b = min(cands) + 1 if cands else hi
    return a, b


# -- the store ----------------------------------------------------------------

class Store:
    """A knowledge store in one SQLite file. ``Store(path)`` creates it (and
    applies pending migrations) on first use; ``create=False`` refuses a
    missing file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Union[str, Path] = DEFAULT_DB, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise StoreError(f"no knowledge store at {self.path}; create one with `depeche ingest --db {self.path} PATH`")
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a directory, not a database file")
        if not self.path.parent.is_dir():
            raise StoreError(f"cannot create {self.path}: no directory {self.path.parent}")
        try:
            # Not bound to the creating thread (web servers open a store in one
            # thread and may close it in another); use it from one thread at a time.
            self.conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA busy_timeout = 10000")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as e:
            raise StoreError(f"cannot open {self.path} as a knowledge store: {e}") from e
        self.journal_mode = mode
        self.last_write: Optional[str] = None
        self._migrate()

    # context manager
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if getattr(self, "conn", None) is not None:
            self.conn.close()
            self.conn = None

    @contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _migrate(self) -> None:
        try:
            self.conn.create_function("depeche_id_given", 2, lambda e, s: int(id_looks_given(e, s)),
                                      deterministic=True)
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                              "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            with self.transaction() as c:
                done = {r[0] for r in c.execute("SELECT version FROM schema_migrations")}
                if done and max(done) > SCHEMA_VERSION:
                    raise StoreError(f"{self.path} has schema version {max(done)}; this depeche knows "
                                     f"{SCHEMA_VERSION}: upgrade depeche")
                for version, (name, script) in enumerate(MIGRATIONS, 1):
                    if version in done:
                        continue
                    for stmt in _statements(script):
                        c.execute(stmt)
                    c.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, _now()))
                    c.execute(f"PRAGMA user_version = {version}")
        except sqlite3.Error as e:
            raise StoreError(f"cannot prepare the knowledge store {self.path}: {e}") from e

    @property
    def migrations(self) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT version, name FROM schema_migrations ORDER BY version")]

    # -- writing ----------------------------------------------------------

    def has_hash(self, h: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE text_hash = ?", (h,)).fetchone() is not None

    def write_article(self, record: dict) -> Optional[int]:
        """Store one article record (see :func:`make_record`) in one
        transaction. Returns the article's row id, or None when an article
        with the same normalised text is already stored; then, when the
        record comes under an id (or, without one, from a source) the article
        does not have yet, it is recorded as one more source of that article
        (``last_write`` is ``"source"``, else ``"skipped"``; ``"article"``
        for a new article). A new text under an id given for another stored
        text raises :class:`~depeche.errors.ArticleIdConflictError`."""
        self.last_write = "skipped"
        try:
            with self.transaction() as c:
                return self._write(c, record)
        except StoreError:
            raise
        except sqlite3.Error as e:
            raise StoreError(f"cannot store article {record.get('id')!r}: {e}") from e
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise StoreError(f"malformed article record {record.get('id') if isinstance(record, dict) else ''!r}: "
                             f"{type(e).__name__}: {e}") from e

    def _write(self, c: sqlite3.Connection, rec: dict) -> Optional[int]:
        text = rec["text"]
        if not isinstance(text, str):
            raise TypeError("the record's text is not a string")
        an = rec.get("analysis") or {}
        h = rec.get("hash") or text_hash(text)
        ext_id = rec.get("id")
        ext_id = None if ext_id is None else str(ext_id)
        given = bool(rec.get("id_given", ext_id is not None)) and ext_id is not None
        dct = rec.get("dct")
        known = c.execute("SELECT id FROM articles WHERE text_hash = ?", (h,)).fetchone()
        if known is not None:
            if self._add_source(c, known[0], ext_id, given, rec.get("source"), dct):
                self.last_write = "source"
            return None
        if given:
            other = self._given_id(c, ext_id)
            if other is not None:
                raise ArticleIdConflictError(
                    f"article id {ext_id!r} is already stored with another text (stored article {other}); "
                    f"a new text needs a new id")
        title = _title(text)
        now = _now()
        cur = c.execute(
            "INSERT INTO articles (ext_id, source, title, dct, lang, text, text_hash, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (ext_id, rec.get("source"), title, dct, rec.get("lang") or an.get("lang") or "fr",
             text, h, now))
        aid = cur.lastrowid
        c.execute("INSERT INTO article_sources (article_id, ext_id, id_given, source, dct, added_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)", (aid, ext_id, int(given), rec.get("source"), dct, now))
        c.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", (aid, title, text))

        # entities: local id -> (corpus entity id, key, canonical name)
        local: dict[str, tuple[int, str, str]] = {}
        touched: set[int] = set()
        for e in an.get("entities") or []:
            key = entity_key(e.get("kb_id"), e.get("name"))
            if key is None:
                continue
            eid, key, cname = self._entity(c, key, e)
            touched.add(eid)
            cur = c.execute(
                "INSERT OR IGNORE INTO article_entities (article_id, local_id, entity_id, name, type, kb_id, aliases, roles) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (aid, str(e.get("id")), eid, e["name"], e.get("type") or "", e.get("kb_id"),
                 json.dumps(e.get("aliases") or [], ensure_ascii=False),
                 json.dumps(e.get("roles") or [], ensure_ascii=False)))
            if cur.rowcount == 0:
                continue
            aeid = cur.lastrowid
            local[str(e.get("id"))] = (eid, key, cname)
            c.execute("INSERT INTO entity_types (entity_id, type, n) VALUES (?, ?, 1) "
                      "ON CONFLICT (entity_id, type) DO UPDATE SET n = n + 1", (eid, e.get("type") or ""))
            c.executemany(
                "INSERT INTO mentions (article_id, article_entity_id, entity_id, start_char, end_char, text) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(aid, aeid, eid, m["start"], m["end"], m.get("text") or text[m["start"]:m["end"]])
                 for m in e.get("mentions") or []])
        for eid in touched:  # the corpus type is the one most articles give
            c.execute("UPDATE entities SET type = (SELECT type FROM entity_types WHERE entity_id = ? "
                      "ORDER BY n DESC, type LIMIT 1) WHERE id = ?", (eid, eid))

        c.executemany(
            "INSERT INTO times (article_id, start_char, end_char, text, type, value, point) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(aid, t["start"], t["end"], t.get("text") or text[t["start"]:t["end"]], t.get("type") or "DATE",
              t.get("value"), t.get("point")) for t in an.get("times") or []])

        for q in an.get("quotes") or []:
            spk = self._resolve(c, local, q.get("speaker_id"), q.get("speaker"))
            cue = q.get("cue") or {}
            cur = c.execute(
                "INSERT INTO quotes (article_id, start_char, end_char, text, kind, speaker, speaker_local_id, "
                "speaker_entity_id, cue_start, cue_end, cue_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (aid, q["start"], q["end"], q.get("text") or text[q["start"]:q["end"]], q.get("kind") or "direct",
                 spk[2] if spk and spk[0] else q.get("speaker"), q.get("speaker_id"), spk[0] if spk else None,
                 cue.get("start"), cue.get("end"), cue.get("text")))
            c.execute("INSERT INTO quotes_fts (rowid, text) VALUES (?, ?)",
                      (cur.lastrowid, q.get("text") or text[q["start"]:q["end"]]))

        for ev in an.get("events") or []:
            self._write_event(c, aid, dct, local, ev)

        c.executemany(
            "INSERT INTO warnings (article_id, code, start_char, end_char, message) VALUES (?, ?, ?, ?, ?)",
            [(aid, w.get("code") or "warning", w.get("start"), w.get("end"), w.get("message"))
             for w in an.get("warnings") or []])
        self._clear_failure(c, rec.get("source"), ext_id)
        self.last_write = "article"
        return aid

    @staticmethod
    def _clear_failure(c, source: Optional[str], ext_id: Optional[str]) -> None:
        if source is not None:  # a source that failed before and now went in
            c.execute("DELETE FROM failures WHERE source = ? AND item IN (?, ?, '')",
                      (source, ext_id or "", source))

    @staticmethod
    def _given_id(c, ext_id: str) -> Optional[int]:
        """The stored article a given id names, or None."""
        row = c.execute("SELECT article_id FROM article_sources WHERE ext_id = ? AND id_given = 1 "
                        "ORDER BY article_id LIMIT 1", (ext_id,)).fetchone()
        return row[0] if row else None

    def _add_source(self, c, aid: int, ext_id: Optional[str], given: bool, source: Optional[str],
                    dct: Optional[str]) -> bool:
        """Record one more source of stored article ``aid`` unless it has it:
        a source is known by its id, else (no id) by where it was read. Each
        event the article supports counts one more source."""
        if ext_id is not None:
            seen = c.execute("SELECT 1 FROM article_sources WHERE article_id = ? AND ext_id = ? LIMIT 1",
                             (aid, ext_id)).fetchone()
        elif source is not None:
            seen = c.execute("SELECT 1 FROM article_sources WHERE article_id = ? AND ext_id IS NULL "
                             "AND source = ? LIMIT 1", (aid, source)).fetchone()
        else:
            seen = True  # nothing tells this copy apart
        if seen:
            return False
        if given:
            other = self._given_id(c, ext_id)
            if other is not None and other != aid:
                raise ArticleIdConflictError(
                    f"article id {ext_id!r} is already stored with another text (stored article {other}); "
                    f"a new text needs a new id")
        c.execute("INSERT INTO article_sources (article_id, ext_id, id_given, source, dct, added_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)", (aid, ext_id, int(given), source, dct, _now()))
        c.execute(
            "UPDATE events SET n_sources = n_sources + 1, "
            "first_seen = CASE WHEN ? IS NOT NULL AND (first_seen IS NULL OR ? < first_seen) THEN ? "
            "ELSE first_seen END, "
            "last_seen = CASE WHEN ? IS NOT NULL AND (last_seen IS NULL OR ? > last_seen) THEN ? "
            "ELSE last_seen END "
            "WHERE id IN (SELECT DISTINCT event_id FROM event_sources WHERE article_id = ?)",
            (dct, dct, dct, dct, dct, dct, aid))
        self._clear_failure(c, source, ext_id)
        return True

    def add_source(self, h: str, ext_id: Optional[str], source: Optional[str] = None,
                   dct: Optional[str] = None, id_given: Optional[bool] = None) -> Optional[bool]:
        """Record a copy of the stored text whose hash is ``h`` read under
        ``ext_id`` from ``source``: True when it is a new source of that
        article, False when the article has it already, None when no stored
        article has that text. An id given for another text raises
        :class:`~depeche.errors.ArticleIdConflictError`."""
        ext_id = None if ext_id is None else str(ext_id)
        given = (ext_id is not None) if id_given is None else (bool(id_given) and ext_id is not None)
        try:
            with self.transaction() as c:
                row = c.execute("SELECT id FROM articles WHERE text_hash = ?", (h,)).fetchone()
                if row is None:
                    return None
                return self._add_source(c, row[0], ext_id, given, source, dct)
        except sqlite3.Error as e:
            raise StoreError(f"cannot record a source of article {ext_id!r}: {e}") from e

    def id_conflict(self, ext_id: Optional[str], h: str) -> Optional[int]:
        """The stored article whose given id is ``ext_id`` when its text is
        not the one hashed ``h``; None when there is no conflict."""
        if ext_id is None:
            return None
        row = self.conn.execute("SELECT s.article_id FROM article_sources s JOIN articles a ON a.id = s.article_id "
                                "WHERE s.ext_id = ? AND s.id_given = 1 AND a.text_hash != ? LIMIT 1",
                                (str(ext_id), h)).fetchone()
        return row[0] if row else None

    def _entity(self, c, key: str, e: dict) -> tuple[int, str, str]:
        """(id, key, name) of the corpus entity for an article's entity, made
        on first sight. A name the KB did not link joins the one linked
        entity of the same type that bears it; a newly linked entity adopts
        the unlinked one of the same type and name seen before."""
        row = c.execute("SELECT id, key, name FROM entities WHERE key = ?", (key,)).fetchone()
        norm = normalise_name(e["name"])
        etype = e.get("type") or ""
        if row is None and key.startswith("name:"):
            rows = c.execute("SELECT DISTINCT e.id, e.key, e.name FROM entity_names n JOIN entities e "
                             "ON e.id = n.entity_id WHERE n.norm = ? AND e.type = ? AND e.kb_id IS NOT NULL "
                             "LIMIT 2", (norm, etype)).fetchall()
            row = rows[0] if len(rows) == 1 else None
        elif row is None:
            old = c.execute("SELECT id, key FROM entities WHERE key = ? AND type = ?",
                            (f"name:{norm}", etype)).fetchone()
            if old is not None:
                c.execute("UPDATE entities SET key = ?, kb_id = ?, name = ? WHERE id = ?",
                          (key, e.get("kb_id"), e["name"], old[0]))
                for role in ("actor", "recipient"):
                    c.execute(f"UPDATE events SET {role}_key = ?, {role}_entity_id = ? WHERE {role}_key = ?",
                              (key, old[0], old[1]))
                row = (old[0], key, e["name"])
        if row is None:
            cur = c.execute("INSERT INTO entities (key, kb_id, name, norm, type) VALUES (?, ?, ?, ?, ?)",
                            (key, e.get("kb_id"), e["name"], norm, etype))
            row = (cur.lastrowid, key, e["name"])
        eid = row[0]
        names = {normalise_name(n): n for n in reversed([e["name"], *(e.get("aliases") or [])]) if n}
        c.executemany("INSERT OR IGNORE INTO entity_names (entity_id, norm, name) VALUES (?, ?, ?)",
                      [(eid, k, n) for k, n in names.items() if k])
        return eid, row[1], row[2]

    def _resolve(self, c, local: dict, local_id: Optional[str],
                 text: Optional[str]) -> Optional[tuple[Optional[int], Optional[str], Optional[str]]]:
        """(corpus entity id or None, identity key, name) of an argument."""
        if local_id is not None and str(local_id) in local:
            eid, key, name = local[str(local_id)]
            return eid, key, name
        norm = normalise_name(text)
        if not norm:
            return None
        rows = c.execute("SELECT DISTINCT n.entity_id, e.key, e.name FROM entity_names n "
                         "JOIN entities e ON e.id = n.entity_id WHERE n.norm = ? LIMIT 2", (norm,)).fetchall()
        if len(rows) == 1:
            return rows[0][0], rows[0][1], rows[0][2]
        return None, f"name:{norm}", text

    def _write_event(self, c, aid: int, dct: Optional[str], local: dict, ev: dict) -> int:
        etype, mode = ev["type"], ev.get("mode") or "asserted"
        actor = self._resolve(c, local, ev.get("actor_id"), ev.get("actor"))
        recip = self._resolve(c, local, ev.get("recipient_id"), ev.get("recipient"))
        loc = self._resolve(c, local, ev.get("location_id"), ev.get("location"))
        akey = actor[1] if actor else None
        rkey = recip[1] if recip else None
        span = date_span(ev.get("date"))
        dated = span is not None
        if span is None:  # undated: the act was reported in the days up to publication
            span = report_window(dct)
        event_id = None
        if span is not None and (akey or rkey):
            best = None
            for row in c.execute(
                    "SELECT id, mode, date, date_start, date_end, dated, n_sources FROM events "
                    "WHERE type = ? AND actor_key IS ? AND recipient_key IS ? AND date_start IS NOT NULL "
                    "AND date_start <= ? AND date_end >= ?", (etype, akey, rkey, span[1], span[0])):
                other = (row["date_start"], row["date_end"])
                if not modes_agree(mode, row["mode"]):
                    continue
                if not (dates_agree(span, other) or (not dated and not row["dated"])):
                    continue  # undated reports agree when their windows overlap
                rank = (bool(row["dated"]) == dated and other == span, -_days(other), row["n_sources"])
                if best is None or rank > best[0]:
                    best = (rank, row)
            if best is not None:
                row = best[1]
                event_id = row["id"]
                other = (row["date_start"], row["date_end"])
                # a real date replaces a reporting window, a finer date a coarser one
                take = dated and (not row["dated"] or _days(span) < _days(other))
                c.execute(
                    "UPDATE events SET mode = ?, date = ?, date_start = ?, date_end = ?, dated = ?, "
                    "location = COALESCE(location, ?), location_entity_id = COALESCE(location_entity_id, ?) "
                    "WHERE id = ?",
                    (_merged_mode(mode, row["mode"]), ev.get("date") if take else row["date"],
                     (span if take else other)[0], (span if take else other)[1], int(take or bool(row["dated"])),
                     loc[2] if loc else None, loc[0] if loc else None, event_id))
        if event_id is None:
            cur = c.execute(
                "INSERT INTO events (type, mode, actor, actor_key, actor_entity_id, recipient, recipient_key, "
                "recipient_entity_id, location, location_entity_id, date, date_start, date_end, dated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (etype, mode, actor[2] if actor else None, akey, actor[0] if actor else None,
                 recip[2] if recip else None, rkey, recip[0] if recip else None,
                 loc[2] if loc else None, loc[0] if loc else None,
                 ev.get("date"), span[0] if span else None, span[1] if span else None, int(dated)))
            event_id = cur.lastrowid
        trig = ev.get("trigger") or {}
        evid = ev.get("evidence") or {}
        new_source = c.execute("SELECT 1 FROM event_sources WHERE event_id = ? AND article_id = ? LIMIT 1",
                               (event_id, aid)).fetchone() is None
        c.execute(
            "INSERT INTO event_sources (event_id, article_id, type, mode, trigger_start, trigger_end, trigger_text, "
            "actor, actor_local_id, actor_entity_id, recipient, recipient_local_id, recipient_entity_id, "
            "location, location_local_id, location_entity_id, date, confidence, evidence_start, evidence_end, "
            "evidence_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (event_id, aid, etype, mode, trig.get("start"), trig.get("end"), trig.get("text"),
             ev.get("actor"), ev.get("actor_id"), actor[0] if actor else None,
             ev.get("recipient"), ev.get("recipient_id"), recip[0] if recip else None,
             ev.get("location"), ev.get("location_id"), loc[0] if loc else None,
             ev.get("date"), ev.get("confidence"), evid.get("start"), evid.get("end"), evid.get("text")))
        c.execute(
            "UPDATE events SET n_mentions = n_mentions + 1, "
            "n_sources = n_sources + ?, "
            "first_seen = CASE WHEN first_seen IS NULL OR ? < first_seen THEN ? ELSE first_seen END, "
            "last_seen = CASE WHEN last_seen IS NULL OR ? > last_seen THEN ? ELSE last_seen END "
            "WHERE id = ?", (int(new_source), dct, dct, dct, dct, event_id))
        return event_id

    def record_failure(self, source: str, item: Optional[str], code: str, message: str) -> None:
        """Remember an input that could not be stored, with the reason (the
        latest reason wins on a re-run)."""
        try:
            with self.transaction() as c:
                c.execute("INSERT INTO failures (source, item, code, message, at) VALUES (?, ?, ?, ?, ?) "
                          "ON CONFLICT (source, item) DO UPDATE SET code = excluded.code, "
                          "message = excluded.message, at = excluded.at",
                          (source, item or "", code, message, _now()))
        except sqlite3.Error as e:
            raise StoreError(f"cannot record the failure of {source}: {e}") from e

    # -- queries ----------------------------------------------------------

    def _q(self, sql: str, params: Iterable = ()) -> list[dict]:
        try:
            return [dict(r) for r in self.conn.execute(sql, tuple(params))]
        except sqlite3.Error as e:
            raise StoreError(f"query failed: {e}") from e

    def counts(self) -> dict[str, int]:
        """Rows per kind of record."""
        out = {}
        for t in ("articles", "entities", "mentions", "times", "quotes", "events", "event_sources",
                  "warnings", "failures"):
            out[t] = self.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        out["sources"] = self.conn.execute("SELECT COUNT(*) FROM article_sources").fetchone()[0]
        return out

    def failures(self) -> list[dict]:
        return self._q("SELECT source, item, code, message, at FROM failures ORDER BY source, item")

    def match_entities(self, query: str) -> list[int]:
        """Corpus entity ids a user's name or KB id means: exact matches (KB id,
        name or alias) first; then the entity the knowledge base gives for
        the name ("UE" finds "Union européenne"); failing those, names
        containing the query as whole words ("Macron" finds "Emmanuel Macron")."""
        q = (query or "").strip()
        if not q:
            return []
        norm = normalise_name(q)
        rows = self._q("SELECT id FROM entities WHERE kb_id = ? COLLATE NOCASE "
                       "UNION SELECT entity_id FROM entity_names WHERE norm = ?", (q, norm))
        if rows or not norm:
            return sorted(r["id"] for r in rows)
        ident = _kb_ident(q)  # a name the KB knows ("UE" -> Q458)
        if ident:
            rows = self._q("SELECT id FROM entities WHERE kb_id = ?", (ident,))
            if rows:
                return sorted(r["id"] for r in rows)
        like = norm.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._q("SELECT DISTINCT entity_id AS id FROM entity_names WHERE norm LIKE ? ESCAPE '\\' "
                       "OR norm LIKE ? ESCAPE '\\' OR norm LIKE ? ESCAPE '\\'",
                       (f"{like} %", f"% {like}", f"% {like} %"))
        return sorted(r["id"] for r in rows)

    def _arg_filter(self, role: str, query: str, params: list) -> str:
        ids = self.match_entities(query)
        norm = normalise_name(query)
        params.append(f"name:{norm}")
        cond = f"e.{role}_key = ?"
        if ids:
            cond += f" OR e.{role}_entity_id IN ({','.join('?' * len(ids))})"
            params.extend(ids)
        return f"({cond})"

    _EVENT_COLS = (
        "e.id, e.type, e.mode, e.actor, ea.kb_id AS actor_kb_id, e.recipient, er.kb_id AS recipient_kb_id, "
        "e.date, e.location, e.n_sources, e.n_mentions, e.first_seen, e.last_seen, "
        "e.actor_entity_id, e.recipient_entity_id, e.date_start, e.date_end, e.dated")
    _EVENT_FROM = ("FROM events e LEFT JOIN entities ea ON ea.id = e.actor_entity_id "
                   "LEFT JOIN entities er ON er.id = e.recipient_entity_id")

    def events(self, type: Optional[str] = None, actor: Optional[str] = None, recipient: Optional[str] = None,
               since: Optional[str] = None, until: Optional[str] = None, mode: Optional[str] = None,
               location: Optional[str] = None, limit: Optional[int] = None) -> list[dict]:
        """Merged events, newest first, filtered: ``type`` (PLOVER), ``actor``
        and ``recipient`` (a name, alias or KB id), ``since``/``until`` (the
        event's date overlaps), ``mode``, ``location`` (a place name)."""
        where, params = [], []
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if mode:
            where.append("e.mode = ?")
            params.append(mode.lower())
        if actor:
            where.append(self._arg_filter("actor", actor, params))
        if recipient:
            where.append(self._arg_filter("recipient", recipient, params))
        s = _check_date_arg(since, "--since")
        u = _check_date_arg(until, "--until")
        if s:
            where.append("e.date_end >= ?")
            params.append(s[0])
        if u:
            where.append("e.date_start <= ?")
            params.append(u[1])
        if location:
            ids = self.match_entities(location)
            norm = normalise_name(location)
            cond = ["e.location_entity_id IN ({})".format(",".join("?" * len(ids))) if ids else "0"]
            params.extend(ids)
            where.append(f"({cond[0]} OR EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id "
                         f"AND s.location IS NOT NULL AND depeche_norm(s.location) = ?))")
            params.append(norm)
        sql = f"SELECT {self._EVENT_COLS} {self._EVENT_FROM}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY e.date_start IS NULL, e.date_start DESC, e.n_sources DESC, e.id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        self._functions()
        return self._q(sql, params)

    def _functions(self) -> None:
        if not getattr(self, "_fn", False):
            self.conn.create_function("depeche_norm", 1, normalise_name, deterministic=True)
            _register_export_functions(self.conn)
            self._fn = True

    def event(self, event_id: int) -> Optional[dict]:
        """One merged event with every supporting mention: the article, its
        date, the trigger and the sentence it was read from."""
        rows = self._q(f"SELECT {self._EVENT_COLS} {self._EVENT_FROM} WHERE e.id = ?", (event_id,))
        if not rows:
            return None
        ev = rows[0]
        srcs = self._q(
            "SELECT s.*, a.ext_id AS article, a.source AS article_source, a.dct AS article_dct, a.text AS article_text "
            "FROM event_sources s JOIN articles a ON a.id = s.article_id WHERE s.event_id = ? "
            "ORDER BY a.dct, a.id, s.trigger_start", (event_id,))
        for s in srcs:
            text = s.pop("article_text")
            if not s.get("evidence_text") and s.get("trigger_start") is not None:
                a, b = _context(text, s["trigger_start"], s["trigger_end"])
                s["evidence_start"], s["evidence_end"], s["evidence_text"] = a, b, text[a:b].strip()
        ev["sources"] = srcs
        return ev

    def timeline(self, entity: str, limit: Optional[int] = None) -> list[dict]:
        """What an entity did, underwent and said, in date order: its events
        (as actor, recipient or place) and its quotes. ``date`` is the
        event's calendar date (None when the text gives none), ``reported``
        the earliest publication date of an article reporting it; rows are
        ordered by ``date``, else ``reported``."""
        ids = self.match_entities(entity)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._q(
            f"SELECT * FROM (SELECT COALESCE(e.date_start, e.first_seen) AS sort_date, "
            f"CASE WHEN e.date_start IS NULL THEN NULL ELSE e.date END AS date, e.first_seen AS reported, "
            f"'event' AS kind, e.id AS id, "
            f"CASE WHEN e.actor_entity_id IN ({marks}) THEN 'actor' "
            f"WHEN e.recipient_entity_id IN ({marks}) THEN 'recipient' ELSE 'location' END AS role, "
            f"e.type || ' (' || e.mode || ')' AS what, "
            f"COALESCE(e.actor, '?') || ' → ' || COALESCE(e.recipient, '-') AS detail, e.n_sources AS n_sources "
            f"FROM events e WHERE e.actor_entity_id IN ({marks}) OR e.recipient_entity_id IN ({marks}) "
            f"OR e.location_entity_id IN ({marks}) "
            f"UNION ALL "
            f"SELECT a.dct AS sort_date, a.dct AS date, a.dct AS reported, 'quote' AS kind, q.id AS id, "
            f"'speaker' AS role, "
            f"q.kind || ' quote' AS what, q.text AS detail, 1 AS n_sources "
            f"FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.speaker_entity_id IN ({marks}) "
            f") ORDER BY sort_date IS NULL, sort_date, kind, id" + (f" LIMIT {int(limit)}" if limit else ""),
            ids * 6)
        for r in rows:
            r.pop("sort_date", None)
        return rows

    def quotes(self, speaker: Optional[str] = None, search: Optional[str] = None,
               limit: Optional[int] = None) -> list[dict]:
        """Quotes with their speaker and article, filtered by speaker (name,
        alias or KB id) and by full-text search in the quote."""
        where, params = [], []
        if speaker:
            ids = self.match_entities(speaker)
            cond = "depeche_norm(q.speaker) = ?"
            params.append(normalise_name(speaker))
            if ids:
                cond += f" OR q.speaker_entity_id IN ({','.join('?' * len(ids))})"
                params.extend(ids)
            where.append(f"({cond})")
        if search:
            where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(fts_query(search))
        sql = ("SELECT q.id, q.speaker, en.kb_id AS speaker_kb_id, q.kind, q.text, a.ext_id AS article, "
               "a.dct, q.start_char, q.end_char, q.cue_text AS cue FROM quotes q "
               "JOIN articles a ON a.id = q.article_id LEFT JOIN entities en ON en.id = q.speaker_entity_id")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.dct IS NULL, a.dct DESC, a.id, q.start_char"
        if limit:
            sql += f" LIMIT {int(limit)}"
        self._functions()
        return self._q(sql, params)

    def entities(self, type: Optional[str] = None, top: Optional[int] = None) -> list[dict]:
        """Corpus entities, the most mentioned first."""
        sql = ("SELECT e.id, e.name, e.type, e.kb_id, "
               "(SELECT COUNT(DISTINCT article_id) FROM article_entities ae WHERE ae.entity_id = e.id) AS n_articles, "
               "(SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS n_mentions FROM entities e")
        params: list = []
        if type:
            sql += " WHERE e.type = ?"
            params.append(type.upper())
        sql += " ORDER BY n_mentions DESC, n_articles DESC, e.name"
        if top:
            sql += f" LIMIT {int(top)}"
        return self._q(sql, params)

    def search(self, text: str, limit: Optional[int] = 20, mark: tuple[str, str] = ("[", "]")) -> list[dict]:
        """Articles matching every word of ``text`` (accents and case folded),
        best first, with a snippet of the matching passage."""
        sql = ("SELECT a.id, a.ext_id AS article, a.dct, a.title, "
               "snippet(articles_fts, 1, ?, ?, '…', 16) AS snippet, "
               "round(bm25(articles_fts), 3) AS score "
               "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
               "WHERE articles_fts MATCH ? ORDER BY rank")
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self._q(sql, (mark[0], mark[1], fts_query(text)))

    def article(self, ref: Union[int, str]) -> Optional[dict]:
        """One stored article by row id or by its own id (or the id of one of its sources)."""
        rows = self._q("SELECT * FROM articles WHERE id = ? OR ext_id = ? ORDER BY id LIMIT 1",
                       (ref if isinstance(ref, int) else -1, str(ref)))
        if not rows and not isinstance(ref, int):
            rows = self._q("SELECT * FROM articles WHERE id = (SELECT article_id FROM article_sources "
                           "WHERE ext_id = ? ORDER BY id LIMIT 1)", (str(ref),))
        return rows[0] if rows else None

    def articles(self, limit: Optional[int] = None, offset: int = 0) -> list[dict]:
        """Stored articles (without their text), the most recent first."""
        sql = ("SELECT a.id, a.ext_id AS article, a.source, a.title, a.dct, a.lang, length(a.text) AS n_chars, "
               "a.ingested_at, (SELECT COUNT(*) FROM event_sources s WHERE s.article_id = a.id) AS n_events, "
               "(SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) AS n_quotes "
               "FROM articles a ORDER BY a.dct IS NULL, a.dct DESC, a.id")
        if limit:
            sql += f" LIMIT {int(limit)} OFFSET {max(0, int(offset))}"
        return self._q(sql)

    def analysis(self, ref: Union[int, str]) -> Optional[dict]:
        """A stored article as ``depeche analyze`` gives it (OUTPUT.md), plus
        its ``text``, its row id (``article_id``), each entity's corpus id
        (``store_id``) and each event's merged id (``event_id``)."""
        art = self.article(ref)
        if art is None:
            return None
        aid = art["id"]
        ents = []
        for e in self._q("SELECT id, local_id, entity_id, name, type, kb_id, aliases, roles "
                         "FROM article_entities WHERE article_id = ? ORDER BY id", (aid,)):
            ents.append({
                "id": e["local_id"], "name": e["name"], "type": e["type"], "kb_id": e["kb_id"],
                "aliases": json.loads(e["aliases"] or "[]"), "roles": json.loads(e["roles"] or "[]"),
                "mentions": self._q("SELECT start_char AS start, end_char AS \"end\", text FROM mentions "
                                    "WHERE article_entity_id = ? ORDER BY start_char", (e["id"],)),
                "store_id": e["entity_id"]})
        times = self._q("SELECT start_char AS start, end_char AS \"end\", text, type, value, point FROM times "
                        "WHERE article_id = ? ORDER BY start_char", (aid,))
        for t in times:
            if t["point"] is None:
                del t["point"]
        quotes = []
        for q in self._q("SELECT * FROM quotes WHERE article_id = ? ORDER BY start_char", (aid,)):
            cue = None if q["cue_start"] is None else {"start": q["cue_start"], "end": q["cue_end"],
                                                       "text": q["cue_text"]}
            quotes.append({"start": q["start_char"], "end": q["end_char"], "text": q["text"], "kind": q["kind"],
                           "speaker": q["speaker"], "speaker_id": q["speaker_local_id"], "cue": cue})
        events = []
        for s in self._q("SELECT * FROM event_sources WHERE article_id = ? ORDER BY id", (aid,)):
            span = lambda a, b, t: None if a is None else {"start": a, "end": b, "text": t}
            events.append({
                "type": s["type"], "mode": s["mode"],
                "trigger": span(s["trigger_start"], s["trigger_end"], s["trigger_text"]),
                "actor": s["actor"], "recipient": s["recipient"], "date": s["date"], "location": s["location"],
                "actor_id": s["actor_local_id"], "recipient_id": s["recipient_local_id"],
                "location_id": s["location_local_id"], "confidence": s["confidence"],
                "evidence": span(s["evidence_start"], s["evidence_end"], s["evidence_text"]),
                "event_id": s["event_id"]})
        warnings = self._q("SELECT code, start_char AS start, end_char AS \"end\", message FROM warnings "
                           "WHERE article_id = ? ORDER BY id", (aid,))
        return {"id": art["ext_id"], "dct": art["dct"], "lang": art["lang"], "warnings": warnings,
                "entities": ents, "times": times, "quotes": quotes, "events": events,
                "text": art["text"], "article_id": aid, "source": art["source"]}

    def entity(self, entity_id: int) -> Optional[dict]:
        """One corpus entity: its names, the roles articles give it (with the
        latest date each was seen), counts, and the entities seen most with it."""
        rows = self._q("SELECT e.id, e.key, e.name, e.type, e.kb_id, "
                       "(SELECT COUNT(DISTINCT article_id) FROM article_entities ae WHERE ae.entity_id = e.id) "
                       "AS n_articles, (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS n_mentions "
                       "FROM entities e WHERE e.id = ?", (entity_id,))
        if not rows:
            return None
        ent = rows[0]
        ent["names"] = sorted({r["name"] for r in self._q(
            "SELECT name FROM entity_names WHERE entity_id = ?", (entity_id,))} - {ent["name"]})
        roles: dict[tuple, dict] = {}
        for r in self._q("SELECT ae.roles, a.dct FROM article_entities ae JOIN articles a ON a.id = ae.article_id "
                         "WHERE ae.entity_id = ? ORDER BY a.dct", (entity_id,)):
            for role in json.loads(r["roles"] or "[]"):
                if isinstance(role, dict) and role.get("title"):
                    roles[(role["title"], role.get("of"))] = {"title": role["title"], "of": role.get("of"),
                                                              "dct": r["dct"]}
        ent["roles"] = list(roles.values())
        ent["cooccurring"] = self._q(
            "SELECT e.id, e.name, e.type, COUNT(DISTINCT b.article_id) AS n_articles "
            "FROM article_entities a JOIN article_entities b ON b.article_id = a.article_id "
            "AND b.entity_id != a.entity_id JOIN entities e ON e.id = b.entity_id "
            "WHERE a.entity_id = ? GROUP BY e.id ORDER BY n_articles DESC, e.name LIMIT 10", (entity_id,))
        return ent

    # -- export -----------------------------------------------------------

    def export(self, directory: Union[str, Path], format: str = "parquet", tables: Optional[Iterable[str]] = None,
               since: Optional[str] = None, until: Optional[str] = None, force: bool = False,
               bom: bool = False) -> dict[str, int]:
        """Write one table per kind of record into ``directory`` as Parquet,
        CSV or JSON Lines; returns the number of rows per table.

        ``tables``: which of :data:`EXPORT_TABLES` (default all).
        ``since``/``until`` (YYYY, YYYY-MM or YYYY-MM-DD): only the articles
        published in that period, and the records read from them (entities,
        events… they mention or support; counts stay the store's).
        Existing files are not overwritten unless ``force``
        (:class:`~depeche.errors.ExportExistsError`); each file is written
        under a temporary name and moved in place when complete. ``bom``:
        CSV files start with a UTF-8 byte order mark (spreadsheet tools
        then read them as UTF-8)."""
        if format not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {format!r} (one of {', '.join(EXPORT_FORMATS)})")
        if bom and format != "csv":
            raise StoreError("a byte order mark (bom) applies to the csv format only")
        names = list(EXPORT_TABLES) if tables is None else [str(t).strip() for t in tables if str(t).strip()]
        unknown = [t for t in names if t not in EXPORT_TABLES]
        if unknown or not names:
            raise StoreError(f"unknown export table {', '.join(unknown) or '(none)'!s}: the tables are "
                             f"{', '.join(EXPORT_TABLES)}")
        names = [t for t in EXPORT_TABLES if t in names]
        s = _check_date_arg(since, "--since")
        u = _check_date_arg(until, "--until")
        out = Path(directory)
        if out.exists() and not out.is_dir():
            raise StoreError(f"cannot export into {out}: not a directory")
        paths = {name: out / f"{name}.{format}" for name in names}
        there = [p.name for p in paths.values() if p.exists()]
        if there and not force:
            raise ExportExistsError(f"{out} already holds {', '.join(there)}: not overwritten "
                                    f"(force it with --force)")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create {out}: {e.strerror or e}") from e
        meta = {"since": since, "until": until}
        self._functions()
        counts = {}
        self.conn.execute("BEGIN")  # one snapshot for every table
        try:
            filtered = self._export_selection(s, u)
            for name in names:
                sql, cols, cond = EXPORT_TABLES[name]
                cur = self.conn.execute(sql.format(f=cond if filtered else ""))
                path = paths[name]
                tmp = path.with_name(f".{path.name}.tmp")
                try:
                    counts[name] = _WRITERS[format](tmp, cols, cur, name=name, meta=meta, bom=bom)
                    os.replace(tmp, path)
                except OSError as e:
                    raise StoreError(f"cannot write {path}: {e.strerror or e}") from e
                finally:
                    if tmp.exists():
                        tmp.unlink()
        except sqlite3.Error as e:
            raise StoreError(f"export failed: {e}") from e
        finally:
            self.conn.execute("COMMIT")
        return counts

    def _export_selection(self, since: Optional[tuple[str, str]], until: Optional[tuple[str, str]]) -> bool:
        """Fill the temporary tables of the articles (published in the period)
        and entities an export keeps; False when it keeps everything."""
        if since is None and until is None:
            return False
        c = self.conn
        c.execute("CREATE TEMP TABLE IF NOT EXISTS export_articles (id INTEGER PRIMARY KEY)")
        c.execute("CREATE TEMP TABLE IF NOT EXISTS export_entities (id INTEGER PRIMARY KEY)")
        c.execute("DELETE FROM temp.export_articles")
        c.execute("DELETE FROM temp.export_entities")
        c.execute("INSERT INTO temp.export_articles SELECT id FROM articles WHERE dct IS NOT NULL "
                  "AND dct >= ? AND dct <= ?", (since[0] if since else "0000-01-01", until[1] if until else "9999-12-31"))
        sel = "(SELECT id FROM temp.export_articles)"
        c.execute(f"INSERT OR IGNORE INTO temp.export_entities SELECT entity_id FROM article_entities "
                  f"WHERE article_id IN {sel}")
        for col in ("actor_entity_id", "recipient_entity_id", "location_entity_id"):
            c.execute(f"INSERT OR IGNORE INTO temp.export_entities SELECT {col} FROM event_sources "
                      f"WHERE article_id IN {sel} AND {col} IS NOT NULL")
            c.execute(f"INSERT OR IGNORE INTO temp.export_entities SELECT e.{col} FROM events e "
                      f"WHERE e.{col} IS NOT NULL AND e.id IN (SELECT event_id FROM event_sources "
                      f"WHERE article_id IN {sel})")
        c.execute(f"INSERT OR IGNORE INTO temp.export_entities SELECT speaker_entity_id FROM quotes "
                  f"WHERE article_id IN {sel} AND speaker_entity_id IS NOT NULL")
        return True


def _kb_ident(name: str) -> Optional[str]:
    """The KB identifier of the entity ``name`` names, or None (also when
    the KB cannot be opened)."""
    from . import kb
    from .errors import DepecheError

    try:
        rec = kb.get().lookup(name)
    except (DepecheError, sqlite3.Error):
        return None
    return rec.ident if rec is not None else None


def _days(span: Optional[tuple[str, str]]) -> int:
    if span is None or span[0] is None:
        return 1 << 30
    return (_dt.date.fromisoformat(span[1]) - _dt.date.fromisoformat(span[0])).days


# -- export tables --------------------------------------------------------------

# Column types: I int64, S string, F float64, B bool, D date (Parquet date32;
# ISO text in CSV and JSON Lines), T UTC timestamp (ISO text elsewhere).
I, S, F, B, D, T = "int", "str", "float", "bool", "date", "timestamp"

_QID = re.compile(r"^Q[1-9][0-9]*$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_GEONAMES = re.compile(r"^geonames:([0-9]+)$")
UID_PREFIX = "depeche:"


def entity_uid(kb_id: Optional[str], key: Optional[str] = None, name: Optional[str] = None) -> Optional[str]:
    """The identifier an export gives an entity (docs/ids.md): its Wikidata
    QID when the KB knows it (``Q458``), else ``depeche:iso:FR`` (a country
    by its ISO 3166 code), ``depeche:geonames:524901`` (a city by its
    GeoNames id), ``depeche:kb:KEY`` (another entry of depeche's KB, by its
    key), or ``depeche:name:NORMALISED-NAME`` (a name the KB does not know,
    case, accents, punctuation and a leading article folded, words joined by
    ``-``). ``key`` is the store's key (``kb:…``/``name:…``) when there is no
    ``kb_id``; ``name`` is used when there is neither. None for no name."""
    if not kb_id and key and key.startswith("kb:"):
        kb_id = key[3:]
    if kb_id:
        k = str(kb_id)
        if _QID.match(k):
            return k
        if _ISO2.match(k):
            return f"{UID_PREFIX}iso:{k}"
        m = _GEONAMES.match(k)
        if m:
            return f"{UID_PREFIX}geonames:{m[1]}"
        return f"{UID_PREFIX}kb:{quote(k, safe=':')}"
    norm = key[5:] if key and key.startswith("name:") else normalise_name(name)
    if not norm:
        return None
    return f"{UID_PREFIX}name:{quote(norm.replace(' ', '-'), safe='')}"


def qid(kb_id: Optional[str]) -> Optional[str]:
    """The Wikidata QID among KB identifiers, else None."""
    return kb_id if kb_id and _QID.match(str(kb_id)) else None


def granularity(value: Optional[str]) -> Optional[str]:
    """How precise a TIMEX date value is: ``time`` (a day and a time of day),
    ``day``, ``week``, ``month``, ``quarter``, ``half``, ``season``,
    ``year``, ``decade``, ``century``; ``vague`` for a value that is no
    calendar span ("PRESENT_REF", "XXXX-04"); None for no value. "2030" is a
    ``year``: group it by year, not as 2030-01-01."""
    if not value or not isinstance(value, str):
        return None
    v = value.strip()
    if date_span(v) is None:
        return "vague"
    for kind, rx in _DATE_RES:
        if rx.match(v):
            return "time" if kind == "day" and "T" in v else kind
    return "vague"


def _span_day(value: Optional[str], end: int) -> Optional[str]:
    span = date_span(value)
    return span[end] if span else None


@lru_cache(maxsize=4096)
def _named_uid(kb_id: Optional[str], key: Optional[str], name: Optional[str]) -> Optional[str]:
    """The uid of a stored entity (``kb_id``/``key``), else of the entity the
    KB gives for ``name`` (a role's body that no article names as an
    entity: "Sénégal" in "ministre sénégalais"), else None."""
    if kb_id or key:
        return entity_uid(kb_id, key)
    ident = _kb_ident(name) if name else None
    return entity_uid(ident) if ident else None


_PAREN = re.compile(r"\s*\([^)]*\)")


@lru_cache(maxsize=4096)
def _term(person: Optional[str], office: Optional[str], date: Optional[str], end: int) -> Optional[str]:
    """First (``end`` 0) or last (1) day of the KB's holding of ``office`` by
    ``person`` (a KB id) that covers ``date``; None when the KB does not know
    it, or for the end of an office still held."""
    if not person or not office or not date:
        return None
    from . import kb
    from .errors import DepecheError

    try:
        offices = kb.get().roles(person, date)
    except (DepecheError, sqlite3.Error):
        return None
    for off in offices:
        if _PAREN.sub("", off.title or off.role).strip() == office:
            span = date_span(off.end if end else off.start)
            return span[end] if span else None
    return None


def _register_export_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("depeche_term", 4, _term, deterministic=True)
    conn.create_function("depeche_uid", 2, entity_uid, deterministic=True)
    conn.create_function("depeche_named_uid", 3, _named_uid, deterministic=True)
    conn.create_function("depeche_qid", 1, qid, deterministic=True)
    conn.create_function("depeche_granularity", 1, granularity, deterministic=True)
    conn.create_function("depeche_day", 2, _span_day, deterministic=True)


_SEL = "(SELECT id FROM temp.export_articles)"
_ENT_SEL = "(SELECT id FROM temp.export_entities)"
_UID = "depeche_uid({0}.kb_id, {0}.key)"
# The calendar value of a time expression: its value (DATE, TIME) or the
# point a DURATION used as an offset stands for; an event's ``date`` is one.
_CAL = "(CASE WHEN {0}.type IN ('DATE', 'TIME') THEN {0}.value WHEN {0}.type = 'DURATION' THEN {0}.point END)"

# name -> (SQL with {f} where the period filter goes, columns, filter);
# columns are (name, type, description or None).
EXPORT_TABLES: dict[str, tuple[str, list[tuple[str, str, Optional[str]]], str]] = {
    "articles": (
        "SELECT a.id, a.ext_id, a.source, a.title, a.dct, a.lang, length(a.text) AS n_chars, "
        "(SELECT COUNT(*) FROM article_sources s WHERE s.article_id = a.id) AS n_sources, "
        "a.text_hash, a.ingested_at, a.text FROM articles a WHERE 1{f} ORDER BY a.id",
        [("id", I, "the article's row id in this store"),
         ("ext_id", S, "the id of its first source (a JSON `id`, else made from the file name)"),
         ("source", S, "where its first source was read"), ("title", S, "its first line"),
         ("dct", D, "publication date"), ("lang", S, None), ("n_chars", I, None),
         ("n_sources", I, "sources of this text (table sources): 1, more for a syndicated text"),
         ("text_hash", S, "SHA-256 of the normalised text"), ("ingested_at", T, None),
         ("text", S, "the text every offset indexes")],
        f" AND a.id IN {_SEL}"),
    "sources": (
        "SELECT s.id, s.article_id, s.ext_id, s.id_given, s.source, s.dct, s.added_at "
        "FROM article_sources s WHERE 1{f} ORDER BY s.id",
        [("id", I, None), ("article_id", I, "the article this source carries"), ("ext_id", S, "its id"),
         ("id_given", B, "the id came with the data (a JSON `id`), not from a file name or a line number"),
         ("source", S, "where it was read"), ("dct", D, "its publication date"), ("added_at", T, None)],
        f" AND s.article_id IN {_SEL}"),
    "entities": (
        f"SELECT e.id, {_UID.format('e')} AS uid, depeche_qid(e.kb_id) AS qid, e.kb_id, e.name, e.type, "
        "(SELECT COUNT(DISTINCT article_id) FROM article_entities ae WHERE ae.entity_id = e.id) AS n_articles, "
        "(SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS n_mentions FROM entities e "
        "WHERE 1{f} ORDER BY e.id",
        [("id", I, "the entity's row id in this store (entity_id elsewhere)"),
         ("uid", S, "identifier across stores: a Wikidata QID, else depeche:iso|geonames|kb|name:… (docs/ids.md)"),
         ("qid", S, "Wikidata QID when the KB knows it"), ("kb_id", S, "the KB's identifier, as `depeche analyze` gives it"),
         ("name", S, "canonical name"), ("type", S, "PER, ORG, GPE or LOC"),
         ("n_articles", I, "articles mentioning it (whole store)"), ("n_mentions", I, "(whole store)")],
        f" AND e.id IN {_ENT_SEL}"),
    "names": (
        f"SELECT n.entity_id, {_UID.format('e')} AS uid, n.name, n.norm, "
        "(n.norm = depeche_norm(e.name)) AS canonical FROM entity_names n JOIN entities e ON e.id = n.entity_id "
        "WHERE 1{f} ORDER BY n.entity_id, canonical DESC, n.name",
        [("entity_id", I, None), ("uid", S, None), ("name", S, "a name or alias the articles give the entity"),
         ("norm", S, "the name as compared (case, accents, punctuation, leading article folded)"),
         ("canonical", B, "the entity's canonical name")],
        f" AND n.entity_id IN {_ENT_SEL}"),
    "roles": (
        f"SELECT x.entity_id, x.uid, x.person, x.office, x.body, b.id AS body_entity_id, "
        "depeche_named_uid(b.kb_id, b.key, x.body) AS body_uid, x.source, x.date_from, x.date_to, "
        "CASE WHEN x.source = 'kb' THEN depeche_term(x.person_kb, x.office, x.date_from, 0) END AS term_start, "
        "CASE WHEN x.source = 'kb' THEN depeche_term(x.person_kb, x.office, x.date_from, 1) END AS term_end, "
        "x.n_articles FROM ("
        f"SELECT ae.entity_id, {_UID.format('en')} AS uid, en.name AS person, en.kb_id AS person_kb, "
        "json_extract(r.value, '$.title') AS office, json_extract(r.value, '$.of') AS body, "
        "json_extract(r.value, '$.source') AS source, MIN(a.dct) AS date_from, MAX(a.dct) AS date_to, "
        "COUNT(DISTINCT ae.article_id) AS n_articles "
        "FROM article_entities ae JOIN json_each(ae.roles) r JOIN entities en ON en.id = ae.entity_id "
        "JOIN articles a ON a.id = ae.article_id "
        "WHERE json_type(r.value) = 'object' AND json_extract(r.value, '$.title') IS NOT NULL{f} "
        "GROUP BY ae.entity_id, office, body, source) x "
        "LEFT JOIN entities b ON b.id = (SELECT CASE WHEN COUNT(DISTINCT n.entity_id) = 1 THEN MIN(n.entity_id) END "
        "FROM entity_names n WHERE x.body IS NOT NULL AND n.norm = depeche_norm(x.body)) "
        "ORDER BY x.entity_id, x.date_from, x.office, x.body",
        [("entity_id", I, "the person"), ("uid", S, None), ("person", S, None),
         ("office", S, "the title the articles give (\"ministre des Affaires étrangères\")"),
         ("body", S, "the country or body of the office, as named"),
         ("body_entity_id", I, "that body among the entities, when one entity bears the name"),
         ("body_uid", S, "the body's uid: that entity's, else the KB's entry for the name"),
         ("source", S, "text: the article says so; kb: the KB's holder at the article's date"),
         ("date_from", D, "publication date of the first article giving the role"),
         ("date_to", D, "publication date of the last one"),
         ("term_start", D, "kb roles: the first day of the holding, as the KB dates it"),
         ("term_end", D, "kb roles: its last day; null while the office is held or when the KB does not say"),
         ("n_articles", I, None)],
        f" AND ae.article_id IN {_SEL}"),
    "mentions": (
        f"SELECT m.id, m.article_id, m.entity_id, {_UID.format('en')} AS uid, ae.local_id, m.start_char, m.end_char, "
        "m.text FROM mentions m JOIN article_entities ae ON ae.id = m.article_entity_id "
        "JOIN entities en ON en.id = m.entity_id WHERE 1{f} ORDER BY m.id",
        [("id", I, None), ("article_id", I, None), ("entity_id", I, None), ("uid", S, None),
         ("local_id", S, "the entity's id in the article's analysis"), ("start_char", I, "offset into the article's text"),
         ("end_char", I, "exclusive"), ("text", S, None)],
        f" AND m.article_id IN {_SEL}"),
    "times": (
        "SELECT t.id, t.article_id, t.start_char, t.end_char, t.text, t.type, t.value, t.point, "
        "depeche_granularity(t.cal) AS granularity, depeche_day(t.cal, 0) AS date_start, "
        f"depeche_day(t.cal, 1) AS date_end FROM (SELECT t.*, {_CAL.format('t')} AS cal FROM times t "
        "WHERE 1{f}) t ORDER BY t.id",
        [("id", I, None), ("article_id", I, None), ("start_char", I, None), ("end_char", I, None), ("text", S, None),
         ("type", S, "TIMEX3 type: DATE, TIME, DURATION, SET"), ("value", S, "TIMEX3 value"),
         ("point", S, "the date a DURATION used as an offset points to (\"il y a trois ans\")"),
         ("granularity", S, "of the calendar value (value, or point): day, week, month, year, … or vague"),
         ("date_start", D, "first day of that calendar value"), ("date_end", D, "last day")],
        f" AND t.article_id IN {_SEL}"),
    "quotes": (
        "SELECT q.id, q.article_id, a.ext_id AS article, a.dct, q.kind, q.speaker, q.speaker_entity_id, "
        f"depeche_uid(en.kb_id, COALESCE(en.key, 'name:' || depeche_norm(q.speaker))) AS speaker_uid, "
        "q.text, q.start_char, q.end_char, q.cue_text, q.cue_start, q.cue_end "
        "FROM quotes q JOIN articles a ON a.id = q.article_id LEFT JOIN entities en ON en.id = q.speaker_entity_id "
        "WHERE 1{f} ORDER BY q.id",
        [("id", I, None), ("article_id", I, None), ("article", S, "the article's ext_id"), ("dct", D, None),
         ("kind", S, "direct or indirect"), ("speaker", S, None), ("speaker_entity_id", I, None),
         ("speaker_uid", S, None), ("text", S, None), ("start_char", I, None), ("end_char", I, None),
         ("cue_text", S, None), ("cue_start", I, None), ("cue_end", I, None)],
        f" AND q.article_id IN {_SEL}"),
    "events": (
        "SELECT e.id, e.type, e.mode, e.actor, e.actor_entity_id, "
        "depeche_uid(ea.kb_id, COALESCE(ea.key, e.actor_key)) AS actor_uid, ea.type AS actor_type, "
        "e.recipient, e.recipient_entity_id, "
        "depeche_uid(er.kb_id, COALESCE(er.key, e.recipient_key)) AS recipient_uid, er.type AS recipient_type, "
        f"e.location, e.location_entity_id, {_UID.format('el')} AS location_uid, "
        "e.date, depeche_granularity(e.date) AS date_granularity, "
        "e.date_start, e.date_end, e.dated, "
        "e.n_sources, e.n_mentions, e.first_seen, e.last_seen FROM events e "
        "LEFT JOIN entities ea ON ea.id = e.actor_entity_id LEFT JOIN entities er ON er.id = e.recipient_entity_id "
        "LEFT JOIN entities el ON el.id = e.location_entity_id WHERE 1{f} ORDER BY e.id",
        [("id", I, "the merged event"), ("type", S, "PLOVER type"), ("mode", S, "asserted, planned, negated, hypothetical"),
         ("actor", S, None), ("actor_entity_id", I, None), ("actor_uid", S, None), ("actor_type", S, None),
         ("recipient", S, None), ("recipient_entity_id", I, None), ("recipient_uid", S, None),
         ("recipient_type", S, None), ("location", S, None), ("location_entity_id", I, None),
         ("location_uid", S, None), ("date", S, "TIMEX3 value of the date the texts give"),
         ("date_granularity", S, "day, week, month, year, … or vague; null when the texts give no date"),
         ("date_start", D, "first day of the date; for an undated event, of the days up to its first report"),
         ("date_end", D, "last day"), ("dated", B, "the texts date the event (else date_start/date_end are a "
                                                   "reporting window)"),
         ("n_sources", I, "sources reporting it: distinct articles, plus other sources of the same text"),
         ("n_mentions", I, None), ("first_seen", D, "first publication date of a source"),
         ("last_seen", D, "last publication date of a source")],
        f" AND e.id IN (SELECT event_id FROM event_sources WHERE article_id IN {_SEL})"),
    "event_sources": (
        "SELECT s.id, s.event_id, s.article_id, a.ext_id AS article, a.dct, s.type, s.mode, s.trigger_text, "
        "s.trigger_start, s.trigger_end, s.actor, s.actor_entity_id, s.recipient, s.recipient_entity_id, "
        "s.location, s.location_entity_id, s.date, s.confidence, s.evidence_text, s.evidence_start, "
        "s.evidence_end FROM event_sources s JOIN articles a ON a.id = s.article_id WHERE 1{f} ORDER BY s.id",
        [("id", I, "one mention of an event in an article"), ("event_id", I, None), ("article_id", I, None),
         ("article", S, None), ("dct", D, None), ("type", S, None), ("mode", S, None), ("trigger_text", S, None),
         ("trigger_start", I, None), ("trigger_end", I, None), ("actor", S, None), ("actor_entity_id", I, None),
         ("recipient", S, None), ("recipient_entity_id", I, None), ("location", S, None),
         ("location_entity_id", I, None), ("date", S, "TIMEX3 value this mention gives"), ("confidence", F, None),
         ("evidence_text", S, "the sentence it was read from"), ("evidence_start", I, None), ("evidence_end", I, None)],
        f" AND s.article_id IN {_SEL}"),
    "event_times": (
        # the time expression of the mention's sentence whose value is its date, nearest the trigger
        "WITH cand AS (SELECT s.id AS sid, t.id AS tid, ROW_NUMBER() OVER (PARTITION BY s.id "
        "ORDER BY abs(t.start_char - COALESCE(s.trigger_start, 0)), t.id) AS rank "
        f"FROM event_sources s JOIN times t ON t.article_id = s.article_id AND {_CAL.format('t')} = s.date "
        "AND (s.evidence_start IS NULL OR (t.start_char >= s.evidence_start AND t.end_char <= s.evidence_end)) "
        "WHERE s.date IS NOT NULL{f}) "
        "SELECT s.event_id, s.id AS event_source_id, s.article_id, t.id AS time_id, t.text, t.type, t.value, "
        "t.start_char, t.end_char FROM cand JOIN event_sources s ON s.id = cand.sid JOIN times t ON t.id = cand.tid "
        "WHERE cand.rank = 1 ORDER BY s.id",
        [("event_id", I, None), ("event_source_id", I, "the event mention (table event_sources)"),
         ("article_id", I, None), ("time_id", I, "the time expression that dates it (table times)"),
         ("text", S, None), ("type", S, None), ("value", S, None), ("start_char", I, None), ("end_char", I, None)],
        f" AND s.article_id IN {_SEL}"),
    "warnings": (
        "SELECT w.id, w.article_id, w.code, w.start_char, w.end_char, w.message FROM warnings w WHERE 1{f} "
        "ORDER BY w.id",
        [("id", I, None), ("article_id", I, None), ("code", S, None), ("start_char", I, None), ("end_char", I, None),
         ("message", S, None)],
        f" AND w.article_id IN {_SEL}"),
}
_UID_DOC = "identifier across stores: a Wikidata QID, else depeche:iso|geonames|kb|name:… (docs/ids.md)"


def _default_description(col: str) -> Optional[str]:
    if col == "uid" or col.endswith("_uid"):
        return _UID_DOC
    if col == "article_id":
        return "row id in table articles"
    if col == "entity_id" or col.endswith("_entity_id"):
        return "row id in table entities"
    if col.endswith("_start") and col not in ("date_start",) or col == "start_char":
        return "character offset into the article's text"
    if col.endswith("_end") and col not in ("date_end",) or col == "end_char":
        return "character offset into the article's text, exclusive"
    return None


for _name, (_sql, _cols, _cond) in EXPORT_TABLES.items():
    EXPORT_TABLES[_name] = (_sql, [(c, t, d or _default_description(c)) for c, t, d in _cols], _cond)
_CHUNK = 5000


def _rows(cur) -> Iterator[list]:
    while True:
        rows = cur.fetchmany(_CHUNK)
        if not rows:
            return
        yield rows


def _as_date(v) -> Optional[_dt.date]:
    if v is None or v == "":
        return None
    try:
        return _dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _as_timestamp(v) -> Optional[_dt.datetime]:
    if v is None or v == "":
        return None
    try:
        t = _dt.datetime.fromisoformat(str(v))
    except ValueError:
        return None
    return t.replace(tzinfo=_dt.timezone.utc) if t.tzinfo is None else t.astimezone(_dt.timezone.utc)


def _plain(kind: str) -> Callable[[Any], Any]:
    """A value as CSV and JSON Lines give it: dates as ISO text, booleans as booleans."""
    if kind == D:
        return lambda v: None if (d := _as_date(v)) is None else d.isoformat()
    if kind == T:
        return lambda v: None if (t := _as_timestamp(v)) is None else t.isoformat()
    if kind == B:
        return lambda v: None if v is None else bool(v)
    return lambda v: v


_ARROW_NAMES = {I: "int64", S: "string", F: "float64", B: "bool", D: "date32", T: "timestamp[ms, UTC]"}


def export_schema(name: str, meta: Optional[dict] = None) -> dict:
    """What an export writes in a Parquet file's metadata (key ``depeche``):
    the depeche version, the store's schema version, the table, its columns
    (name, type, description) and the filters of the export."""
    from . import __version__

    return {"depeche_version": __version__, "store_schema_version": SCHEMA_VERSION, "table": name,
            "identifiers": "docs/ids.md", **(meta or {}),
            "columns": [{"name": c, "type": _ARROW_NAMES[t], **({"description": d} if d else {})}
                        for c, t, d in EXPORT_TABLES[name][1]]}


def _write_parquet(path: Path, cols, cur, name: str, meta: dict, bom: bool = False) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from . import __version__

    types = {I: pa.int64(), S: pa.string(), F: pa.float64(), B: pa.bool_(), D: pa.date32(),
             T: pa.timestamp("ms", tz="UTC")}
    conv = {D: _as_date, T: _as_timestamp, B: lambda v: None if v is None else bool(v)}
    fields = [pa.field(c, types[t], metadata={"description": d} if d else None) for c, t, d in cols]
    schema = pa.schema(fields, metadata={"depeche": json.dumps(export_schema(name, meta), ensure_ascii=False),
                                         "depeche_version": __version__})
    n = 0
    with pq.ParquetWriter(str(path), schema) as w:
        for rows in _rows(cur):
            arrays = []
            for k, (c, t, _) in enumerate(cols):
                f = conv.get(t)
                values = [r[k] for r in rows] if f is None else [f(r[k]) for r in rows]
                arrays.append(pa.array(values, type=types[t]))
            w.write_table(pa.Table.from_arrays(arrays, schema=schema))
            n += len(rows)
        if n == 0:
            w.write_table(schema.empty_table())
    return n


def _write_csv(path: Path, cols, cur, name: str, meta: dict, bom: bool = False) -> int:
    n = 0
    conv = [_plain(t) for _, t, _ in cols]
    bools = [t == B for _, t, _ in cols]
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([c for c, _, _ in cols])
        for rows in _rows(cur):
            for r in rows:
                vals = [fn(v) for fn, v in zip(conv, r)]
                w.writerow([("true" if v else "false") if b and v is not None else v for b, v in zip(bools, vals)])
            n += len(rows)
    return n


def _write_jsonl(path: Path, cols, cur, name: str, meta: dict, bom: bool = False) -> int:
    n = 0
    names = [c for c, _, _ in cols]
    conv = [_plain(t) for _, t, _ in cols]
    with open(path, "w", encoding="utf-8") as f:
        for rows in _rows(cur):
            for r in rows:
                f.write(json.dumps({k: fn(v) for k, fn, v in zip(names, conv, r)}, ensure_ascii=False) + "\n")
            n += len(rows)
    return n


_WRITERS = {"parquet": _write_parquet, "csv": _write_csv, "jsonl": _write_jsonl}


# -- ingest -------------------------------------------------------------------

@dataclass
class IngestSummary:
    ingested: int = 0
    skipped: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (source, code, message)
    sources: int = 0  # copies of stored texts under a new id, recorded as sources of those articles
    seconds: float = 0.0
    load_seconds: float = 0.0  # of ``seconds``, spent loading the language model

    @property
    def rate(self) -> float:
        """Articles per second, model loading left out."""
        done = self.ingested + self.skipped + self.sources + len(self.failed)
        busy = self.seconds - self.load_seconds
        return done / busy if busy > 0 else 0.0

    def to_dict(self) -> dict:
        return {"ingested": self.ingested, "skipped": self.skipped, "sources": self.sources,
                "failed": [{"source": s, "code": c, "message": m} for s, c, m in self.failed],
                "seconds": round(self.seconds, 3), "load_seconds": round(self.load_seconds, 3),
                "articles_per_second": round(self.rate, 2)}


def iter_files(paths: Iterable[Union[str, Path]], exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """Every file named or found (recursively, sorted, hidden names skipped)
    in ``paths``; missing paths are yielded too so their failure is reported."""
    skip = {p.resolve() for p in exclude}
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith(".") and f.resolve() not in skip:
                    yield f
        elif p.resolve() not in skip:
            yield p


Item = Any  # nlp.Article or nlp.Failure
Progress = Callable[[str, str, Optional[str]], None]


def lazy_analyze(get_pipeline: Callable[[], Any], batch_size: int = 16) -> Callable[[Iterable[Item]], Iterator[Any]]:
    """An ``analyze`` function for :func:`ingest` that loads the pipeline
    only when a first article needs analysing: a re-run over articles all
    stored already does not load the language model."""
    from itertools import chain

    from .nlp import Failure

    def analyze(items: Iterable[Item]) -> Iterator[Any]:
        it = iter(items)
        for item in it:
            if isinstance(item, Failure):
                yield item  # passed through, in order, as analyze_many does
                continue
            yield from get_pipeline().analyze_many(chain([item], it), batch_size=batch_size)
            return

    return analyze


def ingest(store: Store, paths: Iterable[Union[str, Path]], pipeline: Any = None,
           dct: Optional[str] = None, batch_size: int = 16, model: Optional[str] = None,
           analyze: Optional[Callable[[Iterable[Item]], Iterable[Any]]] = None,
           progress: Optional[Progress] = None, stdin: Optional[IO[bytes]] = None) -> IngestSummary:
    """Read, analyse and store every article in ``paths``.

    Articles whose normalised text is already stored are skipped before
    analysis; each stored article is committed on its own. ``analyze`` maps
    an iterable of Articles/Failures to Analyses/Failures in the same order
    (default: ``pipeline``, else the shared pipeline of ``model``, loaded on
    the first article that needs it; a worker pool's ``analyze`` fits).
    ``progress(status, source, detail)`` is called once per article with
    status ``ingested``, ``skipped``, ``source`` (a stored text under a new
    id: recorded as one more source of its article, not analysed again) or
    ``failed``. A new text under an id given for another stored text is a
    failure (``id_conflict``), not analysed. A path ``-`` reads standard
    input (``stdin``), as ``depeche analyze`` does.
    """
    from collections import deque

    from . import batch
    from .nlp import Failure, check_dct

    dct = check_dct(dct)
    if analyze is None:
        def get_pipeline():
            if pipeline is not None:
                return pipeline
            import depeche
            t0 = time.perf_counter()
            loaded = depeche.load(model)
            summary.load_seconds += time.perf_counter() - t0
            return loaded

        analyze = lazy_analyze(get_pipeline, batch_size)

    summary = IngestSummary()
    started = time.perf_counter()
    note = progress or (lambda status, source, detail: None)
    own = [store.path, Path(f"{store.path}-wal"), Path(f"{store.path}-shm"), Path(f"{store.path}-journal")]
    pending: deque = deque()
    in_flight: set[str] = set()
    copies: deque = deque()  # (source, hash, Article) of texts stored or in flight: maybe new sources

    def fail(source: str, item: Optional[str], code: str, message: str) -> None:
        store.record_failure(source, item, code, message)
        summary.failed.append((source if not item or item == source else f"{source} [{item}]", code, message))
        note("failed", source, message)

    # Known hashes are looked up on a connection of their own: ``analyze``
    # may consume ``items()`` in another thread (a worker pool's feeder).
    # Copies are written by this thread, in ``_consume``.
    reader = sqlite3.connect(str(store.path), check_same_thread=False, timeout=10)

    def known(h: str) -> bool:
        return reader.execute("SELECT 1 FROM articles WHERE text_hash = ?", (h,)).fetchone() is not None

    def conflict(ext_id: str, h: str) -> Optional[int]:
        row = reader.execute("SELECT s.article_id FROM article_sources s JOIN articles a ON a.id = s.article_id "
                             "WHERE s.ext_id = ? AND s.id_given = 1 AND a.text_hash != ? LIMIT 1",
                             (ext_id, h)).fetchone()
        return row[0] if row else None

    def sources() -> Iterator[tuple[str, Item]]:
        names = [str(p) for p in paths]
        for name in names:
            if name == "-":
                for it in batch.read_text_stream(stdin or sys.stdin.buffer, "<stdin>", dct):
                    yield "<stdin>", it
                continue
            for path in iter_files([name], exclude=own):
                for it in batch.read_path(path, dct):
                    yield str(path), it

    def items() -> Iterator[Item]:
        for source, it in sources():
            if isinstance(it, Failure):
                pending.append((source, None, it))
                yield it
                continue
            h = text_hash(it.text) if isinstance(it.text, str) else None
            if h is not None and (h in in_flight or known(h)):
                copies.append((source, h, it))
                continue
            if h is not None and it.id is not None and getattr(it, "id_given", True):
                other = conflict(str(it.id), h)
                if other is not None:  # reported in order, never analysed
                    bad = Failure(it.id, ArticleIdConflictError(
                        f"article id {it.id!r} is already stored with another text (stored article {other}); "
                        f"a new text needs a new id"))
                    pending.append((source, None, bad))
                    yield bad
                    continue
            if h is not None:
                in_flight.add(h)
            pending.append((source, h, it))
            yield it

    try:
        _consume(store, analyze(items()), pending, in_flight, summary, note, fail, copies)
        _copies(store, copies, in_flight, summary, note, fail, final=True)
    finally:
        reader.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _copies(store, copies: deque, in_flight: set, summary, note, fail, final: bool = False) -> None:
    """Record the copies of stored texts met so far as sources of their
    articles (a copy of a text still in flight waits, unless ``final``)."""
    for _ in range(len(copies)):
        source, h, art = copies.popleft()
        if h in in_flight and not final:
            copies.append((source, h, art))
            continue
        try:
            new = store.add_source(h, art.id, source, art.dct, getattr(art, "id_given", True))
        except StoreError as e:
            fail(source, art.id, e.code, str(e))
            continue
        if new:
            summary.sources += 1
            note("source", source, art.id)
        else:
            summary.skipped += 1
            note("skipped", source, art.id)


def _consume(store, results, pending, in_flight, summary, note, fail, copies: Optional[deque] = None) -> None:
    from .nlp import Failure

    for res in results:
        if copies:
            _copies(store, copies, in_flight, summary, note, fail)
        source, h, art = pending.popleft()
        item_id = getattr(art, "id", None)
        if isinstance(res, Failure):
            err = res.error
            code = getattr(err, "code", "error")
            fail(source, res.id if res.id is not None else item_id, code, str(err))
            continue
        bad = unusable(res)
        if bad:
            fail(source, item_id, bad[0], bad[1])
            continue
        try:
            rid = store.write_article(make_record(res, source, h, getattr(art, "id_given", None)))
        except StoreError as e:
            fail(source, item_id, e.code, str(e))
            continue
        if rid is None and store.last_write == "source":
            summary.sources += 1
            note("source", source, item_id)
        elif rid is None:
            summary.skipped += 1
            note("skipped", source, item_id)
        else:
            summary.ingested += 1
            note("ingested", source, item_id)
        if h is not None:
            in_flight.discard(h)


def load_shards(store: Store, paths: Iterable[Union[str, Path]],
                progress: Optional[Progress] = None) -> IngestSummary:
    """Store the analyses of JSON Lines shards (``depeche ingest --dask``
    writes them): each record an article's analysis with its ``text``, or
    ``{"id", "error"}`` for an article that failed. Idempotent, like ingest."""
    from .cluster import read_shards

    summary = IngestSummary()
    started = time.perf_counter()
    note = progress or (lambda status, source, detail: None)
    pending: deque = deque()
    in_flight: set[str] = set()

    def fail(source: str, item: Optional[str], code: str, message: str) -> None:
        store.record_failure(source, item, code, message)
        summary.failed.append((source if not item or item == source else f"{source} [{item}]", code, message))
        note("failed", source, message)

    def records() -> Iterator[dict]:
        for source, rec in read_shards(paths, with_source=True):
            err = rec.get("error")
            text = rec.get("text")
            if err or not isinstance(text, str):
                err = err if isinstance(err, dict) else {"code": "bad_record", "message": "a shard record without text"}
                fail(source, rec.get("id"), err.get("code", "error"), err.get("message", ""))
                continue
            h = text_hash(text)
            art = SimpleNamespace(id=rec.get("id"), dct=rec.get("dct"), id_given=rec.get("id_given", True))
            if h in in_flight or store.has_hash(h):
                copies.append((source, h, art))
                continue
            in_flight.add(h)
            pending.append((source, h, art))
            yield rec

    copies: deque = deque()
    _consume(store, records(), pending, in_flight, summary, note, fail, copies)
    _copies(store, copies, in_flight, summary, note, fail, final=True)
    summary.seconds = time.perf_counter() - started
    return summary


__all__ = [
    "Store", "ingest", "load_shards", "lazy_analyze", "make_record", "analysis_dict", "unusable",
    "IngestSummary", "iter_files", "text_hash", "id_looks_given", "entity_uid", "qid", "granularity",
    "export_schema", "EXPORT_TABLES",
    "normalise_name", "entity_key", "date_span", "dates_agree", "modes_agree", "fts_query",
    "DEFAULT_DB", "EXPORT_FORMATS", "MIGRATIONS", "SCHEMA_VERSION", "StoreError",
]
