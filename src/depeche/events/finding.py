"""Finding trigger candidates: the verbs the tagger or the lemmatiser hid,
pairs of words before their words alone, verb and noun triggers of the
lexicon, and the noun mentions that repeat a verb's act."""
from __future__ import annotations

from functools import lru_cache

from typing import Optional

from ..repair import promote_verb, subject_before
from .document import _Cand, _Doc
from .parse import _case, _is_reflexive, _lemma
from .words import Lexicon


def _pair_dependents(tok) -> list:
    """The children of a pair's head, and the words fixed to them: "tombés
    d'accord" hangs "accord" from "d'" as a fixed expression. The active
    subject is the actor, never part of the act ("le gouvernement reconnaît
    que ..." is not "reconnaître un gouvernement")."""
    out = []
    for c in tok.children:
        if c.dep_ == "nsubj":
            continue
        out.append(c)
        out.extend(g for g in c.children if g.dep_ == "fixed")
        if c.lemma_.lower() in _measures():
            # "a acheminé 2000 tonnes de vivres", "a remis une dizaine de soldats"
            out.extend(g for g in c.children if g.dep_ == "nmod" and g.i > c.i)
    return out


@lru_cache(maxsize=None)
def _measures(lang: str = "fr") -> frozenset:
    """Nouns of quantity or measure before "de" + the thing counted."""
    from .. import lang as _lang
    g = _lang.load(lang, "groups")
    e = _lang.load(lang, "events")
    return frozenset(w.lower() for w in g.get("quantity_heads", []) + e.get("measure_nouns", {}).get("lemmas", []))


def _number_before_case(dep, case) -> bool:
    """"condamné à douze ans": the preposition hangs on the number before the noun."""
    return any(k.dep_ == "nummod" and any(x.dep_ == "case" and x.lower_ in case for x in k.children)
               for k in dep.children) or (dep.i > 1 and dep.doc[dep.i - 2].lower_ in case
                                          and dep.doc[dep.i - 1].like_num)


