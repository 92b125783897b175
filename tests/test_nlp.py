"""The pipeline as a library: contract shape, bad input, spaCy factories."""
from __future__ import annotations

import pytest

import depeche
from depeche.errors import BadDateError, TooLargeError

TEXT = ("Le Premier ministre canadien a rencontré lundi à Ottawa le président de la Commission européenne. "
        "« Nous avons avancé », a-t-il déclaré.")


def test_to_dict_has_every_contract_field(analyze):
    d = analyze(TEXT, dct="2024-06-03", id="t1").to_dict()
    assert {"id", "dct", "lang", "warnings", "entities", "times", "quotes", "events"} <= set(d)
    assert d["id"] == "t1" and d["dct"] == "2024-06-03" and d["lang"] == "fr"


@pytest.mark.parametrize("text, code", [
    ("", "empty"),
    ("   \n  ", "empty"),
    ("The prime minister met the president of the European Commission in Ottawa on Monday "
     "and they discussed trade and security.", "not_french"),
])
def test_bad_text_gives_a_warning_not_an_error(analyze, text, code):
    an = analyze(text)
    assert [w.code for w in an.warnings] == [code]
    assert an.entities == [] and an.events == []


@pytest.mark.parametrize("dct", ["2024-02-30", "demain", "24/03/2024", "2024-04-03 extra", 20240403,
                                 "20240403", "2024-4-3", "٢٠٢٤-٠٤-٠٣"])
def test_bad_dct_raises_a_named_error(analyze, dct):
    with pytest.raises(BadDateError):
        analyze(TEXT, dct=dct)


@pytest.mark.parametrize("dct, value", [("2024-04-03", "2024-04-03"), ("2024-04-03T08:15:00Z", "2024-04-03"),
                                        ("2024-04-03T23:59+02:00", "2024-04-03"), ("", None), (None, None)])
def test_good_dct_is_read(dct, value):
    assert depeche.nlp.check_dct(dct) == value


def test_too_large_text_raises_a_named_error(pipeline):
    with pytest.raises(TooLargeError):
        list(pipeline.analyze_many([depeche.nlp.Article("a " * 3_000_000)], raise_errors=True))


def test_offsets_index_the_text_as_given(analyze):
    text = "L’OTAN\u00a0a\u00a0annoncé mercredi que ses ministres se réuniront à Bruxelles."
    an = analyze(text, dct="2024-04-03")
    for e in an.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
    for t in an.times:
        assert text[t.start:t.end] == t.text


def test_components_are_spacy_factories():
    import spacy

    nlp = spacy.blank("fr")
    depeche.nlp.register_extensions()
    for stage in depeche.nlp.STAGES:
        nlp.add_pipe(f"depeche_{stage}")
    assert nlp.pipe_names == [f"depeche_{s}" for s in depeche.nlp.STAGES]


def test_import_does_not_load_the_model():
    import subprocess
    import sys

    code = "import depeche, sys; print('spacy' in sys.modules, depeche._pipeline is None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_doc_view_reads_each_token_once_and_slices_as_spacy(pipeline):
    from spacy.tokens import Span as SpacySpan

    from depeche.nlp import view

    doc = pipeline.nlp("Le ministre est arrivé à Kiev. Il a rencontré le président ukrainien.")
    v = view(doc)
    assert view(doc) is v and view(v) is v  # shared by the stages, not rebuilt
    assert v[3] is v[3] and v[3].text == "arrivé" and v[-1].text == "."
    assert [t.text for t in v] == [t.text for t in doc] and len(v) == len(doc)
    assert isinstance(v[0:2], SpacySpan) and v[0:2].text == "Le ministre"
    assert v.text == doc.text and v.ents == doc.ents  # the rest is the Doc's own
    assert [s.text for s in v.sents] == [s.text for s in doc.sents]
    assert v.sent_start_of == [t.sent.start for t in doc]


def test_doc_view_keeps_only_the_last_docs(pipeline):
    from depeche import nlp as _nlp

    docs = [pipeline.nlp.make_doc(f"Texte numéro {i}.") for i in range(_nlp._VIEWS_KEPT + 3)]
    views = [_nlp.view(d) for d in docs]
    assert len(_nlp._VIEWS) <= _nlp._VIEWS_KEPT
    assert _nlp.view(docs[-1]) is views[-1]
    assert _nlp.view(docs[0]) is not views[0] and _nlp.view(docs[0]).doc is docs[0]


