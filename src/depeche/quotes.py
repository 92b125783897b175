"""Quotes stage: direct and indirect quotes, their cues and their speakers.

GUIDELINES.md §3. The stage works on character offsets of ``doc.text`` and on
the spaCy parse (lemmas, morphology, dependencies); every French word it
relies on comes from ``lang/<lang>/speech.toml``.

1. Quotation marks are paired into *regions* (« », “ ”, „ “, "…", nesting,
   paragraphs re-opened with a mark, unclosed marks → ``unclosed_quote``).
2. Indirect quotes: a speech verb with a "que" clause or an infinitive
   clause, "selon X, …" / "…, d'après X", "…, pour qui …", and a clause
   followed by an incise ("…, indique un communiqué de l'OTAN").
3. Direct quotes: regions that are speech (not titles, names or scare
   quotes), attributed by an incise after the marks ("« … », a-t-il dit"),
   a clause before a colon ("Il a ajouté : « … »"), the indirect quote
   around them, the speech verb that governs them, or the quote just
   before them.
4. Speakers, in text order: the subject of the cue, through entity
   mentions, appositions of titles, documents (their issuing body) and
   pronouns (the previous speaker, else recency with gender agreement).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.language import Language

from . import entities as _entities
from . import references as _refs
from . import lang as langdata
from .model import Entity, Quote, Span, Warning
from .nlp import MAX_SENTENCE_TOKENS, view

_SUBJ = ("nsubj", "nsubj:pass", "expl:subj")
_TYPE_RANK = {"PER": 0, "ORG": 1, "GPE": 2, "LOC": 3}
_SENT_PUNCT = frozenset(".!?…")
_CLAUSE_STOP = frozenset(".!?…;")
_MAX_SCAN = 10  # tokens scanned between a verb and its "que"


@dataclass(frozen=True)
class _Lex:
    speech: frozenset
    infinitive: frozenset
    causative: frozenset
    complementizers: frozenset
    according_ends: dict  # last word -> the "according to" phrases it ends
    opinion: frozenset
    relatives: frozenset
    pronouns: frozenset
    connectors: frozenset
    documents: frozenset
    titles: frozenset
    abbreviations: frozenset
    closers_of: dict  # opening mark -> closing marks
    openers: frozenset
    closers: frozenset
    family: dict      # mark -> family id (marks that continue each other)
    term_dets: frozenset
    anonymous: frozenset
    sources: frozenset
    lemma_rules: tuple
    agent_preps: frozenset
    question_verbs: frozenset
    question_marks: frozenset
    light_speech: frozenset
    speech_nouns: frozenset
    negation: frozenset
    impersonal: frozenset
    infinitive_marks: frozenset
    impersonal_governors: frozenset
    que_locutions: tuple
    relatives_after: frozenset
    mark_re: re.Pattern
    end_re: re.Pattern


def _role_heads(lang: str) -> frozenset:
    """The first word of every role title of ``roles.toml`` ("contre-amiral",
    "chancelière"), but modifiers that open a title ("Premier ministre")."""
    r = langdata.load(lang, "roles")
    skip = {w.lower() for w in r.get("title_modifiers", [])}
    out = set()
    for phrases in r.get("titles", {}).values():
        for p in phrases:
            w = p.split()[0].lower() if p.split() else ""
            if w and w not in skip and "'" not in w and "’" not in w:
                out.add(w)
    return frozenset(out)


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> _Lex:
    d = langdata.load(lang, "speech")
    low = lambda key: frozenset(w.lower() for w in d.get(key, []))  # noqa: E731
    closers_of: dict[str, set] = {}
    for o, c in d["quote_pairs"]:
        closers_of.setdefault(o, set()).add(c)
    family: dict[str, int] = {}
    for n, (o, c) in enumerate(d["quote_pairs"]):
        fid = family.get(o, family.get(c, n))
        family.setdefault(o, fid)
        family.setdefault(c, fid)
    marks = set(closers_of) | {c for cs in closers_of.values() for c in cs}
    mark_re = re.compile("[" + "".join(re.escape(m) for m in sorted(marks)) + "\n]")
    according = tuple(tuple(a.split()) if " " in a else (a,) for a in low("according_to"))
    according_ends: dict[str, list] = {}
    for phrase in according:
        according_ends.setdefault(phrase[-1], []).append(phrase)
    return _Lex(
        speech=low("speech_verbs"), infinitive=low("infinitive_verbs"), causative=low("causative_verbs"),
        complementizers=low("complementizers"),
        according_ends={k: tuple(v) for k, v in according_ends.items()},
        opinion=low("opinion_preps"), relatives=low("relatives"), pronouns=low("person_pronouns"),
        connectors=low("leading_connectors"), documents=low("document_nouns"),
        titles=low("title_nouns") | _role_heads(lang), abbreviations=low("abbreviations"),
        closers_of={k: frozenset(v) for k, v in closers_of.items()},
        openers=frozenset(closers_of), closers=frozenset(c for cs in closers_of.values() for c in cs),
        family=family, term_dets=low("term_determiners"), anonymous=low("anonymous_sources"), sources=low("source_nouns"),
        lemma_rules=tuple((a, b) for a, b in d.get("lemma_rules", [])), mark_re=mark_re,
        agent_preps=low("agent_prepositions"), question_verbs=low("question_verbs"),
        question_marks=low("question_complementizers"), light_speech=low("light_speech_verbs"),
        speech_nouns=low("speech_nouns"),
        negation=frozenset(w.lower() for w in langdata.load(lang, "modality").get("negation_particle", [])),
        impersonal=low("impersonal_pronouns"), infinitive_marks=low("infinitive_markers"),
        impersonal_governors=low("impersonal_governors"),
        que_locutions=tuple(sorted(low("que_locutions"), key=len, reverse=True)),
        relatives_after=low("narrator_relatives"),
        end_re=re.compile(r"[.!?…]+|\n"),
    )


# ---------------------------------------------------------------- regions

@dataclass
class _Region:
    mark: str
    open: int            # offset of the opening mark
    close: int = -1      # offset of the closing mark (or where the region stops)
    after: int = -1      # offset just after the closing mark
    closed: bool = True
    parent: Optional[int] = None
    start: int = 0       # inner span, without the marks and surrounding spaces
    end: int = 0
    depth: int = 0
    accepted: bool = False


def _scan(text: str, lex: _Lex) -> list[_Region]:
    """Pair the quotation marks of ``text`` into nested regions."""
    regions: list[_Region] = []
    stack: list[int] = []
    skip_at = -1
    n = len(text)

    def push(ch, pos):
        r = _Region(ch, pos, parent=stack[-1] if stack else None, depth=len(stack))
        regions.append(r)
        stack.append(len(regions) - 1)

    def close_top(pos, after, closed=True):
        r = regions[stack.pop()]
        r.close, r.after, r.closed = pos, after, closed

    for m in lex.mark_re.finditer(text):
        ch, pos = m.group(), m.start()
        if ch == "\n":
            if not stack:
                continue
            j = pos + 1
            while j < n and text[j].isspace():
                j += 1
            top = regions[stack[-1]]
            if j < n and text[j] in lex.openers and lex.family.get(text[j]) == lex.family.get(top.mark):
                skip_at = j  # a paragraph of the same quote re-opened with a mark
                continue
            while stack:  # an unclosed quote stops at the end of its paragraph
                close_top(pos, pos, closed=False)
            continue
        if pos == skip_at:
            continue
        prev = text[pos - 1] if pos else " "
        nxt = text[pos + 1] if pos + 1 < n else " "
        top = regions[stack[-1]] if stack else None
        if top is not None and ch in lex.closers_of.get(top.mark, ()):
            close_top(pos, pos + 1)  # a mark cannot nest inside itself: it closes
            continue
        deeper = [k for k in stack if ch in lex.closers_of.get(regions[k].mark, ())]
        if deeper and ch not in lex.openers:
            while stack and stack[-1] != deeper[-1]:
                r = regions[stack.pop()]  # an inner mark never closed: not a region
                r.close, r.after, r.closed = -2, -2, False
            close_top(pos, pos + 1)
            continue
        if ch in lex.openers:
            if ch in lex.closers and not (prev.isspace() or prev in "([{'’-–—" or pos == 0):
                continue  # a closing-looking mark with nothing to close
            if nxt.isspace() and ch in lex.closers:
                continue
            push(ch, pos)
    while stack:
        close_top(n, n, closed=False)
    out = []
    for r in regions:
        if r.close < 0:
            continue
        s, e = r.open + 1, r.close
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        r.start, r.end = s, e
        out.append(r)
    # re-index parents after dropping discarded regions
    index = {id(r): i for i, r in enumerate(out)}
    old = regions
    for r in out:
        p = r.parent
        while p is not None and old[p].close < 0:
            p = old[p].parent
        r.parent = index.get(id(old[p])) if p is not None else None
    return out


# ---------------------------------------------------------------- candidates

@dataclass
class _Cand:
    kind: str
    start: int
    end: int
    cue: Optional[tuple]          # (start, end) char span
    src: tuple                    # ("np", lo, hi) | ("pron", i) | ("prev", pos) | ("same", cand) | ("none",)
    anchor: int                   # where the attribution is (for recency)
    attr_end: int = 0             # end of the quote and its attribution
    speaker: Optional[Entity] = None
    done: bool = False


class _Doc:
    """One document under analysis: the parse, the regions, the indexes."""

    def __init__(self, doc, lex: _Lex):
        self.doc, self.lex, self.text = doc, lex, doc.text
        self.regions = _scan(self.text, lex)
        self.opens = [r.open for r in self.regions]
        self.tstarts = [t.idx for t in doc]
        self._ends = self._sentence_ends()
        self._end_keys = [e for e, _ in self._ends]
        self.by_close = {r.close: r for r in self.regions if r.closed}
        ments = []
        for e in doc._.entities or []:
            for m in e.mentions:
                if 0 <= m.start < m.end <= len(self.text):
                    ments.append((m.start, m.end, e))
        ments.sort(key=lambda x: (x[0], x[1]))
        self.ments = ments
        self.mstarts = [m[0] for m in ments]
        self._titles = None
        self._subject_ments = None
        self._time_spans = sorted((t.start, t.end) for t in (doc._.times or []))

    # -- positions

    def tok_at(self, pos: int):
        """The token that covers or starts after char ``pos``."""
        i = bisect.bisect_right(self.tstarts, pos) - 1
        if i < 0:
            i = 0
        if i < len(self.doc) and self.doc[i].idx + len(self.doc[i]) <= pos:
            i += 1
        return self.doc[i] if i < len(self.doc) else None

    def region_of(self, pos: int) -> Optional[int]:
        """Index of the innermost region whose inside contains ``pos``."""
        i = bisect.bisect_left(self.opens, pos) - 1
        while i is not None and i >= 0:
            r = self.regions[i]
            if r.open < pos < r.close or (r.open < pos and r.close == pos and not r.closed):
                return i
            i = r.parent
        return None

    def in_accepted(self, pos: int) -> Optional[int]:
        i = self.region_of(pos)
        while i is not None:
            if self.regions[i].accepted:
                return i
            i = self.regions[i].parent
        return None

    def _sentence_ends(self) -> list[tuple[int, Optional[int]]]:
        """(offset just after a sentence end, innermost region) in order."""
        text, lex = self.text, self.lex
        out = []
        for m in lex.end_re.finditer(text):
            s, e = m.start(), m.end()
            if m.group() == ".":
                w = re.search(r"(\w+)$", text[max(0, s - 12):s])
                if w and (w.group(1).lower() in lex.abbreviations or (len(w.group(1)) == 1 and w.group(1).isupper())):
                    continue
                if e < len(text) and text[e].isdigit():
                    continue
            out.append((e, self.region_of(s)))
        # a quote ending its sentence inside the marks ends the sentence outside too
        for k, r in enumerate(self.regions):
            if r.closed and r.end > r.start and text[r.end - 1] in _SENT_PUNCT:
                j = r.after
                while j < len(text) and text[j] in " \t":
                    j += 1
                if j >= len(text) or not (text[j] in ",;:" or text[j].islower()):
                    out.append((r.after, r.parent))
        out.sort(key=lambda x: x[0])
        return out

    def _bounds(self, pos: int) -> tuple[int, int, Optional[int]]:
        ctx = self.region_of(pos)
        lo, hi = 0, len(self.text)
        if ctx is not None:
            lo, hi = self.regions[ctx].start, self.regions[ctx].end
        return lo, hi, ctx

    def sent_start(self, pos: int) -> int:
        lo, hi, ctx = self._bounds(pos)
        i = bisect.bisect_right(self._end_keys, pos) - 1
        while i >= 0:
            e, reg = self._ends[i]
            if e <= lo:
                break
            if reg == ctx:
                lo = e
                break
            i -= 1
        while lo < pos and self.text[lo].isspace():
            lo += 1
        return lo

    def sent_end(self, pos: int) -> int:
        """Offset of the end of the sentence containing ``pos`` (before its final punctuation)."""
        lo, hi, ctx = self._bounds(pos)
        i = bisect.bisect_right(self._end_keys, pos)
        end = hi
        while i < len(self._ends):
            e, reg = self._ends[i]
            if e > hi:
                break
            if reg == ctx:
                end = e
                break
            i += 1
        # back over the final punctuation and spaces
        while end > pos and (self.text[end - 1].isspace() or self.text[end - 1] in _CLAUSE_STOP):
            end -= 1
        return end

    # -- entities

    def ents_in(self, s: int, e: int) -> list[tuple[int, int, Entity]]:
        i = bisect.bisect_left(self.mstarts, s - 200)
        out = []
        while i < len(self.ments) and self.ments[i][0] < e:
            ms, me, ent = self.ments[i]
            if me > s:
                out.append(self.ments[i])
            i += 1
        return out

    def in_time(self, tok) -> bool:
        i = bisect.bisect_right(self._time_spans, (tok.idx, 10**12)) - 1
        return i >= 0 and self._time_spans[i][0] <= tok.idx < self._time_spans[i][1]


# ---------------------------------------------------------------- the stage

class QuoteFinder:
    def __init__(self, nlp: Language, name: str, lang: str = "fr"):
        from .nlp import register_extensions

        register_extensions()  # the component also works in a spaCy pipeline of the user's own
        self.lang = lang
        self.lex = _lexicon(lang)

    def __call__(self, doc):
        doc._.quotes = self.find(doc)
        return doc

    def find(self, doc) -> list[Quote]:
        if not len(doc):
            return []
        doc = view(doc)
        d = _Doc(doc, self.lex)
        if doc._.warnings is None:
            doc._.warnings = []
        # A quote left open where the text is cut is already said by the
        # clean stage's ``truncated`` warning; any other open quote is reported.
        cut = [w for w in doc._.warnings if getattr(w, "code", None) == "truncated"]
        for r in d.regions:
            if not r.closed and r.end > r.start and not any(r.end >= w.start for w in cut):
                doc._.warnings.append(Warning(
                    "unclosed_quote", r.open, r.end,
                    "quotation mark never closed: the quote runs to the end of its paragraph"))
        f = _Finder(d)
        return f.run()


class _Finder:
    def __init__(self, d: _Doc):
        self.d, self.doc, self.lex, self.text = d, d.doc, d.lex, d.text
        self.cands: list[_Cand] = []

    # -- helpers on tokens

    def lemma(self, t) -> str:
        """The verb lemma of ``t``; when the parser left the form unlemmatised,
        the speech-verb lemma a suffix rule gives."""
        lem = t.lemma_.lower()
        if lem in self.lex.speech:
            return lem
        form = t.lower_
        for suf, rep in self.lex.lemma_rules:
            if form.endswith(suf) and len(form) > len(suf) + 1:
                cand = form[:len(form) - len(suf)] + rep
                if cand in self.lex.speech:
                    return cand
        return lem

    def is_speech(self, t, loose: bool = False) -> bool:
        if not loose and t.pos_ not in ("VERB", "AUX"):
            return False
        lem = self.lemma(t)
        if lem in self.lex.speech:
            return True
        # "a exprimé l'espoir que": a light verb whose object is a speech noun
        return lem in self.lex.light_speech and any(
            c.dep_ == "obj" and c.lemma_.lower() in self.lex.speech_nouns for c in t.children)

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
        if nonfinite and v.pos_ == "VERB" and any(
                self.is_speech(tk, loose=True) and tk.is_lower and not ({"Inf", "Ger"} & set(tk.morph.get("VerbForm")))
                and "Pres" not in tk.morph.get("Tense") and tk.idx >= self.d.sent_start(v.idx)
                and self.d.in_accepted(tk.idx) is None for tk in self.doc[max(0, v.i - 12):v.i]):
            return ("prev",)  # "…, a-t-elle averti, rappelant que": the incise's speaker goes on
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
        if self.is_pronoun(t):
            return True
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
                                      and tk.pos_ in ("NOUN", "ADJ", "PROPN") and self.is_speech(tk, loose=True))
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
            if k + 1 < len(doc) and doc[k].pos_ == "ADP":  # …but "affirme-t-on à l'Élysée" names the body
                for tk in doc[k + 1:k + 4]:
                    ms = [m for m in self.d.ents_in(tk.idx, tk.idx + len(tk)) if m[2].type in ("ORG", "GPE")]
                    if ms:
                        return v, c, ("np", tk.i, tk.i), c[1]
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
                adjunct.update(x.i for x in c.subtree)
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
            for n, tk in enumerate(rest[:12]):
                if n < skip_to:
                    continue
                if tk.text == ",":
                    # ", a lancé, visiblement fatigué, X": past a parenthetical
                    nxt = next((m for m in range(n + 1, min(n + 8, len(rest))) if rest[m].text == ","), None)
                    if nxt is not None:
                        skip_to = nxt + 1
                    continue
                if self.d.in_time(tk) or tk.pos_ in ("ADV", "PUNCT"):
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

    def indirect(self):
        d, doc, lex = self.d, self.doc, self.lex
        seen = set()

        def add(start, end, cue, src, anchor):
            while end > start and (self.text[end - 1].isspace() or self.text[end - 1] in ",;:"):
                end -= 1
            if end - start < 3 or (start, end) in seen:
                return
            if d.in_accepted(start) is not None:
                return
            seen.add((start, end))
            self.cands.append(_Cand("indirect", start, end, cue, src, anchor, attr_end=max(end, cue[1])))

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
                # "a précisé que A et a ajouté que B": the second report closes the first
                between = doc[k + 1:nxt.i] if nxt is not None else []
                if nxt is not None and self.is_speech(nxt) and (
                        "Fin" in nxt.morph.get("VerbForm") or any(x.pos_ == "AUX" for x in between)) \
                        and all(x.pos_ in ("AUX", "ADV", "PRON") for x in between) \
                        and self.que_clause(nxt) is not None:
                    return doc[k - 1].idx + len(doc[k - 1])
            k += 1
        return end

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
        for c in v.children:
            if c.i > v.i and c.pos_ in ("VERB", "AUX", "ADJ", "NOUN") and c.dep_ in ("ccomp", "obj", "advcl", "xcomp", "dep"):
                for m in c.children:
                    if m.dep_ == "mark" and self.is_que(m) and v.i < m.i <= v.i + _MAX_SCAN:
                        return self.after(m)
        question = self.lemma(v) in lex.question_verbs
        for k in range(v.i + 1, min(len(doc), v.i + _MAX_SCAN)):
            tk = doc[k]
            if self.is_que(tk) and (tk.dep_ in ("mark", "obj", "dep") or tk.pos_ == "SCONJ"):
                return self.after(tk)
            if question and tk.lower_ in lex.question_marks and tk.pos_ == "SCONJ" \
                    and not any(c.lower_ in lex.negation for c in v.children):  # "on ne savait pas si": no report
                return self.after(tk)  # "a demandé si …": an indirect question
            if tk.pos_ in ("VERB", "AUX") or tk.text in (".", ";", ":", "!", "?") or tk.is_space \
                    or self.text[tk.idx] in lex.openers or self.text[tk.idx] in lex.closers:
                return None
        return None

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
                    or (root.text[:1].isupper() and root.i > np0.i)):
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
            elif nx is not None:
                # "Selon la présidente de X, Clara Diop, <claim>": the name in apposition speaks
                name = [m for m in d.ents_in(nx.idx, nx.idx + len(nx)) if m[2].type == "PER" and m[0] == nx.idx]
                if name:
                    k = nx.i
                    while k < len(doc) and doc[k].idx < name[0][1]:
                        k += 1
                    if k < len(doc) and doc[k].text == ",":
                        src_np = ("np", np0.i, k - 1)
                        c0 = self.after(doc[k])
            if c0 < end and self.has_finite(c0, end):
                add(c0, end, cue, src_np, cue[0])
            return
        if opinion:
            return
        before = first.i - 1
        if before >= 0 and doc[before].text == "," and (stop is None or stop.text == "," or stop.idx >= end) \
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
                    elif last is not None and self.continues(last, r):
                        # "« A », a dit X. « B. »": the next quotation with no cue of its own goes on
                        cand = _Cand("direct", r.start, r.end, last.cue, ("same", last), r.open, attr_end=r.after)
                    else:
                        cand = _Cand("direct", r.start, r.end, None, ("none",), r.open, attr_end=r.after)
                else:
                    root = self.sentence_root(r)
                    if root is None:
                        continue
                    src = self.subject(root)
                    if src[0] != "np" or not self.d.ents_in(self.doc[src[1]].idx, self.doc[src[2]].idx + 1):
                        continue
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
        verbs = [t for t in span if t.pos_ == "VERB" and d.region_of(t.idx) == d.region_of(j)]
        speech = [t for t in verbs if self.is_speech(t)]
        if speech or verbs:
            v = (speech or verbs)[-1]
            if not speech:  # the main verb of the clause before the colon
                roots = [t for t in verbs if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
                v = roots[0] if roots else v
            cue = self.verb_group(v)
            src = self.subject(v)
            if src == ("none",) and "Inf" in v.morph.get("VerbForm"):
                src = ("prev", r.open)  # "Et d'ajouter : « … »"
            return cue, src
        if len(span) <= 6 and d.ents_in(span.start_char, span.end_char):
            return (span.start_char, span.end_char), ("np", span.start, span.end - 1)
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
        end = self.d.sent_end(last.end)
        if end > r.open or self.d.sent_end(end + 1) < r.open:
            return False  # not the very next sentence
        return not [m for m in self.d.ents_in(max(last.attr_end, last.end), r.open) if m[2].type in ("PER", "ORG")]

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

    def run(self) -> list[Quote]:
        self.indirect_pre_direct()
        self.direct()
        self.indirect_post_direct()
        self.cands.sort(key=lambda c: (c.start, c.kind))
        self.history: list[tuple[int, Entity]] = []
        for c in self.cands:
            self.resolve(c)
        # "X a assuré qu'il pense que …": a report inside a claim by the same
        # speaker (or nobody) is part of the claim, not a quote of its own
        outer = [c for c in self.cands if c.kind == "indirect"]
        self.cands = [c for c in self.cands if not (c.kind == "indirect" and c.cue and any(
            o is not c and o.start <= c.cue[0] < o.end and (c.speaker is None or c.speaker is o.speaker)
            for o in outer))]
        out = []
        for c in self.cands:
            sp = c.speaker
            cue = Span(c.cue[0], c.cue[1], self.text[c.cue[0]:c.cue[1]]) if c.cue else None
            out.append(Quote(c.start, c.end, self.text[c.start:c.end], c.kind,
                             sp.name if sp else None, sp.id if sp else None, cue))
        return out

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

    def resolve(self, c: _Cand):
        if c.done:
            return c.speaker
        c.done = True
        kind = c.src[0]
        ent = None
        if kind == "same":
            ent = self.resolve(c.src[1])
        elif kind == "np":
            ent = self.np_entity(c.src[1], c.src[2], c.anchor)
        elif kind == "pron":
            ent = self.pronoun(self.doc[c.src[1]], c.anchor)
        elif kind == "prev":
            ent = self.previous(c.anchor)
            # the last speaker, or a person or body that was the subject since
            last_pos = max((p for p, e in self.history if p <= c.anchor), default=-1)
            for ms, me, subj in reversed(self.subject_mentions()):
                if any(o.start <= ms < o.end for o in self.cands):
                    continue  # a subject inside a reported claim is not who goes on speaking
                if ms < c.anchor:
                    if ms > last_pos and subj.type in ("PER", "ORG") and c.anchor - ms < 1500:
                        ent = subj
                    break
        c.speaker = ent
        if ent is not None:
            self.history.append((c.anchor, ent))
        return ent

    def previous(self, pos: int) -> Optional[Entity]:
        best = None
        for p, e in self.history:
            if p <= pos:
                best = e
        return best

    def np_entity(self, lo: int, hi: int, anchor: int) -> Optional[Entity]:
        doc, d, lex = self.doc, self.d, self.lex
        if hi < lo:
            return None
        span = doc[lo:hi + 1]
        s, e = span.start_char, span.end_char
        root = span.root
        ments = [m for m in d.ents_in(s, e) if d.region_of(m[0]) == d.region_of(s)]
        if root.lemma_.lower() not in lex.documents and root.lower_ not in lex.documents:
            # a name deep in a complement does not speak ("une habitante, bénévole au X")
            near = [m for m in ments if m[2].type == "PER" or self.np_distance(m, span) <= 2]
            # "la télévision d'État chinoise CCTV": a name that closes the phrase is its name
            ments = near or [m for m in ments if m[1] == span.end_char and m[2].type in ("ORG", "PER")
                             and root.lemma_.lower() not in lex.titles and self.bare_name(m)]
        if not ments and root.pos_ == "PRON" and root.lemma_.lower() in lex.pronouns:
            return self.pronoun(root, anchor)
        if root.pos_ in ("NOUN", "PROPN", "ADJ") and all(m[0] >= root.idx and m[1] <= root.idx + len(root) for m in ments) \
                and any(c.dep_ == "det" for c in root.children):
            # "a dit l'Italien": the person of that country the article names
            who = _refs.demonym_person(doc, root, anchor)
            if who is not None:
                return who
        doc_head = root.lemma_.lower() in lex.documents or root.lower_ in lex.documents
        if doc_head and ments and not any(m[2].type == "PER" for m in ments):
            # "une porte-parole de X", "le communiqué de X": the body it speaks for,
            # unless the text named the spokesperson
            if root.lemma_.lower() in lex.titles or root.lower_ in lex.titles:
                who = self.title(span, root, anchor)
                if who is not None and who.type == "PER":
                    return who
            ments.sort(key=lambda m: m[0])
            return ments[0][2]
        office = _refs.seat_office(span)
        if office is not None:
            # "le maître du Kremlin": whoever holds the office the seat names
            who = _refs.office_holder(doc, *office, anchor, set(root.morph.get("Gender")))
            if who is not None:
                return who
        pers = [m for m in ments if m[2].type == "PER"]
        if pers:
            # the person the phrase is about, not one in a complement ("l'avocate de X, Y")
            pers.sort(key=lambda m: (self.np_distance(m, span), m[0]))
            return pers[0][2]
        # the first title or document head in the phrase
        titled = [t for t in span if t.lemma_.lower() in lex.titles and t.pos_ in ("NOUN", "ADJ", "PROPN")]
        if titled and ments and titled[0].idx < ments[0][0]:
            close = [m for m in ments if self.np_distance(m, span) == 0]
            if close:  # "son directeur général, X": the name in apposition, whatever its type
                return close[0][2]
        if titled and (not ments or titled[0].idx < ments[0][0]):
            head = titled[0]
            sub = doc[max(head.left_edge.i, lo):min(head.right_edge.i, hi) + 1]
            who = self.title(sub if len(sub) else span, head, anchor)
            return who if who is not None else self.description(span, head, anchor, ments)
        if ments:
            ments.sort(key=lambda m: (_TYPE_RANK.get(m[2].type, 9), m[0]))
            return ments[0][2]
        if root.pos_ in ("NOUN", "PROPN") and root.text[:1].isupper() and root.i > span.start:
            return self.short_name(root, anchor)
        if root.lemma_.lower() in self.lex.anonymous or root.lower_ in self.lex.anonymous:
            return self.nationality(root)
        if root.pos_ == "NOUN" and any(c.dep_ == "det" and "Dem" in c.morph.get("PronType") for c in root.children) \
                and not ({root.lemma_.lower(), root.lower_} & (lex.documents | lex.anonymous)):
            # "explique cette habitante": the person the previous sentence is about
            gender = set(root.morph.get("Gender"))
            for pool in (self.subject_mentions(), self.d.ments):
                for ms, me, ent in reversed(pool):
                    if ms < span.start_char and span.start_char - ms < 600 and ent.type == "PER" \
                            and self.agrees(ent, gender) and self.d.in_accepted(ms) is None:
                        return ent
            return None
        if doc_head:
            # "le texte publié par X": the agent of the document's participle
            agent = _refs.passive_agent(span, lex.agent_preps)
            if agent is not None:
                ent = _refs.body_in(doc, *agent)
                if ent is not None:
                    return ent
            # "précise le texte": the body whose statement was reported before
            prev_pos = max((p for p, e in self.history if p <= anchor), default=None)
            prev = self.previous(anchor)
            if prev is not None and prev.type != "PER" and anchor - prev_pos < 1500:
                return prev
            for ms, me, ent in reversed(self.subject_mentions()):  # "L'OTAN a publié un texte. « … », indique le texte"
                if ms < span.start_char and ent.type in ("ORG", "GPE"):
                    return ent
        return None

    def description(self, span, head, anchor: int, ments) -> Optional[Entity]:
        """A title or a person noun the text ties to nobody by name ("le président
        russe", "la chancelière", "le militaire"): the holder of that office of
        that country in the article, else the country ("le ministre brésilien de
        la Défense" → Brésil, GUIDELINES §6), else, for a definite phrase, the
        person the article is talking about (its last subject of that gender)."""
        doc, lex = self.doc, self.lex
        gender = set(head.morph.get("Gender"))
        for t in span:
            if t.pos_ == "DET" and t.i < head.i:
                gender |= set(t.morph.get("Gender"))
        if len(gender) > 1:
            gender = set()
        from .kb import demonym

        code, country = None, None
        inside = self.d.ents_in(span.start_char, span.end_char)  # complements too, however deep
        gpes = sorted((m for m in inside if m[2].type == "GPE"), key=lambda m: m[0])
        if gpes:  # "les chefs de la diplomatie d'Iran et d'Oman": the first named
            country = gpes[0][2]
            code = country.kb_id
        else:
            for t in span:
                if t.i > head.i and t.pos_ == "ADJ":
                    code = demonym(t.text, lemma=t.lemma_)
                    if code:
                        country = _refs.country_entity(doc, code)
                        break
        key = _entities.role_key(doc, span)
        if key is not None:
            who = _refs.holder_in_text(doc, key, code, anchor, gender)
            if who is not None:
                return who
        if country is not None:
            return country
        if ments:
            return None
        definite = any(t.pos_ == "DET" and "Def" in t.morph.get("Definite") for t in span if t.i < head.i)
        if not definite or "Plur" in head.morph.get("Number"):
            return None
        for ms, me, ent in reversed(self.subject_mentions()):
            if ms < span.start_char and span.start_char - ms < 1500 and ent.type == "PER" \
                    and (not gender or self.agrees(ent, gender)):
                if key is not None and _refs.holds_other_office(doc, ent, key):
                    continue
                return ent
        return None

    def bare_name(self, m) -> bool:
        """A mention written right after its noun phrase's words with no
        preposition ("la chaîne publique NHK", not "un responsable du Hamas")."""
        t = self.d.tok_at(m[0])
        if t is None or t.i == 0:
            return False
        prev = self.doc[t.i - 1]
        return prev.pos_ not in ("ADP", "DET") and not prev.is_punct

    def nationality(self, head) -> Optional[Entity]:
        """"une source officielle américaine" → the country the adjective names,
        when the text names it."""
        try:
            from . import kb as _kb
        except ImportError:
            return None
        for c in head.children:
            if c.dep_ != "amod" or c.pos_ != "ADJ":
                continue
            code = _kb.demonym(c.lower_, lemma=c.lemma_.lower())
            if not code:
                continue
            for e in self.doc._.entities or []:
                if e.kb_id and e.kb_id.upper() == str(code).upper() and e.type in ("GPE", "ORG"):
                    return e
        return None

    def np_distance(self, m, span) -> int:
        """0 when mention ``m`` is the head of ``span`` or in apposition to it,
        more when it sits in a complement."""
        ms = self.doc.char_span(m[0], m[1], alignment_mode="expand")
        if ms is None:
            return 9
        t, root, cost = ms.root, span.root, 0
        for _ in range(6):
            if t.i == root.i or not (span.start <= t.i < span.end):
                break
            if t.dep_ not in ("appos", "flat:name", "flat", "fixed", "compound"):
                cost += 2
            t = t.head
        return cost

    def short_name(self, tok, anchor: int) -> Optional[Entity]:
        """"la Cour", "la Commission": the entity whose name starts with the
        word, the most mentioned one first."""
        w = tok.lower_
        best, key = None, None
        for e in self.doc._.entities or []:
            names = [e.name] + list(e.aliases or [])
            if not any(n.lower().split()[:1] == [w] for n in names if n):
                continue
            before = [m.start for m in e.mentions if m.start < anchor]
            k = (len(e.mentions), max(before) if before else -1)
            if key is None or k > key:
                best, key = e, k
        return best

    def title(self, span, head, anchor: int) -> Optional[Entity]:
        """The person a title phrase ("le secrétaire général de l'OTAN") names."""
        gender = set(head.morph.get("Gender"))
        for t in span:
            if t.pos_ == "DET" and t.i < head.i:
                gender |= set(t.morph.get("Gender"))
        ent = _entities.resolve(self.doc, span.start_char, span.end_char)
        words = {t.lemma_.lower() for t in span if t.is_alpha and t.pos_ in ("NOUN", "ADJ", "PROPN") and t.i >= head.i}
        words |= {t.lower_ for t in span if t.is_alpha and t.pos_ in ("NOUN", "ADJ", "PROPN") and t.i >= head.i}
        nouns = {t.lower_ for t in span if t.is_alpha and t.pos_ in ("NOUN", "PROPN") and t.i > head.i}
        if ent is not None and ent.type == "PER" and not (len(gender) == 1 and ent.gender and ent.gender not in gender):
            known = _name_words(ent) | {w for p, e, tw in self.title_index() if e is ent for w in tw}
            # a resolution that ignores a noun of the title ("du bureau de vote") is a guess
            if not (nouns - known):
                return ent
        best, best_pos = None, None
        for pos, ent, tw in self.title_index():
            if head.lemma_.lower() not in tw and head.lower_ not in tw:
                continue
            if words - tw:
                continue
            if len(gender) == 1 and ent.gender and ent.gender not in gender:
                continue
            if pos <= anchor and (best_pos is None or best_pos > anchor or pos > best_pos):
                best, best_pos = ent, pos
            elif best is None:
                best, best_pos = ent, pos
        return best

    def title_index(self):
        """(position, PER entity, words of a title in apposition) for the document."""
        if self.d._titles is not None:
            return self.d._titles
        out = []
        doc, d, lex = self.doc, self.d, self.lex
        for s, e, ent in d.ments:
            if ent.type != "PER":
                continue
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            r = span.root
            cands = []
            h = r.head
            if r.dep_ in ("appos", "nmod", "flat:name") and h.i != r.i and h.lemma_.lower() in lex.titles:
                own = {x.i for x in r.subtree}
                cands.append([t for t in h.subtree if not (span.start <= t.i < span.end) and t.i not in own])
            for c in r.children:
                if c.dep_ in ("appos", "nmod", "acl") and c.lemma_.lower() in lex.titles:
                    cands.append(list(c.subtree))
            # "le ministre X", "la ministre de Y, X", "X, ministre de Y": read without the parse
            k = span.start - 1
            if k >= 0 and doc[k].text == ",":
                k -= 1
            toks = []
            while k >= 0 and span.start - k <= 10 and not doc[k].is_punct and doc[k].pos_ not in ("VERB", "AUX"):
                toks.append(doc[k])
                if doc[k].lemma_.lower() in lex.titles and doc[k].pos_ == "NOUN":
                    cands.append(list(reversed(toks)))
                    break
                k -= 1
            k = span.end
            if k + 1 < len(doc) and doc[k].text == ",":
                k += 1
                if doc[k].pos_ == "DET":
                    k += 1
                if k < len(doc) and doc[k].lemma_.lower() in lex.titles and doc[k].pos_ == "NOUN":
                    toks = []
                    while k < len(doc) and len(toks) < 10 and not doc[k].is_punct and doc[k].pos_ not in ("VERB", "AUX"):
                        toks.append(doc[k])
                        k += 1
                    cands.append(toks)
            for toks in cands:
                words = {t.lemma_.lower() for t in toks if t.is_alpha} | {t.lower_ for t in toks if t.is_alpha}
                out.append((s, ent, words))
            for role in ent.roles or []:
                words = {w.lower() for w in re.findall(r"\w+", (role.title or "") + " " + (role.of or ""))}
                out.append((s, ent, words))
        d._titles = out
        return out

    def pronoun(self, tok, anchor: int) -> Optional[Entity]:
        """The entity a subject pronoun stands for."""
        gender = set(tok.morph.get("Gender"))
        plural = "Plur" in tok.morph.get("Number")
        prev_pos, prev = None, None
        for p, e in self.history:
            if p <= anchor:
                prev_pos, prev = p, e
        if prev is not None and not plural and self.agrees(prev, gender):
            rivals = [m for m in self.subject_mentions() if prev_pos < m[0] < tok.idx and m[2] is not prev
                      and m[2].type in ("PER", "ORG") and self.agrees(m[2], gender)]
            if not rivals:
                return prev
        if plural:
            return None
        for s, e, ent in reversed(self.subject_mentions()):
            if s < tok.idx and ent.type == "PER" and self.agrees(ent, gender) and tok.idx - s < 1500:
                return ent
        for s, e, ent in reversed(self.d.ments):  # a person just named, whatever its role
            if s < tok.idx and tok.idx - s < 400 and ent.type == "PER" and self.agrees(ent, gender) \
                    and self.d.in_accepted(s) is None:
                return ent
            if tok.idx - s >= 400:
                break
        ent = _entities.resolve(self.doc, tok.idx, tok.idx + len(tok))
        if ent is not None:
            return ent
        for s, e, ent in reversed(self.subject_mentions()):
            if s < tok.idx and ent.type in ("PER", "ORG", "GPE") and self.agrees(ent, gender):
                return ent
        for s, e, ent in reversed(self.d.ments):
            if s < tok.idx and ent.type == "PER" and self.agrees(ent, gender) and self.d.in_accepted(s) is None:
                return ent
        return None

    def agrees(self, ent: Entity, gender: set) -> bool:
        if len(gender) != 1:
            return True
        g = ent.gender or self.mention_gender(ent)
        return g is None or g in gender

    def mention_gender(self, ent: Entity) -> Optional[str]:
        if ent.type == "PER":
            return None
        for m in ent.mentions[:3]:
            t = self.d.tok_at(m.start)
            if t is None:
                continue
            det = self.doc[t.i - 1] if t.i > 0 else None
            for x in (det, t):
                if x is not None and x.pos_ == "DET":
                    g = x.morph.get("Gender")
                    if len(g) == 1:
                        return g[0]
            g = t.morph.get("Gender")
            if len(g) == 1 and t.pos_ == "NOUN":
                return g[0]
        return None

    def subject_mentions(self):
        if self.d._subject_ments is not None:
            return self.d._subject_ments
        out = []
        for s, e, ent in self.d.ments:
            if self.d.in_accepted(s) is not None:
                continue  # a name inside a quotation is not who speaks
            span = self.doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            t = span.root
            for _ in range(3):
                if t.dep_ in _SUBJ:
                    out.append((s, e, ent))
                    break
                if t.dep_ in ("appos", "flat:name", "nmod", "flat", "fixed", "compound", "conj") and t.head.i != t.i:
                    t = t.head
                    continue
                break
        self.d._subject_ments = out
        return out


def _is_aux(t) -> bool:
    return t.pos_ == "AUX" or t.dep_.startswith("aux")


def _name_words(ent: Entity) -> set[str]:
    out = set()
    for n in [ent.name] + list(ent.aliases or []):
        out |= {w.lower() for w in re.findall(r"\w+", n)}
    for role in ent.roles or []:
        out |= {w.lower() for w in re.findall(r"\w+", (role.title or "") + " " + (role.of or ""))}
    return out


@Language.factory("depeche_quotes", default_config={"lang": "fr"})
def make_quotes(nlp: Language, name: str, lang: str) -> QuoteFinder:
    return QuoteFinder(nlp, name, lang)
