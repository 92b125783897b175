"""Import entities from a Wikidata JSON dump into the local KB.

The dump is the standard one: a JSON array with one entity per line
(``[``, then ``{...},`` lines, then ``]``), plain, ``.gz`` or ``.bz2``. Read
as a stream: a full dump can be imported without loading it in memory.

Kept per entity: labels and aliases in French and English, P31 (instance
of) for the type, P17 (country), P625 (coordinates), P39 (positions held)
with P580/P582 (start/end) qualifiers. Imported rows carry ``origin =
'import'`` and survive a rebuild of the packaged part of the KB.
"""
from __future__ import annotations

import bz2
import gzip
import io
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator, Optional, Union

from ..errors import KBError
from .build import norm

LANGS = ("fr", "en")

# P31 classes (Wikidata identifiers, language-neutral) -> (type, kind).
CLASSES: dict[str, tuple[str, str]] = {
    "Q5": ("PER", "person"),
    "Q6256": ("GPE", "country"), "Q3624078": ("GPE", "country"), "Q3024240": ("GPE", "country"),
    "Q515": ("GPE", "city"), "Q1549591": ("GPE", "city"), "Q5119": ("GPE", "city"),
    "Q1637706": ("GPE", "city"), "Q486972": ("GPE", "city"), "Q532": ("GPE", "city"),
    "Q3957": ("GPE", "city"), "Q200250": ("GPE", "city"), "Q10864048": ("GPE", "region"),
    "Q107390": ("GPE", "region"), "Q34876": ("GPE", "region"), "Q82794": ("LOC", "region"),
    "Q165": ("LOC", "sea"), "Q23397": ("LOC", "lake"), "Q4022": ("LOC", "river"), "Q8502": ("LOC", "mountain"),
    "Q5107": ("LOC", "continent"), "Q23442": ("LOC", "island"),
    "Q43229": ("ORG", "organisation"), "Q484652": ("ORG", "intergovernmental"),
    "Q245065": ("ORG", "intergovernmental"), "Q7278": ("ORG", "party"), "Q327333": ("ORG", "agency"),
    "Q192350": ("ORG", "ministry"), "Q4830453": ("ORG", "company"), "Q783794": ("ORG", "company"),
    "Q891723": ("ORG", "company"), "Q163740": ("ORG", "ngo"), "Q79913": ("ORG", "ngo"),
    "Q17149090": ("ORG", "armed_group"), "Q176799": ("ORG", "armed_forces"), "Q41487": ("ORG", "court"),
    "Q1752346": ("ORG", "media"), "Q1002697": ("ORG", "media"), "Q11032": ("ORG", "media"),
    "Q1193236": ("ORG", "media"), "Q35798": ("ORG", "government"),
    "Q4164871": ("POSITION", "position"), "Q294414": ("POSITION", "position"),
    "Q30461": ("POSITION", "position"), "Q83307": ("POSITION", "position"),
    "Q48352": ("POSITION", "position"), "Q2285706": ("POSITION", "position"),
}


@dataclass
class WDEntity:
    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    malformed: int = 0  # values left out because they were not of their type
    aliases: list[tuple[str, str]] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    country: Optional[str] = None           # QID of P17
    coords: Optional[tuple[float, float]] = None
    positions: list[tuple[str, Optional[str], Optional[str], Optional[str]]] = field(default_factory=list)
    # (position QID, start, end, of QID from P642/P1001 when given)
    iso2: Optional[str] = None               # P297


def open_dump(path: Union[str, Path]) -> IO[str]:
    p = str(path)
    try:
        if p.endswith(".gz"):
            return io.TextIOWrapper(gzip.open(p, "rb"), encoding="utf-8")
        if p.endswith(".bz2"):
            return io.TextIOWrapper(bz2.open(p, "rb"), encoding="utf-8")
        return open(p, encoding="utf-8")
    except OSError as e:
        raise KBError(f"cannot read the Wikidata dump {p}: {e}") from e


def _value(snak: dict):
    if not isinstance(snak, dict) or snak.get("snaktype", "value") != "value":
        return None
    return _d(snak.get("datavalue")).get("value")