def test_doc_view_of_an_unparsed_doc_is_one_sentence(pipeline):
    from depeche.nlp import view

    doc = pipeline.nlp.make_doc("Deux phrases ici. Sans analyse.")
    assert [s.text for s in view(doc).sents] == [doc.text]


@pytest.mark.parametrize("text", [
    "l'" * 15000,                                                        # elisions without a space
    "Le ministre a dit " + "!?" * 15000,                                 # a run of punctuation
    "le délégué de la France a dit que la paix et l'aide , " * 1500,     # one endless sentence
])
def test_pathological_text_is_analysed_with_a_warning(analyze, text):
    an = analyze(text, dct="2024-04-03")
    assert {w.code for w in an.warnings} & {"long_token", "long_sentence", "truncated"}
    for q in an.quotes:
        assert text[q.start:q.end] == q.text


def test_long_sentence_gets_breaks_and_a_warning(pipeline):
    doc = pipeline.nlp("la paix et l'aide , " * 200)
    assert max(len(s) for s in doc.sents) <= depeche.nlp.MAX_SENTENCE_TOKENS + 1
    assert "long_sentence" in [w["code"] for w in doc._.warnings]


def test_analyze_many_reports_items_that_are_not_articles():
    out = list(depeche.analyze_many([{"text": "Jean Dupont est arrivé à Lyon."}, 42, None,
                                     {"text": "Marie Martin est partie de Nantes."}]))
    assert [type(r).__name__ for r in out] == ["Analysis", "Failure", "Failure", "Analysis"]
    assert out[1].error.code == "bad_input"


def _events_raise_on(pipeline, monkeypatch, word: str) -> None:
    """Make the events stage raise on any text containing ``word``."""
    events = pipeline.nlp.get_pipe("depeche_events")
    real = type(events).__call__

    def flaky(self, doc):
        if word in doc.text:
            raise RuntimeError("a defect of the stage")
        return real(self, doc)

    monkeypatch.setattr(type(events), "__call__", flaky)


def test_a_stage_that_raises_fails_its_article_only(pipeline, monkeypatch):
    _events_raise_on(pipeline, monkeypatch, "piège")
    arts = [depeche.nlp.Article(t, id=str(n)) for n, t in enumerate(
        ["Jean Dupont est arrivé à Lyon.", "Un piège est tendu à Paris.", "Marie Martin est à Nantes."])]
    out = list(pipeline.analyze_many(arts, batch_size=8))
    assert [type(r).__name__ for r in out] == ["Analysis", "Failure", "Analysis"]
    assert out[1].id == "1" and out[1].error.code == "analysis_failed"


