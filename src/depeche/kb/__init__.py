"""The offline knowledge base: countries, cities, organisations, offices and
their holders, in a local SQLite file.

The file lives in ``$DEPECHE_HOME`` (or ``~/.cache/depeche/``) as
``kb.sqlite``. It is built on first use from the packaged data (see
:mod:`depeche.kb.build`) and rebuilt when that data changes; entities
imported from a Wikidata dump (:mod:`depeche.kb.wikidata`) are kept across
rebuilds.

API for the stages::

    kb = depeche.kb.get()                 # the shared, cached instance
    kb.lookup("l'OTAN")                   # -> Record(key='nato', kb_id='Q7184', name='OTAN', type='ORG', ...)
    kb.holder("secretary_general", "nato", "2024-04-03")   # -> Record of Jens Stoltenberg
    kb.roles("Jens Stoltenberg", "2024-04-03")             # -> [Office(...)]
    depeche.kb.demonym("ukrainienne")     # -> 'UA'
"""
from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

from ..errors import KBError
from .build import build_packaged, data_files, fingerprint, norm

__all__ = ["KB", "Record", "Office", "get", "open_kb", "default_path", "norm", "demonym",
           "role_of_title"]

KB_FILE = "kb.sqlite"


@dataclass(frozen=True)
class Record:
    """One KB entity."""
    id: int
    key: str
    kb_id: Optional[str]
    name: str
    type: str
    kind: Optional[str] = None
    country: Optional[str] = None
    part_of: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    population: Optional[int] = None
    gender: Optional[str] = None
    source: Optional[str] = None
    origin: str = "packaged"
    weak: bool = False  # found through a weak name ("l'Alliance")
    quality: int = 0    # of the name it was found by: 0 curated or French, 1 English, 2 alternate

    @property
    def ident(self) -> str:
        """The identifier to output: QID, ISO code, geonames:ID, or the local key."""
        return self.kb_id or self.key


@dataclass(frozen=True)
class Office:
    """An office a person holds at a date."""
    key: str
    role: str
    of: Optional[str]
    title: Optional[str]
    start: Optional[str]
    end: Optional[str]
    source: Optional[str] = None


_COLS = "e.id, e.key, e.kb_id, e.name, e.type, e.kind, e.country, e.part_of, e.lat, e.lon, " \
        "e.population, e.gender, e.source, e.origin"


def default_home() -> Path:
    env = os.environ
    return _home(env.get("DEPECHE_HOME"), env.get("XDG_CACHE_HOME"), env.get("HOME"))


def default_path() -> Path:
    env = os.environ
    return _kb_path(env.get("DEPECHE_HOME"), env.get("XDG_CACHE_HOME"), env.get("HOME"))


@lru_cache(maxsize=8)
def _home(depeche_home: Optional[str], xdg_cache: Optional[str], home: Optional[str]) -> Path:
    if depeche_home:
        return Path(depeche_home)
    return Path(xdg_cache or Path.home() / ".cache") / "depeche"


@lru_cache(maxsize=8)
def _kb_path(depeche_home: Optional[str], xdg_cache: Optional[str], home: Optional[str]) -> Path:
    return _home(depeche_home, xdg_cache, home) / KB_FILE


def _date_key(d: Optional[str], end: bool) -> str:
    """A comparable full date for a possibly partial ISO date."""
    if not d:
        return "9999-12-31" if end else "0000-01-01"
    d = str(d)
    if len(d) == 4:
        return d + ("-12-31" if end else "-01-01")
    if len(d) == 7:
        return d + ("-31" if end else "-01")
    return d[:10]