def _item(snak: dict) -> Optional[str]:
    v = _value(_d(snak))
    if isinstance(v, dict):
        if v.get("id"):
            return str(v["id"])
        if v.get("numeric-id") is not None:
            return f"Q{v['numeric-id']}"
    return None


def _time(snak: dict) -> Optional[str]:
    v = _value(snak)
    if not isinstance(v, dict) or not isinstance(v.get("time"), str):
        return None
    t = v["time"].lstrip("+")
    prec = v.get("precision", 11)
    if not isinstance(prec, int) or isinstance(prec, bool):
        return None  # a malformed precision: no date rather than a wrong one
    date = t[:10]
    if not (date[:4].isdigit() and date[5:7].isdigit() and date[8:10].isdigit()):
        return None
    if len(date) < 10 or date.startswith("-"):
        return None
    if prec <= 9:
        return date[:4]
    if prec == 10:
        return date[:7]
    return date


def _d(x) -> dict:
    return x if isinstance(x, dict) else {}


def _l(x) -> list:
    return x if isinstance(x, list) else []


def _claims(ent: dict, prop: str) -> list[dict]:
    c = _d(ent.get("claims")).get(prop)
    if not isinstance(c, list):
        return []
    return [x for x in c if isinstance(x, dict) and x.get("rank") != "deprecated"]


def parse_entity(ent: dict) -> Optional[WDEntity]:
    """The parts of one dump entity the KB keeps, or None (not an item)."""
    qid = ent.get("id")
    if not isinstance(qid, str) or not qid.startswith("Q"):
        return None
    out = WDEntity(qid)
    for lang in LANGS:
        lab = _d(ent.get("labels")).get(lang)
        if isinstance(lab, dict) and lab.get("value"):
            out.labels[lang] = str(lab["value"])
        als = _d(ent.get("aliases")).get(lang)
        for a in als if isinstance(als, list) else []:
            if isinstance(a, dict) and a.get("value"):
                out.aliases.append((lang, str(a["value"])))
    for c in _claims(ent, "P31"):
        q = _item(_d(c.get("mainsnak")))
        if q:
            out.classes.append(q)
    for c in _claims(ent, "P17"):
        out.country = _item(_d(c.get("mainsnak")))
        if out.country:
            break
    for c in _claims(ent, "P297"):
        v = _value(_d(c.get("mainsnak")))
        if isinstance(v, str) and len(v) == 2:
            out.iso2 = v.upper()
            break
    for c in _claims(ent, "P625"):
        v = _value(_d(c.get("mainsnak")))
        if isinstance(v, dict) and all(isinstance(v.get(k), (int, float)) and not isinstance(v.get(k), bool)
                                       for k in ("latitude", "longitude")):
            out.coords = (float(v["latitude"]), float(v["longitude"]))
            break
        out.malformed += 1  # a coordinate that is not two numbers is left out
    for c in _claims(ent, "P39"):
        pos = _item(_d(c.get("mainsnak")))
        if not pos:
            continue
        q = _d(c.get("qualifiers"))
        start = next((_time(s) for s in _l(q.get("P580")) if _time(s)), None)
        end = next((_time(s) for s in _l(q.get("P582")) if _time(s)), None)
        of = next((_item(s) for s in _l(q.get("P642")) + _l(q.get("P1001")) if _item(s)), None)
        out.positions.append((pos, start, end, of))
    return out


def iter_dump(f: IO[str]) -> Iterator[dict]:
    """The entities of a dump, one per line, without loading the whole file."""
    for lineno, line in enumerate(f, 1):
        line = line.strip()
        if not line or line in ("[", "]"):
            continue
        if line.endswith(","):
            line = line[:-1]
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise KBError(f"line {lineno} of the dump is not a JSON entity: {e}") from e
        if isinstance(obj, dict):
            yield obj
        elif isinstance(obj, list):  # a whole array on one line (small files)
            yield from (x for x in obj if isinstance(x, dict))


def _type_of(e: WDEntity) -> tuple[Optional[str], Optional[str]]:
    for c in e.classes:
        if c in CLASSES:
            return CLASSES[c]
    if e.positions:
        return "PER", "person"
    if e.coords is not None:
        return "LOC", "place"
    if e.classes:
        return "ORG", "organisation"
    return None, None


