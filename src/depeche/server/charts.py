"""Charts as inline SVG, drawn on the server: no script, no external asset.

- :func:`time_bars`: events on a real time axis (days, weeks or months by the
  span; empty periods stay empty), stacked by PLOVER type; undated events
  are counted on their article's publication date and hatched;
- :func:`network`: who acts on whom across the corpus, a force-directed
  layout (Fruchterman–Reingold, networkx's spring layout), edge width
  by number of events, colour by the most frequent type.

Colours: one per type from Kelly's 22 colours of maximum contrast, so
neighbours in the legend stay distinct.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from typing import Callable, Iterable, Optional

from markupsafe import Markup, escape

from ..model import EVENT_TYPES

TYPE_COLOURS = dict(zip(EVENT_TYPES, (
    "#0067a5", "#008856", "#a1caf1", "#8db600", "#2b3d26", "#c2b280", "#848482", "#f3c300",
    "#be0032", "#f38400", "#875692", "#e68fac", "#604e97", "#882d17", "#222222", "#f99379",
)))


def _day(value: Optional[str]) -> Optional[dt.date]:
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _next_month(d: dt.date) -> dt.date:
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _buckets(t0: dt.date, t1: dt.date) -> tuple[str, list[tuple[dt.date, dt.date]]]:
    """The periods between two days: days (up to two months), weeks (up to
    ten months), else months; each as [start, end)."""
    span = (t1 - t0).days
    out = []
    if span <= 62:
        unit, d = "day", t0
        while d <= t1:
            out.append((d, d + dt.timedelta(days=1)))
            d += dt.timedelta(days=1)
    elif span <= 300:
        unit, d = "week", t0 - dt.timedelta(days=t0.weekday())
        while d <= t1:
            out.append((d, d + dt.timedelta(days=7)))
            d += dt.timedelta(days=7)
    else:
        unit, d = "month", _month_start(t0)
        while d <= t1:
            out.append((d, _next_month(d)))
            d = _next_month(d)
    return unit, out


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if peak / step <= 5:
            return step
    return 10 ** int(math.log10(peak))


def time_bars(events: Iterable[dict], t: Callable, width: int = 1100, height: int = 300) -> Markup:
    """Events per period by type on a time axis; ``t`` is the page's
    :class:`~depeche.server.i18n.Translator` (axis labels, dates)."""
    points = []
    for ev in events:
        undated = not ev.get("dated")
        d = _day(ev.get("first_seen") if undated else ev.get("date_start"))
        if d is not None:
            points.append((d, ev["type"], undated))
    if not points:
        return Markup(f'<p class="muted">{escape(t("text.no_chart"))}</p>')
    t0, t1 = min(p[0] for p in points), max(p[0] for p in points)
    unit, periods = _buckets(t0, t1)
    counts: dict[int, Counter] = defaultdict(Counter)
    starts = [p[0] for p in periods]
    import bisect

    for d, typ, undated in points:
        i = bisect.bisect_right(starts, d) - 1
        counts[i][(typ, undated)] += 1
    peak = max(sum(c.values()) for c in counts.values())
    step = _nice_step(peak)
    top = step * math.ceil(peak / step)
    pad_l, pad_r, pad_t, pad_b = 56, 44, 14, 58
    pw, ph = width - pad_l - pad_r, height - pad_t - pad_b
    a, b = periods[0][0], periods[-1][1]
    days = (b - a).days

    def x(d: dt.date) -> float:
        return pad_l + pw * (d - a).days / days

    def y(n: float) -> float:
        return pad_t + ph * (1 - n / top)

    parts = [f'<svg class="chart timechart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(t("text.chart_title"))}" xmlns="http://www.w3.org/2000/svg"><defs>']
    for typ, col in TYPE_COLOURS.items():
        parts.append(f'<pattern id="hatch-{typ}" width="6" height="6" patternUnits="userSpaceOnUse" '
                     f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
                     f'<rect width="3" height="6" fill="{col}"/></pattern>')
    parts.append("</defs>")
    for n in range(0, top + 1, step):  # y grid and ticks
        parts.append(f'<line class="grid" x1="{pad_l}" x2="{width - pad_r}" y1="{y(n):.1f}" y2="{y(n):.1f}"/>'
                     f'<text class="axis" x="{pad_l - 6}" y="{y(n) + 4:.1f}" text-anchor="end">{n}</text>')
    parts.append(f'<text class="axis-title" transform="translate(14 {pad_t + ph / 2:.0f}) rotate(-90)" '
                 f'text-anchor="middle">{escape(t("text.axis_events"))}</text>')
    for i, (s, e) in enumerate(periods):
        if i not in counts:
            continue
        x0, x1 = x(s), x(e)
        w = max(1.5, (x1 - x0) * 0.86)
        level = 0
        label = _period_label(unit, s, t)
        for typ in EVENT_TYPES:
            for undated in (False, True):
                n = counts[i].get((typ, undated), 0)
                if not n:
                    continue
                fill = f"url(#hatch-{typ})" if undated else TYPE_COLOURS[typ]
                note = f" ({t('text.undated')})" if undated else ""
                parts.append(f'<rect class="bar{" undated" if undated else ""}" x="{x0:.1f}" '
                             f'y="{y(level + n):.1f}" width="{w:.1f}" height="{y(level) - y(level + n):.1f}" '
                             f'fill="{fill}" stroke="{TYPE_COLOURS[typ]}" stroke-width="0.6">'
                             f'<title>{escape(label)}: {n} {typ}{escape(note)}</title></rect>')
                level += n
    # x axis: a tick per month (or fewer), labelled with readable dates
    parts.append(f'<line class="axis-line" x1="{pad_l}" x2="{width - pad_r}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>')
    ticks = _ticks(a, b)
    every = max(1, math.ceil(len(ticks) / 8))
    for j, d in enumerate(ticks):
        tx = x(d)
        parts.append(f'<line class="tick" x1="{tx:.1f}" x2="{tx:.1f}" y1="{y(0):.1f}" y2="{y(0) + 5:.1f}"/>')
        if j % every == 0:
            text = t.date(d.isoformat()) if (b - a).days <= 62 else t.date(d.isoformat()[:7])
            parts.append(f'<text class="axis" x="{tx:.1f}" y="{y(0) + 18:.1f}" text-anchor="middle">'
                         f'{escape(text)}</text>')
    parts.append(f'<text class="axis-title" x="{pad_l + pw / 2:.0f}" y="{height - 8}" text-anchor="middle">'
                 f'{escape(t("text.axis_date"))} ({escape(t("text.per_" + unit))})</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _ticks(a: dt.date, b: dt.date) -> list[dt.date]:
    if (b - a).days <= 62:
        out, d = [], a
        while d <= b:
            out.append(d)
            d += dt.timedelta(days=7)
        return out
    out, d = [], _month_start(a)
    if d < a:
        d = _next_month(d)
    while d <= b:
        out.append(d)
        d = _next_month(d)
    return out


def _period_label(unit: str, start: dt.date, t) -> str:
    if unit == "month":
        return t.date(start.isoformat()[:7])
    if unit == "week":
        y, w, _ = start.isocalendar()
        return t.date(f"{y}-W{w:02d}")
    return t.date(start.isoformat())


def legend(types: Iterable[str], undated_note: Optional[str] = None) -> Markup:
    items = "".join(f'<span class="key"><i style="background:{TYPE_COLOURS.get(t, "#999")}"></i>{escape(t)}</span>'
                    for t in types)
    if undated_note:
        items += f'<span class="key"><i class="hatched"></i>{escape(undated_note)}</span>'
    return Markup(f'<div class="legend">{items}</div>')


def force_layout(nodes: list[str], edges: list[tuple[str, str, float]], iterations: int = 300, gravity: float = 1.0,
                 seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]², the same for the same graph: each group of
    linked names is laid out by networkx's spring layout (Fruchterman–Reingold,
    edges weighted by their number of events), and the groups are set side by
    side in a grid, the largest first, so that none is squeezed by the others."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    for a, b, weight in edges:
        w = g.get_edge_data(a, b, {}).get("weight", 0.0)
        g.add_edge(a, b, weight=w + weight)
    groups = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    cols = max(1, math.ceil(math.sqrt(len(groups))))
    rows = math.ceil(len(groups) / cols)
    out: dict[str, tuple[float, float]] = {}
    for k, members in enumerate(groups):
        cx, cy = (k % cols + 0.5) / cols, (k // cols + 0.5) / rows
        if len(members) == 1:
            out[members[0]] = (cx, cy)
            continue
        pos = nx.spring_layout(g.subgraph(members), iterations=iterations, seed=seed, gravity=gravity,
                               method="force")
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        x0, y0 = min(xs), min(ys)
        dx, dy = (max(xs) - x0) or 1.0, (max(ys) - y0) or 1.0
        half_w, half_h = 0.4 / cols, 0.4 / rows
        for name in members:
            out[name] = (cx + ((pos[name][0] - x0) / dx - 0.5) * 2 * half_w,
                         cy + ((pos[name][1] - y0) / dy - 0.5) * 2 * half_h)
    return out


def network(events: Iterable[dict], t: Callable, top: int = 30, width: int = 900, height: int = 620,
            centre: Optional[str] = None, href: Optional[Callable[[str], str]] = None) -> Markup:
    """Who acts on whom: an arrow per (actor, recipient), width by the number
    of events, colour by their most frequent type; the ``top`` most linked
    names. ``href(name)`` links a name."""
    pairs: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for ev in events:
        a, b = ev.get("actor"), ev.get("recipient")
        if a and b and a != b:
            pairs[(a, b)][ev["type"]] += 1
    if not pairs:
        return Markup(f'<p class="muted">{escape(t("text.no_network"))}</p>')
    degree: Counter = Counter()
    for (a, b), c in pairs.items():
        n = sum(c.values())
        degree[a] += n
        degree[b] += n
    keep = {name for name, _ in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:top]}
    if centre:
        keep.add(centre)
    edges = [(a, b, c) for (a, b), c in sorted(pairs.items()) if a in keep and b in keep]
    nodes = sorted({a for a, _, _ in edges} | {b for _, b, _ in edges})
    pos = force_layout(nodes, [(a, b, sum(c.values())) for a, b, c in edges])
    m = 70

    def xy(name):
        px, py = pos[name]
        return m + px * (width - 2 * m), 30 + py * (height - 60)

    heaviest = max(sum(c.values()) for _, _, c in edges)
    parts = [f'<svg class="chart network" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(t("text.who_acts"))}" xmlns="http://www.w3.org/2000/svg">'
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" '
             'markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    for a, b, c in edges:
        (x1, y1), (x2, y2) = xy(a), xy(b)
        n = sum(c.values())
        typ = c.most_common(1)[0][0]
        # a slight curve, so a → b and b → a are two arrows
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        cx, cy = mx - dy / length * 0.12 * length, my + dx / length * 0.12 * length
        # stop short of the node's circle
        ex, ey = x2 - (x2 - cx) / max(1.0, math.hypot(x2 - cx, y2 - cy)) * 9, \
            y2 - (y2 - cy) / max(1.0, math.hypot(x2 - cx, y2 - cy)) * 9
        detail = ", ".join(f"{k} {v}" for k, v in c.most_common())
        parts.append(f'<path class="edge" d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" '
                     f'stroke="{TYPE_COLOURS.get(typ, "#888")}" stroke-width="{1.2 + 5 * n / heaviest:.1f}" '
                     f'fill="none" marker-end="url(#arrow)"><title>{escape(a)} → {escape(b)}: '
                     f'{escape(t("text.n_events", n=n))} ({escape(detail)})</title></path>')
    for name in nodes:
        x, y = xy(name)
        r = 4 + 6 * math.sqrt(degree[name] / max(degree.values()))
        cls = "node centre" if name == centre else "node"
        node = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="{cls}"><title>{escape(name)}: '
                f'{escape(t("text.n_events", n=degree[name]))}</title></circle>'
                f'<text x="{x:.1f}" y="{y - r - 4:.1f}" text-anchor="middle" class="label">{escape(name)}</text>')
        link = href(name) if href else None
        parts.append(f'<a href="{escape(link)}">{node}</a>' if link else node)
    parts.append("</svg>")
    return Markup("".join(parts))
