"""depeche in a spaCy user's own pipeline, and the Python API's surface.

Each component added alone to a plain ``fr_core_news_md`` pipeline, the
plain extensions, ``doc.ents`` and ``doc.spans``, serialisation (bytes,
DocBin, ``n_process=2``), displacy, the DCT, ``to_contract``, ``__all__``,
the enums and the TypeErrors.
"""
from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pytest

import depeche
from depeche import nlp as N

STAGES = N.STAGES
ROOT = Path(__file__).resolve().parent.parent

# Sentences of our own: a person and a city, a day, a direct quote with its
# cue, a meeting.
TEXT = ("La ministre Annalena Baerbock a rencontré mardi à Varsovie son homologue polonais. "
        "« Nous avancerons ensemble », a-t-elle déclaré devant la presse.")
DCT = "2023-05-18"  # a Thursday: "mardi" is 2023-05-16


@pytest.fixture(scope="module")
def base():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("fr_core_news_md")
    except OSError:
        pytest.skip("fr_core_news_md not installed")


@contextmanager
def added(nlp, *stages):
    names = [f"depeche_{s}" for s in stages]
    for n in names:
        nlp.add_pipe(n)
    try:
        yield nlp
    finally:
        for n in names:
            nlp.remove_pipe(n)


@pytest.fixture
def user_nlp(base):
    """The base model with the four depeche components, as a spaCy user adds them."""
    with added(base, *STAGES) as nlp:
        yield nlp


def _unregister():
    from spacy.tokens import Doc

    for name in N.DOC_EXTENSIONS:
        if Doc.has_extension(name):
            Doc.remove_extension(name)


def examples():
    folder = resources.files("depeche") / "examples"
    return sorted((p.name, json.loads(p.read_text(encoding="utf-8"))) for p in folder.iterdir()
                  if p.name.endswith(".json"))


# -- factory names -------------------------------------------------------------

def test_spacy_refuses_dotted_factory_names():
    """Why the factories are ``depeche_entities`` … and not ``depeche.entities``
    (edsnlp's ``eds.dates`` form): spaCy 3.8 refuses a dot (E853). If a later
    spaCy accepts it, this test fails: then rename, keeping the old names."""
    from spacy.language import Language

    with pytest.raises(ValueError, match="E853"):
        Language.component("depeche.probe", func=lambda doc: doc)
    N._register_factories()  # what the package's spacy_factories entry points do
    for stage in STAGES:
        assert f"depeche_{stage}" in Language.factories


# -- each component alone ----------------------------------------------------------

ALONE = {
    # stage: (its extension, what it must find in TEXT, the doc.spans groups it fills)
    "entities": ("entities", lambda recs: {"Annalena Baerbock", "Varsovie"} <= {r["name"] for r in recs}, ()),
    "times": ("times", lambda recs: [(r["text"], r["value"]) for r in recs] == [("mardi", "2023-05-16")],
              ("depeche_times",)),
    "quotes": ("quotes", lambda recs: [(r["kind"], r["cue"]["text"]) for r in recs] == [("direct", "a-t-elle déclaré")],
               ("depeche_quotes", "depeche_cues")),
    "events": ("events", lambda recs: "CONSULT" in [r["type"] for r in recs], ("depeche_events",)),
}


@pytest.mark.parametrize("stage", STAGES)
def test_each_component_alone_on_the_plain_model(base, stage):
    """No other depeche component, extensions not registered beforehand: the
    component registers what it writes, and its plain results serialise."""
    from spacy.tokens import Doc

    _unregister()
    try:
        with added(base, stage) as nlp:
            doc = nlp.make_doc(TEXT)
            doc._.dct = DCT
            doc = nlp(doc)
            ext, found, groups = ALONE[stage]
            recs = doc._.get(ext)
            assert found(recs), recs
            assert all(isinstance(r, dict) for r in recs)
            for g in groups:
                assert len(doc.spans[g]) >= 1
            back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
            assert back._.get(ext) == recs
            meta = nlp.get_pipe_meta(f"depeche_{stage}")
            assert f"doc._.{ext}" in meta.assigns
            assert "token.dep" in meta.requires or stage == "entities"
    finally:
        N.register_extensions()


def test_entities_alone_fill_doc_ents_with_kb_ids(base):
    with added(base, "entities") as nlp:
        doc = nlp(TEXT)
    ents = {e.text: e for e in doc.ents}
    assert ents["Annalena Baerbock"].label_ == "PER"
    assert ents["Varsovie"].label_ == "GPE"          # the base model says LOC
    assert ents["Varsovie"].kb_id_                   # a KB identifier
    by_id = {r["id"]: r for r in doc._.entities}
    assert by_id[ents["Varsovie"].id_]["name"] == "Varsovie"