@dataclass
class ImportStats:
    read: int = 0
    entities: int = 0
    names: int = 0
    positions: int = 0
    skipped: int = 0
    malformed: int = 0          # values left out of imported entities (a coordinate that is no number)
    unlabelled_positions: int = 0  # holdings of a position with no label and no known office: skipped

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def import_dump(con: sqlite3.Connection, path: Union[str, Path]) -> ImportStats:
    """Stream the dump at ``path`` into the KB connection ``con``."""
    st = ImportStats()
    pending_positions: list[tuple[int, str, Optional[str], Optional[str], Optional[str]]] = []
    position_labels: dict[str, str] = {}
    country_codes: dict[str, str] = {}
    with open_dump(path) as f:
        try:
            for raw in iter_dump(f):
                st.read += 1
                e = parse_entity(raw)
                if e is None:
                    st.skipped += 1
                    continue
                typ, kind = _type_of(e)
                label = e.labels.get("fr") or e.labels.get("en")
                if typ == "POSITION":
                    if label:
                        position_labels[e.qid] = label
                    st.skipped += 1
                    continue
                if typ is None or not label:
                    st.skipped += 1
                    continue
                if kind == "country" and e.iso2:
                    country_codes[e.qid] = e.iso2
                eid = _upsert_entity(con, e, typ, kind, label)
                st.entities += 1
                st.malformed += e.malformed
                seen = set()
                for lang, n in [(k, v) for k, v in e.labels.items()] + e.aliases:
                    nn = norm(n)
                    if nn and nn not in seen:
                        seen.add(nn)
                        con.execute("INSERT INTO name (norm, entity, display, lang, weak) VALUES (?,?,?,?,0)",
                                    (nn, eid, n, "fr" if lang == "fr" else "en"))
                        st.names += 1
                for pos, start, end, of in e.positions:
                    pending_positions.append((eid, pos, start, end, of))
        except KBError:
            con.rollback()  # all or nothing: a dump cut in the middle imports nothing
            raise
        except (UnicodeDecodeError, EOFError, OSError) as e:
            con.rollback()
            raise KBError(f"cannot read the Wikidata dump {path} (nothing imported): {e}") from e
    for eid, pos, start, end, of in pending_positions:
        if not position_labels.get(pos) and not _known_position(con, pos):
            st.unlabelled_positions += 1  # an office with no title would reach the entities stage as None
            continue
        oid = _position_office(con, pos, position_labels.get(pos), country_codes.get(of or "", of))
        con.execute("INSERT INTO holding (office, entity, start, end, origin) VALUES (?,?,?,?,'import')",
                    (oid, eid, start, end))
        st.positions += 1
    # Country codes of imported entities (P17 -> ISO when the country is known).
    for qid, code in country_codes.items():
        con.execute("UPDATE entity SET country=? WHERE origin='import' AND country=?", (code, qid))
    con.commit()
    return st


def _upsert_entity(con, e: WDEntity, typ: str, kind: Optional[str], label: str) -> int:
    row = con.execute("SELECT id FROM entity WHERE key=? AND origin='import'", (e.qid,)).fetchone()
    lat, lon = e.coords if e.coords else (None, None)
    kb_id = e.iso2 if kind == "country" and e.iso2 else e.qid
    if row:
        eid = row[0]
        con.execute("UPDATE entity SET kb_id=?, name=?, type=?, kind=?, country=?, lat=?, lon=? WHERE id=?",
                    (kb_id, label, typ, kind, e.country, lat, lon, eid))
        con.execute("DELETE FROM name WHERE entity=?", (eid,))
        con.execute("DELETE FROM holding WHERE entity=?", (eid,))
        return eid
    return con.execute(
        "INSERT INTO entity (key, kb_id, name, type, kind, country, lat, lon, source, origin)"
        " VALUES (?,?,?,?,?,?,?,?,?,'import')",
        (e.qid, kb_id, label, typ, kind, e.country, lat, lon, f"Wikidata {e.qid}")).lastrowid


def _known_position(con, pos: str) -> bool:
    """Does the KB already know position ``pos`` with a title or a role?"""
    return con.execute("SELECT 1 FROM office WHERE (key=? OR qid=?) AND (title IS NOT NULL OR role IS NOT NULL)"
                       " LIMIT 1", (f"wd:{pos}", pos)).fetchone() is not None