class KB:
    """A connection to a KB file. Build with :func:`open_kb` or :func:`get`."""

    def __init__(self, path: Union[str, Path], con: sqlite3.Connection):
        self.path = Path(path)
        self.con = con
        self._lock = threading.Lock()
        self._lookup_cache: dict[tuple[str, bool], list[Record]] = {}
        # Rows of read queries: an article asks the same few questions
        # (a person's offices, a country by its code) again and again.
        self._rows_cache: dict[tuple, list[tuple]] = {}

    # -- reading ---------------------------------------------------------
    def _q(self, sql: str, args=()) -> list[tuple]:
        key = (sql, tuple(args))
        rows = self._rows_cache.get(key)
        if rows is None:
            with self._lock:
                rows = self.con.execute(sql, args).fetchall()
                if len(self._rows_cache) > 100_000:
                    self._rows_cache.clear()
                self._rows_cache[key] = rows
        return list(rows)

    def _rec(self, row: tuple, weak: bool = False, quality: int = 0) -> Record:
        return Record(*row, weak=bool(weak), quality=quality or 0)

    def candidates(self, name: str, weak: bool = True) -> list[Record]:
        """Every record one of whose names is ``name`` (after :func:`norm`),
        best first: French and curated names before other languages, then
        countries, organisations and persons before cities, then larger
        cities first. Weak names are included when ``weak``."""
        n = norm(name)
        if not n:
            return []
        ck = (n, weak)
        hit = self._lookup_cache.get(ck)
        if hit is not None:
            return hit
        rows = self._q(
            f"SELECT {_COLS}, MIN(nm.weak), MIN(CASE nm.lang WHEN 'en' THEN 1 WHEN 'alt' THEN 2 ELSE 0 END) "
            "FROM name nm JOIN entity e ON e.id = nm.entity WHERE nm.norm = ? "
            + ("" if weak else "AND nm.weak = 0 ") + "GROUP BY e.id", (n,))
        kind_rank = {"country": 0, "region": 2, "state": 2, "city": 3, "person": 1}

        def rank(r):
            w, en = r[14], r[15]
            import_rank = 0 if r[13] == "packaged" else 1
            if r[5] == "city":
                # a city named by one of its alternate names counts as a twentieth
                # of its size: "Pékin" is Beijing rather than Pekin (Illinois)
                size = (r[10] or 0) / (20 if en >= 2 else 1)
                return (w, 0, kind_rank["city"], -size, import_rank)
            return (w, min(en, 1), kind_rank.get(r[5], 1), en, import_rank, -(r[10] or 0))

        rows.sort(key=rank)
        out = [self._rec(r[:14], r[14], r[15]) for r in rows]
        if len(self._lookup_cache) > 50_000:
            self._lookup_cache.clear()
        self._lookup_cache[ck] = out
        return out

    def lookup(self, name: str, type: Optional[str] = None, weak: bool = False) -> Optional[Record]:
        """The best record named ``name`` (of ``type`` when given), or None."""
        for r in self.candidates(name, weak=weak):
            if type is None or r.type == type:
                return r
        return None

    def get(self, key: str) -> Optional[Record]:
        """The record with this local key or output id (QID, ISO code, geonames:ID)."""
        rows = self._q(f"SELECT {_COLS} FROM entity e WHERE e.key = ? OR e.kb_id = ? "
                       "ORDER BY e.origin = 'import', e.id LIMIT 1", (key, key))
        if not rows and len(key) == 2 and key.isalpha():
            rows = self._q(f"SELECT {_COLS} FROM entity e WHERE e.key = ?", (f"country:{key.upper()}",))
        return self._rec(rows[0]) if rows else None

    def names(self, key: str) -> list[str]:
        r = self.get(key)
        if r is None:
            return []
        return [d for (d,) in self._q("SELECT display FROM name WHERE entity = ? AND weak = 0", (r.id,))]

    def _of_key(self, of: Optional[str]) -> Optional[str]:
        """An office's ``of`` (org key or ISO code) from a key, code, QID or name."""
        if not of:
            return None
        rows = self._q("SELECT 1 FROM office WHERE of = ? LIMIT 1", (of,))
        if rows:
            return of
        r = self.get(of) or self.lookup(of)
        if r is None:
            return of
        if r.kind == "country" and r.country:
            return r.country
        return r.key

    def holders(self, role: str, of: Optional[str], date: Optional[str] = None) -> list[tuple[Record, Office]]:
        """Who held ``role`` of ``of`` at ``date`` (every holder when no date)."""
        roles = _role_equivalents(role)
        ofk = self._of_key(of)
        sql = (f"SELECT {_COLS}, o.key, o.role, o.of, o.title, h.start, h.end, o.source "
               "FROM holding h JOIN office o ON o.id = h.office JOIN entity e ON e.id = h.entity "
               f"WHERE o.role IN ({','.join('?' * len(roles))})")
        args: list = list(roles)
        if ofk is not None:
            sql += " AND o.of = ?"
            args.append(ofk)
        out = []
        for row in self._q(sql, args):
            off = Office(*row[14:])
            if date:
                d = str(date)[:10]
                if not (_date_key(off.start, False) <= d < _date_key(off.end, True)
                        or (off.end and _date_key(off.end, True) == d)):
                    continue
            out.append((self._rec(row[:14]), off))
        out.sort(key=lambda p: _date_key(p[1].start, False), reverse=True)
        return out

    def holder(self, role: str, of: Optional[str], date: Optional[str]) -> Optional[Record]:
        """The person holding ``role`` of ``of`` at ``date`` (ISO), or None."""
        hs = self.holders(role, of, date)
        return hs[0][0] if hs else None

    def roles(self, who: Union[str, Record], date: Optional[str] = None) -> list[Office]:
        """The offices a person (record, key, QID or name) held at ``date``."""
        r = who if isinstance(who, Record) else (self.get(who) or self.lookup(who, "PER"))
        if r is None:
            return []
        rows = self._q("SELECT o.key, o.role, o.of, o.title, h.start, h.end, o.source FROM holding h "
                       "JOIN office o ON o.id = h.office WHERE h.entity = ?", (r.id,))
        out = []
        for row in rows:
            off = Office(*row)
            if date and not (_date_key(off.start, False) <= str(date)[:10] <= _date_key(off.end, True)):
                continue
            out.append(off)
        return out

    def import_dump(self, path: Union[str, Path]):
        """Stream a Wikidata JSON dump into this KB (see :mod:`depeche.kb.wikidata`)."""
        from .wikidata import import_dump
        with self._lock:
            try:
                st = import_dump(self.con, path)
            except sqlite3.Error as e:
                self.con.rollback()
                raise KBError(f"cannot import into the knowledge base {self.path}: {e}") from e
            self._lookup_cache.clear()
            self._rows_cache.clear()
        return st

    def stats(self) -> dict[str, int]:
        out = {}
        for t, n in self._q("SELECT type, COUNT(*) FROM entity GROUP BY type"):
            out[t] = n
        out["names"] = self._q("SELECT COUNT(*) FROM name")[0][0]
        out["offices"] = self._q("SELECT COUNT(*) FROM office")[0][0]
        out["holdings"] = self._q("SELECT COUNT(*) FROM holding")[0][0]
        out["imported"] = self._q("SELECT COUNT(*) FROM entity WHERE origin='import'")[0][0]
        return out

    def skipped(self) -> list[str]:
        """The packaged data files the last build could not read, with the reason."""
        rows = self._q("SELECT value FROM meta WHERE key='skipped'")
        return [x for x in (rows[0][0] if rows and rows[0][0] else "").split("\n") if x]

    def close(self) -> None:
        self.con.close()


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    except (OSError, sqlite3.Error) as e:
        raise KBError(f"cannot open the knowledge base {path}: {e}") from e
    con.execute("PRAGMA foreign_keys = ON")
    return con