def test_the_pipeline_reads_the_base_ner_whatever_doc_ents_holds(user_nlp, pipeline):
    """doc.ents holds depeche's entities after the entities stage; the later
    stages read the base model's, so the analysis is that of depeche analyze."""
    doc = user_nlp(depeche.make_doc(user_nlp, TEXT, DCT))
    assert {e.label_ for e in doc.ents} <= set(depeche.model.ENTITY_TYPES)
    assert "LOC" in {e.label_ for e in N.base_ents(doc)}   # spaCy's label for Varsovie
    assert depeche.to_contract(doc) == pipeline.analyze(TEXT, dct=DCT).to_dict()


def test_analyze_pipes_sees_no_missing_requirement(user_nlp):
    assert all(not v for v in user_nlp.analyze_pipes(pretty=False)["problems"].values())


# -- the DCT and the contract ----------------------------------------------------

@pytest.mark.parametrize("dct, value", [
    ("2023-05-18", "2023-05-16"),
    (dt.date(2024, 1, 4), "2024-01-02"),
    (None, "XXXX-WXX-2"),
])
def test_the_dct_set_before_the_pipeline(user_nlp, dct, value):
    doc = user_nlp(depeche.make_doc(user_nlp, TEXT, dct))
    assert [t["value"] for t in doc._.times] == [value]


def test_dct_set_by_hand_on_a_doc(user_nlp):
    doc = user_nlp.make_doc(TEXT)
    doc._.dct = "2023-05-18"
    assert [t["value"] for t in user_nlp(doc)._.times] == ["2023-05-16"]


@pytest.mark.parametrize("name, article", examples())
def test_to_contract_equals_pipeline_analyze(user_nlp, pipeline, name, article):
    doc = user_nlp(depeche.make_doc(user_nlp, article["text"], article.get("dct"), article.get("id")))
    want = pipeline.analyze(article["text"], dct=article.get("dct"), id=article.get("id")).to_dict()
    assert want["entities"] and want["events"]
    assert depeche.to_contract(doc) == want


@pytest.mark.parametrize("text", [
    "Le ministre a quitt\u00e9 Lyon\u00a0jeudi\u200b. Il l\u2019a dit.",       # no-break space, zero-width, apostrophe
    "Le pre\u0301sident e\u0301tait a\u0300 Berlin le 3 mai 2024.",             # combining accents, composed
    "Le sommet\r\nde Rome a eu lieu lundi.\r\nRien d'autre.",                     # CRLF
])
def test_to_contract_offsets_index_the_text_as_given(user_nlp, pipeline, text):
    from spacy.tokens import Doc

    doc = user_nlp(depeche.make_doc(user_nlp, text, "2024-05-08"))
    want = pipeline.analyze(text, dct="2024-05-08").to_dict()
    assert depeche.to_contract(doc) == want
    back = Doc(user_nlp.vocab).from_bytes(doc.to_bytes())
    assert depeche.to_contract(back) == want
    for t in want["times"]:
        assert text[t["start"]:t["end"]] == t["text"]


def test_to_contract_of_a_doc_of_the_text_as_is(user_nlp):
    c = depeche.to_contract(user_nlp(TEXT), id="a1")
    assert c["id"] == "a1" and c["lang"] == "fr" and c["dct"] is None
    assert [q["text"] for q in c["quotes"]] == ["Nous avancerons ensemble"]
    q = c["quotes"][0]
    assert TEXT[q["start"]:q["end"]] == q["text"]


def test_to_contract_of_a_doc_no_stage_processed(base):
    c = depeche.to_contract(base("Une phrase."))
    assert (c["entities"], c["times"], c["quotes"], c["events"]) == ([], [], [], [])


def test_a_text_with_a_lone_surrogate_serialises(user_nlp):
    from spacy.tokens import Doc

    text = "Le ministre est \ud800arriv\u00e9 jeudi \u00e0 Rome."
    doc = user_nlp(depeche.make_doc(user_nlp, text, "2024-05-08"))
    back = Doc(user_nlp.vocab).from_bytes(doc.to_bytes())
    assert depeche.to_contract(back)["times"] == depeche.to_contract(doc)["times"] != []


# -- serialisation -----------------------------------------------------------------

