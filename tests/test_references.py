"""The reference stage's functions (depeche.references), on real sentences run
through the pipeline: what a group noun, a plural pronoun, a nationality
word or a title stands for. The quotes and events stages build on them
(tests/test_quotes.py and tests/test_events.py test the outcome there)."""
from __future__ import annotations

import pytest

from depeche import references as refs
from depeche.entities import entity_index


@pytest.fixture(scope="module")
def parse(pipeline):
    def run(text):
        return pipeline.nlp(text)
    return run


def _tok(doc, word, nth=0):
    hits = [t for t in doc if t.text == word]
    return hits[nth]


@pytest.mark.parametrize("text, word, names", [
    # the names in the phrase itself, in text order
    ("Le Mali et le Niger ont signé un pacte de défense.", "Mali", ["Mali", "Niger"]),
    # "les deux pays": the last two countries named before
    ("Le Pérou a rappelé son ambassadeur au Chili. Les deux pays s'opposent sur la pêche.",
     "pays", ["Pérou", "Chili"]),
    # "les deux hommes": the last two people
    ("Olaf Brandt a reçu Pieter Claes à Anvers. Les deux hommes ont parlé du port.",
     "hommes", ["Olaf Brandt", "Pieter Claes"]),
    # at the opening, before anyone is named: the two the next sentence names
    ("Les deux hommes se sont parlé mardi à Lisbonne. MM. Olaf Brandt et Pieter Claes ont évoqué le port.",
     "hommes", ["Olaf Brandt", "Pieter Claes"]),
    # a noun for the parties of an act: the last names the text coordinated
    ("La Bolivie et le Paraguay ont conclu un accord. Les signataires se reverront en mai.",
     "signataires", ["Bolivie", "Paraguay"]),
])
def test_group_parties(parse, text, word, names):
    doc = parse(text)
    got = refs.group_parties(doc, _tok(doc, word))
    assert [e.name for e in got] == names


@pytest.mark.parametrize("text, word", [
    # nothing in the text tells who "les délégations" are
    ("Les délégations se reverront en mai.", "délégations"),
    # "les deux pays" with a single country named
    ("Le Pérou a protesté. Les deux pays s'opposent sur la pêche.", "pays"),
])
def test_group_parties_empty_when_the_text_does_not_tell(parse, text, word):
    doc = parse(text)
    assert refs.group_parties(doc, _tok(doc, word)) == []


@pytest.mark.parametrize("text, pronoun, head", [
    ("Le Ghana et le Togo ont signé un accord. Ils veulent relancer le commerce.", "Ils", "Ghana"),
    ("Les ministres ont quitté Genève mardi. Ils reviendront en juin.", "Ils", "ministres"),
])
def test_plural_antecedent(parse, text, pronoun, head):
    doc = parse(text)
    ant = refs.plural_antecedent(doc, _tok(doc, pronoun))
    assert ant is not None and ant.text == head


def test_plural_antecedent_none_without_a_plural_subject(parse):
    doc = parse("Le ministre est arrivé mardi. Ils ont protesté.")
    assert refs.plural_antecedent(doc, _tok(doc, "Ils")) is None


@pytest.mark.parametrize("text, word, name", [
    # the person the text gives a role of that country
    ("Le Premier ministre italien Marco Bellini a reçu Anna Berg. L'Italien a insisté.", "Italien",
     "Marco Bellini"),
])
def test_demonym_person(parse, text, word, name):
    doc = parse(text)
    who = refs.demonym_person(doc, _tok(doc, word), _tok(doc, word).idx)
    assert who is not None and who.name == name


def test_demonym_person_none_without_a_role_of_that_country(parse):
    doc = parse("Marco Bellini a reçu Anna Berg. Le Chilien a insisté.")
    assert refs.demonym_person(doc, _tok(doc, "Chilien"), 40) is None


@pytest.mark.parametrize("text, adjective, code", [
    ("la ministre italienne des Sports", "italienne", "IT"),
    ("le porte-parole du gouvernement japonais", "japonais", "JP"),
    ("le ministre des affaires étrangères", None, None),
])
def test_span_demonym(parse, text, adjective, code):
    doc = parse(text)
    tok, got = refs.span_demonym(doc[:])
    assert (tok.text if tok is not None else None, got and str(got).upper()) == (adjective, code)


def test_last_named_in_text_order(parse):
    doc = parse("Jean Dupont a rencontré Marie Martin à Lyon, puis Paul Roche.")
    tokents = entity_index(doc)
    end = len(doc)
    assert [e.name for e in refs.last_named(tokents, end, ("PER",), 2)] == ["Marie Martin", "Paul Roche"]
    assert refs.last_named(tokents, end, ("PER",), 4) == []


@pytest.mark.parametrize("text, word, gender", [
    # an epicene title takes the gender of its determiner or adjective
    ("La ministre suédoise a parlé.", "ministre", {"Fem"}),
    ("Le ministre a parlé.", "ministre", {"Masc"}),
    ("L'ancienne juge a parlé.", "juge", {"Fem"}),
    ("Les porte-parole ont parlé.", "porte-parole", set()),
    # a masculine plural covers mixed groups; a feminine one does not
    ("Les ministres européens ont parlé.", "ministres", set()),
    ("Les ministres européennes ont parlé.", "ministres", {"Fem"}),
])
def test_phrase_gender(parse, text, word, gender):
    doc = parse(text)
    assert refs.phrase_gender(_tok(doc, word)) == gender