def _fingerprint_of(con: sqlite3.Connection) -> Optional[str]:
    try:
        row = con.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def open_kb(path: Union[str, Path, None] = None, rebuild: bool = False,
            files: Optional[list[tuple[str, str]]] = None, with_geo: bool = True) -> KB:
    """Open the KB at ``path`` (default: :func:`default_path`), building or
    rebuilding its packaged part when it is missing or out of date.
    ``files`` replaces the packaged data files (tests).

    A rebuild writes a new file next to the old one, copies the imported
    entities into it and moves it in place: a process reading the old file
    meanwhile is not disturbed."""
    path = Path(path) if path else default_path()
    want = fingerprint(files if files is not None else data_files()) + ("" if with_geo else "-nogeo")
    con = _connect(path)
    if not rebuild and _fingerprint_of(con) == want:
        return KB(path, con)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        if tmp.exists():
            tmp.unlink()
        new = _connect(tmp)
        try:
            build_packaged(new, files, with_geo=with_geo)
            from .wikidata import copy_imported
            copy_imported(con, new)
            new.commit()
        finally:
            new.close()
        con.close()
        os.replace(tmp, path)
    except (sqlite3.Error, OSError) as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise KBError(f"cannot build the knowledge base {path}: {e}") from e
    return KB(path, _connect(path))


_shared: dict[str, KB] = {}
_shared_lock = threading.Lock()


def get(path: Union[str, Path, None] = None) -> KB:
    """The shared KB of this process (opened once)."""
    p = str(Path(path) if path else default_path())
    with _shared_lock:
        kb = _shared.get(p)
        if kb is None:
            kb = open_kb(p)
            _shared[p] = kb
        return kb


# -- language data helpers ------------------------------------------------

@lru_cache(maxsize=1)
def _given_names() -> dict[str, str]:
    from importlib import resources
    text = resources.files(__package__).joinpath("data", "given_names.tsv").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, g = line.partition("\t")
            out[name] = g
    return out


def given_name_gender(name: str) -> Optional[str]:
    """"Masc" or "Fem" for a given name whose gender is near-certain across
    countries ("Karin" → "Fem", "Moussa" → "Masc"), None for an ambiguous or
    unknown one (``kb/data/given_names.tsv``, built by scripts/build_given_names.py)."""
    g = _given_names().get(norm(name))
    return {"m": "Masc", "f": "Fem"}.get(g) if g else None


