"""An event's mode (asserted, planned, negated, hypothetical) from the
tense, mood and negation of a verb trigger, the modifiers of a noun trigger,
and the verbs or nouns that govern them (``modality.toml``)."""
from __future__ import annotations

from typing import Optional

from .. import morph
from .parse import _lemma
from .words import Lexicon


class Modes:
    """Methods of the coder that read an event's mode."""

    lex: Lexicon
    lang: str

    # --- mode ----------------------------------------------------------------

    def _negated(self, verb) -> bool:
        lex = self.lex
        kids = list(verb.children)
        has_ne = any(k.lower_ in lex.negation_particle for k in kids)
        has_adv = any(k.lower_ in lex.negation and k.dep_.startswith("advmod") for k in kids)
        if has_adv and (has_ne or any("Neg" in k.morph.get("Polarity") for k in kids if k.lower_ in lex.negation)):
            return True
        for k in kids:
            if k.dep_ in ("obj", "nsubj", "nsubj:pass"):
                if any(d.lower_ in lex.negation_determiners for d in k.children if d.dep_ == "det"):
                    return has_ne
        return False

    def _tense(self, verb) -> Optional[str]:
        """'planned' for the future, 'hypothetical' for the conditional, else None."""
        lex = self.lex
        forms = [verb] + [c for c in verb.children if c.dep_.startswith("aux")]
        finite = [f for f in forms if "Fin" in f.morph.get("VerbForm")] or forms
        for f in finite:
            m = morph.mood(f, self.lang)
            if m == morph.CONDITIONAL:
                return "hypothetical"
            if m == morph.FUTURE:
                return "planned"
        for c in verb.children:
            if c.dep_.startswith("aux") and _lemma(c) in lex.planned_governors:
                return "planned"
        return None

    def _verb_mode(self, verb, depth: int = 0) -> str:
        lex = self.lex
        if any(_lemma(c) in lex.conditional_marks and c.dep_ == "mark" for c in verb.children):
            return "hypothetical"
        if any(k.lower_ in lex.negation_particle for k in verb.children) and any(
                t.lower_ in lex.restriction for t in verb.subtree) and any(
                t.lower_ in lex.conditional_marks and t.dep_ == "mark" for t in verb.subtree):
            return "hypothetical"  # "ne ratifiera le traité que s'il est amendé"
        t = self._tense(verb)
        if t == "hypothetical" and self._future_in_past(verb):
            t = "planned"  # "a annoncé qu'il signerait jeudi": the future of a past report
        if t == "hypothetical":
            return t
        if self._negated(verb):
            return "negated"
        if t == "planned":
            return t
        if depth < 3 and verb.dep_ in ("xcomp", "obl:arg", "advcl", "acl") and verb.head.i != verb.i:
            gov = verb.head
            glem = _lemma(gov)
            if gov.pos_ in ("VERB", "AUX"):
                if verb.dep_ != "advcl" or "Inf" in verb.morph.get("VerbForm"):
                    if glem in lex.planned_governors and verb.dep_ != "acl":
                        m = self._verb_mode(gov, depth + 1)
                        return m if m in ("negated", "hypothetical") else "planned"
                    if glem in lex.hypothetical_governors and verb.dep_ != "acl":
                        m = self._verb_mode(gov, depth + 1)
                        return "negated" if m == "negated" else "hypothetical"
                    if verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and "Inf" in verb.morph.get("VerbForm")):
                        m = self._verb_mode(gov, depth + 1)
                        if m == "negated" and glem in lex.negation_cancelling:
                            return "asserted"
                        return m
            elif verb.dep_ == "acl" and "Inf" in verb.morph.get("VerbForm") and gov.dep_ == "obj" \
                    and _lemma(gov.head) in lex.hypothetical_governors and gov.head.pos_ == "VERB":
                # "a exhorté les autorités à libérer X", the infinitive hung on the object
                m = self._verb_mode(gov.head, depth + 1)
                return "negated" if m == "negated" else "hypothetical"
            elif gov.pos_ in ("NOUN",) and glem in lex.planned_noun_governors:
                return "planned"
            elif gov.pos_ == "NOUN" and glem in lex.hypothetical_noun_governors:
                return "hypothetical"
            elif gov.pos_ == "ADJ" and glem in lex.hypothetical_adjectives:
                return "hypothetical"  # "il est impératif de rétablir …"
        return "asserted"

    def _future_in_past(self, verb) -> bool:
        """A conditional in the clause a past report governs, with no
        condition of its own ("a annoncé qu'il signerait jeudi", not "a dit
        qu'il signerait s'il le fallait"): the future seen from the past."""
        clause = verb
        while clause.dep_ == "conj" and clause.head.i != clause.i:
            clause = clause.head
        gov = clause.head
        if clause.dep_ != "ccomp" or gov.i == clause.i or _lemma(gov) not in self.lex.report_verbs:
            return False
        if any(t.lower_ in self.lex.conditional_marks and t.dep_ in ("mark", "case") for t in gov.subtree):
            return False  # the parser may hang the condition on the report, or read "si" as a preposition
        forms = [gov] + [c for c in gov.children if c.dep_.startswith("aux")]
        if any(morph.mood(f, self.lang) for f in forms):
            return False  # "dira qu'il signerait", "aurait dit que": no past report
        return any(set(f.morph.get("Tense")) & {"Past", "Imp", "Pqp"} for f in forms)

    def _cancelled(self, gov, depth: int) -> str:
        """The mode of an act under a verb that cancels or refuses it: negated;
        possible when that verb is itself negated ("n'exclut pas de frapper")."""
        m = self._verb_mode(gov, depth + 1)
        return "hypothetical" if m == "negated" else "negated"

    def _noun_mode(self, noun, depth: int = 0) -> str:
        """A noun trigger's mode: its modifiers, else the verb it complements
        ("préparer le sommet", "a imposé des sanctions", "lors du sommet"),
        else the noun it complements ("l'octroi d'une aide", "sera l'hôte d'une
        conférence")."""
        lex = self.lex
        if noun.dep_ in ("obj", "obl:arg", "nsubj:pass") and noun.head.pos_ in ("VERB", "AUX") \
                and _lemma(noun.head) in lex.cancelling_governors:
            return self._cancelled(noun.head, depth)  # "a annulé sa visite", "la visite prévue a été annulée"
        for c in noun.children:
            lem = _lemma(c)
            if c.dep_ == "amod" and (lem in lex.planned_modifiers or c.lower_ in lex.planned_modifiers):
                return "planned"
            if c.dep_ in ("amod", "acl") and "Pres" not in c.morph.get("Tense") and lem in lex.planned_participles \
                    and ("Part" in c.morph.get("VerbForm") or c.pos_ == "ADJ"):
                return "planned"  # "les pourparlers prévus jeudi"
            if c.dep_ == "amod" and lem in lex.hypothetical_modifiers:
                return "hypothetical"
            if c.dep_ == "det" and c.lower_ in lex.negation_determiners:
                return "negated"
            if c.dep_ == "acl:relcl" and c.pos_ in ("VERB", "AUX") and self._tense(c) == "planned" and (
                    _lemma(c) in lex.occurrence_verbs
                    or any(k.dep_ == "obj" and k.lower_ in lex.relative_object for k in c.children)):
                return "planned"  # "la conférence que X organisera", "le sommet qui se tiendra en juin"
        gov = noun.head
        if gov.i == noun.i:
            # a predicate noun: the tense of its copula ("sera l'hôte de …")
            cop = next((c for c in noun.children if c.dep_ == "cop"), None)
            if cop is not None and depth:
                return self._tense(cop) or "asserted"
            return "asserted"
        glem = _lemma(gov)
        if gov.pos_ == "NOUN":
            if glem in lex.planned_noun_governors:
                return "planned"
            if glem in lex.hypothetical_noun_governors:
                return "hypothetical"
            if noun.dep_ == "nmod" and depth < 2 and lex.noun.get(glem) is None:
                return self._noun_mode(gov, depth + 1)
            return "asserted"
        if gov.pos_ not in ("VERB", "AUX", "ADJ"):
            return "asserted"
        dep = noun.dep_
        if dep in ("obj", "obl:arg", "nsubj:pass"):
            if glem in lex.postponing_governors:
                m = self._verb_mode(gov)
                return m if m in ("negated", "hypothetical") else "planned"  # "a reporté le sommet"
            if glem in lex.planned_governors:
                m = self._verb_mode(gov)
                return m if m in ("negated", "hypothetical") else "planned"
            if glem in lex.hypothetical_governors:
                return "hypothetical"
            return self._verb_mode(gov)
        if dep in ("nsubj",) and (glem in lex.light_verbs or glem in lex.occurrence_verbs):
            return self._verb_mode(gov)
        if dep.startswith("obl") and lex.noun.get(_lemma(noun)) == "CONSULT":
            # "lors du sommet", "au cours de la réunion": when the meeting is.
            return self._tense(gov) or "asserted"
        return "asserted"
