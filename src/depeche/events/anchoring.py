"""Where and when: the clause a trigger belongs to (and, for its date, the
clauses it takes its time from), how closely a word hangs under it, the place
in an "à/en/dans" complement or a "où" relative, the time that dates the act
(a noun trigger claims the time right after its phrase)."""
from __future__ import annotations

from typing import Optional

from .. import morph

from .document import PLACE_TYPES, _Arg, _Cand, _Doc
from .parse import _arg_tokens, _case, _clause_verb, _lemma, _nominal_of
from .words import Lexicon


# Acts that take the date of the sentence they are reported in when their own
# clause has none (a meeting, a demonstration), unlike states such as a war.
SENTENCE_DATED = ("CONSULT", "PROTEST")


class Anchoring:
    """Methods of the coder that find an event's location and date."""

    lex: Lexicon
    lang: str
    _current: int  # the index of the candidate being built

    def _chain(self, c: _Cand, dating: bool = False) -> dict[int, int]:
        """The clause a trigger belongs to, as {token index: rank}: the
        trigger, the verb a noun trigger is an argument of, and the verbs an
        infinitive or a conjunct shares its clause with. ``dating``: also the
        clauses whose time the trigger's clause takes when it has none of its
        own — the verb a gerund or a present participle hangs on ("ont affiché
        lundi leur unité en louant …"), and the report a clause in the present
        or the imperfect is the content of ("a annoncé mardi que X suspendait …",
        what was going on at the time of the report)."""
        t = c.head
        chain = [t.i]
        if c.is_noun:
            gov = t.head
            if gov.i == t.i:
                return {t.i: 0}
            if t.dep_ in ("obj", "nsubj", "nsubj:pass", "obl:arg") or \
                    (t.dep_.startswith("obl") and c.type == "CONSULT"):
                t = gov
                chain.append(t.i)
            elif c.type in SENTENCE_DATED and t.dep_ in ("nmod", "obl", "obl:mod", "obl:arg"):
                # A meeting or a protest happens when the clause around it
                # does: "a déclaré dimanche, à son arrivée au sommet".
                for _ in range(3):
                    if t.head.i == t.i or t.pos_ in ("VERB", "AUX", "ADJ") and t is not c.head:
                        break
                    if t.dep_ not in ("nmod", "obl", "obl:mod", "obl:arg"):
                        return {i: k for k, i in enumerate(chain)}
                    t = t.head
                    chain.append(t.i)
                if t.pos_ not in ("VERB", "AUX", "ADJ"):
                    return {i: k for k, i in enumerate(chain)}
            else:
                return {t.i: 0}
        for _ in range(5):
            purpose = t.dep_ == "advcl" and "Inf" in t.morph.get("VerbForm")
            if (t.dep_ in ("xcomp", "conj") or purpose) and t.head.i != t.i \
                    and t.head.pos_ in ("VERB", "AUX", "ADJ"):
                t = t.head
                chain.append(t.i)
            elif dating and t.head.i != t.i and self._dated_by_governor(t):
                t = _clause_verb(t.head)
                chain.append(t.i)
            else:
                break
        return {i: k for k, i in enumerate(chain)}

    def _dated_by_governor(self, t) -> bool:
        """Whether verb ``t`` takes its time from the clause it depends on (see
        :meth:`_chain`)."""
        form, tense = t.morph.get("VerbForm"), t.morph.get("Tense")
        gov = t.head
        arg = _nominal_of(gov)
        if (t.dep_ == "acl:relcl" and arg.head.pos_ in ("VERB", "AUX")
                and arg.dep_ in ("obj", "obl", "obl:arg", "obl:mod", "nsubj", "iobj")) \
                or (gov.pos_ in ("VERB", "AUX") and self._place_relative(t) is not None):
            # "a reçu mardi X, qui lui a promis …", "s'est rendu lundi à Y, où …";
            # not a relative set before or after ("qui avait …", "qui signera …")
            shifted = morph.mood(t, self.lang) == morph.FUTURE or any(
                a.dep_.startswith("aux") and set(a.morph.get("Tense")) & {"Imp", "Fut"} for a in t.children)
            return not shifted
        if "Part" in form and "Pres" in tense:
            # a gerund ("en saluant") or a participle set off by a comma is
            # adverbial, whatever noun the parser hung it on
            adverbial = t.doc[t.i - 1].is_punct or any(
                m.dep_ == "mark" and m.lower_ in self.lex.gerund_marks for m in t.children)
            return t.dep_ in ("advcl", "acl") and (gov.pos_ in ("VERB", "AUX") or (
                t.dep_ == "acl" and adverbial and _clause_verb(gov).pos_ in ("VERB", "AUX")))
        if "Fin" not in form or not set(tense) & {"Pres", "Imp"} or any(a.dep_.startswith("aux") for a in t.children):
            return False
        if t.dep_ == "ccomp" and _lemma(gov) in self.lex.report_verbs:
            return True
        # "a officialisé le fait que …": a clause on a noun object of the report
        return t.dep_ == "acl" and gov.dep_ == "obj" and _lemma(gov.head) in self.lex.report_verbs

    @staticmethod
    def _rank(tok, chain: dict, trigger, steps: int = 4) -> Optional[int]:
        """How closely a word attached under the trigger's clause (None: not at
        all, or only deep inside one of its complements)."""
        cur = tok
        for _ in range(steps):
            if cur.i in chain:
                return chain[cur.i]
            if cur.head.i == cur.i:
                return None
            if cur.dep_ == "conj" and cur.pos_ in ("NOUN", "PROPN"):
                return None  # "le sommet de X et les développements à Gaza"
            if cur.pos_ in ("VERB", "AUX"):
                # A clause of its own, unless it is a relative on the trigger
                # itself ("des manifestations qui ont eu lieu à X").
                if not (cur.dep_ in ("acl", "acl:relcl") and cur.head.i == trigger.i):
                    return None
            cur = cur.head
        return None

    def _relative_place(self, c: _Cand, ctx: _Doc) -> Optional[_Arg]:
        """"s'est rendu à X, où il a rencontré …": a clause that a place
        relative ("où") hangs on a named place happens there."""
        v = c.head
        for _ in range(3):
            if self._place_relative(v) is not None:
                break
            if v.dep_ in ("xcomp", "conj") and v.head.i != v.i:
                v = v.head
                continue
            return None
        else:
            return None
        rel = self._place_relative(v)
        # the place the relative hangs on (the parser may hang it on the verb
        # instead: then the name right before ", où")
        k = rel.i - 1
        while k >= 0 and v.doc[k].is_punct:
            k -= 1
        for i in (v.head.i, k):
            e = ctx.tok_ent.get(i)
            if e is not None and e.type in PLACE_TYPES:
                return _Arg(e.name, e.id, e.type)
        return None

    def _place_relative(self, v):
        """The "où" that opens the relative clause of verb ``v``, if any."""
        if v.dep_ not in ("acl:relcl", "advcl"):
            return None
        return next((k for k in v.children if k.i < v.i and k.lower_ in self.lex.place_relatives), None)

    def _location(self, c: _Cand, ctx: _Doc) -> Optional[_Arg]:
        """A place in an "à/en/dans" complement of the trigger's clause."""
        chain = self._chain(c)
        lo, hi = ctx.win[c.head.i]
        host = self._relative_place(c, ctx)
        if host is not None:
            return host
        best = None
        for i in range(lo, hi):
            tok = ctx.doc[i]
            e = ctx.tok_ent.get(i)
            if e is None or e.type not in PLACE_TYPES:
                continue
            if tok.head.i != tok.i and ctx.tok_ent.get(tok.head.i) is e:
                continue  # not the head of the mention
            prep = _case(tok)
            if not prep and i - lo <= 2 and i > 0 and ctx.doc[i - 1].lower_ in self.lex.location_preps:
                prep = ctx.doc[i - 1].lower_  # "A Parakou, ...", the preposition misparsed
            if prep in self.lex.of_preps and tok.dep_ == "nmod" and tok.head.pos_ == "NOUN" \
                    and ctx.tok_ent.get(tok.head.i) is None and _case(tok.head) in self.lex.location_preps:
                tok = tok.head  # "dans la province du Sud-Kivu"
                prep = _case(tok)
            if prep not in self.lex.location_preps:
                continue
            if prep in self.lex.dative_preps and any(k.dep_ == "det" for k in tok.children) \
                    and ctx.is_country(e.name):
                continue
            r = self._rank(tok.head, chain, c.head) if tok.head.i != tok.i else None
            if r is None:
                # A place set at the head of the sentence ("Au Bénin, ... où
                # l'opposition n'a pas été autorisée") frames all of it.
                if i < c.head.i and (i - lo <= 2 or (tok.head.dep_ == "ROOT" and tok.dep_.startswith("obl")
                                                      and i < tok.head.i)):
                    r = 50
                else:
                    continue
            key = (r, abs(i - c.head.i))
            if best is None or key < best[0]:
                best = (key, _Arg(e.name, e.id, e.type))
        return best[1] if best else None

    # --- date ----------------------------------------------------------------

    @staticmethod
    def _claim_times(cands: list, ctx: _Doc) -> None:
        """A time right after or inside a noun trigger's phrase dates that act
        ("l'invasion de l'Ukraine le 24 février 2022"), not the clause's verb."""
        ctx.claims = {}
        if not ctx.tok_time:
            return
        for k, c in enumerate(cands):
            if not c.is_noun:
                continue
            span = _arg_tokens(c.head)
            lo, hi = span[0].i, span[-1].i
            for i in list(range(lo, hi + 1)) + [hi + 1, hi + 2]:
                tx = ctx.tok_time.get(i)
                if tx is not None and i < len(ctx.doc) and (i <= hi or ctx.doc[i].idx <= tx.start + 0
                                                              or ctx.doc[hi + 1].pos_ == "DET"):
                    ctx.claims.setdefault(id(tx), k)

    def _date(self, c: _Cand, ctx: _Doc) -> Optional[str]:
        if not ctx.tok_time:
            return None
        lo, hi = ctx.win[c.head.i]
        cands = {}
        for i in range(lo, hi):
            tx = ctx.tok_time.get(i)
            if tx is None or id(tx) in cands:
                continue
            v = self._timex_value(tx)
            if v is None:
                continue
            cands[id(tx)] = (tx, i, v)
        if not cands:
            return None
        doc = ctx.doc
        chain_pos = self._chain(c, dating=True)
        best = None
        me = self._current
        for tx, i, v in cands.values():
            owner = ctx.claims.get(id(tx))
            if owner is not None:
                if owner == me:
                    return v
                continue
            # The token of the timex whose head is outside it: where it attaches.
            sp = doc.char_span(tx.start, tx.end, alignment_mode="expand")
            if sp is None:
                continue
            root = sp.root
            rank = self._rank(root.head, chain_pos, c.head) if root.head.i != root.i else None
            if rank is None and sp.start - lo <= 1 and self._frames_sentence(sp, chain_pos, lo):
                # "Samedi, X a appelé …": a time that opens the sentence, set off
                # by a comma, dates its main clause
                rank = 45
            if rank is None:
                # Else the sentence's own time, set at its head ("Jeudi, ...")
                # or on its main verb.
                if sp.start - lo <= 1 and c.type in SENTENCE_DATED:
                    rank = 50
                else:
                    continue
            key = (rank, abs(i - c.head.i))
            if best is None or key < best[0]:
                best = (key, v)
        return best[1] if best else None

    @staticmethod
    def _frames_sentence(sp, chain_pos: dict, lo: int) -> bool:
        """Whether a time at the start of a sentence, followed by a comma,
        frames the clause of ``chain_pos`` (which reaches the sentence's main
        verb)."""
        doc = sp.doc
        # the comma that closes the opening phrase ("Lundi, …", "Lundi à Quito, …")
        k = sp.end
        while k < len(doc) and k - sp.end < 5 and doc[k].text != "," and doc[k].pos_ not in ("VERB", "AUX") \
                and not doc[k].is_sent_end:
            k += 1
        if k >= len(doc) or doc[k].text != ",":
            return False
        for i in chain_pos:
            t = doc[i]
            if t.dep_ == "ROOT" or (t.head.i == t.i):
                return True
        return False

    @staticmethod
    def _timex_value(tx) -> Optional[str]:
        if tx.type in ("DATE", "TIME"):
            return tx.value
        if tx.type == "DURATION" and tx.point:
            return tx.point
        return None
