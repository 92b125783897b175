"""Attributing: the cue of a quotation and the phrase that names its source
(incises, subjects through participles and infinitives, "que" and infinitive
clauses, claim boundaries)."""
from __future__ import annotations

import bisect
import re
from typing import Optional

from .. import references as _refs
from ..nlp import MAX_SENTENCE_TOKENS
from .document import _Doc
from .lexicon import _AUX_LEMMAS, _MAX_SCAN, _SUBJ, _Lex



class Attribution:
    """Methods of the finder that read attributions from the parse."""

    d: _Doc
    lex: _Lex
    lang: str

    def lemma(self, t) -> str:
        """The verb lemma of ``t``; when the parser left the form unlemmatised,
        the speech-verb lemma a suffix rule gives."""
        lem = t.lemma_.lower()
        if lem in self.lex.speech:
            return lem
        form = t.lower_
        cands = [lem] + [form[:len(form) - len(suf)] + rep for suf, rep in self.lex.lemma_rules
                         if form.endswith(suf) and len(form) > len(suf) + 1]
        for cand in cands[1:]:
            if cand in self.lex.speech:
                return cand
        for cand in cands:  # "repréciser", "réaffirmer": the verb said again
            again = self.again(cand)
            if again is not None:
                return again
        return lem

    def again(self, lem: str) -> Optional[str]:
        """The speech verb ``lem`` repeats with a prefix of repetition, or None."""
        for prefix, next_letter in self.lex.iterative_prefixes:
            rest = lem[len(prefix):]
            if lem.startswith(prefix) and len(rest) >= 4 and rest in self.lex.speech \
                    and (rest[0] in self.lex.iterative_vowels) == (next_letter == "vowel"):
                return rest
        return None

    def is_speech(self, t, loose: bool = False) -> bool:
        if not loose and t.pos_ not in ("VERB", "AUX"):
            return False
        lem = self.lemma(t)
        if lem in self.lex.speech:
            return True
        if lem in self.lex.causative_speech and self.causative_of(t) is not None:
            return True  # "a laissé entendre que …"
        # "a exprimé l'espoir que": a light verb whose object is a speech noun
        return lem in self.lex.light_speech and any(
            c.dep_ == "obj" and c.lemma_.lower() in self.lex.speech_nouns for c in t.children)

    def causative_of(self, t):
        """The causative verb right before infinitive ``t`` ("fait savoir", "laissé
        entendre"), whether the parser made it the head or a dependent."""
        for c in ([t.head] if t.dep_ == "xcomp" else []) + [c for c in t.children if c.i == t.i - 1]:
            if c.i == t.i - 1 and c.lemma_.lower() in self.lex.causative:
                return c
        return None

    def is_pronoun(self, t) -> bool:
        return t.pos_ == "PRON" and (t.lower_.lstrip("-") in self.lex.pronouns)

    def in_sentence(self, t, v) -> bool:
        lo = self.d.sent_start(v.idx)
        hi = self.d.sent_end(v.idx) + 1
        return lo <= t.idx <= hi

    def verb_group(self, v) -> tuple[int, int]:
        """Char span of the verb group of ``v``: auxiliaries, "-t-il", the verb."""
        toks = [v]
        for c in v.children:
            if (c.dep_.startswith("aux") or (c.dep_ == "expl:subj" and c.text.startswith("-"))) \
                    and abs(c.i - v.i) <= 4:
                toks.append(c)
        if v.head.i != v.i and v.head.dep_ != "ROOT" and v.head.lemma_ in self.lex.causative \
                and v.head.i == v.i - 1:
            toks.append(v.head)
        causative = self.causative_of(v)
        if causative is not None and causative.head.i == v.i:  # "a fait comprendre", parsed "fait" ← "comprendre"
            toks.append(causative)
        if v.head.i != v.i and v.head.i == v.i - 1 and v.dep_ == "xcomp" and v.head.pos_ in ("VERB", "AUX"):
            toks.append(v.head)
            toks += [c for c in v.head.children if c.dep_.startswith("aux") and c.i < v.i]
        j = v.i + 1  # inverted pronoun tokens right after the verb
        while j < len(self.doc) and j <= v.i + 2 and self.doc[j].text.startswith("-"):
            toks.append(self.doc[j])
            j += 1
        lo = min(toks, key=lambda t: t.i)
        hi = max(toks, key=lambda t: t.i)
        return lo.idx, hi.idx + len(hi)

    def subject(self, v, depth: int = 0) -> tuple:
        """Speaker source of verb ``v``: its subject, climbing through
        infinitives, participles and coordinations."""
        nonfinite = not ("Fin" in v.morph.get("VerbForm"))
        said = [] if not (nonfinite and v.pos_ == "VERB") else [
            tk for tk in self.doc[max(0, v.i - 12):v.i]
            if self.is_speech(tk, loose=True) and tk.is_lower and not ({"Inf", "Ger"} & set(tk.morph.get("VerbForm")))
                and "Pres" not in tk.morph.get("Tense") and tk.idx >= self.d.sent_start(v.idx)
                and self.d.in_accepted(tk.idx) is None]
        if said and not any(c.dep_ in _SUBJ and c.i < said[-1].i and not self.is_pronoun(c)
                            and not c.text.startswith("-") and self.d.region_of(c.idx) == self.d.region_of(v.idx)
                            for c in said[-1].children):
            # "…, a-t-elle averti, rappelant que": the incise's speaker goes on; "X a
            # démenti …, assurant que" climbs to X below
            return ("prev",)
        voice = self.voice_of(v)
        if voice is not None:
            return voice
        h = v
        for _ in range(5):
            subordinate = h.i != v.i and (h.dep_ in ("ccomp", "csubj") or any(
                m.dep_ == "mark" and m.i < h.i for m in h.children))
            if subordinate and h.head.i != h.i and self.in_sentence(h.head, v):
                h = h.head  # a participle after a comma hangs on the main clause
                continue
            for c in h.children:
                if c.dep_ in _SUBJ and self.in_sentence(c, v):
                    if c.text.startswith("-t") and not self.is_pronoun(c):
                        continue
                    if c.dep_ == "expl:subj" and not c.text.startswith("-") and not self.is_speech(h) \
                            and any(x.dep_.startswith("expl:") and x.i != c.i for x in h.children):
                        continue  # impersonal "il y a", "il s'agit"
                    return self.src_of(c)
            for c in h.children:  # inverted subject the parser read as an object
                if c.i > h.i and c.dep_ == "obj" and self.headed_speaker(c, strict=True) \
                        and self.in_sentence(c, v) and h.i == v.i and self.inverted_position(v):
                    return self.src_of(c)
            finite = "Fin" in h.morph.get("VerbForm") and h.dep_ != "conj"
            if h.pos_ in ("VERB", "AUX") and finite:
                break
            if h.head.i == h.i or h.dep_ in ("ccomp", "parataxis", "ROOT") or not self.in_sentence(h.head, v):
                break
            h = h.head
        nonfinite = not ("Fin" in v.morph.get("VerbForm"))
        src = self.np_before(v)
        if src == ("none",) and nonfinite:
            # "X a fait Y, estimant que …": the subject of the main clause before
            lo = self.d.sent_start(v.idx)
            for k in range(v.i - 1, -1, -1):
                tk = self.doc[k]
                if tk.idx < lo:
                    break
                if tk.pos_ in ("VERB", "AUX") and "Fin" in tk.morph.get("VerbForm") \
                        and self.d.in_accepted(tk.idx) is None and self.d.region_of(tk.idx) == self.d.region_of(v.idx):
                    host = tk if tk.pos_ == "VERB" or tk.head.i == tk.i else tk.head
                    if host.dep_ in ("ccomp", "csubj") or any(
                            m.dep_ == "mark" or (m.dep_ in _SUBJ and "Rel" in m.morph.get("PronType"))
                            for m in host.children):
                        continue  # a subordinate clause: not the one the participle hangs on
                    for c in host.children:
                        if c.dep_ in ("nsubj", "nsubj:pass") and c.idx >= lo and "Rel" not in c.morph.get("PronType"):
                            return self.src_of(c)
        if src == ("none",) and nonfinite and v.pos_ == "VERB":
            # "…, a-t-elle averti, rappelant que", "Et de préciser que": a participle or
            # narrative infinitive with no subject of its own continues the last speaker
            return ("prev",)
        return src

    def inverted_position(self, v) -> bool:
        """Is ``v`` placed after its clause ("…, a déclaré X")?"""
        lo = self.verb_group(v)[0]
        j = lo - 1
        while j >= 0 and self.text[j] in " \t":
            j -= 1
        return j >= 0 and self.text[j] == ","

    def np_before(self, v) -> tuple:
        """The phrase before the verb group that names a speaker: the last
        comma-delimited segment with a name, past parentheticals and
        adjuncts ("Daniel Dupont, maire, en préambule, rappela")."""
        lo = self.verb_group(v)[0]
        s0 = self.d.sent_start(v.idx)
        if s0 >= lo:
            return ("none",)
        span = self.doc.char_span(s0, lo, alignment_mode="contract")
        if span is None or not len(span):
            return ("none",)
        segs, cur = [], []
        depth = 0
        for t in span:
            if t.text in (",", ";", "(", ")") or t.is_space:
                if cur and depth == 0:
                    segs.append(cur)
                cur = []
                depth = max(0, depth + (t.text == "(") - (t.text == ")"))
            elif depth == 0:  # a parenthesis ("(CES)") is not the speaker's phrase
                cur.append(t)
        if cur:
            segs.append(cur)
        for seg in reversed(segs[-4:]):
            while seg and seg[-1].pos_ in ("ADV", "PART", "CCONJ"):
                seg = seg[:-1]
            if not seg or seg[0].pos_ in ("ADP", "SCONJ", "VERB", "AUX") or any(t.pos_ in ("VERB", "AUX") for t in seg):
                continue
            if self.d.in_accepted(seg[0].idx) is not None:
                continue
            if self.d.ents_in(seg[0].idx, seg[-1].idx + len(seg[-1])) or seg[-1].pos_ == "PROPN":
                return ("np", seg[0].i, seg[-1].i)
        return ("none",)

    def headed_speaker(self, t, strict: bool = False) -> bool:
        """Could the phrase headed by ``t`` name a speaker?"""
        lem = t.lemma_.lower()
        if t.pos_ == "PROPN" or lem in self.lex.titles or lem in self.lex.documents \
                or t.lower_ in self.lex.titles or t.lower_ in self.lex.documents:
            return True
        if self.is_pronoun(t) or _refs.group_key(t, self.lang) is not None:
            return True  # "il", "les Vingt-Sept"
        if strict and t.pos_ == "NOUN" and t.text[:1].isupper() and t.i > 0 \
                and self.d.sent_start(t.idx) < t.idx:
            return True  # "la Cour", "la Commission": a named body
        if strict:
            last = max([t] + [c for c in t.children if c.dep_ in ("flat:name", "flat", "appos") and c.i <= t.i + 3],
                       key=lambda x: x.i)
            return bool(self.d.ents_in(t.idx, last.idx + len(last)))
        s, e = t.left_edge.idx, t.right_edge.idx + len(t.right_edge)
        return bool(self.d.ents_in(s, e))

    def src_of(self, t) -> tuple:
        if t.pos_ == "PRON":
            if "Rel" in t.morph.get("PronType") and t.head.i != t.i and t.head.head.i != t.head.i:
                ante = t.head.head  # "le ministre, qui a dit que …": the antecedent
                return ("np", ante.left_edge.i, ante.i)
            if self.is_pronoun(t) or t.text.startswith("-"):
                return ("pron", t.i)
            if _refs.group_key(t, self.lang) is None:
                return ("none",)
        lo, hi = self.np_bounds(t)
        return ("np", lo, hi)

    def np_bounds(self, t) -> tuple[int, int]:
        """Token range of the phrase headed by ``t``, without a trailing
        relative clause ("un porte-parole, qui a critiqué X": X does not speak)."""
        lo, hi = t.left_edge.i, t.right_edge.i
        for c in t.children:
            if c.dep_ == "acl:relcl" and c.i > t.i and "Rel" in c.left_edge.morph.get("PronType"):
                hi = min(hi, c.left_edge.i - 1)
            if c.i < t.i and c.pos_ == "VERB" and c.dep_ in ("acl", "advcl", "amod") \
                    and any(x.text == "," for x in self.doc[c.right_edge.i:t.i]):
                # "Interrogée par Le Temps, la diplomate": the clause before the comma
                # is not the phrase (its agent does not speak)
                lo = max(lo, next(x.i for x in self.doc[c.right_edge.i:t.i] if x.text == ",") + 1)
        while hi > lo and self.doc[hi].is_punct:
            hi -= 1
        return lo, hi

    def quote_clean_np(self, lo: int, hi: int) -> tuple[int, int]:
        """Clamp a token range to its sentence and out of accepted quotes."""
        d = self.d
        toks = self.doc
        anchor = toks[lo]
        end = d.sent_end(anchor.idx) if hi >= lo else anchor.idx
        out_hi = lo
        for k in range(lo, hi + 1):
            t = toks[k]
            if t.idx >= end or d.in_accepted(t.idx) is not None:
                break
            out_hi = k
        return lo, out_hi

    # -- incises

    def incise_at(self, pos: int, strict: bool) -> Optional[tuple]:
        """An attribution starting at char ``pos``: ", a déclaré X" / ", a-t-il dit".

        ``strict``: after unquoted text, where a comma and a subject that can
        name a speaker are required. Returns (verb, cue span, source, end
        offset) or None.
        """
        text, doc = self.text, self.doc
        j = pos
        while j < len(text) and text[j] in " \t":
            j += 1
        if not strict and j < len(text) and text[j] == "(":
            # "« … » (Genève), a précisé X": a parenthesis between the mark and the incise
            close = text.find(")", j, j + 60)
            if close > 0 and "\n" not in text[j:close]:
                j = close + 1
                while j < len(text) and text[j] in " \t":
                    j += 1
        if j < len(text) and text[j] == ",":
            j += 1
        elif strict:
            return None
        t = self.d.tok_at(j)
        if t is None or t.idx - j > 2:
            return None
        group = []
        k = t.i
        while k < len(doc) and len(group) < 6:
            tk = doc[k]
            inv_next = k + 1 < len(doc) and doc[k + 1].text.startswith("-") and not tk.text.startswith("-")
            after_inv = group and group[-1].text.startswith("-") and group[0].pos_ == "AUX" and tk.is_alpha \
                and not tk.text.startswith("-") and tk.pos_ not in ("DET", "ADP", "PRON")
            # "a twitté": a participle the tagger did not read as a verb
            after_inv = after_inv or (group and _is_aux(group[-1]) and tk.is_alpha and tk.is_lower
                                      and tk.pos_ in ("NOUN", "ADJ", "PROPN", "X") and self.is_speech(tk, loose=True))
            reflexive = not group and tk.pos_ == "PRON" and "Yes" in tk.morph.get("Reflex")
            if tk.pos_ in ("AUX", "VERB") or _is_aux(tk) or tk.text.startswith("-") or (not group and inv_next) or after_inv \
                    or reflexive \
                    or (group and tk.pos_ == "ADV" and tk.i < t.i + 3):
                group.append(tk)
                k += 1
                continue
            break
        while group and group[-1].pos_ == "ADV":
            group.pop()
            k -= 1
        if not group and not strict and t.is_lower and t.pos_ in ("NOUN", "ADJ", "PROPN") \
                and self.is_speech(t, loose=True) and t.i + 1 < len(doc) and doc[t.i + 1].pos_ in ("DET", "PROPN"):
            group, k = [t], t.i + 1  # "« … », analyse le propriétaire": a verb the tagger read as a noun
            retagged = True
        else:
            retagged = False
        inverted = [g for g in group if g.text.startswith("-") and self.is_pronoun(g)]
        indefinite = [g for g in group if g.text.startswith("-") and g.pos_ == "PRON" and not self.is_pronoun(g)
                      and not g.text.startswith("-t")]
        verbs = [g for g in group if not g.text.startswith("-")]
        if not verbs:
            return None
        v = verbs[-1]
        causative = False
        if self.lemma(v) in self.lex.causative and k < len(doc) and doc[k].pos_ == "VERB" and "Inf" in doc[k].morph.get("VerbForm"):
            v = doc[k]
            group.append(v)
            k += 1
            causative = True
        elif any(self.lemma(g) in self.lex.causative for g in verbs[:-1]):
            causative = True
        speech = self.is_speech(v, loose=True) if (inverted or indefinite or retagged or v.pos_ not in ("VERB", "AUX")) \
            else self.is_speech(v)
        if indefinite and not inverted:  # "a-t-on annoncé", "a-t-on appris": nobody in particular…
            c = (group[0].idx, group[-1].idx + len(group[-1]))
            while k + 1 < len(doc) and self.d.in_time(doc[k]):
                k += 1  # "a-t-on appris mardi auprès de X"
            if k + 2 < len(doc) and doc[k].pos_ == "ADV" and doc[k + 1].pos_ == "ADP":
                k += 1  # "auprès de", "près de": an adverb that heads the preposition
            if k + 1 < len(doc) and doc[k].pos_ == "ADP":  # …but "affirme-t-on à l'Élysée" names the body
                for tk in doc[k + 1:k + 4]:
                    ms = [m for m in self.d.ents_in(tk.idx, tk.idx + len(tk)) if m[2].type in ("ORG", "GPE")]
                    if ms:
                        return v, c, ("np", tk.i, tk.i), c[1]
                # "peut-on lire dans le communiqué du ministère": the document, to its issuer
                head = doc[k].head
                if doc[k].dep_ == "case" and head.pos_ == "NOUN" and k < head.i <= k + 3:
                    end = self.d.sent_end(head.idx)
                    hi = max((x.i for x in head.subtree if x.idx < end and not x.is_punct), default=head.i)
                    return v, c, ("np", k + 1, hi), c[1]
            return v, c, ("none",), c[1]
        if not inverted and not speech:
            return None
        form = v.morph.get("VerbForm")
        if not inverted and (("Inf" in form and not causative) or ("Part" in form and "Pres" in v.morph.get("Tense"))):
            return None  # "…, estimant que", "…, pour dire": not an incise
        if strict and any(c.dep_ in ("nsubj", "nsubj:pass") and c.i < group[0].i and self.in_sentence(c, v)
                          and self.headed_speaker(c, strict=True) for c in v.children):
            return None  # "X, ministre, a dit …": the verb has its named subject before it
        cue = (group[0].idx, group[-1].idx + len(group[-1]))
        end = self.d.sent_end(group[-1].idx)
        rest = [tk for tk in doc[k:k + 30] if tk.idx < end]
        if inverted:
            src = ("pron", inverted[-1].i)
            # "ressort-il du communiqué de X": the document names the source
            if rest and rest[0].pos_ == "ADP":
                for tk in rest[1:4]:
                    if tk.text == "," or tk.is_punct:
                        break
                    if tk.pos_ in ("NOUN", "PROPN") and (self.lemma(tk) in self.lex.documents or tk.lower_ in self.lex.documents):
                        lo, hi = self.quote_clean_np(tk.i, self.np_bounds(tk)[1])
                        src = ("np", tk.i, hi)
                        break
            return v, cue, src, cue[1]
        adjunct = set()  # "a commenté de son côté X", "a déclaré lors d'un point de presse X"
        for c in v.children:
            cased = any(x.dep_ == "case" for x in c.children)
            if c.i >= k and (c.dep_.startswith("obl") or c.dep_ == "advmod") \
                    and (cased or not self.headed_speaker(c, strict=True)):
                if self.d.in_time(c):
                    # "a précisé le 3 mars le ministre X": the parser may hang the
                    # subject under the date; only the date is an adjunct
                    adjunct.update(x.i for x in c.subtree if self.d.in_time(x) or self.time_det(x))
                else:
                    # but a speaker after a comma the parser coordinated into it ("lors d'une
                    # conférence de presse, le ministre X")
                    spoken = {y.i for x in c.subtree if x.dep_ == "conj" and x.left_edge.i > c.i
                              and "," in (doc[x.left_edge.i].text, doc[x.left_edge.i - 1].text)
                              and self.headed_speaker(x, strict=True) for y in x.subtree}
                    adjunct.update(x.i for x in c.subtree if x.i not in spoken)
        first = next((tk for tk in rest if not (self.d.in_time(tk) or tk.pos_ == "ADV" or tk.i in adjunct)), None)
        if first is None or self.is_que(first) or first.text in (":", "«", '"', "“"):
            return None if strict else (v, cue, ("none",), cue[1])
        subj = None
        for c in v.children:
            if c.i >= k and c.dep_ in ("nsubj", "nsubj:pass") and c.idx < end and c.left_edge.i <= first.i + 1 \
                    and not self.d.in_time(c):  # "a indiqué mardi X": the day parsed as the subject
                subj = c
                break
        if subj is None:
            for c in v.children:
                if c.i >= k and c.dep_ in ("obj", "obl:mod", "obl", "dep", "appos", "flat:name", "obl:arg") \
                        and c.idx < end and c.left_edge.i <= first.i + 1 and c.i not in adjunct \
                        and (self.headed_speaker(c, strict=True) or (not strict and c.dep_ == "obj")):
                    subj = c
                    break
        if subj is None and rest:
            # the parser lost the structure: the first nominal after the verb
            skip_to = -1
            for n, tk in enumerate(rest[:20]):
                if n < skip_to or tk.i in adjunct and tk.text != ",":
                    continue  # "a déclaré mardi à Bamako, lors d'un point de presse, X": past the adjuncts
                if tk.text == ",":
                    # ", a lancé, visiblement fatigué, X": past a parenthetical
                    nxt = next((m for m in range(n + 1, min(n + 8, len(rest))) if rest[m].text == ","), None)
                    if nxt is not None:
                        skip_to = nxt + 1
                    continue
                if self.d.in_time(tk) or tk.pos_ in ("ADV", "PUNCT") or self.time_det(tk):
                    continue
                if tk.pos_ in ("DET", "NOUN", "PROPN", "PRON"):
                    head = tk if tk.pos_ != "DET" else tk.head
                    if head.i >= k and self.headed_speaker(head, strict=True):
                        subj = head
                break
        if subj is None:
            return None if strict else (v, cue, ("none",), cue[1])
        if strict and not (subj.dep_ in ("nsubj", "nsubj:pass") or self.headed_speaker(subj, strict=True)):
            return None
        lo, hi = self.np_bounds(subj)
        lo = max(lo, k)
        lo, hi = self.quote_clean_np(lo, hi)
        if self.is_pronoun(subj) and lo == hi:
            return v, cue, ("pron", subj.i), subj.idx + len(subj)
        return v, cue, ("np", lo, hi), doc[hi].idx + len(doc[hi])

    def voice_of(self, v) -> Optional[tuple]:
        """"X, par la voix de son ambassadeur Y, a …", "X a réagi par
        l'intermédiaire de Y": the person named as the voice speaks."""
        d, lex = self.d, self.lex
        kids = list(v.children) + [g for c in v.children if c.dep_ in _SUBJ for g in c.children]
        for c in kids:
            if c.lemma_.lower() in lex.voice_nouns and any(
                    k.dep_ == "case" and k.lower_ in lex.agent_preps for k in c.children):
                for ms, me, ent in d.ments:
                    if ms > c.idx and ms - c.idx < 200 and ent.type == "PER" and d.in_accepted(ms) is None:
                        tok = d.tok_at(ms)
                        if tok is not None:
                            return ("np", tok.i, tok.i)
        return None

    def time_det(self, tk) -> bool:
        """The article of a time expression ("le" of "le 3 mars")."""
        return tk.pos_ == "DET" and tk.i + 1 < len(self.doc) and self.d.in_time(self.doc[tk.i + 1])

    # -- clause starts

    def clause_start(self, pos: int) -> int:
        """Start of the claim in the sentence around ``pos``, past a dateline,
        a parenthesised credit and a leading connector."""
        s = self.d.sent_start(pos)
        text = self.text
        for _ in range(3):
            if s < pos and text[s] == "(":
                k = text.find(")", s, min(pos, s + 60))
                if k > 0:
                    s = k + 1
                    while s < pos and text[s].isspace():
                        s += 1
                    continue
            m = re.match(r"[^\W\d][\w'’.-]*(?: [^\W\d][\w'’.-]*){0,3},?(?: [^,]{0,30})? [-–—] ", text[s:min(pos, s + 80)])
            if m and text[s].isupper():
                s += m.end()
                continue
            t = self.d.tok_at(s)
            if t is not None and t.idx == s and t.lower_ in self.lex.connectors and t.pos_ in ("CCONJ", "ADV", "SCONJ"):
                s = t.idx + len(t)
                while s < pos and (text[s].isspace() or text[s] == ","):
                    s += 1
                continue
            break
        return s

    # -- indirect quotes

    def narrator_opens(self, k: int) -> bool:
        """Whether the words at token ``k`` open the narrator's addition to a
        claim: what the reporter did next ("avant de quitter …"), a comment on
        the whole claim ("ce que l'opposition conteste")."""
        doc = self.doc
        two = " ".join(t.lower_ for t in doc[k:k + 2])
        return any(two == p or two.startswith(p + " ") or doc[k].lower_ == p for p in self.lex.narrator_openers)

    def claim_end(self, c0: int, infinitive: bool = False) -> int:
        """End of a reported clause: the sentence end, or before a trailing
        participial clause (", indiquant que …"), an incise (", a-t-il dit")
        or a colon that opens a quotation."""
        d, doc = self.d, self.doc
        end = d.sent_end(c0)
        t = d.tok_at(c0)
        if t is None:
            return end
        ctx = d.region_of(c0)
        k = t.i
        last = min(len(doc) - 1, k + MAX_SENTENCE_TOKENS)  # a claim is one sentence at most
        while k < last and doc[k].idx < end:
            tk = doc[k]
            if d.region_of(tk.idx) != ctx:
                k += 1
                continue
            nx = doc[k + 1]
            if tk.text == "," and infinitive and k > t.i and (nx.pos_ == "ADP" or nx.lower_ in self.lex.relatives_after):
                # "a annoncé avoir démis le ministre, dont le domicile …": the
                # infinitive claim ends before an adjunct or a relative the narrator adds
                return tk.idx
            if tk.text == "," and k + 2 < len(doc) and self.narrator_opens(k + 1):
                return tk.idx  # "…, avant de quitter la salle", "…, ce que l'opposition conteste"
            if tk.text == ",":
                if ("Part" in nx.morph.get("VerbForm") and "Pres" in nx.morph.get("Tense")) or \
                        (nx.pos_ == "ADV" and k + 2 < len(doc) and doc[k + 2].pos_ == "ADP"
                         and "Part" in doc[min(k + 3, len(doc) - 1)].morph.get("VerbForm")):
                    return tk.idx
                if self.incise_at(tk.idx, strict=True) is not None:
                    return tk.idx
            if tk.text == ":" and self.text[self.after(tk):self.after(tk) + 1] in self.lex.openers:
                return tk.idx
            if tk.pos_ == "CCONJ" and k > t.i:
                nxt = next((x for x in doc[k + 1:k + 5] if x.pos_ == "VERB"), None)
                between = doc[k + 1:nxt.i] if nxt is not None else []
                if nxt is not None and between and between[0].pos_ == "AUX" and "Ind" in between[0].morph.get("Mood") \
                        and "Pres" in between[0].morph.get("Tense") and "Past" in nxt.morph.get("Tense") \
                        and "Part" in nxt.morph.get("VerbForm") and all(x.pos_ in ("AUX", "ADV") for x in between):
                    # "… beaucoup à faire et a appelé à …": a compound past with no
                    # subject of its own goes on with the reporter, not the claim
                    return doc[k - 1].idx + len(doc[k - 1])
                # "a précisé que A et a ajouté que B", "rappelant que A et soulignant que
                # B": the second report closes the first
                between = doc[k + 1:nxt.i] if nxt is not None else []
                if nxt is not None and self.is_speech(nxt) and (
                        "Fin" in nxt.morph.get("VerbForm") or any(x.pos_ == "AUX" for x in between)
                        or ("Part" in nxt.morph.get("VerbForm") and "Pres" in nxt.morph.get("Tense"))) \
                        and all(x.pos_ in ("AUX", "ADV", "PRON") for x in between) \
                        and self.que_clause(nxt) is not None:
                    return doc[k - 1].idx + len(doc[k - 1])
            if k > t.i and tk.lower_ in self.lex.contrast_openers and self.contrast_report(k):
                # "elle a regretté que A, tandis qu'il a assuré que B": another
                # speaker's report closes the first
                j = k - 1 if doc[k - 1].text == "," else k
                return doc[j - 1].idx + len(doc[j - 1])
            k += 1
        return end

    def contrast_report(self, k: int) -> bool:
        """Whether token ``k`` ("tandis", "quand") opens a clause whose verb,
        within a few words, is a speech verb with a report of its own."""
        doc = self.doc
        for x in doc[k + 1:k + 7]:
            if x.pos_ == "VERB":
                return self.is_speech(x) and self.que_clause(x) is not None
        return False

    def whole_quote(self, c0: int) -> bool:
        """Is the clause starting at ``c0`` nothing but one quotation?"""
        k = bisect.bisect_left(self.d.opens, c0)
        if k >= len(self.d.regions) or self.d.regions[k].open != c0:
            return False
        r = self.d.regions[k]
        end = self.d.sent_end(c0)
        if r.after >= end:
            return True
        # "a répondu que « … », en référence à …": the claim ends with the marks;
        # what follows a comma without a finite verb of its own is no part of it
        rest = self.text[r.after:end]
        if rest.lstrip().startswith(","):
            k0 = r.after + rest.index(",") + 1
            return not self.has_finite(k0, end)
        return False

    def que_clause(self, v) -> Optional[int]:
        """Offset where the "que" clause of speech verb ``v`` starts."""
        doc, lex = self.doc, self.lex
        kids = [c.lower_ for c in v.children]
        if any(k in lex.negation for k in kids) and not any(k in lex.negation_adverbs for k in kids):
            return None  # "n'assurerait qu'un contrôle": "ne … que" restricts, it opens no claim
        # "a su que" is no claim; "a voulu savoir si" a question (below), "a fait savoir que" a claim
        claims = self.lemma(v) not in lex.question_only or self.causative_of(v) is not None
        for c in v.children if claims else ():
            if c.i > v.i and c.pos_ in ("VERB", "AUX", "ADJ", "NOUN") and c.dep_ in ("ccomp", "obj", "advcl", "xcomp", "dep"):
                for m in c.children:
                    if m.dep_ == "mark" and self.is_que(m) and v.i < m.i <= v.i + _MAX_SCAN:
                        return self.after(m)
                if c.dep_ == "xcomp" and c.i <= v.i + 3:
                    # "s'est dit convaincu que …": the clause of the attribute
                    for g in c.children:
                        if g.dep_ == "ccomp" and g.i > c.i:
                            for m in g.children:
                                if m.dep_ == "mark" and self.is_que(m) and m.i == c.i + 1:
                                    return self.after(m)
        question = self.lemma(v) in lex.question_verbs
        for k in range(v.i + 1, min(len(doc), v.i + _MAX_SCAN)):
            tk = doc[k]
            if self.is_que(tk) and (tk.dep_ in ("mark", "obj", "dep") or tk.pos_ == "SCONJ"):
                return self.after(tk) if claims else None
            if self.adjunct_relative(v, tk):
                return self.after(tk)
            if question and tk.lower_ in lex.question_marks and tk.pos_ == "SCONJ" \
                    and not any(c.lower_ in lex.negation for c in v.children):  # "on ne savait pas si": no report
                return self.after(tk)  # "a demandé si …": an indirect question
            if tk.pos_ in ("VERB", "AUX") or tk.text in (".", ";", ":", "!", "?") or tk.is_space \
                    or self.text[tk.idx] in lex.openers or self.text[tk.idx] in lex.closers:
                return None
        return None

    def opens_with_que(self, c0: int) -> bool:
        """Is the clause at ``c0`` introduced by "que" (not "si")?"""
        t = self.d.tok_at(c0)
        return t is not None and t.i > 0 and self.doc[t.i - 1].lower_ in self.lex.complementizers

    def no_report(self, v) -> bool:
        """A speech verb used impersonally: a passive with the impersonal "il"
        ("il est annoncé que"), an infinitive after "à" opening the clause ("à
        noter que"), or under an impersonal verb ("il faut dire que")."""
        lex = self.lex
        kids = list(v.children)
        if any(k.dep_ == "aux:pass" for k in kids) and any(
                k.dep_ in ("expl:subj", "nsubj:pass", "expl:pass") and k.lower_ in lex.impersonal for k in kids):
            return True
        if "Inf" in v.morph.get("VerbForm"):
            if any(k.dep_ in ("mark", "case") and k.lower_ in lex.infinitive_marks for k in kids) \
                    and (v.head.i == v.i or v.head.pos_ not in ("VERB", "AUX", "NOUN", "ADJ")):
                return True
            gov = v.head
            if gov.i != v.i and gov.lemma_.lower() in lex.impersonal_governors:
                return True
        return False

    def adjunct_relative(self, v, t) -> bool:
        """A "que" the parser read as a relative on an adjunct of speech verb ``v``
        ("a affirmé devant les députés que …"), or on the addressee of a verb of
        telling ("a averti les rebelles que …"): the verb has no clause of its own,
        so the "que" opens its complement, not a relative."""
        if t.lower_ not in self.lex.complementizers or t.head.dep_ != "acl:relcl":
            return False
        adjunct = t.head.head
        if adjunct.head.i != v.i or self.agrees_with_object(t.head, adjunct):
            return False
        if adjunct.dep_ == "obj" and self.lemma(v) in self.lex.addressee:
            # "a averti les rebelles que …": the object is who is told
            return not any(c.dep_ == "ccomp" for c in v.children)
        if not adjunct.dep_.startswith("obl"):
            return False
        return not any(c.dep_ in ("obj", "ccomp") for c in v.children)

    @staticmethod
    def agrees_with_object(verb, antecedent) -> bool:
        """A participle after "avoir" marked plural or feminine like ``antecedent``
        agrees with a preceding object: "les rebelles que le pays avait armés" is a
        relative whose "que" is that object."""
        if not ("Part" in verb.morph.get("VerbForm") or verb.pos_ == "ADJ") or not any(
                c.dep_ == "aux:tense" and c.lemma_ == "avoir" for c in verb.children):
            return False
        marked = [f for f, unmarked in (("Number", "Sing"), ("Gender", "Masc")) if verb.morph.get(f) not in ([], [unmarked])]
        return bool(marked) and all(verb.morph.get(f) == antecedent.morph.get(f) for f in marked)

    def is_que(self, t) -> bool:
        """A complementiser "que", not a relative pronoun nor the end of a
        conjunctional locution ("alors que", "aussi longtemps que")."""
        if t.lower_ not in self.lex.complementizers or t.pos_ not in ("SCONJ", "PRON"):
            return False
        before = " ".join(x.lower_ for x in self.doc[max(0, t.i - 2):t.i])
        if any(before == loc or before.endswith(" " + loc) for loc in self.lex.que_locutions):
            return False
        if t.pos_ == "SCONJ":
            return True
        if t.head.dep_ == "acl:relcl":
            return False
        return t.head.dep_ in ("ccomp", "conj") or "Rel" not in t.morph.get("PronType")

    def after(self, tok) -> int:
        s = tok.idx + len(tok)
        while s < len(self.text) and self.text[s].isspace():
            s += 1
        return s

    def inf_clause(self, v):
        for c in v.children:
            inf = "Inf" in c.morph.get("VerbForm") or any(
                a.dep_.startswith("aux") and "Inf" in a.morph.get("VerbForm") and a.i < c.i for a in c.children)
            if c.i > v.i and inf and c.dep_ in ("xcomp", "ccomp", "obj") \
                    and not any(m.dep_ in ("mark", "case") for m in c.children if m.i < c.i):
                # nothing but adverbs, times or auxiliaries between the verb and the clause
                start = c.left_edge if c.left_edge.i > v.i else c
                return start
        return None

    def np_until(self, first, stop_at_comma=True):
        """Tokens of the phrase that starts at ``first``, up to a comma or the sentence end."""
        end = self.d.sent_end(first.idx)
        hi = first.i
        k = first.i
        while k < len(self.doc) and self.doc[k].idx < end:
            tk = self.doc[k]
            if tk.text == "(" and k > first.i:
                # "l'Autorité nationale électorale (ANE)": an acronym in parentheses
                close = next((j for j in range(k + 1, min(k + 8, len(self.doc))) if self.doc[j].text == ")"), None)
                if close is not None and not any(t.pos_ in ("VERB", "AUX") for t in self.doc[k + 1:close]):
                    hi = close
                    k = close + 1
                    continue
            if tk.text in (",", ";", ":", "(", ")") or tk.is_space:
                break
            hi = k
            k += 1
        return hi, (self.doc[k] if k < len(self.doc) else None), end

    def has_finite(self, start: int, end: int) -> bool:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and any("Fin" in t.morph.get("VerbForm") or t.pos_ == "VERB" for t in span)


def _is_aux(t) -> bool:
    # the tagger may leave an auxiliary untagged (X) in a clause it could not
    # read ("a tweeté"); its lemma still says what it is
    return t.pos_ == "AUX" or t.dep_.startswith("aux") or (t.pos_ == "X" and t.lemma_ in _AUX_LEMMAS)
