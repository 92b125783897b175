"""Output validity as a property: for any input, every offset indexes the text
as given, every party is an entity of the analysis, every TIMEX3 value is
well formed, and nothing raises.

CI runs a bounded number of examples; ``make fuzz`` runs many more
(``HYPOTHESIS_PROFILE=fuzz``).
"""
from __future__ import annotations

import os

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import depeche  # noqa: E402
from depeche.validity import problems, timex_value_problem  # noqa: E402

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


@given(text=TEXTS, dct=DCTS)
def test_any_input_gives_a_valid_analysis(pipeline, text, dct):
    out = list(pipeline.analyze_many([depeche.nlp.Article(text, dct=dct, id="x")]))
    assert len(out) == 1
    an = out[0]
    if isinstance(an, depeche.nlp.Failure):
        # a named error for the article, never an escaped exception
        assert an.error.code
        return
    assert problems(an, text) == []


@pytest.mark.parametrize("value, ok", [
    ("2024-04-03", True), ("2024-04", True), ("2024-W15", True), ("XXXX-XX-XX", True), ("P3Y", True),
    ("2024-04-03TMO", True), ("PRESENT_REF", True), ("2024-SP", True),
    ("2025-02-31", False), ("2024-13", False), ("2023-02-29", False), ("2024-W60", False), ("31 février", False),
    ("", False), (None, False),
])
def test_timex_value_validity(value, ok):
    assert (timex_value_problem(value) is None) == ok


def test_problems_names_what_is_wrong(pipeline):
    text = "La ministre Hélène Carrel a rencontré lundi à Paris son homologue Marek Zielak."
    an = pipeline.analyze(text, dct="2024-04-03")
    assert problems(an, text) == []
    an.times[0].value = "2024-02-30"
    an.entities[0].mentions[0].start += 1
    found = problems(an, text)
    assert any("no such day" in p for p in found) and any(p.startswith("text[") for p in found)


def test_the_stress_run_reports_its_figures(pipeline):
    """scripts/stress.py on a few generated inputs of every kind: nothing lost,
    nothing escaping, every output valid, the figures all there."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / "stress.py"
    spec = importlib.util.spec_from_file_location("stress", path)
    stress = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stress)
    kinds = {k for _, k, _ in stress.generate(20, big_every=0)}
    assert kinds == set(stress.KINDS)
    res = stress.run(20, seed=3, chunk=8, big_every=0, time_budget=60)
    assert (res["lost"], res["escaped"], res["hangs"], res["invalid_analyses"]) == (0, 0, 0, 0)
    assert res["analysed"] + res["failures"] == 20 and res["peak_rss_mb"] > 0
    assert pipeline.time_budget == depeche.nlp.TIME_BUDGET   # given back
