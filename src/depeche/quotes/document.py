"""Per-article indexes of the quotes stage: candidates, sentences cut by
marks, token and entity lookups by character offset."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional

from ..model import Entity
from ..nlp import state
from .lexicon import _CLAUSE_STOP, _SENT_PUNCT, _Lex
from .marks import _scan

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
    carrier: bool = False         # an indirect claim that is one quotation: gives its speaker, not output


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
        for e in state(doc).entities or []:
            for m in e.mentions:
                if 0 <= m.start < m.end <= len(self.text):
                    ments.append((m.start, m.end, e))
        ments.sort(key=lambda x: (x[0], x[1]))
        self.ments = ments
        self.mstarts = [m[0] for m in ments]
        self._titles = None
        self._subject_ments = None
        self._time_spans = sorted((t.start, t.end) for t in (state(doc).times or []))

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

    def name_in_marks(self, m) -> bool:
        """Whether mention ``m`` (start, end, entity) is all that its
        quotation marks hold: "l'agence « Tass »" quotes a name, not words."""
        k = self.region_of(m[0])
        if k is None:
            return False
        r = self.regions[k]
        return not self.text[r.start:m[0]].strip() and not self.text[m[1]:r.end].strip()

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
