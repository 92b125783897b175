"""Standard formats of an article analysis, for the tools users already have.

- :func:`schema`: the JSON Schema (draft 2020-12) of the analysis contract
  (``schema/analysis.schema.json``, shipped in the package), :func:`validate`
  and :func:`schema_errors` (with ``jsonschema``), :func:`openapi_components`
  for the HTTP API's OpenAPI document;
- :func:`to_timeml`: the text with inline ``TIMEX3`` tags and the DCT;
- :func:`to_plover`: PLOVER/POLECAT-style event records (one dict per event,
  written as JSON Lines);
- :func:`to_brat`: BRAT standoff (``.txt`` + ``.ann``), and
  :data:`BRAT_CONF`, the ``annotation.conf`` that goes with it;
- :class:`Writer`: writes analyses in one of these formats into a folder or
  a stream (``depeche analyze --format``, ``depeche export --format``).

Every function takes an :class:`~depeche.model.Analysis`, or its contract
dict with the article's ``text`` beside it (what ``Store.analysis`` gives).
``docs/formats.md`` documents each format and the mapping from depeche's fields.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import IO, Any, Optional, Union

from .errors import FormatError
from .model import EVENT_TYPES, MODES

SCHEMA_FILE = "analysis.schema.json"

# The formats that write one document (or record set) per article.
FORMATS = ("timeml", "brat", "plover")
# Those that need one file per article, hence a folder for several articles.
FOLDER_FORMATS = ("timeml", "brat")


# -- JSON Schema ----------------------------------------------------------------

@lru_cache(maxsize=1)
def _schema_text() -> str:
    return (resources.files(__package__) / "schema" / SCHEMA_FILE).read_text(encoding="utf-8")


def schema() -> dict:
    """The JSON Schema (draft 2020-12) of one article's analysis (a fresh copy)."""
    return json.loads(_schema_text())


@lru_cache(maxsize=1)
def _validator():
    try:
        import jsonschema
    except ImportError as e:  # a test/format extra, not needed to analyse
        raise FormatError("validating needs the jsonschema package (pip install jsonschema)") from e
    return jsonschema.Draft202012Validator(schema())


def schema_errors(obj: Any) -> list[str]:
    """What is wrong with ``obj`` (an Analysis or its dict) against the schema:
    one ``path: message`` line per error, none when it is valid."""
    if hasattr(obj, "to_dict"):
        obj = obj.to_dict()
    errs = sorted(_validator().iter_errors(obj), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errs]


def validate(obj: Any) -> None:
    """Raise :class:`~depeche.errors.FormatError` when ``obj`` does not follow the schema."""
    errs = schema_errors(obj)
    if errs:
        more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
        raise FormatError(f"the analysis does not follow the schema: {errs[0]}{more}")