class Finding:
    """Methods of the coder that find the trigger candidates of a document."""

    lex: Lexicon

    def _verb_lemma(self, form: str, endings=None) -> Optional[str]:
        """The lexicon verb a suffix rule makes of ``form``, if any."""
        for suf, rep in self.lex.lemma_rules:
            if (endings is None or suf in endings) and form.endswith(suf) and len(form) > len(suf) + 1:
                cand = form[:len(form) - len(suf)] + rep
                if cand in self.lex.verb_lemmas:
                    return cand
        return None

    def _present_form(self, form: str) -> Optional[str]:
        """The lexicon verb of a third-person present form ("sanctionne",
        "expulsent"), not of a participle ("expulsé")."""
        if any(form.endswith(e) for e in self.lex.participle_endings):
            return None
        return self._verb_lemma(form, self.lex.present_endings)

    def _read_verbs(self, doc) -> None:
        """Correct the verbs the tagger or the lemmatiser hides: a verb left
        with its form or a wrong lemma ("la France signe"), and a participle
        read as an adjective or a name after an auxiliary ("a gelé") or at the
        start of its sentence ("Réunis à Bruxelles, …"). The token then gets
        the lexicon verb as its lemma (and VERB as its part of speech)."""
        lex = self.lex
        starts = doc.sent_start_of
        for tok in doc:
            pos = tok.pos_
            if pos == "VERB":
                if tok.dep_ in ("acl", "amod", "nmod") and tok.is_lower and self._present_form(tok.lower_):
                    promote_verb(tok.doc, tok)  # "Le Pérou expulse X" read as "the expelled Peru"
                if tok.lemma_.lower() in lex.verb_lemmas:
                    continue
                lem = self._verb_lemma(tok.lower_)
                if lem:
                    tok.lemma_ = lem
            elif tok.dep_ != "amod" and (
                    (pos in ("ADJ", "PROPN") and any(c.dep_ in ("aux:tense", "aux:pass") for c in tok.children))
                    or (pos in ("ADJ", "PROPN", "AUX", "NOUN") and starts[tok.i] == tok.i and tok.text[:1].isupper()
                        and not any(c.dep_ == "det" for c in tok.children))):
                lem = self._verb_lemma(tok.lower_, lex.participle_endings)
                if lem:
                    tok.lemma_ = lem
                    tok.pos_ = "VERB"
            elif pos == "ADJ" and tok.is_lower and tok.dep_ in ("amod", "acl") and any(
                    c.dep_ in ("obl", "obl:mod", "obl:agent", "obl:arg") or c.dep_ == "nmod" and _case(c)
                    for c in tok.children if c.i > tok.i):
                # "les Turcs arrêtés lors de l'assaut": a participle with an adjunct of its own
                # reports an act, though the tagger read it as an adjective
                lem = self._verb_lemma(tok.lower_, lex.participle_endings)
                if lem:
                    tok.lemma_ = lem
                    tok.pos_ = "VERB"
                    tok.dep_ = "acl"
            elif pos in ("NOUN", "ADJ") and tok.is_lower and not any(c.dep_ == "det" for c in tok.children) \
                    and tok.i > 0 and tok.doc[tok.i - 1].pos_ == "PROPN" and subject_before(tok.doc, tok) is not None:
                # "Washington sanctionne X", "L'Iran menace Y": a present verb read as a noun
                # right after the name opening the sentence
                lem = self._present_form(tok.lower_)
                if lem and promote_verb(tok.doc, tok):
                    tok.lemma_ = lem
                    tok.pos_ = "VERB"

    def _standalone_act(self, c: _Cand) -> bool:
        """A noun trigger that names an act by itself: not a state noun
        ("la menace") nor a part of a compound word ("libre-échange")."""
        head = c.head
        doc = head.doc
        if head.i > 0 and doc[head.i - 1].text in ("-", "–") and not doc[head.i - 1].whitespace_:
            return False
        if _lemma(head) in self.lex.party_nouns:
            return False
        return not ("-" in head.text and _lemma(head) not in self.lex.noun)

    # --- triggers ----------------------------------------------------------

    def _inside_org(self, tok, ctx: _Doc) -> bool:
        e = ctx.tok_ent.get(tok.i)
        return e is not None and e.type in ("ORG", "PER")

    def _candidates(self, doc, ctx: _Doc) -> list[_Cand]:
        lex = self.lex
        out: list[_Cand] = []
        used: set[int] = set()
        # Pairs first: they win over their words alone.
        lemmas = ctx.lemmas
        for tok in doc:
            lem = lemmas[tok.i]
            for other, typ, role, is_head, case, stays in lex.pairs.get(lem, ()):
                if not is_head:
                    continue
                for dep in _pair_dependents(tok):
                    if _lemma(dep) != other and dep.lower_ != other:
                        continue
                    if case and not any(k.dep_ == "case" and k.lower_ in case for k in dep.children) \
                            and not _number_before_case(dep, case):
                        continue  # "condamné à la prison", not "a condamné sa détention"
                    if tok.i in used or dep.i in used:
                        continue  # another pair already has these words
                    if tok.pos_ in ("VERB", "AUX") and dep.pos_ in ("VERB", "AUX") and not (
                            dep.dep_ == "xcomp" and "Inf" in dep.morph.get("VerbForm")):
                        continue  # a verb's pair word is its object or an infinitive ("renoncer à exiger"), not a clause ("peut")
                    if not typ:
                        # a fixed phrase that is no act: its words are no trigger (only the
                        # dependent's, for a block marked so: "rappelé pour consultations")
                        used.update((dep.i,) if role == "dependent" else (tok.i, dep.i))
                        continue
                    if self._inside_org(tok, ctx):
                        continue
                    if lem in lex.negated and tok.pos_ == "VERB" and self._negated(tok):
                        continue  # "ne verse plus sa contribution": the negated verb's own act ([negated])
                    toks = {"head": [tok], "dependent": [dep]}.get(role, sorted([tok, dep], key=lambda t: t.i))
                    head = tok if tok.pos_ in ("VERB", "AUX") else dep if dep.pos_ == "VERB" else tok
                    out.append(_Cand(typ, toks, head, head.pos_ not in ("VERB", "AUX"), paired=True))
                    used.update((tok.i,) if stays else (tok.i, dep.i))
        for tok in doc:
            if tok.i in used or self._inside_org(tok, ctx):
                continue
            lem = lemmas[tok.i]
            if tok.pos_ == "VERB":
                typ = lex.verb.get(lem)
                if lem in lex.reflexive and _is_reflexive(tok):
                    typ = lex.reflexive[lem] or None
                elif lem in lex.reflexive_only and not _is_reflexive(tok):
                    typ = None
                for lems, subjects, new in lex.subject_retype if typ else ():
                    # "le tribunal a condamné X" is a ruling, not a reproach.
                    if lem in lems and any(c.dep_ in ("nsubj", "obl:agent") and _lemma(c) in subjects
                                           for c in tok.children):
                        typ = new
                if tok.dep_ == "amod" or (tok.dep_ == "acl" and "Part" in tok.morph.get("VerbForm") and not any(
                        k.dep_ not in ("punct", "advmod", "cc") or k.dep_ == "advmod" and any(k.children)
                        for k in tok.children)):  # "arrêtés lors de l'assaut": an adjunct of its own
                    typ = None  # a participle used as an adjective ("de manière ordonnée")
                if lem in lex.negated and self._negated(tok):
                    out.append(_Cand(lex.negated[lem], [tok], tok, False, forced_mode="asserted"))
                    continue
                if typ:
                    out.append(_Cand(typ, [tok], tok, False))
            elif tok.pos_ in ("NOUN", "PROPN"):
                typ = lex.noun.get(lem) or lex.noun.get(tok.lower_)
                if not typ or self._bare_modifier(tok):
                    continue
                for heads, mods, new in lex.retype:
                    if lem in heads and any(_lemma(c) in mods for c in tok.children if c.dep_ in ("amod", "nmod")):
                        typ = new
                out.append(_Cand(typ, [tok], tok, True))
        # A noun trigger of the same type directly under a verb trigger is the
        # same act ("réunis en sommet", "ont signé la signature").
        verbs = {c.head.i: c for c in out if not c.is_noun}
        keep = []
        for c in out:
            if c.is_noun and c.head.head.i in verbs and c.head.head.i != c.head.i \
                    and (c.head.dep_ == "obj" or c.head.dep_.startswith("obl")):
                v = verbs[c.head.head.i]
                fam = lex.family.get(lemmas[c.head.i])
                # A meeting during a visit is another act (GUIDELINES §6).
                framing = fam in lex.framing_families and lex.family.get(lemmas[v.head.i]) != fam
                if v.type == c.type and not framing:
                    v.tokens = sorted(set(v.tokens) | set(c.tokens), key=lambda t: t.i)
                    continue
            keep.append(c)
        # "Le sommet ... est une rencontre historique": the predicate names the
        # subject's act again.
        nouns = {c.head.i for c in keep if c.is_noun}
        keep = [c for c in keep if not (c.is_noun and any(k.dep_ == "cop" for k in c.head.children)
                                         and any(k.dep_ == "nsubj" and k.i in nouns for k in c.head.children))]
        return sorted(keep, key=lambda c: c.tokens[0].i)

    def _bare_modifier(self, tok) -> bool:
        """A noun without a determiner that only qualifies another noun ("l'accord
        de retrait", "en échange de"): not an act of its own, unless the other
        noun just counts it ("un paquet de sanctions") or measures its time
        ("des mois de pourparlers"), or it names its own party ("un programme
        d'aide à Haïti")."""
        if any(c.dep_ in ("det", "nummod") or "Yes" in c.morph.get("Poss") for c in tok.children):
            return False
        if any(c.dep_ == "case" and "Art" in c.morph.get("PronType") for c in tok.children):
            return False  # "des réunions": the article is inside the preposition
        if not any(c.dep_ == "case" for c in tok.children):
            return False
        gov = tok.head
        if tok.dep_ == "nmod" and gov.pos_ == "NOUN":
            if _lemma(gov) in self.lex.noun:
                return False
            if (gov.lower_ in self.lex.time_units or _lemma(gov) in self.lex.time_units):
                return False  # "des mois de pourparlers": the time the act took
            if _lemma(gov) in self.lex.frame_nouns:
                return False  # "à l'issue de pourparlers": a moment of the act, which took place
            if any(c.dep_ == "nmod" and _case(c) in self.lex.party_preps for c in tok.children):
                return False  # "un programme d'aide à l'Ukraine": the act has its party
            return not (gov.dep_ == "obj" and _lemma(gov.head) in self.lex.light_verbs)
        return tok.dep_.startswith("obl") and gov.pos_ == "VERB" and _case(tok) == "en"
