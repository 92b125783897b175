"""The knowledge store: schema, ingest (idempotent, resumable, bad input),
cross-article event merging, queries, export and the CLI commands."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from depeche import cli
from depeche.errors import StoreError
from depeche.store import (MIGRATIONS, SCHEMA_VERSION, Store, date_span, dates_agree, entity_key, fts_query,
                           ingest, modes_agree, normalise_name, text_hash)

# -- helpers ----------------------------------------------------------------------


def ent(eid, name, type_, kb_id=None, text=None, start=0, aliases=()):
    text = text or name
    return {"id": eid, "name": name, "type": type_, "kb_id": kb_id, "aliases": list(aliases), "roles": [],
            "mentions": [{"start": start, "end": start + len(text), "text": text}]}


def event(type_, actor=None, actor_id=None, recipient=None, recipient_id=None, date=None, mode="asserted",
          location=None, trigger=(0, 1, "x"), evidence=None):
    return {"type": type_, "mode": mode, "trigger": {"start": trigger[0], "end": trigger[1], "text": trigger[2]},
            "actor": actor, "recipient": recipient, "date": date, "location": location,
            "actor_id": actor_id, "recipient_id": recipient_id, "location_id": None, "confidence": 0.8,
            "evidence": evidence}


def record(text, id, dct, entities=(), events=(), quotes=(), times=(), source="corpus"):
    return {"source": source, "id": id, "dct": dct, "lang": "fr", "text": text,
            "analysis": {"id": id, "dct": dct, "lang": "fr", "warnings": [], "entities": list(entities),
                         "times": list(times), "quotes": list(quotes), "events": list(events)}}


def span_of(text, part):
    i = text.index(part)
    return i, i + len(part), part


# Three articles that report the same agreement, one a later distinct one, and
# a denial; written for these tests.
A1 = "La France et l'Allemagne ont signé un accord sur l'énergie le 3 mai 2024 à Berlin."
A2 = "Paris et Berlin ont conclu en mai 2024 un accord énergétique, a indiqué le gouvernement."
A3 = "Le président Emmanuel Macron a annoncé que la France signera un accord avec l'Allemagne le 3 mai 2024."
A4 = "La France et l'Allemagne ont signé un second accord le 10 juin 2024."
A5 = "La France n'a pas signé d'accord avec l'Allemagne le 3 mai 2024, selon Emmanuel Macron."
A6 = ("« Nous avons besoin d'une énergie sûre et abordable », a déclaré Emmanuel Macron. "
      "La Commission européenne a salué l'accord.")


def corpus_records():
    fr = lambda t, s=None: ent("e1", "France", "GPE", "FR", text=s or "France", start=t.index(s or "France"))
    de = lambda t, s=None: ent("e2", "Allemagne", "GPE", "DE", text=s or "Allemagne",
                              start=t.index(s or "Allemagne"), aliases=["Germany"])
    mac = lambda t: ent("e3", "Emmanuel Macron", "PER", "Q3052772", text="Emmanuel Macron",
                        start=t.index("Emmanuel Macron"), aliases=["Macron"])
    sent = lambda t: {"start": 0, "end": len(t), "text": t}
    recs = [
        record(A1, "a1", "2024-05-03", [fr(A1), de(A1), ent("e3", "Berlin", "GPE", "Q64", start=A1.index("Berlin"))],
               [event("AGREE", "France", "e1", "Allemagne", "e2", "2024-05-03", location="Berlin",
                      trigger=span_of(A1, "ont signé"), evidence=sent(A1))],
               times=[{"start": A1.index("3 mai"), "end": A1.index("3 mai") + 10, "text": "3 mai 2024",
                       "type": "DATE", "value": "2024-05-03"}]),
        # no local entity ids: the arguments are resolved by name ("la France").
        record(A2, "a2", "2024-05-06", [],
               [event("AGREE", "la France", None, "Allemagne", None, "2024-05",
                      trigger=span_of(A2, "ont conclu"))]),
        record(A3, "a3", "2024-04-28", [fr(A3), de(A3, "Allemagne"), mac(A3)],
               [event("AGREE", "France", "e1", "Allemagne", "e2", "2024-05-03", mode="planned",
                      trigger=span_of(A3, "signera"), evidence=sent(A3))]),
        record(A4, "a4", "2024-06-10", [fr(A4), de(A4)],
               [event("AGREE", "France", "e1", "Allemagne", "e2", "2024-06-10", trigger=span_of(A4, "ont signé"))]),
        record(A5, "a5", "2024-05-04", [fr(A5), de(A5), mac(A5)],
               [event("AGREE", "France", "e1", "Allemagne", "e2", "2024-05-03", mode="negated",
                      trigger=span_of(A5, "signé"))]),
        record(A6, "a6", "2024-05-05",
               [mac(A6), ent("e4", "Commission européenne", "ORG", None, text="Commission européenne",
                             start=A6.index("Commission"))],
               [event("SUPPORT", "Commission européenne", "e4", None, None, None, trigger=span_of(A6, "a salué"))],
               quotes=[{"start": 0, "end": A6.index("»") + 1, "text": A6[:A6.index("»") + 1], "kind": "direct",
                        "speaker": "Emmanuel Macron", "speaker_id": "e3",
                        "cue": {"start": A6.index("a déclaré"), "end": A6.index("a déclaré") + 9,
                                "text": "a déclaré"}}]),
    ]
    return recs


@pytest.fixture()
def store(tmp_path):
    st = Store(tmp_path / "kb.db")
    for r in corpus_records():
        assert st.write_article(r) is not None
    yield st
    st.close()


# -- names, dates, hashes ---------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("l'OTAN", "OTAN"),
    ("l\u2019Union européenne", "Union europeenne"),
    ("la France", "FRANCE"),
    ("Jean-Luc Mélenchon", "jean luc melenchon"),
    ("Les Républicains", "républicains"),
])
def test_names_compare_across_articles(a, b):
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize("a, b", [("France", "Francfort"), ("Mali", "Malte"), ("l'Inde", "Indonésie")])
def test_different_names_stay_apart(a, b):
    assert normalise_name(a) != normalise_name(b)


def test_entity_key_prefers_the_kb_id():
    assert entity_key("Q7184", "OTAN") == entity_key("Q7184", "Organisation du traité de l'Atlantique nord")
    assert entity_key(None, "la Commission européenne") == entity_key(None, "Commission européenne")
    assert entity_key(None, "") is None


@pytest.mark.parametrize("value, span", [
    ("2024-05-03", ("2024-05-03", "2024-05-03")),
    ("2024-05-03T14:30", ("2024-05-03", "2024-05-03")),
    ("2024-05", ("2024-05-01", "2024-05-31")),
    ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2024", ("2024-01-01", "2024-12-31")),
    ("2024-W18", ("2024-04-29", "2024-05-05")),
    ("2024-Q2", ("2024-04-01", "2024-06-30")),
    ("2024-H2", ("2024-07-01", "2024-12-31")),
    ("2023-WI", ("2023-12-01", "2024-02-29")),
    ("201X", ("2010-01-01", "2019-12-31")),
    ("PRESENT_REF", None), ("XXXX-05-03", None), ("P3D", None), ("2024-13", None), ("", None), (None, None),
])
def test_date_spans(value, span):
    assert date_span(value) == span


@pytest.mark.parametrize("a, b, agree", [
    ("2024-05-03", "2024-05-03", True),
    ("2024-05-03", "2024-05", True),
    ("2024", "2024-05-03", True),
    ("2024-W18", "2024-05-03", True),
    ("2024-05-03", "2024-05-04", False),
    ("2024-05", "2024-06", False),
    ("2024-W18", "2024-05", False),  # overlapping, but neither contains the other
    ("2024-05-03", None, False),
])
def test_dates_agree_at_their_granularity(a, b, agree):
    assert dates_agree(date_span(a), date_span(b)) is agree


@pytest.mark.parametrize("a, b, agree", [
    ("asserted", "asserted", True), ("planned", "asserted", True), ("negated", "asserted", False),
    ("hypothetical", "planned", False), ("negated", "negated", True),
])
def test_modes_agree(a, b, agree):
    assert modes_agree(a, b) is agree


def test_text_hash_ignores_spacing_and_apostrophes():
    a = "Le Premier ministre s'est rendu à Kiev.\n\nIl a rencontré le président."
    b = "  Le Premier ministre s\u2019est rendu à Kiev.\r\nIl a  rencontré\u00a0le président.  "
    assert text_hash(a) == text_hash(b)
    assert text_hash(a) != text_hash(a.replace("Kiev", "Kyiv"))


@pytest.mark.parametrize("text, query", [
    ("sommet de l'OTAN", '"sommet" "de" "l" "OTAN"'),
    ('"accord de paix"', '"accord de paix"'),
    ("NEAR(a b) OR -x*", '"NEAR" "a" "b" "OR" "x"'),
    ('"cessez-le-feu" à Gaza', '"cessez le feu" "à" "Gaza"'),
    ('guerre "sans fin', '"guerre" "sans" "fin"'),
])
def test_fts_query_is_safe(text, query):
    assert fts_query(text) == query


@pytest.mark.parametrize("text", ["", "   ", "« » !"])
def test_fts_query_refuses_nothing(text):
    with pytest.raises(StoreError):
        fts_query(text)


# -- schema -----------------------------------------------------------------------

def test_schema_is_versioned_wal_with_foreign_keys(tmp_path):
    path = tmp_path / "new.db"
    with Store(path) as st:
        assert st.journal_mode == "wal"
        assert st.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert st.migrations == [(i, name) for i, (name, _) in enumerate(MIGRATIONS, 1)]
        assert st.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with Store(path) as st:  # reopening applies nothing twice
        assert len(st.migrations) == SCHEMA_VERSION


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    Store(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_migrations VALUES (?, 'from_the_future', 'now')", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="upgrade"):
        Store(path)


@pytest.mark.parametrize("make", ["missing", "garbage", "directory", "no_parent"])
def test_bad_database_paths_raise_store_error(tmp_path, make):
    path = tmp_path / "x.db"
    if make == "garbage":
        path.write_bytes(b"ceci n'est pas une base de donnees" * 200)
    elif make == "directory":
        path.mkdir()
    elif make == "no_parent":
        path = tmp_path / "nowhere" / "x.db"
    with pytest.raises(StoreError):
        Store(path, create=(make != "missing"))


def test_malformed_record_raises_store_error_and_stores_nothing(tmp_path):
    with Store(tmp_path / "kb.db") as st:
        bad = record("Un texte tout à fait correct pour commencer.", "b1", "2024-01-01",
                     entities=[{"id": "e1", "name": "Rome", "type": "GPE", "mentions": [{"start": "zéro"}]}])
        with pytest.raises(StoreError):
            st.write_article(bad)
        assert st.counts()["articles"] == 0  # the transaction was rolled back
        with pytest.raises(StoreError):
            st.write_article({"text": None})


# -- writing and merging ----------------------------------------------------------

def test_the_same_text_is_stored_once(tmp_path):
    with Store(tmp_path / "kb.db") as st:
        r = record(A1, "a1", "2024-05-03")
        assert st.write_article(r) is not None
        again = dict(r, text=A1.replace("'", "\u2019") + "\n", id="copie")
        assert st.write_article(again) is None
        assert st.counts()["articles"] == 1


def test_entities_are_merged_across_articles(store):
    rows = {r["name"]: r for r in store.entities()}
    assert rows["France"]["n_articles"] == 4 and rows["France"]["kb_id"] == "FR"
    assert rows["Emmanuel Macron"]["n_articles"] == 3
    assert rows["Emmanuel Macron"]["n_mentions"] == 3
    assert [r["name"] for r in store.entities(type="ORG")] == ["Commission européenne"]
    assert len(store.entities(top=2)) == 2


def test_same_act_in_several_articles_is_one_event(store):
    agree = store.events(type="AGREE")
    merged = [e for e in agree if e["n_sources"] == 3]
    assert len(merged) == 1
    ev = merged[0]
    # a1 (day), a2 (month, arguments by name) and a3 (planned) support it
    assert ev["date"] == "2024-05-03" and ev["mode"] == "asserted"
    assert ev["actor_kb_id"] == "FR" and ev["recipient_kb_id"] == "DE"
    # the June agreement and the denial are events of their own
    others = sorted((e["date"], e["mode"], e["n_sources"]) for e in agree if e["id"] != ev["id"])
    assert others == [("2024-05-03", "negated", 1), ("2024-06-10", "asserted", 1)]


def test_a_merged_event_shows_every_supporting_sentence(store):
    ev = next(e for e in store.events(type="AGREE") if e["n_sources"] == 3)
    full = store.event(ev["id"])
    assert full["n_mentions"] == 3
    assert [s["article"] for s in full["sources"]] == ["a3", "a1", "a2"]  # by publication date
    assert full["sources"][1]["evidence_text"] == A1
    # a2 gave no evidence span: the sentence around the trigger is shown
    assert "ont conclu" in full["sources"][2]["evidence_text"]
    assert store.event(10_000) is None


def test_events_without_arguments_are_not_merged(tmp_path):
    t = "Des manifestants ont protesté devant le Parlement."
    with Store(tmp_path / "kb.db") as st:
        for i in range(2):
            st.write_article(record(t + f" Article {i}.", f"p{i}", "2024-03-01",
                                    events=[event("PROTEST", None, None, None, None, "2024-03-01")]))
        assert [e["n_sources"] for e in st.events(type="PROTEST")] == [1, 1]


@pytest.mark.parametrize("reports, sources", [
    # (dct, event date) of each report of "le Mali a protesté auprès de la France"
    ([("2024-03-02", None), ("2024-03-02", None)], [2]),
    ([("2024-03-02", None), ("2024-03-04", None)], [2]),       # windows overlap
    ([("2024-03-02", None), ("2024-03-09", None)], [1, 1]),    # a week apart: two acts
    ([("2024-03-02", "2024-03-01"), ("2024-03-03", None)], [2]),  # the dated act, reported again
    ([("2024-03-09", None), ("2024-03-10", "2024-03-01")], [1, 1]),  # dated outside the window
    ([("2024-03-02", None), (None, None)], [1, 1]),           # no date at all: never merged
])
def test_undated_events_merge_within_their_report_window(tmp_path, reports, sources):
    with Store(tmp_path / "kb.db") as st:
        for i, (dct, date) in enumerate(reports):
            st.write_article(record(f"Le Mali a protesté auprès de la France. Dépêche {i}.", f"m{i}", dct,
                                    events=[event("PROTEST", "Mali", None, "France", None, date)]))
        rows = st.events(type="PROTEST")
        assert sorted(e["n_sources"] for e in rows) == sorted(sources)
        dated = [d for _, d in reports if d]
        if len(rows) == 1 and dated:
            assert rows[0]["date"] == dated[0]  # the real date wins over the window


# -- queries ----------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, expected", [
    ({"type": "AGREE"}, 3),
    ({"type": "agree", "mode": "negated"}, 1),
    ({"actor": "France"}, 3),
    ({"actor": "FR"}, 3),
    ({"actor": "la france"}, 3),
    ({"recipient": "Germany"}, 3),  # an alias
    ({"actor": "Allemagne"}, 0),
    ({"actor": "Commission européenne"}, 1),
    ({"since": "2024-06"}, 1),
    ({"until": "2024-05-31", "type": "AGREE"}, 2),
    ({"since": "2024-05-01", "until": "2024-05-31"}, 3),  # with a6's undated one, reported in May
    ({"location": "Berlin"}, 1),
    ({"location": "Rome"}, 0),
])
def test_events_query(store, kwargs, expected):
    assert len(store.events(**kwargs)) == expected


def test_events_query_refuses_a_bad_date(store):
    with pytest.raises(StoreError):
        store.events(since="mai dernier")


def test_timeline_lists_events_and_quotes_in_date_order(store):
    rows = store.timeline("Macron")
    assert [r["kind"] for r in rows] == ["quote"]
    assert rows[0]["date"] == "2024-05-05"
    france = store.timeline("France")
    dates = [r["date"] for r in france]
    assert dates == ["2024-05-03", "2024-05-03", "2024-06-10"]
    assert all(r["role"] == "actor" for r in france)
    assert store.timeline("Atlantide") == []


@pytest.mark.parametrize("kwargs, n", [
    ({}, 1),
    ({"speaker": "Macron"}, 1),
    ({"speaker": "Q3052772"}, 1),
    ({"speaker": "Commission européenne"}, 0),
    ({"search": "energie abordable"}, 1),  # accents folded
    ({"search": "pétrole"}, 0),
    ({"speaker": "Emmanuel Macron", "search": "sûre"}, 1),
])
def test_quotes_query(store, kwargs, n):
    rows = store.quotes(**kwargs)
    assert len(rows) == n
    if rows:
        assert rows[0]["speaker"] == "Emmanuel Macron" and rows[0]["speaker_kb_id"] == "Q3052772"


@pytest.mark.parametrize("text, articles", [
    ("accord", {"a1", "a2", "a3", "a4", "a5", "a6"}),
    ("accord énergétique", {"a2"}),
    ("energie", {"a1", "a6"}),
    ('"second accord"', {"a4"}),
    ("Varsovie", set()),
])
def test_full_text_search(store, text, articles):
    rows = store.search(text)
    assert {r["article"] for r in rows} == articles
    for r in rows:
        assert "[" in r["snippet"]


# -- export -----------------------------------------------------------------------

def test_export_parquet_loads_with_pyarrow(store, tmp_path):
    import pyarrow.parquet as pq

    counts = store.export(tmp_path / "out", "parquet")
    assert counts["articles"] == 6 and counts["quotes"] == 1 and counts["event_sources"] == 6
    events = pq.read_table(tmp_path / "out" / "events.parquet")
    assert events.num_rows == counts["events"]
    for col in ("actor", "actor_uid", "recipient", "recipient_uid", "date", "n_sources"):
        assert col in events.schema.names
    assert max(events.column("n_sources").to_pylist()) == 3
    ents = pq.read_table(tmp_path / "out" / "entities.parquet").to_pylist()
    assert {"name": "France", "type": "GPE", "kb_id": "FR"}.items() <= next(
        e for e in ents if e["name"] == "France").items()
    assert pq.read_table(tmp_path / "out" / "mentions.parquet").num_rows == counts["mentions"]


def test_export_csv_and_jsonl(store, tmp_path):
    import csv

    store.export(tmp_path / "csv", "csv")
    with open(tmp_path / "csv" / "quotes.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["speaker"] == "Emmanuel Macron"
    store.export(tmp_path / "jsonl", "jsonl")
    lines = (tmp_path / "jsonl" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["ext_id"] for x in lines] == ["a1", "a2", "a3", "a4", "a5", "a6"]
    with pytest.raises(StoreError):
        store.export(tmp_path / "x", "xlsx")


def test_export_of_an_empty_store_has_typed_empty_tables(tmp_path):
    import pyarrow.parquet as pq

    with Store(tmp_path / "kb.db") as st:
        st.export(tmp_path / "out")
    t = pq.read_table(tmp_path / "out" / "events.parquet")
    assert t.num_rows == 0 and str(t.schema.field("n_sources").type) == "int64"


# -- ingest with the real pipeline -----------------------------------------------

ARTICLES = [
    "Le ministre des Affaires étrangères a reçu lundi son homologue italien à Paris. "
    "Les deux hommes ont évoqué la situation au Proche-Orient et la coopération européenne.",
    "Le gouvernement a annoncé mardi une aide de cinquante millions d'euros aux agriculteurs "
    "touchés par la sécheresse. La mesure sera présentée au Parlement la semaine prochaine.",
    "La présidente de la Commission européenne s'est rendue à Kiev pour rencontrer le président "
    "ukrainien. Elle a promis de nouvelles sanctions contre la Russie.",
    "Des milliers de personnes ont manifesté samedi à Lyon contre la réforme des retraites. "
    "Les syndicats appellent à une nouvelle journée de mobilisation jeudi.",
]
ENGLISH = ("The minister said on Monday that the government would present a new plan for the economy "
           "and that the talks with the unions had been very productive for everyone involved.")
PAGE = """<html lang="fr"><head><meta charset="utf-8"><title>Sommet à Bruxelles</title>
<meta property="article:published_time" content="2024-06-27T09:00:00+02:00"></head>
<body><nav>Accueil | International | Économie</nav><article><h1>Sommet à Bruxelles</h1>
<p>Les dirigeants européens se sont retrouvés jeudi à Bruxelles pour un sommet consacré à la défense.
Ils ont discuté du financement de l'industrie de l'armement pendant plusieurs heures.</p>
<p>Le chancelier allemand a souhaité que les décisions soient prises rapidement, avant la fin de l'année.</p>
</article><footer>Tous droits réservés</footer></body></html>"""
UNDATED_PAGE = PAGE.replace('<meta property="article:published_time" content="2024-06-27T09:00:00+02:00">', "") \
    .replace("Sommet à Bruxelles", "Réunion à Luxembourg").replace("jeudi", "vendredi")


def make_corpus(root: Path) -> Path:
    d = root / "corpus"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(ARTICLES[0], encoding="utf-8")
    (d / "sub" / "b.txt").write_text(ARTICLES[1], encoding="utf-8")
    with open(d / "lot.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "c", "dct": "2024-02-02", "text": ARTICLES[2]}, ensure_ascii=False) + "\n")
        f.write(json.dumps({"id": "d", "text": ARTICLES[3]}, ensure_ascii=False) + "\n")
        f.write("{pas du json\n")
    (d / "page.html").write_text(PAGE, encoding="utf-8")
    (d / "sub" / "undated.html").write_text(UNDATED_PAGE, encoding="utf-8")
    os.utime(d / "sub" / "undated.html", (1_700_000_000, 1_700_000_000))  # 2023-11-14
    (d / "vide.html").write_text("<html><head><title>Accueil</title></head><body><script>var x = 1;</script>"
                                 "</body></html>", encoding="utf-8")
    (d / "english.html").write_text(f"<html lang='en'><head><title>Economy</title></head><body><article>"
                                    f"<p>{ENGLISH}</p><p>{ENGLISH}</p></article></body></html>", encoding="utf-8")
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "sub" / "latin1.txt").write_bytes("Un texte mal encodé, très ancien.".encode("latin-1"))
    (d / ".cache").write_text(ARTICLES[0], encoding="utf-8")  # hidden: ignored
    return d


def test_html_page_date_wins_over_the_file_date(tmp_path):
    from depeche.batch import read_path
    from depeche.nlp import Article

    d = make_corpus(tmp_path)
    (page,) = list(read_path(d / "page.html"))
    (undated,) = list(read_path(d / "sub" / "undated.html"))
    assert isinstance(page, Article) and page.dct == "2024-06-27"
    assert undated.dct == "2023-11-14"  # the file's modification date
    assert undated.text.startswith("Réunion à Luxembourg\n") and "Menu" not in undated.text
    assert "Accueil | International" not in page.text


def test_ingest_a_corpus_twice_stores_each_article_once(pipeline, tmp_path):
    d = make_corpus(tmp_path)
    seen = []
    with Store(tmp_path / "kb.db") as st:
        first = ingest(st, [d, tmp_path / "absent.txt"], pipeline, dct="2024-01-15",
                       progress=lambda status, source, detail: seen.append(status))
        assert first.ingested == 7 and first.skipped == 0
        codes = sorted(code for _, code, _ in first.failed)
        assert codes == sorted(["bad_input", "bad_input", "empty", "not_french", "encoding"])
        assert len(seen) == 12 and seen.count("failed") == 5
        failures = {Path(f["source"]).name: f["code"] for f in st.failures()}
        assert failures["english.html"] == "not_french" and failures["vide.html"] == "empty"
        assert failures["image.png"] == "encoding" and failures["absent.txt"] == "bad_input"

        dcts = {r["ext_id"]: r["dct"] for r in st._q("SELECT ext_id, dct FROM articles")}
        assert dcts["c"] == "2024-02-02"   # its own date
        assert dcts["a"] == "2024-01-15"   # the --dct default
        assert dcts["page"] == "2024-06-27"  # the page's own date wins
        assert dcts["undated"] == "2024-01-15"  # no page date: the --dct default
        page = st.article("page")
        assert page["text"].startswith("Sommet à Bruxelles") and "Tous droits" not in page["text"]

        latin1 = st.article("latin1")  # Latin-1 bytes: read, with a warning
        assert latin1["text"] == "Un texte mal encodé, très ancien."

        second = ingest(st, [d], pipeline, dct="2024-01-15")
        assert second.ingested == 0 and second.skipped == 7
        assert st.counts()["articles"] == 7
        assert {r["article"] for r in st.search("Bruxelles défense")} == {"page", "undated"}
        assert {r["article"] for r in st.search("défense jeudi")} == {"page"}


def test_ingest_reads_standard_input(pipeline, tmp_path):
    import io

    lines = "".join(json.dumps({"id": f"s{i}", "dct": "2024-03-0{}".format(i + 1), "text": t}, ensure_ascii=False)
                    + "\n" for i, t in enumerate(ARTICLES[:2]))
    with Store(tmp_path / "kb.db") as st:
        summary = ingest(st, ["-"], pipeline, stdin=io.BytesIO(lines.encode("utf-8")))
        assert summary.ingested == 2 and not summary.failed
        assert st.article("s1")["source"] == "<stdin>" and st.article("s1")["dct"] == "2024-03-02"


def test_a_crashed_ingest_resumes_without_duplicates(pipeline, tmp_path):
    d = tmp_path / "lot"
    d.mkdir()
    for i, text in enumerate(ARTICLES):
        (d / f"{i}.txt").write_text(text, encoding="utf-8")

    class Crash(Exception):
        pass

    def crashing(items):
        for n, res in enumerate(pipeline.analyze_many(items, batch_size=1)):
            if n == 2:
                raise Crash("the machine stopped")
            yield res

    with Store(tmp_path / "kb.db") as st:
        with pytest.raises(Crash):
            ingest(st, [d], analyze=crashing)
        assert st.counts()["articles"] == 2
    with Store(tmp_path / "kb.db") as st:
        again = ingest(st, [d], pipeline)
        assert (again.ingested, again.skipped) == (2, 2)
        assert st.counts()["articles"] == 4
        assert len({r["text_hash"] for r in st._q("SELECT text_hash FROM articles")}) == 4


def _stored(db) -> int:
    """Articles in the store at ``db``, read while another process writes it
    (0 while there is no store yet)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_killing_the_ingest_process_midway_then_rerunning(pipeline, tmp_path):
    d = tmp_path / "lot"
    d.mkdir()
    n = 24
    for i in range(n):
        (d / f"{i:03}.txt").write_text(f"Dépêche numéro {i}. " + ARTICLES[i % 4], encoding="utf-8")
    db = tmp_path / "kb.db"
    cmd = [sys.executable, "-m", "depeche.cli", "ingest", str(d), "--db", str(db), "--quiet"]

    def stored() -> int:
        return _stored(db)

    log = open(tmp_path / "ingest.log", "w+")
    proc = subprocess.Popen(cmd + ["--batch-size", "1"], stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 300
        while stored() < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    partial = stored()
    log.seek(0)
    assert 3 <= partial, log.read()[-2000:]  # (it may have finished, on a very fast machine)
    log.close()
    with Store(db) as st:  # the re-run (in this process, to load the model once)
        summary = ingest(st, [d], pipeline)
    assert (summary.ingested, summary.skipped, summary.failed) == (n - partial, partial, [])
    assert stored() == n
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(DISTINCT text_hash) FROM articles").fetchone()[0] == n
    con.close()


def _store_is_sound(db, n):
    """Every article once, SQLite's integrity check ok, the full-text indexes
    in step with their tables."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*), COUNT(DISTINCT text_hash) FROM articles").fetchone() == (n, n)
        con.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        con.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')")
        ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id")]
        assert [r[0] for r in con.execute("SELECT rowid FROM articles_fts ORDER BY rowid")] == ids
        assert [r[0] for r in con.execute("SELECT rowid FROM quotes_fts ORDER BY rowid")] == \
            [r[0] for r in con.execute("SELECT id FROM quotes ORDER BY id")]
        word = con.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'numéro'").fetchone()[0]
        assert word == n
    finally:
        con.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def test_killing_an_ingest_with_two_workers_five_times_then_rerunning(pipeline, tmp_path):
    """kill -9 of ``depeche ingest --workers 2`` at five random moments (the
    analysis processes are left behind, as on a real kill), then a re-run:
    every article stored once, the database and its full-text indexes sound,
    and no worker process outlives its ingest."""
    import random

    r = random.Random(18)
    d = tmp_path / "lot"
    d.mkdir()
    n = 40
    for i in range(n):
        (d / f"{i:03}.txt").write_text(f"Dépêche numéro {i}. " + ARTICLES[i % 4], encoding="utf-8")
    db = tmp_path / "kb.db"
    cmd = [sys.executable, "-m", "depeche.cli", "ingest", str(d), "--db", str(db), "--quiet",
           "--workers", "2", "--batch-size", "1"]

    def stored() -> int:
        return _stored(db)

    counts, orphans = [], []
    for round_ in range(5):
        before = stored()
        target = min(n, before + r.randint(0, 4))
        with open(tmp_path / f"ingest-{round_}.log", "w+") as log:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
            try:
                deadline = time.monotonic() + 300
                while stored() < target and proc.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(r.uniform(0, 0.3))
                workers = _children(proc.pid)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                # the analysis processes must go when their parent is killed
                gone = time.monotonic() + 60
                while any(_alive(w) for w in workers) and time.monotonic() < gone:
                    time.sleep(0.1)
                orphans += [w for w in workers if _alive(w)]
            finally:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the group
                except ProcessLookupError:
                    pass
            log.seek(0)
            assert "Traceback" not in log.read()
        counts.append(stored())
    assert counts == sorted(counts)  # nothing stored is ever lost
    partial = counts[-1]
    with Store(db) as st:  # the re-run (in this process, to load the model once)
        summary = ingest(st, [d], pipeline)
    assert (summary.ingested, summary.skipped, summary.failed) == (n - partial, partial, [])
    _store_is_sound(db, n)
    assert orphans == []


# -- the CLI ----------------------------------------------------------------------

def test_cli_queries(store, capsys):
    db = str(store.path)
    assert cli.main(["events", "--db", db, "--type", "AGREE", "--actor", "France", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert sorted(r["n_sources"] for r in rows) == [1, 1, 3]

    merged = next(r for r in rows if r["n_sources"] == 3)
    assert cli.main(["event", str(merged["id"]), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "signera" in out and "ont conclu" in out

    assert cli.main(["quotes", "--db", db, "--speaker", "Macron", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("id,speaker") and "Emmanuel Macron" in out[1]

    assert cli.main(["entities", "--db", db, "--top", "2"]) == 0
    assert "France" in capsys.readouterr().out
    assert cli.main(["timeline", "France", "--db", db, "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert cli.main(["search", "second accord", "--db", db]) == 0
    assert "a4" in capsys.readouterr().out


def test_cli_export_and_errors(store, tmp_path, capsys):
    import pyarrow.parquet as pq

    db = str(store.path)
    assert cli.main(["export", str(tmp_path / "out"), "--db", db]) == 0
    assert pq.read_table(tmp_path / "out" / "quotes.parquet").num_rows == 1
    capsys.readouterr()
    assert cli.main(["events", "--db", str(tmp_path / "absent.db")]) == cli.EXIT_USAGE
    assert "no knowledge store" in capsys.readouterr().err
    assert not (tmp_path / "absent.db").exists()
    assert cli.main(["events", "--db", db, "--since", "hier"]) == cli.EXIT_USAGE
    assert cli.main(["event", "999", "--db", db]) == cli.EXIT_NOTHING


# -- reading articles and entities back -------------------------------------------

def test_a_stored_article_reads_back_as_its_analysis(store):
    original = corpus_records()[5]  # a6: entities, a quote, an event
    back = store.analysis("a6")
    assert back["text"] == A6 and back["id"] == "a6" and back["dct"] == "2024-05-05"
    for e in back["entities"]:
        assert e.pop("store_id") is not None
    for ev in back["events"]:
        assert ev.pop("event_id") is not None
    for kind in ("entities", "quotes", "events", "times", "warnings"):
        assert back[kind] == original["analysis"][kind], kind
    assert store.analysis(back["article_id"])["id"] == "a6"
    assert store.analysis("absent") is None


def test_articles_list(store):
    rows = store.articles()
    assert [r["article"] for r in rows][:3] == ["a4", "a2", "a6"]  # most recent first
    assert len(store.articles(limit=2, offset=5)) == 1
    assert all("text" not in r for r in rows)


def test_one_entity_with_names_and_neighbours(store):
    fid = store.match_entities("France")[0]
    ent = store.entity(fid)
    assert ent["name"] == "France" and ent["kb_id"] == "FR" and ent["n_articles"] == 4
    neighbours = {c["name"]: c["n_articles"] for c in ent["cooccurring"]}
    assert neighbours["Allemagne"] == 4 and neighbours["Emmanuel Macron"] == 2
    de = store.entity(store.match_entities("DE")[0])
    assert de["names"] == ["Germany"]
    assert store.entity(999) is None


def test_cli_ingest_summary_and_exit_status(pipeline, tmp_path, capsys):
    d = tmp_path / "lot"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLES[0], encoding="utf-8")
    (d / "b.bin").write_bytes(b"\x00\x01\x02binaire")
    db = str(tmp_path / "kb.db")
    assert cli.main(["ingest", str(d), "--db", db, "--quiet"]) == cli.EXIT_PARTIAL
    out = capsys.readouterr().out
    assert "ingested 1, skipped 0" in out and "failed" in out and "b.bin" in out
    assert cli.main(["ingest", str(d / "a.txt"), "--db", db, "--quiet", "--format", "json"]) == cli.EXIT_OK
    assert json.loads(capsys.readouterr().out)["skipped"] == 1
    assert cli.main(["ingest", str(d / "b.bin"), "--db", db, "--quiet"]) == cli.EXIT_USAGE
    assert cli.main(["ingest", str(d), "--db", db, "--dct", "hier"]) == cli.EXIT_USAGE


def test_unlinked_names_join_the_linked_entity_of_the_same_type(tmp_path):
    t1 = "Le Parlement européen a voté le texte à Strasbourg."
    t2 = "À Strasbourg, les députés du Parlement européen ont débattu."
    t3 = "Le Parlement européen siège à Strasbourg depuis longtemps, a rappelé la presse."
    t4 = "Strasbourg, une rue de Bruxelles, a été fermée."
    with Store(tmp_path / "kb.db") as st:
        # first seen unlinked, then linked: the linked one adopts it, with its events
        st.write_article(record(t1, "p1", "2024-01-10", [ent("e1", "Parlement européen", "ORG", None, start=3)],
                                [event("CONSULT", "Parlement européen", "e1", None, None, "2024-01-10")]))
        st.write_article(record(t2, "p2", "2024-01-10",
                                [ent("e1", "Parlement européen", "ORG", "Q8889", start=t2.index("Parlement"))],
                                [event("CONSULT", "Parlement européen", "e1", None, None, "2024-01-10")]))
        # then unlinked again: it joins the linked entity
        st.write_article(record(t3, "p3", "2024-01-11", [ent("e1", "Parlement européen", "ORG", None, start=3),
                                                          ent("e2", "Strasbourg", "GPE", "Q6602",
                                                              start=t3.index("Strasbourg"))]))
        # same name, another type: not the same entity
        st.write_article(record(t4, "p4", "2024-01-12", [ent("e1", "Strasbourg", "LOC", None, start=0)]))
        parl = st.match_entities("Parlement européen")
        assert len(parl) == 1
        ent_ = st.entity(parl[0])
        assert ent_["kb_id"] == "Q8889" and ent_["n_articles"] == 3
        (ev,) = st.events(actor="Q8889")
        assert ev["n_sources"] == 2
        assert sorted(e["type"] for e in st.entities() if e["name"] == "Strasbourg") == ["GPE", "LOC"]
        assert st.analysis("p1")["entities"][0]["kb_id"] is None  # the article's own analysis is kept


def test_the_dev_corpus_ingested_twice_is_stored_once(pipeline, dev_gold, tmp_path):
    dev = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"
    with Store(tmp_path / "dev.db") as st:
        first = ingest(st, [dev], pipeline)
        assert first.ingested == len(dev_gold) and not first.failed
        second = ingest(st, [dev], pipeline)
        assert second.ingested == 0 and second.skipped == len(dev_gold)
        assert st.counts()["articles"] == len(dev_gold)
        assert {a["article"] for a in st.articles()} == {g["id"] for g in dev_gold}
        for g in dev_gold:  # the text is kept as given: offsets index it
            assert st.article(g["id"])["text"] == g["text"]
        counts = st.export(tmp_path / "out", "parquet")
    import pyarrow.parquet as pq

    for name, n in counts.items():
        assert pq.read_table(tmp_path / "out" / f"{name}.parquet").num_rows == n


def test_text_hash_is_stable():
    import hashlib

    # the hash is part of the store format: a change would store articles twice
    assert text_hash("  Le  Premier ministre\u00a0s\u2019est rendu a\u0300 Kiev.\n") == \
        hashlib.sha256("Le Premier ministre s'est rendu à Kiev.".encode("utf-8")).hexdigest()


def test_an_older_store_is_migrated_on_opening(tmp_path, monkeypatch):
    import depeche.store as store_mod

    path = tmp_path / "old.db"
    monkeypatch.setattr(store_mod, "MIGRATIONS", MIGRATIONS[:1])
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", 1)
    with Store(path) as st:  # a store made before migration 2
        st.conn.execute("INSERT INTO articles (id, text, text_hash, lang, ingested_at) "
                        "VALUES (1, 'Texte.', 'h', 'fr', 'now')")
        st.conn.execute("INSERT INTO entities (id, key, name, norm, type) VALUES (1, 'kb:FR', 'France', 'france', 'GPE')")
        st.conn.execute("INSERT INTO article_entities (article_id, local_id, entity_id, name, type) "
                        "VALUES (1, 'e1', 1, 'France', 'GPE')")
        st.conn.execute("INSERT INTO events (id, type, mode, date, date_start, date_end) "
                        "VALUES (1, 'AGREE', 'asserted', '2024', '2024-01-01', '2024-12-31')")
        assert st.migrations == [(1, "0001_initial")]
    monkeypatch.undo()
    with Store(path) as st:
        assert [v for v, _ in st.migrations] == list(range(1, SCHEMA_VERSION + 1))
        assert st.conn.execute("SELECT dated FROM events WHERE id = 1").fetchone()[0] == 1
        assert st.conn.execute("SELECT n FROM entity_types WHERE entity_id = 1").fetchone()[0] == 1
        # and it goes on working: France, typed ORG once, stays GPE
        st.write_article(record("La France a parlé.", "n1", "2024-02-01", [ent("e1", "France", "ORG", "FR", start=3)]))
        assert st.entity(1)["type"] == "GPE" and st.entity(1)["n_articles"] == 2


def test_a_rerun_over_stored_articles_does_not_load_the_model(pipeline, tmp_path):
    from depeche.store import lazy_analyze

    d = tmp_path / "lot"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLES[0], encoding="utf-8")
    (d / "b.bin").write_bytes(b"\x00binaire")
    loads = []

    def get():
        loads.append(1)
        return pipeline

    with Store(tmp_path / "kb.db") as st:
        first = ingest(st, [d], analyze=lazy_analyze(get))
        assert (first.ingested, len(first.failed), len(loads)) == (1, 1, 1)
        again = ingest(st, [d], analyze=lazy_analyze(get))
        assert (again.ingested, again.skipped, len(again.failed), len(loads)) == (0, 1, 1, 1)


# -- typed exports, identifiers, sources (issue 16, data) -------------------------

def test_parquet_columns_are_typed(store, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    store.write_article(record("La France et l'Allemagne se retrouveront en 2030 pour un accord.", "y1",
                               "2024-07-01", [ent("e1", "France", "GPE", "FR", start=3),
                                              ent("e2", "Allemagne", "GPE", "DE", start=17)],
                               [event("AGREE", "France", "e1", "Allemagne", "e2", "2030", mode="planned")]))
    store.export(tmp_path / "out")
    ev = pq.read_table(tmp_path / "out" / "events.parquet")
    types = dict(zip(ev.schema.names, ev.schema.types))
    for col in ("date_start", "date_end", "first_seen", "last_seen"):
        assert types[col] == pa.date32(), col
    assert types["dated"] == pa.bool_() and types["n_sources"] == pa.int64()
    rows = {r["date"]: r for r in ev.to_pylist()}
    assert rows["2030"]["date_granularity"] == "year"  # a year, not 2030-01
    assert str(rows["2030"]["date_start"]) == "2030-01-01" and str(rows["2030"]["date_end"]) == "2030-12-31"
    assert rows["2024-05-03"]["date_granularity"] == "day" and rows["2024-05-03"]["dated"] is True
    undated = [r for r in ev.to_pylist() if r["date"] is None]
    assert undated and all(r["dated"] is False and r["date_granularity"] is None for r in undated)
    arts = pq.read_table(tmp_path / "out" / "articles.parquet")
    assert arts.schema.field("dct").type == pa.date32()
    assert str(arts.schema.field("ingested_at").type) == "timestamp[ms, tz=UTC]"
    times = pq.read_table(tmp_path / "out" / "times.parquet").to_pylist()
    assert times[0]["granularity"] == "day" and str(times[0]["date_start"]) == "2024-05-03"


@pytest.mark.parametrize("value, expected", [
    ("2024-05-03", "day"), ("2024-05-03T10:00", "time"), ("2024-W18", "week"), ("2024-05", "month"),
    ("2024-Q2", "quarter"), ("2024-SU", "season"), ("2030", "year"), ("199X", "decade"),
    ("PRESENT_REF", "vague"), ("XXXX-04", "vague"), (None, None),
])
def test_granularity_of_timex_values(value, expected):
    from depeche.store import granularity

    assert granularity(value) == expected


def test_parquet_metadata_holds_the_schema_and_the_version(store, tmp_path):
    import pyarrow.parquet as pq

    import depeche

    store.export(tmp_path / "out", since="2024-05")
    meta = pq.read_schema(tmp_path / "out" / "events.parquet").metadata
    assert meta[b"depeche_version"].decode() == depeche.__version__
    doc = json.loads(meta[b"depeche"])
    assert doc["table"] == "events" and doc["depeche_version"] == depeche.__version__
    assert doc["since"] == "2024-05" and doc["store_schema_version"] == SCHEMA_VERSION
    cols = {c["name"]: c for c in doc["columns"]}
    assert cols["date_start"]["type"] == "date32" and cols["dated"]["type"] == "bool"
    assert list(cols) == pq.read_schema(tmp_path / "out" / "events.parquet").names
    field = pq.read_schema(tmp_path / "out" / "events.parquet").field("actor_uid")
    assert b"QID" in field.metadata[b"description"]


@pytest.mark.parametrize("bom", [False, True])
def test_csv_is_utf8_with_an_optional_bom(store, tmp_path, bom):
    import csv

    store.export(tmp_path / "csv", "csv", bom=bom)
    raw = (tmp_path / "csv" / "entities.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom
    assert "Commission européenne".encode("utf-8") in raw
    with open(tmp_path / "csv" / "events.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {r["dated"] for r in rows} == {"true", "false"}
    assert all(r["date_start"][:4] == "2024" for r in rows)
    with pytest.raises(StoreError, match="csv"):
        store.export(tmp_path / "pq", "parquet", bom=True)


def test_roles_table(tmp_path):
    import pyarrow.parquet as pq

    t1 = "Le ministre italien des Affaires étrangères Marco Bellini a reçu son homologue à Rome."
    t2 = "Marco Bellini, ministre italien des Affaires étrangères, s'est rendu à Vienne."
    role = {"title": "ministre des Affaires étrangères", "of": "Italie", "source": "text"}
    bellini = lambda t: dict(ent("e1", "Marco Bellini", "PER", None, start=t.index("Marco")), roles=[role])
    with Store(tmp_path / "kb.db") as st:
        st.write_article(record(t1, "r1", "2024-03-01", [bellini(t1), ent("e2", "Italie", "GPE", "IT", text="italien",
                                                                          start=t1.index("italien"))]))
        st.write_article(record(t2, "r2", "2024-03-09", [bellini(t2)]))
        st.export(tmp_path / "out", tables=["roles", "entities"])
    rows = pq.read_table(tmp_path / "out" / "roles.parquet").to_pylist()
    assert len(rows) == 1
    r = rows[0]
    assert (r["person"], r["office"], r["body"], r["source"]) == (
        "Marco Bellini", "ministre des Affaires étrangères", "Italie", "text")
    assert r["uid"] == "depeche:name:marco-bellini" and r["body_uid"] == "depeche:iso:IT"
    assert (str(r["date_from"]), str(r["date_to"]), r["n_articles"]) == ("2024-03-01", "2024-03-09", 2)
    assert not (tmp_path / "out" / "events.parquet").exists()  # --tables: only those asked


def test_names_table_lists_aliases(store, tmp_path):
    import pyarrow.parquet as pq

    store.export(tmp_path / "out", tables=["names"])
    rows = pq.read_table(tmp_path / "out" / "names.parquet").to_pylist()
    macron = [(r["name"], r["canonical"]) for r in rows if r["uid"] == "Q3052772"]
    assert sorted(macron) == [("Emmanuel Macron", True), ("Macron", False)]
    assert ("Germany", False) in [(r["name"], r["canonical"]) for r in rows if r["uid"] == "depeche:iso:DE"]


def test_event_times_link_events_to_the_expression_that_dates_them(store, tmp_path):
    import pyarrow.parquet as pq

    store.export(tmp_path / "out", tables=["event_times", "times", "event_sources"])
    links = pq.read_table(tmp_path / "out" / "event_times.parquet").to_pylist()
    times = {t["id"]: t for t in pq.read_table(tmp_path / "out" / "times.parquet").to_pylist()}
    srcs = {s["id"]: s for s in pq.read_table(tmp_path / "out" / "event_sources.parquet").to_pylist()}
    assert len(links) == 1  # only a1 has a time expression
    link = links[0]
    assert times[link["time_id"]]["text"] == "3 mai 2024" == link["text"]
    assert srcs[link["event_source_id"]]["date"] == link["value"] == "2024-05-03"
    assert srcs[link["event_source_id"]]["article"] == "a1"


@pytest.mark.parametrize("kb_id, key, name, uid", [
    ("Q458", "kb:Q458", "Union européenne", "Q458"),
    ("FR", "kb:FR", "France", "depeche:iso:FR"),
    ("geonames:524901", None, "Moscou", "depeche:geonames:524901"),
    ("per:jens_stoltenberg", None, "Jens Stoltenberg", "depeche:kb:per:jens_stoltenberg"),
    (None, "name:commission europeenne", None, "depeche:name:commission-europeenne"),
    (None, None, "l'Élysée", "depeche:name:elysee"),
    (None, "kb:DE", None, "depeche:iso:DE"),
    (None, None, "", None),
])
def test_one_identifier_scheme(kb_id, key, name, uid):
    from depeche.store import entity_uid

    assert entity_uid(kb_id, key, name) == uid


def test_exported_identifiers_follow_the_scheme(store, tmp_path):
    import re

    import pyarrow.parquet as pq

    store.export(tmp_path / "out")
    scheme = re.compile(r"^(Q[1-9]\d*|depeche:(iso:[A-Z]{2}|geonames:\d+|kb:\S+|name:[^\s]+))$")
    for table, cols in (("entities", ["uid"]), ("mentions", ["uid"]), ("quotes", ["speaker_uid"]),
                        ("events", ["actor_uid", "recipient_uid", "location_uid"])):
        rows = pq.read_table(tmp_path / "out" / f"{table}.parquet").to_pylist()
        for r in rows:
            for c in cols:
                assert r[c] is None or scheme.match(r[c]), (table, c, r[c])
    ents = pq.read_table(tmp_path / "out" / "entities.parquet").to_pylist()
    assert {e["uid"] for e in ents} >= {"Q3052772", "depeche:iso:FR", "depeche:name:commission-europeenne"}
    assert len({e["uid"] for e in ents}) == len(ents)


def test_a_new_text_under_a_known_id_is_an_error(store):
    from depeche.errors import ArticleIdConflictError

    with pytest.raises(ArticleIdConflictError, match="a1"):
        store.write_article(record("Un tout autre texte, publié sous le même identifiant.", "a1", "2024-05-07"))
    assert store.counts()["articles"] == 6
    assert store.article("a1")["text"] == A1


def fake_analyze(items):
    """An ``analyze`` for ingest that needs no model: an empty analysis per article."""
    from depeche.nlp import Failure

    for it in items:
        if isinstance(it, Failure):
            yield it
        else:
            yield {"id": it.id, "dct": it.dct, "lang": "fr", "warnings": [], "entities": [], "times": [],
                   "quotes": [], "events": [], "text": it.text}


def test_ingest_reports_an_id_conflict_without_analysing(store, tmp_path):
    seen = []

    def analyze(items):
        for it in fake_analyze(items):
            seen.append(it)
            yield it

    lot = tmp_path / "lot.jsonl"
    with open(lot, "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "a2", "dct": "2024-05-07", "text": "Un texte nouveau sous un identifiant connu."},
                           ensure_ascii=False) + "\n")
        f.write(json.dumps({"id": "n1", "dct": "2024-05-07", "text": "Un texte nouveau sous un identifiant nouveau."},
                           ensure_ascii=False) + "\n")
    summary = ingest(store, [lot], analyze=analyze)
    assert summary.ingested == 1 and [c for _, c, _ in summary.failed] == ["id_conflict"]
    assert [s.get("id") for s in seen if isinstance(s, dict)] == ["n1"]  # the conflict was not analysed
    assert store.counts()["articles"] == 7
    assert store.failures()[0]["code"] == "id_conflict"


def test_a_second_source_of_a_known_text_is_recorded_and_counted(store, tmp_path):
    import pyarrow.parquet as pq

    before = {e["id"]: e["n_sources"] for e in store.events()}
    a1_event = store.event(1)
    assert a1_event["n_sources"] == 3
    lot = tmp_path / "reprise.jsonl"
    lot.write_text(json.dumps({"id": "agence-17", "dct": "2024-05-03", "text": A1.replace("'", "\u2019")},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    summary = ingest(store, [lot], analyze=fake_analyze)
    assert (summary.ingested, summary.sources, summary.skipped) == (0, 1, 0)
    assert store.counts()["articles"] == 6 and store.counts()["sources"] == 7
    after = {e["id"]: e["n_sources"] for e in store.events()}
    assert after[1] == before[1] + 1 and all(after[k] == before[k] for k in before if k != 1)
    again = ingest(store, [lot], analyze=fake_analyze)  # the same source twice is one source
    assert (again.sources, again.skipped) == (0, 1) and store.counts()["sources"] == 7
    assert store.article("agence-17")["ext_id"] == "a1"
    store.export(tmp_path / "out", tables=["sources", "articles"])
    srcs = pq.read_table(tmp_path / "out" / "sources.parquet").to_pylist()
    assert [s["ext_id"] for s in srcs if s["article_id"] == 1] == ["a1", "agence-17"]
    arts = {a["ext_id"]: a for a in pq.read_table(tmp_path / "out" / "articles.parquet").to_pylist()}
    assert arts["a1"]["n_sources"] == 2 and arts["a2"]["n_sources"] == 1


def test_ids_made_from_file_names_do_not_name_one_article(tmp_path):
    for d, text in (("un", "Premier texte d'un fichier nommé note."), ("deux", "Second texte, autre dossier.")):
        (tmp_path / d).mkdir()
        (tmp_path / d / "note.txt").write_text(text, encoding="utf-8")
    with Store(tmp_path / "kb.db") as st:
        summary = ingest(st, [tmp_path / "un", tmp_path / "deux"], analyze=fake_analyze)
        assert summary.ingested == 2 and not summary.failed
        ids = st.conn.execute("SELECT ext_id, id_given FROM article_sources ORDER BY id").fetchall()
        assert [tuple(r) for r in ids] == [("note", 0), ("note", 0)]


def test_a_store_of_schema_2_gets_its_sources_on_opening(tmp_path, monkeypatch):
    import depeche.store as store_mod

    path = tmp_path / "old.db"
    monkeypatch.setattr(store_mod, "MIGRATIONS", MIGRATIONS[:2])
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", 2)
    with Store(path) as st:
        for i, (ext, src) in enumerate((("dep-1", "lot.json"), ("note", "corpus/note.txt"),
                                        ("corpus/lot.jsonl:2", "corpus/lot.jsonl"), (None, "api")), 1):
            st.conn.execute("INSERT INTO articles (id, ext_id, source, dct, text, text_hash, lang, ingested_at) "
                            "VALUES (?, ?, ?, '2024-01-01', ?, ?, 'fr', 'now')", (i, ext, src, f"Texte {i}.", f"h{i}"))
    monkeypatch.undo()
    with Store(path) as st:
        assert [v for v, _ in st.migrations] == list(range(1, SCHEMA_VERSION + 1))
        rows = st.conn.execute("SELECT article_id, ext_id, id_given FROM article_sources ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [(1, "dep-1", 1), (2, "note", 0), (3, "corpus/lot.jsonl:2", 0), (4, None, 0)]
        from depeche.errors import ArticleIdConflictError
        with pytest.raises(ArticleIdConflictError):
            st.write_article(record("Un autre texte.", "dep-1", "2024-01-02"))
        assert st.write_article(record("Un autre texte.", "note", "2024-01-02")) is not None


def test_export_since_until_keeps_the_period(store, tmp_path):
    import pyarrow.parquet as pq

    t = "Le sommet s'est tenu à Lisbonne."
    store.write_article(record(t, "old", "2023-02-01", [ent("e1", "Lisbonne", "GPE", "Q597", start=t.index("L"))]))
    counts = store.export(tmp_path / "out", since="2024-05-04", until="2024-05")
    arts = pq.read_table(tmp_path / "out" / "articles.parquet").to_pylist()
    assert sorted(a["ext_id"] for a in arts) == ["a2", "a5", "a6"] and counts["articles"] == 3
    srcs = pq.read_table(tmp_path / "out" / "event_sources.parquet").to_pylist()
    assert {s["article"] for s in srcs} == {"a2", "a5", "a6"}
    events = {e["id"] for e in pq.read_table(tmp_path / "out" / "events.parquet").to_pylist()}
    assert events == {s["event_id"] for s in srcs}
    ents = {e["name"] for e in pq.read_table(tmp_path / "out" / "entities.parquet").to_pylist()}
    # Lisbonne only in an article of 2023; Berlin in none of the period's, but the place of an exported event
    assert ents == {"France", "Allemagne", "Emmanuel Macron", "Commission européenne", "Berlin"}
    assert counts["quotes"] == 1 and counts["times"] == 0
    with pytest.raises(StoreError, match="--since"):
        store.export(tmp_path / "x", since="hier")
    with pytest.raises(StoreError, match="unknown export table"):
        store.export(tmp_path / "x", tables=["events", "acteurs"])


def test_export_refuses_to_overwrite_without_force(store, tmp_path):
    from depeche.errors import ExportExistsError

    out = tmp_path / "out"
    store.export(out, tables=["articles"])
    before = (out / "articles.parquet").read_bytes()
    store.write_article(record("Un article de plus, publié plus tard.", "a7", "2024-07-01"))
    with pytest.raises(ExportExistsError, match="articles.parquet"):
        store.export(out)
    assert (out / "articles.parquet").read_bytes() == before and not (out / "events.parquet").exists()
    assert store.export(out, force=True)["articles"] == 7
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_cli_ingest_counts_a_copy_as_a_new_source(store, tmp_path, capsys):
    lot = tmp_path / "copie.jsonl"  # a stored text under a new id: recorded, not analysed (no model loaded)
    lot.write_text(json.dumps({"id": "fil-9", "dct": "2024-05-05", "text": A4}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    assert cli.main(["ingest", str(lot), "--db", str(store.path), "--quiet"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "ingested 0" in out and "1 new source(s) of stored articles" in out


def test_the_first_five_minutes_example_of_the_docs_runs(store, tmp_path, monkeypatch, capsys):
    import re

    doc = (Path(__file__).resolve().parent.parent / "docs" / "store.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- example: first-five-minutes[^>]*-->\s*```python\n(.*?)```", doc, re.S)
    assert block, "the example block is marked in docs/store.md"
    store.export(tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    exec(compile(block.group(1), "docs/store.md", "exec"), {})
    out = capsys.readouterr().out
    assert "date32[day]" in out and "'actor_uid': 'depeche:iso:FR', 'month': '2024-05'" in out
    assert "'uid': 'Q3052772'" in out and "'text': '3 mai 2024'" in out


def test_roles_the_kb_gives_carry_the_term_of_office(tmp_path):
    import pyarrow.parquet as pq

    t = "Le secrétaire général de l'OTAN a reçu les ministres à Bruxelles."
    person = dict(ent("e1", "Jens Stoltenberg", "PER", "per:jens_stoltenberg", text="secrétaire général de l'OTAN",
                      start=3), roles=[{"title": "secrétaire général de l'OTAN", "of": "OTAN", "source": "kb"}])
    with Store(tmp_path / "kb.db") as st:
        st.write_article(record(t, "k1", "2021-06-14", [person]))
        st.export(tmp_path / "out", tables=["roles"])
    [r] = pq.read_table(tmp_path / "out" / "roles.parquet").to_pylist()
    assert r["uid"] == "depeche:kb:per:jens_stoltenberg" and r["body_uid"] == "Q7184"  # OTAN: from the KB
    assert (str(r["term_start"]), str(r["term_end"])) == ("2014-10-01", "2024-10-01")


@pytest.mark.parametrize("name, content, given", [
    ("a.json", {"id": "dep-1", "text": "Un texte."}, [True]),
    ("a.json", {"text": "Un texte."}, [False]),
    ("lot.jsonl", [{"id": "x", "text": "Un."}, {"text": "Deux."}], [True, False]),
    ("note.txt", "Un texte simple.", [False]),
])
def test_readers_say_whether_the_data_gave_the_id(tmp_path, name, content, given):
    from depeche import batch

    p = tmp_path / name
    if name.endswith(".jsonl"):
        p.write_text("".join(json.dumps(c) + "\n" for c in content), encoding="utf-8")
    elif name.endswith(".json"):
        p.write_text(json.dumps(content), encoding="utf-8")
    else:
        p.write_text(content, encoding="utf-8")
    assert [a.id_given for a in batch.read_path(p)] == given
