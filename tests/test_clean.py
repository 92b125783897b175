"""Clean stage: offsets into the original text, and quality warnings."""
from __future__ import annotations

import re
import unicodedata

import pytest

from depeche import clean as clean_stage
from depeche.clean import clean, normalise


@pytest.mark.parametrize("text", [
    "L’OTAN s’est réunie à Bruxelles.",
    "Le\u00a0président a déclaré\u202f: « Nous resterons. »",
    "Le ministre ame\u0301ricain est arrive\u0301 a\u0300 Kyiv.",  # decomposed accents
    "Zero\u200bwidth et trait\u00addunion, puis\r\nune nouvelle ligne.",
    "\ufeffUn texte avec une marque d’ordre des octets.",
    "D' après l' agence, le vote aura lieu.",
])
def test_offsets_map_back_to_the_original(text):
    c = clean(text)
    assert len(c.origin) == len(c.text) + 1
    # Every word of the normalised copy maps back onto the same letters.
    for m in re.finditer(r"\w+", c.text):
        s, e = c.span(m.start(), m.end())
        assert unicodedata.normalize("NFC", text[s:e]).replace("\u200b", "").replace("\u00ad", "") \
            == m.group()


@pytest.mark.parametrize("raw, expected", [
    ("l’Ukraine", "l'Ukraine"),
    ("14\u00a0h\u202f30", "14 h 30"),
    ("e\u0301te\u0301", "été"),
    ("a\r\nb", "a\nb"),
    # a space typed after an elided word's apostrophe goes; other apostrophes keep theirs
    ("d' après l' accord", "d'après l'accord"),
    ("jusqu'  ici, qu' elle", "jusqu'ici, qu'elle"),
    ("les élèves' notes", "les élèves' notes"),
    ("'t Hooft", "'t Hooft"),
])
def test_normalise(raw, expected):
    assert normalise(raw)[0] == expected


def codes(text):
    return [w.code for w in clean(text).warnings]


FRENCH = ("Les chefs de la diplomatie du G7 ont tenu mardi à Ottawa une réunion pour préparer le sommet "
          "de l'Alliance, qui se tiendra en juillet à Washington.")


@pytest.mark.parametrize("text, code", [
    ("", "empty"),
    ("   \n\t  ", "empty"),
    ("Le prÃ©sident de la RÃ©publique a dÃ©clarÃ© que la France soutiendrait l'Ukraine.", "encoding"),
    ("The foreign ministers of the alliance met in Brussels on Wednesday to prepare the summit "
     "that will take place in Washington in July.", "not_french"),
    ("Der Außenminister hat am Mittwoch in Brüssel erklärt, dass die Unterstützung weitergeht "
     "und die Gespräche fortgesetzt werden.", "not_french"),
    # Romance neighbours share many of French's short words
    ("El ministro de Asuntos Exteriores se reunió el martes en Madrid con su homólogo para hablar "
     "de la frontera.", "not_french"),
    ("Il ministro degli Esteri ha incontrato martedì a Roma il suo omologo per discutere della "
     "frontiera.", "not_french"),
    ("De minister van Buitenlandse Zaken ontmoette dinsdag in Den Haag zijn ambtgenoot om over de "
     "grens te praten.", "not_french"),
    (FRENCH + "\nLes Pluslus", "truncated"),
    (FRENCH + "\nLe ministre a ensuite rappelé que les discussions porteraient sur", "truncated"),
    (FRENCH + "\nPartager sur Facebook\n" + FRENCH, "boilerplate"),
    ("  • 14 févr. 2023 -\n  • Mis à jour le : 14 févr. 2023 09:12\n" + FRENCH, "boilerplate"),
    (FRENCH + "\nNous utilisons des cookies pour améliorer votre navigation. Accepter\n" + FRENCH, "boilerplate"),
])
def test_warnings(text, code):
    assert code in codes(text)


@pytest.mark.parametrize("text", [
    FRENCH,
    FRENCH + "\nPascal DURAND",            # a byline, not a truncation
    FRENCH + " (AFP)",
    "« Nous ne céderons pas », a déclaré le président. « Jamais. »",
    FRENCH + "\n© AFP",
])
def test_clean_texts_have_no_warning(text):
    assert codes(text) == []


def test_truncated_fragment_span_is_the_last_line():
    text = FRENCH + "\nLes Pluslus"
    c = clean(text)
    w = c.to_original([w for w in c.warnings if w.code == "truncated"][0])
    assert text[w.start:w.end] == "Les Pluslus"


def test_warning_offsets_index_the_original_text():
    text = "L’OTAN\u00a0a\u00a0déclaré que les ministres se réuniront bientôt.\nPartager sur Twitter"
    c = clean(text)
    w = c.to_original([w for w in c.warnings if w.code == "boilerplate"][0])
    assert text[w.start:w.end] == "Partager sur Twitter"


@pytest.mark.parametrize("text, expected", [
    ("Le ministre est arrivé à Kiev.", "Le ministre est arrivé à Kiev."),   # nothing to change
    ("Le ministre est arrive\u0301 a\u0300 Kiev.", "Le ministre est arrivé à Kiev."),  # decomposed accents
    ("Pas de lettre pre\u0301compose\u0301e pour q\u0307.", "Pas de lettre précomposée pour q\u0307."),
])
def test_normalise_maps_every_character_back(text, expected):
    from depeche.clean import normalise

    norm, origin, origin_end = normalise(text)
    assert norm == expected
    assert len(origin) == len(norm) + 1 and len(origin_end) == len(norm) and origin[-1] == len(text)
    for k, ch in enumerate(norm):
        assert unicodedata.normalize("NFC", text[origin[k]:origin_end[k]]) == ch


@pytest.mark.parametrize("raw, code", [
    ("Le ministre\x00 a parlé.", "encoding"),          # NUL
    ("Le ministre\x1b[31m a parlé.", "encoding"),      # an ANSI escape
    ("Le ministre \ud83d a parlé.", "encoding"),       # a lone surrogate
    ("Le ministre \u202e a parlé.", "encoding"),       # a bidirectional override
    ("Voir " + "x" * 500 + " ensuite.", "long_token"),
    ("Voir " + "!?" * 300 + " ensuite.", "long_token"),
])
def test_unsafe_characters_and_long_runs_are_neutralised_in_place(raw, code):
    c = clean(raw)
    assert code in [w.code for w in c.warnings]
    assert len(c.text) == len(c.original)              # one character for one: offsets hold
    assert not clean_stage._UNSAFE.search(c.text)
    assert max(len(w) for w in c.text.split()) <= clean_stage.LONG_RUN