def test_articles_re_run_after_a_failure_in_their_batch_are_analysed_as_alone(pipeline, monkeypatch):
    """When one article of a batch raises, the others are analysed again one
    by one, from new Docs: their analyses are those they get alone (a second
    pass over a Doc the stages had written on gave other results, and could
    loop for ever in the events stage)."""
    import json
    from pathlib import Path

    examples = Path(depeche.__file__).parent / "examples"
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(examples.glob("*.json"))]
    texts += [t[: len(t) // 2] for t in texts]
    texts += ["« Nous partirons demain pour Rome, a dit la ministre Hélène Carrel. Le voyage durera deux jours.",
              "LISBONNE, 3 avril 2024 - Le ministre Paul Roche a rencontré mardi son homologue Rui Costa."]
    alone = [pipeline.analyze(t, dct=None if t.startswith("LISBONNE") else "2024-04-03", id=str(i)).to_dict()
             for i, t in enumerate(texts)]
    assert any(w["code"] == "unclosed_quote" for a in alone for w in a["warnings"])
    _events_raise_on(pipeline, monkeypatch, "Traquenard")
    arts = [depeche.nlp.Article(t, None if t.startswith("LISBONNE") else "2024-04-03", str(i))
            for i, t in enumerate(texts)]
    arts.append(depeche.nlp.Article("Traquenard à Lisbonne.", None, "bad"))  # last: the others went through
    out = list(pipeline.analyze_many(arts, batch_size=16))
    assert [o.id for o in out] == [a.id for a in arts]
    assert type(out.pop()).__name__ == "Failure"
    assert [o.to_dict() for o in out] == alone


def test_an_article_over_the_time_budget_fails_alone(pipeline, monkeypatch):
    quotes = pipeline.nlp.get_pipe("depeche_quotes")
    real = type(quotes).__call__

    slow_runs = []

    def slow(self, doc):
        if "lenteur" in doc.text:
            slow_runs.append(1)
            doc.user_data[depeche.nlp._STARTED] -= 1000  # as if it had run for 1,000 s
        return real(self, doc)

    monkeypatch.setattr(type(quotes), "__call__", slow)
    assert pipeline.time_budget == depeche.nlp.TIME_BUDGET
    arts = [depeche.nlp.Article(t, id=str(n)) for n, t in enumerate(
        ["Jean Dupont est arrivé à Lyon.", "Une lenteur inhabituelle à Paris.", "Marie Martin est à Nantes."])]
    out = list(pipeline.analyze_many(arts, batch_size=8))
    assert [type(r).__name__ for r in out] == ["Analysis", "Failure", "Analysis"]
    assert out[1].error.code == "time_budget" and "120 s" in str(out[1].error)
    assert len(slow_runs) == 1  # the batch is re-run one by one, but not the article out of time
    pipeline.time_budget = 0  # no limit
    try:
        assert all(type(r).__name__ == "Analysis" for r in pipeline.analyze_many(arts))
    finally:
        pipeline.time_budget = depeche.nlp.TIME_BUDGET


def test_the_budget_holds_inside_a_long_events_stage(pipeline, monkeypatch):
    """The events stage checks the budget between candidates: an article
    whose budget runs out inside the stage stops there, not when it ends."""
    events = pipeline.nlp.get_pipe("depeche_events")
    built = []
    real_build = type(events)._build

    def build(self, c, ctx):
        built.append(1)
        if len(built) == 70:
            ctx.doc.user_data[depeche.nlp._STARTED] -= 1000  # as if 1,000 s had gone by
        return real_build(self, c, ctx)

    monkeypatch.setattr(type(events), "_build", build)
    text = " ".join(f"Le ministre {n} a rencontré son homologue et a signé un accord." for n in range(60))
    [out] = pipeline.analyze_many([depeche.nlp.Article(text, id="long")])
    assert type(out).__name__ == "Failure" and out.error.code == "time_budget"
    assert len(built) < 130   # stopped at the next check, not after every candidate


@pytest.mark.parametrize("bad", [0, -5, 3.5, "1000", True, 2_000_001])
def test_max_chars_out_of_range_is_a_named_error(pipeline, bad):
    from depeche.errors import InputError

    with pytest.raises(InputError):
        list(pipeline.analyze_many([depeche.nlp.Article("Jean Dupont est à Lyon.")], max_chars=bad))


@pytest.mark.parametrize("bad", [-1, "vite", None])
def test_time_budget_must_be_seconds(pipeline, bad):
    from depeche.errors import InputError

    with pytest.raises(InputError):
        pipeline.time_budget = bad


@pytest.mark.parametrize("text, first_word_of_a_sentence", [
    # a headline or caption line without a full stop is not part of the sentence below
    ("Tensions au Sahel\nLe Mali accuse le Niger de violer sa frontière.", "Le"),
    ("Sommet de Lomé : les dirigeants réunis\n\nLa Cédéao a salué le dialogue.", "La"),
])
def test_a_line_that_does_not_continue_starts_a_sentence(pipeline, text, first_word_of_a_sentence):
    doc = pipeline.nlp(depeche.make_doc(pipeline.nlp, text))
    starts = [s[0].text for s in doc.sents]
    assert first_word_of_a_sentence in starts


def test_a_hard_wrapped_line_goes_on(pipeline):
    doc = pipeline.nlp(depeche.make_doc(pipeline.nlp, "Le ministre a rappelé que le traité\nsigné en mai restait en vigueur."))
    assert all(s[0].text != "signé" for s in doc.sents)


@pytest.mark.parametrize("text, token", [
    ("Celui-ci a dit non.", "Celui-ci"),
    ("Celle-ci a refusé.", "Celle-ci"),
    ("Peut-être viendra-t-il.", "Peut-être"),
])
def test_hyphenated_exceptions_hold_at_a_sentence_start(pipeline, text, token):
    doc = pipeline.nlp.make_doc(text)
    assert doc[0].text == token
