"""Finding quotations: quotation marks paired into regions (« », “ ”, „ “,
"…", nesting, paragraphs re-opened with a mark, unclosed marks)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .lexicon import _Lex

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