def _position_office(con, pos: str, label: Optional[str], of_hint: Optional[str]) -> int:
    key = f"wd:{pos}"
    row = con.execute("SELECT id FROM office WHERE key=?", (key,)).fetchone()
    if row:
        if label:
            con.execute("UPDATE office SET title=COALESCE(title, ?) WHERE id=?", (label, row[0]))
        return row[0]
    role, of = None, of_hint
    # A packaged office with this QID gives role and body.
    known = con.execute("SELECT role, of FROM office WHERE qid=? AND origin='packaged' LIMIT 1", (pos,)).fetchone()
    if known:
        role, of = known
    elif label:
        role, of2 = parse_title(con, label)
        of = of or of2
    return con.execute("INSERT INTO office (key, role, of, title, qid, source, origin) VALUES (?,?,?,?,?,?,'import')",
                       (key, role, of, label, pos, f"Wikidata {pos}")).lastrowid


def parse_title(con, title: str, lang: str = "fr") -> tuple[Optional[str], Optional[str]]:
    """("secrétaire général de l'OTAN") -> ("secretary_general", "nato"): the
    longest role phrase the title starts with, and the body or country after it."""
    from . import _role_table
    titles = _role_table(lang)[0]
    n = norm(title)
    words = n.split()
    for k in range(len(words), 0, -1):
        head = " ".join(words[:k])
        if head in titles:
            rest = words[k:]
            while rest and rest[0] in _title_joiners(lang):
                rest = rest[1:]
            of = None
            if rest:
                r = con.execute(
                    "SELECT e.key, e.kind, e.country FROM name nm JOIN entity e ON e.id=nm.entity "
                    "WHERE nm.norm=? AND nm.weak=0 ORDER BY e.origin='import' LIMIT 1", (norm(" ".join(rest)),)).fetchone()
                if r:
                    of = r[2] if r[1] == "country" and r[2] else r[0]
            return titles[head], of
    return None, None


def _title_joiners(lang: str) -> frozenset:
    """Words between a title and its body ("de", "du"), normalised, from the language data."""
    from .. import lang as _lang
    words = _lang.load(lang, "entities").get("of_prepositions", [])
    return frozenset(norm(w).rstrip("'") for w in words) | {"of", "the"}


def copy_imported(old: sqlite3.Connection, new: sqlite3.Connection) -> int:
    """Copy the imported rows of ``old`` into ``new`` (a rebuilt KB)."""
    try:
        rows = old.execute("SELECT id, key, kb_id, name, type, kind, country, part_of, lat, lon, population,"
                           " gender, source FROM entity WHERE origin='import'").fetchall()
    except sqlite3.Error:
        return 0
    ids = {}
    for r in rows:
        ids[r[0]] = new.execute(
            "INSERT OR IGNORE INTO entity (key, kb_id, name, type, kind, country, part_of, lat, lon, population,"
            " gender, source, origin) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'import')", r[1:]).lastrowid
    if not ids:
        return 0
    for norm_, ent, display, lang, weak in old.execute(
            "SELECT nm.norm, nm.entity, nm.display, nm.lang, nm.weak FROM name nm JOIN entity e ON e.id=nm.entity"
            " WHERE e.origin='import'"):
        if ids.get(ent):
            new.execute("INSERT INTO name (norm, entity, display, lang, weak) VALUES (?,?,?,?,?)",
                        (norm_, ids[ent], display, lang, weak))
    offices = {}
    for oid, key, role, of, title, qid, source in old.execute(
            "SELECT id, key, role, of, title, qid, source FROM office WHERE origin='import'"):
        offices[oid] = new.execute(
            "INSERT OR IGNORE INTO office (key, role, of, title, qid, source, origin) VALUES (?,?,?,?,?,?,'import')",
            (key, role, of, title, qid, source)).lastrowid
    for office, ent, start, end in old.execute(
            "SELECT office, entity, start, end FROM holding WHERE origin='import'"):
        if offices.get(office) and ids.get(ent):
            new.execute("INSERT INTO holding (office, entity, start, end, origin) VALUES (?,?,?,?,'import')",
                        (offices[office], ids[ent], start, end))
    return len(ids)
