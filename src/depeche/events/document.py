"""Per-article records of the events stage: an argument (``_Arg``), a trigger
candidate (``_Cand``), and ``_Doc``, the article's indexes (token → entity,
token → time, sentence windows, bodies and the salient one, the speakers
the quotes stage found), with the optional knowledge base behind them."""
from __future__ import annotations

import bisect
import sqlite3
from dataclasses import dataclass
from typing import Optional

from .. import entities as _entities
from ..errors import DepecheError, KBError
from ..model import Entity, Mention
from ..nlp import base_ents, state, token_index
from .parse import _lemma
from .words import Lexicon


# What the optional knowledge base may raise when it is absent or unbuilt.
_KB_ERRORS = (DepecheError, ImportError, OSError, sqlite3.Error)


def _the_kb():
    """The KB the entities stage opened (once per process); KBError when it could not."""
    kb = _entities.kb_or_none()
    if kb is None:
        raise KBError("the knowledge base is unavailable")
    return kb


ACTOR_TYPES = ("PER", "ORG", "GPE")
PLACE_TYPES = ("GPE", "LOC")


SPACY_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "GPE", "GPE": "GPE"}


def _norm(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").lower().split())


@dataclass
class _Arg:
    """An argument: an entity of the article, or a body with no entity."""
    name: str
    id: Optional[str] = None
    type: Optional[str] = None


@dataclass
class _Cand:
    type: str
    tokens: list          # trigger tokens (first is the head of the act)
    head: object          # the token the arguments hang from
    is_noun: bool
    forced_mode: Optional[str] = None
    paired: bool = False  # found by a [[pair]]: the pair names the act, no party needed


class _Doc:
    """Per-document indexes: token → entity, token → timex, salient body."""

    def __init__(self, doc, lex: Lexicon):
        self.doc = doc
        self.lex = lex
        self.text = doc.text
        self.lemmas = [_lemma(t) for t in doc]
        st = state(doc)
        ents = list(st.entities or [])
        # spaCy's own spans only when the entities stage did not run (a user's
        # pipeline); when it ran and found nothing, no party is invented
        self.fallback = st.entities is None
        if self.fallback:
            ents = self._spacy_entities(doc)
        self.entities = ents
        self.tok_ent: dict[int, Entity] = token_index(doc, ents) if self.fallback else _entities.entity_index(doc)
        self.tok_time: dict[int, object] = token_index(doc, st.times or [])
        self._salient = None
        self._country_cache: dict[str, bool] = {}
        self._resolved: dict[tuple[int, int], Optional[Entity]] = {}
        self.subjects = None
        # Sentences from the doc's view; windows cut them at line breaks.
        self.sent_starts: list[int] = []
        self.sent_start_of: list[int] = doc.sent_start_of
        self.win: list[tuple[int, int]] = [(0, 0)] * len(doc)
        for sent in self._sentences(doc):
            self.sent_starts.append(sent.start)
            lo = sent.start
            # Windows: the sentence cut at line breaks (the parser sometimes
            # runs a heading or a paragraph into the next).
            cuts = [i for i in range(sent.start, sent.end) if doc[i].is_space and "\n" in doc[i].text]
            bounds = [lo] + [c + 1 for c in cuts]
            ends = cuts + [sent.end]
            for a, b in zip(bounds, ends):
                for i in range(a, b):
                    self.win[i] = (a, b)
            for c in cuts:
                self.win[c] = (c, c + 1)
        self.sent_index: dict[int, int] = {st: k for k, st in enumerate(self.sent_starts)}
        self._body_cache: dict[str, _Arg] = {}
        self._cues: Optional[list] = None

    @staticmethod
    def _sentences(doc) -> list:
        """The doc's sentences, with a fragment the parser cut off at the start
        of a sentence ("Samedi" | ", le ministre a …": no final punctuation,
        the next one opening on a comma) joined to the sentence it opens."""
        sents = list(doc.sents)
        out = []
        k = 0
        while k < len(sents):
            s = sents[k]
            while k + 1 < len(sents) and len(s) <= 4 and not (s[-1].is_punct and s[-1].text in ".!?…") \
                    and "\n" not in s.text and sents[k + 1][0].text in (",", ":"):
                k += 1
                s = doc[s.start:sents[k].end]
            out.append(s)
            k += 1
        return out

    @staticmethod
    def _spacy_entities(doc) -> list[Entity]:
        """Stand-in entities from spaCy's NER when the entities stage gave none."""
        by_name: dict[str, Entity] = {}
        for sp in base_ents(doc):
            typ = SPACY_TYPES.get(sp.label_)
            if typ is None:
                continue
            toks = list(sp)
            while toks and toks[0].pos_ in ("DET", "ADP"):
                toks = toks[1:]
            if not toks:
                continue
            start, end = toks[0].idx, sp.end_char
            name = sp.text[start - sp.start_char:end - sp.start_char]
            e = by_name.get(name.lower())
            if e is None:
                e = Entity(id=None, name=name, type=typ)
                by_name[name.lower()] = e
            e.mentions.append(Mention(start, end, name))
        return list(by_name.values())

    # --- entities and bodies ------------------------------------------------

    def speaker_of_cue(self, verb) -> Optional[_Arg]:
        """The speaker the quotes stage gave to a quote whose cue is ``verb``."""
        if self._cues is None:
            self._cues = []
            ents = {e.id: e for e in self.entities}
            for q in state(self.doc).quotes or []:
                if q.cue is not None and q.speaker_id in ents:
                    e = ents[q.speaker_id]
                    self._cues.append((q.cue.start, q.cue.end, _Arg(e.name, e.id, e.type)))
        for s, e, arg in self._cues:
            if s <= verb.idx < e:
                return arg
        return None

    def entity_of_token(self, tok) -> Optional[Entity]:
        return self.tok_ent.get(tok.i)

    def adopt(self, arg: Optional[_Arg], tok) -> Optional[_Arg]:
        """A party only when it is an entity of the analysis: "les Alliés" stand
        for NATO when the article names NATO (GUIDELINES §4, §6); a body the text
        never names is no party (every party is an entity's name)."""
        if arg is None or arg.id is not None or self.fallback:
            return arg
        return None

    def body(self, key: str) -> Optional[_Arg]:
        if key in self._body_cache:
            return self._body_cache[key]
        b = self.lex.bodies.get(key)
        if b is None:
            return None
        names = {_norm(b.name)} | {_norm(a) for a in b.aliases}
        found = None
        for e in self.entities:
            if _norm(e.name) in names or any(_norm(a) in names for a in e.aliases):
                found = _Arg(e.name, e.id, e.type)
                break
        if found is None:
            found = _Arg(b.name, None, "ORG")
        self._body_cache[key] = found
        return found

    def resolve(self, start: int, end: int) -> Optional[Entity]:
        """The entities stage's reading of a pronoun or a title, once per span."""
        if self.fallback:
            return None
        key = (start, end)
        if key not in self._resolved:
            try:
                self._resolved[key] = _entities.resolve(self.doc, start, end)
            except (DepecheError, IndexError, KeyError, ValueError):  # its reading, or none
                self._resolved[key] = None
        return self._resolved[key]

    def is_country(self, name: str) -> bool:
        """Whether a place name is a country (KB), for "à la France" vs "à Oslo"."""
        if name in self._country_cache:
            return self._country_cache[name]
        ok = False
        try:
            rec = _the_kb().lookup(name)
            ok = rec is not None and rec.kind == "country"
        except _KB_ERRORS:  # the KB is optional for this stage
            ok = False
        self._country_cache[name] = ok
        return ok

    def _body_like(self, e: Entity) -> bool:
        """An organisation of states (KB kind), or one of the bodies of groups.toml."""
        names = {_norm(e.name)} | {_norm(a) for a in e.aliases}
        for b in self.lex.bodies.values():
            if names & ({_norm(b.name)} | {_norm(a) for a in b.aliases}):
                return True
        try:
            rec = _the_kb().lookup(e.name)
            return rec is not None and rec.kind in self.lex.salient_kinds
        except _KB_ERRORS:  # the KB is optional for this stage
            return False

    def salient_body(self) -> Optional[_Arg]:
        """The organisation the article is most about (most mentions)."""
        if self._salient is None:
            best, n = None, 1
            spans = sorted((m.start, m.end, id(e)) for e in self.entities for m in e.mentions)
            starts = [a for a, _, _ in spans]

            def inside_other(m, e) -> bool:
                k = bisect.bisect_right(starts, m.start) - 1
                while k >= 0 and m.start - spans[k][0] < 300:
                    a, b, o = spans[k]
                    if o != id(e) and a <= m.start and m.end <= b and (b - a) > (m.end - m.start):
                        return True
                    k -= 1
                return False

            for e in self.entities:
                if e.type != "ORG":
                    continue
                # Mentions of its own, not inside another name ("Conseil de
                # sécurité des Nations unies" is not a mention of the UN).
                own = sum(1 for m in e.mentions if not inside_other(m, e))
                if own > n and self._body_like(e):
                    best, n = e, own
            self._salient = _Arg(best.name, best.id, best.type) if best else _Arg("", None, None)
        return self._salient if self._salient.name else None
