"""Quotes stage (a package: ``marks`` pairs quotation marks, ``finding``
finds quotes, ``attribution`` reads their cues and sources, ``speakers``
resolves sources to entities, ``lexicon`` holds the language data): direct and indirect quotes, their cues and their speakers.

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

import re

from spacy.language import Language

from ..model import Entity, Quote, Span, Warning
from ..nlp import publish, register_extensions, register_helpers, state, view
from .attribution import Attribution
from .document import _Cand, _Doc
from .finding import Finding
from .lexicon import _lexicon
from .marks import _scan  # noqa: F401 (the tests pair marks through the package)
from .speakers import Speakers

__all__ = ["QuoteFinder", "make_quotes"]


class QuoteFinder:
    def __init__(self, nlp: Language, name: str, lang: str = "fr"):
        register_extensions()  # the component also works in a spaCy pipeline of the user's own
        self.lang = lang
        self.lex = _lexicon(lang)

    def __call__(self, doc):
        state(doc).quotes = self.find(doc)
        # the speakers may add an entity the KB knows (an office holder)
        publish(doc, "quotes", "warnings", "entities")
        return doc

    def find(self, doc) -> list[Quote]:
        if not len(doc):
            return []
        doc = view(doc)
        d = _Doc(doc, self.lex)
        st = state(doc)
        if st.warnings is None:
            st.warnings = []
        # A quote left open where the text is cut is already said by the
        # clean stage's ``truncated`` warning; any other open quote is reported.
        cut = [w for w in st.warnings if getattr(w, "code", None) == "truncated"]
        for r in d.regions:
            if not r.closed and r.end > r.start and not any(r.end >= w.start for w in cut):
                st.warnings.append(Warning(
                    "unclosed_quote", r.open, r.end,
                    "quotation mark never closed: the quote runs to the end of its paragraph"))
        f = _Finder(d, self.lang)
        return f.run()


class _Finder(Finding, Attribution, Speakers):
    def __init__(self, d: _Doc, lang: str = "fr"):
        self.d, self.doc, self.lex, self.text, self.lang = d, d.doc, d.lex, d.text, lang
        self.cands: list[_Cand] = []

    # -- helpers on tokens

    def run(self) -> list[Quote]:
        self.indirect_pre_direct()
        self.direct()
        self.indirect_post_direct()
        self.cands.sort(key=lambda c: (c.start, c.kind))
        self.history: list[tuple[int, Entity]] = []
        for c in self.cands:
            self.resolve(c)
        self.echoes()
        # "X a assuré qu'il pense que …": a report inside a claim by the same
        # speaker (or nobody) is part of the claim, not a quote of its own
        outer = [c for c in self.cands if c.kind == "indirect"]
        self.cands = [c for c in self.cands if not (c.kind == "indirect" and c.cue and any(
            o is not c and o.start <= c.cue[0] < o.end and (c.speaker is None or c.speaker is o.speaker)
            for o in outer))]
        out = []
        for c in self.cands:
            if c.carrier:
                continue
            sp = c.speaker
            cue = Span(c.cue[0], c.cue[1], self.text[c.cue[0]:c.cue[1]]) if c.cue else None
            out.append(Quote(c.start, c.end, self.text[c.start:c.end], c.kind,
                             sp.name if sp else None, sp.id if sp else None, cue))
        return out

    def echoes(self) -> None:
        """Words in marks that nothing attributes, repeated in a quote that
        has a speaker (a headline or an intertitle echoing the body, a line
        quoted twice), are that speaker's."""
        def words(c) -> str:
            return " ".join(_WORD.findall(self.text[c.start:c.end].casefold()))

        said = [(c, words(c), c.speaker) for c in self.cands if c.speaker is not None]
        for c in self.cands:
            # nobody, or only a country ("estiment les autorités"), while a person
            # said the same words: the person, the more precise source
            vague = c.speaker is None or c.speaker.type == "GPE"
            if c.kind != "direct" or not vague:
                continue
            w = words(c)
            if w.count(" ") < 1:
                continue
            sp = next((s for o, ow, s in said if o is not c and (w in ow or ow.count(" ") >= 2 and ow in w)
                       and (c.speaker is None or s.type == "PER")), None)
            if sp is not None:
                c.speaker = sp


_WORD = re.compile(r"\w+")


@Language.factory("depeche_quotes", default_config={"lang": "fr"},
                  requires=["token.pos", "token.dep", "token.lemma", "token.morph"],
                  assigns=["doc._.quotes", "doc._.warnings", "doc.spans"])
def make_quotes(nlp: Language, name: str, lang: str) -> QuoteFinder:
    return QuoteFinder(nlp, name, lang)


register_helpers()  # depeche_limits and depeche_budget, for a spaCy pipeline of the user's own
