"""Clean stage: offsets into the original text, and quality warnings."""
from __future__ import annotations

import re
import unicodedata

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest

from depeche import clean as clean_stage
from depeche.clean import clean, normalise
from depeche.model import Warning


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


# -- mojibake: repaired for the parser, offsets into the text as given --------

# Sentences written for these tests; each is mis-decoded in the ways text
# reaches depeche: UTF-8 read as Windows-1252 or Latin-1, and that again with
# its no-break spaces turned into spaces (HTML whitespace folding).
GOOD = [
    "Élodie Vasseur a été élue présidente du club de Besançon le 3 février.",
    "« Nous irons jusqu’au bout », a déclaré l’adjoint au maire, Noël Ferrière.",
    "Le cœur de l’Œuvre des Trois-Pierres bat à Sète depuis 1987\u00a0: 250\u00a0€ par an.",
    "Ça coûte cher, reconnaît Maëlle Crétin – l’hôpital attend la réponse de l’État.",
    "L’équipe a joué à Zürich et à Łódź ; à Nîmes, l’arène était pleine.",
]
# (Windows-1252 as browsers read it: its five unassigned bytes as C1 controls)
MISDECODED = {
    "cp1252": lambda s: s.encode("utf-8").decode("sloppy-windows-1252"),
    "latin-1": lambda s: s.encode("utf-8").decode("latin-1"),
    "cp1252, no-break spaces folded":
        lambda s: s.encode("utf-8").decode("sloppy-windows-1252").replace("\u00a0", " "),
}


@pytest.mark.parametrize("how", list(MISDECODED))
@pytest.mark.parametrize("good", GOOD)
def test_mojibake_is_repaired_and_maps_back_to_the_text_as_given(good, how):
    bad = MISDECODED[how](good)
    assert bad != good
    c, ref = clean(bad), clean(good)
    assert c.original == bad
    assert c.text == ref.text                       # the parser reads the repaired text
    assert len(c.origin) == len(c.text) + 1 and c.origin[-1] == len(bad)
    assert all(a <= b for a, b in zip(c.origin, c.origin[1:]))
    assert all(a <= b for a, b in zip(c.origin_end, c.origin_end[1:]))
    # every word spans exactly its mis-decoded form in the text as given
    for m in re.finditer(r"\w+", c.text):
        s, e = c.span(m.start(), m.end())
        assert bad[s:e] == MISDECODED[how](good[ref.span(m.start(), m.end())[0]:
                                               ref.span(m.start(), m.end())[1]]), m.group()
    [w] = [w for w in c.warnings if w.code == "encoding"]
    assert "repaired" in w.message
    o = c.to_original(w)
    assert 0 <= o.start < o.end <= len(bad)
    assert [w.code for w in c.warnings if w.code != "encoding"] == [w.code for w in ref.warnings]


@pytest.mark.parametrize("text", [
    "L’Œuvre « complète » de Zoë Ancelin, cœur de l’exposition.",
    "Le prix\u00a0: 3\u00a0€, soit 12\u202f% de moins qu’à Noël.",
    "« Ça suffit ! » — a lancé Ève Lœuillet, « fi » et ﬁ restent tels quels.",
    "L’ÉTAT DE LA NATION… « ŒUVRES », dit-il, 1ʳᵉ édition.",
    "Les Âges farouches ; ÂME et Ânes ; Ãvila n’est pas mal écrit ici.",
    FRENCH,
])
def test_clean_french_is_not_touched_by_the_repair(text, monkeypatch):
    def refuse(_):
        raise AssertionError("ftfy ran on a clean text")

    monkeypatch.setattr(clean_stage.encoding, "repair", refuse)
    c = clean(text)
    norm, origin, origin_end = normalise(text)
    assert (c.text, c.origin, c.origin_end) == (norm, origin, origin_end)
    assert "encoding" not in [w.code for w in c.warnings]


@pytest.mark.parametrize("legit", [
    "L’Œuvre « complète » de Zoë, ﬁdèle au cœur\u00a0: 3\u00a0€ — ＡＢＣ &amp; “ça”.",
    "Les Âges farouches\u202f; ÂME, Ânes.",
])
def test_a_repair_leaves_the_legitimate_text_beside_the_mojibake_alone(legit):
    good = "Le comité a voté à l’unanimité."
    for bad in (MISDECODED["cp1252"](good) + "\n" + legit, MISDECODED["cp1252"](good) + " " + legit):
        c = clean(bad)
        assert c.text == clean(good + bad[len(MISDECODED["cp1252"](good)):]).text
        w = c.from_original(Warning("x", len(bad) - len(legit), len(bad), ""))
        assert c.original_text(w.start, w.end) == legit


