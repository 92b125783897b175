"""Entities stage: spaCy's named entities corrected with the knowledge base
and merged into one record per referent.

Steps, per document:

1. candidate mentions: ``doc.ents`` cut to the name (elided articles,
   determiners, honorifics and titles left out; "OTAN maintenant" cut to
   "OTAN"; "Conseil OTAN" extended to "Conseil OTAN-Ukraine"), plus
   capitalised chunks the KB knows that spaCy missed;
2. filters: no mention in text damaged by truncation or site boilerplate,
   no calendar word, demonym, generic word or title alone;
3. typing: the KB type when the mention is linked, else spaCy's label with
   a few rules (a LOC the KB knows as a city or country is a GPE);
4. merging: same name, same KB record, surname of an earlier full name,
   acronym of an expansion, head word of an earlier organisation name,
   weak names ("l'Alliance") of a body already in the text;
5. roles: "le secrétaire général Jens Stoltenberg", "Dmytro Kuleba,
   ministre ukrainien des Affaires étrangères" give a text role; a linked
   person gets the KB offices held at the DCT.

Other stages use two functions of this module:

- ``entity_at(doc, start, end)``: the entity one of whose mentions overlaps
  the character span [start, end) of the doc, or None;
- ``resolve(doc, start, end)``: the entity a span refers to: a mention, a
  pronoun ("il", "elle") resolved by recency and gender, or a title
  ("le secrétaire général") resolved through roles; None when the text does
  not tell.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from spacy.language import Language

from . import lang as _lang
from .errors import DepecheError
from .model import Entity, Mention, Role

log = logging.getLogger(__name__)

QUALITY_CODES = ("truncated", "boilerplate")
# Population above which a bare city name in the KB is trusted for a link
# or a retyping even when spaCy's label disagrees.
BIG_CITY = 100_000
MAX_CHUNK = 6  # tokens in a capitalised chunk looked up in the KB
ROLE_KEYS = "depeche_entity_roles"  # doc.user_data: entity id -> [(role key, of name)]

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$|^[A-Z](?:\.[A-Z])+\.?$")
_HAS_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_JOIN = re.compile(r"([\-–/])(\w[\w'’]*)")
_WORDCHARS = re.compile(r"\w")


def _norm(s: str) -> str:
    from .kb import norm
    return norm(s)


# --------------------------------------------------------------------------
# language data


@dataclass
class _Lex:
    elided: frozenset
    leading: frozenset
    inner: frozenset
    hon_m: frozenset
    hon_f: frozenset
    hon_any: frozenset
    calendar: frozenset
    generic: frozenset
    loc_heads: frozenset
    org_heads: frozenset
    place_context: frozenset
    pron_m: frozenset
    pron_f: frozenset
    first_m: frozenset
    first_f: frozenset
    titles: dict = field(default_factory=dict)   # first token -> [(tokens, role key, title)]
    title_words: frozenset = frozenset()


@lru_cache(maxsize=None)
def _lex(lang: str) -> _Lex:
    e = _lang.load(lang, "entities")
    r = _lang.load(lang, "roles")
    low = lambda k: frozenset(w.lower() for w in e.get(k, []))  # noqa: E731
    titles: dict[str, list] = {}
    words = set()
    for key, phrases in r.get("titles", {}).items():
        for p in phrases:
            toks = tuple(_norm(t) for t in _split_title(p))
            toks = tuple(t for t in toks if t)
            if not toks:
                continue
            titles.setdefault(toks[0], []).append((toks, key, p))
            words.add(toks[0])
    for v in titles.values():
        v.sort(key=lambda x: -len(x[0]))
    fn = e.get("first_names", {})
    return _Lex(
        elided=low("elided"), leading=low("leading_function_words"), inner=low("name_inner_words"),
        hon_m=frozenset(e.get("honorifics_masc", [])), hon_f=frozenset(e.get("honorifics_fem", [])),
        hon_any=frozenset(e.get("honorifics_any", [])),
        calendar=frozenset(_norm(w) for w in e.get("weekdays", []) + e.get("months", [])
                           + e.get("month_abbreviations", [])),
        generic=frozenset(_norm(w) for w in e.get("generic", [])),
        loc_heads=frozenset(_norm(w) for w in e.get("loc_heads", [])),
        org_heads=frozenset(_norm(w) for w in e.get("org_heads", [])),
        place_context=frozenset(_norm(w) for w in e.get("place_context", [])),
        pron_m=low("pronouns_masc"), pron_f=low("pronouns_fem"),
        first_m=frozenset(_norm(w) for w in fn.get("masc", [])),
        first_f=frozenset(_norm(w) for w in fn.get("fem", [])),
        titles=titles, title_words=frozenset(words),
    )


_TITLE_SPLIT = re.compile(r"[\w\-]+'?|'")


def _split_title(p: str) -> list[str]:
    # "chef de l'État" -> chef, de, l', État (spaCy's tokens)
    return re.findall(r"\w+(?:-\w+)*'?|[^\w\s]", p.replace("’", "'"))


def _tnorm(tok) -> str:
    return _norm(tok.text)


# --------------------------------------------------------------------------
# the knowledge base (optional: the stage works without it)


_KB_FAILED = object()
_kb_cache: dict = {}


def _kb():
    kb = _kb_cache.get("kb")
    if kb is None:
        try:
            from . import kb as _kbmod
            kb = _kbmod.get()
        except (DepecheError, OSError, ImportError) as e:
            log.warning("knowledge base unavailable: %s", e)
            kb = _KB_FAILED
        _kb_cache["kb"] = kb
    return None if kb is _KB_FAILED else kb


# --------------------------------------------------------------------------
# candidate mentions


@dataclass
class _Cand:
    start: int          # token indices [start, end)
    end: int
    label: str          # spaCy label or "KB"
    gender: Optional[str] = None   # "Masc"/"Fem" from an honorific or title
    rec: object = None  # kb.Record
    typ: Optional[str] = None
    from_spacy: bool = True
    cut_end: Optional[int] = None  # a character end inside the last token ("KCNA.Le")

    def chars(self, doc) -> tuple[int, int]:
        e = doc[self.end - 1].idx + len(doc[self.end - 1].text)
        if self.cut_end is not None:
            e = min(e, self.cut_end)
        return doc[self.start].idx, e


_TEXT_KEY = "depeche_entities_text"


def _text(doc) -> str:
    """``doc.text``, computed once per call of the stage (spaCy joins the
    tokens at every access)."""
    t = doc.user_data.get(_TEXT_KEY)
    if t is None:
        return doc.text
    return t


def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (t[0].isdigit() and _HAS_UPPER.search(t) is not None))


class EntityLinker:
    def __init__(self, nlp: Language, name: str, lang: str = "fr"):
        self.lang = lang
        self.lex = _lex(lang)

    def __call__(self, doc):
        try:
            doc._.entities = self.find(doc)
        except DepecheError as e:  # a broken data file: no entities, said once in the log
            log.warning("entities stage: %s", e)
            doc._.entities = []
        return doc

    # -- quality spans ---------------------------------------------------
    def _bad_spans(self, doc) -> list[tuple[int, int]]:
        from . import clean as _clean
        spans = []
        try:
            for w in _clean.clean(_text(doc), self.lang).warnings:
                if w.code in QUALITY_CODES:
                    spans.append((w.start, w.end))
        except DepecheError:
            pass
        for w in doc._.warnings or []:
            if getattr(w, "code", None) in QUALITY_CODES:
                spans.append((w.start, w.end))
        return spans

    # -- main --------------------------------------------------------------
    def find(self, doc) -> list[Entity]:
        if len(doc) == 0:
            return []
        lex = self.lex
        kb = _kb()
        doc.user_data[_TEXT_KEY] = doc.text
        bad = self._bad_spans(doc)
        cands: list[_Cand] = []
        for ent in doc.ents:
            for c in self._cut(doc, ent.start, ent.end, ent.label_):
                cands.append(c)
        taken = [False] * len(doc)
        for c in cands:
            for i in range(c.start, c.end):
                taken[i] = True
        if kb is not None:
            for c in cands:
                self._kb_extend(doc, c, kb)
            cands.extend(self._kb_chunks(doc, taken, kb))
        cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
        # No overlaps: keep the first, longest.
        kept: list[_Cand] = []
        last_end = -1
        for c in cands:
            if c.start < last_end:
                continue
            s, e = c.chars(doc)
            if any(s < be and bs < e for bs, be in bad):
                continue
            kept.append(c)
            last_end = c.end
        kept = self._join_adjacent(doc, kept)
        if kb is not None:
            for c in kept:
                if c.rec is None:
                    c.rec = self._link(doc, c, kb, None)
        kept = [c for c in kept if self._acceptable(doc, c)]
        if kb is not None:
            strong: set = set()
            for c in kept:
                if c.rec is not None and not c.rec.weak:
                    strong.add(c.rec.key)
                    if c.rec.part_of:
                        strong.add(c.rec.part_of)
            for c in kept:
                if c.rec is None:
                    c.rec = self._link(doc, c, kb, strong)
                    if c.rec is None:
                        c.rec = self._link(doc, c, kb, None, small=True)
        for c in kept:
            self._type(doc, c, kb)
        kept = [c for c in kept if c.typ]
        ents = self._merge(doc, kept, kb)
        self._roles(doc, ents, kept, kb)
        doc.user_data.pop(_TEXT_KEY, None)
        return ents

    # -- cutting spaCy's spans to names -------------------------------------
    def _cut(self, doc, start: int, end: int, label: str) -> list[_Cand]:
        lex = self.lex
        gender = None
        # Strip leading function words, elided articles, honorifics.
        while start < end:
            t = doc[start]
            low = t.text.lower()
            if low in lex.elided or low in lex.leading or t.is_punct or t.is_space:
                start += 1
                continue
            if t.text in lex.hon_m or t.text in lex.hon_f or t.text in lex.hon_any:
                if t.text in lex.hon_m:
                    gender = "Masc"
                elif t.text in lex.hon_f:
                    gender = "Fem"
                start += 1
                label = "PER" if label in ("PER", "MISC", "LOC", "ORG") else label
                continue
            break
        if start < end and label in ("MISC", "ORG", "LOC") and _tnorm(doc[start]) in lex.place_context:
            # "Sommet de la paix de Charm el-Cheikh": the place after the last "de"
            for i in range(end - 2, start, -1):
                if doc[i].lower_ in ("de", "d'", "du") and _is_cap(doc[i + 1]):
                    return self._cut(doc, i + 1, end, "GPE_CTX")
        if label == "MISC" and end - start == 1 and _ACRONYM.match(doc[start].text):
            label = "ORG"  # "(AFP)", "(WAM)"
        # A title at the start: "ministres des Affaires étrangères de l'OTAN",
        # "secrétaire général Jens Stoltenberg".
        if start < end:
            first = doc[start]
            fn = _tnorm(first)
            lower_start = not _is_cap(first)
            if lower_start or fn in lex.title_words or fn[:-1] in lex.title_words:
                m = self._title_at(doc, start, end)
                if m is not None and m[0] <= end:
                    t_end = m[0]
                    g = _gender_of_token(first)
                    rest = t_end
                    # "de l'OTAN": the complement is a name of its own.
                    while rest < end and (doc[rest].lower_ in lex.elided or doc[rest].lower_ in lex.leading
                                          or doc[rest].is_punct):
                        rest += 1
                    if rest >= end:
                        return []
                    if rest == t_end:  # "secrétaire général Jens Stoltenberg"
                        sub = self._cut(doc, rest, end, "PER" if label in ("PER", "MISC") else label)
                        for c in sub:
                            if c.label == "PER":
                                c.gender = c.gender or g
                        return sub
                    return self._cut(doc, rest, end, "ORG_OF")
                if lower_start:
                    if fn in lex.loc_heads and label in ("LOC", "MISC", "GPE"):
                        label = "LOC"  # "aéroport Félix Houphouët-Boigny", "mer Noire"
                    elif not (label in ("ORG", "ORG_OF") and fn in lex.org_heads):
                        caps = [i for i in range(start, end) if _is_cap(doc[i])]
                        if not caps:
                            return []
                        return self._cut(doc, caps[0], end, label)
        # Trailing words that are not part of a name ("OTAN maintenant").
        while end > start:
            t = doc[end - 1]
            if t.is_punct and t.text not in (")",) or t.is_space:
                end -= 1
                continue
            if not _is_cap(t) and t.pos_ in ("ADV", "VERB", "AUX", "PRON", "DET", "ADP", "CCONJ", "SCONJ", "NUM") \
                    and not t.text[:1].isdigit():
                end -= 1
                continue
            if t.text.lower() in lex.inner or t.text.lower() in lex.elided:
                end -= 1
                continue
            if end - start > 1 and t.like_num and len(t.text) == 4 and t.text.isdigit():
                end -= 1  # "OTAN 2030": a year after a name
                continue
            break
        if end <= start:
            return []
        # "Union européenne (UE)": two mentions.
        for i in range(start, end):
            if doc[i].text == "(":
                out = self._cut(doc, start, i, label)
                j = i + 1
                k = j
                while k < end and doc[k].text != ")":
                    k += 1
                if k > j:
                    out += self._cut(doc, j, k, label)
                return out
        # "Conseil OTAN" + "-Ukraine": extend over a joined word.
        end = self._extend_joined(doc, end)
        # "aéroport" + "Félix Houphouët-Boigny" (spaCy: PER): a named place.
        if start > 0 and label in ("PER", "LOC", "MISC") and _tnorm(doc[start - 1]) in lex.loc_heads \
                and not _is_cap(doc[start - 1]):
            start -= 1
            label = "LOC"
        cand = _Cand(start, end, label, gender)
        # "KCNA.Le": a sentence glued to a name
        last = doc[end - 1]
        k = last.text.find(".")
        if 0 < k < len(last.text) - 1 and last.text[k + 1].isupper() and end - start >= 1:
            if end - start == 1 and k < 2:
                return []
            cand.cut_end = last.idx + k
        return [cand]

    def _extend_joined(self, doc, end: int) -> int:
        while end < len(doc) and not doc[end - 1].whitespace_:
            t = doc[end]
            if t.text in ("-", "–") and not t.whitespace_ and end + 1 < len(doc) and _is_cap(doc[end + 1]):
                end += 2
            elif t.text == "+" and end + 1 < len(doc) and doc[end + 1].text[:1].isdigit():
                end += 2  # "P5+1"
            elif t.text[:1] in ("-", "–", "+") and len(t.text) > 1 and (t.text[1].isupper() or t.text[1].isdigit()):
                end += 1
            else:
                break
        return end

    def _title_at(self, doc, i: int, limit: int):
        """A role title starting at token i: (end token, role key, title, demonym)."""
        lex = self.lex
        if i >= len(doc):
            return None
        first = _tnorm(doc[i])
        opts = list(lex.titles.get(first, ()))
        if first.endswith("s"):
            opts += lex.titles.get(first[:-1], ())
        if not opts:
            return None
        opts.sort(key=lambda x: -len(x[0]))
        from .kb import demonym
        for toks, key, title in opts:
            j, k, dem = i + 1, 1, None
            ok = True
            while k < len(toks):
                if j >= len(doc):
                    ok = False
                    break
                tn = _tnorm(doc[j])
                if tn == toks[k] or (tn.endswith("s") and tn[:-1] == toks[k]):
                    j += 1
                    k += 1
                    continue
                if dem is None and doc[j].pos_ == "ADJ":
                    d = demonym(doc[j].text, self.lang, doc[j].lemma_)
                    if d:
                        dem = d
                        j += 1
                        continue
                ok = False
                break
            if not ok:
                continue
            if dem is None and j < len(doc) and doc[j].pos_ == "ADJ":
                d = demonym(doc[j].text, self.lang, doc[j].lemma_)
                if d:
                    dem = d
                    j += 1
            return j, key, title, dem
        return None

    def _kb_extend(self, doc, c: _Cand, kb) -> None:
        """Extend a mention to a longer name the KB knows: "Conseil de
        sécurité des Nations" + "unies", "département du" + "Trésor"."""
        if c.cut_end is not None:
            return
        best = None
        n = len(doc)
        for left in range(0, 4):
            s = c.start - left
            if s < 0:
                break
            if left and (doc[s].is_punct or doc[s].is_space or doc[s].is_sent_end
                         or doc[s].lower_ in self.lex.elided or doc[s].lower_ in self.lex.leading):
                break
            for right in range(3, -1, -1):
                e = c.end + right
                if e > n or (left == 0 and right == 0):
                    continue
                if any((doc[k].is_punct and doc[k].text not in ("-", "'")) or doc[k].is_space
                       for k in range(c.end, e)):
                    continue
                text = _text(doc)[doc[s].idx:doc[e - 1].idx + len(doc[e - 1].text)]
                rec = kb.lookup(text)
                if rec is not None and rec.type in ("ORG", "GPE", "LOC", "PER") and rec.kind != "city":
                    if best is None or (e - s) > (best[1] - best[0]):
                        best = (s, e, rec)
                    break
        if best is not None:
            c.start, c.end, c.rec = best
            if c.label in ("MISC", "PER") and best[2].type != "PER":
                c.label = best[2].type

    def _join_adjacent(self, doc, cands: list[_Cand]) -> list[_Cand]:
        """"Mateusz" + "Morawiecki": a first name spaCy cut off its surname."""
        out: list[_Cand] = []
        for c in cands:
            if out:
                p = out[-1]
                if p.end == c.start and p.end - p.start == 1 and c.rec is None and p.rec is None \
                        and _norm(doc[p.start].text) in (self.lex.first_m | self.lex.first_f) \
                        and doc[p.start].whitespace_ and _is_cap(doc[c.start]):
                    p.end = c.end
                    p.label = "PER"
                    p.cut_end = c.cut_end
                    continue
            out.append(c)
        return out

    # -- KB chunks spaCy missed -------------------------------------------
    def _kb_chunks(self, doc, taken, kb) -> list[_Cand]:
        out = []
        n = len(doc)
        i = 0
        lex = self.lex
        while i < n:
            t = doc[i]
            if taken[i] or not _is_cap(t) or t.is_sent_start and t.pos_ not in ("PROPN",) and not _ACRONYM.match(t.text):
                i += 1
                continue
            # longest chunk from i the KB knows
            found = None
            j = i
            last_cap = i
            while j < n and j - i < MAX_CHUNK and not taken[j]:
                tj = doc[j]
                if _is_cap(tj):
                    last_cap = j
                elif tj.text.lower() not in lex.inner and tj.text not in ("-",):
                    break
                j += 1
            for e in range(last_cap + 1, i, -1):
                if not _is_cap(doc[e - 1]):
                    continue
                text = doc[i:e].text
                rec = kb.lookup(text)
                if rec is None:
                    continue
                if rec.weak:
                    continue
                if rec.kind == "city" and (rec.population or 0) < BIG_CITY and not (
                        rec.quality == 0 and i > 0 and doc[i - 1].lower_ in ("à", "a")):
                    continue
                found = _Cand(i, e, "KB", rec=rec, from_spacy=False)
                break
            if found is not None:
                out.append(found)
                i = found.end
            else:
                i += 1
        return out

    # -- filters -----------------------------------------------------------
    def _acceptable(self, doc, c: _Cand) -> bool:
        lex = self.lex
        span = doc[c.start:c.end]
        text = span.text
        n = _norm(text)
        if not n or not _WORDCHARS.search(text):
            return False
        if not _HAS_UPPER.search(text) and not (c.label == "ORG" and _norm(doc[c.start].text) in lex.org_heads):
            return False
        if n in lex.calendar or all(_norm(t.text) in lex.calendar for t in span if not t.is_punct):
            return False
        if n in lex.generic or len(n) < 2:
            return False
        caps = [t for t in span if _is_cap(t)]
        if caps and all(_norm(t.text) in lex.generic for t in caps) and c.rec is None:
            return False
        if len(span) == 1 and (span[0].lower_ in lex.leading or span[0].lower_ in lex.inner):
            return False
        if len(span) <= 2:
            from .kb import demonym
            lemma = span[0].lemma_ if len(span) == 1 else None
            if demonym(text, self.lang, lemma) and (c.rec is None or c.rec.kind != "country"):
                return False
        if len(span) == 1 and _norm(span[0].text) in lex.title_words:
            return False
        return True

    # -- typing -------------------------------------------------------------
    def _type(self, doc, c: _Cand, kb) -> None:
        lex = self.lex
        span = doc[c.start:c.end]
        text = span.text
        rec = c.rec
        label = c.label
        if rec is not None and not rec.weak:
            c.typ = rec.type
            return
        head = _norm(span[0].text)
        if label == "PER":
            c.typ = "PER"
        elif label in ("ORG", "ORG_OF"):
            c.typ = "ORG"
            if label == "ORG_OF" and rec is None and head not in lex.org_heads and len(span) == 1:
                c.typ = "ORG"
        elif label == "GPE_CTX":
            c.typ = rec.type if rec is not None and not rec.weak else "GPE"
        elif label == "LOC":
            if head in lex.org_heads and len(span) > 1:
                c.typ = "ORG"
            elif head in lex.loc_heads:
                c.typ = "LOC"
            elif rec is not None and rec.type in ("GPE", "LOC"):
                c.typ = rec.type
            else:
                c.typ = self._loc_or_gpe(doc, c)
        elif label == "KB" and rec is not None:
            c.typ = rec.type
        else:
            c.typ = None
        if rec is not None and rec.weak and c.typ is None:
            c.typ = rec.type

    def _loc_or_gpe(self, doc, c: _Cand) -> str:
        """An unknown place: a GPE when the text treats it as a town ("à X",
        "ville de X"), else a LOC."""
        lex = self.lex
        i = c.start - 1
        if i >= 0 and doc[i].lower_ in ("à", "a"):
            return "GPE"
        if i >= 1 and doc[i].lower_ in ("de", "d'") and _norm(doc[i - 1].text) in lex.place_context:
            return "GPE"
        return "LOC"

    def _link(self, doc, c: _Cand, kb, context: Optional[set], small: bool = False):
        """The KB record a mention names, when the evidence supports it.
        Weak names ("l'Alliance") link only to a body in ``context`` (the
        KB keys the text names strongly), in the second pass."""
        s, e = c.chars(doc)
        text = _text(doc)[s:e]
        cands = kb.candidates(text, weak=True)
        if not cands:
            return None
        single = len(doc[c.start:c.end]) == 1
        if context is not None:
            for r in cands:
                if r.weak and (r.key in context or (r.part_of and r.part_of in context)):
                    rivals = [x for x in cands if not x.weak and (
                        x.kind == "country" or x.type in ("ORG", "PER")
                        or (x.population or 0) >= 5 * BIG_CITY)]
                    if not rivals:
                        return r
            return None
        has_weak = any(r.weak for r in cands)
        for r in cands:
            if r.weak:
                continue
            if r.kind == "city" and (r.population or 0) < BIG_CITY and (
                    r.quality >= 2 or (has_weak and not small)):
                continue
            if c.label == "PER":
                if r.type == "PER":
                    return r
                if r.kind == "country":
                    if c.gender is None:
                        return r
                    continue
                if r.kind == "city" and single and c.gender is None and (r.population or 0) >= BIG_CITY:
                    return r
                continue
            if c.label == "LOC":
                return r
            if c.label in ("ORG", "ORG_OF"):
                if r.type == "ORG" or r.kind == "country":
                    return r
                if r.type in ("GPE", "LOC") and r.kind != "city":
                    return r
                if r.kind == "city" and (r.population or 0) >= BIG_CITY and single:
                    return r
                continue
            if c.label == "MISC":
                if r.kind == "city" and (r.population or 0) < BIG_CITY:
                    continue
                return r
            return r
        return None

    # -- merging ------------------------------------------------------------
    def _merge(self, doc, cands: list[_Cand], kb) -> list[Entity]:
        lex = self.lex
        groups: list[dict] = []
        by_norm: dict[str, dict] = {}
        by_key: dict[str, dict] = {}

        def new_group(c, text, n):
            g = {"cands": [c], "names": [text], "norms": {n}, "type": c.typ, "rec": None, "gender": c.gender,
                 "types": [c.typ]}
            if c.rec is not None and not c.rec.weak:
                g["rec"] = c.rec
                by_key[c.rec.key] = g
            groups.append(g)
            by_norm.setdefault(n, g)
            return g

        def add(g, c, text, n):
            g["cands"].append(c)
            g["names"].append(text)
            g["norms"].add(n)
            g["types"].append(c.typ)
            by_norm.setdefault(n, g)
            if g["rec"] is None and c.rec is not None and not c.rec.weak:
                g["rec"] = c.rec
                by_key.setdefault(c.rec.key, g)
            if g["gender"] is None:
                g["gender"] = c.gender

        for c in cands:
            s, e = c.chars(doc)
            text = _text(doc)[s:e]
            n = _norm(text)
            g = by_norm.get(n)
            if g is None and c.rec is not None:
                g = by_key.get(c.rec.key)
            if g is None and c.rec is not None and c.rec.weak:
                # weak name ("Alliance"): only a body already in the text
                g = by_key.get(c.rec.key)
                if g is None:
                    c.rec = None
            if g is None:
                g = self._match_partial(doc, c, n, groups)
            if g is None:
                # "(UE)" right after "Union européenne"
                g = self._match_acronym(doc, c, text, groups)
            if g is not None:
                add(g, c, text, n)
            else:
                new_group(c, text, n)
        ents = []
        for g in groups:
            typ = _vote(g)
            if typ is None:
                continue
            rec = g["rec"]
            name = self._canonical(g, typ)
            mentions = []
            seen = set()
            for c in g["cands"]:
                s, e = c.chars(doc)
                if (s, e) not in seen:
                    seen.add((s, e))
                    mentions.append(Mention(s, e, _text(doc)[s:e]))
            mentions.sort(key=lambda m: m.start)
            aliases = []
            for nm in g["names"]:
                if nm != name and nm not in aliases:
                    aliases.append(nm)
            gender = g["gender"]
            if typ == "PER":
                if rec is not None and rec.gender:
                    gender = "Masc" if rec.gender == "m" else "Fem"
                elif gender is None:
                    gender = self._name_gender(name)
            else:
                gender = None
            ent = Entity(id=f"e{len(ents) + 1}", name=name, type=typ,
                         kb_id=rec.ident if rec is not None else None,
                         mentions=mentions, aliases=aliases, gender=gender)
            ent._rec = rec  # noqa: SLF001 (private: the KB record, for roles)
            ents.append(ent)
        return ents

    def _canonical(self, g: dict, typ: str) -> str:
        names = g["names"]
        if typ == "PER":
            # The longest full form ("Jens Stoltenberg" over "Stoltenberg").
            best = names[0]
            for nm in names:
                if len(nm.split()) > len(best.split()):
                    best = nm
            return best
        first = names[0]
        if first.isupper() and len(first) > 4:
            for nm in names:
                if not nm.isupper():
                    first = nm
                    break
        if _ACRONYM.match(first):
            for nm in names:
                if not _ACRONYM.match(nm) and len(nm.split()) > 1:
                    rec = g["rec"]
                    return first if rec is not None and _norm(rec.name) == _norm(first) else nm
        return first

    def _match_partial(self, doc, c: _Cand, n: str, groups: list[dict]):
        toks = n.split()
        if not toks:
            return None
        if c.typ == "PER":
            best = None
            for g in groups:
                if g["type"] != "PER":
                    continue
                for gn in g["norms"]:
                    gt = gn.split()
                    if gt == toks:
                        return g
                    if len(toks) < len(gt) and (gt[-len(toks):] == toks or gt[:len(toks)] == toks):
                        best = best or g
                    elif len(gt) < len(toks) and (toks[-len(gt):] == gt):
                        # earlier "Stoltenberg", now "Jens Stoltenberg"
                        best = best or g
            return best
        if len(toks) == 1 and doc[c.start].text[:1].isupper() and (
                c.typ == "ORG" or toks[0] in self.lex.org_heads):
            kb = _kb()
            for g in reversed(groups):
                if g["type"] != "ORG":
                    continue
                names = set(g["norms"])
                if g["rec"] is not None and kb is not None:
                    names.update(_norm(x) for x in _kb_names(kb, g["rec"].key))
                for gn in names:
                    gt = gn.split()
                    if len(gt) > 1 and gt[0] == toks[0]:
                        c.typ = "ORG"
                        return g
        return None

    def _match_acronym(self, doc, c: _Cand, text: str, groups: list[dict]):
        if not _ACRONYM.match(text.replace(".", "")) and not _ACRONYM.match(text):
            return None
        letters = text.replace(".", "").lower()
        # right after "(" following a mention
        if c.start >= 1 and doc[c.start - 1].text == "(":
            prev_end = doc[c.start - 1].idx
            for g in groups:
                for pc in g["cands"]:
                    s, e = pc.chars(doc)
                    if e <= prev_end and prev_end - e <= 1:
                        return g
        for g in groups:
            if g["type"] not in ("ORG", "GPE"):
                continue
            for nm in g["names"]:
                words = [w for w in re.split(r"[\s\-']+", nm) if w]
                initials = "".join(w[0] for w in words if w[0].isupper()).lower()
                allinit = "".join(w[0] for w in words if w.lower() not in self.lex.inner).lower()
                if len(letters) >= 2 and letters in (initials, allinit):
                    return g
        return None

    def _name_gender(self, name: str) -> Optional[str]:
        first = _norm(name.split()[0]) if name.split() else ""
        if first in self.lex.first_m:
            return "Masc"
        if first in self.lex.first_f:
            return "Fem"
        return None

    # -- roles ----------------------------------------------------------------
    def _roles(self, doc, ents: list[Entity], cands: list[_Cand], kb) -> None:
        lex = self.lex
        by_tok: dict[int, Entity] = {}
        for e in ents:
            for m in e.mentions:
                sp = doc.char_span(m.start, m.end, alignment_mode="expand")
                if sp is not None:
                    for i in range(sp.start, sp.end):
                        by_tok[i] = e
        keys: dict[str, list] = {}
        for e in ents:
            if e.type != "PER":
                continue
            for m in e.mentions:
                sp = doc.char_span(m.start, m.end, alignment_mode="expand")
                if sp is None:
                    continue
                for role in self._text_roles(doc, sp.start, sp.end, by_tok):
                    key, title, of = role
                    if not any(r.title == title and r.of == of for r in e.roles):
                        e.roles.append(Role(title, of, "text"))
                        keys.setdefault(e.id, []).append((key, of))
                    if e.gender is None:
                        g = role[3] if len(role) > 3 else None
            rec = getattr(e, "_rec", None)
            if kb is not None and rec is not None and rec.type == "PER":
                try:
                    offices = kb.roles(rec, doc._.dct) if doc._.dct else []
                except DepecheError:
                    offices = []
                for off in offices:
                    of_name = _of_name(kb, off.of)
                    title = off.title or off.role
                    if not any(r.title == title and r.source == "kb" for r in e.roles):
                        e.roles.append(Role(title, of_name, "kb"))
                        keys.setdefault(e.id, []).append((off.role, of_name))
        for e in ents:
            if hasattr(e, "_rec"):
                try:
                    delattr(e, "_rec")
                except AttributeError:
                    pass
        doc.user_data[ROLE_KEYS] = keys

    def _text_roles(self, doc, start: int, end: int, by_tok) -> list[tuple]:
        """Titles written next to a person mention [start, end)."""
        out = []
        sent_start = doc[start].sent.start if doc.has_annotation("SENT_START") else max(0, start - 12)
        # Before: "le secrétaire général Jens Stoltenberg", "le ministre
        # ukrainien des Affaires étrangères, Dmytro Kuleba"
        for i in range(max(sent_start, start - 12), start):
            m = self._title_at(doc, i, start)
            if m is None:
                continue
            t_end, key, title, dem = m
            j, of = self._complement(doc, t_end, start, by_tok, dem)
            while j < start and (doc[j].is_punct or doc[j].text in self.lex.hon_m or doc[j].text in self.lex.hon_f):
                j += 1
            if j == start:
                out.append((key, _title_text(title), of))
                break
        # After: "Dmytro Kuleba, ministre ukrainien des Affaires étrangères"
        j = end
        if j < len(doc) and doc[j].text == ",":
            j += 1
            while j < len(doc) and doc[j].lower_ in self.lex.leading and doc[j].pos_ == "DET":
                j += 1
            m = self._title_at(doc, j, len(doc))
            if m is not None:
                t_end, key, title, dem = m
                _, of = self._complement(doc, t_end, len(doc), by_tok, dem)
                out.append((key, _title_text(title), of))
        return out

    def _complement(self, doc, i: int, limit: int, by_tok, dem) -> tuple[int, Optional[str]]:
        """After a title: "de l'OTAN" -> the OTAN entity's name; else the demonym's country."""
        of = None
        j = i
        while j < limit and doc[j].lower_ in self.lex.leading | self.lex.elided and doc[j].lower_ not in (",",):
            j += 1
        if j < limit and j > i and j in by_tok:
            e = by_tok[j]
            if e.type in ("ORG", "GPE"):
                of = e.name
                while j < limit and by_tok.get(j) is e:
                    j += 1
                return j, of
        if dem:
            kb = _kb()
            of = _of_name(kb, dem) if kb is not None else dem
        return i, of


