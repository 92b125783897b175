"""Standard formats: the JSON Schema of the contract, TimeML, PLOVER records,
BRAT standoff, and `depeche analyze/export --format` for each."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest

from depeche import formats
from depeche.cli import main
from depeche.errors import FormatError
from depeche.model import Analysis, Entity, Event, Mention, Quote, Span, Timex

jsonschema = pytest.importorskip("jsonschema")

EXAMPLES = sorted((resources.files("depeche") / "examples").iterdir(), key=lambda p: p.name)

# (text, dct): our own sentences, each with a time, parties and places.
SENTENCES = [
    ("La France a condamné lundi l'Iran pour ses essais de missiles, a déclaré à Genève le ministre "
     "français des Affaires étrangères.", "2025-06-10"),
    ("Le Japon et l'Australie ont signé mercredi à Canberra un accord de défense. « Nous partageons "
     "les mêmes valeurs », a affirmé le Premier ministre australien.", "2024-09-12"),
    ("L'Espagne accorde une aide de 20 millions d'euros au Maroc, a annoncé Madrid en mars.\n"
     "Le Portugal s'est réuni avec l'Italie à Rome.", "2023-05-02"),
    ("", None),                                              # empty: a warning, nothing else
    ("The committee met on Tuesday in London.", "2024-01-09"),  # not French
]


@pytest.fixture(scope="module")
def analyses(analyze):
    out = []
    for p in EXAMPLES:
        art = json.loads(p.read_text(encoding="utf-8"))
        out.append(analyze(art["text"], dct=art.get("dct"), id=art.get("id")))
    for i, (text, dct) in enumerate(SENTENCES):
        out.append(analyze(text, dct=dct, id=f"s{i}"))
    return out


def _toy(text: str, times=(), entities=(), quotes=(), events=(), dct="2024-05-06", id="toy") -> Analysis:
    return Analysis(id=id, dct=dct, text=text, times=list(times), entities=list(entities),
                    quotes=list(quotes), events=list(events))


# -- JSON Schema ----------------------------------------------------------------

def test_schema_is_a_valid_draft_2020_12_schema_shipped_in_the_package():
    s = formats.schema()
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(s)
    assert set(s["required"]) == {"id", "dct", "lang", "warnings", "entities", "times", "quotes", "events"}
    assert (resources.files("depeche") / "schema" / "analysis.schema.json").is_file()


def test_real_output_follows_the_schema(analyses):
    assert len(analyses) == len(EXAMPLES) + len(SENTENCES)
    assert sum(len(a.events) for a in analyses) > 10  # the examples exercise every kind of record
    for an in analyses:
        assert formats.schema_errors(an) == [], an.id
        formats.validate(an.to_dict())


def test_stored_analysis_follows_the_schema(analyses, tmp_path):
    from depeche.store import Store, make_record

    with Store(tmp_path / "s.db") as st:
        st.write_article(make_record(analyses[0]))
        stored = st.analysis(analyses[0].id)
    assert stored["events"] and formats.schema_errors(stored) == []


@pytest.mark.parametrize("path, value, where", [
    (("entities", 0, "type"), "PERSON", "entities/0/type"),
    (("events", 0, "mode"), "maybe", "events/0/mode"),
    (("events", 0, "type"), "MEET", "events/0/type"),
    (("times", 0, "value"), "demain", "times/0/value"),
    (("times", 0, "start"), -1, "times/0/start"),
    (("dct",), "03/04/2024", "dct"),
    (("quotes", 0, "kind"), "reported", "quotes/0/kind"),
    (("entities", 0, "kb_id"), 7184, "entities/0/kb_id"),
])
def test_schema_rejects_what_breaks_the_contract(analyses, path, value, where):
    d = json.loads(json.dumps(analyses[0].to_dict()))
    node = d
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    errs = formats.schema_errors(d)
    assert errs and errs[0].startswith(where + ":"), errs
    with pytest.raises(FormatError, match="does not follow the schema"):
        formats.validate(d)


@pytest.mark.parametrize("value, ok", [
    ("2024-04-03", True), ("2024-04", True), ("2024", True), ("2024-W14", True), ("2024-W14-WE", True),
    ("2024-Q2", True), ("2024-SU", True), ("202", True), ("20", True), ("2024-04-03T14:30", True),
    ("2024-04-03TMO", True), ("2002-02-08T20:30+1", True), ("TNI", True), ("XXXX-WXX-1", True),
    ("P3D", True), ("PT2H", True), ("P1DT2H", True), ("P1WE", True), ("PXY", True), ("PRESENT_REF", True),
    ("demain", False), ("P", False), ("PT", False), ("2024/04/03", False), ("3 avril", False), ("", False),
])
def test_timex_values_the_schema_accepts(value, ok):
    d = {"id": None, "dct": None, "lang": "fr", "warnings": [], "entities": [], "quotes": [], "events": [],
         "times": [{"start": 0, "end": 1, "text": "x", "type": "DATE", "value": value}]}
    assert (formats.schema_errors(d) == []) is ok


def test_schema_accepts_every_gold_timex_value():
    from conftest import DEV, FTIB, gold_articles

    values = {t["value"] for folder in (DEV, FTIB) for g in gold_articles(folder) for t in g.get("times", [])}
    values |= {e["date"] for g in gold_articles(DEV) for e in g.get("events", []) if e.get("date")}
    if not values:
        pytest.skip("gold data (../shared/data) not available")
    d = {"id": None, "dct": None, "lang": "fr", "warnings": [], "entities": [], "quotes": [], "events": [],
         "times": [{"start": 0, "end": 1, "text": "x", "type": "DATE", "value": v} for v in sorted(values)]}
    assert formats.schema_errors(d) == []


@pytest.mark.parametrize("field", ["id", "dct", "lang", "warnings", "entities", "times", "quotes", "events"])
def test_schema_requires_every_contract_field(analyses, field):
    d = analyses[0].to_dict()
    del d[field]
    assert any(field in e for e in formats.schema_errors(d))


def test_openapi_response_of_analyze_is_the_schema(analyses):
    from fastapi.testclient import TestClient

    from depeche.server.app import create_app

    doc = TestClient(create_app(None, pipeline=object())).get("/openapi.json").json()
    resp = doc["paths"]["/api/analyze"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert resp == {"$ref": "#/components/schemas/Analysis"}
    comps = doc["components"]["schemas"]
    assert {"Analysis", "Entity", "Timex", "Quote", "Event", "Span"} <= set(comps)
    # The components validate real output, and reject a bad one, as the schema does.
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": {"schemas": comps},
            "$ref": "#/components/schemas/Analysis"}
    v = jsonschema.Draft202012Validator(root)
    for an in analyses:
        assert not list(v.iter_errors(an.to_dict()))
    bad = analyses[0].to_dict()
    bad["events"][0]["type"] = "MEET"
    assert list(v.iter_errors(bad))


# -- TimeML ---------------------------------------------------------------------

def _timex_spans(text_el) -> list[tuple[int, int, ET.Element]]:
    """(start, end, element) of each TIMEX3 in <TEXT>, from the text around the tags."""
    pos, out = len(text_el.text or ""), []
    for child in text_el:
        inner = "".join(child.itertext())
        out.append((pos, pos + len(inner), child))
        pos += len(inner) + len(child.tail or "")
    return out


def test_timeml_is_well_formed_with_the_right_tags(analyses):
    for an in analyses:
        root = ET.fromstring(formats.to_timeml(an).encode("utf-8"))
        assert root.tag == "TimeML"
        assert root.findtext("DOCID") == an.id
        if an.dct:
            dct = root.find("DCT/TIMEX3")
            assert dct.attrib["functionInDocument"] == "CREATION_TIME"
            assert dct.attrib["value"] == an.dct and dct.attrib["tid"] == "t0"
        else:
            assert root.find("DCT") is None
        text = root.find("TEXT")
        assert "".join(text.itertext()) == formats.xml_safe(an.text)
        spans = _timex_spans(text)
        assert len(spans) == len(an.times)
        for (a, b, el), t in zip(spans, sorted(an.times, key=lambda t: t.start)):
            assert (a, b) == (t.start, t.end)
            assert el.tag == "TIMEX3"
            assert el.attrib["type"] == t.type and el.attrib["value"] == t.value
            assert el.attrib["tid"] == f"t{an.times.index(t) + 1}"


def test_timeml_values_of_a_sentence(analyses):
    an = next(a for a in analyses if a.id == "s0")
    root = ET.fromstring(formats.to_timeml(an))
    (a, b, el), = _timex_spans(root.find("TEXT"))
    assert an.text[a:b] == "lundi"
    assert el.attrib == {"tid": "t1", "type": "DATE", "value": "2025-06-09", "temporalFunction": "true",
                         "anchorTimeID": "t0"}


@pytest.mark.parametrize("text", [
    "Paris & Berlin <ont> \"signé\" le 3 mai 2024.",
    "Ligne un\r\nle 3 mai 2024\rfin",
    "Un caractère \x01 de contrôle le 3 mai 2024 ]]> fin",
])
def test_timeml_escapes_the_text(text):
    a = text.index("3 mai 2024")
    an = _toy(text, times=[Timex(a, a + 10, "3 mai 2024", "DATE", "2024-05-03")], id='a "b" & <c>')
    root = ET.fromstring(formats.to_timeml(an).encode("utf-8"))
    assert root.findtext("DOCID") == 'a "b" & <c>'
    body = root.find("TEXT")
    assert "".join(body.itertext()) == text.replace("\x01", "\ufffd")
    (s, e, el), = _timex_spans(body)
    assert (s, e) == (a, a + 10) and el.attrib["temporalFunction"] == "false"


def test_timeml_of_an_analysis_without_text_is_an_error(analyses):
    with pytest.raises(FormatError, match="no text"):
        formats.to_timeml(analyses[0].to_dict())


# -- PLOVER ---------------------------------------------------------------------

def test_plover_records_of_real_output(analyses):
    for an in analyses:
        recs = formats.to_plover(an)
        assert len(recs) == len(an.events)
        assert len({r["id"] for r in recs}) == len(recs)
        for r, ev in zip(recs, an.events):
            assert r["event"] == [ev.type] and r["mode"] == ev.mode
            assert r["quad_code"] in (1, 2, 3, 4)
            assert r["cite_info"]["citation"] == an.id
            ti = r["text_info"]
            assert an.text[ti["trigger"]["start"]:ti["trigger"]["end"]] == ev.trigger.text == r["event_text"][0]
            assert an.text[ti["start"]:ti["end"]] == (ev.evidence.text if ev.evidence else ev.trigger.text)
            for role, key in (("actor", "source"), ("recipient", "recipient")):
                assert [a["identifier_text"] for a in r[key]] == ([getattr(ev, role)] if getattr(ev, role) else [])
            json.dumps(r)  # plain JSON


def test_plover_record_fields(analyses):
    an = next(a for a in analyses if a.id == "s2")
    consult = next(r for r in formats.to_plover(an) if r["event"] == ["CONSULT"])
    (src,), (rcp,) = consult["source"], consult["recipient"]
    assert (src["identifier_text"], src["identifier_id"], src["country"], src["code"]) == ("Portugal", "PT", "PT", "PRT")
    assert (rcp["identifier_text"], rcp["country"], rcp["code"]) == ("Italie", "IT", "ITA")
    loc = consult["event_loc"]
    assert loc["name"] == "Rome" and loc["identifier_id"].startswith("geonames:")
    assert loc["geonameid"] == int(loc["identifier_id"].split(":")[1])
    assert 41 < loc["latitude"] < 42.5 and 12 < loc["longitude"] < 13
    assert (loc["country_code"], loc["cc3"]) == ("IT", "ITA")
    assert consult["date_source"] == "dct" and consult["date"] == "2023-05-02" and consult["date_value"] is None
    assert consult["quad_code"] == 1 and consult["story_date"] == "2023-05-02"
    accuse = next(r for r in formats.to_plover(next(a for a in analyses if a.id == "s0")) if r["event"] == ["ACCUSE"])
    assert (accuse["date"], accuse["date_source"], accuse["quad_code"]) == ("2025-06-09", "event", 3)
    assert accuse["source"][0]["code"] == "FRA" and accuse["recipient"][0]["code"] == "IRN"


@pytest.mark.parametrize("value, date, enddate, source", [
    ("2025-01", "2025-01-01", "2025-01-31", "event"),
    ("2024", "2024-01-01", "2024-12-31", "event"),
    ("2024-W14", "2024-04-01", "2024-04-07", "event"),
    ("2024-05-01", "2024-05-01", None, "event"),
    ("PAST_REF", "2024-05-06", None, "dct"),
    (None, "2024-05-06", None, "dct"),
])
def test_plover_dates(value, date, enddate, source):
    text = "La Grèce a rencontré la Turquie."
    ents = [Entity("e1", "Grèce", "GPE", "GR", [Mention(3, 8, "Grèce")]),
            Entity("e2", "Turquie", "GPE", "TR", [Mention(24, 31, "Turquie")])]
    ev = Event("CONSULT", "planned", Span(9, 20, "a rencontré"), actor="Grèce", recipient="Turquie",
               actor_id="e1", recipient_id="e2", date=value)
    (r,) = formats.to_plover(_toy(text, entities=ents, events=[ev]))
    assert (r["date"], r["enddate"], r["date_source"], r["date_value"]) == (date, enddate, source, value)
    assert r["mode"] == "planned" and r["source"][0]["code"] == "GRC" and r["event_loc"] is None


# -- BRAT -------------------------------------------------------------------------

def parse_ann(ann: str) -> dict:
    """A reader of the brat standoff format, independent of the writer."""
    out = {"T": {}, "E": {}, "A": [], "R": [], "#": [], "*": []}
    for line in ann.splitlines():
        kind = line[0]
        if kind == "T":
            tid, mid, text = line.split("\t")
            label, offs = mid.split(" ", 1)
            frags = [tuple(map(int, f.split())) for f in offs.split(";")]
            out["T"][tid] = (label, frags, text)
        elif kind == "E":
            eid, body = line.split("\t")
            parts = body.split()
            label, trig = parts[0].split(":")
            out["E"][eid] = (label, trig, dict(p.split(":") for p in parts[1:]))
        elif kind in "AR#*":
            out[kind].append(line.split("\t"))
        else:
            raise AssertionError(f"unknown line {line!r}")
    return out


def _check_ann(txt: str, ann: str) -> dict:
    p = parse_ann(ann)
    for tid, (label, frags, text) in p["T"].items():
        assert text == " ".join(txt[a:b] for a, b in frags), tid
        assert all(0 <= a < b <= len(txt) and "\n" not in txt[a:b] for a, b in frags)
    ids = set(p["T"]) | set(p["E"])
    for label, trig, args in p["E"].values():
        assert p["T"][trig][0] == label
        assert all(v in p["T"] for v in args.values())
    for _, body in p["A"]:
        assert body.split()[1] in ids
    for _, body in p["R"]:
        _, a1, a2 = body.split()
        assert a1.split(":")[1] in p["T"] and a2.split(":")[1] in p["T"]
    for _, body, _note in p["#"]:
        assert body.split()[1] in ids
    for _, body in p["*"]:
        assert all(t in p["T"] for t in body.split()[1:])
    return p


def test_brat_ann_offsets_match_the_text(analyses):
    for an in analyses:
        txt, ann = formats.to_brat(an)
        assert txt == an.text
        p = _check_ann(txt, ann)
        labels = [lab for lab, _, _ in p["T"].values()]
        assert labels.count("Time") == len(an.times)
        assert labels.count("Quote") == len(an.quotes)
        assert len(p["E"]) == len(an.events)
        assert sum(len(e.mentions) for e in an.entities) == sum(lab in ("PER", "ORG", "GPE", "LOC") for lab in labels)


def test_brat_events_point_at_their_parties(analyses):
    an = next(a for a in analyses if a.id == "s2")
    txt, ann = formats.to_brat(an)
    p = parse_ann(ann)
    (label, trig, args), = [e for e in p["E"].values() if e[0] == "CONSULT"]
    assert {k: p["T"][v][2] for k, v in args.items()} == {"Actor": "Portugal", "Recipient": "Italie", "Location": "Rome"}
    modes = [body for _, body in p["A"] if body.startswith("Mode ")]
    assert len(modes) == len(an.events) and all(m.split()[2] in ("asserted", "planned", "negated", "hypothetical")
                                                for m in modes)
    notes = [n for _, _, n in p["#"]]
    assert "Madrid [geonames:3117735]" in notes and "value=2023-03" in notes


def test_brat_quote_across_lines_is_fragmented():
    text = "« Nous viendrons\nà Rome », a dit Mario Draghi."
    c, m = text.index("a dit"), text.index("Mario")
    quote = Quote(2, 23, text[2:23], "direct", speaker="Mario Draghi", speaker_id="e1",
                  cue=Span(c, c + 5, "a dit"))
    ent = Entity("e1", "Mario Draghi", "PER", None, [Mention(m, m + 12, "Mario Draghi")])
    txt, ann = formats.to_brat(_toy(text, entities=[ent], quotes=[quote]))
    p = _check_ann(txt, ann)
    (qlabel, frags, qtext), = [t for t in p["T"].values() if t[0] == "Quote"]
    assert frags == [(2, 16), (17, 23)] and qtext == "Nous viendrons à Rome"
    rels = sorted(body.split()[0] for _, body in p["R"])
    assert rels == ["Has_cue", "Speaker"]


def test_brat_conf_declares_every_label():
    conf = formats.BRAT_CONF
    for label in ("PER", "ORG", "GPE", "LOC", "Time", "Quote", "Cue", "Has_cue", "Speaker", "Coreference", "TimexType",
                  "Kind", "Mode", "CONSULT", "ASSAULT"):
        assert f"\n{label}" in conf


# -- writers and the command line -------------------------------------------

def _article_file(tmp_path, text, dct):
    p = tmp_path / f"in{len(text)}.jsonl"
    p.write_text("".join(json.dumps({"id": f"cli{i}", "dct": dct, "text": t}, ensure_ascii=False) + "\n"
                         for i, t in enumerate(text)), encoding="utf-8")
    return p


def test_cli_analyze_timeml_plover_brat(pipeline, tmp_path, capsys):
    one = _article_file(tmp_path, [SENTENCES[0][0]], SENTENCES[0][1])
    assert main(["analyze", str(one), "--format", "timeml"]) == 0
    root = ET.fromstring(capsys.readouterr().out)
    assert root.find("DCT/TIMEX3").attrib["value"] == "2025-06-10"

    two = _article_file(tmp_path, [SENTENCES[0][0], SENTENCES[2][0]], SENTENCES[2][1])
    assert main(["analyze", str(two), "--format", "timeml"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "-o DIR" in captured.err
    assert main(["analyze", str(two), "--format", "timeml", "-o", str(tmp_path / "tml")]) == 0
    assert sorted(p.name for p in (tmp_path / "tml").iterdir()) == ["cli0.tml", "cli1.tml"]
    assert main(["analyze", str(one), "--format", "timeml", "-o", str(tmp_path / "one.tml")]) == 0
    assert ET.parse(tmp_path / "one.tml").getroot().findtext("DOCID") == "cli0"

    assert main(["analyze", str(two), "--format", "plover", "-o", str(tmp_path / "ev.jsonl")]) == 0
    recs = [json.loads(x) for x in (tmp_path / "ev.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["cite_info"]["citation"] for r in recs} == {"cli0", "cli1"}

    assert main(["analyze", str(two), "--format", "brat"]) == 2
    assert "-o DIR" in capsys.readouterr().err
    assert main(["analyze", str(two), "--format", "brat", "-o", str(tmp_path / "brat")]) == 0
    names = sorted(p.name for p in (tmp_path / "brat").iterdir())
    assert names == ["annotation.conf", "cli0.ann", "cli0.txt", "cli1.ann", "cli1.txt"]
    _check_ann((tmp_path / "brat" / "cli1.txt").read_text(encoding="utf-8"),
               (tmp_path / "brat" / "cli1.ann").read_text(encoding="utf-8"))


def test_cli_export_store_in_standard_formats(analyses, tmp_path, capsys):
    from depeche.store import Store, make_record

    db = tmp_path / "c.db"
    with Store(db) as st:
        for an in analyses[:2]:
            st.write_article(make_record(an))
    for fmt in ("timeml", "brat", "plover"):
        assert main(["export", "--db", str(db), "--format", fmt, str(tmp_path / fmt)]) == 0
        assert "2 articles" in capsys.readouterr().out
    tml = sorted((tmp_path / "timeml").glob("*.tml"))
    assert [p.stem for p in tml] == sorted(a.id for a in analyses[:2])
    for p in tml:
        ET.parse(p)
    for an in analyses[:2]:
        _check_ann((tmp_path / "brat" / f"{an.id}.txt").read_text(encoding="utf-8"),
                   (tmp_path / "brat" / f"{an.id}.ann").read_text(encoding="utf-8"))
    recs = [json.loads(x) for x in (tmp_path / "plover" / "events.plover.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(recs) == sum(len(a.events) for a in analyses[:2])
    assert all(isinstance(r["link"], int) for r in recs)  # the merged event of the store


@pytest.mark.parametrize("ids, stems", [
    (["a/b", "a b"], ["a_b", "a_b-2"]),
    ([None, None], ["article-1", "article-2"]),
    (["../..", "É.t"], ["article-1", "É.t"]),
])
def test_writer_file_names_are_safe_and_unique(tmp_path, ids, stems):
    with formats.Writer("timeml", directory=tmp_path) as w:
        for i in ids:
            w.write(_toy("Le 3 mai.", id=i))
    assert [Path(p).stem for p in w.files] == stems
    assert all(Path(p).parent == tmp_path for p in w.files)


def test_writer_refuses_what_it_cannot_do(tmp_path):
    with pytest.raises(FormatError, match="directory"):
        formats.Writer("brat", stream=open(tmp_path / "x", "w"))
    with pytest.raises(FormatError, match="unknown format"):
        formats.Writer("conll", directory=tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(FormatError, match="cannot write"):
        formats.Writer("timeml", directory=tmp_path / "file" / "sub")


# -- any input ------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Our own French pieces, with what XML, brat and UTF-8 files find hard.
PIECES = [
    "La Norvège a reçu mardi à Oslo le ministre chilien Tomás Vidal.", "« Nous signerons en mai », a dit",
    "le Chili", "Selon Oslo,", "le 4 juin 2023", "il y a deux ans", "&", "<b>", "]]>", "\"", "'",
    "\r\n", "\r", "\n", "\u2028", "\x00", "\x0b", "\ud800", "\ufffe", "\t", " ",
]
TEXTS = st.lists(st.sampled_from(PIECES), min_size=1, max_size=10).map(" ".join)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=TEXTS, dct=st.sampled_from([None, "2024-03-05"]))
def test_any_input_gives_valid_formats(pipeline, tmp_path, text, dct):
    an = pipeline.analyze(text, dct=dct, id="x")
    assert formats.schema_errors(an) == []
    root = ET.fromstring(formats.to_timeml(an).encode("utf-8"))
    body = root.find("TEXT")
    assert "".join(body.itertext()) == formats.xml_safe(text)
    assert [(a, b) for a, b, _ in _timex_spans(body)] == sorted((t.start, t.end) for t in an.times)
    txt, ann = formats.to_brat(an)
    _check_ann(txt, ann)
    with formats.Writer("brat", directory=tmp_path) as w:
        w.write(an)
    with open(tmp_path / "x.txt", encoding="utf-8") as f:  # as brat reads it: universal newlines
        written = f.read()
    assert len(written) == len(text) and written == formats.encodable(formats.brat_text(text))
    _check_ann(written, (tmp_path / "x.ann").read_text(encoding="utf-8"))
    for rec in formats.to_plover(an):
        json.loads(formats.encodable(json.dumps(rec, ensure_ascii=False)))
