"""Finding quotes: indirect reports (speech verbs, "selon X", incises after
a clause) and direct quotations (regions that are speech, with the
attribution after, before or around them)."""
from __future__ import annotations

import bisect
from typing import Optional

from .attribution import _is_aux
from .document import _Cand, _Doc
from .lexicon import _SUBJ, _Lex
from .marks import _Region



class Finding:
    """Methods of the finder that find quotes and their cue."""

    d: _Doc
    lex: _Lex

    def indirect(self):
        d, doc, lex = self.d, self.doc, self.lex
        seen = set()

        def add(start, end, cue, src, anchor, carrier=False):
            while end > start and (self.text[end - 1].isspace() or self.text[end - 1] in ",;:"):
                end -= 1
            if end - start < 3 or (start, end) in seen:
                return
            if d.in_accepted(start) is not None:
                return
            seen.add((start, end))
            self.cands.append(_Cand("indirect", start, end, cue, src, anchor, attr_end=max(end, cue[1]),
                                    carrier=carrier))

        for t in doc:
            low = t.lower_
            speech = self.is_speech(t)
            if not (speech or low == "," or low in lex.according_ends or low in lex.opinion):
                continue  # nothing below starts at this token
            if d.in_accepted(t.idx) is not None:
                continue
            if speech and self.no_report(t):
                continue  # "il est annoncé que", "à noter que", "il faut dire que": nobody reports
            if speech:
                c0 = self.que_clause(t)
                if c0 is not None and self.whole_quote(c0):
                    continue  # "a indiqué que « … »": the direct quote carries it
                if c0 is not None and self.lemma(t) in lex.demand_verbs and self.opens_with_que(c0):
                    continue  # "a demandé que …", "exige que …": a demand is an event, not a quote (GUIDELINES §6)
                if c0 is not None:
                    cue = self.verb_group(t)
                    add(c0, self.claim_end(c0), cue, self.subject(t), cue[0])
                    continue
                if t.lemma_.lower() in lex.infinitive:
                    inf = self.inf_clause(t)
                    if inf is not None:
                        cue = self.verb_group(t)
                        add(inf.idx, self.claim_end(inf.idx, infinitive=True), cue, self.subject(t), cue[0])
                        continue
            if t.text == ",":
                self.incise_clause(t, add)
                continue
            if low in lex.according_ends and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in lex.according_relatives \
                    and t.i > 1 and doc[t.i - 1].text == ",":
                self.relative_according(t, doc[t.i + 1], add)  # "X, selon lequel <claim>"
                continue
            for phrase in lex.according_ends.get(low, ()):
                if (len(phrase) == 1 or (t.i >= len(phrase) - 1 and all(
                        doc[t.i - len(phrase) + 1 + n].lower_ == w for n, w in enumerate(phrase)))):
                    first = doc[t.i - len(phrase) + 1]
                    self.according_clause(first, t, add, opinion=False)
            if low in lex.opinion and t.i + 1 < len(doc):
                nx = doc[t.i + 1]
                if nx.lower_ in lex.relatives and t.i > 0 and doc[t.i - 1].text == ",":
                    self.relative_source(t, nx, add)
                else:
                    self.according_clause(t, t, add, opinion=True)

    def incise_clause(self, comma, add):
        """"<claim>, indique un communiqué de X." → an indirect quote."""
        d = self.d
        res = self.incise_at(comma.idx, strict=True)
        if res is None:
            return
        v, cue, src, end = res
        start = self.clause_start(comma.idx)
        if start >= comma.idx:
            return
        j = comma.idx - 1
        while j > start and self.text[j] in " \t":
            j -= 1
        if self.text[j] in self.lex.closers:
            r = d.by_close.get(j)
            if r is not None:
                b = r.open - 1
                while b > 0 and self.text[b] in " \t":
                    b -= 1
                if b >= 0 and self.text[b] == ":":
                    return  # "X a dit : « … », a-t-il ajouté": the quote is direct
        # a claim that is just a quotation is a direct quote, not an indirect one
        outside = [t for t in self.doc.char_span(start, comma.idx, alignment_mode="expand") or []
                   if d.region_of(t.idx) is None and not t.is_punct and not t.is_space
                   and t.text not in self.lex.openers and t.text not in self.lex.closers]
        if not any((t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm")) or t.dep_ in _SUBJ for t in outside):
            return
        if any(c.start <= start < c.end or start <= c.start < comma.idx for c in self.cands[-4:] if c.kind == "indirect"):
            return
        add(start, comma.idx, cue, src, cue[0])

    def according_clause(self, first, prep, add, opinion: bool):
        d, doc = self.d, self.doc
        if prep.i + 1 >= len(doc):
            return
        np0 = doc[prep.i + 1]
        hi, stop, end = self.np_until(np0)
        if hi < np0.i:
            return
        src_np = ("np", np0.i, hi)
        if np0.pos_ == "PRON" and hi == np0.i:
            if not self.is_pronoun(np0):
                return
            src_np = ("pron", np0.i)
        elif not opinion:
            # "selon X": X names a source ("selon la tradition" does not)
            root = doc[np0.i:hi + 1].root
            lex = self.lex
            words = {root.lemma_.lower(), root.lower_}
            if not (d.ents_in(np0.idx, doc[hi].idx + len(doc[hi])) or root.pos_ == "PROPN"
                    or words & (lex.titles | lex.documents | lex.anonymous | lex.sources)
                    or (root.text[:1].isupper() and root.i > np0.i)
                    or (root.pos_ == "NOUN" and not words & lex.non_sources
                        and not any(t.lower_ in lex.non_sources for t in doc[np0.i:root.i]))):
                return
        if opinion and src_np[0] != "pron":
            # "Pour Moscou, …", "Pour le ministre, …": the phrase itself names a speaker
            np_span = doc[np0.i:hi + 1]
            root = np_span.root
            named = [m for m in d.ents_in(np_span.start_char, np_span.end_char)
                     if m[2].type in ("PER", "ORG") and self.np_distance(m, np_span) == 0]
            if not (named or (root.pos_ == "NOUN" and root.lemma_.lower() in self.lex.titles)):
                return
        cue = (first.idx, prep.idx + len(prep))
        s0 = self.clause_start(first.idx)
        if s0 >= first.idx:  # "Selon X, <claim>."
            if stop is None or stop.text != ",":
                return
            c0 = self.after(stop)
            nx = d.tok_at(c0)
            if nx is not None and nx.pos_ in ("NOUN", "ADJ") and nx.lemma_.lower() in self.lex.titles | self.lex.anonymous:
                # "Pour X, chef de la diplomatie, <claim>": past the apposition
                k = nx.i
                while k < len(doc) and doc[k].text != "," and doc[k].idx < end and doc[k].pos_ not in ("VERB", "AUX"):
                    k += 1
                if k < len(doc) and doc[k].text == ",":
                    c0 = self.after(doc[k])
            elif nx is not None and nx.lower_ in self.lex.relatives and nx.pos_ == "PRON":
                # "Selon X, qui s'exprimait à la télévision, <claim>": past the relative clause
                k = nx.i
                while k < len(doc) and doc[k].text != "," and doc[k].idx < end:
                    k += 1
                if k < len(doc) and doc[k].text == ",":
                    c0 = self.after(doc[k])
            elif nx is not None:
                # "Selon la présidente de X, Clara Diop, <claim>": the name in apposition speaks
                # (after a title of its own: "…, le colonel Ali Kone, <claim>")
                k0 = nx.i
                while k0 < min(len(doc), nx.i + 4) and (doc[k0].pos_ == "DET" or doc[k0].lemma_.lower() in self.lex.titles) \
                        and not d.ents_in(doc[k0].idx, doc[k0].idx + len(doc[k0])):
                    k0 += 1
                nx = doc[k0] if k0 < len(doc) else nx
                name = [m for m in d.ents_in(nx.idx, nx.idx + len(nx)) if m[2].type == "PER" and m[0] == nx.idx]
                if name:
                    k = nx.i
                    while k < len(doc) and doc[k].idx < name[0][1]:
                        k += 1
                    if k < len(doc) and doc[k].text == ",":
                        src_np = ("np", np0.i, k - 1)
                        c0 = self.after(doc[k])
            if c0 < end and self.has_finite(c0, end):
                # "Selon X, « … »": the quotation is the whole claim; the direct quote
                # carries it and takes X from it (GUIDELINES §6)
                add(c0, end, cue, src_np, cue[0], carrier=self.whole_quote(c0))
            return
        if opinion:
            return
        before = first.i - 1
        if before >= 0 and doc[before].text == "," and (stop is None or stop.text in (",", ":") or stop.idx >= end) \
                and self.has_finite(s0, doc[before].idx):
            add(s0, doc[before].idx, cue, src_np, cue[0])

    def relative_source(self, prep, rel, add):
        """"…, selon cette source, pour qui <claim>." → the claim, by the antecedent."""
        doc = self.doc
        comma = doc[prep.i - 1]
        k = comma.i - 1
        while k >= 0 and doc[k].text not in (",", ".", ";", ":") and not doc[k].is_space \
                and doc[k].lower_ not in self.lex.according_ends:
            k -= 1
        lo = k + 1
        if lo > comma.i - 1:
            return
        start = self.after(rel)
        end = self.d.sent_end(start)
        if end > start:
            add(start, end, (prep.idx, rel.idx + len(rel)), ("np", lo, comma.i - 1), prep.idx)

    def relative_according(self, prep, rel, add):
        """"…le chef de l'État, selon lequel <claim>." → the claim, by the noun
        phrase the relative takes up (the one right before the comma)."""
        doc = self.doc
        ante = doc[prep.i - 2]
        while ante.head.i < ante.i and ante.head.i < prep.i - 1 and ante.head.pos_ in ("NOUN", "PROPN") \
                and ante.dep_ in ("nmod", "flat:name", "amod", "appos", "compound"):
            ante = ante.head
        if ante.pos_ not in ("NOUN", "PROPN", "PRON"):
            return
        start = self.after(rel)
        end = self.claim_end(start)
        if end > start:
            add(start, end, (prep.idx, rel.idx + len(rel)), ("np", ante.left_edge.i, prep.i - 2), prep.idx)

    # -- direct quotes

    def direct(self):
        d = self.d
        last: Optional[_Cand] = None
        indirect = sorted((c for c in self.cands if c.kind == "indirect"), key=lambda c: c.start)
        ind_starts = [c.start for c in indirect]
        for r in d.regions:
            if r.end <= r.start:
                continue
            p = r.parent
            nested = False
            while p is not None:
                if d.regions[p].accepted:
                    nested = True
                    break
                p = d.regions[p].parent
            if nested:
                continue
            span = self.doc.char_span(r.start, r.end, alignment_mode="expand")
            if span is None:
                continue
            words = [t for t in span if t.is_alpha]
            after = self.incise_at(r.after, strict=False) if r.closed else None
            if after is not None and after[2] == ("none",):
                after = None
            colon = self.colon_before(r)
            if after is None and colon is None and r.closed:
                colon = self.colon_after(r)
            starts_sentence = self.starts_sentence(r)
            container = None
            k = bisect.bisect_right(ind_starts, r.open) - 1
            while k >= 0 and container is None and r.open - indirect[k].start < 5000:
                c = indirect[k]
                if c.start <= r.open and r.after <= c.end + 1:
                    container = c
                k -= 1
            if after is None and colon is None and not (starts_sentence and len(words) >= 3):
                if len(words) < 2 or self.name_like(span) or self.term_like(r, span):
                    continue
            cand = None
            if after is not None:
                v, cue, src, end = after
                # the attribution runs to the end of its sentence ("…, dit-elle dans sa déposition.")
                cand = _Cand("direct", r.start, r.end, cue, src, cue[0], attr_end=max(end, d.sent_end(end)))
            elif colon is not None:
                cue, src = colon
                cand = _Cand("direct", r.start, r.end, cue, src, cue[0], attr_end=r.after)
            elif container is not None:
                cand = _Cand("direct", r.start, r.end, container.cue, ("same", container), container.anchor,
                             attr_end=r.after)
            else:
                gov = self.governor(span, r)
                if gov is not None:
                    cue = self.verb_group(gov)
                    cand = _Cand("direct", r.start, r.end, cue, self.subject(gov), cue[0], attr_end=r.after)
                elif last is not None and self.adjacent(last, r):
                    cand = _Cand("direct", r.start, r.end, last.cue, ("same", last), r.open, attr_end=r.after)
                elif starts_sentence:
                    lead = self.lead_in(r)
                    if lead is not None:  # "X confirme. « … »": the sentence before introduces the speaker
                        cue, src = lead
                        cand = _Cand("direct", r.start, r.end, cue, src, cue[0], attr_end=r.after)
                    elif self.lead_out(r) is not None:
                        # "« … » La phrase est de X.": the sentence after names its author
                        cue, src = self.lead_out(r)
                        cand = _Cand("direct", r.start, r.end, cue, src, cue[0], attr_end=r.after)
                    elif last is not None and self.continues(last, r):
                        # "« A », a dit X. « B. »": the next quotation with no cue of its own goes on
                        cand = _Cand("direct", r.start, r.end, last.cue, ("same", last), r.open, attr_end=r.after)
                    else:
                        cand = _Cand("direct", r.start, r.end, None, ("none",), r.open, attr_end=r.after)
                else:
                    root = self.sentence_root(r)
                    src = self.subject(root) if root is not None else ("none",)
                    if src[0] != "np" or not self.d.ents_in(self.doc[src[1]].idx, self.doc[src[2]].idx + 1):
                        if last is not None and self.verbless_lead(r) and self.continues(last, r):
                            # "« A », a dit X. En tout, « B »": a quotation after a verbless
                            # lead-in goes on with the last speaker
                            cand = _Cand("direct", r.start, r.end, last.cue, ("same", last), r.open,
                                         attr_end=r.after)
                        else:
                            continue
                    else:
                        cue = self.verb_group(root)
                        cand = _Cand("direct", r.start, r.end, cue, src, cue[0], attr_end=r.after)
            r.accepted = True
            parts = self.split_incise(r, span)
            if parts is None:
                self.cands.append(cand)
            else:  # « X, a-t-il dit, Y »: two quotes around the attribution
                (a0, a1), (b0, b1), (v, cue, src) = parts
                if after is not None and after[2][0] != "none":
                    src = after[2]  # "« X, a-t-il dit, Y », a lancé Z": the pronoun is Z
                first = _Cand("direct", a0, a1, cue, src, cue[0], attr_end=b0)
                cand = _Cand("direct", b0, b1, cue, ("same", first), cue[0], attr_end=cand.attr_end)
                self.cands += [first, cand]
            last = cand

    def split_incise(self, r: _Region, span) -> Optional[tuple]:
        """An attribution with an inverted subject between commas inside the
        marks: the two parts of the quotation and the attribution."""
        d = self.d
        for t in span:
            if t.text != "," or t.i + 2 >= span.end:
                continue
            if d.region_of(t.idx) is None or d.regions[d.region_of(t.idx)] is not r:
                continue
            res = self.incise_at(t.idx, strict=True)
            if res is None or res[2][0] != "pron" or not self.doc[res[2][1]].text.startswith("-"):
                continue
            v, cue, src, end = res
            j = end
            while j < r.end and self.text[j] in " \t":
                j += 1
            if j >= r.end or self.text[j] != ",":
                continue
            b0 = j + 1
            while b0 < r.end and self.text[b0].isspace():
                b0 += 1
            a1 = t.idx
            if a1 - r.start < 2 or r.end - b0 < 2:
                continue
            return (r.start, a1), (b0, r.end), (v, cue, src)
        return None

    def starts_sentence(self, r: _Region) -> bool:
        text = self.text
        j = r.open - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        if j < 0 or text[j] in "\n:.!?…»”\"":
            return True
        return self.d.sent_start(r.open) >= r.open

    def colon_before(self, r: _Region) -> Optional[tuple]:
        text, doc, d = self.text, self.doc, self.d
        j = r.open - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        if j < 0 or text[j] != ":":
            return None
        s0 = d.sent_start(j)
        span = doc.char_span(s0, j, alignment_mode="contract")
        if span is None or not len(span):
            return None
        said = self.according_before_colon(span)
        if said is not None:
            return said
        verbs = [t for t in span if t.pos_ == "VERB" and d.region_of(t.idx) == d.region_of(j)]
        speech = [t for t in verbs if self.is_speech(t)]
        if speech or verbs:
            v = (speech or verbs)[-1]
            if not speech:  # the main verb of the clause before the colon
                roots = [t for t in verbs if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
                v = roots[0] if roots else v
                said = self.statement_object(v, span)
                if said is not None:
                    return said
            cue = self.verb_group(v)
            src = self.subject(v)
            if src == ("none",) and "Inf" in v.morph.get("VerbForm"):
                src = ("prev", r.open)  # "Et d'ajouter : « … »"
            return cue, src
        if len(span) <= 6 and d.ents_in(span.start_char, span.end_char):
            return (span.start_char, span.end_char), ("np", span.start, span.end - 1)
        # a caption header "Nom, titre de X :" on its own line: the name before the first comma
        comma = next((t for t in span if t.text == ","), None)
        if comma is not None and comma.i - span.start <= 6 and (span.start == 0 or "\n" in text[doc[span.start - 1].idx:span.start_char]) \
                and any(m[2].type in ("PER", "ORG") for m in d.ents_in(span.start_char, comma.idx)):
            return (span.start_char, span.end_char), ("np", span.start, comma.i - 1)
        return None

    def according_before_colon(self, span) -> Optional[tuple]:
        """"…, selon la ministre : « … »": the source of an according phrase
        that runs to the colon speaks the quotation after it: (cue, source)."""
        doc, lex = self.doc, self.lex
        for t in reversed(span):
            for phrase in lex.according_ends.get(t.lower_, ()):
                first = doc[t.i - len(phrase) + 1] if t.i >= len(phrase) - 1 else None
                if first is None or first.i < span.start or not all(
                        doc[first.i + n].lower_ == w for n, w in enumerate(phrase)):
                    continue
                if t.i + 1 >= span.end:
                    return None
                hi, _, _ = self.np_until(doc[t.i + 1])
                if hi != span.end - 1:
                    return None  # the phrase does not reach the colon
                return (first.idx, t.idx + len(t)), ("np", t.i + 1, hi)
        return None

    def statement_object(self, v, span) -> Optional[tuple]:
        """"Il y a eu une déclaration de X :", "On retiendra ce message de X :":
        a statement noun that names its author, object of a verb whose
        subject cannot speak (impersonal, generic or none): (cue, source)."""
        lex = self.lex
        if any(c.dep_ in ("nsubj", "nsubj:pass") and c.lower_ not in lex.generic_pronouns for c in v.children):
            return None
        for c in v.children:
            if c.dep_ == "obj" and span.start <= c.i < span.end and c.pos_ == "NOUN" \
                    and c.lemma_.lower() in lex.documents \
                    and self.d.ents_in(c.idx, self.doc[min(c.right_edge.i, span.end - 1)].idx + 1):
                hi = min(c.right_edge.i, span.end - 1)
                return (c.idx, c.idx + len(c)), ("np", c.left_edge.i, hi)
        return None

    def lead_out(self, r: _Region) -> Optional[tuple]:
        """The sentence right after a quotation that gives its author: "« … »
        La phrase est de X.", "Ces propos sont du ministre X." (a statement
        noun, "être" and "de" + the author): (cue, source)."""
        d, lex = self.d, self.lex
        t = d.tok_at(r.after)
        if t is None or t.idx - r.after > 3:
            return None  # the sentence must follow the closing mark
        end = d.sent_end(t.idx)
        for subj in self.doc[t.i:min(len(self.doc), t.i + 5)]:
            if subj.idx >= end:
                return None
            if subj.dep_ not in ("nsubj", "dep", "ROOT") or subj.lemma_.lower() not in lex.statement_nouns:
                continue

            def of_case(x):
                return next((k for k in x.children if k.dep_ == "case" and k.lower_ in lex.of_words), None)

            # "est de X" with "X" the predicate ("de" and "est" hang on it), or "être"
            # the root with "de X" its complement; the parser may hang either elsewhere
            author = next((x for x in self.doc[subj.i + 1:min(len(self.doc), subj.i + 8)] if x.idx < end
                           and any(c.dep_ == "cop" for c in x.children) and of_case(x) is not None), None)
            if author is None:
                author = next((c for c in subj.head.children if c.dep_.startswith("obl") and of_case(c) is not None
                               and subj.head.lemma_ in lex.copulas), None)
            if author is None:
                # read without the parse: "<noun> …, est de <name>"
                window = self.doc[subj.i + 1:min(len(self.doc) - 2, subj.i + 8)]
                cop = next((x for x in window if x.lemma_ in lex.copulas and x.idx < end
                            and self.doc[x.i + 1].lower_ in lex.of_words), None)
                author = self.doc[cop.i + 2] if cop is not None else None
                case = self.doc[cop.i + 1] if cop is not None else None
            else:
                case = of_case(author)
            if author is None:
                return None
            hi = max((x.i for x in author.subtree if x.idx < end and not x.is_punct), default=author.i)
            lo = min((x.i for x in author.subtree if x.i > case.i), default=author.i)
            return (subj.idx, case.idx + len(case)), ("np", lo, hi)
        return None

    def lead_in(self, r: _Region) -> Optional[tuple]:
        """A short sentence right before a quotation whose main verb is a
        speech verb ("Hervé Dupont confirme. « … »"): its cue and subject."""
        text, d = self.text, self.d
        j = r.open - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        if j < 0 or text[j] not in ".!":
            return None
        s0 = d.sent_start(j)
        if j - s0 > 200:
            return None
        span = self.doc.char_span(s0, j, alignment_mode="contract")
        if span is None:
            return None
        for t in span:
            if self.is_speech(t) and (t.head.i == t.i or not (span.start <= t.head.i < span.end)) \
                    and d.region_of(t.idx) == d.region_of(r.open) \
                    and not any(c.dep_ in ("obj", "ccomp", "xcomp", "mark") and c.i > t.i for c in t.children):
                src = self.subject(t)
                if src[0] in ("np", "pron"):
                    return self.verb_group(t), src
        for t in span:
            # "X a rejeté le plan dans un tweet. « … »": the statement the sentence names
            if t.pos_ == "VERB" and t.head.i == t.i and d.region_of(t.idx) == d.region_of(r.open):
                doc_noun = next((c for c in t.children if c.dep_.startswith("obl") and c.pos_ == "NOUN"
                                 and c.lemma_.lower() in self.lex.documents
                                 and any(x.dep_ == "case" for x in c.children)), None)
                if doc_noun is not None:
                    src = self.subject(t)
                    if src[0] in ("np", "pron"):
                        return (doc_noun.idx, doc_noun.idx + len(doc_noun)), src
        return None

    def colon_after(self, r: _Region) -> Optional[tuple]:
        """"« … » : le ministre salue …" (a headline): the subject of the clause after the colon."""
        text, d = self.text, self.d
        j = r.after
        while j < len(text) and text[j] in " \t":
            j += 1
        if j >= len(text) or text[j] != ":":
            return None
        end = d.sent_end(j + 1)
        span = self.doc.char_span(j + 1, max(end, j + 2), alignment_mode="contract")
        if span is None:
            return None
        for t in span:
            if t.pos_ == "VERB" and "Fin" in t.morph.get("VerbForm") or (t.pos_ == "VERB" and any(
                    _is_aux(c) for c in t.children)):
                src = self.subject(t)
                if src[0] in ("np", "pron"):
                    return self.verb_group(t), src
                return None
        return None

    def governor(self, span, r: _Region):
        """The speech verb that governs a quotation inside a sentence."""
        lo, hi = self.d.sent_start(r.open), self.d.sent_end(r.after) + 1
        for t in span:
            h = t.head
            if span.start <= h.i < span.end and h.i != t.i:
                continue
            steps = 0
            while steps < 6 and h is not None:
                if not (span.start <= h.i < span.end):
                    if h.idx < lo or h.idx > hi:
                        break
                    if self.is_speech(h):
                        return h
                if h.head.i == h.i:
                    break
                h = h.head
                steps += 1
        return None

    def sentence_root(self, r: _Region):
        lo, hi = self.d.sent_start(r.open), self.d.sent_end(r.after)
        span = self.doc.char_span(lo, max(hi, lo + 1), alignment_mode="expand")
        if span is None:
            return None
        for t in span:
            if (t.head.i == t.i or not (span.start <= t.head.i < span.end)) and t.pos_ in ("VERB", "AUX") \
                    and not (r.open <= t.idx < r.after):
                return t
        return None

    def continues(self, last: _Cand, r: _Region) -> bool:
        """A quotation opening the sentence right after the one that held the
        last attributed quotation, with nobody else named in between."""
        if last.src[0] == "none" or last.kind != "direct":
            return False
        gap = self.text[last.end:r.open]
        if len(gap) > 250 or "\n\n" in gap:
            return False
        end = self.d.sent_end(max(last.end, last.attr_end - 1))  # past its attribution
        if end > r.open or self.d.sent_end(end + 1) < r.open:
            return False  # not the very next sentence
        return not [m for m in self.d.ents_in(max(last.attr_end, last.end), r.open) if m[2].type in ("PER", "ORG")]

    def verbless_lead(self, r: _Region, most: int = 6) -> bool:
        """The words of the sentence before the quotation are a short lead-in
        with no finite verb and no name ("En tout,", "Et surtout :", "Une
        décision motivée par"), and the quotation ends the sentence."""
        lo = self.d.sent_start(r.open)
        if self.d.sent_end(r.after) > r.after + 2:
            return False
        lead = self.doc.char_span(lo, r.open, alignment_mode="contract") if r.open > lo else None
        if lead is None:
            return False
        words = [t for t in lead if t.is_alpha]
        if not words or len(words) > most or self.d.ents_in(lo, r.open):
            return False
        return not any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") or t.pos_ == "PROPN"
                       for t in lead)

    def adjacent(self, last: _Cand, r: _Region) -> bool:
        gap = self.text[last.attr_end:r.open]
        return len(gap) <= 6 and all(ch.isspace() or ch in ",.;:!?)»”\"" for ch in gap)

    def name_like(self, span) -> bool:
        if any(t.pos_ in ("VERB", "AUX") for t in span):
            return False
        content = [t for t in span if t.is_alpha and t.pos_ in ("NOUN", "PROPN", "ADJ")]
        if not content:
            return False
        covered = sum(min(e, span.end_char) - max(s, span.start_char)
                      for s, e, _ in self.d.ents_in(span.start_char, span.end_char))
        if covered >= 0.8 * (span.end_char - span.start_char):
            return True
        first = next((t for t in span if t.is_alpha), None)
        return first is not None and first.text[0].isupper()

    def term_like(self, r: _Region, span) -> bool:
        """A quoted phrase after a definite article ("la « … »") or a common
        noun ("le programme « … »") names a term or a title."""
        k = bisect.bisect_left(self.d.tstarts, r.open) - 1
        while k >= 0 and self.doc[k].pos_ == "ADJ" and r.open - self.doc[k].idx < 40:
            k -= 1
        if k < 0:
            return False
        t = self.doc[k]
        lead = next((x for x in span if x.is_alpha), None)
        if t.pos_ == "NOUN" and not any("Fin" in x.morph.get("VerbForm") for x in span) \
                and lead is not None and lead.pos_ not in ("ADJ", "ADV", "VERB") \
                and sum(x.is_alpha for x in span) <= 5:  # a long phrase after a noun is still a quotation
            return True
        return t.lower_ in self.lex.term_dets and t.pos_ == "DET"

    # -- speakers

    def indirect_pre_direct(self):
        # regions that are surely speech are marked first, so that no
        # indirect quote is read inside them
        d = self.d
        for r in d.regions:
            if r.end <= r.start or (r.parent is not None and d.regions[r.parent].accepted):
                continue
            if r.closed and self.starts_sentence(r):
                span = self.doc.char_span(r.start, r.end, alignment_mode="expand")
                if span is not None and sum(t.is_alpha for t in span) >= 3 and any(t.pos_ in ("VERB", "AUX") for t in span):
                    r.accepted = True
        self.indirect()
        for r in d.regions:
            r.accepted = False

    def indirect_post_direct(self):
        # drop indirect quotes that fell inside an accepted direct quote
        d = self.d
        self.cands = [c for c in self.cands if c.kind == "direct" or d.in_accepted(c.start) is None]