@lru_cache(maxsize=4096)
def _kb_names_cached(kb_id: int, key: str) -> tuple:
    kb = _kb()
    return tuple(kb.names(key)) if kb is not None else ()


def _kb_names(kb, key: str) -> tuple:
    return _kb_names_cached(id(kb), key)


def _title_text(title: str) -> str:
    return title


def _of_name(kb, of: Optional[str]) -> Optional[str]:
    if not of:
        return None
    return _of_name_cached(id(kb), of)


@lru_cache(maxsize=4096)
def _of_name_cached(kb_id: int, of: str) -> str:
    kb = _kb()
    try:
        r = kb.get(of) if kb is not None else None
    except DepecheError:
        r = None
    return r.name if r is not None else of


def _gender_of_token(tok) -> Optional[str]:
    g = tok.morph.get("Gender")
    if g:
        return "Masc" if g[0] == "Masc" else "Fem" if g[0] == "Fem" else None
    return None


def _vote(g: dict) -> Optional[str]:
    rec = g["rec"]
    if rec is not None:
        return rec.type
    types = [t for t in g["types"] if t]
    if not types:
        return None
    # the first mention's type, unless most others disagree
    counts = {t: types.count(t) for t in types}
    best = max(counts.values())
    if counts.get(types[0]) == best:
        return types[0]
    return max(counts, key=lambda t: counts[t])


