"""An analysed article as HTML: the text with its facts marked in place.

Every fact (entity mention, time expression, quote, event trigger) becomes a
``<span>`` carrying ``data-fact`` (its id, shared with the side lists, so a
click can scroll to and flash it) and a hover title. Facts may nest (a
mention inside a quote) or cross; the text is cut at every fact boundary and
each piece is wrapped in the spans of the facts that cover it, outermost
first. All text is escaped: article text is untrusted input.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup, escape

# Nesting order, outermost first.
LAYER_ORDER = {"warn": 0, "quote": 1, "event": 2, "entity": 3, "time": 4}


@dataclass
class Fact:
    start: int
    end: int
    layer: str            # warn, quote, event, entity, time
    fact_id: str          # e.g. "q1", "ev2", "e3", "t4"
    css: str              # extra classes, e.g. "PER", "direct"
    title: str            # hover text
    href: Optional[str] = None  # where a click on it leads (entity page)


def facts_of(an: dict, entity_href=None) -> list[Fact]:
    """The facts of an analysis dict (the JSON contract) as :class:`Fact` records."""
    facts: list[Fact] = []
    for e in an.get("entities", []):
        href = entity_href(e) if entity_href else None
        for m in e.get("mentions", []):
            facts.append(Fact(m["start"], m["end"], "entity", e["id"], e["type"],
                              f"{e['name']} · {e['type']}" + (f" · {e['kb_id']}" if e.get("kb_id") else ""),
                              href))
    for i, t in enumerate(an.get("times", []), 1):
        facts.append(Fact(t["start"], t["end"], "time", f"t{i}", t["type"], f"{t['type']} {t['value']}"))
    for i, q in enumerate(an.get("quotes", []), 1):
        facts.append(Fact(q["start"], q["end"], "quote", f"q{i}", q["kind"],
                          f"{q['kind']} quote · {q.get('speaker') or 'speaker unknown'}"))
    for i, ev in enumerate(an.get("events", []), 1):
        tr = ev["trigger"]
        who = f"{ev.get('actor') or '?'} → {ev.get('recipient') or '–'}"
        facts.append(Fact(tr["start"], tr["end"], "event", f"ev{i}", ev["type"],
                          f"{ev['type']} ({ev['mode']}) {who}" + (f" · {ev['date']}" if ev.get("date") else "")))
    for i, w in enumerate(an.get("warnings", []), 1):
        facts.append(Fact(w["start"], w["end"], "warn", f"w{i}", w["code"], f"{w['code']}: {w['message']}"))
    n = len(an.get("text", ""))
    return [f for f in facts if 0 <= f.start < f.end <= n]


def _open(f: Fact) -> str:
    cls = f"fact {f.layer} {f.layer}-{f.css}"
    attrs = f' class="{escape(cls)}" data-fact="{escape(f.fact_id)}" title="{escape(f.title)}"'
    if f.href:
        return f'<a{attrs} href="{escape(f.href)}">'
    return f"<span{attrs}>"


def _close(f: Fact) -> str:
    return "</a>" if f.href else "</span>"


def annotate(text: str, facts: list[Fact]) -> Markup:
    """``text`` as HTML with ``facts`` marked; paragraphs become ``<p>``."""
    cuts = {0, len(text)}
    for f in facts:
        cuts.add(f.start)
        cuts.add(f.end)
    for i, ch in enumerate(text):
        if ch == "\n":
            cuts.add(i)
            cuts.add(i + 1)
    points = sorted(cuts)
    by_start = sorted(facts, key=lambda f: (LAYER_ORDER[f.layer], f.start, -f.end))
    out = ["<p>"]
    for a, b in zip(points, points[1:]):
        piece = text[a:b]
        if piece == "\n":
            out.append("</p>\n<p>")
            continue
        covering = [f for f in by_start if f.start <= a and b <= f.end]
        out.extend(_open(f) for f in covering)
        out.append(str(escape(piece)))
        out.extend(_close(f) for f in reversed(covering))
    out.append("</p>")
    html = "".join(out).replace("<p></p>", "")
    return Markup(html)