def test_mojibake_ftfy_declines_is_reported_unrepaired(monkeypatch):
    monkeypatch.setattr(clean_stage.encoding, "repair", lambda text: None)
    text = "Le prÃ©sident a parlé."
    c = clean(text)
    assert c.text == text
    [w] = [c.to_original(w) for w in c.warnings if w.code == "encoding"]
    assert text[w.start:w.end] == "Ã©" and "not repaired" in w.message


@pytest.mark.parametrize("fixed, original", [
    ("été", "Ã©tÃ©"),
    ("l’œuvre", "lâ€™Å“uvre"),
    ("à la", "Ã  la"),                  # the no-break space of "à" typed as a space
    ("« oui »", "Â« oui Â»"),
    ("abc", "abc"),
    ("", ""),
])
def test_align_maps_each_repaired_character_to_its_mis_decoded_form(fixed, original):
    from depeche.encoding import align

    start, end, changes = align(fixed, original)
    pieces = [original[s:e] for s, e in zip(start, end)]
    assert "".join(pieces) == original
    for ch, piece in zip(fixed, pieces):
        assert piece == ch or piece in (ch.encode("utf-8").decode("cp1252"),
                                        ch.encode("utf-8").decode("cp1252").replace("\u00a0", " "))
    assert bool(changes) == (fixed != original)


def test_align_is_linear_on_a_long_line():
    import time

    from depeche.encoding import repair

    good = " ".join(GOOD) * 40           # one line of about 14,000 characters
    bad = MISDECODED["cp1252"](good)
    t = time.perf_counter()
    r = repair(bad)
    assert time.perf_counter() - t < 2.0
    assert r.text == good and len(r.start) == len(good)


def _items(d):
    for e in d["entities"]:
        yield from e["mentions"]
    yield from d["times"]
    for q in d["quotes"]:
        yield q
        if q["cue"]:
            yield q["cue"]
    for ev in d["events"]:
        yield ev["trigger"]
        if ev["evidence"]:
            yield ev["evidence"]


ARTICLE = ("Élodie Vasseur, présidente de l’association des commerçants de Besançon, a annoncé "
           "le 3 février qu’elle quitterait ses fonctions.\n"
           "« Nous avons obtenu ce que nous voulions », a déclaré Mme Vasseur devant la mairie. "
           "Le préfet Noël Ferrière l’a reçue mercredi à Besançon.")


def _shape(d):
    return ([(e["name"], e["type"], len(e["mentions"])) for e in d["entities"]],
            [(t["type"], t["value"]) for t in d["times"]],
            [(q["kind"], q["speaker"]) for q in d["quotes"]],
            [(e["type"], e["mode"], e["actor"]) for e in d["events"]])


@pytest.mark.parametrize("how", ["cp1252", "latin-1"])
def test_a_mojibake_article_is_analysed_as_its_clean_version(analyze, how):
    bad = MISDECODED[how](ARTICLE)
    got = analyze(bad, dct="2025-02-10").to_dict()
    want = analyze(ARTICLE, dct="2025-02-10").to_dict()
    for it in _items(got):                    # the contract: offsets index the text as given
        assert bad[it["start"]:it["end"]] == it["text"]
    assert _shape(got) == _shape(want)
    assert "Élodie Vasseur" in [e["name"] for e in got["entities"]]
    assert ("DATE", "2025-02-03") in _shape(got)[1]
    # each mention is the mis-decoded form of the clean version's
    for eg, ew in zip(got["entities"], want["entities"]):
        assert [m["text"] for m in eg["mentions"]] == [MISDECODED[how](m["text"]) for m in ew["mentions"]]
    [w] = [w for w in got["warnings"] if w["code"] == "encoding"]
    assert "repaired" in w["message"] and 0 <= w["start"] < w["end"] <= len(bad)
    assert [x for x in got["warnings"] if x is not w] == want["warnings"]


def test_a_mojibake_doc_read_back_gives_the_same_contract(pipeline):
    import depeche
    from spacy.tokens import Doc

    bad = MISDECODED["cp1252"](ARTICLE)
    doc = pipeline.nlp(depeche.make_doc(pipeline.nlp, bad, "2025-02-10"))
    back = Doc(pipeline.nlp.vocab).from_bytes(doc.to_bytes())
    want = pipeline.analyze(bad, dct="2025-02-10").to_dict()
    assert depeche.to_contract(doc) == depeche.to_contract(back) == want
