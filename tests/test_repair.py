"""Parse repairs (depeche.repair): a weekday or an adjunct between a verb and
its object does not take the object away from the verb."""
from __future__ import annotations

import pytest

from depeche.repair import repair


@pytest.fixture(scope="module")
def parse(pipeline):
    def run(text):
        # the spaCy model alone: its own parse, then the repair
        doc = pipeline.nlp.make_doc(text)
        for name, proc in pipeline.nlp.pipeline:
            if name.startswith("depeche"):
                continue
            doc = proc(doc)
        return repair(doc)
    return run


def _tok(doc, word):
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize("text, word, verb, dep", [
    # the object a weekday or an adjunct took from its verb
    ("Les États-Unis ont imposé lundi des sanctions à trois banques.", "sanctions", "imposé", "obj"),
    ("La ministre a reçu jeudi le président du Sénat.", "président", "reçu", "obj"),
    ("Le Premier ministre a condamné vendredi la fermeture de la frontière.", "fermeture", "condamné", "obj"),
    ("Le maire a reçu mardi à Lyon le ministre de l'Intérieur.", "ministre", "reçu", "obj"),
    # the subject the parser gave to the wrong word: one hung on the auxiliary, cut from its participle by a parenthetical
    ("Le FMI a également, dans le même rapport, exhorté Lima à réduire sa dette.", "FMI", "exhorté", "nsubj"),
    # the opening name parsed as the root, the verb after a detached participle clause
    ("Larsen, nommé vendredi par le gouvernement, rencontrera lundi les syndicats.", "Larsen", "rencontrera",
     "nsubj"),
    ("Okafor, rentré samedi de Lagos, recevra mardi les ambassadeurs.", "Okafor", "recevra", "nsubj"),
    ("Moreau, libéré hier après trois mois de détention, a retrouvé sa famille.", "Moreau", "retrouvé", "nsubj"),
    # a present verb right after the opening name, read as its modifier
    ("La Russie bombarde Kharkiv.", "Russie", "bombarde", "nsubj"),
    ("Séoul et Tokyo signent un accord de défense.", "Séoul", "signent", "nsubj"),
    # the name ending a title that opens the sentence, parsed in pieces
    ("Le président kényan William Kibet s'est rendu mardi à Kampala.", "William", "rendu", "nsubj"),
    # the name after an adjunct
    ("À l'issue d'un entretien avec Olaf Brandt, Pieter Claes a annoncé un accord.", "Pieter", "annoncé", "nsubj"),
    # two coordinated names opening the sentence, the first parsed as its root
    ("Le Kenya et l'Ouganda ont repris leurs pourparlers mardi.", "Kenya", "repris", "nsubj"),
    # a name opening the sentence that the tagger read in part as a verb or an adverb
    ("Piotr Lis a ensuite rencontré Jan Novak en soirée.", "Piotr", "rencontré", "nsubj"),
    # the main verb after an object relative on the subject, parsed inside the relative
    ("La rencontre que le président organisera à Dakar réunira dix pays.", "rencontre", "réunira", "nsubj"),
    # a personal "il" the parser read as impersonal, before a clitic object
    ("Il lui a promis une aide rapide.", "Il", "promis", "nsubj"),
    ("Il nous a assuré de son soutien.", "Il", "assuré", "nsubj"),
])
def test_the_phrase_goes_back_to_its_verb(parse, text, word, verb, dep):
    doc = parse(text)
    w = _tok(doc, word)
    assert w.head.i == _tok(doc, verb).i and w.dep_.startswith(dep)


@pytest.mark.parametrize("text, day, word", [
    # parts of the date stay on the day
    ("Le sommet s'ouvrira lundi 3 mars à Genève.", "lundi", "mars"),
    ("La délégation est arrivée jeudi soir.", "jeudi", "soir"),
])
def test_the_date_keeps_its_parts(parse, text, day, word):
    doc = parse(text)
    w = _tok(doc, word)
    assert w.head.i == _tok(doc, day).i or w.head.head.i == _tok(doc, day).i


def test_a_day_is_no_object(parse):
    doc = parse("Le ministre a rencontré mercredi le représentant de l'ONU.")
    assert _tok(doc, "mercredi").dep_ != "obj"


def test_repair_runs_once(parse):
    doc = parse("Les États-Unis ont imposé lundi des sanctions.")
    heads = [t.head.i for t in doc]
    repair(doc)
    assert [t.head.i for t in doc] == heads


def test_a_verb_after_the_opening_name_heads_its_sentence(parse):
    doc = parse("La Russie bombarde Kharkiv.")
    assert _tok(doc, "bombarde").dep_ == "ROOT"


def test_a_participle_after_a_name_in_a_full_sentence_stays(parse):
    doc = parse("Le Mali expulsé de la Cédéao a protesté contre la décision.")
    assert _tok(doc, "protesté").dep_ == "ROOT"


@pytest.mark.parametrize("text", [
    "Après cette réunion du bureau et le congrès de l'Union des ports du Nord (UPN), Anvers accueillera en mai "
    "la foire de la région.",
    "Brandt, parti dimanche de Berlin, à bord d'un avion militaire, arrivera lundi à Kiev.",
    "Lors du forum de Dakar, Amadou Sow, ministre, a parlé.",
])
def test_repairs_leave_a_valid_tree(parse, text):
    doc = parse(text)
    assert all(s.root is not None for s in doc.sents)