# --------------------------------------------------------------------------
# API for the other stages


def entity_at(doc, start: int, end: int) -> Optional[Entity]:
    """The entity with a mention overlapping [start, end), the longest overlap first."""
    best, best_ov = None, 0
    for e in doc._.entities or []:
        for m in e.mentions:
            ov = min(end, m.end) - max(start, m.start)
            if ov > best_ov:
                best, best_ov = e, ov
    return best


def _last_mention_before(e: Entity, pos: int) -> int:
    last = -1
    for m in e.mentions:
        if m.end <= pos and m.start > last:
            last = m.start
    return last


def resolve(doc, start: int, end: int) -> Optional[Entity]:
    """The entity the span [start, end) refers to, or None."""
    try:
        return _resolve(doc, start, end)
    except DepecheError:
        return None


def _resolve(doc, start: int, end: int) -> Optional[Entity]:
    hit = entity_at(doc, start, end)
    ents = doc._.entities or []
    lang = "fr"
    lex = _lex(lang)
    text = doc.text[start:end].strip()
    low = text.lower()
    # strip leading determiners
    words = low.split()
    while words and (words[0] in lex.leading):
        words = words[1:]
    low = " ".join(words)
    if hit is not None:
        # a title that contains a mention of its body ("le secrétaire général
        # de l'OTAN") is resolved as a title below
        sp = doc.char_span(start, end, alignment_mode="expand")
        if sp is None or not any(_tnorm(t) in lex.title_words for t in sp[:2]) or hit.type == "PER":
            return hit
    if low in lex.pron_m or low in lex.pron_f:
        want = "Masc" if low in lex.pron_m else "Fem"
        return _recent_person(ents, start, want)
    sp = doc.char_span(start, end, alignment_mode="expand")
    if sp is None:
        return hit
    i = sp.start
    while i < sp.end and (sp.doc[i].lower_ in lex.leading or sp.doc[i].lower_ in lex.elided):
        i += 1
    linker = EntityLinker.__new__(EntityLinker)
    linker.lang = lang
    linker.lex = lex
    m = linker._title_at(doc, i, sp.end) if i < sp.end else None
    if m is None:
        return hit
    t_end, key, title, dem = m
    by_tok = {}
    for e in ents:
        for mm in e.mentions:
            s2 = doc.char_span(mm.start, mm.end, alignment_mode="expand")
            if s2 is not None:
                for k in range(s2.start, s2.end):
                    by_tok[k] = e
    _, of = linker._complement(doc, t_end, max(sp.end, t_end), by_tok, dem)
    roles = doc.user_data.get(ROLE_KEYS, {}) if hasattr(doc, "user_data") else {}
    kb = _kb()
    from . import kb as _kbmod
    eqs = set(_kbmod._role_equivalents(key))  # noqa: SLF001
    best, best_pos = None, -2
    for e in ents:
        if e.type != "PER":
            continue
        for rk, rof in roles.get(e.id, []):
            if (rk == key or rk in eqs) and (of is None or rof is None or _norm(rof) == _norm(of)):
                pos = _last_mention_before(e, start)
                if pos > best_pos:
                    best, best_pos = e, pos
    if best is not None:
        return best
    # The KB: who held the office at the DCT?
    if kb is not None and doc._.dct and of is not None:
        rec = kb.holder(key, _of_key(kb, of), doc._.dct)
        if rec is not None:
            for e in ents:
                if e.type == "PER" and (e.kb_id and e.kb_id == rec.ident or _norm(e.name) == _norm(rec.name)):
                    return e
            # Not named in the text: a new entity for it, with the title as its mention.
            ent = Entity(id=f"e{len(ents) + 1}", name=rec.name, type="PER", kb_id=rec.ident,
                         mentions=[Mention(start, end, doc.text[start:end])],
                         roles=[Role(_title_text(title), of, "kb")],
                         gender=("Masc" if rec.gender == "m" else "Fem" if rec.gender == "f" else None))
            if doc._.entities is None:
                doc._.entities = []
            doc._.entities.append(ent)
            doc.user_data.setdefault(ROLE_KEYS, {})[ent.id] = [(key, of)]
            return ent
    return hit


def _of_key(kb, of: str) -> Optional[str]:
    r = kb.lookup(of)
    if r is None:
        return of
    if r.kind == "country" and r.country:
        return r.country
    return r.key


def _recent_person(ents: list[Entity], pos: int, gender: Optional[str]) -> Optional[Entity]:
    best, best_pos = None, -1
    fallback, fb_pos = None, -1
    for e in ents:
        if e.type != "PER":
            continue
        p = _last_mention_before(e, pos)
        if p < 0:
            continue
        if e.gender == gender:
            if p > best_pos:
                best, best_pos = e, p
        elif e.gender is None and p > fb_pos:
            fallback, fb_pos = e, p
    if best is None:
        return fallback
    if fallback is not None and fb_pos > best_pos:
        return fallback
    return best


@Language.factory("depeche_entities", default_config={"lang": "fr"})
def make_entities(nlp: Language, name: str, lang: str) -> EntityLinker:
    return EntityLinker(nlp, name, lang)
