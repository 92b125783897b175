"""Terminal report of an analysis, with rich: warnings, entities, a timeline
of dated facts, quotes grouped by speaker, and events."""
from __future__ import annotations

import re
from collections import OrderedDict

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .model import Analysis

TYPE_STYLE = {"PER": "bold cyan", "ORG": "bold magenta", "GPE": "bold green", "LOC": "green"}
MODE_STYLE = {"asserted": "", "planned": "yellow", "negated": "red", "hypothetical": "dim"}


# Control characters (ANSI and OSC escapes start with one) never reach the terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _plain(s: str) -> str:
    return _CONTROL.sub(" ", s)


def _short(s: str, n: int) -> str:
    s = " ".join(_plain(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _row(table: Table, *cells, **kw) -> None:
    """Add a row whose text cells are shown as they are: article text is never
    read as rich markup, and carries no control characters."""
    table.add_row(*(Text(_plain(c)) if isinstance(c, str) else c for c in cells), **kw)


def _header(an: Analysis) -> Text:
    t = Text()
    t.append(f"{an.id or 'article'}", style="bold")
    t.append(f"  ·  published {an.dct or 'unknown'}  ·  {len(an.text):,} chars  ·  lang {an.lang}")
    t.append("\n" + _short(an.text, 150), style="italic")
    return t


def _warnings(an: Analysis):
    if not an.warnings:
        return None
    t = Table(box=box.SIMPLE, show_header=False, expand=True, padding=(0, 1))
    t.add_column("code", style="bold red", no_wrap=True)
    t.add_column("where", no_wrap=True)
    t.add_column("what", ratio=1)
    for w in an.warnings:
        _row(t, w.code, f"{w.start}–{w.end}", f"{w.message}: {_short(an.text[w.start:w.end], 40)!r}")
    return Panel(t, title="Warnings", border_style="red")


def _entities(an: Analysis):
    t = Table(box=box.SIMPLE_HEAD, expand=True, title="Entities", title_justify="left")
    t.add_column("name", ratio=2)
    t.add_column("type", no_wrap=True)
    t.add_column("kb", no_wrap=True)
    t.add_column("n", justify="right", no_wrap=True)
    t.add_column("also / role", ratio=3)
    for e in sorted(an.entities, key=lambda e: (-len(e.mentions), e.name)):
        extra = ", ".join(e.aliases[:3])
        roles = "; ".join(r.title + (f" ({r.of})" if r.of else "") for r in e.roles[:2])
        if roles:
            extra = (extra + " · " if extra else "") + roles
        _row(t, e.name, Text(e.type, style=TYPE_STYLE.get(e.type, "")), e.kb_id or "–",
                  str(len(e.mentions)), _short(extra, 60))
    return t


def _timeline(an: Analysis):
    rows = []
    for tx in an.times:
        rows.append((tx.value, "time", f"{tx.type} {tx.text!r}"))
    for ev in an.events:
        if ev.date:
            label = f"{ev.type} {ev.actor or '?'} → {ev.recipient or '–'}"
            rows.append((ev.date, "event", label + ("" if ev.mode == "asserted" else f" [{ev.mode}]")))
    if not rows:
        return None
    t = Table(box=box.SIMPLE_HEAD, expand=True, title="Timeline", title_justify="left")
    t.add_column("value", no_wrap=True)
    t.add_column("", no_wrap=True)
    t.add_column("what", ratio=1)
    for value, kind, label in sorted(rows, key=lambda r: (r[0][:1].isdigit() is False, r[0], r[1])):
        _row(t, value, kind, label, style="bold" if kind == "event" else "")
    return t


def _quotes(an: Analysis):
    if not an.quotes:
        return None
    by_speaker: "OrderedDict[str, list]" = OrderedDict()
    for q in an.quotes:
        by_speaker.setdefault(q.speaker or "(speaker unknown)", []).append(q)
    parts = []
    for speaker, qs in by_speaker.items():
        body = Text()
        for q in qs:
            mark = "«»" if q.kind == "direct" else "~"
            body.append(f" {mark} ", style="dim")
            body.append(_short(q.text, 220), style="italic" if q.kind == "direct" else "")
            if q.cue:
                body.append(f"  ({q.cue.text})", style="dim")
            body.append("\n")
        parts.append(Text(_plain(speaker), style="bold cyan"))
        parts.append(body)
    return Panel(Group(*parts), title="Quotes", title_align="left", border_style="blue")


def _events(an: Analysis):
    if not an.events:
        return None
    t = Table(box=box.SIMPLE_HEAD, expand=True, title="Events", title_justify="left")
    t.add_column("date", no_wrap=True)
    t.add_column("type", no_wrap=True)
    t.add_column("who → whom", ratio=2)
    t.add_column("where", ratio=1)
    t.add_column("trigger", ratio=1)
    for ev in sorted(an.events, key=lambda e: (e.date is None, e.date or "")):
        who = f"{ev.actor or '?'} → {ev.recipient or '–'}"
        typ = Text(ev.type, style=MODE_STYLE.get(ev.mode, ""))
        if ev.mode != "asserted":
            typ.append(f" {ev.mode}", style="italic " + MODE_STYLE.get(ev.mode, ""))
        _row(t, ev.date or "–", typ, who, ev.location or "–", ev.trigger.text)
    return t


def render(an: Analysis, console: Console) -> None:
    """Print the report of ``an`` on ``console``."""
    console.rule(style="dim")
    console.print(_header(an))
    for part in (_warnings(an), _entities(an), _timeline(an), _quotes(an), _events(an)):
        if part is not None:
            console.print(part)
