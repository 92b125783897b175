"""One event per act: the mentions of an act in an article merged into its
clearest one, the headline's mentions deferring to the body's."""
from __future__ import annotations

import re

from ..model import Event
from .words import Lexicon


# A headline is a few short lines at most.
HEADLINE_MAX_CHARS = 400
HEADLINE_MAX_LINES = 3
_SENTENCE_END = re.compile(r"[.!?…]\s+[A-ZÀ-Ý«\"]")
_LINE = re.compile(r"[^\n]*\n?")
_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")


class Merging:
    """Methods of the coder that merge the mentions of one act."""

    lex: Lexicon

    # --- merging ---------------------------------------------------------------

    def _merge(self, events: list, headline_end: int = 0) -> list[Event]:
        """Repeated mentions of one act become one event: its clearest mention
        (a body mention before the headline's, a dated one, a verb before a
        noun, earlier), completed by the other body mentions."""
        groups: list[list] = []
        body = [x for x in events if x[0].trigger.start >= headline_end]
        heads = [x for x in events if x[0].trigger.start < headline_end]
        for ev, fam, noun, dem in body:
            home = None
            if dem:
                # "ce sommet": the act last reported of that type.
                for g in reversed(groups):
                    if g[0][0].type == ev.type:
                        home = g
                        break
            for g in groups if home is None else ():
                prev, pfam, pnoun = g[0]
                if prev.type != ev.type:
                    continue
                same_parties = self._same_parties(g, ev, fam, noun)
                if pfam != fam:
                    # Synonyms ("discussions", "pourparlers") name one act when
                    # their modes agree, in one sentence or between the same parties.
                    syn = self.lex.synonyms
                    if fam not in syn or syn.get(pfam) != syn[fam] or any(
                            p.mode != ev.mode or p.evidence.start != ev.evidence.start and not same_parties
                            for p, _, _ in g):
                        continue
                # Modes must agree, except between two noun mentions.
                if not noun and any(not n and p.mode != ev.mode for p, _, n in g):
                    continue
                if same_parties or all(_compatible(getattr(p, slot), getattr(ev, slot))
                                       for p, _, _ in g for slot in ("actor", "recipient", "date", "location")):
                    home = g
                    break
            if home is not None:
                home.append((ev, fam, noun))
            else:
                groups.append([(ev, fam, noun)])
        headline = set()
        for ev, fam, noun, dem in heads:
            # The headline sums up what the body reports: its mention of an act
            # the body reports (the same family, else the same type, with its
            # own words) is not the clearest one, and its slots, read in a
            # clause with no context, complete nothing.
            home = next((g for g in groups if g[0][1] == fam and g[0][0].type == ev.type
                         and id(g[0][0]) not in headline), None) \
                or next((g for g in groups if g[0][0].type == ev.type and id(g[0][0]) not in headline), None)
            if home is not None:
                headline.add(id(ev))
                home.append((ev, fam, noun))
            else:
                groups.append([(ev, fam, noun)])

        def clarity(e, noun):
            # A body mention, a dated one (the report of the act, not a recall
            # of it), a verb, earlier. Ranking by every slot a mention fills
            # was measured and lost on both sets; the place alone lost too.
            return (id(e) in headline, e.date is None, noun, e.trigger.start)

        out = []
        for g in groups:
            mentions = [e for e, _, _ in g]
            best = min(g, key=lambda m: clarity(m[0], m[2]))[0]
            for other in mentions:
                if other is best:
                    continue
                if id(other) in headline:
                    continue
                for slot in ("actor", "recipient", "location"):
                    if getattr(best, slot) is None and getattr(other, slot) is not None:
                        setattr(best, slot, getattr(other, slot))
                        setattr(best, slot + "_id", getattr(other, slot + "_id"))
            if len(mentions) > 1:
                best.confidence = min(0.95, best.confidence + 0.05 * (len(mentions) - 1))
            out.append(best)
        out.sort(key=lambda e: e.trigger.start)
        return out

    def _same_parties(self, g: list, ev, fam, noun: bool = False) -> bool:
        """Whether every mention of group ``g`` and ``ev`` name the same two
        parties of an act done together ("X a rencontré Y", "Y et X se sont
        entretenus"), with the same mode, the same date (or none, for a noun
        that takes the act up: "les discussions entre X et Y") and compatible
        places: "le lendemain, Y a discuté avec X" is another act."""
        if ev.actor is None or ev.recipient is None or fam not in self.lex.symmetric_families:
            return False
        pair = {ev.actor, ev.recipient}
        return all(pf in self.lex.symmetric_families and p.mode == ev.mode and {p.actor, p.recipient} == pair
                   and (_same_time(p.date, ev.date) or noun and ev.date is None)
                   and _compatible(p.location, ev.location)
                   for p, pf, _ in g)

    def _headline_end(self, text: str) -> int:
        """Where the headline ends (0 if there is none): the leading short
        paragraphs whose last line has no final punctuation (the title, its
        repetition, a kicker, a byline), up to the first that ends a sentence.
        A headline repeats an act the body reports."""
        end = 0
        for m in _PARAGRAPH.finditer(text):
            block = m.group(0).strip()
            if not block:
                continue
            lines = [ln.strip() for ln in block.split("\n")]
            if len(block) > HEADLINE_MAX_CHARS or len(lines) > HEADLINE_MAX_LINES \
                    or any(ln.endswith(self.lex.final_punctuation) for ln in lines) or _SENTENCE_END.search(block):
                break
            end = m.end()
        if not end:
            # A title on its own line right above the body ("Titre\nLe …").
            for k, m in enumerate(_LINE.finditer(text)):
                line = m.group(0).strip()
                if k >= HEADLINE_MAX_LINES or not line:
                    break
                if len(line) > HEADLINE_MAX_CHARS or line.endswith(self.lex.final_punctuation) \
                        or _SENTENCE_END.search(line) or m.end() >= len(text):
                    break
                end = m.end()
        if end and not text[end:].strip():
            return 0  # the text is only short lines: no body to defer to
        return end


def _compatible(a, b) -> bool:
    return a is None or b is None or a == b


def _same_time(a, b) -> bool:
    """Both undated, or one date the other makes more precise ("2024-03-07"
    and "2024-03-07T18:00")."""
    return a == b or a is not None and b is not None and (a.startswith(b) or b.startswith(a))
