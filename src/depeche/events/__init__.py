"""Events stage: PLOVER-coded who-did-what-to-whom (GUIDELINES.md §4).

A package: ``words`` holds the language data (``Lexicon``,
``lexicon(lang)``), ``parse`` reads the dependency parse, ``document`` the
per-article records and indexes, ``finding`` finds trigger candidates,
``arguments`` reads who an argument phrase stands for, ``slots`` fills a
trigger's actor, recipient and place, ``anchoring`` its place and date in
the clause, ``modes`` its mode, and ``merging`` merges the mentions of one
act; ``EventCoder`` (here) is the spaCy component that runs them.

Triggers are verb and noun lemmas (and pairs of words, "imposer des
sanctions") listed in ``lang/<code>/events.toml``; each trigger's arguments
come from the dependency parse:

- actor: the subject of a verb trigger (through infinitive complements,
  relative "qui", participles and coordination), the "par" agent of a passive
  or of a participle ("la guerre menée par la Russie"), the "de X" / "par X"
  complement of a noun trigger ("la visite de Macron"), or the subject of the
  verb a noun trigger is the object of ("a imposé des sanctions");
- recipient: the object or the complement whose preposition the frame of the
  trigger allows ("rencontrer X", "s'entretenir avec X", "aide à X"); the
  second of two coordinated actors when nothing else is;
- group words stand for their body (``groups.toml``): "les Alliés" → OTAN;
- mode from tense, mood, negation and governing verbs (``modality.toml``);
- date from the times stage in the clause, else the governing clauses of the
  sentence; location from "à/en/dans" + place in the clause, else the sentence.

Mentions of one act in an article are merged into one event. Argument names
come from the entities stage (``entities.entity_at`` / ``entities.resolve``);
when that stage found nothing, spaCy's own entities stand in for it.
"""
from __future__ import annotations

from typing import Optional

from spacy.language import Language

from ..model import Event, Span
from ..nlp import check_budget, publish, register_extensions, register_helpers, state, view
from ..repair import repair
from .anchoring import Anchoring
from .arguments import Arguments
from .document import _Cand, _Doc
from .finding import Finding
from .merging import Merging
from .modes import Modes
from .parse import _lemma
from .slots import Slots
from .words import Body, Lexicon, lexicon

# The other public names of the former events.py, importable from the package as before.
from .anchoring import SENTENCE_DATED
from .document import ACTOR_TYPES, PLACE_TYPES, SPACY_TYPES
from .merging import HEADLINE_MAX_CHARS, HEADLINE_MAX_LINES
from .parse import ARG_DEPS, CLAUSAL, SUBJ

__all__ = ["EventCoder", "make_events", "Lexicon", "Body", "lexicon",
           "ACTOR_TYPES", "ARG_DEPS", "CLAUSAL", "HEADLINE_MAX_CHARS", "HEADLINE_MAX_LINES", "PLACE_TYPES",
           "SENTENCE_DATED", "SPACY_TYPES", "SUBJ"]