@pytest.mark.parametrize("text, verb", [
    # an impersonal "il" stays impersonal, even on a verb the tagger left unlemmatised
    ("Il reste beaucoup à faire.", "reste"),
    ("Il faut négocier.", "faut"),
    ("Il a été décidé de partir.", "décidé"),
])
def test_an_impersonal_il_stays(parse, text, verb):
    doc = parse(text)
    assert _tok(doc, "Il").dep_ != "nsubj"


def _built(pipeline, words, pos, heads, deps, lemmas):
    """A Doc with the tags a tagger error gives, to test a repair alone."""
    from spacy.tokens import Doc
    return Doc(pipeline.nlp.vocab, words=words, pos=pos, heads=heads, deps=deps, lemmas=lemmas)


def test_a_participle_read_as_a_name_after_its_auxiliary_is_a_verb(pipeline):
    from depeche.repair import _rows, verb_tags
    doc = _built(pipeline, ["Le", "président", "a", "tweeté", "que", "tout", "allait", "bien"],
                 ["DET", "NOUN", "X", "PROPN", "SCONJ", "PRON", "VERB", "ADV"],
                 [1, 3, 3, 3, 6, 6, 3, 6], ["det", "nsubj", "dep", "ROOT", "mark", "nsubj", "ccomp", "advmod"],
                 ["le", "président", "avoir", "tweeté", "que", "tout", "aller", "bien"])
    verb_tags(doc, _rows(doc))
    assert doc[3].pos_ == "VERB" and doc[3].lemma_ == "tweeter" and doc[2].dep_ == "aux:tense"


def test_a_noun_with_a_subject_and_a_que_clause_is_a_verb(pipeline):
    from depeche.repair import _rows, verb_tags
    doc = _built(pipeline, ["Le", "texte", "juge", "que", "tout", "va", "bien"],
                 ["DET", "NOUN", "NOUN", "SCONJ", "PRON", "VERB", "ADV"],
                 [1, 2, 2, 5, 5, 2, 5], ["det", "nsubj", "ROOT", "mark", "nsubj", "ccomp", "advmod"],
                 ["le", "texte", "juge", "que", "tout", "aller", "bien"])
    verb_tags(doc, _rows(doc))
    assert doc[2].pos_ == "VERB" and "Fin" in doc[2].morph.get("VerbForm")


def test_a_capitalised_word_with_an_article_is_no_pronoun(pipeline):
    from depeche.repair import _rows, verb_tags
    doc = _built(pipeline, ["Puis", "l'", "Estonienne", "a", "ri"], ["ADV", "DET", "PRON", "AUX", "VERB"],
                 [4, 2, 4, 4, 4], ["advmod", "det", "nsubj", "aux:tense", "ROOT"],
                 ["puis", "le", "estonienne", "avoir", "rire"])
    verb_tags(doc, _rows(doc))
    assert doc[2].pos_ == "NOUN"


@pytest.mark.parametrize("words, pos", [
    # a noun after "a" with its own article stays a noun ("il a le député")
    (["Il", "a", "le", "député"], ["PRON", "AUX", "DET", "NOUN"]),
])
def test_a_noun_with_its_article_stays(pipeline, words, pos):
    from depeche.repair import _rows, verb_tags
    doc = _built(pipeline, words, pos, [1, 1, 3, 1], ["nsubj", "ROOT", "det", "obj"], [w.lower() for w in words])
    verb_tags(doc, _rows(doc))
    assert doc[3].pos_ == "NOUN"


def test_a_form_in_it_of_a_verb_in_ir_without_auxiliary_is_the_present(pipeline):
    from depeche.repair import _rows, verb_tags
    doc = _built(pipeline, ["Un", "exercice", "réunit", "vingt", "pays"], ["DET", "NOUN", "VERB", "NUM", "NOUN"],
                 [1, 1, 1, 4, 2], ["det", "ROOT", "acl", "nummod", "obj"], ["un", "exercice", "réunir", "vingt", "pays"])
    doc[2].set_morph("Tense=Past|VerbForm=Part")
    verb_tags(doc, _rows(doc))
    assert "Fin" in doc[2].morph.get("VerbForm") and "Pres" in doc[2].morph.get("Tense")


def test_an_auxiliary_read_as_the_root_gives_way_to_its_participle(pipeline):
    from depeche.repair import _rows, auxiliary_roots
    words = ["L'", "Union", "s'", "est", "quant", "à", "elle", "engagée", "à", "payer"]
    doc = _built(pipeline, words, ["DET", "PROPN", "PRON", "AUX", "ADV", "ADP", "PRON", "VERB", "ADP", "VERB"],
                 [1, 3, 3, 3, 7, 4, 4, 3, 9, 7],
                 ["det", "nsubj", "expl:comp", "ROOT", "advmod", "fixed", "fixed", "advcl", "mark", "xcomp"],
                 ["le", "union", "se", "être", "quant", "à", "lui", "engager", "à", "payer"])
    doc[7].set_morph("Tense=Past|VerbForm=Part")
    auxiliary_roots(doc, _rows(doc))
    assert doc[7].dep_ == "ROOT" and doc[3].head.i == 7 and doc[1].head.i == 7 and doc[1].dep_ == "nsubj"