@lru_cache(maxsize=None)
def _demonyms(lang: str) -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str]]]:
    from .. import lang as _lang
    d = _lang.load(lang, "demonyms")
    table: dict[str, str] = {}
    for code, words in d.get("countries", {}).items():
        for w in words:
            table[norm(w)] = code
    for body, words in d.get("bodies", {}).items():
        for w in words:
            table[norm(w)] = body
    ends = d.get("endings", {})
    return table, [tuple(x) for x in ends.get("feminine", [])], [tuple(x) for x in ends.get("plural", [])]


def _demonym_forms(word: str, lemma: Optional[str], fem, plural) -> list[str]:
    """The lookup forms of a demonym: itself, its lemma, and the masculine
    singular its regular plural and feminine endings give."""
    forms = [norm(word)]
    if lemma:
        forms.append(norm(lemma))
    for f in list(forms):
        for suf, rep in plural:
            if f.endswith(suf) and len(f) > len(suf) + 2:
                forms.append(f[: len(f) - len(suf)] + rep)
    for f in list(forms):
        for suf, rep in fem:
            if f.endswith(suf) and len(f) > len(suf) + 2:
                forms.append(f[: len(f) - len(suf)] + rep)
    return forms


@lru_cache(maxsize=1 << 14)
def demonym(word: str, lang: str = "fr", lemma: Optional[str] = None) -> Optional[str]:
    """The ISO code or body key a nationality adjective or demonym names
    ("ukrainienne", "les Ukrainiens", "les Vingt-Sept"), or None."""
    table, fem, plural = _demonyms(lang)
    return next((table[f] for f in _demonym_forms(word, lemma, fem, plural) if f in table), None)


@lru_cache(maxsize=1 << 14)
def demonym_gender(word: str, lang: str = "fr") -> Optional[str]:
    """"Masc" or "Fem" as the form of a demonym tells ("Autrichien",
    "Autrichienne"), None when it does not ("Belge", "Russe") or the word is
    no demonym."""
    table, fem, plural = _demonyms(lang)
    places = _place_demonyms(lang)
    known = lambda f: f in table or f in places  # noqa: E731
    forms = [norm(word)]
    for suf, rep in plural:
        if forms[0].endswith(suf) and len(forms[0]) > len(suf) + 2:
            forms.append(forms[0][: len(forms[0]) - len(suf)] + rep)
    for f in forms:
        if known(f):
            return None if f.endswith("e") else "Masc"
        for suf, rep in fem:
            if f.endswith(suf) and len(f) > len(suf) + 2 and known(f[: len(f) - len(suf)] + rep):
                return "Fem"
    return None


@lru_cache(maxsize=None)
def _place_demonyms(lang: str) -> dict[str, tuple[str, str]]:
    from .. import lang as _lang
    d = _lang.load(lang, "demonyms")
    return {norm(w): (code, place) for w, (code, place) in d.get("places", {}).items()}


@lru_cache(maxsize=1 << 14)
def place_demonym(word: str, lang: str = "fr", lemma: Optional[str] = None) -> Optional[tuple[str, str]]:
    """(ISO code of the country, place name) of the demonym of a region, a
    city or a people ("valaisanne" → ("CH", "Valais"), "les Gantois"), or None."""
    _, fem, plural = _demonyms(lang)
    table = _place_demonyms(lang)
    return next((table[f] for f in _demonym_forms(word, lemma, fem, plural) if f in table), None)


@lru_cache(maxsize=None)
def _role_table(lang: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    from .. import lang as _lang
    d = _lang.load(lang, "roles")
    titles = {}
    for key, words in d.get("titles", {}).items():
        for w in words:
            titles.setdefault(norm(w), key)
    eq = {k: tuple(v) for k, v in d.get("equivalent", {}).items()}
    return titles, eq


def role_of_title(title: str, lang: str = "fr") -> Optional[str]:
    """The role key a French title names ("chef de la diplomatie" -> foreign_minister)."""
    return _role_table(lang)[0].get(norm(title))


@lru_cache(maxsize=None)
def role_covers(role: str, lang: str = "fr") -> frozenset:
    """The specific offices a general title covers in the text ("ministre" →
    every minister's office), its equivalents and itself included."""
    from .. import lang as _lang
    covers = _lang.load(lang, "roles").get("covers", {}).get(role, [])
    return frozenset(_role_equivalents(role, lang)) | frozenset(covers)


def _role_equivalents(role: str, lang: str = "fr") -> tuple[str, ...]:
    eq = _role_table(lang)[1].get(role)
    out = [role]
    for r in eq or ():
        if r not in out:
            out.append(r)
    return tuple(out)