def test_docbin_round_trip(user_nlp, pipeline):
    from spacy.tokens import DocBin

    name, article = examples()[0]
    docs = [user_nlp(depeche.make_doc(user_nlp, article["text"], article["dct"], article["id"])),
            user_nlp(depeche.make_doc(user_nlp, TEXT, DCT, "mine"))]
    db = DocBin(store_user_data=True)
    for d in docs:
        db.add(d)
    back = list(DocBin().from_bytes(db.to_bytes()).get_docs(user_nlp.vocab))
    for d, b in zip(docs, back):
        for ext in N.DOC_EXTENSIONS:  # a DocBin reads lists back as tuples
            assert json.dumps(b._.get(ext)) == json.dumps(d._.get(ext)), ext
        assert [(e.text, e.label_, e.kb_id_, e.id_) for e in b.ents] == \
               [(e.text, e.label_, e.kb_id_, e.id_) for e in d.ents]
        for key in N.SPANS_KEYS.values():
            assert [(s.text, s.label_) for s in b.spans[key]] == [(s.text, s.label_) for s in d.spans[key]]
        assert depeche.to_contract(b) == depeche.to_contract(d)
    assert depeche.to_contract(back[0]) == pipeline.analyze(
        article["text"], dct=article["dct"], id=article["id"]).to_dict()


def test_pipe_with_two_processes(user_nlp):
    texts = [TEXT, "Le sommet de l'Union européenne aura lieu lundi à Bruxelles.", "Rien ne s'est passé."]
    one = [depeche.to_contract(d) for d in user_nlp.pipe(texts)]
    two = [depeche.to_contract(d) for d in user_nlp.pipe(texts, n_process=2, batch_size=1)]
    assert two == one
    assert one[0]["quotes"] and one[1]["times"]


def test_pipe_as_tuples_with_the_dct_in_the_context(user_nlp):
    pairs = [(TEXT, {"dct": DCT, "id": "a"}), (TEXT, {"dct": "2024-01-04", "id": "b"}), (TEXT, {})]
    out = list(user_nlp.pipe(depeche.make_docs(user_nlp, pairs), as_tuples=True, n_process=2, batch_size=1))
    assert [ctx for _, ctx in out] == [ctx for _, ctx in pairs]
    got = [(depeche.to_contract(d)["id"], [t["value"] for t in d._.times]) for d, _ in out]
    assert got == [("a", ["2023-05-16"]), ("b", ["2024-01-02"]), (None, ["XXXX-WXX-2"])]


@pytest.mark.parametrize("bad", ["un texte seul", (TEXT, "2024-01-04"), (TEXT,)])
def test_make_docs_takes_text_context_pairs(user_nlp, bad):
    with pytest.raises(TypeError, match="pairs"):
        list(depeche.make_docs(user_nlp, [bad]))


def test_plain_records_rebuild_the_records():
    ev = depeche.Event("AID", "planned", depeche.Span(0, 4, "aide"), actor="UE", confidence=0.7345)
    ent = depeche.Entity("e1", "Kaja Kallas", "PER", "Q1", [depeche.Mention(0, 11, "Kaja Kallas")],
                         ["Kallas"], [depeche.Role("haute représentante", "UE")], "Fem")
    assert N._records("events", [N.plain(ev)]) == [ev]
    assert N._records("entities", [N.plain(ent)]) == [ent]
    json.dumps([N.plain(ev), N.plain(ent)])  # plain data


# -- displacy ---------------------------------------------------------------------

@pytest.mark.parametrize("key, label", [
    ("depeche_times", "DATE"), ("depeche_quotes", "direct"), ("depeche_cues", "CUE"), ("depeche_events", "CONSULT"),
])
def test_displacy_renders_the_span_groups(user_nlp, key, label):
    from spacy import displacy

    doc = user_nlp(depeche.make_doc(user_nlp, TEXT, DCT))
    html = displacy.render(doc, style="span", options={"spans_key": key})
    assert label in html


def test_displacy_renders_depeche_entities(user_nlp):
    from spacy import displacy

    doc = user_nlp(TEXT)
    html = displacy.render(doc, style="ent")
    assert "GPE" in html and "Varsovie" in html


# -- the Python API ------------------------------------------------------------------

def test_all_names_exist_and_exports():
    for name in depeche.__all__:
        assert hasattr(depeche, name), name
    assert depeche.Article is N.Article and depeche.Failure is N.Failure