def openapi_components(prefix: str = "#/components/schemas/") -> dict[str, dict]:
    """The schema as OpenAPI 3.1 components: ``Analysis`` and one component
    per definition (``Entity``, ``Event``…), references pointing at ``prefix``."""
    s = schema()
    defs = s.pop("$defs", {})
    for key in ("$schema", "$id"):
        s.pop(key, None)

    def fix(node):
        if isinstance(node, dict):
            return {k: (prefix + v[len("#/$defs/"):] if k == "$ref" and isinstance(v, str)
                        and v.startswith("#/$defs/") else fix(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(x) for x in node]
        return node

    out = {"Analysis": fix(s)}
    out.update({name: fix(d) for name, d in defs.items()})
    return out


# -- the article behind a writer ----------------------------------------------

def _article(obj: Any, need_text: bool = True) -> tuple[dict, Optional[str]]:
    """(contract dict, text) of an Analysis or of a stored analysis dict."""
    if isinstance(obj, dict):
        d, text = obj, obj.get("text")
    elif hasattr(obj, "to_dict") and hasattr(obj, "text"):
        d, text = obj.to_dict(), obj.text
    else:
        raise TypeError(f"expected an Analysis or an analysis dict, not {type(obj).__name__}")
    if need_text and not isinstance(text, str):
        raise FormatError(f"the analysis of {d.get('id')!r} has no text to write")
    return d, text


# Characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage
# return; lone surrogates; U+FFFE, U+FFFF): each becomes U+FFFD, one code point
# for one, so offsets into the text stay right.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """``text`` with lone surrogates (which UTF-8 cannot encode) replaced by
    U+FFFD, one code point for one: what the BRAT and PLOVER files hold."""
    return _SURROGATE.sub("\ufffd", text)


def xml_safe(text: str) -> str:
    """``text`` with the characters XML cannot hold replaced by U+FFFD."""
    return _XML_BAD.sub("\ufffd", text)


def _xml(text: str, attr: bool = False) -> str:
    text = xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A parser turns a raw CR (and CR LF) into LF: a character reference keeps it.
    text = text.replace("\r", "&#13;")
    if attr:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


# -- TimeML ---------------------------------------------------------------------

def to_timeml(obj: Any) -> str:
    """The article as a TimeML document: ``<DOCID>``, the DCT as a TIMEX3
    with ``functionInDocument="CREATION_TIME"`` (``tid="t0"``), and the text
    in ``<TEXT>`` with a TIMEX3 (``tid``, ``type``, ``value``) around each time
    expression. ``times[i]`` is ``tid="t{i+1}"``; the text inside ``<TEXT>``,
    tags removed, is the article's text (characters XML cannot hold are
    U+FFFD). A time inside another one is left out (TimeML tags do not
    overlap); none of depeche's do."""
    d, text = _article(obj)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<TimeML>"]
    if d.get("id") is not None:
        lines.append(f"<DOCID>{_xml(str(d['id']))}</DOCID>")
    dct = d.get("dct")
    if dct:
        lines.append(f'<DCT><TIMEX3 tid="t0" type="DATE" value="{_xml(dct, True)}" temporalFunction="false" '
                     f'functionInDocument="CREATION_TIME">{_xml(dct)}</TIMEX3></DCT>')
    body, pos = [], 0
    order = sorted(range(len(d.get("times") or [])), key=lambda i: (d["times"][i]["start"], -d["times"][i]["end"]))
    for i in order:
        t = d["times"][i]
        a, b = t["start"], t["end"]
        if a < pos or b <= a or b > len(text):
            continue
        body.append(_xml(text[pos:a]))
        attrs = f'tid="t{i + 1}" type="{_xml(t["type"], True)}" value="{_xml(t["value"], True)}"'
        if dct and t["type"] in ("DATE", "TIME"):
            # A date whose year the expression does not spell out ("jeudi",
            # "la veille", "janvier") was resolved against the DCT.
            year = t["value"][:4]
            relative = not (year.isdigit() and year in text[a:b])
            attrs += f' temporalFunction="{"true" if relative else "false"}"'
            if relative:
                attrs += ' anchorTimeID="t0"'
        body.append(f"<TIMEX3 {attrs}>{_xml(text[a:b])}</TIMEX3>")
        pos = b
    body.append(_xml(text[pos:]))
    lines.append("<TEXT>" + "".join(body) + "</TEXT>")
    lines.append("</TimeML>")
    return "\n".join(lines) + "\n"


# -- PLOVER / POLECAT event records ---------------------------------------------

# PLOVER's quad categories: 1 verbal cooperation, 2 material cooperation,
# 3 verbal conflict, 4 material conflict.
QUAD_CODES = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
assert set(QUAD_CODES) == set(EVENT_TYPES)


@lru_cache(maxsize=512)
def _alpha3(alpha2: str) -> Optional[str]:
    import pycountry

    try:
        c = pycountry.countries.get(alpha_2=alpha2)
    except (KeyError, LookupError):
        return None
    return c.alpha_3 if c is not None else None


class _KBView:
    """The few KB facts the PLOVER records need, cached per identifier."""

    def __init__(self, kb=None):
        self._kb = kb
        self._recs: dict[str, Any] = {}

    @property
    def kb(self):
        if self._kb is None:
            from . import kb as kbmod

            self._kb = kbmod.get()
        return self._kb

    def record(self, ident: Optional[str]):
        if not ident:
            return None
        if ident not in self._recs:
            self._recs[ident] = self.kb.get(ident)
        return self._recs[ident]

    def country_of(self, ent: dict) -> Optional[str]:
        """ISO 3166 alpha-2 of an entity: its own for a country, the KB's
        country for a city or a person, else that of the country a role of
        the person is held for ("président" of "Sénégal")."""
        rec = self.record(ent.get("kb_id"))
        if rec is not None and rec.country:
            return rec.country
        for role in ent.get("roles") or []:
            of = role.get("of") if isinstance(role, dict) else None
            if of:
                r = self.kb.lookup(of, type="GPE")
                if r is not None and r.kind == "country" and r.country:
                    return r.country
        return None


def _closest(items: list, span_of, at: int, within: Optional[dict] = None, before_first: bool = True):
    """The item nearest to offset ``at``: inside ``within`` (the evidence
    sentence) when one is, else anywhere; with ``before_first``, the nearest
    one before ``at`` (an antecedent) before the nearest one after it."""
    if within:
        inside = [x for x in items if within["start"] <= span_of(x)["start"] and span_of(x)["end"] <= within["end"]]
        items = inside or items
    return min(items, key=lambda x: (before_first and span_of(x)["start"] > at, abs(span_of(x)["start"] - at)),
               default=None)


def _nearest_mention(ent: dict, at: int, within: Optional[dict] = None) -> Optional[dict]:
    """The mention of ``ent`` nearest to offset ``at`` (see :func:`_closest`)."""
    return _closest(ent.get("mentions") or [], lambda m: m, at, within)


def _actor(ent: Optional[dict], name: Optional[str], kbv: _KBView, at: int, within) -> list[dict]:
    if ent is None and not name:
        return []
    if ent is None:  # a name with no entity behind it (should not happen: every party is an entity)
        return [{"actor_text": name, "identifier_text": name, "identifier_id": None}]
    m = _nearest_mention(ent, at, within)
    cc = kbv.country_of(ent)
    out = {"actor_text": m["text"] if m else ent["name"], "identifier_text": ent["name"],
           "identifier_id": ent.get("kb_id"), "code": _alpha3(cc) if cc else None, "country": cc,
           "entity_type": ent.get("type"), "entity_id": ent.get("id")}
    roles = [r for r in ent.get("roles") or [] if isinstance(r, dict) and r.get("title")]
    if roles:
        r = roles[0]
        out["office"] = r["title"] + (f" ({r['of']})" if r.get("of") else "")
    return [out]


def _location(ent: Optional[dict], name: Optional[str], kbv: _KBView) -> Optional[dict]:
    if ent is None and not name:
        return None
    if ent is None:
        return {"name": name}
    rec = kbv.record(ent.get("kb_id"))
    kb_id = ent.get("kb_id")
    cc = kbv.country_of(ent)
    loc = {"name": ent["name"], "identifier_id": kb_id,
           "geonameid": int(kb_id.split(":", 1)[1]) if kb_id and kb_id.startswith("geonames:")
           and kb_id.split(":", 1)[1].isdigit() else None,
           "latitude": rec.lat if rec is not None else None,
           "longitude": rec.lon if rec is not None else None,
           "country_code": cc, "cc3": _alpha3(cc) if cc else None,
           "feature": (rec.kind if rec is not None else None) or ent.get("type")}
    return loc


def _date_span(value: Optional[str]) -> Optional[tuple[str, str]]:
    from .store import date_span

    return date_span(value)


def to_plover(obj: Any, kb=None, coder: Optional[str] = None) -> list[dict]:
    """One PLOVER-style record per event of the analysis (see docs/formats.md).

    ``kb`` (default: the shared knowledge base) gives the parties' countries and
    the places' coordinates. A stored analysis (``Store.analysis``) adds the
    merged event's id as ``link``."""
    d, _ = _article(obj, need_text=False)
    kbv = kb if isinstance(kb, _KBView) else _KBView(kb)
    if coder is None:
        from . import __version__

        coder = f"depeche {__version__}"
    ents = {e["id"]: e for e in d.get("entities") or []}
    by_name = {e["name"]: e for e in d.get("entities") or []}
    aid = d.get("id")
    base = str(aid) if aid is not None else f"article-{d.get('article_id', 0)}"
    dct = d.get("dct")
    out = []
    for n, ev in enumerate(d.get("events") or [], 1):
        trig = ev.get("trigger") or {}
        evid = ev.get("evidence")
        at = trig.get("start", 0)

        def party(role):
            e = ents.get(ev.get(f"{role}_id")) if ev.get(f"{role}_id") else None
            return e if e is not None else by_name.get(ev.get(role)) if ev.get(role) else None

        span = _date_span(ev.get("date"))
        if span is not None:
            date, enddate, date_source = span[0], span[1], "event"
        elif dct:
            date, enddate, date_source = dct, None, "dct"
        else:
            date = enddate = date_source = None
        rec = {
            "id": f"{base}-ev{n}",
            "date": date,
            "enddate": enddate if enddate != date else None,
            "date_source": date_source,
            "date_value": ev.get("date"),
            "event": [ev["type"]],
            "mode": ev.get("mode"),
            "quad_code": QUAD_CODES.get(ev["type"]),
            "source": _actor(party("actor"), ev.get("actor"), kbv, at, evid),
            "recipient": _actor(party("recipient"), ev.get("recipient"), kbv, at, evid),
            "event_loc": _location(party("location"), ev.get("location"), kbv),
            "event_text": [trig.get("text")] if trig else [],
            "text_info": {
                "start": evid["start"] if evid else trig.get("start"),
                "end": evid["end"] if evid else trig.get("end"),
                "sentence": evid["text"] if evid else None,
                "trigger": {"start": trig.get("start"), "end": trig.get("end"), "text": trig.get("text")},
            },
            "cite_info": {"citation": aid, "language": d.get("lang"), "coder": coder,
                          "codebook": "PLOVER (16 event types; depeche mode: asserted, planned, negated, hypothetical)"},
            "story_date": dct,
            "confidence": ev.get("confidence"),
        }
        if ev.get("event_id") is not None:
            rec["link"] = ev["event_id"]
        out.append(rec)
    return out


# -- BRAT standoff ----------------------------------------------------------

_ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC")
# Characters a line reader may take for the end of a line: a brat span is cut
# into fragments there (brat writes "start end;start end").
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK_RUN = re.compile(f"[{_BREAKS}]+")


def _fragments(text: str, a: int, b: int) -> list[tuple[int, int]]:
    frags, pos = [], a
    for m in _BREAK_RUN.finditer(text, a, b):
        if m.start() > pos:
            frags.append((pos, m.start()))
        pos = m.end()
    if b > pos:
        frags.append((pos, b))
    return frags


def _brat_conf() -> str:
    ents = "|".join(_ENTITY_TYPES)
    args = f"Actor?:{ents}, Recipient?:{ents}, Location?:{ents}, Time?:Time"
    events = "\n".join(f"{t}\t{args}" for t in EVENT_TYPES)
    return (
        "# brat annotation configuration for depeche's standoff export\n"
        "[entities]\n" + "\n".join(_ENTITY_TYPES) + "\nTime\nQuote\nCue\n\n"
        "[relations]\n"
        f"Speaker\tArg1:Quote, Arg2:{ents}\n"
        "Has_cue\tArg1:Quote, Arg2:Cue\n"
        f"Coreference\tArg1:{ents}, Arg2:{ents}, <REL-TYPE>:symmetric-transitive\n"
        "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>\n\n"
        "[events]\n" + events + "\n\n"
        "[attributes]\n"
        "TimexType\tArg:Time, Value:DATE|TIME|DURATION|SET\n"
        "Kind\tArg:Quote, Value:direct|indirect\n"
        f"Mode\tArg:{'|'.join(EVENT_TYPES)}, Value:{'|'.join(MODES)}\n"
    )


BRAT_CONF = _brat_conf()


def brat_text(text: str) -> str:
    """The ``.txt`` brat reads as ``text``: brat opens it with universal
    newlines, so CR LF is written as space LF and a lone CR as LF (one
    character for one: the offsets stay right)."""
    return text.replace("\r\n", " \n").replace("\r", "\n")


def _note(text: str) -> str:
    return " ".join(str(text).split())


def to_brat(obj: Any) -> tuple[str, str]:
    """``(txt, ann)``: the article's text (:func:`brat_text`) and its BRAT
    standoff annotations.

    T lines for entity mentions (type PER, ORG, GPE, LOC), times (``Time``),
    quotes (``Quote``), cues (``Cue``) and event triggers (typed by the PLOVER
    type); ``*`` Coreference lines join an entity's mentions; ``A`` lines give
    a time's TIMEX3 type, a quote's kind and an event's mode; ``R`` lines a
    quote's speaker and cue; ``E`` lines the events with their Actor,
    Recipient, Location and Time arguments (T ids of mentions and times); ``#``
    AnnotatorNotes the values brat cannot hold as attributes (canonical name
    and KB id, TIMEX3 value, event date and confidence). A span across a line
    break is written as fragments (``start end;start end``). The files hold
    :func:`encodable` text (a lone surrogate becomes U+FFFD)."""
    d, text = _article(obj)
    lines: list[str] = []
    n = {"T": 0, "E": 0, "A": 0, "R": 0, "#": 0}

    def new(kind: str) -> str:
        n[kind] += 1
        return f"{kind}{n[kind]}"

    def tline(label: str, a: int, b: int) -> Optional[str]:
        if not (0 <= a < b <= len(text)):
            return None
        frags = _fragments(text, a, b)
        if not frags:
            return None
        tid = new("T")
        offs = ";".join(f"{x} {y}" for x, y in frags)
        lines.append(f"{tid}\t{label} {offs}\t{' '.join(text[x:y] for x, y in frags)}")
        return tid

    def note(target: str, msg: str) -> None:
        lines.append(f"{new('#')}\tAnnotatorNotes {target}\t{_note(msg)}")

    mention_ids: dict[str, list[tuple[dict, str]]] = {}
    for e in d.get("entities") or []:
        ids = []
        for m in sorted(e.get("mentions") or [], key=lambda m: (m["start"], m["end"])):
            tid = tline(e["type"], m["start"], m["end"])
            if tid:
                ids.append((m, tid))
        mention_ids[e["id"]] = ids
        if ids:
            note(ids[0][1], e["name"] + (f" [{e['kb_id']}]" if e.get("kb_id") else ""))
        if len(ids) > 1:
            lines.append("*\tCoreference " + " ".join(t for _, t in ids))

    time_ids: list[tuple[dict, str]] = []
    for t in d.get("times") or []:
        tid = tline("Time", t["start"], t["end"])
        if tid:
            time_ids.append((t, tid))
            lines.append(f"{new('A')}\tTimexType {tid} {t['type']}")
            note(tid, f"value={t['value']}" + (f" point={t['point']}" if t.get("point") else ""))

    def mention_near(eid: Optional[str], at: int, within=None, before_first: bool = True) -> Optional[str]:
        best = _closest(mention_ids.get(eid or "") or [], lambda mt: mt[0], at, within, before_first)
        return best[1] if best else None

    for q in d.get("quotes") or []:
        qid = tline("Quote", q["start"], q["end"])
        if not qid:
            continue
        lines.append(f"{new('A')}\tKind {qid} {q['kind']}")
        cue = q.get("cue")
        if cue:
            cid = tline("Cue", cue["start"], cue["end"])
            if cid:
                lines.append(f"{new('R')}\tHas_cue Arg1:{qid} Arg2:{cid}")
        if q.get("speaker"):
            # the speaker's mention nearest the cue, before or after it ("a dit M. X")
            sid = mention_near(q.get("speaker_id"), cue["start"] if cue else q["start"], before_first=False)
            if sid:
                lines.append(f"{new('R')}\tSpeaker Arg1:{qid} Arg2:{sid}")
            else:
                note(qid, f"speaker={q['speaker']}")

    for ev in d.get("events") or []:
        trig = ev.get("trigger") or {}
        tid = tline(ev["type"], trig.get("start", 0), trig.get("end", 0))
        if not tid:
            continue
        at, evid = trig["start"], ev.get("evidence")
        args = []
        for role, label in (("actor", "Actor"), ("recipient", "Recipient"), ("location", "Location")):
            mid = mention_near(ev.get(f"{role}_id"), at, evid)
            if mid:
                args.append(f"{label}:{mid}")
        if ev.get("date"):
            inside = [(t, x) for t, x in time_ids if (t["value"] == ev["date"] or t.get("point") == ev["date"])
                      and (not evid or evid["start"] <= t["start"] and t["end"] <= evid["end"])]
            if inside:
                args.append(f"Time:{_closest(inside, lambda tx: tx[0], at)[1]}")
        eid = new("E")
        lines.append(f"{eid}\t{ev['type']}:{tid}" + "".join(" " + a for a in args))
        lines.append(f"{new('A')}\tMode {eid} {ev['mode']}")
        facts = []
        for role in ("actor", "recipient", "location"):
            if ev.get(role) and not any(a.startswith(role.capitalize() + ":") for a in args):
                facts.append(f"{role}={ev[role]}")
        if ev.get("date"):
            facts.append(f"date={ev['date']}")
        if ev.get("confidence") is not None:
            facts.append(f"confidence={ev['confidence']}")
        note(eid, "; ".join(facts))
    return brat_text(text), "\n".join(lines) + ("\n" if lines else "")


# -- writing ------------------------------------------------------------------

_UNSAFE = re.compile(r"[^\w.-]+")


def file_stem(article_id: Any, fallback: str) -> str:
    """A file name (without extension) for an article id: letters, digits,
    ``.``, ``-``, ``_`` kept, at most 100 characters; ``fallback`` when nothing is left."""
    stem = _UNSAFE.sub("_", str(article_id)).strip("._") if article_id is not None else ""
    return stem[:100] or fallback


class Writer:
    """Writes analyses as ``fmt`` (one of :data:`FORMATS`).

    ``directory``: one file per article (``ID.tml``; ``ID.txt`` + ``ID.ann``
    and the collection's ``annotation.conf``; PLOVER records in
    ``events.plover.jsonl``). ``stream``: PLOVER JSON Lines, or the TimeML
    document of one article, written at :meth:`close` (a second article is a
    :class:`FormatError` and nothing is written). BRAT
    needs a directory. ``kb``: the knowledge base for PLOVER records."""

    def __init__(self, fmt: str, directory: Union[str, Path, None] = None, stream: Optional[IO[str]] = None,
                 kb=None):
        if fmt not in FORMATS:
            raise FormatError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
        if (directory is None) == (stream is None):
            raise FormatError("give a directory or a stream to write to")
        if fmt == "brat" and directory is None:
            raise FormatError("the brat format writes two files per article: give a directory (-o DIR)")
        self.fmt, self.stream, self.count = fmt, stream, 0
        self.dir = Path(directory) if directory is not None else None
        self.files: list[Path] = []
        self._stems: set[str] = set()
        self._kb = _KBView(kb)
        self._plover: Optional[IO[str]] = None
        self._pending: Optional[str] = None
        if self.dir is not None:
            try:
                self.dir.mkdir(parents=True, exist_ok=True)
                if fmt == "brat":
                    self._write(self.dir / "annotation.conf", BRAT_CONF)
                elif fmt == "plover":
                    path = self.dir / "events.plover.jsonl"
                    self._plover = open(path, "w", encoding="utf-8")
                    self.files.append(path)
            except OSError as e:
                raise FormatError(f"cannot write into {self.dir}: {e.strerror or e}") from e

    def _write(self, path: Path, content: str) -> None:
        try:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(content)
        except OSError as e:
            raise FormatError(f"cannot write {path}: {e.strerror or e}") from e
        self.files.append(path)

    def _stem(self, d: dict) -> str:
        stem = file_stem(d.get("id"), f"article-{d.get('article_id') or self.count}")
        base, k = stem, 1
        while stem.lower() in self._stems:
            k += 1
            stem = f"{base}-{k}"
        self._stems.add(stem.lower())
        return stem

    def write(self, obj: Any) -> None:
        """Write one article's analysis."""
        d, _ = _article(obj, need_text=self.fmt != "plover")
        self.count += 1
        if self.fmt == "plover":
            out = self._plover or self.stream
            for rec in to_plover(obj, kb=self._kb):
                out.write(encodable(json.dumps(rec, ensure_ascii=False)) + "\n")
            return
        if self.dir is None:  # TimeML on a stream: one document, written at close
            if self.count > 1:
                self._pending = None
                raise FormatError("TimeML of several articles is one file per article: give -o DIR")
            self._pending = to_timeml(obj)
            return
        stem = self._stem(d)
        if self.fmt == "timeml":
            self._write(self.dir / f"{stem}.tml", to_timeml(obj))
        else:
            txt, ann = to_brat(obj)
            self._write(self.dir / f"{stem}.txt", encodable(txt))
            self._write(self.dir / f"{stem}.ann", encodable(ann))

    def close(self) -> None:
        if self._pending is not None:
            self.stream.write(self._pending)
            self._pending = None
        if self._plover is not None:
            self._plover.close()
            self._plover = None

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def export_store(store, directory: Union[str, Path], fmt: str, kb=None) -> dict[str, int]:
    """Write every stored article as ``fmt`` into ``directory``; returns
    ``{"articles": N, "files": M}`` (and ``"events"`` for PLOVER)."""
    n_events = 0
    with Writer(fmt, directory=directory, kb=kb) as w:
        for row in sorted(store.articles(), key=lambda r: r["id"]):
            an = store.analysis(row["id"])
            if an is None:
                continue
            n_events += len(an.get("events") or [])
            w.write(an)
    counts = {"articles": w.count, "files": len(w.files)}
    if fmt == "plover":
        counts["events"] = n_events
    return counts


__all__ = ["FORMATS", "FOLDER_FORMATS", "QUAD_CODES", "BRAT_CONF", "Writer", "schema", "validate",
           "schema_errors", "openapi_components", "to_timeml", "to_plover", "to_brat", "export_store",
           "file_stem", "xml_safe", "encodable", "brat_text"]