class EventCoder(Finding, Arguments, Slots, Anchoring, Modes, Merging):
    """The ``depeche_events`` component: candidates (``finding``), then for
    each its slots, mode and date, then the mentions merged (``merging``)."""

    def __init__(self, nlp: Language, name: str, lang: str = "fr"):
        register_extensions()  # also in a spaCy pipeline of the user's own
        self.lang = lang
        self.lex = lexicon(lang)

    def __call__(self, doc):
        repair(doc, self.lang)  # done already when the entities stage ran first
        state(doc).events = self.find(doc)
        # the events stage may add an entity the KB knows (an office holder)
        publish(doc, "events", "entities")
        return doc

    # --- entry point -------------------------------------------------------

    def find(self, doc) -> list[Event]:
        if not len(doc) or not doc.has_annotation("DEP"):
            return []
        doc = view(doc)
        self._read_verbs(doc)
        ctx = _Doc(doc, self.lex)
        cands = self._candidates(doc, ctx)
        self._claim_times(cands, ctx)
        events = []
        families = self._families(cands)
        for k, c in enumerate(cands):
            if k % 64 == 63:
                check_budget(doc)  # a long text has many candidates: the budget holds inside the stage
            self._current = k
            ev = self._build(c, ctx)
            if ev is not None:
                demonstrative = c.is_noun and any(
                    d.dep_ == "det" and "Dem" in d.morph.get("PronType") for d in c.head.children)
                # "la médiation", "les bombardements de la nuit" with no party, date or
                # place of their own: a definite noun that takes up the act reported before
                demonstrative = demonstrative or c.is_noun and not (ev.actor or ev.recipient or ev.date or ev.location) \
                    and any(d.dep_ == "det" and "Def" in d.morph.get("Definite") for d in c.head.children)
                ev._bare_ok = not c.is_noun or self._standalone_act(c)  # noqa: SLF001
                events.append((ev, families[k], c.is_noun, demonstrative))
        # An event is an interaction between actors (GUIDELINES §4), but the
        # gold keeps a named act whose parties the text leaves implicit ("les
        # combats ont repris", "le cessez-le-feu tient"). Such a mention is kept,
        # unless it is only part of a compound word ("libre-échange").
        return [e for e in self._merge(events, self._headline_end(ctx.text))
                if e.actor or e.recipient or e.location or getattr(e, "_bare_ok", False)]

    def _families(self, cands: list) -> list:
        """Each candidate's lemma family, for merging mentions of one act. A
        verb that names the act a noun of its type names, in a relative on
        that noun or with it as subject or object ("la conférence que X
        organisera réunira vingt pays", "l'aide que X fournit à Y", "le sommet
        a réuni …"), takes the noun's family: one act, one event."""
        fams = []
        for c in cands:
            lem = _lemma(c.tokens[-1]) if c.is_noun else _lemma(c.head)
            fams.append(self.lex.family.get(lem, lem))
        nouns = {c.head.i: k for k, c in enumerate(cands) if c.is_noun}
        verbs = {c.head.i: k for k, c in enumerate(cands) if not c.is_noun}
        for k, c in enumerate(cands):
            if c.is_noun:
                continue
            v = c.head
            linked = [v.head] if v.dep_ in ("acl", "acl:relcl") and v.head.i != v.i else []
            linked += [d for d in v.children if d.dep_ in ("nsubj", "nsubj:pass", "obj")]
            if v.dep_ in ("advcl", "acl") and "Part" in v.morph.get("VerbForm") and "Pres" in v.morph.get("Tense") \
                    and v.head.i != v.i and _lemma(v) in self.lex.toll_verbs:
                # "un raid a frappé la raffinerie, tuant deux employés": the toll of the act
                linked.append(v.head)
                linked += [d for d in v.head.children if d.dep_ in ("nsubj", "nsubj:pass")]
            for t in linked:
                j = nouns.get(t.i, verbs.get(t.i) if t.i == v.head.i and t.i != v.i else None)
                if j is not None and j != k and cands[j].type == c.type and not any(x.i == t.i for x in c.tokens):
                    fams[k] = fams[j]
                    break
        return fams

    # --- one event -------------------------------------------------------------

    def _build(self, c: _Cand, ctx: _Doc) -> Optional[Event]:
        doc = ctx.doc
        actor, recipient, location = self._slots(c, ctx)
        if recipient is None and not c.is_noun and not c.paired and len(c.tokens) == 1 and _lemma(c.head) in self.lex.needs_party \
                and not any(k.dep_ == "nsubj:pass" for k in c.head.children) and not self._human_object(c.head):
            return None
        if c.forced_mode:
            mode = c.forced_mode
        elif c.is_noun:
            mode = self._noun_mode(c.head)
        else:
            mode = self._verb_mode(c.head)
        if actor is None and c.type in self.lex.default_actor_types:
            actor = ctx.salient_body()
            if actor is not None and recipient is not None and actor.name == recipient.name:
                actor = None
        date = self._date(c, ctx)
        if location is not None and actor is not None and location.name == actor.name:
            location = None
        toks = c.tokens
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        if not c.is_noun:
            # Include the reflexive pronoun and auxiliaries just before the verb.
            first = toks[0]
            for k in first.children:
                if k.i < first.i and (k.dep_.startswith("aux") or k.dep_.startswith("expl")) \
                        and first.i - k.i <= 3:
                    start = min(start, k.idx)
        lo, hi = ctx.win[c.head.i]
        sent = doc[lo:hi]
        conf = 0.45 + (0.15 if not c.is_noun else 0.05) + (0.15 if actor else 0) + (0.1 if recipient else 0) \
            + (0.05 if len(toks) > 1 else 0)
        return Event(
            type=c.type, mode=mode, trigger=Span(start, end, ctx.text[start:end]),
            actor=actor.name if actor else None, recipient=recipient.name if recipient else None,
            date=date, location=location.name if location else None,
            actor_id=actor.id if actor else None, recipient_id=recipient.id if recipient else None,
            location_id=location.id if location else None,
            confidence=min(conf, 0.95),
            evidence=Span(sent.start_char, sent.end_char, ctx.text[sent.start_char:sent.end_char]),
        )


@Language.factory("depeche_events", default_config={"lang": "fr"},
                  requires=["token.pos", "token.dep", "token.lemma", "token.morph"],
                  assigns=["doc._.events", "doc.spans"])
def make_events(nlp: Language, name: str, lang: str) -> EventCoder:
    return EventCoder(nlp, name, lang)


register_helpers()  # depeche_limits and depeche_budget, for a spaCy pipeline of the user's own