def test_py_typed_is_shipped():
    assert (resources.files("depeche") / "py.typed").is_file()
    assert "py.typed" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("enum, values", [
    (depeche.EntityType, depeche.model.ENTITY_TYPES),
    (depeche.EventType, depeche.model.EVENT_TYPES),
    (depeche.Mode, depeche.model.MODES),
    (depeche.TimexType, depeche.model.TIMEX_TYPES),
    (depeche.QuoteKind, depeche.model.QUOTE_KINDS),
])
def test_enums_are_their_strings(enum, values):
    assert [m.value for m in enum] == list(values)
    for m in enum:
        assert m == m.value and str(m) == m.value and f"{m}" == m.value
        assert json.dumps(m) == json.dumps(m.value)
        assert enum(m.value) is m


def test_enums_compare_with_the_records(analyze):
    an = analyze(TEXT, dct=DCT)
    assert {depeche.EntityType(e.type) for e in an.entities} <= set(depeche.EntityType)
    assert any(ev.type == depeche.EventType.CONSULT and ev.mode == depeche.Mode.ASSERTED for ev in an.events)


@pytest.mark.parametrize("args, kwargs, what", [
    ((b"Le ministre est parti.",), {}, "text"),
    ((None,), {}, "text"),
    ((["Le ministre"],), {}, "text"),
    (("Le ministre est parti.",), {"dct": 20240403}, "dct"),
    (("Le ministre est parti.",), {"dct": ["2024-04-03"]}, "dct"),
    (("Le ministre est parti.",), {"id": 7}, "id"),
])
def test_analyze_wrong_types_are_type_errors(args, kwargs, what):
    with pytest.raises(TypeError, match=what):
        depeche.analyze(*args, **kwargs)


def test_analyze_accepts_a_date_object(analyze):
    an = depeche.analyze(TEXT, dct=dt.date(2023, 5, 18))
    assert an.dct == DCT


def test_analyze_bad_date_value_is_still_a_bad_date_error():
    with pytest.raises(depeche.BadDateError):
        depeche.analyze("Le ministre est parti.", dct="18/05/2023")


@pytest.mark.parametrize("articles, kwargs, what", [
    ("Le ministre est parti.", {}, "iterable"),
    ({"text": "Le ministre est parti."}, {}, "iterable"),
    (depeche.Article("Le ministre est parti."), {}, "iterable"),
    (42, {}, "iterable"),
    ([{"text": "Le ministre est parti."}], {"batch_size": 0}, "batch_size"),
    ([{"text": "Le ministre est parti."}], {"batch_size": "8"}, "batch_size"),
])
def test_analyze_many_wrong_types_are_type_errors(articles, kwargs, what):
    with pytest.raises(TypeError, match=what):
        depeche.analyze_many(articles, **kwargs)


def test_analyze_many_bad_items_stay_failures(pipeline):
    out = list(depeche.analyze_many([{"text": 3}, "pas un article", {"text": TEXT, "dct": DCT, "id": "ok"}]))
    assert [type(r).__name__ for r in out] == ["Failure", "Failure", "Analysis"]


def test_limits_and_budget_helpers_in_a_users_pipeline(base):
    """depeche_limits (first) cuts a sentence with no stop and says so in a
    plain warning; depeche_budget stops a doc that took too long."""
    from spacy.tokens import Doc

    base.add_pipe("depeche_limits", first=True)
    base.add_pipe("depeche_budget", config={"budget": 1e-9})
    try:
        assert "doc._.warnings" in base.get_pipe_meta("depeche_limits").assigns
        text = " ".join(["mot"] * (N.MAX_SENTENCE_TOKENS + 20))
        with base.select_pipes(disable=["depeche_budget"]):
            doc = base(text)
        assert [w["code"] for w in doc._.warnings] == ["long_sentence"]
        assert Doc(base.vocab).from_bytes(doc.to_bytes())._.warnings == doc._.warnings
        with pytest.raises(depeche.TimeBudgetError):
            base(text)
    finally:
        base.remove_pipe("depeche_limits")
        base.remove_pipe("depeche_budget")


def test_processed_docs_are_freed(user_nlp):
    """The records live beside the Doc, not in it: they must not keep it alive."""
    import gc
    import weakref

    refs = [weakref.ref(user_nlp(f"Le ministre est arrivé à Lyon le {d} mai.")) for d in range(1, 4)]
    user_nlp("Une autre phrase.")  # a stage keeps the last doc it read
    for d in range(N._VIEWS_KEPT + 1):  # and the last few docs' views are kept on purpose
        N.view(user_nlp.make_doc(f"Texte {d}."))
    gc.collect()
    assert [r() for r in refs] == [None, None, None]
