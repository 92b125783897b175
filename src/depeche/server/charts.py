"""Charts as inline SVG, drawn on the server: no script, no external asset.

- :func:`weekly_bars`: events per ISO week, stacked by PLOVER type;
- :func:`network`: who acts on whom, edge width by number of events.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from typing import Iterable, Optional

from markupsafe import Markup, escape

from ..model import EVENT_TYPES

# One colour per PLOVER type (cooperative types in blues/greens, conflictual in reds).
TYPE_COLOURS = dict(zip(EVENT_TYPES, (
    "#4e79a7", "#59a14f", "#76b7b2", "#8cd17d", "#499894", "#86bcb6", "#b6992d", "#f1ce63",
    "#e15759", "#ff9d9a", "#d37295", "#fabfd2", "#b07aa1", "#9d7660", "#79706e", "#bab0ac",
)))


def week_of(value: Optional[str]) -> Optional[str]:
    """The ISO week ("2024-W14") of a TIMEX date value with at least a day, else None."""
    if not value or len(value) < 10:
        return None
    try:
        y, w, _ = dt.date.fromisoformat(value[:10]).isocalendar()
    except ValueError:
        return None
    return f"{y}-W{w:02d}"


def weekly_bars(events: Iterable[dict], width: int = 760, height: int = 220) -> Markup:
    """Stacked bars of events per week by type; events need ``date`` and ``type``."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for ev in events:
        wk = week_of(ev.get("date"))
        if wk:
            counts[wk][ev["type"]] += 1
    if not counts:
        return Markup('<p class="muted">No event with a day-precise date to chart.</p>')
    weeks = sorted(counts)
    peak = max(sum(c.values()) for c in counts.values())
    pad_l, pad_b, pad_t = 30, 40, 10
    bw = max(4.0, (width - pad_l) / len(weeks))
    scale = (height - pad_b - pad_t) / peak
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="events per week by type">']
    parts.append(f'<text x="2" y="{pad_t + 8}" class="axis">{peak}</text>')
    for i, wk in enumerate(weeks):
        x = pad_l + i * bw
        y = height - pad_b
        for typ in EVENT_TYPES:
            n = counts[wk].get(typ, 0)
            if not n:
                continue
            h = n * scale
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw * 0.85:.1f}" height="{h:.1f}" '
                         f'fill="{TYPE_COLOURS[typ]}"><title>{escape(wk)}: {n} {typ}</title></rect>')
        if len(weeks) <= 16 or i % math.ceil(len(weeks) / 16) == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - pad_b + 14}" class="axis" '
                         f'transform="rotate(30 {x:.1f} {height - pad_b + 14})">{escape(wk)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(types: Iterable[str]) -> Markup:
    items = "".join(f'<span class="key"><i style="background:{TYPE_COLOURS.get(t, "#999")}"></i>{escape(t)}</span>'
                    for t in types)
    return Markup(f'<div class="legend">{items}</div>')


def network(edges: Iterable[tuple[str, str, int]], centre: Optional[str] = None,
            size: int = 420) -> Markup:
    """A circular actor network: ``edges`` are (actor, recipient, n events)."""
    edges = [(a, b, n) for a, b, n in edges if a and b and a != b and n > 0]
    if not edges:
        return Markup('<p class="muted">No actor–recipient pair to draw.</p>')
    nodes = sorted({a for a, _, _ in edges} | {b for _, b, _ in edges}, key=lambda x: (x != centre, x))
    r = size / 2 - 70
    cx = cy = size / 2
    pos = {}
    others = [n for n in nodes if n != centre]
    for i, name in enumerate(others):
        ang = 2 * math.pi * i / max(1, len(others)) - math.pi / 2
        pos[name] = (cx + r * math.cos(ang), cy + r * math.sin(ang))
    if centre in nodes:
        pos[centre] = (cx, cy)
    top = max(n for _, _, n in edges)
    parts = [f'<svg class="chart network" viewBox="0 0 {size} {size}" role="img" aria-label="actor network">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#888"/></marker></defs>']
    for a, b, n in edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        w = 1 + 5 * n / top
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#888" '
                     f'stroke-width="{w:.1f}" marker-end="url(#arrow)" opacity="0.7">'
                     f'<title>{escape(a)} → {escape(b)}: {n}</title></line>')
    for name, (x, y) in pos.items():
        cls = "node centre" if name == centre else "node"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" class="{cls}"/>'
                     f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle" class="label">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
