"""Who an argument phrase stands for: an entity of the article, a body its
group word names, a pronoun's antecedent, the country of a nationality
adjective, the parties coordinated with it; and the subject of a verb,
through infinitives, relatives and conjuncts."""
from __future__ import annotations

from typing import Optional

from .. import references as _refs
from ..numbers import parse_cardinal
from .document import ACTOR_TYPES, _Arg, _Doc, _KB_ERRORS, _norm, _the_kb
from .parse import SUBJ, _arg_tokens, _case, _conjuncts, _is_title, _lemma
from .words import Lexicon


class Arguments:
    """Methods of the coder that read an argument phrase as a party."""

    lex: Lexicon
    lang: str
    _extra: list  # the other parties the last ``_arg`` named

    # --- arguments ---------------------------------------------------------

    def _arg(self, tok, ctx: _Doc, allow_salient: bool = True, strict: bool = False) -> Optional[_Arg]:
        """The entity or body a nominal argument stands for (others it names
        alongside are left in ``self._extra``)."""
        lex = self.lex
        self._extra = []
        e = ctx.entity_of_token(tok)
        if e is not None:
            return _Arg(e.name, e.id, e.type)
        lem = _lemma(tok)
        if tok.pos_ == "NOUN" and lem in lex.region_parts:
            # "le sud du Liban": the place it is a part of
            for k in tok.children:
                e = ctx.tok_ent.get(k.i)
                if k.dep_ == "nmod" and e is not None and e.type in ("GPE", "LOC") and _case(k) in lex.of_preps:
                    return _Arg(e.name, e.id, e.type)
        latter = _refs.latter_gender(tok, self.lang)  # (the tagger gives "Celui-ci" any part of speech)
        if latter is not None:
            # "Ce dernier a promis …", "Celle-ci a signé …": the last person named
            e = _refs.latest_person(tok.doc, tok.idx, latter)
            return _Arg(e.name, e.id, e.type) if e is not None else None
        key = _refs.group_key(tok, self.lang)
        if key is not None:
            return ctx.adopt(ctx.body(key), tok)
        span = _arg_tokens(tok)
        for t in span:
            if t.i != tok.i and t.head.i == tok.i and _case(t) in lex.location_preps:
                # "la police à Téhéran": where it is, not who it is.
                drop = {d.i for d in t.subtree}
                span = [u for u in span if u.i not in drop]
        if tok.pos_ == "NOUN" and span:
            # "le maître du Kremlin a salué …": the office its seat names
            doc = tok.doc
            who = _refs.periphrasis(doc, doc[span[0].i:span[-1].i + 1], tok.idx)
            if who is not None:
                return _Arg(who.name, who.id, who.type)
        if strict and tok.pos_ == "NOUN" and lem not in lex.collective_heads and not _is_title(tok):
            # A thing named after someone is not them: "discuter des sanctions
            # contre Moscou" is not discussing with Moscow. Only the noun's own
            # name counts ("le procureur Karim Khan").
            keep = {tok.i}
            for t in span:
                if t.head.i in keep and t.dep_ in ("appos", "flat:name", "flat", "amod", "det", "compound"):
                    keep.add(t.i)
            # a person's name closing the phrase with no preposition of its own is the
            # person the phrase describes ("la figure de proue de l'opposition Ruth Wanjiru")
            last = ctx.tok_ent.get(span[-1].i) if span else None
            if last is not None and last.type == "PER":
                name = [t for t in span if ctx.tok_ent.get(t.i) is last]
                if name and not any(_case(t) for t in name) and name[0].i > tok.i:
                    keep.update(t.i for t in name)
            span = [t for t in span if t.i in keep]
        found = []
        for t in span:
            e = ctx.tok_ent.get(t.i)
            if e is not None and e not in found:
                found.append(e)
        if found:
            prio = {"PER": 0, "ORG": 1, "GPE": 2, "LOC": 3}
            if lem in lex.collective_heads and not (
                    "Sing" in tok.morph.get("Number") and any(e.type == "PER" for e in found) and _is_title(tok)):
                # "les ministres de l'OTAN" stand for the body; "le Premier ministre
                # de X, Y" is the person in apposition
                prio = {"ORG": 0, "GPE": 0, "PER": 2, "LOC": 3}
            ranked = sorted(found, key=lambda e: (prio.get(e.type, 9), found.index(e)))
            best = ranked[0]
            # "les présidents du Rwanda et de la RDC": the others take part too.
            self._extra = [_Arg(e.name, e.id, e.type) for e in ranked[1:]
                           if prio.get(e.type, 9) == prio.get(best.type, 9)]
            return _Arg(best.name, best.id, best.type)
        pair = self._the_two(tok, ctx)
        if pair is not None:
            self._extra = [pair[1]]
            return pair[0]
        if allow_salient and tok.pos_ == "PRON" and "1" in tok.morph.get("Person") \
                and "Plur" in tok.morph.get("Number"):
            return ctx.salient_body()  # "nous", said for the body the article is about
        subj_pron = tok.pos_ == "PRON" and "3" in tok.morph.get("Person") and tok.dep_.startswith("nsubj") \
            and "Yes" not in tok.morph.get("Reflex")
        if subj_pron:
            # "X a affirmé qu'il ...": the subject of the clause above first;
            # then, for "il"/"elle", the subject of the sentences before, where
            # the text keeps its topic ("X a reçu Y. Il a ensuite …" is X).
            a = self._antecedent(tok, ctx, same_sentence=True)
            if a is None and "Sing" in tok.morph.get("Number"):
                a = self._antecedent(tok, ctx, gender=set(tok.morph.get("Gender")))
            if a is not None:
                return a
        plural_group = lem in lex.collective_heads and "Plur" in tok.morph.get("Number")
        if tok.pos_ == "PRON" or (tok.pos_ == "NOUN" and not plural_group):
            r = ctx.resolve(span[0].idx, span[-1].idx + len(span[-1].text))
            if r is not None:
                return _Arg(r.name, r.id, r.type)
        if subj_pron:
            a = self._antecedent(tok, ctx)
            if a is not None:
                return a
        if tok.pos_ in ("NOUN", "PROPN") and "Plur" in tok.morph.get("Number") and tok.text[:1].isupper():
            # "les Américains ont bombardé": a people named by its demonym is its
            # country, when the country is an entity of the text (GUIDELINES §6)
            from .. import kb as _kb

            code = _kb.demonym(tok.text, self.lang, tok.lemma_)
            e = _refs.country_entity(tok.doc, code) if code else None
            if e is not None:
                return _Arg(e.name, e.id, e.type)
        if tok.pos_ == "NOUN":
            # "la police iranienne", "les forces russes": the country.
            for k in tok.children:
                if k.dep_ == "amod":
                    a = self._demonym(k, ctx)
                    if a is not None and not plural_group:
                        return a
        if allow_salient and lem in lex.collective_heads:
            return ctx.salient_body()
        return None

    def _others(self, tok, ctx: _Doc, first: Optional[_Arg]) -> list:
        """The parties coordinated with ``tok`` ("X et Y", "X, Y et Z"), other
        than ``first``, in text order."""
        if first is None:
            return []
        out = []
        for cj in _conjuncts(tok):
            b = self._arg(cj, ctx, allow_salient=False)
            if b is not None and b.name != first.name:
                out.append(b)
        return out

    def _next_party(self, tok, ctx: _Doc) -> Optional[_Arg]:
        """"entre X et Y" with Y parsed elsewhere: the entity right after the
        coordinator that follows X's phrase."""
        doc = tok.doc
        right = max(t.i for t in tok.subtree if t.i >= tok.i and t.dep_ in ("flat:name", "flat", "appos") or t.i == tok.i)
        e = ctx.tok_ent.get(tok.i)
        while e is not None and right + 1 < len(doc) and ctx.tok_ent.get(right + 1) is e:
            right += 1
        k = right + 1
        if k < len(doc) and doc[k].lower_ in self.lex.coordinators:
            k += 1
            while k < len(doc) and doc[k].pos_ == "DET":
                k += 1
            if k < len(doc):
                e2 = ctx.tok_ent.get(k)
                if e2 is not None:
                    return _Arg(e2.name, e2.id, e2.type)
        return None

    def _the_two(self, tok, ctx: _Doc):
        """ "les deux présidents", "les deux pays": the last two people (or
        countries) named before, in the order they were named (at an article's
        opening, the next two)."""
        if tok.pos_ != "NOUN":
            return None
        if not any(k.dep_ == "nummod" and (parse_cardinal(k.text, self.lang) or 0) == 2 for k in tok.children):
            return None
        if "Plur" not in tok.morph.get("Number"):
            return None
        want = ("GPE",) if _lemma(tok) in self.lex.state_nouns else ("PER",)
        pair = _refs.named_pair(ctx.tok_ent, tok.i, want)
        if not pair:
            return None
        return tuple(_Arg(e.name, e.id, e.type) for e in pair)

    def _demonym(self, tok, ctx: _Doc) -> Optional[_Arg]:
        """The country or body a nationality adjective names ("l'invasion russe")."""
        if tok.pos_ != "ADJ":
            return None
        try:
            from .. import kb as _kb
            code = _kb.demonym(tok.text, self.lang, tok.lemma_)
            if not code:
                return None
            if code.lower() in self.lex.bodies:
                return ctx.adopt(ctx.body(code.lower()), tok)
            rec = _the_kb().get(code)
        except _KB_ERRORS:  # the KB is optional for this stage
            return None
        if rec is None:
            return None
        for e in ctx.entities:
            if (e.kb_id and e.kb_id == rec.ident) or _norm(e.name) == _norm(rec.name):
                return _Arg(e.name, e.id, e.type)
        return None  # GUIDELINES §6: an adjective stands for its country when the country is an entity of the text

    def _antecedent(self, pron, ctx: _Doc, same_sentence: bool = False,
                    gender: Optional[set] = None) -> Optional[_Arg]:
        """A third-person pronoun the entities stage could not resolve: the
        latest named subject before it, within the two sentences before (a
        person of the pronoun's gender, when ``gender`` is given)."""
        if ctx.subjects is None:
            ctx.subjects = []
            for t in ctx.doc:
                if t.dep_ in ("nsubj", "nsubj:pass") and t.pos_ != "PRON" \
                        and t.head.dep_ not in ("acl", "acl:relcl"):
                    a = self._arg(t, ctx, allow_salient=True)
                    if a is not None and a.type in ACTOR_TYPES:
                        ctx.subjects.append((t.i, ctx.sent_start_of[t.i], a))
        sents = ctx.sent_starts
        here = ctx.sent_start_of[pron.i]
        line_start = ctx.win[pron.i][0]
        k = ctx.sent_index.get(here, 0)
        floor = line_start if same_sentence else max(sents[max(0, k - 2)], 0)
        best = None
        for i, sstart, a in ctx.subjects:
            if i >= pron.i:
                break
            if sstart >= floor and (gender is None or self._agrees(a, ctx, gender)):
                best = a
        return best

    @staticmethod
    def _agrees(a: _Arg, ctx: _Doc, gender: set) -> bool:
        """Whether ``a`` is a person whose gender, if known, is ``gender``."""
        if a.type != "PER":
            return False
        return len(gender) != 1 or _refs.agrees(next((e for e in ctx.entities if e.id == a.id), None), gender)

    def _subject(self, verb, ctx: _Doc, depth: int = 0):
        """The subject token of a verb, through infinitives, relatives, conjuncts."""
        for c in verb.children:
            if c.dep_ in SUBJ:
                if c.pos_ == "PRON" and c.dep_ != "nsubj:pass" and verb.dep_ == "acl:relcl" \
                        and c.lower_ in self.lex.relative_subject:
                    return verb.head
                return c
        if depth > 4:
            return None
        if verb.dep_ == "parataxis":
            # An incise after a quote, subject inverted: "« ... », a commenté M. Barnier".
            for c in verb.children:
                if c.dep_ == "obj" and 0 < c.i - verb.i <= 2 and c.pos_ in ("NOUN", "PROPN"):
                    return c
        if verb.dep_ in ("xcomp", "conj", "obl", "obl:arg", "advcl") and "Inf" in verb.morph.get("VerbForm") \
                and _lemma(verb.head) in self.lex.object_control:
            # "exhorter X à faire", "appeler X à signer": X does it
            ctl = next((c for c in verb.head.children if c.dep_ in ("obj", "iobj") and c.i < verb.i), None)
            if ctl is not None:
                return ctl
        if verb.dep_ in ("xcomp", "conj") and verb.head.pos_ in ("VERB", "AUX", "ADJ"):
            return self._subject(verb.head, ctx, depth + 1)
        if verb.dep_ == "acl" and "Inf" in verb.morph.get("VerbForm"):
            # "la nécessité de soutenir": the one who has the need.
            gov = verb.head
            for _ in range(3):
                if gov.pos_ in ("VERB", "AUX") or gov.head.i == gov.i:
                    break
                gov = gov.head
            return self._subject(gov, ctx, depth + 1) if gov.pos_ in ("VERB", "AUX") else None
        detached = "Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense") \
            and verb.i > 0 and verb.doc[verb.i - 1].is_punct
        if verb.dep_ in ("acl", "acl:relcl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON") and not detached:
            # ("…, dénonçant": set off by a comma, a present participle is the
            # main clause's, whatever noun the parser hung it on)
            return verb.head
        if verb.dep_ == "advcl" and ("Inf" in verb.morph.get("VerbForm") or "Part" in verb.morph.get("VerbForm")):
            return self._subject(verb.head, ctx, depth + 1)
        if "Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense") and depth == 0:
            # "…, louant la coopération": a present participle the parser hung
            # anywhere continues the subject of the finite verb before it
            lo = ctx.win[verb.i][0]
            for k in range(verb.i - 1, lo - 1, -1):
                tk = verb.doc[k]
                if tk.pos_ in ("VERB", "AUX") and "Fin" in tk.morph.get("VerbForm") and tk.dep_ not in ("acl:relcl",):
                    host = tk if tk.pos_ == "VERB" or tk.head.i == tk.i else tk.head
                    if any(m.dep_ == "mark" for m in host.children):
                        continue
                    subj = next((c for c in host.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
                    if subj is not None and not (subj.pos_ == "PRON" and "Rel" in subj.morph.get("PronType")):
                        return subj
        return None

    def _human_object(self, verb) -> bool:
        """"a arrêté un journaliste suédois": the object is someone (a title, a
        group word, a name or a national), though no entity of the text."""
        from ..kb import demonym

        for o in verb.children:
            if o.dep_ != "obj":
                continue
            if o.pos_ == "PROPN" or _is_title(o) or _lemma(o) in self.lex.collective_heads \
                    or _lemma(o) in self.lex.human_objects:
                return True
            if any(k.dep_ == "amod" and demonym(k.text, self.lang, k.lemma_) for k in o.children):
                return True
        return False
