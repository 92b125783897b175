"""Output validity as a property: for any input, every offset indexes the text
as given, every party is an entity of the analysis, every TIMEX3 value is
well formed, and nothing raises.

CI runs a bounded number of examples; ``make fuzz`` runs many more
(``HYPOTHESIS_PROFILE=fuzz``).
"""
from __future__ import annotations

import os
import re

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import depeche  # noqa: E402

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Pieces of French news the generator recombines, with the characters that
# broke the pipeline before: quotation marks, control and bidi characters,
# lone surrogates, elisions, long tokens.
PIECES = [
    "Le président Paul Roche a reçu lundi à Paris son homologue polonais Marek Zielak.",
    "« Nous resterons unis », a déclaré la ministre Hélène Carrel, ajoutant que",
    "l'accord serait signé le 31 février",
    "Selon le porte-parole du Kremlin,", "Il a ajouté :", "« ", " »", "“", "”", '"',
    "La Russie a lancé une offensive contre l'Ukraine dans la nuit de mardi à mercredi.",
    "Les sanctions de l'Union européenne contre la Biélorussie", "jeudi à 14 h 30", "en juillet",
    "le maître du Kremlin", "Le militaire a justifié le putsch.", "l'", "d'", ",", ".", "\n\n", "(AFP)",
    "\x00", "\x1b[31m", "\u202e", "\ud800", "\ufeff", "…", "—", "x" * 300, "!" * 50,
]
TEXTS = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map(" ".join),
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=10).map("".join),
)
DCTS = st.one_of(st.none(), st.sampled_from(["2024-04-03", "2025-02-28", "2000-01-01"]))

# TIMEX3 values (GUIDELINES §2): dates, weeks, seasons, parts of day, times,
# durations and the reference words.
_DATE = r"(\d{4}|\d{3}X|\d{2}XX|XXXX)(-(\d{2}|XX)(-(\d{2}|XX))?|-W(\d{2}|XX)(-\d)?|-(SP|SU|FA|WI|Q[1-4]|H[12]))?"
_TIME = r"(T(\d{2}(:\d{2}(:\d{2})?)?|MO|AF|EV|NI|DT)Z?)?"
_DURATION = r"P(\d+(\.\d+)?|X)+([YMWDHS]|T\d*[HMS]|T?X?[YMWDHS])*|PT(\d+|X)[HMS]"
TIMEX_VALUE = re.compile(rf"^({_DATE}{_TIME}|{_DURATION}|PRESENT_REF|PAST_REF|FUTURE_REF|"
                         r"P(\d+|X)[YMWD]|PT(\d+|X)[HMS]|XXXX-XX-XX(T\S+)?)$")


def _spans(an):
    for e in an.entities:
        yield from e.mentions
    yield from an.times
    for q in an.quotes:
        yield q
        if q.cue is not None:
            yield q.cue
    for ev in an.events:
        yield ev.trigger
        if ev.evidence is not None:
            yield ev.evidence


@given(text=TEXTS, dct=DCTS)
def test_any_input_gives_a_valid_analysis(pipeline, text, dct):
    out = list(pipeline.analyze_many([depeche.nlp.Article(text, dct=dct, id="x")]))
    assert len(out) == 1
    an = out[0]
    if isinstance(an, depeche.nlp.Failure):
        # a named error for the article, never an escaped exception
        assert an.error.code
        return
    assert an.text == text
    for sp in _spans(an):
        assert 0 <= sp.start <= sp.end <= len(text)
        assert text[sp.start:sp.end] == sp.text
    for w in an.warnings:
        assert 0 <= w.start <= w.end <= len(text)
    names = {e.name for e in an.entities}
    for q in an.quotes:
        assert q.speaker is None or q.speaker in names
    for ev in an.events:
        for slot in (ev.actor, ev.recipient, ev.location):
            assert slot is None or slot in names, (slot, names)
        assert ev.date is None or TIMEX_VALUE.match(ev.date), ev.date
    for t in an.times:
        assert TIMEX_VALUE.match(t.value), t.value
